/* The software reference detector: the detection semantics of the RTL engine, in C, over parser records.
 *
 * Input is ONLY what the hardware engine sees: one struct tw_meta per frame (tw_dissect() or the RTL parser) plus
 * the frame's first bytes for evidence. Every table has the fixed geometry of docs/detection.md; time is the
 * frames' timestamps, never the wall clock, so the output is a pure function of the input.
 *
 * Usage: tw_detect_params_default(&p); adjust; tw_detector_create(&d, &p, tables, &sink);
 * tw_detector_frame() per frame; tw_detector_finish() at end of input (emits the remaining flows);
 * tw_detector_stats() for the counters; tw_detector_destroy(). Not thread-safe; one handle per stream. */
#ifndef TAPWATCH_DETECT_H
#define TAPWATCH_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tapwatch/meta.h"

struct tw_tables;
struct tw_detector;

/* Geometry and settings. The defaults are the reference hardware's values. */
struct tw_detect_params {
    unsigned flow_buckets;     /* power of two; 4096 */
    unsigned flow_ways;        /* 1..8; 4 (16,384 flows) */
    uint64_t flow_idle_ns;     /* idle timeout; 60 s */
    uint64_t flow_hard_ns;     /* hard timeout from the flow's first packet; 600 s */
    unsigned sweep_every;      /* the background sweep visits one bucket every this many frames; 1 */
    unsigned digest_sets;      /* power of two; 8192 */
    unsigned digest_ways;      /* 1..8; 2 (16,384 digests) */
    uint64_t mirror_window_ns; /* a copy's original must be at most this old; 100 ms */
    unsigned state_buckets;    /* threshold/volume state, power of two; 1024 */
    unsigned state_ways;       /* 1..8; 4 (4,096 keys) */
    unsigned evidence_bytes;   /* 0..128 frame bytes carried with each alert; 0 */
    unsigned fcs_bytes;        /* bytes of FCS included in meta.len (0 for captures, 4 if the MAC keeps it) */
    uint32_t rate_per_s;       /* per-rule alert rate limit (token bucket, GCRA); 0 = unlimited; 1000 */
    uint32_t rate_burst;       /* bucket depth in alerts; 1000 */
    unsigned max_alerts;       /* alerts per frame, 1..8; 8 */
};

#define TW_DETECT_MAX_ALERTS 8
#define TW_DETECT_MAX_EVIDENCE 128
#define TW_DETECT_MAX_WAYS 8

void tw_detect_params_default(struct tw_detect_params *p);

/* Fills p from the compiled image's detector settings (mirror window, flow timeout, evidence bytes, ...),
 * leaving the geometry at its current values. */
void tw_detect_params_from_tables(struct tw_detect_params *p, const struct tw_tables *t);

enum tw_flow_state { TW_FLOW_NEW = 0, TW_FLOW_ESTABLISHED = 1, TW_FLOW_CLOSED = 2 };
enum tw_flow_reason { TW_FLOW_TIMEOUT = 0, TW_FLOW_HARD_TIMEOUT = 1, TW_FLOW_EVICTED = 2, TW_FLOW_SHUTDOWN = 3 };
const char *tw_flow_state_name(unsigned s);
const char *tw_flow_reason_name(unsigned r);

/* A flow record, emitted when a flow times out, is evicted, or at end of input. Client = first sender. */
struct tw_flow_rec {
    uint64_t flow_id;
    uint8_t ip_ver;
    uint8_t proto;
    uint16_t vlan;       /* outer VLAN id, 0 when untagged */
    uint8_t cli_ip[16];  /* ::a.b.c.d for IPv4, as in struct tw_meta */
    uint8_t srv_ip[16];
    uint16_t cli_port, srv_port;
    uint64_t pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient;
    uint64_t first_ts, last_ts; /* ns */
    uint8_t tcp_flags_ts, tcp_flags_tc;
    uint8_t state;  /* enum tw_flow_state */
    uint8_t reason; /* enum tw_flow_reason */
    uint8_t alerted;
};

/* One alert, as the detector raises it; the EVE writer (eve.h) turns it into an event. */
struct tw_det_alert {
    const struct tw_meta *m;
    const uint8_t *frame; /* the frame's bytes as given to tw_detector_frame */
    size_t caplen;
    uint64_t pcap_cnt;
    uint64_t flow_id;   /* 0 when the frame has no outer IP header */
    unsigned rule;      /* index of the rule in the tables */
    uint8_t inner;      /* the rule matched the inner packet (addresses/ports of the alert are inner) */
    uint8_t mirror_copy; /* the frame was found to be a mirror copy */
};

struct tw_detect_sink {
    void *ctx;
    void (*alert)(void *ctx, const struct tw_det_alert *a); /* may be NULL */
    void (*flow)(void *ctx, const struct tw_flow_rec *f);   /* may be NULL */
};

/* Counters: every frame and every drop is counted somewhere. */
struct tw_detect_stats {
    uint64_t frames, bytes;
    uint64_t err[TW_ERR_COUNT];   /* frames with each parser error bit */
    uint64_t frames_err;          /* frames with any error bit */
    uint64_t no_ip;               /* frames without an outer IP header (no flow, no digest) */
    uint64_t tunnelled;           /* frames with an inner packet */
    uint64_t flows_created, flows_timeout, flows_hard_timeout, flows_evicted, flows_shutdown;
    uint64_t flows_active;        /* at the time of the call */
    uint64_t sweep_steps;
    uint64_t digest_inserts, digest_replaced; /* replaced: a live (in-window) digest was overwritten */
    uint64_t digest_lookups, mirror_copies;
    uint64_t state_full;          /* threshold/volume key found no free way: the rule alerted (errs toward alerting) */
    uint64_t rule_matches;        /* rule matches before thresholds */
    uint64_t alerts;              /* alerts emitted */
    uint64_t alerts_overflow;     /* alerts beyond max_alerts in one frame, dropped */
    uint64_t alerts_rate_limited; /* sum over rules */
    uint64_t alerts_thresholded;  /* matches that thresholds/volume held back */
    uint64_t pass_suppressed;     /* alerts suppressed by an earlier matching pass rule */
    uint64_t frames_alerted;
};

/* Creates a detector over the compiled tables (kept by pointer: they must outlive the detector).
 * Returns 0, TW_ERR_INVAL for bad parameters, TW_ERR_NOMEM. */
int tw_detector_create(struct tw_detector **out, const struct tw_detect_params *p, const struct tw_tables *t,
                       const struct tw_detect_sink *sink);
void tw_detector_destroy(struct tw_detector *d);

/* Runs one frame: flows, digests, rules, alerts. frame/caplen: the captured bytes (evidence only; may be NULL
 * when evidence_bytes is 0). pcap_cnt: the frame's number in the input (1-based). Returns the number of alerts. */
int tw_detector_frame(struct tw_detector *d, const struct tw_meta *m, const uint8_t *frame, size_t caplen,
                      uint64_t pcap_cnt);

/* End of input: emits every remaining flow (reason shutdown). The detector can go on afterwards. */
void tw_detector_finish(struct tw_detector *d);

void tw_detector_stats(const struct tw_detector *d, struct tw_detect_stats *s);
/* Per-rule counters (arrays of the tables' rule count): alerts emitted, rate-limited alerts, matches. */
const uint64_t *tw_detector_rule_alerts(const struct tw_detector *d);
const uint64_t *tw_detector_rule_limited(const struct tw_detector *d);
const uint64_t *tw_detector_rule_matches(const struct tw_detector *d);
const struct tw_tables *tw_detector_tables(const struct tw_detector *d);

/* The mirror-copy digest of one layer of m (inner != 0: the i_* fields), the 64-bit tag {CRC-32C, CRC-32} of the
 * 56-byte vector of docs/detection.md. Returns 0 and leaves *tag when that layer has no IP header. Exposed for the
 * RTL tests and for tests. */
int tw_detector_digest(const struct tw_detector *d, const struct tw_meta *m, int inner, uint64_t *tag);

/* ---- capture analysis (host/src/analyze.c): captures through libpcap, tw_dissect(), the detector, EVE ----
 * The frame loop of `tapwatch analyze`: streams each capture (never loads it), numbers frames across all captures
 * (pcap_cnt, from 1), writes alert and flow events as they happen and a stats event at the end. */
struct tw_analyze;
struct tw_analyze_opts {
    const struct tw_tables *tables;  /* kept by pointer */
    struct tw_detect_params params;
    FILE *eve;                       /* EVE output; NULL: none */
    const char *pcap_out;            /* evidence capture (needs params.evidence_bytes > 0); NULL: none */
};
/* 0, TW_ERR_INVAL (message in err), TW_ERR_IO (pcap_out cannot be created), TW_ERR_NOMEM. */
int tw_analyze_open(struct tw_analyze **out, const struct tw_analyze_opts *o, char *err, size_t errlen);
/* Runs one capture (pcap or pcapng, Ethernet link type). Frames read before an error are analysed and counted.
 * 0, TW_ERR_IO (cannot open or read: message in err), TW_ERR_UNSUPPORTED (not Ethernet: file skipped, counted). */
int tw_analyze_file(struct tw_analyze *a, const char *path, char *err, size_t errlen);
/* End of input: remaining flows, then the stats event. 0 or TW_ERR_IO when an output failed. */
int tw_analyze_finish(struct tw_analyze *a, char *err, size_t errlen);
void tw_analyze_close(struct tw_analyze *a);
uint64_t tw_analyze_alerts(const struct tw_analyze *a);
const struct tw_detector *tw_analyze_detector(const struct tw_analyze *a);

#endif
