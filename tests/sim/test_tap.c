/* The tap in Verilator (rtl/tw_tap_parse_top.v through sim/twsim): bit-exact forwarding with a fixed latency,
 * gaps and back-pressure, monitor mode, detection back-pressure that never touches forwarding and is counted,
 * counters, and the twsim / tw_model error paths. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tap_frames.h"
#include "twsim.h"

/* The tap's forwarding latency in clocks: a first beat accepted on ingress in cycle c is valid on egress in cycle
 * c + TAP_LATENCY (docs/architecture.md, docs/sim.md). */
#define TAP_LATENCY 1

static struct twsim *mk(const struct twsim_cfg *c)
{
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, c), 0);
    assert_non_null(s);
    return s;
}

static uint64_t cnt(struct twsim *s, unsigned port, unsigned idx)
{
    uint64_t v = 0;
    assert_int_equal(twsim_counter(s, port, idx, &v), 0);
    return v;
}

/* Pushes the same n frames of random lengths in [lo, hi] on both ports; returns total bytes per port. */
static uint64_t push_random(struct twsim *s, uint64_t *seed, unsigned n, size_t lo, size_t hi, int tuser_every)
{
    static uint8_t buf[TF_MAX];
    uint64_t bytes = 0;
    for (unsigned i = 0; i < n; i++) {
        for (unsigned p = 0; p < 2; p++) {
            size_t len = lo + (size_t)(tf_rand(seed) % (hi - lo + 1));
            for (size_t k = 0; k < len; k++)
                buf[k] = (uint8_t)tf_rand(seed);
            int user = tuser_every && (i % (unsigned)tuser_every) == 0;
            assert_int_equal(twsim_push(s, p, buf, len, user, 1000 + i, (uint64_t)p << 32 | i), 0);
            if (p == 0)
                bytes += len;
        }
    }
    return bytes;
}

/* Forwarding is bit-exact and the latency fixed: every length from 1 to 130 bytes (every tkeep of the last beat,
 * one and many beats) and long frames, tuser on some, on both ports at once. */
static void test_forward_exact_fixed_latency(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.keep_egress = 1;
    struct twsim *s = mk(&c);
    static uint8_t buf[TF_MAX];
    static const size_t longs[] = {1514, 1518, 4000, 9000, 9600};
    unsigned nf = 0;
    uint64_t seed = 11;
    for (size_t len = 1; len <= 130 + 5; len++) {
        size_t L = len <= 130 ? len : longs[len - 131];
        for (unsigned p = 0; p < 2; p++) {
            for (size_t k = 0; k < L; k++)
                buf[k] = (uint8_t)tf_rand(&seed);
            assert_int_equal(twsim_push(s, p, buf, L, (int)(L % 3 == 0), 0, (uint64_t)p << 32 | nf), 0);
        }
        nf++;
    }
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(st->in_frames[p], nf);
        assert_int_equal(st->out_frames[p], nf);
        assert_int_equal(st->out_bad[p], 0);
        assert_int_equal(st->out_bytes[p], st->in_bytes[p]);
        assert_int_equal(st->in_stall[p], 0); /* egress always ready: ingress never stalls */
    }
    /* the kept copies: same bytes, same tuser, same order, per port */
    size_t n;
    const struct twsim_frame *eg = twsim_egress(s, &n);
    assert_int_equal(n, 2 * nf);
    unsigned seen[2] = {0, 0};
    seed = 11;
    for (size_t i = 0; i < n; i++) {
        unsigned p = eg[i].port;
        assert_int_equal(eg[i].tag, (uint64_t)p << 32 | seen[p]);
        seen[p]++;
    }
    for (unsigned i = 0; i < nf; i++) {
        size_t L = i + 1 <= 130 ? i + 1 : longs[i - 130];
        for (unsigned p = 0; p < 2; p++) {
            for (size_t k = 0; k < L; k++)
                buf[k] = (uint8_t)tf_rand(&seed);
            const struct twsim_frame *f = NULL;
            for (size_t j = 0; j < n; j++)
                if (eg[j].tag == ((uint64_t)p << 32 | i))
                    f = &eg[j];
            assert_non_null(f);
            assert_int_equal(f->len, L);
            assert_memory_equal(f->data, buf, L);
            assert_int_equal(f->user, (int)(L % 3 == 0));
        }
    }
    assert_int_equal(st->lat_min, TAP_LATENCY);
    assert_int_equal(st->lat_max, TAP_LATENCY);
    twsim_free(s);
}

/* Random tvalid gaps and egress back-pressure: still bit-exact, nothing lost, ingress stalls only while egress is
 * back-pressured, and the first-beat latency is never below the fixed latency. */
static void test_forward_gaps_backpressure(void **state)
{
    (void)state;
    for (unsigned round = 0; round < 3; round++) {
        struct twsim_cfg c;
        twsim_cfg_default(&c);
        c.seed = 100 + round;
        c.gap_pct = round == 0 ? 40 : 15;
        c.out_bp_pct = round == 1 ? 60 : 30;
        c.keep_records = 0;
        struct twsim *s = mk(&c);
        uint64_t seed = 7 + round;
        uint64_t bytes = push_random(s, &seed, 300, 1, round == 2 ? 3000 : 200, 5);
        assert_int_equal(twsim_run(s, 0), 0);
        const struct twsim_stats *st = twsim_stats(s);
        for (unsigned p = 0; p < 2; p++) {
            assert_int_equal(st->out_frames[p], 300);
            assert_int_equal(st->out_bad[p], 0);
            assert_int_equal(st->out_bytes[p], st->in_bytes[p]);
            assert_true(st->in_gap[p] > 0);
            assert_true(st->in_stall[p] > 0); /* back-pressure reached the ingress */
            assert_int_equal(cnt(s, p, TW_CNT_EGRESS), 300);
            assert_int_equal(cnt(s, p, TW_CNT_FRAMES), 300);
        }
        assert_int_equal(st->in_bytes[0], bytes);
        assert_true(st->lat_min >= TAP_LATENCY);
        twsim_free(s);
    }
}

/* Monitor mode: nothing leaves on egress, and the ingress is always ready even with egress never ready. */
static void test_monitor_mode(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.monitor = 1;
    c.out_bp_pct = 100;
    c.gap_pct = 20;
    c.quiet_cycles = 300;
    struct twsim *s = mk(&c);
    static uint8_t buf[1600];
    for (unsigned i = 0; i < 200; i++)
        for (unsigned p = 0; p < 2; p++)
            assert_int_equal(twsim_push(s, p, buf, tf_plain(buf, 60 + (i * 37) % 1400, i, 9), 0, 0, i), 0);
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(st->in_frames[p], 200);
        assert_int_equal(st->in_stall[p], 0);
        assert_int_equal(st->out_beats[p], 0);
        assert_int_equal(st->out_bad[p], 0);
        assert_int_equal(cnt(s, p, TW_CNT_EGRESS), 0);
        assert_int_equal(cnt(s, p, TW_CNT_FRAMES), 200);
        /* detection still sees every frame */
        assert_int_equal(st->records[p], 200);
    }
    twsim_free(s);
}

/* m_meta_tready held low: forwarding goes on unchanged (no stall, bit-exact, same latency); the copies that do not
 * fit are dropped whole and counted, and generated = delivered + dropped; after release everything drains. */
static void test_meta_backpressure_never_stalls(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.meta_bp_pct = 100;
    c.quiet_cycles = 200;
    struct twsim *s = mk(&c);
    static uint8_t buf[1600];
    const unsigned n = 400;
    for (unsigned i = 0; i < n; i++)
        for (unsigned p = 0; p < 2; p++)
            assert_int_equal(twsim_push(s, p, buf, tf_plain(buf, 60 + (i * 13) % 200, i, p), 0, i, i), 0);
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(st->out_frames[p], n);
        assert_int_equal(st->out_bad[p], 0);
        assert_int_equal(st->in_stall[p], 0);
        assert_int_equal(st->records[p], 0);
    }
    assert_int_equal(st->lat_min, TAP_LATENCY);
    assert_int_equal(st->lat_max, TAP_LATENCY);
    /* release the metadata stream: what was kept comes out, the rest was dropped and counted */
    twsim_set_rates(s, 0, 0, 0);
    assert_int_equal(twsim_run(s, 0), 0);
    uint64_t drops_total = 0;
    for (unsigned p = 0; p < 2; p++) {
        uint64_t frames = cnt(s, p, TW_CNT_FRAMES), recs = cnt(s, p, TW_CNT_RECORDS);
        uint64_t drops = cnt(s, p, TW_CNT_COPY_DROP);
        assert_int_equal(frames, n);
        assert_int_equal(recs, st->records[p]);
        assert_int_equal(recs + drops, frames);
        assert_true(drops > 0);
        drops_total += drops;
    }
    assert_int_equal(st->rec_bad, 0);
    assert_true(drops_total < 2 * n);
    /* records that survived are whole and in per-port order */
    size_t nr;
    const struct twsim_rec *r = twsim_records(s, &nr);
    assert_int_equal(nr, st->records[0] + st->records[1]);
    int64_t last[2] = {-1, -1};
    for (size_t i = 0; i < nr; i++) {
        unsigned p = r[i].m.port;
        assert_true((int64_t)r[i].m.fseq > last[p]);
        last[p] = r[i].m.fseq;
        assert_int_equal(r[i].tag, r[i].m.fseq);
    }
    twsim_free(s);
}

/* Random detection back-pressure together with egress back-pressure and gaps: forwarding stays exact. */
static void test_meta_random_backpressure(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.meta_bp_pct = 70;
    c.out_bp_pct = 20;
    c.gap_pct = 10;
    c.seed = 5;
    c.keep_records = 0;
    struct twsim *s = mk(&c);
    uint64_t seed = 99;
    push_random(s, &seed, 500, 1, 300, 0);
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(st->out_frames[p], 500);
        assert_int_equal(st->out_bad[p], 0);
        uint64_t recs = cnt(s, p, TW_CNT_RECORDS), drops = cnt(s, p, TW_CNT_COPY_DROP);
        assert_int_equal(recs, st->records[p]);
        assert_int_equal(recs + drops, 500);
    }
    assert_int_equal(st->rec_bad, 0);
    twsim_free(s);
}

/* Counters per port: frames, bytes, MAC-bad, runt, giant, records, egress; fseq, len, port and ts in records. */
static void test_counters_and_record_basics(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.mtu = 1500;
    c.serial = 1;
    struct twsim *s = mk(&c);
    static uint8_t buf[TF_MAX];
    /* port A: 3 good, 2 runts (one with tuser), 1 giant; port B: 4 good with tuser on one */
    struct { unsigned port; size_t len; int user; } fr[] = {
        {0, 64, 0}, {1, 100, 0}, {0, 59, 0}, {1, 1500, 1}, {0, 1501, 0}, {0, 20, 1},
        {1, 60, 0}, {0, 1500, 0}, {1, 9000, 0}, {0, 128, 0},
    };
    const size_t nfr = sizeof fr / sizeof fr[0];
    uint64_t bytes[2] = {0, 0}, frames[2] = {0, 0}, runts[2] = {0, 0}, giants[2] = {0, 0}, bad[2] = {0, 0};
    for (size_t i = 0; i < nfr; i++) {
        size_t L = fr[i].len;
        if (L >= 42)
            tf_plain(buf, L, (unsigned)i, 7);
        else
            memset(buf, 0xA5, L);
        assert_int_equal(twsim_push(s, fr[i].port, buf, L, fr[i].user, 5000000000ull + i * 1000, i), 0);
        bytes[fr[i].port] += L;
        frames[fr[i].port]++;
        runts[fr[i].port] += L < 60;
        giants[fr[i].port] += L > 1500;
        bad[fr[i].port] += fr[i].user ? 1 : 0;
    }
    assert_int_equal(twsim_run(s, 0), 0);
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(cnt(s, p, TW_CNT_FRAMES), frames[p]);
        assert_int_equal(cnt(s, p, TW_CNT_BYTES), bytes[p]);
        assert_int_equal(cnt(s, p, TW_CNT_MACBAD), bad[p]);
        assert_int_equal(cnt(s, p, TW_CNT_RUNT), runts[p]);
        assert_int_equal(cnt(s, p, TW_CNT_GIANT), giants[p]);
        assert_int_equal(cnt(s, p, TW_CNT_RECORDS), frames[p]);
        assert_int_equal(cnt(s, p, TW_CNT_EGRESS), frames[p]);
        assert_int_equal(cnt(s, p, TW_CNT_COPY_DROP), 0);
    }
    size_t nr;
    const struct twsim_rec *r = twsim_records(s, &nr);
    assert_int_equal(nr, nfr);
    uint32_t fseq[2] = {0, 0};
    for (size_t i = 0; i < nr; i++) {
        size_t k = r[i].tag;
        assert_true(k < nfr);
        unsigned p = fr[k].port;
        assert_int_equal(r[i].m.port, p);
        assert_int_equal(r[i].m.len, fr[k].len);
        assert_int_equal(r[i].m.ts, 5000000000ull + k * 1000);
        assert_int_equal(!!(r[i].m.err & (1u << TW_ERR_RUNT)), fr[k].len < 60);
        assert_int_equal(!!(r[i].m.err & (1u << TW_ERR_GIANT)), fr[k].len > 1500);
        assert_int_equal(!!(r[i].m.err & (1u << TW_ERR_MACBAD)), fr[k].user);
        (void)fseq;
    }
    /* fseq counts per port from 0, records per port in order */
    for (unsigned p = 0; p < 2; p++) {
        uint32_t want = 0;
        for (size_t i = 0; i < nr; i++)
            if (r[i].m.port == p)
                assert_int_equal(r[i].m.fseq, want++);
        assert_int_equal(want, frames[p]);
    }
    /* a reset clears counters and restarts fseq */
    tw_model_reset(twsim_model(s), 2);
    assert_int_equal(tw_model_cycles(twsim_model(s)), 0);
    assert_int_equal(tw_model_counter(twsim_model(s), 0, TW_CNT_FRAMES), 0);
    assert_int_equal(tw_model_counter(twsim_model(s), 1, TW_CNT_BYTES), 0);
    twsim_free(s);
}

/* A frame over 65535 bytes (a GSO super-frame in a capture): forwarded whole, counted in full, its record's
 * 16-bit len saturated at 65535 and marked giant. */
static void test_frame_over_64k(void **state)
{
    (void)state;
    struct twsim *s = mk(NULL);
    static uint8_t big[70001];
    tf_plain(big, sizeof big, 5, 6);
    assert_int_equal(twsim_push(s, TW_PORT_B, big, sizeof big, 0, 0, 9), 0);
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    assert_int_equal(st->out_frames[1], 1);
    assert_int_equal(st->out_bad[1], 0);
    assert_int_equal(st->out_bytes[1], sizeof big);
    assert_int_equal(st->rec_bad, 0);
    size_t n;
    const struct twsim_rec *r = twsim_records(s, &n);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].tag, 9);
    assert_int_equal(r[0].m.len, 65535);
    assert_true(r[0].m.err & (1u << TW_ERR_GIANT));
    assert_int_equal(cnt(s, 1, TW_CNT_BYTES), sizeof big);
    twsim_free(s);
}

/* The low-level C API directly: one single-beat frame in, its egress beat after TAP_LATENCY, its record. */
static void test_model_api_direct(void **state)
{
    (void)state;
    struct tw_model *m = tw_model_new(NULL);
    assert_non_null(m);
    tw_model_set_ts(m, 123456789);
    struct tw_beat in = {0x0807060504030201ULL, 0x3F, 1, 1, 1}, out;
    tw_model_drive(m, TW_PORT_B, &in);
    /* tready is registered: it may come up a few clocks after reset; the beat waits (AXI-Stream) */
    for (unsigned w = 0; !tw_model_in_ready(m, TW_PORT_B); w++) {
        assert_true(w < 8);
        tw_model_tick(m);
    }
    tw_model_tick(m);
    tw_model_drive(m, TW_PORT_B, NULL);
    unsigned waited = 1;
    for (;; waited++) {
        tw_model_out(m, TW_PORT_A, &out);
        if (out.valid)
            break;
        assert_true(waited < 50);
        tw_model_tick(m);
    }
    assert_int_equal(waited, TAP_LATENCY);
    assert_int_equal(out.keep, 0x3F);
    assert_int_equal(out.data & 0xFFFFFFFFFFFFULL, 0x060504030201ULL);
    assert_true(out.last && out.user);
    tw_model_out(m, TW_PORT_B, &out);
    assert_false(out.valid); /* nothing on the other egress */
    uint8_t bits[TW_M_BYTES];
    struct tw_meta rec;
    unsigned k = 0;
    while (!tw_model_meta(m, bits)) {
        assert_true(++k < 2000);
        tw_model_tick(m);
    }
    tw_meta_unpack(bits, &rec);
    assert_int_equal(rec.port, 1);
    assert_int_equal(rec.len, 6);
    assert_int_equal(rec.fseq, 0);
    assert_int_equal(rec.ts, 123456789);
    assert_true(rec.err & (1u << TW_ERR_RUNT));
    assert_true(rec.err & (1u << TW_ERR_MACBAD));
    tw_model_tick(m);
    assert_int_equal(tw_model_counter(m, 1, TW_CNT_FRAMES), 1);
    assert_int_equal(tw_model_counter(m, 0, TW_CNT_FRAMES), 0);
    tw_model_free(m);
}

/* Error paths of twsim and tw_model. */
static void test_error_paths(void **state)
{
    (void)state;
    struct twsim *s = NULL;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.gap_pct = 101;
    assert_int_equal(twsim_new(&s, &c), -EINVAL);
    assert_null(s);
    twsim_cfg_default(&c);
    c.l2tp_cookie = 5;
    assert_int_equal(twsim_new(&s, &c), -EINVAL);
    twsim_cfg_default(&c);
    c.mtu = 70000;
    assert_int_equal(twsim_new(&s, &c), -EINVAL);
#ifndef TW_MODEL_TRACE
    twsim_cfg_default(&c);
    c.trace = "/tmp/never.fst";
    assert_int_equal(twsim_new(&s, &c), -EINVAL); /* this build has no tracing */
    assert_null(tw_model_new("/tmp/never.fst"));
#endif
    twsim_free(NULL);
    tw_model_free(NULL);

    s = mk(NULL);
    uint8_t buf[64] = {0};
    static uint8_t big[TWSIM_MAX_FRAME + 1];
    assert_int_equal(twsim_push(s, 2, buf, 64, 0, 0, 0), -EINVAL);
    assert_int_equal(twsim_push(s, 0, buf, 0, 0, 0, 0), -EINVAL);
    assert_int_equal(twsim_push(s, 0, NULL, 10, 0, 0, 0), -EINVAL);
    assert_int_equal(twsim_push(s, 0, big, sizeof big, 0, 0, 0), -EINVAL);
    assert_int_equal(twsim_pending(s), 0);
    uint64_t v;
    assert_int_equal(twsim_counter(s, 2, 0, &v), -EINVAL);
    assert_int_equal(twsim_counter(s, 0, TW_CNT_PER_PORT, &v), -EINVAL);
    /* a counter read in the middle of a frame would have to withdraw tvalid: refused */
    assert_int_equal(twsim_push(s, 0, big, 4000, 0, 0, 0), 0);
    twsim_step(s);
    twsim_step(s);
    assert_int_equal(twsim_counter(s, 0, TW_CNT_FRAMES, &v), -EBUSY);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_counter(s, 0, TW_CNT_FRAMES, &v), 0);
    assert_int_equal(v, 1);
    /* max_cycles runs out: -ETIMEDOUT; an egress that never takes anything: a detected hang */
    assert_int_equal(twsim_push(s, 0, big, 4000, 0, 0, 1), 0);
    assert_int_equal(twsim_run(s, 10), -ETIMEDOUT);
    twsim_set_rates(s, 0, 100, 0);
    assert_int_equal(twsim_run(s, 0), -ETIMEDOUT);
    twsim_set_rates(s, 0, 0, 0);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->out_frames[0], 2);
    assert_int_equal(twsim_stats(s)->out_bad[0], 0);
    twsim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forward_exact_fixed_latency),
        cmocka_unit_test(test_forward_gaps_backpressure),
        cmocka_unit_test(test_monitor_mode),
        cmocka_unit_test(test_meta_backpressure_never_stalls),
        cmocka_unit_test(test_meta_random_backpressure),
        cmocka_unit_test(test_counters_and_record_basics),
        cmocka_unit_test(test_frame_over_64k),
        cmocka_unit_test(test_model_api_direct),
        cmocka_unit_test(test_error_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
