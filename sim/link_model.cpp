// Thin C++ shim around the Verilated tw_link_top: see sim/link_model.h.
#include "link_model.h"

#include <cstring>
#include <new>

#include "Vtw_link_top.h"
#include "verilated.h"

struct tw_link_model {
    VerilatedContext ctx;
    Vtw_link_top *top;
    uint32_t period[2];    // core, ft
    uint64_t next_rise[2]; // ps
    uint64_t now;
};

extern "C" struct tw_link_model *tw_link_model_new(uint32_t core_ps, uint32_t ft_ps)
{
    if (core_ps < 2 || ft_ps < 2)
        return nullptr;
    tw_link_model *m = new (std::nothrow) tw_link_model;
    if (!m)
        return nullptr;
    m->top = new (std::nothrow) Vtw_link_top(&m->ctx);
    if (!m->top) {
        delete m;
        return nullptr;
    }
    m->period[0] = core_ps;
    m->period[1] = ft_ps;
    m->next_rise[0] = core_ps;
    m->next_rise[1] = ft_ps;
    m->now = 0;
    Vtw_link_top *t = m->top;
    t->clk = 0;
    t->ft_clk = 0;
    t->rst = 1;
    t->ft_rst = 1;
    t->ft_rxf_n = 1;
    t->ft_txe_n = 1;
    t->ft_d_in = 0;
    t->s_axis_rec_tvalid = 0;
    t->cnt_data = 0;
    t->ext_rdata = 0;
    t->status = 0;
    t->eval();
    return m;
}

extern "C" void tw_link_model_free(struct tw_link_model *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

extern "C" void tw_link_model_reset(struct tw_link_model *m, int on)
{
    m->top->rst = on ? 1 : 0;
    m->top->ft_rst = on ? 1 : 0;
}

extern "C" unsigned tw_link_model_next(const struct tw_link_model *m)
{
    unsigned mask = 0;
    uint64_t t = m->next_rise[0] < m->next_rise[1] ? m->next_rise[0] : m->next_rise[1];
    if (m->next_rise[0] == t)
        mask |= TW_LINK_EDGE_CORE;
    if (m->next_rise[1] == t)
        mask |= TW_LINK_EDGE_FT;
    return mask;
}

extern "C" unsigned tw_link_model_edge(struct tw_link_model *m)
{
    unsigned mask = tw_link_model_next(m);
    Vtw_link_top *t = m->top;
    m->now = (mask & TW_LINK_EDGE_CORE) ? m->next_rise[0] : m->next_rise[1];
    if (mask & TW_LINK_EDGE_CORE) {
        t->clk = 1;
        m->next_rise[0] += m->period[0];
    }
    if (mask & TW_LINK_EDGE_FT) {
        t->ft_clk = 1;
        m->next_rise[1] += m->period[1];
    }
    t->eval();
    t->clk = 0;
    t->ft_clk = 0;
    t->eval();
    if (mask & TW_LINK_EDGE_CORE)
        t->s_axis_rec_tvalid = 0; // tready is always 1: a record lasts one core clock
    return mask;
}

extern "C" uint64_t tw_link_model_time_ps(const struct tw_link_model *m) { return m->now; }

extern "C" void tw_link_model_ft_get(const struct tw_link_model *m, struct tw_link_ft_out *o)
{
    const Vtw_link_top *t = m->top;
    o->d_out = t->ft_d_out;
    o->d_oe = t->ft_d_oe;
    o->rd_n = t->ft_rd_n;
    o->wr_n = t->ft_wr_n;
    o->oe_n = t->ft_oe_n;
    o->siwu_n = t->ft_siwu_n;
    o->rx_overflow = t->rx_overflow;
}

extern "C" void tw_link_model_ft_set(struct tw_link_model *m, int rxf_n, int txe_n, uint8_t d_in)
{
    m->top->ft_rxf_n = rxf_n ? 1 : 0;
    m->top->ft_txe_n = txe_n ? 1 : 0;
    m->top->ft_d_in = d_in;
}

extern "C" void tw_link_model_core_get(const struct tw_link_model *m, struct tw_link_core_out *o)
{
    const Vtw_link_top *t = m->top;
    o->cnt_addr = t->cnt_addr;
    o->ext_req = t->ext_req;
    o->ext_we = t->ext_we;
    o->ext_addr = t->ext_addr;
    o->ext_wdata = t->ext_wdata;
    o->tbl_we = t->tbl_we;
    o->tbl_id = t->tbl_id;
    o->tbl_addr = t->tbl_addr;
    o->tbl_data = t->tbl_data;
    o->commit_stb = t->commit_stb;
    o->commit_mask = t->commit_mask;
    o->ctrl = t->ctrl;
    o->time_ns = t->time_ns;
}

extern "C" void tw_link_model_core_set(struct tw_link_model *m, uint64_t cnt_data, uint32_t ext_rdata,
                                       uint32_t status)
{
    m->top->cnt_data = cnt_data;
    m->top->ext_rdata = ext_rdata;
    m->top->status = status;
}

extern "C" void tw_link_model_rec_set(struct tw_link_model *m, int valid, uint8_t type, const uint8_t *rec,
                                      unsigned len)
{
    Vtw_link_top *t = m->top;
    if (!valid) {
        t->s_axis_rec_tvalid = 0;
        return;
    }
    t->s_axis_rec_tvalid = 1;
    if (!t->s_axis_rec_room)
        return; /* the link drops it (counted) and may still be copying the last record: tdata stays as it is */
    if (len > TW_LINK_REC_BYTES)
        len = TW_LINK_REC_BYTES;
    uint8_t bytes[TW_LINK_REC_BYTES] = {0};
    if (len)
        std::memcpy(bytes, rec, len);
    for (unsigned w = 0; w < TW_LINK_REC_BYTES / 4; w++)
        t->s_axis_rec_tdata[w] = (uint32_t)bytes[4 * w] | (uint32_t)bytes[4 * w + 1] << 8 |
                                 (uint32_t)bytes[4 * w + 2] << 16 | (uint32_t)bytes[4 * w + 3] << 24;
    t->s_axis_rec_tuser = (uint16_t)(len << 8 | type);
}
