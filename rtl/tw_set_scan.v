// tw_set_scan: a set table (KIND 0: the address prefixes of tw_prefix_match, KIND 1: the port ranges of
// tw_port_match) scanned by UNITS compare units instead of compared all at once: the small-FPGA option of
// tw_engine (PFX_UNITS / PRT_UNITS, docs/engine.md "Small configuration"). Same results as the parallel block: per
// key the OR of the `sets` of every valid entry that matches (prefix: same version and the first `len` bits equal,
// len clamped to the version's width; port: lo <= port <= hi).
//
// A scan covers one record's 4 keys (outer source, outer destination, inner source, inner destination), S = N /
// UNITS clocks per key, key after key: `start` (the record's accept clock) reads the first word; the keys (in_key,
// in_v6) must be valid from the clock after `start` until the last compare, 4 * S clocks after `start`. Per key
// one result: out_valid (one clock), out_sets, out_tag = the key's number; key k's result comes (k + 1) * S + 2
// clocks after `start`, key 3's 4 * S + 2 clocks after. A new `start` may come 4 * S clocks after the previous one.
//
// Storage: entry i lives in unit i % UNITS, word i / UNITS: per unit a compare memory (prefix: version, len,
// address as written; port: lo, hi) and a sets memory, S words each, synchronous read (distributed or block RAM); the
// valid bits are flip-flops (reset clears them). Pipeline per word: r0 read the compare word and sample the valid
// bits -> r1 compare, hits registered, read the sets word -> r2 OR of the hits' sets into the key's accumulator.
// The sets memory is written one clock after the compare memory and the valid bits and read one clock after
// them, so every read of an entry sees all of its fields from the same side of a host write: a lookup sees an
// entry wholly old or wholly new.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_prefix_entry.vh"
`include "tw_port_entry.vh"

module tw_set_scan #(
    parameter KIND = 0,                     // 0: address prefixes, 1: port ranges
    parameter N = 128,                      // entries
    parameter IW = 7,                       // log2(N)
    parameter UNITS = 16,                   // compare units (entries compared per clock); N / UNITS >= 2
    parameter UW = 4,                       // log2(UNITS)
    parameter KEY_W = KIND == 0 ? 128 : 16,
    parameter SETS_W = KIND == 0 ? `TW_CAP_ADDR_SETS : `TW_CAP_PORT_SETS,
    parameter WR_W = KIND == 0 ? `TW_PE_WIDTH : `TW_PT_WIDTH
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [3:0]           in_v6,        // prefixes: the keys' IP versions (1 = IPv6); ports: unused
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [4*KEY_W-1:0]   in_key,       // key k in bits k*KEY_W +: KEY_W
    output reg                  out_valid,
    output reg  [SETS_W-1:0]    out_sets,
    output reg  [1:0]           out_tag,
    input  wire                 wr_en,
    input  wire [IW-1:0]        wr_index,
    input  wire [WR_W-1:0]      wr_data
);

localparam S = N / UNITS;                   // words per unit = clocks per key
localparam SW = IW - UW;                    // log2(S)
localparam CE_W = KIND == 0 ? 137 : 32;     // compare word: prefix {v6, len, addr}, port {hi, lo}
localparam integer JLAST_I = 4 * S - 1;
localparam [SW+1:0] JLAST = JLAST_I[SW+1:0];
localparam integer PLAST_I = S - 1;
localparam [SW-1:0] PLAST = PLAST_I[SW-1:0];

// The comparison mask of a prefix (the same as tw_pmask's) built as a two-level thermometer for the
// per-unit compare (per unit and clock, so it must be cheap: tw_pmask's 128 compares with constants become carry
// chains, about 440 CCU2C per unit). Bit 127 - j (IPv6) or 31 - j (IPv4) is set when j < len, len clamped to
// 128 / 32; with j = 16 * jh + jl: jh < len / 16, or jh = len / 16 and jl < len % 16.
function [127:0] tmask;
    input       v6;
    input [7:0] len;
    reg [7:0]   l;
    reg [7:0]   hlt, heq;
    reg [15:0]  llt;
    reg [127:0] t;
    integer h, b, j;
    begin
        if (v6) l = len[7] ? 8'd128 : len;
        else    l = (len > 8'd32) ? 8'd32 : len;
        for (h = 0; h < 8; h = h + 1) begin
            hlt[h] = l[7] || (l[6:4] > h[2:0]);
            heq[h] = !l[7] && l[6:4] == h[2:0];
        end
        for (b = 0; b < 16; b = b + 1)
            llt[b] = l[3:0] > b[3:0];
        for (j = 0; j < 128; j = j + 1)
            t[j] = hlt[j / 16] || (heq[j / 16] && llt[j % 16]);
        // IPv6: mask bit j is t[127 - j]; IPv4: the low 32 bits only, bit j is t[31 - j] (two loops, so that no
        // index is ever out of range, not even in a branch that is never taken)
        for (j = 0; j < 128; j = j + 1)
            tmask[j] = v6 && t[127 - j];
        for (j = 0; j < 32; j = j + 1)
            tmask[j] = tmask[j] || (!v6 && t[31 - j]);
    end
endfunction

// ---- host writes: the compare word and the valid bit now, the sets word one clock later ----
wire [CE_W-1:0]   wr_ce;
wire              wr_valid;
wire [SETS_W-1:0] wr_sets;
generate
    if (KIND == 0) begin : wr_pfx
        // the address as written: the compare masks both sides (session 12: no write-side tw_pmask, whose 128
        // compares with constants were about 400 CCU2C of carry chains for a path used only by table writes)
        assign wr_ce    = {wr_data[`TW_PE_V6_LSB], wr_data[`TW_PE_LEN_LSB +: 8], wr_data[`TW_PE_ADDR_LSB +: 128]};
        assign wr_valid = wr_data[`TW_PE_VALID_LSB];
        assign wr_sets  = wr_data[`TW_PE_SETS_LSB +: SETS_W];
    end else begin : wr_prt
        assign wr_ce    = {wr_data[`TW_PT_HI_LSB +: 16], wr_data[`TW_PT_LO_LSB +: 16]};
        assign wr_valid = wr_data[`TW_PT_VALID_LSB];
        assign wr_sets  = wr_data[`TW_PT_SETS_LSB +: SETS_W];
    end
endgenerate

wire [N-1:0]      valid_q;
wire              sw_en;
wire [IW-1:0]     sw_index;
wire [SETS_W-1:0] sw_sets;
tw_set_write #(.N(N), .IW(IW), .SETS_W(SETS_W)) u_wr (
    .clk(clk), .rst(rst), .wr_en(wr_en), .wr_index(wr_index), .wr_valid(wr_valid), .wr_sets(wr_sets),
    .valid(valid_q), .sw_en(sw_en), .sw_index(sw_index), .sw_sets(sw_sets)
);

// ---- scan sequencing: j = {key, word} ----
reg           busy;
reg [SW+1:0]  j;
wire          rd = start || busy;
wire [SW+1:0] rd_j = start ? {(SW+2){1'b0}} : j;
reg           s1_v, s2_v;
reg [SW+1:0]  s1_j, s2_j;
reg [UNITS-1:0] v_q;          // the valid bits of the word read, sampled with it

always @(posedge clk) begin
    if (rst) begin
        busy <= 1'b0;
        j    <= {(SW+2){1'b0}};
        s1_v <= 1'b0;
        s2_v <= 1'b0;
    end else begin
        if (start) begin
            busy <= 1'b1;
            j    <= {{(SW+1){1'b0}}, 1'b1};
        end else if (busy) begin
            j <= j + 1'b1;
            if (j == JLAST) busy <= 1'b0;
        end
        s1_v <= rd;
        s2_v <= s1_v;
    end
    if (rd) begin
        s1_j <= rd_j;
        v_q  <= valid_q[{rd_j[SW-1:0], {UW{1'b0}}} +: UNITS];
    end
    if (s1_v) s2_j <= s1_j;
end

// the key the r1 compare works on
wire [1:0]       s1_k = s1_j[SW+1:SW];
wire [KEY_W-1:0] k_key = in_key[s1_k * KEY_W +: KEY_W];
/* verilator lint_off UNUSEDSIGNAL */
wire             k_v6 = in_v6[s1_k];      // ports: unused
/* verilator lint_on UNUSEDSIGNAL */

reg  [UNITS-1:0]        s2_hit;
wire [UNITS*SETS_W-1:0] se_all;

genvar u;
generate
    for (u = 0; u < UNITS; u = u + 1) begin : unit
        reg [CE_W-1:0]   cmem [0:S-1];
        reg [SETS_W-1:0] smem [0:S-1];
        reg [CE_W-1:0]   ce_q;
        reg [SETS_W-1:0] se_q;
        wire             hit;
        if (KIND == 0) begin : pfx
            // same version and the first len bits equal
            wire [127:0] m = tmask(ce_q[136], ce_q[135:128]);
            assign hit = ce_q[136] == k_v6 && (((k_key ^ ce_q[127:0]) & m) == 128'd0);
        end else begin : prt
            assign hit = ce_q[15:0] <= k_key && k_key <= ce_q[31:16];
        end
        always @(posedge clk) begin
            if (wr_en && wr_index[UW-1:0] == u)
                cmem[wr_index[IW-1:UW]] <= wr_ce;
            if (rd)
                ce_q <= cmem[rd_j[SW-1:0]];
            if (sw_en && sw_index[UW-1:0] == u)
                smem[sw_index[IW-1:UW]] <= sw_sets;
            if (s1_v)
                se_q <= smem[s1_j[SW-1:0]];
            if (s1_v)
                s2_hit[u] <= v_q[u] && hit;
        end
        assign se_all[u * SETS_W +: SETS_W] = se_q;
    end
endgenerate

// ---- r2: the OR of the hits' sets, accumulated over the key's S words ----
function [SETS_W-1:0] or_hits;
    input [UNITS-1:0]        hit;
    input [UNITS*SETS_W-1:0] sets;
    integer m;
    begin
        or_hits = {SETS_W{1'b0}};
        for (m = 0; m < UNITS; m = m + 1)
            or_hits = or_hits | ({SETS_W{hit[m]}} & sets[m * SETS_W +: SETS_W]);   // AND-OR, not a multiplexer chain
    end
endfunction

reg  [SETS_W-1:0] acc;
wire [SETS_W-1:0] or_s = or_hits(s2_hit, se_all);
wire              s2_first = s2_j[SW-1:0] == {SW{1'b0}};
wire              s2_last = s2_j[SW-1:0] == PLAST;

always @(posedge clk) begin
    if (s2_v) begin
        acc <= s2_first ? or_s : acc | or_s;
        if (s2_last) begin
            out_sets <= acc | or_s;
            out_tag  <= s2_j[SW+1:SW];
        end
    end
end

always @(posedge clk) begin
    if (rst) out_valid <= 1'b0;
    else     out_valid <= s2_v && s2_last;
end

endmodule

`resetall
