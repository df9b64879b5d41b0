/* Engine blocks with known answers (rtl/tw_oui_lookup.v, tw_prefix_match.v, tw_port_match.v, tw_rule_eval.v,
 * tw_rule_select.v through tw_engine.v): the OUI hash table at full load (compiled by the real compiler), prefix
 * edges /0 /1 /31 /32 /127 /128 for both versions, port range edges, rule semantics by hand, the table port's error
 * paths, result back-pressure, and table updates while frames flow (OUI entries, a prefix and a port range,
 * shadow-bank rule commit), the record pacing (one every TW_ENG_REC_CLOCKS). Built three times: build/engine (the
 * reference configuration), build/engine_small (test_engine_tables_small, the small-FPGA one with scanned prefixes)
 * and build/engine_search (test_engine_tables_search: the prefixes as an interval table in block RAM, loaded and
 * switched with the rules; TW_ENG_PI_ENTRIES defined). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "eng_test.h"
#include "tapwatch/rules.h"

struct fx {
    struct tw_tables *t;
    struct tw_eng *e;
};

static int setup(void **st)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->t = tw_tables_new();
    f->e = tw_eng_new();
    if (!f->t || !f->e)
        return -1;
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    struct fx *f = *st;
    tw_eng_free(f->e);
    tw_tables_free(f->t);
    free(f);
    return 0;
}

/* Pushes n records, runs, checks that n results came back in order; returns them. */
static const struct tw_eng_result *run(struct fx *f, const struct tw_meta *ms, const int *mc, size_t n)
{
    tw_eng_clear_results(f->e);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tw_eng_push(f->e, &ms[i], mc ? mc[i] : 0, 0), 0);
    assert_int_equal(tw_eng_run(f->e, 100ull * n + 200000), 0);
    const struct tw_eng_result *r;
    assert_int_equal(tw_eng_results(f->e, &r), n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(r[i].seq, r[0].seq + i);
    return r;
}

static void load(struct fx *f)
{
    assert_int_equal(tw_eng_load(f->e, f->t, TW_ENG_LOAD_ALL, 0), 0);
    assert_int_equal(tw_eng_run(f->e, 100000), 0);
}

/* The result's rule list as a bitmap (rules 0..31). */
static uint32_t list_bits(const struct tw_eng_result *r)
{
    uint32_t b = 0;
    for (unsigned i = 0; i < r->n; i++) {
        assert_true(i == 0 || r->idx[i] > r->idx[i - 1]); /* rule order */
        b |= 1u << r->idx[i];
    }
    return b;
}

static void ip4_meta(struct tw_meta *m, int inner, uint32_t src, uint32_t dst)
{
    if (inner) {
        m->inner = 1;
        m->i_ip_ver = 4;
        eng_addr4(m->i_ip_src, src);
        eng_addr4(m->i_ip_dst, dst);
    } else {
        m->o_ip_ver = 4;
        eng_addr4(m->o_ip_src, src);
        eng_addr4(m->o_ip_dst, dst);
    }
}

/* ---- OUI table at full load: 4,096 OUIs in 8 vendor sets, placed by the compiler ---- */
static uint32_t test_oui(unsigned k)
{
    return (uint32_t)((k * 2654435761u) >> 8) & 0xFFFFFFu; /* distinct for k < 2^24 / gcd */
}

static void test_oui_full_load(void **st)
{
    struct fx *f = *st;
    char dir[] = "/tmp/tw_eng_ouiXXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/oui.csv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "Registry,Assignment,Organization Name,Organization Address\n");
    for (unsigned k = 0; k < TW_CAP_OUI; k++)
        fprintf(fp, "MA-L,%06X,Qx%c Corp,Somewhere\n", test_oui(k), 'A' + (k % 8));
    fclose(fp);
    char yaml[1024];
    int n = snprintf(yaml, sizeof yaml, "oui-registry: %s\nvendors:\n", path);
    for (unsigned v = 0; v < 8; v++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "  V%u:\n    registry: [\"Qx%c Corp\"]\n", v, 'A' + v);
    char err[512];
    struct tw_config *cfg = NULL;
    int rc = tw_config_parse(yaml, strlen(yaml), "oui.yaml", dir, &cfg, err, sizeof err);
    if (rc)
        fail_msg("config: %s", err);
    const char *rules = "alert ip any any -> any any (src_vendor:V0; sid:1;)\n";
    assert_int_equal(tw_config_add_rules(cfg, rules, strlen(rules), "r", err, sizeof err), 0);
    struct tw_tables *t = NULL;
    rc = tw_compile(cfg, NULL, &t, err, sizeof err);
    if (rc)
        fail_msg("compile: %s", err);
    tw_config_free(cfg);
    unlink(path);
    rmdir(dir);
    assert_int_equal(t->settings.n_oui, TW_CAP_OUI);
    tw_tables_free(f->t);
    f->t = t;
    load(f);

    /* every OUI as outer source, outer destination, inner source and inner destination; then absent OUIs */
    size_t nm = TW_CAP_OUI + 512;
    struct tw_meta *ms = calloc(nm, sizeof *ms);
    assert_non_null(ms);
    for (size_t i = 0; i < nm; i++) {
        struct tw_meta *m = &ms[i];
        uint32_t o0 = test_oui((unsigned)i), o1 = test_oui((unsigned)(i + 1) % TW_CAP_OUI);
        uint32_t o2 = test_oui((unsigned)(i + 2) % TW_CAP_OUI), o3 = test_oui((unsigned)(i + 3) % TW_CAP_OUI);
        if (i >= TW_CAP_OUI) /* absent: OUIs that are not in the registry */
            o0 = o1 = o2 = o3 = test_oui((unsigned)i) ^ 0x800000u;
        m->o_l2 = m->i_l2 = 1;
        m->inner = 1;
        m->o_smac = ((uint64_t)o0 << 24) | 0x123456;
        m->o_dmac = ((uint64_t)o1 << 24) | 0xABCDEF;
        m->i_smac = ((uint64_t)o2 << 24) | 0x000001;
        m->i_dmac = ((uint64_t)o3 << 24) | 0xFFFFFF;
        m->fseq = (uint32_t)i;
    }
    const struct tw_eng_result *r = run(f, ms, NULL, nm);
    for (size_t i = 0; i < nm; i++) {
        for (unsigned p = 0; p < 4; p++) {
            unsigned want = i >= TW_CAP_OUI ? 0 : 1u << ((i + p) % TW_CAP_OUI % 8);
            if (r[i].vs[p] != want)
                fail_msg("frame %zu position %u: vendor sets %02x, want %02x", i, p, r[i].vs[p], want);
        }
    }
    /* without an Ethernet header at a level its vendor sets are 0 */
    for (size_t i = 0; i < 8; i++) {
        ms[i].o_l2 = (uint8_t)(i & 1);
        ms[i].i_l2 = (uint8_t)((i >> 1) & 1);
        ms[i].inner = (uint8_t)((i >> 2) & 1);
    }
    r = run(f, ms, NULL, 8);
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(r[i].vs[0] != 0, (i & 1) != 0);
        assert_int_equal(r[i].vs[2] != 0, ((i >> 1) & 1) && ((i >> 2) & 1));
    }
    free(ms);
}

/* ---- a compiled geometry smaller than the hardware's (oui_buckets setting) ---- */
static void test_oui_small_geometry(void **st)
{
    struct fx *f = *st;
    f->t->settings.oui_buckets = 64;
    unsigned placed = 0;
    for (unsigned k = 0; k < 200; k++)
        placed += (unsigned)eng_oui_put(f->t, test_oui(k), (uint8_t)(1u << (k % 8)));
    assert_true(placed > 150);
    load(f);
    struct tw_meta ms[200];
    memset(ms, 0, sizeof ms);
    for (unsigned k = 0; k < 200; k++) {
        ms[k].o_l2 = 1;
        ms[k].o_smac = (uint64_t)test_oui(k) << 24;
    }
    const struct tw_eng_result *r = run(f, ms, NULL, 200);
    for (unsigned k = 0; k < 200; k++)
        assert_int_equal(r[k].vs[0], tw_oui_vsets(f->t, test_oui(k)));
}

/* ---- address prefixes: /0 /1 /31 /32 (IPv4) and /0 /1 /127 /128 (IPv6) ---- */
static void set_prefix(struct tw_prefix_entry *p, int v6, const uint8_t a[16], unsigned len, unsigned set)
{
    memset(p, 0, sizeof *p);
    p->valid = 1;
    p->v6 = (uint8_t)v6;
    p->len = (uint8_t)len;
    memcpy(p->addr, a, 16);
    p->sets = 1u << set;
}

/* A valid alert rule matching when the layer's (inner or outer) source or destination address is in address set k. */
static void addr_rule(struct tw_rule_entry *r, int inner, int dst, unsigned k)
{
    memset(r, 0, sizeof *r);
    r->valid = 1;
    r->inner = (uint8_t)inner;
    if (dst) {
        r->dst_in_v = 1;
        r->dst_in = (uint8_t)k;
    } else {
        r->src_in_v = 1;
        r->src_in = (uint8_t)k;
    }
}

static void test_prefix_edges(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    uint8_t a[16], z[16] = {0};
    set_prefix(&t->prefix[0], 0, z, 0, 0);              /* 0.0.0.0/0 */
    set_prefix(&t->prefix[1], 1, z, 0, 1);              /* ::/0 */
    eng_addr4(a, 0x0A010203);
    set_prefix(&t->prefix[2], 0, a, 32, 2);             /* 10.1.2.3/32 */
    uint8_t d1[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    set_prefix(&t->prefix[3], 1, d1, 128, 3);           /* 2001:db8::1/128 */
    eng_addr4(a, 0x80000000);
    set_prefix(&t->prefix[4], 0, a, 1, 4);              /* 128.0.0.0/1 */
    uint8_t h[16] = {0x80};
    set_prefix(&t->prefix[5], 1, h, 1, 5);              /* 8000::/1 */
    uint8_t d0[16] = {0x20, 0x01, 0x0d, 0xb8};
    set_prefix(&t->prefix[6], 1, d0, 127, 6);           /* 2001:db8::/127 */
    eng_addr4(a, 0x0A010202);
    set_prefix(&t->prefix[7], 0, a, 31, 7);             /* 10.1.2.2/31 */
    t->settings.n_prefixes = 8;
    /* rule k: the source (outer; inner from rule 8 on) is in address set k */
    for (unsigned k = 0; k < 16; k++) {
        struct tw_rule_entry *r = &t->rule[k];
        r->valid = 1;
        r->src_in_v = 1;
        r->src_in = (uint8_t)(k % 8);
        r->inner = k >= 8;
    }
    t->settings.n_rules = 16;
    load(f);

    struct { int v6; uint8_t a[16]; uint32_t want; } c[] = {
        {0, {[12] = 10, 1, 2, 3}, 0x85},          /* 10.1.2.3: /0, /32, /31 */
        {0, {[12] = 10, 1, 2, 2}, 0x81},          /* 10.1.2.2: /0, /31 */
        {0, {[12] = 10, 1, 2, 4}, 0x01},
        {0, {[12] = 10, 1, 2, 1}, 0x01},
        {0, {[12] = 128, 0, 0, 0}, 0x11},         /* /1 first address */
        {0, {[12] = 255, 255, 255, 255}, 0x11},
        {0, {[12] = 127, 255, 255, 255}, 0x01},   /* just below /1 */
        {0, {[12] = 0, 0, 0, 0}, 0x01},
        {1, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, 0x4A}, /* /0, /128, /127 */
        {1, {0x20, 0x01, 0x0d, 0xb8}, 0x42},
        {1, {0x20, 0x01, 0x0d, 0xb8, [15] = 2}, 0x02},
        {1, {0x20, 0x01, 0x0d, 0xb8, [15] = 3}, 0x02},
        {1, {0x20, 0x01, 0x0d, 0xb9, [15] = 1}, 0x02},
        {1, {0x80}, 0x22},
        {1, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0x22},
        {1, {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0x02},
        {1, {[12] = 10, 1, 2, 3}, 0x02},          /* ::10.1.2.3 as IPv6: IPv4 entries never apply */
    };
    size_t nc = sizeof c / sizeof c[0];
    struct tw_meta ms[2 * 17];
    memset(ms, 0, sizeof ms);
    for (size_t i = 0; i < nc; i++) {
        for (int inner = 0; inner < 2; inner++) {
            struct tw_meta *m = &ms[2 * i + (size_t)inner];
            m->o_ip_ver = 4; /* the outer layer of inner frames: 10.9.9.9 */
            eng_addr4(m->o_ip_src, 0x0A090909);
            if (inner) {
                m->inner = 1;
                m->i_ip_ver = c[i].v6 ? 6 : 4;
                memcpy(m->i_ip_src, c[i].a, 16);
            } else {
                m->o_ip_ver = c[i].v6 ? 6 : 4;
                memcpy(m->o_ip_src, c[i].a, 16);
            }
        }
    }
    const struct tw_eng_result *r = run(f, ms, NULL, 2 * nc);
    for (size_t i = 0; i < nc; i++) {
        uint32_t got = list_bits(&r[2 * i]);
        if (got != c[i].want)
            fail_msg("case %zu outer: sets %02x, want %02x", i, got, c[i].want);
        got = list_bits(&r[2 * i + 1]);
        uint32_t want = (c[i].want << 8) | 0x01; /* the outer 10.9.9.9 is in 0.0.0.0/0 only */
        if (got != want)
            fail_msg("case %zu inner: rules %04x, want %04x", i, got, want);
    }
}

/* ---- prefixes written with address bits set past their length (the compiler never does: docs/tables.md) are
 * matched on their first len bits only, as the reference's tw_addr_sets() does: the RTL masks the key and the
 * stored address alike (regression: the scanned table's compare once relied on a write-side mask) ---- */
static void test_prefix_host_bits(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    uint8_t a[16];
    eng_addr4(a, 0x0A0102FF);
    set_prefix(&t->prefix[0], 0, a, 24, 0); /* 10.1.2.255/24 = 10.1.2.0/24 */
    uint8_t d[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xff, [15] = 0xff};
    set_prefix(&t->prefix[1], 1, d, 112, 1); /* 2001:db8::ffff/112 = 2001:db8::/112 */
    t->settings.n_prefixes = 2;
    for (unsigned k = 0; k < 2; k++) {
        struct tw_rule_entry *r = &t->rule[k];
        r->valid = 1;
        r->src_in_v = 1;
        r->src_in = (uint8_t)k;
    }
    t->settings.n_rules = 2;
    load(f);
    struct {
        int v6;
        uint8_t a[16];
        uint32_t want;
    } c[] = {
        {0, {[12] = 10, 1, 2, 7}, 0x1},
        {0, {[12] = 10, 1, 2, 255}, 0x1},
        {0, {[12] = 10, 1, 3, 255}, 0x0},
        {1, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, 0x2},
        {1, {0x20, 0x01, 0x0d, 0xb8, [13] = 1, [15] = 1}, 0x0},
    };
    size_t nc = sizeof c / sizeof c[0];
    struct tw_meta ms[5];
    memset(ms, 0, sizeof ms);
    for (size_t i = 0; i < nc; i++) {
        ms[i].o_ip_ver = c[i].v6 ? 6 : 4;
        memcpy(ms[i].o_ip_src, c[i].a, 16);
    }
    const struct tw_eng_result *r = run(f, ms, NULL, nc);
    for (size_t i = 0; i < nc; i++) {
        uint32_t got = list_bits(&r[i]);
        if (got != c[i].want)
            fail_msg("case %zu: rules %x, want %x", i, got, c[i].want);
    }
}

/* ---- port ranges: both ends of a range, single-port ranges at 0 and 65535, overlaps, an empty range ---- */
static void test_port_edges(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    const uint16_t rg[][2] = {{100, 200}, {0, 0}, {65535, 65535}, {0, 65535}, {200, 300}, {5, 4}};
    for (unsigned i = 0; i < 6; i++) {
        t->port[i].valid = 1;
        t->port[i].lo = rg[i][0];
        t->port[i].hi = rg[i][1];
        t->port[i].sets = (uint16_t)(1u << i);
    }
    t->settings.n_port_ranges = 6;
    for (unsigned k = 0; k < 6; k++) { /* rule k: source port in set k; rule 6+k: destination port in set k */
        t->rule[k].valid = 1;
        t->rule[k].sp_in_v = 1;
        t->rule[k].sp_in = (uint8_t)k;
        t->rule[6 + k].valid = 1;
        t->rule[6 + k].dp_in_v = 1;
        t->rule[6 + k].dp_in = (uint8_t)k;
    }
    t->settings.n_rules = 12;
    load(f);
    const struct { uint16_t p; uint32_t want; } c[] = {
        {99, 0x08}, {100, 0x09}, {101, 0x09}, {199, 0x09}, {200, 0x19}, {201, 0x18}, {300, 0x18}, {301, 0x08},
        {0, 0x0A}, {1, 0x08}, {65535, 0x0C}, {65534, 0x08}, {4, 0x08}, {5, 0x08},
    };
    size_t nc = sizeof c / sizeof c[0];
    struct tw_meta ms[2 * 14 + 3];
    memset(ms, 0, sizeof ms);
    for (size_t i = 0; i < nc; i++)
        for (int d = 0; d < 2; d++) {
            struct tw_meta *m = &ms[2 * i + (size_t)d];
            ip4_meta(m, 0, 0x0A000001, 0x0A000002);
            m->o_ip_proto = d ? 17 : 6;
            m->o_l4 = 1;
            m->o_sport = d ? 7 : c[i].p; /* port 7 is in set 3 only */
            m->o_dport = d ? c[i].p : 7;
        }
    /* packets without ports: ICMP, a non-first fragment (l4 0), protocol 47 with l4 */
    for (int k = 0; k < 3; k++) {
        struct tw_meta *m = &ms[2 * nc + (size_t)k];
        ip4_meta(m, 0, 0x0A000001, 0x0A000002);
        m->o_ip_proto = k == 0 ? 1 : (k == 1 ? 6 : 47);
        m->o_l4 = k != 1;
        m->o_sport = m->o_dport = 100;
    }
    const struct tw_eng_result *r = run(f, ms, NULL, 2 * nc + 3);
    for (size_t i = 0; i < nc; i++) {
        uint32_t s = list_bits(&r[2 * i]), d = list_bits(&r[2 * i + 1]);
        if (s != (c[i].want | (0x08u << 6)))
            fail_msg("source port %u: rules %03x, want %03x", c[i].p, s, c[i].want | (0x08u << 6));
        if (d != (0x08u | (c[i].want << 6)))
            fail_msg("destination port %u: rules %03x, want %03x", c[i].p, d, 0x08u | (c[i].want << 6));
    }
    for (int k = 0; k < 3; k++)
        assert_int_equal(r[2 * nc + (size_t)k].matches, 0);
}

/* ---- rule semantics by hand ---- */
static void test_rule_semantics(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    struct tw_rule_entry *r = t->rule;
    /* 0: ttl 1-64 (exclusive range)   1: pass tcp flags S (masked: exactly SYN among all)
     * 2: any (suppressed after 1 when 1 matches)   3: bidir from set 0 to set 1
     * 4: mirror copy   5: inner udp   6: tunnel vxlan or none   7: vlan.id 100 on the innermost tag
     * 8: src vendor set 1 negated   9..19: any (overflow) */
    r[0] = (struct tw_rule_entry){.valid = 1, .ttl_op = TW_CMP_RANGE, .ttl_a = 1, .ttl_b = 64};
    r[1] = (struct tw_rule_entry){.valid = 1, .action = TW_ACT_PASS, .proto_v = 1, .proto = 6,
                                  .flg_mod = TW_FLG_MASKED, .flg_mask = 0xFF, .flg_val = 0x02};
    r[2] = (struct tw_rule_entry){.valid = 1};
    r[3] = (struct tw_rule_entry){.valid = 1, .bidir = 1, .src_in_v = 1, .src_in = 0, .dst_in_v = 1, .dst_in = 1};
    r[4] = (struct tw_rule_entry){.valid = 1, .mirror = 1};
    r[5] = (struct tw_rule_entry){.valid = 1, .inner = 1, .proto_v = 1, .proto = 17};
    r[6] = (struct tw_rule_entry){.valid = 1, .tun_mask = (1u << TW_TUN_VXLAN) | 1u};
    r[7] = (struct tw_rule_entry){.valid = 1, .vlan_op = TW_CMP_EQ, .vlan_layer = TW_VL_M1, .vlan_a = 100};
    r[8] = (struct tw_rule_entry){.valid = 1, .sv_mask = 0x02, .sv_not = 1};
    for (unsigned k = 9; k < 20; k++)
        r[k] = (struct tw_rule_entry){.valid = 1, .proto_v = 1, .proto = 47};
    t->settings.n_rules = 20;
    uint8_t a[16];
    eng_addr4(a, 0x0A000000);
    set_prefix(&t->prefix[0], 0, a, 8, 0); /* 10/8 -> set 0 */
    eng_addr4(a, 0xC0A80000);
    set_prefix(&t->prefix[1], 0, a, 16, 1); /* 192.168/16 -> set 1 */
    t->settings.n_prefixes = 2;
    eng_oui_put(t, 0x00AA00, 0x02);
    load(f);

    struct tw_meta ms[10];
    int mc[10] = {0};
    memset(ms, 0, sizeof ms);
    /* 0: TTL 64 (not inside 1-64), TCP SYN from 10.0.0.1 to 192.168.0.1, no tunnel, no L2 */
    ip4_meta(&ms[0], 0, 0x0A000001, 0xC0A80001);
    ms[0].o_ip_ttl = 64;
    ms[0].o_ip_proto = 6;
    ms[0].o_l4 = 1;
    ms[0].o_tcp_flags = 0x02;
    /* 1: same with TTL 63 and SYN+ACK (pass does not match): 0, 2, 3, 6 */
    ms[1] = ms[0];
    ms[1].o_ip_ttl = 63;
    ms[1].o_tcp_flags = 0x12;
    /* 2: reversed direction (192.168 -> 10), TTL 2 and a mirror copy: 0, 2, 3 (bidir), 4, 6 */
    ip4_meta(&ms[2], 0, 0xC0A80001, 0x0A000001);
    ms[2].o_ip_ttl = 2;
    mc[2] = 1;
    /* 3: 172.16 -> 10 (not set 1): 0 (ttl 5), 2, 6 */
    ip4_meta(&ms[3], 0, 0xAC100001, 0x0A000001);
    ms[3].o_ip_ttl = 5;
    /* 4: GRE tunnel with an inner UDP packet: 2, 5; tunnel GRE is not accepted by 6 */
    ip4_meta(&ms[4], 0, 0x01010101, 0x02020202);
    ip4_meta(&ms[4], 1, 0x03030303, 0x04040404);
    ms[4].tun_kind = TW_TUN_GRE;
    ms[4].i_ip_proto = 17;
    /* 5: inner rule on a frame without an inner packet; Ethernet with tags 5 and 100 and a vendor MAC in set 1:
     * 2, 6, 7 (innermost tag 100); 8 does not match (negated vendor) */
    ip4_meta(&ms[5], 0, 0x01010101, 0x02020202);
    ms[5].o_ip_proto = 17;
    ms[5].o_l2 = 1;
    ms[5].o_vlan_n = 2;
    ms[5].o_vlan0_tci = 0x2005;
    ms[5].o_vlan1_tci = 0x3064;
    ms[5].o_smac = 0x00AA00000001ull;
    /* 6: one tag 100, another vendor: 2, 6, 7, 8 */
    ms[6] = ms[5];
    ms[6].o_vlan_n = 1;
    ms[6].o_vlan0_tci = 100;
    ms[6].o_smac = 0x00BB00000001ull;
    /* 7: GRE protocol 47 outer, 11 rules 9..19 + 2 + 6: 13 alerts -> 8 and 5 overflow */
    ip4_meta(&ms[7], 0, 0x01010101, 0x02020202);
    ms[7].o_ip_proto = 47;
    /* 8: no IP at all: nothing */
    ms[8].o_l2 = 1;
    /* 9: IPv6 TTL 64 tcp SYN: pass rule 1 matches first: 0? no (64); 2 and 6 suppressed */
    ms[9].o_ip_ver = 6;
    ms[9].o_ip_ttl = 64;
    ms[9].o_ip_proto = 6;
    ms[9].o_l4 = 1;
    ms[9].o_tcp_flags = 0x02;
    const struct tw_eng_result *res = run(f, ms, mc, 10);
    const uint32_t want[10] = {0, 0x4D, 0x5D, 0x45, 0x24, 0xC4, 0x1C4, 0x7E44, 0, 0};
    const unsigned supp[10] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    for (unsigned i = 0; i < 10; i++) {
        uint32_t got = list_bits(&res[i]);
        if (got != want[i])
            fail_msg("frame %u: rules %05x, want %05x", i, got, want[i]);
        assert_int_equal(res[i].suppressed, supp[i]);
        assert_int_equal(res[i].mirror, mc[i]);
        struct tw_match_result ref;
        tw_detect_match(t, &ms[i], mc[i], &ref);
        assert_true(eng_same(&res[i], &ref, &ms[i], mc[i], i));
    }
    /* frame 7: the first 8 of rules 2, 6, 9..19 in order, 5 more counted */
    assert_int_equal(res[7].n, 8);
    assert_int_equal(res[7].overflow, 5);
    assert_int_equal(res[7].idx[0], 2);
    assert_int_equal(res[7].idx[1], 6);
    assert_int_equal(res[7].idx[7], 14);
    assert_int_equal(res[7].matches, 13);
    /* frame 0: the pass rule matched: 2, 3, 6 suppressed; 0 did not match (TTL 64 is outside 1-64) */
    assert_int_equal(res[0].matches, 4);
    assert_int_equal(res[9].matches, 3);
}

/* ---- the table port rejects what it cannot apply, counts it, and applies nothing of it ---- */
static void test_table_port_errors(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    t->rule[0] = (struct tw_rule_entry){.valid = 1, .sv_mask = 0x01};
    t->settings.n_rules = 1;
    eng_oui_put(t, 0x00AA00, 0x01);
    load(f);
    struct tw_eng_counters c0;
    tw_eng_counters(f->e, &c0);
    assert_int_equal(c0.wr_bad, 0);
    assert_int_equal(c0.commits, 1);
    uint8_t b[TW_RE_BYTES];
    /* a valid rule at index 256, an OUI entry beyond the table, prefix 128 (an interval-table build rejects every
     * prefix entry: index 0), port 64, table id 0 and interval entry TW_PI_ENTRIES (table 7: beyond an interval
     * table; an unknown table elsewhere) */
    struct tw_rule_entry any = {.valid = 1};
    tw_rule_entry_pack(&any, b);
    assert_int_equal(tw_eng_table(f->e, TW_ENG_T_RULE, TW_CAP_RULES, b, TW_RE_BYTES, 0), 0);
    struct tw_oui_entry oe = {.valid = 1, .oui = 0x00BB00, .vset = 1};
    tw_oui_entry_pack(&oe, b);
    assert_int_equal(tw_eng_table(f->e, TW_ENG_T_OUI, 4 * TW_ENG_OUI_BUCKETS, b, TW_OE_BYTES, 0), 0);
    memset(b, 0xFF, sizeof b);
    assert_int_equal(tw_eng_table(f->e, TW_ENG_T_PREFIX, tw_eng_pi_entries() ? 0 : TW_CAP_PREFIXES, b, TW_PE_BYTES, 0),
                     0);
    assert_int_equal(tw_eng_table(f->e, TW_ENG_T_PORT, TW_CAP_PORT_RANGES, b, TW_PT_BYTES, 0), 0);
    assert_int_equal(tw_eng_table(f->e, 0, 0, b, 8, 0), 0);
    assert_int_equal(tw_eng_table(f->e, TW_TBL_PFX_IV, TW_PI_ENTRIES, b, TW_PI_BYTES, 0), 0);
    /* settings: oui_buckets 0, 3 (not a power of two), 4096 (above the hardware), index 1 */
    const unsigned nbs[] = {0, 3, 4096, 1024};
    for (unsigned i = 0; i < 4; i++) {
        struct tw_settings s = t->settings;
        s.oui_buckets = (uint16_t)nbs[i];
        tw_settings_pack(&s, b);
        assert_int_equal(tw_eng_table(f->e, TW_ENG_T_SETTINGS, i == 3 ? 1 : 0, b, TW_ST_BYTES, 0), 0);
    }
    memset(b, 0, sizeof b);
    assert_int_equal(tw_eng_table(f->e, TW_ENG_T_COMMIT, 0, b, 0, 0), 0); /* would expose a bad rule 256 */
    assert_int_equal(tw_eng_run(f->e, 10000), 0);
    struct tw_eng_counters c;
    tw_eng_counters(f->e, &c);
    assert_int_equal(c.wr_bad, 10);
    assert_int_equal(c.wr_ok, c0.wr_ok + 1);
    assert_int_equal(c.commits, 2);
    /* still the loaded tables: the vendor rule matches 00:AA:00 only; the geometry is unchanged */
    struct tw_meta ms[2];
    memset(ms, 0, sizeof ms);
    for (int i = 0; i < 2; i++) {
        ip4_meta(&ms[i], 0, 1, 2);
        ms[i].o_l2 = 1;
        ms[i].o_smac = (uint64_t)(i ? 0x00BB00 : 0x00AA00) << 24;
    }
    /* the commit swapped back to the bank loaded before load(): it holds no rules; reload the rules */
    assert_int_equal(tw_eng_load(f->e, t, TW_ENG_LOAD_RULES | TW_ENG_LOAD_COMMIT, 0), 0);
    assert_int_equal(tw_eng_run(f->e, 10000), 0);
    const struct tw_eng_result *r = run(f, ms, NULL, 2);
    assert_int_equal(r[0].n, 1);
    assert_int_equal(r[0].vs[0], 1);
    assert_int_equal(r[1].n, 0);
    assert_int_equal(r[1].vs[0], 0);
}

/* ---- results back-pressured: the engine stalls its input, loses nothing, keeps order ---- */
static void test_result_backpressure(void **st)
{
    struct fx *f = *st;
    uint64_t seed = 0xbac4;
    eng_rand_tables(&seed, f->t, 64, 500);
    load(f);
    tw_eng_res_ready(f->e, 1, 7); /* ready one clock in seven */
    enum { N = 600 };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    int mc[N];
    assert_non_null(ms);
    for (unsigned i = 0; i < N; i++) {
        eng_rand_meta(&seed, &ms[i], 500, i);
        mc[i] = (int)(i % 3 == 0);
    }
    uint64_t stalls0 = tw_eng_meta_stalls(f->e);
    const struct tw_eng_result *r = run(f, ms, mc, N);
    for (unsigned i = 0; i < N; i++) {
        struct tw_match_result ref;
        tw_detect_match(f->t, &ms[i], mc[i], &ref);
        assert_true(eng_same(&r[i], &ref, &ms[i], mc[i], i));
    }
    assert_true(tw_eng_meta_stalls(f->e) - stalls0 > 1000);
    struct tw_eng_counters c;
    tw_eng_counters(f->e, &c);
    assert_int_equal(c.res_lost, 0);
    assert_int_equal(c.frames, c.results);
    free(ms);
}

/* ---- OUI entries rewritten while frames flow: every lookup sees the entry wholly old or wholly new ---- */
static void test_oui_update_under_traffic(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    for (unsigned k = 0; k < 64; k++)
        eng_oui_put(t, test_oui(k), 0x01);
    load(f);
    /* rewrite every entry's vset to 0x80 after 100 frames, one entry per clock while frames flow */
    struct tw_tables *t2 = tw_tables_new();
    assert_non_null(t2);
    memcpy(t2, t, sizeof *t2);
    for (size_t i = 0; i < TW_OUI_ENTRIES; i++)
        if (t2->oui[i].valid)
            t2->oui[i].vset = 0x80;
    assert_int_equal(tw_eng_load(f->e, t2, TW_ENG_LOAD_OUI, 100), 0);
    enum { N = 3000 };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    for (unsigned i = 0; i < N; i++) {
        ms[i].o_l2 = ms[i].i_l2 = ms[i].inner = 1;
        ms[i].o_smac = ms[i].o_dmac = ms[i].i_smac = ms[i].i_dmac = (uint64_t)test_oui(i % 64) << 24;
    }
    const struct tw_eng_result *r = run(f, ms, NULL, N);
    unsigned old = 0, new_ = 0, mixed = 0;
    for (unsigned i = 0; i < N; i++)
        for (unsigned p = 0; p < 4; p++) {
            assert_true(r[i].vs[p] == 0x01 || r[i].vs[p] == 0x80);
            if (i < 100)
                assert_int_equal(r[i].vs[p], 0x01);
            old += r[i].vs[p] == 0x01;
            new_ += r[i].vs[p] == 0x80;
        }
    for (unsigned i = 0; i < N; i++)
        mixed += r[i].vs[0] != r[i].vs[3];
    assert_true(old > 400);
    assert_int_equal(r[N - 1].vs[0], 0x80);
    print_message("oui update: %u old, %u new lookups, %u frames between (entry by entry)\n", old, new_, mixed);
    tw_tables_free(t2);
    free(ms);
}

/* ---- rule set B written into the shadow bank while frames flow, then committed: every frame's result is wholly
 * that of set A or wholly that of set B, A before B ---- */
static void test_commit_atomic_under_traffic(void **st)
{
    struct fx *f = *st;
    uint64_t seed = 0xc0441;
    eng_rand_tables(&seed, f->t, TW_CAP_RULES, 800);
    load(f);
    struct tw_tables *tb = tw_tables_new();
    assert_non_null(tb);
    memcpy(tb, f->t, sizeof *tb);
    for (unsigned i = 0; i < TW_CAP_RULES; i++)
        eng_rand_rule(&seed, &tb->rule[i]);
    enum { N = 1500, K = 700 };
    int bank0 = tw_eng_bank(f->e);
    /* the rules of B go in during frames 200.., the commit after frame K (an interval-table build switches its
     * address sets with the rules: the next set is written whole, the same prefixes here) */
    assert_int_equal(tw_eng_load(f->e, tb, TW_ENG_LOAD_RULES | (tw_eng_pi_entries() ? TW_ENG_LOAD_PREFIX : 0u), 200),
                     0);
    assert_int_equal(tw_eng_load(f->e, tb, TW_ENG_LOAD_COMMIT, K), 0);
    struct tw_meta *ms = calloc(N, sizeof *ms);
    int *mc = calloc(N, sizeof *mc);
    assert_non_null(ms);
    assert_non_null(mc);
    for (unsigned i = 0; i < N; i++) {
        eng_rand_meta(&seed, &ms[i], 800, i);
        mc[i] = (int)(eng_rn(&seed, 4) == 0);
    }
    const struct tw_eng_result *r = run(f, ms, mc, N);
    assert_int_not_equal(tw_eng_bank(f->e), bank0);
    unsigned first_b = N, distinct = 0;
    for (unsigned i = 0; i < N; i++) {
        struct tw_match_result ra, rb;
        tw_detect_match(f->t, &ms[i], mc[i], &ra);
        tw_detect_match(tb, &ms[i], mc[i], &rb);
        int is_a = eng_equal(&r[i], &ra, &ms[i], mc[i]), is_b = eng_equal(&r[i], &rb, &ms[i], mc[i]);
        distinct += memcmp(&ra, &rb, sizeof ra) != 0;
        if (!is_a && !is_b) {
            eng_same(&r[i], &ra, &ms[i], mc[i], i);
            eng_same(&r[i], &rb, &ms[i], mc[i], i);
            fail_msg("frame %u: neither rule set A nor B", i);
        }
        if (!is_a && first_b == N)
            first_b = i;
        if (first_b < N && !is_b)
            fail_msg("frame %u: rule set A after B took over at frame %u", i, first_b);
        /* the result names the bank it was matched with: A's before the switch, B's after */
        if (is_a != is_b)
            assert_int_equal(r[i].bank, is_a ? bank0 : !bank0);
    }
    assert_true(distinct > N / 2); /* the two sets really differ */
    assert_true(first_b + 4 >= K && first_b <= K + 4);
    print_message("commit: set B from frame %u (commit issued after frame %u)\n", first_b, K);
    tw_tables_free(tb);
    free(ms);
    free(mc);
}

/* ---- pacing: records offered back to back are taken exactly one every TW_ENG_REC_CLOCKS clocks (4 in the
 * reference build, 32 in the small one), none lost, each result equal to the reference, constant latency ---- */
static void test_pacing(void **st)
{
    struct fx *f = *st;
    uint64_t seed = 0x9ace;
    eng_rand_tables(&seed, f->t, TW_CAP_RULES, 300);
    load(f);
    enum { N = 400 };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    for (unsigned i = 0; i < N; i++)
        eng_rand_meta(&seed, &ms[i], 300, i);
    uint64_t stalls0 = tw_eng_meta_stalls(f->e);
    const struct tw_eng_result *r = run(f, ms, NULL, N);
    for (unsigned i = 0; i < N; i++) {
        struct tw_match_result ref;
        tw_detect_match(f->t, &ms[i], 0, &ref);
        assert_true(eng_same(&r[i], &ref, &ms[i], 0, i));
        if (i > 0)
            assert_int_equal(r[i].t_in - r[i - 1].t_in, TW_ENG_REC_CLOCKS);
        assert_int_equal(r[i].t_out - r[i].t_in, r[0].t_out - r[0].t_in);
    }
    /* offered on every clock: held off REC_CLOCKS - 1 clocks per record */
    assert_int_equal(tw_eng_meta_stalls(f->e) - stalls0, (uint64_t)(N - 1) * (TW_ENG_REC_CLOCKS - 1));
    struct tw_eng_counters c;
    tw_eng_counters(f->e, &c);
    assert_int_equal(c.frames, c.results);
    assert_int_equal(c.res_lost, 0);
    print_message("pacing: %u records, one every %d clocks, latency %llu clocks\n", (unsigned)N,
                  TW_ENG_REC_CLOCKS, (unsigned long long)(r[0].t_out - r[0].t_in));
    free(ms);
}

#ifndef TW_ENG_PI_ENTRIES /* an interval table is not written entry by entry: test_commit_sets_under_traffic */
/* ---- a prefix and a port range rewritten on every clock while frames look them up: each lookup sees the entry
 * wholly old (state A) or wholly new (state B), never the match of one with the sets of the other ---- */
static void test_set_update_under_traffic(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    enum { P = 5, Q = 3, W = 3000, N = 1200 };
    struct tw_prefix_entry pa, pb;
    uint8_t a[16];
    eng_addr4(a, 0x0A050000);
    set_prefix(&pa, 0, a, 16, 0);                       /* A: 10.5.0.0/16 in set 0 */
    eng_addr4(a, 0x0B050000);
    set_prefix(&pb, 0, a, 16, 1);                       /* B: 11.5.0.0/16 in set 1 */
    struct tw_port_entry qa = {.valid = 1, .lo = 1000, .hi = 1000, .sets = 1};
    struct tw_port_entry qb = {.valid = 1, .lo = 2000, .hi = 2000, .sets = 2};
    t->prefix[P] = pa;
    t->port[Q] = qa;
    /* rules 0..3: source in set 0 / 1, destination in set 0 / 1 (outer); 4..7 the same inner; 8..11 the ports */
    for (unsigned k = 0; k < 12; k++) {
        struct tw_rule_entry *r = &t->rule[k];
        unsigned s = k & 1, dst = (k >> 1) & 1;
        if (k < 8) {
            addr_rule(r, k >= 4, (int)dst, s);
            continue;
        }
        r->valid = 1;
        if (dst) {
            r->dp_in_v = 1;
            r->dp_in = (uint8_t)s;
        } else {
            r->sp_in_v = 1;
            r->sp_in = (uint8_t)s;
        }
    }
    t->settings.n_rules = 12;
    load(f);
    uint8_t bpa[TW_PE_BYTES], bpb[TW_PE_BYTES], bqa[TW_PT_BYTES], bqb[TW_PT_BYTES];
    tw_prefix_entry_pack(&pa, bpa);
    tw_prefix_entry_pack(&pb, bpb);
    tw_port_entry_pack(&qa, bqa);
    tw_port_entry_pack(&qb, bqb);
    /* W writes from frame 20 on, one per clock, the prefix and the range in turn, each A or B at random (a fixed
     * pattern would lock to the frames' key clocks) */
    uint64_t seed = 0x5e7a;
    for (unsigned w = 0; w < W; w++) {
        int b = (int)eng_rn(&seed, 2);
        if (w % 2 == 0)
            assert_int_equal(tw_eng_table(f->e, TW_ENG_T_PREFIX, P, b ? bpb : bpa, TW_PE_BYTES, 20), 0);
        else
            assert_int_equal(tw_eng_table(f->e, TW_ENG_T_PORT, Q, b ? bqb : bqa, TW_PT_BYTES, 20), 0);
    }
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    for (unsigned i = 0; i < N; i++) {
        struct tw_meta *m = &ms[i];
        ip4_meta(m, 0, 0x0A050001, 0x0B050001);
        ip4_meta(m, 1, 0x0A050001, 0x0B050001);
        m->o_ip_proto = 17;
        m->o_l4 = 1;
        m->o_sport = 1000;
        m->o_dport = 2000;
    }
    const struct tw_eng_result *r = run(f, ms, NULL, N);
    /* [outer address, inner address, port][source, destination][A, B] */
    unsigned seen[3][2][2] = {{{0}}};
    for (unsigned i = 0; i < N; i++) {
        const uint8_t *mv = r[i].alerts;
        for (unsigned l = 0; l < 3; l++) {
            unsigned v = ((unsigned)mv[l / 2] >> (4 * (l % 2))) & 0xF; /* rules 4l..4l+3 */
            /* source side: A = in set 0, B = in no set; destination side: A = in no set, B = in set 1 */
            if (v & 0x2)
                fail_msg("frame %u lookup %u: source matched with the new entry's sets", i, l);
            if (v & 0x4)
                fail_msg("frame %u lookup %u: destination matched with the old entry's sets", i, l);
            seen[l][0][(v & 1) ? 0 : 1]++;
            seen[l][1][(v & 8) ? 1 : 0]++;
        }
    }
    for (unsigned l = 0; l < 3; l++)
        for (unsigned d = 0; d < 2; d++)
            assert_true(seen[l][d][0] > 0 && seen[l][d][1] > 0);
    print_message("set update: outer source %u A / %u B, source port %u A / %u B lookups\n", seen[0][0][0],
                  seen[0][0][1], seen[2][0][0], seen[2][0][1]);
    free(ms);
}

#endif

/* ---- 128 disjoint, non-adjacent prefixes (64 IPv4 /16, 64 IPv6 /48, none at address 0): 257 intervals, the
 * most 128 prefixes can make; every prefix's first and last address and the addresses just outside, as outer and
 * inner sources and destinations, equal to the reference (every build; the interval build's worst case) ---- */
static void test_prefix_many_disjoint(void **st)
{
    struct fx *f = *st;
    struct tw_tables *t = f->t;
    enum { P = TW_CAP_PREFIXES };
    for (unsigned i = 0; i < P; i++) {
        uint8_t a[16] = {0};
        if (i < P / 2) {
            eng_addr4(a, 0x0A000000u | (2u * i) << 16); /* 10.2i.0.0/16 */
            set_prefix(&t->prefix[i], 0, a, 16, i % 32);
        } else {
            a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[5] = (uint8_t)(2u * (i - P / 2));
            set_prefix(&t->prefix[i], 1, a, 48, (i * 7) % 32); /* 2001:db8:2j::/48 */
        }
    }
    t->settings.n_prefixes = P;
    t->settings.n_addr_sets = 32;
    /* rules 32l + k: layer l's address (outer source, outer destination, inner source, inner destination) in set k */
    for (unsigned l = 0; l < 4; l++)
        for (unsigned k = 0; k < 32; k++)
            addr_rule(&t->rule[32 * l + k], l >= 2, (int)(l % 2), k);
    t->settings.n_rules = 128;
    load(f);
    /* per prefix 4 addresses: first - 1, first, last, last + 1 */
    enum { N = 4 * P };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    uint8_t ad[N][16];
    int v6[N];
    for (unsigned i = 0; i < P; i++)
        for (unsigned e = 0; e < 4; e++) {
            uint8_t *a = ad[4 * i + e];
            memset(a, 0, 16);
            v6[4 * i + e] = i >= P / 2;
            if (i < P / 2) {
                uint32_t first = 0x0A000000u | (2u * i) << 16;
                static const uint32_t off[4] = {0xFFFFFFFFu, 0, 0xFFFF, 0x10000};
                eng_addr4(a, first + off[e]);
            } else {
                unsigned j = 2u * (i - P / 2);
                a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[5] = (uint8_t)j;
                if (e == 0 || e == 3) { /* 2001:db8:(2j-1):ffff:... / 2001:db8:(2j+1):: */
                    a[5] = (uint8_t)(e == 0 ? j - 1 : j + 1);
                    if (e == 0) {
                        if (j == 0)
                            a[3] = 0xb7, a[4] = 0xff;
                        memset(a + 6, 0xFF, 10);
                    }
                } else if (e == 2) {
                    memset(a + 6, 0xFF, 10);
                }
            }
        }
    for (unsigned n = 0; n < N; n++) {
        /* the 4 keys: this address and three others from elsewhere in the list, of the same version each layer */
        struct tw_meta *m = &ms[n];
        unsigned o = (n + N / 2) % N, x = (n * 37 + 11) % N, y = (n * 53 + 5) % N;
        m->o_ip_ver = v6[n] ? 6 : 4;
        m->o_l2 = 1;
        memcpy(m->o_ip_src, ad[n], 16);
        memcpy(m->o_ip_dst, v6[o] == v6[n] ? ad[o] : ad[n], 16);
        m->inner = 1;
        m->i_ip_ver = v6[x] ? 6 : 4;
        memcpy(m->i_ip_src, ad[x], 16);
        memcpy(m->i_ip_dst, v6[y] == v6[x] ? ad[y] : ad[x], 16);
        m->tun_kind = 1;
    }
    const struct tw_eng_result *r = run(f, ms, NULL, N);
    unsigned matched = 0;
    for (unsigned n = 0; n < N; n++) {
        struct tw_match_result ref;
        tw_detect_match(t, &ms[n], 0, &ref);
        assert_true(eng_same(&r[n], &ref, &ms[n], 0, n));
        matched += r[n].matches > 0;
    }
    /* the first and last addresses are in their prefix: at least half of the frames match on the outer source */
    assert_true(matched >= N / 2);
    print_message("disjoint prefixes: %u frames, %u with matches\n", (unsigned)N, matched);
    free(ms);
}

#ifdef TW_ENG_PI_ENTRIES
/* ---- interval-table build: a new rule set AND new prefixes written into the shadow banks while frames flow, then
 * one commit: every frame is matched wholly with A (rules and address sets) or wholly with B, B from the commit
 * on. The interval writes wait while a search uses the table's port; the commit waits until no record is between
 * its lookups and its rules (a frame with B's sets and A's rules, or the reverse, fails). ---- */
/* rules 0..31: layer l's source (set A) or destination (set B) address in set k; A and B differ in both */
static void sets_rules(struct tw_tables *t, int dst)
{
    memset(t->rule, 0, sizeof t->rule);
    for (unsigned k = 0; k < 64; k++)
        addr_rule(&t->rule[k], k >= 32, dst, k % 32);
    t->settings.n_rules = 64;
    t->settings.n_addr_sets = 32;
}

/* 128 prefixes from the random records' address pools, none shorter than 8 bits, each in one of 32 sets (so that
 * an address's sets say which table it was looked up in) */
static void sel_prefixes(uint64_t *seed, struct tw_tables *t)
{
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
        struct tw_prefix_entry *p = &t->prefix[i];
        uint8_t a[16] = {0};
        int v6 = (int)eng_rn(seed, 2);
        unsigned max = v6 ? 128 : 32;
        eng_rand_layer_addr(seed, v6, a);
        set_prefix(p, v6, a, 8 + eng_rn(seed, max - 7), eng_rn(seed, 32));
        unsigned first = v6 ? 0 : 96;
        for (unsigned b = p->len; b < max; b++) /* bits beyond len zero (the contract) */
            p->addr[(first + b) / 8] &= (uint8_t) ~(0x80u >> ((first + b) % 8));
    }
    t->settings.n_prefixes = TW_CAP_PREFIXES;
}

static void test_commit_sets_under_traffic(void **st)
{
    struct fx *f = *st;
    uint64_t seed = 0x5e75;
    eng_rand_tables(&seed, f->t, 0, 800);
    sel_prefixes(&seed, f->t);
    sets_rules(f->t, 0);
    load(f);
    struct tw_tables *tb = tw_tables_new(), *tc = tw_tables_new();
    assert_non_null(tb);
    assert_non_null(tc);
    memcpy(tb, f->t, sizeof *tb);
    sel_prefixes(&seed, tb);
    sets_rules(tb, 1);
    enum { N = 1500, K = 700 };
    int bank0 = tw_eng_bank(f->e);
    assert_int_equal(tw_eng_load(f->e, tb, TW_ENG_LOAD_PREFIX | TW_ENG_LOAD_RULES, 200), 0);
    assert_int_equal(tw_eng_load(f->e, tb, TW_ENG_LOAD_COMMIT, K), 0);
    struct tw_meta *ms = calloc(N, sizeof *ms);
    assert_non_null(ms);
    for (unsigned i = 0; i < N; i++)
        eng_rand_meta(&seed, &ms[i], 800, i);
    const struct tw_eng_result *r = run(f, ms, NULL, N);
    assert_int_not_equal(tw_eng_bank(f->e), bank0);
    unsigned first_b = N, distinct = 0, torn_visible = 0;
    for (unsigned i = 0; i < N; i++) {
        struct tw_match_result ra, rb, rx, ry;
        tw_detect_match(f->t, &ms[i], 0, &ra);
        tw_detect_match(tb, &ms[i], 0, &rb);
        /* what a torn switch would give: A's rules with B's prefixes, B's rules with A's */
        memcpy(tc, f->t, sizeof *tc);
        memcpy(tc->prefix, tb->prefix, sizeof tc->prefix);
        tw_detect_match(tc, &ms[i], 0, &rx);
        memcpy(tc, tb, sizeof *tc);
        memcpy(tc->prefix, f->t->prefix, sizeof tc->prefix);
        tw_detect_match(tc, &ms[i], 0, &ry);
        torn_visible += memcmp(&rx, &ra, sizeof ra) != 0 && memcmp(&rx, &rb, sizeof rb) != 0 &&
                        memcmp(&ry, &ra, sizeof ra) != 0 && memcmp(&ry, &rb, sizeof rb) != 0;
        int is_a = eng_equal(&r[i], &ra, &ms[i], 0), is_b = eng_equal(&r[i], &rb, &ms[i], 0);
        distinct += memcmp(&ra, &rb, sizeof ra) != 0;
        if (!is_a && !is_b) {
            eng_same(&r[i], &ra, &ms[i], 0, i);
            eng_same(&r[i], &rb, &ms[i], 0, i);
            fail_msg("frame %u: neither tables A nor B", i);
        }
        if (!is_a && first_b == N)
            first_b = i;
        if (first_b < N && !is_b)
            fail_msg("frame %u: tables A after B took over at frame %u", i, first_b);
        if (is_a != is_b)
            assert_int_equal(r[i].bank, is_a ? bank0 : !bank0);
    }
    print_message("commit with sets: %u of %u frames differ between A and B, %u would show a torn switch\n", distinct,
                  (unsigned)N, torn_visible);
    assert_true(distinct > N / 2);
    assert_true(torn_visible > N / 4); /* most frames would show a torn switch */
    assert_true(first_b + 4 >= K && first_b <= K + 4);
    print_message("commit with sets: B from frame %u (commit after frame %u); a torn switch would change %u frames\n",
                  first_b, K, torn_visible);
    tw_tables_free(tb);
    tw_tables_free(tc);
    free(ms);
}
#endif

/* ---- the shim's and loader's own error paths ---- */
static void test_shim_errors(void **st)
{
    struct fx *f = *st;
    uint8_t b[64] = {0};
    assert_int_equal(tw_eng_table(f->e, TW_ENG_T_RULE, 0, b, sizeof b, 0), -1); /* entry longer than 56 bytes */
    f->t->settings.oui_buckets = 2 * TW_ENG_OUI_BUCKETS;                        /* more than the hardware holds */
    assert_int_equal(tw_eng_load(f->e, f->t, TW_ENG_LOAD_ALL, 0), -1);
    f->t->settings.oui_buckets = 0;
    assert_int_equal(tw_eng_load(f->e, f->t, TW_ENG_LOAD_ALL, 0), -1);
    /* nothing was queued: a run ends at once and the engine counted no command */
    assert_int_equal(tw_eng_run(f->e, 10), 0);
    struct tw_eng_counters c;
    tw_eng_counters(f->e, &c);
    assert_int_equal(c.wr_ok + c.wr_bad, 0);
    /* a run that cannot finish in time reports it */
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    assert_int_equal(tw_eng_push(f->e, &m, 0, 0), 0);
    assert_int_equal(tw_eng_run(f->e, 5), -1);
    assert_int_equal(tw_eng_run(f->e, 1000), 0);
    const struct tw_eng_result *r;
    assert_int_equal(tw_eng_results(f->e, &r), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_oui_full_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oui_small_geometry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefix_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefix_host_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_port_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_result_backpressure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oui_update_under_traffic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_atomic_under_traffic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pacing, setup, teardown),
#ifdef TW_ENG_PI_ENTRIES
        /* prefix entries are not written one by one into an interval table: they switch with the rules */
        cmocka_unit_test_setup_teardown(test_commit_sets_under_traffic, setup, teardown),
#else
        cmocka_unit_test_setup_teardown(test_set_update_under_traffic, setup, teardown),
#endif
        cmocka_unit_test_setup_teardown(test_prefix_many_disjoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shim_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
