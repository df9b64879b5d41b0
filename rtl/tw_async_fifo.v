// tw_async_fifo: dual-clock FIFO. Gray-code pointers cross each way through two-flop synchronisers; the memory has
// one write port and one registered read port (block RAM). The read side is first-word-fall-through through one
// output register (OUT_REG = 1: and a two-entry register FIFO). wr_free is the write side's conservative count of free entries (it lags reads
// by the synchroniser delay plus three clocks, never over-reports). Each side has its own synchronous reset; reset both
// together. Timing: wr_free, full and empty are registers (each computed a clock ahead from the next pointer
// values), so neither side's enable logic goes through a Gray decode, a subtraction or a pointer compare.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_async_fifo #(
    parameter WIDTH = 8,
    parameter ADDR_W = 9,              // depth = 2**ADDR_W entries
    parameter OUT_REG = 0              // 1: a two-entry register FIFO after the RAM's read register (timing: neither
                                       // the block RAM's clock-to-out nor the reader's tready reaches the other side;
                                       // one clock more latency, full rate)
) (
    input  wire              wr_clk,
    input  wire              wr_rst,
    input  wire [WIDTH-1:0]  s_axis_tdata,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready,
    output wire [ADDR_W:0]   wr_free,

    input  wire              rd_clk,
    input  wire              rd_rst,
    output wire [WIDTH-1:0]  m_axis_tdata,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready
);

localparam DEPTH = 1 << ADDR_W;

initial begin
    if (ADDR_W < 2 || ADDR_W > 16) begin
        $error("tw_async_fifo: ADDR_W must be 2..16");
        $finish;
    end
end

function [ADDR_W:0] bin2gray(input [ADDR_W:0] b);
    bin2gray = b ^ (b >> 1);
endfunction

// each bit an XOR reduction of the bits above it (a tree, not a chain: timing)
function [ADDR_W:0] gray2bin(input [ADDR_W:0] g);
    integer i;
    begin
        for (i = 0; i <= ADDR_W; i = i + 1)
            gray2bin[i] = ^(g >> i);
    end
endfunction

reg [WIDTH-1:0] mem [0:DEPTH-1];

// ---- write domain ----
reg [ADDR_W:0] wr_bin_reg = 0;
reg [ADDR_W:0] wr_gray_reg = 0;
reg [ADDR_W:0] rd_gray_s1_reg = 0, rd_gray_s2_reg = 0;
reg [ADDR_W:0] rd_bin_reg = 0;
reg [ADDR_W:0] rd_gray_reg = 0;
reg [ADDR_W:0] wr_gray_s1_reg = 0, wr_gray_s2_reg = 0;
// The free count is kept as a register: free = DEPTH - (wr_bin_reg - rd_seen_reg as of a clock earlier), advanced
// by the reads newly seen (rd_delta_reg) and the write of this clock, which only selects between two precomputed
// sums (timing: no carry chain after the write enable).
reg [ADDR_W:0] rd_conv_reg = 0;                // synchronised read pointer, converted to binary (a register:
                                               // timing, the Gray decode and the subtractions in two clocks)
reg [ADDR_W:0] rd_seen_reg = 0;                // rd_conv_reg a clock ago
reg [ADDR_W:0] rd_delta_reg = 0;               // rd_seen_reg's last step
reg [ADDR_W:0] rd_delta_m1_reg = {(ADDR_W + 1){1'b1}};   // rd_delta_reg - 1 (timing: one adder per free sum)
reg [ADDR_W:0] free_reg = DEPTH[ADDR_W:0];
reg            full_reg = 1'b0;

wire            wr_en = s_axis_tvalid && !full_reg;
wire [ADDR_W:0] free_keep = free_reg + rd_delta_reg;
wire [ADDR_W:0] free_dec = free_reg + rd_delta_m1_reg;
wire [ADDR_W:0] free_next = wr_en ? free_dec : free_keep;
wire            full_next = wr_en ? free_dec == {(ADDR_W + 1){1'b0}} : free_keep == {(ADDR_W + 1){1'b0}};

assign s_axis_tready = !full_reg;
assign wr_free = free_reg;

always @(posedge wr_clk) begin
    if (wr_en)
        mem[wr_bin_reg[ADDR_W-1:0]] <= s_axis_tdata;
end

always @(posedge wr_clk) begin
    rd_gray_s1_reg <= rd_gray_reg;
    rd_gray_s2_reg <= rd_gray_s1_reg;
    if (wr_en) begin
        wr_bin_reg <= wr_bin_reg + 1'b1;
        wr_gray_reg <= bin2gray(wr_bin_reg + 1'b1);
    end
    rd_conv_reg <= gray2bin(rd_gray_s2_reg);
    rd_seen_reg <= rd_conv_reg;
    rd_delta_reg <= rd_conv_reg - rd_seen_reg;
    rd_delta_m1_reg <= rd_conv_reg + ~rd_seen_reg;     // = rd_conv_reg - rd_seen_reg - 1, one adder
    free_reg <= free_next;
    full_reg <= full_next;
    if (wr_rst) begin
        wr_bin_reg <= 0;
        wr_gray_reg <= 0;
        rd_gray_s1_reg <= 0;
        rd_gray_s2_reg <= 0;
        rd_conv_reg <= 0;
        rd_seen_reg <= 0;
        rd_delta_reg <= 0;
        rd_delta_m1_reg <= {(ADDR_W + 1){1'b1}};
        free_reg <= DEPTH[ADDR_W:0];
        full_reg <= 1'b0;
    end
end

// ---- read domain ----
reg [WIDTH-1:0] out_data_reg;
reg out_valid_reg = 1'b0;
reg [ADDR_W:0] rd_gray_inc_reg = 1;            // bin2gray(rd_bin_reg + 1)
reg            empty_reg = 1'b1;                // rd_gray_reg == wr_gray_s2_reg

wire out_ready;                                 // the read register may pass its word on
wire rd_en = !empty_reg && (!out_valid_reg || out_ready);
// next clock's empty flag: the pointer this clock leaves against the synchronised write pointer (exact against
// the write pointer as seen one clock later: a third synchroniser stage, in effect)
wire empty_hold = rd_gray_reg == wr_gray_s2_reg;
wire empty_adv = rd_gray_inc_reg == wr_gray_s2_reg;

generate
    if (OUT_REG != 0) begin : g_slice
        // a two-entry FIFO of registers: the read register's word goes straight into an entry (a clock enable, no
        // multiplexer between the RAM's slow output and the flip-flop), out_ready is "not full" (a register's
        // decode, not the reader's tready), and the reader sees the older entry through a 2:1 multiplexer
        reg [WIDTH-1:0] e0_reg, e1_reg;
        reg             wp_reg = 1'b0, rp_reg = 1'b0;
        reg [1:0]       n_reg = 2'd0;
        wire            in_fire = out_valid_reg && out_ready;
        wire            out_fire = n_reg != 2'd0 && m_axis_tready;
        assign out_ready = n_reg != 2'd2;
        always @(posedge rd_clk) begin
            if (in_fire && !wp_reg) e0_reg <= out_data_reg;
            if (in_fire && wp_reg)  e1_reg <= out_data_reg;
            if (in_fire)  wp_reg <= !wp_reg;
            if (out_fire) rp_reg <= !rp_reg;
            n_reg <= n_reg + {1'b0, in_fire} - {1'b0, out_fire};
            if (rd_rst) begin
                wp_reg <= 1'b0;
                rp_reg <= 1'b0;
                n_reg  <= 2'd0;
            end
        end
        assign m_axis_tdata = rp_reg ? e1_reg : e0_reg;
        assign m_axis_tvalid = n_reg != 2'd0;
    end else begin : g_direct
        assign out_ready = m_axis_tready;
        assign m_axis_tdata = out_data_reg;
        assign m_axis_tvalid = out_valid_reg;
    end
endgenerate

always @(posedge rd_clk) begin
    if (rd_en)
        out_data_reg <= mem[rd_bin_reg[ADDR_W-1:0]];
end

always @(posedge rd_clk) begin
    wr_gray_s1_reg <= wr_gray_reg;
    wr_gray_s2_reg <= wr_gray_s1_reg;
    empty_reg <= rd_en ? empty_adv : empty_hold;
    if (rd_en) begin
        rd_bin_reg <= rd_bin_reg + 1'b1;
        rd_gray_reg <= rd_gray_inc_reg;
        rd_gray_inc_reg <= bin2gray(rd_bin_reg + {{(ADDR_W - 1){1'b0}}, 2'd2});
        out_valid_reg <= 1'b1;
    end else if (out_ready) begin
        out_valid_reg <= 1'b0;
    end
    if (rd_rst) begin
        rd_bin_reg <= 0;
        rd_gray_reg <= 0;
        rd_gray_inc_reg <= 1;
        wr_gray_s1_reg <= 0;
        wr_gray_s2_reg <= 0;
        empty_reg <= 1'b1;
        out_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
