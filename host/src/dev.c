/* libtapwatch device handle: commands and their answers, the event queue, sequence tracking, over any transport. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev_int.h"
#include "tapwatch/proto.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_regs.h"

#define QUEUE_INIT 64
/* The stream counts as paused (incomplete frame candidates are given up, tw_proto_dec_flush) only when no byte came
 * for this long: far above the FTDI latency timer (2 ms), so a frame that is still arriving is never cut. */
#define PAUSE_MS 40

struct tw_dev {
    struct tw_dev_ops ops;
    void *ctx;
    int usb;  /* the transport is the USB backend (for its packet count) */
    char *name;
    struct tw_proto_dec *dec;
    int timeout_ms;
    uint16_t cmd_seq;
    unsigned last_status;
    int gone; /* TW_ERR_NODEV seen: every later call fails the same way */
    int64_t last_rx_ms; /* when bytes last arrived */
    int pause_ms;       /* give up an incomplete frame after this long without bytes; 0: never (sim: a socket
                         * loses no byte, and the simulated device's time runs far slower than the wall clock) */
    /* the answer being waited for */
    int waiting, got;
    uint16_t want_seq;
    uint8_t want_type;
    struct tw_proto_resp resp;
    struct tw_proto_counters cnt;
    /* events queued in arrival order (ring) */
    struct tw_dev_event *q;
    size_t qhead, qlen, qcap;
    /* record sequence tracking */
    int have_aseq, have_fseq;
    uint32_t next_aseq, next_fseq;
    struct tw_dev_stats st;
    uint8_t buf[16384];
    uint8_t tx[TW_PROTO_MAX_FRAME];
};

int64_t tw_dev_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tw_open_ops(struct tw_dev **out, const struct tw_dev_ops *ops, void *ctx, const char *name)
{
    if (!out || !ops || !ops->write || !ops->read) {
        if (ops && ops->close)
            ops->close(ctx);
        return TW_ERR_INVAL;
    }
    *out = NULL;
    struct tw_dev *d = calloc(1, sizeof(*d));
    if (!d) {
        if (ops->close)
            ops->close(ctx);
        return TW_ERR_NOMEM;
    }
    d->ops = *ops;
    d->ctx = ctx;
    d->timeout_ms = 1000;
    d->pause_ms = PAUSE_MS;
    d->name = strdup(name ? name : "custom");
    d->q = calloc(QUEUE_INIT, sizeof(*d->q));
    d->qcap = QUEUE_INIT;
    if (!d->name || !d->q || tw_proto_dec_new(&d->dec, TW_PROTO_DEV_TO_HOST) != 0) {
        tw_close(d);
        return TW_ERR_NOMEM;
    }
    *out = d;
    return 0;
}

int tw_open(struct tw_dev **out, const char *spec)
{
    if (!out || !spec)
        return TW_ERR_INVAL;
    *out = NULL;
    struct tw_dev_ops ops = {0};
    void *ctx = NULL;
    char *name = NULL;
    int rc, usb = 0, sim = 0;
    if (!strncmp(spec, "usb", 3) && (spec[3] == 0 || spec[3] == ':')) {
        rc = tw_dev_usb_open(spec + 3, &ops, &ctx, &name);
        usb = 1;
    } else if (!strncmp(spec, "sim:", 4)) {
        rc = tw_dev_sim_open(spec + 4, &ops, &ctx, &name);
        sim = 1;
    } else {
        return TW_ERR_INVAL;
    }
    if (rc)
        return rc;
    rc = tw_open_ops(out, &ops, ctx, name);
    free(name);
    if (!rc) {
        (*out)->usb = usb;
        if (sim)
            (*out)->pause_ms = 0;
    }
    return rc;
}

void tw_close(struct tw_dev *d)
{
    if (!d)
        return;
    if (d->ops.close)
        d->ops.close(d->ctx);
    tw_proto_dec_free(d->dec);
    free(d->q);
    free(d->name);
    free(d);
}

const char *tw_dev_name(const struct tw_dev *d) { return d ? d->name : NULL; }

int tw_dev_set_timeout(struct tw_dev *d, int ms)
{
    if (!d || ms < 1 || ms > 600000)
        return TW_ERR_INVAL;
    d->timeout_ms = ms;
    return 0;
}

int tw_dev_set_pause(struct tw_dev *d, int ms)
{
    if (!d || ms < 0 || ms > 600000)
        return TW_ERR_INVAL;
    d->pause_ms = ms;
    return 0;
}

unsigned tw_dev_last_status(const struct tw_dev *d) { return d ? d->last_status : 0; }

void tw_dev_stats(const struct tw_dev *d, struct tw_dev_stats *s)
{
    if (!d || !s)
        return;
    *s = d->st;
    struct tw_proto_stats ps;
    tw_proto_dec_stats(d->dec, &ps);
    s->frames = ps.frames;
    s->bytes = ps.bytes;
    s->crc_errors = ps.crc_errors;
    s->hdr_errors = ps.hdr_errors;
    s->truncated = ps.truncated;
    s->resyncs = ps.resyncs;
    s->discarded = ps.discarded;
    s->seq_gaps = ps.seq_gaps;
    s->frames_lost = ps.lost;
    s->dups = ps.dups;
    s->usb_packets = d->usb ? tw_dev_usb_packets(d->ctx) : 0;
}

/* ---- event queue ---- */

static struct tw_dev_event *q_push(struct tw_dev *d)
{
    if (d->qlen == d->qcap) {
        if (d->qcap >= TW_DEV_QUEUE_MAX)
            return NULL;
        size_t ncap = d->qcap * 2;
        struct tw_dev_event *nq = calloc(ncap, sizeof(*nq));
        if (!nq)
            return NULL;
        for (size_t i = 0; i < d->qlen; i++)
            nq[i] = d->q[(d->qhead + i) % d->qcap];
        free(d->q);
        d->q = nq;
        d->qcap = ncap;
        d->qhead = 0;
    }
    struct tw_dev_event *e = &d->q[(d->qhead + d->qlen) % d->qcap];
    e->type = 0;
    e->rec_gap = 0;
    e->flow_seq = 0;
    return e;
}

/* Sequence gap of a 32-bit record counter; a step back (or a repeat) restarts tracking there without a gap. */
static uint32_t rec_gap(int *have, uint32_t *next, uint32_t seq)
{
    uint32_t gap = 0;
    if (*have) {
        uint32_t delta = seq - *next;
        if (delta < 0x80000000u)
            gap = delta;
    }
    *have = 1;
    *next = seq + 1;
    return gap;
}

static void on_frame(struct tw_dev *d, const struct tw_proto_frame *f)
{
    switch (f->type) {
    case TW_DEV_RESP:
    case TW_DEV_COUNTERS: {
        unsigned at = f->type == TW_DEV_RESP ? 2 : 0; /* cmd_seq's offset in the payload */
        uint16_t cseq = (uint16_t)(f->len >= at + 2 ? f->payload[at] | f->payload[at + 1] << 8 : 0);
        if (!d->waiting || d->got || cseq != d->want_seq) {
            d->st.stray_resps++;
            return;
        }
        int rc = f->type == TW_DEV_RESP ? tw_proto_parse_resp(f, &d->resp) : tw_proto_parse_counters(f, &d->cnt);
        if (rc) {
            d->st.stray_resps++;
            return;
        }
        if (f->type == TW_DEV_COUNTERS && d->want_type != TW_CMD_CNT_SNAPSHOT) {
            d->st.stray_resps++;
            return;
        }
        if (f->type == TW_DEV_RESP && d->resp.cmd_type != d->want_type) {
            d->st.stray_resps++;
            return;
        }
        d->got = f->type;
        return;
    }
    case TW_DEV_ALERT:
    case TW_DEV_FLOW:
    case TW_DEV_ERROR: {
        /* decoded straight into the queue's next slot, which is only taken when the payload is good */
        struct tw_dev_event *e = q_push(d);
        if (!e) {
            d->st.queue_drops++;
            return;
        }
        int rc = 0;
        if (f->type == TW_DEV_ALERT) {
            const uint8_t *ev;
            rc = tw_alert_rec_decode(f->payload, f->len, &e->alert, &ev);
            if (!rc) {
                memcpy(e->evidence, ev, e->alert.ev_len);
                e->type = TW_EV_ALERT;
                e->rec_gap = rec_gap(&d->have_aseq, &d->next_aseq, e->alert.seq);
                d->st.alerts++;
                d->st.alerts_lost += e->rec_gap;
            }
        } else if (f->type == TW_DEV_FLOW) {
            rc = tw_flow_rec_decode(f->payload, f->len, &e->flow, &e->flow_seq);
            if (!rc) {
                e->type = TW_EV_FLOW;
                e->rec_gap = rec_gap(&d->have_fseq, &d->next_fseq, e->flow_seq);
                d->st.flows++;
                d->st.flows_lost += e->rec_gap;
            }
        } else {
            rc = tw_proto_parse_error(f, &e->error);
            if (!rc) {
                e->type = TW_EV_ERROR;
                d->st.dev_errors++;
                if (e->error.code == TW_EC_CRC)
                    d->st.dev_crc += e->error.count;
                else if (e->error.code == TW_EC_HDR)
                    d->st.dev_hdr += e->error.count;
                else if (e->error.code == TW_EC_TX_DROP)
                    d->st.dev_tx_drops += e->error.count;
            }
        }
        if (rc) {
            d->st.bad_records++;
            return;
        }
        e->link_seq = f->seq;
        e->link_gap = f->gap;
        d->qlen++;
        return;
    }
    default:
        return;
    }
}

static void drain(struct tw_dev *d)
{
    struct tw_proto_frame f;
    while (tw_proto_dec_next(d->dec, &f) == 1)
        on_frame(d, &f);
}

/* Reads once from the transport (waiting at most wait_ms) and handles every frame that completes. */
static int pump(struct tw_dev *d, int wait_ms)
{
    if (d->gone)
        return TW_ERR_NODEV;
    int n = d->ops.read(d->ctx, d->buf, sizeof d->buf, wait_ms < 0 ? 0 : wait_ms);
    if (n < 0) {
        if (n == TW_ERR_NODEV)
            d->gone = 1;
        return n;
    }
    if (n == 0) {
        if (d->pause_ms && tw_proto_dec_pending(d->dec) && tw_dev_now_ms() - d->last_rx_ms >= d->pause_ms)
            tw_proto_dec_flush(d->dec); /* the stream paused: give up incomplete candidates */
    } else {
        d->last_rx_ms = tw_dev_now_ms();
        /* at most a frame's worth per push, each drained before the next: the decoder then holds less than a frame
         * when a push comes, so its buffer (four frames) never has to grow and no read byte can be lost to a failed
         * allocation (test_dev_oom) */
        for (size_t off = 0; off < (size_t)n;) {
            size_t c = (size_t)n - off < TW_PROTO_MAX_FRAME ? (size_t)n - off : TW_PROTO_MAX_FRAME;
            if (tw_proto_dec_push(d->dec, d->buf + off, c) != 0)
                return TW_ERR_NOMEM;
            off += c;
            drain(d);
        }
        return n;
    }
    drain(d);
    return n;
}

static int remaining(int64_t deadline)
{
    int64_t r = deadline - tw_dev_now_ms();
    return r < 0 ? 0 : r > 100 ? 100 : (int)r;
}

/* Sends one command frame (already in d->tx, n bytes, sequence d->want_seq) and waits for its answer. */
static int transact(struct tw_dev *d, uint8_t type, int n)
{
    if (n < 0)
        return TW_ERR_INVAL;
    if (d->gone)
        return TW_ERR_NODEV;
    d->waiting = 1;
    d->got = 0;
    d->want_type = type;
    d->st.cmds++;
    int64_t deadline = tw_dev_now_ms() + d->timeout_ms;
    int rc = d->ops.write(d->ctx, d->tx, (size_t)n, d->timeout_ms);
    if (rc == TW_ERR_NODEV)
        d->gone = 1;
    while (!rc && !d->got) {
        if (tw_dev_now_ms() >= deadline) {
            rc = TW_ERR_TIMEOUT;
            d->st.cmd_timeouts++;
            break;
        }
        int r = pump(d, remaining(deadline));
        if (r < 0)
            rc = r;
    }
    d->waiting = 0;
    if (rc)
        return rc;
    if (d->got == TW_DEV_RESP && d->resp.status != TW_ST_OK) {
        d->last_status = d->resp.status;
        return TW_ERR_DEVICE;
    }
    d->last_status = 0;
    return 0;
}

static uint16_t next_seq(struct tw_dev *d)
{
    d->want_seq = ++d->cmd_seq;
    return d->want_seq;
}

int tw_reg_read(struct tw_dev *d, uint16_t addr, uint32_t *vals, unsigned count)
{
    if (!d || !vals || count == 0 || (uint32_t)addr + count > 0x10000u)
        return TW_ERR_INVAL;
    for (unsigned done = 0; done < count;) {
        uint16_t k = (uint16_t)(count - done > TW_PROTO_MAX_REGS ? TW_PROTO_MAX_REGS : count - done);
        int n = tw_proto_enc_reg_read(next_seq(d), (uint16_t)(addr + done), k, d->tx, sizeof d->tx);
        int rc = transact(d, TW_CMD_REG_READ, n);
        if (rc)
            return rc;
        if (d->resp.count != k)
            return TW_ERR_IO;
        memcpy(vals + done, d->resp.vals, k * sizeof(uint32_t));
        done += k;
    }
    return 0;
}

int tw_reg_write(struct tw_dev *d, uint16_t addr, const uint32_t *vals, unsigned count)
{
    if (!d || !vals || count == 0 || (uint32_t)addr + count > 0x10000u)
        return TW_ERR_INVAL;
    for (unsigned done = 0; done < count;) {
        uint16_t k = (uint16_t)(count - done > TW_PROTO_MAX_REGS ? TW_PROTO_MAX_REGS : count - done);
        int n = tw_proto_enc_reg_write(next_seq(d), (uint16_t)(addr + done), vals + done, k, d->tx, sizeof d->tx);
        int rc = transact(d, TW_CMD_REG_WRITE, n);
        if (rc)
            return rc;
        done += k;
    }
    return 0;
}

int tw_dev_table_write(struct tw_dev *d, uint8_t table, uint32_t index, const uint32_t *words, unsigned count)
{
    if (!d || !words || count == 0 || index + (uint64_t)count > 0x10000u)
        return TW_ERR_INVAL;
    for (unsigned done = 0; done < count;) {
        uint16_t k = (uint16_t)(count - done > TW_PROTO_MAX_WORDS ? TW_PROTO_MAX_WORDS : count - done);
        int n = tw_proto_enc_table_write(next_seq(d), table, (uint16_t)(index + done), words + done, k, d->tx,
                                         sizeof d->tx);
        int rc = transact(d, TW_CMD_TABLE_WRITE, n);
        if (rc)
            return rc;
        done += k;
    }
    return 0;
}

int tw_dev_flush(struct tw_dev *d)
{
    if (!d)
        return TW_ERR_INVAL;
    uint32_t ctl, flows;
    int rc = tw_reg_read(d, TW_REG_CAP_FLOWS, &flows, 1);
    if (rc)
        return rc;
    if (!flows) /* a device without detection (a board built with DETECT = 0): its control bits mean nothing else */
        return TW_ERR_UNSUPPORTED;
    if ((rc = tw_reg_read(d, TW_REG_CONTROL, &ctl, 1)))
        return rc;
    /* a bit left set (an interrupted flush) is cleared first, so that this write is a 0 -> 1 transition */
    uint32_t lo = ctl & ~(uint32_t)TW_CTRL_FLUSH, hi = ctl | TW_CTRL_FLUSH;
    if ((ctl & TW_CTRL_FLUSH) && (rc = tw_reg_write(d, TW_REG_CONTROL, &lo, 1)))
        return rc;
    if ((rc = tw_reg_write(d, TW_REG_CONTROL, &hi, 1)))
        return rc;
    return tw_reg_write(d, TW_REG_CONTROL, &lo, 1);
}

/* One geometry register's {log2 buckets, ways}: 0 when they make a table no device builds. */
static int geom_of(uint32_t v, unsigned *buckets, unsigned *ways)
{
    unsigned w = v & TW_GEOM_WAYS_MASK, lg = (v >> TW_GEOM_LOG2_SHIFT) & 0xFFu;
    if (w < 1 || w > TW_DETECT_MAX_WAYS || lg > 24 || (v >> (TW_GEOM_LOG2_SHIFT + 8)))
        return 0;
    *buckets = 1u << lg;
    *ways = w;
    return 1;
}

int tw_dev_geometry(struct tw_dev *d, struct tw_detect_params *p, unsigned *hdr_bytes)
{
    if (!d || !p)
        return TW_ERR_INVAL;
    uint32_t v[4]; /* REG_CAP_FLOW_GEOM .. REG_CAP_HDR_BYTES */
    int rc = tw_reg_read(d, TW_REG_CAP_FLOW_GEOM, v, 4);
    if (rc == TW_ERR_DEVICE && tw_dev_last_status(d) == TW_ST_BAD_ADDR)
        return TW_ERR_UNSUPPORTED;
    if (rc)
        return rc;
    if (!v[0] && !v[1] && !v[2])
        return TW_ERR_UNSUPPORTED;
    unsigned fb, fw, ds, dw, sb, sw;
    if (!geom_of(v[0], &fb, &fw) || !geom_of(v[1], &ds, &dw) || !geom_of(v[2], &sb, &sw) || v[3] == 0 || v[3] > 4096)
        return TW_ERR_DEVICE;
    p->flow_buckets = fb;
    p->flow_ways = fw;
    p->digest_sets = ds;
    p->digest_ways = dw;
    p->state_buckets = sb;
    p->state_ways = sw;
    if (hdr_bytes)
        *hdr_bytes = v[3];
    return 0;
}

int tw_dev_commit(struct tw_dev *d, uint32_t mask)
{
    if (!d)
        return TW_ERR_INVAL;
    return transact(d, TW_CMD_COMMIT, tw_proto_enc_commit(next_seq(d), mask, d->tx, sizeof d->tx));
}

int tw_dev_time_set(struct tw_dev *d, uint64_t ns)
{
    if (!d)
        return TW_ERR_INVAL;
    return transact(d, TW_CMD_TIME_SET, tw_proto_enc_time_set(next_seq(d), ns, d->tx, sizeof d->tx));
}

int tw_dev_counters(struct tw_dev *d, uint16_t base, unsigned count, uint64_t *vals, uint64_t *time_ns)
{
    if (!d || !vals || count == 0 || (uint32_t)base + count > 0x10000u)
        return TW_ERR_INVAL;
    for (unsigned done = 0; done < count;) {
        uint16_t k = (uint16_t)(count - done > TW_PROTO_MAX_CNTS ? TW_PROTO_MAX_CNTS : count - done);
        int n = tw_proto_enc_cnt_snapshot(next_seq(d), (uint16_t)(base + done), k, d->tx, sizeof d->tx);
        int rc = transact(d, TW_CMD_CNT_SNAPSHOT, n);
        if (rc)
            return rc;
        if (d->got != TW_DEV_COUNTERS || d->cnt.count != k || d->cnt.base != (uint16_t)(base + done))
            return TW_ERR_IO;
        memcpy(vals + done, d->cnt.vals, k * sizeof(uint64_t));
        if (time_ns && done == 0)
            *time_ns = d->cnt.time_ns;
        done += k;
    }
    return 0;
}

int tw_dev_rule_counters(struct tw_dev *d, unsigned first, unsigned n, struct tw_dev_rule_cnt *out,
                         uint64_t *time_ns)
{
    enum { PER = TW_PROTO_MAX_CNTS / TW_CNT_RULE_STRIDE };
    if (!d || !out || n == 0 || first >= TW_CAP_RULES || n > TW_CAP_RULES - first)
        return TW_ERR_INVAL;
    uint64_t v[PER * TW_CNT_RULE_STRIDE];
    for (unsigned done = 0; done < n;) {
        unsigned k = n - done > PER ? PER : n - done;
        int rc = tw_dev_counters(d, (uint16_t)(TW_CNT_RULE_BASE + TW_CNT_RULE_STRIDE * (first + done)),
                                 k * TW_CNT_RULE_STRIDE, v, done == 0 ? time_ns : NULL);
        if (rc)
            return rc;
        for (unsigned i = 0; i < k; i++) {
            const uint64_t *c = v + i * TW_CNT_RULE_STRIDE;
            out[done + i] = (struct tw_dev_rule_cnt){c[TW_CNT_RULE_MATCHES], c[TW_CNT_RULE_ALERTS],
                                                     c[TW_CNT_RULE_RATE_LIMITED]};
        }
        done += k;
    }
    return 0;
}

/* ---- events ---- */

int tw_dev_read_event(struct tw_dev *d, struct tw_dev_event *ev, int timeout_ms)
{
    if (!d || !ev)
        return TW_ERR_INVAL;
    if (d->qlen) {
        *ev = d->q[d->qhead];
        d->qhead = d->qhead + 1 == d->qcap ? 0 : d->qhead + 1;
        d->qlen--;
        return 0;
    }
    int64_t deadline = tw_dev_now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        if (d->qlen) {
            *ev = d->q[d->qhead];
            d->qhead = (d->qhead + 1) % d->qcap;
            d->qlen--;
            return 0;
        }
        int wait = timeout_ms < 0 ? 100 : remaining(deadline);
        int r = pump(d, wait);
        if (r < 0)
            return r;
        if (!d->qlen && timeout_ms >= 0 && tw_dev_now_ms() >= deadline)
            return TW_ERR_TIMEOUT;
    }
}

int tw_dev_stream(struct tw_dev *d, tw_dev_event_cb cb, void *user, int idle_ms, volatile int *stop)
{
    if (!d || !cb)
        return TW_ERR_INVAL;
    struct tw_dev_event *ev = malloc(sizeof(*ev));
    if (!ev)
        return TW_ERR_NOMEM;
    int64_t last = tw_dev_now_ms();
    int rc = 0;
    while (!(stop && *stop)) {
        int r = tw_dev_read_event(d, ev, 50);
        if (r == TW_ERR_TIMEOUT) {
            if (idle_ms >= 0 && tw_dev_now_ms() - last >= idle_ms) {
                rc = TW_ERR_TIMEOUT;
                break;
            }
            continue;
        }
        if (r) {
            rc = r;
            break;
        }
        last = tw_dev_now_ms();
        r = cb(ev, user);
        if (r) {
            rc = r;
            break;
        }
    }
    free(ev);
    return rc;
}
