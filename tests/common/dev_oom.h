/* What the device layer's out-of-memory tests share (tests/host/test_dev_oom.c over the socket device,
 * tests/usb/test_usb_oom.c over the real libusb path): how a call's result is noted, and the reading half of a
 * session. Header-only (static functions) so each test includes it. */
#ifndef TW_TEST_DEV_OOM_H
#define TW_TEST_DEV_OOM_H

#include "tapwatch/device.h"
#include "tapwatch/error.h"

struct dev_oom {
    int nomem;          /* a call returned TW_ERR_NOMEM */
    int other_error;    /* a call returned another error (always a failure of the test) */
    unsigned delivered; /* events read */
};

static inline int dev_oom_note(struct dev_oom *o, int rc)
{
    if (rc == TW_ERR_NOMEM)
        o->nomem = 1;
    else if (rc)
        o->other_error = rc;
    return rc;
}

/* Reads a session's records: the first `half` one by one (tw_dev_read_event, read_ms each), then the rest through
 * the callback API (tw_dev_stream(d, cb, &n, stream_ms), cb counting in n), which must end with stream_end (1: the
 * callback stopped it; TW_ERR_TIMEOUT: the device went idle). Reading stops at the first failure, noted. */
static inline void dev_oom_read(struct tw_dev *d, struct dev_oom *o, unsigned half, int read_ms, tw_dev_event_cb cb,
                                int stream_ms, int stream_end)
{
    struct tw_dev_event ev;
    while (o->delivered < half)
        if (dev_oom_note(o, tw_dev_read_event(d, &ev, read_ms)))
            return;
        else
            o->delivered++;
    unsigned n = 0;
    int rc = tw_dev_stream(d, cb, &n, stream_ms, NULL);
    o->delivered += n;
    if (rc != stream_end)
        dev_oom_note(o, rc ? rc : TW_ERR_INVAL);
}

#endif
