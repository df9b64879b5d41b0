/* Line-rate bench of the tap + parser in Verilator (rows for `make bench`, tools/run-bench.sh).
 * Both ports back-to-back (no gaps, egress and metadata always ready) with frames of 64, 128, 256, 1518 and 9000
 * bytes, plain (Ethernet + IPv4 + UDP) and deep-header (QinQ + MPLS + IPv6 + extension headers + GRE/ERSPAN II +
 * inner Ethernet + IPv6 + TCP where it fits; tests/sim/tap_frames.h). Per configuration: frames per cycle per port
 * against the ideal 1/ceil(len/8), ingress tready-low cycles, copies dropped, records that parsed wrong; then the
 * simulation speed (simulated cycles and frames per wall second).
 * BENCH_CYCLES=N sets the simulated clocks per configuration (default 24000). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap_frames.h"
#include "twsim.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void row(const char *name, double v, const char *unit, const char *base, double ratio)
{
    if (base)
        printf("ROW\t%s\t%.6g\t%s\t%s\t%.4f\n", name, v, unit, base, ratio);
    else
        printf("ROW\t%s\t%.6g\t%s\t-\t-\n", name, v, unit);
}

/* Does the record say what the deep/plain maker put in? */
static int record_ok(const struct tw_meta *m, int deep, size_t len)
{
    if (m->err || m->len != len || !m->o_l2)
        return 0;
    if (!deep)
        return m->o_ip_ver == 4 && m->o_l4 && m->o_ip_proto == 17 && m->o_dport == 9;
    if (m->o_vlan_n != 2 || m->o_mpls_n != 2)
        return 0;
    if (len < 98)
        return m->o_ip_ver == 4 && m->o_l4 && m->o_sport == 1234;
    if (len < 176)
        return m->o_ip_ver == 6 && m->o_ip6_ext_n == 1 && m->o_l4 && m->o_sport == 80;
    return m->o_ip_ver == 6 && m->o_ip6_ext_n == 2 && m->tun_kind == TW_TUN_ERSPAN2 && m->tun_id == 42 &&
           m->inner && m->i_ip_ver == 6 && m->i_l4 && m->i_sport == 443;
}

int main(void)
{
    static const size_t sizes[] = {64, 128, 256, 1518, 9000};
    uint64_t budget = 24000;
    const char *e = getenv("BENCH_CYCLES");
    if (e && atoll(e) > 0)
        budget = (uint64_t)atoll(e);
    static uint8_t buf[TF_MAX];
    uint64_t all_cycles = 0, all_frames = 0;
    double all_secs = 0;
    int bad_total = 0;
    for (int deep = 0; deep < 2; deep++) {
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t len = sizes[si], beats = (len + 7) / 8;
            unsigned n = (unsigned)(budget / beats);
            if (n < 16)
                n = 16;
            struct twsim_cfg c;
            twsim_cfg_default(&c);
            c.quiet_cycles = 500;
            struct twsim *s = NULL;
            int rc = twsim_new(&s, &c);
            if (rc < 0) {
                fprintf(stderr, "bench_tap: cannot create the model: %s\n", strerror(-rc));
                return 1;
            }
            for (unsigned i = 0; i < n; i++)
                for (unsigned p = 0; p < 2; p++) {
                    if (deep)
                        tf_deep(buf, len);
                    else
                        tf_plain(buf, len, 1000 + (i & 0x3FF), 9);
                    if (twsim_push(s, p, buf, len, 0, i, i) < 0) {
                        fprintf(stderr, "bench_tap: push failed\n");
                        return 1;
                    }
                }
            double t0 = now();
            rc = twsim_run(s, 0);
            double secs = now() - t0;
            if (rc < 0) {
                fprintf(stderr, "bench_tap: %s %zu B: the model hung\n", deep ? "deep" : "plain", len);
                return 1;
            }
            const struct twsim_stats *st = twsim_stats(s);
            double fpc_min = 1e9;
            uint64_t stall = 0, drops = 0;
            for (unsigned p = 0; p < 2; p++) {
                uint64_t span = st->last_in_cycle[p] - st->first_in_cycle[p] + 1;
                double fpc = (double)st->in_frames[p] / (double)span;
                if (fpc < fpc_min)
                    fpc_min = fpc;
                stall += st->in_stall[p];
                uint64_t d = 0;
                if (twsim_counter(s, p, TW_CNT_COPY_DROP, &d) == 0)
                    drops += d;
            }
            size_t nr;
            const struct twsim_rec *r = twsim_records(s, &nr);
            int bad = 0;
            for (size_t i = 0; i < nr; i++)
                bad += !record_ok(&r[i].m, deep, len);
            bad_total += bad;
            double ideal = 1.0 / (double)beats;
            char name[96], base[64];
            const char *kind = deep ? "deep" : "plain";
            snprintf(base, sizeof base, "ideal 1/%zu = %.5f", beats, ideal);
            snprintf(name, sizeof name, "tap.%s.%zuB.frames_per_cycle_per_port", kind, len);
            row(name, fpc_min, "frames/clk", base, fpc_min / ideal);
            snprintf(name, sizeof name, "tap.%s.%zuB.ingress_tready_low", kind, len);
            row(name, (double)stall, "cycles", NULL, 0);
            snprintf(name, sizeof name, "tap.%s.%zuB.copy_drops", kind, len);
            row(name, (double)drops, "frames", NULL, 0);
            snprintf(name, sizeof name, "tap.%s.%zuB.records_misparsed", kind, len);
            row(name, (double)bad + (double)(2 * n - nr - drops), "frames", NULL, 0);
            all_cycles += st->cycles;
            all_frames += st->in_frames[0] + st->in_frames[1];
            all_secs += secs;
            twsim_free(s);
        }
    }
    row("sim.speed.cycles_per_second", (double)all_cycles / all_secs, "clk/s", NULL, 0);
    row("sim.speed.frames_per_second", (double)all_frames / all_secs, "frames/s", NULL, 0);
    if (bad_total)
        fprintf(stderr, "bench_tap: %d records did not match the frames sent\n", bad_total);
    return 0;
}
