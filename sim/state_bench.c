/* Engine-state bench (make bench): the Verilated digest table and flow table, cycle counts only (no wall-clock).
 *   frames per cycle accepted with records offered on every cycle (outputs always ready): random frames (copies,
 *     new and recurring flows, short timeouts so records flow) and one identical frame repeated;
 *   latency: cycles from the record's accepting edge to its result on m_axis, with the pipeline otherwise idle.
 * Prints "ROW<TAB>name<TAB>value<TAB>unit<TAB>baseline<TAB>ratio" lines (tools/run-bench.sh). The requirement is
 * one frame every 4 cycles (two ports of 64-byte frames at 10 Gb/s on a 156.25 MHz, 64-bit datapath): the baseline
 * column compares against 0.25 frames/cycle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state_model.h"
#include "state_testlib.h"

#define T0 1700000000000000000ull
#define NFRAMES 20000
#define NEED 0.25

static void row(const char *name, double v, const char *unit, int cmp)
{
    if (cmp)
        printf("ROW\t%s\t%.3f\t%s\tneed 0.25 frames/cycle\t%.2f\n", name, v, unit, v / NEED);
    else
        printf("ROW\t%s\t%.0f\t%s\t-\t-\n", name, v, unit);
}

/* Offers bits[0..n) on every cycle; returns frames accepted per cycle between the first and the last accept. */
static double dg_rate(struct tw_dgm *m, const uint8_t *bits, size_t n)
{
    tw_dgm_reset(m);
    size_t in = 0;
    uint64_t cyc = 0, first = 0, last = 0;
    while (in < n) {
        tw_dgm_drive(m, bits + in * TW_M_BYTES, (uint32_t)in);
        tw_dgm_out_ready(m, 1);
        int took = tw_dgm_in_ready(m);
        (void)tw_dgm_out(m, NULL);
        tw_dgm_tick(m);
        if (took) {
            if (!in)
                first = cyc;
            last = cyc;
            in++;
        }
        cyc++;
    }
    return (double)(n - 1) / (double)(last - first);
}

static double fl_rate(struct tw_flm *m, const uint8_t *bits, size_t n)
{
    tw_flm_reset(m);
    tw_flm_set_timeouts(m, 20000, 90000);
    size_t in = 0;
    uint64_t cyc = 0, first = 0, last = 0;
    while (in < n) {
        tw_flm_drive(m, bits + in * TW_M_BYTES, (uint32_t)in);
        tw_flm_out_ready(m, 1);
        tw_flm_rec_ready(m, 1);
        int took = tw_flm_in_ready(m);
        (void)tw_flm_out(m, NULL);
        (void)tw_flm_rec(m, NULL);
        tw_flm_tick(m);
        if (took) {
            if (!in)
                first = cyc;
            last = cyc;
            in++;
        }
        cyc++;
    }
    return (double)(n - 1) / (double)(last - first);
}

static unsigned dg_latency(struct tw_dgm *m, const uint8_t *bits)
{
    tw_dgm_reset(m);
    tw_dgm_out_ready(m, 1);
    tw_dgm_drive(m, bits, 0);
    while (!tw_dgm_in_ready(m))
        tw_dgm_tick(m);
    tw_dgm_tick(m); /* the accepting edge */
    tw_dgm_drive(m, NULL, 0);
    unsigned c = 0;
    while (!tw_dgm_out(m, NULL) && c < 1000) {
        tw_dgm_tick(m);
        c++;
    }
    return c;
}

static unsigned fl_latency(struct tw_flm *m, const uint8_t *bits)
{
    tw_flm_reset(m);
    tw_flm_drive(m, bits, 0);
    while (!tw_flm_in_ready(m))
        tw_flm_tick(m);
    tw_flm_tick(m);
    tw_flm_drive(m, NULL, 0);
    unsigned c = 0;
    while (!tw_flm_out(m, NULL) && c < 1000) {
        tw_flm_tick(m);
        c++;
    }
    return c;
}

int main(void)
{
    uint8_t *rnd = calloc(NFRAMES, TW_M_BYTES), *same = calloc(NFRAMES, TW_M_BYTES);
    struct tw_meta *pool = calloc(64, sizeof *pool);
    struct tw_dgm *dg = tw_dgm_new();
    struct tw_flm *fl = tw_flm_new();
    if (!rnd || !same || !pool || !dg || !fl) {
        fprintf(stderr, "state_bench: out of memory\n");
        return 1;
    }
    uint64_t rng = 99, t = T0;
    for (unsigned i = 0; i < 64; i++)
        st_plain(&pool[i], &rng, 0);
    struct tw_meta m, prev;
    st_plain(&prev, &rng, t);
    for (size_t i = 0; i < NFRAMES; i++) {
        t += st_rand(&rng) % 2000;
        uint64_t c = st_rand(&rng) % 4;
        if (c == 0)
            st_copy_of(&m, &prev, &rng, t); /* a copy of the previous frame */
        else if (c == 1)
            st_plain(&m, &rng, t);          /* a new flow */
        else {
            m = pool[st_rand(&rng) % 64];  /* a recurring flow, either direction */
            if (st_rand(&rng) & 1)
                st_reverse(&m);
            m.ts = t;
        }
        tw_meta_pack(&m, rnd + i * TW_M_BYTES);
        prev = m;
    }
    st_plain(&m, &rng, T0);
    for (size_t i = 0; i < NFRAMES; i++) {
        m.ts = T0 + i;
        tw_meta_pack(&m, same + i * TW_M_BYTES);
    }
    row("state: digest table, random frames", dg_rate(dg, rnd, NFRAMES), "frames/cycle", 1);
    row("state: digest table, identical frames", dg_rate(dg, same, NFRAMES), "frames/cycle", 1);
    row("state: flow table, random frames", fl_rate(fl, rnd, NFRAMES), "frames/cycle", 1);
    row("state: flow table, one flow back to back", fl_rate(fl, same, NFRAMES), "frames/cycle", 1);
    row("state: digest table latency", dg_latency(dg, rnd), "cycles", 0);
    row("state: flow table latency", fl_latency(fl, rnd), "cycles", 0);
    tw_dgm_free(dg);
    tw_flm_free(fl);
    free(rnd);
    free(same);
    free(pool);
    return 0;
}
