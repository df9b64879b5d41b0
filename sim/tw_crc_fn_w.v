`resetall
`timescale 1ns / 1ps
`default_nettype none
// tw_crc_fn_w: rtl/tw_crc32_fn.vh at one width (W bits, byte 0 in the top bits), CRC-32C and CRC-32, for
// sim/tw_crc_pair.v (simulation only).
module tw_crc_fn_w #(
    parameter integer W = 384
) (
    input  wire [W-1:0] vec,
    output wire [31:0]  crc_c,
    output wire [31:0]  crc_ieee
);
    localparam integer CRC_W = W;
`include "tw_crc32_fn.vh"
    assign crc_c    = tw_crc32_fn(vec, CRC32C);
    assign crc_ieee = tw_crc32_fn(vec, CRC32);
endmodule
`resetall
