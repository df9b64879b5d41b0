/* The rule language: every keyword compiles to the documented entry fields, and every error path gives its exact
 * "FILE:LINE:COL: message". In the error cases, '@' marks where the error must point (it is removed before
 * parsing), so the expected position is derived from the text, not copied from the output. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tapwatch/rules.h"
#include "tapwatch/tw_meta.h"

static const char base_cfg[] = "vars:\n"
                               "  address-groups:\n"
                               "    HOME_NET: \"[10.0.0.0/8,2001:db8::/32]\"\n"
                               "    EXT: \"!$HOME_NET\"\n"
                               "    CARVED: \"[10.0.0.0/8,!10.1.0.0/16]\"\n"
                               "    LOOP_A: \"$LOOP_B\"\n"
                               "    LOOP_B: \"[1.1.1.1,$LOOP_A]\"\n"
                               "  port-groups:\n"
                               "    MGMT: \"[22,23,161,830]\"\n"
                               "    HIGH: \"1024:\"\n"
                               "vendors:\n"
                               "  HW:\n"
                               "    oui: [\"00:e0:fc\", \"28-6E-D4\"]\n"
                               "  ZTE:\n"
                               "    oui: [\"0019c6\"]\n";

static struct tw_config *base(void)
{
    char err[512];
    struct tw_config *c = NULL;
    int rc = tw_config_parse(base_cfg, strlen(base_cfg), "t.yaml", NULL, &c, err, sizeof err);
    if (rc)
        fail_msg("base config: %s", err);
    return c;
}

/* Compiles rules; returns the tables (the caller frees) or fails the test. */
static struct tw_tables *compile(const char *rules)
{
    char err[512];
    struct tw_config *c = base();
    struct tw_tables *t = NULL;
    int rc = tw_config_add_rules(c, rules, strlen(rules), "t.rules", err, sizeof err);
    if (rc)
        fail_msg("rules: %s", err);
    rc = tw_compile(c, NULL, &t, err, sizeof err);
    tw_config_free(c);
    if (rc)
        fail_msg("compile: %s", err);
    return t;
}

/* Expects the rules (with one '@' marker) to fail with code and message at the marker. */
static void expect_err(const char *marked, int code, const char *msg)
{
    char text[2048], want[1024], err[1024] = "";
    size_t n = 0;
    unsigned line = 1, col = 1, mline = 0, mcol = 0;
    for (const char *p = marked; *p; p++) {
        if (*p == '@') {
            mline = line;
            mcol = col;
            continue;
        }
        text[n++] = *p;
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    text[n] = 0;
    assert_true(mline > 0);
    snprintf(want, sizeof want, "t.rules:%u:%u: %s", mline, mcol, msg);
    struct tw_config *c = base();
    int rc = tw_config_add_rules(c, text, n, "t.rules", err, sizeof err);
    tw_config_free(c);
    if (rc != code || strcmp(err, want))
        fail_msg("rule: %s\n  want (%d) %s\n  got  (%d) %s", text, code, want, rc, err);
}

#define R(opts) "alert ip any any -> any any (" opts ")"

static uint8_t *v4(const char *a, uint8_t out[16])
{
    unsigned x[4];
    memset(out, 0, 16);
    assert_int_equal(sscanf(a, "%u.%u.%u.%u", &x[0], &x[1], &x[2], &x[3]), 4);
    for (int i = 0; i < 4; i++)
        out[12 + i] = (uint8_t)x[i];
    return out;
}

/* The address condition of docs/tables.md, evaluated on the compiled tables. */
static int addr_cond(const struct tw_tables *t, int src, const char *a)
{
    const struct tw_rule_entry *r = &t->rule[0];
    uint8_t ad[16];
    uint32_t s = tw_addr_sets(t, 0, v4(a, ad));
    unsigned in_v = src ? r->src_in_v : r->dst_in_v, in = src ? r->src_in : r->dst_in;
    unsigned ex_v = src ? r->src_ex_v : r->dst_ex_v, ex = src ? r->src_ex : r->dst_ex;
    unsigned not = src ? r->src_not : r->dst_not;
    int m = (!in_v || ((s >> in) & 1)) && !(ex_v && ((s >> ex) & 1));
    return m ^ (int)not;
}

static int port_cond(const struct tw_tables *t, int src, unsigned port)
{
    const struct tw_rule_entry *r = &t->rule[0];
    uint32_t s = tw_port_sets(t, port);
    unsigned in_v = src ? r->sp_in_v : r->dp_in_v, in = src ? r->sp_in : r->dp_in;
    unsigned ex_v = src ? r->sp_ex_v : r->dp_ex_v, ex = src ? r->sp_ex : r->dp_ex;
    unsigned not = src ? r->sp_not : r->dp_not;
    int m = (!in_v || ((s >> in) & 1)) && !(ex_v && ((s >> ex) & 1));
    return m ^ (int)not;
}

static void test_header_basics(void **st)
{
    (void)st;
    struct tw_tables *t = compile("alert tcp 10.0.0.0/8 any -> 192.168.1.1 80 (msg:\"a b; c\"; sid:7;)\n"
                                  "# comment\n\n"
                                  "pass udp any 53 <> any any (sid:8; rev:3; gid:5;)\n");
    assert_int_equal(t->settings.n_rules, 2);
    const struct tw_rule_entry *r = &t->rule[0];
    assert_int_equal(r->valid, 1);
    assert_int_equal(r->action, TW_ACT_ALERT);
    assert_int_equal(r->proto_v, 1);
    assert_int_equal(r->proto, 6);
    assert_int_equal(r->bidir, 0);
    assert_int_equal(r->sid, 7);
    assert_int_equal(r->gid, 1); /* default */
    assert_int_equal(r->rev, 0);
    assert_int_equal(r->prio, 3); /* default */
    assert_string_equal(t->info[0].msg, "a b; c");
    assert_true(addr_cond(t, 1, "10.200.3.4"));
    assert_false(addr_cond(t, 1, "11.0.0.1"));
    assert_true(addr_cond(t, 0, "192.168.1.1"));
    assert_false(addr_cond(t, 0, "192.168.1.2"));
    assert_int_equal(r->sp_in_v | r->sp_ex_v | r->sp_not, 0);
    assert_true(port_cond(t, 0, 80));
    assert_false(port_cond(t, 0, 81));
    r = &t->rule[1];
    assert_int_equal(r->action, TW_ACT_PASS);
    assert_int_equal(r->proto, 17);
    assert_int_equal(r->bidir, 1);
    assert_int_equal(r->rev, 3);
    assert_int_equal(r->gid, 5);
    tw_tables_free(t);
}

static void test_protocols(void **st)
{
    (void)st;
    static const struct {
        const char *name;
        int v, num;
    } p[] = {{"ip", 0, 0},     {"tcp", 1, 6},     {"udp", 1, 17}, {"sctp", 1, 132}, {"icmp", 1, 1},
             {"icmpv6", 1, 58}, {"gre", 1, 47},  {"esp", 1, 50}, {"115", 1, 115},  {"0", 1, 0}};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        char rule[128];
        snprintf(rule, sizeof rule, "alert %s any any -> any any (sid:1;)", p[i].name);
        struct tw_tables *t = compile(rule);
        assert_int_equal(t->rule[0].proto_v, p[i].v);
        assert_int_equal(t->rule[0].proto, p[i].num);
        tw_tables_free(t);
    }
}

static void test_address_lists(void **st)
{
    (void)st;
    /* list with an exclusion: Suricata's [a,!b] */
    struct tw_tables *t = compile("alert ip [10.0.0.0/8,!10.1.0.0/16] any -> !$HOME_NET any (sid:1;)");
    assert_true(addr_cond(t, 1, "10.2.0.1"));
    assert_false(addr_cond(t, 1, "10.1.0.1"));
    assert_false(addr_cond(t, 1, "11.0.0.1"));
    assert_false(addr_cond(t, 0, "10.9.9.9"));
    assert_true(addr_cond(t, 0, "8.8.8.8"));
    assert_int_equal(t->rule[0].dst_not, 1);
    tw_tables_free(t);
    /* group of a group, negated group with exclusions, only-negative list */
    t = compile("alert ip $EXT any -> ![$CARVED] any (sid:1;)");
    assert_true(addr_cond(t, 1, "8.8.8.8"));
    assert_false(addr_cond(t, 1, "10.0.0.1"));
    assert_true(addr_cond(t, 0, "10.1.2.3")); /* carved out of CARVED, so the negation matches it */
    assert_false(addr_cond(t, 0, "10.2.2.3"));
    assert_true(addr_cond(t, 0, "1.2.3.4"));
    tw_tables_free(t);
    t = compile("alert ip [!1.2.3.4,!5.6.7.0/24] any -> [$CARVED,192.168.0.0/16] any (sid:1;)");
    assert_int_equal(t->rule[0].src_in_v, 0);
    assert_int_equal(t->rule[0].src_ex_v, 1);
    assert_true(addr_cond(t, 1, "1.2.3.5"));
    assert_false(addr_cond(t, 1, "1.2.3.4"));
    assert_false(addr_cond(t, 1, "5.6.7.200"));
    assert_true(addr_cond(t, 0, "192.168.4.4"));
    assert_true(addr_cond(t, 0, "10.3.0.1"));
    assert_false(addr_cond(t, 0, "10.1.0.1"));
    tw_tables_free(t);
    /* host bits are cleared; identical sets and prefixes are shared */
    t = compile("alert ip 10.1.2.3/8 any -> [10.0.0.0/8] any (sid:1;)\n"
                "alert ip $HOME_NET any -> [2001:db8::/32,10.0.0.0/8] any (sid:2;)");
    assert_int_equal(t->rule[0].src_in, t->rule[0].dst_in);
    assert_int_equal(t->rule[1].src_in, t->rule[1].dst_in);
    assert_int_equal(t->settings.n_prefixes, 2);
    assert_int_equal(t->settings.n_addr_sets, 2);
    uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff};
    assert_int_equal(tw_addr_sets(t, 1, a6), 1u << t->rule[1].src_in);
    a6[3] = 0xb9;
    assert_int_equal(tw_addr_sets(t, 1, a6), 0);
    tw_tables_free(t);
    /* any inside a list */
    t = compile("alert ip [any,!10.0.0.0/8] any -> any any (sid:1;)");
    assert_int_equal(t->rule[0].src_in_v, 0);
    assert_false(addr_cond(t, 1, "10.0.0.1"));
    assert_true(addr_cond(t, 1, "11.0.0.1"));
    tw_tables_free(t);
}

/* Every prefix length, v4 and v6, on the compiled tables (tw_addr_sets, the reference's lookup): the prefix's first
 * and last address and one with its first host bit flipped are inside, one with its last prefix bit flipped is
 * outside; lengths that end inside a byte compare that byte under a mask. */
static void flip(uint8_t a[16], unsigned bit) /* bit 0: the most significant of a[0] */
{
    a[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
}

static void test_prefix_every_length(void **st)
{
    (void)st;
    static const uint8_t base6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                      0x9a, 0xbc, 0xde, 0xf0, 0x13, 0x57, 0x24, 0x68};
    static const uint8_t base4[4] = {172, 31, 90, 61};
    for (int v6 = 0; v6 <= 1; v6++)
        for (unsigned len = 0; len <= (v6 ? 128u : 32u); len++) {
            unsigned off = v6 ? 0 : 96; /* an IPv4 address sits in the last 4 bytes */
            uint8_t net[16] = {0}, last[16];
            if (v6)
                memcpy(net, base6, 16);
            else
                memcpy(net + 12, base4, 4);
            for (unsigned b = len; b < (v6 ? 128u : 32u); b++) /* clear the host bits */
                if (net[(off + b) / 8] & (0x80u >> ((off + b) % 8)))
                    flip(net, off + b);
            memcpy(last, net, 16);
            for (unsigned b = len; b < (v6 ? 128u : 32u); b++)
                flip(last, off + b);
            char a[64], rule[160];
            inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? (const void *)net : (const void *)(net + 12), a, sizeof a);
            snprintf(rule, sizeof rule, "alert ip %s/%u any -> any any (sid:1;)\n", a, len);
            struct tw_tables *t = compile(rule);
            uint32_t bit = 1u << t->rule[0].src_in;
            assert_int_equal(t->rule[0].src_in_v, 1);
            uint8_t x[16];
            if ((tw_addr_sets(t, v6, net) & bit) == 0 || (tw_addr_sets(t, v6, last) & bit) == 0)
                fail_msg("%s: its first or last address is outside", rule);
            if (len < (v6 ? 128u : 32u)) {
                memcpy(x, net, 16);
                flip(x, off + len);
                if ((tw_addr_sets(t, v6, x) & bit) == 0)
                    fail_msg("%s: an address with the first host bit set is outside", rule);
            }
            if (len > 0) {
                memcpy(x, net, 16);
                flip(x, off + len - 1);
                if (tw_addr_sets(t, v6, x) & bit)
                    fail_msg("%s: an address with the last prefix bit flipped is inside", rule);
            }
            if (tw_addr_sets(t, !v6, net) & bit)
                fail_msg("%s: matched an address of the other family", rule);
            tw_tables_free(t);
        }
}

static void test_ports(void **st)
{
    (void)st;
    struct tw_tables *t = compile("alert tcp any [1000:2000,!1500] -> any $MGMT (sid:1;)");
    assert_true(port_cond(t, 1, 1000));
    assert_true(port_cond(t, 1, 2000));
    assert_false(port_cond(t, 1, 1500));
    assert_false(port_cond(t, 1, 999));
    assert_true(port_cond(t, 0, 830));
    assert_false(port_cond(t, 0, 80));
    tw_tables_free(t);
    t = compile("alert udp any :1023 -> any !$HIGH (sid:1;)\nalert sctp any 5000: -> any ![53,80] (sid:2;)");
    assert_true(port_cond(t, 1, 0));
    assert_true(port_cond(t, 1, 1023));
    assert_false(port_cond(t, 1, 1024));
    assert_true(port_cond(t, 0, 1023));
    assert_false(port_cond(t, 0, 1024));
    assert_false(port_cond(t, 0, 65535));
    const struct tw_rule_entry *r = &t->rule[1];
    assert_int_equal(r->dp_not, 1);
    assert_int_equal(r->dp_in_v, 1);
    assert_true(tw_port_sets(t, 65535) >> r->sp_in & 1);
    assert_false(tw_port_sets(t, 4999) >> r->sp_in & 1);
    tw_tables_free(t);
}

static void test_meta_keywords(void **st)
{
    (void)st;
    struct tw_tables *t = compile(R("msg:\"say \\\"hi\\\" \\\\ \\;\"; sid:4000000000; rev:2; gid:3; "
                                    "classtype:traffic-mirroring; metadata: created 2026, author lab; "
                                    "metadata:k v; reference:url,example.org;"));
    assert_string_equal(t->info[0].msg, "say \"hi\" \\ ;");
    assert_int_equal(t->rule[0].sid, 4000000000u);
    assert_string_equal(t->info[0].classtype, "traffic-mirroring");
    assert_string_equal(t->info[0].category, "Traffic copied out of the network");
    assert_int_equal(t->rule[0].prio, 1); /* from the classtype */
    assert_string_equal(t->info[0].metadata, "created 2026, author lab, k v");
    tw_tables_free(t);
    t = compile(R("classtype:misc-activity; priority:7; sid:1;"));
    assert_int_equal(t->rule[0].prio, 7); /* explicit priority wins */
    tw_tables_free(t);
}

static void test_thresholds(void **st)
{
    (void)st;
    static const char *const types[] = {"limit", "threshold", "both"};
    static const char *const tracks[] = {"by_src", "by_dst", "by_both", "by_rule", "by_flow"};
    for (unsigned ty = 0; ty < 3; ty++)
        for (unsigned tr = 0; tr < 5; tr++) {
            char r[256];
            snprintf(r, sizeof r, R("threshold: type %s, track %s, count %u, seconds %u; sid:1;"), types[ty],
                     tracks[tr], 5 + tr, 60 + ty);
            struct tw_tables *t = compile(r);
            assert_int_equal(t->rule[0].thr_type, TW_THR_LIMIT + ty);
            assert_int_equal(t->rule[0].thr_track, TW_TRACK_SRC + tr);
            assert_int_equal(t->rule[0].thr_count, 5 + tr);
            assert_int_equal(t->rule[0].thr_seconds, 60 + ty);
            tw_tables_free(t);
        }
    /* any order of the settings */
    struct tw_tables *t = compile(R("detection_filter: count 3, seconds 10, track by_dst; sid:1;"));
    assert_int_equal(t->rule[0].thr_type, TW_THR_DFILTER);
    assert_int_equal(t->rule[0].thr_track, TW_TRACK_DST);
    assert_int_equal(t->rule[0].thr_count, 3);
    assert_int_equal(t->rule[0].thr_seconds, 10);
    tw_tables_free(t);
    t = compile(R("volume: track by_flow, bytes 281474976710655, seconds 30; sid:1;"));
    assert_int_equal(t->rule[0].vol_v, 1);
    assert_int_equal(t->rule[0].vol_track, TW_TRACK_FLOW);
    assert_true(t->rule[0].vol_bytes == 281474976710655ull);
    assert_int_equal(t->rule[0].vol_seconds, 30);
    tw_tables_free(t);
    t = compile(R("volume: track by_src, bytes 1, seconds 1; sid:1;") "\n" R("volume:track by_dst,bytes 9,seconds 2; sid:2;"));
    assert_int_equal(t->rule[0].vol_track, TW_TRACK_SRC);
    assert_int_equal(t->rule[1].vol_track, TW_TRACK_DST);
    tw_tables_free(t);
}

static void test_ttl_vlan(void **st)
{
    (void)st;
    static const struct {
        const char *v;
        unsigned op, a, b;
    } c[] = {{"64", TW_CMP_EQ, 64, 0},    {"=64", TW_CMP_EQ, 64, 0},   {"!64", TW_CMP_NE, 64, 0},
             {"!=64", TW_CMP_NE, 64, 0},  {"<10", TW_CMP_LT, 10, 0},   {"<=10", TW_CMP_LE, 10, 0},
             {">200", TW_CMP_GT, 200, 0}, {">= 200", TW_CMP_GE, 200, 0}, {"1-3", TW_CMP_RANGE, 1, 3},
             {"!1-3", TW_CMP_NRANGE, 1, 3}, {" 0 ", TW_CMP_EQ, 0, 0}, {"255", TW_CMP_EQ, 255, 0}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char r[200];
        snprintf(r, sizeof r, R("ttl:%s; sid:1;"), c[i].v);
        struct tw_tables *t = compile(r);
        assert_int_equal(t->rule[0].ttl_op, c[i].op);
        assert_int_equal(t->rule[0].ttl_a, c[i].a);
        assert_int_equal(t->rule[0].ttl_b, c[i].b);
        tw_tables_free(t);
    }
    /* the comparison itself */
    assert_true(tw_cmp(TW_CMP_RANGE, 2, 1, 3));
    assert_false(tw_cmp(TW_CMP_RANGE, 1, 1, 3));
    assert_false(tw_cmp(TW_CMP_RANGE, 3, 1, 3));
    assert_true(tw_cmp(TW_CMP_NRANGE, 3, 1, 3));
    assert_false(tw_cmp(TW_CMP_NRANGE, 2, 1, 3));
    assert_true(tw_cmp(TW_CMP_NONE, 9, 0, 0));
    assert_true(tw_cmp(TW_CMP_LE, 10, 10, 0));
    assert_false(tw_cmp(TW_CMP_LT, 10, 10, 0));
    assert_false(tw_cmp(15, 1, 1, 1));
    static const struct {
        const char *v;
        unsigned op, a, layer;
    } vl[] = {{"100", TW_CMP_EQ, 100, TW_VL_ANY}, {"<300,0", TW_CMP_LT, 300, TW_VL_0},
              {">=200,1", TW_CMP_GE, 200, TW_VL_1}, {"4095,-1", TW_CMP_EQ, 4095, TW_VL_M1},
              {"7,-2", TW_CMP_EQ, 7, TW_VL_M2}, {"7,all", TW_CMP_EQ, 7, TW_VL_ALL}, {"7, any", TW_CMP_EQ, 7, TW_VL_ANY}};
    for (size_t i = 0; i < sizeof vl / sizeof vl[0]; i++) {
        char r[200];
        snprintf(r, sizeof r, R("vlan.id:%s; sid:1;"), vl[i].v);
        struct tw_tables *t = compile(r);
        assert_int_equal(t->rule[0].vlan_op, vl[i].op);
        assert_int_equal(t->rule[0].vlan_a, vl[i].a);
        assert_int_equal(t->rule[0].vlan_layer, vl[i].layer);
        tw_tables_free(t);
    }
}

static void test_flags(void **st)
{
    (void)st;
    static const struct {
        const char *v;
        unsigned mod, mask, val;
    } c[] = {{"S", TW_FLG_MASKED, 0xFF, 0x02},         {"SA", TW_FLG_MASKED, 0xFF, 0x12},
             {"S,CE", TW_FLG_MASKED, 0x3F, 0x02},      {"S,12", TW_FLG_MASKED, 0x3F, 0x02},
             {"+SA", TW_FLG_MASKED, 0x12, 0x12},       {"SA+", TW_FLG_MASKED, 0x12, 0x12},
             {"*FR", TW_FLG_ANY, 0x05, 0},             {"!U", TW_FLG_MASKED, 0x20, 0},
             {"0", TW_FLG_MASKED, 0xFF, 0},            {"FSRPAUCE", TW_FLG_MASKED, 0xFF, 0xFF},
             {"fa", TW_FLG_MASKED, 0xFF, 0x11}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char r[200];
        snprintf(r, sizeof r, "alert tcp any any -> any any (flags:%s; sid:1;)", c[i].v);
        struct tw_tables *t = compile(r);
        assert_int_equal(t->rule[0].flg_mod, c[i].mod);
        assert_int_equal(t->rule[0].flg_mask, c[i].mask);
        assert_int_equal(t->rule[0].flg_val, c[i].val);
        tw_tables_free(t);
    }
}

static void test_tapwatch_keywords(void **st)
{
    (void)st;
    struct tw_tables *t = compile(R("src_vendor:HW; dst_vendor:!ZTE,HW; tunnel:erspan,vxlan; mirror_copy; inner; "
                                    "sid:1;") "\n" R("tunnel:any; sid:2;") "\n" R("tunnel: none, gre-teb ,l2tpv3; sid:3;"));
    const struct tw_rule_entry *r = &t->rule[0];
    assert_int_equal(r->sv_mask, 1);
    assert_int_equal(r->sv_not, 0);
    assert_int_equal(r->dv_mask, 3);
    assert_int_equal(r->dv_not, 1);
    assert_int_equal(r->tun_mask, (1 << TW_TUN_ERSPAN1) | (1 << TW_TUN_ERSPAN2) | (1 << TW_TUN_ERSPAN3) |
                                      (1 << TW_TUN_VXLAN));
    assert_int_equal(r->mirror, 1);
    assert_int_equal(r->inner, 1);
    assert_int_equal(t->rule[1].tun_mask, ((1 << TW_TUN_COUNT) - 1) & ~1);
    assert_int_equal(t->rule[2].tun_mask, (1 << TW_TUN_NONE) | (1 << TW_TUN_GRETEB) | (1 << TW_TUN_L2TPV3));
    /* the vendor table itself */
    assert_int_equal(t->settings.n_vendor_sets, 2);
    assert_string_equal(t->vendor[0].name, "HW");
    assert_int_equal(t->vendor[0].n_oui, 2);
    assert_int_equal(tw_oui_vsets(t, 0x00E0FC), 1);
    assert_int_equal(tw_oui_vsets(t, 0x286ED4), 1);
    assert_int_equal(tw_oui_vsets(t, 0x0019C6), 2);
    assert_int_equal(tw_oui_vsets(t, 0x0019C7), 0);
    const uint8_t mac[6] = {0x00, 0x19, 0xc6, 1, 2, 3};
    assert_int_equal(tw_mac_vsets(t, mac), 2);
    tw_tables_free(t);
}

static void test_continuation_and_crlf(void **st)
{
    (void)st;
    struct tw_tables *t = compile("alert tcp any any -> any any \\\r\n   (msg:\"two lines\"; \\\n sid:9;)\r\n");
    assert_int_equal(t->settings.n_rules, 1);
    assert_string_equal(t->info[0].msg, "two lines");
    assert_int_equal(t->rule[0].sid, 9);
    tw_tables_free(t);
}

static void test_errors_header(void **st)
{
    (void)st;
    const int P = TW_ERR_PARSE, U = TW_ERR_UNSUPPORTED;
    expect_err("@drop ip any any -> any any (sid:1;)", U,
               "action 'drop' is not supported (a tap only observes: alert or pass)");
    expect_err("@log ip any any -> any any (sid:1;)", P, "unknown action 'log' (alert or pass)");
    expect_err("alert @http any any -> any any (sid:1;)", P,
               "unknown protocol 'http' (ip, tcp, udp, sctp, icmp, icmpv6, gre, esp or a number)");
    expect_err("alert @256 any any -> any any (sid:1;)", P, "protocol: 256 is outside 0..255");
    expect_err("alert ip any any -> any@", P, "rule header incomplete: expected the destination port");
    expect_err("alert ip any any @=> any any (sid:1;)", P, "bad direction '=>' (-> or <>)");
    expect_err("alert icmp any @80 -> any any (sid:1;)", P,
               "ports need protocol tcp, udp, sctp or ip (this rule's protocol has no ports)");
    expect_err("alert icmp any any -> any @[80] (sid:1;)", P,
               "ports need protocol tcp, udp, sctp or ip (this rule's protocol has no ports)");
    expect_err("alert ip any any -> any any @sid:1;", P, "expected '(' and the rule options");
    expect_err("alert ip any any -> any any @(sid:1;", P, "missing ')' at the end of the rule options");
    expect_err("alert ip any any -> any any (sid:1;) @x", P, "unexpected text after the rule's ')'");
    expect_err("alert ip any any -> any any (@\"x\"; sid:1;)", P, "expected an option keyword, found '\"'");
    expect_err("alert ip any any -> any any (@msg:\"x\"", P, "option 'msg' is not terminated by ';'");
    expect_err("alert ip any any -> any any (sid:1; mirror_copy@)", P, "expected ':' or ';' after option 'mirror_copy'");
    expect_err("@alert ip any any -> any any (msg:\"x\";)", P, "rule has no sid");
    expect_err("alert udp any any -> any any (@flags:S; sid:1;)", P, "flags needs protocol tcp or ip");
    expect_err("alert ip any any -> any any (sid:5;)\n@alert ip any any -> any any (sid:5;)", P,
               "sid 5 (gid 1) already used by the rule at t.rules:1:1");
    expect_err("alert ip any any -> any any \\\n  (sid:1; @content:\"abc\";)", U,
               "keyword 'content' is not supported by the hardware matcher");
    expect_err(R("sid:1; @pcre:\"/x/\";"), U, "keyword 'pcre' is not supported by the hardware matcher");
    expect_err(R("sid:1; @flowbits:set,x;"), U, "keyword 'flowbits' is not supported by the hardware matcher");
    expect_err(R("sid:1; @http.uri;"), U, "keyword 'http.uri' is not supported by the hardware matcher");
    char nul[] = "alert ip any any -> any any (sid:1;)\nalert X";
    nul[43] = 0;
    struct tw_config *c = base();
    char err[256];
    assert_int_equal(tw_config_add_rules(c, nul, sizeof nul - 1, "t.rules", err, sizeof err), P);
    assert_string_equal(err, "t.rules:2:7: NUL byte in rule text");
    tw_config_free(c);
}

static void test_errors_addresses(void **st)
{
    (void)st;
    const int P = TW_ERR_PARSE, U = TW_ERR_UNSUPPORTED;
    expect_err("alert ip @10.0.0.256 any -> any any (sid:1;)", P, "bad address '10.0.0.256'");
    expect_err("alert ip [1.2.3.4,@1.2.3.4/33] any -> any any (sid:1;)", P, "bad address '1.2.3.4/33'");
    expect_err("alert ip @2001:db8::/129 any -> any any (sid:1;)", P, "bad address '2001:db8::/129'");
    expect_err("alert ip @1.2.3 any -> any any (sid:1;)", P, "bad address '1.2.3'");
    expect_err("alert ip [1.2.3.4 @5.6.7.8] any -> any any (sid:1;)", P, "expected ',' or ']' in address list");
    expect_err("alert ip [1.2.3.4,@] any -> any any (sid:1;)", P, "unexpected ']'");
    expect_err("alert ip @[1.2.3.4, any -> any any (sid:1;)", P, "unclosed '[' in the source address");
    expect_err("alert ip 1.2.3.4@]x any -> any any (sid:1;)", P, "unexpected text after the address");
    expect_err("alert ip @$ any -> any any (sid:1;)", P, "empty group name after '$'");
    expect_err("alert ip @$A.B any -> any any (sid:1;)", P, "bad group name '$A.B'");
    expect_err("alert ip @$NOPE any -> any any (sid:1;)", P, "undefined address group '$NOPE'");
    expect_err("alert ip any @$HOME_NET -> any any (sid:1;)", P, "undefined port group '$HOME_NET'");
    expect_err("alert ip @!any any -> any any (sid:1;)", P, "negated 'any' matches no address");
    expect_err("alert ip [1.1.1.1,@!any] any -> any any (sid:1;)", P, "negated 'any' matches no address");
    expect_err("alert ip [1.1.1.1,@![2.2.2.2,!3.3.3.3]] any -> any any (sid:1;)", U,
               "address list too complex for the hardware matcher: a negated list may not contain negations");
    expect_err("alert ip [@$CARVED,10.1.2.0/24] any -> any any (sid:1;)", U,
               "address list too complex for the hardware matcher: exclusion 10.1.0.0/16 overlaps 10.1.2.0/24 of "
               "another item");
    expect_err("alert ip [@$CARVED,any] any -> any any (sid:1;)", U,
               "address list too complex for the hardware matcher: the exclusions of this item would also apply to "
               "'any'");
    expect_err("alert ip [[[[[[[[[[[[[[[[[@[1.1.1.1]]]]]]]]]]]]]]]]]] any -> any any (sid:1;)", P,
               "address list nested too deeply");
    (void)U;
    expect_err("alert ip !@ any -> any any (sid:1;)", P, "expected an address");
    /* a chain of 18 groups is deeper than expansion allows */
    {
        char y[4096];
        size_t k = (size_t)sprintf(y, "vars:\n  address-groups:\n    G0: 1.2.3.4\n");
        for (int i = 1; i < 18; i++)
            k += (size_t)sprintf(y + k, "    G%d: $G%d\n", i, i - 1);
        struct tw_config *c;
        char e[256];
        assert_int_equal(tw_config_parse(y, k, "deep.yaml", NULL, &c, e, sizeof e), 0);
        const char *r = "alert ip $G17 any -> any any (sid:1;)";
        assert_int_equal(tw_config_add_rules(c, r, strlen(r), "t.rules", e, sizeof e), P);
        /* the 17th expansion (G1's reference to G0, line 4) is refused */
        assert_string_equal(e, "deep.yaml:4:9: address groups nested too deeply");
        r = "alert ip $G15 any -> any any (sid:1;)";
        assert_int_equal(tw_config_add_rules(c, r, strlen(r), "t.rules", e, sizeof e), 0);
        tw_config_free(c);
    }
    /* a reference cycle is reported where it closes: the reference to LOOP_A inside LOOP_B (line 7) */
    struct tw_config *c = base();
    char err[256];
    const char *r = "alert ip $LOOP_A any -> any any (sid:1;)";
    assert_int_equal(tw_config_add_rules(c, r, strlen(r), "t.rules", err, sizeof err), P);
    assert_string_equal(err, "t.yaml:7:23: address group '$LOOP_A' refers to itself");
    tw_config_free(c);
}

static void test_errors_ports(void **st)
{
    (void)st;
    const int P = TW_ERR_PARSE;
    expect_err("alert tcp any @65536 -> any any (sid:1;)", P, "bad port '65536'");
    expect_err("alert tcp any @80x -> any any (sid:1;)", P, "bad port '80x'");
    expect_err("alert tcp any [@:] -> any any (sid:1;)", P, "bad port ':'");
    expect_err("alert tcp any @2000:1000 -> any any (sid:1;)", P, "port range '2000:1000' ends before it starts");
    expect_err("alert tcp any !@ -> any any (sid:1;)", P, "expected a port");
    expect_err("alert tcp any any -> any [80 @443] (sid:1;)", P, "expected ',' or ']' in port list");
    expect_err("alert tcp any any -> any [@80;443] (sid:1;)", P, "bad port '80;443'");
    expect_err("alert tcp any @!$MGMT -> any ![$MGMT,@!any] (sid:1;)", P, "negated 'any' matches no port");
}

static void test_errors_options(void **st)
{
    (void)st;
    const int P = TW_ERR_PARSE;
    expect_err(R("msg:\"a\"; @msg:\"b\"; sid:1;"), P, "option 'msg' given twice");
    expect_err(R("@msg; sid:1;"), P, "option 'msg' needs a value");
    expect_err(R("@msg: ; sid:1;"), P, "option 'msg' needs a value");
    expect_err(R("msg:@abc; sid:1;"), P, "msg: expected a quoted string");
    expect_err(R("msg:\"a@\"x\"y\"; sid:1;"), P, "msg: unescaped '\"' inside the string");
    expect_err(R("@mirror_copy:yes; sid:1;"), P, "option 'mirror_copy' takes no value");
    expect_err(R("@inner:1; sid:1;"), P, "option 'inner' takes no value");
    expect_err(R("sid:@0;"), P, "sid: 0 is outside 1..4294967295");
    expect_err(R("sid:@4294967296;"), P, "sid: 4294967296 is outside 1..4294967295");
    expect_err(R("sid:@x1;"), P, "sid: expected a number");
    expect_err(R("sid:@-1;"), P, "sid: expected a number");
    expect_err(R("sid:1; rev:@1.5;"), P, "rev: expected a number");
    expect_err(R("sid:1; gid:@g;"), P, "gid: expected a number");
    expect_err(R("sid:1; priority:@0;"), P, "priority: 0 is outside 1..255");
    expect_err(R("sid:1; classtype:@nope;"), P, "classtype: unknown class 'nope' (docs/rules.md lists them)");
    expect_err(R("sid:1; @metadata: ;"), P, "option 'metadata' needs a value");
    expect_err(R("sid:1; threshold:@type limit, track by_src, count 1;"), P, "threshold: missing 'seconds'");
    expect_err(R("sid:1; threshold:type limit, @level 3, track by_src, count 1, seconds 1;"), P,
               "threshold: unknown setting 'level'");
    expect_err(R("sid:1; threshold:type limit, @type both, track by_src, count 1, seconds 1;"), P,
               "threshold: 'type' given twice");
    expect_err(R("sid:1; threshold:type limit, @track, count 1, seconds 1;"), P, "threshold: 'track' needs a value");
    expect_err(R("sid:1; threshold:type @often, track by_src, count 1, seconds 1;"), P,
               "threshold: type 'often' is not limit, threshold or both");
    expect_err(R("sid:1; threshold:type limit, track @by_port, count 1, seconds 1;"), P,
               "threshold: track 'by_port' is not by_src, by_dst, by_both, by_rule or by_flow");
    expect_err(R("sid:1; threshold:type limit, track by_src, count @0, seconds 1;"), P,
               "count: 0 is outside 1..4294967295");
    expect_err(R("sid:1; threshold:type limit, track by_src, count 1, seconds @0;"), P,
               "seconds: 0 is outside 1..4294967295");
    expect_err(R("sid:1; threshold:type limit, track by_src, count 1, seconds 1; "
                 "@detection_filter:track by_src, count 1, seconds 1;"),
               P, "threshold and detection_filter cannot be combined in one rule");
    expect_err(R("sid:1; detection_filter:@type limit, track by_src, count 1, seconds 1;"), P,
               "detection_filter: unknown setting 'type'");
    expect_err(R("sid:1; volume:track by_src, bytes 10, seconds 1; @threshold:type limit, track by_src, count 1, "
                 "seconds 1;"),
               P, "volume cannot be combined with threshold or detection_filter");
    expect_err(R("sid:1; detection_filter:track by_src, count 1, seconds 1; @volume:track by_src, bytes 10, "
                 "seconds 1;"),
               P, "volume cannot be combined with threshold or detection_filter");
    expect_err(R("sid:1; volume:track @by_rule, bytes 10, seconds 1;"), P,
               "volume: track 'by_rule' is not by_src, by_dst or by_flow");
    expect_err(R("sid:1; volume:track by_src, bytes @281474976710656, seconds 1;"), P,
               "bytes: 281474976710656 is outside 1..281474976710655");
    expect_err(R("sid:1; ttl:@256;"), P, "ttl: 256 is outside 0..255");
    expect_err(R("sid:1; ttl:<@x;"), P, "ttl: expected a number");
    expect_err(R("sid:1; ttl:@5-5;"), P, "ttl: empty range (the bounds are exclusive)");
    expect_err(R("sid:1; ttl:1; @ttl:2;"), P, "option 'ttl' given twice");
    expect_err(R("sid:1; vlan.id:@4096;"), P, "vlan.id: 4096 is outside 0..4095");
    expect_err(R("sid:1; vlan.id:1,@2;"), P,
               "vlan.id: layer '2' is not 0, 1, -1, -2, any or all (the parser keeps two VLAN tags)");
    expect_err(R("sid:1; vlan.id:1,@;"), P, "vlan.id: missing layer after ','");
    expect_err(R("sid:1; src_vendor:@Cisco;"), P,
               "src_vendor: unknown vendor 'Cisco' (not under vendors: in the configuration)");
    expect_err(R("sid:1; dst_vendor:!HW,@hw;"), P,
               "dst_vendor: unknown vendor 'hw' (not under vendors: in the configuration)");
    expect_err(R("sid:1; src_vendor:!@;"), P, "src_vendor: expected a vendor name");
    expect_err(R("sid:1; tunnel:gre,@mpls;"), P,
               "tunnel: unknown kind 'mpls' (any, none, gre, erspan, erspan1, erspan2, erspan3, gre-teb, vxlan, "
               "geneve, gtpu, tzsp, ipip, l2tpv3)");
    expect_err("alert tcp any any -> any any (sid:1; flags:@X;)", P, "flags: unknown flag 'X'");
    expect_err("alert tcp any any -> any any (sid:1; flags:S@+A;)", P, "flags: misplaced modifier '+'");
    expect_err("alert tcp any any -> any any (sid:1; flags:S,@0;)", P, "flags: '0' cannot be ignored");
    expect_err("alert tcp any any -> any any (sid:1; flags:@0S;)", P,
               "flags: '0' (no flag set) cannot be combined with other flags or a modifier");
    expect_err("alert tcp any any -> any any (sid:1; flags:@,S;)", P, "flags: expected TCP flags");
    expect_err("alert tcp any any -> any any (sid:1; flags:@+;)", P, "flags: expected TCP flags");
    char longmd[400] = R("sid:1; metadata:a b; metadata:@");
    size_t m0 = strlen(longmd);
    memset(longmd + m0, 'k', 260);
    strcpy(longmd + m0 + 260, ";)");
    expect_err(longmd, P, "metadata: longer than 255 bytes in all");
    char longmsg[400] = R("sid:1; msg:@\"");
    size_t n = strlen(longmsg);
    memset(longmsg + n, 'm', 256);
    strcpy(longmsg + n + 256, "\";)");
    expect_err(longmsg, P, "msg: longer than 255 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_basics),    cmocka_unit_test(test_protocols),
        cmocka_unit_test(test_address_lists),    cmocka_unit_test(test_ports),
        cmocka_unit_test(test_meta_keywords),    cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_ttl_vlan),         cmocka_unit_test(test_flags),
        cmocka_unit_test(test_tapwatch_keywords), cmocka_unit_test(test_continuation_and_crlf),
        cmocka_unit_test(test_errors_header),    cmocka_unit_test(test_errors_addresses),
        cmocka_unit_test(test_errors_ports),     cmocka_unit_test(test_errors_options),
        cmocka_unit_test(test_prefix_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
