/* The order in which `tapwatch replay` writes what it collected from the device, shared with the tests that must
 * write the same order (tests/usb/test_usb_device.c): alerts by the capture frame they came from (pcap_cnt), then
 * by arrival; flow records by end time, start time, flow id. Header-only, internal to the CLI and its tests. */
#ifndef TAPWATCH_CLI_REPLAY_ORDER_H
#define TAPWATCH_CLI_REPLAY_ORDER_H

#include <stdint.h>

#include "tapwatch/tw_alert_rec.h"
#include "tapwatch/tw_flow_rec.h"

/* One alert record from the device with the capture frame it maps to. */
struct alert_item {
    uint64_t pcap_cnt, order; /* frame number in the capture (1-based); arrival order */
    uint32_t wire_len;        /* the frame's length on the wire (evidence capture header) */
    struct tw_alert_rec r;
    uint8_t ev[TW_AR_MAX_EVIDENCE];
};

/* qsort comparators */
static inline int tw_replay_cmp_alert(const void *x, const void *y)
{
    const struct alert_item *a = x, *b = y;
    if (a->pcap_cnt != b->pcap_cnt)
        return a->pcap_cnt < b->pcap_cnt ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static inline int tw_replay_cmp_flow(const void *x, const void *y)
{
    const struct tw_flow_rec *a = x, *b = y;
    if (a->last_ts != b->last_ts)
        return a->last_ts < b->last_ts ? -1 : 1;
    if (a->first_ts != b->first_ts)
        return a->first_ts < b->first_ts ? -1 : 1;
    return a->flow_id < b->flow_id ? -1 : a->flow_id > b->flow_id;
}

#endif
