// tw_rule_select: from a frame's match vectors to its result, in rule order (docs/detection.md "Rules"):
// a matching pass rule suppresses every later matching alert rule (earlier alerts stand); of the remaining alert
// matches the first MAXA (8) in rule order are the frame's; the rest are counted as overflow. The whole remaining
// match vector is given out too (out_matchv: every matching rule, alert and pass): the alert stage counts every
// match per rule and re-derives the suppression from the rule actions before its thresholds and its own 8-alert cut.
// Fully pipelined (one frame per clock), LATENCY = 1 + MAXA clocks. Structured for the FPGA, not as bit chains:
//   stage a:  the pass mask as a two-level prefix OR (16-bit blocks), the alert, suppressed and matched vectors;
//   picks:    per stage the lowest remaining alert match found, encoded and cleared in two levels of 16-bit
//             blocks (pick, below);
//   counts:   population counts as a pipelined adder tree alongside the first picks (8-bit groups, then groups of
//             four, then the total).
// SERIAL = 1 (small FPGAs; the caller guarantees in_valid at most once every MAXA + 2 clocks, as tw_rule_eval's
// mv_valid at PHASES >= MAXA + 2): one pick unit takes the MAXA picks one per clock on one frame's vector instead
// of MAXA pipelined units, each with its own copies of the 256-bit vectors, after a clock that registers which of
// the vector's 16-bit blocks hold a match (g_serial), and the inputs are registered (g_in). Same outputs,
// LATENCY = 3 + MAXA.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_rule_select #(
    parameter NRULES = 256,           // a multiple of 256 is not required, but of 32 is (count groups)
    parameter IW = 8,                 // log2(NRULES)
    parameter MAXA = 8,               // at least 3 (the count tree takes 3 stages)
    parameter CTX_W = 8,
    parameter SERIAL = 0              // 1: one pick unit, a frame at most every MAXA + 1 clocks (above)
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  in_valid,
    input  wire [NRULES-1:0]     in_alert,
    input  wire [NRULES-1:0]     in_pass,
    input  wire [CTX_W-1:0]      in_ctx,
    output wire                  out_valid,
    output wire [CTX_W-1:0]      out_ctx,
    output wire [3:0]            out_n,          // alerts selected, 0..MAXA
    output wire [MAXA*IW-1:0]    out_idx,        // rule indices, first in bits IW-1:0
    output wire [IW:0]           out_overflow,   // alert matches beyond MAXA
    output wire [IW:0]           out_matches,    // every match (alert and pass rules)
    output wire [IW:0]           out_suppressed, // alert matches suppressed by an earlier pass
    output wire [NRULES-1:0]     out_matchv      // every match (alert and pass rules, suppressed ones too)
);

localparam NB = NRULES / 16;          // prefix-OR blocks
localparam NG = NRULES / 8;           // count groups of 8
localparam NQ = NG / 4;               // groups of 4 groups
localparam LAT = MAXA + ((SERIAL != 0) ? 1 : 0);   // the stage the outputs leave from (SERIAL: a clock more)

// Every pipeline register loads only when its stage holds a frame (the stage's valid bit): the logic below is
// written as functions evaluated where the registers load, so a simulator computes a stage only for a frame,
// and synthesis makes the same gates with clock enables.

// ---- stage a: pass mask ----
// por[i]: some pass rule below i matched (blk_any: block b has a pass match; blk_pre: some block below b has one)
function [NRULES-1:0] pass_below;
    input [NRULES-1:0] pass;
    reg [NB-1:0] blk_any, blk_pre;
    integer i, b;
    begin
        for (b = 0; b < NB; b = b + 1) blk_any[b] = |pass[b * 16 +: 16];
        blk_pre[0] = 1'b0;
        for (b = 1; b < NB; b = b + 1) blk_pre[b] = blk_pre[b - 1] | blk_any[b - 1];
        for (b = 0; b < NB; b = b + 1) begin
            pass_below[b * 16] = blk_pre[b];
            for (i = 1; i < 16; i = i + 1)
                pass_below[b * 16 + i] = pass_below[b * 16 + i - 1] | pass[b * 16 + i - 1];
        end
    end
endfunction

// pipeline registers: stage 0 = after stage a; stage k = after pick k
reg               v    [0:LAT];
reg [NRULES-1:0]  rem  [0:MAXA];
reg [CTX_W-1:0]   ctx  [0:MAXA];
/* verilator lint_off UNUSEDSIGNAL */
reg [MAXA*IW-1:0] idx  [0:MAXA];     // SERIAL = 1: idx_s instead (idx[0] unread)
/* verilator lint_on UNUSEDSIGNAL */
reg [NRULES-1:0]  vsup, vall;         // stage 0: suppressed and matched vectors (for the counts)
reg [NRULES-1:0]  av   [0:MAXA];      // the whole match vector, carried alongside

// SERIAL = 1: the inputs are registered first (g_in: timing, session 18: the rule evaluators' vectors came from
// across the engine straight into the pass mask), so the outputs leave a clock later still (LATENCY = 3 + MAXA)
wire              f_valid;
wire [NRULES-1:0] f_alert, f_pass;
wire [CTX_W-1:0]  f_ctx;
generate
if (SERIAL != 0) begin : g_in
    reg              q_valid;
    reg [NRULES-1:0] q_alert, q_pass;
    reg [CTX_W-1:0]  q_ctx;
    always @(posedge clk) begin
        q_valid <= in_valid && !rst;
        if (in_valid) begin
            q_alert <= in_alert;
            q_pass  <= in_pass;
            q_ctx   <= in_ctx;
        end
    end
    assign f_valid = q_valid;
    assign f_alert = q_alert;
    assign f_pass  = q_pass;
    assign f_ctx   = q_ctx;
end else begin : g_in_direct
    assign f_valid = in_valid;
    assign f_alert = in_alert;
    assign f_pass  = in_pass;
    assign f_ctx   = in_ctx;
end
endgenerate

// SERIAL = 1: rem[0] is the pick unit's vector too, cleared a bit a pick (g_serial: pick_en, rem_clr); the counts
// read it at v[0], before the first clear lands
wire              pick_en;
wire [NRULES-1:0] rem_clr;
always @(posedge clk) begin
    if (SERIAL != 0 && pick_en)
        rem[0] <= rem_clr;
    if (f_valid) begin                  // a frame loads after its predecessor's last pick (SERIAL = 1), so wins anyway
        rem[0] <= f_alert & ~pass_below(f_pass);
        av[0]  <= f_alert | f_pass;
        vsup   <= f_alert & pass_below(f_pass);
        vall   <= f_alert | f_pass;
        ctx[0] <= f_ctx;
        idx[0] <= {(MAXA*IW){1'b0}};
    end
end

// ---- counts: stage 1 groups of 8, stage 2 groups of 32, stage 3 totals; then carried ----
reg [3:0]  g_al [0:NG-1], g_sup [0:NG-1], g_all [0:NG-1];
reg [5:0]  q_al [0:NQ-1], q_sup [0:NQ-1], q_all [0:NQ-1];
reg [IW:0] nal [3:LAT], nsup [3:LAT], nall [3:LAT];

function [3:0] pop8;
    input [7:0] x;
    begin
        pop8 = {3'b0, x[0]} + {3'b0, x[1]} + {3'b0, x[2]} + {3'b0, x[3]} +
               {3'b0, x[4]} + {3'b0, x[5]} + {3'b0, x[6]} + {3'b0, x[7]};
    end
endfunction

integer g;
reg [IW:0] s_al, s_sup, s_all;
always @(*) begin
    s_al = {(IW+1){1'b0}};
    s_sup = {(IW+1){1'b0}};
    s_all = {(IW+1){1'b0}};
    for (g = 0; g < NQ; g = g + 1) begin
        s_al  = s_al  + {{(IW-5){1'b0}}, q_al[g]};
        s_sup = s_sup + {{(IW-5){1'b0}}, q_sup[g]};
        s_all = s_all + {{(IW-5){1'b0}}, q_all[g]};
    end
end

always @(posedge clk) begin
    if (v[0])
        for (g = 0; g < NG; g = g + 1) begin
            g_al[g]  <= pop8(rem[0][g * 8 +: 8]);
            g_sup[g] <= pop8(vsup[g * 8 +: 8]);
            g_all[g] <= pop8(vall[g * 8 +: 8]);
        end
    if (v[1])
        for (g = 0; g < NQ; g = g + 1) begin
            q_al[g]  <= {2'b0, g_al[4 * g]} + {2'b0, g_al[4 * g + 1]} + {2'b0, g_al[4 * g + 2]} +
                        {2'b0, g_al[4 * g + 3]};
            q_sup[g] <= {2'b0, g_sup[4 * g]} + {2'b0, g_sup[4 * g + 1]} + {2'b0, g_sup[4 * g + 2]} +
                        {2'b0, g_sup[4 * g + 3]};
            q_all[g] <= {2'b0, g_all[4 * g]} + {2'b0, g_all[4 * g + 1]} + {2'b0, g_all[4 * g + 2]} +
                        {2'b0, g_all[4 * g + 3]};
        end
    if (v[2]) begin
        nal[3]  <= s_al;
        nsup[3] <= s_sup;
        nall[3] <= s_all;
    end
end

// ---- picks ----
// pick: the lowest set bit of x, as {x with it cleared, its index}, in two levels of 16-bit blocks instead of one
// 256-bit carry chain and 256-input OR trees (timing, session 17: the serial pick unit was the engine's slowest
// path): every block's lowest bit and its index in parallel, the first non-empty block (one-hot, a 16-bit x & -x
// over the blocks' any bits), then that block's index and cleared bits selected. Same result as x & -x encoded.
localparam NBK = NRULES / 16;
localparam BKW = IW - 4;
// the index of the lowest set bit of a 16-bit block (0 when none), an AND-OR over the isolated bit
function [3:0] low_idx16;
    input [15:0] x;
    reg [15:0] low;
    integer j;
    begin
        low = x & (~x + 1'b1);
        low_idx16 = 4'd0;
        for (j = 0; j < 16; j = j + 1)
            low_idx16 = low_idx16 | ({4{low[j]}} & j[3:0]);
    end
endfunction
function [NRULES+IW-1:0] pick;
    input [NRULES-1:0] x;
    reg [NBK-1:0]    any, fb;
    reg [15:0]       blk, low;
    reg [3:0]        li, lsel;
    reg [BKW-1:0]    bsel;
    reg [NRULES-1:0] clr;
    integer b;
    begin
        for (b = 0; b < NBK; b = b + 1) any[b] = |x[b * 16 +: 16];
        fb = any & (~any + 1'b1);
        lsel = 4'd0;
        bsel = {BKW{1'b0}};
        clr = x;
        for (b = 0; b < NBK; b = b + 1) begin
            blk = x[b * 16 +: 16];
            low = blk & (~blk + 1'b1);
            li = low_idx16(blk);
            // AND-OR selects (fb is one-hot), not an if: a chain of multiplexers otherwise
            lsel = lsel | ({4{fb[b]}} & li);
            bsel = bsel | ({BKW{fb[b]}} & b[BKW-1:0]);
            if (fb[b]) clr[b * 16 +: 16] = blk & ~low;
        end
        pick = {clr, bsel, lsel};
    end
endfunction

genvar k;
generate
    for (k = 4; k <= LAT; k = k + 1) begin : carry
        always @(posedge clk) begin
            if (v[k - 1]) begin
                nal[k]  <= nal[k - 1];
                nsup[k] <= nsup[k - 1];
                nall[k] <= nall[k - 1];
            end
        end
    end
if (SERIAL == 0) begin : g_pipe
    for (k = 0; k < MAXA; k = k + 1) begin : pick_k
        wire [NRULES+IW-1:0] pk = pick(rem[k]);
        always @(posedge clk) begin
            if (v[k]) begin
                rem[k + 1] <= pk[IW +: NRULES];
                ctx[k + 1] <= ctx[k];
                av[k + 1]  <= av[k];
                idx[k + 1] <= idx[k];
                idx[k + 1][k * IW +: IW] <= pk[IW-1:0];
            end
        end
    end
    assign out_ctx    = ctx[MAXA];
    assign out_idx    = idx[MAXA];
    assign out_matchv = av[MAXA];
    assign pick_en    = 1'b0;
    assign rem_clr    = {NRULES{1'b0}};
end else begin : g_serial
    // The frame's vector is rem[0], which the unit clears a bit a pick (timing: no select by v[0] fanned out over 256
    // bits ahead of the pick); ctx[0] and av[0] hold until the next frame loads them, MAXA + 2 clocks or more later,
    // when this frame's outputs (v[LAT]) have been taken. At v[0] the unit registers, for each 16-bit block of rem[0],
    // whether it holds a match (anyq) and the index of its lowest (liq); the picks follow at v[1] .. v[MAXA]. A pick
    // takes the first block of anyq (a 16-bit x & -x on a register) and that block's liq, and only that block
    // changes: its bit cleared, its next lowest index and its any bit found from its own 16 bits. So the pick reads
    // 80 registers (anyq, liq) and each block's update its own 20, where pick() reads the whole 256-bit vector every
    // clock (timing, session 18: the vector's spread was the engine's slowest path).
    reg [MAXA*IW-1:0] idx_s;
    reg  [NBK-1:0]    anyq;
    reg  [NBK*4-1:0]  liq;
    wire [NBK-1:0]    fb = anyq & (~anyq + 1'b1);
    reg  [NBK-1:0]    bany, bleft;
    reg  [NBK*4-1:0]  bli, bnext;
    reg  [NRULES-1:0] clr;
    reg  [IW-1:0]     e;
    reg  [15:0]       blk, rest;
    integer           b;
    always @(*) begin
        clr = rem[0];
        e = {IW{1'b0}};
        for (b = 0; b < NBK; b = b + 1) begin
            blk = rem[0][b * 16 +: 16];
            rest = blk & ~(16'd1 << liq[b * 4 +: 4]);   // the block with its picked bit cleared
            bany[b] = |blk;
            bleft[b] = |rest;
            bli[b * 4 +: 4] = low_idx16(blk);          // the block's lowest index (at v[0])
            bnext[b * 4 +: 4] = low_idx16(rest);       // its lowest once the picked bit is cleared
            // an AND-OR over the blocks (fb is one-hot), not an if: a chain of 16 multiplexers otherwise
            e = e | ({IW{fb[b]}} & {b[BKW-1:0], liq[b * 4 +: 4]});
            if (fb[b]) clr[b * 16 +: 16] = rest;
        end
    end
    assign rem_clr = clr;
    reg               pick_or;
    integer           kk;
    always @(*) begin
        pick_or = 1'b0;
        for (kk = 1; kk <= MAXA; kk = kk + 1) pick_or = pick_or | v[kk];
    end
    assign pick_en = pick_or;
    always @(posedge clk) begin
        if (v[0]) begin
            anyq <= bany;
            liq <= bli;
        end
        if (pick_or) begin
            anyq <= (anyq & ~fb) | (fb & bleft);
            for (b = 0; b < NBK; b = b + 1)
                if (fb[b]) liq[b * 4 +: 4] <= bnext[b * 4 +: 4];
        end
        if (v[1]) idx_s <= {{((MAXA-1)*IW){1'b0}}, e};
        for (kk = 2; kk <= MAXA; kk = kk + 1)
            if (v[kk]) idx_s[(kk - 1) * IW +: IW] <= e;
    end
    assign out_ctx    = ctx[0];
    assign out_idx    = idx_s;
    assign out_matchv = av[0];
end
endgenerate

integer s;
always @(posedge clk) begin
    if (rst) begin
        for (s = 0; s <= LAT; s = s + 1) v[s] <= 1'b0;
    end else begin
        v[0] <= f_valid;
        for (s = 1; s <= LAT; s = s + 1) v[s] <= v[s - 1];
    end
end

localparam [IW:0] MAXA_W = MAXA;
wire [IW:0] n_fin = nal[LAT];
assign out_valid      = v[LAT];
assign out_n          = n_fin > MAXA_W ? MAXA_W[3:0] : n_fin[3:0];
assign out_overflow   = n_fin > MAXA_W ? n_fin - MAXA_W : {(IW+1){1'b0}};
assign out_matches    = nall[LAT];
assign out_suppressed = nsup[LAT];

endmodule

`resetall
