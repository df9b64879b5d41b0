/* tw_meta_json: hand-built records formatted to the exact JSON Lines objects of docs/sim.md. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tapwatch/meta_json.h"

static void ip4(uint8_t *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    memset(a, 0, 16);
    a[12] = b0;
    a[13] = b1;
    a[14] = b2;
    a[15] = b3;
}

static void expect_json(const struct tw_meta *m, uint64_t cnt, const char *want)
{
    char buf[TW_META_JSON_MAX + 1];
    int n = tw_meta_json(m, cnt, buf, sizeof buf);
    assert_int_equal(n, (int)strlen(want));
    assert_string_equal(buf, want);
    /* the same record through the bit layout the RTL emits gives the same text */
    uint8_t bits[TW_M_BYTES];
    struct tw_meta back;
    tw_meta_pack(m, bits);
    tw_meta_unpack(bits, &back);
    char buf2[TW_META_JSON_MAX + 1];
    assert_int_equal(tw_meta_json(&back, cnt, buf2, sizeof buf2), n);
    assert_string_equal(buf2, want);
}

static void test_minimal(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.len = 42;
    m.err = 1u << TW_ERR_RUNT | 1u << TW_ERR_TRUNC;
    expect_json(&m, 7, "{\"pcap_cnt\":7,\"port\":\"A\",\"len\":42,\"err\":[\"runt\",\"truncated\"]}");
    /* pcap_cnt 0 leaves the key out */
    m.err = 0;
    m.port = 1;
    expect_json(&m, 0, "{\"port\":\"B\",\"len\":42}");
}

static void test_qinq_ipv4_tcp(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.len = 98;
    m.o_l2 = 1;
    m.o_dmac = 0x0011223344ABULL;
    m.o_smac = 0xFEDCBA987654ULL;
    m.o_vlan_n = 2;
    m.o_vlan0_tci = 0xE064; /* PCP 7, VID 100 */
    m.o_vlan1_tci = 0x1FFF; /* DEI set, VID 4095 */
    m.o_ip_ver = 4;
    ip4(m.o_ip_src, 10, 0, 0, 1);
    ip4(m.o_ip_dst, 192, 168, 200, 254);
    m.o_ip_proto = 6;
    m.o_ip_ttl = 64;
    m.o_ip_id = 0xBEEF;
    m.o_l4 = 1;
    m.o_sport = 443;
    m.o_dport = 51000;
    m.o_tcp_flags = 0x12;
    expect_json(&m, 1,
                "{\"pcap_cnt\":1,\"port\":\"A\",\"len\":98,\"eth.src\":\"fe:dc:ba:98:76:54\","
                "\"eth.dst\":\"00:11:22:33:44:ab\",\"vlan\":[100,4095],\"ip.ver\":4,\"ip.src\":\"10.0.0.1\","
                "\"ip.dst\":\"192.168.200.254\",\"ip.proto\":6,\"ip.ttl\":64,\"ip.id\":48879,\"l4.sport\":443,"
                "\"l4.dport\":51000,\"tcp.flags\":18}");
}

static void test_mpls_ipv6_fragment(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.len = 1400;
    m.o_l2 = 1;
    m.o_mpls_n = 3;
    m.o_mpls0 = (16u << 12) | 0x0FF;
    m.o_mpls1 = (1048575u << 12) | 0x040;
    m.o_mpls2 = (0u << 12) | 0x1FF; /* S bit */
    m.o_ip_ver = 6;
    static const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t d6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1b, 0x21, 0xff, 0xfe, 0, 0, 0x0a};
    memcpy(m.o_ip_src, s6, 16);
    memcpy(m.o_ip_dst, d6, 16);
    m.o_ip_proto = 17;
    m.o_ip_ttl = 255;
    m.o_ip_id = 77; /* IPv6 has no id key even if the field holds something */
    m.o_ip_frag = 1;
    m.o_l4 = 0; /* non-first fragment: no ports */
    m.o_sport = 1;
    expect_json(&m, 3,
                "{\"pcap_cnt\":3,\"port\":\"A\",\"len\":1400,\"eth.src\":\"00:00:00:00:00:00\","
                "\"eth.dst\":\"00:00:00:00:00:00\",\"mpls\":[16,1048575,0],\"ip.ver\":6,\"ip.src\":\"2001:db8::1\","
                "\"ip.dst\":\"fe80::21b:21ff:fe00:a\",\"ip.proto\":17,\"ip.ttl\":255,\"ip.frag\":true}");
}

static void test_gtpu_inner_sctp(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.port = 1;
    m.len = 200;
    m.o_l2 = 1;
    m.o_dmac = 0x020000000001ULL;
    m.o_smac = 0x020000000002ULL;
    m.o_ip_ver = 4;
    ip4(m.o_ip_src, 1, 2, 3, 4);
    ip4(m.o_ip_dst, 5, 6, 7, 8);
    m.o_ip_proto = 17;
    m.o_ip_ttl = 1;
    m.o_ip_id = 0;
    m.o_l4 = 1;
    m.o_sport = 2152;
    m.o_dport = 2152;
    m.tun_kind = TW_TUN_GTPU;
    m.tun_id_v = 1;
    m.tun_id = 0xDEADBEEF;
    m.gtp_qfi_v = 1;
    m.gtp_qfi = 9;
    m.inner = 1;
    m.i_ip_ver = 4;
    ip4(m.i_ip_src, 100, 64, 0, 1);
    ip4(m.i_ip_dst, 8, 8, 4, 4);
    m.i_ip_proto = 132;
    m.i_ip_ttl = 60;
    m.i_ip_id = 5;
    m.i_l4 = 1;
    m.i_sport = 36412;
    m.i_dport = 36412;
    m.i_sctp_ppid_v = 1;
    m.i_sctp_ppid = 60;
    m.err = 1u << TW_ERR_CSUM | 1u << TW_ERR_INNER;
    expect_json(&m, 12,
                "{\"pcap_cnt\":12,\"port\":\"B\",\"len\":200,\"eth.src\":\"02:00:00:00:00:02\","
                "\"eth.dst\":\"02:00:00:00:00:01\",\"ip.ver\":4,\"ip.src\":\"1.2.3.4\",\"ip.dst\":\"5.6.7.8\","
                "\"ip.proto\":17,\"ip.ttl\":1,\"ip.id\":0,\"l4.sport\":2152,\"l4.dport\":2152,\"tunnel\":\"gtpu\","
                "\"tunnel.id\":3735928559,\"gtp.qfi\":9,\"inner\":{\"ip.ver\":4,\"ip.src\":\"100.64.0.1\","
                "\"ip.dst\":\"8.8.4.4\",\"ip.proto\":132,\"ip.ttl\":60,\"ip.id\":5,\"l4.sport\":36412,"
                "\"l4.dport\":36412,\"sctp.ppid\":60},\"err\":[\"ip_checksum\",\"inner\"]}");
}

static void test_erspan_inner_ethernet(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.len = 150;
    m.tun_kind = TW_TUN_ERSPAN2;
    m.tun_id_v = 1;
    m.tun_id = 1023;
    m.inner = 1;
    m.i_l2 = 1;
    m.i_dmac = 0xFFFFFFFFFFFFULL;
    m.i_smac = 0x0A0B0C0D0E0FULL;
    m.i_vlan_n = 1;
    m.i_vlan0_tci = 10;
    /* an inner layer with Ethernet only, and a tunnel without id */
    expect_json(&m, 2,
                "{\"pcap_cnt\":2,\"port\":\"A\",\"len\":150,\"tunnel\":\"erspan2\",\"tunnel.id\":1023,"
                "\"inner\":{\"eth.src\":\"0a:0b:0c:0d:0e:0f\",\"eth.dst\":\"ff:ff:ff:ff:ff:ff\",\"vlan\":[10]}}");
    m.tun_kind = TW_TUN_IPIP;
    m.tun_id_v = 0;
    m.inner = 1;
    m.i_l2 = 0;
    m.i_vlan_n = 0;
    /* inner flagged but no inner keys: an empty object */
    expect_json(&m, 2, "{\"pcap_cnt\":2,\"port\":\"A\",\"len\":150,\"tunnel\":\"ipip\",\"inner\":{}}");
}

static void test_unknown_codes_are_numbers(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.len = 60;
    m.tun_kind = 15;      /* no such kind */
    m.err = 1u << 12;     /* no such error bit */
    expect_json(&m, 5, "{\"pcap_cnt\":5,\"port\":\"A\",\"len\":60,\"tunnel\":15,\"err\":[\"bit12\"]}");
}

static void test_errors(void **state)
{
    (void)state;
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.len = 60;
    char buf[16];
    assert_int_equal(tw_meta_json(NULL, 1, buf, sizeof buf), -EINVAL);
    assert_int_equal(tw_meta_json(&m, 1, NULL, 10), -EINVAL);
    assert_int_equal(tw_meta_json(&m, 1, buf, 0), -EINVAL);
    /* too small: -ENOSPC and a NUL-terminated prefix */
    assert_int_equal(tw_meta_json(&m, 1, buf, sizeof buf), -ENOSPC);
    assert_true(memchr(buf, '\0', sizeof buf) != NULL);
    assert_int_equal(strncmp(buf, "{\"pcap_cnt\":1", 13), 0);
    /* exactly enough: the length plus the NUL */
    char big[64];
    int n = tw_meta_json(&m, 1, big, sizeof big);
    assert_true(n > 0);
    char *exact = test_malloc((size_t)n + 1);
    assert_int_equal(tw_meta_json(&m, 1, exact, (size_t)n + 1), n);
    assert_string_equal(exact, big);
    assert_int_equal(tw_meta_json(&m, 1, exact, (size_t)n), -ENOSPC);
    test_free(exact);
}

static void test_worst_case_fits(void **state)
{
    (void)state;
    /* every key present with the longest values: fits TW_META_JSON_MAX */
    struct tw_meta m;
    memset(&m, 0xFF, sizeof m);
    m.port = 1;
    m.o_vlan_n = 2;
    m.i_vlan_n = 2;
    m.o_mpls_n = 4;
    m.i_mpls_n = 4;
    m.o_ip_ver = 6;
    m.i_ip_ver = 4;
    m.o_ip_proto = 132;
    m.i_ip_proto = 6;
    m.tun_kind = TW_TUN_ERSPAN3;
    m.inner = 1;
    char buf[TW_META_JSON_MAX + 1];
    int n = tw_meta_json(&m, UINT64_MAX, buf, sizeof buf);
    assert_true(n > 0 && n <= TW_META_JSON_MAX);
    assert_non_null(strstr(buf, "\"ip.src\":\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\""));
    assert_non_null(strstr(buf, "\"inner\":{\"eth.src\":\"ff:ff:ff:ff:ff:ff\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal),
        cmocka_unit_test(test_qinq_ipv4_tcp),
        cmocka_unit_test(test_mpls_ipv6_fragment),
        cmocka_unit_test(test_gtpu_inner_sctp),
        cmocka_unit_test(test_erspan_inner_ethernet),
        cmocka_unit_test(test_unknown_codes_are_numbers),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_worst_case_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
