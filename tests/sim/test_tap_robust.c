/* Robustness of the tap + parser in Verilator: TAPWATCH_ROBUST_FRAMES random and mutated frames
 * (lengths 1..9600 weighted to short: random bytes, valid deep headers with mutated bytes, cut headers) through
 * both ports with random tvalid gaps, egress back-pressure and detection back-pressure. Checked:
 *   - no hang (every batch drains), forwarding bit-exact, egress bytes == ingress bytes per port;
 *   - counters: frames and bytes per port, records + copy drops == frames, records counted == records seen;
 *   - a known good frame after every GOOD_EVERY garbage frames on a port always parses right (every one whose
 *     record came back; the ones that did not are within the counted drops).
 * `make test` runs the 1,000,000 frames (about 45 M clocks, 2-3 minutes on the 2-core VM since the capture
 * slots became one vector); TAPWATCH_ROBUST_FRAMES=N runs another count with the same mix and checks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tap_frames.h"
#include "twsim.h"

#define GOOD_EVERY 50
#define BATCH 2000
#define GOOD_TAG (1ULL << 63)
#define DEFAULT_FRAMES 1000000

static uint64_t frames_wanted(void)
{
    const char *e = getenv("TAPWATCH_ROBUST_FRAMES");
    if (e && *e) {
        char *end;
        unsigned long long v = strtoull(e, &end, 10);
        if (*end == '\0' && v > 0)
            return v;
        fprintf(stderr, "TAPWATCH_ROBUST_FRAMES='%s' is not a positive number; using %d\n", e, DEFAULT_FRAMES);
    }
    return DEFAULT_FRAMES;
}

static size_t rand_len(uint64_t *seed)
{
    uint64_t r = tf_rand(seed), pick = r % 100;
    r >>= 8;
    if (pick < 75)
        return 1 + (size_t)(r % 128);
    if (pick < 95)
        return 129 + (size_t)(r % (1518 - 128));
    return 1519 + (size_t)(r % (TF_MAX - 1518));
}

/* One garbage frame into buf; returns its length. */
static size_t garbage(uint8_t *buf, uint64_t *seed)
{
    size_t len = rand_len(seed);
    unsigned kind = (unsigned)(tf_rand(seed) % 4);
    if (kind == 0) { /* random bytes */
        for (size_t i = 0; i < len; i += 8) {
            uint64_t r = tf_rand(seed);
            for (size_t k = 0; k < 8 && i + k < len; k++)
                buf[i + k] = (uint8_t)(r >> (8 * k));
        }
        return len;
    }
    /* a valid header chain (deep or plain) of the right length, or cut short, with bytes mutated in the headers */
    size_t full = len < 60 ? 60 + (size_t)(tf_rand(seed) % 200) : len;
    if (kind == 1)
        tf_plain(buf, full, (unsigned)(tf_rand(seed) & 0xFFFF), (unsigned)(tf_rand(seed) & 0xFFFF));
    else
        tf_deep(buf, full);
    unsigned muts = kind == 3 ? 0 : 1 + (unsigned)(tf_rand(seed) % 6);
    size_t span = len < 200 ? len : 200;
    for (unsigned i = 0; i < muts; i++) {
        uint64_t r = tf_rand(seed);
        buf[(r >> 8) % span] = (uint8_t)r;
    }
    return len; /* kind 3: cut at a random point with no mutation */
}

static void test_robust_random_frames(void **state)
{
    (void)state;
    const uint64_t want = frames_wanted();
    struct twsim_cfg c;
    twsim_cfg_default(&c);
    c.seed = 2024;
    c.quiet_cycles = 3000;
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &c), 0);
    static uint8_t buf[TF_MAX];
    uint64_t seed = 77, pushed = 0, bytes[2] = {0, 0}, frames[2] = {0, 0};
    uint64_t since_good[2] = {0, 0}, good_pushed = 0, good_ok = 0, batch_no = 0;
    while (pushed < want) {
        /* rates change per batch: detection back-pressure in every other batch */
        unsigned gap = (unsigned)(tf_rand(&seed) % 31), obp = (unsigned)(tf_rand(&seed) % 31);
        unsigned mbp = (batch_no & 1) ? 10 + (unsigned)(tf_rand(&seed) % 40) : 0;
        twsim_set_rates(s, gap, obp, mbp);
        for (unsigned i = 0; i < BATCH && pushed < want; i++) {
            unsigned port = (unsigned)(tf_rand(&seed) & 1);
            size_t len;
            uint64_t tag;
            if (since_good[port] == GOOD_EVERY) {
                len = 60 + (size_t)(tf_rand(&seed) % 300);
                unsigned sport = 20000 + (unsigned)(pushed % 10000);
                tf_plain(buf, len, sport, 9);
                tag = GOOD_TAG | (uint64_t)sport << 16 | len;
                since_good[port] = 0;
                good_pushed++;
            } else {
                len = garbage(buf, &seed);
                tag = pushed;
                since_good[port]++;
            }
            int user = (tf_rand(&seed) % 64) == 0 && !(tag & GOOD_TAG);
            assert_int_equal(twsim_push(s, port, buf, len, user, pushed, tag), 0);
            bytes[port] += len;
            frames[port]++;
            pushed++;
        }
        int rc = twsim_run(s, 0);
        if (rc != 0)
            fail_msg("batch %llu (frames up to %llu) did not drain: %d (hang)", (unsigned long long)batch_no,
                     (unsigned long long)pushed, rc);
        size_t nr;
        const struct twsim_rec *r = twsim_records(s, &nr);
        for (size_t i = 0; i < nr; i++) {
            if (r[i].tag == UINT64_MAX || !(r[i].tag & GOOD_TAG))
                continue;
            const struct tw_meta *m = &r[i].m;
            unsigned sport = (unsigned)(r[i].tag >> 16) & 0xFFFF, len = (unsigned)(r[i].tag & 0xFFFF);
            if (m->err != 0 || m->len != len || m->o_ip_ver != 4 || m->o_ip_proto != 17 || !m->o_l4 ||
                m->o_sport != sport || m->o_dport != 9 || m->tun_kind != 0 || m->inner ||
                m->o_smac != TF_MAC_A || m->o_ethertype != 0x0800 || !m->o_ip_csum_ok)
                fail_msg("known good frame (sport %u, len %u, port %u, fseq %u) misparsed: err 0x%x ver %u proto %u "
                         "l4 %u sport %u dport %u tun %u", sport, len, m->port, m->fseq, m->err, m->o_ip_ver,
                         m->o_ip_proto, m->o_l4, m->o_sport, m->o_dport, m->tun_kind);
            good_ok++;
        }
        twsim_clear(s);
        batch_no++;
    }
    const struct twsim_stats *st = twsim_stats(s);
    uint64_t drops_total = 0;
    for (unsigned p = 0; p < 2; p++) {
        assert_int_equal(st->in_frames[p], frames[p]);
        assert_int_equal(st->in_bytes[p], bytes[p]);
        assert_int_equal(st->out_frames[p], frames[p]);
        assert_int_equal(st->out_bytes[p], bytes[p]);
        assert_int_equal(st->out_bad[p], 0);
        uint64_t v;
        assert_int_equal(twsim_counter(s, p, TW_CNT_FRAMES, &v), 0);
        assert_int_equal(v, frames[p]);
        assert_int_equal(twsim_counter(s, p, TW_CNT_BYTES, &v), 0);
        assert_int_equal(v, bytes[p]);
        assert_int_equal(twsim_counter(s, p, TW_CNT_EGRESS, &v), 0);
        assert_int_equal(v, frames[p]);
        uint64_t recs, drops;
        assert_int_equal(twsim_counter(s, p, TW_CNT_RECORDS, &recs), 0);
        assert_int_equal(twsim_counter(s, p, TW_CNT_COPY_DROP, &drops), 0);
        assert_int_equal(recs, st->records[p]);
        assert_int_equal(recs + drops, frames[p]);
        drops_total += drops;
    }
    assert_int_equal(st->rec_bad, 0);
    assert_true(good_pushed > 0);
    assert_true(good_ok + drops_total >= good_pushed);
    printf("robust: %llu frames (%llu B on A, %llu B on B), %llu cycles, %llu copies dropped, %llu/%llu known good "
           "frames checked\n",
           (unsigned long long)pushed, (unsigned long long)bytes[0], (unsigned long long)bytes[1],
           (unsigned long long)st->cycles, (unsigned long long)drops_total, (unsigned long long)good_ok,
           (unsigned long long)good_pushed);
    twsim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_robust_random_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
