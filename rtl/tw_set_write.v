// tw_set_write: the host-write side every set table shares (tw_match_sets for the parallel tables, tw_set_scan for
// the scanned ones; docs/tables.md): each entry's valid bit, written with the entry's compare fields, and the write
// of its `sets` bitmap delayed by one clock (sw_*), which the parent applies to its own sets storage. The parent
// reads the sets one clock after the valid bit and its compare fields, so a lookup sees an entry wholly old or
// wholly new. Reset clears the valid bits and a pending sets write.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_set_write #(
    parameter N = 64,         // entries
    parameter IW = 6,         // index width, 2^IW >= N
    parameter SETS_W = 16     // width of an entry's sets bitmap
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              wr_en,
    input  wire [IW-1:0]     wr_index,
    input  wire              wr_valid,
    input  wire [SETS_W-1:0] wr_sets,
    output reg  [N-1:0]      valid,      // entry valid bits
    output reg               sw_en,      // the sets write, one clock after the entry's
    output reg  [IW-1:0]     sw_index,
    output reg  [SETS_W-1:0] sw_sets
);

// one write enable per entry (a loop of constant indices: valid[wr_index] <= ... is a shifter of the whole vector in
// Yosys, about 470 LUT4 sites for the small engine's two tables, session 12)
integer i;
always @(posedge clk) begin
    if (rst) begin
        valid <= {N{1'b0}};
        sw_en <= 1'b0;
    end else begin
        for (i = 0; i < N; i = i + 1)
            if (wr_en && wr_index == i[IW-1:0])
                valid[i] <= wr_valid;
        sw_en <= wr_en;
    end
    if (wr_en) begin
        sw_index <= wr_index;
        sw_sets  <= wr_sets;
    end
end

endmodule

`resetall
