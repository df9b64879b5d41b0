/* Generated from contracts/protocol.def by contracts/gen.awk: do not edit. */
#ifndef TW_PROTOCOL_H
#define TW_PROTOCOL_H
#include <stddef.h>
#include <stdint.h>

#define TW_PROTO_SYNC0 165 /* first sync byte 0xA5 */
#define TW_PROTO_SYNC1 90 /* second sync byte 0x5A */
#define TW_PROTO_HDR_BYTES 7 /* sync(2) type(1) seq(2) len(2) */
#define TW_PROTO_CRC_BYTES 2 /* CRC-16/CCITT-FALSE, low byte first */
#define TW_PROTO_MAX_LEN 1024 /* largest payload in either direction */
#define TW_PROTO_CRC_POLY 4129 /* 0x1021 */
#define TW_PROTO_CRC_INIT 65535 /* 0xFFFF */
#define TW_PROTO_VERSION 256 /* protocol version 1.0 (major << 8 | minor) */
#define TW_CMD_REG_READ 1 /* addr u16, count u16 (1..PROTO_MAX_REGS) */
#define TW_CMD_REG_WRITE 2 /* addr u16, count u16, count x u32 */
#define TW_CMD_TABLE_WRITE 3 /* table u8, rsvd u8, index u16, count u16, rsvd u16, count x u32 */
#define TW_CMD_COMMIT 4 /* mask u32: one commit strobe per set bit (table id) */
#define TW_CMD_TIME_SET 5 /* time u64 in ns */
#define TW_CMD_CNT_SNAPSHOT 6 /* base u16, count u16 (1..PROTO_MAX_CNTS) */
#define TW_DEV_RESP 129 /* cmd_type u8, status u8, cmd_seq u16, addr u16, count u16, count x u32 (reads) */
#define TW_DEV_ALERT 130 /* an alert record (opaque bytes, layout of the detection engine) */
#define TW_DEV_FLOW 131 /* a flow record (opaque bytes) */
#define TW_DEV_COUNTERS 132 /* cmd_seq u16, base u16, count u16, rsvd u16, time u64, count x u64 */
#define TW_DEV_ERROR 133 /* code u8, rsvd u8, rsvd u16, count u32 (new since last report), total u32 */
#define TW_PROTO_MAX_REGS 64 /* registers per REG_READ / REG_WRITE */
#define TW_PROTO_MAX_WORDS 254 /* words per TABLE_WRITE ((1024 - 8) / 4) */
#define TW_PROTO_MAX_CNTS 64 /* counters per CNT_SNAPSHOT */
#define TW_PROTO_RESP_HDR 8 /* bytes of a DEV_RESP payload before the values */
#define TW_PROTO_CNT_HDR 16 /* bytes of a DEV_COUNTERS payload before the values */
#define TW_PROTO_ERROR_LEN 12 /* bytes of a DEV_ERROR payload */
#define TW_ST_OK 0
#define TW_ST_BAD_TYPE 1 /* unknown command type */
#define TW_ST_BAD_LEN 2 /* payload length does not match the command */
#define TW_ST_BAD_ADDR 3 /* unmapped register or write to a read-only one: nothing of the burst is done */
#define TW_ST_BAD_COUNT 4 /* count is 0 or above the limit */
#define TW_EC_CRC 1 /* command frames dropped for a bad CRC */
#define TW_EC_HDR 2 /* command headers rejected (length above PROTO_MAX_LEN) */
#define TW_EC_TX_DROP 3 /* device records (alert/flow) dropped whole because the link was full */

#endif
