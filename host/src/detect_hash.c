/* CRC-32C and CRC-32 over byte vectors: the hash functions of the detector's tables (docs/detection.md).
 * In hardware each is one XOR tree over the fixed-width vector; here slicing-by-8, or the CPU's crc32
 * instruction for CRC-32C where there is one. Results are identical either way. */
#include "detect_int.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define TW_HAVE_X86_CRC 1
#endif

static void make_tables(uint32_t t[8][256], uint32_t poly)
{
    for (unsigned i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ poly : c >> 1;
        t[0][i] = c;
    }
    for (unsigned i = 0; i < 256; i++)
        for (unsigned s = 1; s < 8; s++)
            t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
}

void tw_hash_init(struct tw_hash *h)
{
    make_tables(h->ieee, 0xEDB88320u);
    make_tables(h->c, 0x82F63B78u);
#ifdef TW_HAVE_X86_CRC
    __builtin_cpu_init();
    h->hw = __builtin_cpu_supports("sse4.2");
#else
    h->hw = 0;
#endif
}

static uint32_t slice8(const uint32_t t[8][256], uint32_t c, const uint8_t *p, size_t n)
{
    while (n >= 8) {
        uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^ t[3][p[4]] ^
            t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n--)
        c = (c >> 8) ^ t[0][(c ^ *p++) & 0xFF];
    return c;
}

#ifdef TW_HAVE_X86_CRC
__attribute__((target("sse4.2"))) static uint32_t crc32c_hw(uint32_t c, const uint8_t *p, size_t n)
{
    uint64_t c64 = c;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8); /* little-endian: byte 0 enters first, as in the reflected bytewise CRC */
        c64 = __builtin_ia32_crc32di(c64, v);
        p += 8;
        n -= 8;
    }
    c = (uint32_t)c64;
    while (n--)
        c = __builtin_ia32_crc32qi(c, *p++);
    return c;
}
#endif

uint32_t tw_crc32c(const struct tw_hash *h, const uint8_t *p, size_t n)
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw)
        return ~crc32c_hw(0xFFFFFFFFu, p, n);
#endif
    return ~slice8(h->c, 0xFFFFFFFFu, p, n);
}

uint32_t tw_crc32(const struct tw_hash *h, const uint8_t *p, size_t n)
{
    return ~slice8(h->ieee, 0xFFFFFFFFu, p, n);
}
