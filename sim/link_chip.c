/* The simulated host link system: see sim/link_chip.h. */
#include "link_chip.h"

#include <stdlib.h>
#include <string.h>

#include "tapwatch/proto.h"

#define EXT_WORDS 4096
#define QUIET_CLOCKS 5000 /* > ERR_GAP of the model (8192 core clocks = 3932 CLKOUT) */

struct bytes { /* a FIFO of bytes that grows */
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
                return -1;
            q->b = nb;
            q->cap = cap;
        }
    }
    memcpy(q->b + q->head + q->len, p, n);
    q->len += n;
    return 0;
}

static size_t bq_pop(struct bytes *q, uint8_t *p, size_t cap)
{
    size_t n = q->len < cap ? q->len : cap;
    memcpy(p, q->b + q->head, n);
    q->head += n;
    q->len -= n;
    if (!q->len)
        q->head = 0;
    return n;
}

struct ring { /* fixed-size FIFO of the chip */
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

struct rec {
    uint8_t type, len;
    uint8_t data[TW_LINK_REC_BYTES];
};

struct tw_link_sys {
    struct tw_link_sys_cfg cfg;
    struct tw_link_model *m;
    /* chip and host */
    struct bytes host_out, host_in;
    struct ring rx, tx;
    uint8_t pkt[TW_FTDI_PACKET];
    size_t pkt_len;
    double credit_in, credit_out;
    uint32_t pkt_idle;
    int stall, force_txe, flush_req;
    int rxf_n, txe_n, prev_oe_n, prev_siwu_n;
    uint64_t quiet;
    /* core side */
    uint64_t counters[TW_LINK_CNT_N];
    uint32_t *ext;
    uint32_t ext_rdata, status;
    uint64_t cnt_data;
    struct tw_link_tbl_write *tbl;
    size_t ntbl, captbl;
    struct rec *recs;
    size_t rhead, rlen, rcap;
    uint32_t rec_gap, rec_wait;
    struct tw_link_sys_stats st;
};

static void set_ft_pins(struct tw_link_sys *s)
{
    struct tw_link_ft_out o;
    tw_link_model_ft_get(s->m, &o);
    s->rxf_n = s->rx.len == 0;
    s->txe_n = s->force_txe || ring_full(&s->tx);
    uint8_t d = (!o.oe_n && s->rx.len) ? ring_front(&s->rx) : 0xff;
    tw_link_model_ft_set(s->m, s->rxf_n, s->txe_n, d);
}

struct tw_link_sys *tw_link_sys_new(const struct tw_link_sys_cfg *cfg)
{
    struct tw_link_sys *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    struct tw_link_sys_cfg def = {8000, 16667, 4096, 4096, 40.0 / 60.0, 35.0 / 60.0, 2000};
    s->cfg = cfg ? *cfg : def;
    if (!s->cfg.chip_rx_fifo || !s->cfg.chip_tx_fifo)
        goto fail;
    s->rx.cap = s->cfg.chip_rx_fifo;
    s->tx.cap = s->cfg.chip_tx_fifo;
    s->rx.b = malloc(s->rx.cap);
    s->tx.b = malloc(s->tx.cap);
    s->ext = calloc(EXT_WORDS, sizeof(*s->ext));
    s->m = tw_link_model_new(s->cfg.core_ps, s->cfg.ft_ps);
    if (!s->rx.b || !s->tx.b || !s->ext || !s->m)
        goto fail;
    s->pkt_len = TW_FTDI_STATUS;
    s->prev_oe_n = 1;
    s->prev_siwu_n = 1;
    tw_link_model_reset(s->m, 1);
    set_ft_pins(s);
    uint64_t n = 0;
    while (n < 16)
        if (tw_link_model_edge(s->m) & TW_LINK_EDGE_FT)
            n++;
    tw_link_model_reset(s->m, 0);
    return s;
fail:
    tw_link_sys_free(s);
    return NULL;
}

void tw_link_sys_free(struct tw_link_sys *s)
{
    if (!s)
        return;
    tw_link_model_free(s->m);
    free(s->host_out.b);
    free(s->host_in.b);
    free(s->rx.b);
    free(s->tx.b);
    free(s->ext);
    free(s->tbl);
    free(s->recs);
    free(s);
}

static void deliver_packet(struct tw_link_sys *s)
{
    uint8_t out[TW_FTDI_PACKET];
    s->pkt[0] = 0x32; /* modem status as the FT2232H sends it */
    s->pkt[1] = 0x60;
    int n = tw_ftdi_strip(s->pkt, s->pkt_len, out, TW_FTDI_PACKET);
    if (n >= 0 && bq_push(&s->host_in, out, (size_t)n) == 0)
        s->st.in_packets++;
    else
        s->st.lost_events++;
    s->pkt_len = TW_FTDI_STATUS;
    s->pkt_idle = 0;
}

static void ft_edge_pre(struct tw_link_sys *s)
{
    struct tw_link_ft_out o;
    tw_link_model_ft_get(s->m, &o);
    s->st.ft_clocks++;
    if ((o.d_oe && !o.oe_n) || (!o.rd_n && (o.oe_n || s->prev_oe_n)) || (!o.wr_n && (!o.oe_n || !o.d_oe)))
        s->st.violations++;
    if (!s->txe_n)
        s->st.txe_low++;
    if (!o.rd_n && !s->rxf_n) {
        ring_drop(&s->rx);
        s->st.rx_moved++;
        s->quiet = 0;
    }
    if (!o.wr_n && !s->txe_n) {
        if (!ring_full(&s->tx))
            ring_put(&s->tx, o.d_out);
        else
            s->st.violations++; /* only with force_txe off can this not happen */
        s->st.tx_moved++;
        s->st.tx_moved_txe++;
        s->quiet = 0;
    }
    if (!o.siwu_n && s->prev_siwu_n) {
        s->st.siwu++;
        s->flush_req = 1;
    }
    s->prev_oe_n = o.oe_n;
    s->prev_siwu_n = o.siwu_n;
}

static void ft_edge_post(struct tw_link_sys *s)
{
    s->quiet++;
    /* host -> chip */
    s->credit_out += s->cfg.host_out_rate;
    if (s->credit_out > 2.0)
        s->credit_out = 2.0;
    while (s->credit_out >= 1.0 && s->host_out.len && !ring_full(&s->rx)) {
        uint8_t v;
        bq_pop(&s->host_out, &v, 1);
        ring_put(&s->rx, v);
        s->credit_out -= 1.0;
    }
    /* chip -> host, in IN packets */
    if (!s->stall) {
        s->credit_in += s->cfg.host_in_rate;
        if (s->credit_in > 2.0)
            s->credit_in = 2.0;
        int moved = 0;
        while (s->credit_in >= 1.0 && s->tx.len && s->pkt_len < TW_FTDI_PACKET) {
            s->pkt[s->pkt_len++] = ring_front(&s->tx);
            ring_drop(&s->tx);
            s->credit_in -= 1.0;
            moved = 1;
        }
        s->pkt_idle = moved ? 0 : s->pkt_idle + 1;
        if (s->pkt_len == TW_FTDI_PACKET)
            deliver_packet(s);
        else if (s->pkt_len > TW_FTDI_STATUS &&
                 ((s->flush_req && !s->tx.len) || s->pkt_idle >= s->cfg.latency_clocks))
            deliver_packet(s);
        if (s->flush_req && !s->tx.len)
            s->flush_req = 0;
    }
    if (s->pkt_len > TW_FTDI_STATUS || s->tx.len)
        s->quiet = 0;
    set_ft_pins(s);
}

static void core_edge_pre(struct tw_link_sys *s)
{
    struct tw_link_core_out o;
    tw_link_model_core_get(s->m, &o);
    s->st.core_clocks++;
    if (o.ext_req && o.ext_addr < EXT_WORDS) {
        if (o.ext_we)
            s->ext[o.ext_addr] = o.ext_wdata;
        else
            s->ext_rdata = s->ext[o.ext_addr];
    }
    if (o.tbl_we) {
        if (s->ntbl == s->captbl) {
            size_t cap = s->captbl ? 2 * s->captbl : 256;
            struct tw_link_tbl_write *nt = realloc(s->tbl, cap * sizeof(*nt));
            if (nt) {
                s->tbl = nt;
                s->captbl = cap;
            }
        }
        if (s->ntbl < s->captbl)
            s->tbl[s->ntbl++] = (struct tw_link_tbl_write){o.tbl_id, o.tbl_addr, o.tbl_data};
        else
            s->st.lost_events++;
    }
    if (o.commit_stb) {
        s->st.commits++;
        s->st.last_commit_mask = o.commit_mask;
    }
    s->cnt_data = o.cnt_addr < TW_LINK_CNT_N ? s->counters[o.cnt_addr] : 0;
}

static void core_edge_post(struct tw_link_sys *s)
{
    tw_link_model_core_set(s->m, s->cnt_data, s->ext_rdata, s->status);
    if (s->rec_wait) {
        s->rec_wait--;
    } else if (s->rlen) {
        s->rec_wait = s->rec_gap;
        struct rec *r = &s->recs[s->rhead];
        tw_link_model_rec_set(s->m, 1, r->type, r->data, r->len);
        s->rhead = (s->rhead + 1) % s->rcap;
        s->rlen--;
        s->st.recs_pushed++;
        s->quiet = 0;
    }
}

static void one_edge(struct tw_link_sys *s)
{
    unsigned mask = tw_link_model_next(s->m);
    if (mask & TW_LINK_EDGE_FT)
        ft_edge_pre(s);
    if (mask & TW_LINK_EDGE_CORE)
        core_edge_pre(s);
    tw_link_model_edge(s->m);
    if (mask & TW_LINK_EDGE_FT)
        ft_edge_post(s);
    if (mask & TW_LINK_EDGE_CORE)
        core_edge_post(s);
}

void tw_link_sys_run(struct tw_link_sys *s, uint64_t ft_clocks)
{
    uint64_t end = s->st.ft_clocks + ft_clocks;
    while (s->st.ft_clocks < end)
        one_edge(s);
}

int tw_link_sys_run_idle(struct tw_link_sys *s, uint64_t max_ft_clocks)
{
    uint64_t end = s->st.ft_clocks + max_ft_clocks;
    s->quiet = 0;
    while (s->st.ft_clocks < end) {
        one_edge(s);
        if (s->quiet >= QUIET_CLOCKS && !s->host_out.len && !s->rx.len && !s->rlen)
            return 0;
    }
    return -1;
}

int tw_link_sys_host_write(struct tw_link_sys *s, const uint8_t *p, size_t n)
{
    s->quiet = 0;
    return bq_push(&s->host_out, p, n);
}

size_t tw_link_sys_host_read(struct tw_link_sys *s, uint8_t *p, size_t cap)
{
    return bq_pop(&s->host_in, p, cap);
}

size_t tw_link_sys_host_avail(const struct tw_link_sys *s) { return s->host_in.len; }
void tw_link_sys_set_stall(struct tw_link_sys *s, int stall) { s->stall = stall; }
void tw_link_sys_force_txe_high(struct tw_link_sys *s, int on) { s->force_txe = on; }

int tw_link_sys_rec_push(struct tw_link_sys *s, uint8_t type, const uint8_t *rec, unsigned len)
{
    if (len > TW_LINK_REC_BYTES)
        return -1;
    if (s->rlen == s->rcap) {
        size_t cap = s->rcap ? 2 * s->rcap : 64;
        struct rec *nr = malloc(cap * sizeof(*nr));
        if (!nr)
            return -1;
        for (size_t i = 0; i < s->rlen; i++)
            nr[i] = s->recs[(s->rhead + i) % s->rcap];
        free(s->recs);
        s->recs = nr;
        s->rcap = cap;
        s->rhead = 0;
    }
    struct rec *r = &s->recs[(s->rhead + s->rlen) % s->rcap];
    r->type = type;
    r->len = (uint8_t)len;
    memset(r->data, 0, sizeof(r->data));
    if (len)
        memcpy(r->data, rec, len);
    s->rlen++;
    s->quiet = 0;
    return 0;
}

size_t tw_link_sys_rec_queued(const struct tw_link_sys *s) { return s->rlen; }
void tw_link_sys_set_rec_gap(struct tw_link_sys *s, uint32_t clocks) { s->rec_gap = clocks; }

void tw_link_sys_set_counter(struct tw_link_sys *s, unsigned i, uint64_t v)
{
    if (i < TW_LINK_CNT_N)
        s->counters[i] = v;
}

uint32_t tw_link_sys_ext_get(const struct tw_link_sys *s, uint16_t addr)
{
    return addr < EXT_WORDS ? s->ext[addr] : 0;
}

void tw_link_sys_ext_set(struct tw_link_sys *s, uint16_t addr, uint32_t v)
{
    if (addr < EXT_WORDS)
        s->ext[addr] = v;
}

void tw_link_sys_set_status(struct tw_link_sys *s, uint32_t v) { s->status = v; }

size_t tw_link_sys_tbl_log(const struct tw_link_sys *s, const struct tw_link_tbl_write **log)
{
    *log = s->tbl;
    return s->ntbl;
}

void tw_link_sys_core_out(const struct tw_link_sys *s, struct tw_link_core_out *o) { tw_link_model_core_get(s->m, o); }
void tw_link_sys_ft_out(const struct tw_link_sys *s, struct tw_link_ft_out *o) { tw_link_model_ft_get(s->m, o); }
void tw_link_sys_stats(const struct tw_link_sys *s, struct tw_link_sys_stats *st) { *st = s->st; }
uint64_t tw_link_sys_time_ps(const struct tw_link_sys *s) { return tw_link_model_time_ps(s->m); }
