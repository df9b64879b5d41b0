/* The bench around a simulated board: clocks, RGMII PHY models, FT245 chip model (see boards_sim.h). */
#include "boards_sim.h"

#include <stdlib.h>
#include <string.h>

/* a byte stream with per-byte flags */
struct bytebuf {
    uint8_t *b;
    uint8_t *fl;      /* bit 0 dv/en, bit 1 er */
    size_t head, len, cap;
};

static int bb_push(struct bytebuf *q, uint8_t v, uint8_t fl) {
    if (q->head > 0 && q->head == q->len) {
        q->head = q->len = 0;
    }
    if (q->len == q->cap) {
        if (q->head > 0) {
            memmove(q->b, q->b + q->head, q->len - q->head);
            memmove(q->fl, q->fl + q->head, q->len - q->head);
            q->len -= q->head;
            q->head = 0;
        }
        if (q->len == q->cap) {
            size_t nc = q->cap ? q->cap * 2 : 4096;
            uint8_t *nb = realloc(q->b, nc);
            if (!nb)
                return -1;
            q->b = nb;
            uint8_t *nf = realloc(q->fl, nc);
            if (!nf)
                return -1;
            q->fl = nf;
            q->cap = nc;
        }
    }
    q->b[q->len] = v;
    q->fl[q->len] = fl;
    q->len++;
    return 0;
}

static size_t bb_avail(const struct bytebuf *q) { return q->len - q->head; }

static void bb_free(struct bytebuf *q) {
    free(q->b);
    free(q->fl);
    memset(q, 0, sizeof(*q));
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

/* transmit-side decoder of one port */
struct txdec {
    uint8_t *cur;
    size_t cur_len, cur_cap;
    int in_frame, er;
    uint32_t idle;           /* idle byte times since the last frame */
    struct tw_bsys_frame *q; /* decoded frames */
    size_t qh, qn, qcap;
    int oom;
};

struct clk {
    uint32_t quarter;        /* ps */
    uint64_t next;           /* ps of the next quarter event */
    int phase;               /* 0 rise, 1, 2 fall, 3 */
};

enum { C_CORE = 0, C_RX0 = 1, C_RX1 = 2, C_FT = 3, NCLK = 4 };

struct tw_bsys {
    struct tw_board *b;
    struct tw_board_pins p;
    struct clk c[NCLK];
    uint64_t now;
    struct bytebuf rx[2];    /* wire bytes to send on each PHY's receive side */
    int rx_cur_valid[2];
    uint8_t rx_cur[2], rx_cur_fl[2];
    uint8_t tx_lo[2], tx_ctl_lo[2];
    struct txdec td[2];
    struct bytebuf h2d;      /* host -> FPGA */
    uint8_t *d2h;            /* FPGA -> host */
    size_t d2h_len, d2h_cap;
    int d2h_oom;
    uint64_t cycles, violations, last_activity;
    int oe_prev;             /* OE# was low at the previous CLKOUT edge */
};

struct tw_bsys *tw_bsys_new(const struct tw_bsys_cfg *cfg) {
    struct tw_bsys_cfg d = {8000, {8004, 7996}, 16668};
    if (cfg)
        d = *cfg;
    if (d.core_ps % 4 || d.rx_ps[0] % 4 || d.rx_ps[1] % 4 || d.ft_ps % 4 || !d.core_ps || !d.rx_ps[0] ||
        !d.rx_ps[1] || !d.ft_ps)
        return NULL;
    struct tw_bsys *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->b = tw_board_new();
    if (!s->b) {
        free(s);
        return NULL;
    }
    s->c[C_CORE].quarter = d.core_ps / 4;
    s->c[C_RX0].quarter = d.rx_ps[0] / 4;
    s->c[C_RX1].quarter = d.rx_ps[1] / 4;
    s->c[C_FT].quarter = d.ft_ps / 4;
    /* start phases apart so edges of different clocks rarely coincide */
    s->c[C_CORE].next = 0;
    s->c[C_RX0].next = 700;
    s->c[C_RX1].next = 1300;
    s->c[C_FT].next = 2900;
    s->p.rst_n = 1;
    s->p.ft_rxf_n = 1;
    s->p.ft_txe_n = 0;
    s->p.ft_rd_n = s->p.ft_wr_n = s->p.ft_oe_n = 1;
    tw_board_eval(s->b, &s->p);
    return s;
}

void tw_bsys_free(struct tw_bsys *s) {
    if (!s)
        return;
    for (int i = 0; i < 2; i++) {
        bb_free(&s->rx[i]);
        free(s->td[i].cur);
        for (size_t k = s->td[i].qh; k < s->td[i].qn; k++)
            free(s->td[i].q[k].data);
        free(s->td[i].q);
    }
    bb_free(&s->h2d);
    free(s->d2h);
    tw_board_free(s->b);
    free(s);
}

int tw_bsys_send(struct tw_bsys *s, int port, const uint8_t *frame, size_t len, unsigned flags, unsigned ifg) {
    if (port < 0 || port >= tw_board_ports())
        return -1;
    struct bytebuf *q = &s->rx[port];
    uint32_t fcs = crc32_ieee(frame, len);
    if (flags & TW_BSYS_BAD_FCS)
        fcs ^= 0x00010000u;
    int rc = 0;
    for (int i = 0; i < 7; i++)
        rc |= bb_push(q, (flags & TW_BSYS_BAD_PREAMBLE) && i == 2 ? 0x5D : 0x55, 1);
    rc |= bb_push(q, 0xD5, 1);
    for (size_t i = 0; i < len; i++)
        rc |= bb_push(q, frame[i], (flags & TW_BSYS_RX_ER) && i == len / 2 ? 3 : 1);
    for (int i = 0; i < 4; i++)
        rc |= bb_push(q, (uint8_t)(fcs >> (8 * i)), 1);
    for (unsigned i = 0; i < ifg; i++)
        rc |= bb_push(q, 0, 0);
    return rc ? -1 : 0;
}

size_t tw_bsys_rx_pending(const struct tw_bsys *s, int port) {
    if (port < 0 || port > 1)
        return 0;
    return bb_avail(&s->rx[port]) + (size_t)s->rx_cur_valid[port];
}

int tw_bsys_tx_next(struct tw_bsys *s, int port, struct tw_bsys_frame *f) {
    if (port < 0 || port > 1)
        return 0;
    struct txdec *t = &s->td[port];
    if (t->qh == t->qn)
        return 0;
    *f = t->q[t->qh++];
    if (t->qh == t->qn)
        t->qh = t->qn = 0;
    return 1;
}

/* one transmitted byte time on a port: en/er from TX_CTL's two halves */
static void txdec_byte(struct tw_bsys *s, int port, uint8_t v, int en, int er) {
    struct txdec *t = &s->td[port];
    if (en) {
        if (!t->in_frame) {
            t->in_frame = 1;
            t->cur_len = 0;
            t->er = 0;
        }
        if (t->cur_len == t->cur_cap) {
            size_t nc = t->cur_cap ? t->cur_cap * 2 : 2048;
            uint8_t *nb = realloc(t->cur, nc);
            if (!nb) {
                t->oom = 1;
                return;
            }
            t->cur = nb;
            t->cur_cap = nc;
        }
        t->cur[t->cur_len++] = v;
        t->er |= er;
        s->last_activity = s->cycles;
        return;
    }
    if (!t->in_frame) {
        t->idle++;
        return;
    }
    /* end of frame */
    t->in_frame = 0;
    struct tw_bsys_frame f = {0};
    f.ifg_before = t->idle;
    t->idle = 1;
    f.tx_er = t->er;
    f.preamble_ok = t->cur_len >= 8;
    for (size_t i = 0; i < 8 && i < t->cur_len; i++)
        if (t->cur[i] != (i == 7 ? 0xD5 : 0x55))
            f.preamble_ok = 0;
    if (t->cur_len >= 12) {
        f.len = t->cur_len - 12;
        const uint8_t *fcs = t->cur + 8 + f.len;
        uint32_t w = (uint32_t)fcs[0] | (uint32_t)fcs[1] << 8 | (uint32_t)fcs[2] << 16 | (uint32_t)fcs[3] << 24;
        f.fcs_ok = crc32_ieee(t->cur + 8, f.len) == w;
    }
    f.data = malloc(f.len ? f.len : 1);
    if (!f.data) {
        t->oom = 1;
        return;
    }
    if (f.len)
        memcpy(f.data, t->cur + 8, f.len);
    if (t->qn == t->qcap) {
        size_t nc = t->qcap ? t->qcap * 2 : 64;
        struct tw_bsys_frame *nq = realloc(t->q, nc * sizeof(*nq));
        if (!nq) {
            free(f.data);
            t->oom = 1;
            return;
        }
        t->q = nq;
        t->qcap = nc;
    }
    t->q[t->qn++] = f;
}

/* the PHY puts the next nibble of port's current byte on the pins (hi: the falling-edge half) */
static void rx_drive(struct tw_bsys *s, int port, int hi) {
    if (!hi) {
        struct bytebuf *q = &s->rx[port];
        if (bb_avail(q)) {
            s->rx_cur[port] = q->b[q->head];
            s->rx_cur_fl[port] = q->fl[q->head];
            q->head++;
            s->rx_cur_valid[port] = 1;
        } else {
            s->rx_cur[port] = 0;
            s->rx_cur_fl[port] = 0;
            s->rx_cur_valid[port] = 0;
        }
        s->p.rxd[port] = s->rx_cur[port] & 0xF;
        s->p.rx_ctl[port] = s->rx_cur_fl[port] & 1;
    } else {
        int dv = s->rx_cur_fl[port] & 1, er = (s->rx_cur_fl[port] >> 1) & 1;
        s->p.rxd[port] = s->rx_cur[port] >> 4;
        s->p.rx_ctl[port] = (uint8_t)(dv ^ er);
    }
}

/* FT245 chip at a CLKOUT rising edge, with the FPGA's outputs as they were before it */
static void ft_edge(struct tw_bsys *s) {
    struct tw_board_pins *p = &s->p;
    if (p->ft_d_oe && !p->ft_oe_n)
        s->violations++;                       /* both drive D */
    if (!p->ft_rd_n && !p->ft_rxf_n) {
        if (!s->oe_prev)
            s->violations++;                   /* RD# without OE# a clock earlier */
        s->h2d.head++;                         /* the byte on the bus moved */
        s->last_activity = s->cycles;
    }
    if (!p->ft_wr_n && !p->ft_txe_n) {
        if (!p->ft_d_oe)
            s->violations++;
        if (s->d2h_len == s->d2h_cap) {
            size_t nc = s->d2h_cap ? s->d2h_cap * 2 : 4096;
            uint8_t *nb = realloc(s->d2h, nc);
            if (!nb) {
                s->d2h_oom = 1;
                return;
            }
            s->d2h = nb;
            s->d2h_cap = nc;
        }
        s->d2h[s->d2h_len++] = p->ft_d_out;
        s->last_activity = s->cycles;
    }
    s->oe_prev = !p->ft_oe_n;
}

static void ft_after_edge(struct tw_bsys *s) {
    struct tw_board_pins *p = &s->p;
    p->ft_rxf_n = bb_avail(&s->h2d) ? 0 : 1;
    p->ft_d = bb_avail(&s->h2d) ? s->h2d.b[s->h2d.head] : 0;
    p->ft_txe_n = 0;
}

static void step(struct tw_bsys *s) {
    uint64_t t = UINT64_MAX;
    for (int i = 0; i < NCLK; i++)
        if (s->c[i].next < t)
            t = s->c[i].next;
    s->now = t;
    int need_eval = 0;
    for (int i = 0; i < NCLK; i++) {
        struct clk *c = &s->c[i];
        if (c->next != t)
            continue;
        int ph = c->phase;
        c->phase = (ph + 1) & 3;
        c->next += c->quarter;
        switch (i) {
        case C_CORE:
            if (ph == 0) {
                s->p.clk = 1;
                s->cycles++;
                need_eval = 1;
            } else if (ph == 1) {
                for (int k = 0; k < tw_board_ports(); k++) {
                    s->tx_lo[k] = s->p.txd[k];
                    s->tx_ctl_lo[k] = s->p.tx_ctl[k];
                }
            } else if (ph == 2) {
                s->p.clk = 0;
                need_eval = 1;
            } else {
                for (int k = 0; k < tw_board_ports(); k++) {
                    int en = s->tx_ctl_lo[k] & 1;
                    int er = (s->p.tx_ctl[k] & 1) ^ en;
                    txdec_byte(s, k, (uint8_t)((s->tx_lo[k] & 0xF) | (s->p.txd[k] & 0xF) << 4), en, er);
                }
            }
            break;
        case C_RX0:
        case C_RX1: {
            int port = i - C_RX0;
            if (port >= tw_board_ports())
                break;
            if (ph == 0)
                s->p.rxc[port] = 1;
            else if (ph == 1)
                rx_drive(s, port, 1);
            else if (ph == 2)
                s->p.rxc[port] = 0;
            else
                rx_drive(s, port, 0);
            need_eval = 1;
            break;
        }
        default: /* C_FT */
            if (ph == 0) {
                ft_edge(s);
                s->p.ft_clk = 1;
                need_eval = 1;
            } else if (ph == 1) {
                ft_after_edge(s);
                need_eval = 1;
            } else if (ph == 2) {
                s->p.ft_clk = 0;
                need_eval = 1;
            }
            break;
        }
    }
    if (need_eval)
        tw_board_eval(s->b, &s->p);
}

void tw_bsys_run(struct tw_bsys *s, uint64_t n) {
    uint64_t end = s->cycles + n;
    while (s->cycles < end)
        step(s);
}

int tw_bsys_run_quiet(struct tw_bsys *s, uint64_t quiet, uint64_t max) {
    uint64_t end = s->cycles + max;
    while (s->cycles < end) {
        step(s);
        int busy = bb_avail(&s->rx[0]) || bb_avail(&s->rx[1]) || s->rx_cur_valid[0] || s->rx_cur_valid[1] ||
                   bb_avail(&s->h2d) || s->td[0].in_frame || s->td[1].in_frame;
        if (busy)
            s->last_activity = s->cycles;
        else if (s->cycles - s->last_activity >= quiet)
            return 0;
    }
    return -1;
}

int tw_bsys_host_write(struct tw_bsys *s, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (bb_push(&s->h2d, p[i], 0))
            return -1;
    s->last_activity = s->cycles;
    return 0;
}

size_t tw_bsys_host_read(struct tw_bsys *s, uint8_t *p, size_t cap) {
    size_t n = s->d2h_len < cap ? s->d2h_len : cap;
    memcpy(p, s->d2h, n);
    memmove(s->d2h, s->d2h + n, s->d2h_len - n);
    s->d2h_len -= n;
    return n;
}

const struct tw_board_pins *tw_bsys_pins(const struct tw_bsys *s) { return &s->p; }

void tw_bsys_stats(const struct tw_bsys *s, struct tw_bsys_stats *st) {
    memset(st, 0, sizeof(*st));
    st->core_cycles = s->cycles;
    st->ft_violations = s->violations + (uint64_t)(s->d2h_oom || s->td[0].oom || s->td[1].oom);
    for (int i = 0; i < 2; i++)
        st->tx_frames[i] = s->td[i].qn - s->td[i].qh;
}
