`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
// tw_flow_table_synth: the synth-check top of the flow table (make synth-check). Yosys's generic flow maps every
// memory to flip-flops, so the check synthesizes the table with 4 buckets x 4 ways (the logic per operation is
// the same at any size; the RAM is one inferred memory with a registered read either way). The reference geometry
// (4096 x 4) is the default of tw_flow_table itself; docs/engine-state.md gives its block RAM count.
module tw_flow_table_synth (
    input  wire                   clk,
    input  wire                   rst,
    input  wire [63:0]            cfg_idle_ns,
    input  wire [63:0]            cfg_hard_ns,
    input  wire                   s_axis_tvalid,
    output wire                   s_axis_tready,
    input  wire [`TW_M_WIDTH-1:0] s_axis_tdata,
    input  wire [31:0]            s_axis_tuser,
    output wire                   m_axis_tvalid,
    input  wire                   m_axis_tready,
    output wire [489:0]           m_axis_tdata,
    output wire [31:0]            m_axis_tuser,
    output wire                   m_rec_tvalid,
    input  wire                   m_rec_tready,
    output wire [788:0]           m_rec_tdata,
    input  wire                   s_alert_tvalid,
    output wire                   s_alert_tready,
    input  wire [84:0]            s_alert_tdata,
    input  wire                   flush_req,
    output wire                   flush_busy,
    output wire                   init_done,
    output wire [63:0]            cnt_created,
    output wire [63:0]            cnt_evicted,
    output wire [63:0]            cnt_sweeps,
    output wire [63:0]            cnt_no_ip
);
    tw_flow_table #(.BUCKETS(4), .WAYS(4)) u_table (
        .clk(clk), .rst(rst), .cfg_idle_ns(cfg_idle_ns), .cfg_hard_ns(cfg_hard_ns),
        .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready), .s_axis_tdata(s_axis_tdata),
        .s_axis_tuser(s_axis_tuser),
        .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready), .m_axis_tdata(m_axis_tdata),
        .m_axis_tuser(m_axis_tuser),
        .m_rec_tvalid(m_rec_tvalid), .m_rec_tready(m_rec_tready), .m_rec_tdata(m_rec_tdata),
        .s_alert_tvalid(s_alert_tvalid), .s_alert_tready(s_alert_tready), .s_alert_tdata(s_alert_tdata),
        .flush_req(flush_req), .flush_busy(flush_busy), .init_done(init_done),
        .cnt_created(cnt_created), .cnt_evicted(cnt_evicted), .cnt_sweeps(cnt_sweeps), .cnt_no_ip(cnt_no_ip)
    );
endmodule
`resetall
