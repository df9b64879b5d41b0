/* libFuzzer target: the device layer's stream path (host/src/dev.c over proto.c's decoder): arbitrary device bytes,
 * delivered in reads of the size the first input byte gives (1..256, with empty reads between, so incomplete
 * frames are given up too), go through tw_dev_read_event: frame decoding, record decoding, sequence accounting,
 * the event queue. Every alert is turned into EVE with the writer of `tapwatch analyze`; every flow as well. The
 * payload decoders are also run on the raw input. Checks: events are well-formed (evidence within bounds, known
 * types) and the accounting adds up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/device.h"
#include "tapwatch/eve.h"

struct src {
    const uint8_t *p;
    size_t n, off, chunk;
    int empty;
};

static int f_write(void *ctx, const uint8_t *p, size_t n, int t)
{
    (void)ctx, (void)p, (void)n, (void)t;
    return 0;
}

static int f_read(void *ctx, uint8_t *p, size_t cap, int t)
{
    (void)t;
    struct src *s = ctx;
    if (s->off >= s->n)
        return TW_ERR_NODEV; /* end of input: the device went away */
    if ((s->empty ^= 1) && (s->off & 1))
        return 0;
    size_t k = s->n - s->off < s->chunk ? s->n - s->off : s->chunk;
    if (k > cap)
        k = cap;
    memcpy(p, s->p + s->off, k);
    s->off += k;
    return (int)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct tw_alert_rec ar;
    const uint8_t *ev;
    if (tw_alert_rec_decode(data, size, &ar, &ev) == 0 && (ar.ev_len > TW_AR_MAX_EVIDENCE || ev != data + TW_AR_BYTES))
        abort();
    struct tw_flow_rec fr;
    uint32_t fseq;
    tw_flow_rec_decode(data, size, &fr, &fseq);

    struct src s = {data + 1, size - 1, 0, (size_t)data[0] + 1, 0};
    struct tw_dev_ops ops = {f_write, f_read, NULL};
    struct tw_dev *d;
    if (tw_open_ops(&d, &ops, &s, "fuzz"))
        return 0;
    FILE *null = fopen("/dev/null", "w");
    struct tw_eve *w = NULL;
    if (!null || tw_eve_open(&w, null)) {
        if (null)
            fclose(null);
        tw_close(d);
        return 0;
    }
    struct tw_dev_event *e = malloc(sizeof *e);
    uint64_t alerts = 0, flows = 0, errors = 0;
    int rc;
    while (e && (rc = tw_dev_read_event(d, e, 0)) != TW_ERR_NODEV) {
        if (rc == TW_ERR_TIMEOUT)
            continue;
        if (rc)
            abort();
        if (e->type == TW_EV_ALERT) {
            if (e->alert.ev_len > TW_AR_MAX_EVIDENCE)
                abort();
            struct tw_eve_alert a;
            tw_dev_alert_eve(&a, &e->alert, e->evidence, e->alert.ev_len, NULL);
            tw_eve_write_alert(w, &a);
            alerts++;
        } else if (e->type == TW_EV_FLOW) {
            tw_eve_write_flow(w, &e->flow);
            flows++;
        } else if (e->type == TW_EV_ERROR) {
            errors++;
        } else {
            abort();
        }
    }
    struct tw_dev_stats st;
    tw_dev_stats(d, &st);
    if (st.alerts != alerts || st.flows != flows || st.dev_errors != errors ||
        st.alerts + st.flows + st.dev_errors + st.bad_records > st.frames)
        abort();
    free(e);
    tw_eve_close(w);
    fclose(null);
    tw_close(d);
    return 0;
}
