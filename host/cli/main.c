/* tapwatch: the command-line tool. Each subcommand lives in its own cmd_*.c file. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} cmds[] = {
    {"rules", cmd_rules, "check or compile a rule configuration (rules check CONFIG)"},
    {"analyze", cmd_analyze, "run the software reference detector over captures"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: tapwatch COMMAND [ARGS]   (tapwatch COMMAND --help for each)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
    fprintf(f, "\nexit status: 0 success, 1 alerts found (analyze), 2 usage error, 3 input or runtime error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return TW_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "tapwatch: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return TW_EXIT_USAGE;
}
