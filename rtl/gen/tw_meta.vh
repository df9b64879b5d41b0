// Generated from contracts/meta.def by contracts/gen.awk: do not edit.
`ifndef TW_META_VH
`define TW_META_VH
`define TW_ERR_RUNT 0
`define TW_ERR_GIANT 1
`define TW_ERR_TRUNC 2
`define TW_ERR_IPVER 3
`define TW_ERR_IHL 4
`define TW_ERR_IPLEN 5
`define TW_ERR_CSUM 6
`define TW_ERR_DEEP 7
`define TW_ERR_MACBAD 8
`define TW_ERR_INNER 9
`define TW_ERR_COUNT 10
`define TW_TUN_NONE 0
`define TW_TUN_GRE 1
`define TW_TUN_ERSPAN1 2
`define TW_TUN_ERSPAN2 3
`define TW_TUN_ERSPAN3 4
`define TW_TUN_GRETEB 5
`define TW_TUN_VXLAN 6
`define TW_TUN_GENEVE 7
`define TW_TUN_GTPU 8
`define TW_TUN_TZSP 9
`define TW_TUN_IPIP 10
`define TW_TUN_L2TPV3 11
`define TW_TUN_COUNT 12
`define TW_TPID_8100 0
`define TW_TPID_88A8 1
`define TW_TPID_9100 2
`define TW_M_TS 0 +: 64
`define TW_M_TS_LSB 0
`define TW_M_TS_W 64
`define TW_M_LEN 64 +: 16
`define TW_M_LEN_LSB 64
`define TW_M_LEN_W 16
`define TW_M_PORT 80 +: 1
`define TW_M_PORT_LSB 80
`define TW_M_PORT_W 1
`define TW_M_FSEQ 81 +: 32
`define TW_M_FSEQ_LSB 81
`define TW_M_FSEQ_W 32
`define TW_M_ERR 113 +: 16
`define TW_M_ERR_LSB 113
`define TW_M_ERR_W 16
`define TW_M_O_L2 129 +: 1
`define TW_M_O_L2_LSB 129
`define TW_M_O_L2_W 1
`define TW_M_O_DMAC 130 +: 48
`define TW_M_O_DMAC_LSB 130
`define TW_M_O_DMAC_W 48
`define TW_M_O_SMAC 178 +: 48
`define TW_M_O_SMAC_LSB 178
`define TW_M_O_SMAC_W 48
`define TW_M_O_VLAN_N 226 +: 2
`define TW_M_O_VLAN_N_LSB 226
`define TW_M_O_VLAN_N_W 2
`define TW_M_O_VLAN0_TPID 228 +: 2
`define TW_M_O_VLAN0_TPID_LSB 228
`define TW_M_O_VLAN0_TPID_W 2
`define TW_M_O_VLAN0_TCI 230 +: 16
`define TW_M_O_VLAN0_TCI_LSB 230
`define TW_M_O_VLAN0_TCI_W 16
`define TW_M_O_VLAN1_TPID 246 +: 2
`define TW_M_O_VLAN1_TPID_LSB 246
`define TW_M_O_VLAN1_TPID_W 2
`define TW_M_O_VLAN1_TCI 248 +: 16
`define TW_M_O_VLAN1_TCI_LSB 248
`define TW_M_O_VLAN1_TCI_W 16
`define TW_M_O_MPLS_N 264 +: 3
`define TW_M_O_MPLS_N_LSB 264
`define TW_M_O_MPLS_N_W 3
`define TW_M_O_MPLS0 267 +: 32
`define TW_M_O_MPLS0_LSB 267
`define TW_M_O_MPLS0_W 32
`define TW_M_O_MPLS1 299 +: 32
`define TW_M_O_MPLS1_LSB 299
`define TW_M_O_MPLS1_W 32
`define TW_M_O_MPLS2 331 +: 32
`define TW_M_O_MPLS2_LSB 331
`define TW_M_O_MPLS2_W 32
`define TW_M_O_MPLS3 363 +: 32
`define TW_M_O_MPLS3_LSB 363
`define TW_M_O_MPLS3_W 32
`define TW_M_O_MPLS_CW 395 +: 1
`define TW_M_O_MPLS_CW_LSB 395
`define TW_M_O_MPLS_CW_W 1
`define TW_M_O_ETHERTYPE 396 +: 16
`define TW_M_O_ETHERTYPE_LSB 396
`define TW_M_O_ETHERTYPE_W 16
`define TW_M_O_IP_VER 412 +: 4
`define TW_M_O_IP_VER_LSB 412
`define TW_M_O_IP_VER_W 4
`define TW_M_O_IP_IHL 416 +: 4
`define TW_M_O_IP_IHL_LSB 416
`define TW_M_O_IP_IHL_W 4
`define TW_M_O_IP_TOS 420 +: 8
`define TW_M_O_IP_TOS_LSB 420
`define TW_M_O_IP_TOS_W 8
`define TW_M_O_IP_LEN 428 +: 16
`define TW_M_O_IP_LEN_LSB 428
`define TW_M_O_IP_LEN_W 16
`define TW_M_O_IP_ID 444 +: 16
`define TW_M_O_IP_ID_LSB 444
`define TW_M_O_IP_ID_W 16
`define TW_M_O_IP_DF 460 +: 1
`define TW_M_O_IP_DF_LSB 460
`define TW_M_O_IP_DF_W 1
`define TW_M_O_IP_MF 461 +: 1
`define TW_M_O_IP_MF_LSB 461
`define TW_M_O_IP_MF_W 1
`define TW_M_O_IP_FRAGOFF 462 +: 13
`define TW_M_O_IP_FRAGOFF_LSB 462
`define TW_M_O_IP_FRAGOFF_W 13
`define TW_M_O_IP_FRAG 475 +: 1
`define TW_M_O_IP_FRAG_LSB 475
`define TW_M_O_IP_FRAG_W 1
`define TW_M_O_IP_TTL 476 +: 8
`define TW_M_O_IP_TTL_LSB 476
`define TW_M_O_IP_TTL_W 8
`define TW_M_O_IP_PROTO 484 +: 8
`define TW_M_O_IP_PROTO_LSB 484
`define TW_M_O_IP_PROTO_W 8
`define TW_M_O_IP_CSUM_OK 492 +: 1
`define TW_M_O_IP_CSUM_OK_LSB 492
`define TW_M_O_IP_CSUM_OK_W 1
`define TW_M_O_IP_FLOW 493 +: 20
`define TW_M_O_IP_FLOW_LSB 493
`define TW_M_O_IP_FLOW_W 20
`define TW_M_O_IP_SRC 513 +: 128
`define TW_M_O_IP_SRC_LSB 513
`define TW_M_O_IP_SRC_W 128
`define TW_M_O_IP_DST 641 +: 128
`define TW_M_O_IP_DST_LSB 641
`define TW_M_O_IP_DST_W 128
`define TW_M_O_IP6_EXT_N 769 +: 3
`define TW_M_O_IP6_EXT_N_LSB 769
`define TW_M_O_IP6_EXT_N_W 3
`define TW_M_O_IP6_EXT0 772 +: 8
`define TW_M_O_IP6_EXT0_LSB 772
`define TW_M_O_IP6_EXT0_W 8
`define TW_M_O_IP6_EXT1 780 +: 8
`define TW_M_O_IP6_EXT1_LSB 780
`define TW_M_O_IP6_EXT1_W 8
`define TW_M_O_IP6_EXT2 788 +: 8
`define TW_M_O_IP6_EXT2_LSB 788
`define TW_M_O_IP6_EXT2_W 8
`define TW_M_O_IP6_EXT3 796 +: 8
`define TW_M_O_IP6_EXT3_LSB 796
`define TW_M_O_IP6_EXT3_W 8
`define TW_M_O_IP6_SRH 804 +: 1
`define TW_M_O_IP6_SRH_LSB 804
`define TW_M_O_IP6_SRH_W 1
`define TW_M_O_IP6_SEGLEFT 805 +: 8
`define TW_M_O_IP6_SEGLEFT_LSB 805
`define TW_M_O_IP6_SEGLEFT_W 8
`define TW_M_O_IP6_FRAGID 813 +: 32
`define TW_M_O_IP6_FRAGID_LSB 813
`define TW_M_O_IP6_FRAGID_W 32
`define TW_M_O_L3_OFF 845 +: 9
`define TW_M_O_L3_OFF_LSB 845
`define TW_M_O_L3_OFF_W 9
`define TW_M_O_L3_HDRLEN 854 +: 9
`define TW_M_O_L3_HDRLEN_LSB 854
`define TW_M_O_L3_HDRLEN_W 9
`define TW_M_O_L3_HEAD 863 +: 128
`define TW_M_O_L3_HEAD_LSB 863
`define TW_M_O_L3_HEAD_W 128
`define TW_M_O_L3_HEAD_N 991 +: 5
`define TW_M_O_L3_HEAD_N_LSB 991
`define TW_M_O_L3_HEAD_N_W 5
`define TW_M_O_L4 996 +: 1
`define TW_M_O_L4_LSB 996
`define TW_M_O_L4_W 1
`define TW_M_O_SPORT 997 +: 16
`define TW_M_O_SPORT_LSB 997
`define TW_M_O_SPORT_W 16
`define TW_M_O_DPORT 1013 +: 16
`define TW_M_O_DPORT_LSB 1013
`define TW_M_O_DPORT_W 16
`define TW_M_O_TCP_FLAGS 1029 +: 8
`define TW_M_O_TCP_FLAGS_LSB 1029
`define TW_M_O_TCP_FLAGS_W 8
`define TW_M_O_TCP_SEQ 1037 +: 32
`define TW_M_O_TCP_SEQ_LSB 1037
`define TW_M_O_TCP_SEQ_W 32
`define TW_M_O_UDP_LEN 1069 +: 16
`define TW_M_O_UDP_LEN_LSB 1069
`define TW_M_O_UDP_LEN_W 16
`define TW_M_O_SCTP_VTAG 1085 +: 32
`define TW_M_O_SCTP_VTAG_LSB 1085
`define TW_M_O_SCTP_VTAG_W 32
`define TW_M_O_SCTP_CHUNK 1117 +: 8
`define TW_M_O_SCTP_CHUNK_LSB 1117
`define TW_M_O_SCTP_CHUNK_W 8
`define TW_M_O_SCTP_PPID_V 1125 +: 1
`define TW_M_O_SCTP_PPID_V_LSB 1125
`define TW_M_O_SCTP_PPID_V_W 1
`define TW_M_O_SCTP_PPID 1126 +: 32
`define TW_M_O_SCTP_PPID_LSB 1126
`define TW_M_O_SCTP_PPID_W 32
`define TW_M_O_ICMP_TYPE 1158 +: 8
`define TW_M_O_ICMP_TYPE_LSB 1158
`define TW_M_O_ICMP_TYPE_W 8
`define TW_M_O_ICMP_CODE 1166 +: 8
`define TW_M_O_ICMP_CODE_LSB 1166
`define TW_M_O_ICMP_CODE_W 8
`define TW_M_TUN_KIND 1174 +: 4
`define TW_M_TUN_KIND_LSB 1174
`define TW_M_TUN_KIND_W 4
`define TW_M_TUN_ID_V 1178 +: 1
`define TW_M_TUN_ID_V_LSB 1178
`define TW_M_TUN_ID_V_W 1
`define TW_M_TUN_ID 1179 +: 32
`define TW_M_TUN_ID_LSB 1179
`define TW_M_TUN_ID_W 32
`define TW_M_GRE_FLAGS 1211 +: 16
`define TW_M_GRE_FLAGS_LSB 1211
`define TW_M_GRE_FLAGS_W 16
`define TW_M_GRE_PROTO 1227 +: 16
`define TW_M_GRE_PROTO_LSB 1227
`define TW_M_GRE_PROTO_W 16
`define TW_M_GRE_SEQ 1243 +: 32
`define TW_M_GRE_SEQ_LSB 1243
`define TW_M_GRE_SEQ_W 32
`define TW_M_ERSPAN_VLAN 1275 +: 12
`define TW_M_ERSPAN_VLAN_LSB 1275
`define TW_M_ERSPAN_VLAN_W 12
`define TW_M_ERSPAN_COS 1287 +: 3
`define TW_M_ERSPAN_COS_LSB 1287
`define TW_M_ERSPAN_COS_W 3
`define TW_M_ERSPAN_IDX 1290 +: 20
`define TW_M_ERSPAN_IDX_LSB 1290
`define TW_M_ERSPAN_IDX_W 20
`define TW_M_ERSPAN_TS 1310 +: 32
`define TW_M_ERSPAN_TS_LSB 1310
`define TW_M_ERSPAN_TS_W 32
`define TW_M_ERSPAN_FT 1342 +: 5
`define TW_M_ERSPAN_FT_LSB 1342
`define TW_M_ERSPAN_FT_W 5
`define TW_M_GTP_FLAGS 1347 +: 8
`define TW_M_GTP_FLAGS_LSB 1347
`define TW_M_GTP_FLAGS_W 8
`define TW_M_GTP_TYPE 1355 +: 8
`define TW_M_GTP_TYPE_LSB 1355
`define TW_M_GTP_TYPE_W 8
`define TW_M_GTP_SEQ 1363 +: 16
`define TW_M_GTP_SEQ_LSB 1363
`define TW_M_GTP_SEQ_W 16
`define TW_M_GTP_EXT_N 1379 +: 3
`define TW_M_GTP_EXT_N_LSB 1379
`define TW_M_GTP_EXT_N_W 3
`define TW_M_GTP_QFI_V 1382 +: 1
`define TW_M_GTP_QFI_V_LSB 1382
`define TW_M_GTP_QFI_V_W 1
`define TW_M_GTP_QFI 1383 +: 6
`define TW_M_GTP_QFI_LSB 1383
`define TW_M_GTP_QFI_W 6
`define TW_M_GTP_PDU_DIR 1389 +: 4
`define TW_M_GTP_PDU_DIR_LSB 1389
`define TW_M_GTP_PDU_DIR_W 4
`define TW_M_TZSP_TYPE 1393 +: 8
`define TW_M_TZSP_TYPE_LSB 1393
`define TW_M_TZSP_TYPE_W 8
`define TW_M_TZSP_ENCAP 1401 +: 16
`define TW_M_TZSP_ENCAP_LSB 1401
`define TW_M_TZSP_ENCAP_W 16
`define TW_M_GENEVE_OPT 1417 +: 6
`define TW_M_GENEVE_OPT_LSB 1417
`define TW_M_GENEVE_OPT_W 6
`define TW_M_INNER 1423 +: 1
`define TW_M_INNER_LSB 1423
`define TW_M_INNER_W 1
`define TW_M_I_L2 1424 +: 1
`define TW_M_I_L2_LSB 1424
`define TW_M_I_L2_W 1
`define TW_M_I_DMAC 1425 +: 48
`define TW_M_I_DMAC_LSB 1425
`define TW_M_I_DMAC_W 48
`define TW_M_I_SMAC 1473 +: 48
`define TW_M_I_SMAC_LSB 1473
`define TW_M_I_SMAC_W 48
`define TW_M_I_VLAN_N 1521 +: 2
`define TW_M_I_VLAN_N_LSB 1521
`define TW_M_I_VLAN_N_W 2
`define TW_M_I_VLAN0_TPID 1523 +: 2
`define TW_M_I_VLAN0_TPID_LSB 1523
`define TW_M_I_VLAN0_TPID_W 2
`define TW_M_I_VLAN0_TCI 1525 +: 16
`define TW_M_I_VLAN0_TCI_LSB 1525
`define TW_M_I_VLAN0_TCI_W 16
`define TW_M_I_VLAN1_TPID 1541 +: 2
`define TW_M_I_VLAN1_TPID_LSB 1541
`define TW_M_I_VLAN1_TPID_W 2
`define TW_M_I_VLAN1_TCI 1543 +: 16
`define TW_M_I_VLAN1_TCI_LSB 1543
`define TW_M_I_VLAN1_TCI_W 16
`define TW_M_I_MPLS_N 1559 +: 3
`define TW_M_I_MPLS_N_LSB 1559
`define TW_M_I_MPLS_N_W 3
`define TW_M_I_MPLS0 1562 +: 32
`define TW_M_I_MPLS0_LSB 1562
`define TW_M_I_MPLS0_W 32
`define TW_M_I_MPLS1 1594 +: 32
`define TW_M_I_MPLS1_LSB 1594
`define TW_M_I_MPLS1_W 32
`define TW_M_I_MPLS2 1626 +: 32
`define TW_M_I_MPLS2_LSB 1626
`define TW_M_I_MPLS2_W 32
`define TW_M_I_MPLS3 1658 +: 32
`define TW_M_I_MPLS3_LSB 1658
`define TW_M_I_MPLS3_W 32
`define TW_M_I_MPLS_CW 1690 +: 1
`define TW_M_I_MPLS_CW_LSB 1690
`define TW_M_I_MPLS_CW_W 1
`define TW_M_I_ETHERTYPE 1691 +: 16
`define TW_M_I_ETHERTYPE_LSB 1691
`define TW_M_I_ETHERTYPE_W 16
`define TW_M_I_IP_VER 1707 +: 4
`define TW_M_I_IP_VER_LSB 1707
`define TW_M_I_IP_VER_W 4
`define TW_M_I_IP_IHL 1711 +: 4
`define TW_M_I_IP_IHL_LSB 1711
`define TW_M_I_IP_IHL_W 4
`define TW_M_I_IP_TOS 1715 +: 8
`define TW_M_I_IP_TOS_LSB 1715
`define TW_M_I_IP_TOS_W 8
`define TW_M_I_IP_LEN 1723 +: 16
`define TW_M_I_IP_LEN_LSB 1723
`define TW_M_I_IP_LEN_W 16
`define TW_M_I_IP_ID 1739 +: 16
`define TW_M_I_IP_ID_LSB 1739
`define TW_M_I_IP_ID_W 16
`define TW_M_I_IP_DF 1755 +: 1
`define TW_M_I_IP_DF_LSB 1755
`define TW_M_I_IP_DF_W 1
`define TW_M_I_IP_MF 1756 +: 1
`define TW_M_I_IP_MF_LSB 1756
`define TW_M_I_IP_MF_W 1
`define TW_M_I_IP_FRAGOFF 1757 +: 13
`define TW_M_I_IP_FRAGOFF_LSB 1757
`define TW_M_I_IP_FRAGOFF_W 13
`define TW_M_I_IP_FRAG 1770 +: 1
`define TW_M_I_IP_FRAG_LSB 1770
`define TW_M_I_IP_FRAG_W 1
`define TW_M_I_IP_TTL 1771 +: 8
`define TW_M_I_IP_TTL_LSB 1771
`define TW_M_I_IP_TTL_W 8
`define TW_M_I_IP_PROTO 1779 +: 8
`define TW_M_I_IP_PROTO_LSB 1779
`define TW_M_I_IP_PROTO_W 8
`define TW_M_I_IP_CSUM_OK 1787 +: 1
`define TW_M_I_IP_CSUM_OK_LSB 1787
`define TW_M_I_IP_CSUM_OK_W 1
`define TW_M_I_IP_FLOW 1788 +: 20
`define TW_M_I_IP_FLOW_LSB 1788
`define TW_M_I_IP_FLOW_W 20
`define TW_M_I_IP_SRC 1808 +: 128
`define TW_M_I_IP_SRC_LSB 1808
`define TW_M_I_IP_SRC_W 128
`define TW_M_I_IP_DST 1936 +: 128
`define TW_M_I_IP_DST_LSB 1936
`define TW_M_I_IP_DST_W 128
`define TW_M_I_IP6_EXT_N 2064 +: 3
`define TW_M_I_IP6_EXT_N_LSB 2064
`define TW_M_I_IP6_EXT_N_W 3
`define TW_M_I_IP6_EXT0 2067 +: 8
`define TW_M_I_IP6_EXT0_LSB 2067
`define TW_M_I_IP6_EXT0_W 8
`define TW_M_I_IP6_EXT1 2075 +: 8
`define TW_M_I_IP6_EXT1_LSB 2075
`define TW_M_I_IP6_EXT1_W 8
`define TW_M_I_IP6_EXT2 2083 +: 8
`define TW_M_I_IP6_EXT2_LSB 2083
`define TW_M_I_IP6_EXT2_W 8
`define TW_M_I_IP6_EXT3 2091 +: 8
`define TW_M_I_IP6_EXT3_LSB 2091
`define TW_M_I_IP6_EXT3_W 8
`define TW_M_I_IP6_SRH 2099 +: 1
`define TW_M_I_IP6_SRH_LSB 2099
`define TW_M_I_IP6_SRH_W 1
`define TW_M_I_IP6_SEGLEFT 2100 +: 8
`define TW_M_I_IP6_SEGLEFT_LSB 2100
`define TW_M_I_IP6_SEGLEFT_W 8
`define TW_M_I_IP6_FRAGID 2108 +: 32
`define TW_M_I_IP6_FRAGID_LSB 2108
`define TW_M_I_IP6_FRAGID_W 32
`define TW_M_I_L3_OFF 2140 +: 9
`define TW_M_I_L3_OFF_LSB 2140
`define TW_M_I_L3_OFF_W 9
`define TW_M_I_L3_HDRLEN 2149 +: 9
`define TW_M_I_L3_HDRLEN_LSB 2149
`define TW_M_I_L3_HDRLEN_W 9
`define TW_M_I_L3_HEAD 2158 +: 128
`define TW_M_I_L3_HEAD_LSB 2158
`define TW_M_I_L3_HEAD_W 128
`define TW_M_I_L3_HEAD_N 2286 +: 5
`define TW_M_I_L3_HEAD_N_LSB 2286
`define TW_M_I_L3_HEAD_N_W 5
`define TW_M_I_L4 2291 +: 1
`define TW_M_I_L4_LSB 2291
`define TW_M_I_L4_W 1
`define TW_M_I_SPORT 2292 +: 16
`define TW_M_I_SPORT_LSB 2292
`define TW_M_I_SPORT_W 16
`define TW_M_I_DPORT 2308 +: 16
`define TW_M_I_DPORT_LSB 2308
`define TW_M_I_DPORT_W 16
`define TW_M_I_TCP_FLAGS 2324 +: 8
`define TW_M_I_TCP_FLAGS_LSB 2324
`define TW_M_I_TCP_FLAGS_W 8
`define TW_M_I_TCP_SEQ 2332 +: 32
`define TW_M_I_TCP_SEQ_LSB 2332
`define TW_M_I_TCP_SEQ_W 32
`define TW_M_I_UDP_LEN 2364 +: 16
`define TW_M_I_UDP_LEN_LSB 2364
`define TW_M_I_UDP_LEN_W 16
`define TW_M_I_SCTP_VTAG 2380 +: 32
`define TW_M_I_SCTP_VTAG_LSB 2380
`define TW_M_I_SCTP_VTAG_W 32
`define TW_M_I_SCTP_CHUNK 2412 +: 8
`define TW_M_I_SCTP_CHUNK_LSB 2412
`define TW_M_I_SCTP_CHUNK_W 8
`define TW_M_I_SCTP_PPID_V 2420 +: 1
`define TW_M_I_SCTP_PPID_V_LSB 2420
`define TW_M_I_SCTP_PPID_V_W 1
`define TW_M_I_SCTP_PPID 2421 +: 32
`define TW_M_I_SCTP_PPID_LSB 2421
`define TW_M_I_SCTP_PPID_W 32
`define TW_M_I_ICMP_TYPE 2453 +: 8
`define TW_M_I_ICMP_TYPE_LSB 2453
`define TW_M_I_ICMP_TYPE_W 8
`define TW_M_I_ICMP_CODE 2461 +: 8
`define TW_M_I_ICMP_CODE_LSB 2461
`define TW_M_I_ICMP_CODE_W 8
`define TW_M_WIDTH 2469
`endif
