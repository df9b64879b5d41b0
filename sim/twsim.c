/* twsim: frame-level driver over the Verilated tap + parser (see twsim.h). */
#include "twsim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A frame pushed on an ingress port, kept until it went in and (unless monitor) came out again. */
struct pframe {
    uint8_t *data;
    size_t len;
    uint64_t ts, tag, gseq;
    int user;
};

/* Per-frame facts kept for the whole run, indexed by fseq, to match records. */
struct fmeta {
    uint64_t tag;
    uint64_t in_cycle; /* cycle its first beat was accepted (UINT64_MAX until then) */
    uint32_t len;
};

struct port {
    /* ring of frames not yet done: absolute indexes [done, pushed) */
    struct pframe *ring;
    size_t cap;                 /* power of two */
    uint64_t done, pushed;
    uint64_t sent;              /* frames whose last beat was accepted: the frame being sent is `sent` */
    size_t off;                 /* bytes of frame `sent` already accepted */
    int presenting;             /* a beat of frame `sent` is on the bus */
    struct tw_beat beat;
    /* egress check of frame `fwd` (its copy leaves on the other port) */
    uint64_t fwd;
    size_t ooff;
    int obad, oseen, ounexpected;
    uint8_t *obuf;              /* keep_egress: bytes of the frame being received */
    size_t obuf_cap;
    /* fseq -> frame facts */
    struct fmeta *fm;
    size_t fm_cap;
};

struct twsim {
    struct tw_model *m;
    struct twsim_cfg cfg;
    uint64_t rng;
    uint64_t gseq_next, serial_next;
    int hold_in;
    struct port p[2];
    struct twsim_stats st;
    struct twsim_rec *recs;
    size_t nrecs, recs_cap;
    struct twsim_frame *egr;
    size_t negr, egr_cap;
    uint64_t moved; /* transfers in the last step */
    uint8_t bits[TW_M_BYTES];
};

static uint64_t rnd(struct twsim *s)
{
    /* xorshift64* */
    uint64_t x = s->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    s->rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* true with probability pct/100 (no PRNG draw at 0 or 100, so those settings do not disturb the sequence) */
static int chance(struct twsim *s, unsigned pct)
{
    if (pct == 0)
        return 0;
    if (pct >= 100)
        return 1;
    return (unsigned)((rnd(s) >> 32) % 100u) < pct;
}

void twsim_cfg_default(struct twsim_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->mtu = 9600;
    c->keep_records = 1;
    c->quiet_cycles = 2000;
}

int twsim_new(struct twsim **out, const struct twsim_cfg *cfg)
{
    struct twsim_cfg def;
    *out = NULL;
    if (!cfg) {
        twsim_cfg_default(&def);
        cfg = &def;
    }
    if (cfg->gap_pct > 100 || cfg->out_bp_pct > 100 || cfg->meta_bp_pct > 100 || cfg->mtu > 0xFFFF ||
        (cfg->l2tp_cookie != 0 && cfg->l2tp_cookie != 4 && cfg->l2tp_cookie != 8))
        return -EINVAL;
    struct twsim *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->cfg = *cfg;
    if (s->cfg.quiet_cycles == 0)
        s->cfg.quiet_cycles = 2000;
    s->rng = cfg->seed * 0x9E3779B97F4A7C15ULL + 0x6A09E667F3BCC909ULL;
    if (!s->rng)
        s->rng = 1;
    s->m = tw_model_new(cfg->trace);
    if (!s->m) {
        free(s);
        return cfg->trace ? -EINVAL : -ENOMEM;
    }
    tw_model_config(s->m, cfg->monitor, cfg->mtu, cfg->l2tp_cookie);
    tw_model_reset(s->m, 4);
    /* two idle clocks after reset, so registered readies have settled before the first frame */
    tw_model_tick(s->m);
    tw_model_tick(s->m);
    s->st.lat_min = UINT64_MAX;
    *out = s;
    return 0;
}

void twsim_clear(struct twsim *s)
{
    for (size_t i = 0; i < s->negr; i++)
        free(s->egr[i].data);
    s->negr = 0;
    s->nrecs = 0;
}

void twsim_free(struct twsim *s)
{
    if (!s)
        return;
    twsim_clear(s);
    for (int k = 0; k < 2; k++) {
        struct port *p = &s->p[k];
        for (uint64_t i = p->done; i < p->pushed; i++)
            free(p->ring[i & (p->cap - 1)].data);
        free(p->ring);
        free(p->obuf);
        free(p->fm);
    }
    free(s->recs);
    free(s->egr);
    tw_model_free(s->m);
    free(s);
}

struct tw_model *twsim_model(struct twsim *s) { return s->m; }
const struct twsim_stats *twsim_stats(const struct twsim *s) { return &s->st; }

struct twsim_rec *twsim_records(struct twsim *s, size_t *n)
{
    *n = s->nrecs;
    return s->recs;
}

const struct twsim_frame *twsim_egress(const struct twsim *s, size_t *n)
{
    *n = s->negr;
    return s->egr;
}

void twsim_set_rates(struct twsim *s, unsigned gap_pct, unsigned out_bp_pct, unsigned meta_bp_pct)
{
    s->cfg.gap_pct = gap_pct > 100 ? 100 : gap_pct;
    s->cfg.out_bp_pct = out_bp_pct > 100 ? 100 : out_bp_pct;
    s->cfg.meta_bp_pct = meta_bp_pct > 100 ? 100 : meta_bp_pct;
}

size_t twsim_pending(const struct twsim *s)
{
    return (size_t)((s->p[0].pushed - s->p[0].sent) + (s->p[1].pushed - s->p[1].sent));
}

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *nv = realloc(*v, n * elem);
    if (!nv)
        return -ENOMEM;
    *v = nv;
    *cap = n;
    return 0;
}

int twsim_push(struct twsim *s, unsigned port, const uint8_t *frame, size_t len, int tuser, uint64_t ts_ns,
               uint64_t tag)
{
    if (port > 1 || len == 0 || len > TWSIM_MAX_FRAME || !frame)
        return -EINVAL;
    struct port *p = &s->p[port];
    size_t live = (size_t)(p->pushed - p->done);
    if (live + 1 > p->cap) { /* grow the ring, keeping absolute index i at i & (cap - 1) */
        size_t ncap = p->cap ? p->cap * 2 : 64;
        struct pframe *nr = malloc(ncap * sizeof *nr);
        if (!nr)
            return -ENOMEM;
        for (uint64_t i = p->done; i < p->pushed; i++)
            nr[i & (ncap - 1)] = p->ring[i & (p->cap - 1)];
        free(p->ring);
        p->ring = nr;
        p->cap = ncap;
    }
    if (grow((void **)&p->fm, &p->fm_cap, (size_t)p->pushed + 1, sizeof *p->fm))
        return -ENOMEM;
    uint8_t *d = malloc(len);
    if (!d)
        return -ENOMEM;
    memcpy(d, frame, len);
    struct pframe *f = &p->ring[p->pushed & (p->cap - 1)];
    f->data = d;
    f->len = len;
    f->ts = ts_ns;
    f->tag = tag;
    f->gseq = s->gseq_next++;
    f->user = tuser ? 1 : 0;
    p->fm[p->pushed].tag = tag;
    p->fm[p->pushed].len = (uint32_t)len;
    p->fm[p->pushed].in_cycle = UINT64_MAX;
    p->pushed++;
    return 0;
}

static struct pframe *pf(struct port *p, uint64_t i) { return &p->ring[i & (p->cap - 1)]; }

/* Frees frames that went in and (unless monitor) came out. */
static void retire(struct twsim *s, struct port *p)
{
    uint64_t lim = s->cfg.monitor ? p->sent : (p->sent < p->fwd ? p->sent : p->fwd);
    while (p->done < lim) {
        free(pf(p, p->done)->data);
        pf(p, p->done)->data = NULL;
        p->done++;
    }
}

/* bytes p[0..7] as a beat's tdata: byte k in bits 8k+7..8k */
static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--)
        v = v << 8 | p[k];
    return v;
}

static void make_beat(const struct pframe *f, size_t off, struct tw_beat *b)
{
    size_t rem = f->len - off, n = rem < 8 ? rem : 8;
    uint64_t d = 0;
    if (n == 8)
        d = load64(f->data + off);
    else
        for (size_t k = 0; k < n; k++)
            d |= (uint64_t)f->data[off + k] << (8 * k);
    b->data = d;
    b->keep = (uint8_t)((1u << n) - 1);
    b->valid = 1;
    b->last = rem <= 8;
    b->user = b->last ? (uint8_t)f->user : 0;
}

/* Ingress inputs for this cycle. */
static void drive_in(struct twsim *s, unsigned k)
{
    struct port *p = &s->p[k];
    if (p->presenting)
        return; /* AXI-Stream: a presented beat stays until accepted */
    int have = p->sent < p->pushed && !s->hold_in;
    if (have && p->off == 0 && s->cfg.serial && pf(p, p->sent)->gseq != s->serial_next)
        have = 0;
    if (!have) {
        tw_model_drive(s->m, k, NULL);
        return;
    }
    if (chance(s, s->cfg.gap_pct)) {
        s->st.in_gap[k]++;
        tw_model_drive(s->m, k, NULL);
        return;
    }
    const struct pframe *f = pf(p, p->sent);
    make_beat(f, p->off, &p->beat);
    if (!s->cfg.ts_clock && p->off == 0 && !(k == TW_PORT_B && s->p[0].presenting && s->p[0].off == 0))
        tw_model_set_ts(s->m, f->ts);
    p->presenting = 1;
    tw_model_drive(s->m, k, &p->beat);
}

static void accept_in(struct twsim *s, unsigned k, uint64_t cyc)
{
    struct port *p = &s->p[k];
    if (!p->presenting)
        return;
    if (!tw_model_in_ready(s->m, k)) {
        s->st.in_stall[k]++;
        return;
    }
    struct pframe *f = pf(p, p->sent);
    if (p->off == 0)
        p->fm[p->sent].in_cycle = cyc;
    if (s->st.in_beats[k] == 0 && s->st.in_frames[k] == 0 && p->off == 0)
        s->st.first_in_cycle[k] = cyc;
    s->st.last_in_cycle[k] = cyc;
    s->st.in_beats[k]++;
    size_t n = f->len - p->off < 8 ? f->len - p->off : 8;
    p->off += n;
    p->presenting = 0;
    s->moved++;
    if (p->off >= f->len) {
        s->st.in_frames[k]++;
        s->st.in_bytes[k] += f->len;
        p->sent++;
        p->off = 0;
        if (s->cfg.serial)
            s->serial_next++;
        retire(s, p);
    }
}

static int keep_byte(struct port *p, uint8_t v)
{
    if (grow((void **)&p->obuf, &p->obuf_cap, p->ooff + 1, 1))
        return -ENOMEM;
    p->obuf[p->ooff] = v;
    return 0;
}

/* Egress port e carries the frames of ingress port e ^ 1. */
static void check_out(struct twsim *s, unsigned e, int ready, uint64_t cyc)
{
    struct tw_beat b;
    unsigned k = tw_model_fwd_port(e); /* ingress port of what leaves on e (symmetric) */
    struct port *p = &s->p[k];
    tw_model_out(s->m, e, &b);
    if (!b.valid)
        return;
    int expected = !s->cfg.monitor && (p->fwd < p->sent || (p->fwd == p->sent && p->off > 0));
    struct pframe *f = expected ? pf(p, p->fwd) : NULL;
    if (f && p->ooff == 0 && !p->oseen) {
        p->oseen = 1;
        uint64_t lat = cyc - p->fm[p->fwd].in_cycle;
        if (lat < s->st.lat_min)
            s->st.lat_min = lat;
        if (lat > s->st.lat_max)
            s->st.lat_max = lat;
    }
    if (!ready)
        return;
    s->moved++;
    s->st.out_beats[k]++;
    if (!f)
        p->ounexpected = 1;
    size_t rem = f && p->ooff < f->len ? f->len - p->ooff : 0, n = rem < 8 ? rem : 8;
    if (f) {
        int elast = rem <= 8;
        if (b.keep != (uint8_t)((1u << n) - 1) || (b.last ? 1 : 0) != elast ||
            (b.user ? 1 : 0) != (elast ? f->user : 0))
            p->obad = 1;
    }
    if (f && b.keep == 0xFF && n == 8 && !s->cfg.keep_egress) { /* a full beat: compare at once */
        if (b.data != load64(f->data + p->ooff))
            p->obad = 1;
        p->ooff += 8;
    } else {
        for (size_t j = 0; j < 8; j++) {
            if (!((b.keep >> j) & 1u))
                continue;
            uint8_t v = (uint8_t)(b.data >> (8 * j));
            if (f && (p->ooff >= f->len || v != f->data[p->ooff]))
                p->obad = 1;
            if (s->cfg.keep_egress && keep_byte(p, v))
                p->obad = 1;
            p->ooff++;
        }
    }
    if (!b.last)
        return;
    /* end of a forwarded frame */
    s->st.out_bytes[k] += p->ooff;
    if (!f || p->ounexpected) {
        s->st.out_bad[k]++;
    } else {
        if (p->ooff != f->len)
            p->obad = 1;
        s->st.out_frames[k]++;
        if (p->obad)
            s->st.out_bad[k]++;
        if (s->cfg.keep_egress) {
            struct twsim_frame *o = NULL;
            if (!grow((void **)&s->egr, &s->egr_cap, s->negr + 1, sizeof *s->egr)) {
                o = &s->egr[s->negr];
                o->data = malloc(p->ooff ? p->ooff : 1);
            }
            if (o && o->data) {
                memcpy(o->data, p->obuf, p->ooff);
                o->len = p->ooff;
                o->port = k;
                o->tag = f->tag;
                o->user = b.user ? 1 : 0;
                s->negr++;
            } else if (!p->obad) {
                s->st.out_bad[k]++; /* out of memory: not kept, and says so */
            }
        }
        p->fwd++;
        retire(s, p);
    }
    p->ooff = 0;
    p->obad = 0;
    p->oseen = 0;
    p->ounexpected = 0;
}

static void take_record(struct twsim *s, uint64_t cyc)
{
    tw_model_meta(s->m, s->bits);
    s->moved++;
    struct twsim_rec r;
    tw_meta_unpack(s->bits, &r.m);
    r.cycle = cyc;
    r.tag = UINT64_MAX;
    r.in_cycle = UINT64_MAX;
    unsigned k = r.m.port & 1u;
    s->st.records[k]++;
    struct port *p = &s->p[k];
    if (r.m.fseq < p->pushed && (p->fm[r.m.fseq].len > 0xFFFFu ? 0xFFFFu : p->fm[r.m.fseq].len) == r.m.len) {
        r.tag = p->fm[r.m.fseq].tag;
        r.in_cycle = p->fm[r.m.fseq].in_cycle;
    } else
        s->st.rec_bad++;
    if (!s->cfg.keep_records)
        return;
    if (grow((void **)&s->recs, &s->recs_cap, s->nrecs + 1, sizeof *s->recs)) {
        s->st.rec_bad++; /* out of memory: the record is lost, and says so */
        return;
    }
    s->recs[s->nrecs++] = r;
}

void twsim_step(struct twsim *s)
{
    uint64_t cyc = s->st.cycles;
    s->moved = 0;
    if (s->cfg.ts_clock)
        tw_model_set_ts(s->m, cyc);
    drive_in(s, TW_PORT_A);
    drive_in(s, TW_PORT_B);
    int rdy[2];
    for (unsigned e = 0; e < 2; e++) {
        rdy[e] = !chance(s, s->cfg.out_bp_pct);
        tw_model_out_ready(s->m, e, rdy[e]);
    }
    int mrdy = !chance(s, s->cfg.meta_bp_pct);
    tw_model_meta_ready(s->m, mrdy);
    accept_in(s, TW_PORT_A, cyc);
    accept_in(s, TW_PORT_B, cyc);
    check_out(s, TW_PORT_A, rdy[0], cyc);
    check_out(s, TW_PORT_B, rdy[1], cyc);
    if (mrdy && tw_model_meta(s->m, NULL))
        take_record(s, cyc);
    tw_model_tick(s->m);
    s->st.cycles++;
}

static int all_back(const struct twsim *s)
{
    for (int k = 0; k < 2; k++) {
        const struct port *p = &s->p[k];
        if (!s->cfg.monitor && p->fwd != p->pushed)
            return 0;
        if (s->st.records[k] != p->pushed)
            return 0;
    }
    return 1;
}

int twsim_run(struct twsim *s, uint64_t max_cycles)
{
    uint64_t quiet = 0, start = s->st.cycles, drain = 0;
    for (;;) {
        size_t pend = twsim_pending(s);
        if (pend == 0 && all_back(s))
            return 0;
        if (quiet >= s->cfg.quiet_cycles)
            return pend == 0 ? 0 : -ETIMEDOUT;
        if (max_cycles && s->st.cycles - start >= max_cycles)
            return -ETIMEDOUT;
        /* once everything went in, what is left to drain is a few beats and records: a model that keeps moving
         * for 100 quiet periods after that is babbling (e.g. repeating egress beats), not draining */
        if (pend == 0 && ++drain > 100ull * s->cfg.quiet_cycles)
            return -ETIMEDOUT;
        twsim_step(s);
        quiet = s->moved ? 0 : quiet + 1;
    }
}

int twsim_counter(struct twsim *s, unsigned port, unsigned index, uint64_t *val)
{
    if (port > 1 || index >= TW_CNT_PER_PORT)
        return -EINVAL;
    for (int k = 0; k < 2; k++)
        if (s->p[k].presenting || s->p[k].off)
            return -EBUSY;
    tw_model_set_cnt_addr(s->m, port * TW_CNT_PER_PORT + index);
    s->hold_in = 1;
    for (int k = 0; k < TW_MODEL_CNT_READ_CLOCKS; k++)
        twsim_step(s);
    s->hold_in = 0;
    *val = tw_model_cnt_data(s->m);
    return 0;
}
