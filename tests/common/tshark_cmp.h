/* Comparing parser records (struct tw_meta, from the C dissector or the RTL) with tshark, frame by frame.
 *
 * twc_tshark_read() runs tshark once on a capture and keeps, per frame, the keys of the `tapwatch-sim parse` JSON
 * contract as tshark sees them (outer packet, and the inner packet of the first tunnel). twc_compare() renders a
 * record the same way and compares key by key. Differences that docs/parser.md ("Differences from tshark")
 * explains are matched by named, narrow exceptions and counted apart; anything else is a mismatch, logged with the
 * file, frame, key and both values. Any record source works: the dissector test feeds tw_dissect() output, an RTL
 * test can feed records unpacked from the simulation. */
#ifndef TAPWATCH_TSHARK_CMP_H
#define TAPWATCH_TSHARK_CMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tapwatch/meta.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compared keys, outer then inner ("i." prefix). */
enum twc_key {
    TWC_LEN,
    TWC_ETH_SRC, TWC_ETH_DST, TWC_VLAN, TWC_MPLS, TWC_IP_VER, TWC_IP_SRC, TWC_IP_DST, TWC_IP_PROTO, TWC_IP_TTL,
    TWC_IP_ID, TWC_IP_FRAG, TWC_L4_SPORT, TWC_L4_DPORT, TWC_TCP_FLAGS, TWC_SCTP_PPID,
    TWC_TUNNEL, TWC_TUNNEL_ID, TWC_GTP_QFI,
    TWC_I_ETH_SRC, TWC_I_ETH_DST, TWC_I_VLAN, TWC_I_MPLS, TWC_I_IP_VER, TWC_I_IP_SRC, TWC_I_IP_DST, TWC_I_IP_PROTO,
    TWC_I_IP_TTL, TWC_I_IP_ID, TWC_I_IP_FRAG, TWC_I_L4_SPORT, TWC_I_L4_DPORT, TWC_I_TCP_FLAGS, TWC_I_SCTP_PPID,
    TWC_NKEYS
};

/* Explained classes of difference (docs/parser.md, "Differences from tshark"). */
enum twc_exc {
    TWC_X_CAPLEN,       /* the capture holds fewer bytes than the frame had: len is what the parser was given */
    TWC_X_BIGFRAME,     /* a GSO/BIG TCP super-frame over 65535 bytes: len saturates, tshark gives up on lengths 0 */
    TWC_X_CUT,          /* a header cut by the frame or the window: tshark shows what fits, the parser nothing */
    TWC_X_DEEP,         /* more VLAN tags / MPLS entries / IPv6 extension headers than the parser follows */
    TWC_X_GRE_NOT_FOLLOWED, /* GRE version 1 (PPTP) or a GRE payload other than IPv4/IPv6/MPLS/ERSPAN/TEB (PPP):
                             * tshark decodes it, the parser does not follow it */
    TWC_X_L2_UNKNOWN,   /* an ethertype the parser does not follow (Arista, ...) that tshark decodes */
    TWC_X_ISL,          /* Cisco ISL: tshark decodes the ISL header and the frame inside it */
    TWC_X_IP_VERSION,   /* IPv6 where IPv4 was announced (ethertype, GRE): tshark's IPv4 dissector hands it to IPv6 */
    TWC_X_PORT_8472,    /* VXLAN on the Linux port 8472: the parser follows it, tshark only 4789 */
    TWC_X_L2TPV3_PW,    /* L2TPv3 payload: tshark needs the control session to know the pseudowire type */
    TWC_X_TUN_CHECK,    /* GTP-U port without version 1/PT 1, TZSP port without version 1: tshark decodes it anyway */
    TWC_X_IP_REJECTED,  /* an IP header the parser rejects (ERR_IHL, ERR_IPVER): tshark still shows its version */
    TWC_X_IPLEN,        /* IPv4 total length inconsistent: tshark shows no address/L4 field, the parser goes on */
    TWC_X_IP6_PLEN,     /* IPv6 payload length shorter than the extension chain: tshark stops at the length */
    TWC_X_L2TP_UDP,     /* L2TP over UDP (port 1701): tshark decodes it, the parser follows L2TPv3 over IP only */
    TWC_NEXC
};

struct twc_stats {
    unsigned long files, files_skipped_linktype, files_failed, frames, fields;
    unsigned long mismatch[TWC_NKEYS];
    unsigned long explained[TWC_NEXC];
    unsigned long frame_count_mismatch; /* files where tshark and the record source disagree on frame count */
};

struct twc_file;

/* Runs tshark on path (tshark binary: $TSHARK or "tshark"). Returns NULL and sets *err (negative errno-style) on
 * failure. twc_tshark_start()/twc_tshark_finish() split it so two files can run in parallel. */
struct twc_file *twc_tshark_start(const char *path, int *err);
int twc_tshark_finish(struct twc_file *f);
struct twc_file *twc_tshark_read(const char *path, int *err);
void twc_free(struct twc_file *f);
size_t twc_frames(const struct twc_file *f);

/* Compares record m (frame number idx, 0-based, of the file; frame holds its bytes for the exceptions that need
 * them, may be NULL) with tshark's view. Returns the number of unexplained mismatches; logs each to log. */
unsigned twc_compare(struct twc_file *f, size_t idx, const struct tw_meta *m, const uint8_t *frame, size_t len,
                     struct twc_stats *st, FILE *log);

const char *twc_key_name(enum twc_key k);
const char *twc_exc_name(enum twc_exc x);
/* Prints files, frames, fields compared, mismatches by key and explained differences by class. */
void twc_summary(const struct twc_stats *st, FILE *out);
/* Whether a tshark binary can be run. */
int twc_tshark_available(void);

#ifdef __cplusplus
}
#endif
#endif
