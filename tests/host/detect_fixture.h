/* Shared helpers of the detector tests: metadata records and compiled tables built by hand, and a sink that
 * collects what the detector emits. Header-only (each test program includes it once). */
#ifndef TAPWATCH_TEST_DETECT_FIXTURE_H
#define TAPWATCH_TEST_DETECT_FIXTURE_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tapwatch/detect.h"
#include "tapwatch/error.h"
#include "tapwatch/tables.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define T0 (1700000000ull * SEC)

static inline void fx_v4(uint8_t a[16], uint32_t ip)
{
    memset(a, 0, 16);
    a[12] = (uint8_t)(ip >> 24);
    a[13] = (uint8_t)(ip >> 16);
    a[14] = (uint8_t)(ip >> 8);
    a[15] = (uint8_t)ip;
}

/* An Ethernet + IPv4 frame's record: 10.x addresses as 32-bit host-order numbers. */
static inline struct tw_meta fx_ip4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t sp, uint16_t dp, uint64_t ts)
{
    struct tw_meta m;
    memset(&m, 0, sizeof m);
    m.ts = ts;
    m.len = 100;
    m.o_l2 = 1;
    m.o_smac = 0x020000000001ull;
    m.o_dmac = 0x020000000002ull;
    m.o_ethertype = 0x0800;
    m.o_ip_ver = 4;
    m.o_ip_ihl = 5;
    m.o_ip_ttl = 64;
    m.o_ip_proto = proto;
    m.o_ip_len = 86;
    m.o_ip_id = 0x1234;
    m.o_ip_csum_ok = 1;
    m.o_l3_off = 14;
    m.o_l3_hdrlen = 20;
    fx_v4(m.o_ip_src, src);
    fx_v4(m.o_ip_dst, dst);
    for (int i = 0; i < 16; i++)
        m.o_l3_head[i] = (uint8_t)(0xA0 + i);
    m.o_l3_head_n = 16;
    if (proto == 6 || proto == 17 || proto == 132) {
        m.o_l4 = 1;
        m.o_sport = sp;
        m.o_dport = dp;
    }
    return m;
}

/* Makes m a tunnelled frame (kind, id) whose inner packet is the outer layer of in. */
static inline void fx_tunnel(struct tw_meta *m, unsigned kind, uint32_t id, const struct tw_meta *in)
{
    m->tun_kind = (uint8_t)kind;
    m->tun_id_v = 1;
    m->tun_id = id;
    m->inner = 1;
    m->i_l2 = in->o_l2;
    m->i_smac = in->o_smac;
    m->i_dmac = in->o_dmac;
    m->i_vlan_n = in->o_vlan_n;
    m->i_vlan0_tci = in->o_vlan0_tci;
    m->i_vlan1_tci = in->o_vlan1_tci;
    m->i_ethertype = in->o_ethertype;
    m->i_ip_ver = in->o_ip_ver;
    m->i_ip_ihl = in->o_ip_ihl;
    m->i_ip_tos = in->o_ip_tos;
    m->i_ip_len = in->o_ip_len;
    m->i_ip_id = in->o_ip_id;
    m->i_ip_ttl = in->o_ip_ttl;
    m->i_ip_proto = in->o_ip_proto;
    m->i_ip_csum_ok = in->o_ip_csum_ok;
    m->i_ip_flow = in->o_ip_flow;
    memcpy(m->i_ip_src, in->o_ip_src, 16);
    memcpy(m->i_ip_dst, in->o_ip_dst, 16);
    m->i_l3_off = 64;
    m->i_l3_hdrlen = in->o_l3_hdrlen;
    memcpy(m->i_l3_head, in->o_l3_head, 16);
    m->i_l3_head_n = in->o_l3_head_n;
    m->i_l4 = in->o_l4;
    m->i_sport = in->o_sport;
    m->i_dport = in->o_dport;
    m->i_tcp_flags = in->o_tcp_flags;
    m->len = (uint16_t)(m->len + in->len);
}

/* ---- tables ---- */
static inline struct tw_rule_entry *fx_rule(struct tw_tables *t, uint32_t sid)
{
    unsigned i = t->settings.n_rules++;
    struct tw_rule_entry *r = &t->rule[i];
    memset(r, 0, sizeof *r);
    r->valid = 1;
    r->action = TW_ACT_ALERT;
    r->sid = sid;
    r->rev = 1;
    r->gid = 1;
    r->prio = 2;
    snprintf(t->info[i].msg, sizeof t->info[i].msg, "rule %u", (unsigned)sid);
    return r;
}

/* Adds a prefix (text address) to address set `set`; returns the set. */
static inline unsigned fx_prefix(struct tw_tables *t, const char *addr, unsigned len, unsigned set)
{
    struct tw_prefix_entry *e = &t->prefix[t->settings.n_prefixes++];
    memset(e, 0, sizeof *e);
    e->valid = 1;
    if (strchr(addr, ':')) {
        e->v6 = 1;
        inet_pton(AF_INET6, addr, e->addr);
    } else {
        inet_pton(AF_INET, addr, e->addr + 12);
    }
    e->len = (uint8_t)len;
    e->sets = 1u << set;
    if (set + 1 > t->settings.n_addr_sets)
        t->settings.n_addr_sets = (uint8_t)(set + 1);
    return set;
}

static inline unsigned fx_ports(struct tw_tables *t, unsigned lo, unsigned hi, unsigned set)
{
    struct tw_port_entry *e = &t->port[t->settings.n_port_ranges++];
    e->valid = 1;
    e->lo = (uint16_t)lo;
    e->hi = (uint16_t)hi;
    e->sets = (uint16_t)(1u << set);
    if (set + 1 > t->settings.n_port_sets)
        t->settings.n_port_sets = (uint8_t)(set + 1);
    return set;
}

/* Places an OUI in vendor set `set` (named name) into its way-0 bucket. */
static inline void fx_oui(struct tw_tables *t, uint32_t oui, unsigned set, const char *name)
{
    unsigned nb = t->settings.oui_buckets;
    unsigned b = tw_oui_hash(oui, 0, nb);
    for (unsigned s = 0; s < TW_OUI_SLOTS; s++) {
        struct tw_oui_entry *e = &t->oui[(0 * nb + b) * TW_OUI_SLOTS + s];
        if (!e->valid) {
            e->valid = 1;
            e->oui = oui;
            e->vset = (uint8_t)(1u << set);
            t->settings.n_oui++;
            break;
        }
    }
    if (set + 1 > t->settings.n_vendor_sets)
        t->settings.n_vendor_sets = (uint8_t)(set + 1);
    snprintf(t->vendor[set].name, sizeof t->vendor[set].name, "%s", name);
    t->vendor[set].n_oui++;
}

/* ---- sink ---- */
#define FX_MAX 512
struct fx_alert {
    unsigned rule;
    uint64_t pcap_cnt, flow_id;
    int inner, mc;
};
struct fx_sink {
    unsigned na, nf;
    struct fx_alert a[FX_MAX];
    struct tw_flow_rec f[FX_MAX];
};

static inline void fx_on_alert(void *ctx, const struct tw_det_alert *a)
{
    struct fx_sink *s = ctx;
    if (s->na < FX_MAX)
        s->a[s->na++] = (struct fx_alert){a->rule, a->pcap_cnt, a->flow_id, a->inner, a->mirror_copy};
}

static inline void fx_on_flow(void *ctx, const struct tw_flow_rec *f)
{
    struct fx_sink *s = ctx;
    if (s->nf < FX_MAX)
        s->f[s->nf++] = *f;
}

static inline struct tw_detect_sink fx_sink_of(struct fx_sink *s)
{
    memset(s, 0, sizeof *s);
    return (struct tw_detect_sink){.ctx = s, .alert = fx_on_alert, .flow = fx_on_flow};
}

/* Default test parameters: reference geometry, no rate limit. */
static inline struct tw_detect_params fx_params(void)
{
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    p.rate_per_s = 0;
    return p;
}

#endif
