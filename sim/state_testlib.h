/* Helpers of the engine-state tests and bench (tests/sim/test_digest*.c, test_flow*.c, sim/state_bench.c): a
 * seeded PRNG, random metadata records (IP layers, copies of a frame re-encapsulated in a tunnel, records whose
 * outer digest or flow key falls in one chosen set/bucket), and the shared capture corpus as records. Test code. */
#ifndef TAPWATCH_SIM_STATE_TESTLIB_H
#define TAPWATCH_SIM_STATE_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/tw_meta.h"

uint64_t st_rand(uint64_t *s);

/* A random IPv4 or IPv6 layer (addresses, protocol, id/flow label, lengths, l3_head, ports, TCP flags) into the
 * outer (inner = 0) or inner (inner = 1, also sets m->inner) fields of m. */
void st_layer_random(struct tw_meta *m, int inner, uint64_t *rng);
/* A frame with a random outer IP layer, no tunnel. */
void st_plain(struct tw_meta *m, uint64_t *rng, uint64_t ts);
/* A mirror copy of orig: a new random outer layer (the tunnel), whose inner layer is orig's outer IP layer with a
 * different TTL/TOS (fields outside the digest). */
void st_copy_of(struct tw_meta *m, const struct tw_meta *orig, uint64_t *rng, uint64_t ts);
/* n plain frames whose key(m) equals *target (key: e.g. the outer digest's set, or the flow bucket). */
void st_same_key(struct tw_meta *pool, unsigned n, uint64_t *rng, unsigned target,
                 unsigned (*key)(const struct tw_meta *m));
/* The digest set (of 8192) of the outer layer of m, from the reference functions. */
unsigned st_digest_set(const struct tw_meta *m);
/* The flow bucket (of 4096) of m, from the reference functions; ~0u without an outer IP header. */
unsigned st_flow_bucket(const struct tw_meta *m);
/* Swaps the outer addresses and ports (the other direction of the same flow). */
void st_reverse(struct tw_meta *m);

/* The capture corpus: TAPWATCH_CAPTURES or ../shared/captures. */
struct st_corpus {
    const char *dir;
    char **paths;
    size_t n;
};
/* 0, or -1 when the folder is absent (c->dir names it). */
int st_corpus_open(struct st_corpus *c);
/* Every frame of every Ethernet capture, in file-name order, through tw_dissect() (default configuration, ports
 * alternating A/B, capture nanosecond timestamps, len = wire length). Non-Ethernet files are skipped. 0 or -1. */
int st_corpus_records(const struct st_corpus *c, struct tw_meta **recs, size_t *n);
/* The same, and behind every `every`-th frame with an IP header a mirror copy of it (an IP-in-IP re-encapsulation
 * with the TTL decremented, dissected by tw_dissect() too) timestamped 5 us, exactly window_ns, or window_ns + 1
 * after the original, in turn. */
int st_corpus_records_copies(const struct st_corpus *c, struct tw_meta **recs, size_t *n, unsigned every,
                             uint64_t window_ns);
void st_corpus_close(struct st_corpus *c);

#endif
