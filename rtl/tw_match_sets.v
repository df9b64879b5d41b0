// tw_match_sets: what the set tables compared in parallel share (tw_port_match, tw_prefix_match; docs/tables.md):
// each entry's valid bit and `sets` bitmap, written by the host one entry per clock (the valid bits and the delayed
// sets write: tw_set_write, shared with tw_set_scan), the OR of the sets of the entries that hit, and the 3-clock
// valid/tag pipeline around the parent's comparison.
// The parent keeps its own key fields, registers the key at k1 and its per-entry hits at k2 (using `e_valid`); this
// module registers the OR of the hits' sets at k3. The sets are written one clock after the valid bit and the
// parent's fields and read one clock after them, so a lookup sees an entry wholly old or wholly new (before this,
// a write in the clock between k2 and k3 gave the old entry's hit with the new entry's sets).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_match_sets #(
    parameter N = 64,         // entries
    parameter IW = 6,         // index width, 2^IW >= N
    parameter SETS_W = 16,    // width of an entry's sets bitmap
    parameter TAG_W = 1
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              in_valid,   // a key enters the parent's k1 register this clock
    input  wire [TAG_W-1:0]  in_tag,
    output wire              k1_key,     // a key is in the parent's k1 register: its k2 hits load on this edge
    input  wire [N-1:0]      k2_hit,     // the parent's registered per-entry hits (stage k2)
    output reg               out_valid,
    output reg  [SETS_W-1:0] out_sets,
    output reg  [TAG_W-1:0]  out_tag,
    output wire [N-1:0]      e_valid,    // entry valid bits, for the parent's comparison
    input  wire              wr_en,
    input  wire [IW-1:0]     wr_index,
    input  wire              wr_valid,
    input  wire [SETS_W-1:0] wr_sets
);

reg [SETS_W-1:0]   e_sets [0:N-1];
wire               sw_en;           // the sets write, one clock after the entry's
wire [IW-1:0]      sw_index;
wire [SETS_W-1:0]  sw_sets;

tw_set_write #(.N(N), .IW(IW), .SETS_W(SETS_W)) u_wr (
    .clk(clk), .rst(rst), .wr_en(wr_en), .wr_index(wr_index), .wr_valid(wr_valid), .wr_sets(wr_sets),
    .valid(e_valid), .sw_en(sw_en), .sw_index(sw_index), .sw_sets(sw_sets)
);

always @(posedge clk) begin
    if (sw_en)
        e_sets[sw_index] <= sw_sets;
end

reg                k1_valid, k2_valid;
reg [TAG_W-1:0]    k1_tag, k2_tag;
assign k1_key = k1_valid;

// OR of the sets of the entries that hit (a function so it is computed where out_sets loads: only for a key)
function [SETS_W-1:0] hit_sets;
    input [N-1:0] hit;
    integer m;
    begin
        hit_sets = {SETS_W{1'b0}};
        for (m = 0; m < N; m = m + 1)
            hit_sets = hit_sets | ({SETS_W{hit[m]}} & e_sets[m]);   // AND-OR, not a multiplexer chain
    end
endfunction

always @(posedge clk) begin
    if (in_valid) k1_tag <= in_tag;
    if (k1_valid) k2_tag <= k1_tag;
    if (k2_valid) begin
        out_tag  <= k2_tag;
        out_sets <= hit_sets(k2_hit);
    end
end

always @(posedge clk) begin
    if (rst) begin
        k1_valid <= 1'b0;
        k2_valid <= 1'b0;
        out_valid <= 1'b0;
    end else begin
        k1_valid <= in_valid;
        k2_valid <= k1_valid;
        out_valid <= k2_valid;
    end
end

endmodule

`resetall
