// tw_rgmii_mac: one 1 Gb/s Ethernet port between RGMII (behind the board's DDR I/O wrapper tw_rgmii_ddr, which
// gives each byte as two nibbles and RX_CTL/TX_CTL as their two half-clock values) and the core's 64-bit
// AXI-Stream, in three clock domains:
//   rx_clk (from the PHY):  tw_gmii_rx (preamble/SFD, FCS check + strip) -> tw_mac_widen (8 -> 64) -> rx FIFO
//   clk (core):             rx FIFO -> m_axis (tuser = bad frame on the last beat); s_axis -> tx FIFO
//   tx_clk (local 125 MHz): tx FIFO -> tw_mac_narrow (64 -> 8) -> tw_gmii_tx (preamble, FCS regenerated, IFG)
// The rx FIFO drops whole frames when the core side is not taking them (the receive side cannot wait); the tx FIFO
// back-pressures s_axis and stores each frame whole before sending it. Frames are forwarded bit-exact: the FCS is
// stripped on receive and regenerated on transmit (complemented for a frame marked bad, so it stays bad).
// 1 Gb/s only (no 10/100 clock-enable mode). rst is the core-domain reset; the rx and tx domains get their own
// synchronised copies. stat_inc: per core clock, the increment (0..15) of each statistic, 4 bits each, in the
// order of contracts/counters.def's CNT_MAC_* indices.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_rgmii_mac #(
    parameter RX_FIFO_AW = 11,          // rx FIFO depth in 64-bit beats (2048 = 16 KiB; a frame must fit whole)
    parameter TX_FIFO_AW = 11,          // tx FIFO depth (2048 = 16 KiB: a 9600-byte jumbo frame fits)
    parameter TX_ENABLE = 1             // 0: receive only (monitor port); no tx FIFO, TX_CTL stays low
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        rx_clk,
    input  wire        tx_clk,

    // from/to the DDR I/O wrapper: byte = {falling-edge nibble, rising-edge nibble}, ctl = {falling, rising}
    input  wire [7:0]  rgmii_rx_d,
    input  wire [1:0]  rgmii_rx_ctl,
    output wire [7:0]  rgmii_tx_d,
    output wire [1:0]  rgmii_tx_ctl,

    // received frames (core clock)
    output wire [63:0] m_axis_tdata,
    output wire [7:0]  m_axis_tkeep,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire        m_axis_tuser,

    // frames to send (core clock)
    input  wire [63:0] s_axis_tdata,
    input  wire [7:0]  s_axis_tkeep,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    input  wire        s_axis_tuser,

    output wire [`TW_CNT_MAC_PER_PORT*4-1:0] stat_inc
);

wire rx_rst, tx_rst;
tw_mac_reset_sync rx_rst_sync (.clk(rx_clk), .rst_in(rst), .rst_out(rx_rst));
tw_mac_reset_sync tx_rst_sync (.clk(tx_clk), .rst_in(rst), .rst_out(tx_rst));

// ---------------------------------------------------------------- receive (rx_clk)
// RGMII: RX_CTL is RX_DV on the rising edge and RX_DV xor RX_ER on the falling edge
wire       gmii_rx_dv = rgmii_rx_ctl[0];
wire       gmii_rx_er = rgmii_rx_ctl[0] ^ rgmii_rx_ctl[1];
wire [7:0] rx8_tdata;
wire       rx8_tvalid, rx8_tlast, rx8_tuser;
wire       ev_rx_frame, ev_rx_fcs, ev_rx_err;

tw_gmii_rx gmii_rx (
    .clk(rx_clk), .rst(rx_rst),
    .gmii_rxd(rgmii_rx_d), .gmii_rx_dv(gmii_rx_dv), .gmii_rx_er(gmii_rx_er),
    .m_axis_tdata(rx8_tdata), .m_axis_tvalid(rx8_tvalid), .m_axis_tlast(rx8_tlast), .m_axis_tuser(rx8_tuser),
    .ev_frame(ev_rx_frame), .ev_fcs_bad(ev_rx_fcs), .ev_err(ev_rx_err)
);

wire [63:0] rx64_tdata;
wire [7:0]  rx64_tkeep;
wire        rx64_tvalid, rx64_tlast, rx64_tuser;

tw_mac_widen widen (
    .clk(rx_clk), .rst(rx_rst),
    .s_axis_tdata(rx8_tdata), .s_axis_tvalid(rx8_tvalid), .s_axis_tlast(rx8_tlast), .s_axis_tuser(rx8_tuser),
    .m_axis_tdata(rx64_tdata), .m_axis_tkeep(rx64_tkeep), .m_axis_tvalid(rx64_tvalid), .m_axis_tlast(rx64_tlast),
    .m_axis_tuser(rx64_tuser)
);

wire ev_rx_drop;
wire rx_fifo_ready_unused, ev_rx_commit_unused;

tw_mac_fifo #(.DATA_W(64), .ADDR_W(RX_FIFO_AW), .DROP_FULL(1)) rx_fifo (
    .wr_clk(rx_clk), .wr_rst(rx_rst),
    .s_axis_tdata(rx64_tdata), .s_axis_tkeep(rx64_tkeep), .s_axis_tvalid(rx64_tvalid),
    .s_axis_tready(rx_fifo_ready_unused), .s_axis_tlast(rx64_tlast), .s_axis_tuser(rx64_tuser),
    .ev_commit(ev_rx_commit_unused), .ev_drop(ev_rx_drop),
    .rd_clk(clk), .rd_rst(rst),
    .m_axis_tdata(m_axis_tdata), .m_axis_tkeep(m_axis_tkeep), .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast), .m_axis_tuser(m_axis_tuser)
);

// ---------------------------------------------------------------- transmit (clk -> tx_clk)
wire ev_tx_frame, ev_tx_under, ev_tx_drop;

generate if (TX_ENABLE != 0) begin : g_tx
    wire [63:0] tx64_tdata;
    wire [7:0]  tx64_tkeep;
    wire        tx64_tvalid, tx64_tready, tx64_tlast, tx64_tuser;
    wire        ev_tx_commit_unused;

    tw_mac_fifo #(.DATA_W(64), .ADDR_W(TX_FIFO_AW), .DROP_FULL(0)) tx_fifo (
        .wr_clk(clk), .wr_rst(rst),
        .s_axis_tdata(s_axis_tdata), .s_axis_tkeep(s_axis_tkeep), .s_axis_tvalid(s_axis_tvalid),
        .s_axis_tready(s_axis_tready), .s_axis_tlast(s_axis_tlast), .s_axis_tuser(s_axis_tuser),
        .ev_commit(ev_tx_commit_unused), .ev_drop(ev_tx_drop),
        .rd_clk(tx_clk), .rd_rst(tx_rst),
        .m_axis_tdata(tx64_tdata), .m_axis_tkeep(tx64_tkeep), .m_axis_tvalid(tx64_tvalid),
        .m_axis_tready(tx64_tready), .m_axis_tlast(tx64_tlast), .m_axis_tuser(tx64_tuser)
    );

    wire [7:0] tx8_tdata;
    wire       tx8_tvalid, tx8_tready, tx8_tlast, tx8_tuser;

    tw_mac_narrow narrow (
        .clk(tx_clk), .rst(tx_rst),
        .s_axis_tdata(tx64_tdata), .s_axis_tkeep(tx64_tkeep), .s_axis_tvalid(tx64_tvalid),
        .s_axis_tready(tx64_tready), .s_axis_tlast(tx64_tlast), .s_axis_tuser(tx64_tuser),
        .m_axis_tdata(tx8_tdata), .m_axis_tvalid(tx8_tvalid), .m_axis_tready(tx8_tready),
        .m_axis_tlast(tx8_tlast), .m_axis_tuser(tx8_tuser)
    );

    wire [7:0] gmii_txd;
    wire       gmii_tx_en, gmii_tx_er;

    tw_gmii_tx gmii_tx (
        .clk(tx_clk), .rst(tx_rst),
        .s_axis_tdata(tx8_tdata), .s_axis_tvalid(tx8_tvalid), .s_axis_tready(tx8_tready),
        .s_axis_tlast(tx8_tlast), .s_axis_tuser(tx8_tuser),
        .gmii_txd(gmii_txd), .gmii_tx_en(gmii_tx_en), .gmii_tx_er(gmii_tx_er),
        .ev_frame(ev_tx_frame), .ev_underflow(ev_tx_under)
    );

    // RGMII: TX_CTL is TX_EN on the rising edge and TX_EN xor TX_ER on the falling edge
    assign rgmii_tx_d = gmii_txd;
    assign rgmii_tx_ctl = {gmii_tx_en ^ gmii_tx_er, gmii_tx_en};
end else begin : g_no_tx
    assign s_axis_tready = 1'b1;        // a receive-only port swallows anything sent to it
    assign rgmii_tx_d = 8'd0;
    assign rgmii_tx_ctl = 2'b00;
    assign ev_tx_frame = 1'b0;
    assign ev_tx_under = 1'b0;
    assign ev_tx_drop = 1'b0;
    wire unused_tx = &{1'b0, tx_clk, tx_rst, s_axis_tdata, s_axis_tkeep, s_axis_tvalid, s_axis_tlast, s_axis_tuser};
end endgenerate

// ---------------------------------------------------------------- statistics into the core clock
wire [3*4-1:0] rx_inc;
wire [2*4-1:0] tx_inc;
wire [4-1:0]   rxd_inc;

tw_mac_evsync #(.N(3)) rx_ev (
    .src_clk(rx_clk), .src_rst(rx_rst), .src_ev({ev_rx_err, ev_rx_fcs, ev_rx_frame}),
    .dst_clk(clk), .dst_rst(rst), .dst_inc(rx_inc)
);
tw_mac_evsync #(.N(1)) rxd_ev (
    .src_clk(rx_clk), .src_rst(rx_rst), .src_ev(ev_rx_drop),
    .dst_clk(clk), .dst_rst(rst), .dst_inc(rxd_inc)
);
tw_mac_evsync #(.N(2)) tx_ev (
    .src_clk(tx_clk), .src_rst(tx_rst), .src_ev({ev_tx_under, ev_tx_frame}),
    .dst_clk(clk), .dst_rst(rst), .dst_inc(tx_inc)
);

// tx FIFO drops happen in the core clock already
reg [3:0] tx_drop_inc_reg = 4'd0;
always @(posedge clk) begin
    tx_drop_inc_reg <= {3'd0, ev_tx_drop};
    if (rst)
        tx_drop_inc_reg <= 4'd0;
end

reg [`TW_CNT_MAC_PER_PORT*4-1:0] stat;
always @* begin
    stat = {(`TW_CNT_MAC_PER_PORT*4){1'b0}};
    stat[`TW_CNT_MAC_RX_FRAMES*4 +: 4] = rx_inc[0 +: 4];
    stat[`TW_CNT_MAC_RX_FCS_BAD*4 +: 4] = rx_inc[4 +: 4];
    stat[`TW_CNT_MAC_RX_ERR*4 +: 4] = rx_inc[8 +: 4];
    stat[`TW_CNT_MAC_RX_DROP*4 +: 4] = rxd_inc;
    stat[`TW_CNT_MAC_TX_FRAMES*4 +: 4] = tx_inc[0 +: 4];
    stat[`TW_CNT_MAC_TX_UNDERFLOW*4 +: 4] = tx_inc[4 +: 4];
    stat[`TW_CNT_MAC_TX_DROP*4 +: 4] = tx_drop_inc_reg;
end
assign stat_inc = stat;

endmodule

`resetall
