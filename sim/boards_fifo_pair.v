// Simulation-only wrapper for tests/boards/test_mac_fifo.c: two 16-beat tw_mac_fifo instances side by side, one
// back-pressuring (DROP_FULL = 0, "bp_"), one dropping (DROP_FULL = 1, "dr_"), on shared clocks and resets.
// Built with the generic RAM (rtl/tw_mac_fifo_ram.v), or the ECP5 one over sim/ecp5_dp16kd.v in its x18 and (a copy
// with AB_MIN = 11, boards.mk) x9 arrangement.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_fifo_pair (
    input  wire        wr_clk,
    input  wire        wr_rst,
    input  wire        rd_clk,
    input  wire        rd_rst,

    input  wire [63:0] bp_s_tdata,
    input  wire [7:0]  bp_s_tkeep,
    input  wire        bp_s_tvalid,
    output wire        bp_s_tready,
    input  wire        bp_s_tlast,
    input  wire        bp_s_tuser,
    output wire        bp_ev_commit,
    output wire        bp_ev_drop,
    output wire [63:0] bp_m_tdata,
    output wire [7:0]  bp_m_tkeep,
    output wire        bp_m_tvalid,
    input  wire        bp_m_tready,
    output wire        bp_m_tlast,
    output wire        bp_m_tuser,

    input  wire [63:0] dr_s_tdata,
    input  wire [7:0]  dr_s_tkeep,
    input  wire        dr_s_tvalid,
    output wire        dr_s_tready,
    input  wire        dr_s_tlast,
    input  wire        dr_s_tuser,
    output wire        dr_ev_commit,
    output wire        dr_ev_drop,
    output wire [63:0] dr_m_tdata,
    output wire [7:0]  dr_m_tkeep,
    output wire        dr_m_tvalid,
    input  wire        dr_m_tready,
    output wire        dr_m_tlast,
    output wire        dr_m_tuser
);

tw_mac_fifo #(.DATA_W(64), .ADDR_W(4), .DROP_FULL(0)) bp (
    .wr_clk(wr_clk), .wr_rst(wr_rst),
    .s_axis_tdata(bp_s_tdata), .s_axis_tkeep(bp_s_tkeep), .s_axis_tvalid(bp_s_tvalid), .s_axis_tready(bp_s_tready),
    .s_axis_tlast(bp_s_tlast), .s_axis_tuser(bp_s_tuser), .ev_commit(bp_ev_commit), .ev_drop(bp_ev_drop),
    .rd_clk(rd_clk), .rd_rst(rd_rst),
    .m_axis_tdata(bp_m_tdata), .m_axis_tkeep(bp_m_tkeep), .m_axis_tvalid(bp_m_tvalid), .m_axis_tready(bp_m_tready),
    .m_axis_tlast(bp_m_tlast), .m_axis_tuser(bp_m_tuser)
);

tw_mac_fifo #(.DATA_W(64), .ADDR_W(4), .DROP_FULL(1)) dr (
    .wr_clk(wr_clk), .wr_rst(wr_rst),
    .s_axis_tdata(dr_s_tdata), .s_axis_tkeep(dr_s_tkeep), .s_axis_tvalid(dr_s_tvalid), .s_axis_tready(dr_s_tready),
    .s_axis_tlast(dr_s_tlast), .s_axis_tuser(dr_s_tuser), .ev_commit(dr_ev_commit), .ev_drop(dr_ev_drop),
    .rd_clk(rd_clk), .rd_rst(rd_rst),
    .m_axis_tdata(dr_m_tdata), .m_axis_tkeep(dr_m_tkeep), .m_axis_tvalid(dr_m_tvalid), .m_axis_tready(dr_m_tready),
    .m_axis_tlast(dr_m_tlast), .m_axis_tuser(dr_m_tuser)
);

endmodule

`resetall
