// tw_gmii_rx: GMII receive (8 bit, one byte per rx clock, 1 Gb/s) to an 8-bit AXI-Stream without back-pressure.
// Strips preamble and SFD, checks the FCS (CRC-32, IEEE 802.3) and strips it: m_axis carries the frame from the
// destination MAC to the last byte before the FCS. tuser on the last beat is 1 when the frame is bad: FCS mismatch
// or rx_er asserted anywhere in the frame. A frame too short to hold an FCS and one data byte leaves nothing and is
// counted as an error. The FCS is delayed through a 4-byte line plus one output register, so each byte leaves five
// clocks after it arrived and the last data byte leaves (with tlast) the clock after rx_dv falls.
// Event pulses (rx clock domain) for the statistics: ev_frame (a frame left on m_axis), ev_fcs_bad (FCS mismatch),
// ev_err (rx_er during a frame, a frame too short, or a byte other than preamble/SFD before the SFD).
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_gmii_rx (
    input  wire       clk,
    input  wire       rst,

    input  wire [7:0] gmii_rxd,
    input  wire       gmii_rx_dv,
    input  wire       gmii_rx_er,

    output wire [7:0] m_axis_tdata,
    output wire       m_axis_tvalid,
    output wire       m_axis_tlast,
    output wire       m_axis_tuser,

    output wire       ev_frame,
    output wire       ev_fcs_bad,
    output wire       ev_err
);

localparam [1:0] ST_IDLE = 2'd0, ST_PRE = 2'd1, ST_DATA = 2'd2, ST_SKIP = 2'd3;
localparam [31:0] CRC_RESIDUE = 32'hDEBB20E3;   // CRC register after data + correct FCS (not inverted)

function [31:0] crc_byte(input [31:0] c, input [7:0] d);
    integer i;
    reg [31:0] r;
    begin
        r = c;
        for (i = 0; i < 8; i = i + 1)
            r = {1'b0, r[31:1]} ^ (32'hEDB88320 & {32{r[0] ^ d[i]}});
        crc_byte = r;
    end
endfunction

reg [1:0]  state_reg = ST_IDLE;
reg [7:0]  d_reg = 8'd0;          // the GMII inputs registered once (I/O timing)
reg        dv_reg = 1'b0, er_reg = 1'b0;
reg [31:0] sh_reg = 32'd0;        // the last four bytes, newest in [7:0]
reg [2:0]  cnt_reg = 3'd0;        // bytes in sh_reg (saturates at 4)
reg [31:0] crc_reg = 32'hFFFFFFFF;
reg        bad_reg = 1'b0;        // rx_er seen in this frame
reg [7:0]  pend_reg = 8'd0;       // the newest byte known not to be FCS, not yet sent
reg        pend_valid_reg = 1'b0;
reg [7:0]  out_data_reg = 8'd0;
reg        out_valid_reg = 1'b0, out_last_reg = 1'b0, out_user_reg = 1'b0;
reg        ev_frame_reg = 1'b0, ev_fcs_reg = 1'b0, ev_err_reg = 1'b0;

assign m_axis_tdata = out_data_reg;
assign m_axis_tvalid = out_valid_reg;
assign m_axis_tlast = out_last_reg;
assign m_axis_tuser = out_user_reg;
assign ev_frame = ev_frame_reg;
assign ev_fcs_bad = ev_fcs_reg;
assign ev_err = ev_err_reg;

wire fcs_ok = crc_reg == CRC_RESIDUE;

always @(posedge clk) begin
    d_reg <= gmii_rxd;
    dv_reg <= gmii_rx_dv;
    er_reg <= gmii_rx_er;
    out_valid_reg <= 1'b0;
    out_last_reg <= 1'b0;
    out_user_reg <= 1'b0;
    ev_frame_reg <= 1'b0;
    ev_fcs_reg <= 1'b0;
    ev_err_reg <= 1'b0;

    case (state_reg)
        ST_IDLE: begin
            if (dv_reg) begin
                if (d_reg == 8'hD5)
                    state_reg <= ST_DATA;
                else if (d_reg == 8'h55)
                    state_reg <= ST_PRE;
                else begin
                    state_reg <= ST_SKIP;
                    ev_err_reg <= 1'b1;
                end
            end
            cnt_reg <= 3'd0;
            crc_reg <= 32'hFFFFFFFF;
            bad_reg <= 1'b0;
            pend_valid_reg <= 1'b0;
        end
        ST_PRE: begin
            if (!dv_reg)
                state_reg <= ST_IDLE;
            else if (d_reg == 8'hD5)
                state_reg <= ST_DATA;
            else if (d_reg != 8'h55) begin
                state_reg <= ST_SKIP;
                ev_err_reg <= 1'b1;
            end
        end
        ST_DATA: begin
            if (dv_reg) begin
                sh_reg <= {sh_reg[23:0], d_reg};
                crc_reg <= crc_byte(crc_reg, d_reg);
                if (er_reg)
                    bad_reg <= 1'b1;
                if (cnt_reg == 3'd4) begin
                    // sh_reg[31:24] is now known not to be FCS
                    pend_reg <= sh_reg[31:24];
                    pend_valid_reg <= 1'b1;
                    if (pend_valid_reg) begin
                        out_data_reg <= pend_reg;
                        out_valid_reg <= 1'b1;
                    end
                end else begin
                    cnt_reg <= cnt_reg + 1'b1;
                end
            end else begin
                // end of frame: the four bytes in sh_reg are the FCS
                state_reg <= ST_IDLE;
                if (pend_valid_reg) begin
                    out_data_reg <= pend_reg;
                    out_valid_reg <= 1'b1;
                    out_last_reg <= 1'b1;
                    out_user_reg <= bad_reg || !fcs_ok;
                    ev_frame_reg <= 1'b1;
                    ev_fcs_reg <= !fcs_ok;
                    ev_err_reg <= bad_reg;
                end else begin
                    ev_err_reg <= 1'b1;
                end
                pend_valid_reg <= 1'b0;
            end
        end
        default: begin
            if (!dv_reg)
                state_reg <= ST_IDLE;
        end
    endcase

    if (rst) begin
        state_reg <= ST_IDLE;
        dv_reg <= 1'b0;
        er_reg <= 1'b0;
        cnt_reg <= 3'd0;
        pend_valid_reg <= 1'b0;
        out_valid_reg <= 1'b0;
        ev_frame_reg <= 1'b0;
        ev_fcs_reg <= 1'b0;
        ev_err_reg <= 1'b0;
    end
end

endmodule

`resetall
