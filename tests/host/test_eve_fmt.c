/* EVE writer's own field formatters, each against an independent reference: IPv6 text against the C library's
 * inet_ntop (RFC 5952) for every pattern of zero groups and the IPv4-mapped/compatible forms, IPv4 octets against
 * printf, timestamps around second, day, month, year and leap-day boundaries against gmtime + printf (also through the
 * writer's per-second cache, in and out of order), JSON escaping of every byte value at every position of strings of
 * every length up to 40 (the 16-, 8-byte and tail paths), decimal numbers at every digit-count boundary, base64 of
 * every length up to 130 bytes against a bit-by-bit encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "detect_fixture.h"
#include "eve_out.h"
#include "tapwatch/eve.h"

/* The lines of s, each '\n' replaced by NUL, into *out (caller frees; s must end with a newline); returns their count.
 * (The checks then search one line at a time: the sanitizer's strstr would scan the whole rest of the buffer.) */
static size_t split_lines(char *s, char ***out)
{
    size_t n = 0, cap = 1024;
    char **v = malloc(cap * sizeof *v);
    assert_non_null(v);
    size_t len = strlen(s);
    assert_true(len == 0 || s[len - 1] == '\n');
    for (char *p = s, *e = s + len; p < e;) {
        char *nl = memchr(p, '\n', (size_t)(e - p));
        assert_non_null(nl);
        *nl = 0;
        if (n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        v[n++] = p;
        p = nl + 1;
    }
    *out = v;
    return n;
}

/* The text of field `key` ("key":"..." or "key":...) in line: the value up to the next '"' or ',' or '}' (values
 * here contain none of them), into v. */
static void field(const char *line, const char *key, char *v, size_t cap)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *p = strstr(line, k);
    assert_non_null(p);
    p += strlen(k);
    if (*p == '"')
        p++;
    size_t n = strcspn(p, "\",}");
    assert_true(n < cap);
    memcpy(v, p, n);
    v[n] = 0;
}

/* One alert line with the given addresses, evidence, strings and numbers; returns it (caller frees). */
static char *alert_line(int ip_ver, const uint8_t *src, const uint8_t *dst, const char *sig, const uint8_t *ev,
                        size_t ev_len, uint64_t ts, uint64_t flow_id, uint32_t sid)
{
    struct tw_eve_alert a;
    memset(&a, 0, sizeof a);
    a.ts_ns = ts;
    a.flow_id = flow_id;
    a.ip_ver = (uint8_t)ip_ver;
    if (src)
        memcpy(a.src_ip, src, 16);
    if (dst)
        memcpy(a.dst_ip, dst, 16);
    a.proto = 6;
    a.sid = sid;
    a.signature = sig;
    a.evidence = ev;
    a.evidence_len = ev_len;
    struct out o;
    open_out(&o);
    assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    return close_out(&o);
}

/* ---- IPv6 ---- */

static void check_addr6(const uint8_t a[16])
{
    char want[64], got[64], v[64];
    assert_non_null(inet_ntop(AF_INET6, a, want, sizeof want));
    memset(got, 'Z', sizeof got);
    tw_eve_addr(1, a, got, sizeof got);
    if (strcmp(got, want)) {
        fprintf(stderr, "addr6: got %s want %s\n", got, want);
        fail();
    }
    char *line = alert_line(6, a, a, "", NULL, 0, T0, 0, 1);
    field(line, "src_ip", v, sizeof v);
    assert_string_equal(v, want);
    field(line, "dest_ip", v, sizeof v);
    assert_string_equal(v, want);
    free(line);
}

/* Every set of zero groups (256), with the other groups of 1, 2, 3 and 4 hex digits, and values that look special
 * (1, 0xffff) in groups 5..7 where the dotted forms are decided. */
static void test_addr6_every_zero_pattern(void **st)
{
    (void)st;
    static const unsigned fill[] = {0x1, 0xa, 0x2b, 0x3c4, 0xd5e6, 0xffff, 0x100, 0x1000};
    for (unsigned z = 0; z < 256; z++) {
        for (unsigned f = 0; f < 8; f++) {
            uint8_t a[16];
            for (unsigned g = 0; g < 8; g++) {
                unsigned x = (z >> g) & 1u ? 0 : fill[(f + g) % 8];
                a[2 * g] = (uint8_t)(x >> 8);
                a[2 * g + 1] = (uint8_t)x;
            }
            check_addr6(a);
        }
    }
}

static void test_addr6_special_forms(void **st)
{
    (void)st;
    static const char *const texts[] = {
        "::", "::1", "::2", "::0.0.0.2", "::ffff:1.2.3.4", "::ffff:0.0.0.0", "::ffff:255.255.255.255",
        "::1.2.3.4", "::0.1.0.0", "::255.255.255.255", "::ffff:0:1.2.3.4", "::fffe:1.2.3.4", "::1:0:0:0",
        "1::", "1::1", "0:0:1::", "1:0:0:1::", "1:0:0:1:0:0:1:0", "1:0:1:0:1:0:1:0", "1:2:3:4:5:6:7:8",
        "2001:db8::1", "2001:db8:0:0:1::1", "2001:db8::1:0:0:1", "fe80::1:2", "ff02::1:ff00:1",
        "64:ff9b::102:304", "::ffff:1:2", "0:0:0:0:0:ffff:102:304", "1:0:0:0:0:ffff:102:304",
        "::a:b:c:d:e", "::abcd:1.2.3.4",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        uint8_t a[16];
        assert_int_equal(inet_pton(AF_INET6, texts[i], a), 1);
        check_addr6(a);
    }
    /* v4-mapped and v4-compatible forms over octets of every length */
    for (unsigned x = 0; x < 256; x += 5) {
        for (unsigned mapped = 0; mapped < 2; mapped++) {
            uint8_t a[16] = {0};
            a[10] = a[11] = mapped ? 0xff : 0;
            a[12] = (uint8_t)x;
            a[13] = (uint8_t)(255 - x);
            a[14] = (uint8_t)(x / 3);
            a[15] = (uint8_t)(x * 7);
            check_addr6(a);
        }
    }
}

/* Random addresses with zero groups at random places; a too small buffer still gives inet_ntop's answer ("?" when
 * it fails), and a 46-byte one (INET6_ADDRSTRLEN) is enough for the longest text. */
static void test_addr6_random_and_buffers(void **st)
{
    (void)st;
    uint32_t r = 12345;
    for (int i = 0; i < 4000; i++) {
        uint8_t a[16];
        for (int k = 0; k < 16; k++) {
            r = r * 1103515245u + 12345u;
            a[k] = (uint8_t)(r >> 16);
        }
        r = r * 1103515245u + 12345u;
        for (int g = 0; g < 8; g++)
            if ((r >> (8 + g)) & 1u)
                a[2 * g] = a[2 * g + 1] = 0;
        check_addr6(a);
    }
    uint8_t a[16];
    memset(a, 0xff, 10);
    a[10] = 0xab;
    a[11] = 0xcd;
    memset(a + 12, 0xff, 4);
    char want[64], b[64];
    inet_ntop(AF_INET6, a, want, sizeof want);
    assert_int_equal(strlen(want), 39);
    tw_eve_addr(1, a, b, 46);
    assert_string_equal(b, want);
    tw_eve_addr(1, a, b, 20); /* inet_ntop fails for a short buffer: "?" */
    assert_string_equal(b, "?");
}

/* ---- IPv4 ---- */

static void test_addr4_every_octet(void **st)
{
    (void)st;
    for (unsigned x = 0; x < 256; x++) {
        uint8_t a[16] = {0}, d[16] = {0};
        a[12] = (uint8_t)x;
        a[13] = (uint8_t)(x * 3);
        a[14] = (uint8_t)(255 - x);
        a[15] = (uint8_t)(x / 2);
        memcpy(d + 12, a + 13, 3);
        d[15] = (uint8_t)x;
        char want[20], want2[20], got[20], v[32];
        snprintf(want, sizeof want, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        snprintf(want2, sizeof want2, "%u.%u.%u.%u", d[12], d[13], d[14], d[15]);
        tw_eve_addr(0, a, got, 16);
        assert_string_equal(got, want);
        char *line = alert_line(4, a, d, "", NULL, 0, T0, 0, 1);
        field(line, "src_ip", v, sizeof v);
        assert_string_equal(v, want);
        field(line, "dest_ip", v, sizeof v);
        assert_string_equal(v, want2);
        free(line);
        /* a buffer too small for the longest text is cut as snprintf cuts */
        tw_eve_addr(0, a, got, 8);
        char cut[8];
        memcpy(cut, want, 7);
        cut[7] = 0;
        assert_string_equal(got, cut);
    }
}

/* ---- timestamps ---- */

/* the reference: gmtime_r + printf, written here */
static void ref_ts(uint64_t ts, char *b, size_t n)
{
    time_t s = (time_t)(ts / SEC);
    struct tm tm;
    assert_non_null(gmtime_r(&s, &tm));
    snprintf(b, n, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0000", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ts % SEC / 1000u));
}

static void test_timestamps_boundaries(void **st)
{
    (void)st;
    /* midnights: the epoch, 2000-01-01 (leap century), 2023-12-31/2024-01-01, 2024-02-29 and 03-01, 2100-03-01
     * (no leap day), 2038-01-19 (past 32-bit time_t) and the last representable value */
    static const uint64_t days[] = {0, 10957, 19722, 19723, 19782, 19783, 47541, 24855};
    uint64_t tss[8 * 10 + 4];
    size_t n = 0;
    for (size_t d = 0; d < 8; d++) {
        uint64_t mid = days[d] * 86400ull * SEC;
        const uint64_t offs[] = {0, 1, 999, 1000, 999999999, SEC, 59 * SEC + 999999000, 3600 * SEC - 1};
        for (size_t k = 0; k < 8; k++)
            tss[n++] = mid + offs[k];
        if (mid >= SEC) {
            tss[n++] = mid - 1;        /* 23:59:59.999999 of the day before */
            tss[n++] = mid - SEC / 2;
        }
    }
    tss[n++] = UINT64_MAX;
    tss[n++] = UINT64_MAX - SEC;
    tss[n++] = 1700000000ull * SEC + 123456789ull;
    tss[n++] = 1700000000ull * SEC + 123456789ull; /* the same again: from the cache */
    /* one writer for all (its cache sees seconds and days in and out of order), and the helper */
    struct out o;
    open_out(&o);
    for (size_t i = 0; i < n; i++) {
        struct tw_flow_rec f;
        memset(&f, 0, sizeof f);
        f.ip_ver = 4;
        f.last_ts = tss[i];
        f.first_ts = tss[(i * 7 + 3) % n];
        assert_int_equal(tw_eve_write_flow(o.w, &f), 0);
    }
    char *s = close_out(&o), **lines;
    assert_int_equal(split_lines(s, &lines), n);
    for (size_t i = 0; i < n; i++) {
        char want[96], got[40], v[40];
        ref_ts(tss[i], want, sizeof want);
        tw_eve_timestamp(tss[i], got, sizeof got);
        assert_string_equal(got, want);
        field(lines[i], "timestamp", v, sizeof v);
        assert_string_equal(v, want);
        field(lines[i], "end", v, sizeof v);
        assert_string_equal(v, want);
        ref_ts(tss[(i * 7 + 3) % n], want, sizeof want);
        field(lines[i], "start", v, sizeof v);
        assert_string_equal(v, want);
    }
    free(lines);
    free(s);
    char b[40];
    tw_eve_timestamp(UINT64_MAX, b, sizeof b);
    assert_string_equal(b, "2554-07-21T23:34:33.709551+0000");
    tw_eve_timestamp(19782ull * 86400 * SEC + 86399 * SEC + 999999999, b, sizeof b);
    assert_string_equal(b, "2024-02-29T23:59:59.999999+0000");
}

/* Every second of the two hours around a midnight (2024-02-29 to 03-01), then every 7th second of the rest of the
 * day and a half, microseconds stepping: the cache refreshes at each second and each midnight. */
static void test_timestamps_every_second(void **st)
{
    (void)st;
    const uint64_t start = 19782ull * 86400 * SEC + 43200 * SEC; /* 2024-02-29T12:00:00 */
    const unsigned N = 86400 + 43200;
    struct out o;
    open_out(&o);
    unsigned n = 0;
    for (unsigned i = 0; i < N; i += (i >= 39600 && i < 46800) ? 1 : 7, n++) {
        struct tw_eve_alert a;
        memset(&a, 0, sizeof a);
        a.ts_ns = start + (uint64_t)i * SEC + (uint64_t)(i * 7919u % 1000000u) * 1000u;
        a.signature = "";
        assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    }
    char *s = close_out(&o), **lines;
    assert_int_equal(split_lines(s, &lines), n);
    size_t k = 0;
    for (unsigned i = 0; i < N; i += (i >= 39600 && i < 46800) ? 1 : 7, k++) {
        char want[96], v[40];
        ref_ts(start + (uint64_t)i * SEC + (uint64_t)(i * 7919u % 1000000u) * 1000u, want, sizeof want);
        field(lines[k], "timestamp", v, sizeof v);
        assert_string_equal(v, want);
    }
    assert_int_equal(k, n);
    free(lines);
    free(s);
}

/* ---- JSON strings ---- */

/* the reference escaper, written here */
static void ref_escape(const unsigned char *s, char *out)
{
    *out++ = '"';
    for (; *s; s++) {
        switch (*s) {
        case '"': out += sprintf(out, "\\\""); break;
        case '\\': out += sprintf(out, "\\\\"); break;
        case '\n': out += sprintf(out, "\\n"); break;
        case '\r': out += sprintf(out, "\\r"); break;
        case '\t': out += sprintf(out, "\\t"); break;
        default:
            if (*s < 0x20)
                out += sprintf(out, "\\u%04x", *s);
            else
                *out++ = (char)*s;
        }
    }
    *out++ = '"';
    *out = 0;
}

/* Alert lines with the given signatures, written by one writer; each line's quoted signature against the
 * reference. */
static void check_signatures(char *const *sigs, size_t n)
{
    struct out o;
    open_out(&o);
    for (size_t i = 0; i < n; i++) {
        struct tw_eve_alert a;
        memset(&a, 0, sizeof a);
        a.ts_ns = T0;
        a.signature = sigs[i];
        assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    }
    char *s = close_out(&o), **lines;
    assert_int_equal(split_lines(s, &lines), n);
    for (size_t i = 0; i < n; i++) {
        char want[6 * 64 + 8];
        ref_escape((const unsigned char *)sigs[i], want);
        const char *p = strstr(lines[i], ",\"signature\":");
        assert_non_null(p);
        p += strlen(",\"signature\":");
        size_t k = strlen(want);
        if (strncmp(p, want, k) || strcmp(p + k, ",\"severity\":0}}")) {
            fprintf(stderr, "escape: got %s want %s\n", p, want);
            fail();
        }
    }
    free(lines);
    free(s);
}

/* n strings of up to 63 bytes (freed by free_strs) */
static char **new_strs(size_t n)
{
    char **v = calloc(n, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        v[i] = calloc(1, 64);
        assert_non_null(v[i]);
    }
    return v;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Every byte value 1..255 at every position of plain strings of every length 1..40 (the 16-byte, 8-byte, overlapping
 * tail and byte paths, and the boundaries between them). */
static void test_escape_every_byte_everywhere(void **st)
{
    (void)st;
    for (unsigned len = 1; len <= 40; len++) {
        size_t n = (size_t)len * 255, k = 0;
        char **v = new_strs(n);
        for (unsigned pos = 0; pos < len; pos++) {
            for (unsigned c = 1; c < 256; c++, k++) {
                for (unsigned j = 0; j < len; j++)
                    v[k][j] = (char)('a' + j % 26);
                v[k][pos] = (char)c;
            }
        }
        check_signatures(v, n);
        free_strs(v, n);
    }
}

static void test_escape_control_characters(void **st)
{
    (void)st;
    /* the exact text of every control character, the quote and the backslash; DEL and bytes >= 0x80 pass as they are */
    static const char *const want[32] = {
        NULL,      "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\u0008", "\\t",     "\\n",     "\\u000b", "\\u000c", "\\r",     "\\u000e", "\\u000f",
        "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
        "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    };
    for (unsigned c = 1; c < 32; c++) {
        char s[2] = {(char)c, 0}, line_want[16];
        snprintf(line_want, sizeof line_want, "\"%s\"", want[c]);
        char *line = alert_line(0, NULL, NULL, s, NULL, 0, T0, 0, 1);
        assert_non_null(strstr(line, line_want));
        free(line);
    }
    char *line = alert_line(0, NULL, NULL, "\"\\\x7f\xc3\xa9", NULL, 0, T0, 0, 1);
    assert_non_null(strstr(line, "\"signature\":\"\\\"\\\\\x7f\xc3\xa9\""));
    free(line);
    /* strings of only escapes, long enough for every path; and random mixes */
    char **v = new_strs(63);
    for (unsigned len = 1; len < 64; len++)
        for (unsigned k = 0; k < len; k++)
            v[len - 1][k] = "\"\\\n\x01\x1f"[k % 5];
    check_signatures(v, 63);
    free_strs(v, 63);
    enum { NR = 20000 };
    v = new_strs(NR);
    uint32_t r = 99;
    for (int i = 0; i < NR; i++) {
        r = r * 1103515245u + 12345u;
        unsigned len = (r >> 16) % 64;
        for (unsigned k = 0; k < len; k++) {
            r = r * 1103515245u + 12345u;
            unsigned c = (r >> 16) & 255;
            v[i][k] = (char)((r >> 8) % 10 == 0 ? (c % 0x20 ? c % 0x20 : 1) : (c ? c : 'x'));
        }
    }
    check_signatures(v, NR);
    free_strs(v, NR);
}

/* vendor names, category and tunnel kind take the same path: an escaped vendor name and category */
static void test_escape_other_strings(void **st)
{
    (void)st;
    struct tw_eve_alert a;
    memset(&a, 0, sizeof a);
    a.ts_ns = T0;
    a.src_vendor = "A\"B";
    a.dst_vendor = "tab\there and a long name of 25";
    a.signature = "s";
    a.category = "c\\d\x02";
    struct out o;
    open_out(&o);
    assert_int_equal(tw_eve_write_alert(o.w, &a), 0);
    char *s = close_out(&o);
    assert_non_null(strstr(s, "\"src_vendor\":\"A\\\"B\",\"dst_vendor\":\"tab\\there and a long name of 25\","));
    assert_non_null(strstr(s, "\"category\":\"c\\\\d\\u0002\","));
    free(s);
}

/* ---- numbers ---- */

static void test_numbers_every_digit_count(void **st)
{
    (void)st;
    uint64_t p = 1;
    for (int k = 0; k < 20; k++) {
        const uint64_t vals[] = {p - 1, p, p + 1, p * 2 - 1, p * 5};
        for (int j = 0; j < 5; j++) {
            uint64_t v = vals[j];
            if (k == 19 && j >= 3)
                v = UINT64_MAX; /* 2 * 10^19 does not fit */
            uint32_t v32 = (uint32_t)(v > UINT32_MAX ? UINT32_MAX - (uint32_t)k : v);
            char *line = alert_line(0, NULL, NULL, "", NULL, 0, T0, v ? v : 1, v32);
            char want[32], got[32];
            snprintf(want, sizeof want, "%llu", (unsigned long long)(v ? v : 1));
            field(line, "flow_id", got, sizeof got);
            assert_string_equal(got, want);
            snprintf(want, sizeof want, "%u", v32);
            field(line, "signature_id", got, sizeof got);
            assert_string_equal(got, want);
            free(line);
        }
        if (k < 19)
            p *= 10;
    }
}

/* ---- base64 ---- */

static void ref_b64(const uint8_t *p, size_t n, char *out)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t bits = 0, o = 0;
    unsigned acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8 | p[i]) & 0xffff;
        bits += 8;
        while (bits >= 6) {
            out[o++] = al[(acc >> (bits - 6)) & 63];
            bits -= 6;
        }
    }
    if (bits)
        out[o++] = al[(acc << (6 - bits)) & 63];
    while (o % 4)
        out[o++] = '=';
    out[o] = 0;
}

static void test_base64_every_length(void **st)
{
    (void)st;
    uint8_t p[TW_DETECT_MAX_EVIDENCE + 8];
    for (size_t i = 0; i < sizeof p; i++)
        p[i] = (uint8_t)(i * 151 + 7);
    for (size_t n = 0; n <= TW_DETECT_MAX_EVIDENCE + 2; n++) {
        char want[4 * sizeof p], got[4 * sizeof p];
        size_t m = n > TW_DETECT_MAX_EVIDENCE ? TW_DETECT_MAX_EVIDENCE : n; /* the writer's cap */
        ref_b64(p, n, want);
        tw_eve_base64(p, n, got);
        assert_string_equal(got, want);
        /* from a buffer of exactly n bytes (the sanitizers see any read past it) */
        uint8_t *exact = malloc(n ? n : 1);
        assert_non_null(exact);
        memcpy(exact, p, n);
        tw_eve_base64(exact, n, got);
        free(exact);
        assert_string_equal(got, want);
        char *line = alert_line(0, NULL, NULL, "", p, n, T0, 0, 1);
        if (n == 0) {
            assert_null(strstr(line, "\"packet\""));
        } else {
            ref_b64(p, m, want);
            char *v = strstr(line, "\"packet\":\"");
            assert_non_null(v);
            v += strlen("\"packet\":\"");
            assert_memory_equal(v, want, strlen(want));
            assert_string_equal(v + strlen(want), "\",\"packet_info\":{\"linktype\":1}}\n");
        }
        free(line);
    }
}

/* Random evidence (every 6-bit value in every position of the 12-byte SIMD steps and of the scalar tail) against
 * the reference encoder, at lengths around the step sizes. */
static void test_base64_random(void **st)
{
    (void)st;
    uint64_t r = 0x243F6A8885A308D3ull;
    for (int round = 0; round < 4000; round++) {
        uint8_t p[TW_DETECT_MAX_EVIDENCE];
        size_t n = (size_t)(round % (TW_DETECT_MAX_EVIDENCE + 1));
        for (size_t i = 0; i < n; i++) {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            p[i] = (uint8_t)(r >> 29);
        }
        char want[4 * TW_DETECT_MAX_EVIDENCE / 3 + 8], got[4 * TW_DETECT_MAX_EVIDENCE / 3 + 8];
        ref_b64(p, n, want);
        tw_eve_base64(p, n, got);
        assert_string_equal(got, want);
    }
    /* the input ending at an unreadable page: a read past its end (the 16-byte loads) faults */
    long pg = sysconf(_SC_PAGESIZE);
    assert_true(pg >= 4096);
    uint8_t *map = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + pg, (size_t)pg, PROT_NONE), 0);
    for (size_t n = 0; n <= TW_DETECT_MAX_EVIDENCE; n++) {
        uint8_t *p = map + pg - n;
        for (size_t i = 0; i < n; i++)
            p[i] = (uint8_t)(i * 37 + n);
        char want[4 * TW_DETECT_MAX_EVIDENCE / 3 + 8], got[4 * TW_DETECT_MAX_EVIDENCE / 3 + 8];
        ref_b64(p, n, want);
        tw_eve_base64(p, n, got);
        assert_string_equal(got, want);
    }
    munmap(map, 2 * (size_t)pg);
}

static void test_proto_names(void **st)
{
    (void)st;
    for (unsigned p = 0; p < 256; p++) {
        char want[16], got[16], v[16];
        const char *n = p == 1 ? "ICMP" : p == 6 ? "TCP" : p == 17 ? "UDP" : p == 47 ? "GRE" : p == 50 ? "ESP"
                        : p == 58 ? "IPv6-ICMP" : p == 132 ? "SCTP" : NULL;
        if (n)
            snprintf(want, sizeof want, "%s", n);
        else
            snprintf(want, sizeof want, "%u", p);
        tw_eve_proto(p, got, sizeof got);
        assert_string_equal(got, want);
        struct tw_flow_rec f;
        memset(&f, 0, sizeof f);
        f.ip_ver = 4;
        f.proto = (uint8_t)p;
        struct out o;
        open_out(&o);
        assert_int_equal(tw_eve_write_flow(o.w, &f), 0);
        char *s = close_out(&o);
        field(s, "proto", v, sizeof v);
        assert_string_equal(v, want);
        assert_int_equal(strstr(s, "\"src_port\"") != NULL, p == 6 || p == 17 || p == 132);
        assert_int_equal(strstr(s, "\"tcp\":{") != NULL, p == 6);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr6_every_zero_pattern),
        cmocka_unit_test(test_addr6_special_forms),
        cmocka_unit_test(test_addr6_random_and_buffers),
        cmocka_unit_test(test_addr4_every_octet),
        cmocka_unit_test(test_timestamps_boundaries),
        cmocka_unit_test(test_timestamps_every_second),
        cmocka_unit_test(test_escape_every_byte_everywhere),
        cmocka_unit_test(test_escape_control_characters),
        cmocka_unit_test(test_escape_other_strings),
        cmocka_unit_test(test_numbers_every_digit_count),
        cmocka_unit_test(test_base64_every_length),
        cmocka_unit_test(test_base64_random),
        cmocka_unit_test(test_proto_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
