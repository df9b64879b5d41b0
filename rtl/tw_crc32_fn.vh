// tw_crc32_fn: the CRC of a CRC_W-bit byte vector as a function (include inside a module that defines the
// localparam CRC_W, a multiple of 8). Reflected, init and final XOR 0xFFFFFFFF, byte 0 in the top bits, each byte
// LSB first: the definition of rtl/tw_crc32_vec.v and of the host's tw_crc32 / tw_crc32c (poly CRC32C or CRC32).
// Called in the register stage that samples the result, under that stage's valid: the same XOR tree in synthesis,
// and a simulator computes it once per use instead of on every clock.
//
// Written as one XOR per output bit over a constant mask of the input bits (the CRC is linear in the data): a
// flat reduction that synthesis maps to a balanced tree, log2(CRC_W) XORs deep. The bit-serial loop of
// tw_crc32_vec.v, written as a function, is the same logic as a chain CRC_W steps deep, which ABC does not
// rebalance: 149 ns on the ECP5 for the alert stage's 384-bit key (docs/architecture.md, session 15).
// The masks: the data bit fed at step t (of T = CRC_W) adds column S^(T-1-t)(poly) to the register, where
// S(c) = (c >> 1) ^ (poly & {32{c[0]}}) is a step with a zero data bit; the init contributes S^T(0xFFFFFFFF).
localparam [31:0] CRC32C = 32'h82F63B78, CRC32 = 32'hEDB88320;
// mask j (the input bits that output bit j XORs) at [j*CRC_W +: CRC_W]
function [32*CRC_W-1:0] tw_crc32_masks;
    input [31:0] poly;
    reg   [31:0] col;
    integer t, j;
    begin
        tw_crc32_masks = 0;
        col = poly;
        for (t = CRC_W - 1; t >= 0; t = t - 1) begin
            // step t feeds data[CRC_W - 8 * (t / 8 + 1) + t % 8]
            for (j = 0; j < 32; j = j + 1)
                tw_crc32_masks[j * CRC_W + CRC_W - 8 * (t / 8 + 1) + t % 8] = col[j];
            col = {1'b0, col[31:1]} ^ (poly & {32{col[0]}});
        end
    end
endfunction
// ~S^T(0xFFFFFFFF): the output when every data bit is 0
function [31:0] tw_crc32_zero;
    input [31:0] poly;
    reg   [31:0] c;
    integer t;
    begin
        c = 32'hFFFFFFFF;
        for (t = 0; t < CRC_W; t = t + 1)
            c = {1'b0, c[31:1]} ^ (poly & {32{c[0]}});
        tw_crc32_zero = ~c;
    end
endfunction
localparam [32*CRC_W-1:0] TW_CRC32C_M = tw_crc32_masks(CRC32C), TW_CRC32_M = tw_crc32_masks(CRC32);
localparam [31:0] TW_CRC32C_Z = tw_crc32_zero(CRC32C), TW_CRC32_Z = tw_crc32_zero(CRC32);
function [31:0] tw_crc32_fn;
    input [CRC_W-1:0] crc_vec;
    input [31:0]      poly;             // CRC32C or CRC32 (the only two with masks)
    reg   [32*CRC_W-1:0] cm;
    reg   [31:0]      cz;
    integer j;
    begin
        cm = (poly == CRC32C) ? TW_CRC32C_M : TW_CRC32_M;
        cz = (poly == CRC32C) ? TW_CRC32C_Z : TW_CRC32_Z;
        for (j = 0; j < 32; j = j + 1)
            tw_crc32_fn[j] = cz[j] ^ (^(crc_vec & cm[j * CRC_W +: CRC_W]));
    end
endfunction
