// tw_rule_eval: the rule table and its evaluation. Every rule is evaluated for every frame with the semantics of
// docs/tables.md "Rules" / docs/detection.md: NEVAL evaluators each evaluate PHASES rules per frame, one per clock,
// so a frame takes PHASES clocks (reference: 64 evaluators x 4 phases = 256 rules; a frame may start every 4
// clocks, the line rate of two ports of back-to-back 64-byte frames on a 64-bit bus).
//
// Rule r = p * NEVAL + e lives in evaluator e's memory at address {bank, p}: each evaluator owns a small
// synchronous-read memory of 2 banks x PHASES entries holding the match fields of the rule (entry bits
// 0..RM-1 of contracts/rule_entry.def; thresholds, volume, sid/rev/gid/prio are for the later alert stage).
// Phase p's 64 results are rules p*64 .. p*64+63, so the 256-bit match vector fills in rule order.
//
// Shadow bank and atomic commit: host writes go to the inactive (shadow) bank; `commit` swaps the banks. The bank
// is sampled when a frame starts and used for all of its reads, so every frame sees the old rule set wholly or the
// new one wholly. For COMMIT_HOLD clocks after a commit, wr_ready is low (a frame that started just before the
// commit is still reading the now-shadow bank). After a commit the shadow bank holds the previous rule set: the
// host rewrites every rule it wants in the next set (docs/engine.md).
//
// Features: one set per layer (outer o_*, inner i_*), computed by the engine's lookup stage; f_valid for one clock
// per frame, at most once every PHASES clocks. Output (mv_valid, one clock, PHASES + 1 clocks after f_valid):
// mv_alert[r] = rule r matched and is an alert rule, mv_pass[r] = rule r matched and is a pass rule, and the
// frame's context, and mv_bank, the rule bank the frame was evaluated with. The pass and 8-alert selection is tw_rule_select.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_rule_entry.vh"

module tw_rule_eval #(
    parameter NEVAL = 64,
    parameter PHASES = 4,
    parameter PW = 2,                 // log2(PHASES)
    parameter EW = 6,                 // log2(NEVAL)
    parameter CTX_W = 8,
    parameter NRULES = NEVAL * PHASES
) (
    input  wire                 clk,
    input  wire                 rst,
    // rule writes (match fields of an entry) and commit
    input  wire                 wr_en,
    input  wire [EW+PW-1:0]     wr_index,
    input  wire [`TW_RE_FLG_VAL_LSB+7:0] wr_data,
    output wire                 wr_ready,
    input  wire                 commit,
    output reg                  bank,      // the active bank
    // per-frame features
    input  wire                 f_valid,
    input  wire [CTX_W-1:0]     f_ctx,
    input  wire [3:0]           f_tun_kind,
    input  wire                 f_mirror,
    input  wire                 o_ip,   input wire [7:0] o_proto, input wire [7:0] o_ttl, input wire [7:0] o_flags,
    input  wire                 o_ports, input wire o_tcp,
    input  wire [31:0]          o_ssets, input wire [31:0] o_dsets, input wire [15:0] o_spsets,
    input  wire [15:0]          o_dpsets,
    input  wire                 o_l2,   input wire [7:0] o_svs, input wire [7:0] o_dvs,
    input  wire [1:0]           o_vlan_n, input wire [11:0] o_vid0, input wire [11:0] o_vid1,
    input  wire                 i_ip,   input wire [7:0] i_proto, input wire [7:0] i_ttl, input wire [7:0] i_flags,
    input  wire                 i_ports, input wire i_tcp,
    input  wire [31:0]          i_ssets, input wire [31:0] i_dsets, input wire [15:0] i_spsets,
    input  wire [15:0]          i_dpsets,
    input  wire                 i_l2,   input wire [7:0] i_svs, input wire [7:0] i_dvs,
    input  wire [1:0]           i_vlan_n, input wire [11:0] i_vid0, input wire [11:0] i_vid1,
    // per-frame match vectors
    output reg                  mv_valid,
    output reg  [NRULES-1:0]    mv_alert,
    output reg  [NRULES-1:0]    mv_pass,
    output reg  [CTX_W-1:0]     mv_ctx,
    output reg                  mv_bank    // the bank the frame was matched with
);

localparam RM = `TW_RE_FLG_VAL_LSB + 8;
localparam COMMIT_HOLD = PHASES;
localparam integer LAST_I = PHASES - 1;
localparam [PW-1:0] LAST = LAST_I[PW-1:0];

// ---- layer feature vector (this file only) ----
localparam L_IP = 0, L_PROTO = 1, L_TTL = 9, L_FLAGS = 17, L_PORTS = 25, L_TCP = 26, L_SSETS = 27,
           L_DSETS = 59, L_SPSETS = 91, L_DPSETS = 107, L_L2 = 123, L_SVS = 124, L_DVS = 132, L_VLAN_N = 140,
           L_VID0 = 142, L_VID1 = 154, LW = 166;

wire [LW-1:0] lo_in = {o_vid1, o_vid0, o_vlan_n, o_dvs, o_svs, o_l2, o_dpsets, o_spsets, o_dsets, o_ssets,
                       o_tcp, o_ports, o_flags, o_ttl, o_proto, o_ip};
wire [LW-1:0] li_in = {i_vid1, i_vid0, i_vlan_n, i_dvs, i_svs, i_l2, i_dpsets, i_spsets, i_dsets, i_ssets,
                       i_tcp, i_ports, i_flags, i_ttl, i_proto, i_ip};

reg [LW-1:0]  lo_q, li_q;
reg [3:0]     tun_q;
reg           mir_q;
reg [CTX_W-1:0] ctx_q;

// ---- sequencing ----
reg           run;
reg [PW-1:0]  cnt;
reg           bank_f;
wire [PW-1:0] rd_phase = f_valid ? {PW{1'b0}} : cnt;
wire          rd_bank  = f_valid ? bank : bank_f;
reg           s1_valid;
reg [PW-1:0]  s1_phase;
reg [2:0]     hold;

assign wr_ready = hold == 3'd0;

always @(posedge clk) begin
    if (f_valid) begin
        lo_q   <= lo_in;
        li_q   <= li_in;
        tun_q  <= f_tun_kind;
        mir_q  <= f_mirror;
        ctx_q  <= f_ctx;
        bank_f <= bank;
    end
    s1_phase <= rd_phase;
end

always @(posedge clk) begin
    if (rst) begin
        run      <= 1'b0;
        cnt      <= {PW{1'b0}};
        s1_valid <= 1'b0;
        bank     <= 1'b0;
        hold     <= 3'd0;
    end else begin
        s1_valid <= f_valid || run;
        if (f_valid) begin
            run <= PHASES > 1;
            cnt <= {{(PW-1){1'b0}}, 1'b1};
        end else if (run) begin
            cnt <= cnt + 1'b1;
            if (cnt == LAST) run <= 1'b0;
        end
        if (commit) begin
            bank <= !bank;
            hold <= COMMIT_HOLD[2:0];
        end else if (hold != 3'd0) begin
            hold <= hold - 1'b1;
        end
    end
end

// ---- cmp(op, x, a, b) of docs/tables.md ----
function cmp_op;
    input [3:0]  op;
    input [11:0] x, a, b;
    begin
        case (op)
            `TW_CMP_NONE:   cmp_op = 1'b1;
            `TW_CMP_EQ:     cmp_op = x == a;
            `TW_CMP_NE:     cmp_op = x != a;
            `TW_CMP_LT:     cmp_op = x < a;
            `TW_CMP_LE:     cmp_op = x <= a;
            `TW_CMP_GT:     cmp_op = x > a;
            `TW_CMP_GE:     cmp_op = x >= a;
            `TW_CMP_RANGE:  cmp_op = a < x && x < b;
            `TW_CMP_NRANGE: cmp_op = x <= a || x >= b;
            default:        cmp_op = 1'b0;
        endcase
    end
endfunction

// ((!in_v || S[in]) && !(ex_v && S[ex])) ^ neg
function set_cond;
    input [31:0] s;
    input        in_v;
    input [4:0]  in;
    input        ex_v;
    input [4:0]  ex;
    input        neg;
    begin
        set_cond = ((!in_v || s[in]) && !(ex_v && s[ex])) ^ neg;
    end
endfunction

// ---- evaluators ----
wire [NEVAL-1:0] ev_alert, ev_pass;

genvar g;
generate
    for (g = 0; g < NEVAL; g = g + 1) begin : ev
        reg [RM-1:0] mem [0:2*PHASES-1];
        reg [RM-1:0] R;
        integer k;
        initial for (k = 0; k < 2 * PHASES; k = k + 1) mem[k] = {RM{1'b0}};
        always @(posedge clk) begin
            if (wr_en && wr_ready && wr_index[EW-1:0] == g)
                mem[{!bank, wr_index[EW+PW-1:EW]}] <= wr_data;
            R <= mem[{rd_bank, rd_phase}];
        end

        wire [LW-1:0] L = R[`TW_RE_INNER] ? li_q : lo_q;
        wire          ip     = L[L_IP];
        wire [7:0]    proto  = L[L_PROTO +: 8];
        wire [7:0]    ttl    = L[L_TTL +: 8];
        wire [7:0]    flags  = L[L_FLAGS +: 8];
        wire          ports  = L[L_PORTS];
        wire          tcp    = L[L_TCP];
        wire [31:0]   ssets  = L[L_SSETS +: 32];
        wire [31:0]   dsets  = L[L_DSETS +: 32];
        wire [15:0]   spsets = L[L_SPSETS +: 16];
        wire [15:0]   dpsets = L[L_DPSETS +: 16];
        wire          l2     = L[L_L2];
        wire [7:0]    svs    = L[L_SVS +: 8];
        wire [7:0]    dvs    = L[L_DVS +: 8];
        wire [1:0]    vn     = L[L_VLAN_N +: 2];
        wire [11:0]   vid0   = L[L_VID0 +: 12];
        wire [11:0]   vid1   = L[L_VID1 +: 12];

        // addresses and ports in both orientations
        wire sa_f = set_cond(ssets, R[`TW_RE_SRC_IN_V], R[`TW_RE_SRC_IN], R[`TW_RE_SRC_EX_V], R[`TW_RE_SRC_EX],
                             R[`TW_RE_SRC_NOT]);
        wire da_f = set_cond(dsets, R[`TW_RE_DST_IN_V], R[`TW_RE_DST_IN], R[`TW_RE_DST_EX_V], R[`TW_RE_DST_EX],
                             R[`TW_RE_DST_NOT]);
        wire sa_r = set_cond(dsets, R[`TW_RE_SRC_IN_V], R[`TW_RE_SRC_IN], R[`TW_RE_SRC_EX_V], R[`TW_RE_SRC_EX],
                             R[`TW_RE_SRC_NOT]);
        wire da_r = set_cond(ssets, R[`TW_RE_DST_IN_V], R[`TW_RE_DST_IN], R[`TW_RE_DST_EX_V], R[`TW_RE_DST_EX],
                             R[`TW_RE_DST_NOT]);
        wire sp_any = !R[`TW_RE_SP_IN_V] && !R[`TW_RE_SP_EX_V];
        wire dp_any = !R[`TW_RE_DP_IN_V] && !R[`TW_RE_DP_EX_V];
        wire sp_f = sp_any || (ports && set_cond({16'h0, spsets}, R[`TW_RE_SP_IN_V], {1'b0, R[`TW_RE_SP_IN]},
                              R[`TW_RE_SP_EX_V], {1'b0, R[`TW_RE_SP_EX]}, R[`TW_RE_SP_NOT]));
        wire dp_f = dp_any || (ports && set_cond({16'h0, dpsets}, R[`TW_RE_DP_IN_V], {1'b0, R[`TW_RE_DP_IN]},
                              R[`TW_RE_DP_EX_V], {1'b0, R[`TW_RE_DP_EX]}, R[`TW_RE_DP_NOT]));
        wire sp_r = sp_any || (ports && set_cond({16'h0, dpsets}, R[`TW_RE_SP_IN_V], {1'b0, R[`TW_RE_SP_IN]},
                              R[`TW_RE_SP_EX_V], {1'b0, R[`TW_RE_SP_EX]}, R[`TW_RE_SP_NOT]));
        wire dp_r = dp_any || (ports && set_cond({16'h0, spsets}, R[`TW_RE_DP_IN_V], {1'b0, R[`TW_RE_DP_IN]},
                              R[`TW_RE_DP_EX_V], {1'b0, R[`TW_RE_DP_EX]}, R[`TW_RE_DP_NOT]));
        wire hdr = (sa_f && da_f && sp_f && dp_f) || (R[`TW_RE_BIDIR] && sa_r && da_r && sp_r && dp_r);

        wire [11:0] tmask = R[`TW_RE_TUN_MASK];
        wire [15:0] tbits = {4'h0, tmask};
        wire tun_ok = tmask == 12'h0 || tbits[tun_q];
        wire proto_ok = !R[`TW_RE_PROTO_V] || proto == R[`TW_RE_PROTO];
        wire sv_ok = R[`TW_RE_SV_MASK] == 8'h0 ||
                     (l2 && (((svs & R[`TW_RE_SV_MASK]) != 8'h0) != R[`TW_RE_SV_NOT]));
        wire dv_ok = R[`TW_RE_DV_MASK] == 8'h0 ||
                     (l2 && (((dvs & R[`TW_RE_DV_MASK]) != 8'h0) != R[`TW_RE_DV_NOT]));
        wire ttl_ok = cmp_op(R[`TW_RE_TTL_OP], {4'h0, ttl}, {4'h0, R[`TW_RE_TTL_A]}, {4'h0, R[`TW_RE_TTL_B]});
        wire [7:0] fm = flags & R[`TW_RE_FLG_MASK];
        wire flg_ok = R[`TW_RE_FLG_MOD] == `TW_FLG_NONE ||
                      (tcp && (R[`TW_RE_FLG_MOD] == `TW_FLG_MASKED ? fm == R[`TW_RE_FLG_VAL] : fm != 8'h0));
        // vlan: n = min(vlan_n, 2) tags, v[0] = vid0, v[1] = vid1
        wire two = vn >= 2'd2;
        wire c0 = cmp_op(R[`TW_RE_VLAN_OP], vid0, R[`TW_RE_VLAN_A], R[`TW_RE_VLAN_B]);
        wire c1 = cmp_op(R[`TW_RE_VLAN_OP], vid1, R[`TW_RE_VLAN_A], R[`TW_RE_VLAN_B]);
        reg vl;
        always @(*) begin
            case (R[`TW_RE_VLAN_LAYER])
                `TW_VL_ANY: vl = c0 || (two && c1);
                `TW_VL_ALL: vl = c0 && (!two || c1);
                `TW_VL_0:   vl = c0;
                `TW_VL_1:   vl = two && c1;
                `TW_VL_M1:  vl = two ? c1 : c0;
                `TW_VL_M2:  vl = two && c0;
                default:    vl = 1'b0;
            endcase
        end
        wire vlan_ok = R[`TW_RE_VLAN_OP] == `TW_CMP_NONE || (vn != 2'd0 && vl);

        wire m = R[`TW_RE_VALID] && ip && (!R[`TW_RE_MIRROR] || mir_q) && tun_ok && proto_ok && sv_ok && dv_ok &&
                 ttl_ok && flg_ok && vlan_ok && hdr;
        assign ev_alert[g] = m && R[`TW_RE_ACTION] == `TW_ACT_ALERT;
        assign ev_pass[g]  = m && R[`TW_RE_ACTION] == `TW_ACT_PASS;
    end
endgenerate

// ---- match vectors: phase p fills rules p*NEVAL .. p*NEVAL+NEVAL-1 ----
integer p;
always @(posedge clk) begin
    if (s1_valid) begin
        for (p = 0; p < PHASES; p = p + 1)
            if ({{(32-PW){1'b0}}, s1_phase} == p) begin
                mv_alert[p * NEVAL +: NEVAL] <= ev_alert;
                mv_pass[p * NEVAL +: NEVAL]  <= ev_pass;
            end
    end
    if (s1_valid && s1_phase == LAST) begin
        mv_ctx  <= ctx_q;
        mv_bank <= bank_f;
    end
end

always @(posedge clk) begin
    if (rst) mv_valid <= 1'b0;
    else     mv_valid <= s1_valid && s1_phase == LAST;
end

endmodule

`resetall
