/* tapwatch analyze as a library: captures -> tw_dissect() -> detector -> EVE / evidence capture. */
#include "tapwatch/detect.h"

#include <pcap/pcap.h>

#include "detect_int.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/dissect.h"
#include "tapwatch/error.h"
#include "tapwatch/eve.h"
#include "tapwatch/frame.h"
#include "tapwatch/tables.h"

/* Frames are dissected and their table lines prefetched TW_AHEAD frames before the detector processes them (in
 * order, as without the look-ahead), so that the memory accesses of several frames overlap. A slot keeps what the
 * detector needs of a frame once libpcap has reused its buffer: the header, the record, the hashes and the
 * evidence bytes (the only bytes of the frame an alert uses: min(caplen, evidence_bytes)). */
#define TW_AHEAD 4
/* The second step of the look-ahead (tw_detector_prepare_b: the rules, from the rule memo whose line the first step
 * prefetched) runs this many frames after the first, and prefetches the state buckets for the detector stage. */
#define TW_LAG_B 2
_Static_assert(TW_LAG_B < TW_AHEAD, "the second step runs before the detector stage");
/* stdio buffer of a capture being read: 16 x the usual block size cuts the read() calls 16-fold and still stays in
 * the L2 cache (1 MiB measured slower: the kernel's copy and libpcap's copy out of the buffer then miss the cache). */
#define TW_READ_BUF (64u << 10)
/* Evidence of up to this many bytes is copied into a slot as a constant-size block when the frame has that many. */
#define TW_EV_FIXED 64
_Static_assert(TW_EV_FIXED <= TW_DETECT_MAX_EVIDENCE, "a slot's evidence buffer holds the fixed-size copy");
struct tw_slot {
    struct pcap_pkthdr h;
    struct tw_meta m;
    struct tw_det_pre pre;
    uint64_t ts, cnt;
    size_t evlen;
    uint8_t ev[TW_DETECT_MAX_EVIDENCE];
};

struct tw_analyze {
    const struct tw_tables *t;
    struct tw_detect_params p;
    struct tw_detector *det;
    struct tw_eve *eve;
    pcap_t *dead;
    pcap_dumper_t *dump;
    struct tw_dissect_cfg dcfg;
    uint64_t pcap_cnt;
    uint64_t last_ts;
    uint64_t files, files_failed, files_skipped, frames_snapped, frames_empty, frames_too_long, read_errors,
        eve_errors;
    uint64_t evidence_written;
    const struct pcap_pkthdr *cur_hdr; /* header of the frame being analysed (for the evidence capture) */
    struct tw_slot ring[TW_AHEAD];     /* frames read, not yet through the detector: ring[head], ... */
    unsigned head, pending, staged;    /* staged: the first `staged` pending frames have had tw_detector_prepare_b */
    uint8_t pad[TW_FRAME_MAX]; /* a snapped frame padded with zeros to its wire length (tapwatch/frame.h) */
    /* per rule: its alerts' EVE "alert" object, rendered at its first alert (tw_eve_alert_obj; the rules do not
     * change while the analyzer lives); NULL until then, or when there was no memory for it (then written whole) */
    char **rule_obj;
    size_t *rule_obj_n;
};

static void on_alert(void *ctx, const struct tw_det_alert *da)
{
    struct tw_analyze *a = ctx;
    if (a->eve) {
        struct tw_eve_alert ea;
        tw_eve_alert_from_det_memo(&ea, da, a->det, a->p.evidence_bytes);
        unsigned r = da->rule;
        if (!a->rule_obj[r])
            a->rule_obj[r] = tw_eve_alert_obj(&ea, &a->rule_obj_n[r]);
        int rc = a->rule_obj[r] ? tw_eve_write_alert_obj(a->eve, &ea, a->rule_obj[r], a->rule_obj_n[r])
                                : tw_eve_write_alert(a->eve, &ea);
        if (rc < 0)
            a->eve_errors++;
    }
    if (a->dump && da->frame && a->cur_hdr) {
        struct pcap_pkthdr h = *a->cur_hdr;
        size_t n = da->caplen < a->p.evidence_bytes ? da->caplen : a->p.evidence_bytes;
        h.caplen = (bpf_u_int32)n;
        pcap_dump((u_char *)a->dump, &h, da->frame);
        a->evidence_written++;
    }
}

static void on_flow(void *ctx, const struct tw_flow_rec *f)
{
    struct tw_analyze *a = ctx;
    if (a->eve && tw_eve_write_flow(a->eve, f) < 0)
        a->eve_errors++;
}

int tw_analyze_open(struct tw_analyze **out, const struct tw_analyze_opts *o, char *err, size_t errlen)
{
    if (errlen)
        err[0] = 0;
    if (!out || !o || !o->tables)
        return TW_ERR_INVAL;
    *out = NULL;
    if (o->pcap_out && !o->params.evidence_bytes) {
        snprintf(err, errlen, "--pcap-out needs detect.evidence-bytes > 0 (the evidence written is those bytes)");
        return TW_ERR_INVAL;
    }
    struct tw_analyze *a = calloc(1, sizeof *a);
    if (!a)
        return TW_ERR_NOMEM;
    a->t = o->tables;
    a->p = o->params;
    tw_dissect_cfg_default(&a->dcfg);
    struct tw_detect_sink sink = {.ctx = a, .alert = on_alert, .flow = on_flow};
    int rc = tw_detector_create(&a->det, &a->p, a->t, &sink);
    if (rc < 0) {
        snprintf(err, errlen, "detector: %s", tw_strerror(rc));
        free(a);
        return rc;
    }
    if (o->eve && (rc = tw_eve_open(&a->eve, o->eve)) < 0) {
        snprintf(err, errlen, "EVE writer: %s", tw_strerror(rc));
        tw_analyze_close(a);
        return rc;
    }
    unsigned nr = a->t->settings.n_rules ? a->t->settings.n_rules : 1;
    a->rule_obj = calloc(nr, sizeof *a->rule_obj);
    a->rule_obj_n = calloc(nr, sizeof *a->rule_obj_n);
    if (!a->rule_obj || !a->rule_obj_n) {
        tw_analyze_close(a);
        return TW_ERR_NOMEM;
    }
    if (o->pcap_out) {
        a->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
        if (!a->dead) {
            tw_analyze_close(a);
            return TW_ERR_NOMEM;
        }
        a->dump = pcap_dump_open(a->dead, o->pcap_out);
        if (!a->dump) {
            snprintf(err, errlen, "%s: %s", o->pcap_out, pcap_geterr(a->dead));
            tw_analyze_close(a);
            return TW_ERR_IO;
        }
    }
    *out = a;
    return 0;
}

void tw_analyze_close(struct tw_analyze *a)
{
    if (!a)
        return;
    if (a->dump)
        pcap_dump_close(a->dump);
    if (a->dead)
        pcap_close(a->dead);
    if (a->eve)
        tw_eve_close(a->eve);
    tw_detector_destroy(a->det);
    if (a->rule_obj)
        for (unsigned i = 0; i < a->t->settings.n_rules; i++)
            free(a->rule_obj[i]);
    free(a->rule_obj);
    free(a->rule_obj_n);
    free(a);
}

/* The detector stage of the oldest pending frame. */
static void stage_b(struct tw_analyze *a)
{
    struct tw_slot *s = &a->ring[(a->head + a->staged) % TW_AHEAD];
    tw_detector_prepare_b(a->det, &s->m, &s->pre);
    a->staged++;
}

static void run_oldest(struct tw_analyze *a)
{
    if (!a->staged)
        stage_b(a);
    struct tw_slot *s = &a->ring[a->head];
    a->last_ts = s->ts;
    a->cur_hdr = &s->h;
    tw_detector_frame_pre(a->det, &s->m, &s->pre, s->ev, s->evlen, s->cnt);
    a->cur_hdr = NULL;
    a->head = (a->head + 1) % TW_AHEAD;
    a->pending--;
    a->staged--;
}

static void drain(struct tw_analyze *a)
{
    while (a->pending)
        run_oldest(a);
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    struct tw_analyze *a = (struct tw_analyze *)user;
    a->pcap_cnt++;
    /* the frame the device would see (tapwatch/frame.h, the rule replay applies too): a record cut by the snap
     * length is its captured bytes + zeros up to the wire length; an empty or too long one is skipped, counted */
    struct tw_frame fr;
    switch (tw_frame_of(bytes, h->caplen, h->len, a->pad, &fr)) {
    case TW_FRAME_EMPTY:
        a->frames_empty++;
        return;
    case TW_FRAME_TOO_LONG:
        a->frames_too_long++;
        return;
    case TW_FRAME_SNAPPED:
        a->frames_snapped++;
        break;
    case TW_FRAME_WHOLE:
        break;
    }
    if (a->pending == TW_AHEAD)
        run_oldest(a);
    struct tw_slot *s = &a->ring[(a->head + a->pending) % TW_AHEAD];
    uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec; /* nanosecond precision */
    tw_dissect(&a->dcfg, fr.data, fr.len, 0, ts, 0, (uint32_t)(a->pcap_cnt - 1), &s->m);
    s->h = *h;
    s->ts = ts;
    s->cnt = a->pcap_cnt;
    s->evlen = h->caplen < a->p.evidence_bytes ? h->caplen : a->p.evidence_bytes;
    if (s->evlen <= TW_EV_FIXED && h->caplen >= TW_EV_FIXED)
        memcpy(s->ev, bytes, TW_EV_FIXED); /* a constant-size copy (no call); the bytes past evlen are not used */
    else
        memcpy(s->ev, bytes, s->evlen);
    tw_detector_prepare_a(a->det, &s->m, &s->pre);
    a->pending++;
    if (a->pending - a->staged > TW_LAG_B)
        stage_b(a);
}

int tw_analyze_file(struct tw_analyze *a, const char *path, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    if (errlen)
        err[0] = 0;
    a->files++;
    /* libpcap reads the file through stdio, a few bytes per call: a larger stdio buffer than the file system's
     * block size (TW_READ_BUF) makes fewer read() calls. pcap_close() closes the stream and frees nothing else of
     * it, so the buffer is ours to free after it. */
    FILE *f = fopen(path, "rb");
    if (!f) {
        a->files_failed++;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return TW_ERR_IO;
    }
    char *iobuf = malloc(TW_READ_BUF);
    if (iobuf && setvbuf(f, iobuf, _IOFBF, TW_READ_BUF) != 0) {
        free(iobuf);
        iobuf = NULL; /* stdio's own buffer then: slower, same result */
    }
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (!p) {
        fclose(f);
        free(iobuf);
        a->files_failed++;
        snprintf(err, errlen, "%s: %s", path, perr);
        return TW_ERR_IO;
    }
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB) {
        a->files_skipped++;
        snprintf(err, errlen, "%s: link type %s is not Ethernet; capture skipped", path,
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "unknown");
        pcap_close(p);
        free(iobuf);
        return TW_ERR_UNSUPPORTED;
    }
    int rc;
    while ((rc = pcap_dispatch(p, 4096, on_frame, (u_char *)a)) > 0)
        ;
    drain(a); /* every frame read is through the detector when the call returns */
    int ret = 0;
    if (rc == -1) {
        a->read_errors++;
        a->files_failed++;
        snprintf(err, errlen, "%s: read error after frame %llu: %s", path, (unsigned long long)a->pcap_cnt,
                 pcap_geterr(p));
        ret = TW_ERR_IO;
    }
    pcap_close(p);
    free(iobuf);
    return ret;
}

int tw_analyze_finish(struct tw_analyze *a, char *err, size_t errlen)
{
    if (errlen)
        err[0] = 0;
    tw_detector_finish(a->det);
    struct tw_detect_stats s;
    tw_detector_stats(a->det, &s);
    int rc = 0;
    if (a->eve) {
        struct tw_eve_counter c[80];
        size_t n = 0;
#define C(g, k, v) c[n++] = (struct tw_eve_counter){(g), (k), (v)}
        C("capture", "files", a->files);
        C("capture", "files_failed", a->files_failed);
        C("capture", "files_skipped_linktype", a->files_skipped);
        C("capture", "read_errors", a->read_errors);
        C("capture", "frames_snapped", a->frames_snapped);
        C("capture", "frames_empty", a->frames_empty);
        C("capture", "frames_too_long", a->frames_too_long);
        C("capture", "evidence_written", a->evidence_written);
        C("decoder", "frames", s.frames);
        C("decoder", "bytes", s.bytes);
        C("decoder", "no_ip", s.no_ip);
        C("decoder", "tunnelled", s.tunnelled);
        C("decoder", "frames_err", s.frames_err);
        for (unsigned b = 0; b < TW_ERR_COUNT; b++)
            C("errors", tw_err_name(b) ? tw_err_name(b) : "unknown", s.err[b]);
        C("flow", "created", s.flows_created);
        C("flow", "timeout", s.flows_timeout);
        C("flow", "hard_timeout", s.flows_hard_timeout);
        C("flow", "evicted", s.flows_evicted);
        C("flow", "shutdown", s.flows_shutdown);
        C("flow", "active", s.flows_active);
        C("flow", "sweep_steps", s.sweep_steps);
        C("digest", "inserts", s.digest_inserts);
        C("digest", "replaced", s.digest_replaced);
        C("digest", "lookups", s.digest_lookups);
        C("digest", "mirror_copies", s.mirror_copies);
        C("detect", "rule_matches", s.rule_matches);
        C("detect", "alerts", s.alerts);
        C("detect", "frames_alerted", s.frames_alerted);
        C("detect", "alerts_overflow", s.alerts_overflow);
        C("detect", "alerts_rate_limited", s.alerts_rate_limited);
        C("detect", "alerts_thresholded", s.alerts_thresholded);
        C("detect", "pass_suppressed", s.pass_suppressed);
        C("detect", "state_full", s.state_full);
        C("output", "eve_errors", a->eve_errors);
#undef C
        unsigned nr = a->t->settings.n_rules;
        struct tw_eve_rule_counter *rc_ = calloc(nr ? nr : 1, sizeof *rc_);
        if (!rc_)
            return TW_ERR_NOMEM;
        const uint64_t *al = tw_detector_rule_alerts(a->det), *li = tw_detector_rule_limited(a->det),
                       *ma = tw_detector_rule_matches(a->det);
        for (unsigned i = 0; i < nr; i++)
            rc_[i] = (struct tw_eve_rule_counter){a->t->rule[i].gid, a->t->rule[i].sid, ma[i], al[i], li[i]};
        if (tw_eve_write_stats(a->eve, a->last_ts, c, n, rc_, nr) < 0)
            a->eve_errors++;
        free(rc_);
        if (a->eve_errors) {
            snprintf(err, errlen, "writing EVE output failed (%llu events lost)", (unsigned long long)a->eve_errors);
            rc = TW_ERR_IO;
        }
    }
    if (a->dump && pcap_dump_flush(a->dump) != 0) {
        snprintf(err, errlen, "writing the evidence capture failed");
        rc = TW_ERR_IO;
    }
    return rc;
}

uint64_t tw_analyze_alerts(const struct tw_analyze *a)
{
    struct tw_detect_stats s;
    tw_detector_stats(a->det, &s);
    return s.alerts;
}

const struct tw_detector *tw_analyze_detector(const struct tw_analyze *a)
{
    return a->det;
}
