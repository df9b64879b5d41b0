// tw_ecp5_pll (Lattice ECP5): one EHXPLLL from the board's 25 MHz oscillator. VCO 625 MHz; clk_tx 125 MHz (RGMII
// transmit), clk_tx90 the same shifted by 90 degrees (2 ns, for a PHY without TX delay), clk_core 625/CORE_DIV MHz
// (5: 125 MHz). Simulation model with the same ports: rtl/boards/sim/tw_ecp5_pll.v.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_ecp5_pll #(
    parameter CORE_DIV = 5
) (
    input  wire clk_in,
    output wire clk_tx,
    output wire clk_tx90,
    output wire clk_core,
    output wire locked
);

(* FREQUENCY_PIN_CLKI="25" *)
(* FREQUENCY_PIN_CLKOP="125" *)
(* FREQUENCY_PIN_CLKOS="125" *)
(* ICP_CURRENT="12" *) (* LPF_RESISTOR="8" *) (* MFG_ENABLE_FILTEROPAMP="1" *) (* MFG_GMCREF_SEL="2" *)
EHXPLLL #(
    .PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"), .DPHASE_SOURCE("DISABLED"),
    .OUTDIVIDER_MUXA("DIVA"), .OUTDIVIDER_MUXB("DIVB"), .OUTDIVIDER_MUXC("DIVC"), .OUTDIVIDER_MUXD("DIVD"),
    .CLKI_DIV(1), .CLKFB_DIV(5), .FEEDBK_PATH("CLKOP"),
    .CLKOP_ENABLE("ENABLED"), .CLKOP_DIV(5), .CLKOP_CPHASE(2), .CLKOP_FPHASE(0),
    // 90 degrees = 1.25 VCO periods after CLKOP: one more coarse step and two eighths
    .CLKOS_ENABLE("ENABLED"), .CLKOS_DIV(5), .CLKOS_CPHASE(3), .CLKOS_FPHASE(2),
    .CLKOS2_ENABLE("ENABLED"), .CLKOS2_DIV(CORE_DIV), .CLKOS2_CPHASE((CORE_DIV - 1) / 2), .CLKOS2_FPHASE(0)
) pll (
    .RST(1'b0), .STDBY(1'b0), .CLKI(clk_in),
    .CLKOP(clk_tx), .CLKOS(clk_tx90), .CLKOS2(clk_core), .CLKOS3(),
    .CLKFB(clk_tx), .CLKINTFB(),
    .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1), .PHASELOADREG(1'b1),
    .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .ENCLKOS(1'b0), .ENCLKOS2(1'b0), .ENCLKOS3(1'b0),
    .LOCK(locked), .INTLOCK(), .REFCLK()
);

endmodule

`resetall
