// Thin shim over the Verilated alert stage (sim/alert_model.h). Nothing but signal plumbing.
#include "alert_model.h"

#include <cstring>
#include <new>

#include "Vtw_alert_stage.h"
#include "verilated.h"

struct tw_alm {
    VerilatedContext ctx;
    Vtw_alert_stage *top = nullptr;
    uint64_t cycles = 0;
};

// Verilator keeps wide ports as 32-bit words, least significant first: on a little-endian host a packed record
// (bit i = byte i/8 bit i%8) is the same memory image.
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

static void get_bytes_be(const uint32_t *w, unsigned lsb, uint8_t *out, unsigned n)
{
    for (unsigned k = 0; k < n; k++) // byte 0 in the top bits, as in the metadata record
        out[k] = (uint8_t)get_bits(w, lsb + (n - 1 - k) * 8, 8);
}

static void edge(tw_alm *m)
{
    m->top->clk = 0;
    m->top->eval();
    m->top->clk = 1;
    m->top->eval();
    m->cycles++;
}

extern "C" {

struct tw_alm *tw_alm_new(void)
{
    tw_alm *m = new (std::nothrow) tw_alm;
    if (!m)
        return nullptr;
    m->top = new (std::nothrow) Vtw_alert_stage(&m->ctx, "al");
    if (!m->top) {
        delete m;
        return nullptr;
    }
    m->top->cfg_rate = 1000;
    m->top->cfg_burst = 1000;
    m->top->cfg_evidence = 0;
    m->top->m_alert_tready = 1;
    m->top->m_falert_tready = 1;
    tw_alm_reset(m);
    return m;
}

void tw_alm_free(struct tw_alm *m)
{
    if (!m)
        return;
    m->top->final();
    delete m->top;
    delete m;
}

void tw_alm_reset(struct tw_alm *m)
{
    m->top->s_tvalid = 0;
    m->top->s_tbl_tvalid = 0;
    m->top->rst = 1;
    for (int i = 0; i < 4; i++)
        edge(m);
    m->top->rst = 0;
    m->top->eval();
    while (!m->top->init_done || !m->top->s_tready)
        edge(m);
    m->cycles = 0;
}

void tw_alm_set_cfg(struct tw_alm *m, uint32_t rate, uint32_t burst, uint8_t evidence)
{
    m->top->cfg_rate = rate;
    m->top->cfg_burst = burst;
    m->top->cfg_evidence = evidence;
}

void tw_alm_settle(struct tw_alm *m)
{
    m->top->s_tvalid = 0;
    for (int i = 0; i < 200; i++)
        edge(m);
}

void tw_alm_drive(struct tw_alm *m, const struct tw_alm_in *in)
{
    Vtw_alert_stage *t = m->top;
    t->s_tvalid = in ? 1 : 0;
    if (!in)
        return;
    set_wide(t->s_meta, in->meta, TW_M_BYTES);
    set_wide(t->s_alerts, in->alerts, 32);
    t->s_mirror = in->mirror;
    t->s_flow = in->flow;
    t->s_flow_id = in->flow_id;
    t->s_bucket = (uint16_t)in->bucket;
    t->s_way = (uint8_t)in->way;
    t->s_pkts_ts = in->pkts_ts;
    t->s_pkts_tc = in->pkts_tc;
    t->s_bytes_ts = in->bytes_ts;
    t->s_bytes_tc = in->bytes_tc;
    t->s_o_svs = in->vs[0];
    t->s_o_dvs = in->vs[1];
    t->s_i_svs = in->vs[2];
    t->s_i_dvs = in->vs[3];
    t->s_bank = in->bank;
}

int tw_alm_in_ready(struct tw_alm *m)
{
    m->top->eval();
    return m->top->s_tready;
}

void tw_alm_out_ready(struct tw_alm *m, int ready) { m->top->m_alert_tready = ready ? 1 : 0; }
void tw_alm_falert_ready(struct tw_alm *m, int ready) { m->top->m_falert_tready = ready ? 1 : 0; }

int tw_alm_out(struct tw_alm *m, struct tw_alert_rec *r)
{
    m->top->eval();
    if (!m->top->m_alert_tvalid)
        return 0;
    if (r) {
        const uint32_t *w = m->top->m_alert_tdata.data();
        std::memset(r, 0, sizeof *r);
#define F(name, NAME) r->name = (decltype(r->name))get_bits(w, TW_AR_##NAME##_LSB, TW_AR_##NAME##_W)
        F(seq, SEQ);
        F(ts, TS);
        F(flow_id, FLOW_ID);
        F(fseq, FSEQ);
        F(len, LEN);
        F(port, PORT);
        F(inner, INNER);
        F(mirror, MIRROR);
        F(ports_v, PORTS_V);
        F(ip_ver, IP_VER);
        F(proto, PROTO);
        F(rule, RULE);
        F(sid, SID);
        F(rev, REV);
        F(gid, GID);
        F(prio, PRIO);
        F(src_port, SRC_PORT);
        F(dst_port, DST_PORT);
        F(vlan_n, VLAN_N);
        F(tun_id_v, TUN_ID_V);
        F(tun_kind, TUN_KIND);
        F(rsvd639, RSVD639);
        F(vlan0, VLAN0);
        F(vlan1, VLAN1);
        F(src_vsets, SRC_VSETS);
        F(dst_vsets, DST_VSETS);
        F(tun_id, TUN_ID);
        F(pkts_toserver, PKTS_TOSERVER);
        F(pkts_toclient, PKTS_TOCLIENT);
        F(bytes_toserver, BYTES_TOSERVER);
        F(bytes_toclient, BYTES_TOCLIENT);
        F(ev_len, EV_LEN);
#undef F
        get_bytes_be(w, TW_AR_SRC_IP_LSB, r->src_ip, 16);
        get_bytes_be(w, TW_AR_DST_IP_LSB, r->dst_ip, 16);
    }
    return 1;
}

int tw_alm_falert(struct tw_alm *m, int *set, unsigned *bucket, unsigned *way, uint64_t *flow_id)
{
    m->top->eval();
    if (!m->top->m_falert_tvalid)
        return 0;
    const uint32_t *w = m->top->m_falert_tdata.data();
    if (set)
        *set = (int)get_bits(w, 84, 1);
    if (bucket)
        *bucket = (unsigned)get_bits(w, 0, 16);
    if (way)
        *way = (unsigned)get_bits(w, 16, 4);
    if (flow_id)
        *flow_id = get_bits(w, 20, 64);
    return 1;
}

void tw_alm_tbl(struct tw_alm *m, int valid, unsigned table, unsigned index, const uint8_t *data)
{
    m->top->s_tbl_tvalid = valid ? 1 : 0;
    m->top->s_tbl_table = (uint8_t)table;
    m->top->s_tbl_index = (uint16_t)index;
    set_wide(m->top->s_tbl_data, data, data ? TW_RE_BYTES : 0);
}

int tw_alm_tbl_ready(struct tw_alm *m)
{
    m->top->eval();
    return m->top->s_tbl_tready;
}

void tw_alm_counters(struct tw_alm *m, struct tw_alm_counters *c)
{
    Vtw_alert_stage *t = m->top;
    t->eval();
    c->frames_in = t->cnt_frames_in;
    c->frames_out = t->cnt_frames_out;
    c->matches = t->cnt_matches;
    c->alerts = t->cnt_alerts;
    c->records_out = t->cnt_records_out;
    c->overflow = t->cnt_overflow;
    c->rate_limited = t->cnt_rate_limited;
    c->thresholded = t->cnt_thresholded;
    c->state_full = t->cnt_state_full;
    c->ignored = t->cnt_ignored;
    c->frames_alerted = t->cnt_frames_alerted;
    c->falerts_out = t->cnt_falerts_out;
    c->wr_ok = t->cnt_wr_ok;
    c->wr_bad = t->cnt_wr_bad;
    c->wr_other = t->cnt_wr_other;
    c->commits = t->cnt_commits;
    c->rule_bank = t->rule_bank;
}

void tw_alm_rule_addr(struct tw_alm *m, unsigned rule)
{
    m->top->cnt_rd_addr = (uint8_t)rule;
}

void tw_alm_rule_data(struct tw_alm *m, uint64_t out[3])
{
    m->top->eval();
    const uint32_t *w = m->top->cnt_rd_data.data();
    out[0] = get_bits(w, 0, 64);
    out[1] = get_bits(w, 64, 64);
    out[2] = get_bits(w, 128, 64);
}

void tw_alm_rule_counters(struct tw_alm *m, unsigned rule, uint64_t out[3])
{
    tw_alm_rule_addr(m, rule);
    edge(m); /* the read port is the visits' first: the data is there one or two clocks later */
    edge(m);
    tw_alm_rule_data(m, out);
}

void tw_alm_tick(struct tw_alm *m) { edge(m); }

uint64_t tw_alm_cycles(const struct tw_alm *m) { return m->cycles; }

} // extern "C"
