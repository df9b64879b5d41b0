// tw_detect: the detection pipeline of the device top (rtl/tw_top.v). Interface:
//   s_meta (parser records) + s_tbl (table commands: tw_tbl_load) + flush_req  ->  m_alert (alert records,
//   contracts/alert_rec.def, ev_len 0: tw_rec_out appends the evidence), m_fin ({fseq, port} of every frame after its
//   alerts), m_flow (flow records, contracts/flow_rec.def) + counters.
//
//   tw_detect_front (flow table, mirror-copy digest table, match engine: one candidate per record, rtl/tw_cand.vh)
//   -> tw_alert_stage (thresholds, volume, per-rule rate limiter, 8-alert cut, alert records), whose verdicts (one
//   item per frame, in order: the flow-alert operand or "decided") go straight back to the front's flow table, which
//   holds every flow record until its frame is decided (so `alerted` is the reference's at line rate) and takes the
//   items ahead of frames, never waiting for candidates to be taken (docs/engine-front.md).
// Table commands are given to both (each takes a command once; the next waits until both took it). The settings
// the front applies (table 1) also give the alert stage its rate, burst and evidence bytes.
// Frame done (m_fin): the frames that entered the alert stage are reported done, per port as "every frame up to
// fseq", at a moment the alert stage is empty and every alert record it made was taken on m_alert (the stage
// finishes frames without alerts at once, out of order with those still walking their rules, so only an empty
// stage says that everything before is done).
//
// Counters: cnt_addr selects one of CNT_BLOCK (contracts/counters.def, CNT_DET_*); data one clock later.
// Per-rule counters: rule_cnt_addr = {rule, k} (k: CNT_RULE_MATCHES, _ALERTS, _RATE_LIMITED; 3 reads 0) selects the
// alert stage's counter; rule_cnt_data one or two clocks later (the stage's registered read port, shared with its
// visits, then a 4-way select), held while the address stays (the counter window samples three clocks after it).
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
`include "tw_cand.vh"
`include "tw_alert_rec.vh"
`include "tw_flow_rec.vh"
`include "tw_rule_entry.vh"
`include "tw_settings.vh"

module tw_detect #(
    parameter integer FLOW_BUCKETS = 4096,
    parameter integer FLOW_WAYS    = 4,
    parameter integer DIGEST_SETS  = 8192,
    parameter integer DIGEST_WAYS  = 2,
    parameter integer DIGEST_HASH_STEP = 0,   // tw_detect_front: the digest table's stepping hash (0 = reference)
    parameter integer FLOW_HOLD    = 32,      // tw_detect_front: the flow table's hold queue (power of two, >= 2)
    parameter integer ALERT_BUCKETS = 1024,   // tw_alert_stage STATE_BUCKETS (power of two)
    parameter integer ALERT_WAYS   = 4,       // tw_alert_stage STATE_WAYS (1..8)
    parameter integer REC_CLOCKS   = 4,       // tw_engine small-FPGA options (docs/engine.md "Small configuration"):
    parameter integer NEVAL        = 64,      // clocks per record, rule evaluators, prefix and port scan units;
    parameter integer PFX_UNITS    = 0,       // the defaults are the reference engine
    parameter integer PRT_UNITS    = 0,
    parameter integer PFX_SEARCH   = 0,
    parameter integer REC_FIFO_W   = 5,       // tw_detect_front: log2 of its record FIFOs' depth
    parameter integer CNT_W        = 64       // < 64: the blocks' statistics counters keep CNT_W bits, extended
                                              // here to 64 (tw_cnt_ext; the counter read takes two clocks)
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire [`TW_M_WIDTH-1:0]      s_meta_tdata,
    input  wire                        s_meta_tvalid,
    output wire                        s_meta_tready,
    input  wire [2:0]                  s_tbl_table,
    input  wire [15:0]                 s_tbl_index,
    input  wire [`TW_RE_WIDTH-1:0]     s_tbl_data,
    input  wire                        s_tbl_tvalid,
    output wire                        s_tbl_tready,
    output wire                        rule_bank,
    input  wire                        flush_req,
    output wire                        flush_busy,
    output wire                        init_done,
    output wire [`TW_AR_WIDTH-1:0]     m_alert_tdata,
    output wire                        m_alert_tvalid,
    input  wire                        m_alert_tready,
    output reg  [32:0]                 m_fin_tdata = 33'd0,
    output reg                         m_fin_tvalid = 1'b0,
    input  wire                        m_fin_tready,
    output wire [`TW_FR_WIDTH-1:0]     m_flow_tdata,
    output wire                        m_flow_tvalid,
    input  wire                        m_flow_tready,
    output wire [63:0]                 cnt_wb_drops,          // alerted-flow write-backs dropped: none (always 0)
    input  wire [4:0]                  cnt_addr,
    output wire [63:0]                 cnt_data,
    input  wire [9:0]                  rule_cnt_addr,
    output reg  [63:0]                 rule_cnt_data
);


// ---------------------------------------------------------------- the front
/* verilator lint_off UNUSEDSIGNAL */
wire [`TW_C_WIDTH-1:0] cand;                           // toclient and the match counts are not needed here
wire        cand_valid;
wire        cand_ready;
wire        ap_valid;
wire [2:0]  ap_table;
wire [15:0] ap_index;
wire [`TW_RE_WIDTH-1:0] ap_data;                       // settings: rate, burst, evidence bytes
/* verilator lint_on UNUSEDSIGNAL */
wire [84:0] wb_data;
wire        wb_valid;
wire        wb_ready;
wire        f_tbl_valid, f_tbl_ready, a_tbl_valid, a_tbl_ready;
wire        front_init, as_init;
wire        as_rule_bank;
wire [63:0] c_records, c_cands, c_recs, c_alert_ops, c_dg_lookups, c_dg_mirror, c_dg_inserts, c_dg_replaced,
            c_fl_created, c_fl_evicted, c_fl_sweeps, c_fl_no_ip, c_eng_frames, c_eng_no_ip, c_eng_matches,
            c_eng_alerts, c_eng_overflow, c_eng_suppressed;
wire [31:0] c_wr_ok, c_wr_bad, c_commits;
/* verilator lint_off UNUSEDSIGNAL */
wire [63:0] cfg_window_ns, cfg_idle_ns, cfg_hard_ns;   // in use by the front; shown for the alert stage later
/* verilator lint_on UNUSEDSIGNAL */

tw_detect_front #(.FLOW_BUCKETS(FLOW_BUCKETS), .FLOW_WAYS(FLOW_WAYS), .DIGEST_SETS(DIGEST_SETS),
                  .DIGEST_WAYS(DIGEST_WAYS), .DIGEST_HASH_STEP(DIGEST_HASH_STEP), .FLOW_HOLD(FLOW_HOLD),
                  .REC_FIFO_W(REC_FIFO_W), .REC_CLOCKS(REC_CLOCKS), .NEVAL(NEVAL), .PFX_UNITS(PFX_UNITS),
                  .PRT_UNITS(PRT_UNITS), .PFX_SEARCH(PFX_SEARCH), .CNT_W(CNT_W)) front (
    .clk(clk), .rst(rst),
    .s_meta_tdata(s_meta_tdata), .s_meta_tvalid(s_meta_tvalid), .s_meta_tready(s_meta_tready),
    .s_tbl_table(s_tbl_table), .s_tbl_index(s_tbl_index), .s_tbl_data(s_tbl_data), .s_tbl_tvalid(f_tbl_valid),
    .s_tbl_tready(f_tbl_ready), .rule_bank(rule_bank),
    .ap_valid(ap_valid), .ap_table(ap_table), .ap_index(ap_index), .ap_data(ap_data),
    .m_cand_tdata(cand), .m_cand_tvalid(cand_valid), .m_cand_tready(cand_ready),
    .m_rec_tdata(m_flow_tdata), .m_rec_tvalid(m_flow_tvalid), .m_rec_tready(m_flow_tready),
    .s_alert_tdata(wb_data), .s_alert_tvalid(wb_valid), .s_alert_tready(wb_ready),
    .flush_req(flush_req), .flush_busy(flush_busy), .init_done(front_init),
    .cfg_window_ns(cfg_window_ns), .cfg_idle_ns(cfg_idle_ns), .cfg_hard_ns(cfg_hard_ns),
    .cnt_records(c_records), .cnt_cands(c_cands), .cnt_recs(c_recs), .cnt_alert_ops(c_alert_ops),
    .cnt_dg_lookups(c_dg_lookups), .cnt_dg_mirror(c_dg_mirror), .cnt_dg_inserts(c_dg_inserts),
    .cnt_dg_replaced(c_dg_replaced), .cnt_fl_created(c_fl_created), .cnt_fl_evicted(c_fl_evicted),
    .cnt_fl_sweeps(c_fl_sweeps), .cnt_fl_no_ip(c_fl_no_ip), .cnt_eng_frames(c_eng_frames),
    .cnt_eng_no_ip(c_eng_no_ip), .cnt_eng_matches(c_eng_matches), .cnt_eng_alerts(c_eng_alerts),
    .cnt_eng_overflow(c_eng_overflow), .cnt_eng_suppressed(c_eng_suppressed), .cnt_wr_ok(c_wr_ok),
    .cnt_wr_bad(c_wr_bad), .cnt_commits(c_commits)
);

// ---------------------------------------------------------------- table commands to both
reg took_f = 1'b0, took_a = 1'b0;
assign f_tbl_valid = s_tbl_tvalid && !took_f;
assign a_tbl_valid = s_tbl_tvalid && !took_a;
assign s_tbl_tready = (took_f || f_tbl_ready) && (took_a || a_tbl_ready);
always @(posedge clk) begin
    if (s_tbl_tvalid && !s_tbl_tready) begin
        if (f_tbl_valid && f_tbl_ready) took_f <= 1'b1;
        if (a_tbl_valid && a_tbl_ready) took_a <= 1'b1;
    end else begin
        took_f <= 1'b0;
        took_a <= 1'b0;
    end
    if (rst) begin
        took_f <= 1'b0;
        took_a <= 1'b0;
    end
end

// ---------------------------------------------------------------- settings of the alert stage
reg [31:0] cfg_rate = 32'd0, cfg_burst = 32'd0;
reg [7:0]  cfg_evidence = 8'd0;
always @(posedge clk) begin
    if (ap_valid && ap_table == 3'd1) begin
        cfg_rate <= ap_data[`TW_ST_ALERT_RATE];
        cfg_burst <= ap_data[`TW_ST_ALERT_BURST];
        cfg_evidence <= ap_data[`TW_ST_EVIDENCE_BYTES];
    end
    if (rst) begin
        cfg_rate <= 32'd0;
        cfg_burst <= 32'd0;
        cfg_evidence <= 8'd0;
    end
end

// ---------------------------------------------------------------- alert stage
wire [63:0] a_frames_in, a_frames_out, a_matches, a_alerts, a_records_out, a_overflow, a_rate_limited,
            a_thresholded, a_state_full, a_ignored, a_frames_alerted, a_falerts_out;
wire [31:0] a_wr_ok, a_wr_bad, a_wr_other, a_commits;
wire [191:0] a_rule_cnt;                               // {rate_limited, alerts, matches} of rule_cnt_addr[9:2]
reg  [1:0]   rule_k_q = 2'd0;
always @(posedge clk)
    rule_k_q <= rule_cnt_addr[1:0];
always @* begin
    case (rule_k_q)
        2'd0:    rule_cnt_data = a_rule_cnt[63:0];
        2'd1:    rule_cnt_data = a_rule_cnt[127:64];
        2'd2:    rule_cnt_data = a_rule_cnt[191:128];
        default: rule_cnt_data = 64'd0;
    endcase
end

tw_alert_stage #(.STATE_BUCKETS(ALERT_BUCKETS), .STATE_WAYS(ALERT_WAYS), .CNT_W(CNT_W)) alert_stage (
    .clk(clk), .rst(rst),
    .cfg_rate(cfg_rate), .cfg_burst(cfg_burst), .cfg_evidence(cfg_evidence),
    .s_tvalid(cand_valid), .s_tready(cand_ready),
    .s_meta(cand[`TW_C_META]), .s_mirror(cand[`TW_C_MIRROR]), .s_flow(cand[`TW_C_FLOW]),
    .s_flow_id(cand[`TW_C_FLOW_ID]), .s_bucket(cand[`TW_C_BUCKET]), .s_way(cand[`TW_C_WAY]),
    .s_pkts_ts(cand[`TW_C_PKTS_TS]), .s_pkts_tc(cand[`TW_C_PKTS_TC]), .s_bytes_ts(cand[`TW_C_BYTES_TS]),
    .s_bytes_tc(cand[`TW_C_BYTES_TC]),
    .s_o_svs(cand[`TW_C_O_SVS_LSB +: 8]), .s_o_dvs(cand[`TW_C_O_DVS_LSB +: 8]),
    .s_i_svs(cand[`TW_C_I_SVS_LSB +: 8]), .s_i_dvs(cand[`TW_C_I_DVS_LSB +: 8]),
    .s_alerts(cand[`TW_C_MATCHV]), .s_bank(cand[`TW_C_BANK]),
    .m_alert_tvalid(m_alert_tvalid), .m_alert_tready(m_alert_tready), .m_alert_tdata(m_alert_tdata),
    .m_falert_tvalid(wb_valid), .m_falert_tready(wb_ready), .m_falert_tdata(wb_data),
    .s_tbl_table(s_tbl_table), .s_tbl_index(s_tbl_index), .s_tbl_data(s_tbl_data), .s_tbl_tvalid(a_tbl_valid),
    .s_tbl_tready(a_tbl_ready), .rule_bank(as_rule_bank),
    .cnt_rd_addr(rule_cnt_addr[9:2]), .cnt_rd_data(a_rule_cnt), .init_done(as_init),
    .cnt_frames_in(a_frames_in), .cnt_frames_out(a_frames_out), .cnt_matches(a_matches), .cnt_alerts(a_alerts),
    .cnt_records_out(a_records_out), .cnt_overflow(a_overflow), .cnt_rate_limited(a_rate_limited),
    .cnt_thresholded(a_thresholded), .cnt_state_full(a_state_full), .cnt_ignored(a_ignored),
    .cnt_frames_alerted(a_frames_alerted), .cnt_falerts_out(a_falerts_out), .cnt_wr_ok(a_wr_ok),
    .cnt_wr_bad(a_wr_bad), .cnt_wr_other(a_wr_other), .cnt_commits(a_commits)
);
assign init_done = front_init && as_init;

// verdicts back to the flow table: it takes an item within a clock or two whatever else it waits for (an ALERT
// operation needs no credit and goes ahead of frames), so the alert stage's own output FIFO is the whole queue and
// nothing is dropped. The counter stays for the register map (contracts/counters.def WB_DROPS): always 0.
assign cnt_wb_drops = 64'd0;

// ---------------------------------------------------------------- frame done
reg [31:0] last_fseq_a = 32'd0, last_fseq_b = 32'd0;
reg        dirty_a = 1'b0, dirty_b = 1'b0;
wire       enter = cand_valid && cand_ready;
wire       enter_port = cand[`TW_C_META_LSB + `TW_M_PORT_LSB];
wire [31:0] enter_fseq = cand[`TW_C_META_LSB + `TW_M_FSEQ_LSB +: 32];
wire       stage_empty = a_frames_out == a_frames_in && a_records_out == a_alerts && !m_alert_tvalid;
wire       fin_a = stage_empty && dirty_a && !m_fin_tvalid;
wire       fin_b = stage_empty && dirty_b && !m_fin_tvalid && !dirty_a;
always @(posedge clk) begin
    if (m_fin_tvalid && m_fin_tready)
        m_fin_tvalid <= 1'b0;
    if (fin_a || fin_b) begin
        m_fin_tdata <= fin_a ? {last_fseq_a, 1'b0} : {last_fseq_b, 1'b1};
        m_fin_tvalid <= 1'b1;
    end
    if (fin_a) dirty_a <= 1'b0;
    if (fin_b) dirty_b <= 1'b0;
    if (enter && !enter_port) begin
        last_fseq_a <= enter_fseq;
        dirty_a <= 1'b1;
    end
    if (enter && enter_port) begin
        last_fseq_b <= enter_fseq;
        dirty_b <= 1'b1;
    end
    if (rst) begin
        m_fin_tvalid <= 1'b0;
        dirty_a <= 1'b0;
        dirty_b <= 1'b0;
    end
end

// ---------------------------------------------------------------- counters (contracts/counters.def CNT_DET_*)
// CNT_W = 64: the 32 counters through a registered multiplexer (data one clock after cnt_addr). CNT_W < 64: the
// blocks count CNT_W bits and wrap; tw_cnt_ext extends the 28 counters of them to 64 bits (data three clocks after
// cnt_addr, as tw_regfile allows), the table-write counters (18..20, 32 bits) and entry 31 (two 32-bit halves)
// come through a registered multiplexer of the same latency.
generate
    if (CNT_W >= 64) begin : g_cnt64
        reg [63:0] cnt_q = 64'd0;
        always @(posedge clk) begin
            case (cnt_addr)
                5'd0:  cnt_q <= c_records;
                5'd1:  cnt_q <= c_cands;
                5'd2:  cnt_q <= c_recs;
                5'd3:  cnt_q <= c_alert_ops;
                5'd4:  cnt_q <= c_dg_lookups;
                5'd5:  cnt_q <= c_dg_mirror;
                5'd6:  cnt_q <= c_dg_inserts;
                5'd7:  cnt_q <= c_dg_replaced;
                5'd8:  cnt_q <= c_fl_created;
                5'd9:  cnt_q <= c_fl_evicted;
                5'd10: cnt_q <= c_fl_sweeps;
                5'd11: cnt_q <= c_fl_no_ip;
                5'd12: cnt_q <= c_eng_frames;
                5'd13: cnt_q <= c_eng_no_ip;
                5'd14: cnt_q <= c_eng_matches;
                5'd15: cnt_q <= c_eng_alerts;
                5'd16: cnt_q <= c_eng_overflow;
                5'd17: cnt_q <= c_eng_suppressed;
                5'd18: cnt_q <= {32'd0, c_wr_ok};
                5'd19: cnt_q <= {32'd0, c_wr_bad};
                5'd20: cnt_q <= {32'd0, c_commits};
                5'd21: cnt_q <= a_alerts;
                5'd22: cnt_q <= a_overflow;
                5'd23: cnt_q <= a_frames_out;
                5'd24: cnt_q <= a_rate_limited;
                5'd25: cnt_q <= a_thresholded;
                5'd26: cnt_q <= a_state_full;
                5'd27: cnt_q <= a_frames_alerted;
                5'd28: cnt_q <= a_matches;
                5'd29: cnt_q <= a_ignored;
                5'd30: cnt_q <= a_falerts_out;
                5'd31: cnt_q <= {a_wr_bad, a_wr_other};
                default: cnt_q <= 64'd0;
            endcase
        end
        assign cnt_data = cnt_q;
    end else begin : g_cnt_ext
        localparam integer W = CNT_W;
        wire [32*W-1:0] cur = {                                                                   // counter c at c*W
            {W{1'b0}}, a_falerts_out[W-1:0], a_ignored[W-1:0], a_matches[W-1:0], a_frames_alerted[W-1:0],  // 31..27
            a_state_full[W-1:0], a_thresholded[W-1:0], a_rate_limited[W-1:0], a_frames_out[W-1:0], // 26..23
            a_overflow[W-1:0], a_alerts[W-1:0], {(3*W){1'b0}},                                     // 22, 21, 20..18
            c_eng_suppressed[W-1:0], c_eng_overflow[W-1:0], c_eng_alerts[W-1:0], c_eng_matches[W-1:0], // 17..14
            c_eng_no_ip[W-1:0], c_eng_frames[W-1:0], c_fl_no_ip[W-1:0], c_fl_sweeps[W-1:0],         // 13..10
            c_fl_evicted[W-1:0], c_fl_created[W-1:0], c_dg_replaced[W-1:0], c_dg_inserts[W-1:0],    // 9..6
            c_dg_mirror[W-1:0], c_dg_lookups[W-1:0], c_alert_ops[W-1:0], c_recs[W-1:0],              // 5..2
            c_cands[W-1:0], c_records[W-1:0]};                                                       // 1, 0
        wire [63:0] ext_data;
        tw_cnt_ext #(.N(32), .AW(5), .W(W)) u_ext (
            .clk(clk), .rst(rst), .cur(cur), .cnt_addr({3'd0, cnt_addr}), .cnt_data(ext_data)
        );
        reg [63:0] dir_q = 64'd0, dir_q2 = 64'd0, dir_q3 = 64'd0;
        reg        is_dir_q = 1'b0, is_dir_q2 = 1'b0, is_dir_q3 = 1'b0;
        always @(posedge clk) begin
            case (cnt_addr)
                5'd18:   dir_q <= {32'd0, c_wr_ok};
                5'd19:   dir_q <= {32'd0, c_wr_bad};
                5'd20:   dir_q <= {32'd0, c_commits};
                5'd31:   dir_q <= {a_wr_bad, a_wr_other};
                default: dir_q <= 64'd0;
            endcase
            is_dir_q  <= cnt_addr == 5'd18 || cnt_addr == 5'd19 || cnt_addr == 5'd20 || cnt_addr == 5'd31;
            dir_q2    <= dir_q;
            is_dir_q2 <= is_dir_q;
            dir_q3    <= dir_q2;
            is_dir_q3 <= is_dir_q2;
        end
        assign cnt_data = is_dir_q3 ? dir_q3 : ext_data;
        /* verilator lint_off UNUSEDSIGNAL */
        wire unused_hi = &{1'b0, c_records, c_cands, c_recs, c_alert_ops, c_dg_lookups, c_dg_mirror, c_dg_inserts,
                           c_dg_replaced, c_fl_created, c_fl_evicted, c_fl_sweeps, c_fl_no_ip, c_eng_frames,
                           c_eng_no_ip, c_eng_matches, c_eng_alerts, c_eng_overflow, c_eng_suppressed, a_alerts,
                           a_overflow, a_frames_out, a_rate_limited, a_thresholded, a_state_full, a_frames_alerted,
                           a_matches, a_ignored, a_falerts_out};   // their bits above CNT_W are 0
        /* verilator lint_on UNUSEDSIGNAL */
    end
endgenerate

/* verilator lint_off UNUSEDSIGNAL */
wire unused_ok = &{1'b0, a_wr_ok, a_commits, as_rule_bank};  // equal to the front's (tested by the alert stage's own tests)
/* verilator lint_on UNUSEDSIGNAL */

endmodule

`resetall
