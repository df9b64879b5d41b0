// tw_top: the device top for simulation (board tops wrap it later): the two-port tap and parsers
// (tw_tap_parse_top), the detection pipeline (tw_detect), evidence capture and the record stream (tw_rec_out),
// table loading (tw_tbl_load) and the host link with its register file (tw_link_top). docs/architecture.md.
//
//  port A/B in --> tw_tap_parse_top --> port B/A out (forwarding, unchanged)
//                    | m_meta                      ingress beats --> tw_rec_out evidence rings
//                    v                                                  ^ alerts, frame done, flow records
//                 tw_detect (front + alert stage) -----------------------+
//                    ^ table commands                                     | s_axis_rec (250-byte records)
//                 tw_tbl_load <-- tbl_we/commit -- tw_link_top <-----------+
//                                                    | FT245 pins (ft_clk)   counters window <- all blocks
//
// Time: the tap stamps frames with REG_TIME (tw_regfile's ns counter, set by CMD_TIME_SET), or with sim_ts_ns while
// sim_ts_valid is 1 (simulation: each frame's capture time; a board ties sim_ts_valid to 0).
// Control: REG_CONTROL bit 0 = monitor-only (no egress), bit 1 = flush: its 0 -> 1 transition flushes the flow table
// as flush_req does (a board's end of input; contracts/regs.def CTRL_*). Status: bit 0 init done (flow/digest tables
// cleared after reset), bit 1 active rule bank, bit 2 flush in progress.
// Counter window (contracts/counters.def): 0..31 tap + parser per port, CNT_DET_BASE.. detection, CNT_EV_BASE..
// evidence and records, CNT_LD_BASE.. table loading, CNT_RULE_BASE.. per-rule counters (CNT_RULE_STRIDE per rule);
// a board top (rtl/boards/tw_board_core.v) adds its MAC statistics at CNT_MAC_BASE.. (EXT_CNT_N, ext_cnt_*).
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
`include "tw_counters.vh"
`include "tw_alert_rec.vh"
`include "tw_flow_rec.vh"
`include "tw_rule_entry.vh"
`include "tw_settings.vh"
`include "tw_regs.vh"
`include "tw_pfx_iv_entry.vh"

module tw_top #(
    parameter integer HDR_BYTES    = 256,
    parameter integer FLOW_BUCKETS = 4096,
    parameter integer FLOW_WAYS    = 4,
    parameter integer DIGEST_SETS  = 8192,
    parameter integer DIGEST_WAYS  = 2,
    parameter integer DIGEST_HASH_STEP = 0,     // digest table stepping hash, bits per clock (0 = one-clock CRC trees)
    parameter integer FLOW_HOLD    = 32,        // flow records held until their frame is decided (power of two, >= 2)
    parameter integer EV_SLOT_W    = 4,         // log2 of the frames of evidence kept per port
    parameter integer ALERT_BUCKETS = 1024,     // alert-stage state buckets (power of two) x ALERT_WAYS (1..8)
    parameter integer ALERT_WAYS   = 4,
    parameter integer REC_FIFO_W   = 5,         // log2 of the detection front's record FIFO depth
    parameter integer REC_CLOCKS   = 4,         // tw_engine small-FPGA options (docs/engine.md "Small configuration"):
    parameter integer NEVAL        = 64,        // clocks per record, rule evaluators, prefix and port scan units;
    parameter integer PFX_UNITS    = 0,         // the defaults are the reference engine
    parameter integer PRT_UNITS    = 0,
    parameter integer PFX_SEARCH   = 0,         // 1: prefixes as an interval table in block RAM (REG_CAP_PFX_IV 512)
    parameter integer TZSP_PER_STEP = 16,       // parser small-FPGA options (docs/parser.md): TZSP fields per
    parameter integer WIN_FETCH    = 0,         // clock, the window loaded 8 bytes a clock, and (needs
    parameter integer SLOT_RAM     = 0,         // WIN_FETCH) the head slots in block RAM
    parameter integer MERGE_FIFO_W = 5,         // log2 of the parsers' merge FIFO depth (records)
    parameter integer SHARE_PARSER = 0,         // 1 (with SLOT_RAM = 1): one parse engine for both ports
    parameter integer CNT_RAM      = 0,         // 1: the tap's statistics counters in distributed RAM, the detection
                                                // pipeline's 16 bits wide and extended to 64 (tw_detect CNT_W)
    parameter integer CLK_MHZ      = 125,
    parameter integer CLK_PERIOD_PS = 8000,
    parameter integer ERR_GAP      = 65536,
    parameter integer RX_TIMEOUT   = 131072,
    parameter integer MONITOR      = 0,         // 1: monitor-only whatever REG_CONTROL bit 0 says (a board top
                                                //    without transmitters)
    parameter integer EXT_CNT_N    = 0          // counters of the surrounding board top (its MAC statistics) at
                                                // CNT_MAC_BASE..+EXT_CNT_N-1: ext_cnt_data, one clock after
                                                // ext_cnt_addr as every block of the window; 0: they read 0
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         ft_clk,
    input  wire         ft_rst,

    input  wire [63:0]  s_axis_a_tdata,
    input  wire [7:0]   s_axis_a_tkeep,
    input  wire         s_axis_a_tvalid,
    output wire         s_axis_a_tready,
    input  wire         s_axis_a_tlast,
    input  wire         s_axis_a_tuser,
    input  wire [63:0]  s_axis_b_tdata,
    input  wire [7:0]   s_axis_b_tkeep,
    input  wire         s_axis_b_tvalid,
    output wire         s_axis_b_tready,
    input  wire         s_axis_b_tlast,
    input  wire         s_axis_b_tuser,
    output wire [63:0]  m_axis_a_tdata,
    output wire [7:0]   m_axis_a_tkeep,
    output wire         m_axis_a_tvalid,
    input  wire         m_axis_a_tready,
    output wire         m_axis_a_tlast,
    output wire         m_axis_a_tuser,
    output wire [63:0]  m_axis_b_tdata,
    output wire [7:0]   m_axis_b_tkeep,
    output wire         m_axis_b_tvalid,
    input  wire         m_axis_b_tready,
    output wire         m_axis_b_tlast,
    output wire         m_axis_b_tuser,

    // FT245 synchronous FIFO pins (ft_clk = the chip's CLKOUT)
    input  wire         ft_rxf_n,
    input  wire         ft_txe_n,
    input  wire [7:0]   ft_d_in,
    output wire [7:0]   ft_d_out,
    output wire         ft_d_oe,
    output wire         ft_rd_n,
    output wire         ft_wr_n,
    output wire         ft_oe_n,
    output wire         ft_siwu_n,

    // simulation time source and end of input
    input  wire         sim_ts_valid,
    input  wire [63:0]  sim_ts_ns,
    input  wire         flush_req,
    output wire         flush_busy,
    output wire         sim_hold,           // records wait for the detection pipeline: a simulation driver that
                                            // paces its input starts no new frame (a board's tap never waits)
    output wire         init_done,
    output wire         rx_overflow,

    // counters of the board top around it (EXT_CNT_N; a simulation top leaves ext_cnt_data unconnected)
    output wire [10:0]  ext_cnt_addr,
    input  wire [63:0]  ext_cnt_data
);

localparam integer REC_BYTES = 250;
localparam integer CNT_N = `TW_CNT_TOTAL;

// ---------------------------------------------------------------- link + register file
wire [REC_BYTES*8-1:0] rec_tdata;
wire [15:0]  rec_tuser;
wire         rec_tvalid;
wire         rec_room;
/* verilator lint_off UNUSEDSIGNAL */
wire         rec_tready;                    // always 1: the link drops and counts what does not fit
wire [31:0]  ctrl;                          // bits 0 (monitor) and 1 (flush)
wire         ext_req, ext_we;               // no external registers yet: the window reads 0
wire [15:0]  ext_addr;
wire [31:0]  ext_wdata;
/* verilator lint_on UNUSEDSIGNAL */
wire [31:0]  status;
wire [63:0]  time_ns;
wire [10:0]  cnt_addr;
reg  [63:0]  cnt_data;
wire         tbl_we, commit_stb;
wire [7:0]   tbl_id;
wire [15:0]  tbl_addr;
wire [31:0]  tbl_data, commit_mask;

// the tables' geometry for the host (REG_CAP_*_GEOM: {log2 buckets, ways}; the reference detector needs it)
localparam integer GEOM_SHIFT = `TW_GEOM_LOG2_SHIFT;
localparam integer CAP_FGEOM = ($clog2(FLOW_BUCKETS) << GEOM_SHIFT) | FLOW_WAYS;
localparam integer CAP_DGEOM = ($clog2(DIGEST_SETS) << GEOM_SHIFT) | DIGEST_WAYS;
localparam integer CAP_SGEOM = ($clog2(ALERT_BUCKETS) << GEOM_SHIFT) | ALERT_WAYS;
tw_link_top #(.REC_BYTES(REC_BYTES), .CAP_RULES(`TW_CAP_RULES), .CAP_FLOWS(FLOW_BUCKETS * FLOW_WAYS),
              .CAP_FLOW_GEOM(CAP_FGEOM), .CAP_DIGEST_GEOM(CAP_DGEOM), .CAP_STATE_GEOM(CAP_SGEOM),
              .CAP_HDR_BYTES(HDR_BYTES),
              .DATAPATH_W(64), .CLK_MHZ(CLK_MHZ), .CLK_PERIOD_PS(CLK_PERIOD_PS), .CNT_ADDR_W(11), .CNT_N(CNT_N),
              .ERR_GAP(ERR_GAP), .RX_TIMEOUT(RX_TIMEOUT), .CAP_PFX_IV(PFX_SEARCH != 0 ? `TW_PI_ENTRIES : 0)) link (
    .ft_clk(ft_clk), .ft_rst(ft_rst), .ft_rxf_n(ft_rxf_n), .ft_txe_n(ft_txe_n), .ft_d_in(ft_d_in),
    .ft_d_out(ft_d_out), .ft_d_oe(ft_d_oe), .ft_rd_n(ft_rd_n), .ft_wr_n(ft_wr_n), .ft_oe_n(ft_oe_n),
    .ft_siwu_n(ft_siwu_n),
    .clk(clk), .rst(rst),
    .s_axis_rec_tdata(rec_tdata), .s_axis_rec_tuser(rec_tuser), .s_axis_rec_tvalid(rec_tvalid),
    .s_axis_rec_tready(rec_tready), .s_axis_rec_room(rec_room),
    .ctrl(ctrl), .status(status), .time_ns(time_ns), .cnt_addr(cnt_addr), .cnt_data(cnt_data),
    .ext_req(ext_req), .ext_we(ext_we), .ext_addr(ext_addr), .ext_wdata(ext_wdata), .ext_rdata(32'd0),
    .tbl_we(tbl_we), .tbl_id(tbl_id), .tbl_addr(tbl_addr), .tbl_data(tbl_data),
    .commit_stb(commit_stb), .commit_mask(commit_mask), .rx_overflow(rx_overflow)
);

// ---------------------------------------------------------------- tap + parsers
wire [`TW_M_WIDTH-1:0] meta;
wire         meta_valid, meta_ready;
wire [63:0]  tp_cnt_data;
wire [63:0]  ts_ns = sim_ts_valid ? sim_ts_ns : time_ns;

tw_tap_parse_top #(.HDR_BYTES(HDR_BYTES), .TZSP_PER_STEP(TZSP_PER_STEP), .WIN_FETCH(WIN_FETCH),
                   .SLOT_RAM(SLOT_RAM), .MERGE_FIFO_W(MERGE_FIFO_W),
                   .SHARE_PARSER(SHARE_PARSER), .CNT_RAM(CNT_RAM)) tap_parse (
    .clk(clk), .rst(rst), .cfg_monitor(ctrl[0] || MONITOR != 0), .cfg_mtu(16'd9600), .cfg_l2tp_cookie(4'd0), .ts_ns(ts_ns),
    .s_axis_a_tdata(s_axis_a_tdata), .s_axis_a_tkeep(s_axis_a_tkeep), .s_axis_a_tvalid(s_axis_a_tvalid),
    .s_axis_a_tready(s_axis_a_tready), .s_axis_a_tlast(s_axis_a_tlast), .s_axis_a_tuser(s_axis_a_tuser),
    .s_axis_b_tdata(s_axis_b_tdata), .s_axis_b_tkeep(s_axis_b_tkeep), .s_axis_b_tvalid(s_axis_b_tvalid),
    .s_axis_b_tready(s_axis_b_tready), .s_axis_b_tlast(s_axis_b_tlast), .s_axis_b_tuser(s_axis_b_tuser),
    .m_axis_a_tdata(m_axis_a_tdata), .m_axis_a_tkeep(m_axis_a_tkeep), .m_axis_a_tvalid(m_axis_a_tvalid),
    .m_axis_a_tready(m_axis_a_tready), .m_axis_a_tlast(m_axis_a_tlast), .m_axis_a_tuser(m_axis_a_tuser),
    .m_axis_b_tdata(m_axis_b_tdata), .m_axis_b_tkeep(m_axis_b_tkeep), .m_axis_b_tvalid(m_axis_b_tvalid),
    .m_axis_b_tready(m_axis_b_tready), .m_axis_b_tlast(m_axis_b_tlast), .m_axis_b_tuser(m_axis_b_tuser),
    .m_meta_tdata(meta), .m_meta_tvalid(meta_valid), .m_meta_tready(meta_ready),
    .cnt_addr(cnt_addr[7:0]), .cnt_data(tp_cnt_data)
);

// ---------------------------------------------------------------- table loading
wire [2:0]   t_table;
wire [15:0]  t_index;
wire [`TW_RE_WIDTH-1:0] t_data;
wire         t_valid, t_ready;
/* verilator lint_off UNUSEDSIGNAL */
wire [`TW_ST_WIDTH-1:0] settings;           // evidence_bytes here; the rest is applied by the detection pipeline
/* verilator lint_on UNUSEDSIGNAL */
wire [63:0]  ld_words, ld_entries, ld_bad, ld_qdrop, ld_commits;

tw_tbl_load tbl_load (
    .clk(clk), .rst(rst),
    .tbl_we(tbl_we), .tbl_id(tbl_id), .tbl_addr(tbl_addr), .tbl_data(tbl_data),
    .commit_stb(commit_stb), .commit_mask(commit_mask),
    .m_tbl_table(t_table), .m_tbl_index(t_index), .m_tbl_data(t_data), .m_tbl_tvalid(t_valid),
    .m_tbl_tready(t_ready),
    .settings(settings),
    .cnt_words(ld_words), .cnt_entries(ld_entries), .cnt_bad(ld_bad), .cnt_qdrop(ld_qdrop), .cnt_commits(ld_commits)
);

// ---------------------------------------------------------------- detection
wire [`TW_AR_WIDTH-1:0] alert;
wire         alert_valid, alert_ready;
wire [32:0]  fin;
wire         fin_valid, fin_ready;
wire [`TW_FR_WIDTH-1:0] flow;
wire         flow_valid, flow_ready;
wire         rule_bank;
wire [63:0]  det_cnt_data, wb_drops, rule_cnt_data;

// REG_CONTROL's flush bit: its rising edge is a one-clock flush request
reg  ctrl_flush_q;
wire ctrl_flush = |(ctrl & `TW_CTRL_FLUSH) && !ctrl_flush_q;
always @(posedge clk) begin
    if (rst) ctrl_flush_q <= 1'b0;
    else     ctrl_flush_q <= |(ctrl & `TW_CTRL_FLUSH);
end

tw_detect #(.FLOW_BUCKETS(FLOW_BUCKETS), .FLOW_WAYS(FLOW_WAYS), .DIGEST_SETS(DIGEST_SETS),
            .DIGEST_WAYS(DIGEST_WAYS), .DIGEST_HASH_STEP(DIGEST_HASH_STEP), .FLOW_HOLD(FLOW_HOLD),
            .ALERT_BUCKETS(ALERT_BUCKETS), .ALERT_WAYS(ALERT_WAYS), .REC_FIFO_W(REC_FIFO_W),
            .REC_CLOCKS(REC_CLOCKS), .NEVAL(NEVAL), .PFX_UNITS(PFX_UNITS), .PRT_UNITS(PRT_UNITS),
            .PFX_SEARCH(PFX_SEARCH), .CNT_W(CNT_RAM != 0 ? 16 : 64)) detect (
    .clk(clk), .rst(rst),
    .s_meta_tdata(meta), .s_meta_tvalid(meta_valid), .s_meta_tready(meta_ready),
    .s_tbl_table(t_table), .s_tbl_index(t_index), .s_tbl_data(t_data), .s_tbl_tvalid(t_valid),
    .s_tbl_tready(t_ready), .rule_bank(rule_bank),
    .flush_req(flush_req || ctrl_flush), .flush_busy(flush_busy), .init_done(init_done),
    .m_alert_tdata(alert), .m_alert_tvalid(alert_valid), .m_alert_tready(alert_ready),
    .m_fin_tdata(fin), .m_fin_tvalid(fin_valid), .m_fin_tready(fin_ready),
    .m_flow_tdata(flow), .m_flow_tvalid(flow_valid), .m_flow_tready(flow_ready),
    .cnt_wb_drops(wb_drops), .cnt_addr(cnt_addr[4:0]), .cnt_data(det_cnt_data),
    .rule_cnt_addr(cnt_addr[9:0]), .rule_cnt_data(rule_cnt_data)
);

assign status = {29'd0, flush_busy, rule_bank, init_done};
assign sim_hold = meta_valid && !meta_ready;

// ---------------------------------------------------------------- evidence + records to the link
wire [63:0]  ev_stored, ev_drops, ev_missing, rec_alert, rec_flow;

tw_rec_out #(.NSLOT_W(EV_SLOT_W), .REC_BYTES(REC_BYTES)) rec_out (
    .clk(clk), .rst(rst),
    .a_tdata(s_axis_a_tdata), .a_tkeep(s_axis_a_tkeep), .a_beat(s_axis_a_tvalid && s_axis_a_tready),
    .a_tlast(s_axis_a_tlast),
    .b_tdata(s_axis_b_tdata), .b_tkeep(s_axis_b_tkeep), .b_beat(s_axis_b_tvalid && s_axis_b_tready),
    .b_tlast(s_axis_b_tlast),
    .evidence_bytes(settings[`TW_ST_EVIDENCE_BYTES]),
    .s_alert_tdata(alert), .s_alert_tvalid(alert_valid), .s_alert_tready(alert_ready),
    .s_fin_tdata(fin), .s_fin_tvalid(fin_valid), .s_fin_tready(fin_ready),
    .s_flow_tdata(flow), .s_flow_tvalid(flow_valid), .s_flow_tready(flow_ready),
    .m_rec_tdata(rec_tdata), .m_rec_tuser(rec_tuser), .m_rec_tvalid(rec_tvalid), .m_rec_room(rec_room),
    .cnt_ev_stored(ev_stored), .cnt_ev_drops(ev_drops), .cnt_ev_missing(ev_missing), .cnt_rec_alert(rec_alert),
    .cnt_rec_flow(rec_flow)
);

// ---------------------------------------------------------------- counter window (the select a clock after cnt_addr;
// the tap's counters answer three clocks after it: tw_regfile samples then)
reg [10:0] cnt_addr_q = 11'd0;
reg [63:0] own_q = 64'd0;
always @(posedge clk) begin
    cnt_addr_q <= cnt_addr;
    case (cnt_addr)
        `TW_CNT_EV_STORED:    own_q <= ev_stored;
        `TW_CNT_EV_DROPS:     own_q <= ev_drops;
        `TW_CNT_EV_MISSING:   own_q <= ev_missing;
        `TW_CNT_REC_ALERTS:   own_q <= rec_alert;
        `TW_CNT_REC_FLOWS:    own_q <= rec_flow;
        `TW_CNT_WB_DROPS:     own_q <= wb_drops;
        `TW_CNT_LD_WORDS:     own_q <= ld_words;
        `TW_CNT_LD_ENTRIES:   own_q <= ld_entries;
        `TW_CNT_LD_BAD:       own_q <= ld_bad;
        `TW_CNT_LD_QDROP:     own_q <= ld_qdrop;
        `TW_CNT_LD_COMMITS:   own_q <= ld_commits;
        default:              own_q <= 64'd0;
    endcase
end
localparam integer EXT_HI_I = `TW_CNT_MAC_BASE + EXT_CNT_N;
localparam [10:0] EXT_LO = `TW_CNT_MAC_BASE;
localparam [10:0] EXT_HI = EXT_HI_I[10:0];
assign ext_cnt_addr = cnt_addr;
always @* begin
    if (EXT_CNT_N > 0 && cnt_addr_q >= EXT_LO && cnt_addr_q < EXT_HI)
        cnt_data = ext_cnt_data;
    else if (cnt_addr_q >= 11'd`TW_CNT_RULE_BASE)
        cnt_data = rule_cnt_data;
    else if (cnt_addr_q < 11'd`TW_CNT_DET_BASE)
        cnt_data = tp_cnt_data;
    else if (cnt_addr_q < 11'd`TW_CNT_EV_BASE)
        cnt_data = det_cnt_data;
    else
        cnt_data = own_q;
end

endmodule

`resetall
