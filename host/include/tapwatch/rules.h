/* Configuration (YAML), rule language (Suricata subset + tapwatch keywords) and the compiler to struct tw_tables.
 * docs/rules.md documents the language, docs/tables.md the output. Every error message has the form
 * "FILE:LINE:COL: message" (1-based line and column) and is written to err (errlen bytes, may be 0). */
#ifndef TAPWATCH_RULES_H
#define TAPWATCH_RULES_H

#include <stddef.h>

#include "tapwatch/error.h"
#include "tapwatch/tables.h"

#define TW_DEFAULT_OUI_REGISTRY "/usr/share/ieee-data/oui.csv"

/* A parsed configuration with its rules (opaque). */
struct tw_config;

/* Loads a YAML configuration and the rule files it names (relative to its directory). 0 or a negative code. */
int tw_config_load(const char *path, struct tw_config **out, char *err, size_t errlen);
/* Parses a configuration held in memory; name is used in messages, basedir resolves relative paths (rule files
 * and oui-registry; NULL: the current directory). Rule files listed are loaded. */
int tw_config_parse(const char *text, size_t len, const char *name, const char *basedir, struct tw_config **out,
                    char *err, size_t errlen);
/* Appends the rules of a text held in memory (name used in messages) to cfg. */
int tw_config_add_rules(struct tw_config *cfg, const char *text, size_t len, const char *name, char *err,
                        size_t errlen);
void tw_config_free(struct tw_config *cfg);

/* Number of rules parsed so far. */
unsigned tw_config_rule_count(const struct tw_config *cfg);

/* Compiler options; zero-initialised means the reference hardware and the configuration's registry. */
struct tw_compile_opts {
    const char *oui_registry; /* overrides the configuration's oui-registry (NULL: config, else the default) */
    unsigned oui_buckets;     /* buckets per way, a power of two <= TW_OUI_BUCKETS (0: TW_OUI_BUCKETS) */
    unsigned max_kicks;       /* cuckoo displacement bound (0: TW_OUI_MAX_KICKS) */
    unsigned cap_oui;         /* OUI capacity (0: TW_CAP_OUI); tests lower it to reach the limit quickly */
};

/* Compiles cfg into a new image. Capacity errors (TW_ERR_CAPACITY) name the table and the rule (or vendor) that
 * overflowed it; a vendor resolving to no OUI is an error. */
int tw_compile(const struct tw_config *cfg, const struct tw_compile_opts *opts, struct tw_tables **out, char *err,
               size_t errlen);

/* Parses the registry CSV (columns Registry, Assignment, Organization Name, ...; RFC 4180 quoting) and calls fn for
 * every MA-L row: oui (24 bits) and the organisation name. fn returns non-zero to stop (returned as is).
 * 0, TW_ERR_IO or TW_ERR_PARSE ("FILE:LINE:COL: ..." in err). */
int tw_oui_registry_read(const char *path, int (*fn)(void *ctx, unsigned oui, const char *org), void *ctx,
                         char *err, size_t errlen);

#endif
