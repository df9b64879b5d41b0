// tw_board_core: what a board top puts behind its MACs, with no vendor primitive: the two-port tap (inline, or
// monitor-only), optionally the header parsers (PARSER = 1: rtl/tw_tap_parse_top.v; PARSER = 0: the taps and the
// per-port frame counters only, for a device too small for the parser), the MAC statistics counters, and the host
// link (rtl/tw_link_top.v: FT245 sync FIFO, register file; the counters read through its counter window).
//   counter address < CNT_MAC_BASE: the core's counters (contracts/counters.def, port * CNT_PER_PORT + index)
//   CNT_MAC_BASE + port * CNT_MAC_PER_PORT + index: the MAC statistics (CNT_MAC_*)
// Until the detection engine joins (rtl/tw_top.v), metadata records are consumed and counted (CNT_RECORDS) and no
// alert record is sent. status (REG_STATUS): bit 0 parser present, bit 1 monitor mode, bits 3:2 rx activity A/B.
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
    parameter RX_TIMEOUT = 131072
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

localparam CNT_N = `TW_CNT_MAC_BASE + 2 * `TW_CNT_MAC_PER_PORT;
localparam REC_BYTES = 64;

wire [63:0] time_ns;
wire [7:0]  cnt_addr;
wire [63:0] core_cnt_data;

// ---------------------------------------------------------------- tap (+ parser)
generate if (PARSER != 0) begin : g_parser
    wire [`TW_M_WIDTH-1:0] meta_unused;
    wire                   meta_valid_unused;
    tw_tap_parse_top #(.HDR_BYTES(HDR_BYTES)) core (
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

    // FRAMES, BYTES, MACBAD, EGRESS per port from the copies (the parser's other counters read 0)
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
    reg [23:0] len_a_reg = 24'd0, len_b_reg = 24'd0;
    reg        fr_a_reg = 1'b0, fr_b_reg = 1'b0, bad_a_reg = 1'b0, bad_b_reg = 1'b0;
    reg [23:0] bytes_a_reg = 24'd0, bytes_b_reg = 24'd0;
    always @(posedge clk) begin
        fr_a_reg <= 1'b0;
        fr_b_reg <= 1'b0;
        bad_a_reg <= 1'b0;
        bad_b_reg <= 1'b0;
        if (cp_a_tvalid) begin
            len_a_reg <= cp_a_tlast ? 24'd0 : len_a_reg + {20'd0, nb_a};
            if (cp_a_tlast) begin
                fr_a_reg <= 1'b1;
                bad_a_reg <= cp_a_tuser;
                bytes_a_reg <= len_a_reg + {20'd0, nb_a};
            end
        end
        if (cp_b_tvalid) begin
            len_b_reg <= cp_b_tlast ? 24'd0 : len_b_reg + {20'd0, nb_b};
            if (cp_b_tlast) begin
                fr_b_reg <= 1'b1;
                bad_b_reg <= cp_b_tuser;
                bytes_b_reg <= len_b_reg + {20'd0, nb_b};
            end
        end
        if (rst) begin
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
        inc[`TW_CNT_EGRESS*INC_W +: INC_W] = {23'd0, egress_a};
        inc[(`TW_CNT_PER_PORT+`TW_CNT_FRAMES)*INC_W +: INC_W] = {23'd0, fr_b_reg};
        inc[(`TW_CNT_PER_PORT+`TW_CNT_BYTES)*INC_W +: INC_W] = fr_b_reg ? bytes_b_reg : 24'd0;
        inc[(`TW_CNT_PER_PORT+`TW_CNT_MACBAD)*INC_W +: INC_W] = {23'd0, bad_b_reg};
        inc[(`TW_CNT_PER_PORT+`TW_CNT_EGRESS)*INC_W +: INC_W] = {23'd0, egress_b};
    end
    tw_counters #(.NPORTS(2), .INC_W(INC_W)) counters (
        .clk(clk), .rst(rst), .inc(inc), .cnt_addr(cnt_addr), .cnt_data(core_cnt_data)
    );
    wire unused_cp = &{1'b0, cp_a_tdata, cp_b_tdata, time_ns};
end endgenerate

// ---------------------------------------------------------------- MAC statistics
localparam NMAC = 2 * `TW_CNT_MAC_PER_PORT;
reg [NMAC*64-1:0] mac_cnt_reg = {(NMAC*64){1'b0}};
reg [63:0]        mac_data_reg = 64'd0;
reg               mac_sel_reg = 1'b0;
wire [7:0]        mac_idx = cnt_addr - `TW_CNT_MAC_BASE;
integer m;
always @(posedge clk) begin
    for (m = 0; m < NMAC; m = m + 1)
        mac_cnt_reg[m*64 +: 64] <= mac_cnt_reg[m*64 +: 64] + {60'd0, mac_inc[m*4 +: 4]};
    mac_sel_reg <= cnt_addr >= `TW_CNT_MAC_BASE;
    mac_data_reg <= mac_idx < NMAC ? mac_cnt_reg[mac_idx[3:0]*64 +: 64] : 64'd0;
    if (rst) begin
        mac_cnt_reg <= {(NMAC*64){1'b0}};
        mac_sel_reg <= 1'b0;
    end
end
wire [63:0] cnt_data = mac_sel_reg ? mac_data_reg : core_cnt_data;

// ---------------------------------------------------------------- host link
wire [31:0] ctrl_unused;
wire        ext_req, ext_we, tbl_we, commit_stb, rx_overflow;
wire [15:0] ext_addr, tbl_addr;
wire [31:0] ext_wdata, tbl_data, commit_mask;
wire [7:0]  tbl_id;
wire        rec_ready_unused;
reg  [1:0]  act_reg = 2'b00;
wire [31:0] status = {28'd0, act_reg, MONITOR != 0, PARSER != 0};

tw_link_top #(.REC_BYTES(REC_BYTES), .CAP_RULES(0), .CAP_FLOWS(0), .CLK_MHZ(CLK_MHZ),
              .CLK_PERIOD_PS(CLK_PERIOD_PS), .CNT_ADDR_W(8), .CNT_N(CNT_N), .ERR_GAP(ERR_GAP),
              .RX_TIMEOUT(RX_TIMEOUT)) link (
    .ft_clk(ft_clk), .ft_rst(ft_rst),
    .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_d_in(ft_d_in), .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe),
    .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n), .ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
    .clk(clk), .rst(rst),
    .s_axis_rec_tdata({(REC_BYTES*8){1'b0}}), .s_axis_rec_tuser(16'd0), .s_axis_rec_tvalid(1'b0),
    .s_axis_rec_tready(rec_ready_unused),
    .ctrl(ctrl_unused), .status(status), .time_ns(time_ns),
    .cnt_addr(cnt_addr), .cnt_data(cnt_data),
    .ext_req(ext_req), .ext_we(ext_we), .ext_addr(ext_addr), .ext_wdata(ext_wdata), .ext_rdata(32'd0),
    .tbl_we(tbl_we), .tbl_id(tbl_id), .tbl_addr(tbl_addr), .tbl_data(tbl_data),
    .commit_stb(commit_stb), .commit_mask(commit_mask), .rx_overflow(rx_overflow)
);

// ---------------------------------------------------------------- LEDs: activity stretched to ~65 ms at 125 MHz
reg [22:0] hb_reg = 23'd0;
reg [22:0] st_a_reg = 23'd0, st_b_reg = 23'd0, st_l_reg = 23'd0;
always @(posedge clk) begin
    hb_reg <= hb_reg + 1'b1;
    st_a_reg <= (s_axis_a_tvalid && s_axis_a_tlast) ? 23'h7FFFFF : (st_a_reg != 0 ? st_a_reg - 1'b1 : 23'd0);
    st_b_reg <= (s_axis_b_tvalid && s_axis_b_tlast) ? 23'h7FFFFF : (st_b_reg != 0 ? st_b_reg - 1'b1 : 23'd0);
    st_l_reg <= ext_req || commit_stb ? 23'h7FFFFF : (st_l_reg != 0 ? st_l_reg - 1'b1 : 23'd0);
    act_reg <= {st_b_reg != 0, st_a_reg != 0};
    if (rst) begin
        st_a_reg <= 23'd0;
        st_b_reg <= 23'd0;
        st_l_reg <= 23'd0;
        act_reg <= 2'b00;
    end
end
assign led_activity = {hb_reg[22], st_l_reg != 0, st_b_reg != 0, st_a_reg != 0};

wire unused = &{1'b0, ctrl_unused, ext_we, ext_addr, ext_wdata, tbl_we, tbl_id, tbl_addr, tbl_data, commit_mask,
                rx_overflow, rec_ready_unused};

endmodule

`resetall
