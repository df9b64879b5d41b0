`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
// tw_digest_table: the mirror-copy detector of docs/detection.md ("Mirror-copy digest"), in block RAM.
//
// Per frame (one metadata record on s_axis): the 56-byte invariant vectors of the outer and the inner IP header are
// hashed into 64-bit tags {CRC-32C, CRC-32}; the inner tag is LOOKED UP (a valid way with the same tag and
// 0 <= now - ts <= cfg_window_ns: mirror_copy = 1), then the outer tag is INSERTED (same tag: refresh ts; else the
// lowest invalid way; else the way with the smallest ts, lowest on a tie). Lookup before insert, every frame with an
// outer IP header inserts, inner digests are never inserted. now = the record's ts.
//
// Table: SETS sets of WAYS ways {valid, tag[63:0], ts[63:0]}, one set per RAM word (WAYS * 129 bits),
// set = tag[32 +: log2(SETS)] (the low bits of the CRC-32C). Synchronous-read simple dual-port RAM (block RAM).
//
// Pipeline (a frame every 3 cycles; the RAM's one read port is used twice per frame). A word read is registered
// twice (the RAM's read register, then rd_q2: no logic behind the block RAM's output in the clock it arrives).
//   H  the record is accepted; the four CRCs are computed and the tags registered (HASH_STEP_BITS = 0); with
//      HASH_STEP_BITS > 0 the tags come from the stepping stage S below.
//   R0 read address = inner set (lookup).
//   R1 read address = outer set (insert).
//   R2 the inner set's word is here: hit -> registered.
//   X  the outer set's word is here: per way, same tag / free / live, and the oldest way -> registered with the word.
//   W  the insert decision is made and the set written back this cycle; the result enters the output FIFO.
// Read-after-write: a frame's two reads are sampled on the edges ending R0 and R1; the previous frame writes on the
// edge ending this frame's R1 (read-first: not seen) and none writes between R1 and X. So the one write a read can
// miss is the last write, kept in a register (lw_*) until the next one, which replaces the read word when the set
// matches (a read that did see it gets the same word; the match is registered with the word, lw_hit).
// Consecutive frames of the same digest (back-to-back copies, retransmissions) see each other exactly as the
// sequential reference does.
// Latency: record accepted on edge 0 -> result valid on m_axis after edge 6 (6 cycles), with m_axis_tready high
// (HASH_STEP_BITS > 0: 6 + N with an outer IP header only, 6 + 2N with an inner packet, 7 without IP).
// Timing (session 15, docs/architecture.md "Per-block timing"): the lookup, the insert's comparisons and its write
// were one clock behind the RAM's output (47 MHz on the ECP5 out of context).
//
// HASH_STEP_BITS (the small-FPGA option, docs/architecture.md): 0 = the reference, four full-width CRC trees
// (CRC-32 and CRC-32C of both 448-bit vectors) in the accepting clock. S > 0 (a multiple of 8 dividing 448: 8, 16,
// 32, 56, 64, 112, 224, 448) = one CRC-32 and one CRC-32C unit hashing S bits per clock in a stage S before H: the
// record is accepted into a register {outer vector, inner vector} (s_axis_tready then stays low), the outer vector
// is hashed in N = 448 / S clocks, then, if the frame has an inner IP packet, the inner one in N more; the last step
// hands the tags to H. A record is accepted every 2N clocks with an inner packet, every N clocks with an outer IP
// header only and every clock without IP (the pipeline behind takes one every 3). Tags, table state, result order
// and everything on m_axis are the reference's for every input; only s_axis_tready (accept rate) and the latency
// (+N or +2N cycles) differ.
//
// After reset the RAM is cleared (SETS cycles, s_axis_tready low, init_done low).
//
// m_axis_tdata: [0] mirror_copy, [1] looked up (the frame has an inner IP packet), [2] inserted (outer IP header),
// [3] replaced (the insert overwrote a different digest still inside the window), [67:4] inner tag, [131:68] outer
// tag. m_axis_tuser carries s_axis_tuser (e.g. the frame's sequence number) unchanged.
module tw_digest_table #(
    parameter integer SETS   = 8192,
    parameter integer WAYS   = 2,
    parameter integer USER_W = 32,
    parameter integer OUT_DEPTH = 8,  // result FIFO entries (>= 4)
    parameter integer HASH_STEP_BITS = 0  // 0: one-clock CRC trees (reference); S: S bits per clock (above)
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire [63:0]            cfg_window_ns,   // MIRROR_WINDOW in ns (reference 100 ms)

    input  wire                   s_axis_tvalid,
    output wire                   s_axis_tready,
    input  wire [`TW_M_WIDTH-1:0] s_axis_tdata,
    input  wire [USER_W-1:0]      s_axis_tuser,

    output wire                   m_axis_tvalid,
    input  wire                   m_axis_tready,
    output wire [131:0]           m_axis_tdata,
    output wire [USER_W-1:0]      m_axis_tuser,

    output reg                    init_done
);
    localparam integer SET_W = $clog2(SETS);
    localparam integer ENT_W = 129;                // {valid, tag, ts}
    localparam integer WORD_W = WAYS * ENT_W;
    localparam integer RES_W = 132;
    localparam integer OUT_AW = $clog2(OUT_DEPTH);
    localparam integer VEC_W = 448;

    // ---------------------------------------------------------------- digest vectors of the incoming record
    /* verilator lint_off UNUSEDSIGNAL */
    wire [`TW_M_WIDTH-1:0] m = s_axis_tdata;   // only the digest fields and ts are used
    /* verilator lint_on UNUSEDSIGNAL */

    wire [3:0]  o_ver  = m[`TW_M_O_IP_VER];
    wire [3:0]  i_ver  = m[`TW_M_I_IP_VER];
    wire        o_has  = (o_ver == 4'd4) || (o_ver == 4'd6);
    wire        i_has  = m[`TW_M_INNER] && ((i_ver == 4'd4) || (i_ver == 4'd6));
    wire [15:0] o_pay  = ((o_ver == 4'd4) ? m[`TW_M_O_IP_LEN] : 16'd40 + m[`TW_M_O_IP_LEN]) -
                         {7'd0, m[`TW_M_O_L3_HDRLEN]};
    wire [15:0] i_pay  = ((i_ver == 4'd4) ? m[`TW_M_I_IP_LEN] : 16'd40 + m[`TW_M_I_IP_LEN]) -
                         {7'd0, m[`TW_M_I_L3_HDRLEN]};
    wire [23:0] o_idfl = (o_ver == 4'd4) ? {8'd0, m[`TW_M_O_IP_ID]} : {4'd0, m[`TW_M_O_IP_FLOW]};
    wire [23:0] i_idfl = (i_ver == 4'd4) ? {8'd0, m[`TW_M_I_IP_ID]} : {4'd0, m[`TW_M_I_IP_FLOW]};

    // byte 0 in the top bits: src(16) dst(16) proto ver idfl(3) pay(2) l3_head(16) 0
    wire [VEC_W-1:0] o_vec = {m[`TW_M_O_IP_SRC], m[`TW_M_O_IP_DST], m[`TW_M_O_IP_PROTO], 4'd0, o_ver, o_idfl, o_pay,
                              m[`TW_M_O_L3_HEAD], 8'd0};
    wire [VEC_W-1:0] i_vec = {m[`TW_M_I_IP_SRC], m[`TW_M_I_IP_DST], m[`TW_M_I_IP_PROTO], 4'd0, i_ver, i_idfl, i_pay,
                              m[`TW_M_I_L3_HEAD], 8'd0};

    // the four CRCs, computed where the tags are registered (H, on an accepted record); the CRC function's
    // polynomials (CRC32, CRC32C) also serve the stepping unit
    localparam integer CRC_W = VEC_W;
`include "tw_crc32_fn.vh"

    // one step of the stepping unit: STEP_W more bits (byte 0 in the top bits, each byte LSB first) into the CRC
    // register c_in, no init or final XOR; tw_crc32_fn(v) = ~(steps over v's chunks from 32'hFFFFFFFF)
    localparam integer STEP_W = (HASH_STEP_BITS > 0) ? HASH_STEP_BITS : 8;
    function [31:0] dg_crc_step;
        input [31:0]       c_in;
        input [STEP_W-1:0] d;
        input [31:0]       poly;
        reg   [31:0]       c;
        integer sk, sb;
        begin
            c = c_in;
            for (sk = 0; sk < STEP_W / 8; sk = sk + 1)
                for (sb = 0; sb < 8; sb = sb + 1)
                    c = {1'b0, c[31:1]} ^ (poly & {32{c[0] ^ d[STEP_W - 8 * (sk + 1) + sb]}});
            dg_crc_step = c;
        end
    endfunction

    // ---------------------------------------------------------------- RAM (simple dual port, read-first)
    reg  [WORD_W-1:0] mem [0:SETS-1];
    reg  [SET_W-1:0]  rd_addr;       // address presented this cycle
    reg  [WORD_W-1:0] rd_q;          // data of the address sampled on the last edge
    reg  [SET_W-1:0]  rd_addr_q;
    reg               wr_en;
    reg  [SET_W-1:0]  wr_addr;
    reg  [WORD_W-1:0] wr_data;
    always @(posedge clk) begin
        if (wr_en)
            mem[wr_addr] <= wr_data;
        rd_q <= mem[rd_addr];
    end

    // the word read, registered again, and the last write (above: the one write a read can miss)
    // (lw_hit: the set of rd_q2 is the last write's, compared a clock early against the write of this edge or the
    // last one: a registered select in front of the lookup and insert logic)
    reg  [WORD_W-1:0] rd_q2;
    reg               lw_en, lw_hit;
    reg  [SET_W-1:0]  lw_addr;
    reg  [WORD_W-1:0] lw_data;
    always @(posedge clk) begin
        rd_addr_q <= rd_addr;
        rd_q2     <= rd_q;
        lw_hit    <= wr_en ? wr_addr == rd_addr_q : lw_en && lw_addr == rd_addr_q;
        if (wr_en) begin
            lw_en   <= 1'b1;
            lw_addr <= wr_addr;
            lw_data <= wr_data;
        end
        if (rst) begin
            lw_en  <= 1'b0;
            lw_hit <= 1'b0;
        end
    end
    wire [WORD_W-1:0] rd_word = lw_hit ? lw_data : rd_q2;

    // ---------------------------------------------------------------- pipeline registers
    reg               h_valid, r_valid, x_valid, w_valid;
    reg  [1:0]        r_phase;   // 0: R0, 1: R1, 2: R2
    reg  [63:0]       h_tin, h_tout, r_tin, r_tout, x_tin, x_tout, w_tin, w_tout;
    reg               h_hin, h_hout, r_hin, r_hout, x_hin, x_hout, w_hin, w_hout;
    reg  [63:0]       h_now, r_now, x_now, w_now;
    reg  [63:0]       r_lo, x_lo;  // max(now - cfg_window_ns, 0) (function live)
    reg  [USER_W-1:0] h_user, r_user, x_user, w_user;
    reg               x_hit, w_hit;

    // output FIFO and its credit: a record is accepted only when every frame in flight has a FIFO slot
    reg  [RES_W+USER_W-1:0] ofifo [0:OUT_DEPTH-1];
    reg  [OUT_AW:0]   o_count;
    reg  [OUT_AW-1:0] o_wp, o_rp;
    wire              sh_busy;   // a record in the stepping stage (HASH_STEP_BITS > 0)
    wire [OUT_AW+1:0] in_flight = {1'b0, o_count} + {{OUT_AW{1'b0}}, h_valid} + {{OUT_AW{1'b0}}, r_valid} +
                                  {{OUT_AW{1'b0}}, x_valid} + {{OUT_AW{1'b0}}, w_valid} +
                                  {{OUT_AW{1'b0}}, sh_busy};
    wire room = in_flight < OUT_DEPTH[OUT_AW+1:0];

    wire r_last = r_valid && r_phase == 2'd2; // R2: the frame moves on to X
    wire r_free = !r_valid || r_last;         // R takes a new frame on the next edge
    wire h_go   = h_valid && r_free;
    wire h_take = !h_valid || h_go;           // H takes a new frame on the next edge
    wire h_load;                              // ... and does
    wire s_fire = s_axis_tvalid && s_axis_tready;

    // ---------------------------------------------------------------- H: the tags
    generate
        if (HASH_STEP_BITS == 0) begin : g_tree
            assign s_axis_tready = init_done && room && h_take;
            assign h_load  = s_fire;
            assign sh_busy = 1'b0;
            always @(posedge clk)
                if (s_fire) begin
                    h_tin  <= i_has ? {tw_crc32_fn(i_vec, CRC32C), tw_crc32_fn(i_vec, CRC32)} : 64'd0;
                    h_tout <= o_has ? {tw_crc32_fn(o_vec, CRC32C), tw_crc32_fn(o_vec, CRC32)} : 64'd0;
                    h_hin  <= i_has;
                    h_hout <= o_has;
                    h_now  <= m[`TW_M_TS];
                    h_user <= s_axis_tuser;
                end
        end else if (HASH_STEP_BITS % 8 == 0 && VEC_W % HASH_STEP_BITS == 0 && HASH_STEP_BITS <= VEC_W) begin : g_step
            // S: {outer, inner} vector register, hashed from the top, HASH_STEP_BITS per clock
            localparam integer N  = VEC_W / HASH_STEP_BITS;   // steps per vector
            localparam integer CW = $clog2(2 * N);
            reg               sh_valid;
            reg  [CW-1:0]     sh_cnt;                          // step 0 .. 2N-1 (outer: 0 .. N-1)
            reg  [2*VEC_W-1:0] sh_vec;
            reg  [31:0]       sh_c, sh_cc;                     // CRC-32, CRC-32C registers
            reg  [63:0]       sh_tout;                         // the outer tag while the inner vector is hashed
            reg               sh_hin, sh_hout;
            reg  [63:0]       sh_now;
            reg  [USER_W-1:0] sh_user;
            wire [31:0] nx_c  = dg_crc_step(sh_c,  sh_vec[2*VEC_W-1 -: HASH_STEP_BITS], CRC32);
            wire [31:0] nx_cc = dg_crc_step(sh_cc, sh_vec[2*VEC_W-1 -: HASH_STEP_BITS], CRC32C);
            wire [63:0] nx_tag = {~nx_cc, ~nx_c};
            localparam integer LAST_OUT = N - 1, LAST_IN = 2 * N - 1;
            wire end_out = sh_cnt == LAST_OUT[CW-1:0];
            wire end_in  = sh_cnt == LAST_IN[CW-1:0];
            wire sh_last = sh_valid && ((!sh_hin && !sh_hout) || end_in || (end_out && !sh_hin));
            wire sh_out  = sh_last && h_take;
            assign s_axis_tready = init_done && room && (!sh_valid || sh_out);
            assign h_load  = sh_out;
            assign sh_busy = sh_valid;
            always @(posedge clk) begin
                if (s_fire) begin
                    sh_vec  <= {o_vec, i_vec};
                    sh_cnt  <= 0;
                    sh_c    <= 32'hFFFFFFFF;
                    sh_cc   <= 32'hFFFFFFFF;
                    sh_hin  <= i_has;
                    sh_hout <= o_has;
                    sh_now  <= m[`TW_M_TS];
                    sh_user <= s_axis_tuser;
                end else if (sh_valid && !sh_last) begin
                    sh_vec <= sh_vec << HASH_STEP_BITS;
                    sh_cnt <= sh_cnt + 1'b1;
                    if (end_out) begin
                        sh_tout <= nx_tag;
                        sh_c    <= 32'hFFFFFFFF;
                        sh_cc   <= 32'hFFFFFFFF;
                    end else begin
                        sh_c    <= nx_c;
                        sh_cc   <= nx_cc;
                    end
                end
                if (s_fire)
                    sh_valid <= 1'b1;
                else if (sh_out)
                    sh_valid <= 1'b0;
                if (rst)
                    sh_valid <= 1'b0;
            end
            always @(posedge clk)
                if (sh_out) begin
                    h_tin  <= sh_hin ? nx_tag : 64'd0;
                    h_tout <= !sh_hout ? 64'd0 : sh_hin ? sh_tout : nx_tag;
                    h_hin  <= sh_hin;
                    h_hout <= sh_hout;
                    h_now  <= sh_now;
                    h_user <= sh_user;
                end
        end else begin : g_bad_hash_step_bits
            // HASH_STEP_BITS must be 0 or a multiple of 8 dividing 448: elaboration fails here
            tw_digest_table_HASH_STEP_BITS_must_be_0_or_a_multiple_of_8_dividing_448 u_bad ();
        end
    endgenerate

    // ---------------------------------------------------------------- lookup (R2: inner set data)
    // 0 <= now - ts <= window, as two comparisons side by side against lo = max(now - window, 0), registered with
    // now (the same for every ts: with ts <= now, now - ts <= window <=> ts >= now - window; if now < window,
    // every ts <= now is inside)
    function live;
        input [ENT_W-1:0] e;
        input [63:0] now;
        input [63:0] lo;
        begin
            live = e[ENT_W-1] && e[63:0] <= now && e[63:0] >= lo;
        end
    endfunction

    // The lookup's hit and the insert's per-way tests are computed from both candidate words (the RAM's, rd_q2,
    // and the last write, lw_data) and the results selected by lw_hit: the select drives a few result bits, not the
    // 258-bit word ahead of the comparisons (timing: its fanout was the critical path, session 15)
    function lk_of;
        input [WORD_W-1:0] wd;
        input [63:0]       tin, now, lo;
        integer i;
        begin
            lk_of = 1'b0;
            for (i = 0; i < WAYS; i = i + 1)
                if (wd[i * ENT_W + 64 +: 64] == tin && live(wd[i * ENT_W +: ENT_W], now, lo))
                    lk_of = 1'b1;
        end
    endfunction
    // The stepping-hash (small-device) build hashes an IP frame in 448 / HASH_STEP_BITS clocks or more (14 at 32)
    // and is short of area, not of clock: it compares the newest word once (rd_word: the same select, ahead of
    // the comparisons), 515 LUT4 and 288 CCU2C less at 512 x 2 in detect_small (docs/architecture.md "Session
    // 23"). The same function either way.
    localparam CMP_ONCE = HASH_STEP_BITS != 0;
    wire lk_hit = CMP_ONCE ? lk_of(rd_word, r_tin, r_now, r_lo) :
                  lw_hit ? lk_of(lw_data, r_tin, r_now, r_lo) : lk_of(rd_q2, r_tin, r_now, r_lo);

    // ---------------------------------------------------------------- insert (X: outer set data; W: the write)
    // (ways are picked and written with constant indices only: a variable part-select here would synthesize to
    // a multiplier and a barrel shifter over the whole set word)
    localparam integer WAY_W = (WAYS > 1) ? $clog2(WAYS) : 1;
    localparam integer XS_W = 2 + 3 * WAY_W + WAYS;
    // {same tag found, free way found, its way, the free way, the oldest way, live per way}
    function [XS_W-1:0] xs_of;
        input [WORD_W-1:0] wd;
        input [63:0]       tout, now, lo;
        reg               fm, ff;
        reg  [WAY_W-1:0]  mw, fw, ow;
        reg  [63:0]       ots;
        reg  [WAYS-1:0]   lv;
        integer i;
        begin
            fm = 1'b0;
            ff = 1'b0;
            mw = {WAY_W{1'b0}};
            fw = {WAY_W{1'b0}};
            ow = {WAY_W{1'b0}};
            ots = wd[63:0];
            for (i = 0; i < WAYS; i = i + 1) begin
                if (!fm && wd[i * ENT_W + ENT_W - 1] && wd[i * ENT_W + 64 +: 64] == tout) begin
                    fm = 1'b1;
                    mw = i[WAY_W-1:0];
                end
                if (!ff && !wd[i * ENT_W + ENT_W - 1]) begin
                    ff = 1'b1;
                    fw = i[WAY_W-1:0];
                end
                if (i > 0 && wd[i * ENT_W +: 64] < ots) begin
                    ots = wd[i * ENT_W +: 64];
                    ow = i[WAY_W-1:0];
                end
                lv[i] = live(wd[i * ENT_W +: ENT_W], now, lo);
            end
            xs_of = {fm, ff, mw, fw, ow, lv};
        end
    endfunction
    wire [XS_W-1:0] xs = CMP_ONCE ? xs_of(rd_word, x_tout, x_now, x_lo) :
                         lw_hit ? xs_of(lw_data, x_tout, x_now, x_lo) : xs_of(rd_q2, x_tout, x_now, x_lo);
    wire            xs_match = xs[XS_W-1];
    wire            xs_free  = xs[XS_W-2];
    wire [WAY_W-1:0] xs_mw = xs[WAYS + 2 * WAY_W +: WAY_W];
    wire [WAY_W-1:0] xs_fw = xs[WAYS + WAY_W +: WAY_W];
    wire [WAY_W-1:0] xs_ow = xs[WAYS +: WAY_W];
    wire [WAYS-1:0]  xs_live = xs[0 +: WAYS];
    integer w;
    reg               w_match, w_free;
    reg  [WAY_W-1:0]  w_mw, w_fw, w_ow;
    reg  [WAYS-1:0]   w_live;
    reg  [WORD_W-1:0] w_word;
    reg  [WAY_W-1:0]  ins_way;
    reg               ins_repl;
    reg  [WORD_W-1:0] ins_word;
    always @* begin
        ins_way  = w_match ? w_mw : w_free ? w_fw : w_ow;
        ins_repl = 1'b0;
        ins_word = w_word;
        for (w = 0; w < WAYS; w = w + 1) begin
            if (w[WAY_W-1:0] == w_ow)
                ins_repl = !w_match && !w_free && w_live[w];
            if (w[WAY_W-1:0] == ins_way)
                ins_word[w * ENT_W +: ENT_W] = {1'b1, w_tout, w_now};
        end
    end

    // ---------------------------------------------------------------- control
    reg [SET_W:0] init_ptr;
    always @* begin
        rd_addr = (r_phase == 2'd0) ? r_tin[32 +: SET_W] : r_tout[32 +: SET_W];
        wr_en   = 1'b0;
        wr_addr = w_tout[32 +: SET_W];
        wr_data = ins_word;
        if (!init_done) begin
            wr_en   = !rst;
            wr_addr = init_ptr[SET_W-1:0];
            wr_data = {WORD_W{1'b0}};
        end else if (w_valid && w_hout) begin
            wr_en = 1'b1;
        end
    end

    wire o_push = w_valid;
    wire o_pop  = m_axis_tvalid && m_axis_tready;
    wire [RES_W-1:0] w_res = {w_tout, w_tin, w_hout && ins_repl, w_hout, w_hin, w_hin && w_hit};

    always @(posedge clk) begin
        // H (its data registers: g_tree / g_step above)
        if (h_load)
            h_valid <= 1'b1;
        else if (h_go)
            h_valid <= 1'b0;
        // R0 / R1 / R2
        if (h_go) begin
            r_valid <= 1'b1;
            r_phase <= 2'd0;
            r_tin   <= h_tin;
            r_tout  <= h_tout;
            r_hin   <= h_hin;
            r_hout  <= h_hout;
            r_now   <= h_now;
            r_lo    <= (h_now > cfg_window_ns) ? h_now - cfg_window_ns : 64'd0;
            r_user  <= h_user;
        end else if (r_last) begin
            r_valid <= 1'b0;
        end else if (r_valid) begin
            r_phase <= r_phase + 2'd1;
        end
        // X
        x_valid <= r_last;
        if (r_last) begin
            x_tin  <= r_tin;
            x_tout <= r_tout;
            x_hin  <= r_hin;
            x_hout <= r_hout;
            x_now  <= r_now;
            x_lo   <= r_lo;
            x_user <= r_user;
            x_hit  <= lk_hit;
        end
        // W
        w_valid <= x_valid;
        if (x_valid) begin
            w_tin   <= x_tin;
            w_tout  <= x_tout;
            w_hin   <= x_hin;
            w_hout  <= x_hout;
            w_now   <= x_now;
            w_user  <= x_user;
            w_hit   <= x_hit;
            w_match <= xs_match;
            w_free  <= xs_free;
            w_mw    <= xs_mw;
            w_fw    <= xs_fw;
            w_ow    <= xs_ow;
            w_live  <= xs_live;
            w_word  <= rd_word;
        end
        // output FIFO
        if (o_push) begin
            ofifo[o_wp] <= {w_user, w_res};
            o_wp <= o_wp + 1'b1;
        end
        if (o_pop)
            o_rp <= o_rp + 1'b1;
        o_count <= o_count + {{OUT_AW{1'b0}}, o_push} - {{OUT_AW{1'b0}}, o_pop};
        // RAM clear after reset
        if (!init_done) begin
            init_ptr <= init_ptr + 1'b1;
            if (init_ptr == SETS[SET_W:0] - 1'b1)
                init_done <= 1'b1;
        end
        if (rst) begin
            h_valid   <= 1'b0;
            r_valid   <= 1'b0;
            r_phase   <= 2'd0;
            x_valid   <= 1'b0;
            w_valid   <= 1'b0;
            o_count   <= 0;
            o_wp      <= 0;
            o_rp      <= 0;
            init_ptr  <= 0;
            init_done <= 1'b0;
        end
    end

    assign m_axis_tvalid = o_count != 0;
    assign m_axis_tdata  = ofifo[o_rp][RES_W-1:0];
    assign m_axis_tuser  = ofifo[o_rp][RES_W +: USER_W];
endmodule
`resetall
