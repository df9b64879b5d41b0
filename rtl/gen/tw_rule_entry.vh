// Generated from contracts/rule_entry.def by contracts/gen.awk: do not edit.
`ifndef TW_RULE_ENTRY_VH
`define TW_RULE_ENTRY_VH
`define TW_CAP_RULES 256
`define TW_CAP_ALERTS 8
`define TW_ACT_ALERT 0
`define TW_ACT_PASS 1
`define TW_CMP_NONE 0
`define TW_CMP_EQ 1
`define TW_CMP_NE 2
`define TW_CMP_LT 3
`define TW_CMP_LE 4
`define TW_CMP_GT 5
`define TW_CMP_GE 6
`define TW_CMP_RANGE 7
`define TW_CMP_NRANGE 8
`define TW_VL_ANY 0
`define TW_VL_ALL 1
`define TW_VL_0 2
`define TW_VL_1 3
`define TW_VL_M1 4
`define TW_VL_M2 5
`define TW_FLG_NONE 0
`define TW_FLG_MASKED 1
`define TW_FLG_ANY 2
`define TW_THR_NONE 0
`define TW_THR_LIMIT 1
`define TW_THR_THRESHOLD 2
`define TW_THR_BOTH 3
`define TW_THR_DFILTER 4
`define TW_TRACK_SRC 0
`define TW_TRACK_DST 1
`define TW_TRACK_BOTH 2
`define TW_TRACK_RULE 3
`define TW_TRACK_FLOW 4
`define TW_RE_VALID 0 +: 1
`define TW_RE_VALID_LSB 0
`define TW_RE_VALID_W 1
`define TW_RE_ACTION 1 +: 1
`define TW_RE_ACTION_LSB 1
`define TW_RE_ACTION_W 1
`define TW_RE_PROTO_V 2 +: 1
`define TW_RE_PROTO_V_LSB 2
`define TW_RE_PROTO_V_W 1
`define TW_RE_PROTO 3 +: 8
`define TW_RE_PROTO_LSB 3
`define TW_RE_PROTO_W 8
`define TW_RE_BIDIR 11 +: 1
`define TW_RE_BIDIR_LSB 11
`define TW_RE_BIDIR_W 1
`define TW_RE_INNER 12 +: 1
`define TW_RE_INNER_LSB 12
`define TW_RE_INNER_W 1
`define TW_RE_MIRROR 13 +: 1
`define TW_RE_MIRROR_LSB 13
`define TW_RE_MIRROR_W 1
`define TW_RE_SRC_IN_V 14 +: 1
`define TW_RE_SRC_IN_V_LSB 14
`define TW_RE_SRC_IN_V_W 1
`define TW_RE_SRC_IN 15 +: 5
`define TW_RE_SRC_IN_LSB 15
`define TW_RE_SRC_IN_W 5
`define TW_RE_SRC_EX_V 20 +: 1
`define TW_RE_SRC_EX_V_LSB 20
`define TW_RE_SRC_EX_V_W 1
`define TW_RE_SRC_EX 21 +: 5
`define TW_RE_SRC_EX_LSB 21
`define TW_RE_SRC_EX_W 5
`define TW_RE_SRC_NOT 26 +: 1
`define TW_RE_SRC_NOT_LSB 26
`define TW_RE_SRC_NOT_W 1
`define TW_RE_DST_IN_V 27 +: 1
`define TW_RE_DST_IN_V_LSB 27
`define TW_RE_DST_IN_V_W 1
`define TW_RE_DST_IN 28 +: 5
`define TW_RE_DST_IN_LSB 28
`define TW_RE_DST_IN_W 5
`define TW_RE_DST_EX_V 33 +: 1
`define TW_RE_DST_EX_V_LSB 33
`define TW_RE_DST_EX_V_W 1
`define TW_RE_DST_EX 34 +: 5
`define TW_RE_DST_EX_LSB 34
`define TW_RE_DST_EX_W 5
`define TW_RE_DST_NOT 39 +: 1
`define TW_RE_DST_NOT_LSB 39
`define TW_RE_DST_NOT_W 1
`define TW_RE_SP_IN_V 40 +: 1
`define TW_RE_SP_IN_V_LSB 40
`define TW_RE_SP_IN_V_W 1
`define TW_RE_SP_IN 41 +: 4
`define TW_RE_SP_IN_LSB 41
`define TW_RE_SP_IN_W 4
`define TW_RE_SP_EX_V 45 +: 1
`define TW_RE_SP_EX_V_LSB 45
`define TW_RE_SP_EX_V_W 1
`define TW_RE_SP_EX 46 +: 4
`define TW_RE_SP_EX_LSB 46
`define TW_RE_SP_EX_W 4
`define TW_RE_SP_NOT 50 +: 1
`define TW_RE_SP_NOT_LSB 50
`define TW_RE_SP_NOT_W 1
`define TW_RE_DP_IN_V 51 +: 1
`define TW_RE_DP_IN_V_LSB 51
`define TW_RE_DP_IN_V_W 1
`define TW_RE_DP_IN 52 +: 4
`define TW_RE_DP_IN_LSB 52
`define TW_RE_DP_IN_W 4
`define TW_RE_DP_EX_V 56 +: 1
`define TW_RE_DP_EX_V_LSB 56
`define TW_RE_DP_EX_V_W 1
`define TW_RE_DP_EX 57 +: 4
`define TW_RE_DP_EX_LSB 57
`define TW_RE_DP_EX_W 4
`define TW_RE_DP_NOT 61 +: 1
`define TW_RE_DP_NOT_LSB 61
`define TW_RE_DP_NOT_W 1
`define TW_RE_SV_MASK 62 +: 8
`define TW_RE_SV_MASK_LSB 62
`define TW_RE_SV_MASK_W 8
`define TW_RE_SV_NOT 70 +: 1
`define TW_RE_SV_NOT_LSB 70
`define TW_RE_SV_NOT_W 1
`define TW_RE_DV_MASK 71 +: 8
`define TW_RE_DV_MASK_LSB 71
`define TW_RE_DV_MASK_W 8
`define TW_RE_DV_NOT 79 +: 1
`define TW_RE_DV_NOT_LSB 79
`define TW_RE_DV_NOT_W 1
`define TW_RE_TUN_MASK 80 +: 12
`define TW_RE_TUN_MASK_LSB 80
`define TW_RE_TUN_MASK_W 12
`define TW_RE_VLAN_OP 92 +: 4
`define TW_RE_VLAN_OP_LSB 92
`define TW_RE_VLAN_OP_W 4
`define TW_RE_VLAN_LAYER 96 +: 3
`define TW_RE_VLAN_LAYER_LSB 96
`define TW_RE_VLAN_LAYER_W 3
`define TW_RE_VLAN_A 99 +: 12
`define TW_RE_VLAN_A_LSB 99
`define TW_RE_VLAN_A_W 12
`define TW_RE_VLAN_B 111 +: 12
`define TW_RE_VLAN_B_LSB 111
`define TW_RE_VLAN_B_W 12
`define TW_RE_TTL_OP 123 +: 4
`define TW_RE_TTL_OP_LSB 123
`define TW_RE_TTL_OP_W 4
`define TW_RE_TTL_A 127 +: 8
`define TW_RE_TTL_A_LSB 127
`define TW_RE_TTL_A_W 8
`define TW_RE_TTL_B 135 +: 8
`define TW_RE_TTL_B_LSB 135
`define TW_RE_TTL_B_W 8
`define TW_RE_FLG_MOD 143 +: 2
`define TW_RE_FLG_MOD_LSB 143
`define TW_RE_FLG_MOD_W 2
`define TW_RE_FLG_MASK 145 +: 8
`define TW_RE_FLG_MASK_LSB 145
`define TW_RE_FLG_MASK_W 8
`define TW_RE_FLG_VAL 153 +: 8
`define TW_RE_FLG_VAL_LSB 153
`define TW_RE_FLG_VAL_W 8
`define TW_RE_THR_TYPE 161 +: 3
`define TW_RE_THR_TYPE_LSB 161
`define TW_RE_THR_TYPE_W 3
`define TW_RE_THR_TRACK 164 +: 3
`define TW_RE_THR_TRACK_LSB 164
`define TW_RE_THR_TRACK_W 3
`define TW_RE_THR_COUNT 167 +: 32
`define TW_RE_THR_COUNT_LSB 167
`define TW_RE_THR_COUNT_W 32
`define TW_RE_THR_SECONDS 199 +: 32
`define TW_RE_THR_SECONDS_LSB 199
`define TW_RE_THR_SECONDS_W 32
`define TW_RE_VOL_V 231 +: 1
`define TW_RE_VOL_V_LSB 231
`define TW_RE_VOL_V_W 1
`define TW_RE_VOL_TRACK 232 +: 3
`define TW_RE_VOL_TRACK_LSB 232
`define TW_RE_VOL_TRACK_W 3
`define TW_RE_VOL_BYTES 235 +: 48
`define TW_RE_VOL_BYTES_LSB 235
`define TW_RE_VOL_BYTES_W 48
`define TW_RE_VOL_SECONDS 283 +: 32
`define TW_RE_VOL_SECONDS_LSB 283
`define TW_RE_VOL_SECONDS_W 32
`define TW_RE_SID 315 +: 32
`define TW_RE_SID_LSB 315
`define TW_RE_SID_W 32
`define TW_RE_REV 347 +: 32
`define TW_RE_REV_LSB 347
`define TW_RE_REV_W 32
`define TW_RE_GID 379 +: 32
`define TW_RE_GID_LSB 379
`define TW_RE_GID_W 32
`define TW_RE_PRIO 411 +: 8
`define TW_RE_PRIO_LSB 411
`define TW_RE_PRIO_W 8
`define TW_RE_WIDTH 419
`endif
