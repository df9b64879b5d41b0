/* The RTL mirror-copy digest table (rtl/tw_digest_table.v, Verilated through sim/state_model.h) against the C
 * reference (host/src/digest.c: tw_digest_vec/tag/lookup/insert) on the same sequences of metadata records:
 * per frame the inner and outer tags, the mirror decision, whether the frame looked up / inserted, and whether the
 * insert replaced a digest still inside the window must be equal. Records are fed back to back (a new record on
 * every cycle the model is ready) and, in some runs, with random input gaps and output back-pressure.
 * The same program is linked twice (sim/state.mk): test_digest with the reference model (HASH_STEP_BITS = 0, the
 * CRC trees in one clock) and test_digest_step with the stepping one (tw_dgm_hash_step_bits() = S: one CRC-32 and
 * one CRC-32C unit, S bits per clock); both against the same reference, and test_accept_rate checks each one's
 * documented accept rate to the clock. */
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect_int.h"
#include "state_model.h"
#include "tapwatch/tables.h"
#include "state_testlib.h"

/* ---- the reference: a detector with the default geometry; only its digest table is used ---- */
struct ref {
    struct tw_tables *t;
    struct tw_detector *d;
};

static void ref_open(struct ref *r, uint64_t window_ns)
{
    r->t = tw_tables_new();
    assert_non_null(r->t);
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    p.mirror_window_ns = window_ns;
    assert_int_equal(tw_detector_create(&r->d, &p, r->t, NULL), 0);
}

static void ref_close(struct ref *r)
{
    tw_detector_destroy(r->d);
    tw_tables_free(r->t);
}

/* The reference's result for one frame, in the RTL's result format. */
static void ref_frame(struct ref *r, const struct tw_meta *m, struct tw_dg_res *e)
{
    memset(e, 0, sizeof *e);
    uint8_t v[TW_DIGEST_VEC_BYTES];
    if (tw_digest_vec(m, 1, v)) {
        e->looked_up = 1;
        e->tag_in = tw_digest_tag(&r->d->hash, v);
        e->mirror = (uint8_t)tw_digest_lookup(r->d, e->tag_in, m->ts);
    }
    if (tw_digest_vec(m, 0, v)) {
        uint64_t before = r->d->st.digest_replaced;
        e->inserted = 1;
        e->tag_out = tw_digest_tag(&r->d->hash, v);
        tw_digest_insert(r->d, e->tag_out, m->ts);
        e->replaced = r->d->st.digest_replaced != before;
    }
}


/* ---- driving the model ---- */
struct run_opts {
    unsigned gap_pct; /* chance that the source idles on a cycle */
    unsigned bp_pct;  /* chance that the sink is not ready on a cycle */
    uint64_t seed;
    unsigned bp_long; /* > 0: besides, the sink is not ready for bp_long cycles out of every 2 x bp_long */
};

struct run_stats {
    uint64_t frames, cycles, mirrors, replaced, lookups, inserts;
    uint64_t *accepted; /* optional: the cycle each record was accepted on (n entries) */
};

/* Clocks the model needs per accepted record at most (back to back): 2 for the reference (the RAM's read port is
 * used twice per frame), 2 x 448 / S for the stepping unit (both vectors hashed). */
static uint64_t max_clocks_per_record(void)
{
    unsigned s = tw_dgm_hash_step_bits();
    return s ? 2 * TW_DIGEST_VEC_BYTES * 8 / s : 2;
}

/* Runs recs[0..n) through a fresh reference and the (reset) model and compares every result field. */
static void run_compare(struct tw_dgm *hw, const struct tw_meta *recs, size_t n, uint64_t window_ns,
                        const struct run_opts *o, struct run_stats *st)
{
    struct ref r;
    ref_open(&r, window_ns);
    struct tw_dg_res *exp = calloc(n ? n : 1, sizeof *exp);
    uint8_t *bits = calloc(n ? n : 1, TW_M_BYTES);
    assert_non_null(exp);
    assert_non_null(bits);
    for (size_t i = 0; i < n; i++) {
        ref_frame(&r, &recs[i], &exp[i]);
        tw_meta_pack(&recs[i], bits + i * TW_M_BYTES);
    }
    tw_dgm_reset(hw);
    tw_dgm_set_window(hw, window_ns);
    uint64_t rng = o->seed | 1;
    size_t in = 0, out = 0;
    uint64_t limit = (40 + 2 * max_clocks_per_record()) * (uint64_t)n * (o->bp_long ? 2 : 1) + 1000, cyc = 0;
    while (out < n) {
        assert_true(cyc++ < limit);
        int idle = o->gap_pct && st_rand(&rng) % 100 < o->gap_pct;
        int drive = in < n && !idle;
        tw_dgm_drive(hw, drive ? bits + in * TW_M_BYTES : NULL, (uint32_t)in);
        int ready = !(o->bp_pct && st_rand(&rng) % 100 < o->bp_pct) && !(o->bp_long && cyc / o->bp_long % 2 == 0);
        tw_dgm_out_ready(hw, ready);
        int took = drive && tw_dgm_in_ready(hw);
        struct tw_dg_res g;
        if (ready && tw_dgm_out(hw, &g)) {
            const struct tw_dg_res *e = &exp[out];
            if (g.user != out || g.mirror != e->mirror || g.looked_up != e->looked_up || g.inserted != e->inserted ||
                g.replaced != e->replaced || g.tag_in != e->tag_in || g.tag_out != e->tag_out) {
                print_error("frame %zu: rtl user %u mirror %u lookup %u insert %u replaced %u tags %016llx %016llx\n"
                            "           ref mirror %u lookup %u insert %u replaced %u tags %016llx %016llx\n",
                            out, g.user, g.mirror, g.looked_up, g.inserted, g.replaced,
                            (unsigned long long)g.tag_in, (unsigned long long)g.tag_out, e->mirror, e->looked_up,
                            e->inserted, e->replaced, (unsigned long long)e->tag_in,
                            (unsigned long long)e->tag_out);
                fail();
            }
            st->mirrors += g.mirror;
            st->replaced += g.replaced;
            st->lookups += g.looked_up;
            st->inserts += g.inserted;
            out++;
        }
        tw_dgm_tick(hw);
        if (took) {
            if (st->accepted)
                st->accepted[in] = cyc;
            in++;
        }
    }
    /* nothing more comes out */
    for (int k = 0; k < 8; k++) {
        tw_dgm_drive(hw, NULL, 0);
        tw_dgm_out_ready(hw, 1);
        assert_false(tw_dgm_out(hw, NULL));
        tw_dgm_tick(hw);
    }
    st->frames += n;
    st->cycles += cyc;
    /* the reference counted what the model reported */
    assert_int_equal(r.d->st.digest_replaced, st->replaced);
    free(exp);
    free(bits);
    ref_close(&r);
}

static int setup(void **state)
{
    struct tw_dgm *hw = tw_dgm_new();
    if (!hw)
        return -1;
    *state = hw;
    return 0;
}

static int teardown(void **state)
{
    tw_dgm_free(*state);
    return 0;
}

static const struct run_opts BACK_TO_BACK = {0, 0, 1, 0};

#define WIN 100000000ull /* 100 ms */
#define T0 1700000000000000000ull

/* An original and its copy (the original re-encapsulated: inner = original's outer) on consecutive cycles. */
static void test_copy_back_to_back(void **state)
{
    uint64_t rng = 11;
    struct tw_meta recs[64];
    for (unsigned i = 0; i < 64; i += 2) {
        st_plain(&recs[i], &rng, T0 + i * 1000ull);
        st_copy_of(&recs[i + 1], &recs[i], &rng, T0 + i * 1000ull + 10);
    }
    struct run_stats s = {0};
    run_compare(*state, recs, 64, WIN, &BACK_TO_BACK, &s);
    assert_int_equal(s.mirrors, 32); /* every copy is found */
}

/* The same packet many times in a row (a retransmission storm): each refreshes the same way. Then copies of it. */
static void test_identical_back_to_back(void **state)
{
    uint64_t rng = 12;
    struct tw_meta recs[40];
    st_plain(&recs[0], &rng, T0);
    for (unsigned i = 1; i < 20; i++) {
        recs[i] = recs[0];
        recs[i].ts = T0 + i * (WIN / 8); /* refreshed every 12.5 ms: stays live although older than the window */
    }
    for (unsigned i = 20; i < 40; i++)
        st_copy_of(&recs[i], &recs[0], &rng, T0 + 19 * (WIN / 8) + (i - 20) * (WIN / 10));
    struct run_stats s = {0};
    run_compare(*state, recs, 40, WIN, &BACK_TO_BACK, &s);
    assert_true(s.mirrors > 0 && s.mirrors < 20); /* the later copies fall out of the window */
}

/* Window edges: exactly WIN old is a hit, WIN + 1 is not; a copy older than its original (time going backwards)
 * is not; a window of 0 hits only at the same ns. */
static void test_window_edges(void **state)
{
    uint64_t rng = 13;
    struct tw_meta recs[12];
    uint64_t t = T0;
    st_plain(&recs[0], &rng, t);
    st_copy_of(&recs[1], &recs[0], &rng, t + WIN);         /* inside: hit */
    st_copy_of(&recs[2], &recs[0], &rng, t + WIN + 1);     /* outside */
    st_plain(&recs[3], &rng, t + 5 * WIN);
    st_copy_of(&recs[4], &recs[3], &rng, t + 5 * WIN - 1); /* now < ts: miss */
    st_copy_of(&recs[5], &recs[3], &rng, t + 5 * WIN);     /* same ns: hit */
    st_plain(&recs[6], &rng, t + 9 * WIN);
    st_copy_of(&recs[7], &recs[6], &rng, t + 10 * WIN - 1);
    st_copy_of(&recs[8], &recs[6], &rng, t + 10 * WIN);
    st_copy_of(&recs[9], &recs[6], &rng, t + 10 * WIN + 1);
    st_plain(&recs[10], &rng, 0);                         /* ts 0 works like any other */
    st_copy_of(&recs[11], &recs[10], &rng, 0);
    struct tw_dg_res want[12];
    struct run_stats s = {0};
    run_compare(*state, recs, 12, WIN, &BACK_TO_BACK, &s);
    /* and the decisions are the documented ones, not only equal to the reference */
    struct ref r;
    ref_open(&r, WIN);
    for (unsigned i = 0; i < 12; i++)
        ref_frame(&r, &recs[i], &want[i]);
    ref_close(&r);
    const uint8_t expect[12] = {0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1};
    for (unsigned i = 0; i < 12; i++)
        assert_int_equal(want[i].mirror, expect[i]);
    assert_int_equal(s.mirrors, 5);
}

/* A window of 0: only a copy with the same timestamp hits. */
static void test_window_zero(void **state)
{
    uint64_t rng = 14;
    struct tw_meta recs[4];
    st_plain(&recs[0], &rng, T0);
    st_copy_of(&recs[1], &recs[0], &rng, T0);
    st_copy_of(&recs[2], &recs[0], &rng, T0 + 1);
    st_copy_of(&recs[3], &recs[0], &rng, T0);
    struct run_stats s = {0};
    run_compare(*state, recs, 4, 0, &BACK_TO_BACK, &s);
    assert_int_equal(s.mirrors, 2);
}

/* Layers whose outer tag falls in one set: replacement of the oldest way, lowest way on a tie, refresh of the
 * same tag, the `replaced` flag inside and outside the window. */
static void test_set_overflow(void **state)
{
    uint64_t rng = 15;
    struct tw_meta pool[6];
    st_same_key(pool, 6, &rng, 77, st_digest_set);
    struct tw_meta recs[64];
    unsigned n = 0;
    uint64_t t = T0;
    /* fill both ways, a third replaces the oldest (way 0) while it is live; a copy of the first then misses */
    for (unsigned i = 0; i < 3; i++) {
        recs[n] = pool[i];
        recs[n++].ts = t + i;
    }
    st_copy_of(&recs[n++], &pool[0], &rng, t + 3);
    st_copy_of(&recs[n++], &pool[1], &rng, t + 3);
    st_copy_of(&recs[n++], &pool[2], &rng, t + 3);
    /* equal timestamps: the lowest way goes */
    for (unsigned i = 3; i < 6; i++) {
        recs[n] = pool[i];
        recs[n++].ts = t + 10;
    }
    st_copy_of(&recs[n++], &pool[3], &rng, t + 10);
    st_copy_of(&recs[n++], &pool[4], &rng, t + 10);
    st_copy_of(&recs[n++], &pool[5], &rng, t + 10);
    /* a refresh keeps its way: pool[4] again, then pool[0] replaces pool[5] (the older of the two) */
    recs[n] = pool[4];
    recs[n++].ts = t + 20;
    recs[n] = pool[0];
    recs[n++].ts = t + 21;
    st_copy_of(&recs[n++], &pool[4], &rng, t + 22);
    st_copy_of(&recs[n++], &pool[5], &rng, t + 22);
    /* far later: replacing ways that are out of the window is not a `replaced` */
    recs[n] = pool[1];
    recs[n++].ts = t + 10 * WIN;
    recs[n] = pool[2];
    recs[n++].ts = t + 10 * WIN;
    recs[n] = pool[3];
    recs[n++].ts = t + 10 * WIN + 1;
    struct run_stats s = {0};
    run_compare(*state, recs, n, WIN, &BACK_TO_BACK, &s);
    assert_true(s.replaced >= 3);
    assert_true(s.mirrors >= 4);
}

/* Random mixes: most outer digests fall in a few sets (conflicts between consecutive frames), copies of recent
 * frames, frames without IP, inner without outer, time steps around the window; with and without stalls. */
static void random_mix(void **state, uint64_t seed, size_t n, const struct run_opts *o)
{
    uint64_t rng = seed;
    struct tw_meta pool[24];
    st_same_key(pool, 12, &rng, 1234, st_digest_set);
    st_same_key(pool + 12, 12, &rng, 1235, st_digest_set);
    struct tw_meta *recs = calloc(n, sizeof *recs);
    assert_non_null(recs);
    uint64_t t = T0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = st_rand(&rng) % 100;
        t += k < 40 ? 0 : k < 70 ? st_rand(&rng) % 1000 : k < 95 ? st_rand(&rng) % (WIN / 2) : WIN + (k & 1);
        uint64_t c = st_rand(&rng) % 100;
        if (c < 30) {
            recs[i] = pool[st_rand(&rng) % 24];
            recs[i].ts = t;
        } else if (c < 70 && i) {
            size_t back = 1 + st_rand(&rng) % (i < 8 ? i : 8);
            st_copy_of(&recs[i], &recs[i - back], &rng, t);
        } else if (c < 80) {
            st_plain(&recs[i], &rng, t);
            recs[i].o_ip_ver = (uint8_t)(st_rand(&rng) % 3); /* no outer IP (0, 1, 2) */
            recs[i].inner = 1;
            st_layer_random(&recs[i], 1, &rng);
        } else {
            st_plain(&recs[i], &rng, t);
        }
    }
    struct run_stats s = {0};
    run_compare(*state, recs, n, WIN, o, &s);
    printf("random seed %llu: %llu frames, %llu cycles, %llu mirror copies, %llu replaced\n",
           (unsigned long long)seed, (unsigned long long)s.frames, (unsigned long long)s.cycles,
           (unsigned long long)s.mirrors, (unsigned long long)s.replaced);
    assert_true(s.mirrors > 0);
    assert_true(s.replaced > 0);
    free(recs);
}

static void test_random_back_to_back(void **state)
{
    random_mix(state, 101, 20000, &BACK_TO_BACK);
}

static void test_random_stalls(void **state)
{
    const struct run_opts o = {30, 40, 7, 0};
    random_mix(state, 202, 20000, &o);
}

/* The sink stops for 300 cycles at a time: the result FIFO fills, and the input must stop with it (the credit
 * counts every frame in flight, the stepping stage's too); nothing is lost or reordered. */
static void test_output_blocked(void **state)
{
    const struct run_opts o = {10, 10, 9, 300};
    random_mix(state, 303, 5000, &o);
}

/* The accept rate, to the clock, records offered back to back: the reference takes a record every 2 clocks
 * whatever it holds; the stepping unit (S bits per clock, N = 448 / S) every 2N clocks with an inner IP packet, every
 * N clocks (at least 2) with an outer IP header only, every 2 clocks without IP. The results stay the reference's. */
static void accept_rate(void **state, const struct tw_meta *recs, size_t n, uint64_t want)
{
    uint64_t acc[32];
    assert_true(n <= 32);
    struct run_stats s = {0};
    s.accepted = acc;
    run_compare(*state, recs, n, WIN, &BACK_TO_BACK, &s);
    assert_int_equal(acc[0], 1); /* the first record on the first cycle */
    for (size_t i = 1; i < n; i++) {
        uint64_t d = acc[i] - acc[i - 1];
        /* while the empty pipeline fills (the first two), a record may come sooner; then exactly `want` */
        int ok = i < 3 ? d >= 1 && d <= want : d == want;
        if (!ok)
            print_error("record %zu accepted %llu clocks after the previous one, want %llu\n", i,
                        (unsigned long long)d, (unsigned long long)want);
        assert_true(ok);
    }
}

static void test_accept_rate(void **state)
{
    unsigned sb = tw_dgm_hash_step_bits();
    uint64_t nvec = sb ? TW_DIGEST_VEC_BYTES * 8 / sb : 1;
    uint64_t rng = 16;
    struct tw_meta recs[24];
    for (unsigned i = 0; i < 24; i++) /* outer IP header only */
        st_plain(&recs[i], &rng, T0 + i);
    accept_rate(state, recs, 24, sb ? (nvec > 3 ? nvec : 3) : 3);
    for (unsigned i = 0; i < 24; i++) /* outer and inner: copies of each other */
        st_copy_of(&recs[i], &recs[i ? i - 1 : 0], &rng, T0 + i);
    accept_rate(state, recs, 24, sb ? (2 * nvec > 3 ? 2 * nvec : 3) : 3);
    for (unsigned i = 0; i < 24; i++) { /* no IP at all */
        st_plain(&recs[i], &rng, T0 + i);
        recs[i].o_ip_ver = 0;
    }
    accept_rate(state, recs, 24, 3);
    printf("HASH_STEP_BITS %u: a record every %llu clocks with an inner packet, %llu with an outer IP header only, "
           "3 without IP\n",
           sb, (unsigned long long)(sb ? (2 * nvec > 3 ? 2 * nvec : 3) : 3),
           (unsigned long long)(sb ? (nvec > 3 ? nvec : 3) : 3));
}

/* Every frame of the shared capture corpus dissected by tw_dissect(), records back to back into the model; behind
 * every 7th IP frame a mirror copy of it made from its bytes (IP-in-IP, TTL - 1) and dissected too, inside the
 * window, exactly at its edge, or 1 ns outside. */
static void test_captures(void **state)
{
    struct st_corpus c;
    if (st_corpus_open(&c) != 0) {
        printf("skip: capture folder %s not found (set TAPWATCH_CAPTURES=DIR)\n", c.dir);
        skip();
    }
    struct tw_meta *recs = NULL;
    size_t n = 0;
    assert_int_equal(st_corpus_records_copies(&c, &recs, &n, 7, WIN), 0);
    st_corpus_close(&c);
    assert_true(n > 0);
    struct run_stats s = {0};
    run_compare(*state, recs, n, WIN, &BACK_TO_BACK, &s);
    assert_true(s.mirrors > 0);
    printf("corpus: %llu records, %llu lookups, %llu inserts, %llu mirror copies, %llu replaced, %llu cycles\n",
           (unsigned long long)n, (unsigned long long)s.lookups, (unsigned long long)s.inserts,
           (unsigned long long)s.mirrors, (unsigned long long)s.replaced, (unsigned long long)s.cycles);
    free(recs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_back_to_back),
        cmocka_unit_test(test_identical_back_to_back),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_window_zero),
        cmocka_unit_test(test_set_overflow),
        cmocka_unit_test(test_random_back_to_back),
        cmocka_unit_test(test_random_stalls),
        cmocka_unit_test(test_output_blocked),
        cmocka_unit_test(test_accept_rate),
        cmocka_unit_test(test_captures),
    };
    printf("digest table model: HASH_STEP_BITS %u\n", tw_dgm_hash_step_bits());
    return cmocka_run_group_tests(tests, setup, teardown);
}
