// Simulation-only wrapper for tests/sim/test_cnt_ram.c: the register and the RAM form of the statistics counters
// side by side on the same inputs (tw_counters RAM = 0 / 1: 32 counters of 24-bit increments, as the tap and
// parser feed them; and 16 counters of 4-bit increments, the boards' MAC statistics, against a register reference);
// and tw_cnt_ext over 32 counters 8 bits wide (wrapping often) against 64-bit reference counters.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_cnt_pair (
    input  wire         clk,
    input  wire         rst,
    input  wire [767:0] inc,        // 32 x 24 bits
    input  wire [7:0]   addr,
    output wire [63:0]  d_reg,
    output wire [63:0]  d_ram,
    input  wire [63:0]  minc,       // 16 x 4 bits
    input  wire [7:0]   maddr,
    output reg  [63:0]  m_reg = 64'd0,
    output wire [63:0]  m_ram,
    input  wire [95:0]  einc,       // 32 x 3 bits
    input  wire [7:0]   eaddr,
    output reg  [63:0]  e_ref = 64'd0,
    output wire [63:0]  e_ext
);

tw_counters #(.NPORTS(2), .INC_W(24), .RAM(0)) c_reg (
    .clk(clk), .rst(rst), .inc(inc), .cnt_addr(addr), .cnt_data(d_reg)
);
tw_counters #(.NPORTS(2), .INC_W(24), .RAM(1)) c_ram (
    .clk(clk), .rst(rst), .inc(inc), .cnt_addr(addr), .cnt_data(d_ram)
);

reg [16*64-1:0] mc = {(16*64){1'b0}};
integer k;
always @(posedge clk) begin
    for (k = 0; k < 16; k = k + 1)
        mc[k*64 +: 64] <= mc[k*64 +: 64] + {60'd0, minc[k*4 +: 4]};
    m_reg <= maddr < 8'd16 ? mc[maddr[3:0]*64 +: 64] : 64'd0;
    if (rst) begin
        mc    <= {(16*64){1'b0}};
        m_reg <= 64'd0;
    end
end
tw_cnt_ram #(.N(16), .AW(4), .INC_W(4), .NARROW_W(4)) m_ram_u (
    .clk(clk), .rst(rst), .inc(minc), .cnt_addr(maddr), .cnt_data(m_ram)
);

reg [32*64-1:0] eref = {(32*64){1'b0}};
reg [32*8-1:0]  ecur = {(32*8){1'b0}};
always @(posedge clk) begin
    for (k = 0; k < 32; k = k + 1) begin
        eref[k*64 +: 64] <= eref[k*64 +: 64] + {61'd0, einc[k*3 +: 3]};
        ecur[k*8 +: 8]   <= ecur[k*8 +: 8] + {5'd0, einc[k*3 +: 3]};
    end
    e_ref <= eaddr < 8'd32 ? eref[eaddr[4:0]*64 +: 64] : 64'd0;
    if (rst) begin
        eref  <= {(32*64){1'b0}};
        ecur  <= {(32*8){1'b0}};
        e_ref <= 64'd0;
    end
end
tw_cnt_ext #(.N(32), .AW(5), .W(8)) e_ext_u (
    .clk(clk), .rst(rst), .cur(ecur), .cnt_addr(eaddr), .cnt_data(e_ext)
);

endmodule

`resetall
