/* Capture frames through the RTL parser one at a time, each record against the C reference dissector: for parser
 * builds slower than the reference (sim/parser_small.mk), whose engine spends more clocks per frame than the
 * reference tests' back-to-back feeding leaves (they drop copies there, counted, by design). Every frame waits for its
 * record here, so every frame is compared. The generated captures (build/captures, or TAPWATCH_GEN_CAPTURES=DIR):
 * every frame; the shared corpus (../shared/captures, or TAPWATCH_CAPTURES=DIR): every TW_PARSER_CORPUS_STRIDE-th
 * frame (default 8; 1 = all). Frames of 0 bytes or longer than TWSIM_MAX_FRAME are counted and not fed; non-Ethernet
 * files are skipped and counted. A folder that is absent skips its test with a message. Each record must be the only
 * one, carry its frame's tag, and equal tw_dissect()'s for the same bytes (packed records compared, differing fields
 * named). */
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "capdir.h"
#include "parser_cases.h"
#include "tapwatch/dissect.h"
#include "tapwatch/meta.h"
#include "twsim.h"

/* Every stride-th frame of every Ethernet capture under dir, one at a time; returns frames compared. */
static uint64_t run_dir(const char *dir, unsigned long stride)
{
    struct twt_capdir c;
    assert_int_equal(twt_capdir_list(dir, &c), 0);

    struct twsim_cfg cfg;
    twsim_cfg_default(&cfg);
    cfg.serial = 1;
    cfg.keep_records = 1;
    cfg.quiet_cycles = 50000; /* a slow engine may take thousands of clocks on a long TZSP tag run */
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &cfg), 0);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    uint64_t seen = 0, compared = 0, differ = 0, unfed = 0, files_eth = 0, files_other = 0, files_bad = 0;
    uint32_t fseq = 0;
    for (size_t i = 0; i < c.n; i++) {
        pcap_t *p = twt_capdir_open_eth(c.paths[i], &files_bad, &files_other);
        if (!p)
            continue;
        files_eth++;
        struct pcap_pkthdr *h;
        const u_char *d;
        while (pcap_next_ex(p, &h, &d) == 1) {
            if (seen++ % stride != 0)
                continue;
            if (h->caplen == 0 || h->caplen > TWSIM_MAX_FRAME) {
                unfed++;
                continue;
            }
            const uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
            assert_int_equal(twsim_push(s, 0, d, h->caplen, 0, ts, compared), 0);
            if (twsim_run(s, 0) != 0)
                fail_msg("%s: the model hung", c.paths[i]);
            size_t nr;
            const struct twsim_rec *rec = twsim_records(s, &nr);
            if (nr != 1 || rec[0].tag != compared)
                fail_msg("%s: frame %llu: %zu records (expected one, tag %llu)", c.paths[i],
                         (unsigned long long)(seen - 1), nr, (unsigned long long)compared);
            struct tw_meta ref;
            tw_dissect(&dc, d, h->caplen, 0, ts, 0, fseq, &ref);
            if (twpc_meta_diff(&rec[0].m, &ref, "record", 1)) {
                printf("  in %s frame %llu\n", c.paths[i], (unsigned long long)(seen - 1));
                differ++;
            }
            fseq++;
            compared++;
            twsim_clear(s);
        }
        pcap_close(p);
    }
    const struct twsim_stats *st = twsim_stats(s);
    printf("%s: %zu files (%llu Ethernet, %llu other, %llu unreadable), %llu frames seen, every %lu-th: %llu "
           "compared, %llu not fed, %llu differ; %llu clocks\n",
           dir, c.n, (unsigned long long)files_eth, (unsigned long long)files_other, (unsigned long long)files_bad,
           (unsigned long long)seen, stride, (unsigned long long)compared, (unsigned long long)unfed,
           (unsigned long long)differ, (unsigned long long)st->cycles);
    assert_int_equal(st->out_bad[0] + st->out_bad[1] + st->rec_bad, 0);
    twsim_free(s);
    twt_capdir_free(&c);
    assert_int_equal(differ, 0);
    return compared;
}

static const char *dir_or(const char *env, const char *def)
{
    const char *d = getenv(env);
    return d && *d ? d : def;
}

static int is_dir(const char *d)
{
    struct stat sb;
    return stat(d, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void test_generated(void **state)
{
    (void)state;
    const char *dir = dir_or("TAPWATCH_GEN_CAPTURES", "build/captures");
    if (!is_dir(dir)) {
        printf("skip: generated captures %s not found (make captures, or TAPWATCH_GEN_CAPTURES=DIR)\n", dir);
        skip();
    }
    assert_true(run_dir(dir, 1) > 0);
}

static void test_shared(void **state)
{
    (void)state;
    const char *dir = dir_or("TAPWATCH_CAPTURES", "../shared/captures");
    if (!is_dir(dir)) {
        printf("skip: capture folder %s not found (set TAPWATCH_CAPTURES=DIR)\n", dir);
        skip();
    }
    unsigned long stride = 8;
    const char *e = getenv("TW_PARSER_CORPUS_STRIDE");
    if (e && *e) {
        char *end;
        stride = strtoul(e, &end, 10);
        if (*end || stride == 0)
            fail_msg("TW_PARSER_CORPUS_STRIDE=%s: a positive number is expected", e);
    }
    assert_true(run_dir(dir, stride) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated),
        cmocka_unit_test(test_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
