// tw_engine_fifo: the engine's result FIFO. Synchronous FIFO of 2^DEPTH_W entries with a registered read (block or
// distributed RAM) and a first-word-fall-through output register: s_ready = not full; m_valid/m_data show the
// oldest entry. Capacity 2^DEPTH_W + 1 (the output register).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_engine_fifo #(
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

reg [WIDTH-1:0] mem [0:(1 << DEPTH_W)-1];
reg [DEPTH_W:0] wp, rp;
reg [WIDTH-1:0] q;
reg             qv;

wire empty = wp == rp;
wire full  = wp[DEPTH_W-1:0] == rp[DEPTH_W-1:0] && wp[DEPTH_W] != rp[DEPTH_W];
wire push  = s_valid && !full;
wire pop   = !empty && (!qv || m_ready);

assign s_ready = !full;
assign m_data  = q;
assign m_valid = qv;

always @(posedge clk) begin
    if (push) mem[wp[DEPTH_W-1:0]] <= s_data;
    if (pop)  q <= mem[rp[DEPTH_W-1:0]];
end

always @(posedge clk) begin
    if (rst) begin
        wp <= {(DEPTH_W+1){1'b0}};
        rp <= {(DEPTH_W+1){1'b0}};
        qv <= 1'b0;
    end else begin
        if (push) wp <= wp + 1'b1;
        if (pop)  rp <= rp + 1'b1;
        if (pop)  qv <= 1'b1;
        else if (m_ready) qv <= 1'b0;
    end
end

endmodule

`resetall
