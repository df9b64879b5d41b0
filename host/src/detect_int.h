/* Internal structures of the software reference detector (docs/detection.md describes them bit-exactly).
 * Every table is a fixed-geometry array as the RTL holds it in block RAM; nothing grows with the input. */
#ifndef TAPWATCH_DETECT_INT_H
#define TAPWATCH_DETECT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tapwatch/detect.h"

#include "detect_rule.h"

/* ---- hashes (detect_hash.c) ---- */
/* Both are the standard reflected CRCs, init 0xFFFFFFFF, final XOR 0xFFFFFFFF, over bytes in vector order.
 * crc[1] is CRC-32 (IEEE 802.3, 0xEDB88320): independent of CRC-32C, it makes the 64-bit tags. */
struct tw_hash {
    uint32_t ieee[8][256]; /* slicing-by-8 tables of CRC-32 */
    uint32_t c[8][256];    /* slicing-by-8 tables of CRC-32C (used when the CPU has no crc32 instruction) */
    int hw;                /* the CPU computes CRC-32C itself */
    int clmul;             /* the CPU has PCLMULQDQ: CRC-32 by carry-less multiplication (folding) */
    uint32_t pre8;         /* the CRC-32 register that 8 zero bytes take to the initial 0xFFFFFFFF (tw_crc32_pre8) */
};
void tw_hash_init(struct tw_hash *h);
uint32_t tw_crc32c(const struct tw_hash *h, const uint8_t *p, size_t n);
uint32_t tw_crc32(const struct tw_hash *h, const uint8_t *p, size_t n);
/* tw_crc32(h, p + 8, n) where p[0..7] are zero bytes: with n + 8 a multiple of 16, the CRC of the zero-prefixed
 * buffer from the register pre8 is the CRC of the n bytes (8 zero bytes take pre8 to 0xFFFFFFFF), all of it in
 * whole 16-byte blocks for the folding path (no bytewise tail). */
uint32_t tw_crc32_pre8(const struct tw_hash *h, const uint8_t *p, size_t n);
/* The per-frame hashes at their fixed sizes (the same values as the generic functions):
 * tw_hash_flow_key = tw_crc32c(h, k, 40);
 * tw_hash_tag56 = tw_crc32c(h, b + 8, 56) << 32 | tw_crc32_pre8(h, b, 56) (b[0..7] zero bytes, the digest tag);
 * tw_hash_tag48 = tw_crc32c(h, k, 48) << 32 | tw_crc32(h, k, 48) (the threshold/volume state tag). */
uint32_t tw_hash_flow_key(const struct tw_hash *h, const uint8_t k[40]);
uint64_t tw_hash_tag56(const struct tw_hash *h, const uint8_t b[64]);
uint64_t tw_hash_tag48(const struct tw_hash *h, const uint8_t k[48]);
/* The same three of vectors given as 64-bit words: word i holds bytes 8i..8i+7 of the vector, byte j of the word in
 * bits 8j..8j+7 (little-endian; tw_ld64le). tw_hash_tag56_w takes the 56 bytes without the zero prefix. The per-frame
 * callers build their vectors in registers: a vector stored in pieces and read back in words waits for the stores
 * (no store forwarding). */
uint32_t tw_hash_flow_key_w(const struct tw_hash *h, const uint64_t w[5]);
uint64_t tw_hash_tag56_w(const struct tw_hash *h, const uint64_t w[7]);
uint64_t tw_hash_tag48_w(const struct tw_hash *h, const uint64_t w[6]);

/* Little-endian loads and stores of any alignment (one instruction on x86). */
static inline uint64_t tw_ld64le(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
static inline uint32_t tw_ld32le(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}
static inline void tw_st64le(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, 8);
}
/* The 16 bytes of a record's address field as two little-endian words, read in 4-byte pieces: the dissector
 * writes an IPv4 address as a 4-byte store into the cleared field, and a load spanning that store and the
 * clearing's would wait for both to reach the cache. */
static inline void tw_addr_w(const uint8_t *a, uint64_t w[2])
{
    w[0] = tw_ld32le(a) | (uint64_t)tw_ld32le(a + 4) << 32;
    w[1] = tw_ld32le(a + 8) | (uint64_t)tw_ld32le(a + 12) << 32;
}

/* ---- flow key: the 40-byte vector of docs/detection.md ---- */
#define TW_FLOW_KEY_BYTES 40
struct tw_flow_key {
    uint8_t b[TW_FLOW_KEY_BYTES];
};

/* Builds the canonical key of the outer layer of m. *rev = 1 when the packet's source is the key's "b" side
 * (the higher endpoint). Returns 0 when the frame has no outer IP header (no flow). */
int tw_flow_key_of(const struct tw_meta *m, struct tw_flow_key *k, int *rev);

/* One way of a flow bucket. Software layout: the first 64-byte line holds what a bucket lookup and the sweep read
 * (valid, timestamps, key); the counters sit in the second line. (The RTL's entry layout: docs/detection.md.) */
struct tw_flow_ent {
    _Alignas(64) uint8_t valid;
    uint8_t cli_is_b;       /* the client (first sender) is the key's b side */
    uint8_t state;          /* TW_FLOW_NEW, _ESTABLISHED, _CLOSED */
    uint8_t alerted;
    uint8_t flags_ts, flags_tc; /* TCP flags seen each way */
    uint8_t fin_ts, fin_tc;
    uint64_t first_ts, last_ts;
    struct tw_flow_key key;
    uint64_t flow_id;
    uint64_t pkts_ts, pkts_tc, bytes_ts, bytes_tc;
    /* The rule memo (docs/detection.md "Performance"): the stateless part of the rules (tw_detector_prepare's
     * candidate word: quick reject, set lookups, the rest of each condition) is a pure function of the outer layer's
     * fields the rules read and of the tunnel kind, for a frame whose inner layer no rule looks at. They are this
     * entry's key (addresses, ports, protocol, version, outer VLAN), the direction and the two words mxa, mxb of the
     * others (tw_detector_prepare_a); mrest is the candidate word of the last frame of the flow with them (mxa bit 63:
     * set). A frame of the flow with the same words has the same candidates, whatever happened in between. */
    uint64_t mxa, mxb, mrest;
};
_Static_assert(sizeof(struct tw_flow_ent) == 128, "a flow entry is two cache lines");

struct tw_flow_table {
    unsigned buckets, ways;
    struct tw_flow_ent *ent; /* buckets * ways, bucket-major */
    /* Per bucket: a time up to which no valid way of the bucket can have expired (a lower bound of the earliest
     * expiry, docs/detection.md "Performance"); UINT64_MAX when the bucket is empty. Lets the sweep and the access
     * skip the expiry checks of a bucket whose ways are all live, with the same outcome as checking each way. */
    uint64_t *due;
    unsigned sweep_ptr;
    uint64_t sweep_frames; /* frames since the last sweep step */
    uint64_t next_id;
};

/* ---- digest table ---- */
struct tw_digest_ent {
    uint64_t tag; /* {crc32c, crc32} of the vector */
    uint64_t ts1; /* timestamp + 1; 0 = empty way (16-byte entries: a 2-way set is half a cache line) */
};

#define TW_DIGEST_VEC_BYTES 56

/* ---- threshold / volume state ---- */
/* 32 bytes: a bucket of 4 ways is two whole cache lines (the region starts 64-byte aligned). */
struct tw_state_ent {
    uint64_t tag;
    uint64_t start;   /* window start */
    uint64_t bytes;   /* volume: bytes in the window */
    uint32_t count;   /* matches in the window */
    uint16_t rule;    /* owning rule (its seconds decide when the entry is free again) */
    uint8_t kind;     /* 0 threshold/detection_filter, 1 volume */
    uint8_t fired : 1; /* volume: alerted in this window */
    uint8_t valid : 1;
};
_Static_assert(sizeof(struct tw_state_ent) == 32, "state entries are 32 bytes");
#define TW_STATE_KEY_BYTES 48

#define TW_OUI_MEMO 64
struct tw_oui_memo {
    uint32_t oui;
    uint8_t vsets, valid;
};

/* Address prefixes by family, as integers (the address set lookup of tw_addr_sets, without the byte loop).
 * IPv4: TW_PFX4_LANES prefixes per step, nets, masks and sets each in its own array (unused lanes: mask 0, net
 * all ones, so they never match). */
#define TW_PFX4_LANES 4
typedef uint32_t tw_v4u __attribute__((vector_size(4 * TW_PFX4_LANES)));
struct tw_pfx4 {
    tw_v4u net, mask, sets;
};
struct tw_pfx6 {
    uint64_t hi, lo, mhi, mlo;
    uint32_t sets;
};

/* Per word of rules (bit k = crule[64 * word + k]): which rules have each kind of condition. */
struct tw_rm_word {
    uint64_t sa_noin, sa_not, da_noin, da_not; /* address fields: no `in` set; negated */
    uint64_t sp_noin, sp_not, sp_cond, dp_noin, dp_not, dp_cond; /* port fields; cond: the field has a condition */
    uint64_t bidir, vlan; /* `<>` rules; rules with a vlan.id condition (checked one by one) */
};
/* Per set and word: the rules whose source (s*) / destination (d*) field names the set as `in` / `ex`. */
struct tw_rm_set {
    uint64_t s_in, s_ex, d_in, d_ex;
};

struct tw_detector {
    struct tw_detect_params p;
    const struct tw_tables *t;
    struct tw_detect_sink sink;
    struct tw_hash hash;
    struct tw_flow_table flows;
    struct tw_digest_ent *digest; /* digest_sets * digest_ways */
    struct tw_state_ent *state;   /* state_buckets * state_ways (in the digest's allocation) */
    uint64_t *tat;                /* per rule: GCRA theoretical arrival time */
    uint64_t *rule_alerts, *rule_limited, *rule_matches;
    uint64_t *win_ns; /* per rule: the threshold [2 * rule] and volume [2 * rule + 1] window in ns */
    unsigned nrules;
    uint64_t rate_t_ns, rate_tau_ns; /* GCRA increment and tolerance */
    int any_inner; /* some rule has `inner`: the inner layer's lookups are needed */
    int any_sv, any_dv; /* some rule has a src_vendor / dst_vendor condition */
    struct tw_oui_memo oui_memo[TW_OUI_MEMO];
    struct tw_crule *crule; /* the valid rules in rule order */
    unsigned ncrule;
    /* Quick reject (a superset of the rules that can match, from cheap per-frame values; the full condition
     * tw_crule_match() then decides): bitmaps over crule[], pf_words 64-bit words each. */
    unsigned pf_words;
    uint64_t *pf;         /* one allocation holding the maps below */
    uint64_t *pf_proto;   /* [256]: rules whose protocol condition holds for this IP protocol */
    uint64_t *pf_ttl;     /* [256]: ... whose ttl condition holds for this TTL / hop limit */
    uint64_t *pf_flags;   /* [257]: ... whose flags condition holds for these TCP flags; [256]: not TCP */
    uint64_t *pf_tun;     /* [16]: ... whose tunnel condition holds for this tun_kind */
    uint64_t *pf_outer, *pf_inner, *pf_nomirror; /* [1]: outer / inner rules; rules without mirror_copy */
    uint64_t *pf_state; /* [1]: rules with threshold / volume state keyed without the flow (tags computed early) */
    /* The rest of the condition (vendors, addresses, ports, vlan.id: tw_crule_rest) for a word of rules at once:
     * each set condition of a rule names at most one set as `in` and one as `ex`, so the rules a field's condition
     * holds for are ((no `in` | `in` set present) & ~(`ex` set present)) ^ negated, from per-set rule bitmaps. */
    struct tw_rm_word *rm;   /* [pf_words] */
    struct tw_rm_set *rm_addr, *rm_port; /* [32 sets * pf_words]: the rules naming each address / port set */
    uint64_t *rm_sv, *rm_dv; /* [257 * pf_words]: rules whose src / dst vendor condition holds for these vendor
                                sets ([256]: no Ethernet header at the rule's level) */
    int need_addr, need_port; /* some rule has an address / port set condition */
    uint16_t *port_sets;      /* need_port: the port sets of every port (65536 entries) */
    uint64_t *port_any;       /* need_port: bit p: port p is in some set (8 KiB that stay in the cache, where a
                                 random port's entry of port_sets would miss it) */
    struct tw_pfx4 *pfx4;     /* need_addr: the valid IPv4 (TW_PFX4_LANES per entry) / IPv6 prefixes */
    struct tw_pfx6 *pfx6;
    unsigned npfx4, npfx6;
    int pfx_generic; /* a prefix the integer form cannot hold: use tw_addr_sets */
    int rmemo_on;    /* the rule memo is used (pf_words == 1 and not switched off) */
    uint64_t rmemo_hits, rmemo_misses; /* internal (tests); not in the stats */
    struct tw_detect_stats st;
};

/* The hashes of a frame and the prefetch of every table line they address (the first part of
 * tw_detector_frame). tw_analyze computes them a few frames ahead of the table operations, so that the lines
 * load while earlier frames are processed; tw_detector_frame_pre() then runs the frame with them. The result is
 * that of tw_detector_frame() (the prefetches change no state). */
#define TW_PRE_STAGS 8
struct tw_det_pre {
    struct tw_flow_key fk;
    int has_flow, rev, has_in, has_out;
    uint32_t fh;
    uint64_t tag_in, tag_out;
    /* the rule memo's key words (struct tw_flow_ent) when the frame's rules can be memoised (memo); the flow's
     * entry when _b found it (a hint for the flow access) */
    int memo;
    uint64_t mxa, mxb;
    const struct tw_flow_ent *fe_hint;
    /* The stateless part of the rules: the layer views with their set lookups (li only when have_inner), and the
     * rules whose whole condition holds except mirror_copy (which needs the digest table). */
    int have_inner;
    struct tw_layer lo, li;
    uint64_t rest[TW_CAP_RULES / 64 + 1];
    /* The threshold / volume state tags of the first candidates keyed without the flow (their buckets
     * prefetched); a rule whose tag is not here has it computed when needed. */
    unsigned nstag;
    struct {
        uint64_t tag;
        uint16_t rule;
        uint8_t kind;
    } stag[TW_PRE_STAGS];
};
void tw_detector_prepare(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre);
/* tw_detector_prepare in two steps, the same result: _a the hashes and the prefetches of the flow bucket and the
 * digest sets; _b (later, when those lines have loaded) the rules, from the flow entry's rule memo when it holds
 * this frame's words, with the state buckets prefetched. tw_analyze runs _b a few frames after _a. */
void tw_detector_prepare_a(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre);
void tw_detector_prepare_b(struct tw_detector *d, const struct tw_meta *m, struct tw_det_pre *pre);
/* The rule memo on (1, when the rules allow it) or off (0): for tests, which compare the two. */
void tw_detector_rmemo_enable(struct tw_detector *d, int on);
/* The rules of c (a subset of word w of crule[]) for which tw_crule_rest() holds on layer L (its set fields
 * looked up). */
uint64_t tw_rest_word(const struct tw_detector *d, const struct tw_layer *L, unsigned w, uint64_t c);
int tw_detector_frame_pre(struct tw_detector *d, const struct tw_meta *m, const struct tw_det_pre *pre,
                          const uint8_t *frame, size_t caplen, uint64_t pcap_cnt);

/* The vendor sets of a MAC (its 48 bits), through the detector's OUI memo (the same as tw_mac_vsets). */
unsigned tw_detector_mac_vsets(struct tw_detector *d, uint64_t mac);
/* eve.c: tw_eve_alert_from_det with the MACs' vendor sets from d's memo (d's tables). */
struct tw_eve_alert;
void tw_eve_alert_from_det_memo(struct tw_eve_alert *a, const struct tw_det_alert *da, struct tw_detector *d,
                                unsigned evidence_bytes);
/* eve.c: the "alert" object of a (from ,"alert": to its closing brace: action, ids, signature, category, severity;
 * all of it from the rule) as tw_eve_write_alert writes it, in a malloc'ed buffer of *n bytes (not terminated), or
 * NULL without memory; tw_eve_write_alert with that object given pre-rendered (obj of an alert of the same rule). */
struct tw_eve;
char *tw_eve_alert_obj(const struct tw_eve_alert *a, size_t *n);
int tw_eve_write_alert_obj(struct tw_eve *w, const struct tw_eve_alert *a, const char *obj, size_t nobj);

/* flow.c */
int tw_flow_init(struct tw_detector *d);
void tw_flow_free(struct tw_detector *d);
/* The bucket hash of key k (CRC-32C); also prefetches the bucket so its lines load while other work goes on. */
uint32_t tw_flow_prepare(struct tw_detector *d, const struct tw_flow_key *k);
/* Prefetches the bucket the sweep visits after this frame at time now (when it will and has something to check). */
void tw_flow_prefetch_sweep(const struct tw_detector *d, uint64_t now);
/* Finds or creates the flow of key k (from tw_flow_key_of(m), h = tw_flow_prepare), expiring and evicting as
 * documented. *toclient: the packet travels server -> client. */
struct tw_flow_ent *tw_flow_access(struct tw_detector *d, const struct tw_meta *m, const struct tw_flow_key *k, int rev,
                                   uint32_t h, uint64_t flen, int *toclient);
/* The same with hint: NULL or a way of k's bucket that may hold k (tw_flow_peek's earlier answer: checked, so a
 * stale one costs only the check). */
struct tw_flow_ent *tw_flow_access_hint(struct tw_detector *d, const struct tw_meta *m, const struct tw_flow_key *k,
                                        int rev, uint32_t h, uint64_t flen, const struct tw_flow_ent *hint,
                                        int *toclient);
void tw_flow_sweep(struct tw_detector *d, uint64_t now);
/* The valid entry of key k in its bucket (h = tw_flow_prepare), or NULL; reads only (the rule memo's probe). */
const struct tw_flow_ent *tw_flow_peek(const struct tw_detector *d, const struct tw_flow_key *k, uint32_t h);
void tw_flow_flush(struct tw_detector *d);
uint64_t tw_flow_active(const struct tw_detector *d);

/* The tag of a threshold / volume state key (docs/detection.md: rule, kind, track, the tracked address(es), the
 * flow id; 48 bytes). */
uint64_t tw_state_tag(const struct tw_hash *h, unsigned rule, unsigned kind, unsigned track, const struct tw_layer *L,
                      uint64_t flow_id);

/* digest.c */
int tw_digest_vec(const struct tw_meta *m, int inner, uint8_t v[TW_DIGEST_VEC_BYTES]);
uint64_t tw_digest_tag(const struct tw_hash *h, const uint8_t v[TW_DIGEST_VEC_BYTES]);
/* tw_digest_vec + tw_digest_tag in one (the detector's per-frame path): 0 when the layer has no IP header. */
int tw_digest_tag_of(const struct tw_hash *h, const struct tw_meta *m, int inner, uint64_t *tag);
int tw_digest_lookup(struct tw_detector *d, uint64_t tag, uint64_t now);
void tw_digest_prefetch(const struct tw_detector *d, uint64_t tag);
void tw_digest_insert(struct tw_detector *d, uint64_t tag, uint64_t now);

#endif
