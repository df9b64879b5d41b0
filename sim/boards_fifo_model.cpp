// Thin C++ shim over the Verilated tw_mac_fifo_pair (see boards_fifo_model.h).
#include <new>

#include "verilated.h"
#include "Vtw_mac_fifo_pair.h"
#include "boards_fifo_model.h"

struct tw_mf {
    VerilatedContext *ctx;
    Vtw_mac_fifo_pair *m;
};

extern "C" struct tw_mf *tw_mf_new(void) {
    tw_mf *b = new (std::nothrow) tw_mf;
    if (!b)
        return nullptr;
    b->ctx = new (std::nothrow) VerilatedContext;
    if (!b->ctx) {
        delete b;
        return nullptr;
    }
    b->m = new (std::nothrow) Vtw_mac_fifo_pair(b->ctx, "top");
    if (!b->m) {
        delete b->ctx;
        delete b;
        return nullptr;
    }
    return b;
}

extern "C" void tw_mf_free(struct tw_mf *b) {
    if (!b)
        return;
    b->m->final();
    delete b->m;
    delete b->ctx;
    delete b;
}

#define SIDE_IN(pfx, s) \
    m->pfx##_s_tdata = (s).s_tdata; m->pfx##_s_tkeep = (s).s_tkeep; m->pfx##_s_tvalid = (s).s_tvalid; \
    m->pfx##_s_tlast = (s).s_tlast; m->pfx##_s_tuser = (s).s_tuser; m->pfx##_m_tready = (s).m_tready;
#define SIDE_OUT(pfx, s) \
    (s).s_tready = m->pfx##_s_tready; (s).ev_commit = m->pfx##_ev_commit; (s).ev_drop = m->pfx##_ev_drop; \
    (s).m_tdata = m->pfx##_m_tdata; (s).m_tkeep = m->pfx##_m_tkeep; (s).m_tvalid = m->pfx##_m_tvalid; \
    (s).m_tlast = m->pfx##_m_tlast; (s).m_tuser = m->pfx##_m_tuser;

extern "C" void tw_mf_eval(struct tw_mf *b, struct tw_mf_pins *p) {
    Vtw_mac_fifo_pair *m = b->m;
    m->wr_clk = p->wr_clk;
    m->wr_rst = p->wr_rst;
    m->rd_clk = p->rd_clk;
    m->rd_rst = p->rd_rst;
    SIDE_IN(bp, p->f[0])
    SIDE_IN(dr, p->f[1])
    m->eval();
    SIDE_OUT(bp, p->f[0])
    SIDE_OUT(dr, p->f[1])
}
