/* Generated from contracts/rule_entry.def by contracts/gen.awk: do not edit. */
#ifndef TW_RULE_ENTRY_H
#define TW_RULE_ENTRY_H
#include <stddef.h>
#include <stdint.h>

#define TW_CAP_RULES 256 /* rule entries */
#define TW_CAP_ALERTS 8 /* alerts per frame (later matches are counted as overflow) */
#define TW_ACT_ALERT 0
#define TW_ACT_PASS 1 /* a matching pass suppresses the alerts of later rules for the same frame */
#define TW_CMP_NONE 0 /* no condition */
#define TW_CMP_EQ 1 /* x == a */
#define TW_CMP_NE 2 /* x != a */
#define TW_CMP_LT 3 /* x < a */
#define TW_CMP_LE 4 /* x <= a */
#define TW_CMP_GT 5 /* x > a */
#define TW_CMP_GE 6 /* x >= a */
#define TW_CMP_RANGE 7 /* a < x < b */
#define TW_CMP_NRANGE 8 /* x <= a or x >= b */
#define TW_VL_ANY 0 /* any of the frame's tags matches */
#define TW_VL_ALL 1 /* every tag matches */
#define TW_VL_0 2 /* the outermost tag */
#define TW_VL_1 3 /* the second tag */
#define TW_VL_M1 4 /* the innermost tag */
#define TW_VL_M2 5 /* the tag before the innermost */
#define TW_FLG_NONE 0 /* no condition */
#define TW_FLG_MASKED 1 /* (tcp_flags & flg_mask) == flg_val */
#define TW_FLG_ANY 2 /* (tcp_flags & flg_mask) != 0 */
#define TW_THR_NONE 0
#define TW_THR_LIMIT 1 /* threshold type limit */
#define TW_THR_THRESHOLD 2 /* threshold type threshold */
#define TW_THR_BOTH 3 /* threshold type both */
#define TW_THR_DFILTER 4 /* detection_filter */
#define TW_TRACK_SRC 0 /* by_src */
#define TW_TRACK_DST 1 /* by_dst */
#define TW_TRACK_BOTH 2 /* by_both */
#define TW_TRACK_RULE 3 /* by_rule */
#define TW_TRACK_FLOW 4 /* by_flow */

#define TW_RE_VALID_LSB 0
#define TW_RE_VALID_W 1
#define TW_RE_ACTION_LSB 1
#define TW_RE_ACTION_W 1
#define TW_RE_PROTO_V_LSB 2
#define TW_RE_PROTO_V_W 1
#define TW_RE_PROTO_LSB 3
#define TW_RE_PROTO_W 8
#define TW_RE_BIDIR_LSB 11
#define TW_RE_BIDIR_W 1
#define TW_RE_INNER_LSB 12
#define TW_RE_INNER_W 1
#define TW_RE_MIRROR_LSB 13
#define TW_RE_MIRROR_W 1
#define TW_RE_SRC_IN_V_LSB 14
#define TW_RE_SRC_IN_V_W 1
#define TW_RE_SRC_IN_LSB 15
#define TW_RE_SRC_IN_W 5
#define TW_RE_SRC_EX_V_LSB 20
#define TW_RE_SRC_EX_V_W 1
#define TW_RE_SRC_EX_LSB 21
#define TW_RE_SRC_EX_W 5
#define TW_RE_SRC_NOT_LSB 26
#define TW_RE_SRC_NOT_W 1
#define TW_RE_DST_IN_V_LSB 27
#define TW_RE_DST_IN_V_W 1
#define TW_RE_DST_IN_LSB 28
#define TW_RE_DST_IN_W 5
#define TW_RE_DST_EX_V_LSB 33
#define TW_RE_DST_EX_V_W 1
#define TW_RE_DST_EX_LSB 34
#define TW_RE_DST_EX_W 5
#define TW_RE_DST_NOT_LSB 39
#define TW_RE_DST_NOT_W 1
#define TW_RE_SP_IN_V_LSB 40
#define TW_RE_SP_IN_V_W 1
#define TW_RE_SP_IN_LSB 41
#define TW_RE_SP_IN_W 4
#define TW_RE_SP_EX_V_LSB 45
#define TW_RE_SP_EX_V_W 1
#define TW_RE_SP_EX_LSB 46
#define TW_RE_SP_EX_W 4
#define TW_RE_SP_NOT_LSB 50
#define TW_RE_SP_NOT_W 1
#define TW_RE_DP_IN_V_LSB 51
#define TW_RE_DP_IN_V_W 1
#define TW_RE_DP_IN_LSB 52
#define TW_RE_DP_IN_W 4
#define TW_RE_DP_EX_V_LSB 56
#define TW_RE_DP_EX_V_W 1
#define TW_RE_DP_EX_LSB 57
#define TW_RE_DP_EX_W 4
#define TW_RE_DP_NOT_LSB 61
#define TW_RE_DP_NOT_W 1
#define TW_RE_SV_MASK_LSB 62
#define TW_RE_SV_MASK_W 8
#define TW_RE_SV_NOT_LSB 70
#define TW_RE_SV_NOT_W 1
#define TW_RE_DV_MASK_LSB 71
#define TW_RE_DV_MASK_W 8
#define TW_RE_DV_NOT_LSB 79
#define TW_RE_DV_NOT_W 1
#define TW_RE_TUN_MASK_LSB 80
#define TW_RE_TUN_MASK_W 12
#define TW_RE_VLAN_OP_LSB 92
#define TW_RE_VLAN_OP_W 4
#define TW_RE_VLAN_LAYER_LSB 96
#define TW_RE_VLAN_LAYER_W 3
#define TW_RE_VLAN_A_LSB 99
#define TW_RE_VLAN_A_W 12
#define TW_RE_VLAN_B_LSB 111
#define TW_RE_VLAN_B_W 12
#define TW_RE_TTL_OP_LSB 123
#define TW_RE_TTL_OP_W 4
#define TW_RE_TTL_A_LSB 127
#define TW_RE_TTL_A_W 8
#define TW_RE_TTL_B_LSB 135
#define TW_RE_TTL_B_W 8
#define TW_RE_FLG_MOD_LSB 143
#define TW_RE_FLG_MOD_W 2
#define TW_RE_FLG_MASK_LSB 145
#define TW_RE_FLG_MASK_W 8
#define TW_RE_FLG_VAL_LSB 153
#define TW_RE_FLG_VAL_W 8
#define TW_RE_THR_TYPE_LSB 161
#define TW_RE_THR_TYPE_W 3
#define TW_RE_THR_TRACK_LSB 164
#define TW_RE_THR_TRACK_W 3
#define TW_RE_THR_COUNT_LSB 167
#define TW_RE_THR_COUNT_W 32
#define TW_RE_THR_SECONDS_LSB 199
#define TW_RE_THR_SECONDS_W 32
#define TW_RE_VOL_V_LSB 231
#define TW_RE_VOL_V_W 1
#define TW_RE_VOL_TRACK_LSB 232
#define TW_RE_VOL_TRACK_W 3
#define TW_RE_VOL_BYTES_LSB 235
#define TW_RE_VOL_BYTES_W 48
#define TW_RE_VOL_SECONDS_LSB 283
#define TW_RE_VOL_SECONDS_W 32
#define TW_RE_SID_LSB 315
#define TW_RE_SID_W 32
#define TW_RE_REV_LSB 347
#define TW_RE_REV_W 32
#define TW_RE_GID_LSB 379
#define TW_RE_GID_W 32
#define TW_RE_PRIO_LSB 411
#define TW_RE_PRIO_W 8
#define TW_RE_WIDTH 419
#define TW_RE_BYTES ((TW_RE_WIDTH + 7) / 8)

/* The record rule_entry decoded: one member per field (arrays are wire order). */
struct tw_rule_entry {
    uint8_t valid; /* 1 bits: the entry holds a rule */
    uint8_t action; /* 1 bits: ACT_* */
    uint8_t proto_v; /* 1 bits: 0: any IP protocol (ip), 1: the IP protocol must equal proto */
    uint8_t proto; /* 8 bits: IP protocol number (after IPv6 extension headers) */
    uint8_t bidir; /* 1 bits: direction <>: the header also matches with source and destination swapped */
    uint8_t inner; /* 1 bits: header, ttl, flags, vlan.id and vendors apply to the inner packet (frame must have one) */
    uint8_t mirror; /* 1 bits: mirror_copy: the inner packet's digest was seen in the clear within the window */
    uint8_t src_in_v; /* 1 bits: source address must be in address set src_in */
    uint8_t src_in; /* 5 bits */
    uint8_t src_ex_v; /* 1 bits: source address must not be in address set src_ex */
    uint8_t src_ex; /* 5 bits */
    uint8_t src_not; /* 1 bits: the source address condition is negated as a whole */
    uint8_t dst_in_v; /* 1 bits */
    uint8_t dst_in; /* 5 bits */
    uint8_t dst_ex_v; /* 1 bits */
    uint8_t dst_ex; /* 5 bits */
    uint8_t dst_not; /* 1 bits */
    uint8_t sp_in_v; /* 1 bits: source port must be in port set sp_in */
    uint8_t sp_in; /* 4 bits */
    uint8_t sp_ex_v; /* 1 bits: source port must not be in port set sp_ex */
    uint8_t sp_ex; /* 4 bits */
    uint8_t sp_not; /* 1 bits */
    uint8_t dp_in_v; /* 1 bits */
    uint8_t dp_in; /* 4 bits */
    uint8_t dp_ex_v; /* 1 bits */
    uint8_t dp_ex; /* 4 bits */
    uint8_t dp_not; /* 1 bits */
    uint8_t sv_mask; /* 8 bits: src_vendor: the source MAC's vendor sets intersect this mask (0: no condition) */
    uint8_t sv_not; /* 1 bits: ... negated */
    uint8_t dv_mask; /* 8 bits: dst_vendor */
    uint8_t dv_not; /* 1 bits */
    uint16_t tun_mask; /* 12 bits: tunnel: bit k = tunnel kind k (TW_TUN_*) is accepted (0: no condition) */
    uint8_t vlan_op; /* 4 bits: vlan.id comparison CMP_* */
    uint8_t vlan_layer; /* 3 bits: VL_* */
    uint16_t vlan_a; /* 12 bits */
    uint16_t vlan_b; /* 12 bits */
    uint8_t ttl_op; /* 4 bits: ttl comparison CMP_* (IPv4 TTL or IPv6 hop limit) */
    uint8_t ttl_a; /* 8 bits */
    uint8_t ttl_b; /* 8 bits */
    uint8_t flg_mod; /* 2 bits: flags: FLG_* */
    uint8_t flg_mask; /* 8 bits: CWR ECE URG ACK PSH RST SYN FIN = bits 7..0 */
    uint8_t flg_val; /* 8 bits */
    uint8_t thr_type; /* 3 bits: THR_*: threshold or detection_filter */
    uint8_t thr_track; /* 3 bits: TRACK_* */
    uint32_t thr_count; /* 32 bits */
    uint32_t thr_seconds; /* 32 bits */
    uint8_t vol_v; /* 1 bits: volume: alert once when the tracked key's bytes in the window exceed vol_bytes */
    uint8_t vol_track; /* 3 bits: TRACK_SRC, TRACK_DST or TRACK_FLOW */
    uint64_t vol_bytes; /* 48 bits */
    uint32_t vol_seconds; /* 32 bits */
    uint32_t sid; /* 32 bits */
    uint32_t rev; /* 32 bits */
    uint32_t gid; /* 32 bits */
    uint8_t prio; /* 8 bits: priority 1..255 (1 most severe): EVE alert.severity */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_RULE_ENTRY_FIELDS(X) \
    X(valid, 0, 1) \
    X(action, 1, 1) \
    X(proto_v, 2, 1) \
    X(proto, 3, 8) \
    X(bidir, 11, 1) \
    X(inner, 12, 1) \
    X(mirror, 13, 1) \
    X(src_in_v, 14, 1) \
    X(src_in, 15, 5) \
    X(src_ex_v, 20, 1) \
    X(src_ex, 21, 5) \
    X(src_not, 26, 1) \
    X(dst_in_v, 27, 1) \
    X(dst_in, 28, 5) \
    X(dst_ex_v, 33, 1) \
    X(dst_ex, 34, 5) \
    X(dst_not, 39, 1) \
    X(sp_in_v, 40, 1) \
    X(sp_in, 41, 4) \
    X(sp_ex_v, 45, 1) \
    X(sp_ex, 46, 4) \
    X(sp_not, 50, 1) \
    X(dp_in_v, 51, 1) \
    X(dp_in, 52, 4) \
    X(dp_ex_v, 56, 1) \
    X(dp_ex, 57, 4) \
    X(dp_not, 61, 1) \
    X(sv_mask, 62, 8) \
    X(sv_not, 70, 1) \
    X(dv_mask, 71, 8) \
    X(dv_not, 79, 1) \
    X(tun_mask, 80, 12) \
    X(vlan_op, 92, 4) \
    X(vlan_layer, 96, 3) \
    X(vlan_a, 99, 12) \
    X(vlan_b, 111, 12) \
    X(ttl_op, 123, 4) \
    X(ttl_a, 127, 8) \
    X(ttl_b, 135, 8) \
    X(flg_mod, 143, 2) \
    X(flg_mask, 145, 8) \
    X(flg_val, 153, 8) \
    X(thr_type, 161, 3) \
    X(thr_track, 164, 3) \
    X(thr_count, 167, 32) \
    X(thr_seconds, 199, 32) \
    X(vol_v, 231, 1) \
    X(vol_track, 232, 3) \
    X(vol_bytes, 235, 48) \
    X(vol_seconds, 283, 32) \
    X(sid, 315, 32) \
    X(rev, 347, 32) \
    X(gid, 379, 32) \
    X(prio, 411, 8)

#endif
