/* `tapwatch-sim serve` driven over its sockets: register reads over the host link, frames injected on PATH.frames
 * with an end of input answered by "done", the frame counters read back, a malformed injection message refused
 * (connection closed, the device still serves), clean exit when the host closes and on SIGTERM (sockets removed).
 * And the simulated device itself (sim/twdev.h): twdev_flush called right after the last frame was pushed still
 * reports every flow (regression: the flush once overtook records still in the parser). */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "frames.h"
#include "tapwatch/device.h"
#include "tapwatch/proto.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_protocol.h"
#include "tapwatch/tw_regs.h"
#include "twdev.h"

#ifndef TAPWATCH_SIM_BIN
#define TAPWATCH_SIM_BIN "build/tapwatch-sim"
#endif

struct srv {
    pid_t pid;
    char path[108], fpath[120];
};

static int connect_to(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    for (int i = 0; i < 600; i++) { /* the model is created before the sockets exist: up to 60 s */
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        assert_true(fd >= 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
            return fd;
        close(fd);
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
    }
    fail_msg("cannot connect to %s", path);
    return -1;
}

static void srv_start(struct srv *s)
{
    snprintf(s->path, sizeof s->path, "/tmp/twserve-%d.sock", (int)getpid());
    snprintf(s->fpath, sizeof s->fpath, "%s.frames", s->path);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        execl(TAPWATCH_SIM_BIN, "tapwatch-sim", "serve", "--socket", s->path, (char *)NULL);
        _exit(127);
    }
}

static int srv_wait(struct srv *s)
{
    int st = 0;
    for (int i = 0; i < 300; i++) {
        pid_t r = waitpid(s->pid, &st, WNOHANG);
        if (r == s->pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &st, 0);
    fail_msg("serve did not exit");
    return -1;
}

static void send_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        assert_true(w > 0);
        b += w;
        n -= (size_t)w;
    }
}

/* reads from fd into the decoder until a frame of `type` arrives (timeout 60 s) */
static void read_frame(int fd, struct tw_proto_dec *dec, uint8_t type, struct tw_proto_frame *f)
{
    for (int i = 0; i < 600; i++) {
        while (tw_proto_dec_next(dec, f) == 1)
            if (f->type == type)
                return;
        struct pollfd q = {fd, POLLIN, 0};
        if (poll(&q, 1, 100) > 0) {
            uint8_t b[4096];
            ssize_t n = read(fd, b, sizeof b);
            assert_true(n > 0);
            assert_int_equal(tw_proto_dec_push(dec, b, (size_t)n), 0);
        }
    }
    fail_msg("no frame of type %u", type);
}

static void reg_read(int fd, struct tw_proto_dec *dec, uint16_t seq, uint16_t addr, uint16_t count, uint32_t *v)
{
    uint8_t b[64];
    int n = tw_proto_enc_reg_read(seq, addr, count, b, sizeof b);
    assert_true(n > 0);
    send_all(fd, b, (size_t)n);
    struct tw_proto_frame f;
    read_frame(fd, dec, TW_DEV_RESP, &f);
    struct tw_proto_resp r;
    assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
    assert_int_equal(r.status, TW_ST_OK);
    assert_int_equal(r.cmd_seq, seq);
    memcpy(v, r.vals, count * sizeof(uint32_t));
}

static void put_hdr(uint8_t h[16], uint8_t type, uint8_t port, uint32_t len, uint64_t ts)
{
    memset(h, 0, 16);
    h[0] = type;
    h[1] = port;
    for (unsigned k = 0; k < 4; k++)
        h[4 + k] = (uint8_t)(len >> (8 * k));
    for (unsigned k = 0; k < 8; k++)
        h[8 + k] = (uint8_t)(ts >> (8 * k));
}

static void test_serve(void **st)
{
    (void)st;
    struct srv s;
    srv_start(&s);
    int c = connect_to(s.path);
    int x = connect_to(s.fpath);
    struct tw_proto_dec *dec = NULL;
    assert_int_equal(tw_proto_dec_new(&dec, TW_PROTO_DEV_TO_HOST), 0);
    uint32_t v[2];
    reg_read(c, dec, 1, TW_REG_MAGIC, 1, v);
    assert_int_equal(v[0], TW_REG_MAGIC_VALUE);

    /* 10 frames on A, 5 on B, then end of input */
    for (unsigned i = 0; i < 15; i++) {
        struct twf f;
        twf_init(&f);
        twf_eth(&f, 0x020000000001ull, 0x020000000002ull, 0x0800);
        twf_ipv4(&f, &(struct twf_ip4){.proto = 17, .ttl = 64, .src = 0x0a000001 + i, .dst = 0x0a000002});
        twf_udp(&f, 1000, 2000);
        twf_payload(&f, 30, (uint8_t)i);
        twf_end(&f);
        twf_pad(&f, 60);
        uint8_t h[16];
        put_hdr(h, 1, i < 10 ? 0 : 1, (uint32_t)f.n, 1000 + i);
        send_all(x, h, 16);
        send_all(x, f.b, f.n);
    }
    uint8_t h[16], done[16];
    put_hdr(h, 2, 0, 0, 0);
    send_all(x, h, 16);
    size_t got = 0;
    for (int i = 0; i < 600 && got < 16; i++) {
        struct pollfd q = {x, POLLIN, 0};
        if (poll(&q, 1, 100) > 0) {
            ssize_t n = read(x, done + got, 16 - got);
            assert_true(n > 0);
            got += (size_t)n;
        }
    }
    assert_int_equal(got, 16);
    assert_int_equal(done[0], 3);
    assert_int_equal(done[8], 15);

    reg_read(c, dec, 2, (uint16_t)(TW_REG_CNT_BASE + 2 * TW_CNT_FRAMES), 1, v);
    assert_int_equal(v[0], 10);
    reg_read(c, dec, 3, (uint16_t)(TW_REG_CNT_BASE + 2 * (TW_CNT_PER_PORT + TW_CNT_FRAMES)), 1, v);
    assert_int_equal(v[0], 5);
    reg_read(c, dec, 4, (uint16_t)(TW_REG_CNT_BASE + 2 * TW_CNT_DET_RECORDS), 1, v);
    assert_int_equal(v[0], 15);

    /* a malformed message (port 7) closes the injection connection; the host link still works */
    put_hdr(h, 1, 7, 60, 0);
    send_all(x, h, 16);
    uint8_t one;
    ssize_t n = -1;
    for (int i = 0; i < 100; i++) {
        struct pollfd q = {x, POLLIN, 0};
        if (poll(&q, 1, 100) > 0) {
            n = read(x, &one, 1);
            break;
        }
    }
    assert_int_equal(n, 0);
    close(x);
    reg_read(c, dec, 5, TW_REG_MAGIC, 1, v);
    assert_int_equal(v[0], TW_REG_MAGIC_VALUE);

    /* the host closes: the server exits 0 and removes its sockets */
    close(c);
    assert_int_equal(srv_wait(&s), 0);
    struct stat sb;
    assert_int_equal(stat(s.path, &sb), -1);
    assert_int_equal(stat(s.fpath, &sb), -1);
    tw_proto_dec_free(dec);
}

/* ---------------------------------------------------------------- twdev_flush right after the last frame */
/* The library on the simulated device's byte streams, in-process: a read runs the model until bytes come (or a
 * budget of clocks passes: then 0, "nothing in time"). */
static int td_write(void *ctx, const uint8_t *p, size_t n, int timeout_ms)
{
    (void)timeout_ms;
    return twdev_host_write(ctx, p, n) == 0 ? 0 : TW_ERR_NOMEM;
}
static int td_read(void *ctx, uint8_t *p, size_t cap, int timeout_ms)
{
    struct twdev *d = ctx;
    (void)timeout_ms;
    if (!twdev_host_avail(d))
        twdev_run_until_avail(d, 1, 400000);
    return (int)twdev_host_read(d, p, cap);
}

static void test_flush_right_after_frames(void **st)
{
    (void)st;
    struct twdev_cfg cfg;
    twdev_cfg_default(&cfg);
    cfg.syncff = 1;
    cfg.latency_ms = 1;
    struct twdev *d = NULL;
    assert_int_equal(twdev_new(&d, &cfg), 0);
    /* 12 frames of 6 UDP flows, the last frame a flow of its own, pushed at once; the flush right after them */
    enum { NF = 12 };
    for (unsigned i = 0; i < NF; i++) {
        struct twf f;
        twf_init(&f);
        twf_eth(&f, 0x020000000001ull, 0x020000000002ull, 0x0800);
        unsigned flow = i < NF - 1 ? i % 5 : 5;
        twf_ipv4(&f, &(struct twf_ip4){.proto = 17, .ttl = 64, .src = 0x0a000001 + flow, .dst = 0x0a000002});
        twf_udp(&f, (uint16_t)(1000 + flow), 2000);
        twf_payload(&f, 30, (uint8_t)i);
        twf_end(&f);
        twf_pad(&f, 60);
        assert_int_equal(twdev_push_frame(d, TWDEV_PORT_A, 1000000000ull + 1000000ull * i, f.b, f.n, 0), 0);
    }
    assert_int_equal(twdev_flush(d), 0);
    assert_int_equal(twdev_run_idle(d, 20000000ull), 0);
    assert_int_equal(twdev_frames_pending(d), 0);

    struct tw_dev *h = NULL;
    static const struct tw_dev_ops ops = {td_write, td_read, NULL};
    assert_int_equal(tw_open_ops(&h, &ops, d, "twdev"), 0);
    uint64_t cnt[TW_CNT_TOTAL];
    assert_int_equal(tw_dev_counters(h, 0, TW_CNT_TOTAL, cnt, NULL), 0);
    struct tw_dev_event *ev = malloc(sizeof *ev);
    assert_non_null(ev);
    uint64_t flows = 0, pkts = 0, last_flow_pkts = 0;
    while (tw_dev_read_event(h, ev, 0) == 0) {
        if (ev->type != TW_EV_FLOW)
            continue;
        flows++;
        pkts += ev->flow.pkts_toserver + ev->flow.pkts_toclient;
        if (ev->flow.cli_port == 1005 || ev->flow.srv_port == 1005)
            last_flow_pkts = ev->flow.pkts_toserver + ev->flow.pkts_toclient;
        assert_int_equal(ev->flow.reason, TW_FLOW_SHUTDOWN);
    }
    print_message("flush: flows created %llu, flow records %llu (%llu packets)\n",
                  (unsigned long long)cnt[TW_CNT_FL_CREATED], (unsigned long long)flows, (unsigned long long)pkts);
    assert_int_equal(cnt[TW_CNT_FRAMES], NF);
    assert_int_equal(cnt[TW_CNT_FL_CREATED], 6);
    assert_int_equal(flows, 6);                /* the last frame's flow too */
    assert_int_equal(cnt[TW_CNT_REC_FLOWS], 6);
    assert_int_equal(pkts, NF);                /* every frame counted in a reported flow */
    assert_int_equal(last_flow_pkts, 1);
    free(ev);
    tw_close(h);
    struct twdev_stats ds;
    twdev_stats(d, &ds);
    assert_int_equal(ds.violations, 0);
    assert_int_equal(ds.lost_events, 0);
    twdev_free(d);
}

static void test_sigterm_and_usage(void **st)
{
    (void)st;
    struct srv s;
    srv_start(&s);
    int c = connect_to(s.path);
    kill(s.pid, SIGTERM);
    assert_int_equal(srv_wait(&s), 0);
    close(c);
    struct stat sb;
    assert_int_equal(stat(s.path, &sb), -1);

    /* usage errors: no socket, bad speed */
    pid_t p = fork();
    if (p == 0) {
        execl(TAPWATCH_SIM_BIN, "tapwatch-sim", "serve", "--speed", "fast", "--socket", "/tmp/x.sock", (char *)NULL);
        _exit(127);
    }
    int stt;
    waitpid(p, &stt, 0);
    assert_int_equal(WEXITSTATUS(stt), 1);
    p = fork();
    if (p == 0) {
        execl(TAPWATCH_SIM_BIN, "tapwatch-sim", "serve", "--pcap-a", "/nonexistent.pcap", "--socket", "/tmp/x.sock",
              (char *)NULL);
        _exit(127);
    }
    waitpid(p, &stt, 0);
    assert_int_equal(WEXITSTATUS(stt), 2);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serve),
        cmocka_unit_test(test_sigterm_and_usage),
        cmocka_unit_test(test_flush_right_after_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
