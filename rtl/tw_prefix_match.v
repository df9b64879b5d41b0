// tw_prefix_match: the address prefix table (N entries, IPv4 and IPv6) compared in parallel with one address per
// clock -> the bitmap of address sets it belongs to (docs/tables.md: OR of `sets` of every valid entry of the
// address's version whose first `len` bits equal the address's). LATENCY = 3 clocks.
//
// Each entry is held in registers with its comparison mask, expanded from `len` when the host writes the entry
// (IPv4: the top len bits of address bits 31..0; IPv6: the top len bits of 127..0). A write replaces one entry in
// one clock, so a lookup sees it wholly old or wholly new.
//
// Pipeline: k1 key registered -> k2 one match bit per entry registered -> k3 OR of the matching entries' sets.
// The valid bits, the sets, their OR and the valid/tag pipeline are tw_match_sets (shared with tw_port_match); the
// versions, addresses, masks and the compare are here.
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
    output wire                    out_valid,
    output wire [31:0]             out_sets,
    output wire [TAG_W-1:0]        out_tag,
    input  wire                    wr_en,
    input  wire [IW-1:0]           wr_index,
    input  wire [`TW_PE_WIDTH-1:0] wr_data
);

wire [N-1:0]  e_valid;
wire          k1_key;       // the k1 registers hold a key (registers load only for a key)
reg           e_v6    [0:N-1];
reg [127:0]   e_addr  [0:N-1];
reg [127:0]   e_mask  [0:N-1];

// The comparison mask of an entry (len above the version's width is clamped to it).
wire [127:0] wr_mask;
tw_pmask u_wr_mask (.v6(wr_data[`TW_PE_V6]), .len(wr_data[`TW_PE_LEN]), .mask(wr_mask));

always @(posedge clk) begin
    if (wr_en) begin
        e_v6[wr_index]   <= wr_data[`TW_PE_V6];
        e_addr[wr_index] <= wr_data[`TW_PE_ADDR] & wr_mask;
        e_mask[wr_index] <= wr_mask;
    end
end

reg           k1_v6;
reg [127:0]   k1_addr;
reg [N-1:0]   k2_hit;

always @(posedge clk) begin
    if (in_valid) begin
        k1_v6   <= in_v6;
        k1_addr <= in_addr;
    end
end

genvar g;
generate
    for (g = 0; g < N; g = g + 1) begin : cmp
        always @(posedge clk)
            if (k1_key)
                k2_hit[g] <= e_valid[g] && e_v6[g] == k1_v6 && ((k1_addr & e_mask[g]) == e_addr[g]);
    end
endgenerate

tw_match_sets #(.N(N), .IW(IW), .SETS_W(32), .TAG_W(TAG_W)) u_sets (
    .clk(clk), .rst(rst),
    .in_valid(in_valid), .in_tag(in_tag), .k1_key(k1_key), .k2_hit(k2_hit),
    .out_valid(out_valid), .out_sets(out_sets), .out_tag(out_tag), .e_valid(e_valid),
    .wr_en(wr_en), .wr_index(wr_index), .wr_valid(wr_data[`TW_PE_VALID]), .wr_sets(wr_data[`TW_PE_SETS])
);

endmodule

`resetall
