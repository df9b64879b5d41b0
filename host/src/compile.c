/* The compiler: configuration and rules to the detection engine's tables (docs/tables.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

struct cc {
    struct tw_tables *t;
    struct diag *d;
    unsigned max_kicks, cap_oui;
    /* address and port sets: the sorted entry indexes of each set, for sharing identical sets */
    uint32_t *aset_members[TW_CAP_ADDR_SETS];
    size_t aset_n[TW_CAP_ADDR_SETS];
    uint32_t *pset_members[TW_CAP_PORT_SETS];
    size_t pset_n[TW_CAP_PORT_SETS];
};

/* ---- OUI placement (cuckoo) ---- */
static struct tw_oui_entry *oui_slot(struct tw_tables *t, unsigned way, unsigned bucket, unsigned slot)
{
    return &t->oui[((size_t)way * t->settings.oui_buckets + bucket) * TW_OUI_SLOTS + slot];
}

static struct tw_oui_entry *oui_find(struct tw_tables *t, uint32_t oui)
{
    for (unsigned w = 0; w < TW_OUI_WAYS; w++) {
        unsigned b = tw_oui_hash(oui, w, t->settings.oui_buckets);
        for (unsigned s = 0; s < TW_OUI_SLOTS; s++) {
            struct tw_oui_entry *e = oui_slot(t, w, b, s);
            if (e->valid && e->oui == oui)
                return e;
        }
    }
    return NULL;
}

static struct tw_oui_entry *oui_free_slot(struct tw_tables *t, unsigned way, uint32_t oui)
{
    unsigned b = tw_oui_hash(oui, way, t->settings.oui_buckets);
    for (unsigned s = 0; s < TW_OUI_SLOTS; s++) {
        struct tw_oui_entry *e = oui_slot(t, way, b, s);
        if (!e->valid)
            return e;
    }
    return NULL;
}

/* Inserts a new OUI; 0, or -1 when max_kicks displacements found no room (the table is then left with another
 * OUI homeless: the compilation fails anyway). */
static int oui_insert(struct tw_tables *t, uint32_t oui, uint8_t vset, unsigned max_kicks)
{
    struct tw_oui_entry cur = {1, oui, vset};
    struct tw_oui_entry *e;
    if ((e = oui_free_slot(t, 0, oui)) || (e = oui_free_slot(t, 1, oui))) {
        *e = cur;
        return 0;
    }
    unsigned way = 0;
    for (unsigned kick = 0; kick < max_kicks; kick++) {
        unsigned b = tw_oui_hash(cur.oui, way, t->settings.oui_buckets);
        struct tw_oui_entry *victim = oui_slot(t, way, b, kick % TW_OUI_SLOTS);
        struct tw_oui_entry out = *victim;
        *victim = cur;
        cur = out;
        way ^= 1u; /* the evicted OUI's other bucket */
        if ((e = oui_free_slot(t, way, cur.oui))) {
            *e = cur;
            return 0;
        }
    }
    return -1;
}

static int place_vendors(struct cc *cc, const struct tw_config *c, const char *registry)
{
    struct tw_tables *t = cc->t;
    size_t nv = c->nvendors;
    uint32_t **ouis = calloc(nv + 1, sizeof *ouis);
    size_t *n = calloc(nv + 1, sizeof *n);
    int rc = 0;
    if (!ouis || !n) {
        rc = TW_ERR_NOMEM;
        goto out;
    }
    if ((rc = oui_resolve(c, registry, ouis, n, cc->d)))
        goto out;
    t->settings.n_vendor_sets = (uint8_t)nv;
    for (size_t v = 0; v < nv && !rc; v++) {
        const struct vendor *vd = &c->vendors[v];
        snprintf(t->vendor[v].name, sizeof t->vendor[v].name, "%s", vd->name);
        if (!n[v]) {
            rc = diag_at(cc->d, &vd->loc, TW_ERR_PARSE, "vendor '%s' resolved to no OUI", vd->name);
            break;
        }
        for (size_t k = 0; k < n[v]; k++) {
            struct tw_oui_entry *e = oui_find(t, ouis[v][k]);
            if (e) {
                e->vset |= (uint8_t)(1u << v);
                continue;
            }
            if (t->settings.n_oui >= cc->cap_oui) {
                rc = diag_at(cc->d, &vd->loc, TW_ERR_CAPACITY,
                             "OUI table full (%u OUIs): vendor '%s' needs %zu more", cc->cap_oui, vd->name,
                             n[v] - k);
                break;
            }
            if (oui_insert(t, ouis[v][k], (uint8_t)(1u << v), cc->max_kicks)) {
                rc = diag_at(cc->d, &vd->loc, TW_ERR_CAPACITY,
                             "OUI table full: no place for %02X:%02X:%02X of vendor '%s' after %u displacements "
                             "(%u ways x %u buckets x %u slots, %u OUIs placed)",
                             ouis[v][k] >> 16, (ouis[v][k] >> 8) & 0xFF, ouis[v][k] & 0xFF, vd->name, cc->max_kicks,
                             TW_OUI_WAYS, (unsigned)t->settings.oui_buckets, TW_OUI_SLOTS,
                             (unsigned)t->settings.n_oui);
                break;
            }
            t->settings.n_oui++;
        }
    }
    if (!rc) {
        size_t slots = (size_t)TW_OUI_WAYS * t->settings.oui_buckets * TW_OUI_SLOTS;
        for (size_t i = 0; i < slots; i++)
            if (t->oui[i].valid)
                for (size_t v = 0; v < nv; v++)
                    if (t->oui[i].vset & (1u << v))
                        t->vendor[v].n_oui++;
    }
out:
    if (ouis)
        for (size_t v = 0; v < nv; v++)
            free(ouis[v]);
    free(ouis);
    free(n);
    return rc;
}

/* ---- address and port sets ---- */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int elem_entry(struct cc *cc, const struct elem *el, int is_port, const struct rule *r, uint32_t *idx)
{
    struct tw_tables *t = cc->t;
    if (is_port) {
        unsigned n = t->settings.n_port_ranges;
        for (unsigned i = 0; i < n; i++)
            if (t->port[i].lo == el->lo && t->port[i].hi == el->hi) {
                *idx = i;
                return 0;
            }
        if (n == TW_CAP_PORT_RANGES)
            return diag_at(cc->d, &r->loc, TW_ERR_CAPACITY,
                           "port range table full (%d ranges): rule sid %u needs another", TW_CAP_PORT_RANGES,
                           (unsigned)r->e.sid);
        t->port[n] = (struct tw_port_entry){1, el->lo, el->hi, 0};
        t->settings.n_port_ranges = (uint8_t)(n + 1);
        *idx = n;
        return 0;
    }
    unsigned n = t->settings.n_prefixes;
    for (unsigned i = 0; i < n; i++)
        if (t->prefix[i].v6 == el->v6 && t->prefix[i].len == el->len && !memcmp(t->prefix[i].addr, el->addr, 16)) {
            *idx = i;
            return 0;
        }
    if (n == TW_CAP_PREFIXES)
        return diag_at(cc->d, &r->loc, TW_ERR_CAPACITY,
                       "address prefix table full (%d prefixes): rule sid %u needs another", TW_CAP_PREFIXES,
                       (unsigned)r->e.sid);
    struct tw_prefix_entry *e = &t->prefix[n];
    memset(e, 0, sizeof *e);
    e->valid = 1;
    e->v6 = el->v6;
    e->len = el->len;
    memcpy(e->addr, el->addr, 16);
    t->settings.n_prefixes = (uint8_t)(n + 1);
    *idx = n;
    return 0;
}

/* The set index of a list of elements (created when new). */
static int set_of(struct cc *cc, const struct elem *els, size_t n, int is_port, const struct rule *r, unsigned *out)
{
    struct tw_tables *t = cc->t;
    uint32_t *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return TW_ERR_NOMEM;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = elem_entry(cc, &els[i], is_port, r, &m[i]);
    if (rc) {
        free(m);
        return rc;
    }
    qsort(m, n, sizeof *m, cmp_u32);
    size_t k = n ? 1 : 0;
    for (size_t i = 1; i < n; i++)
        if (m[i] != m[k - 1])
            m[k++] = m[i];
    uint32_t **members = is_port ? cc->pset_members : cc->aset_members;
    size_t *mn = is_port ? cc->pset_n : cc->aset_n;
    unsigned nsets = is_port ? t->settings.n_port_sets : t->settings.n_addr_sets;
    for (unsigned s = 0; s < nsets; s++)
        if (mn[s] == k && !memcmp(members[s], m, k * sizeof *m)) {
            free(m);
            *out = s;
            return 0;
        }
    unsigned cap = is_port ? TW_CAP_PORT_SETS : TW_CAP_ADDR_SETS;
    if (nsets == cap) {
        free(m);
        return diag_at(cc->d, &r->loc, TW_ERR_CAPACITY, "%s set table full (%u sets): rule sid %u needs another",
                       is_port ? "port" : "address", cap, (unsigned)r->e.sid);
    }
    members[nsets] = m;
    mn[nsets] = k;
    for (size_t i = 0; i < k; i++) {
        if (is_port)
            t->port[m[i]].sets |= (uint16_t)(1u << nsets);
        else
            t->prefix[m[i]].sets |= 1u << nsets;
    }
    if (is_port)
        t->settings.n_port_sets = (uint8_t)(nsets + 1);
    else
        t->settings.n_addr_sets = (uint8_t)(nsets + 1);
    *out = nsets;
    return 0;
}

static int field(struct cc *cc, const struct norm *nm, int is_port, const struct rule *r, uint8_t *in_v,
                 uint8_t *in, uint8_t *ex_v, uint8_t *ex, uint8_t *not)
{
    unsigned s;
    int rc;
    *in_v = *ex_v = *in = *ex = 0;
    *not = (uint8_t)nm->not;
    if (!nm->any) {
        if ((rc = set_of(cc, nm->p, nm->np, is_port, r, &s)))
            return rc;
        *in_v = 1;
        *in = (uint8_t)s;
    }
    if (nm->nn) {
        if ((rc = set_of(cc, nm->n, nm->nn, is_port, r, &s)))
            return rc;
        *ex_v = 1;
        *ex = (uint8_t)s;
    }
    return 0;
}

int tw_compile(const struct tw_config *c, const struct tw_compile_opts *opts, struct tw_tables **out, char *err,
               size_t errlen)
{
    struct diag d = {err, errlen};
    struct tw_compile_opts o = {0};
    *out = NULL;
    if (err && errlen)
        err[0] = 0;
    if (opts)
        o = *opts;
    unsigned nb = o.oui_buckets ? o.oui_buckets : TW_OUI_BUCKETS;
    if (nb > TW_OUI_BUCKETS || (nb & (nb - 1)))
        return diag_plain(&d, TW_ERR_INVAL, "OUI table: %u buckets per way is not a power of two up to %u", nb,
                          TW_OUI_BUCKETS);
    struct cc cc = {.d = &d, .max_kicks = o.max_kicks ? o.max_kicks : TW_OUI_MAX_KICKS,
                    .cap_oui = o.cap_oui ? o.cap_oui : TW_CAP_OUI};
    if (cc.cap_oui > TW_CAP_OUI)
        cc.cap_oui = TW_CAP_OUI;
    if (!(cc.t = tw_tables_new()))
        return TW_ERR_NOMEM;
    struct tw_tables *t = cc.t;
    t->settings = c->settings;
    t->settings.oui_buckets = (uint16_t)nb;
    const char *registry = o.oui_registry ? o.oui_registry : c->registry ? c->registry : TW_DEFAULT_OUI_REGISTRY;
    int rc = place_vendors(&cc, c, registry);
    for (size_t i = 0; i < c->nrules && !rc; i++) {
        const struct rule *r = &c->rules[i];
        if (i == TW_CAP_RULES) {
            rc = diag_at(&d, &r->loc, TW_ERR_CAPACITY, "rule table full (%d rules): rule sid %u does not fit",
                         TW_CAP_RULES, (unsigned)r->e.sid);
            break;
        }
        struct tw_rule_entry e = r->e;
        if ((rc = field(&cc, &r->src, 0, r, &e.src_in_v, &e.src_in, &e.src_ex_v, &e.src_ex, &e.src_not)) ||
            (rc = field(&cc, &r->dst, 0, r, &e.dst_in_v, &e.dst_in, &e.dst_ex_v, &e.dst_ex, &e.dst_not)) ||
            (rc = field(&cc, &r->sp, 1, r, &e.sp_in_v, &e.sp_in, &e.sp_ex_v, &e.sp_ex, &e.sp_not)) ||
            (rc = field(&cc, &r->dp, 1, r, &e.dp_in_v, &e.dp_in, &e.dp_ex_v, &e.dp_ex, &e.dp_not)))
            break;
        t->rule[i] = e;
        t->info[i] = r->info;
        t->settings.n_rules = (uint16_t)(i + 1);
    }
    if (!rc) {
        char why[200];
        if (tw_tables_validate(t, why, sizeof why))
            rc = diag_plain(&d, TW_ERR_INVAL, "internal error: the compiled image is invalid: %s", why);
    }
    for (unsigned s = 0; s < TW_CAP_ADDR_SETS; s++)
        free(cc.aset_members[s]);
    for (unsigned s = 0; s < TW_CAP_PORT_SETS; s++)
        free(cc.pset_members[s]);
    if (rc) {
        tw_tables_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
