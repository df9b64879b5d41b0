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
#define TW_CNT_MAC_BASE 96 /* first counter address of the board MAC blocks (after the device top's counters) */
#define TW_CNT_MAC_PER_PORT 8 /* counters per MAC port */
#define TW_CNT_MAC_RX_FRAMES 0 /* frames received with a valid preamble/SFD (good or bad) */
#define TW_CNT_MAC_RX_FCS_BAD 1 /* frames received with a bad FCS (marked bad in tuser, still delivered) */
#define TW_CNT_MAC_RX_ERR 2 /* receive errors: RX_ER in a frame, a frame too short for an FCS, a bad preamble */
#define TW_CNT_MAC_RX_DROP 3 /* received frames dropped whole: the receive FIFO was full */
#define TW_CNT_MAC_TX_FRAMES 4 /* frames transmitted */
#define TW_CNT_MAC_TX_UNDERFLOW 5 /* transmit underflows (a byte missing mid-frame: sent as TX_ER) */
#define TW_CNT_MAC_TX_DROP 6 /* frames to transmit dropped whole: larger than the transmit FIFO */

#endif
