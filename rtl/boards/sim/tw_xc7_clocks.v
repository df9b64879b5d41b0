// tw_xc7_clocks (simulation model): the testbench drives clk_in at the core frequency and every output is clk_in;
// locked rises 16 clocks after rst falls. Not for synthesis.
`resetall
`timescale 1ns / 1ps
`default_nettype none

/* verilator lint_off UNUSEDPARAM */
module tw_xc7_clocks #(
    parameter CORE_DIV = 8              // accepted and ignored
) (
    input  wire clk_in,
    input  wire rst,
    output wire clk_tx,
    output wire clk_tx90,
    output wire clk_core,
    output wire locked
);

reg [4:0] cnt_reg = 5'd0;
always @(posedge clk_in) begin
    if (!cnt_reg[4])
        cnt_reg <= cnt_reg + 1'b1;
    if (rst)
        cnt_reg <= 5'd0;
end

assign clk_tx = clk_in;
assign clk_tx90 = clk_in;
assign clk_core = clk_in;
assign locked = cnt_reg[4];

endmodule

`resetall
