/* Line-rate bench of the engine's match path (rtl/tw_engine.v): full tables (256 rules, 4,096 OUIs, 128 prefixes,
 * 64 port ranges) and every frame matching every rule (8 alerts and 248 overflow per frame, the worst case for the
 * selection), records offered one every 4 clocks (two ports of back-to-back 64-byte frames on a 64-bit bus at
 * 156.25 MHz; the small-FPGA builds bench_engine_small / bench_engine_search: one every 32 clocks, rows named
 * engine_small_* / engine_search_*). Reports back-pressure clocks (goal 0), clocks per record and the pipeline latency in clocks from
 * the record's acceptance to its result on m_res; every result is checked against the reference matcher.
 * Rows: "ROW\tname\tvalue\tunit\tbaseline\tratio" (tools/run-bench.sh). */
#include <stdio.h>

#include "eng_test.h"

#define N 20000u

int main(void)
{
    struct tw_tables *t = tw_tables_new();
    struct tw_eng *e = tw_eng_new();
    struct tw_meta *ms = calloc(N, sizeof *ms);
    uint32_t *ouis = calloc(TW_CAP_OUI, sizeof *ouis);
    if (!t || !e || !ms || !ouis) {
        fprintf(stderr, "bench_engine: out of memory\n");
        return 1;
    }
    uint64_t seed = 0xbe4c;
    unsigned n_oui = eng_bench_tables(t, ouis);
    for (unsigned i = 0; i < N; i++)
        eng_bench_meta(&seed, &ms[i], i, ouis, n_oui);
    if (tw_eng_load(e, t, TW_ENG_LOAD_ALL, 0) || tw_eng_run(e, 100000)) {
        fprintf(stderr, "bench_engine: loading the tables failed\n");
        return 1;
    }
    uint64_t stalls0 = tw_eng_meta_stalls(e);
    for (unsigned i = 0; i < N; i++)
        if (tw_eng_push(e, &ms[i], 0, TW_ENG_REC_CLOCKS)) {
            fprintf(stderr, "bench_engine: out of memory\n");
            return 1;
        }
    if (tw_eng_run(e, (2ull + TW_ENG_REC_CLOCKS) * N + 10000)) {
        fprintf(stderr, "bench_engine: the engine hung\n");
        return 1;
    }
    const struct tw_eng_result *r;
    size_t nr = tw_eng_results(e, &r);
    uint64_t stalls = tw_eng_meta_stalls(e) - stalls0;
    uint64_t lat_min = UINT64_MAX, lat_max = 0, matched = 0, equal = 0;
    for (size_t i = 0; i < nr; i++) {
        uint64_t l = r[i].t_out - r[i].t_in;
        lat_min = l < lat_min ? l : lat_min;
        lat_max = l > lat_max ? l : lat_max;
        matched += r[i].matches == TW_CAP_RULES && r[i].n == 8 && r[i].overflow == TW_CAP_RULES - 8;
        struct tw_match_result ref;
        tw_detect_match(t, &ms[i], 0, &ref);
        equal += eng_same(&r[i], &ref, &ms[i], 0, i);
    }
    double cpr = nr > 1 ? (double)(r[nr - 1].t_in - r[0].t_in) / (double)(nr - 1) : 0.0;
    printf("ROW\tengine%s_records_full_tables\t%zu\trecords\t-\t-\n", ENG_CFG_SUFFIX, nr);
    printf("ROW\tengine%s_records_matching_all_256_rules\t%llu\trecords\t-\t-\n", ENG_CFG_SUFFIX,
           (unsigned long long)matched);
    printf("ROW\tengine%s_results_equal_reference\t%llu\trecords\t-\t-\n", ENG_CFG_SUFFIX,
           (unsigned long long)equal);
    printf("ROW\tengine%s_meta_backpressure_clocks\t%llu\tclocks\tgoal 0\t-\n", ENG_CFG_SUFFIX,
           (unsigned long long)stalls);
    printf("ROW\tengine%s_clocks_per_record\t%.3f\tclocks\tline rate %d\t%.3f\n", ENG_CFG_SUFFIX, cpr,
           TW_ENG_REC_CLOCKS, cpr / TW_ENG_REC_CLOCKS);
    printf("ROW\tengine%s_latency_accept_to_result_min\t%llu\tclocks\t-\t-\n", ENG_CFG_SUFFIX,
           (unsigned long long)lat_min);
    printf("ROW\tengine%s_latency_accept_to_result_max\t%llu\tclocks\t-\t-\n", ENG_CFG_SUFFIX,
           (unsigned long long)lat_max);
    int ok = nr == N && matched == N && equal == N && stalls == 0;
    tw_eng_free(e);
    tw_tables_free(t);
    free(ms);
    free(ouis);
    if (!ok)
        fprintf(stderr, "bench_engine: line rate or results not as expected\n");
    return ok ? 0 : 1;
}
