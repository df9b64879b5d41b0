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
`endif
