`resetall
`timescale 1ns / 1ps
`default_nettype none
// tw_alert_rate: the per-rule rate limiter's constants from the settings (docs/detection.md "Rate limiter"):
//   T = max(1, floor(10^9 / RATE)) ns, tau = (BURST - 1) * T ns, enabled = RATE != 0.
// A sequential restoring divider (30 steps: 10^9 < 2^30) and a shift-add multiplier (32 steps) run in a loop; each
// pass samples cfg_rate/cfg_burst once and latches its result, so a settings change takes effect within two passes
// (about 130 clocks). `ok` goes high after the first pass after reset. BURST = 0 with RATE != 0 (rejected by the
// compiler and the reference) is taken as BURST = 1 (tau = 0).
module tw_alert_rate (
    input  wire        clk,
    input  wire        rst,
    input  wire [31:0] cfg_rate,
    input  wire [31:0] cfg_burst,
    output reg         ok,
    output reg         en,
    output reg  [63:0] t_ns,
    output reg  [63:0] tau_ns
);
    localparam [29:0] NS = 30'd1000000000;
    localparam [2:0] S_START = 3'd0, S_DIV = 3'd1, S_LOAD = 3'd2, S_MUL = 3'd3, S_LATCH = 3'd4;

    reg [2:0]  st;
    reg [31:0] r_rate;
    reg [31:0] r_mplier;
    reg [31:0] remd;
    reg [29:0] q;
    reg [4:0]  i;
    reg [63:0] mcand;
    reg [63:0] acc;
    wire [32:0] remd_sh = {remd, NS[i]};   // remd < rate: the shifted remainder fits 33 bits
    /* verilator lint_off UNUSEDSIGNAL */
    wire [32:0] remd_sub = remd_sh - {1'b0, r_rate};   // < rate when taken: bit 32 is 0
    /* verilator lint_on UNUSEDSIGNAL */
    wire [63:0] t_now = (q == 30'd0) ? 64'd1 : {34'd0, q};

    always @(posedge clk) begin
        case (st)
            S_START: begin
                r_rate   <= cfg_rate;
                r_mplier <= (cfg_burst == 32'd0) ? 32'd0 : cfg_burst - 32'd1;
                remd     <= 32'd0;
                q        <= 30'd0;
                i        <= 5'd29;
                st       <= S_DIV;
            end
            S_DIV: begin
                if (r_rate != 32'd0 && remd_sh >= {1'b0, r_rate}) begin
                    remd <= remd_sub[31:0];
                    q[i] <= 1'b1;
                end else begin
                    remd <= remd_sh[31:0];
                end
                if (i == 5'd0)
                    st <= S_LOAD;
                else
                    i <= i - 5'd1;
            end
            S_LOAD: begin
                acc   <= 64'd0;
                mcand <= t_now;
                i     <= 5'd31;
                st    <= S_MUL;
            end
            S_MUL: begin
                if (r_mplier[0])
                    acc <= acc + mcand;
                mcand    <= {mcand[62:0], 1'b0};
                r_mplier <= {1'b0, r_mplier[31:1]};
                if (i == 5'd0)
                    st <= S_LATCH;
                else
                    i <= i - 5'd1;
            end
            default: begin
                ok     <= 1'b1;
                en     <= r_rate != 32'd0;
                t_ns   <= t_now;
                tau_ns <= acc;
                st     <= S_START;
            end
        endcase
        if (rst) begin
            st     <= S_START;
            ok     <= 1'b0;
            en     <= 1'b0;
        end
    end
endmodule
`resetall
