// tw_mac_evsync: carries N event pulses from one clock domain into another as counts. Each event advances a 4-bit
// Gray counter in the source domain (one step per clock at most, so one bit changes at a time); the destination
// synchronises the counters through two flip-flops and outputs, per event, how many steps it moved since the last
// clock (0..15). Nothing is lost as long as the destination samples at least once per 15 source clocks, i.e. its
// clock is more than a fifth of the source's.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_evsync #(
    parameter N = 4
) (
    input  wire           src_clk,
    input  wire           src_rst,
    input  wire [N-1:0]   src_ev,

    input  wire           dst_clk,
    input  wire           dst_rst,
    output wire [N*4-1:0] dst_inc      // event i: [4*i +: 4]
);

function [3:0] gray2bin(input [3:0] g);
    gray2bin = {g[3], g[3] ^ g[2], g[3] ^ g[2] ^ g[1], g[3] ^ g[2] ^ g[1] ^ g[0]};
endfunction

reg [N*4-1:0] bin_reg = {(N*4){1'b0}};
reg [N*4-1:0] gray_reg = {(N*4){1'b0}};
reg [N*4-1:0] s1_reg = {(N*4){1'b0}}, s2_reg = {(N*4){1'b0}};
reg [N*4-1:0] last_reg = {(N*4){1'b0}};
reg [N*4-1:0] inc_reg = {(N*4){1'b0}};

assign dst_inc = inc_reg;

integer i;
always @(posedge src_clk) begin
    for (i = 0; i < N; i = i + 1) begin
        if (src_ev[i]) begin
            bin_reg[4*i +: 4] <= bin_reg[4*i +: 4] + 1'b1;
            gray_reg[4*i +: 4] <= (bin_reg[4*i +: 4] + 1'b1) ^ ((bin_reg[4*i +: 4] + 1'b1) >> 1);
        end
    end
    if (src_rst) begin
        bin_reg <= {(N*4){1'b0}};
        gray_reg <= {(N*4){1'b0}};
    end
end

integer j;
always @(posedge dst_clk) begin
    s1_reg <= gray_reg;
    s2_reg <= s1_reg;
    for (j = 0; j < N; j = j + 1) begin
        last_reg[4*j +: 4] <= gray2bin(s2_reg[4*j +: 4]);
        inc_reg[4*j +: 4] <= gray2bin(s2_reg[4*j +: 4]) - last_reg[4*j +: 4];
    end
    if (dst_rst) begin
        s1_reg <= {(N*4){1'b0}};
        s2_reg <= {(N*4){1'b0}};
        last_reg <= {(N*4){1'b0}};
        inc_reg <= {(N*4){1'b0}};
    end
end

endmodule

`resetall
