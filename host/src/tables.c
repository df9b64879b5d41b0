/* The compiled table image: lookups with the hardware's exact functions, bit packing of the contract records,
 * validation, and the one binary format (docs/tables.md) every user reads and writes. */
#include "tapwatch/tables.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/error.h"
#include "tapwatch/tw_meta.h"

/* ---- CRCs, nibble-table driven (reflected; init and final XOR 0xFFFFFFFF) ---- */
static const uint32_t crc32c_nib[16] = {
    0x00000000, 0x105EC76F, 0x20BD8EDE, 0x30E349B1, 0x417B1DBC, 0x5125DAD3, 0x61C69362, 0x7198540D,
    0x82F63B78, 0x92A8FC17, 0xA24BB5A6, 0xB21572C9, 0xC38D26C4, 0xD3D3E1AB, 0xE330A81A, 0xF36E6F75,
};
static const uint32_t crc32_nib[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

static uint32_t crc_nib(const uint32_t *tab, const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        c = (c >> 4) ^ tab[c & 15];
        c = (c >> 4) ^ tab[c & 15];
    }
    return c ^ 0xFFFFFFFFu;
}

/* ---- lookups ---- */
unsigned tw_oui_hash(uint32_t oui, unsigned way, unsigned buckets)
{
    uint8_t b[3] = {(uint8_t)(oui >> 16), (uint8_t)(oui >> 8), (uint8_t)oui};
    uint32_t c = crc_nib(crc32c_nib, b, 3);
    if (way)
        c >>= 16;
    return c & (buckets - 1u);
}

unsigned tw_oui_vsets(const struct tw_tables *t, uint32_t oui)
{
    unsigned nb = t->settings.oui_buckets;
    unsigned v = 0;
    oui &= 0xFFFFFFu;
    /* one CRC gives both buckets (tw_oui_hash) */
    uint8_t b[3] = {(uint8_t)(oui >> 16), (uint8_t)(oui >> 8), (uint8_t)oui};
    uint32_t c = crc_nib(crc32c_nib, b, 3);
    unsigned bucket[TW_OUI_WAYS] = {c & (nb - 1u), (c >> 16) & (nb - 1u)};
    for (unsigned w = 0; w < TW_OUI_WAYS; w++) {
        const struct tw_oui_entry *e = &t->oui[((size_t)w * nb + bucket[w]) * TW_OUI_SLOTS];
        for (unsigned s = 0; s < TW_OUI_SLOTS; s++)
            if (e[s].valid && e[s].oui == oui)
                v |= e[s].vset;
    }
    return v;
}

unsigned tw_mac_vsets(const struct tw_tables *t, const uint8_t mac[6])
{
    return tw_oui_vsets(t, ((uint32_t)mac[0] << 16) | ((uint32_t)mac[1] << 8) | mac[2]);
}

/* The first len bits of a and p (16-byte arrays, from bit `from`) are equal. */
static int prefix_eq(const uint8_t *a, const uint8_t *p, unsigned from, unsigned len)
{
    unsigned byte = from / 8, bits = len;
    while (bits >= 8) {
        if (a[byte] != p[byte])
            return 0;
        byte++;
        bits -= 8;
    }
    if (bits) {
        uint8_t m = (uint8_t)(0xFFu << (8 - bits));
        if ((a[byte] & m) != (p[byte] & m))
            return 0;
    }
    return 1;
}

/* An entry's prefix length, clamped to its version's width (as the hardware's mask: rtl/tw_prefix_match.v). */
static unsigned prefix_len(const struct tw_prefix_entry *e)
{
    unsigned max = e->v6 ? 128 : 32;
    return e->len < max ? e->len : max;
}

uint32_t tw_addr_sets(const struct tw_tables *t, int v6, const uint8_t addr[16])
{
    uint32_t s = 0;
    unsigned n = t->settings.n_prefixes;
    for (unsigned i = 0; i < n && i < TW_CAP_PREFIXES; i++) {
        const struct tw_prefix_entry *e = &t->prefix[i];
        if (!e->valid || e->v6 != (v6 ? 1 : 0))
            continue;
        if (prefix_eq(addr, e->addr, v6 ? 0 : 96, prefix_len(e)))
            s |= e->sets;
    }
    return s;
}

uint32_t tw_port_sets(const struct tw_tables *t, unsigned port)
{
    uint32_t s = 0;
    unsigned n = t->settings.n_port_ranges;
    for (unsigned i = 0; i < n && i < TW_CAP_PORT_RANGES; i++) {
        const struct tw_port_entry *e = &t->port[i];
        if (e->valid && e->lo <= port && port <= e->hi)
            s |= e->sets;
    }
    return s;
}

int tw_cmp(unsigned op, unsigned x, unsigned a, unsigned b)
{
    switch (op) {
    case TW_CMP_NONE: return 1;
    case TW_CMP_EQ: return x == a;
    case TW_CMP_NE: return x != a;
    case TW_CMP_LT: return x < a;
    case TW_CMP_LE: return x <= a;
    case TW_CMP_GT: return x > a;
    case TW_CMP_GE: return x >= a;
    case TW_CMP_RANGE: return a < x && x < b;
    case TW_CMP_NRANGE: return x <= a || x >= b;
    default: return 0;
    }
}

/* ---- prefix intervals ---- */

/* A 129-bit key: v6 (bit 128; 2 only for the overflow of the last IPv6 key) and bits 127..0, a[0] the top byte. */
struct pfx_key {
    uint8_t v6;
    uint8_t a[16];
};

static int key_cmp(const void *x, const void *y)
{
    const struct pfx_key *p = x, *q = y;
    if (p->v6 != q->v6)
        return p->v6 < q->v6 ? -1 : 1;
    return memcmp(p->a, q->a, 16);
}

/* The first key of prefix e (its first len bits, the rest zero: stored bits beyond len ignored). */
static void prefix_first(const struct tw_prefix_entry *e, struct pfx_key *k)
{
    unsigned from = e->v6 ? 0 : 96, len = prefix_len(e);
    memset(k, 0, sizeof *k);
    k->v6 = e->v6;
    for (unsigned b = from; b < from + len; b++)
        k->a[b / 8] |= (uint8_t)(e->addr[b / 8] & (0x80u >> (b % 8)));
}

/* The key one past the last of prefix e: 0, or -1 when it would overflow the 129-bit key space. */
static int prefix_end(const struct tw_prefix_entry *e, struct pfx_key *k)
{
    prefix_first(e, k);
    for (unsigned b = (e->v6 ? 0 : 96) + prefix_len(e); b < 128; b++)
        k->a[b / 8] |= (uint8_t)(0x80u >> (b % 8));
    for (int i = 15; i >= 0; i--)
        if (++k->a[i] != 0)
            return 0;
    return ++k->v6 > 1 ? -1 : 0; /* an IPv4 prefix's end is at most {0, 2^32}: no carry into v6 */
}

/* The sets at key k: the OR of the sets of the entries tw_addr_sets takes whose range holds k (an IPv4 entry holds
 * only keys below 2^32). */
static uint32_t key_sets(const struct tw_tables *t, unsigned np, const struct pfx_key *k)
{
    static const uint8_t z[12] = {0};
    uint32_t s = 0;
    for (unsigned i = 0; i < np; i++) {
        const struct tw_prefix_entry *e = &t->prefix[i];
        if (!e->valid || e->v6 != k->v6 || (!e->v6 && memcmp(k->a, z, sizeof z) != 0))
            continue;
        if (prefix_eq(k->a, e->addr, e->v6 ? 0 : 96, prefix_len(e)))
            s |= e->sets;
    }
    return s;
}

int tw_pfx_intervals(const struct tw_tables *t, struct tw_pfx_iv_entry *iv, unsigned n)
{
    if (!t || !iv || n == 0)
        return TW_ERR_INVAL;
    /* the entries tw_addr_sets takes: the first n_prefixes */
    unsigned np = t->settings.n_prefixes < TW_CAP_PREFIXES ? t->settings.n_prefixes : TW_CAP_PREFIXES;
    struct pfx_key b[2 * TW_CAP_PREFIXES + 1];
    unsigned nb = 0;
    memset(&b[nb++], 0, sizeof b[0]); /* key 0: entry 0 */
    for (unsigned i = 0; i < np; i++) {
        const struct tw_prefix_entry *e = &t->prefix[i];
        if (!e->valid || e->v6 > 1)
            continue; /* tw_addr_sets never matches it */
        prefix_first(e, &b[nb++]);
        if (prefix_end(e, &b[nb]) == 0)
            nb++;
    }
    qsort(b, nb, sizeof b[0], key_cmp);
    unsigned m = 0;
    for (unsigned k = 0; k < nb; k++) {
        uint32_t s = key_sets(t, np, &b[k]);
        if (m && s == iv[m - 1].sets)
            continue; /* the previous interval goes on (a repeated key too: same sets) */
        if (m == n)
            return TW_ERR_CAPACITY;
        iv[m].v6 = b[k].v6;
        memcpy(iv[m].addr, b[k].a, sizeof iv[m].addr);
        iv[m].sets = s;
        m++;
    }
    for (unsigned k = m; k < n; k++)
        iv[k] = iv[m - 1];
    return (int)m;
}

uint32_t tw_pfx_iv_lookup(const struct tw_pfx_iv_entry *iv, unsigned n, int v6, const uint8_t addr[16])
{
    if (!iv || n == 0 || !addr)
        return 0;
    struct pfx_key k;
    memset(&k, 0, sizeof k);
    k.v6 = v6 ? 1 : 0;
    if (v6)
        memcpy(k.a, addr, 16);
    else
        memcpy(k.a + 12, addr + 12, 4);
    /* the steps add up to at most n - 1: every probe is inside iv */
    unsigned idx = 0;
    for (unsigned step = n / 2; step; step /= 2) {
        struct pfx_key e;
        e.v6 = iv[idx + step].v6 & 1u; /* the entry's key as the device stores it: one v6 bit, all 128 bits */
        memcpy(e.a, iv[idx + step].addr, 16);
        if (key_cmp(&e, &k) <= 0)
            idx += step;
    }
    return iv[idx].sets;
}

/* ---- packing ---- */
static uint64_t get_bits(const uint8_t *b, unsigned lsb, unsigned w)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < w; i++) {
        unsigned p = lsb + i;
        v |= (uint64_t)((b[p >> 3] >> (p & 7)) & 1u) << i;
    }
    return v;
}

static void put_bits(uint8_t *b, unsigned lsb, unsigned w, uint64_t v)
{
    for (unsigned i = 0; i < w; i++) {
        unsigned p = lsb + i;
        if ((v >> i) & 1u)
            b[p >> 3] |= (uint8_t)(1u << (p & 7));
    }
}

/* Wide fields are byte arrays in wire order: array byte 0 holds the field's top 8 bits. */
static void get_wide(const uint8_t *b, unsigned lsb, unsigned w, uint8_t *out)
{
    unsigned n = w / 8;
    for (unsigned k = 0; k < n; k++)
        out[k] = (uint8_t)get_bits(b, lsb + (n - 1 - k) * 8, 8);
}

static void put_wide(uint8_t *b, unsigned lsb, unsigned w, const uint8_t *in)
{
    unsigned n = w / 8;
    for (unsigned k = 0; k < n; k++)
        put_bits(b, lsb + (n - 1 - k) * 8, 8, in[k]);
}

#define UNPACK_F(name, lsb, w)                                                                     \
    if ((w) > 64) {                                                                                \
        get_wide(bits, (lsb), (w), (uint8_t *)&e->name);                                           \
    } else {                                                                                       \
        uint64_t v_ = get_bits(bits, (lsb), (w));                                                  \
        switch (sizeof e->name) {                                                                  \
        case 1: { uint8_t t_ = (uint8_t)v_; memcpy(&e->name, &t_, 1); break; }                     \
        case 2: { uint16_t t_ = (uint16_t)v_; memcpy(&e->name, &t_, 2); break; }                   \
        case 4: { uint32_t t_ = (uint32_t)v_; memcpy(&e->name, &t_, 4); break; }                   \
        default: memcpy(&e->name, &v_, 8); break;                                                  \
        }                                                                                          \
    }
#define PACK_F(name, lsb, w)                                                                       \
    if ((w) > 64) {                                                                                \
        put_wide(bits, (lsb), (w), (const uint8_t *)&e->name);                                     \
    } else {                                                                                       \
        uint64_t v_ = 0;                                                                           \
        switch (sizeof e->name) {                                                                  \
        case 1: { uint8_t t_; memcpy(&t_, &e->name, 1); v_ = t_; break; }                          \
        case 2: { uint16_t t_; memcpy(&t_, &e->name, 2); v_ = t_; break; }                         \
        case 4: { uint32_t t_; memcpy(&t_, &e->name, 4); v_ = t_; break; }                         \
        default: memcpy(&v_, &e->name, 8); break;                                                  \
        }                                                                                          \
        if ((w) < 64)                                                                              \
            v_ &= (UINT64_C(1) << ((w) & 63)) - 1u;                                                \
        put_bits(bits, (lsb), (w), v_);                                                            \
    }

#define DEFINE_PACK(rec, FIELDS, BYTES)                                                            \
    void tw_##rec##_pack(const struct tw_##rec *e, uint8_t bits[BYTES])                            \
    {                                                                                              \
        memset(bits, 0, BYTES);                                                                    \
        FIELDS(PACK_F)                                                                             \
    }                                                                                              \
    void tw_##rec##_unpack(const uint8_t bits[BYTES], struct tw_##rec *e)                          \
    {                                                                                              \
        memset(e, 0, sizeof *e);                                                                   \
        FIELDS(UNPACK_F)                                                                           \
    }

DEFINE_PACK(oui_entry, TW_OUI_ENTRY_FIELDS, TW_OE_BYTES)
DEFINE_PACK(prefix_entry, TW_PREFIX_ENTRY_FIELDS, TW_PE_BYTES)
DEFINE_PACK(pfx_iv_entry, TW_PFX_IV_ENTRY_FIELDS, TW_PI_BYTES)
DEFINE_PACK(port_entry, TW_PORT_ENTRY_FIELDS, TW_PT_BYTES)
DEFINE_PACK(rule_entry, TW_RULE_ENTRY_FIELDS, TW_RE_BYTES)
DEFINE_PACK(settings, TW_SETTINGS_FIELDS, TW_ST_BYTES)

/* ---- allocation ---- */
struct tw_tables *tw_tables_new(void)
{
    struct tw_tables *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->settings.mirror_window_ms = TW_DEF_MIRROR_WINDOW_MS;
    t->settings.flow_timeout_s = TW_DEF_FLOW_TIMEOUT_S;
    t->settings.flow_hard_timeout_s = TW_DEF_FLOW_HARD_TIMEOUT_S;
    t->settings.evidence_bytes = TW_DEF_EVIDENCE_BYTES;
    t->settings.alert_rate = TW_DEF_ALERT_RATE;
    t->settings.alert_burst = TW_DEF_ALERT_BURST;
    t->settings.oui_buckets = TW_OUI_BUCKETS;
    return t;
}

void tw_tables_free(struct tw_tables *t)
{
    free(t);
}

/* ---- validation ---- */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return TW_ERR_PARSE;
}

static int str_ok(const char *s, size_t n)
{
    return memchr(s, 0, n) != NULL;
}

static int zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static int set_ok(unsigned v, unsigned idx, unsigned nsets)
{
    return !v || idx < nsets;
}

int tw_tables_validate(const struct tw_tables *t, char *err, size_t errlen)
{
    const struct tw_settings *s = &t->settings;
    unsigned nb = s->oui_buckets;
    if (nb == 0 || nb > TW_OUI_BUCKETS || (nb & (nb - 1)))
        return fail(err, errlen, "OUI table: %u buckets per way is not a power of two up to %u", nb, TW_OUI_BUCKETS);
    if (s->n_vendor_sets > TW_CAP_VENDOR_SETS || s->n_prefixes > TW_CAP_PREFIXES || s->n_addr_sets > TW_CAP_ADDR_SETS ||
        s->n_port_ranges > TW_CAP_PORT_RANGES || s->n_port_sets > TW_CAP_PORT_SETS || s->n_rules > TW_CAP_RULES ||
        s->n_oui > TW_CAP_OUI)
        return fail(err, errlen, "a table count exceeds its capacity");
    if (s->evidence_bytes > TW_MAX_EVIDENCE_BYTES)
        return fail(err, errlen, "evidence bytes %u above %u", s->evidence_bytes, TW_MAX_EVIDENCE_BYTES);
    if (s->alert_rate > TW_MAX_ALERT_RATE)
        return fail(err, errlen, "alert rate %u above %u per second", (unsigned)s->alert_rate, TW_MAX_ALERT_RATE);
    if (s->alert_burst > TW_MAX_ALERT_BURST || (s->alert_rate && !s->alert_burst))
        return fail(err, errlen, "alert burst %u not within 1..%u", (unsigned)s->alert_burst, TW_MAX_ALERT_BURST);
    uint32_t vmask = (1u << s->n_vendor_sets) - 1u;
    unsigned n_oui = 0;
    size_t slots = (size_t)TW_OUI_WAYS * nb * TW_OUI_SLOTS;
    for (size_t i = 0; i < TW_OUI_ENTRIES; i++) {
        const struct tw_oui_entry *e = &t->oui[i];
        if (i >= slots || !e->valid) {
            if (!zero(e, sizeof *e))
                return fail(err, errlen, "OUI entry %zu: unused entry not zero", i);
            continue;
        }
        unsigned way = (unsigned)(i / TW_OUI_SLOTS / nb), bucket = (unsigned)(i / TW_OUI_SLOTS % nb);
        if (e->oui > 0xFFFFFFu || tw_oui_hash(e->oui, way, nb) != bucket)
            return fail(err, errlen, "OUI entry %zu: %06X is not in its bucket", i, (unsigned)e->oui);
        if (!e->vset || (e->vset & ~vmask))
            return fail(err, errlen, "OUI entry %zu: vendor sets 0x%02X not in use", i, e->vset);
        /* unique: the other candidate slots must not hold it */
        for (unsigned w = 0; w < TW_OUI_WAYS; w++) {
            size_t b0 = ((size_t)w * nb + tw_oui_hash(e->oui, w, nb)) * TW_OUI_SLOTS;
            for (unsigned k = 0; k < TW_OUI_SLOTS; k++)
                if (b0 + k != i && t->oui[b0 + k].valid && t->oui[b0 + k].oui == e->oui)
                    return fail(err, errlen, "OUI %06X stored twice", (unsigned)e->oui);
        }
        n_oui++;
    }
    if (n_oui != s->n_oui)
        return fail(err, errlen, "OUI table holds %u entries, settings say %u", n_oui, (unsigned)s->n_oui);
    for (unsigned i = 0; i < s->n_vendor_sets; i++)
        if (!str_ok(t->vendor[i].name, sizeof t->vendor[i].name) || !t->vendor[i].name[0])
            return fail(err, errlen, "vendor set %u: bad name", i);
    uint64_t amask = (UINT64_C(1) << s->n_addr_sets) - 1u;
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
        const struct tw_prefix_entry *e = &t->prefix[i];
        if (i >= s->n_prefixes) {
            if (!zero(e, sizeof *e))
                return fail(err, errlen, "prefix entry %u: unused entry not zero", i);
            continue;
        }
        unsigned max = e->v6 ? 128 : 32, from = e->v6 ? 0 : 96;
        if (!e->valid || e->len > max || !e->sets || (e->sets & ~amask))
            return fail(err, errlen, "prefix entry %u: invalid", i);
        for (unsigned b = 0; b < 128; b++) {
            int bit = (e->addr[b / 8] >> (7 - b % 8)) & 1;
            if (bit && (b < from || b >= from + e->len))
                return fail(err, errlen, "prefix entry %u: bits set beyond the prefix length", i);
        }
    }
    uint32_t pmask = (1u << s->n_port_sets) - 1u;
    for (unsigned i = 0; i < TW_CAP_PORT_RANGES; i++) {
        const struct tw_port_entry *e = &t->port[i];
        if (i >= s->n_port_ranges) {
            if (!zero(e, sizeof *e))
                return fail(err, errlen, "port entry %u: unused entry not zero", i);
            continue;
        }
        if (!e->valid || e->lo > e->hi || !e->sets || (e->sets & ~pmask))
            return fail(err, errlen, "port entry %u: invalid", i);
    }
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        const struct tw_rule_entry *r = &t->rule[i];
        const struct tw_rule_info *in = &t->info[i];
        if (i >= s->n_rules) {
            if (!zero(r, sizeof *r) || !zero(in, sizeof *in))
                return fail(err, errlen, "rule entry %u: unused entry not zero", i);
            continue;
        }
        if (!r->valid || r->action > 1 || r->proto_v > 1 || r->bidir > 1 || r->inner > 1 || r->mirror > 1 ||
            !set_ok(r->src_in_v, r->src_in, s->n_addr_sets) || !set_ok(r->src_ex_v, r->src_ex, s->n_addr_sets) ||
            !set_ok(r->dst_in_v, r->dst_in, s->n_addr_sets) || !set_ok(r->dst_ex_v, r->dst_ex, s->n_addr_sets) ||
            !set_ok(r->sp_in_v, r->sp_in, s->n_port_sets) || !set_ok(r->sp_ex_v, r->sp_ex, s->n_port_sets) ||
            !set_ok(r->dp_in_v, r->dp_in, s->n_port_sets) || !set_ok(r->dp_ex_v, r->dp_ex, s->n_port_sets) ||
            r->src_in_v > 1 || r->src_ex_v > 1 || r->src_not > 1 || r->dst_in_v > 1 || r->dst_ex_v > 1 ||
            r->dst_not > 1 || r->sp_in_v > 1 || r->sp_ex_v > 1 || r->sp_not > 1 || r->dp_in_v > 1 ||
            r->dp_ex_v > 1 || r->dp_not > 1 || (r->sv_mask & ~vmask) || (r->dv_mask & ~vmask) || r->sv_not > 1 ||
            r->dv_not > 1 || r->tun_mask >= (1u << TW_TUN_COUNT) || r->vlan_op > TW_CMP_NRANGE ||
            r->vlan_layer > TW_VL_M2 || r->vlan_a > 4095 || r->vlan_b > 4095 || r->ttl_op > TW_CMP_NRANGE ||
            r->flg_mod > TW_FLG_ANY || r->thr_type > TW_THR_DFILTER || r->thr_track > TW_TRACK_FLOW ||
            r->vol_v > 1 || r->vol_track > TW_TRACK_FLOW || r->vol_bytes >= (UINT64_C(1) << 48) || r->prio == 0)
            return fail(err, errlen, "rule entry %u (sid %u): field out of range", i, (unsigned)r->sid);
        if (!str_ok(in->msg, sizeof in->msg) || !str_ok(in->classtype, sizeof in->classtype) ||
            !str_ok(in->category, sizeof in->category) || !str_ok(in->metadata, sizeof in->metadata))
            return fail(err, errlen, "rule entry %u: host strings not terminated", i);
    }
    for (unsigned i = s->n_vendor_sets; i < TW_CAP_VENDOR_SETS; i++)
        if (!zero(&t->vendor[i], sizeof t->vendor[i]))
            return fail(err, errlen, "vendor set %u: unused entry not zero", i);
    return 0;
}

/* ---- binary image ---- */
enum { SEC_SETTINGS = 1, SEC_OUI, SEC_PREFIX, SEC_PORT, SEC_RULE, SEC_VENDOR, SEC_INFO, SEC_COUNT = 7 };
#define HDR_BYTES 32
#define SEC_ENTRY_BYTES 16
#define VENDOR_BYTES 36
#define INFO_BYTES (TW_MSG_MAX + TW_NAME_MAX + TW_CATEGORY_MAX + TW_METADATA_MAX)

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static unsigned get16(const uint8_t *p)
{
    return p[0] | (unsigned)p[1] << 8;
}
static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t image_crc(const uint8_t *buf, size_t len)
{
    /* CRC over the image with the CRC field (bytes 16..19) taken as zero */
    static const uint8_t z[4] = {0, 0, 0, 0};
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        c ^= (i >= 16 && i < 20) ? z[i - 16] : buf[i];
        c = (c >> 4) ^ crc32_nib[c & 15];
        c = (c >> 4) ^ crc32_nib[c & 15];
    }
    return c ^ 0xFFFFFFFFu;
}

static size_t sec_count(const struct tw_tables *t, int id)
{
    const struct tw_settings *s = &t->settings;
    switch (id) {
    case SEC_SETTINGS: return 1;
    case SEC_OUI: return (size_t)TW_OUI_WAYS * s->oui_buckets * TW_OUI_SLOTS;
    case SEC_PREFIX: return s->n_prefixes;
    case SEC_PORT: return s->n_port_ranges;
    case SEC_RULE: return s->n_rules;
    case SEC_VENDOR: return s->n_vendor_sets;
    default: return s->n_rules;
    }
}

static size_t sec_esize(int id)
{
    switch (id) {
    case SEC_SETTINGS: return TW_ST_BYTES;
    case SEC_OUI: return TW_OE_BYTES;
    case SEC_PREFIX: return TW_PE_BYTES;
    case SEC_PORT: return TW_PT_BYTES;
    case SEC_RULE: return TW_RE_BYTES;
    case SEC_VENDOR: return VENDOR_BYTES;
    default: return INFO_BYTES;
    }
}

static void put_str(uint8_t *p, const char *s, size_t n)
{
    size_t l = strnlen(s, n - 1);
    memcpy(p, s, l);
    memset(p + l, 0, n - l);
}

int tw_tables_encode(const struct tw_tables *t, uint8_t **buf, size_t *len)
{
    if (!t || !buf || !len || tw_tables_validate(t, NULL, 0))
        return TW_ERR_INVAL;
    size_t total = HDR_BYTES + SEC_COUNT * SEC_ENTRY_BYTES;
    for (int id = 1; id <= SEC_COUNT; id++)
        total += sec_count(t, id) * sec_esize(id);
    uint8_t *b = calloc(1, total);
    if (!b)
        return TW_ERR_NOMEM;
    put32(b, TW_TABLES_MAGIC);
    put16(b + 4, TW_TABLES_VERSION);
    put16(b + 6, HDR_BYTES);
    put16(b + 8, SEC_COUNT);
    put32(b + 12, (uint32_t)total);
    size_t off = HDR_BYTES + SEC_COUNT * SEC_ENTRY_BYTES;
    for (int id = 1; id <= SEC_COUNT; id++) {
        uint8_t *se = b + HDR_BYTES + (size_t)(id - 1) * SEC_ENTRY_BYTES;
        size_t n = sec_count(t, id), es = sec_esize(id);
        put32(se, (uint32_t)id);
        put32(se + 4, (uint32_t)off);
        put32(se + 8, (uint32_t)n);
        put32(se + 12, (uint32_t)es);
        for (size_t i = 0; i < n; i++) {
            uint8_t *p = b + off + i * es;
            switch (id) {
            case SEC_SETTINGS: tw_settings_pack(&t->settings, p); break;
            case SEC_OUI: tw_oui_entry_pack(&t->oui[i], p); break;
            case SEC_PREFIX: tw_prefix_entry_pack(&t->prefix[i], p); break;
            case SEC_PORT: tw_port_entry_pack(&t->port[i], p); break;
            case SEC_RULE: tw_rule_entry_pack(&t->rule[i], p); break;
            case SEC_VENDOR:
                put_str(p, t->vendor[i].name, TW_NAME_MAX);
                put32(p + TW_NAME_MAX, t->vendor[i].n_oui);
                break;
            default: {
                const struct tw_rule_info *in = &t->info[i];
                put_str(p, in->msg, TW_MSG_MAX);
                put_str(p + TW_MSG_MAX, in->classtype, TW_NAME_MAX);
                put_str(p + TW_MSG_MAX + TW_NAME_MAX, in->category, TW_CATEGORY_MAX);
                put_str(p + TW_MSG_MAX + TW_NAME_MAX + TW_CATEGORY_MAX, in->metadata, TW_METADATA_MAX);
            }
            }
        }
        off += n * es;
    }
    put32(b + 16, image_crc(b, total));
    *buf = b;
    *len = total;
    return 0;
}

static int get_str(char *dst, const uint8_t *p, size_t n)
{
    if (!memchr(p, 0, n))
        return -1;
    memcpy(dst, p, n);
    return 0;
}

int tw_tables_decode(const uint8_t *buf, size_t len, struct tw_tables **out, char *err, size_t errlen)
{
    *out = NULL;
    if (len < HDR_BYTES)
        return fail(err, errlen, "table image: %zu bytes, shorter than its header", len);
    if (get32(buf) != TW_TABLES_MAGIC)
        return fail(err, errlen, "table image: bad magic (not a tapwatch table image)");
    if (get16(buf + 4) != TW_TABLES_VERSION) {
        fail(err, errlen, "table image: format version %u, this build reads version %u", get16(buf + 4),
             TW_TABLES_VERSION);
        return TW_ERR_VERSION;
    }
    unsigned hlen = get16(buf + 6), nsec = get16(buf + 8);
    if (hlen != HDR_BYTES || get32(buf + 12) != len)
        return fail(err, errlen, "table image: length fields do not match the image (%zu bytes)", len);
    if (image_crc(buf, len) != get32(buf + 16)) {
        fail(err, errlen, "table image: CRC mismatch (corrupt image)");
        return TW_ERR_CRC;
    }
    if ((size_t)nsec * SEC_ENTRY_BYTES > len - HDR_BYTES)
        return fail(err, errlen, "table image: section table runs past the end");
    size_t data_start = HDR_BYTES + (size_t)nsec * SEC_ENTRY_BYTES;
    const uint8_t *sec[SEC_COUNT + 1] = {0};
    uint32_t cnt[SEC_COUNT + 1] = {0};
    /* ranges of the known sections, to check overlaps */
    size_t lo[SEC_COUNT + 1] = {0}, hi[SEC_COUNT + 1] = {0};
    for (unsigned k = 0; k < nsec; k++) {
        const uint8_t *se = buf + HDR_BYTES + (size_t)k * SEC_ENTRY_BYTES;
        uint32_t id = get32(se), off = get32(se + 4), n = get32(se + 8), es = get32(se + 12);
        if (id < 1 || id > SEC_COUNT)
            continue; /* unknown sections are skipped */
        if (sec[id])
            return fail(err, errlen, "table image: section %u appears twice", (unsigned)id);
        if (es != sec_esize((int)id))
            return fail(err, errlen, "table image: section %u has %u-byte entries, expected %zu", (unsigned)id,
                        (unsigned)es, sec_esize((int)id));
        uint64_t end = (uint64_t)off + (uint64_t)n * es;
        if (off < data_start || end > len)
            return fail(err, errlen, "table image: section %u lies outside the image", (unsigned)id);
        for (int j = 1; j <= SEC_COUNT; j++)
            if (sec[j] && n && cnt[j] && off < hi[j] && end > lo[j])
                return fail(err, errlen, "table image: sections %d and %u overlap", j, (unsigned)id);
        sec[id] = buf + off;
        cnt[id] = n;
        lo[id] = off;
        hi[id] = (size_t)end;
    }
    for (int id = 1; id <= SEC_COUNT; id++)
        if (!sec[id])
            return fail(err, errlen, "table image: section %d missing", id);
    if (cnt[SEC_SETTINGS] != 1)
        return fail(err, errlen, "table image: settings section must hold one record");
    struct tw_tables *t = calloc(1, sizeof *t);
    if (!t)
        return TW_ERR_NOMEM;
    tw_settings_unpack(sec[SEC_SETTINGS], &t->settings);
    const struct tw_settings *s = &t->settings;
    unsigned nb = s->oui_buckets;
    int rc = 0;
    if (nb == 0 || nb > TW_OUI_BUCKETS || (nb & (nb - 1)))
        rc = fail(err, errlen, "table image: OUI table: %u buckets per way is not a power of two up to %u", nb,
                  TW_OUI_BUCKETS);
    else if (cnt[SEC_OUI] != sec_count(t, SEC_OUI) || cnt[SEC_PREFIX] != s->n_prefixes ||
             cnt[SEC_PORT] != s->n_port_ranges || cnt[SEC_RULE] != s->n_rules || cnt[SEC_VENDOR] != s->n_vendor_sets ||
             cnt[SEC_INFO] != s->n_rules || s->n_prefixes > TW_CAP_PREFIXES || s->n_port_ranges > TW_CAP_PORT_RANGES ||
             s->n_rules > TW_CAP_RULES || s->n_vendor_sets > TW_CAP_VENDOR_SETS)
        rc = fail(err, errlen, "table image: section sizes do not match the settings");
    if (rc) {
        free(t);
        return rc;
    }
    for (size_t i = 0; i < cnt[SEC_OUI]; i++)
        tw_oui_entry_unpack(sec[SEC_OUI] + i * TW_OE_BYTES, &t->oui[i]);
    for (size_t i = 0; i < cnt[SEC_PREFIX]; i++)
        tw_prefix_entry_unpack(sec[SEC_PREFIX] + i * TW_PE_BYTES, &t->prefix[i]);
    for (size_t i = 0; i < cnt[SEC_PORT]; i++)
        tw_port_entry_unpack(sec[SEC_PORT] + i * TW_PT_BYTES, &t->port[i]);
    for (size_t i = 0; i < cnt[SEC_RULE]; i++)
        tw_rule_entry_unpack(sec[SEC_RULE] + i * TW_RE_BYTES, &t->rule[i]);
    for (size_t i = 0; i < cnt[SEC_VENDOR] && !rc; i++) {
        const uint8_t *p = sec[SEC_VENDOR] + i * VENDOR_BYTES;
        if (get_str(t->vendor[i].name, p, TW_NAME_MAX))
            rc = fail(err, errlen, "table image: vendor name %zu not terminated", i);
        t->vendor[i].n_oui = get32(p + TW_NAME_MAX);
    }
    for (size_t i = 0; i < cnt[SEC_INFO] && !rc; i++) {
        const uint8_t *p = sec[SEC_INFO] + i * INFO_BYTES;
        struct tw_rule_info *in = &t->info[i];
        if (get_str(in->msg, p, TW_MSG_MAX) || get_str(in->classtype, p + TW_MSG_MAX, TW_NAME_MAX) ||
            get_str(in->category, p + TW_MSG_MAX + TW_NAME_MAX, TW_CATEGORY_MAX) ||
            get_str(in->metadata, p + TW_MSG_MAX + TW_NAME_MAX + TW_CATEGORY_MAX, TW_METADATA_MAX))
            rc = fail(err, errlen, "table image: rule %zu text not terminated", i);
    }
    if (!rc) {
        char why[160];
        if (tw_tables_validate(t, why, sizeof why))
            rc = fail(err, errlen, "table image: %s", why);
    }
    if (rc) {
        free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int tw_tables_write(const struct tw_tables *t, const char *path, char *err, size_t errlen)
{
    uint8_t *buf;
    size_t len;
    char why[160];
    if (tw_tables_validate(t, why, sizeof why)) {
        fail(err, errlen, "%s: refusing to write an invalid image: %s", path, why);
        return TW_ERR_INVAL;
    }
    int rc = tw_tables_encode(t, &buf, &len);
    if (rc) {
        fail(err, errlen, "%s: %s", path, tw_strerror(rc));
        return rc;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        free(buf);
        return TW_ERR_IO;
    }
    size_t w = fwrite(buf, 1, len, f);
    int e = errno;
    int cl = fclose(f);
    free(buf);
    if (w != len || cl) {
        fail(err, errlen, "%s: %s", path, strerror(w != len ? e : errno));
        return TW_ERR_IO;
    }
    return 0;
}

int tw_tables_read(const char *path, struct tw_tables **out, char *err, size_t errlen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        return TW_ERR_IO;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        fail(err, errlen, "%s: %s", path, tw_strerror(TW_ERR_NOMEM));
        return TW_ERR_NOMEM;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= (64u << 20)) {
                free(buf);
                fclose(f);
                fail(err, errlen, "%s: larger than any table image", path);
                return TW_ERR_PARSE;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                fail(err, errlen, "%s: %s", path, tw_strerror(TW_ERR_NOMEM));
                return TW_ERR_NOMEM;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) {
        free(buf);
        fail(err, errlen, "%s: read error", path);
        return TW_ERR_IO;
    }
    char why[256];
    int rc = tw_tables_decode(buf, len, out, why, sizeof why);
    free(buf);
    if (rc)
        fail(err, errlen, "%s: %s", path, why[0] ? why : tw_strerror(rc));
    return rc;
}
