/* front_model: a C API over the Verilated detection front (rtl/tw_detect_front.v: flow table + digest table + match
 * engine, one candidate per record), docs/engine-front.md.
 *
 * The shim queues what the tests give it and plays it into the model clock by clock with AXI-Stream handshakes:
 *   - records (struct tw_meta), each offered no earlier than `gap` clocks after the previous one was accepted;
 *     in paced mode a record is offered only when the front is empty and every verdict has been taken
 *     (so the flow table's `alerted` bits are exactly the reference's, docs/engine-front.md "Known limits");
 *   - table commands (the engine's table port), each issued once a given number of records were accepted;
 *   - candidates (m_cand) and flow records (m_rec) collected with their clocks, under a ready pattern of each;
 *   - the alert stage's verdicts on s_alert, one per candidate in order (the flow table holds every flow record
 *     until its frame's verdict): with the write-back on, a candidate with a flow and at least one alert match not
 *     suppressed gives its {flow_id, way, bucket} with the set bit (what an alert stage without thresholds sends),
 *     every other one a decided-only item; each offered from `wb_delay` clocks after the candidate's clock + 1.
 * One handle, one model; no global state besides the Verilated context each handle owns. Not thread-safe. */
#ifndef TAPWATCH_SIM_FRONT_MODEL_H
#define TAPWATCH_SIM_FRONT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/detect.h"
#include "tapwatch/tw_meta.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One candidate (m_cand, layout rtl/tw_cand.vh). */
struct tw_fr_cand {
    uint8_t mirror, flow, toclient, bank;
    unsigned bucket, way;
    uint64_t flow_id, pkts_ts, pkts_tc, bytes_ts, bytes_tc;
    uint8_t vs[4];          /* vendor sets: outer src MAC, outer dst MAC, inner src MAC, inner dst MAC */
    uint8_t alerts[32];     /* match vector (every matching rule, alert and pass): rule r = byte r / 8, bit r % 8 */
    uint16_t n_alerts, matches, suppressed;
    uint8_t reserved;       /* bits 663..659 (must be 0) */
    uint8_t meta[TW_M_BYTES]; /* the metadata record it carries (tw_meta_pack layout) */
    uint64_t seq;           /* the record's number in push order */
    uint64_t t_in, t_out;   /* clock of the record's acceptance and of the candidate's delivery */
};

/* One flow record (m_rec, contracts/flow_rec.def). */
struct tw_fr_rec {
    struct tw_flow_rec r;
    uint32_t seq;
    uint8_t pad;            /* the 3 pad bits (must be 0) */
    uint64_t t_out;
};

struct tw_fr_counters {
    uint64_t records, cands, recs, alert_ops, dg_lookups, dg_mirror, dg_inserts, dg_replaced;
    uint64_t fl_created, fl_evicted, fl_sweeps, fl_no_ip;
    uint64_t eng_frames, eng_no_ip, eng_matches, eng_alerts, eng_overflow, eng_suppressed;
    uint32_t wr_ok, wr_bad, commits;
    uint64_t window_ns, idle_ns, hard_ns; /* settings in use */
};

struct tw_fr;

/* A new model after a reset and the tables' init walk. NULL when out of memory. */
struct tw_fr *tw_fr_new(void);
void tw_fr_free(struct tw_fr *f);

/* Queues a record. 0 or -1 (no memory). */
int tw_fr_push(struct tw_fr *f, const struct tw_meta *m, unsigned gap);
/* Queues a table command (as tw_eng_table). 0 or -1. */
int tw_fr_table(struct tw_fr *f, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes, uint64_t after);
/* Queues the commands that load `what` (TW_ENG_LOAD_*) of t. 0 or -1. */
int tw_fr_load(struct tw_fr *f, const struct tw_tables *t, unsigned what, uint64_t after);
/* Ready of m_cand and m_rec: pct percent of the clocks, pseudo-random from seed (100: always). */
void tw_fr_ready(struct tw_fr *f, unsigned cand_pct, unsigned rec_pct, uint64_t seed);
/* ALERT write-back of alerting candidates on (1) or off (0, the default: every verdict decided-only). */
void tw_fr_alerts(struct tw_fr *f, int on);
/* Clocks each verdict waits after its candidate's clock + 1 (0, the default: the next clock); an alert stage's
 * latency. */
void tw_fr_wb_delay(struct tw_fr *f, unsigned clocks);
/* Paced mode on (1) or off (0, the default). */
void tw_fr_pace(struct tw_fr *f, int on);

/* Runs until every queued record and command went in, every candidate came out, every verdict was taken and
 * m_rec was idle for 8 clocks (the flow records held for the last verdicts are out), or max_cycles clocks passed.
 * 0, or -1 on the timeout. */
int tw_fr_run(struct tw_fr *f, uint64_t max_cycles);
/* Raises flush_req for one clock and runs until flush_busy fell, the flow records stopped and every candidate came
 * out. 0, or -1 on the timeout. */
int tw_fr_flush(struct tw_fr *f, uint64_t max_cycles);
void tw_fr_step(struct tw_fr *f, uint64_t n);

/* The candidates / flow records so far (arrays owned by the handle; valid until the next run, step or clear). */
size_t tw_fr_cands(const struct tw_fr *f, const struct tw_fr_cand **c);
size_t tw_fr_recs(const struct tw_fr *f, const struct tw_fr_rec **r);
void tw_fr_clear(struct tw_fr *f);
void tw_fr_counters(const struct tw_fr *f, struct tw_fr_counters *c);
/* Clocks in which a record was offered but s_meta_tready was low. */
uint64_t tw_fr_meta_stalls(const struct tw_fr *f);
uint64_t tw_fr_cycles(const struct tw_fr *f);
/* Records queued and not yet accepted; records accepted whose candidate has not come out. */
size_t tw_fr_queued(const struct tw_fr *f);
size_t tw_fr_inside(const struct tw_fr *f);
int tw_fr_bank(const struct tw_fr *f);

#ifdef __cplusplus
}
#endif
#endif
