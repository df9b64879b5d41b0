/* Generated from contracts/regs.def by contracts/gen.awk: do not edit. */
#ifndef TW_REGS_H
#define TW_REGS_H
#include <stddef.h>
#include <stdint.h>

#define TW_REG_MAGIC 0 /* reads REG_MAGIC_VALUE */
#define TW_REG_VERSION 1 /* protocol version (low 16 bits) and RTL version (high 16 bits) */
#define TW_REG_CAP_RULES 2 /* rule table entries */
#define TW_REG_CAP_FLOWS 3 /* flow table entries */
#define TW_REG_CAP_DATAPATH 4 /* datapath width in bits */
#define TW_REG_CAP_CLK_MHZ 5 /* core clock in MHz */
#define TW_REG_CAP_CNT 6 /* counters behind the counter window */
#define TW_REG_CAP_PFX_IV 7 /* prefix lookup: 0 = prefix table (table 3), n = interval table of n entries (table 7) */
#define TW_REG_CAP_FLOW_GEOM 8 /* flow table geometry: ways in bits 7:0, log2 of the buckets in bits 15:8 (0: no flow table) */
#define TW_REG_CAP_DIGEST_GEOM 9 /* mirror-copy digest table geometry (sets and ways), as REG_CAP_FLOW_GEOM (0: none) */
#define TW_REG_CAP_STATE_GEOM 10 /* threshold / volume state table geometry (buckets and ways), as REG_CAP_FLOW_GEOM (0: none) */
#define TW_REG_CAP_HDR_BYTES 11 /* frame head bytes the parser reads (0: no parser behind the link) */
#define TW_GEOM_WAYS_MASK 255 /* a geometry register's ways field (bits 7:0) */
#define TW_GEOM_LOG2_SHIFT 8 /* a geometry register's log2(buckets) field starts at bit 8 (8 bits) */
#define TW_REG_CONTROL 16 /* control bits, exported to the core as ctrl */
#define TW_CTRL_MONITOR 1 /* REG_CONTROL bit 0 (mask): monitor-only, no egress (tw_top) */
#define TW_CTRL_FLUSH 2 /* REG_CONTROL bit 1 (mask): its 0 -> 1 transition flushes the flow table (every live flow as a shutdown record; REG_STATUS bit 2 while it runs) */
#define TW_REG_STATUS 17 /* status bits from the core (read-only) */
#define TW_REG_SCRATCH 18 /* scratch register, no effect */
#define TW_REG_TIME_LO 20 /* time in ns, low word (reading it latches the high word; read-only: use CMD_TIME_SET) */
#define TW_REG_TIME_HI 21 /* time in ns, high word as latched by the last REG_TIME_LO read */
#define TW_REG_LINK_RX_FRAMES 32 /* command frames accepted (good CRC) */
#define TW_REG_LINK_CRC_ERR 33 /* command frames with a bad CRC */
#define TW_REG_LINK_HDR_ERR 34 /* command headers rejected (length above the maximum) */
#define TW_REG_LINK_RESYNCS 35 /* times the receiver discarded bytes while hunting for sync */
#define TW_REG_LINK_DISCARDS 36 /* bytes discarded while hunting for sync */
#define TW_REG_LINK_BAD_CMDS 37 /* commands answered with a status other than ST_OK */
#define TW_REG_LINK_TX_FRAMES 38 /* device frames sent (sequence numbers used by sent frames) */
#define TW_REG_LINK_TX_DROPS 39 /* records dropped whole (each one consumed a sequence number) */
#define TW_REG_LINK_RX_TMO 40 /* command frames given up after the stream paused mid-frame (RX_TIMEOUT) */
#define TW_REG_EXT_BASE 256 /* 0x0100..0x0FFF: external register port (future engine / tap configuration) */
#define TW_REG_EXT_END 4095
#define TW_REG_CNT_BASE 4096 /* 0x1000: counter i at REG_CNT_BASE + 2i (low word; latches the high word) and + 2i + 1 */
#define TW_REG_CNT_END 8191
#define TW_REG_MAGIC_VALUE 1415007307 /* 0x54574C4B "TWLK" */

#endif
