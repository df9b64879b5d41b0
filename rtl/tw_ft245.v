// tw_ft245: FTDI FT2232H/FT232H synchronous 245 FIFO interface, clocked by the chip's 60 MHz CLKOUT.
// Half duplex on D[7:0], modelled as ft_d_in / ft_d_out / ft_d_oe (the board top places the tristate buffer).
//   read  (host -> FPGA): OE# low one clock before RD#; a byte moves on every rising edge with RXF# and RD# low.
//   write (FPGA -> host): a byte moves on every rising edge with TXE# and WR# low; the byte and WR# stay put until
//                         it moves, so every clock with TXE# low moves a byte while there is data to send. A spare
//                         register behind the bus register keeps s_axis_tready registered: the TXE# pin only
//                         steers two register loads, it never reaches the FIFO's read enable.
// Direction changes leave one idle clock with nobody driving the bus. Both directions take turns when both have
// work (bursts of up to RX_BURST / TX_BURST bytes); a host that stops reading (TXE# high) never blocks commands.
// SIWU# pulses low once the transmit side has been idle SIWU_IDLE clocks after sending, to flush a short packet.
// Received bytes leave on m_axis without back-pressure: RD# is only held low while rx_free >= 4 (the bytes that can
// still arrive after the decision); a byte that finds no room anyway sets the sticky rx_overflow flag.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_ft245 #(
    parameter FREE_W = 10,          // width of rx_free
    parameter RX_BURST = 256,
    parameter TX_BURST = 1024,
    parameter SIWU_IDLE = 64
) (
    input  wire              clk,   // CLKOUT
    input  wire              rst,

    // chip pins (# = active low)
    input  wire              ft_rxf_n,
    input  wire              ft_txe_n,
    input  wire [7:0]        ft_d_in,
    output wire [7:0]        ft_d_out,
    output wire              ft_d_oe,
    output wire              ft_rd_n,
    output wire              ft_wr_n,
    output wire              ft_oe_n,
    output wire              ft_siwu_n,

    // bytes from the host
    output wire [7:0]        m_axis_tdata,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    input  wire [FREE_W-1:0] rx_free,
    output wire              rx_overflow,

    // bytes to the host
    input  wire [7:0]        s_axis_tdata,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready
);

localparam [2:0] ST_IDLE = 3'd0, ST_RX_OE = 3'd1, ST_RX = 3'd2, ST_TX = 3'd3;

reg [2:0]  state_reg = ST_IDLE;
reg        oe_n_reg = 1'b1, rd_n_reg = 1'b1, wr_n_reg = 1'b1, d_oe_reg = 1'b0, siwu_n_reg = 1'b1;
reg [7:0]  d_out_reg = 8'd0;
reg        tx_pend_reg = 1'b0;          // d_out_reg holds a byte not yet taken by the chip
reg [7:0]  spare_reg = 8'd0;            // the next byte, when spare_valid_reg
reg        spare_valid_reg = 1'b0;
reg        tx_ready_reg = 1'b1;         // s_axis_tready: at most one byte is buffered
reg [7:0]  rx_data_reg = 8'd0;
reg        rx_valid_reg = 1'b0;
reg        rx_overflow_reg = 1'b0;
reg [10:0] burst_reg = 11'd0;
reg        last_rx_reg = 1'b0;          // the previous turn was a read: a write goes first when both wait
reg [7:0]  idle_reg = 8'd0;
reg        sent_reg = 1'b0;             // bytes sent since the last SIWU# strobe

wire rx_room = rx_free >= 4;
wire rx_moved = !rd_n_reg && !ft_rxf_n;
wire tx_moved = !wr_n_reg && !ft_txe_n;
wire tx_take = tx_ready_reg && s_axis_tvalid;
wire tx_slot = !tx_pend_reg || tx_moved;                  // the bus register is free after this edge
wire tx_pend_next = tx_slot ? (spare_valid_reg || tx_take) : 1'b1;
wire spare_next = tx_slot ? (spare_valid_reg && tx_take) : (spare_valid_reg || tx_take);
wire rx_want = !ft_rxf_n && rx_room;
wire tx_want = (tx_pend_reg || spare_valid_reg) && !ft_txe_n;

assign ft_d_out = d_out_reg;
assign ft_d_oe = d_oe_reg;
assign ft_rd_n = rd_n_reg;
assign ft_wr_n = wr_n_reg;
assign ft_oe_n = oe_n_reg;
assign ft_siwu_n = siwu_n_reg;
assign m_axis_tdata = rx_data_reg;
assign m_axis_tvalid = rx_valid_reg;
assign rx_overflow = rx_overflow_reg;
assign s_axis_tready = tx_ready_reg;

always @(posedge clk) begin
    rx_valid_reg <= 1'b0;
    if (rx_moved) begin
        rx_data_reg <= ft_d_in;
        rx_valid_reg <= 1'b1;
    end
    if (rx_valid_reg && !m_axis_tready)
        rx_overflow_reg <= 1'b1;

    // bus register and spare: the oldest byte is always on the bus
    if (tx_slot) begin
        if (spare_valid_reg) begin
            d_out_reg <= spare_reg;
            if (tx_take)
                spare_reg <= s_axis_tdata;
        end else if (tx_take) begin
            d_out_reg <= s_axis_tdata;
        end
    end else if (tx_take && !spare_valid_reg) begin
        spare_reg <= s_axis_tdata;
    end
    tx_pend_reg <= tx_pend_next;
    spare_valid_reg <= spare_next;
    tx_ready_reg <= !(tx_pend_next && spare_next);
    if (tx_moved)
        sent_reg <= 1'b1;

    siwu_n_reg <= 1'b1;
    if (tx_pend_reg || spare_valid_reg || s_axis_tvalid) begin
        idle_reg <= 8'd0;
    end else if (sent_reg) begin
        if (idle_reg == SIWU_IDLE[7:0]) begin
            siwu_n_reg <= 1'b0;
            sent_reg <= 1'b0;
            idle_reg <= 8'd0;
        end else begin
            idle_reg <= idle_reg + 1'b1;
        end
    end

    case (state_reg)
        ST_IDLE: begin
            burst_reg <= 11'd0;
            if (rx_want && !(tx_want && last_rx_reg)) begin
                oe_n_reg <= 1'b0;
                state_reg <= ST_RX_OE;
            end else if (tx_want) begin
                d_oe_reg <= 1'b1;
                state_reg <= ST_TX;
            end
        end
        ST_RX_OE: begin
            rd_n_reg <= 1'b0;
            last_rx_reg <= 1'b1;
            state_reg <= ST_RX;
        end
        ST_RX: begin
            if (rx_moved)
                burst_reg <= burst_reg + 1'b1;
            if (ft_rxf_n || !rx_room || (tx_want && burst_reg >= RX_BURST[10:0])) begin
                rd_n_reg <= 1'b1;
                oe_n_reg <= 1'b1;
                state_reg <= ST_IDLE;
            end
        end
        ST_TX: begin
            last_rx_reg <= 1'b0;
            if (tx_moved)
                burst_reg <= burst_reg + 1'b1;
            if (!tx_pend_next || (rx_want && (ft_txe_n || burst_reg >= TX_BURST[10:0]))) begin
                wr_n_reg <= 1'b1;
                d_oe_reg <= 1'b0;
                state_reg <= ST_IDLE;
            end else begin
                wr_n_reg <= 1'b0;
            end
        end
        default: state_reg <= ST_IDLE;
    endcase

    if (rst) begin
        state_reg <= ST_IDLE;
        oe_n_reg <= 1'b1;
        rd_n_reg <= 1'b1;
        wr_n_reg <= 1'b1;
        d_oe_reg <= 1'b0;
        siwu_n_reg <= 1'b1;
        tx_pend_reg <= 1'b0;
        spare_valid_reg <= 1'b0;
        tx_ready_reg <= 1'b1;
        rx_valid_reg <= 1'b0;
        rx_overflow_reg <= 1'b0;
        burst_reg <= 11'd0;
        last_rx_reg <= 1'b0;
        idle_reg <= 8'd0;
        sent_reg <= 1'b0;
    end
end

endmodule

`resetall
