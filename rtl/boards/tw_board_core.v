// tw_board_core: what a board top puts behind its MACs, with no vendor primitive. Two builds (parameter DETECT):
//   DETECT = 1: the whole device, rtl/tw_top.v (taps, parsers, detection, evidence, table loading, host link), with
//     the board's table geometry (FLOW_*, DIGEST_*, ALERT_*, EV_SLOT_W, REC_FIFO_W, HDR_BYTES). Alerts and flow
//     records go out on the FT245 pins. Time: tw_top's tap stamps frames with REG_TIME, the register file's
//     nanosecond counter (advanced by CLK_PERIOD_PS every core clock from reset, set by CMD_TIME_SET); tw_top's
//     simulation time input (sim_ts_valid) is tied to 0. tw_top's end-of-input flush (flush_req) is tied to 0: on a
//     board flows leave by idle/hard timeout and eviction (docs/boards.md). MONITOR = 1 forces tw_top's monitor
//     mode (REG_CONTROL bit 0 no longer matters). REG_STATUS is tw_top's (bit 0 init done, 1 rule bank, 2 flush).
//   DETECT = 0: the two-port tap (inline, or monitor-only), optionally the header parsers (PARSER = 1:
//     rtl/tw_tap_parse_top.v; PARSER = 0: the taps and the per-port frame counters only, for a device too small for
//     the parser) and the host link (rtl/tw_link_top.v); metadata records are consumed and counted (CNT_RECORDS),
//     no alert record is sent. REG_STATUS: bit 0 parser present, bit 1 monitor mode, bits 3:2 rx activity A/B.
// Both: the MAC statistics counters, read through the counter window:
//   counter address < CNT_MAC_BASE: the core's counters (contracts/counters.def)
//   CNT_MAC_BASE + port * CNT_MAC_PER_PORT + index: the MAC statistics (CNT_MAC_*)
//   (DETECT = 1: tw_top's window, 2048 counters, with these 16 at CNT_MAC_BASE through its ext_cnt_* port)
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_board_core #(
    parameter PARSER = 1,
    parameter HDR_BYTES = 64,
    parameter MONITOR = 0,              // 1: monitor-only tap (no egress)
    parameter CLK_MHZ = 125,
    parameter CLK_PERIOD_PS = 8000,
    parameter ERR_GAP = 65536,
    parameter RX_TIMEOUT = 131072,
    parameter DETECT = 0,               // 1: the whole device (tw_top); PARSER is then ignored (always parsed)
    parameter FLOW_BUCKETS = 1024,      // DETECT = 1: tw_top's table geometry
    parameter FLOW_WAYS = 4,
    parameter DIGEST_SETS = 8192,
    parameter DIGEST_WAYS = 2,
    parameter DIGEST_HASH_STEP = 0,     // tw_top: digest stepping hash bits per clock (0 = one-clock CRC trees)
    parameter FLOW_HOLD = 32,           // tw_top: the flow table's hold queue (records; power of two, >= 2)
    parameter ALERT_BUCKETS = 1024,
    parameter ALERT_WAYS = 4,
    parameter EV_SLOT_W = 4,
    parameter REC_FIFO_W = 5,
    parameter REC_CLOCKS = 4,           // DETECT = 1: tw_top's engine and parser small-FPGA options (defaults:
    parameter NEVAL = 64,               // the reference design)
    parameter PFX_UNITS = 0,
    parameter PRT_UNITS = 0,
    parameter PFX_SEARCH = 0,
    parameter TZSP_PER_STEP = 16,
    parameter WIN_FETCH = 0,
    parameter SLOT_RAM = 0,
    parameter MERGE_FIFO_W = 5,         // log2 of the parsers' merge FIFO depth (records)
    parameter SHARE_PARSER = 0,         // 1 (with SLOT_RAM = 1): one parse engine for both ports
    parameter CNT_RAM = 0               // 1: the statistics counters (tap, parsers, MACs) in distributed RAM
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        ft_clk,
    input  wire        ft_rst,

    // port A and B: received frames (from the MACs) and frames to send (to the MACs)
    input  wire [63:0] s_axis_a_tdata,
    input  wire [7:0]  s_axis_a_tkeep,
    input  wire        s_axis_a_tvalid,
    output wire        s_axis_a_tready,
    input  wire        s_axis_a_tlast,
    input  wire        s_axis_a_tuser,
    input  wire [63:0] s_axis_b_tdata,
    input  wire [7:0]  s_axis_b_tkeep,
    input  wire        s_axis_b_tvalid,
    output wire        s_axis_b_tready,
    input  wire        s_axis_b_tlast,
    input  wire        s_axis_b_tuser,
    output wire [63:0] m_axis_a_tdata,
    output wire [7:0]  m_axis_a_tkeep,
    output wire        m_axis_a_tvalid,
    input  wire        m_axis_a_tready,
    output wire        m_axis_a_tlast,
    output wire        m_axis_a_tuser,
    output wire [63:0] m_axis_b_tdata,
    output wire [7:0]  m_axis_b_tkeep,
    output wire        m_axis_b_tvalid,
    input  wire        m_axis_b_tready,
    output wire        m_axis_b_tlast,
    output wire        m_axis_b_tuser,

    // MAC statistics increments, port A then B (tw_rgmii_mac stat_inc)
    input  wire [2*`TW_CNT_MAC_PER_PORT*4-1:0] mac_inc,

    // FT245 pins (ft_clk domain); the board top places the tristate buffer
    input  wire        ft_rxf_n,
    input  wire        ft_txe_n,
    input  wire [7:0]  ft_d_in,
    output wire [7:0]  ft_d_out,
    output wire        ft_d_oe,
    output wire        ft_rd_n,
    output wire        ft_wr_n,
    output wire        ft_oe_n,
    output wire        ft_siwu_n,

    output wire [3:0]  led_activity     // rx A, rx B, host link command, heartbeat
);

localparam NMAC = 2 * `TW_CNT_MAC_PER_PORT;

wire [10:0] win_addr;       // the counter window's address (both builds)
reg  [1:0]  act_reg = 2'b00;

// ---------------------------------------------------------------- MAC statistics (both builds)
wire [63:0]       mac_data_reg;        // the counter at win_addr, one clock later (0 outside the 16)
generate if (CNT_RAM != 0) begin : g_mac_ram
    // CNT_MAC_BASE is a multiple of the 16 counters: the window address's top bits select them (timing: no
    // subtract and compare in front of the RAM read)
    localparam [10:0] MAC_BASE = `TW_CNT_MAC_BASE;
    if (MAC_BASE[3:0] != 4'd0 || NMAC != 16)
        tw_board_core_mac_base_not_aligned u_bad ();
    tw_cnt_ram #(.N(NMAC), .AW(4), .INC_W(4), .NARROW_W(4)) mac_cnt (
        .clk(clk), .rst(rst), .inc(mac_inc),
        .cnt_addr(win_addr[10:4] == MAC_BASE[10:4] ? {4'd0, win_addr[3:0]} : 8'hFF), .cnt_data(mac_data_reg)
    );
end else begin : g_mac_reg
    reg [NMAC*64-1:0] mac_cnt_reg = {(NMAC*64){1'b0}};
    reg [63:0]        mac_q = 64'd0;
    wire [10:0]       mac_idx = win_addr - `TW_CNT_MAC_BASE;
    integer m;
    always @(posedge clk) begin
        for (m = 0; m < NMAC; m = m + 1)
            mac_cnt_reg[m*64 +: 64] <= mac_cnt_reg[m*64 +: 64] + {60'd0, mac_inc[m*4 +: 4]};
        mac_q <= mac_idx < NMAC ? mac_cnt_reg[mac_idx[3:0]*64 +: 64] : 64'd0;
        if (rst)
            mac_cnt_reg <= {(NMAC*64){1'b0}};
    end
    assign mac_data_reg = mac_q;
end endgenerate

generate if (DETECT != 0) begin : g_device
    // ------------------------------------------------------------ the whole device
    wire flush_busy, sim_hold, init_done, rx_overflow;
    tw_top #(.HDR_BYTES(HDR_BYTES), .FLOW_BUCKETS(FLOW_BUCKETS), .FLOW_WAYS(FLOW_WAYS), .DIGEST_SETS(DIGEST_SETS),
             .DIGEST_WAYS(DIGEST_WAYS), .DIGEST_HASH_STEP(DIGEST_HASH_STEP), .FLOW_HOLD(FLOW_HOLD),
             .EV_SLOT_W(EV_SLOT_W),
             .ALERT_BUCKETS(ALERT_BUCKETS), .ALERT_WAYS(ALERT_WAYS), .REC_FIFO_W(REC_FIFO_W), .CLK_MHZ(CLK_MHZ),
             .CLK_PERIOD_PS(CLK_PERIOD_PS), .ERR_GAP(ERR_GAP), .RX_TIMEOUT(RX_TIMEOUT),
             .MONITOR(MONITOR != 0 ? 1 : 0), .EXT_CNT_N(NMAC), .REC_CLOCKS(REC_CLOCKS), .NEVAL(NEVAL),
             .PFX_UNITS(PFX_UNITS), .PRT_UNITS(PRT_UNITS), .PFX_SEARCH(PFX_SEARCH), .TZSP_PER_STEP(TZSP_PER_STEP),
             .WIN_FETCH(WIN_FETCH),
             .SLOT_RAM(SLOT_RAM), .MERGE_FIFO_W(MERGE_FIFO_W), .SHARE_PARSER(SHARE_PARSER), .CNT_RAM(CNT_RAM)) dev (
        .clk(clk), .rst(rst), .ft_clk(ft_clk), .ft_rst(ft_rst),
        .s_axis_a_tdata(s_axis_a_tdata), .s_axis_a_tkeep(s_axis_a_tkeep), .s_axis_a_tvalid(s_axis_a_tvalid),
        .s_axis_a_tready(s_axis_a_tready), .s_axis_a_tlast(s_axis_a_tlast), .s_axis_a_tuser(s_axis_a_tuser),
        .s_axis_b_tdata(s_axis_b_tdata), .s_axis_b_tkeep(s_axis_b_tkeep), .s_axis_b_tvalid(s_axis_b_tvalid),
        .s_axis_b_tready(s_axis_b_tready), .s_axis_b_tlast(s_axis_b_tlast), .s_axis_b_tuser(s_axis_b_tuser),
        .m_axis_a_tdata(m_axis_a_tdata), .m_axis_a_tkeep(m_axis_a_tkeep), .m_axis_a_tvalid(m_axis_a_tvalid),
        .m_axis_a_tready(m_axis_a_tready), .m_axis_a_tlast(m_axis_a_tlast), .m_axis_a_tuser(m_axis_a_tuser),
        .m_axis_b_tdata(m_axis_b_tdata), .m_axis_b_tkeep(m_axis_b_tkeep), .m_axis_b_tvalid(m_axis_b_tvalid),
        .m_axis_b_tready(m_axis_b_tready), .m_axis_b_tlast(m_axis_b_tlast), .m_axis_b_tuser(m_axis_b_tuser),
        .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_d_in(ft_d_in), .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe),
        .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n), .ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
        // a board has no simulation time source and no end of input: REG_TIME stamps frames, flows time out
        .sim_ts_valid(1'b0), .sim_ts_ns(64'd0), .flush_req(1'b0), .flush_busy(flush_busy), .sim_hold(sim_hold),
        .init_done(init_done), .rx_overflow(rx_overflow),
        .ext_cnt_addr(win_addr), .ext_cnt_data(mac_data_reg)
    );
    wire unused_dev = &{1'b0, flush_busy, sim_hold, init_done, rx_overflow, act_reg};
end else begin : g_tap_link
    // ------------------------------------------------------------ tap (+ parser) and host link
    localparam CNT_N = `TW_CNT_MAC_BASE + 2 * `TW_CNT_MAC_PER_PORT;
    localparam REC_BYTES = 64;

    wire [63:0] time_ns;
    wire [7:0]  cnt_addr;
    wire [63:0] core_cnt_data;

    if (PARSER != 0) begin : g_parser
        wire [`TW_M_WIDTH-1:0] meta_unused;
        wire                   meta_valid_unused;
        tw_tap_parse_top #(.HDR_BYTES(HDR_BYTES), .TZSP_PER_STEP(TZSP_PER_STEP), .WIN_FETCH(WIN_FETCH),
                           .SLOT_RAM(SLOT_RAM), .MERGE_FIFO_W(MERGE_FIFO_W),
                           .SHARE_PARSER(SHARE_PARSER), .CNT_RAM(CNT_RAM)) core (
            .clk(clk), .rst(rst),
            .cfg_monitor(MONITOR != 0), .cfg_mtu(16'd9600), .cfg_l2tp_cookie(4'd0), .ts_ns(time_ns),
            .s_axis_a_tdata(s_axis_a_tdata), .s_axis_a_tkeep(s_axis_a_tkeep), .s_axis_a_tvalid(s_axis_a_tvalid),
            .s_axis_a_tready(s_axis_a_tready), .s_axis_a_tlast(s_axis_a_tlast), .s_axis_a_tuser(s_axis_a_tuser),
            .s_axis_b_tdata(s_axis_b_tdata), .s_axis_b_tkeep(s_axis_b_tkeep), .s_axis_b_tvalid(s_axis_b_tvalid),
            .s_axis_b_tready(s_axis_b_tready), .s_axis_b_tlast(s_axis_b_tlast), .s_axis_b_tuser(s_axis_b_tuser),
            .m_axis_a_tdata(m_axis_a_tdata), .m_axis_a_tkeep(m_axis_a_tkeep), .m_axis_a_tvalid(m_axis_a_tvalid),
            .m_axis_a_tready(m_axis_a_tready), .m_axis_a_tlast(m_axis_a_tlast), .m_axis_a_tuser(m_axis_a_tuser),
            .m_axis_b_tdata(m_axis_b_tdata), .m_axis_b_tkeep(m_axis_b_tkeep), .m_axis_b_tvalid(m_axis_b_tvalid),
            .m_axis_b_tready(m_axis_b_tready), .m_axis_b_tlast(m_axis_b_tlast), .m_axis_b_tuser(m_axis_b_tuser),
            .m_meta_tdata(meta_unused), .m_meta_tvalid(meta_valid_unused), .m_meta_tready(1'b1),
            .cnt_addr(cnt_addr), .cnt_data(core_cnt_data)
        );
    end else begin : g_tap_only
        wire [63:0] cp_a_tdata, cp_b_tdata;
        wire [7:0]  cp_a_tkeep, cp_b_tkeep;
        wire        cp_a_tvalid, cp_a_tlast, cp_a_tuser, cp_b_tvalid, cp_b_tlast, cp_b_tuser;
        wire        egress_a, egress_b;

        tw_tap #(.DATA_WIDTH(64)) tap_a (
            .clk(clk), .rst(rst), .cfg_monitor(MONITOR != 0),
            .s_axis_tdata(s_axis_a_tdata), .s_axis_tkeep(s_axis_a_tkeep), .s_axis_tvalid(s_axis_a_tvalid),
            .s_axis_tready(s_axis_a_tready), .s_axis_tlast(s_axis_a_tlast), .s_axis_tuser(s_axis_a_tuser),
            .m_axis_tdata(m_axis_b_tdata), .m_axis_tkeep(m_axis_b_tkeep), .m_axis_tvalid(m_axis_b_tvalid),
            .m_axis_tready(m_axis_b_tready), .m_axis_tlast(m_axis_b_tlast), .m_axis_tuser(m_axis_b_tuser),
            .cp_tdata(cp_a_tdata), .cp_tkeep(cp_a_tkeep), .cp_tvalid(cp_a_tvalid), .cp_tlast(cp_a_tlast),
            .cp_tuser(cp_a_tuser), .egress_frame(egress_a)
        );
        tw_tap #(.DATA_WIDTH(64)) tap_b (
            .clk(clk), .rst(rst), .cfg_monitor(MONITOR != 0),
            .s_axis_tdata(s_axis_b_tdata), .s_axis_tkeep(s_axis_b_tkeep), .s_axis_tvalid(s_axis_b_tvalid),
            .s_axis_tready(s_axis_b_tready), .s_axis_tlast(s_axis_b_tlast), .s_axis_tuser(s_axis_b_tuser),
            .m_axis_tdata(m_axis_a_tdata), .m_axis_tkeep(m_axis_a_tkeep), .m_axis_tvalid(m_axis_a_tvalid),
            .m_axis_tready(m_axis_a_tready), .m_axis_tlast(m_axis_a_tlast), .m_axis_tuser(m_axis_a_tuser),
            .cp_tdata(cp_b_tdata), .cp_tkeep(cp_b_tkeep), .cp_tvalid(cp_b_tvalid), .cp_tlast(cp_b_tlast),
            .cp_tuser(cp_b_tuser), .egress_frame(egress_b)
        );

        // FRAMES, BYTES, MACBAD, EGRESS per port from the copies (the parser's other counters read 0).
        // Timing: each copy beat (valid, last, tuser, its byte count) and the egress pulses are registered first
        // (the beat comes from the MAC FIFO's RAM through its tkeep decode), then counted a clock later.
        reg [3:0] nb_a, nb_b;
        integer k;
        always @* begin
            nb_a = 4'd0;
            nb_b = 4'd0;
            for (k = 0; k < 8; k = k + 1) begin
                nb_a = nb_a + {3'd0, cp_a_tkeep[k]};
                nb_b = nb_b + {3'd0, cp_b_tkeep[k]};
            end
        end
        reg        pv_a_reg = 1'b0, pv_b_reg = 1'b0, pl_a_reg = 1'b0, pl_b_reg = 1'b0;
        reg        pu_a_reg = 1'b0, pu_b_reg = 1'b0, eg_a_reg = 1'b0, eg_b_reg = 1'b0;
        reg [3:0]  pn_a_reg = 4'd0, pn_b_reg = 4'd0;
        reg [23:0] len_a_reg = 24'd0, len_b_reg = 24'd0;
        reg        fr_a_reg = 1'b0, fr_b_reg = 1'b0, bad_a_reg = 1'b0, bad_b_reg = 1'b0;
        reg [23:0] bytes_a_reg = 24'd0, bytes_b_reg = 24'd0;
        always @(posedge clk) begin
            pv_a_reg <= cp_a_tvalid;
            pl_a_reg <= cp_a_tlast;
            pu_a_reg <= cp_a_tuser;
            pn_a_reg <= nb_a;
            pv_b_reg <= cp_b_tvalid;
            pl_b_reg <= cp_b_tlast;
            pu_b_reg <= cp_b_tuser;
            pn_b_reg <= nb_b;
            eg_a_reg <= egress_a;
            eg_b_reg <= egress_b;
            fr_a_reg <= 1'b0;
            fr_b_reg <= 1'b0;
            bad_a_reg <= 1'b0;
            bad_b_reg <= 1'b0;
            if (pv_a_reg) begin
                len_a_reg <= pl_a_reg ? 24'd0 : len_a_reg + {20'd0, pn_a_reg};
                if (pl_a_reg) begin
                    fr_a_reg <= 1'b1;
                    bad_a_reg <= pu_a_reg;
                    bytes_a_reg <= len_a_reg + {20'd0, pn_a_reg};
                end
            end
            if (pv_b_reg) begin
                len_b_reg <= pl_b_reg ? 24'd0 : len_b_reg + {20'd0, pn_b_reg};
                if (pl_b_reg) begin
                    fr_b_reg <= 1'b1;
                    bad_b_reg <= pu_b_reg;
                    bytes_b_reg <= len_b_reg + {20'd0, pn_b_reg};
                end
            end
            if (rst) begin
                pv_a_reg <= 1'b0;
                pv_b_reg <= 1'b0;
                eg_a_reg <= 1'b0;
                eg_b_reg <= 1'b0;
                len_a_reg <= 24'd0;
                len_b_reg <= 24'd0;
                fr_a_reg <= 1'b0;
                fr_b_reg <= 1'b0;
                bad_a_reg <= 1'b0;
                bad_b_reg <= 1'b0;
            end
        end

        localparam INC_W = 24;
        reg [2*`TW_CNT_PER_PORT*INC_W-1:0] inc;
        always @* begin
            inc = {(2*`TW_CNT_PER_PORT*INC_W){1'b0}};
            inc[`TW_CNT_FRAMES*INC_W +: INC_W] = {23'd0, fr_a_reg};
            inc[`TW_CNT_BYTES*INC_W +: INC_W] = fr_a_reg ? bytes_a_reg : 24'd0;
            inc[`TW_CNT_MACBAD*INC_W +: INC_W] = {23'd0, bad_a_reg};
            inc[`TW_CNT_EGRESS*INC_W +: INC_W] = {23'd0, eg_a_reg};
            inc[(`TW_CNT_PER_PORT+`TW_CNT_FRAMES)*INC_W +: INC_W] = {23'd0, fr_b_reg};
            inc[(`TW_CNT_PER_PORT+`TW_CNT_BYTES)*INC_W +: INC_W] = fr_b_reg ? bytes_b_reg : 24'd0;
            inc[(`TW_CNT_PER_PORT+`TW_CNT_MACBAD)*INC_W +: INC_W] = {23'd0, bad_b_reg};
            inc[(`TW_CNT_PER_PORT+`TW_CNT_EGRESS)*INC_W +: INC_W] = {23'd0, eg_b_reg};
        end
        tw_counters #(.NPORTS(2), .INC_W(INC_W), .RAM(CNT_RAM)) counters (
            .clk(clk), .rst(rst), .inc(inc), .cnt_addr(cnt_addr), .cnt_data(core_cnt_data)
        );
        wire unused_cp = &{1'b0, cp_a_tdata, cp_b_tdata, time_ns};
    end

    reg mac_sel_reg = 1'b0;
    always @(posedge clk) begin
        mac_sel_reg <= cnt_addr >= `TW_CNT_MAC_BASE;
        if (rst)
            mac_sel_reg <= 1'b0;
    end
    wire [63:0] cnt_data = mac_sel_reg ? mac_data_reg : core_cnt_data;
    assign win_addr = {3'd0, cnt_addr};

    wire [31:0] ctrl_unused;
    wire        ext_req, ext_we, tbl_we, commit_stb, rx_overflow;
    wire [15:0] ext_addr, tbl_addr;
    wire [31:0] ext_wdata, tbl_data, commit_mask;
    wire [7:0]  tbl_id;
    wire        rec_ready_unused, rec_room_unused;
    wire [31:0] status = {28'd0, act_reg, MONITOR != 0, PARSER != 0};

    tw_link_top #(.REC_BYTES(REC_BYTES), .REC_ENABLE(0), .CAP_RULES(0), .CAP_FLOWS(0), .CLK_MHZ(CLK_MHZ),
                  .CLK_PERIOD_PS(CLK_PERIOD_PS), .CNT_ADDR_W(8), .CNT_N(CNT_N), .ERR_GAP(ERR_GAP),
                  .RX_TIMEOUT(RX_TIMEOUT), .CAP_HDR_BYTES(PARSER != 0 ? HDR_BYTES : 0)) link (
        .ft_clk(ft_clk), .ft_rst(ft_rst),
        .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_d_in(ft_d_in), .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe),
        .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n), .ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
        .clk(clk), .rst(rst),
        .s_axis_rec_tdata({(REC_BYTES*8){1'b0}}), .s_axis_rec_tuser(16'd0), .s_axis_rec_tvalid(1'b0),
        .s_axis_rec_tready(rec_ready_unused), .s_axis_rec_room(rec_room_unused),
        .ctrl(ctrl_unused), .status(status), .time_ns(time_ns),
        .cnt_addr(cnt_addr), .cnt_data(cnt_data),
        .ext_req(ext_req), .ext_we(ext_we), .ext_addr(ext_addr), .ext_wdata(ext_wdata), .ext_rdata(32'd0),
        .tbl_we(tbl_we), .tbl_id(tbl_id), .tbl_addr(tbl_addr), .tbl_data(tbl_data),
        .commit_stb(commit_stb), .commit_mask(commit_mask), .rx_overflow(rx_overflow)
    );
    wire unused_link = &{1'b0, ctrl_unused, ext_req, ext_we, ext_addr, ext_wdata, tbl_we, tbl_id, tbl_addr,
                         tbl_data, commit_stb, commit_mask, rx_overflow, rec_ready_unused, rec_room_unused};
end endgenerate

// ---------------------------------------------------------------- LEDs: activity stretched to ~65 ms at 125 MHz
// (host link: any RD# / WR# strobe on the FT245 pins, stretched in the ft_clk domain)
reg [22:0] hb_reg = 23'd0;
reg [22:0] st_a_reg = 23'd0, st_b_reg = 23'd0;
reg [21:0] st_l_reg = 22'd0;
always @(posedge clk) begin
    hb_reg <= hb_reg + 1'b1;
    st_a_reg <= (s_axis_a_tvalid && s_axis_a_tlast) ? 23'h7FFFFF : (st_a_reg != 0 ? st_a_reg - 1'b1 : 23'd0);
    st_b_reg <= (s_axis_b_tvalid && s_axis_b_tlast) ? 23'h7FFFFF : (st_b_reg != 0 ? st_b_reg - 1'b1 : 23'd0);
    act_reg <= {st_b_reg != 0, st_a_reg != 0};
    if (rst) begin
        st_a_reg <= 23'd0;
        st_b_reg <= 23'd0;
        act_reg <= 2'b00;
    end
end
always @(posedge ft_clk) begin
    st_l_reg <= (!ft_rd_n || !ft_wr_n) ? 22'h3FFFFF : (st_l_reg != 0 ? st_l_reg - 1'b1 : 22'd0);
    if (ft_rst)
        st_l_reg <= 22'd0;
end
assign led_activity = {hb_reg[22], st_l_reg != 0, st_b_reg != 0, st_a_reg != 0};

endmodule

`resetall
