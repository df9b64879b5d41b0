/* The rule condition of the reference detector (docs/tables.md, docs/detection.md), in ONE place: the per-layer view
 * of a record, the software form of a rule entry, and whether the rule matches the view. Used by the detector
 * (detect.c, with its memoised set lookups and a quick-reject prefilter in front) and by the match stage alone
 * (detect_match.c, with the plain table lookups), so the two cannot drift. */
#ifndef TAPWATCH_DETECT_RULE_H
#define TAPWATCH_DETECT_RULE_H

#include <stdint.h>
#include <string.h>

#include "mem_int.h"
#include "tapwatch/meta.h"
#include "tapwatch/tables.h"

/* One layer (outer or inner) of a record as the rules see it. The set fields (src_sets ... dmac_vs) are filled by
 * the caller's lookups; tw_layer_view() leaves them 0. */
struct tw_layer {
    int ip; /* the layer has an IPv4/IPv6 header */
    int v6;
    const uint8_t *src, *dst;
    uint8_t proto, ttl, tcp_flags;
    int ports; /* TCP/UDP/SCTP ports were parsed */
    int tcp;
    uint16_t sport, dport;
    uint32_t src_sets, dst_sets; /* address sets */
    uint32_t sp_sets, dp_sets;   /* port sets (0 without ports) */
    int l2;                      /* an Ethernet header was parsed at this level */
    uint64_t smac, dmac;         /* (l2) the MACs, for the vendor lookups */
    unsigned smac_vs, dmac_vs;   /* vendor sets of the MACs (0 without an Ethernet header) */
    unsigned vlan_n;             /* at most 2 */
    uint16_t vid[2];             /* outermost first */
};

/* The fields of layer `inner` of m (no lookups). A missing inner layer is all zero (ip = 0: no rule matches). */
static inline void tw_layer_view(const struct tw_meta *m, int inner, struct tw_layer *L)
{
    /* every member cleared one by one (cheaper here than a call to memset for the whole view) */
    L->ip = L->v6 = L->ports = L->tcp = L->l2 = 0;
    L->src = L->dst = NULL;
    L->proto = L->ttl = L->tcp_flags = 0;
    L->sport = L->dport = 0;
    L->src_sets = L->dst_sets = L->sp_sets = L->dp_sets = 0;
    L->smac = L->dmac = 0;
    L->smac_vs = L->dmac_vs = L->vlan_n = 0;
    L->vid[0] = L->vid[1] = 0;
    if (inner && !m->inner)
        return;
    if (inner ? m->i_l2 : m->o_l2) {
        L->l2 = 1;
        L->smac = inner ? m->i_smac : m->o_smac;
        L->dmac = inner ? m->i_dmac : m->o_dmac;
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
    L->v6 = ver == 6;
    L->src = inner ? m->i_ip_src : m->o_ip_src;
    L->dst = inner ? m->i_ip_dst : m->o_ip_dst;
    L->proto = inner ? m->i_ip_proto : m->o_ip_proto;
    L->ttl = inner ? m->i_ip_ttl : m->o_ip_ttl;
    uint8_t l4 = inner ? m->i_l4 : m->o_l4;
    L->ports = l4 && (L->proto == 6 || L->proto == 17 || L->proto == 132);
    L->tcp = l4 && L->proto == 6;
    L->tcp_flags = L->tcp ? (inner ? m->i_tcp_flags : m->o_tcp_flags) : 0;
    if (L->ports) {
        L->sport = inner ? m->i_sport : m->o_sport;
        L->dport = inner ? m->i_dport : m->o_dport;
    }
}

/* A rule entry in the form the software evaluates: set conditions as bit masks (in: the bit must be set, ex: must
 * be clear; 0: no such condition). Same results as the entry's fields. */
struct tw_crule {
    uint32_t sa_in, sa_ex, da_in, da_ex; /* address set masks */
    uint32_t sp_in, sp_ex, dp_in, dp_ex; /* port set masks */
    uint16_t idx;                        /* the rule's index in the table */
    uint16_t tun_mask;
    uint8_t inner, mirror, proto_v, proto, bidir, action;
    uint8_t sa_not, da_not, sp_not, dp_not;
    uint8_t sp_cond, dp_cond; /* the port field has a condition (else it is true, ports or not) */
    uint8_t sv_mask, sv_not, dv_mask, dv_not;
    uint8_t flg_mod, flg_mask, flg_val;
    uint8_t ttl_op, ttl_a, ttl_b;
    uint8_t vlan_op, vlan_layer;
    uint16_t vlan_a, vlan_b;
};

static inline uint32_t tw_crule_bit(unsigned v, unsigned n)
{
    return v ? 1u << (n & 31) : 0;
}

static inline void tw_crule_of(const struct tw_rule_entry *r, unsigned idx, struct tw_crule *c)
{
    memset(c, 0, sizeof *c);
    c->idx = (uint16_t)idx;
    c->tun_mask = r->tun_mask;
    c->inner = r->inner != 0;
    c->mirror = r->mirror != 0;
    c->proto_v = r->proto_v != 0;
    c->proto = r->proto;
    c->bidir = r->bidir != 0;
    c->action = r->action;
    c->sa_in = tw_crule_bit(r->src_in_v, r->src_in);
    c->sa_ex = tw_crule_bit(r->src_ex_v, r->src_ex);
    c->sa_not = r->src_not != 0;
    c->da_in = tw_crule_bit(r->dst_in_v, r->dst_in);
    c->da_ex = tw_crule_bit(r->dst_ex_v, r->dst_ex);
    c->da_not = r->dst_not != 0;
    c->sp_in = tw_crule_bit(r->sp_in_v, r->sp_in);
    c->sp_ex = tw_crule_bit(r->sp_ex_v, r->sp_ex);
    c->sp_not = r->sp_not != 0;
    c->sp_cond = r->sp_in_v || r->sp_ex_v;
    c->dp_in = tw_crule_bit(r->dp_in_v, r->dp_in);
    c->dp_ex = tw_crule_bit(r->dp_ex_v, r->dp_ex);
    c->dp_not = r->dp_not != 0;
    c->dp_cond = r->dp_in_v || r->dp_ex_v;
    c->sv_mask = r->sv_mask;
    c->sv_not = r->sv_not != 0;
    c->dv_mask = r->dv_mask;
    c->dv_not = r->dv_not != 0;
    c->flg_mod = r->flg_mod;
    c->flg_mask = r->flg_mask;
    c->flg_val = r->flg_val;
    c->ttl_op = r->ttl_op;
    c->ttl_a = r->ttl_a;
    c->ttl_b = r->ttl_b;
    c->vlan_op = r->vlan_op;
    c->vlan_layer = r->vlan_layer;
    c->vlan_a = r->vlan_a;
    c->vlan_b = r->vlan_b;
}

/* in/ex/not condition over a set bitmap */
static inline int tw_set_cond(uint32_t sets, uint32_t in, uint32_t ex, int neg)
{
    int ok = (sets & in) == in && !(sets & ex);
    return ok ^ neg;
}

/* A port field: no condition is true; otherwise the packet must have ports. */
static inline int tw_port_cond(const struct tw_layer *L, uint32_t sets, int cond, uint32_t in, uint32_t ex, int neg)
{
    if (!cond)
        return 1;
    return L->ports && tw_set_cond(sets, in, ex, neg);
}

/* Addresses and ports, in the given orientation (swap: the rule's source is the packet's destination). */
static inline int tw_crule_header(const struct tw_crule *c, const struct tw_layer *L, int swap)
{
    uint32_t sa = swap ? L->dst_sets : L->src_sets, da = swap ? L->src_sets : L->dst_sets;
    uint32_t sp = swap ? L->dp_sets : L->sp_sets, dp = swap ? L->sp_sets : L->dp_sets;
    return tw_set_cond(sa, c->sa_in, c->sa_ex, c->sa_not) && tw_set_cond(da, c->da_in, c->da_ex, c->da_not) &&
           tw_port_cond(L, sp, c->sp_cond, c->sp_in, c->sp_ex, c->sp_not) &&
           tw_port_cond(L, dp, c->dp_cond, c->dp_in, c->dp_ex, c->dp_not);
}

static inline int tw_crule_vlan(const struct tw_crule *c, const struct tw_layer *L)
{
    if (c->vlan_op == TW_CMP_NONE)
        return 1;
    unsigned n = L->vlan_n;
    if (!n)
        return 0;
    switch (c->vlan_layer) {
    case TW_VL_ANY:
        for (unsigned i = 0; i < n; i++)
            if (tw_cmp(c->vlan_op, L->vid[i], c->vlan_a, c->vlan_b))
                return 1;
        return 0;
    case TW_VL_ALL:
        for (unsigned i = 0; i < n; i++)
            if (!tw_cmp(c->vlan_op, L->vid[i], c->vlan_a, c->vlan_b))
                return 0;
        return 1;
    case TW_VL_0: return tw_cmp(c->vlan_op, L->vid[0], c->vlan_a, c->vlan_b);
    case TW_VL_1: return n >= 2 && tw_cmp(c->vlan_op, L->vid[1], c->vlan_a, c->vlan_b);
    case TW_VL_M1: return tw_cmp(c->vlan_op, L->vid[n - 1], c->vlan_a, c->vlan_b);
    case TW_VL_M2: return n >= 2 && tw_cmp(c->vlan_op, L->vid[n - 2], c->vlan_a, c->vlan_b);
    default: return 0;
    }
}

/* The TCP flags condition alone (tcp: the layer has a TCP header, f: its flags). */
static inline int tw_crule_flags(const struct tw_crule *c, int tcp, uint8_t f)
{
    if (c->flg_mod == TW_FLG_NONE)
        return 1;
    if (!tcp)
        return 0;
    f &= c->flg_mask;
    return c->flg_mod == TW_FLG_MASKED ? f == c->flg_val : f != 0;
}

/* The conditions on single small values of the frame: the IP layer, mirror_copy, tunnel, protocol, ttl and TCP
 * flags (the detector's quick reject precomputes exactly these per value: detect.c, compile_prefilter). */
static inline int tw_crule_quick(const struct tw_crule *c, const struct tw_meta *m, const struct tw_layer *L, int mc)
{
    if (!L->ip)
        return 0;
    if (c->mirror && !mc)
        return 0;
    if (c->tun_mask && !((c->tun_mask >> m->tun_kind) & 1u))
        return 0;
    if (c->proto_v && L->proto != c->proto)
        return 0;
    if (!tw_cmp(c->ttl_op, L->ttl, c->ttl_a, c->ttl_b))
        return 0;
    return tw_crule_flags(c, L->tcp, L->tcp_flags);
}

/* The other conditions: vendors, vlan.id, addresses and ports (both orientations for `<>`). */
static inline int tw_crule_rest(const struct tw_crule *c, const struct tw_layer *L)
{
    /* without an Ethernet header at the rule's level a vendor condition is false, negated or not */
    if (c->sv_mask && (!L->l2 || ((L->smac_vs & c->sv_mask) != 0) == c->sv_not))
        return 0;
    if (c->dv_mask && (!L->l2 || ((L->dmac_vs & c->dv_mask) != 0) == c->dv_not))
        return 0;
    if (!tw_crule_vlan(c, L))
        return 0;
    return tw_crule_header(c, L, 0) || (c->bidir && tw_crule_header(c, L, 1));
}

/* The rule matches the layer L of m (the rule's own layer: inner for `inner` rules); mc: the frame is a mirror copy. */
static inline int tw_crule_match(const struct tw_crule *c, const struct tw_meta *m, const struct tw_layer *L, int mc)
{
    return tw_crule_quick(c, m, L, mc) && tw_crule_rest(c, L);
}

#endif
