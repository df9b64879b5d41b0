// tw_crc32_fn: the CRC of a CRC_W-bit byte vector as a function (include inside a module that defines the
// localparam CRC_W, a multiple of 8). Reflected, init and final XOR 0xFFFFFFFF, byte 0 in the top bits, each byte
// LSB first: the definition of rtl/tw_crc32_vec.v and of the host's tw_crc32 / tw_crc32c (poly CRC32C or CRC32).
// Called in the register stage that samples the result, under that stage's valid: the same XOR tree in synthesis,
// and a simulator computes it once per use instead of on every clock.
localparam [31:0] CRC32C = 32'h82F63B78, CRC32 = 32'hEDB88320;
function [31:0] tw_crc32_fn;
    input [CRC_W-1:0] data;
    input [31:0]      poly;
    reg   [31:0]      c;
    integer kk, bb;
    begin
        c = 32'hFFFFFFFF;
        for (kk = 0; kk < CRC_W / 8; kk = kk + 1)
            for (bb = 0; bb < 8; bb = bb + 1)
                c = {1'b0, c[31:1]} ^ (poly & {32{c[0] ^ data[CRC_W - 8 * (kk + 1) + bb]}});
        tw_crc32_fn = ~c;
    end
endfunction
