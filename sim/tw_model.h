/* tw_model: a C API over the Verilated tap + parser top (rtl/tw_tap_parse_top.v), one clock at a time.
 *
 * Cycle protocol (AXI-Stream semantics, one call sequence per clock):
 *   1. set this cycle's inputs: tw_model_drive() per ingress port, tw_model_out_ready(), tw_model_meta_ready(),
 *      tw_model_set_ts(), tw_model_set_cnt_addr();
 *   2. sample the outputs, which reflect those inputs: tw_model_in_ready(), tw_model_out(), tw_model_meta();
 *      a beat moves on the next edge when its valid and ready are both 1 now;
 *   3. tw_model_tick(): one rising clock edge. Inputs stay as set until changed.
 * The getters evaluate the model lazily when an input changed, so sampling costs nothing extra.
 *
 * Ports: TW_PORT_A = 0, TW_PORT_B = 1. Ingress is addressed by ingress port (s_axis_a / s_axis_b). Egress is
 * addressed by EGRESS port: m_axis_b carries what came in on A, m_axis_a what came in on B (tw_model_fwd_port()).
 * Not thread-safe per handle; separate handles are independent (no global state besides Verilator's context,
 * which each handle owns).
 */
#ifndef TAPWATCH_SIM_TW_MODEL_H
#define TAPWATCH_SIM_TW_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_meta.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TW_PORT_A 0u
#define TW_PORT_B 1u

/* One 64-bit AXI-Stream beat. data byte k (k = 0 first on the wire) is bits 8k+7..8k; keep bit k marks byte k. */
struct tw_beat {
    uint64_t data;
    uint8_t keep;
    uint8_t valid;
    uint8_t last;
    uint8_t user; /* the MAC's bad-frame flag (meaningful on the last beat) */
};

struct tw_model;

/* A new model, held in reset for 4 cycles, then configured with the defaults: forwarding mode (monitor 0),
 * MTU 9600, L2TPv3 cookie 0, ts 0, all ingress idle, egress and meta ready 1. NULL when out of memory.
 * trace_path: NULL, or an FST/VCD file to write a waveform to (only in a model built with TW_MODEL_TRACE;
 * otherwise a non-NULL path makes tw_model_new fail with NULL). */
struct tw_model *tw_model_new(const char *trace_path);
void tw_model_free(struct tw_model *m);

/* Synchronous reset for `cycles` clocks (at least 1); ingress inputs are forced idle during it. Configuration
 * inputs keep their values. Counters, fseq and the cycle count (tw_model_cycles) restart at 0. */
void tw_model_reset(struct tw_model *m, unsigned cycles);

/* Configuration inputs (registers on the board): monitor-only mode, MTU in bytes, L2TPv3 cookie bytes (0/4/8). */
void tw_model_config(struct tw_model *m, int monitor, unsigned mtu, unsigned l2tp_cookie);

/* The free-running time input in ns (the parser samples it at the start of each frame). */
void tw_model_set_ts(struct tw_model *m, uint64_t ts_ns);

/* Ingress port `port`: the beat presented this cycle (b->valid 0 or b NULL = idle). */
void tw_model_drive(struct tw_model *m, unsigned port, const struct tw_beat *b);
/* s_axis_<port>_tready this cycle. */
int tw_model_in_ready(struct tw_model *m, unsigned port);

/* Egress port `eport`: set m_axis_<eport>_tready; read this cycle's beat into *b (b->valid tells). */
void tw_model_out_ready(struct tw_model *m, unsigned eport, int ready);
void tw_model_out(struct tw_model *m, unsigned eport, struct tw_beat *b);
/* The egress port that forwards what came in on ingress port `port` (A -> B, B -> A). */
static inline unsigned tw_model_fwd_port(unsigned port) { return port ^ 1u; }

/* Metadata stream: set m_meta_tready; tw_model_meta() returns m_meta_tvalid and, when bits is not NULL, copies
 * the record as TW_M_BYTES bytes (bit i of the record = bit i%8 of byte i/8; decode with tw_meta_unpack). */
void tw_model_meta_ready(struct tw_model *m, int ready);
int tw_model_meta(struct tw_model *m, uint8_t *bits);

/* Counter port: the address (port * TW_CNT_PER_PORT + index) is registered on the next tick; the data is valid
 * after TW_MODEL_CNT_READ_CLOCKS ticks (rtl/tw_counters.v reads in three). tw_model_counter() does all: it sets the
 * address, runs those clocks with the inputs as they are, and returns the data; call it when ingress is idle if
 * those clocks matter. */
#define TW_MODEL_CNT_READ_CLOCKS 3
void tw_model_set_cnt_addr(struct tw_model *m, unsigned addr);
uint64_t tw_model_cnt_data(struct tw_model *m);
uint64_t tw_model_counter(struct tw_model *m, unsigned port, unsigned index);

/* One rising clock edge. */
void tw_model_tick(struct tw_model *m);
/* Clock edges since creation or the last reset (reset cycles not counted). */
uint64_t tw_model_cycles(const struct tw_model *m);

#ifdef __cplusplus
}
#endif

#endif
