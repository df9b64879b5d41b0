// tw_oui_lookup: the vendor OUI table (2-way bucketized cuckoo hash, 2 slots per bucket) in block RAM, and a
// pipelined lookup: one 24-bit OUI per clock -> its vendor-set bitmap, LATENCY = 3 clocks (docs/engine.md).
//
// Geometry and hash exactly as docs/tables.md: c = CRC-32C of the three OUI bytes (first MAC byte first);
// bucket of way 0 = c & mask, way 1 = (c >> 16) & mask, mask = buckets per way - 1 (a runtime setting up to
// BUCKETS). The table is four simple dual-port memories (way x slot) of BUCKETS entries of TW_OE_WIDTH bits, so
// both buckets of a key are read in the same clock. Host writes use the hardware entry index
//   ((way * BUCKETS) + bucket) * 2 + slot
// (equal to the image's index when the image's oui_buckets = BUCKETS). A write changes one entry in one clock: a
// lookup sees it wholly old or wholly new.
//
// Pipeline: k0 (key in) -> k1: CRC and bucket numbers registered -> k2: the four entries read (registered
// memory output) -> k3: compare and OR of the matching entries' vset, registered (out_valid).
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_oui_entry.vh"

module tw_oui_lookup #(
    parameter BUCKETS = `TW_OUI_BUCKETS,     // buckets per way (power of two)
    parameter BW = 11,                       // log2(BUCKETS)
    parameter TAG_W = 1                      // side information carried with each lookup
) (
    input  wire                    clk,
    input  wire                    rst,
    // lookups
    input  wire                    in_valid,
    input  wire [23:0]             in_oui,
    input  wire [TAG_W-1:0]        in_tag,
    input  wire [BW-1:0]           bucket_mask,  // buckets per way in use - 1
    output reg                     out_valid,
    output reg  [7:0]              out_vset,
    output reg  [TAG_W-1:0]        out_tag,
    // host writes, one entry per clock
    input  wire                    wr_en,
    input  wire [BW+1:0]           wr_index,     // {way, bucket, slot}
    input  wire [`TW_OE_WIDTH-1:0] wr_data
);

// CRC-32C (reflected 0x82F63B78, init and final XOR 0xFFFFFFFF) of the three bytes, LSB of each byte first.
function [31:0] crc32c_oui;
    input [23:0] oui;
    integer i;
    reg [31:0] c;
    reg b;
    begin
        c = 32'hFFFFFFFF;
        for (i = 0; i < 24; i = i + 1) begin
            // byte 0 = oui[23:16], its bit 0 first
            b = c[0] ^ oui[23 - 8 * (i / 8) - 7 + (i % 8)];
            c = {1'b0, c[31:1]} ^ (b ? 32'h82F63B78 : 32'h0);
        end
        crc32c_oui = ~c;
    end
endfunction

reg [`TW_OE_WIDTH-1:0] mem_w0s0 [0:BUCKETS-1];
reg [`TW_OE_WIDTH-1:0] mem_w0s1 [0:BUCKETS-1];
reg [`TW_OE_WIDTH-1:0] mem_w1s0 [0:BUCKETS-1];
reg [`TW_OE_WIDTH-1:0] mem_w1s1 [0:BUCKETS-1];

// No initial contents: block RAM comes up zero on the FPGA (every entry invalid), and the host writes every slot
// of the geometry it uses (docs/engine.md); an initial loop over 2048 entries makes Yosys' frontend crawl.

wire          wr_way  = wr_index[BW+1];
wire [BW-1:0] wr_bkt  = wr_index[BW:1];
wire          wr_slot = wr_index[0];

always @(posedge clk) begin
    if (wr_en && !wr_way && !wr_slot) mem_w0s0[wr_bkt] <= wr_data;
    if (wr_en && !wr_way &&  wr_slot) mem_w0s1[wr_bkt] <= wr_data;
    if (wr_en &&  wr_way && !wr_slot) mem_w1s0[wr_bkt] <= wr_data;
    if (wr_en &&  wr_way &&  wr_slot) mem_w1s1[wr_bkt] <= wr_data;
end

// k1: hash
reg           k1_valid;
reg [23:0]    k1_oui;
reg [TAG_W-1:0] k1_tag;
reg [BW-1:0]  k1_b0, k1_b1;
/* verilator lint_off UNUSEDSIGNAL */
wire [31:0]   crc = crc32c_oui(in_oui);  // only the bucket bits are used
/* verilator lint_on UNUSEDSIGNAL */

// k2: memory outputs
reg           k2_valid;
reg [23:0]    k2_oui;
reg [TAG_W-1:0] k2_tag;
reg [`TW_OE_WIDTH-1:0] e00, e01, e10, e11;

always @(posedge clk) begin
    k1_oui <= in_oui;
    k1_tag <= in_tag;
    k1_b0  <= crc[BW-1:0] & bucket_mask;
    k1_b1  <= crc[16 +: BW] & bucket_mask;

    e00 <= mem_w0s0[k1_b0];
    e01 <= mem_w0s1[k1_b0];
    e10 <= mem_w1s0[k1_b1];
    e11 <= mem_w1s1[k1_b1];
    k2_oui <= k1_oui;
    k2_tag <= k1_tag;

    out_tag  <= k2_tag;
    out_vset <= ((e00[`TW_OE_VALID] && e00[`TW_OE_OUI] == k2_oui) ? e00[`TW_OE_VSET] : 8'h00) |
                ((e01[`TW_OE_VALID] && e01[`TW_OE_OUI] == k2_oui) ? e01[`TW_OE_VSET] : 8'h00) |
                ((e10[`TW_OE_VALID] && e10[`TW_OE_OUI] == k2_oui) ? e10[`TW_OE_VSET] : 8'h00) |
                ((e11[`TW_OE_VALID] && e11[`TW_OE_OUI] == k2_oui) ? e11[`TW_OE_VSET] : 8'h00);
end

always @(posedge clk) begin
    if (rst) begin
        k1_valid  <= 1'b0;
        k2_valid  <= 1'b0;
        out_valid <= 1'b0;
    end else begin
        k1_valid  <= in_valid;
        k2_valid  <= k1_valid;
        out_valid <= k2_valid;
    end
end

endmodule

`resetall
