/* The C reference dissector: docs/parser.md, to the letter, from frame bytes to struct tw_meta.
 *
 * Every read goes through have()/rd*() against the parser window (the first min(L, hdr_bytes) bytes), so any
 * frame, however malformed, is safe. A header contributes its fields only when all of it is in the window; a cut
 * header sets ERR_TRUNC and stops parsing. One header stack (L2, L3, L4) is parsed into a struct layer, which is
 * then copied into the o_* (outer) or i_* (inner) fields of the record. */
#include "tapwatch/dissect.h"

#include <stdbool.h>
#include <string.h>

#include "mem_int.h"

#define ETH_IPV4 0x0800u
#define ETH_IPV6 0x86DDu
#define ETH_VLAN 0x8100u
#define ETH_QINQ 0x88A8u
#define ETH_QINQ_OLD 0x9100u
#define ETH_MPLS 0x8847u
#define ETH_MPLS_MC 0x8848u
#define ETH_TEB 0x6558u
#define GRE_ERSPAN12 0x88BEu
#define GRE_ERSPAN3 0x22EBu

#define MAX_VLAN 2u
#define MAX_MPLS 4u
#define MAX_IP6_EXT 4u
#define MAX_GTP_EXT 4u

/* What follows a header: where parsing continues. */
enum next { NX_STOP, NX_ETH, NX_MPLS, NX_IP_ANY, NX_IP4, NX_IP6 };

/* One header stack, the "hdr" layer of contracts/meta.def. */
struct layer {
    uint8_t l2;
    uint64_t dmac, smac;
    uint8_t vlan_n, vlan0_tpid, vlan1_tpid;
    uint16_t vlan0_tci, vlan1_tci;
    uint8_t mpls_n;
    uint32_t mpls0, mpls1, mpls2, mpls3;
    uint8_t mpls_cw;
    uint16_t ethertype;
    uint8_t ip_ver, ip_ihl, ip_tos;
    uint16_t ip_len, ip_id;
    uint8_t ip_df, ip_mf;
    uint16_t ip_fragoff;
    uint8_t ip_frag, ip_ttl, ip_proto, ip_csum_ok;
    uint32_t ip_flow;
    uint8_t ip_src[16], ip_dst[16];
    uint8_t ip6_ext_n, ip6_ext0, ip6_ext1, ip6_ext2, ip6_ext3, ip6_srh, ip6_segleft;
    uint32_t ip6_fragid;
    uint16_t l3_off, l3_hdrlen;
    uint8_t l3_head[16];
    uint8_t l3_head_n;
    uint8_t l4;
    uint16_t sport, dport;
    uint8_t tcp_flags;
    uint32_t tcp_seq;
    uint16_t udp_len;
    uint32_t sctp_vtag;
    uint8_t sctp_chunk, sctp_ppid_v;
    uint32_t sctp_ppid;
    uint8_t icmp_type, icmp_code;
};

/* The scalar members shared by struct layer and the o_/i_ fields of struct tw_meta. */
#define LAYER_SCALARS(X)                                                                                           \
    X(l2) X(dmac) X(smac) X(vlan_n) X(vlan0_tpid) X(vlan0_tci) X(vlan1_tpid) X(vlan1_tci) X(mpls_n) X(mpls0)       \
    X(mpls1) X(mpls2) X(mpls3) X(mpls_cw) X(ethertype) X(ip_ver) X(ip_ihl) X(ip_tos) X(ip_len) X(ip_id) X(ip_df)   \
    X(ip_mf) X(ip_fragoff) X(ip_frag) X(ip_ttl) X(ip_proto) X(ip_csum_ok) X(ip_flow) X(ip6_ext_n) X(ip6_ext0)     \
    X(ip6_ext1) X(ip6_ext2) X(ip6_ext3) X(ip6_srh) X(ip6_segleft) X(ip6_fragid) X(l3_off) X(l3_hdrlen)            \
    X(l3_head_n) X(l4) X(sport) X(dport) X(tcp_flags) X(tcp_seq) X(udp_len) X(sctp_vtag) X(sctp_chunk)            \
    X(sctp_ppid_v) X(sctp_ppid) X(icmp_type) X(icmp_code)

/* Where the IP header chain of a stack ended, for L4 and tunnel parsing. */
struct ipres {
    bool done;       /* the IP header chain was parsed completely */
    bool first_frag; /* offset 0: the IP payload starts with the upper-layer header */
    size_t pay_off;  /* frame offset of the IP payload */
};

struct ctx {
    const struct tw_dissect_cfg *cfg;
    const uint8_t *p;
    size_t win;  /* bytes the parser sees: min(L, hdr_bytes) */
    size_t flen; /* L */
    bool inner;  /* parsing the inner packet: errors also set ERR_INNER */
    struct tw_meta *m;
};

static bool have(const struct ctx *c, size_t off, size_t n)
{
    return n <= c->win && off <= c->win - n;
}

static uint8_t rd8(const struct ctx *c, size_t off)
{
    return c->p[off];
}

/* Big-endian fields: one unaligned load and a byte swap where the compiler knows the byte order (the same value as
 * assembling the bytes one by one, the portable fallback). */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static uint16_t rd16(const struct ctx *c, size_t off)
{
    uint16_t v;
    memcpy(&v, c->p + off, 2);
    return __builtin_bswap16(v);
}

static uint32_t rd32(const struct ctx *c, size_t off)
{
    uint32_t v;
    memcpy(&v, c->p + off, 4);
    return __builtin_bswap32(v);
}
#else
static uint16_t rd16(const struct ctx *c, size_t off)
{
    return (uint16_t)((unsigned)c->p[off] << 8 | c->p[off + 1]);
}

static uint32_t rd32(const struct ctx *c, size_t off)
{
    return (uint32_t)rd16(c, off) << 16 | rd16(c, off + 2);
}
#endif

static uint64_t rd48(const struct ctx *c, size_t off)
{
    return (uint64_t)rd16(c, off) << 32 | rd32(c, off + 2);
}

static void set_err(struct ctx *c, unsigned bit)
{
    c->m->err |= (uint16_t)(1u << bit);
    if (c->inner && bit >= TW_ERR_TRUNC && bit <= TW_ERR_DEEP)
        c->m->err |= (uint16_t)(1u << TW_ERR_INNER);
}

static bool is_tpid(unsigned t)
{
    return t == ETH_VLAN || t == ETH_QINQ || t == ETH_QINQ_OLD;
}

static uint8_t tpid_code(unsigned t)
{
    if (t == ETH_QINQ)
        return TW_TPID_88A8;
    if (t == ETH_QINQ_OLD)
        return TW_TPID_9100;
    return TW_TPID_8100;
}

/* MPLS label stack entries until S = 1 (at most 4), then the first nibble of what follows. */
static enum next parse_mpls(struct ctx *c, struct layer *L, size_t *off)
{
    for (;;) {
        if (L->mpls_n == MAX_MPLS) {
            set_err(c, TW_ERR_DEEP);
            return NX_STOP;
        }
        if (!have(c, *off, 4)) {
            set_err(c, TW_ERR_TRUNC);
            return NX_STOP;
        }
        uint32_t e = rd32(c, *off);
        switch (L->mpls_n) {
        case 0: L->mpls0 = e; break;
        case 1: L->mpls1 = e; break;
        case 2: L->mpls2 = e; break;
        default: L->mpls3 = e; break;
        }
        L->mpls_n++;
        *off += 4;
        if (e & 0x100u)
            break;
    }
    if (!have(c, *off, 1)) {
        set_err(c, TW_ERR_TRUNC);
        return NX_STOP;
    }
    switch (rd8(c, *off) >> 4) {
    case 4: return NX_IP4;
    case 6: return NX_IP6;
    case 0: L->mpls_cw = 1; return NX_STOP;
    default: return NX_STOP;
    }
}

/* Ethernet, up to two VLAN tags, MPLS. */
static enum next parse_eth(struct ctx *c, struct layer *L, size_t *off)
{
    if (!have(c, *off, 14)) {
        set_err(c, TW_ERR_TRUNC);
        return NX_STOP;
    }
    L->l2 = 1;
    L->dmac = rd48(c, *off);
    L->smac = rd48(c, *off + 6);
    unsigned type = rd16(c, *off + 12);
    L->ethertype = (uint16_t)type;
    *off += 14;
    while (is_tpid(type)) {
        if (L->vlan_n == MAX_VLAN) {
            set_err(c, TW_ERR_DEEP);
            return NX_STOP;
        }
        if (!have(c, *off, 4)) {
            set_err(c, TW_ERR_TRUNC);
            return NX_STOP;
        }
        if (L->vlan_n == 0) {
            L->vlan0_tpid = tpid_code(type);
            L->vlan0_tci = rd16(c, *off);
        } else {
            L->vlan1_tpid = tpid_code(type);
            L->vlan1_tci = rd16(c, *off);
        }
        L->vlan_n++;
        type = rd16(c, *off + 2);
        L->ethertype = (uint16_t)type;
        *off += 4;
    }
    if (type == ETH_MPLS || type == ETH_MPLS_MC)
        return parse_mpls(c, L, off);
    if (type == ETH_IPV4)
        return NX_IP4;
    if (type == ETH_IPV6)
        return NX_IP6;
    return NX_STOP;
}

/* l3_head: the next min(16, payload bytes per the length fields, bytes in the window) bytes. */
static void take_head(const struct ctx *c, struct layer *L, size_t pay_off, size_t pay_len)
{
    size_t n = pay_len < 16 ? pay_len : 16;
    size_t avail = pay_off < c->win ? c->win - pay_off : 0;
    if (n > avail)
        n = avail;
    if (n == 16)
        memcpy(L->l3_head, c->p + pay_off, 16); /* the usual case: a fixed-size copy the compiler inlines */
    else if (n > 0)
        memcpy(L->l3_head, c->p + pay_off, n);
    L->l3_head_n = (uint8_t)n;
}

static bool frame_bytes_from(const struct ctx *c, size_t off, size_t need)
{
    /* 1 when need bytes do not fit in the frame from off on */
    return need > c->flen || off > c->flen - need;
}

static void parse_ip4(struct ctx *c, struct layer *L, size_t off, struct ipres *r)
{
    if (!have(c, off, 1)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    uint8_t b0 = rd8(c, off);
    if (b0 >> 4 != 4) {
        set_err(c, TW_ERR_IPVER);
        return;
    }
    unsigned ihl = b0 & 0xFu;
    if (ihl < 5) {
        set_err(c, TW_ERR_IHL);
        return;
    }
    size_t hl = ihl * 4u;
    if (!have(c, off, hl)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    /* one's-complement sum of the header's 16-bit words, taken 32 bits at a time (hl is a multiple of 4) in the
     * CPU's byte order: the folded sum is congruent mod 0xFFFF and 0 only for an all-zero header, as the 16-bit
     * sum is, and swapping the bytes of every word multiplies the sum by 2^8 mod 0xFFFF, which keeps the one
     * value compared, 0xFFFF (residue 0, not all zero), in place: so the result is the same */
    uint64_t sum64 = 0;
    size_t i = 0;
    for (; i + 8 <= hl; i += 8) {
        uint64_t w;
        memcpy(&w, c->p + off + i, 8);
        sum64 += (w & 0xFFFFFFFFu) + (w >> 32);
    }
    if (i < hl) {
        uint32_t w;
        memcpy(&w, c->p + off + i, 4);
        sum64 += w;
    }
    while (sum64 >> 16)
        sum64 = (sum64 & 0xFFFFu) + (sum64 >> 16);
    uint32_t sum = (uint32_t)sum64;
    unsigned total = rd16(c, off + 2);
    unsigned fl = rd16(c, off + 6);
    L->ip_ver = 4;
    L->ip_ihl = (uint8_t)ihl;
    L->ip_tos = rd8(c, off + 1);
    L->ip_len = (uint16_t)total;
    L->ip_id = rd16(c, off + 4);
    L->ip_df = (fl >> 14) & 1u;
    L->ip_mf = (fl >> 13) & 1u;
    L->ip_fragoff = (uint16_t)(fl & 0x1FFFu);
    L->ip_frag = L->ip_mf || L->ip_fragoff;
    L->ip_ttl = rd8(c, off + 8);
    L->ip_proto = rd8(c, off + 9);
    L->ip_csum_ok = sum == 0xFFFFu;
    memcpy(L->ip_src + 12, c->p + off + 12, 4);
    memcpy(L->ip_dst + 12, c->p + off + 16, 4);
    L->l3_off = (uint16_t)off;
    L->l3_hdrlen = (uint16_t)hl;
    if (!L->ip_csum_ok)
        set_err(c, TW_ERR_CSUM);
    if (total < hl || frame_bytes_from(c, off, total))
        set_err(c, TW_ERR_IPLEN);
    take_head(c, L, off + hl, total > hl ? total - hl : 0);
    r->done = true;
    r->first_frag = L->ip_fragoff == 0;
    r->pay_off = off + hl;
}

static bool is_ip6_ext(unsigned nh)
{
    return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

static void parse_ip6(struct ctx *c, struct layer *L, size_t off, struct ipres *r)
{
    if (!have(c, off, 1)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    if (rd8(c, off) >> 4 != 6) {
        set_err(c, TW_ERR_IPVER);
        return;
    }
    if (!have(c, off, 40)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    uint32_t w0 = rd32(c, off);
    unsigned plen = rd16(c, off + 4);
    unsigned nh = rd8(c, off + 6);
    L->ip_ver = 6;
    L->ip_tos = (uint8_t)(w0 >> 20);
    L->ip_flow = w0 & 0xFFFFFu;
    L->ip_len = (uint16_t)plen;
    L->ip_ttl = rd8(c, off + 7);
    L->ip_proto = (uint8_t)nh;
    memcpy(L->ip_src, c->p + off + 8, 16);
    memcpy(L->ip_dst, c->p + off + 24, 16);
    L->l3_off = (uint16_t)off;
    L->l3_hdrlen = 40;
    if (frame_bytes_from(c, off, 40u + plen))
        set_err(c, TW_ERR_IPLEN);
    size_t hl = 40;
    while (is_ip6_ext(nh)) {
        if (L->ip6_ext_n == MAX_IP6_EXT) {
            set_err(c, TW_ERR_DEEP);
            return;
        }
        size_t e = off + hl, elen;
        if (nh == 44) {
            elen = 8;
        } else {
            if (!have(c, e, 2)) {
                set_err(c, TW_ERR_TRUNC);
                return;
            }
            elen = nh == 51 ? ((size_t)rd8(c, e + 1) + 2) * 4 : ((size_t)rd8(c, e + 1) + 1) * 8;
        }
        if (!have(c, e, elen)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        switch (L->ip6_ext_n) {
        case 0: L->ip6_ext0 = (uint8_t)nh; break;
        case 1: L->ip6_ext1 = (uint8_t)nh; break;
        case 2: L->ip6_ext2 = (uint8_t)nh; break;
        default: L->ip6_ext3 = (uint8_t)nh; break;
        }
        L->ip6_ext_n++;
        if (nh == 43 && rd8(c, e + 2) == 4) {
            L->ip6_srh = 1;
            L->ip6_segleft = rd8(c, e + 3);
        }
        if (nh == 44) {
            unsigned fo = rd16(c, e + 2);
            L->ip_fragoff = (uint16_t)(fo >> 3);
            L->ip_mf = fo & 1u;
            L->ip_frag = L->ip_mf || L->ip_fragoff;
            L->ip6_fragid = rd32(c, e + 4);
        }
        nh = rd8(c, e);
        hl += elen;
        L->ip_proto = (uint8_t)nh;
        L->l3_hdrlen = (uint16_t)hl;
    }
    size_t ext = hl - 40;
    take_head(c, L, off + hl, plen > ext ? plen - ext : 0);
    r->done = true;
    r->first_frag = L->ip_fragoff == 0;
    r->pay_off = off + hl;
}

/* The L4 header at off (first fragments and unfragmented packets only). */
static void parse_l4(struct ctx *c, struct layer *L, size_t off)
{
    switch (L->ip_proto) {
    case 6:
        if (!have(c, off, 20)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        L->sport = rd16(c, off);
        L->dport = rd16(c, off + 2);
        L->tcp_seq = rd32(c, off + 4);
        L->tcp_flags = rd8(c, off + 13);
        break;
    case 17:
        if (!have(c, off, 8)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        L->sport = rd16(c, off);
        L->dport = rd16(c, off + 2);
        L->udp_len = rd16(c, off + 4);
        break;
    case 132:
        if (!have(c, off, 12)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        L->sport = rd16(c, off);
        L->dport = rd16(c, off + 2);
        L->sctp_vtag = rd32(c, off + 4);
        if (have(c, off + 12, 4)) {
            L->sctp_chunk = rd8(c, off + 12);
            if (L->sctp_chunk == 0 && have(c, off + 12, 16)) {
                L->sctp_ppid_v = 1;
                L->sctp_ppid = rd32(c, off + 24);
            }
        }
        break;
    case 1:
    case 58:
        if (!have(c, off, 4)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        L->icmp_type = rd8(c, off);
        L->icmp_code = rd8(c, off + 1);
        break;
    default:
        return;
    }
    L->l4 = 1;
}

/* One header stack from off, starting with the header kind `start`. */
static void parse_stack(struct ctx *c, struct layer *L, size_t off, enum next start, struct ipres *r)
{
    memset(r, 0, sizeof *r);
    enum next nx = start;
    if (nx == NX_ETH)
        nx = parse_eth(c, L, &off);
    else if (nx == NX_MPLS)
        nx = parse_mpls(c, L, &off);
    if (nx == NX_IP_ANY) {
        if (!have(c, off, 1)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        unsigned v = rd8(c, off) >> 4;
        if (v == 4) {
            nx = NX_IP4;
        } else if (v == 6) {
            nx = NX_IP6;
        } else {
            set_err(c, TW_ERR_IPVER);
            return;
        }
    }
    if (nx == NX_IP4)
        parse_ip4(c, L, off, r);
    else if (nx == NX_IP6)
        parse_ip6(c, L, off, r);
    if (r->done && r->first_frag)
        parse_l4(c, L, r->pay_off);
}

#define TO_OUTER(f) m->o_##f = L->f;
#define TO_INNER(f) m->i_##f = L->f;

static void store_outer(struct tw_meta *m, const struct layer *L)
{
    LAYER_SCALARS(TO_OUTER)
    memcpy(m->o_ip_src, L->ip_src, 16);
    memcpy(m->o_ip_dst, L->ip_dst, 16);
    memcpy(m->o_l3_head, L->l3_head, 16);
}

static void store_inner(struct tw_meta *m, const struct layer *L)
{
    LAYER_SCALARS(TO_INNER)
    memcpy(m->i_ip_src, L->ip_src, 16);
    memcpy(m->i_ip_dst, L->ip_dst, 16);
    memcpy(m->i_l3_head, L->l3_head, 16);
}

/* The inner packet or frame at off: same L2/L3/L4 rules, no tunnels, errors also set ERR_INNER. */
static void parse_inner(struct ctx *c, size_t off, enum next start)
{
    struct layer L;
    struct ipres r;
    tw_zero(&L, sizeof L);
    c->inner = true;
    parse_stack(c, &L, off, start, &r);
    c->inner = false;
    store_inner(c->m, &L);
    c->m->inner = L.l2 || L.mpls_n || L.ip_ver;
}

static void trunc_tunnel(struct ctx *c)
{
    set_err(c, TW_ERR_TRUNC);
}

/* GRE version 0 at g, with ERSPAN I/II/III and transparent Ethernet bridging. */
static void parse_gre(struct ctx *c, size_t g)
{
    struct tw_meta *m = c->m;
    if (!have(c, g, 4)) {
        trunc_tunnel(c);
        return;
    }
    unsigned fl = rd16(c, g), proto = rd16(c, g + 2);
    if ((fl & 7u) != 0)
        return;
    bool C = fl & 0x8000u, K = fl & 0x2000u, S = fl & 0x1000u;
    if (proto == GRE_ERSPAN12)
        m->tun_kind = S ? TW_TUN_ERSPAN2 : TW_TUN_ERSPAN1;
    else if (proto == GRE_ERSPAN3)
        m->tun_kind = TW_TUN_ERSPAN3;
    else if (proto == ETH_TEB)
        m->tun_kind = TW_TUN_GRETEB;
    else
        m->tun_kind = TW_TUN_GRE;
    m->gre_flags = (uint16_t)fl;
    m->gre_proto = (uint16_t)proto;
    size_t hl = 4 + (C ? 4u : 0u) + (K ? 4u : 0u) + (S ? 4u : 0u);
    if (!have(c, g, hl)) {
        trunc_tunnel(c);
        return;
    }
    size_t o = g + 4 + (C ? 4u : 0u);
    if (K) {
        m->tun_id_v = 1;
        m->tun_id = rd32(c, o);
        o += 4;
    }
    if (S)
        m->gre_seq = rd32(c, o);
    size_t e = g + hl;
    switch (m->tun_kind) {
    case TW_TUN_ERSPAN1:
    case TW_TUN_GRETEB:
        parse_inner(c, e, NX_ETH);
        return;
    case TW_TUN_ERSPAN2:
        if (!have(c, e, 8)) {
            trunc_tunnel(c);
            return;
        }
        m->erspan_vlan = rd16(c, e) & 0xFFFu;
        m->erspan_cos = rd8(c, e + 2) >> 5;
        m->tun_id_v = 1;
        m->tun_id = rd16(c, e + 2) & 0x3FFu;
        m->erspan_idx = rd32(c, e + 4) & 0xFFFFFu;
        parse_inner(c, e + 8, NX_ETH);
        return;
    case TW_TUN_ERSPAN3: {
        if (!have(c, e, 12)) {
            trunc_tunnel(c);
            return;
        }
        unsigned w = rd16(c, e + 10);
        m->erspan_vlan = rd16(c, e) & 0xFFFu;
        m->erspan_cos = rd8(c, e + 2) >> 5;
        m->tun_id_v = 1;
        m->tun_id = rd16(c, e + 2) & 0x3FFu;
        m->erspan_ts = rd32(c, e + 4);
        m->erspan_ft = (w >> 10) & 0x1Fu;
        size_t el = (w & 1u) ? 20 : 12;
        if (!have(c, e, el)) {
            trunc_tunnel(c);
            return;
        }
        if (m->erspan_ft == 0)
            parse_inner(c, e + el, NX_ETH);
        else if (m->erspan_ft == 2)
            parse_inner(c, e + el, NX_IP_ANY);
        return;
    }
    default:
        break;
    }
    if (proto == ETH_IPV4)
        parse_inner(c, e, NX_IP4);
    else if (proto == ETH_IPV6)
        parse_inner(c, e, NX_IP6);
    else if (proto == ETH_MPLS)
        parse_inner(c, e, NX_MPLS);
}

static void parse_vxlan(struct ctx *c, size_t v)
{
    c->m->tun_kind = TW_TUN_VXLAN;
    if (!have(c, v, 8)) {
        trunc_tunnel(c);
        return;
    }
    c->m->tun_id_v = 1;
    c->m->tun_id = rd32(c, v + 4) >> 8;
    parse_inner(c, v + 8, NX_ETH);
}

static void parse_geneve(struct ctx *c, size_t g)
{
    struct tw_meta *m = c->m;
    m->tun_kind = TW_TUN_GENEVE;
    if (!have(c, g, 8)) {
        trunc_tunnel(c);
        return;
    }
    unsigned opt = rd8(c, g) & 0x3Fu, proto = rd16(c, g + 2);
    m->geneve_opt = (uint8_t)opt;
    m->tun_id_v = 1;
    m->tun_id = rd32(c, g + 4) >> 8;
    size_t hl = 8 + opt * 4u;
    if (!have(c, g, hl)) {
        trunc_tunnel(c);
        return;
    }
    if (proto == ETH_TEB)
        parse_inner(c, g + hl, NX_ETH);
    else if (proto == ETH_IPV4)
        parse_inner(c, g + hl, NX_IP4);
    else if (proto == ETH_IPV6)
        parse_inner(c, g + hl, NX_IP6);
}

static void parse_gtpu(struct ctx *c, size_t g)
{
    struct tw_meta *m = c->m;
    if (!have(c, g, 1)) {
        trunc_tunnel(c);
        return;
    }
    unsigned fl = rd8(c, g);
    if (fl >> 5 != 1 || !(fl & 0x10u))
        return;
    m->tun_kind = TW_TUN_GTPU;
    if (!have(c, g, 8)) {
        trunc_tunnel(c);
        return;
    }
    m->gtp_flags = (uint8_t)fl;
    m->gtp_type = rd8(c, g + 1);
    m->tun_id_v = 1;
    m->tun_id = rd32(c, g + 4);
    size_t hl = 8;
    unsigned next = 0;
    if (fl & 7u) {
        if (!have(c, g, 12)) {
            trunc_tunnel(c);
            return;
        }
        m->gtp_seq = rd16(c, g + 8);
        next = (fl & 4u) ? rd8(c, g + 11) : 0;
        hl = 12;
    }
    while (next != 0) {
        if (m->gtp_ext_n == MAX_GTP_EXT) {
            set_err(c, TW_ERR_DEEP);
            return;
        }
        size_t e = g + hl;
        if (!have(c, e, 1)) {
            trunc_tunnel(c);
            return;
        }
        size_t elen = (size_t)rd8(c, e) * 4;
        if (elen == 0)
            return; /* malformed: a zero-length extension header ends parsing (docs/parser.md) */
        if (!have(c, e, elen)) {
            trunc_tunnel(c);
            return;
        }
        if (next == 0x85) {
            m->gtp_qfi_v = 1;
            m->gtp_pdu_dir = rd8(c, e + 1) >> 4;
            m->gtp_qfi = rd8(c, e + 2) & 0x3Fu;
        }
        m->gtp_ext_n++;
        next = rd8(c, e + elen - 1);
        hl += elen;
    }
    if (m->gtp_type == 255)
        parse_inner(c, g + hl, NX_IP_ANY);
}

static void parse_tzsp(struct ctx *c, size_t t)
{
    struct tw_meta *m = c->m;
    if (!have(c, t, 1)) {
        trunc_tunnel(c);
        return;
    }
    if (rd8(c, t) != 1)
        return;
    m->tun_kind = TW_TUN_TZSP;
    if (!have(c, t, 4)) {
        trunc_tunnel(c);
        return;
    }
    m->tzsp_type = rd8(c, t + 1);
    m->tzsp_encap = rd16(c, t + 2);
    size_t o = t + 4;
    for (;;) {
        if (!have(c, o, 1)) {
            trunc_tunnel(c);
            return;
        }
        unsigned tag = rd8(c, o);
        if (tag == 1) {
            o++;
            break;
        }
        if (tag == 0) {
            o++;
            continue;
        }
        if (!have(c, o, 2)) {
            trunc_tunnel(c);
            return;
        }
        o += 2 + (size_t)rd8(c, o + 1);
    }
    if (m->tzsp_encap == 1)
        parse_inner(c, o, NX_ETH);
}

static void parse_l2tpv3(struct ctx *c, size_t l)
{
    struct tw_meta *m = c->m;
    if (!have(c, l, 4)) {
        trunc_tunnel(c);
        return;
    }
    uint32_t sess = rd32(c, l);
    if (sess == 0)
        return;
    m->tun_kind = TW_TUN_L2TPV3;
    m->tun_id_v = 1;
    m->tun_id = sess;
    size_t hl = 4 + (size_t)c->cfg->l2tp_cookie;
    if (!have(c, l, hl)) {
        trunc_tunnel(c);
        return;
    }
    parse_inner(c, l + hl, NX_ETH);
}

static bool is_udp_tunnel_port(unsigned p)
{
    return p == 4789 || p == 8472 || p == 6081 || p == 2152 || p == 37008;
}

/* Tunnels of the outer packet, one level. */
static void parse_tunnel(struct ctx *c, const struct layer *o, const struct ipres *r)
{
    if (!r->done || !r->first_frag)
        return;
    size_t pay = r->pay_off;
    switch (o->ip_proto) {
    case 47:
        parse_gre(c, pay);
        return;
    case 4:
    case 41:
        c->m->tun_kind = TW_TUN_IPIP;
        parse_inner(c, pay, o->ip_proto == 4 ? NX_IP4 : NX_IP6);
        return;
    case 115:
        parse_l2tpv3(c, pay);
        return;
    case 17:
        break;
    default:
        return;
    }
    if (!o->l4)
        return;
    unsigned port = is_udp_tunnel_port(o->dport) ? o->dport : is_udp_tunnel_port(o->sport) ? o->sport : 0;
    size_t u = pay + 8;
    switch (port) {
    case 4789:
    case 8472: parse_vxlan(c, u); break;
    case 6081: parse_geneve(c, u); break;
    case 2152: parse_gtpu(c, u); break;
    case 37008: parse_tzsp(c, u); break;
    default: break;
    }
}

void tw_dissect_cfg_default(struct tw_dissect_cfg *cfg)
{
    cfg->hdr_bytes = 256;
    cfg->mtu = 9600;
    cfg->l2tp_cookie = 0;
}

void tw_dissect(const struct tw_dissect_cfg *cfg, const uint8_t *frame, size_t len, int tuser, uint64_t ts_ns,
                unsigned port, uint32_t fseq, struct tw_meta *out)
{
    struct tw_dissect_cfg def;
    tw_zero(out, sizeof *out);
    if (!cfg) {
        tw_dissect_cfg_default(&def);
        cfg = &def;
    }
    if (!frame)
        len = 0;
    out->ts = ts_ns;
    out->len = len > 0xFFFFu ? 0xFFFFu : (uint16_t)len;
    out->port = port & 1u;
    out->fseq = fseq;
    struct ctx c = {
        .cfg = cfg,
        .p = frame,
        .win = len < cfg->hdr_bytes ? len : cfg->hdr_bytes,
        .flen = len,
        .inner = false,
        .m = out,
    };
    if (len < 60)
        set_err(&c, TW_ERR_RUNT);
    if (len > cfg->mtu)
        set_err(&c, TW_ERR_GIANT);
    if (tuser)
        set_err(&c, TW_ERR_MACBAD);
    struct layer L;
    struct ipres r;
    tw_zero(&L, sizeof L);
    parse_stack(&c, &L, 0, NX_ETH, &r);
    store_outer(out, &L);
    parse_tunnel(&c, &L, &r);
}
