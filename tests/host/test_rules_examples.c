/* examples/backhaul.yaml and examples/backhaul.rules on generated traffic with known ground truth: each frame of
 * the scenario below lists the sids it must raise (and no others), through the compiler, the C dissector and the
 * reference detector. The vendor registry is a small fixture (tests/host/data/oui-backhaul.csv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "tapwatch/detect.h"
#include "tapwatch/dissect.h"
#include "tapwatch/rules.h"

#define MAXA 4096

struct run {
    struct tw_tables *t;
    struct tw_detector *d;
    struct tw_dissect_cfg dc;
    uint64_t ts, cnt;
    uint32_t got[16];
    unsigned ngot;
};

static void on_alert(void *ctx, const struct tw_det_alert *a)
{
    struct run *r = ctx;
    if (r->ngot < 16)
        r->got[r->ngot++] = r->t->rule[a->rule].sid;
}

static char base_dir[512];

static void find_base(void)
{
    const char *f = __FILE__, *s = strstr(f, "tests/host/");
    snprintf(base_dir, sizeof base_dir, "%.*s", s ? (int)(s - f) : 0, f);
}

static int setup(void **st)
{
    static struct run r;
    char path[700], reg[700], err[512];
    memset(&r, 0, sizeof r);
    snprintf(path, sizeof path, "%sexamples/backhaul.yaml", base_dir);
    snprintf(reg, sizeof reg, "%stests/host/data/oui-backhaul.csv", base_dir);
    struct tw_config *c;
    if (tw_config_load(path, &c, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    struct tw_compile_opts o = {.oui_registry = reg};
    int rc = tw_compile(c, &o, &r.t, err, sizeof err);
    tw_config_free(c);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    tw_detect_params_from_tables(&p, r.t);
    struct tw_detect_sink sink = {&r, on_alert, NULL};
    if (tw_detector_create(&r.d, &p, r.t, &sink))
        return -1;
    tw_dissect_cfg_default(&r.dc);
    r.ts = 1000000000ull;
    *st = &r;
    return 0;
}

static int teardown(void **st)
{
    struct run *r = *st;
    tw_detector_destroy(r->d);
    tw_tables_free(r->t);
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Feeds f (dt_ms after the previous frame) and checks the alerts against the expected sids (0-terminated). */
static void feed(struct run *r, struct twf *f, unsigned dt_ms, const char *what, ...)
{
    uint32_t want[16];
    unsigned nw = 0;
    va_list ap;
    va_start(ap, what);
    for (uint32_t s; (s = va_arg(ap, uint32_t)) != 0 && nw < 16;)
        want[nw++] = s;
    va_end(ap);
    assert_false(f->overflow);
    r->ts += (uint64_t)dt_ms * 1000000ull;
    struct tw_meta m;
    tw_dissect(&r->dc, f->b, f->n, 0, r->ts, 0, (uint32_t)r->cnt, &m);
    r->ngot = 0;
    tw_detector_frame(r->d, &m, f->b, f->n, ++r->cnt);
    qsort(want, nw, sizeof *want, cmp_u32);
    qsort(r->got, r->ngot, sizeof *r->got, cmp_u32);
    int same = nw == r->ngot && !memcmp(want, r->got, nw * sizeof *want);
    if (!same) {
        char a[200] = "", b[200] = "";
        for (unsigned i = 0; i < nw; i++)
            snprintf(a + strlen(a), sizeof a - strlen(a), " %u", (unsigned)want[i]);
        for (unsigned i = 0; i < r->ngot; i++)
            snprintf(b + strlen(b), sizeof b - strlen(b), " %u", (unsigned)r->got[i]);
        fail_msg("frame %llu (%s): expected sids {%s }, got {%s }", (unsigned long long)r->cnt, what, a, b);
    }
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define MAC_PLAIN 0x020000000001ull
#define MAC_GW 0x020000000099ull
#define MAC_HUAWEI 0x00E0FC010203ull
#define MAC_HUAWEI_DEV 0x10327E010203ull
#define MAC_ZTE 0x0019C6010203ull
#define MAC_CISCO 0xF4BD9E010203ull

static void udp4(struct twf *f, uint64_t smac, uint32_t src, uint32_t dst, uint16_t sp, uint16_t dp, uint8_t ttl,
                 uint16_t id, size_t pay)
{
    twf_init(f);
    twf_eth(f, MAC_GW, smac, 0x0800);
    twf_ipv4(f, &(struct twf_ip4){.proto = 17, .ttl = ttl, .id = id, .src = src, .dst = dst});
    twf_udp(f, sp, dp);
    twf_payload(f, pay, (uint8_t)id);
    twf_end(f);
    twf_pad(f, 60);
}

static void tcp4(struct twf *f, uint64_t smac, uint32_t src, uint32_t dst, uint16_t sp, uint16_t dp, uint8_t flags)
{
    twf_init(f);
    twf_eth(f, MAC_GW, smac, 0x0800);
    twf_ipv4(f, &(struct twf_ip4){.proto = 6, .ttl = 64, .id = 7, .src = src, .dst = dst});
    twf_tcp(f, sp, dp, 1000, flags);
    twf_end(f);
    twf_pad(f, 60);
}

/* An ERSPAN II copy of the frame `orig`, sent from 10.5.0.1 to dst. */
static void erspan_copy(struct twf *f, const struct twf *orig, uint32_t dst)
{
    twf_init(f);
    twf_eth(f, MAC_GW, MAC_PLAIN, 0x0800);
    twf_ipv4(f, &(struct twf_ip4){.proto = 47, .ttl = 64, .id = 99, .src = IP(10, 5, 0, 1), .dst = dst});
    twf_gre(f, TWF_GRE_S, 0x88BE, 0, 1);
    twf_erspan2(f, 0, 0, 7, 0);
    twf_bytes(f, orig->b, orig->n);
    twf_end(f);
}

static void test_backhaul_ground_truth(void **st)
{
    struct run *r = *st;
    static struct twf f, o;
    const uint32_t H1 = IP(10, 1, 1, 1);
    /* ordinary traffic inside the network */
    tcp4(&f, MAC_PLAIN, H1, IP(10, 2, 2, 2), 40000, 80, 0x02);
    feed(r, &f, 1, "internal web", 0);
    /* 1. a packet, then its ERSPAN copy to an outside host 10 ms later */
    udp4(&o, MAC_PLAIN, H1, IP(10, 2, 2, 2), 4000, 5000, 64, 0x1234, 40);
    feed(r, &o, 1, "original", 0);
    erspan_copy(&f, &o, IP(203, 0, 113, 9));
    feed(r, &f, 10, "copy to outside", 1000002, 1000004, 0);
    /* a copy to the authorised analyser: the pass rule suppresses everything after it */
    udp4(&o, MAC_PLAIN, H1, IP(10, 2, 2, 2), 4000, 5000, 64, 0x1235, 40);
    feed(r, &o, 1, "original", 0);
    erspan_copy(&f, &o, IP(10, 20, 0, 5));
    feed(r, &f, 10, "copy to analyser", 0);
    /* a copy to an internal host that is not an analyser */
    udp4(&o, MAC_PLAIN, H1, IP(10, 2, 2, 2), 4000, 5000, 64, 0x1236, 40);
    feed(r, &o, 1, "original", 0);
    erspan_copy(&f, &o, IP(10, 9, 9, 9));
    feed(r, &f, 10, "copy to internal host", 1000003, 0);
    /* a copy outside the 100 ms window is no copy, but the encapsulation to the outside still alerts */
    udp4(&o, MAC_PLAIN, H1, IP(10, 2, 2, 2), 4000, 5000, 64, 0x1237, 40);
    feed(r, &o, 1, "original", 0);
    erspan_copy(&f, &o, IP(198, 51, 100, 7));
    feed(r, &f, 200, "late copy", 1000004, 0);
    /* 3. management, telnet */
    tcp4(&f, MAC_PLAIN, H1, IP(10, 3, 3, 3), 40001, 23, 0x02);
    feed(r, &f, 1, "telnet inside", 1000022, 0);
    tcp4(&f, MAC_PLAIN, H1, IP(10, 3, 3, 3), 40001, 23, 0x10);
    feed(r, &f, 1, "telnet ack", 0);
    tcp4(&f, MAC_PLAIN, H1, IP(203, 0, 113, 50), 40002, 23, 0x02);
    feed(r, &f, 1, "telnet to outside", 1000020, 1000022, 0);
    tcp4(&f, MAC_PLAIN, IP(10, 1, 1, 2), IP(203, 0, 113, 51), 40003, 22, 0x02);
    feed(r, &f, 1, "ssh to outside", 1000020, 0);
    udp4(&f, MAC_PLAIN, H1, IP(203, 0, 113, 91), 40004, 161, 64, 1, 30);
    feed(r, &f, 1, "snmp to outside", 1000021, 0);
    udp4(&f, MAC_PLAIN, IP(203, 0, 113, 90), H1, 40005, 161, 64, 2, 30);
    feed(r, &f, 1, "snmp from outside", 1000011, 0);
    /* DNS and NTP */
    udp4(&f, MAC_PLAIN, H1, IP(8, 8, 8, 8), 40006, 53, 64, 3, 30);
    feed(r, &f, 1, "dns to outside", 1000023, 0);
    udp4(&f, MAC_PLAIN, H1, IP(8, 8, 4, 4), 40007, 53, 64, 4, 30);
    feed(r, &f, 1, "dns again (threshold limit by_src)", 0);
    udp4(&f, MAC_PLAIN, H1, IP(10, 0, 0, 53), 40008, 53, 64, 5, 30);
    feed(r, &f, 1, "dns to the operator's resolver", 0);
    twf_init(&f);
    twf_eth(&f, MAC_GW, MAC_PLAIN, 0x86DD);
    struct twf_ip6 ip6 = {.nh = 17, .hlim = 64};
    twf_ip6_addr(ip6.src, 0x2001, 5);
    ip6.src[2] = 0x0d;
    ip6.src[3] = 0xb8;
    twf_ip6_addr(ip6.dst, 0x2001, 0x8888);
    ip6.dst[2] = 0x48;
    ip6.dst[3] = 0x60;
    twf_ipv6(&f, &ip6);
    twf_udp(&f, 40009, 53);
    twf_payload(&f, 30, 1);
    twf_end(&f);
    feed(r, &f, 1, "dns over IPv6 to outside", 1000023, 0);
    udp4(&f, MAC_PLAIN, H1, IP(129, 6, 15, 28), 123, 123, 64, 6, 48);
    feed(r, &f, 1, "ntp to outside", 1000025, 0);
    /* IKE and ESP */
    udp4(&f, MAC_PLAIN, H1, IP(198, 51, 100, 1), 500, 500, 64, 7, 100);
    feed(r, &f, 1, "ike to unknown peer", 1000027, 0);
    udp4(&f, MAC_PLAIN, H1, IP(10, 30, 0, 1), 500, 500, 64, 8, 100);
    feed(r, &f, 1, "ike to a gateway", 0);
    twf_init(&f);
    twf_eth(&f, MAC_GW, MAC_PLAIN, 0x0800);
    twf_ipv4(&f, &(struct twf_ip4){.proto = 50, .ttl = 64, .src = H1, .dst = IP(198, 51, 100, 2)});
    twf_payload(&f, 60, 9);
    twf_end(&f);
    feed(r, &f, 1, "esp to unknown peer", 1000028, 0);
    /* vendor equipment */
    udp4(&f, MAC_HUAWEI, IP(10, 6, 0, 1), IP(203, 0, 113, 60), 40010, 9999, 255, 9, 30);
    feed(r, &f, 1, "huawei originates, ttl 255", 1000029, 0);
    tcp4(&f, MAC_HUAWEI_DEV, IP(10, 6, 0, 2), IP(203, 0, 113, 61), 40011, 443, 0x02);
    feed(r, &f, 1, "huawei device opens tcp outside", 1000030, 0);
    tcp4(&f, MAC_ZTE, IP(10, 6, 0, 3), IP(203, 0, 113, 61), 40012, 443, 0x02);
    feed(r, &f, 1, "zte opens tcp outside", 1000030, 0);
    tcp4(&f, MAC_CISCO, IP(10, 6, 0, 4), IP(203, 0, 113, 61), 40013, 443, 0x02);
    feed(r, &f, 1, "other vendor opens tcp outside", 0);
    /* export and GTP' */
    udp4(&f, MAC_PLAIN, H1, IP(203, 0, 113, 80), 40014, 2055, 64, 10, 100);
    feed(r, &f, 1, "netflow to unexpected collector", 1000026, 0);
    udp4(&f, MAC_PLAIN, H1, IP(10, 40, 0, 9), 40015, 2055, 64, 11, 100);
    feed(r, &f, 1, "netflow to the operator's collector", 0);
    udp4(&f, MAC_PLAIN, IP(10, 1, 1, 4), IP(203, 0, 113, 92), 40016, 3386, 64, 12, 100);
    feed(r, &f, 1, "gtp prime to outside", 1000010, 1000026, 0);
    /* 4. exfiltration: 8000-byte frames from one address; the alert comes once, when 50 MB are exceeded */
    for (unsigned k = 1; k <= 6300; k++) {
        udp4(&f, MAC_PLAIN, IP(10, 7, 7, 7), IP(203, 0, 113, 77), 40017, 5000, 64, (uint16_t)k, 8000 - 42);
        assert_int_equal(f.n, 8000);
        if (k == 6251)
            feed(r, &f, 0, "volume exceeded", 1000040, 0);
        else
            feed(r, &f, 0, "volume", 0);
    }
    struct tw_detect_stats s;
    tw_detector_stats(r->d, &s);
    assert_int_equal(s.alerts_overflow, 0);
    assert_int_equal(s.mirror_copies, 3);
}

int main(void)
{
    find_base();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backhaul_ground_truth, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
