/* struct tw_meta -> one JSON object (see tapwatch/meta_json.h and docs/sim.md for the keys). */
#include "tapwatch/meta_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
    char *buf;
    size_t n, pos;
    int full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(o->buf + o->pos, o->n - o->pos, fmt, ap);
    va_end(ap);
    if (r < 0 || (size_t)r >= o->n - o->pos) {
        o->full = 1;
        return;
    }
    o->pos += (size_t)r;
}

/* One header stack (outer or inner) viewed through the same names. */
struct layer {
    unsigned l2, vlan_n, mpls_n, ip_ver, ip_proto, ip_ttl, ip_id, ip_frag, l4, sport, dport, tcp_flags;
    unsigned ppid_v;
    uint64_t dmac, smac;
    uint16_t tci[2];
    uint32_t mpls[4], ppid;
    const uint8_t *src, *dst;
};

#define LAYER_FROM(L, m, p)                                                                                        \
    do {                                                                                                           \
        (L).l2 = (m)->p##l2;                                                                                       \
        (L).dmac = (m)->p##dmac;                                                                                   \
        (L).smac = (m)->p##smac;                                                                                   \
        (L).vlan_n = (m)->p##vlan_n;                                                                               \
        (L).tci[0] = (m)->p##vlan0_tci;                                                                            \
        (L).tci[1] = (m)->p##vlan1_tci;                                                                            \
        (L).mpls_n = (m)->p##mpls_n;                                                                               \
        (L).mpls[0] = (m)->p##mpls0;                                                                               \
        (L).mpls[1] = (m)->p##mpls1;                                                                               \
        (L).mpls[2] = (m)->p##mpls2;                                                                               \
        (L).mpls[3] = (m)->p##mpls3;                                                                               \
        (L).ip_ver = (m)->p##ip_ver;                                                                               \
        (L).src = (m)->p##ip_src;                                                                                  \
        (L).dst = (m)->p##ip_dst;                                                                                  \
        (L).ip_proto = (m)->p##ip_proto;                                                                           \
        (L).ip_ttl = (m)->p##ip_ttl;                                                                               \
        (L).ip_id = (m)->p##ip_id;                                                                                 \
        (L).ip_frag = (m)->p##ip_frag;                                                                             \
        (L).l4 = (m)->p##l4;                                                                                       \
        (L).sport = (m)->p##sport;                                                                                 \
        (L).dport = (m)->p##dport;                                                                                 \
        (L).tcp_flags = (m)->p##tcp_flags;                                                                         \
        (L).ppid_v = (m)->p##sctp_ppid_v;                                                                          \
        (L).ppid = (m)->p##sctp_ppid;                                                                              \
    } while (0)

static void put_mac(struct out *o, const char *key, uint64_t v)
{
    put(o, ",\"%s\":\"%02x:%02x:%02x:%02x:%02x:%02x\"", key, (unsigned)(v >> 40) & 0xFF,
        (unsigned)(v >> 32) & 0xFF, (unsigned)(v >> 24) & 0xFF, (unsigned)(v >> 16) & 0xFF,
        (unsigned)(v >> 8) & 0xFF, (unsigned)v & 0xFF);
}

static void put_ip(struct out *o, const char *key, unsigned ver, const uint8_t *a)
{
    char txt[INET6_ADDRSTRLEN];
    const char *r = ver == 4 ? inet_ntop(AF_INET, a + 12, txt, sizeof txt) : inet_ntop(AF_INET6, a, txt, sizeof txt);
    if (r)
        put(o, ",\"%s\":\"%s\"", key, txt);
}

/* The L2..L4 keys of one layer; each starts with a comma. */
static void put_layer(struct out *o, const struct layer *L)
{
    if (L->l2) {
        put_mac(o, "eth.src", L->smac);
        put_mac(o, "eth.dst", L->dmac);
    }
    if (L->vlan_n) {
        put(o, ",\"vlan\":[");
        for (unsigned i = 0; i < L->vlan_n && i < 2; i++)
            put(o, "%s%u", i ? "," : "", L->tci[i] & 0xFFFu);
        put(o, "]");
    }
    if (L->mpls_n) {
        put(o, ",\"mpls\":[");
        for (unsigned i = 0; i < L->mpls_n && i < 4; i++)
            put(o, "%s%" PRIu32, i ? "," : "", L->mpls[i] >> 12);
        put(o, "]");
    }
    if (L->ip_ver == 4 || L->ip_ver == 6) {
        put(o, ",\"ip.ver\":%u", L->ip_ver);
        put_ip(o, "ip.src", L->ip_ver, L->src);
        put_ip(o, "ip.dst", L->ip_ver, L->dst);
        put(o, ",\"ip.proto\":%u,\"ip.ttl\":%u", L->ip_proto, L->ip_ttl);
        if (L->ip_ver == 4)
            put(o, ",\"ip.id\":%u", L->ip_id);
        if (L->ip_frag)
            put(o, ",\"ip.frag\":true");
        if (L->l4 && (L->ip_proto == 6 || L->ip_proto == 17 || L->ip_proto == 132))
            put(o, ",\"l4.sport\":%u,\"l4.dport\":%u", L->sport, L->dport);
        if (L->l4 && L->ip_proto == 6)
            put(o, ",\"tcp.flags\":%u", L->tcp_flags);
        if (L->l4 && L->ip_proto == 132 && L->ppid_v)
            put(o, ",\"sctp.ppid\":%" PRIu32, L->ppid);
    }
}

int tw_meta_json(const struct tw_meta *m, uint64_t pcap_cnt, char *buf, size_t n)
{
    if (!m || !buf || n == 0)
        return -EINVAL;
    struct out o = {buf, n, 0, 0};
    buf[0] = '\0';
    /* every key after the first is written with a leading comma: start with the unconditional "port" */
    if (pcap_cnt)
        put(&o, "{\"pcap_cnt\":%" PRIu64 ",\"port\":\"%c\"", pcap_cnt, m->port ? 'B' : 'A');
    else
        put(&o, "{\"port\":\"%c\"", m->port ? 'B' : 'A');
    put(&o, ",\"len\":%u", (unsigned)m->len);
    struct layer L;
    LAYER_FROM(L, m, o_);
    put_layer(&o, &L);
    if (m->tun_kind) {
        const char *t = tw_tunnel_name(m->tun_kind);
        if (t)
            put(&o, ",\"tunnel\":\"%s\"", t);
        else
            put(&o, ",\"tunnel\":%u", (unsigned)m->tun_kind);
        if (m->tun_id_v)
            put(&o, ",\"tunnel.id\":%" PRIu32, m->tun_id);
        if (m->gtp_qfi_v)
            put(&o, ",\"gtp.qfi\":%u", (unsigned)m->gtp_qfi);
    }
    if (m->inner) {
        LAYER_FROM(L, m, i_);
        put(&o, ",\"inner\":{");
        size_t at = o.pos;
        put_layer(&o, &L);
        if (!o.full && o.pos > at) /* drop the leading comma of the first inner key */
            memmove(buf + at, buf + at + 1, o.pos - at);
        if (!o.full && o.pos > at)
            o.pos--;
        put(&o, "}");
    }
    if (m->err) {
        put(&o, ",\"err\":[");
        int first = 1;
        for (unsigned b = 0; b < 16; b++) {
            if (!((m->err >> b) & 1u))
                continue;
            const char *e = tw_err_name(b);
            if (e)
                put(&o, "%s\"%s\"", first ? "" : ",", e);
            else
                put(&o, "%s\"bit%u\"", first ? "" : ",", b);
            first = 0;
        }
        put(&o, "]");
    }
    put(&o, "}");
    if (o.full)
        return -ENOSPC;
    return (int)o.pos;
}
