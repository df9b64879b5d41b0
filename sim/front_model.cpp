// front_model: the thin C++ shim over the Verilated tw_detect_front (sim/front_model.h). Queues in, streams out.
extern "C" {
#include "tapwatch/meta.h"
#include "tapwatch/tw_flow_rec.h"
}
#include "engine_model.h"
#include "front_model.h"

#include <cstring>
#include <deque>
#include <new>
#include <vector>

#include "Vtw_detect_front.h"
#include "verilated.h"

namespace {
// the candidate layout (rtl/tw_cand.vh)
enum : unsigned {
    C_MIRROR = 0, C_FLOW = 1, C_TOCLIENT = 2, C_BANK = 3, C_ALERT_OP = 4, C_BUCKET = 4, C_WAY = 20, C_FLOW_ID = 24,
    C_PKTS_TS = 88, C_PKTS_TC = 152, C_BYTES_TS = 216, C_BYTES_TC = 280, C_VS = 344, C_ALERTS = 376,
    C_N_ALERTS = 632, C_MATCHES = 641, C_SUPPRESSED = 650, C_RSVD = 659, C_META = 664
};

struct rec {
    uint8_t bits[TW_M_BYTES];
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
struct alert_op {            // a verdict: one per candidate, in order
    int set;                 // the frame alerted and has a flow: set its alerted bit
    unsigned bucket, way;
    uint64_t flow_id;
    uint64_t due;            // first clock it may be offered
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

void get_bytes_be(const uint32_t *w, unsigned lsb, uint8_t *out, unsigned n)
{
    for (unsigned k = 0; k < n; k++) // byte 0 in the top bits, as in the metadata record
        out[k] = (uint8_t)get_bits(w, lsb + (n - 1 - k) * 8, 8);
}

uint64_t xs(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}
} // namespace

struct tw_fr {
    VerilatedContext *ctx;
    Vtw_detect_front *top;
    std::deque<rec> recs;
    std::deque<cmd> cmds;
    std::deque<inflight> fly;
    std::deque<alert_op> alerts;
    std::vector<tw_fr_cand> cand;
    std::vector<tw_fr_rec> frec;
    uint64_t cycle, accepted, pushed, last_accept, stalls, rng;
    unsigned cand_pct, rec_pct, wb_delay;
    int alert_on, pace, flush;
};

static void tick(tw_fr *f)
{
    Vtw_detect_front *t = f->top;
    bool rec_offered = false;
    if (!f->recs.empty()) {
        rec &r = f->recs.front();
        bool gap_ok = f->accepted == 0 || f->cycle >= f->last_accept + r.gap;
        bool pace_ok = !f->pace || (f->fly.empty() && f->alerts.empty());
        if (gap_ok && pace_ok) {
            put_bytes(t->s_meta_tdata, sizeof t->s_meta_tdata / sizeof t->s_meta_tdata[0], r.bits, TW_M_BYTES);
            rec_offered = true;
        }
    }
    t->s_meta_tvalid = rec_offered;
    bool cmd_offered = !f->cmds.empty() && f->accepted >= f->cmds.front().after;
    if (cmd_offered) {
        cmd &c = f->cmds.front();
        t->s_tbl_table = c.table;
        t->s_tbl_index = c.index;
        put_bytes(t->s_tbl_data, sizeof t->s_tbl_data / sizeof t->s_tbl_data[0], c.bits, sizeof c.bits);
    }
    t->s_tbl_tvalid = cmd_offered;
    bool al_offered = !f->alerts.empty() && f->cycle >= f->alerts.front().due;
    if (al_offered) {
        const alert_op &a = f->alerts.front();
        uint8_t b[11] = {0};
        uint64_t lo = (uint64_t)(a.bucket & 0xFFFF) | ((uint64_t)(a.way & 15) << 16) | (a.flow_id << 20);
        for (int k = 0; k < 8; k++)
            b[k] = (uint8_t)(lo >> (8 * k));
        uint64_t hi = a.flow_id >> 44;
        for (int k = 0; k < 3; k++)
            b[8 + k] = (uint8_t)(hi >> (8 * k));
        if (a.set)
            b[10] |= 0x10; /* bit 84 */
        put_bytes(t->s_alert_tdata, sizeof t->s_alert_tdata / sizeof t->s_alert_tdata[0], b, sizeof b);
    }
    t->s_alert_tvalid = al_offered;
    t->m_cand_tready = f->cand_pct >= 100 || xs(&f->rng) % 100 < f->cand_pct;
    t->m_rec_tready = f->rec_pct >= 100 || xs(&f->rng) % 100 < f->rec_pct;
    t->flush_req = f->flush;
    f->flush = 0;
    t->clk = 0;
    t->eval();
    bool rec_go = rec_offered && t->s_meta_tready;
    if (rec_offered && !t->s_meta_tready)
        f->stalls++;
    bool cmd_go = cmd_offered && t->s_tbl_tready;
    bool al_go = al_offered && t->s_alert_tready;
    if (t->m_cand_tvalid && t->m_cand_tready) {
        const uint32_t *w = t->m_cand_tdata;
        tw_fr_cand c;
        memset(&c, 0, sizeof c);
        c.mirror = (uint8_t)get_bits(w, C_MIRROR, 1);
        c.flow = (uint8_t)get_bits(w, C_FLOW, 1);
        c.toclient = (uint8_t)get_bits(w, C_TOCLIENT, 1);
        c.bank = (uint8_t)get_bits(w, C_BANK, 1);
        c.bucket = (unsigned)get_bits(w, C_BUCKET, 16);
        c.way = (unsigned)get_bits(w, C_WAY, 4);
        c.flow_id = get_bits(w, C_FLOW_ID, 64);
        c.pkts_ts = get_bits(w, C_PKTS_TS, 64);
        c.pkts_tc = get_bits(w, C_PKTS_TC, 64);
        c.bytes_ts = get_bits(w, C_BYTES_TS, 64);
        c.bytes_tc = get_bits(w, C_BYTES_TC, 64);
        for (unsigned k = 0; k < 4; k++)
            c.vs[k] = (uint8_t)get_bits(w, C_VS + 8 * k, 8);
        for (unsigned k = 0; k < 32; k++)
            c.alerts[k] = (uint8_t)get_bits(w, C_ALERTS + 8 * k, 8);
        c.n_alerts = (uint16_t)get_bits(w, C_N_ALERTS, 9);
        c.matches = (uint16_t)get_bits(w, C_MATCHES, 9);
        c.suppressed = (uint16_t)get_bits(w, C_SUPPRESSED, 9);
        c.reserved = (uint8_t)get_bits(w, C_RSVD, 5);
        for (unsigned k = 0; k < TW_M_BYTES; k++) {
            unsigned nb = 8 * k + 8 <= TW_M_WIDTH ? 8 : TW_M_WIDTH - 8 * k;
            c.meta[k] = (uint8_t)get_bits(w, C_META + 8 * k, nb);
        }
        if (!f->fly.empty()) {
            c.seq = f->fly.front().seq;
            c.t_in = f->fly.front().t_in;
            f->fly.pop_front();
        }
        c.t_out = f->cycle;
        f->cand.push_back(c);
        int any = c.n_alerts != 0; /* alert matches not suppressed (the vector holds every match) */
        int set = f->alert_on && any && c.flow;
        f->alerts.push_back(alert_op{set, c.bucket, c.way, c.flow_id, f->cycle + 1 + f->wb_delay});
    }
    if (t->m_rec_tvalid && t->m_rec_tready) {
        const uint32_t *w = t->m_rec_tdata;
        tw_fr_rec x;
        memset(&x, 0, sizeof x);
        tw_flow_rec &r = x.r;
        r.flow_id = get_bits(w, TW_FR_FLOW_ID_LSB, 64);
        get_bytes_be(w, TW_FR_CLI_IP_LSB, r.cli_ip, 16);
        get_bytes_be(w, TW_FR_SRV_IP_LSB, r.srv_ip, 16);
        r.cli_port = (uint16_t)get_bits(w, TW_FR_CLI_PORT_LSB, 16);
        r.srv_port = (uint16_t)get_bits(w, TW_FR_SRV_PORT_LSB, 16);
        r.proto = (uint8_t)get_bits(w, TW_FR_PROTO_LSB, 8);
        r.ip_ver = (uint8_t)get_bits(w, TW_FR_IP_VER_LSB, 8);
        r.vlan = (uint16_t)get_bits(w, TW_FR_VLAN_LSB, 16);
        r.pkts_toserver = get_bits(w, TW_FR_PKTS_TOSERVER_LSB, 64);
        r.pkts_toclient = get_bits(w, TW_FR_PKTS_TOCLIENT_LSB, 64);
        r.bytes_toserver = get_bits(w, TW_FR_BYTES_TOSERVER_LSB, 64);
        r.bytes_toclient = get_bits(w, TW_FR_BYTES_TOCLIENT_LSB, 64);
        r.first_ts = get_bits(w, TW_FR_FIRST_TS_LSB, 64);
        r.last_ts = get_bits(w, TW_FR_LAST_TS_LSB, 64);
        r.tcp_flags_ts = (uint8_t)get_bits(w, TW_FR_TCP_FLAGS_TS_LSB, 8);
        r.tcp_flags_tc = (uint8_t)get_bits(w, TW_FR_TCP_FLAGS_TC_LSB, 8);
        r.state = (uint8_t)get_bits(w, TW_FR_STATE_LSB, 2);
        r.reason = (uint8_t)get_bits(w, TW_FR_REASON_LSB, 2);
        r.alerted = (uint8_t)get_bits(w, TW_FR_ALERTED_LSB, 1);
        x.pad = (uint8_t)get_bits(w, TW_FR_ALERTED_LSB + 1, 3);
        x.seq = (uint32_t)get_bits(w, TW_FR_SEQ_LSB, 32);
        x.t_out = f->cycle;
        f->frec.push_back(x);
    }
    t->clk = 1;
    t->eval();
    if (rec_go) {
        f->fly.push_back(inflight{f->recs.front().seq, f->cycle});
        f->recs.pop_front();
        f->accepted++;
        f->last_accept = f->cycle;
    }
    if (cmd_go)
        f->cmds.pop_front();
    if (al_go)
        f->alerts.pop_front();
    f->cycle++;
}

extern "C" {

struct tw_fr *tw_fr_new(void)
{
    tw_fr *f = new (std::nothrow) tw_fr();
    if (!f)
        return nullptr;
    f->ctx = new (std::nothrow) VerilatedContext;
    if (!f->ctx) {
        delete f;
        return nullptr;
    }
    f->top = new (std::nothrow) Vtw_detect_front(f->ctx, "top");
    if (!f->top) {
        delete f->ctx;
        delete f;
        return nullptr;
    }
    f->cycle = f->accepted = f->pushed = f->last_accept = f->stalls = 0;
    f->rng = 1;
    f->cand_pct = f->rec_pct = 100;
    f->wb_delay = 0;
    f->alert_on = f->pace = f->flush = 0;
    Vtw_detect_front *t = f->top;
    t->rst = 1;
    t->s_meta_tvalid = 0;
    t->s_tbl_tvalid = 0;
    t->s_alert_tvalid = 0;
    t->flush_req = 0;
    t->m_cand_tready = 1;
    t->m_rec_tready = 1;
    for (int i = 0; i < 4; i++) {
        t->clk = 0;
        t->eval();
        t->clk = 1;
        t->eval();
    }
    t->rst = 0;
    for (int i = 0; i < 100000 && !t->init_done; i++) {
        t->clk = 0;
        t->eval();
        t->clk = 1;
        t->eval();
    }
    if (!t->init_done) {
        tw_fr_free(f);
        return nullptr;
    }
    return f;
}

void tw_fr_free(struct tw_fr *f)
{
    if (!f)
        return;
    f->top->final();
    delete f->top;
    delete f->ctx;
    delete f;
}

int tw_fr_push(struct tw_fr *f, const struct tw_meta *m, unsigned gap)
{
    try {
        rec r;
        memset(r.bits, 0, sizeof r.bits);
        tw_meta_pack(m, r.bits);
        r.gap = gap;
        r.seq = f->pushed++;
        f->recs.push_back(r);
    } catch (...) {
        return -1;
    }
    return 0;
}

int tw_fr_table(struct tw_fr *f, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes, uint64_t after)
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
        f->cmds.push_back(c);
    } catch (...) {
        return -1;
    }
    return 0;
}

static int fr_put(void *ctx, unsigned table, unsigned index, const uint8_t *bits, size_t nbytes, uint64_t after)
{
    return tw_fr_table(static_cast<tw_fr *>(ctx), table, index, bits, nbytes, after);
}

int tw_fr_load(struct tw_fr *f, const struct tw_tables *t, unsigned what, uint64_t after)
{
    return tw_tbl_load(fr_put, f, t, what, 0, after);
}

void tw_fr_ready(struct tw_fr *f, unsigned cand_pct, unsigned rec_pct, uint64_t seed)
{
    f->cand_pct = cand_pct;
    f->rec_pct = rec_pct;
    f->rng = seed ? seed : 1;
}

void tw_fr_alerts(struct tw_fr *f, int on) { f->alert_on = on; }
void tw_fr_wb_delay(struct tw_fr *f, unsigned clocks) { f->wb_delay = clocks; }
void tw_fr_pace(struct tw_fr *f, int on) { f->pace = on; }

int tw_fr_run(struct tw_fr *f, uint64_t max_cycles)
{
    uint64_t end = f->cycle + max_cycles;
    while (f->cycle < end) {
        if (f->recs.empty() && f->cmds.empty() && f->fly.empty() && f->alerts.empty()) {
            tick(f); // let the last table command land
            tick(f);
            // the flow records held for the last verdicts: out once m_rec stayed idle for 8 clocks
            for (unsigned idle = 0; idle < 8 && f->cycle < end; idle = f->top->m_rec_tvalid ? 0 : idle + 1)
                tick(f);
            return 0;
        }
        tick(f);
    }
    return -1;
}

int tw_fr_flush(struct tw_fr *f, uint64_t max_cycles)
{
    uint64_t end = f->cycle + max_cycles;
    f->flush = 1;
    tick(f);
    tick(f);
    while (f->cycle < end) {
        if (!f->top->flush_busy && !f->top->m_rec_tvalid && f->fly.empty() && f->alerts.empty()) {
            tick(f);
            if (!f->top->flush_busy && !f->top->m_rec_tvalid)
                return 0;
        }
        tick(f);
    }
    return -1;
}

void tw_fr_step(struct tw_fr *f, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        tick(f);
}

size_t tw_fr_cands(const struct tw_fr *f, const struct tw_fr_cand **c)
{
    *c = f->cand.empty() ? nullptr : f->cand.data();
    return f->cand.size();
}

size_t tw_fr_recs(const struct tw_fr *f, const struct tw_fr_rec **r)
{
    *r = f->frec.empty() ? nullptr : f->frec.data();
    return f->frec.size();
}

void tw_fr_clear(struct tw_fr *f)
{
    f->cand.clear();
    f->frec.clear();
}

void tw_fr_counters(const struct tw_fr *f, struct tw_fr_counters *c)
{
    const Vtw_detect_front *t = f->top;
    c->records = t->cnt_records;
    c->cands = t->cnt_cands;
    c->recs = t->cnt_recs;
    c->alert_ops = t->cnt_alert_ops;
    c->dg_lookups = t->cnt_dg_lookups;
    c->dg_mirror = t->cnt_dg_mirror;
    c->dg_inserts = t->cnt_dg_inserts;
    c->dg_replaced = t->cnt_dg_replaced;
    c->fl_created = t->cnt_fl_created;
    c->fl_evicted = t->cnt_fl_evicted;
    c->fl_sweeps = t->cnt_fl_sweeps;
    c->fl_no_ip = t->cnt_fl_no_ip;
    c->eng_frames = t->cnt_eng_frames;
    c->eng_no_ip = t->cnt_eng_no_ip;
    c->eng_matches = t->cnt_eng_matches;
    c->eng_alerts = t->cnt_eng_alerts;
    c->eng_overflow = t->cnt_eng_overflow;
    c->eng_suppressed = t->cnt_eng_suppressed;
    c->wr_ok = t->cnt_wr_ok;
    c->wr_bad = t->cnt_wr_bad;
    c->commits = t->cnt_commits;
    c->window_ns = t->cfg_window_ns;
    c->idle_ns = t->cfg_idle_ns;
    c->hard_ns = t->cfg_hard_ns;
}

uint64_t tw_fr_meta_stalls(const struct tw_fr *f) { return f->stalls; }
uint64_t tw_fr_cycles(const struct tw_fr *f) { return f->cycle; }
int tw_fr_bank(const struct tw_fr *f) { return f->top->rule_bank; }
size_t tw_fr_queued(const struct tw_fr *f) { return f->recs.size(); }
size_t tw_fr_inside(const struct tw_fr *f) { return f->fly.size(); }

} // extern "C"
