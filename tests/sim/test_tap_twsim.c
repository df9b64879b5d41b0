/* twsim's own checks against a C stand-in for the model (this file implements sim/tw_model.h; it is linked with
 * twsim.o instead of the Verilated top): a tap with a chosen latency, a record per frame, and faults on demand.
 * Shows that every check the RTL tests rely on fires: corrupted, cut, unexpected and missing forwarded frames,
 * records that match no frame, a hang, a babbling model, the measured latency, copy drops. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tap_frames.h"
#include "twsim.h"

#define QN 8   /* beats the stand-in tap holds per direction */
#define RN 4   /* records it holds */

struct qbeat {
    struct tw_beat b;
    uint64_t at; /* cycle from which it is visible on egress */
};

struct tw_model {
    int monitor, out_ready[2], meta_ready;
    uint64_t ts, cycles, cnt_data, counters[2 * TW_CNT_PER_PORT];
    unsigned cnt_addr, latency;
    struct tw_beat in[2];
    struct qbeat q[2][QN];
    unsigned qh[2], qn[2];
    unsigned len[2], fseq[2], in_frame[2];
    uint64_t sts[2];
    uint8_t rec[RN][TW_M_BYTES];
    unsigned rh, rn;
    /* faults */
    int flip_beat;      /* > 0: XOR the data of the flip_beat-th egress beat (1-based) */
    int cut_first;      /* set tlast on the first beat of every multi-beat frame (and drop the rest) */
    int babble;         /* egress A always valid with a junk beat */
    int stuck;          /* ingress never ready */
    unsigned fseq_add;  /* added to every record's fseq */
    unsigned len_add;   /* added to every record's len */
    unsigned egress_beats;
};

struct tw_model *tw_model_new(const char *trace_path)
{
    if (trace_path)
        return NULL;
    struct tw_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->out_ready[0] = m->out_ready[1] = m->meta_ready = 1;
    m->latency = 3;
    return m;
}

void tw_model_free(struct tw_model *m) { free(m); }

void tw_model_reset(struct tw_model *m, unsigned cycles)
{
    (void)cycles;
    memset(m->qn, 0, sizeof m->qn);
    memset(m->len, 0, sizeof m->len);
    memset(m->fseq, 0, sizeof m->fseq);
    memset(m->in_frame, 0, sizeof m->in_frame);
    memset(m->counters, 0, sizeof m->counters);
    m->rn = 0;
    m->cycles = 0;
}

void tw_model_config(struct tw_model *m, int monitor, unsigned mtu, unsigned l2tp_cookie)
{
    (void)mtu;
    (void)l2tp_cookie;
    m->monitor = monitor;
}

void tw_model_set_ts(struct tw_model *m, uint64_t ts_ns) { m->ts = ts_ns; }

void tw_model_drive(struct tw_model *m, unsigned port, const struct tw_beat *b)
{
    if (b && b->valid)
        m->in[port] = *b;
    else
        m->in[port].valid = 0;
}

int tw_model_in_ready(struct tw_model *m, unsigned port)
{
    return !m->stuck && (m->monitor || m->qn[port] < QN);
}

void tw_model_out_ready(struct tw_model *m, unsigned eport, int ready) { m->out_ready[eport] = ready; }

void tw_model_out(struct tw_model *m, unsigned eport, struct tw_beat *b)
{
    unsigned k = eport ^ 1u;
    memset(b, 0, sizeof *b);
    if (m->babble && eport == 0) {
        b->valid = 1;
        b->keep = 0xFF;
        b->data = 0xDEADBEEF;
        return;
    }
    if (m->qn[k] && m->q[k][m->qh[k]].at <= m->cycles)
        *b = m->q[k][m->qh[k]].b;
}

void tw_model_meta_ready(struct tw_model *m, int ready) { m->meta_ready = ready; }

int tw_model_meta(struct tw_model *m, uint8_t *bits)
{
    if (m->rn && bits)
        memcpy(bits, m->rec[m->rh], TW_M_BYTES);
    return m->rn > 0;
}

void tw_model_set_cnt_addr(struct tw_model *m, unsigned addr) { m->cnt_addr = addr; }
uint64_t tw_model_cnt_data(struct tw_model *m) { return m->cnt_data; }

uint64_t tw_model_counter(struct tw_model *m, unsigned port, unsigned index)
{
    tw_model_set_cnt_addr(m, port * TW_CNT_PER_PORT + index);
    tw_model_tick(m);
    return tw_model_cnt_data(m);
}

static void end_frame(struct tw_model *m, unsigned p, int user)
{
    uint64_t *c = &m->counters[p * TW_CNT_PER_PORT];
    c[TW_CNT_FRAMES]++;
    c[TW_CNT_BYTES] += m->len[p];
    if (m->rn == RN) {
        c[TW_CNT_COPY_DROP]++;
    } else {
        struct tw_meta r;
        memset(&r, 0, sizeof r);
        r.port = (uint8_t)p;
        r.len = (uint16_t)(m->len[p] + m->len_add);
        r.fseq = m->fseq[p] + m->fseq_add;
        r.ts = m->sts[p];
        r.err = user ? 1u << TW_ERR_MACBAD : 0;
        tw_meta_pack(&r, m->rec[(m->rh + m->rn) % RN]);
        m->rn++;
        c[TW_CNT_RECORDS]++;
    }
    m->fseq[p]++;
    m->len[p] = 0;
    m->in_frame[p] = 0;
}

void tw_model_tick(struct tw_model *m)
{
    /* everything moves on what was visible this cycle: readies first, then egress, records, ingress */
    int rdy[2] = {tw_model_in_ready(m, 0), tw_model_in_ready(m, 1)};
    for (unsigned e = 0; e < 2; e++) {
        struct tw_beat b;
        tw_model_out(m, e, &b);
        unsigned k = e ^ 1u;
        if (b.valid && m->out_ready[e] && !(m->babble && e == 0)) {
            m->qh[k] = (m->qh[k] + 1) % QN;
            m->qn[k]--;
            m->counters[k * TW_CNT_PER_PORT + TW_CNT_EGRESS] += b.last;
        }
    }
    if (m->rn && m->meta_ready) {
        m->rh = (m->rh + 1) % RN;
        m->rn--;
    }
    for (unsigned p = 0; p < 2; p++) {
        const struct tw_beat *b = &m->in[p];
        if (!b->valid || !rdy[p])
            continue;
        if (!m->in_frame[p]) {
            m->in_frame[p] = 1;
            m->sts[p] = m->ts;
        }
        m->len[p] += (unsigned)__builtin_popcount(b->keep);
        if (!m->monitor) {
            struct tw_beat o = *b;
            int first = m->len[p] <= 8;
            m->egress_beats++;
            if (m->flip_beat > 0 && m->egress_beats == (unsigned)m->flip_beat)
                o.data ^= 0x0100;
            if (m->cut_first && first && !b->last)
                o.last = 1;
            int drop = m->cut_first && !first;
            if (!drop) {
                m->q[p][(m->qh[p] + m->qn[p]) % QN] = (struct qbeat){o, m->cycles + m->latency};
                m->qn[p]++;
            }
        }
        if (b->last)
            end_frame(m, p, b->user);
    }
    m->cnt_data = m->counters[m->cnt_addr % (2 * TW_CNT_PER_PORT)];
    m->cycles++;
}

uint64_t tw_model_cycles(const struct tw_model *m) { return m->cycles; }

/* ---------------------------------------------------------------------------------------------- tests */

static struct twsim *mk(unsigned quiet)
{
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.quiet_cycles = quiet;
    c.keep_egress = 1;
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &c), 0);
    return s;
}

static void push_n(struct twsim *s, unsigned port, unsigned n, size_t len)
{
    static uint8_t buf[2048];
    for (unsigned i = 0; i < n; i++) {
        tf_plain(buf, len, i, 1);
        assert_int_equal(twsim_push(s, port, buf, len, (int)(i == 1), 100 + i, i), 0);
    }
}

static void test_clean_run_and_latency(void **state)
{
    (void)state;
    struct twsim *s = mk(100);
    twsim_model(s)->latency = 5;
    push_n(s, 0, 10, 100);
    push_n(s, 1, 10, 64);
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    assert_int_equal(st->out_frames[0], 10);
    assert_int_equal(st->out_frames[1], 10);
    assert_int_equal(st->out_bad[0] + st->out_bad[1], 0);
    assert_int_equal(st->out_bytes[0], 1000);
    assert_int_equal(st->records[0] + st->records[1], 20);
    assert_int_equal(st->rec_bad, 0);
    assert_int_equal(st->lat_min, 5);
    assert_int_equal(st->lat_max, 5);
    size_t n;
    const struct twsim_frame *eg = twsim_egress(s, &n);
    assert_int_equal(n, 20);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(eg[i].user, eg[i].tag == 1);
    twsim_free(s);
}

static void test_corrupted_byte_is_caught(void **state)
{
    (void)state;
    struct twsim *s = mk(100);
    twsim_model(s)->flip_beat = 7; /* a beat of the first frame (13 beats) */
    push_n(s, 0, 3, 100);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->out_bad[0], 1);
    assert_int_equal(twsim_stats(s)->out_frames[0], 3);
    twsim_free(s);
    /* the same without keep_egress goes through the whole-beat comparison */
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    assert_int_equal(twsim_new(&s, &c), 0);
    twsim_model(s)->flip_beat = 2;
    push_n(s, 1, 3, 100);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->out_bad[1], 1);
    twsim_free(s);
}

static void test_cut_frames_are_caught(void **state)
{
    (void)state;
    struct twsim *s = mk(100);
    twsim_model(s)->cut_first = 1;
    push_n(s, 0, 4, 100);
    assert_int_equal(twsim_run(s, 0), 0);
    const struct twsim_stats *st = twsim_stats(s);
    assert_int_equal(st->out_bad[0], 4);  /* each came out as its first 8 bytes */
    assert_int_equal(st->out_bytes[0], 32);
    assert_true(st->out_bytes[0] != st->in_bytes[0]);
    twsim_free(s);
}

static void test_unexpected_egress_in_monitor_mode(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.monitor = 1;
    c.quiet_cycles = 50;
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &c), 0);
    /* twsim configured the model for monitor mode; this stand-in forwards anyway: caught */
    twsim_model(s)->monitor = 0;
    push_n(s, 0, 2, 64);
    assert_int_equal(twsim_run(s, 0), 0);
    for (int i = 0; i < 20; i++) /* the run ends once the records are in; let the egress drain */
        twsim_step(s);
    assert_int_equal(twsim_stats(s)->out_bad[0], 2);
    assert_int_equal(twsim_stats(s)->out_frames[0], 0);
    twsim_free(s);
}

static void test_records_that_match_no_frame(void **state)
{
    (void)state;
    struct twsim *s = mk(100);
    twsim_model(s)->fseq_add = 1000;
    push_n(s, 0, 3, 64);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->rec_bad, 3);
    size_t n;
    const struct twsim_rec *r = twsim_records(s, &n);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].tag, UINT64_MAX);
    twsim_free(s);
    s = mk(100);
    twsim_model(s)->len_add = 1;
    push_n(s, 1, 2, 64);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->rec_bad, 2);
    twsim_free(s);
}

static void test_missing_records_end_quietly(void **state)
{
    (void)state;
    struct twsim *s = mk(100);
    twsim_set_rates(s, 0, 0, 100); /* meta never ready: the stand-in keeps RN records and drops the rest */
    push_n(s, 0, 10, 64);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->records[0], 0);
    uint64_t v;
    assert_int_equal(twsim_counter(s, 0, TW_CNT_COPY_DROP, &v), 0);
    assert_int_equal(v, 10 - RN);
    twsim_set_rates(s, 0, 0, 0);
    assert_int_equal(twsim_run(s, 0), 0);
    assert_int_equal(twsim_stats(s)->records[0], RN);
    twsim_free(s);
}

static void test_hang_and_babble(void **state)
{
    (void)state;
    struct twsim *s = mk(100);
    twsim_model(s)->stuck = 1;
    push_n(s, 0, 1, 64);
    assert_int_equal(twsim_run(s, 0), -ETIMEDOUT);
    assert_int_equal(twsim_stats(s)->cycles, 100);
    twsim_free(s);
    s = mk(20);
    push_n(s, 1, 1, 64);
    twsim_model(s)->babble = 1; /* egress A never stops */
    assert_int_equal(twsim_run(s, 0), -ETIMEDOUT);
    assert_true(twsim_stats(s)->cycles >= 100 * 20);
    assert_true(twsim_stats(s)->cycles < 100 * 20 + 100);
    twsim_free(s);
}

static void test_serial_order_and_timestamps(void **state)
{
    (void)state;
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.serial = 1;
    c.gap_pct = 30;
    c.out_bp_pct = 30;
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &c), 0);
    static uint8_t buf[256];
    for (unsigned i = 0; i < 12; i++) {
        tf_plain(buf, 64 + i, i, 1);
        assert_int_equal(twsim_push(s, i % 3 == 0 ? 1 : 0, buf, 64 + i, 0, 5000 + i, i), 0);
    }
    assert_int_equal(twsim_run(s, 0), 0);
    size_t n;
    const struct twsim_rec *r = twsim_records(s, &n);
    assert_int_equal(n, 12);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r[i].m.ts, 5000 + r[i].tag); /* each frame's own stamp */
        assert_int_equal(r[i].m.len, 64 + r[i].tag);
    }
    assert_int_equal(twsim_stats(s)->out_bad[0] + twsim_stats(s)->out_bad[1], 0);
    twsim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_run_and_latency),
        cmocka_unit_test(test_corrupted_byte_is_caught),
        cmocka_unit_test(test_cut_frames_are_caught),
        cmocka_unit_test(test_unexpected_egress_in_monitor_mode),
        cmocka_unit_test(test_records_that_match_no_frame),
        cmocka_unit_test(test_missing_records_end_quietly),
        cmocka_unit_test(test_hang_and_babble),
        cmocka_unit_test(test_serial_order_and_timestamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
