/* Shared declarations of the tapwatch CLI's subcommands. */
#ifndef TAPWATCH_CLI_H
#define TAPWATCH_CLI_H

/* Exit codes, documented in `tapwatch --help` and docs/cli.md. */
enum {
    TW_EXIT_OK = 0,
    TW_EXIT_ALERTS = 1, /* success, and alerts were found */
    TW_EXIT_USAGE = 2,  /* bad arguments */
    TW_EXIT_ERROR = 3,  /* input, configuration or runtime error */
};

/* argv[0] is the subcommand name. */
int cmd_rules(int argc, char **argv);
int cmd_analyze(int argc, char **argv);

#endif
