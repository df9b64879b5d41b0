// tw_mac_widen: 8-bit to 64-bit AXI-Stream without back-pressure (the receive side of a MAC cannot wait). Bytes
// fill a beat from byte 0 (bits 7:0, first on the wire) up; a full beat or the frame's last byte sends it, with
// tkeep covering the bytes present (contiguous from byte 0) and tuser of the last byte. The output is a register:
// one beat at most every eight input bytes, tvalid for one clock.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_widen (
    input  wire        clk,
    input  wire        rst,

    input  wire [7:0]  s_axis_tdata,
    input  wire        s_axis_tvalid,
    input  wire        s_axis_tlast,
    input  wire        s_axis_tuser,

    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    output wire        m_axis_tlast,
    output wire        m_axis_tuser
);

reg [63:0] acc_reg = 64'd0;
reg [2:0]  idx_reg = 3'd0;
reg [63:0] out_data_reg = 64'd0;
reg [7:0]  out_keep_reg = 8'd0;
reg        out_valid_reg = 1'b0, out_last_reg = 1'b0, out_user_reg = 1'b0;

assign m_axis_tdata = out_data_reg;
assign m_axis_tkeep = out_keep_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;
assign m_axis_tuser = out_user_reg;

// the beat with this byte placed at idx_reg (bytes above it are stale and masked by tkeep); one select per byte with
// constant part-selects (written as beat[idx_reg*8 +: 8] = ..., Yosys builds a shifter of the whole beat: session 12
// measured 544 multiplexers and 242 gates per port there, docs/architecture.md "Computed-index part-selects")
reg [63:0] beat;
integer b;
always @* begin
    for (b = 0; b < 8; b = b + 1)
        beat[b*8 +: 8] = idx_reg == b[2:0] ? s_axis_tdata : acc_reg[b*8 +: 8];
end

always @(posedge clk) begin
    out_valid_reg <= 1'b0;
    if (s_axis_tvalid) begin
        acc_reg <= beat;
        if (idx_reg == 3'd7 || s_axis_tlast) begin
            out_data_reg <= beat;
            out_keep_reg <= 8'hFF >> (3'd7 - idx_reg);
            out_valid_reg <= 1'b1;
            out_last_reg <= s_axis_tlast;
            out_user_reg <= s_axis_tlast && s_axis_tuser;
            idx_reg <= 3'd0;
        end else begin
            idx_reg <= idx_reg + 1'b1;
        end
    end
    if (rst) begin
        idx_reg <= 3'd0;
        out_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
