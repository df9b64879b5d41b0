// tw_nexys_video: board top for the Digilent Nexys Video (Xilinx Artix-7 XC7A200T-1SBG484C, one RTL8211E RGMII
// PHY): a monitor-only tap on its one port (connect it to a SPAN/mirror port or a passive tap; nothing is
// transmitted) and the whole device behind it (DETECT = 1: rtl/tw_top.v with the parser at HDR_BYTES = 128 and the
// table geometry below: detection, evidence, alert and flow records) with the host link on the on-board FT2232H
// channel A (DPTI, prog_* pins) in 245 synchronous FIFO mode. DETECT = 0 builds the tap + parser + link only. Clocking: 100 MHz oscillator -> MMCME2_BASE: 125 MHz core and
// transmit, 200 MHz IDELAYCTRL reference; the PHY's RXC for the receive side; prog_clko (60 MHz) for the link.
// Vendor primitives live in tw_xc7_clocks and tw_rgmii_ddr (rtl/boards/xilinx; simulation models in rtl/boards/sim).
// LEDs: 0 port receives, 1 host link, 2 PLL locked, 3 heartbeat, 7:4 off.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_nexys_video #(
    parameter DETECT = 1,               // the whole device (tw_top); 0: tap + parser + link only (PARSER)
    parameter PARSER = 1,
    parameter HDR_BYTES = 128,          // head bytes the parser sees: a VXLAN / ERSPAN copy's inner headers fit
    // table geometry sized to the XC7A200T's 365 RAMB36 (docs/boards.md: about 211 of them with the MAC FIFO)
    parameter FLOW_BUCKETS = 1024,      // 1,024 x 4 = 4,096 flows: 88 RAMB36
    parameter FLOW_WAYS = 4,
    parameter DIGEST_SETS = 8192,       // 8,192 x 2 = 16,384 digests: 58 RAMB36
    parameter DIGEST_WAYS = 2,
    parameter ALERT_BUCKETS = 1024,     // 1,024 x 4 alert-state keys: 34 RAMB36
    parameter ALERT_WAYS = 4,
    parameter EV_SLOT_W = 4,            // 16 evidence frames per port
    parameter REC_FIFO_W = 5,
    // logic sized to the XC7A200T's 134,600 LUTs (docs/boards.md "Nexys Video estimate"): one monitored 1 Gb/s port
    // gives the detection a frame every 84 clocks at most, so the small-FPGA options of the engine (docs/engine.md
    // "Small configuration"), the parser (docs/parser.md) and the digest hashing trade that time for area
    parameter REC_CLOCKS = 32,          // a record every 32 clocks at most
    parameter NEVAL = 8,                // 8 rule evaluators x 32 phases (reference: 64 x 4)
    parameter PFX_UNITS = 16,           // the 128 prefixes scanned from RAM, 16 a clock
    parameter PRT_UNITS = 8,            // the 64 port ranges likewise, 8 a clock
    parameter TZSP_PER_STEP = 1,        // one TZSP tagged field per parse clock
    parameter WIN_FETCH = 1,            // the parse window loaded 8 bytes a clock
    parameter SLOT_RAM = 1,             // the parser's head slots in block RAM (2 RAMB36 per port)
    parameter DIGEST_HASH_STEP = 32,    // the mirror-copy digest hashed 32 bits a clock
    parameter FLOW_HOLD = 8,            // flow records held for their frame's verdict (reference 32: 2 clocks a frame)
    parameter CORE_DIV = 8,             // core clock = 1000 MHz / CORE_DIV
    parameter CLK_MHZ = 125,
    parameter CLK_PERIOD_PS = 8000,
    parameter ERR_GAP = 65536,
    parameter RX_TIMEOUT = 131072
) (
    input  wire       sysclk,
    input  wire       cpu_resetn,
    output wire [7:0] led,

    output wire       eth_rst_b,
    output wire       eth_mdc,
    inout  wire       eth_mdio,
    input  wire       eth_rxck,
    input  wire [3:0] eth_rxd,
    input  wire       eth_rxctl,
    output wire       eth_txck,
    output wire [3:0] eth_txd,
    output wire       eth_txctl,

    input  wire       prog_clko,
    inout  wire [7:0] prog_d,
    input  wire       prog_rxen,
    input  wire       prog_txen,
    output wire       prog_rdn,
    output wire       prog_wrn,
    output wire       prog_oen,
    output wire       prog_siwun
);

wire clk_tx, clk_tx90, clk, locked;
tw_xc7_clocks #(.CORE_DIV(CORE_DIV)) clocks (
    .clk_in(sysclk), .rst(!cpu_resetn), .clk_tx(clk_tx), .clk_tx90(clk_tx90), .clk_core(clk), .locked(locked)
);

wire rst, ft_rst;
tw_mac_reset_sync #(.STAGES(8)) core_rst_sync (.clk(clk), .rst_in(!locked), .rst_out(rst));
tw_mac_reset_sync #(.STAGES(8)) ft_rst_sync (.clk(prog_clko), .rst_in(!locked), .rst_out(ft_rst));

reg [20:0] phy_rst_reg = 21'd0;
always @(posedge clk) begin
    if (!phy_rst_reg[20])
        phy_rst_reg <= phy_rst_reg + 1'b1;
    if (rst)
        phy_rst_reg <= 21'd0;
end
assign eth_rst_b = phy_rst_reg[20];
assign eth_mdc = 1'b0;
assign eth_mdio = 1'bz;

// ---------------------------------------------------------------- the one RGMII port, receive only
wire       rx_clk;
wire [7:0] rx_d, tx_d;
wire [1:0] rx_ctl, tx_ctl;
tw_rgmii_ddr ddr (
    .rgmii_rxc(eth_rxck), .rgmii_rxd(eth_rxd), .rgmii_rx_ctl(eth_rxctl),
    .rx_clk(rx_clk), .rx_d(rx_d), .rx_ctl(rx_ctl),
    .tx_clk(clk_tx), .tx_clk_txc(clk_tx90), .tx_d(tx_d), .tx_ctl(tx_ctl),
    .rgmii_txc(eth_txck), .rgmii_txd(eth_txd), .rgmii_tx_ctl(eth_txctl)
);

wire [63:0] rx_tdata, tx_a_tdata, tx_b_tdata;
wire [7:0]  rx_tkeep, tx_a_tkeep, tx_b_tkeep;
wire        rx_tvalid, rx_tready, rx_tlast, rx_tuser;
wire        tx_a_tvalid, tx_a_tlast, tx_a_tuser, tx_b_tvalid, tx_b_tlast, tx_b_tuser, tx_tready_unused;
wire        b_tready_unused;
wire [`TW_CNT_MAC_PER_PORT*4-1:0] inc_a;

tw_rgmii_mac #(.RX_FIFO_AW(11), .TX_ENABLE(0)) mac (
    .clk(clk), .rst(rst), .rx_clk(rx_clk), .tx_clk(clk_tx),
    .rgmii_rx_d(rx_d), .rgmii_rx_ctl(rx_ctl), .rgmii_tx_d(tx_d), .rgmii_tx_ctl(tx_ctl),
    .m_axis_tdata(rx_tdata), .m_axis_tkeep(rx_tkeep), .m_axis_tvalid(rx_tvalid), .m_axis_tready(rx_tready),
    .m_axis_tlast(rx_tlast), .m_axis_tuser(rx_tuser),
    .s_axis_tdata(64'd0), .s_axis_tkeep(8'd0), .s_axis_tvalid(1'b0), .s_axis_tready(tx_tready_unused),
    .s_axis_tlast(1'b0), .s_axis_tuser(1'b0),
    .stat_inc(inc_a)
);

// ---------------------------------------------------------------- core (port A = the monitored port) and host link
wire [7:0] ft_d_out;
wire       ft_d_oe;
wire [3:0] act;
assign prog_d = ft_d_oe ? ft_d_out : 8'bzzzzzzzz;

tw_board_core #(.PARSER(PARSER), .HDR_BYTES(HDR_BYTES), .MONITOR(1), .CLK_MHZ(CLK_MHZ),
                .CLK_PERIOD_PS(CLK_PERIOD_PS), .ERR_GAP(ERR_GAP), .RX_TIMEOUT(RX_TIMEOUT), .DETECT(DETECT),
                .FLOW_BUCKETS(FLOW_BUCKETS), .FLOW_WAYS(FLOW_WAYS), .DIGEST_SETS(DIGEST_SETS),
                .DIGEST_WAYS(DIGEST_WAYS), .ALERT_BUCKETS(ALERT_BUCKETS), .ALERT_WAYS(ALERT_WAYS),
                .EV_SLOT_W(EV_SLOT_W), .REC_FIFO_W(REC_FIFO_W), .REC_CLOCKS(REC_CLOCKS), .NEVAL(NEVAL),
                .PFX_UNITS(PFX_UNITS), .PRT_UNITS(PRT_UNITS), .TZSP_PER_STEP(TZSP_PER_STEP), .WIN_FETCH(WIN_FETCH),
                .SLOT_RAM(SLOT_RAM), .DIGEST_HASH_STEP(DIGEST_HASH_STEP), .FLOW_HOLD(FLOW_HOLD)) core (
    .clk(clk), .rst(rst), .ft_clk(prog_clko), .ft_rst(ft_rst),
    .s_axis_a_tdata(rx_tdata), .s_axis_a_tkeep(rx_tkeep), .s_axis_a_tvalid(rx_tvalid),
    .s_axis_a_tready(rx_tready), .s_axis_a_tlast(rx_tlast), .s_axis_a_tuser(rx_tuser),
    .s_axis_b_tdata(64'd0), .s_axis_b_tkeep(8'd0), .s_axis_b_tvalid(1'b0),
    .s_axis_b_tready(b_tready_unused), .s_axis_b_tlast(1'b0), .s_axis_b_tuser(1'b0),
    .m_axis_a_tdata(tx_a_tdata), .m_axis_a_tkeep(tx_a_tkeep), .m_axis_a_tvalid(tx_a_tvalid),
    .m_axis_a_tready(1'b1), .m_axis_a_tlast(tx_a_tlast), .m_axis_a_tuser(tx_a_tuser),
    .m_axis_b_tdata(tx_b_tdata), .m_axis_b_tkeep(tx_b_tkeep), .m_axis_b_tvalid(tx_b_tvalid),
    .m_axis_b_tready(1'b1), .m_axis_b_tlast(tx_b_tlast), .m_axis_b_tuser(tx_b_tuser),
    .mac_inc({{(`TW_CNT_MAC_PER_PORT*4){1'b0}}, inc_a}),
    .ft_rxf_n(prog_rxen), .ft_txe_n(prog_txen), .ft_d_in(prog_d), .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe),
    .ft_rd_n(prog_rdn), .ft_wr_n(prog_wrn), .ft_oe_n(prog_oen), .ft_siwu_n(prog_siwun),
    .led_activity(act)
);

assign led = {4'b0000, act[3], locked, act[2], act[0]};

wire unused = &{1'b0, tx_a_tdata, tx_a_tkeep, tx_a_tvalid, tx_a_tlast, tx_a_tuser, tx_b_tdata, tx_b_tkeep,
                tx_b_tvalid, tx_b_tlast, tx_b_tuser, tx_tready_unused, b_tready_unused, act[1]};

endmodule

`resetall
