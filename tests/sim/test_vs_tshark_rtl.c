/* The RTL parser against tshark: the acceptance check of docs/parser.md for the hardware. Every frame of every
 * Ethernet capture of the shared corpus (../shared/captures, or TAPWATCH_CAPTURES=DIR) and of the generated captures
 * (build/captures, or TAPWATCH_GEN_CAPTURES=DIR) goes through the Verilated tap + parser (twsim, serial mode, port A,
 * ts = capture time); each record is compared with tshark's view of its frame by the same code and the same named
 * exceptions as the dissector's comparison (tests/common/tshark_cmp.c, docs/parser.md "Differences from tshark").
 * Frames of 0 captured bytes (a MAC never delivers one) or longer than TWSIM_MAX_FRAME are counted and not fed.
 * A frame without a record, or a record without a frame, is a failure too, and so is any field of any record that
 * differs from the C reference dissector's record for the same bytes (docs/parser.md is one spec for both).
 * Skips with a message when tshark or a folder is absent. */
#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tapwatch/dissect.h"
#include "tshark_cmp.h"
#include "twsim.h"

/* Record for record against the C reference dissector: every field of contracts/meta.def. Returns the number of
 * differing fields, each logged and counted by field (the first 20 frames per file are logged). */
struct field_diff {
    const char *name;
    unsigned long n;
};
#define DIFF_NAME(f, lsb, w) {#f, 0},
static struct field_diff g_diff[] = {TW_META_FIELDS(DIFF_NAME)};
#define NFIELDS (sizeof g_diff / sizeof g_diff[0])

static unsigned diff_records(const char *path, size_t idx, const struct tw_meta *rtl, const struct tw_meta *ref,
                             int log)
{
    unsigned bad = 0, i = 0;
#define DIFF_ONE(f, lsb, w)                                                                                        \
    if (memcmp(&rtl->f, &ref->f, sizeof rtl->f) != 0) {                                                            \
        g_diff[i].n++;                                                                                             \
        bad++;                                                                                                     \
        if (log)                                                                                                   \
            printf("DIFFER %s frame %zu: field %s differs from the dissector\n", path, idx + 1, #f);              \
    }                                                                                                              \
    i++;
    TW_META_FIELDS(DIFF_ONE)
#undef DIFF_ONE
    return bad;
}

struct names {
    char **v;
    size_t n, cap;
};

static void add_name(struct names *l, const char *s)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        char **nv = realloc(l->v, nc * sizeof *nv);
        assert_non_null(nv);
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n] = strdup(s);
    assert_non_null(l->v[l->n]);
    l->n++;
}

static void free_names(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int is_capture(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && strcmp(n + l - 5, ".pcap") == 0) || (l > 7 && strcmp(n + l - 7, ".pcapng") == 0);
}

static void walk(const char *dir, struct names *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth < 4)
            walk(p, out, depth + 1);
        else if (S_ISREG(sb.st_mode) && is_capture(e->d_name))
            add_name(out, p);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct frames {
    uint8_t **data;
    size_t *len;
    size_t n, cap;
};

static void free_frames(struct frames *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->data[i]);
    free(f->data);
    free(f->len);
}

/* Runs the file's frames through the model and compares each record with tshark's row. */
static unsigned long rtl_file(const char *path, struct twc_file *tf, struct twc_stats *st, unsigned long *missing,
                              unsigned long *oversize, unsigned long *differ)
{
    struct tw_dissect_cfg dcfg;
    tw_dissect_cfg_default(&dcfg);
    unsigned logged = 0;
    uint64_t *tss = NULL;
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, eb);
    if (!p) {
        printf("FAILED %s: %s\n", path, eb);
        st->files_failed++;
        return 1;
    }
    struct twsim_cfg cfg;
    twsim_cfg_default(&cfg);
    cfg.serial = 1;
    cfg.keep_records = 1;
    cfg.gap_pct = 0;
    cfg.out_bp_pct = 0;
    cfg.meta_bp_pct = 0;
    struct twsim *s = NULL;
    assert_int_equal(twsim_new(&s, &cfg), 0);
    struct frames fr = {0};
    struct pcap_pkthdr *h;
    const u_char *d;
    while (pcap_next_ex(p, &h, &d) == 1) {
        if (fr.n == fr.cap) {
            size_t nc = fr.cap ? fr.cap * 2 : 64;
            uint8_t **nd = realloc(fr.data, nc * sizeof *nd);
            assert_non_null(nd);
            fr.data = nd;
            size_t *nl = realloc(fr.len, nc * sizeof *nl);
            assert_non_null(nl);
            fr.len = nl;
            fr.cap = nc;
        }
        fr.len[fr.n] = h->caplen;
        fr.data[fr.n] = malloc(h->caplen ? h->caplen : 1);
        assert_non_null(fr.data[fr.n]);
        memcpy(fr.data[fr.n], d, h->caplen);
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000ull;
        uint64_t *nt = realloc(tss, fr.cap * sizeof *nt);
        assert_non_null(nt);
        tss = nt;
        tss[fr.n] = ts;
        if (h->caplen == 0 || h->caplen > TWSIM_MAX_FRAME)
            (*oversize)++;
        else
            assert_int_equal(twsim_push(s, 0, d, h->caplen, 0, ts, fr.n), 0);
        fr.n++;
    }
    pcap_close(p);
    assert_int_equal(twsim_run(s, 0), 0);
    size_t nr;
    const struct twsim_rec *rec = twsim_records(s, &nr);
    unsigned long bad = 0;
    uint8_t *seen = calloc(fr.n ? fr.n : 1, 1);
    assert_non_null(seen);
    for (size_t i = 0; i < nr; i++) {
        uint64_t idx = rec[i].tag;
        if (idx >= fr.n || seen[idx]) {
            printf("MISMATCH %s: record %zu matches no frame (tag %llu)\n", path, i, (unsigned long long)idx);
            bad++;
            continue;
        }
        seen[idx] = 1;
        struct tw_meta ref;
        tw_dissect(&dcfg, fr.data[idx], fr.len[idx], 0, tss[idx], rec[i].m.port, rec[i].m.fseq, &ref);
        unsigned d = diff_records(path, idx, &rec[i].m, &ref, logged < 20);
        if (d) {
            logged++;
            (*differ)++;
        }
        if (idx < twc_frames(tf))
            bad += twc_compare(tf, idx, &rec[i].m, fr.data[idx], fr.len[idx], st, stdout);
    }
    for (size_t i = 0; i < fr.n; i++) {
        if (!seen[i] && fr.len[i] > 0 && fr.len[i] <= TWSIM_MAX_FRAME) {
            printf("MISMATCH %s frame %zu: no record\n", path, i + 1);
            (*missing)++;
            bad++;
        }
    }
    if (fr.n != twc_frames(tf))
        st->frame_count_mismatch++;
    free(seen);
    free(tss);
    free_frames(&fr);
    twsim_free(s);
    st->files++;
    return bad;
}

static void run_corpus(const char *env, const char *def, const char *what)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *dir = getenv(env);
    if (!dir || !*dir)
        dir = def;
    struct stat sb;
    if (!twc_tshark_available()) {
        printf("skip: tshark not found (install tshark or set TSHARK)\n");
        skip();
    }
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        printf("skip: %s folder %s absent (set %s=DIR)\n", what, dir, env);
        skip();
    }
    struct names all = {0}, eth = {0};
    walk(dir, &all, 0);
    if (all.n)
        qsort(all.v, all.n, sizeof *all.v, cmp_str);
    struct twc_stats st;
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < all.n; i++) {
        char eb[PCAP_ERRBUF_SIZE];
        pcap_t *p = pcap_open_offline(all.v[i], eb);
        if (!p) {
            st.files_failed++;
            continue;
        }
        if (pcap_datalink(p) == DLT_EN10MB)
            add_name(&eth, all.v[i]);
        else
            st.files_skipped_linktype++;
        pcap_close(p);
    }
    unsigned long bad = 0, missing = 0, oversize = 0, differ = 0;
    for (size_t k = 0; k < NFIELDS; k++)
        g_diff[k].n = 0;
    for (size_t i = 0; i < eth.n; i += 2) { /* tshark on two files at a time (cached after the first run) */
        struct twc_file *tf[2] = {NULL, NULL};
        int err[2] = {0, 0};
        for (size_t k = 0; k < 2 && i + k < eth.n; k++)
            tf[k] = twc_tshark_start(eth.v[i + k], &err[k]);
        for (size_t k = 0; k < 2 && i + k < eth.n; k++) {
            if (tf[k] && (err[k] = twc_tshark_finish(tf[k])) == 0) {
                bad += rtl_file(eth.v[i + k], tf[k], &st, &missing, &oversize, &differ);
            } else {
                printf("FAILED %s: tshark (%d)\n", eth.v[i + k], err[k]);
                st.files_failed++;
                bad++;
            }
            twc_free(tf[k]);
        }
    }
    printf("%s (%s), RTL records:\n", what, dir);
    twc_summary(&st, stdout);
    printf("  frames without a record %lu, frames not fed (0 bytes captured, or longer than the model takes) %lu\n",
           missing, oversize);
    printf("  records that differ from the C dissector %lu\n", differ);
    for (size_t k = 0; k < NFIELDS; k++)
        if (g_diff[k].n)
            printf("    field %-16s %lu\n", g_diff[k].name, g_diff[k].n);
    free_names(&eth);
    free_names(&all);
    assert_true(st.files > 0);
    assert_int_equal(bad, 0);
    assert_int_equal(differ, 0);
}

static void test_rtl_generated(void **state)
{
    (void)state;
    run_corpus("TAPWATCH_GEN_CAPTURES", "build/captures", "generated captures");
}

static void test_rtl_shared_corpus(void **state)
{
    (void)state;
    run_corpus("TAPWATCH_CAPTURES", "../shared/captures", "shared corpus");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rtl_generated),
        cmocka_unit_test(test_rtl_shared_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
