/* TZSP tag runs through the RTL parser, against the C reference dissector (docs/parser.md "TZSP"). The parse engine
 * walks TZSP tagged fields TZSP_PER_STEP at a time (16 in the reference build, 1 in the small-FPGA build,
 * sim/parser_small.mk) and moves its 64-byte window on when a field starts past byte 62 of it; this test is built
 * against both models (build/tests/parser/test_parser_tzsp, build/parser_small/test_parser_tzsp_small) and feeds
 * frames whose tag runs cross those boundaries: every count of padding tags from 0 to 215 (the end tag at every
 * byte of the 256-byte head and past it), field tags of every length class around the window size, the same frames
 * cut at every length, and a seeded random mix through both ports. Every record must equal tw_dissect()'s for the
 * same bytes (packed records compared; differing fields named), and the outcomes the sweep is built for are asserted
 * on the RTL's records: inner Ethernet found while the end tag and the inner header fit the head, TRUNC when the tags
 * run past the captured bytes, never an inner record then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parser_cases.h"
#include "frames.h"
#include "tapwatch/dissect.h"
#include "tapwatch/meta.h"
#include "twsim.h"

#define HDR 256u                  /* the RTL's HDR_BYTES */
#define TZSP_OFF (14u + 20u + 8u) /* the TZSP header in eth + IPv4 + UDP */

struct rig {
    struct twsim *s;
    uint32_t fseq[2];
    uint64_t frames, inner, trunc; /* frames compared; records with an inner Ethernet; with TRUNC */
};

static int setup(void **state)
{
    struct rig *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.seed = 0x7a5b0001u;
    c.gap_pct = 15;
    c.meta_bp_pct = 10;
    c.out_bp_pct = 5;
    c.serial = 1;
    c.keep_records = 1;
    c.quiet_cycles = 50000; /* WIN_FETCH = 1 spends 11 clocks per tag at TZSP_PER_STEP = 1: 2,000+ on a long run */
    if (twsim_new(&r->s, &c) != 0) {
        free(r);
        return -1;
    }
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    struct rig *r = *state;
    printf("frames compared: %llu (inner Ethernet %llu, TRUNC %llu), clocks run %llu\n",
           (unsigned long long)r->frames, (unsigned long long)r->inner, (unsigned long long)r->trunc,
           (unsigned long long)twsim_stats(r->s)->cycles);
    twsim_free(r->s);
    free(r);
    return 0;
}

/* One frame through the RTL on port; *out = its record, which must equal the dissector's. */
static void one(struct rig *r, const uint8_t *b, size_t len, unsigned port, struct tw_meta *out)
{
    assert_true(len >= 60 && len <= TWSIM_MAX_FRAME);
    const uint64_t tag = 0x75e90000u + r->frames;
    const uint64_t ts = 1000u * r->frames;
    assert_int_equal(twsim_push(r->s, port, b, len, 0, ts, tag), 0);
    assert_int_equal(twsim_run(r->s, 2000000), 0);
    size_t n;
    const struct twsim_rec *rec = twsim_records(r->s, &n);
    struct twsim_rec got;
    memset(&got, 0, sizeof got);
    if (n)
        got = rec[0];
    const struct twsim_stats *st = twsim_stats(r->s);
    const uint64_t bad = st->out_bad[0] + st->out_bad[1] + st->rec_bad;
    const uint32_t seq = r->fseq[port]++;
    twsim_clear(r->s);
    r->frames++;
    assert_int_equal(n, 1);
    assert_int_equal(got.tag, tag);
    assert_int_equal(bad, 0);
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    assert_int_equal(cfg.hdr_bytes, HDR);
    struct tw_meta ref;
    tw_dissect(&cfg, b, len, 0, ts, port, seq, &ref);
    unsigned d = twpc_meta_diff(&got.m, &ref, "record", 1);
    if (d) {
        printf("  frame (%zu bytes):", len);
        for (size_t i = 0; i < len && i < 320; i++)
            printf("%s%02x", i % 32 ? "" : "\n   ", b[i]);
        printf("\n");
    }
    assert_int_equal(d, 0);
    *out = got.m;
    if (got.m.inner && got.m.i_l2)
        r->inner++;
    if (got.m.err & (1u << TW_ERR_TRUNC))
        r->trunc++;
}

/* eth + IPv4 + UDP to 37008 + TZSP v1 (type 0, encapsulation 1 = Ethernet) */
static void tzsp_head(struct twf *f)
{
    twf_init(f);
    twf_eth(f, 0x020000000001ull, 0x020000000002ull, 0x0800);
    twf_ipv4(f, &(struct twf_ip4){.proto = 17, .ttl = 64, .src = 0x0a000001, .dst = 0x0a000002});
    twf_udp(f, 40000, 37008);
    twf_tzsp(f, 1, 0, 1);
}

static void inner_eth_tcp(struct twf *f)
{
    twf_eth(f, 0x020000000003ull, 0x020000000004ull, 0x0800);
    twf_ipv4(f, &(struct twf_ip4){.proto = 6, .ttl = 9, .src = 0xc0a80001, .dst = 0xc0a80002});
    twf_tcp(f, 1234, 80, 77, 0x12);
}

/* Padding tags (one byte each) 0..215, then the end tag and an inner Ethernet + IPv4 + TCP: the inner header
 * starts at TZSP_OFF + 4 + pads + 1. */
static void test_padding_runs(void **state)
{
    struct rig *r = *state;
    struct twf f;
    struct tw_meta m;
    unsigned seen_inner = 0, seen_cut = 0;
    for (unsigned pads = 0; pads <= 215; pads++) {
        tzsp_head(&f);
        for (unsigned i = 0; i < pads; i++)
            twf_tzsp_tag(&f, 0, 0, 0);
        twf_tzsp_tag(&f, 1, 0, 0);
        inner_eth_tcp(&f);
        twf_end(&f);
        twf_pad(&f, 60);
        assert_false(f.overflow);
        one(r, f.b, f.n, pads & 1u, &m);
        assert_int_equal(m.tun_kind, TW_TUN_TZSP);
        const unsigned inner_at = TZSP_OFF + 4 + pads + 1;
        if (inner_at + 14 <= HDR) { /* the inner Ethernet header fits the head */
            assert_int_equal(m.inner, 1);
            assert_int_equal(m.i_l2, 1);
            seen_inner++;
        } else if (inner_at > HDR) { /* the end tag lies past the head: the tags are cut */
            assert_true(m.err & (1u << TW_ERR_TRUNC));
            assert_int_equal(m.inner, 0);
            seen_cut++;
        }
    }
    assert_true(seen_inner > 150);
    assert_true(seen_cut > 0);
}

/* Field tags of lengths around the window (0..255 bytes of value), one to three of them, then the end tag: the
 * next tag lands on every offset of the 64-byte window. */
static void test_field_lengths(void **state)
{
    struct rig *r = *state;
    static const uint8_t lens[] = {0, 1, 2, 5, 13, 58, 59, 60, 61, 62, 63, 64, 65, 100, 127, 128, 190, 200, 255};
    struct twf f;
    struct tw_meta m;
    unsigned seen_inner = 0;
    for (unsigned a = 0; a < sizeof lens; a++) {
        for (unsigned b = 0; b < sizeof lens; b++) {
            for (unsigned lead = 0; lead < 3; lead++) {
                tzsp_head(&f);
                for (unsigned i = 0; i < lead; i++)
                    twf_tzsp_tag(&f, 0, 0, 0);
                twf_tzsp_tag(&f, 10, lens[a], (uint8_t)(a * 7 + 1));
                twf_tzsp_tag(&f, (uint8_t)(20 + b), lens[b], 0x01); /* value bytes of 1 look like end tags */
                twf_tzsp_tag(&f, 1, 0, 0);
                inner_eth_tcp(&f);
                twf_end(&f);
                twf_pad(&f, 60);
                assert_false(f.overflow);
                one(r, f.b, f.n, (a + b) & 1u, &m);
                assert_int_equal(m.tun_kind, TW_TUN_TZSP);
                const unsigned inner_at = TZSP_OFF + 4 + lead + 2u + lens[a] + 2u + lens[b] + 1;
                if (inner_at + 14 <= HDR) {
                    assert_int_equal(m.inner, 1);
                    seen_inner++;
                } else {
                    assert_int_equal(m.i_l3_off, 0);
                }
            }
        }
    }
    assert_true(seen_inner > 100);
}

/* The same tag runs cut short at every length from 60 bytes up: TRUNC whenever the cut falls inside the tags. */
static void test_cut_frames(void **state)
{
    struct rig *r = *state;
    struct twf f;
    struct tw_meta m;
    unsigned seen_trunc = 0;
    for (unsigned pads = 0; pads <= 80; pads += 8) {
        tzsp_head(&f);
        twf_tzsp_tag(&f, 10, 30, 0x55);
        for (unsigned i = 0; i < pads; i++)
            twf_tzsp_tag(&f, 0, 0, 0);
        twf_tzsp_tag(&f, 1, 0, 0);
        inner_eth_tcp(&f);
        twf_end(&f);
        const size_t full = f.n;
        const unsigned end_tag = TZSP_OFF + 4 + 32 + pads; /* the end tag's offset */
        for (size_t cut = 60; cut <= full; cut++) {
            one(r, f.b, cut, (unsigned)(cut & 1u), &m);
            assert_int_equal(m.tun_kind, TW_TUN_TZSP);
            if (cut <= end_tag) {
                assert_true(m.err & (1u << TW_ERR_TRUNC));
                assert_int_equal(m.inner, 0);
                seen_trunc++;
            }
        }
    }
    assert_true(seen_trunc > 200);
}

static uint32_t rnd32(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return (uint32_t)(*x >> 16);
}

/* 1,500 random tag mixes (padding, fields of random lengths, sometimes no end tag, random cuts). */
static void test_random_mix(void **state)
{
    struct rig *r = *state;
    uint64_t x = 0x2b7e151628aed2a6ull;
    struct twf f;
    struct tw_meta m;
    for (unsigned it = 0; it < 1500; it++) {
        tzsp_head(&f);
        const unsigned ntags = rnd32(&x) % 24;
        for (unsigned i = 0; i < ntags; i++) {
            const uint32_t k = rnd32(&x) % 4;
            if (k == 0)
                twf_tzsp_tag(&f, 0, 0, 0);
            else
                twf_tzsp_tag(&f, (uint8_t)(2 + rnd32(&x) % 40), (uint8_t)(k == 1 ? rnd32(&x) % 256 : rnd32(&x) % 12),
                             (uint8_t)rnd32(&x));
        }
        if (rnd32(&x) % 8)
            twf_tzsp_tag(&f, 1, 0, 0);
        inner_eth_tcp(&f);
        twf_end(&f);
        size_t len = f.n;
        if (rnd32(&x) % 4 == 0)
            len = 60 + rnd32(&x) % (len - 59);
        twf_pad(&f, 60);
        if (len < 60)
            len = 60;
        assert_false(f.overflow);
        one(r, f.b, len, it & 1u, &m);
        assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_padding_runs),
        cmocka_unit_test(test_field_lengths),
        cmocka_unit_test(test_cut_frames),
        cmocka_unit_test(test_random_mix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
