// tw_rule_select: from a frame's match vectors to its result, in rule order (docs/detection.md "Rules"):
// a matching pass rule suppresses every later matching alert rule (earlier alerts stand); of the remaining alert
// matches the first MAXA (8) in rule order are the frame's; the rest are counted as overflow.
// Fully pipelined (one frame per clock), LATENCY = 1 + MAXA clocks: stage a computes the pass mask and the counts,
// then one stage per pick takes the lowest remaining match (rem & (rem - 1) clears it).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_rule_select #(
    parameter NRULES = 256,
    parameter IW = 8,                 // log2(NRULES)
    parameter MAXA = 8,
    parameter CTX_W = 8
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
    output wire [IW:0]           out_suppressed  // alert matches suppressed by an earlier pass
);

// ---- stage a ----
reg [NRULES-1:0] por;        // por[i]: some pass rule below i matched
reg [NRULES-1:0] al;
integer i;
always @(*) begin
    por[0] = 1'b0;
    for (i = 1; i < NRULES; i = i + 1) por[i] = por[i - 1] | in_pass[i - 1];
    al = in_alert & ~por;
end

reg [IW:0] c_al, c_sup, c_all;
always @(*) begin
    c_al = {(IW+1){1'b0}};
    c_sup = {(IW+1){1'b0}};
    c_all = {(IW+1){1'b0}};
    for (i = 0; i < NRULES; i = i + 1) begin
        c_al  = c_al  + {{IW{1'b0}}, al[i]};
        c_sup = c_sup + {{IW{1'b0}}, in_alert[i] & por[i]};
        c_all = c_all + {{IW{1'b0}}, in_alert[i] | in_pass[i]};
    end
end

// pipeline registers: stage 0 = after stage a; stage k = after pick k
reg               v   [0:MAXA];
reg [NRULES-1:0]  rem [0:MAXA];
reg [CTX_W-1:0]   ctx [0:MAXA];
reg [IW:0]        nal [0:MAXA];
reg [IW:0]        nsup[0:MAXA];
reg [IW:0]        nall[0:MAXA];
reg [MAXA*IW-1:0] idx [0:MAXA];

always @(posedge clk) begin
    rem[0]  <= al;
    ctx[0]  <= in_ctx;
    nal[0]  <= c_al;
    nsup[0] <= c_sup;
    nall[0] <= c_all;
    idx[0]  <= {(MAXA*IW){1'b0}};
end

genvar k;
generate
    for (k = 0; k < MAXA; k = k + 1) begin : pick
        reg [IW-1:0] low;
        integer b;
        always @(*) begin
            low = {IW{1'b0}};
            for (b = NRULES - 1; b >= 0; b = b - 1)
                if (rem[k][b]) low = b[IW-1:0];
        end
        always @(posedge clk) begin
            rem[k + 1]  <= rem[k] & (rem[k] - 1'b1);
            ctx[k + 1]  <= ctx[k];
            nal[k + 1]  <= nal[k];
            nsup[k + 1] <= nsup[k];
            nall[k + 1] <= nall[k];
            idx[k + 1]  <= idx[k];
            idx[k + 1][k * IW +: IW] <= rem[k] != {NRULES{1'b0}} ? low : {IW{1'b0}};
        end
    end
endgenerate

integer s;
always @(posedge clk) begin
    if (rst) begin
        for (s = 0; s <= MAXA; s = s + 1) v[s] <= 1'b0;
    end else begin
        v[0] <= in_valid;
        for (s = 1; s <= MAXA; s = s + 1) v[s] <= v[s - 1];
    end
end

localparam [IW:0] MAXA_W = MAXA;
wire [IW:0] n_fin = nal[MAXA];
assign out_valid      = v[MAXA];
assign out_ctx        = ctx[MAXA];
assign out_idx        = idx[MAXA];
assign out_n          = n_fin > MAXA_W ? MAXA_W[3:0] : n_fin[3:0];
assign out_overflow   = n_fin > MAXA_W ? n_fin - MAXA_W : {(IW+1){1'b0}};
assign out_matches    = nall[MAXA];
assign out_suppressed = nsup[MAXA];

endmodule

`resetall
