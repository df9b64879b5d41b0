/* Generated from contracts/settings.def by contracts/gen.awk: do not edit. */
#ifndef TW_SETTINGS_H
#define TW_SETTINGS_H
#include <stddef.h>
#include <stdint.h>


#define TW_ST_MIRROR_WINDOW_MS_LSB 0
#define TW_ST_MIRROR_WINDOW_MS_W 32
#define TW_ST_FLOW_TIMEOUT_S_LSB 32
#define TW_ST_FLOW_TIMEOUT_S_W 32
#define TW_ST_FLOW_HARD_TIMEOUT_S_LSB 64
#define TW_ST_FLOW_HARD_TIMEOUT_S_W 32
#define TW_ST_EVIDENCE_BYTES_LSB 96
#define TW_ST_EVIDENCE_BYTES_W 8
#define TW_ST_OUI_BUCKETS_LSB 104
#define TW_ST_OUI_BUCKETS_W 16
#define TW_ST_N_VENDOR_SETS_LSB 120
#define TW_ST_N_VENDOR_SETS_W 4
#define TW_ST_N_PREFIXES_LSB 124
#define TW_ST_N_PREFIXES_W 8
#define TW_ST_N_ADDR_SETS_LSB 132
#define TW_ST_N_ADDR_SETS_W 6
#define TW_ST_N_PORT_RANGES_LSB 138
#define TW_ST_N_PORT_RANGES_W 7
#define TW_ST_N_PORT_SETS_LSB 145
#define TW_ST_N_PORT_SETS_W 5
#define TW_ST_N_RULES_LSB 150
#define TW_ST_N_RULES_W 9
#define TW_ST_N_OUI_LSB 159
#define TW_ST_N_OUI_W 16
#define TW_ST_ALERT_RATE_LSB 175
#define TW_ST_ALERT_RATE_W 32
#define TW_ST_ALERT_BURST_LSB 207
#define TW_ST_ALERT_BURST_W 32
#define TW_ST_WIDTH 239
#define TW_ST_BYTES ((TW_ST_WIDTH + 7) / 8)

/* The record settings decoded: one member per field (arrays are wire order). */
struct tw_settings {
    uint32_t mirror_window_ms; /* 32 bits: mirror_copy: a copy's original must be at most this old (detect.mirror-copy-window-ms) */
    uint32_t flow_timeout_s; /* 32 bits: flow idle timeout (detect.flow-timeout-s) */
    uint32_t flow_hard_timeout_s; /* 32 bits: flow hard timeout (detect.flow-hard-timeout-s) */
    uint8_t evidence_bytes; /* 8 bits: bytes of each alerting frame kept as evidence, 0..128 (detect.evidence-bytes) */
    uint16_t oui_buckets; /* 16 bits: buckets per way of the OUI table (power of two, at most OUI_BUCKETS) */
    uint8_t n_vendor_sets; /* 4 bits: vendor sets in use */
    uint8_t n_prefixes; /* 8 bits: valid prefix entries (they come first) */
    uint8_t n_addr_sets; /* 6 bits: address sets in use */
    uint8_t n_port_ranges; /* 7 bits: valid port range entries (they come first) */
    uint8_t n_port_sets; /* 5 bits: port sets in use */
    uint16_t n_rules; /* 9 bits: valid rule entries (they come first) */
    uint16_t n_oui; /* 16 bits: valid OUI entries */
    uint32_t alert_rate; /* 32 bits: alerts per second per rule, 0: no rate limit (detect.alert-rate) */
    uint32_t alert_burst; /* 32 bits: alerts a rule may send at once, at least 1 when alert_rate > 0 (detect.alert-burst) */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_SETTINGS_FIELDS(X) \
    X(mirror_window_ms, 0, 32) \
    X(flow_timeout_s, 32, 32) \
    X(flow_hard_timeout_s, 64, 32) \
    X(evidence_bytes, 96, 8) \
    X(oui_buckets, 104, 16) \
    X(n_vendor_sets, 120, 4) \
    X(n_prefixes, 124, 8) \
    X(n_addr_sets, 132, 6) \
    X(n_port_ranges, 138, 7) \
    X(n_port_sets, 145, 5) \
    X(n_rules, 150, 9) \
    X(n_oui, 159, 16) \
    X(alert_rate, 175, 32) \
    X(alert_burst, 207, 32)

#endif
