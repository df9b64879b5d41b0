// tw_prefix_match: the address prefix table (N entries, IPv4 and IPv6) compared in parallel with one address per
// clock -> the bitmap of address sets it belongs to (docs/tables.md: OR of `sets` of every valid entry of the
// address's version whose first `len` bits equal the address's). LATENCY = 3 clocks.
//
// Each entry is held in registers with its comparison mask, expanded from `len` when the host writes the entry
// (IPv4: the top len bits of address bits 31..0; IPv6: the top len bits of 127..0). A write replaces one entry in
// one clock, so a lookup sees it wholly old or wholly new.
//
// Pipeline: k1 key registered -> k2 one match bit per entry registered -> k3 OR of the matching entries' sets.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_prefix_entry.vh"

module tw_prefix_match #(
    parameter N = `TW_CAP_PREFIXES,
    parameter IW = 7,                 // index width, 2^IW >= N
    parameter TAG_W = 1
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    in_valid,
    input  wire                    in_v6,
    input  wire [127:0]            in_addr,
    input  wire [TAG_W-1:0]        in_tag,
    output reg                     out_valid,
    output reg  [31:0]             out_sets,
    output reg  [TAG_W-1:0]        out_tag,
    input  wire                    wr_en,
    input  wire [IW-1:0]           wr_index,
    input  wire [`TW_PE_WIDTH-1:0] wr_data
);

reg [N-1:0]   e_valid;
reg           e_v6    [0:N-1];
reg [127:0]   e_addr  [0:N-1];
reg [127:0]   e_mask  [0:N-1];
reg [31:0]    e_sets  [0:N-1];

// The comparison mask of an entry (len above the version's width is clamped to it).
function [127:0] pmask;
    input       v6;
    input [7:0] len;
    integer i;
    begin
        for (i = 0; i < 128; i = i + 1)
            pmask[i] = v6 ? ({1'b0, len} > 9'd127 - i[8:0])
                          : (i < 32 && {1'b0, len} > 9'd31 - i[8:0]);
    end
endfunction

wire [127:0] wr_mask = pmask(wr_data[`TW_PE_V6], wr_data[`TW_PE_LEN]);

always @(posedge clk) begin
    if (rst) begin
        e_valid <= {N{1'b0}};
    end else if (wr_en) begin
        e_valid[wr_index] <= wr_data[`TW_PE_VALID];
    end
    if (wr_en) begin
        e_v6[wr_index]   <= wr_data[`TW_PE_V6];
        e_addr[wr_index] <= wr_data[`TW_PE_ADDR] & wr_mask;
        e_mask[wr_index] <= wr_mask;
        e_sets[wr_index] <= wr_data[`TW_PE_SETS];
    end
end

reg           k1_valid, k2_valid;
reg           k1_v6;
reg [127:0]   k1_addr;
reg [TAG_W-1:0] k1_tag, k2_tag;
reg [N-1:0]   k2_hit;
reg [31:0]    acc;

integer m;
always @(*) begin
    acc = 32'h0;
    for (m = 0; m < N; m = m + 1)
        if (k2_hit[m]) acc = acc | e_sets[m];
end

genvar g;
generate
    for (g = 0; g < N; g = g + 1) begin : cmp
        always @(posedge clk)
            k2_hit[g] <= e_valid[g] && e_v6[g] == k1_v6 && ((k1_addr & e_mask[g]) == e_addr[g]);
    end
endgenerate

always @(posedge clk) begin
    k1_v6    <= in_v6;
    k1_addr  <= in_addr;
    k1_tag   <= in_tag;
    k2_tag   <= k1_tag;
    out_tag  <= k2_tag;
    out_sets <= acc;
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
