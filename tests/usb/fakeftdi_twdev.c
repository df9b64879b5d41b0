/* The whole simulated device behind fakeftdi's FT2232H. See fakeftdi_twdev.h. */
#include "fakeftdi_twdev.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#define CHUNK 256u          /* core clocks between checks for a quiet link */
#define STEP_MAX 4000000ull /* core clocks a step runs at most (a safety net: minutes of wall time) */
#define YIELD_MS 50         /* after a delivery, reaps run nothing this long unless the host writes */

struct ftd {
    struct twdev *d;
    int idle;
    int64_t yield_until; /* after a delivery: the host's turn (ms, monotonic) unless it writes before */
    struct fakeftdi_twdev_stats st;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int t_write(void *ctx, const uint8_t *p, size_t n)
{
    struct ftd *t = ctx;
    t->idle = 0;
    t->yield_until = 0;
    return twdev_host_write(t->d, p, n);
}
static size_t t_read(void *ctx, uint8_t *p, size_t cap) { return twdev_host_read(((struct ftd *)ctx)->d, p, cap); }
static size_t t_avail(void *ctx) { return twdev_host_avail(((struct ftd *)ctx)->d); }

static void t_run(void *ctx)
{
    struct ftd *t = ctx;
    /* libusb reaps until nothing is left, and again before the host has handled an answer: right after a
     * delivery, those reaps would run the model into idleness (12,000 quiet clocks, about a second of wall time)
     * before the host writes its next command */
    if (t->yield_until && now_ms() < t->yield_until)
        return;
    t->yield_until = 0;
    struct twdev_stats s;
    twdev_stats(t->d, &s);
    uint64_t siwu0 = s.siwu, tx_prev = s.tx_moved, clocks = 0;
    size_t av_prev = twdev_host_avail(t->d);
    for (;;) {
        uint64_t c0 = s.core_clocks;
        int idle = twdev_run_idle(t->d, CHUNK) == 0;
        twdev_stats(t->d, &s);
        clocks += s.core_clocks - c0;
        size_t av = twdev_host_avail(t->d);
        if (idle) {
            t->idle = 1;
            t->st.idle_stops++;
            break;
        }
        /* bytes out, the FPGA's transmitter went idle (SIWU#) and nothing moved in the last chunk */
        if (av && s.siwu != siwu0 && s.tx_moved == tx_prev && av == av_prev) {
            t->st.quiet_stops++;
            t->yield_until = now_ms() + YIELD_MS;
            break;
        }
        if (clocks >= STEP_MAX) {
            t->st.max_stops++;
            break;
        }
        tx_prev = s.tx_moved;
        av_prev = av;
    }
    t->st.steps++;
    t->st.step_clocks += clocks;
    if (clocks > t->st.step_clocks_max)
        t->st.step_clocks_max = clocks;
}

static void t_vendor(void *ctx, uint8_t req, uint16_t value, uint16_t index)
{
    struct ftd *t = ctx;
    /* the requests the model knows; SET_FLOW_CTRL and the like change nothing in synchronous FIFO mode */
    if (req == TWDEV_SIO_RESET || req == TWDEV_SIO_SET_LATENCY_TIMER || req == TWDEV_SIO_SET_BITMODE)
        twdev_vendor_out(t->d, req, value, index);
    t->idle = 0;
}

static void t_free(void *ctx)
{
    struct ftd *t = ctx;
    twdev_free(t->d);
    free(t);
}

struct fakeftdi *fakeftdi_new_twdev(const char *serial, int bus, int addr, const struct twdev_cfg *cfg, int *err)
{
    static const struct fakeftdi_backend be = {t_write, t_read, t_avail, t_run, t_vendor, t_free};
    *err = -ENOMEM;
    struct ftd *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    int rc = twdev_new(&t->d, cfg);
    if (rc < 0) {
        *err = rc;
        free(t);
        return NULL;
    }
    struct fakeftdi *f = fakeftdi_new_backend(serial, bus, addr, &be, t);
    if (f)
        *err = 0;
    return f;
}

struct twdev *fakeftdi_twdev(struct fakeftdi *f) { return ((struct ftd *)fakeftdi_ctx(f))->d; }

int fakeftdi_twdev_push(struct fakeftdi *f, unsigned port, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
    struct ftd *t = fakeftdi_ctx(f);
    fakeftdi_lock(f);
    int rc = twdev_push_frame(t->d, port, ts_ns, frame, len, 0);
    t->idle = 0;
    fakeftdi_unlock(f);
    return rc;
}

int fakeftdi_twdev_flush(struct fakeftdi *f)
{
    struct ftd *t = fakeftdi_ctx(f);
    fakeftdi_lock(f);
    int rc = twdev_flush(t->d);
    t->idle = 0;
    fakeftdi_unlock(f);
    return rc;
}

int fakeftdi_twdev_done(struct fakeftdi *f)
{
    struct ftd *t = fakeftdi_ctx(f);
    fakeftdi_lock(f);
    int done = t->idle && twdev_frames_pending(t->d) == 0 && twdev_host_avail(t->d) == 0;
    fakeftdi_unlock(f);
    return done;
}

void fakeftdi_twdev_stats(struct fakeftdi *f, struct fakeftdi_twdev_stats *s)
{
    struct ftd *t = fakeftdi_ctx(f);
    fakeftdi_lock(f);
    *s = t->st;
    fakeftdi_unlock(f);
}
