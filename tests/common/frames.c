/* Test-frame builders (see frames.h). */
#include "frames.h"

#include <string.h>

void twf_init(struct twf *f)
{
    memset(f, 0, sizeof *f);
}

static size_t room(struct twf *f, size_t n)
{
    if (f->overflow || n > TWF_MAX - f->n) {
        f->overflow = 1;
        return 0;
    }
    return 1;
}

size_t twf_bytes(struct twf *f, const void *p, size_t n)
{
    size_t at = f->n;
    if (!room(f, n))
        return at;
    if (p)
        memcpy(f->b + f->n, p, n);
    else
        memset(f->b + f->n, 0, n);
    f->n += n;
    return at;
}

size_t twf_payload(struct twf *f, size_t n, uint8_t fill)
{
    size_t at = f->n;
    if (!room(f, n))
        return at;
    for (size_t i = 0; i < n; i++)
        f->b[f->n + i] = (uint8_t)(fill + i);
    f->n += n;
    return at;
}

void twf_put8(struct twf *f, size_t off, uint8_t v)
{
    if (off < TWF_MAX)
        f->b[off] = v;
}

void twf_put16(struct twf *f, size_t off, uint16_t v)
{
    twf_put8(f, off, (uint8_t)(v >> 8));
    twf_put8(f, off + 1, (uint8_t)v);
}

void twf_put32(struct twf *f, size_t off, uint32_t v)
{
    twf_put16(f, off, (uint16_t)(v >> 16));
    twf_put16(f, off + 2, (uint16_t)v);
}

static uint16_t get16(const struct twf *f, size_t off)
{
    return (uint16_t)(f->b[off] << 8 | f->b[off + 1]);
}

#define TWF_KEEP_LEN 1u
#define TWF_BAD_CSUM 2u

static void add_fix(struct twf *f, enum twf_fix_kind k, size_t off, unsigned flags)
{
    if (f->nfix < TWF_MAX_FIX) {
        f->fix[f->nfix].kind = k;
        f->fix[f->nfix].off = off;
        f->fix[f->nfix].flags = flags;
        f->nfix++;
    } else {
        f->overflow = 1;
    }
}

static void p16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static void p32(uint8_t *b, uint32_t v)
{
    p16(b, (uint16_t)(v >> 16));
    p16(b + 2, (uint16_t)v);
}

void twf_ip4_csum(struct twf *f, size_t off)
{
    size_t hl = (size_t)(f->b[off] & 0xF) * 4;
    if (off + hl > f->n)
        return;
    twf_put16(f, off + 10, 0);
    uint32_t s = 0;
    for (size_t i = 0; i < hl; i += 2)
        s += get16(f, off + i);
    while (s >> 16)
        s = (s & 0xFFFF) + (s >> 16);
    twf_put16(f, off + 10, (uint16_t)~s);
}

void twf_end(struct twf *f)
{
    for (unsigned i = f->nfix; i-- > 0;) {
        size_t o = f->fix[i].off;
        size_t rest = f->n - o;
        switch (f->fix[i].kind) {
        case TWF_FIX_IP4:
            if (!(f->fix[i].flags & TWF_KEEP_LEN))
                twf_put16(f, o + 2, (uint16_t)rest);
            twf_ip4_csum(f, o);
            if (f->fix[i].flags & TWF_BAD_CSUM)
                twf_put16(f, o + 10, (uint16_t)(get16(f, o + 10) ^ 0x5A5A));
            break;
        case TWF_FIX_IP6:
            twf_put16(f, o + 4, (uint16_t)(rest - 40));
            break;
        case TWF_FIX_UDP:
            twf_put16(f, o + 4, (uint16_t)rest);
            break;
        case TWF_FIX_GTPU:
            twf_put16(f, o + 2, (uint16_t)(rest - 8));
            break;
        }
    }
    f->nfix = 0;
}

void twf_pad(struct twf *f, size_t n)
{
    if (f->n < n)
        twf_bytes(f, NULL, n - f->n);
}

size_t twf_eth(struct twf *f, uint64_t dmac, uint64_t smac, uint16_t type)
{
    uint8_t h[14];
    for (int i = 0; i < 6; i++) {
        h[i] = (uint8_t)(dmac >> (40 - 8 * i));
        h[6 + i] = (uint8_t)(smac >> (40 - 8 * i));
    }
    p16(h + 12, type);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_vlan(struct twf *f, uint16_t tci, uint16_t next_type)
{
    uint8_t h[4];
    p16(h, tci);
    p16(h + 2, next_type);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_mpls(struct twf *f, uint32_t label, unsigned tc, int s, uint8_t ttl)
{
    uint8_t h[4];
    p32(h, (label & 0xFFFFFu) << 12 | (tc & 7u) << 9 | (s ? 1u : 0u) << 8 | ttl);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_pw_cw(struct twf *f)
{
    return twf_bytes(f, NULL, 4);
}

size_t twf_ipv4(struct twf *f, const struct twf_ip4 *ip)
{
    uint8_t h[60];
    size_t optlen = ip->optlen > 40 ? 40 : ip->optlen & ~(size_t)3;
    size_t hl = 20 + optlen;
    memset(h, 0, sizeof h);
    h[0] = (uint8_t)(0x40 | hl / 4);
    h[1] = ip->tos;
    p16(h + 2, ip->keep_len ? ip->total_len : 0);
    p16(h + 4, ip->id);
    p16(h + 6, (uint16_t)((ip->df ? 0x4000u : 0u) | (ip->mf ? 0x2000u : 0u) | (ip->fragoff & 0x1FFFu)));
    h[8] = ip->ttl;
    h[9] = ip->proto;
    p32(h + 12, ip->src);
    p32(h + 16, ip->dst);
    if (optlen && ip->opts)
        memcpy(h + 20, ip->opts, optlen);
    size_t at = twf_bytes(f, h, hl);
    add_fix(f, TWF_FIX_IP4, at, (ip->keep_len ? TWF_KEEP_LEN : 0u) | (ip->bad_csum ? TWF_BAD_CSUM : 0u));
    return at;
}

size_t twf_ipv6(struct twf *f, const struct twf_ip6 *ip)
{
    uint8_t h[40];
    p32(h, 6u << 28 | (uint32_t)ip->tc << 20 | (ip->flow & 0xFFFFFu));
    p16(h + 4, ip->payload_len);
    h[6] = ip->nh;
    h[7] = ip->hlim;
    memcpy(h + 8, ip->src, 16);
    memcpy(h + 24, ip->dst, 16);
    size_t at = twf_bytes(f, h, sizeof h);
    if (!ip->keep_len)
        add_fix(f, TWF_FIX_IP6, at, 0);
    return at;
}

size_t twf_ip6_opts(struct twf *f, uint8_t next, uint8_t len8)
{
    size_t n = ((size_t)len8 + 1) * 8;
    size_t at = twf_bytes(f, NULL, n);
    if (f->overflow)
        return at;
    f->b[at] = next;
    f->b[at + 1] = len8;
    f->b[at + 2] = 1; /* PadN over the rest */
    f->b[at + 3] = (uint8_t)(n - 4);
    return at;
}

size_t twf_ip6_rh(struct twf *f, uint8_t next, uint8_t type, uint8_t segleft, uint8_t len8)
{
    size_t n = ((size_t)len8 + 1) * 8;
    size_t at = twf_bytes(f, NULL, n);
    if (f->overflow)
        return at;
    f->b[at] = next;
    f->b[at + 1] = len8;
    f->b[at + 2] = type;
    f->b[at + 3] = segleft;
    return at;
}

size_t twf_ip6_srh(struct twf *f, uint8_t next, uint8_t segleft, unsigned nseg)
{
    size_t at = twf_ip6_rh(f, next, 4, segleft, (uint8_t)(nseg * 2));
    if (f->overflow)
        return at;
    f->b[at + 4] = (uint8_t)(nseg ? nseg - 1 : 0); /* last entry */
    for (unsigned i = 0; i < nseg; i++) {
        uint8_t *s = f->b + at + 8 + 16 * i;
        p16(s, 0x2001);
        p16(s + 2, 0x0db8);
        s[15] = (uint8_t)(i + 1);
    }
    return at;
}

size_t twf_ip6_frag(struct twf *f, uint8_t next, uint16_t off8, int m, uint32_t id)
{
    uint8_t h[8] = {next, 0};
    p16(h + 2, (uint16_t)((off8 & 0x1FFFu) << 3 | (m ? 1u : 0u)));
    p32(h + 4, id);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_ip6_ah(struct twf *f, uint8_t next, uint8_t len4)
{
    size_t n = ((size_t)len4 + 2) * 4;
    size_t at = twf_bytes(f, NULL, n);
    if (f->overflow)
        return at;
    f->b[at] = next;
    f->b[at + 1] = len4;
    if (n >= 12) {
        p32(f->b + at + 4, 0x1000); /* SPI */
        p32(f->b + at + 8, 1);      /* sequence */
    }
    return at;
}

void twf_ip6_addr(uint8_t a[16], uint16_t first, uint16_t last)
{
    memset(a, 0, 16);
    p16(a, first);
    p16(a + 14, last);
}

size_t twf_tcp(struct twf *f, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags)
{
    uint8_t h[20];
    memset(h, 0, sizeof h);
    p16(h, sport);
    p16(h + 2, dport);
    p32(h + 4, seq);
    h[12] = 5 << 4;
    h[13] = flags;
    p16(h + 14, 65535);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_udp(struct twf *f, uint16_t sport, uint16_t dport)
{
    uint8_t h[8];
    memset(h, 0, sizeof h);
    p16(h, sport);
    p16(h + 2, dport);
    size_t at = twf_bytes(f, h, sizeof h);
    add_fix(f, TWF_FIX_UDP, at, 0);
    return at;
}

size_t twf_sctp(struct twf *f, uint16_t sport, uint16_t dport, uint32_t vtag)
{
    uint8_t h[12];
    memset(h, 0, sizeof h);
    p16(h, sport);
    p16(h + 2, dport);
    p32(h + 4, vtag);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_sctp_data(struct twf *f, uint32_t tsn, uint16_t sid, uint16_t ssn, uint32_t ppid, size_t datalen)
{
    uint8_t h[16];
    h[0] = 0;
    h[1] = 3; /* B and E: an unfragmented message */
    p16(h + 2, (uint16_t)(16 + datalen));
    p32(h + 4, tsn);
    p16(h + 8, sid);
    p16(h + 10, ssn);
    p32(h + 12, ppid);
    size_t at = twf_bytes(f, h, sizeof h);
    twf_payload(f, datalen, 0x30);
    twf_bytes(f, NULL, (4 - datalen % 4) % 4);
    return at;
}

size_t twf_sctp_chunk(struct twf *f, uint8_t type, size_t bodylen)
{
    uint8_t h[4] = {type, 0};
    p16(h + 2, (uint16_t)(4 + bodylen));
    size_t at = twf_bytes(f, h, sizeof h);
    twf_payload(f, bodylen, 0x40);
    twf_bytes(f, NULL, (4 - bodylen % 4) % 4);
    return at;
}

size_t twf_icmp(struct twf *f, uint8_t type, uint8_t code)
{
    uint8_t h[8] = {type, code, 0, 0, 0, 1, 0, 1};
    return twf_bytes(f, h, sizeof h);
}

size_t twf_gre(struct twf *f, uint16_t flags, uint16_t proto, uint32_t key, uint32_t seq)
{
    uint8_t h[16];
    size_t n = 4;
    memset(h, 0, sizeof h);
    p16(h, flags);
    p16(h + 2, proto);
    if (flags & TWF_GRE_C)
        n += 4; /* checksum + reserved, left 0 */
    if (flags & TWF_GRE_K) {
        p32(h + n, key);
        n += 4;
    }
    if (flags & TWF_GRE_S) {
        p32(h + n, seq);
        n += 4;
    }
    return twf_bytes(f, h, n);
}

size_t twf_erspan2(struct twf *f, uint16_t vlan, uint8_t cos, uint16_t session, uint32_t index)
{
    uint8_t h[8];
    p16(h, (uint16_t)(1u << 12 | (vlan & 0xFFFu)));
    p16(h + 2, (uint16_t)((cos & 7u) << 13 | (session & 0x3FFu)));
    p32(h + 4, index & 0xFFFFFu);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_erspan3(struct twf *f, uint16_t vlan, uint8_t cos, uint16_t session, uint32_t ts, uint8_t ft, int o)
{
    uint8_t h[20];
    memset(h, 0, sizeof h);
    p16(h, (uint16_t)(2u << 12 | (vlan & 0xFFFu)));
    p16(h + 2, (uint16_t)((cos & 7u) << 13 | (session & 0x3FFu)));
    p32(h + 4, ts);
    p16(h + 8, 0x0042);                                                     /* SGT */
    p16(h + 10, (uint16_t)((ft & 0x1Fu) << 10 | 3u << 4 | (o ? 1u : 0u))); /* HW id 3 */
    if (o) {
        h[12] = 0x0C; /* platform id 3 */
        p32(h + 16, 0x12345678);
    }
    return twf_bytes(f, h, o ? 20 : 12);
}

size_t twf_vxlan(struct twf *f, uint32_t vni)
{
    uint8_t h[8] = {0x08, 0};
    p32(h + 4, (vni & 0xFFFFFFu) << 8);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_geneve(struct twf *f, uint16_t proto, uint32_t vni, unsigned optwords)
{
    uint8_t h[8];
    optwords &= 0x3Fu;
    h[0] = (uint8_t)optwords;
    h[1] = 0;
    p16(h + 2, proto);
    p32(h + 4, (vni & 0xFFFFFFu) << 8);
    size_t at = twf_bytes(f, h, sizeof h);
    unsigned left = optwords;
    while (left > 0) {
        unsigned w = left > 32 ? 32 : left; /* one TLV: 4-byte header + (w-1) words of data */
        uint8_t t[4];
        p16(t, 0x0101);
        t[2] = 1;
        t[3] = (uint8_t)(w - 1);
        twf_bytes(f, t, 4);
        twf_payload(f, (w - 1) * 4, 0x60);
        left -= w;
    }
    return at;
}

size_t twf_gtpu(struct twf *f, uint8_t flags, uint8_t type, uint32_t teid, uint16_t seq, uint8_t next_ext)
{
    uint8_t h[12];
    flags &= 7u;
    h[0] = (uint8_t)(0x30 | flags);
    h[1] = type;
    p16(h + 2, 0);
    p32(h + 4, teid);
    p16(h + 8, seq);
    h[10] = 0;
    h[11] = next_ext;
    size_t at = twf_bytes(f, h, flags ? 12 : 8);
    add_fix(f, TWF_FIX_GTPU, at, 0);
    return at;
}

size_t twf_gtpu_raw(struct twf *f, uint8_t byte0, uint8_t type, uint32_t teid)
{
    uint8_t h[8] = {byte0, type, 0, 0};
    p32(h + 4, teid);
    size_t at = twf_bytes(f, h, sizeof h);
    add_fix(f, TWF_FIX_GTPU, at, 0);
    return at;
}

size_t twf_gtpu_ext(struct twf *f, uint8_t len4, uint8_t next_ext)
{
    size_t n = (size_t)len4 * 4;
    size_t at = twf_bytes(f, NULL, n ? n : 1);
    if (f->overflow)
        return at;
    f->b[at] = len4;
    if (n)
        f->b[at + n - 1] = next_ext;
    return at;
}

size_t twf_gtpu_pdu_session(struct twf *f, uint8_t dir, uint8_t qfi, uint8_t next_ext)
{
    uint8_t h[4] = {1, (uint8_t)(dir << 4), (uint8_t)(qfi & 0x3Fu), next_ext};
    return twf_bytes(f, h, sizeof h);
}

size_t twf_tzsp(struct twf *f, uint8_t version, uint8_t type, uint16_t encap)
{
    uint8_t h[4] = {version, type};
    p16(h + 2, encap);
    return twf_bytes(f, h, sizeof h);
}

size_t twf_tzsp_tag(struct twf *f, uint8_t tag, uint8_t len, uint8_t fill)
{
    if (tag == 0 || tag == 1)
        return twf_bytes(f, &tag, 1);
    uint8_t h[2] = {tag, len};
    size_t at = twf_bytes(f, h, 2);
    twf_payload(f, len, fill);
    return at;
}

size_t twf_l2tpv3(struct twf *f, uint32_t session, size_t cookie_len)
{
    uint8_t h[12];
    p32(h, session);
    for (size_t i = 0; i < 8; i++)
        h[4 + i] = (uint8_t)(0xC0 + i);
    return twf_bytes(f, h, 4 + (cookie_len > 8 ? 8 : cookie_len));
}
