/* Line-rate bench of the alert stage (rtl/tw_alert_stage.v): records offered on every clock the stage is ready,
 * outputs always ready, rate limiter off, 256 plain alert rules loaded; for k matching rules per frame
 * (k = 0, 1, 2, 3, 4, 8, 16, 256; thresholds and volume on every rule in a second run of k = 2) it reports the
 * clocks per frame, the frames and alert records per clock, and whether the line rate (one frame every 4 clocks)
 * holds. Prints `make bench` rows (tools/run-bench.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_model.h"
#include "alert_testlib.h"
#include "tapwatch/meta.h"
#include "tapwatch/tables.h"

static double run(unsigned k, int thr, double *recs_per_clock)
{
    struct tw_tables *t = tw_tables_new();
    struct tw_alm *hw = tw_alm_new();
    if (!t || !hw) {
        fprintf(stderr, "alert_bench: out of memory\n");
        exit(1);
    }
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        struct tw_rule_entry *e = &t->rule[i];
        e->valid = 1;
        e->sid = i + 1;
        if (thr) {
            e->thr_type = TW_THR_LIMIT;
            e->thr_track = TW_TRACK_SRC;
            e->thr_count = 1000000;
            e->thr_seconds = 60;
            e->vol_v = 1;
            e->vol_track = TW_TRACK_FLOW;
            e->vol_bytes = 0;
            e->vol_seconds = 60;
        }
    }
    t->settings.n_rules = TW_CAP_RULES;
    tw_alm_set_cfg(hw, 0, 0, 64);
    tw_alm_settle(hw);
    unsigned bank = al_load(hw, t);
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.ts = 1000;
    m.len = 64;
    m.o_ip_ver = 4;
    m.o_ip_proto = 17;
    m.o_l4 = 1;
    m.o_ip_src[15] = 1;
    m.o_ip_dst[15] = 2;
    uint8_t bits[TW_M_BYTES];
    tw_meta_pack(&m, bits);
    struct tw_alm_in in;
    memset(&in, 0, sizeof in);
    in.meta = bits;
    in.bank = (uint8_t)bank;
    in.flow = 1;
    in.flow_id = 7;
    /* k rules spread over the vector */
    for (unsigned j = 0; j < k; j++) {
        unsigned r = k >= TW_CAP_RULES ? j : (j * 37u + 5u) % TW_CAP_RULES;
        in.alerts[r / 8] |= (uint8_t)(1u << (r % 8));
    }
    if (k == 1) { /* latency: one frame into the idle stage, clocks from its acceptance to its record on m_alert */
        tw_alm_drive(hw, &in);
        while (!tw_alm_in_ready(hw))
            tw_alm_tick(hw);
        tw_alm_tick(hw);
        tw_alm_drive(hw, NULL);
        unsigned lat = 1;
        while (!tw_alm_out(hw, NULL) && lat < 1000) {
            tw_alm_tick(hw);
            lat++;
        }
        printf("ROW\talert_stage_latency\t%u\tclocks\t-\t-\n", lat);
        tw_alm_tick(hw);
    }
    const unsigned n = k >= 64 ? 200 : 4000;
    unsigned sent = 0;
    uint64_t c0 = tw_alm_cycles(hw), recs = 0;
    while (sent < n) {
        tw_alm_drive(hw, &in);
        if (tw_alm_out(hw, NULL))
            recs++;
        int took = tw_alm_in_ready(hw);
        tw_alm_tick(hw);
        sent += (unsigned)took;
    }
    uint64_t cycles = tw_alm_cycles(hw) - c0;
    tw_alm_drive(hw, NULL);
    struct tw_alm_counters c;
    for (int i = 0; i < 4000; i++) {
        tw_alm_counters(hw, &c);
        if (c.frames_out == c.frames_in && c.records_out == c.alerts)
            break;
        if (tw_alm_out(hw, NULL))
            recs++;
        tw_alm_tick(hw);
    }
    *recs_per_clock = (double)recs / (double)(tw_alm_cycles(hw) - c0);
    tw_alm_free(hw);
    tw_tables_free(t);
    return (double)cycles / n;
}

int main(void)
{
    static const unsigned ks[] = {0, 1, 2, 3, 4, 8, 16, 256};
    for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        double rpc;
        double cpf = run(ks[i], 0, &rpc);
        printf("ROW\talert_stage_%u_matches_clocks_per_frame\t%.3f\tclocks\tline rate 4 clocks/frame\t%.2f\n", ks[i],
               cpf, cpf / 4.0);
        printf("ROW\talert_stage_%u_matches_records_per_clock\t%.3f\trec/clk\t-\t-\n", ks[i], rpc);
    }
    double rpc;
    double cpf = run(2, 1, &rpc);
    printf("ROW\talert_stage_2_matches_thr_vol_clocks_per_frame\t%.3f\tclocks\tline rate 4 clocks/frame\t%.2f\n", cpf,
           cpf / 4.0);
    return 0;
}
