// tw_link_cmd: executes one verified command at a time and builds its answer frame through tw_link_tx.
//   REG_READ / REG_WRITE  every address of the burst is checked first (chk_*); a bad one fails the whole burst with
//                         ST_BAD_ADDR and nothing is read or written. Reads answer with the values, writes without.
//   TABLE_WRITE           count words to the table port (tbl_*), one per word, index counting up.
//   COMMIT                one commit_stb with the mask.     TIME_SET  one time_set_stb with the value.
//   CNT_SNAPSHOT          answers with a DEV_COUNTERS frame: the time and count 64-bit counters.
// Anything malformed is answered with a DEV_RESP carrying the status and counted (ev_bad_cmd). When idle it also
// reports new link errors (CRC errors, rejected headers, dropped records) as DEV_ERROR frames, one per kind, at
// most one every ERR_GAP clocks (the counts are cumulative, so a later report covers what a pause held back).
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_protocol.vh"
`include "tw_regs.vh"

module tw_link_cmd #(
    parameter ADDR_W = 10,
    parameter ERR_GAP = 65536           // clocks between two DEV_ERROR frames (< 2**24)
) (
    input  wire              clk,
    input  wire              rst,

    // from tw_link_rx
    input  wire              cmd_valid,
    input  wire [7:0]        cmd_type,
    input  wire [15:0]       cmd_seq,
    input  wire [15:0]       cmd_len,
    input  wire [63:0]       cmd_arg,
    output wire [ADDR_W-1:0] cmd_raddr,
    input  wire [7:0]        cmd_rdata,
    output wire              cmd_done,

    // register bus (tw_regfile)
    output wire              reg_req,
    output wire              reg_we,
    output wire [15:0]       reg_addr,
    output wire [31:0]       reg_wdata,
    input  wire              reg_ack,
    input  wire [31:0]       reg_rdata,
    output wire [15:0]       chk_addr,
    output wire              chk_we,
    input  wire              chk_ok,

    // core side
    output wire              tbl_we,
    output wire [7:0]        tbl_id,
    output wire [15:0]       tbl_addr,
    output wire [31:0]       tbl_data,
    output wire              commit_stb,
    output wire [31:0]       commit_mask,
    output wire              time_set_stb,
    output wire [63:0]       time_set_ns,

    // to tw_link_tx
    output wire              src_valid,
    output wire [7:0]        src_type,
    output wire [15:0]       src_len,
    output wire [16:0]       src_need,         // src_len + header + CRC: the bytes the frame takes (timing)
    input  wire              src_ack,
    output wire [7:0]        src_tdata,
    output wire              src_tvalid,
    input  wire              src_tready,

    // error totals to report
    input  wire [31:0]       tot_crc,
    input  wire [31:0]       tot_hdr,
    input  wire [31:0]       tot_drop,
    input  wire              err_room,         // an error report fits without using the answers' reserve
    output wire              ev_bad_cmd
);

initial begin
    if (ERR_GAP < 2 || ERR_GAP >= (1 << 24)) begin
        $error("tw_link_cmd: ERR_GAP must be 2..2**24-1");
        $finish;
    end
end

// the states, one-hot (timing: each state test is one flip-flop; the answer buffer's loads and the source's
// type/length sat behind a 4-bit state compare): S_* is a state's bit in state_reg, ST_* the register's value
localparam integer S_IDLE = 0, S_DECODE = 1, S_CHECK = 2, S_FETCH = 3, S_WR = 4, S_WR_WAIT = 5, S_START = 6,
                   S_RD = 7, S_RD_WAIT = 8, S_DONE = 9, S_ERR_TOT = 10, S_PRE = 11, S_ERR_LOAD = 12;
localparam integer NST = 13;
localparam [NST-1:0] ST_IDLE = 13'd1 << S_IDLE, ST_DECODE = 13'd1 << S_DECODE, ST_CHECK = 13'd1 << S_CHECK,
                     ST_FETCH = 13'd1 << S_FETCH, ST_WR = 13'd1 << S_WR, ST_WR_WAIT = 13'd1 << S_WR_WAIT,
                     ST_START = 13'd1 << S_START, ST_RD = 13'd1 << S_RD, ST_RD_WAIT = 13'd1 << S_RD_WAIT,
                     ST_DONE = 13'd1 << S_DONE, ST_ERR_TOT = 13'd1 << S_ERR_TOT, ST_PRE = 13'd1 << S_PRE,
                     ST_ERR_LOAD = 13'd1 << S_ERR_LOAD;
localparam [1:0] M_RESP = 2'd0, M_SNAP = 2'd1, M_ERR = 2'd2;
localparam [15:0] CNT_BASE = `TW_REG_CNT_BASE;
localparam [15:0] TIME_LO = `TW_REG_TIME_LO;
localparam [15:0] TIME_HI = `TW_REG_TIME_HI;
localparam [7:0] ST_OK = `TW_ST_OK, ST_BAD_TYPE = `TW_ST_BAD_TYPE, ST_BAD_LEN = `TW_ST_BAD_LEN,
                 ST_BAD_ADDR = `TW_ST_BAD_ADDR, ST_BAD_COUNT = `TW_ST_BAD_COUNT;
localparam [15:0] MAX_REGS = `TW_PROTO_MAX_REGS, MAX_CNTS = `TW_PROTO_MAX_CNTS, MAX_WORDS = `TW_PROTO_MAX_WORDS;
localparam [15:0] RESP_HDR = `TW_PROTO_RESP_HDR, CNT_HDR = `TW_PROTO_CNT_HDR, ERROR_LEN = `TW_PROTO_ERROR_LEN;
localparam [7:0] DEV_RESP = `TW_DEV_RESP, DEV_COUNTERS = `TW_DEV_COUNTERS, DEV_ERROR = `TW_DEV_ERROR;
localparam [7:0] EC_CRC = `TW_EC_CRC, EC_HDR = `TW_EC_HDR, EC_TX_DROP = `TW_EC_TX_DROP;
localparam [7:0] T_RD = `TW_CMD_REG_READ, T_WR = `TW_CMD_REG_WRITE, T_TBL = `TW_CMD_TABLE_WRITE,
                 T_COMMIT = `TW_CMD_COMMIT, T_TIME = `TW_CMD_TIME_SET, T_SNAP = `TW_CMD_CNT_SNAPSHOT;

reg [NST-1:0] state_reg = ST_IDLE;
reg [1:0]  mode_reg = M_RESP;
reg [7:0]  status_reg = 8'd0;
reg [15:0] base_reg = 16'd0;       // first address (register, counter index or table index)
reg [15:0] count_reg = 16'd0;
reg [15:0] i_reg = 16'd0;          // item in progress
reg [15:0] n_reg = 16'd0;          // items to read in the answer
reg [2:0]  j_reg = 3'd0;           // byte of the word being fetched
reg [ADDR_W-1:0] off_reg = {ADDR_W{1'b0}};
reg [31:0] word_reg = 32'd0;
reg [63:0] obuf_reg = 64'd0;
reg [3:0]  ocnt_reg = 4'd0;
reg        ofree_reg = 1'b1;                   // ocnt_reg == 0, written with it (timing: src_tvalid is a register)
reg        req_reg = 1'b0, we_reg = 1'b0, tbl_we_reg = 1'b0, commit_reg = 1'b0, time_set_reg = 1'b0;
reg        bad_reg = 1'b0;
reg [15:0] addr_reg = 16'd0;
reg [7:0]  src_type_reg = 8'd0;
reg [15:0] src_len_reg = 16'd0;
reg [16:0] src_need_reg = 17'd0;
localparam [16:0] FRAME_OVH = `TW_PROTO_HDR_BYTES + `TW_PROTO_CRC_BYTES;
reg [7:0]  err_code_reg = 8'd0;
reg [31:0] err_tot_reg = 32'd0;
reg [31:0] rep_crc_reg = 32'd0, rep_hdr_reg = 32'd0, rep_drop_reg = 32'd0;
reg [23:0] err_wait_reg = 24'd0;

wire [15:0] a0 = cmd_arg[15:0];
wire [15:0] a1 = cmd_arg[31:16];
wire [15:0] a2 = cmd_arg[47:32];
// cmd_type holds still while cmd_valid (S_IDLE with cmd_valid precedes S_DECODE): a registered compare (timing)
reg         is_snap_reg = 1'b0;
wire        is_snap = is_snap_reg;
// the other command types, one-hot and registered the same way (timing: no 8-bit compare of cmd_type, a register
// of tw_link_rx, in the executor's decisions; valid from S_PRE on, while the command is held)
reg         t_rd_reg = 1'b0, t_wr_reg = 1'b0, t_tbl_reg = 1'b0, t_commit_reg = 1'b0, t_time_reg = 1'b0;
// The decode's verdict (the answer's status, the next state, a commit or time strobe), registered every clock from
// the flags below: S_IDLE (command offered) -> S_PRE (the flags hold the command's checks) -> S_DECODE (the
// verdict holds them), so S_DECODE only loads registers (timing: one clock more per command).
reg  [7:0]  dec_status_reg = 8'd0;
reg  [NST-1:0] dec_state_reg = ST_START;
reg         dec_commit_reg = 1'b0, dec_time_reg = 1'b0;
reg         rd_last_reg = 1'b0;    // i_reg + 1 == n_reg, a clock ago (valid in S_RD_WAIT: i_reg holds since S_RD)
reg         rd_end_reg = 1'b0;     // i_reg == n_reg (valid in S_RD)
// Timing (a 125 MHz core on ECP5): addresses are registers stepped with the item index instead of adders on
// i_reg, the address check is pipelined (the verdict on item i is acted on a clock later, so a check takes one
// clock more), and the error-report decision uses flags registered a clock earlier.
// address of item i while checking: registers base+i, counters CNT_BASE + 2*(base+i)
reg  [17:0] chk_full_reg = 18'd0;
wire [17:0] chk_full = chk_full_reg;
wire        chk_wrap = chk_full[17:16] != 2'b00;
// The register file's chk_ok is itself a register (the verdict on the address of a clock ago): item i's address is
// on chk_addr at clock t, its verdict on chk_ok at t+1, in chk_ok_reg at t+2, acted on then.
reg         chk_v1_reg = 1'b0;     // an item was issued a clock ago (its wrap and last flags below)
reg         chk_wrap1_reg = 1'b0;
reg         chk_last1_reg = 1'b0;
reg         chk_v_reg = 1'b0;      // chk_ok_reg / chk_last_reg hold the verdict on the item of two clocks ago
reg         chk_ok_reg = 1'b0;
reg         chk_last_reg = 1'b0;
reg  [15:0] rd_addr_reg = 16'd0;   // address of answer item i_reg
reg  [15:0] cnt_first_reg = 16'd0; // snapshot: address of the first counter word
reg  [15:0] tbl_addr_reg = 16'd0;
reg  [2:0]  pend_reg = 3'b000;     // {drop, hdr, crc} reports pending, as of a clock ago
reg         ew_zero_reg = 1'b1;    // err_wait_reg reached 0 (a clock ago)
reg         i_last_reg = 1'b0;     // i_reg + 1 == count_reg, a clock ago (valid in S_WR_WAIT: i_reg holds since S_WR)
// address of answer item i: registers base+i; snapshot: TIME_LO, TIME_HI, then counter words
wire [15:0] rd_addr_w = rd_addr_reg;
// The command's length and count checks, registered every clock from cmd_* (timing: no adder and compare in front
// of the decode's case). cmd_* hold still while cmd_valid, and S_DECODE follows an S_IDLE clock with cmd_valid, so
// in S_DECODE these flags are those of the command being decoded.
reg         len4_reg = 1'b0, len8_reg = 1'b0;
reg         wr_len_bad_reg = 1'b0, tbl_len_bad_reg = 1'b0;
reg         a1_zero_reg = 1'b0, a1_over_regs_reg = 1'b0, a1_over_cnts_reg = 1'b0, a2_bad_reg = 1'b0;
wire        obuf_free = ofree_reg;
wire        pend_crc = tot_crc != rep_crc_reg;
wire        pend_hdr = tot_hdr != rep_hdr_reg;
wire        pend_drop = tot_drop != rep_drop_reg;

assign cmd_raddr = off_reg + {{(ADDR_W-3){1'b0}}, j_reg};
assign cmd_done = state_reg[S_DONE] && obuf_free && mode_reg != M_ERR;
assign reg_req = req_reg;
assign reg_we = we_reg;
assign reg_addr = addr_reg;
assign reg_wdata = word_reg;
assign chk_addr = chk_full[15:0];
assign chk_we = t_wr_reg;
assign tbl_we = tbl_we_reg;
assign tbl_id = cmd_arg[7:0];
assign tbl_addr = tbl_addr_reg;
assign tbl_data = word_reg;
assign commit_stb = commit_reg;
assign commit_mask = cmd_arg[31:0];
assign time_set_stb = time_set_reg;
assign time_set_ns = cmd_arg;
assign src_valid = state_reg[S_START];
assign src_type = src_type_reg;
assign src_len = src_len_reg;
assign src_need = src_need_reg;
assign src_tdata = obuf_reg[7:0];
assign src_tvalid = !obuf_free;
assign ev_bad_cmd = bad_reg;

always @(posedge clk) begin
    req_reg <= 1'b0;
    tbl_we_reg <= 1'b0;
    commit_reg <= 1'b0;
    time_set_reg <= 1'b0;
    bad_reg <= 1'b0;
    if (err_wait_reg != 24'd0)
        err_wait_reg <= err_wait_reg - 1'b1;
    // a clock stale at most: a report keeps the executor out of S_IDLE for more than a clock, and ERR_GAP >= 2
    pend_reg <= {pend_drop, pend_hdr, pend_crc};
    ew_zero_reg <= err_wait_reg <= 24'd1;
    i_last_reg <= i_reg + 1'b1 == count_reg;
    is_snap_reg <= cmd_type == T_SNAP;
    t_rd_reg <= cmd_type == T_RD;
    t_wr_reg <= cmd_type == T_WR;
    t_tbl_reg <= cmd_type == T_TBL;
    t_commit_reg <= cmd_type == T_COMMIT;
    t_time_reg <= cmd_type == T_TIME;
    rd_last_reg <= i_reg + 1'b1 == n_reg;
    // the decode's verdict from the registered flags (same priorities as the checks in docs/protocol.md)
    dec_status_reg <= ST_OK;
    dec_state_reg <= ST_START;
    dec_commit_reg <= 1'b0;
    dec_time_reg <= 1'b0;
    if (t_rd_reg || is_snap_reg) begin
        if (!len4_reg)
            dec_status_reg <= ST_BAD_LEN;
        else if (a1_zero_reg || (is_snap_reg ? a1_over_cnts_reg : a1_over_regs_reg))
            dec_status_reg <= ST_BAD_COUNT;
        else
            dec_state_reg <= ST_CHECK;
    end else if (t_wr_reg) begin
        if (wr_len_bad_reg)
            dec_status_reg <= ST_BAD_LEN;
        else if (a1_zero_reg || a1_over_regs_reg)
            dec_status_reg <= ST_BAD_COUNT;
        else
            dec_state_reg <= ST_CHECK;
    end else if (t_tbl_reg) begin
        if (tbl_len_bad_reg)
            dec_status_reg <= ST_BAD_LEN;
        else if (a2_bad_reg)
            dec_status_reg <= ST_BAD_COUNT;
        else
            dec_state_reg <= ST_FETCH;
    end else if (t_commit_reg) begin
        if (!len4_reg)
            dec_status_reg <= ST_BAD_LEN;
        else
            dec_commit_reg <= 1'b1;
    end else if (t_time_reg) begin
        if (!len8_reg)
            dec_status_reg <= ST_BAD_LEN;
        else
            dec_time_reg <= 1'b1;
    end else begin
        dec_status_reg <= ST_BAD_TYPE;
    end
    len4_reg <= cmd_len == 16'd4;
    len8_reg <= cmd_len == 16'd8;
    wr_len_bad_reg <= cmd_len < 16'd4 || {2'b00, cmd_len} != {a1, 2'b00} + 18'd4;
    tbl_len_bad_reg <= cmd_len < 16'd8 || {2'b00, cmd_len} != {a2, 2'b00} + 18'd8;
    a1_zero_reg <= a1 == 16'd0;
    a1_over_regs_reg <= a1 > MAX_REGS;
    a1_over_cnts_reg <= a1 > MAX_CNTS;
    a2_bad_reg <= a2 == 16'd0 || a2 > MAX_WORDS;
    if (src_tvalid && src_tready) begin
        obuf_reg <= obuf_reg >> 8;
        ocnt_reg <= ocnt_reg - 1'b1;
        ofree_reg <= ocnt_reg == 4'd1;
    end

    // one state bit is set (a reset sets ST_IDLE): each block below is one state's
    if (state_reg[S_IDLE]) begin
        i_reg <= 16'd0;
        j_reg <= 3'd0;
        status_reg <= ST_OK;
        mode_reg <= M_RESP;
        n_reg <= 16'd0;
        if (cmd_valid) begin
            state_reg <= ST_PRE;
        end else if (pend_reg != 3'b000 && ew_zero_reg && err_room) begin
            state_reg <= ST_ERR_LOAD;
        end
    end
    if (state_reg[S_ERR_LOAD]) begin
        // an error report (decided in S_IDLE; timing: the decision does not steer these loads). pend_reg only
        // gains bits meanwhile (rep_* change only here), so a report is still pending.
        err_wait_reg <= ERR_GAP[23:0];
        mode_reg <= M_ERR;
        src_type_reg <= DEV_ERROR;
        src_len_reg <= ERROR_LEN;
        src_need_reg <= {1'b0, ERROR_LEN} + FRAME_OVH;
        state_reg <= ST_START;
        if (pend_reg[0]) begin
            err_code_reg <= EC_CRC;
            word_reg <= tot_crc - rep_crc_reg;
            err_tot_reg <= tot_crc;
            rep_crc_reg <= tot_crc;
        end else if (pend_reg[1]) begin
            err_code_reg <= EC_HDR;
            word_reg <= tot_hdr - rep_hdr_reg;
            err_tot_reg <= tot_hdr;
            rep_hdr_reg <= tot_hdr;
        end else begin
            err_code_reg <= EC_TX_DROP;
            word_reg <= tot_drop - rep_drop_reg;
            err_tot_reg <= tot_drop;
            rep_drop_reg <= tot_drop;
        end
    end
    if (state_reg[S_PRE]) begin
        // the flags above take the command's checks this clock, the verdict the next
        state_reg <= ST_DECODE;
    end
    if (state_reg[S_DECODE]) begin
        src_type_reg <= DEV_RESP;
        src_len_reg <= RESP_HDR;
        src_need_reg <= {1'b0, RESP_HDR} + FRAME_OVH;
        state_reg <= dec_state_reg;
        status_reg <= dec_status_reg;
        commit_reg <= dec_commit_reg;
        time_set_reg <= dec_time_reg;
        base_reg <= t_tbl_reg ? a1 : a0;
        count_reg <= t_tbl_reg ? a2 : a1;
        chk_full_reg <= is_snap ? {1'b0, a0, 1'b0} + {2'b0, CNT_BASE} : {2'b0, a0};
        chk_v1_reg <= 1'b0;
        chk_v_reg <= 1'b0;
        // the payload offset of the first word: a write's after its 4-byte argument, a table load's after 8
        // (set here for both, timing: no constant load in S_CHECK's decision logic)
        off_reg <= t_tbl_reg ? 8 : 4;
    end
    if (state_reg[S_CHECK]) begin
        // every item's address, one per clock; the verdict on item i is acted on two clocks later (the items
        // issued meanwhile, up to two past the last at the end, are only checked: no side effect)
        chk_v1_reg <= 1'b1;
        chk_wrap1_reg <= chk_wrap;
        chk_last1_reg <= i_reg + 1'b1 == count_reg;
        chk_v_reg <= chk_v1_reg;
        chk_ok_reg <= !chk_wrap1_reg && chk_ok;
        chk_last_reg <= chk_last1_reg;
        i_reg <= i_reg + 1'b1;
        chk_full_reg <= chk_full_reg + (is_snap ? 18'd2 : 18'd1);
        cnt_first_reg <= CNT_BASE + {base_reg[14:0], 1'b0};
        if (chk_v_reg && !chk_ok_reg) begin
            status_reg <= ST_BAD_ADDR;
            state_reg <= ST_START;
        end else if (chk_v_reg && chk_last_reg) begin
            i_reg <= 16'd0;
            if (t_wr_reg) begin
                state_reg <= ST_FETCH;
            end else if (is_snap) begin
                mode_reg <= M_SNAP;
                n_reg <= {count_reg[14:0], 1'b0} + 16'd2;
                src_type_reg <= DEV_COUNTERS;
                src_len_reg <= {count_reg[12:0], 3'b000} + CNT_HDR;
                src_need_reg <= {1'b0, count_reg[12:0], 3'b000} + ({1'b0, CNT_HDR} + FRAME_OVH);
                state_reg <= ST_START;
            end else begin
                n_reg <= count_reg;
                src_len_reg <= {count_reg[13:0], 2'b00} + RESP_HDR;
                src_need_reg <= {1'b0, count_reg[13:0], 2'b00} + ({1'b0, RESP_HDR} + FRAME_OVH);
                state_reg <= ST_START;
            end
        end
    end
    if (state_reg[S_FETCH]) begin
        // payload bytes off..off+3 into word_reg (two clocks of read latency)
        // (a case, not an indexed part-select: timing, no subtractor in front of the byte enables)
        case (j_reg)
            3'd2: word_reg[7:0] <= cmd_rdata;
            3'd3: word_reg[15:8] <= cmd_rdata;
            3'd4: word_reg[23:16] <= cmd_rdata;
            3'd5: word_reg[31:24] <= cmd_rdata;
            default: ;
        endcase
        j_reg <= j_reg + 1'b1;
        if (j_reg == 3'd5) begin
            j_reg <= 3'd0;
            off_reg <= off_reg + 4;
            state_reg <= ST_WR;
        end
    end
    if (state_reg[S_WR]) begin
        if (t_tbl_reg) begin
            tbl_we_reg <= 1'b1;
            tbl_addr_reg <= base_reg + i_reg;
            state_reg <= ST_WR_WAIT;
        end else begin
            req_reg <= 1'b1;
            we_reg <= 1'b1;
            addr_reg <= base_reg + i_reg;
            state_reg <= ST_WR_WAIT;
        end
    end
    if (state_reg[S_WR_WAIT]) begin
        if (t_tbl_reg || reg_ack) begin
            i_reg <= i_reg + 1'b1;
            if (i_last_reg)
                state_reg <= ST_START;
            else
                state_reg <= ST_FETCH;
        end
    end
    if (state_reg[S_START]) begin
        // the answer's first 8 bytes, loaded every clock (the buffer is empty here: timing, src_ack does not
        // steer 64 data bits), sent from the clock of src_ack on
        case (mode_reg)
            M_ERR: obuf_reg <= {word_reg, 16'd0, 8'd0, err_code_reg};
            M_SNAP: obuf_reg <= {16'd0, count_reg, base_reg, cmd_seq};
            default: obuf_reg <= {n_reg, base_reg, cmd_seq, status_reg, cmd_type};
        endcase
        if (src_ack) begin
            bad_reg <= mode_reg == M_RESP && status_reg != ST_OK;
            i_reg <= 16'd0;
            rd_end_reg <= n_reg == 16'd0;
            rd_addr_reg <= mode_reg == M_SNAP ? TIME_LO : base_reg;
            ocnt_reg <= 4'd8;
            ofree_reg <= 1'b0;
            state_reg <= mode_reg == M_ERR ? ST_ERR_TOT : ST_RD;
        end
    end
    if (state_reg[S_RD]) begin
        if (rd_end_reg) begin
            state_reg <= ST_DONE;
        end else if (obuf_free) begin
            req_reg <= 1'b1;
            we_reg <= 1'b0;
            addr_reg <= rd_addr_w;
            state_reg <= ST_RD_WAIT;
        end
    end
    if (state_reg[S_RD_WAIT]) begin
        // the buffer is empty here (S_RD waits for it): loaded every clock, sent from reg_ack on (timing)
        obuf_reg <= {32'd0, reg_rdata};
        if (reg_ack) begin
            ocnt_reg <= 4'd4;
            ofree_reg <= 1'b0;
            i_reg <= i_reg + 1'b1;
            rd_end_reg <= rd_last_reg;
            // snapshot: TIME_LO, TIME_HI, then the counter words from cnt_first_reg on
            if (mode_reg == M_SNAP && i_reg == 16'd0)
                rd_addr_reg <= TIME_HI;
            else if (mode_reg == M_SNAP && i_reg == 16'd1)
                rd_addr_reg <= cnt_first_reg;
            else
                rd_addr_reg <= rd_addr_reg + 1'b1;
            state_reg <= ST_RD;
        end
    end
    if (state_reg[S_ERR_TOT]) begin
        if (obuf_free) begin
            obuf_reg <= {32'd0, err_tot_reg};
            ocnt_reg <= 4'd4;
            ofree_reg <= 1'b0;
            state_reg <= ST_DONE;
        end
    end
    if (state_reg[S_DONE]) begin
        if (obuf_free) begin
            state_reg <= ST_IDLE;
        end
    end

    if (rst) begin
        state_reg <= ST_IDLE;
        ocnt_reg <= 4'd0;
        ofree_reg <= 1'b1;
        req_reg <= 1'b0;
        tbl_we_reg <= 1'b0;
        commit_reg <= 1'b0;
        time_set_reg <= 1'b0;
        bad_reg <= 1'b0;
        rep_crc_reg <= 32'd0;
        rep_hdr_reg <= 32'd0;
        rep_drop_reg <= 32'd0;
        err_wait_reg <= 24'd0;
        pend_reg <= 3'b000;
        ew_zero_reg <= 1'b1;
        chk_v1_reg <= 1'b0;
        chk_v_reg <= 1'b0;
    end
end

endmodule

`resetall
