/* Generated from contracts/alert_rec.def by contracts/gen.awk: do not edit. */
#ifndef TW_ALERT_REC_H
#define TW_ALERT_REC_H
#include <stddef.h>
#include <stdint.h>

#define TW_AR_MAX_EVIDENCE 128 /* evidence bytes after the record at most */

#define TW_AR_SEQ_LSB 0
#define TW_AR_SEQ_W 32
#define TW_AR_TS_LSB 32
#define TW_AR_TS_W 64
#define TW_AR_FLOW_ID_LSB 96
#define TW_AR_FLOW_ID_W 64
#define TW_AR_FSEQ_LSB 160
#define TW_AR_FSEQ_W 32
#define TW_AR_LEN_LSB 192
#define TW_AR_LEN_W 16
#define TW_AR_PORT_LSB 208
#define TW_AR_PORT_W 1
#define TW_AR_INNER_LSB 209
#define TW_AR_INNER_W 1
#define TW_AR_MIRROR_LSB 210
#define TW_AR_MIRROR_W 1
#define TW_AR_PORTS_V_LSB 211
#define TW_AR_PORTS_V_W 1
#define TW_AR_IP_VER_LSB 212
#define TW_AR_IP_VER_W 4
#define TW_AR_PROTO_LSB 216
#define TW_AR_PROTO_W 8
#define TW_AR_RULE_LSB 224
#define TW_AR_RULE_W 16
#define TW_AR_SID_LSB 240
#define TW_AR_SID_W 32
#define TW_AR_REV_LSB 272
#define TW_AR_REV_W 32
#define TW_AR_GID_LSB 304
#define TW_AR_GID_W 32
#define TW_AR_PRIO_LSB 336
#define TW_AR_PRIO_W 8
#define TW_AR_SRC_IP_LSB 344
#define TW_AR_SRC_IP_W 128
#define TW_AR_DST_IP_LSB 472
#define TW_AR_DST_IP_W 128
#define TW_AR_SRC_PORT_LSB 600
#define TW_AR_SRC_PORT_W 16
#define TW_AR_DST_PORT_LSB 616
#define TW_AR_DST_PORT_W 16
#define TW_AR_VLAN_N_LSB 632
#define TW_AR_VLAN_N_W 2
#define TW_AR_TUN_ID_V_LSB 634
#define TW_AR_TUN_ID_V_W 1
#define TW_AR_TUN_KIND_LSB 635
#define TW_AR_TUN_KIND_W 4
#define TW_AR_RSVD639_LSB 639
#define TW_AR_RSVD639_W 1
#define TW_AR_VLAN0_LSB 640
#define TW_AR_VLAN0_W 12
#define TW_AR_VLAN1_LSB 652
#define TW_AR_VLAN1_W 12
#define TW_AR_SRC_VSETS_LSB 664
#define TW_AR_SRC_VSETS_W 8
#define TW_AR_DST_VSETS_LSB 672
#define TW_AR_DST_VSETS_W 8
#define TW_AR_TUN_ID_LSB 680
#define TW_AR_TUN_ID_W 32
#define TW_AR_PKTS_TOSERVER_LSB 712
#define TW_AR_PKTS_TOSERVER_W 64
#define TW_AR_PKTS_TOCLIENT_LSB 776
#define TW_AR_PKTS_TOCLIENT_W 64
#define TW_AR_BYTES_TOSERVER_LSB 840
#define TW_AR_BYTES_TOSERVER_W 64
#define TW_AR_BYTES_TOCLIENT_LSB 904
#define TW_AR_BYTES_TOCLIENT_W 64
#define TW_AR_EV_LEN_LSB 968
#define TW_AR_EV_LEN_W 8
#define TW_AR_WIDTH 976
#define TW_AR_BYTES ((TW_AR_WIDTH + 7) / 8)

/* The record alert_rec decoded: one member per field (arrays are wire order). */
struct tw_alert_rec {
    uint32_t seq; /* 32 bits: alert sequence number */
    uint64_t ts; /* 64 bits: the frame's ts (ns) */
    uint64_t flow_id; /* 64 bits: 0 when the frame has no outer IP header */
    uint32_t fseq; /* 32 bits: the frame's per-port sequence number (parser record) */
    uint16_t len; /* 16 bits: the frame's length */
    uint8_t port; /* 1 bits: ingress port 0 = A, 1 = B */
    uint8_t inner; /* 1 bits: the rule matched the inner packet */
    uint8_t mirror; /* 1 bits: the frame is a mirror copy (digest hit) */
    uint8_t ports_v; /* 1 bits: src_port / dst_port valid (TCP, UDP, SCTP with a layer-4 header) */
    uint8_t ip_ver; /* 4 bits: 4 or 6 */
    uint8_t proto; /* 8 bits */
    uint16_t rule; /* 16 bits: rule index in the table */
    uint32_t sid; /* 32 bits */
    uint32_t rev; /* 32 bits */
    uint32_t gid; /* 32 bits */
    uint8_t prio; /* 8 bits */
    uint8_t src_ip[16]; /* 128 bits: IPv4 as ::a.b.c.d (tw_meta layout, byte 0 in the top bits) */
    uint8_t dst_ip[16]; /* 128 bits */
    uint16_t src_port; /* 16 bits */
    uint16_t dst_port; /* 16 bits */
    uint8_t vlan_n; /* 2 bits: VLAN ids present (0..2) */
    uint8_t tun_id_v; /* 1 bits */
    uint8_t tun_kind; /* 4 bits: TUN_* of the parser */
    uint8_t rsvd639; /* 1 bits: reserved */
    uint16_t vlan0; /* 12 bits: outermost VLAN id of the layer */
    uint16_t vlan1; /* 12 bits */
    uint8_t src_vsets; /* 8 bits: vendor sets of the layer's source MAC */
    uint8_t dst_vsets; /* 8 bits */
    uint32_t tun_id; /* 32 bits */
    uint64_t pkts_toserver; /* 64 bits: the flow's counters after this frame (0 without a flow) */
    uint64_t pkts_toclient; /* 64 bits */
    uint64_t bytes_toserver; /* 64 bits */
    uint64_t bytes_toclient; /* 64 bits */
    uint8_t ev_len; /* 8 bits: evidence bytes following the record */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_ALERT_REC_FIELDS(X) \
    X(seq, 0, 32) \
    X(ts, 32, 64) \
    X(flow_id, 96, 64) \
    X(fseq, 160, 32) \
    X(len, 192, 16) \
    X(port, 208, 1) \
    X(inner, 209, 1) \
    X(mirror, 210, 1) \
    X(ports_v, 211, 1) \
    X(ip_ver, 212, 4) \
    X(proto, 216, 8) \
    X(rule, 224, 16) \
    X(sid, 240, 32) \
    X(rev, 272, 32) \
    X(gid, 304, 32) \
    X(prio, 336, 8) \
    X(src_ip, 344, 128) \
    X(dst_ip, 472, 128) \
    X(src_port, 600, 16) \
    X(dst_port, 616, 16) \
    X(vlan_n, 632, 2) \
    X(tun_id_v, 634, 1) \
    X(tun_kind, 635, 4) \
    X(rsvd639, 639, 1) \
    X(vlan0, 640, 12) \
    X(vlan1, 652, 12) \
    X(src_vsets, 664, 8) \
    X(dst_vsets, 672, 8) \
    X(tun_id, 680, 32) \
    X(pkts_toserver, 712, 64) \
    X(pkts_toclient, 776, 64) \
    X(bytes_toserver, 840, 64) \
    X(bytes_toclient, 904, 64) \
    X(ev_len, 968, 8)

#endif
