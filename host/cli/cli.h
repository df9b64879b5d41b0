/* Shared declarations of the tapwatch CLI's subcommands. */
#ifndef TAPWATCH_CLI_H
#define TAPWATCH_CLI_H

#include <signal.h>

/* Exit codes, documented in `tapwatch --help` and docs/cli.md. */
enum {
    TW_EXIT_OK = 0,
    TW_EXIT_ALERTS = 1, /* success, and alerts were found */
    TW_EXIT_USAGE = 2,  /* bad arguments */
    TW_EXIT_ERROR = 3,  /* input, configuration or runtime error */
    TW_EXIT_NODEV = 4,  /* device commands: no such device, or it went away */
    TW_EXIT_TIMEOUT = 5, /* device commands: the device did not answer in time */
};

/* argv[0] is the subcommand name. */
int cmd_rules(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_replay(int argc, char **argv); /* cmd_replay.c */
/* Device commands (cmd_dev.c, cmd_dev_stream.c). */
int cmd_info(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_time(int argc, char **argv);
int cmd_reg(int argc, char **argv);
int cmd_rules_load(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_flows(int argc, char **argv);

/* Shared by the device commands (cmd_dev.c). */
struct tw_dev;
struct tw_tables;
const char *tw_cli_device(const char *opt);  /* -d value, else $TAPWATCH_DEVICE, else "usb" */
int tw_cli_open(const char *cmd, const char *spec, struct tw_dev **d); /* exit code; message on failure */
int tw_cli_fail(const char *cmd, struct tw_dev *d, int rc);           /* prints, closes d, returns exit code */
int tw_cli_exit_for(int rc);
int tw_cli_num(const char *s, unsigned long long max, unsigned long long *out);
int tw_cli_tables(const char *cmd, const char *path, const char *registry, struct tw_tables **t);
void tw_cli_catch_signals(void); /* SIGINT/SIGTERM set tw_cli_stop */
extern volatile sig_atomic_t tw_cli_stop;

#endif
