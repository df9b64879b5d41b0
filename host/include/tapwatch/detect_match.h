/* The reference detector's match stage alone (host/src/detect_match.c): for one record, the vendor sets of its MACs
 * and the rules that match, in rule order, with pass suppression and the 8-per-frame cut, BEFORE thresholds, volume
 * and the rate limiter. This is what the RTL engine's match path (rtl/tw_engine.v) produces per frame; the
 * match conditions are those of docs/tables.md and detect.c (same set, port, vendor, vlan, ttl, flag rules).
 * For rules without thresholds/volume and an unlimited rate, the detector's alerts are exactly `idx[0..n-1]`. */
#ifndef TAPWATCH_DETECT_MATCH_H
#define TAPWATCH_DETECT_MATCH_H

#include <stdint.h>

#include "tapwatch/meta.h"

struct tw_tables;

struct tw_match_result {
    uint8_t vs[4];       /* vendor sets: outer src MAC, outer dst MAC, inner src MAC, inner dst MAC (0 without L2) */
    unsigned n;          /* alert rules selected, 0..TW_CAP_ALERTS */
    uint16_t idx[8];     /* their indices in rule order */
    unsigned overflow;   /* alert matches beyond TW_CAP_ALERTS */
    unsigned matches;    /* matching rules, alert and pass */
    unsigned suppressed; /* alert matches after a matching pass rule */
    uint8_t alerts[32];  /* bit r (byte r / 8, bit r % 8): rule r matched, is an alert rule and no earlier matching
                          * rule is a pass rule (the selected and the overflow ones; before thresholds) */
    uint8_t matchv[32];  /* bit r: rule r matched (alert and pass rules, suppressed ones too): the RTL engine's
                          * per-frame match vector, from which the alert stage counts the per-rule matches */
};

/* mirror: the frame is a mirror copy (the digest stage's result). */
void tw_detect_match(const struct tw_tables *t, const struct tw_meta *m, int mirror, struct tw_match_result *r);

#endif
