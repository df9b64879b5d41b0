/* The IEEE registry (Debian ieee-data oui.csv): an RFC 4180 CSV reader, and the resolution of vendor sets to OUIs
 * (case-insensitive substrings of organisation names, plus explicit OUIs). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

#define MAX_FIELD 1024
#define NFIELDS 4

/* The registry is read into memory whole (3 MB for Debian's) and scanned there: a stdio call per character was
 * ~0.025 s of every `tapwatch analyze` start-up. line/col are those of the last character read (col 0 after a
 * newline), derived from the start of the current line. */
struct csv {
    const unsigned char *p, *end, *ls; /* next character, end of the text, start of the current line */
    const char *path;
    unsigned line;
};

static inline int csv_get(struct csv *c)
{
    if (c->p == c->end)
        return EOF;
    int ch = *c->p++;
    if (ch == '\n') {
        c->line++;
        c->ls = c->p;
    }
    return ch;
}

static unsigned csv_col(const struct csv *c)
{
    return (unsigned)(c->p - c->ls);
}

/* Appends the bytes [p, q) to a field of n bytes (dst: room for lim - 1 of them and the NUL; lim 0: not kept),
 * without the '\r' characters when cr (an unquoted field drops them). */
static size_t put_run(char *dst, size_t n, size_t lim, const unsigned char *p, const unsigned char *q, int cr)
{
    if (q <= p || n + 1 >= lim)
        return n;
    size_t k = (size_t)(q - p);
    if (!cr || !memchr(p, '\r', k)) {
        if (k > lim - 1 - n)
            k = lim - 1 - n;
        memcpy(dst + n, p, k);
        return n + k;
    }
    while (p < q) { /* the pieces between the '\r' characters */
        const unsigned char *r = memchr(p, '\r', (size_t)(q - p));
        n = put_run(dst, n, lim, p, r ? r : q, 0);
        p = r ? r + 1 : q;
    }
    return n;
}

/* Reads one record: up to NFIELDS fields (the rest are skipped). Returns 1 for a record, 0 at end, < 0 error.
 * The runs of plain characters are found with memchr (no per-character branch maze). */
static int csv_record(struct csv *c, char fields[NFIELDS][MAX_FIELD], unsigned *nf, struct diag *d,
                      unsigned *rline)
{
    int ch = csv_get(c);
    if (ch == EOF)
        return 0;
    *nf = 0;
    *rline = c->line;
    for (unsigned k = 0; k < NFIELDS; k++)
        fields[k][0] = 0;
    /* the end of the current line (no '\n' before it from c->p on; the text's end when there is none) */
    const unsigned char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (!nl)
        nl = c->end;
    for (;;) {
        /* one field */
        size_t n = 0;
        char junk[1];
        char *dst = *nf < NFIELDS ? fields[*nf] : junk;
        size_t lim = *nf < NFIELDS ? MAX_FIELD : 0;
        if (ch == '"') {
            unsigned ql = c->line, qc = csv_col(c);
            for (;;) {
                const unsigned char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
                if (!q) {
                    struct loc l = {c->path, ql, qc};
                    return diag_at(d, &l, TW_ERR_PARSE, "unterminated quoted field");
                }
                for (const unsigned char *x = c->p; (x = memchr(x, '\n', (size_t)(q - x))) != NULL; x++) {
                    c->line++;
                    c->ls = x + 1;
                }
                n = put_run(dst, n, lim, c->p, q, 0);
                c->p = q + 1;
                if (c->p < c->end && *c->p == '"') { /* a doubled quote: one quote character */
                    c->p++;
                    n = put_run(dst, n, lim, q, q + 1, 0);
                    continue;
                }
                ch = csv_get(c);
                break;
            }
            nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
            if (!nl)
                nl = c->end;
            if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
                struct loc l = {c->path, c->line, csv_col(c)};
                return diag_at(d, &l, TW_ERR_PARSE, "unexpected character after a quoted field");
            }
        } else if (ch != ',' && ch != '\n' && ch != EOF) {
            /* ch is at c->p - 1: the field runs to the next ',' of the line, or the line's end */
            const unsigned char *s = c->p - 1, *q = nl > s ? memchr(s, ',', (size_t)(nl - s)) : NULL;
            if (!q)
                q = nl;
            n = put_run(dst, n, lim, s, q, 1);
            c->p = q;
            ch = csv_get(c);
        }
        if (lim)
            dst[n] = 0;
        (*nf)++;
        if (ch == '\r')
            ch = csv_get(c);
        if (ch == ',') {
            ch = csv_get(c);
            continue;
        }
        if (ch == '\n' || ch == EOF)
            return 1;
        struct loc l = {c->path, c->line, csv_col(c)};
        return diag_at(d, &l, TW_ERR_PARSE, "unexpected character after a field");
    }
}

/* The whole file into a malloc'ed buffer (*len bytes). Returns 0, or a negative error with *rd set on a read
 * error (what was read before it is kept, as a stream reader would have parsed it). */
static int slurp(FILE *f, unsigned char **out, size_t *len, int *rd)
{
    size_t cap = 4u << 20, n = 0;
    unsigned char *b = malloc(cap);
    if (!b)
        return TW_ERR_NOMEM;
    for (;;) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        unsigned char *nb = cap * 2 > cap ? realloc(b, cap * 2) : NULL;
        if (!nb) {
            free(b);
            return TW_ERR_NOMEM;
        }
        b = nb;
        cap *= 2;
    }
    *rd = ferror(f) != 0;
    *out = b;
    *len = n;
    return 0;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The end of the quoted field whose opening quote is at q (its closing quote, doubled quotes skipped), when it ends
 * before e; else NULL. *dq: the field has a doubled quote. */
static const unsigned char *quoted_end(const unsigned char *q, const unsigned char *e, int *dq)
{
    for (const unsigned char *x = q + 1;;) {
        const unsigned char *z = memchr(x, '"', (size_t)(e - x));
        if (!z)
            return NULL;
        if (z + 1 < e && z[1] == '"') {
            *dq = 1;
            x = z + 2;
            continue;
        }
        return z;
    }
}

/* The fast path of one line at c->p (not at its end) for oui_registry_read. A line whose first two fields are plain
 * (no quote, '\r' or NUL), whose third is plain or quoted without a doubled quote, and whose other fields are
 * well formed within the line (a '\r' only at its end) is read as csv_record reads it. Returns 2 for a valid MA-L
 * row (*oui, org), 1 for a blank line or a row of another registry, both consumed; 0 for any other line (csv_record
 * then reads it, with its errors). */
static int plain_line(struct csv *c, unsigned *oui, char org[MAX_FIELD])
{
    const unsigned char *p = c->p, *end = c->end, *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
        nl = end;
    const unsigned char *e = nl > p && nl[-1] == '\r' ? nl - 1 : nl; /* an unquoted field drops the '\r' */
    int row = 0;
    if (e > p) {
        const unsigned char *c1 = memchr(p, ',', (size_t)(e - p));
        const unsigned char *c2 = c1 ? memchr(c1 + 1, ',', (size_t)(e - c1 - 1)) : NULL;
        if (!c2)
            return 0; /* fewer than 3 fields (or an error) */
        for (const unsigned char *x = p; x < c2; x++)
            if (*x == '"' || *x == '\r' || !*x)
                return 0;
        /* the third field: [o, oe) */
        const unsigned char *o = c2 + 1, *oe, *x;
        int dq = 0;
        if (o < e && *o == '"') {
            const unsigned char *z = quoted_end(o, e, &dq);
            if (!z || dq || (z + 1 < e && z[1] != ','))
                return 0;
            oe = z;
            o++;
            x = z + 1;
        } else {
            const unsigned char *z = memchr(o, ',', (size_t)(e - o));
            oe = x = z ? z : e;
            if (memchr(o, '\r', (size_t)(oe - o)))
                return 0;
        }
        /* the other fields: well formed within the line */
        while (x < e) { /* *x == ',' */
            x++;
            if (x < e && *x == '"') {
                const unsigned char *z = quoted_end(x, e, &dq);
                if (!z || (z + 1 < e && z[1] != ','))
                    return 0;
                x = z + 1;
            } else {
                const unsigned char *z = memchr(x, ',', (size_t)(e - x));
                x = z ? z : e;
            }
        }
        if (c1 - p == 4 && !memcmp(p, "MA-L", 4)) {
            if (c2 - c1 != 7)
                return 0; /* not 6 characters: an error */
            unsigned v = 0;
            for (int k = 1; k <= 6; k++) {
                int h = hexval((char)c1[k]);
                if (h < 0)
                    return 0;
                v = v << 4 | (unsigned)h;
            }
            size_t k = (size_t)(oe - o);
            if (k > MAX_FIELD - 1)
                k = MAX_FIELD - 1;
            memcpy(org, o, k);
            org[k] = 0;
            *oui = v;
            row = 1;
        }
    }
    if (nl < end) { /* past the newline, as csv_get counts it */
        c->p = nl + 1;
        c->line++;
        c->ls = c->p;
    } else {
        c->p = end;
    }
    return 1 + row;
}

int oui_registry_read(const char *path, int (*fn)(void *ctx, unsigned oui, const char *org), void *ctx, char *err,
                      size_t errlen, int fast)
{
    struct diag d = {err, errlen};
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return diag_plain(&d, TW_ERR_IO, "%s: cannot read the OUI registry: %s", path, strerror(errno));
    unsigned char *text = NULL;
    size_t len = 0;
    int rd = 0;
    int sr = slurp(fp, &text, &len, &rd);
    fclose(fp);
    if (sr < 0)
        return sr;
    struct csv c = {text, text + len, text, path, 1};
    char (*f)[MAX_FIELD] = malloc(NFIELDS * sizeof *f);
    if (!f) {
        free(text);
        return TW_ERR_NOMEM;
    }
    unsigned nf, line;
    int rc = csv_record(&c, f, &nf, &d, &line);
    if (rc == 1 && (nf < 3 || strcmp(f[0], "Registry") || strcmp(f[1], "Assignment"))) {
        struct loc l = {path, 1, 1};
        rc = diag_at(&d, &l, TW_ERR_PARSE,
                     "not an IEEE registry CSV (expected the header Registry,Assignment,Organization Name,...)");
    } else if (rc == 0) {
        struct loc l = {path, 1, 1};
        rc = diag_at(&d, &l, TW_ERR_PARSE, "empty OUI registry");
    }
    while (rc == 1) {
        if (fast && c.p < c.end) {
            unsigned v = 0;
            int pl = plain_line(&c, &v, f[2]);
            if (pl) {
                if (pl == 2 && (rc = fn(ctx, v, f[2])) != 0)
                    break;
                rc = 1;
                continue;
            }
        }
        rc = csv_record(&c, f, &nf, &d, &line);
        if (rc != 1)
            break;
        if (nf == 1 && !f[0][0])
            continue; /* blank line */
        if (nf < 3) {
            struct loc l = {path, line, 1};
            rc = diag_at(&d, &l, TW_ERR_PARSE, "expected at least 3 fields, found %u", nf);
            break;
        }
        if (strcmp(f[0], "MA-L"))
            continue; /* MA-M, MA-S, IAB: 28/36-bit blocks the hardware does not hold */
        unsigned v = 0;
        int ok = strlen(f[1]) == 6;
        for (int k = 0; ok && k < 6; k++) {
            int h = hexval(f[1][k]);
            ok = h >= 0;
            v = v << 4 | (unsigned)(h < 0 ? 0 : h);
        }
        if (!ok) {
            struct loc l = {path, line, 1};
            rc = diag_at(&d, &l, TW_ERR_PARSE, "bad MA-L assignment '%.16s' (expected 6 hex digits)", f[1]);
            break;
        }
        int r = fn(ctx, v, f[2]);
        if (r) {
            rc = r;
            break;
        }
        rc = 1;
    }
    free(text);
    free(f);
    if (rc == 0 && rd)
        return diag_plain(&d, TW_ERR_IO, "%s: read error", path);
    return rc;
}

int tw_oui_registry_read(const char *path, int (*fn)(void *ctx, unsigned oui, const char *org), void *ctx, char *err,
                         size_t errlen)
{
    return oui_registry_read(path, fn, ctx, err, errlen, 1);
}

/* ---- resolution ---- */
struct resolve {
    const struct tw_config *c;
    char **lsubs; /* lower-cased substrings, per vendor then per substring */
    size_t *first;
    uint32_t **ouis;
    size_t *n, *cap;
    char org[MAX_FIELD];
};

static int push(uint32_t **a, size_t *n, size_t *cap, uint32_t v)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        uint32_t *b = realloc(*a, nc * sizeof *b);
        if (!b)
            return TW_ERR_NOMEM;
        *a = b;
        *cap = nc;
    }
    (*a)[(*n)++] = v;
    return 0;
}

static int on_row(void *ctx, unsigned oui, const char *org)
{
    struct resolve *r = ctx;
    size_t k = 0;
    for (; org[k] && k + 1 < sizeof r->org; k++)
        r->org[k] = (char)tolower((unsigned char)org[k]);
    r->org[k] = 0;
    for (size_t v = 0; v < r->c->nvendors; v++)
        for (size_t s = 0; s < r->c->vendors[v].nsubs; s++)
            if (strstr(r->org, r->lsubs[r->first[v] + s])) {
                if (push(&r->ouis[v], &r->n[v], &r->cap[v], oui))
                    return TW_ERR_NOMEM;
                break;
            }
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int oui_resolve(const struct tw_config *c, const char *registry, uint32_t **ouis, size_t *nouis, struct diag *d)
{
    struct resolve r = {.c = c};
    size_t nv = c->nvendors, total = 0;
    int rc = 0, need_registry = 0;
    r.first = calloc(nv + 1, sizeof *r.first);
    r.cap = calloc(nv + 1, sizeof *r.cap);
    r.ouis = ouis;
    r.n = nouis;
    if (!r.first || !r.cap) {
        rc = TW_ERR_NOMEM;
        goto out;
    }
    for (size_t v = 0; v < nv; v++) {
        r.first[v] = total;
        total += c->vendors[v].nsubs;
        if (c->vendors[v].nsubs)
            need_registry = 1;
    }
    r.lsubs = calloc(total + 1, sizeof *r.lsubs);
    if (!r.lsubs) {
        rc = TW_ERR_NOMEM;
        goto out;
    }
    for (size_t v = 0; v < nv; v++)
        for (size_t s = 0; s < c->vendors[v].nsubs; s++) {
            char *l = strdup(c->vendors[v].subs[s]);
            if (!l) {
                rc = TW_ERR_NOMEM;
                goto out;
            }
            for (char *q = l; *q; q++)
                *q = (char)tolower((unsigned char)*q);
            r.lsubs[r.first[v] + s] = l;
        }
    if (need_registry && (rc = tw_oui_registry_read(registry, on_row, &r, d->buf, d->len)))
        goto out;
    for (size_t v = 0; v < nv; v++) {
        for (size_t k = 0; k < c->vendors[v].nouis; k++)
            if ((rc = push(&ouis[v], &nouis[v], &r.cap[v], c->vendors[v].ouis[k])))
                goto out;
        if (nouis[v]) {
            qsort(ouis[v], nouis[v], sizeof *ouis[v], cmp_u32);
            size_t w = 1;
            for (size_t k = 1; k < nouis[v]; k++)
                if (ouis[v][k] != ouis[v][w - 1])
                    ouis[v][w++] = ouis[v][k];
            nouis[v] = w;
        }
    }
out:
    if (r.lsubs)
        for (size_t i = 0; i < total; i++)
            free(r.lsubs[i]);
    free(r.lsubs);
    free(r.first);
    free(r.cap);
    return rc;
}
