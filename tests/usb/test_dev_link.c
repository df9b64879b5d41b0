/* Fault injection on the link model (issue 5 item 9): libtapwatch's device layer (host/src/dev.c, through
 * tw_open_ops) reads the Verilated host link (sim/link_chip.h) while the byte stream from the device is damaged:
 * corrupted, dropped and duplicated bytes, a disconnect mid-stream, and a host that stalls until the device's FIFOs
 * overflow. Each time the library reports the damage (CRC/header errors, resyncs, gaps), resynchronises (commands
 * still work, later records arrive), and accounts for every lost alert: received + lost = sent, and after a stall
 * the alerts lost by sequence number = the link's frames lost = the device's drop counter REG_LINK_TX_DROPS = the
 * drops the device reported in DEV_ERROR frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "link_chip.h"
#include "tapwatch/device.h"

enum fault { F_NONE, F_FLIP, F_DROP, F_DUP };

struct lnk {
    struct tw_link_sys *s;
    enum fault fault;
    uint64_t every;      /* damage byte k * every + every / 2 of the IN stream */
    uint64_t in_bytes;   /* IN bytes delivered so far (before damage) */
    uint64_t faults;     /* damaged bytes */
    uint64_t cut_after;  /* 0, or: the device disappears after this many IN bytes */
    int gone;
    uint8_t spare;       /* a duplicated byte waiting to go out */
    int have_spare;
};

static int l_write(void *ctx, const uint8_t *p, size_t n, int timeout_ms)
{
    (void)timeout_ms;
    struct lnk *l = ctx;
    if (l->gone)
        return TW_ERR_NODEV;
    return tw_link_sys_host_write(l->s, p, n) ? TW_ERR_NOMEM : 0;
}

static int l_read(void *ctx, uint8_t *p, size_t cap, int timeout_ms)
{
    struct lnk *l = ctx;
    if (l->gone)
        return TW_ERR_NODEV;
    /* simulated time stands in for the wait: 30 us per millisecond asked, enough for the link to answer */
    uint64_t budget = (uint64_t)(timeout_ms > 0 ? timeout_ms : 1) * 1800;
    while (!tw_link_sys_host_avail(l->s) && budget) {
        tw_link_sys_run(l->s, 600);
        budget = budget > 600 ? budget - 600 : 0;
    }
    uint8_t tmp[4096];
    size_t want = cap / 2 < sizeof tmp ? cap / 2 : sizeof tmp; /* room for duplicates */
    size_t n = tw_link_sys_host_read(l->s, tmp, want), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (l->cut_after && l->in_bytes >= l->cut_after) {
            l->gone = 1;
            break;
        }
        uint64_t k = l->in_bytes++;
        uint8_t b = tmp[i];
        if (l->fault != F_NONE && l->every && k % l->every == l->every / 2) {
            l->faults++;
            if (l->fault == F_FLIP)
                b ^= 0x5a;
            else if (l->fault == F_DROP)
                continue;
            else
                p[o++] = b;
        }
        p[o++] = b;
    }
    if (!o && l->gone)
        return TW_ERR_NODEV;
    return (int)o;
}

static void l_close(void *ctx)
{
    struct lnk *l = ctx;
    tw_link_sys_free(l->s);
    free(l);
}

static struct tw_dev *open_link(struct lnk **out)
{
    struct lnk *l = calloc(1, sizeof *l);
    assert_non_null(l);
    l->s = tw_link_sys_new(NULL);
    assert_non_null(l->s);
    struct tw_dev_ops ops = {l_write, l_read, l_close};
    struct tw_dev *d;
    assert_int_equal(tw_open_ops(&d, &ops, l, "link model"), 0);
    assert_string_equal(tw_dev_name(d), "link model");
    assert_int_equal(tw_dev_set_timeout(d, 200), 0);
    *out = l;
    return d;
}

static void push_alerts(struct lnk *l, uint32_t first, uint32_t n)
{
    uint8_t buf[TW_AR_BYTES + TW_AR_MAX_EVIDENCE];
    for (uint32_t s = first; s < first + n; s++) {
        struct tw_alert_rec r;
        memset(&r, 0, sizeof r);
        r.seq = s;
        r.ts = 1000ull * s;
        r.sid = 7000 + s % 5;
        r.ip_ver = 4;
        r.ev_len = (uint8_t)(s % 100);
        uint8_t ev[TW_AR_MAX_EVIDENCE];
        memset(ev, (int)(s & 0xff), sizeof ev);
        int k = tw_alert_rec_encode(&r, ev, buf, sizeof buf);
        assert_true(k > 0);
        assert_int_equal(tw_link_sys_rec_push(l->s, TW_DEV_ALERT, buf, (unsigned)k), 0);
    }
}

/* Reads events until `idle` consecutive timeouts; checks every alert's content; returns alerts received. */
static uint32_t drain(struct tw_dev *d, uint32_t *last_seq, uint64_t *tx_drop_reports)
{
    struct tw_dev_event *ev = malloc(sizeof *ev);
    assert_non_null(ev);
    uint32_t got = 0;
    int idle = 0;
    while (idle < 3) {
        int rc = tw_dev_read_event(d, ev, 20);
        if (rc == TW_ERR_TIMEOUT) {
            idle++;
            continue;
        }
        assert_int_equal(rc, 0);
        idle = 0;
        if (ev->type == TW_EV_ERROR) {
            if (ev->error.code == TW_EC_TX_DROP && tx_drop_reports)
                *tx_drop_reports += ev->error.count;
            continue;
        }
        assert_int_equal(ev->type, TW_EV_ALERT);
        assert_int_equal(ev->alert.sid, 7000 + ev->alert.seq % 5);
        assert_int_equal(ev->alert.ts, 1000ull * ev->alert.seq);
        assert_int_equal(ev->alert.ev_len, ev->alert.seq % 100);
        for (unsigned i = 0; i < ev->alert.ev_len; i++)
            assert_int_equal(ev->evidence[i], ev->alert.seq & 0xff);
        if (last_seq)
            *last_seq = ev->alert.seq;
        got++;
    }
    free(ev);
    return got;
}

static void damaged(enum fault f)
{
    struct lnk *l;
    struct tw_dev *d = open_link(&l);
    tw_link_sys_set_rec_gap(l->s, 1000);
    l->fault = f;
    l->every = 2003; /* about one frame in 12 (records of 122..221 bytes + 9) */
    const uint32_t n = 400;
    push_alerts(l, 0, n);
    uint32_t last = 0;
    uint32_t got = drain(d, &last, NULL);
    struct tw_dev_stats st;
    tw_dev_stats(d, &st);
    assert_true(l->faults > 10);
    /* each damaged byte cost exactly the frame it was in */
    assert_int_equal(got + st.alerts_lost, n - (last == n - 1 ? 0 : n - 1 - last));
    assert_int_equal(st.alerts_lost, st.frames_lost);
    assert_true(st.alerts_lost >= l->faults - 1 && st.alerts_lost <= l->faults);
    assert_true(st.resyncs > 0);
    if (f == F_FLIP)
        assert_true(st.crc_errors + st.hdr_errors > 0);
    /* the link still carries commands */
    l->fault = F_NONE;
    uint32_t v = 0;
    assert_int_equal(tw_reg_read(d, TW_REG_MAGIC, &v, 1), 0);
    assert_int_equal(v, TW_REG_MAGIC_VALUE);
    tw_close(d);
}

static void test_corrupted(void **st) { (void)st; damaged(F_FLIP); }
static void test_dropped(void **st) { (void)st; damaged(F_DROP); }
static void test_duplicated(void **st) { (void)st; damaged(F_DUP); }

static void test_disconnect(void **st)
{
    (void)st;
    struct lnk *l;
    struct tw_dev *d = open_link(&l);
    tw_link_sys_set_rec_gap(l->s, 1000);
    l->cut_after = 5000;
    push_alerts(l, 0, 100);
    struct tw_dev_event *ev = malloc(sizeof *ev);
    assert_non_null(ev);
    int rc, n = 0;
    while ((rc = tw_dev_read_event(d, ev, 200)) == 0)
        n++;
    assert_int_equal(rc, TW_ERR_NODEV);
    assert_true(n > 10 && n < 100);
    assert_int_equal(tw_dev_read_event(d, ev, 10), TW_ERR_NODEV);
    uint32_t v;
    assert_int_equal(tw_reg_read(d, TW_REG_MAGIC, &v, 1), TW_ERR_NODEV);
    assert_int_equal(tw_dev_commit(d, 1), TW_ERR_NODEV);
    free(ev);
    tw_close(d);
}

static void test_stall_overflow(void **st)
{
    (void)st;
    struct lnk *l;
    struct tw_dev *d = open_link(&l);
    uint32_t v = 0;
    assert_int_equal(tw_reg_read(d, TW_REG_LINK_TX_DROPS, &v, 1), 0);
    assert_int_equal(v, 0);
    /* the host stops reading; records come every 100 core clocks, far faster than the link */
    tw_link_sys_set_stall(l->s, 1);
    tw_link_sys_set_rec_gap(l->s, 100);
    const uint32_t n = 600;
    push_alerts(l, 0, n);
    tw_link_sys_run(l->s, 60000);
    tw_link_sys_set_stall(l->s, 0);
    /* ten more after the stall, paced: the tail shows where the sequence ends */
    tw_link_sys_set_rec_gap(l->s, 1000);
    push_alerts(l, n, 10);
    uint64_t reported = 0;
    uint32_t last = 0;
    uint32_t got = drain(d, &last, &reported);
    assert_int_equal(last, n + 9);
    struct tw_dev_stats s;
    tw_dev_stats(d, &s);
    assert_int_equal(tw_reg_read(d, TW_REG_LINK_TX_DROPS, &v, 1), 0);
    assert_true(v > 100); /* most were dropped */
    assert_int_equal(got + s.alerts_lost, n + 10);
    assert_int_equal(s.alerts_lost, v);
    assert_int_equal(s.frames_lost, v);
    /* the device's reports catch up within ERR_GAP: read once more after a pause */
    tw_link_sys_run(l->s, 20000);
    drain(d, NULL, &reported);
    tw_dev_stats(d, &s);
    assert_int_equal(s.dev_tx_drops, v);
    assert_int_equal(reported, v);
    assert_int_equal(s.crc_errors + s.hdr_errors + s.discarded, 0);
    tw_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corrupted),
        cmocka_unit_test(test_dropped),
        cmocka_unit_test(test_duplicated),
        cmocka_unit_test(test_disconnect),
        cmocka_unit_test(test_stall_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
