// tw_tbl_load: table loading for the device top. Assembles the host link's 32-bit table words (CMD_TABLE_WRITE:
// tbl_we/tbl_id/tbl_addr/tbl_data of tw_link_top) into the detection pipeline's wide entries and turns CMD_COMMIT
// into its commit command (docs/protocol.md "Table loading"):
//   table id T = the image's section id (1 SETTINGS, 2 OUI, 3 PREFIX, 4 PORT, 5 RULE) or 7 (the prefix interval
//   table of a PFX_SEARCH engine, contracts/pfx_iv_entry.def); an entry is its packed
//   contract vector cut into WPE = ceil(WIDTH / 32) little-endian words; word address = entry_index * WPE + i.
//   Word i lands in bits 32i+31..32i of one assembly register; the word with i = WPE - 1 issues the entry
//   {T, entry_index, assembled bits} (so the words of an entry are written lowest first, last word last).
//   COMMIT mask bit 5 (RULE) issues the commit command (table 6: swap the rule banks); the other tables apply each
//   entry at once, so their commit bits are only counted.
// Commands pass a small FIFO towards m_tbl (link words come at most one per 4 core clocks, the engine takes one
// command per clock unless a commit is being applied); a command that finds it full is dropped and counted, as is
// a word for an unknown table. A SETTINGS entry (index 0) is also kept here (settings: evidence bytes etc.).
// Entry index = word address / WPE, computed by multiplying with a constant reciprocal (exact for 16-bit addresses).
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_settings.vh"
`include "tw_oui_entry.vh"
`include "tw_prefix_entry.vh"
`include "tw_port_entry.vh"
`include "tw_rule_entry.vh"
`include "tw_pfx_iv_entry.vh"

module tw_tbl_load #(
    parameter Q_DEPTH_W = 3
) (
    input  wire                      clk,
    input  wire                      rst,
    // from tw_link_top
    input  wire                      tbl_we,
    input  wire [7:0]                tbl_id,
    input  wire [15:0]               tbl_addr,
    input  wire [31:0]               tbl_data,
    input  wire                      commit_stb,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [31:0]               commit_mask,     // bit 5 (RULE) only: the other tables apply at once
    /* verilator lint_on UNUSEDSIGNAL */
    // to the detection pipeline's table port
    output wire [2:0]                m_tbl_table,
    output wire [15:0]               m_tbl_index,
    output wire [`TW_RE_WIDTH-1:0]   m_tbl_data,
    output wire                      m_tbl_tvalid,
    input  wire                      m_tbl_tready,
    // the last SETTINGS entry written (reset: evidence_bytes 0, everything else 0)
    output reg  [`TW_ST_WIDTH-1:0]   settings = {`TW_ST_WIDTH{1'b0}},
    // counters
    output reg  [63:0]               cnt_words = 64'd0,    // table words received
    output reg  [63:0]               cnt_entries = 64'd0,  // entries issued
    output reg  [63:0]               cnt_bad = 64'd0,      // words for an unknown table (dropped)
    output reg  [63:0]               cnt_qdrop = 64'd0,    // commands dropped: command FIFO full
    output reg  [63:0]               cnt_commits = 64'd0   // CMD_COMMIT strobes
);

localparam integer RW = `TW_RE_WIDTH;
localparam integer NW = (RW + 31) / 32;                  // assembly register words
localparam integer WPE_ST = (`TW_ST_WIDTH + 31) / 32;
localparam integer WPE_OE = (`TW_OE_WIDTH + 31) / 32;
localparam integer WPE_PE = (`TW_PE_WIDTH + 31) / 32;
localparam integer WPE_PT = (`TW_PT_WIDTH + 31) / 32;
localparam integer WPE_RE = (`TW_RE_WIDTH + 31) / 32;
localparam integer WPE_PI = (`TW_PI_WIDTH + 31) / 32;
localparam [2:0] T_COMMIT = 3'd6;
localparam integer QW = 3 + 16 + RW;

// ---- entry index and word position: q = floor(a / d) = (a * M) >> S, S = 16 + ceil(log2 d), M = ceil(2^S / d) ----
function integer clog2i(input integer v);
    integer r;
    begin
        r = 0;
        while ((1 << r) < v)
            r = r + 1;
        clog2i = r;
    end
endfunction

function [15:0] div_const(input [15:0] a, input integer d);
    integer s;
    reg [63:0] m, p, dd;
    begin
        s = 16 + clog2i(d);
        dd = {32'd0, d};
        m = ((64'd1 << s) + dd - 64'd1) / dd;
        p = {48'd0, a} * m;
        div_const = p[s +: 16];
    end
endfunction

reg [15:0] q_w;
reg [4:0]  wpe_w;
reg        known_w;
always @* begin
    known_w = 1'b1;
    case (tbl_id)
        8'd1: begin q_w = div_const(tbl_addr, WPE_ST); wpe_w = WPE_ST[4:0]; end
        8'd2: begin q_w = div_const(tbl_addr, WPE_OE); wpe_w = WPE_OE[4:0]; end
        8'd3: begin q_w = div_const(tbl_addr, WPE_PE); wpe_w = WPE_PE[4:0]; end
        8'd4: begin q_w = div_const(tbl_addr, WPE_PT); wpe_w = WPE_PT[4:0]; end
        8'd5: begin q_w = div_const(tbl_addr, WPE_RE); wpe_w = WPE_RE[4:0]; end
        8'd7: begin q_w = div_const(tbl_addr, WPE_PI); wpe_w = WPE_PI[4:0]; end
        default: begin q_w = 16'd0; wpe_w = 5'd1; known_w = 1'b0; end
    endcase
end
wire [15:0] qd_w = q_w * {11'd0, wpe_w};
wire [15:0] wi_w = tbl_addr - qd_w;                      // word position in the entry
wire        last_w = wi_w[4:0] == wpe_w - 5'd1;

// ---- assembly ----
reg [NW*32-1:0] asm_reg = {(NW*32){1'b0}};
integer w;
always @(posedge clk) begin
    for (w = 0; w < NW; w = w + 1)
        if (tbl_we && known_w && wi_w == w[15:0])
            asm_reg[w*32 +: 32] <= tbl_data;
end
// the entry as it is complete with this word
/* verilator lint_off UNUSEDSIGNAL */
reg [NW*32-1:0] entry_w;                  // bits above the rule width: padding of the last word
/* verilator lint_on UNUSEDSIGNAL */
integer w2;
always @* begin
    entry_w = asm_reg;
    for (w2 = 0; w2 < NW; w2 = w2 + 1)
        if (wi_w == w2[15:0])
            entry_w[w2*32 +: 32] = tbl_data;
end

// ---- command FIFO ----
wire          issue_entry = tbl_we && known_w && last_w;
wire          issue_commit = commit_stb && commit_mask[5];
reg  [QW-1:0] q_in;
always @* begin
    if (issue_entry)
        q_in = {tbl_id[2:0], q_w, entry_w[RW-1:0]};
    else
        q_in = {T_COMMIT, 16'd0, {RW{1'b0}}};
end
wire          q_ready;
wire [QW-1:0] q_out;

tw_sync_fifo #(.WIDTH(QW), .DEPTH_W(Q_DEPTH_W)) cmd_q (
    .clk(clk), .rst(rst),
    .s_data(q_in), .s_valid(issue_entry || issue_commit), .s_ready(q_ready),
    .m_data(q_out), .m_valid(m_tbl_tvalid), .m_ready(m_tbl_tready)
);

assign m_tbl_table = q_out[QW-1 -: 3];
assign m_tbl_index = q_out[RW +: 16];
assign m_tbl_data = q_out[RW-1:0];

// an entry and a commit on the same clock cannot happen (one command executes at a time); if they did, the commit
// would be the one dropped and counted
always @(posedge clk) begin
    if (tbl_we) cnt_words <= cnt_words + 64'd1;
    if (tbl_we && !known_w) cnt_bad <= cnt_bad + 64'd1;
    if (issue_entry && q_ready) cnt_entries <= cnt_entries + 64'd1;
    if ((issue_entry || issue_commit) && !q_ready) cnt_qdrop <= cnt_qdrop + 64'd1;
    else if (issue_entry && issue_commit) cnt_qdrop <= cnt_qdrop + 64'd1;
    if (commit_stb) cnt_commits <= cnt_commits + 64'd1;
    if (issue_entry && tbl_id == 8'd1 && q_w == 16'd0)
        settings <= entry_w[`TW_ST_WIDTH-1:0];
    if (rst) begin
        cnt_words <= 64'd0;
        cnt_entries <= 64'd0;
        cnt_bad <= 64'd0;
        cnt_qdrop <= 64'd0;
        cnt_commits <= 64'd0;
        settings <= {`TW_ST_WIDTH{1'b0}};
    end
end

endmodule

`resetall
