// Thin shim over the Verilated engine-state blocks (sim/state_model.h). Nothing but signal plumbing.
#include "state_model.h"

#include <cstring>
#include <new>

// TW_DGM_STEP = S: the digest table Verilated with HASH_STEP_BITS = S under the prefix Vtw_digest_step (sim/state.mk)
#ifdef TW_DGM_STEP
#include "Vtw_digest_step.h"
typedef Vtw_digest_step DgTop;
#else
#include "Vtw_digest_table.h"
typedef Vtw_digest_table DgTop;
#define TW_DGM_STEP 0
#endif
#include "Vtw_flow_table.h"
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
    DgTop *top = nullptr;
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
    m->top = new (std::nothrow) DgTop(&m->ctx, "dg");
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

unsigned tw_dgm_hash_step_bits(void) { return TW_DGM_STEP; }

} // extern "C"

static void get_bytes_be(const uint32_t *w, unsigned lsb, uint8_t *out, unsigned n)
{
    for (unsigned k = 0; k < n; k++) // byte 0 in the top bits, as in the metadata record
        out[k] = (uint8_t)get_bits(w, lsb + (n - 1 - k) * 8, 8);
}

// ---------------------------------------------------------------- flow table
struct tw_flm {
    VerilatedContext ctx;
    Vtw_flow_table *top = nullptr;
    int manual = 0;     // 0: the shim gives a decided-only s_alert item for every result taken
    uint64_t pend = 0;  // results taken whose item has not been taken (automatic mode)
};

static void fl_edge(tw_flm *m)
{
    m->top->clk = 0;
    m->top->eval();
    m->top->clk = 1;
    m->top->eval();
}

extern "C" {

struct tw_flm *tw_flm_new(void)
{
    tw_flm *m = new (std::nothrow) tw_flm;
    if (!m)
        return nullptr;
    m->top = new (std::nothrow) Vtw_flow_table(&m->ctx, "fl");
    if (!m->top) {
        delete m;
        return nullptr;
    }
    m->top->cfg_idle_ns = 60ull * 1000000000ull;
    m->top->cfg_hard_ns = 600ull * 1000000000ull;
    m->top->m_axis_tready = 1;
    m->top->m_rec_tready = 1;
    tw_flm_reset(m);
    return m;
}

void tw_flm_free(struct tw_flm *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

void tw_flm_reset(struct tw_flm *m)
{
    m->top->s_axis_tvalid = 0;
    m->top->s_alert_tvalid = 0;
    m->top->flush_req = 0;
    m->top->rst = 1;
    for (int i = 0; i < 4; i++)
        fl_edge(m);
    m->top->rst = 0;
    m->top->eval();
    while (!m->top->init_done)
        fl_edge(m);
    m->pend = 0;
}

void tw_flm_set_timeouts(struct tw_flm *m, uint64_t idle_ns, uint64_t hard_ns)
{
    m->top->cfg_idle_ns = idle_ns;
    m->top->cfg_hard_ns = hard_ns;
}

void tw_flm_drive(struct tw_flm *m, const uint8_t *bits, uint32_t user)
{
    m->top->s_axis_tvalid = bits ? 1 : 0;
    if (bits)
        set_wide(m->top->s_axis_tdata, bits, TW_M_BYTES);
    m->top->s_axis_tuser = user;
}

int tw_flm_in_ready(struct tw_flm *m)
{
    m->top->eval();
    return m->top->s_axis_tready;
}

void tw_flm_out_ready(struct tw_flm *m, int ready) { m->top->m_axis_tready = ready ? 1 : 0; }

int tw_flm_out(struct tw_flm *m, struct tw_fl_res *r)
{
    m->top->eval();
    if (!m->top->m_axis_tvalid)
        return 0;
    if (r) {
        const uint32_t *w = m->top->m_axis_tdata.data();
        r->flow = (uint8_t)get_bits(w, 0, 1);
        r->toclient = (uint8_t)get_bits(w, 1, 1);
        r->created = (uint8_t)get_bits(w, 2, 1);
        r->evicted = (uint8_t)get_bits(w, 3, 1);
        r->state = (uint8_t)get_bits(w, 4, 2);
        r->flags_ts = (uint8_t)get_bits(w, 6, 8);
        r->flags_tc = (uint8_t)get_bits(w, 14, 8);
        r->flow_id = get_bits(w, 22, 64);
        r->pkts_ts = get_bits(w, 86, 64);
        r->pkts_tc = get_bits(w, 150, 64);
        r->bytes_ts = get_bits(w, 214, 64);
        r->bytes_tc = get_bits(w, 278, 64);
        r->first_ts = get_bits(w, 342, 64);
        r->last_ts = get_bits(w, 406, 64);
        r->bucket = (unsigned)get_bits(w, 470, 16);
        r->way = (unsigned)get_bits(w, 486, 4);
        r->user = m->top->m_axis_tuser;
    }
    return 1;
}

void tw_flm_rec_ready(struct tw_flm *m, int ready) { m->top->m_rec_tready = ready ? 1 : 0; }

int tw_flm_rec(struct tw_flm *m, struct tw_flow_rec *r)
{
    m->top->eval();
    if (!m->top->m_rec_tvalid)
        return 0;
    if (r) {
        const uint32_t *w = m->top->m_rec_tdata.data();
        std::memset(r, 0, sizeof *r);
        r->flow_id = get_bits(w, 0, 64);
        get_bytes_be(w, 64, r->cli_ip, 16);
        get_bytes_be(w, 192, r->srv_ip, 16);
        r->cli_port = (uint16_t)get_bits(w, 320, 16);
        r->srv_port = (uint16_t)get_bits(w, 336, 16);
        r->proto = (uint8_t)get_bits(w, 352, 8);
        r->ip_ver = (uint8_t)get_bits(w, 360, 8);
        r->vlan = (uint16_t)get_bits(w, 368, 16);
        r->pkts_toserver = get_bits(w, 384, 64);
        r->pkts_toclient = get_bits(w, 448, 64);
        r->bytes_toserver = get_bits(w, 512, 64);
        r->bytes_toclient = get_bits(w, 576, 64);
        r->first_ts = get_bits(w, 640, 64);
        r->last_ts = get_bits(w, 704, 64);
        r->tcp_flags_ts = (uint8_t)get_bits(w, 768, 8);
        r->tcp_flags_tc = (uint8_t)get_bits(w, 776, 8);
        r->state = (uint8_t)get_bits(w, 784, 2);
        r->reason = (uint8_t)get_bits(w, 786, 2);
        r->alerted = (uint8_t)get_bits(w, 788, 1);
    }
    return 1;
}

void tw_flm_verdicts(struct tw_flm *m, int manual)
{
    m->manual = manual ? 1 : 0;
    m->pend = 0;
    m->top->s_alert_tvalid = 0;
}

void tw_flm_alert(struct tw_flm *m, int valid, int set, unsigned bucket, unsigned way, uint64_t flow_id)
{
    m->top->s_alert_tvalid = valid ? 1 : 0;
    uint32_t *d = m->top->s_alert_tdata.data();
    uint64_t lo = (uint64_t)(bucket & 0xFFFFu) | (uint64_t)(way & 0xFu) << 16 | flow_id << 20;
    d[0] = (uint32_t)lo;
    d[1] = (uint32_t)(lo >> 32);
    d[2] = (uint32_t)(flow_id >> 44) | (set ? 1u << 20 : 0u);
}

int tw_flm_alert_ready(struct tw_flm *m)
{
    m->top->eval();
    return m->top->s_alert_tready;
}

void tw_flm_flush_req(struct tw_flm *m, int req) { m->top->flush_req = req ? 1 : 0; }

int tw_flm_flush_busy(struct tw_flm *m)
{
    m->top->eval();
    return m->top->flush_busy;
}

void tw_flm_counters(struct tw_flm *m, struct tw_fl_counters *c)
{
    m->top->eval();
    c->created = m->top->cnt_created;
    c->evicted = m->top->cnt_evicted;
    c->sweeps = m->top->cnt_sweeps;
    c->no_ip = m->top->cnt_no_ip;
}

void tw_flm_tick(struct tw_flm *m)
{
    if (m->manual) {
        fl_edge(m);
        return;
    }
    Vtw_flow_table *t = m->top;
    t->s_alert_tvalid = m->pend != 0;
    uint32_t *d = t->s_alert_tdata.data();
    d[0] = d[1] = d[2] = 0;
    t->clk = 0;
    t->eval();
    int res_go = t->m_axis_tvalid && t->m_axis_tready;
    int al_go = t->s_alert_tvalid && t->s_alert_tready;
    t->clk = 1;
    t->eval();
    m->pend += (uint64_t)res_go - (uint64_t)al_go;
}

} // extern "C"
