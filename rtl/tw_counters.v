// tw_counters: the 64-bit statistics counters of contracts/counters.def, CNT_PER_PORT per port, address =
// port * CNT_PER_PORT + index. Each counter adds its increment every clock; the read port is registered (data one
// clock after the address). Unused addresses read 0.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_counters.vh"

module tw_counters #(
    parameter NPORTS = 2,
    parameter INC_W = 24
) (
    input  wire                                  clk,
    input  wire                                  rst,
    // increment of every counter this clock, counter c at [c*INC_W +: INC_W], c = port * CNT_PER_PORT + index
    input  wire [NPORTS*`TW_CNT_PER_PORT*INC_W-1:0] inc,
    input  wire [7:0]                            cnt_addr,
    output reg  [63:0]                           cnt_data = 64'd0
);

localparam N = NPORTS * `TW_CNT_PER_PORT;

reg [N*64-1:0] cnt = {(N*64){1'b0}};

integer c;
always @(posedge clk) begin
    for (c = 0; c < N; c = c + 1)
        if (inc[c*INC_W +: INC_W] != {INC_W{1'b0}})
            cnt[c*64 +: 64] <= cnt[c*64 +: 64] + {{(64-INC_W){1'b0}}, inc[c*INC_W +: INC_W]};
    cnt_data <= ({24'd0, cnt_addr} < N) ? cnt[cnt_addr*64 +: 64] : 64'd0;
    if (rst) begin
        cnt <= {(N*64){1'b0}};
        cnt_data <= 64'd0;
    end
end

endmodule

`resetall
