/* The C reference dissector: the same metadata record as the RTL parser (docs/parser.md), from frame bytes. */
#ifndef TAPWATCH_DISSECT_H
#define TAPWATCH_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/meta.h"

/* Parser settings; the same values are registers of the hardware. */
struct tw_dissect_cfg {
    unsigned hdr_bytes;   /* bytes of each frame the parser sees (RTL HDR_BYTES, 256) */
    unsigned mtu;         /* frames longer than this are giants (9600) */
    unsigned l2tp_cookie; /* L2TPv3 cookie length: 0, 4 or 8 */
};

/* Fills cfg with the reference hardware's defaults. */
void tw_dissect_cfg_default(struct tw_dissect_cfg *cfg);

/* Parses one frame into *out (zeroed first). tuser: the MAC's bad-frame flag. Never fails: problems are err bits. */
void tw_dissect(const struct tw_dissect_cfg *cfg, const uint8_t *frame, size_t len, int tuser, uint64_t ts_ns,
                unsigned port, uint32_t fseq, struct tw_meta *out);

#endif
