/* The real USB backend (host/src/dev_usb.c, unmodified libusb-1.0) against the WHOLE simulated device: a umockdev
 * testbed whose ioctl handler (tests/usb/fakeftdi.c) serves an FT2232H with the Verilated device top behind it
 * (tests/usb/fakeftdi_twdev.c over sim/twdev.h: tap, parsers, detection, evidence, table loading, host link).
 *
 * Opens the device by VID/PID + serial (`usb:serial=...`) and by bus/address (`usb:bus=..,addr=..`), loads the
 * rules of examples/backhaul.yaml compiled as `tapwatch rules load` / `replay` compile them (tw_dev_load_tables),
 * injects the frames of a short generated scenario in-process (USB carries no frames to a board: it taps them),
 * collects the alert and flow records through the backend's streaming API (tw_dev_stream), writes EVE with the
 * shared writer as `tapwatch replay` does, and checks it against `tapwatch analyze` on the same capture: alerts
 * equal line for line and in order, flow events equal as a set (docs/replay.md: their place in the stream and the
 * stats event are device-only), nothing lost, and the ground truth met (recall 100 %, no false alert).
 *
 * The program re-executes itself under the umockdev preload and fails (never skips) when it cannot. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "fakeftdi_twdev.h"
#include "tapwatch/device.h"
#include "tapwatch/eve.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_regs.h"
#include "../../host/cli/replay_order.h"

#ifndef TW_USBDEV_SCENARIO
#define TW_USBDEV_SCENARIO "build/scenario-usb"
#endif
#ifndef TW_USBDEV_OUT
#define TW_USBDEV_OUT "build/test-usb-device"
#endif
#ifndef TW_USBDEV_TAPWATCH
#define TW_USBDEV_TAPWATCH "build/tapwatch"
#endif
#define CONFIG "examples/backhaul.yaml"
#define SERIAL "TWDEV0001"
#define BUS 3
#define ADDR 7
#define WALL_LIMIT_S 600 /* the whole run; the test takes well under a minute here */

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---------------------------------------------------------------- the scenario's frames */
struct frame {
    uint8_t *b;
    uint32_t caplen, len;
    uint64_t ts;
};
struct capture {
    struct frame *v;
    size_t n;
};

static void capture_load(struct capture *c, const char *path)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p)
        fail_msg("%s: %s (the scenario is built by tests/usb/usb.mk)", path, err);
    assert_int_equal(pcap_datalink(p), DLT_EN10MB);
    size_t cap = 0;
    struct pcap_pkthdr *h;
    const u_char *b;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &b)) == 1) {
        /* the device takes 1..TWDEV_MAX_FRAME bytes; the scenario has no other frame (replay would skip them) */
        assert_true(h->caplen > 0 && h->caplen <= TWDEV_MAX_FRAME);
        if (c->n == cap) {
            cap = cap ? 2 * cap : 1024;
            struct frame *v = realloc(c->v, cap * sizeof *v);
            assert_non_null(v);
            c->v = v;
        }
        struct frame *f = &c->v[c->n++];
        f->b = malloc(h->caplen);
        assert_non_null(f->b);
        memcpy(f->b, b, h->caplen);
        f->caplen = h->caplen;
        f->len = h->len;
        f->ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
    }
    assert_int_equal(rc, -2);
    pcap_close(p);
}

static void capture_free(struct capture *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].b);
    free(c->v);
}

/* ---------------------------------------------------------------- records collected from the device */
struct coll {
    struct alert_item *al;
    size_t nal, capal;
    struct tw_flow_rec *fl;
    size_t nfl, capfl;
    uint64_t rec_gaps, link_gaps, dev_errors, unmapped;
    size_t nframes; /* frames sent on port A: fseq i is capture frame i + 1 */
};

static int collect(const struct tw_dev_event *ev, void *user)
{
    struct coll *c = user;
    c->rec_gaps += ev->rec_gap;
    c->link_gaps += ev->link_gap;
    if (ev->type == TW_EV_ERROR) {
        c->dev_errors++;
        print_error("device error report: code %u count %u\n", ev->error.code, ev->error.count);
        return 0;
    }
    if (ev->type == TW_EV_FLOW) {
        if (c->nfl == c->capfl) {
            c->capfl = c->capfl ? 2 * c->capfl : 256;
            struct tw_flow_rec *v = realloc(c->fl, c->capfl * sizeof *v);
            if (!v)
                return TW_ERR_NOMEM;
            c->fl = v;
        }
        c->fl[c->nfl++] = ev->flow;
        return 0;
    }
    if (ev->type != TW_EV_ALERT)
        return 0;
    if (c->nal == c->capal) {
        c->capal = c->capal ? 2 * c->capal : 256;
        struct alert_item *v = realloc(c->al, c->capal * sizeof *v);
        if (!v)
            return TW_ERR_NOMEM;
        c->al = v;
    }
    struct alert_item *a = &c->al[c->nal];
    memset(a, 0, sizeof *a);
    a->r = ev->alert;
    a->order = c->nal++;
    if (a->r.ev_len > TW_AR_MAX_EVIDENCE)
        a->r.ev_len = TW_AR_MAX_EVIDENCE;
    memcpy(a->ev, ev->evidence, a->r.ev_len);
    if ((a->r.port & 1u) == 0 && a->r.fseq < c->nframes)
        a->pcap_cnt = (uint64_t)a->r.fseq + 1;
    else
        c->unmapped++; /* every frame went in on port A */
    return 0;
}


/* EVE as `tapwatch replay` writes it: alerts by pcap_cnt, then flows by end time, then a stats event of the device's
 * counters (device-only, as replay's; scenario_score.awk wants one). */
static void write_eve(struct coll *c, const struct tw_tables *t, const uint64_t *cnt, const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    struct tw_eve *w = NULL;
    assert_int_equal(tw_eve_open(&w, f), 0);
    qsort(c->al, c->nal, sizeof *c->al, tw_replay_cmp_alert);
    qsort(c->fl, c->nfl, sizeof *c->fl, tw_replay_cmp_flow);
    for (size_t i = 0; i < c->nal; i++) {
        struct tw_eve_alert e;
        tw_dev_alert_eve(&e, &c->al[i].r, c->al[i].ev, c->al[i].r.ev_len, t);
        e.pcap_cnt = c->al[i].pcap_cnt;
        assert_int_equal(tw_eve_write_alert(w, &e), 0);
    }
    uint64_t last_ts = 0;
    for (size_t i = 0; i < c->nal; i++)
        if (c->al[i].r.ts > last_ts)
            last_ts = c->al[i].r.ts;
    for (size_t i = 0; i < c->nfl; i++) {
        assert_int_equal(tw_eve_write_flow(w, &c->fl[i]), 0);
        if (c->fl[i].last_ts > last_ts)
            last_ts = c->fl[i].last_ts;
    }
    const struct tw_eve_counter k[] = {
        {"usb", "alerts_received", c->nal},
        {"usb", "flows_received", c->nfl},
        {"decoder", "frames", cnt[TW_CNT_FRAMES] + cnt[TW_CNT_PER_PORT + TW_CNT_FRAMES]},
        {"flow", "created", cnt[TW_CNT_FL_CREATED]},
        {"digest", "mirror_copies", cnt[TW_CNT_DG_MIRROR]},
        {"detect", "rule_matches", cnt[TW_CNT_ENG_MATCHES]},
        {"detect", "alerts", cnt[TW_CNT_AL_ALERTS]},
        {"detect", "pass_suppressed", cnt[TW_CNT_ENG_SUPPRESSED]},
    };
    assert_int_equal(tw_eve_write_stats(w, last_ts, k, sizeof k / sizeof k[0], NULL, 0), 0);
    assert_int_equal(tw_eve_close(w), 0);
    assert_int_equal(fclose(f), 0);
}

/* ---------------------------------------------------------------- EVE comparison */
struct lines {
    char **v;
    size_t n, cap;
};
static void lines_of(const char *path, const char *kind, struct lines *l)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot read %s", path);
    char pat[64];
    snprintf(pat, sizeof pat, "\"event_type\":\"%s\"", kind);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (!strstr(line, pat))
            continue;
        if (l->n == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 256;
            char **v = realloc(l->v, l->cap * sizeof *v);
            assert_non_null(v);
            l->v = v;
        }
        l->v[l->n] = strdup(line);
        assert_non_null(l->v[l->n]);
        l->n++;
    }
    free(line);
    fclose(f);
}
static void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* 1 when equal; prints the first difference */
static int lines_equal(const char *what, struct lines *a, struct lines *r, int as_set)
{
    if (as_set) {
        qsort(a->v, a->n, sizeof *a->v, cmp_str);
        qsort(r->v, r->n, sizeof *r->v, cmp_str);
    }
    size_t n = a->n < r->n ? a->n : r->n;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a->v[i], r->v[i])) {
            print_error("%s differ at %zu:\n  analyze: %s  usb:     %s", what, i, a->v[i], r->v[i]);
            return 0;
        }
    if (a->n != r->n) {
        print_error("%s: analyze %zu, usb %zu\n", what, a->n, r->n);
        return 0;
    }
    return 1;
}

/* Runs argv (stdout to out_path when given); returns its exit status. */
static int run(char *const argv[], const char *out_path)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        unsetenv("LD_PRELOAD"); /* the helpers need no mocked USB */
        if (out_path && !freopen(out_path, "w", stdout))
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void print_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        print_error("  %s", line);
    if (f)
        fclose(f);
}

/* ---------------------------------------------------------------- the test */
static struct tw_tables *compile_rules(void)
{
    char err[1024] = "";
    struct tw_config *cfg = NULL;
    struct tw_tables *t = NULL;
    int rc = tw_config_load(CONFIG, &cfg, err, sizeof err);
    if (!rc)
        rc = tw_compile(cfg, NULL, &t, err, sizeof err);
    tw_config_free(cfg);
    if (rc)
        fail_msg("%s: %s", CONFIG, err[0] ? err : tw_strerror(rc));
    return t;
}

static void open_dev(struct tw_dev **d, const char *spec)
{
    int rc = tw_open(d, spec);
    if (rc)
        fail_msg("tw_open(%s): %s", spec, tw_strerror(rc));
    /* the simulated device answers in simulated time: a step of the model can take seconds of wall time */
    assert_int_equal(tw_dev_set_timeout(*d, 120000), 0);
}

static void test_scenario_over_usb(void **state)
{
    (void)state;
    int64_t t0 = now_ms();
    struct capture cap = {0};
    capture_load(&cap, TW_USBDEV_SCENARIO "/backhaul.pcap");
    struct tw_tables *t = compile_rules();
    int err = 0;
    struct fakeftdi *f = fakeftdi_new_twdev(SERIAL, BUS, ADDR, NULL, &err);
    if (!f)
        fail_msg("the simulated device: %s", strerror(-err));

    /* open: what does not match, by bus/address, then by serial for the run */
    struct tw_dev *d = NULL;
    assert_int_equal(tw_open(&d, "usb:serial=NOPE"), TW_ERR_NODEV);
    assert_int_equal(tw_open(&d, "usb:bus=3,addr=8"), TW_ERR_NODEV);
    assert_null(d);
    open_dev(&d, "usb:bus=3,addr=7");
    assert_non_null(strstr(tw_dev_name(d), "usb 3-7 0403:6010 serial " SERIAL));
    uint32_t v = 0;
    assert_int_equal(tw_reg_read(d, TW_REG_MAGIC, &v, 1), 0);
    assert_int_equal(v, TW_REG_MAGIC_VALUE);
    tw_close(d);
    d = NULL;
    open_dev(&d, "usb:serial=" SERIAL);
    /* the simulated device answers from umockdev's worker thread, which a loaded machine can leave waiting longer
     * than the 40 ms a board is given to finish a frame: the stream then pauses mid-frame and the frame would be
     * given up (seen in CI: one record lost and counted) */
    assert_int_equal(tw_dev_set_pause(d, 10000), 0);
    assert_non_null(strstr(tw_dev_name(d), "serial " SERIAL));
    struct fakeftdi_stats fs;
    fakeftdi_stats(f, &fs);
    assert_true(fs.strings >= 2); /* the serial read through GET_DESCRIPTOR, at each open */
    assert_int_equal(fs.bitmodes[0], 0x00ff);
    assert_int_equal(fs.bitmodes[1], 0x40ff);
    assert_int_equal(fs.bitmodes[2], 0x00ff); /* the first close */
    assert_int_equal(fs.n_bitmodes, 5);       /* the second open: 0x00 then 0x40 (the model moves bytes only then) */

    /* rules: the call `tapwatch rules load` makes, on the same compiled image as analyze's */
    int64_t tl = now_ms();
    int rc = tw_dev_load_tables(d, t);
    if (rc)
        fail_msg("loading the rules: %s", tw_strerror(rc));
    uint32_t status = 0;
    assert_int_equal(tw_reg_read(d, TW_REG_STATUS, &status, 1), 0);
    assert_true(status & 1u); /* init done */
    fakeftdi_stats(f, &fs);
    print_message("rules loaded over USB in %.1f s (%llu bytes out)\n", (double)(now_ms() - tl) / 1000.0,
                  (unsigned long long)fs.bulk_out_bytes);
    assert_int_equal(tw_dev_time_set(d, 1700000000000000000ull), 0);

    /* the scenario's frames into port A, then the end of input */
    for (size_t i = 0; i < cap.n; i++)
        assert_int_equal(fakeftdi_twdev_push(f, TWDEV_PORT_A, cap.v[i].ts, cap.v[i].b, cap.v[i].caplen), 0);
    assert_int_equal(fakeftdi_twdev_flush(f), 0);

    /* the records, through the streaming API, until the device has finished */
    struct coll c = {0};
    c.nframes = cap.n;
    int64_t ts = now_ms();
    for (;;) {
        rc = tw_dev_stream(d, collect, &c, 1000, NULL);
        if (rc != TW_ERR_TIMEOUT)
            fail_msg("tw_dev_stream: %s", rc < 0 ? tw_strerror(rc) : "callback stopped");
        if (fakeftdi_twdev_done(f))
            break;
        if (now_ms() - t0 > WALL_LIMIT_S * 1000)
            fail_msg("the device did not finish within %d s (%zu alerts, %zu flows so far)", WALL_LIMIT_S, c.nal,
                     c.nfl);
    }
    uint64_t cnt[TW_CNT_TOTAL];
    assert_int_equal(tw_dev_counters(d, 0, TW_CNT_TOTAL, cnt, NULL), 0);
    struct tw_dev_event *ev = malloc(sizeof *ev);
    assert_non_null(ev);
    /* the records the device counted may still be on their way (USB packets of a loaded machine can lag the
     * model's end by more than one short read timeout): read until they are all here, within the wall limit, then
     * make sure nothing more comes */
    int64_t last = now_ms();
    while (c.nal < cnt[TW_CNT_REC_ALERTS] || c.nfl < cnt[TW_CNT_REC_FLOWS]) {
        rc = tw_dev_read_event(d, ev, 1000);
        if (rc == 0) {
            assert_int_equal(collect(ev, &c), 0);
            last = now_ms();
        } else if (rc != TW_ERR_TIMEOUT) {
            fail_msg("tw_dev_read_event: %s", tw_strerror(rc));
        }
        if (now_ms() - last > 30000) {
            struct tw_dev_stats ls;
            tw_dev_stats(d, &ls);
            struct twdev_stats ms;
            twdev_stats(fakeftdi_twdev(f), &ms);
            fakeftdi_stats(f, &fs);
            print_message("device side: %llu bytes moved to the chip, %llu IN packets, %llu violations, %llu lost; "
                          "usb: %llu IN URBs, %llu discarded, %llu reaps\n",
                          (unsigned long long)ms.tx_moved, (unsigned long long)ms.in_packets,
                          (unsigned long long)ms.violations, (unsigned long long)ms.lost_events,
                          (unsigned long long)fs.in_urbs, (unsigned long long)fs.discards,
                          (unsigned long long)fs.reaps);
            fail_msg(
                "nothing for 30 s with records missing: %zu of %llu alerts, %zu of %llu flows (gaps: %llu "
                "record, %llu link; lost by sequence: %llu alerts, %llu flows, %llu link frames; %llu resyncs, "
                "%llu discarded, %llu crc, %llu hdr, %llu truncated, %llu device tx drops)",
                c.nal, (unsigned long long)cnt[TW_CNT_REC_ALERTS], c.nfl, (unsigned long long)cnt[TW_CNT_REC_FLOWS],
                (unsigned long long)c.rec_gaps, (unsigned long long)c.link_gaps, (unsigned long long)ls.alerts_lost,
                (unsigned long long)ls.flows_lost, (unsigned long long)ls.frames_lost, (unsigned long long)ls.resyncs,
                (unsigned long long)ls.discarded, (unsigned long long)ls.crc_errors, (unsigned long long)ls.hdr_errors,
                (unsigned long long)ls.truncated, (unsigned long long)ls.dev_tx_drops);
        }
    }
    while ((rc = tw_dev_read_event(d, ev, 200)) == 0)
        assert_int_equal(collect(ev, &c), 0);
    assert_int_equal(rc, TW_ERR_TIMEOUT);
    free(ev);
    print_message("%zu frames through the device: %zu alerts, %zu flow records in %.1f s\n", cap.n, c.nal, c.nfl,
                  (double)(now_ms() - ts) / 1000.0);

    /* nothing lost anywhere */
    struct tw_dev_stats ds;
    tw_dev_stats(d, &ds);
    assert_int_equal(cnt[TW_CNT_FRAMES], cap.n);
    assert_int_equal(cnt[TW_CNT_REC_ALERTS], c.nal);
    assert_int_equal(cnt[TW_CNT_REC_FLOWS], c.nfl);
    assert_int_equal(cnt[TW_CNT_COPY_DROP] + cnt[TW_CNT_PER_PORT + TW_CNT_COPY_DROP], 0);
    assert_int_equal(cnt[TW_CNT_FL_CREATED], c.nfl); /* every flow reported (the end-of-input flush) */
    assert_int_equal(c.rec_gaps + c.link_gaps + c.dev_errors + c.unmapped, 0);
    assert_int_equal(ds.alerts_lost + ds.flows_lost + ds.frames_lost + ds.queue_drops + ds.bad_records +
                         ds.dev_tx_drops + ds.crc_errors + ds.hdr_errors + ds.truncated,
                     0);
    assert_true(ds.usb_packets > 0);
    assert_true(c.nal > 0);
    tw_close(d);
    d = NULL;

    /* EVE through the shared writer against analyze's on the same capture */
    mkdir(TW_USBDEV_OUT, 0755);
    write_eve(&c, t, cnt, TW_USBDEV_OUT "/usb.json");
    char *an[] = {(char *)TW_USBDEV_TAPWATCH, (char *)"analyze", (char *)"--config", (char *)CONFIG, (char *)"--eve",
                  (char *)TW_USBDEV_OUT "/analyze.json", (char *)TW_USBDEV_SCENARIO "/backhaul.pcap", NULL};
    assert_int_equal(run(an, NULL), 1); /* alerts found */
    struct lines aa = {0}, ua = {0}, af = {0}, uf = {0};
    lines_of(TW_USBDEV_OUT "/analyze.json", "alert", &aa);
    lines_of(TW_USBDEV_OUT "/usb.json", "alert", &ua);
    lines_of(TW_USBDEV_OUT "/analyze.json", "flow", &af);
    lines_of(TW_USBDEV_OUT "/usb.json", "flow", &uf);
    int alerts_ok = lines_equal("alerts", &aa, &ua, 0), flows_ok = lines_equal("flow events", &af, &uf, 1);
    print_message("EVE over usb: %zu alerts (analyze %zu) %s, %zu flow events (analyze %zu) %s\n", ua.n, aa.n,
                  alerts_ok ? "equal, in order" : "DIFFER", uf.n, af.n, flows_ok ? "equal" : "DIFFER");
    lines_free(&aa);
    lines_free(&ua);
    lines_free(&af);
    lines_free(&uf);
    assert_true(alerts_ok);
    assert_true(flows_ok);

    /* the ground truth through the device (the pass rule's match count needs per-rule counters: left out as in
     * tests/scripts/test_replay.sh) */
    FILE *in = fopen(TW_USBDEV_SCENARIO "/backhaul.truth", "r"), *out = fopen(TW_USBDEV_OUT "/truth", "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[512];
    while (fgets(line, sizeof line, in))
        if (strncmp(line, "#@ pass ", 8))
            fputs(line, out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    char *sc[] = {(char *)"awk", (char *)"-f", (char *)"tools/scenario_score.awk", (char *)TW_USBDEV_OUT "/truth",
                  (char *)TW_USBDEV_OUT "/usb.json", NULL};
    rc = run(sc, TW_USBDEV_OUT "/score.txt");
    if (rc) {
        print_file(TW_USBDEV_OUT "/score.txt");
        fail_msg("the ground truth is not met through the usb: backend (exit %d)", rc);
    }
    FILE *s = fopen(TW_USBDEV_OUT "/score.txt", "r");
    while (s && fgets(line, sizeof line, s))
        if (strstr(line, "recall"))
            print_message("ground truth: %s", line);
    if (s)
        fclose(s);

    struct fakeftdi_twdev_stats ts2;
    fakeftdi_twdev_stats(f, &ts2);
    fakeftdi_stats(f, &fs);
    print_message("device steps %llu (%llu k core clocks, longest %llu k; stops: quiet %llu, idle %llu, limit %llu), "
                  "IN transfers %llu, packets %llu; whole test %.1f s\n",
                  (unsigned long long)ts2.steps, (unsigned long long)(ts2.step_clocks / 1000),
                  (unsigned long long)(ts2.step_clocks_max / 1000), (unsigned long long)ts2.quiet_stops,
                  (unsigned long long)ts2.idle_stops, (unsigned long long)ts2.max_stops,
                  (unsigned long long)fs.in_urbs, (unsigned long long)fs.in_packets,
                  (double)(now_ms() - t0) / 1000.0);
    assert_int_equal(ts2.max_stops, 0);
    if (fs.unknown_ioctls)
        fail_msg("unanswered ioctl 0x%lx", fs.last_unknown);
    fakeftdi_lock(f);
    struct twdev_stats st;
    twdev_stats(fakeftdi_twdev(f), &st);
    fakeftdi_unlock(f);
    assert_int_equal(st.violations, 0);
    assert_int_equal(st.lost_events, 0);
    assert_int_equal(st.out_bad, 0);
    assert_int_equal(st.frames_out[0], cap.n); /* every frame forwarded */
    fakeftdi_free(f);
    tw_tables_free(t);
    capture_free(&cap);
}

int main(int argc, char **argv)
{
    fakeftdi_reexec(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_over_usb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
