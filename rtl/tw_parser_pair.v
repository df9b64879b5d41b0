// tw_parser_pair: the header parsers of both ports with one parse engine (small FPGAs; tw_tap_parse_top's
// SHARE_PARSER = 1, docs/parser.md). Each port keeps its own tw_parser_capture (line-rate head slots in block RAM,
// never stalls, drops a copy whole and counts it when no slot is free); one tw_parser_engine (SHARED = 1) reads
// the ended frames of both, moving between the ports (tw_parser_engine's header), and emits one record stream in
// the order it parsed the frames (the record's port bit says where each came from). The records are bit-identical
// to those of two tw_parser; only the clocks differ: one engine's headers for two ports' frames, and each capture
// registers its input (IN_REG = 1, timing), so it sees a beat a clock later.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"

module tw_parser_pair #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8,
    parameter HDR_BYTES = 256,
    parameter NSLOTS = 4,
    parameter SLOT_W = $clog2(NSLOTS),
    parameter TZSP_PER_STEP = 16,
    parameter SLOT_RAM = 1,             // 1: the head slots' RAM read in a clock; 2: its output registered (two)
    parameter META_WIDTH = `TW_M_WIDTH
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire [15:0]           cfg_mtu,
    input  wire [3:0]            cfg_l2tp_cookie,
    input  wire [63:0]           ts_ns,

    // copies of the two ingress streams (tw_tap cp_*): no ready
    input  wire [DATA_WIDTH-1:0] s_a_tdata,
    input  wire [KEEP_WIDTH-1:0] s_a_tkeep,
    input  wire                  s_a_tvalid,
    input  wire                  s_a_tlast,
    input  wire                  s_a_tuser,
    input  wire [DATA_WIDTH-1:0] s_b_tdata,
    input  wire [KEEP_WIDTH-1:0] s_b_tkeep,
    input  wire                  s_b_tvalid,
    input  wire                  s_b_tlast,
    input  wire                  s_b_tuser,

    output wire [META_WIDTH-1:0] m_rec,
    output wire                  m_valid,
    input  wire                  m_ready,

    // statistics pulses per port (a: port 0, b: port 1)
    output wire                  frame_a_pulse,
    output wire [23:0]           frame_a_bytes,
    output wire                  macbad_a_pulse,
    output wire                  drop_a_pulse,
    output wire                  rec_a_pulse,
    output wire [`TW_ERR_COUNT-1:0] err_a_pulse,
    output wire                  frame_b_pulse,
    output wire [23:0]           frame_b_bytes,
    output wire                  macbad_b_pulse,
    output wire                  drop_b_pulse,
    output wire                  rec_b_pulse,
    output wire [`TW_ERR_COUNT-1:0] err_b_pulse
);

localparam AW = SLOT_W + $clog2(HDR_BYTES / 8);

localparam SR = (SLOT_RAM == 2) ? 2 : 1;     // the slots are always in block RAM here

// engine side
wire [SLOT_W-1:0] e_slot, e_slot_b;     // the engine's slot counters of port A and port B
wire [AW-1:0]     e_addr;
wire              e_port, e_free, e_oth_ready;
wire              rec_pulse, rec_port;
wire [`TW_ERR_COUNT-1:0] err_pulse;

// capture side, per port
wire [HDR_BYTES*8-1:0] a_data, b_data;       // SLOT_RAM = 1: 0 (unused)
wire [63:0]            a_word, b_word, a_ts, b_ts;
wire                   a_valid, a_hdr, a_done, a_user, b_valid, b_hdr, b_done, b_user;
wire [23:0]            a_len, b_len;
wire [31:0]            a_fseq, b_fseq;

tw_parser_capture #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH), .HDR_BYTES(HDR_BYTES), .NSLOTS(NSLOTS),
                    .SLOT_W(SLOT_W), .SLOT_RAM(SR), .IN_REG(1)) capture_a (
    .clk(clk), .rst(rst), .ts_ns(ts_ns),
    .s_tdata(s_a_tdata), .s_tkeep(s_a_tkeep), .s_tvalid(s_a_tvalid), .s_tlast(s_a_tlast), .s_tuser(s_a_tuser),
    .rd_slot(e_slot), .rd_data(a_data), .rd_addr(e_addr), .rd_word(a_word),
    .rd_valid(a_valid), .rd_hdr(a_hdr), .rd_done(a_done), .rd_len(a_len), .rd_user(a_user), .rd_ts(a_ts),
    .rd_fseq(a_fseq), .rd_free(e_free && !e_port),
    .frame_pulse(frame_a_pulse), .frame_bytes(frame_a_bytes), .macbad_pulse(macbad_a_pulse),
    .drop_pulse(drop_a_pulse)
);

tw_parser_capture #(.DATA_WIDTH(DATA_WIDTH), .KEEP_WIDTH(KEEP_WIDTH), .HDR_BYTES(HDR_BYTES), .NSLOTS(NSLOTS),
                    .SLOT_W(SLOT_W), .SLOT_RAM(SR), .IN_REG(1)) capture_b (
    .clk(clk), .rst(rst), .ts_ns(ts_ns),
    .s_tdata(s_b_tdata), .s_tkeep(s_b_tkeep), .s_tvalid(s_b_tvalid), .s_tlast(s_b_tlast), .s_tuser(s_b_tuser),
    .rd_slot(e_slot_b), .rd_data(b_data), .rd_addr(e_addr), .rd_word(b_word),
    .rd_valid(b_valid), .rd_hdr(b_hdr), .rd_done(b_done), .rd_len(b_len), .rd_user(b_user), .rd_ts(b_ts),
    .rd_fseq(b_fseq), .rd_free(e_free && e_port),
    .frame_pulse(frame_b_pulse), .frame_bytes(frame_b_bytes), .macbad_pulse(macbad_b_pulse),
    .drop_pulse(drop_b_pulse)
);

// The word read arrives a clock (two: SLOT_RAM = 2) after its address: the engine only switches ports between
// frames, when no load is in progress, so the port of the address and of the word are the same.
assign e_oth_ready = e_port ? (a_valid && a_done) : (b_valid && b_done);

tw_parser_engine #(.HDR_BYTES(HDR_BYTES), .SLOT_W(SLOT_W), .PORT(0), .TZSP_PER_STEP(TZSP_PER_STEP), .WIN_FETCH(1),
                   .SLOT_RAM(SR), .SHARED(1), .META_WIDTH(META_WIDTH)) engine (
    .clk(clk), .rst(rst), .cfg_mtu(cfg_mtu), .cfg_l2tp_cookie(cfg_l2tp_cookie),
    .rd_slot(e_slot), .rd_data({(HDR_BYTES*8){1'b0}}), .rd_addr(e_addr), .rd_word(e_port ? b_word : a_word),
    .rd_valid(e_port ? b_valid : a_valid), .rd_hdr(e_port ? b_hdr : a_hdr), .rd_done(e_port ? b_done : a_done),
    .rd_len(e_port ? b_len : a_len), .rd_user(e_port ? b_user : a_user), .rd_ts(e_port ? b_ts : a_ts),
    .rd_fseq(e_port ? b_fseq : a_fseq), .rd_free(e_free),
    .rd_port(e_port), .rd_slot_b(e_slot_b), .oth_ready(e_oth_ready),
    .m_rec(m_rec), .m_valid(m_valid), .m_ready(m_ready),
    .rec_pulse(rec_pulse), .err_pulse(err_pulse), .rec_port(rec_port)
);

assign rec_a_pulse = rec_pulse && !rec_port;
assign rec_b_pulse = rec_pulse && rec_port;
assign err_a_pulse = rec_port ? {`TW_ERR_COUNT{1'b0}} : err_pulse;
assign err_b_pulse = rec_port ? err_pulse : {`TW_ERR_COUNT{1'b0}};

wire unused_pair = &{1'b0, a_data, b_data};

endmodule

`resetall
