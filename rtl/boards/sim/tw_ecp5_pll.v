// tw_ecp5_pll (simulation model): Verilator cannot multiply a clock, so the testbench drives clk_in at the core
// frequency and every output is clk_in; locked rises after 16 clocks. Not for synthesis.
`resetall
`timescale 1ns / 1ps
`default_nettype none

/* verilator lint_off UNUSEDPARAM */
module tw_ecp5_pll #(
    parameter CORE_DIV = 5              // accepted and ignored
) (
    input  wire clk_in,
    output wire clk_tx,
    output wire clk_tx90,
    output wire clk_core,
    output wire locked
);

reg [4:0] cnt_reg = 5'd0;
always @(posedge clk_in)
    if (!cnt_reg[4])
        cnt_reg <= cnt_reg + 1'b1;

assign clk_tx = clk_in;
assign clk_tx90 = clk_in;
assign clk_core = clk_in;
assign locked = cnt_reg[4];

endmodule

`resetall
