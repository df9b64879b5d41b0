/* Every frame of every Ethernet capture of the shared corpus (../shared/captures, or TAPWATCH_CAPTURES=DIR) through
 * the tap + parser in Verilator, frames alternating between ports A and B back-to-back: no hang, forwarding
 * bit-exact (egress bytes == ingress bytes per port), every record matched to its frame, records + copy drops ==
 * frames, and every error bit in the records counted by the matching counter. Non-Ethernet and unreadable files
 * are skipped and counted; the whole test is skipped with a message when the folder is absent. */
#include <errno.h>
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
#include "twsim.h"

static void test_corpus_through_tap(void **state)
{
    (void)state;
    const char *dir = getenv("TAPWATCH_CAPTURES");
    if (!dir || !*dir)
        dir = "../shared/captures";
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("skip: capture folder %s not found (set TAPWATCH_CAPTURES=DIR)\n", dir);
        skip();
    }
    struct twt_capdir c;
    assert_int_equal(twt_capdir_list(dir, &c), 0);

    struct twsim_cfg cfg;
    twsim_cfg_default(&cfg);
    cfg.quiet_cycles = 3000;
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &cfg), 0);
    uint64_t files_eth = 0, files_other = 0, files_bad = 0, frames = 0, skipped = 0, bytes[2] = {0, 0};
    uint64_t errbits[TW_ERR_COUNT] = {0}, pushed[2] = {0, 0};
    for (size_t i = 0; i < c.n; i++) {
        pcap_t *p = twt_capdir_open_eth(c.paths[i], &files_bad, &files_other);
        if (!p)
            continue;
        files_eth++;
        struct pcap_pkthdr *h;
        const u_char *d;
        int rc;
        while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
            if (h->caplen == 0 || h->caplen > TWSIM_MAX_FRAME) {
                skipped++;
                continue;
            }
            unsigned port = (unsigned)(frames & 1);
            uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
            assert_int_equal(twsim_push(s, port, d, h->caplen, 0, ts, frames), 0);
            bytes[port] += h->caplen;
            pushed[port]++;
            frames++;
        }
        pcap_close(p);
        int r = twsim_run(s, 0);
        if (r != 0)
            fail_msg("%s: the model hung (%d)", c.paths[i], r);
        size_t nr;
        const struct twsim_rec *rec = twsim_records(s, &nr);
        for (size_t k = 0; k < nr; k++) {
            if (rec[k].tag == UINT64_MAX)
                fail_msg("%s: a record (port %u, fseq %u, len %u) matches no frame", c.paths[i], rec[k].m.port,
                         rec[k].m.fseq, rec[k].m.len);
            for (unsigned b = 0; b < TW_ERR_COUNT; b++)
                errbits[b] += (rec[k].m.err >> b) & 1u;
        }
        twsim_clear(s);
        const struct twsim_stats *st = twsim_stats(s);
        if (st->out_bad[0] || st->out_bad[1])
            fail_msg("%s: forwarded frames differ from what went in", c.paths[i]);
    }
    const struct twsim_stats *st = twsim_stats(s);
    uint64_t drops = 0;
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(st->in_frames[p], pushed[p]);
        assert_int_equal(st->out_frames[p], pushed[p]);
        assert_int_equal(st->in_bytes[p], bytes[p]);
        assert_int_equal(st->out_bytes[p], bytes[p]);
        assert_int_equal(st->out_bad[p], 0);
        uint64_t f, r, dr;
        assert_int_equal(twsim_counter(s, p, TW_CNT_FRAMES, &f), 0);
        assert_int_equal(twsim_counter(s, p, TW_CNT_RECORDS, &r), 0);
        assert_int_equal(twsim_counter(s, p, TW_CNT_COPY_DROP, &dr), 0);
        assert_int_equal(f, pushed[p]);
        assert_int_equal(r, st->records[p]);
        assert_int_equal(r + dr, f);
        drops += dr;
    }
    assert_int_equal(st->rec_bad, 0);
    /* every error bit seen in a record is counted by its counter (summed over both ports) */
    static const struct { unsigned bit, cnt; } ec[] = {
        {TW_ERR_RUNT, TW_CNT_RUNT},   {TW_ERR_GIANT, TW_CNT_GIANT}, {TW_ERR_TRUNC, TW_CNT_TRUNC},
        {TW_ERR_IPVER, TW_CNT_IPVER}, {TW_ERR_IHL, TW_CNT_IHL},     {TW_ERR_IPLEN, TW_CNT_IPLEN},
        {TW_ERR_CSUM, TW_CNT_CSUM},   {TW_ERR_DEEP, TW_CNT_DEEP},   {TW_ERR_MACBAD, TW_CNT_MACBAD},
    };
    for (size_t k = 0; k < sizeof ec / sizeof ec[0]; k++) {
        uint64_t a, b;
        assert_int_equal(twsim_counter(s, 0, ec[k].cnt, &a), 0);
        assert_int_equal(twsim_counter(s, 1, ec[k].cnt, &b), 0);
        if (a + b != errbits[ec[k].bit])
            fail_msg("error %s: %llu records carry it, counters say %llu", tw_err_name(ec[k].bit),
                     (unsigned long long)errbits[ec[k].bit], (unsigned long long)(a + b));
    }
    assert_true(files_eth > 0);
    printf("captures: %llu Ethernet files, %llu frames (%llu B), %llu copies dropped, %llu frames not feedable; "
           "skipped %llu non-Ethernet and %llu unreadable files; %llu clocks\n",
           (unsigned long long)files_eth, (unsigned long long)frames, (unsigned long long)(bytes[0] + bytes[1]),
           (unsigned long long)drops, (unsigned long long)skipped, (unsigned long long)files_other,
           (unsigned long long)files_bad, (unsigned long long)st->cycles);
    printf("captures: records with errors:");
    for (unsigned b = 0; b < TW_ERR_COUNT; b++)
        printf(" %s %llu", tw_err_name(b), (unsigned long long)errbits[b]);
    printf("\n");
    twsim_free(s);
    twt_capdir_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_through_tap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
