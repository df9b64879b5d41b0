/* twsim: frame-level driving of the Verilated tap + parser (sim/tw_model.h), for tapwatch-sim, tests and benches.
 *
 * Push frames on ingress port A or B; twsim splits them into 64-bit beats, presents them (optionally with random
 * tvalid gaps), applies random egress and metadata back-pressure from a seeded PRNG (runs are deterministic for a
 * given seed and push sequence), checks every forwarded frame beat by beat against what went in (data bytes under
 * tkeep, tkeep, tlast, tuser), measures the forwarding latency, and collects the metadata records decoded with
 * tw_meta_unpack.
 *
 * Record <-> frame: the RTL numbers frames per ingress port from 0 after reset (fseq, counting every frame received,
 * whether or not its detection copy was dropped); twsim keeps the tag given at push for each (port, fseq).
 * Errors are negative errno values. No global state; one handle = one model.
 */
#ifndef TAPWATCH_SIM_TWSIM_H
#define TAPWATCH_SIM_TWSIM_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/meta.h"
#include "tw_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TWSIM_MAX_FRAME 262144u /* longest frame twsim accepts (libpcap's largest snapshot); the record's 16-bit
                                  * len saturates at 65535 above that */

struct twsim_cfg {
    uint64_t seed;         /* PRNG seed for gaps and back-pressure */
    unsigned gap_pct;      /* 0..100: chance per cycle that a port with a beat to send holds tvalid low instead */
    unsigned out_bp_pct;   /* 0..100: chance per cycle that each egress tready is low (100 = never ready) */
    unsigned meta_bp_pct;  /* 0..100: chance per cycle that m_meta_tready is low (100 = never ready) */
    int monitor;           /* cfg_monitor: 1 = monitor-only (no egress expected) */
    unsigned mtu;          /* cfg_mtu (default 9600) */
    unsigned l2tp_cookie;  /* cfg_l2tp_cookie: 0, 4 or 8 */
    int serial;            /* 1: frames enter one at a time in push order across both ports (a frame starts only
                            * after the previous one's last beat was accepted); 0: ports run independently */
    int keep_records;      /* 1: keep decoded records (twsim_records); 0: only count them */
    int keep_egress;       /* 1: keep forwarded frames (twsim_egress); 0: only check and count them */
    int ts_clock;          /* 1: the model's ts input is the cycle number on every cycle (the frames' ts_ns are not
                            * used), so a record's ts says on which cycle its frame's first beat was sampled */
    unsigned quiet_cycles; /* twsim_run ends after this many cycles without any transfer once all frames went in
                            * (default 2000) */
    const char *trace;     /* waveform file (model built with tracing only), or NULL */
};

/* A collected metadata record. */
struct twsim_rec {
    struct tw_meta m;
    uint64_t tag;   /* tag given to twsim_push for the frame (port, fseq); UINT64_MAX if unknown */
    uint64_t cycle; /* cycle on which it was accepted */
    uint64_t in_cycle; /* cycle on which its frame's first beat was accepted (UINT64_MAX if unknown) */
};

/* A forwarded frame as seen on the egress port (only when keep_egress). */
struct twsim_frame {
    unsigned port;  /* INGRESS port it came in on (it left on the other one) */
    uint64_t tag;
    uint8_t *data;  /* len bytes (the bytes under tkeep) */
    size_t len;
    int user;       /* tuser on the last beat */
};

struct twsim_stats {
    uint64_t cycles;                /* clocks run by twsim (twsim_run, twsim_step, twsim_counter) */
    uint64_t in_frames[2], in_bytes[2], in_beats[2]; /* accepted on ingress, per ingress port */
    uint64_t in_stall[2];           /* cycles a beat was presented and tready was low */
    uint64_t in_gap[2];             /* cycles tvalid was held low on purpose (gap_pct) */
    uint64_t out_frames[2], out_bytes[2], out_beats[2]; /* forwarded, per INGRESS port */
    uint64_t out_bad[2];            /* forwarded frames that differ from what went in, or that came unexpected */
    uint64_t records[2];            /* metadata records per ingress port (record's port field) */
    uint64_t rec_bad;               /* records whose (port, fseq) matched no pushed frame or whose len differs
                                     * (compared saturated at 65535) */
    uint64_t lat_min, lat_max;      /* ingress-accept to egress-valid latency of first beats, in cycles (no
                                     * back-pressure: the tap's fixed latency); lat_min = UINT64_MAX if none */
    uint64_t first_in_cycle[2], last_in_cycle[2]; /* cycle of the first and last accepted ingress beat */
};

struct twsim;

void twsim_cfg_default(struct twsim_cfg *c);
/* Creates the model, applies cfg (NULL = defaults), resets it and runs 2 idle clocks (registered readies settle).
 * 0, -ENOMEM, -EINVAL (bad cfg, or a trace file asked of a model built without tracing). */
int twsim_new(struct twsim **out, const struct twsim_cfg *cfg);
void twsim_free(struct twsim *s);
/* The underlying model, for tests that drive signals directly (do not mix with frames in flight). */
struct tw_model *twsim_model(struct twsim *s);

/* Changes the random gap and back-pressure rates (0..100 each, clamped) from the next clock on. */
void twsim_set_rates(struct twsim *s, unsigned gap_pct, unsigned out_bp_pct, unsigned meta_bp_pct);

/* Queues a copy of a frame for ingress port (TW_PORT_A/B). tuser is raised on its last beat. ts_ns is put on the
 * model's ts input while the frame's first beat is presented (if both ports start a frame in the same cycle, port
 * A's ts wins; use serial mode for exact per-frame stamps). Returns 0, -EINVAL (port, len 0 or >
 * TWSIM_MAX_FRAME), -ENOMEM. */
int twsim_push(struct twsim *s, unsigned port, const uint8_t *frame, size_t len, int tuser, uint64_t ts_ns,
               uint64_t tag);
/* Frames queued or partly sent on ingress, over both ports. */
size_t twsim_pending(const struct twsim *s);

/* One clock. */
void twsim_step(struct twsim *s);
/* Runs until every queued frame went in and then nothing moved for quiet_cycles clocks (egress and records
 * drained) or, when every forwarded frame and every record came back, at once. 0, or -ETIMEDOUT when max_cycles
 * (0 = no limit) ran out first, ingress made no progress for quiet_cycles (a hang), or outputs kept moving for
 * 100 * quiet_cycles after the last frame went in (a babbling model). */
int twsim_run(struct twsim *s, uint64_t max_cycles);

/* Reads a counter (contracts/counters.def) through the counter port: TW_MODEL_CNT_READ_CLOCKS clocks with ingress idle.
 * -EBUSY while a frame is partly sent, -EINVAL for a bad port/index. */
int twsim_counter(struct twsim *s, unsigned port, unsigned index, uint64_t *val);

const struct twsim_stats *twsim_stats(const struct twsim *s);
/* Collected records/forwarded frames in arrival order (valid until the next twsim call that runs clocks or
 * clears; the caller may reorder the records, e.g. sort them by tag); twsim_clear drops them (counts in the stats
 * stay). */
struct twsim_rec *twsim_records(struct twsim *s, size_t *n);
const struct twsim_frame *twsim_egress(const struct twsim *s, size_t *n);
void twsim_clear(struct twsim *s);

#ifdef __cplusplus
}
#endif

#endif
