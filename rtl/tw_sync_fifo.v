// tw_sync_fifo: synchronous FIFO (the merge FIFO and the engine result FIFO) with a registered read so block or
// distributed RAM is inferred; first-word-fall-through output register with valid/ready. Full and empty are
// registers, computed from the next pointers (timing: s_ready is no pointer compare; in the Colorlight's parser
// build the record FIFO's full compare sat between the parse engine's state and its slot counter).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_sync_fifo #(
    parameter WIDTH = 8,
    parameter DEPTH_W = 4
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,
    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready
);

reg [WIDTH-1:0]   mem [0:(1 << DEPTH_W)-1];
reg [DEPTH_W:0]   wr_ptr = {(DEPTH_W+1){1'b0}};
reg [DEPTH_W:0]   rd_ptr = {(DEPTH_W+1){1'b0}};
reg [WIDTH-1:0]   out_reg;
reg               out_valid = 1'b0;

reg               empty = 1'b1;
reg               full = 1'b0;
wire wr = s_valid && !full;
wire rd = !empty && (!out_valid || m_ready);
wire [DEPTH_W:0] wr_ptr_n = wr ? wr_ptr + 1'b1 : wr_ptr;
wire [DEPTH_W:0] rd_ptr_n = rd ? rd_ptr + 1'b1 : rd_ptr;

assign s_ready = !full;
assign m_data = out_reg;
assign m_valid = out_valid;

always @(posedge clk) begin
    if (wr) mem[wr_ptr[DEPTH_W-1:0]] <= s_data;
    if (rd) out_reg <= mem[rd_ptr[DEPTH_W-1:0]];
end

always @(posedge clk) begin
    wr_ptr <= wr_ptr_n;
    rd_ptr <= rd_ptr_n;
    empty <= wr_ptr_n == rd_ptr_n;
    full <= (wr_ptr_n[DEPTH_W-1:0] == rd_ptr_n[DEPTH_W-1:0]) && (wr_ptr_n[DEPTH_W] != rd_ptr_n[DEPTH_W]);
    if (rd) out_valid <= 1'b1;
    else if (m_ready) out_valid <= 1'b0;
    if (rst) begin
        wr_ptr <= {(DEPTH_W+1){1'b0}};
        rd_ptr <= {(DEPTH_W+1){1'b0}};
        empty <= 1'b1;
        full <= 1'b0;
        out_valid <= 1'b0;
    end
end

endmodule

`resetall
