/* engine_model: a C API over the Verilated detection engine match path (rtl/tw_engine.v), docs/engine.md.
 *
 * The shim queues what the tests give it and plays it into the model clock by clock with AXI-Stream handshakes:
 *   - records (struct tw_meta + the mirror-copy bit), each offered no earlier than `gap` clocks after the previous
 *     record was accepted (gap 4 = one record every 4 clocks, the line rate of two ports of 64-byte frames);
 *   - table commands (table id, index, packed entry) and commits, each issued no earlier than a given number of
 *     accepted records (so table updates can be placed while frames flow);
 *   - results, collected with the accept and delivery clock of their record (pipeline latency).
 * One handle, one model; no global state besides the Verilated context each handle owns. Not thread-safe. */
#ifndef TAPWATCH_SIM_ENGINE_MODEL_H
#define TAPWATCH_SIM_ENGINE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/tw_meta.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Table ids of the engine's table port (= the image's section ids) and the commit command. */
#define TW_ENG_T_SETTINGS 1u
#define TW_ENG_T_OUI 2u
#define TW_ENG_T_PREFIX 3u
#define TW_ENG_T_PORT 4u
#define TW_ENG_T_RULE 5u
#define TW_ENG_T_COMMIT 6u
/* The hardware's OUI buckets per way (rtl/tw_engine.v OUI_BUCKETS). */
#define TW_ENG_OUI_BUCKETS 2048u

/* One per-frame result (m_res, layout in docs/engine.md). */
struct tw_eng_result {
    uint64_t ts;
    uint32_t fseq;
    uint16_t len;
    uint8_t port;
    uint8_t mirror;
    uint8_t vs[4];       /* vendor sets: outer src MAC, outer dst MAC, inner src MAC, inner dst MAC */
    uint8_t n;           /* alert rules selected, 0..8 */
    uint8_t idx[8];      /* their rule indices, in rule order */
    uint16_t overflow;   /* alert matches beyond 8 */
    uint16_t matches;    /* matching rules (alert and pass) */
    uint16_t suppressed; /* alert matches suppressed by an earlier matching pass rule */
    uint8_t bank;        /* the rule bank the frame was matched with */
    uint8_t alerts[32];  /* the match vector (every matching rule, alert and pass): bit r = byte r / 8, bit r % 8 */
    uint64_t seq;        /* the record's number in push order, from 0 */
    uint64_t t_in;       /* clock at which the record was accepted */
    uint64_t t_out;      /* clock at which the result was delivered */
};

struct tw_eng_counters {
    uint64_t frames, results, no_ip, mirror, matches, alerts, overflow, suppressed;
    uint32_t wr_ok, wr_bad, commits, res_lost;
};

struct tw_eng;

/* A new model after a reset. NULL when out of memory. */
struct tw_eng *tw_eng_new(void);
void tw_eng_free(struct tw_eng *e);

/* Queues a record; offered `gap` clocks or more after the previous record was accepted. 0 or -1 (no memory). */
int tw_eng_push(struct tw_eng *e, const struct tw_meta *m, int mirror, unsigned gap);
/* Queues a table command (bits: the packed entry, nbytes of it, at most 53) issued once `after` records have been
 * accepted. 0 or -1. */
int tw_eng_table(struct tw_eng *e, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes,
                 uint64_t after);
/* m_res_tready pattern: ready on `on` clocks out of every `period` (period 0: always ready). */
void tw_eng_res_ready(struct tw_eng *e, unsigned on, unsigned period);

/* Runs until every queued record and command went in and every result came out, or max_cycles clocks passed.
 * 0, or -1 on the timeout. */
int tw_eng_run(struct tw_eng *e, uint64_t max_cycles);
/* Runs exactly n clocks. */
void tw_eng_step(struct tw_eng *e, uint64_t n);

/* The results so far (the array belongs to the handle; valid until the next run or clear). */
size_t tw_eng_results(const struct tw_eng *e, const struct tw_eng_result **r);
void tw_eng_clear_results(struct tw_eng *e);
void tw_eng_counters(const struct tw_eng *e, struct tw_eng_counters *c);
/* Clocks in which a record was offered (its gap had passed) but s_meta_tready was low. */
uint64_t tw_eng_meta_stalls(const struct tw_eng *e);
uint64_t tw_eng_cycles(const struct tw_eng *e);
/* The active rule bank (0/1). */
int tw_eng_bank(const struct tw_eng *e);

/* ---- loading a compiled image (sim/engine_load.c) ---- */
struct tw_tables;
#define TW_ENG_LOAD_SETTINGS 1u
#define TW_ENG_LOAD_OUI 2u
#define TW_ENG_LOAD_PREFIX 4u
#define TW_ENG_LOAD_PORT 8u
#define TW_ENG_LOAD_RULES 16u  /* every rule slot into the shadow bank */
#define TW_ENG_LOAD_COMMIT 32u
#define TW_ENG_LOAD_ALL 63u
/* Queues the table commands that load `what` of t (every entry of each table, so stale entries are cleared),
 * issued once `after` records were accepted. OUI entries are moved to the hardware index
 * ((way * TW_ENG_OUI_BUCKETS) + bucket) * 2 + slot. A PFX_SEARCH build (TW_ENG_PI_ENTRIES defined) gets the prefix
 * table as its interval table instead (tw_pfx_intervals, table TW_TBL_PFX_IV, every entry of the shadow bank; the
 * commit switches it with the rules). 0, or -1 (no memory, oui_buckets above the hardware's, or more intervals
 * than the table holds). */
int tw_eng_load(struct tw_eng *e, const struct tw_tables *t, unsigned what, uint64_t after);
/* Interval table entries a bank of this build: TW_ENG_PI_ENTRIES, or 0 (the prefix table). */
unsigned tw_eng_pi_entries(void);
/* The same for any model with the engine's table port: put() queues one command (as tw_eng_table); pi_entries as
 * tw_eng_pi_entries of the model's engine. */
typedef int (*tw_tbl_put_fn)(void *ctx, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes,
                             uint64_t after);
int tw_tbl_load(tw_tbl_put_fn put, void *ctx, const struct tw_tables *t, unsigned what, unsigned pi_entries,
                uint64_t after);

#ifdef __cplusplus
}
#endif
#endif
