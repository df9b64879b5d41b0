// tw_xc7_clocks (Xilinx 7 series): one MMCME2_BASE from the board's 100 MHz oscillator, VCO 1000 MHz: clk_tx
// 125 MHz (RGMII transmit), clk_tx90 the same shifted by 90 degrees (2 ns TX clock delay), clk_core 1000/CORE_DIV
// MHz (8: 125 MHz), clk_200 for the IDELAYCTRL this module also instantiates (rdy is part of locked).
// Simulation model with the same ports: rtl/boards/sim/tw_xc7_clocks.v.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_xc7_clocks #(
    parameter CORE_DIV = 8
) (
    input  wire clk_in,
    input  wire rst,
    output wire clk_tx,
    output wire clk_tx90,
    output wire clk_core,
    output wire locked
);

wire clk_fb, clk_fb_buf, tx_u, tx90_u, core_u, c200_u, clk_200, mmcm_locked, dly_rdy;

MMCME2_BASE #(
    .CLKIN1_PERIOD(10.0), .DIVCLK_DIVIDE(1), .CLKFBOUT_MULT_F(10.0),
    .CLKOUT0_DIVIDE_F(8.0), .CLKOUT0_PHASE(0.0),
    .CLKOUT1_DIVIDE(8), .CLKOUT1_PHASE(90.0),
    .CLKOUT2_DIVIDE(CORE_DIV), .CLKOUT2_PHASE(0.0),
    .CLKOUT3_DIVIDE(5), .CLKOUT3_PHASE(0.0)
) mmcm (
    .CLKIN1(clk_in), .RST(rst), .PWRDWN(1'b0),
    .CLKFBIN(clk_fb_buf), .CLKFBOUT(clk_fb), .CLKFBOUTB(),
    .CLKOUT0(tx_u), .CLKOUT0B(), .CLKOUT1(tx90_u), .CLKOUT1B(), .CLKOUT2(core_u), .CLKOUT2B(),
    .CLKOUT3(c200_u), .CLKOUT3B(), .CLKOUT4(), .CLKOUT5(), .CLKOUT6(),
    .LOCKED(mmcm_locked)
);

BUFG fb_bufg (.I(clk_fb), .O(clk_fb_buf));
BUFG tx_bufg (.I(tx_u), .O(clk_tx));
BUFG tx90_bufg (.I(tx90_u), .O(clk_tx90));
BUFG core_bufg (.I(core_u), .O(clk_core));
BUFG c200_bufg (.I(c200_u), .O(clk_200));

IDELAYCTRL idelayctrl (.REFCLK(clk_200), .RST(!mmcm_locked), .RDY(dly_rdy));

assign locked = mmcm_locked && dly_rdy;

endmodule

`resetall
