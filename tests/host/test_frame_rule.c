/* The frame of a capture record (tapwatch/frame.h), the one rule `tapwatch analyze` and `tapwatch replay` apply:
 * whole, snapped (captured bytes + zeros to the wire length), empty and too long records, the 16,383-byte limit at
 * both sides of it (by captured and by wire length), a record with more captured than wire bytes; the limit equals
 * the simulated device's (sim/twdev.h); and analyze end to end on a capture holding each kind: the skipped records
 * counted under the names replay uses, the snapped frame's wire length in flow and decoder byte counts, its
 * evidence its captured bytes only (EVE and evidence capture), pcap_cnt counting every record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "../../sim/twdev.h"
#include "frames.h"
#include "tapwatch/detect.h"
#include "tapwatch/error.h"
#include "tapwatch/frame.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

/* one home for the limit: the simulated device takes exactly what the host rule lets through */
_Static_assert(TW_FRAME_MAX == TWDEV_MAX_FRAME, "tapwatch/frame.h TW_FRAME_MAX must equal sim/twdev.h TWDEV_MAX_FRAME");

static uint8_t *scratch(void)
{
    uint8_t *b = malloc(TW_FRAME_MAX); /* exactly the documented size: ASan catches a write past it */
    assert_non_null(b);
    memset(b, 0xAA, TW_FRAME_MAX);
    return b;
}

static void test_whole(void **st)
{
    (void)st;
    uint8_t f[60], *buf = scratch();
    for (unsigned i = 0; i < sizeof f; i++)
        f[i] = (uint8_t)i;
    struct tw_frame fr;
    assert_int_equal(tw_frame_of(f, 60, 60, buf, &fr), TW_FRAME_WHOLE);
    assert_ptr_equal(fr.data, f);
    assert_int_equal(fr.len, 60);
    assert_int_equal(fr.caplen, 60);
    assert_int_equal(buf[0], 0xAA); /* the scratch buffer is not touched */
    /* more captured than on the wire (a malformed record): the captured bytes are the frame */
    assert_int_equal(tw_frame_of(f, 60, 20, buf, &fr), TW_FRAME_WHOLE);
    assert_int_equal(fr.len, 60);
    assert_ptr_equal(fr.data, f);
    free(buf);
}

static void test_snapped(void **st)
{
    (void)st;
    uint8_t f[40], *buf = scratch();
    for (unsigned i = 0; i < sizeof f; i++)
        f[i] = (uint8_t)(i + 1);
    struct tw_frame fr;
    assert_int_equal(tw_frame_of(f, 40, 100, buf, &fr), TW_FRAME_SNAPPED);
    assert_ptr_equal(fr.data, buf);
    assert_int_equal(fr.len, 100);
    assert_int_equal(fr.caplen, 40);
    assert_memory_equal(fr.data, f, 40);
    for (unsigned i = 40; i < 100; i++)
        assert_int_equal(fr.data[i], 0);
    assert_int_equal(buf[100], 0xAA); /* nothing written past the frame */
    /* nothing captured of a 60-byte frame: 60 zeros */
    assert_int_equal(tw_frame_of(NULL, 0, 60, buf, &fr), TW_FRAME_SNAPPED);
    assert_int_equal(fr.len, 60);
    assert_int_equal(fr.caplen, 0);
    for (unsigned i = 0; i < 60; i++)
        assert_int_equal(fr.data[i], 0);
    free(buf);
}

static void test_empty(void **st)
{
    (void)st;
    uint8_t *buf = scratch();
    struct tw_frame fr;
    assert_int_equal(tw_frame_of(NULL, 0, 0, buf, &fr), TW_FRAME_EMPTY);
    assert_null(fr.data);
    assert_int_equal(fr.len, 0);
    assert_int_equal(buf[0], 0xAA);
    free(buf);
}

static void test_limit(void **st)
{
    (void)st;
    uint8_t *f = malloc(TW_FRAME_MAX + 2), *buf = scratch();
    assert_non_null(f);
    memset(f, 0x5C, TW_FRAME_MAX + 2);
    struct tw_frame fr;
    /* exactly 16,383: taken, whole and snapped */
    assert_int_equal(TW_FRAME_MAX, 16383);
    assert_int_equal(tw_frame_of(f, TW_FRAME_MAX, TW_FRAME_MAX, buf, &fr), TW_FRAME_WHOLE);
    assert_int_equal(fr.len, TW_FRAME_MAX);
    assert_int_equal(tw_frame_of(f, 96, TW_FRAME_MAX, buf, &fr), TW_FRAME_SNAPPED);
    assert_int_equal(fr.len, TW_FRAME_MAX);
    assert_int_equal(fr.data[95], 0x5C);
    assert_int_equal(fr.data[96], 0);
    assert_int_equal(fr.data[TW_FRAME_MAX - 1], 0);
    /* one more: skipped, by captured or by wire length, the scratch buffer untouched */
    memset(buf, 0xAA, TW_FRAME_MAX);
    assert_int_equal(tw_frame_of(f, TW_FRAME_MAX + 1, TW_FRAME_MAX + 1, buf, &fr), TW_FRAME_TOO_LONG);
    assert_null(fr.data);
    assert_int_equal(fr.len, TW_FRAME_MAX + 1);
    assert_int_equal(tw_frame_of(f, 96, TW_FRAME_MAX + 1, buf, &fr), TW_FRAME_TOO_LONG);
    assert_int_equal(fr.len, TW_FRAME_MAX + 1);
    assert_int_equal(tw_frame_of(f, TW_FRAME_MAX + 1, 60, buf, &fr), TW_FRAME_TOO_LONG);
    assert_int_equal(tw_frame_of(f, 96, 262144, buf, &fr), TW_FRAME_TOO_LONG);
    assert_int_equal(fr.len, 262144);
    assert_int_equal(buf[0], 0xAA);
    assert_int_equal(buf[TW_FRAME_MAX - 1], 0xAA);
    free(f);
    free(buf);
}

/* tw_frame_of takes the whole record inline and hands the rest to tw_frame_of_record: both give the same class and
 * frame for every pair of lengths around the edges of the rule. */
static void test_inline_agrees(void **st)
{
    (void)st;
    static const uint32_t lens[] = {
        0,     1,           2,          59, 60, 61, TW_FRAME_MAX - 1, TW_FRAME_MAX, TW_FRAME_MAX + 1, TW_FRAME_MAX + 2,
        65535, 0x7fffffffu, 0xffffffffu};
    uint8_t *a = scratch(), *b = scratch(), *bytes = scratch();
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
        for (size_t j = 0; j < sizeof lens / sizeof *lens; j++) {
            uint32_t cap = lens[i] <= TW_FRAME_MAX ? lens[i] : 0, wire = lens[j];
            if (lens[i] > TW_FRAME_MAX && lens[i] == wire)
                cap = wire; /* a whole record over the limit: never read, only classified */
            struct tw_frame fa, fb;
            enum tw_frame_class ca = tw_frame_of(bytes, cap, wire, a, &fa);
            enum tw_frame_class cb = tw_frame_of_record(bytes, cap, wire, b, &fb);
            if (ca != cb || fa.len != fb.len || fa.caplen != fb.caplen ||
                (ca == TW_FRAME_WHOLE) != (fa.data == bytes) || (cb == TW_FRAME_WHOLE) != (fb.data == bytes))
                fail_msg("caplen %u, wire length %u: inline %s, out of line %s", cap, wire, tw_frame_class_name(ca),
                         tw_frame_class_name(cb));
        }
    free(a);
    free(b);
    free(bytes);
}

static void test_names(void **st)
{
    (void)st;
    assert_string_equal(tw_frame_class_name(TW_FRAME_WHOLE), "frames_whole");
    assert_string_equal(tw_frame_class_name(TW_FRAME_SNAPPED), "frames_snapped");
    assert_string_equal(tw_frame_class_name(TW_FRAME_EMPTY), "frames_empty");
    assert_string_equal(tw_frame_class_name(TW_FRAME_TOO_LONG), "frames_too_long");
    assert_null(tw_frame_class_name((enum tw_frame_class)7));
}

/* ---- analyze end to end ---- */

static void put32(FILE *f, uint32_t v)
{
    assert_int_equal(fwrite(&v, 4, 1, f), 1); /* host order: the magic below says which */
}

static void record(FILE *f, uint32_t sec, const uint8_t *b, uint32_t caplen, uint32_t len)
{
    put32(f, sec);
    put32(f, 0);
    put32(f, caplen);
    put32(f, len);
    if (caplen)
        assert_int_equal(fwrite(b, 1, caplen, f), caplen);
}

/* A UDP frame of wire length n (10.0.0.1:4000 -> 10.0.0.2:53, payload 0x61...). */
static void udp_frame(struct twf *t, size_t n)
{
    twf_init(t);
    twf_eth(t, 0x020000000002ull, 0x020000000001ull, 0x0800);
    twf_ipv4(t, &(struct twf_ip4){.proto = 17, .ttl = 64, .id = 7, .src = 0x0a000001, .dst = 0x0a000002});
    twf_udp(t, 4000, 53);
    twf_payload(t, n - 42, 0x61);
    twf_end(t);
    assert_false(t->overflow);
    assert_int_equal(t->n, n);
}

static void test_analyze_records(void **st)
{
    (void)st;
    char dir[] = "/tmp/tw-frame-XXXXXX", in[64], ev[64], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(in, sizeof in, "%s/in.pcap", dir);
    snprintf(ev, sizeof ev, "%s/ev.pcap", dir);
    struct twf *t = malloc(sizeof *t);
    uint8_t *big = calloc(1, TW_FRAME_MAX + 1);
    assert_non_null(t);
    assert_non_null(big);
    FILE *f = fopen(in, "wb");
    assert_non_null(f);
    put32(f, 0xa1b2c3d4u);
    put32(f, 0x00040002u); /* version 2.4 (host order halves) */
    put32(f, 0);
    put32(f, 0);
    put32(f, 262144); /* snap length */
    put32(f, 1);      /* Ethernet */
    udp_frame(t, 60);
    record(f, 1700000000, t->b, 60, 60); /* 1: whole */
    udp_frame(t, 200);
    record(f, 1700000001, t->b, 42, 200); /* 2: snapped: headers only */
    record(f, 1700000002, NULL, 0, 0);    /* 3: empty */
    record(f, 1700000003, t->b, 100, 20000); /* 4: too long by its wire length */
    memcpy(big, t->b, 60);
    record(f, 1700000004, big, TW_FRAME_MAX + 1, TW_FRAME_MAX + 1); /* 5: too long, all captured */
    record(f, 1700000005, t->b, 60, TW_FRAME_MAX);                  /* 6: exactly the limit, snapped */
    assert_int_equal(fclose(f), 0);

    struct tw_config *cfg = NULL;
    const char *yaml = "detect:\n  evidence-bytes: 64\n";
    const char *rules = "alert udp any any -> any 53 (msg:\"dns\"; sid:9;)\n";
    assert_int_equal(tw_config_parse(yaml, strlen(yaml), "t.yaml", NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(tw_config_add_rules(cfg, rules, strlen(rules), "t.rules", err, sizeof err), 0);
    struct tw_tables *tb = NULL;
    assert_int_equal(tw_compile(cfg, NULL, &tb, err, sizeof err), 0);
    tw_config_free(cfg);
    char *text = NULL;
    size_t len = 0;
    FILE *eve = open_memstream(&text, &len);
    assert_non_null(eve);
    struct tw_analyze_opts o = {.tables = tb, .eve = eve, .pcap_out = ev};
    tw_detect_params_default(&o.params);
    tw_detect_params_from_tables(&o.params, tb);
    struct tw_analyze *a = NULL;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), 0);
    assert_int_equal(tw_analyze_file(a, in, err, sizeof err), 0);
    assert_int_equal(tw_analyze_finish(a, err, sizeof err), 0);
    assert_int_equal(tw_analyze_alerts(a), 3);
    tw_analyze_close(a);
    fclose(eve);

    /* alerts on records 1, 2 and 6 (pcap_cnt counts every record, skipped ones too) */
    assert_non_null(strstr(text, "\"pcap_cnt\":1,"));
    assert_non_null(strstr(text, "\"pcap_cnt\":2,"));
    assert_non_null(strstr(text, "\"pcap_cnt\":6,"));
    assert_null(strstr(text, "\"pcap_cnt\":3,"));
    assert_null(strstr(text, "\"pcap_cnt\":4,"));
    assert_null(strstr(text, "\"pcap_cnt\":5,"));
    /* one flow of 3 packets, the wire lengths counted: 60 + 200 + 16,383 */
    assert_non_null(strstr(text, "\"pkts_toserver\":3,\"pkts_toclient\":0,\"bytes_toserver\":16643,"));
    const char *stats = strstr(text, "\"event_type\":\"stats\"");
    assert_non_null(stats);
    assert_non_null(strstr(stats, "\"frames_snapped\":2,\"frames_empty\":1,\"frames_too_long\":2,"));
    assert_non_null(strstr(stats, "\"decoder\":{\"frames\":3,\"bytes\":16643,"));
    free(text);

    /* evidence: the captured bytes only (42 of record 2, never the zeros), the wire length in the header */
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(ev, perr);
    assert_non_null(p);
    struct pcap_pkthdr *h;
    const u_char *d;
    const uint32_t want_cap[3] = {60, 42, 60}, want_len[3] = {60, 200, TW_FRAME_MAX};
    unsigned n = 0;
    udp_frame(t, 200);
    while (pcap_next_ex(p, &h, &d) == 1) {
        assert_true(n < 3);
        assert_int_equal(h->caplen, want_cap[n]);
        assert_int_equal(h->len, want_len[n]);
        if (n == 1)
            assert_memory_equal(d, t->b, 42);
        n++;
    }
    assert_int_equal(n, 3);
    pcap_close(p);
    tw_tables_free(tb);
    free(t);
    free(big);
    unlink(in);
    unlink(ev);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole),         cmocka_unit_test(test_snapped), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_limit),         cmocka_unit_test(test_names),   cmocka_unit_test(test_analyze_records),
        cmocka_unit_test(test_inline_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
