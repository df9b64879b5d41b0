/* The C reference dissector: docs/parser.md, to the letter, from frame bytes to struct tw_meta.
 *
 * Every read goes through have()/rd*() against the parser window (the first min(L, hdr_bytes) bytes), so any
 * frame, however malformed, is safe. A header contributes its fields only when all of it is in the window; a cut
 * header sets ERR_TRUNC and stops parsing. One header stack (L2, L3, L4) is parsed straight into the o_* (outer)
 * or i_* (inner) fields of the record: the parsers of dissect_layer.h, compiled once for each. */
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

static bool frame_bytes_from(const struct ctx *c, size_t off, size_t need)
{
    /* 1 when need bytes do not fit in the frame from off on */
    return need > c->flen || off > c->flen - need;
}

static bool is_ip6_ext(unsigned nh)
{
    return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

/* The outer and the inner header stack (dissect_layer.h). */
#define LF(f) c->m->o_##f
#define LN(name) name##_o
#include "dissect_layer.h"
#undef LF
#undef LN
#define LF(f) c->m->i_##f
#define LN(name) name##_i
#include "dissect_layer.h"
#undef LF
#undef LN

/* The inner packet or frame at off: same L2/L3/L4 rules, no tunnels, errors also set ERR_INNER. */
static void parse_inner(struct ctx *c, size_t off, enum next start)
{
    struct ipres r;
    c->inner = true;
    parse_stack_i(c, off, start, &r); /* into the i_ fields, zero until now */
    c->inner = false;
    c->m->inner = c->m->i_l2 || c->m->i_mpls_n || c->m->i_ip_ver;
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
static void parse_tunnel(struct ctx *c, const struct ipres *r)
{
    if (!r->done || !r->first_frag)
        return;
    size_t pay = r->pay_off;
    const struct tw_meta *o = c->m;
    switch (o->o_ip_proto) {
    case 47:
        parse_gre(c, pay);
        return;
    case 4:
    case 41:
        c->m->tun_kind = TW_TUN_IPIP;
        parse_inner(c, pay, o->o_ip_proto == 4 ? NX_IP4 : NX_IP6);
        return;
    case 115:
        parse_l2tpv3(c, pay);
        return;
    case 17:
        break;
    default:
        return;
    }
    if (!o->o_l4)
        return;
    unsigned port = is_udp_tunnel_port(o->o_dport) ? o->o_dport : is_udp_tunnel_port(o->o_sport) ? o->o_sport : 0;
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
    struct ipres r;
    parse_stack_o(&c, 0, NX_ETH, &r);
    parse_tunnel(&c, &r);
}
