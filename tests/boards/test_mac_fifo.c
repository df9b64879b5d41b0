/* Unit test of rtl/tw_mac_fifo.v (the MAC path's dual-clock frame FIFO) in Verilator: two 16-beat instances
 * (sim/boards_fifo_pair.v), one back-pressuring (transmit side), one dropping (receive side), written and read on
 * unrelated clocks (periods 6 and 10 ticks). Frames are checked beat for beat (data, tkeep, tlast, tuser). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boards_fifo_model.h"

#define MAXF 64
#define MAXB 32

struct frame {
    int beats;
    uint64_t data[MAXB];
    uint8_t last_keep;
    uint8_t user;
};

struct side {
    struct frame in[MAXF];
    int nin, fi, bi;            /* source: frame and beat being offered */
    struct frame out[MAXF];
    int nout, ob;               /* sink: frames completed, beats of the current one */
    uint8_t keep_out[MAXF];
    int commits, drops;
    int stall;                  /* reader holds tready low */
    uint32_t rng;
};

struct bench {
    struct tw_mf *m;
    struct tw_mf_pins p;
    struct side s[2];
    uint64_t tick;
};

static uint32_t rnd(uint32_t *r) {
    *r ^= *r << 13;
    *r ^= *r >> 17;
    *r ^= *r << 5;
    return *r;
}

static void offer(struct bench *b, int i) {
    struct side *s = &b->s[i];
    struct tw_mf_side *f = &b->p.f[i];
    if (s->fi < s->nin) {
        struct frame *fr = &s->in[s->fi];
        f->s_tvalid = 1;
        f->s_tdata = fr->data[s->bi];
        f->s_tlast = s->bi == fr->beats - 1;
        f->s_tkeep = f->s_tlast ? fr->last_keep : 0xFF;
        f->s_tuser = f->s_tlast ? fr->user : 0;
    } else {
        f->s_tvalid = 0;
    }
}

/* one tick: the write clock has period 6, the read clock 10 */
static void tick(struct bench *b) {
    b->tick++;
    int wr_rise = b->tick % 6 == 0, wr_fall = b->tick % 6 == 3;
    int rd_rise = b->tick % 10 == 0, rd_fall = b->tick % 10 == 5;
    for (int i = 0; i < 2; i++) {
        struct side *s = &b->s[i];
        struct tw_mf_side *f = &b->p.f[i];
        if (wr_rise) {
            if (f->ev_commit)
                s->commits++;
            if (f->ev_drop)
                s->drops++;
            if (f->s_tvalid && f->s_tready) {
                if (++s->bi == s->in[s->fi].beats) {
                    s->bi = 0;
                    s->fi++;
                }
            }
        }
        if (rd_rise && f->m_tvalid && f->m_tready) {
            struct frame *o = &s->out[s->nout];
            assert_true(s->nout < MAXF);
            assert_true(s->ob < MAXB);
            o->data[s->ob++] = f->m_tdata;
            if (f->m_tlast) {
                o->beats = s->ob;
                o->last_keep = f->m_tkeep;
                o->user = f->m_tuser;
                s->nout++;
                s->ob = 0;
            } else {
                assert_int_equal(f->m_tkeep, 0xFF);
                assert_int_equal(f->m_tuser, 0);
            }
        }
    }
    if (wr_rise)
        b->p.wr_clk = 1;
    if (wr_fall)
        b->p.wr_clk = 0;
    if (rd_rise)
        b->p.rd_clk = 1;
    if (rd_fall)
        b->p.rd_clk = 0;
    tw_mf_eval(b->m, &b->p);
    for (int i = 0; i < 2; i++) {
        if (wr_rise)
            offer(b, i);
        if (rd_rise)
            b->p.f[i].m_tready = b->s[i].stall ? 0 : (uint8_t)(rnd(&b->s[i].rng) % 4 != 0);
    }
    tw_mf_eval(b->m, &b->p);
}

static void run(struct bench *b, int ticks) {
    for (int t = 0; t < ticks; t++)
        tick(b);
}

static int setup(void **state) {
    struct bench *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->m = tw_mf_new();
    if (!b->m) {
        free(b);
        return -1;
    }
    b->s[0].rng = 0x1234567u;
    b->s[1].rng = 0x7654321u;
    b->p.wr_rst = b->p.rd_rst = 1;
    run(b, 60);
    b->p.wr_rst = b->p.rd_rst = 0;
    run(b, 60);
    *state = b;
    return 0;
}

static int teardown(void **state) {
    struct bench *b = *state;
    tw_mf_free(b->m);
    free(b);
    return 0;
}

static void add_frame(struct side *s, int beats, uint32_t tag) {
    struct frame *f = &s->in[s->nin++];
    f->beats = beats;
    for (int k = 0; k < beats; k++)
        f->data[k] = (uint64_t)tag << 32 | (uint64_t)rnd(&s->rng);
    f->last_keep = (uint8_t)(0xFFu >> (rnd(&s->rng) % 8));   /* 1..8 bytes, contiguous */
    f->user = (uint8_t)(rnd(&s->rng) & 1);
}

static void expect_equal(const struct frame *a, const struct frame *b) {
    assert_int_equal(a->beats, b->beats);
    assert_memory_equal(a->data, b->data, (size_t)a->beats * sizeof(uint64_t));
    assert_int_equal(a->last_keep, b->last_keep);
    assert_int_equal(a->user, b->user);
}

/* frames of 1..12 beats through the back-pressuring FIFO with a randomly stalling reader: all arrive, in order */
static void test_bp_frames_in_order(void **state) {
    struct bench *b = *state;
    struct side *s = &b->s[0];
    for (int i = 0; i < 40; i++)
        add_frame(s, 1 + i % 12, (uint32_t)i);
    run(b, 40000);
    assert_int_equal(s->fi, s->nin);
    assert_int_equal(s->nout, s->nin);
    for (int i = 0; i < s->nin; i++)
        expect_equal(&s->in[i], &s->out[i]);
    assert_int_equal(s->commits, s->nin);
    assert_int_equal(s->drops, 0);
}

/* the reader stops: the writer is held (tready low), nothing is lost; it resumes when the reader does */
static void test_bp_backpressure_loses_nothing(void **state) {
    struct bench *b = *state;
    struct side *s = &b->s[0];
    s->stall = 1;
    for (int i = 0; i < 10; i++)
        add_frame(s, 4, (uint32_t)i);
    run(b, 3000);
    assert_true(s->fi < s->nin);          /* held back */
    assert_int_equal(b->p.f[0].s_tready, 0);
    assert_int_equal(s->nout, 0);
    s->stall = 0;
    run(b, 20000);
    assert_int_equal(s->nout, s->nin);
    for (int i = 0; i < s->nin; i++)
        expect_equal(&s->in[i], &s->out[i]);
    assert_int_equal(s->drops, 0);
}

/* a frame longer than the FIFO can never be committed: the back-pressuring FIFO drops it whole instead of blocking
 * forever, counts it, and passes the next frame */
static void test_bp_oversize_dropped(void **state) {
    struct bench *b = *state;
    struct side *s = &b->s[0];
    add_frame(s, 3, 1);
    add_frame(s, 24, 2);     /* > 15 beats */
    add_frame(s, 5, 3);
    run(b, 20000);
    assert_int_equal(s->fi, s->nin);
    assert_int_equal(s->drops, 1);
    assert_int_equal(s->commits, 2);
    assert_int_equal(s->nout, 2);
    expect_equal(&s->in[0], &s->out[0]);
    expect_equal(&s->in[2], &s->out[1]);
}

/* the dropping FIFO never back-pressures: with its reader stopped, frames that do not fit are dropped whole and
 * counted; once the reader runs, exactly the committed frames come out, complete and in order */
static void test_drop_full_drops_whole_frames(void **state) {
    struct bench *b = *state;
    struct side *s = &b->s[1];
    s->stall = 1;
    for (int i = 0; i < 12; i++)
        add_frame(s, 4, (uint32_t)i);
    for (int t = 0; t < 3000; t++) {
        tick(b);
        assert_int_equal(b->p.f[1].s_tready, 1);
    }
    assert_int_equal(s->fi, s->nin);      /* everything was taken (kept or dropped) */
    assert_true(s->drops > 0);
    assert_int_equal(s->commits + s->drops, s->nin);
    s->stall = 0;
    run(b, 20000);
    assert_int_equal(s->nout, s->commits);
    /* the kept frames are the first ones (16 entries, 15 usable: three 4-beat frames), in order */
    for (int i = 0; i < s->nout; i++)
        expect_equal(&s->in[i], &s->out[i]);
    /* after the drain it takes frames again */
    int before = s->nout;
    add_frame(s, 2, 99);
    run(b, 2000);
    assert_int_equal(s->nout, before + 1);
    expect_equal(&s->in[s->nin - 1], &s->out[before]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bp_frames_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bp_backpressure_loses_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bp_oversize_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_full_drops_whole_frames, setup, teardown),
    };
    return cmocka_run_group_tests_name("tw_mac_fifo", tests, NULL, NULL);
}
