/* Host link bench (`make bench` rows): the FT245 interface's efficiency while records stream (share of CLKOUT
 * edges with TXE# low on which a byte moves; goal >= 95%), the records/s that gives with the host taking 40 MB/s,
 * the same with register reads interleaved (bus turnarounds), the simulation speed, and the host decoder's rate
 * on one core. Rows: "ROW\tname\tvalue\tunit\tbaseline\tratio" (tools/run-bench.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "link_chip.h"
#include "tapwatch/proto.h"

#define REC_LEN 32
#define WARM_CLOCKS 20000
#define RUN_CLOCKS 600000 /* 10 ms of CLKOUT */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct result {
    double eff, recs_per_s, mbytes_per_s, cycles_per_s;
    unsigned long long violations, records, drops_seen, crc;
};

/* Streams records faster than the link can carry them (so it is always busy); every cmd_every CLKOUT a register
 * read goes the other way (0: none). */
static int stream(unsigned cmd_every, struct result *r)
{
    struct tw_link_sys *s = tw_link_sys_new(NULL);
    struct tw_proto_dec *d = NULL;
    if (!s || tw_proto_dec_new(&d, TW_PROTO_DEV_TO_HOST) != 0) {
        tw_link_sys_free(s);
        return -1;
    }
    tw_link_sys_set_rec_gap(s, 100); /* 1.25 M records/s offered: more than 40 MB/s carries */
    uint8_t rec[REC_LEN], buf[65536];
    memset(rec, 0x3c, sizeof(rec));
    uint16_t cmd_seq = 0;
    struct tw_link_sys_stats a, b;
    unsigned long long frames = 0, resp = 0;
    double t0 = 0;
    for (unsigned long long clk = 0; clk < WARM_CLOCKS + RUN_CLOCKS; clk += 1000) {
        if (clk == WARM_CLOCKS) {
            tw_link_sys_stats(s, &a);
            t0 = now_s();
            frames = 0;
        }
        while (tw_link_sys_rec_queued(s) < 64)
            if (tw_link_sys_rec_push(s, TW_DEV_ALERT, rec, REC_LEN) != 0)
                goto fail;
        if (cmd_every && clk % cmd_every == 0) {
            int n = tw_proto_enc_reg_read(cmd_seq++, TW_REG_MAGIC, 4, buf, sizeof(buf));
            if (n < 0 || tw_link_sys_host_write(s, buf, (size_t)n) != 0)
                goto fail;
        }
        tw_link_sys_run(s, 1000);
        size_t n;
        while ((n = tw_link_sys_host_read(s, buf, sizeof(buf))) > 0) {
            if (tw_proto_dec_push(d, buf, n) != 0)
                goto fail;
            struct tw_proto_frame f;
            while (tw_proto_dec_next(d, &f) == 1) {
                if (f.type == TW_DEV_ALERT && clk >= WARM_CLOCKS)
                    frames++;
                if (f.type == TW_DEV_RESP)
                    resp++;
            }
        }
    }
    double wall = now_s() - t0;
    tw_link_sys_stats(s, &b);
    struct tw_proto_stats ps;
    tw_proto_dec_stats(d, &ps);
    double sim_s = (double)(b.ft_clocks - a.ft_clocks) / 60e6;
    r->eff = (double)(b.tx_moved - a.tx_moved) / (double)(b.txe_low - a.txe_low);
    r->records = frames;
    r->recs_per_s = (double)frames / sim_s;
    r->mbytes_per_s = (double)(b.tx_moved - a.tx_moved) / sim_s / 1e6;
    r->cycles_per_s = (double)((b.ft_clocks - a.ft_clocks) + (b.core_clocks - a.core_clocks)) / wall;
    r->violations = b.violations + b.lost_events;
    r->drops_seen = ps.lost;
    r->crc = ps.crc_errors + ps.hdr_errors + ps.discarded;
    if (cmd_every && resp + 2 < cmd_seq) {
        fprintf(stderr, "link_bench: only %llu of %u register reads answered\n", resp, cmd_seq);
        goto fail;
    }
    tw_proto_dec_free(d);
    tw_link_sys_free(s);
    return 0;
fail:
    tw_proto_dec_free(d);
    tw_link_sys_free(s);
    return -1;
}

static int decode_rate(double *frames_per_s, double *mb_per_s)
{
    const unsigned n = 200000;
    size_t flen = TW_PROTO_HDR_BYTES + REC_LEN + TW_PROTO_CRC_BYTES, len = n * flen;
    uint8_t *buf = malloc(len), rec[REC_LEN];
    struct tw_proto_dec *d = NULL;
    if (!buf || tw_proto_dec_new(&d, TW_PROTO_DEV_TO_HOST) != 0) {
        free(buf);
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        memset(rec, (int)i, sizeof(rec));
        tw_proto_enc_record(TW_DEV_ALERT, (uint16_t)i, rec, REC_LEN, buf + i * flen, flen);
    }
    unsigned long long got = 0;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        tw_proto_dec_reset(d);
        double t0 = now_s();
        for (size_t off = 0; off < len; off += 65536) {
            size_t k = len - off < 65536 ? len - off : 65536;
            if (tw_proto_dec_push(d, buf + off, k) != 0)
                goto fail;
            struct tw_proto_frame f;
            while (tw_proto_dec_next(d, &f) == 1)
                got++;
        }
        double t = now_s() - t0;
        if (t < best)
            best = t;
    }
    if (got != 5ull * n)
        goto fail;
    *frames_per_s = n / best;
    *mb_per_s = (double)len / best / 1e6;
    tw_proto_dec_free(d);
    free(buf);
    return 0;
fail:
    tw_proto_dec_free(d);
    free(buf);
    return -1;
}

int main(void)
{
    struct result plain, mixed;
    if (stream(0, &plain) != 0 || stream(20000, &mixed) != 0) {
        fprintf(stderr, "link_bench: simulation failed\n");
        return 1;
    }
    if (plain.violations || mixed.violations || plain.crc || mixed.crc) {
        fprintf(stderr, "link_bench: bus violations, lost model events or corrupted frames\n");
        return 1;
    }
    double fps, mbps;
    if (decode_rate(&fps, &mbps) != 0) {
        fprintf(stderr, "link_bench: decoder failed\n");
        return 1;
    }
    printf("ROW\tlink_ft245_tx_efficiency\t%.4f\tshare\tgoal 0.95\t%.3f\n", plain.eff, plain.eff / 0.95);
    printf("ROW\tlink_ft245_bytes_per_s_host_40MBps\t%.2f\tMB/s\thost rate 40\t%.3f\n", plain.mbytes_per_s,
           plain.mbytes_per_s / 40.0);
    printf("ROW\tlink_records_per_s_%dB\t%.0f\trecords/s\t-\t-\n", REC_LEN, plain.recs_per_s);
    printf("ROW\tlink_ft245_tx_efficiency_with_reads\t%.4f\tshare\tgoal 0.95\t%.3f\n", mixed.eff, mixed.eff / 0.95);
    printf("ROW\tlink_records_per_s_%dB_with_reads\t%.0f\trecords/s\t-\t-\n", REC_LEN, mixed.recs_per_s);
    printf("ROW\tlink_sim_speed\t%.0f\tcycles/s\t-\t-\n", plain.cycles_per_s);
    printf("ROW\tlink_host_decode_frames_per_s_%dB\t%.0f\tframes/s\t-\t-\n", REC_LEN, fps);
    printf("ROW\tlink_host_decode_bytes_per_s\t%.1f\tMB/s\tUSB 40\t%.2f\n", mbps, mbps / 40.0);
    return 0;
}
