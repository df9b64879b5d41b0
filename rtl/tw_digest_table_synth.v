`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
// tw_digest_table_synth: the synth-check top of the digest table (make synth-check). Yosys's generic flow maps
// every memory to flip-flops, so the check synthesizes the table with 16 sets (the logic is the same at any size;
// the RAM is one inferred memory with a registered read either way). The reference geometry is the default of
// tw_digest_table itself (8192 sets x 2 ways); see docs/engine-state.md for its block RAM count.
module tw_digest_table_synth (
    input  wire                   clk,
    input  wire                   rst,
    input  wire [63:0]            cfg_window_ns,
    input  wire                   s_axis_tvalid,
    output wire                   s_axis_tready,
    input  wire [`TW_M_WIDTH-1:0] s_axis_tdata,
    input  wire [31:0]            s_axis_tuser,
    output wire                   m_axis_tvalid,
    input  wire                   m_axis_tready,
    output wire [131:0]           m_axis_tdata,
    output wire [31:0]            m_axis_tuser,
    output wire                   init_done
);
    tw_digest_table #(.SETS(16), .WAYS(2), .USER_W(32)) u_table (
        .clk(clk), .rst(rst), .cfg_window_ns(cfg_window_ns),
        .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready), .s_axis_tdata(s_axis_tdata),
        .s_axis_tuser(s_axis_tuser),
        .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready), .m_axis_tdata(m_axis_tdata),
        .m_axis_tuser(m_axis_tuser), .init_done(init_done)
    );
endmodule
`resetall
