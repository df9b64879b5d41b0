// tw_link_tx: the device frame builder. Two sources share one byte stream towards the host:
//   src_*   the command executor (responses, counter snapshots, error reports): offers type and length, gets
//           src_ack the clock after its frame starts, then streams the payload bytes; it waits while the link is
//           full.
//   s_axis_rec_*  alert and flow records, one beat per record (tdata byte 0 = first payload byte, tuser =
//           {length[7:0], type[7:0]}, length <= REC_BYTES, larger is clamped). A record offered while rec_room is
//           high is taken: the link copies its ceil(length / 8) 64-bit words, one a clock, from s_axis_rec_tdata
//           into a word FIFO in block RAM (room for 2**REC_FIFO_AW records of REC_BYTES), so the source holds
//           tdata unchanged until rec_room is high again (tw_rec_out waits for rec_room, and writes its record
//           register only then). The records are never back-pressured: one offered while rec_room is low (the
//           link still copying the last one, or no room for a whole record) is dropped whole, counted
//           (ev_tx_drop) and consumes a sequence number, so the host sees a gap of exactly the number of records
//           dropped. (Before session 12: a FIFO of 16 whole records, 2,016 bits wide, and a 2,000-bit shift
//           register: about 2,000 LUT4 of distributed RAM and 4,000 flip-flops at REC_BYTES 250.)
// A frame starts only when the output FIFO has room for all of it (tx_free), so frames are never cut. Each frame
// gets the next 16-bit sequence number; the executor's frames go first. Records leave CTRL_RESERVE bytes free for
// command answers, and err_room tells the executor when an error report fits without touching that reserve, so a
// host that stops reading still gets its commands executed and answered (until the answers fill the reserve).
// Timing: the room decisions (a frame fits, an error report fits) are registers computed a clock ahead from tx_free
// less the byte this clock writes (tx_free only falls by writes), for a source whose frame is offered unchanged
// for that clock: a frame starts one clock after it is offered (and one clock after the previous one ended) at the
// earliest, and never on a room figure older than a clock.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_protocol.vh"

module tw_link_tx #(
    parameter REC_BYTES = 64,
    parameter REC_FIFO_AW = 4,
    parameter REC_ENABLE = 1,           // 0: no record input (a top without detection): no word FIFO is built
    parameter FREE_W = 12,
    parameter CTRL_RESERVE = 64
) (
    input  wire                   clk,
    input  wire                   rst,

    input  wire                   src_valid,
    input  wire [7:0]             src_type,
    input  wire [15:0]            src_len,
    input  wire [16:0]            src_need,           // src_len + header + CRC (the source's register: timing)
    output wire                   src_ack,
    input  wire [7:0]             src_tdata,
    input  wire                   src_tvalid,
    output wire                   src_tready,

    input  wire [REC_BYTES*8-1:0] s_axis_rec_tdata,
    input  wire [15:0]            s_axis_rec_tuser,
    input  wire                   s_axis_rec_tvalid,
    output wire                   s_axis_rec_tready,
    output wire                   rec_room,           // the record FIFO can take a record now (a source that waits
                                                      // for it, one record in flight at a time, never loses one)

    output wire [7:0]             m_axis_tdata,
    output wire                   m_axis_tvalid,
    input  wire                   m_axis_tready,
    input  wire [FREE_W-1:0]      tx_free,
    output wire                   err_room,

    output wire                   ev_tx_frame,
    output wire                   ev_tx_drop
);

localparam [16:0] ERR_FRAME = `TW_PROTO_ERROR_LEN + `TW_PROTO_HDR_BYTES + `TW_PROTO_CRC_BYTES;
localparam [7:0] SYNC0 = `TW_PROTO_SYNC0;
localparam [7:0] SYNC1 = `TW_PROTO_SYNC1;
// states 1..7 send SYNC0, SYNC1, type, seq low/high, len low/high (stepped by + 1; the bytes from hdr_sr_reg)
localparam [3:0] ST_IDLE = 4'd0, ST_S0 = 4'd1, ST_TYPE = 4'd3, ST_LENH = 4'd7, ST_PAY = 4'd8, ST_CRCL = 4'd9,
                 ST_CRCH = 4'd10;

initial begin
    if (REC_BYTES < 1 || REC_BYTES > 255) begin
        $error("tw_link_tx: REC_BYTES must be 1..255");
        $finish;
    end
end

// ---- record input: a word FIFO (the payload) and a header FIFO ({length, type} of complete records) ----
localparam integer RWORDS = (REC_BYTES + 7) / 8;
localparam integer KW = RWORDS > 1 ? $clog2(RWORDS) : 1;          // word index within a record
localparam integer WA = REC_FIFO_AW + $clog2(RWORDS > 1 ? RWORDS : 2);
localparam integer WROOM_I = (1 << WA) - RWORDS;
localparam [WA:0] WROOM = WROOM_I[WA:0];      // at most this many words held: a whole record fits

wire [63:0]   wq;                              // the word at the FIFO's read pointer, a clock late
wire [15:0]   rf_hdr;                          // {length, type} of the record at the header FIFO's head
wire          rf_valid;
wire          rf_pop;
wire          w_load;                          // the framer takes wq and moves to the next word
wire          room_w;
wire          drop;

generate
if (REC_ENABLE != 0) begin : g_rec
reg  [63:0]   wmem [0:(1 << WA)-1];
reg  [63:0]   wq_reg = 64'd0;                  // wmem[wrd_ptr], a clock late (registered read)
reg  [WA:0]   wwr_ptr = {(WA+1){1'b0}};
reg  [WA:0]   wrd_ptr = {(WA+1){1'b0}};
reg           cp_busy = 1'b0;                  // copying a record's words
reg  [KW-1:0] cp_k = {KW{1'b0}};               // word being copied
reg  [KW-1:0] cp_last = {KW{1'b0}};            // its last word
reg  [15:0]   cp_hdr = 16'd0;                  // {length, type}
reg           room_reg = 1'b0;
wire [7:0]    rec_len_in = s_axis_rec_tuser[15:8] > REC_BYTES[7:0] ? REC_BYTES[7:0] : s_axis_rec_tuser[15:8];
wire          take = s_axis_rec_tvalid && room_reg;
assign        drop = s_axis_rec_tvalid && !room_reg;
wire          hf_ready;
wire          hf_push = (cp_busy && cp_k == cp_last) || (take && rec_len_in == 8'd0);
wire [15:0]   hf_in = cp_busy ? cp_hdr : {rec_len_in, s_axis_rec_tuser[7:0]};

tw_sync_fifo #(.WIDTH(16), .DEPTH_W(REC_FIFO_AW)) hdr_fifo (
    .clk(clk), .rst(rst),
    .s_data(hf_in), .s_valid(hf_push), .s_ready(hf_ready),
    .m_data(rf_hdr), .m_valid(rf_valid), .m_ready(rf_pop)
);

/* verilator lint_off UNUSEDSIGNAL */
wire [7:0]  wsel_n = (rec_len_in - 8'd1) >> 3;  // the record's last word
/* verilator lint_on UNUSEDSIGNAL */
wire [63:0] rec_words [0:RWORDS-1];        // the record's words (a word index, not a bit shift: a 64-bit mux)
genvar gw;
for (gw = 0; gw < RWORDS; gw = gw + 1) begin : words
    if (gw * 64 + 64 <= REC_BYTES * 8) begin : whole
        assign rec_words[gw] = s_axis_rec_tdata[gw*64 +: 64];
    end else begin : part
        assign rec_words[gw] = {{(gw * 64 + 64 - REC_BYTES * 8){1'b0}}, s_axis_rec_tdata[REC_BYTES*8-1:gw*64]};
    end
end

always @(posedge clk) begin
    if (cp_busy)
        wmem[wwr_ptr[WA-1:0]] <= rec_words[cp_k];
    wq_reg <= wmem[wrd_ptr[WA-1:0]];
end

// room for a whole record of REC_BYTES next clock: not copying, no record taken this clock, the header FIFO has
// an entry free, and the word FIFO RWORDS words free (what it holds now, plus what this clock writes)
wire [WA:0] w_used_next = (wwr_ptr + {{WA{1'b0}}, cp_busy}) - wrd_ptr;
always @(posedge clk) begin
    room_reg <= !take && !(cp_busy && cp_k != cp_last) && hf_ready && !hf_push && w_used_next <= WROOM;
    if (take) begin
        cp_busy <= rec_len_in != 8'd0;
        cp_k <= {KW{1'b0}};
        cp_last <= wsel_n[KW-1:0];
        cp_hdr <= {rec_len_in, s_axis_rec_tuser[7:0]};
    end else if (cp_busy) begin
        cp_k <= cp_k + 1'b1;
        if (cp_k == cp_last)
            cp_busy <= 1'b0;
    end
    if (cp_busy)
        wwr_ptr <= wwr_ptr + 1'b1;
    if (w_load)
        wrd_ptr <= wrd_ptr + 1'b1;
    if (rst) begin
        room_reg <= 1'b0;
        cp_busy <= 1'b0;
        wwr_ptr <= {(WA+1){1'b0}};
        wrd_ptr <= {(WA+1){1'b0}};
    end
end

assign wq = wq_reg;
assign room_w = room_reg;
end else begin : g_norec
// no record input: the port is tied off (tw_board_core without detection); the framer sends command answers only
assign wq = 64'd0;
assign rf_hdr = 16'd0;
assign rf_valid = 1'b0;
assign room_w = 1'b0;
assign drop = s_axis_rec_tvalid;
/* verilator lint_off UNUSEDSIGNAL */
wire unused_norec = &{1'b0, s_axis_rec_tdata, s_axis_rec_tuser, rf_pop, w_load};
/* verilator lint_on UNUSEDSIGNAL */
end
endgenerate

assign s_axis_rec_tready = 1'b1;
assign rec_room = room_w;

// ---- framer ----
reg [3:0]  state_reg = ST_IDLE;
reg        from_rec_reg = 1'b0;
reg [15:0] len_reg = 16'd0;
reg [15:0] left_reg = 16'd0;
reg [15:0] seq_reg = 16'd0;
reg [1:0]  seq_inc_reg = 2'd0;             // frames started and records dropped last clock: the next sequence
                                           // number is seq_reg + seq_inc_reg (timing: no start logic in front
                                           // of the adder)
reg [15:0] crc_reg = 16'hffff;
// Timing: the CRC takes each byte a clock after it moved (cb_reg), so the byte multiplexer does not feed the CRC
// tree in the same clock; the first CRC byte waits (tvalid low) for a clock while the last byte is folded in.
reg [7:0]  cb_reg = 8'd0;
reg        cb_v_reg = 1'b0;
reg [63:0] rec_reg = 64'd0;                // the payload word being sent, shifted a byte at a time
reg [2:0]  pay_idx_reg = 3'd0;             // its byte
reg        ev_frame_reg = 1'b0, ev_drop_reg = 1'b0;
// The byte multiplexer's selects as one-hot phase flags kept beside state_reg, and the header bytes in a shift
// register loaded at the start (timing: no 4-bit state decode and 9-way multiplexer between state_reg and the
// transmit FIFO's RAM, the executor's buffer or the CRC): ph_hdr_reg = ST_S0..ST_LENH, ph_pay_reg = ST_PAY,
// ph_crcl_reg = ST_CRCL, ph_crch_reg = ST_CRCH; hdr_sr_reg[7:0] is the header byte of the current state.
reg        ph_hdr_reg = 1'b0, ph_pay_reg = 1'b0, ph_crcl_reg = 1'b0, ph_crch_reg = 1'b0;
reg        pay_src_reg = 1'b0;             // ph_pay_reg && !from_rec_reg
reg [55:0] hdr_sr_reg = 56'd0;

wire [7:0]  rf_len = rf_hdr[15:8];
wire [7:0]  rf_type = rf_hdr[7:0];
wire [16:0] need_src = src_need;
wire [16:0] need_rec = {9'd0, rf_len} + `TW_PROTO_HDR_BYTES + `TW_PROTO_CRC_BYTES;
wire [16:0] free17 = {{(17-FREE_W){1'b0}}, tx_free};
reg         src_fits_reg = 1'b0;   // the offered src frame fits (computed a clock ago, for the same offer)
reg         rec_fits_reg = 1'b0;   // the record at the FIFO's head fits, leaving the reserve
reg         err_room_reg = 1'b0;
wire        start_src = state_reg == ST_IDLE && src_valid && src_fits_reg;
wire        start_rec = state_reg == ST_IDLE && !src_valid && rf_valid && rec_fits_reg;
assign err_room = err_room_reg;
assign rf_pop = start_rec;
// src_ack a clock after the frame starts (timing: the executor's state, its offer, this start and the executor's
// loads on the ack were a round trip between the two blocks, the Colorlight parser build's core path at 10.9 ns).
// The executor holds its offer one clock more, which starts nothing (the state has left ST_IDLE), and its first
// payload byte is still ahead of the 7 header bytes.
reg         src_ack_reg = 1'b0;
assign src_ack = src_ack_reg;

wire       w_first = state_reg == ST_LENH && len_reg != 16'd0;
wire       w_next = state_reg == ST_PAY && pay_idx_reg == 3'd7 && left_reg != 16'd1;
wire [7:0] pay_byte = from_rec_reg ? rec_reg[7:0] : src_tdata;
wire [7:0] byte_w = ({8{ph_hdr_reg}} & hdr_sr_reg[7:0]) | ({8{ph_pay_reg}} & pay_byte)
                  | ({8{ph_crcl_reg}} & crc_reg[7:0]) | ({8{ph_crch_reg}} & crc_reg[15:8]);
wire       valid_w = ph_hdr_reg || (ph_pay_reg && (from_rec_reg || src_tvalid)) || (ph_crcl_reg && !cb_v_reg)
                  || ph_crch_reg;

wire moved = valid_w && m_axis_tready;
assign w_load = moved && from_rec_reg && (w_first || w_next);
wire [15:0] crc_next;
tw_link_crc16 crc_inst (.crc_in(crc_reg), .data(cb_reg), .crc_out(crc_next));

assign m_axis_tdata = byte_w;
assign m_axis_tvalid = valid_w;
assign src_tready = pay_src_reg && m_axis_tready;
assign ev_tx_frame = ev_frame_reg;
assign ev_tx_drop = ev_drop_reg;

// room next clock >= tx_free now less the byte written now (reads only add room). Both outcomes are compared in
// parallel and the byte written picks one at the end (timing: `moved` comes late, through the executor's output
// and the FIFO's full flag, and no longer feeds an adder and a compare).
wire [16:0] need_rec_res = need_rec + CTRL_RESERVE[16:0];
wire [16:0] need_err_res = ERR_FRAME + CTRL_RESERVE[16:0];
wire        src_fits_0 = free17 >= need_src, src_fits_1 = free17 > need_src;
wire        rec_fits_0 = free17 >= need_rec_res, rec_fits_1 = free17 > need_rec_res;
wire        err_room_0 = free17 >= need_err_res, err_room_1 = free17 > need_err_res;
always @(posedge clk) begin
    src_fits_reg <= src_valid && !start_src && (moved ? src_fits_1 : src_fits_0);
    rec_fits_reg <= rf_valid && !rf_pop && (moved ? rec_fits_1 : rec_fits_0);
    err_room_reg <= moved ? err_room_1 : err_room_0;
    if (rst) begin
        src_fits_reg <= 1'b0;
        rec_fits_reg <= 1'b0;
        err_room_reg <= 1'b0;
    end
end

always @(posedge clk) begin
    src_ack_reg <= start_src && !rst;
    ev_frame_reg <= 1'b0;
    ev_drop_reg <= drop;
    seq_inc_reg <= {1'b0, start_src || start_rec} + {1'b0, drop};
    seq_reg <= seq_reg + {14'd0, seq_inc_reg};

    cb_v_reg <= 1'b0;
    if (cb_v_reg)
        crc_reg <= crc_next;
    if (start_src || start_rec) begin
        from_rec_reg <= start_rec;
        len_reg <= start_rec ? {8'd0, rf_len} : src_len;
        left_reg <= start_rec ? {8'd0, rf_len} : src_len;
        crc_reg <= 16'hffff;
        state_reg <= ST_S0;
        ph_hdr_reg <= 1'b1;
        hdr_sr_reg <= {start_rec ? {8'd0, rf_len} : src_len, seq_reg + {14'd0, seq_inc_reg},
                       start_rec ? rf_type : src_type, SYNC1, SYNC0};
    end

    if (moved) begin
        if (state_reg >= ST_TYPE && state_reg <= ST_PAY) begin
            cb_reg <= byte_w;
            cb_v_reg <= 1'b1;
        end
        if (ph_hdr_reg)
            hdr_sr_reg <= hdr_sr_reg >> 8;
        case (state_reg)
            ST_LENH: begin
                rec_reg <= wq;
                pay_idx_reg <= 3'd0;
                state_reg <= len_reg == 16'd0 ? ST_CRCL : ST_PAY;
                ph_hdr_reg <= 1'b0;
                ph_pay_reg <= len_reg != 16'd0;
                pay_src_reg <= len_reg != 16'd0 && !from_rec_reg;
                ph_crcl_reg <= len_reg == 16'd0;
            end
            ST_PAY: begin
                rec_reg <= w_next ? wq : rec_reg >> 8;
                pay_idx_reg <= pay_idx_reg + 1'b1;
                left_reg <= left_reg - 1'b1;
                if (left_reg == 16'd1) begin
                    state_reg <= ST_CRCL;
                    ph_pay_reg <= 1'b0;
                    pay_src_reg <= 1'b0;
                    ph_crcl_reg <= 1'b1;
                end
            end
            ST_CRCL: begin
                state_reg <= ST_CRCH;
                ph_crcl_reg <= 1'b0;
                ph_crch_reg <= 1'b1;
            end
            ST_CRCH: begin
                ev_frame_reg <= 1'b1;
                state_reg <= ST_IDLE;
                ph_crch_reg <= 1'b0;
            end
            default: state_reg <= state_reg + 1'b1;
        endcase
    end

    if (rst) begin
        state_reg <= ST_IDLE;
        seq_reg <= 16'd0;
        seq_inc_reg <= 2'd0;
        ev_frame_reg <= 1'b0;
        ev_drop_reg <= 1'b0;
        cb_v_reg <= 1'b0;
        ph_hdr_reg <= 1'b0;
        ph_pay_reg <= 1'b0;
        pay_src_reg <= 1'b0;
        ph_crcl_reg <= 1'b0;
        ph_crch_reg <= 1'b0;
    end
end

endmodule

`resetall
