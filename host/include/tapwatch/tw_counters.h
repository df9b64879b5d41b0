/* Generated from contracts/counters.def by contracts/gen.awk: do not edit. */
#ifndef TW_COUNTERS_H
#define TW_COUNTERS_H
#include <stddef.h>
#include <stdint.h>

#define TW_CNT_FRAMES 0 /* frames received on the port */
#define TW_CNT_BYTES 1 /* bytes received on the port */
#define TW_CNT_MACBAD 2 /* frames the MAC marked bad (tuser) */
#define TW_CNT_RUNT 3 /* parser error: runt */
#define TW_CNT_GIANT 4 /* parser error: giant */
#define TW_CNT_TRUNC 5 /* parser error: header truncated */
#define TW_CNT_IPVER 6 /* parser error: bad IP version */
#define TW_CNT_IHL 7 /* parser error: bad IHL */
#define TW_CNT_IPLEN 8 /* parser error: IP length inconsistent with the frame */
#define TW_CNT_CSUM 9 /* parser error: bad IPv4 header checksum */
#define TW_CNT_DEEP 10 /* parser error: header chain too deep */
#define TW_CNT_COPY_DROP 11 /* detection copies dropped whole (detection path full) */
#define TW_CNT_RECORDS 12 /* metadata records emitted */
#define TW_CNT_EGRESS 13 /* frames forwarded to the egress port */
#define TW_CNT_PER_PORT 16 /* counters per port block */

#endif
