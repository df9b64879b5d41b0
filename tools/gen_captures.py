#!/usr/bin/python3
"""Writes the test captures the shared corpus lacks (test data only; never needed by tapwatch at run time).

Usage: /usr/bin/python3 tools/gen_captures.py OUTDIR

Deterministic: fixed timestamps, no randomness beyond a seeded generator, so every run writes identical files.
Outer/inner L2-L4 come from scapy (lengths and checksums right); tunnel headers are packed by hand so each bit is
the one docs/parser.md talks about. Malformed variants are derived by editing bytes after building.
"""
import os
import random
import struct
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, Dot1Q, Dot1AD, IP, IPv6, UDP, TCP, ICMP, Raw, wrpcap  # noqa: E402
from scapy.layers.inet6 import (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,  # noqa: E402
                                IPv6ExtHdrSegmentRouting, ICMPv6EchoRequest, PadN)
from scapy.layers.sctp import SCTP, SCTPChunkData, SCTPChunkInit  # noqa: E402
from scapy.contrib.mpls import MPLS  # noqa: E402

SEED = 20261129
rng = random.Random(SEED)
T0 = 1764000000

M1, M2, M3, M4 = "02:00:00:00:00:01", "02:00:00:00:00:02", "0a:00:27:00:00:03", "0a:00:27:00:00:04"


def outer4(proto_payload, src="10.0.0.1", dst="10.0.0.2", **kw):
    return Ether(src=M1, dst=M2) / IP(src=src, dst=dst, id=rng.randrange(65536), ttl=64, **kw) / proto_payload


def outer6(proto_payload, src="2001:db8::1", dst="2001:db8::2"):
    return Ether(src=M1, dst=M2) / IPv6(src=src, dst=dst, hlim=60) / proto_payload


def inner_eth():
    return Ether(src=M3, dst=M4) / IP(src="192.168.1.1", dst="192.168.1.2", id=77, ttl=33) / \
        TCP(sport=40000, dport=443, flags="PA", seq=1000) / Raw(b"x" * 16)


def inner_ip4():
    return IP(src="172.16.0.1", dst="172.16.0.2", id=4242, ttl=30) / UDP(sport=5000, dport=5001) / Raw(b"u" * 12)


def inner_ip6():
    return IPv6(src="fd00::10", dst="fd00::20", hlim=20) / TCP(sport=1111, dport=2222, flags="S") / Raw(b"v" * 8)


# ---- tunnel headers ----
def gtpu(teid, msgtype=255, flags=0, seq=0, exts=(), payload=b""):
    """GTP-U v1; exts = [(type, content bytes without length/next)], content padded to 4n-2."""
    e_flag = 4 if exts else 0
    fl = 0x30 | flags | e_flag
    body = b""
    if fl & 7:
        first = exts[0][0] if exts else 0
        body += struct.pack("!HBB", seq, 0, first)
        for i, (_t, content) in enumerate(exts):
            nxt = exts[i + 1][0] if i + 1 < len(exts) else 0
            pad = (-(len(content) + 2)) % 4
            c = content + b"\0" * pad
            body += bytes([(len(c) + 2) // 4]) + c + bytes([nxt])
    body += bytes(payload)
    return struct.pack("!BBHI", fl, msgtype, len(body), teid) + body


def pdu_session(direction, qfi):
    return (0x85, bytes([direction << 4, qfi & 0x3F]))


def vxlan(vni):
    return struct.pack("!BBHI", 0x08, 0, 0, vni << 8)


def geneve(vni, proto, optwords):
    opts = b""
    left = optwords
    while left:
        w = min(left, 32)
        opts += struct.pack("!HBB", 0x0101, 0x01, w - 1) + bytes(rng.randrange(256) for _ in range((w - 1) * 4))
        left -= w
    return struct.pack("!BBHI", optwords, 0, proto, vni << 8) + opts


def gre(proto, key=None, seq=None, csum=False):
    fl = (0x8000 if csum else 0) | (0x2000 if key is not None else 0) | (0x1000 if seq is not None else 0)
    h = struct.pack("!HH", fl, proto)
    if csum:
        h += b"\0\0\0\0"
    if key is not None:
        h += struct.pack("!I", key)
    if seq is not None:
        h += struct.pack("!I", seq)
    return h


def erspan2(vlan, cos, session, index):
    return struct.pack("!HHI", 0x1000 | vlan, (cos << 13) | session, index)


def erspan3(vlan, cos, session, ts, ft, o):
    h = struct.pack("!HHIHH", 0x2000 | vlan, (cos << 13) | session, ts, 0x0042, (ft << 10) | (3 << 4) | o)
    if o:
        h += struct.pack("!II", 0x0C000000, 0x12345678)
    return h


def tzsp(encap=1, version=1, ftype=0, tags=b"\x01"):
    return struct.pack("!BBH", version, ftype, encap) + tags


def l2tpv3(session, cookie=b""):
    return struct.pack("!I", session) + cookie


def raw_ip(payload):
    return Raw(bytes(payload))


def sctp_data(ppid, sport=36412, dport=36412):
    return SCTP(sport=sport, dport=dport, tag=0x01020304) / SCTPChunkData(tsn=1, stream_id=0, stream_seq=0,
                                                                           proto_id=ppid, data=b"s1ap-pdu")


# ---- captures ----
def cap_gtpu():
    pk = []
    for tr in (4, 6):
        mk = outer4 if tr == 4 else outer6
        for d, q in ((0, 5), (1, 9)):
            pk.append(mk(UDP(sport=2152, dport=2152) / Raw(gtpu(0x1000 + q, exts=[pdu_session(d, q)], seq=7,
                                                                payload=inner_ip4()))))
        pk.append(mk(UDP(sport=2152, dport=2152) / Raw(gtpu(0x2001, exts=[(0x40, b"\x13\x88"), pdu_session(1, 63)],
                                                            payload=inner_ip6()))))
        pk.append(mk(UDP(sport=40001, dport=2152) / Raw(gtpu(0x2002, payload=inner_ip4()))))
        pk.append(mk(UDP(sport=2152, dport=2152) / Raw(gtpu(0x2003, flags=2, seq=99, payload=inner_ip6()))))
        pk.append(mk(UDP(sport=2152, dport=2152) / Raw(gtpu(0, msgtype=1, flags=2, seq=1))))  # echo request
        pk.append(mk(UDP(sport=2152, dport=2152) / Raw(gtpu(0x2004, msgtype=254))))  # end marker
        pk.append(mk(UDP(sport=2152, dport=2152) / Raw(gtpu(0x2005, exts=[pdu_session(0, 1)],
                                                            payload=IP(src="10.9.9.9", dst="10.8.8.8") /
                                                            sctp_data(60, 38412, 38412)))))
    return pk


def cap_qinq_mpls_srh():
    pk = []
    srh = IPv6ExtHdrSegmentRouting(addresses=["2001:db8:a::1", "2001:db8:b::1", "2001:db8:c::1"], segleft=2)
    base = Ether(src=M1, dst=M2) / Dot1AD(vlan=100, prio=3) / Dot1Q(vlan=200) / MPLS(label=16000, s=0, ttl=64) / \
        MPLS(label=16001, s=1, ttl=64)
    pk.append(base / IPv6(src="2001:db8::a", dst="2001:db8:a::1", hlim=64) / srh /
              UDP(sport=1234, dport=5678) / Raw(b"p" * 20))
    pk.append(base / IPv6(src="2001:db8::a", dst="2001:db8:a::1", hlim=64) / IPv6ExtHdrHopByHop() / srh /
              TCP(sport=179, dport=33000, flags="A") / Raw(b"q" * 20))
    pk.append(Ether(src=M1, dst=M2, type=0x9100) / Dot1Q(vlan=300) / IP(src="10.1.1.1", dst="10.1.1.2") /
              UDP(sport=53, dport=53) / Raw(b"d" * 20))
    pk.append(Ether(src=M1, dst=M2) / Dot1AD(vlan=10) / Dot1Q(vlan=20) / IPv6(src="fe80::1", dst="ff02::1") /
              IPv6ExtHdrFragment(offset=0, m=1, id=0xabcdef) / UDP(sport=546, dport=547) / Raw(b"f" * 16))
    pk.append(Ether(src=M1, dst=M2) / Dot1Q(vlan=30) / IPv6(src="fe80::1", dst="ff02::1") /
              IPv6ExtHdrFragment(offset=100, m=0, id=0xabcdef, nh=17) / Raw(b"g" * 16))
    pk.append(Ether(src=M1, dst=M2) / MPLS(label=100, s=0) / MPLS(label=200, s=0) / MPLS(label=300, s=1) /
              IP(src="10.2.2.2", dst="10.3.3.3") / ICMP() / Raw(b"i" * 8))
    return pk


def cap_erspan():
    pk = []
    for o in (0, 1):
        pk.append(outer4(raw_ip(gre(0x22EB) + erspan3(12, 5, 0x155, 0xdeadbeef, 0, o) + bytes(inner_eth())),
                         proto=47))
    pk.append(outer4(raw_ip(gre(0x22EB, seq=5) + erspan3(13, 0, 0x2aa, 1, 0, 1) + bytes(inner_eth())), proto=47))
    pk.append(outer4(raw_ip(gre(0x88BE, seq=9) + erspan2(7, 2, 0x3ff, 0xabcde) + bytes(inner_eth())), proto=47))
    pk.append(outer6(raw_ip(gre(0x88BE, seq=10) + erspan2(8, 1, 0x001, 1) + bytes(inner_eth())), ) )
    pk[-1][IPv6].nh = 47
    pk.append(outer4(raw_ip(gre(0x88BE) + bytes(inner_eth())), proto=47))
    return pk


def cap_gre():
    pk = []
    pk.append(outer4(raw_ip(gre(0x0800, key=0x11223344) + bytes(inner_ip4())), proto=47))
    pk.append(outer4(raw_ip(gre(0x86DD, key=7, seq=8, csum=True) + bytes(inner_ip6())), proto=47))
    pk.append(outer4(raw_ip(gre(0x8847) + bytes(MPLS(label=999, s=1, ttl=9) / inner_ip4())), proto=47))
    pk.append(outer4(raw_ip(gre(0x6558, key=0x99) + bytes(inner_eth())), proto=47))
    pk.append(outer4(raw_ip(gre(0x6558) + bytes(Ether(src=M3, dst=M4) / Dot1Q(vlan=42) / inner_ip4())), proto=47))
    return pk


def cap_tzsp():
    pk = []
    pk.append(outer4(UDP(sport=37008, dport=37008) / Raw(tzsp(tags=b"\x01") + bytes(inner_eth()))))
    pk.append(outer4(UDP(sport=40000, dport=37008) /
                     Raw(tzsp(tags=b"\x00\x00\x0a\x04\x00\x00\x00\x01\x01") + bytes(inner_eth()))))
    return pk


def cap_l2tpv3():
    pk = []
    pk.append(outer4(raw_ip(l2tpv3(0x00012345) + bytes(inner_eth())), proto=115))
    pk.append(outer4(raw_ip(l2tpv3(0x00000042) + bytes(Ether(src=M3, dst=M4) / Dot1Q(vlan=5) / inner_ip4())),
                     proto=115))
    return pk


def cap_vxlan_geneve():
    pk = []
    pk.append(outer4(UDP(sport=50000, dport=4789) / Raw(vxlan(0x123456) + bytes(inner_eth()))))
    pk.append(outer4(UDP(sport=50001, dport=8472) / Raw(vxlan(42) + bytes(inner_eth()))))
    pk.append(outer6(UDP(sport=50002, dport=4789) /
                     Raw(vxlan(7) + bytes(Ether(src=M3, dst=M4) / Dot1Q(vlan=9) / inner_ip6()))))
    for ow in (0, 2, 5):
        pk.append(outer4(UDP(sport=50003, dport=6081) / Raw(geneve(100 + ow, 0x6558, ow) + bytes(inner_eth()))))
    pk.append(outer4(UDP(sport=50004, dport=6081) / Raw(geneve(200, 0x0800, 1) + bytes(inner_ip4()))))
    pk.append(outer6(UDP(sport=50005, dport=6081) / Raw(geneve(201, 0x86DD, 3) + bytes(inner_ip6()))))
    return pk


def cap_ipip():
    return [
        outer4(raw_ip(bytes(inner_ip4())), proto=4),
        outer4(raw_ip(bytes(inner_ip6())), proto=41),
        Ether(src=M1, dst=M2) / IPv6(src="2001:db8::1", dst="2001:db8::2", nh=4) / raw_ip(bytes(inner_ip4())),
        Ether(src=M1, dst=M2) / IPv6(src="2001:db8::1", dst="2001:db8::2", nh=41) / raw_ip(bytes(inner_ip6())),
    ]


def cap_sctp():
    return [
        outer4(sctp_data(18)),
        outer4(sctp_data(60, 38412, 38412)),
        outer6(sctp_data(46, 3868, 3868)),
        outer4(SCTP(sport=36412, dport=36412, tag=0) / SCTPChunkInit(init_tag=1, a_rwnd=65535, n_out_streams=2,
                                                                     n_in_streams=2, init_tsn=1)),
        outer4(ICMP(type=8, code=0) / Raw(b"ping" * 4)),
        outer6(ICMPv6EchoRequest(id=1, seq=2)),
    ]


def cap_deep():
    pk = []
    # three VLAN tags: the parser stops at the third (ERR_DEEP)
    pk.append(Ether(src=M1, dst=M2) / Dot1AD(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) / IP(src="10.0.0.1",
                                                                                     dst="10.0.0.2") / UDP())
    # five MPLS entries
    m = MPLS(label=1, s=0)
    for lab in (2, 3, 4):
        m = m / MPLS(label=lab, s=0)
    pk.append(Ether(src=M1, dst=M2) / m / MPLS(label=5, s=1) / IP(src="10.0.0.1", dst="10.0.0.2") / UDP())
    # four and five IPv6 extension headers
    four = IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / IPv6ExtHdrSegmentRouting(addresses=["2001:db8::9"],
                                                                                   segleft=1) / IPv6ExtHdrDestOpt()
    pk.append(Ether(src=M1, dst=M2) / IPv6(src="2001:db8::1", dst="2001:db8::2") / four / UDP(sport=1, dport=2))
    pk.append(Ether(src=M1, dst=M2) / IPv6(src="2001:db8::1", dst="2001:db8::2") / four /
              IPv6ExtHdrFragment(offset=0, m=1, id=5) / UDP(sport=1, dport=2) / Raw(b"z" * 8))
    # TCP beyond the 256-byte window: a long hop-by-hop header
    pk.append(Ether(src=M1, dst=M2) / IPv6(src="2001:db8::1", dst="2001:db8::2") /
              IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 244)]) / TCP(sport=7, dport=8) / Raw(b"w" * 64))
    # inner packet cut by the window: VXLAN whose inner TCP starts beyond byte 256
    pk.append(outer6(UDP(sport=1, dport=4789) / Raw(vxlan(3) + bytes(
        Ether(src=M3, dst=M4) / IPv6(src="fd00::1", dst="fd00::2") / IPv6ExtHdrDestOpt(
            options=[PadN(optdata=b"\0" * 148)]) / TCP(sport=9, dport=10) / Raw(b"t" * 40)))))
    # five GTP-U extension headers
    pk.append(outer4(UDP(sport=2152, dport=2152) / Raw(gtpu(0x3000, exts=[(0x40, b"\x00\x01")] * 4 +
                                                        [pdu_session(1, 3)], payload=inner_ip4()))))
    # a giant-ish frame (jumbo) with a normal header
    pk.append(outer4(UDP(sport=9000, dport=9001) / Raw(b"J" * 9000)))
    return pk


def cap_malformed():
    pk = []

    def ed(p, off, val):
        b = bytearray(bytes(p))
        b[off] = val
        return Ether(bytes(b))

    good = outer4(UDP(sport=1000, dport=2000) / Raw(b"m" * 30))
    pk.append(ed(good, 14, 0x44))             # IHL 4
    pk.append(ed(good, 14, 0x55))             # version 5
    bad_len = bytearray(bytes(good))
    bad_len[16:18] = struct.pack("!H", 400)   # total length beyond the frame (checksum now wrong too)
    pk.append(Ether(bytes(bad_len)))
    pk.append(ed(good, 24, bytes(good)[24] ^ 0xFF))  # checksum wrong
    pk.append(Ether(bytes(good)[:30]))        # runt, IPv4 cut
    pk.append(Ether(bytes(outer4(UDP(sport=1, dport=4789) / Raw(vxlan(1) + bytes(inner_eth()))))[:48]))  # VXLAN cut
    pk.append(outer4(UDP(sport=1, dport=4789) / Raw(vxlan(1) + bytes(inner_eth())), flags="MF"))  # first fragment
    pk.append(outer4(Raw(bytes(UDP(sport=1, dport=4789) / Raw(vxlan(1) + bytes(inner_eth())))), proto=17,
                     frag=100))               # non-first fragment: no L4, no tunnel
    pk.append(outer4(UDP(sport=2152, dport=2152) / Raw(b"\x50\xff\x00\x08" + b"\0" * 8)))  # GTP version 2
    pk.append(outer4(UDP(sport=2152, dport=2152) / Raw(gtpu(0x4000, exts=[(0x85, b"\x10\x05")],
                                                        payload=inner_ip4())[:14])))  # GTP extension cut
    pk.append(outer4(UDP(sport=37008, dport=37008) / Raw(tzsp(version=2) + bytes(inner_eth()))))
    pk.append(outer4(raw_ip(gre(0x0800, key=1) + b"\x45\x00"), proto=47))  # inner IPv4 cut
    pk.append(outer4(raw_ip(gre(0x0800) + bytes(inner_ip6())), proto=47))  # GRE says IPv4, inner is IPv6
    return pk


CAPTURES = {
    "gen-gtpu-ext.pcap": cap_gtpu,
    "gen-qinq-mpls-ipv6-srh.pcap": cap_qinq_mpls_srh,
    "gen-erspan.pcap": cap_erspan,
    "gen-gre.pcap": cap_gre,
    "gen-tzsp.pcap": cap_tzsp,
    "gen-l2tpv3.pcap": cap_l2tpv3,
    "gen-vxlan-geneve.pcap": cap_vxlan_geneve,
    "gen-ipip.pcap": cap_ipip,
    "gen-sctp-icmp.pcap": cap_sctp,
    "gen-deep.pcap": cap_deep,
    "gen-malformed.pcap": cap_malformed,
}


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: gen_captures.py OUTDIR\n")
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, fn in CAPTURES.items():
        pk = fn()
        for i, p in enumerate(pk):
            p.time = T0 + n + i / 1000.0
        wrpcap(os.path.join(out, name), pk)
        n += 1
    print("gen_captures: %d files in %s" % (n, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
