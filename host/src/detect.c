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
    /* the digest and the state table in one region of huge pages (mem_int.h: fewer TLB misses on their random
     * accesses); d->digest owns it */
    size_t nd = ((size_t)p->digest_sets * p->digest_ways * sizeof *d->digest + 63) & ~(size_t)63;
    size_t ns = (size_t)p->state_buckets * p->state_ways * sizeof *d->state;
    d->digest = tw_table_alloc(nd + ns);
    if (d->digest) {
        memset(d->digest, 0, nd + ns);
        d->state = (struct tw_state_ent *)(void *)((char *)d->digest + nd);
    }
    d->tat = calloc(nr, sizeof *d->tat);
    d->rule_alerts = calloc(nr, sizeof *d->rule_alerts);
    d->rule_limited = calloc(nr, sizeof *d->rule_limited);
    d->rule_matches = calloc(nr, sizeof *d->rule_matches);
    d->win_ns = calloc(2 * nr, sizeof *d->win_ns);
    if (!d->digest || !d->state || !d->tat || !d->rule_alerts || !d->rule_limited || !d->rule_matches ||
        !d->win_ns || tw_flow_init(d) < 0) {
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
        d->win_ns[2 * i] = (uint64_t)t->rule[i].thr_seconds * 1000000000ull;
        d->win_ns[2 * i + 1] = (uint64_t)t->rule[i].vol_seconds * 1000000000ull;
        d->any_inner |= t->rule[i].inner;
        d->any_sv |= t->rule[i].sv_mask != 0;
        d->any_dv |= t->rule[i].dv_mask != 0;
    }
    if (compile_rules(d) < 0) {
        tw_detector_destroy(d);
        return TW_ERR_NOMEM;
    }
    d->rmemo_on = d->pf_words == 1; /* the rule memo holds one word of candidates */
    *out = d;
    return 0;
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* The quick-reject bitmaps (struct tw_detector, pf_*): bit k of a map is crule[k]. Each map entry only ANDs out
 * rules whose condition on that value is false, so the candidates are a superset of the matching rules. */
static int compile_prefilter(struct tw_detector *d)
{
    unsigned nw = (d->ncrule + 63) / 64;
    if (!nw)
        nw = 1;
    size_t n = (size_t)(256 + 256 + 257 + 16 + 4 + 2 * 257) * nw;
    d->pf_words = nw;
    d->pf = calloc(n, sizeof *d->pf);
    d->rm = calloc(nw, sizeof *d->rm);
    d->rm_addr = calloc((size_t)32 * nw, sizeof *d->rm_addr);
    d->rm_port = calloc((size_t)32 * nw, sizeof *d->rm_port);
    if (!d->pf || !d->rm || !d->rm_addr || !d->rm_port)
        return TW_ERR_NOMEM;
    d->rm_sv = d->pf + (size_t)(256 + 256 + 257 + 16 + 4) * nw;
    d->rm_dv = d->rm_sv + (size_t)257 * nw;
    d->pf_proto = d->pf;
    d->pf_ttl = d->pf_proto + 256 * nw;
    d->pf_flags = d->pf_ttl + 256 * nw;
    d->pf_tun = d->pf_flags + 257 * nw;
    d->pf_outer = d->pf_tun + 16 * nw;
    d->pf_inner = d->pf_outer + nw;
    d->pf_nomirror = d->pf_inner + nw;
    d->pf_state = d->pf_nomirror + nw;
    for (unsigned k = 0; k < d->ncrule; k++) {
        const struct tw_crule *c = &d->crule[k];
        unsigned w = k / 64;
        uint64_t bit = 1ull << (k % 64);
        for (unsigned x = 0; x < 256; x++) {
            if (!c->proto_v || c->proto == x)
                d->pf_proto[x * nw + w] |= bit;
            if (tw_cmp(c->ttl_op, x, c->ttl_a, c->ttl_b))
                d->pf_ttl[x * nw + w] |= bit;
            if (tw_crule_flags(c, 1, (uint8_t)x))
                d->pf_flags[x * nw + w] |= bit;
        }
        if (tw_crule_flags(c, 0, 0))
            d->pf_flags[256 * nw + w] |= bit;
        for (unsigned x = 0; x < 16; x++)
            if (!c->tun_mask || ((c->tun_mask >> x) & 1u))
                d->pf_tun[x * nw + w] |= bit;
        if (c->inner)
            d->pf_inner[w] |= bit;
        else
            d->pf_outer[w] |= bit;
        if (!c->mirror)
            d->pf_nomirror[w] |= bit;
        const struct tw_rule_entry *re = &d->t->rule[c->idx];
        if ((re->thr_type != TW_THR_NONE && re->thr_track != TW_TRACK_FLOW) ||
            (re->vol_v && re->vol_track != TW_TRACK_FLOW))
            d->pf_state[w] |= bit;
        /* the rest of the condition (tw_rest_word) */
        struct tw_rm_word *r = &d->rm[w];
#define RM_SET(in, ex, neg, noin, nots, field_in, field_ex, tab)                                                   \
    do {                                                                                                           \
        if (in)                                                                                                    \
            tab[(unsigned)__builtin_ctz(in) * nw + w].field_in |= bit;                                             \
        else                                                                                                       \
            r->noin |= bit;                                                                                        \
        if (ex)                                                                                                    \
            tab[(unsigned)__builtin_ctz(ex) * nw + w].field_ex |= bit;                                             \
        if (neg)                                                                                                   \
            r->nots |= bit;                                                                                        \
    } while (0)
        RM_SET(c->sa_in, c->sa_ex, c->sa_not, sa_noin, sa_not, s_in, s_ex, d->rm_addr);
        RM_SET(c->da_in, c->da_ex, c->da_not, da_noin, da_not, d_in, d_ex, d->rm_addr);
        RM_SET(c->sp_in, c->sp_ex, c->sp_not, sp_noin, sp_not, s_in, s_ex, d->rm_port);
        RM_SET(c->dp_in, c->dp_ex, c->dp_not, dp_noin, dp_not, d_in, d_ex, d->rm_port);
#undef RM_SET
        if (c->sp_cond)
            r->sp_cond |= bit;
        if (c->dp_cond)
            r->dp_cond |= bit;
        if (c->bidir)
            r->bidir |= bit;
        if (c->vlan_op != TW_CMP_NONE)
            r->vlan |= bit;
        for (unsigned vs = 0; vs < 256; vs++) {
            if (!c->sv_mask || ((vs & c->sv_mask) != 0) != c->sv_not)
                d->rm_sv[vs * nw + w] |= bit;
            if (!c->dv_mask || ((vs & c->dv_mask) != 0) != c->dv_not)
                d->rm_dv[vs * nw + w] |= bit;
        }
        if (!c->sv_mask) /* without an Ethernet header a vendor condition is false, negated or not */
            d->rm_sv[256 * nw + w] |= bit;
        if (!c->dv_mask)
            d->rm_dv[256 * nw + w] |= bit;
    }
    return 0;
}

/* A set condition over a word of rules: no `in` set or the `in` set present, and the `ex` set absent; negated. */
static inline uint64_t rm_ok(uint64_t noin, uint64_t in, uint64_t ex, uint64_t neg)
{
    return ((noin | in) & ~ex) ^ neg;
}

uint64_t tw_rest_word(const struct tw_detector *d, const struct tw_layer *L, unsigned w, uint64_t c)
{
    unsigned nw = d->pf_words;
    const struct tw_rm_word *r = &d->rm[w];
    if (L->l2)
        c &= d->rm_sv[(L->smac_vs & 255u) * nw + w] & d->rm_dv[(L->dmac_vs & 255u) * nw + w];
    else
        c &= d->rm_sv[256 * nw + w] & d->rm_dv[256 * nw + w];
    if (!c)
        return 0;
    /* what the source address's sets select in the rules' source (a) and destination (b) fields, and the
     * destination address's (t) */
    struct tw_rm_set a = {0, 0, 0, 0}, t = {0, 0, 0, 0};
    for (uint32_t b = L->src_sets; b; b &= b - 1) {
        const struct tw_rm_set *e = &d->rm_addr[(unsigned)__builtin_ctz(b) * nw + w];
        a.s_in |= e->s_in, a.s_ex |= e->s_ex, a.d_in |= e->d_in, a.d_ex |= e->d_ex;
    }
    for (uint32_t b = L->dst_sets; b; b &= b - 1) {
        const struct tw_rm_set *e = &d->rm_addr[(unsigned)__builtin_ctz(b) * nw + w];
        t.s_in |= e->s_in, t.s_ex |= e->s_ex, t.d_in |= e->d_in, t.d_ex |= e->d_ex;
    }
    uint64_t h0 = rm_ok(r->sa_noin, a.s_in, a.s_ex, r->sa_not) & rm_ok(r->da_noin, t.d_in, t.d_ex, r->da_not);
    uint64_t h1 = rm_ok(r->sa_noin, t.s_in, t.s_ex, r->sa_not) & rm_ok(r->da_noin, a.d_in, a.d_ex, r->da_not);
    /* ports: a field with a condition needs the packet's ports */
    uint64_t p0 = ~r->sp_cond & ~r->dp_cond, p1 = p0;
    if (L->ports && (c & (r->sp_cond | r->dp_cond))) {
        struct tw_rm_set ps = {0, 0, 0, 0}, pd = {0, 0, 0, 0};
        for (uint32_t b = L->sp_sets; b; b &= b - 1) {
            const struct tw_rm_set *e = &d->rm_port[(unsigned)__builtin_ctz(b) * nw + w];
            ps.s_in |= e->s_in, ps.s_ex |= e->s_ex, ps.d_in |= e->d_in, ps.d_ex |= e->d_ex;
        }
        for (uint32_t b = L->dp_sets; b; b &= b - 1) {
            const struct tw_rm_set *e = &d->rm_port[(unsigned)__builtin_ctz(b) * nw + w];
            pd.s_in |= e->s_in, pd.s_ex |= e->s_ex, pd.d_in |= e->d_in, pd.d_ex |= e->d_ex;
        }
        p0 = (~r->sp_cond | rm_ok(r->sp_noin, ps.s_in, ps.s_ex, r->sp_not)) &
             (~r->dp_cond | rm_ok(r->dp_noin, pd.d_in, pd.d_ex, r->dp_not));
        p1 = (~r->sp_cond | rm_ok(r->sp_noin, pd.s_in, pd.s_ex, r->sp_not)) &
             (~r->dp_cond | rm_ok(r->dp_noin, ps.d_in, ps.d_ex, r->dp_not));
    }
    c &= (h0 & p0) | (r->bidir & h1 & p1);
    for (uint64_t b = c & r->vlan; b; b &= b - 1) {
        unsigned k = (unsigned)__builtin_ctzll(b);
        if (!tw_crule_vlan(&d->crule[w * 64 + k], L))
            c &= ~(1ull << k);
    }
    return c;
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
        tw_crule_of(r, i, c);
        d->need_addr |= r->src_in_v || r->src_ex_v || r->dst_in_v || r->dst_ex_v;
        d->need_port |= c->sp_cond || c->dp_cond;
    }
    if (compile_prefilter(d) < 0)
        return TW_ERR_NOMEM;
    if (d->need_port) { /* every port's sets, as tw_port_sets() gives them */
        d->port_sets = calloc(65536, sizeof *d->port_sets);
        d->port_any = calloc(65536 / 64, sizeof *d->port_any);
        if (!d->port_sets || !d->port_any)
            return TW_ERR_NOMEM;
        unsigned n = t->settings.n_port_ranges;
        for (unsigned i = 0; i < n && i < TW_CAP_PORT_RANGES; i++) {
            const struct tw_port_entry *e = &t->port[i];
            if (!e->valid || !e->sets)
                continue;
            for (unsigned p = e->lo; p <= e->hi; p++) {
                d->port_sets[p] |= e->sets;
                d->port_any[p / 64] |= 1ull << (p % 64);
            }
        }
    }
    if (d->need_addr) {
        unsigned n = t->settings.n_prefixes;
        size_t n4 = (TW_CAP_PREFIXES + TW_PFX4_LANES - 1) / TW_PFX4_LANES;
        d->pfx4 = aligned_alloc(_Alignof(struct tw_pfx4), n4 * sizeof *d->pfx4);
        if (d->pfx4)
            for (size_t i = 0; i < n4; i++)
                for (unsigned l = 0; l < TW_PFX4_LANES; l++) {
                    d->pfx4[i].net[l] = ~0u; /* mask 0, net all ones: the lane never matches */
                    d->pfx4[i].mask[l] = 0;
                    d->pfx4[i].sets[l] = 0;
                }
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
                struct tw_pfx4 *q = &d->pfx4[d->npfx4 / TW_PFX4_LANES];
                unsigned l = d->npfx4++ % TW_PFX4_LANES;
                q->net[l] = a & m;
                q->mask[l] = m;
                q->sets[l] = e->sets;
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
    free(d->digest); /* and the state table in its region */
    free(d->tat);
    free(d->rule_alerts);
    free(d->rule_limited);
    free(d->rule_matches);
    free(d->win_ns);
    free(d->crule);
    free(d->pf);
    free(d->rm);
    free(d->rm_addr);
    free(d->rm_port);
    free(d->port_sets);
    free(d->port_any);
    free(d->pfx4);
    free(d->pfx6);
    free(d);
}

/* ---- the per-layer lookups (the hardware's lookup stage; the view and the rule condition: detect_rule.h) ---- */

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

unsigned tw_detector_mac_vsets(struct tw_detector *d, uint64_t mac)
{
    return mac_vsets(d, mac);
}

static uint32_t ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t ld_be64(const uint8_t *p)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return __builtin_bswap64(v);
#else
    return be64(p);
#endif
}

/* tw_addr_sets() of both addresses of a layer (*sa of a, *sb of b), over the integer form of the prefixes, in one
 * pass over them */
static void addr_sets2(const struct tw_detector *d, int v6, const uint8_t a[16], const uint8_t b[16], uint32_t *sa,
                       uint32_t *sb)
{
    if (d->pfx_generic) {
        *sa = tw_addr_sets(d->t, v6, a);
        *sb = tw_addr_sets(d->t, v6, b);
        return;
    }
    uint32_t ra = 0, rb = 0;
    if (!v6) {
        tw_v4u acc_a = {0}, acc_b = {0};
        tw_v4u xa = ld_be32(a + 12) - (tw_v4u){0}, xb = ld_be32(b + 12) - (tw_v4u){0}; /* in every lane */
        for (unsigned i = 0, n = (d->npfx4 + TW_PFX4_LANES - 1) / TW_PFX4_LANES; i < n; i++) {
            const struct tw_pfx4 *q = &d->pfx4[i];
            acc_a |= (tw_v4u)((xa & q->mask) == q->net) & q->sets; /* a lane compares to all ones when equal */
            acc_b |= (tw_v4u)((xb & q->mask) == q->net) & q->sets;
        }
        for (unsigned l = 0; l < TW_PFX4_LANES; l++) {
            ra |= acc_a[l];
            rb |= acc_b[l];
        }
    } else {
        uint64_t ah = ld_be64(a), al = ld_be64(a + 8), bh = ld_be64(b), bl = ld_be64(b + 8);
        for (unsigned i = 0; i < d->npfx6; i++) {
            const struct tw_pfx6 *e = &d->pfx6[i];
            ra |= ((ah & e->mhi) == e->hi && (al & e->mlo) == e->lo) ? e->sets : 0;
            rb |= ((bh & e->mhi) == e->hi && (bl & e->mlo) == e->lo) ? e->sets : 0;
        }
    }
    *sa = ra;
    *sb = rb;
}

/* The set lookups of a layer (tw_layer_view() made the rest), each only when some rule has such a condition. */
static void layer_sets(struct tw_detector *d, struct tw_layer *L)
{
    if (L->l2) {
        if (d->any_sv)
            L->smac_vs = mac_vsets(d, L->smac);
        if (d->any_dv)
            L->dmac_vs = mac_vsets(d, L->dmac);
    }
    if (!L->ip)
        return;
    if (L->ports && d->need_port) {
        unsigned sp = L->sport, dp = L->dport;
        L->sp_sets = (d->port_any[sp / 64] >> (sp % 64)) & 1u ? d->port_sets[sp] : 0;
        L->dp_sets = (d->port_any[dp / 64] >> (dp % 64)) & 1u ? d->port_sets[dp] : 0;
    }
    if (d->need_addr)
        addr_sets2(d, L->v6, L->src, L->dst, &L->src_sets, &L->dst_sets);
}

/* The rules of layer L that survive the quick reject, into cand[pf_words] (layer: pf_outer or pf_inner). */
static void layer_candidates(const struct tw_detector *d, const struct tw_layer *L, const uint64_t *layer,
                             uint64_t *cand)
{
    unsigned nw = d->pf_words;
    if (!L->ip) {
        for (unsigned w = 0; w < nw; w++)
            cand[w] = 0;
        return;
    }
    const uint64_t *pp = d->pf_proto + (size_t)L->proto * nw, *pt = d->pf_ttl + (size_t)L->ttl * nw;
    const uint64_t *pg = d->pf_flags + (size_t)(L->tcp ? L->tcp_flags : 256) * nw;
    for (unsigned w = 0; w < nw; w++)
        cand[w] = layer[w] & pp[w] & pt[w] & pg[w];
}

/* ---- threshold / volume state ---- */
uint64_t tw_state_tag(const struct tw_hash *h, unsigned rule, unsigned kind, unsigned track, const struct tw_layer *L,
                      uint64_t flow_id)
{
    /* the 48-byte key as the words of tw_hash_tag48_w: bytes 0..3 rule (big-endian), kind, track; 8..23 and
     * 24..39 the tracked address(es); 40..47 the flow id (big-endian); zero elsewhere */
    uint64_t w[6] = {0};
    w[0] = (uint64_t)((rule >> 8) & 0xFF) | (uint64_t)(rule & 0xFF) << 8 | (uint64_t)(kind & 0xFF) << 16 |
           (uint64_t)(track & 0xFF) << 24;
    switch (track) {
    case TW_TRACK_SRC:
        tw_addr_w(L->src, w + 1);
        break;
    case TW_TRACK_DST:
        tw_addr_w(L->dst, w + 1);
        break;
    case TW_TRACK_BOTH: { /* the unordered pair: lower address first (bytewise, as big-endian integers) */
        uint64_t s[2], t[2];
        tw_addr_w(L->src, s);
        tw_addr_w(L->dst, t);
        uint64_t s0 = __builtin_bswap64(s[0]), t0 = __builtin_bswap64(t[0]);
        int sw = s0 != t0 ? s0 > t0 : __builtin_bswap64(s[1]) > __builtin_bswap64(t[1]);
        w[1] = sw ? t[0] : s[0], w[2] = sw ? t[1] : s[1];
        w[3] = sw ? s[0] : t[0], w[4] = sw ? s[1] : t[1];
        break;
    }
    case TW_TRACK_FLOW:
        w[5] = __builtin_bswap64(flow_id);
        break;
    default: break; /* by_rule: the rule alone */
    }
    return tw_hash_tag48_w(h, w);
}

static uint64_t window_ns(const struct tw_detector *d, unsigned rule, unsigned kind)
{
    return d->win_ns[2 * rule + (kind != 0)];
}

static int state_expired(const struct tw_detector *d, const struct tw_state_ent *e, uint64_t now)
{
    return now > e->start && now - e->start > window_ns(d, e->rule, e->kind);
}

static uint64_t state_tag(const struct tw_detector *d, unsigned rule, unsigned kind, unsigned track,
                          const struct tw_layer *L, uint64_t flow_id)
{
    return tw_state_tag(&d->hash, rule, kind, track, L, flow_id);
}

static struct tw_state_ent *state_bucket(const struct tw_detector *d, uint64_t tag)
{
    uint32_t c = (uint32_t)(tag >> 32);
    return d->state + (size_t)(c & (d->p.state_buckets - 1)) * d->p.state_ways;
}

static void state_prefetch(const struct tw_detector *d, uint64_t tag)
{
    const struct tw_state_ent *b = state_bucket(d, tag);
    for (unsigned w = 0; w < d->p.state_ways; w += 2) /* two 32-byte ways per line */
        __builtin_prefetch(&b[w], 1);
}

/* The tag of (rule, kind): from the prepared ones, else computed. */
static uint64_t state_tag_pre(const struct tw_detector *d, const struct tw_det_pre *pre, unsigned rule,
                              unsigned kind, unsigned track, const struct tw_layer *L, uint64_t flow_id)
{
    if (track != TW_TRACK_FLOW)
        for (unsigned i = 0; i < pre->nstag; i++)
            if (pre->stag[i].rule == rule && pre->stag[i].kind == kind)
                return pre->stag[i].tag;
    return state_tag(d, rule, kind, track, L, flow_id);
}

/* The entry of the key with this tag (window restarted when it has run out), or NULL when the bucket has no way
 * for it. */
static struct tw_state_ent *state_get(struct tw_detector *d, unsigned rule, unsigned kind, uint64_t tag,
                                      uint64_t now)
{
    struct tw_state_ent *b = state_bucket(d, tag), *e = NULL;
    for (unsigned w = 0; w < d->p.state_ways && !e; w++)
        if (b[w].tag == tag && b[w].valid && b[w].rule == rule && b[w].kind == kind)
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
static int thresholds_pass(struct tw_detector *d, const struct tw_det_pre *pre, unsigned ri,
                           const struct tw_layer *L, uint64_t flow_id, uint64_t now, uint64_t flen)
{
    const struct tw_rule_entry *r = &d->t->rule[ri];
    int ok = 1;
    if (r->thr_type != TW_THR_NONE) {
        struct tw_state_ent *e =
            state_get(d, ri, 0, state_tag_pre(d, pre, ri, 0, r->thr_track, L, flow_id), now);
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
        struct tw_state_ent *e = state_get(d, ri, 1, state_tag_pre(d, pre, ri, 1, r->vol_track, L, flow_id), now);
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

/* The rule memo's key words of the outer layer (struct tw_flow_ent): with the flow key, every field of the layer view
 * the stateless rule part reads (tw_layer_view, layer_sets, tw_rest_word, the state tags) and the tunnel kind. */
static void rmemo_key(const struct tw_meta *m, int rev, uint64_t *xa, uint64_t *xb)
{
    uint64_t a = 1ull << 63, b = 0;
    int l4 = m->o_l4 != 0;
    a |= (uint64_t)m->o_ip_ttl | (uint64_t)(l4 && m->o_ip_proto == 6 ? m->o_tcp_flags : 0) << 8 | (uint64_t)l4 << 16 |
         (uint64_t)(rev != 0) << 18 | (uint64_t)(m->tun_kind & 15u) << 21;
    if (m->o_l2) { /* as tw_layer_view: the VLANs and MACs only with an Ethernet header */
        unsigned vn = m->o_vlan_n > 2 ? 2 : m->o_vlan_n;
        a |= 1ull << 17 | (uint64_t)vn << 19 | (uint64_t)(m->o_vlan0_tci & 0xFFF) << 25 |
             (uint64_t)(m->o_vlan1_tci & 0xFFF) << 37;
        b = ((m->o_smac >> 24) & 0xFFFFFF) | ((m->o_dmac >> 24) & 0xFFFFFF) << 24; /* the OUIs: the vendor sets */
    }
    *xa = a;
    *xb = b;
}

void tw_detector_rmemo_enable(struct tw_detector *d, int on)
{
    d->rmemo_on = on && d->pf_words == 1;
}

void tw_detector_prepare_a(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre)
{
    /* The hashes first, and a prefetch of every table line this frame will touch, so that the memory accesses
     * overlap each other and the lookups (the order of the table operations is unchanged). */
    pre->rev = 0;
    pre->has_flow = tw_flow_key_of(m, &pre->fk, &pre->rev);
    pre->fh = pre->has_flow ? tw_flow_prepare(d, &pre->fk) : 0;
    pre->tag_in = pre->tag_out = 0;
    pre->has_in = m->inner && tw_digest_tag_of(&d->hash, m, 1, &pre->tag_in);
    if (pre->has_in)
        tw_digest_prefetch(d, pre->tag_in);
    pre->has_out = tw_digest_tag_of(&d->hash, m, 0, &pre->tag_out);
    if (pre->has_out)
        tw_digest_prefetch(d, pre->tag_out);
    /* the rule memo's words, for a frame with a flow whose inner layer no rule looks at */
    pre->memo = d->rmemo_on && pre->has_flow && !(d->any_inner && m->inner);
    if (pre->memo)
        rmemo_key(m, pre->rev, &pre->mxa, &pre->mxb);
}

void tw_detector_prepare_b(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre)
{
    /* The stateless part of the rules (it reads no table the frames before this one change): the per-layer views,
     * the set lookups only for a layer some candidate rule looks at, the rest of each candidate's condition; from
     * the rule memo when it holds this frame's key. */
    struct tw_layer *lo = &pre->lo, *li = &pre->li;
    unsigned nw = d->pf_words;
    uint64_t *cand = pre->rest, ci[TW_CAP_RULES / 64 + 1];
    int have_inner = d->any_inner && m->inner;
    pre->have_inner = have_inner;
    const struct tw_flow_ent *hit = NULL;
    pre->fe_hint = NULL;
    if (pre->memo) { /* the flow's entry (its bucket was prefetched by _a) holds the memo */
        const struct tw_flow_ent *e = tw_flow_peek(d, &pre->fk, pre->fh);
        pre->fe_hint = e;
        if (e && e->mxa == pre->mxa && e->mxb == pre->mxb)
            hit = e;
    }
    if (hit) {
        cand[0] = hit->mrest; /* the memo is on only with pf_words == 1 */
        d->rmemo_hits++;
        /* the view's addresses, all the later steps read of it (the state tags: tw_state_tag) */
        lo->ip = 1;
        lo->v6 = m->o_ip_ver == 6;
        lo->src = m->o_ip_src;
        lo->dst = m->o_ip_dst;
    } else {
        int any_o = 0, any_i = 0;
        tw_layer_view(m, 0, lo);
        layer_candidates(d, lo, d->pf_outer, cand);
        for (unsigned w = 0; w < nw; w++)
            any_o |= cand[w] != 0;
        if (any_o)
            layer_sets(d, lo);
        if (have_inner) {
            tw_layer_view(m, 1, li);
            layer_candidates(d, li, d->pf_inner, ci);
            for (unsigned w = 0; w < nw; w++) {
                any_i |= ci[w] != 0;
                cand[w] |= ci[w];
            }
            if (any_i)
                layer_sets(d, li);
        }
        const uint64_t *ptun = d->pf_tun + (size_t)(m->tun_kind & 15u) * nw;
        for (unsigned w = 0; w < nw; w++) {
            /* the quick conditions hold for every candidate: the rest of each one's condition, a word at a time
             * (mirror_copy is applied when the digest table has been looked up) */
            uint64_t cw = cand[w] & ptun[w];
            uint64_t cwi = cw & d->pf_inner[w], cwo = cw & ~cwi;
            cand[w] = (cwo ? tw_rest_word(d, lo, w, cwo) : 0) | (cwi ? tw_rest_word(d, li, w, cwi) : 0);
        }
        d->rmemo_misses += (uint64_t)pre->memo;
    }
    /* the state tags of the candidates with threshold / volume state not keyed by the flow, their buckets
     * prefetched */
    pre->nstag = 0;
    for (unsigned w = 0; w < nw; w++)
        for (uint64_t b = cand[w] & d->pf_state[w]; b && pre->nstag < TW_PRE_STAGS; b &= b - 1) {
            const struct tw_crule *c = &d->crule[w * 64 + (unsigned)__builtin_ctzll(b)];
            const struct tw_rule_entry *r = &d->t->rule[c->idx];
            const struct tw_layer *L = c->inner ? li : lo;
            for (unsigned kind = 0; kind < 2 && pre->nstag < TW_PRE_STAGS; kind++) {
                unsigned track = kind ? r->vol_track : r->thr_track;
                if ((kind ? !r->vol_v : r->thr_type == TW_THR_NONE) || track == TW_TRACK_FLOW)
                    continue;
                uint64_t tag = state_tag(d, c->idx, kind, track, L, 0);
                state_prefetch(d, tag);
                pre->stag[pre->nstag].tag = tag;
                pre->stag[pre->nstag].rule = c->idx;
                pre->stag[pre->nstag].kind = (uint8_t)kind;
                pre->nstag++;
            }
        }
}

void tw_detector_prepare(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre)
{
    tw_detector_prepare_a(d, m, pre);
    tw_detector_prepare_b(d, m, pre);
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
    int rev = pre->rev, has_flow = pre->has_flow, has_in = pre->has_in, has_out = pre->has_out;
    uint32_t fh = pre->fh;
    uint64_t tag_in = pre->tag_in, tag_out = pre->tag_out;
    tw_flow_prefetch_sweep(d, now);
    const struct tw_layer *lo = &pre->lo, *li = &pre->li;
    unsigned nw = d->pf_words;
    uint64_t cand[TW_CAP_RULES / 64 + 1];

    /* 1. flow */
    int toclient = 0;
    struct tw_flow_ent *fe = has_flow ? tw_flow_access_hint(d, m, &pre->fk, rev, fh, flen, pre->fe_hint, &toclient) : NULL;
    uint64_t flow_id = fe ? fe->flow_id : 0;
    if (!fe)
        d->st.no_ip++;
    else if (pre->memo) { /* the rule memo: this frame's words and candidates */
        fe->mxa = pre->mxa;
        fe->mxb = pre->mxb;
        fe->mrest = pre->rest[0];
    }

    /* 2. mirror-copy digest: look the inner packet up, then insert the outer one */
    int mc = 0;
    if (has_in) {
        mc = tw_digest_lookup(d, tag_in, now);
        d->st.mirror_copies += (uint64_t)mc;
    }
    if (has_out)
        tw_digest_insert(d, tag_out, now);

    /* 3. rules in order: the rules whose condition holds (prepared) less the mirror_copy ones without a copy */
    unsigned alerts[TW_DETECT_MAX_ALERTS], na = 0;
    int passed = 0;
    for (unsigned w = 0; w < nw; w++)
        cand[w] = pre->rest[w] & (mc ? ~0ull : d->pf_nomirror[w]);
    for (unsigned w = 0; w < nw; w++)
        for (uint64_t bits = cand[w]; bits; bits &= bits - 1) {
            const struct tw_crule *c = &d->crule[w * 64 + (unsigned)__builtin_ctzll(bits)];
            const struct tw_layer *L = c->inner ? li : lo;
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
            if (!thresholds_pass(d, pre, i, L, flow_id, now, flen)) {
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
