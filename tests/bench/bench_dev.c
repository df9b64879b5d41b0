/* make bench rows for the device host path (issue 5 item 11):
 *  - alert records decoded and written as EVE per second on one core: a pre-built device byte stream (DEV_ALERT
 *    frames with 122-byte records and 0 or 64 evidence bytes) is served from memory through tw_open_ops, read with
 *    tw_dev_read_event (frame decoder, CRC, record decode, sequence accounting, event queue), converted with
 *    tw_dev_alert_eve (names from a compiled rule set) and written by the shared EVE writer to /dev/null;
 *  - the same without the EVE writer (decode only), to show where the time goes. Goal: >= 2 M alerts/s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tapwatch/device.h"
#include "tapwatch/eve.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

static uint32_t N_ALERTS = 1000000u; /* TW_BENCH_ALERTS overrides */

struct mem {
    const uint8_t *p;
    size_t n, off;
};

static int m_write(void *ctx, const uint8_t *p, size_t n, int t)
{
    (void)ctx, (void)p, (void)n, (void)t;
    return 0;
}

static int m_read(void *ctx, uint8_t *p, size_t cap, int t)
{
    (void)t;
    struct mem *m = ctx;
    size_t k = m->n - m->off < cap ? m->n - m->off : cap;
    memcpy(p, m->p + m->off, k);
    m->off += k;
    return (int)k;
}

/* CPU time of this process: "per second on one core", whatever else runs on the machine. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint8_t *build(unsigned ev_len, size_t *len, const struct tw_tables *t)
{
    size_t fl = TW_PROTO_HDR_BYTES + TW_AR_BYTES + ev_len + TW_PROTO_CRC_BYTES;
    uint8_t *s = malloc(fl * N_ALERTS);
    if (!s)
        return NULL;
    uint8_t rec[TW_AR_BYTES + TW_AR_MAX_EVIDENCE], ev[TW_AR_MAX_EVIDENCE];
    for (unsigned i = 0; i < ev_len; i++)
        ev[i] = (uint8_t)(i * 7);
    size_t o = 0;
    for (uint32_t i = 0; i < N_ALERTS; i++) {
        struct tw_alert_rec r;
        memset(&r, 0, sizeof r);
        unsigned rule = t->settings.n_rules ? i % t->settings.n_rules : 0;
        r.seq = i;
        r.ts = 1700000000000000000ull + 1000ull * i;
        r.flow_id = i / 4 + 1;
        r.rule = (uint16_t)rule;
        r.sid = t->rule[rule].sid;
        r.gid = 1;
        r.rev = 1;
        r.prio = 2;
        r.ip_ver = (i & 7) ? 4 : 6;
        r.proto = (i & 1) ? 17 : 6;
        r.ports_v = 1;
        r.src_ip[10] = r.src_ip[11] = 0xff;
        r.src_ip[12] = 10;
        r.src_ip[13] = (uint8_t)(i >> 8);
        r.src_ip[15] = (uint8_t)i;
        r.dst_ip[0] = 0x20;
        r.dst_ip[1] = 0x01;
        r.dst_ip[12] = 198;
        r.dst_ip[15] = 7;
        r.src_port = (uint16_t)(1024 + i);
        r.dst_port = 4789;
        r.vlan_n = 1;
        r.vlan0 = 100;
        r.src_vsets = 1;
        r.ev_len = (uint8_t)ev_len;
        int n = tw_alert_rec_encode(&r, ev, rec, sizeof rec);
        int k = tw_proto_enc_record(TW_DEV_ALERT, (uint16_t)i, rec, (size_t)n, s + o, fl);
        if (n < 0 || k < 0) {
            free(s);
            return NULL;
        }
        o += (size_t)k;
    }
    *len = o;
    return s;
}

/* Returns alerts per second, or -1. */
static double run(const uint8_t *s, size_t len, const struct tw_tables *t, int eve_out)
{
    struct mem m = {s, len, 0};
    struct tw_dev_ops ops = {m_write, m_read, NULL};
    struct tw_dev *d;
    if (tw_open_ops(&d, &ops, &m, "memory"))
        return -1;
    FILE *null = fopen("/dev/null", "w");
    struct tw_eve *w = NULL;
    if (!null || tw_eve_open(&w, null)) {
        tw_close(d);
        if (null)
            fclose(null);
        return -1;
    }
    struct tw_dev_event *ev = malloc(sizeof *ev);
    uint64_t n = 0;
    double t0 = now();
    while (ev && tw_dev_read_event(d, ev, 0) == 0) {
        if (eve_out) {
            struct tw_eve_alert a;
            tw_dev_alert_eve(&a, &ev->alert, ev->evidence, ev->alert.ev_len, t);
            tw_eve_write_alert(w, &a);
        }
        n++;
    }
    double dt = now() - t0;
    struct tw_dev_stats st;
    tw_dev_stats(d, &st);
    free(ev);
    tw_eve_close(w);
    fclose(null);
    tw_close(d);
    if (n != N_ALERTS || st.alerts_lost || st.crc_errors) {
        fprintf(stderr, "bench_dev: %llu of %u alerts decoded\n", (unsigned long long)n, (unsigned)N_ALERTS);
        return -1;
    }
    return (double)n / dt;
}

int main(void)
{
    const char *e = getenv("TW_BENCH_ALERTS");
    if (e && atoi(e) > 0)
        N_ALERTS = (uint32_t)atoi(e);
    char err[512];
    struct tw_config *cfg;
    struct tw_tables *t;
    if (tw_config_load("examples/backhaul.yaml", &cfg, err, sizeof err)) {
        fprintf(stderr, "bench_dev: %s\n", err);
        return 1;
    }
    struct tw_compile_opts co = {.oui_registry = "tests/host/data/oui-backhaul.csv"};
    int rc = tw_compile(cfg, &co, &t, err, sizeof err);
    tw_config_free(cfg);
    if (rc) {
        fprintf(stderr, "bench_dev: %s\n", err);
        return 1;
    }
    static const unsigned evl[] = {0, 64};
    for (int k = 0; k < 2; k++) {
        size_t len;
        uint8_t *s = build(evl[k], &len, t);
        if (!s)
            return 1;
        double full = run(s, len, t, 1), dec = run(s, len, t, 0);
        free(s);
        if (full < 0 || dec < 0)
            return 1;
        printf("ROW\thost_alerts_decoded_eve_per_s_ev%u\t%.0f\talerts/s\tgoal 2000000\t%.3f\n", evl[k], full,
               full / 2e6);
        printf("ROW\thost_alerts_decoded_only_per_s_ev%u\t%.0f\talerts/s\t-\t-\n", evl[k], dec);
    }
    tw_tables_free(t);
    return 0;
}
