/* The traffic of the whole-device detection tests (tests/sim/test_top.c, tests/boards/test_board.c): one generator
 * of mixed frames for the rules TWT_DEV_RULES with the configuration TWT_DEV_CONFIG (dev_rules.h), and the non-IP
 * frames used to pad a run (a sweep of the flow table, no flow, no alert). No cmocka: errors are return values. */
#ifndef TAPWATCH_TEST_DEV_FRAMES_H
#define TAPWATCH_TEST_DEV_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Six rules for the mix below: DNS out of HOME_NET (sid 101), TCP to MGMT (102), a Huawei source MAC (103, gid 7),
 * mDNS passed (104), any UDP (105: suppressed by 104 on mDNS), DNS in the inner packet of a tunnel (106, inner). */
extern const char TWT_DEV_RULES[];

#define TWT_DEV_FRAME_MAX 256u
struct twt_dev_frame {
    uint8_t b[TWT_DEV_FRAME_MAX];
    size_t len;
    unsigned port; /* ingress port: 0 (A) unless the caller sets it */
    uint64_t ts;   /* capture time in ns: t0 + i * dt */
};

/* n frames, frame i of kind i % 8: 0 UDP from HOME_NET to 53 (odd i: out of HOME_NET) or 123; 1 TCP to 22 (MGMT);
 * 2 a Huawei (00:e0:fc) source MAC; 3 TCP to 443; 4 mDNS 5353 -> 5353 (pass); 5 IPv6 UDP to 53 out of HOME_NET;
 * 6 a VXLAN copy (VNI 77) of an inner UDP packet to 53; 7 that inner packet on its own, 7 frames before its copy
 * (so the copy is a mirror copy); source addresses and ports vary with i (a few dozen flows). The last `non_ip`
 * frames carry no IP (EtherType 0x88B5). Every frame at least 60 bytes (no FCS). 0, or -1 when a frame does not fit
 * TWT_DEV_FRAME_MAX or non_ip > n. */
int twt_dev_frames(struct twt_dev_frame *fr, unsigned n, unsigned non_ip, uint64_t t0, uint64_t dt);

/* A 60-byte frame without IP (EtherType 0x88B5) numbered j: no flow, no alert, one sweep step of the flow table. */
#define TWT_NOIP_LEN 60u
void twt_dev_noip_frame(uint8_t f[TWT_NOIP_LEN], unsigned j);

#ifdef __cplusplus
}
#endif

#endif
