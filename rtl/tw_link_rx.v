// tw_link_rx: the command deframer. Hunts for SYNC0 SYNC1, takes the header (type, seq, len), stores the payload in
// a block RAM while it runs the CRC, and offers the command only when the CRC matches (nothing of a bad frame
// reaches the register file). A header with len > PROTO_MAX_LEN, type 0 or a device type (bit 7) is rejected at
// once. After any rejection the hunt resumes with the next byte. The executor reads the payload through
// cmd_raddr/cmd_rdata (one clock of latency; the first 8 bytes also come ready in cmd_arg) and releases the buffer
// with cmd_done; until then no byte is taken (the FIFO in front and the FT245 hold the rest back).
// Event pulses feed the link counters: good frames, CRC errors, header errors, resyncs (a run of discarded bytes
// begins) and discarded bytes (0..2 per clock).
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_protocol.vh"

module tw_link_rx #(
    parameter MAX_LEN = `TW_PROTO_MAX_LEN,
    parameter ADDR_W = 10                 // payload buffer address width: 2**ADDR_W >= MAX_LEN
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
    output wire              ev_resync,
    output wire [1:0]        ev_discard
);

initial begin
    if ((1 << ADDR_W) < MAX_LEN) begin
        $error("tw_link_rx: 2**ADDR_W must hold MAX_LEN bytes");
        $finish;
    end
end

localparam [7:0] SYNC0 = `TW_PROTO_SYNC0;
localparam [7:0] SYNC1 = `TW_PROTO_SYNC1;
localparam [2:0] ST_HUNT0 = 3'd0, ST_HUNT1 = 3'd1, ST_HDR = 3'd2, ST_PAY = 3'd3, ST_CRC0 = 3'd4, ST_CRC1 = 3'd5,
                 ST_WAIT = 3'd6;

reg [2:0]  state_reg = ST_HUNT0;
reg [2:0]  hidx_reg = 3'd0;
reg [7:0]  type_reg = 8'd0;
reg [15:0] seq_reg = 16'd0;
reg [15:0] len_reg = 16'd0;
reg [15:0] pidx_reg = 16'd0;
reg [63:0] arg_reg = 64'd0;
reg [15:0] crc_reg = 16'hffff;
reg [7:0]  crc_lo_reg = 8'd0;
reg        discarding_reg = 1'b0;
reg        ev_frame_reg = 1'b0, ev_crc_reg = 1'b0, ev_hdr_reg = 1'b0, ev_resync_reg = 1'b0;
reg [1:0]  ev_discard_reg = 2'd0;

reg [7:0]  mem [0:(1 << ADDR_W)-1];
reg [7:0]  rdata_reg;

wire [15:0] crc_next;
tw_link_crc16 crc_inst (.crc_in(crc_reg), .data(s_axis_tdata), .crc_out(crc_next));

wire take = s_axis_tvalid && state_reg != ST_WAIT;
wire [15:0] len_w = {s_axis_tdata, len_reg[7:0]};
wire hdr_bad = len_w > MAX_LEN[15:0] || type_reg == 8'd0 || type_reg[7];

assign s_axis_tready = state_reg != ST_WAIT;
assign cmd_valid = state_reg == ST_WAIT;
assign cmd_type = type_reg;
assign cmd_seq = seq_reg;
assign cmd_len = len_reg;
assign cmd_arg = arg_reg;
assign cmd_rdata = rdata_reg;
assign ev_frame = ev_frame_reg;
assign ev_crc_err = ev_crc_reg;
assign ev_hdr_err = ev_hdr_reg;
assign ev_resync = ev_resync_reg;
assign ev_discard = ev_discard_reg;

always @(posedge clk) begin
    rdata_reg <= mem[cmd_raddr];
    if (take && state_reg == ST_PAY)
        mem[pidx_reg[ADDR_W-1:0]] <= s_axis_tdata;
end

// bytes the hunt throws away this clock
reg [1:0] disc_n;
always @* begin
    disc_n = 2'd0;
    if (take && state_reg == ST_HUNT0 && s_axis_tdata != SYNC0)
        disc_n = 2'd1;
    if (take && state_reg == ST_HUNT1 && s_axis_tdata != SYNC1)
        disc_n = s_axis_tdata == SYNC0 ? 2'd1 : 2'd2;
end

always @(posedge clk) begin
    ev_frame_reg <= 1'b0;
    ev_crc_reg <= 1'b0;
    ev_hdr_reg <= 1'b0;
    ev_resync_reg <= 1'b0;
    ev_discard_reg <= disc_n;
    if (disc_n != 2'd0) begin
        if (!discarding_reg)
            ev_resync_reg <= 1'b1;
        discarding_reg <= 1'b1;
    end

    if (take) begin
        case (state_reg)
            ST_HUNT0: begin
                if (s_axis_tdata == SYNC0)
                    state_reg <= ST_HUNT1;
            end
            ST_HUNT1: begin
                crc_reg <= 16'hffff;
                hidx_reg <= 3'd0;
                if (s_axis_tdata == SYNC1)
                    state_reg <= ST_HDR;
                else if (s_axis_tdata != SYNC0)
                    state_reg <= ST_HUNT0;
            end
            ST_HDR: begin
                crc_reg <= crc_next;
                hidx_reg <= hidx_reg + 1'b1;
                pidx_reg <= 16'd0;
                arg_reg <= 64'd0;
                case (hidx_reg)
                    3'd0: type_reg <= s_axis_tdata;
                    3'd1: seq_reg[7:0] <= s_axis_tdata;
                    3'd2: seq_reg[15:8] <= s_axis_tdata;
                    3'd3: len_reg[7:0] <= s_axis_tdata;
                    default: begin
                        len_reg[15:8] <= s_axis_tdata;
                        if (hdr_bad) begin
                            ev_hdr_reg <= 1'b1;
                            state_reg <= ST_HUNT0;
                        end else if (len_w == 16'd0) begin
                            state_reg <= ST_CRC0;
                        end else begin
                            state_reg <= ST_PAY;
                        end
                    end
                endcase
            end
            ST_PAY: begin
                crc_reg <= crc_next;
                if (pidx_reg < 16'd8)
                    arg_reg[pidx_reg[2:0]*8 +: 8] <= s_axis_tdata;
                pidx_reg <= pidx_reg + 1'b1;
                if (pidx_reg + 1'b1 == len_reg)
                    state_reg <= ST_CRC0;
            end
            ST_CRC0: begin
                crc_lo_reg <= s_axis_tdata;
                state_reg <= ST_CRC1;
            end
            ST_CRC1: begin
                if ({s_axis_tdata, crc_lo_reg} == crc_reg) begin
                    ev_frame_reg <= 1'b1;
                    discarding_reg <= 1'b0;
                    state_reg <= ST_WAIT;
                end else begin
                    ev_crc_reg <= 1'b1;
                    state_reg <= ST_HUNT0;
                end
            end
            default: state_reg <= ST_HUNT0;
        endcase
    end
    if (state_reg == ST_WAIT && cmd_done)
        state_reg <= ST_HUNT0;

    if (rst) begin
        state_reg <= ST_HUNT0;
        discarding_reg <= 1'b0;
        ev_frame_reg <= 1'b0;
        ev_crc_reg <= 1'b0;
        ev_hdr_reg <= 1'b0;
        ev_resync_reg <= 1'b0;
        ev_discard_reg <= 2'd0;
    end
end

endmodule

`resetall
