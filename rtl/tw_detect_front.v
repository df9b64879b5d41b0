// tw_detect_front: the detection pipeline's front (docs/engine-front.md). Joins the flow table (tw_flow_table),
// the mirror-copy digest table (tw_digest_table) and the match engine (tw_engine) so that every parser metadata
// record gives, in record order, ONE candidate word for the alert stage (m_cand, layout rtl/tw_cand.vh), and the
// flow table's records come out numbered (m_rec, contracts/flow_rec.def).
//
// Per record, as the reference detector (host/src/detect.c) orders it: flow access (+ sweep), digest lookup (inner)
// then insert (outer), then every rule with the mirror bit; the alert stage then decides the alerts and writes the
// frame's `alerted` back into the flow table through s_alert.
//
//   s_meta --+--> tw_flow_table  (access + sweep) ------------------------------ result --+
//            +--> tw_digest_table (lookup + insert) -- mirror bit --+                     |
//            +--> record FIFO E (block RAM) -----------------------+--> tw_engine -- res -+--> join --> m_cand
//            +--> record FIFO O (block RAM) ---------------------------------------------+
//   tw_flow_table m_rec --> seq numbering --> m_rec
//   s_alert ---> tw_flow_table ALERT / decided (one item per candidate; flow records are held until their frame is
//                decided, so `alerted` is the reference's at line rate)
//                                             flush_req --> (after every candidate is out) --> tw_flow_table FLUSH
//
// A record is accepted only when the flow table, the digest table and both record FIFOs take it on the same clock
// (fewer than 2^REC_FIFO_W records inside the front, no flush pending or running). Back-pressure on m_cand or m_rec
// stalls s_meta_tready; nothing is dropped, so nothing here needs a drop counter. A source of s_alert items that
// stops (no verdicts) stalls the front once the flow table's hold queue is full: every candidate needs its item.
//
// Table port (s_tbl_*) = tw_engine's. The SETTINGS command that the engine applies (a good one) also sets the mirror
// window (mirror_window_ms x 10^6 ns) and the flow idle and hard timeouts (x 10^9 ns); reset values are the
// reference defaults (100 ms, 60 s, 600 s). The applied command is also given out on ap_* (one clock per applied
// table command) so the alert stage can keep its own copies (rule identity/threshold fields, evidence bytes, rate).
//
// m_cand_tdata (`TW_C_WIDTH bits, rtl/tw_cand.vh), LSB first:
//   [0] mirror  [1] flow  [2] toclient  [3] rule bank  [19:4] flow bucket  [23:20] way  [87:24] flow_id
//   ([87:4] is exactly the s_alert word)  [151:88] pkts_toserver  [215:152] pkts_toclient  [279:216] bytes_toserver
//   [343:280] bytes_toclient (after this frame; 0 without a flow)  [351:344] outer src MAC vendor sets
//   [359:352] outer dst  [367:360] inner src  [375:368] inner dst  [631:376] match vector (bit r = rule r matched,
//   alert or pass)  [640:632] alert matches not suppressed  [649:641] every matching rule  [658:650] suppressed ones
//   [663:659] 0  [663+`TW_M_WIDTH:664] the metadata record.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_meta.vh"
`include "tw_oui_entry.vh"
`include "tw_cand.vh"
`include "tw_flow_rec.vh"
`include "tw_rule_entry.vh"
`include "tw_settings.vh"

module tw_detect_front #(
    parameter integer OUI_BUCKETS  = `TW_OUI_BUCKETS,
    parameter integer OUI_BW       = 11,
    parameter integer FLOW_BUCKETS = 4096,
    parameter integer FLOW_WAYS    = 4,
    parameter integer FCS_BYTES    = 0,
    parameter integer DIGEST_SETS  = 8192,
    parameter integer DIGEST_WAYS  = 2,
    parameter integer DIGEST_HASH_STEP = 0, // tw_digest_table HASH_STEP_BITS: 0 = one-clock CRC trees (reference);
                                            // 8..448 (multiple of 8 dividing 448) = that many bits hashed per clock
                                            // (the small-FPGA option: fewer LUTs, fewer records per clock)
    parameter integer REC_CLOCKS   = 4,       // tw_engine small-FPGA options (docs/engine.md "Small configuration"):
    parameter integer NEVAL        = 64,      // clocks per record, rule evaluators, prefix and port scan units;
    parameter integer PFX_UNITS    = 0,       // the defaults are the reference engine
    parameter integer PRT_UNITS    = 0,
    parameter integer PFX_SEARCH   = 0,
    parameter integer REC_FIFO_W   = 5,     // log2 of the record FIFOs' depth = records inside the front at most
    parameter integer FLOW_HOLD    = 32,    // flow records held until their frame is decided (power of two)
    parameter integer CNT_W        = 64     // bits the statistics counters keep (tw_detect extends them to 64)
) (
    input  wire                        clk,
    input  wire                        rst,
    // parser metadata (tw_tap_parse_top m_meta)
    input  wire [`TW_M_WIDTH-1:0]      s_meta_tdata,
    input  wire                        s_meta_tvalid,
    output wire                        s_meta_tready,
    // table writes and commit (tw_engine's port)
    input  wire [2:0]                  s_tbl_table,
    input  wire [15:0]                 s_tbl_index,
    input  wire [`TW_RE_WIDTH-1:0]     s_tbl_data,
    input  wire                        s_tbl_tvalid,
    output wire                        s_tbl_tready,
    output wire                        rule_bank,
    // the table command the engine applied (valid one clock), for the alert stage's copies
    output wire                        ap_valid,
    output wire [2:0]                  ap_table,
    output wire [15:0]                 ap_index,
    output wire [`TW_RE_WIDTH-1:0]     ap_data,
    // candidates
    output wire [`TW_C_WIDTH-1:0]      m_cand_tdata,
    output wire                        m_cand_tvalid,
    input  wire                        m_cand_tready,
    // flow records
    output wire [`TW_FR_WIDTH-1:0]     m_rec_tdata,
    output wire                        m_rec_tvalid,
    input  wire                        m_rec_tready,
    // the alert stage's verdicts: ONE item per candidate, in candidate order: [84] the frame raised an alert and has a
    // flow, [83:0] its ALERT operand {flow_id, way, bucket} (= cand[`TW_C_ALERT_OP]); [84] = 0: decided, no alert
    input  wire [84:0]                 s_alert_tdata,
    input  wire                        s_alert_tvalid,
    output wire                        s_alert_tready,
    // end of input: emit every flow (after every record inside the front came out as a candidate)
    input  wire                        flush_req,
    output wire                        flush_busy,
    output wire                        init_done,
    // settings in use
    output reg  [63:0]                 cfg_window_ns,
    output reg  [63:0]                 cfg_idle_ns,
    output reg  [63:0]                 cfg_hard_ns,
    // counters (64-bit): records in, candidates out, flow records out, ALERT write-backs taken; digest lookups
    // (frames with an inner IP packet), mirror copies, inserts, inserts that replaced a live digest; flow table
    output reg  [63:0]                 cnt_records,
    output reg  [63:0]                 cnt_cands,
    output reg  [63:0]                 cnt_recs,
    output reg  [63:0]                 cnt_alert_ops,
    output reg  [63:0]                 cnt_dg_lookups,
    output reg  [63:0]                 cnt_dg_mirror,
    output reg  [63:0]                 cnt_dg_inserts,
    output reg  [63:0]                 cnt_dg_replaced,
    output wire [63:0]                 cnt_fl_created,
    output wire [63:0]                 cnt_fl_evicted,
    output wire [63:0]                 cnt_fl_sweeps,
    output wire [63:0]                 cnt_fl_no_ip,
    // the engine's counters (docs/engine.md)
    output wire [63:0]                 cnt_eng_frames,
    output wire [63:0]                 cnt_eng_no_ip,
    output wire [63:0]                 cnt_eng_matches,
    output wire [63:0]                 cnt_eng_alerts,
    output wire [63:0]                 cnt_eng_overflow,
    output wire [63:0]                 cnt_eng_suppressed,
    output wire [31:0]                 cnt_wr_ok,
    output wire [31:0]                 cnt_wr_bad,
    output wire [31:0]                 cnt_commits
);

localparam integer MW = `TW_M_WIDTH;
localparam [63:0] CNT_MASK = CNT_W >= 64 ? ~64'd0 : ~(~64'd0 << CNT_W);   // the statistics counters' bits
localparam integer ERW = 498;                 // tw_engine result width
localparam integer DEPTH = 1 << REC_FIFO_W;

// ---- settings from the applied SETTINGS command ----
always @(posedge clk) begin
    if (rst) begin
        cfg_window_ns <= 64'd100000000;
        cfg_idle_ns   <= 64'd60000000000;
        cfg_hard_ns   <= 64'd600000000000;
    end else if (ap_valid && ap_table == 3'd1) begin
        cfg_window_ns <= {32'd0, ap_data[`TW_ST_MIRROR_WINDOW_MS]} * 64'd1000000;
        cfg_idle_ns   <= {32'd0, ap_data[`TW_ST_FLOW_TIMEOUT_S]} * 64'd1000000000;
        cfg_hard_ns   <= {32'd0, ap_data[`TW_ST_FLOW_HARD_TIMEOUT_S]} * 64'd1000000000;
    end
end

// ---- input fork ----
reg  flush_hold;                             // flush requested, not yet passed to the flow table
reg  flush_pend;                             // from flush_req until the flow table's flush is over: no records
reg  [REC_FIFO_W:0] n_in;                  // records accepted and not yet out as candidates
wire fl_in_ready, dg_in_ready, fe_ready, fo_ready;
wire fl_init, dg_init;
wire room = n_in < DEPTH[REC_FIFO_W:0];
assign init_done = fl_init && dg_init;
wire take_ok = fl_in_ready && dg_in_ready && fe_ready && fo_ready && room && !flush_pend;
assign s_meta_tready = take_ok;
wire take = s_meta_tvalid && take_ok;

// ---- flow table ----
wire         fl_res_valid, fl_res_ready;
/* verilator lint_off UNUSEDSIGNAL */
wire [489:0] fl_res;   // the fields the candidate needs are used
/* verilator lint_on UNUSEDSIGNAL */
wire [788:0] fl_rec;
/* verilator lint_off UNUSEDSIGNAL */
wire         fl_user_unused, dg_user_unused;
/* verilator lint_on UNUSEDSIGNAL */
reg          fl_flush;
wire         fl_flush_busy;

tw_flow_table #(.BUCKETS(FLOW_BUCKETS), .WAYS(FLOW_WAYS), .SWEEP_EVERY(1), .FCS_BYTES(FCS_BYTES), .USER_W(1),
                .RES_DEPTH(16), .BATCH_DEPTH(4), .HOLD_DEPTH(FLOW_HOLD), .CNT_W(CNT_W)) u_flow (
    .clk(clk), .rst(rst), .cfg_idle_ns(cfg_idle_ns), .cfg_hard_ns(cfg_hard_ns),
    .s_axis_tvalid(s_meta_tvalid && take_ok), .s_axis_tready(fl_in_ready), .s_axis_tdata(s_meta_tdata),
    .s_axis_tuser(1'b0),
    .m_axis_tvalid(fl_res_valid), .m_axis_tready(fl_res_ready), .m_axis_tdata(fl_res),
    .m_axis_tuser(fl_user_unused),
    .m_rec_tvalid(m_rec_tvalid), .m_rec_tready(m_rec_tready), .m_rec_tdata(fl_rec),
    .s_alert_tvalid(s_alert_tvalid), .s_alert_tready(s_alert_tready), .s_alert_tdata(s_alert_tdata),
    .flush_req(fl_flush), .flush_busy(fl_flush_busy),
    .init_done(fl_init), .cnt_created(cnt_fl_created), .cnt_evicted(cnt_fl_evicted), .cnt_sweeps(cnt_fl_sweeps),
    .cnt_no_ip(cnt_fl_no_ip)
);

// flow records: numbered from 0 in emission order
reg [31:0] rec_seq;
assign m_rec_tdata = {rec_seq, 3'b000, fl_rec};

// flush: held until every record inside the front came out as a candidate, then one pulse to the flow table
assign flush_busy = flush_pend || fl_flush_busy;

// ---- digest table ----
wire         dg_res_valid, dg_res_ready;
/* verilator lint_off UNUSEDSIGNAL */
wire [131:0] dg_res;   // the fields the candidate needs are used
/* verilator lint_on UNUSEDSIGNAL */

tw_digest_table #(.SETS(DIGEST_SETS), .WAYS(DIGEST_WAYS), .USER_W(1), .OUT_DEPTH(16),
                  .HASH_STEP_BITS(DIGEST_HASH_STEP)) u_digest (
    .clk(clk), .rst(rst), .cfg_window_ns(cfg_window_ns),
    .s_axis_tvalid(s_meta_tvalid && take_ok), .s_axis_tready(dg_in_ready), .s_axis_tdata(s_meta_tdata),
    .s_axis_tuser(1'b0),
    .m_axis_tvalid(dg_res_valid), .m_axis_tready(dg_res_ready), .m_axis_tdata(dg_res),
    .m_axis_tuser(dg_user_unused),
    .init_done(dg_init)
);

// ---- record FIFOs: E feeds the engine, O waits for the join ----
wire [MW-1:0] fe_data, fo_data;
wire          fe_valid, fe_ready_eng, fo_valid, fo_pop;

tw_sync_fifo #(.WIDTH(MW), .DEPTH_W(REC_FIFO_W)) u_fifo_e (
    .clk(clk), .rst(rst),
    .s_data(s_meta_tdata), .s_valid(take), .s_ready(fe_ready),
    .m_data(fe_data), .m_valid(fe_valid), .m_ready(fe_ready_eng)
);
tw_sync_fifo #(.WIDTH(MW), .DEPTH_W(REC_FIFO_W)) u_fifo_o (
    .clk(clk), .rst(rst),
    .s_data(s_meta_tdata), .s_valid(take), .s_ready(fo_ready),
    .m_data(fo_data), .m_valid(fo_valid), .m_ready(fo_pop)
);

// ---- engine: the record joined with its mirror bit ----
/* verilator lint_off UNUSEDSIGNAL */
wire [ERW-1:0] er;   // the fields the candidate needs are used
/* verilator lint_on UNUSEDSIGNAL */
wire           er_valid, er_ready;
/* verilator lint_off UNUSEDSIGNAL */
wire [63:0]    eng_results_unused, eng_mirror_unused;
wire [31:0]    eng_lost_unused;
/* verilator lint_on UNUSEDSIGNAL */

tw_engine #(.OUI_BUCKETS(OUI_BUCKETS), .OUI_BW(OUI_BW), .REC_CLOCKS(REC_CLOCKS), .NEVAL(NEVAL), .PFX_UNITS(PFX_UNITS),
            .PRT_UNITS(PRT_UNITS), .PFX_SEARCH(PFX_SEARCH), .CNT_W(CNT_W)) u_engine (
    .clk(clk), .rst(rst),
    .s_meta_tdata(fe_data), .s_meta_tvalid(fe_valid), .s_meta_tready(fe_ready_eng),
    .s_mc_tdata(dg_res[0]), .s_mc_tvalid(dg_res_valid), .s_mc_tready(dg_res_ready),
    .s_tbl_table(s_tbl_table), .s_tbl_index(s_tbl_index), .s_tbl_data(s_tbl_data), .s_tbl_tvalid(s_tbl_tvalid),
    .s_tbl_tready(s_tbl_tready), .rule_bank(rule_bank),
    .ap_valid(ap_valid), .ap_table(ap_table), .ap_index(ap_index), .ap_data(ap_data),
    .m_res_tdata(er), .m_res_tvalid(er_valid), .m_res_tready(er_ready),
    .cnt_frames(cnt_eng_frames), .cnt_results(eng_results_unused), .cnt_no_ip(cnt_eng_no_ip),
    .cnt_mirror(eng_mirror_unused), .cnt_matches(cnt_eng_matches), .cnt_alerts(cnt_eng_alerts),
    .cnt_overflow(cnt_eng_overflow), .cnt_suppressed(cnt_eng_suppressed), .cnt_wr_ok(cnt_wr_ok),
    .cnt_wr_bad(cnt_wr_bad), .cnt_commits(cnt_commits), .cnt_res_lost(eng_lost_unused)
);

// ---- join: engine result + flow result + record -> candidate ----
wire all_v = er_valid && fl_res_valid && fo_valid;
wire cand_go = all_v && m_cand_tready;
assign m_cand_tvalid = all_v;
assign er_ready = cand_go;
assign fl_res_ready = cand_go;
assign fo_pop = cand_go;

wire fl_has = fl_res[0];
reg [`TW_C_WIDTH-1:0] cand;
always @(*) begin
    cand = {`TW_C_WIDTH{1'b0}};
    cand[`TW_C_MIRROR]   = er[145];
    cand[`TW_C_FLOW]     = fl_has;
    cand[`TW_C_TOCLIENT] = fl_has && fl_res[1];
    cand[`TW_C_BANK]     = er[241];
    if (fl_has) begin
        cand[`TW_C_BUCKET]   = fl_res[485:470];
        cand[`TW_C_WAY]      = fl_res[489:486];
        cand[`TW_C_FLOW_ID]  = fl_res[85:22];
        cand[`TW_C_PKTS_TS]  = fl_res[149:86];
        cand[`TW_C_PKTS_TC]  = fl_res[213:150];
        cand[`TW_C_BYTES_TS] = fl_res[277:214];
        cand[`TW_C_BYTES_TC] = fl_res[341:278];
    end
    cand[`TW_C_O_SVS_LSB +: 32] = er[144:113];
    cand[`TW_C_MATCHV]      = er[497:242];
    cand[`TW_C_N_ALERTS]    = {5'd0, er[149:146]} + er[222:214];
    cand[`TW_C_MATCHES]     = er[231:223];
    cand[`TW_C_SUPPRESSED]  = er[240:232];
    cand[`TW_C_META]        = fo_data;
end
assign m_cand_tdata = cand;

// ---- bookkeeping ----
wire rec_go = m_rec_tvalid && m_rec_tready;
wire dg_go = dg_res_valid && dg_res_ready;
always @(posedge clk) begin
    fl_flush <= 1'b0;
    if (rst) begin
        n_in          <= {(REC_FIFO_W+1){1'b0}};
        rec_seq         <= 32'd0;
        flush_pend      <= 1'b0;
        flush_hold      <= 1'b0;
        cnt_records     <= 64'd0;
        cnt_cands       <= 64'd0;
        cnt_recs        <= 64'd0;
        cnt_alert_ops   <= 64'd0;
        cnt_dg_lookups  <= 64'd0;
        cnt_dg_mirror   <= 64'd0;
        cnt_dg_inserts  <= 64'd0;
        cnt_dg_replaced <= 64'd0;
    end else begin
        n_in <= n_in + {{REC_FIFO_W{1'b0}}, take} - {{REC_FIFO_W{1'b0}}, cand_go};
        if (rec_go) rec_seq <= rec_seq + 32'd1;
        if (flush_req && !flush_pend) begin
            flush_pend <= 1'b1;
            flush_hold <= 1'b1;
        end
        if (flush_pend && flush_hold && n_in == {(REC_FIFO_W+1){1'b0}}) begin
            fl_flush   <= 1'b1;           // the flow table's flush_busy rises on the next clock
            flush_hold <= 1'b0;
        end
        if (flush_pend && !flush_hold && !fl_flush && !fl_flush_busy) flush_pend <= 1'b0;
        if (take) cnt_records <= (cnt_records + 64'd1) & CNT_MASK;
        if (cand_go) cnt_cands <= (cnt_cands + 64'd1) & CNT_MASK;
        if (rec_go) cnt_recs <= (cnt_recs + 64'd1) & CNT_MASK;
        if (s_alert_tvalid && s_alert_tready && s_alert_tdata[84]) cnt_alert_ops <= (cnt_alert_ops + 64'd1) & CNT_MASK;
        if (dg_go) begin
            cnt_dg_lookups  <= (cnt_dg_lookups + {63'd0, dg_res[1]}) & CNT_MASK;
            cnt_dg_mirror   <= (cnt_dg_mirror + {63'd0, dg_res[0]}) & CNT_MASK;
            cnt_dg_inserts  <= (cnt_dg_inserts + {63'd0, dg_res[2]}) & CNT_MASK;
            cnt_dg_replaced <= (cnt_dg_replaced + {63'd0, dg_res[3]}) & CNT_MASK;
        end
    end
end

endmodule

`resetall
