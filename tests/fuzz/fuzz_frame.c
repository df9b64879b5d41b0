/* libFuzzer target for the per-frame path of `tapwatch analyze`: the C reference dissector (host/src/dissect.c)
 * and the software detector (flows, digests, rules, thresholds, alerts) on arbitrary frames, with every alert and
 * flow record written as EVE JSON.
 * Input: byte 0 picks the parser settings (head bytes 64/128/256, MTU, L2TPv3 cookie 0/4/8, the MAC's bad-frame
 * flag); then frames, each a 2-byte little-endian length (capped at what is left) followed by its bytes, with a
 * time step of (length & 0x3f) milliseconds between frames. A fixed rule set covers every condition kind (sets,
 * negation, vendors, tunnels, inner, mirror_copy, ttl, flags, vlan.id, thresholds, volume, pass), compiled once;
 * each input gets a fresh detector with small tables so that evictions and full-table paths are reached.
 * Checks: no crash or sanitizer report (ASan, UBSan, leaks), the detector counts every frame and every alert, and
 * every alert's evidence lies within its frame. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/detect.h"
#include "tapwatch/dissect.h"
#include "tapwatch/eve.h"
#include "tapwatch/rules.h"

static const char cfg_text[] = "vars:\n"
                               "  address-groups:\n"
                               "    HOME_NET: \"[10.0.0.0/8,2001:db8::/32]\"\n"
                               "    EXTERNAL_NET: \"!$HOME_NET\"\n"
                               "    ANALYZERS: \"[10.20.0.5/32]\"\n"
                               "  port-groups:\n"
                               "    MGMT: \"[22,23,161,830]\"\n"
                               "vendors:\n"
                               "  HW: {oui: [\"00:e0:fc\", \"28:6e:d4\", \"02:00:5e\"]}\n"
                               "  ZTE: {oui: [\"00:19:c6\"]}\n"
                               "detect:\n"
                               "  mirror-copy-window-ms: 100\n"
                               "  evidence-bytes: 128\n";

static const char rules_text[] =
    "pass ip any any -> $ANALYZERS any (mirror_copy; sid:1;)\n"
    "alert ip any any -> $EXTERNAL_NET any (msg:\"copy out\"; mirror_copy; sid:2;)\n"
    "alert ip $HOME_NET any -> $EXTERNAL_NET any (msg:\"tunnel out\"; tunnel:any; threshold: type limit, track "
    "by_dst, count 1, seconds 1; sid:3;)\n"
    "alert tcp $HOME_NET any -> $EXTERNAL_NET $MGMT (msg:\"mgmt\"; flags:S,CE; src_vendor:HW,ZTE; sid:4;)\n"
    "alert udp any any <> any [53,123,!1:10] (msg:\"dns ntp\"; ttl:<250; vlan.id:100; sid:5;)\n"
    "alert ip any any -> any any (msg:\"inner\"; inner; tunnel:vxlan,geneve,erspan,gtpu; dst_vendor:!HW; "
    "detection_filter: track by_src, count 2, seconds 1; sid:6;)\n"
    "alert ip $HOME_NET any -> !$HOME_NET any (msg:\"volume\"; volume: track by_flow, bytes 3000, seconds 1; "
    "sid:7;)\n"
    "alert 132 any any -> any any (msg:\"sctp\"; threshold: type both, track by_both, count 2, seconds 1; sid:8;)\n"
    "alert icmpv6 any any -> any any (msg:\"v6\"; ttl:1-64; threshold: type threshold, track by_rule, count 3, "
    "seconds 1; sid:9;)\n"
    "alert ip any any -> any any (msg:\"all\"; sid:10;)\n";

static struct tw_tables *tables;

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_frame: %s: %s\n", what, err);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    struct tw_config *c;
    if (tw_config_parse(cfg_text, sizeof cfg_text - 1, "fuzz.yaml", NULL, &c, err, sizeof err))
        die("configuration", err);
    if (tw_config_add_rules(c, rules_text, sizeof rules_text - 1, "fuzz.rules", err, sizeof err))
        die("rules", err);
    struct tw_compile_opts o = {.oui_registry = "/dev/null", .oui_buckets = 64};
    if (tw_compile(c, &o, &tables, err, sizeof err))
        die("compile", err);
    tw_config_free(c);
    return 0;
}

struct sink_ctx {
    struct tw_eve *eve;
    const uint8_t *frame;
    size_t caplen;
    unsigned evidence;
    uint64_t alerts, flows;
};

static void on_alert(void *ctx, const struct tw_det_alert *da)
{
    struct sink_ctx *s = ctx;
    struct tw_eve_alert a;
    tw_eve_alert_from_det(&a, da, tables, s->evidence);
    if (a.evidence_len > s->evidence || a.evidence_len > s->caplen ||
        (a.evidence_len && (a.evidence < s->frame || a.evidence + a.evidence_len > s->frame + s->caplen)))
        abort();
    tw_eve_write_alert(s->eve, &a);
    s->alerts++;
}

static void on_flow(void *ctx, const struct tw_flow_rec *f)
{
    struct sink_ctx *s = ctx;
    tw_eve_write_flow(s->eve, f);
    s->flows++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    static const unsigned heads[4] = {64, 128, 256, 256};
    dc.hdr_bytes = heads[data[0] & 3];
    dc.l2tp_cookie = ((data[0] >> 2) & 3) == 3 ? 0 : 4 * ((data[0] >> 2) & 3);
    if (data[0] & 0x10)
        dc.mtu = 1518;
    int tuser = (data[0] & 0x20) != 0;

    struct tw_detect_params p;
    tw_detect_params_default(&p);
    tw_detect_params_from_tables(&p, tables);
    p.flow_buckets = 8;
    p.flow_ways = 2;
    p.digest_sets = 16;
    p.digest_ways = 2;
    p.state_buckets = 4;
    p.state_ways = 2;
    p.rate_per_s = 50;
    p.rate_burst = 4;
    p.max_alerts = 1 + (data[0] >> 6) * 2; /* 1, 3, 5, 7 */
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        abort();
    struct sink_ctx s = {.evidence = p.evidence_bytes};
    if (tw_eve_open(&s.eve, null))
        abort();
    struct tw_detect_sink sink = {.ctx = &s, .alert = on_alert, .flow = on_flow};
    struct tw_detector *d;
    if (tw_detector_create(&d, &p, tables, &sink))
        abort();

    uint64_t ts = 1700000000000000000ull, frames = 0;
    size_t off = 1;
    while (off + 2 <= size) {
        size_t len = (size_t)data[off] | (size_t)data[off + 1] << 8;
        off += 2;
        if (len > size - off)
            len = size - off;
        const uint8_t *f = data + off;
        off += len;
        ts += (uint64_t)(len & 0x3f) * 1000000u;
        struct tw_meta m;
        tw_dissect(&dc, f, len, tuser, ts, (unsigned)(frames & 1), (uint32_t)frames, &m);
        s.frame = f;
        s.caplen = len;
        tw_detector_frame(d, &m, f, len, frames + 1);
        frames++;
    }
    tw_detector_finish(d);
    struct tw_detect_stats st;
    tw_detector_stats(d, &st);
    if (st.frames != frames || st.alerts != s.alerts)
        abort();
    tw_detector_destroy(d);
    tw_eve_close(s.eve);
    fclose(null);
    return 0;
}
