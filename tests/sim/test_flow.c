/* The RTL flow table (rtl/tw_flow_table.v, Verilated through sim/state_model.h) against the C reference
 * (host/src/flow.c: tw_flow_key_of / tw_flow_access / tw_flow_sweep / tw_flow_flush) on the same sequences of
 * metadata records. Per frame the flow after the frame (id, direction, created/evicted, state, flags, counters, first
 * and last timestamps, bucket and way) must be equal; the flow records (expiry on access and by the sweep,
 * eviction, shutdown at the end) must be equal field for field and in the same order. Records are fed back to back
 * (a new record on every cycle the model is ready) and, in some runs, with random gaps and back-pressure on both
 * output streams. */
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
#include "state_testlib.h"
#include "tapwatch/tables.h"

#define T0 1700000000000000000ull
#define SEC 1000000000ull

/* ---- growing record list ---- */
struct recs {
    struct tw_flow_rec *r;
    size_t n, cap;
};

static void recs_add(struct recs *l, const struct tw_flow_rec *r)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        struct tw_flow_rec *p = realloc(l->r, nc * sizeof *p);
        assert_non_null(p);
        l->r = p;
        l->cap = nc;
    }
    l->r[l->n++] = *r;
}

static void sink_flow(void *ctx, const struct tw_flow_rec *f) { recs_add(ctx, f); }

/* ---- the reference ---- */
struct ref {
    struct tw_tables *t;
    struct tw_detector *d;
    struct recs out;
};

static void ref_open(struct ref *r, uint64_t idle, uint64_t hard)
{
    memset(r, 0, sizeof *r);
    r->t = tw_tables_new();
    assert_non_null(r->t);
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    p.flow_idle_ns = idle;
    p.flow_hard_ns = hard;
    struct tw_detect_sink sink = {&r->out, NULL, sink_flow};
    assert_int_equal(tw_detector_create(&r->d, &p, r->t, &sink), 0);
}

static void ref_close(struct ref *r)
{
    tw_detector_destroy(r->d);
    tw_tables_free(r->t);
    free(r->out.r);
}

/* One frame through the reference's flow stage and sweep; *e: its result in the RTL's format. alerted: the frame
 * raised an alert (the flow's alerted bit is set before the sweep, as tw_detector_frame does). */
static void ref_frame(struct ref *r, const struct tw_meta *m, struct tw_fl_res *e, int alerted)
{
    struct tw_detector *d = r->d;
    memset(e, 0, sizeof *e);
    struct tw_flow_key k;
    int rev = 0;
    if (tw_flow_key_of(m, &k, &rev)) {
        uint32_t h = tw_flow_prepare(d, &k);
        uint64_t c0 = d->st.flows_created, v0 = d->st.flows_evicted;
        int tc = 0;
        struct tw_flow_ent *x = tw_flow_access(d, m, &k, rev, h, m->len, &tc);
        unsigned b = h & (d->p.flow_buckets - 1);
        e->flow = 1;
        e->toclient = (uint8_t)tc;
        e->created = d->st.flows_created != c0;
        e->evicted = d->st.flows_evicted != v0;
        e->state = x->state;
        e->flags_ts = x->flags_ts;
        e->flags_tc = x->flags_tc;
        e->flow_id = x->flow_id;
        e->pkts_ts = x->pkts_ts;
        e->pkts_tc = x->pkts_tc;
        e->bytes_ts = x->bytes_ts;
        e->bytes_tc = x->bytes_tc;
        e->first_ts = x->first_ts;
        e->last_ts = x->last_ts;
        e->bucket = b;
        e->way = (unsigned)(x - (d->flows.ent + (size_t)b * d->p.flow_ways));
        if (alerted)
            x->alerted = 1;
    } else {
        d->st.no_ip++;
    }
    tw_flow_sweep(d, m->ts);
}

static int res_equal(const struct tw_fl_res *a, const struct tw_fl_res *b)
{
    return a->flow == b->flow && a->toclient == b->toclient && a->created == b->created &&
           a->evicted == b->evicted && a->state == b->state && a->flags_ts == b->flags_ts &&
           a->flags_tc == b->flags_tc && a->flow_id == b->flow_id && a->pkts_ts == b->pkts_ts &&
           a->pkts_tc == b->pkts_tc && a->bytes_ts == b->bytes_ts && a->bytes_tc == b->bytes_tc &&
           a->first_ts == b->first_ts && a->last_ts == b->last_ts && a->bucket == b->bucket && a->way == b->way;
}

static void res_print(const char *who, const struct tw_fl_res *a)
{
    print_error("  %s: flow %u tc %u created %u evicted %u state %u flags %02x/%02x id %llu pkts %llu/%llu bytes "
                "%llu/%llu first %llu last %llu bucket %u way %u\n",
                who, a->flow, a->toclient, a->created, a->evicted, a->state, a->flags_ts, a->flags_tc,
                (unsigned long long)a->flow_id, (unsigned long long)a->pkts_ts, (unsigned long long)a->pkts_tc,
                (unsigned long long)a->bytes_ts, (unsigned long long)a->bytes_tc, (unsigned long long)a->first_ts,
                (unsigned long long)a->last_ts, a->bucket, a->way);
}

static int rec_equal(const struct tw_flow_rec *a, const struct tw_flow_rec *b)
{
    return a->flow_id == b->flow_id && a->ip_ver == b->ip_ver && a->proto == b->proto && a->vlan == b->vlan &&
           !memcmp(a->cli_ip, b->cli_ip, 16) && !memcmp(a->srv_ip, b->srv_ip, 16) && a->cli_port == b->cli_port &&
           a->srv_port == b->srv_port && a->pkts_toserver == b->pkts_toserver &&
           a->pkts_toclient == b->pkts_toclient && a->bytes_toserver == b->bytes_toserver &&
           a->bytes_toclient == b->bytes_toclient && a->first_ts == b->first_ts && a->last_ts == b->last_ts &&
           a->tcp_flags_ts == b->tcp_flags_ts && a->tcp_flags_tc == b->tcp_flags_tc && a->state == b->state &&
           a->reason == b->reason && a->alerted == b->alerted;
}

static void rec_print(const char *who, const struct tw_flow_rec *a)
{
    print_error("  %s: id %llu v%u proto %u vlan %u ports %u->%u pkts %llu/%llu bytes %llu/%llu first %llu last "
                "%llu flags %02x/%02x state %u reason %u alerted %u\n",
                who, (unsigned long long)a->flow_id, a->ip_ver, a->proto, a->vlan, a->cli_port, a->srv_port,
                (unsigned long long)a->pkts_toserver, (unsigned long long)a->pkts_toclient,
                (unsigned long long)a->bytes_toserver, (unsigned long long)a->bytes_toclient,
                (unsigned long long)a->first_ts, (unsigned long long)a->last_ts, a->tcp_flags_ts, a->tcp_flags_tc,
                a->state, a->reason, a->alerted);
}

/* ---- driving the model ---- */
struct run_opts {
    uint64_t idle, hard;
    unsigned gap_pct, bp_pct, rec_bp_pct; /* input gaps, result and record back-pressure, in % of cycles */
    uint64_t seed;
    const uint8_t *alerted; /* per frame: the frame raised an alert (NULL: none); paced one frame at a time */
    int unpaced;            /* with alerted: frames back to back, the verdicts late (verdict_delay clocks) */
    unsigned verdict_delay; /* clocks from a result to its verdict on s_alert (at least) */
    int verdict_burst;      /* with unpaced: no verdict before every result is out, then one per clock */
};

struct run_stats {
    uint64_t frames, cycles, records, reasons[4], created, evicted, alerted;
};

static void run_compare(struct tw_flm *hw, const struct tw_meta *recs, size_t n, const struct run_opts *o,
                        struct run_stats *st)
{
    struct ref r;
    ref_open(&r, o->idle, o->hard);
    struct tw_fl_res *exp = calloc(n ? n : 1, sizeof *exp);
    uint8_t *bits = calloc(n ? n : 1, TW_M_BYTES);
    assert_non_null(exp);
    assert_non_null(bits);
    for (size_t i = 0; i < n; i++) {
        ref_frame(&r, &recs[i], &exp[i], o->alerted && o->alerted[i]);
        tw_meta_pack(&recs[i], bits + i * TW_M_BYTES);
    }
    tw_detector_finish(r.d);
    struct tw_detect_stats ds;
    tw_detector_stats(r.d, &ds);

    tw_flm_reset(hw);
    tw_flm_set_timeouts(hw, o->idle, o->hard);
    struct recs got = {0};
    uint64_t rng = o->seed | 1;
    size_t in = 0, out = 0;
    uint64_t limit = 60 * (uint64_t)n + 50000, cyc = 0, quiet = 0;
    int flushed = 0, alert_pending = 0, waiting = 0;
    /* the verdicts: one per result, in order (set: the frame alerted and has a flow) */
    struct tw_fl_res *vq = calloc(n ? n : 1, sizeof *vq);
    uint64_t *vcyc = calloc(n ? n : 1, sizeof *vcyc);
    assert_non_null(vcyc);
    uint8_t *vset = calloc(n ? n : 1, 1);
    assert_non_null(vq);
    assert_non_null(vset);
    size_t vh = 0, vt = 0;
    tw_flm_verdicts(hw, 1);
    while (1) {
        assert_true(cyc++ < limit);
        alert_pending = vh < vt;
        int paced = o->alerted && !o->unpaced;
        /* paced (alerted runs): the next frame once the previous one's verdict was taken */
        int idle = (o->gap_pct && st_rand(&rng) % 100 < o->gap_pct) || waiting || (paced && alert_pending);
        int drive = in < n && !idle;
        tw_flm_drive(hw, drive ? bits + in * TW_M_BYTES : NULL, (uint32_t)in);
        int ready = !(o->bp_pct && st_rand(&rng) % 100 < o->bp_pct);
        int rready = !(o->rec_bp_pct && st_rand(&rng) % 100 < o->rec_bp_pct);
        tw_flm_out_ready(hw, ready);
        tw_flm_rec_ready(hw, rready);
        int v_due = alert_pending && cyc >= vcyc[vh] + o->verdict_delay && (!o->verdict_burst || out == n);
        tw_flm_alert(hw, v_due, alert_pending && vset[vh], vq[vh].bucket, vq[vh].way, vq[vh].flow_id);
        int req = !flushed && in == n && out == n && !alert_pending;
        tw_flm_flush_req(hw, req);
        int took = drive && tw_flm_in_ready(hw);
        int alert_took = v_due && tw_flm_alert_ready(hw);
        struct tw_fl_res g;
        int active = took || alert_pending || tw_flm_flush_busy(hw);
        if (ready && tw_flm_out(hw, &g)) {
            active = 1;
            if (g.user != out || !res_equal(&g, &exp[out])) {
                print_error("frame %zu (user %u) differs:\n", out, g.user);
                res_print("rtl", &g);
                res_print("ref", &exp[out]);
                fail();
            }
            if (paced)
                waiting = 0;
            vq[vt] = g;
            vcyc[vt] = cyc;
            vset[vt] = o->alerted && o->alerted[out] && g.flow;
            vt++;
            out++;
        }
        struct tw_flow_rec fr;
        if (rready && tw_flm_rec(hw, &fr)) {
            active = 1;
            size_t k = got.n;
            if (k >= r.out.n || !rec_equal(&fr, &r.out.r[k])) {
                print_error("flow record %zu differs (reference has %zu):\n", k, r.out.n);
                rec_print("rtl", &fr);
                if (k < r.out.n)
                    rec_print("ref", &r.out.r[k]);
                fail();
            }
            recs_add(&got, &fr);
        }
        tw_flm_tick(hw);
        if (took) {
            in++;
            if (paced)
                waiting = 1; /* paced: the next frame after this one's result (and alert write-back) */
        }
        if (alert_took)
            vh++;
        if (req)
            flushed = 1;
        quiet = active ? 0 : quiet + 1;
        if (flushed && out == n && quiet > 64 && !tw_flm_flush_busy(hw))
            break;
    }
    assert_int_equal(got.n, r.out.n);
    assert_int_equal(vh, n);
    tw_flm_verdicts(hw, 0);
    free(vq);
    free(vcyc);
    free(vset);
    struct tw_fl_counters c;
    tw_flm_counters(hw, &c);
    assert_int_equal(c.created, ds.flows_created);
    assert_int_equal(c.evicted, ds.flows_evicted);
    assert_int_equal(c.sweeps, ds.sweep_steps);
    assert_int_equal(c.no_ip, ds.no_ip);
    assert_int_equal(ds.flows_active, 0);
    st->frames += n;
    st->cycles += cyc;
    st->records += got.n;
    for (size_t i = 0; i < got.n; i++)
        st->reasons[got.r[i].reason & 3]++;
    for (size_t i = 0; i < got.n; i++)
        st->alerted += got.r[i].alerted;
    st->created += c.created;
    st->evicted += c.evicted;
    free(got.r);
    free(exp);
    free(bits);
    ref_close(&r);
}

static int setup(void **state)
{
    struct tw_flm *hw = tw_flm_new();
    if (!hw)
        return -1;
    *state = hw;
    return 0;
}

static int teardown(void **state)
{
    tw_flm_free(*state);
    return 0;
}

static void opts_default(struct run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->idle = 60 * SEC;
    o->hard = 600 * SEC;
    o->seed = 1;
}

/* A TCP flow: client frame, then server frames, from both ports, each on consecutive cycles: SYN, SYN-ACK, ACK,
 * data both ways, FIN, FIN -> closed; then a UDP flow with a VLAN, ICMP (no ports), IPv6. */
static void test_both_directions_back_to_back(void **state)
{
    uint64_t rng = 21;
    struct tw_meta recs[64];
    unsigned n = 0;
    struct tw_meta base;
    st_plain(&base, &rng, T0);
    base.o_ip_ver = 4;
    memset(base.o_ip_src, 0, 16);
    memset(base.o_ip_dst, 0, 16);
    base.o_ip_src[15] = 9; /* the client is the higher address: the key is reversed for its packets */
    base.o_ip_dst[15] = 1;
    base.o_ip_proto = 6;
    base.o_l4 = 1;
    base.o_sport = 40000;
    base.o_dport = 443;
    const uint8_t flags[] = {0x02, 0x12, 0x10, 0x18, 0x18, 0x10, 0x11, 0x11, 0x10, 0x10};
    const uint8_t fromsrv[] = {0, 1, 0, 0, 1, 1, 0, 1, 0, 1};
    for (unsigned i = 0; i < sizeof flags; i++) {
        recs[n] = base;
        if (fromsrv[i])
            st_reverse(&recs[n]);
        recs[n].o_tcp_flags = flags[i];
        recs[n].port = fromsrv[i];
        recs[n].len = (uint16_t)(60 + i);
        recs[n++].ts = T0 + i; /* one ns apart */
    }
    /* the same 5-tuple with another VLAN is another flow; a UDP flow; ICMP (ports ignored); IPv6 */
    for (unsigned i = 0; i < 6; i++) {
        recs[n] = base;
        recs[n].o_vlan_n = 1;
        recs[n].o_vlan0_tci = (uint16_t)(0xE000 | (100 + (i & 1)));
        recs[n].o_tcp_flags = 0x04 * (i == 5); /* RST closes */
        if (i & 2)
            st_reverse(&recs[n]);
        recs[n++].ts = T0 + 100 + i;
    }
    for (unsigned i = 0; i < 8; i++) {
        recs[n] = base;
        recs[n].o_ip_proto = (uint8_t)(i < 4 ? 17 : 1);
        recs[n].o_sport = (uint16_t)(1000 + i); /* ICMP: ignored, one flow */
        if (i & 1)
            st_reverse(&recs[n]);
        recs[n++].ts = T0 + 200 + i;
    }
    struct tw_meta v6;
    st_plain(&v6, &rng, 0);
    v6.o_ip_ver = 6;
    v6.o_ip_src[0] = 0x20;
    v6.o_ip_dst[0] = 0x20;
    for (unsigned i = 0; i < 6; i++) {
        recs[n] = v6;
        if (i & 1)
            st_reverse(&recs[n]);
        recs[n++].ts = T0 + 300 + i;
    }
    struct run_opts o;
    opts_default(&o);
    struct run_stats s = {0};
    run_compare(*state, recs, n, &o, &s);
    assert_int_equal(s.reasons[TW_FLOW_SHUTDOWN], s.records);
    assert_true(s.created >= 5);
}

/* Six flows in one bucket of four ways: eviction of the least recently seen way (lowest way on a tie), the
 * evicted flow coming back as a new flow, expiry on access freeing ways. */
static void test_bucket_overflow(void **state)
{
    uint64_t rng = 22;
    struct tw_meta pool[6];
    st_same_key(pool, 6, &rng, 3000, st_flow_bucket);
    struct tw_meta recs[80];
    unsigned n = 0;
    uint64_t t = T0;
    for (unsigned i = 0; i < 4; i++) { /* fill the bucket, two with the same last_ts */
        recs[n] = pool[i];
        recs[n++].ts = t + (i < 2 ? 0 : i);
    }
    recs[n] = pool[4]; /* evicts way 0 (tie with way 1) */
    recs[n++].ts = t + 10;
    recs[n] = pool[1]; /* refresh */
    recs[n++].ts = t + 11;
    recs[n] = pool[5]; /* evicts the flow of pool[2] */
    recs[n++].ts = t + 12;
    recs[n] = pool[0]; /* comes back: new flow id, evicts again */
    st_reverse(&recs[n]);
    recs[n++].ts = t + 13;
    for (unsigned i = 0; i < 24; i++) { /* back-to-back churn in the same bucket, time going backwards too */
        recs[n] = pool[st_rand(&rng) % 6];
        if (st_rand(&rng) & 1)
            st_reverse(&recs[n]);
        recs[n++].ts = t + 20 + st_rand(&rng) % 8;
    }
    for (unsigned i = 0; i < 6; i++) { /* 61 s later: every way expired on access, then refilled */
        recs[n] = pool[i];
        recs[n++].ts = t + 61 * SEC + i;
    }
    struct run_opts o;
    opts_default(&o);
    struct run_stats s = {0};
    run_compare(*state, recs, n, &o, &s);
    assert_true(s.reasons[TW_FLOW_EVICTED] >= 4);
    assert_true(s.reasons[TW_FLOW_TIMEOUT] >= 1);
}

/* Idle and hard timeout edges: exactly the timeout of silence is live, 1 ns more expires (on access); a flow
 * kept busy is cut by the hard timeout; time going backwards never expires. */
static void test_timeout_edges(void **state)
{
    uint64_t rng = 23;
    struct tw_meta a, b;
    st_plain(&a, &rng, 0);
    st_plain(&b, &rng, 0);
    const uint64_t idle = 1000, hard = 3500;
    struct tw_meta recs[32];
    unsigned n = 0;
    uint64_t t = T0;
    recs[n] = a;
    recs[n++].ts = t;
    recs[n] = a;
    recs[n++].ts = t + idle;            /* exactly idle: live */
    recs[n] = a;
    recs[n++].ts = t + 2 * idle + 1;    /* idle + 1 after the last: timeout, a new flow */
    recs[n] = a;
    recs[n++].ts = t + 2 * idle;        /* older than the entry: harmless */
    for (unsigned i = 1; i <= 5; i++) { /* busy: hard timeout at first + hard + 1 */
        recs[n] = a;
        recs[n++].ts = t + 2 * idle + 1 + i * 700;
    }
    recs[n] = a;
    recs[n++].ts = t + 2 * idle + 1 + hard;
    recs[n] = a;
    recs[n++].ts = t + 2 * idle + 1 + hard + 1;
    recs[n] = b;
    recs[n++].ts = t + 2 * idle + 1 + hard + 2;
    struct run_opts o;
    opts_default(&o);
    o.idle = idle;
    o.hard = hard;
    struct run_stats s = {0};
    run_compare(*state, recs, n, &o, &s);
    assert_int_equal(s.reasons[TW_FLOW_TIMEOUT], 1);
    assert_int_equal(s.reasons[TW_FLOW_HARD_TIMEOUT], 1);
}

/* The two read-after-write hazards of the operation order ACCESS(k), SWEEP(k), ACCESS(k+1): frame i sweeps bucket
 * i (SWEEP_EVERY 1, pointer from 0).
 *   frame 40 accesses bucket 40 (expires Y, creates X) and its sweep reads bucket 40 on the edge of that write;
 *   frame 41's sweep expires Z in bucket 41 and frame 42 accesses bucket 41 on the edge of that write.
 * A stale read would emit Y or Z twice, or lose X. */
static void test_sweep_hazards(void **state)
{
    uint64_t rng = 25;
    struct tw_meta y[2], z[2], f[1];
    st_same_key(y, 2, &rng, 40, st_flow_bucket);
    st_same_key(z, 2, &rng, 41, st_flow_bucket);
    st_same_key(f, 1, &rng, 100, st_flow_bucket);
    struct tw_meta recs[48];
    recs[0] = z[0];
    recs[0].ts = T0;
    recs[1] = y[0];
    recs[1].ts = T0;
    for (unsigned i = 2; i < 40; i++) {
        recs[i] = f[0];
        recs[i].ts = T0 + i;
    }
    recs[40] = y[1];
    recs[40].ts = T0 + 2000;
    recs[41] = f[0];
    recs[41].ts = T0 + 2000;
    recs[42] = z[1];
    recs[42].ts = T0 + 2001;
    for (unsigned i = 43; i < 48; i++) {
        recs[i] = y[1]; /* X is still there */
        recs[i].ts = T0 + 2001 + i;
    }
    struct run_opts o;
    opts_default(&o);
    o.idle = 1000;
    struct run_stats s = {0};
    run_compare(*state, recs, 48, &o, &s);
    assert_int_equal(s.reasons[TW_FLOW_TIMEOUT], 3); /* Y, F, Z once each */
    assert_int_equal(s.created, 6);                   /* Z, Y, F, X, F again, W */
}

/* Random traffic over a pool of flows (some sharing buckets), no-IP frames, short timeouts so that the sweep and
 * the accesses expire flows all the time. */
static void random_mix(void **state, uint64_t seed, size_t n, const struct run_opts *o, uint64_t step)
{
    uint64_t rng = seed;
    struct tw_meta pool[96];
    st_same_key(pool, 12, &rng, 77, st_flow_bucket);
    st_same_key(pool + 12, 12, &rng, 78, st_flow_bucket);
    for (unsigned i = 24; i < 96; i++)
        st_plain(&pool[i], &rng, 0);
    struct tw_meta *recs = calloc(n, sizeof *recs);
    assert_non_null(recs);
    uint64_t t = T0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = st_rand(&rng) % 100;
        t += k < 30 ? 0 : k < 98 ? st_rand(&rng) % step : 3 * step;
        uint64_t c = st_rand(&rng) % 100;
        if (c < 5) {
            st_plain(&recs[i], &rng, t);
            recs[i].o_ip_ver = (uint8_t)(st_rand(&rng) % 3); /* no IP */
        } else if (c < 12) {
            st_plain(&recs[i], &rng, t); /* a new flow */
        } else {
            /* half the picks from eight hot flows (they live until the hard timeout), half from the whole pool */
            recs[i] = pool[st_rand(&rng) & 1 ? 24 + st_rand(&rng) % 8 : st_rand(&rng) % 96];
            if (st_rand(&rng) & 1)
                st_reverse(&recs[i]);
            recs[i].o_tcp_flags = (uint8_t)(st_rand(&rng) % 8 ? 0x10 | (st_rand(&rng) % 16 == 0) : st_rand(&rng));
            recs[i].len = (uint16_t)(60 + st_rand(&rng) % 1454);
            recs[i].port = (uint8_t)(st_rand(&rng) & 1);
            recs[i].ts = t;
        }
        if (st_rand(&rng) % 50 == 0)
            recs[i].ts = t - st_rand(&rng) % (step + 1); /* a little time travel */
    }
    struct run_stats s = {0};
    run_compare(*state, recs, n, o, &s);
    printf("random seed %llu: %llu frames, %llu cycles, %llu flows, %llu records (timeout %llu, hard %llu, "
           "evicted %llu, shutdown %llu)\n",
           (unsigned long long)seed, (unsigned long long)s.frames, (unsigned long long)s.cycles,
           (unsigned long long)s.created, (unsigned long long)s.records, (unsigned long long)s.reasons[0],
           (unsigned long long)s.reasons[1], (unsigned long long)s.reasons[2], (unsigned long long)s.reasons[3]);
    assert_true(s.reasons[TW_FLOW_TIMEOUT] > 0);
    assert_true(s.reasons[TW_FLOW_HARD_TIMEOUT] > 0);
    assert_true(s.reasons[TW_FLOW_EVICTED] > 0);
    free(recs);
}

static void test_random_back_to_back(void **state)
{
    struct run_opts o;
    opts_default(&o);
    o.idle = 20000;
    o.hard = 90000;
    random_mix(state, 301, 20000, &o, 1000);
}

static void test_random_stalls(void **state)
{
    struct run_opts o;
    opts_default(&o);
    o.idle = 20000;
    o.hard = 90000;
    o.gap_pct = 20;
    o.bp_pct = 30;
    o.rec_bp_pct = 60;
    o.seed = 5;
    random_mix(state, 302, 12000, &o, 1000);
}

/* The alerted bit: written back through s_alert after the frame's result (before the next frame, as the reference
 * sets it before the frame's sweep), and carried into the flow records; a write-back for a flow that has gone is
 * ignored (flow_id check). */
static void test_alerted(void **state)
{
    uint64_t rng = 24;
    struct tw_meta pool[6];
    st_same_key(pool, 6, &rng, 1500, st_flow_bucket);
    enum { N = 200 };
    struct tw_meta recs[N];
    uint8_t alerted[N];
    uint64_t t = T0;
    for (unsigned i = 0; i < N; i++) {
        recs[i] = pool[st_rand(&rng) % 6];
        t += st_rand(&rng) % 3000;
        recs[i].ts = t;
        alerted[i] = st_rand(&rng) % 7 == 0;
    }
    struct run_opts o;
    opts_default(&o);
    o.idle = 20000;
    o.alerted = alerted;
    struct run_stats s = {0};
    run_compare(*state, recs, N, &o, &s);
    assert_true(s.reasons[TW_FLOW_EVICTED] > 0);
    assert_true(s.alerted > 0 && s.alerted < s.records);
}

/* The alerted bit at line rate: frames back to back (not paced) and every verdict 60 clocks after its result (an
 * alert stage's latency), with result and record back-pressure; flows crowded into 2 buckets (evictions and
 * timeouts of flows whose write-back is still on its way). The records are held until their frame's verdict, so
 * every record equals the reference's, `alerted` included. */
static void test_alerted_unpaced(void **state)
{
    uint64_t rng = 25;
    struct tw_meta pool[12];
    st_same_key(pool, 6, &rng, 1500, st_flow_bucket);
    st_same_key(pool + 6, 6, &rng, 1700, st_flow_bucket);
    enum { N = 3000 };
    static struct tw_meta recs[N];
    static uint8_t alerted[N];
    uint64_t t = T0;
    for (unsigned i = 0; i < N; i++) {
        recs[i] = pool[st_rand(&rng) % 12];
        t += st_rand(&rng) % 3000;
        recs[i].ts = t;
        alerted[i] = st_rand(&rng) % 5 == 0;
    }
    static const unsigned delay[3] = {0, 60, 200};
    for (unsigned k = 0; k < 3; k++) {
        struct run_opts o;
        opts_default(&o);
        o.idle = 20000;
        o.alerted = alerted;
        o.unpaced = 1;
        o.verdict_delay = delay[k];
        o.bp_pct = k == 2 ? 30 : 0;
        o.rec_bp_pct = k == 2 ? 40 : 0;
        o.seed = 40 + k;
        struct run_stats s = {0};
        run_compare(*state, recs, N, &o, &s);
        printf("verdict delay %u: %llu frames in %llu cycles, %llu records (%llu evicted, %llu timeout), %llu alerted\n",
               delay[k], (unsigned long long)s.frames, (unsigned long long)s.cycles,
               (unsigned long long)s.records, (unsigned long long)s.reasons[TW_FLOW_EVICTED],
               (unsigned long long)s.reasons[TW_FLOW_TIMEOUT], (unsigned long long)s.alerted);
        assert_true(s.reasons[TW_FLOW_EVICTED] > 100);
        assert_true(s.alerted > 0 && s.alerted < s.records);
    }
}

/* An alerted flow evicted by the very next frame, with every verdict late (then also all on consecutive clocks: the
 * flow's ALERT item followed at once by the evicting frame's decided-only item), and the evicted record (held in the
 * hold queue, tagged with the evicting frame) may leave only after the ALERT has set its bit. Three flows of one 4-way
 * bucket seen at 1 us, the fourth (alerted) at 0.5 us, the fifth at 0.6 us evicts it (the least recently seen). The
 * record must carry `alerted`; a table that counted the ALERT item before its effect landed would release the record
 * in the clock the bit is set, without it. */
static void test_alerted_evict_release(void **state)
{
    uint64_t rng = 26;
    struct tw_meta recs[5];
    st_same_key(recs, 5, &rng, 2500, st_flow_bucket);
    static const uint64_t at[5] = {1000, 1000, 1000, 500, 600};
    uint8_t alerted[5] = {0, 0, 0, 1, 0};
    for (unsigned i = 0; i < 5; i++)
        recs[i].ts = T0 + at[i];
    for (unsigned k = 0; k < 2; k++) {
        struct run_opts o;
        opts_default(&o);
        o.alerted = alerted;
        o.unpaced = 1;
        o.verdict_delay = k ? 0 : 40;
        o.verdict_burst = k; /* 1: the five verdicts on consecutive clocks, once the last result is out */
        struct run_stats s = {0};
        run_compare(*state, recs, 5, &o, &s);
        assert_int_equal(s.reasons[TW_FLOW_EVICTED], 1);
        assert_int_equal(s.alerted, 1);
    }
}

/* Every frame of the shared capture corpus, dissected by tw_dissect(), back to back, default timeouts. */
static void test_captures(void **state)
{
    struct st_corpus c;
    if (st_corpus_open(&c) != 0) {
        printf("skip: capture folder %s not found (set TAPWATCH_CAPTURES=DIR)\n", c.dir);
        skip();
    }
    struct tw_meta *recs = NULL;
    size_t n = 0;
    assert_int_equal(st_corpus_records(&c, &recs, &n), 0);
    st_corpus_close(&c);
    assert_true(n > 0);
    struct run_opts o;
    opts_default(&o);
    struct run_stats s = {0};
    run_compare(*state, recs, n, &o, &s);
    printf("corpus: %llu records, %llu flows, %llu flow records (timeout %llu, hard %llu, evicted %llu, "
           "shutdown %llu), %llu cycles\n",
           (unsigned long long)n, (unsigned long long)s.created, (unsigned long long)s.records,
           (unsigned long long)s.reasons[0], (unsigned long long)s.reasons[1], (unsigned long long)s.reasons[2],
           (unsigned long long)s.reasons[3], (unsigned long long)s.cycles);
    free(recs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_directions_back_to_back),
        cmocka_unit_test(test_bucket_overflow),
        cmocka_unit_test(test_timeout_edges),
        cmocka_unit_test(test_sweep_hazards),
        cmocka_unit_test(test_random_back_to_back),
        cmocka_unit_test(test_random_stalls),
        cmocka_unit_test(test_alerted),
        cmocka_unit_test(test_alerted_unpaced),
        cmocka_unit_test(test_alerted_evict_release),
        cmocka_unit_test(test_captures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
