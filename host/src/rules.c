/* The rule language: Suricata's header and option syntax, the subset the hardware matcher evaluates, and
 * tapwatch's keywords (docs/rules.md). Every error names file, line and column. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "tapwatch/meta.h"

/* Classification: name, priority, description (EVE alert.category). */
static const struct {
    const char *name;
    unsigned prio;
    const char *desc;
} classtypes[] = {
    {"not-suspicious", 3, "Traffic judged harmless"},
    {"unknown", 3, "Traffic of unknown nature"},
    {"bad-unknown", 2, "Possibly harmful traffic"},
    {"attempted-recon", 2, "Information gathering attempt"},
    {"network-scan", 3, "Scan of the network"},
    {"misc-activity", 3, "Miscellaneous activity"},
    {"misc-attack", 2, "Miscellaneous attack"},
    {"policy-violation", 1, "Breach of the network's policy"},
    {"protocol-command-decode", 3, "Protocol command seen"},
    {"non-standard-protocol", 2, "Protocol used in an unexpected way"},
    {"suspicious-login", 2, "Suspicious login attempt"},
    {"trojan-activity", 1, "Compromised equipment activity"},
    {"traffic-mirroring", 1, "Traffic copied out of the network"},
    {"data-exfiltration", 1, "Bulk data leaving the network"},
    {"unauthorized-management", 1, "Management protocol to or from an outside host"},
    {"unexpected-peer", 2, "Equipment talking to an unexpected peer"},
};

/* Suricata actions that tapwatch does not take. */
static const char *const other_actions[] = {"drop", "reject", "rejectsrc", "rejectdst", "rejectboth", NULL};

struct rp {
    struct tw_config *c;
    struct diag *d;
    const char *s;
    const struct loc *locs;
    size_t n, i;
    struct rule *r;
    /* options seen */
    int seen_msg, seen_sid, seen_rev, seen_gid, seen_prio, seen_class, seen_thr, seen_df, seen_vol, seen_ttl,
        seen_flags, seen_vlan, seen_sv, seen_dv, seen_tun, seen_mirror, seen_inner;
    struct loc flags_loc, loc_prio;
    unsigned class_prio;
};

static struct loc at(const struct rp *p, size_t i)
{
    struct src s = {p->s, p->n, p->locs, {0}};
    return src_loc(&s, i);
}

static int err(struct rp *p, size_t i, const char *fmt, const char *a)
{
    struct loc l = at(p, i);
    return diag_at(p->d, &l, TW_ERR_PARSE, fmt, a);
}

static int err_unsup(struct rp *p, size_t i, const char *fmt, const char *a)
{
    struct loc l = at(p, i);
    return diag_at(p->d, &l, TW_ERR_UNSUPPORTED, fmt, a);
}

/* A value: text [b, e) of the rule, trimmed. */
struct val {
    size_t b, e;
};

static void copy_val(const struct rp *p, struct val v, char *buf, size_t n)
{
    size_t k = v.e - v.b;
    if (k >= n)
        k = n - 1;
    memcpy(buf, p->s + v.b, k);
    buf[k] = 0;
}

static int val_is(const struct rp *p, struct val v, const char *w)
{
    size_t k = strlen(w);
    return v.e - v.b == k && !strncmp(p->s + v.b, w, k);
}

static struct val trim(const struct rp *p, struct val v)
{
    while (v.b < v.e && isspace((unsigned char)p->s[v.b]))
        v.b++;
    while (v.e > v.b && isspace((unsigned char)p->s[v.e - 1]))
        v.e--;
    return v;
}

/* Splits v at the first c (outside nothing): head and rest; returns 0 when c is absent (head = v). */
static int split(const struct rp *p, struct val v, char c, struct val *head, struct val *rest)
{
    for (size_t i = v.b; i < v.e; i++)
        if (p->s[i] == c) {
            *head = trim(p, (struct val){v.b, i});
            *rest = trim(p, (struct val){i + 1, v.e});
            return 1;
        }
    *head = trim(p, v);
    *rest = (struct val){v.e, v.e};
    return 0;
}

/* Decimal integer in [min, max]. */
static int uint_val(struct rp *p, struct val v, uint64_t min, uint64_t max, const char *what, uint64_t *out)
{
    char buf[32];
    v = trim(p, v);
    copy_val(p, v, buf, sizeof buf);
    if (v.e == v.b)
        return err(p, v.b, "%s: expected a number", what);
    uint64_t x = 0;
    for (size_t i = v.b; i < v.e; i++) {
        if (!isdigit((unsigned char)p->s[i]) || i - v.b >= 19)
            return err(p, v.b, "%s: expected a number", what);
        x = x * 10 + (uint64_t)(p->s[i] - '0');
    }
    if (x < min || x > max) {
        char m[128];
        snprintf(m, sizeof m, "%s: %s is outside %llu..%llu", what, buf, (unsigned long long)min,
                 (unsigned long long)max);
        return err(p, v.b, "%s", m);
    }
    *out = x;
    return 0;
}

/* Suricata integer comparison: [op]N or A-B or !A-B. */
static int cmp_val(struct rp *p, struct val v, unsigned max, const char *what, uint8_t *op, unsigned *a, unsigned *b)
{
    v = trim(p, v);
    size_t i = v.b;
    int neg = 0;
    unsigned o = TW_CMP_EQ;
    if (i < v.e && p->s[i] == '!') {
        neg = 1;
        i++;
        if (i < v.e && p->s[i] == '=')
            i++;
        o = TW_CMP_NE;
    } else if (i < v.e && p->s[i] == '<') {
        i++;
        o = TW_CMP_LT;
        if (i < v.e && p->s[i] == '=') {
            i++;
            o = TW_CMP_LE;
        }
    } else if (i < v.e && p->s[i] == '>') {
        i++;
        o = TW_CMP_GT;
        if (i < v.e && p->s[i] == '=') {
            i++;
            o = TW_CMP_GE;
        }
    } else if (i < v.e && p->s[i] == '=') {
        i++;
    }
    struct val rest = trim(p, (struct val){i, v.e});
    struct val lo, hi;
    uint64_t x, y;
    int rc;
    if ((o == TW_CMP_EQ || neg) && split(p, rest, '-', &lo, &hi)) {
        if ((rc = uint_val(p, lo, 0, max, what, &x)) || (rc = uint_val(p, hi, 0, max, what, &y)))
            return rc;
        if (x >= y)
            return err(p, lo.b, "%s: empty range (the bounds are exclusive)", what);
        *op = neg ? TW_CMP_NRANGE : TW_CMP_RANGE;
        *a = (unsigned)x;
        *b = (unsigned)y;
        return 0;
    }
    if ((rc = uint_val(p, rest, 0, max, what, &x)))
        return rc;
    *op = (uint8_t)o;
    *a = (unsigned)x;
    *b = 0;
    return 0;
}

/* "key value" pairs separated by commas, as threshold, detection_filter and volume take them (the value is not
 * empty: option() checked it). */
struct kv {
    const char *key;
    struct val v;
    int seen;
};

static int kv_parse(struct rp *p, struct val v, const char *kw, struct kv *kv, size_t nkv)
{
    struct val item, rest = trim(p, v);
    while (rest.b < rest.e) {
        split(p, rest, ',', &item, &rest);
        size_t k = item.b;
        while (k < item.e && !isspace((unsigned char)p->s[k]))
            k++;
        struct val key = {item.b, k}, val = trim(p, (struct val){k, item.e});
        size_t j;
        for (j = 0; j < nkv; j++)
            if (val_is(p, key, kv[j].key))
                break;
        char kb[32];
        copy_val(p, key, kb, sizeof kb);
        if (j == nkv) {
            char m[96];
            snprintf(m, sizeof m, "%s: unknown setting '%s'", kw, kb);
            return err(p, item.b, "%s", m);
        }
        if (kv[j].seen) {
            char m[96];
            snprintf(m, sizeof m, "%s: '%s' given twice", kw, kb);
            return err(p, item.b, "%s", m);
        }
        if (val.b == val.e) {
            char m[96];
            snprintf(m, sizeof m, "%s: '%s' needs a value", kw, kb);
            return err(p, item.b, "%s", m);
        }
        kv[j].seen = 1;
        kv[j].v = val;
    }
    for (size_t j = 0; j < nkv; j++)
        if (!kv[j].seen) {
            char m[96];
            snprintf(m, sizeof m, "%s: missing '%s'", kw, kv[j].key);
            return err(p, v.b, "%s", m);
        }
    return 0;
}

static int track_val(struct rp *p, struct val v, const char *kw, int allow_both_rule, uint8_t *out)
{
    static const char *const names[] = {"by_src", "by_dst", "by_both", "by_rule", "by_flow"};
    for (unsigned k = 0; k < 5; k++)
        if (val_is(p, v, names[k])) {
            if (!allow_both_rule && (k == TW_TRACK_BOTH || k == TW_TRACK_RULE))
                break;
            *out = (uint8_t)k;
            return 0;
        }
    char m[96], b[32];
    copy_val(p, v, b, sizeof b);
    snprintf(m, sizeof m, "%s: track '%s' is not %s", kw, b,
             allow_both_rule ? "by_src, by_dst, by_both, by_rule or by_flow" : "by_src, by_dst or by_flow");
    return err(p, v.b, "%s", m);
}

/* Unquotes a "..." value with \" \\ \; escapes into buf. */
static int string_val(struct rp *p, struct val v, const char *kw, char *buf, size_t n)
{
    v = trim(p, v);
    if (v.e - v.b < 2 || p->s[v.b] != '"' || p->s[v.e - 1] != '"')
        return err(p, v.b, "%s: expected a quoted string", kw);
    size_t k = 0;
    for (size_t i = v.b + 1; i < v.e - 1; i++) {
        char c = p->s[i];
        if (c == '\\' && i + 1 < v.e - 1)
            c = p->s[++i];
        else if (c == '"')
            return err(p, i, "%s: unescaped '\"' inside the string", kw);
        if (k + 1 >= n) {
            char m[64];
            snprintf(m, sizeof m, "%s: longer than %zu bytes", kw, n - 1);
            return err(p, v.b, "%s", m);
        }
        buf[k++] = c;
    }
    buf[k] = 0;
    return 0;
}

static int opt_flags(struct rp *p, struct val v)
{
    struct tw_rule_entry *e = &p->r->e;
    struct val fl, ign;
    split(p, trim(p, v), ',', &fl, &ign);
    char mod = 0;
    unsigned set = 0, ignore = 0, zero = 0;
    for (int pass = 0; pass < 2; pass++) {
        struct val w = pass ? ign : fl;
        if (pass && w.b == w.e)
            break;
        if (!pass && w.b == w.e)
            return err(p, v.b, "flags: expected TCP flags%s", "");
        for (size_t i = w.b; i < w.e; i++) {
            char c = p->s[i];
            unsigned bit = 0;
            switch (toupper((unsigned char)c)) {
            case 'F': bit = 0x01; break;
            case 'S': bit = 0x02; break;
            case 'R': bit = 0x04; break;
            case 'P': bit = 0x08; break;
            case 'A': bit = 0x10; break;
            case 'U': bit = 0x20; break;
            case 'E': case '2': bit = 0x40; break;
            case 'C': case '1': bit = 0x80; break;
            case '0':
                if (pass)
                    return err(p, i, "flags: '0' cannot be ignored%s", "");
                zero = 1;
                continue;
            case '+': case '*': case '!':
                if (!pass && !mod && (i == w.b || i == w.e - 1)) {
                    mod = c;
                    continue;
                }
                return err(p, i, "flags: misplaced modifier '%s'", (char[]){c, 0});
            default: return err(p, i, "flags: unknown flag '%s'", (char[]){c, 0});
            }
            if (pass)
                ignore |= bit;
            else
                set |= bit;
        }
    }
    if (zero && (set || mod))
        return err(p, fl.b, "flags: '0' (no flag set) cannot be combined with other flags or a modifier%s", "");
    if (!zero && !set)
        return err(p, fl.b, "flags: expected TCP flags%s", "");
    switch (mod) {
    case '+': e->flg_mod = TW_FLG_MASKED; e->flg_mask = (uint8_t)set; e->flg_val = (uint8_t)set; break;
    case '*': e->flg_mod = TW_FLG_ANY; e->flg_mask = (uint8_t)set; e->flg_val = 0; break;
    case '!': e->flg_mod = TW_FLG_MASKED; e->flg_mask = (uint8_t)set; e->flg_val = 0; break;
    default:
        e->flg_mod = TW_FLG_MASKED;
        e->flg_mask = (uint8_t)(0xFFu & ~ignore);
        e->flg_val = (uint8_t)(set & ~ignore);
    }
    return 0;
}

static int opt_vlan(struct rp *p, struct val v)
{
    struct tw_rule_entry *e = &p->r->e;
    struct val id, layer;
    unsigned a, b;
    int rc;
    split(p, trim(p, v), ',', &id, &layer);
    if ((rc = cmp_val(p, id, 4095, "vlan.id", &e->vlan_op, &a, &b)))
        return rc;
    e->vlan_a = (uint16_t)a;
    e->vlan_b = (uint16_t)b;
    e->vlan_layer = TW_VL_ANY;
    if (layer.b == layer.e && id.e < v.e && p->s[id.e] == ',')
        return err(p, layer.b, "vlan.id: missing layer after ','%s", "");
    if (layer.b != layer.e) {
        static const struct {
            const char *w;
            unsigned l;
        } ls[] = {{"any", TW_VL_ANY}, {"all", TW_VL_ALL}, {"0", TW_VL_0}, {"1", TW_VL_1}, {"-1", TW_VL_M1},
                  {"-2", TW_VL_M2}};
        size_t k;
        for (k = 0; k < sizeof ls / sizeof ls[0]; k++)
            if (val_is(p, layer, ls[k].w))
                break;
        if (k == sizeof ls / sizeof ls[0]) {
            char b2[16];
            copy_val(p, layer, b2, sizeof b2);
            return err(p, layer.b,
                       "vlan.id: layer '%s' is not 0, 1, -1, -2, any or all (the parser keeps two VLAN tags)", b2);
        }
        e->vlan_layer = (uint8_t)ls[k].l;
    }
    return 0;
}

static int opt_vendor(struct rp *p, struct val v, const char *kw, uint8_t *mask, uint8_t *not)
{
    v = trim(p, v);
    if (v.b < v.e && p->s[v.b] == '!') {
        *not = 1;
        v.b++;
    }
    struct val item, rest = trim(p, v);
    if (rest.b == rest.e)
        return err(p, v.b, "%s: expected a vendor name", kw);
    while (rest.b < rest.e) {
        split(p, rest, ',', &item, &rest);
        char name[TW_NAME_MAX + 8];
        copy_val(p, item, name, sizeof name);
        int k = cfg_vendor_index(p->c, name);
        if (k < 0) {
            char m[128];
            snprintf(m, sizeof m, "%s: unknown vendor '%s' (not under vendors: in the configuration)", kw, name);
            return err(p, item.b, "%s", m);
        }
        *mask |= (uint8_t)(1u << k);
    }
    return 0;
}

static int opt_tunnel(struct rp *p, struct val v)
{
    struct val item, rest = trim(p, v);
    uint16_t m = 0;
    while (rest.b < rest.e) {
        split(p, rest, ',', &item, &rest);
        if (val_is(p, item, "any")) {
            m |= (uint16_t)(((1u << TW_TUN_COUNT) - 1u) & ~1u);
            continue;
        }
        if (val_is(p, item, "erspan")) {
            m |= (uint16_t)((1u << TW_TUN_ERSPAN1) | (1u << TW_TUN_ERSPAN2) | (1u << TW_TUN_ERSPAN3));
            continue;
        }
        unsigned k;
        for (k = 0; k < TW_TUN_COUNT; k++)
            if (val_is(p, item, tw_tunnel_name(k)))
                break;
        if (k == TW_TUN_COUNT) {
            char b[32];
            copy_val(p, item, b, sizeof b);
            return err(p, item.b,
                       "tunnel: unknown kind '%s' (any, none, gre, erspan, erspan1, erspan2, erspan3, gre-teb, "
                       "vxlan, geneve, gtpu, tzsp, ipip, l2tpv3)", b);
        }
        m |= (uint16_t)(1u << k);
    }
    p->r->e.tun_mask = m;
    return 0;
}

static int opt_metadata(struct rp *p, struct val v)
{
    char *md = p->r->info.metadata;
    struct val item, rest = trim(p, v);
    while (rest.b < rest.e) {
        split(p, rest, ',', &item, &rest);
        size_t have = strlen(md), k = item.e - item.b;
        if (have + k + 3 > TW_METADATA_MAX)
            return err(p, item.b, "metadata: longer than %s bytes in all", "255");
        if (have) {
            memcpy(md + have, ", ", 2);
            have += 2;
        }
        memcpy(md + have, p->s + item.b, k);
        md[have + k] = 0;
    }
    return 0;
}

#define ONCE(flag)                                                                                 \
    do {                                                                                           \
        if (p->flag)                                                                               \
            return err(p, kb, "option '%s' given twice", kw);                                      \
        p->flag = 1;                                                                               \
    } while (0)
#define NOVALUE()                                                                                  \
    do {                                                                                           \
        if (has)                                                                                   \
            return err(p, kb, "option '%s' takes no value", kw);                                   \
    } while (0)
#define VALUE()                                                                                    \
    do {                                                                                           \
        if (!has || trim(p, v).b == trim(p, v).e)                                                  \
            return err(p, kb, "option '%s' needs a value", kw);                                    \
    } while (0)

/* Keywords of Suricata that tapwatch accepts as annotations only. */
static int option(struct rp *p, const char *kw, size_t kb, int has, struct val v)
{
    struct tw_rule_entry *e = &p->r->e;
    struct tw_rule_info *in = &p->r->info;
    uint64_t x;
    int rc;
    if (!strcmp(kw, "msg")) {
        ONCE(seen_msg);
        VALUE();
        return string_val(p, v, "msg", in->msg, sizeof in->msg);
    }
    if (!strcmp(kw, "sid")) {
        ONCE(seen_sid);
        VALUE();
        if ((rc = uint_val(p, v, 1, UINT32_MAX, "sid", &x)))
            return rc;
        e->sid = (uint32_t)x;
        return 0;
    }
    if (!strcmp(kw, "rev")) {
        ONCE(seen_rev);
        VALUE();
        if ((rc = uint_val(p, v, 0, UINT32_MAX, "rev", &x)))
            return rc;
        e->rev = (uint32_t)x;
        return 0;
    }
    if (!strcmp(kw, "gid")) {
        ONCE(seen_gid);
        VALUE();
        if ((rc = uint_val(p, v, 0, UINT32_MAX, "gid", &x)))
            return rc;
        e->gid = (uint32_t)x;
        return 0;
    }
    if (!strcmp(kw, "priority")) {
        ONCE(seen_prio);
        VALUE();
        if ((rc = uint_val(p, v, 1, 255, "priority", &x)))
            return rc;
        e->prio = (uint8_t)x;
        return 0;
    }
    if (!strcmp(kw, "classtype")) {
        ONCE(seen_class);
        VALUE();
        struct val t = trim(p, v);
        for (size_t k = 0; k < sizeof classtypes / sizeof classtypes[0]; k++)
            if (val_is(p, t, classtypes[k].name)) {
                snprintf(in->classtype, sizeof in->classtype, "%s", classtypes[k].name);
                snprintf(in->category, sizeof in->category, "%s", classtypes[k].desc);
                p->class_prio = classtypes[k].prio;
                return 0;
            }
        char b[48];
        copy_val(p, t, b, sizeof b);
        return err(p, t.b, "classtype: unknown class '%s' (docs/rules.md lists them)", b);
    }
    if (!strcmp(kw, "metadata")) {
        VALUE();
        return opt_metadata(p, v);
    }
    if (!strcmp(kw, "reference")) {
        VALUE();
        return 0; /* accepted as documentation, not carried */
    }
    if (!strcmp(kw, "threshold") || !strcmp(kw, "detection_filter")) {
        int df = kw[0] == 'd';
        if (df)
            ONCE(seen_df);
        else
            ONCE(seen_thr);
        VALUE();
        if (p->seen_thr && p->seen_df)
            return err(p, kb, "threshold and detection_filter cannot be combined in one rule%s", "");
        if (p->seen_vol)
            return err(p, kb, "volume cannot be combined with threshold or detection_filter%s", "");
        struct kv kv[4] = {{"track", {0, 0}, 0}, {"count", {0, 0}, 0}, {"seconds", {0, 0}, 0}, {"type", {0, 0}, 0}};
        if ((rc = kv_parse(p, v, kw, kv, df ? 3 : 4)))
            return rc;
        if ((rc = track_val(p, kv[0].v, kw, 1, &e->thr_track)) ||
            (rc = uint_val(p, kv[1].v, 1, UINT32_MAX, "count", &x)))
            return rc;
        e->thr_count = (uint32_t)x;
        if ((rc = uint_val(p, kv[2].v, 1, UINT32_MAX, "seconds", &x)))
            return rc;
        e->thr_seconds = (uint32_t)x;
        if (df) {
            e->thr_type = TW_THR_DFILTER;
        } else if (val_is(p, kv[3].v, "limit")) {
            e->thr_type = TW_THR_LIMIT;
        } else if (val_is(p, kv[3].v, "threshold")) {
            e->thr_type = TW_THR_THRESHOLD;
        } else if (val_is(p, kv[3].v, "both")) {
            e->thr_type = TW_THR_BOTH;
        } else {
            char b[32];
            copy_val(p, kv[3].v, b, sizeof b);
            return err(p, kv[3].v.b, "threshold: type '%s' is not limit, threshold or both", b);
        }
        return 0;
    }
    if (!strcmp(kw, "volume")) {
        ONCE(seen_vol);
        VALUE();
        if (p->seen_thr || p->seen_df)
            return err(p, kb, "volume cannot be combined with threshold or detection_filter%s", "");
        struct kv kv[3] = {{"track", {0, 0}, 0}, {"bytes", {0, 0}, 0}, {"seconds", {0, 0}, 0}};
        if ((rc = kv_parse(p, v, kw, kv, 3)) || (rc = track_val(p, kv[0].v, kw, 0, &e->vol_track)))
            return rc;
        if ((rc = uint_val(p, kv[1].v, 1, (UINT64_C(1) << 48) - 1, "bytes", &x)))
            return rc;
        e->vol_bytes = x;
        if ((rc = uint_val(p, kv[2].v, 1, UINT32_MAX, "seconds", &x)))
            return rc;
        e->vol_seconds = (uint32_t)x;
        e->vol_v = 1;
        return 0;
    }
    if (!strcmp(kw, "ttl")) {
        ONCE(seen_ttl);
        VALUE();
        unsigned a, b;
        if ((rc = cmp_val(p, v, 255, "ttl", &e->ttl_op, &a, &b)))
            return rc;
        e->ttl_a = (uint8_t)a;
        e->ttl_b = (uint8_t)b;
        return 0;
    }
    if (!strcmp(kw, "flags")) {
        ONCE(seen_flags);
        VALUE();
        p->flags_loc = at(p, kb);
        return opt_flags(p, v);
    }
    if (!strcmp(kw, "vlan.id")) {
        ONCE(seen_vlan);
        VALUE();
        return opt_vlan(p, v);
    }
    if (!strcmp(kw, "src_vendor")) {
        ONCE(seen_sv);
        VALUE();
        return opt_vendor(p, v, kw, &e->sv_mask, &e->sv_not);
    }
    if (!strcmp(kw, "dst_vendor")) {
        ONCE(seen_dv);
        VALUE();
        return opt_vendor(p, v, kw, &e->dv_mask, &e->dv_not);
    }
    if (!strcmp(kw, "tunnel")) {
        ONCE(seen_tun);
        VALUE();
        return opt_tunnel(p, v);
    }
    if (!strcmp(kw, "mirror_copy")) {
        ONCE(seen_mirror);
        NOVALUE();
        e->mirror = 1;
        return 0;
    }
    if (!strcmp(kw, "inner")) {
        ONCE(seen_inner);
        NOVALUE();
        e->inner = 1;
        return 0;
    }
    return err_unsup(p, kb, "keyword '%s' is not supported by the hardware matcher", kw);
}

/* A header field: up to blank space outside brackets, or '(' at bracket depth 0. */
static struct val header_word(struct rp *p)
{
    while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
        p->i++;
    size_t b = p->i;
    int depth = 0;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '[')
            depth++;
        else if (c == ']')
            depth--;
        else if ((isspace((unsigned char)c) || c == '(') && depth <= 0)
            break;
        p->i++;
    }
    return (struct val){b, p->i};
}

static int header_expr(struct rp *p, struct val w, int is_port, struct norm *out)
{
    struct src s = {p->s + w.b, w.e - w.b, p->locs + w.b, {0}};
    struct xnode *x;
    int rc = xparse(&s, is_port, &x, p->d);
    if (rc)
        return rc;
    rc = xnorm(p->c, x, is_port, out, p->d, 0);
    xnode_free(x);
    return rc;
}

static int has_ports(const struct norm *n)
{
    return !n->any || n->nn || n->not;
}

static int parse_rule(struct rp *p)
{
    static const char *const what[] = {"action", "protocol", "source address", "source port", "direction",
                                       "destination address", "destination port"};
    struct val w[7];
    char buf[32];
    int rc;
    for (int k = 0; k < 7; k++) {
        w[k] = header_word(p);
        if (w[k].b == w[k].e)
            return err(p, w[k].b, "rule header incomplete: expected the %s", what[k]);
        int depth = 0;
        for (size_t j = w[k].b; j < w[k].e; j++)
            depth += p->s[j] == '[' ? 1 : p->s[j] == ']' ? -1 : 0;
        if (depth > 0)
            return err(p, w[k].b, "unclosed '[' in the %s", what[k]);
    }
    struct rule *r = p->r;
    r->loc = at(p, w[0].b);
    copy_val(p, w[0], buf, sizeof buf);
    if (!strcmp(buf, "alert"))
        r->e.action = TW_ACT_ALERT;
    else if (!strcmp(buf, "pass"))
        r->e.action = TW_ACT_PASS;
    else {
        for (int k = 0; other_actions[k]; k++)
            if (!strcmp(buf, other_actions[k]))
                return err_unsup(p, w[0].b, "action '%s' is not supported (a tap only observes: alert or pass)",
                                 buf);
        return err(p, w[0].b, "unknown action '%s' (alert or pass)", buf);
    }
    static const struct {
        const char *n;
        int v;
    } protos[] = {{"ip", -1},   {"tcp", 6},     {"udp", 17}, {"sctp", 132},
                  {"icmp", 1}, {"icmpv6", 58}, {"gre", 47}, {"esp", 50}};
    copy_val(p, w[1], buf, sizeof buf);
    size_t k;
    for (k = 0; k < sizeof protos / sizeof protos[0]; k++)
        if (!strcmp(buf, protos[k].n))
            break;
    if (k < sizeof protos / sizeof protos[0]) {
        r->e.proto_v = protos[k].v >= 0;
        r->e.proto = (uint8_t)(protos[k].v >= 0 ? protos[k].v : 0);
    } else if (isdigit((unsigned char)buf[0])) {
        uint64_t x;
        if ((rc = uint_val(p, w[1], 0, 255, "protocol", &x)))
            return rc;
        r->e.proto_v = 1;
        r->e.proto = (uint8_t)x;
    } else {
        return err(p, w[1].b,
                   "unknown protocol '%s' (ip, tcp, udp, sctp, icmp, icmpv6, gre, esp or a number)", buf);
    }
    if ((rc = header_expr(p, w[2], 0, &r->src)) || (rc = header_expr(p, w[3], 1, &r->sp)) ||
        (rc = header_expr(p, w[5], 0, &r->dst)) || (rc = header_expr(p, w[6], 1, &r->dp)))
        return rc;
    if (val_is(p, w[4], "->"))
        r->e.bidir = 0;
    else if (val_is(p, w[4], "<>"))
        r->e.bidir = 1;
    else {
        copy_val(p, w[4], buf, sizeof buf);
        return err(p, w[4].b, "bad direction '%s' (-> or <>)", buf);
    }
    int port_proto = !r->e.proto_v || r->e.proto == 6 || r->e.proto == 17 || r->e.proto == 132;
    if (!port_proto && (has_ports(&r->sp) || has_ports(&r->dp)))
        return err(p, has_ports(&r->sp) ? w[3].b : w[6].b,
                   "ports need protocol tcp, udp, sctp or ip (this rule's protocol has no ports)%s", "");
    /* options */
    while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i >= p->n || p->s[p->i] != '(')
        return err(p, p->i, "expected '(' and the rule options%s", "");
    size_t open = p->i++;
    for (;;) {
        while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
            p->i++;
        if (p->i >= p->n)
            return err(p, open, "missing ')' at the end of the rule options%s", "");
        if (p->s[p->i] == ')') {
            p->i++;
            break;
        }
        size_t kb = p->i;
        while (p->i < p->n && (isalnum((unsigned char)p->s[p->i]) || p->s[p->i] == '_' || p->s[p->i] == '.' ||
                               p->s[p->i] == '-'))
            p->i++;
        if (p->i == kb)
            return err(p, kb, "expected an option keyword, found '%s'", (char[]){p->s[kb], 0});
        char kw[40];
        copy_val(p, (struct val){kb, p->i}, kw, sizeof kw);
        while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
            p->i++;
        int has = 0;
        struct val v = {p->i, p->i};
        if (p->i < p->n && p->s[p->i] == ':') {
            has = 1;
            size_t vb = ++p->i;
            int q = 0;
            while (p->i < p->n) {
                char c = p->s[p->i];
                if (c == '\\' && p->i + 1 < p->n) {
                    p->i += 2;
                    continue;
                }
                if (c == '"')
                    q = !q;
                else if (c == ';' && !q)
                    break;
                p->i++;
            }
            if (p->i >= p->n)
                return err(p, kb, "option '%s' is not terminated by ';'", kw);
            v = (struct val){vb, p->i};
        } else if (p->i >= p->n || p->s[p->i] != ';') {
            return err(p, p->i, "expected ':' or ';' after option '%s'", kw);
        }
        p->i++; /* ';' */
        if ((rc = option(p, kw, kb, has, v)))
            return rc;
    }
    while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
        p->i++;
    if (p->i < p->n)
        return err(p, p->i, "unexpected text after the rule's ')'%s", "");
    /* checks and defaults */
    if (!p->seen_sid)
        return err(p, w[0].b, "rule has no sid%s", "");
    if (!p->seen_gid)
        r->e.gid = 1;
    if (!p->seen_prio)
        r->e.prio = (uint8_t)(p->seen_class ? p->class_prio : 3);
    if (p->seen_flags && r->e.proto_v && r->e.proto != 6) {
        struct loc l = p->flags_loc;
        return diag_at(p->d, &l, TW_ERR_PARSE, "flags needs protocol tcp or ip");
    }
    for (size_t j = 0; j + 1 < p->c->nrules; j++) {
        const struct rule *o = &p->c->rules[j];
        if (o->e.sid == r->e.sid && o->e.gid == r->e.gid) {
            char m[300];
            snprintf(m, sizeof m, "sid %u (gid %u) already used by the rule at %s:%u:%u", (unsigned)r->e.sid,
                     (unsigned)r->e.gid, o->loc.file, o->loc.line, o->loc.col);
            return err(p, w[0].b, "%s", m);
        }
    }
    r->e.valid = 1;
    return 0;
}

static void rule_free(struct rule *r)
{
    norm_free(&r->src);
    norm_free(&r->dst);
    norm_free(&r->sp);
    norm_free(&r->dp);
}

/* Parses one logical rule (text with positions) and appends it. */
static int add_rule(struct tw_config *c, const char *s, const struct loc *locs, size_t n, struct diag *d)
{
    if (c->nrules == c->rules_cap) {
        size_t cap = c->rules_cap ? c->rules_cap * 2 : 16;
        struct rule *nr = realloc(c->rules, cap * sizeof *nr);
        if (!nr)
            return TW_ERR_NOMEM;
        c->rules = nr;
        c->rules_cap = cap;
    }
    struct rule *r = &c->rules[c->nrules++];
    memset(r, 0, sizeof *r);
    struct rp p = {.c = c, .d = d, .s = s, .locs = locs, .n = n, .r = r};
    int rc = parse_rule(&p);
    if (rc) {
        rule_free(r);
        c->nrules--;
    }
    return rc;
}

int rules_parse_text(struct tw_config *c, const char *text, size_t len, const char *file, struct diag *d)
{
    const char *fname = cfg_file(c, file);
    if (!fname)
        return TW_ERR_NOMEM;
    char *buf = malloc(len + 1);
    struct loc *locs = malloc((len + 1) * sizeof *locs);
    if (!buf || !locs) {
        free(buf);
        free(locs);
        return TW_ERR_NOMEM;
    }
    size_t n = 0, i = 0;
    unsigned line = 1;
    int rc = 0, cont = 0;
    struct loc start = {fname, 1, 1};
    while (i < len && !rc) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t le = e;
        if (le > i && text[le - 1] == '\r')
            le--;
        size_t b = i;
        while (b < le && isspace((unsigned char)text[b]))
            b++;
        int skip = !cont && (b == le || text[b] == '#');
        if (!skip) {
            if (memchr(text + i, 0, le - i)) {
                struct loc l = {fname, line, (unsigned)((const char *)memchr(text + i, 0, le - i) - (text + i)) + 1};
                rc = diag_at(d, &l, TW_ERR_PARSE, "NUL byte in rule text");
                break;
            }
            if (!cont)
                start = (struct loc){fname, line, (unsigned)(b - i) + 1};
            size_t ce = le;
            int more = ce > i && text[ce - 1] == '\\';
            if (more)
                ce--;
            for (size_t k = i; k < ce; k++) {
                buf[n] = text[k];
                locs[n] = (struct loc){fname, line, (unsigned)(k - i) + 1};
                n++;
            }
            if (more) {
                buf[n] = ' ';
                locs[n] = (struct loc){fname, line, (unsigned)(ce - i) + 1};
                n++;
                cont = 1;
            } else {
                cont = 0;
                buf[n] = 0;
                rc = add_rule(c, buf, locs, n, d);
                n = 0;
            }
        }
        (void)start;
        i = e + 1;
        line++;
    }
    if (!rc && cont && n) {
        buf[n] = 0;
        rc = add_rule(c, buf, locs, n, d);
    }
    free(buf);
    free(locs);
    return rc;
}

void cfg_rules_free(struct tw_config *c)
{
    for (size_t i = 0; i < c->nrules; i++)
        rule_free(&c->rules[i]);
    free(c->rules);
    c->rules = NULL;
    c->nrules = c->rules_cap = 0;
}
