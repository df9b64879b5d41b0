/* The simulated tapwatch device: see sim/twdev.h. The FT2232H is the simulators' chip model (sim/ft_chip.h, shared
 * with sim/link_chip.c) around the full top's shim (sim/top_model.h). */
#include "twdev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ft_chip.h"
#include "top_model.h"

_Static_assert(TWDEV_PACKET == FT_CHIP_PACKET && TWDEV_STATUS == FT_CHIP_STATUS, "FT2232H packet layout");

#define QUIET_CORE 12000u   /* idle = nothing moved for this many core clocks (> ERR_GAP 8192 of the model) */
#define CMP_MAX (1u << 20)  /* forwarded-frame checks kept at most (monitor mode: nothing comes back) */

struct frame {
    uint8_t *data;
    size_t len;
    uint64_t ts;
    int user;
};

struct fcheck { /* what the forwarded copy of a frame must be */
    uint64_t hash;
    size_t len;
};

struct port {
    struct frame *q;
    size_t head, n, cap;
    size_t off;          /* bytes of the head frame accepted */
    unsigned gap;        /* idle clocks left before the next frame */
    struct tw_top_beat cur;
    /* forwarded-frame checks (for the egress port that carries this port's frames) */
    struct fcheck *chk;
    size_t chead, cn, ccap;
    uint64_t in_hash;    /* hash of the frame going in */
    uint64_t out_hash;   /* hash of the frame coming out */
    size_t out_len;
};

struct twdev {
    struct twdev_cfg cfg;
    struct tw_top_model *m;
    struct port port[2];
    struct ft_chip *chip; /* the FT2232H and the host behind it (sim/ft_chip.h) */
    unsigned latency_ms;
    /* end of input */
    int flush_pending, flush_on;
    uint64_t quiet;
    struct twdev_stats st;
};

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}
#define FNV0 14695981039346656037ull

void twdev_cfg_default(struct twdev_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->core_ps = 8000;
    c->ft_ps = 16667;
    c->chip_rx_fifo = 4096;
    c->chip_tx_fifo = 4096;
    c->host_in_rate = 40.0 / 60.0;
    c->host_out_rate = 35.0 / 60.0;
    c->latency_ms = 16;
    c->syncff = 0;
    c->frame_gap = 2;
    c->pace = 1;
}

static void set_latency(struct twdev *d, unsigned ms)
{
    d->latency_ms = ms;
    ft_chip_set_latency(d->chip, (uint64_t)ms * 1000000000ull / d->cfg.ft_ps);
}

static void set_ft_pins(struct twdev *d)
{
    struct tw_top_ft_out o;
    struct ft_chip_pins p;
    tw_top_model_ft_get(d->m, &o);
    ft_chip_drive(d->chip, o.oe_n, &p);
    tw_top_model_ft_set(d->m, p.rxf_n, p.txe_n, p.d);
}

int twdev_new(struct twdev **out, const struct twdev_cfg *cfg)
{
    *out = NULL;
    struct twdev_cfg c;
    if (cfg)
        c = *cfg;
    else
        twdev_cfg_default(&c);
    if (c.core_ps < 2 || c.ft_ps < 2 || !c.chip_rx_fifo || !c.chip_tx_fifo || c.host_in_rate <= 0 ||
        c.host_out_rate <= 0 || c.latency_ms < 1 || c.latency_ms > 255)
        return -EINVAL;
    struct twdev *d = calloc(1, sizeof(*d));
    if (!d)
        return -ENOMEM;
    d->cfg = c;
    struct ft_chip_cfg cc = {c.chip_rx_fifo, c.chip_tx_fifo, c.host_in_rate, c.host_out_rate, 0, c.syncff != 0};
    int rc = ft_chip_new(&d->chip, &cc);
    d->m = tw_top_model_new(c.core_ps, c.ft_ps);
    if (rc || !d->m) {
        twdev_free(d);
        return rc ? rc : -ENOMEM;
    }
    set_latency(d, c.latency_ms);
    for (unsigned p = 0; p < 2; p++)
        d->port[p].in_hash = FNV0, d->port[p].out_hash = FNV0;
    tw_top_model_reset(d->m, 1);
    set_ft_pins(d);
    unsigned n = 0;
    while (n < 16)
        if (tw_top_model_edge(d->m) & TW_TOP_EDGE_FT)
            n++;
    tw_top_model_reset(d->m, 0);
    /* the flow and digest tables clear themselves after reset */
    uint64_t guard = 0;
    while (!tw_top_model_init_done(d->m) && guard++ < 1000000)
        tw_top_model_edge(d->m);
    if (!tw_top_model_init_done(d->m)) {
        twdev_free(d);
        return -EIO;
    }
    *out = d;
    return 0;
}

void twdev_free(struct twdev *d)
{
    if (!d)
        return;
    tw_top_model_free(d->m);
    for (unsigned p = 0; p < 2; p++) {
        struct port *pt = &d->port[p];
        for (size_t i = 0; i < pt->n; i++)
            free(pt->q[(pt->head + i) % pt->cap].data);
        free(pt->q);
        free(pt->chk);
    }
    ft_chip_free(d->chip);
    free(d);
}

/* ---------------------------------------------------------------- frames */
int twdev_push_frame(struct twdev *d, unsigned port, uint64_t ts_ns, const uint8_t *frame, size_t len, int tuser)
{
    if (port > 1 || len == 0 || len > TWDEV_MAX_FRAME || !frame)
        return -EINVAL;
    struct port *p = &d->port[port];
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        struct frame *nq = malloc(cap * sizeof(*nq));
        if (!nq)
            return -ENOMEM;
        for (size_t i = 0; i < p->n; i++)
            nq[i] = p->q[(p->head + i) % p->cap];
        free(p->q);
        p->q = nq;
        p->cap = cap;
        p->head = 0;
    }
    uint8_t *copy = malloc(len);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, frame, len);
    p->q[(p->head + p->n) % p->cap] = (struct frame){copy, len, ts_ns, tuser != 0};
    p->n++;
    d->quiet = 0;
    return 0;
}

size_t twdev_frames_pending(const struct twdev *d) { return d->port[0].n + d->port[1].n; }

int twdev_flush(struct twdev *d)
{
    d->flush_pending = 1;
    d->quiet = 0;
    return 0;
}

/* the beat of port p's head frame at its current offset */
static void make_beat(struct port *p, struct tw_top_beat *b)
{
    memset(b, 0, sizeof(*b));
    if (!p->n || p->gap)
        return;
    const struct frame *f = &p->q[p->head];
    size_t n = f->len - p->off < 8 ? f->len - p->off : 8;
    for (size_t i = 0; i < n; i++)
        b->data |= (uint64_t)f->data[p->off + i] << (8 * i);
    b->keep = (uint8_t)((1u << n) - 1u);
    b->valid = 1;
    b->last = p->off + n == f->len;
    b->user = b->last ? (uint8_t)f->user : 0;
}

static void chk_push(struct twdev *d, struct port *p, uint64_t h, size_t len)
{
    if (p->cn == p->ccap) {
        if (p->ccap >= CMP_MAX)
            return; /* nothing is coming back (monitor mode): stop checking */
        size_t cap = p->ccap ? 2 * p->ccap : 64;
        struct fcheck *nc = malloc(cap * sizeof(*nc));
        if (!nc) {
            d->st.lost_events++;
            return;
        }
        for (size_t i = 0; i < p->cn; i++)
            nc[i] = p->chk[(p->chead + i) % p->ccap];
        free(p->chk);
        p->chk = nc;
        p->ccap = cap;
        p->chead = 0;
    }
    p->chk[(p->chead + p->cn) % p->ccap] = (struct fcheck){h, len};
    p->cn++;
}

/* ---------------------------------------------------------------- chip */
static void ft_edge_pre(struct twdev *d)
{
    struct tw_top_ft_out o;
    tw_top_model_ft_get(d->m, &o);
    struct ft_chip_fpga f = {o.d_out, o.d_oe, o.rd_n, o.wr_n, o.oe_n, o.siwu_n};
    if (ft_chip_edge_pre(d->chip, &f) & FT_CHIP_MOVED)
        d->quiet = 0;
}

static void ft_edge_post(struct twdev *d)
{
    if (ft_chip_edge_post(d->chip) & FT_CHIP_DELIVERED)
        d->quiet = 0;
    set_ft_pins(d);
}

/* ---------------------------------------------------------------- core side */
/* The end-of-input flush may go only once the pipeline has drained: every queued frame went in, no parser record
 * waits for the detection pipeline, and nothing moved for QUIET_CORE clocks while the chip could take bytes (a record
 * the detection side still held would have reached the link by then: the pipeline's latency is far shorter). Raised
 * as soon as the last frame's bytes went in, the flush overtook that frame's record, which then started a new flow
 * after the flush that was never reported. */
static int flush_safe(struct twdev *d)
{
    return !d->port[0].n && !d->port[1].n && !d->port[0].cur.valid && !d->port[1].cur.valid &&
           d->quiet >= QUIET_CORE && !ft_chip_txe_n(d->chip) && !tw_top_model_hold(d->m);
}

static void core_edge_pre(struct twdev *d, int accepted[2])
{
    d->st.core_clocks++;
    for (unsigned pi = 0; pi < 2; pi++) {
        struct port *p = &d->port[pi];
        accepted[pi] = p->cur.valid && tw_top_model_in_ready(d->m, pi);
        /* egress eport carries ingress pi ^ 1 */
        struct tw_top_beat b;
        tw_top_model_out_get(d->m, pi, &b);
        if (b.valid) {
            struct port *src = &d->port[pi ^ 1u];
            unsigned n = 0;
            uint8_t bytes[8];
            for (unsigned i = 0; i < 8; i++)
                if (b.keep & (1u << i))
                    bytes[n++] = (uint8_t)(b.data >> (8 * i));
            src->out_hash = fnv(src->out_hash, bytes, n);
            src->out_len += n;
            d->quiet = 0;
            if (b.last) {
                d->st.frames_out[pi ^ 1u]++;
                d->st.bytes_out[pi ^ 1u] += src->out_len;
                if (src->cn) {
                    const struct fcheck *c = &src->chk[src->chead];
                    if (c->hash != src->out_hash || c->len != src->out_len)
                        d->st.out_bad++;
                    src->chead = (src->chead + 1) % src->ccap;
                    src->cn--;
                } else if (src->ccap < CMP_MAX) {
                    d->st.out_bad++; /* a frame nobody sent */
                }
                src->out_hash = FNV0;
                src->out_len = 0;
            }
        }
    }
    if (d->flush_on) {
        tw_top_model_flush(d->m, 0);
        d->flush_on = 0;
    } else if (d->flush_pending && flush_safe(d)) {
        tw_top_model_flush(d->m, 1); /* high for exactly this edge */
        d->flush_on = 1;
        d->flush_pending = 0;
        d->quiet = 0;
    }
}

static void core_edge_post(struct twdev *d, const int accepted[2])
{
    int start[2] = {0, 0};
    int hold = d->cfg.pace && tw_top_model_hold(d->m);
    for (unsigned pi = 0; pi < 2; pi++) {
        struct port *p = &d->port[pi];
        if (accepted[pi]) {
            const struct frame *f = &p->q[p->head];
            size_t n = f->len - p->off < 8 ? f->len - p->off : 8;
            p->in_hash = fnv(p->in_hash, f->data + p->off, n);
            p->off += n;
            d->quiet = 0;
            if (p->off == f->len) {
                d->st.frames_in[pi]++;
                d->st.bytes_in[pi] += f->len;
                chk_push(d, p, p->in_hash, f->len);
                p->in_hash = FNV0;
                free(f->data);
                p->head = (p->head + 1) % p->cap;
                p->n--;
                p->off = 0;
                p->gap = d->cfg.frame_gap;
            }
        } else if (p->gap && !p->cur.valid) {
            p->gap--;
        }
        struct tw_top_beat b;
        make_beat(p, &b);
        if (hold && b.valid && p->off == 0 && !p->cur.valid)
            memset(&b, 0, sizeof(b)); /* pacing: no new frame while records wait */
        start[pi] = b.valid && p->off == 0;
        p->cur = b;
    }
    /* one frame start per clock, so each record gets its own frame's timestamp: B waits a clock if A starts */
    if (start[0] && start[1]) {
        memset(&d->port[1].cur, 0, sizeof(d->port[1].cur));
        start[1] = 0;
    }
    for (unsigned pi = 0; pi < 2; pi++) {
        tw_top_model_in_set(d->m, pi, d->port[pi].cur.valid ? &d->port[pi].cur : NULL);
        if (start[pi])
            tw_top_model_sim_ts(d->m, 1, d->port[pi].q[d->port[pi].head].ts);
    }
}

static void one_edge(struct twdev *d)
{
    unsigned mask = tw_top_model_next(d->m);
    int acc[2] = {0, 0};
    if (mask & TW_TOP_EDGE_FT)
        ft_edge_pre(d);
    if (mask & TW_TOP_EDGE_CORE)
        core_edge_pre(d, acc);
    tw_top_model_edge(d->m);
    if (mask & TW_TOP_EDGE_FT)
        ft_edge_post(d);
    if (mask & TW_TOP_EDGE_CORE) {
        core_edge_post(d, acc);
        d->quiet++;
    }
}

void twdev_run(struct twdev *d, uint64_t core_clocks)
{
    uint64_t end = d->st.core_clocks + core_clocks;
    while (d->st.core_clocks < end)
        one_edge(d);
}

static int idle_now(struct twdev *d)
{
    if (d->port[0].n || d->port[1].n || d->flush_pending || d->flush_on || tw_top_model_flush_busy(d->m))
        return 0;
    if (ft_chip_fifo_mode(d->chip) &&
        (ft_chip_host_out_pending(d->chip) || ft_chip_rx_fill(d->chip) || ft_chip_tx_fill(d->chip)))
        return 0;
    if (d->quiet < QUIET_CORE)
        return 0;
    if (ft_chip_expire_latency(d->chip)) { /* a last short packet leaves as the latency timer would send it */
        d->quiet = 0;
        return 0;
    }
    return 1;
}

int twdev_run_idle(struct twdev *d, uint64_t max_core_clocks)
{
    uint64_t start = d->st.core_clocks;
    while (!idle_now(d)) {
        if (max_core_clocks && d->st.core_clocks - start >= max_core_clocks)
            return -ETIMEDOUT;
        one_edge(d);
    }
    return 0;
}

int twdev_run_until_avail(struct twdev *d, size_t bytes, uint64_t max_core_clocks)
{
    uint64_t start = d->st.core_clocks;
    while (ft_chip_host_avail(d->chip) < bytes) {
        if (max_core_clocks && d->st.core_clocks - start >= max_core_clocks)
            return -ETIMEDOUT;
        one_edge(d);
    }
    return 0;
}

/* ---------------------------------------------------------------- host side */
int twdev_host_write(struct twdev *d, const uint8_t *p, size_t n)
{
    d->quiet = 0;
    return ft_chip_host_write(d->chip, p, n);
}

size_t twdev_host_out_pending(const struct twdev *d) { return ft_chip_host_out_pending(d->chip); }
int twdev_host_read_packet(struct twdev *d, uint8_t *pkt, size_t cap)
{
    return ft_chip_host_read_packet(d->chip, pkt, cap);
}
size_t twdev_host_read(struct twdev *d, uint8_t *p, size_t cap) { return ft_chip_host_read(d->chip, p, cap); }
size_t twdev_host_avail(const struct twdev *d) { return ft_chip_host_avail(d->chip); }
void twdev_host_stall(struct twdev *d, int stall) { ft_chip_host_stall(d->chip, stall); }

int twdev_vendor_out(struct twdev *d, uint8_t request, uint16_t value, uint16_t index)
{
    (void)index; /* the interface number: one FIFO interface is modelled */
    switch (request) {
    case TWDEV_SIO_RESET:
        if (value > 2)
            return -EINVAL;
        /* 1: chip -> host data, 2: host -> chip data */
        ft_chip_purge(d->chip, value == 0 || value == 1, value == 0 || value == 2);
        return 0;
    case TWDEV_SIO_SET_LATENCY_TIMER:
        if (value < 1 || value > 255)
            return -EINVAL;
        set_latency(d, value);
        return 0;
    case TWDEV_SIO_SET_BITMODE: {
        unsigned mode = value >> 8;
        if (mode == TWDEV_BITMODE_SYNCFF)
            ft_chip_set_fifo_mode(d->chip, 1);
        else if (mode == TWDEV_BITMODE_RESET)
            ft_chip_set_fifo_mode(d->chip, 0);
        else
            return -EINVAL;
        return 0;
    }
    default:
        return -EOPNOTSUPP;
    }
}

int twdev_set_bitmode(struct twdev *d, uint8_t mask, uint8_t mode)
{
    return twdev_vendor_out(d, TWDEV_SIO_SET_BITMODE, (uint16_t)(mode << 8 | mask), 0);
}

int twdev_set_latency_timer(struct twdev *d, unsigned ms)
{
    return ms > 0xffff ? -EINVAL : twdev_vendor_out(d, TWDEV_SIO_SET_LATENCY_TIMER, (uint16_t)ms, 0);
}

unsigned twdev_get_latency_timer(const struct twdev *d) { return d->latency_ms; }
uint64_t twdev_time_ps(const struct twdev *d) { return tw_top_model_time_ps(d->m); }
struct tw_top_model *twdev_model(struct twdev *d) { return d->m; }

void twdev_stats(const struct twdev *d, struct twdev_stats *st)
{
    struct ft_chip_stats c;
    ft_chip_stats(d->chip, &c);
    *st = d->st;
    st->ft_clocks = c.ft_clocks;
    st->txe_low = c.txe_low;
    st->tx_moved = c.tx_moved;
    st->rx_moved = c.rx_moved;
    st->in_packets = c.in_packets;
    st->violations = c.violations;
    st->siwu = c.siwu;
    st->lost_events += c.lost_events;
}
