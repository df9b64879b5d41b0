/* CRC-32C and CRC-32 over byte vectors: the hash functions of the detector's tables (docs/detection.md).
 * In hardware each is one XOR tree over the fixed-width vector; here slicing-by-8, or the CPU's crc32
 * instruction for CRC-32C and carry-less multiplication (PCLMULQDQ) for CRC-32 where the CPU has them.
 * Results are identical either way (tests/host/test_detect_flow.c compares the paths on random vectors). */
#include "detect_int.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define TW_HAVE_X86_CRC 1
#include <immintrin.h>
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

/* The register that n zero bytes take to c: each zero byte maps r to (r >> 8) ^ t[r & 0xFF], whose top byte is
 * that of t[r & 0xFF]; the table's top bytes are all different, so the step runs backwards. */
static uint32_t unzero(const uint32_t t[256], uint32_t c, unsigned n)
{
    while (n--) {
        unsigned i = 0;
        while (i < 255 && (t[i] >> 24) != (c >> 24))
            i++;
        c = (c ^ t[i]) << 8 | i;
    }
    return c;
}

void tw_hash_init(struct tw_hash *h)
{
    make_tables(h->ieee, 0xEDB88320u);
    make_tables(h->c, 0x82F63B78u);
    h->pre8 = unzero(h->ieee[0], 0xFFFFFFFFu, 8);
#ifdef TW_HAVE_X86_CRC
    __builtin_cpu_init();
    h->hw = __builtin_cpu_supports("sse4.2");
    h->clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
#else
    h->hw = 0;
    h->clmul = 0;
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
    while (n >= 32) { /* four words per round: a quarter of the loop's own instructions */
        uint64_t v[4];
        memcpy(v, p, 32);
        c64 = __builtin_ia32_crc32di(c64, v[0]);
        c64 = __builtin_ia32_crc32di(c64, v[1]);
        c64 = __builtin_ia32_crc32di(c64, v[2]);
        c64 = __builtin_ia32_crc32di(c64, v[3]);
        p += 32;
        n -= 32;
    }
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

#ifdef TW_HAVE_X86_CRC
/* CRC-32 (reflected 0xEDB88320) of whole 16-byte blocks, running value c (not inverted here). The 128-bit remainder
 * is folded forward one block at a time by multiplying its halves with x^(128+32) mod P and x^(128-32) mod P
 * (bit-reflected), then reduced 128 -> 64 -> 32 bits and finally by Barrett reduction with P and
 * mu = floor(x^64 / P). The constants are properties of the polynomial. */
__attribute__((target("pclmul,sse4.1"), always_inline)) static inline __m128i clmul_fold(__m128i x, __m128i next)
{
    const __m128i k_fold = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL); /* hi: x^(128-32), lo: x^(128+32) */
    __m128i lo = _mm_clmulepi64_si128(x, k_fold, 0x00);
    __m128i hi = _mm_clmulepi64_si128(x, k_fold, 0x11);
    return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

/* the 128-bit remainder x (all blocks folded in) reduced to the CRC register */
__attribute__((target("pclmul,sse4.1"), always_inline)) static inline uint32_t clmul_reduce(__m128i x)
{
    const __m128i k_fold = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL);
    const __m128i k_64 = _mm_set_epi64x(0, 0x163cd6124LL);              /* x^64 mod P */
    const __m128i k_bar = _mm_set_epi64x(0x1f7011641LL, 0x1db710641LL); /* hi: mu, lo: P */
    const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
    /* 128 -> 64 bits */
    x = _mm_xor_si128(_mm_clmulepi64_si128(x, k_fold, 0x10), _mm_srli_si128(x, 8));
    /* 64 -> 32 bits (plus 32 more, the Barrett step's input) */
    x = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x, mask32), k_64, 0x00), _mm_srli_si128(x, 4));
    /* Barrett reduction */
    __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x, mask32), k_bar, 0x10);
    t = _mm_clmulepi64_si128(_mm_and_si128(t, mask32), k_bar, 0x00);
    return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x, t), 1);
}

/* of the n bytes at p (n >= 16, a multiple of 16) */
__attribute__((target("pclmul,sse4.1"), always_inline)) static inline uint32_t
crc32_clmul_body(uint32_t c, const uint8_t *p, size_t n)
{
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)p), _mm_cvtsi32_si128((int)c));
    for (p += 16, n -= 16; n >= 16; p += 16, n -= 16)
        x = clmul_fold(x, _mm_loadu_si128((const __m128i *)(const void *)p));
    return clmul_reduce(x);
}

__attribute__((target("pclmul,sse4.1"))) static uint32_t crc32_clmul(uint32_t c, const uint8_t *p, size_t n)
{
    return crc32_clmul_body(c, p, n);
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
    uint32_t c = 0xFFFFFFFFu;
#ifdef TW_HAVE_X86_CRC
    if (h->clmul && n >= 16) {
        size_t whole = n & ~(size_t)15;
        c = crc32_clmul(c, p, whole);
        p += whole;
        n -= whole;
        if (!n)
            return ~c;
    }
#endif
    return ~slice8(h->ieee, c, p, n);
}

uint32_t tw_crc32_pre8(const struct tw_hash *h, const uint8_t *p, size_t n)
{
#ifdef TW_HAVE_X86_CRC
    if (h->clmul && (n + 8) % 16 == 0)
        return ~crc32_clmul(h->pre8, p, n + 8);
#endif
    return tw_crc32(h, p + 8, n);
}

/* ---- the fixed-size hashes of the per-frame path: the same CRCs as tw_crc32c / tw_crc32 above, for the vector
 * sizes the detector hashes on every frame, without the generic length loops and dispatch (each a few crc32 or
 * carry-less multiply instructions on the CPU's path). tests/host/test_detect_flow.c compares them with the
 * generic functions on random vectors. ---- */

#ifdef TW_HAVE_X86_CRC
__attribute__((target("sse4.2"), always_inline)) static inline uint32_t crc32c_words(const uint8_t *p, unsigned nw)
{
    uint64_t c = 0xFFFFFFFFu;
    for (unsigned i = 0; i < nw; i++) {
        uint64_t v;
        memcpy(&v, p + 8 * i, 8);
        c = __builtin_ia32_crc32di(c, v);
    }
    return ~(uint32_t)c;
}

__attribute__((target("sse4.2"))) static uint32_t crc32c_40(const uint8_t *p)
{
    return crc32c_words(p, 5);
}

/* both halves of a 64-bit tag: CRC-32C of the n bytes at p + pre (n a multiple of 8), CRC-32 of the same bytes,
 * computed on the n + pre bytes at p from the register that pre zero bytes take to the initial value (c0) */
__attribute__((target("pclmul,sse4.2"), always_inline)) static inline uint64_t tag_hw(uint32_t c0, const uint8_t *p,
                                                                                      size_t pre, size_t n)
{
    uint32_t c = crc32c_words(p + pre, (unsigned)(n / 8));
    return (uint64_t)c << 32 | (uint32_t)~crc32_clmul_body(c0, p, n + pre);
}

/* tag_hw at the two sizes, each compiled with its constants (the loops unrolled) */
__attribute__((target("pclmul,sse4.2"))) static uint64_t tag56_hw(uint32_t pre8, const uint8_t *b)
{
    return tag_hw(pre8, b, 8, 56);
}

__attribute__((target("pclmul,sse4.2"))) static uint64_t tag48_hw(const uint8_t *k)
{
    return tag_hw(0xFFFFFFFFu, k, 0, 48);
}
#endif

#ifdef TW_HAVE_X86_CRC
/* The same hashes of vectors given as 64-bit words (word i = bytes 8i..8i+7, little-endian: what an 8-byte load
 * of those bytes gives on x86), straight from registers: the per-frame callers build the vectors in registers, and
 * a vector stored bytewise and then read back in words would stall on store forwarding. */
__attribute__((target("sse4.2"), always_inline)) static inline uint32_t crc32c_w(const uint64_t *w, unsigned nw)
{
    uint64_t c = 0xFFFFFFFFu;
    for (unsigned i = 0; i < nw; i++)
        c = __builtin_ia32_crc32di(c, w[i]);
    return ~(uint32_t)c;
}

/* A block of two words, each read with its own 8-byte load: the callers store the words one by one, and a 16-byte
 * load across two 8-byte stores cannot be forwarded from them (it waits for both to reach the cache). The empty asm
 * keeps the compiler from fusing the two loads into one. */
__attribute__((target("sse4.2"), always_inline)) static inline __m128i pair_w(uint64_t lo, uint64_t hi)
{
    __asm__("" : "+r"(lo), "+r"(hi));
    return _mm_set_epi64x((long long)hi, (long long)lo);
}

__attribute__((target("pclmul,sse4.2"))) static uint64_t tag56w_hw(uint32_t pre8, const uint64_t w[7])
{
    /* 8 zero bytes, then the 56: four whole blocks from the register pre8 */
    __m128i x = _mm_xor_si128(pair_w(0, w[0]), _mm_cvtsi32_si128((int)pre8));
    x = clmul_fold(x, pair_w(w[1], w[2]));
    x = clmul_fold(x, pair_w(w[3], w[4]));
    x = clmul_fold(x, pair_w(w[5], w[6]));
    return (uint64_t)crc32c_w(w, 7) << 32 | (uint32_t)~clmul_reduce(x);
}

__attribute__((target("pclmul,sse4.2"))) static uint64_t tag48w_hw(const uint64_t w[6])
{
    __m128i x = _mm_xor_si128(pair_w(w[0], w[1]), _mm_cvtsi32_si128(-1));
    x = clmul_fold(x, pair_w(w[2], w[3]));
    x = clmul_fold(x, pair_w(w[4], w[5]));
    return (uint64_t)crc32c_w(w, 6) << 32 | (uint32_t)~clmul_reduce(x);
}

__attribute__((target("sse4.2"))) static uint32_t flow_key_w_hw(const uint64_t w[5])
{
    return crc32c_w(w, 5);
}
#endif

/* the bytes of n words (portable: byte j of word i is bits 8j..8j+7) */
static void words_bytes(const uint64_t *w, unsigned nw, uint8_t *b)
{
    for (unsigned i = 0; i < nw; i++)
        for (unsigned j = 0; j < 8; j++)
            b[8 * i + j] = (uint8_t)(w[i] >> (8 * j));
}

/* the portable tag of nw (at most 7) words: CRC-32C of their bytes in the high half, CRC-32 in the low half */
static uint64_t tag_words_sw(const struct tw_hash *h, const uint64_t *w, unsigned nw)
{
    uint8_t b[56];
    words_bytes(w, nw, b);
    return (uint64_t)tw_crc32c(h, b, 8 * nw) << 32 | tw_crc32(h, b, 8 * nw);
}

uint32_t tw_hash_flow_key_w(const struct tw_hash *h, const uint64_t w[5])
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw)
        return flow_key_w_hw(w);
#endif
    uint8_t b[40];
    words_bytes(w, 5, b);
    return tw_crc32c(h, b, 40);
}

uint64_t tw_hash_tag56_w(const struct tw_hash *h, const uint64_t w[7])
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw && h->clmul)
        return tag56w_hw(h->pre8, w);
#endif
    return tag_words_sw(h, w, 7);
}

uint64_t tw_hash_tag48_w(const struct tw_hash *h, const uint64_t w[6])
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw && h->clmul)
        return tag48w_hw(w);
#endif
    return tag_words_sw(h, w, 6);
}

uint32_t tw_hash_flow_key(const struct tw_hash *h, const uint8_t k[40])
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw)
        return crc32c_40(k);
#endif
    return tw_crc32c(h, k, 40);
}

uint64_t tw_hash_tag56(const struct tw_hash *h, const uint8_t b[64])
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw && h->clmul)
        return tag56_hw(h->pre8, b);
#endif
    return (uint64_t)tw_crc32c(h, b + 8, 56) << 32 | tw_crc32_pre8(h, b, 56);
}

uint64_t tw_hash_tag48(const struct tw_hash *h, const uint8_t k[48])
{
#ifdef TW_HAVE_X86_CRC
    if (h->hw && h->clmul)
        return tag48_hw(k);
#endif
    return (uint64_t)tw_crc32c(h, k, 48) << 32 | tw_crc32(h, k, 48);
}

