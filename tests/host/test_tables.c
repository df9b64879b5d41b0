/* The prefix interval table (tw_pfx_intervals, tw_pfx_iv_lookup; contracts/pfx_iv_entry.def, docs/tables.md
 * "Prefix intervals (table 7)"): on many random prefix tables (both versions, every kind of length, overlapping,
 * nested, duplicate and invalid entries, host bits set beyond len, entries past n_prefixes) the device's binary
 * search over the converted table gives tw_addr_sets' answer at every boundary, next to it and elsewhere; the
 * table's shape (entry 0, ascending keys, merged neighbours, padding); the 257-entry worst case and the capacity
 * error; the search itself on hand-made tables; the entry's bit packing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tapwatch/error.h"
#include "tapwatch/tables.h"

/* ---- a local PRNG (splitmix64): fixed seeds, no shared state ---- */
static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned rn(uint64_t *s, unsigned n)
{
    return (unsigned)(rnd(s) % n);
}

static void rbytes(uint64_t *s, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd(s);
}

/* ---- keys, written independently of host/src/tables.c: {v6, a[0..15]}, v6 = 2 past the last IPv6 key ---- */
struct key {
    unsigned v6;
    uint8_t a[16];
};

static int kcmp(const struct key *x, const struct key *y)
{
    if (x->v6 != y->v6)
        return x->v6 < y->v6 ? -1 : 1;
    return memcmp(x->a, y->a, 16);
}

static struct key iv_key(const struct tw_pfx_iv_entry *e)
{
    struct key k;
    k.v6 = e->v6;
    memcpy(k.a, e->addr, 16);
    return k;
}

static void kinc(struct key *k)
{
    for (int i = 15; i >= 0; i--)
        if (++k->a[i] != 0)
            return;
    k->v6++;
}

/* k - 1; 0 when k is 0 */
static int kdec(struct key *k)
{
    static const uint8_t z[16] = {0};
    if (k->v6 == 0 && !memcmp(k->a, z, 16))
        return 0;
    for (int i = 15; i >= 0; i--)
        if (k->a[i]-- != 0)
            return 1;
    k->v6--;
    return 1;
}

/* The address of key k (an IPv4 key only below 2^32): 1, or 0 when k is no address. */
static int key_addr(const struct key *k, int *v6, uint8_t a[16])
{
    static const uint8_t z[12] = {0};
    if (k->v6 > 1 || (k->v6 == 0 && memcmp(k->a, z, 12)))
        return 0;
    *v6 = (int)k->v6;
    memcpy(a, k->a, 16);
    return 1;
}

/* The first (last = 0) or last (last = 1) address of prefix e: len clamped, bits beyond it cleared (set). */
static void prefix_bound(const struct tw_prefix_entry *e, int last, uint8_t a[16])
{
    unsigned from = e->v6 ? 0 : 96, len = e->len < (e->v6 ? 128u : 32u) ? e->len : (e->v6 ? 128u : 32u);
    memset(a, 0, 16);
    for (unsigned b = from; b < 128; b++) {
        uint8_t m = (uint8_t)(0x80u >> (b % 8));
        if (b < from + len ? (e->addr[b / 8] & m) != 0 : last)
            a[b / 8] |= m;
    }
}

/* ---- random prefix tables ---- */
static void rand_prefix(uint64_t *s, struct tw_prefix_entry *e, const uint8_t pool[][16], unsigned npool, int sparse)
{
    memset(e, 0, sizeof *e);
    e->valid = rn(s, 10) != 0;
    e->v6 = (uint8_t)rn(s, 2);
    if (rn(s, 100) == 0)
        e->v6 = 2; /* not a version: never matches */
    unsigned max = e->v6 ? 128 : 32;
    unsigned kind = rn(s, 9);
    if (kind == 0)
        e->len = 0;
    else if (kind <= 2)
        e->len = (uint8_t)max;
    else if (kind == 3)
        e->len = (uint8_t)(1 + rn(s, 31)); /* 1..31 */
    else if (kind == 4)
        e->len = (uint8_t)(e->v6 ? 33 + rn(s, 95) : 1 + rn(s, 31)); /* IPv6: 33..127 */
    else if (kind == 5)
        e->len = (uint8_t)(max + 1 + rn(s, 255 - max)); /* beyond the version's width: clamped */
    else
        e->len = (uint8_t)rn(s, max + 1);
    /* near a pool address (overlaps and nesting), or anywhere */
    if (rn(s, 4) && !sparse)
        memcpy(e->addr, pool[rn(s, npool)], 16);
    else
        rbytes(s, e->addr, 16);
    /* a few random bits after a random point */
    unsigned from = e->v6 ? 0 : 96, cut = from + rn(s, 129 - from);
    for (unsigned b = cut; b < 128; b++)
        if (rn(s, 3) == 0)
            e->addr[b / 8] ^= (uint8_t)(0x80u >> (b % 8));
    /* host bits beyond len: kept half of the time (ignored by the lookup), else cleared */
    if (rn(s, 2)) {
        uint8_t a[16];
        prefix_bound(e, 0, a);
        if (e->v6 == 0)
            memcpy(a, e->addr, 12);
        memcpy(e->addr, a, 16);
    }
    /* an IPv4 prefix's first 12 bytes: ignored, sometimes not zero */
    if (e->v6 == 0 && rn(s, 3))
        memset(e->addr, 0, 12);
    unsigned sk = rn(s, 6);
    if (sk == 0)
        e->sets = 1u << rn(s, 32);
    else if (sk == 1)
        e->sets = 1u << rn(s, 3);
    else if (sk == 2)
        e->sets = rn(s, 40) ? (uint32_t)rnd(s) : 0;
    else
        e->sets = (uint32_t)rnd(s) & 0x3F;
    if (sparse) { /* few overlaps and merges: towards the 257-entry worst case */
        e->valid = 1;
        e->v6 = (uint8_t)rn(s, 2);
        e->len = (uint8_t)(8 + rn(s, (e->v6 ? 128 : 32) - 7));
        e->sets = (uint32_t)rnd(s) | 1u;
    }
}

static void rand_table(uint64_t *s, struct tw_tables *t)
{
    uint8_t pool[6][16];
    for (unsigned p = 0; p < 6; p++) {
        rbytes(s, pool[p], 16);
        if (p < 3)
            memset(pool[p], 0, 12); /* IPv4-looking */
    }
    memset(t->prefix, 0, sizeof t->prefix);
    unsigned np = rn(s, 3) == 0 ? TW_CAP_PREFIXES : rn(s, TW_CAP_PREFIXES + 1);
    int sparse = rn(s, 4) == 0; /* anywhere, long, all different sets */
    if (sparse)
        np = TW_CAP_PREFIXES - rn(s, 4);
    t->settings.n_prefixes = np;
    for (unsigned i = 0; i < np; i++) {
        struct tw_prefix_entry *e = &t->prefix[i];
        unsigned r = rn(s, 100);
        if (i && r < (sparse ? 1u : 8u)) { /* a duplicate, perhaps with other sets */
            *e = t->prefix[rn(s, i)];
            if (rn(s, 2))
                e->sets = (uint32_t)rnd(s) & 0xFF;
        } else if (i && r < (sparse ? 2u : 25u)) { /* nested in an earlier one: longer, its bits kept */
            const struct tw_prefix_entry *o = &t->prefix[rn(s, i)];
            rand_prefix(s, e, pool, 6, sparse);
            e->v6 = o->v6;
            unsigned max = o->v6 ? 128 : 32;
            e->len = (uint8_t)(o->len >= max ? max : o->len + rn(s, max - o->len + 1));
            uint8_t a[16];
            prefix_bound(o, 0, a);
            unsigned from = o->v6 ? 0 : 96;
            for (unsigned b = from; b < from + (o->len < max ? o->len : max); b++) {
                uint8_t m = (uint8_t)(0x80u >> (b % 8));
                e->addr[b / 8] = (uint8_t)((e->addr[b / 8] & ~m) | (a[b / 8] & m));
            }
        } else {
            rand_prefix(s, e, pool, 6, sparse);
        }
    }
    /* valid entries past n_prefixes in some tables: not part of the table (tw_addr_sets ignores them) */
    if (rn(s, 5) == 0)
        for (unsigned i = np; i < TW_CAP_PREFIXES; i++)
            if (rn(s, 4) == 0)
                rand_prefix(s, &t->prefix[i], pool, 6, 0);
}

/* ---- checks ---- */

/* Two entries are the same (members: the struct has padding). */
static int iv_eq(const struct tw_pfx_iv_entry *x, const struct tw_pfx_iv_entry *y)
{
    return x->v6 == y->v6 && !memcmp(x->addr, y->addr, 16) && x->sets == y->sets;
}

/* The shape of a converted table of n entries, rc used. */
static void check_shape(const struct tw_pfx_iv_entry *iv, unsigned n, int rc)
{
    static const uint8_t z[16] = {0};
    assert_true(rc >= 1 && (unsigned)rc <= n);
    assert_int_equal(iv[0].v6, 0);
    assert_memory_equal(iv[0].addr, z, 16);
    for (int i = 1; i < rc; i++) {
        struct key a = iv_key(&iv[i - 1]), b = iv_key(&iv[i]);
        if (kcmp(&a, &b) >= 0)
            fail_msg("entry %d: key not above entry %d's", i, i - 1);
        if (iv[i].sets == iv[i - 1].sets)
            fail_msg("entry %d: the sets of entry %d (not merged)", i, i - 1);
        assert_true(iv[i].v6 <= 1);
    }
    for (unsigned i = (unsigned)rc; i < n; i++)
        if (!iv_eq(&iv[i], &iv[rc - 1]))
            fail_msg("padding entry %u differs from the last used entry %d", i, rc - 1);
}

/* The lookup equals the reference at one address (an IPv4 address also with junk in its first 12 bytes). */
static void probe(const struct tw_tables *t, const struct tw_pfx_iv_entry *iv, unsigned n, int v6, const uint8_t a[16],
                  unsigned table, unsigned *count)
{
    uint32_t want = tw_addr_sets(t, v6, a), got = tw_pfx_iv_lookup(iv, n, v6, a);
    if (got != want) {
        char h[40];
        for (unsigned i = 0; i < 16; i++)
            snprintf(h + 2 * i, 3, "%02x", a[i]);
        fail_msg("table %u, n %u: %s %s: lookup 0x%08x, tw_addr_sets 0x%08x", table, n, v6 ? "v6" : "v4", h,
                 (unsigned)got, (unsigned)want);
    }
    (*count)++;
}

static void probe_key(const struct tw_tables *t, const struct tw_pfx_iv_entry *iv, unsigned n, const struct key *k,
                      unsigned table, unsigned *count)
{
    int v6;
    uint8_t a[16];
    if (key_addr(k, &v6, a))
        probe(t, iv, n, v6, a, table, count);
}

/* Every address worth trying on table t converted to iv (n entries, rc used); with s, random ones too. */
static void probe_all(const struct tw_tables *t, const struct tw_pfx_iv_entry *iv, unsigned n, int rc, uint64_t *s,
                      unsigned table, unsigned *count)
{
    uint8_t a[16];
    memset(a, 0, 16);
    probe(t, iv, n, 0, a, table, count);
    probe(t, iv, n, 1, a, table, count);
    memset(a, 0xFF, 16);
    probe(t, iv, n, 0, a, table, count);
    probe(t, iv, n, 1, a, table, count);
    /* every entry's key, and the keys just below and above it */
    for (int i = 0; i < rc; i++) {
        struct key k = iv_key(&iv[i]), lo = k, hi = k;
        probe_key(t, iv, n, &k, table, count);
        if (kdec(&lo))
            probe_key(t, iv, n, &lo, table, count);
        kinc(&hi);
        probe_key(t, iv, n, &hi, table, count);
    }
    /* every prefix's first and last address and the ones just outside (whether or not it is in the table) */
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
        const struct tw_prefix_entry *e = &t->prefix[i];
        if (e->v6 > 1)
            continue;
        for (int last = 0; last < 2; last++) {
            struct key k;
            k.v6 = e->v6;
            prefix_bound(e, last, k.a);
            probe_key(t, iv, n, &k, table, count);
            struct key o = k;
            if (last)
                kinc(&o);
            else if (!kdec(&o))
                continue;
            probe_key(t, iv, n, &o, table, count);
        }
    }
    if (!s)
        return;
    for (unsigned r = 0; r < 64; r++) {
        int v6 = (int)rn(s, 2);
        rbytes(s, a, 16);
        if (rn(s, 2)) { /* near a prefix */
            const struct tw_prefix_entry *e = &t->prefix[rn(s, TW_CAP_PREFIXES)];
            uint8_t f[16];
            prefix_bound(e, 0, f);
            unsigned keep = (e->v6 ? 0 : 96) + rn(s, e->v6 ? 129 : 33);
            for (unsigned b = 0; b < keep && b < 128; b++) {
                uint8_t m = (uint8_t)(0x80u >> (b % 8));
                a[b / 8] = (uint8_t)((a[b / 8] & ~m) | (f[b / 8] & m));
            }
            v6 = e->v6 == 1;
        }
        probe(t, iv, n, v6, a, table, count);
    }
}

/* ---- tests ---- */

/* (a) random tables: the search over tw_pfx_intervals(n = 512), and over the smallest power of two that holds the
 * table, equals tw_addr_sets everywhere probed; one entry fewer than needed is a capacity error */
static void test_pfx_iv_equivalence(void **st)
{
    (void)st;
    struct tw_tables *t = tw_tables_new();
    struct tw_pfx_iv_entry *iv = calloc(TW_PI_ENTRIES, sizeof *iv), *iv2 = calloc(TW_PI_ENTRIES, sizeof *iv2);
    assert_non_null(t);
    assert_non_null(iv);
    assert_non_null(iv2);
    uint64_t s = 0x7a70f1e5ull;
    unsigned probes = 0, most = 0, tables = 1000;
    for (unsigned k = 0; k < tables; k++) {
        rand_table(&s, t);
        int rc = tw_pfx_intervals(t, iv, TW_PI_ENTRIES);
        check_shape(iv, TW_PI_ENTRIES, rc);
        assert_true(rc <= 2 * TW_CAP_PREFIXES + 1);
        most = (unsigned)rc > most ? (unsigned)rc : most;
        probe_all(t, iv, TW_PI_ENTRIES, rc, &s, k, &probes);
        /* the smallest bank that holds it: the same entries, the same answers */
        unsigned n2 = 1;
        while (n2 < (unsigned)rc)
            n2 *= 2;
        memset(iv2, 0xA5, TW_PI_ENTRIES * sizeof *iv2);
        assert_int_equal(tw_pfx_intervals(t, iv2, n2), rc);
        check_shape(iv2, n2, rc);
        for (int i = 0; i < rc; i++)
            assert_true(iv_eq(&iv2[i], &iv[i]));
        probe_all(t, iv2, n2, rc, NULL, k, &probes);
        /* exactly rc entries fit, rc - 1 do not */
        assert_int_equal(tw_pfx_intervals(t, iv2, (unsigned)rc), rc);
        if (rc > 1)
            assert_int_equal(tw_pfx_intervals(t, iv2, (unsigned)rc - 1), TW_ERR_CAPACITY);
    }
    print_message("%u tables, %u addresses compared, up to %u entries\n", tables, probes, most);
    assert_true(most > 200); /* the generator reaches big tables */
    free(iv);
    free(iv2);
    tw_tables_free(t);
}

/* (b) 128 disjoint, non-adjacent prefixes, none at address 0 (64 IPv4 /16, 64 IPv6 /48): 257 entries, the most
 * 128 prefixes can need; they fit 512 (and 257), not 256 */
static void test_pfx_iv_worst_case(void **st)
{
    (void)st;
    struct tw_tables *t = tw_tables_new();
    struct tw_pfx_iv_entry *iv = calloc(TW_PI_ENTRIES, sizeof *iv);
    assert_non_null(t);
    assert_non_null(iv);
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
        struct tw_prefix_entry *e = &t->prefix[i];
        unsigned j = i / 2;
        e->valid = 1;
        e->sets = 1u << (i % 32);
        if (i % 2 == 0) { /* 10.(2j+1).0.0/16 */
            e->len = 16;
            e->addr[12] = 10;
            e->addr[13] = (uint8_t)(2 * j + 1);
        } else { /* 2001:db8:(2j+1)::/48 */
            e->v6 = 1;
            e->len = 48;
            e->addr[0] = 0x20;
            e->addr[1] = 0x01;
            e->addr[2] = 0x0d;
            e->addr[3] = 0xb8;
            e->addr[5] = (uint8_t)(2 * j + 1);
        }
    }
    t->settings.n_prefixes = TW_CAP_PREFIXES;
    t->settings.n_addr_sets = 32;
    assert_int_equal(tw_tables_validate(t, NULL, 0), 0);
    assert_int_equal(tw_pfx_intervals(t, iv, TW_PI_ENTRIES), 2 * TW_CAP_PREFIXES + 1);
    check_shape(iv, TW_PI_ENTRIES, 257);
    unsigned probes = 0;
    probe_all(t, iv, TW_PI_ENTRIES, 257, NULL, 0, &probes);
    /* entry 0 (no sets), then per prefix in key order (the IPv4 ones, then the IPv6 ones) its first key with its
     * sets and its end with none */
    for (unsigned i = 0; i < 257; i++) {
        unsigned p = (i - 1) / 2, idx = p < 64 ? 2 * p : 2 * (p - 64) + 1;
        assert_int_equal(iv[i].sets, i % 2 ? t->prefix[idx].sets : 0);
    }
    assert_int_equal(tw_pfx_intervals(t, iv, 257), 257);
    assert_int_equal(tw_pfx_intervals(t, iv, 256), TW_ERR_CAPACITY);
    assert_int_equal(tw_pfx_intervals(t, iv, 1), TW_ERR_CAPACITY);
    free(iv);
    tw_tables_free(t);
}

/* (c), (d) entry 0's key is zero whatever the table; padding repeats the last used entry; an empty table is one
 * entry with no sets; the ends of the key space: 0.0.0.0/0 ends at {0, 2^32} (an IPv6 address is in no IPv4
 * prefix), ::/0 and the last IPv6 address have no end */
static void test_pfx_iv_layout(void **st)
{
    (void)st;
    static const uint8_t z[16] = {0};
    struct tw_tables *t = tw_tables_new();
    struct tw_pfx_iv_entry iv[16];
    assert_non_null(t);
    /* empty, and only invalid entries */
    memset(iv, 0x5A, sizeof iv);
    assert_int_equal(tw_pfx_intervals(t, iv, 16), 1);
    for (unsigned i = 0; i < 16; i++) {
        assert_int_equal(iv[i].v6, 0);
        assert_memory_equal(iv[i].addr, z, 16);
        assert_int_equal(iv[i].sets, 0);
    }
    assert_int_equal(tw_pfx_intervals(t, iv, 1), 1);
    t->prefix[0].addr[12] = 10;
    t->prefix[0].len = 8;
    t->prefix[0].sets = 1;
    t->settings.n_prefixes = 1;
    assert_int_equal(tw_pfx_intervals(t, iv, 16), 1);
    assert_int_equal(iv[15].sets, 0);
    /* 0.0.0.0/0: from key 0 to {0, 2^32} */
    t->prefix[0].valid = 1;
    t->prefix[0].addr[12] = 0xC0; /* host bits: ignored */
    t->prefix[0].len = 0;
    assert_int_equal(tw_pfx_intervals(t, iv, 16), 2);
    assert_int_equal(iv[0].sets, 1);
    assert_memory_equal(iv[0].addr, z, 16);
    uint8_t e4[16] = {[11] = 1};
    assert_int_equal(iv[1].v6, 0);
    assert_memory_equal(iv[1].addr, e4, 16);
    assert_int_equal(iv[1].sets, 0);
    for (unsigned i = 2; i < 16; i++)
        assert_true(iv_eq(&iv[i], &iv[1]));
    uint8_t a[16];
    memset(a, 0xFF, 16);
    assert_int_equal(tw_pfx_iv_lookup(iv, 16, 0, a), 1);
    assert_int_equal(tw_pfx_iv_lookup(iv, 16, 1, z), 0);
    /* plus ::/0: starts at {1, 0}, no end */
    t->prefix[1] = (struct tw_prefix_entry){.valid = 1, .v6 = 1, .len = 0, .sets = 2};
    t->settings.n_prefixes = 2;
    assert_int_equal(tw_pfx_intervals(t, iv, 16), 3);
    assert_int_equal(iv[2].v6, 1);
    assert_memory_equal(iv[2].addr, z, 16);
    assert_int_equal(iv[2].sets, 2);
    assert_int_equal(tw_pfx_iv_lookup(iv, 16, 1, a), 2);
    /* plus the last IPv6 address /128 (len 200 is clamped to 128): its own entry, no end after it */
    t->prefix[2] = (struct tw_prefix_entry){.valid = 1, .v6 = 1, .len = 200, .sets = 4};
    memset(t->prefix[2].addr, 0xFF, 16);
    t->settings.n_prefixes = 3;
    assert_int_equal(tw_pfx_intervals(t, iv, 16), 4);
    assert_int_equal(iv[3].v6, 1);
    assert_memory_equal(iv[3].addr, a, 16);
    assert_int_equal(iv[3].sets, 6);
    assert_int_equal(tw_pfx_iv_lookup(iv, 16, 1, a), 6);
    assert_int_equal(tw_addr_sets(t, 1, a), 6);
    a[15] = 0xFE;
    assert_int_equal(tw_pfx_iv_lookup(iv, 16, 1, a), 2);
    /* a prefix that starts at key 0 merges with entry 0: 0.0.0.0/8 and 0.0.0.0/0 alike */
    t->prefix[0] = (struct tw_prefix_entry){.valid = 1, .len = 8, .sets = 1};
    t->prefix[1] = (struct tw_prefix_entry){.valid = 1, .len = 0, .sets = 1};
    t->settings.n_prefixes = 2;
    assert_int_equal(tw_pfx_intervals(t, iv, 16), 2);
    assert_int_equal(iv[0].sets, 1);
    assert_memory_equal(iv[1].addr, e4, 16);
    /* arguments */
    assert_int_equal(tw_pfx_intervals(NULL, iv, 16), TW_ERR_INVAL);
    assert_int_equal(tw_pfx_intervals(t, NULL, 16), TW_ERR_INVAL);
    assert_int_equal(tw_pfx_intervals(t, iv, 0), TW_ERR_INVAL);
    assert_int_equal(tw_pfx_iv_lookup(NULL, 16, 0, a), 0);
    assert_int_equal(tw_pfx_iv_lookup(iv, 0, 0, a), 0);
    assert_int_equal(tw_pfx_iv_lookup(iv, 16, 0, NULL), 0);
    tw_tables_free(t);
}

/* The search on hand-made tables, as the hardware does it: the last entry whose key is <= the address's key, an
 * IPv4 address taken as ::a.b.c.d (its first 12 bytes ignored), entry 0 always taken, every probe inside the
 * table whatever n (ASan: the arrays are exactly n long) */
static void test_pfx_iv_search(void **st)
{
    (void)st;
    enum { N = 8 };
    struct tw_pfx_iv_entry *iv = calloc(N, sizeof *iv);
    assert_non_null(iv);
    /* keys: 0, 10.0.0.0, 10.0.0.5, 192.168.0.0, {0, 2^32}, ::1:0, padding */
    iv[0].sets = 0x1;
    iv[1].addr[12] = 10;
    iv[1].sets = 0x2;
    iv[2].addr[12] = 10;
    iv[2].addr[15] = 5;
    iv[2].sets = 0x4;
    iv[3].addr[12] = 192;
    iv[3].addr[13] = 168;
    iv[3].sets = 0x8;
    iv[4].addr[11] = 1;
    iv[4].sets = 0x10;
    iv[5].v6 = 1;
    iv[5].addr[13] = 1;
    iv[5].sets = 0x20;
    iv[6] = iv[5];
    iv[7] = iv[5];
    /* IPv4: the address (bytes 12..15), with junk in bytes 0 and 11 or not */
    static const struct {
        uint32_t ip;
        int junk;
        uint32_t want;
    } c4[] = {
        {0, 0, 0x1},          {0x09FFFFFF, 0, 0x1}, {0x0A000000, 0, 0x2}, {0x0A000004, 0, 0x2},
        {0x0A000005, 0, 0x4}, {0xC0A7FFFF, 0, 0x4}, {0xC0A80000, 0, 0x8}, {0xFFFFFFFF, 0, 0x8},
        {0x0A000005, 1, 0x4}, {0xFFFFFFFF, 1, 0x8}, {0, 1, 0x1},
    };
    for (unsigned i = 0; i < sizeof c4 / sizeof c4[0]; i++) {
        uint8_t a[16] = {0};
        for (unsigned k = 0; k < 4; k++)
            a[12 + k] = (uint8_t)(c4[i].ip >> (24 - 8 * k));
        if (c4[i].junk)
            a[0] = a[11] = 0xFF;
        uint32_t got = tw_pfx_iv_lookup(iv, N, 0, a);
        if (got != c4[i].want)
            fail_msg("IPv4 case %u: 0x%x, want 0x%x", i, (unsigned)got, (unsigned)c4[i].want);
    }
    /* IPv6: ::, ::ff, ::1:0, ff00:: */
    uint8_t a6[16] = {0};
    assert_int_equal(tw_pfx_iv_lookup(iv, N, 1, a6), 0x10);
    a6[15] = 0xFF;
    assert_int_equal(tw_pfx_iv_lookup(iv, N, 1, a6), 0x10);
    a6[15] = 0;
    a6[13] = 1;
    assert_int_equal(tw_pfx_iv_lookup(iv, N, 1, a6), 0x20);
    memset(a6, 0, 16);
    a6[0] = 0xFF;
    assert_int_equal(tw_pfx_iv_lookup(iv, N, 1, a6), 0x20);
    /* entry 0 is taken without a compare: whatever its key */
    iv[0].v6 = 1;
    memset(iv[0].addr, 0xFF, 16);
    uint8_t a0[16] = {0};
    assert_int_equal(tw_pfx_iv_lookup(iv, N, 0, a0), 0x1);
    free(iv);
    /* n = 1: entry 0; odd n: reads stay inside */
    for (unsigned n = 1; n <= 9; n++) {
        struct tw_pfx_iv_entry *v = calloc(n, sizeof *v);
        assert_non_null(v);
        for (unsigned i = 0; i < n; i++) {
            v[i].addr[15] = (uint8_t)(10 * i);
            v[i].sets = i + 1;
        }
        uint8_t a[16];
        memset(a, 0xFF, 16);
        uint32_t got = tw_pfx_iv_lookup(v, n, 1, a);
        assert_true(got >= 1 && got <= n);
        if ((n & (n - 1)) == 0)
            assert_int_equal(got, n); /* a power of two: the last entry */
        free(v);
    }
}

/* (e) the entry's contract layout: v6 bit 0, addr bits 128..1 (addr[0] on top), sets bits 160..129 */
static void test_pfx_iv_packing(void **st)
{
    (void)st;
    uint64_t s = 0x9ac4;
    for (unsigned k = 0; k < 500; k++) {
        struct tw_pfx_iv_entry e, e2;
        memset(&e, 0, sizeof e);
        e.v6 = (uint8_t)rn(&s, 2);
        rbytes(&s, e.addr, 16);
        e.sets = (uint32_t)rnd(&s);
        uint8_t b[TW_PI_BYTES], b2[TW_PI_BYTES];
        tw_pfx_iv_entry_pack(&e, b);
        tw_pfx_iv_entry_unpack(b, &e2);
        assert_true(iv_eq(&e, &e2));
        /* every bit where the contract puts it */
        for (unsigned bit = 0; bit < TW_PI_BYTES * 8; bit++) {
            unsigned want;
            if (bit == TW_PI_V6_LSB)
                want = e.v6;
            else if (bit >= TW_PI_ADDR_LSB && bit < TW_PI_ADDR_LSB + TW_PI_ADDR_W) {
                unsigned f = bit - TW_PI_ADDR_LSB; /* field bit f: byte 15 - f / 8 */
                want = (e.addr[15 - f / 8] >> (f % 8)) & 1u;
            } else if (bit >= TW_PI_SETS_LSB && bit < TW_PI_SETS_LSB + TW_PI_SETS_W)
                want = (e.sets >> (bit - TW_PI_SETS_LSB)) & 1u;
            else
                want = 0;
            if (((b[bit / 8] >> (bit % 8)) & 1u) != want)
                fail_msg("entry %u bit %u", k, bit);
        }
        /* and back from any packed bits (the 7 bits past the record read as nothing) */
        rbytes(&s, b, sizeof b);
        tw_pfx_iv_entry_unpack(b, &e2);
        tw_pfx_iv_entry_pack(&e2, b2);
        b[TW_PI_BYTES - 1] &= (uint8_t)((1u << (TW_PI_WIDTH % 8)) - 1u);
        assert_memory_equal(b, b2, sizeof b);
    }
    assert_int_equal(TW_PI_BYTES, 21);
    /* a value wider than its field is cut */
    struct tw_pfx_iv_entry e = {.v6 = 3}, e2;
    uint8_t b[TW_PI_BYTES];
    tw_pfx_iv_entry_pack(&e, b);
    tw_pfx_iv_entry_unpack(b, &e2);
    assert_int_equal(e2.v6, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pfx_iv_equivalence), cmocka_unit_test(test_pfx_iv_worst_case),
        cmocka_unit_test(test_pfx_iv_layout),      cmocka_unit_test(test_pfx_iv_search),
        cmocka_unit_test(test_pfx_iv_packing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
