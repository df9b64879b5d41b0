/* Flows (bidirectional keys, counters, state, idle/hard timeouts on access and by the sweep, eviction from a full
 * bucket) and the mirror-copy digest (window edges, invariant fields, lookup before insert), plus the hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../host/src/detect_int.h"
#include "detect_fixture.h"

struct ctx {
    struct tw_tables *t;
    struct tw_detector *d;
    struct tw_detect_params p;
    struct fx_sink s;
    uint64_t cnt;
};

static struct ctx *new_ctx(void)
{
    struct ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->t = tw_tables_new();
    assert_non_null(c->t);
    c->p = fx_params();
    c->p.sweep_every = 1u << 30; /* no background sweep unless a test wants it */
    return c;
}

static void start(struct ctx *c)
{
    struct tw_detect_sink sink = fx_sink_of(&c->s);
    assert_int_equal(tw_detector_create(&c->d, &c->p, c->t, &sink), 0);
}

static int feed(struct ctx *c, const struct tw_meta *m)
{
    return tw_detector_frame(c->d, m, NULL, 0, ++c->cnt);
}

static void end(struct ctx *c)
{
    tw_detector_destroy(c->d);
    tw_tables_free(c->t);
    free(c);
}

static struct tw_detect_stats stats(struct ctx *c)
{
    struct tw_detect_stats s;
    tw_detector_stats(c->d, &s);
    return s;
}

#define A 0x0a000001u
#define B 0x0a000002u
#define X 0xc0a80001u

static void test_bidirectional_flow_record(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    start(c);
    struct tw_meta syn = fx_ip4(B, A, 6, 40000, 80, T0); /* B (the higher address) opens: B is the client */
    syn.o_tcp_flags = 0x02;
    syn.len = 60;
    struct tw_meta sa = fx_ip4(A, B, 6, 80, 40000, T0 + 1 * MS);
    sa.o_tcp_flags = 0x12;
    sa.len = 62;
    struct tw_meta ack = fx_ip4(B, A, 6, 40000, 80, T0 + 2 * MS);
    ack.o_tcp_flags = 0x10;
    ack.len = 54;
    feed(c, &syn);
    assert_int_equal(stats(c).flows_active, 1);
    feed(c, &sa);
    feed(c, &ack);
    assert_int_equal(stats(c).flows_created, 1);
    assert_int_equal(c->s.nf, 0);
    tw_detector_finish(c->d);
    assert_int_equal(c->s.nf, 1);
    const struct tw_flow_rec *f = &c->s.f[0];
    uint8_t a[16], b[16];
    fx_v4(a, A);
    fx_v4(b, B);
    assert_memory_equal(f->cli_ip, b, 16);
    assert_memory_equal(f->srv_ip, a, 16);
    assert_int_equal(f->cli_port, 40000);
    assert_int_equal(f->srv_port, 80);
    assert_int_equal(f->proto, 6);
    assert_int_equal(f->ip_ver, 4);
    assert_int_equal(f->flow_id, 1);
    assert_int_equal(f->pkts_toserver, 2);
    assert_int_equal(f->pkts_toclient, 1);
    assert_int_equal(f->bytes_toserver, 60 + 54);
    assert_int_equal(f->bytes_toclient, 62);
    assert_int_equal(f->first_ts, T0);
    assert_int_equal(f->last_ts, T0 + 2 * MS);
    assert_int_equal(f->tcp_flags_ts, 0x12);
    assert_int_equal(f->tcp_flags_tc, 0x12);
    assert_int_equal(f->state, TW_FLOW_ESTABLISHED);
    assert_int_equal(f->reason, TW_FLOW_SHUTDOWN);
    assert_int_equal(f->alerted, 0);
    assert_int_equal(stats(c).flows_active, 0);
    end(c);
}

static void test_flow_state_and_alerted(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_rule(c->t, 1)->flg_mod = TW_FLG_ANY; /* alert on any RST */
    c->t->rule[0].flg_mask = 0x04;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 6, 1000, 80, T0);
    feed(c, &m);                      /* one direction only: new */
    struct tw_meta u = fx_ip4(A, B, 17, 5000, 53, T0); /* UDP both ways: established */
    feed(c, &u);
    u = fx_ip4(B, A, 17, 53, 5000, T0);
    feed(c, &u);
    struct tw_meta f1 = fx_ip4(A, B, 6, 2000, 80, T0), f2 = fx_ip4(B, A, 6, 80, 2000, T0);
    f1.o_tcp_flags = 0x11; /* FIN from one side only: established */
    feed(c, &f1);
    feed(c, &f2);
    struct tw_meta g1 = fx_ip4(A, B, 6, 3000, 80, T0), g2 = fx_ip4(B, A, 6, 80, 3000, T0);
    g1.o_tcp_flags = 0x11;
    g2.o_tcp_flags = 0x11; /* FIN both ways: closed */
    feed(c, &g1);
    feed(c, &g2);
    struct tw_meta r = fx_ip4(A, B, 6, 4000, 80, T0);
    r.o_tcp_flags = 0x04; /* RST: closed, and the flow alerted */
    assert_int_equal(feed(c, &r), 1);
    tw_detector_finish(c->d);
    assert_int_equal(c->s.nf, 5);
    int seen = 0;
    for (unsigned i = 0; i < c->s.nf; i++) {
        const struct tw_flow_rec *f = &c->s.f[i];
        unsigned port = f->cli_port;
        unsigned want = port == 1000 ? TW_FLOW_NEW
                      : port == 5000 ? TW_FLOW_ESTABLISHED
                      : port == 2000 ? TW_FLOW_ESTABLISHED
                                     : TW_FLOW_CLOSED;
        assert_int_equal(f->state, want);
        assert_int_equal(f->alerted, port == 4000);
        seen |= 1 << (port / 1000);
    }
    assert_int_equal(seen, (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5));
    end(c);
}

static void test_vlan_separates_flows(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    feed(c, &m);
    m.o_vlan_n = 1;
    m.o_vlan0_tci = 0xE000 | 10; /* PCP does not count: only the VID */
    feed(c, &m);
    m.o_vlan0_tci = 10;
    feed(c, &m);
    assert_int_equal(stats(c).flows_created, 2);
    tw_detector_finish(c->d);
    unsigned v10 = c->s.f[0].vlan == 10 ? 0 : 1;
    assert_int_equal(c->s.f[v10].vlan, 10);
    assert_int_equal(c->s.f[v10].pkts_toserver, 2);
    end(c);
}

static void test_idle_timeout_on_access(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    feed(c, &m);
    m.ts = T0 + 60 * SEC; /* exactly the idle timeout: still the same flow */
    feed(c, &m);
    assert_int_equal(c->s.nf, 0);
    m.ts = T0 + 120 * SEC + 1; /* idle for more than 60 s */
    feed(c, &m);
    assert_int_equal(c->s.nf, 1);
    assert_int_equal(c->s.f[0].reason, TW_FLOW_TIMEOUT);
    assert_int_equal(c->s.f[0].pkts_toserver, 2);
    assert_int_equal(c->s.f[0].flow_id, 1);
    assert_int_equal(stats(c).flows_created, 2);
    assert_int_equal(stats(c).flows_timeout, 1);
    tw_detector_finish(c->d);
    assert_int_equal(c->s.f[1].flow_id, 2);
    assert_int_equal(c->s.f[1].pkts_toserver, 1);
    end(c);
}

static void test_hard_timeout(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    for (unsigned i = 0; i <= 20; i++) { /* every 30 s up to 600 s: one flow */
        m.ts = T0 + i * 30 * SEC;
        feed(c, &m);
    }
    assert_int_equal(c->s.nf, 0);
    m.ts = T0 + 600 * SEC + 1;
    feed(c, &m);
    assert_int_equal(c->s.nf, 1);
    assert_int_equal(c->s.f[0].reason, TW_FLOW_HARD_TIMEOUT);
    assert_int_equal(c->s.f[0].pkts_toserver, 21);
    assert_int_equal(stats(c).flows_hard_timeout, 1);
    end(c);
}

static void test_sweep_expires_idle_flows(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    c->p.flow_buckets = 4;
    c->p.sweep_every = 2; /* one bucket every 2 frames: all 4 buckets in 8 frames */
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    feed(c, &m);
    struct tw_meta other = fx_ip4(A, B, 17, 1, 2, T0 + 61 * SEC);
    other.o_ip_ver = 0; /* frames without IP: no flow access, only the sweep */
    unsigned frames = 0;
    while (c->s.nf == 0 && frames < 16) {
        feed(c, &other);
        frames++;
    }
    assert_int_equal(c->s.nf, 1);
    assert_int_equal(c->s.f[0].reason, TW_FLOW_TIMEOUT);
    assert_true(frames <= 8);
    assert_int_equal((1 + frames) % 2, 0); /* the sweep steps on every 2nd frame (counting the first) only */
    assert_int_equal(stats(c).sweep_steps, (1 + frames) / 2);
    assert_int_equal(stats(c).flows_active, 0);
    end(c);
}

/* The per-bucket expiry bound that lets the access and the sweep skip live buckets (flow.c, due[]) never exceeds the
 * deadline of a valid way: random flows in a small table, timestamps that also jump back, short timeouts, the
 * sweep on every frame; the bound is checked against every way after every frame, and flows do expire both ways. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static void test_flow_due_bound(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    c->p.flow_buckets = 8;
    c->p.flow_ways = 4;
    c->p.sweep_every = 1;
    c->p.flow_idle_ns = 100 * MS;
    c->p.flow_hard_ns = 300 * MS;
    start(c);
    uint64_t r = 0x452821E638D01377ull, ts = T0;
    for (int i = 0; i < 4000; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        unsigned k = (unsigned)((i & 1) ? r % 4 : r % 48); /* 4 busy flows (hard timeouts) and many others */
        uint64_t step = (r >> 8) % (30 * MS);
        ts = ((r >> 40) % 16 == 0 && ts > T0 + 40 * MS) ? ts - 40 * MS : ts + step; /* now and then backwards */
        struct tw_meta m = fx_ip4(A + k, B, (r >> 20) & 1 ? 17 : 6, (uint16_t)(1000 + k), 80, ts);
        feed(c, &m);
        const struct tw_flow_table *ft = &c->d->flows;
        for (unsigned b = 0; b < ft->buckets; b++)
            for (unsigned w = 0; w < ft->ways; w++) {
                const struct tw_flow_ent *e = &ft->ent[b * ft->ways + w];
                if (!e->valid)
                    continue;
                uint64_t dl = sat_add(e->last_ts, c->p.flow_idle_ns), hd = sat_add(e->first_ts, c->p.flow_hard_ns);
                assert_true(ft->due[b] <= (dl < hd ? dl : hd));
            }
    }
    struct tw_detect_stats s = stats(c);
    assert_true(s.flows_timeout > 100);
    assert_true(s.flows_hard_timeout > 0);
    assert_true(s.flows_evicted > 0);
    end(c);
}

static void test_eviction_full_bucket(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    c->p.flow_buckets = 1;
    c->p.flow_ways = 4;
    fx_rule(c->t, 1); /* alert on everything: the frame that evicts is still inspected */
    start(c);
    struct tw_meta m;
    for (unsigned i = 0; i < 4; i++) {
        m = fx_ip4(A, B, 17, (uint16_t)(1000 + i), 2, T0 + i * SEC);
        feed(c, &m);
    }
    m = fx_ip4(A, B, 17, 1000, 2, T0 + 4 * SEC); /* flow 1 seen again: flow 2 is now the least recent */
    feed(c, &m);
    assert_int_equal(c->s.nf, 0);
    m = fx_ip4(A, B, 17, 2000, 2, T0 + 5 * SEC);
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.nf, 1);
    assert_int_equal(c->s.f[0].reason, TW_FLOW_EVICTED);
    assert_int_equal(c->s.f[0].flow_id, 2);
    assert_int_equal(c->s.f[0].cli_port, 1001);
    assert_int_equal(c->s.f[0].alerted, 1);
    assert_int_equal(c->s.a[5].flow_id, 5);
    struct tw_detect_stats s = stats(c);
    assert_int_equal(s.flows_evicted, 1);
    assert_int_equal(s.flows_active, 4);
    assert_int_equal(s.alerts, 6);
    end(c);
}

static void test_time_going_backwards(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0 + 100 * SEC);
    feed(c, &m);
    m.ts = T0; /* an earlier timestamp (e.g. a second capture): no expiry, last_ts stays */
    feed(c, &m);
    tw_detector_finish(c->d);
    assert_int_equal(c->s.nf, 1);
    assert_int_equal(c->s.f[0].pkts_toserver, 2);
    assert_int_equal(c->s.f[0].last_ts, T0 + 100 * SEC);
    end(c);
}

/* ---- mirror-copy digest ---- */
static struct tw_meta copy_of(const struct tw_meta *orig, uint64_t ts)
{
    struct tw_meta c = fx_ip4(0x0a090909u, X, 47, 0, 0, ts); /* the copy leaves in GRE towards X */
    c.o_ip_id = 0x7777;
    struct tw_meta in = *orig;
    in.o_ip_ttl = (uint8_t)(orig->o_ip_ttl - 1); /* per-hop fields differ: excluded */
    in.o_ip_tos = 0xB8;
    in.o_ip_csum_ok = 0;
    in.o_smac = 0x0a0b0c0d0e0full;
    fx_tunnel(&c, TW_TUN_ERSPAN2, 100, &in);
    return c;
}

static struct ctx *mirror_ctx(void)
{
    struct ctx *c = new_ctx();
    fx_rule(c->t, 1)->mirror = 1;
    start(c);
    return c;
}

static void test_mirror_window_edges(void **st)
{
    (void)st;
    struct ctx *c = mirror_ctx();
    struct tw_meta o = fx_ip4(A, B, 6, 1000, 80, T0);
    feed(c, &o);
    struct tw_meta cp = copy_of(&o, T0 + 100 * MS); /* just inside: exactly the window */
    assert_int_equal(feed(c, &cp), 1);
    assert_int_equal(c->s.a[0].mc, 1);
    cp.ts = T0 + 100 * MS + 1; /* just outside */
    assert_int_equal(feed(c, &cp), 0);
    cp.ts = T0 - 1; /* before the original: not a copy of it */
    assert_int_equal(feed(c, &cp), 0);
    struct tw_detect_stats s = stats(c);
    assert_int_equal(s.mirror_copies, 1);
    assert_int_equal(s.digest_lookups, 3);
    assert_int_equal(s.digest_inserts, 4);
    end(c);
}

static void test_mirror_window_param(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_rule(c->t, 1)->mirror = 1;
    c->p.mirror_window_ns = 5 * MS;
    start(c);
    struct tw_meta o = fx_ip4(A, B, 17, 1, 2, T0);
    feed(c, &o);
    struct tw_meta cp = copy_of(&o, T0 + 5 * MS);
    assert_int_equal(feed(c, &cp), 1);
    cp.ts = T0 + 5 * MS + 1;
    assert_int_equal(feed(c, &cp), 0);
    end(c);
}

static void test_mirror_invariant_fields(void **st)
{
    (void)st;
    struct ctx *c = mirror_ctx();
    struct tw_meta o = fx_ip4(A, B, 17, 1, 2, T0);
    feed(c, &o);
    struct tw_meta cp = copy_of(&o, T0 + MS);
    struct tw_meta v;
    v = cp;
    v.i_ip_id ^= 1; /* identification differs */
    assert_int_equal(feed(c, &v), 0);
    v = cp;
    v.i_l3_head[15] ^= 1; /* payload bytes differ */
    assert_int_equal(feed(c, &v), 0);
    v = cp;
    v.i_ip_len += 4; /* payload length differs */
    assert_int_equal(feed(c, &v), 0);
    v = cp;
    v.i_ip_dst[15] ^= 1;
    assert_int_equal(feed(c, &v), 0);
    v = cp;
    v.i_ip_proto = 6;
    assert_int_equal(feed(c, &v), 0);
    v = cp;
    v.i_ip_ttl = 3;
    v.i_ip_tos = 1;
    v.i_vlan_n = 1; /* L2 of the copy does not count either */
    v.i_vlan0_tci = 55;
    assert_int_equal(feed(c, &v), 1);
    /* a frame without a tunnel is never a copy, even of itself */
    assert_int_equal(feed(c, &o), 0);
    end(c);
}

static void test_mirror_ipv6_flow_label(void **st)
{
    (void)st;
    struct ctx *c = mirror_ctx();
    struct tw_meta o = fx_ip4(A, B, 17, 1, 2, T0);
    o.o_ip_ver = 6;
    inet_pton(AF_INET6, "2001:db8::1", o.o_ip_src);
    inet_pton(AF_INET6, "2001:db8::2", o.o_ip_dst);
    o.o_ip_flow = 0xABCDE;
    o.o_ip_len = 24;
    o.o_l3_hdrlen = 40 + 8; /* one extension header: the payload after it is 16 bytes */
    feed(c, &o);
    struct tw_meta cp = copy_of(&o, T0 + MS);
    assert_int_equal(feed(c, &cp), 1);
    cp.i_ip_flow ^= 0x10000;
    assert_int_equal(feed(c, &cp), 0);
    end(c);
}

static void test_mirror_lookup_before_insert(void **st)
{
    (void)st;
    struct ctx *c = mirror_ctx();
    /* a tunnelled frame whose inner packet has the same invariant fields as its own outer header */
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    struct tw_meta in = m;
    fx_tunnel(&m, TW_TUN_IPIP, 0, &in);
    m.tun_id_v = 0;
    assert_int_equal(feed(c, &m), 0); /* its own outer digest is inserted only after the lookup */
    m.ts += MS;
    assert_int_equal(feed(c, &m), 1); /* the second one finds the first one's outer digest */
    end(c);
}

static void test_digest_replacement(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_rule(c->t, 1)->mirror = 1;
    c->p.digest_sets = 1;
    c->p.digest_ways = 2;
    start(c);
    struct tw_meta o[3];
    for (unsigned i = 0; i < 3; i++) {
        o[i] = fx_ip4(A, B, 17, 1, 2, T0 + i * MS);
        o[i].o_ip_id = (uint16_t)(100 + i);
        feed(c, &o[i]);
    }
    assert_int_equal(stats(c).digest_replaced, 1); /* the oldest live digest was overwritten */
    struct tw_meta cp = copy_of(&o[0], T0 + 3 * MS);
    assert_int_equal(feed(c, &cp), 0); /* lost with its way */
    cp = copy_of(&o[2], T0 + 3 * MS);
    assert_int_equal(feed(c, &cp), 1);
    end(c);
}

/* ---- hash functions: the standard check values ("123456789") in both implementations ---- */
static void test_hash_check_values(void **st)
{
    (void)st;
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    const uint8_t *s = (const uint8_t *)"123456789";
    assert_int_equal(tw_crc32c(h, s, 9), 0xE3069283u);
    assert_int_equal(tw_crc32(h, s, 9), 0xCBF43926u);
    uint8_t v[56];
    for (unsigned i = 0; i < sizeof v; i++)
        v[i] = (uint8_t)(i * 37 + 5);
    uint32_t c1 = tw_crc32c(h, v, sizeof v);
    h->hw = 0; /* the table-driven path gives the same values */
    assert_int_equal(tw_crc32c(h, s, 9), 0xE3069283u);
    assert_int_equal(tw_crc32c(h, v, sizeof v), c1);
    for (size_t n = 0; n <= sizeof v; n++) { /* against the bitwise definition, every length */
        uint32_t cc = 0xFFFFFFFFu;
        for (size_t i = 0; i < n; i++) {
            cc ^= v[i];
            for (int k = 0; k < 8; k++)
                cc = (cc & 1u) ? (cc >> 1) ^ 0x82F63B78u : cc >> 1;
        }
        assert_int_equal(tw_crc32c(h, v, n), ~cc);
    }
    free(h);
}

/* CRC-32 by carry-less multiplication (when the CPU has it) against the table-driven path and the bitwise
 * definition: random vectors of every length 0..200 and the detector's fixed lengths at every alignment. */
static void test_hash_crc32_paths_agree(void **st)
{
    (void)st;
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    int clmul = h->clmul;
    if (!clmul)
        print_message("note: this CPU has no PCLMULQDQ; only the table path is compared with the definition\n");
    uint8_t buf[208];
    uint64_t r = 0x243F6A8885A308D3ull;
    for (int round = 0; round < 40; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            buf[i] = (uint8_t)(r >> 24);
        }
        for (size_t n = 0; n <= 200; n++) {
            const uint8_t *v = buf + (round & 7);
            uint32_t cc = 0xFFFFFFFFu;
            for (size_t i = 0; i < n; i++) {
                cc ^= v[i];
                for (int k = 0; k < 8; k++)
                    cc = (cc & 1u) ? (cc >> 1) ^ 0xEDB88320u : cc >> 1;
            }
            h->clmul = clmul;
            assert_int_equal(tw_crc32(h, v, n), ~cc);
            h->clmul = 0;
            assert_int_equal(tw_crc32(h, v, n), ~cc);
        }
    }
    h->clmul = clmul;
    free(h);
}

/* tw_crc32_pre8 (8 zero bytes from the register pre8, then the data) is tw_crc32 of the data alone, for every
 * length (whole blocks on the folding path or not) and on both paths; tw_digest_tag_of is tw_digest_vec +
 * tw_digest_tag for both layers of random records. */
static void test_hash_pre8_and_digest_tag_of(void **st)
{
    (void)st;
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    int clmul = h->clmul;
    uint8_t buf[8 + 200];
    uint64_t r = 0x13198A2E03707344ull;
    for (int round = 0; round < 20; round++) {
        memset(buf, 0, 8);
        for (size_t i = 8; i < sizeof buf; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            buf[i] = (uint8_t)(r >> 24);
        }
        for (size_t n = 0; n <= 200; n++) {
            uint32_t want = tw_crc32(h, buf + 8, n);
            h->clmul = clmul;
            assert_int_equal(tw_crc32_pre8(h, buf, n), want);
            h->clmul = 0;
            assert_int_equal(tw_crc32_pre8(h, buf, n), want);
            h->clmul = clmul;
        }
    }
    for (int round = 0; round < 2000; round++) {
        struct tw_meta m;
        uint8_t *b = (uint8_t *)&m;
        for (size_t i = 0; i < sizeof m; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            b[i] = (uint8_t)(r >> 24);
        }
        m.o_ip_ver = (round & 3) == 3 ? 5 : (round & 1) ? 6 : 4;
        m.i_ip_ver = (round & 4) ? 6 : 4;
        m.inner = (round & 8) != 0;
        for (int inner = 0; inner < 2; inner++) {
            uint8_t v[TW_DIGEST_VEC_BYTES];
            uint64_t tag = 0;
            int has = tw_digest_vec(&m, inner, v);
            assert_int_equal(tw_digest_tag_of(h, &m, inner, &tag), has);
            if (has)
                assert_true(tag == tw_digest_tag(h, v));
        }
    }
    free(h);
}

/* The fixed-size hashes of the per-frame path (flow key, digest tag, state tag) against the generic CRC functions,
 * on random vectors, with every combination of the CPU paths (crc32 instruction, carry-less multiply) switched off
 * and on. */
static void test_hash_fixed_sizes(void **st)
{
    (void)st;
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    int hw = h->hw, clmul = h->clmul;
    uint64_t r = 0xA4093822299F31D0ull;
    for (int round = 0; round < 3000; round++) {
        uint8_t b[64];
        for (size_t i = 0; i < sizeof b; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            b[i] = (uint8_t)(r >> 24);
        }
        if (round & 1)
            memset(b + 16 + (round % 40), 0, 8); /* runs of zero bytes, as in the keys */
        uint8_t z[64];
        memcpy(z, b, sizeof z);
        memset(z, 0, 8); /* the digest tag's 8 leading zero bytes */
        h->hw = 0;
        h->clmul = 0;
        uint32_t want_fk = tw_crc32c(h, b, 40);
        uint64_t want56 = (uint64_t)tw_crc32c(h, z + 8, 56) << 32 | tw_crc32(h, z + 8, 56);
        uint64_t want48 = (uint64_t)tw_crc32c(h, b, 48) << 32 | tw_crc32(h, b, 48);
        for (int mode = 0; mode < 4; mode++) {
            h->hw = (mode & 1) ? hw : 0;
            h->clmul = (mode & 2) ? clmul : 0;
            assert_int_equal(tw_hash_flow_key(h, b), want_fk);
            assert_true(tw_hash_tag56(h, z) == want56);
            assert_true(tw_hash_tag48(h, b) == want48);
        }
    }
    h->hw = hw;
    h->clmul = clmul;
    if (!hw || !clmul)
        print_message("note: this CPU lacks crc32 or PCLMULQDQ; only the portable paths were compared\n");
    free(h);
}

static uint64_t xs(uint64_t *r)
{
    *r ^= *r << 13;
    *r ^= *r >> 7;
    *r ^= *r << 17;
    return *r;
}

/* The word forms of the three hashes (tw_hash_*_w: word i = bytes 8i..8i+7, little-endian) against the generic
 * CRC functions on random vectors, with every combination of the CPU paths. */
static void test_hash_words(void **st)
{
    (void)st;
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    int hw = h->hw, clmul = h->clmul;
    uint64_t r = 0x452821E638D01377ull;
    for (int round = 0; round < 3000; round++) {
        uint8_t b[56];
        uint64_t w[7] = {0};
        for (size_t i = 0; i < sizeof b; i++) {
            b[i] = (uint8_t)(xs(&r) >> 24);
            if (round & 1 && (i / 8) == (size_t)(round % 7))
                b[i] = 0; /* zero words, as in the keys */
            w[i / 8] |= (uint64_t)b[i] << (8 * (i % 8));
        }
        h->hw = 0;
        h->clmul = 0;
        uint32_t want_fk = tw_crc32c(h, b, 40);
        uint64_t want56 = (uint64_t)tw_crc32c(h, b, 56) << 32 | tw_crc32(h, b, 56);
        uint64_t want48 = (uint64_t)tw_crc32c(h, b, 48) << 32 | tw_crc32(h, b, 48);
        for (int mode = 0; mode < 4; mode++) {
            h->hw = (mode & 1) ? hw : 0;
            h->clmul = (mode & 2) ? clmul : 0;
            assert_int_equal(tw_hash_flow_key_w(h, w), want_fk);
            assert_true(tw_hash_tag56_w(h, w) == want56);
            assert_true(tw_hash_tag48_w(h, w) == want48);
        }
    }
    h->hw = hw;
    h->clmul = clmul;
    free(h);
}

/* tw_state_tag is the tag of the documented 48-byte key (docs/detection.md, "Threshold / volume state table"), for
 * every track, on random addresses (some equal, some differing only in their last bytes: the by_both order). */
static void test_state_tag_layout(void **st)
{
    (void)st;
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    uint64_t r = 0xBE5466CF34E90C6Cull;
    for (int round = 0; round < 5000; round++) {
        uint8_t src[16], dst[16];
        for (int i = 0; i < 16; i++) {
            src[i] = (uint8_t)(xs(&r) >> 24);
            dst[i] = (uint8_t)(xs(&r) >> 24);
        }
        if (round % 3 == 1)
            memcpy(dst, src, 12 + (round % 5)); /* a common prefix of 12..16 bytes */
        struct tw_layer L;
        memset(&L, 0, sizeof L);
        L.ip = 1;
        L.src = src;
        L.dst = dst;
        unsigned rule = (unsigned)(xs(&r) % 65536), kind = round & 1, track = (unsigned)(round / 2 % 5);
        uint64_t flow_id = xs(&r);
        uint8_t k[48] = {0};
        k[0] = (uint8_t)(rule >> 8);
        k[1] = (uint8_t)rule;
        k[2] = (uint8_t)kind;
        k[3] = (uint8_t)track;
        int lo_src = memcmp(src, dst, 16) <= 0;
        switch (track) {
        case TW_TRACK_SRC:
            memcpy(k + 8, src, 16);
            break;
        case TW_TRACK_DST:
            memcpy(k + 8, dst, 16);
            break;
        case TW_TRACK_BOTH:
            memcpy(k + 8, lo_src ? src : dst, 16);
            memcpy(k + 24, lo_src ? dst : src, 16);
            break;
        case TW_TRACK_FLOW:
            for (int i = 0; i < 8; i++)
                k[40 + i] = (uint8_t)(flow_id >> (56 - 8 * i));
            break;
        default:
            break;
        }
        uint64_t want = (uint64_t)tw_crc32c(h, k, 48) << 32 | tw_crc32(h, k, 48);
        assert_true(tw_state_tag(h, rule, kind, track, &L, flow_id) == want);
        if (track == TW_TRACK_BOTH) { /* the unordered pair */
            L.src = dst;
            L.dst = src;
            assert_true(tw_state_tag(h, rule, kind, track, &L, flow_id) == want);
        }
    }
    free(h);
}

/* tw_flow_key_of builds the documented 40-byte key (docs/detection.md, "Key") on random records: addresses that
 * are equal or share prefixes, ports that decide the order, protocols with and without ports. */
static void test_flow_key_layout_random(void **st)
{
    (void)st;
    uint64_t r = 0xC0AC29B7C97C50DDull;
    static const uint8_t protos[] = {6, 17, 132, 1, 47, 58};
    for (int round = 0; round < 20000; round++) {
        struct tw_meta m;
        uint8_t *mb = (uint8_t *)&m;
        for (size_t i = 0; i < sizeof m; i++)
            mb[i] = (uint8_t)(xs(&r) >> 24);
        m.o_ip_ver = (round & 1) ? 6 : 4;
        m.o_l4 = (round & 2) != 0;
        m.o_ip_proto = protos[round / 4 % 6];
        if (round % 5 == 1)
            memcpy(m.o_ip_dst, m.o_ip_src, 16 - round % 3); /* equal, or differing in the last byte(s) */
        if (round % 7 == 2)
            m.o_dport = m.o_sport;
        m.o_vlan_n = (uint8_t)(round % 3);
        int ports = m.o_l4 && (m.o_ip_proto == 6 || m.o_ip_proto == 17 || m.o_ip_proto == 132);
        uint8_t S[18], D[18];
        memcpy(S, m.o_ip_src, 16);
        memcpy(D, m.o_ip_dst, 16);
        uint16_t sp = ports ? m.o_sport : 0, dp = ports ? m.o_dport : 0;
        S[16] = (uint8_t)(sp >> 8), S[17] = (uint8_t)sp;
        D[16] = (uint8_t)(dp >> 8), D[17] = (uint8_t)dp;
        int rev_want = memcmp(S, D, 18) > 0;
        const uint8_t *a = rev_want ? D : S, *b = rev_want ? S : D;
        uint8_t want[40];
        memcpy(want, a, 16);
        memcpy(want + 16, b, 16);
        memcpy(want + 32, a + 16, 2);
        memcpy(want + 34, b + 16, 2);
        want[36] = m.o_ip_proto;
        want[37] = m.o_ip_ver;
        uint16_t vid = m.o_vlan_n ? (uint16_t)(m.o_vlan0_tci & 0x0FFF) : 0;
        want[38] = (uint8_t)(vid >> 8), want[39] = (uint8_t)vid;
        struct tw_flow_key k;
        int rev = -1;
        assert_int_equal(tw_flow_key_of(&m, &k, &rev), 1);
        assert_int_equal(rev, rev_want);
        assert_memory_equal(k.b, want, 40);
    }
}

static void test_digest_vector_layout(void **st)
{
    (void)st;
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    m.o_ip_len = 86;
    m.o_ip_id = 0xBEEF;
    uint8_t v[TW_DIGEST_VEC_BYTES];
    assert_int_equal(tw_digest_vec(&m, 0, v), 1);
    uint8_t want[TW_DIGEST_VEC_BYTES] = {0};
    fx_v4(want, A);
    fx_v4(want + 16, B);
    want[32] = 17;
    want[33] = 4;
    want[34] = 0;
    want[35] = 0xBE;
    want[36] = 0xEF;
    want[37] = 0;
    want[38] = 66; /* 86 - 20 */
    for (int i = 0; i < 16; i++)
        want[39 + i] = (uint8_t)(0xA0 + i);
    assert_memory_equal(v, want, sizeof want);
    assert_int_equal(tw_digest_vec(&m, 1, v), 0); /* no inner packet */
    struct tw_tables *t = tw_tables_new();
    struct tw_detector *d = NULL;
    struct tw_detect_params p = fx_params();
    assert_int_equal(tw_detector_create(&d, &p, t, NULL), 0);
    uint64_t t1 = 0, t2 = 0;
    assert_int_equal(tw_detector_digest(d, &m, 0, &t1), 1);
    m.o_ip_ttl = 1;
    assert_int_equal(tw_detector_digest(d, &m, 0, &t2), 1);
    assert_true(t1 == t2);
    m.o_ip_ver = 0;
    assert_int_equal(tw_detector_digest(d, &m, 0, &t2), 0);
    tw_detector_destroy(d);
    tw_tables_free(t);
}

/* The word-at-a-time rest of the rule condition (tw_rest_word: per-set rule bitmaps) against tw_crule_rest() rule by
 * rule: random rule tables of 1..256 rules (several words) with every kind of address, port, vendor and vlan.id
 * condition, on random layer views (set bitmaps, vendor sets, ports or none, Ethernet or none, 0..2 tags). */
static uint64_t rw_state = 0x2545F4914F6CDD1Dull;
static unsigned rw(unsigned n)
{
    rw_state ^= rw_state << 13;
    rw_state ^= rw_state >> 7;
    rw_state ^= rw_state << 17;
    return (unsigned)((rw_state >> 20) % n);
}

static uint32_t rw_sets(unsigned nbits)
{
    uint32_t s = 0;
    for (unsigned k = rw(4); k; k--)
        s |= 1u << rw(nbits);
    return s;
}

static void test_rest_word_matches_rule_by_rule(void **st)
{
    (void)st;
    unsigned checked = 0, held = 0;
    for (int table = 0; table < 40; table++) {
        struct tw_tables *t = tw_tables_new();
        assert_non_null(t);
        unsigned nr = table < 4 ? 256 - (unsigned)table * 60 : 1 + rw(130);
        for (unsigned i = 0; i < nr; i++) {
            struct tw_rule_entry *r = fx_rule(t, 1000 + i);
            r->bidir = rw(3) == 0;
            r->inner = rw(4) == 0;
            r->src_in_v = rw(2), r->src_in = rw(32), r->src_ex_v = rw(3) == 0, r->src_ex = rw(32);
            r->src_not = rw(4) == 0;
            r->dst_in_v = rw(2), r->dst_in = rw(32), r->dst_ex_v = rw(3) == 0, r->dst_ex = rw(32);
            r->dst_not = rw(4) == 0;
            r->sp_in_v = rw(3) == 0, r->sp_in = rw(16), r->sp_ex_v = rw(4) == 0, r->sp_ex = rw(16);
            r->sp_not = rw(4) == 0;
            r->dp_in_v = rw(2), r->dp_in = rw(16), r->dp_ex_v = rw(4) == 0, r->dp_ex = rw(16);
            r->dp_not = rw(4) == 0;
            r->sv_mask = rw(3) ? 0 : (uint8_t)(1 + rw(255)), r->sv_not = rw(2);
            r->dv_mask = rw(3) ? 0 : (uint8_t)(1 + rw(255)), r->dv_not = rw(2);
            r->vlan_op = rw(3) ? TW_CMP_NONE : rw(9), r->vlan_layer = rw(6);
            r->vlan_a = (uint16_t)rw(8), r->vlan_b = (uint16_t)rw(8);
        }
        struct tw_detector *d = NULL;
        struct tw_detect_params p = fx_params();
        assert_int_equal(tw_detector_create(&d, &p, t, NULL), 0);
        assert_int_equal(d->ncrule, nr);
        for (int view = 0; view < 300; view++) {
            struct tw_layer L;
            memset(&L, 0, sizeof L);
            L.ip = 1;
            L.l2 = rw(5) != 0;
            L.smac_vs = L.l2 ? rw(256) : 0, L.dmac_vs = L.l2 ? rw(256) : 0;
            L.vlan_n = L.l2 ? rw(3) : 0;
            L.vid[0] = (uint16_t)rw(8), L.vid[1] = (uint16_t)rw(8);
            L.ports = rw(4) != 0;
            L.src_sets = rw_sets(32), L.dst_sets = rw_sets(32);
            L.sp_sets = L.ports ? rw_sets(16) : 0, L.dp_sets = L.ports ? rw_sets(16) : 0;
            for (unsigned w = 0; w < d->pf_words; w++) {
                uint64_t all = 0;
                for (unsigned k = 0; k < 64 && w * 64 + k < d->ncrule; k++)
                    all |= 1ull << k;
                uint64_t got = tw_rest_word(d, &L, w, all);
                for (unsigned k = 0; k < 64 && w * 64 + k < d->ncrule; k++) {
                    int want = tw_crule_rest(&d->crule[w * 64 + k], &L);
                    if (((got >> k) & 1) != (uint64_t)want)
                        fail_msg("table %d view %d rule %u: word result %d, rule by rule %d", table, view, w * 64 + k,
                                 (int)((got >> k) & 1), want);
                    checked++;
                    held += (unsigned)want;
                }
                /* a subset in, the same subset's results out */
                uint64_t some = all & rw_state;
                assert_true(tw_rest_word(d, &L, w, some) == (got & some));
            }
        }
        tw_detector_destroy(d);
        tw_tables_free(t);
    }
    /* both outcomes occur often */
    assert_true(checked > 500000);
    assert_true(held > checked / 50);
    assert_true(held < checked - checked / 50);
}

/* ---- the rule memo (struct tw_flow_ent: mxa, mxb, mrest) ---- */
/* What a detector emits, folded: per frame the alert count, every alert and every flow record. */
struct memo_out {
    uint64_t h, alerts, flows;
};
static void memo_mix(struct memo_out *o, uint64_t v)
{
    o->h = (o->h ^ v) * 0x100000001B3ull;
}
static void memo_on_alert(void *ctx, const struct tw_det_alert *a)
{
    struct memo_out *o = ctx;
    o->alerts++;
    memo_mix(o, a->rule);
    memo_mix(o, a->pcap_cnt);
    memo_mix(o, a->flow_id);
    memo_mix(o, (uint64_t)a->inner << 1 | a->mirror_copy);
}
static void memo_on_flow(void *ctx, const struct tw_flow_rec *f)
{
    struct memo_out *o = ctx;
    o->flows++;
    memo_mix(o, f->flow_id);
    memo_mix(o, f->pkts_toserver << 32 | f->pkts_toclient);
    memo_mix(o, f->bytes_toserver ^ f->bytes_toclient << 20);
    memo_mix(o, (uint64_t)f->reason << 16 | f->state << 8 | f->alerted);
}

/* A rule condition on every field the memo's key words hold, and state by every track. */
static void memo_rules(struct tw_tables *t, int inner_rule)
{
    unsigned home = fx_prefix(t, "10.0.0.0", 8, 0), dns = fx_prefix(t, "10.0.0.53", 32, 1);
    fx_prefix(t, "2001:db8::", 32, 0);
    unsigned low = fx_ports(t, 0, 1023, 0), web = fx_ports(t, 443, 443, 1);
    fx_oui(t, 0x00e0fc, 0, "HW");
    fx_oui(t, 0x00259e, 1, "HW2");
    struct tw_rule_entry *r;
    r = fx_rule(t, 1); /* ttl */
    r->ttl_op = TW_CMP_GT, r->ttl_a = 250;
    r = fx_rule(t, 2); /* flags, ports */
    r->proto_v = 1, r->proto = 6, r->flg_mod = TW_FLG_MASKED, r->flg_mask = 0x12, r->flg_val = 0x02;
    r->dp_in_v = 1, r->dp_in = (uint8_t)low;
    r = fx_rule(t, 3); /* vendors */
    r->sv_mask = 1;
    r = fx_rule(t, 4);
    r->dv_mask = 2, r->dv_not = 1, r->dst_in_v = 1, r->dst_in = (uint8_t)home;
    r = fx_rule(t, 5); /* vlan.id */
    r->vlan_op = TW_CMP_EQ, r->vlan_layer = TW_VL_1, r->vlan_a = 7;
    r = fx_rule(t, 6);
    r->vlan_op = TW_CMP_LT, r->vlan_layer = TW_VL_ALL, r->vlan_a = 5;
    r = fx_rule(t, 7); /* tunnel kinds */
    r->tun_mask = 1u << TW_TUN_VXLAN | 1u << TW_TUN_GTPU;
    r = fx_rule(t, 8); /* addresses both ways, ports */
    r->bidir = 1, r->src_in_v = 1, r->src_in = (uint8_t)home, r->dst_ex_v = 1, r->dst_ex = (uint8_t)home;
    r->sp_in_v = 1, r->sp_in = (uint8_t)web;
    r = fx_rule(t, 9); /* pass */
    r->action = TW_ACT_PASS, r->dst_in_v = 1, r->dst_in = (uint8_t)dns;
    unsigned tracks[5] = {TW_TRACK_SRC, TW_TRACK_DST, TW_TRACK_BOTH, TW_TRACK_RULE, TW_TRACK_FLOW};
    for (unsigned k = 0; k < 5; k++) {
        r = fx_rule(t, 10 + k); /* threshold state by every track */
        r->thr_type = TW_THR_THRESHOLD, r->thr_track = (uint8_t)tracks[k], r->thr_count = 3, r->thr_seconds = 2;
        r->proto_v = 1, r->proto = (uint8_t)(k & 1 ? 17 : 6);
    }
    r = fx_rule(t, 22); /* ports: true for port 0, false without ports */
    r->proto_v = 1, r->proto = 6, r->dp_in_v = 1, r->dp_in = (uint8_t)low;
    r = fx_rule(t, 20); /* volume by_dst */
    r->vol_v = 1, r->vol_track = TW_TRACK_DST, r->vol_bytes = 3000, r->vol_seconds = 1;
    r = fx_rule(t, 21);
    r->vol_v = 1, r->vol_track = TW_TRACK_SRC, r->vol_bytes = 5000, r->vol_seconds = 1, r->src_not = 1;
    r->src_in_v = 1, r->src_in = (uint8_t)home;
    if (inner_rule) {
        r = fx_rule(t, 30);
        r->inner = 1, r->proto_v = 1, r->proto = 6, r->dp_in_v = 1, r->dp_in = (uint8_t)low;
    }
}

/* A frame of one of a few flows, with the fields of the memo's words varied now and then. */
static struct tw_meta memo_frame(uint64_t ts)
{
    static const uint32_t addr[6] = {0x0a000001, 0x0a000035, 0x0a000102, 0x08080808, 0xc6336401, 0x0a090909};
    static const uint16_t port[5] = {53, 443, 23, 5000, 40000};
    static const uint64_t mac[4] = {0x020000000001ull, 0x00e0fc000001ull, 0x00259e000002ull, 0x020000000002ull};
    unsigned f = rw(24);
    int v6 = f >= 20;
    uint8_t proto = f % 5 == 4 ? 1 : f % 3 == 0 ? 17 : 6;
    struct tw_meta m = fx_ip4(addr[f % 6], addr[(f / 6 + 1 + f) % 6], proto, port[f % 5], port[(f + 2) % 5], ts);
    if (v6) {
        m.o_ip_ver = 6;
        memset(m.o_ip_src, 0, 16), memset(m.o_ip_dst, 0, 16);
        m.o_ip_src[0] = 0x20, m.o_ip_src[1] = 0x01, m.o_ip_src[2] = 0x0d, m.o_ip_src[3] = 0xb8;
        m.o_ip_dst[0] = 0x2a, m.o_ip_dst[15] = (uint8_t)f;
        m.o_ip_src[15] = (uint8_t)(f & 1);
    }
    if ((f & 1) ^ !rw(8)) { /* the other direction: mostly the same per flow */
        uint8_t t[16];
        memcpy(t, m.o_ip_src, 16), memcpy(m.o_ip_src, m.o_ip_dst, 16), memcpy(m.o_ip_dst, t, 16);
        uint16_t p = m.o_sport;
        m.o_sport = m.o_dport, m.o_dport = p;
    }
    if (!rw(16))
        m.o_ip_ttl = (uint8_t)(rw(2) ? 255 : rw(256));
    if (proto == 6)
        m.o_tcp_flags = (uint8_t)(rw(8) ? 0x10 : (uint8_t[]){0x02, 0x12, 0x04, 0x11}[rw(4)]);
    if (!rw(16)) {
        m.o_l4 = 0; /* a fragment: no ports (in the flow key as port 0) */
        m.o_sport = m.o_dport = 0;
    } else if (!rw(16)) {
        m.o_sport = m.o_dport = 0, m.o_tcp_flags = 0; /* port 0 */
    }
    if (!rw(16))
        m.o_smac = mac[rw(4)];
    if (!rw(16))
        m.o_dmac = mac[rw(4)];
    if (!rw(12)) {
        m.o_vlan_n = (uint8_t)(1 + rw(3));
        m.o_vlan0_tci = (uint16_t)rw(9);
        m.o_vlan1_tci = m.o_vlan_n > 1 ? (uint16_t)(rw(2) ? 7 : rw(4096)) : 0;
    }
    if (!rw(32))
        m.o_l2 = 0;
    if (!rw(10)) {
        struct tw_meta in = fx_ip4(addr[rw(6)], addr[rw(6)], 6, port[rw(5)], port[rw(5)], ts);
        fx_tunnel(&m, 1 + rw(TW_TUN_COUNT - 1), rw(100), &in);
    }
    m.len = (uint16_t)(60 + rw(1400));
    return m;
}

/* The same frames through a detector with the memo and one without: the same alerts, flow records and counters.
 * The first runs tw_analyze's look-ahead (prepare_a, prepare_b two frames later, the frame four frames later), so
 * the flow entry the memo and the access hint come from may have changed in between; a small flow table makes
 * expiries and evictions frequent. */
static void memo_run(int inner_rule, unsigned ways)
{
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    memo_rules(t, inner_rule);
    struct tw_detect_params p = fx_params();
    p.flow_buckets = 16, p.flow_ways = ways, p.flow_idle_ns = 1500 * MS, p.flow_hard_ns = 20 * SEC;
    p.state_buckets = 4, p.state_ways = 2;
    struct memo_out o[2] = {{0, 0, 0}, {0, 0, 0}};
    struct tw_detector *d[2];
    for (int k = 0; k < 2; k++) {
        struct tw_detect_sink sink = {.ctx = &o[k], .alert = memo_on_alert, .flow = memo_on_flow};
        assert_int_equal(tw_detector_create(&d[k], &p, t, &sink), 0);
    }
    tw_detector_rmemo_enable(d[1], 0);
    assert_true(d[0]->rmemo_on);
    assert_false(d[1]->rmemo_on);
    enum { AHEAD = 4, LAG = 2, N = 60000 };
    static struct tw_meta ring_m[AHEAD];
    static struct tw_det_pre ring_p[AHEAD];
    uint64_t ts = T0, cnt = 0, done = 0;
    for (unsigned i = 0; i < N + AHEAD; i++) {
        if (i >= AHEAD) { /* the oldest frame through both */
            unsigned k = (unsigned)(done % AHEAD);
            done++;
            int n0 = tw_detector_frame_pre(d[0], &ring_m[k], &ring_p[k], NULL, 0, done);
            int n1 = tw_detector_frame(d[1], &ring_m[k], NULL, 0, done);
            if (n0 != n1)
                fail_msg("frame %llu: %d alerts with the memo, %d without", (unsigned long long)done, n0, n1);
        }
        if (i < N) {
            ts += rw(64) ? rw(2000) * 1000ull : rw(2000) * MS;
            unsigned k = (unsigned)(cnt % AHEAD);
            cnt++;
            ring_m[k] = memo_frame(ts);
            tw_detector_prepare_a(d[0], &ring_m[k], &ring_p[k]);
        }
        if (cnt - done > LAG) /* prepare_b LAG frames after prepare_a */
            tw_detector_prepare_b(d[0], &ring_m[(done + (cnt - done - LAG - 1)) % AHEAD],
                                  &ring_p[(done + (cnt - done - LAG - 1)) % AHEAD]);
        else if (i >= N && cnt > done) /* the last ones */
            tw_detector_prepare_b(d[0], &ring_m[done % AHEAD], &ring_p[done % AHEAD]);
    }
    for (int k = 0; k < 2; k++)
        tw_detector_finish(d[k]);
    struct tw_detect_stats s0, s1;
    tw_detector_stats(d[0], &s0);
    tw_detector_stats(d[1], &s1);
    assert_memory_equal(&s0, &s1, sizeof s0);
    assert_memory_equal(tw_detector_rule_matches(d[0]), tw_detector_rule_matches(d[1]),
                        t->settings.n_rules * sizeof(uint64_t));
    assert_true(o[0].h == o[1].h && o[0].alerts == o[1].alerts && o[0].flows == o[1].flows);
    /* both outcomes of every kind occur often */
    assert_true(o[0].alerts > 3000 && o[0].flows > 1000);
    assert_true(s0.alerts_thresholded > 1000 && s0.flows_evicted > 500 && s0.flows_timeout > 100);
    assert_true(d[0]->rmemo_hits > N / 5 && d[0]->rmemo_misses > N / 10);
    assert_true(d[1]->rmemo_hits == 0 && d[1]->rmemo_misses == 0);
    for (int k = 0; k < 2; k++)
        tw_detector_destroy(d[k]);
    tw_tables_free(t);
}

static void test_rule_memo_exact(void **st)
{
    (void)st;
    memo_run(0, 2); /* every frame with a flow memoised, tunnelled ones too (their tunnel kind in the key) */
    memo_run(1, 4); /* an inner rule: tunnelled frames are evaluated in full */
}

static void test_flow_key_canonical(void **st)
{
    (void)st;
    struct tw_flow_key k1, k2;
    int r1, r2;
    struct tw_meta a = fx_ip4(A, B, 6, 5000, 80, T0), b = fx_ip4(B, A, 6, 80, 5000, T0);
    assert_int_equal(tw_flow_key_of(&a, &k1, &r1), 1);
    assert_int_equal(tw_flow_key_of(&b, &k2, &r2), 1);
    assert_memory_equal(k1.b, k2.b, TW_FLOW_KEY_BYTES);
    assert_int_equal(r1, 0);
    assert_int_equal(r2, 1);
    assert_int_equal(k1.b[32] << 8 | k1.b[33], 5000); /* side a = 10.0.0.1:5000 */
    assert_int_equal(k1.b[36], 6);
    assert_int_equal(k1.b[37], 4);
    struct tw_meta icmp = fx_ip4(A, B, 1, 0, 0, T0);
    icmp.o_l4 = 1;
    icmp.o_sport = 7; /* ICMP has no ports: zero in the key */
    assert_int_equal(tw_flow_key_of(&icmp, &k1, &r1), 1);
    assert_int_equal(k1.b[32] | k1.b[33] | k1.b[34] | k1.b[35], 0);
    icmp.o_ip_ver = 0;
    assert_int_equal(tw_flow_key_of(&icmp, &k1, &r1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bidirectional_flow_record),
        cmocka_unit_test(test_flow_state_and_alerted),
        cmocka_unit_test(test_vlan_separates_flows),
        cmocka_unit_test(test_idle_timeout_on_access),
        cmocka_unit_test(test_hard_timeout),
        cmocka_unit_test(test_sweep_expires_idle_flows),
        cmocka_unit_test(test_flow_due_bound),
        cmocka_unit_test(test_eviction_full_bucket),
        cmocka_unit_test(test_time_going_backwards),
        cmocka_unit_test(test_mirror_window_edges),
        cmocka_unit_test(test_mirror_window_param),
        cmocka_unit_test(test_mirror_invariant_fields),
        cmocka_unit_test(test_mirror_ipv6_flow_label),
        cmocka_unit_test(test_mirror_lookup_before_insert),
        cmocka_unit_test(test_digest_replacement),
        cmocka_unit_test(test_hash_check_values),
        cmocka_unit_test(test_hash_crc32_paths_agree),
        cmocka_unit_test(test_hash_pre8_and_digest_tag_of),
        cmocka_unit_test(test_hash_fixed_sizes),
        cmocka_unit_test(test_hash_words),
        cmocka_unit_test(test_state_tag_layout),
        cmocka_unit_test(test_flow_key_layout_random),
        cmocka_unit_test(test_digest_vector_layout),
        cmocka_unit_test(test_flow_key_canonical),
        cmocka_unit_test(test_rest_word_matches_rule_by_rule),
        cmocka_unit_test(test_rule_memo_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
