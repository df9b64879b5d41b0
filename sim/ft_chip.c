/* The FT2232H model of the simulators: see sim/ft_chip.h. */
#include "ft_chip.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct bytes { /* a byte FIFO that grows */
    uint8_t *b;
    size_t head, len, cap;
};

static int bq_push(struct bytes *q, const uint8_t *p, size_t n)
{
    if (q->head + q->len + n > q->cap) {
        if (q->head) {
            memmove(q->b, q->b + q->head, q->len);
            q->head = 0;
        }
        if (q->len + n > q->cap) {
            size_t cap = q->cap ? q->cap : 4096;
            while (cap < q->len + n)
                cap *= 2;
            uint8_t *nb = realloc(q->b, cap);
            if (!nb)
                return -ENOMEM;
            q->b = nb;
            q->cap = cap;
        }
    }
    memcpy(q->b + q->head + q->len, p, n);
    q->len += n;
    return 0;
}

static uint8_t bq_pop1(struct bytes *q)
{
    uint8_t v = q->b[q->head++];
    if (!--q->len)
        q->head = 0;
    return v;
}

struct ring { /* a fixed-size chip FIFO */
    uint8_t *b;
    size_t head, len, cap;
};

static int ring_full(const struct ring *r) { return r->len == r->cap; }
static void ring_put(struct ring *r, uint8_t v) { r->b[(r->head + r->len++) % r->cap] = v; }
static uint8_t ring_front(const struct ring *r) { return r->b[r->head]; }
static void ring_drop(struct ring *r)
{
    r->head = (r->head + 1) % r->cap;
    r->len--;
}

struct pkt { /* a formed IN packet */
    uint16_t len, off; /* off: payload bytes already read through ft_chip_host_read */
    uint8_t b[FT_CHIP_PACKET];
};

struct ft_chip {
    struct ft_chip_cfg cfg;
    struct bytes host_out;   /* bulk OUT bytes not yet in rx */
    struct ring rx, tx;
    struct pkt *pk;          /* formed packets, a ring that grows */
    size_t phead, pn, pcap;
    size_t avail;            /* payload bytes in pk not yet read */
    uint8_t cur[FT_CHIP_PACKET]; /* the packet being formed */
    size_t cur_len;
    double credit_in, credit_out;
    uint64_t pkt_idle;
    int fifo_mode, stall, force_txe, flush_req;
    int rxf_n, txe_n, prev_oe_n, prev_siwu_n;
    struct ft_chip_stats st;
};

int ft_chip_new(struct ft_chip **out, const struct ft_chip_cfg *cfg)
{
    *out = NULL;
    if (!cfg || !cfg->rx_fifo || !cfg->tx_fifo || !(cfg->host_in_rate > 0) || !(cfg->host_out_rate > 0))
        return -EINVAL;
    struct ft_chip *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->cfg = *cfg;
    c->rx.cap = cfg->rx_fifo;
    c->tx.cap = cfg->tx_fifo;
    c->rx.b = malloc(c->rx.cap);
    c->tx.b = malloc(c->tx.cap);
    if (!c->rx.b || !c->tx.b) {
        ft_chip_free(c);
        return -ENOMEM;
    }
    c->fifo_mode = cfg->fifo_mode != 0;
    c->cur_len = FT_CHIP_STATUS;
    c->prev_oe_n = 1;
    c->prev_siwu_n = 1;
    c->rxf_n = 1;
    c->txe_n = 1;
    *out = c;
    return 0;
}

void ft_chip_free(struct ft_chip *c)
{
    if (!c)
        return;
    free(c->host_out.b);
    free(c->rx.b);
    free(c->tx.b);
    free(c->pk);
    free(c);
}

/* ---------------------------------------------------------------- the FPGA side */
unsigned ft_chip_edge_pre(struct ft_chip *c, const struct ft_chip_fpga *o)
{
    unsigned what = 0;
    c->st.ft_clocks++;
    if ((o->d_oe && !o->oe_n) || (!o->rd_n && (o->oe_n || c->prev_oe_n)) || (!o->wr_n && (!o->oe_n || !o->d_oe)))
        c->st.violations++;
    if (!c->txe_n)
        c->st.txe_low++;
    if (!o->rd_n && !c->rxf_n) {
        ring_drop(&c->rx);
        c->st.rx_moved++;
        what |= FT_CHIP_MOVED;
    }
    if (!o->wr_n && !c->txe_n) {
        if (!ring_full(&c->tx))
            ring_put(&c->tx, o->d_out);
        else
            c->st.violations++; /* TXE# was low on a full FIFO: only with force_txe off can this not happen */
        c->st.tx_moved++;
        what |= FT_CHIP_MOVED;
    }
    if (!o->siwu_n && c->prev_siwu_n) {
        c->st.siwu++;
        c->flush_req = 1;
    }
    c->prev_oe_n = o->oe_n;
    c->prev_siwu_n = o->siwu_n;
    return what;
}

/* The packet being formed becomes a formed packet: 1. Out of memory it is lost (and counted): 0. */
static int deliver_packet(struct ft_chip *c)
{
    c->pkt_idle = 0;
    if (c->pn == c->pcap) {
        size_t cap = c->pcap ? 2 * c->pcap : 64;
        struct pkt *np = malloc(cap * sizeof(*np));
        if (!np) {
            c->st.lost_events++;
            c->cur_len = FT_CHIP_STATUS;
            return 0;
        }
        for (size_t i = 0; i < c->pn; i++)
            np[i] = c->pk[(c->phead + i) % c->pcap];
        free(c->pk);
        c->pk = np;
        c->pcap = cap;
        c->phead = 0;
    }
    struct pkt *k = &c->pk[(c->phead + c->pn) % c->pcap];
    c->cur[0] = FT_CHIP_MODEM0;
    c->cur[1] = FT_CHIP_MODEM1;
    memcpy(k->b, c->cur, c->cur_len);
    k->len = (uint16_t)c->cur_len;
    k->off = 0;
    c->pn++;
    c->avail += c->cur_len - FT_CHIP_STATUS;
    c->st.in_packets++;
    c->cur_len = FT_CHIP_STATUS;
    return 1;
}

unsigned ft_chip_edge_post(struct ft_chip *c)
{
    unsigned what = 0;
    if (c->fifo_mode) {
        /* host -> chip */
        c->credit_out += c->cfg.host_out_rate;
        if (c->credit_out > 2.0)
            c->credit_out = 2.0;
        while (c->credit_out >= 1.0 && c->host_out.len && !ring_full(&c->rx)) {
            ring_put(&c->rx, bq_pop1(&c->host_out));
            c->credit_out -= 1.0;
        }
        /* chip -> host, in IN packets */
        if (!c->stall) {
            c->credit_in += c->cfg.host_in_rate;
            if (c->credit_in > 2.0)
                c->credit_in = 2.0;
            int moved = 0;
            while (c->credit_in >= 1.0 && c->tx.len && c->cur_len < FT_CHIP_PACKET) {
                c->cur[c->cur_len++] = ring_front(&c->tx);
                ring_drop(&c->tx);
                c->credit_in -= 1.0;
                moved = 1;
            }
            c->pkt_idle = moved ? 0 : c->pkt_idle + 1;
            int full = c->cur_len == FT_CHIP_PACKET;
            int due = c->cur_len > FT_CHIP_STATUS &&
                      ((c->flush_req && !c->tx.len) || c->pkt_idle >= c->cfg.latency_clocks);
            if ((full || due) && deliver_packet(c))
                what |= FT_CHIP_DELIVERED;
            if (c->flush_req && !c->tx.len)
                c->flush_req = 0;
        }
    }
    if (c->cur_len > FT_CHIP_STATUS || c->tx.len)
        what |= FT_CHIP_BUSY;
    return what;
}

void ft_chip_drive(struct ft_chip *c, int oe_n, struct ft_chip_pins *p)
{
    c->rxf_n = !c->fifo_mode || c->rx.len == 0;
    c->txe_n = !c->fifo_mode || c->force_txe || ring_full(&c->tx);
    p->rxf_n = (uint8_t)c->rxf_n;
    p->txe_n = (uint8_t)c->txe_n;
    p->d = (!oe_n && c->rx.len) ? ring_front(&c->rx) : 0xff;
}

int ft_chip_txe_n(const struct ft_chip *c) { return c->txe_n; }

/* ---------------------------------------------------------------- the host side */
int ft_chip_host_write(struct ft_chip *c, const uint8_t *p, size_t n)
{
    return n ? bq_push(&c->host_out, p, n) : 0;
}

size_t ft_chip_host_out_pending(const struct ft_chip *c) { return c->host_out.len; }

int ft_chip_host_read_packet(struct ft_chip *c, uint8_t *pkt, size_t cap)
{
    if (!c->pn)
        return 0;
    struct pkt *k = &c->pk[c->phead];
    size_t rest = (size_t)(k->len - FT_CHIP_STATUS - k->off);
    if (cap < FT_CHIP_STATUS + rest)
        return -ENOSPC;
    memcpy(pkt, k->b, FT_CHIP_STATUS);
    memcpy(pkt + FT_CHIP_STATUS, k->b + FT_CHIP_STATUS + k->off, rest);
    c->avail -= rest;
    c->phead = (c->phead + 1) % c->pcap;
    c->pn--;
    return (int)(FT_CHIP_STATUS + rest);
}

size_t ft_chip_host_read(struct ft_chip *c, uint8_t *p, size_t cap)
{
    size_t got = 0;
    while (got < cap && c->pn) {
        struct pkt *k = &c->pk[c->phead];
        size_t rest = (size_t)(k->len - FT_CHIP_STATUS - k->off);
        size_t n = rest < cap - got ? rest : cap - got;
        memcpy(p + got, k->b + FT_CHIP_STATUS + k->off, n);
        got += n;
        k->off = (uint16_t)(k->off + n);
        c->avail -= n;
        if (k->off + FT_CHIP_STATUS == k->len) {
            c->phead = (c->phead + 1) % c->pcap;
            c->pn--;
        }
    }
    return got;
}

size_t ft_chip_host_avail(const struct ft_chip *c) { return c->avail; }
void ft_chip_host_stall(struct ft_chip *c, int stall) { c->stall = stall != 0; }

int ft_chip_expire_latency(struct ft_chip *c)
{
    if (!c->fifo_mode || c->stall || c->cur_len <= FT_CHIP_STATUS)
        return 0;
    return deliver_packet(c);
}

/* ---------------------------------------------------------------- chip state */
void ft_chip_set_fifo_mode(struct ft_chip *c, int on) { c->fifo_mode = on != 0; }
int ft_chip_fifo_mode(const struct ft_chip *c) { return c->fifo_mode; }
void ft_chip_set_latency(struct ft_chip *c, uint64_t clocks) { c->cfg.latency_clocks = clocks; }
void ft_chip_force_txe_high(struct ft_chip *c, int on) { c->force_txe = on != 0; }

void ft_chip_purge(struct ft_chip *c, int chip_to_host, int host_to_chip)
{
    if (chip_to_host) {
        c->tx.len = 0;
        c->tx.head = 0;
        c->cur_len = FT_CHIP_STATUS;
    }
    if (host_to_chip) {
        c->rx.len = 0;
        c->rx.head = 0;
    }
}

size_t ft_chip_rx_fill(const struct ft_chip *c) { return c->rx.len; }
size_t ft_chip_tx_fill(const struct ft_chip *c) { return c->tx.len; }
uint64_t ft_chip_clocks(const struct ft_chip *c) { return c->st.ft_clocks; }
void ft_chip_stats(const struct ft_chip *c, struct ft_chip_stats *st) { *st = c->st; }
