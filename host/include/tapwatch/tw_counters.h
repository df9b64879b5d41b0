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
#define TW_CNT_DET_BASE 32 /* first detection counter */
#define TW_CNT_DET_RECORDS 32 /* parser records taken by the detection pipeline */
#define TW_CNT_DET_CANDS 33 /* candidates (one per record) out of the front */
#define TW_CNT_DET_FLOWS 34 /* flow records emitted (idle/hard timeout, eviction, flush) */
#define TW_CNT_DET_ALERT_OPS 35 /* alerted-flow write-backs taken by the flow table */
#define TW_CNT_DG_LOOKUPS 36 /* mirror digest lookups (frames with an inner IP packet) */
#define TW_CNT_DG_MIRROR 37 /* mirror copies found */
#define TW_CNT_DG_INSERTS 38 /* digests inserted (frames with an outer IP packet) */
#define TW_CNT_DG_REPLACED 39 /* inserts that replaced a live digest */
#define TW_CNT_FL_CREATED 40 /* flows created */
#define TW_CNT_FL_EVICTED 41 /* flows evicted from a full bucket */
#define TW_CNT_FL_SWEEPS 42 /* background sweep steps */
#define TW_CNT_FL_NO_IP 43 /* records without an outer IP header (no flow) */
#define TW_CNT_ENG_FRAMES 44 /* records matched by the rule engine */
#define TW_CNT_ENG_NO_IP 45 /* ... without an outer IP header */
#define TW_CNT_ENG_MATCHES 46 /* rule matches (alert and pass) */
#define TW_CNT_ENG_ALERTS 47 /* alert matches after pass suppression (before the 8-per-frame cut) */
#define TW_CNT_ENG_OVERFLOW 48 /* engine: alert matches beyond 8 in its first-8 list */
#define TW_CNT_ENG_SUPPRESSED 49 /* alert matches suppressed by an earlier pass rule */
#define TW_CNT_TBL_OK 50 /* table commands applied by the engine */
#define TW_CNT_TBL_BAD 51 /* table commands rejected by the engine (index out of range, bad settings) */
#define TW_CNT_TBL_COMMITS 52 /* rule bank swaps */
#define TW_CNT_AL_ALERTS 53 /* alert records made by the alert stage */
#define TW_CNT_AL_CUT 54 /* alerts beyond 8 in one frame, dropped */
#define TW_CNT_AL_FRAMES 55 /* frames through the alert stage (every record) */
#define TW_CNT_AL_RATE_LIMITED 56 /* alerts held back by the per-rule rate limiter */
#define TW_CNT_AL_THRESHOLDED 57 /* matches held back by threshold / detection_filter / volume */
#define TW_CNT_AL_STATE_FULL 58 /* threshold/volume keys without a free way (the rule alerted) */
#define TW_CNT_AL_FRAMES_ALERTED 59 /* frames with at least one alert */
#define TW_CNT_AL_MATCHES 60 /* alert-vector bits walked (matches after pass suppression) */
#define TW_CNT_AL_IGNORED 61 /* bits of rules that are not valid alert rules */
#define TW_CNT_AL_FALERTS 62 /* alerted-flow operands made */
#define TW_CNT_AL_TBL 63 /* alert stage table commands: bad (high word), for other blocks (low word) */
#define TW_CNT_EV_BASE 64 /* first evidence/record counter */
#define TW_CNT_EV_STORED 64 /* frames whose first bytes were kept as evidence */
#define TW_CNT_EV_DROPS 65 /* frames not kept: the port's evidence ring was full (dropped whole) */
#define TW_CNT_EV_MISSING 66 /* alert records sent without evidence (their frame was not kept) */
#define TW_CNT_REC_ALERTS 67 /* alert records given to the link (REG_LINK_TX_DROPS: those the link dropped) */
#define TW_CNT_REC_FLOWS 68 /* flow records given to the link */
#define TW_CNT_WB_DROPS 69 /* alerted-flow write-backs dropped: always 0 since flow records wait for their frame's verdict (kept for the map) */
#define TW_CNT_LD_WORDS 72 /* CMD_TABLE_WRITE words received */
#define TW_CNT_LD_ENTRIES 73 /* entries assembled and issued */
#define TW_CNT_LD_BAD 74 /* words for an unknown table id (dropped) */
#define TW_CNT_LD_QDROP 75 /* entries or commits dropped: command queue full */
#define TW_CNT_LD_COMMITS 76 /* CMD_COMMIT strobes */
#define TW_CNT_BLOCKS_END 80 /* the blocks above end here (a host reads counters 0..CNT_BLOCKS_END-1 for them) */
#define TW_CNT_RULE_BASE 1024 /* first per-rule counter (rule 0's matches) */
#define TW_CNT_RULE_STRIDE 4 /* counters per rule */
#define TW_CNT_RULE_MATCHES 0 /* the rule matched (alert and pass rules; suppressed, thresholded, limited, cut included) */
#define TW_CNT_RULE_ALERTS 1 /* alert records made for the rule */
#define TW_CNT_RULE_RATE_LIMITED 2 /* the rule's alerts held back by the rate limiter */
#define TW_CNT_TOTAL 2048 /* counters behind the window (REG_CAP_CNT): CNT_RULE_BASE + CNT_RULE_STRIDE * 256 */

#endif
