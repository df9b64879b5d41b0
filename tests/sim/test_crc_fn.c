/* The RTL's CRC function (rtl/tw_crc32_fn.vh: one XOR per output bit over constant masks, the form that synthesis
 * maps to a balanced tree) against the bit-serial definition (rtl/tw_crc32_vec.v) and against the host's
 * tw_crc32c / tw_crc32 (host/src/hash.c, what the reference detector hashes with), at the three widths the RTL uses
 * (40-byte flow keys, 48-byte state keys, 56-byte digest vectors), both polynomials: every single-bit input (each
 * mask column on its own), all zeros, all ones, and random inputs. Both forms are affine over GF(2) (output = the
 * all-zero input's ^ the columns of the set bits), so all zeros and the single bits alone prove them equal for
 * every input; the rest guards the host side and the test itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crc_model.h"
#include "detect_int.h"

static const size_t widths[3] = {40, 48, 56};

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

struct fx {
    struct tw_crcm *m;
    struct tw_hash h;
};

static int setup(void **st)
{
    struct fx *f = test_malloc(sizeof *f);
    f->m = tw_crcm_new();
    if (!f->m) {
        test_free(f);
        return -1;
    }
    tw_hash_init(&f->h);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    struct fx *f = *st;
    tw_crcm_free(f->m);
    test_free(f);
    return 0;
}

/* every output of one input against the host's CRCs of its first 40, 48 and 56 bytes */
static void check(struct fx *f, const uint8_t b[56])
{
    uint32_t out[12];
    tw_crcm_eval(f->m, b, out);
    for (unsigned w = 0; w < 3; w++) {
        uint32_t c = tw_crc32c(&f->h, b, widths[w]), i = tw_crc32(&f->h, b, widths[w]);
        assert_int_equal(out[4 * w + 2], c); /* the definition */
        assert_int_equal(out[4 * w + 3], i);
        assert_int_equal(out[4 * w + 0], c); /* the function */
        assert_int_equal(out[4 * w + 1], i);
    }
}

static void test_single_bits(void **st)
{
    struct fx *f = *st;
    uint8_t b[56];
    memset(b, 0, sizeof b);
    check(f, b);
    for (unsigned bit = 0; bit < 56 * 8; bit++) {
        memset(b, 0, sizeof b);
        b[bit / 8] = (uint8_t)(1u << (bit % 8));
        check(f, b);
        /* and the same bit cleared among ones */
        memset(b, 0xFF, sizeof b);
        b[bit / 8] = (uint8_t) ~(1u << (bit % 8));
        check(f, b);
    }
    memset(b, 0xFF, sizeof b);
    check(f, b);
}

static void test_random(void **st)
{
    struct fx *f = *st;
    uint64_t s = 0x5eed0c0ffee15ull;
    uint8_t b[56];
    for (unsigned n = 0; n < 20000; n++) {
        for (unsigned k = 0; k < 56; k++)
            b[k] = (uint8_t)rnd(&s);
        check(f, b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_single_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
