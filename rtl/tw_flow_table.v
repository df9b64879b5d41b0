`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_meta.vh"
// tw_flow_table: bidirectional flows of docs/detection.md ("Flows") in block RAM.
//
// Per frame (one metadata record on s_axis) two read-modify-write operations on the table, in this order:
//   ACCESS  the frame's bucket (CRC-32C of the 40-byte canonical key & (BUCKETS-1)): expired ways emit their record
//           (timeout / hard_timeout) and are cleared; the first valid way with the same key is the flow; else the
//           lowest free way, else the least recently seen way is evicted (record `evicted`). Then the flow's
//           counters, flags and state are updated. Frames without an outer IP header only produce a result.
//   SWEEP   every SWEEP_EVERY frames the bucket at the sweep pointer: expired ways emit and are cleared (now = the
//           frame's ts); the pointer advances.
// Other operations: ALERT (s_alert: set the `alerted` bit of flow {bucket, way, flow_id} if it is still there, and
// of its record if that was already emitted and is held), FLUSH (flush_req: after the frames in flight, every valid
// way of every bucket emits `shutdown`, in address order).
//
// `alerted` exact at line rate (docs/engine-front.md "alerted"): s_alert carries ONE item per result (frame), in
// result order, from the alert stage: [84] = 1 with the ALERT operand in [83:0] when the frame raised an alert and
// has a flow, else 0 (the frame is decided, nothing to set). `dec` counts the items (an ALERT item once its operation
// was processed). Every flow record is tagged with the number of frames accessed up to and including the frame (or
// flush) that emitted it and is held (hold queue, HOLD_DEPTH records) until `dec` reaches the tag: every frame that
// could have alerted its flow came before, so its operand has been applied, to the table entry or (the flow already
// emitted) to the held record, matched by flow_id. ALERT operations take priority over frames and the flush and
// need no credit, so a full hold queue (which stalls frames) never blocks the items that drain it.
//
// Table: BUCKETS words of WAYS entries (ENT_W = 791 bits each, layout below); simple dual-port RAM with a
// registered read (block RAM). Operations issue one per cycle (a frame takes two issue slots: 2 cycles per frame):
// the read is presented in the issue cycle; the next cycle (D1) tests the ways, the one after (D2) makes every
// effect and writes the bucket back (since session 16; one cycle D before). A read sampled on the same edge as a
// write returns the old word (read-first); a one-entry bypass register holding that write replaces it when the
// bucket matches. The write still in D2 when the next operation is in D1 is taken into account there from D2's
// registers (its emitted ways are invalid; nothing else it changes is tested, see D1 below), and D2 writes into the
// newest word. So consecutive frames of one flow (both directions, both ports, back to back) are exact.
//
// Outputs:
//   m_axis  one result per frame, in frame order (layout below): the flow after this frame, its bucket and way.
//   m_rec   flow records (layout below), in the reference's emission order.
// Credits: an operation issues only when the result FIFO and the record-batch FIFO have room for everything in
// flight, so back-pressure on either output stalls the input, never loses anything.
//
// Entry (per way, LSB first): valid 0, cli_is_b 1, state 3:2, alerted 4, fin_ts 5, fin_tc 6, flags_ts 14:7,
// flags_tc 22:15, first_ts 86:23, last_ts 150:87, flow_id 214:151, pkts_ts 278:215, pkts_tc 342:279,
// bytes_ts 406:343, bytes_tc 470:407, key 790:471 (key byte 0 in the top bits).
// Result (m_axis_tdata): [0] flow (the frame has an outer IP header), [1] toclient, [2] created, [3] evicted (this
// frame's new flow evicted another), [5:4] state, [13:6] flags_ts, [21:14] flags_tc, [85:22] flow_id,
// [149:86] pkts_ts, [213:150] pkts_tc, [277:214] bytes_ts, [341:278] bytes_tc, [405:342] first_ts,
// [469:406] last_ts, [485:470] bucket, [489:486] way.
// Record (m_rec_tdata): [63:0] flow_id, [191:64] client address, [319:192] server address, [335:320] client port,
// [351:336] server port, [359:352] proto, [367:360] ip_ver, [383:368] vlan, [447:384] pkts_toserver,
// [511:448] pkts_toclient, [575:512] bytes_toserver, [639:576] bytes_toclient, [703:640] first_ts,
// [767:704] last_ts, [775:768] tcp_flags_ts, [783:776] tcp_flags_tc, [785:784] state, [787:786] reason
// (0 timeout, 1 hard_timeout, 2 evicted, 3 shutdown), [788] alerted.
module tw_flow_table #(
    parameter integer BUCKETS     = 4096,
    parameter integer WAYS        = 4,
    parameter integer SWEEP_EVERY = 1,
    parameter integer FCS_BYTES   = 0,
    parameter integer USER_W      = 32,
    parameter integer RES_DEPTH   = 8,   // result FIFO entries (power of two, >= 4)
    parameter integer BATCH_DEPTH = 4,   // record-batch FIFO entries (power of two, >= 4)
    parameter integer HOLD_DEPTH  = 32,  // flow records held until their frame is decided (power of two, >= 2)
    parameter integer CNT_W       = 64   // bits the statistics counters keep (tw_detect extends them to 64)
) (
    input  wire                   clk,
    input  wire                   rst,
    input  wire [63:0]            cfg_idle_ns,     // FLOW_IDLE (reference 60 s)
    input  wire [63:0]            cfg_hard_ns,     // FLOW_HARD (reference 600 s)

    input  wire                   s_axis_tvalid,
    output wire                   s_axis_tready,
    input  wire [`TW_M_WIDTH-1:0] s_axis_tdata,
    input  wire [USER_W-1:0]      s_axis_tuser,

    output wire                   m_axis_tvalid,
    input  wire                   m_axis_tready,
    output wire [489:0]           m_axis_tdata,
    output wire [USER_W-1:0]      m_axis_tuser,

    output wire                   m_rec_tvalid,
    input  wire                   m_rec_tready,
    output wire [788:0]           m_rec_tdata,

    input  wire                   s_alert_tvalid,
    output wire                   s_alert_tready,
    input  wire [84:0]            s_alert_tdata,   // one per result: [84] alert: [15:0] bucket, [19:16] way,
                                                   // [83:20] flow_id; 0: decided only

    input  wire                   flush_req,       // pulse: emit every flow (end of input)
    output wire                   flush_busy,

    output reg                    init_done,
    output reg  [63:0]            cnt_created,
    output reg  [63:0]            cnt_evicted,
    output reg  [63:0]            cnt_sweeps,
    output reg  [63:0]            cnt_no_ip
);
    localparam integer BW     = $clog2(BUCKETS);
    localparam [63:0] CNT_MASK = CNT_W >= 64 ? ~64'd0 : ~(~64'd0 << CNT_W);   // the statistics counters' bits
    localparam integer ENT_W  = 791;
    localparam integer WORD_W = WAYS * ENT_W;
    localparam integer RES_W  = 490;
    localparam integer RAW    = $clog2(RES_DEPTH);
    localparam integer BAW    = $clog2(BATCH_DEPTH);
    localparam integer BATCH_W = WORD_W + 3 * WAYS;   // old bucket, emit mask, reasons
    localparam integer SWC_W  = (SWEEP_EVERY > 1) ? $clog2(SWEEP_EVERY) + 1 : 1;
    localparam integer HAW    = $clog2(HOLD_DEPTH);
    localparam integer TAG_W  = 16;      // frame counts mod 2^16 (frames in flight are far fewer)

    // entry fields
    localparam integer E_VALID = 0, E_CLIB = 1, E_STATE = 2, E_ALERT = 4, E_FINTS = 5, E_FINTC = 6, E_FLTS = 7,
                       E_FLTC = 15, E_FIRST = 23, E_LAST = 87, E_ID = 151, E_PTS = 215, E_PTC = 279, E_BTS = 343,
                       E_BTC = 407, E_KEY = 471;
    localparam [1:0] ST_NEW = 2'd0, ST_EST = 2'd1, ST_CLOSED = 2'd2;
    localparam [1:0] R_TIMEOUT = 2'd0, R_HARD = 2'd1, R_EVICTED = 2'd2, R_SHUTDOWN = 2'd3;
    localparam [1:0] OP_ACCESS = 2'd0, OP_SWEEP = 2'd1, OP_ALERT = 2'd2, OP_FLUSH = 2'd3;

    // ---------------------------------------------------------------- canonical key of the incoming record
    /* verilator lint_off UNUSEDSIGNAL */
    wire [`TW_M_WIDTH-1:0] m = s_axis_tdata;   // only the flow fields, ts and len are used
    /* verilator lint_on UNUSEDSIGNAL */
    wire [3:0]   k_ver   = m[`TW_M_O_IP_VER];
    wire         k_flow  = (k_ver == 4'd4) || (k_ver == 4'd6);
    wire [7:0]   k_proto = m[`TW_M_O_IP_PROTO];
    wire         k_l4    = m[`TW_M_O_L4];
    wire         k_ports = k_l4 && (k_proto == 8'd6 || k_proto == 8'd17 || k_proto == 8'd132);
    wire [143:0] k_s     = {m[`TW_M_O_IP_SRC], k_ports ? m[`TW_M_O_SPORT] : 16'd0};
    wire [143:0] k_d     = {m[`TW_M_O_IP_DST], k_ports ? m[`TW_M_O_DPORT] : 16'd0};
    wire         k_rev   = k_s > k_d;           // memcmp order of big-endian byte strings
    wire [143:0] k_a     = k_rev ? k_d : k_s;
    wire [143:0] k_b     = k_rev ? k_s : k_d;
    wire [15:0]  k_vlan  = (m[`TW_M_O_VLAN_N] != 2'd0) ? {4'd0, m[`TW_M_O_VLAN0_TCI_LSB +: 12]} : 16'd0;
    wire [319:0] k_key   = {k_a[143:16], k_b[143:16], k_a[15:0], k_b[15:0], k_proto, 4'd0, k_ver, k_vlan};
    wire [15:0]  k_len   = m[`TW_M_LEN];
    wire [15:0]  k_flen  = (k_len > FCS_BYTES[15:0]) ? k_len - FCS_BYTES[15:0] : 16'd0;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [15:0]  unused_alert = s_alert_tdata[15:0];   // bucket bits above BW
    /* verilator lint_on UNUSEDSIGNAL */
    // the bucket: the low BW bits of the key's CRC-32C, computed where it is registered (H, on an accepted record)
    localparam integer CRC_W = 320;
`include "tw_crc32_fn.vh"
    wire [31:0] unused_crc_poly = CRC32;   // this table uses CRC-32C only
    function [BW-1:0] key_bucket;
        input [CRC_W-1:0] data;
        /* verilator lint_off UNUSEDSIGNAL */
        reg   [31:0]      c;                // bits above BW: not part of the bucket
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            c          = tw_crc32_fn(data, CRC32C);
            key_bucket = c[BW-1:0];
        end
    endfunction

    // ---------------------------------------------------------------- RAM (simple dual port, read-first)
    reg  [WORD_W-1:0] mem [0:BUCKETS-1];
    reg  [BW-1:0]     rd_addr;
    reg  [WORD_W-1:0] rd_q;
    reg               wr_en;
    reg  [BW-1:0]     wr_addr;
    reg  [WORD_W-1:0] wr_data;
    always @(posedge clk) begin
        if (wr_en)
            mem[wr_addr] <= wr_data;
        rd_q <= mem[rd_addr];
    end
    // (the bucket match registered with the write, not compared behind the RAM's output: timing, session 15)
    reg               byp_en, byp_same;
    reg  [WORD_W-1:0] byp_data;
    always @(posedge clk) begin
        byp_en    <= wr_en;
        byp_same  <= wr_addr == rd_addr;
        byp_data  <= wr_data;
        if (rst)
            byp_en <= 1'b0;
    end
    wire [WORD_W-1:0] rd_word = (byp_en && byp_same) ? byp_data : rd_q;

    // ---------------------------------------------------------------- H: the accepted record
    reg               h_valid;
    reg  [319:0]      h_key;
    reg  [BW-1:0]     h_bkt;
    reg               h_flow, h_rev, h_tcp;
    reg  [7:0]        h_flags;
    reg  [15:0]       h_flen;
    reg  [63:0]       h_now;
    reg  [USER_W-1:0] h_user;

    // R: the frame issuing its two operations (phase 0 ACCESS, phase 1 SWEEP)
    reg               r_valid, r_phase;
    reg  [319:0]      r_key;
    reg  [BW-1:0]     r_bkt, r_sbkt;
    reg               r_flow, r_rev, r_tcp, r_sweep;
    reg  [7:0]        r_flags;
    reg  [15:0]       r_flen;
    reg  [63:0]       r_now;
    reg  [USER_W-1:0] r_user;

    // D1: the operation whose bucket is on rd_word (its tests: which ways expire, match, are free, are used)
    reg               d1_valid;
    reg  [1:0]        d1_op;
    reg               d1_en;           // ACCESS: the frame has a flow; SWEEP: a sweep step is due
    reg  [BW-1:0]     d1_bkt;
    reg  [319:0]      d1_key;
    reg               d1_rev, d1_tcp;
    reg  [7:0]        d1_flags;
    reg  [15:0]       d1_flen;
    reg  [63:0]       d1_now;
    reg  [63:0]       d1_ilo, d1_hlo;  // now - idle, now - hard (exp_of)
    reg               d1_iok, d1_hok;  // now > idle, now > hard
    reg  [USER_W-1:0] d1_user;
    reg  [3:0]        d1_way;          // ALERT
    reg  [63:0]       d1_id;           // ALERT
    // D (the second clock, D2): the operation D1 tested, its results, and its effects (write-back, result, records)
    reg               d_valid;
    reg  [1:0]        d_op;
    reg               d_en;          // ACCESS: the frame has a flow; SWEEP: a sweep step is due
    reg  [BW-1:0]     d_bkt;
    reg  [319:0]      d_key;
    reg               d_rev, d_tcp;
    reg  [7:0]        d_flags;
    reg  [15:0]       d_flen;
    reg  [63:0]       d_now;
    reg  [USER_W-1:0] d_user;
    reg  [63:0]       d_id;          // ALERT
    reg  [WORD_W-1:0] d_word;        // the bucket as D1 saw it
    reg               d_sub;         // the operation before this one wrote this bucket (its write: byp_data)
    reg  [WAYS-1:0]   d_xem;         // ways emitted by D1's tests (expired, flushed; not the eviction)
    reg  [2*WAYS-1:0] d_xrsn;        // their reasons
    reg  [WAYS-1:0]   d_alm;         // ALERT: the way that holds the flow
    reg  [WAYS-1:0]   d_live;        // ways valid and not expired
    reg  [WAYS-1:0]   d_keq;         // ACCESS: ways whose key is the frame's
    reg  [3:0]        d_ow;          // the least recently seen way (lowest on a tie)
    reg  [WAYS-1:0]   d_em;          // ways whose entry is emitted (and cleared): d_xem and the eviction
    reg  [2*WAYS-1:0] d_rsn;         // their reasons
    reg               d_created, d_evicted;
    reg  [3:0]        d_uw;          // ACCESS: the way used

    reg  [BW-1:0]     sweep_ptr;
    reg  [SWC_W-1:0]  sweep_cnt;
    reg  [63:0]       next_id;
    reg               flush_pend, flushing;
    reg  [BW:0]       flush_ptr;
    reg  [BW:0]       init_ptr;

    // ---------------------------------------------------------------- output FIFOs and credits
    reg  [RES_W+USER_W-1:0] rfifo [0:RES_DEPTH-1];
    reg  [RAW:0]      r_count;
    reg  [RAW-1:0]    r_wp, r_rp;
    reg  [BATCH_W-1:0] bfifo [0:BATCH_DEPTH-1];
    reg  [BAW:0]      b_count;
    reg  [BAW-1:0]    b_wp, b_rp;
    wire [RAW+1:0]    r_need = {1'b0, r_count} + {{RAW{1'b0}}, d_valid} + {{RAW{1'b0}}, d1_valid} + 1'b1;
    wire [BAW+1:0]    b_need = {1'b0, b_count} + {{BAW{1'b0}}, d_valid} + {{BAW{1'b0}}, d1_valid} + 1'b1;
    wire credit = init_done && r_need <= RES_DEPTH[RAW+1:0] && b_need <= BATCH_DEPTH[BAW+1:0];

    // ---------------------------------------------------------------- issue
    // an ALERT item goes first (no credit needed: it makes no result and no record); a decided-only item is taken
    // at once (it only counts)
    wire al_set    = s_alert_tdata[84];
    wire iss_alert = init_done && s_alert_tvalid && al_set;
    wire al_dec    = init_done && s_alert_tvalid && !al_set;
    wire iss_flush = flushing && credit && !iss_alert;
    wire iss_frame = !flushing && r_valid && credit && !iss_alert;
    wire issue     = iss_flush || iss_frame || iss_alert;
    assign s_alert_tready = iss_alert || al_dec;
    // H moves into R when R is empty or R issues its last slot now
    wire h_go = h_valid && !flushing && (r_valid ? (r_phase && iss_frame) : 1'b1);
    assign s_axis_tready = init_done && !flush_pend && !flushing && (!h_valid || h_go);
    wire s_fire = s_axis_tvalid && s_axis_tready;
    reg  flush_tail;                   // the flush's records are not all out yet
    assign flush_busy = flush_pend || flushing || flush_tail;

    always @* begin
        if (iss_alert)
            rd_addr = s_alert_tdata[BW-1:0];
        else if (flushing)
            rd_addr = flush_ptr[BW-1:0];
        else if (r_valid)
            rd_addr = r_phase ? r_sbkt : r_bkt;
        else
            rd_addr = s_alert_tdata[BW-1:0];
    end

    // ---------------------------------------------------------------- D: process the bucket
    /* verilator lint_off UNUSEDSIGNAL */
    // {expired, hard}: expired at now (reads first_ts and last_ts of the entry). now > ts && now - ts > idle is
    // ts < now - idle when now > idle (and never otherwise): the bounds are registered with the operation (d_ilo,
    // d_hlo; d_iok, d_hok: now > idle, now > hard), so one comparison per test follows the RAM, not a subtraction
    // and a comparison in series (timing, session 15)
    function [1:0] exp_of;
        input [ENT_W-1:0] e;
        input [63:0] ilo;
        input        iok;
        input [63:0] hlo;
        input        hok;
        begin
            if (iok && e[E_LAST +: 64] < ilo)
                exp_of = 2'b10;
            else if (hok && e[E_FIRST +: 64] < hlo)
                exp_of = 2'b11;
            else
                exp_of = 2'b00;
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    // D1: the tests of the operation on its bucket. The word is the RAM's (with the bypass register for the write
    // of the edge it was read on); the write of the operation just ahead, still in D2, is taken into account from
    // D2's registers: the ways it clears (emitted) are invalid. Nothing else of it can change a test here:
    //   - a pending ACCESS is followed by its frame's SWEEP or by an ALERT, never by an ACCESS (the SWEEP slot comes
    //     between). Its hit way keeps its validity, id and liveness at the frame's now (it was live at that now, and
    //     an access only moves last_ts up), so the old entry answers as the new one does; a way it fills with a new
    //     flow was invalid or emitted (so invalid here) and is neither expired at that now nor any ALERT's flow;
    //   - a pending ALERT sets only the alerted bit, which no test reads (D2 takes the entry from the newest word).
    wire              p_wen = d_valid && nw_en;                 // D2 writes back now
    wire              p_sub = p_wen && d_bkt == d1_bkt;         // ... the bucket D1 is testing
    // D1 registers each way's tests (liveness, key match, expiry's and flush's emits, the ALERT's way, the least
    // recently seen way); D2 derives the hit, the way used, creation and eviction from them (a few gates on WAYS
    // bits). Timing (session 18): the RAM's output through the 320-bit key compare, the hit, the way chosen and the
    // eviction's emit in one clock was the block's slowest path.
    reg  [WAYS-1:0]   t_em;
    reg  [2*WAYS-1:0] t_rsn;
    reg  [WAYS-1:0]   t_alm;
    reg  [WAYS-1:0]   t_keq;
    reg  [3:0]        t_ow;
    reg  [63:0]       t_olast;
    reg  [ENT_W-1:0]  e_old;
    reg  [1:0]        ex;
    reg               t_v, t_x;
    reg  [WAYS-1:0]   t_live;          // valid and not expired (after this operation's own expiries)
    integer w;
    always @* begin
        t_em = {WAYS{1'b0}};
        t_rsn = {2*WAYS{1'b0}};
        t_alm = {WAYS{1'b0}};
        t_live = {WAYS{1'b0}};
        t_keq = {WAYS{1'b0}};
        t_ow = 4'd0;
        t_olast = rd_word[E_LAST +: 64];
        e_old = {ENT_W{1'b0}};
        ex = 2'b00;
        t_v = 1'b0; t_x = 1'b0;
        for (w = 0; w < WAYS; w = w + 1) begin
            e_old = rd_word[w * ENT_W +: ENT_W];
            t_v = e_old[E_VALID] && !(p_sub && d_em[w]);
            ex = exp_of(e_old, d1_ilo, d1_iok, d1_hlo, d1_hok);
            t_x = t_v && ex[1];
            t_live[w] = t_v && !t_x;
            case (d1_op)
            OP_ACCESS, OP_SWEEP: if (d1_en && t_x) begin
                t_em[w] = 1'b1;
                t_rsn[2 * w +: 2] = ex[0] ? R_HARD : R_TIMEOUT;
            end
            OP_ALERT:
                t_alm[w] = d1_way == w[3:0] && t_v && e_old[E_ID +: 64] == d1_id;
            default:   // OP_FLUSH
                if (t_v) begin
                    t_em[w] = 1'b1;
                    t_rsn[2 * w +: 2] = R_SHUTDOWN;
                end
            endcase
            t_keq[w] = d1_op == OP_ACCESS && e_old[E_KEY +: 320] == d1_key;
            if (w > 0 && rd_word[w * ENT_W + E_LAST +: 64] < t_olast) begin
                t_olast = rd_word[w * ENT_W + E_LAST +: 64];
                t_ow = w[3:0];
            end
        end
    end

    // D2's decisions from D1's registers: a hit is the first live way with the frame's key; without one the lowest
    // free way, else the least recently seen is evicted (its emit added to D1's)
    reg               g_hit, g_fre;
    reg  [3:0]        g_hw, g_fw;
    always @* begin
        g_hit = 1'b0; g_fre = 1'b0; g_hw = 4'd0; g_fw = 4'd0;
        for (w = 0; w < WAYS; w = w + 1) begin
            if (!g_hit && d_live[w] && d_keq[w]) begin
                g_hit = 1'b1;
                g_hw = w[3:0];
            end
            if (!g_fre && !d_live[w]) begin
                g_fre = 1'b1;
                g_fw = w[3:0];
            end
        end
        d_uw = g_hit ? g_hw : g_fre ? g_fw : d_ow;
        d_created = !g_hit;
        d_evicted = !g_hit && !g_fre;
        d_em = d_xem;
        d_rsn = d_xrsn;
        if (d_op == OP_ACCESS && d_en)
            for (w = 0; w < WAYS; w = w + 1)
                if (d_evicted && d_ow == w[3:0]) begin
                    d_em[w] = 1'b1;
                    d_rsn[2 * w +: 2] = R_EVICTED;
                end
    end

    // D2: the effects. The newest word: the pending write's (the bypass register) when the operation before this one
    // wrote the bucket, else the word D1 read (which has every older write).
    wire [WORD_W-1:0] dw = d_sub ? byp_data : d_word;
    reg  [WORD_W-1:0] nw;              // the bucket to write back
    reg               nw_en;
    reg  [ENT_W-1:0]  e_new;
    reg               tc;
    reg  [RES_W-1:0]  res;
    always @* begin
        nw        = dw;
        nw_en     = 1'b0;
        tc        = 1'b0;
        e_new     = {ENT_W{1'b0}};
        res       = {RES_W{1'b0}};
        for (w = 0; w < WAYS; w = w + 1)
            if (d_em[w])
                nw[w * ENT_W + E_VALID] = 1'b0;
        case (d_op)
        OP_ACCESS: if (d_en) begin
            // the used way's entry, a WAYS-to-1 multiplexer: a part-select at d_uw * ENT_W (ENT_W not a power of
            // two) becomes a multiplier and a barrel shifter in synthesis
            for (w = 0; w < WAYS; w = w + 1)
                if (d_uw == w[3:0])
                    e_new = dw[w * ENT_W +: ENT_W];
            if (d_created) begin
                e_new = {ENT_W{1'b0}};
                e_new[E_VALID] = 1'b1;
                e_new[E_KEY +: 320] = d_key;
                e_new[E_CLIB] = d_rev;
                e_new[E_ID +: 64] = next_id + 64'd1;
                e_new[E_FIRST +: 64] = d_now;
                e_new[E_LAST +: 64] = d_now;
                e_new[E_STATE +: 2] = ST_NEW;
            end
            // update
            tc = d_rev != e_new[E_CLIB];
            if (d_now > e_new[E_LAST +: 64])
                e_new[E_LAST +: 64] = d_now;
            if (tc) begin
                e_new[E_PTC +: 64] = e_new[E_PTC +: 64] + 64'd1;
                e_new[E_BTC +: 64] = e_new[E_BTC +: 64] + {48'd0, d_flen};
            end else begin
                e_new[E_PTS +: 64] = e_new[E_PTS +: 64] + 64'd1;
                e_new[E_BTS +: 64] = e_new[E_BTS +: 64] + {48'd0, d_flen};
            end
            if (d_tcp) begin
                if (tc) begin
                    e_new[E_FLTC +: 8] = e_new[E_FLTC +: 8] | d_flags;
                    if (d_flags[0])
                        e_new[E_FINTC] = 1'b1;
                end else begin
                    e_new[E_FLTS +: 8] = e_new[E_FLTS +: 8] | d_flags;
                    if (d_flags[0])
                        e_new[E_FINTS] = 1'b1;
                end
            end
            if (e_new[E_STATE +: 2] != ST_CLOSED) begin
                if (d_tcp && (d_flags[2] || (e_new[E_FINTS] && e_new[E_FINTC])))
                    e_new[E_STATE +: 2] = ST_CLOSED;
                else if (e_new[E_PTS +: 64] != 64'd0 && e_new[E_PTC +: 64] != 64'd0)
                    e_new[E_STATE +: 2] = ST_EST;
            end
            for (w = 0; w < WAYS; w = w + 1)
                if (d_uw == w[3:0])
                    nw[w * ENT_W +: ENT_W] = e_new;
            nw_en = 1'b1;
            res = {d_uw, {(16 - BW){1'b0}}, d_bkt, e_new[E_LAST +: 64], e_new[E_FIRST +: 64], e_new[E_BTC +: 64],
                   e_new[E_BTS +: 64], e_new[E_PTC +: 64], e_new[E_PTS +: 64], e_new[E_ID +: 64],
                   e_new[E_FLTC +: 8], e_new[E_FLTS +: 8], e_new[E_STATE +: 2], d_evicted, d_created, tc, 1'b1};
        end
        OP_ALERT: begin
            for (w = 0; w < WAYS; w = w + 1)
                if (d_alm[w])
                    nw[w * ENT_W + E_ALERT] = 1'b1;
            nw_en = d_alm != {WAYS{1'b0}};
        end
        default:   // OP_SWEEP, OP_FLUSH: the emitted ways cleared
            nw_en = d_em != {WAYS{1'b0}};
        endcase
    end

    always @* begin
        wr_en   = 1'b0;
        wr_addr = d_bkt;
        wr_data = nw;
        if (!init_done) begin
            wr_en   = !rst;
            wr_addr = init_ptr[BW-1:0];
            wr_data = {WORD_W{1'b0}};
        end else if (d_valid && nw_en) begin
            wr_en = 1'b1;
        end
    end

    wire res_push = d_valid && d_op == OP_ACCESS;
    wire b_push   = d_valid && d_em != {WAYS{1'b0}};

    // ---------------------------------------------------------------- frames accessed, frames decided
    reg  [TAG_W-1:0]  fr_cnt;          // ACCESS operations processed (every frame, with or without a flow)
    reg  [TAG_W-1:0]  dec;             // items taken (an ALERT item once processed in D2)
    wire              al_d = d_valid && d_op == OP_ALERT;
    // a batch's tag: frames accessed up to and including the one being processed (the flush: every frame)
    wire [TAG_W-1:0]  b_tag_in = fr_cnt + {{(TAG_W-1){1'b0}}, d_op == OP_ACCESS};

    // batch side data: the tag, the emitted flows' ids (for ALERT matching) and the alerted bits ALERT set later
    // (flip-flops, flat: every entry is compared at once)
    reg  [TAG_W*BATCH_DEPTH-1:0]   b_tag;
    reg  [64*WAYS*BATCH_DEPTH-1:0] b_id;
    reg  [WAYS*BATCH_DEPTH-1:0]    b_alr;
    reg  [64*WAYS-1:0]             b_id_in;
    integer bi;
    always @* begin
        b_id_in = {64*WAYS{1'b0}};
        for (bi = 0; bi < WAYS; bi = bi + 1)
            b_id_in[64 * bi +: 64] = dw[bi * ENT_W + E_ID +: 64];
    end
    // the ALERT operation in D against every batch entry's ways (held records are matched by flow_id: unique)
    reg  [WAYS*BATCH_DEPTH-1:0]    b_hit;
    integer bh;
    always @* begin
        for (bh = 0; bh < WAYS * BATCH_DEPTH; bh = bh + 1)
            b_hit[bh] = al_d && b_id[64 * bh +: 64] == d_id;
    end

    // ---------------------------------------------------------------- record serializer (batch -> hold queue)
    reg  [WAYS-1:0]   ser_done;
    wire [BATCH_W-1:0] b_head = bfifo[b_rp];
    wire [WAYS-1:0]   b_mask = b_head[WORD_W +: WAYS] & ~ser_done;
    reg  [WAYS-1:0]   s_one;           // the lowest way of b_mask, one-hot
    always @* begin
        s_one = {WAYS{1'b0}};
        for (w = WAYS - 1; w >= 0; w = w - 1)
            if (b_mask[w]) begin
                s_one = {WAYS{1'b0}};
                s_one[w] = 1'b1;
            end
    end
    // the serialized way's entry and reason, selected by the one-hot s_one (no part-select at a computed
    // way times ENT_W)
    reg  [ENT_W-1:0] s_e;
    reg  [1:0]       s_rsn;
    integer sx;
    always @* begin
        s_e   = {ENT_W{1'b0}};
        s_rsn = 2'd0;
        for (sx = 0; sx < WAYS; sx = sx + 1)
            if (s_one[sx]) begin
                s_e   = b_head[sx * ENT_W +: ENT_W];
                s_rsn = b_head[WORD_W + WAYS + 2 * sx +: 2];
            end
    end
    wire [319:0]     s_key = s_e[E_KEY +: 320];
    wire             s_clb = s_e[E_CLIB];
    // key: a addr 319:192, b addr 191:64, a port 63:48, b port 47:32, proto 31:24, ver 23:16, vlan 15:0
    wire [787:0]     s_rec = {s_rsn, s_e[E_STATE +: 2], s_e[E_FLTC +: 8], s_e[E_FLTS +: 8],
                          s_e[E_LAST +: 64], s_e[E_FIRST +: 64], s_e[E_BTC +: 64], s_e[E_BTS +: 64],
                          s_e[E_PTC +: 64], s_e[E_PTS +: 64], s_key[15:0], s_key[23:16], s_key[31:24],
                          s_clb ? s_key[63:48] : s_key[47:32], s_clb ? s_key[47:32] : s_key[63:48],
                          s_clb ? s_key[319:192] : s_key[191:64], s_clb ? s_key[191:64] : s_key[319:192],
                          s_e[E_ID +: 64]};
    // the alerted bit: the table's at emission, or set since (earlier, or by the ALERT in D now)
    // the head batch's side data, read by constant part-selects (a computed offset synthesizes to a shifter)
    reg  [WAYS-1:0]  s_alr_b;
    reg  [TAG_W-1:0] b_tag_rp;
    integer bx;
    always @* begin
        s_alr_b  = {WAYS{1'b0}};
        b_tag_rp = {TAG_W{1'b0}};
        for (bx = 0; bx < BATCH_DEPTH; bx = bx + 1)
            if (b_rp == bx[BAW-1:0]) begin
                s_alr_b  = b_alr[bx * WAYS +: WAYS] | b_hit[bx * WAYS +: WAYS];
                b_tag_rp = b_tag[bx * TAG_W +: TAG_W];
            end
    end
    wire             s_alr = s_e[E_ALERT] || (s_alr_b & s_one) != {WAYS{1'b0}};

    // ---------------------------------------------------------------- hold queue -> m_rec
    // record bits 787:0 in a block RAM (registered read into the output register); per entry in flip-flops the
    // flow_id (ALERT matching), the alerted bit and the tag
    reg  [787:0]      q_mem [0:HOLD_DEPTH-1];
    reg  [64*HOLD_DEPTH-1:0]    q_id;
    reg  [TAG_W*HOLD_DEPTH-1:0] q_tag;
    reg  [HOLD_DEPTH-1:0] q_alr;
    reg  [HAW:0]      q_count;
    reg  [HAW-1:0]    q_wp, q_rp;
    reg               o_valid, o_alr;
    reg  [787:0]      o_rec;
    wire ser_go = b_count != 0 && q_count != HOLD_DEPTH[HAW:0];
    wire b_pop  = ser_go && (b_mask & ~s_one) == {WAYS{1'b0}};
    // released: every frame up to the tag decided. Counted from fr_cnt: pend = frames not decided (few), age = frames
    // accessed since the record's frame; dec >= tag <=> pend <= age (age wraps only long after release: then the
    // record waits at most until the frames in flight are decided)
    wire [TAG_W-1:0] q_pend = fr_cnt - dec;
    // the tags are a shifting queue: q_tag entry i is the tag of the i-th record from the head, so the head's tag is
    // entry 0, never a select (timing: session 15 kept it in a register loaded by a HOLD_DEPTH-way select by
    // q_rp + 1 on each pop, a 22 ns path in session 16). A pop shifts every entry down one; a push writes entry
    // q_count, or q_count - 1 when a pop shifts in the same clock.
    wire [TAG_W-1:0] q_tag_rp = q_tag[0 +: TAG_W];
    wire [HAW-1:0]   q_rp_nx = q_rp + 1'b1;
    wire [TAG_W-1:0] q_age  = fr_cnt - q_tag_rp;
    wire q_rel = q_count != 0 && q_pend <= q_age;
    wire q_pop = q_rel && (!o_valid || m_rec_tready);
    reg  [HOLD_DEPTH-1:0] q_hit;
    integer qi;
    always @* begin
        for (qi = 0; qi < HOLD_DEPTH; qi = qi + 1)
            q_hit[qi] = al_d && q_id[64 * qi +: 64] == d_id;
    end
    always @(posedge clk) begin
        if (ser_go) begin
            q_mem[q_wp] <= s_rec;
        end
        if (q_pop)
            o_rec <= q_mem[q_rp];
    end
    assign m_rec_tvalid = o_valid;
    assign m_rec_tdata  = {o_alr, o_rec};

    // ---------------------------------------------------------------- sequential
    integer bs, qs;
    wire r_pop = m_axis_tvalid && m_axis_tready;
    always @(posedge clk) begin
        // H
        if (s_fire) begin
            h_key   <= k_key;
            h_bkt   <= key_bucket(k_key);
            h_flow  <= k_flow;
            h_rev   <= k_rev;
            h_tcp   <= k_l4 && k_proto == 8'd6;
            h_flags <= m[`TW_M_O_TCP_FLAGS];
            h_flen  <= k_flen;
            h_now   <= m[`TW_M_TS];
            h_user  <= s_axis_tuser;
        end
        if (s_fire)
            h_valid <= 1'b1;
        else if (h_go)
            h_valid <= 1'b0;
        // R
        if (h_go) begin
            r_valid <= 1'b1;
            r_phase <= 1'b0;
            r_key   <= h_key;
            r_bkt   <= h_bkt;
            r_flow  <= h_flow;
            r_rev   <= h_rev;
            r_tcp   <= h_tcp;
            r_flags <= h_flags;
            r_flen  <= h_flen;
            r_now   <= h_now;
            r_user  <= h_user;
            // the sweep step of this frame (the counter runs in frame order)
            r_sbkt  <= sweep_ptr;
            if (sweep_cnt + 1'b1 >= SWEEP_EVERY[SWC_W-1:0]) begin
                r_sweep   <= 1'b1;
                sweep_cnt <= {SWC_W{1'b0}};
                sweep_ptr <= sweep_ptr + 1'b1;
            end else begin
                r_sweep   <= 1'b0;
                sweep_cnt <= sweep_cnt + 1'b1;
            end
        end else if (iss_frame && r_phase) begin
            r_valid <= 1'b0;
        end else if (iss_frame) begin
            r_phase <= 1'b1;
        end
        // D1
        d1_valid <= issue;
        if (issue) begin
            d1_bkt <= rd_addr;
            d1_key <= r_key;
            d1_rev <= r_rev;
            d1_tcp <= r_tcp;
            d1_flags <= r_flags;
            d1_flen <= r_flen;
            d1_now <= r_now;
            d1_ilo <= r_now - cfg_idle_ns;
            d1_hlo <= r_now - cfg_hard_ns;
            d1_iok <= r_now > cfg_idle_ns;
            d1_hok <= r_now > cfg_hard_ns;
            d1_user <= r_user;
            d1_way <= s_alert_tdata[19:16];
            d1_id  <= s_alert_tdata[83:20];
            if (iss_alert) begin
                d1_op <= OP_ALERT;
                d1_en <= 1'b1;
            end else if (iss_flush) begin
                d1_op <= OP_FLUSH;
                d1_en <= 1'b1;
            end else if (!r_phase) begin
                d1_op <= OP_ACCESS;
                d1_en <= r_flow;
            end else begin
                d1_op <= OP_SWEEP;
                d1_en <= r_sweep;
            end
        end
        // D2
        d_valid <= d1_valid;
        if (d1_valid) begin
            d_op      <= d1_op;
            d_en      <= d1_en;
            d_bkt     <= d1_bkt;
            d_key     <= d1_key;
            d_rev     <= d1_rev;
            d_tcp     <= d1_tcp;
            d_flags   <= d1_flags;
            d_flen    <= d1_flen;
            d_now     <= d1_now;
            d_user    <= d1_user;
            d_id      <= d1_id;
            d_word    <= rd_word;
            d_sub     <= p_sub;
            d_xem     <= t_em;
            d_xrsn    <= t_rsn;
            d_alm     <= t_alm;
            d_live    <= t_live;
            d_keq     <= t_keq;
            d_ow      <= t_ow;
        end
        if (d_valid && d_op == OP_ACCESS) begin
            if (d_en && d_created)
                next_id <= next_id + 64'd1;
            if (d_en && d_created)
                cnt_created <= (cnt_created + 64'd1) & CNT_MASK;
            if (d_en && d_evicted)
                cnt_evicted <= (cnt_evicted + 64'd1) & CNT_MASK;
            if (!d_en)
                cnt_no_ip <= (cnt_no_ip + 64'd1) & CNT_MASK;
        end
        if (d_valid && d_op == OP_SWEEP && d_en)
            cnt_sweeps <= (cnt_sweeps + 64'd1) & CNT_MASK;
        // flush
        if (flush_req && init_done)
            flush_pend <= 1'b1;
        if (flush_pend && !h_valid && !r_valid && !flushing) begin
            flush_pend <= 1'b0;
            flushing   <= 1'b1;
            flush_ptr  <= 0;
        end
        if (iss_flush) begin
            flush_ptr <= flush_ptr + 1'b1;
            if (flush_ptr == BUCKETS[BW:0] - 1'b1)
                flushing <= 1'b0;
        end
        // result FIFO
        if (res_push) begin
            rfifo[r_wp] <= {d_user, res};
            r_wp <= r_wp + 1'b1;
        end
        if (r_pop)
            r_rp <= r_rp + 1'b1;
        r_count <= r_count + {{RAW{1'b0}}, res_push} - {{RAW{1'b0}}, r_pop};
        // batch FIFO
        if (b_push) begin
            bfifo[b_wp] <= {d_rsn, d_em, dw};
            b_wp <= b_wp + 1'b1;
        end
        b_alr <= b_alr | b_hit;
        // the pushed batch's side data: one write enable per entry (constant part-selects, no shifter)
        for (bs = 0; bs < BATCH_DEPTH; bs = bs + 1)
            if (b_push && b_wp == bs[BAW-1:0]) begin
                b_tag[bs * TAG_W +: TAG_W] <= b_tag_in;
                b_id[bs * 64 * WAYS +: 64 * WAYS] <= b_id_in;
                b_alr[bs * WAYS +: WAYS] <= {WAYS{1'b0}};
            end
        if (b_pop) begin
            b_rp <= b_rp + 1'b1;
            ser_done <= {WAYS{1'b0}};
        end else if (ser_go) begin
            ser_done <= ser_done | s_one;
        end
        b_count <= b_count + {{BAW{1'b0}}, b_push} - {{BAW{1'b0}}, b_pop};
        // hold queue
        q_alr <= q_alr | q_hit;
        for (qs = 0; qs < HOLD_DEPTH; qs = qs + 1) begin
            if (ser_go && q_wp == qs[HAW-1:0]) begin
                q_alr[qs] <= s_alr;
                q_id[qs * 64 +: 64] <= s_e[E_ID +: 64];
            end
            if (q_pop && qs < HOLD_DEPTH - 1)
                q_tag[qs * TAG_W +: TAG_W] <= q_tag[(qs + 1) * TAG_W +: TAG_W];
            if (ser_go && (q_pop ? q_count == qs[HAW:0] + 1'b1 : q_count == qs[HAW:0]))
                q_tag[qs * TAG_W +: TAG_W] <= b_tag_rp;
        end
        if (ser_go)
            q_wp <= q_wp + 1'b1;
        if (q_pop) begin
            q_rp <= q_rp_nx;
            o_alr <= q_alr[q_rp];
        end
        q_count <= q_count + {{HAW{1'b0}}, ser_go} - {{HAW{1'b0}}, q_pop};
        if (q_pop)
            o_valid <= 1'b1;
        else if (m_rec_tready)
            o_valid <= 1'b0;
        // frame counts
        if (d_valid && d_op == OP_ACCESS)
            fr_cnt <= fr_cnt + 1'b1;
        // an ALERT item counts in the clock its effects land (D2), a decided-only item when it is taken: `dec` is a
        // count, so a record tagged T is released only once T items are counted, every ALERT item of a frame <= T
        // among them; counting a later decided-only item first releases nothing early
        dec <= dec + {{(TAG_W-1){1'b0}}, al_dec} + {{(TAG_W-1){1'b0}}, al_d};
        // the flush is busy until its last record is out
        if (iss_flush && flush_ptr == BUCKETS[BW:0] - 1'b1)
            flush_tail <= 1'b1;
        else if (flush_tail && !d1_valid && !d_valid && b_count == 0 && q_count == 0 && !o_valid)
            flush_tail <= 1'b0;
        // RAM clear after reset
        if (!init_done) begin
            init_ptr <= init_ptr + 1'b1;
            if (init_ptr == BUCKETS[BW:0] - 1'b1)
                init_done <= 1'b1;
        end
        if (rst) begin
            h_valid <= 1'b0;
            r_valid <= 1'b0;
            r_phase <= 1'b0;
            d1_valid <= 1'b0;
            d1_op <= OP_ACCESS;
            d_valid <= 1'b0;
            d_op <= OP_ACCESS;
            sweep_ptr <= 0;
            sweep_cnt <= 0;
            next_id <= 64'd0;
            flush_pend <= 1'b0;
            flushing <= 1'b0;
            flush_ptr <= 0;
            r_count <= 0;
            r_wp <= 0;
            r_rp <= 0;
            b_count <= 0;
            b_wp <= 0;
            b_rp <= 0;
            ser_done <= 0;
            q_count <= 0;
            q_wp <= 0;
            q_rp <= 0;
            o_valid <= 1'b0;
            fr_cnt <= 0;
            dec <= 0;
            flush_tail <= 1'b0;
            init_ptr <= 0;
            init_done <= 1'b0;
            cnt_created <= 64'd0;
            cnt_evicted <= 64'd0;
            cnt_sweeps <= 64'd0;
            cnt_no_ip <= 64'd0;
        end
    end

    assign m_axis_tvalid = r_count != 0;
    assign m_axis_tdata  = rfifo[r_rp][RES_W-1:0];
    assign m_axis_tuser  = rfifo[r_rp][RES_W +: USER_W];
endmodule
`resetall
