/* tapwatch analyze end to end: rule text -> compiler -> captures written with libpcap -> dissector -> detector ->
 * EVE lines and the evidence capture; the error paths of the capture loop; the CLI's exit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "failalloc.h"
#include <pcap/pcap.h>

#include "detect_fixture.h"
#include "frames.h"
#include "tapwatch/eve.h"
#include "tapwatch/frame.h"
#include "tapwatch/rules.h"

static char dir[256];

static void path_in(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
    char p[512];
    path_in(p, sizeof p, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

struct frame {
    uint8_t b[512];
    size_t n;
    uint64_t ts;
};

static void write_pcap(const char *name, const struct frame *fr, size_t n, int dlt)
{
    char p[512];
    path_in(p, sizeof p, name);
    pcap_t *d = pcap_open_dead_with_tstamp_precision(dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
    assert_non_null(d);
    pcap_dumper_t *w = pcap_dump_open(d, p);
    assert_non_null(w);
    for (size_t i = 0; i < n; i++) {
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = (time_t)(fr[i].ts / SEC);
        h.ts.tv_usec = (suseconds_t)(fr[i].ts % SEC);
        h.caplen = h.len = (bpf_u_int32)fr[i].n;
        pcap_dump((u_char *)w, &h, fr[i].b);
    }
    pcap_dump_close(w);
    pcap_close(d);
}

#define HW_MAC 0x00e0fc000001ull

/* The original UDP packet 10.0.0.1:1000 -> 10.0.0.2:53 (ttl, tos vary per hop) */
static void put_orig(struct twf *f, uint8_t ttl, uint8_t tos)
{
    twf_ipv4(f, &(struct twf_ip4){.proto = 17, .ttl = ttl, .tos = tos, .id = 0x4242, .src = 0x0a000001,
                                  .dst = 0x0a000002});
    twf_udp(f, 1000, 53);
    twf_payload(f, 30, 0x11);
}

static struct frame orig_frame(uint64_t ts)
{
    struct twf f;
    twf_init(&f);
    twf_eth(&f, 0x020000000002ull, HW_MAC, 0x0800);
    put_orig(&f, 64, 0);
    twf_end(&f);
    twf_pad(&f, 60);
    struct frame r = {.n = f.n, .ts = ts};
    memcpy(r.b, f.b, f.n);
    return r;
}

/* A GRE-TEB copy of the original towards 203.0.113.5 */
static struct frame copy_frame(uint64_t ts)
{
    struct twf f;
    twf_init(&f);
    twf_eth(&f, 0x020000000009ull, 0x020000000008ull, 0x0800);
    twf_ipv4(&f, &(struct twf_ip4){.proto = 47, .ttl = 255, .id = 7, .src = 0x0a090909, .dst = 0xcb007105});
    twf_gre(&f, 0, 0x6558, 0, 0);
    twf_eth(&f, 0x020000000002ull, 0x020000000003ull, 0x0800);
    put_orig(&f, 63, 0xb8);
    twf_end(&f);
    struct frame r = {.n = f.n, .ts = ts};
    memcpy(r.b, f.b, f.n);
    return r;
}

static struct frame arp_frame(uint64_t ts)
{
    struct twf f;
    twf_init(&f);
    twf_eth(&f, 0xffffffffffffull, 0x020000000001ull, 0x0806);
    twf_payload(&f, 28, 0);
    twf_pad(&f, 60);
    struct frame r = {.n = f.n, .ts = ts};
    memcpy(r.b, f.b, f.n);
    return r;
}

static struct frame syn_frame(uint64_t ts, uint16_t dport)
{
    struct twf f;
    twf_init(&f);
    twf_eth(&f, 0x020000000002ull, 0x020000000001ull, 0x0800);
    twf_ipv4(&f, &(struct twf_ip4){.proto = 6, .ttl = 64, .id = 1, .src = 0x0a000001, .dst = 0x0a000002});
    twf_tcp(&f, 40000, dport, 1, 0x02);
    twf_end(&f);
    twf_pad(&f, 60);
    struct frame r = {.n = f.n, .ts = ts};
    memcpy(r.b, f.b, f.n);
    return r;
}

static const char *CONFIG =
    "vendors:\n"
    "  HW:\n"
    "    registry: [\"huawei\"]\n"
    "detect:\n"
    "  mirror-copy-window-ms: 100\n"
    "  evidence-bytes: 32\n"
    "oui-registry: oui.csv\n"
    "rule-files:\n"
    "  - t.rules\n";
static const char *RULES =
    "alert ip any any -> any any (msg:\"mirror copy\"; mirror_copy; sid:1; rev:2;)\n"
    "alert tcp any any -> any 23 (msg:\"telnet\"; flags:S; sid:2;)\n"
    "alert ip any any -> any any (msg:\"gre-teb\"; tunnel:gre-teb; sid:3;)\n"
    "alert udp any any -> any any (msg:\"from HW\"; src_vendor:HW; sid:4;)\n";

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/tw-analyze-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    write_file("oui.csv", "Registry,Assignment,Organization Name,Organization Address\n"
                          "MA-L,00E0FC,\"HUAWEI TECHNOLOGIES CO.,LTD\",\"Shenzhen, CN\"\n"
                          "MA-L,001E73,zte corporation,Shenzhen CN\n");
    write_file("t.yaml", CONFIG);
    write_file("t.rules", RULES);
    struct frame fr[6] = {
        orig_frame(T0),
        copy_frame(T0 + 100 * MS),     /* just inside the window */
        copy_frame(T0 + 200 * MS + 1), /* outside: the original is 200 ms old */
        arp_frame(T0 + 300 * MS),
        syn_frame(T0 + 400 * MS, 23),
        syn_frame(T0 + 500 * MS, 80),
    };
    write_pcap("in.pcap", fr, 6, DLT_EN10MB);
    write_pcap("quiet.pcap", &fr[3], 1, DLT_EN10MB);
    write_pcap("raw.pcap", fr, 1, DLT_RAW);
    /* a capture cut in the middle of its last frame */
    char p[512], q[512];
    path_in(p, sizeof p, "in.pcap");
    path_in(q, sizeof q, "cut.pcap");
    FILE *in = fopen(p, "rb"), *out = fopen(q, "wb");
    if (!in || !out)
        return -1;
    uint8_t buf[8192];
    size_t n = fread(buf, 1, sizeof buf, in);
    fwrite(buf, 1, n - 20, out);
    fclose(in);
    fclose(out);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    const char *names[] = {"oui.csv", "t.yaml", "t.rules", "in.pcap", "quiet.pcap", "raw.pcap", "cut.pcap",
                           "ev.pcap", "eve.json", "nopcap.yaml", "img.bin"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[512];
        path_in(p, sizeof p, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static struct tw_tables *compile_config(void)
{
    char p[512], err[512];
    path_in(p, sizeof p, "t.yaml");
    struct tw_config *cfg = NULL;
    int rc = tw_config_load(p, &cfg, err, sizeof err);
    if (rc)
        print_error("config: %s\n", err);
    assert_int_equal(rc, 0);
    struct tw_tables *t = NULL;
    rc = tw_compile(cfg, NULL, &t, err, sizeof err);
    if (rc)
        print_error("compile: %s\n", err);
    assert_int_equal(rc, 0);
    tw_config_free(cfg);
    return t;
}

/* The n-th line (0-based) of text containing all of the given substrings counts. */
static unsigned count_lines(const char *text, const char *a, const char *b)
{
    unsigned n = 0;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        char *line = strndup(l, len);
        assert_non_null(line);
        if (strstr(line, a) && (!b || strstr(line, b)))
            n++;
        free(line);
        l += len + (e ? 1 : 0);
    }
    return n;
}

static void test_end_to_end_from_rule_text(void **st)
{
    (void)st;
    struct tw_tables *t = compile_config();
    assert_int_equal(t->settings.evidence_bytes, 32);
    char *text = NULL;
    size_t len = 0;
    FILE *eve = open_memstream(&text, &len);
    assert_non_null(eve);
    char ev[512], in[512], err[512];
    path_in(ev, sizeof ev, "ev.pcap");
    path_in(in, sizeof in, "in.pcap");
    struct tw_analyze_opts o = {.tables = t, .eve = eve, .pcap_out = ev};
    tw_detect_params_default(&o.params);
    tw_detect_params_from_tables(&o.params, t);
    assert_int_equal(o.params.mirror_window_ns, 100 * MS);
    struct tw_analyze *a = NULL;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), 0);
    assert_int_equal(tw_analyze_file(a, in, err, sizeof err), 0);
    assert_int_equal(tw_analyze_finish(a, err, sizeof err), 0);
    /* frame 1: from HW (sid 4); 2: copy in the window (sid 1) + gre-teb (3); 3: gre-teb only; 5: telnet SYN */
    assert_int_equal(tw_analyze_alerts(a), 5);
    tw_analyze_close(a);
    fclose(eve);

    assert_int_equal(count_lines(text, "\"event_type\":\"alert\"", NULL), 5);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":1,", "\"signature_id\":4,"), 1);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":1,", "\"src_vendor\":\"HW\""), 1);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":2,", "\"signature_id\":1,\"rev\":2,\"signature\":\"mirror copy\""),
                     1);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":2,", "\"mirror_copy\":true"), 2);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":2,", "\"dest_ip\":\"203.0.113.5\""), 2);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":3,", "\"signature_id\":3,"), 1);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":3,", "mirror"), 0);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":5,", "\"signature_id\":2,"), 1);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":5,", "\"dest_port\":23,\"proto\":\"TCP\""), 1);
    assert_int_equal(count_lines(text, "\"pcap_cnt\":6,", NULL), 0);
    assert_int_equal(count_lines(text, "\"tunnel\":{\"kind\":\"gre-teb\"}", NULL), 3);
    assert_int_equal(count_lines(text, "\"packet\":\"", NULL), 5);
    /* flows at the end: the UDP original, the GRE copies' flow, the two TCP flows */
    assert_int_equal(count_lines(text, "\"event_type\":\"flow\"", "\"reason\":\"shutdown\""), 4);
    assert_int_equal(count_lines(text, "\"event_type\":\"flow\"", "\"alerted\":true"), 3);
    assert_int_equal(count_lines(text, "\"proto\":\"GRE\"", "\"pkts_toserver\":2,"), 1);
    /* the stats event closes the output */
    const char *last = text + len - 2;
    while (last > text && last[-1] != '\n')
        last--;
    assert_non_null(strstr(last, "\"event_type\":\"stats\""));
    assert_non_null(strstr(last, "\"frames\":6,"));
    assert_non_null(strstr(last, "\"no_ip\":1,"));
    assert_non_null(strstr(last, "\"mirror_copies\":1}"));
    assert_non_null(strstr(last, "\"evidence_written\":5}"));
    assert_non_null(strstr(last, "{\"gid\":1,\"signature_id\":3,\"matches\":2,\"alerts\":2,\"rate_limited\":0}"));
    free(text);

    /* the evidence capture: one record per alert, the first 32 bytes, the original length */
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(ev, PCAP_TSTAMP_PRECISION_NANO, perr);
    assert_non_null(p);
    struct pcap_pkthdr *h;
    const u_char *data;
    unsigned n = 0;
    struct frame o1 = orig_frame(T0);
    while (pcap_next_ex(p, &h, &data) == 1) {
        assert_int_equal(h->caplen, 32);
        if (n == 0) {
            assert_int_equal(h->len, o1.n);
            assert_memory_equal(data, o1.b, 32);
            assert_int_equal((uint64_t)h->ts.tv_sec * SEC + (uint64_t)h->ts.tv_usec, T0);
        }
        n++;
    }
    assert_int_equal(n, 5);
    pcap_close(p);
    tw_tables_free(t);
}

/* One analyze run of in.pcap with the k-th allocation failing (k = 0: none); the EVE text in *text. */
static int analyze_failing_at(const struct tw_tables *t, unsigned long k, char **text, unsigned long *allocs, char *err,
                              size_t errlen)
{
    size_t len = 0;
    FILE *eve = open_memstream(text, &len);
    assert_non_null(eve);
    char in[512];
    err[0] = 0;
    path_in(in, sizeof in, "in.pcap");
    struct tw_analyze_opts o = {.tables = t, .eve = eve};
    tw_detect_params_default(&o.params);
    tw_detect_params_from_tables(&o.params, t);
    struct tw_analyze *a = NULL;
    failalloc_start(k); /* tests/common/failalloc.h; host/host.mk links the wrappers */
    int rc = tw_analyze_open(&a, &o, err, errlen);
    if (rc == 0 && (rc = tw_analyze_file(a, in, err, errlen)) == 0)
        rc = tw_analyze_finish(a, err, errlen);
    if (a)
        tw_analyze_close(a);
    failalloc_pause();
    *allocs = failalloc_count();
    fclose(eve);
    /* every block the run allocated was freed, whatever failed */
    if (failalloc_live())
        fail_msg("allocation %lu failing: %u blocks not freed", k, failalloc_live());
    return rc;
}

/* Every allocation of an analyze run fails in turn. Each run either ends with TW_ERR_NOMEM, or with TW_ERR_IO
 * naming the EVE events lost (an EVE line buffer that cannot grow: the event is counted, not written), or, where a
 * fallback exists (a rule's pre-rendered EVE alert object), completes with exactly the output of a run without
 * failure. Nothing leaks: the sanitizer build checks at exit. */
static void test_allocation_failures(void **st)
{
    (void)st;
    struct tw_tables *t = compile_config();
    char *want = NULL, err[512];
    unsigned long n = 0;
    assert_int_equal(analyze_failing_at(t, 0, &want, &n, err, sizeof err), 0);
    assert_true(n > 0);
    unsigned nomem = 0, lost = 0, same = 0;
    for (unsigned long k = 1; k <= n; k++) {
        char *got = NULL;
        unsigned long used = 0;
        int rc = analyze_failing_at(t, k, &got, &used, err, sizeof err);
        if (rc == 0) {
            assert_string_equal(got, want);
            same++;
        } else if (rc == TW_ERR_IO) {
            assert_non_null(strstr(err, "events lost"));
            lost++;
        } else {
            if (rc != TW_ERR_NOMEM)
                print_error("allocation %lu of %lu failing: %s (%s)\n", k, n, tw_strerror(rc), err);
            assert_int_equal(rc, TW_ERR_NOMEM);
            nomem++;
        }
        free(got);
    }
    print_message(
        "%lu allocations: %u failures end the run with TW_ERR_NOMEM, %u with EVE events lost, %u fall back to "
        "the same output\n",
        n, nomem, lost, same);
    assert_true(nomem > 0);
    assert_true(same > 0);
    free(want);
    tw_tables_free(t);
}

static void test_capture_errors(void **st)
{
    (void)st;
    struct tw_tables *t = compile_config();
    char *text = NULL;
    size_t len = 0;
    FILE *eve = open_memstream(&text, &len);
    assert_non_null(eve);
    struct tw_analyze_opts o = {.tables = t, .eve = eve};
    tw_detect_params_default(&o.params);
    char p[512], err[512];
    struct tw_analyze *a = NULL;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), 0);
    path_in(p, sizeof p, "missing.pcap");
    assert_int_equal(tw_analyze_file(a, p, err, sizeof err), TW_ERR_IO);
    assert_non_null(strstr(err, "missing.pcap"));
    path_in(p, sizeof p, "raw.pcap");
    assert_int_equal(tw_analyze_file(a, p, err, sizeof err), TW_ERR_UNSUPPORTED);
    assert_non_null(strstr(err, "is not Ethernet; capture skipped"));
    path_in(p, sizeof p, "cut.pcap");
    assert_int_equal(tw_analyze_file(a, p, err, sizeof err), TW_ERR_IO);
    assert_non_null(strstr(err, "read error after frame 5"));
    assert_int_equal(tw_analyze_finish(a, err, sizeof err), 0);
    tw_analyze_close(a);
    fclose(eve);
    /* the frames before the cut were analysed, and every failure is counted */
    assert_non_null(strstr(text, "\"capture\":{\"files\":3,\"files_failed\":2,\"files_skipped_linktype\":1,"
                                 "\"read_errors\":1,"));
    assert_non_null(strstr(text, "\"frames\":5,"));
    free(text);

    /* --pcap-out without evidence bytes, an evidence file that cannot be created, bad parameters */
    char ev[512];
    path_in(ev, sizeof ev, "no/such/dir/ev.pcap");
    o.pcap_out = ev;
    o.params.evidence_bytes = 0;
    a = (struct tw_analyze *)&a;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), TW_ERR_INVAL);
    assert_null(a);
    assert_non_null(strstr(err, "evidence-bytes"));
    o.params.evidence_bytes = 16;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), TW_ERR_IO);
    assert_non_null(strstr(err, "no/such/dir"));
    o.pcap_out = NULL;
    o.params.flow_ways = 0;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), TW_ERR_INVAL);
    assert_int_equal(tw_analyze_open(&a, NULL, err, sizeof err), TW_ERR_INVAL);
    /* no EVE output at all is allowed */
    o.params.flow_ways = 4;
    o.eve = NULL;
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), 0);
    path_in(p, sizeof p, "in.pcap");
    assert_int_equal(tw_analyze_file(a, p, err, sizeof err), 0);
    assert_int_equal(tw_analyze_finish(a, err, sizeof err), 0);
    assert_int_equal(tw_analyze_alerts(a), 5);
    assert_non_null(tw_analyze_detector(a));
    tw_analyze_close(a);
    tw_analyze_close(NULL);
    tw_tables_free(t);
}

/* ---- every capture of the shared corpus: no crash (ASan/UBSan), and the counters add up ---- */
struct corpus {
    struct tw_tables *t;
    FILE *devnull;
    unsigned files, ethernet, frames;
};

/* Records that are frames by the rule of tapwatch/frame.h (empty and too long ones are skipped, counted apart). */
static uint64_t count_frames(const char *path)
{
    char e[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, e);
    if (!p)
        return 0;
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t n = 0;
    while (pcap_next_ex(p, &h, &d) == 1) {
        uint32_t len = h->caplen > h->len ? h->caplen : h->len;
        if (len > 0 && len <= TW_FRAME_MAX)
            n++;
    }
    pcap_close(p);
    return n;
}

static void corpus_file(struct corpus *c, const char *path)
{
    struct tw_analyze_opts o = {.tables = c->t, .eve = c->devnull};
    tw_detect_params_default(&o.params);
    tw_detect_params_from_tables(&o.params, c->t);
    o.params.evidence_bytes = 128;
    struct tw_analyze *a = NULL;
    char err[1024];
    assert_int_equal(tw_analyze_open(&a, &o, err, sizeof err), 0);
    int rc = tw_analyze_file(a, path, err, sizeof err);
    c->files++;
    if (rc == TW_ERR_UNSUPPORTED) { /* another link type: skipped and counted by the analyzer */
        tw_analyze_close(a);
        return;
    }
    assert_int_equal(tw_analyze_finish(a, err, sizeof err), 0);
    struct tw_detect_stats s;
    tw_detector_stats(tw_analyze_detector(a), &s);
    if (rc == 0) /* a capture with a read error part-way has fewer frames than pcap_next_ex may return */
        assert_int_equal(s.frames, count_frames(path));
    assert_int_equal(s.flows_created, s.flows_timeout + s.flows_hard_timeout + s.flows_evicted + s.flows_shutdown);
    assert_int_equal(s.flows_active, 0);
    assert_true(s.flows_created <= s.frames - s.no_ip); /* only frames with IP create flows */
    assert_true(s.alerts <= TW_DETECT_MAX_ALERTS * s.frames);
    assert_true(s.mirror_copies <= s.digest_lookups);
    assert_true(s.digest_lookups <= s.tunnelled);
    c->ethernet++;
    c->frames += (unsigned)s.frames;
    tw_analyze_close(a);
}

static void corpus_walk(struct corpus *c, const char *dirpath, int depth)
{
    DIR *d = opendir(dirpath);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dirpath, e->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth < 3)
            corpus_walk(c, p, depth + 1);
        else if (S_ISREG(sb.st_mode) && (strstr(e->d_name, ".pcap") || strstr(e->d_name, ".cap")))
            corpus_file(c, p);
    }
    closedir(d);
}

static void test_corpus_invariants(void **st)
{
    (void)st;
    const char *root = getenv("TAPWATCH_CAPTURES");
    if (!root)
        root = "../shared/captures";
    struct stat sb;
    if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        print_message("skipped: no capture corpus at %s (set TAPWATCH_CAPTURES=DIR)\n", root);
        skip();
        return;
    }
    /* rules that reach every stage: all tunnels, mirror copies, inner, thresholds, volume, pass */
    char p[512];
    path_in(p, sizeof p, "corpus.yaml");
    write_file("corpus.yaml", "detect:\n  evidence-bytes: 128\nrule-files:\n  - corpus.rules\n");
    write_file("corpus.rules",
               "alert ip any any -> any any (msg:\"tunnel\"; tunnel:any; sid:1;)\n"
               "alert ip any any -> any any (msg:\"copy\"; mirror_copy; sid:2;)\n"
               "alert tcp any any <> any any (msg:\"inner tcp\"; inner; flags:S; sid:3;)\n"
               "pass udp any any -> any 53 (msg:\"dns\"; sid:4;)\n"
               "alert udp any any -> any any (msg:\"udp\"; threshold: type both, track by_src, count 3, "
               "seconds 1; sid:5;)\n"
               "alert ip any any -> any any (msg:\"volume\"; volume: track by_flow, bytes 5000, seconds 5; "
               "sid:6;)\n"
               "alert ip any any -> any any (msg:\"ttl\"; ttl:<2; detection_filter: track by_dst, count 1, "
               "seconds 60; sid:7;)\n");
    char err[512];
    struct tw_config *cfg = NULL;
    int rc = tw_config_load(p, &cfg, err, sizeof err);
    if (rc)
        print_error("config: %s\n", err);
    assert_int_equal(rc, 0);
    struct corpus c = {0};
    assert_int_equal(tw_compile(cfg, NULL, &c.t, err, sizeof err), 0);
    tw_config_free(cfg);
    c.devnull = fopen("/dev/null", "w");
    assert_non_null(c.devnull);
    corpus_walk(&c, root, 0);
    fclose(c.devnull);
    tw_tables_free(c.t);
    path_in(p, sizeof p, "corpus.rules");
    unlink(p);
    path_in(p, sizeof p, "corpus.yaml");
    unlink(p);
    print_message("corpus: %u captures, %u Ethernet, %u frames analysed\n", c.files, c.ethernet, c.frames);
    assert_true(c.ethernet > 0);
}

/* ---- the CLI ---- */
static char tapwatch[600];

static int find_cli(void)
{
    const char *env = getenv("TAPWATCH");
    if (env) {
        snprintf(tapwatch, sizeof tapwatch, "%s", env);
        return access(tapwatch, X_OK) == 0;
    }
    char self[512];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return 0;
    self[n] = 0;
    char *s = strrchr(self, '/'); /* BUILD/tests/host/test_analyze -> BUILD/tapwatch */
    for (int i = 0; i < 2 && s; i++) {
        *s = 0;
        s = strrchr(self, '/');
    }
    if (!s)
        return 0;
    *s = 0;
    snprintf(tapwatch, sizeof tapwatch, "%s/tapwatch", self);
    return access(tapwatch, X_OK) == 0;
}

static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s analyze %s >/dev/null 2>&1", dir, tapwatch, args);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void test_cli_exit_codes(void **st)
{
    (void)st;
    if (!find_cli()) {
        print_message("skipped: the tapwatch binary was not found next to the tests (set TAPWATCH=path)\n");
        skip();
        return;
    }
    assert_int_equal(run("--config t.yaml quiet.pcap"), 0);
    assert_int_equal(run("--config t.yaml in.pcap"), 1);
    assert_int_equal(run("--config t.yaml --eve eve.json --pcap-out ev.pcap in.pcap"), 1);
    char p[512];
    path_in(p, sizeof p, "eve.json");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_true(sb.st_size > 0);
    assert_int_equal(run("--config t.yaml --eve - in.pcap"), 1);
    assert_int_equal(run("--help"), 0);
    assert_int_equal(run(""), 2);                                 /* nothing */
    assert_int_equal(run("--config t.yaml"), 2);                  /* no capture */
    assert_int_equal(run("--bogus --config t.yaml in.pcap"), 2);  /* unknown option */
    assert_int_equal(run("--config"), 2);                         /* missing argument */
    assert_int_equal(run("--config t.yaml --image x in.pcap"), 2); /* both */
    write_file("nopcap.yaml", "detect:\n  evidence-bytes: 0\n");
    assert_int_equal(run("--config nopcap.yaml --pcap-out ev.pcap in.pcap"), 2);
    assert_int_equal(run("--config t.yaml missing.pcap"), 3);
    assert_int_equal(run("--config t.yaml in.pcap missing.pcap"), 3); /* errors win over alerts */
    assert_int_equal(run("--config t.yaml raw.pcap"), 3);
    assert_int_equal(run("--config t.yaml cut.pcap"), 3);
    assert_int_equal(run("--config missing.yaml in.pcap"), 3);
    assert_int_equal(run("--image missing.bin in.pcap"), 3);
    assert_int_equal(run("--config t.yaml --eve no/such/dir/eve.json in.pcap"), 3);
    /* a compiled image gives the same result as the configuration */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd %s && %s rules compile t.yaml -o img.bin >/dev/null 2>&1", dir, tapwatch);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    assert_int_equal(WEXITSTATUS(rc), 0);
    assert_int_equal(run("--image img.bin in.pcap"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_end_to_end_from_rule_text),
        cmocka_unit_test(test_capture_errors),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_corpus_invariants),
        cmocka_unit_test(test_cli_exit_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
