/* The parser's per-protocol cases (docs/parser.md), shared by the reference dissector's test
 * (tests/host/test_dissect.c) and the RTL parser's test (tests/sim/test_parser_rtl.c). Each case builds its frames
 * with tests/common/frames.h, hands them to the parser under test through ctx->run and checks the record it gets
 * back against the values put in.
 *
 * The runner supplies the parser: test_dissect's calls tw_dissect(); test_parser_rtl's feeds the Verilated RTL and
 * also asserts that the RTL's record equals tw_dissect()'s. What a parser cannot take is said in ctx->caps; a case
 * that needs a missing capability prints what it leaves out (never silently).
 *
 * This file needs no cmocka (it is linked into programs without it): a failed check prints what differs and calls
 * ctx->fail, which the test points at cmocka's _fail (it does not return). Not thread-safe: the cases share one
 * frame buffer and one record (test programs run them one at a time). */
#ifndef TAPWATCH_TEST_PARSER_CASES_H
#define TAPWATCH_TEST_PARSER_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "frames.h"
#include "tapwatch/dissect.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Addresses the cases put in (the random tests of both files use them too). */
#define TWPC_MAC_A 0x020000000001ull
#define TWPC_MAC_B 0x020000000002ull
#define TWPC_MAC_C 0x0a0027000003ull
#define TWPC_MAC_D 0x0a0027000004ull
#define TWPC_IP_A 0x0a000001u
#define TWPC_IP_B 0x0a000002u
/* An error bit of the record: TWPC_E(TRUNC) = 1 << TW_ERR_TRUNC. */
#define TWPC_E(b) (1u << TW_ERR_##b)

/* Capabilities of the parser under test. */
#define TWPC_CAP_EMPTY_FRAME 1u /* takes frames of 0 bytes (a MAC never delivers one: the RTL does not) */
#define TWPC_CAP_ANY_WINDOW 2u  /* honours cfg->hdr_bytes other than 256 (the RTL's window is fixed) */

struct twpc_ctx;

/* Runs the parser on one frame (cfg NULL = tw_dissect_cfg_default); *out = its record. */
typedef void (*twpc_run_fn)(struct twpc_ctx *ctx, const struct tw_dissect_cfg *cfg, const uint8_t *b, size_t len,
                            int tuser, uint64_t ts, unsigned port, struct tw_meta *out);
/* The frame sequence number the parser will give the next frame on port under cfg (NULL = default). */
typedef uint32_t (*twpc_fseq_fn)(struct twpc_ctx *ctx, const struct tw_dissect_cfg *cfg, unsigned port);
/* A check failed at file:line (what = the check and the values): fail the test; must not return. */
typedef void (*twpc_fail_fn)(const char *file, int line, const char *what);

struct twpc_ctx {
    twpc_run_fn run;
    twpc_fseq_fn next_fseq;
    twpc_fail_fn fail;
    unsigned caps;   /* TWPC_CAP_* */
    void *user;      /* the runner's own state */
    uint64_t frames; /* frames the cases ran without naming a port (they alternate ports); start at 0 */
};

/* The cases, in order: X(name) for each; the table below has them in this order. */
#define TWPC_CASES(X)                                                                                                  \
    X(eth_ipv4_tcp)                                                                                                    \
    X(vlan_qinq)                                                                                                       \
    X(vlan_third_is_deep)                                                                                              \
    X(mpls)                                                                                                            \
    X(mpls_fifth_is_deep)                                                                                              \
    X(mpls_cw_and_other)                                                                                               \
    X(mpls_cut_each_label)                                                                                             \
    X(other_ethertypes_stop)                                                                                           \
    X(runt_giant_macbad)                                                                                               \
    X(trunc_each_header)                                                                                               \
    X(window_limit)                                                                                                    \
    X(ipv4_csum_each_ihl)                                                                                              \
    X(ipv4_errors)                                                                                                     \
    X(ipv4_fragments)                                                                                                  \
    X(ipv6_ext_chain)                                                                                                  \
    X(ipv6_ext_cut_each_len)                                                                                           \
    X(ipv6_fifth_ext_is_deep)                                                                                          \
    X(ipv6_fragment)                                                                                                   \
    X(ipv6_errors)                                                                                                     \
    X(l4_kinds)                                                                                                        \
    X(gre_variants)                                                                                                    \
    X(erspan)                                                                                                          \
    X(erspan3_cut_each_byte)                                                                                           \
    X(vxlan_geneve)                                                                                                    \
    X(gtpu)                                                                                                            \
    X(gtpu_ext_limits)                                                                                                 \
    X(tzsp)                                                                                                            \
    X(ipip)                                                                                                            \
    X(l2tpv3_cookies)                                                                                                  \
    X(inner_errors)                                                                                                    \
    X(tunnel_header_cut)                                                                                               \
    X(tunnel_cut_each_byte)                                                                                            \
    X(qinq_mpls_ipv6_srh_deep_stack)                                                                                   \
    X(never_reads_past_window)

#define TWPC_ENUM_(n) TWPC_CASE_##n,
enum { TWPC_CASES(TWPC_ENUM_) TWPC_NCASES };
#undef TWPC_ENUM_

struct twpc_case {
    const char *name; /* "test_" + the case's name */
    void (*fn)(struct twpc_ctx *ctx);
};
extern const struct twpc_case twpc_cases[TWPC_NCASES];

/* The IPv4 / IPv6 headers the cases use (TTL 64 / hop limit 55, TWPC_IP_A -> TWPC_IP_B, 2001::1 -> 2001::2), in a
 * static buffer each: valid until the next call. */
const struct twf_ip4 *twpc_ip4(uint8_t proto);
const struct twf_ip6 *twpc_ip6(uint8_t nh);

/* The fields of two records that differ, by name (contracts/meta.def); returns how many, at least 1 when the
 * packed records (the bit layout the RTL emits, compared first) differ. With log, one "DIFFER what: field ..." line
 * per field. */
unsigned twpc_meta_diff(const struct tw_meta *rtl, const struct tw_meta *ref, const char *what, int log);

#ifdef __cplusplus
}
#endif
#endif
