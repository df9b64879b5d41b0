/* The USB transport (host/src/dev_usb.c) and the device layer above it when memory runs out: a session over the
 * real libusb path against the simulated FT2232H of test_usb_umockdev (open by serial, 40 alert records and a flow
 * record through the IN transfers, the callback API, statistics, close) is repeated with the k-th allocation of the
 * library failing, for every k (tests/common/failalloc.h); only the test thread's allocations count. The USB tests
 * run under the umockdev preload, without ASan, so failalloc's tracking is the leak check: every block the library
 * allocated in a session must be freed by its end.
 * Every run must end in TW_ERR_NOMEM from a call, and after any failure the records left are still read: none may
 * be missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../common/dev_oom.h"
#include "../common/failalloc.h"
#include "fakeftdi.h"
#include "tapwatch/device.h"
#include "tapwatch/error.h"

#define SERIAL "TW0002"
#define N_ALERTS 40

/* ---- one session ---- */
struct outcome {
    struct dev_oom r; /* errors noted, records read */
    int opened;
    unsigned leaked;            /* blocks the library allocated in the session and did not free */
    uint64_t queue_drops, lost; /* queue drops; records and frames missing in the sequences */
};

static int count_cb(const struct tw_dev_event *ev, void *user)
{
    (void)ev;
    unsigned *n = user;
    return ++*n == N_ALERTS / 2 + 1 ? 1 : 0; /* the second half of the alerts and the flow */
}

static void push_records(struct fakeftdi *f)
{
    uint8_t b[TW_AR_BYTES + TW_AR_MAX_EVIDENCE];
    struct tw_alert_rec r;
    memset(&r, 0, sizeof r);
    fakeftdi_lock(f);
    tw_link_sys_set_rec_gap(fakeftdi_sys(f), 1000); /* paced below the link's rate: nothing dropped on the way */
    for (uint32_t s = 0; s < N_ALERTS; s++) {
        r.seq = s;
        r.ev_len = 16;
        int n = tw_alert_rec_encode(&r, (const uint8_t *)"0123456789abcdef", b, sizeof b);
        assert_true(n > 0);
        assert_int_equal(tw_link_sys_rec_push(fakeftdi_sys(f), TW_DEV_ALERT, b, (unsigned)n), 0);
    }
    struct tw_flow_rec fr;
    memset(&fr, 0, sizeof fr);
    uint8_t fb[TW_FR_BYTES];
    assert_int_equal(tw_flow_rec_encode(&fr, 0, fb, sizeof fb), TW_FR_BYTES);
    assert_int_equal(tw_link_sys_rec_push(fakeftdi_sys(f), TW_DEV_FLOW, fb, TW_FR_BYTES), 0);
    fakeftdi_unlock(f);
}

static void session(unsigned long k, struct outcome *o, unsigned long *allocs)
{
    memset(o, 0, sizeof *o);
    struct fakeftdi *f = fakeftdi_new(SERIAL, 1, 5);
    assert_non_null(f);
    struct tw_dev *d = NULL;
    failalloc_start(k);
    if (!dev_oom_note(&o->r, tw_open(&d, "usb:serial=" SERIAL))) {
        o->opened = 1;
        tw_dev_set_timeout(d, 10000);
        failalloc_pause();
        push_records(f);
        failalloc_resume();
        dev_oom_read(d, &o->r, N_ALERTS / 2, 10000, count_cb, 10000, 1);
        struct tw_dev_event ev;
        /* allocations working again: the records left must all arrive */
        failalloc_pause();
        while (o->r.delivered < N_ALERTS + 1 && tw_dev_read_event(d, &ev, 2000) == 0)
            o->r.delivered++;
        struct tw_dev_stats s;
        tw_dev_stats(d, &s);
        o->queue_drops = s.queue_drops;
        o->lost = s.alerts_lost + s.flows_lost + s.frames_lost;
        failalloc_resume();
    }
    tw_close(d);
    failalloc_pause();
    *allocs = failalloc_count();
    o->leaked = failalloc_live();
    fakeftdi_free(f);
}

static void test_every_allocation_fails_in_turn(void **st)
{
    (void)st;
    struct outcome o;
    unsigned long total;
    session(0, &o, &total);
    if (o.r.nomem || o.r.other_error)
        fail_msg("the reference session failed: %s", tw_strerror(o.r.nomem ? TW_ERR_NOMEM : o.r.other_error));
    assert_int_equal(o.r.delivered, N_ALERTS + 1);
    assert_int_equal(o.queue_drops + o.lost, 0);
    assert_int_equal(o.leaked, 0);
    /* the transport (handle, name, read buffer, 4 transfer buffers), the device (handle, name, queue, decoder and
     * its buffer), the stream's event */
    assert_true(total >= 13);
    unsigned nomem = 0;
    for (unsigned long k = 1; k <= total; k++) {
        unsigned long allocs;
        session(k, &o, &allocs);
        assert_true(allocs >= k);
        if (o.r.other_error)
            fail_msg("allocation %lu of %lu: error %d (%s)", k, total, o.r.other_error, tw_strerror(o.r.other_error));
        if (!o.r.nomem)
            fail_msg("allocation %lu of %lu failed silently", k, total);
        nomem++;
        if (o.leaked)
            fail_msg("allocation %lu of %lu: %u blocks leaked", k, total, o.leaked);
        if (o.opened && o.r.delivered + o.queue_drops + o.lost != N_ALERTS + 1)
            fail_msg("allocation %lu of %lu: %u delivered + %llu counted != %u records", k, total, o.r.delivered,
                     (unsigned long long)(o.queue_drops + o.lost), N_ALERTS + 1);
    }
    print_message("%lu allocations over USB: %u end in TW_ERR_NOMEM, no leak, no record missing\n", total, nomem);
    assert_int_equal(nomem, total);
}

int main(int argc, char **argv)
{
    fakeftdi_reexec(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_fails_in_turn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
