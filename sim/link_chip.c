/* The simulated host link system: see sim/link_chip.h. */
#include "link_chip.h"

#include <stdlib.h>
#include <string.h>

#include "ft_chip.h"
#include "tapwatch/proto.h"

_Static_assert(TW_FTDI_PACKET == FT_CHIP_PACKET && TW_FTDI_STATUS == FT_CHIP_STATUS, "FT2232H packet layout");

#define EXT_WORDS 4096
#define QUIET_CLOCKS 5000 /* > ERR_GAP of the model (8192 core clocks = 3932 CLKOUT) */

struct rec {
    uint8_t type, len;
    uint8_t data[TW_LINK_REC_BYTES];
};

struct tw_link_sys {
    struct tw_link_sys_cfg cfg;
    struct tw_link_model *m;
    struct ft_chip *chip; /* the FT2232H and the host behind it (sim/ft_chip.h) */
    uint64_t quiet;       /* CLKOUT edges since anything moved */
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
    struct ft_chip_pins p;
    tw_link_model_ft_get(s->m, &o);
    ft_chip_drive(s->chip, o.oe_n, &p);
    tw_link_model_ft_set(s->m, p.rxf_n, p.txe_n, p.d);
}

struct tw_link_sys *tw_link_sys_new(const struct tw_link_sys_cfg *cfg)
{
    struct tw_link_sys *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    struct tw_link_sys_cfg def = {8000, 16667, 4096, 4096, 40.0 / 60.0, 35.0 / 60.0, 2000};
    s->cfg = cfg ? *cfg : def;
    struct ft_chip_cfg cc = {s->cfg.chip_rx_fifo, s->cfg.chip_tx_fifo, s->cfg.host_in_rate, s->cfg.host_out_rate,
                             s->cfg.latency_clocks, 1};
    if (ft_chip_new(&s->chip, &cc))
        goto fail;
    s->ext = calloc(EXT_WORDS, sizeof(*s->ext));
    s->m = tw_link_model_new(s->cfg.core_ps, s->cfg.ft_ps);
    if (!s->ext || !s->m)
        goto fail;
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
    ft_chip_free(s->chip);
    free(s->ext);
    free(s->tbl);
    free(s->recs);
    free(s);
}

static void ft_edge_pre(struct tw_link_sys *s)
{
    struct tw_link_ft_out o;
    tw_link_model_ft_get(s->m, &o);
    struct ft_chip_fpga f = {o.d_out, o.d_oe, o.rd_n, o.wr_n, o.oe_n, o.siwu_n};
    if (ft_chip_edge_pre(s->chip, &f) & FT_CHIP_MOVED)
        s->quiet = 0;
}

static void ft_edge_post(struct tw_link_sys *s)
{
    s->quiet++;
    if (ft_chip_edge_post(s->chip) & FT_CHIP_BUSY)
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
    uint64_t end = ft_chip_clocks(s->chip) + ft_clocks;
    while (ft_chip_clocks(s->chip) < end)
        one_edge(s);
}

int tw_link_sys_run_idle(struct tw_link_sys *s, uint64_t max_ft_clocks)
{
    uint64_t end = ft_chip_clocks(s->chip) + max_ft_clocks;
    s->quiet = 0;
    while (ft_chip_clocks(s->chip) < end) {
        one_edge(s);
        if (s->quiet >= QUIET_CLOCKS && !ft_chip_host_out_pending(s->chip) && !ft_chip_rx_fill(s->chip) && !s->rlen)
            return 0;
    }
    return -1;
}

int tw_link_sys_host_write(struct tw_link_sys *s, const uint8_t *p, size_t n)
{
    s->quiet = 0;
    return ft_chip_host_write(s->chip, p, n) ? -1 : 0;
}

size_t tw_link_sys_host_read(struct tw_link_sys *s, uint8_t *p, size_t cap)
{
    return ft_chip_host_read(s->chip, p, cap);
}

size_t tw_link_sys_host_avail(const struct tw_link_sys *s) { return ft_chip_host_avail(s->chip); }
void tw_link_sys_set_stall(struct tw_link_sys *s, int stall) { ft_chip_host_stall(s->chip, stall); }
void tw_link_sys_force_txe_high(struct tw_link_sys *s, int on) { ft_chip_force_txe_high(s->chip, on); }

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
void tw_link_sys_stats(const struct tw_link_sys *s, struct tw_link_sys_stats *st)
{
    struct ft_chip_stats c;
    ft_chip_stats(s->chip, &c);
    *st = s->st;
    st->ft_clocks = c.ft_clocks;
    st->txe_low = c.txe_low;
    st->tx_moved = c.tx_moved;
    st->tx_moved_txe = c.tx_moved; /* the chip takes a byte only on an edge with TXE# low */
    st->rx_moved = c.rx_moved;
    st->violations = c.violations;
    st->siwu = c.siwu;
    st->in_packets = c.in_packets;
    st->lost_events += c.lost_events;
}
uint64_t tw_link_sys_time_ps(const struct tw_link_sys *s) { return tw_link_model_time_ps(s->m); }
