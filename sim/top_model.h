/* top_model: a C API over the Verilated device top (rtl/tw_top.v), two clocks (core clk, FT245 CLKOUT), pins as
 * plain values. The shim only moves values and sequences clock edges; sim/twdev.c builds the FT2232H chip, the host
 * and the frame driver on top of it. One handle, one model (its own Verilator context). */
#ifndef TAPWATCH_SIM_TOP_MODEL_H
#define TAPWATCH_SIM_TOP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TW_TOP_EDGE_CORE 1u
#define TW_TOP_EDGE_FT 2u

struct tw_top_model;

struct tw_top_beat {
    uint64_t data;
    uint8_t keep, valid, last, user;
};

struct tw_top_ft_out {
    uint8_t d_out, d_oe, rd_n, wr_n, oe_n, siwu_n, rx_overflow;
};

/* Periods in ps. NULL on failure. Starts with both resets on. */
struct tw_top_model *tw_top_model_new(uint32_t core_ps, uint32_t ft_ps);
void tw_top_model_free(struct tw_top_model *m);
void tw_top_model_reset(struct tw_top_model *m, int on);
/* Which clocks rise at the next edge (TW_TOP_EDGE_* mask), without advancing; tw_top_model_edge performs it. */
unsigned tw_top_model_next(const struct tw_top_model *m);
unsigned tw_top_model_edge(struct tw_top_model *m);
uint64_t tw_top_model_time_ps(const struct tw_top_model *m);

/* Ingress port 0 (A) / 1 (B): the beat presented (NULL = idle); its tready with the current inputs. */
void tw_top_model_in_set(struct tw_top_model *m, unsigned port, const struct tw_top_beat *b);
int tw_top_model_in_ready(struct tw_top_model *m, unsigned port);
/* Egress port eport (A = 0: what came in on B): tready and this clock's beat. */
void tw_top_model_out_ready(struct tw_top_model *m, unsigned eport, int ready);
void tw_top_model_out_get(struct tw_top_model *m, unsigned eport, struct tw_top_beat *b);

void tw_top_model_ft_get(struct tw_top_model *m, struct tw_top_ft_out *o);
void tw_top_model_ft_set(struct tw_top_model *m, int rxf_n, int txe_n, uint8_t d_in);

void tw_top_model_sim_ts(struct tw_top_model *m, int valid, uint64_t ts_ns);
void tw_top_model_flush(struct tw_top_model *m, int on);
int tw_top_model_flush_busy(struct tw_top_model *m);
int tw_top_model_init_done(struct tw_top_model *m);
/* sim_hold: records are waiting for the detection pipeline (a pacing driver starts no new frame). */
int tw_top_model_hold(struct tw_top_model *m);

/* The detection input (tw_top's parser-merge output `meta` into tw_detect), observed at every core clock edge:
 * records taken (valid and ready) and stall clocks (a record waiting: valid, not ready = sim_hold), counted from
 * the model's creation; and, when a trace buffer is given, the (port, fseq) of each record taken in the order the
 * merge emitted it, entry = port << 32 | fseq, the first cap of them from now on (buf NULL: no trace). Read-only
 * observation: the device runs exactly as without it. The buffer must outlive the trace (or be replaced first). */
void tw_top_model_merge_trace(struct tw_top_model *m, uint64_t *buf, size_t cap);
/* Records taken since creation, entries written to the trace buffer, stall clocks since creation. */
void tw_top_model_merge_stats(const struct tw_top_model *m, uint64_t *records, size_t *traced, uint64_t *stalls);

#ifdef __cplusplus
}
#endif

#endif
