// Generated from contracts/counters.def by contracts/gen.awk: do not edit.
`ifndef TW_COUNTERS_VH
`define TW_COUNTERS_VH
`define TW_CNT_FRAMES 0
`define TW_CNT_BYTES 1
`define TW_CNT_MACBAD 2
`define TW_CNT_RUNT 3
`define TW_CNT_GIANT 4
`define TW_CNT_TRUNC 5
`define TW_CNT_IPVER 6
`define TW_CNT_IHL 7
`define TW_CNT_IPLEN 8
`define TW_CNT_CSUM 9
`define TW_CNT_DEEP 10
`define TW_CNT_COPY_DROP 11
`define TW_CNT_RECORDS 12
`define TW_CNT_EGRESS 13
`define TW_CNT_PER_PORT 16
`define TW_CNT_MAC_BASE 96
`define TW_CNT_MAC_PER_PORT 8
`define TW_CNT_MAC_RX_FRAMES 0
`define TW_CNT_MAC_RX_FCS_BAD 1
`define TW_CNT_MAC_RX_ERR 2
`define TW_CNT_MAC_RX_DROP 3
`define TW_CNT_MAC_TX_FRAMES 4
`define TW_CNT_MAC_TX_UNDERFLOW 5
`define TW_CNT_MAC_TX_DROP 6
`endif
