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
// per frame, at most once every PHASES clocks. Output (mv_valid, one clock, PHASES + 2 clocks after f_valid):
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
    output wire [NRULES-1:0]    mv_alert,
    output wire [NRULES-1:0]    mv_pass,
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
// the same, a clock later: what the evaluation (a clock behind the read, s2) uses. A frame's last phase is evaluated
// PHASES + 1 clocks after its f_valid, one clock after the next frame's f_valid may have loaded the *_q registers
reg [LW-1:0]  lo_d, li_d;
reg [3:0]     tun_d;
reg           mir_d;
reg [CTX_W-1:0] ctx_d;
reg           bank_d;

// ---- sequencing ----
reg           run;
reg [PW-1:0]  cnt;
reg           bank_f;
wire [PW-1:0] rd_phase = f_valid ? {PW{1'b0}} : cnt;
wire          rd_bank  = f_valid ? bank : bank_f;
reg           s1_valid;
reg [PW-1:0]  s1_phase;
reg           s2_valid;      // the rule word registered once more (timing: no rule logic behind the memory)
reg [PW-1:0]  s2_phase;
reg [PW:0]    hold;      // commit hold: counts PHASES clocks

assign wr_ready = hold == {(PW+1){1'b0}};

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
    s2_phase <= s1_phase;
    lo_d     <= lo_q;
    li_d     <= li_q;
    tun_d    <= tun_q;
    mir_d    <= mir_q;
    ctx_d    <= ctx_q;
    bank_d   <= bank_f;
end

always @(posedge clk) begin
    if (rst) begin
        run      <= 1'b0;
        cnt      <= {PW{1'b0}};
        s1_valid <= 1'b0;
        s2_valid <= 1'b0;
        bank     <= 1'b0;
        hold     <= {(PW+1){1'b0}};
    end else begin
        s1_valid <= f_valid || run;
        s2_valid <= s1_valid;
        if (f_valid) begin
            run <= PHASES > 1;
            cnt <= {{(PW-1){1'b0}}, 1'b1};
        end else if (run) begin
            cnt <= cnt + 1'b1;
            if (cnt == LAST) run <= 1'b0;
        end
        if (commit) begin
            bank <= !bank;
            hold <= COMMIT_HOLD[PW:0];
        end else if (hold != {(PW+1){1'b0}}) begin
            hold <= hold - 1'b1;
        end
    end
end

// ---- cmp(op, x, a, b) of docs/tables.md ----
// Every operator from three comparisons, x < a, x == a and x < b: LE = lt | eq, GT = !LE, GE = !lt,
// RANGE = a < x < b = GT && x < b, NRANGE = x <= a || x >= b = LE || !(x < b). Written one comparison per operator,
// the 24 uses of the small engine (3 per evaluator) mapped to 216 LUT4 more (session 23).
function cmp_op;
    input [3:0]  op;
    input [11:0] x, a, b;
    reg lt, eq, le, ltb;
    begin
        lt  = x < a;
        eq  = x == a;
        le  = lt || eq;
        ltb = x < b;
        case (op)
            `TW_CMP_NONE:   cmp_op = 1'b1;
            `TW_CMP_EQ:     cmp_op = eq;
            `TW_CMP_NE:     cmp_op = !eq;
            `TW_CMP_LT:     cmp_op = lt;
            `TW_CMP_LE:     cmp_op = le;
            `TW_CMP_GT:     cmp_op = !le;
            `TW_CMP_GE:     cmp_op = !lt;
            `TW_CMP_RANGE:  cmp_op = !le && ltb;
            `TW_CMP_NRANGE: cmp_op = le || !ltb;
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

// ---- one rule against one layer: {pass, alert} ----
// The whole rule condition as a function, so it is evaluated where it is registered (the evaluator's shift
// register below, under s1_valid): the same logic in synthesis, and a simulator computes it only on the PHASES
// clocks of a frame instead of on every clock.
function [1:0] rule_ap;
    input [RM-1:0] R;
    input [LW-1:0] lo, li;
    input [3:0]    tun;
    input          mir;
    reg [LW-1:0] L;
    reg ip, ports, tcp, l2, two, c0, c1, vl;
    reg [7:0] proto, ttl, flags, svs, dvs, fm;
    reg [31:0] ssets, dsets;
    reg [15:0] spsets, dpsets, tbits;
    reg [1:0] vn;
    reg [11:0] vid0, vid1, tmask;
    reg sa_f, da_f, sa_r, da_r, sp_any, dp_any, sp_f, dp_f, sp_r, dp_r, hdr;
    reg tun_ok, proto_ok, sv_ok, dv_ok, ttl_ok, flg_ok, vlan_ok, m;
    begin
        L      = R[`TW_RE_INNER] ? li : lo;
        ip     = L[L_IP];
        proto  = L[L_PROTO +: 8];
        ttl    = L[L_TTL +: 8];
        flags  = L[L_FLAGS +: 8];
        ports  = L[L_PORTS];
        tcp    = L[L_TCP];
        ssets  = L[L_SSETS +: 32];
        dsets  = L[L_DSETS +: 32];
        spsets = L[L_SPSETS +: 16];
        dpsets = L[L_DPSETS +: 16];
        l2     = L[L_L2];
        svs    = L[L_SVS +: 8];
        dvs    = L[L_DVS +: 8];
        vn     = L[L_VLAN_N +: 2];
        vid0   = L[L_VID0 +: 12];
        vid1   = L[L_VID1 +: 12];

        // addresses and ports in both orientations
        sa_f = set_cond(ssets, R[`TW_RE_SRC_IN_V], R[`TW_RE_SRC_IN], R[`TW_RE_SRC_EX_V], R[`TW_RE_SRC_EX],
                        R[`TW_RE_SRC_NOT]);
        da_f = set_cond(dsets, R[`TW_RE_DST_IN_V], R[`TW_RE_DST_IN], R[`TW_RE_DST_EX_V], R[`TW_RE_DST_EX],
                        R[`TW_RE_DST_NOT]);
        sa_r = set_cond(dsets, R[`TW_RE_SRC_IN_V], R[`TW_RE_SRC_IN], R[`TW_RE_SRC_EX_V], R[`TW_RE_SRC_EX],
                        R[`TW_RE_SRC_NOT]);
        da_r = set_cond(ssets, R[`TW_RE_DST_IN_V], R[`TW_RE_DST_IN], R[`TW_RE_DST_EX_V], R[`TW_RE_DST_EX],
                        R[`TW_RE_DST_NOT]);
        sp_any = !R[`TW_RE_SP_IN_V] && !R[`TW_RE_SP_EX_V];
        dp_any = !R[`TW_RE_DP_IN_V] && !R[`TW_RE_DP_EX_V];
        sp_f = sp_any || (ports && set_cond({16'h0, spsets}, R[`TW_RE_SP_IN_V], {1'b0, R[`TW_RE_SP_IN]},
                          R[`TW_RE_SP_EX_V], {1'b0, R[`TW_RE_SP_EX]}, R[`TW_RE_SP_NOT]));
        dp_f = dp_any || (ports && set_cond({16'h0, dpsets}, R[`TW_RE_DP_IN_V], {1'b0, R[`TW_RE_DP_IN]},
                          R[`TW_RE_DP_EX_V], {1'b0, R[`TW_RE_DP_EX]}, R[`TW_RE_DP_NOT]));
        sp_r = sp_any || (ports && set_cond({16'h0, dpsets}, R[`TW_RE_SP_IN_V], {1'b0, R[`TW_RE_SP_IN]},
                          R[`TW_RE_SP_EX_V], {1'b0, R[`TW_RE_SP_EX]}, R[`TW_RE_SP_NOT]));
        dp_r = dp_any || (ports && set_cond({16'h0, spsets}, R[`TW_RE_DP_IN_V], {1'b0, R[`TW_RE_DP_IN]},
                          R[`TW_RE_DP_EX_V], {1'b0, R[`TW_RE_DP_EX]}, R[`TW_RE_DP_NOT]));
        hdr = (sa_f && da_f && sp_f && dp_f) || (R[`TW_RE_BIDIR] && sa_r && da_r && sp_r && dp_r);

        tmask = R[`TW_RE_TUN_MASK];
        tbits = {4'h0, tmask};
        tun_ok = tmask == 12'h0 || tbits[tun];
        proto_ok = !R[`TW_RE_PROTO_V] || proto == R[`TW_RE_PROTO];
        sv_ok = R[`TW_RE_SV_MASK] == 8'h0 ||
                (l2 && (((svs & R[`TW_RE_SV_MASK]) != 8'h0) != R[`TW_RE_SV_NOT]));
        dv_ok = R[`TW_RE_DV_MASK] == 8'h0 ||
                (l2 && (((dvs & R[`TW_RE_DV_MASK]) != 8'h0) != R[`TW_RE_DV_NOT]));
        ttl_ok = cmp_op(R[`TW_RE_TTL_OP], {4'h0, ttl}, {4'h0, R[`TW_RE_TTL_A]}, {4'h0, R[`TW_RE_TTL_B]});
        fm = flags & R[`TW_RE_FLG_MASK];
        flg_ok = R[`TW_RE_FLG_MOD] == `TW_FLG_NONE ||
                 (tcp && (R[`TW_RE_FLG_MOD] == `TW_FLG_MASKED ? fm == R[`TW_RE_FLG_VAL] : fm != 8'h0));
        // vlan: n = min(vlan_n, 2) tags, v[0] = vid0, v[1] = vid1
        two = vn >= 2'd2;
        c0 = cmp_op(R[`TW_RE_VLAN_OP], vid0, R[`TW_RE_VLAN_A], R[`TW_RE_VLAN_B]);
        c1 = cmp_op(R[`TW_RE_VLAN_OP], vid1, R[`TW_RE_VLAN_A], R[`TW_RE_VLAN_B]);
        case (R[`TW_RE_VLAN_LAYER])
            `TW_VL_ANY: vl = c0 || (two && c1);
            `TW_VL_ALL: vl = c0 && (!two || c1);
            `TW_VL_0:   vl = c0;
            `TW_VL_1:   vl = two && c1;
            `TW_VL_M1:  vl = two ? c1 : c0;
            `TW_VL_M2:  vl = two && c0;
            default:    vl = 1'b0;
        endcase
        vlan_ok = R[`TW_RE_VLAN_OP] == `TW_CMP_NONE || (vn != 2'd0 && vl);

        m = R[`TW_RE_VALID] && ip && (!R[`TW_RE_MIRROR] || mir) && tun_ok && proto_ok && sv_ok && dv_ok &&
            ttl_ok && flg_ok && vlan_ok && hdr;
        rule_ap = {m && R[`TW_RE_ACTION] == `TW_ACT_PASS, m && R[`TW_RE_ACTION] == `TW_ACT_ALERT};
    end
endfunction

// ---- evaluators ----
// Evaluator e holds rules p * NEVAL + e (p = 0..PHASES-1). Its memory is read only while a frame is being
// evaluated; each phase's {pass, alert} bits shift into a 2 x PHASES-bit register (one rule_ap per evaluator: a
// call per phase would build PHASES copies of the rule logic and only Yosys' opt_merge could fold them, after a
// front end that takes hours at 256 copies). After the frame's last phase the register holds phase q's bits at
// 2 * (PHASES - 1 - q): the match vector bits q * NEVAL + e, valid with mv_valid.
genvar g, gq;
generate
    for (g = 0; g < NEVAL; g = g + 1) begin : ev
        reg [RM-1:0] mem [0:2*PHASES-1];
        reg [RM-1:0] R, R2;
        reg [2*PHASES-1:0] ap_sh;
        integer k;
        initial for (k = 0; k < 2 * PHASES; k = k + 1) mem[k] = {RM{1'b0}};
        always @(posedge clk) begin
            if (wr_en && wr_ready && wr_index[EW-1:0] == g)
                mem[{!bank, wr_index[EW+PW-1:EW]}] <= wr_data;
            if (f_valid || run)
                R <= mem[{rd_bank, rd_phase}];
            if (s1_valid)
                R2 <= R;
            if (s2_valid)
                ap_sh <= {ap_sh[2*PHASES-3:0], rule_ap(R2, lo_d, li_d, tun_d, mir_d)};
        end
        for (gq = 0; gq < PHASES; gq = gq + 1) begin : ph
            assign mv_alert[gq * NEVAL + g] = ap_sh[2 * (PHASES - 1 - gq)];
            assign mv_pass[gq * NEVAL + g]  = ap_sh[2 * (PHASES - 1 - gq) + 1];
        end
    end
endgenerate

always @(posedge clk) begin
    if (s2_valid && s2_phase == LAST) begin
        mv_ctx  <= ctx_d;
        mv_bank <= bank_d;
    end
end

always @(posedge clk) begin
    if (rst) mv_valid <= 1'b0;
    else     mv_valid <= s2_valid && s2_phase == LAST;
end

endmodule

`resetall
