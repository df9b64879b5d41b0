/* Line-rate bench of the engine's match path (rtl/tw_engine.v): full tables (256 rules, 4,096 OUIs, 128 prefixes,
 * 64 port ranges) and every frame matching every rule (8 alerts and 248 overflow per frame, the worst case for the
 * selection), records offered one every 4 clocks (two ports of back-to-back 64-byte frames on a 64-bit bus at
 * 156.25 MHz). Reports back-pressure clocks (goal 0), clocks per record and the pipeline latency in clocks from
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
    /* 4,096 OUIs (half the slots: the compiler's capacity), vendor set = OUI mod 8 */
    unsigned n_oui = 0;
    for (uint32_t k = 1; n_oui < TW_CAP_OUI && k < 0x1000000; k++) {
        uint32_t oui = (uint32_t)((k * 2654435761u) >> 8) & 0xFFFFFF;
        if (eng_oui_put(t, oui, (uint8_t)(1u << (oui % 8))))
            ouis[n_oui++] = oui;
    }
    /* 128 prefixes: 10.0.0.0/8 .. with lengths 8..31 and IPv6, sets 0..31 */
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
        struct tw_prefix_entry *p = &t->prefix[i];
        p->valid = 1;
        p->v6 = i >= 96;
        if (p->v6) {
            p->addr[0] = 0x20;
            p->addr[1] = 0x01;
            p->addr[2] = (uint8_t)i;
            p->len = 24;
        } else {
            eng_addr4(p->addr, 0x0A000000u | (i << 16));
            p->len = (uint8_t)(i == 0 ? 8 : 16);
        }
        p->sets = 1u << (i % 32);
    }
    for (unsigned i = 0; i < TW_CAP_PORT_RANGES; i++) {
        t->port[i].valid = 1;
        t->port[i].lo = (uint16_t)(1000 * i);
        t->port[i].hi = (uint16_t)(1000 * i + 999);
        t->port[i].sets = (uint16_t)(1u << (i % 15)); /* set 15 stays empty */
    }
    /* 256 rules, each matching every frame below: source in set 0 (10/8), a vendor MAC on either side (all 8
     * sets), UDP, destination port not in set 15, TTL > 1 */
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        struct tw_rule_entry *r = &t->rule[i];
        r->valid = 1;
        r->proto_v = 1;
        r->proto = 17;
        r->src_in_v = 1;
        r->src_in = 0;
        r->bidir = i & 1;
        r->sv_mask = 0xFF;
        r->dp_ex_v = 1;
        r->dp_ex = 15;
        r->ttl_op = TW_CMP_GT;
        r->ttl_a = 1;
        r->sid = 1 + i;
    }
    t->settings.n_prefixes = TW_CAP_PREFIXES;
    t->settings.n_port_ranges = TW_CAP_PORT_RANGES;
    t->settings.n_rules = TW_CAP_RULES;
    for (unsigned i = 0; i < N; i++) {
        struct tw_meta *m = &ms[i];
        m->ts = 1000ull * i;
        m->len = 64;
        m->port = (uint8_t)(i & 1);
        m->fseq = i >> 1;
        m->o_l2 = 1;
        m->o_smac = ((uint64_t)ouis[eng_rn(&seed, n_oui)] << 24) | i;
        m->o_dmac = ((uint64_t)ouis[eng_rn(&seed, n_oui)] << 24) | i;
        m->o_ip_ver = 4;
        eng_addr4(m->o_ip_src, 0x0A000000u | (eng_rn(&seed, 96) << 16) | eng_rn(&seed, 65536));
        eng_addr4(m->o_ip_dst, 0x0A000000u | (eng_rn(&seed, 96) << 16) | eng_rn(&seed, 65536));
        m->o_ip_proto = 17;
        m->o_ip_ttl = 64;
        m->o_l4 = 1;
        m->o_sport = (uint16_t)eng_rn(&seed, 60000);
        m->o_dport = (uint16_t)eng_rn(&seed, 60000);
    }
    if (tw_eng_load(e, t, TW_ENG_LOAD_ALL, 0) || tw_eng_run(e, 100000)) {
        fprintf(stderr, "bench_engine: loading the tables failed\n");
        return 1;
    }
    uint64_t stalls0 = tw_eng_meta_stalls(e);
    for (unsigned i = 0; i < N; i++)
        if (tw_eng_push(e, &ms[i], 0, 4)) {
            fprintf(stderr, "bench_engine: out of memory\n");
            return 1;
        }
    if (tw_eng_run(e, 10ull * N + 10000)) {
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
    printf("ROW\tengine_records_full_tables\t%zu\trecords\t-\t-\n", nr);
    printf("ROW\tengine_records_matching_all_256_rules\t%llu\trecords\t-\t-\n", (unsigned long long)matched);
    printf("ROW\tengine_results_equal_reference\t%llu\trecords\t-\t-\n", (unsigned long long)equal);
    printf("ROW\tengine_meta_backpressure_clocks\t%llu\tclocks\tgoal 0\t-\n", (unsigned long long)stalls);
    printf("ROW\tengine_clocks_per_record\t%.3f\tclocks\tline rate 4\t%.3f\n", cpr, cpr / 4.0);
    printf("ROW\tengine_latency_accept_to_result_min\t%llu\tclocks\t-\t-\n", (unsigned long long)lat_min);
    printf("ROW\tengine_latency_accept_to_result_max\t%llu\tclocks\t-\t-\n", (unsigned long long)lat_max);
    int ok = nr == N && matched == N && equal == N && stalls == 0;
    tw_eng_free(e);
    tw_tables_free(t);
    free(ms);
    free(ouis);
    if (!ok)
        fprintf(stderr, "bench_engine: line rate or results not as expected\n");
    return ok ? 0 : 1;
}
