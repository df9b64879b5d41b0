/* The parser cases shared by tests/host/test_dissect.c and tests/sim/test_parser_rtl.c: see parser_cases.h. */
#include "parser_cases.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tapwatch/meta.h"

/* ---------------- checks: cmocka's names, failing through ctx->fail ---------------- */

static void check_fail(struct twpc_ctx *ctx, int line, const char *what)
{
    ctx->fail(__FILE__, line, what);
}

static void check_eq(struct twpc_ctx *ctx, uint64_t a, uint64_t b, const char *ea, const char *eb, int line)
{
    if (a == b)
        return;
    char what[256];
    snprintf(what, sizeof what, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, ea, eb, a, b);
    check_fail(ctx, line, what);
}

static void check_true(struct twpc_ctx *ctx, int ok, const char *expr, int line)
{
    if (!ok)
        check_fail(ctx, line, expr);
}

static void check_mem(struct twpc_ctx *ctx, const void *a, const void *b, size_t n, const char *ea, const char *eb,
                      int line)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            char what[256];
            snprintf(what, sizeof what, "%s == %s (%zu bytes): byte %zu is 0x%02x, not 0x%02x", ea, eb, n, i, x[i],
                     y[i]);
            check_fail(ctx, line, what);
            return;
        }
    }
}

#define assert_int_equal(a, b) check_eq(ctx, (uint64_t)(a), (uint64_t)(b), #a, #b, __LINE__)
#define assert_true(c) check_true(ctx, (c) ? 1 : 0, #c, __LINE__)
#define assert_false(c) check_true(ctx, (c) ? 0 : 1, "!(" #c ")", __LINE__)
#define assert_memory_equal(a, b, n) check_mem(ctx, (a), (b), (n), #a, #b, __LINE__)

/* Short names for the case bodies. */
#define MAC_A TWPC_MAC_A
#define MAC_B TWPC_MAC_B
#define MAC_C TWPC_MAC_C
#define MAC_D TWPC_MAC_D
#define IP_A TWPC_IP_A
#define IP_B TWPC_IP_B
#define E(b) TWPC_E(b)

/* The frame being built and the parser's record of the last frame run. */
static struct twf F;
static struct tw_meta m;

/* Says what a case leaves out on a parser without the capability it needs (printed, never silent). */
static void not_run(const char *what, const char *why)
{
    printf("parser_cases: not run on this parser: %s (%s)\n", what, why);
}

/* One frame on alternating ports with a timestamp that changes from frame to frame. */
static void run_any(struct twpc_ctx *ctx, const struct tw_dissect_cfg *cfg, const uint8_t *b, size_t len, int tuser)
{
    const uint64_t n = ctx->frames++;
    ctx->run(ctx, cfg, b, len, tuser, 1000000007ull * (n + 1), (unsigned)(n & 1u), &m);
}

static void dis_cfg(struct twpc_ctx *ctx, const struct tw_dissect_cfg *cfg, struct twf *f)
{
    assert_false(f->overflow);
    run_any(ctx, cfg, f->b, f->n, 0);
}

static void dis(struct twpc_ctx *ctx, struct twf *f)
{
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    dis_cfg(ctx, &cfg, f);
}

static void finish(struct twf *f)
{
    twf_end(f);
    twf_pad(f, 60);
}

const struct twf_ip4 *twpc_ip4(uint8_t proto)
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

const struct twf_ip6 *twpc_ip6(uint8_t nh)
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
#define ip4 twpc_ip4
#define ip6 twpc_ip6

static void assert_v4(struct twpc_ctx *ctx, const uint8_t *a, uint32_t v)
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

static void assert_inner_eth_tcp(struct twpc_ctx *ctx)
{
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_l2, 1);
    assert_int_equal(m.i_dmac, MAC_D);
    assert_int_equal(m.i_smac, MAC_C);
    assert_int_equal(m.i_ip_ver, 4);
    assert_v4(ctx, m.i_ip_src, 0xc0a80101);
    assert_int_equal(m.i_ip_ttl, 33);
    assert_int_equal(m.i_ip_id, 77);
    assert_int_equal(m.i_l4, 1);
    assert_int_equal(m.i_sport, 40000);
    assert_int_equal(m.i_dport, 443);
    assert_int_equal(m.i_tcp_flags, 0x18);
    assert_int_equal(m.i_tcp_seq, 1000);
}

/* ---------------- L2 ---------------- */

static void case_eth_ipv4_tcp(struct twpc_ctx *ctx)
{
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
    const uint32_t seq = ctx->next_fseq(ctx, NULL, 1);
    ctx->run(ctx, NULL, F.b, F.n, 0, 123456789, 1, &m);
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
    assert_v4(ctx, m.o_ip_src, IP_A);
    assert_v4(ctx, m.o_ip_dst, IP_B);
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

static void case_vlan_qinq(struct twpc_ctx *ctx)
{
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
        dis(ctx, &F);
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

static void case_vlan_third_is_deep(struct twpc_ctx *ctx)
{
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x88A8);
    twf_vlan(&F, 1, 0x8100);
    twf_vlan(&F, 2, 0x8100);
    twf_vlan(&F, 3, 0x0800);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(DEEP));
    assert_int_equal(m.o_vlan_n, 2);
    assert_int_equal(m.o_ethertype, 0x8100);
    assert_int_equal(m.o_ip_ver, 0);
}

static void case_mpls(struct twpc_ctx *ctx)
{
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    twf_mpls(&F, 16000, 3, 0, 64);
    twf_mpls(&F, 16001, 0, 1, 63);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_mpls_n, 4);
    assert_int_equal(m.o_mpls3 >> 12, 103);
    assert_int_equal(m.o_ip_ver, 6);
}

static void case_mpls_fifth_is_deep(struct twpc_ctx *ctx)
{
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    for (int i = 0; i < 5; i++)
        twf_mpls(&F, (uint32_t)(i + 1), 0, i == 4, 1);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(DEEP));
    assert_int_equal(m.o_mpls_n, 4);
    assert_int_equal(m.o_ip_ver, 0);
}

static void case_mpls_cw_and_other(struct twpc_ctx *ctx)
{
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x8847);
    twf_mpls(&F, 77, 0, 1, 1);
    twf_pw_cw(&F);
    inner_eth_tcp(&F);
    finish(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_mpls_cw, 0);
    assert_int_equal(m.o_ip_ver, 0);
}

/* An MPLS stack of 1..4 labels behind 0, 1 or 2 VLAN tags (and behind GRE, where the stack starts the inner layer),
 * then a pseudowire control word: cut at every byte from the stack's start to one byte after it. A label is stored
 * only when whole; the stack cut anywhere is TRUNC; one byte after it is enough to see the control word (no TRUNC).
 * The RTL checks these lengths against constants chosen by the stack's offset (rtl/tw_parser_engine.v, ST_L2). */
static uint32_t mpls_entry(int i)
{
    return i == 0 ? m.o_mpls0 : i == 1 ? m.o_mpls1 : i == 2 ? m.o_mpls2 : m.o_mpls3;
}

static void case_mpls_cut_each_label(struct twpc_ctx *ctx)
{
    for (int base = 0; base < 4; base++) {
        for (int depth = 1; depth <= 4; depth++) {
            twf_init(&F);
            size_t b;
            if (base < 3) {
                twf_eth(&F, MAC_B, MAC_A, base == 0 ? 0x8847 : 0x88A8);
                if (base >= 1)
                    twf_vlan(&F, 7, base == 1 ? 0x8847 : 0x8100);
                if (base == 2)
                    twf_vlan(&F, 8, 0x8847);
                b = F.n;
            } else {
                twf_eth(&F, MAC_B, MAC_A, 0x0800);
                twf_ipv4(&F, ip4(47));
                twf_gre(&F, 0, 0x8847, 0, 0);
                b = F.n;
            }
            for (int i = 0; i < depth; i++)
                twf_mpls(&F, (uint32_t)(500 + i), 0, i + 1 == depth, 9);
            twf_pw_cw(&F);
            twf_payload(&F, 8, 0x11);
            twf_end(&F);
            assert_false(F.overflow);
            const size_t stack = b + 4u * (size_t)depth;
            for (size_t cut = b; cut <= stack + 1; cut++) {
                run_any(ctx, NULL, F.b, cut, 0);
                const size_t whole = (cut - b) / 4 < (size_t)depth ? (cut - b) / 4 : (size_t)depth;
                const int trunc = cut <= stack;
                if (base < 3) {
                    assert_int_equal(m.o_vlan_n, base);
                    assert_int_equal(m.o_mpls_n, whole);
                    assert_int_equal(m.o_mpls_cw, !trunc);
                    assert_int_equal(!!(m.err & E(TRUNC)), trunc);
                    if (whole >= 1)
                        assert_int_equal(m.o_mpls0 >> 12, 500);
                    if (whole == (size_t)depth)
                        assert_true((mpls_entry(depth - 1) >> 8) & 1); /* the last one carries BOS */
                } else {
                    assert_int_equal(m.tun_kind, TW_TUN_GRE);
                    assert_int_equal(m.i_mpls_n, whole);
                    assert_int_equal(m.i_mpls_cw, !trunc);
                    assert_int_equal(!!(m.err & E(TRUNC)), trunc);
                    assert_int_equal(!!(m.err & E(INNER)), trunc); /* the outer length past the cut is not INNER */
                }
            }
        }
    }
}

static void case_other_ethertypes_stop(struct twpc_ctx *ctx)
{
    const uint16_t types[] = {0x0806, 0x88CC, 0x002e /* 802.3 length */};
    for (size_t i = 0; i < 3; i++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, types[i]);
        twf_payload(&F, 46, 0x45);
        dis(ctx, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.o_l2, 1);
        assert_int_equal(m.o_ethertype, types[i]);
        assert_int_equal(m.o_ip_ver, 0);
    }
}

/* ---------------- sizes and MAC flags ---------------- */

static void case_runt_giant_macbad(struct twpc_ctx *ctx)
{
    eth_ip4_udp(&F, 1, 2);
    twf_end(&F); /* 42 bytes, no padding */
    dis(ctx, &F);
    assert_int_equal(m.err, E(RUNT));
    assert_int_equal(m.o_l4, 1); /* runt does not stop parsing */
    assert_int_equal(m.len, 42);

    eth_ip4_udp(&F, 1, 2);
    twf_payload(&F, 9600, 0);
    twf_end(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(GIANT));
    assert_int_equal(m.o_l4, 1);
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    cfg.mtu = 20000;
    dis_cfg(ctx, &cfg, &F);
    assert_int_equal(m.err, 0);

    eth_ip4_udp(&F, 1, 2);
    finish(&F);
    run_any(ctx, NULL, F.b, F.n, 1);
    assert_int_equal(m.err, E(MACBAD));
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sport, 1);
}

/* ---------------- truncation: each header, frame end and window ---------------- */

static void case_trunc_each_header(struct twpc_ctx *ctx)
{
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
    size_t first = 0;
    if (!(ctx->caps & TWPC_CAP_EMPTY_FRAME)) {
        not_run("trunc_each_header: the cut at 0 bytes", "takes no empty frames");
        first = 1;
    }
    for (size_t cut = first; cut < full; cut++) {
        run_any(ctx, NULL, F.b, cut, 0);
        assert_true(m.err & E(TRUNC));
        assert_int_equal(m.o_l2, cut >= 14);
        assert_int_equal(m.o_vlan_n, cut >= 18 ? 1 : 0);
        assert_int_equal(m.o_ip_ver, cut >= 42 ? 4 : 0);
        assert_int_equal(m.o_l4, 0);
        if (cut >= 42)
            assert_true(m.err & E(IPLEN)); /* total length runs past the cut */
        assert_int_equal(m.o_dmac, cut >= 14 ? MAC_B : 0);
    }
    run_any(ctx, NULL, F.b, full, 0);
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
        dis(ctx, &F);
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
    run_any(ctx, NULL, F.b, 14 + 39, 0);
    assert_int_equal(m.err & E(TRUNC), E(TRUNC));
    assert_int_equal(m.o_ip_ver, 0);
    run_any(ctx, NULL, F.b, 14 + 40 + 15, 0);
    assert_true(m.err & E(TRUNC));
    assert_int_equal(m.o_ip_ver, 6);
    assert_int_equal(m.o_ip6_ext_n, 0);
    assert_int_equal(m.o_ip_proto, 0);
    assert_int_equal(m.o_l3_hdrlen, 40);
    assert_int_equal(m.o_l4, 0);
}

static void case_window_limit(struct twpc_ctx *ctx)
{
    /* IPv6 with a hop-by-hop header that pushes TCP to bytes 254..273: cut by the 256-byte window only */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 6, 24); /* 200 bytes: TCP at 14 + 40 + 200 = 254 */
    twf_tcp(&F, 7, 8, 9, 0x10);
    twf_payload(&F, 100, 0);
    twf_end(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(TRUNC));
    assert_int_equal(m.o_ip6_ext_n, 1);
    assert_int_equal(m.o_ip_proto, 6);
    assert_int_equal(m.o_l3_hdrlen, 240);
    assert_int_equal(m.o_l3_head_n, 2); /* bytes 254, 255 */
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.len, F.n); /* len is the frame, not the window */
    if (ctx->caps & TWPC_CAP_ANY_WINDOW) {
        struct tw_dissect_cfg cfg;
        tw_dissect_cfg_default(&cfg);
        cfg.hdr_bytes = 512;
        dis_cfg(ctx, &cfg, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.o_l4, 1);
        assert_int_equal(m.o_dport, 8);
        assert_int_equal(m.o_l3_head_n, 16);
        /* a tiny window: only Ethernet */
        cfg.hdr_bytes = 20;
        dis_cfg(ctx, &cfg, &F);
        assert_int_equal(m.err, E(TRUNC));
        assert_int_equal(m.o_l2, 1);
        assert_int_equal(m.o_ip_ver, 0);
        assert_int_equal(m.len, F.n); /* len is the frame, not the window */
    } else {
        not_run("window_limit: windows of 512 and 20 bytes", "the header window is fixed at 256 bytes");
    }
    /* one byte less of hop-by-hop: TCP ends at 255, inside the window */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(0));
    twf_ip6_opts(&F, 6, 23); /* 192 bytes: TCP at 246..265 */
    twf_tcp(&F, 7, 8, 9, 0x10);
    twf_payload(&F, 100, 0);
    twf_end(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
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
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, E(TRUNC));
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.inner, 0);
}

/* ---------------- IPv4 errors ---------------- */

/* The header checksum at every IHL (5..15, options of varied bytes): right, then the header's last byte flipped
 * (CSUM), then instead the first byte after the header flipped (still right: it is not in the sum). The RTL's fetch
 * engines sum the header while the window loads, four 16-bit words a clock, the last of them in the step's clock
 * (rtl/tw_parser_engine.v, g_win_fetch); IHL 15 puts header words in the window's last 8 bytes. A second pass
 * fills the options and fields with 0xFF, so that at IHL 15 the header's words add up past 2^20 (the RTL tells a
 * right sum by its low 16 bits against its high 5, bit 20 included). */
static void case_ipv4_csum_each_ihl(struct twpc_ctx *ctx)
{
    uint8_t opt[40];
    for (unsigned pass = 0; pass < 2; pass++)
        for (unsigned ihl = 5; ihl <= 15; ihl++) {
            for (unsigned i = 0; i < sizeof opt; i++)
                opt[i] = pass ? 0xFF : (uint8_t)(0x5a + 37 * i + 11 * ihl);
            for (int flip = 0; flip < 3; flip++) {
                twf_init(&F);
                twf_eth(&F, MAC_B, MAC_A, 0x0800);
                struct twf_ip4 ip = *ip4(17);
                if (pass) {
                    ip.tos = 0xFF;
                    ip.ttl = 0xFF;
                    ip.id = 0xFFFF;
                    ip.src = 0xFFFFFFFEu;
                    ip.dst = 0xFFFFFFFDu;
                }
                ip.opts = opt;
                ip.optlen = (ihl - 5) * 4;
                const size_t at = twf_ipv4(&F, &ip);
                twf_udp(&F, 0x1234, 0x5678);
                finish(&F);
                const size_t hdr_end = at + ihl * 4;
                if (pass && ihl == 15 && flip == 0) {
                    uint32_t sum = 0;
                    for (size_t k = at; k < hdr_end; k += 2)
                        sum += (uint32_t)F.b[k] << 8 | F.b[k + 1];
                    assert_true(sum >= 1u << 20);
                }
                if (flip == 1)
                    twf_put8(&F, hdr_end - 1, (uint8_t)(F.b[hdr_end - 1] ^ 0x5a));
                if (flip == 2)
                    twf_put8(&F, hdr_end, (uint8_t)(F.b[hdr_end] ^ 0x5a));
                dis(ctx, &F);
                assert_int_equal(m.o_ip_ihl, ihl);
                assert_int_equal(m.o_ip_csum_ok, flip != 1);
                assert_int_equal(m.err, flip == 1 ? E(CSUM) : 0);
                assert_int_equal(m.o_l4, 1);
            }
        }
}

static void case_ipv4_errors(struct twpc_ctx *ctx)
{
    /* bad IHL */
    size_t ip = eth_ip4_udp(&F, 1, 2);
    finish(&F);
    twf_put8(&F, ip, 0x44);
    dis(ctx, &F);
    assert_int_equal(m.err, E(IHL));
    assert_int_equal(m.o_ip_ver, 0);
    assert_int_equal(m.o_l4, 0);
    /* bad version (ethertype 0x0800, nibble 6) */
    ip = eth_ip4_udp(&F, 1, 2);
    finish(&F);
    twf_put8(&F, ip, 0x65);
    dis(ctx, &F);
    assert_int_equal(m.err, E(IPVER));
    assert_int_equal(m.o_ip_ver, 0);
    /* IPv6 ethertype with a version-4 header */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(IPVER));
    /* checksum wrong: parsing goes on */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    struct twf_ip4 bad = *ip4(17);
    bad.bad_csum = 1;
    twf_ipv4(&F, &bad);
    twf_udp(&F, 3, 4);
    finish(&F);
    dis(ctx, &F);
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
        dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_l3_head_n, 10);
}

static void case_ipv4_fragments(struct twpc_ctx *ctx)
{
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
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ip_frag, 1);
    assert_int_equal(m.o_ip_fragoff, 185);
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_sport, 0);
    assert_int_equal(m.tun_kind, 0);
    assert_int_equal(m.o_l3_head_n, 16);
}

/* ---------------- IPv6 ---------------- */

static void case_ipv6_ext_chain(struct twpc_ctx *ctx)
{
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
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_ip6_srh, 0);
    assert_int_equal(m.o_ip6_segleft, 0);
    assert_int_equal(m.o_l4, 1);
}

/* One IPv6 extension header of each length kind, cut at every byte from its start to one byte after it: options
 * (8 * (len + 1) bytes), AH (4 * (len + 2)) and the fragment header (8). The header is counted only when whole; cut
 * anywhere inside it is TRUNC. The RTL checks these lengths as rem against the length's units, not as a 13-bit sum
 * (rtl/tw_parser_engine.v, ST_EXT), so a unit off by one shows here at the cut that ends the header. */
static void case_ipv6_ext_cut_each_len(struct twpc_ctx *ctx)
{
    static const struct {
        uint8_t nh, len;
    } ext[] = {{0, 0}, {0, 1}, {0, 3}, {60, 5}, {51, 1}, {51, 2}, {51, 4}, {51, 7}, {44, 0}};
    for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x86DD);
        twf_ipv6(&F, ip6(ext[k].nh));
        const size_t b = F.n;
        if (ext[k].nh == 51)
            twf_ip6_ah(&F, 59, ext[k].len);
        else if (ext[k].nh == 44)
            twf_ip6_frag(&F, 59, 0, 0, 0x1234);
        else
            twf_ip6_opts(&F, 59, ext[k].len);
        const size_t end = F.n;
        twf_payload(&F, 8, 0x22);
        twf_end(&F);
        assert_false(F.overflow);
        for (size_t cut = b; cut <= end + 1; cut++) {
            run_any(ctx, NULL, F.b, cut, 0);
            const int whole = cut >= end;
            assert_int_equal(m.o_ip_ver, 6);
            assert_int_equal(m.o_ip6_ext_n, whole);
            assert_int_equal(!!(m.err & E(TRUNC)), !whole);
            if (whole) {
                assert_int_equal(m.o_ip6_ext0, ext[k].nh);
                assert_int_equal(m.o_l3_hdrlen, 40 + (end - b));
            }
        }
    }
}

static void case_ipv6_fifth_ext_is_deep(struct twpc_ctx *ctx)
{
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
    dis(ctx, &F);
    assert_int_equal(m.err, E(DEEP));
    assert_int_equal(m.o_ip6_ext_n, 4);
    assert_int_equal(m.o_ip_proto, 44);
    assert_int_equal(m.o_l3_hdrlen, 72);
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_l3_head_n, 0);
}

static void case_ipv6_fragment(struct twpc_ctx *ctx)
{
    for (int first = 1; first >= 0; first--) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x86DD);
        twf_ipv6(&F, ip6(44));
        twf_ip6_frag(&F, 6, first ? 0 : 100, first, 0x01020304);
        twf_tcp(&F, 5, 6, 7, 2);
        finish(&F);
        dis(ctx, &F);
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

static void case_ipv6_errors(struct twpc_ctx *ctx)
{
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    struct twf_ip6 ip = *ip6(17);
    ip.keep_len = 1;
    ip.payload_len = 500;
    twf_ipv6(&F, &ip);
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(IPLEN));
    assert_int_equal(m.o_l4, 1);
    /* version 4 nibble behind 0x86DD */
    twf_put8(&F, 14, 0x45);
    dis(ctx, &F);
    assert_int_equal(m.err, E(IPVER));
}

/* ---------------- L4 ---------------- */

static void case_l4_kinds(struct twpc_ctx *ctx)
{
    eth_ip4_udp(&F, 53, 5353);
    twf_payload(&F, 12, 0);
    finish(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_icmp_type, 3);
    assert_int_equal(m.o_icmp_code, 4);
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x86DD);
    twf_ipv6(&F, ip6(58));
    twf_icmp(&F, 128, 0);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_icmp_type, 128);
    /* SCTP: INIT first (no PPID), DATA first cut before its PPID, DATA first */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(132));
    twf_sctp(&F, 38412, 38412, 7);
    twf_sctp_chunk(&F, 1, 16);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 1);
    assert_int_equal(m.o_sctp_ppid_v, 0);
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(132));
    twf_sctp(&F, 38412, 38412, 7);
    twf_sctp_data(&F, 1, 2, 3, 60, 20);
    twf_end(&F);
    run_any(ctx, NULL, F.b, 14 + 20 + 12 + 15, 0); /* 15 bytes of the DATA chunk */
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 0);
    assert_int_equal(m.o_sctp_ppid_v, 0);
    run_any(ctx, NULL, F.b, F.n, 0);
    assert_int_equal(m.o_sctp_ppid_v, 1);
    assert_int_equal(m.o_sctp_ppid, 60);
    /* only 12 bytes of SCTP: no chunk */
    run_any(ctx, NULL, F.b, 14 + 20 + 12 + 3, 0);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 0);
    assert_int_equal(m.err & E(TRUNC), 0);
    /* other protocol: no L4, no error */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(50));
    twf_payload(&F, 20, 0);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_l4, 0);
    assert_int_equal(m.o_l3_head_n, 16);
}

/* ---------------- tunnels ---------------- */

static void case_gre_variants(struct twpc_ctx *ctx)
{
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
    dis(ctx, &F);
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
    assert_v4(ctx, m.i_ip_src, 0xac100001);
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
    dis(ctx, &F);
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
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_GRETEB);
    assert_int_equal(m.tun_id, 0x99);
    assert_inner_eth_tcp(ctx);
    /* GRE version 1: no tunnel; GRE with another protocol: gre, no inner */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    size_t ip = twf_ipv4(&F, ip4(47));
    size_t g = twf_gre(&F, TWF_GRE_K, 0x880B, 1, 0);
    twf_payload(&F, 30, 0);
    finish(&F);
    twf_put16(&F, g, 0x2001);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, 0);
    assert_int_equal(m.err, 0);
    twf_put16(&F, g, 0x2000);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_GRE);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.err, 0);
    (void)ip;
}

static void case_erspan(struct twpc_ctx *ctx)
{
    /* type I */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x88BE, 0, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_ERSPAN1);
    assert_int_equal(m.tun_id_v, 0);
    assert_inner_eth_tcp(ctx);
    /* type II (the session id, not the key, is tun_id) */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_S | TWF_GRE_K, 0x88BE, 5, 77);
    twf_erspan2(&F, 0x123, 5, 0x2aa, 0xabcde);
    inner_eth_tcp(&F);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_ERSPAN2);
    assert_int_equal(m.gre_seq, 77);
    assert_int_equal(m.tun_id_v, 1);
    assert_int_equal(m.tun_id, 0x2aa);
    assert_int_equal(m.erspan_vlan, 0x123);
    assert_int_equal(m.erspan_cos, 5);
    assert_int_equal(m.erspan_idx, 0xabcde);
    assert_inner_eth_tcp(ctx);
    /* type III, with and without the platform sub-header; FT 2 = IP; FT 7 = no inner */
    for (int o = 0; o < 2; o++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x0800);
        twf_ipv4(&F, ip4(47));
        twf_gre(&F, TWF_GRE_S, 0x22EB, 0, 1);
        twf_erspan3(&F, 0x0aa, 3, 0x155, 0xdeadbeef, 0, o);
        inner_eth_tcp(&F);
        finish(&F);
        dis(ctx, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_ERSPAN3);
        assert_int_equal(m.tun_id, 0x155);
        assert_int_equal(m.erspan_vlan, 0x0aa);
        assert_int_equal(m.erspan_cos, 3);
        assert_int_equal(m.erspan_ts, 0xdeadbeef);
        assert_int_equal(m.erspan_ft, 0);
        assert_int_equal(m.i_l2, 1);
        assert_int_equal(m.i_l3_off, 14 + 20 + 8 + (o ? 20 : 12) + 14);
        assert_inner_eth_tcp(ctx);
    }
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x22EB, 0, 0);
    size_t e = twf_erspan3(&F, 1, 0, 9, 1, 2, 0);
    twf_ipv6(&F, ip6(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.erspan_ft, 2);
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_l2, 0);
    assert_int_equal(m.i_ip_ver, 6);
    twf_put16(&F, e + 10, 7u << 10);
    dis(ctx, &F);
    assert_int_equal(m.erspan_ft, 7);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.err, 0);
}

/* ERSPAN III behind each GRE header length (4, 8, 12, 16 bytes), without and with the platform sub-header, cut at
 * every byte from the GRE header to one byte past the ERSPAN header. Cut inside either header, the outer layer is
 * TRUNC and nothing is inner; whole, the inner frame (cut short of its Ethernet header) is parsed, so its TRUNC
 * carries INNER. The RTL takes
 * these length checks from registered tests of the window ahead of the step (rtl/tw_parser_engine.v, stage A4), so
 * a check off by one shows at the cut that ends the header. */
static void case_erspan3_cut_each_byte(struct twpc_ctx *ctx)
{
    static const uint16_t flags[] = {0, TWF_GRE_S, TWF_GRE_K | TWF_GRE_S, TWF_GRE_C | TWF_GRE_K | TWF_GRE_S};
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        for (int o = 0; o < 2; o++) {
            twf_init(&F);
            twf_eth(&F, MAC_B, MAC_A, 0x0800);
            twf_ipv4(&F, ip4(47));
            const size_t b = F.n;
            twf_gre(&F, flags[f], 0x22EB, 7, 9);
            twf_erspan3(&F, 0x0aa, 3, 0x155, 0xdeadbeef, 0, o);
            const size_t end = F.n;
            assert_int_equal(end - b, 4 + 4 * f + (o ? 20 : 12));
            inner_eth_tcp(&F);
            twf_end(&F);
            assert_false(F.overflow);
            for (size_t cut = b; cut <= end + 1; cut++) {
                run_any(ctx, NULL, F.b, cut, 0);
                const int whole = cut >= end;
                assert_int_equal(m.tun_kind, cut >= b + 4 ? TW_TUN_ERSPAN3 : 0);
                assert_true(m.err & E(TRUNC));
                assert_int_equal(!!(m.err & E(INNER)), whole);
                assert_int_equal(m.i_l2, 0);
            }
        }
    }
}

static void case_vxlan_geneve(struct twpc_ctx *ctx)
{
    const uint16_t ports[][2] = {{50000, 4789}, {50000, 8472}, {4789, 53}};
    for (int i = 0; i < 3; i++) {
        eth_ip4_udp(&F, ports[i][0], ports[i][1]);
        twf_vxlan(&F, 0x123456);
        inner_eth_tcp(&F);
        finish(&F);
        dis(ctx, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
        assert_int_equal(m.tun_id_v, 1);
        assert_int_equal(m.tun_id, 0x123456);
        assert_inner_eth_tcp(ctx);
    }
    /* destination port first: dport 2152 wins over sport 4789 */
    eth_ip4_udp(&F, 4789, 2152);
    twf_gtpu(&F, 0, 255, 0x77, 0, 0);
    twf_ipv4(&F, ip4(17));
    twf_udp(&F, 1, 2);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_GTPU);
    /* Geneve with options, Ethernet and IP payloads */
    for (unsigned ow = 0; ow <= 5; ow += 5) {
        eth_ip4_udp(&F, 1, 6081);
        twf_geneve(&F, 0x6558, 0xabc, ow);
        inner_eth_tcp(&F);
        finish(&F);
        dis(ctx, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
        assert_int_equal(m.geneve_opt, ow);
        assert_int_equal(m.tun_id, 0xabc);
        assert_inner_eth_tcp(ctx);
    }
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x86DD, 1, 2);
    twf_ipv6(&F, ip6(17));
    twf_udp(&F, 5, 6);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.inner, 1);
    assert_int_equal(m.i_ip_ver, 6);
    assert_int_equal(m.i_sport, 5);
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x0800, 1, 0);
    twf_ipv4(&F, ip4(6));
    twf_tcp(&F, 5, 6, 0, 2);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.i_ip_ver, 4);
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x894F, 1, 0); /* NSH: not followed */
    twf_payload(&F, 30, 0);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
    assert_int_equal(m.inner, 0);
    assert_int_equal(m.err, 0);
}

static void case_gtpu(struct twpc_ctx *ctx)
{
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
            dis(ctx, &F);
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
            assert_v4(ctx, m.i_ip_src, 0x0a090909);
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
    dis(ctx, &F);
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
        dis(ctx, &F);
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
        dis(ctx, &F);
        assert_int_equal(m.tun_kind, 0);
        assert_int_equal(m.err, 0);
    }
    /* user packet with a version nibble that is not IP */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, 0, 255, 1, 0, 0);
    twf_payload(&F, 30, 0x70);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, E(IPVER) | E(INNER));
    assert_int_equal(m.inner, 0);
}

static void case_gtpu_ext_limits(struct twpc_ctx *ctx)
{
    /* 4 extension headers are fine, a 5th is ERR_DEEP */
    for (int n = 4; n <= 5; n++) {
        eth_ip4_udp(&F, 2152, 2152);
        twf_gtpu(&F, TWF_GTP_E, 255, 1, 0, 0x40);
        for (int i = 0; i < n; i++)
            twf_gtpu_ext(&F, 1, i + 1 < n ? 0x40 : 0);
        twf_ipv4(&F, ip4(17));
        twf_udp(&F, 1, 2);
        finish(&F);
        dis(ctx, &F);
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
    /* an extension header of every length from 1 to 20 words (its next type at its last byte: inside the RTL's
     * window, at its end, or past it), then another or none: both followed, the inner packet found */
    for (int len4 = 1; len4 <= 20; len4++) {
        for (int more = 0; more <= 1; more++) {
            eth_ip4_udp(&F, 2152, 2152);
            twf_gtpu(&F, TWF_GTP_E, 255, 1, 0, 0x40);
            twf_gtpu_ext(&F, (uint8_t)len4, more ? 0x40 : 0);
            if (more)
                twf_gtpu_ext(&F, 1, 0);
            twf_ipv4(&F, ip4(17));
            twf_udp(&F, 1, 2);
            finish(&F);
            dis(ctx, &F);
            assert_int_equal(m.err, 0);
            assert_int_equal(m.gtp_ext_n, 1 + more);
            assert_int_equal(m.inner, 1);
        }
    }
    /* zero-length extension header: stop, no error, no inner */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_E, 255, 1, 0, 0x40);
    twf_gtpu_ext(&F, 0, 0);
    twf_ipv4(&F, ip4(17));
    finish(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.gtp_ext_n, 0);
    assert_int_equal(m.inner, 1);
}

static void case_tzsp(struct twpc_ctx *ctx)
{
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 1, 0, 1);
    twf_tzsp_tag(&F, 0, 0, 0);
    twf_tzsp_tag(&F, 10, 4, 0x11);
    twf_tzsp_tag(&F, 1, 0, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.tzsp_type, 0);
    assert_int_equal(m.tzsp_encap, 1);
    assert_inner_eth_tcp(ctx);
    assert_int_equal(m.i_l3_off, 14 + 20 + 8 + 4 + 1 + 6 + 1 + 14);
    /* 802.11 encapsulation: no inner; version 2: no tunnel */
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 1, 1, 18);
    twf_tzsp_tag(&F, 1, 0, 0);
    twf_payload(&F, 30, 0);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    assert_int_equal(m.tzsp_type, 1);
    assert_int_equal(m.tzsp_encap, 18);
    assert_int_equal(m.inner, 0);
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 2, 0, 1);
    twf_tzsp_tag(&F, 1, 0, 0);
    inner_eth_tcp(&F);
    finish(&F);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, 0);
    /* tags running past the frame */
    eth_ip4_udp(&F, 40000, 37008);
    twf_tzsp(&F, 1, 0, 1);
    twf_tzsp_tag(&F, 10, 200, 0);
    twf_end(&F);
    F.n -= 150;
    twf_pad(&F, 60);
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_TZSP);
    assert_true(m.err & E(TRUNC));
    assert_int_equal(m.err & E(INNER), 0);
    assert_int_equal(m.inner, 0);
}

static void case_ipip(struct twpc_ctx *ctx)
{
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
            dis(ctx, &F);
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

static void case_l2tpv3_cookies(struct twpc_ctx *ctx)
{
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
        dis_cfg(ctx, &cfg, &F);
        assert_int_equal(m.err, 0);
        assert_int_equal(m.tun_kind, TW_TUN_L2TPV3);
        assert_int_equal(m.tun_id_v, 1);
        assert_int_equal(m.tun_id, 0x12345);
        assert_inner_eth_tcp(ctx);
        assert_int_equal(m.i_l3_off, 14 + 20 + 4 + cookie + 14);
        /* a cookie length configured wrong: the inner frame is misread (dmac shifted) */
        cfg.l2tp_cookie = cookie == 0 ? 4 : 0;
        dis_cfg(ctx, &cfg, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, 0);
    assert_int_equal(m.err, 0);
}

static void case_inner_errors(struct twpc_ctx *ctx)
{
    /* inner bad checksum and inner third VLAN */
    eth_ip4_udp(&F, 1, 4789);
    twf_vxlan(&F, 1);
    twf_eth(&F, MAC_D, MAC_C, 0x0800);
    struct twf_ip4 in = *ip4(6);
    in.bad_csum = 1;
    twf_ipv4(&F, &in);
    twf_tcp(&F, 1, 2, 3, 4);
    finish(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.tun_kind, TW_TUN_GRE);
    assert_int_equal(m.inner, 1); /* header complete within the padded frame */
    run_any(ctx, NULL, F.b, 14 + 20 + 4 + 10, 0);
    assert_int_equal(m.err, E(RUNT) | E(TRUNC) | E(INNER));
    assert_int_equal(m.inner, 0);
    /* GRE says IPv4, the inner is IPv6 */
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, 0, 0x0800, 0, 0);
    twf_ipv6(&F, ip6(17));
    finish(&F);
    dis(ctx, &F);
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
    dis(ctx, &F);
    assert_int_equal(m.err, E(IPLEN) | E(INNER));
    assert_int_equal(m.inner, 1);
}

static void case_tunnel_header_cut(struct twpc_ctx *ctx)
{
    /* VXLAN header cut by the frame: kind set, TRUNC, no INNER, no inner */
    eth_ip4_udp(&F, 1, 4789);
    twf_vxlan(&F, 77);
    inner_eth_tcp(&F);
    twf_end(&F);
    run_any(ctx, NULL, F.b, 14 + 20 + 8 + 7, 0);
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.err, E(RUNT) | E(TRUNC) | E(IPLEN)); /* the IP length runs past the cut too */
    assert_int_equal(m.inner, 0);
    /* inner Ethernet cut: that is an inner error */
    run_any(ctx, NULL, F.b, 14 + 20 + 8 + 8 + 13, 0);
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
    run_any(ctx, NULL, F.b, 14 + 20 + 3, 0);
    assert_int_equal(m.tun_kind, 0);
    assert_true(m.err & E(TRUNC));
    run_any(ctx, NULL, F.b, 14 + 20 + 6, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GRETEB);
    assert_int_equal(m.gre_proto, 0x6558);
    assert_int_equal(m.tun_id_v, 0);
    assert_true(m.err & E(TRUNC));
    /* GTP-U extension header cut; Geneve options cut; ERSPAN II cut */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_E, 255, 3, 0, 0x85);
    twf_gtpu_pdu_session(&F, 1, 5, 0);
    twf_end(&F);
    run_any(ctx, NULL, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GTPU);
    assert_int_equal(m.tun_id, 3);
    assert_int_equal(m.gtp_qfi_v, 0);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x6558, 5, 4);
    twf_end(&F);
    run_any(ctx, NULL, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
    assert_int_equal(m.geneve_opt, 4);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_S, 0x88BE, 0, 1);
    twf_erspan2(&F, 1, 1, 1, 1);
    twf_end(&F);
    run_any(ctx, NULL, F.b, F.n - 1, 0);
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
    run_any(ctx, &cfg, F.b, F.n - 1, 0);
    assert_int_equal(m.tun_kind, TW_TUN_L2TPV3);
    assert_int_equal(m.tun_id, 9);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
}

/* One frame of each tunnel kind (and each way its header says where the inner packet starts), cut at every byte
 * from the outer UDP / GRE / L2TPv3 header to the end of the inner TCP header: the RTL's record of every cut equals
 * the dissector's (the runner compares them); TRUNC until the inner TCP header is whole, no inner packet before
 * the tunnel header is whole. (The tunnels' next state and offset are a stage of their own in the RTL, A4x.) */
static void case_tunnel_cut_each_byte(struct twpc_ctx *ctx)
{
    enum { KINDS = 12 };
    for (int kind = 0; kind < KINDS; kind++) {
        struct tw_dissect_cfg cfg;
        tw_dissect_cfg_default(&cfg);
        size_t outer; /* where the outer L4 / GRE header starts */
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, 0x0800);
        switch (kind) {
        case 0: /* GRE with key and sequence, transparent Ethernet */
        case 1: /* ERSPAN II with its sequence */
        case 2: /* ERSPAN III with the platform sub-header, FT 0 (Ethernet) */
        case 3: /* ERSPAN III, FT 2 (IP) */
        case 4: /* GRE, IPv4 */
            twf_ipv4(&F, ip4(47));
            outer = F.n;
            if (kind == 0)
                twf_gre(&F, TWF_GRE_K | TWF_GRE_S, 0x6558, 5, 6);
            else if (kind == 1)
                twf_gre(&F, TWF_GRE_S, 0x88BE, 0, 7), twf_erspan2(&F, 0x123, 5, 0x2aa, 0xabcde);
            else if (kind == 2)
                twf_gre(&F, TWF_GRE_S, 0x22EB, 0, 1), twf_erspan3(&F, 0x0aa, 3, 0x155, 0xdeadbeef, 0, 1);
            else if (kind == 3)
                twf_gre(&F, 0, 0x22EB, 0, 0), twf_erspan3(&F, 1, 0, 9, 1, 2, 0);
            else
                twf_gre(&F, TWF_GRE_C, 0x0800, 0, 0);
            break;
        case 5: /* L2TPv3 with a 4-byte cookie */
            twf_ipv4(&F, ip4(115));
            outer = F.n;
            twf_l2tpv3(&F, 9, 4);
            cfg.l2tp_cookie = 4;
            break;
        default: /* over UDP */
            twf_ipv4(&F, ip4(17));
            outer = F.n;
            if (kind == 6)
                twf_udp(&F, 1, 4789), twf_vxlan(&F, 77);
            else if (kind == 7)
                twf_udp(&F, 1, 6081), twf_geneve(&F, 0x6558, 0xabc, 2);
            else if (kind == 8)
                twf_udp(&F, 2152, 2152), twf_gtpu(&F, 0, 255, 3, 0, 0);
            else if (kind == 9)
                twf_udp(&F, 2152, 2152), twf_gtpu(&F, TWF_GTP_S, 255, 3, 0x4242, 0);
            else if (kind == 10)
                twf_udp(&F, 2152, 2152), twf_gtpu(&F, TWF_GTP_E, 255, 3, 0, 0x85), twf_gtpu_pdu_session(&F, 1, 5, 0);
            else
                twf_udp(&F, 40000, 37008), twf_tzsp(&F, 1, 0, 1), twf_tzsp_tag(&F, 10, 2, 0x11),
                    twf_tzsp_tag(&F, 1, 0, 0);
            break;
        }
        const size_t inner = F.n;
        if (kind == 3 || kind == 4 || (kind >= 8 && kind <= 10)) { /* an inner IP packet */
            struct twf_ip4 ip = *ip4(6);
            ip.src = 0xc0a80101;
            ip.dst = 0xc0a80102;
            twf_ipv4(&F, &ip);
            twf_tcp(&F, 40000, 443, 1000, 0x18);
        } else {
            twf_eth(&F, MAC_D, MAC_C, 0x0800);
            twf_ipv4(&F, ip4(6));
            twf_tcp(&F, 40000, 443, 1000, 0x18);
        }
        twf_end(&F);
        assert_false(F.overflow);
        const size_t full = F.n;
        for (size_t cut = outer; cut <= full; cut++) {
            run_any(ctx, &cfg, F.b, cut, 0);
            if (cut < full)
                assert_true(m.err & E(TRUNC));
            else
                assert_int_equal(m.err & (E(TRUNC) | E(INNER)), 0);
            if (cut < inner)
                assert_int_equal(m.inner, 0);
        }
        assert_int_equal(m.inner, 1); /* the whole frame, last */
        assert_true(m.tun_kind != 0);
    }
}

static void case_qinq_mpls_ipv6_srh_deep_stack(struct twpc_ctx *ctx)
{
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
    dis(ctx, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_vlan_n, 2);
    assert_int_equal(m.o_mpls_n, 2);
    assert_int_equal(m.o_ip6_srh, 1);
    assert_int_equal(m.o_ip6_segleft, 1);
    assert_int_equal(m.o_l3_off, 14 + 8 + 8);
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_inner_eth_tcp(ctx);
}

static void case_never_reads_past_window(struct twpc_ctx *ctx)
{
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
    size_t first = 0;
    if (!(ctx->caps & TWPC_CAP_EMPTY_FRAME)) {
        not_run("never_reads_past_window: the prefix of 0 bytes and a NULL frame", "takes no empty frames");
        first = 1;
    }
    for (size_t cut = first; cut <= F.n; cut++) {
        memcpy(buf, F.b, F.n);
        for (int k = 0; k < 3; k++) {
            x = x * 1103515245u + 12345u;
            if (cut)
                buf[(x >> 8) % cut] ^= (uint8_t)(x >> 20);
            run_any(ctx, NULL, buf, cut, 0);
            assert_int_equal(m.len, cut);
            assert_true(m.o_vlan_n <= 2 && m.o_mpls_n <= 4 && m.o_ip6_ext_n <= 4 && m.gtp_ext_n <= 4);
            assert_true(m.o_l3_head_n <= 16 && m.i_l3_head_n <= 16);
        }
    }
    if (ctx->caps & TWPC_CAP_EMPTY_FRAME) {
        run_any(ctx, NULL, NULL, 0, 0);
        assert_int_equal(m.err, E(RUNT) | E(TRUNC));
    }
}


/* ---------------- the table ---------------- */

#define TWPC_ROW_(n) {"test_" #n, case_##n},
const struct twpc_case twpc_cases[TWPC_NCASES] = {TWPC_CASES(TWPC_ROW_)};
#undef TWPC_ROW_

unsigned twpc_meta_diff(const struct tw_meta *rtl, const struct tw_meta *ref, const char *what, int log)
{
    uint8_t a[TW_M_BYTES], b[TW_M_BYTES];
    tw_meta_pack(rtl, a);
    tw_meta_pack(ref, b);
    if (memcmp(a, b, TW_M_BYTES) == 0)
        return 0;
    unsigned n = 0;
#define TWPC_DIFF_ONE(f, lsb, w)                                                                                   \
    if (memcmp(&rtl->f, &ref->f, sizeof rtl->f) != 0) {                                                            \
        if (log)                                                                                                   \
            printf("DIFFER %s: field %s (bits %u +%u) RTL differs from tw_dissect\n", what, #f, (unsigned)(lsb),   \
                   (unsigned)(w));                                                                                 \
        n++;                                                                                                       \
    }
    TW_META_FIELDS(TWPC_DIFF_ONE)
#undef TWPC_DIFF_ONE
    if (n == 0) {
        if (log)
            printf("DIFFER %s: packed records differ in no named field\n", what);
        n = 1;
    }
    return n;
}
