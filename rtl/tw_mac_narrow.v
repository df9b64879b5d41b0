// tw_mac_narrow: 64-bit to 8-bit AXI-Stream. Takes a beat when its byte register is empty or its last byte leaves,
// so a source that keeps tvalid high (a FIFO with a registered output) gives one byte every clock. tkeep must be
// contiguous from byte 0 (bits 7:0 first) and cover at least one byte; tlast and tuser go with the beat's last byte.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_narrow (
    input  wire        clk,
    input  wire        rst,

    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    input  wire        s_axis_tuser,

    output wire [7:0]  m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire        m_axis_tuser
);

reg [63:0] data_reg = 64'd0;
reg [2:0]  left_reg = 3'd0;       // bytes after the current one
reg        valid_reg = 1'b0, last_reg = 1'b0, user_reg = 1'b0;

// index of the highest byte in tkeep
reg [2:0] top;
integer i;
always @* begin
    top = 3'd0;
    for (i = 1; i < 8; i = i + 1)
        if (s_axis_tkeep[i])
            top = i[2:0];
end

wire out_done = !valid_reg || (m_axis_tready && left_reg == 3'd0);
assign s_axis_tready = out_done;
assign m_axis_tdata = data_reg[7:0];
assign m_axis_tvalid = valid_reg;
assign m_axis_tlast = last_reg && left_reg == 3'd0;
assign m_axis_tuser = user_reg && left_reg == 3'd0;

always @(posedge clk) begin
    if (out_done) begin
        valid_reg <= s_axis_tvalid;
        if (s_axis_tvalid) begin
            data_reg <= s_axis_tdata;
            left_reg <= top;
            last_reg <= s_axis_tlast;
            user_reg <= s_axis_tuser;
        end
    end else if (m_axis_tready) begin
        data_reg <= {8'd0, data_reg[63:8]};
        left_reg <= left_reg - 1'b1;
    end
    if (rst)
        valid_reg <= 1'b0;
end

endmodule

`resetall
