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

struct csv {
    FILE *f;
    const char *path;
    unsigned line, col;
    int peeked;
};

static int csv_get(struct csv *c)
{
    int ch = fgetc(c->f);
    if (ch == '\n') {
        c->line++;
        c->col = 0;
    } else if (ch != EOF) {
        c->col++;
    }
    return ch;
}

/* Reads one record: up to NFIELDS fields (the rest are skipped). Returns 1 for a record, 0 at end, < 0 error. */
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
    for (;;) {
        /* one field */
        size_t n = 0;
        char *dst = *nf < NFIELDS ? fields[*nf] : NULL;
        if (ch == '"') {
            unsigned ql = c->line, qc = c->col;
            for (;;) {
                ch = csv_get(c);
                if (ch == EOF) {
                    struct loc l = {c->path, ql, qc};
                    return diag_at(d, &l, TW_ERR_PARSE, "unterminated quoted field");
                }
                if (ch == '"') {
                    ch = csv_get(c);
                    if (ch != '"')
                        break;
                }
                if (dst && n + 1 < MAX_FIELD)
                    dst[n++] = (char)ch;
            }
            if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
                struct loc l = {c->path, c->line, c->col};
                return diag_at(d, &l, TW_ERR_PARSE, "unexpected character after a quoted field");
            }
        } else {
            while (ch != ',' && ch != '\n' && ch != EOF) {
                if (ch != '\r' && dst && n + 1 < MAX_FIELD)
                    dst[n++] = (char)ch;
                ch = csv_get(c);
            }
        }
        if (dst)
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
        struct loc l = {c->path, c->line, c->col};
        return diag_at(d, &l, TW_ERR_PARSE, "unexpected character after a field");
    }
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

int tw_oui_registry_read(const char *path, int (*fn)(void *ctx, unsigned oui, const char *org), void *ctx,
                         char *err, size_t errlen)
{
    struct diag d = {err, errlen};
    struct csv c = {fopen(path, "rb"), path, 1, 0, 0};
    if (!c.f)
        return diag_plain(&d, TW_ERR_IO, "%s: cannot read the OUI registry: %s", path, strerror(errno));
    char (*f)[MAX_FIELD] = malloc(NFIELDS * sizeof *f);
    if (!f) {
        fclose(c.f);
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
    int rd = ferror(c.f);
    fclose(c.f);
    free(f);
    if (rc == 0 && rd)
        return diag_plain(&d, TW_ERR_IO, "%s: read error", path);
    return rc;
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
