/* libFuzzer target for the configuration and rule parser, the compiler and the table image reader.
 * The first input byte picks what the rest is:
 *   0  a YAML configuration (relative rule files resolve in a directory that does not exist)
 *   1  rule text, parsed against a fixed configuration with groups and vendors, then compiled
 *   2  a binary table image
 * Any crash, sanitizer report or leak is a bug; every input must end in success or a clean error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/rules.h"

#ifndef TW_FUZZ_REGISTRY
#define TW_FUZZ_REGISTRY "tests/host/data/oui-small.csv"
#endif

static const char fixed_cfg[] = "vars:\n"
                                "  address-groups:\n"
                                "    HOME_NET: \"[10.0.0.0/8,2001:db8::/32]\"\n"
                                "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                                "    CARVED: \"[10.0.0.0/8,!10.1.0.0/16]\"\n"
                                "  port-groups:\n"
                                "    MGMT: \"[22,23,161,830]\"\n"
                                "vendors:\n"
                                "  HW: {oui: [\"00:e0:fc\", \"28:6e:d4\"]}\n"
                                "  ZTE: {oui: [\"00:19:c6\"]}\n";

static void compile_and_check(struct tw_config *c)
{
    char err[512];
    struct tw_tables *t;
    /* a small OUI geometry keeps each run cheap (and exercises a non-reference one) */
    struct tw_compile_opts o = {.oui_registry = TW_FUZZ_REGISTRY, .oui_buckets = 64};
    if (tw_compile(c, &o, &t, err, sizeof err))
        return;
    /* a compiled image must encode, decode and re-encode to the same bytes */
    uint8_t *a, *b;
    size_t la, lb;
    if (tw_tables_encode(t, &a, &la))
        abort();
    struct tw_tables *u;
    if (tw_tables_decode(a, la, &u, err, sizeof err))
        abort();
    if (tw_tables_encode(u, &b, &lb) || la != lb || memcmp(a, b, la))
        abort();
    free(a);
    free(b);
    tw_tables_free(u);
    tw_tables_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char err[512];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct tw_config *c;
    switch (data[0] % 3) {
    case 0:
        if (tw_config_parse(text, len, "fuzz.yaml", "/nonexistent-fuzz-dir", &c, err, sizeof err) == 0) {
            compile_and_check(c);
            tw_config_free(c);
        }
        break;
    case 1:
        if (tw_config_parse(fixed_cfg, sizeof fixed_cfg - 1, "fixed.yaml", NULL, &c, err, sizeof err))
            abort();
        if (tw_config_add_rules(c, text, len, "fuzz.rules", err, sizeof err) == 0)
            compile_and_check(c);
        tw_config_free(c);
        break;
    default: {
        struct tw_tables *t;
        if (tw_tables_decode((const uint8_t *)text, len, &t, err, sizeof err) == 0) {
            uint8_t *a;
            size_t la;
            if (tw_tables_encode(t, &a, &la))
                abort();
            free(a);
            tw_tables_free(t);
        }
    }
    }
    return 0;
}
