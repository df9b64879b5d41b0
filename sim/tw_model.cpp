// tw_model: the thin C++ shim exposing the Verilated tw_tap_parse_top through the C API of sim/tw_model.h.
// Only signal plumbing lives here; everything frame-level is C (sim/twsim.c).
#include "tw_model.h"

#include <cstring>
#include <new>

#include "Vtw_tap_parse_top.h"
#include "verilated.h"
#ifdef TW_MODEL_TRACE
#include "verilated_fst_c.h"
#endif

// The signals of one AXI-Stream port, so both ports share one code path.
struct axis {
    QData *data;
    CData *keep, *valid, *last, *user, *ready;
};

struct tw_model {
    VerilatedContext *ctx;
    Vtw_tap_parse_top *top;
    axis in[2], out[2];
    bool dirty;       // an input changed since the last eval
    uint64_t cycles;
#ifdef TW_MODEL_TRACE
    VerilatedFstC *tfp;
    uint64_t time;
#endif
};

static inline void settle(tw_model *m)
{
    if (m->dirty) {
        m->top->eval();
        m->dirty = false;
    }
}

static void edge(tw_model *m)
{
    settle(m);
#ifdef TW_MODEL_TRACE
    if (m->tfp) m->tfp->dump(m->time++);
#endif
    m->top->clk = 1;
    m->top->eval();
#ifdef TW_MODEL_TRACE
    if (m->tfp) m->tfp->dump(m->time++);
#endif
    m->top->clk = 0;  // evaluated together with the next cycle's inputs
    m->dirty = true;
}

extern "C" {

struct tw_model *tw_model_new(const char *trace_path)
{
#ifndef TW_MODEL_TRACE
    if (trace_path) return nullptr;
#endif
    tw_model *m = new (std::nothrow) tw_model();
    if (!m) return nullptr;
    m->ctx = new (std::nothrow) VerilatedContext;
    if (!m->ctx) {
        delete m;
        return nullptr;
    }
    m->top = new (std::nothrow) Vtw_tap_parse_top(m->ctx, "top");
    if (!m->top) {
        delete m->ctx;
        delete m;
        return nullptr;
    }
#ifdef TW_MODEL_TRACE
    m->tfp = nullptr;
    m->time = 0;
    if (trace_path) {
        m->ctx->traceEverOn(true);
        m->tfp = new (std::nothrow) VerilatedFstC;
        if (!m->tfp) {
            tw_model_free(m);
            return nullptr;
        }
        m->top->trace(m->tfp, 99);
        m->tfp->open(trace_path);
    }
#endif
    Vtw_tap_parse_top *t = m->top;
    m->in[0] = {&t->s_axis_a_tdata, &t->s_axis_a_tkeep, &t->s_axis_a_tvalid, &t->s_axis_a_tlast,
                &t->s_axis_a_tuser, &t->s_axis_a_tready};
    m->in[1] = {&t->s_axis_b_tdata, &t->s_axis_b_tkeep, &t->s_axis_b_tvalid, &t->s_axis_b_tlast,
                &t->s_axis_b_tuser, &t->s_axis_b_tready};
    m->out[0] = {&t->m_axis_a_tdata, &t->m_axis_a_tkeep, &t->m_axis_a_tvalid, &t->m_axis_a_tlast,
                 &t->m_axis_a_tuser, &t->m_axis_a_tready};
    m->out[1] = {&t->m_axis_b_tdata, &t->m_axis_b_tkeep, &t->m_axis_b_tvalid, &t->m_axis_b_tlast,
                 &t->m_axis_b_tuser, &t->m_axis_b_tready};
    t->clk = 0;
    for (int k = 0; k < 2; k++) {
        *m->in[k].valid = 0;
        *m->out[k].ready = 1;
    }
    t->m_meta_tready = 1;
    t->cnt_addr = 0;
    t->ts_ns = 0;
    tw_model_config(m, 0, 9600, 0);
    m->dirty = true;
    tw_model_reset(m, 4);
    return m;
}

void tw_model_free(struct tw_model *m)
{
    if (!m) return;
#ifdef TW_MODEL_TRACE
    if (m->tfp) {
        m->tfp->close();
        delete m->tfp;
    }
#endif
    m->top->final();
    delete m->top;
    delete m->ctx;
    delete m;
}

void tw_model_reset(struct tw_model *m, unsigned cycles)
{
    uint8_t va = *m->in[0].valid, vb = *m->in[1].valid;
    *m->in[0].valid = *m->in[1].valid = 0;
    m->top->rst = 1;
    m->dirty = true;
    for (unsigned i = 0; i < (cycles ? cycles : 1); i++) edge(m);
    m->top->rst = 0;
    *m->in[0].valid = va;
    *m->in[1].valid = vb;
    m->dirty = true;
    m->cycles = 0;
}

void tw_model_config(struct tw_model *m, int monitor, unsigned mtu, unsigned l2tp_cookie)
{
    m->top->cfg_monitor = monitor ? 1 : 0;
    m->top->cfg_mtu = (uint16_t)mtu;
    m->top->cfg_l2tp_cookie = (uint8_t)(l2tp_cookie & 0xf);
    m->dirty = true;
}

void tw_model_set_ts(struct tw_model *m, uint64_t ts_ns)
{
    if (m->top->ts_ns != ts_ns) {
        m->top->ts_ns = ts_ns;
        m->dirty = true;
    }
}

void tw_model_drive(struct tw_model *m, unsigned port, const struct tw_beat *b)
{
    const axis &a = m->in[port & 1];
    *a.valid = (b && b->valid) ? 1 : 0;
    if (*a.valid) {
        *a.data = b->data;
        *a.keep = b->keep;
        *a.last = b->last ? 1 : 0;
        *a.user = b->user ? 1 : 0;
    }
    m->dirty = true;
}

int tw_model_in_ready(struct tw_model *m, unsigned port)
{
    settle(m);
    return *m->in[port & 1].ready;
}

void tw_model_out_ready(struct tw_model *m, unsigned eport, int ready)
{
    *m->out[eport & 1].ready = ready ? 1 : 0;
    m->dirty = true;
}

void tw_model_out(struct tw_model *m, unsigned eport, struct tw_beat *b)
{
    settle(m);
    const axis &a = m->out[eport & 1];
    b->valid = *a.valid;
    b->data = *a.data;
    b->keep = *a.keep;
    b->last = *a.last;
    b->user = *a.user;
}

void tw_model_meta_ready(struct tw_model *m, int ready)
{
    m->top->m_meta_tready = ready ? 1 : 0;
    m->dirty = true;
}

int tw_model_meta(struct tw_model *m, uint8_t *bits)
{
    settle(m);
    if (bits) {
        // Verilator keeps wide signals as 32-bit words, least significant first.
        const uint32_t *w = m->top->m_meta_tdata.data();
        for (unsigned i = 0; i < TW_M_BYTES; i++) bits[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
        if (TW_M_WIDTH % 8) bits[TW_M_BYTES - 1] &= (uint8_t)((1u << (TW_M_WIDTH % 8)) - 1);
    }
    return m->top->m_meta_tvalid;
}

void tw_model_set_cnt_addr(struct tw_model *m, unsigned addr)
{
    m->top->cnt_addr = (uint8_t)addr;
    m->dirty = true;
}

uint64_t tw_model_cnt_data(struct tw_model *m)
{
    settle(m);
    return m->top->cnt_data;
}

uint64_t tw_model_counter(struct tw_model *m, unsigned port, unsigned index)
{
    tw_model_set_cnt_addr(m, port * TW_CNT_PER_PORT + index);
    for (int k = 0; k < TW_MODEL_CNT_READ_CLOCKS; k++)
        tw_model_tick(m);
    return tw_model_cnt_data(m);
}

void tw_model_tick(struct tw_model *m)
{
    edge(m);
    m->cycles++;
}

uint64_t tw_model_cycles(const struct tw_model *m) { return m->cycles; }

}  // extern "C"
