// Thin C++ shim around the Verilated tw_top: see sim/top_model.h.
#include "top_model.h"

#include <new>

#include "Vtw_top.h"
#include "Vtw_top___024root.h"
#include "tapwatch/tw_meta.h"
#include "verilated.h"

struct tw_top_model {
    VerilatedContext ctx;
    Vtw_top *top;
    uint32_t period[2];    // core, ft
    uint64_t next_rise[2]; // ps
    uint64_t now;
    bool dirty;
    // detection-input observation (tw_top_model_merge_trace)
    uint64_t *trace;
    size_t trace_cap, traced;
    uint64_t merged, stalls;
};

// bits [lsb, lsb+w) of a Verilated wide value (w <= 32)
static uint32_t wide_bits(const uint32_t *words, unsigned lsb, unsigned w)
{
    uint64_t two = words[lsb / 32];
    if (lsb % 32 + w > 32)
        two |= (uint64_t)words[lsb / 32 + 1] << 32;
    return (uint32_t)((two >> (lsb % 32)) & ((w < 32 ? (1ull << w) : (1ull << 32)) - 1));
}

// Called with the inputs of the coming core edge settled: the record on tw_top's `meta` is taken at this edge.
static void observe_merge(tw_top_model *m)
{
    const Vtw_top___024root *r = m->top->rootp;
    if (!r->tw_top__DOT__meta_valid)
        return;
    if (!r->tw_top__DOT__meta_ready) {
        m->stalls++;
        return;
    }
    m->merged++;
    if (m->trace && m->traced < m->trace_cap) {
        const uint32_t *w = r->tw_top__DOT__meta.data();
        uint64_t port = wide_bits(w, TW_M_PORT_LSB, TW_M_PORT_W);
        m->trace[m->traced++] = port << 32 | wide_bits(w, TW_M_FSEQ_LSB, TW_M_FSEQ_W);
    }
}

static void settle(tw_top_model *m)
{
    if (m->dirty) {
        m->top->eval();
        m->dirty = false;
    }
}

extern "C" struct tw_top_model *tw_top_model_new(uint32_t core_ps, uint32_t ft_ps)
{
    if (core_ps < 2 || ft_ps < 2)
        return nullptr;
    tw_top_model *m = new (std::nothrow) tw_top_model;
    if (!m)
        return nullptr;
    m->top = new (std::nothrow) Vtw_top(&m->ctx);
    if (!m->top) {
        delete m;
        return nullptr;
    }
    m->period[0] = core_ps;
    m->period[1] = ft_ps;
    m->next_rise[0] = core_ps;
    m->next_rise[1] = ft_ps;
    m->now = 0;
    m->trace = nullptr;
    m->trace_cap = m->traced = 0;
    m->merged = m->stalls = 0;
    Vtw_top *t = m->top;
    t->clk = 0;
    t->ft_clk = 0;
    t->rst = 1;
    t->ft_rst = 1;
    t->s_axis_a_tvalid = 0;
    t->s_axis_b_tvalid = 0;
    t->m_axis_a_tready = 1;
    t->m_axis_b_tready = 1;
    t->ft_rxf_n = 1;
    t->ft_txe_n = 1;
    t->ft_d_in = 0;
    t->sim_ts_valid = 0;
    t->sim_ts_ns = 0;
    t->flush_req = 0;
    t->eval();
    m->dirty = false;
    return m;
}

extern "C" void tw_top_model_free(struct tw_top_model *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

extern "C" void tw_top_model_reset(struct tw_top_model *m, int on)
{
    m->top->rst = on ? 1 : 0;
    m->top->ft_rst = on ? 1 : 0;
    m->dirty = true;
}

extern "C" unsigned tw_top_model_next(const struct tw_top_model *m)
{
    unsigned mask = 0;
    uint64_t t = m->next_rise[0] < m->next_rise[1] ? m->next_rise[0] : m->next_rise[1];
    if (m->next_rise[0] == t)
        mask |= TW_TOP_EDGE_CORE;
    if (m->next_rise[1] == t)
        mask |= TW_TOP_EDGE_FT;
    return mask;
}

extern "C" unsigned tw_top_model_edge(struct tw_top_model *m)
{
    unsigned mask = tw_top_model_next(m);
    Vtw_top *t = m->top;
    m->now = (mask & TW_TOP_EDGE_CORE) ? m->next_rise[0] : m->next_rise[1];
    settle(m);
    if (mask & TW_TOP_EDGE_CORE) {
        observe_merge(m);
        t->clk = 1;
        m->next_rise[0] += m->period[0];
    }
    if (mask & TW_TOP_EDGE_FT) {
        t->ft_clk = 1;
        m->next_rise[1] += m->period[1];
    }
    t->eval();
    t->clk = 0;
    t->ft_clk = 0;
    t->eval();
    m->dirty = false;
    return mask;
}

extern "C" uint64_t tw_top_model_time_ps(const struct tw_top_model *m) { return m->now; }

extern "C" void tw_top_model_in_set(struct tw_top_model *m, unsigned port, const struct tw_top_beat *b)
{
    Vtw_top *t = m->top;
    int v = b && b->valid;
    if (port == 0) {
        t->s_axis_a_tvalid = v;
        if (v) {
            t->s_axis_a_tdata = b->data;
            t->s_axis_a_tkeep = b->keep;
            t->s_axis_a_tlast = b->last;
            t->s_axis_a_tuser = b->user;
        }
    } else {
        t->s_axis_b_tvalid = v;
        if (v) {
            t->s_axis_b_tdata = b->data;
            t->s_axis_b_tkeep = b->keep;
            t->s_axis_b_tlast = b->last;
            t->s_axis_b_tuser = b->user;
        }
    }
    m->dirty = true;
}

extern "C" int tw_top_model_in_ready(struct tw_top_model *m, unsigned port)
{
    settle(m);
    return port == 0 ? m->top->s_axis_a_tready : m->top->s_axis_b_tready;
}

extern "C" void tw_top_model_out_ready(struct tw_top_model *m, unsigned eport, int ready)
{
    if (eport == 0)
        m->top->m_axis_a_tready = ready ? 1 : 0;
    else
        m->top->m_axis_b_tready = ready ? 1 : 0;
    m->dirty = true;
}

extern "C" void tw_top_model_out_get(struct tw_top_model *m, unsigned eport, struct tw_top_beat *b)
{
    settle(m);
    const Vtw_top *t = m->top;
    if (eport == 0) {
        b->data = t->m_axis_a_tdata;
        b->keep = t->m_axis_a_tkeep;
        b->valid = t->m_axis_a_tvalid;
        b->last = t->m_axis_a_tlast;
        b->user = t->m_axis_a_tuser;
    } else {
        b->data = t->m_axis_b_tdata;
        b->keep = t->m_axis_b_tkeep;
        b->valid = t->m_axis_b_tvalid;
        b->last = t->m_axis_b_tlast;
        b->user = t->m_axis_b_tuser;
    }
}

extern "C" void tw_top_model_ft_get(struct tw_top_model *m, struct tw_top_ft_out *o)
{
    settle(m);
    const Vtw_top *t = m->top;
    o->d_out = t->ft_d_out;
    o->d_oe = t->ft_d_oe;
    o->rd_n = t->ft_rd_n;
    o->wr_n = t->ft_wr_n;
    o->oe_n = t->ft_oe_n;
    o->siwu_n = t->ft_siwu_n;
    o->rx_overflow = t->rx_overflow;
}

extern "C" void tw_top_model_ft_set(struct tw_top_model *m, int rxf_n, int txe_n, uint8_t d_in)
{
    m->top->ft_rxf_n = rxf_n ? 1 : 0;
    m->top->ft_txe_n = txe_n ? 1 : 0;
    m->top->ft_d_in = d_in;
    m->dirty = true;
}

extern "C" void tw_top_model_sim_ts(struct tw_top_model *m, int valid, uint64_t ts_ns)
{
    m->top->sim_ts_valid = valid ? 1 : 0;
    m->top->sim_ts_ns = ts_ns;
    m->dirty = true;
}

extern "C" void tw_top_model_flush(struct tw_top_model *m, int on)
{
    m->top->flush_req = on ? 1 : 0;
    m->dirty = true;
}

extern "C" int tw_top_model_flush_busy(struct tw_top_model *m)
{
    settle(m);
    return m->top->flush_busy;
}

extern "C" int tw_top_model_init_done(struct tw_top_model *m)
{
    settle(m);
    return m->top->init_done;
}


extern "C" int tw_top_model_hold(struct tw_top_model *m)
{
    settle(m);
    return m->top->sim_hold;
}

extern "C" void tw_top_model_merge_trace(struct tw_top_model *m, uint64_t *buf, size_t cap)
{
    m->trace = buf;
    m->trace_cap = buf ? cap : 0;
    m->traced = 0;
}

extern "C" void tw_top_model_merge_stats(const struct tw_top_model *m, uint64_t *records, size_t *traced,
                                         uint64_t *stalls)
{
    if (records)
        *records = m->merged;
    if (traced)
        *traced = m->traced;
    if (stalls)
        *stalls = m->stalls;
}
