/* The statistics counters in distributed RAM (rtl/tw_cnt_ram.v, tw_counters RAM = 1; rtl/tw_cnt_ext.v, narrow
 * counters read as 64-bit ones) against the register form
 * (tw_counters RAM = 0; and a register reference for the MAC statistics' 16 counters of 4-bit increments), side by
 * side in one Verilated model (sim/tw_cnt_pair.v): every read equal (both forms answer three clocks after the
 * address with the counter's value at the clock after it; compared on every clock while the address changes every
 * second clock), under random increments, reads of every
 * address (past the counters too) and resets, and with every counter at its largest increment on every clock (the
 * pending sums' widest case), against known totals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cnt_model.h"
#include "tapwatch/tw_counters.h"

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static void set_inc(struct tw_cnt_pins *p, unsigned c, uint32_t v)
{
    for (unsigned b = 0; b < 24; b++) {
        unsigned bit = c * 24 + b;
        if (v >> b & 1)
            p->inc[bit / 32] |= 1u << (bit % 32);
    }
}

static int setup(void **st)
{
    struct tw_cnt *m = tw_cnt_new();
    if (!m)
        return -1;
    *st = m;
    return 0;
}

static int teardown(void **st)
{
    tw_cnt_free(*st);
    return 0;
}

static void reset(struct tw_cnt *m)
{
    struct tw_cnt_pins p;
    memset(&p, 0, sizeof p);
    p.rst = 1;
    tw_cnt_clock(m, &p);
    tw_cnt_clock(m, &p);
}

/* ---- random increments, reads and resets: the two forms read the same on every clock ---- */
static void test_random_equal(void **st)
{
    struct tw_cnt *m = *st;
    reset(m);
    uint64_t seed = 0xc0a7e5u, nonzero = 0, resets = 0, m_prev = 0;
    uint8_t addr = 0, maddr = 0;
    enum { CLOCKS = 300000 };
    for (unsigned t = 0; t < CLOCKS; t++) {
        struct tw_cnt_pins p;
        memset(&p, 0, sizeof p);
        for (unsigned c = 0; c < 32; c++) {
            uint64_t r = rnd(&seed);
            uint32_t v;
            if (c % TW_CNT_PER_PORT == TW_CNT_BYTES) /* a frame's length at its end, now and then the largest */
                v = r % 4 == 0 ? (uint32_t)(r >> 8) & 0xFFFFFF : r % 4 == 1 ? 60 + (uint32_t)(r >> 8) % 9600 : 0;
            else
                v = r % 3 == 0;
            set_inc(&p, c, v);
        }
        p.minc = rnd(&seed) & rnd(&seed);
        uint64_t r = rnd(&seed);
        uint8_t mheld = maddr;              /* the MAC address of the last two clocks */
        if (t % 2 == 0) {                   /* a new address every second clock; mostly a counter's */
            addr = (uint8_t)(r % 8 == 0 ? r >> 8 : (r >> 8) % 34);
            maddr = (uint8_t)(r % 16 == 1 ? r >> 16 : (r >> 16) % 17);
        }
        p.addr = addr;
        p.maddr = maddr;
        p.rst = r % 60000 == 7;
        resets += p.rst;
        tw_cnt_clock(m, &p);
        /* the two forms of the tap's counters: the same value on every clock */
        if (p.d_reg != p.d_ram)
            fail_msg("clock %u: a counter reads %llu (registers) and %llu (RAM)", t, (unsigned long long)p.d_reg,
                     (unsigned long long)p.d_ram);
        /* the MAC statistics' RAM form against its one-clock register reference, for the address held over the
         * last two clocks */
        if (t % 2 == 0 && t > 0 && m_prev != p.m_ram)
            fail_msg("clock %u: MAC counter %u reads %llu (registers) and %llu (RAM)", t - 1, mheld,
                     (unsigned long long)m_prev, (unsigned long long)p.m_ram);
        nonzero += p.d_reg != 0 && p.m_reg != 0;
        m_prev = p.m_reg;
    }
    assert_true(nonzero > CLOCKS / 2);
    print_message("random: %u clocks, %llu reads of non-zero values, %llu resets\n", (unsigned)CLOCKS,
                  (unsigned long long)nonzero, (unsigned long long)resets);
}

/* ---- every counter at its largest increment on every clock: known totals, both forms ---- */
static void test_full_rate_totals(void **st)
{
    struct tw_cnt *m = *st;
    reset(m);
    enum { K = 5000 };
    struct tw_cnt_pins p;
    memset(&p, 0, sizeof p);
    for (unsigned c = 0; c < 32; c++)
        set_inc(&p, c, c % TW_CNT_PER_PORT == TW_CNT_BYTES ? 0xFFFFFFu : 1u);
    p.minc = ~0ull;
    for (unsigned t = 0; t < K; t++)
        tw_cnt_clock(m, &p);
    /* read every counter with the increments off: K clocks of increments each */
    struct tw_cnt_pins q;
    memset(&q, 0, sizeof q);
    for (unsigned a = 0; a <= 32; a++) {
        q.addr = (uint8_t)a;
        q.maddr = (uint8_t)(a % 17);
        tw_cnt_clock(m, &q); /* three clocks per address: the RAM form answers on the third */
        tw_cnt_clock(m, &q);
        tw_cnt_clock(m, &q);
        uint64_t want = a == 32 ? 0 : a % TW_CNT_PER_PORT == TW_CNT_BYTES ? (uint64_t)K * 0xFFFFFFu : K;
        assert_int_equal(q.d_reg, want);
        assert_int_equal(q.d_ram, want);
        uint64_t mwant = a % 17 == 16 ? 0 : (uint64_t)K * 15u;
        assert_int_equal(q.m_reg, mwant);
        assert_int_equal(q.m_ram, mwant);
    }
    /* past 2^32 in the RAM words: 300 more clocks of 2^24 - 1 on the BYTES counters */
    for (unsigned t = 0; t < 300; t++)
        tw_cnt_clock(m, &p);
    q.addr = TW_CNT_PER_PORT + TW_CNT_BYTES;
    tw_cnt_clock(m, &q);
    tw_cnt_clock(m, &q);
    tw_cnt_clock(m, &q);
    assert_int_equal(q.d_ram, (uint64_t)(K + 300) * 0xFFFFFFu);
    assert_true(q.d_ram > 0xFFFFFFFFull);
    assert_int_equal(q.d_reg, q.d_ram);
}

/* ---- tw_cnt_ext: 32 counters 8 bits wide (they wrap every few dozen clocks at up to 7 a clock) read as 64-bit
 * counts, against 64-bit reference counters: equal on every read (the extension answers two clocks after the
 * reference), across resets ---- */
static void test_extend_equal(void **st)
{
    struct tw_cnt *m = *st;
    reset(m);
    uint64_t seed = 0xe87e4du, prev = 0, big = 0;
    uint8_t eaddr = 0;
    enum { CLOCKS = 200000 };
    for (unsigned t = 0; t < CLOCKS; t++) {
        struct tw_cnt_pins p;
        memset(&p, 0, sizeof p);
        for (unsigned c = 0; c < 32; c++) {
            uint64_t r = rnd(&seed);
            unsigned v = (unsigned)(t % 5000 < 2500 ? r % 8 : r % 4 == 0); /* full rate, then sparse */
            unsigned bit = 3 * c;
            for (unsigned b = 0; b < 3; b++, bit++)
                if (v >> b & 1)
                    p.einc[bit / 32] |= 1u << (bit % 32);
        }
        uint64_t r = rnd(&seed);
        uint8_t held = eaddr; /* the address of the last two clocks */
        if (t % 2 == 0)       /* a new address every second clock */
            eaddr = (uint8_t)(r % 8 == 0 ? r >> 8 : (r >> 8) % 33);
        p.eaddr = eaddr;
        p.rst = r % 70000 == 3;
        tw_cnt_clock(m, &p);
        if (t % 2 == 0 && t > 0 && prev != p.e_ext)
            fail_msg("clock %u: counter %u reads %llu (64-bit reference) and %llu (extended from 8 bits)", t - 1, held,
                     (unsigned long long)prev, (unsigned long long)p.e_ext);
        big += p.e_ref > 255;
        prev = p.e_ref;
    }
    assert_true(big > CLOCKS / 2); /* the counts are far past the 8 bits the blocks keep */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_equal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_rate_totals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extend_equal, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
