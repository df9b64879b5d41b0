/* The tapwatch device commands (host/cli/cmd_dev.c, cmd_dev_stream.c and main.c's dispatch, compiled into this test)
 * against a software device on the sim: socket (fakedev.h): output and exit status of info, stats, rules load,
 * alerts (EVE, text, --pcap, --count, --timeout, summary), flows, time sync and reg read|write, and every usage
 * error of each subcommand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pcap/pcap.h>
#include <signal.h>

#include "../../host/cli/cli.h"
#include "fakedev.h"
#include "tapwatch/device.h"

/* The CLI's main, renamed (host/host.mk builds host/cli/ with sanitizers and -Dmain=tapwatch_main for this test). */
int tapwatch_main(int argc, char **argv);

static char out[1 << 20], errs[65536];

/* Runs `tapwatch ARGS...` (NULL-terminated) capturing stdout and stderr. */
static int run(const char *a0, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"tapwatch";
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a && argc < 31; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = tapwatch_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    rewind(fo);
    rewind(fe);
    size_t n = fread(out, 1, sizeof out - 1, fo);
    out[n] = 0;
    n = fread(errs, 1, sizeof errs - 1, fe);
    errs[n] = 0;
    fclose(fo);
    fclose(fe);
    return rc;
}

static struct fakedev *F;
static char spec[160];

static int setup(void **st)
{
    (void)st;
    F = fakedev_start();
    if (!F)
        return -1;
    fakedev_spec(F, spec, sizeof spec);
    unsetenv("TAPWATCH_DEVICE");
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    fakedev_stop(F);
    return 0;
}

static void test_help_and_usage(void **st)
{
    (void)st;
    static const char *const cmds[] = {"info", "stats", "alerts", "flows", "time", "reg"};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(run(cmds[i], "--help", NULL), TW_EXIT_OK);
        assert_non_null(strstr(out, "usage: tapwatch "));
        assert_non_null(strstr(out, "exit status"));
        assert_int_equal(run(cmds[i], "--bogus", NULL), TW_EXIT_USAGE);
        assert_non_null(strstr(errs, "usage: tapwatch "));
    }
    assert_int_equal(run("rules", "load", "--help", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "usage: tapwatch rules load"));
    assert_int_equal(run("rules", "load", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "expected one CONFIG or IMAGE"));
    assert_int_equal(run("rules", "load", "a", "b", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("rules", "load", "--nope", "a", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("--help", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "4 no device"));
    /* per-command argument errors */
    assert_int_equal(run("info", "extra", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "unexpected argument 'extra'"));
    assert_int_equal(run("stats", "extra", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("stats", "--interval", "0", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "--interval wants"));
    assert_int_equal(run("stats", "--count", "x", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "--count wants"));
    assert_int_equal(run("time", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "expected 'sync'"));
    assert_int_equal(run("time", "set", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("time", "sync", "now", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("reg", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "expected 'read' or 'write'"));
    assert_int_equal(run("reg", "peek", "0", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "unknown subcommand 'peek'"));
    assert_int_equal(run("reg", "read", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "expected ADDR [N]"));
    assert_int_equal(run("reg", "read", "1", "2", "3", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("reg", "write", "1", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "expected ADDR VALUE"));
    assert_int_equal(run("reg", "read", "0x10000", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "bad address"));
    assert_int_equal(run("reg", "read", "-1", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("reg", "read", "0", "0", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("reg", "read", "0", "4097", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "bad count"));
    assert_int_equal(run("reg", "read", "0xfff0", "17", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "stay below 0x10000"));
    assert_int_equal(run("reg", "write", "0x12", "0x100000000", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "bad value"));
    assert_int_equal(run("reg", "read", "--help", NULL), TW_EXIT_OK);
    assert_int_equal(run("reg", "read", "0", "--bogus", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("alerts", "extra", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("alerts", "--json", "--text", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "exclude each other"));
    assert_int_equal(run("alerts", "--count", "0", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("alerts", "--timeout", "abc", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "--timeout wants"));
    assert_int_equal(run("flows", "--text", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "apply to alerts only"));
    assert_int_equal(run("flows", "--count", "-3", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("alerts", "--flush", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "--flush applies to flows only"));
    assert_int_equal(run("alerts", "--rules", "/nonexistent.yaml", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "cannot open /nonexistent.yaml"));
    assert_int_equal(run("alerts", "-d", spec, "--pcap", "/nonexistent/dir/x.pcap", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "cannot write /nonexistent/dir/x.pcap"));
}

static void test_no_device(void **st)
{
    (void)st;
    static const char *const cmds[] = {"info", "stats", "alerts", "flows"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(run(cmds[i], "-d", "sim:/nonexistent.sock", NULL), TW_EXIT_NODEV);
        assert_non_null(strstr(errs, "cannot open device 'sim:/nonexistent.sock': no such device"));
    }
    assert_int_equal(run("time", "sync", "-d", "sim:/nonexistent.sock", NULL), TW_EXIT_NODEV);
    assert_int_equal(run("reg", "read", "0", "-d", "sim:/nonexistent.sock", NULL), TW_EXIT_NODEV);
    assert_int_equal(run("rules", "load", "examples/backhaul.yaml", "--oui-registry",
                         "tests/host/data/oui-backhaul.csv", "-d", "sim:/nonexistent.sock", NULL),
                     TW_EXIT_NODEV);
    assert_int_equal(run("info", "-d", "bogus:spec", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "invalid argument"));
    /* TAPWATCH_DEVICE is the default */
    setenv("TAPWATCH_DEVICE", "sim:/nonexistent-env.sock", 1);
    assert_int_equal(run("info", NULL), TW_EXIT_NODEV);
    assert_non_null(strstr(errs, "sim:/nonexistent-env.sock"));
    unsetenv("TAPWATCH_DEVICE");
}

static void test_info_stats_reg_time(void **st)
{
    (void)st;
    setenv("TAPWATCH_DEVICE", spec, 1);
    assert_int_equal(run("info", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "protocol      1.0"));
    assert_non_null(strstr(out, "rules         256"));
    assert_non_null(strstr(out, "clock         125 MHz"));
    assert_int_equal(run("info", "--json", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\"rtl_version\":3,\"rules\":256,\"flows\":4096"));
    assert_null(strstr(out, "flow_buckets")); /* the fake has no geometry: none shown */
    /* a device with detection: its tables' geometry */
    pthread_mutex_lock(&F->mu);
    F->regs[TW_REG_CAP_FLOW_GEOM] = 12 << TW_GEOM_LOG2_SHIFT | 4;
    F->regs[TW_REG_CAP_DIGEST_GEOM] = 13 << TW_GEOM_LOG2_SHIFT | 2;
    F->regs[TW_REG_CAP_STATE_GEOM] = 10 << TW_GEOM_LOG2_SHIFT | 4;
    F->regs[TW_REG_CAP_HDR_BYTES] = 256;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("info", NULL), TW_EXIT_OK);
    assert_non_null(
        strstr(out, "flow table    4096 x 4\ndigests       8192 x 2\nstate keys    1024 x 4\nhead bytes    256\n"));
    assert_int_equal(run("info", "--json", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\"flow_buckets\":4096,\"flow_ways\":4,\"digest_sets\":8192,\"digest_ways\":2,"
                                "\"state_buckets\":1024,\"state_ways\":4,\"head_bytes\":256}"));
    /* a value no device builds: an error, named */
    pthread_mutex_lock(&F->mu);
    F->regs[TW_REG_CAP_FLOW_GEOM] = 12 << TW_GEOM_LOG2_SHIFT;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("info", NULL), TW_EXIT_ERROR);
    pthread_mutex_lock(&F->mu);
    memset(&F->regs[TW_REG_CAP_FLOW_GEOM], 0, 4 * sizeof F->regs[0]);
    pthread_mutex_unlock(&F->mu);
    unsetenv("TAPWATCH_DEVICE");
    assert_int_equal(run("stats", "-d", spec, NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "port_a:\n  frames                            1\n"));
    assert_non_null(strstr(out, "port_b:\n  frames                        16001\n"));
    assert_non_null(strstr(out, "link:\n"));
    assert_int_equal(run("stats", "-d", spec, "--json", "--watch", "--interval", "1", "--count", "2", NULL),
                     TW_EXIT_OK);
    char *second = strchr(out, '\n');
    assert_non_null(second);
    assert_non_null(strstr(second + 1, "\"event_type\":\"stats\""));
    assert_non_null(strstr(out, "\"port_b\":{\"frames\":16001"));
    assert_non_null(strstr(out, "\"rules\":[]")); /* the fake's window (128) has no per-rule counters */
    assert_null(strstr(out, "rule_0"));
    /* a device with the per-rule block (counter i reads 1000 i + 1): by index, or named by the rule set */
    pthread_mutex_lock(&F->mu);
    F->ncnt = 2048;
    F->regs[TW_REG_CAP_CNT] = 2048;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("stats", "-d", spec, NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "rules:"));
    assert_non_null(strstr(out, "\n  0                             1024001              1025001              1026001\n"));
    assert_non_null(strstr(out, "\n  255                           2044001              2045001              2046001\n"));
    assert_int_equal(run("stats", "-d", spec, "--json", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\"rule_0\":{\"matches\":1024001,\"alerts\":1025001,\"rate_limited\":1026001}"));
    assert_non_null(strstr(out, "\"rule_255\":{\"matches\":2044001,"));
    assert_non_null(strstr(out, "\"rules\":[]"));
    assert_int_equal(run("stats", "-d", spec, "--json", "--rules", "examples/backhaul.yaml", NULL), TW_EXIT_OK);
    assert_null(strstr(out, "rule_0"));
    assert_non_null(strstr(out, "\"rules\":[{\"gid\":1,\"signature_id\":"));
    assert_non_null(strstr(out, ",\"matches\":1024001,\"alerts\":1025001,\"rate_limited\":1026001}"));
    assert_int_equal(run("stats", "-d", spec, "--rules", "examples/backhaul.yaml", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\n  0 1:"));
    assert_int_equal(run("stats", "-d", spec, "--rules", "/nonexistent.yaml", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "cannot open /nonexistent.yaml"));
    pthread_mutex_lock(&F->mu);
    F->ncnt = 128;
    F->regs[TW_REG_CAP_CNT] = 32;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("reg", "write", "0x12", "0xcafe", "-d", spec, NULL), TW_EXIT_OK);
    assert_int_equal(run("reg", "read", "0x12", "-d", spec, NULL), TW_EXIT_OK);
    assert_string_equal(out, "0x0012 0x0000cafe\n");
    assert_int_equal(run("reg", "-d", spec, "read", "0", "2", NULL), TW_EXIT_OK);
    assert_string_equal(out, "0x0000 0x54574c4b\n0x0001 0x00030100\n");
    assert_int_equal(run("reg", "write", "0", "1", "-d", spec, NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "the device rejected the command (bad register address)"));
    assert_int_equal(run("time", "sync", "-d", spec, NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "device time set to "));
    assert_true(F->regs[TW_REG_TIME_HI] > 0x17000000u / 16);
    /* a device that stops answering */
    pthread_mutex_lock(&F->mu);
    F->mute = 1;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("reg", "read", "0", "-d", spec, NULL), TW_EXIT_TIMEOUT);
    assert_non_null(strstr(errs, "timed out"));
    pthread_mutex_lock(&F->mu);
    F->mute = 0;
    pthread_mutex_unlock(&F->mu);
}

static void test_rules_load(void **st)
{
    (void)st;
    assert_int_equal(run("rules", "load", "examples/backhaul.yaml", "--oui-registry",
                         "tests/host/data/oui-backhaul.csv", "-d", spec, NULL),
                     TW_EXIT_OK);
    assert_non_null(strstr(out, "loaded "));
    assert_non_null(strstr(out, "committed"));
    assert_int_equal(F->last_commit, 0x3E);
    uint64_t words = F->tbl_words;
    /* a compiled image works the same */
    char img[] = "/tmp/tw-dev-cli-XXXXXX";
    int fd = mkstemp(img);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(run("rules", "compile", "examples/backhaul.yaml", "-o", img, "--oui-registry",
                         "tests/host/data/oui-backhaul.csv", NULL),
                     TW_EXIT_OK);
    assert_int_equal(run("rules", "load", img, "-d", spec, NULL), TW_EXIT_OK);
    assert_int_equal(F->tbl_words, 2 * words);
    /* bad input */
    FILE *f = fopen(img, "wb");
    assert_non_null(f);
    fputs("TWTBgarbage", f);
    fclose(f);
    assert_int_equal(run("rules", "load", img, "-d", spec, NULL), TW_EXIT_ERROR);
    unlink(img);
    assert_int_equal(run("rules", "load", "/nonexistent.yaml", "-d", spec, NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "cannot open /nonexistent.yaml"));
}

static void push_alert(uint32_t seq, uint8_t ev_len, uint32_t sid)
{
    struct tw_alert_rec r;
    memset(&r, 0, sizeof r);
    r.seq = seq;
    r.ts = 1700000000123456789ull;
    r.sid = sid;
    r.gid = 1;
    r.rev = 2;
    r.ip_ver = 4;
    r.proto = 6;
    r.ports_v = 1;
    r.src_ip[10] = r.src_ip[11] = 0xff;
    r.src_ip[12] = 10;
    r.src_ip[15] = 1;
    r.dst_ip[10] = r.dst_ip[11] = 0xff;
    r.dst_ip[12] = 203;
    r.dst_ip[15] = 9;
    r.src_port = 5555;
    r.dst_port = 23;
    r.len = 60;
    r.ev_len = ev_len;
    uint8_t ev[TW_AR_MAX_EVIDENCE], b[TW_AR_BYTES + TW_AR_MAX_EVIDENCE];
    memset(ev, 0xee, sizeof ev);
    int n = tw_alert_rec_encode(&r, ev, b, sizeof b);
    assert_true(n > 0);
    fakedev_record(F, TW_DEV_ALERT, b, (size_t)n);
}

static void *interrupt_later(void *arg)
{
    (void)arg;
    usleep(300000);
    kill(getpid(), SIGINT);
    return NULL;
}

static void test_ctrl_c_summary(void **st)
{
    (void)st;
    push_alert(100, 0, 1);
    push_alert(103, 0, 1);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, interrupt_later, NULL), 0);
    assert_int_equal(run("alerts", "-d", spec, NULL), TW_EXIT_OK);
    pthread_join(th, NULL);
    assert_non_null(strstr(errs, "2 alerts received, 2 lost (sequence gaps)"));
    signal(SIGINT, SIG_DFL);
}

static void test_alerts_and_flows(void **st)
{
    (void)st;
    push_alert(0, 60, 1000001);
    push_alert(1, 0, 1000002);
    push_alert(5, 14, 1000003); /* 3 lost */
    char pc[] = "/tmp/tw-dev-cli-pcap-XXXXXX";
    int fd = mkstemp(pc);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(run("alerts", "-d", spec, "--count", "3", "--pcap", pc, NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\"event_type\":\"alert\""));
    assert_non_null(strstr(out, "\"signature_id\":1000003"));
    assert_non_null(strstr(out, "\"src_ip\":\"10.0.0.1\""));
    assert_non_null(strstr(errs, "3 alerts received, 3 lost (sequence gaps)"));
    /* the evidence of the two alerts that carry some */
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(pc, eb);
    assert_non_null(p);
    struct pcap_pkthdr *h;
    const u_char *data;
    int k = 0;
    while (pcap_next_ex(p, &h, &data) == 1) {
        assert_int_equal(h->caplen, k ? 14 : 60);
        assert_int_equal(h->ts.tv_sec, 1700000000);
        assert_int_equal(data[0], 0xee);
        k++;
    }
    assert_int_equal(k, 2);
    pcap_close(p);
    unlink(pc);
    /* text, names from the rule set, and the end by --timeout */
    push_alert(6, 0, 1000004);
    assert_int_equal(run("alerts", "-d", spec, "--text", "--timeout", "1", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "2023-11-14T22:13:20.123456+0000 [1:1000004:2] (rule not in the given rule set) "
                                "{TCP} 10.0.0.1:5555 -> 203.0.0.9:23\n"));
    assert_non_null(strstr(errs, "1 alerts received, 0 lost"));
    /* flows */
    struct tw_flow_rec fr;
    memset(&fr, 0, sizeof fr);
    fr.flow_id = 99;
    fr.ip_ver = 4;
    fr.proto = 17;
    fr.first_ts = fr.last_ts = 1700000000000000000ull;
    uint8_t fb[TW_FR_BYTES];
    tw_flow_rec_encode(&fr, 0, fb, sizeof fb);
    fakedev_record(F, TW_DEV_FLOW, fb, sizeof fb);
    push_alert(7, 0, 1); /* not a flow: skipped by `flows` */
    assert_int_equal(run("flows", "-d", spec, "--count", "1", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\"event_type\":\"flow\""));
    assert_non_null(strstr(out, "\"flow_id\":99"));
    assert_non_null(strstr(errs, "1 flows received, 0 lost"));
    /* --flush: the flush bit set and cleared (a 0 -> 1 edge; the monitor bit kept), the flow records read until the
     * device says the flush is over (REG_STATUS bit 2, 3 reads here) and then ends by itself */
    pthread_mutex_lock(&F->mu);
    F->regs[TW_REG_CONTROL] = TW_CTRL_MONITOR | TW_CTRL_FLUSH; /* a flush bit left set: cleared first */
    F->flush_reads = 3;
    pthread_mutex_unlock(&F->mu);
    for (uint32_t i = 1; i <= 2; i++) {
        fr.flow_id = 100 + i;
        tw_flow_rec_encode(&fr, i, fb, sizeof fb);
        fakedev_record(F, TW_DEV_FLOW, fb, sizeof fb);
    }
    assert_int_equal(run("flows", "-d", spec, "--flush", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "\"flow_id\":101"));
    assert_non_null(strstr(out, "\"flow_id\":102"));
    assert_non_null(strstr(errs, "2 flows received, 0 lost"));
    pthread_mutex_lock(&F->mu);
    assert_int_equal(F->flush_edges, 1);
    assert_int_equal(F->flush_left, 0); /* it waited for the flush to be over */
    assert_int_equal(F->regs[TW_REG_CONTROL], TW_CTRL_MONITOR);
    pthread_mutex_unlock(&F->mu);
    /* --flush whose status read fails mid-wait (the 2nd read, the flush still running): the error is named, the
     * records read before it are kept, and the flush bit is not left set */
    pthread_mutex_lock(&F->mu);
    F->flush_reads = 5;
    F->flush_fail_at = 2;
    pthread_mutex_unlock(&F->mu);
    fr.flow_id = 103;
    tw_flow_rec_encode(&fr, 3, fb, sizeof fb);
    fakedev_record(F, TW_DEV_FLOW, fb, sizeof fb);
    assert_int_equal(run("flows", "-d", spec, "--flush", NULL), tw_cli_exit_for(TW_ERR_DEVICE));
    assert_non_null(strstr(out, "\"flow_id\":103"));
    assert_non_null(strstr(errs, "tapwatch flows: "));
    assert_non_null(strstr(errs, tw_strerror(TW_ERR_DEVICE)));
    assert_non_null(strstr(errs, "1 flows received, 0 lost"));
    pthread_mutex_lock(&F->mu);
    assert_int_equal(F->flush_edges, 2);
    assert_int_equal(F->flush_status_reads, 2); /* it stopped at the failed read */
    assert_int_equal(F->regs[TW_REG_CONTROL], TW_CTRL_MONITOR);
    F->flush_fail_at = 0;
    F->flush_left = 0;
    pthread_mutex_unlock(&F->mu);
    /* --flush on a device without a flow table (CAP_FLOWS 0): a clear error, its control register untouched */
    pthread_mutex_lock(&F->mu);
    F->regs[TW_REG_CAP_FLOWS] = 0;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("flows", "-d", spec, "--flush", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "tapwatch flows: --flush: the device has no flow table"));
    pthread_mutex_lock(&F->mu);
    assert_int_equal(F->flush_edges, 2);
    assert_int_equal(F->regs[TW_REG_CONTROL], TW_CTRL_MONITOR);
    F->regs[TW_REG_CAP_FLOWS] = 4096;
    pthread_mutex_unlock(&F->mu);
    /* the device goes away mid-stream */
    pthread_mutex_lock(&F->mu);
    F->hangup = 1;
    pthread_mutex_unlock(&F->mu);
    assert_int_equal(run("alerts", "-d", spec, "--timeout", "5", NULL), TW_EXIT_NODEV);
    assert_non_null(strstr(errs, "tapwatch alerts: no such device"));
    assert_non_null(strstr(errs, "alerts received"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage),
        cmocka_unit_test(test_no_device),
        cmocka_unit_test(test_info_stats_reg_time),
        cmocka_unit_test(test_rules_load),
        cmocka_unit_test(test_ctrl_c_summary),
        cmocka_unit_test(test_alerts_and_flows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
