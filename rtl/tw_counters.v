// tw_counters: the 64-bit statistics counters of contracts/counters.def, CNT_PER_PORT per port, address =
// port * CNT_PER_PORT + index. Each counter adds its increment a clock after it arrives (the increments are
// registered, below); a read takes three clocks, as tw_cnt_ram's (the register file samples three clocks after it
// sets the address): the address registered, then one counter of each group of eight, then the group's; the value
// is the counter's at the clock after the address was presented. Unused addresses read 0. RAM = 1 keeps them in
// distributed RAM (tw_cnt_ram): the same values on the same clocks.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_counters #(
    parameter NPORTS = 2,
    parameter INC_W = 24,
    parameter RAM = 0                   // 1: the counters in distributed RAM (tw_cnt_ram; BYTES takes INC_W bits a
                                        // clock, every other counter 1 bit, as tw_tap_parse_top and the boards feed them)
) (
    input  wire                                  clk,
    input  wire                                  rst,
    // increment of every counter this clock, counter c at [c*INC_W +: INC_W], c = port * CNT_PER_PORT + index
    input  wire [NPORTS*`TW_CNT_PER_PORT*INC_W-1:0] inc,
    input  wire [7:0]                            cnt_addr,
    output wire [63:0]                           cnt_data
);

localparam N = NPORTS * `TW_CNT_PER_PORT;

// RAM = 1: the BYTES counter of every port (of n counters) is the one with wide increments
function [N-1:0] wide_mask(input integer n);
    integer k;
    begin
        wide_mask = {N{1'b0}};
        for (k = 0; k < n; k = k + 1)
            wide_mask[k] = (k % `TW_CNT_PER_PORT) == `TW_CNT_BYTES;
    end
endfunction

// the increments registered first, for both forms (timing: in the Colorlight's parser build an event's logic, the
// egress handshake behind a MAC FIFO's state, then a 64-bit carry chain was the core path, 11.2 ns); a counter
// counts a clock after its event
reg [N*INC_W-1:0] inc_q = {(N*INC_W){1'b0}};
always @(posedge clk) begin
    inc_q <= inc;
    if (rst)
        inc_q <= {(N*INC_W){1'b0}};
end

generate
    if (RAM != 0) begin : g_ram
        tw_cnt_ram #(.N(N), .AW($clog2(N)), .INC_W(INC_W), .NARROW_W(1), .WIDE(wide_mask(N))) u_ram (
            .clk(clk), .rst(rst), .inc(inc_q), .cnt_addr(cnt_addr), .cnt_data(cnt_data)
        );
    end else begin : g_reg
        reg [N*64-1:0] cnt = {(N*64){1'b0}};
        reg [63:0]     data = 64'd0;
        // the select in two registered levels (timing: the address register through a 64-bit select of 32 was
        // 8.1-8.2 ns in the Colorlight's parser build): 8-way within each group, then the group
        localparam NG = (N + 7) / 8;
        reg [7:0]       addr_q = 8'd0;
        reg [NG-1:0]    gs_q = {NG{1'b0}}; // one-hot: the address's group in grp_q (none past the counters)
        reg             in_q = 1'b0;
        reg [NG*64-1:0] grp_q = {(NG*64){1'b0}};
        integer c, g;
        always @(posedge clk) begin
            for (c = 0; c < N; c = c + 1)
                if (inc_q[c*INC_W +: INC_W] != {INC_W{1'b0}})
                    cnt[c*64 +: 64] <= cnt[c*64 +: 64] + {{(64-INC_W){1'b0}}, inc_q[c*INC_W +: INC_W]};
            addr_q <= cnt_addr;
            in_q <= {24'd0, cnt_addr} < N;
            for (g = 0; g < NG; g = g + 1) begin
                grp_q[g*64 +: 64] <= 64'd0;
                for (c = 0; c < 8; c = c + 1)
                    if (g * 8 + c < N && addr_q[2:0] == c[2:0])
                        grp_q[g*64 +: 64] <= cnt[(g*8+c)*64 +: 64];
            end
            for (g = 0; g < NG; g = g + 1)
                gs_q[g] <= in_q && {27'd0, addr_q[7:3]} == g;
            data <= 64'd0;
            for (g = 0; g < NG; g = g + 1)
                if (gs_q[g])
                    data <= grp_q[g*64 +: 64];
            // a read taken before a reset still completes (as in tw_cnt_ram); the one behind it reads 0 (the group
            // select cleared: timing, not the 256 group flip-flops)
            if (rst) begin
                cnt  <= {(N*64){1'b0}};
                gs_q <= {NG{1'b0}};
            end
        end
        assign cnt_data = data;
    end
endgenerate

endmodule

`resetall
