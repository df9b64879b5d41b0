/* The reference dissector against docs/parser.md: every protocol, field and error kind, with frames built by
 * tests/common/frames.c and each field checked against the value put in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "tapwatch/dissect.h"

#define MAC_A 0x020000000001ull
#define MAC_B 0x020000000002ull
#define MAC_C 0x0a0027000003ull
#define MAC_D 0x0a0027000004ull
#define IP_A 0x0a000001u
#define IP_B 0x0a000002u

#define E(b) (1u << TW_ERR_##b)

static struct tw_meta m;
static struct twf F;

static void dis_cfg(const struct tw_dissect_cfg *cfg, struct twf *f)
{
    assert_false(f->overflow);
    tw_dissect(cfg, f->b, f->n, 0, 0, 0, 0, &m);
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
    tw_dissect(NULL, F.b, F.n, 0, 123456789, 1, 42, &m);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.ts, 123456789);
    assert_int_equal(m.port, 1);
    assert_int_equal(m.fseq, 42);
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
    tw_dissect(NULL, F.b, F.n, 1, 0, 0, 0, &m);
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
    for (size_t cut = 0; cut < full; cut++) {
        tw_dissect(NULL, F.b, cut, 0, 0, 0, 0, &m);
        assert_true(m.err & E(TRUNC));
        assert_int_equal(m.o_l2, cut >= 14);
        assert_int_equal(m.o_vlan_n, cut >= 18 ? 1 : 0);
        assert_int_equal(m.o_ip_ver, cut >= 42 ? 4 : 0);
        assert_int_equal(m.o_l4, 0);
        if (cut >= 42)
            assert_true(m.err & E(IPLEN)); /* total length runs past the cut */
        assert_int_equal(m.o_dmac, cut >= 14 ? MAC_B : 0);
    }
    tw_dissect(NULL, F.b, full, 0, 0, 0, 0, &m);
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
    tw_dissect(NULL, F.b, 14 + 39, 0, 0, 0, 0, &m);
    assert_int_equal(m.err & E(TRUNC), E(TRUNC));
    assert_int_equal(m.o_ip_ver, 0);
    tw_dissect(NULL, F.b, 14 + 40 + 15, 0, 0, 0, 0, &m);
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
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    cfg.hdr_bytes = 512;
    dis_cfg(&cfg, &F);
    assert_int_equal(m.err, 0);
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_dport, 8);
    assert_int_equal(m.o_l3_head_n, 16);
    /* a tiny window: only Ethernet */
    cfg.hdr_bytes = 20;
    dis_cfg(&cfg, &F);
    assert_int_equal(m.err, E(TRUNC));
    assert_int_equal(m.o_l2, 1);
    assert_int_equal(m.o_ip_ver, 0);
    assert_int_equal(m.len, F.n); /* len is the frame, not the window */
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
    tw_dissect(NULL, F.b, 14 + 20 + 12 + 15, 0, 0, 0, 0, &m); /* 15 bytes of the DATA chunk */
    assert_int_equal(m.o_l4, 1);
    assert_int_equal(m.o_sctp_chunk, 0);
    assert_int_equal(m.o_sctp_ppid_v, 0);
    tw_dissect(NULL, F.b, F.n, 0, 0, 0, 0, &m);
    assert_int_equal(m.o_sctp_ppid_v, 1);
    assert_int_equal(m.o_sctp_ppid, 60);
    /* only 12 bytes of SCTP: no chunk */
    tw_dissect(NULL, F.b, 14 + 20 + 12 + 3, 0, 0, 0, 0, &m);
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
    tw_dissect(NULL, F.b, 14 + 20 + 4 + 10, 0, 0, 0, 0, &m);
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
    tw_dissect(NULL, F.b, 14 + 20 + 8 + 7, 0, 0, 0, 0, &m);
    assert_int_equal(m.tun_kind, TW_TUN_VXLAN);
    assert_int_equal(m.tun_id_v, 0);
    assert_int_equal(m.err, E(RUNT) | E(TRUNC) | E(IPLEN)); /* the IP length runs past the cut too */
    assert_int_equal(m.inner, 0);
    /* inner Ethernet cut: that is an inner error */
    tw_dissect(NULL, F.b, 14 + 20 + 8 + 8 + 13, 0, 0, 0, 0, &m);
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
    tw_dissect(NULL, F.b, 14 + 20 + 3, 0, 0, 0, 0, &m);
    assert_int_equal(m.tun_kind, 0);
    assert_true(m.err & E(TRUNC));
    tw_dissect(NULL, F.b, 14 + 20 + 6, 0, 0, 0, 0, &m);
    assert_int_equal(m.tun_kind, TW_TUN_GRETEB);
    assert_int_equal(m.gre_proto, 0x6558);
    assert_int_equal(m.tun_id_v, 0);
    assert_true(m.err & E(TRUNC));
    /* GTP-U extension header cut; Geneve options cut; ERSPAN II cut */
    eth_ip4_udp(&F, 2152, 2152);
    twf_gtpu(&F, TWF_GTP_E, 255, 3, 0, 0x85);
    twf_gtpu_pdu_session(&F, 1, 5, 0);
    twf_end(&F);
    tw_dissect(NULL, F.b, F.n - 1, 0, 0, 0, 0, &m);
    assert_int_equal(m.tun_kind, TW_TUN_GTPU);
    assert_int_equal(m.tun_id, 3);
    assert_int_equal(m.gtp_qfi_v, 0);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    eth_ip4_udp(&F, 1, 6081);
    twf_geneve(&F, 0x6558, 5, 4);
    twf_end(&F);
    tw_dissect(NULL, F.b, F.n - 1, 0, 0, 0, 0, &m);
    assert_int_equal(m.tun_kind, TW_TUN_GENEVE);
    assert_int_equal(m.geneve_opt, 4);
    assert_int_equal(m.err & (E(TRUNC) | E(INNER)), E(TRUNC));
    twf_init(&F);
    twf_eth(&F, MAC_B, MAC_A, 0x0800);
    twf_ipv4(&F, ip4(47));
    twf_gre(&F, TWF_GRE_S, 0x88BE, 0, 1);
    twf_erspan2(&F, 1, 1, 1, 1);
    twf_end(&F);
    tw_dissect(NULL, F.b, F.n - 1, 0, 0, 0, 0, &m);
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
    tw_dissect(&cfg, F.b, F.n - 1, 0, 0, 0, 0, &m);
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
    for (size_t cut = 0; cut <= F.n; cut++) {
        memcpy(buf, F.b, F.n);
        for (int k = 0; k < 3; k++) {
            x = x * 1103515245u + 12345u;
            if (cut)
                buf[(x >> 8) % cut] ^= (uint8_t)(x >> 20);
            tw_dissect(NULL, buf, cut, 0, 0, 0, 0, &m);
            assert_int_equal(m.len, cut);
            assert_true(m.o_vlan_n <= 2 && m.o_mpls_n <= 4 && m.o_ip6_ext_n <= 4 && m.gtp_ext_n <= 4);
            assert_true(m.o_l3_head_n <= 16 && m.i_l3_head_n <= 16);
        }
    }
    tw_dissect(NULL, NULL, 0, 0, 0, 0, 0, &m);
    assert_int_equal(m.err, E(RUNT) | E(TRUNC));
}

static uint32_t rnd(uint32_t *x)
{
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}

/* Random stacks of headers (seeded), mutated and cut: ASan/UBSan check every read; the record stays in range. */
static void test_random_stacks(void **s)
{
    (void)s;
    uint32_t x = 0x5eed;
#define RND() rnd(&x)
    for (int iter = 0; iter < 3000; iter++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, RND() % 3 ? 0x0800 : 0x86DD);
        if (RND() % 4 == 0) {
            F.b[12] = 0x81;
            F.b[13] = 0x00;
            twf_vlan(&F, (uint16_t)RND(), RND() % 2 ? 0x0800 : 0x86DD);
        }
        uint16_t et = (uint16_t)(F.b[F.n - 2] << 8 | F.b[F.n - 1]);
        unsigned t = RND() % 6;
        uint8_t proto = t == 0 ? 47 : t == 1 ? 4 : t == 2 ? 115 : 17;
        if (et == 0x0800)
            twf_ipv4(&F, ip4(proto));
        else
            twf_ipv6(&F, ip6(proto));
        switch (t) {
        case 0: twf_gre(&F, (uint16_t)(RND() & 0xB000), RND() % 2 ? 0x88BE : 0x22EB, RND(), RND()); break;
        case 1: break;
        case 2: twf_l2tpv3(&F, RND(), 0); break;
        case 3: twf_udp(&F, 1, 2152); twf_gtpu(&F, (uint8_t)RND(), 255, RND(), 0, 0x85); break;
        case 4: twf_udp(&F, 1, 6081); twf_geneve(&F, 0x6558, RND(), RND() % 8); break;
        default: twf_udp(&F, 1, 37008); twf_tzsp(&F, 1, 0, 1); twf_tzsp_tag(&F, 5, (uint8_t)RND(), 0); break;
        }
        twf_payload(&F, RND() % 120, (uint8_t)RND());
        twf_end(&F);
        for (int k = 0, nm = (int)(RND() % 4); k < nm && F.n; k++)
            F.b[RND() % F.n] = (uint8_t)RND();
        size_t len = RND() % 2 ? F.n : RND() % (F.n + 1);
        struct tw_dissect_cfg cfg;
        tw_dissect_cfg_default(&cfg);
        cfg.l2tp_cookie = (RND() % 3) * 4;
        cfg.hdr_bytes = RND() % 4 ? 256 : 64 + RND() % 300;
        tw_dissect(&cfg, F.b, len, (int)(RND() % 2), 0, 0, 0, &m);
        assert_int_equal(m.len, len);
        assert_true(m.o_vlan_n <= 2 && m.i_vlan_n <= 2 && m.o_mpls_n <= 4 && m.i_mpls_n <= 4);
        assert_true(m.o_ip6_ext_n <= 4 && m.i_ip6_ext_n <= 4 && m.gtp_ext_n <= 4);
        assert_true(m.o_l3_head_n <= 16 && m.i_l3_head_n <= 16);
        assert_true(m.tun_kind < TW_TUN_COUNT);
        assert_true(m.err < (1u << TW_ERR_COUNT));
        if (m.inner)
            assert_true(m.tun_kind != 0);
        if (m.err & E(INNER))
            assert_true(m.err & (E(TRUNC) | E(IPVER) | E(IHL) | E(IPLEN) | E(CSUM) | E(DEEP)));
    }
#undef RND
}

int main(void)
{
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
        cmocka_unit_test(test_random_stacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
