/* Internal structures of the configuration loader, the rule parser and the compiler (not installed). */
#ifndef TAPWATCH_RULES_INT_H
#define TAPWATCH_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/rules.h"

/* A source position; file points to a string owned by the configuration. */
struct loc {
    const char *file;
    unsigned line, col;
};

/* Error sink: "FILE:LINE:COL: message". */
struct diag {
    char *buf;
    size_t len;
};
int diag_at(struct diag *d, const struct loc *l, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int diag_plain(struct diag *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An address prefix (is_port = 0) or a port range (is_port = 1). */
struct elem {
    uint8_t v6, len;
    uint8_t addr[16];
    uint16_t lo, hi;
};

/* A normalised address or port expression: match = ((any or in P) and not in N) xor not. */
struct norm {
    int not, any;
    size_t np, nn;
    struct elem *p, *n;
};
void norm_free(struct norm *n);

/* Text with the position of each character: locs[i] when locs is set, else base shifted by i columns. */
struct src {
    const char *s;
    size_t n;
    const struct loc *locs;
    struct loc base;
};
struct loc src_loc(const struct src *s, size_t i);

/* Expression tree of an address or port list, as written. */
enum { X_ANY, X_ELEM, X_NOT, X_LIST, X_REF };
struct xnode {
    int kind;
    struct loc loc;
    struct elem e;
    char *ref;
    struct xnode **items; /* X_NOT: one item; X_LIST: n items */
    size_t n;
};
void xnode_free(struct xnode *x);
/* Parses all of s (trailing blanks allowed) as one expression. */
int xparse(const struct src *s, int is_port, struct xnode **out, struct diag *d);

struct group {
    char *name;
    int is_port;
    struct loc loc;
    struct xnode *tree;
    int busy;
};

struct vendor {
    char name[TW_NAME_MAX];
    struct loc loc;
    char **subs; /* registry substrings */
    struct loc *sub_locs;
    size_t nsubs;
    uint32_t *ouis; /* explicit OUIs */
    size_t nouis;
};

struct rule {
    struct loc loc; /* the action word */
    struct tw_rule_entry e; /* every field except the set indexes (filled by the compiler) */
    struct tw_rule_info info;
    struct norm src, dst, sp, dp;
};

struct tw_config {
    char **files;
    size_t nfiles;
    char *basedir;
    struct group *groups;
    size_t ngroups;
    struct vendor *vendors;
    size_t nvendors;
    struct loc vendors_loc;
    struct tw_settings settings; /* detector part only */
    char *registry;              /* resolved path, NULL: default */
    struct rule *rules;
    size_t nrules, rules_cap;
};

/* Interns a file name (for struct loc); NULL when out of memory. */
const char *cfg_file(struct tw_config *c, const char *name);
struct group *cfg_group(struct tw_config *c, const char *name, int is_port);
int cfg_vendor_index(const struct tw_config *c, const char *name);
/* Normalises an expression tree, expanding group references. */
int xnorm(struct tw_config *c, const struct xnode *x, int is_port, struct norm *out, struct diag *d, int depth);
/* Parses a rule text (a file's content) and appends its rules. */
int rules_parse_text(struct tw_config *c, const char *text, size_t len, const char *file, struct diag *d);

void cfg_rules_free(struct tw_config *c);

/* Vendor resolution (oui.c): fills, for each vendor, a sorted unique OUI list. */
int oui_resolve(const struct tw_config *c, const char *registry, uint32_t **ouis, size_t *nouis, struct diag *d);
/* tw_oui_registry_read with its fast path for plain lines (fast = 1) or every line through the CSV reader (0, for
 * the tests that compare the two) */
int oui_registry_read(const char *path, int (*fn)(void *ctx, unsigned oui, const char *org), void *ctx, char *err,
                      size_t errlen, int fast);

#endif
