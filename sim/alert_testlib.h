/* Helpers of the alert-stage test and bench (tests/engine/test_alert_stage.c, sim/alert_bench.c): the per-frame
 * inputs of rtl/tw_alert_stage.v built with the reference's stage functions (flow table, digest table, vendor
 * sets, the full alert match vector after pass suppression), and the table load. Header-only (static). */
#ifndef TAPWATCH_SIM_ALERT_TESTLIB_H
#define TAPWATCH_SIM_ALERT_TESTLIB_H

#include <stdint.h>
#include <string.h>

#include "alert_model.h"
#include "detect_int.h"
#include "tapwatch/detect_match.h"
#include "tapwatch/tables.h"

/* The alert match vector after pass suppression, from the reference matcher (tw_detect_match gives the first 8 in
 * rule order; the rules up to the 8th are then switched off in a scratch copy of the tables and the rest asked for,
 * which is exact: a matching pass rule before the 8th would have suppressed the later ones). scratch must be a
 * copy of t; it is restored. */
static inline void al_match_vec(const struct tw_tables *t, struct tw_tables *scratch, const struct tw_meta *m, int mc,
                                uint8_t vec[32])
{
    memset(vec, 0, 32);
    unsigned cleared = 0;
    for (;;) {
        struct tw_match_result r;
        tw_detect_match(scratch, m, mc, &r);
        for (unsigned i = 0; i < r.n; i++)
            vec[r.idx[i] / 8] |= (uint8_t)(1u << (r.idx[i] % 8));
        if (!r.overflow || !r.n)
            break;
        unsigned upto = r.idx[r.n - 1] + 1u;
        for (unsigned j = cleared; j < upto; j++)
            scratch->rule[j].valid = 0;
        cleared = upto;
    }
    for (unsigned j = 0; j < cleared; j++)
        scratch->rule[j].valid = t->rule[j].valid;
}

static inline unsigned al_vsets(const struct tw_tables *t, int l2, uint64_t mac)
{
    return l2 ? tw_oui_vsets(t, (uint32_t)(mac >> 24) & 0xFFFFFFu) : 0;
}

/* One frame through the reference's flow stage, digest stage and sweep (d: a detector used only for these, in
 * step with the full reference detector), giving the alert stage's inputs. bits: TW_M_BYTES for the packed record. */
static inline void al_stage_inputs(struct tw_detector *d, const struct tw_tables *t, struct tw_tables *scratch,
                                   const struct tw_meta *m, uint8_t *bits, unsigned bank, struct tw_alm_in *in)
{
    memset(in, 0, sizeof *in);
    tw_meta_pack(m, bits);
    in->meta = bits;
    in->bank = (uint8_t)bank;
    uint64_t flen = m->len > d->p.fcs_bytes ? m->len - d->p.fcs_bytes : 0;
    struct tw_flow_key k;
    int rev = 0;
    if (tw_flow_key_of(m, &k, &rev)) {
        uint32_t h = tw_flow_prepare(d, &k);
        int tc = 0;
        struct tw_flow_ent *x = tw_flow_access(d, m, &k, rev, h, flen, &tc);
        unsigned b = h & (d->p.flow_buckets - 1);
        in->flow = 1;
        in->flow_id = x->flow_id;
        in->bucket = b;
        in->way = (unsigned)(x - (d->flows.ent + (size_t)b * d->p.flow_ways));
        in->pkts_ts = x->pkts_ts;
        in->pkts_tc = x->pkts_tc;
        in->bytes_ts = x->bytes_ts;
        in->bytes_tc = x->bytes_tc;
    }
    uint8_t v[TW_DIGEST_VEC_BYTES];
    int mc = 0;
    if (m->inner && tw_digest_vec(m, 1, v))
        mc = tw_digest_lookup(d, tw_digest_tag(&d->hash, v), m->ts);
    if (tw_digest_vec(m, 0, v))
        tw_digest_insert(d, tw_digest_tag(&d->hash, v), m->ts);
    tw_flow_sweep(d, m->ts);
    in->mirror = (uint8_t)mc;
    in->vs[0] = (uint8_t)al_vsets(t, m->o_l2, m->o_smac);
    in->vs[1] = (uint8_t)al_vsets(t, m->o_l2, m->o_dmac);
    in->vs[2] = (uint8_t)(m->inner ? al_vsets(t, m->i_l2, m->i_smac) : 0);
    in->vs[3] = (uint8_t)(m->inner ? al_vsets(t, m->i_l2, m->i_dmac) : 0);
    al_match_vec(t, scratch, m, mc, in->alerts);
}

/* Writes all 256 rule entries of t into the shadow bank and commits. Returns the active bank after it. */
static inline unsigned al_load(struct tw_alm *hw, const struct tw_tables *t)
{
    uint8_t e[TW_RE_BYTES];
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        tw_rule_entry_pack(&t->rule[i], e);
        tw_alm_tbl(hw, 1, 5, i, e);
        while (!tw_alm_tbl_ready(hw))
            tw_alm_tick(hw);
        tw_alm_tick(hw);
    }
    tw_alm_tbl(hw, 1, 6, 0, NULL);
    while (!tw_alm_tbl_ready(hw))
        tw_alm_tick(hw);
    tw_alm_tick(hw);
    tw_alm_tbl(hw, 0, 0, 0, NULL);
    tw_alm_tick(hw);
    struct tw_alm_counters c;
    tw_alm_counters(hw, &c);
    return c.rule_bank;
}

#endif
