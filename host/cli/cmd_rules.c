/* tapwatch rules: check a configuration against the hardware's capacities, or compile it to a table image. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tapwatch/rules.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tapwatch rules check CONFIG [--oui-registry CSV]\n"
               "       tapwatch rules compile CONFIG -o IMAGE [--oui-registry CSV]\n"
               "       tapwatch rules dump IMAGE\n\n"
               "check    validates CONFIG and its rules without a device; prints each vendor's OUI count and each\n"
               "         table's use against its capacity\n"
               "compile  writes the binary table image (docs/tables.md) that analyze and the device loader read\n"
               "dump     prints the use of each table of an image\n\n"
               "exit status: 0 valid, 2 usage error, 3 configuration, rule or capacity error\n");
}

static void row(const char *name, unsigned used, unsigned cap)
{
    printf("  %-18s %6u / %-6u %5.1f%%\n", name, used, cap, cap ? 100.0 * used / cap : 0.0);
}

static void report(const struct tw_tables *t)
{
    const struct tw_settings *s = &t->settings;
    printf("vendors:\n");
    for (unsigned v = 0; v < s->n_vendor_sets; v++)
        printf("  %-18s %6u OUIs\n", t->vendor[v].name, (unsigned)t->vendor[v].n_oui);
    if (!s->n_vendor_sets)
        printf("  (none)\n");
    printf("tables (used / capacity):\n");
    row("OUIs", s->n_oui, TW_CAP_OUI);
    row("vendor sets", s->n_vendor_sets, TW_CAP_VENDOR_SETS);
    row("address prefixes", s->n_prefixes, TW_CAP_PREFIXES);
    row("address sets", s->n_addr_sets, TW_CAP_ADDR_SETS);
    row("port ranges", s->n_port_ranges, TW_CAP_PORT_RANGES);
    row("port sets", s->n_port_sets, TW_CAP_PORT_SETS);
    row("rules", s->n_rules, TW_CAP_RULES);
    printf("OUI hash table: %u ways x %u buckets x %u slots, load %.1f%%\n", TW_OUI_WAYS, (unsigned)s->oui_buckets,
           TW_OUI_SLOTS, 100.0 * s->n_oui / ((double)TW_OUI_WAYS * s->oui_buckets * TW_OUI_SLOTS));
    printf("detect: mirror-copy-window-ms %u, flow-timeout-s %u, flow-hard-timeout-s %u, evidence-bytes %u\n",
           (unsigned)s->mirror_window_ms, (unsigned)s->flow_timeout_s, (unsigned)s->flow_hard_timeout_s,
           (unsigned)s->evidence_bytes);
}

int cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"oui-registry", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2) {
        usage(stderr);
        return TW_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        usage(stdout);
        return TW_EXIT_OK;
    }
    if (strcmp(sub, "check") && strcmp(sub, "compile") && strcmp(sub, "dump")) {
        fprintf(stderr, "tapwatch rules: unknown subcommand '%s'\n", sub);
        usage(stderr);
        return TW_EXIT_USAGE;
    }
    const char *output = NULL;
    struct tw_compile_opts co = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'r': co.oui_registry = optarg; break;
        case 'h': usage(stdout); return TW_EXIT_OK;
        default: usage(stderr); return TW_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc - 1) {
        fprintf(stderr, "tapwatch rules %s: expected one %s\n", sub, strcmp(sub, "dump") ? "CONFIG" : "IMAGE");
        return TW_EXIT_USAGE;
    }
    const char *path = argv[1 + optind];
    if (!strcmp(sub, "compile") && !output) {
        fprintf(stderr, "tapwatch rules compile: -o IMAGE is required\n");
        return TW_EXIT_USAGE;
    }
    if (strcmp(sub, "compile") && output) {
        fprintf(stderr, "tapwatch rules %s: -o applies to compile only\n", sub);
        return TW_EXIT_USAGE;
    }
    char err[1024] = "";
    struct tw_tables *t = NULL;
    if (!strcmp(sub, "dump")) {
        if (tw_tables_read(path, &t, err, sizeof err)) {
            fprintf(stderr, "tapwatch: %s\n", err);
            return TW_EXIT_ERROR;
        }
        printf("image: %s\n", path);
        report(t);
        tw_tables_free(t);
        return TW_EXIT_OK;
    }
    struct tw_config *cfg;
    int rc = tw_config_load(path, &cfg, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err[0] ? err : tw_strerror(rc));
        return TW_EXIT_ERROR;
    }
    rc = tw_compile(cfg, &co, &t, err, sizeof err);
    unsigned nrules = tw_config_rule_count(cfg);
    tw_config_free(cfg);
    if (rc) {
        fprintf(stderr, "%s\n", err[0] ? err : tw_strerror(rc));
        return TW_EXIT_ERROR;
    }
    if (!strcmp(sub, "compile")) {
        rc = tw_tables_write(t, output, err, sizeof err);
        tw_tables_free(t);
        if (rc) {
            fprintf(stderr, "tapwatch: %s\n", err);
            return TW_EXIT_ERROR;
        }
        printf("%s: %u rules compiled into %s\n", path, nrules, output);
        return TW_EXIT_OK;
    }
    printf("%s: %u rules, valid\n", path, nrules);
    report(t);
    tw_tables_free(t);
    return TW_EXIT_OK;
}
