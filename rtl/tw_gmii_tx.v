// tw_gmii_tx: 8-bit AXI-Stream to GMII transmit (one byte per tx clock, 1 Gb/s). Sends 7 preamble bytes and the
// SFD, the frame as given (no padding: forwarding is bit-exact, a short frame stays short), then a regenerated FCS
// (CRC-32, IEEE 802.3) and at least IFG clocks of idle. A frame marked bad (tuser on its last beat) gets the
// complement of its FCS, so it stays bad on the wire. The source must deliver one byte per clock from the frame's
// first byte to its last (a store-and-forward frame FIFO does); a missing byte mid-frame is sent as an error
// (tx_er) and counted on ev_underflow. ev_frame pulses once per frame sent.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_gmii_tx #(
    parameter IFG = 12
) (
    input  wire       clk,
    input  wire       rst,

    input  wire [7:0] s_axis_tdata,
    input  wire       s_axis_tvalid,
    output wire       s_axis_tready,
    input  wire       s_axis_tlast,
    input  wire       s_axis_tuser,

    output wire [7:0] gmii_txd,
    output wire       gmii_tx_en,
    output wire       gmii_tx_er,

    output wire       ev_frame,
    output wire       ev_underflow
);

localparam [1:0] ST_IDLE = 2'd0, ST_PRE = 2'd1, ST_DATA = 2'd2, ST_FCS = 2'd3;

initial begin
    if (IFG < 1 || IFG > 255) begin
        $error("tw_gmii_tx: IFG must be 1..255");
        $finish;
    end
end

function [31:0] crc_byte(input [31:0] c, input [7:0] d);
    integer i;
    reg [31:0] r;
    begin
        r = c;
        for (i = 0; i < 8; i = i + 1)
            r = {1'b0, r[31:1]} ^ (32'hEDB88320 & {32{r[0] ^ d[i]}});
        crc_byte = r;
    end
endfunction

reg [1:0]  state_reg = ST_IDLE;
reg [7:0]  cnt_reg = 8'd0;
reg [31:0] crc_reg = 32'hFFFFFFFF;
reg [31:0] fcs_reg = 32'd0;
reg [7:0]  txd_reg = 8'd0;
reg        tx_en_reg = 1'b0, tx_er_reg = 1'b0;
reg        ev_frame_reg = 1'b0, ev_under_reg = 1'b0;

assign s_axis_tready = state_reg == ST_DATA;
assign gmii_txd = txd_reg;
assign gmii_tx_en = tx_en_reg;
assign gmii_tx_er = tx_er_reg;
assign ev_frame = ev_frame_reg;
assign ev_underflow = ev_under_reg;

wire [31:0] crc_next = crc_byte(crc_reg, s_axis_tdata);

always @(posedge clk) begin
    ev_frame_reg <= 1'b0;
    ev_under_reg <= 1'b0;
    tx_er_reg <= 1'b0;
    case (state_reg)
        ST_IDLE: begin
            tx_en_reg <= 1'b0;
            txd_reg <= 8'd0;
            crc_reg <= 32'hFFFFFFFF;
            if (cnt_reg != 8'd0)
                cnt_reg <= cnt_reg - 1'b1;      // inter-frame gap
            else if (s_axis_tvalid)
                state_reg <= ST_PRE;
        end
        ST_PRE: begin
            tx_en_reg <= 1'b1;
            txd_reg <= cnt_reg == 8'd7 ? 8'hD5 : 8'h55;
            cnt_reg <= cnt_reg + 1'b1;
            if (cnt_reg == 8'd7)
                state_reg <= ST_DATA;
        end
        ST_DATA: begin
            cnt_reg <= 8'd0;
            if (s_axis_tvalid) begin
                txd_reg <= s_axis_tdata;
                crc_reg <= crc_next;
                if (s_axis_tlast) begin
                    fcs_reg <= s_axis_tuser ? crc_next : ~crc_next;
                    state_reg <= ST_FCS;
                end
            end else begin
                // underflow: the byte is not there; send an error byte and keep waiting for the rest
                txd_reg <= 8'd0;
                tx_er_reg <= 1'b1;
                ev_under_reg <= 1'b1;
            end
        end
        default: begin  // ST_FCS: four bytes, least significant first
            txd_reg <= fcs_reg[7:0];
            fcs_reg <= {8'd0, fcs_reg[31:8]};
            cnt_reg <= cnt_reg + 1'b1;
            if (cnt_reg == 8'd3) begin
                state_reg <= ST_IDLE;
                cnt_reg <= IFG[7:0] - 1'b1;
                ev_frame_reg <= 1'b1;
            end
        end
    endcase

    if (rst) begin
        state_reg <= ST_IDLE;
        cnt_reg <= 8'd0;
        tx_en_reg <= 1'b0;
        tx_er_reg <= 1'b0;
        ev_frame_reg <= 1'b0;
        ev_under_reg <= 1'b0;
    end
end

endmodule

`resetall
