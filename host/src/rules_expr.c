/* Address and port expressions (Suricata list syntax): parsing, group expansion and normalisation to the
 * (include set, exclude set, negation) form the hardware evaluates. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

#define MAX_DEPTH 16

int diag_at(struct diag *d, const struct loc *l, int code, const char *fmt, ...)
{
    if (d && d->buf && d->len) {
        int k = snprintf(d->buf, d->len, "%s:%u:%u: ", l->file ? l->file : "?", l->line, l->col);
        if (k >= 0 && (size_t)k < d->len) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(d->buf + k, d->len - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

int diag_plain(struct diag *d, int code, const char *fmt, ...)
{
    if (d && d->buf && d->len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->buf, d->len, fmt, ap);
        va_end(ap);
    }
    return code;
}

struct loc src_loc(const struct src *s, size_t i)
{
    if (s->locs) {
        if (i < s->n)
            return s->locs[i];
        if (s->n) {
            struct loc l = s->locs[s->n - 1];
            l.col += (unsigned)(i - s->n + 1);
            return l;
        }
    }
    struct loc l = s->base;
    l.col += (unsigned)i;
    return l;
}

void xnode_free(struct xnode *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++)
        xnode_free(x->items[i]);
    free(x->items);
    free(x->ref);
    free(x);
}

void norm_free(struct norm *n)
{
    free(n->p);
    free(n->n);
    memset(n, 0, sizeof *n);
}

/* ---- parsing ---- */
struct xp {
    const struct src *s;
    size_t i;
    int is_port;
    struct diag *d;
};

static int at_end(struct xp *p)
{
    return p->i >= p->s->n;
}

static void skip_ws(struct xp *p)
{
    while (!at_end(p) && isspace((unsigned char)p->s->s[p->i]))
        p->i++;
}

static int xerr(struct xp *p, size_t at, const char *fmt, const char *arg)
{
    struct loc l = src_loc(p->s, at);
    return diag_at(p->d, &l, TW_ERR_PARSE, fmt, arg);
}

static struct xnode *xnew(struct xp *p, int kind, size_t at)
{
    struct xnode *x = calloc(1, sizeof *x);
    if (x) {
        x->kind = kind;
        x->loc = src_loc(p->s, at);
    }
    return x;
}

static int add_item(struct xnode *x, struct xnode *it)
{
    struct xnode **n = realloc(x->items, (x->n + 1) * sizeof *n);
    if (!n)
        return TW_ERR_NOMEM;
    x->items = n;
    x->items[x->n++] = it;
    return 0;
}

/* Parses an IPv4/IPv6 address with an optional /len into e. */
static int parse_prefix(const char *tok, struct elem *e)
{
    char buf[64];
    size_t n = strlen(tok);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, tok, n + 1);
    char *slash = strchr(buf, '/');
    long len = -1;
    if (slash) {
        *slash = 0;
        const char *q = slash + 1;
        if (!*q || strlen(q) > 3)
            return -1;
        len = 0;
        for (; *q; q++) {
            if (!isdigit((unsigned char)*q))
                return -1;
            len = len * 10 + (*q - '0');
        }
    }
    memset(e, 0, sizeof *e);
    if (strchr(buf, ':')) {
        if (inet_pton(AF_INET6, buf, e->addr) != 1)
            return -1;
        e->v6 = 1;
        if (len > 128)
            return -1;
        e->len = (uint8_t)(len < 0 ? 128 : len);
    } else {
        /* strict dotted quad */
        unsigned v[4], k = 0;
        const char *q = buf;
        for (k = 0; k < 4; k++) {
            if (!isdigit((unsigned char)*q))
                return -1;
            unsigned x = 0, nd = 0;
            while (isdigit((unsigned char)*q)) {
                x = x * 10 + (unsigned)(*q++ - '0');
                if (++nd > 3)
                    return -1;
            }
            if (x > 255)
                return -1;
            v[k] = x;
            if (k < 3 && *q++ != '.')
                return -1;
        }
        if (*q)
            return -1;
        for (k = 0; k < 4; k++)
            e->addr[12 + k] = (uint8_t)v[k];
        if (len > 32)
            return -1;
        e->len = (uint8_t)(len < 0 ? 32 : len);
    }
    /* clear the host bits */
    unsigned from = e->v6 ? 0 : 96;
    for (unsigned b = from + e->len; b < 128; b++)
        e->addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
    return 0;
}

static int parse_port_num(const char *s, size_t n, long *out)
{
    if (n == 0 || n > 5)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > 65535)
        return -1;
    *out = v;
    return 0;
}

static int parse_portrange(const char *tok, struct elem *e)
{
    memset(e, 0, sizeof *e);
    const char *colon = strchr(tok, ':');
    long lo, hi;
    if (!colon) {
        if (parse_port_num(tok, strlen(tok), &lo))
            return -1;
        hi = lo;
    } else {
        size_t nl = (size_t)(colon - tok), nh = strlen(colon + 1);
        if (nl == 0 && nh == 0)
            return -1;
        if (nl == 0)
            lo = 0;
        else if (parse_port_num(tok, nl, &lo))
            return -1;
        if (nh == 0)
            hi = 65535;
        else if (parse_port_num(colon + 1, nh, &hi))
            return -1;
        if (lo > hi)
            return -2;
    }
    e->lo = (uint16_t)lo;
    e->hi = (uint16_t)hi;
    return 0;
}

static int xp_expr(struct xp *p, struct xnode **out, int depth)
{
    *out = NULL;
    skip_ws(p);
    if (depth > MAX_DEPTH)
        return xerr(p, p->i, "%s nested too deeply", p->is_port ? "port list" : "address list");
    if (at_end(p))
        return xerr(p, p->i, "expected %s", p->is_port ? "a port" : "an address");
    char c = p->s->s[p->i];
    size_t start = p->i;
    int rc;
    if (c == '!') {
        p->i++;
        struct xnode *x = xnew(p, X_NOT, start), *kid;
        if (!x)
            return TW_ERR_NOMEM;
        if ((rc = xp_expr(p, &kid, depth + 1))) {
            xnode_free(x);
            return rc;
        }
        if ((rc = add_item(x, kid))) { /* the negated expression is not x's yet */
            xnode_free(kid);
            xnode_free(x);
            return rc;
        }
        *out = x;
        return 0;
    }
    if (c == '[') {
        p->i++;
        struct xnode *x = xnew(p, X_LIST, start), *it;
        if (!x)
            return TW_ERR_NOMEM;
        for (;;) {
            if ((rc = xp_expr(p, &it, depth + 1))) {
                xnode_free(x);
                return rc;
            }
            if ((rc = add_item(x, it))) {
                xnode_free(it);
                xnode_free(x);
                return rc;
            }
            skip_ws(p);
            if (!at_end(p) && p->s->s[p->i] == ',') {
                p->i++;
                continue;
            }
            if (!at_end(p) && p->s->s[p->i] == ']') {
                p->i++;
                break;
            }
            xnode_free(x);
            return xerr(p, p->i, "expected ',' or ']' in %s", p->is_port ? "port list" : "address list");
        }
        *out = x;
        return 0;
    }
    /* a word: up to a delimiter */
    size_t e = p->i;
    while (e < p->s->n && !isspace((unsigned char)p->s->s[e]) && p->s->s[e] != ',' && p->s->s[e] != ']' &&
           p->s->s[e] != '[' && p->s->s[e] != '!')
        e++;
    if (e == p->i)
        return xerr(p, p->i, "unexpected '%s'", (char[]){c, 0});
    char tok[96];
    size_t n = e - p->i;
    if (n >= sizeof tok)
        n = sizeof tok - 1;
    memcpy(tok, p->s->s + p->i, n);
    tok[n] = 0;
    p->i = e;
    if (tok[0] == '$') {
        const char *q = tok + 1;
        if (!*q)
            return xerr(p, start, "empty group name after '$'%s", "");
        for (; *q; q++)
            if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-')
                return xerr(p, start, "bad group name '%s'", tok);
        struct xnode *x = xnew(p, X_REF, start);
        if (!x || !(x->ref = strdup(tok + 1))) {
            xnode_free(x);
            return TW_ERR_NOMEM;
        }
        *out = x;
        return 0;
    }
    if (!strcmp(tok, "any")) {
        if (!(*out = xnew(p, X_ANY, start)))
            return TW_ERR_NOMEM;
        return 0;
    }
    struct elem el;
    if (p->is_port) {
        int r = parse_portrange(tok, &el);
        if (r == -2)
            return xerr(p, start, "port range '%s' ends before it starts", tok);
        if (r)
            return xerr(p, start, "bad port '%s'", tok);
    } else if (parse_prefix(tok, &el)) {
        return xerr(p, start, "bad address '%s'", tok);
    }
    struct xnode *x = xnew(p, X_ELEM, start);
    if (!x)
        return TW_ERR_NOMEM;
    x->e = el;
    *out = x;
    return 0;
}

int xparse(const struct src *s, int is_port, struct xnode **out, struct diag *d)
{
    struct xp p = {s, 0, is_port, d};
    int rc = xp_expr(&p, out, 0);
    if (rc)
        return rc;
    skip_ws(&p);
    if (!at_end(&p)) {
        xnode_free(*out);
        *out = NULL;
        return xerr(&p, p.i, "unexpected text after the %s", is_port ? "port" : "address");
    }
    return 0;
}

/* ---- normalisation ---- */
static int overlap(const struct elem *a, const struct elem *b, int is_port)
{
    if (is_port)
        return a->lo <= b->hi && b->lo <= a->hi;
    if (a->v6 != b->v6)
        return 0;
    unsigned len = a->len < b->len ? a->len : b->len, from = a->v6 ? 0 : 96;
    for (unsigned bit = from; bit < from + len; bit++) {
        unsigned m = 0x80u >> (bit % 8);
        if ((a->addr[bit / 8] & m) != (b->addr[bit / 8] & m))
            return 0;
    }
    return 1;
}

static int append(struct elem **arr, size_t *n, const struct elem *src, size_t k)
{
    if (!k)
        return 0;
    struct elem *a = realloc(*arr, (*n + k) * sizeof *a);
    if (!a)
        return TW_ERR_NOMEM;
    memcpy(a + *n, src, k * sizeof *a);
    *arr = a;
    *n += k;
    return 0;
}

static void fmt_elem(const struct elem *e, int is_port, char *buf, size_t n)
{
    if (is_port) {
        if (e->lo == e->hi)
            snprintf(buf, n, "%u", e->lo);
        else
            snprintf(buf, n, "%u:%u", e->lo, e->hi);
        return;
    }
    char a[INET6_ADDRSTRLEN];
    if (e->v6)
        inet_ntop(AF_INET6, e->addr, a, sizeof a);
    else
        inet_ntop(AF_INET, e->addr + 12, a, sizeof a);
    snprintf(buf, n, "%s/%u", a, e->len);
}

int xnorm(struct tw_config *c, const struct xnode *x, int is_port, struct norm *out, struct diag *d, int depth)
{
    memset(out, 0, sizeof *out);
    const char *what = is_port ? "port" : "address";
    if (depth > MAX_DEPTH)
        return diag_at(d, &x->loc, TW_ERR_PARSE, "%s groups nested too deeply", what);
    int rc = 0;
    switch (x->kind) {
    case X_ANY:
        out->any = 1;
        return 0;
    case X_ELEM:
        return append(&out->p, &out->np, &x->e, 1);
    case X_REF: {
        struct group *g = cfg_group(c, x->ref, is_port);
        if (!g)
            return diag_at(d, &x->loc, TW_ERR_PARSE, "undefined %s group '$%s'", what, x->ref);
        if (g->busy)
            return diag_at(d, &x->loc, TW_ERR_PARSE, "%s group '$%s' refers to itself", what, x->ref);
        g->busy = 1;
        rc = xnorm(c, g->tree, is_port, out, d, depth + 1);
        g->busy = 0;
        return rc;
    }
    case X_NOT:
        if ((rc = xnorm(c, x->items[0], is_port, out, d, depth + 1)))
            return rc;
        if (out->any && !out->nn && !out->not) {
            norm_free(out);
            return diag_at(d, &x->loc, TW_ERR_PARSE, "negated 'any' matches no %s", what);
        }
        out->not = !out->not;
        return 0;
    default:
        break;
    }
    /* a list: (union of the positive items) minus (union of the negated items) */
    struct norm *kids = calloc(x->n, sizeof *kids);
    if (!kids)
        return TW_ERR_NOMEM;
    size_t done = 0;
    for (; done < x->n; done++)
        if ((rc = xnorm(c, x->items[done], is_port, &kids[done], d, depth + 1)))
            goto out;
    int any = 0, positives = 0;
    for (size_t i = 0; i < x->n && !rc; i++) {
        struct norm *k = &kids[i];
        const struct loc *kl = &x->items[i]->loc;
        if (!k->not) {
            positives = 1;
            if (k->any)
                any = 1;
            else
                rc = append(&out->p, &out->np, k->p, k->np);
            if (!rc)
                rc = append(&out->n, &out->nn, k->n, k->nn);
            /* an item's own exclusions must not remove addresses of the list's other positive items */
            for (size_t j = 0; j < x->n && !rc && k->nn; j++) {
                const struct norm *o = &kids[j];
                if (j == i || o->not)
                    continue;
                if (o->any)
                    rc = diag_at(d, kl, TW_ERR_UNSUPPORTED,
                                 "%s list too complex for the hardware matcher: the exclusions of this item would "
                                 "also apply to 'any'", what);
                for (size_t a = 0; a < k->nn && !rc; a++)
                    for (size_t b = 0; b < o->np && !rc; b++)
                        if (overlap(&k->n[a], &o->p[b], is_port)) {
                            char e1[64], e2[64];
                            fmt_elem(&k->n[a], is_port, e1, sizeof e1);
                            fmt_elem(&o->p[b], is_port, e2, sizeof e2);
                            rc = diag_at(d, kl, TW_ERR_UNSUPPORTED,
                                         "%s list too complex for the hardware matcher: exclusion %s overlaps "
                                         "%s of another item", what, e1, e2);
                        }
            }
        } else {
            if (k->nn)
                rc = diag_at(d, kl, TW_ERR_UNSUPPORTED,
                             "%s list too complex for the hardware matcher: a negated list may not contain "
                             "negations", what);
            else if (k->any)
                rc = diag_at(d, kl, TW_ERR_PARSE, "negated 'any' matches no %s", what);
            else
                rc = append(&out->n, &out->nn, k->p, k->np);
        }
    }
    if (!rc && (any || !positives)) {
        out->any = 1;
        free(out->p);
        out->p = NULL;
        out->np = 0;
    }
out:
    for (size_t i = 0; i < x->n; i++)
        norm_free(&kids[i]);
    free(kids);
    if (rc)
        norm_free(out);
    return rc;
}
