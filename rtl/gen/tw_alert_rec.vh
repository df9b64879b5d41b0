// Generated from contracts/alert_rec.def by contracts/gen.awk: do not edit.
`ifndef TW_ALERT_REC_VH
`define TW_ALERT_REC_VH
`define TW_AR_MAX_EVIDENCE 128
`define TW_AR_SEQ 0 +: 32
`define TW_AR_SEQ_LSB 0
`define TW_AR_SEQ_W 32
`define TW_AR_TS 32 +: 64
`define TW_AR_TS_LSB 32
`define TW_AR_TS_W 64
`define TW_AR_FLOW_ID 96 +: 64
`define TW_AR_FLOW_ID_LSB 96
`define TW_AR_FLOW_ID_W 64
`define TW_AR_FSEQ 160 +: 32
`define TW_AR_FSEQ_LSB 160
`define TW_AR_FSEQ_W 32
`define TW_AR_LEN 192 +: 16
`define TW_AR_LEN_LSB 192
`define TW_AR_LEN_W 16
`define TW_AR_PORT 208 +: 1
`define TW_AR_PORT_LSB 208
`define TW_AR_PORT_W 1
`define TW_AR_INNER 209 +: 1
`define TW_AR_INNER_LSB 209
`define TW_AR_INNER_W 1
`define TW_AR_MIRROR 210 +: 1
`define TW_AR_MIRROR_LSB 210
`define TW_AR_MIRROR_W 1
`define TW_AR_PORTS_V 211 +: 1
`define TW_AR_PORTS_V_LSB 211
`define TW_AR_PORTS_V_W 1
`define TW_AR_IP_VER 212 +: 4
`define TW_AR_IP_VER_LSB 212
`define TW_AR_IP_VER_W 4
`define TW_AR_PROTO 216 +: 8
`define TW_AR_PROTO_LSB 216
`define TW_AR_PROTO_W 8
`define TW_AR_RULE 224 +: 16
`define TW_AR_RULE_LSB 224
`define TW_AR_RULE_W 16
`define TW_AR_SID 240 +: 32
`define TW_AR_SID_LSB 240
`define TW_AR_SID_W 32
`define TW_AR_REV 272 +: 32
`define TW_AR_REV_LSB 272
`define TW_AR_REV_W 32
`define TW_AR_GID 304 +: 32
`define TW_AR_GID_LSB 304
`define TW_AR_GID_W 32
`define TW_AR_PRIO 336 +: 8
`define TW_AR_PRIO_LSB 336
`define TW_AR_PRIO_W 8
`define TW_AR_SRC_IP 344 +: 128
`define TW_AR_SRC_IP_LSB 344
`define TW_AR_SRC_IP_W 128
`define TW_AR_DST_IP 472 +: 128
`define TW_AR_DST_IP_LSB 472
`define TW_AR_DST_IP_W 128
`define TW_AR_SRC_PORT 600 +: 16
`define TW_AR_SRC_PORT_LSB 600
`define TW_AR_SRC_PORT_W 16
`define TW_AR_DST_PORT 616 +: 16
`define TW_AR_DST_PORT_LSB 616
`define TW_AR_DST_PORT_W 16
`define TW_AR_VLAN_N 632 +: 2
`define TW_AR_VLAN_N_LSB 632
`define TW_AR_VLAN_N_W 2
`define TW_AR_TUN_ID_V 634 +: 1
`define TW_AR_TUN_ID_V_LSB 634
`define TW_AR_TUN_ID_V_W 1
`define TW_AR_TUN_KIND 635 +: 4
`define TW_AR_TUN_KIND_LSB 635
`define TW_AR_TUN_KIND_W 4
`define TW_AR_RSVD639 639 +: 1
`define TW_AR_RSVD639_LSB 639
`define TW_AR_RSVD639_W 1
`define TW_AR_VLAN0 640 +: 12
`define TW_AR_VLAN0_LSB 640
`define TW_AR_VLAN0_W 12
`define TW_AR_VLAN1 652 +: 12
`define TW_AR_VLAN1_LSB 652
`define TW_AR_VLAN1_W 12
`define TW_AR_SRC_VSETS 664 +: 8
`define TW_AR_SRC_VSETS_LSB 664
`define TW_AR_SRC_VSETS_W 8
`define TW_AR_DST_VSETS 672 +: 8
`define TW_AR_DST_VSETS_LSB 672
`define TW_AR_DST_VSETS_W 8
`define TW_AR_TUN_ID 680 +: 32
`define TW_AR_TUN_ID_LSB 680
`define TW_AR_TUN_ID_W 32
`define TW_AR_PKTS_TOSERVER 712 +: 64
`define TW_AR_PKTS_TOSERVER_LSB 712
`define TW_AR_PKTS_TOSERVER_W 64
`define TW_AR_PKTS_TOCLIENT 776 +: 64
`define TW_AR_PKTS_TOCLIENT_LSB 776
`define TW_AR_PKTS_TOCLIENT_W 64
`define TW_AR_BYTES_TOSERVER 840 +: 64
`define TW_AR_BYTES_TOSERVER_LSB 840
`define TW_AR_BYTES_TOSERVER_W 64
`define TW_AR_BYTES_TOCLIENT 904 +: 64
`define TW_AR_BYTES_TOCLIENT_LSB 904
`define TW_AR_BYTES_TOCLIENT_W 64
`define TW_AR_EV_LEN 968 +: 8
`define TW_AR_EV_LEN_LSB 968
`define TW_AR_EV_LEN_W 8
`define TW_AR_WIDTH 976
`endif
