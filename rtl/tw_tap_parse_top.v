// tw_tap_parse_top: the two-port tap and one header parser per port, merged into one metadata stream.
// Interface contract for the simulation shim (sim/) and the later full top; see docs/architecture.md.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"

module tw_tap_parse_top #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8,
    parameter HDR_BYTES = 256,          // bytes of each frame's head the parser sees
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

// STUB: to be replaced by the real tap and parsers.
assign s_axis_a_tready = 1'b0;
assign s_axis_b_tready = 1'b0;
assign m_axis_a_tdata = {DATA_WIDTH{1'b0}};
assign m_axis_a_tkeep = {KEEP_WIDTH{1'b0}};
assign m_axis_a_tvalid = 1'b0;
assign m_axis_a_tlast = 1'b0;
assign m_axis_a_tuser = 1'b0;
assign m_axis_b_tdata = {DATA_WIDTH{1'b0}};
assign m_axis_b_tkeep = {KEEP_WIDTH{1'b0}};
assign m_axis_b_tvalid = 1'b0;
assign m_axis_b_tlast = 1'b0;
assign m_axis_b_tuser = 1'b0;
assign m_meta_tdata = {META_WIDTH{1'b0}};
assign m_meta_tvalid = 1'b0;
assign cnt_data = 64'd0;

endmodule

`resetall
