// tw_parser_capture: the line-rate front of one port's parser. Writes the first HDR_BYTES of each frame copy into
// one of NSLOTS head slots (a ring, in frame order) with a descriptor (length, tuser, timestamp and fseq sampled at
// the first beat, frame ended, head complete). A frame that finds no free slot at its first beat is dropped whole
// and counted (drop_pulse). It never stalls: there is no ready.
// SLOT_RAM = 0: the slots are flip-flops and rd_data is the whole slot rd_slot (the engine's shifter reads any byte
// in one clock). SLOT_RAM = 1 (small FPGAs, with the engine's WIN_FETCH = 1): the slots are one registered RAM of
// NSLOTS x HDR_BYTES/8 64-bit words (block RAM), each beat written as a word at slot * 2**WA + beat; the engine reads
// word rd_addr = {slot, word} and gets it on rd_word one clock later. rd_data is then 0. SLOT_RAM = 2: the same RAM
// with its output registered once more (the block RAM's output register): rd_word two clocks after rd_addr.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_parser_capture #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8,
    parameter HDR_BYTES = 256,
    parameter NSLOTS = 4,
    parameter SLOT_W = 2,
    parameter SLOT_RAM = 0,
    parameter IN_REG = 0                // 1: the stream, its byte count and ts_ns registered at the input (timing;
                                        // every event a clock later, the same timestamps)
) (
    input  wire                        clk,
    input  wire                        rst,
    input  wire [63:0]                 ts_ns,

    // copy of the ingress stream (no ready)
    input  wire [DATA_WIDTH-1:0]       s_tdata,
    input  wire [KEEP_WIDTH-1:0]       s_tkeep,
    input  wire                        s_tvalid,
    input  wire                        s_tlast,
    input  wire                        s_tuser,

    // the slot the parse engine works on (always the oldest allocated one) and its descriptor
    input  wire [SLOT_W-1:0]           rd_slot,
    output wire [HDR_BYTES*8-1:0]      rd_data,    // SLOT_RAM = 0: the whole slot
    input  wire [SLOT_W+$clog2(HDR_BYTES*8/DATA_WIDTH)-1:0] rd_addr,  // SLOT_RAM = 1: {slot, word}
    output wire [DATA_WIDTH-1:0]       rd_word,    // SLOT_RAM = 1 (2): word rd_addr of one (two) clocks before
    output wire                        rd_valid,   // the slot holds a frame
    output wire                        rd_hdr,     // its head is complete (HDR_BYTES captured or frame ended)
    output wire                        rd_done,    // the frame has ended
    output wire [23:0]                 rd_len,     // bytes (saturating), valid when rd_done
    output wire                        rd_user,
    output wire [63:0]                 rd_ts,
    output wire [31:0]                 rd_fseq,
    input  wire                        rd_free,    // the engine releases rd_slot

    // statistics pulses
    output reg                         frame_pulse = 1'b0,   // a frame ended (every frame, captured or not)
    output reg  [23:0]                 frame_bytes = 24'd0,  // its length, with frame_pulse
    output reg                         macbad_pulse = 1'b0,  // it was marked bad by the MAC
    output reg                         drop_pulse = 1'b0     // a copy was dropped whole at its first beat
);

localparam BEATS = HDR_BYTES * 8 / DATA_WIDTH;   // beats that fill a slot
localparam BEAT_CW = $clog2(BEATS + 1);
localparam WA = $clog2(BEATS);                   // word address bits within a slot (SLOT_RAM = 1)

initial begin
    if (HDR_BYTES * 8 % DATA_WIDTH != 0) begin
        $display("tw_parser_capture: HDR_BYTES must be a multiple of the bus width in bytes");
        $finish;
    end
    if ((1 << SLOT_W) != NSLOTS) begin
        $display("tw_parser_capture: NSLOTS must be 2**SLOT_W");
        $finish;
    end
    if (SLOT_RAM != 0 && DATA_WIDTH != 64) begin
        $display("tw_parser_capture: SLOT_RAM = 1 needs a 64-bit bus (one beat = one RAM word)");
        $finish;
    end
end

reg [NSLOTS-1:0]      slot_valid = {NSLOTS{1'b0}};
reg [NSLOTS-1:0]      slot_hdr = {NSLOTS{1'b0}};
reg [NSLOTS-1:0]      slot_done = {NSLOTS{1'b0}};
reg [NSLOTS*24-1:0]   slot_len = {(NSLOTS*24){1'b0}};
reg [NSLOTS-1:0]      slot_user = {NSLOTS{1'b0}};
reg [NSLOTS*64-1:0]   slot_ts = {(NSLOTS*64){1'b0}};
reg [NSLOTS*32-1:0]   slot_fseq = {(NSLOTS*32){1'b0}};

reg                   in_frame_reg = 1'b0;
reg                   keep_reg = 1'b0;       // the current frame has a slot
reg [SLOT_W-1:0]      wr_slot_reg = {SLOT_W{1'b0}};
reg [BEAT_CW-1:0]     beat_reg = {BEAT_CW{1'b0}};
reg [23:0]            len_reg = 24'd0;       // bytes of the current frame so far (0 between frames)
reg [31:0]            fseq_reg = 32'd0;
reg [SLOT_W:0]        used_reg = {(SLOT_W+1){1'b0}};
reg                   room_reg = 1'b1;         // used_reg != NSLOTS (timing: a register, no compare in front of alloc)

assign rd_valid = slot_valid[rd_slot];
assign rd_hdr = slot_hdr[rd_slot];
assign rd_done = slot_done[rd_slot];
assign rd_user = slot_user[rd_slot];
// the read slot's descriptor by constant part-selects (slot_len's 24-bit stride at a computed index would be a
// multiplier and a shifter)
reg [23:0] rd_len_mux;
reg [63:0] rd_ts_mux;
reg [31:0] rd_fseq_mux;
integer rs;
always @* begin
    rd_len_mux = 24'd0;
    rd_ts_mux = 64'd0;
    rd_fseq_mux = 32'd0;
    for (rs = 0; rs < NSLOTS; rs = rs + 1)
        if (rd_slot == rs[SLOT_W-1:0]) begin
            rd_len_mux = slot_len[rs*24 +: 24];
            rd_ts_mux = slot_ts[rs*64 +: 64];
            rd_fseq_mux = slot_fseq[rs*32 +: 32];
        end
end
assign rd_len = rd_len_mux;
assign rd_ts = rd_ts_mux;
assign rd_fseq = rd_fseq_mux;

// bytes of this beat (counted at the input, ahead of IN_REG's register)
localparam NB_W = $clog2(KEEP_WIDTH + 1);
reg [NB_W-1:0] nbytes_c;
integer i;
always @* begin
    nbytes_c = 0;
    for (i = 0; i < KEEP_WIDTH; i = i + 1)
        nbytes_c = nbytes_c + {{(NB_W-1){1'b0}}, s_tkeep[i]};
end

// the beat as the capture sees it: IN_REG = 1 registers it (timing: in the Colorlight's parser build the MAC FIFO's
// valid, then the slot allocation and the descriptor writes, were a 9.1 ns path, and the byte count with the length
// sum 9.0 ns). ts_ns is registered with it, so a frame's timestamp is the same. The data is registered as it comes
// and masked behind the register (timing: the MAC FIFO's block RAM output, 5.3 ns, then the mask, into the
// register was 8.06 ns); the byte count is registered after the count.
wire [NB_W-1:0]       nbytes;
wire [DATA_WIDTH-1:0] i_tdata;
wire [KEEP_WIDTH-1:0] i_tkeep;
wire                  i_tvalid, i_tlast, i_tuser;
wire [63:0]           i_ts;
generate
if (IN_REG != 0) begin : g_in_reg
    reg [NB_W-1:0]       nb_q = {NB_W{1'b0}};
    reg [DATA_WIDTH-1:0] d_q = {DATA_WIDTH{1'b0}};
    reg [KEEP_WIDTH-1:0] k_q = {KEEP_WIDTH{1'b0}};
    reg                  v_q = 1'b0, l_q = 1'b0, u_q = 1'b0;
    reg [63:0]           ts_q = 64'd0;
    always @(posedge clk) begin
        nb_q <= nbytes_c;
        d_q <= s_tdata;
        k_q <= s_tkeep;
        v_q <= s_tvalid && !rst;
        l_q <= s_tlast;
        u_q <= s_tuser;
        ts_q <= ts_ns;
    end
    assign nbytes = nb_q;
    assign i_tdata = d_q;
    assign i_tkeep = k_q;
    assign i_tvalid = v_q;
    assign i_tlast = l_q;
    assign i_tuser = u_q;
    assign i_ts = ts_q;
end else begin : g_in_comb
    assign nbytes = nbytes_c;
    assign i_tdata = s_tdata;
    assign i_tkeep = s_tkeep;
    assign i_tvalid = s_tvalid;
    assign i_tlast = s_tlast;
    assign i_tuser = s_tuser;
    assign i_ts = ts_ns;
end
endgenerate

// the beat's bytes past tkeep zeroed (behind IN_REG's register)
reg [DATA_WIDTH-1:0] data_masked;
integer mi;
always @* for (mi = 0; mi < KEEP_WIDTH; mi = mi + 1) data_masked[mi*8 +: 8] = i_tkeep[mi] ? i_tdata[mi*8 +: 8] : 8'd0;

wire              sof = i_tvalid && !in_frame_reg;
wire              alloc = sof && room_reg;
wire [SLOT_W:0]   used_n = used_reg + {{SLOT_W{1'b0}}, alloc} - {{SLOT_W{1'b0}}, rd_free};
wire              keep_now = in_frame_reg ? keep_reg : alloc;
wire [SLOT_W-1:0] cur_slot = wr_slot_reg;
wire [BEAT_CW-1:0] cur_beat = in_frame_reg ? beat_reg : {BEAT_CW{1'b0}};
wire [24:0]       len_sum = {1'b0, len_reg} + {{(25-NB_W){1'b0}}, nbytes};
wire [23:0]       len_now = len_sum[24] ? 24'hFFFFFF : len_sum[23:0];
wire              wr = i_tvalid && keep_now && (cur_beat < BEATS[BEAT_CW-1:0]);

// slot contents (no reset: the engine only reads bytes below the frame length)
generate
if (SLOT_RAM == 0) begin : g_slot_ff
    // one vector, constant-index word writes: per-word enables in synthesis, and cheap to simulate (no big
    // concatenation rebuilt every clock)
    reg [NSLOTS*HDR_BYTES*8-1:0] slot_data;
    integer s, w;
    always @(posedge clk) begin
        if (wr)
            for (s = 0; s < NSLOTS; s = s + 1)
                for (w = 0; w < BEATS; w = w + 1)
                    if (cur_slot == s[SLOT_W-1:0] && cur_beat == w[BEAT_CW-1:0])
                        slot_data[(s*BEATS+w)*DATA_WIDTH +: DATA_WIDTH] <= data_masked;
    end
    assign rd_data = slot_data[rd_slot*HDR_BYTES*8 +: HDR_BYTES*8];
    assign rd_word = {DATA_WIDTH{1'b0}};
    wire unused_rd_addr = &{1'b0, rd_addr};
end else begin : g_slot_ram
    // one simple dual-port RAM with a registered read (block RAM): the capture's beats in, the engine's words out.
    // The engine never reads a word of the slot being written (it starts on a slot once its head is complete, and
    // no beat of a slot is written after that), so read-during-write order does not matter: no_rw_check tells
    // Yosys so. Without it Yosys emulates read-first order around the ECP5's block RAM (a copy of the write word
    // and address, a compare and a 64-bit multiplexer after the RAM's output, the Colorlight parser build's
    // critical path in session 21).
    (* ram_style = "block", no_rw_check *)
    reg [DATA_WIDTH-1:0] mem [0:(NSLOTS << WA)-1];
    reg [DATA_WIDTH-1:0] rd_word_q;
    always @(posedge clk) begin
        if (wr)
            mem[{cur_slot, cur_beat[WA-1:0]}] <= data_masked;
        rd_word_q <= mem[rd_addr];
    end
    if (SLOT_RAM == 2) begin : g_oreg
        // the word registered once more (the block RAM's output register): a read takes two clocks, and the RAM's
        // clock-to-output (5.8 ns on the ECP5) no longer leads into the engine's window alignment
        reg [DATA_WIDTH-1:0] rd_word_q2;
        always @(posedge clk) rd_word_q2 <= rd_word_q;
        assign rd_word = rd_word_q2;
    end else begin : g_noreg
        assign rd_word = rd_word_q;
    end
    assign rd_data = {(HDR_BYTES*8){1'b0}};
end
endgenerate

integer d;
always @(posedge clk) begin
    frame_pulse <= 1'b0;
    macbad_pulse <= 1'b0;
    drop_pulse <= 1'b0;
    if (rd_free) begin
        slot_valid[rd_slot] <= 1'b0;
        slot_hdr[rd_slot] <= 1'b0;
        slot_done[rd_slot] <= 1'b0;
    end
    if (i_tvalid) begin
        if (sof) begin
            fseq_reg <= fseq_reg + 32'd1;
            keep_reg <= alloc;
            drop_pulse <= !alloc;
            if (alloc) begin
                // constant-index writes: Yosys builds a computed-index write (slot_ts[wr_slot_reg*64 +: 64])
                // as shifters of the whole 256/128-bit vectors (about 3,900 LUT4 per capture with slot_len's below)
                for (d = 0; d < NSLOTS; d = d + 1)
                    if (wr_slot_reg == d[SLOT_W-1:0]) begin
                        slot_ts[d*64 +: 64] <= i_ts;
                        slot_fseq[d*32 +: 32] <= fseq_reg;
                    end
                slot_valid[wr_slot_reg] <= 1'b1;
                slot_hdr[wr_slot_reg] <= 1'b0;
                slot_done[wr_slot_reg] <= 1'b0;
            end
        end
        in_frame_reg <= !i_tlast;
        len_reg <= i_tlast ? 24'd0 : len_now;     // (timing: no select by in_frame_reg ahead of the sum)
        if (cur_beat != BEATS[BEAT_CW-1:0]) beat_reg <= cur_beat + 1'b1;
        else beat_reg <= cur_beat;
        if (keep_now) begin
            if (i_tlast || cur_beat == BEATS[BEAT_CW-1:0] - 1'b1) slot_hdr[cur_slot] <= 1'b1;
            if (i_tlast) begin
                slot_done[cur_slot] <= 1'b1;
                slot_user[cur_slot] <= i_tuser;
                for (d = 0; d < NSLOTS; d = d + 1)
                    if (cur_slot == d[SLOT_W-1:0]) slot_len[d*24 +: 24] <= len_now;
                wr_slot_reg <= cur_slot + 1'b1;
            end
        end
        if (i_tlast) begin
            frame_pulse <= 1'b1;
            frame_bytes <= len_now;
            macbad_pulse <= i_tuser;
        end
    end
    used_reg <= used_n;
    room_reg <= used_n != NSLOTS[SLOT_W:0];
    if (rst) begin
        slot_valid <= {NSLOTS{1'b0}};
        slot_hdr <= {NSLOTS{1'b0}};
        slot_done <= {NSLOTS{1'b0}};
        in_frame_reg <= 1'b0;
        keep_reg <= 1'b0;
        len_reg <= 24'd0;
        wr_slot_reg <= {SLOT_W{1'b0}};
        beat_reg <= {BEAT_CW{1'b0}};
        fseq_reg <= 32'd0;
        used_reg <= {(SLOT_W+1){1'b0}};
        room_reg <= 1'b1;
        frame_pulse <= 1'b0;
        macbad_pulse <= 1'b0;
        drop_pulse <= 1'b0;
    end
end

endmodule

`resetall
