// Thin C++ shim over the Verilated tw_cnt_pair (see cnt_model.h).
#include <new>

#include "Vtw_cnt_pair.h"
#include "cnt_model.h"
#include "verilated.h"

struct tw_cnt {
    VerilatedContext *ctx;
    Vtw_cnt_pair *m;
};

extern "C" struct tw_cnt *tw_cnt_new(void)
{
    tw_cnt *b = new (std::nothrow) tw_cnt;
    if (!b)
        return nullptr;
    b->ctx = new (std::nothrow) VerilatedContext;
    b->m = b->ctx ? new (std::nothrow) Vtw_cnt_pair(b->ctx, "top") : nullptr;
    if (!b->m) {
        delete b->ctx;
        delete b;
        return nullptr;
    }
    b->m->clk = 0;
    b->m->eval();
    return b;
}

extern "C" void tw_cnt_free(struct tw_cnt *b)
{
    if (!b)
        return;
    b->m->final();
    delete b->m;
    delete b->ctx;
    delete b;
}

extern "C" void tw_cnt_clock(struct tw_cnt *b, struct tw_cnt_pins *p)
{
    Vtw_cnt_pair *m = b->m;
    m->rst = p->rst;
    for (int i = 0; i < 24; i++)
        m->inc[i] = p->inc[i];
    m->addr = p->addr;
    m->minc = p->minc;
    m->maddr = p->maddr;
    for (int i = 0; i < 3; i++)
        m->einc[i] = p->einc[i];
    m->eaddr = p->eaddr;
    m->clk = 1;
    m->eval();
    m->clk = 0;
    m->eval();
    p->d_reg = m->d_reg;
    p->d_ram = m->d_ram;
    p->m_reg = m->m_reg;
    p->m_ram = m->m_ram;
    p->e_ref = m->e_ref;
    p->e_ext = m->e_ext;
}
