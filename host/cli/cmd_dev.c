/* tapwatch device commands: info, stats, time sync, reg read|write, rules load. Each takes -d DEVICE (or the
 * TAPWATCH_DEVICE environment variable; default "usb"). Exit codes: cli.h. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tapwatch/device.h"
#include "tapwatch/eve.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_counters.h"

volatile sig_atomic_t tw_cli_stop;

static void on_signal(int sig)
{
    (void)sig;
    tw_cli_stop = 1;
}

void tw_cli_catch_signals(void)
{
    tw_cli_stop = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

const char *tw_cli_device(const char *opt)
{
    if (opt)
        return opt;
    const char *e = getenv("TAPWATCH_DEVICE");
    return e && *e ? e : "usb";
}

int tw_cli_exit_for(int rc)
{
    switch (rc) {
    case 0: return TW_EXIT_OK;
    case TW_ERR_NODEV: return TW_EXIT_NODEV;
    case TW_ERR_TIMEOUT: return TW_EXIT_TIMEOUT;
    default: return TW_EXIT_ERROR;
    }
}

int tw_cli_open(const char *cmd, const char *spec, struct tw_dev **d)
{
    int rc = tw_open(d, spec);
    if (rc) {
        fprintf(stderr, "tapwatch %s: cannot open device '%s': %s\n", cmd, spec, tw_strerror(rc));
        return tw_cli_exit_for(rc);
    }
    return TW_EXIT_OK;
}

int tw_cli_fail(const char *cmd, struct tw_dev *d, int rc)
{
    if (rc == TW_ERR_DEVICE)
        fprintf(stderr, "tapwatch %s: %s (%s)\n", cmd, tw_strerror(rc),
                tw_proto_status_name(tw_dev_last_status(d)) ? tw_proto_status_name(tw_dev_last_status(d)) : "?");
    else
        fprintf(stderr, "tapwatch %s: %s\n", cmd, tw_strerror(rc));
    tw_close(d);
    return tw_cli_exit_for(rc);
}

/* Parses an unsigned number (decimal, 0x hex) no larger than max. */
int tw_cli_num(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

#define DEV_OPT {"device", required_argument, NULL, 'd'}
#define HELP_OPT {"help", no_argument, NULL, 'h'}
#define EXIT_HELP                                                                                                 \
    "exit status: 0 success, 2 usage error, 3 device or runtime error, 4 no device (or it went away),\n"           \
    "             5 the device did not answer in time\n"

/* ---- info ---- */

static void info_usage(FILE *f)
{
    fprintf(f, "usage: tapwatch info [-d DEVICE] [--json]\n\n"
               "Identity, versions and capabilities of the device.\n"
               "  -d, --device DEVICE  usb, usb:serial=XYZ, usb:bus=B,addr=A, sim:/path.sock (default: $TAPWATCH_DEVICE\n"
               "                       or usb)\n"
               "      --json           one JSON object\n\n" EXIT_HELP);
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {DEV_OPT, {"json", no_argument, NULL, 'j'}, HELP_OPT, {NULL, 0, NULL, 0}};
    const char *dev = NULL;
    int json = 0, c;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'j': json = 1; break;
        case 'h': info_usage(stdout); return TW_EXIT_OK;
        default: info_usage(stderr); return TW_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "tapwatch info: unexpected argument '%s'\n", argv[optind]);
        return TW_EXIT_USAGE;
    }
    struct tw_dev *d;
    int ex = tw_cli_open("info", tw_cli_device(dev), &d);
    if (ex)
        return ex;
    uint32_t r[7], ctl[2], t[2];
    int rc = tw_reg_read(d, TW_REG_MAGIC, r, 7);
    if (!rc)
        rc = tw_reg_read(d, TW_REG_CONTROL, ctl, 2);
    if (!rc)
        rc = tw_reg_read(d, TW_REG_TIME_LO, t, 2);
    if (rc)
        return tw_cli_fail("info", d, rc);
    if (r[0] != TW_REG_MAGIC_VALUE) {
        fprintf(stderr, "tapwatch info: not a tapwatch device (magic 0x%08x)\n", r[0]);
        tw_close(d);
        return TW_EXIT_ERROR;
    }
    /* the tables' geometry: what a reference detector needs to behave as this device (none without detection) */
    struct tw_detect_params g;
    tw_detect_params_default(&g);
    unsigned hdr = 0;
    rc = tw_dev_geometry(d, &g, &hdr);
    if (rc && rc != TW_ERR_UNSUPPORTED)
        return tw_cli_fail("info", d, rc);
    int geo = rc == 0;
    uint64_t tns = t[0] | (uint64_t)t[1] << 32;
    if (json) {
        printf("{\"device\":\"%s\",\"protocol\":\"%u.%u\",\"rtl_version\":%u,\"rules\":%u,\"flows\":%u,"
               "\"datapath_bits\":%u,\"clock_mhz\":%u,\"counters\":%u,\"control\":%u,\"status\":%u,\"time_ns\":%llu",
               tw_dev_name(d), (r[1] >> 8) & 0xff, r[1] & 0xff, r[1] >> 16, r[2], r[3], r[4], r[5], r[6], ctl[0],
               ctl[1], (unsigned long long)tns);
        if (geo)
            printf(",\"flow_buckets\":%u,\"flow_ways\":%u,\"digest_sets\":%u,\"digest_ways\":%u,\"state_buckets\":%u,"
                   "\"state_ways\":%u,\"head_bytes\":%u",
                   g.flow_buckets, g.flow_ways, g.digest_sets, g.digest_ways, g.state_buckets, g.state_ways, hdr);
        printf("}\n");
    } else {
        printf("device        %s\nprotocol      %u.%u\nrtl version   %u\nrules         %u\nflows         %u\n"
               "datapath      %u bits\nclock         %u MHz\ncounters      %u\ncontrol       0x%08x\n"
               "status        0x%08x\ntime          %llu ns\n",
               tw_dev_name(d), (r[1] >> 8) & 0xff, r[1] & 0xff, r[1] >> 16, r[2], r[3], r[4], r[5], r[6], ctl[0], ctl[1],
               (unsigned long long)tns);
        if (geo)
            printf("flow table    %u x %u\ndigests       %u x %u\nstate keys    %u x %u\nhead bytes    %u\n",
                   g.flow_buckets, g.flow_ways, g.digest_sets, g.digest_ways, g.state_buckets, g.state_ways, hdr);
    }
    tw_close(d);
    return TW_EXIT_OK;
}

/* ---- stats ---- */

static void stats_usage(FILE *f)
{
    fprintf(f, "usage: tapwatch stats [-d DEVICE] [--json] [--watch] [--interval S] [--count N] [--rules FILE]\n\n"
               "Counter snapshot of the tap and parser (per port), the link statistics and the per-rule counters\n"
               "(matches, alerts, rate_limited: as `tapwatch analyze` counts them).\n"
               "      --json        EVE stats events (one JSON object per line)\n"
               "      --rules FILE  the rule set loaded into the device (CONFIG or IMAGE): names the rules by\n"
               "                    gid:sid; --json then lists every rule of it in rules[] as analyze does.\n"
               "                    Without it rules go by their index: the text lists those with a non-zero\n"
               "                    counter, --json gives them as counter groups rule_INDEX\n"
               "      --watch       repeat every --interval seconds (default 1) until Ctrl-C or --count snapshots\n\n"
               EXIT_HELP);
}

static const char *const cnt_names[TW_CNT_PER_PORT] = {
    "frames", "bytes", "mac_bad", "runt", "giant", "truncated", "ip_version", "bad_ihl", "ip_length",
    "ip_checksum", "too_deep", "copy_drops", "records", "egress", NULL, NULL,
};
static const char *const link_names[] = {"rx_frames", "crc_errors", "hdr_errors", "resyncs", "discards",
                                         "bad_cmds", "tx_frames", "tx_drops", "rx_timeouts"};

/* The per-rule counters: *n rules read (0 from a device without them: REG_CAP_CNT up to CNT_RULE_BASE). */
static int rule_snapshot(struct tw_dev *d, struct tw_dev_rule_cnt *rc, unsigned *n)
{
    uint32_t caprules, ncnt;
    int r = tw_reg_read(d, TW_REG_CAP_RULES, &caprules, 1);
    if (!r)
        r = tw_reg_read(d, TW_REG_CAP_CNT, &ncnt, 1);
    if (r)
        return r;
    *n = 0;
    if (ncnt <= TW_CNT_RULE_BASE || caprules == 0)
        return 0;
    unsigned nr = caprules < TW_CAP_RULES ? caprules : TW_CAP_RULES;
    if ((ncnt - TW_CNT_RULE_BASE) / TW_CNT_RULE_STRIDE < nr)
        nr = (ncnt - TW_CNT_RULE_BASE) / TW_CNT_RULE_STRIDE;
    if (nr && (r = tw_dev_rule_counters(d, 0, nr, rc, NULL)))
        return r;
    *n = nr;
    return 0;
}

static int one_snapshot(struct tw_dev *d, int json, struct tw_eve *eve, const struct tw_tables *t)
{
    uint32_t ncnt;
    int rc = tw_reg_read(d, TW_REG_CAP_CNT, &ncnt, 1);
    if (rc)
        return rc;
    if (ncnt > 2 * TW_CNT_PER_PORT)
        ncnt = 2 * TW_CNT_PER_PORT;
    uint64_t cv[2 * TW_CNT_PER_PORT] = {0}, tns = 0;
    if (ncnt && (rc = tw_dev_counters(d, 0, ncnt, cv, &tns)))
        return rc;
    uint32_t lk[9];
    if ((rc = tw_reg_read(d, TW_REG_LINK_RX_FRAMES, lk, 9)))
        return rc;
    struct tw_dev_rule_cnt rcnt[TW_CAP_RULES];
    unsigned nr;
    if ((rc = rule_snapshot(d, rcnt, &nr)))
        return rc;
    struct tw_dev_stats hs;
    tw_dev_stats(d, &hs);
    char gname[TW_CAP_RULES][16];
    struct tw_eve_counter c[2 * TW_CNT_PER_PORT + 9 + 4 + 3 * TW_CAP_RULES];
    size_t n = 0;
    for (unsigned i = 0; i < ncnt; i++)
        if (cnt_names[i % TW_CNT_PER_PORT])
            c[n++] = (struct tw_eve_counter){i < TW_CNT_PER_PORT ? "port_a" : "port_b", cnt_names[i % TW_CNT_PER_PORT],
                                             cv[i]};
    for (unsigned i = 0; i < 9; i++)
        c[n++] = (struct tw_eve_counter){"link", link_names[i], lk[i]};
    c[n++] = (struct tw_eve_counter){"host", "frames", hs.frames};
    c[n++] = (struct tw_eve_counter){"host", "crc_errors", hs.crc_errors};
    c[n++] = (struct tw_eve_counter){"host", "resyncs", hs.resyncs};
    c[n++] = (struct tw_eve_counter){"host", "frames_lost", hs.frames_lost};
    /* rules named by the table (every rule of it, as analyze) or by index (those with a non-zero counter) */
    unsigned ntab = t ? (t->settings.n_rules < nr ? t->settings.n_rules : nr) : 0;
    struct tw_eve_rule_counter rl[TW_CAP_RULES];
    for (unsigned i = 0; i < ntab; i++)
        rl[i] = (struct tw_eve_rule_counter){t->rule[i].gid, t->rule[i].sid, rcnt[i].matches, rcnt[i].alerts,
                                             rcnt[i].rate_limited};
    if (json) {
        for (unsigned i = 0; !t && i < nr; i++) {
            if (!rcnt[i].matches && !rcnt[i].alerts && !rcnt[i].rate_limited)
                continue;
            snprintf(gname[i], sizeof gname[i], "rule_%u", i);
            c[n++] = (struct tw_eve_counter){gname[i], "matches", rcnt[i].matches};
            c[n++] = (struct tw_eve_counter){gname[i], "alerts", rcnt[i].alerts};
            c[n++] = (struct tw_eve_counter){gname[i], "rate_limited", rcnt[i].rate_limited};
        }
        rc = tw_eve_write_stats(eve, tns, c, n, rl, ntab);
        fflush(stdout);
        return rc;
    }
    printf("time %llu ns\n", (unsigned long long)tns);
    const char *g = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(g, c[i].group))
            printf("%s:\n", g = c[i].group);
        printf("  %-14s %20llu\n", c[i].name, (unsigned long long)c[i].value);
    }
    /* rule INDEX [gid:sid]  matches alerts rate_limited (every rule of the table, else those with a count) */
    int head = 0;
    for (unsigned i = 0; i < nr; i++) {
        if (!rcnt[i].matches && !rcnt[i].alerts && !rcnt[i].rate_limited && i >= ntab)
            continue;
        if (!head++)
            printf("rules:            %20s %20s %20s\n", "matches", "alerts", "rate_limited");
        char id[48];
        if (i < ntab)
            snprintf(id, sizeof id, "%u %u:%u", i, (unsigned)t->rule[i].gid, (unsigned)t->rule[i].sid);
        else
            snprintf(id, sizeof id, "%u", i);
        printf("  %-16s %20llu %20llu %20llu\n", id, (unsigned long long)rcnt[i].matches,
               (unsigned long long)rcnt[i].alerts, (unsigned long long)rcnt[i].rate_limited);
    }
    fflush(stdout);
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {DEV_OPT,
                                         {"json", no_argument, NULL, 'j'},
                                         {"watch", no_argument, NULL, 'w'},
                                         {"interval", required_argument, NULL, 'i'},
                                         {"count", required_argument, NULL, 'n'},
                                         {"rules", required_argument, NULL, 'r'},
                                         HELP_OPT,
                                         {NULL, 0, NULL, 0}};
    const char *dev = NULL, *rules = NULL;
    int json = 0, watch = 0, c;
    unsigned long long interval = 1, count = 0;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'j': json = 1; break;
        case 'w': watch = 1; break;
        case 'i':
            if (tw_cli_num(optarg, 86400, &interval) || !interval) {
                fprintf(stderr, "tapwatch stats: --interval wants 1..86400 seconds, not '%s'\n", optarg);
                return TW_EXIT_USAGE;
            }
            break;
        case 'n':
            if (tw_cli_num(optarg, 1000000000ull, &count) || !count) {
                fprintf(stderr, "tapwatch stats: --count wants a positive number, not '%s'\n", optarg);
                return TW_EXIT_USAGE;
            }
            break;
        case 'r': rules = optarg; break;
        case 'h': stats_usage(stdout); return TW_EXIT_OK;
        default: stats_usage(stderr); return TW_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "tapwatch stats: unexpected argument '%s'\n", argv[optind]);
        return TW_EXIT_USAGE;
    }
    if (!watch)
        count = 1;
    struct tw_tables *t = NULL;
    int ex;
    if (rules && (ex = tw_cli_tables("stats", rules, NULL, &t)))
        return ex;
    struct tw_dev *d;
    ex = tw_cli_open("stats", tw_cli_device(dev), &d);
    if (ex) {
        tw_tables_free(t);
        return ex;
    }
    struct tw_eve *eve = NULL;
    if (json && tw_eve_open(&eve, stdout)) {
        tw_close(d);
        tw_tables_free(t);
        return TW_EXIT_ERROR;
    }
    tw_cli_catch_signals();
    int rc = 0;
    for (unsigned long long k = 0; !tw_cli_stop && (!count || k < count); k++) {
        if (k) {
            struct timespec ts = {(time_t)interval, 0};
            while (nanosleep(&ts, &ts) && !tw_cli_stop)
                ;
            if (tw_cli_stop)
                break;
        }
        if ((rc = one_snapshot(d, json, eve, t)))
            break;
    }
    if (eve && tw_eve_close(eve) && !rc)
        rc = TW_ERR_IO;
    tw_tables_free(t);
    if (rc)
        return tw_cli_fail("stats", d, rc);
    tw_close(d);
    return TW_EXIT_OK;
}

/* ---- time sync ---- */

static void time_usage(FILE *f)
{
    fprintf(f, "usage: tapwatch time sync [-d DEVICE]\n\n"
               "Sets the device time to the host's UTC time (ns) and prints the difference read back.\n\n" EXIT_HELP);
}

int cmd_time(int argc, char **argv)
{
    static const struct option opts[] = {DEV_OPT, HELP_OPT, {NULL, 0, NULL, 0}};
    const char *dev = NULL;
    int c;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'h': time_usage(stdout); return TW_EXIT_OK;
        default: time_usage(stderr); return TW_EXIT_USAGE;
        }
    }
    if (optind >= argc || strcmp(argv[optind], "sync") || optind + 1 != argc) {
        fprintf(stderr, "tapwatch time: expected 'sync'\n");
        time_usage(stderr);
        return TW_EXIT_USAGE;
    }
    struct tw_dev *d;
    int ex = tw_cli_open("time", tw_cli_device(dev), &d);
    if (ex)
        return ex;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t host = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    int rc = tw_dev_time_set(d, host);
    uint32_t t[2];
    if (!rc)
        rc = tw_reg_read(d, TW_REG_TIME_LO, t, 2);
    if (rc)
        return tw_cli_fail("time", d, rc);
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    uint64_t devt = t[0] | (uint64_t)t[1] << 32;
    printf("device time set to %llu ns; read back %llu ns, host now %llu ns (device %+lld ns)\n",
           (unsigned long long)host, (unsigned long long)devt, (unsigned long long)now,
           (long long)(devt - now));
    tw_close(d);
    return TW_EXIT_OK;
}

/* ---- reg ---- */

static void reg_usage(FILE *f)
{
    fprintf(f, "usage: tapwatch reg read ADDR [N] [-d DEVICE]\n"
               "       tapwatch reg write ADDR VALUE [-d DEVICE]\n\n"
               "Reads N (default 1, at most 4096) 32-bit registers from ADDR up, or writes one. Numbers are decimal\n"
               "or 0x hex; the register map is in docs/protocol.md.\n\n" EXIT_HELP);
}

int cmd_reg(int argc, char **argv)
{
    static const struct option opts[] = {DEV_OPT, HELP_OPT, {NULL, 0, NULL, 0}};
    const char *dev = NULL;
    int c;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'h': reg_usage(stdout); return TW_EXIT_OK;
        default: reg_usage(stderr); return TW_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "tapwatch reg: expected 'read' or 'write'\n");
        reg_usage(stderr);
        return TW_EXIT_USAGE;
    }
    const char *sub = argv[optind++];
    /* options may also follow the subcommand */
    int rest = optind;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    int rargc = argc - rest + 1;
    char **rargv = argv + rest - 1;
    while ((c = getopt_long(rargc, rargv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'h': reg_usage(stdout); return TW_EXIT_OK;
        default: reg_usage(stderr); return TW_EXIT_USAGE;
        }
    }
    int na = rargc - optind;
    char **a = rargv + optind;
    unsigned long long addr, val = 1;
    int wr = !strcmp(sub, "write");
    if (!wr && strcmp(sub, "read")) {
        fprintf(stderr, "tapwatch reg: unknown subcommand '%s'\n", sub);
        return TW_EXIT_USAGE;
    }
    if ((wr && na != 2) || (!wr && (na < 1 || na > 2))) {
        fprintf(stderr, "tapwatch reg %s: expected %s\n", sub, wr ? "ADDR VALUE" : "ADDR [N]");
        return TW_EXIT_USAGE;
    }
    if (tw_cli_num(a[0], 0xffff, &addr)) {
        fprintf(stderr, "tapwatch reg %s: bad address '%s' (0..0xffff)\n", sub, a[0]);
        return TW_EXIT_USAGE;
    }
    if (na == 2 && tw_cli_num(a[1], wr ? 0xffffffffull : 4096, &val)) {
        fprintf(stderr, "tapwatch reg %s: bad %s '%s'\n", sub, wr ? "value (32 bits)" : "count (1..4096)", a[1]);
        return TW_EXIT_USAGE;
    }
    if (!wr && (val == 0 || addr + val > 0x10000)) {
        fprintf(stderr, "tapwatch reg read: count must be 1..4096 and stay below 0x10000\n");
        return TW_EXIT_USAGE;
    }
    struct tw_dev *d;
    int ex = tw_cli_open("reg", tw_cli_device(dev), &d);
    if (ex)
        return ex;
    int rc;
    if (wr) {
        uint32_t v = (uint32_t)val;
        rc = tw_reg_write(d, (uint16_t)addr, &v, 1);
    } else {
        uint32_t *v = malloc(val * sizeof *v);
        if (!v) {
            tw_close(d);
            return TW_EXIT_ERROR;
        }
        rc = tw_reg_read(d, (uint16_t)addr, v, (unsigned)val);
        for (unsigned long long i = 0; !rc && i < val; i++)
            printf("0x%04llx 0x%08x\n", addr + i, v[i]);
        free(v);
    }
    if (rc)
        return tw_cli_fail("reg", d, rc);
    tw_close(d);
    return TW_EXIT_OK;
}

/* ---- rules load ---- */

static void load_usage(FILE *f)
{
    fprintf(f, "usage: tapwatch rules load CONFIG|IMAGE [--oui-registry CSV] [-d DEVICE]\n\n"
               "Compiles CONFIG (or reads a compiled IMAGE, docs/tables.md) and loads every table into the device,\n"
               "then commits (the rule banks swap at once).\n\n" EXIT_HELP);
}

/* Reads a compiled image or compiles a configuration. */
int tw_cli_tables(const char *cmd, const char *path, const char *registry, struct tw_tables **t)
{
    char err[1024] = "";
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tapwatch %s: cannot open %s: %s\n", cmd, path, strerror(errno));
        return TW_EXIT_ERROR;
    }
    uint8_t m[4] = {0};
    size_t got = fread(m, 1, 4, f);
    fclose(f);
    int rc;
    if (got == 4 && (m[0] | m[1] << 8 | m[2] << 16 | (uint32_t)m[3] << 24) == TW_TABLES_MAGIC) {
        rc = tw_tables_read(path, t, err, sizeof err);
    } else {
        struct tw_config *cfg;
        rc = tw_config_load(path, &cfg, err, sizeof err);
        if (!rc) {
            struct tw_compile_opts co = {.oui_registry = registry};
            rc = tw_compile(cfg, &co, t, err, sizeof err);
            tw_config_free(cfg);
        }
    }
    if (rc) {
        fprintf(stderr, "tapwatch %s: %s\n", cmd, err[0] ? err : tw_strerror(rc));
        return TW_EXIT_ERROR;
    }
    return TW_EXIT_OK;
}

int cmd_rules_load(int argc, char **argv)
{
    static const struct option opts[] = {DEV_OPT, {"oui-registry", required_argument, NULL, 'r'}, HELP_OPT,
                                         {NULL, 0, NULL, 0}};
    const char *dev = NULL, *reg = NULL;
    int c;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'r': reg = optarg; break;
        case 'h': load_usage(stdout); return TW_EXIT_OK;
        default: load_usage(stderr); return TW_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "tapwatch rules load: expected one CONFIG or IMAGE\n");
        return TW_EXIT_USAGE;
    }
    struct tw_tables *t;
    int ex = tw_cli_tables("rules load", argv[optind], reg, &t);
    if (ex)
        return ex;
    struct tw_dev *d;
    ex = tw_cli_open("rules load", tw_cli_device(dev), &d);
    if (ex) {
        tw_tables_free(t);
        return ex;
    }
    int rc = tw_dev_load_tables(d, t);
    unsigned nr = t->settings.n_rules, no = t->settings.n_oui;
    tw_tables_free(t);
    if (rc)
        return tw_cli_fail("rules load", d, rc);
    printf("loaded %u rules, %u OUIs into %s; committed\n", nr, no, tw_dev_name(d));
    tw_close(d);
    return TW_EXIT_OK;
}
