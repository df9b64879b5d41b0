/* The detection front (rtl/tw_detect_front.v: flow table + digest table + match engine, Verilated through
 * sim/front_model.h) against the software reference's stage functions in the reference's order per frame
 * (host/src/detect.c): flow access (tw_flow_key_of / tw_flow_access), digest lookup of the inner packet then insert
 * of the outer header (tw_digest_vec / tag / lookup / insert), the rules with that mirror bit (tw_detect_match:
 * vendor sets, alert vector after pass suppression, counts), the alert write-back, then the sweep; tw_flow_flush at
 * the end. Both get the same compiled tables (the front through its table port, sim/engine_load.c). Compared: every
 * candidate field for field (the carried metadata record byte for byte), frame for frame, every flow record field
 * for field in order with its sequence number, and the counters.
 * Traffic: examples/backhaul.yaml on generated frames with mirror copies and short timeouts; random tables and
 * records; every frame matching every rule; flows crowded into a few buckets (evictions); random back-pressure on
 * both outputs; the alert write-back (paced, docs/engine-front.md); the shared capture corpus (../shared/captures or
 * TAPWATCH_CAPTURES=DIR; skipped with a message when absent); settings from the SETTINGS command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect_int.h"
#include "eng_gen.h"
#include "eng_test.h"
#include "front_model.h"
#include "state_testlib.h"
#include "tapwatch/detect.h"
#include "tapwatch/detect_match.h"
#include "tapwatch/dissect.h"
#include "tapwatch/meta.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

#define T0 1700000000000000000ull
#define MS 1000000ull

static struct tw_tables *compile_file(const char *path)
{
    char err[512];
    struct tw_config *cfg = NULL;
    if (tw_config_load(path, &cfg, err, sizeof err))
        fail_msg("%s: %s", path, err);
    struct tw_tables *t = NULL;
    if (tw_compile(cfg, NULL, &t, err, sizeof err))
        fail_msg("compile %s: %s", path, err);
    tw_config_free(cfg);
    return t;
}

/* ---- the reference ---- */
struct recs {
    struct tw_flow_rec *r;
    size_t n, cap;
};

static void sink_flow(void *ctx, const struct tw_flow_rec *f)
{
    struct recs *l = ctx;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        struct tw_flow_rec *p = realloc(l->r, nc * sizeof *p);
        assert_non_null(p);
        l->r = p;
        l->cap = nc;
    }
    l->r[l->n++] = *f;
}

struct ref {
    const struct tw_tables *t;
    struct tw_detector *d;
    struct recs out;
};

static void ref_open(struct ref *r, const struct tw_tables *t)
{
    memset(r, 0, sizeof *r);
    r->t = t;
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    tw_detect_params_from_tables(&p, t);
    struct tw_detect_sink sink = {&r->out, NULL, sink_flow};
    assert_int_equal(tw_detector_create(&r->d, &p, t, &sink), 0);
}

static void ref_close(struct ref *r)
{
    tw_detector_destroy(r->d);
    free(r->out.r);
}

static unsigned popcount(const uint8_t *v, size_t n)
{
    unsigned c = 0;
    for (size_t i = 0; i < n; i++)
        c += (unsigned)__builtin_popcount(v[i]);
    return c;
}

/* One frame through the reference's stages; *c: the candidate the front must give. writeback: the alert stage
 * writes `alerted` back for a frame with an alert (as an alert stage without thresholds would). */
static void ref_frame(struct ref *r, const struct tw_meta *m, int writeback, struct tw_fr_cand *c)
{
    struct tw_detector *d = r->d;
    memset(c, 0, sizeof *c);
    struct tw_flow_ent *x = NULL;
    struct tw_flow_key k;
    int rev = 0;
    if (tw_flow_key_of(m, &k, &rev)) {
        uint32_t h = tw_flow_prepare(d, &k);
        int tc = 0;
        x = tw_flow_access(d, m, &k, rev, h, m->len, &tc);
        unsigned b = h & (d->p.flow_buckets - 1);
        c->flow = 1;
        c->toclient = (uint8_t)tc;
        c->bucket = b;
        c->way = (unsigned)(x - (d->flows.ent + (size_t)b * d->p.flow_ways));
        c->flow_id = x->flow_id;
        c->pkts_ts = x->pkts_ts;
        c->pkts_tc = x->pkts_tc;
        c->bytes_ts = x->bytes_ts;
        c->bytes_tc = x->bytes_tc;
    }
    uint8_t v[TW_DIGEST_VEC_BYTES];
    int mc = 0;
    if (m->inner && tw_digest_vec(m, 1, v))
        mc = tw_digest_lookup(d, tw_digest_tag(&d->hash, v), m->ts);
    if (tw_digest_vec(m, 0, v))
        tw_digest_insert(d, tw_digest_tag(&d->hash, v), m->ts);
    struct tw_match_result mr;
    tw_detect_match(r->t, m, mc, &mr);
    c->mirror = (uint8_t)mc;
    memcpy(c->vs, mr.vs, 4);
    memcpy(c->alerts, mr.matchv, sizeof c->alerts); /* the candidate carries the whole match vector */
    c->n_alerts = (uint16_t)popcount(mr.alerts, sizeof mr.alerts);
    c->matches = (uint16_t)mr.matches;
    c->suppressed = (uint16_t)mr.suppressed;
    assert_int_equal(c->n_alerts, mr.n + mr.overflow);
    if (writeback && x && c->n_alerts)
        x->alerted = 1;
    tw_flow_sweep(d, m->ts);
    tw_meta_pack(m, c->meta);
}

/* ---- comparisons ---- */
static int cand_same(const struct tw_fr_cand *h, const struct tw_fr_cand *e, int bank, size_t k)
{
    int ok = h->mirror == e->mirror && h->flow == e->flow && h->toclient == e->toclient && h->bank == bank &&
             h->bucket == e->bucket && h->way == e->way && h->flow_id == e->flow_id && h->pkts_ts == e->pkts_ts &&
             h->pkts_tc == e->pkts_tc && h->bytes_ts == e->bytes_ts && h->bytes_tc == e->bytes_tc &&
             memcmp(h->vs, e->vs, 4) == 0 && h->n_alerts == e->n_alerts && h->matches == e->matches &&
             h->suppressed == e->suppressed && h->reserved == 0 && h->seq == k;
    int av = memcmp(h->alerts, e->alerts, sizeof e->alerts) == 0;
    int me = memcmp(h->meta, e->meta, sizeof e->meta) == 0;
    if (!ok)
        print_error("candidate %zu (seq %llu): rtl mc %u flow %u tc %u bank %u b/w %u/%u id %llu p %llu/%llu "
                    "B %llu/%llu vs %02x%02x%02x%02x n %u m %u s %u rsvd %u\n"
                    "                 ref mc %u flow %u tc %u bank %d b/w %u/%u id %llu p %llu/%llu "
                    "B %llu/%llu vs %02x%02x%02x%02x n %u m %u s %u\n",
                    k, (unsigned long long)h->seq, h->mirror, h->flow, h->toclient, h->bank, h->bucket, h->way,
                    (unsigned long long)h->flow_id, (unsigned long long)h->pkts_ts, (unsigned long long)h->pkts_tc,
                    (unsigned long long)h->bytes_ts, (unsigned long long)h->bytes_tc, h->vs[0], h->vs[1], h->vs[2],
                    h->vs[3], h->n_alerts, h->matches, h->suppressed, h->reserved, e->mirror, e->flow, e->toclient,
                    bank, e->bucket, e->way, (unsigned long long)e->flow_id, (unsigned long long)e->pkts_ts,
                    (unsigned long long)e->pkts_tc, (unsigned long long)e->bytes_ts,
                    (unsigned long long)e->bytes_tc, e->vs[0], e->vs[1], e->vs[2], e->vs[3], e->n_alerts,
                    e->matches, e->suppressed);
    if (!av)
        print_error("candidate %zu: match vectors differ\n", k);
    if (!me)
        print_error("candidate %zu: the metadata record differs from the one given\n", k);
    return ok && av && me;
}

static int rec_same(const struct tw_fr_rec *h, const struct tw_flow_rec *e, size_t k)
{
    const struct tw_flow_rec *a = &h->r;
    int ok = a->flow_id == e->flow_id && a->ip_ver == e->ip_ver && a->proto == e->proto && a->vlan == e->vlan &&
             memcmp(a->cli_ip, e->cli_ip, 16) == 0 && memcmp(a->srv_ip, e->srv_ip, 16) == 0 &&
             a->cli_port == e->cli_port && a->srv_port == e->srv_port && a->pkts_toserver == e->pkts_toserver &&
             a->pkts_toclient == e->pkts_toclient && a->bytes_toserver == e->bytes_toserver &&
             a->bytes_toclient == e->bytes_toclient && a->first_ts == e->first_ts && a->last_ts == e->last_ts &&
             a->tcp_flags_ts == e->tcp_flags_ts && a->tcp_flags_tc == e->tcp_flags_tc && a->state == e->state &&
             a->reason == e->reason && a->alerted == e->alerted && h->seq == (uint32_t)k && h->pad == 0;
    if (!ok)
        print_error("flow record %zu: rtl seq %u id %llu reason %u state %u alerted %u p %llu/%llu B %llu/%llu "
                    "ts %llu..%llu ports %u/%u proto %u v%u vlan %u\n"
                    "                ref        id %llu reason %u state %u alerted %u p %llu/%llu B %llu/%llu "
                    "ts %llu..%llu ports %u/%u proto %u v%u vlan %u\n",
                    k, h->seq, (unsigned long long)a->flow_id, a->reason, a->state, a->alerted,
                    (unsigned long long)a->pkts_toserver, (unsigned long long)a->pkts_toclient,
                    (unsigned long long)a->bytes_toserver, (unsigned long long)a->bytes_toclient,
                    (unsigned long long)a->first_ts, (unsigned long long)a->last_ts, a->cli_port, a->srv_port,
                    a->proto, a->ip_ver, a->vlan, (unsigned long long)e->flow_id, e->reason, e->state, e->alerted,
                    (unsigned long long)e->pkts_toserver, (unsigned long long)e->pkts_toclient,
                    (unsigned long long)e->bytes_toserver, (unsigned long long)e->bytes_toclient,
                    (unsigned long long)e->first_ts, (unsigned long long)e->last_ts, e->cli_port, e->srv_port,
                    e->proto, e->ip_ver, e->vlan);
    return ok;
}

struct opts {
    unsigned gap;               /* clocks between records (4 = line rate) */
    unsigned cand_pct, rec_pct; /* ready of the outputs, percent */
    int writeback, pace;
    int flush_early;            /* raise flush_req while records are still inside the front */
    unsigned wb_delay;          /* clocks from a candidate to its verdict on s_alert (beyond the next clock) */
};

struct outcome {
    size_t frames, recs, mirror, alerting, evicted, timeouts, alerted;
    uint64_t cycles, stalls;
};

/* The records through the front and the reference; everything compared. */
static struct outcome run_compare(const struct tw_tables *t, const struct tw_meta *ms, size_t n,
                                  const struct opts *o, const char *name)
{
    struct outcome out;
    memset(&out, 0, sizeof out);
    struct tw_fr *f = tw_fr_new();
    assert_non_null(f);
    assert_int_equal(tw_fr_load(f, t, TW_ENG_LOAD_ALL, 0), 0);
    assert_int_equal(tw_fr_run(f, 1000000), 0);
    int bank = tw_fr_bank(f);
    uint64_t c0 = tw_fr_cycles(f);
    tw_fr_ready(f, o->cand_pct, o->rec_pct, 0x5eed + n);
    tw_fr_alerts(f, o->writeback);
    tw_fr_wb_delay(f, o->wb_delay);
    tw_fr_pace(f, o->pace);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tw_fr_push(f, &ms[i], o->gap), 0);
    if (o->flush_early) {
        for (uint64_t k = 0; k < (uint64_t)n * 400 && tw_fr_queued(f); k++)
            tw_fr_step(f, 1);
        assert_int_equal(tw_fr_queued(f), 0);
        assert_true(tw_fr_inside(f) > 0); /* the flush request meets records in flight */
    } else {
        assert_int_equal(tw_fr_run(f, (uint64_t)n * 400 + 100000), 0);
    }
    assert_int_equal(tw_fr_flush(f, 1000000), 0);
    out.cycles = tw_fr_cycles(f) - c0;
    out.stalls = tw_fr_meta_stalls(f);

    struct ref r;
    ref_open(&r, t);
    struct tw_fr_cand *exp = calloc(n ? n : 1, sizeof *exp);
    assert_non_null(exp);
    for (size_t i = 0; i < n; i++)
        ref_frame(&r, &ms[i], o->writeback, &exp[i]);
    tw_flow_flush(r.d);

    const struct tw_fr_cand *hc;
    size_t nc = tw_fr_cands(f, &hc);
    assert_int_equal(nc, n);
    uint64_t sum_mc = 0, sum_al = 0, sum_m = 0, sum_s = 0, wb = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cand_same(&hc[i], &exp[i], bank, i))
            fail_msg("%s: candidate %zu differs from the reference", name, i);
        sum_mc += exp[i].mirror;
        sum_al += exp[i].n_alerts;
        sum_m += exp[i].matches;
        sum_s += exp[i].suppressed;
        wb += exp[i].n_alerts && exp[i].flow;
        out.alerting += exp[i].n_alerts != 0;
    }
    const struct tw_fr_rec *hr;
    size_t nr = tw_fr_recs(f, &hr);
    if (nr != r.out.n)
        fail_msg("%s: %zu flow records from the RTL, %zu from the reference", name, nr, r.out.n);
    for (size_t i = 0; i < nr; i++) {
        struct tw_flow_rec e = r.out.r[i];
        out.alerted += e.alerted;
        if (!rec_same(&hr[i], &e, i))
            fail_msg("%s: flow record %zu differs from the reference", name, i);
        out.evicted += r.out.r[i].reason == TW_FLOW_EVICTED;
        out.timeouts += r.out.r[i].reason == TW_FLOW_TIMEOUT || r.out.r[i].reason == TW_FLOW_HARD_TIMEOUT;
    }
    /* the shutdown records come after every candidate (the flush waits for the front to be empty) */
    for (size_t i = 0; i < nr; i++)
        if (hr[i].r.reason == TW_FLOW_SHUTDOWN && n)
            assert_true(hr[i].t_out > hc[n - 1].t_out);
    struct tw_fr_counters c;
    tw_fr_counters(f, &c);
    assert_int_equal(c.records, n);
    assert_int_equal(c.cands, n);
    assert_int_equal(c.eng_frames, n);
    assert_int_equal(c.recs, nr);
    assert_int_equal(c.dg_mirror, sum_mc);
    assert_int_equal(c.eng_alerts + c.eng_overflow, sum_al);
    assert_int_equal(c.eng_matches, sum_m);
    assert_int_equal(c.eng_suppressed, sum_s);
    assert_int_equal(c.fl_created, r.d->st.flows_created);
    assert_int_equal(c.fl_evicted, r.d->st.flows_evicted);
    assert_int_equal(c.dg_inserts, r.d->st.digest_inserts);
    assert_int_equal(c.dg_replaced, r.d->st.digest_replaced);
    assert_int_equal(c.alert_ops, o->writeback ? wb : 0);
    assert_int_equal(c.window_ns, r.d->p.mirror_window_ns);
    assert_int_equal(c.idle_ns, r.d->p.flow_idle_ns);
    assert_int_equal(c.hard_ns, r.d->p.flow_hard_ns);
    assert_int_equal(c.wr_bad, 0);
    out.frames = n;
    out.recs = nr;
    out.mirror = (size_t)sum_mc;
    print_message("%s: %zu frames, %zu mirror copies, %zu alerting, %zu flow records (%zu evicted, %zu timed out, "
                  "%zu alerted), %llu clocks, %llu input stall clocks: all equal to the reference\n",
                  name, n, out.mirror, out.alerting, nr, out.evicted, out.timeouts, out.alerted,
                  (unsigned long long)out.cycles, (unsigned long long)out.stalls);
    free(exp);
    ref_close(&r);
    tw_fr_free(f);
    return out;
}

/* ---- traffic ---- */
/* n records of generated frames (eng_gen.h) dissected by tw_dissect, ts advancing by 0..max_step ns; behind every
 * 6th frame with an IP header a mirror copy of it (IP-in-IP, state_testlib) 5 us later. */
static struct tw_meta *gen_backhaul(size_t n, uint64_t seed, uint64_t max_step)
{
    struct tw_meta *ms = calloc(n, sizeof *ms);
    assert_non_null(ms);
    struct gen g = {.seed = seed};
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    uint64_t ts = T0, rng = seed ^ 0x77;
    for (size_t i = 0; i < n;) {
        struct twf fr;
        gen_frame(&g, &fr);
        ts += eng_rand(&g.seed) % (max_step + 1);
        tw_dissect(&dc, fr.b, fr.n, 0, ts, (unsigned)(i & 1), (uint32_t)(i >> 1), &ms[i]);
        i++;
        if (i < n && (ms[i - 1].o_ip_ver == 4 || ms[i - 1].o_ip_ver == 6) && eng_rn(&g.seed, 6) == 0) {
            st_copy_of(&ms[i], &ms[i - 1], &rng, ts + 5000);
            ms[i].port = (uint8_t)(i & 1);
            i++;
        }
    }
    return ms;
}

static void short_timeouts(struct tw_tables *t)
{
    t->settings.flow_timeout_s = 1;
    t->settings.flow_hard_timeout_s = 3;
    t->settings.mirror_window_ms = 100;
}

static void test_backhaul_line_rate(void **st)
{
    (void)st;
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    short_timeouts(t);
    enum { N = 4000 };
    struct tw_meta *ms = gen_backhaul(N, 0xbac4, 4 * MS);
    struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 100};
    struct outcome r = run_compare(t, ms, N, &o, "backhaul, line rate");
    assert_true(r.mirror > 100);
    assert_true(r.alerting > 100);
    assert_true(r.timeouts > 50);
    assert_int_equal(r.stalls, 0); /* one record every 4 clocks is taken as offered */
    free(ms);
    tw_tables_free(t);
}

/* the alert write-back: every alerting frame's flow gets `alerted`, as in the reference (paced: each record enters
 * once the previous one's write-back was taken) */
static void test_backhaul_alerted(void **st)
{
    (void)st;
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    short_timeouts(t);
    enum { N = 1500 };
    struct tw_meta *ms = gen_backhaul(N, 0xa1e47, 6 * MS);
    struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 100, .writeback = 1, .pace = 1};
    struct outcome r = run_compare(t, ms, N, &o, "backhaul, alert write-back");
    assert_true(r.alerting > 50);
    assert_true(r.timeouts > 20);
    free(ms);
    tw_tables_free(t);
}

/* the write-back at line rate (not paced) with flows crowded into one bucket, so that flows are evicted while
 * their write-back is on its way: every field equal to the reference's, `alerted` included, with the verdict the
 * clock after the candidate (an alert stage without latency), 60 clocks later (more than the real alert stage's for
 * a frame with a few matches) and 300 clocks later (beyond the hold queue at line rate: the input stalls, nothing
 * is lost) */
static unsigned key_bucket(const struct tw_meta *m);
static void test_alerted_line_rate(void **st)
{
    (void)st;
    uint64_t seed = 0x1a6;
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    short_timeouts(t);
    enum { N = 3000 };
    struct tw_meta *gen = gen_backhaul(N, 0x1a6, 2 * MS);
    struct tw_meta pool[40];
    uint64_t rng = 0x77;
    st_same_key(pool, 40, &rng, 1234, key_bucket); /* 40 flows of one bucket: evictions on most frames */
    for (unsigned i = 0; i < N; i++)
        if (eng_rn(&seed, 2) && gen[i].o_ip_ver == 4) { /* the outer 5-tuple of a crowded flow */
            const struct tw_meta *k = &pool[eng_rn(&seed, 40)];
            memcpy(gen[i].o_ip_src, k->o_ip_src, 16);
            memcpy(gen[i].o_ip_dst, k->o_ip_dst, 16);
            gen[i].o_ip_ver = k->o_ip_ver;
            gen[i].o_ip_proto = k->o_ip_proto;
            gen[i].o_l4 = k->o_l4;
            gen[i].o_sport = k->o_sport;
            gen[i].o_dport = k->o_dport;
            gen[i].o_vlan_n = k->o_vlan_n;
            gen[i].o_vlan0_tci = k->o_vlan0_tci;
        }
    static const unsigned delay[3] = {0, 60, 300};
    for (unsigned k = 0; k < 3; k++) {
        struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 100, .writeback = 1, .wb_delay = delay[k]};
        char name[64];
        snprintf(name, sizeof name, "write-back at line rate, verdict +%u clocks", delay[k]);
        struct outcome r = run_compare(t, gen, N, &o, name);
        assert_true(r.evicted > 200);
        assert_true(r.alerted > 50);
        if (delay[k] <= 60)
            assert_int_equal(r.stalls, 0); /* the hold queue covers the verdict's latency at line rate */
        else
            assert_true(r.stalls > 0);
    }
    free(gen);
    tw_tables_free(t);
}

/* flush_req raised while records are still inside the front: it waits for them, then every flow shuts down */
static void test_flush_in_flight(void **st)
{
    (void)st;
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    enum { N = 600 };
    struct tw_meta *ms = gen_backhaul(N, 0xf105, 1 * MS);
    struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 100, .flush_early = 1};
    struct outcome r = run_compare(t, ms, N, &o, "flush in flight");
    assert_true(r.recs > 100);
    free(ms);
    tw_tables_free(t);
}

/* random tables (256 random rules, prefixes, ports, OUIs) and random records, random input gaps */
static void test_random_tables(void **st)
{
    (void)st;
    uint64_t seed = 0xf40417;
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    eng_rand_tables(&seed, t, TW_CAP_RULES, 800);
    short_timeouts(t);
    enum { N = 3000 };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    uint64_t ts = T0;
    for (unsigned i = 0; i < N; i++) {
        eng_rand_meta(&seed, &ms[i], 800, i);
        ts += eng_rand(&seed) % (3 * MS);
        ms[i].ts = ts;
        if (i > 0 && eng_rn(&seed, 4) == 0) { /* the same flow again, either way */
            struct tw_meta k = ms[i - 1 - eng_rn(&seed, i < 20 ? i : 20)];
            memcpy(ms[i].o_ip_src, k.o_ip_src, 16);
            memcpy(ms[i].o_ip_dst, k.o_ip_dst, 16);
            ms[i].o_ip_ver = k.o_ip_ver;
            ms[i].o_ip_proto = k.o_ip_proto;
            ms[i].o_sport = k.o_sport;
            ms[i].o_dport = k.o_dport;
            ms[i].o_l4 = k.o_l4;
            ms[i].o_vlan_n = k.o_vlan_n;
            ms[i].o_vlan0_tci = k.o_vlan0_tci;
            if (eng_rn(&seed, 2))
                st_reverse(&ms[i]);
        }
    }
    struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 100};
    run_compare(t, ms, N, &o, "random tables");
    free(ms);
    tw_tables_free(t);
}

/* every frame matches every rule: 256 rules without conditions (rule 200 a pass rule: 200 alerts, 55
 * suppressed), every record with an outer IP header; line rate must hold */
static void test_every_frame_matches(void **st)
{
    (void)st;
    uint64_t seed = 0xa11a;
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    eng_rand_tables(&seed, t, TW_CAP_RULES, 800);
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        memset(&t->rule[i], 0, sizeof t->rule[i]);
        t->rule[i].valid = 1;
        t->rule[i].action = i == 200 ? TW_ACT_PASS : TW_ACT_ALERT;
    }
    t->settings.n_rules = TW_CAP_RULES;
    short_timeouts(t);
    enum { N = 2000 };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    uint64_t rng = 0x99;
    for (unsigned i = 0; i < N; i++) {
        if (i % 5 == 4) {
            st_copy_of(&ms[i], &ms[i - 1], &rng, ms[i - 1].ts + 1000);
        } else {
            eng_rand_meta(&seed, &ms[i], 800, i);
            if (ms[i].o_ip_ver != 4 && ms[i].o_ip_ver != 6)
                ms[i].o_ip_ver = 4;
            ms[i].ts = T0 + (uint64_t)i * 2 * MS;
        }
    }
    struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 100};
    struct outcome r = run_compare(t, ms, N, &o, "every frame matches");
    assert_int_equal(r.alerting, N);
    assert_int_equal(r.stalls, 0);
    assert_true(r.mirror >= N / 5 - 5);
    free(ms);
    tw_tables_free(t);
}

/* flows crowded into 6 buckets of 4 ways (10 flows each): evictions on every bucket; random back-pressure on both
 * outputs, records offered every clock */
static unsigned key_bucket(const struct tw_meta *m) { return st_flow_bucket(m); }

static void test_evictions_backpressure(void **st)
{
    (void)st;
    uint64_t seed = 0xe71c7;
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    eng_rand_tables(&seed, t, TW_CAP_RULES, 800);
    enum { NB = 6, PER = 10, N = 3000 };
    struct tw_meta pool[NB * PER];
    uint64_t rng = 0x4b1d;
    for (unsigned b = 0; b < NB; b++)
        st_same_key(&pool[b * PER], PER, &rng, 100 + 611 * b, key_bucket);
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    uint64_t ts = T0;
    for (unsigned i = 0; i < N; i++) {
        ms[i] = pool[eng_rn(&seed, NB * PER)];
        if (eng_rn(&seed, 2))
            st_reverse(&ms[i]);
        ts += eng_rand(&seed) % (20 * 1000);
        ms[i].ts = ts;
        ms[i].len = (uint16_t)(64 + eng_rn(&seed, 1400));
        ms[i].fseq = i;
    }
    struct opts o = {.gap = 1, .cand_pct = 35, .rec_pct = 25};
    struct outcome r = run_compare(t, ms, N, &o, "evictions, back-pressure");
    assert_true(r.evicted > 500);
    assert_true(r.stalls > 0);
    free(ms);
    tw_tables_free(t);
}

/* the capture corpus with mirror copies (state_testlib), backhaul rules, line rate, back-pressure on m_rec */
static void test_captures(void **st)
{
    (void)st;
    struct st_corpus c;
    if (st_corpus_open(&c)) {
        print_message("skip: capture folder %s not found (set TAPWATCH_CAPTURES=DIR)\n", c.dir);
        skip();
    }
    struct tw_meta *ms = NULL;
    size_t n = 0;
    assert_int_equal(st_corpus_records_copies(&c, &ms, &n, 7, 100 * MS), 0);
    st_corpus_close(&c);
    assert_true(n > 0);
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    struct opts o = {.gap = 4, .cand_pct = 100, .rec_pct = 60};
    struct outcome r = run_compare(t, ms, n, &o, "capture corpus");
    assert_true(r.mirror > 0);
    free(ms);
    tw_tables_free(t);
}

/* settings: the SETTINGS command the engine applies sets the window and timeouts; a rejected one changes nothing */
static void test_settings(void **st)
{
    (void)st;
    struct tw_fr *f = tw_fr_new();
    assert_non_null(f);
    struct tw_fr_counters c;
    tw_fr_counters(f, &c);
    assert_int_equal(c.window_ns, 100 * MS); /* reset: the reference defaults */
    assert_int_equal(c.idle_ns, 60ull * 1000000000ull);
    assert_int_equal(c.hard_ns, 600ull * 1000000000ull);
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    t->settings.mirror_window_ms = 250;
    t->settings.flow_timeout_s = 4000000000u; /* the whole 32-bit range multiplies into 64 bits */
    t->settings.flow_hard_timeout_s = 9;
    uint8_t b[TW_RE_BYTES] = {0};
    tw_settings_pack(&t->settings, b);
    assert_int_equal(tw_fr_table(f, TW_ENG_T_SETTINGS, 0, b, TW_ST_BYTES, 0), 0);
    assert_int_equal(tw_fr_run(f, 1000), 0);
    tw_fr_counters(f, &c);
    assert_int_equal(c.window_ns, 250 * MS);
    assert_int_equal(c.idle_ns, 4000000000ull * 1000000000ull);
    assert_int_equal(c.hard_ns, 9ull * 1000000000ull);
    assert_int_equal(c.wr_ok, 1);
    /* rejected by the engine (oui_buckets not a power of two): not applied here either */
    t->settings.oui_buckets = 3;
    t->settings.flow_timeout_s = 5;
    tw_settings_pack(&t->settings, b);
    assert_int_equal(tw_fr_table(f, TW_ENG_T_SETTINGS, 0, b, TW_ST_BYTES, 0), 0);
    assert_int_equal(tw_fr_run(f, 1000), 0);
    tw_fr_counters(f, &c);
    assert_int_equal(c.wr_bad, 1);
    assert_int_equal(c.idle_ns, 4000000000ull * 1000000000ull);
    tw_tables_free(t);
    tw_fr_free(f);
}

/* the shim's own error paths */
static void test_shim_errors(void **st)
{
    (void)st;
    struct tw_fr *f = tw_fr_new();
    assert_non_null(f);
    uint8_t b[64] = {0};
    assert_int_equal(tw_fr_table(f, TW_ENG_T_RULE, 0, b, sizeof b, 0), -1); /* entry longer than 56 bytes */
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    t->settings.oui_buckets = 2 * TW_ENG_OUI_BUCKETS; /* more than the hardware holds */
    assert_int_equal(tw_fr_load(f, t, TW_ENG_LOAD_ALL, 0), -1);
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < 10; i++)
        assert_int_equal(tw_fr_push(f, &m, 4), 0);
    assert_int_equal(tw_fr_run(f, 5), -1);      /* not done in 5 clocks */
    assert_int_equal(tw_fr_run(f, 100000), 0);
    const struct tw_fr_cand *c;
    assert_int_equal(tw_fr_cands(f, &c), 10);
    tw_fr_clear(f);
    assert_int_equal(tw_fr_cands(f, &c), 0);
    assert_null(c);
    tw_tables_free(t);
    tw_fr_free(f);
    tw_fr_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shim_errors),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_backhaul_line_rate),
        cmocka_unit_test(test_backhaul_alerted),
        cmocka_unit_test(test_alerted_line_rate),
        cmocka_unit_test(test_flush_in_flight),
        cmocka_unit_test(test_random_tables),
        cmocka_unit_test(test_every_frame_matches),
        cmocka_unit_test(test_evictions_backpressure),
        cmocka_unit_test(test_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
