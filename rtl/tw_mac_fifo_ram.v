// tw_mac_fifo_ram: the storage of tw_mac_fifo: a simple dual-port RAM (one write port, one read port on another
// clock) with a two-register read pipeline: rd_en loads the RAM's read register from rd_addr, out_en loads the
// output register from the read register; rd_data is the output register (two clocks from address to data).
// This generic version is inferred as block RAM plus a fabric output register. The ECP5 build reads
// rtl/boards/ecp5/tw_mac_fifo_ram.v instead (same ports): DP16KD block RAMs with REGMODE "OUTREG", the output
// register inside the block RAM, because Yosys' memory mapping for the ECP5 does not use it (docs/boards.md).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_fifo_ram #(
    parameter W = 69,
    parameter ADDR_W = 11
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

reg [W-1:0] mem [0:(1 << ADDR_W)-1];
reg [W-1:0] ram_reg;
reg [W-1:0] out_reg;

assign rd_data = out_reg;

always @(posedge wr_clk) begin
    if (wr_en)
        mem[wr_addr] <= wr_data;
end

always @(posedge rd_clk) begin
    if (rd_en)
        ram_reg <= mem[rd_addr];
    if (out_en)
        out_reg <= ram_reg;
end

endmodule

`resetall
