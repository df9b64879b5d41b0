/* state_model: a thin C API over the Verilated engine-state blocks, one clock at a time:
 *   tw_dgm_*  rtl/tw_digest_table.v (mirror-copy digest table)
 *   tw_flm_*  rtl/tw_flow_table.v   (flow table)
 * Cycle protocol (AXI-Stream semantics): set this cycle's inputs (drive, out_ready), sample the outputs (in_ready,
 * out), then tick (one rising edge). Records are the parser's metadata bit layout, TW_M_BYTES bytes (bit i of the
 * record = bit i%8 of byte i/8; tw_meta_pack() makes them). Not thread-safe per handle. */
#ifndef TAPWATCH_SIM_STATE_MODEL_H
#define TAPWATCH_SIM_STATE_MODEL_H

#include <stdint.h>

#include "tapwatch/detect.h"
#include "tapwatch/tw_meta.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- digest table ---- */
struct tw_dgm;

/* One result of rtl/tw_digest_table.v (m_axis_tdata fields, docs/engine-state.md). */
struct tw_dg_res {
    uint8_t mirror;    /* the inner digest was found within the window */
    uint8_t looked_up; /* the frame had an inner IP packet */
    uint8_t inserted;  /* the frame had an outer IP header */
    uint8_t replaced;  /* the insert overwrote another digest still inside the window */
    uint64_t tag_in, tag_out;
    uint32_t user;     /* s_axis_tuser of the frame */
};

/* A new model: reset, then clocked until the RAM clear is over (init_done). Window = 100 ms, out_ready = 1.
 * NULL when out of memory. */
struct tw_dgm *tw_dgm_new(void);
void tw_dgm_free(struct tw_dgm *m);
/* Synchronous reset (clears the table: clocks until init_done again). */
void tw_dgm_reset(struct tw_dgm *m);
void tw_dgm_set_window(struct tw_dgm *m, uint64_t ns);
/* s_axis this cycle: bits NULL = idle. */
void tw_dgm_drive(struct tw_dgm *m, const uint8_t *bits, uint32_t user);
int tw_dgm_in_ready(struct tw_dgm *m);
void tw_dgm_out_ready(struct tw_dgm *m, int ready);
/* m_axis_tvalid; fills *r when valid and r is not NULL. */
int tw_dgm_out(struct tw_dgm *m, struct tw_dg_res *r);
void tw_dgm_tick(struct tw_dgm *m);
uint64_t tw_dgm_cycles(const struct tw_dgm *m);
/* HASH_STEP_BITS of the model linked in: 0 = the reference (one-clock CRC trees), S = S bits per clock (the
 * stepping build, sim/state.mk: a record every 448/S clocks per IP header). */
unsigned tw_dgm_hash_step_bits(void);

/* ---- flow table ---- */
struct tw_flm;

/* One per-frame result of rtl/tw_flow_table.v (m_axis_tdata fields): the flow after this frame. */
struct tw_fl_res {
    uint8_t flow;      /* the frame has an outer IP header (all below is 0 otherwise) */
    uint8_t toclient, created, evicted, state, flags_ts, flags_tc;
    uint64_t flow_id, pkts_ts, pkts_tc, bytes_ts, bytes_tc, first_ts, last_ts;
    unsigned bucket, way;
    uint32_t user;
};

struct tw_fl_counters {
    uint64_t created, evicted, sweeps, no_ip;
};

/* A new model: reset, clocked until init_done. Timeouts 60 s / 600 s, both outputs ready. NULL: out of memory. */
struct tw_flm *tw_flm_new(void);
void tw_flm_free(struct tw_flm *m);
void tw_flm_reset(struct tw_flm *m);
void tw_flm_set_timeouts(struct tw_flm *m, uint64_t idle_ns, uint64_t hard_ns);
void tw_flm_drive(struct tw_flm *m, const uint8_t *bits, uint32_t user);
int tw_flm_in_ready(struct tw_flm *m);
void tw_flm_out_ready(struct tw_flm *m, int ready);
int tw_flm_out(struct tw_flm *m, struct tw_fl_res *r);
/* Flow record stream (m_rec): ready, and the record (in the reference's struct) when valid. */
void tw_flm_rec_ready(struct tw_flm *m, int ready);
int tw_flm_rec(struct tw_flm *m, struct tw_flow_rec *r);
/* s_alert takes one verdict per result, in result order (flow records are held until their frame's verdict).
 * manual 0 (the default after tw_flm_new): tw_flm_tick gives a decided-only item for every result taken;
 * manual 1: the caller drives every item with tw_flm_alert. */
void tw_flm_verdicts(struct tw_flm *m, int manual);
/* s_alert (manual mode): an item; set 1: set the alerted bit of flow_id at (bucket, way), 0: decided only; valid 0 =
 * idle. */
void tw_flm_alert(struct tw_flm *m, int valid, int set, unsigned bucket, unsigned way, uint64_t flow_id);
int tw_flm_alert_ready(struct tw_flm *m);
/* flush_req level this cycle (a one-cycle pulse starts a flush); flush_busy. */
void tw_flm_flush_req(struct tw_flm *m, int req);
int tw_flm_flush_busy(struct tw_flm *m);
void tw_flm_counters(struct tw_flm *m, struct tw_fl_counters *c);
void tw_flm_tick(struct tw_flm *m);

#ifdef __cplusplus
}
#endif

#endif
