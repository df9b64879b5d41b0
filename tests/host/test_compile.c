/* The compiler and the table image: vendor resolution from a small registry fixture, OUI hash placement at and
 * beyond capacity, every capacity error, the hash and CRC functions against independent bitwise references,
 * bit packing, and the binary image (round trip, every corruption). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tapwatch/rules.h"

#include "../../host/src/rules_int.h"

/* The fixture lives next to this file (tests run from the repository root, as make does). */
static char fixture[512];

static void find_fixture(void)
{
    const char *f = __FILE__;
    const char *slash = strrchr(f, '/');
    int n = slash ? (int)(slash - f) : 1;
    snprintf(fixture, sizeof fixture, "%.*s/data/oui-small.csv", n, slash ? f : ".");
}

/* ---- independent bitwise CRCs ---- */
static uint32_t crc_bitwise(uint32_t poly, const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
    }
    return ~c;
}

static struct tw_config *parse(const char *yaml, const char *rules)
{
    char err[512];
    struct tw_config *c;
    int rc = tw_config_parse(yaml, strlen(yaml), "t.yaml", NULL, &c, err, sizeof err);
    if (rc)
        fail_msg("config: %s", err);
    if (rules && (rc = tw_config_add_rules(c, rules, strlen(rules), "t.rules", err, sizeof err))) {
        tw_config_free(c);
        fail_msg("rules: %s", err);
    }
    return c;
}

static int compile_err(const char *yaml, const char *rules, const struct tw_compile_opts *o, char *err, size_t n)
{
    struct tw_config *c = parse(yaml, rules);
    struct tw_tables *t = (struct tw_tables *)1;
    int rc = tw_compile(c, o, &t, err, n);
    tw_config_free(c);
    assert_null(t);
    return rc;
}

static struct tw_tables *compile_ok(const char *yaml, const char *rules, const struct tw_compile_opts *o)
{
    char err[512];
    struct tw_config *c = parse(yaml, rules);
    struct tw_tables *t;
    int rc = tw_compile(c, o, &t, err, sizeof err);
    tw_config_free(c);
    if (rc)
        fail_msg("compile: %s", err);
    return t;
}

static void test_hash_reference(void **st)
{
    (void)st;
    /* the reference implementations are right: the standard check values */
    assert_int_equal(crc_bitwise(0x82F63B78u, (const uint8_t *)"123456789", 9), 0xE3069283u);
    assert_int_equal(crc_bitwise(0xEDB88320u, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    uint32_t x = 12345;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t oui = (x >> 4) & 0xFFFFFF;
        uint8_t b[3] = {(uint8_t)(oui >> 16), (uint8_t)(oui >> 8), (uint8_t)oui};
        uint32_t c = crc_bitwise(0x82F63B78u, b, 3);
        assert_int_equal(tw_oui_hash(oui, 0, 2048), c & 2047);
        assert_int_equal(tw_oui_hash(oui, 1, 2048), (c >> 16) & 2047);
        assert_int_equal(tw_oui_hash(oui, 1, 4), (c >> 16) & 3);
    }
}

static void test_registry_fixture(void **st)
{
    (void)st;
    char y[1024];
    snprintf(y, sizeof y,
             "oui-registry: %s\n"
             "vendors:\n"
             "  ACME: {registry: [acme, \"Shared\"]}\n"
             "  WIDGET: {registry: 'Widget \"Pro\"'}\n"
             "  HOLD: {registry: [holdings], oui: [\"0a:00:01\", \"0D-00-01\"]}\n"
             "  ZETA: {registry: [ZETA CORP]}\n"
             "  LOWER: {registry: [lower hex]}\n",
             fixture);
    struct tw_tables *t = compile_ok(y, NULL, NULL);
    assert_int_equal(t->settings.n_vendor_sets, 5);
    assert_int_equal(t->vendor[0].n_oui, 5); /* 0A0001-0A0004, 0D0001; MA-M, MA-S and IAB rows are not held */
    assert_int_equal(t->vendor[1].n_oui, 1);
    assert_int_equal(t->vendor[2].n_oui, 2);
    assert_int_equal(t->vendor[3].n_oui, 1);
    assert_int_equal(t->vendor[4].n_oui, 1);
    assert_int_equal(t->settings.n_oui, 8);
    assert_int_equal(tw_oui_vsets(t, 0x0A0001), 1 | 4);
    assert_int_equal(tw_oui_vsets(t, 0x0A0004), 1);
    assert_int_equal(tw_oui_vsets(t, 0x0D0001), 1 | 4);
    assert_int_equal(tw_oui_vsets(t, 0x0B0001), 2);
    assert_int_equal(tw_oui_vsets(t, 0x0C0001), 8);
    assert_int_equal(tw_oui_vsets(t, 0x0E0001), 16);
    assert_int_equal(tw_oui_vsets(t, 0x0F0001), 0);
    assert_int_equal(tw_oui_vsets(t, 0x0A0005), 0);
    tw_tables_free(t);
    /* the options' registry overrides the configuration's */
    char err[512];
    struct tw_compile_opts o = {.oui_registry = "/nonexistent/oui.csv"};
    assert_int_equal(compile_err(y, NULL, &o, err, sizeof err), TW_ERR_IO);
    char want[256];
    snprintf(want, sizeof want, "/nonexistent/oui.csv: cannot read the OUI registry: %s", strerror(ENOENT));
    assert_string_equal(err, want);
    /* a vendor resolving to nothing */
    snprintf(y, sizeof y, "oui-registry: %s\nvendors:\n  ACME: {registry: acme}\n  NONE: {registry: [no such org]}\n",
             fixture);
    assert_int_equal(compile_err(y, NULL, NULL, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "t.yaml:4:3: vendor 'NONE' resolved to no OUI");
}

static int count_row(void *ctx, unsigned oui, const char *org)
{
    (void)oui;
    (void)org;
    ++*(int *)ctx;
    return 0;
}

static int stop_at_widget(void *ctx, unsigned oui, const char *org)
{
    if (oui == 0x0B0001) {
        strcpy(ctx, org);
        return 42;
    }
    return 0;
}

static char tmpf[64];

static void write_tmp(const char *text)
{
    snprintf(tmpf, sizeof tmpf, "/tmp/tw-reg-XXXXXX");
    int fd = mkstemp(tmpf);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void reg_err(const char *text, int code, unsigned line, unsigned col, const char *msg)
{
    char err[512], want[512];
    int n = 0;
    write_tmp(text);
    assert_int_equal(tw_oui_registry_read(tmpf, count_row, &n, err, sizeof err), code);
    snprintf(want, sizeof want, "%s:%u:%u: %s", tmpf, line, col, msg);
    assert_string_equal(err, want);
    unlink(tmpf);
}

static void test_registry_reader(void **st)
{
    (void)st;
    int n = 0;
    char err[256];
    assert_int_equal(tw_oui_registry_read(fixture, count_row, &n, err, sizeof err), 0);
    assert_int_equal(n, 9);
    char org[128] = "";
    assert_int_equal(tw_oui_registry_read(fixture, stop_at_widget, org, err, sizeof err), 42);
    assert_string_equal(org, "Widget \"Pro\" Systems");
    const char *H = "Registry,Assignment,Organization Name,Organization Address\n";
    char buf[512];
    reg_err("Reg,Assignment,Organization Name\n", TW_ERR_PARSE, 1, 1,
            "not an IEEE registry CSV (expected the header Registry,Assignment,Organization Name,...)");
    reg_err("", TW_ERR_PARSE, 1, 1, "empty OUI registry");
    snprintf(buf, sizeof buf, "%sMA-L,000001,\"Open quote\n", H);
    reg_err(buf, TW_ERR_PARSE, 2, 13, "unterminated quoted field");
    snprintf(buf, sizeof buf, "%sMA-L,000001,\"Name\"x,addr\n", H);
    reg_err(buf, TW_ERR_PARSE, 2, 19, "unexpected character after a quoted field");
    snprintf(buf, sizeof buf, "%sMA-L,000001\n", H);
    reg_err(buf, TW_ERR_PARSE, 2, 1, "expected at least 3 fields, found 2");
    snprintf(buf, sizeof buf, "%sMA-L,00001G,Bad hex,\n", H);
    reg_err(buf, TW_ERR_PARSE, 2, 1, "bad MA-L assignment '00001G' (expected 6 hex digits)");
    snprintf(buf, sizeof buf, "%sMA-L,0001,Short,\n", H);
    reg_err(buf, TW_ERR_PARSE, 2, 1, "bad MA-L assignment '0001' (expected 6 hex digits)");
    /* blank lines and MA-M rows with short assignments are fine */
    snprintf(buf, sizeof buf, "%s\nMA-M,0001AB2,M block,\nMA-L,000001,A,\n", H);
    write_tmp(buf);
    n = 0;
    assert_int_equal(tw_oui_registry_read(tmpf, count_row, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    unlink(tmpf);
}

/* Rows seen by the reader: the last OUI and organisation, a count and a checksum of every OUI. */
struct rows {
    int n;
    unsigned last, sum;
    char org[1100];
};

static int keep_row(void *ctx, unsigned oui, const char *org)
{
    struct rows *r = ctx;
    r->n++;
    r->last = oui;
    r->sum = r->sum * 31u + oui;
    snprintf(r->org, sizeof r->org, "%s", org);
    return 0;
}

static void reg_rows(const char *text, struct rows *r)
{
    char err[256];
    memset(r, 0, sizeof *r);
    write_tmp(text);
    assert_int_equal(tw_oui_registry_read(tmpf, keep_row, r, err, sizeof err), 0);
    unlink(tmpf);
}

/* The in-memory scanner's edges: CRLF lines, '\r' inside an unquoted field (dropped), a doubled quote, a field
 * longer than the reader keeps (cut to 1023 characters), no final newline, a quoted field spanning lines before
 * an error (the error's line and column count those lines), and a registry larger than the first read buffer. */
static void test_registry_reader_edges(void **st)
{
    (void)st;
    struct rows r;
    const char *H = "Registry,Assignment,Organization Name,Organization Address\r\n";
    char buf[4096];
    snprintf(buf, sizeof buf, "%sMA-L,000001,First Co,addr\r\nMA-L,000002,Se\rcond\r\r Co,addr\r\n", H);
    reg_rows(buf, &r);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.last, 2);
    assert_string_equal(r.org, "Second Co");
    snprintf(buf, sizeof buf, "%sMA-L,00000a,\"Quote \"\"Q\"\" Co\"\r\nMA-L,00000B,\"Last, Inc\"", H);
    reg_rows(buf, &r);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.last, 0xB);
    assert_string_equal(r.org, "Last, Inc");
    /* a 1,050-character name: the first 1,023 are kept */
    char *big = malloc(2000);
    assert_non_null(big);
    int k = snprintf(big, 2000, "%sMA-L,00000C,", H);
    memset(big + k, 'n', 1050);
    strcpy(big + k + 1050, ",addr\n");
    reg_rows(big, &r);
    free(big);
    assert_int_equal(r.n, 1);
    assert_int_equal(strlen(r.org), 1023);
    assert_int_equal(strspn(r.org, "n"), 1023);
    snprintf(buf, sizeof buf, "%sMA-L,000001,\"Multi\nline\nname\",a\nMA-L,000002,\"Bad\"x,a\n", H);
    reg_err(buf, TW_ERR_PARSE, 5, 18, "unexpected character after a quoted field");
    snprintf(buf, sizeof buf, "%sMA-L,000001,\"Multi\nline\",a\nMA-L,000002,\"open\n\n", H);
    reg_err(buf, TW_ERR_PARSE, 4, 13, "unterminated quoted field");
    /* 200,000 rows (~7 MB): more than the reader's first buffer */
    size_t cap = 200000 * 64 + 100, n = 0;
    char *huge = malloc(cap);
    assert_non_null(huge);
    n += (size_t)snprintf(huge, cap, "%s", H);
    unsigned want = 0;
    for (unsigned i = 0; i < 200000; i++) {
        unsigned oui = (i * 2654435761u) & 0xFFFFFF;
        want = want * 31u + oui;
        n += (size_t)snprintf(huge + n, cap - n, "MA-L,%06X,\"Org %u\",Somewhere %u\r\n", oui, i, i);
    }
    reg_rows(huge, &r);
    free(huge);
    assert_int_equal(r.n, 200000);
    assert_int_equal(r.sum, want);
    assert_string_equal(r.org, "Org 199999");
}

/* The reader's fast path for plain lines (oui.c, plain_line) against the CSV reader alone, on random registries of
 * plain, quoted, CRLF, blank, other-registry and bad lines: the same rows (every one, in order), the same result and
 * error message, and the same stop when the callback ends the read. */
static uint64_t reg_rng = 0x9E3779B97F4A7C15ull;
static unsigned reg_rnd(unsigned n)
{
    reg_rng ^= reg_rng << 13;
    reg_rng ^= reg_rng >> 7;
    reg_rng ^= reg_rng << 17;
    return (unsigned)(reg_rng >> 33) % n;
}

struct reg_seen {
    unsigned n, stop_at;
    uint64_t h;
};

static int reg_seen_row(void *ctx, unsigned oui, const char *org)
{
    struct reg_seen *r = ctx;
    r->h = (r->h ^ oui) * 0x100000001B3ull;
    for (const char *q = org; *q; q++)
        r->h = (r->h ^ (unsigned char)*q) * 0x100000001B3ull;
    r->h = (r->h ^ 0xFF) * 0x100000001B3ull;
    return ++r->n == r->stop_at ? 42 : 0;
}

static size_t reg_field(char *o, int quoted)
{
    static const char pieces[][8] = {"Co", " ", "Inc", ",", "\"\"", "\r", "\n", "x\"", "\t", "Ltd.", "\xc3\xa9", "a"};
    size_t n = 0;
    if (quoted)
        o[n++] = '"';
    for (unsigned k = reg_rnd(6); k; k--) {
        unsigned pc = quoted ? (unsigned[]){0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11}[reg_rnd(11)] : reg_rnd(4);
        if (reg_rnd(150) == 0)
            pc = 5 + reg_rnd(3); /* a '\r', a newline or a quote in the middle, now and then */
        n += (size_t)sprintf(o + n, "%s", pieces[pc]);
    }
    if (quoted)
        o[n++] = '"';
    return n;
}

static void test_registry_fast_path(void **st)
{
    (void)st;
    unsigned rows = 0, errors = 0, stops = 0;
    char *text = malloc(1 << 16);
    assert_non_null(text);
    for (int iter = 0; iter < 1000; iter++) {
        size_t n = (size_t)sprintf(text, "Registry,Assignment,Organization Name,Organization Address%s",
                                   reg_rnd(2) ? "\r\n" : "\n");
        unsigned lines = 1 + reg_rnd(30);
        int bad = reg_rnd(4) == 0;
        for (unsigned l = 0; l < lines; l++) {
            unsigned kind = reg_rnd(20);
            if (kind == 0) { /* blank */
                n += (size_t)sprintf(text + n, "%s", reg_rnd(2) ? "\r\n" : "\n");
                continue;
            }
            if (bad && reg_rnd(10) == 0) { /* "MA-L" and more after a NUL byte (the CSV reader's strcmp stops there) */
                memcpy(text + n, "MA-L\0x,", 7);
                n += 7;
            } else {
                n += (size_t)sprintf(text + n, "%s,", kind == 1 ? "MA-M" : kind == 2 ? "IAB" : "MA-L");
            }
            if (bad && reg_rnd(8) == 0)
                n += (size_t)sprintf(text + n, "%s",
                                     (const char *[]){"00001G", "0001", "\"00AB12\"", "", "00AB12F"}[reg_rnd(5)]);
            else
                n += (size_t)sprintf(text + n, "%06X", reg_rnd(1u << 24));
            if (bad && reg_rnd(10) == 0) { /* two fields only */
                n += (size_t)sprintf(text + n, "\n");
                continue;
            }
            text[n++] = ',';
            n += reg_field(text + n, reg_rnd(2));
            for (unsigned f = reg_rnd(3); f; f--) {
                text[n++] = ',';
                n += reg_field(text + n, reg_rnd(2));
            }
            if (bad && reg_rnd(12) == 0)
                text[n++] = reg_rnd(2) ? '"' : 0; /* an open quote or a NUL byte */
            if (l + 1 < lines || reg_rnd(2))
                n += (size_t)sprintf(text + n, "%s", reg_rnd(3) ? "\r\n" : "\n");
        }
        snprintf(tmpf, sizeof tmpf, "/tmp/tw-reg-XXXXXX");
        int fd = mkstemp(tmpf);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, n), (ssize_t)n);
        close(fd);
        unsigned stop = reg_rnd(4) == 0 ? 1 + reg_rnd(lines) : 0;
        struct reg_seen a = {0, stop, 0}, b = {0, stop, 0};
        char ea[512], eb[512];
        int ra = oui_registry_read(tmpf, reg_seen_row, &a, ea, sizeof ea, 1);
        int rb = oui_registry_read(tmpf, reg_seen_row, &b, eb, sizeof eb, 0);
        unlink(tmpf);
        if (ra != rb || a.n != b.n || a.h != b.h || (ra < 0 && strcmp(ea, eb)))
            fail_msg("registry %d: fast path %d (%u rows, %s), CSV reader %d (%u rows, %s)", iter, ra, a.n,
                     ra < 0 ? ea : "", rb, b.n, rb < 0 ? eb : "");
        rows += a.n;
        errors += ra < 0;
        stops += ra == 42;
    }
    free(text);
    /* every outcome occurs often */
    assert_true(rows > 5000 && errors > 100 && stops > 50);
}

/* A YAML vendor with n distinct pseudo-random OUIs; returns malloc'ed text and the OUIs. */
static char *vendor_yaml(size_t n, uint32_t *ouis, uint32_t seed)
{
    size_t cap = 64 + n * 12;
    char *y = malloc(cap);
    assert_non_null(y);
    size_t k = (size_t)snprintf(y, cap, "vendors:\n  V:\n    oui: [");
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        uint32_t o;
        int dup;
        do {
            x = x * 1664525u + 1013904223u;
            o = x >> 8;
            dup = 0;
            for (size_t j = 0; j < i && !dup; j++)
                dup = ouis[j] == o;
        } while (dup);
        ouis[i] = o;
        k += (size_t)snprintf(y + k, cap - k, "%s\"%06X\"", i ? "," : "", o);
    }
    snprintf(y + k, cap - k, "]\n");
    return y;
}

static void test_oui_full_table(void **st)
{
    (void)st;
    uint32_t *ouis = malloc((TW_CAP_OUI + 1) * sizeof *ouis);
    assert_non_null(ouis);
    char *y = vendor_yaml(TW_CAP_OUI, ouis, 7);
    struct tw_tables *t = compile_ok(y, NULL, NULL);
    free(y);
    assert_int_equal(t->settings.n_oui, TW_CAP_OUI);
    assert_int_equal(t->vendor[0].n_oui, TW_CAP_OUI);
    for (size_t i = 0; i < TW_CAP_OUI; i++)
        assert_int_equal(tw_oui_vsets(t, ouis[i]), 1);
    /* every OUI sits in one of its two buckets, once */
    size_t valid = 0;
    for (size_t i = 0; i < TW_OUI_ENTRIES; i++) {
        if (!t->oui[i].valid)
            continue;
        valid++;
        unsigned way = (unsigned)(i / TW_OUI_SLOTS / TW_OUI_BUCKETS), b = (unsigned)(i / TW_OUI_SLOTS % TW_OUI_BUCKETS);
        assert_int_equal(tw_oui_hash(t->oui[i].oui, way, TW_OUI_BUCKETS), b);
    }
    assert_int_equal(valid, TW_CAP_OUI);
    /* OUIs outside the set are not found */
    uint32_t x = 99;
    for (int i = 0; i < 20000; i++) {
        x = x * 22695477u + 1u;
        uint32_t o = x >> 8;
        int member = 0;
        for (size_t j = 0; j < TW_CAP_OUI && !member; j++)
            member = ouis[j] == o;
        if (!member)
            assert_int_equal(tw_oui_vsets(t, o), 0);
    }
    tw_tables_free(t);
    /* one more is a capacity error naming the vendor */
    y = vendor_yaml(TW_CAP_OUI + 1, ouis, 7);
    char err[512];
    assert_int_equal(compile_err(y, NULL, NULL, err, sizeof err), TW_ERR_CAPACITY);
    assert_string_equal(err, "t.yaml:2:3: OUI table full (4096 OUIs): vendor 'V' needs 1 more");
    free(y);
    /* a lower capacity through the options */
    y = vendor_yaml(10, ouis, 3);
    struct tw_compile_opts o = {.cap_oui = 8};
    assert_int_equal(compile_err(y, NULL, &o, err, sizeof err), TW_ERR_CAPACITY);
    assert_string_equal(err, "t.yaml:2:3: OUI table full (8 OUIs): vendor 'V' needs 2 more");
    free(y);
    /* 75% load of a small table still places (bucketized cuckoo with displacements) */
    y = vendor_yaml(48, ouis, 11);
    o = (struct tw_compile_opts){.oui_buckets = 16};
    t = compile_ok(y, NULL, &o);
    for (size_t i = 0; i < 48; i++)
        assert_int_equal(tw_oui_vsets(t, ouis[i]), 1);
    assert_int_equal(t->settings.oui_buckets, 16);
    tw_tables_free(t);
    free(y);
    free(ouis);
}

static void test_oui_cuckoo_failure(void **st)
{
    (void)st;
    /* five OUIs whose buckets are 0 in both ways of a 4-bucket table: only 4 slots can hold them */
    uint32_t found[5];
    int n = 0;
    for (uint32_t o = 1; n < 5 && o < 0x1000000; o++)
        if (tw_oui_hash(o, 0, 4) == 0 && tw_oui_hash(o, 1, 4) == 0)
            found[n++] = o;
    assert_int_equal(n, 5);
    char y[512], err[512], want[512];
    snprintf(y, sizeof y, "vendors:\n  V:\n    oui: [\"%06X\",\"%06X\",\"%06X\",\"%06X\",\"%06X\"]\n", found[0],
             found[1], found[2], found[3], found[4]);
    struct tw_compile_opts o = {.oui_buckets = 4};
    assert_int_equal(compile_err(y, NULL, &o, err, sizeof err), TW_ERR_CAPACITY);
    snprintf(want, sizeof want,
             "t.yaml:2:3: OUI table full: no place for %02X:%02X:%02X of vendor 'V' after 512 displacements "
             "(2 ways x 4 buckets x 2 slots, 4 OUIs placed)",
             found[4] >> 16, (found[4] >> 8) & 0xFF, found[4] & 0xFF);
    assert_string_equal(err, want);
    /* four fit */
    snprintf(y, sizeof y, "vendors:\n  V:\n    oui: [\"%06X\",\"%06X\",\"%06X\",\"%06X\"]\n", found[0], found[1],
             found[2], found[3]);
    struct tw_tables *t = compile_ok(y, NULL, &o);
    for (int i = 0; i < 4; i++)
        assert_int_equal(tw_oui_vsets(t, found[i]), 1);
    tw_tables_free(t);
    /* a geometry that is not a power of two */
    o.oui_buckets = 12;
    assert_int_equal(compile_err(y, NULL, &o, err, sizeof err), TW_ERR_INVAL);
    assert_string_equal(err, "OUI table: 12 buckets per way is not a power of two up to 2048");
    o.oui_buckets = 4096;
    assert_int_equal(compile_err(y, NULL, &o, err, sizeof err), TW_ERR_INVAL);
}

/* n rules; line i (1-based) is produced by fmt with i. */
static char *rules_text(int n, const char *fmt)
{
    size_t cap = (size_t)n * 200 + 1;
    char *r = malloc(cap), *p = r;
    assert_non_null(r);
    for (int i = 1; i <= n; i++)
        p += snprintf(p, cap - (size_t)(p - r), fmt, i, i, i);
    return r;
}

static void test_rule_capacities(void **st)
{
    (void)st;
    char err[512];
    const char *y = "vars: {}\n";
    char *r = rules_text(TW_CAP_RULES, "alert ip any any -> any any (sid:%d;)\n");
    struct tw_tables *t = compile_ok(y, r, NULL);
    assert_int_equal(t->settings.n_rules, TW_CAP_RULES);
    assert_int_equal(t->rule[255].sid, 256);
    tw_tables_free(t);
    free(r);
    r = rules_text(TW_CAP_RULES + 1, "alert ip any any -> any any (sid:%d;)\n");
    assert_int_equal(compile_err(y, r, NULL, err, sizeof err), TW_ERR_CAPACITY);
    assert_string_equal(err, "t.rules:257:1: rule table full (256 rules): rule sid 257 does not fit");
    free(r);
    /* address sets: one per rule */
    r = rules_text(TW_CAP_ADDR_SETS, "alert ip 10.0.%d.0/24 any -> any any (sid:%d;)\n");
    t = compile_ok(y, r, NULL);
    assert_int_equal(t->settings.n_addr_sets, TW_CAP_ADDR_SETS);
    tw_tables_free(t);
    free(r);
    r = rules_text(TW_CAP_ADDR_SETS + 1, "alert ip 10.0.%d.0/24 any -> any any (sid:%d;)\n");
    assert_int_equal(compile_err(y, r, NULL, err, sizeof err), TW_ERR_CAPACITY);
    assert_string_equal(err, "t.rules:33:1: address set table full (32 sets): rule sid 33 needs another");
    free(r);
    /* address prefixes: one list of 128, then 129 */
    char *list = malloc(129 * 24 + 64);
    assert_non_null(list);
    for (int total = TW_CAP_PREFIXES; total <= TW_CAP_PREFIXES + 1; total++) {
        char *p = list + sprintf(list, "alert ip [");
        for (int i = 0; i < total; i++)
            p += sprintf(p, "%s%s10.%d.%d.0/24", i ? "," : "", i % 2 ? "" : "", i / 100, i % 100);
        sprintf(p, "] any -> any any (sid:7;)\n");
        if (total == TW_CAP_PREFIXES) {
            t = compile_ok(y, list, NULL);
            assert_int_equal(t->settings.n_prefixes, TW_CAP_PREFIXES);
            assert_int_equal(t->settings.n_addr_sets, 1);
            tw_tables_free(t);
        } else {
            assert_int_equal(compile_err(y, list, NULL, err, sizeof err), TW_ERR_CAPACITY);
            assert_string_equal(err, "t.rules:1:1: address prefix table full (128 prefixes): rule sid 7 needs another");
        }
    }
    /* port ranges: one list of 64, then 65 */
    for (int total = TW_CAP_PORT_RANGES; total <= TW_CAP_PORT_RANGES + 1; total++) {
        char *p = list + sprintf(list, "alert tcp any any -> any [");
        for (int i = 0; i < total; i++)
            p += sprintf(p, "%s%d", i ? "," : "", 1000 + 2 * i);
        sprintf(p, "] (sid:8;)\n");
        if (total == TW_CAP_PORT_RANGES) {
            t = compile_ok(y, list, NULL);
            assert_int_equal(t->settings.n_port_ranges, TW_CAP_PORT_RANGES);
            tw_tables_free(t);
        } else {
            assert_int_equal(compile_err(y, list, NULL, err, sizeof err), TW_ERR_CAPACITY);
            assert_string_equal(err, "t.rules:1:1: port range table full (64 ranges): rule sid 8 needs another");
        }
    }
    free(list);
    /* port sets: one per rule, 16 then 17 */
    r = rules_text(TW_CAP_PORT_SETS, "alert udp any %d -> any any (sid:%d;)\n");
    t = compile_ok(y, r, NULL);
    assert_int_equal(t->settings.n_port_sets, TW_CAP_PORT_SETS);
    tw_tables_free(t);
    free(r);
    r = rules_text(TW_CAP_PORT_SETS + 1, "alert udp any %d -> any any (sid:%d;)\n");
    assert_int_equal(compile_err(y, r, NULL, err, sizeof err), TW_ERR_CAPACITY);
    assert_string_equal(err, "t.rules:17:1: port set table full (16 sets): rule sid 17 needs another");
    free(r);
}

/* ---- the image ---- */
static struct tw_tables *sample(void)
{
    const char *y = "vars:\n  address-groups:\n    H: \"[10.0.0.0/8,2001:db8::/32,!10.1.0.0/16]\"\n"
                    "vendors:\n  A: {oui: [\"00:00:01\", \"00:00:02\"]}\n  B: {oui: [\"00:00:02\"]}\n"
                    "detect: {evidence-bytes: 32, mirror-copy-window-ms: 5, alert-rate: 0, alert-burst: 3}\n";
    const char *r = "alert tcp $H 1000:2000 <> !$H [22,23] (msg:\"m\"; classtype:policy-violation; metadata:a b; "
                    "flags:S,CE; ttl:1-9; vlan.id:5,-1; src_vendor:A; dst_vendor:!B; tunnel:vxlan; inner; sid:1; "
                    "rev:2; threshold:type both, track by_rule, count 3, seconds 4;)\n"
                    "pass ip any any -> any any (volume: track by_dst, bytes 99999999999, seconds 9; mirror_copy; "
                    "sid:2;)\n";
    return compile_ok(y, r, NULL);
}

static void test_image_roundtrip(void **st)
{
    (void)st;
    struct tw_tables *t = sample();
    uint8_t *buf, *buf2;
    size_t len, len2;
    char err[256];
    assert_int_equal(tw_tables_encode(t, &buf, &len), 0);
    struct tw_tables *u;
    assert_int_equal(tw_tables_decode(buf, len, &u, err, sizeof err), 0);
    assert_int_equal(tw_tables_encode(u, &buf2, &len2), 0);
    assert_int_equal(len, len2);
    assert_memory_equal(buf, buf2, len);
    /* field by field, a few of each table */
    assert_int_equal(u->settings.evidence_bytes, 32);
    assert_int_equal(u->settings.mirror_window_ms, 5);
    assert_int_equal(u->settings.alert_rate, 0);
    assert_int_equal(u->settings.alert_burst, 3);
    assert_int_equal(u->settings.n_rules, 2);
    assert_int_equal(u->rule[0].thr_type, TW_THR_BOTH);
    assert_int_equal(u->rule[0].thr_track, TW_TRACK_RULE);
    assert_int_equal(u->rule[0].vlan_layer, TW_VL_M1);
    assert_int_equal(u->rule[0].flg_mask, 0x3F);
    assert_int_equal(u->rule[0].dv_not, 1);
    assert_int_equal(u->rule[0].src_ex_v, 1);
    assert_true(u->rule[1].vol_bytes == 99999999999ull);
    assert_int_equal(u->rule[1].action, TW_ACT_PASS);
    assert_string_equal(u->info[0].classtype, "policy-violation");
    assert_string_equal(u->info[0].metadata, "a b");
    assert_string_equal(u->vendor[1].name, "B");
    assert_int_equal(tw_oui_vsets(u, 2), 3);
    assert_memory_equal(u->prefix, t->prefix, sizeof t->prefix);
    assert_int_equal(u->port[1].hi, t->port[1].hi);
    /* through a file */
    char path[] = "/tmp/tw-img-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(tw_tables_write(t, path, err, sizeof err), 0);
    struct tw_tables *v;
    assert_int_equal(tw_tables_read(path, &v, err, sizeof err), 0);
    uint8_t *buf3;
    size_t len3;
    assert_int_equal(tw_tables_encode(v, &buf3, &len3), 0);
    assert_int_equal(len3, len);
    assert_memory_equal(buf3, buf, len);
    unlink(path);
    /* header fields, documented in docs/tables.md */
    assert_memory_equal(buf, "TWTB", 4);
    assert_int_equal(buf[4] | buf[5] << 8, TW_TABLES_VERSION);
    assert_int_equal(buf[8] | buf[9] << 8, 7);
    uint32_t crc = (uint32_t)buf[16] | (uint32_t)buf[17] << 8 | (uint32_t)buf[18] << 16 | (uint32_t)buf[19] << 24;
    memset(buf + 16, 0, 4);
    assert_int_equal(crc, crc_bitwise(0xEDB88320u, buf, len));
    free(buf);
    free(buf2);
    free(buf3);
    tw_tables_free(t);
    tw_tables_free(u);
    tw_tables_free(v);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void fix_crc(uint8_t *b, size_t len)
{
    memset(b + 16, 0, 4);
    put32(b + 16, crc_bitwise(0xEDB88320u, b, len));
}

static void decode_err(const uint8_t *b, size_t len, int code, const char *msg)
{
    struct tw_tables *t = (struct tw_tables *)1;
    char err[256];
    int rc = tw_tables_decode(b, len, &t, err, sizeof err);
    assert_null(t);
    if (rc != code || strcmp(err, msg))
        fail_msg("want (%d) %s\n got (%d) %s", code, msg, rc, err);
}

static void test_image_corruption(void **st)
{
    (void)st;
    struct tw_tables *t = sample();
    uint8_t *img, *b;
    size_t len;
    assert_int_equal(tw_tables_encode(t, &img, &len), 0);
    b = malloc(len + 64);
    assert_non_null(b);
    decode_err(img, 10, TW_ERR_PARSE, "table image: 10 bytes, shorter than its header");
    memcpy(b, img, len);
    b[0] = 'X';
    decode_err(b, len, TW_ERR_PARSE, "table image: bad magic (not a tapwatch table image)");
    memcpy(b, img, len);
    b[4] = 1; /* version 1 had no alert rate settings */
    decode_err(b, len, TW_ERR_VERSION, "table image: format version 1, this build reads version 2");
    char msg[128];
    snprintf(msg, sizeof msg, "table image: length fields do not match the image (%zu bytes)", len - 1);
    decode_err(img, len - 1, TW_ERR_PARSE, msg);
    memcpy(b, img, len);
    b[len - 1] ^= 1;
    decode_err(b, len, TW_ERR_CRC, "table image: CRC mismatch (corrupt image)");
    /* section table problems (with a correct CRC) */
    uint8_t *sec = b + 32;
    memcpy(b, img, len);
    put32(sec + 16 + 12, 6); /* OUI entry size */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: section 2 has 6-byte entries, expected 5");
    memcpy(b, img, len);
    put32(sec + 16 + 8, 100000); /* OUI count far too large */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: section 2 lies outside the image");
    memcpy(b, img, len);
    put32(sec + 16, 1); /* section 2 renamed to 1: twice */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: section 1 appears twice");
    memcpy(b, img, len);
    put32(sec + 16 * 6, 99); /* INFO renamed to an unknown id: skipped, so INFO is missing */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: section 7 missing");
    memcpy(b, img, len);
    put32(sec + 16 * 3 + 4, (uint32_t)(b[32 + 16 * 2 + 4] | b[32 + 16 * 2 + 5] << 8)); /* PORT at PREFIX's offset */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: sections 3 and 4 overlap");
    memcpy(b, img, len);
    b[8] = b[9] = 0xFF; /* 65535 sections: beyond the image */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: section table runs past the end");
    memcpy(b, img, len);
    put32(sec + 8, 0); /* no settings record */
    fix_crc(b, len);
    decode_err(b, len, TW_ERR_PARSE, "table image: settings section must hold one record");
    /* an extra section of an unknown id is skipped: rebuild the image with an 8th section */
    uint8_t *x = calloc(1, len + 20);
    assert_non_null(x);
    memcpy(x, img, 32 + 7 * 16);
    memcpy(x + 32 + 8 * 16, img + 32 + 7 * 16, len - (32 + 7 * 16));
    for (int k = 0; k < 7; k++) {
        uint8_t *e = x + 32 + 16 * k + 4;
        put32(e, (uint32_t)(e[0] | e[1] << 8 | e[2] << 16 | (uint32_t)e[3] << 24) + 16);
    }
    uint8_t *e8 = x + 32 + 16 * 7;
    put32(e8, 99);
    put32(e8 + 4, (uint32_t)len + 16);
    put32(e8 + 8, 1);
    put32(e8 + 12, 4);
    memcpy(x + len + 16, "junk", 4);
    x[8] = 8;
    put32(x + 12, (uint32_t)len + 20);
    fix_crc(x, len + 20);
    struct tw_tables *u;
    char err[256];
    assert_int_equal(tw_tables_decode(x, len + 20, &u, err, sizeof err), 0);
    uint8_t *again;
    size_t alen;
    assert_int_equal(tw_tables_encode(u, &again, &alen), 0);
    assert_int_equal(alen, len);
    assert_memory_equal(again, img, len);
    free(again);
    free(x);
    tw_tables_free(u);
    /* semantic corruption behind a valid CRC: a rule's set index beyond the sets in use */
    struct tw_tables *c = sample();
    c->rule[0].src_in = 31;
    uint8_t *bad;
    size_t blen;
    assert_int_equal(tw_tables_encode(c, &bad, &blen), TW_ERR_INVAL); /* the writer refuses it */
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "rule entry 0 (sid 1): field out of range");
    c->rule[0].src_in = t->rule[0].src_in;
    /* an OUI moved to a wrong bucket */
    size_t i;
    for (i = 0; !c->oui[i].valid; i++)
        ;
    size_t j = (i + TW_OUI_SLOTS) % TW_OUI_ENTRIES;
    assert_false(c->oui[j].valid);
    c->oui[j] = c->oui[i];
    memset(&c->oui[i], 0, sizeof c->oui[i]);
    snprintf(msg, sizeof msg, "OUI entry %zu: %06X is not in its bucket", j, (unsigned)c->oui[j].oui);
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, msg);
    c->oui[i] = c->oui[j];
    memset(&c->oui[j], 0, sizeof c->oui[j]);
    assert_int_equal(tw_tables_validate(c, err, sizeof err), 0);
    c->settings.n_oui++;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "OUI table holds 2 entries, settings say 3");
    c->settings.n_oui--;
    c->settings.oui_buckets = 3;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "OUI table: 3 buckets per way is not a power of two up to 2048");
    c->settings.oui_buckets = TW_OUI_BUCKETS;
    c->prefix[0].addr[15] = 1; /* a host bit */
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "prefix entry 0: bits set beyond the prefix length");
    c->prefix[0].addr[15] = 0;
    c->port[0].lo = 60000;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "port entry 0: invalid");
    c->port[0].lo = t->port[0].lo;
    c->rule[5].sid = 3; /* beyond n_rules */
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "rule entry 5: unused entry not zero");
    c->rule[5].sid = 0;
    c->settings.evidence_bytes = 200;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "evidence bytes 200 above 128");
    c->settings.evidence_bytes = 0;
    c->settings.alert_rate = TW_MAX_ALERT_RATE + 1;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "alert rate 1000000001 above 1000000000 per second");
    c->settings.alert_rate = 10;
    c->settings.alert_burst = 0; /* a rate needs a burst of at least one */
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "alert burst 0 not within 1..1000000");
    c->settings.alert_burst = TW_MAX_ALERT_BURST + 1;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "alert burst 1000001 not within 1..1000000");
    c->settings.alert_rate = 0; /* no limit: the burst does not matter */
    c->settings.alert_burst = 0;
    assert_int_equal(tw_tables_validate(c, err, sizeof err), 0);
    c->settings.alert_rate = t->settings.alert_rate;
    c->settings.alert_burst = t->settings.alert_burst;
    c->info[1].msg[TW_MSG_MAX - 1] = 'x';
    memset(c->info[1].msg, 'x', TW_MSG_MAX);
    assert_int_equal(tw_tables_validate(c, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "rule entry 1: host strings not terminated");
    memset(c->info[1].msg, 0, TW_MSG_MAX);
    assert_int_equal(tw_tables_validate(c, err, sizeof err), 0);
    /* more invariants */
    struct tw_tables *w = sample();
    w->settings.n_rules = TW_CAP_RULES + 1;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "a table count exceeds its capacity");
    w->settings.n_rules = 2;
    size_t vi;
    for (vi = 0; !w->oui[vi].valid; vi++)
        ;
    w->oui[vi].vset = 0x80; /* a vendor set not in use */
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    snprintf(msg, sizeof msg, "OUI entry %zu: vendor sets 0x80 not in use", vi);
    assert_string_equal(err, msg);
    w->oui[vi].vset = 1;
    /* the same OUI in its other way's bucket */
    unsigned way = (unsigned)(vi / TW_OUI_SLOTS / TW_OUI_BUCKETS);
    size_t other = ((size_t)(1 - way) * TW_OUI_BUCKETS + tw_oui_hash(w->oui[vi].oui, 1 - way, TW_OUI_BUCKETS)) *
                   TW_OUI_SLOTS;
    if (w->oui[other].valid)
        other++;
    assert_false(w->oui[other].valid);
    w->oui[other] = w->oui[vi];
    w->settings.n_oui++;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    snprintf(msg, sizeof msg, "OUI %06X stored twice", (unsigned)w->oui[vi].oui);
    assert_string_equal(err, msg);
    memset(&w->oui[other], 0, sizeof w->oui[other]);
    w->settings.n_oui--;
    w->oui[other].vset = 1; /* an invalid entry with content */
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    snprintf(msg, sizeof msg, "OUI entry %zu: unused entry not zero", other);
    assert_string_equal(err, msg);
    w->oui[other].vset = 0;
    w->vendor[0].name[0] = 0;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "vendor set 0: bad name");
    strcpy(w->vendor[0].name, "A");
    w->vendor[5].n_oui = 1;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "vendor set 5: unused entry not zero");
    w->vendor[5].n_oui = 0;
    w->prefix[0].len = 40; /* an IPv4 prefix longer than 32 */
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "prefix entry 0: invalid");
    w->prefix[0].len = t->prefix[0].len;
    w->prefix[100].valid = 1;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "prefix entry 100: unused entry not zero");
    w->prefix[100].valid = 0;
    w->port[63].hi = 1;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), TW_ERR_PARSE);
    assert_string_equal(err, "port entry 63: unused entry not zero");
    w->port[63].hi = 0;
    assert_int_equal(tw_tables_validate(w, err, sizeof err), 0);
    assert_int_equal(tw_tables_write(w, "/tmp/never-written", err, sizeof err), 0);
    unlink("/tmp/never-written");
    w->rule[0].prio = 0;
    assert_int_equal(tw_tables_write(w, "/tmp/never-written", err, sizeof err), TW_ERR_INVAL);
    assert_string_equal(err, "/tmp/never-written: refusing to write an invalid image: rule entry 0 (sid 1): field out "
                             "of range");
    assert_int_equal(access("/tmp/never-written", F_OK), -1);
    tw_tables_free(w);
    /* host strings without their NUL inside the image */
    {
        uint8_t *im;
        size_t il;
        assert_int_equal(tw_tables_encode(t, &im, &il), 0);
        const uint8_t *s6 = im + 32 + 16 * 5, *s7 = im + 32 + 16 * 6;
        size_t voff = (size_t)(s6[4] | s6[5] << 8 | s6[6] << 16), ioff = (size_t)(s7[4] | s7[5] << 8 | s7[6] << 16);
        memset(im + voff, 'v', TW_NAME_MAX);
        fix_crc(im, il);
        decode_err(im, il, TW_ERR_PARSE, "table image: vendor name 0 not terminated");
        free(im);
        assert_int_equal(tw_tables_encode(t, &im, &il), 0);
        memset(im + ioff + 640 + TW_MSG_MAX, 'c', TW_NAME_MAX); /* rule 1's classtype */
        fix_crc(im, il);
        decode_err(im, il, TW_ERR_PARSE, "table image: rule 1 text not terminated");
        free(im);
    }
    /* a corrupt rule field behind a recomputed CRC is caught by the reader */
    c->rule[1].vol_track = TW_TRACK_FLOW;
    assert_int_equal(tw_tables_encode(c, &bad, &blen), 0);
    /* patch the packed vol_track of rule 1 to 7 (out of range) */
    const uint8_t *s5 = bad + 32 + 16 * 4;
    size_t roff = (size_t)(s5[4] | s5[5] << 8 | s5[6] << 16) + TW_RE_BYTES;
    for (unsigned k = 0; k < TW_RE_VOL_TRACK_W; k++) {
        unsigned p = TW_RE_VOL_TRACK_LSB + k;
        bad[roff + p / 8] |= (uint8_t)(1u << (p % 8));
    }
    fix_crc(bad, blen);
    decode_err(bad, blen, TW_ERR_PARSE, "table image: rule entry 1 (sid 2): field out of range");
    free(bad);
    tw_tables_free(c);
    /* file errors */
    char want[256];
    assert_int_equal(tw_tables_read("/nonexistent/img", &u, err, sizeof err), TW_ERR_IO);
    snprintf(want, sizeof want, "/nonexistent/img: %s", strerror(ENOENT));
    assert_string_equal(err, want);
    assert_int_equal(tw_tables_write(t, "/nonexistent/img", err, sizeof err), TW_ERR_IO);
    assert_string_equal(err, want);
    /* a device that takes no bytes (Linux's /dev/full): the buffered write fails at fclose, named */
    assert_int_equal(tw_tables_write(t, "/dev/full", err, sizeof err), TW_ERR_IO);
    snprintf(want, sizeof want, "/dev/full: %s", strerror(ENOSPC));
    assert_string_equal(err, want);
    char path[] = "/tmp/tw-img-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "TWTB", 4), 4);
    close(fd);
    assert_int_equal(tw_tables_read(path, &u, err, sizeof err), TW_ERR_PARSE);
    snprintf(want, sizeof want, "%s: table image: 4 bytes, shorter than its header", path);
    assert_string_equal(err, want);
    unlink(path);
    /* a file larger than any image is refused without reading it all */
    char big[] = "/tmp/tw-big-XXXXXX";
    fd = mkstemp(big);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)80 << 20), 0);
    close(fd);
    assert_int_equal(tw_tables_read(big, &u, err, sizeof err), TW_ERR_PARSE);
    snprintf(want, sizeof want, "%s: larger than any table image", big);
    assert_string_equal(err, want);
    unlink(big);
    free(b);
    free(img);
    tw_tables_free(t);
}

static void test_packing(void **st)
{
    (void)st;
    struct tw_rule_entry r, r2;
    memset(&r, 0, sizeof r);
    r.sid = 0xDEADBEEF;
    r.vol_bytes = 0xABCDEF012345ull;
    r.prio = 0x81;
    uint8_t bits[TW_RE_BYTES];
    tw_rule_entry_pack(&r, bits);
    uint64_t sid = 0, prio = 0, vb = 0;
    for (unsigned k = 0; k < 32; k++)
        sid |= (uint64_t)((bits[(TW_RE_SID_LSB + k) / 8] >> ((TW_RE_SID_LSB + k) % 8)) & 1) << k;
    for (unsigned k = 0; k < 8; k++)
        prio |= (uint64_t)((bits[(TW_RE_PRIO_LSB + k) / 8] >> ((TW_RE_PRIO_LSB + k) % 8)) & 1) << k;
    for (unsigned k = 0; k < 48; k++)
        vb |= (uint64_t)((bits[(TW_RE_VOL_BYTES_LSB + k) / 8] >> ((TW_RE_VOL_BYTES_LSB + k) % 8)) & 1) << k;
    assert_int_equal(sid, 0xDEADBEEF);
    assert_int_equal(prio, 0x81);
    assert_true(vb == 0xABCDEF012345ull);
    tw_rule_entry_unpack(bits, &r2);
    assert_int_equal(r2.sid, r.sid);
    assert_true(r2.vol_bytes == r.vol_bytes);
    /* the prefix address is wire order: its first byte holds the field's top bits */
    struct tw_prefix_entry p = {0}, p2;
    p.addr[0] = 0x80;
    p.len = 1;
    uint8_t pb[TW_PE_BYTES];
    tw_prefix_entry_pack(&p, pb);
    unsigned top = TW_PE_ADDR_LSB + TW_PE_ADDR_W - 1;
    assert_int_equal((pb[top / 8] >> (top % 8)) & 1, 1);
    tw_prefix_entry_unpack(pb, &p2);
    assert_memory_equal(p2.addr, p.addr, 16);
    /* values wider than a field are cut to it */
    struct tw_oui_entry o = {1, 0x1234567, 0xFF}, o2;
    uint8_t ob[TW_OE_BYTES];
    tw_oui_entry_pack(&o, ob);
    tw_oui_entry_unpack(ob, &o2);
    assert_int_equal(o2.oui, 0x234567);
    assert_int_equal(o2.vset, 0xFF);
    struct tw_port_entry pt = {1, 10, 20, 0x8001}, pt2;
    uint8_t ptb[TW_PT_BYTES];
    tw_port_entry_pack(&pt, ptb);
    tw_port_entry_unpack(ptb, &pt2);
    assert_int_equal(pt2.hi, 20);
    assert_int_equal(pt2.sets, 0x8001);
    struct tw_settings s = {0}, s2;
    s.flow_hard_timeout_s = 600;
    s.n_oui = 4096;
    uint8_t sb[TW_ST_BYTES];
    tw_settings_pack(&s, sb);
    tw_settings_unpack(sb, &s2);
    assert_int_equal(s2.flow_hard_timeout_s, 600);
    assert_int_equal(s2.n_oui, 4096);
}

int main(void)
{
    find_fixture();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_reference),
        cmocka_unit_test(test_registry_fixture),
        cmocka_unit_test(test_registry_reader),
        cmocka_unit_test(test_registry_reader_edges),
        cmocka_unit_test(test_registry_fast_path),
        cmocka_unit_test(test_oui_full_table),
        cmocka_unit_test(test_oui_cuckoo_failure),
        cmocka_unit_test(test_rule_capacities),
        cmocka_unit_test(test_image_roundtrip),
        cmocka_unit_test(test_image_corruption),
        cmocka_unit_test(test_packing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
