`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
`include "tw_rule_entry.vh"
`include "tw_alert_rec.vh"
// tw_alert_stage: the detection engine's last stage (docs/alert-stage.md). Per frame it takes the parser record,
// the flow and digest results and the match vector (every matching rule, alert and pass) and, for each set bit in
// rule order, exactly as the reference detector (host/src/detect.c, docs/detection.md "Rules" 2..4): counts the
// match for the rule; a pass rule, or an alert rule after a matching pass rule of the frame (suppressed), ends
// there (its visit only counts); every other alert rule goes through
//   1. threshold / detection_filter and volume state: a hash table of STATE_BUCKETS x STATE_WAYS entries in block
//      RAM (48-byte key, CRC-32C bucket, {CRC-32C, CRC-32} tag, windows in ns; no free way: counted, alerts);
//   2. the rule's GCRA rate limiter (64-bit tat per rule in block RAM; T, tau from cfg_rate / cfg_burst);
//   3. the cut at MAX_ALERTS alerts per frame;
// and emits alert records (contracts/alert_rec.def, evidence bytes appended later by the top) on m_alert, ONE item
// per frame on m_falert, in frame (input) order: {1, bucket, way, flow_id} (the flow table's ALERT operand) for a frame
// with an alert and a flow, else {0, ...} (the frame is decided); the flow table holds its flow records until their
// frame is decided (docs/engine-front.md). Frames without a match are done on entry, those with matches after their
// walk, so a queue of 2^ORD_W entries puts the items back in order. Per-rule counters (matches, alerts,
// rate_limited) are in block RAM behind a registered read port.
//
// Walk: a picker takes the lowest remaining bit of the frame's vector every 2 clocks (isolate rem & -rem, then
// encode); each pick is a "visit" that flows through a fixed 9-stage pipeline without stalls:
//   VP rule RAM read {bank, rule}        V0 rule word registered (the RAM's output register)
//                                        V1 keys, threshold key CRCs (384-bit XOR trees), windows in ns
//   V2 state read (threshold key), volume key CRCs (the same trees)
//                                        V3 threshold D1: test the ways, pick one; state read (volume key)
//   V4 threshold D2: update, write back; volume D1
//                                        V5 volume D2, write back; tat read
//   V6 decision, GCRA, cut, tat write; counter read
//                                        V7 counters write back, alert record and flow-alert pushed
// State operations issue one per clock; each is tested the clock after its read (D1) and written back the clock
// after that (D2). The RAM is read-first: a one-entry bypass register supplies the write of the read's own edge, and
// D1 accounts for the write still pending in D2 (docs/alert-stage.md), so the table sees the reference's sequential
// order. Visits are 2 clocks apart, so the tat and counter RAMs are read after the previous visit's write has
// landed. Back-pressure: a visit is issued only when both output FIFOs have room for every visit in flight (credit),
// so a stalled consumer stalls the input, never drops.
//
// Table port (like tw_engine's s_tbl_*): table 5 RULE writes the rule fields this stage needs into the shadow bank,
// table 6 COMMIT swaps the banks; tables 1..4 and 7 are other blocks' (consumed, counted in cnt_wr_other); anything
// else, or a rule index >= 256, is consumed and counted in cnt_wr_bad. Each frame reads the bank given with it
// (s_bank). Writes wait while a frame of the shadow bank is inside this stage.
module tw_alert_stage #(
    parameter integer STATE_BUCKETS = 1024,   // power of two
    parameter integer STATE_WAYS    = 4,      // 1..8
    parameter integer MAX_ALERTS    = 8,      // 1..8
    parameter integer FCS_BYTES     = 0,
    parameter integer NSLOT         = 8,      // frames inside the stage at once (power of two)
    parameter integer OUT_DEPTH_W   = 3,      // output FIFOs: 2^OUT_DEPTH_W entries (+ output register)
    parameter integer ORD_W         = 4,      // frames between entry and their m_falert item: 2^ORD_W at most
    parameter integer CNT_W         = 64      // bits the statistics counters keep (tw_detect extends them to 64)
) (
    input  wire                      clk,
    input  wire                      rst,
    input  wire [31:0]               cfg_rate,      // alerts per second per rule, 0: no limit
    input  wire [31:0]               cfg_burst,     // bucket depth in alerts
    input  wire [7:0]                cfg_evidence,  // evidence bytes per alert (0..128; more is taken as 128)

    input  wire                      s_tvalid,
    output wire                      s_tready,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [`TW_M_WIDTH-1:0]    s_meta,        // the fields of an alert record and the layers' addresses
    /* verilator lint_on UNUSEDSIGNAL */
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
    input  wire [255:0]              s_alerts,      // match vector, bit r = rule r matched (alert or pass rule)
    input  wire                      s_bank,        // the rule bank the frame was matched with

    output wire                      m_alert_tvalid,
    input  wire                      m_alert_tready,
    output wire [`TW_AR_WIDTH-1:0]   m_alert_tdata,

    output wire                      m_falert_tvalid,
    input  wire                      m_falert_tready,
    output wire [84:0]               m_falert_tdata, // [84] alert, [15:0] bucket, [19:16] way, [83:20] flow_id

    input  wire [2:0]                s_tbl_table,
    input  wire [15:0]               s_tbl_index,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [`TW_RE_WIDTH-1:0]   s_tbl_data,    // the packed rule entry (only the fields this stage needs)
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire                      s_tbl_tvalid,
    output wire                      s_tbl_tready,
    output reg                       rule_bank,     // the active bank (writes go to the other one)

    input  wire [7:0]                cnt_rd_addr,   // per-rule counters: rule index
    output wire [191:0]              cnt_rd_data,   // {rate_limited, alerts, matches}: one or two clocks after
                                                   // cnt_rd_addr, then held while it stays

    output reg                       init_done,
    output reg  [63:0]               cnt_frames_in,
    output reg  [63:0]               cnt_frames_out,    // frames whose every visit is done
    output reg  [63:0]               cnt_matches,       // visits of alert rules not suppressed (+ ignored)
    output reg  [63:0]               cnt_alerts,        // records generated (pushed into the output FIFO)
    output reg  [63:0]               cnt_records_out,   // records delivered on m_alert
    output reg  [63:0]               cnt_overflow,      // alerts beyond MAX_ALERTS in a frame (dropped)
    output reg  [63:0]               cnt_rate_limited,
    output reg  [63:0]               cnt_thresholded,   // matches held back by threshold / volume
    output reg  [63:0]               cnt_state_full,    // state accesses without a free way (alerted)
    output reg  [63:0]               cnt_ignored,       // bits of rules that are neither valid alert nor pass rules
    output reg  [63:0]               cnt_frames_alerted,
    output reg  [63:0]               cnt_falerts_out,   // flow-alert operands ([84] = 1) delivered on m_falert
    output reg  [31:0]               cnt_wr_ok,
    output reg  [31:0]               cnt_wr_bad,
    output reg  [31:0]               cnt_wr_other,
    output reg  [31:0]               cnt_commits
);
    localparam integer SBW   = $clog2(STATE_BUCKETS);
    localparam [63:0] CNT_MASK = CNT_W >= 64 ? ~64'd0 : ~(~64'd0 << CNT_W);   // the statistics counters' bits
    localparam integer SLW   = $clog2(NSLOT);
    localparam integer ODEP  = 1 << OUT_DEPTH_W;
    localparam [2:0] T_RULE = 3'd5, T_COMMIT = 3'd6;

    // ---------------------------------------------------------------- rule fields (banked, 2 x 256 entries)
    // valid 0, action 1, inner 2, thr_type 5:3, thr_track 8:6, thr_count 40:9, thr_seconds 72:41, vol_v 73,
    // vol_track 76:74, vol_bytes 124:77, vol_seconds 156:125, sid 188:157, rev 220:189, gid 252:221, prio 260:253
    localparam integer RF_W = 261;
    localparam integer F_VALID = 0, F_ACTION = 1, F_INNER = 2, F_TTYPE = 3, F_TTRACK = 6, F_TCOUNT = 9,
                       F_TSEC = 41, F_VOLV = 73, F_VTRACK = 74, F_VBYTES = 77, F_VSEC = 125, F_SID = 157,
                       F_REV = 189, F_GID = 221, F_PRIO = 253;
    wire [RF_W-1:0] tbl_rf = {s_tbl_data[`TW_RE_PRIO], s_tbl_data[`TW_RE_GID], s_tbl_data[`TW_RE_REV],
                              s_tbl_data[`TW_RE_SID], s_tbl_data[`TW_RE_VOL_SECONDS], s_tbl_data[`TW_RE_VOL_BYTES],
                              s_tbl_data[`TW_RE_VOL_TRACK], s_tbl_data[`TW_RE_VOL_V],
                              s_tbl_data[`TW_RE_THR_SECONDS], s_tbl_data[`TW_RE_THR_COUNT],
                              s_tbl_data[`TW_RE_THR_TRACK], s_tbl_data[`TW_RE_THR_TYPE], s_tbl_data[`TW_RE_INNER],
                              s_tbl_data[`TW_RE_ACTION], s_tbl_data[`TW_RE_VALID]};
    reg  [RF_W-1:0] rmem [0:511];
    reg  [RF_W-1:0] rq;
    reg             rwr_en;
    reg  [8:0]      rwr_addr;
    reg  [RF_W-1:0] rwr_data;
    wire [8:0]      rrd_addr;

    // ---------------------------------------------------------------- frame slots
    // a layer: ver 3:0, proto 11:4, ports_v 12, src 140:13, dst 268:141, sport 284:269, dport 300:285,
    // vlan_n 302:301, vid0 314:303, vid1 326:315, svs 334:327, dvs 342:335
    localparam integer LY_W = 343;
    localparam integer L_VER = 0, L_PROTO = 4, L_PV = 12, L_SRC = 13, L_DST = 141, L_SP = 269, L_DP = 285,
                       L_VN = 301, L_V0 = 303, L_V1 = 315, L_SVS = 327, L_DVS = 335;
    function [LY_W-1:0] layer;
        input [3:0] ver;
        input [7:0] proto;
        input       l4;
        input [127:0] src, dst;
        input [15:0] sport, dport;
        input [1:0] vn;
        /* verilator lint_off UNUSEDSIGNAL */
        input [15:0] tci0, tci1;   // the VLAN id bits
        /* verilator lint_on UNUSEDSIGNAL */
        input [7:0] svs, dvs;
        reg pv;
        begin
            pv = l4 && (proto == 8'd6 || proto == 8'd17 || proto == 8'd132);
            layer = {dvs, svs, tci1[11:0], tci0[11:0], (vn == 2'd3) ? 2'd2 : vn, pv ? dport : 16'd0,
                     pv ? sport : 16'd0, dst, src, pv, proto, ver};
        end
    endfunction

    reg [63:0]      fb_ts    [0:NSLOT-1];
    reg [15:0]      fb_len   [0:NSLOT-1];
    reg [32:0]      fb_pseq  [0:NSLOT-1];   // {port, fseq}
    reg [1:0]       fb_fm    [0:NSLOT-1];   // {flow, mirror}
    reg [83:0]      fb_fop   [0:NSLOT-1];   // {flow_id, way, bucket}
    reg [255:0]     fb_cnt   [0:NSLOT-1];   // {bytes_tc, bytes_ts, pkts_tc, pkts_ts}
    reg [36:0]      fb_tun   [0:NSLOT-1];   // {tun_id, tun_id_v, tun_kind}
    reg [LY_W-1:0]  fb_lo    [0:NSLOT-1];
    reg [LY_W-1:0]  fb_li    [0:NSLOT-1];
    reg [1:0]       fb_sw    [0:NSLOT-1];   // {inner, outer}: the layer's source address above its destination
    reg [NSLOT-1:0] slot_free;

    // ---------------------------------------------------------------- init walk
    localparam integer INIT_N = (STATE_BUCKETS > 256) ? STATE_BUCKETS : 256;
    localparam integer IW = $clog2(INIT_N) + 1;
    reg  [IW-1:0] init_ctr;
    wire          init_busy = !init_done;

    // ---------------------------------------------------------------- rate limiter constants
    wire        rl_ok, rl_en;
    wire [63:0] rl_t, rl_tau;
    tw_alert_rate u_rate (.clk(clk), .rst(rst), .cfg_rate(cfg_rate), .cfg_burst(cfg_burst), .ok(rl_ok),
                          .en(rl_en), .t_ns(rl_t), .tau_ns(rl_tau));

    // ---------------------------------------------------------------- pipeline registers
    reg            vp_valid, vp_first, vp_last, vp_bank;   // VP: the rule RAM's read (its address registered)
    reg [SLW-1:0]  vp_slot;
    reg [7:0]      vp_idx;
    reg            v0_valid, v1_valid, v2_valid, v3_valid, v4_valid, v5_valid, v6_valid, v7_valid;
    reg [SLW-1:0]  v0_slot, v1_slot, v2_slot, v3_slot, v4_slot, v5_slot, v6_slot, v7_slot;
    reg [7:0]      v0_idx, v1_idx, v2_idx, v3_idx, v4_idx, v5_idx, v6_idx, v7_idx;
    reg            v0_bank, v1_bank, v2_bank, v3_bank, v4_bank, v5_bank, v6_bank, v7_bank;
    reg            v0_first, v1_first, v2_first, v3_first, v4_first, v5_first, v6_first;
    reg            v0_last, v1_last, v2_last, v3_last, v4_last, v5_last, v6_last, v7_last;
    // from V2 on: what the later stages need of the rule and the frame
    reg            v2_ign, v3_ign, v4_ign, v5_ign, v6_ign; // no decision: not a valid alert rule, or suppressed
    reg            v2_co, v3_co, v4_co, v5_co, v6_co, v7_co; // count-only visit: a pass rule or a suppressed alert rule
    reg            pf;                                 // a pass rule of the current frame was visited
    reg            v2_dthr, v3_dthr;
    reg            v2_dvol, v3_dvol, v4_dvol;
    reg [63:0]     v2_ttag, v3_ttag, v3_vtag, v4_vtag;
    reg [127:0]    v2_ksrc, v2_kdst;                    // the volume key's fields, registered at V1
    reg            v2_ksw;
    reg [63:0]     v2_kfid;
    reg [2:0]      v2_vtrk;
    reg [SBW-1:0]  v3_vbkt;
    reg [63:0]     v2_twin, v3_twin, v2_vwin, v3_vwin, v4_vwin;
    // per operation, from now and the rule's window (registered ahead of D1, timing): now - window (lo) and whether
    // now > window (lok): a window over at now is start < lo with lok; and now + window saturated (a fresh end)
    reg [63:0]     v3_tlo, v4_vlo, v3_tend, v4_vend;
    reg            v3_tlok, v4_vlok;
    reg [2:0]      v2_ttype, v3_ttype;
    reg [31:0]     v2_tcount, v3_tcount;
    reg [47:0]     v2_vbytes, v3_vbytes, v4_vbytes;
    reg [63:0]     v2_now, v3_now, v4_now, v5_now, v6_now;
    reg [15:0]     v2_flen, v3_flen, v4_flen;
    reg [104:0]    v2_id, v3_id, v4_id, v5_id, v6_id, v7_id;   // {prio, gid, rev, sid, inner}
    reg            v5_tok, v6_tok, v6_vok;
    reg            v7_alert, v7_over, v7_lim, v7_held, v7_ign, v7_fal;

    // ---------------------------------------------------------------- picker
    reg            cur_valid;
    reg [255:0]    cur_rem;
    reg [255:0]    cur_oh;
    reg [SLW-1:0]  cur_slot;
    reg            cur_bank;
    reg            cur_first;
    reg            cur_ph;

    // visits in flight (at most 5: they are 2 clocks apart in 9 stages)
    wire [3:0] in_pipe = {3'd0, vp_valid} + {3'd0, v0_valid} + {3'd0, v1_valid} + {3'd0, v2_valid} + {3'd0, v3_valid} +
                         {3'd0, v4_valid} + {3'd0, v5_valid} + {3'd0, v6_valid} + {3'd0, v7_valid};
    reg  [OUT_DEPTH_W+1:0] rec_occ;   // entries in the record FIFO (with its output register)
    wire credit_ok = {{(OUT_DEPTH_W+1){1'b0}}, in_pipe} + {3'd0, rec_occ} < {3'd0, ODEP[OUT_DEPTH_W+1:0]};

    // in-order verdict queue: one entry per frame from entry to its m_falert item
    localparam integer ORDN = 1 << ORD_W;
    reg  [ORD_W:0]    ord_wp, ord_rp;
    reg  [ORDN-1:0]   ord_done, ord_fal;
    reg  [83:0]       ord_op [0:ORDN-1];
    reg  [ORD_W-1:0]  fb_ord [0:NSLOT-1];       // a walking frame's entry
    wire              ord_full = (ord_wp - ord_rp) == ORDN[ORD_W:0];

    reg [7:0] oh_idx;
    integer   k;
    always @* begin
        oh_idx = 8'd0;
        for (k = 0; k < 256; k = k + 1)
            if (cur_oh[k])
                oh_idx = oh_idx | k[7:0];
    end
    wire [255:0] rem_next = cur_rem & ~cur_oh;
    wire         emit     = cur_valid && cur_ph && credit_ok;
    wire         emit_last = rem_next == 256'd0;

    // free slot (lowest)
    reg [SLW-1:0] alloc;
    reg           have_free;
    integer       s;
    always @* begin
        alloc = {SLW{1'b0}};
        have_free = 1'b0;
        for (s = NSLOT - 1; s >= 0; s = s - 1)
            if (slot_free[s]) begin
                alloc = s[SLW-1:0];
                have_free = 1'b1;
            end
    end

    assign s_tready = init_done && rl_ok && have_free && !ord_full && (!cur_valid || (emit && emit_last));
    wire s_fire = s_tvalid && s_tready;
    wire s_any  = s_alerts != 256'd0;
    wire [15:0] s_len = s_meta[`TW_M_LEN];

    always @(posedge clk) begin
        if (emit) begin
            cur_rem   <= rem_next;
            cur_first <= 1'b0;
            cur_ph    <= 1'b0;
            if (emit_last)
                cur_valid <= 1'b0;
        end else if (cur_valid && !cur_ph) begin
            cur_oh <= cur_rem & (~cur_rem + 256'd1);
            cur_ph <= 1'b1;
        end
        if (s_fire && s_any) begin
            cur_valid <= 1'b1;
            cur_rem   <= s_alerts;
            cur_slot  <= alloc;
            cur_bank  <= s_bank;
            cur_first <= 1'b1;
            cur_ph    <= 1'b0;
        end
        vp_valid <= emit;
        vp_slot  <= cur_slot;
        vp_idx   <= oh_idx;
        vp_bank  <= cur_bank;
        vp_first <= cur_first;
        vp_last  <= emit_last;
        v0_valid <= vp_valid;
        v0_slot  <= vp_slot;
        v0_idx   <= vp_idx;
        v0_bank  <= vp_bank;
        v0_first <= vp_first;
        v0_last  <= vp_last;
        if (rst) begin
            cur_valid <= 1'b0;
            cur_ph    <= 1'b0;
            vp_valid  <= 1'b0;
            v0_valid  <= 1'b0;
        end
    end

    // frame slots
    always @(posedge clk) begin
        if (s_fire && s_any) begin
            fb_ts[alloc]   <= s_meta[`TW_M_TS];
            fb_len[alloc]  <= s_len;
            fb_pseq[alloc] <= {s_meta[`TW_M_PORT], s_meta[`TW_M_FSEQ]};
            fb_fm[alloc]   <= {s_flow, s_mirror};
            fb_fop[alloc]  <= s_flow ? {s_flow_id, s_way, s_bucket} : 84'd0;
            fb_ord[alloc]  <= ord_wp[ORD_W-1:0];
            fb_cnt[alloc]  <= s_flow ? {s_bytes_tc, s_bytes_ts, s_pkts_tc, s_pkts_ts} : 256'd0;
            fb_tun[alloc]  <= {s_meta[`TW_M_TUN_ID], s_meta[`TW_M_TUN_ID_V], s_meta[`TW_M_TUN_KIND]};
            // by_both's key order, compared here on entry rather than behind the rule word in V1 (timing)
            fb_sw[alloc]   <= {s_meta[`TW_M_I_IP_SRC] > s_meta[`TW_M_I_IP_DST],
                               s_meta[`TW_M_O_IP_SRC] > s_meta[`TW_M_O_IP_DST]};
            fb_lo[alloc]   <= layer(s_meta[`TW_M_O_IP_VER], s_meta[`TW_M_O_IP_PROTO], s_meta[`TW_M_O_L4],
                                    s_meta[`TW_M_O_IP_SRC], s_meta[`TW_M_O_IP_DST], s_meta[`TW_M_O_SPORT],
                                    s_meta[`TW_M_O_DPORT], s_meta[`TW_M_O_VLAN_N], s_meta[`TW_M_O_VLAN0_TCI],
                                    s_meta[`TW_M_O_VLAN1_TCI], s_o_svs, s_o_dvs);
            fb_li[alloc]   <= layer(s_meta[`TW_M_I_IP_VER], s_meta[`TW_M_I_IP_PROTO], s_meta[`TW_M_I_L4],
                                    s_meta[`TW_M_I_IP_SRC], s_meta[`TW_M_I_IP_DST], s_meta[`TW_M_I_SPORT],
                                    s_meta[`TW_M_I_DPORT], s_meta[`TW_M_I_VLAN_N], s_meta[`TW_M_I_VLAN0_TCI],
                                    s_meta[`TW_M_I_VLAN1_TCI], s_i_svs, s_i_dvs);
        end
    end
    always @(posedge clk) begin
        if (s_fire && s_any)
            slot_free[alloc] <= 1'b0;
        if (v7_valid && v7_last)
            slot_free[v7_slot] <= 1'b1;
        if (rst)
            slot_free <= {NSLOT{1'b1}};
    end

    // frames of each bank inside the stage (table writes wait for the shadow bank's to leave)
    reg [SLW:0] bank_n0, bank_n1;
    wire in0  = s_fire && s_any && !s_bank;
    wire in1  = s_fire && s_any && s_bank;
    wire out0 = v7_valid && v7_last && !v7_bank;
    wire out1 = v7_valid && v7_last && v7_bank;
    always @(posedge clk) begin
        bank_n0 <= bank_n0 + {{SLW{1'b0}}, in0} - {{SLW{1'b0}}, out0};
        bank_n1 <= bank_n1 + {{SLW{1'b0}}, in1} - {{SLW{1'b0}}, out1};
        if (rst) begin
            bank_n0 <= {(SLW+1){1'b0}};
            bank_n1 <= {(SLW+1){1'b0}};
        end
    end

    // ---------------------------------------------------------------- table port
    wire shadow_busy = rule_bank ? (bank_n0 != {(SLW+1){1'b0}}) : (bank_n1 != {(SLW+1){1'b0}});
    assign s_tbl_tready = init_done && !shadow_busy;
    wire tbl_fire = s_tbl_tvalid && s_tbl_tready;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [15:0] tbl_index = s_tbl_index;   // only the low 8 bits address a rule
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        rwr_en <= 1'b0;
        if (tbl_fire) begin
            if (s_tbl_table == T_RULE && tbl_index < 16'd256) begin
                rwr_en    <= 1'b1;
                rwr_addr  <= {!rule_bank, tbl_index[7:0]};
                rwr_data  <= tbl_rf;
                cnt_wr_ok <= cnt_wr_ok + 32'd1;
            end else if (s_tbl_table == T_COMMIT) begin
                rule_bank   <= !rule_bank;
                cnt_commits <= cnt_commits + 32'd1;
                cnt_wr_ok   <= cnt_wr_ok + 32'd1;
            end else if ((s_tbl_table >= 3'd1 && s_tbl_table <= 3'd4) || s_tbl_table == 3'd7) begin
                cnt_wr_other <= cnt_wr_other + 32'd1;
            end else begin
                cnt_wr_bad <= cnt_wr_bad + 32'd1;
            end
        end
        if (rst) begin
            rwr_en       <= 1'b0;
            rule_bank    <= 1'b0;
            cnt_wr_ok    <= 32'd0;
            cnt_wr_bad   <= 32'd0;
            cnt_wr_other <= 32'd0;
            cnt_commits  <= 32'd0;
        end
    end
    // The write lands one clock after the handshake; a commit right behind it cannot overtake it, and a frame of the
    // bank being written cannot be inside (shadow_busy). The read is presented in VP, a clock ahead of V0, so the
    // word is registered once more (rq, the RAM's output register) before V1's keys and CRCs: nothing of V1 hangs
    // behind the RAM's slow output, and the picker's index encoder stays out of the RAM's address path (timing,
    // session 16).
    reg  [RF_W-1:0] rq_a;
    assign rrd_addr = {vp_bank, vp_idx};
    always @(posedge clk) begin
        if (rwr_en)
            rmem[rwr_addr] <= rwr_data;
        rq_a <= rmem[rrd_addr];
        rq   <= rq_a;
    end

    // a + b, saturated at 2^64 - 1: an entry's end (start + window). `now > start && now - start > window` is
    // `now > end` exactly, also where start + window would not fit 64 bits (no now is above 2^64 - 1)
    function [63:0] sat_add;
        input [63:0] a, b;
        reg   [64:0] t;
        begin
            t = {1'b0, a} + {1'b0, b};
            sat_add = t[64] ? ~64'd0 : t[63:0];
        end
    endfunction

    // ---------------------------------------------------------------- V1: keys and hashes
    wire [LY_W-1:0] f1_lo = fb_lo[v1_slot];
    wire [LY_W-1:0] f1_li = fb_li[v1_slot];
    /* verilator lint_off UNUSEDSIGNAL */
    wire [83:0]     f1_op = fb_fop[v1_slot];            // its flow_id
    wire [LY_W-1:0] f1_l  = rq[F_INNER] ? f1_li : f1_lo;   // its addresses
    /* verilator lint_on UNUSEDSIGNAL */
    wire [127:0]    f1_src = f1_l[L_SRC +: 128];
    wire [127:0]    f1_dst = f1_l[L_DST +: 128];
    wire [1:0]      f1_swb = fb_sw[v1_slot];
    wire            f1_sw  = rq[F_INNER] ? f1_swb[1] : f1_swb[0];   // memcmp order of the 16-byte addresses
    wire [15:0]     f1_len = fb_len[v1_slot];

    function [383:0] state_key;
        input [7:0]   rule;
        input         kind;
        input [2:0]   track;
        input [127:0] src, dst;
        input         sw;
        input [63:0]  flow_id;
        reg [127:0] a, b;
        reg [63:0]  f;
        begin
            a = 128'd0;
            b = 128'd0;
            f = 64'd0;
            case (track)
                3'd0: a = src;                    // by_src
                3'd1: a = dst;                    // by_dst
                3'd2: begin                       // by_both: the lower address first
                    a = sw ? dst : src;
                    b = sw ? src : dst;
                end
                3'd4: f = flow_id;                // by_flow
                default: ;                        // by_rule
            endcase
            state_key = {8'd0, rule, 7'd0, kind, 5'd0, track, 32'd0, a, b, f};
        end
    endfunction

    // The key CRCs: one key builder, one CRC-32C and one CRC-32 tree for both keys of a visit, the threshold key's
    // at V1 and the volume key's at V2, from the visit's fields registered into V2 (session 23: the builder's
    // inputs are selected, not two built 384-bit keys). Visits are at least 2 clocks apart (the picker emits every
    // other clock at most), so V1 and V2 never hold a visit at once. The volume tag is registered into V3, where
    // its bucket is read, as before.
    localparam integer CRC_W = 384;
`include "tw_crc32_fn.vh"
    wire         k_vol   = v2_valid;
    wire [383:0] crc_key = state_key(k_vol ? v2_idx : v1_idx, k_vol, k_vol ? v2_vtrk : rq[F_TTRACK +: 3],
                                     k_vol ? v2_ksrc : f1_src, k_vol ? v2_kdst : f1_dst, k_vol ? v2_ksw : f1_sw,
                                     k_vol ? v2_kfid : f1_op[83:20]);
    wire [63:0]  crc_tag = {tw_crc32_fn(crc_key, CRC32C), tw_crc32_fn(crc_key, CRC32)};
    // the state buckets: the CRC-32C halves' low bits
    wire [SBW-1:0] v2_tbkt = v2_ttag[32 +: SBW];
    wire [63:0]  NS1 = 64'd1000000000;
    // pass suppression in rule order (the visits of a frame are 2 clocks apart: pf holds the earlier visits')
    wire         f1_pass  = rq[F_VALID] && rq[F_ACTION] == `TW_ACT_PASS;
    wire         f1_alrt  = rq[F_VALID] && rq[F_ACTION] == `TW_ACT_ALERT;
    wire         f1_pf    = !v1_first && pf;
    wire         f1_sup   = f1_alrt && f1_pf;
    wire         f1_ign   = !f1_alrt || f1_pf;
    always @(posedge clk) begin
        if (v1_valid)
            pf <= f1_pf || f1_pass;
        if (rst)
            pf <= 1'b0;
    end

    always @(posedge clk) begin
        v1_valid <= v0_valid;
        v1_slot  <= v0_slot;
        v1_idx   <= v0_idx;
        v1_bank  <= v0_bank;
        v1_first <= v0_first;
        v1_last  <= v0_last;

        v2_valid  <= v1_valid;
        v2_slot   <= v1_slot;
        v2_idx    <= v1_idx;
        v2_bank   <= v1_bank;
        v2_first  <= v1_first;
        v2_last   <= v1_last;
        v2_ign    <= f1_ign;
        v2_co     <= f1_pass || f1_sup;
        v2_dthr   <= !f1_ign && rq[F_TTYPE +: 3] != `TW_THR_NONE;
        v2_dvol   <= !f1_ign && rq[F_VOLV];
        if (v1_valid) begin
            v2_ttag <= crc_tag;
            v2_ksrc <= f1_src;
            v2_kdst <= f1_dst;
            v2_ksw  <= f1_sw;
            v2_kfid <= f1_op[83:20];
            v2_vtrk <= rq[F_VTRACK +: 3];
        end
        v2_twin   <= {32'd0, rq[F_TSEC +: 32]} * NS1;
        v2_vwin   <= {32'd0, rq[F_VSEC +: 32]} * NS1;
        v2_ttype  <= rq[F_TTYPE +: 3];
        v2_tcount <= rq[F_TCOUNT +: 32];
        v2_vbytes <= rq[F_VBYTES +: 48];
        v2_now    <= fb_ts[v1_slot];
        v2_flen   <= (f1_len > FCS_BYTES[15:0]) ? f1_len - FCS_BYTES[15:0] : 16'd0;
        v2_id     <= {rq[F_PRIO +: 8], rq[F_GID +: 32], rq[F_REV +: 32], rq[F_SID +: 32], rq[F_INNER]};

        v3_valid  <= v2_valid;
        v3_slot   <= v2_slot;
        v3_idx    <= v2_idx;
        v3_bank   <= v2_bank;
        v3_first  <= v2_first;
        v3_last   <= v2_last;
        v3_ign    <= v2_ign;
        v3_co     <= v2_co;
        v3_dthr   <= v2_dthr;
        v3_dvol   <= v2_dvol;
        v3_ttag   <= v2_ttag;
        v3_vtag   <= crc_tag;                // the volume key's, when V2 holds a visit
        v3_vbkt   <= crc_tag[32 +: SBW];
        v3_twin   <= v2_twin;
        v3_vwin   <= v2_vwin;
        v3_tlo    <= v2_now - v2_twin;
        v3_tlok   <= v2_now > v2_twin;
        v3_tend   <= sat_add(v2_now, v2_twin);
        v3_ttype  <= v2_ttype;
        v3_tcount <= v2_tcount;
        v3_vbytes <= v2_vbytes;
        v3_now    <= v2_now;
        v3_flen   <= v2_flen;
        v3_id     <= v2_id;

        v4_valid  <= v3_valid;
        v4_slot   <= v3_slot;
        v4_idx    <= v3_idx;
        v4_bank   <= v3_bank;
        v4_first  <= v3_first;
        v4_last   <= v3_last;
        v4_ign    <= v3_ign;
        v4_co     <= v3_co;
        v4_dvol   <= v3_dvol;
        v4_vtag   <= v3_vtag;
        v4_vwin   <= v3_vwin;
        v4_vlo    <= v3_now - v3_vwin;
        v4_vlok   <= v3_now > v3_vwin;
        v4_vend   <= sat_add(v3_now, v3_vwin);
        v4_vbytes <= v3_vbytes;
        v4_now    <= v3_now;
        v4_flen   <= v3_flen;
        v4_id     <= v3_id;

        v5_valid  <= v4_valid;
        v5_slot   <= v4_slot;
        v5_idx    <= v4_idx;
        v5_bank   <= v4_bank;
        v5_first  <= v4_first;
        v5_last   <= v4_last;
        v5_ign    <= v4_ign;
        v5_co     <= v4_co;
        v5_now    <= v4_now;
        v5_id     <= v4_id;

        v6_valid  <= v5_valid;
        v6_slot   <= v5_slot;
        v6_idx    <= v5_idx;
        v6_bank   <= v5_bank;
        v6_first  <= v5_first;
        v6_last   <= v5_last;
        v6_ign    <= v5_ign;
        v6_co     <= v5_co;
        v6_now    <= v5_now;
        v6_id     <= v5_id;
        v6_tok    <= v5_tok;

        v7_valid  <= v6_valid;
        v7_slot   <= v6_slot;
        v7_idx    <= v6_idx;
        v7_bank   <= v6_bank;
        v7_last   <= v6_last;
        v7_id     <= v6_id;
        v7_co     <= v6_co;
        if (rst) begin
            v1_valid <= 1'b0;
            v2_valid <= 1'b0;
            v3_valid <= 1'b0;
            v4_valid <= 1'b0;
            v5_valid <= 1'b0;
            v6_valid <= 1'b0;
            v7_valid <= 1'b0;
        end
    end

    // ---------------------------------------------------------------- state table (read-first RAM + bypass)
    // entry: valid 0, kind 1, fired 2, rule 10:3, count 42:11, tag 106:43, start 170:107, bytes 234:171,
    // end 298:235 (start + the owning rule's window in ns as of its last access, saturated: the entry is over at
    // now > end; session 16, was the window itself)
    localparam integer ENT_W = 299;
    localparam integer E_VALID = 0, E_KIND = 1, E_FIRED = 2, E_RULE = 3, E_COUNT = 11, E_TAG = 43, E_START = 107,
                       E_BYTES = 171, E_END = 235;
    localparam integer WORD_W = STATE_WAYS * ENT_W;
    reg  [WORD_W-1:0] smem [0:STATE_BUCKETS-1];
    reg  [WORD_W-1:0] s_q;
    reg  [SBW-1:0]    s_rd_q;
    reg               byp_en;
    reg  [SBW-1:0]    byp_addr;
    reg  [WORD_W-1:0] byp_data;
    wire [SBW-1:0]    s_rd_addr = v2_valid ? v2_tbkt : v3_vbkt;
    // the write port: the init walk, else the write-back of the operation in D (in its own clock)
    wire              sw_en;
    wire [SBW-1:0]    sw_addr;
    wire [WORD_W-1:0] sw_data;
    always @(posedge clk) begin
        if (sw_en)
            smem[sw_addr] <= sw_data;
        s_q    <= smem[s_rd_addr];
        s_rd_q <= s_rd_addr;
    end
    always @(posedge clk) begin
        byp_en   <= sw_en;
        byp_addr <= sw_addr;
        byp_data <= sw_data;
        if (rst)
            byp_en <= 1'b0;
    end

    // An operation takes two clocks: D1 (the threshold operation in V3, the volume operation in V4; never both in one
    // clock) tests every way of the bucket and picks one; D2, the next clock, builds the updated entry and writes the
    // word back. Two operations in consecutive clocks are always of different kinds (a visit's threshold operation,
    // then its volume operation, then the next visit's threshold operation: visits are 2 clocks apart), so the entry
    // the operation in D2 writes can never be the hit of the one in D1; whether it is free for it depends only on
    // its start and window (D2's `now` if it restarts, else the start the way already holds). D1 sees every older
    // write (the RAM, and the bypass register for the write of the edge it was read on) and takes the pending one's
    // way from those two facts; D2 writes its entry into the newest word (the bypass register when the operation
    // before it wrote the same bucket). The order and results are those of one operation a clock. Every window test
    // is one comparison behind the RAM: an entry is free at now > its end, a hit's window is over at start < now -
    // window (lo, registered with the operation), and the sums a new end needs are formed in D1 (start + window per
    // way) or ahead of it (now + window).
    wire          d_thr  = v3_valid;
    wire          d_act  = v3_valid ? v3_dthr : (v4_valid && v4_dvol);
    wire [63:0]   d_tag  = d_thr ? v3_ttag : v4_vtag;
    wire [7:0]    d_rule = d_thr ? v3_idx : v4_idx;
    wire [63:0]   d_win  = d_thr ? v3_twin : v4_vwin;
    wire [63:0]   d_now  = d_thr ? v3_now : v4_now;
    wire [63:0]   d_lo   = d_thr ? v3_tlo : v4_vlo;
    wire          d_lok  = d_thr ? v3_tlok : v4_vlok;
    wire [63:0]   d_enda = d_thr ? v3_tend : v4_vend;   // the end of an entry (re)started now
    wire [WORD_W-1:0] d_word = (byp_en && byp_addr == s_rd_q) ? byp_data : s_q;

    localparam integer WYW = $clog2(STATE_WAYS + 1);
    // D2's registers: the operation picked in D1
    reg               d2_act, d2_thr, d2_hit, d2_full, d2_sub;
    reg  [WYW-1:0]    d2_way;
    reg  [STATE_WAYS-1:0] d2_rv;       // per way: the window of this operation's rule is over
    reg  [SBW-1:0]    d2_addr;
    reg  [WORD_W-1:0] d2_word;
    reg  [63:0]       d2_tag, d2_now, d2_enda;
    reg  [64*STATE_WAYS-1:0] d2_endb;  // per way: its start + this operation's window (the end of a kept hit)
    reg  [7:0]        d2_rule;
    reg  [2:0]        d2_ttype;
    reg  [31:0]       d2_tcount;
    reg  [47:0]       d2_vbytes;
    reg  [15:0]       d2_flen;
    reg               d2_rvw;          // d2_rv's bit of the chosen way
    reg  [63:0]       d2_endw;         // d2_endb's end of the chosen way
    integer           w;
    always @* begin
        d2_rvw = 1'b0;
        d2_endw = 64'd0;
        for (w = 0; w < STATE_WAYS; w = w + 1)
            if (d2_way == w[WYW-1:0]) begin
                d2_rvw = d2_rv[w];
                d2_endw = d2_endb[64 * w +: 64];
            end
    end
    wire              d2_restart = !d2_hit || d2_rvw;
    wire              d2_wen = d2_act && !d2_full;
    wire [63:0]       d2_endn = d2_restart ? d2_enda : d2_endw;   // the end D2 writes

    // D1: the pending write (D2's) to this bucket, its way and whether its new entry's window is over at d_now
    wire              d_sub = d2_wen && d2_addr == s_rd_q;
    wire              d_xn  = d_now > d2_endn;
    reg               d_hit, d_free;
    reg  [STATE_WAYS-1:0] d_rv;
    reg  [64*STATE_WAYS-1:0] d_endb;
    reg  [WYW-1:0]    d_way;
    reg  [ENT_W-1:0]  d1_e;
    reg               d1_m, d1_f, d1_p;
    always @* begin
        d1_e = {ENT_W{1'b0}};
        d1_m = 1'b0;
        d1_f = 1'b0;
        d1_p = 1'b0;
        d_hit = 1'b0;
        d_free = 1'b0;
        d_way = 0;
        d_rv = {STATE_WAYS{1'b0}};
        d_endb = {64*STATE_WAYS{1'b0}};
        for (w = 0; w < STATE_WAYS; w = w + 1) begin
            d1_e = d_word[w * ENT_W +: ENT_W];
            d1_p = d_sub && d2_way == w[WYW-1:0];
            d1_m = d1_e[E_VALID] && d1_e[E_TAG +: 64] == d_tag && d1_e[E_RULE +: 8] == d_rule &&
                   d1_e[E_KIND] == !d_thr && !d1_p;
            d_rv[w] = d_lok && d1_e[E_START +: 64] < d_lo;
            d_endb[64 * w +: 64] = sat_add(d1_e[E_START +: 64], d_win);
            if (!d_hit && d1_m) begin
                d_hit = 1'b1;
                d_way = w[WYW-1:0];
            end
        end
        if (!d_hit) begin
            for (w = STATE_WAYS - 1; w >= 0; w = w - 1) begin
                d1_e = d_word[w * ENT_W +: ENT_W];
                d1_p = d_sub && d2_way == w[WYW-1:0];
                // the pending way: its new end (D2's); any other: invalid, or over at its end
                d1_f = d1_p ? d_xn : (!d1_e[E_VALID] || d_now > d1_e[E_END +: 64]);
                if (d1_f) begin
                    d_free = 1'b1;
                    d_way = w[WYW-1:0];
                end
            end
        end
    end
    always @(posedge clk) begin
        d2_act    <= d_act;
        d2_thr    <= d_thr;
        d2_hit    <= d_hit;
        d2_full   <= d_act && !d_hit && !d_free;
        d2_sub    <= d_sub;
        d2_way    <= d_way;
        d2_rv     <= d_rv;
        d2_addr   <= s_rd_q;
        d2_word   <= d_word;
        d2_tag    <= d_tag;
        d2_now    <= d_now;
        d2_enda   <= d_enda;
        d2_endb   <= d_endb;
        d2_rule   <= d_rule;
        d2_ttype  <= v3_ttype;
        d2_tcount <= v3_tcount;
        d2_vbytes <= v4_vbytes;
        d2_flen   <= v4_flen;
        if (rst) begin
            d2_act  <= 1'b0;
            d2_full <= 1'b0;
        end
    end

    // D2: the entry to update (the hit, restarted when its window is over; or a fresh one in the free way), the
    // threshold or volume decision, and the write-back
    reg [ENT_W-1:0]  d_e, d_n;
    reg [WORD_W-1:0] d_wword;
    reg              d_ok;
    reg [31:0]       d_c1, d_c2;
    reg [63:0]       d_b1;
    always @* begin
        // the chosen way's entry by constant part-selects: one at d2_way * ENT_W (ENT_W not a power of two)
        // becomes a multiplier and a barrel shifter in synthesis. A way D2's predecessor wrote is only ever taken
        // as free, so every field below is replaced and d2_word's older copy of it is never used.
        d_e = {ENT_W{1'b0}};
        for (w = 0; w < STATE_WAYS; w = w + 1)
            if (d2_way == w[WYW-1:0])
                d_e = d2_word[w * ENT_W +: ENT_W];
        d_n = d_e;
        if (d2_restart) begin
            d_n[E_FIRED] = 1'b0;
            d_n[E_COUNT +: 32] = 32'd0;
            d_n[E_START +: 64] = d2_now;
            d_n[E_BYTES +: 64] = 64'd0;
        end
        d_n[E_VALID] = 1'b1;
        d_n[E_KIND] = !d2_thr;
        d_n[E_RULE +: 8] = d2_rule;
        d_n[E_TAG +: 64] = d2_tag;
        d_n[E_END +: 64] = d2_endn;
        d_ok = 1'b1;
        d_c1 = d_n[E_COUNT +: 32] + 32'd1;
        d_c2 = d_c1;
        d_b1 = d_n[E_BYTES +: 64] + {48'd0, d2_flen};
        if (d2_thr) begin
            case (d2_ttype)
                `TW_THR_LIMIT:     d_ok = d_c1 <= d2_tcount;
                `TW_THR_THRESHOLD: d_ok = d_c1 >= d2_tcount;
                `TW_THR_BOTH:      d_ok = d_c1 == d2_tcount;
                `TW_THR_DFILTER:   d_ok = d_c1 > d2_tcount;
                default:           d_ok = 1'b1;
            endcase
            if (d2_ttype == `TW_THR_THRESHOLD && d_ok)
                d_c2 = 32'd0;
            if (d_c2 == 32'hFFFFFFFF)
                d_c2 = 32'hFFFFFFFE;
            d_n[E_COUNT +: 32] = d_c2;
        end else begin
            d_n[E_BYTES +: 64] = d_b1;
            if (!d_n[E_FIRED] && d_b1 > {16'd0, d2_vbytes})
                d_n[E_FIRED] = 1'b1;
            else
                d_ok = 1'b0;
        end
        // the newest word: the predecessor's write when it went to this bucket
        d_wword = d2_sub ? byp_data : d2_word;
        for (w = 0; w < STATE_WAYS; w = w + 1)
            if (d2_way == w[WYW-1:0])
                d_wword[w * ENT_W +: ENT_W] = d_n;
    end
    wire d2_pass = !d2_act || d2_full || d_ok;

    // D2's write-back goes to the RAM in D2's own clock, so the read sampled on the same edge is served by the
    // bypass register
    assign sw_en   = init_busy ? (init_ctr < STATE_BUCKETS[IW-1:0]) : d2_wen;
    assign sw_addr = init_busy ? init_ctr[SBW-1:0] : d2_addr;
    assign sw_data = init_busy ? {WORD_W{1'b0}} : d_wword;
    always @(posedge clk) begin
        v5_tok <= d2_pass;   // the threshold operation's: D2 while its visit is in V4
        v6_vok <= d2_pass;   // the volume operation's: D2 while its visit is in V5
    end

    // ---------------------------------------------------------------- V6: decision, GCRA, cut
    reg  [63:0] tmem [0:255];
    reg  [63:0] t_q;
    wire [7:0]  t_rd = v5_idx;
    wire        t_wr_en;
    wire [7:0]  t_wr_addr;
    wire [63:0] t_wr_data;
    always @(posedge clk) begin
        if (t_wr_en)
            tmem[t_wr_addr] <= t_wr_data;
        t_q <= tmem[t_rd];
    end
    reg  [3:0]  na;
    wire [3:0]  na_now   = v6_first ? 4'd0 : na;
    wire        p6_pass  = !v6_ign && v6_tok && v6_vok;
    wire [63:0] p6_lim   = v6_now + rl_tau;
    wire        p6_conf  = !rl_en || t_q <= p6_lim;
    wire        p6_cut   = na_now == MAX_ALERTS[3:0];
    wire        p6_alert = p6_pass && p6_conf && !p6_cut;
    wire [63:0] p6_tat   = ((t_q > v6_now) ? t_q : v6_now) + rl_t;
    // the tat is written in V6's own clock: the next visit reads it in its V5, one clock later
    assign t_wr_en   = init_busy || (v6_valid && p6_pass && p6_conf && rl_en);
    assign t_wr_addr = init_busy ? init_ctr[7:0] : v6_idx;
    assign t_wr_data = init_busy ? 64'd0 : p6_tat;
    always @(posedge clk) begin
        if (v6_valid)
            na <= na_now + {3'd0, p6_alert};
        v7_alert <= v6_valid && p6_alert;
        v7_over  <= v6_valid && p6_pass && p6_conf && p6_cut;
        v7_lim   <= v6_valid && p6_pass && !p6_conf;
        v7_held  <= v6_valid && !v6_ign && !p6_pass;
        v7_ign   <= v6_valid && v6_ign && !v6_co;
        v7_fal   <= (na_now + {3'd0, p6_alert}) != 4'd0;
        if (rst)
            na <= 4'd0;
    end

    // ---------------------------------------------------------------- V7: per-rule counters, outputs
    reg  [191:0] cmem [0:255];
    reg  [191:0] c_q;
    // written in V7's own clock: the next visit reads them in its V6, one clock later
    wire         c_wr_en   = init_busy || v7_valid;
    wire [7:0]   c_wr_addr = init_busy ? init_ctr[7:0] : v7_idx;
    wire [191:0] c_wr_data = init_busy ? 192'd0 :
                             {c_q[191:128] + {63'd0, v7_lim}, c_q[127:64] + {63'd0, v7_alert}, c_q[63:0] + 64'd1};
    // One read port for the visits and the host: a visit's V6 read has it, the host's read takes the clocks between
    // (visits are at least 2 clocks apart, so a host read waits at most one clock). Before session 23 the host read
    // a copy of the RAM (6 EBR, 6 RAMB18 more); the counter window samples three clocks after its address.
    wire         c_rd_host = !v6_valid;
    reg          c_q_host;
    reg  [191:0] c_hold;
    always @(posedge clk) begin
        if (c_wr_en)
            cmem[c_wr_addr] <= c_wr_data;
        c_q      <= cmem[c_rd_host ? cnt_rd_addr : v6_idx];
        c_q_host <= c_rd_host;
        if (c_q_host)
            c_hold <= c_q;
    end
    assign cnt_rd_data = c_q_host ? c_q : c_hold;

    // alert record
    reg  [31:0]    seq;
    wire [LY_W-1:0] f7_l  = v7_id[0] ? fb_li[v7_slot] : fb_lo[v7_slot];
    wire [63:0]     f7_fid = fb_fop[v7_slot][83:20];
    wire [15:0]     f7_len = fb_len[v7_slot];
    wire [7:0]      ev_max = (cfg_evidence > 8'd128) ? 8'd128 : cfg_evidence;
    wire [7:0]      f7_ev  = ({8'd0, ev_max} < f7_len) ? ev_max : f7_len[7:0];
    reg  [`TW_AR_WIDTH-1:0] rec;
    always @* begin
        rec = {`TW_AR_WIDTH{1'b0}};
        rec[`TW_AR_SEQ]            = seq;
        rec[`TW_AR_TS]             = fb_ts[v7_slot];
        rec[`TW_AR_FLOW_ID]        = f7_fid;
        rec[`TW_AR_FSEQ]           = fb_pseq[v7_slot][31:0];
        rec[`TW_AR_LEN]            = f7_len;
        rec[`TW_AR_PORT]           = fb_pseq[v7_slot][32];
        rec[`TW_AR_INNER]          = v7_id[0];
        rec[`TW_AR_MIRROR]         = fb_fm[v7_slot][0];
        rec[`TW_AR_PORTS_V]        = f7_l[L_PV];
        rec[`TW_AR_IP_VER]         = f7_l[L_VER +: 4];
        rec[`TW_AR_PROTO]          = f7_l[L_PROTO +: 8];
        rec[`TW_AR_RULE]           = {8'd0, v7_idx};
        rec[`TW_AR_SID]            = v7_id[1 +: 32];
        rec[`TW_AR_REV]            = v7_id[33 +: 32];
        rec[`TW_AR_GID]            = v7_id[65 +: 32];
        rec[`TW_AR_PRIO]           = v7_id[97 +: 8];
        rec[`TW_AR_SRC_IP]         = f7_l[L_SRC +: 128];
        rec[`TW_AR_DST_IP]         = f7_l[L_DST +: 128];
        rec[`TW_AR_SRC_PORT]       = f7_l[L_SP +: 16];
        rec[`TW_AR_DST_PORT]       = f7_l[L_DP +: 16];
        rec[`TW_AR_VLAN_N]         = f7_l[L_VN +: 2];
        rec[`TW_AR_TUN_ID_V]       = fb_tun[v7_slot][4];
        rec[`TW_AR_TUN_KIND]       = fb_tun[v7_slot][3:0];
        rec[`TW_AR_VLAN0]          = f7_l[L_V0 +: 12];
        rec[`TW_AR_VLAN1]          = f7_l[L_V1 +: 12];
        rec[`TW_AR_SRC_VSETS]      = f7_l[L_SVS +: 8];
        rec[`TW_AR_DST_VSETS]      = f7_l[L_DVS +: 8];
        rec[`TW_AR_TUN_ID]         = fb_tun[v7_slot][36:5];
        rec[`TW_AR_PKTS_TOSERVER]  = fb_cnt[v7_slot][0 +: 64];
        rec[`TW_AR_PKTS_TOCLIENT]  = fb_cnt[v7_slot][64 +: 64];
        rec[`TW_AR_BYTES_TOSERVER] = fb_cnt[v7_slot][128 +: 64];
        rec[`TW_AR_BYTES_TOCLIENT] = fb_cnt[v7_slot][192 +: 64];
        rec[`TW_AR_EV_LEN]         = f7_ev;
    end
    wire rec_push = v7_valid && v7_alert;

    // verdicts: an entry per frame at entry (done at once without a match), done at the walk's last visit
    wire [ORD_W-1:0] ord_head = ord_rp[ORD_W-1:0];
    wire fal_ready;
    wire fal_push = ord_wp != ord_rp && ord_done[ord_head] && fal_ready;
    wire [84:0] fal_item = {ord_fal[ord_head], ord_op[ord_head]};
    always @(posedge clk) begin
        if (s_fire) begin
            ord_op[ord_wp[ORD_W-1:0]]   <= s_flow ? {s_flow_id, s_way, s_bucket} : 84'd0;
            ord_done[ord_wp[ORD_W-1:0]] <= !s_any;
            ord_fal[ord_wp[ORD_W-1:0]]  <= 1'b0;
            ord_wp <= ord_wp + 1'b1;
        end
        if (v7_valid && v7_last) begin
            ord_done[fb_ord[v7_slot]] <= 1'b1;
            ord_fal[fb_ord[v7_slot]]  <= v7_fal && fb_fm[v7_slot][1];
        end
        if (fal_push)
            ord_rp <= ord_rp + 1'b1;
        if (rst) begin
            ord_wp <= {(ORD_W+1){1'b0}};
            ord_rp <= {(ORD_W+1){1'b0}};
        end
    end

    /* verilator lint_off UNUSEDSIGNAL */
    wire rec_ready;   // always 1 when pushed (credit)
    /* verilator lint_on UNUSEDSIGNAL */
    tw_sync_fifo #(.WIDTH(`TW_AR_WIDTH), .DEPTH_W(OUT_DEPTH_W)) u_rec (
        .clk(clk), .rst(rst), .s_data(rec), .s_valid(rec_push), .s_ready(rec_ready),
        .m_data(m_alert_tdata), .m_valid(m_alert_tvalid), .m_ready(m_alert_tready));
    tw_sync_fifo #(.WIDTH(85), .DEPTH_W(OUT_DEPTH_W)) u_fal (
        .clk(clk), .rst(rst), .s_data(fal_item), .s_valid(fal_push), .s_ready(fal_ready),
        .m_data(m_falert_tdata), .m_valid(m_falert_tvalid), .m_ready(m_falert_tready));
    wire rec_pop = m_alert_tvalid && m_alert_tready;
    wire fal_pop = m_falert_tvalid && m_falert_tready;

    // ---------------------------------------------------------------- counters, init
    always @(posedge clk) begin
        rec_occ <= rec_occ + {{OUT_DEPTH_W+1{1'b0}}, rec_push} - {{OUT_DEPTH_W+1{1'b0}}, rec_pop};
        if (s_fire)
            cnt_frames_in <= (cnt_frames_in + 64'd1) & CNT_MASK;
        cnt_frames_out <= (cnt_frames_out + {63'd0, s_fire && !s_any} + {63'd0, v7_valid && v7_last}) & CNT_MASK;
        if (v7_valid) begin
            cnt_matches     <= (cnt_matches + {63'd0, !v7_co}) & CNT_MASK;
            cnt_overflow    <= (cnt_overflow + {63'd0, v7_over}) & CNT_MASK;
            cnt_rate_limited <= (cnt_rate_limited + {63'd0, v7_lim}) & CNT_MASK;
            cnt_thresholded <= (cnt_thresholded + {63'd0, v7_held}) & CNT_MASK;
            cnt_ignored     <= (cnt_ignored + {63'd0, v7_ign}) & CNT_MASK;
        end
        if (rec_push) begin
            cnt_alerts <= (cnt_alerts + 64'd1) & CNT_MASK;
            seq        <= seq + 32'd1;
        end
        if (v7_valid && v7_last && v7_fal)
            cnt_frames_alerted <= (cnt_frames_alerted + 64'd1) & CNT_MASK;
        if (rec_pop)
            cnt_records_out <= (cnt_records_out + 64'd1) & CNT_MASK;
        if (fal_pop && m_falert_tdata[84])
            cnt_falerts_out <= (cnt_falerts_out + 64'd1) & CNT_MASK;
        cnt_state_full <= (cnt_state_full + {63'd0, d2_full}) & CNT_MASK;
        if (init_busy) begin
            init_ctr <= init_ctr + 1'b1;
            if (init_ctr == INIT_N[IW-1:0] - 1'b1)
                init_done <= 1'b1;
        end
        if (rst) begin
            rec_occ <= 0;
            cnt_frames_in <= 64'd0;
            cnt_frames_out <= 64'd0;
            cnt_matches <= 64'd0;
            cnt_alerts <= 64'd0;
            cnt_records_out <= 64'd0;
            cnt_overflow <= 64'd0;
            cnt_rate_limited <= 64'd0;
            cnt_thresholded <= 64'd0;
            cnt_state_full <= 64'd0;
            cnt_ignored <= 64'd0;
            cnt_frames_alerted <= 64'd0;
            cnt_falerts_out <= 64'd0;
            seq <= 32'd0;
            init_ctr <= {IW{1'b0}};
            init_done <= 1'b0;
        end
    end
endmodule
`resetall
