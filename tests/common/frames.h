/* Test-frame builders: compose a frame header by header, outermost first, then twf_end() fills in the length
 * fields (IPv4 total length and checksum, IPv6 payload length, UDP length, GTP-U length) from the frame's end.
 *
 *   struct twf f;
 *   twf_init(&f);
 *   twf_eth(&f, 0x020000000001, 0x020000000002, 0x8100);
 *   twf_vlan(&f, 100, 0x0800);                       // TCI, next type
 *   size_t ip = twf_ipv4(&f, &(struct twf_ip4){.proto = 17, .ttl = 64, .src = 0x0a000001, .dst = 0x0a000002});
 *   twf_udp(&f, 1234, 53);
 *   twf_payload(&f, 20, 0xab);
 *   twf_end(&f);        // lengths and checksums
 *   twf_pad(&f, 60);    // Ethernet padding, not counted in IP lengths
 *
 * Every builder returns the offset of the header it appended, so tests can corrupt fields afterwards
 * (twf_put16 / twf_put8, then twf_ip4_csum to recompute or not). Builders never overflow: when the buffer is
 * full, f->overflow is set and the frame stays as it was. No global state; usable from C and C++ (RTL tests). */
#ifndef TAPWATCH_TEST_FRAMES_H
#define TAPWATCH_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TWF_MAX 16384
#define TWF_MAX_FIX 32

enum twf_fix_kind { TWF_FIX_IP4, TWF_FIX_IP6, TWF_FIX_UDP, TWF_FIX_GTPU };

struct twf {
    uint8_t b[TWF_MAX];
    size_t n;
    int overflow;
    unsigned nfix;
    struct {
        enum twf_fix_kind kind;
        size_t off;
        unsigned flags;
    } fix[TWF_MAX_FIX];
};

struct twf_ip4 {
    uint8_t tos, ttl, proto;
    uint16_t id;
    int df, mf;
    uint16_t fragoff;      /* in 8-byte units */
    uint32_t src, dst;     /* host order: 0x0a000001 = 10.0.0.1 */
    const uint8_t *opts;   /* IPv4 options, optlen bytes, a multiple of 4 */
    size_t optlen;
    int bad_csum;          /* twf_end writes a wrong checksum */
    int keep_len;          /* twf_end leaves total_len as given in total_len */
    uint16_t total_len;
};

struct twf_ip6 {
    uint8_t tc, nh, hlim;
    uint32_t flow;
    uint8_t src[16], dst[16];
    int keep_len;          /* twf_end leaves payload_len as given */
    uint16_t payload_len;
};

void twf_init(struct twf *f);
size_t twf_bytes(struct twf *f, const void *p, size_t n);
size_t twf_payload(struct twf *f, size_t n, uint8_t fill);
void twf_put8(struct twf *f, size_t off, uint8_t v);
void twf_put16(struct twf *f, size_t off, uint16_t v);
void twf_put32(struct twf *f, size_t off, uint32_t v);
/* Fills lengths and checksums (innermost first); call once, before twf_pad. */
void twf_end(struct twf *f);
/* Appends zero bytes until the frame is at least n bytes long. */
void twf_pad(struct twf *f, size_t n);
/* Recomputes the IPv4 header checksum of the header at off. */
void twf_ip4_csum(struct twf *f, size_t off);

/* Layer 2 */
size_t twf_eth(struct twf *f, uint64_t dmac, uint64_t smac, uint16_t type);
size_t twf_vlan(struct twf *f, uint16_t tci, uint16_t next_type);         /* TPID is the previous type */
size_t twf_mpls(struct twf *f, uint32_t label, unsigned tc, int s, uint8_t ttl);
size_t twf_pw_cw(struct twf *f);                                            /* pseudowire control word, 4 zero B */

/* Layer 3 */
size_t twf_ipv4(struct twf *f, const struct twf_ip4 *ip);
size_t twf_ipv6(struct twf *f, const struct twf_ip6 *ip);
/* Hop-by-hop (0) or destination options (60): len8 = length field (header = (len8+1)*8 B, PadN filled). */
size_t twf_ip6_opts(struct twf *f, uint8_t next, uint8_t len8);
size_t twf_ip6_srh(struct twf *f, uint8_t next, uint8_t segleft, unsigned nseg); /* SRv6, routing type 4 */
size_t twf_ip6_rh(struct twf *f, uint8_t next, uint8_t type, uint8_t segleft, uint8_t len8);
size_t twf_ip6_frag(struct twf *f, uint8_t next, uint16_t off8, int m, uint32_t id);
size_t twf_ip6_ah(struct twf *f, uint8_t next, uint8_t len4);              /* header = (len4+2)*4 B */
void twf_ip6_addr(uint8_t a[16], uint16_t first, uint16_t last);           /* first::last */

/* Layer 4 */
size_t twf_tcp(struct twf *f, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags);
size_t twf_udp(struct twf *f, uint16_t sport, uint16_t dport);
size_t twf_sctp(struct twf *f, uint16_t sport, uint16_t dport, uint32_t vtag);
size_t twf_sctp_data(struct twf *f, uint32_t tsn, uint16_t sid, uint16_t ssn, uint32_t ppid, size_t datalen);
size_t twf_sctp_chunk(struct twf *f, uint8_t type, size_t bodylen);         /* any other chunk */
size_t twf_icmp(struct twf *f, uint8_t type, uint8_t code);

/* Tunnels */
#define TWF_GRE_C 0x8000u
#define TWF_GRE_K 0x2000u
#define TWF_GRE_S 0x1000u
size_t twf_gre(struct twf *f, uint16_t flags, uint16_t proto, uint32_t key, uint32_t seq);
size_t twf_erspan2(struct twf *f, uint16_t vlan, uint8_t cos, uint16_t session, uint32_t index);
/* ERSPAN III: o = 1 appends the 8-byte platform sub-header. */
size_t twf_erspan3(struct twf *f, uint16_t vlan, uint8_t cos, uint16_t session, uint32_t ts, uint8_t ft, int o);
size_t twf_vxlan(struct twf *f, uint32_t vni);
/* Geneve with optwords 4-byte words of options (one TLV per 4..128 bytes; class 0x0101, type 1). */
size_t twf_geneve(struct twf *f, uint16_t proto, uint32_t vni, unsigned optwords);
#define TWF_GTP_E 0x04u
#define TWF_GTP_S 0x02u
#define TWF_GTP_PN 0x01u
/* GTP-U: flags = E/S/PN bits; the 4 optional bytes are written when any is set, next_ext = first extension type. */
size_t twf_gtpu(struct twf *f, uint8_t flags, uint8_t type, uint32_t teid, uint16_t seq, uint8_t next_ext);
/* A generic extension header of len4 4-byte units: content zero-filled, next type in the last byte. */
size_t twf_gtpu_ext(struct twf *f, uint8_t len4, uint8_t next_ext);
/* PDU session container (0x85): dir 0 downlink, 1 uplink. */
size_t twf_gtpu_pdu_session(struct twf *f, uint8_t dir, uint8_t qfi, uint8_t next_ext);
/* GTP-U with an explicit version/PT byte (for malformed variants). */
size_t twf_gtpu_raw(struct twf *f, uint8_t byte0, uint8_t type, uint32_t teid);
size_t twf_tzsp(struct twf *f, uint8_t version, uint8_t type, uint16_t encap);
size_t twf_tzsp_tag(struct twf *f, uint8_t tag, uint8_t len, uint8_t fill); /* tag 0/1: one byte, len ignored */
size_t twf_l2tpv3(struct twf *f, uint32_t session, size_t cookie_len);

#ifdef __cplusplus
}
#endif
#endif
