// tw_rec_out: evidence capture and the record stream towards the host link (tw_link_top s_axis_rec).
//
// Evidence: the first 128 bytes of every frame accepted on ingress A and B (the tap's copy = every accepted beat)
// are kept per port in a block-RAM ring of 2^NSLOT_W frames, in frame order, each with its per-port frame number
// (counted exactly as the parser's fseq: every frame from 0 after reset) and its captured length. A frame that
// finds its port's ring full is not kept (dropped whole, cnt_ev_drops). A slot is committed at the frame's last
// beat (a frame's parser record, which carries the frame length, always comes later).
//
// Records, one at a time, in arrival order:
//   s_alert  an alert record (contracts/alert_rec.def): its (port, fseq) selects the evidence: ring entries of older
//            frames are freed, the frame's own entry is read (min(evidence_bytes, captured) bytes) and appended;
//            ev_len is set. Several alerts of one frame reuse the bytes read once. No entry (dropped) = ev_len 0,
//            counted in cnt_ev_missing when evidence_bytes > 0.
//   s_fin    {fseq, port}: the detection pipeline is done with that frame (after its alerts): its entry and older
//            ones are freed.
//   s_flow   a flow record (contracts/flow_rec.def).
// Output: one beat per record on m_rec (tw_link_top's record port, never back-pressured: the link drops a record
// that does not fit, counts it, and its seq/number is consumed). tuser = {length in bytes, DEV_ALERT or DEV_FLOW}.
// m_rec_tdata is the sequencer's own registers, {evidence, alert record} (a flow record in the alert record's low
// bits): the link copies the record's words from it while m_rec_room is low, so the sequencer takes the next alert
// or flow record only once m_rec_room is high again (session 12: no separate 2,000-bit output register). Bytes past
// the record's length (tuser) are not defined: the link sends exactly length bytes.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_alert_rec.vh"
`include "tw_flow_rec.vh"
`include "tw_protocol.vh"

module tw_rec_out #(
    parameter NSLOT_W = 4,                   // log2 of the frames kept per port
    parameter REC_BYTES = 250                // tw_link_top REC_BYTES: alert record (122) + 128 evidence bytes
) (
    input  wire                      clk,
    input  wire                      rst,
    // accepted ingress beats of port A and B
    input  wire [63:0]               a_tdata,
    input  wire [7:0]                a_tkeep,
    input  wire                      a_beat,
    input  wire                      a_tlast,
    input  wire [63:0]               b_tdata,
    input  wire [7:0]                b_tkeep,
    input  wire                      b_beat,
    input  wire                      b_tlast,
    input  wire [7:0]                evidence_bytes,   // settings: 0..128 (larger = 128)
    // records
    input  wire [`TW_AR_WIDTH-1:0]   s_alert_tdata,
    input  wire                      s_alert_tvalid,
    output wire                      s_alert_tready,
    input  wire [32:0]               s_fin_tdata,      // {fseq, port}
    input  wire                      s_fin_tvalid,
    output wire                      s_fin_tready,
    input  wire [`TW_FR_WIDTH-1:0]   s_flow_tdata,
    input  wire                      s_flow_tvalid,
    output wire                      s_flow_tready,
    output wire [REC_BYTES*8-1:0]    m_rec_tdata,      // held while the link copies it (m_rec_room low)
    output reg  [15:0]               m_rec_tuser = 16'd0,
    output reg                       m_rec_tvalid = 1'b0,
    input  wire                      m_rec_room,       // the link can take a record: wait for it, never drop
    // counters
    output reg  [63:0]               cnt_ev_stored = 64'd0,
    output reg  [63:0]               cnt_ev_drops = 64'd0,
    output reg  [63:0]               cnt_ev_missing = 64'd0,
    output reg  [63:0]               cnt_rec_alert = 64'd0,
    output reg  [63:0]               cnt_rec_flow = 64'd0
);

localparam integer NSLOT = 1 << NSLOT_W;
localparam integer AR_BYTES = `TW_AR_WIDTH / 8;
localparam integer FR_BYTES = `TW_FR_WIDTH / 8;
localparam integer EV_MAX = `TW_AR_MAX_EVIDENCE;
localparam integer EV_BEATS = EV_MAX / 8;
localparam integer BW = 4;                           // log2(EV_BEATS)
localparam [7:0] DEV_ALERT = `TW_DEV_ALERT, DEV_FLOW = `TW_DEV_FLOW;

initial begin
    if (REC_BYTES * 8 != `TW_AR_WIDTH + EV_MAX * 8 || (`TW_AR_WIDTH % 8) != 0 || (`TW_FR_WIDTH % 8) != 0) begin
        $display("tw_rec_out: REC_BYTES must hold an alert record and 128 evidence bytes");
        $finish;
    end
end

// ---------------------------------------------------------------- read-side control (declared for the rings)
reg  [1:0]         pop;                              // free the head entry of port 0/1 this clock
reg  [NSLOT_W+BW-1:0] rd_addr;
wire [63:0]        rdata [0:1];
wire [NSLOT_W:0]   used [0:1];
wire [31:0]        head_fseq [0:1];
wire [7:0]         head_nb [0:1];
wire [NSLOT_W-1:0] head_slot [0:1];
wire [1:0]         stored, dropped;

// ---------------------------------------------------------------- one evidence ring per port
genvar p;
generate
for (p = 0; p < 2; p = p + 1) begin : ring
    wire [63:0] tdata = p == 0 ? a_tdata : b_tdata;
    wire [7:0]  tkeep = p == 0 ? a_tkeep : b_tkeep;
    wire        beat = p == 0 ? a_beat : b_beat;
    wire        tlast = p == 0 ? a_tlast : b_tlast;

    reg [63:0]        mem [0:NSLOT*EV_BEATS-1];
    reg [63:0]        rdata_reg;
    reg [31:0]        d_fseq [0:NSLOT-1];
    reg [7:0]         d_nb [0:NSLOT-1];
    reg [NSLOT_W:0]   wr_ptr = {(NSLOT_W+1){1'b0}};
    reg [NSLOT_W:0]   rd_ptr = {(NSLOT_W+1){1'b0}};
    reg [31:0]        fseq_cnt = 32'd0;
    reg [31:0]        cur_fseq = 32'd0;
    reg               in_frame = 1'b0;
    reg               keep_frame = 1'b0;
    reg [BW:0]        beat_n = {(BW+1){1'b0}};
    reg [7:0]         nbytes = 8'd0;
    reg               st_reg = 1'b0, dr_reg = 1'b0;

    wire              sof = beat && !in_frame;
    wire              full = (wr_ptr - rd_ptr) == NSLOT[NSLOT_W:0];
    wire              keep_now = sof ? !full : keep_frame;
    wire [BW:0]       bn = sof ? {(BW+1){1'b0}} : beat_n;
    wire [7:0]        nb_prev = sof ? 8'd0 : nbytes;
    wire [3:0]        kcnt = {3'd0, tkeep[0]} + {3'd0, tkeep[1]} + {3'd0, tkeep[2]} + {3'd0, tkeep[3]} +
                             {3'd0, tkeep[4]} + {3'd0, tkeep[5]} + {3'd0, tkeep[6]} + {3'd0, tkeep[7]};
    wire [8:0]        nb_sum = {1'b0, nb_prev} + {5'd0, kcnt};
    wire [7:0]        nb_now = nb_sum > EV_MAX[8:0] ? EV_MAX[7:0] : nb_sum[7:0];

    always @(posedge clk) begin
        if (beat && keep_now && !bn[BW])
            mem[{wr_ptr[NSLOT_W-1:0], bn[BW-1:0]}] <= tdata;
        rdata_reg <= mem[rd_addr];
    end

    always @(posedge clk) begin
        st_reg <= 1'b0;
        dr_reg <= 1'b0;
        if (beat) begin
            if (sof) begin
                fseq_cnt <= fseq_cnt + 32'd1;
                cur_fseq <= fseq_cnt;
                keep_frame <= !full;
                dr_reg <= full;
            end
            in_frame <= !tlast;
            beat_n <= bn[BW] ? bn : bn + 1'b1;
            nbytes <= nb_now;
            if (tlast && keep_now) begin
                d_fseq[wr_ptr[NSLOT_W-1:0]] <= sof ? fseq_cnt : cur_fseq;
                d_nb[wr_ptr[NSLOT_W-1:0]] <= nb_now;
                wr_ptr <= wr_ptr + 1'b1;
                st_reg <= 1'b1;
            end
        end
        if (pop[p] && wr_ptr != rd_ptr)
            rd_ptr <= rd_ptr + 1'b1;
        if (rst) begin
            wr_ptr <= {(NSLOT_W+1){1'b0}};
            rd_ptr <= {(NSLOT_W+1){1'b0}};
            fseq_cnt <= 32'd0;
            in_frame <= 1'b0;
            keep_frame <= 1'b0;
            st_reg <= 1'b0;
            dr_reg <= 1'b0;
        end
    end

    assign rdata[p] = rdata_reg;
    assign used[p] = wr_ptr - rd_ptr;
    assign head_slot[p] = rd_ptr[NSLOT_W-1:0];
    assign head_fseq[p] = d_fseq[rd_ptr[NSLOT_W-1:0]];
    assign head_nb[p] = d_nb[rd_ptr[NSLOT_W-1:0]];
    assign stored[p] = st_reg;
    assign dropped[p] = dr_reg;
end
endgenerate

// ---------------------------------------------------------------- record sequencer
localparam [2:0] S_IDLE = 3'd0, S_SEEK = 3'd1, S_READ = 3'd2, S_EMIT = 3'd3, S_FIN = 3'd4;
reg [2:0]                state = S_IDLE;
reg [`TW_AR_WIDTH-1:0]   alert_reg;
reg                      cur_port = 1'b0;
reg [31:0]               cur_fseq = 32'd0;
reg [EV_MAX*8-1:0]       ev_reg;
reg [7:0]                ev_n = 8'd0;
reg                      cache_v = 1'b0;
reg                      cache_port = 1'b0;
reg [31:0]               cache_fseq = 32'd0;
reg [BW:0]               rd_beat = {(BW+1){1'b0}};
reg [BW:0]               rd_need = {(BW+1){1'b0}};
reg                      rd_prev = 1'b0;
reg [BW-1:0]             rd_prev_beat = {BW{1'b0}};

wire [7:0]  ev_cfg = evidence_bytes > EV_MAX[7:0] ? EV_MAX[7:0] : evidence_bytes;
wire        hp_nonempty = used[cur_port] != {(NSLOT_W+1){1'b0}};
wire [31:0] hp_diff = head_fseq[cur_port] - cur_fseq;      // < 0 (bit 31): the head frame is older
wire [7:0]  hp_n = head_nb[cur_port] < ev_cfg ? head_nb[cur_port] : ev_cfg;

// one record in flight at a time: the link's room flag reflects a record written one clock after it is offered, and
// stays low while the link copies it out of alert_reg / ev_reg
wire        can_emit = m_rec_room && !m_rec_tvalid;
assign m_rec_tdata = {ev_reg, alert_reg};
assign s_alert_tready = state == S_IDLE && can_emit;
assign s_fin_tready = state == S_IDLE && !s_alert_tvalid;
assign s_flow_tready = state == S_IDLE && !s_alert_tvalid && !s_fin_tvalid && can_emit;

wire [31:0] in_fseq = s_alert_tdata[`TW_AR_FSEQ];
wire        in_port = s_alert_tdata[`TW_AR_PORT];

always @* begin
    pop = 2'b00;
    if ((state == S_SEEK && hp_nonempty && hp_diff[31]) ||
        (state == S_FIN && hp_nonempty && (hp_diff[31] || hp_diff == 32'd0)))
        pop[cur_port] = 1'b1;
    rd_addr = {head_slot[cur_port], rd_beat[BW-1:0]};
end

integer k;
always @(posedge clk) begin
    m_rec_tvalid <= 1'b0;
    case (state)
        S_IDLE: begin
            if (s_alert_tvalid) begin
                // the alert waits (and the frame's s_fin with it) while the link copies the last record
                if (can_emit) begin
                    alert_reg <= s_alert_tdata;
                    cur_port <= in_port;
                    cur_fseq <= in_fseq;
                    if (cache_v && cache_port == in_port && cache_fseq == in_fseq) begin
                        state <= S_EMIT;
                    end else begin
                        cache_v <= 1'b0;
                        state <= S_SEEK;
                    end
                end
            end else if (s_fin_tvalid) begin
                cur_port <= s_fin_tdata[0];
                cur_fseq <= s_fin_tdata[32:1];
                if (cache_v && cache_port == s_fin_tdata[0] && cache_fseq == s_fin_tdata[32:1])
                    cache_v <= 1'b0;
                state <= S_FIN;
            end else if (s_flow_tvalid && can_emit) begin
                alert_reg <= {{(`TW_AR_WIDTH-`TW_FR_WIDTH){1'b0}}, s_flow_tdata};
                m_rec_tuser <= {FR_BYTES[7:0], DEV_FLOW};
                m_rec_tvalid <= 1'b1;
                cnt_rec_flow <= cnt_rec_flow + 64'd1;
            end
        end
        S_SEEK: begin
            if (!hp_nonempty || (!hp_diff[31] && hp_diff != 32'd0)) begin
                // no evidence kept for this frame
                ev_n <= 8'd0;
                if (ev_cfg != 8'd0)
                    cnt_ev_missing <= cnt_ev_missing + 64'd1;
                state <= S_EMIT;
            end else if (hp_diff == 32'd0) begin
                ev_n <= hp_n;
                rd_beat <= {(BW+1){1'b0}};
                rd_need <= hp_n[7:3] + {4'd0, hp_n[2:0] != 3'd0};
                rd_prev <= 1'b0;
                cache_v <= 1'b1;
                cache_port <= cur_port;
                cache_fseq <= cur_fseq;
                state <= S_READ;
            end
            // else: the head frame is older, freed this clock (pop)
        end
        S_READ: begin
            rd_prev <= rd_beat < rd_need;
            rd_prev_beat <= rd_beat[BW-1:0];
            if (rd_beat < rd_need)
                rd_beat <= rd_beat + 1'b1;
            // one write enable per beat (constant part-selects: one at rd_prev_beat*64 synthesizes to a shifter)
            for (k = 0; k < EV_MAX / 8; k = k + 1)
                if (rd_prev && rd_prev_beat == k[BW-1:0])
                    ev_reg[k*64 +: 64] <= rdata[cur_port];
            if (!(rd_beat < rd_need) && !rd_prev)
                state <= S_EMIT;
        end
        S_EMIT: if (can_emit) begin
            alert_reg[`TW_AR_EV_LEN] <= ev_n;
            m_rec_tuser <= {AR_BYTES[7:0] + ev_n, DEV_ALERT};
            m_rec_tvalid <= 1'b1;
            cnt_rec_alert <= cnt_rec_alert + 64'd1;
            state <= S_IDLE;
        end
        S_FIN: begin
            if (!(hp_nonempty && (hp_diff[31] || hp_diff == 32'd0)))
                state <= S_IDLE;
        end
        default: state <= S_IDLE;
    endcase

    if (stored[0] || stored[1])
        cnt_ev_stored <= cnt_ev_stored + {63'd0, stored[0]} + {63'd0, stored[1]};
    if (dropped[0] || dropped[1])
        cnt_ev_drops <= cnt_ev_drops + {63'd0, dropped[0]} + {63'd0, dropped[1]};

    if (rst) begin
        state <= S_IDLE;
        m_rec_tvalid <= 1'b0;
        cache_v <= 1'b0;
        cnt_ev_stored <= 64'd0;
        cnt_ev_drops <= 64'd0;
        cnt_ev_missing <= 64'd0;
        cnt_rec_alert <= 64'd0;
        cnt_rec_flow <= 64'd0;
    end
end

endmodule

`resetall
