/* Line-rate bench of the detection front (rtl/tw_detect_front.v: flow table + digest table + match engine): full
 * match tables (256 rules, 4,096 OUIs, 128 prefixes, 64 port ranges; eng_bench_tables) with every frame matching
 * every rule, every frame a new flow (4-way buckets fill up: at least N - 16,384 evictions, each a flow record), a
 * digest inserted per frame; records offered one every 4 clocks. Reports back-pressure clocks (goal 0), records
 * per clock, and the latency in clocks from the record's acceptance to its candidate on m_cand. Every candidate is
 * checked for its 256 matches and its carried record; the flow records are counted.
 * Rows: "ROW\tname\tvalue\tunit\tbaseline\tratio" (tools/run-bench.sh). */
#include <stdio.h>

#include "eng_test.h"
#include "front_model.h"
#include "tapwatch/meta.h"

#define N 24000u

int main(void)
{
    struct tw_tables *t = tw_tables_new();
    struct tw_fr *f = tw_fr_new();
    struct tw_meta *ms = calloc(N, sizeof *ms);
    uint32_t *ouis = calloc(TW_CAP_OUI, sizeof *ouis);
    if (!t || !f || !ms || !ouis) {
        fprintf(stderr, "bench_front: out of memory\n");
        return 1;
    }
    uint64_t seed = 0xbe4c;
    unsigned n_oui = eng_bench_tables(t, ouis);
    for (unsigned i = 0; i < N; i++)
        eng_bench_meta(&seed, &ms[i], i, ouis, n_oui);
    if (tw_fr_load(f, t, TW_ENG_LOAD_ALL, 0) || tw_fr_run(f, 1000000)) {
        fprintf(stderr, "bench_front: loading the tables failed\n");
        return 1;
    }
    uint64_t stalls0 = tw_fr_meta_stalls(f);
    for (unsigned i = 0; i < N; i++)
        if (tw_fr_push(f, &ms[i], 4)) {
            fprintf(stderr, "bench_front: out of memory\n");
            return 1;
        }
    if (tw_fr_run(f, 10ull * N + 10000)) {
        fprintf(stderr, "bench_front: the front hung\n");
        return 1;
    }
    const struct tw_fr_cand *c;
    size_t nc = tw_fr_cands(f, &c);
    uint64_t stalls = tw_fr_meta_stalls(f) - stalls0;
    uint64_t lat_min = UINT64_MAX, lat_max = 0, good = 0;
    for (size_t i = 0; i < nc; i++) {
        uint64_t l = c[i].t_out - c[i].t_in;
        lat_min = l < lat_min ? l : lat_min;
        lat_max = l > lat_max ? l : lat_max;
        uint8_t b[TW_M_BYTES] = {0};
        tw_meta_pack(&ms[i], b);
        good += c[i].matches == TW_CAP_RULES && c[i].n_alerts == TW_CAP_RULES && c[i].flow &&
                c[i].pkts_ts == 1 && c[i].seq == i && memcmp(b, c[i].meta, sizeof b) == 0;
    }
    const struct tw_fr_rec *r;
    size_t nr = tw_fr_recs(f, &r);
    struct tw_fr_counters k;
    tw_fr_counters(f, &k);
    double rpc = nc > 1 ? (double)(nc - 1) / (double)(c[nc - 1].t_in - c[0].t_in) : 0.0;
    printf("ROW\tfront_records_full_tables\t%zu\trecords\t-\t-\n", nc);
    printf("ROW\tfront_candidates_matching_all_256_rules\t%llu\trecords\t-\t-\n", (unsigned long long)good);
    printf("ROW\tfront_flow_evictions\t%llu\tflows\t-\t-\n", (unsigned long long)k.fl_evicted);
    printf("ROW\tfront_flow_records\t%zu\trecords\t-\t-\n", nr);
    printf("ROW\tfront_meta_backpressure_clocks\t%llu\tclocks\tgoal 0\t-\n", (unsigned long long)stalls);
    printf("ROW\tfront_records_per_clock\t%.4f\trecords/clock\tline rate 0.25\t%.3f\n", rpc, rpc / 0.25);
    printf("ROW\tfront_latency_accept_to_candidate_min\t%llu\tclocks\t-\t-\n", (unsigned long long)lat_min);
    printf("ROW\tfront_latency_accept_to_candidate_max\t%llu\tclocks\t-\t-\n", (unsigned long long)lat_max);
    int ok = nc == N && good == N && stalls == 0 && k.fl_created == N && k.fl_evicted >= N - 16384u && nr == k.fl_evicted;
    tw_fr_free(f);
    tw_tables_free(t);
    free(ms);
    free(ouis);
    if (!ok)
        fprintf(stderr, "bench_front: line rate or results not as expected\n");
    return ok ? 0 : 1;
}
