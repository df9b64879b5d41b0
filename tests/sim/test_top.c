/* The simulated device (sim/twdev.h over rtl/tw_top.v) end to end through the wire protocol: identity registers,
 * a compiled image loaded with CMD_TABLE_WRITE + CMD_COMMIT, frames on ports A and B, alert and flow records decoded
 * with the contracts and compared with the software reference detector (tw_detector_*) on the same frames, the
 * counter window (frames = records + drops), a bad table id counted, and records dropped by a stalled host seen as a
 * sequence gap equal to REG_LINK_TX_DROPS. */
#include <errno.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dev_frames.h"
#include "dev_rules.h"
#include "frames.h"
#include "detect_int.h"
#include "tapwatch/detect.h"
#include "tapwatch/device.h"
#include "tapwatch/dissect.h"
#include "tapwatch/proto.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_alert_rec.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_flow_rec.h"
#include "tapwatch/tw_protocol.h"
#include "tapwatch/tw_regs.h"
#include "top_model.h"
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
#define NFR 160
/* the shared mix (tests/common/dev_frames.h), the last 4 frames without IP; every third frame on port B */
static void make_frames(struct twt_dev_frame *fr)
{
    assert_int_equal(twt_dev_frames(fr, NFR, 4, 1000000000ull, 10000), 0);
    for (unsigned i = 0; i < NFR; i++)
        fr[i].port = (i % 3 == 2) ? 1 : 0;
}

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? -1 : a > b; }
static int alert_cmp(const void *x, const void *y)
{
    const uint8_t *a = x, *b = y;
    int c = cmp_u64(bits(a, TW_AR_TS_LSB, 64), bits(b, TW_AR_TS_LSB, 64));
    return c ? c : cmp_u64(bits(a, TW_AR_RULE_LSB, 16), bits(b, TW_AR_RULE_LSB, 16));
}

/* The test rules with `evidence-bytes: ev` in place of the shared configuration's 64. */
static struct tw_tables *compile_test_rules_ev(unsigned ev)
{
    static const char from[] = "evidence-bytes: 64";
    char cfg[1024], err[512];
    const char *at = strstr(TWT_DEV_CONFIG, from);
    assert_non_null(at);
    int n = snprintf(cfg, sizeof cfg, "%.*sevidence-bytes: %u%s", (int)(at - TWT_DEV_CONFIG), TWT_DEV_CONFIG, ev,
                     at + strlen(from));
    assert_true(n > 0 && (size_t)n < sizeof cfg);
    struct tw_tables *t = twt_compile(cfg, TWT_DEV_RULES, "top", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    return t;
}

/* The test rules with the shared configuration as it is. */
static struct tw_tables *compile_test_rules(void)
{
    return compile_test_rules_ev(64);
}

/* parameters the detector refuses: a flow table of 3 buckets (not a power of two) */
static void bad_flow_buckets(struct tw_detect_params *p)
{
    p->flow_buckets = 3;
}

/* twt_ref_create(t, adjust) fails with TW_ERR_INVAL, leaves no detector and an empty reference */
static void ref_create_fails(const struct tw_tables *t, void (*adjust)(struct tw_detect_params *p))
{
    struct twt_ref ref;
    memset(&ref, 0xa5, sizeof ref);
    struct tw_detector *det = (struct tw_detector *)&ref;
    assert_int_equal(twt_ref_create(&det, &ref, t, adjust), TW_ERR_INVAL);
    assert_null(det);
    assert_true(!ref.a && !ref.f && ref.n == 0 && ref.nf == 0 && !ref.oom);
}

/* twt_ref_create's errors: no table image, and parameters the detector refuses */
static void test_ref_create_errors(void **st)
{
    (void)st;
    ref_create_fails(NULL, NULL);
    struct tw_tables *t = compile_test_rules();
    ref_create_fails(t, bad_flow_buckets);
    tw_tables_free(t);
}

/* The device against the reference, alert for alert and flow for flow, with `evidence` bytes of evidence per
 * alert: 64 (the shared configuration), and 128, the most, whose alert records of 250 bytes fill the link's
 * record port to its last, partial 64-bit word. */
static void detection_vs_reference(unsigned evidence)
{
    struct tw_tables *t = compile_test_rules_ev(evidence);
    static struct twt_dev_frame fr[NFR];
    make_frames(fr);

    /* reference: the image's settings (rate limiter included), the hardware geometry */
    struct twt_ref ref;
    struct tw_detector *det = NULL;
    assert_int_equal(twt_ref_create(&det, &ref, t, NULL), 0);
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
    size_t n_full = 0; /* alerts with all `evidence` bytes of evidence */
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
        size_t want = ra->caplen < evidence ? ra->caplen : evidence;
        assert_int_equal(ev, want);
        assert_memory_equal(a + TW_AR_BYTES, ra->frame, want);
        n_full += ev == evidence;
    }
    print_message("top: %zu alerts with %u evidence bytes\n", n_full, evidence);
    assert_true(n_full > 0);

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

static void test_detection_vs_reference(void **st)
{
    (void)st;
    detection_vs_reference(64);
}

static void test_detection_evidence_128(void **st)
{
    (void)st;
    detection_vs_reference(128);
}

/* A board's tap never waits: without pacing and with a host that stops reading, records back up into the
 * detection pipeline and frame copies are dropped whole at the parser, counted; nothing else is lost. */
static void test_backpressure_drops_counted(void **st)
{
    (void)st;
    struct tw_tables *t = compile_test_rules();
    static struct twt_dev_frame fr[NFR];
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

/* ---------------------------------------------------------------- both ports at line rate */
/* Frames back to back on both ports (twdev pace 0, default frame gap: 2 idle clocks), in bursts of LR_BURST with the
 * device drained in between (the FT245 link carries ~40 MB/s, far less than the alert and flow records of a line-rate
 * burst: inside a burst the detection runs at line rate, between bursts the link catches up, so no copy needs to be
 * dropped). The records reach tw_detect in the order the parser merge emits them, which is not the frames' push or
 * timestamp order; the shim reports that order ((port, fseq) per record, tw_top_model_merge_trace) and the reference
 * detector is fed the frames in it, so flows are created, numbered, evicted and timed out in the device's order.
 * 40 flows are crowded into one 4-way flow-table bucket and take three frames in four, so a flow is evicted a few
 * frames after its last one, before that frame's verdict (the flow table must hold its record for the `alerted`
 * bit); the clock jumps past the 1 s idle timeout twice inside a burst (timeouts on access and by the sweep right
 * behind the frames last seen); one rule is rate limited, one thresholded by flow. Without the hold, or with the
 * reference fed in push order, this test fails (docs/sim.md). */
#define LR_BURST 32u
#define LR_BURSTS 32u
#define LR_N (LR_BURST * LR_BURSTS)
#define LR_CROWD_BUCKETS 1u
#define LR_CROWD_PER 40u   /* flows in the crowded 4-way bucket */
#define LR_PLAIN 24u       /* flows elsewhere */
#define LR_JUMP1 (12u * LR_BURST + 13u) /* the capture clock jumps 1.5 s at these frames (inside a burst) */
#define LR_JUMP2 (22u * LR_BURST + 7u)
#define LR_FLOWS (LR_CROWD_BUCKETS * LR_CROWD_PER + LR_PLAIN)

static const char *LR_RULES =
    "alert udp any any -> any 53 (msg:\"dns\"; sid:301;)\n"
    "alert tcp any any -> any 22 (msg:\"ssh\"; sid:302; rev:3; threshold: type limit, track by_flow, count 2, "
    "seconds 10;)\n"
    "pass udp any any -> any 53 (msg:\"dns from hw\"; src_vendor:HW; sid:304;)\n"
    "alert ip any any -> any any (msg:\"hw\"; src_vendor:HW; sid:303; gid:5;)\n";

struct lr_flow {
    uint32_t a, b;    /* a -> b is direction 0 */
    uint16_t pa, pb;
    uint8_t proto;
    uint8_t hw;       /* a's MAC is a Huawei one */
};
struct lr_frame {
    struct twt_dev_frame f;
    int flow;         /* pool index, -1: no IP */
    int dir;          /* 1: b -> a */
};

static uint64_t lr_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void lr_build(struct lr_frame *fr, const struct lr_flow *fl, int dir, unsigned payload, uint8_t flags,
                     unsigned tag)
{
    struct twf f;
    twf_init(&f);
    uint64_t ma = fl->hw ? 0x00e0fc000100ull + (tag % 7) : 0x020000000100ull;
    uint64_t mb = 0x020000000200ull;
    twf_eth(&f, dir ? ma : mb, dir ? mb : ma, 0x0800);
    twf_ipv4(&f, &(struct twf_ip4){.proto = fl->proto, .ttl = 64, .src = dir ? fl->b : fl->a,
                                    .dst = dir ? fl->a : fl->b});
    uint16_t sp = dir ? fl->pb : fl->pa, dp = dir ? fl->pa : fl->pb;
    if (fl->proto == 6)
        twf_tcp(&f, sp, dp, tag, flags);
    else
        twf_udp(&f, sp, dp);
    twf_payload(&f, payload, (uint8_t)tag);
    twf_end(&f);
    twf_pad(&f, 60);
    assert_false(f.overflow);
    assert_true(f.n <= sizeof fr->f.b);
    memcpy(fr->f.b, f.b, f.n);
    fr->f.len = f.n;
}

/* the flow-table bucket (of 4096, CRC-32C of the canonical key: the reference's function) of a frame */
static unsigned lr_bucket(const struct tw_hash *hs, const struct lr_frame *fr)
{
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    struct tw_meta m;
    tw_dissect(&dc, fr->f.b, fr->f.len, 0, 0, 0, 0, &m);
    struct tw_flow_key k;
    int rev;
    assert_true(tw_flow_key_of(&m, &k, &rev));
    return tw_crc32c(hs, k.b, sizeof k.b) & 4095u;
}

static void lr_make(struct lr_flow *pool, struct lr_frame *fr)
{
    struct tw_hash *hs = malloc(sizeof *hs);
    assert_non_null(hs);
    tw_hash_init(hs);
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    static const uint16_t dports[4] = {53, 22, 123, 443};
    static const unsigned target[LR_CROWD_BUCKETS] = {1501};
    unsigned have[LR_CROWD_BUCKETS] = {0};
    unsigned n = 0, crowded = 0;
    struct lr_frame probe;
    while (n < LR_FLOWS) {
        struct lr_flow c;
        uint64_t r = lr_rand(&rng);
        unsigned d = (unsigned)(r % 4);
        c.proto = (d == 1 || d == 3) ? 6 : 17;
        c.a = 0x0a000000u | (uint32_t)((r >> 8) & 0xffff);
        c.b = ((r >> 24) & 1) ? 0x08080000u | (uint32_t)((r >> 32) & 0xff) : 0x0a630000u | (uint32_t)((r >> 32) & 0xff);
        c.pa = (uint16_t)(20000 + (r >> 40) % 20000);
        c.pb = dports[d];
        c.hw = (r >> 60) % 6 == 0;
        lr_build(&probe, &c, 0, 0, 0x02, 0);
        unsigned b = lr_bucket(hs, &probe);
        int slot = -1;
        for (unsigned k = 0; k < LR_CROWD_BUCKETS; k++)
            if (b == target[k] && have[k] < LR_CROWD_PER)
                slot = (int)k;
        if (slot >= 0) {
            have[slot]++;
            crowded++;
        } else if (n - crowded >= LR_PLAIN)
            continue;
        pool[n++] = c;
    }
    free(hs);
    /* frames: 1 in 16 without IP, else a pool flow (three in four crowded ones), a quarter of them answers */
    static const uint8_t tflags[5] = {0x02, 0x10, 0x18, 0x11, 0x04};
    for (unsigned i = 0; i < LR_N; i++) {
        uint64_t r = lr_rand(&rng);
        fr[i].f.port = i & 1;
        unsigned burst = i / LR_BURST;
        /* 80 ns apart inside a burst; bursts 100 us apart; the clock jumps 1.5 s twice inside a burst */
        fr[i].f.ts = 1000000000ull + burst * 100000ull + (i % LR_BURST) * 80ull +
                     (i >= LR_JUMP1 ? 1500000000ull : 0) + (i >= LR_JUMP2 ? 1500000000ull : 0);
        if (r % 16 == 0) {
            uint8_t b[TWT_NOIP_LEN];
            twt_dev_noip_frame(b, i);
            memcpy(fr[i].f.b, b, sizeof b);
            fr[i].f.len = sizeof b;
            fr[i].flow = -1;
            fr[i].dir = 0;
            continue;
        }
        unsigned p = (r >> 8) % 4 ? (unsigned)((r >> 16) % crowded) : crowded + (unsigned)((r >> 16) % LR_PLAIN);
        fr[i].flow = (int)p;
        fr[i].dir = (r >> 32) % 4 == 0;
        lr_build(&fr[i], &pool[p], fr[i].dir, (unsigned)((r >> 40) % 48), tflags[(r >> 48) % 5], i);
    }
}

/* The alert record the device must send for the reference's alert k (rule, frame, layer, flow counters cnt[4]). */
static void lr_expect_alert(struct tw_alert_rec *e, uint32_t k, const struct tw_det_alert *ra, const struct tw_tables *t,
                            const uint64_t cnt[4])
{
    const struct tw_meta *m = ra->m;
    int in = ra->inner != 0;
    memset(e, 0, sizeof *e);
    e->seq = k;
    e->ts = m->ts;
    e->flow_id = ra->flow_id;
    e->fseq = m->fseq;
    e->len = m->len;
    e->port = m->port;
    e->inner = (uint8_t)in;
    e->mirror = ra->mirror_copy;
    e->ip_ver = in ? m->i_ip_ver : m->o_ip_ver;
    e->proto = in ? m->i_ip_proto : m->o_ip_proto;
    e->ports_v = (in ? m->i_l4 : m->o_l4) && (e->proto == 6 || e->proto == 17 || e->proto == 132);
    e->rule = (uint16_t)ra->rule;
    e->sid = t->rule[ra->rule].sid;
    e->rev = t->rule[ra->rule].rev;
    e->gid = t->rule[ra->rule].gid;
    e->prio = t->rule[ra->rule].prio;
    memcpy(e->src_ip, in ? m->i_ip_src : m->o_ip_src, 16);
    memcpy(e->dst_ip, in ? m->i_ip_dst : m->o_ip_dst, 16);
    e->src_port = in ? m->i_sport : m->o_sport;
    e->dst_port = in ? m->i_dport : m->o_dport;
    e->vlan_n = in ? m->i_vlan_n : m->o_vlan_n;
    if (e->vlan_n > 2)
        e->vlan_n = 2;
    e->vlan0 = (uint16_t)((in ? m->i_vlan0_tci : m->o_vlan0_tci) & 0xFFF);
    e->vlan1 = (uint16_t)((in ? m->i_vlan1_tci : m->o_vlan1_tci) & 0xFFF);
    e->tun_id_v = m->tun_id_v;
    e->tun_kind = m->tun_kind;
    e->tun_id = m->tun_id;
    uint8_t mac[6];
    for (unsigned q = 0; q < 6; q++)
        mac[q] = (uint8_t)((in ? m->i_smac : m->o_smac) >> (40 - 8 * q));
    e->src_vsets = (uint8_t)tw_mac_vsets(t, mac);
    for (unsigned q = 0; q < 6; q++)
        mac[q] = (uint8_t)((in ? m->i_dmac : m->o_dmac) >> (40 - 8 * q));
    e->dst_vsets = (uint8_t)tw_mac_vsets(t, mac);
    e->pkts_toserver = cnt[0];
    e->pkts_toclient = cnt[1];
    e->bytes_toserver = cnt[2];
    e->bytes_toclient = cnt[3];
    e->ev_len = (uint8_t)(ra->caplen < 64 ? ra->caplen : 64);
}

static void test_line_rate_both_ports(void **st)
{
    (void)st;
    static char config[1024];
    snprintf(config, sizeof config, "%s  flow-timeout-s: 1\n  flow-hard-timeout-s: 2\n  alert-rate: 1000\n"
             "  alert-burst: 40\n", TWT_DEV_CONFIG);
    char err[512];
    struct tw_tables *t = twt_compile(config, LR_RULES, "line_rate", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    static struct lr_flow pool[LR_FLOWS];
    static struct lr_frame fr[LR_N];
    lr_make(pool, fr);

    /* the device, frames in bursts, the merge order traced */
    struct twdev_cfg dcfg;
    twdev_cfg_default(&dcfg);
    dcfg.pace = 0;
    struct host h;
    host_init_cfg(&h, &dcfg);
    load_image(&h, t);
    static uint64_t trace[LR_N + 1];
    struct tw_top_model *tm = twdev_model(h.d);
    uint64_t rec0, stall0, stall_burst_max = 0;
    tw_top_model_merge_stats(tm, &rec0, NULL, &stall0);
    tw_top_model_merge_trace(tm, trace, LR_N + 1);
    for (unsigned bu = 0; bu < LR_BURSTS; bu++) {
        uint64_t s0, s1;
        tw_top_model_merge_stats(tm, NULL, NULL, &s0);
        for (unsigned i = bu * LR_BURST; i < (bu + 1) * LR_BURST; i++)
            assert_int_equal(twdev_push_frame(h.d, fr[i].f.port, fr[i].f.ts, fr[i].f.b, fr[i].f.len, 0), 0);
        assert_int_equal(twdev_run_idle(h.d, RUN_MAX), 0);
        host_pump(&h, 0, NULL, NULL);
        tw_top_model_merge_stats(tm, NULL, NULL, &s1);
        if (s1 - s0 > stall_burst_max)
            stall_burst_max = s1 - s0;
    }
    assert_int_equal(twdev_flush(h.d), 0);
    assert_int_equal(twdev_run_idle(h.d, RUN_MAX), 0);
    host_pump(&h, 0, NULL, NULL);
    assert_int_equal(h.gaps, 0);
    uint64_t rec1, stall1;
    size_t traced;
    tw_top_model_merge_stats(tm, &rec1, &traced, &stall1);

    /* drops: none expected (bursts fit the buffers); every frame a record, every record traced once */
    uint64_t fa = counter(&h, TW_CNT_FRAMES), fb = counter(&h, TW_CNT_PER_PORT + TW_CNT_FRAMES);
    uint64_t da = counter(&h, TW_CNT_COPY_DROP), db = counter(&h, TW_CNT_PER_PORT + TW_CNT_COPY_DROP);
    uint64_t ra_ = counter(&h, TW_CNT_RECORDS), rb = counter(&h, TW_CNT_PER_PORT + TW_CNT_RECORDS);
    assert_int_equal(fa + fb, LR_N);
    assert_int_equal(fa, ra_ + da);
    assert_int_equal(fb, rb + db);
    assert_int_equal(da + db, 0);
    assert_int_equal(rec1 - rec0, LR_N);
    assert_int_equal(traced, LR_N);
    assert_int_equal(counter(&h, TW_CNT_DET_RECORDS), LR_N);

    /* the reference, fed in the merge order */
    unsigned *idx[2];
    idx[0] = calloc(LR_N, sizeof(unsigned));
    idx[1] = calloc(LR_N, sizeof(unsigned));
    assert_true(idx[0] && idx[1]);
    unsigned np[2] = {0, 0};
    for (unsigned i = 0; i < LR_N; i++)
        idx[fr[i].f.port][np[fr[i].f.port]++] = i;
    struct twt_ref ref;
    struct tw_detector *det = NULL;
    assert_int_equal(twt_ref_create(&det, &ref, t, NULL), 0);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    static struct tw_meta metas[LR_N];
    static unsigned order[LR_N];      /* frame index of the k-th record */
    unsigned out_of_push_order = 0;
    for (unsigned k = 0; k < LR_N; k++) {
        unsigned port = (unsigned)(trace[k] >> 32), fseq = (uint32_t)trace[k];
        assert_true(port < 2 && fseq < np[port]);
        unsigned i = idx[port][fseq];
        order[k] = i;
        if (k > 0 && i < order[k - 1])
            out_of_push_order++;
        tw_dissect(&dc, fr[i].f.b, fr[i].f.len, 0, fr[i].f.ts, (int)port, fseq, &metas[k]);
        tw_detector_frame(det, &metas[k], fr[i].f.b, fr[i].f.len, k + 1);
    }
    tw_detector_finish(det);
    assert_false(ref.oom);

    /* the flows' segments: per pool flow, its frames in merge order belong to its flow records in flow_id order */
    static int fl_seg[LR_N];            /* record k -> reference flow record index, -1 none */
    unsigned fl_used[LR_FLOWS] = {0};
    for (unsigned k = 0; k < LR_N; k++)
        fl_seg[k] = -1;
    size_t *by_id = calloc(ref.nf + 1, sizeof(size_t));
    assert_non_null(by_id);
    for (size_t j = 0; j < ref.nf; j++)
        by_id[j] = j;
    /* flow records sorted by flow_id (insertion sort: a few hundred) */
    for (size_t j = 1; j < ref.nf; j++)
        for (size_t q = j; q > 0 && ref.f[by_id[q - 1]].flow_id > ref.f[by_id[q]].flow_id; q--) {
            size_t x = by_id[q];
            by_id[q] = by_id[q - 1];
            by_id[q - 1] = x;
        }
    for (size_t j = 0; j < ref.nf; j++) {
        const struct tw_flow_rec *rf = &ref.f[by_id[j]];
        uint64_t need = rf->pkts_toserver + rf->pkts_toclient;
        int pf = -1;
        for (unsigned q = 0; q < LR_FLOWS && pf < 0; q++) {
            const struct lr_flow *c = &pool[q];
            uint8_t ia[16] = {0}, ib[16] = {0};
            for (unsigned z = 0; z < 4; z++) {
                ia[12 + z] = (uint8_t)(c->a >> (24 - 8 * z));
                ib[12 + z] = (uint8_t)(c->b >> (24 - 8 * z));
            }
            if (rf->proto == c->proto &&
                ((!memcmp(rf->cli_ip, ia, 16) && !memcmp(rf->srv_ip, ib, 16) && rf->cli_port == c->pa &&
                  rf->srv_port == c->pb) ||
                 (!memcmp(rf->cli_ip, ib, 16) && !memcmp(rf->srv_ip, ia, 16) && rf->cli_port == c->pb &&
                  rf->srv_port == c->pa)))
                pf = (int)q;
        }
        assert_true(pf >= 0);
        for (unsigned k = 0; k < LR_N && need; k++)
            if (fr[order[k]].flow == pf && fl_seg[k] < 0 && fl_used[pf] <= k) {
                fl_seg[k] = (int)by_id[j];
                need--;
                fl_used[pf] = k + 1;
            }
        assert_int_equal(need, 0);
    }
    free(by_id);

    /* alert records: the device's, in its sequence order, equal to the reference's, field for field */
    print_message("line rate: %zu alerts (reference %zu), %zu flow records (reference %zu), %u records out of push "
                  "order, %llu stall clocks (at most %llu in one burst of %u frames)\n",
                  h.nalerts, ref.n, h.nflows, ref.nf, out_of_push_order,
                  (unsigned long long)(stall1 - stall0), (unsigned long long)stall_burst_max, LR_BURST);
    assert_true(ref.n > 100);
    assert_int_equal(h.nalerts, ref.n);
    unsigned no_ev = 0;
    for (size_t k = 0; k < ref.n; k++) {
        const struct tw_det_alert *ra = &ref.a[k];
        /* the frame's flow counters after it: its segment's frames up to it (merge order) per direction */
        size_t rk = (size_t)(ra->m - metas);
        uint64_t cnt[4] = {0, 0, 0, 0};
        if (fl_seg[rk] >= 0) {
            const struct tw_flow_rec *rf = &ref.f[fl_seg[rk]];
            assert_int_equal(rf->flow_id, ra->flow_id);
            for (size_t q = 0; q <= rk; q++)
                if (fl_seg[q] == fl_seg[rk]) {
                    int toserver = !memcmp(metas[q].o_ip_src, rf->cli_ip, 16) && metas[q].o_sport == rf->cli_port;
                    cnt[toserver ? 0 : 1]++;
                    cnt[toserver ? 2 : 3] += metas[q].len;
                }
        }
        const uint8_t *raw = NULL;
        size_t j;
        for (j = 0; j < h.nalerts; j++)
            if (bits(h.alerts[j], TW_AR_SEQ_LSB, 32) == k) {
                raw = h.alerts[j];
                break;
            }
        assert_non_null(raw);
        struct tw_alert_rec a, e;
        const uint8_t *ev = NULL;
        unsigned evl = (unsigned)bits(raw, TW_AR_EV_LEN_LSB, 8);
        assert_int_equal(tw_alert_rec_decode(raw, TW_AR_BYTES + evl, &a, &ev), 0);
        lr_expect_alert(&e, (uint32_t)k, ra, t, cnt);
        if (a.ev_len == 0 && e.ev_len != 0) { /* the frame's evidence was not kept: counted in EV_MISSING */
            no_ev++;
            e.ev_len = 0;
        }
#define F(name, lsb, w)                                                                                              \
    if (memcmp(&a.name, &e.name, sizeof a.name))                                                                     \
        fail_msg("alert %zu (frame %u, rule %u): field " #name " differs", k, order[rk], ra->rule);
        TW_ALERT_REC_FIELDS(F)
#undef F
        if (a.ev_len)
            assert_memory_equal(ev, ra->frame, a.ev_len);
    }

    /* flow records: in the device's sequence order, equal to the reference's in its order, field for field */
    assert_true(ref.nf > 60);
    assert_int_equal(h.nflows, ref.nf);
    unsigned reasons[4] = {0}, alerted = 0, alerted_evicted = 0;
    for (size_t k = 0; k < ref.nf; k++) {
        struct tw_flow_rec d;
        uint32_t seq;
        size_t j;
        for (j = 0; j < h.nflows; j++)
            if (bits(h.flows[j], TW_FR_SEQ_LSB, 32) == k)
                break;
        assert_true(j < h.nflows);
        assert_int_equal(tw_flow_rec_decode(h.flows[j], TW_FR_BYTES, &d, &seq), 0);
        const struct tw_flow_rec *rf = &ref.f[k];
#define FF(x)                                                                                                        \
    if (memcmp(&d.x, &rf->x, sizeof d.x))                                                                            \
        fail_msg("flow record %zu (flow %llu): field " #x " differs", k, (unsigned long long)rf->flow_id);
        FF(flow_id) FF(ip_ver) FF(proto) FF(vlan) FF(cli_ip) FF(srv_ip) FF(cli_port) FF(srv_port) FF(pkts_toserver)
        FF(pkts_toclient) FF(bytes_toserver) FF(bytes_toclient) FF(first_ts) FF(last_ts) FF(tcp_flags_ts)
        FF(tcp_flags_tc) FF(state) FF(reason) FF(alerted)
#undef FF
        reasons[rf->reason & 3]++;
        alerted += rf->alerted;
        alerted_evicted += rf->alerted && rf->reason != TW_FLOW_SHUTDOWN;
    }
    print_message("line rate: flow records: %u timeout, %u hard timeout, %u evicted, %u shutdown; %u alerted (%u of "
                  "them before the end of input); %u alerts without evidence\n",
                  reasons[0], reasons[1], reasons[2], reasons[3], alerted, alerted_evicted, no_ev);
    /* the cases were there: evictions and timeouts while frames flowed, alerted among them, both ports merged out
     * of push order */
    assert_true(reasons[TW_FLOW_EVICTED] > 20);
    assert_true(reasons[TW_FLOW_TIMEOUT] > 5);
    assert_true(alerted_evicted > 10);
    assert_true(out_of_push_order > 0);

    /* per-rule counters (the rate limiter and the threshold were at work) and the pipeline's counters */
    const uint64_t *rm = tw_detector_rule_matches(det), *ral = tw_detector_rule_alerts(det),
                   *rrl = tw_detector_rule_limited(det);
    uint64_t limited = 0;
    for (unsigned r = 0; r < t->settings.n_rules; r++) {
        unsigned a0 = TW_CNT_RULE_BASE + TW_CNT_RULE_STRIDE * r;
        assert_int_equal(counter(&h, a0 + TW_CNT_RULE_MATCHES), rm[r]);
        assert_int_equal(counter(&h, a0 + TW_CNT_RULE_ALERTS), ral[r]);
        assert_int_equal(counter(&h, a0 + TW_CNT_RULE_RATE_LIMITED), rrl[r]);
        limited += rrl[r];
    }
    assert_true(limited > 0);
    assert_int_equal(counter(&h, TW_CNT_AL_FRAMES), LR_N);
    assert_int_equal(counter(&h, TW_CNT_AL_ALERTS), h.nalerts);
    assert_int_equal(counter(&h, TW_CNT_REC_ALERTS), h.nalerts);
    assert_int_equal(counter(&h, TW_CNT_REC_FLOWS), h.nflows);
    assert_int_equal(counter(&h, TW_CNT_DET_FLOWS), h.nflows);
    assert_int_equal(counter(&h, TW_CNT_EV_MISSING), no_ev);
    assert_int_equal(counter(&h, TW_CNT_EV_STORED) + counter(&h, TW_CNT_EV_DROPS), LR_N);
    assert_int_equal(counter(&h, TW_CNT_WB_DROPS), 0);
    uint32_t drops;
    assert_int_equal(reg_read(&h, TW_REG_LINK_TX_DROPS, 1, &drops), TW_ST_OK);
    assert_int_equal(drops, 0);
    struct twdev_stats ds;
    twdev_stats(h.d, &ds);
    assert_int_equal(ds.frames_out[0], fa);
    assert_int_equal(ds.frames_out[1], fb);

    tw_top_model_merge_trace(tm, NULL, 0);
    host_done(&h);
    free(idx[0]);
    free(idx[1]);
    tw_detector_destroy(det);
    tw_tables_free(t);
    twt_ref_free(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_ref_create_errors),
        cmocka_unit_test(test_detection_vs_reference),
        cmocka_unit_test(test_detection_evidence_128),
        cmocka_unit_test(test_backpressure_drops_counted),
        cmocka_unit_test(test_line_rate_both_ports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
