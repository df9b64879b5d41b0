// tw_rgmii_ddr (simulation model, Verilator): the same ports and cycle behaviour as the vendor wrappers in
// rtl/boards/ecp5 and rtl/boards/xilinx, without primitives or delays. Receive: the rising-edge sample and the
// following falling-edge sample leave together one rx_clk later (like IDDR SAME_EDGE_PIPELINED). Transmit: both
// nibbles are registered on tx_clk; the pin shows the first while tx_clk is high and the second while it is low
// (like ODDR SAME_EDGE); TXC is tx_clk_txc itself. Not for synthesis.
`resetall
`timescale 1ns / 1ps
`default_nettype none

/* verilator lint_off UNUSEDPARAM */
module tw_rgmii_ddr #(
    parameter RX_DELAY = 0              // accepted and ignored
) (
    input  wire       rgmii_rxc,
    input  wire [3:0] rgmii_rxd,
    input  wire       rgmii_rx_ctl,
    output wire       rx_clk,
    output wire [7:0] rx_d,
    output wire [1:0] rx_ctl,

    input  wire       tx_clk,
    input  wire       tx_clk_txc,
    input  wire [7:0] tx_d,
    input  wire [1:0] tx_ctl,
    output wire       rgmii_txc,
    output wire [3:0] rgmii_txd,
    output wire       rgmii_tx_ctl
);

assign rx_clk = rgmii_rxc;

reg [4:0] rise_reg = 5'd0, fall_reg = 5'd0;
reg [7:0] rx_d_reg = 8'd0;
reg [1:0] rx_ctl_reg = 2'd0;

always @(posedge rgmii_rxc) begin
    rise_reg <= {rgmii_rx_ctl, rgmii_rxd};
    rx_d_reg <= {fall_reg[3:0], rise_reg[3:0]};
    rx_ctl_reg <= {fall_reg[4], rise_reg[4]};
end
always @(negedge rgmii_rxc)
    fall_reg <= {rgmii_rx_ctl, rgmii_rxd};

assign rx_d = rx_d_reg;
assign rx_ctl = rx_ctl_reg;

reg [4:0] q_rise_reg = 5'd0, q_fall_reg = 5'd0;
always @(posedge tx_clk) begin
    q_rise_reg <= {tx_ctl[0], tx_d[3:0]};
    q_fall_reg <= {tx_ctl[1], tx_d[7:4]};
end

wire [4:0] q = tx_clk ? q_rise_reg : q_fall_reg;
assign rgmii_txd = q[3:0];
assign rgmii_tx_ctl = q[4];
assign rgmii_txc = tx_clk_txc;

endmodule

`resetall
