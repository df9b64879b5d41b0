// tw_regfile: the register file behind the host link (map: contracts/regs.def, docs/protocol.md).
// Identity, version and capabilities (parameters), control/status/scratch, the ns time counter, the link
// statistics, an external register window (0x0100..0x0FFF, one clock of read latency, for the engine's
// configuration later) and a counter window (0x1000 + 2i: counter i through cnt_addr/cnt_data, data one clock
// after the address, like the tap's counter block, or up to three, like tw_cnt_ram: sampled three clocks after
// cnt_addr changes). Bus: one reg_req pulse, reg_ack three clocks later (five for a read of the external window,
// seven for the counter window): a request is registered as it comes together with its range flags (external window, counter
// window, high byte 0), then registered again with its read data decoded from the low address byte and those
// flags (the constant registers' value, a one-hot select of the other sources, write flags), then served with an
// AND-OR of the selected source (timing: the range checks, the decode and the read-data multiplexer are in three
// different clocks, each a few LUTs deep, for a 125 MHz core on ECP5).
// chk_ok says, without side effects, whether the address on chk_addr a clock earlier may be read (chk_we = 0) or
// written (chk_we = 1): the verdict is a register (timing), one clock behind the address.
`resetall
`timescale 1ns / 1ps
`default_nettype none
`include "tw_regs.vh"
`include "tw_protocol.vh"

module tw_regfile #(
    parameter CAP_RULES = 256,
    parameter CAP_FLOWS = 4096,
    parameter CAP_PFX_IV = 0,           // REG_CAP_PFX_IV: 0 = the prefix table, n = an n-entry interval table
    parameter CAP_FLOW_GEOM = 0,        // REG_CAP_FLOW_GEOM / _DIGEST_GEOM / _STATE_GEOM: {log2 buckets, ways}
    parameter CAP_DIGEST_GEOM = 0,
    parameter CAP_STATE_GEOM = 0,
    parameter CAP_HDR_BYTES = 0,        // REG_CAP_HDR_BYTES
    parameter DATAPATH_W = 64,
    parameter CLK_MHZ = 125,
    parameter CLK_PERIOD_PS = 8000,     // core clock period: the time counter advances by it every clock
    parameter CNT_ADDR_W = 8,
    parameter CNT_N = 32,               // counters behind the window (<= 2**CNT_ADDR_W)
    parameter RTL_VERSION = 1
) (
    input  wire                  clk,
    input  wire                  rst,

    input  wire                  reg_req,
    input  wire                  reg_we,
    input  wire [15:0]           reg_addr,
    input  wire [31:0]           reg_wdata,
    output wire                  reg_ack,
    output wire [31:0]           reg_rdata,
    input  wire [15:0]           chk_addr,
    input  wire                  chk_we,
    output wire                  chk_ok,

    // time
    input  wire                  time_set_stb,
    input  wire [63:0]           time_set_ns,
    output wire [63:0]           time_ns,

    // control and status
    output wire [31:0]           ctrl,
    input  wire [31:0]           status,

    // link events (pulses) and the totals the error reporter needs
    input  wire                  ev_rx_frame,
    input  wire                  ev_crc_err,
    input  wire                  ev_hdr_err,
    input  wire                  ev_rx_timeout,
    input  wire                  ev_resync,
    input  wire [1:0]            ev_discard,
    input  wire                  ev_bad_cmd,
    input  wire                  ev_tx_frame,
    input  wire                  ev_tx_drop,
    output wire [31:0]           tot_crc,
    output wire [31:0]           tot_hdr,
    output wire [31:0]           tot_drop,

    // counter window
    output wire [CNT_ADDR_W-1:0] cnt_addr,
    input  wire [63:0]           cnt_data,

    // external register window
    output wire                  ext_req,
    output wire                  ext_we,
    output wire [15:0]           ext_addr,
    output wire [31:0]           ext_wdata,
    input  wire [31:0]           ext_rdata
);

localparam [15:0] A_MAGIC = `TW_REG_MAGIC, A_VERSION = `TW_REG_VERSION, A_CAP_RULES = `TW_REG_CAP_RULES,
                  A_CAP_FLOWS = `TW_REG_CAP_FLOWS, A_CAP_DP = `TW_REG_CAP_DATAPATH, A_CAP_MHZ = `TW_REG_CAP_CLK_MHZ,
                  A_CAP_CNT = `TW_REG_CAP_CNT, A_CAP_PFX = `TW_REG_CAP_PFX_IV,
                  A_CAP_FGEOM = `TW_REG_CAP_FLOW_GEOM, A_CAP_DGEOM = `TW_REG_CAP_DIGEST_GEOM,
                  A_CAP_SGEOM = `TW_REG_CAP_STATE_GEOM, A_CAP_HDR = `TW_REG_CAP_HDR_BYTES, A_CONTROL = `TW_REG_CONTROL,
                  A_STATUS = `TW_REG_STATUS,
                  A_SCRATCH = `TW_REG_SCRATCH, A_TIME_LO = `TW_REG_TIME_LO, A_TIME_HI = `TW_REG_TIME_HI,
                  A_RX_FRAMES = `TW_REG_LINK_RX_FRAMES, A_CRC = `TW_REG_LINK_CRC_ERR, A_HDR = `TW_REG_LINK_HDR_ERR,
                  A_RESYNC = `TW_REG_LINK_RESYNCS, A_DISCARD = `TW_REG_LINK_DISCARDS,
                  A_BAD_CMDS = `TW_REG_LINK_BAD_CMDS, A_TX_FRAMES = `TW_REG_LINK_TX_FRAMES,
                  A_TX_DROPS = `TW_REG_LINK_TX_DROPS, A_RX_TMO = `TW_REG_LINK_RX_TMO, A_EXT_BASE = `TW_REG_EXT_BASE, A_EXT_END = `TW_REG_EXT_END,
                  A_CNT_BASE = `TW_REG_CNT_BASE, A_CNT_END = `TW_REG_CNT_END;
localparam [31:0] MAGIC = `TW_REG_MAGIC_VALUE;
localparam [15:0] PROTO_VERSION = `TW_PROTO_VERSION;
localparam [31:0] NS_INC = CLK_PERIOD_PS / 1000;
localparam integer PS_REM_I = CLK_PERIOD_PS % 1000;
localparam [10:0] PS_REM = PS_REM_I[10:0];

initial begin
    if (CNT_N > (1 << CNT_ADDR_W) || CNT_N > 2048) begin
        $error("tw_regfile: CNT_N must fit CNT_ADDR_W and the 2048-counter window");
        $finish;
    end
    if (A_EXT_BASE != 16'h0100 || A_EXT_END != 16'h0FFF || A_CNT_BASE != 16'h1000 || A_CNT_END != 16'h1FFF ||
        A_RX_TMO > 16'h00FF) begin
        $error("tw_regfile: the address decode assumes the windows of contracts/regs.def (0x0100, 0x1000)");
        $finish;
    end
end

// select codes of the fixed registers (the address check's readable(): an address with a code is a register)
localparam [4:0] R_ZERO = 5'd0, R_MAGIC = 5'd1, R_VERSION = 5'd2, R_CAP_RULES = 5'd3, R_CAP_FLOWS = 5'd4,
                 R_CAP_DP = 5'd5, R_CAP_MHZ = 5'd6, R_CAP_CNT = 5'd7, R_CONTROL = 5'd8, R_STATUS = 5'd9,
                 R_SCRATCH = 5'd10, R_TIME_LO = 5'd11, R_TIME_HI = 5'd12, R_RX_FRAMES = 5'd13, R_CRC = 5'd14,
                 R_HDR = 5'd15, R_RESYNC = 5'd16, R_DISCARD = 5'd17, R_BAD_CMDS = 5'd18, R_TX_FRAMES = 5'd19,
                 R_TX_DROPS = 5'd20, R_RX_TMO = 5'd21, R_CAP_PFX = 5'd22, R_CAP_GEOM = 5'd23;

// The address decode, written as bit tests (no magnitude compare: Yosys builds those as carry chains, slow on
// ECP5). The map's windows are aligned (checked above): 0x0000..0x00FF the fixed registers (by the low byte),
// 0x0100..0x0FFF the external window, 0x1000..0x1FFF the counter window.
function in_cnt(input [15:1] a);
    in_cnt = a[15:12] == 4'h1 && {5'd0, a[11:1]} < CNT_N[15:0];
endfunction

function in_ext(input [15:8] a);
    in_ext = a[15:12] == 4'h0 && a[11:8] != 4'h0;
endfunction

// the select code of a fixed register from the low address byte (the high byte must be 0)
function [4:0] sel_lo(input [7:0] lo);
    case (lo)
        A_MAGIC[7:0]: sel_lo = R_MAGIC;
        A_VERSION[7:0]: sel_lo = R_VERSION;
        A_CAP_RULES[7:0]: sel_lo = R_CAP_RULES;
        A_CAP_FLOWS[7:0]: sel_lo = R_CAP_FLOWS;
        A_CAP_DP[7:0]: sel_lo = R_CAP_DP;
        A_CAP_MHZ[7:0]: sel_lo = R_CAP_MHZ;
        A_CAP_CNT[7:0]: sel_lo = R_CAP_CNT;
        A_CAP_PFX[7:0]: sel_lo = R_CAP_PFX;
        A_CAP_FGEOM[7:0], A_CAP_DGEOM[7:0], A_CAP_SGEOM[7:0], A_CAP_HDR[7:0]: sel_lo = R_CAP_GEOM;
        A_CONTROL[7:0]: sel_lo = R_CONTROL;
        A_STATUS[7:0]: sel_lo = R_STATUS;
        A_SCRATCH[7:0]: sel_lo = R_SCRATCH;
        A_TIME_LO[7:0]: sel_lo = R_TIME_LO;
        A_TIME_HI[7:0]: sel_lo = R_TIME_HI;
        A_RX_FRAMES[7:0]: sel_lo = R_RX_FRAMES;
        A_CRC[7:0]: sel_lo = R_CRC;
        A_HDR[7:0]: sel_lo = R_HDR;
        A_RESYNC[7:0]: sel_lo = R_RESYNC;
        A_DISCARD[7:0]: sel_lo = R_DISCARD;
        A_BAD_CMDS[7:0]: sel_lo = R_BAD_CMDS;
        A_TX_FRAMES[7:0]: sel_lo = R_TX_FRAMES;
        A_TX_DROPS[7:0]: sel_lo = R_TX_DROPS;
        A_RX_TMO[7:0]: sel_lo = R_RX_TMO;
        default: sel_lo = R_ZERO;
    endcase
endfunction

function readable(input [15:0] a);
    readable = (a[15:8] == 8'd0 && sel_lo(a[7:0]) != R_ZERO) || in_ext(a[15:8]) || in_cnt(a[15:1]);
endfunction

function writable(input [15:0] a);
    writable = a == A_CONTROL || a == A_SCRATCH || in_ext(a[15:8]);
endfunction

// The ns time: two 32-bit halves (timing: no 64-bit carry chain). The low half adds the increment; the high half
// takes hi_p1_reg (= itself + 1, kept a clock ahead) on the low half's carry, in the same clock, so time_ns is
// always consistent. hi_p1_reg is computed from the high half's register (one clock stale right after a carry or
// a set, which sets it too): the low half never carries twice within two clocks (the increment is NS_INC + 1 at
// most, far below 2**31).
reg [31:0] time_lo_reg = 32'd0, time_hi_reg2 = 32'd0, hi_p1_reg = 32'd1;
wire [63:0] time_reg = {time_hi_reg2, time_lo_reg};
reg [9:0]  frac_reg = 10'd0;
reg [31:0] ctrl_reg = 32'd0, scratch_reg = 32'd0;
reg [31:0] time_hi_reg = 32'd0, cnt_hi_reg = 32'd0;
reg [31:0] c_rx_reg = 0, c_crc_reg = 0, c_hdr_reg = 0, c_resync_reg = 0, c_discard_reg = 0, c_bad_reg = 0,
           c_tx_reg = 0, c_drop_reg = 0, c_tmo_reg = 0;
reg        ack_reg = 1'b0;
reg [31:0] rdata_reg = 32'd0;
// window reads in flight, one-hot (timing: no 3-bit compare or subtractor in front of the read data's select):
// bit k set = k + 1 clocks to go, the data sampled when bit 0 is set (2 clocks external, 4 counters)
reg [3:0]  wait_sr = 4'd0;
reg        wait_busy_reg = 1'b0;     // wait_sr != 0
reg        wait_cnt_reg = 1'b0;      // ... from the counter window (else the external one)
reg [CNT_ADDR_W-1:0] cnt_addr_reg = {CNT_ADDR_W{1'b0}};
reg        ext_req_reg = 1'b0, ext_we_reg = 1'b0;
reg [15:0] ext_addr_reg = 16'd0;
reg [31:0] ext_wdata_reg = 32'd0;
reg        q_req_reg = 1'b0, q_we_reg = 1'b0;     // the request as it came
reg [15:0] q_addr_reg = 16'd0;
reg [31:0] q_wdata_reg = 32'd0;
reg        chk_ok_reg = 1'b0;
reg        d_req_reg = 1'b0, d_we_reg = 1'b0, d_ext_reg = 1'b0, d_cnt_reg = 1'b0;
reg        d_wctl_reg = 1'b0, d_wscr_reg = 1'b0;   // a write of REG_CONTROL / REG_SCRATCH
// read data, decoded in the decode stage (timing: no 23-way multiplexer behind a 5-bit select in the serve clock):
// the constant registers' value (0 for any other), and a one-hot select of the register sources (0 for a write, a
// window or an unknown address), ANDed and ORed in the serve clock
reg [31:0] d_const_reg = 32'd0;
reg [14:0] d_oh_reg = 15'd0;
reg [15:0] d_addr_reg = 16'd0;
reg [31:0] d_wdata_reg = 32'd0;
// request stage flags: the range checks and "high byte 0", from the requester's address register
reg        q_ext_reg = 1'b0, q_cnt_reg = 1'b0, q_hi0_reg = 1'b0;
// decode stage: the select code from the low byte and those flags only

// the decode stage's read-data choice straight from the low address byte (timing: no select-code lookup in front
// of it; the high byte and window checks are the request stage's flags)
function [31:0] const_of(input [7:0] lo);
    case (lo)
        A_MAGIC[7:0]: const_of = MAGIC;
        A_VERSION[7:0]: const_of = {RTL_VERSION[15:0], PROTO_VERSION};
        A_CAP_RULES[7:0]: const_of = CAP_RULES;
        A_CAP_FLOWS[7:0]: const_of = CAP_FLOWS;
        A_CAP_DP[7:0]: const_of = DATAPATH_W;
        A_CAP_MHZ[7:0]: const_of = CLK_MHZ;
        A_CAP_CNT[7:0]: const_of = CNT_N;
        A_CAP_PFX[7:0]: const_of = CAP_PFX_IV;
        A_CAP_FGEOM[7:0]: const_of = CAP_FLOW_GEOM;
        A_CAP_DGEOM[7:0]: const_of = CAP_DIGEST_GEOM;
        A_CAP_SGEOM[7:0]: const_of = CAP_STATE_GEOM;
        A_CAP_HDR[7:0]: const_of = CAP_HDR_BYTES;
        default: const_of = 32'd0;
    endcase
endfunction
// one-hot bit of each register source
localparam integer O_CONTROL = 0, O_STATUS = 1, O_SCRATCH = 2, O_TIME_LO = 3, O_TIME_HI = 4, O_RX_FRAMES = 5,
                   O_CRC = 6, O_HDR = 7, O_RESYNC = 8, O_DISCARD = 9, O_BAD_CMDS = 10, O_TX_FRAMES = 11,
                   O_TX_DROPS = 12, O_RX_TMO = 13, O_CNT_HI = 14;
function [13:0] oh_of(input [7:0] lo);
    begin
        oh_of = 14'd0;
        oh_of[O_CONTROL] = lo == A_CONTROL[7:0];
        oh_of[O_STATUS] = lo == A_STATUS[7:0];
        oh_of[O_SCRATCH] = lo == A_SCRATCH[7:0];
        oh_of[O_TIME_LO] = lo == A_TIME_LO[7:0];
        oh_of[O_TIME_HI] = lo == A_TIME_HI[7:0];
        oh_of[O_RX_FRAMES] = lo == A_RX_FRAMES[7:0];
        oh_of[O_CRC] = lo == A_CRC[7:0];
        oh_of[O_HDR] = lo == A_HDR[7:0];
        oh_of[O_RESYNC] = lo == A_RESYNC[7:0];
        oh_of[O_DISCARD] = lo == A_DISCARD[7:0];
        oh_of[O_BAD_CMDS] = lo == A_BAD_CMDS[7:0];
        oh_of[O_TX_FRAMES] = lo == A_TX_FRAMES[7:0];
        oh_of[O_TX_DROPS] = lo == A_TX_DROPS[7:0];
        oh_of[O_RX_TMO] = lo == A_RX_TMO[7:0];
    end
endfunction
wire [31:0] rd_sel = d_const_reg
    | ({32{d_oh_reg[O_CONTROL]}} & ctrl_reg) | ({32{d_oh_reg[O_STATUS]}} & status)
    | ({32{d_oh_reg[O_SCRATCH]}} & scratch_reg) | ({32{d_oh_reg[O_TIME_LO]}} & time_reg[31:0])
    | ({32{d_oh_reg[O_TIME_HI]}} & time_hi_reg) | ({32{d_oh_reg[O_RX_FRAMES]}} & c_rx_reg)
    | ({32{d_oh_reg[O_CRC]}} & c_crc_reg) | ({32{d_oh_reg[O_HDR]}} & c_hdr_reg)
    | ({32{d_oh_reg[O_RESYNC]}} & c_resync_reg) | ({32{d_oh_reg[O_DISCARD]}} & c_discard_reg)
    | ({32{d_oh_reg[O_BAD_CMDS]}} & c_bad_reg) | ({32{d_oh_reg[O_TX_FRAMES]}} & c_tx_reg)
    | ({32{d_oh_reg[O_TX_DROPS]}} & c_drop_reg) | ({32{d_oh_reg[O_RX_TMO]}} & c_tmo_reg)
    | ({32{d_oh_reg[O_CNT_HI]}} & cnt_hi_reg);

wire [10:0] frac_sum = {1'b0, frac_reg} + PS_REM;
wire [9:0]  frac_sum_wrap = frac_sum[9:0] - 10'd1000;
wire        frac_wrap = frac_sum >= 11'd1000;
wire [9:0]  frac_next = frac_wrap ? frac_sum_wrap : frac_sum[9:0];
// frac_wrap of the next clock, a register (timing: the fraction's adder and compare do not feed the time adder);
// 0 when the period is a whole number of ns (then the fraction stays 0)
reg         wrap_reg = 1'b0;
wire        wrap_now = PS_REM_I != 0 && wrap_reg;
wire [32:0] lo_sum = {1'b0, time_lo_reg} + {1'b0, NS_INC} + {32'd0, wrap_now};

assign chk_ok = chk_ok_reg;
assign reg_ack = ack_reg;
assign reg_rdata = rdata_reg;
assign time_ns = time_reg;
assign ctrl = ctrl_reg;
assign tot_crc = c_crc_reg;
assign tot_hdr = c_hdr_reg;
assign tot_drop = c_drop_reg;
assign cnt_addr = cnt_addr_reg;
assign ext_req = ext_req_reg;
assign ext_we = ext_we_reg;
assign ext_addr = ext_addr_reg;
assign ext_wdata = ext_wdata_reg;

always @(posedge clk) begin
    // time
    frac_reg <= frac_next;
    wrap_reg <= {1'b0, frac_next} + PS_REM >= 11'd1000;
    time_lo_reg <= lo_sum[31:0];
    if (lo_sum[32])
        time_hi_reg2 <= hi_p1_reg;
    hi_p1_reg <= time_hi_reg2 + 32'd1;  // a clock stale after a carry: harmless, carries are 2**32 / NS_INC apart
    if (time_set_stb) begin
        time_lo_reg <= time_set_ns[31:0];
        time_hi_reg2 <= time_set_ns[63:32];
        hi_p1_reg <= time_set_ns[63:32] + 32'd1;
        frac_reg <= 10'd0;
        wrap_reg <= PS_REM >= 11'd1000;
    end

    // link statistics
    c_rx_reg <= c_rx_reg + {31'd0, ev_rx_frame};
    c_crc_reg <= c_crc_reg + {31'd0, ev_crc_err};
    c_hdr_reg <= c_hdr_reg + {31'd0, ev_hdr_err};
    c_resync_reg <= c_resync_reg + {31'd0, ev_resync};
    c_discard_reg <= c_discard_reg + {30'd0, ev_discard};
    c_bad_reg <= c_bad_reg + {31'd0, ev_bad_cmd};
    c_tx_reg <= c_tx_reg + {31'd0, ev_tx_frame};
    c_drop_reg <= c_drop_reg + {31'd0, ev_tx_drop};
    c_tmo_reg <= c_tmo_reg + {31'd0, ev_rx_timeout};

    // bus
    ack_reg <= 1'b0;
    ext_req_reg <= 1'b0;
    if (wait_busy_reg) begin
        wait_sr <= wait_sr >> 1;
        wait_busy_reg <= |wait_sr[3:1];
        if (wait_sr[0]) begin
            ack_reg <= 1'b1;
            if (wait_cnt_reg) begin
                rdata_reg <= cnt_data[31:0];
                cnt_hi_reg <= cnt_data[63:32];
            end else begin
                rdata_reg <= ext_rdata;
            end
        end
    end else if (d_req_reg) begin
        rdata_reg <= 32'd0;
        if (d_ext_reg) begin
            ext_req_reg <= 1'b1;
            ext_we_reg <= d_we_reg;
            ext_addr_reg <= d_addr_reg;
            ext_wdata_reg <= d_wdata_reg;
            if (d_we_reg) begin
                ack_reg <= 1'b1;
            end else begin
                wait_sr <= 4'b0010;
                wait_busy_reg <= 1'b1;
                wait_cnt_reg <= 1'b0;
            end
        end else if (d_cnt_reg) begin
            cnt_addr_reg <= d_addr_reg[CNT_ADDR_W:1];
            wait_sr <= 4'b1000;              // the counter blocks' data: one clock after the address (the
                                             // detection blocks'), three for tw_counters', tw_cnt_ram's and
                                             // tw_cnt_ext's; sampled at the latest
            wait_busy_reg <= 1'b1;
            wait_cnt_reg <= 1'b1;
        end else begin
            ack_reg <= 1'b1;
            if (d_we_reg) begin
                if (d_wctl_reg)
                    ctrl_reg <= d_wdata_reg;
                if (d_wscr_reg)
                    scratch_reg <= d_wdata_reg;
            end else begin
                // d_const_reg and d_oh_reg are 0 for anything but a read of one of these registers
                rdata_reg <= rd_sel;
                if (d_oh_reg[O_TIME_LO])
                    time_hi_reg <= time_reg[63:32];
            end
        end
    end

    // the address check, registered
    chk_ok_reg <= chk_we ? writable(chk_addr) : readable(chk_addr);

    // request stage: a request is registered as it comes
    q_req_reg <= reg_req;
    if (reg_req) begin
        q_we_reg <= reg_we;
        q_addr_reg <= reg_addr;
        q_wdata_reg <= reg_wdata;
        q_ext_reg <= in_ext(reg_addr[15:8]);
        q_cnt_reg <= in_cnt(reg_addr[15:1]);
        q_hi0_reg <= reg_addr[15:8] == 8'd0;
    end

    // decode stage: then waits here one clock with its address decoded
    d_req_reg <= q_req_reg;
    if (q_req_reg) begin
        d_we_reg <= q_we_reg;
        d_addr_reg <= q_addr_reg;
        d_wdata_reg <= q_wdata_reg;
        d_ext_reg <= q_ext_reg;
        d_cnt_reg <= q_cnt_reg && !q_we_reg && !q_addr_reg[0];
        d_wctl_reg <= q_we_reg && q_hi0_reg && q_addr_reg[7:0] == A_CONTROL[7:0];
        d_wscr_reg <= q_we_reg && q_hi0_reg && q_addr_reg[7:0] == A_SCRATCH[7:0];
        d_const_reg <= (q_we_reg || !q_hi0_reg) ? 32'd0 : const_of(q_addr_reg[7:0]);
        d_oh_reg <= {!q_we_reg && !q_hi0_reg && q_cnt_reg,
                     (q_we_reg || !q_hi0_reg) ? 14'd0 : oh_of(q_addr_reg[7:0])};
    end

    if (rst) begin
        time_lo_reg <= 32'd0;
        time_hi_reg2 <= 32'd0;
        hi_p1_reg <= 32'd1;
        frac_reg <= 10'd0;
        wrap_reg <= PS_REM >= 11'd1000;
        ctrl_reg <= 32'd0;
        c_rx_reg <= 32'd0;
        c_crc_reg <= 32'd0;
        c_hdr_reg <= 32'd0;
        c_resync_reg <= 32'd0;
        c_discard_reg <= 32'd0;
        c_bad_reg <= 32'd0;
        c_tx_reg <= 32'd0;
        c_drop_reg <= 32'd0;
        c_tmo_reg <= 32'd0;
        ack_reg <= 1'b0;
        wait_sr <= 4'd0;
        wait_busy_reg <= 1'b0;
        ext_req_reg <= 1'b0;
        q_req_reg <= 1'b0;
        d_req_reg <= 1'b0;
        chk_ok_reg <= 1'b0;
    end
end

endmodule

`resetall
