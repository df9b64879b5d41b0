/* alert_model: a thin C API over the Verilated alert stage (rtl/tw_alert_stage.v), one clock at a time.
 * Cycle protocol (AXI-Stream semantics): set this cycle's inputs (drive, ready levels, table command), sample the
 * outputs (in_ready, out), then tick (one rising edge). The parser record is given packed (tw_meta_pack(),
 * TW_M_BYTES bytes). Not thread-safe per handle. */
#ifndef TAPWATCH_SIM_ALERT_MODEL_H
#define TAPWATCH_SIM_ALERT_MODEL_H

#include <stdint.h>

#include "tapwatch/tw_alert_rec.h"
#include "tapwatch/tw_meta.h"
#include "tapwatch/tw_rule_entry.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tw_alm;

/* One frame's inputs (the detection front's outputs). */
struct tw_alm_in {
    const uint8_t *meta; /* packed parser record, TW_M_BYTES bytes */
    uint8_t mirror, flow;
    uint64_t flow_id;
    unsigned bucket, way;
    uint64_t pkts_ts, pkts_tc, bytes_ts, bytes_tc;
    uint8_t vs[4];       /* vendor sets: outer src, outer dst, inner src, inner dst MAC */
    uint8_t alerts[32];  /* match vector: bit r = alerts[r / 8] bit r % 8 */
    uint8_t bank;
};

struct tw_alm_counters {
    uint64_t frames_in, frames_out, matches, alerts, records_out, overflow, rate_limited, thresholded, state_full,
        ignored, frames_alerted, falerts_out;
    uint32_t wr_ok, wr_bad, wr_other, commits;
    unsigned rule_bank;
};

/* A new model: reset, clocked until init_done (RAM clear and the rate constants). Rate 1000/s, burst 1000,
 * evidence 0, both outputs ready. NULL when out of memory. */
struct tw_alm *tw_alm_new(void);
void tw_alm_free(struct tw_alm *m);
/* Synchronous reset, then clocks until init_done. */
void tw_alm_reset(struct tw_alm *m);
/* Settings; the rate constants follow within ~130 clocks: tw_alm_settle() clocks 200 idle cycles. */
void tw_alm_set_cfg(struct tw_alm *m, uint32_t rate, uint32_t burst, uint8_t evidence);
void tw_alm_settle(struct tw_alm *m);
/* s_* this cycle: NULL = idle. */
void tw_alm_drive(struct tw_alm *m, const struct tw_alm_in *in);
int tw_alm_in_ready(struct tw_alm *m);
void tw_alm_out_ready(struct tw_alm *m, int ready);
void tw_alm_falert_ready(struct tw_alm *m, int ready);
/* m_alert: valid, decoded into *r when r is not NULL. */
int tw_alm_out(struct tw_alm *m, struct tw_alert_rec *r);
/* m_falert (one verdict per frame, in frame order): valid; *set (the frame alerted and has a flow: an ALERT operand;
 * 0: decided only), *bucket, *way, *flow_id when not NULL. */
int tw_alm_falert(struct tw_alm *m, int *set, unsigned *bucket, unsigned *way, uint64_t *flow_id);
/* s_tbl this cycle: valid 0 = idle; data = packed rule entry (TW_RE_BYTES, may be NULL for COMMIT). */
void tw_alm_tbl(struct tw_alm *m, int valid, unsigned table, unsigned index, const uint8_t *data);
int tw_alm_tbl_ready(struct tw_alm *m);
void tw_alm_counters(struct tw_alm *m, struct tw_alm_counters *c);
/* The per-rule counters through the registered read port: sets the address and clocks twice (the port is the
 * visits' first: the data comes one or two clocks after the address; with the inputs as they are: call it between
 * frames). out = {matches, alerts, rate_limited}. */
void tw_alm_rule_counters(struct tw_alm *m, unsigned rule, uint64_t out[3]);
/* The same in two halves, for reads while frames flow: set the address (no clock), and read what the port gives
 * now (valid from the second clock after the address on, held while the address stays). */
void tw_alm_rule_addr(struct tw_alm *m, unsigned rule);
void tw_alm_rule_data(struct tw_alm *m, uint64_t out[3]);
void tw_alm_tick(struct tw_alm *m);
uint64_t tw_alm_cycles(const struct tw_alm *m);

#ifdef __cplusplus
}
#endif

#endif
