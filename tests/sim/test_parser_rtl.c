/* The RTL parser's unit test (docs/parser.md): the Verilated tap + parser (rtl/tw_tap_parse_top.v) driven from C
 * through the shim (sim/twsim.h). Every case of tests/host/test_dissect.c, built with the same frame builders
 * (tests/common/frames.h), goes through the RTL one frame at a time (serial mode, alternating ingress ports, random
 * tvalid gaps and back-pressure); the RTL's record must equal tw_dissect()'s record for the same bytes (packed
 * records compared with memcmp; the differing fields are named), and the case's expected values are asserted on
 * the RTL's record itself. Then a seeded random-mutation run: 20,000 frames from random protocol stacks, mutated
 * and cut, through both ports at once with random gaps, each record equal to the dissector's.
 *
 * Differences from test_dissect.c, all because the RTL's header window is fixed (HDR_BYTES = 256) and a MAC never
 * delivers an empty frame: the window cases of 512 and 20 bytes are replaced by frames cut by the 256-byte window,
 * frames of 0 bytes are not fed, and the random run always uses the 256-byte window. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "tapwatch/dissect.h"
#include "tapwatch/meta.h"
#include "twsim.h"

#define RTL_HDR_BYTES 256u

/* ---------------- the harness: one model per (MTU, cookie) configuration ---------------- */

struct rig {
    struct twsim *s;
    unsigned mtu, cookie;
    uint32_t fseq[2]; /* next frame sequence number per ingress port */
};

#define RIG_MAX 8
static struct rig g_rig[RIG_MAX];
static unsigned g_nrig;
static unsigned g_turn;     /* alternates the ingress port */
static uint64_t g_compared; /* frames whose RTL record was compared with the dissector's */

static struct rig *rig_for(unsigned mtu, unsigned cookie)
{
    for (unsigned i = 0; i < g_nrig; i++)
        if (g_rig[i].mtu == mtu && g_rig[i].cookie == cookie)
            return &g_rig[i];
    assert_true(g_nrig < RIG_MAX);
    struct rig *r = &g_rig[g_nrig];
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.seed = 0x9a75e000u + g_nrig;
    c.gap_pct = 20;
    c.out_bp_pct = 10;
    c.meta_bp_pct = 10;
    c.serial = 1;
    c.keep_records = 1;
    c.mtu = mtu;
    c.l2tp_cookie = cookie;
    memset(r, 0, sizeof *r);
    assert_int_equal(twsim_new(&r->s, &c), 0);
    r->mtu = mtu;
    r->cookie = cookie;
    g_nrig++;
    return r;
}

static int teardown_rigs(void **state)
{
    (void)state;
    for (unsigned i = 0; i < g_nrig; i++)
        twsim_free(g_rig[i].s);
    g_nrig = 0;
    printf("frames compared with the dissector: %llu\n", (unsigned long long)g_compared);
    return 0;
}

/* The fields of two records that differ, by name (contracts/meta.def); returns how many. The packed records are
 * compared first (the bit layout the RTL emits). */
static unsigned diff_records(const struct tw_meta *rtl, const struct tw_meta *ref, const char *what, int log)
{
    uint8_t a[TW_M_BYTES], b[TW_M_BYTES];
    tw_meta_pack(rtl, a);
    tw_meta_pack(ref, b);
    if (memcmp(a, b, TW_M_BYTES) == 0)
        return 0;
    unsigned n = 0;
#define DIFF_ONE(f, lsb, w)                                                                                        \
    if (memcmp(&rtl->f, &ref->f, sizeof rtl->f) != 0) {                                                            \
        if (log)                                                                                                   \
            printf("DIFFER %s: field %s (bits %u +%u) RTL differs from tw_dissect\n", what, #f, (unsigned)(lsb),   \
                   (unsigned)(w));                                                                                 \
        n++;                                                                                                       \
    }
    TW_META_FIELDS(DIFF_ONE)
#undef DIFF_ONE
    if (n == 0) {
        if (log)
            printf("DIFFER %s: packed records differ in no named field\n", what);
        n = 1;
    }
    return n;
}

static void dump_frame(const uint8_t *b, size_t len)
{
    printf("  frame (%zu bytes):", len);
    for (size_t i = 0; i < len && i < 320; i++)
        printf("%s%02x", i % 32 ? "" : "\n   ", b[i]);
    printf("\n");
}

/* One frame through the RTL; *out = the RTL's record, which must equal the dissector's. */
static void rtl_frame(const struct tw_dissect_cfg *cfg, const uint8_t *b, size_t len, int tuser, uint64_t ts,
                      unsigned port, struct tw_meta *out)
{
    struct tw_dissect_cfg def;
    if (!cfg) {
        tw_dissect_cfg_default(&def);
        cfg = &def;
    }
    assert_int_equal(cfg->hdr_bytes, RTL_HDR_BYTES);
    assert_true(len > 0 && len <= TWSIM_MAX_FRAME);
    struct rig *r = rig_for(cfg->mtu, cfg->l2tp_cookie);
    const uint64_t tag = 0x5a5a0000u + g_compared;
    assert_int_equal(twsim_push(r->s, port, b, len, tuser, ts, tag), 0);
    assert_int_equal(twsim_run(r->s, 2000000), 0);
    size_t n;
    const struct twsim_rec *rec = twsim_records(r->s, &n);
    struct twsim_rec got;
    memset(&got, 0, sizeof got);
    if (n)
        got = rec[0];
    const struct twsim_stats *st = twsim_stats(r->s);
    const uint64_t bad = st->out_bad[0] + st->out_bad[1] + st->rec_bad;
    /* bookkeeping first, so that a failed case does not make the next ones fail */
    const uint32_t seq = r->fseq[port]++;
    twsim_clear(r->s);
    g_compared++;
    assert_int_equal(n, 1);
    assert_int_equal(got.tag, tag);
    assert_int_equal(bad, 0);
    /* what the RTL must say about the frame itself */
    assert_int_equal(got.m.port, port);
    assert_int_equal(got.m.fseq, seq);
    assert_int_equal(got.m.ts, ts);
    assert_int_equal(got.m.len, len > 65535 ? 65535 : len);
    struct tw_meta ref;
    tw_dissect(cfg, b, len, tuser, ts, port, seq, &ref);
    *out = got.m;
    unsigned d = diff_records(&got.m, &ref, "case", 1);
    if (d)
        dump_frame(b, len);
    assert_int_equal(d, 0);
}

/* rtl_frame on alternating ports with a timestamp that changes from frame to frame. */
static struct tw_meta m; /* the RTL's record of the last frame */

static void rtl_any(const struct tw_dissect_cfg *cfg, const uint8_t *b, size_t len, int tuser)
{
    unsigned port = g_turn++ & 1u;
    rtl_frame(cfg, b, len, tuser, 1000000007ull * (g_compared + 1), port, &m);
}

/* ---------------- the cases of tests/host/test_dissect.c, checked on the RTL's record ---------------- */

#define MAC_A 0x020000000001ull
#define MAC_B 0x020000000002ull
#define MAC_C 0x0a0027000003ull
#define MAC_D 0x0a0027000004ull
#define IP_A 0x0a000001u
#define IP_B 0x0a000002u

#define E(b) (1u << TW_ERR_##b)

static struct twf F;

static void dis_cfg(const struct tw_dissect_cfg *cfg, struct twf *f)
{
    assert_false(f->overflow);
    rtl_any(cfg, f->b, f->n, 0);
}

static void dis(struct twf *f)
{
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    dis_cfg(&cfg, f);
}

static void finish(struct twf *f)
{
    twf_end(f);
    twf_pad(f, 60);
}

static const struct twf_ip4 *ip4(uint8_t proto)
{
    static struct twf_ip4 ip;
    memset(&ip, 0, sizeof ip);
    ip.proto = proto;
    ip.ttl = 64;
    ip.id = 0x1234;
    ip.src = IP_A;
    ip.dst = IP_B;
    ip.tos = 0xb8;
    ip.df = 1;
    return &ip;
}

static const struct twf_ip6 *ip6(uint8_t nh)
{
    static struct twf_ip6 ip;
    memset(&ip, 0, sizeof ip);
    ip.nh = nh;
    ip.hlim = 55;
    ip.tc = 0x2e;
    ip.flow = 0xabcde;
    twf_ip6_addr(ip.src, 0x2001, 1);
    twf_ip6_addr(ip.dst, 0x2001, 2);
    return &ip;
}

static void assert_v4(const uint8_t *a, uint32_t v)
{
    uint8_t want[16] = {0};
    want[12] = (uint8_t)(v >> 24);
    want[13] = (uint8_t)(v >> 16);
    want[14] = (uint8_t)(v >> 8);
    want[15] = (uint8_t)v;
    assert_memory_equal(a, want, 16);
}

/* Ethernet / IPv4 / UDP: the common prefix of many tests. */
static size_t eth_ip4_udp(struct twf *f, uint16_t sport, uint16_t dport)
{
    twf_init(f);
    twf_eth(f, MAC_B, MAC_A, 0x0800);
    size_t ip = twf_ipv4(f, ip4(17));
    twf_udp(f, sport, dport);
    return ip;
}

/* An inner Ethernet / IPv4 / TCP frame. */
static void inner_eth_tcp(struct twf *f)
{
    twf_eth(f, MAC_D, MAC_C, 0x0800);
    struct twf_ip4 ip = *ip4(6);
    ip.src = 0xc0a80101;
    ip.dst = 0xc0a80102;
    ip.ttl = 33;
    ip.id = 77;
    twf_ipv4(f, &ip);
    twf_tcp(f, 40000, 443, 1000, 0x18);
    twf_payload(f, 16, 'x');
}

static void assert_inner_eth_tcp(void)
{
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_l2, 1);
    assert_int_equal(m.i_dmac, MAC_D);
    assert_int_equal(m.i_smac, MAC_C);
    assert_int_equal(m.i_ip_ver, 4);
    assert_v4(m.i_ip_src, 0xc0a80101);
    assert_int_equal(m.i_ip_ttl, 33);
    assert_int_equal(m.i_ip_id, 77);
    assert_int_equal(m.i_l4, 1);
    assert_int_equal(m.i_sport, 40000);
    assert_int_equal(m.i_dport, 443);
    assert_int_equal(m.i_tcp_flags, 0x18);
    assert_int_equal(m.i_tcp_seq, 1000);
}

/* ---------------- L2 ---------------- */

static void test_eth_ipv4_tcp(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    struct twf_ip4 ip = *ip4(6);
    uint8_t opts[8] = {0x94, 0x04, 0, 0, 1, 1, 1, 0}; /* router alert, NOP NOP NOP EOL */
    ip.opts = opts;
    ip.optlen = 8;
    twf_ipv4(&F, &ip);
    twf_tcp(&F, 1234, 80, 0xdeadbeef, 0x12);
    twf_payload(&F, 10, 0);
    finish(&F);
    const uint32_t seq = rig_for(9600, 0)->fseq[1];
    rtl_frame(NULL, F.b, F.n, 0, 123456789, 1, &m);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.ts, 123456789);
    assert_int_equal(m.port, 1);
    assert_int_equal(m.fseq, seq);
    assert_int_equal(m.len, F.n);
    assert_int_equal(m.o_l2, 1);
    assert_int_equal(m.o_dmac, MAC_B);
    assert_int_equal(m.o_smac, MAC_A);
    assert_int_equal(m.o_ethertype, 0x0800);
    assert_int_equal(m.o_vlan_n, 0);
    assert_int_equal(m.o_ip_ver, 4);
    assert_int_equal(m.o_ip_ihl, 7);
    assert_int_equal(m.o_ip_tos, 0xb8);
    assert_int_equal(m.o_ip_len, 28 + 20 + 10);
    assert_int_equal(m.o_ip_id, 0x1234);
    assert_int_equal(m.o_ip_df, 1);
    assert_int_equal(m.o_ip_mf, 0);
    assert_int_equal(m.o_ip_frag, 0);
    assert_int_equal(m.o_ip_ttl, 64);
    assert_int_equal(m.o_ip_proto, 6);
    assert_int_equal(m.o_ip_csum_ok, 1);
    assert_v4(m.o_ip_src, IP_A);
    assert_v4(m.o_ip_dst, IP_B);
    assert_int_equal(m.o_l3_off, 14);
    assert_int_equal(m.o_l3_hdrlen, 28);
    assert_int_equal(m.o_l3_head_n, 16);
    assert_memory_equal(m.o_l3_head, F.b + 14 + 28, 16);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sport, 1234);
    assert_int_equal(m.o_dport, 80);
    assert_int_equal(m.o_tcp_seq, 0xdeadbeef);
    assert_int_equal(m.o_tcp_flags, 0x12);
    assert_int_equal(m.tun_kind, TW_TUN_NONE);
    assert_int_equal(m.inner, 0);
}

static void test_vlan_qinq(void **s)
{
    (void)s;
    const uint16_t tp[3] = {0x8100, 0x88A8, 0x9100};
    const uint8_t code[3] = {TW_TPID_8100, TW_TPID_88A8, TW_TPID_9100};
    for (int i = 0; i < 3; i++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, tp[i]);
        twf_vlan(&F, 0xA064, 0x8100); /* PCP 5, DEI 0, VID 100 */
        twf_vlan(&F, 0x00c8, 0x86DD);
        twf_ipv6(&F, ip6(17));
        twf_udp(&F, 1, 2);
        finish(&F);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.o_vlan_n, 2);
        assert_int_equal(m.o_vlan0_tpid, code[i]);
        assert_int_equal(m.o_vlan0_tci, 0xA064);
        assert_int_equal(m.o_vlan1_tpid, TW_TPID_8100);
        assert_int_equal(m.o_vlan1_tci, 0x00c8);
        assert_int_equal(m.o_ethertype, 0x86DD);
        assert_int_equal(m.o_ip_ver, 6);
        assert_int_equal(m.o_l3_off, 22);
        assert_int_equal(m.o_l4, 1);
    }
}

static void test_vlan_third_is_deep(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x88A8);
    twf_vlan(&F, 1, 0x8100);
    twf_vlan(&F, 2, 0x8100);
    twf_vlan(&F, 3, 0x0800);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(DEEP));
    assert_int_equal(m.o_vlan_n, 2);
    assert_int_equal(m.o_ethertype, 0x8100);
    assert_int_equal(m.o_ip_ver, 0);
}

static void test_mpls(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    twf_mpls(&F, 16000, 3, 0, 64);
    twf_mpls(&F, 16001, 0, 1, 63);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ethertype, 0x8847);
    assert_int_equal(m.o_mpls_n, 2);
    assert_int_equal(m.o_mpls0, 16000u << 12 | 3u << 9 | 64);
    assert_int_equal(m.o_mpls1, 16001u << 12 | 1u << 8 | 63);
    assert_int_equal(m.o_ip_ver, 4);
    assert_int_equal(m.o_l3_off, 22);
    /* four entries, IPv6 after, 0x8848 */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8848);
    for (int i = 0; i < 4; i++)
        twf_mpls(&F, (uint32_t)(100 + i), 0, i == 3, 1);
    twf_ipv6(&F, ip6(59));
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_mpls_n, 4);
    assert_int_equal(m.o_mpls3 >> 12, 103);
    assert_int_equal(m.o_ip_ver, 6);
}

static void test_mpls_fifth_is_deep(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    for (int i = 0; i < 5; i++)
        twf_mpls(&F, (uint32_t)(i + 1), 0, i == 4, 1);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(DEEP));
    assert_int_equal(m.o_mpls_n, 4);
    assert_int_equal(m.o_ip_ver, 0);
}

static void test_mpls_cw_and_other(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    twf_mpls(&F, 77, 0, 1, 1);
    twf_pw_cw(&F);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_mpls_cw, 1);
    assert_int_equal(m.o_ip_ver, 0);
    assert_int_equal(m.inner, 0);
    /* first nibble 5: stop, no error */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    twf_mpls(&F, 77, 0, 1, 1);
    twf_payload(&F, 40, 0x50);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_mpls_cw, 0);
    assert_int_equal(m.o_ip_ver, 0);
}

static void test_other_ethertypes_stop(void **s)
{
    (void)s;
    const uint16_t types[] = {0x0806, 0x88CC, 0x002e /* 802.3 length */};
    for (size_t i = 0; i < 3; i++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, types[i]);
        twf_payload(&F, 46, 0x45);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.o_l2, 1);
        assert_int_equal(m.o_ethertype, types[i]);
        assert_int_equal(m.o_ip_ver, 0);
    }
}

/* ---------------- sizes and MAC flags ---------------- */

static void test_runt_giant_macbad(void **s)
{
    (void)s;
    eth_ip4_udp(&F, 1, 2);
    twf_end(&F); /* 42 bytes, no padding */
    dis(&F);
    assert_int_equal(m.err, E(RUNT));
    assert_int_equal(m.o_l4, 1); /* runt does not stop parsing */
    assert_int_equal(m.len, 42);

    eth_ip4_udp(&F, 1, 2);
    twf_payload(&F, 9600, 0);
    twf_end(&F);
    dis(&F);
    assert_int_equal(m.err, E(GIANT));
    assert_int_equal(m.o_l4, 1);
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    cfg.mtu = 20000;
    dis_cfg(&cfg, &F);
    assert_int_equal(m.err, 0);

    eth_ip4_udp(&F, 1, 2);
    finish(&F);
    rtl_any(NULL, F.b, F.n, 1);
    assert_int_equal(m.err, E(MACBAD));
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sport, 1);
}

/* ---------------- truncation: each header, frame end and window ---------------- */

static void test_trunc_each_header(void **s)
{
    (void)s;
    /* Ethernet / VLAN / IPv4 (IHL 6) / TCP: cut at each byte; the record must follow the unit rule */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8100);
    twf_vlan(&F, 5, 0x0800);
    struct twf_ip4 ip = *ip4(6);
    uint8_t opt[4] = {1, 1, 1, 0};
    ip.opts = opt;
    ip.optlen = 4;
    twf_ipv4(&F, &ip);
    twf_tcp(&F, 5, 6, 7, 2);
    twf_end(&F);
    size_t full = F.n; /* 14 + 4 + 24 + 20 = 62 */
    for (size_t cut = 1; cut < full; cut++) { /* a MAC never delivers 0 bytes */
        rtl_any(NULL, F.b, cut, 0);
        assert_true(m.err & E(TRUNC));
        assert_int_equal(m.o_l2, cut >= 14);
        assert_int_equal(m.o_vlan_n, cut >= 18 ? 1 : 0);
        assert_int_equal(m.o_ip_ver, cut >= 42 ? 4 : 0);
        assert_int_equal(m.o_l4, 0);
        if (cut >= 42)
            assert_true(m.err & E(IPLEN)); /* total length runs past the cut */
        assert_int_equal(m.o_dmac, cut >= 14 ? MAC_B : 0);
    }
    rtl_any(NULL, F.b, full, 0);
    assert_int_equal(m.err & E(TRUNC), 0);
    assert_int_equal(m.o_l4, 1);
    /* UDP, SCTP, ICMP headers cut */
    const uint8_t protos[] = {17, 132, 1};
    const size_t need[] = {8, 12, 4};
    for (int i = 0; i < 3; i++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x0800);
        twf_ipv4(&F, ip4(protos[i]));
        twf_payload(&F, need[i] - 1, 0);
        twf_end(&F);
        dis(&F);
        assert_int_equal(m.err, E(RUNT) | E(TRUNC));
        assert_int_equal(m.o_ip_ver, 4);
        assert_int_equal(m.o_l4, 0);
        assert_int_equal(m.o_l3_head_n, need[i] - 1);
    }
    /* IPv6 cut in its base header and in an extension header */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 17, 1); /* 16 bytes */
    twf_udp(&F, 1, 2);
    twf_end(&F);
    rtl_any(NULL, F.b, 14 + 39, 0);
    assert_int_equal(m.err & E(TRUNC), E(TRUNC));
    assert_int_equal(m.o_ip_ver, 0);
    rtl_any(NULL, F.b, 14 + 40 + 15, 0);
    assert_true(m.err & E(TRUNC));
    assert_int_equal(m.o_ip_ver, 6);
    assert_int_equal(m.o_ip6_ext_n, 0);
    assert_int_equal(m.o_ip_proto, 0);
    assert_int_equal(m.o_l3_hdrlen, 40);
    assert_int_equal(m.o_l4, 0);
}

static void test_window_limit(void **s)
{
    (void)s;
    /* IPv6 with a hop-by-hop header that pushes TCP to bytes 254..273: cut by the 256-byte window only */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 6, 24); /* 200 bytes: TCP at 14 + 40 + 200 = 254 */
    twf_tcp(&F, 7, 8, 9, 0x10);
    twf_payload(&F, 100, 0);
    twf_end(&F);
    dis(&F);
    assert_int_equal(m.err, E(TRUNC));
    assert_int_equal(m.o_ip6_ext_n, 1);
    assert_int_equal(m.o_ip_proto, 6);
    assert_int_equal(m.o_l3_hdrlen, 240);
    assert_int_equal(m.o_l3_head_n, 2); /* bytes 254, 255 */
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.len, F.n); /* len is the frame, not the window */
    /* one byte less of hop-by-hop: TCP ends at 255, inside the window */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 6, 23); /* 192 bytes: TCP at 246..265 */
    twf_tcp(&F, 7, 8, 9, 0x10);
    twf_payload(&F, 100, 0);
    twf_end(&F);
    dis(&F);
    assert_int_equal(m.err, E(TRUNC));
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_l3_head_n, 10);
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 6, 21); /* 176 bytes: TCP at 230..249 */
    twf_tcp(&F, 7, 8, 9, 0x10);
    twf_payload(&F, 100, 0);
    twf_end(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_dport, 8);
    assert_int_equal(m.o_l3_head_n, 16);
    /* the inner Ethernet header of a VXLAN tunnel cut by the window: an inner error, the tunnel stays */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 17, 22); /* 184 bytes: UDP at 238, VXLAN at 246, inner Ethernet at 254 */
    twf_udp(&F, 1, 4789);
    twf_vxlan(&F, 0x4242);
    inner_eth_tcp(&F);
    twf_end(&F);
    dis(&F);
    assert_int_equal(m.err, E(TRUNC) | E(INNER));
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_int_equal(m.tun_id_v, 1);
    assert_int_equal(m.tun_id, 0x4242);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.i_l2, 0);
    /* the VXLAN header itself cut by the window: no inner error */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 17, 23); /* 192 bytes: UDP at 246, VXLAN at 254 */
    twf_udp(&F, 1, 4789);
    twf_vxlan(&F, 0x4242);
    inner_eth_tcp(&F);
    twf_end(&F);
    dis(&F);
    assert_int_equal(m.err, E(TRUNC));
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.inner, 0);
}

/* ---------------- IPv4 errors ---------------- */

static void test_ipv4_errors(void **s)
{
    (void)s;
    /* bad IHL */
    size_t ip = eth_ip4_udp(&F, 1, 2);
    finish(&F);
    twf_put8(&F, ip, 0x44);
    dis(&F);
    assert_int_equal(m.err, E(IHL));
    assert_int_equal(m.o_ip_ver, 0);
    assert_int_equal(m.o_l4, 0);
    /* bad version (ethertype 0x0800, nibble 6) */
    ip = eth_ip4_udp(&F, 1, 2);
    finish(&F);
    twf_put8(&F, ip, 0x65);
    dis(&F);
    assert_int_equal(m.err, E(IPVER));
    assert_int_equal(m.o_ip_ver, 0);
    /* IPv6 ethertype with a version-4 header */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(IPVER));
    /* checksum wrong: parsing goes on */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    struct twf_ip4 bad = *ip4(17);
    bad.bad_csum = 1;
    twf_ipv4(&F, &bad);
    twf_udp(&F, 3, 4);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(CSUM));
    assert_int_equal(m.o_ip_csum_ok, 0);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_dport, 4);
    /* total length beyond the frame; and below IHL*4 */
    const uint16_t lens[2] = {200, 12};
    for (int i = 0; i < 2; i++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x0800);
        struct twf_ip4 l = *ip4(17);
        l.keep_len = 1;
        l.total_len = lens[i];
        twf_ipv4(&F, &l);
        twf_udp(&F, 3, 4);
        twf_payload(&F, 30, 0);
        twf_end(&F);
        dis(&F);
        assert_int_equal(m.err, E(IPLEN));
        assert_int_equal(m.o_ip_csum_ok, 1);
        assert_int_equal(m.o_ip_len, lens[i]);
        assert_int_equal(m.o_l4, 1);
        assert_int_equal(m.o_l3_head_n, i == 0 ? 16 : 0);
    }
    /* Ethernet padding after the packet is fine; l3_head stops at the IP length */
    eth_ip4_udp(&F, 1, 2);
    twf_payload(&F, 2, 0x77);
    twf_end(&F);
    twf_pad(&F, 60);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_l3_head_n, 10);
}

static void test_ipv4_fragments(void **s)
{
    (void)s;
    /* first fragment: L4 parsed */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    struct twf_ip4 ip = *ip4(17);
    ip.df = 0;
    ip.mf = 1;
    twf_ipv4(&F, &ip);
    twf_udp(&F, 1, 4789);
    twf_vxlan(&F, 5);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ip_mf, 1);
    assert_int_equal(m.o_ip_frag, 1);
    assert_int_equal(m.o_ip_fragoff, 0);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    /* non-first fragment: no L4, no tunnel */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    ip.mf = 0;
    ip.fragoff = 185;
    twf_ipv4(&F, &ip);
    twf_udp(&F, 1, 4789);
    twf_vxlan(&F, 5);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ip_frag, 1);
    assert_int_equal(m.o_ip_fragoff, 185);
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_sport, 0);
    assert_int_equal(m.tun_kind, 0);
    assert_int_equal(m.o_l3_head_n, 16);
}

/* ---------------- IPv6 ---------------- */

static void test_ipv6_ext_chain(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 43, 0);         /* hop-by-hop, 8 */
    twf_ip6_srh(&F, 51, 2, 3);       /* SRH, 8 + 48 */
    twf_ip6_ah(&F, 60, 4);           /* AH, 24 */
    twf_ip6_opts(&F, 132, 1);        /* destination options, 16 */
    twf_sctp(&F, 36412, 36412, 0xcafe);
    twf_sctp_data(&F, 1, 0, 0, 18, 8);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ip_ver, 6);
    assert_int_equal(m.o_ip_tos, 0x2e);
    assert_int_equal(m.o_ip_flow, 0xabcde);
    assert_int_equal(m.o_ip_ttl, 55);
    assert_int_equal(m.o_ip_len, F.n - 14 - 40);
    assert_int_equal(m.o_ip_src[0], 0x20);
    assert_int_equal(m.o_ip_src[15], 1);
    assert_int_equal(m.o_ip_dst[15], 2);
    assert_int_equal(m.o_ip6_ext_n, 4);
    assert_int_equal(m.o_ip6_ext0, 0);
    assert_int_equal(m.o_ip6_ext1, 43);
    assert_int_equal(m.o_ip6_ext2, 51);
    assert_int_equal(m.o_ip6_ext3, 60);
    assert_int_equal(m.o_ip6_srh, 1);
    assert_int_equal(m.o_ip6_segleft, 2);
    assert_int_equal(m.o_ip_proto, 132);
    assert_int_equal(m.o_l3_hdrlen, 40 + 8 + 56 + 24 + 16);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sport, 36412);
    assert_int_equal(m.o_sctp_vtag, 0xcafe);
    assert_int_equal(m.o_sctp_chunk, 0);
    assert_int_equal(m.o_sctp_ppid_v, 1);
    assert_int_equal(m.o_sctp_ppid, 18);
    /* a routing header of another type is not an SRH */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(43));
    twf_ip6_rh(&F, 17, 2, 1, 2);
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ip6_srh, 0);
    assert_int_equal(m.o_ip6_segleft, 0);
    assert_int_equal(m.o_l4, 1);
}

static void test_ipv6_fifth_ext_is_deep(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 60, 0);
    twf_ip6_opts(&F, 60, 0);
    twf_ip6_opts(&F, 60, 0);
    twf_ip6_opts(&F, 44, 0);
    twf_ip6_frag(&F, 17, 0, 1, 9);
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(DEEP));
    assert_int_equal(m.o_ip6_ext_n, 4);
    assert_int_equal(m.o_ip_proto, 44);
    assert_int_equal(m.o_l3_hdrlen, 72);
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_l3_head_n, 0);
}

static void test_ipv6_fragment(void **s)
{
    (void)s;
    for (int first = 1; first >= 0; first--) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x86DD);
        twf_ipv6(&F, ip6(44));
        twf_ip6_frag(&F, 6, first ? 0 : 100, first, 0x01020304);
        twf_tcp(&F, 5, 6, 7, 2);
        finish(&F);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.o_ip6_ext_n, 1);
        assert_int_equal(m.o_ip6_ext0, 44);
        assert_int_equal(m.o_ip6_fragid, 0x01020304);
        assert_int_equal(m.o_ip_mf, first);
        assert_int_equal(m.o_ip_fragoff, first ? 0 : 100);
        assert_int_equal(m.o_ip_frag, 1);
        assert_int_equal(m.o_ip_proto, 6);
        assert_int_equal(m.o_l4, first);
    }
}

static void test_ipv6_errors(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    struct twf_ip6 ip = *ip6(17);
    ip.keep_len = 1;
    ip.payload_len = 500;
    twf_ipv6(&F, &ip);
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(IPLEN));
    assert_int_equal(m.o_l4, 1);
    /* version 4 nibble behind 0x86DD */
    twf_put8(&F, 14, 0x45);
    dis(&F);
    assert_int_equal(m.err, E(IPVER));
}

/* ---------------- L4 ---------------- */

static void test_l4_kinds(void **s)
{
    (void)s;
    eth_ip4_udp(&F, 53, 5353);
    twf_payload(&F, 12, 0);
    finish(&F);
    dis(&F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_udp_len, 20);
    assert_int_equal(m.o_sport, 53);
    assert_int_equal(m.o_dport, 5353);
    /* ICMP and ICMPv6 */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(1));
    twf_icmp(&F, 3, 4);
    finish(&F);
    dis(&F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_icmp_type, 3);
    assert_int_equal(m.o_icmp_code, 4);
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(58));
    twf_icmp(&F, 128, 0);
    finish(&F);
    dis(&F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_icmp_type, 128);
    /* SCTP: INIT first (no PPID), DATA first cut before its PPID, DATA first */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(132));
    twf_sctp(&F, 38412, 38412, 7);
    twf_sctp_chunk(&F, 1, 16);
    finish(&F);
    dis(&F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 1);
    assert_int_equal(m.o_sctp_ppid_v, 0);
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(132));
    twf_sctp(&F, 38412, 38412, 7);
    twf_sctp_data(&F, 1, 2, 3, 60, 20);
    twf_end(&F);
    rtl_any(NULL, F.b, 14 + 20 + 12 + 15, 0); /* 15 bytes of the DATA chunk */
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 0);
    assert_int_equal(m.o_sctp_ppid_v, 0);
    rtl_any(NULL, F.b, F.n, 0);
    assert_int_equal(m.o_sctp_ppid_v, 1);
    assert_int_equal(m.o_sctp_ppid, 60);
    /* only 12 bytes of SCTP: no chunk */
    rtl_any(NULL, F.b, 14 + 20 + 12 + 3, 0);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 0);
    assert_int_equal(m.err & E(TRUNC), 0);
    /* other protocol: no L4, no error */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(50));
    twf_payload(&F, 20, 0);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_l3_head_n, 16);
}

/* ---------------- tunnels ---------------- */

static void test_gre_variants(void **s)
{
    (void)s;
    /* GRE C+K+S carrying IPv4 */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_C | TWF_GRE_K | TWF_GRE_S, 0x0800, 0x11223344, 99);
    struct twf_ip4 in = *ip4(17);
    in.src = 0xac100001;
    twf_ipv4(&F, &in);
    twf_udp(&F, 7, 8);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GRE);
    assert_int_equal(m.gre_flags, 0xB000);
    assert_int_equal(m.gre_proto, 0x0800);
    assert_int_equal(m.tun_id_v, 1);
    assert_int_equal(m.tun_id, 0x11223344);
    assert_int_equal(m.gre_seq, 99);
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_l2, 0);
    assert_int_equal(m.i_ethertype, 0);
    assert_int_equal(m.i_ip_ver, 4);
    assert_v4(m.i_ip_src, 0xac100001);
    assert_int_equal(m.i_l3_off, 14 + 20 + 16);
    assert_int_equal(m.i_l4, 1);
    assert_int_equal(m.i_dport, 8);
    /* GRE without key: tun_id not valid; IPv6 inside */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x86DD, 0, 0);
    twf_ipv6(&F, ip6(6));
    twf_tcp(&F, 1, 2, 3, 4);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_GRE);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.i_ip_ver, 6);
    assert_int_equal(m.i_tcp_flags, 4);
    /* GRE MPLS */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x8847, 0, 0);
    twf_mpls(&F, 999, 0, 1, 9);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_mpls_n, 1);
    assert_int_equal(m.i_mpls0 >> 12, 999);
    assert_int_equal(m.i_ip_ver, 4);
    /* GRE-TEB with key */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_K, 0x6558, 0x99, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_GRETEB);
    assert_int_equal(m.tun_id, 0x99);
    assert_inner_eth_tcp();
    /* GRE version 1: no tunnel; GRE with another protocol: gre, no inner */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    size_t ip = twf_ipv4(&F, ip4(47));
    size_t g = twf_gre(&F, TWF_GRE_K, 0x880B, 1, 0);
    twf_payload(&F, 30, 0);
    finish(&F);
    twf_put16(&F, g, 0x2001);
    dis(&F);
    assert_int_equal(m.tun_kind, 0);
    assert_int_equal(m.err, 0);
    twf_put16(&F, g, 0x2000);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_GRE);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.err, 0);
    (void)ip;
}

static void test_erspan(void **s)
{
    (void)s;
    /* type I */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x88BE, 0, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_ERSPAN1);
    assert_int_equal(m.tun_id_v, 0);
    assert_inner_eth_tcp();
    /* type II (the session id, not the key, is tun_id) */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_S | TWF_GRE_K, 0x88BE, 5, 77);
    twf_erspan2(&F, 0x123, 5, 0x2aa, 0xabcde);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_ERSPAN2);
    assert_int_equal(m.gre_seq, 77);
    assert_int_equal(m.tun_id_v, 1);
    assert_int_equal(m.tun_id, 0x2aa);
    assert_int_equal(m.erspan_vlan, 0x123);
    assert_int_equal(m.erspan_cos, 5);
    assert_int_equal(m.erspan_idx, 0xabcde);
    assert_inner_eth_tcp();
    /* type III, with and without the platform sub-header; FT 2 = IP; FT 7 = no inner */
    for (int o = 0; o < 2; o++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x0800);
        twf_ipv4(&F, ip4(47));
        twf_gre(&F, TWF_GRE_S, 0x22EB, 0, 1);
        twf_erspan3(&F, 0x0aa, 3, 0x155, 0xdeadbeef, 0, o);
        inner_eth_tcp(&F);
        finish(&F);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_ERSPAN3);
        assert_int_equal(m.tun_id, 0x155);
        assert_int_equal(m.erspan_vlan, 0x0aa);
        assert_int_equal(m.erspan_cos, 3);
        assert_int_equal(m.erspan_ts, 0xdeadbeef);
        assert_int_equal(m.erspan_ft, 0);
        assert_int_equal(m.i_l2, 1);
        assert_int_equal(m.i_l3_off, 14 + 20 + 8 + (o ? 20 : 12) + 14);
        assert_inner_eth_tcp();
    }
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x22EB, 0, 0);
    size_t e = twf_erspan3(&F, 1, 0, 9, 1, 2, 0);
    twf_ipv6(&F, ip6(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.erspan_ft, 2);
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_l2, 0);
    assert_int_equal(m.i_ip_ver, 6);
    twf_put16(&F, e + 10, 7u << 10);
    dis(&F);
    assert_int_equal(m.erspan_ft, 7);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.err, 0);
}

static void test_vxlan_geneve(void **s)
{
    (void)s;
    const uint16_t ports[][2] = {{50000, 4789}, {50000, 8472}, {4789, 53}};
    for (int i = 0; i < 3; i++) {
        eth_ip4_udp(&F, ports[i][0], ports[i][1]);
        twf_vxlan(&F, 0x123456);
        inner_eth_tcp(&F);
        finish(&F);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
        assert_int_equal(m.tun_id_v, 1);
        assert_int_equal(m.tun_id, 0x123456);
        assert_inner_eth_tcp();
    }
    /* destination port first: dport 2152 wins over sport 4789 */
    eth_ip4_udp(&F, 4789, 2152);
    twf_gtpu(&F, 0, 255, 0x77, 0, 0);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_GTPU);
    /* Geneve with options, Ethernet and IP payloads */
    for (unsigned ow = 0; ow <= 5; ow += 5) {
        eth_ip4_udp(&F, 1, 6081);
        twf_geneve(&F, 0x6558, 0xabc, ow);
        inner_eth_tcp(&F);
        finish(&F);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
        assert_int_equal(m.geneve_opt, ow);
        assert_int_equal(m.tun_id, 0xabc);
        assert_inner_eth_tcp();
    }
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x86DD, 1, 2);
    twf_ipv6(&F, ip6(17));
    twf_udp(&F, 5, 6);
    finish(&F);
    dis(&F);
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_ip_ver, 6);
    assert_int_equal(m.i_sport, 5);
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x0800, 1, 0);
    twf_ipv4(&F, ip4(6));
    twf_tcp(&F, 5, 6, 0, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.i_ip_ver, 4);
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x894F, 1, 0); /* NSH: not followed */
    twf_payload(&F, 30, 0);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.err, 0);
}

static void test_gtpu(void **s)
{
    (void)s;
    /* UL and DL PDU session containers, v4 and v6 transport */
    for (int v6 = 0; v6 < 2; v6++) {
        for (uint8_t dir = 0; dir < 2; dir++) {
            twf_init(&F);
            twf_eth(&F, MAC_B, MAC_A, v6 ? 0x86DD : 0x0800);
            if (v6)
                twf_ipv6(&F, ip6(17));
            else
                twf_ipv4(&F, ip4(17));
            twf_udp(&F, 2152, 2152);
            twf_gtpu(&F, TWF_GTP_E | TWF_GTP_S, 255, 0xa1b2c3d4, 0x4242, 0x40);
            twf_gtpu_ext(&F, 1, 0x85);
            twf_gtpu_pdu_session(&F, dir, (uint8_t)(9 + dir), 0);
            struct twf_ip4 in = *ip4(132);
            in.src = 0x0a090909;
            twf_ipv4(&F, &in);
            twf_sctp(&F, 38412, 38412, 1);
            twf_sctp_data(&F, 1, 0, 0, 60, 8);
            finish(&F);
            dis(&F);
            assert_int_equal(m.err, 0);
            assert_int_equal(m.tun_kind, TW_TUN_GTPU);
            assert_int_equal(m.tun_id_v, 1);
            assert_int_equal(m.tun_id, 0xa1b2c3d4);
            assert_int_equal(m.gtp_flags, 0x36);
            assert_int_equal(m.gtp_type, 255);
            assert_int_equal(m.gtp_seq, 0x4242);
            assert_int_equal(m.gtp_ext_n, 2);
            assert_int_equal(m.gtp_qfi_v, 1);
            assert_int_equal(m.gtp_qfi, 9 + dir);
            assert_int_equal(m.gtp_pdu_dir, dir);
            assert_int_equal(m.inner, 1);
            assert_int_equal(m.i_ip_ver, 4);
            assert_v4(m.i_ip_src, 0x0a090909);
            assert_int_equal(m.i_sctp_ppid_v, 1);
            assert_int_equal(m.i_sctp_ppid, 60);
        }
    }
    /* no optional fields, IPv6 user packet */
    eth_ip4_udp(&F, 40000, 2152);
    twf_gtpu(&F, 0, 255, 5, 0, 0);
    twf_ipv6(&F, ip6(6));
    twf_tcp(&F, 1, 2, 3, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.gtp_ext_n, 0);
    assert_int_equal(m.gtp_seq, 0);
    assert_int_equal(m.gtp_qfi_v, 0);
    assert_int_equal(m.i_ip_ver, 6);
    assert_int_equal(m.i_l3_off, 14 + 20 + 8 + 8);
    /* non-G-PDU (echo request, end marker): no inner */
    const uint8_t types[] = {1, 254, 26};
    for (int i = 0; i < 3; i++) {
        eth_ip4_udp(&F, 2152, 2152);
        twf_gtpu(&F, TWF_GTP_S, types[i], 9, 1, 0);
        twf_ipv4(&F, ip4(17)); /* bytes that look like IP must not be parsed */
        finish(&F);
        dis(&F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_GTPU);
        assert_int_equal(m.gtp_type, types[i]);
        assert_int_equal(m.inner, 0);
        assert_int_equal(m.i_ip_ver, 0);
    }
    /* version 2, or PT 0: not GTP-U */
    const uint8_t b0[] = {0x50, 0x20};
    for (int i = 0; i < 2; i++) {
        eth_ip4_udp(&F, 2152, 2152);
        twf_gtpu_raw(&F, b0[i], 255, 1);
        twf_ipv4(&F, ip4(17));
        finish(&F);
        dis(&F);
        assert_int_equal(m.tun_kind, 0);
        assert_int_equal(m.err, 0);
    }
    /* user packet with a version nibble that is not IP */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, 0, 255, 1, 0, 0);
    twf_payload(&F, 30, 0x70);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(IPVER) | E(INNER));
    assert_int_equal(m.inner, 0);
}

static void test_gtpu_ext_limits(void **s)
{
    (void)s;
    /* 4 extension headers are fine, a 5th is ERR_DEEP */
    for (int n = 4; n <= 5; n++) {
        eth_ip4_udp(&F, 2152, 2152);
        twf_gtpu(&F, TWF_GTP_E, 255, 1, 0, 0x40);
        for (int i = 0; i < n; i++)
            twf_gtpu_ext(&F, 1, i + 1 < n ? 0x40 : 0);
        twf_ipv4(&F, ip4(17));
        twf_udp(&F, 1, 2);
        finish(&F);
        dis(&F);
        if (n == 4) {
            assert_int_equal(m.err, 0);
            assert_int_equal(m.gtp_ext_n, 4);
            assert_int_equal(m.inner, 1);
        } else {
            assert_int_equal(m.err, E(DEEP));
            assert_int_equal(m.gtp_ext_n, 4);
            assert_int_equal(m.inner, 0);
        }
    }
    /* zero-length extension header: stop, no error, no inner */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_E, 255, 1, 0, 0x40);
    twf_gtpu_ext(&F, 0, 0);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GTPU);
    assert_int_equal(m.gtp_ext_n, 0);
    assert_int_equal(m.inner, 0);
    /* E clear: byte 11 is not an extension type */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_S, 255, 1, 0, 0x85);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.gtp_ext_n, 0);
    assert_int_equal(m.inner, 1);
}

static void test_tzsp(void **s)
{
    (void)s;
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 1, 0, 1);
    twf_tzsp_tag(&F, 0, 0, 0);
    twf_tzsp_tag(&F, 10, 4, 0x11);
    twf_tzsp_tag(&F, 1, 0, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.tzsp_type, 0);
    assert_int_equal(m.tzsp_encap, 1);
    assert_inner_eth_tcp();
    assert_int_equal(m.i_l3_off, 14 + 20 + 8 + 4 + 1 + 6 + 1 + 14);
    /* 802.11 encapsulation: no inner; version 2: no tunnel */
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 1, 1, 18);
    twf_tzsp_tag(&F, 1, 0, 0);
    twf_payload(&F, 30, 0);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    assert_int_equal(m.tzsp_type, 1);
    assert_int_equal(m.tzsp_encap, 18);
    assert_int_equal(m.inner, 0);
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 2, 0, 1);
    twf_tzsp_tag(&F, 1, 0, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, 0);
    /* tags running past the frame */
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 1, 0, 1);
    twf_tzsp_tag(&F, 10, 200, 0);
    twf_end(&F);
    F.n -= 150;
    twf_pad(&F, 60);
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    assert_true(m.err & E(TRUNC));
    assert_int_equal(m.err & E(INNER), 0);
    assert_int_equal(m.inner, 0);
}

static void test_ipip(void **s)
{
    (void)s;
    for (int outer6 = 0; outer6 < 2; outer6++) {
        for (int inner6 = 0; inner6 < 2; inner6++) {
            twf_init(&F);
            twf_eth(&F, MAC_B, MAC_A, outer6 ? 0x86DD : 0x0800);
            uint8_t p = inner6 ? 41 : 4;
            if (outer6)
                twf_ipv6(&F, ip6(p));
            else
                twf_ipv4(&F, ip4(p));
            if (inner6)
                twf_ipv6(&F, ip6(17));
            else
                twf_ipv4(&F, ip4(17));
            twf_udp(&F, 11, 12);
            finish(&F);
            dis(&F);
            assert_int_equal(m.err, 0);
            assert_int_equal(m.tun_kind, TW_TUN_IPIP);
            assert_int_equal(m.tun_id_v, 0);
            assert_int_equal(m.inner, 1);
            assert_int_equal(m.i_ip_ver, inner6 ? 6 : 4);
            assert_int_equal(m.i_l3_off, 14 + (outer6 ? 40 : 20));
            assert_int_equal(m.i_sport, 11);
        }
    }
}

static void test_l2tpv3_cookies(void **s)
{
    (void)s;
    for (unsigned cookie = 0; cookie <= 8; cookie += 4) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x0800);
        twf_ipv4(&F, ip4(115));
        twf_l2tpv3(&F, 0x12345, cookie);
        inner_eth_tcp(&F);
        finish(&F);
        struct tw_dissect_cfg cfg;
        tw_dissect_cfg_default(&cfg);
        cfg.l2tp_cookie = cookie;
        dis_cfg(&cfg, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_L2TPV3);
        assert_int_equal(m.tun_id_v, 1);
        assert_int_equal(m.tun_id, 0x12345);
        assert_inner_eth_tcp();
        assert_int_equal(m.i_l3_off, 14 + 20 + 4 + cookie + 14);
        /* a cookie length configured wrong: the inner frame is misread (dmac shifted) */
        cfg.l2tp_cookie = cookie == 0 ? 4 : 0;
        dis_cfg(&cfg, &F);
        assert_int_equal(m.tun_kind, TW_TUN_L2TPV3);
        assert_true(m.i_dmac != MAC_D);
    }
    /* session 0 is a control message: no tunnel */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(115));
    twf_l2tpv3(&F, 0, 0);
    twf_payload(&F, 30, 0);
    finish(&F);
    dis(&F);
    assert_int_equal(m.tun_kind, 0);
    assert_int_equal(m.err, 0);
}

static void test_inner_errors(void **s)
{
    (void)s;
    /* inner bad checksum and inner third VLAN */
    eth_ip4_udp(&F, 1, 4789);
    twf_vxlan(&F, 1);
    twf_eth(&F, MAC_D, MAC_C, 0x0800);
    struct twf_ip4 in = *ip4(6);
    in.bad_csum = 1;
    twf_ipv4(&F, &in);
    twf_tcp(&F, 1, 2, 3, 4);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(CSUM) | E(INNER));
    assert_int_equal(m.i_ip_csum_ok, 0);
    assert_int_equal(m.o_ip_csum_ok, 1);
    assert_int_equal(m.i_l4, 1);
    eth_ip4_udp(&F, 1, 4789);
    twf_vxlan(&F, 1);
    twf_eth(&F, MAC_D, MAC_C, 0x8100);
    twf_vlan(&F, 1, 0x8100);
    twf_vlan(&F, 2, 0x8100);
    twf_vlan(&F, 3, 0x0800);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(DEEP) | E(INNER));
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_vlan_n, 2);
    /* inner IPv4 cut by the frame */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x0800, 0, 0);
    twf_payload(&F, 10, 0x45);
    twf_end(&F);
    twf_pad(&F, 60); /* IP length says 10 bytes after GRE; padding makes the window longer */
    dis(&F);
    assert_int_equal(m.tun_kind, TW_TUN_GRE);
    assert_int_equal(m.inner, 1); /* header complete within the padded frame */
    rtl_any(NULL, F.b, 14 + 20 + 4 + 10, 0);
    assert_int_equal(m.err, E(RUNT) | E(TRUNC) | E(INNER));
    assert_int_equal(m.inner, 0);
    /* GRE says IPv4, the inner is IPv6 */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x0800, 0, 0);
    twf_ipv6(&F, ip6(17));
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(IPVER) | E(INNER));
    assert_int_equal(m.inner, 0);
    /* inner IP length inconsistent */
    eth_ip4_udp(&F, 1, 2152);
    twf_gtpu(&F, 0, 255, 1, 0, 0);
    struct twf_ip4 l = *ip4(17);
    l.keep_len = 1;
    l.total_len = 1000;
    twf_ipv4(&F, &l);
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, E(IPLEN) | E(INNER));
    assert_int_equal(m.inner, 1);
}

static void test_tunnel_header_cut(void **s)
{
    (void)s;
    /* VXLAN header cut by the frame: kind set, TRUNC, no INNER, no inner */
    eth_ip4_udp(&F, 1, 4789);
    twf_vxlan(&F, 77);
    inner_eth_tcp(&F);
    twf_end(&F);
    rtl_any(NULL, F.b, 14 + 20 + 8 + 7, 0);
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.err, E(RUNT) | E(TRUNC) | E(IPLEN)); /* the IP length runs past the cut too */
    assert_int_equal(m.inner, 0);
    /* inner Ethernet cut: that is an inner error */
    rtl_any(NULL, F.b, 14 + 20 + 8 + 8 + 13, 0);
    assert_int_equal(m.tun_id, 77);
    assert_int_equal(m.err, E(TRUNC) | E(INNER) | E(IPLEN));
    assert_int_equal(m.inner, 0);
    /* GRE's first 4 bytes cut: tun_kind 0 */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_K, 0x6558, 1, 0);
    inner_eth_tcp(&F);
    twf_end(&F);
    rtl_any(NULL, F.b, 14 + 20 + 3, 0);
    assert_int_equal(m.tun_kind, 0);
    assert_true(m.err & E(TRUNC));
    rtl_any(NULL, F.b, 14 + 20 + 6, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GRETEB);
    assert_int_equal(m.gre_proto, 0x6558);
    assert_int_equal(m.tun_id_v, 0);
    assert_true(m.err & E(TRUNC));
    /* GTP-U extension header cut; Geneve options cut; ERSPAN II cut */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_E, 255, 3, 0, 0x85);
    twf_gtpu_pdu_session(&F, 1, 5, 0);
    twf_end(&F);
    rtl_any(NULL, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GTPU);
    assert_int_equal(m.tun_id, 3);
    assert_int_equal(m.gtp_qfi_v, 0);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x6558, 5, 4);
    twf_end(&F);
    rtl_any(NULL, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
    assert_int_equal(m.geneve_opt, 4);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_S, 0x88BE, 0, 1);
    twf_erspan2(&F, 1, 1, 1, 1);
    twf_end(&F);
    rtl_any(NULL, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_ERSPAN2);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    /* L2TPv3 cookie cut */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(115));
    twf_l2tpv3(&F, 9, 8);
    twf_end(&F);
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    cfg.l2tp_cookie = 8;
    rtl_any(&cfg, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_L2TPV3);
    assert_int_equal(m.tun_id, 9);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
}

static void test_qinq_mpls_ipv6_srh_deep_stack(void **s)
{
    (void)s;
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x88A8);
    twf_vlan(&F, 100, 0x8100);
    twf_vlan(&F, 200, 0x8847);
    twf_mpls(&F, 16000, 0, 0, 64);
    twf_mpls(&F, 16001, 0, 1, 64);
    twf_ipv6(&F, ip6(43));
    twf_ip6_srh(&F, 17, 1, 2);
    twf_udp(&F, 1, 4789);
    twf_vxlan(&F, 9);
    inner_eth_tcp(&F);
    finish(&F);
    dis(&F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_vlan_n, 2);
    assert_int_equal(m.o_mpls_n, 2);
    assert_int_equal(m.o_ip6_srh, 1);
    assert_int_equal(m.o_ip6_segleft, 1);
    assert_int_equal(m.o_l3_off, 14 + 8 + 8);
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_inner_eth_tcp();
}

static void test_never_reads_past_window(void **s)
{
    (void)s;
    /* every prefix and some byte flips of a deep frame: ASan checks the reads, the record stays sane */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8100);
    twf_vlan(&F, 1, 0x0800);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_E, 255, 1, 0, 0x85);
    twf_gtpu_pdu_session(&F, 1, 5, 0);
    twf_ipv6(&F, ip6(47));
    twf_gre(&F, TWF_GRE_K | TWF_GRE_S, 0x88BE, 1, 2);
    twf_erspan2(&F, 1, 1, 1, 1);
    inner_eth_tcp(&F);
    finish(&F);
    uint8_t buf[TWF_MAX];
    uint32_t x = 12345;
    for (size_t cut = 1; cut <= F.n; cut++) {
        memcpy(buf, F.b, F.n);
        for (int k = 0; k < 3; k++) {
            x = x * 1103515245u + 12345u;
            if (cut)
                buf[(x >> 8) % cut] ^= (uint8_t)(x >> 20);
            rtl_any(NULL, buf, cut, 0);
            assert_int_equal(m.len, cut);
            assert_true(m.o_vlan_n <= 2 && m.o_mpls_n <= 4 && m.o_ip6_ext_n <= 4 && m.gtp_ext_n <= 4);
            assert_true(m.o_l3_head_n <= 16 && m.i_l3_head_n <= 16);
        }
    }
}

/* ---------------- seeded random mutation: random stacks through both ports at once ---------------- */

static uint32_t rnd32(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return (uint32_t)(*x >> 16);
}
#define R(n) (rnd32(x) % (uint32_t)(n))

static uint64_t rmac(uint64_t *x)
{
    return ((uint64_t)rnd32(x) << 16 | (rnd32(x) & 0xffffu)) & 0xfeffffffffffull;
}

static void gen_l4(struct twf *f, uint64_t *x, uint8_t proto)
{
    switch (proto) {
    case 6: twf_tcp(f, (uint16_t)rnd32(x), (uint16_t)rnd32(x), rnd32(x), (uint8_t)rnd32(x)); break;
    case 17: twf_udp(f, (uint16_t)rnd32(x), (uint16_t)(R(2) ? 53 : rnd32(x))); break;
    case 132:
        twf_sctp(f, 38412, 38412, rnd32(x));
        if (R(3))
            twf_sctp_data(f, rnd32(x), 1, 2, R(2) ? 60 : rnd32(x), R(40));
        else
            twf_sctp_chunk(f, (uint8_t)(1 + R(15)), R(24));
        break;
    case 1:
    case 58: twf_icmp(f, (uint8_t)rnd32(x), (uint8_t)R(16)); break;
    default: break;
    }
}

static uint8_t pick_l4(uint64_t *x, int v6)
{
    static const uint8_t p[] = {6, 17, 132, 1, 50};
    uint8_t v = p[R(sizeof p)];
    return v == 1 && v6 ? 58 : v;
}

/* An IP header (with options, fragments, a bad checksum, extension headers at random) whose payload is proto. */
static void gen_ip(struct twf *f, uint64_t *x, int v6, uint8_t proto)
{
    if (!v6) {
        struct twf_ip4 ip;
        memset(&ip, 0, sizeof ip);
        ip.proto = proto;
        ip.ttl = (uint8_t)rnd32(x);
        ip.tos = (uint8_t)rnd32(x);
        ip.id = (uint16_t)rnd32(x);
        ip.src = rnd32(x);
        ip.dst = rnd32(x);
        ip.df = (int)R(2);
        if (R(10) == 0) {
            ip.mf = (int)R(2);
            ip.fragoff = R(2) ? 0 : (uint16_t)R(8192);
        }
        uint8_t opts[40];
        if (R(6) == 0) {
            ip.optlen = 4 * (1 + R(10));
            for (size_t i = 0; i < ip.optlen; i++)
                opts[i] = 1; /* NOP */
            opts[ip.optlen - 1] = 0;
            ip.opts = opts;
        }
        ip.bad_csum = R(12) == 0;
        twf_ipv4(f, &ip);
        return;
    }
    static const uint8_t ext[] = {0, 43, 44, 60, 51};
    uint8_t chain[6];
    unsigned n = R(3) ? 0 : R(6);
    for (unsigned i = 0; i < n; i++)
        chain[i] = ext[R(sizeof ext)];
    struct twf_ip6 ip;
    memset(&ip, 0, sizeof ip);
    ip.nh = n ? chain[0] : proto;
    ip.hlim = (uint8_t)rnd32(x);
    ip.tc = (uint8_t)rnd32(x);
    ip.flow = rnd32(x) & 0xfffff;
    for (int i = 0; i < 16; i++) {
        ip.src[i] = (uint8_t)rnd32(x);
        ip.dst[i] = (uint8_t)rnd32(x);
    }
    twf_ipv6(f, &ip);
    for (unsigned i = 0; i < n; i++) {
        uint8_t next = i + 1 < n ? chain[i + 1] : proto;
        switch (chain[i]) {
        case 0:
        case 60: twf_ip6_opts(f, next, (uint8_t)R(4)); break;
        case 43:
            if (R(2))
                twf_ip6_srh(f, next, (uint8_t)R(4), 1 + R(3));
            else
                twf_ip6_rh(f, next, (uint8_t)R(4), (uint8_t)R(4), (uint8_t)(2 * R(3)));
            break;
        case 44: twf_ip6_frag(f, next, R(4) ? 0 : (uint16_t)R(8192), (int)R(2), rnd32(x)); break;
        default: twf_ip6_ah(f, next, (uint8_t)(1 + R(4))); break;
        }
    }
}

static void gen_inner_ip(struct twf *f, uint64_t *x, int v6)
{
    uint8_t p = pick_l4(x, v6);
    gen_ip(f, x, v6, p);
    gen_l4(f, x, p);
}

static void gen_inner_eth(struct twf *f, uint64_t *x)
{
    static const uint16_t tpid[] = {0x8100, 0x88A8, 0x9100};
    int v6 = (int)R(3) == 0;
    unsigned tags = R(4) ? 0 : 1 + R(3);
    uint16_t ipt = v6 ? 0x86DD : 0x0800;
    twf_eth(f, rmac(x), rmac(x), tags ? tpid[R(3)] : ipt);
    for (unsigned i = 0; i < tags; i++)
        twf_vlan(f, (uint16_t)rnd32(x), i + 1 < tags ? tpid[R(3)] : ipt);
    gen_inner_ip(f, x, v6);
}

/* A tunnel header after the outer IP header; returns the IP protocol the outer header must carry. */
static void gen_gre(struct twf *f, uint64_t *x)
{
    static const uint16_t protos[] = {0x0800, 0x86DD, 0x8847, 0x88BE, 0x22EB, 0x6558, 0x880B};
    uint16_t flags = (uint16_t)((R(2) ? TWF_GRE_C : 0) | (R(2) ? TWF_GRE_K : 0) | (R(2) ? TWF_GRE_S : 0));
    uint16_t p = protos[R(sizeof protos / sizeof protos[0])];
    twf_gre(f, flags, p, rnd32(x), rnd32(x));
    switch (p) {
    case 0x0800: gen_inner_ip(f, x, R(8) == 0); break;
    case 0x86DD: gen_inner_ip(f, x, R(8) != 0); break;
    case 0x8847: {
        unsigned n = 1 + R(3);
        for (unsigned i = 0; i < n; i++)
            twf_mpls(f, rnd32(x) & 0xfffff, R(8), i + 1 == n, (uint8_t)rnd32(x));
        gen_inner_ip(f, x, (int)R(2));
        break;
    }
    case 0x88BE:
        if (flags & TWF_GRE_S)
            twf_erspan2(f, (uint16_t)(rnd32(x) & 0xfff), (uint8_t)R(8), (uint16_t)(rnd32(x) & 0x3ff),
                        rnd32(x) & 0xfffff);
        gen_inner_eth(f, x);
        break;
    case 0x22EB: {
        uint8_t ft = R(4) ? (uint8_t)(R(2) * 2) : (uint8_t)R(32);
        twf_erspan3(f, (uint16_t)(rnd32(x) & 0xfff), (uint8_t)R(8), (uint16_t)(rnd32(x) & 0x3ff), rnd32(x), ft,
                    (int)R(2));
        if (ft == 2)
            gen_inner_ip(f, x, (int)R(2));
        else
            gen_inner_eth(f, x);
        break;
    }
    case 0x6558: gen_inner_eth(f, x); break;
    default: twf_payload(f, R(40), (uint8_t)rnd32(x)); break;
    }
}

static void gen_gtpu(struct twf *f, uint64_t *x)
{
    uint8_t flags = (uint8_t)R(8);
    uint8_t type = R(5) ? 255 : (uint8_t)(R(2) ? 1 : 254);
    unsigned n = (flags & TWF_GTP_E) ? R(7) : 0;
    uint8_t types[6];
    for (unsigned i = 0; i < n && i < 6; i++)
        types[i] = R(2) ? 0x85 : 0x40;
    if (n > 6)
        n = 6;
    twf_gtpu(f, flags, type, rnd32(x), (uint16_t)rnd32(x), n ? types[0] : (uint8_t)(R(4) ? 0 : 0x85));
    for (unsigned i = 0; i < n; i++) {
        uint8_t next = i + 1 < n ? types[i + 1] : 0;
        if (types[i] == 0x85)
            twf_gtpu_pdu_session(f, (uint8_t)R(2), (uint8_t)R(64), next);
        else
            twf_gtpu_ext(f, (uint8_t)(R(12) ? 1 + R(3) : 0), next);
    }
    if (R(10))
        gen_inner_ip(f, x, (int)R(2));
    else
        twf_payload(f, 20 + R(20), (uint8_t)rnd32(x));
}

static void gen_udp_tunnel(struct twf *f, uint64_t *x, unsigned kind)
{
    uint16_t eph = (uint16_t)(1024 + R(60000));
    switch (kind) {
    case 0: { /* VXLAN on either port, sometimes as the source port */
        uint16_t p = R(2) ? 4789 : 8472;
        if (R(4))
            twf_udp(f, eph, p);
        else
            twf_udp(f, p, 53);
        twf_vxlan(f, rnd32(x) & 0xffffff);
        gen_inner_eth(f, x);
        break;
    }
    case 1: {
        static const uint16_t gp[] = {0x6558, 0x0800, 0x86DD, 0x894F};
        uint16_t p = gp[R(4)];
        twf_udp(f, eph, 6081);
        twf_geneve(f, p, rnd32(x) & 0xffffff, R(9));
        if (p == 0x6558)
            gen_inner_eth(f, x);
        else if (p != 0x894F)
            gen_inner_ip(f, x, p == 0x86DD);
        else
            twf_payload(f, 30, 0);
        break;
    }
    case 2:
        twf_udp(f, R(2) ? 2152 : eph, 2152);
        if (R(12))
            gen_gtpu(f, x);
        else {
            twf_gtpu_raw(f, R(2) ? 0x50 : 0x20, 255, rnd32(x));
            gen_inner_ip(f, x, 0);
        }
        break;
    default: {
        twf_udp(f, eph, 37008);
        twf_tzsp(f, R(8) ? 1 : 2, (uint8_t)R(3), R(6) ? 1 : 18);
        for (unsigned i = 0, n = R(4); i < n; i++) {
            if (R(3) == 0)
                twf_tzsp_tag(f, 0, 0, 0);
            else
                twf_tzsp_tag(f, (uint8_t)(10 + R(30)), (uint8_t)R(12), (uint8_t)rnd32(x));
        }
        twf_tzsp_tag(f, 1, 0, 0);
        gen_inner_eth(f, x);
        break;
    }
    }
}

/* A random frame: L2 (tags, MPLS), outer IP, then an L4 header or a tunnel with an inner packet, a payload. */
static void gen_frame(struct twf *f, uint64_t *x)
{
    static const uint16_t tpid[] = {0x8100, 0x88A8, 0x9100};
    twf_init(f);
    int v6 = (int)R(3) == 0;
    uint16_t ipt = v6 ? 0x86DD : 0x0800;
    unsigned l2 = R(10);
    if (l2 < 6) {
        twf_eth(f, rmac(x), rmac(x), R(40) ? ipt : (uint16_t)(R(2) ? 0x0806 : 0x05dc));
    } else if (l2 < 8) {
        unsigned tags = 1 + (R(8) ? R(2) : 2);
        twf_eth(f, rmac(x), rmac(x), tpid[R(3)]);
        for (unsigned i = 0; i < tags; i++)
            twf_vlan(f, (uint16_t)rnd32(x), i + 1 < tags ? tpid[R(3)] : ipt);
    } else {
        unsigned n = 1 + (R(8) ? R(4) : 4);
        twf_eth(f, rmac(x), rmac(x), R(2) ? 0x8847 : 0x8848);
        for (unsigned i = 0; i < n; i++)
            twf_mpls(f, rnd32(x) & 0xfffff, R(8), i + 1 == n, (uint8_t)rnd32(x));
        if (R(6) == 0) {
            twf_pw_cw(f);
            gen_inner_eth(f, x);
            goto end;
        }
    }
    unsigned k = R(16);
    static const uint8_t tproto[] = {47, 47, 47, 17, 17, 17, 17, 17, 4, 115};
    if (k < 6) {
        uint8_t p = pick_l4(x, v6);
        gen_ip(f, x, v6, p);
        gen_l4(f, x, p);
    } else {
        unsigned t = k - 6;
        uint8_t p = tproto[t];
        if (p == 4 && R(2))
            p = 41;
        gen_ip(f, x, v6, p);
        if (p == 47)
            gen_gre(f, x);
        else if (p == 17)
            gen_udp_tunnel(f, x, t - 3 < 4 ? t - 3 : R(4));
        else if (p == 4 || p == 41)
            gen_inner_ip(f, x, p == 41);
        else {
            static const size_t ck[] = {0, 4, 8};
            twf_l2tpv3(f, R(10) ? rnd32(x) : 0, ck[R(3)]);
            gen_inner_eth(f, x);
        }
    }
end:
    if (R(400) == 0)
        twf_payload(f, 9600, (uint8_t)rnd32(x)); /* a giant at the default MTU */
    else if (R(30) == 0)
        twf_payload(f, 1400 + R(700), (uint8_t)rnd32(x)); /* around a 1500/2000-byte MTU */
    else
        twf_payload(f, R(160), (uint8_t)rnd32(x));
    twf_end(f);
    if (R(4))
        twf_pad(f, 60);
}

struct rframe {
    uint8_t *b;
    size_t len;
    int tuser;
    unsigned port;
    uint32_t fseq;
    uint8_t seen;
};

#define RANDOM_FRAMES 20000u
#define RANDOM_BATCH 1000u

static void test_random_mutations(void **s)
{
    (void)s;
    uint64_t xs = 0x7a9a7c4ull, *x = &xs;
    static const unsigned mtus[] = {9600, 9600, 1500, 2000};
    struct rframe *fr = calloc(RANDOM_BATCH, sizeof *fr);
    assert_non_null(fr);
    struct twf *f = malloc(sizeof *f);
    assert_non_null(f);
    unsigned long differ = 0, fed = 0, dropped = 0;
    unsigned long errs[TW_ERR_COUNT] = {0}, kinds[TW_TUN_COUNT] = {0}, inner = 0, ports[2] = {0};
    for (unsigned batch = 0; batch < RANDOM_FRAMES / RANDOM_BATCH; batch++) {
        struct tw_dissect_cfg dcfg;
        tw_dissect_cfg_default(&dcfg);
        dcfg.mtu = mtus[R(4)];
        dcfg.l2tp_cookie = 4 * R(3);
        struct twsim_cfg c;
        twsim_cfg_default(&c);
        c.seed = 0x51ed0000u + batch;
        c.gap_pct = 10 + R(40);
        c.out_bp_pct = R(30);
        c.meta_bp_pct = R(30);
        c.serial = 0;
        c.keep_records = 1;
        c.mtu = dcfg.mtu;
        c.l2tp_cookie = dcfg.l2tp_cookie;
        struct twsim *sim = NULL;
        assert_int_equal(twsim_new(&sim, &c), 0);
        uint32_t seq[2] = {0, 0};
        for (unsigned i = 0; i < RANDOM_BATCH; i++) {
            gen_frame(f, x);
            assert_false(f->overflow);
            /* 1 to 4 mutations, mostly in the headers */
            for (unsigned k = 0, n = 1 + R(4); k < n; k++) {
                size_t span = R(4) ? (f->n < 200 ? f->n : 200) : f->n;
                size_t at = R(span);
                f->b[at] = R(2) ? (uint8_t)rnd32(x) : (uint8_t)(f->b[at] ^ (1u << R(8)));
            }
            size_t len = R(2) ? f->n : 1 + R(f->n);
            struct rframe *r = &fr[i];
            r->b = malloc(len);
            assert_non_null(r->b);
            memcpy(r->b, f->b, len);
            r->len = len;
            r->tuser = R(16) == 0;
            r->port = R(2);
            r->fseq = seq[r->port]++;
            r->seen = 0;
            assert_int_equal(twsim_push(sim, r->port, r->b, len, r->tuser, 1000ull * (fed + i), i), 0);
        }
        assert_int_equal(twsim_run(sim, 0), 0);
        /* A copy is dropped whole only when a port's head slots are all busy (docs/architecture.md): runts of a
         * few bytes arriving faster than they are parsed can do that. Every drop must be counted, and the frames
         * without a record must be exactly the counted ones (their fseq is skipped). */
        uint64_t drops[2], recs[2];
        for (unsigned p = 0; p < 2; p++) {
            assert_int_equal(twsim_counter(sim, p, TW_CNT_COPY_DROP, &drops[p]), 0);
            assert_int_equal(twsim_counter(sim, p, TW_CNT_RECORDS, &recs[p]), 0);
        }
        size_t n;
        const struct twsim_rec *rec = twsim_records(sim, &n);
        assert_int_equal(n + drops[0] + drops[1], RANDOM_BATCH);
        assert_int_equal(recs[0] + recs[1], n);
        const struct twsim_stats *st = twsim_stats(sim);
        assert_int_equal(st->out_bad[0] + st->out_bad[1], 0);
        assert_int_equal(st->rec_bad, 0);
        for (size_t i = 0; i < n; i++) {
            assert_true(rec[i].tag < RANDOM_BATCH);
            struct rframe *r = &fr[rec[i].tag];
            assert_false(r->seen);
            r->seen = 1;
            assert_int_equal(rec[i].m.port, r->port);
            assert_int_equal(rec[i].m.fseq, r->fseq);
            /* ts: when both ports start a frame in the same cycle, port A's ts is sampled for both (twsim.h) */
            struct tw_meta ref;
            tw_dissect(&dcfg, r->b, r->len, r->tuser, rec[i].m.ts, r->port, r->fseq, &ref);
            char what[96];
            snprintf(what, sizeof what, "random batch %u frame %llu (mtu %u, cookie %u)", batch,
                     (unsigned long long)rec[i].tag, dcfg.mtu, dcfg.l2tp_cookie);
            if (diff_records(&rec[i].m, &ref, what, differ < 10)) {
                if (differ < 10)
                    dump_frame(r->b, r->len);
                differ++;
            }
            for (unsigned b = 0; b < TW_ERR_COUNT; b++)
                errs[b] += (rec[i].m.err >> b) & 1u;
            if (rec[i].m.tun_kind < TW_TUN_COUNT)
                kinds[rec[i].m.tun_kind]++;
            inner += rec[i].m.inner;
            ports[r->port]++;
        }
        unsigned long missing[2] = {0, 0}, seen[2] = {0, 0};
        for (unsigned i = 0; i < RANDOM_BATCH; i++) {
            if (!fr[i].seen) {
                missing[fr[i].port]++;
                printf("random batch %u frame %u (port %u, fseq %u, %zu bytes): copy dropped (counted)\n", batch, i,
                       fr[i].port, fr[i].fseq, fr[i].len);
            } else {
                seen[fr[i].port]++;
            }
            free(fr[i].b);
        }
        assert_int_equal(missing[0], drops[0]);
        assert_int_equal(missing[1], drops[1]);
        assert_int_equal(seen[0], recs[0]);
        assert_int_equal(seen[1], recs[1]);
        dropped += missing[0] + missing[1];
        fed += RANDOM_BATCH;
        twsim_free(sim);
    }
    printf("random: %lu frames (records: port A %lu, B %lu; %lu copies dropped and counted), %lu with an inner "
           "packet, %lu records differ from the dissector\n",
           fed, ports[0], ports[1], dropped, inner, differ);
    printf("  error bits:");
    for (unsigned b = 0; b < TW_ERR_COUNT; b++)
        printf(" %u:%lu", b, errs[b]);
    printf("\n  tunnel kinds:");
    for (unsigned k = 0; k < TW_TUN_COUNT; k++)
        printf(" %u:%lu", k, kinds[k]);
    printf("\n");
    free(f);
    free(fr);
    assert_int_equal(differ, 0);
    assert_true(dropped <= fed / 1000); /* drops are rare: the comparison covers nearly every frame */
    /* the generator reached every error kind and every tunnel kind */
    for (unsigned b = 0; b < TW_ERR_COUNT; b++)
        assert_true(errs[b] > 0);
    for (unsigned k = 0; k < TW_TUN_COUNT; k++)
        assert_true(kinds[k] > 0);
    assert_true(inner > RANDOM_FRAMES / 20);
}
#undef R

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_ipv4_tcp),
        cmocka_unit_test(test_vlan_qinq),
        cmocka_unit_test(test_vlan_third_is_deep),
        cmocka_unit_test(test_mpls),
        cmocka_unit_test(test_mpls_fifth_is_deep),
        cmocka_unit_test(test_mpls_cw_and_other),
        cmocka_unit_test(test_other_ethertypes_stop),
        cmocka_unit_test(test_runt_giant_macbad),
        cmocka_unit_test(test_trunc_each_header),
        cmocka_unit_test(test_window_limit),
        cmocka_unit_test(test_ipv4_errors),
        cmocka_unit_test(test_ipv4_fragments),
        cmocka_unit_test(test_ipv6_ext_chain),
        cmocka_unit_test(test_ipv6_fifth_ext_is_deep),
        cmocka_unit_test(test_ipv6_fragment),
        cmocka_unit_test(test_ipv6_errors),
        cmocka_unit_test(test_l4_kinds),
        cmocka_unit_test(test_gre_variants),
        cmocka_unit_test(test_erspan),
        cmocka_unit_test(test_vxlan_geneve),
        cmocka_unit_test(test_gtpu),
        cmocka_unit_test(test_gtpu_ext_limits),
        cmocka_unit_test(test_tzsp),
        cmocka_unit_test(test_ipip),
        cmocka_unit_test(test_l2tpv3_cookies),
        cmocka_unit_test(test_inner_errors),
        cmocka_unit_test(test_tunnel_header_cut),
        cmocka_unit_test(test_qinq_mpls_ipv6_srh_deep_stack),
        cmocka_unit_test(test_never_reads_past_window),
        cmocka_unit_test(test_random_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_rigs);
}
