/* Generated from contracts/flow_rec.def by contracts/gen.awk: do not edit. */
#ifndef TW_FLOW_REC_H
#define TW_FLOW_REC_H
#include <stddef.h>
#include <stdint.h>

#define TW_FR_TIMEOUT 0 /* reason: idle timeout */
#define TW_FR_HARD_TIMEOUT 1 /* reason: hard timeout */
#define TW_FR_EVICTED 2 /* reason: evicted from a full bucket */
#define TW_FR_SHUTDOWN 3 /* reason: flush (end of input) */

#define TW_FR_FLOW_ID_LSB 0
#define TW_FR_FLOW_ID_W 64
#define TW_FR_CLI_IP_LSB 64
#define TW_FR_CLI_IP_W 128
#define TW_FR_SRV_IP_LSB 192
#define TW_FR_SRV_IP_W 128
#define TW_FR_CLI_PORT_LSB 320
#define TW_FR_CLI_PORT_W 16
#define TW_FR_SRV_PORT_LSB 336
#define TW_FR_SRV_PORT_W 16
#define TW_FR_PROTO_LSB 352
#define TW_FR_PROTO_W 8
#define TW_FR_IP_VER_LSB 360
#define TW_FR_IP_VER_W 8
#define TW_FR_VLAN_LSB 368
#define TW_FR_VLAN_W 16
#define TW_FR_PKTS_TOSERVER_LSB 384
#define TW_FR_PKTS_TOSERVER_W 64
#define TW_FR_PKTS_TOCLIENT_LSB 448
#define TW_FR_PKTS_TOCLIENT_W 64
#define TW_FR_BYTES_TOSERVER_LSB 512
#define TW_FR_BYTES_TOSERVER_W 64
#define TW_FR_BYTES_TOCLIENT_LSB 576
#define TW_FR_BYTES_TOCLIENT_W 64
#define TW_FR_FIRST_TS_LSB 640
#define TW_FR_FIRST_TS_W 64
#define TW_FR_LAST_TS_LSB 704
#define TW_FR_LAST_TS_W 64
#define TW_FR_TCP_FLAGS_TS_LSB 768
#define TW_FR_TCP_FLAGS_TS_W 8
#define TW_FR_TCP_FLAGS_TC_LSB 776
#define TW_FR_TCP_FLAGS_TC_W 8
#define TW_FR_STATE_LSB 784
#define TW_FR_STATE_W 2
#define TW_FR_REASON_LSB 786
#define TW_FR_REASON_W 2
#define TW_FR_ALERTED_LSB 788
#define TW_FR_ALERTED_W 1
#define TW_FR_RSVD789_LSB 789
#define TW_FR_RSVD789_W 3
#define TW_FR_SEQ_LSB 792
#define TW_FR_SEQ_W 32
#define TW_FR_WIDTH 824
#define TW_FR_BYTES ((TW_FR_WIDTH + 7) / 8)

/* The record flow_wire decoded: one member per field (arrays are wire order). */
struct tw_flow_wire {
    uint64_t flow_id; /* 64 bits: flows created so far + 1, at the flow's creation */
    uint8_t cli_ip[16]; /* 128 bits: client address (IPv4 as ::a.b.c.d, tw_meta layout, byte 0 in the top bits) */
    uint8_t srv_ip[16]; /* 128 bits: server address */
    uint16_t cli_port; /* 16 bits: 0 without ports */
    uint16_t srv_port; /* 16 bits */
    uint8_t proto; /* 8 bits: outer IP protocol */
    uint8_t ip_ver; /* 8 bits: 4 or 6 */
    uint16_t vlan; /* 16 bits: outer VLAN id (0 when untagged) */
    uint64_t pkts_toserver; /* 64 bits */
    uint64_t pkts_toclient; /* 64 bits */
    uint64_t bytes_toserver; /* 64 bits: len - FCS_BYTES summed */
    uint64_t bytes_toclient; /* 64 bits */
    uint64_t first_ts; /* 64 bits: ns */
    uint64_t last_ts; /* 64 bits: ns */
    uint8_t tcp_flags_ts; /* 8 bits */
    uint8_t tcp_flags_tc; /* 8 bits */
    uint8_t state; /* 2 bits: 0 new, 1 established, 2 closed */
    uint8_t reason; /* 2 bits: FR_* */
    uint8_t alerted; /* 1 bits: at least one alert was raised on the flow */
    uint8_t rsvd789; /* 3 bits: reserved */
    uint32_t seq; /* 32 bits: flow record sequence number (device-wide, from 0; a record dropped by the link keeps its number) */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_FLOW_WIRE_FIELDS(X) \
    X(flow_id, 0, 64) \
    X(cli_ip, 64, 128) \
    X(srv_ip, 192, 128) \
    X(cli_port, 320, 16) \
    X(srv_port, 336, 16) \
    X(proto, 352, 8) \
    X(ip_ver, 360, 8) \
    X(vlan, 368, 16) \
    X(pkts_toserver, 384, 64) \
    X(pkts_toclient, 448, 64) \
    X(bytes_toserver, 512, 64) \
    X(bytes_toclient, 576, 64) \
    X(first_ts, 640, 64) \
    X(last_ts, 704, 64) \
    X(tcp_flags_ts, 768, 8) \
    X(tcp_flags_tc, 776, 8) \
    X(state, 784, 2) \
    X(reason, 786, 2) \
    X(alerted, 788, 1) \
    X(rsvd789, 789, 3) \
    X(seq, 792, 32)

#endif
