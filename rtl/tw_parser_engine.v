// tw_parser_engine: the sequential header parser of one port (docs/parser.md, the same rules as the C reference
// host/src/dissect.c). It walks the oldest head slot of tw_parser_capture one header per clock through a 64-byte
// window (win = slot >> off*8) and builds the record of contracts/meta.def; when the frame has ended it emits the
// record on m_rec (valid/ready) and releases the slot.
//
// Steps (one clock each): L2 (Ethernet + both VLAN tags + the whole MPLS stack), IP (IPv4 with its checksum, or the
// IPv6 base header), each IPv6 extension header, L4 (TCP/UDP/SCTP/ICMP, l3_head, and the whole tunnel header:
// GRE + ERSPAN II/III, L2TPv3, VXLAN, Geneve, GTP-U base, TZSP base), each GTP-U extension header (plus one clock
// for an extension longer than the window), TZSP tagged fields (up to TZSP_PER_STEP a clock), then the inner L2,
// IP, extension and L4 steps, then EMIT (one clock, or until the frame ends / the merge takes the record).
// WIN_FETCH = 1 (small FPGAs): the window is a register loaded 8 bytes a clock before each step (9 clocks), instead
// of the shifter over the whole slot; the steps and the records are the same (docs/parser.md).
// SLOT_RAM = 1 (with WIN_FETCH = 1): the slots are a block RAM in the capture; the window's words come through
// rd_addr / rd_word with one clock of read latency (10 load clocks, then the header's clock); SLOT_RAM = 2: two
// clocks (the RAM's output registered; 11 load clocks).
// SHARED = 1 (with SLOT_RAM = 1; tw_parser_pair): one engine for the captures of both ports. The engine keeps a slot
// counter per port (rd_slot port A's, rd_slot_b port B's: each capture reads its own) and reads port rd_port (its
// rd_* inputs are that capture's); oth_ready says the other port's oldest frame has ended. A frame is started only
// when it has ended (rd_done: the record leaves right after the last step, so a long frame never holds the other port
// up); the engine moves to the other port when it is idle and its own port has no ended frame (or, the clock after a
// record left, has not been seen to have one), or after each record when the other port has one (the two alternate
// under load). The record's port bit is rd_port; rec_port goes with
// rec_pulse / err_pulse.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"

module tw_parser_engine #(
    parameter HDR_BYTES = 256,
    parameter SLOT_W = 2,
    parameter PORT = 0,
    parameter TZSP_PER_STEP = 16,
    parameter WIN_FETCH = 0,            // 0: the window is a shifter of the slot (a header per clock); 1: a register
                                        // loaded 8 bytes a clock (9 clocks, then the header's clock)
    parameter SLOT_RAM = 0,             // 1 (needs WIN_FETCH = 1): slot words read from the capture's RAM through
                                        // rd_addr / rd_word, one clock later (10 load clocks); rd_data unused;
                                        // 2: two clocks later (the RAM's output registered, 11 load clocks)
    parameter SHARED = 0,               // 1 (needs SLOT_RAM = 1): both ports' captures, above
    parameter META_WIDTH = `TW_M_WIDTH
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire [15:0]            cfg_mtu,
    input  wire [3:0]             cfg_l2tp_cookie,

    // the head slot being parsed (tw_parser_capture)
    output wire [SLOT_W-1:0]      rd_slot,
    input  wire [HDR_BYTES*8-1:0] rd_data,      // SLOT_RAM = 0: the whole slot
    output wire [SLOT_W+$clog2(HDR_BYTES/8)-1:0] rd_addr,  // SLOT_RAM = 1: {slot, word} to read
    input  wire [63:0]            rd_word,      // SLOT_RAM = 1 (2): the word at rd_addr one (two) clocks before
    input  wire                   rd_valid,
    input  wire                   rd_hdr,
    input  wire                   rd_done,
    input  wire [23:0]            rd_len,
    input  wire                   rd_user,
    input  wire [63:0]            rd_ts,
    input  wire [31:0]            rd_fseq,
    output wire                   rd_free,
    // SHARED = 1: the port read, port B's slot (rd_slot is port A's), and whether the other port's slot holds an
    // ended frame
    output wire                   rd_port,
    output wire [SLOT_W-1:0]      rd_slot_b,
    input  wire                   oth_ready,

    // records
    output wire [META_WIDTH-1:0]  m_rec,
    output wire                   m_valid,
    input  wire                   m_ready,

    // statistics: one clock after each record leaves
    output reg                    rec_pulse = 1'b0,
    output reg  [`TW_ERR_COUNT-1:0] err_pulse = {`TW_ERR_COUNT{1'b0}},
    output reg                    rec_port = 1'b0     // the port of that record (SHARED = 1; else PORT)
);

localparam WIN = 64;                                  // window bytes
localparam HS = `TW_M_O_L2_LSB;                       // one header stack (layer hdr), outer positions
localparam HE = `TW_M_O_ICMP_CODE_LSB + `TW_M_O_ICMP_CODE_W - 1;
localparam HW = HE - HS + 1;
localparam TS = `TW_M_TUN_KIND_LSB;                   // tunnel fields (tun_kind .. geneve_opt)
localparam TE = `TW_M_INNER_LSB - 1;

localparam [3:0] ST_L2 = 4'd0, ST_IP = 4'd1, ST_EXT = 4'd2, ST_L4 = 4'd3, ST_GTPX = 4'd4, ST_GTPT = 4'd5,
                 ST_TZSP = 4'd6, ST_EMIT = 4'd7;
localparam [1:0] IP_ANY = 2'd0, IP_V4 = 2'd1, IP_V6 = 2'd2;

initial begin
    if (META_WIDTH != `TW_M_WIDTH || `TW_M_I_L2_LSB + HW != `TW_M_WIDTH || `TW_M_INNER_LSB + 1 != `TW_M_I_L2_LSB) begin
        $display("tw_parser_engine: record layout does not match contracts/meta.def");
        $finish;
    end
    if (HDR_BYTES < WIN || HDR_BYTES > 256) begin
        $display("tw_parser_engine: HDR_BYTES must be within 64..256");
        $finish;
    end
    if (SLOT_RAM > 2) begin
        $display("tw_parser_engine: SLOT_RAM is 0, 1 or 2");
        $finish;
    end
    if (SLOT_RAM != 0 && WIN_FETCH == 0) begin
        $display("tw_parser_engine: SLOT_RAM = 1 needs WIN_FETCH = 1");
        $finish;
    end
    if (SHARED != 0 && SLOT_RAM == 0) begin
        $display("tw_parser_engine: SHARED = 1 needs SLOT_RAM = 1");
        $finish;
    end
end

// ---------------------------------------------------------------- state
reg [3:0]        state_q = ST_L2;
reg              lvl_q = 1'b0;          // 0 outer, 1 inner
// two tests of the state as flags, written with state_q and lvl_q (timing: they enable the window's 512 flip-flops
// through the load, and the port swap): state_q == ST_EMIT, and a frame's first step (ST_L2 at the outer level)
reg              st_emit_q = 1'b0;
reg              st_first_q = 1'b1;
reg  [8:0]       offp1_q = 9'd1;        // off_q + 1, written with off_q (timing: no adder in the step's next offset)
reg [8:0]        off_q = 9'd0;          // window offset in the frame
reg [SLOT_W-1:0] slot_q = {SLOT_W{1'b0}};
reg              mpls_start_q = 1'b0;   // ST_L2 starts at an MPLS stack (GRE 0x8847), not Ethernet
reg [1:0]        ipexp_q = IP_ANY;      // ST_IP: expected version
reg [15:0]       pay_q = 16'd0;         // IP payload bytes per the length fields, after the headers so far
reg [7:0]        gnxt_q = 8'd0;         // GTP-U: next extension header type
reg [HE:HS]      hdr_o_q;
reg [HE:HS]      hdr_i_q;
reg [TE:TS]      tun_q;
reg [9:0]        err_q = 10'd0;
reg [17:0]       claim_o_q = 18'd0;     // outer IP: header offset + the length its fields claim (ERR_IPLEN at EMIT)
reg              claim_o_v_q = 1'b0;
reg [17:0]       claim_i_q = 18'd0;
reg              claim_i_v_q = 1'b0;

// SHARED = 1: port_q is the port read, slot_q port A's slot counter, slot_b_q port B's (a swap only changes the
// port: timing, each capture's slot select is a register's, not behind the port); SHARED = 0: slot_q is the slot
reg              port_q = 1'b0;
reg [SLOT_W-1:0] slot_b_q = {SLOT_W{1'b0}};
wire             on_b = (SHARED != 0) && port_q;
wire [SLOT_W-1:0] slot_cur = on_b ? slot_b_q : slot_q;  // the slot read
wire             unused_slot_cur = &{1'b0, slot_cur};   // read only with the slots in block RAM
assign rd_slot = slot_q;
assign rd_port = (SHARED != 0) ? port_q : PORT[0];
assign rd_slot_b = slot_b_q;
// a frame may be started: its head is complete (SHARED: the frame has ended). SHARED = 1: registered for the window
// load and the first step (timing: the port and slot select of the descriptor, then the load's enables, were the
// Colorlight parser build's core path, 10.52 ns), and cleared the clock after the slot or the port changes, so it
// never says ready for a slot it was not computed for; a frame's first load starts a clock later. The swap between
// ports reads it too (below).
wire cur_ready_c = rd_valid && ((SHARED != 0) ? rd_done : rd_hdr);
reg  cur_ready_q = 1'b0;
wire cur_ready = (SHARED != 0) ? cur_ready_q : cur_ready_c;
// the frame being parsed has ended (SHARED: always, it was started only then)
wire ended = (SHARED != 0) ? 1'b1 : rd_done;

// ---------------------------------------------------------------- window
localparam [23:0] HDR_LEN = HDR_BYTES[23:0];
wire [8:0] avail_c = rd_done ? ((rd_len < HDR_LEN) ? rd_len[8:0] : HDR_BYTES[8:0]) : HDR_BYTES[8:0];
// WIN_FETCH = 1: avail and rem registered, each a clock (timing: the descriptor read, avail and the subtraction
// were a 41 ns path into the steps on the ECP5; then, in the Colorlight's tap, the port's descriptor select and
// avail's compare ahead of the subtraction were its core path at 87.5 MHz). Exact: the steps read rem (and hv,
// a clock later) from the load's seventh clock on, at least 9 clocks after the last change of off_q (the previous
// step) or of the descriptors (the frame's start, a port swap), and avail is constant while a frame is parsed
// (its first load waits for cur_ready: the head complete, so avail is HDR_BYTES unless the frame ended, and
// SHARED starts only ended frames).
// SHARED = 1: from the registered descriptor instead (dsc_len_q, below; two clocks behind the select, where the
// first load starts a clock after a slot or port change at the earliest: cur_ready_q), and the frame has ended.
reg  [8:0]  avail_q = 9'd0;
wire [23:0] dsc_len;
always @(posedge clk)
    if (SHARED != 0) avail_q <= (dsc_len < HDR_LEN) ? dsc_len[8:0] : HDR_BYTES[8:0];
    else avail_q <= avail_c;
wire [8:0]  avail = (WIN_FETCH != 0) ? avail_q : avail_c;
wire [12:0] rem_c = {4'd0, avail} - {4'd0, off_q};          // bytes present from off_q on (off_q <= avail)
reg  [12:0] rem_q = 13'd0;
always @(posedge clk) rem_q <= rem_c;
wire [12:0] rem = (WIN_FETCH != 0) ? rem_q : rem_c;
// hv[n]: rem >= n for the constant lengths 0..64 the steps check (HAVEC); WIN_FETCH = 1: compared on rem_q and
// registered, a clock after rem_q (exact for the same reason: the step is 9 clocks or more after its inputs change)
// (timing: a compare per constant, none behind an adder; the MPLS labels' checks select among them; in the
// Colorlight's tap the descriptors' port select, avail and rem into these compares was a 16 ns path)
reg  [64:0] hv_c;
reg  [64:0] hv_q = 65'd0;
integer     hj;
always @* for (hj = 0; hj <= 64; hj = hj + 1) hv_c[hj] = (rem >= hj[12:0]);
always @(posedge clk) hv_q <= hv_c;
wire [64:0] hv = (WIN_FETCH != 0) ? hv_q : hv_c;
wire        unused_hv = &{1'b0, hv};     // the lengths no step checks
wire [WIN*8-1:0] win;                   // the bytes from off_q on (g_win_shift / g_win_fetch below)
wire             win_ok;                // the window holds them: a step may be taken

// window bytes: i is a 6-bit byte index (no 512-bit function arguments: they make synthesis slow)
`define BT(i) win[{(i), 3'b000} +: 8]
`define BT16(i) {`BT(i), `BT((i) + 6'd1)}
`define BT32(i) {`BT16(i), `BT16((i) + 6'd2)}
function is_tpid(input [15:0] t);
    is_tpid = (t == 16'h8100) || (t == 16'h88A8) || (t == 16'h9100);
endfunction
function [1:0] tpid_code(input [15:0] t);
    tpid_code = (t == 16'h88A8) ? `TW_TPID_88A8 : (t == 16'h9100) ? `TW_TPID_9100 : `TW_TPID_8100;
endfunction
function is_ext6(input [7:0] nh);
    is_ext6 = (nh == 8'd0) || (nh == 8'd43) || (nh == 8'd44) || (nh == 8'd60) || (nh == 8'd51);
endfunction
function is_tport(input [15:0] p);
    is_tport = (p == 16'd4789) || (p == 16'd8472) || (p == 16'd6081) || (p == 16'd2152) || (p == 16'd37008);
endfunction

// ---------------------------------------------------------------- the IPv4 header checksum
// ck_sum: the sum of the window's first 2 * IHL 16-bit words (IHL the low nibble of window byte 0), before folding;
// ck_sum_ok: it folds to 0xFFFF (ones' complement), that is, it is a non-zero multiple of 0xFFFF: below 2^21,
// 0xFFFF * k = (k - 1) * 2^16 + (2^16 - k) for k = 1..32, so the low 16 bits are the complement of the high 5
// (timing: one compare instead of the two folding adds, the Colorlight parser build's 8.9 ns path into the record;
// the two forms agree on all 2^21 sums, checked exhaustively when this was written; ipv4_csum_each_ihl has sums
// past 2^20). WIN_FETCH = 0 (g_win_shift): an adder tree over the window, five adds deep, not a chain of thirty
// (the chain was a 92 ns path on the ECP5, docs/parser.md "Timing"), used by the step.
// WIN_FETCH = 1 (g_win_fetch): accumulated while the window loads, four words a clock, complete a clock after the
// window; the step marks its IPv4 header (ck_use) and the commit applies the verdict (c_hd, c_er below).
wire [20:0] ck_sum;
wire        ck_sum_ok = (ck_sum[15:0] == ~{11'd0, ck_sum[20:16]});
wire        ck_ok_step = (WIN_FETCH != 0) ? 1'b1 : ck_sum_ok;

// ---------------------------------------------------------------- ST_L2's decisions (stages A1, A2)
// The Ethernet / VLAN / MPLS step's chain of decisions (each tag's TPID test behind the last, then the labels'
// bottom bits and the byte after the stack at the offset the tags give) in two registered stages ahead of the
// step (WIN_FETCH = 1), so that the step (ST_L2, below) only writes the fields they select:
//   A1: the three TPID tests and ethertype classes (bytes 12, 16, 20), and the MPLS stack's outcome at each of the
//       four offsets a stack can start at (0 after GRE, 14, 18, 22: labels, errors, next header; mpls_dec);
//   A2: the offset the tags give, and that offset's stack outcome.
// Exact: the window's words are written in order, one a clock, and A1 reads bytes 0..38 only (words 0..4), which are
// in the window from three clocks before the last word (word 7) is; A1 is registered two clocks and A2 one clock
// before the step's result (s_*), so both hold this window's decisions when it is taken. Their other inputs (hv,
// mpls_start_q) change only at a step. WIN_FETCH = 0: the same logic, not registered (a step a clock).
// mpls_dec: a stack at offset p: sb[k] the bottom-of-stack bit of label k (at p + 4k), nib[4k +: 4] the high
// nibble of the byte at p + 4k + 4, mh[k] = HAVE(p + 4k + 4), mh1[k] = HAVE(p + 4k + 5);
// returns {labels (3), TRUNC, DEEP, next (2: 0 stop, 1 IPv4, 2 IPv6), control word}
function [7:0] mpls_dec(input [3:0] sb, input [15:0] nib, input [3:0] mh, input [3:0] mh1);
    reg       d_ok, d_done, d_tr, d_dp, d_cw;
    reg [2:0] d_mn;
    reg [1:0] d_nx;
    reg [3:0] d_b;
    integer   d;
    begin
        d_ok = 1'b1; d_done = 1'b0; d_tr = 1'b0; d_dp = 1'b0; d_cw = 1'b0; d_mn = 3'd0; d_nx = 2'd0; d_b = 4'd0;
        for (d = 0; d < 4; d = d + 1) begin
            if (d_ok && !d_done) begin
                if (!mh[d]) begin
                    d_tr = 1'b1; d_ok = 1'b0;
                end else begin
                    d_mn = d_mn + 3'd1;
                    if (sb[d]) d_done = 1'b1;
                end
            end
        end
        if (d_ok && !d_done) begin
            d_dp = 1'b1; d_ok = 1'b0;
        end
        if (d_ok) begin
            if (!mh1[d_mn[1:0] - 2'd1]) begin
                d_tr = 1'b1;
            end else begin
                d_b = nib[{d_mn[1:0] - 2'd1, 2'b00} +: 4];
                if (d_b == 4'd4) d_nx = 2'd1;
                else if (d_b == 4'd6) d_nx = 2'd2;
                else if (d_b == 4'd0) d_cw = 1'b1;
            end
        end
        mpls_dec = {d_mn, d_tr, d_dp, d_nx, d_cw};
    end
endfunction
// ethertype class: {MPLS, IPv4, IPv6}
function [2:0] ty_class(input [15:0] t);
    ty_class = {t == 16'h8847 || t == 16'h8848, t == 16'h0800, t == 16'h86DD};
endfunction
localparam Q1W = 3 + 9 + 4 * 8;
wire [Q1W-1:0] a1_all;
genvar a1p;
generate
for (a1p = 0; a1p < 4; a1p = a1p + 1) begin : g_a1
    localparam integer P = (a1p == 0) ? 0 : 10 + 4 * a1p;        // 0, 14, 18, 22
    assign a1_all[12 + a1p*8 +: 8] = mpls_dec(
        {win[(P+14)*8], win[(P+10)*8], win[(P+6)*8], win[(P+2)*8]},
        {win[(P+16)*8+4 +: 4], win[(P+12)*8+4 +: 4], win[(P+8)*8+4 +: 4], win[(P+4)*8+4 +: 4]},
        {hv[P+16], hv[P+12], hv[P+8], hv[P+4]}, {hv[P+17], hv[P+13], hv[P+9], hv[P+5]});
end
endgenerate
assign a1_all[0 +: 12] = {is_tpid(`BT16(6'd12)), is_tpid(`BT16(6'd16)), is_tpid(`BT16(6'd20)),
                          ty_class(`BT16(6'd12)), ty_class(`BT16(6'd16)), ty_class(`BT16(6'd20))};
reg  [Q1W-1:0] a1_q = {Q1W{1'b0}};
always @(posedge clk) a1_q <= a1_all;
wire [Q1W-1:0] q1 = (WIN_FETCH != 0) ? a1_q : a1_all;
wire           q1_t12 = q1[11], q1_t16 = q1[10], q1_t20 = q1[9];
wire [2:0]     q1_c12 = q1[6 +: 3], q1_c16 = q1[3 +: 3], q1_c20 = q1[0 +: 3];
// A2
reg [1:0]   a2_vn, a2_nx, a2_pc;
reg         a2_trunc, a2_deep, a2_mpls, a2_cw, a2_ok;
reg [2:0]   a2_mn, a2_cls;
reg [5:0]   a2_p;
reg [7:0]   a2_md;
always @* begin
    a2_vn = 2'd0; a2_nx = 2'd0; a2_pc = 2'd0; a2_trunc = 1'b0; a2_deep = 1'b0; a2_mpls = 1'b0; a2_cw = 1'b0;
    a2_ok = 1'b1; a2_mn = 3'd0; a2_cls = 3'd0; a2_p = 6'd0; a2_md = 8'd0;
    if (!mpls_start_q) begin
        if (!hv[14]) begin
            a2_trunc = 1'b1; a2_ok = 1'b0;
        end else begin
            a2_pc = 2'd1; a2_p = 6'd14; a2_cls = q1_c12;
            if (q1_t12) begin
                if (!hv[18]) begin
                    a2_trunc = 1'b1; a2_ok = 1'b0;
                end else begin
                    a2_vn = 2'd1; a2_pc = 2'd2; a2_p = 6'd18; a2_cls = q1_c16;
                    if (q1_t16) begin
                        if (!hv[22]) begin
                            a2_trunc = 1'b1; a2_ok = 1'b0;
                        end else begin
                            a2_vn = 2'd2; a2_pc = 2'd3; a2_p = 6'd22; a2_cls = q1_c20;
                            if (q1_t20) begin
                                a2_deep = 1'b1; a2_ok = 1'b0;
                            end
                        end
                    end
                end
            end
        end
    end else begin
        a2_cls = 3'b100;                // MPLS
    end
    if (a2_ok) begin
        if (a2_cls[2]) begin
            a2_mpls = 1'b1;
            a2_md = q1[12 + a2_pc*8 +: 8];
            a2_mn = a2_md[7:5];
            a2_trunc = a2_md[4];
            a2_deep = a2_md[3];
            a2_nx = a2_md[2:1];
            a2_cw = a2_md[0];
            a2_p = a2_p + {1'b0, a2_mn, 2'b00};
        end else if (a2_cls[1]) begin
            a2_nx = 2'd1;
        end else if (a2_cls[0]) begin
            a2_nx = 2'd2;
        end
    end
end
localparam Q2W = 2 + 1 + 1 + 1 + 1 + 3 + 2 + 2 + 6;
wire [Q2W-1:0] a2_all = {a2_vn, a2_trunc, a2_deep, a2_mpls, a2_cw, a2_mn, a2_nx, a2_pc, a2_p};
reg  [Q2W-1:0] a2_q = {Q2W{1'b0}};
always @(posedge clk) a2_q <= a2_all;
wire [1:0]  q2_vn, q2_nx, q2_pc;
wire        q2_trunc, q2_deep, q2_mpls, q2_cw;
wire [2:0]  q2_mn;
wire [5:0]  q2_adv;                     // the bytes to the next header: tags, labels
assign {q2_vn, q2_trunc, q2_deep, q2_mpls, q2_cw, q2_mn, q2_nx, q2_pc, q2_adv} = (WIN_FETCH != 0) ? a2_q : a2_all;

// ---------------------------------------------------------------- ST_L4's head length
// The bytes of the L3 payload the record keeps (l3_head): min(rem, the IP payload's length when below 4096, 16),
// and the mask of those bytes, as min(min(rem, 16), min(payload, 16)) and the AND of the two masks. From rem and
// pay_q only, which change at a step (rem a clock later) and not during the window's load, so registered in two
// stages (WIN_FETCH = 1) they hold the step's values from the load's fourth clock on (timing: the 13-bit compares
// and the mask were in the step, then one clock behind rem).
wire [4:0]  hr_c = hv[16] ? 5'd16 : rem[4:0];                            // min(rem, 16)
wire [4:0]  hp_c = (pay_q >= 16'd16) ? 5'd16 : pay_q[4:0];             // min(payload, 16), 16 at 4096 and above
reg  [15:0] hrm_c, hpm_c;
integer     hk;
always @* begin
    for (hk = 0; hk < 16; hk = hk + 1) begin
        hrm_c[hk] = (hk[4:0] < hr_c);
        hpm_c[hk] = (hk[4:0] < hp_c);
    end
end
reg  [4:0]  hr_q = 5'd0, hp_q = 5'd0;
reg  [15:0] hrm_q = 16'd0, hpm_q = 16'd0;
always @(posedge clk) begin
    hr_q <= hr_c;
    hp_q <= hp_c;
    hrm_q <= hrm_c;
    hpm_q <= hpm_c;
end
wire [4:0]  hr = (WIN_FETCH != 0) ? hr_q : hr_c;
wire [4:0]  hp = (WIN_FETCH != 0) ? hp_q : hp_c;
wire [4:0]  hn_c = (hr < hp) ? hr : hp;
wire [15:0] hm_c = ((WIN_FETCH != 0) ? hrm_q : hrm_c) & ((WIN_FETCH != 0) ? hpm_q : hpm_c);
reg  [4:0]  hn_q = 5'd0;
reg  [15:0] hm_q = 16'd0;
always @(posedge clk) begin
    hn_q <= hn_c;
    hm_q <= hm_c;
end
wire [4:0]  q_hn = (WIN_FETCH != 0) ? hn_q : hn_c;
wire [15:0] q_hm = (WIN_FETCH != 0) ? hm_q : hm_c;

// ---------------------------------------------------------------- ST_L4's decisions (stage A4)
// The L4 step's tests of window bytes and of the IP header's protocol (its class compares, the tunnel port, the GRE
// flags' header length and its checks, ERSPAN III's subheader, Geneve's options against rem, the GTP-U flags),
// registered (WIN_FETCH = 1) so that the step only follows them. Exact for the same reason as A1: A4 reads window
// bytes 0..27 (words 0..3) and its other inputs (the header stack, lvl_q, hv, rem, cfg_l2tp_cookie) change at a
// step or not at all, so the register holds this window's tests from the clock before the step's result on.
// the header stack's protocol and fragment offset (ST_L4 is never a frame's first step)
wire [7:0]   a4_nh = lvl_q ? hdr_i_q[`TW_M_O_IP_PROTO] : hdr_o_q[`TW_M_O_IP_PROTO];
wire [12:0]  a4_fo = lvl_q ? hdr_i_q[`TW_M_O_IP_FRAGOFF] : hdr_o_q[`TW_M_O_IP_FRAGOFF];
wire [15:0]  a4_w0 = `BT16(6'd0), a4_w2 = `BT16(6'd2);
wire [1:0]   a4_gn = {1'b0, a4_w0[15]} + {1'b0, a4_w0[13]} + {1'b0, a4_w0[12]};   // GRE: (header length - 4) / 4
reg  [3:0]   a4_u0, a4_f0, a4_f2, a4_h2;                 // ERSPAN III at each of the four GRE lengths
reg  [23:0]  a4_hl;                                      // [6k +: 6] at GRE length 4 + 4k
integer      a4k;
always @* begin
    for (a4k = 0; a4k < 4; a4k = a4k + 1) begin
        // the subheader bit (byte ge + 11 bit 0) and the frame type (ge + 10), ge = 4 + 4k
        a4_u0[a4k] = win[(a4k * 4 + 15) * 8];
        a4_f0[a4k] = (win[(a4k * 4 + 14) * 8 + 2 +: 5] == 5'd0);
        a4_f2[a4k] = (win[(a4k * 4 + 14) * 8 + 2 +: 5] == 5'd2);
        a4_hl[a4k*6 +: 6] = 6'd4 + a4k[5:0] * 6'd4 + (a4_u0[a4k] ? 6'd20 : 6'd12);
        a4_h2[a4k] = a4_u0[a4k] ? hv[a4k * 4 + 24] : hv[a4k * 4 + 16];
    end
end
localparam Q4W = 9 + 12 + 9 + 5 + 13 + 4 + 2;     // the groups below, in order
wire [Q4W-1:0] a4_all = {
    // the protocol's classes, the fragment test
    a4_nh == 8'd6, a4_nh == 8'd17, a4_nh == 8'd132, a4_nh == 8'd1 || a4_nh == 8'd58, a4_nh == 8'd47,
    a4_nh == 8'd4 || a4_nh == 8'd41, a4_nh == 8'd115,
    a4_nh == 8'd4, a4_fo == 13'd0,
    // GRE: flags, protocol class, (header length - 4) / 4, rem against the header length (+ 8 for ERSPAN II,
    // + 12 for ERSPAN III)
    a4_w2 == 16'h88BE, a4_w2 == 16'h22EB, a4_w2 == 16'h6558, a4_w2 == 16'h0800, a4_w2 == 16'h86DD,
    a4_w2 == 16'h8847,
    a4_w0[2:0] == 3'd0, a4_gn, hv[{3'd0, a4_gn, 2'b00} + 7'd4], hv[{3'd0, a4_gn, 2'b00} + 7'd12],
    hv[{3'd0, a4_gn, 2'b00} + 7'd16],
    // ERSPAN III: rem against the header with the subheader, frame type 0 or 2, the next header's offset
    a4_h2[a4_gn], a4_f0[a4_gn], a4_f2[a4_gn], a4_hl[{1'b0, a4_gn, 2'b00} + {2'b0, a4_gn, 1'b0} +: 6],
    // UDP: the tunnel port (destination first: VXLAN, Geneve, GTP-U, TZSP); L2TPv3
    is_tport(a4_w2) ? {a4_w2 == 16'd4789 || a4_w2 == 16'd8472, a4_w2 == 16'd6081, a4_w2 == 16'd2152,
                       a4_w2 == 16'd37008} :
    is_tport(a4_w0) ? {a4_w0 == 16'd4789 || a4_w0 == 16'd8472, a4_w0 == 16'd6081, a4_w0 == 16'd2152,
                       a4_w0 == 16'd37008} : 4'd0,
    `BT32(6'd0) != 32'd0,
    // Geneve: rem >= 16 + 4 * options, as rem / 4 >= options + 4; the header's length; the protocol's class
    ({2'd0, rem[12:2]} >= {7'd0, win[8*8 +: 6]} + 13'd4), 9'd16 + {1'b0, win[8*8 +: 6], 2'b00},
    `BT16(6'd10) == 16'h6558, `BT16(6'd10) == 16'h0800, `BT16(6'd10) == 16'h86DD,
    // GTP-U: version 1 and PT, any of E/S/PN, a next extension type (E and byte 19 not 0), message type 255;
    // TZSP version 1; L2TPv3: rem >= 4 + the cookie
    win[8*8+5 +: 3] == 3'd1 && win[8*8+4], win[8*8 +: 3] != 3'd0, win[8*8+2] && `BT(6'd19) != 8'd0,
    `BT(6'd9) == 8'd255,
    `BT(6'd8) == 8'd1, hv[{3'd0, cfg_l2tp_cookie} + 7'd4]};
reg  [Q4W-1:0] a4_q = {Q4W{1'b0}};
always @(posedge clk) a4_q <= a4_all;
wire         q4_nh_tcp, q4_nh_udp, q4_nh_sctp, q4_nh_icmp, q4_nh_gre, q4_nh_ipip, q4_nh_l2tp, q4_nh_4, q4_frag0;
wire         q4_gp_e2, q4_gp_e3, q4_gp_teb, q4_gp_v4, q4_gp_v6, q4_gp_mp, q4_gf0, q4_ghave, q4_e2have, q4_e3have;
wire         q4_e3h2, q4_e3ft0, q4_e3ft2, q4_vx, q4_gen, q4_gtp, q4_tz, q4_l2nz, q4_gen_ok;
wire         q4_gen_teb, q4_gen_v4, q4_gen_v6, q4_gtp_v, q4_gtp_e, q4_gtp_nz, q4_gtp_t255, q4_tz1, q4_l2have;
wire [1:0]   q4_gn;
wire [5:0]   q4_e3hl;
wire [8:0]   q4_gen_adv;
assign {q4_nh_tcp, q4_nh_udp, q4_nh_sctp, q4_nh_icmp, q4_nh_gre, q4_nh_ipip, q4_nh_l2tp, q4_nh_4, q4_frag0,
        q4_gp_e2, q4_gp_e3, q4_gp_teb, q4_gp_v4, q4_gp_v6, q4_gp_mp, q4_gf0, q4_gn, q4_ghave, q4_e2have, q4_e3have,
        q4_e3h2, q4_e3ft0, q4_e3ft2, q4_e3hl, q4_vx, q4_gen, q4_gtp, q4_tz, q4_l2nz, q4_gen_ok, q4_gen_adv,
        q4_gen_teb, q4_gen_v4, q4_gen_v6, q4_gtp_v, q4_gtp_e, q4_gtp_nz, q4_gtp_t255, q4_tz1, q4_l2have} =
    (WIN_FETCH != 0) ? a4_q : a4_all;

// Stages A4b, A4c: the tunnel's next offset, from A4's classes: A4b selects the tunnel header's length, A4c adds it
// to off_q (timing: the offset sums behind those classes were the next-offset select's paths into the step's result,
// 8.2-8.5 ns on the Colorlight; the select and the sum in one stage were still 8.1-8.8). The same choice, in the
// same order, as the step's tunnel branches: GRE (ERSPAN III: its header length; ERSPAN II with its sequence bit: 8
// more; else the GRE header length), L2TPv3 (4 + the cookie), VXLAN (16), Geneve (A4's length), GTP-U (16, or 20
// with its optional fields), TZSP (12). Registered (WIN_FETCH = 1): exact as A2 (A4 reads words 0..3, one word
// before the last that A1 reads: A1 and A2 are two stages behind word 4, A4, A4b and A4c three behind word 3; off_q
// and cfg_l2tp_cookie change at a step or stay).
// q4_ge: the GRE header's length from A4's flag count (the step reads its fields at it too); win[4] is the
// sequence flag (the step's fs)
wire [5:0]   q4_ge = {2'd0, q4_gn, 2'b00} + 6'd4;
wire [8:0]   a4b_gre = q4_gp_e3 ? {3'd0, q4_e3hl} : (q4_gp_e2 && win[4]) ? {3'd0, q4_ge} + 9'd8 : {3'd0, q4_ge};
wire [8:0]   a4b_all = q4_nh_gre ? a4b_gre : q4_nh_l2tp ? 9'd4 + {5'd0, cfg_l2tp_cookie} :
                       q4_vx ? 9'd16 : q4_gen ? q4_gen_adv : q4_gtp ? (q4_gtp_e ? 9'd20 : 9'd16) : 9'd12;
reg  [8:0]   a4b_q = 9'd0;
always @(posedge clk) a4b_q <= a4b_all;
wire [8:0]   a4c_all = off_q + ((WIN_FETCH != 0) ? a4b_q : a4b_all);
reg  [8:0]   a4c_q = 9'd0;
always @(posedge clk) a4c_q <= a4c_all;
wire [8:0]   q4_toff = (WIN_FETCH != 0) ? a4c_q : a4c_all;

// Stage A4x: where ST_L4 goes next (the tunnel branches' outcome: which state, the inner level, the next offset
// from A4c or off_q, MPLS first, the IP version expected), from A4's classes and the have bits, a clock later
// (timing: A4's classes through the branches' priority into the step's next state, level, offset and IP version
// were the Colorlight parser build's step paths, 8.4-8.7 ns). The step's ST_L4 writes the header and tunnel
// fields and the errors as before, and takes its next state from here. Registered (WIN_FETCH = 1): exact as A4b.
// {state (4), level 1, offset from A4c, MPLS first written, its value, IP version written, its value (2)}
reg  [3:0]   a4x_st;
reg          a4x_lvl, a4x_toff, a4x_mps, a4x_mp, a4x_ips;
reg  [1:0]   a4x_ip;
always @* begin
    a4x_st = ST_EMIT; a4x_lvl = 1'b0; a4x_toff = 1'b0; a4x_mps = 1'b0; a4x_mp = 1'b0; a4x_ips = 1'b0;
    a4x_ip = IP_ANY;
    // the same branches as the step's tunnels (ST_L4, below); GO_L2I / GO_IPI as l2i / ipi
    if (q4_frag0 && !lvl_q) begin
        if (q4_nh_gre) begin
            if (hv[4] && q4_gf0 && q4_ghave) begin
                if ((q4_gp_e2 && !win[4]) || q4_gp_teb || (q4_gp_e2 && q4_e2have)) begin
                    a4x_st = ST_L2; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_mps = 1'b1;
                end else if (q4_gp_e2) begin
                    a4x_st = ST_EMIT;                                   // ERSPAN II short of its header
                end else if (q4_gp_e3) begin
                    if (q4_e3have && q4_e3h2 && q4_e3ft0) begin
                        a4x_st = ST_L2; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_mps = 1'b1;
                    end else if (q4_e3have && q4_e3h2 && q4_e3ft2) begin
                        a4x_st = ST_IP; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_ips = 1'b1; a4x_ip = IP_ANY;
                    end
                end else if (q4_gp_v4 || q4_gp_v6) begin
                    a4x_st = ST_IP; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_ips = 1'b1;
                    a4x_ip = q4_gp_v4 ? IP_V4 : IP_V6;
                end else if (q4_gp_mp) begin
                    a4x_st = ST_L2; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_mps = 1'b1; a4x_mp = 1'b1;
                end
            end
        end else if (q4_nh_ipip) begin
            a4x_st = ST_IP; a4x_lvl = 1'b1; a4x_ips = 1'b1; a4x_ip = q4_nh_4 ? IP_V4 : IP_V6;
        end else if (q4_nh_l2tp) begin
            if (hv[4] && q4_l2nz && q4_l2have) begin
                a4x_st = ST_L2; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_mps = 1'b1;
            end
        end else if (q4_nh_udp && hv[8]) begin
            if (q4_vx) begin
                if (hv[16]) begin
                    a4x_st = ST_L2; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_mps = 1'b1;
                end
            end else if (q4_gen) begin
                if (hv[16] && q4_gen_ok) begin
                    if (q4_gen_teb) begin
                        a4x_st = ST_L2; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_mps = 1'b1;
                    end else if (q4_gen_v4 || q4_gen_v6) begin
                        a4x_st = ST_IP; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_ips = 1'b1;
                        a4x_ip = q4_gen_v4 ? IP_V4 : IP_V6;
                    end
                end
            end else if (q4_gtp) begin
                // version 1 and PT, the 16-byte header; with E, S or PN the 20-byte one, and a next extension
                // type (not 0) goes to ST_GTPX, else type 255 (a G-PDU) to the inner IP header
                if (hv[9] && q4_gtp_v && hv[16] && (!q4_gtp_e || hv[20])) begin
                    if (q4_gtp_e && q4_gtp_nz) begin
                        a4x_st = ST_GTPX; a4x_toff = 1'b1;
                    end else if (q4_gtp_t255) begin
                        a4x_st = ST_IP; a4x_lvl = 1'b1; a4x_toff = 1'b1; a4x_ips = 1'b1; a4x_ip = IP_ANY;
                    end
                end
            end else if (q4_tz) begin
                if (hv[9] && q4_tz1 && hv[12]) begin
                    a4x_st = ST_TZSP; a4x_toff = 1'b1;
                end
            end
        end
    end
end
localparam Q4XW = 4 + 1 + 1 + 1 + 1 + 1 + 2;
wire [Q4XW-1:0] a4x_all = {a4x_st, a4x_lvl, a4x_toff, a4x_mps, a4x_mp, a4x_ips, a4x_ip};
reg  [Q4XW-1:0] a4x_q = {Q4XW{1'b0}};
always @(posedge clk) a4x_q <= a4x_all;
wire [3:0]   q4x_st;
wire         q4x_lvl, q4x_toff, q4x_mps, q4x_mp, q4x_ips;
wire [1:0]   q4x_ip;
assign {q4x_st, q4x_lvl, q4x_toff, q4x_mps, q4x_mp, q4x_ips, q4x_ip} = (WIN_FETCH != 0) ? a4x_q : a4x_all;

// ---------------------------------------------------------------- ST_IP's decisions (stage A3)
// The IP step's tests and sums of window bytes: the version against the one expected, IHL < 5, rem against IHL * 4,
// the total length against IHL * 4, the payload's length, the claim (the header's offset plus the length its fields
// give) and the next offset, and whether an IPv6 next header is an extension header. Registered (WIN_FETCH = 1):
// exact as A1 and A4 (bytes 0..9 only; off_q, ipexp_q and hv change at a step).
wire [3:0]   a3_ver = win[4 +: 4];
wire [3:0]   a3_ihl = win[0 +: 4];
wire [15:0]  a3_len = (a3_ver == 4'd4) ? `BT16(6'd2) : `BT16(6'd4);
wire [15:0]  a3_hl = {10'd0, a3_ihl, 2'b00};
localparam Q3W = 1 + 1 + 1 + 1 + 1 + 1 + 18 + 16 + 9;
wire [Q3W-1:0] a3_all = {
    (ipexp_q == IP_V4 && a3_ver != 4'd4) || (ipexp_q == IP_V6 && a3_ver != 4'd6) ||
        (ipexp_q == IP_ANY && a3_ver != 4'd4 && a3_ver != 4'd6),
    a3_ver == 4'd4, a3_ihl < 4'd5, hv[{1'b0, a3_ihl, 2'b00}], a3_len < a3_hl, is_ext6(`BT(6'd6)),
    {9'd0, off_q} + ((a3_ver == 4'd4) ? 18'd0 : 18'd40) + {2'd0, a3_len},
    (a3_len > a3_hl) ? a3_len - a3_hl : 16'd0,
    off_q + ((a3_ver == 4'd4) ? {3'd0, a3_ihl, 2'b00} : 9'd40)};
reg  [Q3W-1:0] a3_q = {Q3W{1'b0}};
always @(posedge clk) a3_q <= a3_all;
wire         q3_vbad, q3_v4, q3_ihl_lt5, q3_have_ihl, q3_iplen, q3_ext6;
wire [17:0]  q3_claim;
wire [15:0]  q3_pay;                    // IPv4: the payload's length (0 if the total length is below IHL * 4)
wire [8:0]   q3_off;                    // the next header's offset (IPv4: IHL * 4 on, IPv6: 40 on)
assign {q3_vbad, q3_v4, q3_ihl_lt5, q3_have_ihl, q3_iplen, q3_ext6, q3_claim, q3_pay, q3_off} =
    (WIN_FETCH != 0) ? a3_q : a3_all;

// ---------------------------------------------------------------- ST_EXT's decisions (stage A5)
// One IPv6 extension header's tests and sums: the stack full (4), rem against its length (fragment: 8; AH:
// 4 (len + 2); the others: 8 (len + 1), compared in the length's units: rem / 4 >= len + 2, rem / 8 > len), and
// the header length, payload and offset after it. Registered (WIN_FETCH = 1): exact as A1 (bytes 0..2; the header
// stack, pay_q, off_q, rem and hv change at a step). The header stack's fields it reads are registered once more
// (WIN_FETCH = 1; timing: the level's select of them was in front of A5's compares and sums): they change only at a
// step, and A5 is read nine clocks or more after one.
wire [7:0]   a5_nh_c = lvl_q ? hdr_i_q[`TW_M_O_IP_PROTO] : hdr_o_q[`TW_M_O_IP_PROTO];   // ST_EXT is never first
wire [2:0]   a5_en_c = lvl_q ? hdr_i_q[`TW_M_O_IP6_EXT_N] : hdr_o_q[`TW_M_O_IP6_EXT_N];
wire [8:0]   a5_hl_c = lvl_q ? hdr_i_q[`TW_M_O_L3_HDRLEN] : hdr_o_q[`TW_M_O_L3_HDRLEN];
reg  [19:0]  a5_in_q = 20'd0;
always @(posedge clk) a5_in_q <= {a5_nh_c, a5_en_c, a5_hl_c};
wire [7:0]   a5_nh;
wire [2:0]   a5_en;
wire [8:0]   a5_hl;
assign {a5_nh, a5_en, a5_hl} = (WIN_FETCH != 0) ? a5_in_q : {a5_nh_c, a5_en_c, a5_hl_c};
wire [7:0]   a5_b1 = `BT(6'd1);
wire [12:0]  a5_el = (a5_nh == 8'd44) ? 13'd8 : (a5_nh == 8'd51) ? {3'd0, a5_b1, 2'b00} + 13'd8 :
                     {2'd0, a5_b1, 3'b000} + 13'd8;
// rem against the length for AH and for the others, registered first too (WIN_FETCH = 1; timing: the add and the
// compare in front of the verdict; byte 1 is in word 0, rem changes at a step)
wire         a5_ah_c = {2'd0, rem[12:2]} >= {5'd0, a5_b1} + 13'd2;
wire         a5_ot_c = {3'd0, rem[12:3]} > {5'd0, a5_b1};
reg          a5_ah_q = 1'b0, a5_ot_q = 1'b0;
always @(posedge clk) begin
    a5_ah_q <= a5_ah_c;
    a5_ot_q <= a5_ot_c;
end
wire         a5_hx = (a5_nh == 8'd44) ? hv[8] : (a5_nh == 8'd51) ? ((WIN_FETCH != 0) ? a5_ah_q : a5_ah_c) :
                     ((WIN_FETCH != 0) ? a5_ot_q : a5_ot_c);
localparam Q5W = 1 + 1 + 1 + 1 + 1 + 1 + 9 + 16 + 9;
wire         a5_deep = a5_en == 3'd4;
wire         a5_trunc = a5_en != 3'd4 && ((a5_nh != 8'd44 && !hv[2]) || !a5_hx);
wire [Q5W-1:0] a5_all = {
    a5_deep, a5_trunc, !a5_deep && !a5_trunc,          // the last: the step goes on (timing: one bit in the step)
    a5_nh == 8'd43 && `BT(6'd2) == 8'd4, a5_nh == 8'd44, is_ext6(`BT(6'd0)),
    a5_hl + a5_el[8:0],
    ({3'd0, pay_q} > {6'd0, a5_el}) ? pay_q - {3'd0, a5_el} : 16'd0,
    off_q + a5_el[8:0]};
reg  [Q5W-1:0] a5_q = {Q5W{1'b0}};
always @(posedge clk) a5_q <= a5_all;
wire         q5_deep, q5_trunc, q5_ok, q5_srh, q5_frag, q5_next;
wire [8:0]   q5_hlen, q5_off;
wire [15:0]  q5_pay;
assign {q5_deep, q5_trunc, q5_ok, q5_srh, q5_frag, q5_next, q5_hlen, q5_pay, q5_off} =
    (WIN_FETCH != 0) ? a5_q : a5_all;

// ---------------------------------------------------------------- ST_TZSP's decisions (stage A6; TZSP_PER_STEP = 1)
// One tagged field a step: END (1) and PADDING (0) tags, and for the others rem against the field's length + 1
// (2 + its length byte + 1) and the offset after it. Registered (WIN_FETCH = 1): exact as A1 (bytes 0 and 1; rem
// and off_q change at a step).
// rem - 3 and off_q + 2 are registered too (WIN_FETCH = 1; timing: the window's length byte went through an add
// of the constant and then one of rem or off_q): rem >= len + 3 is rem >= 3 (hv[3]) and rem - 3 >= len.
wire [7:0]   a6_len = `BT(6'd1);
reg  [12:0]  a6_rm3_q = 13'd0;
reg  [8:0]   a6_op2_q = 9'd2;
always @(posedge clk) begin
    a6_rm3_q <= rem - 13'd3;
    a6_op2_q <= off_q + 9'd2;
end
wire [12:0]  a6_rm3 = (WIN_FETCH != 0) ? a6_rm3_q : rem - 13'd3;
wire [8:0]   a6_op2 = (WIN_FETCH != 0) ? a6_op2_q : off_q + 9'd2;
localparam Q6W = 1 + 1 + 1 + 9;
wire [Q6W-1:0] a6_all = {
    `BT(6'd0) == 8'd1, `BT(6'd0) == 8'd0,
    (`BT(6'd0) == 8'd0) ? hv[2] : (hv[3] && a6_rm3 >= {5'd0, a6_len}),
    (`BT(6'd0) == 8'd0) ? offp1_q : a6_op2 + {1'b0, a6_len}};
reg  [Q6W-1:0] a6_q = {Q6W{1'b0}};
always @(posedge clk) a6_q <= a6_all;
wire         q6_t1, q6_t0, q6_have;
wire [8:0]   q6_off;
assign {q6_t1, q6_t0, q6_have, q6_off} = (WIN_FETCH != 0) ? a6_q : a6_all;

// ---------------------------------------------------------------- ST_GTPX's decisions (stage A7)
// One GTP-U extension header: its length byte (window byte 0, in units of 4 bytes) zero, at most 14 (the next type,
// its last byte, lies in the window's first seven words: below), rem against its length (rem / 4 >= the byte), the
// offsets after it and the next type's position. Registered (WIN_FETCH = 1; timing: the length byte into two adds
// and the offset was the Colorlight parser build's step path, 9.5 ns): exact as A1 (byte 0; rem and off_q change
// at a step). The next type is the header's last byte, 4 * b0 - 1 = 4 * (b0 - 1) + 3: byte 3 of one of the
// window's 32-bit words (q7_nw; timing: a 16-way select, not a 64-way one). Whether it is 0 (the step's next state)
// comes from nzw, a flag per 32-bit word registered from the window (WIN_FETCH = 1; timing: the select and the
// 8-bit test in front of the next state were 8.2 ns): words 0..13 are in window words 0..6, the last written a
// clock before the step's result is registered. A header of 15 or 16 words takes ST_GTPT to read its next type, as
// one past the window does (one step more, the same record).
wire [7:0]   a7_b0 = `BT(6'd0);
wire [8:0]   a7_el = {a7_b0[6:0], 2'b00};    // the header's length in 9 bits: a byte past 127 never fits (q7_fit)
localparam Q7W = 1 + 1 + 1 + 9 + 9 + 4;
wire [Q7W-1:0] a7_all = {
    a7_b0 == 8'd0, a7_b0 <= 8'd14, {3'd0, a7_b0} <= rem[12:2],
    off_q + a7_el, off_q + a7_el - 9'd1, a7_b0[3:0] - 4'd1};
reg  [Q7W-1:0] a7_q = {Q7W{1'b0}};
always @(posedge clk) a7_q <= a7_all;
wire         q7_z, q7_in, q7_fit;
wire [8:0]   q7_off, q7_offm1;
wire [3:0]   q7_nw;
assign {q7_z, q7_in, q7_fit, q7_off, q7_offm1, q7_nw} = (WIN_FETCH != 0) ? a7_q : a7_all;
reg  [13:0]  nzw_c;
reg  [13:0]  nzw_q = 14'd0;
integer      nzk;
always @* for (nzk = 0; nzk < 14; nzk = nzk + 1) nzw_c[nzk] = win[(nzk * 32 + 24) +: 8] != 8'd0;
always @(posedge clk) nzw_q <= nzw_c;
wire [15:0]  nzw = {2'b00, (WIN_FETCH != 0) ? nzw_q : nzw_c};
wire         q7_nnz = nzw[q7_nw];             // the next type is not 0 (q7_in)

// ---------------------------------------------------------------- one step
reg [3:0]   st_n;
reg         lvl_n, mpls_start_n;
reg [8:0]   off_n;
reg [1:0]   ipexp_n;
reg [15:0]  pay_n;
reg [7:0]   gnxt_n;
reg [HE:HS] hd;
reg [TE:TS] tn;
reg [9:0]   er;
reg [17:0]  claim_o_n, claim_i_n;
reg         claim_o_v_n, claim_i_v_n;
reg         adv, first, emit_hs;

// step temporaries
reg         stop;
reg [159:0] mw;             // MPLS: the 20 window bytes from the first label on (its offset is one of 0, 14, 18, 22)
reg [15:0]  u16, fl16, gproto;
reg [31:0]  u32;
reg [3:0]   ihl;
reg         ck_use;         // this step is an IPv4 header's: its checksum verdict applies
reg [7:0]   b0, b1, nh, tag;
reg [4:0]   headn;
reg [127:0] head;
reg [5:0]   gc, ge;         // GRE key position, GRE header length
reg         fc, fk, fs;
reg [12:0]  pos;            // TZSP position relative to off_q
integer     k;

`define SETE(b) begin er[b] = 1'b1; if (lvl_q) er[`TW_ERR_INNER] = 1'b1; end
`define HAVE(n) ((n) <= rem)
`define HAVEC(n) hv[n]
`define GO_EMIT begin st_n = ST_EMIT; end
`define GO_L2I(o, mp) begin st_n = ST_L2; lvl_n = 1'b1; off_n = (o); mpls_start_n = (mp); end
`define GO_IPI(o, v) begin st_n = ST_IP; lvl_n = 1'b1; off_n = (o); ipexp_n = (v); end

always @* begin
    first = st_first_q;
    st_n = state_q;
    lvl_n = lvl_q;
    off_n = off_q;
    mpls_start_n = mpls_start_q;
    ipexp_n = ipexp_q;
    pay_n = pay_q;
    gnxt_n = gnxt_q;
    hd = first ? {HW{1'b0}} : (lvl_q ? hdr_i_q : hdr_o_q);
    tn = first ? {(TE-TS+1){1'b0}} : tun_q;
    er = first ? 10'd0 : err_q;
    claim_o_n = first ? 18'd0 : claim_o_q;
    claim_o_v_n = first ? 1'b0 : claim_o_v_q;
    claim_i_n = first ? 18'd0 : claim_i_q;
    claim_i_v_n = first ? 1'b0 : claim_i_v_q;
    adv = 1'b1;
    emit_hs = 1'b0;
    stop = 1'b0; mw = 160'd0;
    u16 = 16'd0; fl16 = 16'd0;
    gproto = 16'd0; u32 = 32'd0; ihl = 4'd0;
    ck_use = 1'b0; b0 = 8'd0; b1 = 8'd0; nh = 8'd0; tag = 8'd0; headn = 5'd0;
    head = 128'd0; gc = 6'd0; ge = 6'd0; k = 0; fc = 1'b0; fk = 1'b0; fs = 1'b0; pos = 13'd0;

    case (state_q)
    // ------------------------------------------------------------ Ethernet, VLAN tags, MPLS stack
    ST_L2: begin
        // the decisions (tag count, ethertype, label count, errors, next header) are stages A1 and A2's (q2_*, above)
        adv = first ? cur_ready : 1'b1;
        if (!mpls_start_q && `HAVEC(14)) begin
            hd[`TW_M_O_L2] = 1'b1;
            hd[`TW_M_O_DMAC] = {`BT32(6'd0), `BT16(6'd4)};
            hd[`TW_M_O_SMAC] = {`BT16(6'd6), `BT32(6'd8)};
            if (q2_vn != 2'd0) begin
                hd[`TW_M_O_VLAN0_TPID] = tpid_code(`BT16(6'd12));
                hd[`TW_M_O_VLAN0_TCI] = `BT16(6'd14);
            end
            if (q2_vn == 2'd2) begin
                hd[`TW_M_O_VLAN1_TPID] = tpid_code(`BT16(6'd16));
                hd[`TW_M_O_VLAN1_TCI] = `BT16(6'd18);
            end
            case (q2_vn)                    // the type after the tags read (a TPID if the next tag is cut)
            2'd0: hd[`TW_M_O_ETHERTYPE] = `BT16(6'd12);
            2'd1: hd[`TW_M_O_ETHERTYPE] = `BT16(6'd16);
            default: hd[`TW_M_O_ETHERTYPE] = `BT16(6'd20);
            endcase
            hd[`TW_M_O_VLAN_N] = q2_vn;
        end
        if (q2_trunc) `SETE(`TW_ERR_TRUNC)
        if (q2_deep) `SETE(`TW_ERR_DEEP)
        if (q2_mpls) begin
            case (q2_pc)
            2'd1: mw = win[14*8 +: 160];
            2'd2: mw = win[18*8 +: 160];
            2'd3: mw = win[22*8 +: 160];
            default: mw = win[0 +: 160];
            endcase
            for (k = 0; k < 4; k = k + 1) begin
                if ({1'b0, k[1:0]} < q2_mn) begin
                    u32 = {mw[k*32 +: 8], mw[k*32+8 +: 8], mw[k*32+16 +: 8], mw[k*32+24 +: 8]};
                    case (k)
                    0: hd[`TW_M_O_MPLS0] = u32;
                    1: hd[`TW_M_O_MPLS1] = u32;
                    2: hd[`TW_M_O_MPLS2] = u32;
                    default: hd[`TW_M_O_MPLS3] = u32;
                    endcase
                end
            end
            hd[`TW_M_O_MPLS_N] = q2_mn;
            if (q2_cw) hd[`TW_M_O_MPLS_CW] = 1'b1;
        end
        if (q2_nx != 2'd0) begin
            st_n = ST_IP;
            off_n = off_q + {3'd0, q2_adv};
            ipexp_n = (q2_nx == 2'd1) ? IP_V4 : IP_V6;
        end else begin
            `GO_EMIT
        end
    end

    // ------------------------------------------------------------ IPv4 / IPv6 base header
    ST_IP: begin
        // the version and length tests, the claims, the payload and the next offset are stage A3's (q3_*, above)
        b0 = `BT(6'd0);
        if (!`HAVEC(1)) begin
            `SETE(`TW_ERR_TRUNC) `GO_EMIT
        end else if (q3_vbad) begin
            `SETE(`TW_ERR_IPVER) `GO_EMIT
        end else if (q3_v4) begin
            ihl = b0[3:0];
            if (q3_ihl_lt5) begin
                `SETE(`TW_ERR_IHL) `GO_EMIT
            end else if (!q3_have_ihl) begin     // IHL * 4 <= 60: one of the constant checks
                `SETE(`TW_ERR_TRUNC) `GO_EMIT
            end else begin
                ck_use = 1'b1;
                u16 = `BT16(6'd2);              // total length
                fl16 = `BT16(6'd6);
                hd[`TW_M_O_IP_VER] = 4'd4;
                hd[`TW_M_O_IP_IHL] = ihl;
                hd[`TW_M_O_IP_TOS] = `BT(6'd1);
                hd[`TW_M_O_IP_LEN] = u16;
                hd[`TW_M_O_IP_ID] = `BT16(6'd4);
                hd[`TW_M_O_IP_DF] = fl16[14];
                hd[`TW_M_O_IP_MF] = fl16[13];
                hd[`TW_M_O_IP_FRAGOFF] = fl16[12:0];
                hd[`TW_M_O_IP_FRAG] = fl16[13] || (fl16[12:0] != 13'd0);
                hd[`TW_M_O_IP_TTL] = `BT(6'd8);
                hd[`TW_M_O_IP_PROTO] = `BT(6'd9);
                hd[`TW_M_O_IP_CSUM_OK] = ck_ok_step;
                hd[`TW_M_O_IP_SRC] = {96'd0, `BT32(6'd12)};
                hd[`TW_M_O_IP_DST] = {96'd0, `BT32(6'd16)};
                hd[`TW_M_O_L3_OFF] = off_q;
                hd[`TW_M_O_L3_HDRLEN] = {3'd0, ihl, 2'b00};
                if (!ck_ok_step) `SETE(`TW_ERR_CSUM)
                if (q3_iplen) `SETE(`TW_ERR_IPLEN)          // total length < IHL * 4
                if (lvl_q) begin
                    claim_i_n = q3_claim;
                    claim_i_v_n = 1'b1;
                end else begin
                    claim_o_n = q3_claim;
                    claim_o_v_n = 1'b1;
                end
                pay_n = q3_pay;
                st_n = ST_L4;
                off_n = q3_off;
            end
        end else begin
            if (!`HAVEC(40)) begin
                `SETE(`TW_ERR_TRUNC) `GO_EMIT
            end else begin
                u32 = `BT32(6'd0);
                u16 = `BT16(6'd4);              // payload length
                nh = `BT(6'd6);
                hd[`TW_M_O_IP_VER] = 4'd6;
                hd[`TW_M_O_IP_TOS] = u32[27:20];
                hd[`TW_M_O_IP_FLOW] = u32[19:0];
                hd[`TW_M_O_IP_LEN] = u16;
                hd[`TW_M_O_IP_TTL] = `BT(6'd7);
                hd[`TW_M_O_IP_PROTO] = nh;
                hd[`TW_M_O_IP_SRC] = {`BT32(6'd8), `BT32(6'd12), `BT32(6'd16), `BT32(6'd20)};
                hd[`TW_M_O_IP_DST] = {`BT32(6'd24), `BT32(6'd28), `BT32(6'd32), `BT32(6'd36)};
                hd[`TW_M_O_L3_OFF] = off_q;
                hd[`TW_M_O_L3_HDRLEN] = 9'd40;
                if (lvl_q) begin
                    claim_i_n = q3_claim;
                    claim_i_v_n = 1'b1;
                end else begin
                    claim_o_n = q3_claim;
                    claim_o_v_n = 1'b1;
                end
                pay_n = u16;
                st_n = q3_ext6 ? ST_EXT : ST_L4;
                off_n = q3_off;
            end
        end
    end

    // ------------------------------------------------------------ one IPv6 extension header
    ST_EXT: begin
        // the depth and length tests and the sums (header length, payload, offset) are stage A5's (q5_*, above)
        nh = hd[`TW_M_O_IP_PROTO];
        if (q5_deep) begin
            `SETE(`TW_ERR_DEEP)
        end else if (q5_trunc) begin
            `SETE(`TW_ERR_TRUNC)
        end
        if (q5_ok) begin
            case (hd[`TW_M_O_IP6_EXT_N])
            3'd0: hd[`TW_M_O_IP6_EXT0] = nh;
            3'd1: hd[`TW_M_O_IP6_EXT1] = nh;
            3'd2: hd[`TW_M_O_IP6_EXT2] = nh;
            default: hd[`TW_M_O_IP6_EXT3] = nh;
            endcase
            hd[`TW_M_O_IP6_EXT_N] = hd[`TW_M_O_IP6_EXT_N] + 3'd1;
            if (q5_srh) begin
                hd[`TW_M_O_IP6_SRH] = 1'b1;
                hd[`TW_M_O_IP6_SEGLEFT] = `BT(6'd3);
            end
            if (q5_frag) begin
                u16 = `BT16(6'd2);
                hd[`TW_M_O_IP_FRAGOFF] = u16[15:3];
                hd[`TW_M_O_IP_MF] = u16[0];
                hd[`TW_M_O_IP_FRAG] = u16[0] || (u16[15:3] != 13'd0);
                hd[`TW_M_O_IP6_FRAGID] = `BT32(6'd4);
            end
            hd[`TW_M_O_IP_PROTO] = `BT(6'd0);
            hd[`TW_M_O_L3_HDRLEN] = q5_hlen;
            pay_n = q5_pay;
            off_n = q5_off;
            st_n = q5_next ? ST_EXT : ST_L4;
        end else begin
            `GO_EMIT
        end
    end

    // ------------------------------------------------------------ l3_head, L4, tunnel header
    ST_L4: begin
        headn = q_hn;                       // min(rem, the IP payload, 16), and its byte mask: registered below
        for (k = 0; k < 16; k = k + 1) begin
            if (q_hm[k]) head[127 - 8 * k -: 8] = `BT(k[5:0]);
        end
        hd[`TW_M_O_L3_HEAD] = head;
        hd[`TW_M_O_L3_HEAD_N] = headn;
        // where it goes next: stage A4x's (the tunnels below write their fields and errors; "-> X" marks A4x's
        // choice of state X in each branch)
        st_n = q4x_st;
        if (q4x_lvl) lvl_n = 1'b1;
        if (q4x_toff) off_n = q4_toff;
        if (q4x_mps) mpls_start_n = q4x_mp;
        if (q4x_ips) ipexp_n = q4x_ip;
        if (q4_frag0) begin                 // the protocol's classes and the fragment test: A4's
            // ---- L4
            if (q4_nh_tcp) begin
                if (!`HAVEC(20)) `SETE(`TW_ERR_TRUNC)
                else begin
                    hd[`TW_M_O_L4] = 1'b1;
                    hd[`TW_M_O_SPORT] = `BT16(6'd0);
                    hd[`TW_M_O_DPORT] = `BT16(6'd2);
                    hd[`TW_M_O_TCP_SEQ] = `BT32(6'd4);
                    hd[`TW_M_O_TCP_FLAGS] = `BT(6'd13);
                end
            end else if (q4_nh_udp) begin
                if (!`HAVEC(8)) `SETE(`TW_ERR_TRUNC)
                else begin
                    hd[`TW_M_O_L4] = 1'b1;
                    hd[`TW_M_O_SPORT] = `BT16(6'd0);
                    hd[`TW_M_O_DPORT] = `BT16(6'd2);
                    hd[`TW_M_O_UDP_LEN] = `BT16(6'd4);
                end
            end else if (q4_nh_sctp) begin
                if (!`HAVEC(12)) `SETE(`TW_ERR_TRUNC)
                else begin
                    hd[`TW_M_O_L4] = 1'b1;
                    hd[`TW_M_O_SPORT] = `BT16(6'd0);
                    hd[`TW_M_O_DPORT] = `BT16(6'd2);
                    hd[`TW_M_O_SCTP_VTAG] = `BT32(6'd4);
                    if (`HAVEC(16)) begin
                        hd[`TW_M_O_SCTP_CHUNK] = `BT(6'd12);
                        if (`BT(6'd12) == 8'd0 && `HAVEC(28)) begin
                            hd[`TW_M_O_SCTP_PPID_V] = 1'b1;
                            hd[`TW_M_O_SCTP_PPID] = `BT32(6'd24);
                        end
                    end
                end
            end else if (q4_nh_icmp) begin
                if (!`HAVEC(4)) `SETE(`TW_ERR_TRUNC)
                else begin
                    hd[`TW_M_O_L4] = 1'b1;
                    hd[`TW_M_O_ICMP_TYPE] = `BT(6'd0);
                    hd[`TW_M_O_ICMP_CODE] = `BT(6'd1);
                end
            end
            // ---- tunnels (outer only); the decisions behind window bytes are stage A4's (q4_*, above)
            if (!lvl_q) begin
                if (q4_nh_gre) begin
                    // GRE
                    if (!`HAVEC(4)) `SETE(`TW_ERR_TRUNC)
                    else begin
                        fl16 = `BT16(6'd0);
                        gproto = `BT16(6'd2);
                        if (q4_gf0) begin
                            if (q4_gp_e2) tn[`TW_M_TUN_KIND] = fl16[12] ? `TW_TUN_ERSPAN2 : `TW_TUN_ERSPAN1;
                            else if (q4_gp_e3) tn[`TW_M_TUN_KIND] = `TW_TUN_ERSPAN3;
                            else if (q4_gp_teb) tn[`TW_M_TUN_KIND] = `TW_TUN_GRETEB;
                            else tn[`TW_M_TUN_KIND] = `TW_TUN_GRE;
                            tn[`TW_M_GRE_FLAGS] = fl16;
                            tn[`TW_M_GRE_PROTO] = gproto;
                            fc = fl16[15]; fk = fl16[13]; fs = fl16[12];
                            gc = fc ? 6'd8 : 6'd4;                       // key position
                            ge = q4_ge;                                  // GRE header length (A4's flag count)
                            if (!q4_ghave) `SETE(`TW_ERR_TRUNC)          // rem >= ge
                            else begin
                                if (fk) begin
                                    tn[`TW_M_TUN_ID_V] = 1'b1;
                                    tn[`TW_M_TUN_ID] = `BT32(gc);
                                end
                                if (fs) tn[`TW_M_GRE_SEQ] = `BT32(gc + (fk ? 6'd4 : 6'd0));
                                if (q4_gp_e2 && !fs) begin
                                    // -> ST_L2 (A4x)
                                end else if (q4_gp_teb) begin
                                    // -> ST_L2 (A4x)
                                end else if (q4_gp_e2) begin
                                    if (!q4_e2have) `SETE(`TW_ERR_TRUNC)     // rem >= ge + 8
                                    else begin
                                        u16 = `BT16(ge);
                                        tn[`TW_M_ERSPAN_VLAN] = u16[11:0];
                                        b0 = `BT(ge + 6'd2);
                                        tn[`TW_M_ERSPAN_COS] = b0[7:5];
                                        tn[`TW_M_TUN_ID_V] = 1'b1;
                                        tn[`TW_M_TUN_ID] = {22'd0, b0[1:0], `BT(ge + 6'd3)};
                                        u32 = `BT32(ge + 6'd4);
                                        tn[`TW_M_ERSPAN_IDX] = u32[19:0];
                                        // -> ST_L2 (A4x)
                                    end
                                end else if (q4_gp_e3) begin
                                    if (!q4_e3have) `SETE(`TW_ERR_TRUNC)     // rem >= ge + 12
                                    else begin
                                        u16 = `BT16(ge);
                                        tn[`TW_M_ERSPAN_VLAN] = u16[11:0];
                                        b0 = `BT(ge + 6'd2);
                                        tn[`TW_M_ERSPAN_COS] = b0[7:5];
                                        tn[`TW_M_TUN_ID_V] = 1'b1;
                                        tn[`TW_M_TUN_ID] = {22'd0, b0[1:0], `BT(ge + 6'd3)};
                                        tn[`TW_M_ERSPAN_TS] = `BT32(ge + 6'd4);
                                        u16 = `BT16(ge + 6'd10);
                                        tn[`TW_M_ERSPAN_FT] = u16[14:10];
                                        if (!q4_e3h2) `SETE(`TW_ERR_TRUNC)   // rem >= the header with its subheader
                                        else if (q4_e3ft0) begin
                                            // -> ST_L2 (A4x)
                                        end else if (q4_e3ft2) begin
                                            // -> ST_IP (A4x)
                                        end
                                    end
                                end else if (q4_gp_v4) begin
                                    // -> ST_IP (A4x)
                                end else if (q4_gp_v6) begin
                                    // -> ST_IP (A4x)
                                end else if (q4_gp_mp) begin
                                    // -> ST_L2 (A4x)
                                end
                            end
                        end
                    end
                end else if (q4_nh_ipip) begin
                    tn[`TW_M_TUN_KIND] = `TW_TUN_IPIP;
                    // -> ST_IP (A4x)
                end else if (q4_nh_l2tp) begin
                    if (!`HAVEC(4)) `SETE(`TW_ERR_TRUNC)
                    else if (q4_l2nz) begin                      // session id != 0
                        tn[`TW_M_TUN_KIND] = `TW_TUN_L2TPV3;
                        tn[`TW_M_TUN_ID_V] = 1'b1;
                        tn[`TW_M_TUN_ID] = `BT32(6'd0);
                        if (!q4_l2have) `SETE(`TW_ERR_TRUNC)         // rem >= 4 + the cookie
                        else begin
                            // -> ST_L2 (A4x)
                        end
                    end
                end else if (q4_nh_udp && `HAVEC(8)) begin
                    // the UDP header just stored: its tunnel port (destination first) is A4's
                    if (q4_vx) begin
                        tn[`TW_M_TUN_KIND] = `TW_TUN_VXLAN;
                        if (!`HAVEC(16)) `SETE(`TW_ERR_TRUNC)
                        else begin
                            tn[`TW_M_TUN_ID_V] = 1'b1;
                            tn[`TW_M_TUN_ID] = {8'd0, `BT16(6'd12), `BT(6'd14)};
                            // -> ST_L2 (A4x)
                        end
                    end else if (q4_gen) begin
                        tn[`TW_M_TUN_KIND] = `TW_TUN_GENEVE;
                        if (!`HAVEC(16)) `SETE(`TW_ERR_TRUNC)
                        else begin
                            b0 = `BT(6'd8);
                            tn[`TW_M_GENEVE_OPT] = b0[5:0];
                            tn[`TW_M_TUN_ID_V] = 1'b1;
                            tn[`TW_M_TUN_ID] = {8'd0, `BT16(6'd12), `BT(6'd14)};
                            if (!q4_gen_ok) `SETE(`TW_ERR_TRUNC)         // rem >= 16 + 4 * options
                            else if (q4_gen_teb) begin
                                // -> ST_L2 (A4x)
                            end else if (q4_gen_v4) begin
                                // -> ST_IP (A4x)
                            end else if (q4_gen_v6) begin
                                // -> ST_IP (A4x)
                            end
                        end
                    end else if (q4_gtp) begin
                        b0 = `BT(6'd8);
                        if (!`HAVEC(9)) `SETE(`TW_ERR_TRUNC)
                        else if (q4_gtp_v) begin                     // version 1, protocol type GTP
                            tn[`TW_M_TUN_KIND] = `TW_TUN_GTPU;
                            if (!`HAVEC(16)) `SETE(`TW_ERR_TRUNC)
                            else begin
                                tn[`TW_M_GTP_FLAGS] = b0;
                                tn[`TW_M_GTP_TYPE] = `BT(6'd9);
                                tn[`TW_M_TUN_ID_V] = 1'b1;
                                tn[`TW_M_TUN_ID] = `BT32(6'd12);
                                if (q4_gtp_e) begin                      // E, S or PN: the optional fields
                                    if (!`HAVEC(20)) begin
                                        `SETE(`TW_ERR_TRUNC)
                                    end else begin
                                        tn[`TW_M_GTP_SEQ] = `BT16(6'd16);
                                        gnxt_n = b0[2] ? `BT(6'd19) : 8'd0;
                                    end
                                end else begin
                                    gnxt_n = 8'd0;                       // (the header: 16 bytes)
                                end
                                // -> ST_GTPX with a next extension type, ST_IP for a G-PDU (A4x)
                            end
                        end
                    end else if (q4_tz) begin
                        if (!`HAVEC(9)) `SETE(`TW_ERR_TRUNC)
                        else if (q4_tz1) begin                       // TZSP version 1
                            tn[`TW_M_TUN_KIND] = `TW_TUN_TZSP;
                            if (!`HAVEC(12)) `SETE(`TW_ERR_TRUNC)
                            else begin
                                tn[`TW_M_TZSP_TYPE] = `BT(6'd9);
                                tn[`TW_M_TZSP_ENCAP] = `BT16(6'd10);
                                // -> ST_TZSP (A4x)
                            end
                        end
                    end
                end
            end
        end
    end

    // ------------------------------------------------------------ one GTP-U extension header
    ST_GTPX: begin
        // the length byte's tests and sums are stage A7's (q7_*, above)
        if (tn[`TW_M_GTP_EXT_N] == 3'd4) begin
            `SETE(`TW_ERR_DEEP) `GO_EMIT
        end else if (!`HAVEC(1)) begin
            `SETE(`TW_ERR_TRUNC) `GO_EMIT
        end else if (q7_z) begin
            `GO_EMIT
        end else if (!q7_fit) begin                         // rem >= 4 * the length byte
            `SETE(`TW_ERR_TRUNC) `GO_EMIT
        end else begin
            if (gnxt_q == 8'h85) begin
                tn[`TW_M_GTP_QFI_V] = 1'b1;
                b1 = `BT(6'd1);
                tn[`TW_M_GTP_PDU_DIR] = b1[7:4];
                b1 = `BT(6'd2);
                tn[`TW_M_GTP_QFI] = b1[5:0];
            end
            tn[`TW_M_GTP_EXT_N] = tn[`TW_M_GTP_EXT_N] + 3'd1;
            if (q7_in) begin
                gnxt_n = `BT({q7_nw, 2'b11});
                off_n = q7_off;
                if (q7_nnz) st_n = ST_GTPX;         // gnxt_n != 0
                else if (tn[`TW_M_GTP_TYPE] == 8'd255) begin
                    `GO_IPI(q7_off, IP_ANY)
                end else `GO_EMIT
            end else begin
                // the next type lies beyond the window: one more clock to read it
                off_n = q7_offm1;
                st_n = ST_GTPT;
            end
        end
    end
    ST_GTPT: begin
        gnxt_n = `BT(6'd0);
        off_n = offp1_q;
        if (gnxt_n != 8'd0) st_n = ST_GTPX;
        else if (tn[`TW_M_GTP_TYPE] == 8'd255) begin
            `GO_IPI(offp1_q, IP_ANY)
        end else `GO_EMIT
    end

    // ------------------------------------------------------------ TZSP tagged fields
    ST_TZSP: begin
        pos = 13'd0;
        if (TZSP_PER_STEP == 1) begin
            // one field a step: its tests are stage A6's (q6_*, above)
            if (!`HAVEC(1)) begin
                `SETE(`TW_ERR_TRUNC) `GO_EMIT
            end else if (q6_t1) begin           // the END tag: the encapsulated frame follows
                if (tn[`TW_M_TZSP_ENCAP] == 16'd1) begin
                    `GO_L2I(offp1_q, 1'b0)
                end else `GO_EMIT
            end else if (!q6_t0 && !`HAVEC(2)) begin
                `SETE(`TW_ERR_TRUNC) `GO_EMIT
            end else if (!q6_have) begin        // rem >= the field's length + 1
                `SETE(`TW_ERR_TRUNC) `GO_EMIT
            end else begin
                off_n = q6_off;
            end
        end else for (k = 0; k < TZSP_PER_STEP; k = k + 1) begin
            if (!stop) begin
                if (!`HAVE(pos + 13'd1)) begin
                    `SETE(`TW_ERR_TRUNC) `GO_EMIT stop = 1'b1;
                end else if (pos > 13'd62) begin
                    stop = 1'b1;                          // continue next clock with the window moved on
                end else begin
                    tag = `BT(pos[5:0]);
                    if (tag == 8'd1) begin
                        pos = pos + 13'd1;
                        stop = 1'b1;
                        if (tn[`TW_M_TZSP_ENCAP] == 16'd1) begin
                            `GO_L2I(off_q + pos[8:0], 1'b0)
                        end else `GO_EMIT
                    end else if (tag == 8'd0) begin
                        pos = pos + 13'd1;
                    end else if (!`HAVE(pos + 13'd2)) begin
                        `SETE(`TW_ERR_TRUNC) `GO_EMIT stop = 1'b1;
                    end else begin
                        pos = pos + 13'd2 + {5'd0, `BT(pos[5:0] + 6'd1)};
                    end
                end
            end
        end
        if (TZSP_PER_STEP != 1 && st_n == ST_TZSP) begin
            if (!`HAVE(pos + 13'd1)) begin
                `SETE(`TW_ERR_TRUNC) `GO_EMIT
            end else off_n = off_q + pos[8:0];
        end
    end

    // ------------------------------------------------------------ the record leaves when the frame has ended
    default: begin
        adv = 1'b0;
        if (ended && m_ready) begin
            emit_hs = 1'b1;
            st_n = ST_L2;
            lvl_n = 1'b0;
            off_n = 9'd0;
            mpls_start_n = 1'b0;
        end
    end
    endcase
end

`undef SETE
`undef HAVE
`undef HAVEC
`undef GO_EMIT
`undef GO_L2I
`undef GO_IPI
`undef BT32
`undef BT16
`undef BT

// ---------------------------------------------------------------- the record as it leaves
// SHARED = 1: the frame's descriptor registered, and its length tests a clock later (timing: in the Colorlight's
// tap the port and slot select of the descriptor, the length compares and the record's valid were the core path
// into the record FIFO, 11.05 ns). Exact: a frame is started only once it has ended, so its descriptor is constant
// from its first load to its record; the copy lags the port / slot select by one clock and the tests by two, where
// the first load starts a clock after the select changes at the earliest (cur_ready_q) and the record leaves 12
// clocks or more after it (SLOT_RAM = 1: 10 load clocks and the step). For the same reason the frame has always
// ended at EMIT (`ended`).
reg  [23:0] dsc_len_q = 24'd0;
reg         dsc_user_q = 1'b0;
reg  [63:0] dsc_ts_q = 64'd0;
reg  [31:0] dsc_fseq_q = 32'd0;
reg         dsc_runt_q = 1'b0;
reg         dsc_giant_q = 1'b0;
reg         dsc_big_q = 1'b0;
assign dsc_len = dsc_len_q;
always @(posedge clk) begin
    dsc_len_q <= rd_len;
    dsc_user_q <= rd_user;
    dsc_ts_q <= rd_ts;
    dsc_fseq_q <= rd_fseq;
    dsc_runt_q <= dsc_len_q < 24'd60;
    dsc_giant_q <= dsc_len_q > {8'd0, cfg_mtu};
    dsc_big_q <= dsc_len_q > 24'd65535;
end
wire [23:0] len_sat = (SHARED != 0) ? dsc_len_q : rd_len;
wire        d_user = (SHARED != 0) ? dsc_user_q : rd_user;
wire [63:0] d_ts = (SHARED != 0) ? dsc_ts_q : rd_ts;
wire [31:0] d_fseq = (SHARED != 0) ? dsc_fseq_q : rd_fseq;
wire        runt = (SHARED != 0) ? dsc_runt_q : (len_sat < 24'd60);
wire        giant = (SHARED != 0) ? dsc_giant_q : (len_sat > {8'd0, cfg_mtu});
wire        len_big = (SHARED != 0) ? dsc_big_q : (len_sat > 24'd65535);
wire        iplen_o = claim_o_v_q && ({6'd0, claim_o_q} > len_sat);
wire        iplen_i = claim_i_v_q && ({6'd0, claim_i_q} > len_sat);
reg  [9:0]  err_final;
always @* begin
    err_final = err_q;
    if (runt) err_final[`TW_ERR_RUNT] = 1'b1;
    if (giant) err_final[`TW_ERR_GIANT] = 1'b1;
    if (d_user) err_final[`TW_ERR_MACBAD] = 1'b1;
    if (iplen_o || iplen_i) err_final[`TW_ERR_IPLEN] = 1'b1;
    if (iplen_i) err_final[`TW_ERR_INNER] = 1'b1;
end
wire inner_seen = hdr_i_q[`TW_M_O_L2] || (hdr_i_q[`TW_M_O_MPLS_N] != 3'd0) || (hdr_i_q[`TW_M_O_IP_VER] != 4'd0);

assign m_valid = st_emit_q && ended;
assign m_rec = {hdr_i_q, inner_seen, tun_q, hdr_o_q, 6'd0, err_final, d_fseq, rd_port,
                len_big ? 16'hFFFF : len_sat[15:0], d_ts};
assign rd_free = emit_hs;
wire step = adv && win_ok;

// ---------------------------------------------------------------- window
generate
if (WIN_FETCH == 0) begin : g_win_shift
    wire [HDR_BYTES*8+WIN*8-1:0] slot_ext = {{(WIN*8){1'b0}}, rd_data};
    // off_q < HDR_BYTES: below 256 the index has more bits than slot_ext needs (Verilator's WIDTH at HDR_BYTES < 256)
    /* verilator lint_off WIDTH */
    assign win = slot_ext[{off_q, 3'b000} +: WIN*8];
    /* verilator lint_on WIDTH */
    assign win_ok = 1'b1;
    assign rd_addr = {(SLOT_W+$clog2(HDR_BYTES/8)){1'b0}};
    wire unused_rd_word = &{1'b0, rd_word};
    reg [479:0] cw;
    reg [254:0] cs1;
    reg [143:0] cs2;
    reg [75:0]  cs3;
    reg [39:0]  cs4;
    reg [20:0]  ck_tree;
    integer     ck;
    always @* begin
        cw = 480'd0;
        for (ck = 0; ck < 30; ck = ck + 1)
            if (ck[4:0] < {win[3:0], 1'b0}) cw[ck*16 +: 16] = {win[ck*16 +: 8], win[ck*16+8 +: 8]};
        for (ck = 0; ck < 15; ck = ck + 1) cs1[ck*17 +: 17] = cw[ck*32 +: 16] + cw[ck*32+16 +: 16];
        for (ck = 0; ck < 7; ck = ck + 1) cs2[ck*18 +: 18] = cs1[ck*34 +: 17] + cs1[ck*34+17 +: 17];
        cs2[126 +: 18] = {1'b0, cs1[238 +: 17]};
        for (ck = 0; ck < 4; ck = ck + 1) cs3[ck*19 +: 19] = cs2[ck*36 +: 18] + cs2[ck*36+18 +: 18];
        for (ck = 0; ck < 2; ck = ck + 1) cs4[ck*20 +: 20] = cs3[ck*38 +: 19] + cs3[ck*38+19 +: 19];
        ck_tree = {1'b0, cs4[0 +: 20]} + {1'b0, cs4[20 +: 20]};
    end
    assign ck_sum = ck_tree;
end else begin : g_win_fetch
    // The window as a register, loaded one 64-bit word a clock: clock t (0..8) reads slot word off_q / 8 + t
    // (zero past the slot, as slot_ext) and writes window word t - 1 from it and the word before, shifted by
    // off_q % 8 bytes. The same bytes as the shifter's window, so the steps and the records are unchanged; the
    // load starts when the step can be taken (the head is complete for the frame's first step).
    // SLOT_RAM = 1: the word read at clock t (address rd_addr) arrives at clock t + 1 (RL = 1): clock t (0..9)
    // addresses word off_q / 8 + t and writes window word t - 2; one load clock more. SLOT_RAM = 2 (RL = 2): clock t
    // (0..10) writes window word t - 3; two load clocks more.
    localparam NW = HDR_BYTES / 8;
    localparam WA = $clog2(NW);
    localparam [3:0] RL = SLOT_RAM[3:0];                      // read latency of a slot word (0, 1 or 2)
    reg  [WIN*8-1:0] win_q;
    reg  [63:0]      prev_q = 64'd0;
    reg  [3:0]       ld_q = 4'd0;
    reg              wv_q = 1'b0;
    wire [6:0]       wi = {1'b0, off_q[8:3]} + {3'd0, ld_q};
    wire [63:0]      cur;
    wire [127:0]     pair = {cur, prev_q};
    wire [63:0]      al = pair[{1'b0, off_q[2:0], 3'b000} +: 64];
    wire             load = !wv_q && !st_emit_q && !(st_first_q && !cur_ready);
    if (SLOT_RAM == 0) begin : g_rd_ff
        assign cur = (wi < NW[6:0]) ? rd_data[wi[WA-1:0]*64 +: 64] : 64'd0;
        assign rd_addr = {(SLOT_W+WA){1'b0}};
        wire unused_rd_word = &{1'b0, rd_word};
    end else begin : g_rd_ram
        reg [1:0] in_q = 2'b00;                // the word arriving now lies inside the slot (RL clocks ago)
        always @(posedge clk) in_q <= {in_q[0], wi < NW[6:0]};
        assign rd_addr = {slot_cur, wi[WA-1:0]};   // SHARED: the port read's slot
        assign cur = in_q[RL-1] ? rd_word : 64'd0;
        wire unused_rd_data = &{1'b0, rd_data};
    end
    // the IPv4 checksum's sum, four 16-bit words a clock, each window word the clock after it is written, from its
    // copy ck_w_q (timing: nothing behind the slot word's select and alignment but registers, and no select of a
    // window word): the words 4 * t + j of window word t that lie in the header (2 * IHL words, IHL from window
    // byte 0, written first). IHL counts 32-bit words, so the words come in pairs: words 0 and 1 of window word t lie
    // in the header when 2t + 1 <= IHL, words 2 and 3 when 2t + 2 <= IHL. Each word's masked sum (two adds deep) is
    // registered (ck_q4_q) and added into ck_acc_q at the next load: after the last load (word 6), ck_acc_q holds
    // words 0..5 and ck_q4_q word 6; ck_fin_q adds both and word 7's first pair (the only part of word 7 an IHL of 15
    // reaches) once the window is complete (ld_q = 9 + RL, lt = 7), a clock before the commit. Timing: two adds
    // deep on each path, where one chain of four (the four words, then the sum) was the board's core path (session 18).
    reg  [63:0]      ck_w_q = 64'd0;
    reg  [20:0]      ck_acc_q = 21'd0;
    reg  [17:0]      ck_q4_q = 18'd0;
    reg  [20:0]      ck_fin_q = 21'd0;
    wire [3:0]       lt4 = ld_q - 4'd2 - RL;   // the word written the clock before (ck_w_q), ld_q 2 + RL .. 9 + RL
    wire [2:0]       lt = lt4[2:0];
    wire             unused_lt4 = lt4[3];
    // the masks from a thermometer of IHL (bit j: j < IHL), loaded with word 0 and shifted two bits at each load
    // after it, so that bit 0 is 2t + 1 <= IHL and bit 1 is 2t + 2 <= IHL for the word t written the clock before
    // (timing: no compare of the load counter with IHL in front of the sums)
    reg  [15:0]      ck_th_q = 16'd0;
    integer          tj;
    always @(posedge clk) begin
        if (load && ld_q == 4'd1 + RL)
            for (tj = 0; tj < 16; tj = tj + 1) ck_th_q[tj] <= tj[3:0] < al[3:0];
        else if (load && ld_q >= 4'd2 + RL)
            ck_th_q <= {2'b00, ck_th_q[15:2]};
    end
    wire             ck_m01 = ck_th_q[0];                                  // 2t + 1 <= IHL
    wire             ck_m23 = ck_th_q[1];                                  // 2t + 2 <= IHL
    wire [16:0]      ck_p01 = {1'b0, ck_w_q[7:0], ck_w_q[15:8]} + {1'b0, ck_w_q[23:16], ck_w_q[31:24]};
    wire [16:0]      ck_p23 = {1'b0, ck_w_q[39:32], ck_w_q[47:40]} + {1'b0, ck_w_q[55:48], ck_w_q[63:56]};
    wire [16:0]      ck_s01 = ck_m01 ? ck_p01 : 17'd0;
    wire [17:0]      ck_ws = {1'b0, ck_s01} + {1'b0, ck_m23 ? ck_p23 : 17'd0};
    always @(posedge clk) ck_fin_q <= ck_acc_q + {3'd0, ck_q4_q} + {4'd0, ck_s01};
    assign ck_sum = ck_fin_q;
    // sv_q: the step's result (s_* below) holds this window's step: set a clock after the window is complete
    reg              sv_q = 1'b0;
    integer          wj;
    always @(posedge clk) begin
        if (load) begin
            prev_q <= cur;
            ck_w_q <= al;
            for (wj = 0; wj < WIN / 8; wj = wj + 1)
                if (ld_q == wj[3:0] + 4'd1 + RL) win_q[wj*64 +: 64] <= al;
            if (ld_q >= 4'd2 + RL) begin
                ck_q4_q <= ck_ws;
                ck_acc_q <= (lt == 3'd0) ? 21'd0 : ck_acc_q + {3'd0, ck_q4_q};
            end
            ld_q <= ld_q + 4'd1;
            if (ld_q == 4'd8 + RL) wv_q <= 1'b1;
        end
        if (wv_q) sv_q <= 1'b1;
        if (step || emit_hs) begin
            ld_q <= 4'd0;
            wv_q <= 1'b0;
            sv_q <= 1'b0;
        end
        if (rst) begin
            ld_q <= 4'd0;
            wv_q <= 1'b0;
            sv_q <= 1'b0;
        end
    end
    assign win = win_q;
    assign win_ok = sv_q;
end
endgenerate

// ---------------------------------------------------------------- the step's result
// WIN_FETCH = 1: registered every clock (s_*) and committed a clock later (win_ok = sv_q), so that the step's logic
// ends at these registers and not at the state's enables; exact, since its inputs (the window, rem, the state) do
// not change between the window's last load clock and the commit. WIN_FETCH = 0: a step a clock, committed as is.
reg [3:0]   s_st = ST_L2;
reg         s_lvl = 1'b0, s_mpls = 1'b0;
reg [8:0]   s_off = 9'd0;
reg [1:0]   s_ipexp = IP_ANY;
reg [15:0]  s_pay = 16'd0;
reg [7:0]   s_gnxt = 8'd0;
reg [HE:HS] s_hd;
reg [TE:TS] s_tn;
reg [9:0]   s_er = 10'd0;
reg         s_ck_use = 1'b0;
reg [17:0]  s_claim_o = 18'd0, s_claim_i = 18'd0;
reg         s_claim_o_v = 1'b0, s_claim_i_v = 1'b0;
always @(posedge clk) begin
    s_st <= st_n;
    s_lvl <= lvl_n;
    s_off <= off_n;
    s_mpls <= mpls_start_n;
    s_ipexp <= ipexp_n;
    s_pay <= pay_n;
    s_gnxt <= gnxt_n;
    s_hd <= hd;
    s_tn <= tn;
    s_er <= er;
    s_ck_use <= ck_use;
    s_claim_o <= claim_o_n;
    s_claim_o_v <= claim_o_v_n;
    s_claim_i <= claim_i_n;
    s_claim_i_v <= claim_i_v_n;
end
localparam SREG = (WIN_FETCH != 0);
wire [3:0]   c_st = SREG ? s_st : st_n;
wire         c_lvl = SREG ? s_lvl : lvl_n;
wire [8:0]   c_off = SREG ? s_off : off_n;
wire         c_mpls = SREG ? s_mpls : mpls_start_n;
wire [1:0]   c_ipexp = SREG ? s_ipexp : ipexp_n;
wire [15:0]  c_pay = SREG ? s_pay : pay_n;
wire [7:0]   c_gnxt = SREG ? s_gnxt : gnxt_n;
// WIN_FETCH = 1: an IPv4 header's checksum verdict, complete now (ck_sum), applied here: the OK bit and CSUM (with
// INNER on the inner layer), as the step does when WIN_FETCH = 0
reg [HE:HS]  s_hd_ck;
reg [9:0]    s_er_ck;
always @* begin
    s_hd_ck = s_hd;
    s_er_ck = s_er;
    if (s_ck_use) begin
        s_hd_ck[`TW_M_O_IP_CSUM_OK] = ck_sum_ok;
        if (!ck_sum_ok) begin
            s_er_ck[`TW_ERR_CSUM] = 1'b1;
            if (lvl_q) s_er_ck[`TW_ERR_INNER] = 1'b1;
        end
    end
end
wire [HE:HS] c_hd = SREG ? s_hd_ck : hd;
wire [TE:TS] c_tn = SREG ? s_tn : tn;
wire [9:0]   c_er = SREG ? s_er_ck : er;
wire [17:0]  c_claim_o = SREG ? s_claim_o : claim_o_n;
wire         c_claim_o_v = SREG ? s_claim_o_v : claim_o_v_n;
wire [17:0]  c_claim_i = SREG ? s_claim_i : claim_i_n;
wire         c_claim_i_v = SREG ? s_claim_i_v : claim_i_v_n;

// SHARED: idle (the frame's first step not started: no load without cur_ready) with no ended frame on this port
// but one on the other, or a record just left and the other port has an ended frame: read the other port.
// oth_ready is registered (timing: the other capture's slot select sat between the engine's state and its slot
// counter) and held off for the clock after a swap, when the register still speaks of the port just taken; it
// only rises while the other port is not read (only the port read frees a slot), so a clock late is all it is.
// The idle test reads cur_ready_q (timing: the port's own slot select, then the swap, was the next path): it is 0
// the clock after a record left, so an engine idle then moves to a waiting other port even if its own has a frame
// too (both are ended frames; the ports alternate), and it never moves while a load runs (a load needs it 1).
reg  oth_ready_q = 1'b0;
wire swap = (SHARED != 0) && oth_ready_q && (emit_hs || (st_first_q && !cur_ready_q));
always @(posedge clk) begin
    oth_ready_q <= oth_ready && !swap;
    cur_ready_q <= cur_ready_c && !emit_hs && !swap;
    rec_pulse <= emit_hs;
    err_pulse <= emit_hs ? err_final : 10'd0;
    rec_port <= rd_port;
    if (swap)
        port_q <= !port_q;
    if (step) begin
        state_q <= c_st;
        lvl_q <= c_lvl;
        st_emit_q <= c_st == ST_EMIT;
        st_first_q <= c_st == ST_L2 && !c_lvl;
        offp1_q <= c_off + 9'd1;
        off_q <= c_off;
        mpls_start_q <= c_mpls;
        ipexp_q <= c_ipexp;
        pay_q <= c_pay;
        gnxt_q <= c_gnxt;
        if (lvl_q) hdr_i_q <= c_hd;
        else hdr_o_q <= c_hd;
        if (first) hdr_i_q <= {HW{1'b0}};
        tun_q <= c_tn;
        err_q <= c_er;
        claim_o_q <= c_claim_o;
        claim_o_v_q <= c_claim_o_v;
        claim_i_q <= c_claim_i;
        claim_i_v_q <= c_claim_i_v;
    end else if (emit_hs) begin
        // the record left: the next frame's first step (what the EMIT state's st_n, lvl_n, off_n say, written
        // out so that the step logic is not on this path)
        state_q <= ST_L2;
        lvl_q <= 1'b0;
        st_emit_q <= 1'b0;
        st_first_q <= 1'b1;
        off_q <= 9'd0;
        offp1_q <= 9'd1;
        mpls_start_q <= 1'b0;
        if (on_b) slot_b_q <= slot_b_q + 1'b1;
        else slot_q <= slot_q + 1'b1;
    end
    if (rst) begin
        state_q <= ST_L2;
        lvl_q <= 1'b0;
        st_emit_q <= 1'b0;
        st_first_q <= 1'b1;
        off_q <= 9'd0;
        offp1_q <= 9'd1;
        mpls_start_q <= 1'b0;
        slot_q <= {SLOT_W{1'b0}};
        slot_b_q <= {SLOT_W{1'b0}};
        port_q <= 1'b0;
        cur_ready_q <= 1'b0;
        oth_ready_q <= 1'b0;
        rec_pulse <= 1'b0;
        err_pulse <= 10'd0;
    end
end

endmodule

`resetall
