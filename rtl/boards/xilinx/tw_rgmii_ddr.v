// tw_rgmii_ddr (Xilinx 7 series): the RGMII pins of one PHY <-> one byte per clock. Receive: RXC through a BUFG
// is the port's receive clock; each data/ctl pin passes a fixed IDELAYE2 (RX_DELAY taps of 78 ps with the 200 MHz
// IDELAYCTRL reference the board top instantiates) into an IDDR in SAME_EDGE_PIPELINED mode. Transmit: an ODDR per
// pin (SAME_EDGE) on tx_clk; TXC is an ODDR (1, 0) on tx_clk_txc (the 90-degree copy: 2 ns of TX clock delay).
// rx_d / tx_d = {falling-edge nibble, rising-edge nibble}; rx_ctl / tx_ctl = {falling, rising}.
// Simulation model with the same ports: rtl/boards/sim/tw_rgmii_ddr.v.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_rgmii_ddr #(
    parameter RX_DELAY = 26             // IDELAYE2 taps on RXD/RX_CTL (26 x 78 ps = 2 ns)
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

BUFG rxc_bufg (.I(rgmii_rxc), .O(rx_clk));

wire [4:0] rx_pin = {rgmii_rx_ctl, rgmii_rxd};
wire [4:0] rx_dly;
wire [4:0] rx_q1, rx_q2;

genvar i;
generate for (i = 0; i < 5; i = i + 1) begin : g_rx
    IDELAYE2 #(.IDELAY_TYPE("FIXED"), .IDELAY_VALUE(RX_DELAY), .DELAY_SRC("IDATAIN"), .REFCLK_FREQUENCY(200.0),
               .HIGH_PERFORMANCE_MODE("TRUE"), .SIGNAL_PATTERN("DATA"), .CINVCTRL_SEL("FALSE"),
               .PIPE_SEL("FALSE")) dly (
        .IDATAIN(rx_pin[i]), .DATAOUT(rx_dly[i]), .DATAIN(1'b0), .C(1'b0), .CE(1'b0), .INC(1'b0), .LD(1'b0),
        .LDPIPEEN(1'b0), .REGRST(1'b0), .CNTVALUEIN(5'd0), .CNTVALUEOUT(), .CINVCTRL(1'b0)
    );
    IDDR #(.DDR_CLK_EDGE("SAME_EDGE_PIPELINED")) iddr (
        .C(rx_clk), .CE(1'b1), .D(rx_dly[i]), .R(1'b0), .S(1'b0), .Q1(rx_q1[i]), .Q2(rx_q2[i])
    );
end endgenerate

assign rx_d = {rx_q2[3:0], rx_q1[3:0]};
assign rx_ctl = {rx_q2[4], rx_q1[4]};

wire [4:0] tx_d1 = {tx_ctl[0], tx_d[3:0]};
wire [4:0] tx_d2 = {tx_ctl[1], tx_d[7:4]};
wire [4:0] tx_q;

generate for (i = 0; i < 5; i = i + 1) begin : g_tx
    ODDR #(.DDR_CLK_EDGE("SAME_EDGE")) oddr (
        .C(tx_clk), .CE(1'b1), .D1(tx_d1[i]), .D2(tx_d2[i]), .R(1'b0), .S(1'b0), .Q(tx_q[i])
    );
end endgenerate

ODDR #(.DDR_CLK_EDGE("SAME_EDGE")) oddr_txc (
    .C(tx_clk_txc), .CE(1'b1), .D1(1'b1), .D2(1'b0), .R(1'b0), .S(1'b0), .Q(rgmii_txc)
);

assign rgmii_txd = tx_q[3:0];
assign rgmii_tx_ctl = tx_q[4];

endmodule

`resetall
