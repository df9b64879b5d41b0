/* The software reference detector: per frame, the flow stage, the mirror-copy digest stage, rule evaluation in rule
 * order with pass, thresholds, volume, per-rule rate limiting and the per-frame alert cap (docs/detection.md). */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>

#include "tapwatch/error.h"
#include "tapwatch/tables.h"

void tw_detect_params_default(struct tw_detect_params *p)
{
    memset(p, 0, sizeof *p);
    p->flow_buckets = 4096;
    p->flow_ways = 4;
    p->flow_idle_ns = 60ull * 1000000000ull;
    p->flow_hard_ns = 600ull * 1000000000ull;
    p->sweep_every = 1;
    p->digest_sets = 8192;
    p->digest_ways = 2;
    p->mirror_window_ns = 100ull * 1000000ull;
    p->state_buckets = 1024;
    p->state_ways = 4;
    p->evidence_bytes = 0;
    p->fcs_bytes = 0;
    p->rate_per_s = TW_DEF_ALERT_RATE;
    p->rate_burst = TW_DEF_ALERT_BURST;
    p->max_alerts = TW_DETECT_MAX_ALERTS;
}

void tw_detect_params_from_tables(struct tw_detect_params *p, const struct tw_tables *t)
{
    const struct tw_settings *s = &t->settings;
    p->mirror_window_ns = (uint64_t)s->mirror_window_ms * 1000000ull;
    p->flow_idle_ns = (uint64_t)s->flow_timeout_s * 1000000000ull;
    p->flow_hard_ns = (uint64_t)s->flow_hard_timeout_s * 1000000000ull;
    p->evidence_bytes = s->evidence_bytes;
    p->rate_per_s = s->alert_rate;
    p->rate_burst = s->alert_burst;
}

const char *tw_flow_state_name(unsigned s)
{
    static const char *const n[] = {"new", "established", "closed"};
    return s < 3 ? n[s] : "unknown";
}

const char *tw_flow_reason_name(unsigned r)
{
    static const char *const n[] = {"timeout", "hard_timeout", "evicted", "shutdown"};
    return r < 4 ? n[r] : "unknown";
}

static int compile_rules(struct tw_detector *d);

static int pow2(unsigned x)
{
    return x && !(x & (x - 1));
}

int tw_detector_create(struct tw_detector **out, const struct tw_detect_params *p, const struct tw_tables *t,
                       const struct tw_detect_sink *sink)
{
    if (!out)
        return TW_ERR_INVAL;
    *out = NULL;
    if (!p || !t)
        return TW_ERR_INVAL;
    if (!pow2(p->flow_buckets) || p->flow_ways < 1 || p->flow_ways > TW_DETECT_MAX_WAYS || !pow2(p->digest_sets) ||
        p->digest_ways < 1 || p->digest_ways > TW_DETECT_MAX_WAYS || !pow2(p->state_buckets) || p->state_ways < 1 ||
        p->state_ways > TW_DETECT_MAX_WAYS || p->evidence_bytes > TW_DETECT_MAX_EVIDENCE || p->max_alerts < 1 ||
        p->max_alerts > TW_DETECT_MAX_ALERTS || p->sweep_every < 1 || (p->rate_per_s && !p->rate_burst) ||
        t->settings.n_rules > TW_CAP_RULES)
        return TW_ERR_INVAL;
    struct tw_detector *d = calloc(1, sizeof *d);
    if (!d)
        return TW_ERR_NOMEM;
    d->p = *p;
    d->t = t;
    if (sink)
        d->sink = *sink;
    tw_hash_init(&d->hash);
    d->nrules = t->settings.n_rules;
    size_t nr = d->nrules ? d->nrules : 1;
    size_t nd = (size_t)p->digest_sets * p->digest_ways * sizeof *d->digest;
    d->digest = aligned_alloc(64, (nd + 63) & ~(size_t)63);
    if (d->digest)
        memset(d->digest, 0, nd);
    d->state = calloc((size_t)p->state_buckets * p->state_ways, sizeof *d->state);
    d->tat = calloc(nr, sizeof *d->tat);
    d->rule_alerts = calloc(nr, sizeof *d->rule_alerts);
    d->rule_limited = calloc(nr, sizeof *d->rule_limited);
    d->rule_matches = calloc(nr, sizeof *d->rule_matches);
    if (!d->digest || !d->state || !d->tat || !d->rule_alerts || !d->rule_limited || !d->rule_matches ||
        tw_flow_init(d) < 0) {
        tw_detector_destroy(d);
        return TW_ERR_NOMEM;
    }
    if (p->rate_per_s) {
        d->rate_t_ns = 1000000000ull / p->rate_per_s;
        if (!d->rate_t_ns)
            d->rate_t_ns = 1;
        d->rate_tau_ns = (uint64_t)(p->rate_burst - 1) * d->rate_t_ns;
    }
    for (unsigned i = 0; i < d->nrules; i++) {
        d->any_inner |= t->rule[i].inner;
        d->any_sv |= t->rule[i].sv_mask != 0;
        d->any_dv |= t->rule[i].dv_mask != 0;
    }
    if (compile_rules(d) < 0) {
        tw_detector_destroy(d);
        return TW_ERR_NOMEM;
    }
    *out = d;
    return 0;
}

static uint32_t set_bit(int v, unsigned n)
{
    return v ? 1u << (n & 31) : 0;
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* The software form of the tables (struct tw_crule, the port set table, the prefixes as integers). */
static int compile_rules(struct tw_detector *d)
{
    const struct tw_tables *t = d->t;
    d->crule = calloc(d->nrules ? d->nrules : 1, sizeof *d->crule);
    if (!d->crule)
        return TW_ERR_NOMEM;
    for (unsigned i = 0; i < d->nrules; i++) {
        const struct tw_rule_entry *r = &t->rule[i];
        if (!r->valid)
            continue;
        struct tw_crule *c = &d->crule[d->ncrule++];
        c->idx = (uint16_t)i;
        c->tun_mask = r->tun_mask;
        c->inner = r->inner != 0;
        c->mirror = r->mirror != 0;
        c->proto_v = r->proto_v != 0;
        c->proto = r->proto;
        c->bidir = r->bidir != 0;
        c->action = r->action;
        c->sa_in = set_bit(r->src_in_v, r->src_in);
        c->sa_ex = set_bit(r->src_ex_v, r->src_ex);
        c->sa_not = r->src_not != 0;
        c->da_in = set_bit(r->dst_in_v, r->dst_in);
        c->da_ex = set_bit(r->dst_ex_v, r->dst_ex);
        c->da_not = r->dst_not != 0;
        c->sp_in = set_bit(r->sp_in_v, r->sp_in);
        c->sp_ex = set_bit(r->sp_ex_v, r->sp_ex);
        c->sp_not = r->sp_not != 0;
        c->sp_cond = r->sp_in_v || r->sp_ex_v;
        c->dp_in = set_bit(r->dp_in_v, r->dp_in);
        c->dp_ex = set_bit(r->dp_ex_v, r->dp_ex);
        c->dp_not = r->dp_not != 0;
        c->dp_cond = r->dp_in_v || r->dp_ex_v;
        c->sv_mask = r->sv_mask;
        c->sv_not = r->sv_not != 0;
        c->dv_mask = r->dv_mask;
        c->dv_not = r->dv_not != 0;
        c->flg_mod = r->flg_mod;
        c->flg_mask = r->flg_mask;
        c->flg_val = r->flg_val;
        c->vlan = r->vlan_op != TW_CMP_NONE;
        for (unsigned x = 0; x < 256; x++)
            if (r->ttl_op == TW_CMP_NONE || tw_cmp(r->ttl_op, x, r->ttl_a, r->ttl_b))
                c->ttl_ok[x >> 5] |= 1u << (x & 31);
        d->need_addr |= r->src_in_v || r->src_ex_v || r->dst_in_v || r->dst_ex_v;
        d->need_port |= c->sp_cond || c->dp_cond;
    }
    if (d->need_port) { /* every port's sets, as tw_port_sets() gives them */
        d->port_sets = calloc(65536, sizeof *d->port_sets);
        if (!d->port_sets)
            return TW_ERR_NOMEM;
        unsigned n = t->settings.n_port_ranges;
        for (unsigned i = 0; i < n && i < TW_CAP_PORT_RANGES; i++) {
            const struct tw_port_entry *e = &t->port[i];
            if (!e->valid || !e->sets)
                continue;
            for (unsigned p = e->lo; p <= e->hi; p++)
                d->port_sets[p] |= e->sets;
        }
    }
    if (d->need_addr) {
        unsigned n = t->settings.n_prefixes;
        d->pfx4 = calloc(TW_CAP_PREFIXES, sizeof *d->pfx4);
        d->pfx6 = calloc(TW_CAP_PREFIXES, sizeof *d->pfx6);
        if (!d->pfx4 || !d->pfx6)
            return TW_ERR_NOMEM;
        for (unsigned i = 0; i < n && i < TW_CAP_PREFIXES; i++) {
            const struct tw_prefix_entry *e = &t->prefix[i];
            if (!e->valid || !e->sets)
                continue;
            if (e->v6 ? e->len > 128 : e->len > 32) {
                d->pfx_generic = 1;
                continue;
            }
            if (!e->v6) {
                uint32_t m = e->len ? ~0u << (32 - e->len) : 0;
                uint32_t a = (uint32_t)e->addr[12] << 24 | (uint32_t)e->addr[13] << 16 |
                             (uint32_t)e->addr[14] << 8 | e->addr[15];
                d->pfx4[d->npfx4++] = (struct tw_pfx4){a & m, m, e->sets};
            } else {
                uint64_t mh = e->len == 0 ? 0 : e->len >= 64 ? ~0ull : ~0ull << (64 - e->len);
                uint64_t ml = e->len <= 64 ? 0 : e->len >= 128 ? ~0ull : ~0ull << (128 - e->len);
                d->pfx6[d->npfx6++] =
                    (struct tw_pfx6){be64(e->addr) & mh, be64(e->addr + 8) & ml, mh, ml, e->sets};
            }
        }
    }
    return 0;
}

void tw_detector_destroy(struct tw_detector *d)
{
    if (!d)
        return;
    tw_flow_free(d);
    free(d->digest);
    free(d->state);
    free(d->tat);
    free(d->rule_alerts);
    free(d->rule_limited);
    free(d->rule_matches);
    free(d->crule);
    free(d->port_sets);
    free(d->pfx4);
    free(d->pfx6);
    free(d);
}

/* ---- per-layer view of the record, computed once per frame (the hardware's lookup stage) ---- */
struct layer {
    int ip;             /* the layer has an IPv4/IPv6 header */
    int v6;
    const uint8_t *src, *dst;
    uint8_t proto, ttl, tcp_flags;
    int ports;          /* TCP/UDP/SCTP ports were parsed */
    int tcp;
    uint16_t sport, dport;
    uint32_t src_sets, dst_sets; /* address sets */
    uint32_t sp_sets, dp_sets;   /* port sets */
    int l2;                      /* an Ethernet header was parsed at this level */
    unsigned smac_vs, dmac_vs;   /* vendor sets of the MACs (0 without an Ethernet header) */
    unsigned vlan_n;
    uint16_t vid[2];    /* outermost first */
};

/* The vendor sets of a MAC: tw_oui_vsets() of its OUI, memoised in a small direct-mapped cache (a link carries few
 * distinct MACs; the tables never change while the detector lives, so the memo is exact). */
static unsigned mac_vsets(struct tw_detector *d, uint64_t mac)
{
    uint32_t oui = (uint32_t)(mac >> 24) & 0xFFFFFF;
    struct tw_oui_memo *c = &d->oui_memo[(oui ^ (oui >> 8) ^ (oui >> 16)) & (TW_OUI_MEMO - 1)];
    if (c->valid && c->oui == oui)
        return c->vsets;
    c->valid = 1;
    c->oui = oui;
    c->vsets = tw_oui_vsets(d->t, oui);
    return c->vsets;
}

/* tw_addr_sets() over the integer form of the prefixes */
static uint32_t addr_sets(const struct tw_detector *d, int v6, const uint8_t a[16])
{
    if (d->pfx_generic)
        return tw_addr_sets(d->t, v6, a);
    uint32_t s = 0;
    if (!v6) {
        uint32_t x = (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 | a[15];
        for (unsigned i = 0; i < d->npfx4; i++)
            s |= (x & d->pfx4[i].mask) == d->pfx4[i].net ? d->pfx4[i].sets : 0;
    } else {
        uint64_t hi = be64(a), lo = be64(a + 8);
        for (unsigned i = 0; i < d->npfx6; i++) {
            const struct tw_pfx6 *e = &d->pfx6[i];
            s |= ((hi & e->mhi) == e->hi && (lo & e->mlo) == e->lo) ? e->sets : 0;
        }
    }
    return s;
}

static void layer_of(struct tw_detector *d, const struct tw_meta *m, int inner, struct layer *L)
{
    memset(L, 0, sizeof *L);
    uint8_t ver = inner ? m->i_ip_ver : m->o_ip_ver;
    if (inner && !m->inner)
        return;
    uint8_t l2 = inner ? m->i_l2 : m->o_l2;
    if (l2) {
        L->l2 = 1;
        if (d->any_sv) /* the OUI lookups only when some rule has a vendor condition */
            L->smac_vs = mac_vsets(d, inner ? m->i_smac : m->o_smac);
        if (d->any_dv)
            L->dmac_vs = mac_vsets(d, inner ? m->i_dmac : m->o_dmac);
        L->vlan_n = inner ? m->i_vlan_n : m->o_vlan_n;
        if (L->vlan_n > 2)
            L->vlan_n = 2;
        L->vid[0] = (uint16_t)((inner ? m->i_vlan0_tci : m->o_vlan0_tci) & 0xFFF);
        L->vid[1] = (uint16_t)((inner ? m->i_vlan1_tci : m->o_vlan1_tci) & 0xFFF);
    }
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
        if (d->need_port) { /* the lookups only when some rule has a port condition */
            L->sp_sets = d->port_sets[L->sport];
            L->dp_sets = d->port_sets[L->dport];
        }
    }
    if (d->need_addr) {
        L->src_sets = addr_sets(d, L->v6, L->src);
        L->dst_sets = addr_sets(d, L->v6, L->dst);
    }
}

/* in/ex/not condition over a set bitmap: in (a mask of one set, 0 for none) must be present, ex absent */
static int set_cond(uint32_t sets, uint32_t in, uint32_t ex, int neg)
{
    int ok = (sets & in) == in && !(sets & ex);
    return ok ^ neg;
}

/* A port field: no condition is true; otherwise the packet must have ports. */
static int port_cond(const struct layer *L, uint32_t sets, int cond, uint32_t in, uint32_t ex, int neg)
{
    if (!cond)
        return 1;
    return L->ports && set_cond(sets, in, ex, neg);
}

/* Addresses and ports, in the given orientation (swap: the rule's source is the packet's destination). */
static int header_match(const struct tw_crule *c, const struct layer *L, int swap)
{
    uint32_t sa = swap ? L->dst_sets : L->src_sets, da = swap ? L->src_sets : L->dst_sets;
    uint32_t sp = swap ? L->dp_sets : L->sp_sets, dp = swap ? L->sp_sets : L->dp_sets;
    return set_cond(sa, c->sa_in, c->sa_ex, c->sa_not) && set_cond(da, c->da_in, c->da_ex, c->da_not) &&
           port_cond(L, sp, c->sp_cond, c->sp_in, c->sp_ex, c->sp_not) &&
           port_cond(L, dp, c->dp_cond, c->dp_in, c->dp_ex, c->dp_not);
}

static int vlan_match(const struct tw_rule_entry *r, const struct layer *L)
{
    if (r->vlan_op == TW_CMP_NONE)
        return 1;
    unsigned n = L->vlan_n;
    if (!n)
        return 0;
    switch (r->vlan_layer) {
    case TW_VL_ANY:
        for (unsigned i = 0; i < n; i++)
            if (tw_cmp(r->vlan_op, L->vid[i], r->vlan_a, r->vlan_b))
                return 1;
        return 0;
    case TW_VL_ALL:
        for (unsigned i = 0; i < n; i++)
            if (!tw_cmp(r->vlan_op, L->vid[i], r->vlan_a, r->vlan_b))
                return 0;
        return 1;
    case TW_VL_0: return tw_cmp(r->vlan_op, L->vid[0], r->vlan_a, r->vlan_b);
    case TW_VL_1: return n >= 2 && tw_cmp(r->vlan_op, L->vid[1], r->vlan_a, r->vlan_b);
    case TW_VL_M1: return tw_cmp(r->vlan_op, L->vid[n - 1], r->vlan_a, r->vlan_b);
    case TW_VL_M2: return n >= 2 && tw_cmp(r->vlan_op, L->vid[n - 2], r->vlan_a, r->vlan_b);
    default: return 0;
    }
}

static int rule_match(const struct tw_detector *d, const struct tw_crule *c, const struct tw_meta *m,
                      const struct layer *L, int mc)
{
    if (!L->ip)
        return 0;
    if (c->mirror && !mc)
        return 0;
    if (c->tun_mask && !((c->tun_mask >> m->tun_kind) & 1u))
        return 0;
    if (c->proto_v && L->proto != c->proto)
        return 0;
    /* without an Ethernet header at the rule's level a vendor condition is false, negated or not */
    if (c->sv_mask && (!L->l2 || ((L->smac_vs & c->sv_mask) != 0) == c->sv_not))
        return 0;
    if (c->dv_mask && (!L->l2 || ((L->dmac_vs & c->dv_mask) != 0) == c->dv_not))
        return 0;
    if (!((c->ttl_ok[L->ttl >> 5] >> (L->ttl & 31)) & 1u))
        return 0;
    if (c->flg_mod != TW_FLG_NONE) {
        if (!L->tcp)
            return 0;
        uint8_t f = L->tcp_flags & c->flg_mask;
        if (c->flg_mod == TW_FLG_MASKED ? f != c->flg_val : f == 0)
            return 0;
    }
    if (c->vlan && !vlan_match(&d->t->rule[c->idx], L))
        return 0;
    return header_match(c, L, 0) || (c->bidir && header_match(c, L, 1));
}

/* ---- threshold / volume state ---- */
static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void state_key(uint8_t k[TW_STATE_KEY_BYTES], unsigned rule, unsigned kind, unsigned track,
                      const struct layer *L, uint64_t flow_id)
{
    memset(k, 0, TW_STATE_KEY_BYTES);
    k[0] = (uint8_t)(rule >> 8);
    k[1] = (uint8_t)rule;
    k[2] = (uint8_t)kind;
    k[3] = (uint8_t)track;
    switch (track) {
    case TW_TRACK_SRC: memcpy(k + 8, L->src, 16); break;
    case TW_TRACK_DST: memcpy(k + 8, L->dst, 16); break;
    case TW_TRACK_BOTH: { /* the unordered pair: lower address first */
        int sw = memcmp(L->src, L->dst, 16) > 0;
        memcpy(k + 8, sw ? L->dst : L->src, 16);
        memcpy(k + 24, sw ? L->src : L->dst, 16);
        break;
    }
    case TW_TRACK_FLOW: put64(k + 40, flow_id); break;
    default: break; /* by_rule: the rule alone */
    }
}

static uint64_t window_ns(const struct tw_detector *d, unsigned rule, unsigned kind)
{
    const struct tw_rule_entry *r = &d->t->rule[rule];
    return (uint64_t)(kind ? r->vol_seconds : r->thr_seconds) * 1000000000ull;
}

static int state_expired(const struct tw_detector *d, const struct tw_state_ent *e, uint64_t now)
{
    return now > e->start && now - e->start > window_ns(d, e->rule, e->kind);
}

/* The entry of the key (window restarted when it has run out), or NULL when the bucket has no way for it. */
static struct tw_state_ent *state_get(struct tw_detector *d, unsigned rule, unsigned kind, unsigned track,
                                      const struct layer *L, uint64_t flow_id, uint64_t now)
{
    uint8_t k[TW_STATE_KEY_BYTES];
    state_key(k, rule, kind, track, L, flow_id);
    uint32_t c = tw_crc32c(&d->hash, k, sizeof k);
    uint64_t tag = (uint64_t)c << 32 | tw_crc32(&d->hash, k, sizeof k);
    struct tw_state_ent *b = d->state + (size_t)(c & (d->p.state_buckets - 1)) * d->p.state_ways, *e = NULL;
    for (unsigned w = 0; w < d->p.state_ways && !e; w++)
        if (b[w].valid && b[w].tag == tag && b[w].rule == rule && b[w].kind == kind)
            e = &b[w];
    if (e) {
        if (state_expired(d, e, now)) {
            e->start = now;
            e->count = 0;
            e->bytes = 0;
            e->fired = 0;
        }
        return e;
    }
    for (unsigned w = 0; w < d->p.state_ways && !e; w++)
        if (!b[w].valid || state_expired(d, &b[w], now))
            e = &b[w];
    if (!e) {
        d->st.state_full++;
        return NULL;
    }
    memset(e, 0, sizeof *e);
    e->valid = 1;
    e->tag = tag;
    e->rule = (uint16_t)rule;
    e->kind = (uint8_t)kind;
    e->start = now;
    return e;
}

/* 1: the match may alert. Updates both the threshold and the volume state of the rule when it has them. */
static int thresholds_pass(struct tw_detector *d, unsigned ri, const struct layer *L, uint64_t flow_id,
                           uint64_t now, uint64_t flen)
{
    const struct tw_rule_entry *r = &d->t->rule[ri];
    int ok = 1;
    if (r->thr_type != TW_THR_NONE) {
        struct tw_state_ent *e = state_get(d, ri, 0, r->thr_track, L, flow_id, now);
        if (e) {
            e->count++;
            uint32_t n = r->thr_count;
            switch (r->thr_type) {
            case TW_THR_LIMIT: ok = e->count <= n; break;
            case TW_THR_THRESHOLD:
                ok = e->count >= n;
                if (ok)
                    e->count = 0;
                break;
            case TW_THR_BOTH: ok = e->count == n; break;
            case TW_THR_DFILTER: ok = e->count > n; break;
            default: ok = 1; break;
            }
            if (e->count == 0xFFFFFFFFu) /* saturate: never wrap back into a firing count */
                e->count--;
        }
    }
    if (r->vol_v) {
        struct tw_state_ent *e = state_get(d, ri, 1, r->vol_track, L, flow_id, now);
        if (e) {
            e->bytes += flen;
            if (!e->fired && e->bytes > r->vol_bytes)
                e->fired = 1;
            else
                ok = 0;
        }
    }
    return ok;
}

/* GCRA (virtual scheduling), equivalent to a token bucket of rate_per_s and depth rate_burst. */
static int rate_ok(struct tw_detector *d, unsigned ri, uint64_t now)
{
    if (!d->p.rate_per_s)
        return 1;
    uint64_t *tat = &d->tat[ri];
    if (*tat > now + d->rate_tau_ns)
        return 0;
    *tat = (*tat > now ? *tat : now) + d->rate_t_ns;
    return 1;
}

void tw_detector_prepare(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre)
{
    /* The hashes first, and a prefetch of every table line this frame will touch, so that the memory accesses
     * overlap each other and the lookups (the order of the table operations is unchanged). */
    pre->rev = 0;
    pre->has_flow = tw_flow_key_of(m, &pre->fk, &pre->rev);
    pre->fh = pre->has_flow ? tw_flow_prepare(d, &pre->fk) : 0;
    uint8_t v[TW_DIGEST_VEC_BYTES];
    pre->has_in = m->inner && tw_digest_vec(m, 1, v);
    pre->tag_in = pre->has_in ? tw_digest_tag(&d->hash, v) : 0;
    if (pre->has_in)
        tw_digest_prefetch(d, pre->tag_in);
    pre->has_out = tw_digest_vec(m, 0, v);
    pre->tag_out = pre->has_out ? tw_digest_tag(&d->hash, v) : 0;
    if (pre->has_out)
        tw_digest_prefetch(d, pre->tag_out);
}

int tw_detector_frame(struct tw_detector *d, const struct tw_meta *m, const uint8_t *frame, size_t caplen,
                      uint64_t pcap_cnt)
{
    struct tw_det_pre pre;
    tw_detector_prepare(d, m, &pre);
    return tw_detector_frame_pre(d, m, &pre, frame, caplen, pcap_cnt);
}

int tw_detector_frame_pre(struct tw_detector *d, const struct tw_meta *m, const struct tw_det_pre *pre,
                          const uint8_t *frame, size_t caplen, uint64_t pcap_cnt)
{
    uint64_t now = m->ts;
    uint64_t flen = m->len > d->p.fcs_bytes ? m->len - d->p.fcs_bytes : 0;
    d->st.frames++;
    d->st.bytes += flen;
    if (m->err) {
        d->st.frames_err++;
        for (unsigned b = 0; b < TW_ERR_COUNT; b++)
            if ((m->err >> b) & 1u)
                d->st.err[b]++;
    }
    if (m->inner)
        d->st.tunnelled++;
    const struct tw_flow_key fk = pre->fk;
    int rev = pre->rev, has_flow = pre->has_flow, has_in = pre->has_in, has_out = pre->has_out;
    uint32_t fh = pre->fh;
    uint64_t tag_in = pre->tag_in, tag_out = pre->tag_out;
    tw_flow_prefetch_sweep(d);

    /* the per-layer lookups (address, port and vendor sets) */
    struct layer lo, li;
    layer_of(d, m, 0, &lo);
    int have_inner = d->any_inner && m->inner;
    if (have_inner)
        layer_of(d, m, 1, &li);

    /* 1. flow */
    int toclient = 0;
    struct tw_flow_ent *fe = has_flow ? tw_flow_access(d, m, &fk, rev, fh, flen, &toclient) : NULL;
    uint64_t flow_id = fe ? fe->flow_id : 0;
    if (!fe)
        d->st.no_ip++;

    /* 2. mirror-copy digest: look the inner packet up, then insert the outer one */
    int mc = 0;
    if (has_in) {
        mc = tw_digest_lookup(d, tag_in, now);
        d->st.mirror_copies += (uint64_t)mc;
    }
    if (has_out)
        tw_digest_insert(d, tag_out, now);

    /* 3. rules in order */
    unsigned alerts[TW_DETECT_MAX_ALERTS], na = 0;
    int passed = 0;
    for (unsigned k = 0; k < d->ncrule; k++) {
        const struct tw_crule *c = &d->crule[k];
        const struct layer *L = c->inner ? (have_inner ? &li : NULL) : &lo;
        if (!L || !rule_match(d, c, m, L, mc))
            continue;
        unsigned i = c->idx;
        d->rule_matches[i]++;
        d->st.rule_matches++;
        if (c->action == TW_ACT_PASS) {
            passed = 1;
            continue;
        }
        if (passed) {
            d->st.pass_suppressed++;
            continue;
        }
        if (!thresholds_pass(d, i, L, flow_id, now, flen)) {
            d->st.alerts_thresholded++;
            continue;
        }
        if (!rate_ok(d, i, now)) {
            d->rule_limited[i]++;
            d->st.alerts_rate_limited++;
            continue;
        }
        if (na == d->p.max_alerts) {
            d->st.alerts_overflow++;
            continue;
        }
        alerts[na++] = i;
    }

    /* 4. alerts */
    if (na) {
        d->st.frames_alerted++;
        if (fe)
            fe->alerted = 1;
    }
    for (unsigned k = 0; k < na; k++) {
        d->rule_alerts[alerts[k]]++;
        d->st.alerts++;
        if (d->sink.alert) {
            struct tw_det_alert a = {
                .m = m,
                .frame = frame,
                .caplen = frame ? caplen : 0,
                .pcap_cnt = pcap_cnt,
                .flow_id = flow_id,
                .rule = alerts[k],
                .inner = d->t->rule[alerts[k]].inner,
                .mirror_copy = (uint8_t)mc,
            };
            d->sink.alert(d->sink.ctx, &a);
        }
    }

    /* 5. background sweep */
    tw_flow_sweep(d, now);
    return (int)na;
}

void tw_detector_finish(struct tw_detector *d)
{
    tw_flow_flush(d);
}

void tw_detector_stats(const struct tw_detector *d, struct tw_detect_stats *s)
{
    *s = d->st;
    s->flows_active = tw_flow_active(d);
}

const uint64_t *tw_detector_rule_alerts(const struct tw_detector *d) { return d->rule_alerts; }
const uint64_t *tw_detector_rule_limited(const struct tw_detector *d) { return d->rule_limited; }
const uint64_t *tw_detector_rule_matches(const struct tw_detector *d) { return d->rule_matches; }
const struct tw_tables *tw_detector_tables(const struct tw_detector *d) { return d->t; }

int tw_detector_digest(const struct tw_detector *d, const struct tw_meta *m, int inner, uint64_t *tag)
{
    uint8_t v[TW_DIGEST_VEC_BYTES];
    if (!tw_digest_vec(m, inner, v))
        return 0;
    *tag = tw_digest_tag(&d->hash, v);
    return 1;
}
