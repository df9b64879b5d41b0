// tw_cand.vh: layout of the detection front's candidate word (rtl/tw_detect_front.v m_cand_tdata), one per parser
// record, in record order, for the alert stage (docs/engine-front.md). LSB first. Every field has a range
// (`TW_C_X, usable as vec[`TW_C_X]), its lowest bit (`TW_C_X_LSB) and its width (`TW_C_X_W).
// The fixed fields come first so their offsets do not depend on the metadata record's width; the whole parser
// record (contracts/meta.def, `TW_M_WIDTH bits) is on top: cand[`TW_C_META_LSB +: `TW_M_WIDTH].
// Requires tw_meta.vh (for `TW_M_WIDTH).
`ifndef TW_CAND_VH
`define TW_CAND_VH

// [0] the frame is a mirror copy (digest lookup hit within the window)
`define TW_C_MIRROR          0
// [1] the frame has a flow (an outer IPv4/IPv6 header); without one the flow fields below are 0
`define TW_C_FLOW            1
// [2] the frame travels server -> client (client = the flow's first sender)
`define TW_C_TOCLIENT        2
// [3] the rule bank the frame was matched with (the alert stage reads its banked rule fields with it)
`define TW_C_BANK            3
// [87:4] the flow table's ALERT operand, exactly s_alert_tdata: [15:0] bucket, [19:16] way, [83:20] flow_id
`define TW_C_ALERT_OP        4 +: 84
`define TW_C_ALERT_OP_LSB    4
`define TW_C_ALERT_OP_W      84
`define TW_C_BUCKET          4 +: 16
`define TW_C_BUCKET_LSB      4
`define TW_C_BUCKET_W        16
`define TW_C_WAY             20 +: 4
`define TW_C_WAY_LSB         20
`define TW_C_WAY_W           4
`define TW_C_FLOW_ID         24 +: 64
`define TW_C_FLOW_ID_LSB     24
`define TW_C_FLOW_ID_W       64
// the flow's counters after this frame (client = first sender, as in the flow record)
`define TW_C_PKTS_TS         88 +: 64
`define TW_C_PKTS_TS_LSB     88
`define TW_C_PKTS_TS_W       64
`define TW_C_PKTS_TC         152 +: 64
`define TW_C_PKTS_TC_LSB     152
`define TW_C_PKTS_TC_W       64
`define TW_C_BYTES_TS        216 +: 64
`define TW_C_BYTES_TS_LSB    216
`define TW_C_BYTES_TS_W      64
`define TW_C_BYTES_TC        280 +: 64
`define TW_C_BYTES_TC_LSB    280
`define TW_C_BYTES_TC_W      64
// vendor sets (8 bits each) of the outer source / destination MAC and inner source / destination MAC (0 without an
// Ethernet header at that level)
`define TW_C_O_SVS           344 +: 8
`define TW_C_O_SVS_LSB       344
`define TW_C_O_DVS           352 +: 8
`define TW_C_O_DVS_LSB       352
`define TW_C_I_SVS           360 +: 8
`define TW_C_I_SVS_LSB       360
`define TW_C_I_DVS           368 +: 8
`define TW_C_I_DVS_LSB       368
// [631:376] match vector, rule order: bit r = rule r matched (alert and pass rules; alert matches after a matching
// pass rule too). The alert stage counts every bit per rule (the reference's per-rule `matches`) and re-derives the
// pass suppression from its banked rule actions (an alert rule after a matching pass rule is suppressed).
`define TW_C_MATCHV          376 +: 256
`define TW_C_MATCHV_LSB      376
`define TW_C_MATCHV_W        256
// counts (9 bits each): alert matches not suppressed by an earlier matching pass rule (before thresholds, the rate
// limiter and the 8-alert cut); every matching rule (alert and pass) = bits set in TW_C_MATCHV; alert matches
// suppressed by an earlier matching pass rule
`define TW_C_N_ALERTS        632 +: 9
`define TW_C_N_ALERTS_LSB    632
`define TW_C_N_ALERTS_W      9
`define TW_C_MATCHES         641 +: 9
`define TW_C_MATCHES_LSB     641
`define TW_C_MATCHES_W       9
`define TW_C_SUPPRESSED      650 +: 9
`define TW_C_SUPPRESSED_LSB  650
`define TW_C_SUPPRESSED_W    9
// [663:659] reserved (0)
// the parser's metadata record (contracts/meta.def): ts, port, fseq, len, addresses, ports, VLANs, tunnel, ...
`define TW_C_META_LSB        664
`define TW_C_META            664 +: `TW_M_WIDTH
`define TW_C_WIDTH           (664 + `TW_M_WIDTH)

`endif
