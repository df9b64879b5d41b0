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
    {"replay", cmd_replay, "replay captures through the simulated device (RTL in Verilator), EVE JSON out"},
    {"info", cmd_info, "device identity, versions and capabilities"},
    {"stats", cmd_stats, "device counters and link statistics (--watch, --json)"},
    {"alerts", cmd_alerts, "stream the device's alerts (EVE JSON or text, --pcap evidence)"},
    {"flows", cmd_flows, "stream the device's flow records (EVE JSON)"},
    {"time", cmd_time, "time sync: set the device clock to the host's"},
    {"reg", cmd_reg, "read or write device registers"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: tapwatch COMMAND [ARGS]   (tapwatch COMMAND --help for each)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
    fprintf(f, "\n`rules load CONFIG` loads a rule set into the device. Device commands take -d DEVICE (usb, usb:serial=X,\n"
               "usb:bus=B,addr=A, sim:/path.sock) or $TAPWATCH_DEVICE.\n");
    fprintf(f, "\nexit status: 0 success, 1 alerts found (analyze, replay), 2 usage error, 3 input or runtime error,\n"
               "             4 no device (or it went away), 5 the device did not answer in time\n");
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
    if (!strcmp(argv[1], "rules") && argc > 2 && !strcmp(argv[2], "load"))
        return cmd_rules_load(argc - 2, argv + 2);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "tapwatch: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return TW_EXIT_USAGE;
}
