// tw_cnt_ext: 64-bit statistics counters from narrow ones. N blocks' counters count W bits wide and wrap (their
// upper bits cost adders and flip-flops in every block, CNT_W of the detection pipeline); this block keeps, per
// counter, the wraps seen so far and the value at its last visit in distributed RAM and reads the 64-bit count as
// {hi + (cur < last), cur}: exact as long as no counter advances by 2^W or more between two visits (one counter
// a clock, round robin: every N + 1 clocks at most; the detection counters add at most a few hundred a clock, W =
// 16, N = 32). Reset (with the blocks' counters) clears a valid bit per counter: an invalid word reads {0, 0}.
// Read port: cnt_data three clocks after cnt_addr (an address >= N reads 0), as tw_cnt_ram's.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_cnt_ext #(
    parameter N = 32,                       // counters, 2..256
    parameter AW = 5,                       // log2(N) rounded up
    parameter W = 16                        // the blocks' counter width, 2..63
) (
    input  wire             clk,
    input  wire             rst,
    input  wire [N*W-1:0]   cur,            // counter c's W-bit value at [c*W +: W]
    input  wire [7:0]       cnt_addr,
    output reg  [63:0]      cnt_data = 64'd0
);

localparam integer HW = 64 - W;
localparam integer LAST_I = N - 1;
localparam [AW-1:0] LAST = LAST_I[AW-1:0];

// counter k's current value, by constant selects
function [W-1:0] cur_at(input [N*W-1:0] v, input [AW-1:0] k);
    integer j;
    begin
        cur_at = {W{1'b0}};
        for (j = 0; j < N; j = j + 1)
            if (k == j[AW-1:0]) cur_at = v[j*W +: W];
    end
endfunction

reg [63:0]   ram [0:N-1];                  // {hi, last}
reg [N-1:0]  valid = {N{1'b0}};

// ---- the visit, two clocks: read the word and the counter, then write {hi + wrapped, cur} ----
reg [AW-1:0] fl = {AW{1'b0}};
reg [63:0]   vw_q = 64'd0;
reg [W-1:0]  vc_q = {W{1'b0}};
reg [AW-1:0] va_q = {AW{1'b0}};
reg          vv_q = 1'b0;
wire [HW-1:0] v_hi = vw_q[63:W];
wire [W-1:0]  v_last = vw_q[W-1:0];
always @(posedge clk) begin
    vw_q <= valid[fl] ? ram[fl] : 64'd0;
    vc_q <= cur_at(cur, fl);
    va_q <= fl;
    if (vv_q)
        ram[va_q] <= {v_hi + {{(HW-1){1'b0}}, vc_q < v_last}, vc_q};
    if (rst) begin
        fl    <= {AW{1'b0}};
        vv_q  <= 1'b0;
        valid <= {N{1'b0}};
    end else begin
        fl   <= fl == LAST ? {AW{1'b0}} : fl + 1'b1;
        vv_q <= 1'b1;
        if (vv_q) valid[va_q] <= 1'b1;
    end
end

// ---- read: the word and the counter registered together, the count formed on the next clock ----
// the address registered first (timing: the window's address fans out to every counter block)
reg  [AW-1:0] ra = {AW{1'b0}};
reg           in_range = 1'b0;
always @(posedge clk) begin
    ra       <= cnt_addr[AW-1:0];
    in_range <= {24'd0, cnt_addr} < N;
end
reg  [63:0]   rw_q = 64'd0;
reg  [W-1:0]  rc_q = {W{1'b0}};
wire [HW-1:0] r_hi = rw_q[63:W];
wire [W-1:0]  r_last = rw_q[W-1:0];
always @(posedge clk) begin
    rw_q     <= in_range && valid[ra] ? ram[ra] : 64'd0;
    rc_q     <= in_range ? cur_at(cur, ra) : {W{1'b0}};
    cnt_data <= {r_hi + {{(HW-1){1'b0}}, rc_q < r_last}, rc_q};
end

endmodule

`resetall
