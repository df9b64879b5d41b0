// tw_merge: round-robin merge of the two ports' record streams into one FIFO (tw_sync_fifo) and onto m_meta.
// A full FIFO back-pressures the parsers (their slots fill and their capture drops copies, counted); it never
// reaches the tap.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_merge #(
    parameter WIDTH = 8,
    parameter DEPTH_W = 4
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [WIDTH-1:0] s_a_data,
    input  wire             s_a_valid,
    output wire             s_a_ready,
    input  wire [WIDTH-1:0] s_b_data,
    input  wire             s_b_valid,
    output wire             s_b_ready,
    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready
);

reg  prio_b = 1'b0;     // B wins a tie this cycle
wire fifo_ready;
wire pick_b = s_b_valid && (prio_b || !s_a_valid);
wire pick_a = s_a_valid && !pick_b;

assign s_a_ready = fifo_ready && pick_a;
assign s_b_ready = fifo_ready && pick_b;

always @(posedge clk) begin
    if (fifo_ready && (pick_a || pick_b)) prio_b <= pick_a;
    if (rst) prio_b <= 1'b0;
end

tw_sync_fifo #(
    .WIDTH(WIDTH),
    .DEPTH_W(DEPTH_W)
) fifo (
    .clk(clk),
    .rst(rst),
    .s_data(pick_b ? s_b_data : s_a_data),
    .s_valid(pick_a || pick_b),
    .s_ready(fifo_ready),
    .m_data(m_data),
    .m_valid(m_valid),
    .m_ready(m_ready)
);

endmodule

`resetall
