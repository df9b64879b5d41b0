// tw_mac_fifo: dual-clock frame FIFO (the approach of tw_async_fifo: Gray pointers through two-flop synchronisers,
// one write port and one registered read port, so block RAM). A frame becomes visible to the read side only when
// its last beat is written (store and forward; the committed pointer crosses as a Gray count that advances one
// step per write clock, so a frame's beats appear on the read side at most one per write clock after its end): the read side never sees a partial frame, and a transmitter fed
// from it never runs dry mid-frame. Frames are dropped whole, never cut:
//   DROP_FULL = 1 (receive side, no back-pressure): s_axis_tready is always 1; a frame that does not fit is
//                 discarded from the write pointer back to its first beat, the rest of it ignored, ev_drop pulses.
//   DROP_FULL = 0 (transmit side): s_axis_tready falls while the FIFO is full; a frame larger than the whole FIFO
//                 (it could never be committed) is dropped the same way instead of blocking forever.
// tkeep must be contiguous from byte 0 (as a MAC produces it): a beat is stored as {tuser, tlast, bytes - 1, tdata},
// 69 bits for 64-bit data, so two 36-bit block RAM columns hold it. ev_commit pulses per frame accepted. Each side has its own synchronous
// reset; reset both together.
`resetall
`timescale 1ns / 1ps
`default_nettype none

module tw_mac_fifo #(
    parameter DATA_W = 64,
    parameter KEEP_W = DATA_W / 8,
    parameter ADDR_W = 9,               // depth = 2**ADDR_W beats
    parameter DROP_FULL = 1
) (
    input  wire              wr_clk,
    input  wire              wr_rst,
    input  wire [DATA_W-1:0] s_axis_tdata,
    input  wire [KEEP_W-1:0] s_axis_tkeep,
    input  wire              s_axis_tvalid,
    output wire              s_axis_tready,
    input  wire              s_axis_tlast,
    input  wire              s_axis_tuser,
    output wire              ev_commit,
    output wire              ev_drop,

    input  wire              rd_clk,
    input  wire              rd_rst,
    output wire [DATA_W-1:0] m_axis_tdata,
    output wire [KEEP_W-1:0] m_axis_tkeep,
    output wire              m_axis_tvalid,
    input  wire              m_axis_tready,
    output wire              m_axis_tlast,
    output wire              m_axis_tuser
);

localparam DEPTH = 1 << ADDR_W;
localparam CNT_W = $clog2(KEEP_W);
localparam [ADDR_W:0] USED_MAX = DEPTH - 1;     // room_reg: fewer entries used than this
localparam [ADDR_W:0] OVER_MIN = DEPTH - 2;     // oversize_reg: the open frame holds at least this many
localparam W = DATA_W + CNT_W + 2;

initial begin
    if (KEEP_W < 2 || (1 << $clog2(KEEP_W)) != KEEP_W || DATA_W != KEEP_W * 8) begin
        $error("tw_mac_fifo: DATA_W must be 8 x KEEP_W, KEEP_W a power of two >= 2");
        $finish;
    end
    if (ADDR_W < 2 || ADDR_W > 16) begin
        $error("tw_mac_fifo: ADDR_W must be 2..16");
        $finish;
    end
end

function [ADDR_W:0] bin2gray(input [ADDR_W:0] b);
    bin2gray = b ^ (b >> 1);
endfunction

// each bit an XOR reduction of the bits above it (a tree, not a chain of ADDR_W XORs: timing)
function [ADDR_W:0] gray2bin(input [ADDR_W:0] g);
    integer i;
    begin
        for (i = 0; i <= ADDR_W; i = i + 1)
            gray2bin[i] = ^(g >> i);
    end
endfunction

// ---- write domain ----
reg [ADDR_W:0] wr_ptr_reg = 0;          // next beat's address
reg [ADDR_W:0] commit_reg = 0;          // first beat of the frame being written
reg [ADDR_W:0] pub_reg = 0;             // committed pointer as published to the read side: it chases commit_reg
reg [ADDR_W:0] pub_gray_reg = 0;        // one step per clock, so its Gray code changes one bit at a time
reg [ADDR_W:0] rd_gray_s1_reg = 0, rd_gray_s2_reg = 0;
reg            drop_reg = 1'b0;         // discarding the rest of the current frame
reg            ev_commit_reg = 1'b0, ev_drop_reg = 1'b0;

// Room is decided from registers only (timing): rd_bin_reg is the synchronised read pointer converted a clock
// later, room_reg says that at least two entries were free a clock ago, so at least one is free now (one write per
// clock at most). The last entry is never used: capacity is DEPTH - 1 beats.
reg  [ADDR_W:0] rd_bin_reg = 0;
reg             room_reg = 1'b1;
reg             oversize_reg = 1'b0;    // this frame alone (nearly) fills the FIFO: it can never be committed
wire            full = !room_reg;
wire            oversize = oversize_reg;
// the index of the highest byte present (tkeep contiguous from byte 0)
reg [CNT_W-1:0] keep_cnt;
integer k;
always @* begin
    keep_cnt = {CNT_W{1'b0}};
    for (k = 1; k < KEEP_W; k = k + 1)
        if (s_axis_tkeep[k])
            keep_cnt = k[CNT_W-1:0];
end

wire            ready = DROP_FULL != 0 || drop_reg || !full || oversize;
wire            take = s_axis_tvalid && ready;
wire            write = take && !drop_reg && !full;

assign s_axis_tready = ready;
assign ev_commit = ev_commit_reg;
assign ev_drop = ev_drop_reg;

always @(posedge wr_clk) begin
    rd_gray_s1_reg <= rd_gray_reg;
    rd_gray_s2_reg <= rd_gray_s1_reg;
    rd_bin_reg <= gray2bin(rd_gray_s2_reg);
    room_reg <= (wr_ptr_reg - rd_bin_reg) < USED_MAX;
    oversize_reg <= (wr_ptr_reg - commit_reg) >= OVER_MIN;
    ev_commit_reg <= 1'b0;
    ev_drop_reg <= 1'b0;
    if (take) begin
        if (drop_reg) begin
            if (s_axis_tlast)
                drop_reg <= 1'b0;
        end else if (full) begin
            // no room: discard the frame whole
            wr_ptr_reg <= commit_reg;
            drop_reg <= !s_axis_tlast;
            ev_drop_reg <= 1'b1;
        end else begin
            wr_ptr_reg <= wr_ptr_reg + 1'b1;
            if (s_axis_tlast) begin
                commit_reg <= wr_ptr_reg + 1'b1;
                ev_commit_reg <= 1'b1;
            end
        end
    end
    if (pub_reg != commit_reg) begin
        pub_reg <= pub_reg + 1'b1;
        pub_gray_reg <= bin2gray(pub_reg + 1'b1);
    end
    if (wr_rst) begin
        wr_ptr_reg <= 0;
        commit_reg <= 0;
        pub_reg <= 0;
        pub_gray_reg <= 0;
        rd_gray_s1_reg <= 0;
        rd_gray_s2_reg <= 0;
        rd_bin_reg <= 0;
        room_reg <= 1'b1;
        oversize_reg <= 1'b0;
        drop_reg <= 1'b0;
        ev_commit_reg <= 1'b0;
        ev_drop_reg <= 1'b0;
    end
end

// ---- read domain ----
reg [ADDR_W:0] rd_ptr_reg = 0;
reg [ADDR_W:0] rd_gray_reg = 0;
reg [ADDR_W:0] wr_gray_s1_reg = 0, wr_gray_s2_reg = 0;
// Two output registers in tw_mac_fifo_ram: the block RAM's read register (loaded on rd_en, ram_valid_reg says it
// holds a beat) and an output register (loaded on out_load, out_valid_reg), so the RAM's long clock-to-output delay
// ends at a flip-flop (on the ECP5 the RAM's own output register); tkeep is decoded after it.
reg            ram_valid_reg = 1'b0;
wire [W-1:0]   out_reg;
reg            out_valid_reg = 1'b0;

// The empty flag is a register (timing: no pointer compare before the RAM read enable): the pointer this clock
// leaves (rd_gray_reg, or rd_gray_inc_reg when reading) compared with the synchronised write pointer, so the flag
// is exact against the write pointer as seen one clock later (a third synchroniser stage, in effect).
reg [ADDR_W:0] rd_gray_inc_reg = 1;             // bin2gray(rd_ptr_reg + 1)
reg            empty_reg = 1'b1;
wire empty_hold = rd_gray_reg == wr_gray_s2_reg;
wire empty_adv = rd_gray_inc_reg == wr_gray_s2_reg;
wire out_load = ram_valid_reg && (!out_valid_reg || m_axis_tready);
wire rd_en = !empty_reg && (!ram_valid_reg || out_load);

assign m_axis_tdata = out_reg[DATA_W-1:0];
wire [CNT_W-1:0] out_cnt = out_reg[DATA_W +: CNT_W];
assign m_axis_tkeep = {KEEP_W{1'b1}} >> (~out_cnt);    // bytes 0..out_cnt
assign m_axis_tlast = out_reg[DATA_W + CNT_W];
assign m_axis_tuser = out_reg[DATA_W + CNT_W + 1];
assign m_axis_tvalid = out_valid_reg;

tw_mac_fifo_ram #(.W(W), .ADDR_W(ADDR_W)) ram (
    .wr_clk(wr_clk),
    .wr_en(write),
    .wr_addr(wr_ptr_reg[ADDR_W-1:0]),
    .wr_data({s_axis_tuser, s_axis_tlast, keep_cnt, s_axis_tdata}),
    .rd_clk(rd_clk),
    .rd_en(rd_en),
    .rd_addr(rd_ptr_reg[ADDR_W-1:0]),
    .out_en(out_load),
    .rd_data(out_reg)
);

always @(posedge rd_clk) begin
    wr_gray_s1_reg <= pub_gray_reg;
    wr_gray_s2_reg <= wr_gray_s1_reg;
    empty_reg <= rd_en ? empty_adv : empty_hold;
    if (rd_en) begin
        rd_ptr_reg <= rd_ptr_reg + 1'b1;
        rd_gray_reg <= rd_gray_inc_reg;
        rd_gray_inc_reg <= bin2gray(rd_ptr_reg + {{(ADDR_W - 1){1'b0}}, 2'd2});
    end
    if (rd_en)
        ram_valid_reg <= 1'b1;
    else if (out_load)
        ram_valid_reg <= 1'b0;
    if (out_load)
        out_valid_reg <= 1'b1;
    else if (m_axis_tready)
        out_valid_reg <= 1'b0;
    if (rd_rst) begin
        rd_ptr_reg <= 0;
        rd_gray_reg <= 0;
        rd_gray_inc_reg <= 1;
        empty_reg <= 1'b1;
        wr_gray_s1_reg <= 0;
        wr_gray_s2_reg <= 0;
        ram_valid_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
