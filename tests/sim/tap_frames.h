/* Frame makers shared by the tap tests and the line-rate bench (header-only, deterministic). */
#ifndef TAPWATCH_TESTS_SIM_TAP_FRAMES_H
#define TAPWATCH_TESTS_SIM_TAP_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TF_MAX 9600u

/* Seeded PRNG for test data (splitmix64). */
static inline uint64_t tf_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline size_t tf_put16(uint8_t *b, size_t o, unsigned v)
{
    b[o] = (uint8_t)(v >> 8);
    b[o + 1] = (uint8_t)v;
    return o + 2;
}

static inline size_t tf_put32(uint8_t *b, size_t o, uint32_t v)
{
    tf_put16(b, o, v >> 16);
    return tf_put16(b, o + 2, v & 0xFFFF);
}

static inline size_t tf_eth(uint8_t *b, uint64_t dmac, uint64_t smac, unsigned type)
{
    for (int i = 0; i < 6; i++) {
        b[i] = (uint8_t)(dmac >> (40 - 8 * i));
        b[6 + i] = (uint8_t)(smac >> (40 - 8 * i));
    }
    return tf_put16(b, 12, type);
}

static inline void tf_ip4_csum(uint8_t *ip)
{
    uint32_t sum = 0;
    ip[10] = ip[11] = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)ip[i] << 8 | ip[i + 1];
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    tf_put16(ip, 10, ~sum & 0xFFFF);
}

/* IPv4 header (20 B) at o carrying `total` bytes (header included). */
static inline size_t tf_ip4(uint8_t *b, size_t o, unsigned total, unsigned proto, uint32_t src, uint32_t dst,
                            unsigned id)
{
    uint8_t *ip = b + o;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    tf_put16(ip, 2, total);
    tf_put16(ip, 4, id);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    tf_put32(ip, 12, src);
    tf_put32(ip, 16, dst);
    tf_ip4_csum(ip);
    return o + 20;
}

/* IPv6 header (40 B) at o with `plen` payload bytes. */
static inline size_t tf_ip6(uint8_t *b, size_t o, unsigned plen, unsigned next, unsigned src_last, unsigned dst_last)
{
    uint8_t *ip = b + o;
    memset(ip, 0, 40);
    ip[0] = 0x60;
    tf_put16(ip, 4, plen);
    ip[6] = (uint8_t)next;
    ip[7] = 64;
    ip[8] = 0x20, ip[9] = 0x01, ip[10] = 0x0d, ip[11] = 0xb8;
    tf_put16(ip, 22, src_last);
    ip[24] = 0x20, ip[25] = 0x01, ip[26] = 0x0d, ip[27] = 0xb8;
    tf_put16(ip, 38, dst_last);
    return o + 40;
}

static inline size_t tf_udp(uint8_t *b, size_t o, unsigned sport, unsigned dport, unsigned len)
{
    memset(b + o, 0, 8);
    tf_put16(b, o, sport);
    tf_put16(b, o + 2, dport);
    tf_put16(b, o + 4, len);
    return o + 8;
}

static inline size_t tf_tcp(uint8_t *b, size_t o, unsigned sport, unsigned dport, uint32_t seq, unsigned flags)
{
    memset(b + o, 0, 20);
    tf_put16(b, o, sport);
    tf_put16(b, o + 2, dport);
    tf_put32(b, o + 4, seq);
    b[o + 12] = 5 << 4;
    b[o + 13] = (uint8_t)flags;
    tf_put16(b, o + 14, 8192);
    return o + 20;
}

static inline void tf_fill(uint8_t *b, size_t from, size_t to, uint8_t seed)
{
    for (size_t i = from; i < to; i++)
        b[i] = (uint8_t)(seed + i * 7);
}

#define TF_MAC_A 0x020000000A01ULL
#define TF_MAC_B 0x020000000B02ULL

/* Plain frame of len >= 42 bytes: Ethernet + IPv4 + UDP(sport, dport) + payload, lengths consistent. */
static inline size_t tf_plain(uint8_t *b, size_t len, unsigned sport, unsigned dport)
{
    size_t o = tf_eth(b, TF_MAC_B, TF_MAC_A, 0x0800);
    o = tf_ip4(b, o, (unsigned)(len - 14), 17, 0x0A000001, 0x0A000002, sport);
    o = tf_udp(b, o, sport, dport, (unsigned)(len - 34));
    tf_fill(b, o, len, (uint8_t)sport);
    return len;
}

/* Deep-header frame of len >= 60 bytes, as deep as the length allows:
 *   len >= 176: Eth + QinQ (88a8, 8100) + 2 MPLS + IPv6 + hop-by-hop (8) + dest-opts (8) + GRE (S, 8 B)
 *               + ERSPAN II (8) + inner Eth + inner IPv6 + TCP (20) + payload          -> tunnel erspan2
 *   len >= 98:  Eth + QinQ + 2 MPLS + IPv6 + hop-by-hop + TCP + payload
 *   else:       Eth + QinQ + 2 MPLS + IPv4 + UDP + payload (58 B of headers) */
static inline size_t tf_deep(uint8_t *b, size_t len)
{
    size_t o = tf_eth(b, TF_MAC_B, TF_MAC_A, 0x88A8);
    o = tf_put16(b, o, 0x0064);
    o = tf_put16(b, o, 0x8100);
    o = tf_put16(b, o, 0x00C8);
    o = tf_put16(b, o, 0x8847);
    o = tf_put32(b, o, (1000u << 12) | 64);
    o = tf_put32(b, o, (2000u << 12) | 0x100 | 64);
    if (len < 98) {
        size_t ipo = o;
        o = tf_ip4(b, o, (unsigned)(len - ipo), 17, 0xC0A80001, 0xC0A80002, 1);
        o = tf_udp(b, o, 1234, 5678, (unsigned)(len - o));
        tf_fill(b, o, len, 3);
        return len;
    }
    size_t ip6o = o;
    if (len < 176) {
        o = tf_ip6(b, o, (unsigned)(len - ip6o - 40), 0, 1, 2);
        b[o] = 6, b[o + 1] = 0; /* hop-by-hop, 8 B, then TCP */
        memset(b + o + 2, 0, 6);
        b[o + 2] = 1; /* PadN */
        b[o + 3] = 4;
        o += 8;
        o = tf_tcp(b, o, 80, 40000, 1, 0x18);
        tf_fill(b, o, len, 5);
        return len;
    }
    o = tf_ip6(b, o, (unsigned)(len - ip6o - 40), 0, 1, 2);
    b[o] = 60, b[o + 1] = 0, b[o + 2] = 1, b[o + 3] = 4, memset(b + o + 4, 0, 4); /* hop-by-hop -> dest opts */
    o += 8;
    b[o] = 47, b[o + 1] = 0, b[o + 2] = 1, b[o + 3] = 4, memset(b + o + 4, 0, 4); /* dest opts -> GRE */
    o += 8;
    o = tf_put16(b, o, 0x1000); /* GRE S */
    o = tf_put16(b, o, 0x88BE);
    o = tf_put32(b, o, 7);      /* sequence */
    o = tf_put32(b, o, 0x10000000u | 5u << 16 | 0x2A);  /* ERSPAN II: ver 1, VLAN 5... session 42 */
    o = tf_put32(b, o, 0x00000123);
    size_t ie = o;
    (void)ie;
    o = tf_eth(b + o, 0x0200000000C1ULL, 0x0200000000C2ULL, 0x86DD) + o;
    size_t i6 = o;
    o = tf_ip6(b, o, (unsigned)(len - i6 - 40), 6, 3, 4);
    o = tf_tcp(b, o, 443, 50000, 99, 0x10);
    tf_fill(b, o, len, 9);
    return len;
}

#endif
