// tw_rgmii_ddr (Lattice ECP5): the RGMII pins of one PHY <-> one byte per clock. Receive: each data/ctl pin through
// a fixed input delay (DELAYG, RX_DELAY taps of about 25 ps: the PHY sends data edge-aligned with RXC) into an
// IDDRX1F clocked by RXC itself, which becomes the port's receive clock. Transmit: ODDRX1F per pin on tx_clk; TXC
// is an ODDRX1F (1, 0) clocked by tx_clk_txc (tx_clk, or a 90-degree copy when the PHY adds no TX delay).
// rx_d / tx_d = {falling-edge nibble, rising-edge nibble}; rx_ctl / tx_ctl = {falling, rising}.
// Simulation model with the same ports: rtl/boards/sim/tw_rgmii_ddr.v.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_rgmii_ddr #(
    parameter RX_DELAY = 80             // DELAYG taps on RXD/RX_CTL (80 x 25 ps = 2 ns)
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

wire [4:0] rx_pin = {rgmii_rx_ctl, rgmii_rxd};
wire [4:0] rx_dly;
wire [4:0] rx_q0, rx_q1;

genvar i;
generate for (i = 0; i < 5; i = i + 1) begin : g_rx
    DELAYG #(.DEL_MODE("USER_DEFINED"), .DEL_VALUE(RX_DELAY)) dly (.A(rx_pin[i]), .Z(rx_dly[i]));
    IDDRX1F iddr (.D(rx_dly[i]), .SCLK(rx_clk), .RST(1'b0), .Q0(rx_q0[i]), .Q1(rx_q1[i]));
end endgenerate

assign rx_d = {rx_q1[3:0], rx_q0[3:0]};
assign rx_ctl = {rx_q1[4], rx_q0[4]};

wire [4:0] tx_d0 = {tx_ctl[0], tx_d[3:0]};
wire [4:0] tx_d1 = {tx_ctl[1], tx_d[7:4]};
wire [4:0] tx_q;

generate for (i = 0; i < 5; i = i + 1) begin : g_tx
    ODDRX1F oddr (.D0(tx_d0[i]), .D1(tx_d1[i]), .SCLK(tx_clk), .RST(1'b0), .Q(tx_q[i]));
end endgenerate

ODDRX1F oddr_txc (.D0(1'b1), .D1(1'b0), .SCLK(tx_clk_txc), .RST(1'b0), .Q(rgmii_txc));

assign rgmii_txd = tx_q[3:0];
assign rgmii_tx_ctl = tx_q[4];

endmodule

`resetall
