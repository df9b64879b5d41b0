// tw_sync_fifo: synchronous FIFO (the merge FIFO and the engine result FIFO) with a registered read so block or
// distributed RAM is inferred; first-word-fall-through output register with valid/ready.
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

wire empty = wr_ptr == rd_ptr;
wire full = (wr_ptr[DEPTH_W-1:0] == rd_ptr[DEPTH_W-1:0]) && (wr_ptr[DEPTH_W] != rd_ptr[DEPTH_W]);
wire wr = s_valid && !full;
wire rd = !empty && (!out_valid || m_ready);

assign s_ready = !full;
assign m_data = out_reg;
assign m_valid = out_valid;

always @(posedge clk) begin
    if (wr) mem[wr_ptr[DEPTH_W-1:0]] <= s_data;
    if (rd) out_reg <= mem[rd_ptr[DEPTH_W-1:0]];
end

always @(posedge clk) begin
    if (wr) wr_ptr <= wr_ptr + 1'b1;
    if (rd) rd_ptr <= rd_ptr + 1'b1;
    if (rd) out_valid <= 1'b1;
    else if (m_ready) out_valid <= 1'b0;
    if (rst) begin
        wr_ptr <= {(DEPTH_W+1){1'b0}};
        rd_ptr <= {(DEPTH_W+1){1'b0}};
        out_valid <= 1'b0;
    end
end

endmodule

`resetall
