/* The RTL alert stage (rtl/tw_alert_stage.v, Verilated through sim/alert_model.h) against the software reference
 * detector (host/src/detect.c). Each frame's inputs are built with the reference's own stage functions (flow table,
 * digest table, vendor sets, the alert match vector after pass suppression: sim/alert_testlib.h); the full reference
 * detector (tw_detector_frame) runs on the same records. Its alerts, in order, must equal the RTL's alert records
 * field by field (rule, sid/rev/gid/prio, the matched layer's addresses, ports, VLANs, vendor sets, tunnel, flow id
 * and counters, mirror, evidence length, seq); the flow-alert operands must be those of the frames that alerted;
 * the totals (alerts, overflow, rate-limited, thresholded, state_full, frames alerted) and the per-rule counters
 * (matches, alerts, rate_limited) must equal the reference's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alert_model.h"
#include "alert_testlib.h"
#include "detect_int.h"
#include "eng_test.h"
#include "tapwatch/detect.h"
#include "tapwatch/tables.h"

#define T0 1700000000000000000ull
#define SEC 1000000000ull
#define MS 1000000ull

/* ---- growing arrays ---- */
struct recs {
    struct tw_alert_rec *r;
    size_t n, cap;
};
static void recs_add(struct recs *l, const struct tw_alert_rec *r)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        struct tw_alert_rec *p = realloc(l->r, nc * sizeof *p);
        assert_non_null(p);
        l->r = p;
        l->cap = nc;
    }
    l->r[l->n++] = *r;
}
/* a verdict on m_falert: one per frame, in frame order; set: the frame alerted and has a flow */
struct fal {
    int set;
    unsigned bucket, way;
    uint64_t flow_id;
};
struct fals {
    struct fal *f;
    size_t n, cap, n_set;
};
static void fals_add(struct fals *l, int set, unsigned b, unsigned w, uint64_t id)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        struct fal *p = realloc(l->f, nc * sizeof *p);
        assert_non_null(p);
        l->f = p;
        l->cap = nc;
    }
    l->f[l->n].set = set;
    l->n_set += set != 0;
    l->f[l->n].bucket = b;
    l->f[l->n].way = w;
    l->f[l->n].flow_id = id;
    l->n++;
}

/* ---- one comparison run ---- */
struct run {
    struct tw_tables *t, *scratch;
    struct tw_detect_params p;
    struct tw_detector *full; /* the reference detector */
    struct tw_detector *st;   /* the reference's flow/digest stages for the inputs */
    struct tw_alm *hw;
    unsigned bank;
    const struct tw_alm_in *cur; /* inputs of the frame the reference is running */
    struct recs exp;
    struct fals exp_fal;
    size_t fal_seen; /* verdicts taken from the model so far */
    uint64_t vec_count[TW_CAP_RULES]; /* bits of the match vectors fed, per rule */
};

/* The whole match vector (every matching rule, alert and pass, suppressed or not: what the front feeds the stage)
 * from the reference matcher: al_match_vec on a copy of the tables whose pass rules are alert rules (so nothing is
 * suppressed). all / all_scratch: such copies. */
static void match_vec_all(struct tw_tables *all, struct tw_tables *all_scratch, const struct tw_meta *m, int mc,
                          uint8_t vec[32])
{
    al_match_vec(all, all_scratch, m, mc, vec);
}

static struct tw_tables *tables_all_alert(const struct tw_tables *t)
{
    struct tw_tables *a = tw_tables_new();
    assert_non_null(a);
    *a = *t;
    for (unsigned i = 0; i < TW_CAP_RULES; i++)
        if (a->rule[i].action == TW_ACT_PASS)
            a->rule[i].action = TW_ACT_ALERT;
    return a;
}

static void sink_alert(void *ctx, const struct tw_det_alert *a)
{
    struct run *r = ctx;
    const struct tw_meta *m = a->m;
    const struct tw_rule_entry *re = &r->t->rule[a->rule];
    const struct tw_alm_in *in = r->cur;
    int L = a->inner != 0;
    struct tw_alert_rec e;
    memset(&e, 0, sizeof e);
    e.seq = (uint32_t)r->exp.n;
    e.ts = m->ts;
    e.flow_id = a->flow_id;
    e.fseq = m->fseq;
    e.len = m->len;
    e.port = m->port;
    e.inner = (uint8_t)L;
    e.mirror = a->mirror_copy;
    e.ip_ver = L ? m->i_ip_ver : m->o_ip_ver;
    e.proto = L ? m->i_ip_proto : m->o_ip_proto;
    e.ports_v = (L ? m->i_l4 : m->o_l4) && (e.proto == 6 || e.proto == 17 || e.proto == 132);
    if (e.ports_v) {
        e.src_port = L ? m->i_sport : m->o_sport;
        e.dst_port = L ? m->i_dport : m->o_dport;
    }
    e.rule = (uint16_t)a->rule;
    e.sid = re->sid;
    e.rev = re->rev;
    e.gid = re->gid;
    e.prio = re->prio;
    memcpy(e.src_ip, L ? m->i_ip_src : m->o_ip_src, 16);
    memcpy(e.dst_ip, L ? m->i_ip_dst : m->o_ip_dst, 16);
    e.vlan_n = L ? m->i_vlan_n : m->o_vlan_n;
    if (e.vlan_n > 2)
        e.vlan_n = 2;
    e.vlan0 = (uint16_t)((L ? m->i_vlan0_tci : m->o_vlan0_tci) & 0xFFF);
    e.vlan1 = (uint16_t)((L ? m->i_vlan1_tci : m->o_vlan1_tci) & 0xFFF);
    e.tun_id_v = m->tun_id_v;
    e.tun_kind = m->tun_kind;
    e.tun_id = m->tun_id;
    e.src_vsets = (uint8_t)al_vsets(r->t, L ? m->i_l2 : m->o_l2, L ? m->i_smac : m->o_smac);
    e.dst_vsets = (uint8_t)al_vsets(r->t, L ? m->i_l2 : m->o_l2, L ? m->i_dmac : m->o_dmac);
    /* the flow's counters after this frame come with the frame (the flow stage's result) */
    e.pkts_toserver = in->pkts_ts;
    e.pkts_toclient = in->pkts_tc;
    e.bytes_toserver = in->bytes_ts;
    e.bytes_toclient = in->bytes_tc;
    e.ev_len = (uint8_t)(r->p.evidence_bytes < m->len ? r->p.evidence_bytes : m->len);
    recs_add(&r->exp, &e);
}

static void run_open(struct run *r, const struct tw_tables *t, uint32_t rate, uint32_t burst, unsigned evidence)
{
    memset(r, 0, sizeof *r);
    r->t = tw_tables_new();
    r->scratch = tw_tables_new();
    assert_non_null(r->t);
    assert_non_null(r->scratch);
    *r->t = *t;
    *r->scratch = *t;
    tw_detect_params_default(&r->p);
    r->p.rate_per_s = rate;
    r->p.rate_burst = burst;
    r->p.evidence_bytes = evidence;
    struct tw_detect_sink sink = {r, sink_alert, NULL};
    assert_int_equal(tw_detector_create(&r->full, &r->p, r->t, &sink), 0);
    assert_int_equal(tw_detector_create(&r->st, &r->p, r->t, NULL), 0);
    r->hw = tw_alm_new();
    assert_non_null(r->hw);
    tw_alm_set_cfg(r->hw, rate, burst, (uint8_t)evidence);
    tw_alm_settle(r->hw);
    r->bank = al_load(r->hw, r->t);
}

static void run_close(struct run *r)
{
    tw_alm_free(r->hw);
    tw_detector_destroy(r->full);
    tw_detector_destroy(r->st);
    tw_tables_free(r->t);
    tw_tables_free(r->scratch);
    free(r->exp.r);
    free(r->exp_fal.f);
}

struct feed_opts {
    unsigned in_gap;   /* percent of cycles the input is idle before a frame */
    unsigned out_stall; /* percent of cycles m_alert / m_falert are not ready */
    uint64_t seed;
    /* watch != 0: while the frames flow, the per-rule counter port reads watch_rule[0] and watch_rule[1] in turn
     * (WATCH_CLOCKS clocks each); from the second clock after each change it must give watch_v[k] */
    unsigned watch;
    unsigned watch_rule[2];
    uint64_t watch_v[2][3];
};
enum { WATCH_CLOCKS = 5 };

static int rec_equal(const struct tw_alert_rec *a, const struct tw_alert_rec *b)
{
    return a->seq == b->seq && a->ts == b->ts && a->flow_id == b->flow_id && a->fseq == b->fseq &&
           a->len == b->len && a->port == b->port && a->inner == b->inner && a->mirror == b->mirror &&
           a->ports_v == b->ports_v && a->ip_ver == b->ip_ver && a->proto == b->proto && a->rule == b->rule &&
           a->sid == b->sid && a->rev == b->rev && a->gid == b->gid && a->prio == b->prio &&
           !memcmp(a->src_ip, b->src_ip, 16) && !memcmp(a->dst_ip, b->dst_ip, 16) && a->src_port == b->src_port &&
           a->dst_port == b->dst_port && a->vlan_n == b->vlan_n && a->tun_id_v == b->tun_id_v &&
           a->tun_kind == b->tun_kind && a->rsvd639 == b->rsvd639 && a->vlan0 == b->vlan0 && a->vlan1 == b->vlan1 &&
           a->src_vsets == b->src_vsets && a->dst_vsets == b->dst_vsets && a->tun_id == b->tun_id &&
           a->pkts_toserver == b->pkts_toserver && a->pkts_toclient == b->pkts_toclient &&
           a->bytes_toserver == b->bytes_toserver && a->bytes_toclient == b->bytes_toclient && a->ev_len == b->ev_len;
}

static void rec_print(const char *who, const struct tw_alert_rec *a)
{
    print_error("  %s: seq %u ts %llu flow %llu fseq %u len %u port %u inner %u mirror %u pv %u v%u proto %u rule %u "
                "sid %u rev %u gid %u prio %u src ..%02x%02x dst ..%02x%02x ports %u->%u vlan %u:%u/%u tun %u/%u/%u "
                "vs %02x/%02x pkts %llu/%llu bytes %llu/%llu ev %u\n",
                who, a->seq, (unsigned long long)a->ts, (unsigned long long)a->flow_id, a->fseq, a->len, a->port,
                a->inner, a->mirror, a->ports_v, a->ip_ver, a->proto, a->rule, a->sid, a->rev, a->gid, a->prio,
                a->src_ip[14], a->src_ip[15], a->dst_ip[14], a->dst_ip[15], a->src_port, a->dst_port, a->vlan_n,
                a->vlan0, a->vlan1, a->tun_kind, a->tun_id_v, a->tun_id, a->src_vsets, a->dst_vsets,
                (unsigned long long)a->pkts_toserver, (unsigned long long)a->pkts_toclient,
                (unsigned long long)a->bytes_toserver, (unsigned long long)a->bytes_toclient, a->ev_len);
}

/* Runs the frames through the reference (inputs + full detector) and the RTL; compares everything. */
static void run_frames(struct run *r, const struct tw_meta *ms, size_t n, const struct feed_opts *o)
{
    size_t nb = TW_M_BYTES;
    uint8_t *bits = malloc(n * nb);
    struct tw_alm_in *ins = malloc(n * sizeof *ins);
    assert_non_null(bits);
    assert_non_null(ins);
    size_t exp0 = r->exp.n;
    struct tw_tables *all = tables_all_alert(r->t), *all_scratch = tables_all_alert(r->t);
    for (size_t i = 0; i < n; i++) {
        al_stage_inputs(r->st, r->t, r->scratch, &ms[i], bits + i * nb, r->bank, &ins[i]);
        /* the alert vector after suppression that al_stage_inputs gives is a subset of the match vector */
        uint8_t mv[32];
        match_vec_all(all, all_scratch, &ms[i], ins[i].mirror, mv);
        for (unsigned b = 0; b < 32; b++)
            assert_int_equal(ins[i].alerts[b] & ~mv[b], 0);
        memcpy(ins[i].alerts, mv, sizeof mv);
        for (unsigned b = 0; b < TW_CAP_RULES; b++)
            r->vec_count[b] += (ins[i].alerts[b / 8] >> (b % 8)) & 1u;
        r->cur = &ins[i];
        size_t before = r->exp.n;
        int na = tw_detector_frame(r->full, &ms[i], NULL, 0, i + 1);
        assert_int_equal((size_t)na, r->exp.n - before);
        if (ins[i].flow)
            fals_add(&r->exp_fal, na != 0, ins[i].bucket, ins[i].way, ins[i].flow_id);
        else
            fals_add(&r->exp_fal, 0, 0, 0, 0);
    }
    (void)exp0;
    tw_tables_free(all);
    tw_tables_free(all_scratch);

    /* the RTL: frames in order, optional gaps and back-pressure */
    struct tw_alm *hw = r->hw;
    uint64_t rng = o->seed ? o->seed : 1;
    struct tw_alm_counters c0;
    tw_alm_counters(hw, &c0);
    size_t next = 0, got = c0.records_out, gotf = r->fal_seen;
    int fail = 0;
    uint64_t idle = 0, wclk = 0, wreads = 0;
    if (o->watch)
        tw_alm_rule_addr(hw, o->watch_rule[0]);
    while (!fail) {
        int gap = o->in_gap && eng_rn(&rng, 100) < o->in_gap;
        tw_alm_drive(hw, next < n && !gap ? &ins[next] : NULL);
        int ro = !(o->out_stall && eng_rn(&rng, 100) < o->out_stall);
        int fo = !(o->out_stall && eng_rn(&rng, 100) < o->out_stall);
        tw_alm_out_ready(hw, ro);
        tw_alm_falert_ready(hw, fo);
        int took = next < n && !gap && tw_alm_in_ready(hw);
        struct tw_alert_rec a;
        if (ro && tw_alm_out(hw, &a)) {
            if (got >= r->exp.n) {
                print_error("record %zu beyond the %zu expected\n", got, r->exp.n);
                rec_print("rtl", &a);
                fail = 1;
            } else if (!rec_equal(&a, &r->exp.r[got])) {
                print_error("record %zu differs\n", got);
                rec_print("rtl", &a);
                rec_print("ref", &r->exp.r[got]);
                fail = 1;
            }
            got++;
        }
        unsigned fb, fw;
        uint64_t fid;
        int fset;
        if (fo && tw_alm_falert(hw, &fset, &fb, &fw, &fid)) {
            if (gotf >= r->exp_fal.n || r->exp_fal.f[gotf].set != fset || r->exp_fal.f[gotf].bucket != fb ||
                r->exp_fal.f[gotf].way != fw || r->exp_fal.f[gotf].flow_id != fid) {
                print_error("verdict %zu differs: rtl %d %u/%u/%llu\n", gotf, fset, fb, fw, (unsigned long long)fid);
                fail = 1;
            }
            gotf++;
        }
        tw_alm_tick(hw);
        if (took)
            next++;
        if (o->watch) {
            unsigned k = (unsigned)((wclk / WATCH_CLOCKS) & 1u);
            if (wclk % WATCH_CLOCKS >= 1) { /* two clocks after the address */
                uint64_t v[3];
                tw_alm_rule_data(hw, v);
                wreads++;
                if (memcmp(v, o->watch_v[k], sizeof v) != 0) {
                    print_error("rule %u read under traffic: %llu %llu %llu, expected %llu %llu %llu\n",
                                o->watch_rule[k], (unsigned long long)v[0], (unsigned long long)v[1],
                                (unsigned long long)v[2], (unsigned long long)o->watch_v[k][0],
                                (unsigned long long)o->watch_v[k][1], (unsigned long long)o->watch_v[k][2]);
                    fail = 1;
                }
            }
            wclk++;
            tw_alm_rule_addr(hw, o->watch_rule[(wclk / WATCH_CLOCKS) & 1u]);
        }
        struct tw_alm_counters c;
        tw_alm_counters(hw, &c);
        if (next == n && c.frames_out - c0.frames_out == n && got == r->exp.n && gotf == r->exp_fal.n &&
            c.records_out == c.alerts) {
            /* drained: a few more clocks must bring nothing */
            if (++idle > 20)
                break;
        }
        if (tw_alm_cycles(hw) > (uint64_t)(n + 100) * 1000) {
            print_error("timeout: %zu/%zu frames in, %zu/%zu records\n", next, n, got, r->exp.n);
            fail = 1;
        }
    }
    tw_alm_drive(hw, NULL);
    free(bits);
    free(ins);
    assert_false(fail);
    if (o->watch)
        assert_true(wreads > n);
    assert_int_equal(got, r->exp.n);
    assert_int_equal(gotf, r->exp_fal.n);
    r->fal_seen = gotf;

    /* counters: the totals and every rule's */
    struct tw_alm_counters c;
    tw_alm_counters(hw, &c);
    struct tw_detect_stats s;
    tw_detector_stats(r->full, &s);
    assert_int_equal(c.alerts, s.alerts);
    assert_int_equal(c.records_out, s.alerts);
    assert_int_equal(c.overflow, s.alerts_overflow);
    assert_int_equal(c.rate_limited, s.alerts_rate_limited);
    assert_int_equal(c.thresholded, s.alerts_thresholded);
    assert_int_equal(c.state_full, s.state_full);
    assert_int_equal(c.frames_alerted, s.frames_alerted);
    assert_int_equal(c.falerts_out, r->exp_fal.n_set);
    assert_int_equal(c.frames_in, c.frames_out);
    assert_int_equal(c.matches, c.alerts + c.overflow + c.rate_limited + c.thresholded + c.ignored);
    /* per rule exactly the reference's (detect.c: matches of alert and pass rules, suppressed ones included) */
    const uint64_t *ra = tw_detector_rule_alerts(r->full), *rl = tw_detector_rule_limited(r->full),
                   *rm = tw_detector_rule_matches(r->full);
    uint64_t vsum = 0;
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        uint64_t v[3];
        tw_alm_rule_counters(hw, i, v);
        int in = i < r->t->settings.n_rules;
        uint64_t em = in ? rm[i] : 0, ea = in ? ra[i] : 0, el = in ? rl[i] : 0;
        if (v[0] != em || v[1] != ea || v[2] != el)
            print_error("rule %u: rtl matches %llu alerts %llu limited %llu, ref %llu %llu %llu\n", i,
                        (unsigned long long)v[0], (unsigned long long)v[1], (unsigned long long)v[2],
                        (unsigned long long)em, (unsigned long long)ea, (unsigned long long)el);
        assert_int_equal(v[0], em);
        assert_int_equal(v[0], r->vec_count[i]);
        assert_int_equal(v[1], ea);
        assert_int_equal(v[2], el);
        vsum += v[0];
    }
    assert_int_equal(vsum, s.rule_matches);
    /* the stage's own total leaves out the count-only visits (pass rules, suppressed alert rules) */
    assert_true(c.matches + s.pass_suppressed <= vsum);
}

/* ---- tables and frames ---- */
static struct tw_tables *tables_new(void)
{
    struct tw_tables *t = tw_tables_new();
    assert_non_null(t);
    return t;
}

/* rule i: matches every IP frame (no condition), alert, identity from i */
static void rule_any(struct tw_tables *t, unsigned i)
{
    struct tw_rule_entry *e = &t->rule[i];
    memset(e, 0, sizeof *e);
    e->valid = 1;
    e->action = TW_ACT_ALERT;
    e->sid = 1000000u + i;
    e->rev = 1 + i % 7;
    e->gid = 1 + i % 3;
    e->prio = (uint8_t)(1 + i % 4);
    if (t->settings.n_rules < i + 1)
        t->settings.n_rules = (uint16_t)(i + 1);
}

/* rule i as rule_any, with a threshold (type, track, count, seconds) */
static void rule_thr(struct tw_tables *t, unsigned i, uint8_t type, uint8_t track, uint32_t count, uint32_t seconds)
{
    rule_any(t, i);
    t->rule[i].thr_type = type;
    t->rule[i].thr_track = track;
    t->rule[i].thr_count = count;
    t->rule[i].thr_seconds = seconds;
}

static void addr4(uint8_t a[16], uint32_t v) { eng_addr4(a, v); }

/* a plain TCP/UDP IPv4 frame between a few hosts */
static void frame4(struct tw_meta *m, uint64_t ts, uint32_t src, uint32_t dst, uint16_t sp, uint16_t dp,
                   uint16_t len)
{
    memset(m, 0, sizeof *m);
    m->ts = ts;
    m->len = len;
    m->o_l2 = 1;
    m->o_smac = 0x001000000001ull;
    m->o_dmac = 0x001007000002ull;
    m->o_ip_ver = 4;
    m->o_ip_proto = 17;
    m->o_l4 = 1;
    m->o_ip_ttl = 64;
    addr4(m->o_ip_src, src);
    addr4(m->o_ip_dst, dst);
    m->o_sport = sp;
    m->o_dport = dp;
}

static const struct feed_opts back_to_back = {.in_gap = 0};

/* The bucket (of the 1,024 the tests' stage has) of a state key: kind (0 threshold, 1 volume), track, the address at
 * key byte 8 and, for by_both, the one at byte 24 (the key layout of docs/detection.md). */
static unsigned key_bucket_h(struct tw_hash *h, unsigned kind, unsigned track, uint32_t a8, uint32_t a24)
{
    uint8_t k[TW_STATE_KEY_BYTES];
    memset(k, 0, sizeof k);
    k[2] = (uint8_t)kind;
    k[3] = (uint8_t)track;
    addr4(k + 8, a8);
    if (track == TW_TRACK_BOTH)
        addr4(k + 24, a24);
    return tw_crc32c(h, k, sizeof k) & 1023u;
}

static struct tw_hash *hash_new(void)
{
    struct tw_hash *h = malloc(sizeof *h);
    assert_non_null(h);
    tw_hash_init(h);
    return h;
}

static unsigned key_bucket(unsigned kind, unsigned track, uint32_t a8, uint32_t a24)
{
    struct tw_hash *h = hash_new();
    unsigned b = key_bucket_h(h, kind, track, a8, a24);
    free(h);
    return b;
}

/* n addresses from `from` on whose threshold key with `track` falls in bucket `target` (~0u: the first address's
 * bucket); by_both puts `lower` at byte 8 and the address at byte 24. Returns how many were found below `limit`. */
static unsigned bucket_mates_kind(unsigned kind, unsigned track, uint32_t lower, uint32_t from, uint32_t limit,
                                  unsigned target, uint32_t *out, unsigned n)
{
    struct tw_hash *h = hash_new();
    unsigned ns = 0;
    for (uint32_t a = from; ns < n && a < limit; a++) {
        unsigned b =
            track == TW_TRACK_BOTH ? key_bucket_h(h, kind, track, lower, a) : key_bucket_h(h, kind, track, a, 0);
        if (target == ~0u)
            target = b;
        if (b == target)
            out[ns++] = a;
    }
    free(h);
    return ns;
}

static unsigned bucket_mates(unsigned track, uint32_t lower, uint32_t from, uint32_t limit, unsigned target,
                             uint32_t *out, unsigned n)
{
    return bucket_mates_kind(0, track, lower, from, limit, target, out, n);
}

/* ---- tests ---- */

/* Every threshold type with every track, windows of 1 s, a few hosts and flows, frames 40-400 ms apart. */
static void test_threshold_types_tracks(void **state)
{
    (void)state;
    static const unsigned types[] = {TW_THR_LIMIT, TW_THR_THRESHOLD, TW_THR_BOTH, TW_THR_DFILTER};
    for (unsigned ti = 0; ti < 4; ti++) {
        struct tw_tables *t = tables_new();
        for (unsigned k = 0; k < 5; k++) {
            rule_any(t, k);
            t->rule[k].thr_type = (uint8_t)types[ti];
            t->rule[k].thr_track = (uint8_t)k;
            t->rule[k].thr_count = 1 + k % 3;
            t->rule[k].thr_seconds = 1;
        }
        struct run r;
        run_open(&r, t, 0, 0, 0);
        enum { N = 400 };
        struct tw_meta *ms = calloc(N, sizeof *ms);
        assert_non_null(ms);
        uint64_t rng = 11 + ti, ts = T0;
        for (unsigned i = 0; i < N; i++) {
            ts += (40 + eng_rn(&rng, 360)) * MS;
            uint32_t a = 0x0A000001u + eng_rn(&rng, 3), b = 0x0A000101u + eng_rn(&rng, 3);
            if (eng_rn(&rng, 2))
                frame4(&ms[i], ts, a, b, 1000, 53, 100);
            else
                frame4(&ms[i], ts, b, a, 53, 1000, 100);
        }
        run_frames(&r, ms, N, &back_to_back);
        struct tw_detect_stats s;
        tw_detector_stats(r.full, &s);
        assert_true(s.alerts > 0);
        assert_true(s.alerts_thresholded > 0);
        free(ms);
        run_close(&r);
        tw_tables_free(t);
    }
}

/* Window edges: a match exactly `seconds` after the window start is inside, 1 ns more starts a new window
 * (threshold limit 1, both 2; volume 150 bytes by_src), with time going backwards too. */
static void test_window_edges(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_thr(t, 0, TW_THR_LIMIT, TW_TRACK_SRC, 1, 2);
    rule_thr(t, 1, TW_THR_BOTH, TW_TRACK_RULE, 2, 1);
    rule_any(t, 2);
    t->rule[2].vol_v = 1;
    t->rule[2].vol_track = TW_TRACK_SRC;
    t->rule[2].vol_bytes = 150;
    t->rule[2].vol_seconds = 1;
    rule_any(t, 3); /* volume and threshold together: both must pass, both updated */
    t->rule[3].thr_type = TW_THR_DFILTER;
    t->rule[3].thr_track = TW_TRACK_FLOW;
    t->rule[3].thr_count = 1;
    t->rule[3].thr_seconds = 1;
    t->rule[3].vol_v = 1;
    t->rule[3].vol_track = TW_TRACK_FLOW;
    t->rule[3].vol_bytes = 100;
    t->rule[3].vol_seconds = 1;
    static const int64_t dt[] = {0,   1,       0,        1000000000, 1, 999999999, 1000000000, 0, 1, -5,
                                 -1,  2000000000, 1000000000, 1, 0, 1000000001, 999999999, 1, 2, 0};
    enum { N = sizeof dt / sizeof dt[0] * 3 };
    struct tw_meta ms[N];
    uint64_t ts = T0;
    for (unsigned i = 0; i < N; i++) {
        ts += (uint64_t)dt[i % (N / 3)];
        frame4(&ms[i], ts, 0x0A000001u + (i / (N / 3) == 2), 0x0A000101u, 1000, 53, (uint16_t)(60 + 20 * (i % 5)));
    }
    struct run r;
    run_open(&r, t, 0, 0, 0);
    run_frames(&r, ms, N, &back_to_back);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_true(s.alerts > 0);
    assert_true(s.alerts_thresholded > 0);
    run_close(&r);
    tw_tables_free(t);
}

/* Keys of one bucket: more live keys than ways -> state_full, counted, and the match alerts (limit 0 alerts only
 * then). The state keys' bucket is found with the reference's hash. */
static void test_state_full(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_any(t, 0);
    t->rule[0].thr_type = TW_THR_LIMIT;
    t->rule[0].thr_track = TW_TRACK_SRC;
    t->rule[0].thr_count = 0; /* never alerts while it has state */
    t->rule[0].thr_seconds = 10;
    rule_any(t, 1);
    t->rule[1].vol_v = 1;
    t->rule[1].vol_track = TW_TRACK_SRC;
    t->rule[1].vol_bytes = 1000000;
    t->rule[1].vol_seconds = 10;
    /* sources whose threshold key of rule 0 lands in one bucket */
    uint32_t src[7];
    assert_int_equal(bucket_mates(TW_TRACK_SRC, 0, 0x0B000000u, 0x0C000000u, ~0u, src, 7), 7);
    enum { N = 40 };
    struct tw_meta ms[N];
    for (unsigned i = 0; i < N; i++)
        frame4(&ms[i], T0 + i * 100 * MS + (i >= 30 ? 20 * SEC : 0), src[i % 7], 0x0A000101u, 1, 2, 64);
    struct run r;
    run_open(&r, t, 0, 0, 0);
    run_frames(&r, ms, N, &back_to_back);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_true(s.state_full >= 3);
    assert_true(s.alerts >= 3);
    run_close(&r);
    tw_tables_free(t);
}

/* state_full with by_both keys of `kind` (rule 0 in `t` tracks by_both with a window that does not end): address
 * pairs whose unordered key (the lower address first) falls in one bucket, in both directions; only the exact key
 * order puts them together (a swapped order would spread them), so every alert is a state_full one. */
static void state_full_pairs(struct tw_tables *t, unsigned kind)
{
    const uint32_t d = 0x0A000101u; /* lower than every source below */
    uint32_t src[6];
    assert_int_equal(bucket_mates_kind(kind, TW_TRACK_BOTH, d, 0x0B000000u, 0x0C000000u, ~0u, src, 6), 6);
    enum { N = 36 };
    struct tw_meta ms[N];
    for (unsigned i = 0; i < N; i++) {
        if (i % 2)
            frame4(&ms[i], T0 + i * 50 * MS, d, src[i % 6], 2, 1, 64);
        else
            frame4(&ms[i], T0 + i * 50 * MS, src[i % 6], d, 1, 2, 64);
    }
    struct run r;
    run_open(&r, t, 0, 0, 0);
    run_frames(&r, ms, N, &back_to_back);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_true(s.state_full > 0);
    assert_int_equal(s.alerts, s.state_full);
    run_close(&r);
    tw_tables_free(t);
}

static void test_state_full_pairs(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_thr(t, 0, TW_THR_LIMIT, TW_TRACK_BOTH, 0, 10);
    state_full_pairs(t, 0);
}

/* The same with volume keys (kind 1): the volume key is built at V2 from the visit's fields registered at V1, so this
 * pins its by_both order (a mutant that swaps it spreads the pairs and finds room: no state_full). */
static void test_state_full_pairs_volume(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_any(t, 0);
    t->rule[0].vol_v = 1;
    t->rule[0].vol_track = TW_TRACK_BOTH;
    t->rule[0].vol_bytes = 1000000; /* never reached */
    t->rule[0].vol_seconds = 10;
    state_full_pairs(t, 1);
}

/* The same for by_flow volume keys: the flows of 1..K get ids 1..K in frame order (one new flow a frame), and only
 * the frames of flows whose volume key (flow id at key bytes 40..47, big-endian) falls in flow 1's bucket match the
 * rule, so 6 keys meet in one bucket of 4 ways. */
static void test_state_full_flows_volume(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_any(t, 0);
    t->rule[0].ttl_op = TW_CMP_EQ;
    t->rule[0].ttl_a = 63;
    t->rule[0].vol_v = 1;
    t->rule[0].vol_track = TW_TRACK_FLOW;
    t->rule[0].vol_bytes = 1000000;
    t->rule[0].vol_seconds = 60;
    struct tw_hash *h = hash_new();
    enum { MATES = 6, LIMIT = 40000 };
    unsigned target = ~0u, nm = 0, k = 0;
    uint8_t *mate = calloc(LIMIT + 1, 1);
    assert_non_null(mate);
    for (unsigned id = 1; id <= LIMIT && nm < MATES; id++) {
        uint8_t key[TW_STATE_KEY_BYTES];
        memset(key, 0, sizeof key);
        key[2] = 1;
        key[3] = TW_TRACK_FLOW;
        for (unsigned b = 0; b < 8; b++)
            key[40 + b] = (uint8_t)((uint64_t)id >> (56 - 8 * b));
        unsigned bkt = tw_crc32c(h, key, sizeof key) & 1023u;
        if (target == ~0u)
            target = bkt;
        if (bkt == target) {
            mate[id] = 1;
            nm++;
            k = id;
        }
    }
    free(h);
    assert_int_equal(nm, MATES);
    struct tw_meta *ms = calloc(k, sizeof *ms);
    assert_non_null(ms);
    for (unsigned i = 0; i < k; i++) {
        frame4(&ms[i], T0 + (uint64_t)i * MS, 0x0B000000u + i, 0x0A000101u, 1, 2, 64);
        ms[i].o_ip_ttl = (uint8_t)(mate[i + 1] ? 63 : 64);
    }
    struct run r;
    run_open(&r, t, 0, 0, 0);
    run_frames(&r, ms, k, &back_to_back);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_int_equal(tw_detector_rule_matches(r.full)[0], MATES);
    assert_int_equal(s.state_full, MATES - 4);
    assert_int_equal(s.alerts, s.state_full);
    run_close(&r);
    free(ms);
    free(mate);
    tw_tables_free(t);
}

/* The read-after-write hazard of the state RAM: a rule whose threshold key and volume key (by_src) fall in one
 * bucket, one match per frame, frames back to back. The volume read of a visit is sampled on the edge its threshold
 * write lands, and the next visit's threshold read on the edge of this visit's volume write: only the bypass
 * register gives them the new word (without it a write is lost and the counts differ). */
static void test_state_hazards(void **state)
{
    (void)state;
    /* (CRC is linear: a threshold and a volume key with the same track and address differ by a constant, so their
     * buckets never meet; by_src against by_dst do for some addresses) */
    const uint32_t dst = 0x0A000101u;
    struct tw_tables *t = tables_new();
    rule_thr(t, 0, TW_THR_LIMIT, TW_TRACK_SRC, 3, 10);
    t->rule[0].vol_v = 1;
    t->rule[0].vol_track = TW_TRACK_DST;
    t->rule[0].vol_bytes = 30;  /* window 0: a new window every frame, every 40-byte frame exceeds it */
    t->rule[0].vol_seconds = 0;
    uint32_t src[3];
    assert_int_equal(
        bucket_mates(TW_TRACK_SRC, 0, 0x0C000000u, 0x0C100000u, key_bucket(1, TW_TRACK_DST, dst, 0), src, 3), 3);
    /* the same-kind operations of back-to-back visits alternate perfectly (a lost write would be hidden), so also
     * with random input gaps */
    enum { N = 300 };
    struct tw_meta ms[N];
    uint64_t rng = 3;
    for (unsigned i = 0; i < N; i++)
        frame4(&ms[i], T0 + i * 100 * MS, src[eng_rn(&rng, 3)], dst, 1, 2, 40);
    for (unsigned k = 0; k < 2; k++) {
        struct run r;
        run_open(&r, t, 0, 0, 0);
        struct feed_opts o = {.in_gap = k ? 50u : 0u, .out_stall = 0, .seed = 9};
        run_frames(&r, ms, N, &o);
        struct tw_detect_stats s;
        tw_detector_stats(r.full, &s);
        assert_true(s.alerts > 0);
        assert_true(s.alerts_thresholded > 0);
        run_close(&r);
    }
    tw_tables_free(t);
}

/* The write still pending when the next operation tests its ways (since the state operation takes two clocks: D1
 * tests the ways, D2 writes). Back-to-back operations are of different kinds, so the pending entry can only be free
 * for the next one: it is when its window (start: the pending operation's now if it restarted, else the start the
 * way held) is over at the next operation's now. One rule, a threshold by_src (limit 0: alerts only without state,
 * window 100 s) and a volume by_dst (0 bytes: alerts once per window, window 1 s); sources whose threshold key shares
 * the volume key's bucket fill the bucket's 4 ways. The last frame's source takes the volume entry's way only when
 * that entry counts as over; counting it live would make the threshold operation state_full and the frame alert. */
static void test_state_pending_free(void **state)
{
    (void)state;
    const uint32_t dst = 0x0A000101u;
    struct tw_tables *t = tables_new();
    rule_thr(t, 0, TW_THR_LIMIT, TW_TRACK_SRC, 0, 100);
    t->rule[0].vol_v = 1;
    t->rule[0].vol_track = TW_TRACK_DST;
    t->rule[0].vol_bytes = 0;
    t->rule[0].vol_seconds = 1;
    uint32_t src[4];
    assert_int_equal(
        bucket_mates(TW_TRACK_SRC, 0, 0x0C000000u, 0x0C400000u, key_bucket(1, TW_TRACK_DST, dst, 0), src, 4), 4);
    /* ways after the first three frames: src[0], the volume entry, src[1], src[2]. Then, back to back:
     *  restarted: src[0] at 5 s (the volume window restarts at 5 s), src[3] at 7 s (over: 2 s > 1 s);
     *  kept:      src[0] at 5 s, src[0] at 5.5 s (the window kept from 5 s), src[3] at 6.4 s (over: 1.4 s > 1 s;
     *             measured from 5.5 s it would not be) */
    static const uint64_t at_restart[] = {0, 1 * MS, 2 * MS, 5 * SEC, 7 * SEC};
    static const unsigned who_restart[] = {0, 1, 2, 0, 3};
    static const uint64_t at_kept[] = {0, 1 * MS, 2 * MS, 5 * SEC, 5500 * MS, 6400 * MS};
    static const unsigned who_kept[] = {0, 1, 2, 0, 0, 3};
    for (unsigned c = 0; c < 2; c++) {
        const uint64_t *at = c ? at_kept : at_restart;
        const unsigned *who = c ? who_kept : who_restart;
        size_t n = c ? 6 : 5;
        struct tw_meta ms[6];
        for (size_t i = 0; i < n; i++)
            frame4(&ms[i], T0 + at[i], src[who[i]], dst, 1, 2, 64);
        struct run r;
        run_open(&r, t, 0, 0, 0);
        run_frames(&r, ms, n, &back_to_back);
        struct tw_detect_stats s;
        tw_detector_stats(r.full, &s);
        /* the last frame takes the volume entry's way: its volume operation finds no way (state_full, passes) and
         * the threshold holds the frame back; no alert at all */
        assert_int_equal(s.state_full, 1);
        assert_int_equal(s.alerts, 0);
        run_close(&r);
    }
    tw_tables_free(t);
}

/* The free test at its edges (an entry keeps its end, start + window saturated at 2^64 - 1, and is free at
 * now > end): five sources whose threshold keys share a bucket of 4 ways, limit 0 (alerts only without state),
 * window 10 s.
 *  exact:  the fifth source exactly 10 s after the first (not over: state_full, alerts), then 1 ns later (over:
 *          takes the first source's way, held back);
 *  high:   timestamps within 5 s of 2^64, where start + window does not fit 64 bits (every entry stays live);
 *  low:    timestamps below the window (now - window would be negative): limit 1, one source twice, 1 s apart,
 *          keeps its window (one alert, one held back). */
static void test_state_free_edges(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_thr(t, 0, TW_THR_LIMIT, TW_TRACK_SRC, 0, 10);
    uint32_t src[5];
    assert_int_equal(bucket_mates(TW_TRACK_SRC, 0, 0x0D000000u, 0x0E000000u, ~0u, src, 5), 5);
    const uint64_t hi = UINT64_MAX - 5 * SEC;
    struct {
        uint64_t at[6];
        unsigned who[6];
        size_t n;
        uint32_t count;
        uint64_t state_full, alerts;
    } runs[] = {
        {{T0, T0 + 1 * MS, T0 + 2 * MS, T0 + 3 * MS, T0 + 10 * SEC, T0 + 10 * SEC + 1}, {0, 1, 2, 3, 4, 4}, 6, 0, 1, 1},
        {{hi, hi + 1 * MS, hi + 2 * MS, hi + 3 * MS, hi + 1 * SEC, 0}, {0, 1, 2, 3, 4, 0}, 5, 0, 1, 1},
        {{1 * SEC, 2 * SEC, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0}, 2, 1, 0, 1},
    };
    for (size_t c = 0; c < sizeof runs / sizeof runs[0]; c++) {
        t->rule[0].thr_count = runs[c].count;
        struct tw_meta ms[6];
        for (size_t i = 0; i < runs[c].n; i++)
            frame4(&ms[i], runs[c].at[i], src[runs[c].who[i]], 0x0A000101u, 1, 2, 64);
        struct run r;
        run_open(&r, t, 0, 0, 0);
        run_frames(&r, ms, runs[c].n, &back_to_back);
        struct tw_detect_stats s;
        tw_detector_stats(r.full, &s);
        assert_int_equal(s.state_full, runs[c].state_full);
        assert_int_equal(s.alerts, runs[c].alerts);
        run_close(&r);
    }
    tw_tables_free(t);
}

/* The rate limiter: burst then one alert every T, refill after a pause; RATE 0 disables it. */
static void test_rate_limiter(void **state)
{
    (void)state;
    static const uint32_t rates[][2] = {{10, 3}, {1000, 1}, {1, 5}, {0, 0}, {3000000000u, 2}};
    for (unsigned k = 0; k < 5; k++) {
        struct tw_tables *t = tables_new();
        rule_any(t, 0);
        rule_any(t, 1);
        t->rule[1].proto_v = 1;
        t->rule[1].proto = 6; /* TCP frames only */
        enum { N = 300 };
        struct tw_meta ms[N];
        uint64_t ts = T0, rng = 5 + k;
        for (unsigned i = 0; i < N; i++) {
            ts += i % 100 == 99 ? 2 * SEC : eng_rn(&rng, 30) * MS;
            frame4(&ms[i], ts, 0x0A000001u, 0x0A000101u, 1, 2, 80);
            if (eng_rn(&rng, 2))
                ms[i].o_ip_proto = 6;
        }
        struct run r;
        run_open(&r, t, rates[k][0], rates[k][1], 0);
        run_frames(&r, ms, N, &back_to_back);
        struct tw_detect_stats s;
        tw_detector_stats(r.full, &s);
        if (rates[k][0] && rates[k][0] < 1000000)
            assert_true(s.alerts_rate_limited > 0);
        if (!rates[k][0])
            assert_int_equal(s.alerts_rate_limited, 0);
        run_close(&r);
        tw_tables_free(t);
    }
}

/* BURST = 0 with a rate (refused by the compiler and the reference) acts as BURST = 1 in the RTL; a settings change
 * takes effect once the rate constants have been recomputed. */
static void test_rate_burst_zero(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    rule_any(t, 0);
    enum { N = 100 };
    struct tw_meta ms[N];
    for (unsigned i = 0; i < N; i++)
        frame4(&ms[i], T0 + i * 7 * MS, 0x0A000001u, 0x0A000101u, 1, 2, 80);
    struct run r;
    run_open(&r, t, 20, 1, 0); /* the reference: 20/s, burst 1 */
    tw_alm_set_cfg(r.hw, 20, 0, 0);
    tw_alm_settle(r.hw);
    run_frames(&r, ms, N, &back_to_back);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_true(s.alerts_rate_limited > 0);
    run_close(&r);
    tw_tables_free(t);
}

/* More than 8 matches: the cut comes after thresholds (held-back rules do not take a place) and after the rate
 * limiter (a cut alert still used its token), so rules beyond the 8th alert. */
static void test_cut_after_thresholds(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    for (unsigned i = 0; i < 14; i++)
        rule_any(t, i);
    for (unsigned i = 0; i < 4; i++) { /* every 3rd match per source */
        t->rule[i].thr_type = TW_THR_THRESHOLD;
        t->rule[i].thr_track = TW_TRACK_SRC;
        t->rule[i].thr_count = 3;
        t->rule[i].thr_seconds = 60;
    }
    t->rule[5].thr_type = TW_THR_LIMIT; /* the first 2 matches only: then rule 12 is the 8th */
    t->rule[5].thr_track = TW_TRACK_RULE;
    t->rule[5].thr_count = 2;
    t->rule[5].thr_seconds = 60;
    enum { N = 60 };
    struct tw_meta ms[N];
    for (unsigned i = 0; i < N; i++)
        frame4(&ms[i], T0 + i * MS, 0x0A000001u + i % 2, 0x0A000101u, 7, 9, 70);
    struct run r;
    run_open(&r, t, 100, 20, 0);
    run_frames(&r, ms, N, &back_to_back);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_true(s.alerts_overflow > 0);
    assert_true(s.alerts_thresholded > 0);
    assert_true(s.alerts_rate_limited > 0);
    const uint64_t *ra = tw_detector_rule_alerts(r.full);
    assert_true(ra[12] > 0); /* beyond the first 8 matches */
    run_close(&r);
    tw_tables_free(t);
}

/* Pass rules and suppression: the stage gets the whole match vector and must count every match per rule as the
 * reference does (pass rules, suppressed alert rules, thresholded ones), while alerting only the alert rules before
 * the frame's first matching pass rule. Rule 1 (pass) matches TTL 64 only, rule 4 (pass) every frame; rule 3 has a
 * threshold, rule 6 is invalid (never matches), the rate limiter holds some back. Back to back and with gaps. */
static void test_pass_suppression(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    for (unsigned i = 0; i < 8; i++)
        rule_any(t, i);
    t->rule[1].action = TW_ACT_PASS;
    t->rule[1].ttl_op = TW_CMP_EQ;
    t->rule[1].ttl_a = 64;
    t->rule[3].thr_type = TW_THR_LIMIT;
    t->rule[3].thr_track = 0;
    t->rule[3].thr_count = 2;
    t->rule[3].thr_seconds = 1;
    t->rule[4].action = TW_ACT_PASS;
    t->rule[6].valid = 0;
    enum { N = 300 };
    struct tw_meta ms[N];
    uint64_t rng = 5;
    for (unsigned i = 0; i < N; i++) {
        frame4(&ms[i], T0 + i * 3 * MS, 0x0A000001u + eng_rn(&rng, 3), 0x0A000101u, 7, 9, 100);
        ms[i].o_ip_ttl = (uint8_t)(eng_rn(&rng, 2) ? 64 : 65);
    }
    for (unsigned pass = 0; pass < 2; pass++) {
        struct run r;
        run_open(&r, t, 100, 5, 0);
        struct feed_opts o = {.in_gap = pass ? 30u : 0u, .out_stall = pass ? 30u : 0u, .seed = 11};
        run_frames(&r, ms, N, &o);
        struct tw_detect_stats s;
        tw_detector_stats(r.full, &s);
        const uint64_t *rm = tw_detector_rule_matches(r.full);
        assert_true(s.pass_suppressed > 0);
        assert_true(rm[1] > 0 && rm[1] < N); /* the TTL pass rule matched some frames only */
        assert_int_equal(rm[4], N);
        assert_int_equal(rm[5], N);          /* always suppressed, still counted */
        assert_int_equal(rm[6], 0);
        assert_true(s.alerts > 0);
        assert_true(s.alerts_rate_limited > 0);
        assert_true(s.alerts_thresholded > 0);
        run_close(&r);
    }
    tw_tables_free(t);
}

/* The per-rule counters share their RAM's read port with the visits (the host reads in the clocks between). Rule 0
 * alerts on the first 40 frames (TTL 63) and never again, rule 4 never matches; then 400 frames of TTL 64 go back to
 * back, each a visit of rules 1..3, while the port reads rules 0 and 4 in turn: from the second clock after each
 * change it must give their counters (40 / 40 / 0 and zeros), never a visited rule's. */
static void test_rule_counters_read_under_traffic(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    for (unsigned i = 0; i < 5; i++)
        rule_any(t, i);
    t->rule[0].ttl_op = TW_CMP_EQ;
    t->rule[0].ttl_a = 63;
    t->rule[4].ttl_op = TW_CMP_EQ;
    t->rule[4].ttl_a = 62;
    enum { N1 = 40, N2 = 400 };
    struct tw_meta ms[N1 + N2];
    for (unsigned i = 0; i < N1 + N2; i++) {
        frame4(&ms[i], T0 + i * MS, 0x0A000001u + i % 5, 0x0A000101u, 7, 9, 100);
        ms[i].o_ip_ttl = (uint8_t)(i < N1 ? 63 : 64);
    }
    struct run r;
    run_open(&r, t, 0, 0, 0);
    run_frames(&r, ms, N1, &back_to_back);
    struct feed_opts o = {.watch = 1, .watch_rule = {0, 4}};
    tw_alm_rule_counters(r.hw, 0, o.watch_v[0]);
    tw_alm_rule_counters(r.hw, 4, o.watch_v[1]);
    assert_int_equal(o.watch_v[0][0], N1);
    assert_int_equal(o.watch_v[0][1], N1);
    assert_int_equal(o.watch_v[1][0], 0);
    run_frames(&r, ms + N1, N2, &o);
    const uint64_t *rm = tw_detector_rule_matches(r.full);
    assert_int_equal(rm[0], N1);
    assert_int_equal(rm[1], N1 + N2);
    run_close(&r);
    tw_tables_free(t);
}

/* All 256 rules match every frame (a mix of thresholds, volume, plain), evidence on, random back-pressure. */
static void test_every_rule_matches(void **state)
{
    (void)state;
    struct tw_tables *t = tables_new();
    uint64_t rng = 99;
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        rule_any(t, i);
        if (eng_rn(&rng, 3) == 0) {
            t->rule[i].thr_type = (uint8_t)(1 + eng_rn(&rng, 4));
            t->rule[i].thr_track = (uint8_t)eng_rn(&rng, 5);
            t->rule[i].thr_count = eng_rn(&rng, 4);
            t->rule[i].thr_seconds = eng_rn(&rng, 2);
        }
        if (eng_rn(&rng, 4) == 0) {
            t->rule[i].vol_v = 1;
            t->rule[i].vol_track = (uint8_t)eng_rn(&rng, 5);
            t->rule[i].vol_bytes = eng_rn(&rng, 1000);
            t->rule[i].vol_seconds = 1;
        }
    }
    enum { N = 60 };
    struct tw_meta ms[N];
    for (unsigned i = 0; i < N; i++)
        frame4(&ms[i], T0 + i * 30 * MS, 0x0A000001u + eng_rn(&rng, 2), 0x0A000101u, 7, 9,
               (uint16_t)(60 + eng_rn(&rng, 1400)));
    struct run r;
    run_open(&r, t, 50, 30, 64);
    struct feed_opts o = {.in_gap = 10, .out_stall = 30, .seed = 7};
    run_frames(&r, ms, N, &o);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    assert_true(s.alerts_overflow > 0);
    run_close(&r);
    tw_tables_free(t);
}

/* Random tables (every match field, pass rules, inner rules, mirror copies, vendor sets) with random thresholds
 * and volume, random records with timestamps 0..300 ms apart (sometimes backwards), fed back to back and with
 * random input gaps and output back-pressure. */
static void random_run(uint64_t seed, size_t n, const struct feed_opts *o)
{
    uint64_t rng = seed;
    struct tw_tables *t = tables_new();
    eng_rand_tables(&rng, t, TW_CAP_RULES, 600);
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        struct tw_rule_entry *e = &t->rule[i];
        e->sid = (uint32_t)eng_rand(&rng);
        e->rev = (uint32_t)eng_rand(&rng);
        e->gid = (uint32_t)eng_rand(&rng);
        e->prio = (uint8_t)eng_rand(&rng);
        if (eng_rn(&rng, 3) == 0) {
            e->thr_type = (uint8_t)(eng_rn(&rng, 10) ? 1 + eng_rn(&rng, 4) : eng_rn(&rng, 8));
            e->thr_track = (uint8_t)eng_rn(&rng, 5);
            e->thr_count = eng_rn(&rng, 8) ? eng_rn(&rng, 5) : (uint32_t)eng_rand(&rng);
            e->thr_seconds = eng_rn(&rng, 3);
        }
        if (eng_rn(&rng, 4) == 0) {
            static const uint8_t tr[] = {TW_TRACK_SRC, TW_TRACK_DST, TW_TRACK_FLOW};
            e->vol_v = 1;
            e->vol_track = tr[eng_rn(&rng, 3)];
            e->vol_bytes = eng_rn(&rng, 6000);
            e->vol_seconds = eng_rn(&rng, 3);
        }
    }
    struct tw_meta *ms = calloc(n, sizeof *ms);
    assert_non_null(ms);
    uint64_t ts = T0;
    for (size_t i = 0; i < n; i++) {
        eng_rand_meta(&rng, &ms[i], 600, i);
        if (eng_rn(&rng, 50) == 0)
            ts -= eng_rn(&rng, 100) * MS;
        else
            ts += eng_rn(&rng, 300) * MS;
        ms[i].ts = ts;
        ms[i].tun_id_v = (uint8_t)eng_rn(&rng, 2);
        ms[i].tun_id = (uint32_t)eng_rand(&rng);
        if (i > 0 && eng_rn(&rng, 8) == 0) { /* a mirror copy of the previous frame's outer packet */
            struct tw_meta *c = &ms[i];
            c->inner = 1;
            c->tun_kind = 3;
            c->i_ip_ver = ms[i - 1].o_ip_ver;
            memcpy(c->i_ip_src, ms[i - 1].o_ip_src, 16);
            memcpy(c->i_ip_dst, ms[i - 1].o_ip_dst, 16);
            c->i_ip_proto = ms[i - 1].o_ip_proto;
            c->i_ip_id = ms[i - 1].o_ip_id;
            c->i_ip_len = ms[i - 1].o_ip_len;
            c->i_l3_hdrlen = ms[i - 1].o_l3_hdrlen;
            c->i_ip_flow = ms[i - 1].o_ip_flow;
            memcpy(c->i_l3_head, ms[i - 1].o_l3_head, sizeof c->i_l3_head);
        }
    }
    struct run r;
    run_open(&r, t, (uint32_t)(eng_rn(&rng, 2) ? 2 + eng_rn(&rng, 20) : 0), 1 + (uint32_t)eng_rn(&rng, 6),
             (unsigned)eng_rn(&rng, 129));
    run_frames(&r, ms, n, o);
    struct tw_detect_stats s;
    tw_detector_stats(r.full, &s);
    print_message("  seed %llu: %zu frames, %llu matches, %llu alerts, %llu thresholded, %llu rate-limited, "
                  "%llu overflow, %llu mirror copies\n",
                  (unsigned long long)seed, n, (unsigned long long)s.rule_matches, (unsigned long long)s.alerts,
                  (unsigned long long)s.alerts_thresholded, (unsigned long long)s.alerts_rate_limited,
                  (unsigned long long)s.alerts_overflow, (unsigned long long)s.mirror_copies);
    assert_true(s.alerts > 0);
    free(ms);
    run_close(&r);
    tw_tables_free(t);
}

static void test_random_back_to_back(void **state)
{
    (void)state;
    random_run(1234, 3000, &back_to_back);
}

static void test_random_stalls(void **state)
{
    (void)state;
    struct feed_opts o = {.in_gap = 30, .out_stall = 40, .seed = 77};
    random_run(4321, 2000, &o);
}

/* Table port: bad tables and indexes are consumed and counted, other blocks' tables counted apart; writes go to the
 * shadow bank only; COMMIT swaps; a rule set written and committed while frames flow: every frame's records carry
 * the sids of the bank it came with, and the writes wait while frames of the shadow bank are inside. */
static void test_table_port(void **state)
{
    (void)state;
    struct tw_alm *hw = tw_alm_new();
    assert_non_null(hw);
    tw_alm_set_cfg(hw, 0, 0, 0);
    tw_alm_settle(hw);
    uint8_t e[TW_RE_BYTES];
    memset(e, 0, sizeof e);
    /* table 7 (the engine's prefix interval table) is another block's since session 13 */
    static const unsigned bad[][2] = {{0, 0}, {0, 5}, {5, 256}, {5, 65535}};
    static const unsigned other[] = {1, 2, 3, 4, 7};
    for (unsigned i = 0; i < 5; i++) {
        if (i < 4) {
            tw_alm_tbl(hw, 1, bad[i][0], bad[i][1], e);
            assert_true(tw_alm_tbl_ready(hw));
            tw_alm_tick(hw);
        }
        tw_alm_tbl(hw, 1, other[i], 3, e);
        assert_true(tw_alm_tbl_ready(hw));
        tw_alm_tick(hw);
    }
    tw_alm_tbl(hw, 0, 0, 0, NULL);
    tw_alm_tick(hw);
    struct tw_alm_counters c;
    tw_alm_counters(hw, &c);
    assert_int_equal(c.wr_bad, 4);
    assert_int_equal(c.wr_other, 5);
    assert_int_equal(c.wr_ok, 0);
    assert_int_equal(c.rule_bank, 0);

    /* set 0 (sid 100+i) loaded; under traffic set 1 (sid 200+i) is written and committed, then set 2 (sid 300+i)
     * right behind: its writes target the bank set 0's frames still read, so they must wait for those to leave */
    struct tw_tables *ts[3];
    for (unsigned k = 0; k < 3; k++) {
        ts[k] = tables_new();
        for (unsigned i = 0; i < 16; i++) {
            rule_any(ts[k], i);
            ts[k]->rule[i].sid = 100u * (k + 1) + i;
        }
    }
    unsigned bank = al_load(hw, ts[0]);
    assert_int_equal(bank, 1);
    tw_alm_counters(hw, &c);
    assert_int_equal(c.wr_ok, 257);
    assert_int_equal(c.commits, 1);

    struct tw_meta m;
    frame4(&m, T0, 0x0A000001u, 0x0A000101u, 1, 2, 64);
    uint8_t bits[TW_M_BYTES];
    tw_meta_pack(&m, bits);
    struct tw_alm_in in;
    memset(&in, 0, sizeof in);
    in.meta = bits;
    for (unsigned i = 0; i < 16; i++)
        in.alerts[i / 8] |= (uint8_t)(1u << (i % 8));
    enum { NF = 3000 };
    /* frames flow all the time with the bank the (simulated) front has; the table commands go in between */
    unsigned set = 0, wi = 0, frames = 0, waited = 0, switched[2] = {0, 0};
    uint8_t *fset = calloc(NF, 1);
    assert_non_null(fset);
    size_t rec_i = 0;
    for (uint64_t cyc = 0; cyc < 200000 && (frames < NF || rec_i < (size_t)NF * 8); cyc++) {
        in.bank = (uint8_t)((bank + set) & 1u);
        tw_alm_drive(hw, frames < NF ? &in : NULL);
        int tv = set < 2;
        if (tv && wi < TW_CAP_RULES) {
            tw_rule_entry_pack(&ts[set + 1]->rule[wi], e);
            tw_alm_tbl(hw, 1, 5, wi, e);
        } else {
            tw_alm_tbl(hw, tv, 6, 0, NULL);
        }
        int tr = tw_alm_tbl_ready(hw), ir = frames < NF && tw_alm_in_ready(hw);
        if (tv && !tr)
            waited++;
        struct tw_alert_rec a;
        if (tw_alm_out(hw, &a)) {
            unsigned f = (unsigned)(rec_i / 8), rule = (unsigned)(rec_i % 8);
            assert_int_equal(a.rule, rule);
            if (a.sid != 100u * (fset[f] + 1) + rule)
                print_error("frame %u (set %u) record %u: sid %u\n", f, fset[f], rule, a.sid);
            assert_int_equal(a.sid, 100u * (fset[f] + 1) + rule);
            rec_i++;
        }
        tw_alm_tick(hw);
        if (ir)
            fset[frames++] = (uint8_t)set;
        if (tv && tr) {
            if (wi < TW_CAP_RULES) {
                wi++;
            } else {
                switched[set] = frames;
                set++; /* the front's bank follows the commit for the frames after it */
                wi = 0;
            }
        }
    }
    tw_alm_drive(hw, NULL);
    tw_alm_tbl(hw, 0, 0, 0, NULL);
    for (unsigned k = 0; k < 100; k++) /* the last frame's cut matches are still in the pipeline */
        tw_alm_tick(hw);
    assert_int_equal(frames, NF);
    assert_int_equal(rec_i, (size_t)NF * 8);
    assert_int_equal(set, 2);
    assert_true(switched[0] > 0 && switched[1] > switched[0] && switched[1] < NF);
    assert_true(waited > 0); /* set 2's writes waited for set 0's frames */
    tw_alm_counters(hw, &c);
    assert_int_equal(c.commits, 3);
    assert_int_equal(c.wr_ok, 257 * 3);
    assert_int_equal(c.rule_bank, bank);
    assert_int_equal(c.overflow, (uint64_t)NF * 8);
    assert_int_equal(c.frames_in, NF);
    assert_int_equal(c.frames_out, NF);
    print_message("  rule sets switched at frames %u and %u; %u table-port clocks held off\n", switched[0],
                  switched[1], waited);
    free(fset);
    for (unsigned k = 0; k < 3; k++)
        tw_tables_free(ts[k]);
    tw_alm_free(hw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold_types_tracks),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_state_full),
        cmocka_unit_test(test_state_full_pairs),
        cmocka_unit_test(test_state_full_pairs_volume),
        cmocka_unit_test(test_state_full_flows_volume),
        cmocka_unit_test(test_state_hazards),
        cmocka_unit_test(test_state_pending_free),
        cmocka_unit_test(test_state_free_edges),
        cmocka_unit_test(test_rate_limiter),
        cmocka_unit_test(test_rate_burst_zero),
        cmocka_unit_test(test_cut_after_thresholds),
        cmocka_unit_test(test_pass_suppression),
        cmocka_unit_test(test_rule_counters_read_under_traffic),
        cmocka_unit_test(test_every_rule_matches),
        cmocka_unit_test(test_random_back_to_back),
        cmocka_unit_test(test_random_stalls),
        cmocka_unit_test(test_table_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
