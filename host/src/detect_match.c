/* The reference detector's pre-threshold match stage (host/include/tapwatch/detect_match.h): the same per-layer
 * view and rule conditions as detect.c (whose behaviour this file does not touch), over the lookup functions of
 * tables.c, exposed so the RTL engine's match path can be compared frame by frame. */
#include "tapwatch/detect_match.h"

#include <string.h>

#include "tapwatch/tables.h"

struct mlayer {
    int ip, ports, tcp, l2;
    uint8_t proto, ttl, tcp_flags;
    uint32_t src_sets, dst_sets, sp_sets, dp_sets;
    unsigned smac_vs, dmac_vs, vlan_n;
    uint16_t vid[2];
};

static void mlayer_of(const struct tw_tables *t, const struct tw_meta *m, int inner, struct mlayer *L)
{
    memset(L, 0, sizeof *L);
    if (inner && !m->inner)
        return;
    if (inner ? m->i_l2 : m->o_l2) {
        uint64_t smac = inner ? m->i_smac : m->o_smac, dmac = inner ? m->i_dmac : m->o_dmac;
        L->l2 = 1;
        L->smac_vs = tw_oui_vsets(t, (uint32_t)(smac >> 24) & 0xFFFFFFu);
        L->dmac_vs = tw_oui_vsets(t, (uint32_t)(dmac >> 24) & 0xFFFFFFu);
        L->vlan_n = inner ? m->i_vlan_n : m->o_vlan_n;
        if (L->vlan_n > 2)
            L->vlan_n = 2;
        L->vid[0] = (uint16_t)((inner ? m->i_vlan0_tci : m->o_vlan0_tci) & 0xFFF);
        L->vid[1] = (uint16_t)((inner ? m->i_vlan1_tci : m->o_vlan1_tci) & 0xFFF);
    }
    uint8_t ver = inner ? m->i_ip_ver : m->o_ip_ver;
    if (ver != 4 && ver != 6)
        return;
    L->ip = 1;
    L->proto = inner ? m->i_ip_proto : m->o_ip_proto;
    L->ttl = inner ? m->i_ip_ttl : m->o_ip_ttl;
    uint8_t l4 = inner ? m->i_l4 : m->o_l4;
    L->ports = l4 && (L->proto == 6 || L->proto == 17 || L->proto == 132);
    L->tcp = l4 && L->proto == 6;
    L->tcp_flags = L->tcp ? (inner ? m->i_tcp_flags : m->o_tcp_flags) : 0;
    if (L->ports) {
        L->sp_sets = tw_port_sets(t, inner ? m->i_sport : m->o_sport);
        L->dp_sets = tw_port_sets(t, inner ? m->i_dport : m->o_dport);
    }
    L->src_sets = tw_addr_sets(t, ver == 6, inner ? m->i_ip_src : m->o_ip_src);
    L->dst_sets = tw_addr_sets(t, ver == 6, inner ? m->i_ip_dst : m->o_ip_dst);
}

static int set_ok(uint32_t sets, int in_v, unsigned in, int ex_v, unsigned ex, int neg)
{
    int ok = in_v ? (int)((sets >> in) & 1u) : 1;
    if (ex_v && ((sets >> ex) & 1u))
        ok = 0;
    return neg ? !ok : ok;
}

static int port_ok(const struct mlayer *L, uint32_t sets, int in_v, unsigned in, int ex_v, unsigned ex, int neg)
{
    if (!in_v && !ex_v)
        return 1;
    return L->ports && set_ok(sets, in_v, in, ex_v, ex, neg);
}

static int hdr_ok(const struct tw_rule_entry *r, const struct mlayer *L, int swap)
{
    uint32_t sa = swap ? L->dst_sets : L->src_sets, da = swap ? L->src_sets : L->dst_sets;
    uint32_t sp = swap ? L->dp_sets : L->sp_sets, dp = swap ? L->sp_sets : L->dp_sets;
    return set_ok(sa, r->src_in_v, r->src_in, r->src_ex_v, r->src_ex, r->src_not) &&
           set_ok(da, r->dst_in_v, r->dst_in, r->dst_ex_v, r->dst_ex, r->dst_not) &&
           port_ok(L, sp, r->sp_in_v, r->sp_in, r->sp_ex_v, r->sp_ex, r->sp_not) &&
           port_ok(L, dp, r->dp_in_v, r->dp_in, r->dp_ex_v, r->dp_ex, r->dp_not);
}

static int vlan_ok(const struct tw_rule_entry *r, const struct mlayer *L)
{
    if (r->vlan_op == TW_CMP_NONE)
        return 1;
    unsigned n = L->vlan_n;
    if (!n)
        return 0;
    int c0 = tw_cmp(r->vlan_op, L->vid[0], r->vlan_a, r->vlan_b);
    int c1 = n >= 2 && tw_cmp(r->vlan_op, L->vid[1], r->vlan_a, r->vlan_b);
    switch (r->vlan_layer) {
    case TW_VL_ANY: return c0 || c1;
    case TW_VL_ALL: return c0 && (n < 2 || c1);
    case TW_VL_0: return c0;
    case TW_VL_1: return c1;
    case TW_VL_M1: return n >= 2 ? c1 : c0;
    case TW_VL_M2: return n >= 2 && c0;
    default: return 0;
    }
}

static int rule_ok(const struct tw_rule_entry *r, const struct tw_meta *m, const struct mlayer *L, int mc)
{
    if (!L->ip || (r->mirror && !mc))
        return 0;
    if (r->tun_mask && !((r->tun_mask >> m->tun_kind) & 1u))
        return 0;
    if (r->proto_v && L->proto != r->proto)
        return 0;
    if (r->sv_mask && (!L->l2 || ((L->smac_vs & r->sv_mask) != 0) == (r->sv_not != 0)))
        return 0;
    if (r->dv_mask && (!L->l2 || ((L->dmac_vs & r->dv_mask) != 0) == (r->dv_not != 0)))
        return 0;
    if (!tw_cmp(r->ttl_op, L->ttl, r->ttl_a, r->ttl_b))
        return 0;
    if (r->flg_mod != TW_FLG_NONE) {
        if (!L->tcp)
            return 0;
        uint8_t f = L->tcp_flags & r->flg_mask;
        if (r->flg_mod == TW_FLG_MASKED ? f != r->flg_val : f == 0)
            return 0;
    }
    if (!vlan_ok(r, L))
        return 0;
    return hdr_ok(r, L, 0) || (r->bidir && hdr_ok(r, L, 1));
}

void tw_detect_match(const struct tw_tables *t, const struct tw_meta *m, int mirror, struct tw_match_result *r)
{
    struct mlayer lo, li;
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
        if (!e->valid || !rule_ok(e, m, e->inner ? &li : &lo, mirror))
            continue;
        r->matches++;
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
