/* tapwatch-sim parse, end to end: captures written here (pcap with libpcap, pcapng by hand) run through the binary;
 * JSON Lines per frame in capture order with the RTL's values, port assignment by --port-b, and every error path:
 * usage errors, missing / corrupt / truncated files, non-Ethernet link types, frames that cannot be fed.
 * The binary: $TAPWATCH_SIM, else $BUILD/tapwatch-sim, else build/tapwatch-sim. */
#include <errno.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tap_frames.h"

struct ctx {
    char dir[64];
    char bin[512];
    char out[128], err[128];
    char *stdout_text, *stderr_text;
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b) {
        size_t got = fread(b, 1, (size_t)n, f);
        b[got] = '\0';
    }
    fclose(f);
    return b;
}

/* Runs tapwatch-sim with args (already shell-quoted); returns its exit status, fills stdout/stderr text. */
static int run(struct ctx *c, const char *args)
{
    free(c->stdout_text);
    free(c->stderr_text);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s'", c->bin, args, c->out, c->err);
    int st = system(cmd);
    c->stdout_text = slurp(c->out);
    c->stderr_text = slurp(c->err);
    assert_non_null(c->stdout_text);
    assert_non_null(c->stderr_text);
    assert_true(WIFEXITED(st)); /* never killed by a signal */
    return WEXITSTATUS(st);
}

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    const char *b = getenv("TAPWATCH_SIM"), *bd = getenv("BUILD");
    if (b)
        snprintf(c->bin, sizeof c->bin, "%s", b);
    else
        snprintf(c->bin, sizeof c->bin, "%s/tapwatch-sim", bd && *bd ? bd : "build");
    if (access(c->bin, X_OK) != 0) {
        fprintf(stderr, "tapwatch-sim binary not found at %s\n", c->bin);
        free(c);
        return -1;
    }
    snprintf(c->dir, sizeof c->dir, "/tmp/tw-cli-XXXXXX");
    if (!mkdtemp(c->dir)) {
        free(c);
        return -1;
    }
    snprintf(c->out, sizeof c->out, "%s/out", c->dir);
    snprintf(c->err, sizeof c->err, "%s/err", c->dir);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    int rc = system(cmd);
    free(c->stdout_text);
    free(c->stderr_text);
    free(c);
    return rc == 0 ? 0 : -1;
}

/* Writes frames with libpcap (link type dlt, nanosecond stamps). lens[i] = 0 writes an empty record. */
static void write_pcap(const char *path, int dlt, unsigned n, const size_t *lens, const uint8_t frames[][1600])
{
    pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
    assert_non_null(p);
    pcap_dumper_t *d = pcap_dump_open(p, path);
    assert_non_null(d);
    for (unsigned i = 0; i < n; i++) {
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = 1700000000 + i;
        h.ts.tv_usec = 123456789; /* ns in a nanosecond file */
        h.caplen = h.len = (bpf_u_int32)lens[i];
        pcap_dump((u_char *)d, &h, frames[i]);
    }
    pcap_dump_close(d);
    pcap_close(p);
}

static uint8_t frames[8][1600];
static size_t lens[8];

/* Frames 1..6: plain UDP with sport 1000+i; frame 3 from TF_MAC_B (port B with --port-b), frame 5 a deep one. */
static unsigned make_frames(void)
{
    for (unsigned i = 0; i < 6; i++) {
        lens[i] = 60 + 40 * i;
        if (i == 4)
            tf_deep(frames[i], lens[i] = 300);
        else
            tf_plain(frames[i], lens[i], 1000 + i, 53);
    }
    /* frame 3 (index 2) comes from the other side */
    for (int k = 0; k < 6; k++)
        frames[2][6 + k] = (uint8_t)(TF_MAC_B >> (40 - 8 * k));
    return 6;
}

static unsigned count_lines(const char *t)
{
    unsigned n = 0;
    for (; *t; t++)
        n += *t == '\n';
    return n;
}

/* The line for pcap_cnt k (1-based), or NULL. */
static const char *line_of(const char *t, unsigned k)
{
    for (unsigned i = 1; i < k && t; i++) {
        t = strchr(t, '\n');
        if (t)
            t++;
    }
    return t;
}

static int line_has(const char *t, unsigned k, const char *needle)
{
    const char *l = line_of(t, k);
    if (!l)
        return 0;
    const char *e = strchr(l, '\n');
    const char *hit = strstr(l, needle);
    return hit && (!e || hit < e);
}

/* Line k starts with `prefix`, and the value there ends (',' or '}' follows). */
static int line_starts(const char *t, unsigned k, const char *prefix)
{
    const char *l = line_of(t, k);
    size_t n = strlen(prefix);
    return l && strncmp(l, prefix, n) == 0 && (l[n] == ',' || l[n] == '}');
}

static void test_parse_pcap(void **state)
{
    struct ctx *c = *state;
    unsigned n = make_frames();
    char path[128], args[512];
    snprintf(path, sizeof path, "%s/good.pcap", c->dir);
    write_pcap(path, DLT_EN10MB, n, lens, (const uint8_t(*)[1600])frames);
    snprintf(args, sizeof args, "parse '%s'", path);
    assert_int_equal(run(c, args), 0);
    assert_int_equal(count_lines(c->stdout_text), n);
    for (unsigned k = 1; k <= n; k++) {
        char want[64];
        snprintf(want, sizeof want, "{\"pcap_cnt\":%u,\"port\":\"A\",\"len\":%zu", k, lens[k - 1]);
        assert_true(line_starts(c->stdout_text, k, want));
        if (k != 5) {
            snprintf(want, sizeof want, "\"l4.sport\":%u,\"l4.dport\":53", 1000 + k - 1);
            assert_true(line_has(c->stdout_text, k, want));
            assert_true(line_has(c->stdout_text, k, "\"ip.src\":\"10.0.0.1\",\"ip.dst\":\"10.0.0.2\""));
            assert_false(line_has(c->stdout_text, k, "\"err\""));
        }
    }
    /* the deep frame: QinQ, MPLS, IPv6, ERSPAN II with an inner IPv6/TCP packet, straight from the RTL */
    assert_true(line_has(c->stdout_text, 5, "\"vlan\":[100,200],\"mpls\":[1000,2000],\"ip.ver\":6"));
    assert_true(line_has(c->stdout_text, 5, "\"tunnel\":\"erspan2\",\"tunnel.id\":42"));
    assert_true(line_has(c->stdout_text, 5, "\"inner\":{\"eth.src\":\"02:00:00:00:00:c2\""));
    assert_true(line_has(c->stdout_text, 5, "\"l4.sport\":443,\"l4.dport\":50000,\"tcp.flags\":16}"));

    /* --port-b: frame 3 comes from TF_MAC_B; fseq per port must still map back to pcap_cnt */
    snprintf(args, sizeof args, "parse '%s' --port-b 02:00:00:00:0b:02 --stats", path);
    assert_int_equal(run(c, args), 0);
    assert_int_equal(count_lines(c->stdout_text), n);
    for (unsigned k = 1; k <= n; k++) {
        char want[64];
        snprintf(want, sizeof want, "{\"pcap_cnt\":%u,\"port\":\"%c\",\"len\":%zu", k, k == 3 ? 'B' : 'A',
                 lens[k - 1]);
        assert_true(line_starts(c->stdout_text, k, want));
    }
    assert_non_null(strstr(c->stderr_text, "cycles/s"));
    /* upper case and dashes are accepted too */
    snprintf(args, sizeof args, "parse --port-b 02-00-00-00-0B-02 '%s'", path);
    assert_int_equal(run(c, args), 0);
    assert_true(line_has(c->stdout_text, 3, "\"port\":\"B\""));
    /* gaps and back-pressure change the timing, never the records */
    char *plain = strdup(c->stdout_text);
    assert_non_null(plain);
    snprintf(args, sizeof args, "parse '%s' --port-b 02:00:00:00:0b:02 --gaps 50 --egress-bp 40 --meta-bp 30 "
             "--seed 3", path);
    assert_int_equal(run(c, args), 0);
    assert_string_equal(c->stdout_text, plain);
    free(plain);
    /* monitor mode: egress never ready does not matter, every frame still parsed */
    snprintf(args, sizeof args, "parse '%s' --monitor --egress-bp 100", path);
    assert_int_equal(run(c, args), 0);
    assert_int_equal(count_lines(c->stdout_text), n);
    /* egress never ready in forwarding mode: the tap stalls the ingress, reported as a hang (exit 3), and the
     * records that did come back are still printed */
    snprintf(args, sizeof args, "parse '%s' --egress-bp 100", path);
    assert_int_equal(run(c, args), 3);
    assert_non_null(strstr(c->stderr_text, "the simulation hung"));
    assert_non_null(strstr(c->stderr_text, "no metadata record came back"));
    assert_true(count_lines(c->stdout_text) < n);
    /* metadata never taken: every copy is dropped, each frame named, exit 3 */
    snprintf(args, sizeof args, "parse '%s' --meta-bp 100", path);
    assert_int_equal(run(c, args), 3);
    assert_int_equal(c->stdout_text[0], '\0');
    assert_non_null(strstr(c->stderr_text, "frame 6 (port A, 260 bytes): no metadata record came back"));
    assert_non_null(strstr(c->stderr_text, "6 frames without a record"));
    /* --mtu makes the longer frames giants */
    snprintf(args, sizeof args, "parse '%s' --mtu 200", path);
    assert_int_equal(run(c, args), 0);
    assert_true(line_has(c->stdout_text, 6, "\"err\":[\"giant\"]"));
    assert_false(line_has(c->stdout_text, 2, "giant"));
}

static void put_le(uint8_t *b, size_t *o, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b[(*o)++] = (uint8_t)(v >> (8 * i));
}

/* A pcapng file by hand: section header, one Ethernet interface, enhanced packet blocks. */
static void test_parse_pcapng(void **state)
{
    struct ctx *c = *state;
    unsigned n = make_frames();
    static uint8_t b[16384];
    size_t o = 0;
    put_le(b, &o, 0x0A0D0D0A, 4), put_le(b, &o, 28, 4), put_le(b, &o, 0x1A2B3C4D, 4);
    put_le(b, &o, 1, 2), put_le(b, &o, 0, 2), put_le(b, &o, 0xFFFFFFFF, 4), put_le(b, &o, 0xFFFFFFFF, 4);
    put_le(b, &o, 28, 4);
    put_le(b, &o, 1, 4), put_le(b, &o, 20, 4), put_le(b, &o, 1, 2), put_le(b, &o, 0, 2), put_le(b, &o, 65535, 4);
    put_le(b, &o, 20, 4);
    for (unsigned i = 0; i < n; i++) {
        size_t pad = (4 - lens[i] % 4) % 4, tot = 32 + lens[i] + pad;
        put_le(b, &o, 6, 4), put_le(b, &o, (uint32_t)tot, 4), put_le(b, &o, 0, 4);
        put_le(b, &o, 0, 4), put_le(b, &o, i, 4);
        put_le(b, &o, (uint32_t)lens[i], 4), put_le(b, &o, (uint32_t)lens[i], 4);
        memcpy(b + o, frames[i], lens[i]);
        o += lens[i];
        memset(b + o, 0, pad);
        o += pad;
        put_le(b, &o, (uint32_t)tot, 4);
    }
    char path[128], args[256];
    snprintf(path, sizeof path, "%s/good.pcapng", c->dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, o, f), o);
    fclose(f);
    snprintf(args, sizeof args, "parse '%s'", path);
    assert_int_equal(run(c, args), 0);
    assert_int_equal(count_lines(c->stdout_text), n);
    assert_true(line_starts(c->stdout_text, 1, "{\"pcap_cnt\":1,\"port\":\"A\",\"len\":60"));
    assert_true(line_has(c->stdout_text, 6, "\"l4.sport\":1005,"));

    /* the same file cut in the middle of the 4th block: the first 3 frames, then a clear error, exit 2 */
    size_t cut = 28 + 20;
    for (unsigned i = 0; i < 3; i++)
        cut += 32 + lens[i] + (4 - lens[i] % 4) % 4;
    cut += 20;
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, cut, f), cut);
    fclose(f);
    assert_int_equal(run(c, args), 2);
    assert_int_equal(count_lines(c->stdout_text), 3);
    assert_non_null(strstr(c->stderr_text, "corrupt or truncated capture after frame 3"));
}

static void test_errors(void **state)
{
    struct ctx *c = *state;
    char path[128], args[512];
    /* usage */
    assert_int_equal(run(c, ""), 1);
    assert_non_null(strstr(c->stderr_text, "usage:"));
    assert_int_equal(run(c, "frobnicate x.pcap"), 1);
    assert_non_null(strstr(c->stderr_text, "unknown command 'frobnicate'"));
    assert_int_equal(run(c, "parse"), 1);
    assert_non_null(strstr(c->stderr_text, "exactly one CAPTURE"));
    assert_int_equal(run(c, "parse a.pcap b.pcap"), 1);
    assert_int_equal(run(c, "parse a.pcap --port-b 00:11:22:33:44"), 1);
    assert_non_null(strstr(c->stderr_text, "is not a MAC address"));
    assert_int_equal(run(c, "parse a.pcap --port-b 00:11:22:33:44:zz"), 1);
    assert_int_equal(run(c, "parse a.pcap --l2tp-cookie 3"), 1);
    assert_non_null(strstr(c->stderr_text, "must be 0, 4 or 8"));
    assert_int_equal(run(c, "parse a.pcap --mtu 70000"), 1);
    assert_int_equal(run(c, "parse a.pcap --bogus"), 1);
    assert_int_equal(run(c, "parse a.pcap --gaps 101"), 1);
    assert_non_null(strstr(c->stderr_text, "--gaps: '101' is not a percentage"));
    assert_int_equal(run(c, "parse a.pcap --egress-bp x"), 1);
    assert_int_equal(run(c, "parse a.pcap --meta-bp -1"), 1);
    assert_int_equal(run(c, "parse a.pcap --seed 12z"), 1);
    assert_non_null(strstr(c->stderr_text, "--seed: '12z' is not a number"));
    assert_int_equal(run(c, "--help"), 0);
    assert_non_null(strstr(c->stdout_text, "--port-b MAC"));

    /* missing file */
    snprintf(args, sizeof args, "parse '%s/nope.pcap'", c->dir);
    assert_int_equal(run(c, args), 2);
    assert_non_null(strstr(c->stderr_text, "cannot read capture"));
    assert_non_null(strstr(c->stderr_text, "nope.pcap"));
    assert_int_equal(c->stdout_text[0], '\0');

    /* not a capture at all */
    snprintf(path, sizeof path, "%s/junk.pcap", c->dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("this is not a capture file, just text long enough to be read as a header\n", f);
    fclose(f);
    snprintf(args, sizeof args, "parse '%s'", path);
    assert_int_equal(run(c, args), 2);
    assert_non_null(strstr(c->stderr_text, "cannot read capture"));

    /* non-Ethernet link types are refused by name */
    static const struct { int dlt; const char *name; } lt[] = {
        {DLT_RAW, "RAW"}, {DLT_LINUX_SLL, "LINUX_SLL"}, {DLT_IEEE802_11_RADIO, "IEEE802_11_RADIO"},
    };
    unsigned n = make_frames();
    for (size_t i = 0; i < sizeof lt / sizeof lt[0]; i++) {
        snprintf(path, sizeof path, "%s/lt%zu.pcap", c->dir, i);
        write_pcap(path, lt[i].dlt, n, lens, (const uint8_t(*)[1600])frames);
        snprintf(args, sizeof args, "parse '%s'", path);
        assert_int_equal(run(c, args), 2);
        char want[64];
        snprintf(want, sizeof want, "link type %s ", lt[i].name);
        assert_non_null(strstr(c->stderr_text, want));
        assert_non_null(strstr(c->stderr_text, "is not Ethernet"));
        assert_int_equal(c->stdout_text[0], '\0');
    }

    /* a pcap cut inside a record: the whole frames before it are printed, then exit 2 */
    snprintf(path, sizeof path, "%s/cut.pcap", c->dir);
    write_pcap(path, DLT_EN10MB, n, lens, (const uint8_t(*)[1600])frames);
    long full = 24;
    for (unsigned i = 0; i < 4; i++)
        full += 16 + (long)lens[i];
    assert_int_equal(truncate(path, full + 10), 0);
    snprintf(args, sizeof args, "parse '%s'", path);
    assert_int_equal(run(c, args), 2);
    assert_int_equal(count_lines(c->stdout_text), 4);
    assert_non_null(strstr(c->stderr_text, "corrupt or truncated capture after frame 4"));

    /* an empty record cannot be put on AXI-Stream: reported and skipped, the others still parsed */
    size_t l2[3] = {64, 0, 80};
    uint8_t fr2[3][1600];
    tf_plain(fr2[0], 64, 7, 7);
    tf_plain(fr2[2], 80, 9, 9);
    snprintf(path, sizeof path, "%s/empty.pcap", c->dir);
    write_pcap(path, DLT_EN10MB, 3, l2, (const uint8_t(*)[1600])fr2);
    snprintf(args, sizeof args, "parse '%s'", path);
    assert_int_equal(run(c, args), 0);
    assert_non_null(strstr(c->stderr_text, "frame 2: 0 captured bytes cannot be fed"));
    assert_int_equal(count_lines(c->stdout_text), 2);
    assert_true(line_has(c->stdout_text, 1, "{\"pcap_cnt\":1,"));
    assert_true(line_has(c->stdout_text, 2, "{\"pcap_cnt\":3,"));

    /* --trace in a build without tracing */
    snprintf(args, sizeof args, "parse '%s' --trace '%s/w.fst'", path, c->dir);
    assert_int_equal(run(c, args), 3);
    assert_non_null(strstr(c->stderr_text, "no tracing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse_pcap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_pcapng, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
