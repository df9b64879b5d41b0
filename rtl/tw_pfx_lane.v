// tw_pfx_lane: one search lane of tw_pfx_search: two keys (a on even search clocks, b on odd) searched in the
// same interval bank, each probing every second clock. Clock t (slot = t[0]) puts {sbank, idx | pbit} of the
// slot's key on raddr; the next clock the entry is in q and is compared (cmp_slot, pbit_q): key(entry) <= key sets
// the probed bit in idx and takes the entry's sets. `start` clears both indices and starts both results at s0,
// the sets of entry 0 (key 0: every key is >= it). The key of an address is {v6, the address}, an IPv4 address
// zero-extended (so an IPv4 key is below every IPv6 key).
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "tw_pfx_iv_entry.vh"

module tw_pfx_lane #(
    parameter DW = 9
) (
    input  wire                    clk,
    input  wire                    start,
    input  wire [31:0]             s0,
    input  wire [127:0]            key_a,      // the addresses (IPv4 in the low 32 bits)
    input  wire                    v6_a,
    input  wire [127:0]            key_b,
    input  wire                    v6_b,
    input  wire                    slot,       // the key this clock reads for
    input  wire [DW-1:0]           pbit,       // the bit this clock probes
    output wire [DW:0]             raddr,
    input  wire [`TW_PI_WIDTH-1:0] q,          // the entry read the clock before
    input  wire                    cmp_v,
    input  wire                    cmp_slot,
    input  wire [DW-1:0]           pbit_q,
    input  wire                    sbank,
    output reg  [31:0]             sets_a,
    output reg  [31:0]             sets_b
);

reg [DW-1:0] idx_a, idx_b;
assign raddr = {sbank, (slot ? idx_b : idx_a) | pbit};

wire [128:0] ekey = {q[`TW_PI_V6_LSB], q[`TW_PI_ADDR_LSB +: 128]};
// the compared key {v6, v6 ? addr : addr[31:0]}: the slot's address and version first, then the upper 96 bits
// cleared for IPv4 (one LUT4 a bit: slot, two address bits, version)
wire [127:0] ck = cmp_slot ? key_b : key_a;
wire         cv6 = cmp_slot ? v6_b : v6_a;
wire [128:0] ckey = {cv6, cv6 ? ck[127:32] : 96'd0, ck[31:0]};
wire         le = ekey <= ckey;

always @(posedge clk) begin
    if (start) begin
        idx_a  <= {DW{1'b0}};
        idx_b  <= {DW{1'b0}};
        sets_a <= s0;
        sets_b <= s0;
    end else if (cmp_v && le) begin
        if (cmp_slot) begin
            idx_b  <= idx_b | pbit_q;
            sets_b <= q[`TW_PI_SETS_LSB +: 32];
        end else begin
            idx_a  <= idx_a | pbit_q;
            sets_a <= q[`TW_PI_SETS_LSB +: 32];
        end
    end
end

endmodule

`resetall
