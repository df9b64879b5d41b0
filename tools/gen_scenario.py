#!/usr/bin/python3
"""Writes the labelled backhaul scenario: a capture and its ground truth (test and demo data only; never needed by
tapwatch at run time).

Usage: /usr/bin/python3 tools/gen_scenario.py [options] OUTDIR
Writes OUTDIR/backhaul.pcap and OUTDIR/backhaul.truth (format: docs/demo.md).

The scenario is a 5G backhaul segment: gNBs (Ericsson, Nokia, ZTE) talk GTP-U over IPv4 and IPv6 transport (PDU
session container), NGAP over SCTP and PFCP to a Huawei UPF/router; the NMS polls SNMP and runs NETCONF; hosts
resolve through the operator's DNS; one Juniper core router forwards everything else (its MAC is in no vendor set
of examples/backhaul.yaml). Interception and policy cases are injected on top, each behind a switch, all on by
default. Every frame's outer 5-tuple (packet direction) is registered with the rule sids of
examples/backhaul.rules it must raise; the truth file lists, per sid, the flows that must alert and every other
flow as one that must not. Deterministic: a seeded generator and fixed timestamps, so every run writes identical
files.
"""
import argparse
import os
import random
import struct
import sys

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, IPv6, UDP, TCP, Raw  # noqa: E402
from scapy.layers.inet6 import IPv6ExtHdrDestOpt  # noqa: E402
from scapy.layers.sctp import SCTP, SCTPChunkData  # noqa: E402

T0 = 1764403200 * 10**9          # 2025-11-29T08:00:00Z, in ns
OUI_CSV = "/usr/share/ieee-data/oui.csv"
SIDS = [1000001, 1000002, 1000003, 1000004, 1000010, 1000011, 1000020, 1000021, 1000022, 1000023, 1000024,
        1000025, 1000026, 1000027, 1000028, 1000029, 1000030, 1000040]

# Vendor OUIs: each must resolve to an organisation name containing the registry substring the example's vendor set
# uses (checked against the IEEE CSV at start).
OUIS = {
    "HW": ("30:fb:b8", "HUAWEI TECHNOLOGIES"),
    "HW2": ("44:d7:91", "HUAWEI TECHNOLOGIES"),
    "ZTE": ("08:60:83", "zte corporation"),
    "NOKIA": ("40:55:82", "Nokia"),
    "ERICSSON": ("54:9b:72", "Ericsson"),
    "JUNIPER": ("94:f7:ad", "Juniper Networks"),   # not a vendor set of the example
}


def check_ouis(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        sys.exit(f"gen_scenario: cannot read the OUI registry {path}: {e} (install ieee-data)")
    for key, (oui, name) in OUIS.items():
        hexoui = oui.replace(":", "").upper()
        line = next((ln for ln in text.splitlines() if ln.startswith(f"MA-L,{hexoui},")), None)
        if line is None or name.lower() not in line.lower():
            sys.exit(f"gen_scenario: OUI {oui} ({key}) does not resolve to '{name}' in {path}")


def mac(vendor, n):
    return f"{OUIS[vendor][0]}:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}"


# ---- the network ----
CORE = mac("JUNIPER", 0x000001)           # core router: forwards host traffic, no vendor set
UPF_MAC = mac("HW", 0x0000a1)             # Huawei UPF / PE router, the far side of the tap
GNB = [  # (name, IPv4, IPv6, MAC)
    ("gnb1", "10.1.1.1", "2001:db8:1::1", mac("ERICSSON", 0x000011)),
    ("gnb2", "10.1.1.2", "2001:db8:1::2", mac("NOKIA", 0x000012)),
    ("gnb3", "10.1.1.3", "2001:db8:1::3", mac("ZTE", 0x000013)),
]
UPF4, UPF6 = "10.2.0.1", "2001:db8:2::1"
AMF, SMF = "10.2.0.10", "10.2.0.20"
DNS4, DNS6 = "10.0.0.53", "2001:db8::53"
NMS = "10.40.0.10"
ANALYZER1, ANALYZER2 = "10.20.0.5", "10.20.0.6"


class Scenario:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.frames = []          # (ts_ns, seq, bytes, wire_len)
        self.flows = {}           # (proto, src, sport, dst, dport) -> [case, set(sids)]
        self.pass_frames = 0      # frames the pass rule 1000001 must match
        self.tunnels = set()
        self.ipid = 0

    # -- registration --
    def flow(self, key, case, sids=()):
        ent = self.flows.setdefault(key, [case, set()])
        ent[1].update(sids)

    def eport(self):
        """An ephemeral port that is no rule's port (49152..65535)."""
        return self.rng.randrange(49152, 65536)

    def nid(self):
        self.ipid = (self.ipid + 7919) & 0xFFFF
        return self.ipid

    def add(self, ts, pkt, case, sids=()):
        """Emit a scapy frame; its outer directed 5-tuple is registered with the sids it must raise."""
        self.flow(outer_key(pkt), case, sids)
        self.add_raw(ts, bytes(pkt))

    def add_raw(self, ts, raw):
        if len(raw) < 60:
            raw += bytes(60 - len(raw))       # the MAC pads short frames to the 60-byte minimum
        self.frames.append((ts, len(self.frames), raw, len(raw)))


PROTO_NAME = {6: "TCP", 17: "UDP", 132: "SCTP", 47: "GRE", 50: "ESP", 1: "ICMP", 58: "IPv6-ICMP"}


def outer_key(pkt):
    ip = pkt.getlayer(IP) or pkt.getlayer(IPv6)
    if ip is None:
        raise ValueError("scenario frame without IP")
    if isinstance(ip, IP):
        proto = ip.proto
    else:
        proto = ip.nh
        layer = ip.payload
        while isinstance(layer, IPv6ExtHdrDestOpt):
            proto = layer.nh
            layer = layer.payload
    sport = dport = 0
    if proto in (6, 17, 132):
        l4 = ip.getlayer({6: TCP, 17: UDP, 132: SCTP}[proto])
        sport, dport = l4.sport, l4.dport
    return (PROTO_NAME.get(proto, str(proto)), ip.src, sport, ip.dst, dport)


# ---- headers packed by hand (each bit as docs/parser.md describes it) ----
def gtpu(teid, payload, qfi, uplink, seq=None):
    """GTP-U v1 G-PDU with one PDU session container (E = 1)."""
    ext = bytes([1, (1 if uplink else 0) << 4, qfi & 0x3F, 0])     # len 1 (4 B), dir, QFI, next = 0
    flags = 0x34 | (0x02 if seq is not None else 0)
    body = struct.pack("!HBB", seq or 0, 0, 0x85) + ext + payload
    return struct.pack("!BBHI", flags, 255, len(body), teid) + body


def gre(proto, key=None, seq=None):
    flags = (0x2000 if key is not None else 0) | (0x1000 if seq is not None else 0)
    h = struct.pack("!HH", flags, proto)
    if key is not None:
        h += struct.pack("!I", key)
    if seq is not None:
        h += struct.pack("!I", seq)
    return h


def erspan2(session, seq, index=0, vlan=0):
    return gre(0x88BE, seq=seq) + struct.pack("!HHI", (1 << 12) | vlan, session & 0x3FF, index & 0xFFFFF)


def erspan3(session, seq, ts_us):
    # ver 2, VLAN 0 | COS 0, BSO 0, T 0, session | timestamp | SGT 0, P 0, FT 0 (Ethernet), HW 1, D 0, Gra 3, O 0
    return gre(0x22EB, seq=seq) + struct.pack("!HHIHH", 2 << 12, session & 0x3FF, ts_us & 0xFFFFFFFF, 0,
                                              (1 << 4) | (3 << 1))


def vxlan(vni):
    return struct.pack("!B3sI", 0x08, b"\0\0\0", vni << 8)


def tzsp():
    return struct.pack("!BBH", 1, 0, 1) + b"\x01"     # version 1, received, Ethernet, end tag


# ---- background traffic ----
def gtpu_sessions(s, t_end, gap=1):
    """User plane: per gNB two UEs, uplink and downlink, IPv4 transport for gnb1/gnb3, IPv6 for gnb2 (with a
    destination options extension header on part of it)."""
    rng = s.rng
    for gi, (name, g4, g6, gmac) in enumerate(GNB):
        v6 = name == "gnb2"
        for ue in range(2):
            ue_ip = f"100.64.{gi}.{10 + ue}"
            srv = ["198.51.100.200", "203.0.113.200"][ue]
            teid_ul, teid_dl = 0x1000 + gi * 16 + ue, 0x2000 + gi * 16 + ue
            qfi = [9, 5][ue]
            t = T0 + rng.randrange(0, 50) * 10**6
            n = 0
            while t < t_end:
                up = n % 3 != 2
                if up:
                    inner = bytes(IP(src=ue_ip, dst=srv, ttl=64, id=rng.randrange(65536)) /
                                  TCP(sport=40000 + ue, dport=443, flags="PA", seq=n * 100) /
                                  Raw(bytes(rng.randrange(256) for _ in range(rng.choice((40, 200, 600))))))
                    payload = gtpu(teid_ul, inner, qfi, True)
                    src_mac, dst_mac = gmac, UPF_MAC
                    a, b = (g6, UPF6) if v6 else (g4, UPF4)
                else:
                    inner = bytes(IP(src=srv, dst=ue_ip, ttl=50, id=rng.randrange(65536)) /
                                  TCP(sport=443, dport=40000 + ue, flags="A", seq=n * 100) /
                                  Raw(bytes(rng.randrange(256) for _ in range(rng.choice((40, 900, 1200))))))
                    payload = gtpu(teid_dl, inner, qfi, False)
                    src_mac, dst_mac = UPF_MAC, gmac
                    a, b = (UPF6, g6) if v6 else (UPF4, g4)
                if v6:
                    l3 = IPv6(src=a, dst=b, hlim=64, fl=(teid_ul & 0xFFFFF))
                    if n % 4 == 0:
                        l3 = l3 / IPv6ExtHdrDestOpt()
                else:
                    l3 = IP(src=a, dst=b, ttl=64, id=s.nid(), flags="DF")
                pkt = Ether(src=src_mac, dst=dst_mac) / l3 / UDP(sport=2152, dport=2152) / Raw(payload)
                s.add(t, pkt, f"gtpu-{'v6' if v6 else 'v4'}-{name}")
                t += rng.randrange(20, 120) * 10**6 * gap
                n += 1
    s.tunnels.add("gtpu")


def control_plane(s, t_end):
    rng = s.rng
    # NGAP over SCTP (PPID 60, port 38412): gNB <-> AMF, both ways
    for gi, (name, g4, _g6, gmac) in enumerate(GNB):
        sp = 38412
        vtag = 0x10000 + gi
        t = T0 + (200 + gi * 37) * 10**6
        tsn = 1
        while t < t_end:
            for up in (True, False):
                data = SCTPChunkData(tsn=tsn, stream_id=1, proto_id=60, data=bytes(rng.randrange(256)
                                                                                   for _ in range(48)))
                if up:
                    pkt = Ether(src=gmac, dst=UPF_MAC) / IP(src=g4, dst=AMF, ttl=64, id=s.nid(), flags="DF") / \
                        SCTP(sport=sp, dport=38412, tag=vtag) / data
                else:
                    pkt = Ether(src=UPF_MAC, dst=gmac) / IP(src=AMF, dst=g4, ttl=63, id=s.nid(), flags="DF") / \
                        SCTP(sport=38412, dport=sp, tag=vtag + 0x100) / data
                s.add(t + (0 if up else 3 * 10**6), pkt, f"ngap-{name}")
                tsn += 1
            t += 2 * 10**9
    # PFCP heartbeats and session reports (UDP 8805) SMF <-> UPF
    t = T0 + 300 * 10**6
    seq = 1
    while t < t_end:
        req = bytes([0x20, 1, 0, 12]) + struct.pack("!I", seq << 8) + bytes([0, 96, 0, 4]) + b"\x5e\x00\x00\x01"
        resp = bytes([0x20, 2, 0, 12]) + struct.pack("!I", seq << 8) + bytes([0, 96, 0, 4]) + b"\x5e\x00\x00\x01"
        s.add(t, Ether(src=CORE, dst=UPF_MAC) / IP(src=SMF, dst=UPF4, ttl=63, id=s.nid()) /
              UDP(sport=8805, dport=8805) / Raw(req), "pfcp")
        s.add(t + 10**6, Ether(src=UPF_MAC, dst=CORE) / IP(src=UPF4, dst=SMF, ttl=255, id=s.nid()) /
              UDP(sport=8805, dport=8805) / Raw(resp), "pfcp")
        seq += 1
        t += 5 * 10**9


def management(s, t_end):
    rng = s.rng
    # SNMP polls from the NMS to every gNB and the UPF (inside: no rule applies)
    t = T0 + 500 * 10**6
    while t < t_end:
        for _name, g4, _g6, gmac in GNB + [("upf", UPF4, UPF6, UPF_MAC)]:
            sp = s.eport()
            s.add(t, Ether(src=CORE, dst=gmac) / IP(src=NMS, dst=g4, ttl=63, id=s.nid()) /
                  UDP(sport=sp, dport=161) / Raw(b"\x30\x26\x02\x01\x01\x04\x06public" + bytes(26)), "snmp-poll")
            s.add(t + 2 * 10**6, Ether(src=gmac, dst=CORE) / IP(src=g4, dst=NMS, ttl=64, id=s.nid()) /
                  UDP(sport=161, dport=sp) / Raw(b"\x30\x30\x02\x01\x01\x04\x06public" + bytes(36)), "snmp-poll")
            t += 37 * 10**6
        # a trap to the NMS
        s.add(t, Ether(src=GNB[0][3], dst=CORE) / IP(src=GNB[0][1], dst=NMS, ttl=64, id=s.nid()) /
              UDP(sport=s.eport(), dport=162) / Raw(bytes(48)), "snmp-trap")
        t += 10 * 10**9
    # NETCONF over SSH (TCP 830) from the NMS to the UPF: handshake, data, close
    t = T0 + 700 * 10**6
    while t < t_end:
        tcp_session(s, t, CORE, UPF_MAC, NMS, UPF4, s.eport(), 830, "netconf", (), ttl_c=63, ttl_s=255,
                    data=[rng.randrange(200, 900) for _ in range(4)])
        t += 9 * 10**9
    # DNS to the operator's resolvers, IPv4 and IPv6
    t = T0 + 100 * 10**6
    while t < t_end:
        for name, g4, g6, gmac in GNB:
            v6 = name == "gnb2"
            src, dst = (g6, DNS6) if v6 else (g4, DNS4)
            dns_query(s, t, gmac, CORE, src, dst, f"dns-inside-{name}", (), v6)
            t += 211 * 10**6
        t += 3 * 10**9


def dns_query(s, t, smac, dmac, src, dst, case, sids, v6=False, ttl=64):
    sp = s.eport()
    q = struct.pack("!HHHHHH", s.rng.randrange(65536), 0x0100, 1, 0, 0, 0) + b"\x03ntp\x07example\x03net\x00" + \
        b"\x00\x01\x00\x01"
    l3q = IPv6(src=src, dst=dst, hlim=ttl) if v6 else IP(src=src, dst=dst, ttl=ttl, id=s.nid())
    l3r = IPv6(src=dst, dst=src, hlim=60) if v6 else IP(src=dst, dst=src, ttl=60, id=s.nid())
    s.add(t, Ether(src=smac, dst=dmac) / l3q / UDP(sport=sp, dport=53) / Raw(q), case, sids)
    s.add(t + 4 * 10**6, Ether(src=dmac, dst=smac) / l3r / UDP(sport=53, dport=sp) /
          Raw(q[:2] + b"\x81\x80" + q[4:] + bytes(16)), case)


def tcp_session(s, t, cmac, smac, cli, srv, sp, dp, case, syn_sids, ttl_c=64, ttl_s=60, data=(200,), close=True):
    """A TCP session; only the client's SYN carries syn_sids (rules with flags:S,CE)."""
    seq_c, seq_s = 1000, 5000

    def c(flags, n=0):
        return Ether(src=cmac, dst=smac) / IP(src=cli, dst=srv, ttl=ttl_c, id=s.nid(), flags="DF") / \
            TCP(sport=sp, dport=dp, flags=flags, seq=seq_c, ack=seq_s) / Raw(bytes(n))

    def v(flags, n=0):
        return Ether(src=smac, dst=cmac) / IP(src=srv, dst=cli, ttl=ttl_s, id=s.nid(), flags="DF") / \
            TCP(sport=dp, dport=sp, flags=flags, seq=seq_s, ack=seq_c) / Raw(bytes(n))
    s.add(t, c("S"), case, syn_sids)
    s.add(t + 10**6, v("SA"), case)
    s.add(t + 2 * 10**6, c("A"), case)
    for i, n in enumerate(data):
        s.add(t + (3 + i) * 10**6, c("PA", n) if i % 2 == 0 else v("PA", n), case)
    if not close:
        return
    e = t + (4 + len(data)) * 10**6
    s.add(e, c("FA"), case)
    s.add(e + 10**6, v("FA"), case)
    s.add(e + 2 * 10**6, c("A"), case)


# ---- injected cases ----
MIRROR_KINDS = ["erspan2", "erspan3", "vxlan", "tzsp", "gre-teb"]
MIRROR_DEV = {  # kind -> (device IPv4, device MAC, outside collector, inside analyser)
    "erspan2": ("10.3.0.11", mac("HW", 0x000b11), "203.0.113.11", ANALYZER1),
    "erspan3": ("10.3.0.12", mac("HW2", 0x000b12), "203.0.113.12", ANALYZER2),
    "vxlan": ("10.3.0.13", mac("ZTE", 0x000b13), "203.0.113.13", ANALYZER1),
    "tzsp": ("10.3.0.14", mac("NOKIA", 0x000b14), "198.51.100.14", ANALYZER2),
    "gre-teb": ("10.3.0.15", mac("ERICSSON", 0x000b15), "198.51.100.15", ANALYZER1),
}


def encap(kind, dst, frame, n, ts):
    """The copy of `frame` in `kind`, sent by the kind's mirror device (TTL 255: the equipment originates it; one
    UDP source port per device, so each device-collector pair is one flow)."""
    ip4, dmac_dev = MIRROR_DEV[kind][0], MIRROR_DEV[kind][1]
    if kind == "erspan2":
        l4 = Raw(erspan2(100 + n % 4, n) + frame)
        proto = 47
    elif kind == "erspan3":
        l4 = Raw(erspan3(200 + n % 4, n, ts // 1000) + frame)
        proto = 47
    elif kind == "gre-teb":
        l4 = Raw(gre(0x6558, key=0x7e5) + frame)
        proto = 47
    elif kind == "vxlan":
        l4 = UDP(sport=49200, dport=4789) / Raw(vxlan(5001) + frame)
        proto = 17
    else:
        l4 = UDP(sport=49300, dport=37008) / Raw(tzsp() + frame)
        proto = 17
    return Ether(src=dmac_dev, dst=CORE) / IP(src=ip4, dst=dst, ttl=255, id=0, flags="DF", proto=proto) / l4


def mirror_cases(s, kinds, inside, outside, unauth, late):
    """Copies of observed frames (the GTP-U and NGAP frames already generated), each following its original by
    1..40 ms (inside the 100 ms window)."""
    rng = s.rng
    originals = [f for f in s.frames if T0 + 2 * 10**9 <= f[0] < T0 + 25 * 10**9]
    for ki, kind in enumerate(kinds):
        ip4, _dmac, coll, analyser = MIRROR_DEV[kind]
        picks = originals[ki * 7: ki * 7 + 6] + originals[60 + ki * 5: 60 + ki * 5 + 4]
        for n, (ts, _seq, raw, _wl) in enumerate(picks):
            when = ts + rng.randrange(1, 40) * 10**6
            if inside:
                p = encap(kind, analyser, raw, n, when)
                p[IP].id = s.nid()
                s.add(when, p, f"mirror-{kind}-analyser")
                s.pass_frames += 1
            if outside:
                p = encap(kind, coll, raw, n, when + 10**5)
                p[IP].id = s.nid()
                s.add(when + 10**5, p, f"mirror-{kind}-outside", (1000002, 1000004, 1000029))
        if inside or outside:
            s.tunnels.add(kind)
    if unauth:
        # GRE-TEB copies to a host inside the network that is no authorised analyser
        for n, (ts, _seq, raw, _wl) in enumerate(originals[120:126]):
            p = Ether(src=mac("HW", 0x000b16), dst=CORE) / IP(src="10.3.0.16", dst="10.99.0.7", ttl=255,
                                                              id=s.nid(), proto=47) / Raw(gre(0x6558) + raw)
            s.add(ts + 5 * 10**6, p, "mirror-gre-teb-inside-unauthorised", (1000003,))
        s.tunnels.add("gre-teb")
    if late:
        # ERSPAN II copies 150 ms after their original (outside the window): mirroring encapsulation to the
        # outside (1000004), but no mirror copy (no 1000002); the device uses TTL 64 (no 1000029)
        # IPv4 originals only: an IPv6 GTP-U frame's digest (no IP id) can equal a later frame's of the same tunnel
        # and length, which would make the late copy a copy of that one
        v4 = [f for f in originals if f[2][12:14] == b"\x08\x00"]
        for n, (ts, _seq, raw, _wl) in enumerate(v4[140:144]):
            p = Ether(src=CORE, dst=UPF_MAC) / IP(src="10.3.0.17", dst="203.0.113.17", ttl=64, id=s.nid(),
                                                  proto=47) / Raw(erspan2(300, n) + raw)
            s.add(ts + 150 * 10**6, p, "mirror-erspan2-late-outside", (1000004,))
        s.tunnels.add("erspan2")


def dns_outside(s):
    gm = GNB[1][3]
    dns_query(s, T0 + 3 * 10**9, gm, CORE, "10.1.1.2", "198.51.100.53", "dns-outside-v4", (1000023,))
    dns_query(s, T0 + 4 * 10**9, GNB[0][3], CORE, "2001:db8:1::1", "3fff:0:53::1", "dns-outside-v6", (1000023,),
              v6=True)
    dns_query(s, T0 + 5 * 10**9, CORE, UPF_MAC, "10.50.0.9", "203.0.113.53", "dns-outside-host", (1000023,),
              ttl=63)
    tcp_session(s, T0 + 6 * 10**9, CORE, UPF_MAC, "10.50.0.10", "203.0.113.53", s.eport(), 53, "dns-tcp-outside",
                (1000024,), ttl_c=63, data=(60, 300))


def telnet(s):
    tcp_session(s, T0 + 7 * 10**9, CORE, UPF_MAC, NMS, UPF4, s.eport(), 23, "telnet-inside", (1000022,),
                ttl_c=63, ttl_s=255, data=(20, 80, 20))
    # a ZTE gNB opens telnet to the outside: management protocol out, telnet, vendor TCP session out
    tcp_session(s, T0 + 8 * 10**9, GNB[2][3], CORE, GNB[2][1], "203.0.113.23", s.eport(), 23, "telnet-outside",
                (1000020, 1000022, 1000030), data=(20, 80))


def policy_extras(s):
    t = T0 + 9 * 10**9
    nm = GNB[1][3]
    s.add(t, Ether(src=CORE, dst=nm) / IP(src="203.0.113.161", dst="10.1.1.2", ttl=50, id=s.nid()) /
          UDP(sport=s.eport(), dport=161) / Raw(bytes(40)), "snmp-from-outside", (1000011,))
    s.add(t + 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.50.0.11", dst="198.51.100.162", ttl=63, id=s.nid()) /
          UDP(sport=s.eport(), dport=162) / Raw(bytes(48)), "snmp-trap-outside", (1000021,))
    s.add(t + 2 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.50.0.12", dst="198.51.100.86", ttl=63,
                                                           id=s.nid()) /
          UDP(sport=s.eport(), dport=3386) / Raw(bytes(60)), "gtp-prime-outside", (1000010, 1000026))
    s.add(t + 3 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.50.0.13", dst="198.51.100.95", ttl=63,
                                                           id=s.nid()) /
          UDP(sport=s.eport(), dport=2055) / Raw(bytes(200)), "netflow-outside", (1000026,))
    s.add(t + 4 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.50.0.13", dst="10.40.0.20", ttl=63, id=s.nid()) /
          UDP(sport=s.eport(), dport=2055) / Raw(bytes(200)), "netflow-collector")
    s.add(t + 5 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.50.0.14", dst="198.51.100.123", ttl=63,
                                                           id=s.nid()) /
          UDP(sport=s.eport(), dport=123) / Raw(bytes(48)), "ntp-outside", (1000025,))
    s.add(t + 6 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.50.0.14", dst="10.0.0.123", ttl=63, id=s.nid()) /
          UDP(sport=s.eport(), dport=123) / Raw(bytes(48)), "ntp-inside")
    s.add(t + 7 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.1.1.9", dst="198.51.100.50", ttl=63,
                                                           id=s.nid()) /
          UDP(sport=500, dport=500) / Raw(bytes(200)), "ike-unknown-peer", (1000027,))
    s.add(t + 8 * 10**8, Ether(src=CORE, dst=UPF_MAC) / IP(src="10.1.1.9", dst="198.51.100.50", ttl=63, id=s.nid(),
                                                           proto=50) /
          Raw(struct.pack("!II", 0x1234, 1) + bytes(64)), "esp-unknown-peer", (1000028,))
    # a Huawei router opens SSH to the outside (TTL 64: a TCP session, not an undecremented TTL)
    tcp_session(s, t + 9 * 10**8, mac("HW", 0x000c01), CORE, "10.3.0.21", "198.51.100.22", s.eport(), 22,
                "vendor-ssh-outside", (1000020, 1000030), data=(300,))
    # a Nokia gNB originates ICMP to the outside with TTL 255
    s.add(t + 12 * 10**8, Ether(src=GNB[1][3], dst=CORE) / IP(src="10.1.1.2", dst="198.51.100.7", ttl=255, id=s.nid(),
                                                              proto=1) / Raw(b"\x08\x00\xf7\xfe\x00\x01\x00\x00"),
          "vendor-icmp-outside", (1000029,))


def rule_probes(s):
    """Legitimate traffic that examples/backhaul.rules once alerted on (docs/demo.md): the authorised IPsec gateway
    answering a gNB (IKE and ESP from 10.30.0.1; 1000027/1000028 now exclude the gateways as sources) and the
    operator's resolver recursing to the outside (1000023 now excludes the resolvers as sources)."""
    t = T0 + 12 * 10**9
    gw, g = "10.30.0.1", GNB[0]
    for i in range(3):
        s.add(t + i * 10**7, Ether(src=g[3], dst=CORE) / IP(src=g[1], dst=gw, ttl=64, id=s.nid()) /
              UDP(sport=500, dport=500) / Raw(bytes(120)), "probe-ike-authorised-gateway")
        s.add(t + i * 10**7 + 10**6, Ether(src=CORE, dst=g[3]) / IP(src=gw, dst=g[1], ttl=63, id=s.nid()) /
              UDP(sport=500, dport=500) / Raw(bytes(120)), "probe-ike-authorised-gateway")
    for i in range(3):
        s.add(t + (5 + i) * 10**7, Ether(src=g[3], dst=CORE) / IP(src=g[1], dst=gw, ttl=64, id=s.nid(), proto=50) /
              Raw(struct.pack("!II", 0x5001, i + 1) + bytes(96)), "probe-esp-authorised-gateway")
        s.add(t + (5 + i) * 10**7 + 10**6, Ether(src=CORE, dst=g[3]) /
              IP(src=gw, dst=g[1], ttl=63, id=s.nid(), proto=50) /
              Raw(struct.pack("!II", 0x6001, i + 1) + bytes(96)), "probe-esp-authorised-gateway")
    dns_query(s, t + 10**9, CORE, UPF_MAC, DNS4, "198.51.100.1", "probe-resolver-recursion", ())


def exfil(s, nframes):
    """A host streams nframes full-size TCP segments to the outside in 30 s (the volume rule's 50,000,000 bytes are
    crossed once); the receiver ACKs every 16th. Built from one template, IDs, sequence and checksums patched."""
    cli, srv, sp = "10.60.0.20", "203.0.113.80", s.eport()
    t = T0 + 4 * 10**9
    tcp_session(s, t, CORE, UPF_MAC, cli, srv, sp, 443, "exfil-volume", (1000040,), ttl_c=63, data=(),
                close=False)
    tmpl = bytes(Ether(src=CORE, dst=UPF_MAC) / IP(src=cli, dst=srv, ttl=63, id=0, flags="DF") /
                 TCP(sport=sp, dport=443, flags="A", seq=0, ack=5001) / Raw(bytes(range(256)) * 5 + bytes(180)))
    assert len(tmpl) == 1514
    ip_c0 = struct.unpack_from("!H", tmpl, 24)[0]
    tcp_c0 = struct.unpack_from("!H", tmpl, 50)[0]
    ip_s0, tcp_s0 = (~ip_c0) & 0xFFFF, (~tcp_c0) & 0xFFFF
    start = t + 20 * 10**6
    step = 30 * 10**9 // nframes
    buf = bytearray(tmpl)

    def fold(x):
        while x > 0xFFFF:
            x = (x & 0xFFFF) + (x >> 16)
        return x
    for i in range(nframes):
        ipid, seq = (i * 3 + 1) & 0xFFFF, (1001 + i * 1460) & 0xFFFFFFFF
        struct.pack_into("!H", buf, 18, ipid)
        struct.pack_into("!H", buf, 24, (~fold(ip_s0 + ipid)) & 0xFFFF)
        struct.pack_into("!I", buf, 38, seq)
        struct.pack_into("!H", buf, 50, (~fold(tcp_s0 + (seq >> 16) + (seq & 0xFFFF))) & 0xFFFF)
        s.add_raw(start + i * step, bytes(buf))
        if i % 16 == 15:
            s.add(start + i * step + step // 2, Ether(src=UPF_MAC, dst=CORE) /
                  IP(src=srv, dst=cli, ttl=50, id=s.nid(), flags="DF") /
                  TCP(sport=443, dport=sp, flags="A", seq=5001, ack=seq + 1460), "exfil-volume")
    s.flow(("TCP", cli, sp, srv, 443), "exfil-volume", (1000040,))


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))   # nanosecond pcap, Ethernet
        for ts, _seq, raw, wl in frames:
            f.write(struct.pack("<IIII", ts // 10**9, ts % 10**9, len(raw), wl))
            f.write(raw)


def write_truth(path, s, args):
    with open(path, "w", encoding="ascii") as f:
        f.write("# tapwatch scenario ground truth (tools/gen_scenario.py; format: docs/demo.md)\n")
        f.write(f"#@ seed {args.seed}\n")
        f.write(f"#@ frames {len(s.frames)}\n")
        f.write(f"#@ tunnels {','.join(sorted(s.tunnels))}\n")
        f.write(f"#@ pass 1000001 {s.pass_frames}\n")
        f.write("# sid\texpect\tproto\tsrc\tsport\tdst\tdport\tcase\n")
        keys = sorted(s.flows, key=lambda k: (s.flows[k][0], k))
        for sid in SIDS:
            for k in keys:
                case, sids = s.flows[k]
                exp = "alert" if sid in sids else "none"
                f.write(f"{sid}\t{exp}\t{k[0]}\t{k[1]}\t{k[2]}\t{k[3]}\t{k[4]}\t{case}\n")


def main():
    ap = argparse.ArgumentParser(description="Write the labelled backhaul scenario (pcap + ground truth).")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--duration", type=int, default=30, help="seconds of background traffic (default 30)")
    ap.add_argument("--oui-registry", default=OUI_CSV)

    def onoff(name, helptext):
        ap.add_argument(f"--{name}", dest=name.replace("-", "_"), action=argparse.BooleanOptionalAction,
                        default=True, help=helptext + " (default on)")
    for k in MIRROR_KINDS:
        onoff(k, f"{k} copies of observed frames")
    onoff("copy-inside", "copies to the authorised analysers (must not alert)")
    onoff("copy-outside", "copies to collectors outside the network (must alert)")
    onoff("copy-unauthorised", "GRE-TEB copies to an inside host that is no analyser")
    onoff("late-copy", "ERSPAN II copies outside the mirror window, to the outside")
    onoff("dns-outside", "DNS (UDP v4/v6, TCP) to outside resolvers")
    onoff("telnet", "telnet sessions inside and to the outside")
    onoff("policy-extras", "SNMP from outside, trap/GTP'/NetFlow/NTP/IKE/ESP out, vendor SSH and ICMP out")
    onoff("exfil", "a host sending over 50 MB to the outside in 30 s")
    ap.add_argument("--exfil-frames", type=int, default=34000, help="1514-byte frames of the exfiltration")
    ap.add_argument("--rule-probes", action=argparse.BooleanOptionalAction, default=True,
                    help="legitimate IPsec with the authorised gateway and resolver recursion: the example rules "
                         "1000023/1000027/1000028 must stay silent on them (regression: they once alerted)")
    ap.add_argument("--gtpu-gap", type=int, default=1,
                    help="GTP-U background this many times sparser (default 1; a short scenario for slow tests)")
    args = ap.parse_args()
    if args.duration < 26:
        ap.error("--duration must be at least 26 (the injected cases need it)")
    check_ouis(args.oui_registry)

    s = Scenario(args.seed)
    t_end = T0 + args.duration * 10**9
    gtpu_sessions(s, t_end, args.gtpu_gap)
    control_plane(s, t_end)
    management(s, t_end)
    kinds = [k for k in MIRROR_KINDS if getattr(args, k.replace("-", "_"))]
    mirror_cases(s, kinds, args.copy_inside, args.copy_outside, args.copy_unauthorised, args.late_copy)
    if args.dns_outside:
        dns_outside(s)
    if args.telnet:
        telnet(s)
    if args.policy_extras:
        policy_extras(s)
    if args.rule_probes:
        rule_probes(s)
    if args.exfil:
        exfil(s, args.exfil_frames)
    s.frames.sort(key=lambda f: (f[0], f[1]))
    os.makedirs(args.outdir, exist_ok=True)
    write_pcap(os.path.join(args.outdir, "backhaul.pcap"), s.frames)
    write_truth(os.path.join(args.outdir, "backhaul.truth"), s, args)
    npos = sum(len(v[1]) for v in s.flows.values())
    print(f"gen_scenario: {len(s.frames)} frames, {len(s.flows)} flows, {npos} expected (sid, flow) alerts, "
          f"tunnels {','.join(sorted(s.tunnels))} -> {args.outdir}")


if __name__ == "__main__":
    main()
