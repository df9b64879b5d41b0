// tw_tap: one direction of the inline tap. Ingress s_axis is forwarded bit-exact to egress m_axis through a
// registered skid buffer (latency 1 clock when egress is ready; ingress tready is a register, so egress
// back-pressure stalls the ingress without a combinational path through the tap). A copy of every accepted
// ingress beat leaves on cp_* (no ready: the detection side must take it or drop it whole).
// cfg_monitor = 1 (monitor-only, passive tap): ingress tready is 1 and nothing is forwarded. The mode is latched at
// each frame start, so egress never sees a partial frame when the mode changes mid-frame.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_tap #(
    parameter DATA_WIDTH = 64,
    parameter KEEP_WIDTH = DATA_WIDTH / 8
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  cfg_monitor,

    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,
    input  wire                  s_axis_tuser,

    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast,
    output wire                  m_axis_tuser,

    // copy of each accepted ingress beat, same cycle as the ingress handshake
    output wire [DATA_WIDTH-1:0] cp_tdata,
    output wire [KEEP_WIDTH-1:0] cp_tkeep,
    output wire                  cp_tvalid,
    output wire                  cp_tlast,
    output wire                  cp_tuser,

    // one pulse per frame leaving on egress (for CNT_EGRESS)
    output wire                  egress_frame
);

localparam BEAT_W = DATA_WIDTH + KEEP_WIDTH + 2;

reg              in_frame_reg = 1'b0;   // between the first and the last beat of an ingress frame
reg              fwd_reg = 1'b1;        // the current ingress frame is forwarded (latched at its first beat)
reg              s_ready_reg = 1'b0;    // the skid buffer can take a beat
reg              out_valid_reg = 1'b0;
reg              tmp_valid_reg = 1'b0;
reg [BEAT_W-1:0] out_beat_reg = {BEAT_W{1'b0}};
reg [BEAT_W-1:0] tmp_beat_reg = {BEAT_W{1'b0}};

// forwarding decision for this beat: latched mode inside a frame, the live mode at a frame start
wire fwd_now = in_frame_reg ? fwd_reg : !cfg_monitor;
assign s_axis_tready = fwd_now ? s_ready_reg : 1'b1;
wire in_hs = s_axis_tvalid && s_axis_tready;
wire in_fwd = s_axis_tvalid && fwd_now;          // a beat offered to the skid buffer
wire [BEAT_W-1:0] in_beat = {s_axis_tuser, s_axis_tlast, s_axis_tkeep, s_axis_tdata};

assign cp_tdata = s_axis_tdata;
assign cp_tkeep = s_axis_tkeep;
assign cp_tvalid = in_hs;
assign cp_tlast = s_axis_tlast;
assign cp_tuser = s_axis_tuser;

assign m_axis_tdata = out_beat_reg[DATA_WIDTH-1:0];
assign m_axis_tkeep = out_beat_reg[DATA_WIDTH +: KEEP_WIDTH];
assign m_axis_tlast = out_beat_reg[DATA_WIDTH + KEEP_WIDTH];
assign m_axis_tuser = out_beat_reg[DATA_WIDTH + KEEP_WIDTH + 1];
assign m_axis_tvalid = out_valid_reg;
assign egress_frame = out_valid_reg && m_axis_tready && m_axis_tlast;

// skid buffer next state
reg out_valid_next, tmp_valid_next, s_ready_next;
reg load_out_in, load_out_tmp, load_tmp_in;
always @* begin
    out_valid_next = out_valid_reg;
    tmp_valid_next = tmp_valid_reg;
    load_out_in = 1'b0;
    load_out_tmp = 1'b0;
    load_tmp_in = 1'b0;
    if (s_ready_reg) begin
        if (m_axis_tready || !out_valid_reg) begin
            out_valid_next = in_fwd;
            load_out_in = 1'b1;
        end else begin
            tmp_valid_next = in_fwd;
            load_tmp_in = 1'b1;
        end
    end else if (m_axis_tready) begin
        out_valid_next = tmp_valid_reg;
        tmp_valid_next = 1'b0;
        load_out_tmp = 1'b1;
    end
    // ready next cycle when egress drains or there is room in both registers
    s_ready_next = m_axis_tready || (!tmp_valid_reg && (!out_valid_reg || !in_fwd));
end

always @(posedge clk) begin
    out_valid_reg <= out_valid_next;
    tmp_valid_reg <= tmp_valid_next;
    s_ready_reg <= s_ready_next;
    if (load_out_in) out_beat_reg <= in_beat;
    else if (load_out_tmp) out_beat_reg <= tmp_beat_reg;
    if (load_tmp_in) tmp_beat_reg <= in_beat;
    if (in_hs) begin
        in_frame_reg <= !s_axis_tlast;
        if (!in_frame_reg) fwd_reg <= !cfg_monitor;
    end
    if (rst) begin
        out_valid_reg <= 1'b0;
        tmp_valid_reg <= 1'b0;
        s_ready_reg <= 1'b0;
        in_frame_reg <= 1'b0;
        fwd_reg <= 1'b1;
    end
end

endmodule

`resetall
