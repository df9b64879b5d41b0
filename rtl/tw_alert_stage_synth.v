`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
`include "tw_rule_entry.vh"
`include "tw_alert_rec.vh"
// tw_alert_stage_synth: tw_alert_stage at a small state geometry (16 buckets x 4 ways) for `make synth-check`:
// Yosys's generic flow maps memories to flip-flops, and the reference 1024 x 1196-bit state RAM would take hours.
// The per-visit logic does not depend on the geometry. Same ports as tw_alert_stage.
module tw_alert_stage_synth (
    input  wire                      clk,
    input  wire                      rst,
    input  wire [31:0]               cfg_rate,
    input  wire [31:0]               cfg_burst,
    input  wire [7:0]                cfg_evidence,
    input  wire                      s_tvalid,
    output wire                      s_tready,
    input  wire [`TW_M_WIDTH-1:0]    s_meta,
    input  wire                      s_mirror,
    input  wire                      s_flow,
    input  wire [63:0]               s_flow_id,
    input  wire [15:0]               s_bucket,
    input  wire [3:0]                s_way,
    input  wire [63:0]               s_pkts_ts,
    input  wire [63:0]               s_pkts_tc,
    input  wire [63:0]               s_bytes_ts,
    input  wire [63:0]               s_bytes_tc,
    input  wire [7:0]                s_o_svs,
    input  wire [7:0]                s_o_dvs,
    input  wire [7:0]                s_i_svs,
    input  wire [7:0]                s_i_dvs,
    input  wire [255:0]              s_alerts,
    input  wire                      s_bank,
    output wire                      m_alert_tvalid,
    input  wire                      m_alert_tready,
    output wire [`TW_AR_WIDTH-1:0]   m_alert_tdata,
    output wire                      m_falert_tvalid,
    input  wire                      m_falert_tready,
    output wire [84:0]               m_falert_tdata,
    input  wire [2:0]                s_tbl_table,
    input  wire [15:0]               s_tbl_index,
    input  wire [`TW_RE_WIDTH-1:0]   s_tbl_data,
    input  wire                      s_tbl_tvalid,
    output wire                      s_tbl_tready,
    output wire                      rule_bank,
    input  wire [7:0]                cnt_rd_addr,
    output wire [191:0]              cnt_rd_data,
    output wire                      init_done,
    output wire [63:0]               cnt_frames_in,
    output wire [63:0]               cnt_frames_out,
    output wire [63:0]               cnt_alerts,
    output wire [63:0]               cnt_overflow,
    output wire [63:0]               cnt_state_full
);
    /* verilator lint_off PINCONNECTEMPTY */
    tw_alert_stage #(.STATE_BUCKETS(16), .STATE_WAYS(4)) u (
        .clk(clk), .rst(rst), .cfg_rate(cfg_rate), .cfg_burst(cfg_burst), .cfg_evidence(cfg_evidence),
        .s_tvalid(s_tvalid), .s_tready(s_tready), .s_meta(s_meta), .s_mirror(s_mirror), .s_flow(s_flow),
        .s_flow_id(s_flow_id), .s_bucket(s_bucket), .s_way(s_way), .s_pkts_ts(s_pkts_ts), .s_pkts_tc(s_pkts_tc),
        .s_bytes_ts(s_bytes_ts), .s_bytes_tc(s_bytes_tc), .s_o_svs(s_o_svs), .s_o_dvs(s_o_dvs), .s_i_svs(s_i_svs),
        .s_i_dvs(s_i_dvs), .s_alerts(s_alerts), .s_bank(s_bank),
        .m_alert_tvalid(m_alert_tvalid), .m_alert_tready(m_alert_tready), .m_alert_tdata(m_alert_tdata),
        .m_falert_tvalid(m_falert_tvalid), .m_falert_tready(m_falert_tready), .m_falert_tdata(m_falert_tdata),
        .s_tbl_table(s_tbl_table), .s_tbl_index(s_tbl_index), .s_tbl_data(s_tbl_data), .s_tbl_tvalid(s_tbl_tvalid),
        .s_tbl_tready(s_tbl_tready), .rule_bank(rule_bank), .cnt_rd_addr(cnt_rd_addr), .cnt_rd_data(cnt_rd_data),
        .init_done(init_done), .cnt_frames_in(cnt_frames_in), .cnt_frames_out(cnt_frames_out),
        .cnt_matches(), .cnt_alerts(cnt_alerts), .cnt_records_out(), .cnt_overflow(cnt_overflow),
        .cnt_rate_limited(), .cnt_thresholded(), .cnt_state_full(cnt_state_full), .cnt_ignored(),
        .cnt_frames_alerted(), .cnt_falerts_out(), .cnt_wr_ok(), .cnt_wr_bad(), .cnt_wr_other(), .cnt_commits());
    /* verilator lint_on PINCONNECTEMPTY */
endmodule
`resetall
