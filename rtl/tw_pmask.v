// tw_pmask: the comparison mask of an address prefix (docs/tables.md): IPv6 (v6 = 1) sets the top `len` bits of
// 127..0, IPv4 the top `len` bits of 31..0; a len above the version's width (128 / 32) is clamped to it. Pure
// combinational logic; tw_prefix_match builds each entry's mask with it (tw_set_scan builds the same mask its own way).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_pmask (
    input  wire         v6,
    input  wire [7:0]   len,
    output reg  [127:0] mask
);

integer i;
always @* begin
    for (i = 0; i < 128; i = i + 1)
        mask[i] = v6 ? ({1'b0, len} > 9'd127 - i[8:0])
                     : (i < 32 && {1'b0, len} > 9'd31 - i[8:0]);
end

endmodule

`resetall
