// tw_link_top: the host link. FT245 synchronous FIFO on the chip's 60 MHz CLKOUT (ft_clk), two asynchronous FIFOs
// into the core clock (clk), the command deframer and executor, the device frame builder and the register file.
//
//   ft_clk domain                       |  clk domain
//   FT245 pins <-> tw_ft245 -> rx FIFO --+-> tw_link_rx -> tw_link_cmd <-> tw_regfile <-> ctrl/time/counters/ext
//                           <- tx FIFO <-+-- tw_link_tx <- responses (tw_link_cmd), records (s_axis_rec_*)
//
// The ports towards the core are general on purpose: the tap/parser/engine integration connects them later.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_link_top #(
    parameter REC_BYTES = 64,
    parameter REC_FIFO_AW = 4,
    parameter REC_ENABLE = 1,           // 0: the record port is not used (tied off): no record FIFO is built
    parameter RX_FIFO_AW = 9,
    parameter TX_FIFO_AW = 11,
    parameter CAP_RULES = 256,
    parameter CAP_FLOWS = 4096,
    parameter CAP_PFX_IV = 0,           // REG_CAP_PFX_IV
    parameter CAP_FLOW_GEOM = 0,        // REG_CAP_FLOW_GEOM, _DIGEST_GEOM, _STATE_GEOM: {log2 buckets, ways}
    parameter CAP_DIGEST_GEOM = 0,
    parameter CAP_STATE_GEOM = 0,
    parameter CAP_HDR_BYTES = 0,        // REG_CAP_HDR_BYTES
    parameter DATAPATH_W = 64,
    parameter CLK_MHZ = 125,
    parameter CLK_PERIOD_PS = 8000,
    parameter CNT_ADDR_W = 8,
    parameter CNT_N = 32,
    parameter ERR_GAP = 65536,          // core clocks between two DEV_ERROR reports
    parameter CTRL_RESERVE = 64,        // tx FIFO bytes records and error reports leave to command answers
    parameter RX_TIMEOUT = 131072       // core clocks without a byte before a started command frame is given up
) (
    // FT245 side
    input  wire                   ft_clk,
    input  wire                   ft_rst,
    input  wire                   ft_rxf_n,
    input  wire                   ft_txe_n,
    input  wire [7:0]             ft_d_in,
    output wire [7:0]             ft_d_out,
    output wire                   ft_d_oe,
    output wire                   ft_rd_n,
    output wire                   ft_wr_n,
    output wire                   ft_oe_n,
    output wire                   ft_siwu_n,

    // core side
    input  wire                   clk,
    input  wire                   rst,
    input  wire [REC_BYTES*8-1:0] s_axis_rec_tdata,
    input  wire [15:0]            s_axis_rec_tuser,    // {length, type (TW_DEV_ALERT / TW_DEV_FLOW)}
    input  wire                   s_axis_rec_tvalid,
    output wire                   s_axis_rec_tready,   // always 1: records that do not fit are dropped, counted
    output wire                   s_axis_rec_room,     // a record offered now fits (for a source that would rather wait)
    output wire [31:0]            ctrl,
    input  wire [31:0]            status,
    output wire [63:0]            time_ns,
    output wire [CNT_ADDR_W-1:0]  cnt_addr,
    input  wire [63:0]            cnt_data,
    output wire                   ext_req,
    output wire                   ext_we,
    output wire [15:0]            ext_addr,
    output wire [31:0]            ext_wdata,
    input  wire [31:0]            ext_rdata,
    output wire                   tbl_we,
    output wire [7:0]             tbl_id,
    output wire [15:0]            tbl_addr,
    output wire [31:0]            tbl_data,
    output wire                   commit_stb,
    output wire [31:0]            commit_mask,
    output wire                   rx_overflow          // sticky, ft_clk domain: a received byte found no room
);

localparam CMD_AW = 10;

// ---- ft_clk domain ----
wire [7:0]          ftrx_tdata;
wire                ftrx_tvalid, ftrx_tready;
wire [RX_FIFO_AW:0] rx_free;
wire [7:0]          fttx_tdata;
wire                fttx_tvalid, fttx_tready;

tw_ft245 #(.FREE_W(RX_FIFO_AW + 1)) ft245 (
    .clk(ft_clk), .rst(ft_rst),
    .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_d_in(ft_d_in), .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe),
    .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n), .ft_oe_n(ft_oe_n), .ft_siwu_n(ft_siwu_n),
    .m_axis_tdata(ftrx_tdata), .m_axis_tvalid(ftrx_tvalid), .m_axis_tready(ftrx_tready),
    .rx_free(rx_free), .rx_overflow(rx_overflow),
    .s_axis_tdata(fttx_tdata), .s_axis_tvalid(fttx_tvalid), .s_axis_tready(fttx_tready)
);

// ---- crossings ----
wire [7:0]          rx_tdata;
wire                rx_tvalid, rx_tready;
wire [7:0]          tx_tdata;
wire                tx_tvalid, tx_tready;
wire [TX_FIFO_AW:0] tx_free;

tw_async_fifo #(.WIDTH(8), .ADDR_W(RX_FIFO_AW), .OUT_REG(1)) rx_fifo (  // timing: RAM out, tready in
    .wr_clk(ft_clk), .wr_rst(ft_rst),
    .s_axis_tdata(ftrx_tdata), .s_axis_tvalid(ftrx_tvalid), .s_axis_tready(ftrx_tready), .wr_free(rx_free),
    .rd_clk(clk), .rd_rst(rst),
    .m_axis_tdata(rx_tdata), .m_axis_tvalid(rx_tvalid), .m_axis_tready(rx_tready)
);

tw_async_fifo #(.WIDTH(8), .ADDR_W(TX_FIFO_AW)) tx_fifo (
    .wr_clk(clk), .wr_rst(rst),
    .s_axis_tdata(tx_tdata), .s_axis_tvalid(tx_tvalid), .s_axis_tready(tx_tready), .wr_free(tx_free),
    .rd_clk(ft_clk), .rd_rst(ft_rst),
    .m_axis_tdata(fttx_tdata), .m_axis_tvalid(fttx_tvalid), .m_axis_tready(fttx_tready)
);

// ---- clk domain ----
wire              cmd_valid, cmd_done;
wire [7:0]        cmd_type, cmd_rdata;
wire [15:0]       cmd_seq, cmd_len;
wire [63:0]       cmd_arg;
wire [CMD_AW-1:0] cmd_raddr;
wire              ev_rx_frame, ev_crc_err, ev_hdr_err, ev_rx_timeout, ev_resync, ev_bad_cmd, ev_tx_frame, ev_tx_drop;
wire [1:0]        ev_discard;
wire              reg_req, reg_we, reg_ack, chk_we, chk_ok;
wire [15:0]       reg_addr, chk_addr;
wire [31:0]       reg_wdata, reg_rdata;
wire              time_set_stb;
wire [63:0]       time_set_ns;
wire [31:0]       tot_crc, tot_hdr, tot_drop;
wire              src_valid, src_ack, src_tvalid, src_tready, err_room;
wire [7:0]        src_type, src_tdata;
wire [15:0]       src_len;
wire [16:0]       src_need;

tw_link_rx #(.ADDR_W(CMD_AW), .RX_TIMEOUT(RX_TIMEOUT)) link_rx (
    .clk(clk), .rst(rst),
    .s_axis_tdata(rx_tdata), .s_axis_tvalid(rx_tvalid), .s_axis_tready(rx_tready),
    .cmd_valid(cmd_valid), .cmd_type(cmd_type), .cmd_seq(cmd_seq), .cmd_len(cmd_len), .cmd_arg(cmd_arg),
    .cmd_raddr(cmd_raddr), .cmd_rdata(cmd_rdata), .cmd_done(cmd_done),
    .ev_frame(ev_rx_frame), .ev_crc_err(ev_crc_err), .ev_hdr_err(ev_hdr_err), .ev_timeout(ev_rx_timeout),
    .ev_resync(ev_resync),
    .ev_discard(ev_discard)
);

tw_link_cmd #(.ADDR_W(CMD_AW), .ERR_GAP(ERR_GAP)) link_cmd (
    .clk(clk), .rst(rst),
    .cmd_valid(cmd_valid), .cmd_type(cmd_type), .cmd_seq(cmd_seq), .cmd_len(cmd_len), .cmd_arg(cmd_arg),
    .cmd_raddr(cmd_raddr), .cmd_rdata(cmd_rdata), .cmd_done(cmd_done),
    .reg_req(reg_req), .reg_we(reg_we), .reg_addr(reg_addr), .reg_wdata(reg_wdata), .reg_ack(reg_ack),
    .reg_rdata(reg_rdata), .chk_addr(chk_addr), .chk_we(chk_we), .chk_ok(chk_ok),
    .tbl_we(tbl_we), .tbl_id(tbl_id), .tbl_addr(tbl_addr), .tbl_data(tbl_data),
    .commit_stb(commit_stb), .commit_mask(commit_mask), .time_set_stb(time_set_stb), .time_set_ns(time_set_ns),
    .src_valid(src_valid), .src_type(src_type), .src_len(src_len), .src_need(src_need), .src_ack(src_ack),
    .src_tdata(src_tdata), .src_tvalid(src_tvalid), .src_tready(src_tready),
    .tot_crc(tot_crc), .tot_hdr(tot_hdr), .tot_drop(tot_drop), .err_room(err_room), .ev_bad_cmd(ev_bad_cmd)
);

tw_link_tx #(.REC_BYTES(REC_BYTES), .REC_FIFO_AW(REC_FIFO_AW), .REC_ENABLE(REC_ENABLE), .FREE_W(TX_FIFO_AW + 1),
             .CTRL_RESERVE(CTRL_RESERVE)) link_tx (
    .clk(clk), .rst(rst),
    .src_valid(src_valid), .src_type(src_type), .src_len(src_len), .src_need(src_need), .src_ack(src_ack),
    .src_tdata(src_tdata), .src_tvalid(src_tvalid), .src_tready(src_tready),
    .s_axis_rec_tdata(s_axis_rec_tdata), .s_axis_rec_tuser(s_axis_rec_tuser), .s_axis_rec_tvalid(s_axis_rec_tvalid),
    .s_axis_rec_tready(s_axis_rec_tready), .rec_room(s_axis_rec_room),
    .m_axis_tdata(tx_tdata), .m_axis_tvalid(tx_tvalid), .m_axis_tready(tx_tready), .tx_free(tx_free),
    .err_room(err_room),
    .ev_tx_frame(ev_tx_frame), .ev_tx_drop(ev_tx_drop)
);

tw_regfile #(.CAP_RULES(CAP_RULES), .CAP_FLOWS(CAP_FLOWS), .CAP_PFX_IV(CAP_PFX_IV),
             .CAP_FLOW_GEOM(CAP_FLOW_GEOM), .CAP_DIGEST_GEOM(CAP_DIGEST_GEOM), .CAP_STATE_GEOM(CAP_STATE_GEOM),
             .CAP_HDR_BYTES(CAP_HDR_BYTES), .DATAPATH_W(DATAPATH_W),
             .CLK_MHZ(CLK_MHZ),
             .CLK_PERIOD_PS(CLK_PERIOD_PS), .CNT_ADDR_W(CNT_ADDR_W), .CNT_N(CNT_N)) regfile (
    .clk(clk), .rst(rst),
    .reg_req(reg_req), .reg_we(reg_we), .reg_addr(reg_addr), .reg_wdata(reg_wdata), .reg_ack(reg_ack),
    .reg_rdata(reg_rdata), .chk_addr(chk_addr), .chk_we(chk_we), .chk_ok(chk_ok),
    .time_set_stb(time_set_stb), .time_set_ns(time_set_ns), .time_ns(time_ns),
    .ctrl(ctrl), .status(status),
    .ev_rx_frame(ev_rx_frame), .ev_crc_err(ev_crc_err), .ev_hdr_err(ev_hdr_err), .ev_rx_timeout(ev_rx_timeout),
    .ev_resync(ev_resync),
    .ev_discard(ev_discard), .ev_bad_cmd(ev_bad_cmd), .ev_tx_frame(ev_tx_frame), .ev_tx_drop(ev_tx_drop),
    .tot_crc(tot_crc), .tot_hdr(tot_hdr), .tot_drop(tot_drop),
    .cnt_addr(cnt_addr), .cnt_data(cnt_data),
    .ext_req(ext_req), .ext_we(ext_we), .ext_addr(ext_addr), .ext_wdata(ext_wdata), .ext_rdata(ext_rdata)
);

endmodule

`resetall
