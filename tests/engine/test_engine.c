/* The RTL detection engine's match path (rtl/tw_engine.v) against the reference matcher (tw_detect_match, the
 * semantics of detect.c) on random tables and records: every match field of the rule entry, every record field the
 * engine reads, pass suppression and the 8-alert cut; plus the table port's error paths and result back-pressure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "eng_test.h"

#define NOUIS 3000

struct fx {
    struct tw_tables *t;
    struct tw_eng *e;
};

static int setup(void **st)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->t = tw_tables_new();
    f->e = tw_eng_new();
    if (!f->t || !f->e)
        return -1;
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    struct fx *f = *st;
    tw_eng_free(f->e);
    tw_tables_free(f->t);
    free(f);
    return 0;
}

/* Runs n random records through the engine and the reference; returns the number of differing frames. */
static unsigned run_random(struct fx *f, uint64_t *seed, unsigned n, unsigned gap)
{
    struct tw_meta *ms = calloc(n, sizeof *ms);
    int *mc = calloc(n, sizeof *mc);
    assert_non_null(ms);
    assert_non_null(mc);
    tw_eng_clear_results(f->e);
    for (unsigned i = 0; i < n; i++) {
        eng_rand_meta(seed, &ms[i], NOUIS, i);
        mc[i] = eng_rn(seed, 3) == 0;
        assert_int_equal(tw_eng_push(f->e, &ms[i], mc[i], gap), 0);
    }
    assert_int_equal(tw_eng_run(f->e, 50ull * n + 100000), 0);
    const struct tw_eng_result *r;
    size_t nr = tw_eng_results(f->e, &r);
    assert_int_equal(nr, n);
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++) {
        struct tw_match_result ref;
        tw_detect_match(f->t, &ms[i], mc[i], &ref);
        assert_int_equal(r[i].seq, i);
        if (!eng_same(&r[i], &ref, &ms[i], mc[i], i) && ++bad > 5)
            break;
    }
    free(ms);
    free(mc);
    return bad;
}

static void test_random_vs_reference(void **st)
{
    struct fx *f = *st;
    uint64_t seed = 0x5eed0001;
    eng_rand_tables(&seed, f->t, TW_CAP_RULES, NOUIS);
    assert_int_equal(tw_eng_load(f->e, f->t, TW_ENG_LOAD_ALL, 0), 0);
    assert_int_equal(tw_eng_run(f->e, 100000), 0);
    unsigned total_alerts = 0, total_ovf = 0, total_sup = 0, frames_matching = 0;
    assert_int_equal(run_random(f, &seed, 4000, 0), 0);
    const struct tw_eng_result *r;
    size_t nr = tw_eng_results(f->e, &r);
    for (size_t i = 0; i < nr; i++) {
        total_alerts += r[i].n;
        total_ovf += r[i].overflow;
        total_sup += r[i].suppressed;
        frames_matching += r[i].matches > 0;
    }
    /* the random mix reaches every outcome */
    assert_true(total_alerts > 1000);
    assert_true(total_ovf > 0);
    assert_true(total_sup > 0);
    assert_true(frames_matching < nr);
    struct tw_eng_counters c;
    tw_eng_counters(f->e, &c);
    assert_int_equal(c.frames, nr);
    assert_int_equal(c.results, nr);
    assert_int_equal(c.alerts, total_alerts);
    assert_int_equal(c.overflow, total_ovf);
    assert_int_equal(c.suppressed, total_sup);
    assert_int_equal(c.res_lost, 0);
    assert_int_equal(c.wr_bad, 0);
    print_message("random: %zu frames, %u alerts, %u overflow, %u suppressed\n", nr, total_alerts, total_ovf,
                  total_sup);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_vs_reference, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
