// tw_link_rx: the command deframer. Hunts for SYNC0 SYNC1, takes the header (type, seq, len), stores the payload in
// a block RAM while it runs the CRC, and offers the command only when the CRC matches (nothing of a bad frame
// reaches the register file). A header with len > PROTO_MAX_LEN, type 0 or a device type (bit 7) is rejected at
// once; a candidate frame that stops receiving bytes for RX_TIMEOUT clocks (a corrupted length waiting for bytes
// that never come) is given up. After any rejection the hunt starts again at the byte after the rejected sync:
// every byte taken is kept in a history RAM and replayed from there, so a real frame that began inside the rejected
// one is still found (like the host decoder). The executor reads the payload through
// cmd_raddr/cmd_rdata (two clocks of latency: the RAM's register and a fabric register behind it; the first 8
// bytes also come ready in cmd_arg) and releases the buffer
// with cmd_done; until then no byte is taken (the FIFO in front and the FT245 hold the rest back).
// Timing: a fetch stage (b_*) takes each byte, live or replayed from the history, into a register before the
// deframer looks at it (the RAM's and the FIFO's outputs each straight into a register of their own, as a block
// RAM's clock-to-output delay leaves little of a 125 MHz clock), so neither reaches the CRC compare, and a
// rejection never steers the RAM address in the same clock: the byte fetched behind a rejected candidate is
// dropped (it is in the history and comes again by replay) and the fetch pauses one clock while the RAM reads
// the new position. One byte per clock as before, one clock more latency. A rejection is itself registered
// (reject_reg) and acted on a clock later (the hunt restarts, the fetch position moves back; nothing is fetched or
// taken in that clock), so the byte compares behind a rejection feed one register only, not the fetch and history
// control: a rejection costs two idle clocks instead of one.
// Event pulses feed the link counters: good frames, CRC errors, header errors, timeouts, resyncs (a run of
// discarded bytes begins) and discarded bytes (0..2 per clock; every byte taken ends up either in a good frame or
// discarded exactly once).
// Timing: the state is one-hot (each state test is one flip-flop: the byte-taken enable, the CRC and payload write
// enables and the next state sat three LUTs behind a 3-bit state compare), and the last payload byte is a flag
// set a byte ahead (last_reg), not a 16-bit compare in front of the next state. Whether a byte is SYNC0 or SYNC1
// is decided as it comes in (live) and kept with it in the history (10-bit words), so the hunt's tests of the
// fetched byte are flags, not 8-bit compares behind the live / replay select. The second CRC byte's compare is
// registered too, and the verdict taken in a state of its own (ST_CHK, one clock, no byte taken): a frame is
// offered a clock later.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_protocol.vh"

module tw_link_rx #(
    parameter MAX_LEN = `TW_PROTO_MAX_LEN,
    parameter ADDR_W = 10,                // payload buffer address width: 2**ADDR_W >= MAX_LEN
    parameter HIST_AW = 11,               // history RAM: 2**HIST_AW > the largest frame
    parameter RX_TIMEOUT = 131072         // clocks without a byte before a started frame is given up (< 2**24)
) (
    input  wire              clk,
    input  wire              rst,

    input  wire [7:0]        s_axis_tdata,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready,

    output wire              cmd_valid,
    output wire [7:0]        cmd_type,
    output wire [15:0]       cmd_seq,
    output wire [15:0]       cmd_len,
    output wire [63:0]       cmd_arg,
    input  wire [ADDR_W-1:0] cmd_raddr,
    output wire [7:0]        cmd_rdata,
    input  wire              cmd_done,

    output wire              ev_frame,
    output wire              ev_crc_err,
    output wire              ev_hdr_err,
    output wire              ev_timeout,
    output wire              ev_resync,
    output wire [1:0]        ev_discard
);

initial begin
    if ((1 << ADDR_W) < MAX_LEN || (1 << HIST_AW) <= MAX_LEN + 10) begin
        $error("tw_link_rx: 2**ADDR_W must hold MAX_LEN bytes and 2**HIST_AW a whole frame");
        $finish;
    end
end

localparam [7:0] SYNC0 = `TW_PROTO_SYNC0;
localparam [7:0] SYNC1 = `TW_PROTO_SYNC1;
// the states, one-hot: S_* is a state's bit in st_reg, ST_* the register's value in it
localparam integer S_HUNT0 = 0, S_HUNT1 = 1, S_HDR = 2, S_PAY = 3, S_CRC0 = 4, S_CRC1 = 5, S_CHK = 6, S_WAIT = 7;
localparam [7:0] ST_HUNT0 = 8'd1 << S_HUNT0, ST_HUNT1 = 8'd1 << S_HUNT1, ST_HDR = 8'd1 << S_HDR,
                 ST_PAY = 8'd1 << S_PAY, ST_CRC0 = 8'd1 << S_CRC0, ST_CRC1 = 8'd1 << S_CRC1, ST_CHK = 8'd1 << S_CHK,
                 ST_WAIT = 8'd1 << S_WAIT;

reg [7:0]  st_reg = ST_HUNT0;
reg [2:0]  hidx_reg = 3'd0;
reg [7:0]  type_reg = 8'd0;
reg [15:0] seq_reg = 16'd0;
reg [15:0] len_reg = 16'd0;
reg [15:0] pidx_reg = 16'd0;
reg [15:0] pidx1_reg = 16'd1;                  // pidx_reg + 1
reg [15:0] lenm1_reg = 16'd0;                  // len_reg - 1
reg        last_reg = 1'b0;                    // in ST_PAY: the byte at pidx_reg is the payload's last (pidx1 == len)
reg [63:0] arg_reg = 64'd0;
reg [15:0] crc_reg = 16'hffff;
reg        crc_lo_ok_reg = 1'b0;                // the first CRC byte matched crc_reg[7:0]
reg        crc_hi_ok_reg = 1'b0;                // the second matched crc_reg[15:8]
reg        discarding_reg = 1'b0;
reg        ev_frame_reg = 1'b0, ev_crc_reg = 1'b0, ev_hdr_reg = 1'b0, ev_resync_reg = 1'b0, ev_tmo_reg = 1'b0;
reg [HIST_AW-1:0] wp_reg = {HIST_AW{1'b0}};   // next history position to write (live bytes)
reg [HIST_AW-1:0] rp_reg = {HIST_AW{1'b0}};   // next position to fetch: rp != wp while replaying
reg [23:0] idle_reg = 24'd0;
reg        idle_hit_reg = 1'b0;                // idle_reg == RX_TIMEOUT (timing: a register, no 24-bit compare in
                                               // front of the rejection)
// no_rw_check: the two RAMs are never read where they are written in a clock whose read data is used (the history
// is read at the write position only during a live fetch, whose read data is never taken; the executor reads the
// payload only while nothing is written), so Yosys needs no collision bypass logic around the block RAMs (timing)
(* no_rw_check *)
reg [9:0]  hist [0:(1 << HIST_AW)-1];         // {byte == SYNC1, byte == SYNC0, byte}
reg [9:0]  hist_q;                             // hist[rp_reg] while replaying
reg [1:0]  ev_discard_reg = 2'd0;
// fetch stage: the next byte for the deframer and its history position
reg        b_valid_reg = 1'b0;
reg        b_replay_reg = 1'b0;                // b_* came from the history (b_hist_reg), else b_live_reg
reg [9:0]  b_live_reg = 10'd0;                 // {byte == SYNC1, byte == SYNC0, byte}, as in the history
reg [9:0]  b_hist_reg = 10'd0;
reg [HIST_AW-1:0] b_pos_reg = {HIST_AW{1'b0}};
reg        hold_reg = 1'b0;                    // after a rejection: the RAM reads the new rp, no fetch
reg        reject_reg = 1'b0;                  // a rejection of the last clock, acted on now
reg        replay_reg = 1'b0;                  // rp_reg != wp_reg (timing: a register, no 11-bit compare in front
                                               // of the fetch, the history address and the FIFO's read enable)
reg [HIST_AW-1:0] rp1_reg = {{(HIST_AW-1){1'b0}}, 1'b1};   // rp_reg + 1
reg [HIST_AW-1:0] cs1_reg = {{(HIST_AW-1){1'b0}}, 1'b1};   // position after the current candidate's SYNC0
reg [HIST_AW-1:0] cs2_reg = {{(HIST_AW-2){1'b0}}, 2'd2};   // cs1_reg + 1

(* no_rw_check *)
reg [7:0]  mem [0:(1 << ADDR_W)-1];
reg [7:0]  rdata_reg;
reg [7:0]  rdata2_reg;

wire replay = replay_reg;
wire take = b_valid_reg && !st_reg[S_WAIT] && !st_reg[S_CHK] && !reject_reg;   // the deframer consumes the fetched byte
wire fetch_slot = !hold_reg && !reject_reg && (!b_valid_reg || take);    // b_* can load this clock
wire live = fetch_slot && !replay;
wire fetch = fetch_slot && (replay || s_axis_tvalid);
wire [9:0] in_word = b_replay_reg ? b_hist_reg : b_live_reg;
wire [7:0] in_data = in_word[7:0];
wire       in_s0 = in_word[8];                 // in_data == SYNC0
wire       in_s1 = in_word[9];                 // in_data == SYNC1
wire [9:0] s_word = {s_axis_tdata == SYNC1, s_axis_tdata == SYNC0, s_axis_tdata};
wire mid_frame = st_reg[S_HDR] || st_reg[S_PAY] || st_reg[S_CRC0] || st_reg[S_CRC1];

wire [15:0] crc_next;
tw_link_crc16 crc_inst (.crc_in(crc_reg), .data(in_data), .crc_out(crc_next));

wire [15:0] len_w = {in_data, len_reg[7:0]};
// the header's verdict at its last byte (the length's high byte) from flags of the bytes before it (timing: a 16-bit
// compare with MAX_LEN behind the live / replay select was 8.95 ns into the next state): len > MAX_LEN as the high
// byte's compare with MAX_LEN's and the low byte's, registered when it came; the type's test likewise
localparam [7:0] MAX_HI = MAX_LEN[15:8], MAX_LO = MAX_LEN[7:0];
reg  lo_gt_reg = 1'b0, lo_zero_reg = 1'b0, type_bad_reg = 1'b0;
wire hdr_bad = in_data > MAX_HI || (in_data == MAX_HI && lo_gt_reg) || type_bad_reg;
wire len_zero = in_data == 8'd0 && lo_zero_reg;
wire rej_hdr = take && st_reg[S_HDR] && hidx_reg == 3'd4 && hdr_bad;
wire chk = st_reg[S_CHK] && !reject_reg;       // the CRC verdict (once: a rejection leaves ST_CHK a clock later)
wire crc_ok = crc_lo_ok_reg && crc_hi_ok_reg;
wire rej_crc = chk && !crc_ok;
wire rej_tmo = mid_frame && !take && !reject_reg && idle_hit_reg;
wire reject = rej_hdr || rej_crc || rej_tmo;
wire [HIST_AW-1:0] cs_next = cs1_reg;
wire [HIST_AW-1:0] rp_next = rp1_reg;
// history read address: hist_q holds the byte at rp for the next clock (after a rejection: from the hold clock on)
wire [HIST_AW-1:0] hist_raddr = (fetch && replay) ? rp_next : rp_reg;

assign s_axis_tready = live;
assign cmd_valid = st_reg[S_WAIT];
assign cmd_type = type_reg;
assign cmd_seq = seq_reg;
assign cmd_len = len_reg;
assign cmd_arg = arg_reg;
assign cmd_rdata = rdata2_reg;
assign ev_frame = ev_frame_reg;
assign ev_crc_err = ev_crc_reg;
assign ev_hdr_err = ev_hdr_reg;
assign ev_timeout = ev_tmo_reg;
assign ev_resync = ev_resync_reg;
assign ev_discard = ev_discard_reg;

always @(posedge clk) begin
    rdata_reg <= mem[cmd_raddr];
    rdata2_reg <= rdata_reg;
    if (take && st_reg[S_PAY])
        mem[pidx_reg[ADDR_W-1:0]] <= in_data;
end

always @(posedge clk) begin
    hist_q <= hist[hist_raddr];
    if (fetch && !replay)
        hist[wp_reg] <= s_word;
    if (fetch && replay)
        b_hist_reg <= hist_q;
    if (fetch && !replay)
        b_live_reg <= s_word;
end

// bytes the hunt throws away this clock
reg [1:0] disc_n;
always @* begin
    disc_n = 2'd0;
    if (take && st_reg[S_HUNT0] && !in_s0)
        disc_n = 2'd1;
    if (take && st_reg[S_HUNT1] && !in_s1)
        disc_n = in_s0 ? 2'd1 : 2'd2;
    if (reject_reg)
        disc_n = 2'd1;  // the rejected candidate's SYNC0; the rest is hunted through again
end

integer ab;
always @(posedge clk) begin
    ev_frame_reg <= 1'b0;
    ev_crc_reg <= 1'b0;
    ev_hdr_reg <= 1'b0;
    ev_resync_reg <= 1'b0;
    ev_tmo_reg <= 1'b0;
    ev_discard_reg <= disc_n;
    if (disc_n != 2'd0) begin
        if (!discarding_reg)
            ev_resync_reg <= 1'b1;
        discarding_reg <= 1'b1;
    end

    hold_reg <= 1'b0;
    if (take)
        b_valid_reg <= 1'b0;
    if (fetch) begin
        b_valid_reg <= 1'b1;
        b_replay_reg <= replay;
        b_pos_reg <= rp_reg;
        rp_reg <= rp_next;
        rp1_reg <= rp1_reg + 1'b1;
        if (!replay)
            wp_reg <= wp_reg + 1'b1;
        else
            replay_reg <= rp_next != wp_reg;
    end
    if (take || !mid_frame)
        idle_reg <= 24'd0;
    else if (!idle_hit_reg)
        idle_reg <= idle_reg + 1'b1;
    idle_hit_reg <= !(take || !mid_frame) && (idle_hit_reg || idle_reg == RX_TIMEOUT[23:0] - 24'd1);

    // one state bit is set: each block below is one state's (no take in ST_CHK or ST_WAIT)
    if (take) begin
        if (st_reg[S_HUNT0]) begin
            if (in_s0)
                st_reg <= ST_HUNT1;
        end
        if (st_reg[S_HUNT1]) begin
            crc_reg <= 16'hffff;
            hidx_reg <= 3'd0;
            cs1_reg <= b_pos_reg;
            cs2_reg <= b_pos_reg + 1'b1;
            if (in_s1)
                st_reg <= ST_HDR;
            else if (!in_s0)
                st_reg <= ST_HUNT0;
        end
        if (st_reg[S_HDR]) begin
            crc_reg <= crc_next;
            hidx_reg <= hidx_reg + 1'b1;
            pidx_reg <= 16'd0;
            pidx1_reg <= 16'd1;
            lenm1_reg <= len_w - 16'd1;
            last_reg <= len_w == 16'd1;
            arg_reg <= 64'd0;
            case (hidx_reg)
                3'd0: begin
                    type_reg <= in_data;
                    type_bad_reg <= in_data == 8'd0 || in_data[7];
                end
                3'd1: seq_reg[7:0] <= in_data;
                3'd2: seq_reg[15:8] <= in_data;
                3'd3: begin
                    len_reg[7:0] <= in_data;
                    lo_gt_reg <= in_data > MAX_LO;
                    lo_zero_reg <= in_data == 8'd0;
                end
                default: begin
                    len_reg[15:8] <= in_data;
                    if (hdr_bad) begin
                        ev_hdr_reg <= 1'b1;
                    end else if (len_zero) begin
                        st_reg <= ST_CRC0;
                    end else begin
                        st_reg <= ST_PAY;
                    end
                end
            endcase
        end
        if (st_reg[S_PAY]) begin
            crc_reg <= crc_next;
            // one write enable per byte (constant part-selects: a computed one is a shifter of the register)
            for (ab = 0; ab < 8; ab = ab + 1)
                if (pidx_reg == ab[15:0])
                    arg_reg[ab*8 +: 8] <= in_data;
            pidx_reg <= pidx1_reg;
            pidx1_reg <= pidx1_reg + 1'b1;
            last_reg <= pidx1_reg == lenm1_reg;
            if (last_reg)
                st_reg <= ST_CRC0;
        end
        if (st_reg[S_CRC0]) begin
            crc_lo_ok_reg <= in_data == crc_reg[7:0];
            st_reg <= ST_CRC1;
        end
        if (st_reg[S_CRC1]) begin
            crc_hi_ok_reg <= in_data == crc_reg[15:8];
            st_reg <= ST_CHK;
        end
    end
    if (chk) begin
        if (crc_ok) begin
            ev_frame_reg <= 1'b1;
            discarding_reg <= 1'b0;
            st_reg <= ST_WAIT;
        end else begin
            ev_crc_reg <= 1'b1;
        end
    end
    if (st_reg[S_WAIT] && cmd_done)
        st_reg <= ST_HUNT0;
    // a rejected candidate (last clock): hunt again from the byte after its SYNC0
    reject_reg <= reject;
    if (reject_reg) begin
        rp_reg <= cs_next;
        rp1_reg <= cs2_reg;
        replay_reg <= cs_next != wp_reg;    // no fetch (so no write) in this clock: wp_reg holds
        st_reg <= ST_HUNT0;
        b_valid_reg <= 1'b0;
        hold_reg <= 1'b1;
    end
    if (rej_tmo)
        ev_tmo_reg <= 1'b1;

    if (rst) begin
        st_reg <= ST_HUNT0;
        discarding_reg <= 1'b0;
        ev_frame_reg <= 1'b0;
        ev_crc_reg <= 1'b0;
        ev_hdr_reg <= 1'b0;
        ev_resync_reg <= 1'b0;
        ev_discard_reg <= 2'd0;
        ev_tmo_reg <= 1'b0;
        wp_reg <= {HIST_AW{1'b0}};
        rp_reg <= {HIST_AW{1'b0}};
        rp1_reg <= {{(HIST_AW-1){1'b0}}, 1'b1};
        replay_reg <= 1'b0;
        b_valid_reg <= 1'b0;
        hold_reg <= 1'b0;
        reject_reg <= 1'b0;
        idle_reg <= 24'd0;
        idle_hit_reg <= 1'b0;
    end
end

endmodule

`resetall
