/* The RTL engine's match path against the software reference on real configurations: examples/backhaul.yaml
 * compiled by the real compiler (vendor registry, address/port groups, pass, mirror_copy, inner, thresholds), the
 * same tables loaded into the RTL, and per frame the C dissector's record (tw_dissect) through both; compared:
 * the matched alert rules in order, overflow, match and pass-suppressed counts, the four vendor sets.
 * Traffic: generated frames of every shape the rules look at (vendor MACs, home/external/analyser addresses,
 * management, DNS/NTP, IKE, export ports, GRE/ERSPAN/VXLAN/GTP-U/IP-in-IP tunnels, VLANs, IPv6) and every Ethernet
 * frame of the shared capture corpus (../shared/captures or TAPWATCH_CAPTURES=DIR; skipped with a message when
 * absent). The reference matcher itself is checked against the full detector (tw_detector_frame) first.
 * The small-FPGA build (test_engine_ref_small, 32 clocks per record) compares every 8th frame of the corpus to keep
 * `make test` short; TW_ENG_CORPUS_STRIDE=N picks every Nth frame (1: all, `make engine-small-full`). */
#define _XOPEN_SOURCE 700
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "capdir.h"
#include "eng_gen.h"
#include "eng_test.h"
#include "frames.h"
#include "tapwatch/detect.h"
#include "tapwatch/dissect.h"
#include "tapwatch/rules.h"

static struct tw_tables *compile_file(const char *path)
{
    char err[512];
    struct tw_config *cfg = NULL;
    int rc = tw_config_load(path, &cfg, err, sizeof err);
    if (rc)
        fail_msg("%s: %s", path, err);
    struct tw_tables *t = NULL;
    rc = tw_compile(cfg, NULL, &t, err, sizeof err);
    if (rc)
        fail_msg("compile %s: %s", path, err);
    tw_config_free(cfg);
    return t;
}

/* The mirror-copy bit the tests give both sides (the digest stage is another block): every fifth frame. */
static int mc_of(uint64_t i) { return (int)(i % 5 == 3); }

/* Runs n records through the engine and the reference; fails on the first differing frame. */
static void compare(struct tw_eng *e, const struct tw_tables *t, const struct tw_meta *ms, size_t n, uint64_t base,
                    unsigned *alerts)
{
    tw_eng_clear_results(e);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tw_eng_push(e, &ms[i], mc_of(base + i), 0), 0);
    assert_int_equal(tw_eng_run(e, 100ull * n + 100000), 0);
    const struct tw_eng_result *r;
    assert_int_equal(tw_eng_results(e, &r), n);
    for (size_t i = 0; i < n; i++) {
        struct tw_match_result ref;
        tw_detect_match(t, &ms[i], mc_of(base + i), &ref);
        if (!eng_same(&r[i], &ref, &ms[i], mc_of(base + i), base + i))
            fail_msg("frame %llu differs from the reference", (unsigned long long)(base + i));
        *alerts += r[i].n;
    }
}

/* ---- the reference matcher equals the full detector where they must agree ---- */
struct sink_ctx {
    unsigned n;
    unsigned rule[16];
};
static void on_alert(void *ctx, const struct tw_det_alert *a)
{
    struct sink_ctx *s = ctx;
    if (s->n < 16)
        s->rule[s->n] = a->rule;
    s->n++;
}

static void test_matcher_equals_detector(void **st)
{
    (void)st;
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    /* without thresholds, volume and rate limiter the detector's alerts are the matcher's list */
    for (unsigned i = 0; i < t->settings.n_rules; i++) {
        t->rule[i].thr_type = TW_THR_NONE;
        t->rule[i].vol_v = 0;
        t->rule[i].mirror = 0; /* the detector computes mirror copies itself; the matcher is given 0 */
    }
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    tw_detect_params_from_tables(&p, t);
    p.rate_per_s = 0;
    struct sink_ctx sc = {0};
    struct tw_detect_sink sink = {.ctx = &sc, .alert = on_alert};
    struct tw_detector *d = NULL;
    assert_int_equal(tw_detector_create(&d, &p, t, &sink), 0);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    struct gen g = {.seed = 77};
    for (size_t i = 0; i < TW_OUI_ENTRIES && g.nouis < 64; i++)
        if (t->oui[i].valid)
            g.ouis[g.nouis++] = t->oui[i].oui;
    struct twf *f = malloc(sizeof *f);
    assert_non_null(f);
    unsigned total = 0;
    for (unsigned i = 0; i < 3000; i++) {
        gen_frame(&g, f);
        struct tw_meta m;
        tw_dissect(&dc, f->b, f->n, 0, 1000000ull * i, i & 1, i >> 1, &m);
        sc.n = 0;
        tw_detector_frame(d, &m, f->b, f->n, i + 1);
        struct tw_match_result r;
        tw_detect_match(t, &m, 0, &r);
        assert_int_equal(sc.n, r.n);
        for (unsigned k = 0; k < r.n; k++)
            assert_int_equal(sc.rule[k], r.idx[k]);
        total += r.n;
    }
    struct tw_detect_stats s;
    tw_detector_stats(d, &s);
    assert_int_equal(s.alerts_overflow, 0);
    assert_true(total > 300);
    print_message("matcher = detector on 3000 frames, %u alerts\n", total);
    tw_detector_destroy(d);
    free(f);
    tw_tables_free(t);
}

/* ---- generated traffic through the RTL and the reference, backhaul rules ---- */
static void test_backhaul_generated(void **st)
{
    (void)st;
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    struct tw_eng *e = tw_eng_new();
    assert_non_null(e);
    assert_int_equal(tw_eng_load(e, t, TW_ENG_LOAD_ALL, 0), 0);
    assert_int_equal(tw_eng_run(e, 100000), 0);
    struct gen g = {.seed = 4242};
    for (size_t i = 0; i < TW_OUI_ENTRIES && g.nouis < 64; i++)
        if (t->oui[i].valid)
            g.ouis[g.nouis++] = t->oui[i].oui;
    assert_true(g.nouis > 10);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    enum { N = 6000 };
    struct tw_meta *ms = calloc(N, sizeof *ms);
    struct twf *f = malloc(sizeof *f);
    assert_non_null(ms);
    assert_non_null(f);
    unsigned tunnelled = 0, vendor = 0;
    for (unsigned i = 0; i < N; i++) {
        gen_frame(&g, f);
        assert_false(f->overflow);
        tw_dissect(&dc, f->b, f->n, 0, 1000000ull * i, i & 1, i >> 1, &ms[i]);
        tunnelled += ms[i].inner;
    }
    unsigned alerts = 0;
    compare(e, t, ms, N, 0, &alerts);
    const struct tw_eng_result *r;
    size_t nr = tw_eng_results(e, &r);
    for (size_t i = 0; i < nr; i++)
        vendor += r[i].vs[0] != 0 || r[i].vs[2] != 0;
    print_message("backhaul generated: %d frames, %u tunnelled, %u with a vendor MAC, %u alerts\n", N, tunnelled,
                  vendor, alerts);
    assert_true(tunnelled > N / 3);
    assert_true(vendor > N / 4);
    assert_true(alerts > N / 10);
    free(f);
    free(ms);
    tw_eng_free(e);
    tw_tables_free(t);
}

/* ---- the shared capture corpus ---- */
#if TW_ENG_REC_CLOCKS == 4
#define ENG_CORPUS_STRIDE 1u
#else
#define ENG_CORPUS_STRIDE 8u
#endif

static void test_backhaul_captures(void **st)
{
    (void)st;
    unsigned stride = ENG_CORPUS_STRIDE;
    const char *sv = getenv("TW_ENG_CORPUS_STRIDE");
    if (sv && *sv) {
        char *end;
        unsigned long v = strtoul(sv, &end, 10);
        if (*end || v == 0 || v > 1000000)
            fail_msg("TW_ENG_CORPUS_STRIDE=%s: not a number from 1 to 1000000", sv);
        stride = (unsigned)v;
    }
    const char *dir = getenv("TAPWATCH_CAPTURES");
    if (!dir || !*dir)
        dir = "../shared/captures";
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        print_message("skip: capture folder %s not found (set TAPWATCH_CAPTURES=DIR)\n", dir);
        skip();
        return;
    }
    struct twt_capdir c;
    assert_int_equal(twt_capdir_list(dir, &c), 0);
    /* the backhaul rules plus rules that fire on common traffic, so that the corpus exercises every stage */
    struct tw_tables *t = compile_file("examples/backhaul.yaml");
    unsigned nr = t->settings.n_rules;
    assert_true(nr + 4 <= TW_CAP_RULES);
    t->rule[nr] = (struct tw_rule_entry){.valid = 1, .tun_mask = 0xFFE, .sid = 9000001};
    t->rule[nr + 1] = (struct tw_rule_entry){.valid = 1, .inner = 1, .bidir = 1, .proto_v = 1, .proto = 6,
                                             .flg_mod = TW_FLG_ANY, .flg_mask = 0x02, .sid = 9000002};
    t->rule[nr + 2] = (struct tw_rule_entry){.valid = 1, .proto_v = 1, .proto = 17, .dp_in_v = 1, .dp_in = 0,
                                             .dp_not = 1, .sid = 9000003};
    t->rule[nr + 3] = (struct tw_rule_entry){.valid = 1, .vlan_op = TW_CMP_GE, .vlan_layer = TW_VL_ANY,
                                             .vlan_a = 1, .sid = 9000004};
    t->settings.n_rules = (uint16_t)(nr + 4);
    struct tw_eng *e = tw_eng_new();
    assert_non_null(e);
    assert_int_equal(tw_eng_load(e, t, TW_ENG_LOAD_ALL, 0), 0);
    assert_int_equal(tw_eng_run(e, 100000), 0);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    size_t cap = 4096;
    struct tw_meta *ms = calloc(cap, sizeof *ms);
    assert_non_null(ms);
    uint64_t frames = 0, seen = 0;
    unsigned files = 0, alerts = 0;
    for (size_t i = 0; i < c.n; i++) {
        pcap_t *p = twt_capdir_open_eth(c.paths[i], NULL, NULL);
        if (!p)
            continue;
        files++;
        struct pcap_pkthdr *h;
        const u_char *d;
        size_t n = 0;
        while (pcap_next_ex(p, &h, &d) == 1) {
            if (seen++ % stride)
                continue;
            uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
            tw_dissect(&dc, d, h->caplen, 0, ts, (unsigned)(frames & 1), (uint32_t)(frames >> 1), &ms[n]);
            n++;
            frames++;
            if (n == cap) {
                compare(e, t, ms, n, frames - n, &alerts);
                n = 0;
            }
        }
        pcap_close(p);
        if (n)
            compare(e, t, ms, n, frames - n, &alerts);
    }
    print_message("corpus: %u Ethernet captures, %llu frames (1 in %u of %llu), %u alerts, all equal to the "
                  "reference\n",
                  files, (unsigned long long)frames, stride, (unsigned long long)seen, alerts);
    assert_true(frames > 0);
    assert_true(alerts > 0);
    twt_capdir_free(&c);
    free(ms);
    tw_eng_free(e);
    tw_tables_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matcher_equals_detector),
        cmocka_unit_test(test_backhaul_generated),
        cmocka_unit_test(test_backhaul_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
