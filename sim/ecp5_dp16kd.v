// DP16KD: a behavioural model of the Lattice ECP5 true-dual-port 18 Kbit block RAM, for simulation only (never
// synthesized: the real primitive comes from the vendor library). It models what rtl/boards/ecp5/tw_mac_fifo_ram.v
// uses, so tests/boards/test_mac_fifo.c can run tw_mac_fifo over the ECP5 RAM (boards.mk, `make test`):
//   - DATA_WIDTH_A = DATA_WIDTH_B, one of 18, 9, 4, 2, 1 (mixed widths are not modelled: $error);
//     the word address is on AD13..AD(14-log2(depth)) (x18: AD13..AD4, x9: AD13..AD3, ...); in x18 a write is
//     byte-enabled by AD1 (bits 17..9) and AD0 (bits 8..0);
//   - per port: on the clock edge with CE = 1 and the chip select matching (CS2..0 = CSDECODE, only "0b000" is
//     modelled), WE = 1 writes (port A only: a write on port B stops the simulation; the read latch is left as it
//     was: WRITEMODE "NORMAL" only), WE = 0 loads the port's read latch from the addressed word;
//   - REGMODE "NOREG": DO is the read latch; "OUTREG": DO is the output register, loaded from the read latch on the
//     clock edge with OCE = 1 (independent of CE), so data arrives a clock after the latch;
//   - RST (RESETMODE "SYNC" only): clears the read latch and the output register on the clock edge.
// Simulation of a mutation: `define TW_DP16KD_MUTATE_OCE ties OCE high inside the model (boards.mk's
// board-fifo-mutant target checks that test_mac_fifo then fails).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module DP16KD #(
    parameter integer DATA_WIDTH_A = 18,
    parameter integer DATA_WIDTH_B = 18,
    parameter REGMODE_A = "NOREG",
    parameter REGMODE_B = "NOREG",
    parameter RESETMODE = "SYNC",
    parameter ASYNC_RESET_RELEASE = "SYNC",
    parameter CSDECODE_A = "0b000",
    parameter CSDECODE_B = "0b000",
    parameter WRITEMODE_A = "NORMAL",
    parameter WRITEMODE_B = "NORMAL",
    parameter GSR = "ENABLED"
) (
    input  wire CLKA, CEA, OCEA, WEA, RSTA, CSA0, CSA1, CSA2,
    input  wire ADA0, ADA1, ADA2, ADA3, ADA4, ADA5, ADA6, ADA7, ADA8, ADA9, ADA10, ADA11, ADA12, ADA13,
    input  wire DIA0, DIA1, DIA2, DIA3, DIA4, DIA5, DIA6, DIA7, DIA8, DIA9, DIA10, DIA11, DIA12, DIA13, DIA14,
    input  wire DIA15, DIA16, DIA17,
    output wire DOA0, DOA1, DOA2, DOA3, DOA4, DOA5, DOA6, DOA7, DOA8, DOA9, DOA10, DOA11, DOA12, DOA13, DOA14,
    output wire DOA15, DOA16, DOA17,
    input  wire CLKB, CEB, OCEB, WEB, RSTB, CSB0, CSB1, CSB2,
    input  wire ADB0, ADB1, ADB2, ADB3, ADB4, ADB5, ADB6, ADB7, ADB8, ADB9, ADB10, ADB11, ADB12, ADB13,
    input  wire DIB0, DIB1, DIB2, DIB3, DIB4, DIB5, DIB6, DIB7, DIB8, DIB9, DIB10, DIB11, DIB12, DIB13, DIB14,
    input  wire DIB15, DIB16, DIB17,
    output wire DOB0, DOB1, DOB2, DOB3, DOB4, DOB5, DOB6, DOB7, DOB8, DOB9, DOB10, DOB11, DOB12, DOB13, DOB14,
    output wire DOB15, DOB16, DOB17
);

localparam integer DW = DATA_WIDTH_A;
localparam integer AW = DW == 18 ? 10 : DW == 9 ? 11 : DW == 4 ? 12 : DW == 2 ? 13 : 14;
localparam integer LOW = 14 - AW;
localparam OUTREG_A = REGMODE_A == "OUTREG";
localparam OUTREG_B = REGMODE_B == "OUTREG";

initial begin
    if (DATA_WIDTH_A != DATA_WIDTH_B || !(DW == 18 || DW == 9 || DW == 4 || DW == 2 || DW == 1)) begin
        $error("DP16KD model: DATA_WIDTH_A = DATA_WIDTH_B in {18, 9, 4, 2, 1} only");
        $finish;
    end
    if (CSDECODE_A != "0b000" || CSDECODE_B != "0b000" || RESETMODE != "SYNC" || WRITEMODE_A != "NORMAL" ||
        WRITEMODE_B != "NORMAL" || !(REGMODE_A == "NOREG" || REGMODE_A == "OUTREG") ||
        !(REGMODE_B == "NOREG" || REGMODE_B == "OUTREG")) begin
        $error("DP16KD model: CSDECODE 0b000, RESETMODE SYNC, WRITEMODE NORMAL, REGMODE NOREG/OUTREG only");
        $finish;
    end
end

wire [13:0] ada = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0};
wire [13:0] adb = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0};
wire [17:0] dia = {DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4,
                   DIA3, DIA2, DIA1, DIA0};
wire [AW-1:0] wa_a = ada[13:LOW];
wire [AW-1:0] wa_b = adb[13:LOW];
wire          sel_a = {CSA2, CSA1, CSA0} == 3'b000;
wire          sel_b = {CSB2, CSB1, CSB0} == 3'b000;
// x18: AD1/AD0 enable the high/low 9 bits of a write; narrower widths write the whole word
wire [17:0]   be_a = DW == 18 ? {{9{ada[1]}}, {9{ada[0]}}} : 18'h3FFFF;
`ifdef TW_DP16KD_MUTATE_OCE
wire          oce_a = 1'b1, oce_b = 1'b1;
`else
wire          oce_a = OCEA, oce_b = OCEB;
`endif

reg [17:0] mem [0:(1 << AW)-1];
reg [17:0] lat_a = 18'd0, lat_b = 18'd0, out_a = 18'd0, out_b = 18'd0;

integer k;
initial
    for (k = 0; k < (1 << AW); k = k + 1)
        mem[k] = 18'd0;

always @(posedge CLKA) begin
    if (CEA && sel_a) begin
        if (WEA)
            mem[wa_a] <= (mem[wa_a] & ~be_a) | (dia & be_a);
        else
            lat_a <= mem[wa_a];
    end
    if (oce_a)
        out_a <= lat_a;
    if (RSTA) begin
        lat_a <= 18'd0;
        out_a <= 18'd0;
    end
end

always @(posedge CLKB) begin
    if (CEB && sel_b) begin
        if (WEB) begin
            $error("DP16KD model: writes on port B are not modelled");
            $finish;
        end
        lat_b <= mem[wa_b];
    end
    if (oce_b)
        out_b <= lat_b;
    if (RSTB) begin
        lat_b <= 18'd0;
        out_b <= 18'd0;
    end
end

wire [17:0] doa = (OUTREG_A ? out_a : lat_a) & ((18'd1 << DW) - 18'd1);
wire [17:0] dob = (OUTREG_B ? out_b : lat_b) & ((18'd1 << DW) - 18'd1);
assign {DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2,
        DOA1, DOA0} = doa;
assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2,
        DOB1, DOB0} = dob;

endmodule

`resetall
