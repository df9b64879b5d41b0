// tw_port_match: the port range table (N entries) compared in parallel with one port per clock -> the bitmap of
// port sets it belongs to (docs/tables.md: OR of `sets` of every valid entry with lo <= port <= hi).
// LATENCY = 3 clocks: k1 key registered -> k2 one hit bit per entry -> k3 OR of the hits' sets. A host write
// replaces one entry in one clock (a lookup sees it wholly old or wholly new). The valid bits, the sets, their OR
// and the valid/tag pipeline are tw_match_sets (shared with tw_prefix_match); the ranges and the compare are here.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_port_entry.vh"

module tw_port_match #(
    parameter N = `TW_CAP_PORT_RANGES,
    parameter IW = 6,
    parameter TAG_W = 1
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    in_valid,
    input  wire [15:0]             in_port,
    input  wire [TAG_W-1:0]        in_tag,
    output wire                    out_valid,
    output wire [15:0]             out_sets,
    output wire [TAG_W-1:0]        out_tag,
    input  wire                    wr_en,
    input  wire [IW-1:0]           wr_index,
    input  wire [`TW_PT_WIDTH-1:0] wr_data
);

wire [N-1:0]  e_valid;
wire          k1_key;       // the k1 registers hold a key (registers load only for a key)
reg [15:0]    e_lo    [0:N-1];
reg [15:0]    e_hi    [0:N-1];

always @(posedge clk) begin
    if (wr_en) begin
        e_lo[wr_index] <= wr_data[`TW_PT_LO];
        e_hi[wr_index] <= wr_data[`TW_PT_HI];
    end
end

reg [15:0]    k1_port;
reg [N-1:0]   k2_hit;

always @(posedge clk)
    if (in_valid) k1_port <= in_port;

genvar g;
generate
    for (g = 0; g < N; g = g + 1) begin : cmp
        always @(posedge clk)
            if (k1_key)
                k2_hit[g] <= e_valid[g] && e_lo[g] <= k1_port && k1_port <= e_hi[g];
    end
endgenerate

tw_match_sets #(.N(N), .IW(IW), .SETS_W(16), .TAG_W(TAG_W)) u_sets (
    .clk(clk), .rst(rst),
    .in_valid(in_valid), .in_tag(in_tag), .k1_key(k1_key), .k2_hit(k2_hit),
    .out_valid(out_valid), .out_sets(out_sets), .out_tag(out_tag), .e_valid(e_valid),
    .wr_en(wr_en), .wr_index(wr_index), .wr_valid(wr_data[`TW_PT_VALID]), .wr_sets(wr_data[`TW_PT_SETS])
);

endmodule

`resetall
