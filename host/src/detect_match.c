/* The reference detector's pre-threshold match stage (host/include/tapwatch/detect_match.h): the per-layer view and
 * the rule condition of the detector itself (detect_rule.h), over the plain lookup functions of tables.c, exposed so
 * the RTL engine's match path can be compared frame by frame. */
#include "tapwatch/detect_match.h"

#include <string.h>

#include "detect_rule.h"
#include "tapwatch/tables.h"

/* The view of a layer with every lookup (the vendor sets always: the result reports them). */
static void mlayer_of(const struct tw_tables *t, const struct tw_meta *m, int inner, struct tw_layer *L)
{
    tw_layer_view(m, inner, L);
    if (L->l2) {
        L->smac_vs = tw_oui_vsets(t, (uint32_t)(L->smac >> 24) & 0xFFFFFFu);
        L->dmac_vs = tw_oui_vsets(t, (uint32_t)(L->dmac >> 24) & 0xFFFFFFu);
    }
    if (!L->ip)
        return;
    if (L->ports) {
        L->sp_sets = tw_port_sets(t, L->sport);
        L->dp_sets = tw_port_sets(t, L->dport);
    }
    L->src_sets = tw_addr_sets(t, L->v6, L->src);
    L->dst_sets = tw_addr_sets(t, L->v6, L->dst);
}

void tw_detect_match(const struct tw_tables *t, const struct tw_meta *m, int mirror, struct tw_match_result *r)
{
    struct tw_layer lo, li;
    memset(r, 0, sizeof *r);
    mlayer_of(t, m, 0, &lo);
    mlayer_of(t, m, 1, &li);
    r->vs[0] = (uint8_t)lo.smac_vs;
    r->vs[1] = (uint8_t)lo.dmac_vs;
    r->vs[2] = (uint8_t)li.smac_vs;
    r->vs[3] = (uint8_t)li.dmac_vs;
    int passed = 0;
    unsigned nr = t->settings.n_rules < TW_CAP_RULES ? t->settings.n_rules : TW_CAP_RULES;
    for (unsigned i = 0; i < nr; i++) {
        const struct tw_rule_entry *e = &t->rule[i];
        if (!e->valid)
            continue;
        struct tw_crule c;
        tw_crule_of(e, i, &c);
        if (!tw_crule_match(&c, m, c.inner ? &li : &lo, mirror))
            continue;
        r->matches++;
        r->matchv[i / 8] |= (uint8_t)(1u << (i % 8));
        if (e->action == TW_ACT_PASS) {
            passed = 1;
            continue;
        }
        if (passed) {
            r->suppressed++;
            continue;
        }
        r->alerts[i / 8] |= (uint8_t)(1u << (i % 8));
        if (r->n == TW_CAP_ALERTS) {
            r->overflow++;
            continue;
        }
        r->idx[r->n++] = (uint16_t)i;
    }
}
