// Thin shim over the Verilated engine-state blocks (sim/state_model.h). Nothing but signal plumbing.
#include "state_model.h"

#include <cstring>
#include <new>

#include "Vtw_digest_table.h"
#include "verilated.h"

// Verilator keeps wide ports as 32-bit words, least significant first: on a little-endian host the record's byte
// layout (bit i = byte i/8 bit i%8) is the same memory image.
template <std::size_t N> static void set_wide(VlWide<N> &w, const uint8_t *bits, size_t nbytes)
{
    uint32_t *d = w.data();
    std::memset(d, 0, sizeof(uint32_t) * N);
    if (bits)
        std::memcpy(d, bits, nbytes);
}

static uint64_t get_bits(const uint32_t *w, unsigned lsb, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)((w[(lsb + i) >> 5] >> ((lsb + i) & 31)) & 1u) << i;
    return v;
}

// ---------------------------------------------------------------- digest table
struct tw_dgm {
    VerilatedContext ctx;
    Vtw_digest_table *top = nullptr;
    uint64_t cycles = 0;
};

static void dg_edge(tw_dgm *m)
{
    m->top->clk = 0;
    m->top->eval();
    m->top->clk = 1;
    m->top->eval();
    m->cycles++;
}

extern "C" {

struct tw_dgm *tw_dgm_new(void)
{
    tw_dgm *m = new (std::nothrow) tw_dgm;
    if (!m)
        return nullptr;
    m->top = new (std::nothrow) Vtw_digest_table(&m->ctx, "dg");
    if (!m->top) {
        delete m;
        return nullptr;
    }
    m->top->cfg_window_ns = 100000000ull;
    m->top->m_axis_tready = 1;
    tw_dgm_reset(m);
    return m;
}

void tw_dgm_free(struct tw_dgm *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

void tw_dgm_reset(struct tw_dgm *m)
{
    m->top->s_axis_tvalid = 0;
    m->top->rst = 1;
    for (int i = 0; i < 4; i++)
        dg_edge(m);
    m->top->rst = 0;
    m->top->eval();
    while (!m->top->init_done)
        dg_edge(m);
    m->cycles = 0;
}

void tw_dgm_set_window(struct tw_dgm *m, uint64_t ns) { m->top->cfg_window_ns = ns; }

void tw_dgm_drive(struct tw_dgm *m, const uint8_t *bits, uint32_t user)
{
    m->top->s_axis_tvalid = bits ? 1 : 0;
    if (bits)
        set_wide(m->top->s_axis_tdata, bits, TW_M_BYTES);
    m->top->s_axis_tuser = user;
}

int tw_dgm_in_ready(struct tw_dgm *m)
{
    m->top->eval();
    return m->top->s_axis_tready;
}

void tw_dgm_out_ready(struct tw_dgm *m, int ready) { m->top->m_axis_tready = ready ? 1 : 0; }

int tw_dgm_out(struct tw_dgm *m, struct tw_dg_res *r)
{
    m->top->eval();
    if (!m->top->m_axis_tvalid)
        return 0;
    if (r) {
        const uint32_t *w = m->top->m_axis_tdata.data();
        r->mirror = (uint8_t)get_bits(w, 0, 1);
        r->looked_up = (uint8_t)get_bits(w, 1, 1);
        r->inserted = (uint8_t)get_bits(w, 2, 1);
        r->replaced = (uint8_t)get_bits(w, 3, 1);
        r->tag_in = get_bits(w, 4, 64);
        r->tag_out = get_bits(w, 68, 64);
        r->user = m->top->m_axis_tuser;
    }
    return 1;
}

void tw_dgm_tick(struct tw_dgm *m) { dg_edge(m); }

uint64_t tw_dgm_cycles(const struct tw_dgm *m) { return m->cycles; }

} // extern "C"
