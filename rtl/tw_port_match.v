// tw_port_match: the port range table (N entries) compared in parallel with one port per clock -> the bitmap of
// port sets it belongs to (docs/tables.md: OR of `sets` of every valid entry with lo <= port <= hi).
// LATENCY = 3 clocks: k1 key registered -> k2 one hit bit per entry -> k3 OR of the hits' sets. A host write
// replaces one entry in one clock (a lookup sees it wholly old or wholly new).
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
    output reg                     out_valid,
    output reg  [15:0]             out_sets,
    output reg  [TAG_W-1:0]        out_tag,
    input  wire                    wr_en,
    input  wire [IW-1:0]           wr_index,
    input  wire [`TW_PT_WIDTH-1:0] wr_data
);

reg [N-1:0]   e_valid;
reg [15:0]    e_lo    [0:N-1];
reg [15:0]    e_hi    [0:N-1];
reg [15:0]    e_sets  [0:N-1];

always @(posedge clk) begin
    if (rst) begin
        e_valid <= {N{1'b0}};
    end else if (wr_en) begin
        e_valid[wr_index] <= wr_data[`TW_PT_VALID];
    end
    if (wr_en) begin
        e_lo[wr_index]   <= wr_data[`TW_PT_LO];
        e_hi[wr_index]   <= wr_data[`TW_PT_HI];
        e_sets[wr_index] <= wr_data[`TW_PT_SETS];
    end
end

reg           k1_valid, k2_valid;
reg [15:0]    k1_port;
reg [TAG_W-1:0] k1_tag, k2_tag;
reg [N-1:0]   k2_hit;
reg [15:0]    acc;

integer m;
always @(*) begin
    acc = 16'h0;
    for (m = 0; m < N; m = m + 1)
        if (k2_hit[m]) acc = acc | e_sets[m];
end

genvar g;
generate
    for (g = 0; g < N; g = g + 1) begin : cmp
        always @(posedge clk)
            k2_hit[g] <= e_valid[g] && e_lo[g] <= k1_port && k1_port <= e_hi[g];
    end
endgenerate

always @(posedge clk) begin
    k1_port  <= in_port;
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
