/* Bit fields of the packed contract records (contracts/ .def files), shared by tw_meta (meta.c) and the device records
 * (dev_rec.c): bit i of the vector = bit i%8 of byte i/8; wide fields are byte arrays whose byte 0 holds the field's
 * top 8 bits (the tw_meta convention). Internal to libtapwatch.
 *
 * Every call passes constant positions (the field tables), so after inlining each field is one or two loads of the
 * bytes that hold it (a constant-size memcpy), a shift and a mask; a wide field is 64 bits at a time, byte-swapped.
 * Only the bytes holding the field are read or written (never past the record's end). */
#ifndef TW_BITS_INT_H
#define TW_BITS_INT_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#define TW_INLINE static inline __attribute__((always_inline))

/* The n (1..8) bytes at b as a little-endian number. */
TW_INLINE uint64_t load_le(const uint8_t *b, unsigned n)
{
    uint64_t v = 0;
    memcpy(&v, b, n); /* bytes 0..n-1 of the little-endian image */
    return le64toh(v);
}

TW_INLINE void store_le(uint8_t *b, unsigned n, uint64_t v)
{
    v = htole64(v);
    memcpy(b, &v, n);
}

TW_INLINE uint64_t get_bits(const uint8_t *b, unsigned lsb, unsigned w)
{
    /* the bytes holding bits lsb .. lsb+w-1 (at most 9), little-endian, then shift and mask */
    unsigned first = lsb >> 3, sh = lsb & 7, nb = (sh + w + 7) >> 3;
    uint64_t v = load_le(b + first, nb < 8 ? nb : 8) >> sh;
    if (nb == 9) /* sh > 0 here */
        v |= (uint64_t)b[first + 8] << (64 - sh);
    return w >= 64 ? v : v & ((1ull << w) - 1);
}

TW_INLINE void put_bits(uint8_t *b, unsigned lsb, unsigned w, uint64_t v)
{
    unsigned first = lsb >> 3, sh = lsb & 7, nb = (sh + w + 7) >> 3, n = nb < 8 ? nb : 8;
    uint64_t mask = w >= 64 ? ~0ull : (1ull << w) - 1;
    v &= mask;
    uint64_t cur = load_le(b + first, n);
    cur = (cur & ~(mask << sh)) | (v << sh);
    store_le(b + first, n, cur);
    if (nb == 9) { /* the field's top sh bits go to the ninth byte */
        uint8_t m9 = (uint8_t)(mask >> (64 - sh));
        b[first + 8] = (uint8_t)((b[first + 8] & ~m9) | (uint8_t)(v >> (64 - sh)));
    }
}

/* A wide field (w a multiple of 8) as its big-endian byte string out[0 .. w/8-1]: 8 bytes at a time from the least
 * significant end, then the remaining top bytes one by one. */
TW_INLINE void get_wide(const uint8_t *b, unsigned lsb, unsigned w, uint8_t *out)
{
    unsigned n = w / 8, k = n;
    while (k >= 8) {
        k -= 8;
        uint64_t v = htobe64(get_bits(b, lsb + (n - 8 - k) * 8, 64));
        memcpy(out + k, &v, 8);
    }
    for (; k > 0; k--)
        out[k - 1] = (uint8_t)get_bits(b, lsb + (n - k) * 8, 8);
}

TW_INLINE void put_wide(uint8_t *b, unsigned lsb, unsigned w, const uint8_t *in)
{
    unsigned n = w / 8, k = n;
    while (k >= 8) {
        k -= 8;
        uint64_t v;
        memcpy(&v, in + k, 8);
        put_bits(b, lsb + (n - 8 - k) * 8, 64, be64toh(v));
    }
    for (; k > 0; k--)
        put_bits(b, lsb + (n - k) * 8, 8, in[k - 1]);
}

#endif
