/* The simulated device (sim/twdev.h over rtl/tw_top.v) end to end through the wire protocol: identity registers,
 * a compiled image loaded with CMD_TABLE_WRITE + CMD_COMMIT, frames on ports A and B, alert and flow records decoded
 * with the contracts and compared with the software reference detector (tw_detector_*) on the same frames, the
 * counter window (frames = records + drops), a bad table id counted, and records dropped by a stalled host seen as a
 * sequence gap equal to REG_LINK_TX_DROPS. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dev_rules.h"
#include "frames.h"
#include "tapwatch/detect.h"
#include "tapwatch/dissect.h"
#include "tapwatch/proto.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_alert_rec.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_flow_rec.h"
#include "tapwatch/tw_protocol.h"
#include "tapwatch/tw_regs.h"
#include "twdev.h"

#define RUN_MAX 20000000ull

/* ---------------------------------------------------------------- bits of a little-endian packed record */
static uint64_t bits(const uint8_t *b, unsigned lsb, unsigned w)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < w; i++)
        if (b[(lsb + i) / 8] & (1u << ((lsb + i) % 8)))
            v |= 1ull << i;
    return v;
}
/* a 128-bit address field (byte 0 of the address in the top bits) into 16 bytes */
static void addr_of(const uint8_t *b, unsigned lsb, uint8_t out[16])
{
    for (unsigned i = 0; i < 16; i++)
        out[i] = (uint8_t)bits(b, lsb + 8 * (15 - i), 8);
}

/* ---------------------------------------------------------------- a host on the device's byte streams */
struct host {
    struct twdev *d;
    struct tw_proto_dec *dec;
    uint16_t seq;
    /* collected device frames */
    uint8_t (*alerts)[256];
    size_t nalerts, capalerts;
    uint8_t (*flows)[TW_FR_BYTES];
    size_t nflows, capflows;
    uint64_t gaps;
};

static void host_init_cfg(struct host *h, const struct twdev_cfg *cfg)
{
    memset(h, 0, sizeof(*h));
    assert_int_equal(twdev_new(&h->d, cfg), 0);
    assert_int_equal(twdev_set_bitmode(h->d, 0xff, TWDEV_BITMODE_SYNCFF), 0);
    assert_int_equal(twdev_set_latency_timer(h->d, 1), 0);
    assert_int_equal(tw_proto_dec_new(&h->dec, TW_PROTO_DEV_TO_HOST), 0);
}

static void host_init(struct host *h) { host_init_cfg(h, NULL); }

static void host_done(struct host *h)
{
    struct twdev_stats st;
    twdev_stats(h->d, &st);
    assert_int_equal(st.violations, 0);
    assert_int_equal(st.lost_events, 0);
    assert_int_equal(st.out_bad, 0);
    twdev_free(h->d);
    tw_proto_dec_free(h->dec);
    free(h->alerts);
    free(h->flows);
}

/* Pulls the device's stream; records are kept, the first DEV_RESP / DEV_COUNTERS of type `want` goes to *out. */
static int host_pump(struct host *h, uint8_t want, struct tw_proto_frame *out, uint8_t *copy)
{
    uint8_t buf[4096];
    size_t n;
    while ((n = twdev_host_read(h->d, buf, sizeof buf)) > 0)
        assert_int_equal(tw_proto_dec_push(h->dec, buf, n), 0);
    struct tw_proto_frame f;
    while (tw_proto_dec_next(h->dec, &f) == 1) {
        h->gaps += f.gap;
        if (f.type == TW_DEV_ALERT) {
            if (h->nalerts == h->capalerts) {
                h->capalerts = h->capalerts ? 2 * h->capalerts : 64;
                h->alerts = realloc(h->alerts, h->capalerts * sizeof(*h->alerts));
                assert_non_null(h->alerts);
            }
            assert_true(f.len >= TW_AR_BYTES && f.len <= 256);
            memset(h->alerts[h->nalerts], 0, 256);
            memcpy(h->alerts[h->nalerts++], f.payload, f.len);
        } else if (f.type == TW_DEV_FLOW) {
            if (h->nflows == h->capflows) {
                h->capflows = h->capflows ? 2 * h->capflows : 64;
                h->flows = realloc(h->flows, h->capflows * sizeof(*h->flows));
                assert_non_null(h->flows);
            }
            assert_int_equal(f.len, TW_FR_BYTES);
            memcpy(h->flows[h->nflows++], f.payload, f.len);
        } else if (f.type == want && out) {
            *out = f;
            memcpy(copy, f.payload, f.len);
            out->payload = copy;
            return 1;
        }
    }
    return 0;
}

static void host_send(struct host *h, const uint8_t *b, int n)
{
    assert_true(n > 0);
    assert_int_equal(twdev_host_write(h->d, b, (size_t)n), 0);
}

/* REG_READ of count registers; returns the response status */
static int reg_read(struct host *h, uint16_t addr, uint16_t count, uint32_t *vals)
{
    uint8_t b[64], copy[TW_PROTO_MAX_LEN];
    host_send(h, b, tw_proto_enc_reg_read(h->seq++, addr, count, b, sizeof b));
    struct tw_proto_frame f;
    for (int i = 0; i < 2000; i++) {
        if (host_pump(h, TW_DEV_RESP, &f, copy)) {
            struct tw_proto_resp r;
            assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
            assert_int_equal(r.cmd_type, TW_CMD_REG_READ);
            if (r.status == TW_ST_OK)
                for (unsigned k = 0; k < count; k++)
                    vals[k] = r.vals[k];
            return r.status;
        }
        twdev_run(h->d, 500);
    }
    fail_msg("no response to REG_READ 0x%x", addr);
    return -1;
}

static uint64_t counter(struct host *h, unsigned i)
{
    uint32_t v[2];
    assert_int_equal(reg_read(h, (uint16_t)(TW_REG_CNT_BASE + 2 * i), 2, v), TW_ST_OK);
    return (uint64_t)v[1] << 32 | v[0];
}

/* waits for the answer to the last command (a write/commit) */
static void expect_ok(struct host *h, uint8_t cmd)
{
    uint8_t copy[TW_PROTO_MAX_LEN];
    struct tw_proto_frame f;
    for (int i = 0; i < 2000; i++) {
        if (host_pump(h, TW_DEV_RESP, &f, copy)) {
            struct tw_proto_resp r;
            assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
            assert_int_equal(r.cmd_type, cmd);
            assert_int_equal(r.status, TW_ST_OK);
            return;
        }
        twdev_run(h->d, 500);
    }
    fail_msg("no response to command %u", cmd);
}

/* one table: `n` entries of `bytes` packed bytes each, in bursts */
static unsigned load_table(struct host *h, uint8_t id, const uint8_t *entries, unsigned n, unsigned bytes)
{
    unsigned wpe = (bytes * 8 + 31) / 32;
    uint32_t *words = calloc((size_t)n * wpe, sizeof(uint32_t));
    assert_non_null(words);
    for (unsigned e = 0; e < n; e++)
        for (unsigned i = 0; i < wpe; i++)
            for (unsigned k = 0; k < 4; k++) {
                unsigned byte = 4 * i + k;
                if (byte < bytes)
                    words[(size_t)e * wpe + i] |= (uint32_t)entries[(size_t)e * bytes + byte] << (8 * k);
            }
    unsigned per = (TW_PROTO_MAX_WORDS / wpe) * wpe;
    uint8_t b[TW_PROTO_MAX_LEN + 16];
    for (unsigned off = 0; off < n * wpe; off += per) {
        unsigned cnt = n * wpe - off < per ? n * wpe - off : per;
        host_send(h, b, tw_proto_enc_table_write(h->seq++, id, (uint16_t)off, words + off, (uint16_t)cnt, b, sizeof b));
        expect_ok(h, TW_CMD_TABLE_WRITE);
    }
    free(words);
    return n;
}

/* the image through the wire: returns the entries written */
static unsigned load_image(struct host *h, const struct tw_tables *t)
{
    unsigned total = 0, nb = t->settings.oui_buckets;
    uint8_t one[TW_ST_BYTES];
    tw_settings_pack(&t->settings, one);
    total += load_table(h, 1, one, 1, TW_ST_BYTES);
    /* OUI: the hardware geometry (2048 buckets per way), compiled entries moved as sim/engine_load.c does */
    unsigned hw_n = TW_OUI_WAYS * TW_OUI_BUCKETS * TW_OUI_SLOTS;
    uint8_t *oui = calloc(hw_n, TW_OE_BYTES);
    assert_non_null(oui);
    for (unsigned w = 0; w < TW_OUI_WAYS; w++)
        for (unsigned k = 0; k < nb; k++)
            for (unsigned s = 0; s < TW_OUI_SLOTS; s++)
                tw_oui_entry_pack(&t->oui[((size_t)w * nb + k) * TW_OUI_SLOTS + s],
                                  oui + (size_t)((w * TW_OUI_BUCKETS + k) * TW_OUI_SLOTS + s) * TW_OE_BYTES);
    total += load_table(h, 2, oui, hw_n, TW_OE_BYTES);
    free(oui);
    uint8_t *pe = calloc(TW_CAP_PREFIXES, TW_PE_BYTES);
    uint8_t *pt = calloc(TW_CAP_PORT_RANGES, TW_PT_BYTES);
    uint8_t *re = calloc(TW_CAP_RULES, TW_RE_BYTES);
    assert_true(pe && pt && re);
    for (unsigned i = 0; i < TW_CAP_PREFIXES; i++)
        tw_prefix_entry_pack(&t->prefix[i], pe + (size_t)i * TW_PE_BYTES);
    for (unsigned i = 0; i < TW_CAP_PORT_RANGES; i++)
        tw_port_entry_pack(&t->port[i], pt + (size_t)i * TW_PT_BYTES);
    for (unsigned i = 0; i < TW_CAP_RULES; i++) {
        struct tw_rule_entry r = t->rule[i];
        if (i >= t->settings.n_rules)
            r.valid = 0;
        tw_rule_entry_pack(&r, re + (size_t)i * TW_RE_BYTES);
    }
    total += load_table(h, 3, pe, TW_CAP_PREFIXES, TW_PE_BYTES);
    total += load_table(h, 4, pt, TW_CAP_PORT_RANGES, TW_PT_BYTES);
    total += load_table(h, 5, re, TW_CAP_RULES, TW_RE_BYTES);
    free(pe);
    free(pt);
    free(re);
    uint8_t b[32];
    host_send(h, b, tw_proto_enc_commit(h->seq++, 0x3e, b, sizeof b));
    expect_ok(h, TW_CMD_COMMIT);
    return total;
}

/* ---------------------------------------------------------------- identity */
static void test_identity(void **st)
{
    (void)st;
    struct host h;
    host_init(&h);
    uint32_t v[7];
    assert_int_equal(reg_read(&h, TW_REG_MAGIC, 7, v), TW_ST_OK);
    assert_int_equal(v[0], TW_REG_MAGIC_VALUE);
    assert_int_equal(v[1] & 0xffff, TW_PROTO_VERSION);
    assert_int_equal(v[2], TW_CAP_RULES);
    assert_int_equal(v[3], 4096 * 4);
    assert_int_equal(v[4], 64);
    assert_int_equal(v[5], 125);
    assert_int_equal(v[6], TW_CNT_TOTAL);
    /* an address beyond the counter window is refused */
    assert_int_equal(reg_read(&h, (uint16_t)(TW_REG_CNT_BASE + 2 * TW_CNT_TOTAL), 1, v), TW_ST_BAD_ADDR);
    host_done(&h);
}

/* ---------------------------------------------------------------- detection against the reference */
static const char *RULES =
    "alert udp $HOME_NET any -> !$HOME_NET 53 (msg:\"dns out\"; sid:101; rev:2;)\n"
    "alert tcp any any -> any $MGMT (msg:\"mgmt\"; sid:102; priority:2;)\n"
    "alert ip any any -> any any (msg:\"hw src\"; src_vendor:HW; sid:103; gid:7;)\n"
    "pass udp any any -> any 5353 (msg:\"mdns ok\"; sid:104;)\n"
    "alert udp any any -> any any (msg:\"any udp\"; sid:105;)\n"
    "alert udp any any -> any 4789 (msg:\"vxlan inner\"; inner; sid:106;)\n";

#define NFR 160
struct gen_frame {
    uint8_t b[256];
    size_t len;
    unsigned port;
    uint64_t ts;
};

static void make_frames(struct gen_frame *fr)
{
    for (unsigned i = 0; i < NFR; i++) {
        struct twf f;
        twf_init(&f);
        unsigned kind = i % 8;
        uint64_t smac = (kind == 2) ? 0x00e0fc000001ull : 0x020000000002ull;
        twf_eth(&f, 0x020000000001ull, smac + (i % 3), kind == 5 ? 0x86dd : 0x0800);
        uint32_t src = 0x0a000001 + (i % 5), dst = (i & 1) ? 0x08080808 : 0x0a000102;
        if (kind == 5) {
            struct twf_ip6 ip = {.nh = 17, .hlim = 64};
            twf_ip6_addr(ip.src, 0x2001, (uint16_t)(1 + i % 4));
            twf_ip6_addr(ip.dst, 0x2a00, 0x53);
            twf_ipv6(&f, &ip);
            twf_udp(&f, (uint16_t)(40000 + i % 7), 53);
        } else {
            uint8_t proto = (kind == 1 || kind == 3) ? 6 : 17;
            twf_ipv4(&f, &(struct twf_ip4){.proto = proto, .ttl = 64, .src = src, .dst = dst});
            if (proto == 6)
                twf_tcp(&f, (uint16_t)(30000 + i % 11), kind == 1 ? 22 : 443, i, 0x18);
            else if (kind == 4)
                twf_udp(&f, 5353, 5353);
            else if (kind == 6) {
                twf_udp(&f, 1234, 4789);
                twf_vxlan(&f, 77);
                twf_eth(&f, 0x020000000009ull, 0x02000000000aull, 0x0800);
                twf_ipv4(&f, &(struct twf_ip4){.proto = 17, .ttl = 63, .src = 0xc0a80001, .dst = 0xc0a80002});
                twf_udp(&f, 999, 53);
            } else
                twf_udp(&f, (uint16_t)(50000 + i % 13), (i & 1) ? 53 : 123);
        }
        twf_payload(&f, 20 + (i * 7) % 90, (uint8_t)i);
        twf_end(&f);
        twf_pad(&f, 60);
        assert_false(f.overflow);
        memcpy(fr[i].b, f.b, f.n);
        fr[i].len = f.n;
        fr[i].port = (i % 3 == 2) ? 1 : 0;
        fr[i].ts = 1000000000ull + (uint64_t)i * 10000;
    }
}

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }
static int alert_cmp(const void *x, const void *y)
{
    const uint8_t *a = x, *b = y;
    int c = cmp_u64(bits(a, TW_AR_TS_LSB, 64), bits(b, TW_AR_TS_LSB, 64));
    return c ? c : cmp_u64(bits(a, TW_AR_RULE_LSB, 16), bits(b, TW_AR_RULE_LSB, 16));
}

static struct tw_tables *compile_test_rules(void)
{
    char err[512];
    struct tw_tables *t = twt_compile(TWT_DEV_CONFIG, RULES, "top", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    return t;
}

static void test_detection_vs_reference(void **st)
{
    (void)st;
    struct tw_tables *t = compile_test_rules();
    static struct gen_frame fr[NFR];
    make_frames(fr);

    /* reference: the image's settings (rate limiter included), the hardware geometry */
    struct twt_ref ref = {0};
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    tw_detect_params_from_tables(&p, t);
    struct tw_detector *det = NULL;
    struct tw_detect_sink sink = {&ref, twt_ref_alert, twt_ref_flow};
    assert_int_equal(tw_detector_create(&det, &p, t, &sink), 0);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    uint32_t fseq[2] = {0, 0};
    static struct tw_meta metas[NFR];
    for (unsigned i = 0; i < NFR; i++) {
        tw_dissect(&dc, fr[i].b, fr[i].len, 0, fr[i].ts, fr[i].port, fseq[fr[i].port]++, &metas[i]);
        tw_detector_frame(det, &metas[i], fr[i].b, fr[i].len, i + 1);
    }
    tw_detector_finish(det);

    /* device */
    struct host h;
    struct twdev_cfg dcfg;
    twdev_cfg_default(&dcfg);
    if (getenv("TOP_PACE0"))
        dcfg.pace = 0;
    host_init_cfg(&h, &dcfg);
    unsigned entries = load_image(&h, t);
    /* Frames one at a time, each through the detection before the next one starts, so the device sees them in
     * the order the reference is fed. Pushed together, ports A and B run independently and their records merge in
     * another order than the frames' timestamps: flows are then created (and numbered) in another order. The flush
     * comes after the last frame's record went through too: twdev_flush strobes once the frames' bytes went in,
     * and a record still in the parser then reaches the flow table after the flush, so its flow is never
     * reported (docs/sim.md "Status"). */
    for (unsigned i = 0; i < NFR; i++) {
        assert_int_equal(twdev_push_frame(h.d, fr[i].port, fr[i].ts, fr[i].b, fr[i].len, 0), 0);
        assert_int_equal(twdev_run_idle(h.d, RUN_MAX), 0);
        host_pump(&h, 0, NULL, NULL);
    }
    assert_int_equal(twdev_flush(h.d), 0);
    assert_int_equal(twdev_run_idle(h.d, RUN_MAX), 0);
    host_pump(&h, 0, NULL, NULL);
    assert_int_equal(h.gaps, 0);

    print_message("top: %zu alerts (reference %zu), %zu flow records (reference %zu)\n", h.nalerts, ref.n, h.nflows,
                  ref.nf);
    assert_false(ref.oom);
    assert_true(ref.n > 20);
    assert_int_equal(h.nalerts, ref.n);
    qsort(h.alerts, h.nalerts, sizeof(*h.alerts), alert_cmp);
    /* the reference's order is frame order then rule order: frames have increasing ts */
    for (size_t k = 0; k < ref.n; k++) {
        const uint8_t *a = h.alerts[k];
        const struct tw_det_alert *ra = &ref.a[k];
        const struct tw_meta *m = ra->m;
        assert_int_equal(bits(a, TW_AR_SEQ_LSB, 32) < h.nalerts, 1);
        assert_int_equal(bits(a, TW_AR_TS_LSB, 64), m->ts);
        assert_int_equal(bits(a, TW_AR_PORT_LSB, 1), m->port);
        assert_int_equal(bits(a, TW_AR_FSEQ_LSB, 32), m->fseq);
        assert_int_equal(bits(a, TW_AR_LEN_LSB, 16), m->len);
        assert_int_equal(bits(a, TW_AR_RULE_LSB, 16), ra->rule);
        assert_int_equal(bits(a, TW_AR_SID_LSB, 32), t->rule[ra->rule].sid);
        assert_int_equal(bits(a, TW_AR_REV_LSB, 32), t->rule[ra->rule].rev);
        assert_int_equal(bits(a, TW_AR_GID_LSB, 32), t->rule[ra->rule].gid);
        assert_int_equal(bits(a, TW_AR_PRIO_LSB, 8), t->rule[ra->rule].prio);
        assert_int_equal(bits(a, TW_AR_INNER_LSB, 1), ra->inner);
        assert_int_equal(bits(a, TW_AR_MIRROR_LSB, 1), ra->mirror_copy);
        assert_int_equal(bits(a, TW_AR_FLOW_ID_LSB, 64), ra->flow_id);
#define L(f) (ra->inner ? m->i_##f : m->o_##f)
        uint8_t ip[16], mac[6];
        addr_of(a, TW_AR_SRC_IP_LSB, ip);
        assert_memory_equal(ip, L(ip_src), 16);
        addr_of(a, TW_AR_DST_IP_LSB, ip);
        assert_memory_equal(ip, L(ip_dst), 16);
        assert_int_equal(bits(a, TW_AR_PROTO_LSB, 8), L(ip_proto));
        assert_int_equal(bits(a, TW_AR_IP_VER_LSB, 4), L(ip_ver));
        assert_int_equal(bits(a, TW_AR_SRC_PORT_LSB, 16), L(sport));
        assert_int_equal(bits(a, TW_AR_DST_PORT_LSB, 16), L(dport));
        for (unsigned q = 0; q < 6; q++)
            mac[q] = (uint8_t)(L(smac) >> (40 - 8 * q));
        assert_int_equal(bits(a, TW_AR_SRC_VSETS_LSB, 8), tw_mac_vsets(t, mac));
#undef L
        /* evidence: the frame's first evidence-bytes bytes */
        unsigned ev = (unsigned)bits(a, TW_AR_EV_LEN_LSB, 8);
        size_t want = ra->caplen < 64 ? ra->caplen : 64;
        assert_int_equal(ev, want);
        assert_memory_equal(a + TW_AR_BYTES, ra->frame, want);
    }

    /* flow records: same flows, same counts (compared by flow id) */
    assert_int_equal(h.nflows, ref.nf);
    for (size_t k = 0; k < ref.nf; k++) {
        const struct tw_flow_rec *rf = &ref.f[k];
        size_t j = 0;
        while (j < h.nflows && bits(h.flows[j], TW_FR_FLOW_ID_LSB, 64) != rf->flow_id)
            j++;
        assert_true(j < h.nflows);
        const uint8_t *f = h.flows[j];
        assert_int_equal(bits(f, TW_FR_PKTS_TOSERVER_LSB, 64), rf->pkts_toserver);
        assert_int_equal(bits(f, TW_FR_PKTS_TOCLIENT_LSB, 64), rf->pkts_toclient);
        assert_int_equal(bits(f, TW_FR_BYTES_TOSERVER_LSB, 64), rf->bytes_toserver);
        assert_int_equal(bits(f, TW_FR_BYTES_TOCLIENT_LSB, 64), rf->bytes_toclient);
        assert_int_equal(bits(f, TW_FR_REASON_LSB, 2), rf->reason);
        assert_int_equal(bits(f, TW_FR_ALERTED_LSB, 1), rf->alerted);
    }

    /* per-rule counters through the window (CNT_RULE_BASE + CNT_RULE_STRIDE * rule + k) equal the reference's
     * (its EVE stats rules[]): matches of alert and pass rules, suppressed ones included; alerts; rate-limited */
    const uint64_t *rm = tw_detector_rule_matches(det), *ral = tw_detector_rule_alerts(det),
                   *rrl = tw_detector_rule_limited(det);
    uint64_t pass_m = 0;
    for (unsigned r = 0; r < t->settings.n_rules; r++) {
        unsigned a0 = TW_CNT_RULE_BASE + TW_CNT_RULE_STRIDE * r;
        uint64_t m = counter(&h, a0 + TW_CNT_RULE_MATCHES), al = counter(&h, a0 + TW_CNT_RULE_ALERTS),
                 rl = counter(&h, a0 + TW_CNT_RULE_RATE_LIMITED);
        print_message("rule %u (sid %u): device %llu/%llu/%llu, reference %llu/%llu/%llu\n", r, t->rule[r].sid,
                      (unsigned long long)m, (unsigned long long)al, (unsigned long long)rl,
                      (unsigned long long)rm[r], (unsigned long long)ral[r], (unsigned long long)rrl[r]);
        assert_int_equal(m, rm[r]);
        assert_int_equal(al, ral[r]);
        assert_int_equal(rl, rrl[r]);
        assert_int_equal(counter(&h, a0 + 3), 0); /* reserved */
        if (t->rule[r].action == TW_ACT_PASS)
            pass_m += m;
    }
    struct tw_detect_stats dst;
    tw_detector_stats(det, &dst);
    assert_true(pass_m > 0);              /* the pass rule matched */
    assert_true(dst.pass_suppressed > 0); /* and suppressed alert matches that are still counted */
    assert_int_equal(counter(&h, TW_CNT_BLOCKS_END), 0); /* between the blocks and the per-rule counters */
    assert_int_equal(counter(&h, TW_CNT_RULE_BASE - 1), 0);

    /* counters through the window: every frame is a record or a counted drop; every alert went out */
    uint64_t fa = counter(&h, TW_CNT_FRAMES), fb = counter(&h, TW_CNT_PER_PORT + TW_CNT_FRAMES);
    uint64_t ra_ = counter(&h, TW_CNT_RECORDS), rb = counter(&h, TW_CNT_PER_PORT + TW_CNT_RECORDS);
    uint64_t da = counter(&h, TW_CNT_COPY_DROP), db = counter(&h, TW_CNT_PER_PORT + TW_CNT_COPY_DROP);
    struct twdev_stats ds;
    twdev_stats(h.d, &ds);
    assert_int_equal(fa, ds.frames_in[0]);
    assert_int_equal(fb, ds.frames_in[1]);
    assert_int_equal(fa + fb, NFR);
    assert_int_equal(fa, ra_ + da);
    assert_int_equal(fb, rb + db);
    assert_int_equal(counter(&h, TW_CNT_DET_RECORDS), ra_ + rb);
    assert_int_equal(counter(&h, TW_CNT_AL_FRAMES), ra_ + rb);
    assert_int_equal(counter(&h, TW_CNT_AL_ALERTS), h.nalerts);
    assert_int_equal(counter(&h, TW_CNT_REC_ALERTS), h.nalerts);
    assert_int_equal(counter(&h, TW_CNT_REC_FLOWS), h.nflows);
    assert_int_equal(counter(&h, TW_CNT_DET_FLOWS), h.nflows);
    assert_int_equal(counter(&h, TW_CNT_EV_STORED) + counter(&h, TW_CNT_EV_DROPS), NFR);
    assert_int_equal(counter(&h, TW_CNT_EV_MISSING), 0);
    assert_int_equal(counter(&h, TW_CNT_WB_DROPS), 0);
    assert_int_equal(counter(&h, TW_CNT_LD_ENTRIES), entries);
    assert_int_equal(counter(&h, TW_CNT_LD_BAD), 0);
    assert_int_equal(counter(&h, TW_CNT_LD_QDROP), 0);
    assert_int_equal(counter(&h, TW_CNT_TBL_BAD), 0);
    assert_int_equal(counter(&h, TW_CNT_TBL_COMMITS), 1);
    assert_int_equal(ds.frames_out[0], fa);
    assert_int_equal(ds.frames_out[1], fb);

    /* a word for an unknown table is dropped and counted */
    uint8_t b[64];
    uint32_t w = 0x12345678;
    host_send(&h, b, tw_proto_enc_table_write(h.seq++, 9, 0, &w, 1, b, sizeof b));
    expect_ok(&h, TW_CMD_TABLE_WRITE);
    assert_int_equal(counter(&h, TW_CNT_LD_BAD), 1);

    host_done(&h);
    tw_detector_destroy(det);
    tw_tables_free(t);
    twt_ref_free(&ref);
}

/* A board's tap never waits: without pacing and with a host that stops reading, records back up into the
 * detection pipeline and frame copies are dropped whole at the parser, counted; nothing else is lost. */
static void test_backpressure_drops_counted(void **st)
{
    (void)st;
    struct tw_tables *t = compile_test_rules();
    static struct gen_frame fr[NFR];
    make_frames(fr);
    struct twdev_cfg cfg;
    twdev_cfg_default(&cfg);
    cfg.pace = 0;
    cfg.frame_gap = 0;
    struct host h;
    host_init_cfg(&h, &cfg);
    load_image(&h, t);
    twdev_host_stall(h.d, 1);
    for (unsigned r = 0; r < 3; r++)
        for (unsigned i = 0; i < NFR; i++)
            assert_int_equal(twdev_push_frame(h.d, fr[i].port, fr[i].ts + r * 2000000ull, fr[i].b, fr[i].len, 0), 0);
    while (twdev_frames_pending(h.d))
        twdev_run(h.d, 1000);
    twdev_host_stall(h.d, 0);
    assert_int_equal(twdev_run_idle(h.d, RUN_MAX), 0);
    host_pump(&h, 0, NULL, NULL);
    assert_int_equal(h.gaps, 0);
    uint64_t fa = counter(&h, TW_CNT_FRAMES), fb = counter(&h, TW_CNT_PER_PORT + TW_CNT_FRAMES);
    uint64_t ra_ = counter(&h, TW_CNT_RECORDS), rb = counter(&h, TW_CNT_PER_PORT + TW_CNT_RECORDS);
    uint64_t da = counter(&h, TW_CNT_COPY_DROP), db = counter(&h, TW_CNT_PER_PORT + TW_CNT_COPY_DROP);
    print_message("top, host stalled: %llu + %llu frames, %llu + %llu copies dropped, %zu alerts\n",
                  (unsigned long long)fa, (unsigned long long)fb, (unsigned long long)da, (unsigned long long)db,
                  h.nalerts);
    assert_int_equal(fa + fb, 3 * NFR);
    assert_int_equal(fa, ra_ + da);
    assert_int_equal(fb, rb + db);
    assert_true(da + db > 0);
    assert_int_equal(counter(&h, TW_CNT_AL_FRAMES), ra_ + rb);
    assert_int_equal(counter(&h, TW_CNT_AL_ALERTS), h.nalerts);
    assert_int_equal(counter(&h, TW_CNT_REC_ALERTS), h.nalerts);
    uint32_t drops;
    assert_int_equal(reg_read(&h, TW_REG_LINK_TX_DROPS, 1, &drops), TW_ST_OK);
    assert_int_equal(drops, 0);
    host_done(&h);
    tw_tables_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_detection_vs_reference),
        cmocka_unit_test(test_backpressure_drops_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
