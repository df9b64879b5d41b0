// tw_mac_fifo_ram (Lattice ECP5): the same ports and behaviour as rtl/tw_mac_fifo_ram.v (the generic version the
// simulation models and the other boards use), built from DP16KD block RAMs with the output register inside the
// RAM (REGMODE_B "OUTREG"): port A writes on wr_clk (WEA = wr_en, connected as Yosys' own DP16KD mapping does),
// port B reads on rd_clk, CEB = rd_en clocks the RAM's read latch, OCEB = out_en its output register. With the
// output register the RAM's clock-to-output is about 0.9 ns instead of 5.8 ns (speed grade 6, nextpnr's timing
// database), so the reader's fabric logic behind the FIFO gets nearly the whole clock period. Yosys' ECP5 memory
// mapping (brams_16kd.txt) has no output-register option, hence the explicit instances.
// Each DP16KD is used DEPTH deep and DW = 16384 / DEPTH bits wide (DEPTH 1024 for ADDR_W <= 10: x18; 2048: x9;
// 4096: x4; 8192: x2; 16384: x1; the address on pins 13..14-log2(DEPTH)), ceil(W / DW) of them side by side.
// AB_MIN (default 10) is the least number of address bits per DP16KD: 11 builds a shallow FIFO in the x9
// arrangement of the boards' 2048-deep ones (test_mac_fifo's x9 run builds a copy with that default, boards.mk;
// the boards keep 10).
// Read by tools/synth-board.sh, and by test_mac_fifo's ECP5 runs over the behavioural sim/ecp5_dp16kd.v (boards.mk;
// the other Verilator models use the generic version).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_fifo_ram #(
    parameter W = 69,
    parameter ADDR_W = 11,
    parameter AB_MIN = 10
) (
    input  wire              wr_clk,
    input  wire              wr_en,
    input  wire [ADDR_W-1:0] wr_addr,
    input  wire [W-1:0]      wr_data,

    input  wire              rd_clk,
    input  wire              rd_en,
    input  wire [ADDR_W-1:0] rd_addr,
    input  wire              out_en,
    output wire [W-1:0]      rd_data
);

localparam AB = ADDR_W <= AB_MIN ? AB_MIN : ADDR_W;     // address bits used in each DP16KD
localparam DW = AB == 10 ? 18 : AB == 11 ? 9 : AB == 12 ? 4 : AB == 13 ? 2 : 1;
localparam LOW = 14 - AB;                       // low address pins not used for the address
localparam N = (W + DW - 1) / DW;

initial begin
    if (ADDR_W < 1 || ADDR_W > 14 || AB_MIN < 10 || AB_MIN > 14) begin
        $error("tw_mac_fifo_ram (ECP5): ADDR_W must be 1..14, AB_MIN 10..14");
        $finish;
    end
end

wire [AB-1:0]   wa = wr_addr;                   // zero-extended below 10 bits
wire [AB-1:0]   ra = rd_addr;
// x18: pins 1..0 are the byte enables of a write (both bytes), 3..2 unused; narrower widths: unused low pins 0
wire [13:0]     ada = {wa, {LOW{1'b0}}} | (DW == 18 ? 14'd3 : 14'd0);
wire [13:0]     adb = {ra, {LOW{1'b0}}};
wire [N*DW-1:0] din = {{(N * DW - W){1'b0}}, wr_data};
wire [N*DW-1:0] dout;

assign rd_data = dout[W-1:0];

genvar i;
generate
for (i = 0; i < N; i = i + 1) begin : g_ram
    wire [17:0] dia = {{(18 - DW){1'b0}}, din[i*DW +: DW]};
    wire [17:0] dob;
    assign dout[i*DW +: DW] = dob[DW-1:0];
    DP16KD #(
        .DATA_WIDTH_A(DW),
        .DATA_WIDTH_B(DW),
        .REGMODE_A("NOREG"),
        .REGMODE_B("OUTREG"),
        .RESETMODE("SYNC"),
        .ASYNC_RESET_RELEASE("SYNC"),
        .CSDECODE_A("0b000"),
        .CSDECODE_B("0b000"),
        .WRITEMODE_A("NORMAL"),
        .WRITEMODE_B("NORMAL"),
        .GSR("DISABLED")
    ) ram (
        .CLKA(wr_clk), .CEA(1'b1), .OCEA(1'b0), .WEA(wr_en), .RSTA(1'b0),
        .CSA0(1'b0), .CSA1(1'b0), .CSA2(1'b0),
        .ADA0(ada[0]), .ADA1(ada[1]), .ADA2(ada[2]), .ADA3(ada[3]), .ADA4(ada[4]), .ADA5(ada[5]), .ADA6(ada[6]),
        .ADA7(ada[7]), .ADA8(ada[8]), .ADA9(ada[9]), .ADA10(ada[10]), .ADA11(ada[11]), .ADA12(ada[12]), .ADA13(ada[13]),
        .DIA0(dia[0]), .DIA1(dia[1]), .DIA2(dia[2]), .DIA3(dia[3]), .DIA4(dia[4]), .DIA5(dia[5]),
        .DIA6(dia[6]), .DIA7(dia[7]), .DIA8(dia[8]), .DIA9(dia[9]), .DIA10(dia[10]), .DIA11(dia[11]),
        .DIA12(dia[12]), .DIA13(dia[13]), .DIA14(dia[14]), .DIA15(dia[15]), .DIA16(dia[16]), .DIA17(dia[17]),
        .CLKB(rd_clk), .CEB(rd_en), .OCEB(out_en), .WEB(1'b0), .RSTB(1'b0),
        .CSB0(1'b0), .CSB1(1'b0), .CSB2(1'b0),
        .ADB0(adb[0]), .ADB1(adb[1]), .ADB2(adb[2]), .ADB3(adb[3]), .ADB4(adb[4]), .ADB5(adb[5]), .ADB6(adb[6]),
        .ADB7(adb[7]), .ADB8(adb[8]), .ADB9(adb[9]), .ADB10(adb[10]), .ADB11(adb[11]), .ADB12(adb[12]), .ADB13(adb[13]),
        .DIB0(1'b0), .DIB1(1'b0), .DIB2(1'b0), .DIB3(1'b0), .DIB4(1'b0), .DIB5(1'b0),
        .DIB6(1'b0), .DIB7(1'b0), .DIB8(1'b0), .DIB9(1'b0), .DIB10(1'b0), .DIB11(1'b0),
        .DIB12(1'b0), .DIB13(1'b0), .DIB14(1'b0), .DIB15(1'b0), .DIB16(1'b0), .DIB17(1'b0),
        .DOB0(dob[0]), .DOB1(dob[1]), .DOB2(dob[2]), .DOB3(dob[3]), .DOB4(dob[4]), .DOB5(dob[5]),
        .DOB6(dob[6]), .DOB7(dob[7]), .DOB8(dob[8]), .DOB9(dob[9]), .DOB10(dob[10]), .DOB11(dob[11]),
        .DOB12(dob[12]), .DOB13(dob[13]), .DOB14(dob[14]), .DOB15(dob[15]), .DOB16(dob[16]), .DOB17(dob[17])
    );
end
endgenerate

endmodule

`resetall
