/* Bit fields of the packed contract records (contracts/ .def files), shared by tw_meta (meta.c) and the device records
 * (dev_rec.c): bit i of the vector = bit i%8 of byte i/8; wide fields are byte arrays whose byte 0 holds the field's
 * top 8 bits (the tw_meta convention). Internal to libtapwatch. */
#ifndef TW_BITS_INT_H
#define TW_BITS_INT_H

#include <stdint.h>

/* Always inlined: every call passes constant positions (the field tables), so each field becomes a few loads. */
#define TW_INLINE static inline __attribute__((always_inline))

TW_INLINE uint64_t get_bits(const uint8_t *b, unsigned lsb, unsigned w)
{
    /* the bytes holding bits lsb .. lsb+w-1 (at most 9), little-endian, then shift and mask */
    unsigned first = lsb >> 3, sh = lsb & 7, nb = (sh + w + 7) >> 3;
    uint64_t v = 0;
    for (unsigned k = 0; k < nb && k < 8; k++)
        v |= (uint64_t)b[first + k] << (8 * k);
    v >>= sh;
    if (nb == 9)
        v |= (uint64_t)b[first + 8] << (64 - sh);
    return w >= 64 ? v : v & ((1ull << w) - 1);
}

TW_INLINE void put_bits(uint8_t *b, unsigned lsb, unsigned w, uint64_t v)
{
    for (unsigned i = 0; i < w; i++) {
        unsigned p = lsb + i;
        if ((v >> i) & 1u)
            b[p >> 3] |= (uint8_t)(1u << (p & 7));
        else
            b[p >> 3] &= (uint8_t)~(1u << (p & 7));
    }
}

TW_INLINE void get_wide(const uint8_t *b, unsigned lsb, unsigned w, uint8_t *out)
{
    unsigned n = w / 8;
    for (unsigned k = 0; k < n; k++)
        out[k] = (uint8_t)get_bits(b, lsb + (n - 1 - k) * 8, 8);
}

TW_INLINE void put_wide(uint8_t *b, unsigned lsb, unsigned w, const uint8_t *in)
{
    unsigned n = w / 8;
    for (unsigned k = 0; k < n; k++)
        put_bits(b, lsb + (n - 1 - k) * 8, 8, in[k]);
}

#endif
