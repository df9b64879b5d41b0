/* Generated frames of every shape the example rules (examples/backhaul.yaml) look at: vendor MACs, home/external/
 * analyser addresses, management, DNS/NTP, IKE, export ports, GRE/ERSPAN/VXLAN/GTP-U/IP-in-IP tunnels, VLANs, IPv6.
 * Shared by the engine and front tests (tests/engine/). Header-only (static). */
#ifndef TAPWATCH_TESTS_ENG_GEN_H
#define TAPWATCH_TESTS_ENG_GEN_H

#include "eng_test.h"
#include "frames.h"

/* ---- generated traffic ---- */
struct gen {
    uint64_t seed;
    uint32_t ouis[64];
    unsigned nouis;
};

static inline uint64_t gen_mac(struct gen *g)
{
    uint32_t oui = eng_rn(&g->seed, 3) && g->nouis ? g->ouis[eng_rn(&g->seed, g->nouis)]
                                                   : (uint32_t)eng_rand(&g->seed) & 0xFEFFFF;
    return ((uint64_t)oui << 24) | (eng_rand(&g->seed) & 0xFFFFFF);
}

static inline uint32_t gen_ip4(struct gen *g)
{
    static const uint32_t pool[] = {0x0A000001, 0x0A140005, 0x0A140006, 0x0A000035, 0x0A00007B, 0x0A1E0001,
                                    0x0A280001, 0xAC100001, 0x64400001, 0x08080808, 0xC6336401, 0x5DB8D822,
                                    0x0A1E0105, 0x0A280105};
    return pool[eng_rn(&g->seed, sizeof pool / sizeof pool[0])] + (eng_rn(&g->seed, 4) ? 0 : eng_rn(&g->seed, 300));
}

static inline void gen_ip6(struct gen *g, uint8_t a[16])
{
    static const uint16_t first[] = {0x2001, 0x2001, 0x2a00, 0xfe80};
    unsigned k = eng_rn(&g->seed, 4);
    twf_ip6_addr(a, first[k], (uint16_t)(eng_rn(&g->seed, 3) ? 0x53 : eng_rand(&g->seed)));
    if (k <= 1) {
        a[2] = 0x0d;
        a[3] = 0xb8;
        if (k == 1) {
            a[4] = 0x00;
            a[5] = 0x30;
        }
    }
}

static inline uint16_t gen_port(struct gen *g)
{
    static const uint16_t pool[] = {22, 23, 53, 123, 161, 500, 830, 2055, 3386, 4500, 4739, 6343, 8443, 9995,
                                    80, 443, 1234, 50000};
    return pool[eng_rn(&g->seed, sizeof pool / sizeof pool[0])];
}

/* One IP packet (v4 or v6) with a transport header. */
static inline void gen_ip(struct gen *g, struct twf *f, int v6)
{
    static const uint8_t protos[] = {6, 17, 17, 6, 1, 50, 132};
    uint8_t proto = protos[eng_rn(&g->seed, sizeof protos)];
    uint8_t ttl = (uint8_t)(eng_rn(&g->seed, 3) ? 64 : eng_rand(&g->seed));
    if (v6) {
        struct twf_ip6 ip = {.nh = proto == 1 ? 58 : proto, .hlim = ttl};
        gen_ip6(g, ip.src);
        gen_ip6(g, ip.dst);
        twf_ipv6(f, &ip);
    } else {
        twf_ipv4(f, &(struct twf_ip4){.proto = proto, .ttl = ttl, .id = (uint16_t)eng_rand(&g->seed),
                                       .src = gen_ip4(g), .dst = gen_ip4(g)});
    }
    static const uint8_t fl[] = {0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x00, 0xC2};
    if (proto == 6)
        twf_tcp(f, gen_port(g), gen_port(g), (uint32_t)eng_rand(&g->seed), fl[eng_rn(&g->seed, 8)]);
    else if (proto == 17)
        twf_udp(f, gen_port(g), gen_port(g));
    else if (proto == 132)
        twf_sctp(f, gen_port(g), gen_port(g), 1);
    else if (proto == 1)
        twf_icmp(f, 8, 0);
    twf_payload(f, eng_rn(&g->seed, 64), 0x5a);
}

static inline void gen_frame(struct gen *g, struct twf *f)
{
    twf_init(f);
    unsigned kind = eng_rn(&g->seed, 8);
    int tagged = eng_rn(&g->seed, 3) == 0;
    int v6 = eng_rn(&g->seed, 4) == 0 && kind != 3;
    uint16_t et = v6 ? 0x86DD : 0x0800;
    twf_eth(f, gen_mac(g), gen_mac(g), tagged ? 0x8100 : et);
    if (tagged)
        twf_vlan(f, (uint16_t)(eng_rn(&g->seed, 4) ? 100 + eng_rn(&g->seed, 3) : eng_rn(&g->seed, 4096)), et);
    switch (kind) {
    case 0: /* GRE carrying IPv4 */
    case 1: /* ERSPAN II carrying Ethernet */
    case 2: /* VXLAN */
    case 3: /* GTP-U */
    case 4: { /* IP in IP */
        uint8_t op = kind <= 1 ? 47 : (kind == 4 ? 4 : 17);
        if (v6) {
            struct twf_ip6 ip = {.nh = op, .hlim = 64};
            gen_ip6(g, ip.src);
            gen_ip6(g, ip.dst);
            twf_ipv6(f, &ip);
        } else {
            twf_ipv4(f, &(struct twf_ip4){.proto = op, .ttl = 64, .src = gen_ip4(g), .dst = gen_ip4(g)});
        }
        if (kind == 0) {
            twf_gre(f, 0, 0x0800, 0, 0);
        } else if (kind == 1) {
            twf_gre(f, TWF_GRE_S, 0x88BE, 0, 1);
            twf_erspan2(f, 0, 0, 7, 0);
            twf_eth(f, gen_mac(g), gen_mac(g), 0x0800);
        } else if (kind == 2) {
            twf_udp(f, 40000, 4789);
            twf_vxlan(f, 42);
            twf_eth(f, gen_mac(g), gen_mac(g), 0x0800);
        } else if (kind == 3) {
            twf_udp(f, 2152, 2152);
            twf_gtpu(f, 0, 255, 0x1234, 0, 0);
        }
        gen_ip(g, f, 0);
        break;
    }
    default:
        gen_ip(g, f, v6);
        break;
    }
    twf_end(f);
    twf_pad(f, 60);
}

#endif
