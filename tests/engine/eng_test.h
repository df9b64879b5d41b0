/* Helpers of the engine tests and bench (tests/engine/): random tables and records, loading, and the frame-by-frame
 * comparison of the RTL engine's results with the reference matcher (tw_detect_match). Header-only (static). */
#ifndef TAPWATCH_TESTS_ENG_TEST_H
#define TAPWATCH_TESTS_ENG_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_model.h"
#include "tapwatch/detect_match.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_meta.h"

/* Clocks per record of the engine build under test (sim/engine.mk: 4 for build/engine, the reference; 32 for
 * build/engine_small and build/engine_search, the small-FPGA configurations). */
#ifndef TW_ENG_REC_CLOCKS
#define TW_ENG_REC_CLOCKS 4
#endif
/* Name suffix of the bench's rows for that build (build/engine_search: the prefix interval table). */
#if TW_ENG_REC_CLOCKS == 4
#define ENG_CFG_SUFFIX ""
#elif defined(TW_ENG_PI_ENTRIES)
#define ENG_CFG_SUFFIX "_search"
#else
#define ENG_CFG_SUFFIX "_small"
#endif

/* xorshift64*: deterministic test randomness */
static inline uint64_t eng_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}
static inline unsigned eng_rn(uint64_t *s, unsigned n) { return (unsigned)(eng_rand(s) % n); }

/* Inserts oui into a free slot of one of its two buckets (no displacement); 0 when both are full. */
static inline int eng_oui_put(struct tw_tables *t, uint32_t oui, uint8_t vset)
{
    unsigned nb = t->settings.oui_buckets;
    for (unsigned w = 0; w < TW_OUI_WAYS; w++) {
        struct tw_oui_entry *b = &t->oui[((size_t)w * nb + tw_oui_hash(oui, w, nb)) * TW_OUI_SLOTS];
        for (unsigned s = 0; s < TW_OUI_SLOTS; s++)
            if (b[s].valid && b[s].oui == oui)
                return 0;
        for (unsigned s = 0; s < TW_OUI_SLOTS; s++)
            if (!b[s].valid) {
                b[s].valid = 1;
                b[s].oui = oui;
                b[s].vset = vset;
                t->settings.n_oui++;
                return 1;
            }
    }
    return 0;
}

static inline void eng_addr4(uint8_t a[16], uint32_t v)
{
    memset(a, 0, 16);
    a[12] = (uint8_t)(v >> 24);
    a[13] = (uint8_t)(v >> 16);
    a[14] = (uint8_t)(v >> 8);
    a[15] = (uint8_t)v;
}

/* A random rule over the whole range of every match field (invalid operators included: both sides treat them
 * alike). Biased toward "no condition" so that rules do match. */
static inline void eng_rand_rule(uint64_t *s, struct tw_rule_entry *r)
{
    memset(r, 0, sizeof *r);
    r->valid = eng_rn(s, 16) != 0;
    r->action = eng_rn(s, 12) == 0;
    r->proto_v = eng_rn(s, 3) == 0;
    static const uint8_t protos[] = {6, 17, 132, 1, 47};
    r->proto = protos[eng_rn(s, 5)];
    r->bidir = eng_rn(s, 2);
    r->inner = eng_rn(s, 4) == 0;
    r->mirror = eng_rn(s, 8) == 0;
#define ENG_SETF(p, nset)                                                                                         \
    do {                                                                                                           \
        if (eng_rn(s, 2)) {                                                                                        \
            r->p##_in_v = eng_rn(s, 2);                                                                            \
            r->p##_in = (uint8_t)eng_rn(s, nset);                                                                  \
            r->p##_ex_v = eng_rn(s, 3) == 0;                                                                       \
            r->p##_ex = (uint8_t)eng_rn(s, nset);                                                                  \
            r->p##_not = eng_rn(s, 4) == 0;                                                                        \
        }                                                                                                          \
    } while (0)
    ENG_SETF(src, 8);
    ENG_SETF(dst, 8);
    ENG_SETF(sp, 6);
    ENG_SETF(dp, 6);
#undef ENG_SETF
    if (eng_rn(s, 3) == 0) {
        r->sv_mask = (uint8_t)eng_rand(s);
        r->sv_not = eng_rn(s, 3) == 0;
    }
    if (eng_rn(s, 3) == 0) {
        r->dv_mask = (uint8_t)eng_rand(s);
        r->dv_not = eng_rn(s, 3) == 0;
    }
    if (eng_rn(s, 4) == 0)
        r->tun_mask = (uint16_t)(eng_rand(s) & 0xFFF);
    if (eng_rn(s, 4) == 0) {
        r->vlan_op = (uint8_t)eng_rn(s, 10);
        r->vlan_layer = (uint8_t)eng_rn(s, 7);
        r->vlan_a = (uint16_t)eng_rn(s, 8) * 100;
        r->vlan_b = (uint16_t)(r->vlan_a + eng_rn(s, 400));
    }
    if (eng_rn(s, 4) == 0) {
        r->ttl_op = (uint8_t)eng_rn(s, 10);
        r->ttl_a = (uint8_t)eng_rn(s, 256);
        r->ttl_b = (uint8_t)eng_rn(s, 256);
    }
    if (eng_rn(s, 4) == 0) {
        r->flg_mod = (uint8_t)eng_rn(s, 4);
        r->flg_mask = (uint8_t)eng_rand(s);
        r->flg_val = (uint8_t)(eng_rand(s) & r->flg_mask);
    }
    r->sid = 1000u + (uint32_t)eng_rn(s, 100000);
}

/* Random but valid-shaped tables: nrules rules, 128 prefixes over 8 address sets (lengths 0..max, both versions),
 * 64 port ranges over 6 port sets, about `nouis` OUIs over 8 vendor sets. */
static inline void eng_rand_tables(uint64_t *s, struct tw_tables *t, unsigned nrules, unsigned nouis)
{
    memset(t->oui, 0, sizeof t->oui);
    t->settings.n_oui = 0;
    t->settings.oui_buckets = TW_OUI_BUCKETS;
    for (unsigned i = 0; i < nouis; i++)
        eng_oui_put(t, 0x001000u + (uint32_t)i * 7u, (uint8_t)(1u << eng_rn(s, 8) | (eng_rn(s, 4) ? 0 : eng_rand(s))));
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
        struct tw_prefix_entry *p = &t->prefix[i];
        memset(p, 0, sizeof *p);
        p->valid = 1;
        p->v6 = eng_rn(s, 2);
        unsigned max = p->v6 ? 128 : 32;
        p->len = (uint8_t)(eng_rn(s, 4) == 0 ? (eng_rn(s, 2) ? 0 : max) : eng_rn(s, max + 1));
        /* addresses from a small pool so that lookups hit */
        if (p->v6) {
            p->addr[0] = 0x20;
            p->addr[1] = 0x01;
            p->addr[2] = (uint8_t)eng_rn(s, 4);
            p->addr[15] = (uint8_t)eng_rn(s, 4);
        } else {
            eng_addr4(p->addr, 0x0A000000u | (eng_rn(s, 4) << 16) | eng_rn(s, 4));
        }
        unsigned first = p->v6 ? 0 : 96;
        for (unsigned b = p->len; b < max; b++) /* bits beyond len zero (the contract) */
            p->addr[(first + b) / 8] &= (uint8_t)~(0x80u >> ((first + b) % 8));
        p->sets = 1u << eng_rn(s, 8) | (eng_rn(s, 3) ? 0 : (uint32_t)eng_rand(s) & 0xFF);
    }
    for (unsigned i = 0; i < TW_CAP_PORT_RANGES; i++) {
        struct tw_port_entry *p = &t->port[i];
        p->valid = 1;
        p->lo = (uint16_t)(eng_rn(s, 4) == 0 ? eng_rn(s, 65536) : eng_rn(s, 2000));
        p->hi = (uint16_t)(eng_rn(s, 8) == 0 ? p->lo : p->lo + eng_rn(s, 100));
        if (p->hi < p->lo)
            p->hi = 65535;
        p->sets = (uint16_t)(1u << eng_rn(s, 6));
    }
    memset(t->rule, 0, sizeof t->rule);
    for (unsigned i = 0; i < nrules; i++)
        eng_rand_rule(s, &t->rule[i]);
    t->settings.n_prefixes = TW_CAP_PREFIXES;
    t->settings.n_port_ranges = TW_CAP_PORT_RANGES;
    t->settings.n_rules = (uint16_t)nrules;
    t->settings.n_addr_sets = 8;
    t->settings.n_port_sets = 6;
    t->settings.n_vendor_sets = 8;
}

/* A random record whose fields come from the pools the random tables use (OUIs, addresses, ports near edges). */
static inline void eng_rand_layer_addr(uint64_t *s, int v6, uint8_t a[16])
{
    if (v6) {
        memset(a, 0, 16);
        a[0] = 0x20;
        a[1] = eng_rn(s, 5) ? 0x01 : 0x02;
        a[2] = (uint8_t)eng_rn(s, 5);
        a[15] = (uint8_t)eng_rn(s, 5);
        if (eng_rn(s, 6) == 0)
            a[eng_rn(s, 16)] ^= (uint8_t)(1u << eng_rn(s, 8));
    } else {
        uint32_t v = 0x0A000000u | (eng_rn(s, 5) << 16) | eng_rn(s, 5);
        if (eng_rn(s, 6) == 0)
            v ^= 1u << eng_rn(s, 32);
        eng_addr4(a, v);
    }
}

static inline uint64_t eng_rand_mac(uint64_t *s, unsigned nouis)
{
    uint32_t oui = eng_rn(s, 4) ? 0x001000u + (uint32_t)eng_rn(s, nouis + 50) * 7u : (uint32_t)eng_rand(s) & 0xFFFFFF;
    return ((uint64_t)oui << 24) | (eng_rand(s) & 0xFFFFFF);
}

static inline void eng_rand_meta(uint64_t *s, struct tw_meta *m, unsigned nouis, uint64_t n)
{
    static const uint8_t vers[] = {4, 6, 4, 6, 0, 5};
    static const uint8_t protos[] = {6, 17, 132, 1, 47, 6, 17};
    memset(m, 0, sizeof *m);
    m->ts = 1000000000ull + n * 1000u;
    m->len = (uint16_t)(60 + eng_rn(s, 1400));
    m->port = (uint8_t)(n & 1);
    m->fseq = (uint32_t)(n >> 1);
    for (int layer = 0; layer < 2; layer++) {
        uint8_t l2 = eng_rn(s, 8) != 0, vn = (uint8_t)eng_rn(s, 4), ver = vers[eng_rn(s, 6)];
        uint8_t proto = protos[eng_rn(s, 7)], l4 = eng_rn(s, 6) != 0;
        uint64_t sm = eng_rand_mac(s, nouis), dm = eng_rand_mac(s, nouis);
        uint16_t t0 = (uint16_t)eng_rand(s), t1 = (uint16_t)eng_rand(s);
        uint8_t ttl = (uint8_t)eng_rand(s), fl = (uint8_t)eng_rand(s);
        uint16_t sp = (uint16_t)(eng_rn(s, 4) ? eng_rn(s, 2100) : eng_rand(s)), dp = (uint16_t)eng_rn(s, 2100);
        uint8_t src[16], dst[16];
        eng_rand_layer_addr(s, ver == 6, src);
        eng_rand_layer_addr(s, ver == 6, dst);
        if (eng_rn(s, 3) == 0) /* VLAN ids near the rules' constants */
            t0 = (uint16_t)((t0 & 0xF000) | (eng_rn(s, 8) * 100 + eng_rn(s, 3) - 1));
#define ENG_FILL(P)                                                                                               \
    do {                                                                                                           \
        m->P##l2 = l2;                                                                                             \
        m->P##smac = sm;                                                                                           \
        m->P##dmac = dm;                                                                                           \
        m->P##vlan_n = vn;                                                                                         \
        m->P##vlan0_tci = t0;                                                                                      \
        m->P##vlan1_tci = t1;                                                                                      \
        m->P##ip_ver = ver;                                                                                        \
        m->P##ip_proto = proto;                                                                                    \
        m->P##ip_ttl = ttl;                                                                                        \
        m->P##l4 = l4;                                                                                             \
        m->P##sport = sp;                                                                                          \
        m->P##dport = dp;                                                                                          \
        m->P##tcp_flags = fl;                                                                                      \
        memcpy(m->P##ip_src, src, 16);                                                                             \
        memcpy(m->P##ip_dst, dst, 16);                                                                             \
    } while (0)
        if (layer == 0)
            ENG_FILL(o_);
        else
            ENG_FILL(i_);
#undef ENG_FILL
    }
    m->inner = eng_rn(s, 2);
    m->tun_kind = (uint8_t)(m->inner ? eng_rn(s, 16) : (eng_rn(s, 4) ? 0 : eng_rn(s, 16)));
}

/* 1 when the RTL result equals the reference (silent). */
static inline int eng_equal(const struct tw_eng_result *h, const struct tw_match_result *r, const struct tw_meta *m,
                            int mc)
{
    int ok = h->n == r->n && h->overflow == r->overflow && h->matches == r->matches &&
             h->suppressed == r->suppressed && memcmp(h->vs, r->vs, 4) == 0 && h->ts == m->ts &&
             h->fseq == m->fseq && h->port == m->port && h->len == m->len && h->mirror == (mc ? 1 : 0) &&
             memcmp(h->alerts, r->matchv, sizeof r->matchv) == 0;
    for (unsigned i = 0; ok && i < r->n; i++)
        ok = h->idx[i] == r->idx[i];
    return ok;
}

/* Compares one RTL result with the reference; prints the differences. 1 when equal. */
static inline int eng_same(const struct tw_eng_result *h, const struct tw_match_result *r, const struct tw_meta *m,
                           int mc, uint64_t k)
{
    int ok = h->n == r->n && h->overflow == r->overflow && h->matches == r->matches &&
             h->suppressed == r->suppressed && memcmp(h->vs, r->vs, 4) == 0 && h->ts == m->ts &&
             h->fseq == m->fseq && h->port == m->port && h->len == m->len && h->mirror == (mc ? 1 : 0);
    int av_ok = memcmp(h->alerts, r->matchv, sizeof r->matchv) == 0; /* the engine gives the whole match vector */
    for (unsigned i = 0; ok && i < r->n; i++)
        ok = h->idx[i] == r->idx[i];
    if (!ok) {
        fprintf(stderr, "frame %llu: rtl n=%u ovf=%u m=%u sup=%u vs=%02x/%02x/%02x/%02x [",
                (unsigned long long)k, h->n, h->overflow, h->matches, h->suppressed, h->vs[0], h->vs[1], h->vs[2],
                h->vs[3]);
        for (unsigned i = 0; i < h->n && i < 8; i++)
            fprintf(stderr, " %u", h->idx[i]);
        fprintf(stderr, " ]\n          ref n=%u ovf=%u m=%u sup=%u vs=%02x/%02x/%02x/%02x [", r->n, r->overflow,
                r->matches, r->suppressed, r->vs[0], r->vs[1], r->vs[2], r->vs[3]);
        for (unsigned i = 0; i < r->n; i++)
            fprintf(stderr, " %u", r->idx[i]);
        fprintf(stderr, " ]\n");
    }
    if (!av_ok) {
        fprintf(stderr, "frame %llu: match vectors (rule 255 first) differ\n  rtl ", (unsigned long long)k);
        for (unsigned i = 0; i < 32; i++)
            fprintf(stderr, "%02x", h->alerts[31 - i]);
        fprintf(stderr, "\n  ref ");
        for (unsigned i = 0; i < 32; i++)
            fprintf(stderr, "%02x", r->matchv[31 - i]);
        fprintf(stderr, "\n");
    }
    return ok && av_ok;
}

/* The benches' full tables: 4,096 OUIs (half the slots: the compiler's capacity; vendor set = OUI mod 8, the OUIs
 * in ouis[], TW_CAP_OUI entries), 128 prefixes, 64 port ranges and 256 rules that each match every record of
 * eng_bench_meta. Returns the number of OUIs. */
static inline unsigned eng_bench_tables(struct tw_tables *t, uint32_t *ouis)
{
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
    return n_oui;
}

/* Record i of the benches: 64-byte UDP frame from 10/8 to 10/8 between vendor MACs, ts 1 us apart. */
static inline void eng_bench_meta(uint64_t *s, struct tw_meta *m, unsigned i, const uint32_t *ouis, unsigned n_oui)
{
    m->ts = 1000ull * i;
    m->len = 64;
    m->port = (uint8_t)(i & 1);
    m->fseq = i >> 1;
    m->o_l2 = 1;
    m->o_smac = ((uint64_t)ouis[eng_rn(s, n_oui)] << 24) | i;
    m->o_dmac = ((uint64_t)ouis[eng_rn(s, n_oui)] << 24) | i;
    m->o_ip_ver = 4;
    eng_addr4(m->o_ip_src, 0x0A000000u | (eng_rn(s, 96) << 16) | eng_rn(s, 65536));
    eng_addr4(m->o_ip_dst, 0x0A000000u | (eng_rn(s, 96) << 16) | eng_rn(s, 65536));
    m->o_ip_proto = 17;
    m->o_ip_ttl = 64;
    m->o_l4 = 1;
    m->o_sport = (uint16_t)eng_rn(s, 60000);
    m->o_dport = (uint16_t)eng_rn(s, 60000);
}

#endif
