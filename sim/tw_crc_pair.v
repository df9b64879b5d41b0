`resetall
`timescale 1ns / 1ps
`default_nettype none
// tw_crc_pair (simulation only): the CRC function the RTL computes its hashes with (rtl/tw_crc32_fn.vh, one XOR per
// output bit over constant masks) beside the bit-serial definition (rtl/tw_crc32_vec.v), at the three widths the
// RTL uses: 320 bits (the flow key), 384 (the alert stage's state key) and 448 (the digest vector). The input is
// 56 bytes, byte 0 in the top bits; width W takes the first W / 8 bytes. tests/sim/test_crc_fn.c.
// out[32*k +: 32], k = 0..11: for W = 320, 384, 448 in turn: function CRC-32C, function CRC-32, definition
// CRC-32C, definition CRC-32.
module tw_crc_pair (
    input  wire [447:0] data,
    output wire [383:0] out
);
    localparam [31:0] P_C = 32'h82F63B78, P_IEEE = 32'hEDB88320;
    tw_crc_fn_w #(.W(320)) u_f320 (.vec(data[447 -: 320]), .crc_c(out[0 +: 32]), .crc_ieee(out[32 +: 32]));
    tw_crc32_vec #(.W(320), .POLY(P_C)) u_c320 (.data(data[447 -: 320]), .crc(out[64 +: 32]));
    tw_crc32_vec #(.W(320), .POLY(P_IEEE)) u_i320 (.data(data[447 -: 320]), .crc(out[96 +: 32]));
    tw_crc_fn_w #(.W(384)) u_f384 (.vec(data[447 -: 384]), .crc_c(out[128 +: 32]), .crc_ieee(out[160 +: 32]));
    tw_crc32_vec #(.W(384), .POLY(P_C)) u_c384 (.data(data[447 -: 384]), .crc(out[192 +: 32]));
    tw_crc32_vec #(.W(384), .POLY(P_IEEE)) u_i384 (.data(data[447 -: 384]), .crc(out[224 +: 32]));
    tw_crc_fn_w #(.W(448)) u_f448 (.vec(data), .crc_c(out[256 +: 32]), .crc_ieee(out[288 +: 32]));
    tw_crc32_vec #(.W(448), .POLY(P_C)) u_c448 (.data(data), .crc(out[320 +: 32]));
    tw_crc32_vec #(.W(448), .POLY(P_IEEE)) u_i448 (.data(data), .crc(out[352 +: 32]));
endmodule
`resetall
