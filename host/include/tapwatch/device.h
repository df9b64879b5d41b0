/* libtapwatch device API: one handle per tapwatch board (or simulated board), reached over USB (an FTDI FT2232H /
 * FT232H in synchronous FIFO mode, driven with libusb-1.0) or over a Unix socket to `tapwatch-sim serve`.
 * Protocol: docs/protocol.md; API guide, backends and error handling: docs/host.md.
 *
 * Errors: every function that can fail returns 0 (or a count) or a negative TW_ERR_* code (tapwatch/error.h;
 * tw_strerror names it). A device that goes away gives TW_ERR_NODEV from then on; a command or read that gets no
 * answer in time gives TW_ERR_TIMEOUT; a command the device answers with a status other than OK gives
 * TW_ERR_DEVICE (tw_dev_last_status says which).
 *
 * Threads: a handle is NOT thread-safe. Use it from one thread at a time (the library takes no locks); separate
 * handles are independent (no global state, each USB handle has its own libusb context). The callback API runs
 * the user's callback on the calling thread, inside tw_dev_stream: the USB backend keeps several bulk IN transfers
 * in flight and runs libusb's event loop on that thread only while a tapwatch call is active. Records that arrive
 * while a command waits for its answer are queued (bounded; overflow is counted in queue_drops), never lost
 * silently. */
#ifndef TAPWATCH_DEVICE_H
#define TAPWATCH_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/detect.h"
#include "tapwatch/error.h"
#include "tapwatch/proto.h"
#include "tapwatch/tw_alert_rec.h"
#include "tapwatch/tw_flow_rec.h"
#include "tapwatch/tw_pfx_iv_entry.h"

struct tw_dev;
struct tw_tables;
struct tw_eve_alert;

/* ---- opening ----
 * spec: "usb"                     first FTDI device of a known VID:PID (0403:6010 FT2232H interface A,
 *                                 0403:6014 FT232H)
 *       "usb:serial=XYZ"          ... with that serial number string
 *       "usb:bus=1,addr=4"        ... at that bus number and device address
 *       "usb:vid=0x0403,pid=0x6010[,serial=...]"   other IDs (options combine, separated by commas)
 *       "sim:/path/to.sock"       a Unix stream socket served by `tapwatch-sim serve` (raw byte streams)
 * Returns 0 and a handle in *out; TW_ERR_INVAL (malformed spec), TW_ERR_NODEV (nothing matches, or the device
 * cannot be opened: permissions, claimed by another program), TW_ERR_NOMEM, TW_ERR_IO. */
int tw_open(struct tw_dev **out, const char *spec);
void tw_close(struct tw_dev *d);

/* A custom byte transport (tests, other bridges). The library calls:
 *   write: send all n bytes within timeout_ms; 0 or a negative TW_ERR_*;
 *   read:  up to cap bytes of the device's stream (FTDI status bytes already removed), waiting at most
 *          timeout_ms for the first; returns the count, 0 when nothing came in time, or a negative TW_ERR_*;
 *   close: release ctx (may be NULL).
 * A read that returns 0 tells the library the stream paused (the decoder then gives up incomplete frames). */
struct tw_dev_ops {
    int (*write)(void *ctx, const uint8_t *p, size_t n, int timeout_ms);
    int (*read)(void *ctx, uint8_t *p, size_t cap, int timeout_ms);
    void (*close)(void *ctx);
};
/* Like tw_open on a transport of one's own; name describes it (copied). On failure ops->close(ctx) is called. */
int tw_open_ops(struct tw_dev **out, const struct tw_dev_ops *ops, void *ctx, const char *name);

/* "usb 1-4 0403:6010 serial FT4ABC", "sim /tmp/x.sock", ... */
const char *tw_dev_name(const struct tw_dev *d);
/* Time a command waits for its answer (default 1000 ms; 1..600000). TW_ERR_INVAL otherwise. */
int tw_dev_set_timeout(struct tw_dev *d, int ms);
/* How long the stream may pause in the middle of a link frame before that frame is given up as cut short (counted
 * as truncated, the stream resynchronised): default 40 ms (USB; a board sends a frame in well under a millisecond),
 * 0 = never (the sim: backend's default: its socket loses no byte). 0..600000; TW_ERR_INVAL otherwise. A simulated
 * USB device (umockdev) can pause longer on a loaded machine: its tests raise it. */
int tw_dev_set_pause(struct tw_dev *d, int ms);
/* Status of the last DEV_RESP that was not OK (TW_ST_*; 0 when the last command succeeded). */
unsigned tw_dev_last_status(const struct tw_dev *d);

/* ---- commands (each waits for its answer) ----
 * Counts are split into as many frames as needed (64 registers, 254 words or 64 counters per frame). */
int tw_reg_read(struct tw_dev *d, uint16_t addr, uint32_t *vals, unsigned count);
int tw_reg_write(struct tw_dev *d, uint16_t addr, const uint32_t *vals, unsigned count);
int tw_dev_table_write(struct tw_dev *d, uint8_t table, uint32_t index, const uint32_t *words, unsigned count);
int tw_dev_commit(struct tw_dev *d, uint32_t mask);
int tw_dev_time_set(struct tw_dev *d, uint64_t ns);
/* Flushes the device's flow table: every live flow leaves as a flow record with reason shutdown (the end of a
 * capture on a board; the simulation's end of input does the same). Sets REG_CONTROL's CTRL_FLUSH bit (its 0 -> 1
 * transition starts the flush) and clears it again, keeping the other control bits; REG_STATUS bit 2 is set while
 * the flush runs. The records then arrive as events. TW_ERR_UNSUPPORTED from a device without a flow table
 * (REG_CAP_FLOWS = 0: a board built without detection), which is left untouched. */
int tw_dev_flush(struct tw_dev *d);
/* The device's table geometry, for a reference detector that must behave as the device (tw_detector_create): the flow,
 * digest and state tables' buckets and ways from REG_CAP_FLOW_GEOM, _DIGEST_GEOM and _STATE_GEOM into p (its other
 * fields untouched), and the parser's head bytes (REG_CAP_HDR_BYTES) into *hdr_bytes (may be NULL). TW_ERR_UNSUPPORTED
 * from a device without detection (the registers read 0) or from one older than these registers (it refuses their
 * read as unmapped: BAD_ADDR); nothing is written then. TW_ERR_DEVICE for a value no device builds (ways outside
 * 1..8, more than 2^24 buckets, a head of 0 or over 4096 bytes). */
int tw_dev_geometry(struct tw_dev *d, struct tw_detect_params *p, unsigned *hdr_bytes);
/* Counters base..base+count-1 (any count, split into snapshots of 64) and the device time of the first snapshot
 * (time_ns may be NULL). */
int tw_dev_counters(struct tw_dev *d, uint16_t base, unsigned count, uint64_t *vals, uint64_t *time_ns);
/* Per-rule counters of rules first..first+n-1 (rule = index in the rule table, as tw_alert_rec.rule), counted as the
 * reference detector counts them for its EVE stats rules[] (contracts/counters.def CNT_RULE_*): matches (alert and
 * pass rules, suppressed, thresholded, rate-limited and cut matches included), alerts (records made) and
 * rate_limited. Read from the counter window at CNT_RULE_BASE + CNT_RULE_STRIDE * rule in snapshots of 16 rules;
 * time_ns (may be NULL) is the device time of the first snapshot. TW_ERR_INVAL for bad arguments (n = 0,
 * first + n > TW_CAP_RULES); TW_ERR_DEVICE from a device without them (REG_CAP_CNT <= CNT_RULE_BASE: the
 * snapshot is refused). */
struct tw_dev_rule_cnt {
    uint64_t matches, alerts, rate_limited;
};
int tw_dev_rule_counters(struct tw_dev *d, unsigned first, unsigned n, struct tw_dev_rule_cnt *out,
                         uint64_t *time_ns);

/* ---- table loading (docs/protocol.md "Table loading") ----
 * Table ids are the image's section ids, plus TW_TBL_PFX_IV (7, tapwatch/tw_pfx_iv_entry.h): the prefix table
 * converted to an interval table (tw_pfx_intervals, docs/tables.md "Prefix intervals (table 7)"). */
enum { TW_TBL_SETTINGS = 1, TW_TBL_OUI = 2, TW_TBL_PREFIX = 3, TW_TBL_PORT = 4, TW_TBL_RULE = 5 };
/* Words per entry of a table id (ceil(width / 32): TW_TBL_PFX_IV 6), 0 for an unknown id. */
unsigned tw_tbl_words(unsigned table);
/* Packs entry `index` of table `table` of t into words (tw_tbl_words of them): word i = bits 32i+31..32i of the
 * contract vector. Rules at or beyond settings.n_rules are written invalid. TW_ERR_INVAL for a bad id or index
 * (TW_TBL_PFX_IV included: its entries are not t's but tw_pfx_intervals'; same word order, entry i at i * 6). */
int tw_tbl_entry_words(const struct tw_tables *t, unsigned table, unsigned index, uint32_t *words);
/* Device word address of entry `index` (in t's numbering) of a table: hw_index * words, where an OUI index moves
 * from the image's geometry (settings.oui_buckets) to the device's (TW_OUI_BUCKETS); 0 or TW_ERR_INVAL. */
int tw_tbl_word_addr(const struct tw_tables *t, unsigned table, unsigned index, uint32_t *addr);
/* Loads every section of t (settings, OUI, prefix, port, rule: bursts of whole entries) then commits all five
 * (mask 0x3E; bit 5 swaps the rule banks). First reads REG_CAP_PFX_IV once: when it is n != 0 the device searches an
 * interval table of n entries instead of comparing prefixes, and gets tw_pfx_intervals(t, iv, n) (all n entries, as
 * table TW_TBL_PFX_IV, entry i at word address i * 6) in the prefix table's place, the raw prefixes not at all; the
 * commit mask stays 0x3E (bit 5 also swaps the interval banks). n must be a power of two in 2..4096 (else
 * TW_ERR_DEVICE); a device that refuses the read as an unmapped register (BAD_ADDR: older RTL) has the prefix
 * table. t must be valid (tw_tables_validate): TW_ERR_INVAL otherwise; TW_ERR_CAPACITY when its OUI geometry
 * exceeds the device's or its prefixes need more than n intervals (nothing written then); TW_ERR_NOMEM. */
int tw_dev_load_tables(struct tw_dev *d, const struct tw_tables *t);

/* ---- records ---- */
/* Decode a DEV_ALERT payload: the packed record then ev_len evidence bytes (*ev points at them, inside p).
 * TW_ERR_PARSE when n is not TW_AR_BYTES + ev_len or ev_len > TW_AR_MAX_EVIDENCE. */
int tw_alert_rec_decode(const uint8_t *p, size_t n, struct tw_alert_rec *r, const uint8_t **ev);
/* Encode (device models, tests): returns the payload length or TW_ERR_INVAL (ev_len too big, cap too small). */
int tw_alert_rec_encode(const struct tw_alert_rec *r, const uint8_t *ev, uint8_t *out, size_t cap);
/* DEV_FLOW payload: exactly TW_FR_BYTES (contracts/flow_rec.def), decoded into the detector's flow record (the
 * one the EVE writer takes) and the record's sequence number. TW_ERR_PARSE for another length. */
int tw_flow_rec_decode(const uint8_t *p, size_t n, struct tw_flow_rec *r, uint32_t *seq);
int tw_flow_rec_encode(const struct tw_flow_rec *r, uint32_t seq, uint8_t *out, size_t cap);
/* Fills an EVE alert from a device alert record; t (may be NULL) names the rule (msg, classtype category, action,
 * severity from the rule table when the record's rule index is in use) and the vendor sets. Strings point into t. */
void tw_dev_alert_eve(struct tw_eve_alert *a, const struct tw_alert_rec *r, const uint8_t *ev, size_t ev_len,
                      const struct tw_tables *t);

/* ---- events: alerts, flows and device error reports, in arrival order ---- */
enum tw_dev_event_type { TW_EV_ALERT = 1, TW_EV_FLOW = 2, TW_EV_ERROR = 3 };
struct tw_dev_event {
    int type;
    uint16_t link_seq;  /* the device frame's sequence number */
    uint32_t link_gap;  /* device frames missing right before this one (any type) */
    uint32_t rec_gap;   /* alerts (TW_EV_ALERT) or flows (TW_EV_FLOW) missing right before this one, by the
                           record's own sequence number */
    struct tw_alert_rec alert;            /* TW_EV_ALERT */
    uint8_t evidence[TW_AR_MAX_EVIDENCE]; /* TW_EV_ALERT: alert.ev_len bytes */
    struct tw_flow_rec flow;              /* TW_EV_FLOW */
    uint32_t flow_seq;                    /* TW_EV_FLOW: the flow record's sequence number */
    struct tw_proto_error error;          /* TW_EV_ERROR: code TW_EC_*, count, total */
};
/* The next event: 0 and *ev; TW_ERR_TIMEOUT when none came within timeout_ms (0: only what is already there,
 * < 0: wait forever); TW_ERR_NODEV; TW_ERR_IO. */
int tw_dev_read_event(struct tw_dev *d, struct tw_dev_event *ev, int timeout_ms);
/* Callback API: delivers every event to cb until cb returns non-zero (tw_dev_stream then returns that value),
 * until idle_ms pass without any event (returns TW_ERR_TIMEOUT; idle_ms < 0: never), or an error (negative).
 * *stop (may be NULL) is checked between events and every 50 ms: set it from a signal handler to stop (returns 0). */
typedef int (*tw_dev_event_cb)(const struct tw_dev_event *ev, void *user);
int tw_dev_stream(struct tw_dev *d, tw_dev_event_cb cb, void *user, int idle_ms, volatile int *stop);

/* ---- accounting ---- */
struct tw_dev_stats {
    /* link frames (proto.c's decoder) */
    uint64_t frames, bytes, crc_errors, hdr_errors, truncated, resyncs, discarded;
    uint64_t seq_gaps;     /* device frames that came after a gap in the link sequence */
    uint64_t frames_lost;  /* device frames missing according to those gaps */
    uint64_t dups;         /* device frames whose sequence went backwards */
    /* records */
    uint64_t alerts, flows;           /* records delivered */
    uint64_t alerts_lost, flows_lost; /* records missing by their own sequence numbers */
    uint64_t bad_records;             /* DEV_ALERT / DEV_FLOW payloads that did not decode (counted, dropped) */
    /* device reports (DEV_ERROR): sums of the reported counts per code */
    uint64_t dev_errors, dev_crc, dev_hdr, dev_tx_drops;
    /* host side */
    uint64_t queue_drops;   /* events dropped because the event queue was full (TW_DEV_QUEUE_MAX) */
    uint64_t stray_resps;   /* answers that matched no waiting command (after a timeout) */
    uint64_t cmds, cmd_timeouts;
    uint64_t usb_packets;   /* USB backend: IN packets received (status bytes stripped) */
};
#define TW_DEV_QUEUE_MAX 65536
void tw_dev_stats(const struct tw_dev *d, struct tw_dev_stats *s);

#endif
