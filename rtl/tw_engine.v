// tw_engine: the detection engine's match path (docs/engine.md). Per parser metadata record: vendor sets of the
// source and destination MAC (outer and inner) from the OUI hash table, address sets of the source and destination
// address and port sets of the ports (outer and inner), every rule of the rule table evaluated, and a per-frame
// result: frame ts/port/fseq/len, the four vendor-set bitmaps, the mirror-copy bit, up to 8 matching alert rules
// in rule order, the overflow count, the match and pass-suppressed counts.
//
// Line rate: one record every 4 clocks (two ports of back-to-back 64-byte frames on a 64-bit bus) is accepted
// without back-pressure: the lookup stage issues the frame's 4 keys (outer src, outer dst, inner src, inner dst)
// on 4 clocks into one-key-per-clock pipelined lookups, and the rule stage evaluates 64 rules per clock for 4
// clocks. s_meta_tready is low while a frame's keys are being issued (at most one record per 4 clocks) and when the
// result FIFO could not take every frame in flight (m_res back-pressure); nothing is ever dropped.
//
// Mirror copy: s_mc_* carries one bit per record, in record order, from the digest stage (tw_digest*); a record
// is taken only together with its bit. A top without the digest stage ties s_mc_tvalid = 1, s_mc_tdata = 0.
//
// Table port: one command per handshake. s_tbl_table = 1 SETTINGS (oui_buckets), 2 OUI, 3 PREFIX, 4 PORT,
// 5 RULE (the image's section ids), 6 COMMIT (swap the rule banks), 7 PFX_IV (PFX_SEARCH builds: the prefix
// interval table's shadow bank, which COMMIT swaps with the rule banks; such a build rejects table 3 and the others
// table 7); s_tbl_index is the entry index (OUI: the
// hardware index ((way * OUI_BUCKETS) + bucket) * 2 + slot), s_tbl_data the packed entry (contracts/*_entry.def).
// A command with an unknown table, an index out of range or a bad oui_buckets is consumed and counted
// (cnt_wr_bad), never applied. Rule writes go to the shadow bank until COMMIT.
//
// Result record m_res_tdata (RES_W bits): see the R_* offsets below and docs/engine.md; besides the first-8 list it
// carries the whole match vector (R_MV, 256 bits: every matching rule, alert and pass, suppressed or not; the alert
// stage counts matches per rule from it) and the rule bank used (R_BANK).
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_meta.vh"
`include "tw_oui_entry.vh"
`include "tw_prefix_entry.vh"
`include "tw_pfx_iv_entry.vh"
`include "tw_port_entry.vh"
`include "tw_rule_entry.vh"
`include "tw_settings.vh"

module tw_engine #(
    parameter META_WIDTH = `TW_M_WIDTH,
    parameter OUI_BUCKETS = `TW_OUI_BUCKETS,
    parameter OUI_BW = 11,                     // log2(OUI_BUCKETS)
    parameter RES_FIFO_W = 4,                  // log2 of the result FIFO depth
    // Small-FPGA options (docs/engine.md "Small configuration"); the defaults are the reference design, one
    // record every 4 clocks with every lookup and rule in parallel.
    parameter REC_CLOCKS = 4,                  // clocks per record: s_meta takes a record at most every REC_CLOCKS
    parameter NEVAL = 64,                      // rule evaluators; the rule stage takes 256 / NEVAL clocks
    parameter PFX_UNITS = 0,                   // 0: prefixes compared in parallel; else scanned, this many per clock
    parameter PRT_UNITS = 0,                   // 0: port ranges compared in parallel; else scanned likewise
    parameter PFX_SEARCH = 0,                  // 1: prefixes as an interval table searched in block RAM (tw_pfx_search)
    parameter PI_DW = 9,                       // PFX_SEARCH: log2 of the interval table's entries per bank
    parameter CNT_W = 64                       // bits the statistics counters keep (tw_detect extends them to 64)
) (
    input  wire                  clk,
    input  wire                  rst,
    // parser metadata (tw_tap_parse_top m_meta)
    input  wire [META_WIDTH-1:0] s_meta_tdata,
    input  wire                  s_meta_tvalid,
    output wire                  s_meta_tready,
    // mirror-copy bit per record, from the digest stage
    input  wire                  s_mc_tdata,
    input  wire                  s_mc_tvalid,
    output wire                  s_mc_tready,
    // table writes and commit
    input  wire [2:0]            s_tbl_table,
    input  wire [15:0]           s_tbl_index,
    input  wire [`TW_RE_WIDTH-1:0] s_tbl_data,
    input  wire                  s_tbl_tvalid,
    output wire                  s_tbl_tready,
    output wire                  rule_bank,
    // the table command applied (valid one clock; only good commands): for later stages' own copies
    output wire                  ap_valid,
    output wire [2:0]            ap_table,
    output wire [15:0]           ap_index,
    output wire [`TW_RE_WIDTH-1:0] ap_data,
    // per-frame results
    output wire [497:0]          m_res_tdata,
    output wire                  m_res_tvalid,
    input  wire                  m_res_tready,
    // counters
    output reg  [63:0]           cnt_frames,      // records accepted
    output reg  [63:0]           cnt_results,     // results delivered on m_res
    output reg  [63:0]           cnt_no_ip,       // records without an outer IPv4/IPv6 header (no rule can match)
    output reg  [63:0]           cnt_mirror,      // records with the mirror-copy bit
    output reg  [63:0]           cnt_matches,     // rule matches (alert and pass rules)
    output reg  [63:0]           cnt_alerts,      // alert matches delivered in results
    output reg  [63:0]           cnt_overflow,    // alert matches beyond 8 per frame (dropped, counted)
    output reg  [63:0]           cnt_suppressed,  // alert matches suppressed by an earlier pass rule
    output reg  [31:0]           cnt_wr_ok,       // table commands applied (writes and commits)
    output reg  [31:0]           cnt_wr_bad,      // table commands rejected (dropped, counted)
    output reg  [31:0]           cnt_commits,
    output reg  [31:0]           cnt_res_lost     // results lost to a full FIFO: stays 0 by construction
);

// ---- result layout ----
localparam R_TS = 0, R_PORT = 64, R_FSEQ = 65, R_LEN = 97, R_OSVS = 113, R_ODVS = 121, R_ISVS = 129,
           R_IDVS = 137, R_MIRROR = 145, R_N = 146, R_IDX = 150, R_OVF = 214, R_MATCHES = 223, R_SUPP = 232,
           R_BANK = 241, R_MV = 242, RES_W = 498, CTX_W = 146;

localparam PHASES = `TW_CAP_RULES / NEVAL;
localparam [63:0] CNT_MASK = CNT_W >= 64 ? ~64'd0 : ~(~64'd0 << CNT_W);   // the statistics counters' bits
localparam PFX_S = PFX_UNITS == 0 ? 1 : `TW_CAP_PREFIXES / PFX_UNITS;      // scan clocks per key
localparam PRT_S = PRT_UNITS == 0 ? 1 : `TW_CAP_PORT_RANGES / PRT_UNITS;
localparam SCAN = PFX_UNITS != 0 || PRT_UNITS != 0 || PFX_SEARCH != 0;
localparam PACE_W = $clog2(REC_CLOCKS) + 1;

// Parameter checks: a bad combination does not elaborate (the missing module names the rule broken).
generate
    if (REC_CLOCKS < 4 || NEVAL * PHASES != `TW_CAP_RULES || PHASES < 2 || PHASES > REC_CLOCKS)
        tw_engine_bad_rec_clocks_or_neval u_bad_neval ();
    if (PFX_UNITS != 0 && (PFX_UNITS * PFX_S != `TW_CAP_PREFIXES || PFX_S < 2 || 4 * PFX_S > REC_CLOCKS))
        tw_engine_bad_pfx_units u_bad_pfx ();
    if (PFX_SEARCH != 0 && (PFX_UNITS != 0 || 2 * PI_DW + 5 > REC_CLOCKS || PI_DW < 2 || PI_DW > 12))
        tw_engine_bad_pfx_search u_bad_search ();
    if (PRT_UNITS != 0 && (PRT_UNITS * PRT_S != `TW_CAP_PORT_RANGES || PRT_S < 2 || 4 * PRT_S > REC_CLOCKS))
        tw_engine_bad_prt_units u_bad_prt ();
endgenerate

localparam T_SETTINGS = 3'd1, T_OUI = 3'd2, T_PREFIX = 3'd3, T_PORT = 3'd4, T_RULE = 3'd5, T_COMMIT = 3'd6,
           T_PFX_IV = 3'd7;

// =====================================================================================================
// table port: registered, then applied
// =====================================================================================================
wire        rule_wr_ready;
reg         tq_valid;
reg [2:0]   tq_table;
reg [15:0]  tq_index;
reg [`TW_RE_WIDTH-1:0] tq_data;   // rule bits above the match fields: for the alert stage (ap_data)
reg [OUI_BW-1:0] oui_mask;

// PFX_SEARCH: a command waits in tq (tq_hold) while it would disturb a search: an interval write while a search
// uses the table's port (pfx_busy), a commit while a record is between its accept and its rule stage (lk_busy;
// no record is accepted while a commit waits), so a record's address sets and rules come from one bank.
wire        tq_hold;
wire        commit_wait;
assign s_tbl_tready = rule_wr_ready && !(tq_valid && tq_table == T_COMMIT) && !tq_hold;

always @(posedge clk) begin
    if (s_tbl_tvalid && s_tbl_tready) begin
        tq_table <= s_tbl_table;
        tq_index <= s_tbl_index;
        tq_data  <= s_tbl_data;
    end
end

wire [15:0] st_buckets = tq_data[`TW_ST_OUI_BUCKETS];
wire        st_ok = st_buckets != 16'd0 && (st_buckets & (st_buckets - 16'd1)) == 16'd0 &&
                    {16'd0, st_buckets} <= OUI_BUCKETS;
reg         tq_good;
always @(*) begin
    case (tq_table)
        T_SETTINGS: tq_good = tq_index == 16'd0 && st_ok;
        T_OUI:      tq_good = {16'd0, tq_index} < 4 * OUI_BUCKETS;
        T_PREFIX:   tq_good = PFX_SEARCH == 0 && {16'd0, tq_index} < `TW_CAP_PREFIXES;
        T_PFX_IV:   tq_good = PFX_SEARCH != 0 && {16'd0, tq_index} < (1 << PI_DW);
        T_PORT:     tq_good = {16'd0, tq_index} < `TW_CAP_PORT_RANGES;
        T_RULE:     tq_good = {16'd0, tq_index} < `TW_CAP_RULES;
        T_COMMIT:   tq_good = 1'b1;
        default:    tq_good = 1'b0;
    endcase
end
wire tq_go     = tq_valid && !tq_hold;
wire wr_oui    = tq_go && tq_good && tq_table == T_OUI;
/* verilator lint_off UNUSEDSIGNAL */
wire wr_prefix = tq_go && tq_good && tq_table == T_PREFIX;   // one of the two is unused
wire wr_piv    = tq_go && tq_good && tq_table == T_PFX_IV;
/* verilator lint_on UNUSEDSIGNAL */
wire wr_port   = tq_go && tq_good && tq_table == T_PORT;
wire wr_rule   = tq_go && tq_good && tq_table == T_RULE;
wire do_commit = tq_go && tq_good && tq_table == T_COMMIT;
assign ap_valid = tq_go && tq_good;
assign ap_table = tq_table;
assign ap_index = tq_index;
assign ap_data  = tq_data;

always @(posedge clk) begin
    if (rst) begin
        tq_valid    <= 1'b0;
        oui_mask    <= OUI_BUCKETS[OUI_BW-1:0] - 1'b1;
        cnt_wr_ok   <= 32'd0;
        cnt_wr_bad  <= 32'd0;
        cnt_commits <= 32'd0;
    end else begin
        tq_valid <= tq_hold || (s_tbl_tvalid && s_tbl_tready);
        if (tq_go && tq_good && tq_table == T_SETTINGS) oui_mask <= st_buckets[OUI_BW-1:0] - 1'b1;
        if (tq_go) begin
            if (tq_good) cnt_wr_ok <= cnt_wr_ok + 32'd1;
            else         cnt_wr_bad <= cnt_wr_bad + 32'd1;
        end
        if (do_commit) cnt_commits <= cnt_commits + 32'd1;
    end
end

// =====================================================================================================
// issue stage: accept a record, issue its 4 keys on the next 4 clocks
// =====================================================================================================
reg         iss_active;
reg [1:0]   iss_k;
reg [RES_FIFO_W+1:0] occ;            // records accepted and not yet delivered
wire        res_pop;
wire        can_take;
wire        credit   = occ < (1 << RES_FIFO_W);
wire        accept   = s_meta_tvalid && s_mc_tvalid && can_take && credit && !commit_wait;
assign s_meta_tready = s_mc_tvalid && can_take && credit && !commit_wait;
assign s_mc_tready   = s_meta_tvalid && can_take && credit && !commit_wait;

/* verilator lint_off UNUSEDSIGNAL */
reg [META_WIDTH-1:0] cur;          // only the fields the match path uses are kept by synthesis
/* verilator lint_on UNUSEDSIGNAL */
reg                  cur_mc;
always @(posedge clk) begin
    if (accept) begin
        cur    <= s_meta_tdata;
        cur_mc <= s_mc_tdata;
    end
end

always @(posedge clk) begin
    if (rst) begin
        iss_active <= 1'b0;
        iss_k      <= 2'd0;
        occ        <= {(RES_FIFO_W+2){1'b0}};
    end else begin
        if (accept) begin
            iss_active <= 1'b1;
            iss_k      <= 2'd0;
        end else if (iss_active) begin
            iss_k <= iss_k + 2'd1;
            if (iss_k == 2'd3) iss_active <= 1'b0;
        end
        occ <= occ + {{(RES_FIFO_W+1){1'b0}}, accept} - {{(RES_FIFO_W+1){1'b0}}, res_pop};
    end
end

// pacing: a record every 4 clocks (the key issue) or every REC_CLOCKS clocks
generate
    if (REC_CLOCKS == 4) begin : pace4
        assign can_take = !iss_active || iss_k == 2'd3;
    end else begin : pace_n
        localparam integer PLAST_I = REC_CLOCKS - 1;
        reg              busy;
        reg [PACE_W-1:0] n;            // clocks since the accept, less one
        assign can_take = !busy || n == PLAST_I[PACE_W-1:0];
        always @(posedge clk) begin
            if (rst) begin
                busy <= 1'b0;
                n    <= {PACE_W{1'b0}};
            end else if (accept) begin
                busy <= 1'b1;
                n    <= {PACE_W{1'b0}};
            end else if (busy) begin
                n <= n + 1'b1;
                if (n == PLAST_I[PACE_W-1:0]) busy <= 1'b0;
            end
        end
    end
endgenerate

// the record's layers
wire [3:0]   o_ver = cur[`TW_M_O_IP_VER];
wire [3:0]   i_ver = cur[`TW_M_I_IP_VER];
wire         inner = cur[`TW_M_INNER];
wire         c_o_ip = o_ver == 4'd4 || o_ver == 4'd6;
wire         c_i_ip = inner && (i_ver == 4'd4 || i_ver == 4'd6);

reg  [23:0]  key_oui;
/* verilator lint_off UNUSEDSIGNAL */
reg  [127:0] key_addr;       // unused when the prefixes are scanned
reg          key_v6;
reg  [15:0]  key_port;       // unused when the ports are scanned
/* verilator lint_on UNUSEDSIGNAL */
always @(*) begin
    case (iss_k)
        2'd0: begin key_oui = cur[`TW_M_O_SMAC_LSB + 24 +: 24]; key_addr = cur[`TW_M_O_IP_SRC];
                    key_v6 = o_ver == 4'd6; key_port = cur[`TW_M_O_SPORT]; end
        2'd1: begin key_oui = cur[`TW_M_O_DMAC_LSB + 24 +: 24]; key_addr = cur[`TW_M_O_IP_DST];
                    key_v6 = o_ver == 4'd6; key_port = cur[`TW_M_O_DPORT]; end
        2'd2: begin key_oui = cur[`TW_M_I_SMAC_LSB + 24 +: 24]; key_addr = cur[`TW_M_I_IP_SRC];
                    key_v6 = i_ver == 4'd6; key_port = cur[`TW_M_I_SPORT]; end
        default: begin key_oui = cur[`TW_M_I_DMAC_LSB + 24 +: 24]; key_addr = cur[`TW_M_I_IP_DST];
                    key_v6 = i_ver == 4'd6; key_port = cur[`TW_M_I_DPORT]; end
    endcase
end

// the frame's scalar features, captured when the last key issues (stable until the lookups return)
reg [CTX_W-1:0] sc_ctx;      // result bits 0..145 except the vendor sets (filled at collection)
reg [3:0]   sc_tun;
reg         sc_o_ip, sc_o_ports, sc_o_tcp, sc_o_l2, sc_i_ip, sc_i_ports, sc_i_tcp, sc_i_l2;
reg [7:0]   sc_o_proto, sc_o_ttl, sc_o_flags, sc_i_proto, sc_i_ttl, sc_i_flags;
reg [1:0]   sc_o_vn, sc_i_vn;
reg [11:0]  sc_o_vid0, sc_o_vid1, sc_i_vid0, sc_i_vid1;

function [1:0] vclamp;
    input       l2;
    input [1:0] n;
    begin
        vclamp = !l2 ? 2'd0 : (n > 2'd2 ? 2'd2 : n);
    end
endfunction

wire [7:0] c_o_proto = cur[`TW_M_O_IP_PROTO];
wire [7:0] c_i_proto = cur[`TW_M_I_IP_PROTO];
wire c_o_l4 = cur[`TW_M_O_L4];
wire c_i_l4 = cur[`TW_M_I_L4];
wire c_o_ports = c_o_ip && c_o_l4 && (c_o_proto == 8'd6 || c_o_proto == 8'd17 || c_o_proto == 8'd132);
wire c_i_ports = c_i_ip && c_i_l4 && (c_i_proto == 8'd6 || c_i_proto == 8'd17 || c_i_proto == 8'd132);
wire c_o_tcp = c_o_ip && c_o_l4 && c_o_proto == 8'd6;
wire c_i_tcp = c_i_ip && c_i_l4 && c_i_proto == 8'd6;
wire c_o_l2 = cur[`TW_M_O_L2];
wire c_i_l2 = inner && cur[`TW_M_I_L2];

always @(posedge clk) begin
    if (iss_active && iss_k == 2'd3) begin
        sc_ctx <= {CTX_W{1'b0}};
        sc_ctx[R_TS +: 64]   <= cur[`TW_M_TS];
        sc_ctx[R_PORT]       <= cur[`TW_M_PORT];
        sc_ctx[R_FSEQ +: 32] <= cur[`TW_M_FSEQ];
        sc_ctx[R_LEN +: 16]  <= cur[`TW_M_LEN];
        sc_ctx[R_MIRROR]     <= cur_mc;
        sc_tun     <= cur[`TW_M_TUN_KIND];
        sc_o_ip    <= c_o_ip;
        sc_o_ports <= c_o_ports;
        sc_o_tcp   <= c_o_tcp;
        sc_o_l2    <= c_o_l2;
        sc_o_proto <= c_o_proto;
        sc_o_ttl   <= cur[`TW_M_O_IP_TTL];
        sc_o_flags <= c_o_tcp ? cur[`TW_M_O_TCP_FLAGS] : 8'h00;
        sc_o_vn    <= vclamp(c_o_l2, cur[`TW_M_O_VLAN_N]);
        sc_o_vid0  <= cur[`TW_M_O_VLAN0_TCI_LSB +: 12];
        sc_o_vid1  <= cur[`TW_M_O_VLAN1_TCI_LSB +: 12];
        sc_i_ip    <= c_i_ip;
        sc_i_ports <= c_i_ports;
        sc_i_tcp   <= c_i_tcp;
        sc_i_l2    <= c_i_l2;
        sc_i_proto <= c_i_proto;
        sc_i_ttl   <= cur[`TW_M_I_IP_TTL];
        sc_i_flags <= c_i_tcp ? cur[`TW_M_I_TCP_FLAGS] : 8'h00;
        sc_i_vn    <= vclamp(c_i_l2, cur[`TW_M_I_VLAN_N]);
        sc_i_vid0  <= cur[`TW_M_I_VLAN0_TCI_LSB +: 12];
        sc_i_vid1  <= cur[`TW_M_I_VLAN1_TCI_LSB +: 12];
    end
end

// =====================================================================================================
// lookups (latency 3 each), tagged with the key number
// =====================================================================================================
wire        oui_v;
wire [7:0]  oui_vset;
wire [31:0] pfx_sets;
wire [15:0] prt_sets;
wire [1:0]  oui_tag;
// parallel: the three lookups have the same latency, the OUI unit's valid and tag stand for all three
/* verilator lint_off UNUSEDSIGNAL */
wire        pfx_v, prt_v;
wire [1:0]  pfx_tag, prt_tag;
/* verilator lint_on UNUSEDSIGNAL */

tw_oui_lookup #(.BUCKETS(OUI_BUCKETS), .BW(OUI_BW), .TAG_W(2)) u_oui (
    .clk(clk), .rst(rst),
    .in_valid(iss_active), .in_oui(key_oui), .in_tag(iss_k), .bucket_mask(oui_mask),
    .out_valid(oui_v), .out_vset(oui_vset), .out_tag(oui_tag),
    .wr_en(wr_oui), .wr_index(tq_index[OUI_BW+1:0]), .wr_data(tq_data[`TW_OE_WIDTH-1:0])
);

// address and port sets: compared in parallel (one key per clock, LATENCY 3, like the OUI unit), or scanned
// (tw_set_scan: the record's 4 keys in 4 * N / UNITS clocks from the accept clock, one result per key)
/* verilator lint_off UNUSEDSIGNAL */
wire [3:0] k_v6 = {i_ver == 4'd6, i_ver == 4'd6, o_ver == 4'd6, o_ver == 4'd6};   // the scan's key versions
/* verilator lint_on UNUSEDSIGNAL */
/* verilator lint_off UNUSEDSIGNAL */
wire pfx_busy;              // PFX_SEARCH only
/* verilator lint_on UNUSEDSIGNAL */
generate
    if (PFX_SEARCH != 0) begin : pfx_search
        tw_pfx_search #(.DW(PI_DW)) u_pfx (
            .clk(clk), .rst(rst),
            .start(accept), .in_v6(k_v6),
            .in_key({cur[`TW_M_I_IP_DST], cur[`TW_M_I_IP_SRC], cur[`TW_M_O_IP_DST], cur[`TW_M_O_IP_SRC]}),
            .out_valid(pfx_v), .out_sets(pfx_sets), .out_tag(pfx_tag), .busy(pfx_busy),
            .wr_en(wr_piv), .wr_index(tq_index[PI_DW-1:0]), .wr_data(tq_data[`TW_PI_WIDTH-1:0]),
            .bank(rule_bank)
        );
    end else if (PFX_UNITS == 0) begin : pfx_par
        assign pfx_busy = 1'b0;
        tw_prefix_match #(.N(`TW_CAP_PREFIXES), .IW(7), .TAG_W(2)) u_pfx (
            .clk(clk), .rst(rst),
            .in_valid(iss_active), .in_v6(key_v6), .in_addr(key_addr), .in_tag(iss_k),
            .out_valid(pfx_v), .out_sets(pfx_sets), .out_tag(pfx_tag),
            .wr_en(wr_prefix), .wr_index(tq_index[6:0]), .wr_data(tq_data[`TW_PE_WIDTH-1:0])
        );
    end else begin : pfx_scan
        assign pfx_busy = 1'b0;
        tw_set_scan #(.KIND(0), .N(`TW_CAP_PREFIXES), .IW(7), .UNITS(PFX_UNITS), .UW($clog2(PFX_UNITS))) u_pfx (
            .clk(clk), .rst(rst),
            .start(accept), .in_v6(k_v6),
            .in_key({cur[`TW_M_I_IP_DST], cur[`TW_M_I_IP_SRC], cur[`TW_M_O_IP_DST], cur[`TW_M_O_IP_SRC]}),
            .out_valid(pfx_v), .out_sets(pfx_sets), .out_tag(pfx_tag),
            .wr_en(wr_prefix), .wr_index(tq_index[6:0]), .wr_data(tq_data[`TW_PE_WIDTH-1:0])
        );
    end
    if (PRT_UNITS == 0) begin : prt_par
        tw_port_match #(.N(`TW_CAP_PORT_RANGES), .IW(6), .TAG_W(2)) u_prt (
            .clk(clk), .rst(rst),
            .in_valid(iss_active), .in_port(key_port), .in_tag(iss_k),
            .out_valid(prt_v), .out_sets(prt_sets), .out_tag(prt_tag),
            .wr_en(wr_port), .wr_index(tq_index[5:0]), .wr_data(tq_data[`TW_PT_WIDTH-1:0])
        );
    end else begin : prt_scan
        tw_set_scan #(.KIND(1), .N(`TW_CAP_PORT_RANGES), .IW(6), .UNITS(PRT_UNITS), .UW($clog2(PRT_UNITS))) u_prt (
            .clk(clk), .rst(rst),
            .start(accept), .in_v6(4'd0),
            .in_key({cur[`TW_M_I_DPORT], cur[`TW_M_I_SPORT], cur[`TW_M_O_DPORT], cur[`TW_M_O_SPORT]}),
            .out_valid(prt_v), .out_sets(prt_sets), .out_tag(prt_tag),
            .wr_en(wr_port), .wr_index(tq_index[5:0]), .wr_data(tq_data[`TW_PT_WIDTH-1:0])
        );
    end
endgenerate

// collection of the 4 keys' lookups. Parallel: keys 0..2 are stored, key 3 completes the frame. Scanned: all 4
// are stored; the frame is complete the clock after the last lookup's key 3 (the scan's: 4 * S + 2 clocks after
// the accept, the OUI unit's 7).
wire [7:0]  vs0, vs1, vs2, vs3;
wire [31:0] as0, as1, as2, as3;
wire [15:0] ps0, ps1, ps2, ps3;
wire        f_valid;

// PFX_SEARCH: a record between its accept and its rule stage (f_valid), and the table port's holds (see tq_hold)
generate
    if (PFX_SEARCH != 0) begin : lk_track
        // records accepted and not yet at f_valid: the lookups take a few clocks more than REC_CLOCKS, so two can
        // be in flight (a flag cleared by the first one's f_valid released a commit in the second one's lookups)
        reg [2:0] lk_n;
        wire      lk_busy = lk_n != 3'd0;
        always @(posedge clk) begin
            if (rst) lk_n <= 3'd0;
            else     lk_n <= lk_n + {2'd0, accept} - {2'd0, f_valid};
        end
        assign commit_wait = tq_valid && tq_table == T_COMMIT;
        assign tq_hold = tq_valid && ((tq_table == T_COMMIT && lk_busy) || (tq_table == T_PFX_IV && pfx_busy));
    end else begin : lk_none
        assign commit_wait = 1'b0;
        assign tq_hold = 1'b0;
    end
endgenerate
generate
    if (!SCAN) begin : col_par
        reg [7:0]  col_vs [0:2];
        reg [31:0] col_as [0:2];
        reg [15:0] col_ps [0:2];
        always @(posedge clk) begin
            if (oui_v && oui_tag != 2'd3) begin
                col_vs[oui_tag] <= oui_vset;
                col_as[oui_tag] <= pfx_sets;
                col_ps[oui_tag] <= prt_sets;
            end
        end
        assign f_valid = oui_v && oui_tag == 2'd3;
        assign {vs0, vs1, vs2, vs3} = {col_vs[0], col_vs[1], col_vs[2], oui_vset};
        assign {as0, as1, as2, as3} = {col_as[0], col_as[1], col_as[2], pfx_sets};
        assign {ps0, ps1, ps2, ps3} = {col_ps[0], col_ps[1], col_ps[2], prt_sets};
    end else begin : col_scan
        reg [7:0]  col_vs [0:3];
        reg [31:0] col_as [0:3];
        reg [15:0] col_ps [0:3];
        reg        d_oui, d_pfx, d_prt;     // key 3 of this lookup is in
        always @(posedge clk) begin
            if (oui_v) col_vs[oui_tag] <= oui_vset;
            if (pfx_v) col_as[pfx_tag] <= pfx_sets;
            if (prt_v) col_ps[prt_tag] <= prt_sets;
        end
        assign f_valid = d_oui && d_pfx && d_prt;
        always @(posedge clk) begin
            if (rst) begin
                d_oui <= 1'b0;
                d_pfx <= 1'b0;
                d_prt <= 1'b0;
            end else begin
                d_oui <= (d_oui && !f_valid) || (oui_v && oui_tag == 2'd3);
                d_pfx <= (d_pfx && !f_valid) || (pfx_v && pfx_tag == 2'd3);
                d_prt <= (d_prt && !f_valid) || (prt_v && prt_tag == 2'd3);
            end
        end
        assign {vs0, vs1, vs2, vs3} = {col_vs[0], col_vs[1], col_vs[2], col_vs[3]};
        assign {as0, as1, as2, as3} = {col_as[0], col_as[1], col_as[2], col_as[3]};
        assign {ps0, ps1, ps2, ps3} = {col_ps[0], col_ps[1], col_ps[2], col_ps[3]};
    end
endgenerate

// features as docs/detection.md's layer view: sets of a layer without IP / ports / Ethernet are 0
wire [7:0]  o_svs = sc_o_l2 ? vs0 : 8'h00;
wire [7:0]  o_dvs = sc_o_l2 ? vs1 : 8'h00;
wire [7:0]  i_svs = sc_i_l2 ? vs2 : 8'h00;
wire [7:0]  i_dvs = sc_i_l2 ? vs3 : 8'h00;
wire [31:0] o_ss  = sc_o_ip ? as0 : 32'h0;
wire [31:0] o_ds  = sc_o_ip ? as1 : 32'h0;
wire [31:0] i_ss  = sc_i_ip ? as2 : 32'h0;
wire [31:0] i_ds  = sc_i_ip ? as3 : 32'h0;
wire [15:0] o_sps = sc_o_ports ? ps0 : 16'h0;
wire [15:0] o_dps = sc_o_ports ? ps1 : 16'h0;
wire [15:0] i_sps = sc_i_ports ? ps2 : 16'h0;
wire [15:0] i_dps = sc_i_ports ? ps3 : 16'h0;

reg [CTX_W-1:0] f_ctx;
always @(*) begin
    f_ctx = sc_ctx;
    f_ctx[R_OSVS +: 8] = o_svs;
    f_ctx[R_ODVS +: 8] = o_dvs;
    f_ctx[R_ISVS +: 8] = i_svs;
    f_ctx[R_IDVS +: 8] = i_dvs;
end

// =====================================================================================================
// rules
// =====================================================================================================
wire                  mv_valid;
wire [`TW_CAP_RULES-1:0] mv_alert, mv_pass;
wire [CTX_W-1:0]      mv_ctx;
wire                  mv_bank;

tw_rule_eval #(.NEVAL(NEVAL), .PHASES(PHASES), .PW($clog2(PHASES)), .EW($clog2(NEVAL)), .CTX_W(CTX_W)) u_eval (
    .clk(clk), .rst(rst),
    .wr_en(wr_rule), .wr_index(tq_index[7:0]), .wr_data(tq_data[`TW_RE_FLG_VAL_LSB+7:0]),
    .wr_ready(rule_wr_ready), .commit(do_commit), .bank(rule_bank),
    .f_valid(f_valid), .f_ctx(f_ctx), .f_tun_kind(sc_tun), .f_mirror(sc_ctx[R_MIRROR]),
    .o_ip(sc_o_ip), .o_proto(sc_o_proto), .o_ttl(sc_o_ttl), .o_flags(sc_o_flags), .o_ports(sc_o_ports),
    .o_tcp(sc_o_tcp), .o_ssets(o_ss), .o_dsets(o_ds), .o_spsets(o_sps), .o_dpsets(o_dps), .o_l2(sc_o_l2),
    .o_svs(o_svs), .o_dvs(o_dvs), .o_vlan_n(sc_o_vn), .o_vid0(sc_o_vid0), .o_vid1(sc_o_vid1),
    .i_ip(sc_i_ip), .i_proto(sc_i_proto), .i_ttl(sc_i_ttl), .i_flags(sc_i_flags), .i_ports(sc_i_ports),
    .i_tcp(sc_i_tcp), .i_ssets(i_ss), .i_dsets(i_ds), .i_spsets(i_sps), .i_dpsets(i_dps), .i_l2(sc_i_l2),
    .i_svs(i_svs), .i_dvs(i_dvs), .i_vlan_n(sc_i_vn), .i_vid0(sc_i_vid0), .i_vid1(sc_i_vid1),
    .mv_valid(mv_valid), .mv_alert(mv_alert), .mv_pass(mv_pass), .mv_ctx(mv_ctx), .mv_bank(mv_bank)
);

wire                 sel_valid;
wire [CTX_W:0]       sel_ctx;        // {bank, context}
wire [`TW_CAP_RULES-1:0] sel_mv;
wire [3:0]           sel_n;
wire [63:0]          sel_idx;
wire [8:0]           sel_ovf, sel_matches, sel_supp;

// one pick unit when frames come at least MAXA + 2 clocks apart (tw_rule_eval: one every PHASES clocks)
tw_rule_select #(.NRULES(`TW_CAP_RULES), .IW(8), .MAXA(`TW_CAP_ALERTS), .CTX_W(CTX_W + 1),
                 .SERIAL(PHASES >= `TW_CAP_ALERTS + 2 ? 1 : 0)) u_sel (
    .clk(clk), .rst(rst),
    .in_valid(mv_valid), .in_alert(mv_alert), .in_pass(mv_pass), .in_ctx({mv_bank, mv_ctx}),
    .out_valid(sel_valid), .out_ctx(sel_ctx), .out_n(sel_n), .out_idx(sel_idx), .out_overflow(sel_ovf),
    .out_matches(sel_matches), .out_suppressed(sel_supp), .out_matchv(sel_mv)
);

// =====================================================================================================
// result FIFO
// =====================================================================================================
reg [RES_W-1:0] res_in;
always @(*) begin
    res_in = {RES_W{1'b0}};
    res_in[CTX_W-1:0]      = sel_ctx[CTX_W-1:0];
    res_in[R_BANK]         = sel_ctx[CTX_W];
    res_in[R_MV +: `TW_CAP_RULES] = sel_mv;
    res_in[R_N +: 4]       = sel_n;
    res_in[R_IDX +: 64]    = sel_idx;
    res_in[R_OVF +: 9]     = sel_ovf;
    res_in[R_MATCHES +: 9] = sel_matches;
    res_in[R_SUPP +: 9]    = sel_supp;
end
wire             fifo_ready;

tw_sync_fifo #(.WIDTH(RES_W), .DEPTH_W(RES_FIFO_W)) u_fifo (
    .clk(clk), .rst(rst),
    .s_data(res_in), .s_valid(sel_valid), .s_ready(fifo_ready),
    .m_data(m_res_tdata), .m_valid(m_res_tvalid), .m_ready(m_res_tready)
);
assign res_pop = m_res_tvalid && m_res_tready;

// =====================================================================================================
// counters
// =====================================================================================================
always @(posedge clk) begin
    if (rst) begin
        cnt_frames     <= 64'd0;
        cnt_results    <= 64'd0;
        cnt_no_ip      <= 64'd0;
        cnt_mirror     <= 64'd0;
        cnt_matches    <= 64'd0;
        cnt_alerts     <= 64'd0;
        cnt_overflow   <= 64'd0;
        cnt_suppressed <= 64'd0;
        cnt_res_lost   <= 32'd0;
    end else begin
        if (accept) begin
            cnt_frames <= (cnt_frames + 64'd1) & CNT_MASK;
            if (!((s_meta_tdata[`TW_M_O_IP_VER] == 4'd4) || (s_meta_tdata[`TW_M_O_IP_VER] == 4'd6)))
                cnt_no_ip <= (cnt_no_ip + 64'd1) & CNT_MASK;
            if (s_mc_tdata) cnt_mirror <= (cnt_mirror + 64'd1) & CNT_MASK;
        end
        if (res_pop) cnt_results <= (cnt_results + 64'd1) & CNT_MASK;
        if (sel_valid) begin
            cnt_matches    <= (cnt_matches + {55'd0, sel_matches}) & CNT_MASK;
            cnt_alerts     <= (cnt_alerts + {60'd0, sel_n}) & CNT_MASK;
            cnt_overflow   <= (cnt_overflow + {55'd0, sel_ovf}) & CNT_MASK;
            cnt_suppressed <= (cnt_suppressed + {55'd0, sel_supp}) & CNT_MASK;
            if (!fifo_ready) cnt_res_lost <= cnt_res_lost + 32'd1;
        end
    end
end

endmodule

`resetall
