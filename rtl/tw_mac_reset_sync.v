// tw_mac_reset_sync: a reset for one clock domain. rst_in may come from anywhere (asynchronous); rst_out rises two
// clocks after it (synchronously: this design resets synchronously) and falls STAGES clocks after rst_in falls.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_reset_sync #(
    parameter STAGES = 4
) (
    input  wire clk,
    input  wire rst_in,
    output wire rst_out
);

initial begin
    if (STAGES < 2) begin
        $error("tw_mac_reset_sync: STAGES must be at least 2");
        $finish;
    end
end

reg [1:0]        meta_reg = 2'b11;
reg [STAGES-1:0] hold_reg = {STAGES{1'b1}};

assign rst_out = hold_reg[STAGES-1];

always @(posedge clk) begin
    meta_reg <= {meta_reg[0], rst_in};
    if (meta_reg[1])
        hold_reg <= {STAGES{1'b1}};
    else
        hold_reg <= {hold_reg[STAGES-2:0], 1'b0};
end

endmodule

`resetall
