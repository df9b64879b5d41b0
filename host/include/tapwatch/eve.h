/* EVE JSON output (one event per line, in the manner of Suricata's eve.json): alert, flow and stats events.
 *
 * The writer knows nothing about where an alert comes from: `tapwatch analyze` fills struct tw_eve_alert from the
 * software detector (tw_eve_alert_from_det), the device CLI fills it from a hardware alert record and the same
 * tables. Field formats: docs/detection.md, "EVE output". */
#ifndef TAPWATCH_EVE_H
#define TAPWATCH_EVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tapwatch/detect.h"

struct tw_tables;
struct tw_eve;

/* A writer on f (not closed by tw_eve_close; the caller owns it). 0 or TW_ERR_NOMEM / TW_ERR_INVAL. */
int tw_eve_open(struct tw_eve **out, FILE *f);
/* Flushes; returns 0 or TW_ERR_IO when any write failed since the writer was opened. Frees w. */
int tw_eve_close(struct tw_eve *w);

struct tw_eve_alert {
    uint64_t ts_ns;
    uint64_t flow_id;          /* 0: no flow (field omitted) */
    uint64_t pcap_cnt;         /* 0: omitted (device alerts carry none) */
    uint8_t ip_ver;            /* 4 or 6 (0: addresses omitted) */
    uint8_t src_ip[16], dst_ip[16]; /* IPv4 as ::a.b.c.d (tw_meta layout) */
    uint8_t ports_v;           /* src_port/dest_port present */
    uint16_t src_port, dst_port;
    uint8_t proto;
    uint8_t vlan_n;            /* 0..2 VLAN ids, outermost first */
    uint16_t vlan[2];
    uint8_t tun_kind;          /* TW_TUN_*; TW_TUN_NONE omits "tunnel" */
    uint8_t tun_id_v;
    uint32_t tun_id;
    const char *src_vendor, *dst_vendor; /* vendor set names, NULL: omitted */
    uint8_t inner;             /* the addresses are those of the inner packet */
    uint8_t mirror_copy;
    /* alert {} */
    uint8_t action;            /* TW_ACT_ALERT or TW_ACT_PASS */
    uint32_t gid, sid, rev;
    const char *signature, *category; /* NULL or "": category omitted */
    unsigned severity;
    const uint8_t *evidence;   /* base64 "packet" when evidence_len > 0 */
    size_t evidence_len;
};

/* Fills a from one alert of the software detector: the addresses, ports, VLANs and vendors of the layer the rule
 * matched (inner for `inner` rules), the rule's identity from t, and the first min(evidence_bytes, caplen) frame
 * bytes. Strings point into t. */
void tw_eve_alert_from_det(struct tw_eve_alert *a, const struct tw_det_alert *da, const struct tw_tables *t,
                           unsigned evidence_bytes);
/* Name of the lowest vendor set in vsets, or NULL. */
const char *tw_eve_vendor_name(const struct tw_tables *t, unsigned vsets);

int tw_eve_write_alert(struct tw_eve *w, const struct tw_eve_alert *a);
int tw_eve_write_flow(struct tw_eve *w, const struct tw_flow_rec *f);

/* Stats: counters grouped into objects ("group": {"name": value}); group NULL puts the counter at the top of
 * "stats". Consecutive counters of the same group share its object. Per-rule counters go into "rules": [...]. */
struct tw_eve_counter {
    const char *group;
    const char *name;
    uint64_t value;
};
struct tw_eve_rule_counter {
    uint32_t gid, sid;
    uint64_t matches, alerts, rate_limited;
};
int tw_eve_write_stats(struct tw_eve *w, uint64_t ts_ns, const struct tw_eve_counter *c, size_t n,
                       const struct tw_eve_rule_counter *rc, size_t nrc);

/* Helpers shared with other JSON writers: Suricata's timestamp format "YYYY-MM-DDTHH:MM:SS.uuuuuu+0000" (UTC) into
 * buf (>= 32 bytes); an address of tw_meta layout as text (buf >= 46 bytes); the protocol name ("TCP", "UDP",
 * "ICMP", "IPv6-ICMP", "SCTP", "GRE", "ESP", or the number). */
void tw_eve_timestamp(uint64_t ts_ns, char *buf, size_t len);
void tw_eve_addr(int v6, const uint8_t a[16], char *buf, size_t len);
void tw_eve_proto(unsigned proto, char *buf, size_t len);
/* Standard base64 (RFC 4648, with padding) of n bytes into out (4 * ((n + 2) / 3) + 1 bytes). */
void tw_eve_base64(const uint8_t *p, size_t n, char *out);

#endif
