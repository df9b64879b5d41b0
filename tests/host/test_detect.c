/* The detection semantics of the software reference detector, from records and tables built by hand:
 * rule fields, pass, alert cap, thresholds, volume, state-table exhaustion, rate limiting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

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
    return c;
}

static void start(struct ctx *c)
{
    char err[256];
    assert_int_equal(tw_tables_validate(c->t, err, sizeof err), 0);
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

#define A 0x0a000001u /* 10.0.0.1 */
#define B 0x0a000002u
#define X 0xc0a80001u /* 192.168.0.1 */

/* ---- rule fields ---- */
static void test_protocol_and_any(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_rule(c->t, 1);                    /* ip any any -> any any */
    struct tw_rule_entry *r2 = fx_rule(c->t, 2); /* udp */
    r2->proto_v = 1;
    r2->proto = 17;
    struct tw_rule_entry *r3 = fx_rule(c->t, 3); /* tcp */
    r3->proto_v = 1;
    r3->proto = 6;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1000, 53, T0);
    assert_int_equal(feed(c, &m), 2);
    assert_int_equal(c->s.a[0].rule, 0);
    assert_int_equal(c->s.a[1].rule, 1);
    struct tw_meta arp = fx_ip4(A, B, 17, 1, 2, T0);
    arp.o_ip_ver = 0; /* no IP header: rules never match */
    assert_int_equal(feed(c, &arp), 0);
    assert_int_equal(stats(c).no_ip, 1);
    end(c);
}

static void test_address_sets_and_negation(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    unsigned home = fx_prefix(c->t, "10.0.0.0", 8, 0);
    unsigned sub = fx_prefix(c->t, "10.0.0.0", 24, 1);
    /* [10.0.0.0/8,!10.0.0.0/24] as source: in home, not in sub */
    struct tw_rule_entry *r = fx_rule(c->t, 10);
    r->src_in_v = 1;
    r->src_in = (uint8_t)home;
    r->src_ex_v = 1;
    r->src_ex = (uint8_t)sub;
    /* !10.0.0.0/8 as destination */
    r = fx_rule(c->t, 11);
    r->dst_in_v = 1;
    r->dst_in = (uint8_t)home;
    r->dst_not = 1;
    start(c);
    struct tw_meta m = fx_ip4(0x0a010203u, X, 17, 1, 2, T0); /* 10.1.2.3 -> 192.168.0.1 */
    assert_int_equal(feed(c, &m), 2);
    m = fx_ip4(A, X, 17, 1, 2, T0); /* 10.0.0.1 is in the excluded /24 */
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[2].rule, 1);
    m = fx_ip4(0x0a010203u, B, 17, 1, 2, T0); /* destination inside 10/8: rule 11 fails */
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[3].rule, 0);
    end(c);
}

static void test_ipv6_address_set(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    unsigned s6 = fx_prefix(c->t, "2001:db8::", 32, 0);
    struct tw_rule_entry *r = fx_rule(c->t, 1);
    r->dst_in_v = 1;
    r->dst_in = (uint8_t)s6;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    m.o_ip_ver = 6;
    inet_pton(AF_INET6, "2001:db8::1", m.o_ip_dst);
    inet_pton(AF_INET6, "2001:db9::1", m.o_ip_src);
    assert_int_equal(feed(c, &m), 1);
    inet_pton(AF_INET6, "2001:db9::1", m.o_ip_dst);
    assert_int_equal(feed(c, &m), 0);
    /* an IPv4 address whose last 4 bytes equal the v6 prefix's never matches a v6 prefix */
    struct tw_meta m4 = fx_ip4(A, 0x20010db8u, 17, 1, 2, T0);
    assert_int_equal(feed(c, &m4), 0);
    end(c);
}

static void test_ports_and_negation(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    unsigned dns = fx_ports(c->t, 53, 53, 0);
    unsigned hi = fx_ports(c->t, 1024, 65535, 1);
    struct tw_rule_entry *r = fx_rule(c->t, 1); /* any any -> any 53 */
    r->dp_in_v = 1;
    r->dp_in = (uint8_t)dns;
    r = fx_rule(c->t, 2); /* any !1024: -> any any */
    r->sp_in_v = 1;
    r->sp_in = (uint8_t)hi;
    r->sp_not = 1;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 2000, 53, T0);
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[0].rule, 0);
    m = fx_ip4(A, B, 17, 53, 2000, T0);
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[1].rule, 1);
    /* a port condition (negated or not) needs ports: ICMP matches neither */
    m = fx_ip4(A, B, 1, 0, 0, T0);
    assert_int_equal(feed(c, &m), 0);
    /* a non-first fragment has no L4 */
    m = fx_ip4(A, B, 17, 2000, 53, T0);
    m.o_l4 = 0;
    assert_int_equal(feed(c, &m), 0);
    end(c);
}

static void test_bidirectional(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    unsigned sa = fx_prefix(c->t, "10.0.0.1", 32, 0);
    unsigned ps = fx_ports(c->t, 23, 23, 0);
    struct tw_rule_entry *r = fx_rule(c->t, 1); /* 10.0.0.1 any -> any 23 */
    r->src_in_v = 1;
    r->src_in = (uint8_t)sa;
    r->dp_in_v = 1;
    r->dp_in = (uint8_t)ps;
    struct tw_rule_entry *r2 = fx_rule(c->t, 2); /* 10.0.0.1 any <> any 23 */
    *r2 = *r;
    r2->sid = 2;
    r2->bidir = 1;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 6, 40000, 23, T0);
    assert_int_equal(feed(c, &m), 2);
    m = fx_ip4(B, A, 6, 23, 40000, T0); /* the answer: only <> matches */
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[2].rule, 1);
    m = fx_ip4(B, A, 6, 40000, 23, T0); /* swapped, but the port is on the wrong side */
    assert_int_equal(feed(c, &m), 0);
    end(c);
}

static void test_vendors(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_oui(c->t, 0x00e0fc, 0, "HW");
    fx_oui(c->t, 0x001e73, 1, "ZTE");
    struct tw_rule_entry *r = fx_rule(c->t, 1); /* src_vendor:HW */
    r->sv_mask = 1;
    r = fx_rule(c->t, 2); /* dst_vendor:!ZTE */
    r->dv_mask = 2;
    r->dv_not = 1;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    m.o_smac = 0x00e0fc123456ull;
    m.o_dmac = 0x001e73000001ull;
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[0].rule, 0);
    m.o_smac = 0x020000000001ull;
    m.o_dmac = 0x020000000002ull;
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[1].rule, 1);
    /* without an Ethernet header a vendor condition is false, negated or not */
    m.o_l2 = 0;
    assert_int_equal(feed(c, &m), 0);
    end(c);
}

static void test_vendor_lookups_many_macs(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_oui(c->t, 0x00e0fc, 0, "HW");
    fx_rule(c->t, 1)->sv_mask = 1;
    start(c);
    unsigned hits = 0;
    for (uint32_t i = 0; i < 300; i++) { /* many OUIs (the lookups are memoised): only HW's matches */
        struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
        m.o_smac = (i % 3 == 0) ? 0x00e0fc000000ull + i : ((uint64_t)(0x100000 + i * 4099u) << 24) | i;
        hits += (unsigned)feed(c, &m);
    }
    assert_int_equal(hits, 100);
    end(c);
}

static void test_tunnel_vlan_ttl_flags(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    struct tw_rule_entry *r = fx_rule(c->t, 1); /* tunnel:erspan */
    r->tun_mask = (1u << TW_TUN_ERSPAN1) | (1u << TW_TUN_ERSPAN2) | (1u << TW_TUN_ERSPAN3);
    r = fx_rule(c->t, 2); /* vlan.id:100 (any layer) */
    r->vlan_op = TW_CMP_EQ;
    r->vlan_layer = TW_VL_ANY;
    r->vlan_a = 100;
    r = fx_rule(c->t, 3); /* ttl:>200 */
    r->ttl_op = TW_CMP_GT;
    r->ttl_a = 200;
    r = fx_rule(c->t, 4); /* flags:S,12 -> SYN set, ACK clear */
    r->flg_mod = TW_FLG_MASKED;
    r->flg_mask = 0x12;
    r->flg_val = 0x02;
    r = fx_rule(c->t, 5); /* vlan.id second tag (VL_1) == 200 */
    r->vlan_op = TW_CMP_EQ;
    r->vlan_layer = TW_VL_1;
    r->vlan_a = 200;
    start(c);
    struct tw_meta in = fx_ip4(A, B, 17, 1, 2, T0);
    struct tw_meta m = fx_ip4(X, B, 47, 0, 0, T0);
    fx_tunnel(&m, TW_TUN_ERSPAN2, 7, &in);
    assert_int_equal(feed(c, &m), 1);
    m.tun_kind = TW_TUN_VXLAN;
    assert_int_equal(feed(c, &m), 0);

    m = fx_ip4(A, B, 17, 1, 2, T0);
    m.o_vlan_n = 2;
    m.o_vlan0_tci = 0x2000 | 100; /* PCP bits ignored */
    m.o_vlan1_tci = 200;
    assert_int_equal(feed(c, &m), 2); /* rules 2 and 5 */
    m.o_vlan0_tci = 200;
    m.o_vlan1_tci = 100;
    assert_int_equal(feed(c, &m), 1); /* rule 2 only: the second tag is 100 */
    m.o_vlan_n = 0;
    assert_int_equal(feed(c, &m), 0);

    m = fx_ip4(A, B, 17, 1, 2, T0);
    m.o_ip_ttl = 255;
    assert_int_equal(feed(c, &m), 1);
    m.o_ip_ttl = 200;
    assert_int_equal(feed(c, &m), 0);

    m = fx_ip4(A, B, 6, 1, 2, T0);
    m.o_tcp_flags = 0x02;
    assert_int_equal(feed(c, &m), 1);
    m.o_tcp_flags = 0x12;
    assert_int_equal(feed(c, &m), 0);
    m = fx_ip4(A, B, 17, 1, 2, T0); /* flags need TCP */
    m.o_tcp_flags = 0x02;
    assert_int_equal(feed(c, &m), 0);
    end(c);
}

static void test_inner(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    unsigned home = fx_prefix(c->t, "10.0.0.0", 8, 0);
    struct tw_rule_entry *r = fx_rule(c->t, 1); /* inner; 10/8 -> any, udp */
    r->inner = 1;
    r->proto_v = 1;
    r->proto = 17;
    r->src_in_v = 1;
    r->src_in = (uint8_t)home;
    r = fx_rule(c->t, 2); /* outer: 10/8 -> any */
    r->src_in_v = 1;
    r->src_in = (uint8_t)home;
    start(c);
    struct tw_meta in = fx_ip4(A, B, 17, 1, 2, T0);
    struct tw_meta m = fx_ip4(X, B, 47, 0, 0, T0);
    fx_tunnel(&m, TW_TUN_GRE, 1, &in);
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[0].rule, 0);
    assert_int_equal(c->s.a[0].inner, 1);
    /* no inner packet: inner rules never match */
    m = fx_ip4(A, B, 17, 1, 2, T0);
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(c->s.a[1].rule, 1);
    assert_int_equal(c->s.a[1].inner, 0);
    end(c);
}

static void test_pass_suppresses_later_only(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    unsigned an = fx_prefix(c->t, "192.168.0.1", 32, 0);
    fx_rule(c->t, 1);                                  /* alert ip any any -> any any */
    struct tw_rule_entry *p = fx_rule(c->t, 2);        /* pass ip any any -> 192.168.0.1 any */
    p->action = TW_ACT_PASS;
    p->dst_in_v = 1;
    p->dst_in = (uint8_t)an;
    fx_rule(c->t, 3);                                  /* alert ip any any -> any any */
    start(c);
    struct tw_meta m = fx_ip4(A, X, 17, 1, 2, T0);
    assert_int_equal(feed(c, &m), 1); /* rule 1 before the pass alerts; rule 3 is suppressed */
    assert_int_equal(c->s.a[0].rule, 0);
    assert_int_equal(stats(c).pass_suppressed, 1);
    m = fx_ip4(A, B, 17, 1, 2, T0); /* pass does not match: both alert */
    assert_int_equal(feed(c, &m), 2);
    end(c);
}

static void test_nine_alerts_overflow(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    for (unsigned i = 0; i < 10; i++)
        fx_rule(c->t, 100 + i);
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    assert_int_equal(feed(c, &m), 8);
    for (unsigned i = 0; i < 8; i++)
        assert_int_equal(c->s.a[i].rule, i); /* in rule order */
    struct tw_detect_stats s = stats(c);
    assert_int_equal(s.alerts, 8);
    assert_int_equal(s.alerts_overflow, 2);
    const uint64_t *ra = tw_detector_rule_alerts(c->d);
    assert_int_equal(ra[7], 1);
    assert_int_equal(ra[8], 0);
    assert_int_equal(tw_detector_rule_matches(c->d)[9], 1);
    end(c);
}

static void test_max_alerts_param(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    for (unsigned i = 0; i < 4; i++)
        fx_rule(c->t, 100 + i);
    c->p.max_alerts = 3;
    start(c);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    assert_int_equal(feed(c, &m), 3);
    assert_int_equal(stats(c).alerts_overflow, 1);
    end(c);
}

/* ---- thresholds (Suricata semantics) ---- */
static struct tw_rule_entry *thr_rule(struct ctx *c, unsigned type, unsigned track, unsigned count, unsigned secs)
{
    struct tw_rule_entry *r = fx_rule(c->t, 1);
    r->thr_type = (uint8_t)type;
    r->thr_track = (uint8_t)track;
    r->thr_count = count;
    r->thr_seconds = secs;
    return r;
}

/* Feeds n identical frames at ts and returns how many alerted. */
static unsigned burst(struct ctx *c, const struct tw_meta *m, unsigned n)
{
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++)
        k += (unsigned)feed(c, m);
    return k;
}

static void test_threshold_limit_by_src(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    thr_rule(c, TW_THR_LIMIT, TW_TRACK_SRC, 2, 60);
    start(c);
    struct tw_meta a = fx_ip4(A, X, 17, 1, 2, T0), b = fx_ip4(B, X, 17, 1, 2, T0);
    assert_int_equal(burst(c, &a, 5), 2); /* the first 2 in the window */
    assert_int_equal(burst(c, &b, 3), 2); /* another source has its own count */
    a.ts = T0 + 60 * SEC;                 /* exactly 60 s later: still the same window */
    assert_int_equal(burst(c, &a, 1), 0);
    a.ts = T0 + 60 * SEC + 1;             /* after it: a new window */
    assert_int_equal(burst(c, &a, 3), 2);
    assert_int_equal(stats(c).alerts_thresholded, 3 + 1 + 1 + 1);
    end(c);
}

/* The state tags of the first candidates are computed ahead with the frame's other hashes (at most TW_PRE_STAGS of
 * them), the others when the rule is evaluated: a rule's state is the same entry either way. R0..R7 (UDP) fill the
 * prepared tags of a UDP frame, so R8 (any protocol) gets its tag computed late there and prepared on a TCP frame. */
static void test_state_tags_prepared_and_late_agree(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    c->p.max_alerts = TW_DETECT_MAX_ALERTS;
    for (unsigned i = 0; i < 8; i++) {
        struct tw_rule_entry *r = thr_rule(c, TW_THR_LIMIT, TW_TRACK_SRC, 2, 60);
        r->sid = 10 + i;
        r->proto_v = 1;
        r->proto = 17;
    }
    thr_rule(c, TW_THR_LIMIT, TW_TRACK_SRC, 2, 60)->sid = 99; /* R8: any protocol */
    start(c);
    struct tw_meta u = fx_ip4(A, X, 17, 1, 2, T0), t = fx_ip4(A, X, 6, 1, 2, T0 + 1);
    assert_int_equal(feed(c, &u), 8); /* R0..R8 match: 9 alerts, the 9th over the cap of 8 */
    assert_int_equal(stats(c).alerts_overflow, 1);
    assert_int_equal(feed(c, &t), 1); /* R8 alone: its second match (count 2 <= 2) */
    u.ts = T0 + 2;
    /* R0..R7 at their second match alert; R8's third match in the window is over the limit: its late-computed
     * tag found the entry its prepared tag updated */
    assert_int_equal(feed(c, &u), 8);
    assert_int_equal(stats(c).alerts_thresholded, 1);
    assert_int_equal(stats(c).alerts_overflow, 1);
    end(c);
}

static void test_threshold_threshold_by_dst(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    thr_rule(c, TW_THR_THRESHOLD, TW_TRACK_DST, 3, 10);
    start(c);
    struct tw_meta m = fx_ip4(A, X, 17, 1, 2, T0);
    unsigned got[7];
    for (unsigned i = 0; i < 7; i++) {
        m.o_ip_src[15] = (uint8_t)i; /* different sources, same destination */
        got[i] = (unsigned)feed(c, &m);
    }
    unsigned want[7] = {0, 0, 1, 0, 0, 1, 0}; /* every 3rd */
    for (unsigned i = 0; i < 7; i++)
        assert_int_equal(got[i], want[i]);
    m.ts = T0 + 11 * SEC; /* window over: the count restarts (1 of 3) */
    assert_int_equal(feed(c, &m), 0);
    end(c);
}

static void test_threshold_both_by_both(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    thr_rule(c, TW_THR_BOTH, TW_TRACK_BOTH, 3, 10);
    start(c);
    struct tw_meta ab = fx_ip4(A, B, 17, 1, 2, T0), ba = fx_ip4(B, A, 17, 2, 1, T0), ax = fx_ip4(A, X, 17, 1, 2, T0);
    assert_int_equal(feed(c, &ab), 0);
    assert_int_equal(feed(c, &ba), 0); /* the pair is unordered: the same key */
    assert_int_equal(feed(c, &ax), 0); /* another pair */
    assert_int_equal(feed(c, &ab), 1); /* the 3rd of the pair: once */
    assert_int_equal(burst(c, &ab, 5), 0);
    ab.ts = T0 + 10 * SEC + 1;
    assert_int_equal(burst(c, &ab, 3), 1);
    end(c);
}

static void test_detection_filter_by_rule(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    thr_rule(c, TW_THR_DFILTER, TW_TRACK_RULE, 2, 5);
    start(c);
    struct tw_meta a = fx_ip4(A, X, 17, 1, 2, T0), b = fx_ip4(B, X, 17, 1, 2, T0 + SEC);
    assert_int_equal(feed(c, &a), 0);
    assert_int_equal(feed(c, &b), 0); /* by_rule: every source counts together */
    assert_int_equal(feed(c, &a), 1); /* after the count has been exceeded: every match */
    assert_int_equal(feed(c, &b), 1);
    a.ts = T0 + 6 * SEC; /* > 5 s after the window started */
    assert_int_equal(feed(c, &a), 0);
    end(c);
}

static void test_threshold_by_flow(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    thr_rule(c, TW_THR_LIMIT, TW_TRACK_FLOW, 1, 60);
    start(c);
    struct tw_meta f1 = fx_ip4(A, B, 6, 1000, 80, T0), f1r = fx_ip4(B, A, 6, 80, 1000, T0),
                   f2 = fx_ip4(A, B, 6, 1001, 80, T0);
    assert_int_equal(feed(c, &f1), 1);
    assert_int_equal(feed(c, &f1r), 0); /* the same flow, other direction */
    assert_int_equal(feed(c, &f2), 1);  /* another flow */
    assert_int_not_equal(c->s.a[0].flow_id, c->s.a[1].flow_id);
    end(c);
}

/* ---- volume ---- */
static void test_volume_window(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    struct tw_rule_entry *r = fx_rule(c->t, 1);
    r->vol_v = 1;
    r->vol_track = TW_TRACK_SRC;
    r->vol_bytes = 1000;
    r->vol_seconds = 10;
    start(c);
    struct tw_meta m = fx_ip4(A, X, 17, 1, 2, T0);
    m.len = 400;
    assert_int_equal(feed(c, &m), 0); /* 400 */
    assert_int_equal(feed(c, &m), 0); /* 800 */
    m.len = 200;
    assert_int_equal(feed(c, &m), 0); /* 1000: not above */
    m.len = 1;
    assert_int_equal(feed(c, &m), 1); /* 1001: alert once */
    m.len = 1500;
    assert_int_equal(burst(c, &m, 3), 0); /* once per window */
    struct tw_meta o = fx_ip4(B, X, 17, 1, 2, T0 + SEC); /* another key */
    o.len = 1001;
    assert_int_equal(feed(c, &o), 1);
    m.ts = T0 + 10 * SEC; /* still inside (window = 10 s from the first match) */
    assert_int_equal(feed(c, &m), 0);
    m.ts = T0 + 10 * SEC + 1; /* restarted: 1500 > 1000 at once */
    assert_int_equal(feed(c, &m), 1);
    end(c);
}

static void test_volume_fcs_excluded(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    struct tw_rule_entry *r = fx_rule(c->t, 1);
    r->vol_v = 1;
    r->vol_track = TW_TRACK_FLOW;
    r->vol_bytes = 100;
    r->vol_seconds = 10;
    c->p.fcs_bytes = 4;
    start(c);
    struct tw_meta m = fx_ip4(A, X, 17, 1, 2, T0);
    m.len = 104; /* 100 bytes without the FCS: not above 100 */
    assert_int_equal(feed(c, &m), 0);
    m.len = 5;
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(stats(c).bytes, 101);
    end(c);
}

static void test_state_full_errs_toward_alerting(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    thr_rule(c, TW_THR_LIMIT, TW_TRACK_SRC, 1, 60);
    c->p.state_buckets = 1;
    c->p.state_ways = 2;
    start(c);
    struct tw_meta m = fx_ip4(A, X, 17, 1, 2, T0);
    for (unsigned i = 0; i < 2; i++) { /* fill both ways */
        m.o_ip_src[15] = (uint8_t)(10 + i);
        assert_int_equal(feed(c, &m), 1);
        assert_int_equal(feed(c, &m), 0); /* limited: the state is kept */
    }
    m.o_ip_src[15] = 99; /* a third key: no way free, the match alerts every time */
    assert_int_equal(burst(c, &m, 3), 3);
    assert_int_equal(stats(c).state_full, 3);
    m.ts = T0 + 61 * SEC; /* the old windows are over: their ways are free again */
    assert_int_equal(burst(c, &m, 3), 1);
    assert_int_equal(stats(c).state_full, 3);
    end(c);
}

/* ---- rate limiter (GCRA) ---- */
static void test_rate_limit(void **st)
{
    (void)st;
    struct ctx *c = new_ctx();
    fx_rule(c->t, 1);
    fx_rule(c->t, 2);
    c->p.rate_per_s = 2;  /* one alert every 500 ms */
    c->p.rate_burst = 3;
    start(c);
    struct tw_meta m = fx_ip4(A, X, 17, 1, 2, T0);
    assert_int_equal(burst(c, &m, 5), 2 * 3); /* each rule: the burst of 3 */
    const uint64_t *lim = tw_detector_rule_limited(c->d);
    assert_int_equal(lim[0], 2);
    assert_int_equal(lim[1], 2);
    m.ts = T0 + 500 * MS - 1;
    assert_int_equal(feed(c, &m), 0);
    m.ts = T0 + 500 * MS; /* one token back */
    assert_int_equal(feed(c, &m), 2);
    assert_int_equal(feed(c, &m), 0);
    m.ts = T0 + 10 * SEC; /* long idle: the bucket is full again, never more */
    assert_int_equal(burst(c, &m, 4), 2 * 3);
    assert_int_equal(stats(c).alerts_rate_limited, 2 + 2 + 2 + 2 + 2);
    end(c);
}

/* ---- API errors ---- */
static void test_create_errors(void **st)
{
    (void)st;
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    struct tw_detector *d = (struct tw_detector *)&d;
    struct tw_detect_params p = fx_params();
    assert_int_equal(tw_detector_create(&d, NULL, t, NULL), TW_ERR_INVAL);
    assert_int_equal(tw_detector_create(&d, &p, NULL, NULL), TW_ERR_INVAL);
    assert_null(d);
    struct tw_detect_params bad[9];
    for (int i = 0; i < 9; i++)
        bad[i] = p;
    bad[0].flow_buckets = 1000;     /* not a power of two */
    bad[1].flow_ways = 9;
    bad[2].digest_sets = 0;
    bad[3].digest_ways = 0;
    bad[4].state_buckets = 3;
    bad[5].evidence_bytes = 129;
    bad[6].max_alerts = 9;
    bad[7].sweep_every = 0;
    bad[8].rate_per_s = 10, bad[8].rate_burst = 0;
    for (int i = 0; i < 9; i++)
        assert_int_equal(tw_detector_create(&d, &bad[i], t, NULL), TW_ERR_INVAL);
    t->settings.n_rules = TW_CAP_RULES + 1;
    assert_int_equal(tw_detector_create(&d, &p, t, NULL), TW_ERR_INVAL);
    t->settings.n_rules = 0;
    /* a detector without a sink still counts */
    assert_int_equal(tw_detector_create(&d, &p, t, NULL), 0);
    struct tw_meta m = fx_ip4(A, B, 17, 1, 2, T0);
    assert_int_equal(tw_detector_frame(d, &m, NULL, 0, 1), 0);
    tw_detector_finish(d);
    struct tw_detect_stats s;
    tw_detector_stats(d, &s);
    assert_int_equal(s.frames, 1);
    assert_int_equal(s.flows_shutdown, 1);
    tw_detector_destroy(d);
    tw_detector_destroy(NULL);
    tw_tables_free(t);
}

static void test_params_from_tables(void **st)
{
    (void)st;
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    t->settings.mirror_window_ms = 250;
    t->settings.flow_timeout_s = 30;
    t->settings.flow_hard_timeout_s = 300;
    t->settings.evidence_bytes = 64;
    t->settings.alert_rate = 5;
    t->settings.alert_burst = 9;
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    tw_detect_params_from_tables(&p, t);
    assert_int_equal(p.mirror_window_ns, 250 * MS);
    assert_int_equal(p.flow_idle_ns, 30 * SEC);
    assert_int_equal(p.flow_hard_ns, 300 * SEC);
    assert_int_equal(p.evidence_bytes, 64);
    assert_int_equal(p.rate_per_s, 5);
    assert_int_equal(p.rate_burst, 9);
    assert_int_equal(p.flow_buckets * p.flow_ways, 16384);
    assert_int_equal(p.digest_sets * p.digest_ways, 16384);
    tw_tables_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_protocol_and_any),
        cmocka_unit_test(test_address_sets_and_negation),
        cmocka_unit_test(test_ipv6_address_set),
        cmocka_unit_test(test_ports_and_negation),
        cmocka_unit_test(test_bidirectional),
        cmocka_unit_test(test_vendors),
        cmocka_unit_test(test_vendor_lookups_many_macs),
        cmocka_unit_test(test_tunnel_vlan_ttl_flags),
        cmocka_unit_test(test_inner),
        cmocka_unit_test(test_pass_suppresses_later_only),
        cmocka_unit_test(test_nine_alerts_overflow),
        cmocka_unit_test(test_max_alerts_param),
        cmocka_unit_test(test_threshold_limit_by_src),
        cmocka_unit_test(test_threshold_threshold_by_dst),
        cmocka_unit_test(test_threshold_both_by_both),
        cmocka_unit_test(test_detection_filter_by_rule),
        cmocka_unit_test(test_threshold_by_flow),
        cmocka_unit_test(test_volume_window),
        cmocka_unit_test(test_volume_fcs_excluded),
        cmocka_unit_test(test_state_full_errs_toward_alerting),
        cmocka_unit_test(test_state_tags_prepared_and_late_agree),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_create_errors),
        cmocka_unit_test(test_params_from_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
