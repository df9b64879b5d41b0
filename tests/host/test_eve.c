/* EVE JSON writer: exact text of alert, flow and stats events, field formats, escaping, write errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../host/src/detect_int.h"
#include "detect_fixture.h"
#include "eve_out.h"
#include "tapwatch/eve.h"

static const uint64_t TS = 1700000000ull * SEC + 123456789ull; /* 2023-11-14T22:13:20.123456789Z */

static void test_formats(void **st)
{
    (void)st;
    char b[64];
    tw_eve_timestamp(TS, b, sizeof b);
    assert_string_equal(b, "2023-11-14T22:13:20.123456+0000");
    tw_eve_timestamp(0, b, sizeof b);
    assert_string_equal(b, "1970-01-01T00:00:00.000000+0000");
    uint8_t a[16];
    fx_v4(a, 0xc0a80001u);
    tw_eve_addr(0, a, b, sizeof b);
    assert_string_equal(b, "192.168.0.1");
    inet_pton(AF_INET6, "2001:db8::1", a);
    tw_eve_addr(1, a, b, sizeof b);
    assert_string_equal(b, "2001:db8::1");
    const unsigned protos[] = {1, 6, 17, 47, 50, 58, 132, 115};
    const char *names[] = {"ICMP", "TCP", "UDP", "GRE", "ESP", "IPv6-ICMP", "SCTP", "115"};
    for (unsigned i = 0; i < 8; i++) {
        tw_eve_proto(protos[i], b, sizeof b);
        assert_string_equal(b, names[i]);
    }
    tw_eve_base64((const uint8_t *)"", 0, b);
    assert_string_equal(b, "");
    tw_eve_base64((const uint8_t *)"f", 1, b);
    assert_string_equal(b, "Zg==");
    tw_eve_base64((const uint8_t *)"fo", 2, b);
    assert_string_equal(b, "Zm8=");
    tw_eve_base64((const uint8_t *)"foobar", 6, b);
    assert_string_equal(b, "Zm9vYmFy");
    const uint8_t bin[] = {0x00, 0xff, 0xfe, 0x3e};
    tw_eve_base64(bin, 4, b);
    assert_string_equal(b, "AP/+Pg==");
}

static void test_alert_full(void **st)
{
    (void)st;
    struct out o;
    open_out(&o);
    struct tw_eve_alert a;
    memset(&a, 0, sizeof a);
    a.ts_ns = TS;
    a.flow_id = 42;
    a.pcap_cnt = 7;
    a.ip_ver = 4;
    fx_v4(a.src_ip, 0x0a000001u);
    fx_v4(a.dst_ip, 0xc0a80001u);
    a.ports_v = 1;
    a.src_port = 1234;
    a.dst_port = 53;
    a.proto = 17;
    a.vlan_n = 2;
    a.vlan[0] = 100;
    a.vlan[1] = 200;
    a.tun_kind = TW_TUN_ERSPAN2;
    a.tun_id_v = 1;
    a.tun_id = 300;
    a.src_vendor = "HW";
    a.dst_vendor = "ZTE";
    a.mirror_copy = 1;
    a.gid = 1;
    a.sid = 1000001;
    a.rev = 2;
    a.signature = "copy \"to\" outside\\";
    a.category = "Potential Corporate Privacy Violation";
    a.severity = 1;
    const uint8_t ev[] = {1, 2, 3, 4, 5};
    a.evidence = ev;
    a.evidence_len = sizeof ev;
    assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    char *s = close_out(&o);
    assert_string_equal(s,
        "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":42,\"pcap_cnt\":7,\"event_type\":\"alert\","
        "\"src_ip\":\"10.0.0.1\",\"src_port\":1234,\"dest_ip\":\"192.168.0.1\",\"dest_port\":53,\"proto\":\"UDP\","
        "\"vlan\":[100,200],\"tunnel\":{\"kind\":\"erspan2\",\"id\":300},\"src_vendor\":\"HW\",\"dst_vendor\":\"ZTE\","
        "\"mirror_copy\":true,\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":1000001,\"rev\":2,"
        "\"signature\":\"copy \\\"to\\\" outside\\\\\",\"category\":\"Potential Corporate Privacy Violation\","
        "\"severity\":1},\"packet\":\"AQIDBAU=\",\"packet_info\":{\"linktype\":1}}\n");
    free(s);
}

/* The "alert" object rendered once (tw_eve_alert_obj) and given to tw_eve_write_alert_obj gives the same line as
 * tw_eve_write_alert, for both actions, with and without a category, with strings that need escaping and with one
 * whose escaped form is far longer than the writer's fixed room. */
static void test_alert_prerendered_object(void **st)
{
    (void)st;
    char *longsig = malloc(3001);
    assert_non_null(longsig);
    memset(longsig, 0x01, 3000);
    longsig[3000] = 0;
    const char *sigs[] = {NULL, "plain", "esc \"q\" \\ \x01\x1f end", longsig};
    const char *cats[] = {NULL, "", "cat \"x\"", longsig};
    for (unsigned k = 0; k < 2 * 4 * 4; k++) {
        struct tw_eve_alert a;
        memset(&a, 0, sizeof a);
        a.ts_ns = TS + k;
        a.flow_id = k;
        a.pcap_cnt = 1000 + k;
        a.ip_ver = 4;
        fx_v4(a.src_ip, 0x0a000001u);
        fx_v4(a.dst_ip, 0xc0a80001u);
        a.proto = 6;
        a.action = (uint8_t)(k & 1 ? TW_ACT_PASS : TW_ACT_ALERT);
        a.gid = 1 + k;
        a.sid = 4000000000u - k;
        a.rev = k * 7;
        a.signature = sigs[k / 2 % 4];
        a.category = cats[k / 8 % 4];
        a.severity = k % 5;
        const uint8_t ev[] = {9, 8, 7};
        a.evidence = ev;
        a.evidence_len = k % 3 ? sizeof ev : 0;
        struct out o1, o2;
        open_out(&o1);
        assert_int_equal(tw_eve_write_alert(o1.w, &a), 0);
        char *want = close_out(&o1);
        size_t n = 0;
        char *obj = tw_eve_alert_obj(&a, &n);
        assert_non_null(obj);
        assert_true(n > 0);
        open_out(&o2);
        assert_int_equal(tw_eve_write_alert_obj(o2.w, &a, obj, n), 0);
        char *got = close_out(&o2);
        assert_string_equal(got, want);
        assert_non_null(strstr(want, ",\"alert\":{"));
        free(obj);
        free(want);
        free(got);
    }
    free(longsig);
}

static void test_alert_minimal(void **st)
{
    (void)st;
    struct out o;
    open_out(&o);
    struct tw_eve_alert a;
    memset(&a, 0, sizeof a); /* a device alert without flow, pcap_cnt, addresses, category or evidence */
    a.ts_ns = TS;
    a.ip_ver = 6;
    inet_pton(AF_INET6, "2001:db8::1", a.src_ip);
    inet_pton(AF_INET6, "fe80::2", a.dst_ip);
    a.proto = 58;
    a.sid = 5;
    a.signature = "tab\there\x01";
    a.severity = 3;
    assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    char *s = close_out(&o);
    assert_string_equal(s,
        "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"event_type\":\"alert\",\"src_ip\":\"2001:db8::1\","
        "\"dest_ip\":\"fe80::2\",\"proto\":\"IPv6-ICMP\",\"alert\":{\"action\":\"allowed\",\"gid\":0,"
        "\"signature_id\":5,\"rev\":0,\"signature\":\"tab\\there\\u0001\",\"severity\":3}}\n");
    free(s);
}

static void test_alert_from_detector(void **st)
{
    (void)st;
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    fx_oui(t, 0x00e0fc, 0, "HW");
    struct tw_rule_entry *r = fx_rule(t, 77);
    r->rev = 3;
    r->prio = 2;
    r->inner = 1;
    snprintf(t->info[0].category, sizeof t->info[0].category, "Misc activity");
    struct tw_meta in = fx_ip4(0x0a000001u, 0x0a000002u, 6, 1000, 80, TS);
    in.o_smac = 0x00e0fc010203ull;
    in.o_vlan_n = 1;
    in.o_vlan0_tci = 0x2000 | 42;
    struct tw_meta m = fx_ip4(0xc0a80001u, 0xc0a80002u, 47, 0, 0, TS);
    fx_tunnel(&m, TW_TUN_GRETEB, 9, &in);
    uint8_t frame[200];
    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)i;
    struct tw_det_alert da = {.m = &m, .frame = frame, .caplen = 10, .pcap_cnt = 3, .flow_id = 8, .rule = 0,
                              .inner = 1, .mirror_copy = 0};
    struct tw_eve_alert a;
    tw_eve_alert_from_det(&a, &da, t, 64);
    assert_int_equal(a.evidence_len, 10); /* min(evidence bytes, captured bytes) */
    assert_string_equal(a.src_vendor, "HW");
    assert_null(a.dst_vendor);
    struct out o;
    open_out(&o);
    assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    char *s = close_out(&o);
    assert_string_equal(s,
        "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":8,\"pcap_cnt\":3,\"event_type\":\"alert\","
        "\"src_ip\":\"10.0.0.1\",\"src_port\":1000,\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,\"proto\":\"TCP\","
        "\"vlan\":[42],\"tunnel\":{\"kind\":\"gre-teb\",\"id\":9},\"src_vendor\":\"HW\",\"inner\":true,"
        "\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":77,\"rev\":3,\"signature\":\"rule 77\","
        "\"category\":\"Misc activity\",\"severity\":2},\"packet\":\"AAECAwQFBgcICQ==\","
        "\"packet_info\":{\"linktype\":1}}\n");
    free(s);
    /* evidence off: no packet; outer layer for a non-inner rule */
    r->inner = 0;
    da.inner = 0;
    tw_eve_alert_from_det(&a, &da, t, 0);
    assert_null(a.evidence);
    assert_int_equal(a.evidence_len, 0);
    assert_int_equal(a.proto, 47);
    assert_int_equal(a.ports_v, 0);
    assert_int_equal(a.vlan_n, 0);
    assert_null(a.src_vendor);
    tw_tables_free(t);
}

static void test_flow_event(void **st)
{
    (void)st;
    struct tw_flow_rec f;
    memset(&f, 0, sizeof f);
    f.flow_id = 12;
    f.ip_ver = 4;
    f.proto = 6;
    f.vlan = 10;
    fx_v4(f.cli_ip, 0x0a000002u);
    fx_v4(f.srv_ip, 0x0a000001u);
    f.cli_port = 40000;
    f.srv_port = 80;
    f.pkts_toserver = 2;
    f.pkts_toclient = 1;
    f.bytes_toserver = 114;
    f.bytes_toclient = 62;
    f.first_ts = TS;
    f.last_ts = TS + 61 * SEC;
    f.tcp_flags_ts = 0x12;
    f.tcp_flags_tc = 0x04;
    f.state = TW_FLOW_CLOSED;
    f.reason = TW_FLOW_TIMEOUT;
    f.alerted = 1;
    struct out o;
    open_out(&o);
    assert_int_equal(tw_eve_write_flow(o.w, &f), 0);
    f.proto = 1; /* ICMP: no ports, no tcp object */
    f.vlan = 0;
    f.reason = TW_FLOW_SHUTDOWN;
    f.state = TW_FLOW_NEW;
    f.alerted = 0;
    f.last_ts = TS;
    assert_int_equal(tw_eve_write_flow(o.w, &f), 0);
    char *s = close_out(&o);
    assert_string_equal(s,
        "{\"timestamp\":\"2023-11-14T22:14:21.123456+0000\",\"flow_id\":12,\"event_type\":\"flow\","
        "\"src_ip\":\"10.0.0.2\",\"src_port\":40000,\"dest_ip\":\"10.0.0.1\",\"dest_port\":80,\"proto\":\"TCP\","
        "\"vlan\":[10],\"flow\":{\"pkts_toserver\":2,\"pkts_toclient\":1,\"bytes_toserver\":114,"
        "\"bytes_toclient\":62,\"start\":\"2023-11-14T22:13:20.123456+0000\","
        "\"end\":\"2023-11-14T22:14:21.123456+0000\",\"age\":61,\"state\":\"closed\",\"reason\":\"timeout\","
        "\"alerted\":true},\"tcp\":{\"tcp_flags\":\"16\",\"tcp_flags_ts\":\"12\",\"tcp_flags_tc\":\"04\"}}\n"
        "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":12,\"event_type\":\"flow\","
        "\"src_ip\":\"10.0.0.2\",\"dest_ip\":\"10.0.0.1\",\"proto\":\"ICMP\",\"flow\":{\"pkts_toserver\":2,"
        "\"pkts_toclient\":1,\"bytes_toserver\":114,\"bytes_toclient\":62,"
        "\"start\":\"2023-11-14T22:13:20.123456+0000\",\"end\":\"2023-11-14T22:13:20.123456+0000\",\"age\":0,"
        "\"state\":\"new\",\"reason\":\"shutdown\",\"alerted\":false}}\n");
    free(s);
    assert_string_equal(tw_flow_state_name(TW_FLOW_ESTABLISHED), "established");
    assert_string_equal(tw_flow_state_name(9), "unknown");
    assert_string_equal(tw_flow_reason_name(TW_FLOW_HARD_TIMEOUT), "hard_timeout");
    assert_string_equal(tw_flow_reason_name(TW_FLOW_EVICTED), "evicted");
    assert_string_equal(tw_flow_reason_name(9), "unknown");
}

/* The writer's own integer formatting (two digits per step) against printf at every digit-count boundary, and its
 * cached timestamp text: equal timestamps, the next second, the next day, back to an earlier one. */
static void test_flow_numbers_and_ts_cache(void **st)
{
    (void)st;
    static const uint64_t vals[] = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 65535, 99999, 100000,
                                    4294967295ull, 4294967296ull, 9999999999999999999ull, 10000000000000000000ull,
                                    18446744073709551615ull};
    const uint64_t tss[] = {TS, TS, TS + SEC, TS + 86400 * SEC - 1, TS + 86400 * SEC, TS - 1, TS};
    struct tw_flow_rec f;
    memset(&f, 0, sizeof f);
    f.ip_ver = 4;
    f.proto = 17;
    struct out o;
    open_out(&o);
    size_t n = sizeof vals / sizeof vals[0];
    for (size_t i = 0; i < n; i++) {
        f.flow_id = vals[i];
        f.pkts_toserver = vals[n - 1 - i];
        f.bytes_toclient = vals[i] / 7;
        f.first_ts = tss[i % 7];
        f.last_ts = tss[(i + 3) % 7];
        assert_int_equal(tw_eve_write_flow(o.w, &f), 0);
    }
    char *s = close_out(&o), *line = s;
    for (size_t i = 0; i < n; i++) {
        char want[128], t1[40], t2[40];
        assert_non_null(line);
        snprintf(want, sizeof want, "\"flow_id\":%llu,", (unsigned long long)vals[i]);
        assert_non_null(strstr(line, want));
        snprintf(want, sizeof want, "\"pkts_toserver\":%llu,\"pkts_toclient\":0,\"bytes_toserver\":0,"
                 "\"bytes_toclient\":%llu,", (unsigned long long)vals[n - 1 - i], (unsigned long long)(vals[i] / 7));
        assert_non_null(strstr(line, want));
        tw_eve_timestamp(tss[i % 7], t1, sizeof t1);
        tw_eve_timestamp(tss[(i + 3) % 7], t2, sizeof t2);
        snprintf(want, sizeof want, "{\"timestamp\":\"%s\",", t2);
        assert_memory_equal(line, want, strlen(want));
        snprintf(want, sizeof want, "\"start\":\"%s\",\"end\":\"%s\",", t1, t2);
        assert_non_null(strstr(line, want));
        line = strchr(line, '\n');
        assert_non_null(line);
        line++;
    }
    assert_string_equal(line, "");
    free(s);
}

static void test_stats_event(void **st)
{
    (void)st;
    struct tw_eve_counter c[] = {
        {NULL, "uptime", 5}, {"decoder", "frames", 10}, {"decoder", "bytes", 1000},
        {"flow", "created", 3}, {NULL, "last", 1},
    };
    struct tw_eve_rule_counter rc[] = {{1, 100, 4, 3, 1}, {1, 101, 0, 0, 0}};
    struct out o;
    open_out(&o);
    assert_int_equal(tw_eve_write_stats(o.w, TS, c, 5, rc, 2), 0);
    assert_int_equal(tw_eve_write_stats(o.w, TS, NULL, 0, NULL, 0), 0);
    char *s = close_out(&o);
    assert_string_equal(s,
        "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"event_type\":\"stats\",\"stats\":{\"uptime\":5,"
        "\"decoder\":{\"frames\":10,\"bytes\":1000},\"flow\":{\"created\":3},\"last\":1,\"rules\":["
        "{\"gid\":1,\"signature_id\":100,\"matches\":4,\"alerts\":3,\"rate_limited\":1},"
        "{\"gid\":1,\"signature_id\":101,\"matches\":0,\"alerts\":0,\"rate_limited\":0}]}}\n"
        "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"event_type\":\"stats\",\"stats\":{\"rules\":[]}}\n");
    free(s);
}

static void test_long_lines_grow(void **st)
{
    (void)st;
    enum { N = 600 };
    struct tw_eve_rule_counter *rc = calloc(N, sizeof *rc);
    assert_non_null(rc);
    for (unsigned i = 0; i < N; i++)
        rc[i].sid = 1000000 + i;
    struct out o;
    open_out(&o);
    assert_int_equal(tw_eve_write_stats(o.w, TS, NULL, 0, rc, N), 0);
    char *s = close_out(&o);
    assert_true(strlen(s) > 4096 * 4);
    assert_non_null(strstr(s, "\"signature_id\":1000599,"));
    assert_string_equal(s + strlen(s) - 4, "]}}\n");
    free(s);
    free(rc);
}

static void test_write_errors(void **st)
{
    (void)st;
    struct tw_eve *w = (struct tw_eve *)&w;
    assert_int_equal(tw_eve_open(&w, NULL), TW_ERR_INVAL);
    assert_int_equal(tw_eve_open(NULL, stdout), TW_ERR_INVAL);
    assert_int_equal(tw_eve_close(NULL), 0);
    /* a stream that cannot be written: /dev/full fails on flush */
    FILE *f = fopen("/dev/full", "w");
    if (!f) {
        skip();
        return;
    }
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(tw_eve_open(&w, f), 0);
    struct tw_eve_alert a;
    memset(&a, 0, sizeof a);
    a.signature = "x";
    assert_int_equal(tw_eve_write_alert(w, &a), TW_ERR_IO);
    assert_int_equal(tw_eve_close(w), TW_ERR_IO);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_alert_full),
        cmocka_unit_test(test_alert_minimal),
        cmocka_unit_test(test_alert_prerendered_object),
        cmocka_unit_test(test_alert_from_detector),
        cmocka_unit_test(test_flow_event),
        cmocka_unit_test(test_flow_numbers_and_ts_cache),
        cmocka_unit_test(test_stats_event),
        cmocka_unit_test(test_long_lines_grow),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
