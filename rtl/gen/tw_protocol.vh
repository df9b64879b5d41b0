// Generated from contracts/protocol.def by contracts/gen.awk: do not edit.
`ifndef TW_PROTOCOL_VH
`define TW_PROTOCOL_VH
`define TW_PROTO_SYNC0 165
`define TW_PROTO_SYNC1 90
`define TW_PROTO_HDR_BYTES 7
`define TW_PROTO_CRC_BYTES 2
`define TW_PROTO_MAX_LEN 1024
`define TW_PROTO_CRC_POLY 4129
`define TW_PROTO_CRC_INIT 65535
`define TW_PROTO_VERSION 256
`define TW_CMD_REG_READ 1
`define TW_CMD_REG_WRITE 2
`define TW_CMD_TABLE_WRITE 3
`define TW_CMD_COMMIT 4
`define TW_CMD_TIME_SET 5
`define TW_CMD_CNT_SNAPSHOT 6
`define TW_DEV_RESP 129
`define TW_DEV_ALERT 130
`define TW_DEV_FLOW 131
`define TW_DEV_COUNTERS 132
`define TW_DEV_ERROR 133
`define TW_PROTO_MAX_REGS 64
`define TW_PROTO_MAX_WORDS 254
`define TW_PROTO_MAX_CNTS 64
`define TW_PROTO_RESP_HDR 8
`define TW_PROTO_CNT_HDR 16
`define TW_PROTO_ERROR_LEN 12
`define TW_ST_OK 0
`define TW_ST_BAD_TYPE 1
`define TW_ST_BAD_LEN 2
`define TW_ST_BAD_ADDR 3
`define TW_ST_BAD_COUNT 4
`define TW_EC_CRC 1
`define TW_EC_HDR 2
`define TW_EC_TX_DROP 3
`endif
