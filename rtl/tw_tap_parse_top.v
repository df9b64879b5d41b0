// tw_tap_parse_top: the two-port tap and one header parser per port, merged into one metadata stream.
// Interface contract for the simulation shim (sim/) and the later full top; see docs/architecture.md.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
`include "tw_counters.vh"

module tw_tap_parse_top #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8,
    parameter HDR_BYTES = 256,          // bytes of each frame's head the parser sees
    parameter TZSP_PER_STEP = 16,       // TZSP tagged fields per parse-engine clock (1: the small-FPGA setting)
    parameter WIN_FETCH = 0,            // 1: the parse window is loaded 8 bytes a clock (small-FPGA setting)
    parameter SLOT_RAM = 0,             // 1 (needs WIN_FETCH = 1): the parser's head slots in block RAM; 2: the
                                        // RAM's output registered too (a slot word read in two clocks)
    parameter MERGE_FIFO_W = 5,         // log2 of the merge FIFO's depth in records (4: one 16-deep distributed RAM)
    parameter SHARE_PARSER = 0,         // 1 (needs SLOT_RAM = 1): one parse engine for both ports (tw_parser_pair)
    parameter CNT_RAM = 0,              // 1: the statistics counters in distributed RAM (tw_cnt_ram)
    parameter META_WIDTH = `TW_M_WIDTH
) (
    input  wire                  clk,
    input  wire                  rst,

    // configuration (from the register file)
    input  wire                  cfg_monitor,     // 1: monitor-only (no egress, ingress tready always 1)
    input  wire [15:0]           cfg_mtu,         // frames longer than this are giants (default 9600)
    input  wire [3:0]            cfg_l2tp_cookie, // L2TPv3 cookie length in bytes: 0, 4 or 8

    // free-running time in ns (board: a counter; simulation: the capture's timestamps)
    input  wire [63:0]           ts_ns,

    // port A ingress (A->B traffic) and B ingress (B->A traffic)
    input  wire [DATA_WIDTH-1:0] s_axis_a_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_a_tkeep,
    input  wire                  s_axis_a_tvalid,
    output wire                  s_axis_a_tready,
    input  wire                  s_axis_a_tlast,
    input  wire                  s_axis_a_tuser,
    input  wire [DATA_WIDTH-1:0] s_axis_b_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_b_tkeep,
    input  wire                  s_axis_b_tvalid,
    output wire                  s_axis_b_tready,
    input  wire                  s_axis_b_tlast,
    input  wire                  s_axis_b_tuser,

    // egress: m_axis_b carries what came in on A, m_axis_a what came in on B
    output wire [DATA_WIDTH-1:0] m_axis_a_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_a_tkeep,
    output wire                  m_axis_a_tvalid,
    input  wire                  m_axis_a_tready,
    output wire                  m_axis_a_tlast,
    output wire                  m_axis_a_tuser,
    output wire [DATA_WIDTH-1:0] m_axis_b_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_b_tkeep,
    output wire                  m_axis_b_tvalid,
    input  wire                  m_axis_b_tready,
    output wire                  m_axis_b_tlast,
    output wire                  m_axis_b_tuser,

    // one metadata record per frame copy (layout: contracts/meta.def)
    output wire [META_WIDTH-1:0] m_meta_tdata,
    output wire                  m_meta_tvalid,
    input  wire                  m_meta_tready,

    // counters (contracts/counters.def): address = port * CNT_PER_PORT + index; data one clock later
    input  wire [7:0]            cnt_addr,
    output wire [63:0]           cnt_data
);

localparam NSLOTS = 4;
localparam INC_W = 24;

initial begin
    if (DATA_WIDTH != 64) begin
        $display("tw_tap_parse_top: the parser is built for a 64-bit bus");
        $finish;
    end
end

// ---------------------------------------------------------------- taps: A in -> B out, B in -> A out
wire [DATA_WIDTH-1:0] cp_a_tdata, cp_b_tdata;
wire [KEEP_WIDTH-1:0] cp_a_tkeep, cp_b_tkeep;
wire                  cp_a_tvalid, cp_a_tlast, cp_a_tuser, cp_b_tvalid, cp_b_tlast, cp_b_tuser;
wire                  egress_a_frame, egress_b_frame;   // frames of ingress A / B forwarded

tw_tap #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH)) tap_a (
    .clk(clk), .rst(rst), .cfg_monitor(cfg_monitor),
    .s_axis_tdata(s_axis_a_tdata), .s_axis_tkeep(s_axis_a_tkeep), .s_axis_tvalid(s_axis_a_tvalid),
    .s_axis_tready(s_axis_a_tready), .s_axis_tlast(s_axis_a_tlast), .s_axis_tuser(s_axis_a_tuser),
    .m_axis_tdata(m_axis_b_tdata), .m_axis_tkeep(m_axis_b_tkeep), .m_axis_tvalid(m_axis_b_tvalid),
    .m_axis_tready(m_axis_b_tready), .m_axis_tlast(m_axis_b_tlast), .m_axis_tuser(m_axis_b_tuser),
    .cp_tdata(cp_a_tdata), .cp_tkeep(cp_a_tkeep), .cp_tvalid(cp_a_tvalid), .cp_tlast(cp_a_tlast),
    .cp_tuser(cp_a_tuser), .egress_frame(egress_a_frame)
);

tw_tap #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH)) tap_b (
    .clk(clk), .rst(rst), .cfg_monitor(cfg_monitor),
    .s_axis_tdata(s_axis_b_tdata), .s_axis_tkeep(s_axis_b_tkeep), .s_axis_tvalid(s_axis_b_tvalid),
    .s_axis_tready(s_axis_b_tready), .s_axis_tlast(s_axis_b_tlast), .s_axis_tuser(s_axis_b_tuser),
    .m_axis_tdata(m_axis_a_tdata), .m_axis_tkeep(m_axis_a_tkeep), .m_axis_tvalid(m_axis_a_tvalid),
    .m_axis_tready(m_axis_a_tready), .m_axis_tlast(m_axis_a_tlast), .m_axis_tuser(m_axis_a_tuser),
    .cp_tdata(cp_b_tdata), .cp_tkeep(cp_b_tkeep), .cp_tvalid(cp_b_tvalid), .cp_tlast(cp_b_tlast),
    .cp_tuser(cp_b_tuser), .egress_frame(egress_b_frame)
);

// ---------------------------------------------------------------- one parser per port (or one engine for both)
wire [META_WIDTH-1:0]    rec_a, rec_b;
wire                     rec_a_valid, rec_a_ready, rec_b_valid, rec_b_ready;
wire                     frame_a, frame_b, macbad_a, macbad_b, drop_a, drop_b, recp_a, recp_b;
wire [23:0]              bytes_a, bytes_b;
wire [`TW_ERR_COUNT-1:0] errp_a, errp_b;

generate if (SHARE_PARSER == 0) begin : g_two
tw_parser #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH), .HDR_BYTES(HDR_BYTES), .NSLOTS(NSLOTS), .PORT(0),
            .TZSP_PER_STEP(TZSP_PER_STEP), .WIN_FETCH(WIN_FETCH),
            .SLOT_RAM(SLOT_RAM), .META_WIDTH(META_WIDTH)) parser_a (
    .clk(clk), .rst(rst), .cfg_mtu(cfg_mtu), .cfg_l2tp_cookie(cfg_l2tp_cookie), .ts_ns(ts_ns),
    .s_tdata(cp_a_tdata), .s_tkeep(cp_a_tkeep), .s_tvalid(cp_a_tvalid), .s_tlast(cp_a_tlast), .s_tuser(cp_a_tuser),
    .m_rec(rec_a), .m_valid(rec_a_valid), .m_ready(rec_a_ready),
    .frame_pulse(frame_a), .frame_bytes(bytes_a), .macbad_pulse(macbad_a), .drop_pulse(drop_a),
    .rec_pulse(recp_a), .err_pulse(errp_a)
);

tw_parser #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH), .HDR_BYTES(HDR_BYTES), .NSLOTS(NSLOTS), .PORT(1),
            .TZSP_PER_STEP(TZSP_PER_STEP), .WIN_FETCH(WIN_FETCH),
            .SLOT_RAM(SLOT_RAM), .META_WIDTH(META_WIDTH)) parser_b (
    .clk(clk), .rst(rst), .cfg_mtu(cfg_mtu), .cfg_l2tp_cookie(cfg_l2tp_cookie), .ts_ns(ts_ns),
    .s_tdata(cp_b_tdata), .s_tkeep(cp_b_tkeep), .s_tvalid(cp_b_tvalid), .s_tlast(cp_b_tlast), .s_tuser(cp_b_tuser),
    .m_rec(rec_b), .m_valid(rec_b_valid), .m_ready(rec_b_ready),
    .frame_pulse(frame_b), .frame_bytes(bytes_b), .macbad_pulse(macbad_b), .drop_pulse(drop_b),
    .rec_pulse(recp_b), .err_pulse(errp_b)
);

// ---------------------------------------------------------------- merge onto m_meta
tw_merge #(.WIDTH(META_WIDTH), .DEPTH_W(MERGE_FIFO_W)) merge (
    .clk(clk), .rst(rst),
    .s_a_data(rec_a), .s_a_valid(rec_a_valid), .s_a_ready(rec_a_ready),
    .s_b_data(rec_b), .s_b_valid(rec_b_valid), .s_b_ready(rec_b_ready),
    .m_data(m_meta_tdata), .m_valid(m_meta_tvalid), .m_ready(m_meta_tready)
);
end else begin : g_pair
// ---------------------------------------------------------------- one engine for both ports, then the FIFO
wire [META_WIDTH-1:0] rec;
wire                  rec_valid, rec_ready;
tw_parser_pair #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH), .HDR_BYTES(HDR_BYTES), .NSLOTS(NSLOTS),
                 .TZSP_PER_STEP(TZSP_PER_STEP), .SLOT_RAM(SLOT_RAM), .META_WIDTH(META_WIDTH)) parser (
    .clk(clk), .rst(rst), .cfg_mtu(cfg_mtu), .cfg_l2tp_cookie(cfg_l2tp_cookie), .ts_ns(ts_ns),
    .s_a_tdata(cp_a_tdata), .s_a_tkeep(cp_a_tkeep), .s_a_tvalid(cp_a_tvalid), .s_a_tlast(cp_a_tlast),
    .s_a_tuser(cp_a_tuser),
    .s_b_tdata(cp_b_tdata), .s_b_tkeep(cp_b_tkeep), .s_b_tvalid(cp_b_tvalid), .s_b_tlast(cp_b_tlast),
    .s_b_tuser(cp_b_tuser),
    .m_rec(rec), .m_valid(rec_valid), .m_ready(rec_ready),
    .frame_a_pulse(frame_a), .frame_a_bytes(bytes_a), .macbad_a_pulse(macbad_a), .drop_a_pulse(drop_a),
    .rec_a_pulse(recp_a), .err_a_pulse(errp_a),
    .frame_b_pulse(frame_b), .frame_b_bytes(bytes_b), .macbad_b_pulse(macbad_b), .drop_b_pulse(drop_b),
    .rec_b_pulse(recp_b), .err_b_pulse(errp_b)
);
tw_sync_fifo #(.WIDTH(META_WIDTH), .DEPTH_W(MERGE_FIFO_W)) fifo (
    .clk(clk), .rst(rst),
    .s_data(rec), .s_valid(rec_valid), .s_ready(rec_ready),
    .m_data(m_meta_tdata), .m_valid(m_meta_tvalid), .m_ready(m_meta_tready)
);
assign rec_a = {META_WIDTH{1'b0}};
assign rec_b = {META_WIDTH{1'b0}};
assign rec_a_valid = 1'b0;
assign rec_b_valid = 1'b0;
assign rec_a_ready = 1'b0;
assign rec_b_ready = 1'b0;
wire unused_two = &{1'b0, rec_a, rec_b, rec_a_valid, rec_b_valid, rec_a_ready, rec_b_ready};
end endgenerate

// ---------------------------------------------------------------- counters (contracts/counters.def)
reg [2*`TW_CNT_PER_PORT*INC_W-1:0] inc;
integer e;
always @* begin
    inc = {(2*`TW_CNT_PER_PORT*INC_W){1'b0}};
    inc[`TW_CNT_FRAMES*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, frame_a};
    inc[`TW_CNT_BYTES*INC_W +: INC_W] = frame_a ? bytes_a : {INC_W{1'b0}};
    inc[`TW_CNT_MACBAD*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, macbad_a};
    inc[`TW_CNT_COPY_DROP*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, drop_a};
    inc[`TW_CNT_RECORDS*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, recp_a};
    inc[`TW_CNT_EGRESS*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, egress_a_frame};
    inc[(`TW_CNT_PER_PORT+`TW_CNT_FRAMES)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, frame_b};
    inc[(`TW_CNT_PER_PORT+`TW_CNT_BYTES)*INC_W +: INC_W] = frame_b ? bytes_b : {INC_W{1'b0}};
    inc[(`TW_CNT_PER_PORT+`TW_CNT_MACBAD)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, macbad_b};
    inc[(`TW_CNT_PER_PORT+`TW_CNT_COPY_DROP)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, drop_b};
    inc[(`TW_CNT_PER_PORT+`TW_CNT_RECORDS)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, recp_b};
    inc[(`TW_CNT_PER_PORT+`TW_CNT_EGRESS)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, egress_b_frame};
    // parser error kinds RUNT..DEEP are counters RUNT..DEEP, in the same order
    for (e = `TW_ERR_RUNT; e <= `TW_ERR_DEEP; e = e + 1) begin
        inc[(`TW_CNT_RUNT + e)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, errp_a[e]};
        inc[(`TW_CNT_PER_PORT + `TW_CNT_RUNT + e)*INC_W +: INC_W] = {{(INC_W-1){1'b0}}, errp_b[e]};
    end
end

tw_counters #(.NPORTS(2), .INC_W(INC_W), .RAM(CNT_RAM)) counters (
    .clk(clk), .rst(rst), .inc(inc), .cnt_addr(cnt_addr), .cnt_data(cnt_data)
);

endmodule

`resetall
