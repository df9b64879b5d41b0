// engine_model: the thin C++ shim over the Verilated tw_engine (sim/engine_model.h). Queues in, results out.
#include "engine_model.h"
extern "C" {
#include "tapwatch/meta.h"
}

#include <cstring>
#include <deque>
#include <new>
#include <vector>

#include "Vtw_engine.h"
#include "verilated.h"

namespace {
struct rec {
    uint8_t bits[TW_M_BYTES];
    int mirror;
    unsigned gap;
    uint64_t seq;
};
struct cmd {
    unsigned table, index;
    uint8_t bits[56];
    uint64_t after;
};
struct inflight {
    uint64_t seq, t_in;
};

template <typename W> void put_bytes(W &w, size_t nwords, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < nwords; i++) {
        uint32_t v = 0;
        for (size_t k = 0; k < 4; k++) {
            size_t j = 4 * i + k;
            if (j < n)
                v |= (uint32_t)b[j] << (8 * k);
        }
        w[i] = v;
    }
}

uint64_t get_bits(const uint32_t *w, unsigned lsb, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++) {
        unsigned p = lsb + i;
        v |= (uint64_t)((w[p / 32] >> (p % 32)) & 1u) << i;
    }
    return v;
}
} // namespace

struct tw_eng {
    VerilatedContext *ctx;
    Vtw_engine *top;
    std::deque<rec> recs;
    std::deque<cmd> cmds;
    std::deque<inflight> fly;
    std::vector<tw_eng_result> res;
    uint64_t cycle, accepted, pushed, last_accept, stalls;
    unsigned ready_on, ready_period;
};

static void tick(tw_eng *e)
{
    Vtw_engine *t = e->top;
    // this clock's inputs
    bool rec_offered = false;
    if (!e->recs.empty()) {
        rec &r = e->recs.front();
        if (e->accepted == 0 || e->cycle >= e->last_accept + r.gap) {
            put_bytes(t->s_meta_tdata, sizeof t->s_meta_tdata / sizeof t->s_meta_tdata[0], r.bits, TW_M_BYTES);
            t->s_mc_tdata = r.mirror ? 1 : 0;
            rec_offered = true;
        }
    }
    t->s_meta_tvalid = rec_offered;
    t->s_mc_tvalid = rec_offered;
    bool cmd_offered = !e->cmds.empty() && e->accepted >= e->cmds.front().after;
    if (cmd_offered) {
        cmd &c = e->cmds.front();
        t->s_tbl_table = c.table;
        t->s_tbl_index = c.index;
        put_bytes(t->s_tbl_data, sizeof t->s_tbl_data / sizeof t->s_tbl_data[0], c.bits, sizeof c.bits);
    }
    t->s_tbl_tvalid = cmd_offered;
    t->m_res_tready = e->ready_period == 0 || (e->cycle % e->ready_period) < e->ready_on;
    t->clk = 0;
    t->eval();
    // handshakes on this edge
    bool rec_go = rec_offered && t->s_meta_tready;
    if (rec_offered && !t->s_meta_tready)
        e->stalls++;
    bool cmd_go = cmd_offered && t->s_tbl_tready;
    if (t->m_res_tvalid && t->m_res_tready) {
        const uint32_t *w = t->m_res_tdata;
        tw_eng_result r;
        memset(&r, 0, sizeof r);
        r.ts = get_bits(w, 0, 64);
        r.port = (uint8_t)get_bits(w, 64, 1);
        r.fseq = (uint32_t)get_bits(w, 65, 32);
        r.len = (uint16_t)get_bits(w, 97, 16);
        for (unsigned k = 0; k < 4; k++)
            r.vs[k] = (uint8_t)get_bits(w, 113 + 8 * k, 8);
        r.mirror = (uint8_t)get_bits(w, 145, 1);
        r.n = (uint8_t)get_bits(w, 146, 4);
        for (unsigned k = 0; k < 8; k++)
            r.idx[k] = (uint8_t)get_bits(w, 150 + 8 * k, 8);
        r.overflow = (uint16_t)get_bits(w, 214, 9);
        r.matches = (uint16_t)get_bits(w, 223, 9);
        r.suppressed = (uint16_t)get_bits(w, 232, 9);
        r.bank = (uint8_t)get_bits(w, 241, 1);
        for (unsigned k = 0; k < 32; k++)
            r.alerts[k] = (uint8_t)get_bits(w, 242 + 8 * k, 8);
        if (!e->fly.empty()) {
            r.seq = e->fly.front().seq;
            r.t_in = e->fly.front().t_in;
            e->fly.pop_front();
        }
        r.t_out = e->cycle;
        e->res.push_back(r);
    }
    t->clk = 1;
    t->eval();
    if (rec_go) {
        e->fly.push_back(inflight{e->recs.front().seq, e->cycle});
        e->recs.pop_front();
        e->accepted++;
        e->last_accept = e->cycle;
    }
    if (cmd_go)
        e->cmds.pop_front();
    e->cycle++;
}

extern "C" {

struct tw_eng *tw_eng_new(void)
{
    tw_eng *e = new (std::nothrow) tw_eng();
    if (!e)
        return nullptr;
    e->ctx = new (std::nothrow) VerilatedContext;
    if (!e->ctx) {
        delete e;
        return nullptr;
    }
    e->top = new (std::nothrow) Vtw_engine(e->ctx, "top");
    if (!e->top) {
        delete e->ctx;
        delete e;
        return nullptr;
    }
    e->cycle = e->accepted = e->pushed = e->last_accept = e->stalls = 0;
    e->ready_on = e->ready_period = 0;
    Vtw_engine *t = e->top;
    t->rst = 1;
    t->s_meta_tvalid = 0;
    t->s_mc_tvalid = 0;
    t->s_tbl_tvalid = 0;
    t->m_res_tready = 1;
    for (int i = 0; i < 4; i++) {
        t->clk = 0;
        t->eval();
        t->clk = 1;
        t->eval();
    }
    t->rst = 0;
    return e;
}

void tw_eng_free(struct tw_eng *e)
{
    if (!e)
        return;
    e->top->final();
    delete e->top;
    delete e->ctx;
    delete e;
}

int tw_eng_push(struct tw_eng *e, const struct tw_meta *m, int mirror, unsigned gap)
{
    try {
        rec r;
        memset(r.bits, 0, sizeof r.bits);
        tw_meta_pack(m, r.bits);
        r.mirror = mirror;
        r.gap = gap;
        r.seq = e->pushed++;
        e->recs.push_back(r);
    } catch (...) {
        return -1;
    }
    return 0;
}

int tw_eng_table(struct tw_eng *e, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes,
                 uint64_t after)
{
    cmd c;
    memset(&c, 0, sizeof c);
    if (nbytes > sizeof c.bits)
        return -1;
    c.table = table;
    c.index = index;
    if (bits && nbytes)
        memcpy(c.bits, bits, nbytes);
    c.after = after;
    try {
        e->cmds.push_back(c);
    } catch (...) {
        return -1;
    }
    return 0;
}

void tw_eng_res_ready(struct tw_eng *e, unsigned on, unsigned period)
{
    e->ready_on = on;
    e->ready_period = period;
}

int tw_eng_run(struct tw_eng *e, uint64_t max_cycles)
{
    uint64_t end = e->cycle + max_cycles;
    while (e->cycle < end) {
        if (e->recs.empty() && e->cmds.empty() && e->fly.empty()) {
            tick(e); // let the last table command land
            tick(e);
            return 0;
        }
        tick(e);
    }
    return -1;
}

void tw_eng_step(struct tw_eng *e, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        tick(e);
}

size_t tw_eng_results(const struct tw_eng *e, const struct tw_eng_result **r)
{
    *r = e->res.empty() ? nullptr : e->res.data();
    return e->res.size();
}

void tw_eng_clear_results(struct tw_eng *e) { e->res.clear(); }

void tw_eng_counters(const struct tw_eng *e, struct tw_eng_counters *c)
{
    const Vtw_engine *t = e->top;
    c->frames = t->cnt_frames;
    c->results = t->cnt_results;
    c->no_ip = t->cnt_no_ip;
    c->mirror = t->cnt_mirror;
    c->matches = t->cnt_matches;
    c->alerts = t->cnt_alerts;
    c->overflow = t->cnt_overflow;
    c->suppressed = t->cnt_suppressed;
    c->wr_ok = t->cnt_wr_ok;
    c->wr_bad = t->cnt_wr_bad;
    c->commits = t->cnt_commits;
    c->res_lost = t->cnt_res_lost;
}

static int eng_put(void *ctx, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes, uint64_t after)
{
    return tw_eng_table(static_cast<tw_eng *>(ctx), table, index, bits, nbytes, after);
}

int tw_eng_load(struct tw_eng *e, const struct tw_tables *t, unsigned what, uint64_t after)
{
    return tw_tbl_load(eng_put, e, t, what, tw_eng_pi_entries(), after);
}

unsigned tw_eng_pi_entries(void)
{
#ifdef TW_ENG_PI_ENTRIES
    return TW_ENG_PI_ENTRIES;
#else
    return 0;
#endif
}

uint64_t tw_eng_meta_stalls(const struct tw_eng *e) { return e->stalls; }
uint64_t tw_eng_cycles(const struct tw_eng *e) { return e->cycle; }
int tw_eng_bank(const struct tw_eng *e) { return e->top->rule_bank; }

} // extern "C"
