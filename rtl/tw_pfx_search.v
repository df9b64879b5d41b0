// tw_pfx_search: the address sets of a record's 4 addresses by binary search in a prefix interval table, the
// small-FPGA form of the prefix table (tw_engine PFX_SEARCH = 1, docs/engine.md "Prefix intervals"). Same results
// as tw_prefix_match / tw_set_scan on the prefix table the host converted (tw_pfx_intervals, contracts/
// pfx_iv_entry.def): per key the OR of the sets of every valid prefix of the key's version whose first len bits
// equal the key's.
//
// Table: 2 banks x NE = 2^DW entries {sets, v6, addr} in one block RAM with two ports (port A: host writes and
// lane A's reads, port B: lane B's reads). Entry i's sets apply to the keys from its key up to the next entry's
// key; entry 0's key is 0 (the host's conversion guarantees it), so every key has an answer. Writes go to the
// shadow bank (!bank); `bank` is the caller's (tw_engine's rule bank, which its COMMIT swaps). The caller issues no
// write while `busy` (port A is lane A's then) and no commit while a search runs (tw_engine holds both), so a search
// sees one bank wholly.
//
// Search: key x = {v6, v6 ? addr : addr[31:0] zero-extended} (129 bits, unsigned). idx = 0, then for b = DW-1 down
// to 0: read entry idx + 2^b; if its key <= x, idx = idx + 2^b and the result is its sets. The result starts as
// entry 0's sets (a copy per bank in flip-flops, taken when the host writes entry 0). Each lane searches two keys
// interleaved: a read on one clock, the compare on the next (the registered read data), so each key probes every
// second clock: lane A keys 0 and 2 (outer / inner source), lane B keys 1 and 3. `start` (the record's accept
// clock) begins; the keys (in_key, in_v6) must hold from the clock after `start` to the end. Results: out_valid
// for one clock per key, out_tag 0..3 on 4 consecutive clocks, key 0 2 * DW + 3 clocks after `start`
// (the latency), key 3 three clocks later. A new `start` may come 2 * DW + 5 clocks after the previous one.
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_pfx_iv_entry.vh"

module tw_pfx_search #(
    parameter DW = 9                        // log2(entries per bank)
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 start,
    input  wire [3:0]           in_v6,        // the keys' IP versions (1 = IPv6)
    input  wire [4*128-1:0]     in_key,       // key k in bits k*128 +: 128
    output reg                  out_valid,
    output reg  [31:0]          out_sets,
    output reg  [1:0]           out_tag,
    output wire                 busy,         // a search is running (port A is lane A's)
    input  wire                 wr_en,        // entry wr_index of the shadow bank
    input  wire [DW-1:0]        wr_index,
    input  wire [`TW_PI_WIDTH-1:0] wr_data,
    input  wire                 bank          // the active bank (the rule bank)
);

localparam integer EW = `TW_PI_WIDTH;      // 161: {sets, addr, v6} as in the contract
localparam integer E = 2 * DW + 1;          // the search clock t of key 0's output

// ---- the table: one memory, two ports ----
// no_rw_check: a host write (shadow bank) and a read (active bank) never meet on one address, so Yosys may
// use the block RAM's second port for lane B instead of a second copy of the memory
(* ram_style = "block", no_rw_check *) reg [EW-1:0] mem [0:(2 << DW)-1];
reg  [EW-1:0] qa, qb;
wire [DW:0]   ra, rb;                       // lanes' read addresses {bank, index}
wire          rda, rdb;
wire [DW:0]   aa = wr_en ? {!bank, wr_index} : ra;

always @(posedge clk) begin
    if (wr_en)
        mem[aa] <= wr_data;
    else if (rda)
        qa <= mem[aa];
end
always @(posedge clk) begin
    if (rdb)
        qb <= mem[rb];
end

// entry 0's sets per bank
reg [31:0] s0 [0:1];
always @(posedge clk) begin
    if (wr_en && wr_index == {DW{1'b0}})
        s0[!bank] <= wr_data[`TW_PI_SETS_LSB +: 32];
end

// ---- sequencing: t counts the clocks of a search ----
localparam integer TW_ = $clog2(E + 4);
reg           run;
reg [TW_-1:0] t;
reg           sbank;                             // the bank of this search
assign busy = run;

always @(posedge clk) begin
    if (rst) begin
        run  <= 1'b0;
        t    <= {TW_{1'b0}};
    end else begin
        if (start) begin
            run <= 1'b1;
            t   <= {TW_{1'b0}};
        end else if (run) begin
            t <= t + 1'b1;
            if (t == E[TW_-1:0] + 3) run <= 1'b0;
        end
    end
    if (start) sbank <= bank;
end

// clock t of the search (t = 0 the clock after start): t < 2 * DW reads; key slot s = t[0] (0: the lane's first
// key, 1: its second), probe p = t / 2 (bit DW - 1 - p)
wire          reading = run && t < 2 * DW;
wire          slot = t[0];
wire [TW_-1:0] p = {1'b0, t[TW_-1:1]};
assign rda = reading;
assign rdb = reading;

// a lane: two keys' state, the probe address, the compare of the returned entry
// probe bits: clock t reads with bit DW - 1 - t / 2
reg [DW-1:0] pbit;
integer pb;
always @(*) begin
    pbit = {DW{1'b0}};
    for (pb = 0; pb < DW; pb = pb + 1)
        if (p == pb[TW_-1:0]) pbit[DW - 1 - pb] = 1'b1;
end
reg [DW-1:0] pbit_q;                             // the bit of the entry now in qa / qb
reg          cmp_v, cmp_slot;
always @(posedge clk) begin
    pbit_q   <= pbit;
    cmp_v    <= reading;
    cmp_slot <= slot;
end

wire [31:0] ra_sets, rb_sets, rc_sets, rd_sets;
tw_pfx_lane #(.DW(DW)) lane_a (
    .clk(clk), .start(start), .s0(s0[bank]), .key_a(in_key[0 +: 128]), .v6_a(in_v6[0]), .key_b(in_key[256 +: 128]),
    .v6_b(in_v6[2]),
    .slot(slot), .pbit(pbit), .raddr(ra), .q(qa), .cmp_v(cmp_v), .cmp_slot(cmp_slot), .pbit_q(pbit_q),
    .sbank(sbank), .sets_a(ra_sets), .sets_b(rc_sets)
);
tw_pfx_lane #(.DW(DW)) lane_b (
    .clk(clk), .start(start), .s0(s0[bank]), .key_a(in_key[128 +: 128]), .v6_a(in_v6[1]), .key_b(in_key[384 +: 128]),
    .v6_b(in_v6[3]),
    .slot(slot), .pbit(pbit), .raddr(rb), .q(qb), .cmp_v(cmp_v), .cmp_slot(cmp_slot), .pbit_q(pbit_q),
    .sbank(sbank), .sets_a(rb_sets), .sets_b(rd_sets)
);

// ---- results: keys 0..3 on the 4 clocks t = E .. E + 3 (every compare is in by t = E) ----
wire [1:0] e = t[1:0] - E[1:0];
always @(posedge clk) begin
    if (rst) out_valid <= 1'b0;
    else     out_valid <= run && t >= E[TW_-1:0];
    out_tag <= e;
    case (e)
        2'd0:    out_sets <= ra_sets;
        2'd1:    out_sets <= rb_sets;
        2'd2:    out_sets <= rc_sets;
        default: out_sets <= rd_sets;
    endcase
end

endmodule

`resetall
