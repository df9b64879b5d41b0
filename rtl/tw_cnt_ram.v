// tw_cnt_ram: N 64-bit statistics counters kept in distributed RAM instead of N 64-bit registers and adders (the
// small-FPGA form of tw_counters and of the boards' MAC statistics; docs/architecture.md "Counters"). Same values
// as N registers that each add their increment every clock, reset to 0, but read in three clocks (timing: the
// address registered, then the RAM read, then the 64-bit add): cnt_data is the counter's value at the clock after
// the address was presented, three clocks after it (an address >= N reads 0). tw_regfile samples the counter window
// three clocks after it sets the address, so either form serves it.
//
// Each counter has a small pending register that adds its increments; a flusher visits one counter per clock,
// round robin, and moves its pending sum into the RAM (RAM[c] + pending[c]; the pending register restarts with
// that clock's increment). A read takes RAM[a] + pending[a], both as they are before the clock edge, so it equals
// the register version's value exactly, whatever the flusher does on that clock. A counter is visited every N
// clocks, so its pending sum is at most N increments: NARROW_W + log2(N) bits for a counter of NARROW_W-bit
// increments, INC_W + log2(N) for one marked in WIDE (the increment port is INC_W bits per counter; a narrow
// counter takes only its low NARROW_W bits). The flush itself takes two clocks (read, then write back the sum; the
// sum in flight is added to a read of that counter), and a read registers RAM[a] and pending[a] of the same clock
// and adds them on the next. Reset clears the pending registers and a valid bit per counter (a
// counter whose valid bit is clear reads its RAM word as 0 and is overwritten, not added to, by its next flush),
// so the RAM needs no clearing.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_cnt_ram #(
    parameter N = 32,                       // counters, 2..256
    parameter AW = 5,                       // log2(N) rounded up
    parameter INC_W = 24,                   // increment port width per counter
    parameter NARROW_W = 1,                 // increment bits a counter not in WIDE takes
    parameter [N-1:0] WIDE = {N{1'b0}}      // counters that take all INC_W bits
) (
    input  wire              clk,
    input  wire              rst,
    input  wire [N*INC_W-1:0] inc,          // counter c's increment this clock at [c*INC_W +: INC_W]
    input  wire [7:0]        cnt_addr,
    output reg  [63:0]       cnt_data = 64'd0
);

localparam integer PW_N = NARROW_W + AW;  // pending bits, narrow counters
localparam integer PW_W = INC_W + AW;     // pending bits, wide counters
localparam integer LAST_I = N - 1;
localparam [AW-1:0] LAST = LAST_I[AW-1:0];

// ---- pending sums ----
wire [N*PW_W-1:0] pend;                    // counter c's pending sum at [c*PW_W +: PW_W], zero-extended
reg  [AW-1:0]     fl = {AW{1'b0}};         // the counter the flusher visits this clock
genvar c;
generate
    for (c = 0; c < N; c = c + 1) begin : g_pend
        if (WIDE[c]) begin : w
            reg [PW_W-1:0] p = {PW_W{1'b0}};
            wire [PW_W-1:0] i = {{AW{1'b0}}, inc[c*INC_W +: INC_W]};
            always @(posedge clk) begin
                if (rst)                   p <= {PW_W{1'b0}};
                else if (fl == c[AW-1:0])  p <= i;
                else                       p <= p + i;
            end
            assign pend[c*PW_W +: PW_W] = p;
        end else begin : n
            reg [PW_N-1:0] p = {PW_N{1'b0}};
            wire [PW_N-1:0] i = {{AW{1'b0}}, inc[c*INC_W +: NARROW_W]};
            always @(posedge clk) begin
                if (rst)                   p <= {PW_N{1'b0}};
                else if (fl == c[AW-1:0])  p <= i;
                else                       p <= p + i;
            end
            assign pend[c*PW_W +: PW_W] = {{(PW_W-PW_N){1'b0}}, p};
            if (INC_W > NARROW_W) begin : u
                /* verilator lint_off UNUSEDSIGNAL */
                wire unused_hi = &{1'b0, inc[c*INC_W + NARROW_W +: INC_W - NARROW_W]};
                /* verilator lint_on UNUSEDSIGNAL */
            end
        end
    end
endgenerate

// ---- the RAM: written by the flusher, read by the flusher and the read port (asynchronous reads) ----
reg [63:0]  ram [0:N-1];
reg [N-1:0] valid = {N{1'b0}};
wire [63:0] fl_old = valid[fl] ? ram[fl] : 64'd0;

// pending sum k of the flat vector, by constant selects (a computed part-select would be a shifter in Yosys)
function [PW_W-1:0] pend_at(input [N*PW_W-1:0] v, input [AW-1:0] k);
    integer j;
    begin
        pend_at = {PW_W{1'b0}};
        for (j = 0; j < N; j = j + 1)
            if (k == j[AW-1:0]) pend_at = v[j*PW_W +: PW_W];
    end
endfunction

// The flush in two clocks (timing: the RAM read and the 64-bit add apart): the visit takes the word and the
// pending sum (fw_q, fp_q: the counter's pending register restarts), the next clock writes their sum and sets the
// valid bit. Between the two the pending sum is only in fp_q: a read of that counter adds it (rd_f).
reg [63:0]     fw_q = 64'd0;
reg [PW_W-1:0] fp_q = {PW_W{1'b0}};
reg [AW-1:0]   fc_q = {AW{1'b0}};
reg            fv_q = 1'b0;
always @(posedge clk) begin
    fw_q <= fl_old;
    fp_q <= pend_at(pend, fl);
    fc_q <= fl;
    if (fv_q)
        ram[fc_q] <= fw_q + {{(64-PW_W){1'b0}}, fp_q};
    if (rst) begin
        fl    <= {AW{1'b0}};
        fv_q  <= 1'b0;
        valid <= {N{1'b0}};
    end else begin
        fl   <= fl == LAST ? {AW{1'b0}} : fl + 1'b1;
        fv_q <= 1'b1;
        if (fv_q) valid[fc_q] <= 1'b1;
    end
end

// ---- read port: the RAM word and the pending sum registered together, added on the next clock ----
// the address registered first (timing: the window's address fans out to every counter block)
reg  [AW-1:0] ra = {AW{1'b0}};
reg           in_range = 1'b0;
always @(posedge clk) begin
    ra       <= cnt_addr[AW-1:0];
    in_range <= {24'd0, cnt_addr} < N;
end
reg  [63:0]   rd_w = 64'd0;
reg  [PW_W-1:0] rd_p = {PW_W{1'b0}}, rd_f = {PW_W{1'b0}};
always @(posedge clk) begin
    rd_w     <= in_range && valid[ra] ? ram[ra] : 64'd0;
    rd_p     <= in_range ? pend_at(pend, ra) : {PW_W{1'b0}};
    rd_f     <= in_range && fv_q && fc_q == ra ? fp_q : {PW_W{1'b0}};
    // a read taken before a reset still completes
    cnt_data <= rd_w + {{(63-PW_W){1'b0}}, {1'b0, rd_p} + {1'b0, rd_f}};
    if (rst) begin
        rd_w <= 64'd0;
        rd_p <= {PW_W{1'b0}};
        rd_f <= {PW_W{1'b0}};
    end
end

endmodule

`resetall
