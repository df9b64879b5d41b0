/* The mirror-copy digest table (docs/detection.md, "Mirror-copy digest"): the 56-byte invariant vector of an IP
 * header plus the first 16 bytes after it, tagged with {CRC-32C, CRC-32}, kept with its timestamp in a
 * set-associative table of fixed geometry. */
#include "detect_int.h"

#include <string.h>

int tw_digest_vec(const struct tw_meta *m, int inner, uint8_t v[TW_DIGEST_VEC_BYTES])
{
    uint8_t ver = inner ? m->i_ip_ver : m->o_ip_ver;
    if (ver != 4 && ver != 6)
        return 0;
    if (inner && !m->inner)
        return 0;
    const uint8_t *src = inner ? m->i_ip_src : m->o_ip_src, *dst = inner ? m->i_ip_dst : m->o_ip_dst;
    uint8_t proto = inner ? m->i_ip_proto : m->o_ip_proto;
    uint32_t idfl = ver == 4 ? (inner ? m->i_ip_id : m->o_ip_id) : ((inner ? m->i_ip_flow : m->o_ip_flow) & 0xFFFFF);
    uint32_t iplen = inner ? m->i_ip_len : m->o_ip_len;
    uint32_t hdrlen = inner ? m->i_l3_hdrlen : m->o_l3_hdrlen;
    uint16_t pay = (uint16_t)((ver == 4 ? iplen : 40u + iplen) - hdrlen);
    memset(v, 0, TW_DIGEST_VEC_BYTES);
    memcpy(v + 0, src, 16);
    memcpy(v + 16, dst, 16);
    v[32] = proto;
    v[33] = ver;
    v[34] = (uint8_t)(idfl >> 16);
    v[35] = (uint8_t)(idfl >> 8);
    v[36] = (uint8_t)idfl;
    v[37] = (uint8_t)(pay >> 8);
    v[38] = (uint8_t)pay;
    memcpy(v + 39, inner ? m->i_l3_head : m->o_l3_head, 16);
    return 1;
}

uint64_t tw_digest_tag(const struct tw_hash *h, const uint8_t v[TW_DIGEST_VEC_BYTES])
{
    return (uint64_t)tw_crc32c(h, v, TW_DIGEST_VEC_BYTES) << 32 | tw_crc32(h, v, TW_DIGEST_VEC_BYTES);
}

static struct tw_digest_ent *set_of(struct tw_detector *d, uint64_t tag)
{
    uint32_t idx = (uint32_t)(tag >> 32) & (d->p.digest_sets - 1);
    return d->digest + (size_t)idx * d->p.digest_ways;
}

static int live(const struct tw_detector *d, const struct tw_digest_ent *e, uint64_t now)
{
    uint64_t ts = e->ts1 - 1;
    return e->ts1 && now >= ts && now - ts <= d->p.mirror_window_ns;
}

void tw_digest_prefetch(const struct tw_detector *d, uint64_t tag)
{
    uint32_t idx = (uint32_t)(tag >> 32) & (d->p.digest_sets - 1);
    __builtin_prefetch(d->digest + (size_t)idx * d->p.digest_ways, 1);
}

int tw_digest_lookup(struct tw_detector *d, uint64_t tag, uint64_t now)
{
    struct tw_digest_ent *s = set_of(d, tag);
    d->st.digest_lookups++;
    for (unsigned w = 0; w < d->p.digest_ways; w++)
        if (s[w].tag == tag && live(d, &s[w], now))
            return 1;
    return 0;
}

void tw_digest_insert(struct tw_detector *d, uint64_t tag, uint64_t now)
{
    struct tw_digest_ent *s = set_of(d, tag), *e = NULL;
    d->st.digest_inserts++;
    for (unsigned w = 0; w < d->p.digest_ways && !e; w++)
        if (s[w].ts1 && s[w].tag == tag)
            e = &s[w]; /* the same digest again (a retransmission): refresh its time */
    for (unsigned w = 0; w < d->p.digest_ways && !e; w++)
        if (!s[w].ts1)
            e = &s[w];
    if (!e) { /* replace the oldest way (lowest way on a tie) */
        e = &s[0];
        for (unsigned w = 1; w < d->p.digest_ways; w++)
            if (s[w].ts1 < e->ts1)
                e = &s[w];
        if (live(d, e, now))
            d->st.digest_replaced++;
    }
    e->tag = tag;
    e->ts1 = now + 1;
}
