/* The real USB backend (host/src/dev_usb.c, libusb-1.0) against a simulated FT2232H: a umockdev testbed whose
 * ioctl handler (tests/usb/fakeftdi.c) answers libusb's usbdevfs ioctls live from the Verilated host link
 * (rtl/tw_link_top.v behind sim/link_chip.c's FT2232H model). Opens by VID/PID, serial and bus/address; checks the
 * chip set-up (reset, purges, latency timer, SET_BITMODE 0x00 then 0x40); reads and writes registers; loads a
 * compiled rule set and checks every table word the device saw; receives alert and flow records through several
 * IN transfers in flight (status bytes stripped); runs the tapwatch CLI binary over the same path (info, reg,
 * alerts); and reports an unplug as TW_ERR_NODEV. The program re-executes itself under the umockdev preload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakeftdi.h"
#include "tapwatch/device.h"
#include "tapwatch/eve.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

#define SERIAL "TW0001"
#define BUS 1
#define ADDR 4

struct fx {
    struct fakeftdi *f;
    struct tw_dev *d;
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof *x);
    if (!x)
        return -1;
    x->f = fakeftdi_new(SERIAL, BUS, ADDR);
    if (!x->f) {
        free(x);
        return -1;
    }
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;
    tw_close(x->d);
    struct tw_link_sys_stats st;
    tw_link_sys_stats(fakeftdi_sys(x->f), &st);
    fakeftdi_free(x->f);
    free(x);
    if (st.violations) {
        fprintf(stderr, "FT245 bus protocol violations: %llu\n", (unsigned long long)st.violations);
        return -1;
    }
    return 0;
}

static void open_dev(struct fx *x, const char *spec)
{
    int rc = tw_open(&x->d, spec);
    if (rc)
        fail_msg("tw_open(%s): %s", spec, tw_strerror(rc));
    assert_int_equal(tw_dev_set_timeout(x->d, 10000), 0);
}

static void test_open_and_setup(void **state)
{
    struct fx *x = *state;
    struct tw_dev *d = NULL;
    /* what does not match */
    assert_int_equal(tw_open(&d, "usb:serial=NOPE"), TW_ERR_NODEV);
    assert_int_equal(tw_open(&d, "usb:bus=2"), TW_ERR_NODEV);
    assert_int_equal(tw_open(&d, "usb:bus=1,addr=5"), TW_ERR_NODEV);
    assert_int_equal(tw_open(&d, "usb:vid=0x1234,pid=0x5678"), TW_ERR_NODEV);
    assert_int_equal(tw_open(&d, "usb:pid=0x6014"), TW_ERR_NODEV); /* an FT232H: not this board */
    assert_null(d);
    /* malformed specs */
    assert_int_equal(tw_open(&d, "usb:"), TW_ERR_INVAL);
    assert_int_equal(tw_open(&d, "usb:serial"), TW_ERR_INVAL);
    assert_int_equal(tw_open(&d, "usb:bus=x"), TW_ERR_INVAL);
    assert_int_equal(tw_open(&d, "usb:bus=300"), TW_ERR_INVAL);
    assert_int_equal(tw_open(&d, "usb:color=red"), TW_ERR_INVAL);
    assert_int_equal(tw_open(&d, "usbx"), TW_ERR_INVAL);
    assert_int_equal(tw_open(&d, "pci:0"), TW_ERR_INVAL);
    /* by serial, then by bus/address, then the first known VID:PID */
    open_dev(x, "usb:serial=" SERIAL);
    assert_non_null(strstr(tw_dev_name(x->d), "0403:6010 serial " SERIAL));
    assert_non_null(strstr(tw_dev_name(x->d), "usb 1-4"));
    uint32_t v;
    assert_int_equal(tw_reg_read(x->d, TW_REG_MAGIC, &v, 1), 0);
    assert_int_equal(v, TW_REG_MAGIC_VALUE);
    tw_close(x->d);
    x->d = NULL;
    struct fakeftdi_stats s;
    fakeftdi_stats(x->f, &s);
    assert_true(s.strings >= 1); /* the serial was read through GET_DESCRIPTOR */
    assert_true(s.resets >= 1);
    assert_true(s.purges_rx >= 1 && s.purges_tx >= 1);
    assert_int_equal(s.last_latency, 2);
    assert_true(s.n_bitmodes >= 3); /* 0x00, 0x40 at open, 0x00 at close */
    assert_int_equal(s.bitmodes[0], 0x00ff);
    assert_int_equal(s.bitmodes[1], 0x40ff);
    assert_int_equal(s.bitmodes[2], 0x00ff);
    if (s.unknown_ioctls)
        fail_msg("unanswered ioctl 0x%lx", s.last_unknown);
    open_dev(x, "usb:bus=1,addr=4");
    assert_int_equal(tw_reg_read(x->d, TW_REG_MAGIC, &v, 1), 0);
    tw_close(x->d);
    x->d = NULL;
    open_dev(x, "usb");
    assert_int_equal(tw_reg_read(x->d, TW_REG_VERSION, &v, 1), 0);
    assert_int_equal(v & 0xffff, TW_PROTO_VERSION);
}

static void test_registers(void **state)
{
    struct fx *x = *state;
    open_dev(x, "usb:serial=" SERIAL);
    uint32_t w = 0xA5A55A5A, r = 0;
    assert_int_equal(tw_reg_write(x->d, TW_REG_SCRATCH, &w, 1), 0);
    assert_int_equal(tw_reg_read(x->d, TW_REG_SCRATCH, &r, 1), 0);
    assert_int_equal(r, w);
    /* a burst of 100 external registers: two frames each way */
    uint32_t vals[100], back[100];
    for (unsigned i = 0; i < 100; i++)
        vals[i] = 0x1000u * i + 7;
    assert_int_equal(tw_reg_write(x->d, TW_REG_EXT_BASE, vals, 100), 0);
    assert_int_equal(tw_reg_read(x->d, TW_REG_EXT_BASE, back, 100), 0);
    assert_memory_equal(vals, back, sizeof vals);
    fakeftdi_lock(x->f);
    assert_int_equal(tw_link_sys_ext_get(fakeftdi_sys(x->f), TW_REG_EXT_BASE + 99), vals[99]);
    fakeftdi_unlock(x->f);
    /* rejected: an unmapped register, a write to a read-only one */
    assert_int_equal(tw_reg_read(x->d, 0x00F0, &r, 1), TW_ERR_DEVICE);
    assert_int_equal(tw_dev_last_status(x->d), TW_ST_BAD_ADDR);
    assert_int_equal(tw_reg_write(x->d, TW_REG_MAGIC, &w, 1), TW_ERR_DEVICE);
    assert_int_equal(tw_dev_last_status(x->d), TW_ST_BAD_ADDR);
    assert_int_equal(tw_reg_read(x->d, TW_REG_SCRATCH, &r, 1), 0);
    assert_int_equal(tw_dev_last_status(x->d), 0);
    /* time and counters */
    assert_int_equal(tw_dev_time_set(x->d, 1700000000000000000ull), 0);
    uint32_t t[2];
    assert_int_equal(tw_reg_read(x->d, TW_REG_TIME_LO, t, 2), 0);
    uint64_t tnow = t[0] | (uint64_t)t[1] << 32;
    assert_true(tnow >= 1700000000000000000ull && tnow < 1700000000000000000ull + 1000000000ull);
    fakeftdi_lock(x->f);
    tw_link_sys_set_counter(fakeftdi_sys(x->f), 3, 0x123456789ull);
    fakeftdi_unlock(x->f);
    uint64_t c[8], ct = 0;
    assert_int_equal(tw_dev_counters(x->d, 0, 8, c, &ct), 0);
    assert_int_equal(c[3], 0x123456789ull);
    assert_true(ct >= 1700000000000000000ull);
    struct tw_dev_stats st;
    tw_dev_stats(x->d, &st);
    assert_int_equal(st.crc_errors + st.hdr_errors + st.frames_lost + st.discarded, 0);
    assert_true(st.usb_packets > 0);
}

static void test_load_rules(void **state)
{
    struct fx *x = *state;
    char err[512];
    struct tw_config *cfg;
    assert_int_equal(tw_config_load("examples/backhaul.yaml", &cfg, err, sizeof err), 0);
    struct tw_compile_opts co = {.oui_registry = "tests/host/data/oui-backhaul.csv", .oui_buckets = 64};
    struct tw_tables *t;
    int rc = tw_compile(cfg, &co, &t, err, sizeof err);
    tw_config_free(cfg);
    if (rc)
        fail_msg("compile: %s", err);
    open_dev(x, "usb:serial=" SERIAL);
    rc = tw_dev_load_tables(x->d, t);
    if (rc)
        fail_msg("load: %s", tw_strerror(rc));
    /* every word the device's table port saw is the image's, at the documented address */
    const struct tw_link_tbl_write *log;
    fakeftdi_lock(x->f);
    size_t n = tw_link_sys_tbl_log(fakeftdi_sys(x->f), &log);
    struct tw_link_sys_stats ls;
    tw_link_sys_stats(fakeftdi_sys(x->f), &ls);
    fakeftdi_unlock(x->f);
    size_t k = 0, expect = 0;
    static const unsigned order[] = {TW_TBL_SETTINGS, TW_TBL_OUI, TW_TBL_PREFIX, TW_TBL_PORT, TW_TBL_RULE};
    for (size_t o = 0; o < 5; o++) {
        unsigned tb = order[o], nw = tw_tbl_words(tb);
        unsigned ne = tb == TW_TBL_SETTINGS ? 1
                      : tb == TW_TBL_OUI    ? TW_OUI_WAYS * 64 * TW_OUI_SLOTS
                      : tb == TW_TBL_PREFIX ? TW_CAP_PREFIXES
                      : tb == TW_TBL_PORT   ? TW_CAP_PORT_RANGES
                                            : TW_CAP_RULES;
        for (unsigned e = 0; e < ne; e++) {
            uint32_t w[16], a;
            assert_int_equal(tw_tbl_entry_words(t, tb, e, w), 0);
            assert_int_equal(tw_tbl_word_addr(t, tb, e, &a), 0);
            for (unsigned i = 0; i < nw; i++, k++) {
                expect++;
                assert_true(k < n);
                assert_int_equal(log[k].id, tb);
                assert_int_equal(log[k].addr, a + i);
                assert_int_equal(log[k].data, w[i]);
            }
        }
    }
    assert_int_equal(n, expect);
    assert_true(ls.commits >= 1);
    assert_int_equal(ls.last_commit_mask, 0x3E);
    /* an OUI entry of way 1 lands at the device's geometry */
    uint32_t a;
    assert_int_equal(tw_tbl_word_addr(t, TW_TBL_OUI, 64 * 2 + 3, &a), 0);
    assert_int_equal(a, ((1u * TW_OUI_BUCKETS + 1) * 2 + 1) * 2);
    tw_tables_free(t);
}

static void make_alert(struct tw_alert_rec *r, uint8_t *ev, uint32_t seq)
{
    memset(r, 0, sizeof *r);
    r->seq = seq;
    r->ts = 1700000000000000000ull + seq * 1000ull;
    r->flow_id = 1000 + seq;
    r->fseq = seq * 3;
    r->len = (uint16_t)(60 + seq % 1400);
    r->port = seq & 1;
    r->ports_v = 1;
    r->ip_ver = 4;
    r->proto = 17;
    r->rule = 2;
    r->sid = 1000002;
    r->rev = 1;
    r->gid = 1;
    r->prio = 2;
    r->src_ip[10] = r->src_ip[11] = 0xff;
    r->src_ip[12] = 10;
    r->src_ip[15] = (uint8_t)seq;
    r->dst_ip[12] = 198;
    r->dst_ip[13] = 51;
    r->dst_ip[14] = 100;
    r->dst_ip[15] = 7;
    r->src_port = 40000;
    r->dst_port = 4789;
    r->vlan_n = 1;
    r->vlan0 = 100;
    r->tun_kind = 6;
    r->tun_id_v = 1;
    r->tun_id = 0xabcdef;
    r->src_vsets = 1;
    r->pkts_toserver = seq;
    r->bytes_toclient = 5ull * seq;
    r->ev_len = (uint8_t)(seq % 129);
    for (unsigned i = 0; i < r->ev_len; i++)
        ev[i] = (uint8_t)(seq + i);
}

static void push_alert(struct fx *x, uint32_t seq)
{
    struct tw_alert_rec r;
    uint8_t ev[TW_AR_MAX_EVIDENCE], buf[TW_AR_BYTES + TW_AR_MAX_EVIDENCE];
    make_alert(&r, ev, seq);
    int n = tw_alert_rec_encode(&r, ev, buf, sizeof buf);
    assert_true(n > 0);
    fakeftdi_lock(x->f);
    assert_int_equal(tw_link_sys_rec_push(fakeftdi_sys(x->f), TW_DEV_ALERT, buf, (unsigned)n), 0);
    fakeftdi_unlock(x->f);
}

static int count_cb(const struct tw_dev_event *ev, void *user)
{
    uint32_t *next = user;
    if (ev->type != TW_EV_ALERT || ev->alert.seq != *next || ev->rec_gap || ev->link_gap)
        return -100;
    struct tw_alert_rec r;
    uint8_t e[TW_AR_MAX_EVIDENCE];
    make_alert(&r, e, *next);
    if (memcmp(&r, &ev->alert, sizeof r) || memcmp(e, ev->evidence, r.ev_len))
        return -101;
    (*next)++;
    return *next == 300 ? 1 : 0;
}

static void test_alerts_and_flows(void **state)
{
    struct fx *x = *state;
    open_dev(x, "usb:serial=" SERIAL);
    /* records paced below the link's rate (a 250-byte record frame takes ~800 core clocks at 40 MB/s), so none
     * is dropped (test_dev_link covers the drops) */
    fakeftdi_lock(x->f);
    tw_link_sys_set_rec_gap(fakeftdi_sys(x->f), 1000);
    fakeftdi_unlock(x->f);
    /* blocking reads */
    for (uint32_t s = 0; s < 40; s++)
        push_alert(x, s);
    struct tw_flow_rec fr = {.flow_id = 77, .ip_ver = 6, .proto = 6, .vlan = 12, .cli_port = 1234, .srv_port = 443,
                             .pkts_toserver = 10, .pkts_toclient = 9, .bytes_toserver = 1000, .bytes_toclient = 9000,
                             .first_ts = 5, .last_ts = 6, .tcp_flags_ts = 0x1b, .tcp_flags_tc = 0x12, .state = 2,
                             .reason = TW_FR_EVICTED, .alerted = 1};
    fr.cli_ip[0] = 0x20;
    fr.srv_ip[15] = 1;
    uint8_t fb[TW_FR_BYTES];
    assert_int_equal(tw_flow_rec_encode(&fr, 0, fb, sizeof fb), TW_FR_BYTES);
    fakeftdi_lock(x->f);
    assert_int_equal(tw_link_sys_rec_push(fakeftdi_sys(x->f), TW_DEV_FLOW, fb, TW_FR_BYTES), 0);
    fakeftdi_unlock(x->f);
    struct tw_dev_event *ev = malloc(sizeof *ev);
    assert_non_null(ev);
    for (uint32_t s = 0; s < 40; s++) {
        int rc = tw_dev_read_event(x->d, ev, 10000);
        if (rc)
            fail_msg("alert %u: %s", s, tw_strerror(rc));
        if (ev->type == TW_EV_ERROR)
            fail_msg("device error report: code %u count %u", ev->error.code, ev->error.count);
        assert_int_equal(ev->type, TW_EV_ALERT);
        struct tw_alert_rec r;
        uint8_t e[TW_AR_MAX_EVIDENCE];
        make_alert(&r, e, s);
        assert_memory_equal(&r, &ev->alert, sizeof r);
        assert_memory_equal(e, ev->evidence, r.ev_len);
        assert_int_equal(ev->rec_gap, 0);
    }
    assert_int_equal(tw_dev_read_event(x->d, ev, 10000), 0);
    if (ev->type == TW_EV_ERROR)
        fail_msg("device error report: code %u count %u total %u", ev->error.code, ev->error.count, ev->error.total);
    assert_int_equal(ev->type, TW_EV_FLOW);
    assert_memory_equal(&ev->flow, &fr, sizeof fr);
    /* the EVE form names nothing without tables but carries the record */
    /* nothing more: a timeout */
    assert_int_equal(tw_dev_read_event(x->d, ev, 50), TW_ERR_TIMEOUT);
    /* the callback API, records streaming while the host reads */
    for (uint32_t s = 40; s < 300; s++)
        push_alert(x, s);
    uint32_t next = 40;
    int rc = tw_dev_stream(x->d, count_cb, &next, 20000, NULL);
    assert_int_equal(rc, 1);
    assert_int_equal(next, 300);
    struct tw_dev_stats st;
    tw_dev_stats(x->d, &st);
    assert_int_equal(st.alerts, 300);
    assert_int_equal(st.flows, 1);
    assert_int_equal(st.alerts_lost + st.flows_lost + st.frames_lost + st.crc_errors + st.bad_records, 0);
    struct fakeftdi_stats fs;
    fakeftdi_stats(x->f, &fs);
    assert_true(fs.in_urbs > 4);      /* transfers were resubmitted */
    assert_true(fs.status_only > 0);  /* latency-timer packets with status bytes only were stripped */
    assert_true(fs.in_packets > fs.in_urbs); /* multi-packet transfers */
    free(ev);
}

static void test_unplug(void **state)
{
    struct fx *x = *state;
    open_dev(x, "usb:serial=" SERIAL);
    push_alert(x, 0);
    struct tw_dev_event *ev = malloc(sizeof *ev);
    assert_non_null(ev);
    assert_int_equal(tw_dev_read_event(x->d, ev, 10000), 0);
    fakeftdi_unplug(x->f);
    assert_int_equal(tw_dev_read_event(x->d, ev, 2000), TW_ERR_NODEV);
    uint32_t v;
    assert_int_equal(tw_reg_read(x->d, TW_REG_MAGIC, &v, 1), TW_ERR_NODEV);
    assert_int_equal(tw_dev_time_set(x->d, 1), TW_ERR_NODEV);
    free(ev);
}

/* Runs the tapwatch CLI binary as a child (it inherits the preload and the testbed's environment: its libusb
 * talks to this process's ioctl handler); returns the exit status, output in out. */
static int run_cli(char *out, size_t cap, const char *const *args)
{
    char path[] = "/tmp/tw-usb-cli-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)"build/tapwatch";
    for (; args[n - 1] && n < 15; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    lseek(fd, 0, SEEK_SET);
    ssize_t k = read(fd, out, cap - 1);
    out[k > 0 ? k : 0] = 0;
    close(fd);
    unlink(path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli_over_usb(void **state)
{
    struct fx *x = *state;
    char out[8192];
    static const char *const info[] = {"info", "-d", "usb:serial=" SERIAL, NULL};
    int rc = run_cli(out, sizeof out, info);
    if (rc)
        fail_msg("tapwatch info: exit %d: %s", rc, out);
    assert_non_null(strstr(out, "usb 1-4 0403:6010 serial " SERIAL));
    assert_non_null(strstr(out, "protocol      1.0"));
    static const char *const wr[] = {"reg", "write", "0x12", "0x5eed", "-d", "usb", NULL};
    assert_int_equal(run_cli(out, sizeof out, wr), 0);
    static const char *const rd[] = {"reg", "read", "0x12", "-d", "usb:bus=1,addr=4", NULL};
    assert_int_equal(run_cli(out, sizeof out, rd), 0);
    assert_string_equal(out, "0x0012 0x00005eed\n");
    fakeftdi_lock(x->f);
    tw_link_sys_set_rec_gap(fakeftdi_sys(x->f), 1000);
    fakeftdi_unlock(x->f);
    for (uint32_t s = 0; s < 3; s++)
        push_alert(x, s);
    static const char *const al[] = {"alerts", "--text", "--count", "3", "-d", "usb:serial=" SERIAL, NULL};
    rc = run_cli(out, sizeof out, al);
    if (rc)
        fail_msg("tapwatch alerts: exit %d: %s", rc, out);
    assert_non_null(strstr(out, "[1:1000002:1] (rule not in the given rule set) {UDP} 10.0.0.2:40000 -> "
                                "198.51.100.7:4789"));
    assert_non_null(strstr(out, "3 alerts received, 0 lost"));
    static const char *const nodev[] = {"info", "-d", "usb:serial=OTHER", NULL};
    assert_int_equal(run_cli(out, sizeof out, nodev), 4);
}

int main(int argc, char **argv)
{
    fakeftdi_reexec(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_and_setup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_load_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_and_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_over_usb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unplug, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
