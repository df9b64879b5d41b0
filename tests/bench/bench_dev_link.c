/* make bench rows: whole alert records through the Verilated host link (REC_BYTES = 252 build, tests/usb/usb.mk)
 * and the FT2232H model with the host taking 40 MB/s. Records (122 bytes + 0, 64 or 128 evidence bytes) are offered
 * faster than the link carries them; after a warm-up, 5 ms of CLKOUT are measured: the FT245 efficiency (share of
 * edges with TXE# low that moved a byte) and the alerts per second delivered, decoded by libtapwatch (frame CRC,
 * record decode, no loss among the delivered ones besides the device's counted drops). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_chip.h"
#include "tapwatch/device.h"

#define WARM_CLOCKS 20000
#define RUN_CLOCKS 300000 /* 5 ms of CLKOUT */

struct mem {
    struct tw_link_sys *s;
};

static int l_write(void *ctx, const uint8_t *p, size_t n, int t)
{
    (void)t;
    struct mem *m = ctx;
    return tw_link_sys_host_write(m->s, p, n) ? TW_ERR_NOMEM : 0;
}

static int l_read(void *ctx, uint8_t *p, size_t cap, int t)
{
    (void)t;
    struct mem *m = ctx;
    return (int)tw_link_sys_host_read(m->s, p, cap);
}

static int run(unsigned ev_len, double *eff, double *alerts_per_s)
{
    struct tw_link_sys *s = tw_link_sys_new(NULL);
    if (!s)
        return -1;
    struct mem m = {s};
    struct tw_dev_ops ops = {l_write, l_read, NULL};
    struct tw_dev *d;
    if (tw_open_ops(&d, &ops, &m, "link")) {
        tw_link_sys_free(s);
        return -1;
    }
    tw_link_sys_set_rec_gap(s, 200); /* 625 k records/s offered: more than 40 MB/s carries */
    uint8_t rec[TW_AR_BYTES + TW_AR_MAX_EVIDENCE], ev[TW_AR_MAX_EVIDENCE];
    memset(ev, 0x5a, sizeof ev);
    struct tw_alert_rec r;
    memset(&r, 0, sizeof r);
    r.ev_len = (uint8_t)ev_len;
    r.sid = 1;
    struct tw_link_sys_stats a, b;
    memset(&a, 0, sizeof a);
    struct tw_dev_event *e = malloc(sizeof *e);
    uint64_t got = 0;
    uint32_t seq = 0;
    int rc = 0;
    for (unsigned long long clk = 0; e && clk < WARM_CLOCKS + RUN_CLOCKS; clk += 1000) {
        if (clk == WARM_CLOCKS) {
            tw_link_sys_stats(s, &a);
            got = 0;
        }
        while (tw_link_sys_rec_queued(s) < 32) {
            r.seq = seq++;
            int n = tw_alert_rec_encode(&r, ev, rec, sizeof rec);
            if (n < 0 || tw_link_sys_rec_push(s, TW_DEV_ALERT, rec, (unsigned)n)) {
                rc = -1;
                goto out;
            }
        }
        tw_link_sys_run(s, 1000);
        while (tw_dev_read_event(d, e, 0) == 0)
            if (e->type == TW_EV_ALERT)
                got++;
    }
    tw_link_sys_stats(s, &b);
    struct tw_dev_stats st;
    tw_dev_stats(d, &st);
    if (b.violations || st.crc_errors || st.bad_records) {
        fprintf(stderr, "bench_dev_link: violations %llu, CRC errors %llu, bad records %llu\n",
                (unsigned long long)b.violations, (unsigned long long)st.crc_errors,
                (unsigned long long)st.bad_records);
        rc = -1;
        goto out;
    }
    double sim_s = (double)(b.ft_clocks - a.ft_clocks) / 60e6;
    *eff = (double)(b.tx_moved - a.tx_moved) / (double)(b.txe_low - a.txe_low);
    *alerts_per_s = (double)got / sim_s;
out:
    free(e);
    tw_close(d);
    tw_link_sys_free(s);
    return rc;
}

int main(void)
{
    static const unsigned evl[] = {0, 64, 128};
    for (int k = 0; k < 3; k++) {
        double eff, aps;
        if (run(evl[k], &eff, &aps)) {
            fprintf(stderr, "bench_dev_link: simulation failed\n");
            return 1;
        }
        unsigned frame = TW_PROTO_HDR_BYTES + TW_AR_BYTES + evl[k] + TW_PROTO_CRC_BYTES;
        double ceil40 = 40e6 / frame;
        printf("ROW\tlink_alert_rec_ev%u_ft245_tx_efficiency\t%.4f\tshare\tgoal 0.95\t%.3f\n", evl[k], eff, eff / 0.95);
        printf("ROW\tlink_alerts_per_s_40MBps_ev%u_%uB_frames\t%.0f\talerts/s\t40 MB/s ceiling %.0f\t%.3f\n", evl[k],
               frame, aps, ceil40, aps / ceil40);
    }
    return 0;
}
