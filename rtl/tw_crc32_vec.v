`resetall
`timescale 1ns / 1ps
`default_nettype none
// tw_crc32_vec: a reflected CRC-32 (init 0xFFFFFFFF, final XOR 0xFFFFFFFF) of a fixed-width byte vector, as one
// combinational XOR tree (docs/detection.md, "Hash functions"). Byte k of the vector is data[W-1-8k -: 8] (byte 0
// in the top bits, the order of the metadata record's wide fields); each byte enters LSB first.
//   POLY = 32'h82F63B78: CRC-32C (Castagnoli); POLY = 32'hEDB88320: CRC-32 (IEEE 802.3).
// The bit-serial loop below is only a description: the polynomial is a constant, so synthesis and Verilator
// reduce it to one XOR of input bits per output bit. Callers register the result.
module tw_crc32_vec #(
    parameter integer W    = 448,
    parameter [31:0]  POLY = 32'h82F63B78
) (
    input  wire [W-1:0] data,
    output wire [31:0]  crc
);
    localparam integer N = W / 8;

    reg [31:0] c;
    integer k, b;
    always @* begin
        c = 32'hFFFFFFFF;
        for (k = 0; k < N; k = k + 1) begin
            for (b = 0; b < 8; b = b + 1) begin
                c = {1'b0, c[31:1]} ^ (POLY & {32{c[0] ^ data[W - 8 * (k + 1) + b]}});
            end
        end
    end
    assign crc = ~c;
endmodule
`resetall
