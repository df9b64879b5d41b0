/* The flow table: bidirectional flows in a set-associative table of fixed geometry (docs/detection.md, "Flows").
 * Bucket = CRC-32C(40-byte canonical key) mod buckets; ways compared in parallel; expiry on access and by a
 * background sweep of one bucket every sweep_every frames; a new flow in a full bucket evicts the least
 * recently seen way. Every departure emits a flow record. */
#include "detect_int.h"

#include <stdlib.h>
#include <string.h>

#include "tapwatch/error.h"

static uint16_t outer_vlan(const struct tw_meta *m)
{
    return m->o_vlan_n ? (uint16_t)(m->o_vlan0_tci & 0x0FFF) : 0;
}

static int has_ports(uint8_t proto, uint8_t l4)
{
    return l4 && (proto == 6 || proto == 17 || proto == 132);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void st_be64(uint8_t *p, uint64_t v)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
    memcpy(p, &v, 8);
#else
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
#endif
}

/* Two keys are the same flow (40 bytes, compared as five words). Bytes 8..15 first, alone: they hold an IPv4 key's
 * lower address (bytes 0..11 of an IPv4 address are zero) and half of an IPv6 one, so they settle most different
 * keys of a bucket with one compare. */
static int key_eq(const struct tw_flow_key *a, const struct tw_flow_key *b)
{
    uint64_t x = ld64(a->b + 8) ^ ld64(b->b + 8);
    if (x)
        return 0;
    for (int i = 0; i < TW_FLOW_KEY_BYTES; i += 8)
        x |= ld64(a->b + i) ^ ld64(b->b + i);
    return x == 0;
}

int tw_flow_key_of(const struct tw_meta *m, struct tw_flow_key *k, int *rev)
{
    if (m->o_ip_ver != 4 && m->o_ip_ver != 6)
        return 0;
    int ports = has_ports(m->o_ip_proto, m->o_l4);
    uint16_t sp = ports ? m->o_sport : 0, dp = ports ? m->o_dport : 0;
    /* the addresses in registers (tw_addr_w: no wait on the dissector's stores), the key written in whole words
     * (the hash reads it back in words) */
    uint64_t sw[2], dw[2];
    tw_addr_w(m->o_ip_src, sw);
    tw_addr_w(m->o_ip_dst, dw);
    /* the lower (address, port), compared as the 18 bytes address then big-endian port, is side a */
    uint64_t s0 = __builtin_bswap64(sw[0]), s1 = __builtin_bswap64(sw[1]), t0 = __builtin_bswap64(dw[0]),
             t1 = __builtin_bswap64(dw[1]);
    *rev = s0 != t0 ? s0 > t0 : s1 != t1 ? s1 > t1 : sp > dp;
    const uint64_t *a = *rev ? dw : sw, *b = *rev ? sw : dw;
    uint16_t ap = *rev ? dp : sp, bp = *rev ? sp : dp;
    tw_st64le(k->b + 0, a[0]);
    tw_st64le(k->b + 8, a[1]);
    tw_st64le(k->b + 16, b[0]);
    tw_st64le(k->b + 24, b[1]);
    /* bytes 32..39: the ports, protocol, version and VLAN, big-endian: one 64-bit word */
    uint64_t tail = (uint64_t)ap << 48 | (uint64_t)bp << 32 | (uint64_t)m->o_ip_proto << 24 |
                    (uint64_t)m->o_ip_ver << 16 | outer_vlan(m);
    st_be64(k->b + 32, tail);
    return 1;
}

int tw_flow_init(struct tw_detector *d)
{
    struct tw_flow_table *ft = &d->flows;
    ft->buckets = d->p.flow_buckets;
    ft->ways = d->p.flow_ways;
    size_t n = (size_t)ft->buckets * ft->ways;
    ft->ent = tw_table_alloc(n * sizeof *ft->ent);
    if (!ft->ent)
        return TW_ERR_NOMEM;
    memset(ft->ent, 0, n * sizeof *ft->ent);
    ft->due = malloc((size_t)ft->buckets * sizeof *ft->due);
    if (!ft->due) {
        free(ft->ent);
        ft->ent = NULL;
        return TW_ERR_NOMEM;
    }
    for (unsigned b = 0; b < ft->buckets; b++)
        ft->due[b] = UINT64_MAX;
    ft->sweep_ptr = 0;
    ft->sweep_frames = 0;
    ft->next_id = 0;
    return 0;
}

void tw_flow_free(struct tw_detector *d)
{
    free(d->flows.ent);
    d->flows.ent = NULL;
    free(d->flows.due);
    d->flows.due = NULL;
}

static void emit(struct tw_detector *d, struct tw_flow_ent *e, unsigned reason)
{
    switch (reason) {
    case TW_FLOW_TIMEOUT: d->st.flows_timeout++; break;
    case TW_FLOW_HARD_TIMEOUT: d->st.flows_hard_timeout++; break;
    case TW_FLOW_EVICTED: d->st.flows_evicted++; break;
    default: d->st.flows_shutdown++; break;
    }
    if (d->sink.flow) {
        struct tw_flow_rec r;
        tw_zero(&r, sizeof r);
        const uint8_t *k = e->key.b;
        const uint8_t *ca = e->cli_is_b ? k + 16 : k, *sa = e->cli_is_b ? k : k + 16;
        const uint8_t *cp = e->cli_is_b ? k + 34 : k + 32, *sp = e->cli_is_b ? k + 32 : k + 34;
        r.flow_id = e->flow_id;
        memcpy(r.cli_ip, ca, 16);
        memcpy(r.srv_ip, sa, 16);
        r.cli_port = (uint16_t)(cp[0] << 8 | cp[1]);
        r.srv_port = (uint16_t)(sp[0] << 8 | sp[1]);
        r.proto = k[36];
        r.ip_ver = k[37];
        r.vlan = (uint16_t)(k[38] << 8 | k[39]);
        r.pkts_toserver = e->pkts_ts;
        r.pkts_toclient = e->pkts_tc;
        r.bytes_toserver = e->bytes_ts;
        r.bytes_toclient = e->bytes_tc;
        r.first_ts = e->first_ts;
        r.last_ts = e->last_ts;
        r.tcp_flags_ts = e->flags_ts;
        r.tcp_flags_tc = e->flags_tc;
        r.state = e->state;
        r.reason = (uint8_t)reason;
        r.alerted = e->alerted;
        d->sink.flow(d->sink.ctx, &r);
    }
    e->valid = 0;
}

/* Expired at now: idle first (now > last + idle), then hard (now > first + hard). -1 when live. */
static int expired(const struct tw_detector *d, const struct tw_flow_ent *e, uint64_t now)
{
    if (now > e->last_ts && now - e->last_ts > d->p.flow_idle_ns)
        return TW_FLOW_TIMEOUT;
    if (now > e->first_ts && now - e->first_ts > d->p.flow_hard_ns)
        return TW_FLOW_HARD_TIMEOUT;
    return -1;
}

/* The time up to which e is live: expired() is -1 for every now <= deadline(e). The idle condition
 * (now > last && now - last > idle) is now > last + idle, the hard one now > first + hard; a sum beyond 2^64 - 1
 * never expires, as the differences then never exceed the timeout. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static uint64_t deadline(const struct tw_detector *d, const struct tw_flow_ent *e)
{
    uint64_t i = sat_add(e->last_ts, d->p.flow_idle_ns), h = sat_add(e->first_ts, d->p.flow_hard_ns);
    return i < h ? i : h;
}

/* The exact earliest deadline of the valid ways of bucket bkt. */
static uint64_t bucket_due(const struct tw_detector *d, const struct tw_flow_ent *bkt)
{
    uint64_t due = UINT64_MAX;
    for (unsigned w = 0; w < d->flows.ways; w++)
        if (bkt[w].valid) {
            uint64_t x = deadline(d, &bkt[w]);
            due = x < due ? x : due;
        }
    return due;
}

uint32_t tw_flow_prepare(struct tw_detector *d, const struct tw_flow_key *k)
{
    struct tw_flow_table *ft = &d->flows;
    uint32_t h = tw_hash_flow_key(&d->hash, k->b);
    const struct tw_flow_ent *bkt = ft->ent + (size_t)(h & (ft->buckets - 1)) * ft->ways;
    __builtin_prefetch(&ft->due[h & (ft->buckets - 1)], 0); /* the bucket's expiry bound: read first by the access */
    for (unsigned w = 0; w < ft->ways; w++) {
        __builtin_prefetch(&bkt[w], 1);
        __builtin_prefetch((const char *)&bkt[w] + 64, 1);
    }
    return h;
}

void tw_flow_prefetch_sweep(const struct tw_detector *d, uint64_t now)
{
    const struct tw_flow_table *ft = &d->flows;
    if (ft->sweep_frames + 1 < d->p.sweep_every || now <= ft->due[ft->sweep_ptr])
        return;
    const struct tw_flow_ent *bkt = ft->ent + (size_t)ft->sweep_ptr * ft->ways;
    for (unsigned w = 0; w < ft->ways; w++)
        __builtin_prefetch(&bkt[w], 0);
}

struct tw_flow_ent *tw_flow_access_hint(struct tw_detector *d, const struct tw_meta *m, const struct tw_flow_key *kp,
                                        int rev, uint32_t h, uint64_t flen, const struct tw_flow_ent *hint,
                                        int *toclient)
{
    struct tw_flow_table *ft = &d->flows;
    size_t bi = h & (ft->buckets - 1);
    struct tw_flow_ent *bkt = ft->ent + bi * ft->ways;
    uint64_t now = m->ts;
    struct tw_flow_ent *e = NULL;
    int check = now > ft->due[bi]; /* else no way of the bucket has expired: the checks would all say live */
    /* without expiries the loop below only finds the way holding k (a key is in at most one way of its bucket):
     * the hint when it holds k */
    size_t hw = hint ? (size_t)(hint - bkt) : ft->ways;
    if (!check && hw < ft->ways && bkt[hw].valid && key_eq(&bkt[hw].key, kp))
        e = &bkt[hw];
    for (unsigned w = 0; w < ft->ways && !(e && !check); w++) {
        struct tw_flow_ent *x = &bkt[w];
        if (!x->valid)
            continue;
        int r = check ? expired(d, x, now) : -1;
        if (r >= 0)
            emit(d, x, (unsigned)r);
        else if (!e && key_eq(&x->key, kp))
            e = x;
    }
    if (!e) {
        for (unsigned w = 0; w < ft->ways && !e; w++)
            if (!bkt[w].valid)
                e = &bkt[w];
        if (!e) { /* full bucket: evict the least recently seen way (lowest way on a tie) */
            e = &bkt[0];
            for (unsigned w = 1; w < ft->ways; w++)
                if (bkt[w].last_ts < e->last_ts)
                    e = &bkt[w];
            emit(d, e, TW_FLOW_EVICTED);
        }
        tw_zero(e, sizeof *e);
        e->valid = 1;
        e->key = *kp;
        e->cli_is_b = (uint8_t)rev;
        e->flow_id = ++ft->next_id;
        e->first_ts = e->last_ts = now;
        e->state = TW_FLOW_NEW;
        d->st.flows_created++;
        uint64_t x = deadline(d, e);
        if (x < ft->due[bi])
            ft->due[bi] = x;
    }
    int tc = rev != e->cli_is_b;
    *toclient = tc;
    if (now > e->last_ts)
        e->last_ts = now;
    if (tc) {
        e->pkts_tc++;
        e->bytes_tc += flen;
    } else {
        e->pkts_ts++;
        e->bytes_ts += flen;
    }
    int tcp = m->o_ip_proto == 6 && m->o_l4;
    if (tcp) {
        uint8_t f = m->o_tcp_flags;
        if (tc) {
            e->flags_tc |= f;
            if (f & 0x01)
                e->fin_tc = 1;
        } else {
            e->flags_ts |= f;
            if (f & 0x01)
                e->fin_ts = 1;
        }
    }
    if (e->state != TW_FLOW_CLOSED) {
        if (tcp && ((m->o_tcp_flags & 0x04) || (e->fin_ts && e->fin_tc)))
            e->state = TW_FLOW_CLOSED;
        else if (e->pkts_ts && e->pkts_tc)
            e->state = TW_FLOW_ESTABLISHED;
    }
    /* a later last_ts only moves deadlines later: due stays a lower bound; after expiries it is recomputed */
    if (check)
        ft->due[bi] = bucket_due(d, bkt);
    return e;
}

const struct tw_flow_ent *tw_flow_peek(const struct tw_detector *d, const struct tw_flow_key *k, uint32_t h)
{
    const struct tw_flow_table *ft = &d->flows;
    const struct tw_flow_ent *bkt = ft->ent + (size_t)(h & (ft->buckets - 1)) * ft->ways;
    for (unsigned w = 0; w < ft->ways; w++)
        if (bkt[w].valid && key_eq(&bkt[w].key, k))
            return &bkt[w];
    return NULL;
}

struct tw_flow_ent *tw_flow_access(struct tw_detector *d, const struct tw_meta *m, const struct tw_flow_key *k, int rev,
                                   uint32_t h, uint64_t flen, int *toclient)
{
    return tw_flow_access_hint(d, m, k, rev, h, flen, NULL, toclient);
}

void tw_flow_sweep(struct tw_detector *d, uint64_t now)
{
    struct tw_flow_table *ft = &d->flows;
    if (++ft->sweep_frames < d->p.sweep_every)
        return;
    ft->sweep_frames = 0;
    if (now > ft->due[ft->sweep_ptr]) { /* else every way of the bucket is live */
        struct tw_flow_ent *bkt = ft->ent + (size_t)ft->sweep_ptr * ft->ways;
        for (unsigned w = 0; w < ft->ways; w++) {
            if (!bkt[w].valid)
                continue;
            int r = expired(d, &bkt[w], now);
            if (r >= 0)
                emit(d, &bkt[w], (unsigned)r);
        }
        ft->due[ft->sweep_ptr] = bucket_due(d, bkt);
    }
    ft->sweep_ptr = (ft->sweep_ptr + 1) & (ft->buckets - 1);
    d->st.sweep_steps++;
}

void tw_flow_flush(struct tw_detector *d)
{
    struct tw_flow_table *ft = &d->flows;
    size_t n = (size_t)ft->buckets * ft->ways;
    for (size_t i = 0; i < n; i++)
        if (ft->ent[i].valid)
            emit(d, &ft->ent[i], TW_FLOW_SHUTDOWN);
    for (unsigned b = 0; b < ft->buckets; b++)
        ft->due[b] = UINT64_MAX;
}

uint64_t tw_flow_active(const struct tw_detector *d)
{
    const struct tw_flow_table *ft = &d->flows;
    size_t n = (size_t)ft->buckets * ft->ways;
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ft->ent[i].valid;
    return c;
}
