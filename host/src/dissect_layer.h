/* The header-stack parsers of the C reference dissector (dissect.c), written once and compiled twice: for the
 * outer stack (LF(f) = the record's o_f field, LN(name) = name_o) and for the inner one (i_f, name_i). The
 * fields are written straight into the record, which tw_dissect() clears first: no per-stack copy. Included only
 * by dissect.c, with LF and LN defined. */
/* no include guard: included once per layer */

/* MPLS label stack entries until S = 1 (at most 4), then the first nibble of what follows. */
static enum next LN(parse_mpls)(struct ctx *c, size_t *off)
{
    for (;;) {
        if (LF(mpls_n) == MAX_MPLS) {
            set_err(c, TW_ERR_DEEP);
            return NX_STOP;
        }
        if (!have(c, *off, 4)) {
            set_err(c, TW_ERR_TRUNC);
            return NX_STOP;
        }
        uint32_t e = rd32(c, *off);
        switch (LF(mpls_n)) {
        case 0: LF(mpls0) = e; break;
        case 1: LF(mpls1) = e; break;
        case 2: LF(mpls2) = e; break;
        default: LF(mpls3) = e; break;
        }
        LF(mpls_n)++;
        *off += 4;
        if (e & 0x100u)
            break;
    }
    if (!have(c, *off, 1)) {
        set_err(c, TW_ERR_TRUNC);
        return NX_STOP;
    }
    switch (rd8(c, *off) >> 4) {
    case 4: return NX_IP4;
    case 6: return NX_IP6;
    case 0: LF(mpls_cw) = 1; return NX_STOP;
    default: return NX_STOP;
    }
}

/* Ethernet, up to two VLAN tags, MPLS. */
static enum next LN(parse_eth)(struct ctx *c, size_t *off)
{
    if (!have(c, *off, 14)) {
        set_err(c, TW_ERR_TRUNC);
        return NX_STOP;
    }
    LF(l2) = 1;
    LF(dmac) = rd48(c, *off);
    LF(smac) = rd48(c, *off + 6);
    unsigned type = rd16(c, *off + 12);
    LF(ethertype) = (uint16_t)type;
    *off += 14;
    while (is_tpid(type)) {
        if (LF(vlan_n) == MAX_VLAN) {
            set_err(c, TW_ERR_DEEP);
            return NX_STOP;
        }
        if (!have(c, *off, 4)) {
            set_err(c, TW_ERR_TRUNC);
            return NX_STOP;
        }
        if (LF(vlan_n) == 0) {
            LF(vlan0_tpid) = tpid_code(type);
            LF(vlan0_tci) = rd16(c, *off);
        } else {
            LF(vlan1_tpid) = tpid_code(type);
            LF(vlan1_tci) = rd16(c, *off);
        }
        LF(vlan_n)++;
        type = rd16(c, *off + 2);
        LF(ethertype) = (uint16_t)type;
        *off += 4;
    }
    if (type == ETH_MPLS || type == ETH_MPLS_MC)
        return LN(parse_mpls)(c, off);
    if (type == ETH_IPV4)
        return NX_IP4;
    if (type == ETH_IPV6)
        return NX_IP6;
    return NX_STOP;
}

/* l3_head: the next min(16, payload bytes per the length fields, bytes in the window) bytes. */
static void LN(take_head)(const struct ctx *c, size_t pay_off, size_t pay_len)
{
    size_t n = pay_len < 16 ? pay_len : 16;
    size_t avail = pay_off < c->win ? c->win - pay_off : 0;
    if (n > avail)
        n = avail;
    if (n == 16)
        memcpy(LF(l3_head), c->p + pay_off, 16); /* the usual case: a fixed-size copy the compiler inlines */
    else if (n > 0)
        memcpy(LF(l3_head), c->p + pay_off, n);
    LF(l3_head_n) = (uint8_t)n;
}

static void LN(parse_ip4)(struct ctx *c, size_t off, struct ipres *r)
{
    if (!have(c, off, 1)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    uint8_t b0 = rd8(c, off);
    if (b0 >> 4 != 4) {
        set_err(c, TW_ERR_IPVER);
        return;
    }
    unsigned ihl = b0 & 0xFu;
    if (ihl < 5) {
        set_err(c, TW_ERR_IHL);
        return;
    }
    size_t hl = ihl * 4u;
    if (!have(c, off, hl)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    /* one's-complement sum of the header's 16-bit words, taken 32 bits at a time (hl is a multiple of 4) in the
     * CPU's byte order: the folded sum is congruent mod 0xFFFF and 0 only for an all-zero header, as the 16-bit
     * sum is, and swapping the bytes of every word multiplies the sum by 2^8 mod 0xFFFF, which keeps the one
     * value compared, 0xFFFF (residue 0, not all zero), in place: so the result is the same */
    uint64_t sum64 = 0;
    size_t i = 0;
    for (; i + 8 <= hl; i += 8) {
        uint64_t w;
        memcpy(&w, c->p + off + i, 8);
        sum64 += (w & 0xFFFFFFFFu) + (w >> 32);
    }
    if (i < hl) {
        uint32_t w;
        memcpy(&w, c->p + off + i, 4);
        sum64 += w;
    }
    while (sum64 >> 16)
        sum64 = (sum64 & 0xFFFFu) + (sum64 >> 16);
    uint32_t sum = (uint32_t)sum64;
    unsigned total = rd16(c, off + 2);
    unsigned fl = rd16(c, off + 6);
    LF(ip_ver) = 4;
    LF(ip_ihl) = (uint8_t)ihl;
    LF(ip_tos) = rd8(c, off + 1);
    LF(ip_len) = (uint16_t)total;
    LF(ip_id) = rd16(c, off + 4);
    LF(ip_df) = (fl >> 14) & 1u;
    LF(ip_mf) = (fl >> 13) & 1u;
    LF(ip_fragoff) = (uint16_t)(fl & 0x1FFFu);
    /* from fl, not read back from the record: a load spanning the byte stores just made stalls store forwarding */
    LF(ip_frag) = (fl & 0x3FFFu) != 0;
    LF(ip_ttl) = rd8(c, off + 8);
    LF(ip_proto) = rd8(c, off + 9);
    LF(ip_csum_ok) = sum == 0xFFFFu;
    memcpy(LF(ip_src) + 12, c->p + off + 12, 4);
    memcpy(LF(ip_dst) + 12, c->p + off + 16, 4);
    LF(l3_off) = (uint16_t)off;
    LF(l3_hdrlen) = (uint16_t)hl;
    if (!LF(ip_csum_ok))
        set_err(c, TW_ERR_CSUM);
    if (total < hl || frame_bytes_from(c, off, total))
        set_err(c, TW_ERR_IPLEN);
    LN(take_head)(c, off + hl, total > hl ? total - hl : 0);
    r->done = true;
    r->first_frag = (fl & 0x1FFFu) == 0;
    r->pay_off = off + hl;
}

static void LN(parse_ip6)(struct ctx *c, size_t off, struct ipres *r)
{
    if (!have(c, off, 1)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    if (rd8(c, off) >> 4 != 6) {
        set_err(c, TW_ERR_IPVER);
        return;
    }
    if (!have(c, off, 40)) {
        set_err(c, TW_ERR_TRUNC);
        return;
    }
    uint32_t w0 = rd32(c, off);
    unsigned plen = rd16(c, off + 4);
    unsigned nh = rd8(c, off + 6);
    LF(ip_ver) = 6;
    LF(ip_tos) = (uint8_t)(w0 >> 20);
    LF(ip_flow) = w0 & 0xFFFFFu;
    LF(ip_len) = (uint16_t)plen;
    LF(ip_ttl) = rd8(c, off + 7);
    LF(ip_proto) = (uint8_t)nh;
    memcpy(LF(ip_src), c->p + off + 8, 16);
    memcpy(LF(ip_dst), c->p + off + 24, 16);
    LF(l3_off) = (uint16_t)off;
    LF(l3_hdrlen) = 40;
    if (frame_bytes_from(c, off, 40u + plen))
        set_err(c, TW_ERR_IPLEN);
    size_t hl = 40;
    while (is_ip6_ext(nh)) {
        if (LF(ip6_ext_n) == MAX_IP6_EXT) {
            set_err(c, TW_ERR_DEEP);
            return;
        }
        size_t e = off + hl, elen;
        if (nh == 44) {
            elen = 8;
        } else {
            if (!have(c, e, 2)) {
                set_err(c, TW_ERR_TRUNC);
                return;
            }
            elen = nh == 51 ? ((size_t)rd8(c, e + 1) + 2) * 4 : ((size_t)rd8(c, e + 1) + 1) * 8;
        }
        if (!have(c, e, elen)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        switch (LF(ip6_ext_n)) {
        case 0: LF(ip6_ext0) = (uint8_t)nh; break;
        case 1: LF(ip6_ext1) = (uint8_t)nh; break;
        case 2: LF(ip6_ext2) = (uint8_t)nh; break;
        default: LF(ip6_ext3) = (uint8_t)nh; break;
        }
        LF(ip6_ext_n)++;
        if (nh == 43 && rd8(c, e + 2) == 4) {
            LF(ip6_srh) = 1;
            LF(ip6_segleft) = rd8(c, e + 3);
        }
        if (nh == 44) {
            unsigned fo = rd16(c, e + 2);
            LF(ip_fragoff) = (uint16_t)(fo >> 3);
            LF(ip_mf) = fo & 1u;
            LF(ip_frag) = (fo & 0xFFF9u) != 0; /* mf or the offset (fo >> 3), as computed, not read back */
            LF(ip6_fragid) = rd32(c, e + 4);
        }
        nh = rd8(c, e);
        hl += elen;
        LF(ip_proto) = (uint8_t)nh;
        LF(l3_hdrlen) = (uint16_t)hl;
    }
    size_t ext = hl - 40;
    LN(take_head)(c, off + hl, plen > ext ? plen - ext : 0);
    r->done = true;
    r->first_frag = LF(ip_fragoff) == 0;
    r->pay_off = off + hl;
}

/* The L4 header at off (first fragments and unfragmented packets only). */
static void LN(parse_l4)(struct ctx *c, size_t off)
{
    switch (LF(ip_proto)) {
    case 6:
        if (!have(c, off, 20)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        LF(sport) = rd16(c, off);
        LF(dport) = rd16(c, off + 2);
        LF(tcp_seq) = rd32(c, off + 4);
        LF(tcp_flags) = rd8(c, off + 13);
        break;
    case 17:
        if (!have(c, off, 8)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        LF(sport) = rd16(c, off);
        LF(dport) = rd16(c, off + 2);
        LF(udp_len) = rd16(c, off + 4);
        break;
    case 132:
        if (!have(c, off, 12)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        LF(sport) = rd16(c, off);
        LF(dport) = rd16(c, off + 2);
        LF(sctp_vtag) = rd32(c, off + 4);
        if (have(c, off + 12, 4)) {
            LF(sctp_chunk) = rd8(c, off + 12);
            if (LF(sctp_chunk) == 0 && have(c, off + 12, 16)) {
                LF(sctp_ppid_v) = 1;
                LF(sctp_ppid) = rd32(c, off + 24);
            }
        }
        break;
    case 1:
    case 58:
        if (!have(c, off, 4)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        LF(icmp_type) = rd8(c, off);
        LF(icmp_code) = rd8(c, off + 1);
        break;
    default:
        return;
    }
    LF(l4) = 1;
}

/* One header stack from off, starting with the header kind `start`. */
static void LN(parse_stack)(struct ctx *c, size_t off, enum next start, struct ipres *r)
{
    memset(r, 0, sizeof *r);
    enum next nx = start;
    if (nx == NX_ETH)
        nx = LN(parse_eth)(c, &off);
    else if (nx == NX_MPLS)
        nx = LN(parse_mpls)(c, &off);
    if (nx == NX_IP_ANY) {
        if (!have(c, off, 1)) {
            set_err(c, TW_ERR_TRUNC);
            return;
        }
        unsigned v = rd8(c, off) >> 4;
        if (v == 4) {
            nx = NX_IP4;
        } else if (v == 6) {
            nx = NX_IP6;
        } else {
            set_err(c, TW_ERR_IPVER);
            return;
        }
    }
    if (nx == NX_IP4)
        LN(parse_ip4)(c, off, r);
    else if (nx == NX_IP6)
        LN(parse_ip6)(c, off, r);
    if (r->done && r->first_frag)
        LN(parse_l4)(c, r->pay_off);
}
