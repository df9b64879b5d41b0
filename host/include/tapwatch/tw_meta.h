/* Generated from contracts/meta.def by contracts/gen.awk: do not edit. */
#ifndef TW_META_H
#define TW_META_H
#include <stddef.h>
#include <stdint.h>

#define TW_ERR_RUNT 0 /* frame shorter than 60 bytes */
#define TW_ERR_GIANT 1 /* frame longer than the configured MTU (default 9600) */
#define TW_ERR_TRUNC 2 /* a header is cut by the end of the frame (or by the parser's header window) */
#define TW_ERR_IPVER 3 /* IP version is neither 4 nor 6 where IP was expected */
#define TW_ERR_IHL 4 /* IPv4 IHL below 5 */
#define TW_ERR_IPLEN 5 /* IP total/payload length inconsistent with the frame */
#define TW_ERR_CSUM 6 /* IPv4 header checksum wrong */
#define TW_ERR_DEEP 7 /* header chain deeper than supported (VLAN>2, MPLS>4, IPv6 ext>4, GTP ext>4) */
#define TW_ERR_MACBAD 8 /* the MAC marked the frame bad (tuser) */
#define TW_ERR_INNER 9 /* the error bits 2..7 set for this frame were found in the inner packet */
#define TW_ERR_COUNT 10 /* number of error kinds */
#define TW_TUN_NONE 0
#define TW_TUN_GRE 1 /* GRE carrying IPv4, IPv6 or MPLS */
#define TW_TUN_ERSPAN1 2
#define TW_TUN_ERSPAN2 3
#define TW_TUN_ERSPAN3 4
#define TW_TUN_GRETEB 5 /* GRE transparent Ethernet bridging 0x6558 */
#define TW_TUN_VXLAN 6
#define TW_TUN_GENEVE 7
#define TW_TUN_GTPU 8
#define TW_TUN_TZSP 9
#define TW_TUN_IPIP 10 /* IPv4 or IPv6 in IPv4 or IPv6 (protocol 4 / 41) */
#define TW_TUN_L2TPV3 11
#define TW_TUN_COUNT 12
#define TW_TPID_8100 0
#define TW_TPID_88A8 1
#define TW_TPID_9100 2

#define TW_M_TS_LSB 0
#define TW_M_TS_W 64
#define TW_M_LEN_LSB 64
#define TW_M_LEN_W 16
#define TW_M_PORT_LSB 80
#define TW_M_PORT_W 1
#define TW_M_FSEQ_LSB 81
#define TW_M_FSEQ_W 32
#define TW_M_ERR_LSB 113
#define TW_M_ERR_W 16
#define TW_M_O_L2_LSB 129
#define TW_M_O_L2_W 1
#define TW_M_O_DMAC_LSB 130
#define TW_M_O_DMAC_W 48
#define TW_M_O_SMAC_LSB 178
#define TW_M_O_SMAC_W 48
#define TW_M_O_VLAN_N_LSB 226
#define TW_M_O_VLAN_N_W 2
#define TW_M_O_VLAN0_TPID_LSB 228
#define TW_M_O_VLAN0_TPID_W 2
#define TW_M_O_VLAN0_TCI_LSB 230
#define TW_M_O_VLAN0_TCI_W 16
#define TW_M_O_VLAN1_TPID_LSB 246
#define TW_M_O_VLAN1_TPID_W 2
#define TW_M_O_VLAN1_TCI_LSB 248
#define TW_M_O_VLAN1_TCI_W 16
#define TW_M_O_MPLS_N_LSB 264
#define TW_M_O_MPLS_N_W 3
#define TW_M_O_MPLS0_LSB 267
#define TW_M_O_MPLS0_W 32
#define TW_M_O_MPLS1_LSB 299
#define TW_M_O_MPLS1_W 32
#define TW_M_O_MPLS2_LSB 331
#define TW_M_O_MPLS2_W 32
#define TW_M_O_MPLS3_LSB 363
#define TW_M_O_MPLS3_W 32
#define TW_M_O_MPLS_CW_LSB 395
#define TW_M_O_MPLS_CW_W 1
#define TW_M_O_ETHERTYPE_LSB 396
#define TW_M_O_ETHERTYPE_W 16
#define TW_M_O_IP_VER_LSB 412
#define TW_M_O_IP_VER_W 4
#define TW_M_O_IP_IHL_LSB 416
#define TW_M_O_IP_IHL_W 4
#define TW_M_O_IP_TOS_LSB 420
#define TW_M_O_IP_TOS_W 8
#define TW_M_O_IP_LEN_LSB 428
#define TW_M_O_IP_LEN_W 16
#define TW_M_O_IP_ID_LSB 444
#define TW_M_O_IP_ID_W 16
#define TW_M_O_IP_DF_LSB 460
#define TW_M_O_IP_DF_W 1
#define TW_M_O_IP_MF_LSB 461
#define TW_M_O_IP_MF_W 1
#define TW_M_O_IP_FRAGOFF_LSB 462
#define TW_M_O_IP_FRAGOFF_W 13
#define TW_M_O_IP_FRAG_LSB 475
#define TW_M_O_IP_FRAG_W 1
#define TW_M_O_IP_TTL_LSB 476
#define TW_M_O_IP_TTL_W 8
#define TW_M_O_IP_PROTO_LSB 484
#define TW_M_O_IP_PROTO_W 8
#define TW_M_O_IP_CSUM_OK_LSB 492
#define TW_M_O_IP_CSUM_OK_W 1
#define TW_M_O_IP_FLOW_LSB 493
#define TW_M_O_IP_FLOW_W 20
#define TW_M_O_IP_SRC_LSB 513
#define TW_M_O_IP_SRC_W 128
#define TW_M_O_IP_DST_LSB 641
#define TW_M_O_IP_DST_W 128
#define TW_M_O_IP6_EXT_N_LSB 769
#define TW_M_O_IP6_EXT_N_W 3
#define TW_M_O_IP6_EXT0_LSB 772
#define TW_M_O_IP6_EXT0_W 8
#define TW_M_O_IP6_EXT1_LSB 780
#define TW_M_O_IP6_EXT1_W 8
#define TW_M_O_IP6_EXT2_LSB 788
#define TW_M_O_IP6_EXT2_W 8
#define TW_M_O_IP6_EXT3_LSB 796
#define TW_M_O_IP6_EXT3_W 8
#define TW_M_O_IP6_SRH_LSB 804
#define TW_M_O_IP6_SRH_W 1
#define TW_M_O_IP6_SEGLEFT_LSB 805
#define TW_M_O_IP6_SEGLEFT_W 8
#define TW_M_O_IP6_FRAGID_LSB 813
#define TW_M_O_IP6_FRAGID_W 32
#define TW_M_O_L3_OFF_LSB 845
#define TW_M_O_L3_OFF_W 9
#define TW_M_O_L3_HDRLEN_LSB 854
#define TW_M_O_L3_HDRLEN_W 9
#define TW_M_O_L3_HEAD_LSB 863
#define TW_M_O_L3_HEAD_W 128
#define TW_M_O_L3_HEAD_N_LSB 991
#define TW_M_O_L3_HEAD_N_W 5
#define TW_M_O_L4_LSB 996
#define TW_M_O_L4_W 1
#define TW_M_O_SPORT_LSB 997
#define TW_M_O_SPORT_W 16
#define TW_M_O_DPORT_LSB 1013
#define TW_M_O_DPORT_W 16
#define TW_M_O_TCP_FLAGS_LSB 1029
#define TW_M_O_TCP_FLAGS_W 8
#define TW_M_O_TCP_SEQ_LSB 1037
#define TW_M_O_TCP_SEQ_W 32
#define TW_M_O_UDP_LEN_LSB 1069
#define TW_M_O_UDP_LEN_W 16
#define TW_M_O_SCTP_VTAG_LSB 1085
#define TW_M_O_SCTP_VTAG_W 32
#define TW_M_O_SCTP_CHUNK_LSB 1117
#define TW_M_O_SCTP_CHUNK_W 8
#define TW_M_O_SCTP_PPID_V_LSB 1125
#define TW_M_O_SCTP_PPID_V_W 1
#define TW_M_O_SCTP_PPID_LSB 1126
#define TW_M_O_SCTP_PPID_W 32
#define TW_M_O_ICMP_TYPE_LSB 1158
#define TW_M_O_ICMP_TYPE_W 8
#define TW_M_O_ICMP_CODE_LSB 1166
#define TW_M_O_ICMP_CODE_W 8
#define TW_M_TUN_KIND_LSB 1174
#define TW_M_TUN_KIND_W 4
#define TW_M_TUN_ID_V_LSB 1178
#define TW_M_TUN_ID_V_W 1
#define TW_M_TUN_ID_LSB 1179
#define TW_M_TUN_ID_W 32
#define TW_M_GRE_FLAGS_LSB 1211
#define TW_M_GRE_FLAGS_W 16
#define TW_M_GRE_PROTO_LSB 1227
#define TW_M_GRE_PROTO_W 16
#define TW_M_GRE_SEQ_LSB 1243
#define TW_M_GRE_SEQ_W 32
#define TW_M_ERSPAN_VLAN_LSB 1275
#define TW_M_ERSPAN_VLAN_W 12
#define TW_M_ERSPAN_COS_LSB 1287
#define TW_M_ERSPAN_COS_W 3
#define TW_M_ERSPAN_IDX_LSB 1290
#define TW_M_ERSPAN_IDX_W 20
#define TW_M_ERSPAN_TS_LSB 1310
#define TW_M_ERSPAN_TS_W 32
#define TW_M_ERSPAN_FT_LSB 1342
#define TW_M_ERSPAN_FT_W 5
#define TW_M_GTP_FLAGS_LSB 1347
#define TW_M_GTP_FLAGS_W 8
#define TW_M_GTP_TYPE_LSB 1355
#define TW_M_GTP_TYPE_W 8
#define TW_M_GTP_SEQ_LSB 1363
#define TW_M_GTP_SEQ_W 16
#define TW_M_GTP_EXT_N_LSB 1379
#define TW_M_GTP_EXT_N_W 3
#define TW_M_GTP_QFI_V_LSB 1382
#define TW_M_GTP_QFI_V_W 1
#define TW_M_GTP_QFI_LSB 1383
#define TW_M_GTP_QFI_W 6
#define TW_M_GTP_PDU_DIR_LSB 1389
#define TW_M_GTP_PDU_DIR_W 4
#define TW_M_TZSP_TYPE_LSB 1393
#define TW_M_TZSP_TYPE_W 8
#define TW_M_TZSP_ENCAP_LSB 1401
#define TW_M_TZSP_ENCAP_W 16
#define TW_M_GENEVE_OPT_LSB 1417
#define TW_M_GENEVE_OPT_W 6
#define TW_M_INNER_LSB 1423
#define TW_M_INNER_W 1
#define TW_M_I_L2_LSB 1424
#define TW_M_I_L2_W 1
#define TW_M_I_DMAC_LSB 1425
#define TW_M_I_DMAC_W 48
#define TW_M_I_SMAC_LSB 1473
#define TW_M_I_SMAC_W 48
#define TW_M_I_VLAN_N_LSB 1521
#define TW_M_I_VLAN_N_W 2
#define TW_M_I_VLAN0_TPID_LSB 1523
#define TW_M_I_VLAN0_TPID_W 2
#define TW_M_I_VLAN0_TCI_LSB 1525
#define TW_M_I_VLAN0_TCI_W 16
#define TW_M_I_VLAN1_TPID_LSB 1541
#define TW_M_I_VLAN1_TPID_W 2
#define TW_M_I_VLAN1_TCI_LSB 1543
#define TW_M_I_VLAN1_TCI_W 16
#define TW_M_I_MPLS_N_LSB 1559
#define TW_M_I_MPLS_N_W 3
#define TW_M_I_MPLS0_LSB 1562
#define TW_M_I_MPLS0_W 32
#define TW_M_I_MPLS1_LSB 1594
#define TW_M_I_MPLS1_W 32
#define TW_M_I_MPLS2_LSB 1626
#define TW_M_I_MPLS2_W 32
#define TW_M_I_MPLS3_LSB 1658
#define TW_M_I_MPLS3_W 32
#define TW_M_I_MPLS_CW_LSB 1690
#define TW_M_I_MPLS_CW_W 1
#define TW_M_I_ETHERTYPE_LSB 1691
#define TW_M_I_ETHERTYPE_W 16
#define TW_M_I_IP_VER_LSB 1707
#define TW_M_I_IP_VER_W 4
#define TW_M_I_IP_IHL_LSB 1711
#define TW_M_I_IP_IHL_W 4
#define TW_M_I_IP_TOS_LSB 1715
#define TW_M_I_IP_TOS_W 8
#define TW_M_I_IP_LEN_LSB 1723
#define TW_M_I_IP_LEN_W 16
#define TW_M_I_IP_ID_LSB 1739
#define TW_M_I_IP_ID_W 16
#define TW_M_I_IP_DF_LSB 1755
#define TW_M_I_IP_DF_W 1
#define TW_M_I_IP_MF_LSB 1756
#define TW_M_I_IP_MF_W 1
#define TW_M_I_IP_FRAGOFF_LSB 1757
#define TW_M_I_IP_FRAGOFF_W 13
#define TW_M_I_IP_FRAG_LSB 1770
#define TW_M_I_IP_FRAG_W 1
#define TW_M_I_IP_TTL_LSB 1771
#define TW_M_I_IP_TTL_W 8
#define TW_M_I_IP_PROTO_LSB 1779
#define TW_M_I_IP_PROTO_W 8
#define TW_M_I_IP_CSUM_OK_LSB 1787
#define TW_M_I_IP_CSUM_OK_W 1
#define TW_M_I_IP_FLOW_LSB 1788
#define TW_M_I_IP_FLOW_W 20
#define TW_M_I_IP_SRC_LSB 1808
#define TW_M_I_IP_SRC_W 128
#define TW_M_I_IP_DST_LSB 1936
#define TW_M_I_IP_DST_W 128
#define TW_M_I_IP6_EXT_N_LSB 2064
#define TW_M_I_IP6_EXT_N_W 3
#define TW_M_I_IP6_EXT0_LSB 2067
#define TW_M_I_IP6_EXT0_W 8
#define TW_M_I_IP6_EXT1_LSB 2075
#define TW_M_I_IP6_EXT1_W 8
#define TW_M_I_IP6_EXT2_LSB 2083
#define TW_M_I_IP6_EXT2_W 8
#define TW_M_I_IP6_EXT3_LSB 2091
#define TW_M_I_IP6_EXT3_W 8
#define TW_M_I_IP6_SRH_LSB 2099
#define TW_M_I_IP6_SRH_W 1
#define TW_M_I_IP6_SEGLEFT_LSB 2100
#define TW_M_I_IP6_SEGLEFT_W 8
#define TW_M_I_IP6_FRAGID_LSB 2108
#define TW_M_I_IP6_FRAGID_W 32
#define TW_M_I_L3_OFF_LSB 2140
#define TW_M_I_L3_OFF_W 9
#define TW_M_I_L3_HDRLEN_LSB 2149
#define TW_M_I_L3_HDRLEN_W 9
#define TW_M_I_L3_HEAD_LSB 2158
#define TW_M_I_L3_HEAD_W 128
#define TW_M_I_L3_HEAD_N_LSB 2286
#define TW_M_I_L3_HEAD_N_W 5
#define TW_M_I_L4_LSB 2291
#define TW_M_I_L4_W 1
#define TW_M_I_SPORT_LSB 2292
#define TW_M_I_SPORT_W 16
#define TW_M_I_DPORT_LSB 2308
#define TW_M_I_DPORT_W 16
#define TW_M_I_TCP_FLAGS_LSB 2324
#define TW_M_I_TCP_FLAGS_W 8
#define TW_M_I_TCP_SEQ_LSB 2332
#define TW_M_I_TCP_SEQ_W 32
#define TW_M_I_UDP_LEN_LSB 2364
#define TW_M_I_UDP_LEN_W 16
#define TW_M_I_SCTP_VTAG_LSB 2380
#define TW_M_I_SCTP_VTAG_W 32
#define TW_M_I_SCTP_CHUNK_LSB 2412
#define TW_M_I_SCTP_CHUNK_W 8
#define TW_M_I_SCTP_PPID_V_LSB 2420
#define TW_M_I_SCTP_PPID_V_W 1
#define TW_M_I_SCTP_PPID_LSB 2421
#define TW_M_I_SCTP_PPID_W 32
#define TW_M_I_ICMP_TYPE_LSB 2453
#define TW_M_I_ICMP_TYPE_W 8
#define TW_M_I_ICMP_CODE_LSB 2461
#define TW_M_I_ICMP_CODE_W 8
#define TW_M_WIDTH 2469
#define TW_M_BYTES ((TW_M_WIDTH + 7) / 8)

/* The record meta decoded: one member per field (arrays are wire order). */
struct tw_meta {
    uint64_t ts; /* 64 bits: timestamp in ns sampled at start of frame */
    uint16_t len; /* 16 bits: frame length in bytes as received (no preamble; FCS if the MAC keeps it) */
    uint8_t port; /* 1 bits: ingress port: 0 = A, 1 = B */
    uint32_t fseq; /* 32 bits: per-port frame sequence number, starting at 0 after reset */
    uint16_t err; /* 16 bits: error bits, ERR_* */
    uint8_t o_l2; /* 1 bits: an Ethernet header was parsed at this level (inner: tunnel carries Ethernet) */
    uint64_t o_dmac; /* 48 bits: destination MAC */
    uint64_t o_smac; /* 48 bits: source MAC */
    uint8_t o_vlan_n; /* 2 bits: number of VLAN tags (0..2) */
    uint8_t o_vlan0_tpid; /* 2 bits: outer tag TPID code */
    uint16_t o_vlan0_tci; /* 16 bits: outer tag PCP(3) DEI(1) VID(12) */
    uint8_t o_vlan1_tpid; /* 2 bits */
    uint16_t o_vlan1_tci; /* 16 bits */
    uint8_t o_mpls_n; /* 3 bits: number of MPLS label stack entries (0..4) */
    uint32_t o_mpls0; /* 32 bits: label(20) TC(3) S(1) TTL(8), top of stack first */
    uint32_t o_mpls1; /* 32 bits */
    uint32_t o_mpls2; /* 32 bits */
    uint32_t o_mpls3; /* 32 bits */
    uint8_t o_mpls_cw; /* 1 bits: a pseudowire control word (first nibble 0) followed the stack */
    uint16_t o_ethertype; /* 16 bits: the last ethertype (after tags); 0 when there is no L2 header */
    uint8_t o_ip_ver; /* 4 bits: 4, 6, or 0 when no IP header */
    uint8_t o_ip_ihl; /* 4 bits: IPv4 header length in 32-bit words */
    uint8_t o_ip_tos; /* 8 bits: IPv4 DSCP/ECN, IPv6 traffic class */
    uint16_t o_ip_len; /* 16 bits: IPv4 total length, IPv6 payload length */
    uint16_t o_ip_id; /* 16 bits: IPv4 identification */
    uint8_t o_ip_df; /* 1 bits: IPv4 don't fragment */
    uint8_t o_ip_mf; /* 1 bits: more fragments (IPv4 flag or IPv6 fragment header M) */
    uint16_t o_ip_fragoff; /* 13 bits: fragment offset in 8-byte units (IPv4 or IPv6 fragment header) */
    uint8_t o_ip_frag; /* 1 bits: the packet is a fragment (MF set or offset non-zero) */
    uint8_t o_ip_ttl; /* 8 bits: TTL or hop limit */
    uint8_t o_ip_proto; /* 8 bits: upper-layer protocol (after IPv6 extension headers) */
    uint8_t o_ip_csum_ok; /* 1 bits: IPv4 header checksum verified correct */
    uint32_t o_ip_flow; /* 20 bits: IPv6 flow label */
    uint8_t o_ip_src[16]; /* 128 bits: source address; IPv4 in the last 4 bytes (::a.b.c.d layout) */
    uint8_t o_ip_dst[16]; /* 128 bits: destination address */
    uint8_t o_ip6_ext_n; /* 3 bits: number of IPv6 extension headers parsed (0..4) */
    uint8_t o_ip6_ext0; /* 8 bits: next-header code of each extension header, in order */
    uint8_t o_ip6_ext1; /* 8 bits */
    uint8_t o_ip6_ext2; /* 8 bits */
    uint8_t o_ip6_ext3; /* 8 bits */
    uint8_t o_ip6_srh; /* 1 bits: an SRv6 routing header (type 4) was seen */
    uint8_t o_ip6_segleft; /* 8 bits: its segments left */
    uint32_t o_ip6_fragid; /* 32 bits: IPv6 fragment header identification */
    uint16_t o_l3_off; /* 9 bits: byte offset of the IP header in the frame (outer) or in the parser window (inner) */
    uint16_t o_l3_hdrlen; /* 9 bits: IP header length in bytes including options / extension headers */
    uint8_t o_l3_head[16]; /* 128 bits: the first 16 bytes after the IP header chain, zero-padded (mirror digest) */
    uint8_t o_l3_head_n; /* 5 bits: how many of those 16 bytes were present in the frame */
    uint8_t o_l4; /* 1 bits: an L4 header was parsed (never on non-first fragments) */
    uint16_t o_sport; /* 16 bits: TCP/UDP/SCTP source port */
    uint16_t o_dport; /* 16 bits: TCP/UDP/SCTP destination port */
    uint8_t o_tcp_flags; /* 8 bits: CWR ECE URG ACK PSH RST SYN FIN */
    uint32_t o_tcp_seq; /* 32 bits */
    uint16_t o_udp_len; /* 16 bits */
    uint32_t o_sctp_vtag; /* 32 bits */
    uint8_t o_sctp_chunk; /* 8 bits: type of the first chunk */
    uint8_t o_sctp_ppid_v; /* 1 bits: a DATA chunk came first and sctp_ppid is valid */
    uint32_t o_sctp_ppid; /* 32 bits */
    uint8_t o_icmp_type; /* 8 bits */
    uint8_t o_icmp_code; /* 8 bits */
    uint8_t tun_kind; /* 4 bits: TUN_* */
    uint8_t tun_id_v; /* 1 bits: tun_id is valid */
    uint32_t tun_id; /* 32 bits: GRE key, ERSPAN session id, VNI, TEID or L2TPv3 session id */
    uint16_t gre_flags; /* 16 bits: GRE flags and version word */
    uint16_t gre_proto; /* 16 bits */
    uint32_t gre_seq; /* 32 bits */
    uint16_t erspan_vlan; /* 12 bits */
    uint8_t erspan_cos; /* 3 bits */
    uint32_t erspan_idx; /* 20 bits: ERSPAN II index */
    uint32_t erspan_ts; /* 32 bits: ERSPAN III timestamp */
    uint8_t erspan_ft; /* 5 bits: ERSPAN III frame type */
    uint8_t gtp_flags; /* 8 bits */
    uint8_t gtp_type; /* 8 bits: message type (255 = G-PDU) */
    uint16_t gtp_seq; /* 16 bits */
    uint8_t gtp_ext_n; /* 3 bits: number of extension headers */
    uint8_t gtp_qfi_v; /* 1 bits: a PDU session container was seen */
    uint8_t gtp_qfi; /* 6 bits */
    uint8_t gtp_pdu_dir; /* 4 bits: PDU type of the PDU session container: 0 downlink, 1 uplink */
    uint8_t tzsp_type; /* 8 bits */
    uint16_t tzsp_encap; /* 16 bits */
    uint8_t geneve_opt; /* 6 bits: Geneve option length in 4-byte words */
    uint8_t inner; /* 1 bits: an inner packet or frame was parsed */
    uint8_t i_l2; /* 1 bits: an Ethernet header was parsed at this level (inner: tunnel carries Ethernet) */
    uint64_t i_dmac; /* 48 bits: destination MAC */
    uint64_t i_smac; /* 48 bits: source MAC */
    uint8_t i_vlan_n; /* 2 bits: number of VLAN tags (0..2) */
    uint8_t i_vlan0_tpid; /* 2 bits: outer tag TPID code */
    uint16_t i_vlan0_tci; /* 16 bits: outer tag PCP(3) DEI(1) VID(12) */
    uint8_t i_vlan1_tpid; /* 2 bits */
    uint16_t i_vlan1_tci; /* 16 bits */
    uint8_t i_mpls_n; /* 3 bits: number of MPLS label stack entries (0..4) */
    uint32_t i_mpls0; /* 32 bits: label(20) TC(3) S(1) TTL(8), top of stack first */
    uint32_t i_mpls1; /* 32 bits */
    uint32_t i_mpls2; /* 32 bits */
    uint32_t i_mpls3; /* 32 bits */
    uint8_t i_mpls_cw; /* 1 bits: a pseudowire control word (first nibble 0) followed the stack */
    uint16_t i_ethertype; /* 16 bits: the last ethertype (after tags); 0 when there is no L2 header */
    uint8_t i_ip_ver; /* 4 bits: 4, 6, or 0 when no IP header */
    uint8_t i_ip_ihl; /* 4 bits: IPv4 header length in 32-bit words */
    uint8_t i_ip_tos; /* 8 bits: IPv4 DSCP/ECN, IPv6 traffic class */
    uint16_t i_ip_len; /* 16 bits: IPv4 total length, IPv6 payload length */
    uint16_t i_ip_id; /* 16 bits: IPv4 identification */
    uint8_t i_ip_df; /* 1 bits: IPv4 don't fragment */
    uint8_t i_ip_mf; /* 1 bits: more fragments (IPv4 flag or IPv6 fragment header M) */
    uint16_t i_ip_fragoff; /* 13 bits: fragment offset in 8-byte units (IPv4 or IPv6 fragment header) */
    uint8_t i_ip_frag; /* 1 bits: the packet is a fragment (MF set or offset non-zero) */
    uint8_t i_ip_ttl; /* 8 bits: TTL or hop limit */
    uint8_t i_ip_proto; /* 8 bits: upper-layer protocol (after IPv6 extension headers) */
    uint8_t i_ip_csum_ok; /* 1 bits: IPv4 header checksum verified correct */
    uint32_t i_ip_flow; /* 20 bits: IPv6 flow label */
    uint8_t i_ip_src[16]; /* 128 bits: source address; IPv4 in the last 4 bytes (::a.b.c.d layout) */
    uint8_t i_ip_dst[16]; /* 128 bits: destination address */
    uint8_t i_ip6_ext_n; /* 3 bits: number of IPv6 extension headers parsed (0..4) */
    uint8_t i_ip6_ext0; /* 8 bits: next-header code of each extension header, in order */
    uint8_t i_ip6_ext1; /* 8 bits */
    uint8_t i_ip6_ext2; /* 8 bits */
    uint8_t i_ip6_ext3; /* 8 bits */
    uint8_t i_ip6_srh; /* 1 bits: an SRv6 routing header (type 4) was seen */
    uint8_t i_ip6_segleft; /* 8 bits: its segments left */
    uint32_t i_ip6_fragid; /* 32 bits: IPv6 fragment header identification */
    uint16_t i_l3_off; /* 9 bits: byte offset of the IP header in the frame (outer) or in the parser window (inner) */
    uint16_t i_l3_hdrlen; /* 9 bits: IP header length in bytes including options / extension headers */
    uint8_t i_l3_head[16]; /* 128 bits: the first 16 bytes after the IP header chain, zero-padded (mirror digest) */
    uint8_t i_l3_head_n; /* 5 bits: how many of those 16 bytes were present in the frame */
    uint8_t i_l4; /* 1 bits: an L4 header was parsed (never on non-first fragments) */
    uint16_t i_sport; /* 16 bits: TCP/UDP/SCTP source port */
    uint16_t i_dport; /* 16 bits: TCP/UDP/SCTP destination port */
    uint8_t i_tcp_flags; /* 8 bits: CWR ECE URG ACK PSH RST SYN FIN */
    uint32_t i_tcp_seq; /* 32 bits */
    uint16_t i_udp_len; /* 16 bits */
    uint32_t i_sctp_vtag; /* 32 bits */
    uint8_t i_sctp_chunk; /* 8 bits: type of the first chunk */
    uint8_t i_sctp_ppid_v; /* 1 bits: a DATA chunk came first and sctp_ppid is valid */
    uint32_t i_sctp_ppid; /* 32 bits */
    uint8_t i_icmp_type; /* 8 bits */
    uint8_t i_icmp_code; /* 8 bits */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_META_FIELDS(X) \
    X(ts, 0, 64) \
    X(len, 64, 16) \
    X(port, 80, 1) \
    X(fseq, 81, 32) \
    X(err, 113, 16) \
    X(o_l2, 129, 1) \
    X(o_dmac, 130, 48) \
    X(o_smac, 178, 48) \
    X(o_vlan_n, 226, 2) \
    X(o_vlan0_tpid, 228, 2) \
    X(o_vlan0_tci, 230, 16) \
    X(o_vlan1_tpid, 246, 2) \
    X(o_vlan1_tci, 248, 16) \
    X(o_mpls_n, 264, 3) \
    X(o_mpls0, 267, 32) \
    X(o_mpls1, 299, 32) \
    X(o_mpls2, 331, 32) \
    X(o_mpls3, 363, 32) \
    X(o_mpls_cw, 395, 1) \
    X(o_ethertype, 396, 16) \
    X(o_ip_ver, 412, 4) \
    X(o_ip_ihl, 416, 4) \
    X(o_ip_tos, 420, 8) \
    X(o_ip_len, 428, 16) \
    X(o_ip_id, 444, 16) \
    X(o_ip_df, 460, 1) \
    X(o_ip_mf, 461, 1) \
    X(o_ip_fragoff, 462, 13) \
    X(o_ip_frag, 475, 1) \
    X(o_ip_ttl, 476, 8) \
    X(o_ip_proto, 484, 8) \
    X(o_ip_csum_ok, 492, 1) \
    X(o_ip_flow, 493, 20) \
    X(o_ip_src, 513, 128) \
    X(o_ip_dst, 641, 128) \
    X(o_ip6_ext_n, 769, 3) \
    X(o_ip6_ext0, 772, 8) \
    X(o_ip6_ext1, 780, 8) \
    X(o_ip6_ext2, 788, 8) \
    X(o_ip6_ext3, 796, 8) \
    X(o_ip6_srh, 804, 1) \
    X(o_ip6_segleft, 805, 8) \
    X(o_ip6_fragid, 813, 32) \
    X(o_l3_off, 845, 9) \
    X(o_l3_hdrlen, 854, 9) \
    X(o_l3_head, 863, 128) \
    X(o_l3_head_n, 991, 5) \
    X(o_l4, 996, 1) \
    X(o_sport, 997, 16) \
    X(o_dport, 1013, 16) \
    X(o_tcp_flags, 1029, 8) \
    X(o_tcp_seq, 1037, 32) \
    X(o_udp_len, 1069, 16) \
    X(o_sctp_vtag, 1085, 32) \
    X(o_sctp_chunk, 1117, 8) \
    X(o_sctp_ppid_v, 1125, 1) \
    X(o_sctp_ppid, 1126, 32) \
    X(o_icmp_type, 1158, 8) \
    X(o_icmp_code, 1166, 8) \
    X(tun_kind, 1174, 4) \
    X(tun_id_v, 1178, 1) \
    X(tun_id, 1179, 32) \
    X(gre_flags, 1211, 16) \
    X(gre_proto, 1227, 16) \
    X(gre_seq, 1243, 32) \
    X(erspan_vlan, 1275, 12) \
    X(erspan_cos, 1287, 3) \
    X(erspan_idx, 1290, 20) \
    X(erspan_ts, 1310, 32) \
    X(erspan_ft, 1342, 5) \
    X(gtp_flags, 1347, 8) \
    X(gtp_type, 1355, 8) \
    X(gtp_seq, 1363, 16) \
    X(gtp_ext_n, 1379, 3) \
    X(gtp_qfi_v, 1382, 1) \
    X(gtp_qfi, 1383, 6) \
    X(gtp_pdu_dir, 1389, 4) \
    X(tzsp_type, 1393, 8) \
    X(tzsp_encap, 1401, 16) \
    X(geneve_opt, 1417, 6) \
    X(inner, 1423, 1) \
    X(i_l2, 1424, 1) \
    X(i_dmac, 1425, 48) \
    X(i_smac, 1473, 48) \
    X(i_vlan_n, 1521, 2) \
    X(i_vlan0_tpid, 1523, 2) \
    X(i_vlan0_tci, 1525, 16) \
    X(i_vlan1_tpid, 1541, 2) \
    X(i_vlan1_tci, 1543, 16) \
    X(i_mpls_n, 1559, 3) \
    X(i_mpls0, 1562, 32) \
    X(i_mpls1, 1594, 32) \
    X(i_mpls2, 1626, 32) \
    X(i_mpls3, 1658, 32) \
    X(i_mpls_cw, 1690, 1) \
    X(i_ethertype, 1691, 16) \
    X(i_ip_ver, 1707, 4) \
    X(i_ip_ihl, 1711, 4) \
    X(i_ip_tos, 1715, 8) \
    X(i_ip_len, 1723, 16) \
    X(i_ip_id, 1739, 16) \
    X(i_ip_df, 1755, 1) \
    X(i_ip_mf, 1756, 1) \
    X(i_ip_fragoff, 1757, 13) \
    X(i_ip_frag, 1770, 1) \
    X(i_ip_ttl, 1771, 8) \
    X(i_ip_proto, 1779, 8) \
    X(i_ip_csum_ok, 1787, 1) \
    X(i_ip_flow, 1788, 20) \
    X(i_ip_src, 1808, 128) \
    X(i_ip_dst, 1936, 128) \
    X(i_ip6_ext_n, 2064, 3) \
    X(i_ip6_ext0, 2067, 8) \
    X(i_ip6_ext1, 2075, 8) \
    X(i_ip6_ext2, 2083, 8) \
    X(i_ip6_ext3, 2091, 8) \
    X(i_ip6_srh, 2099, 1) \
    X(i_ip6_segleft, 2100, 8) \
    X(i_ip6_fragid, 2108, 32) \
    X(i_l3_off, 2140, 9) \
    X(i_l3_hdrlen, 2149, 9) \
    X(i_l3_head, 2158, 128) \
    X(i_l3_head_n, 2286, 5) \
    X(i_l4, 2291, 1) \
    X(i_sport, 2292, 16) \
    X(i_dport, 2308, 16) \
    X(i_tcp_flags, 2324, 8) \
    X(i_tcp_seq, 2332, 32) \
    X(i_udp_len, 2364, 16) \
    X(i_sctp_vtag, 2380, 32) \
    X(i_sctp_chunk, 2412, 8) \
    X(i_sctp_ppid_v, 2420, 1) \
    X(i_sctp_ppid, 2421, 32) \
    X(i_icmp_type, 2453, 8) \
    X(i_icmp_code, 2461, 8)

#endif
