// Generated from contracts/flow_rec.def by contracts/gen.awk: do not edit.
`ifndef TW_FLOW_REC_VH
`define TW_FLOW_REC_VH
`define TW_FR_TIMEOUT 0
`define TW_FR_HARD_TIMEOUT 1
`define TW_FR_EVICTED 2
`define TW_FR_SHUTDOWN 3
`define TW_FR_FLOW_ID 0 +: 64
`define TW_FR_FLOW_ID_LSB 0
`define TW_FR_FLOW_ID_W 64
`define TW_FR_CLI_IP 64 +: 128
`define TW_FR_CLI_IP_LSB 64
`define TW_FR_CLI_IP_W 128
`define TW_FR_SRV_IP 192 +: 128
`define TW_FR_SRV_IP_LSB 192
`define TW_FR_SRV_IP_W 128
`define TW_FR_CLI_PORT 320 +: 16
`define TW_FR_CLI_PORT_LSB 320
`define TW_FR_CLI_PORT_W 16
`define TW_FR_SRV_PORT 336 +: 16
`define TW_FR_SRV_PORT_LSB 336
`define TW_FR_SRV_PORT_W 16
`define TW_FR_PROTO 352 +: 8
`define TW_FR_PROTO_LSB 352
`define TW_FR_PROTO_W 8
`define TW_FR_IP_VER 360 +: 8
`define TW_FR_IP_VER_LSB 360
`define TW_FR_IP_VER_W 8
`define TW_FR_VLAN 368 +: 16
`define TW_FR_VLAN_LSB 368
`define TW_FR_VLAN_W 16
`define TW_FR_PKTS_TOSERVER 384 +: 64
`define TW_FR_PKTS_TOSERVER_LSB 384
`define TW_FR_PKTS_TOSERVER_W 64
`define TW_FR_PKTS_TOCLIENT 448 +: 64
`define TW_FR_PKTS_TOCLIENT_LSB 448
`define TW_FR_PKTS_TOCLIENT_W 64
`define TW_FR_BYTES_TOSERVER 512 +: 64
`define TW_FR_BYTES_TOSERVER_LSB 512
`define TW_FR_BYTES_TOSERVER_W 64
`define TW_FR_BYTES_TOCLIENT 576 +: 64
`define TW_FR_BYTES_TOCLIENT_LSB 576
`define TW_FR_BYTES_TOCLIENT_W 64
`define TW_FR_FIRST_TS 640 +: 64
`define TW_FR_FIRST_TS_LSB 640
`define TW_FR_FIRST_TS_W 64
`define TW_FR_LAST_TS 704 +: 64
`define TW_FR_LAST_TS_LSB 704
`define TW_FR_LAST_TS_W 64
`define TW_FR_TCP_FLAGS_TS 768 +: 8
`define TW_FR_TCP_FLAGS_TS_LSB 768
`define TW_FR_TCP_FLAGS_TS_W 8
`define TW_FR_TCP_FLAGS_TC 776 +: 8
`define TW_FR_TCP_FLAGS_TC_LSB 776
`define TW_FR_TCP_FLAGS_TC_W 8
`define TW_FR_STATE 784 +: 2
`define TW_FR_STATE_LSB 784
`define TW_FR_STATE_W 2
`define TW_FR_REASON 786 +: 2
`define TW_FR_REASON_LSB 786
`define TW_FR_REASON_W 2
`define TW_FR_ALERTED 788 +: 1
`define TW_FR_ALERTED_LSB 788
`define TW_FR_ALERTED_W 1
`define TW_FR_RSVD789 789 +: 3
`define TW_FR_RSVD789_LSB 789
`define TW_FR_RSVD789_W 3
`define TW_FR_SEQ 792 +: 32
`define TW_FR_SEQ_LSB 792
`define TW_FR_SEQ_W 32
`define TW_FR_WIDTH 824
`endif
