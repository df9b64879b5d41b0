/* Detection semantics end to end from rule text: the configuration parser and compiler produce the tables, the
 * detector runs hand-built records. Checks that the compiler's encoding (negation as in/ex/not sets, <>, inner,
 * pass, thresholds, volume, vendors) and the detector agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "detect_fixture.h"
#include "tapwatch/detect_match.h"
#include "tapwatch/rules.h"

struct ctx {
    struct tw_tables *t;
    struct tw_detector *d;
    struct fx_sink s;
    uint64_t cnt;
};

static const char *CONFIG = "vars:\n"
                            "  address-groups:\n"
                            "    HOME_NET: \"[10.0.0.0/8,!10.0.0.0/24]\"\n"
                            "    OUTSIDE: \"!$HOME_NET\"\n"
                            "  port-groups:\n"
                            "    MGMT: \"[22,23,161]\"\n"
                            "vendors:\n"
                            "  HW:\n"
                            "    oui: [\"00:e0:fc\"]\n"
                            "detect:\n"
                            "  mirror-copy-window-ms: 100\n";

static struct ctx *compile_rules(const char *rules)
{
    struct ctx *c = calloc(1, sizeof *c);
    assert_non_null(c);
    char err[512] = "";
    struct tw_config *cfg = NULL;
    int rc = tw_config_parse(CONFIG, strlen(CONFIG), "test.yaml", NULL, &cfg, err, sizeof err);
    if (rc == 0)
        rc = tw_config_add_rules(cfg, rules, strlen(rules), "test.rules", err, sizeof err);
    if (rc == 0)
        rc = tw_compile(cfg, NULL, &c->t, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    tw_config_free(cfg);
    struct tw_detect_params p = fx_params();
    tw_detect_params_from_tables(&p, c->t);
    struct tw_detect_sink sink = fx_sink_of(&c->s);
    assert_int_equal(tw_detector_create(&c->d, &p, c->t, &sink), 0);
    return c;
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

/* sid of the k-th alert */
static uint32_t sid(struct ctx *c, unsigned k)
{
    assert_true(k < c->s.na);
    return c->t->rule[c->s.a[k].rule].sid;
}

static void test_groups_with_negation(void **st)
{
    (void)st;
    struct ctx *c = compile_rules("alert ip $HOME_NET any -> $OUTSIDE any (msg:\"out\"; sid:1;)\n"
                                  "alert udp any any -> any !$MGMT (msg:\"not mgmt\"; sid:2;)\n"
                                  "alert ip [10.0.0.0/8,!10.1.0.0/16] any -> any any (msg:\"list\"; sid:3;)\n");
    struct tw_meta m = fx_ip4(0x0a020304u, 0xc0a80001u, 17, 1000, 161, T0); /* 10.2.3.4 -> 192.168.0.1:161 */
    assert_int_equal(feed(c, &m), 2);
    assert_int_equal(sid(c, 0), 1);
    assert_int_equal(sid(c, 1), 3);
    m = fx_ip4(0x0a000005u, 0xc0a80001u, 17, 1000, 53, T0); /* 10.0.0.5 is excluded from HOME_NET */
    assert_int_equal(feed(c, &m), 2);
    assert_int_equal(sid(c, 2), 2);
    assert_int_equal(sid(c, 3), 3);
    m = fx_ip4(0x0a010001u, 0x0a020001u, 6, 1, 2, T0); /* 10.1/16 excluded from the list; dst at home */
    assert_int_equal(feed(c, &m), 0);
    end(c);
}

static void test_bidirectional_and_pass(void **st)
{
    (void)st;
    struct ctx *c = compile_rules("alert tcp 10.0.0.1 any <> any 23 (msg:\"telnet\"; sid:1;)\n"
                                  "pass tcp any any -> 10.9.9.9 any (msg:\"analyser\"; sid:2;)\n"
                                  "alert tcp any any -> any any (msg:\"any tcp\"; sid:3;)\n");
    struct tw_meta m = fx_ip4(0x0a000001u, 0x0a000002u, 6, 40000, 23, T0);
    assert_int_equal(feed(c, &m), 2);
    m = fx_ip4(0x0a000002u, 0x0a000001u, 6, 23, 40000, T0); /* the answer */
    assert_int_equal(feed(c, &m), 2);
    m = fx_ip4(0x0a000001u, 0x0a090909u, 6, 40000, 23, T0); /* to the analyser: telnet before the pass alerts */
    assert_int_equal(feed(c, &m), 1);
    assert_int_equal(sid(c, 4), 1);
    end(c);
}

static void test_threshold_and_volume_from_text(void **st)
{
    (void)st;
    struct ctx *c = compile_rules(
        "alert udp any any -> any 53 (msg:\"dns\"; threshold: type limit, track by_src, count 2, seconds 10; sid:1;)\n"
        "alert udp any any -> any 514 (msg:\"syslog\"; detection_filter: track by_dst, count 3, seconds 10; sid:2;)\n"
        "alert ip $HOME_NET any -> $OUTSIDE any (msg:\"exfil\"; volume: track by_dst, bytes 250, seconds 5; sid:3;)\n");
    struct tw_meta m = fx_ip4(0xc0a80001u, 0xc0a80002u, 17, 1, 53, T0);
    unsigned n = 0;
    for (int i = 0; i < 5; i++)
        n += (unsigned)feed(c, &m);
    assert_int_equal(n, 2); /* limit 2 */
    m = fx_ip4(0xc0a80001u, 0xc0a80002u, 17, 1, 514, T0);
    n = 0;
    for (int i = 0; i < 5; i++)
        n += (unsigned)feed(c, &m);
    assert_int_equal(n, 2); /* detection_filter: the 4th and 5th */
    m = fx_ip4(0x0a020304u, 0xc0a80009u, 17, 1, 9, T0);
    m.len = 100;
    n = 0;
    for (int i = 0; i < 5; i++)
        n += (unsigned)feed(c, &m); /* 100, 200, 300 > 250: once */
    assert_int_equal(n, 1);
    m.ts = T0 + 5 * SEC + 1; /* a new window for the destination */
    m.len = 300;
    assert_int_equal(feed(c, &m), 1);
    end(c);
}

static void test_inner_vendor_tunnel_ttl_flags(void **st)
{
    (void)st;
    struct ctx *c = compile_rules(
        "alert ip any any -> any any (msg:\"copy out\"; mirror_copy; tunnel:erspan; sid:1;)\n"
        "alert tcp any any -> any 23 (msg:\"inner telnet\"; inner; flags:S; sid:2;)\n"
        "alert ip any any -> any any (msg:\"hw high ttl\"; src_vendor:HW; ttl:>250; sid:3;)\n"
        "alert ip any any -> any any (msg:\"not hw\"; src_vendor:!HW; vlan.id:100; sid:4;)\n");
    struct tw_meta o = fx_ip4(0x0a000001u, 0x0a000002u, 6, 40000, 23, T0);
    o.o_tcp_flags = 0x02;
    o.o_smac = 0x00e0fc000001ull;
    o.o_ip_ttl = 255;
    assert_int_equal(feed(c, &o), 1);
    assert_int_equal(sid(c, 0), 3);
    struct tw_meta cp = fx_ip4(0x0a090909u, 0xcb007105u, 47, 0, 0, T0 + 50 * MS);
    cp.o_vlan_n = 1;
    cp.o_vlan0_tci = 100;
    fx_tunnel(&cp, TW_TUN_ERSPAN3, 5, &o);
    assert_int_equal(feed(c, &cp), 3); /* the copy, the telnet SYN inside it, and a non-HW sender in VLAN 100 */
    assert_int_equal(sid(c, 1), 1);
    assert_int_equal(sid(c, 2), 2);
    assert_int_equal(sid(c, 3), 4);
    assert_int_equal(c->s.a[2].inner, 1);
    end(c);
}

/* The detector (quick-reject prefilter + tw_crule_rest) against tw_detect_match (the full condition, plain table
 * lookups) on random records: for rules without thresholds and without a rate limit the detector's alerts are
 * exactly the match stage's selection, frame by frame. */
static uint64_t xs = 0x2545F4914F6CDD1Dull;
static unsigned rnd(unsigned n)
{
    xs ^= xs << 13;
    xs ^= xs >> 7;
    xs ^= xs << 17;
    return (unsigned)((xs >> 11) % n);
}

static struct tw_meta random_layer(unsigned id, uint64_t ts)
{
    static const uint32_t addr[] = {0x0a000001u, 0x0a000105u, 0x0a0000fe, 0xc6336401u, 0x08080808u, 0xcb00714du};
    static const uint8_t proto[] = {1, 6, 6, 17, 17, 47, 132, 58};
    static const uint16_t port[] = {22, 23, 53, 161, 443, 40000};
    struct tw_meta m = fx_ip4(addr[rnd(6)], addr[rnd(6)], proto[rnd(8)], port[rnd(6)], port[rnd(6)], ts);
    m.o_ip_id = (uint16_t)id; /* every record's digest differs, except where a copy is made on purpose */
    m.o_l3_head[0] = (uint8_t)(id >> 16);
    static const uint8_t ttl[] = {1, 5, 9, 10, 64, 200, 251, 255};
    m.o_ip_ttl = ttl[rnd(8)];
    m.o_tcp_flags = m.o_ip_proto == 6 && m.o_l4 ? (uint8_t)rnd(256) : 0;
    if (rnd(4) == 0)
        m.o_l4 = 0; /* a fragment: no ports, no flags */
    if (rnd(3) == 0)
        m.o_smac = 0x00e0fc000000ull | rnd(256);
    if (rnd(3) == 0)
        m.o_dmac = 0x00e0fc000000ull | rnd(256);
    m.o_vlan_n = (uint8_t)rnd(3);
    m.o_vlan0_tci = (uint16_t)(rnd(2) ? 100 : 5);
    m.o_vlan1_tci = (uint16_t)(rnd(2) ? 100 : 5);
    if (rnd(8) == 0)
        m.o_l2 = 0, m.o_vlan_n = 0;
    if (rnd(10) == 0)
        m.o_ip_ver = 0; /* not IP */
    return m;
}

static void test_prefilter_matches_match_stage(void **st)
{
    (void)st;
    struct ctx *c = compile_rules(
        "alert ip any any -> $OUTSIDE any (mirror_copy; sid:1;)\n"
        "alert tcp any any -> any 23 (flags:S; sid:2;)\n"
        "alert tcp any any -> any any (flags:SA,CE; sid:3;)\n"
        "alert tcp any any -> any any (flags:+R; sid:4;)\n"
        "alert tcp any any -> any any (flags:*FU; sid:5;)\n"
        "alert tcp any any -> any any (flags:!S; sid:6;)\n"
        "alert udp $HOME_NET any -> $OUTSIDE $MGMT (sid:7;)\n"
        "alert ip any any <> $HOME_NET any (ttl:<10; sid:8;)\n"
        "alert ip any any -> any any (ttl:>250; src_vendor:HW; sid:9;)\n"
        "alert ip any any -> any any (dst_vendor:!HW; vlan.id:100; sid:10;)\n"
        "alert tcp any any -> any any (inner; tunnel:vxlan,gtpu; sid:11;)\n"
        "alert ip any any -> any any (tunnel:erspan; sid:12;)\n"
        "alert ip any any -> any any (tunnel:any; inner; ttl:64; sid:13;)\n"
        "pass udp any any -> any 53 (sid:14;)\n"
        "alert udp any any -> any any (sid:15;)\n"
        "alert sctp any any -> any ![22,23] (sid:16;)\n"
        "alert 47 any any -> any any (sid:17;)\n"
        "alert icmp any any -> any any (ttl:1-9; sid:18;)\n"
        "alert ip any any -> any any (vlan.id:5,-1; sid:19;)\n"
        "alert tcp any any -> any any (inner; flags:0; sid:20;)\n"
        "alert ip any any -> any any (inner; ttl:!64; dst_vendor:HW; sid:21;)\n"
        "alert ip any any -> any any (tunnel:none; flags:*SR; sid:22;)\n");
    /* no rate limit: every selected match alerts */
    struct tw_detect_params p = fx_params();
    tw_detect_params_from_tables(&p, c->t);
    p.rate_per_s = 0;
    tw_detector_destroy(c->d);
    struct tw_detect_sink sink = fx_sink_of(&c->s);
    assert_int_equal(tw_detector_create(&c->d, &p, c->t, &sink), 0);
    static const unsigned kinds[] = {TW_TUN_NONE, TW_TUN_GRE, TW_TUN_ERSPAN2, TW_TUN_VXLAN, TW_TUN_GTPU,
                                     TW_TUN_IPIP};
    unsigned n_alerts = 0, n_mc = 0, n_inner_alerts = 0;
    uint64_t ts = T0;
    for (unsigned i = 1; i <= 20000; i++) {
        ts += 1000;
        struct tw_meta m = random_layer(i, ts);
        int mc = 0;
        unsigned kind = kinds[rnd(6)];
        if (kind != TW_TUN_NONE && m.o_ip_ver) {
            struct tw_meta in = random_layer(i + 0x10000u, ts);
            if (rnd(2) && in.o_ip_ver) { /* its original, seen in the clear just before: a mirror copy */
                c->s.na = 0;
                struct tw_match_result r;
                tw_detect_match(c->t, &in, 0, &r);
                int n = feed(c, &in);
                assert_int_equal(n, (int)r.n);
                mc = 1;
            }
            fx_tunnel(&m, kind, i, &in);
            if (!in.o_ip_ver)
                mc = 0;
        }
        c->s.na = 0;
        struct tw_match_result r;
        tw_detect_match(c->t, &m, mc, &r);
        int n = feed(c, &m);
        if (n != (int)r.n)
            fail_msg("frame %u: the detector raised %d alerts, the match stage selects %u", i, n, r.n);
        for (unsigned k = 0; k < r.n; k++) {
            assert_int_equal(c->s.a[k].rule, r.idx[k]);
            assert_int_equal(c->s.a[k].mc, mc);
            n_inner_alerts += (unsigned)c->s.a[k].inner;
        }
        n_alerts += r.n;
        n_mc += (unsigned)mc;
    }
    /* the mix exercised every kind of condition */
    struct tw_detect_stats s;
    tw_detector_stats(c->d, &s);
    assert_true(n_alerts > 10000);
    assert_true(n_mc > 1000);
    assert_true(s.mirror_copies >= n_mc);
    assert_true(n_inner_alerts > 100);
    assert_true(s.pass_suppressed > 100);
    const uint64_t *al = tw_detector_rule_alerts(c->d);
    for (unsigned i = 0; i < c->t->settings.n_rules; i++)
        if (c->t->rule[i].action == TW_ACT_ALERT && !al[i])
            fail_msg("rule sid %u never alerted: the random mix does not exercise it", (unsigned)c->t->rule[i].sid);
    end(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_with_negation),
        cmocka_unit_test(test_bidirectional_and_pass),
        cmocka_unit_test(test_threshold_and_volume_from_text),
        cmocka_unit_test(test_inner_vendor_tunnel_ttl_flags),
        cmocka_unit_test(test_prefilter_matches_match_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
