// tw_parser: the header parser of one port: tw_parser_capture (line-rate head slots, never stalls) feeding
// tw_parser_engine (one header per clock), one metadata record per captured frame on m_rec.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"

module tw_parser #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8,
    parameter HDR_BYTES = 256,
    parameter NSLOTS = 4,
    parameter SLOT_W = $clog2(NSLOTS),
    parameter PORT = 0,
    parameter TZSP_PER_STEP = 16,     // TZSP tagged fields per engine clock (tw_parser_engine)
    parameter WIN_FETCH = 0,          // 1: the engine's window is a register loaded 8 bytes a clock
    parameter SLOT_RAM = 0,           // 1 (needs WIN_FETCH = 1): the head slots are a block RAM read a word a clock
    parameter META_WIDTH = `TW_M_WIDTH
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire [15:0]           cfg_mtu,
    input  wire [3:0]            cfg_l2tp_cookie,
    input  wire [63:0]           ts_ns,

    // copy of the ingress stream (tw_tap cp_*): no ready
    input  wire [DATA_WIDTH-1:0] s_tdata,
    input  wire [KEEP_WIDTH-1:0] s_tkeep,
    input  wire                  s_tvalid,
    input  wire                  s_tlast,
    input  wire                  s_tuser,

    output wire [META_WIDTH-1:0] m_rec,
    output wire                  m_valid,
    input  wire                  m_ready,

    // statistics pulses
    output wire                  frame_pulse,
    output wire [23:0]           frame_bytes,
    output wire                  macbad_pulse,
    output wire                  drop_pulse,
    output wire                  rec_pulse,
    output wire [`TW_ERR_COUNT-1:0] err_pulse
);

wire [SLOT_W-1:0]      rd_slot;
wire [HDR_BYTES*8-1:0] rd_data;
wire [SLOT_W+$clog2(HDR_BYTES/8)-1:0] rd_addr;
wire [63:0]            rd_word;
wire                   rd_valid, rd_hdr, rd_done, rd_user, rd_free;
wire [23:0]            rd_len;
wire [63:0]            rd_ts;
wire [31:0]            rd_fseq;
wire                   rd_port_unused, rec_port_unused;   // tw_parser_engine's SHARED = 1 ports (tw_parser_pair)
wire [SLOT_W-1:0]      rd_slot_b_unused;

tw_parser_capture #(
    .DATA_WIDTH(DATA_WIDTH),
    .KEEP_WIDTH(KEEP_WIDTH),
    .HDR_BYTES(HDR_BYTES),
    .NSLOTS(NSLOTS),
    .SLOT_W(SLOT_W),
    .SLOT_RAM(SLOT_RAM)
) capture (
    .clk(clk),
    .rst(rst),
    .ts_ns(ts_ns),
    .s_tdata(s_tdata),
    .s_tkeep(s_tkeep),
    .s_tvalid(s_tvalid),
    .s_tlast(s_tlast),
    .s_tuser(s_tuser),
    .rd_slot(rd_slot),
    .rd_data(rd_data),
    .rd_addr(rd_addr),
    .rd_word(rd_word),
    .rd_valid(rd_valid),
    .rd_hdr(rd_hdr),
    .rd_done(rd_done),
    .rd_len(rd_len),
    .rd_user(rd_user),
    .rd_ts(rd_ts),
    .rd_fseq(rd_fseq),
    .rd_free(rd_free),
    .frame_pulse(frame_pulse),
    .frame_bytes(frame_bytes),
    .macbad_pulse(macbad_pulse),
    .drop_pulse(drop_pulse)
);

tw_parser_engine #(
    .HDR_BYTES(HDR_BYTES),
    .SLOT_W(SLOT_W),
    .PORT(PORT),
    .TZSP_PER_STEP(TZSP_PER_STEP),
    .WIN_FETCH(WIN_FETCH),
    .SLOT_RAM(SLOT_RAM),
    .META_WIDTH(META_WIDTH)
) engine (
    .clk(clk),
    .rst(rst),
    .cfg_mtu(cfg_mtu),
    .cfg_l2tp_cookie(cfg_l2tp_cookie),
    .rd_slot(rd_slot),
    .rd_data(rd_data),
    .rd_addr(rd_addr),
    .rd_word(rd_word),
    .rd_valid(rd_valid),
    .rd_hdr(rd_hdr),
    .rd_done(rd_done),
    .rd_len(rd_len),
    .rd_user(rd_user),
    .rd_ts(rd_ts),
    .rd_fseq(rd_fseq),
    .rd_free(rd_free),
    .rd_port(rd_port_unused),
    .rd_slot_b(rd_slot_b_unused),
    .oth_ready(1'b0),
    .m_rec(m_rec),
    .m_valid(m_valid),
    .m_ready(m_ready),
    .rec_pulse(rec_pulse),
    .err_pulse(err_pulse),
    .rec_port(rec_port_unused)
);
wire unused_shared = &{1'b0, rd_port_unused, rd_slot_b_unused, rec_port_unused};

endmodule

`resetall
