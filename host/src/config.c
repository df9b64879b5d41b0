/* The YAML configuration (suricata.yaml style, libyaml): address and port groups, vendors, detector settings and
 * rule files. Unknown keys are errors; every error names file, line and column. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "rules_int.h"

#define MAX_FILE_BYTES (16u << 20)

const char *cfg_file(struct tw_config *c, const char *name)
{
    for (size_t i = 0; i < c->nfiles; i++)
        if (!strcmp(c->files[i], name))
            return c->files[i];
    char **f = realloc(c->files, (c->nfiles + 1) * sizeof *f);
    if (!f)
        return NULL;
    c->files = f;
    if (!(f[c->nfiles] = strdup(name)))
        return NULL;
    return f[c->nfiles++];
}

struct group *cfg_group(struct tw_config *c, const char *name, int is_port)
{
    for (size_t i = 0; i < c->ngroups; i++)
        if (c->groups[i].is_port == is_port && !strcmp(c->groups[i].name, name))
            return &c->groups[i];
    return NULL;
}

int cfg_vendor_index(const struct tw_config *c, const char *name)
{
    for (size_t i = 0; i < c->nvendors; i++)
        if (!strcmp(c->vendors[i].name, name))
            return (int)i;
    return -1;
}

unsigned tw_config_rule_count(const struct tw_config *cfg)
{
    return (unsigned)cfg->nrules;
}

void tw_config_free(struct tw_config *c)
{
    if (!c)
        return;
    cfg_rules_free(c);
    for (size_t i = 0; i < c->ngroups; i++) {
        free(c->groups[i].name);
        xnode_free(c->groups[i].tree);
    }
    free(c->groups);
    for (size_t i = 0; i < c->nvendors; i++) {
        for (size_t k = 0; k < c->vendors[i].nsubs; k++)
            free(c->vendors[i].subs[k]);
        free(c->vendors[i].subs);
        free(c->vendors[i].sub_locs);
        free(c->vendors[i].ouis);
    }
    free(c->vendors);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c->basedir);
    free(c->registry);
    free(c);
}

/* ---- YAML walking ---- */
struct yctx {
    struct tw_config *c;
    yaml_document_t *doc;
    const char *file;
    struct diag *d;
};

static struct loc nloc(const struct yctx *y, const yaml_node_t *n)
{
    return (struct loc){y->file, (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1};
}

static int yerr(const struct yctx *y, const yaml_node_t *n, int code, const char *fmt, const char *a)
{
    struct loc l = nloc(y, n);
    return diag_at(y->d, &l, code, fmt, a);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int need_scalar(const struct yctx *y, const yaml_node_t *n, const char *what, const char **out)
{
    if (!(*out = scalar(n)))
        return yerr(y, n, TW_ERR_PARSE, "%s: expected a single value", what);
    if (strlen(*out) != n->data.scalar.length)
        return yerr(y, n, TW_ERR_PARSE, "%s: NUL byte in value", what);
    return 0;
}

static int need_map(const struct yctx *y, const yaml_node_t *n, const char *what)
{
    if (!n || n->type != YAML_MAPPING_NODE)
        return yerr(y, n, TW_ERR_PARSE, "%s: expected a mapping (key: value lines)", what);
    return 0;
}

/* Iterates a mapping: checks every key is a scalar and unique. */
static int map_keys_ok(const struct yctx *y, const yaml_node_t *m, const char *what)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
        const char *ks = scalar(k);
        if (!ks)
            return yerr(y, k, TW_ERR_PARSE, "%s: keys must be plain names", what);
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
            const char *qs = scalar(yaml_document_get_node(y->doc, q->key));
            if (qs && !strcmp(qs, ks)) {
                char m2[160];
                snprintf(m2, sizeof m2, "%s: key '%s' given twice", what, ks);
                return yerr(y, k, TW_ERR_PARSE, "%s", m2);
            }
        }
    }
    return 0;
}

static int unknown_key(const struct yctx *y, const yaml_node_t *k, const char *where)
{
    char m[200];
    snprintf(m, sizeof m, "unknown key '%.60s' in %s", scalar(k), where);
    return yerr(y, k, TW_ERR_PARSE, "%s", m);
}

static int valid_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

static int uint_scalar(const struct yctx *y, const yaml_node_t *n, const char *what, unsigned long min,
                       unsigned long max, uint32_t *out)
{
    const char *s;
    int rc = need_scalar(y, n, what, &s);
    if (rc)
        return rc;
    unsigned long v = 0;
    size_t len = strlen(s);
    if (len == 0 || len > 10)
        goto bad;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            goto bad;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v < min || v > max)
        goto bad;
    *out = (uint32_t)v;
    return 0;
bad: {
    char m[160];
    snprintf(m, sizeof m, "%s: expected a whole number from %lu to %lu", what, min, max);
    return yerr(y, n, TW_ERR_PARSE, "%s", m);
}
}

static int add_group(const struct yctx *y, const yaml_node_t *k, const yaml_node_t *v, int is_port)
{
    struct tw_config *c = y->c;
    const char *name = scalar(k), *text;
    const char *what = is_port ? "port group" : "address group";
    if (!valid_name(name, 63))
        return yerr(y, k, TW_ERR_PARSE, "bad %s name (letters, digits, '_' and '-')", what);
    int rc = need_scalar(y, v, what, &text);
    if (rc)
        return rc;
    struct group *g = realloc(c->groups, (c->ngroups + 1) * sizeof *g);
    if (!g)
        return TW_ERR_NOMEM;
    c->groups = g;
    g = &c->groups[c->ngroups];
    memset(g, 0, sizeof *g);
    if (!(g->name = strdup(name)))
        return TW_ERR_NOMEM;
    c->ngroups++;
    g->is_port = is_port;
    g->loc = nloc(y, k);
    struct src s = {text, strlen(text), NULL, nloc(y, v)};
    if (v->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        s.base.col++;
    return xparse(&s, is_port, &g->tree, y->d);
}

static int do_vars(const struct yctx *y, const yaml_node_t *m)
{
    int rc;
    if ((rc = need_map(y, m, "vars")) || (rc = map_keys_ok(y, m, "vars")))
        return rc;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key), *v = yaml_document_get_node(y->doc, p->value);
        int is_port;
        if (!strcmp(scalar(k), "address-groups"))
            is_port = 0;
        else if (!strcmp(scalar(k), "port-groups"))
            is_port = 1;
        else
            return unknown_key(y, k, "vars (address-groups, port-groups)");
        if (v->type == YAML_SCALAR_NODE && !v->data.scalar.length)
            continue; /* empty section */
        if ((rc = need_map(y, v, scalar(k))) || (rc = map_keys_ok(y, v, scalar(k))))
            return rc;
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++)
            if ((rc = add_group(y, yaml_document_get_node(y->doc, q->key), yaml_document_get_node(y->doc, q->value),
                                is_port)))
                return rc;
    }
    return 0;
}

static int parse_oui(const char *s, uint32_t *out)
{
    unsigned v = 0, nd = 0;
    for (; *s; s++) {
        char ch = *s;
        if (ch == ':' || ch == '-' || ch == '.') {
            if (nd == 0 || nd % 2)
                return -1;
            continue;
        }
        unsigned h;
        if (ch >= '0' && ch <= '9')
            h = (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            h = (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            h = (unsigned)(ch - 'A' + 10);
        else
            return -1;
        if (++nd > 6)
            return -1;
        v = v << 4 | h;
    }
    if (nd != 6)
        return -1;
    *out = v;
    return 0;
}

/* Visits a scalar or a sequence of scalars. */
static int each_scalar(const struct yctx *y, const yaml_node_t *n, const char *what,
                       int (*fn)(const struct yctx *, const yaml_node_t *, void *), void *arg)
{
    if (n->type == YAML_SCALAR_NODE)
        return fn(y, n, arg);
    if (n->type != YAML_SEQUENCE_NODE)
        return yerr(y, n, TW_ERR_PARSE, "%s: expected a list", what);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        int rc = fn(y, yaml_document_get_node(y->doc, *it), arg);
        if (rc)
            return rc;
    }
    return 0;
}

static int vendor_sub(const struct yctx *y, const yaml_node_t *n, void *arg)
{
    struct vendor *v = arg;
    const char *s;
    int rc = need_scalar(y, n, "registry", &s);
    if (rc)
        return rc;
    if (!*s)
        return yerr(y, n, TW_ERR_PARSE, "registry: empty organisation name%s", "");
    char **subs = realloc(v->subs, (v->nsubs + 1) * sizeof *subs);
    if (!subs)
        return TW_ERR_NOMEM;
    v->subs = subs;
    struct loc *sl = realloc(v->sub_locs, (v->nsubs + 1) * sizeof *sl);
    if (!sl)
        return TW_ERR_NOMEM;
    v->sub_locs = sl;
    if (!(subs[v->nsubs] = strdup(s)))
        return TW_ERR_NOMEM;
    sl[v->nsubs++] = nloc(y, n);
    return 0;
}

static int vendor_oui(const struct yctx *y, const yaml_node_t *n, void *arg)
{
    struct vendor *v = arg;
    const char *s;
    uint32_t o;
    int rc = need_scalar(y, n, "oui", &s);
    if (rc)
        return rc;
    if (parse_oui(s, &o)) {
        char m[160];
        snprintf(m, sizeof m, "bad OUI '%.40s' (expected three hex bytes such as 00:1a:2b)", s);
        return yerr(y, n, TW_ERR_PARSE, "%s", m);
    }
    uint32_t *a = realloc(v->ouis, (v->nouis + 1) * sizeof *a);
    if (!a)
        return TW_ERR_NOMEM;
    v->ouis = a;
    a[v->nouis++] = o;
    return 0;
}

static int do_vendors(struct yctx *y, const yaml_node_t *m)
{
    struct tw_config *c = y->c;
    int rc;
    if (m->type == YAML_SCALAR_NODE && !m->data.scalar.length)
        return 0;
    if ((rc = need_map(y, m, "vendors")) || (rc = map_keys_ok(y, m, "vendors")))
        return rc;
    c->vendors_loc = nloc(y, m);
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key), *v = yaml_document_get_node(y->doc, p->value);
        const char *name = scalar(k);
        if (!valid_name(name, TW_NAME_MAX - 1))
            return yerr(y, k, TW_ERR_PARSE,
                        "bad vendor name (up to %s letters, digits, '_' and '-', starting with a letter)", "31");
        if (c->nvendors == TW_CAP_VENDOR_SETS) {
            char msg[160];
            snprintf(msg, sizeof msg, "vendor set table full (%d sets): vendor '%s' does not fit", TW_CAP_VENDOR_SETS,
                     name);
            return yerr(y, k, TW_ERR_CAPACITY, "%s", msg);
        }
        struct vendor *vv = realloc(c->vendors, (c->nvendors + 1) * sizeof *vv);
        if (!vv)
            return TW_ERR_NOMEM;
        c->vendors = vv;
        vv = &c->vendors[c->nvendors++];
        memset(vv, 0, sizeof *vv);
        snprintf(vv->name, sizeof vv->name, "%s", name);
        vv->loc = nloc(y, k);
        if ((rc = need_map(y, v, name)) || (rc = map_keys_ok(y, v, name)))
            return rc;
        for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
            yaml_node_t *k2 = yaml_document_get_node(y->doc, q->key), *v2 = yaml_document_get_node(y->doc, q->value);
            if (!strcmp(scalar(k2), "registry"))
                rc = each_scalar(y, v2, "registry", vendor_sub, vv);
            else if (!strcmp(scalar(k2), "oui"))
                rc = each_scalar(y, v2, "oui", vendor_oui, vv);
            else
                rc = unknown_key(y, k2, "a vendor (registry, oui)");
            if (rc)
                return rc;
        }
        if (!vv->nsubs && !vv->nouis)
            return yerr(y, k, TW_ERR_PARSE, "vendor '%s' needs registry: names or oui: entries", name);
    }
    return 0;
}

static int do_detect(struct yctx *y, const yaml_node_t *m)
{
    struct tw_settings *s = &y->c->settings;
    int rc;
    if (m->type == YAML_SCALAR_NODE && !m->data.scalar.length)
        return 0;
    if ((rc = need_map(y, m, "detect")) || (rc = map_keys_ok(y, m, "detect")))
        return rc;
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key), *v = yaml_document_get_node(y->doc, p->value);
        const char *ks = scalar(k);
        uint32_t x;
        if (!strcmp(ks, "mirror-copy-window-ms"))
            rc = uint_scalar(y, v, ks, 1, 60000, &s->mirror_window_ms);
        else if (!strcmp(ks, "flow-timeout-s"))
            rc = uint_scalar(y, v, ks, 1, 86400, &s->flow_timeout_s);
        else if (!strcmp(ks, "flow-hard-timeout-s"))
            rc = uint_scalar(y, v, ks, 1, 86400, &s->flow_hard_timeout_s);
        else if (!strcmp(ks, "evidence-bytes")) {
            rc = uint_scalar(y, v, ks, 0, TW_MAX_EVIDENCE_BYTES, &x);
            s->evidence_bytes = (uint8_t)x;
        } else if (!strcmp(ks, "alert-rate"))
            rc = uint_scalar(y, v, ks, 0, TW_MAX_ALERT_RATE, &s->alert_rate);
        else if (!strcmp(ks, "alert-burst"))
            rc = uint_scalar(y, v, ks, 1, TW_MAX_ALERT_BURST, &s->alert_burst);
        else
            rc = unknown_key(y, k,
                             "detect (mirror-copy-window-ms, flow-timeout-s, flow-hard-timeout-s, evidence-bytes, "
                             "alert-rate, alert-burst)");
        if (rc)
            return rc;
    }
    if (s->flow_hard_timeout_s < s->flow_timeout_s)
        return yerr(y, m, TW_ERR_PARSE, "detect: flow-hard-timeout-s is shorter than flow-timeout-s%s", "");
    return 0;
}

static char *join_path(const char *base, const char *rel)
{
    if (rel[0] == '/' || !base || !*base)
        return strdup(rel);
    size_t n = strlen(base) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", base, rel);
    return p;
}

/* Reads a whole regular file (at most MAX_FILE_BYTES); errno-style message in why. */
static int slurp(const char *path, char **out, size_t *len, const char **why)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    *why = NULL;
    if (!f) {
        *why = strerror(errno);
        return TW_ERR_IO;
    }
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_FILE_BYTES) {
        *why = S_ISREG(st.st_mode) ? "larger than 16 MiB" : "not a regular file";
        fclose(f);
        return TW_ERR_IO;
    }
    char *b = malloc((size_t)st.st_size + 1);
    if (!b) {
        fclose(f);
        return TW_ERR_NOMEM;
    }
    size_t n = fread(b, 1, (size_t)st.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b);
        *why = "read error";
        return TW_ERR_IO;
    }
    b[n] = 0;
    *out = b;
    *len = n;
    return 0;
}

static int rule_file(const struct yctx *y, const yaml_node_t *n, void *arg)
{
    (void)arg;
    const char *s;
    int rc = need_scalar(y, n, "rule-files", &s);
    if (rc)
        return rc;
    if (!*s)
        return yerr(y, n, TW_ERR_PARSE, "rule-files: empty file name%s", "");
    char *path = join_path(y->c->basedir, s), *text;
    size_t len;
    const char *why;
    if (!path)
        return TW_ERR_NOMEM;
    rc = slurp(path, &text, &len, &why);
    if (rc) {
        if (rc == TW_ERR_IO) {
            char m[600];
            snprintf(m, sizeof m, "cannot read rule file '%.400s': %s", path, why);
            rc = yerr(y, n, TW_ERR_IO, "%s", m);
        }
        free(path);
        return rc;
    }
    rc = rules_parse_text(y->c, text, len, path, y->d);
    free(text);
    free(path);
    return rc;
}

static int do_root(struct yctx *y, yaml_node_t *root)
{
    int rc;
    if (!root)
        return diag_plain(y->d, TW_ERR_PARSE, "%s:1:1: empty configuration", y->file);
    if ((rc = need_map(y, root, "configuration")) || (rc = map_keys_ok(y, root, "configuration")))
        return rc;
    yaml_node_t *rule_files = NULL;
    /* groups and vendors first: rules refer to them */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top && !rc; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key), *v = yaml_document_get_node(y->doc, p->value);
        const char *ks = scalar(k);
        if (!strcmp(ks, "vars"))
            rc = do_vars(y, v);
        else if (!strcmp(ks, "vendors"))
            rc = do_vendors(y, v);
        else if (!strcmp(ks, "detect"))
            rc = do_detect(y, v);
        else if (!strcmp(ks, "rule-files"))
            rule_files = v;
        else if (!strcmp(ks, "oui-registry")) {
            const char *s;
            if (!(rc = need_scalar(y, v, ks, &s))) {
                if (!*s)
                    rc = yerr(y, v, TW_ERR_PARSE, "oui-registry: empty file name%s", "");
                else if (!(y->c->registry = join_path(y->c->basedir, s)))
                    rc = TW_ERR_NOMEM;
            }
        } else
            rc = unknown_key(y, k, "the configuration (vars, vendors, detect, rule-files, oui-registry)");
    }
    if (!rc && rule_files)
        rc = each_scalar(y, rule_files, "rule-files", rule_file, NULL);
    return rc;
}

static struct tw_config *cfg_new(const char *basedir)
{
    struct tw_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->settings.mirror_window_ms = TW_DEF_MIRROR_WINDOW_MS;
    c->settings.flow_timeout_s = TW_DEF_FLOW_TIMEOUT_S;
    c->settings.flow_hard_timeout_s = TW_DEF_FLOW_HARD_TIMEOUT_S;
    c->settings.evidence_bytes = TW_DEF_EVIDENCE_BYTES;
    c->settings.alert_rate = TW_DEF_ALERT_RATE;
    c->settings.alert_burst = TW_DEF_ALERT_BURST;
    if (!(c->basedir = strdup(basedir ? basedir : "."))) {
        free(c);
        return NULL;
    }
    return c;
}

int tw_config_parse(const char *text, size_t len, const char *name, const char *basedir, struct tw_config **out,
                    char *err, size_t errlen)
{
    struct diag d = {err, errlen};
    *out = NULL;
    if (err && errlen)
        err[0] = 0;
    struct tw_config *c = cfg_new(basedir);
    if (!c)
        return TW_ERR_NOMEM;
    const char *file = cfg_file(c, name ? name : "<config>");
    if (!file) {
        tw_config_free(c);
        return TW_ERR_NOMEM;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    int rc = 0;
    if (!yaml_parser_initialize(&parser)) {
        tw_config_free(c);
        return TW_ERR_NOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        struct loc l = {file, (unsigned)parser.problem_mark.line + 1, (unsigned)parser.problem_mark.column + 1};
        if (parser.error == YAML_MEMORY_ERROR)
            rc = TW_ERR_NOMEM;
        else
            rc = diag_at(&d, &l, TW_ERR_PARSE, "YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
                         parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        tw_config_free(c);
        return rc;
    }
    struct yctx y = {c, &doc, file, &d};
    rc = do_root(&y, yaml_document_get_root_node(&doc));
    /* a second document is an error too */
    if (!rc) {
        yaml_document_t doc2;
        if (yaml_parser_load(&parser, &doc2)) {
            if (yaml_document_get_root_node(&doc2)) {
                struct loc l = {file, (unsigned)doc2.start_mark.line + 1, (unsigned)doc2.start_mark.column + 1};
                rc = diag_at(&d, &l, TW_ERR_PARSE, "only one YAML document is allowed");
            }
            yaml_document_delete(&doc2);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc) {
        tw_config_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int tw_config_load(const char *path, struct tw_config **out, char *err, size_t errlen)
{
    struct diag d = {err, errlen};
    char *text, *dir;
    size_t len;
    const char *why;
    *out = NULL;
    if (err && errlen) /* an out-of-memory failure sets no text: callers then print tw_strerror() */
        err[0] = 0;
    int rc = slurp(path, &text, &len, &why);
    if (rc == TW_ERR_IO)
        return diag_plain(&d, rc, "%s: cannot read the configuration: %s", path, why);
    if (rc)
        return rc;
    if (!(dir = strdup(path))) {
        free(text);
        return TW_ERR_NOMEM;
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        slash == dir ? (void)(slash[1] = 0) : (void)(*slash = 0);
    else
        strcpy(dir, ".");
    rc = tw_config_parse(text, len, path, dir, out, err, errlen);
    free(dir);
    free(text);
    return rc;
}

int tw_config_add_rules(struct tw_config *cfg, const char *text, size_t len, const char *name, char *err,
                        size_t errlen)
{
    struct diag d = {err, errlen};
    if (err && errlen)
        err[0] = 0;
    return rules_parse_text(cfg, text, len, name ? name : "<rules>", &d);
}
