/* The device layer (host/src/dev*.c, proto.c) when memory runs out: a whole session against the software device of
 * fakedev.h (open, load the tables, more records than the event queue's first allocation holds, the callback API,
 * statistics, close) is repeated with the k-th allocation of the library failing, for every k (tests/common/
 * failalloc.h; host/host.mk links the wrappers); only the test thread's allocations are counted, not the fakedev
 * thread's.
 * Every run must end in one of two ways, never silently: a call returns TW_ERR_NOMEM, or the events that could not
 * be queued are counted (queue_drops) and every other event is delivered, so that generated = delivered + counted
 * drops. Under ASan the leak checker covers every failure path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dev_frames.h"
#include "dev_oom.h"
#include "dev_rules.h"
#include "failalloc.h"
#include "fakedev.h"
#include "tapwatch/device.h"
#include "tapwatch/error.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

/* ---- one session ---- */
#define N_ALERTS 150 /* more than the event queue's first allocation holds (64 events): it must grow */
#define N_FLOWS 3
#define N_EVENTS (N_ALERTS + N_FLOWS)

struct outcome {
    struct dev_oom r;   /* errors noted, events read */
    int loaded;         /* the device was opened and its tables loaded */
    unsigned leaked;    /* blocks the library allocated in the session and did not free */
    uint64_t queue_drops;
    uint64_t alerts, flows; /* the statistics' record counts */
};

static int count_cb(const struct tw_dev_event *ev, void *user)
{
    (void)ev;
    unsigned *n = user;
    ++*n;
    return 0;
}

static void queue_records(struct fakedev *f)
{
    uint8_t b[TW_AR_BYTES + TW_AR_MAX_EVIDENCE];
    struct tw_alert_rec r;
    memset(&r, 0, sizeof r);
    for (uint32_t i = 0; i < N_ALERTS; i++) {
        r.seq = i;
        r.ev_len = 8;
        int n = tw_alert_rec_encode(&r, (const uint8_t *)"evidence", b, sizeof b);
        assert_true(n > 0);
        fakedev_record(f, TW_DEV_ALERT, b, (size_t)n);
    }
    struct tw_flow_rec fr;
    memset(&fr, 0, sizeof fr);
    uint8_t fb[TW_FR_BYTES];
    for (uint32_t i = 0; i < N_FLOWS; i++) {
        assert_int_equal(tw_flow_rec_encode(&fr, i, fb, sizeof fb), (int)sizeof fb);
        fakedev_record(f, TW_DEV_FLOW, fb, sizeof fb);
    }
    /* every byte in the socket before the host reads: its first read (16 KiB) then takes about 118 records at once,
     * so the queue grows in every run, whatever the timing */
    for (int i = 0; i < 5000; i++) {
        pthread_mutex_lock(&f->mu);
        size_t left = f->out_len;
        pthread_mutex_unlock(&f->mu);
        if (!left)
            return;
        usleep(1000);
    }
    fail_msg("the software device did not send its records");
}

/* The session with the k-th allocation failing (k = 0: none); *allocs = the allocations it made. */
static void session(const struct tw_tables *t, unsigned long k, struct outcome *o, unsigned long *allocs)
{
    memset(o, 0, sizeof *o);
    struct fakedev *f = fakedev_start();
    assert_non_null(f);
    char spec[160];
    fakedev_spec(f, spec, sizeof spec);
    struct tw_dev *d = NULL;
    failalloc_start(k);
    if (dev_oom_note(&o->r, tw_open(&d, spec)))
        goto out;
    assert_non_null(d);
    tw_dev_set_timeout(d, 2000);
    if (dev_oom_note(&o->r, tw_dev_load_tables(d, t)))
        goto out;
    failalloc_pause();
    queue_records(f);
    failalloc_resume();
    /* the first half one by one, the rest through the callback API; after a failure the records left are read with
     * allocations working again: none may be missing */
    o->loaded = 1;
    dev_oom_read(d, &o->r, N_EVENTS / 2, 2000, count_cb, 200, TW_ERR_TIMEOUT); /* the stream ends when idle 200 ms */
    struct tw_dev_event ev;
    failalloc_pause();
    while (tw_dev_read_event(d, &ev, 200) == 0)
        o->r.delivered++;
out:
    failalloc_pause();
    if (d) {
        struct tw_dev_stats s;
        tw_dev_stats(d, &s);
        o->queue_drops = s.queue_drops;
        o->alerts = s.alerts;
        o->flows = s.flows;
    }
    *allocs = failalloc_count();
    tw_close(d); /* paused: its frees are still seen */
    fakedev_stop(f);
    o->leaked = failalloc_live();
}

static void test_every_allocation_fails_in_turn(void **st)
{
    (void)st;
    char err[512];
    struct tw_tables *t = twt_compile(TWT_DEV_CONFIG, TWT_DEV_RULES, "oom", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    struct outcome o;
    unsigned long total;
    session(t, 0, &o, &total);
    /* the reference session: everything delivered, nothing dropped */
    assert_int_equal(o.r.nomem, 0);
    assert_int_equal(o.r.other_error, 0);
    assert_int_equal(o.r.delivered, N_EVENTS);
    assert_int_equal(o.queue_drops, 0);
    assert_int_equal(o.leaked, 0);
    assert_int_equal(o.alerts, N_ALERTS);
    assert_int_equal(o.flows, N_FLOWS);
    /* open: the transport and its name, the handle, its name, the queue, the decoder and its buffer (7); the queue
     * grown once (the first 16 KiB read holds ~118 records); the stream's event: 9. Reading allocates nothing else:
     * the decoder's buffer never grows (dev.c's pump), so no byte read can be lost to a failed allocation. */
    assert_int_equal(total, 9);
    unsigned nomem = 0, dropped = 0;
    for (unsigned long k = 1; k <= total; k++) {
        unsigned long allocs;
        session(t, k, &o, &allocs);
        assert_true(allocs >= k); /* the k-th allocation was reached, so it failed */
        if (o.r.other_error)
            fail_msg("allocation %lu of %lu: error %d (%s)", k, total, o.r.other_error, tw_strerror(o.r.other_error));
        if (o.leaked)
            fail_msg("allocation %lu of %lu: %u blocks leaked", k, total, o.leaked);
        /* once records flow, nothing is lost: every event is delivered or counted, even after a failed call */
        if (o.loaded && (o.r.delivered + o.queue_drops != N_EVENTS || o.alerts + o.flows + o.queue_drops != N_EVENTS))
            fail_msg("allocation %lu of %lu: %u delivered + %llu counted drops != %u events", k, total, o.r.delivered,
                     (unsigned long long)o.queue_drops, N_EVENTS);
        if (o.r.nomem) {
            nomem++;
            continue;
        }
        /* not reported as an error: the event that could not be queued is counted */
        if (o.queue_drops != 1)
            fail_msg("allocation %lu of %lu failed silently", k, total);
        dropped++;
    }
    print_message("%lu allocations: %u end in TW_ERR_NOMEM, %u in a counted queue drop\n", total, nomem, dropped);
    assert_int_equal(nomem + dropped, total);
    assert_true(dropped >= 1); /* the queue's growth */
    assert_int_equal(nomem, 8);
    tw_tables_free(t);
}

/* A device with an interval table (REG_CAP_PFX_IV = 512): the load allocates one block (the converted table) and
 * frees it; when that allocation fails the load ends in TW_ERR_NOMEM before anything is written, leaking nothing. */
static void test_interval_load_allocation(void **st)
{
    (void)st;
    char err[512];
    struct tw_tables *t = twt_compile(TWT_DEV_CONFIG, TWT_DEV_RULES, "oom", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    struct fakedev *f = fakedev_start();
    assert_non_null(f);
    pthread_mutex_lock(&f->mu);
    f->regs[TW_REG_CAP_PFX_IV] = 512;
    pthread_mutex_unlock(&f->mu);
    char spec[160];
    struct tw_dev *d = NULL;
    assert_int_equal(tw_open(&d, fakedev_spec(f, spec, sizeof spec)), 0);
    tw_dev_set_timeout(d, 2000);
    failalloc_start(0);
    int rc = tw_dev_load_tables(d, t);
    failalloc_pause();
    assert_int_equal(rc, 0);
    assert_int_equal(failalloc_count(), 1);
    assert_int_equal(failalloc_live(), 0);
    pthread_mutex_lock(&f->mu);
    assert_int_equal(f->tbl_n / 2, f->tbl_words);
    assert_true(f->tbl_words > 512 * 6);
    f->tbl_words = 0;
    pthread_mutex_unlock(&f->mu);
    failalloc_start(1);
    rc = tw_dev_load_tables(d, t);
    failalloc_pause();
    assert_int_equal(rc, TW_ERR_NOMEM);
    assert_int_equal(failalloc_live(), 0);
    assert_int_equal(f->tbl_words, 0);
    assert_int_equal(f->commits, 1);
    tw_close(d);
    fakedev_stop(f);
    tw_tables_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_fails_in_turn),
        cmocka_unit_test(test_interval_load_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
