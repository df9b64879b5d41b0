// tw_link_crc16: one byte of CRC-16/CCITT-FALSE (polynomial 0x1021, MSB first), combinational.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_protocol.vh"

module tw_link_crc16 (
    input  wire [15:0] crc_in,
    input  wire [7:0]  data,
    output wire [15:0] crc_out
);

localparam [15:0] POLY = `TW_PROTO_CRC_POLY;

function [15:0] step(input [15:0] c, input [7:0] d);
    integer i;
    reg [15:0] r;
    begin
        r = c ^ {d, 8'h00};
        for (i = 0; i < 8; i = i + 1)
            r = r[15] ? ((r << 1) ^ POLY) : (r << 1);
        step = r;
    end
endfunction

assign crc_out = step(crc_in, data);

endmodule

`resetall
