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
    /* every byte written (no clearing first): addresses, 7 bytes of fields, the 16 head bytes, one zero byte */
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
    v[55] = 0;
    return 1;
}

int tw_digest_tag_of(const struct tw_hash *h, const struct tw_meta *m, int inner, uint64_t *tag)
{
    /* tw_digest_vec's bytes as the words of tw_hash_tag56_w, built in registers */
    uint8_t ver = inner ? m->i_ip_ver : m->o_ip_ver;
    if ((ver != 4 && ver != 6) || (inner && !m->inner))
        return 0;
    uint64_t w[7];
    tw_addr_w(inner ? m->i_ip_src : m->o_ip_src, w);
    tw_addr_w(inner ? m->i_ip_dst : m->o_ip_dst, w + 2);
    uint8_t proto = inner ? m->i_ip_proto : m->o_ip_proto;
    uint32_t idfl = ver == 4 ? (inner ? m->i_ip_id : m->o_ip_id) : ((inner ? m->i_ip_flow : m->o_ip_flow) & 0xFFFFF);
    uint32_t iplen = inner ? m->i_ip_len : m->o_ip_len;
    uint32_t hdrlen = inner ? m->i_l3_hdrlen : m->o_l3_hdrlen;
    uint16_t pay = (uint16_t)((ver == 4 ? iplen : 40u + iplen) - hdrlen);
    const uint8_t *head = inner ? m->i_l3_head : m->o_l3_head;
    uint64_t h0 = tw_ld64le(head), h1 = tw_ld64le(head + 8);
    /* bytes 32..39: proto, ver, idfl (3 bytes, big-endian), pay (2, big-endian), head[0] */
    w[4] = (uint64_t)proto | (uint64_t)ver << 8 | (uint64_t)((idfl >> 16) & 0xFF) << 16 |
           (uint64_t)((idfl >> 8) & 0xFF) << 24 | (uint64_t)(idfl & 0xFF) << 32 | (uint64_t)(pay >> 8) << 40 |
           (uint64_t)(pay & 0xFF) << 48 | (h0 & 0xFF) << 56;
    w[5] = h0 >> 8 | h1 << 56; /* head[1..8] */
    w[6] = h1 >> 8;            /* head[9..15], then the zero byte 55 */
    *tag = tw_hash_tag56_w(h, w);
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
    struct tw_digest_ent *s = set_of(d, tag), *e = NULL, *empty = NULL, *old = &s[0];
    d->st.digest_inserts++;
    /* one pass: the first way holding the digest (a retransmission: refresh its time), else the first empty way,
     * else the oldest (lowest way on a tie) */
    for (unsigned w = 0, n = d->p.digest_ways; w < n; w++) {
        struct tw_digest_ent *x = &s[w];
        if (!x->ts1) {
            if (!empty)
                empty = x;
            continue;
        }
        if (x->tag == tag) {
            e = x;
            break;
        }
        if (x->ts1 < old->ts1)
            old = x;
    }
    if (!e)
        e = empty;
    if (!e) {
        e = old;
        if (live(d, e, now))
            d->st.digest_replaced++;
    }
    e->tag = tag;
    e->ts1 = now + 1;
}
