// tw_colorlight_i5: board top for the Colorlight i5 (Lattice ECP5 LFE5U-25F-6BG381C, two B50612D RGMII PHYs):
// an inline two-port tap (port A = ETH1/PHY0, port B = ETH2/PHY1; A in -> B out, B in -> A out, bit-exact) with
// the host link on an FT232H breakout in 245 synchronous FIFO mode on the extension header (constraints/README.md).
// Clocking: 25 MHz oscillator -> EHXPLLL: 125 MHz transmit, 125 MHz core (CORE_DIV), each PHY's RXC for its
// receive side, the FT232H's 60 MHz CLKOUT for the link. Size: the LFE5U-25F (24k LUT4) holds the header parser
// but not the detection (DETECT = 1 is a simulation model). The default build (PARSER = 1, since session 22: 59 %
// of the LUTs, every clock met at the default seed and at three of four, docs/boards.md) is the taps, the header
// parser with its per-port counters of malformed headers, MAC statistics and the host link; PARSER = 0 leaves the
// parser out.
// Vendor primitives live in tw_ecp5_pll and tw_rgmii_ddr (rtl/boards/ecp5; simulation models in rtl/boards/sim).
// LED (active low): blinks with the heartbeat, stays lit while a port receives or the host writes.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_colorlight_i5 #(
    parameter DETECT = 0,               // 1: the whole device (tw_top, simulation only: it does not fit the 25F)
    parameter PARSER = 1,               // the header parser (the tap's parse counters); 0: taps and counters only
    parameter HDR_BYTES = 64,
    // DETECT = 1: the small-device configuration (docs/architecture.md "A small-FPGA configuration"): every
    // small-FPGA option of tw_top and the smallest tables (the reference values are tw_top's); the parser
    // options (TZSP_PER_STEP .. SHARE_PARSER) also apply to PARSER = 1. tests/boards/test_board.c is
    // told the tables' geometry by boards.mk (BOARD_GEOM_colorlight_i5_detect) and checks it against the
    // device's (REG_CAP_FLOW_GEOM .. REG_CAP_HDR_BYTES).
    parameter FLOW_BUCKETS = 512,       // 512 x 1 flows (the 791-bit entry makes 22 EBR at 256 or 512)
    parameter FLOW_WAYS = 1,
    parameter DIGEST_SETS = 512,        // 512 x 2 digests
    parameter DIGEST_WAYS = 2,
    parameter DIGEST_HASH_STEP = 32,    // the digest hashed 32 bits a clock
    parameter FLOW_HOLD = 2,            // flow records held for their frame's verdict
    parameter ALERT_BUCKETS = 512,      // 512 x 1 alert-state keys (9 EBR; 256 x 2 is 17: the entry's width)
    parameter ALERT_WAYS = 1,
    parameter EV_SLOT_W = 2,            // 4 evidence frames per port
    parameter REC_FIFO_W = 4,           // 16 records in each of the detection front's FIFOs (one 16-deep LUT RAM)
    parameter MERGE_FIFO_W = 4,         // 16 records in the parsers' FIFO
    parameter REC_CLOCKS = 32,          // a record every 32 clocks at most (two 1 Gb/s ports: one every 42)
    parameter NEVAL = 8,                // 8 rule evaluators x 32 phases
    parameter PFX_UNITS = 0,            // prefixes: an interval table searched in block RAM (PFX_SEARCH);
    parameter PRT_UNITS = 8,            // port ranges scanned, 8 a clock
    parameter PFX_SEARCH = 1,
    parameter TZSP_PER_STEP = 1,        // parser: one TZSP field a clock, the window loaded 8 bytes a clock,
    parameter WIN_FETCH = 1,            // the head slots in block RAM
    parameter SLOT_RAM = 2,             // with the RAM's output registered (timing: its clock-to-output)
    parameter SHARE_PARSER = 1,         // one parse engine for both ports (tw_parser_pair)
    parameter CNT_RAM = DETECT,         // the statistics counters in distributed RAM (tw_cnt_ram) with detection;
                                        // the tap-only build keeps registers (timing margin, room to spare)
    // core clock = 625 MHz / CORE_DIV. 5: 125 MHz (docs/boards.md: measured timing of this build).
    parameter CORE_DIV = 5,
    parameter CLK_MHZ = 125,            // must match CORE_DIV (register CAP_CLK_MHZ)
    parameter CLK_PERIOD_PS = 8000,     // must match CORE_DIV (the time counter)
    parameter ERR_GAP = 65536,
    parameter RX_TIMEOUT = 131072
) (
    input  wire       clk25,
    output wire       led_n,

    output wire       eth_rst_n,        // both PHYs
    output wire       eth_mdc,
    inout  wire       eth_mdio,

    input  wire       eth0_rxc,
    input  wire [3:0] eth0_rxd,
    input  wire       eth0_rx_ctl,
    output wire       eth0_txc,
    output wire [3:0] eth0_txd,
    output wire       eth0_tx_ctl,
    input  wire       eth1_rxc,
    input  wire [3:0] eth1_rxd,
    input  wire       eth1_rx_ctl,
    output wire       eth1_txc,
    output wire [3:0] eth1_txd,
    output wire       eth1_tx_ctl,

    input  wire       ft_clk,
    inout  wire [7:0] ft_d,
    input  wire       ft_rxf_n,
    input  wire       ft_txe_n,
    output wire       ft_rd_n,
    output wire       ft_wr_n,
    output wire       ft_oe_n,
    output wire       ft_siwu_n
);

// ---------------------------------------------------------------- clocks and resets
wire clk_tx, clk_tx90, clk, locked;
tw_ecp5_pll #(.CORE_DIV(CORE_DIV)) pll (
    .clk_in(clk25), .clk_tx(clk_tx), .clk_tx90(clk_tx90), .clk_core(clk), .locked(locked)
);
wire clk_tx90_unused = clk_tx90;    // the B50612D adds its own TX clock delay (as configured by its straps)

wire rst, ft_rst;
tw_mac_reset_sync #(.STAGES(8)) core_rst_sync (.clk(clk), .rst_in(!locked), .rst_out(rst));
tw_mac_reset_sync #(.STAGES(8)) ft_rst_sync (.clk(ft_clk), .rst_in(!locked), .rst_out(ft_rst));

// PHY reset: held for 2^20 core clocks (8 ms) after the PLL locks
reg [20:0] phy_rst_reg = 21'd0;
always @(posedge clk) begin
    if (!phy_rst_reg[20])
        phy_rst_reg <= phy_rst_reg + 1'b1;
    if (rst)
        phy_rst_reg <= 21'd0;
end
assign eth_rst_n = phy_rst_reg[20];
assign eth_mdc = 1'b0;              // MDIO unused: the PHYs come up from their straps (auto-negotiation)
assign eth_mdio = 1'bz;

// ---------------------------------------------------------------- two RGMII MACs
wire [63:0] rx_a_tdata, rx_b_tdata, tx_a_tdata, tx_b_tdata;
wire [7:0]  rx_a_tkeep, rx_b_tkeep, tx_a_tkeep, tx_b_tkeep;
wire        rx_a_tvalid, rx_a_tready, rx_a_tlast, rx_a_tuser, rx_b_tvalid, rx_b_tready, rx_b_tlast, rx_b_tuser;
wire        tx_a_tvalid, tx_a_tready, tx_a_tlast, tx_a_tuser, tx_b_tvalid, tx_b_tready, tx_b_tlast, tx_b_tuser;
wire [`TW_CNT_MAC_PER_PORT*4-1:0] inc_a, inc_b;

wire       rx_clk_a, rx_clk_b;
wire [7:0] rx_d_a, rx_d_b, tx_d_a, tx_d_b;
wire [1:0] rx_ctl_a, rx_ctl_b, tx_ctl_a, tx_ctl_b;

tw_rgmii_ddr ddr_a (
    .rgmii_rxc(eth0_rxc), .rgmii_rxd(eth0_rxd), .rgmii_rx_ctl(eth0_rx_ctl),
    .rx_clk(rx_clk_a), .rx_d(rx_d_a), .rx_ctl(rx_ctl_a),
    .tx_clk(clk_tx), .tx_clk_txc(clk_tx), .tx_d(tx_d_a), .tx_ctl(tx_ctl_a),
    .rgmii_txc(eth0_txc), .rgmii_txd(eth0_txd), .rgmii_tx_ctl(eth0_tx_ctl)
);
tw_rgmii_ddr ddr_b (
    .rgmii_rxc(eth1_rxc), .rgmii_rxd(eth1_rxd), .rgmii_rx_ctl(eth1_rx_ctl),
    .rx_clk(rx_clk_b), .rx_d(rx_d_b), .rx_ctl(rx_ctl_b),
    .tx_clk(clk_tx), .tx_clk_txc(clk_tx), .tx_d(tx_d_b), .tx_ctl(tx_ctl_b),
    .rgmii_txc(eth1_txc), .rgmii_txd(eth1_txd), .rgmii_tx_ctl(eth1_tx_ctl)
);

tw_rgmii_mac #(.RX_FIFO_AW(11), .TX_FIFO_AW(11)) mac_a (
    .clk(clk), .rst(rst), .rx_clk(rx_clk_a), .tx_clk(clk_tx),
    .rgmii_rx_d(rx_d_a), .rgmii_rx_ctl(rx_ctl_a), .rgmii_tx_d(tx_d_a), .rgmii_tx_ctl(tx_ctl_a),
    .m_axis_tdata(rx_a_tdata), .m_axis_tkeep(rx_a_tkeep), .m_axis_tvalid(rx_a_tvalid), .m_axis_tready(rx_a_tready),
    .m_axis_tlast(rx_a_tlast), .m_axis_tuser(rx_a_tuser),
    .s_axis_tdata(tx_a_tdata), .s_axis_tkeep(tx_a_tkeep), .s_axis_tvalid(tx_a_tvalid), .s_axis_tready(tx_a_tready),
    .s_axis_tlast(tx_a_tlast), .s_axis_tuser(tx_a_tuser),
    .stat_inc(inc_a)
);
tw_rgmii_mac #(.RX_FIFO_AW(11), .TX_FIFO_AW(11)) mac_b (
    .clk(clk), .rst(rst), .rx_clk(rx_clk_b), .tx_clk(clk_tx),
    .rgmii_rx_d(rx_d_b), .rgmii_rx_ctl(rx_ctl_b), .rgmii_tx_d(tx_d_b), .rgmii_tx_ctl(tx_ctl_b),
    .m_axis_tdata(rx_b_tdata), .m_axis_tkeep(rx_b_tkeep), .m_axis_tvalid(rx_b_tvalid), .m_axis_tready(rx_b_tready),
    .m_axis_tlast(rx_b_tlast), .m_axis_tuser(rx_b_tuser),
    .s_axis_tdata(tx_b_tdata), .s_axis_tkeep(tx_b_tkeep), .s_axis_tvalid(tx_b_tvalid), .s_axis_tready(tx_b_tready),
    .s_axis_tlast(tx_b_tlast), .s_axis_tuser(tx_b_tuser),
    .stat_inc(inc_b)
);

// ---------------------------------------------------------------- core and host link
wire [7:0] ft_d_out;
wire       ft_d_oe;
wire [3:0] act;
assign ft_d = ft_d_oe ? ft_d_out : 8'bzzzzzzzz;

tw_board_core #(.PARSER(PARSER), .HDR_BYTES(HDR_BYTES), .MONITOR(0), .CLK_MHZ(CLK_MHZ),
                .CLK_PERIOD_PS(CLK_PERIOD_PS), .ERR_GAP(ERR_GAP), .RX_TIMEOUT(RX_TIMEOUT), .DETECT(DETECT),
                .FLOW_BUCKETS(FLOW_BUCKETS), .FLOW_WAYS(FLOW_WAYS), .DIGEST_SETS(DIGEST_SETS),
                .DIGEST_WAYS(DIGEST_WAYS), .DIGEST_HASH_STEP(DIGEST_HASH_STEP), .FLOW_HOLD(FLOW_HOLD),
                .ALERT_BUCKETS(ALERT_BUCKETS), .ALERT_WAYS(ALERT_WAYS), .EV_SLOT_W(EV_SLOT_W),
                .REC_FIFO_W(REC_FIFO_W), .MERGE_FIFO_W(MERGE_FIFO_W), .REC_CLOCKS(REC_CLOCKS), .NEVAL(NEVAL),
                .PFX_UNITS(PFX_UNITS), .PRT_UNITS(PRT_UNITS), .PFX_SEARCH(PFX_SEARCH), .TZSP_PER_STEP(TZSP_PER_STEP),
                .WIN_FETCH(WIN_FETCH), .SLOT_RAM(SLOT_RAM), .SHARE_PARSER(SHARE_PARSER), .CNT_RAM(CNT_RAM)) core (
    .clk(clk), .rst(rst), .ft_clk(ft_clk), .ft_rst(ft_rst),
    .s_axis_a_tdata(rx_a_tdata), .s_axis_a_tkeep(rx_a_tkeep), .s_axis_a_tvalid(rx_a_tvalid),
    .s_axis_a_tready(rx_a_tready), .s_axis_a_tlast(rx_a_tlast), .s_axis_a_tuser(rx_a_tuser),
    .s_axis_b_tdata(rx_b_tdata), .s_axis_b_tkeep(rx_b_tkeep), .s_axis_b_tvalid(rx_b_tvalid),
    .s_axis_b_tready(rx_b_tready), .s_axis_b_tlast(rx_b_tlast), .s_axis_b_tuser(rx_b_tuser),
    .m_axis_a_tdata(tx_a_tdata), .m_axis_a_tkeep(tx_a_tkeep), .m_axis_a_tvalid(tx_a_tvalid),
    .m_axis_a_tready(tx_a_tready), .m_axis_a_tlast(tx_a_tlast), .m_axis_a_tuser(tx_a_tuser),
    .m_axis_b_tdata(tx_b_tdata), .m_axis_b_tkeep(tx_b_tkeep), .m_axis_b_tvalid(tx_b_tvalid),
    .m_axis_b_tready(tx_b_tready), .m_axis_b_tlast(tx_b_tlast), .m_axis_b_tuser(tx_b_tuser),
    .mac_inc({inc_b, inc_a}),
    .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_d_in(ft_d), .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe),
    .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n), .ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
    .led_activity(act)
);

assign led_n = !(act[3] || act[0] || act[1] || act[2]);

endmodule

`resetall
