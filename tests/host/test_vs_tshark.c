/* The C reference dissector against tshark on every Ethernet capture of the shared corpus (../shared/captures, or
 * TAPWATCH_CAPTURES=DIR) and every generated capture (build/captures, or TAPWATCH_GEN_CAPTURES=DIR).
 * tshark runs once per file, two files at a time; each frame's record is compared key by key (tests/common/
 * tshark_cmp.c). Explained differences (docs/parser.md, "Differences from tshark") are counted by class; any other
 * difference fails the test and is listed in the log. Skips with a message when tshark or a folder is absent. */
#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tapwatch/dissect.h"
#include "tshark_cmp.h"

struct names {
    char **v;
    size_t n, cap;
};

static int add_name(struct names *l, const char *s)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n] = strdup(s);
    if (!l->v[l->n])
        return -ENOMEM;
    l->n++;
    return 0;
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

/* Capture files under dir, recursively. */
static void walk(const char *dir, struct names *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 4) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            walk(p, out, depth + 1);
        else if (S_ISREG(sb.st_mode) && is_capture(e->d_name))
            assert_int_equal(add_name(out, p), 0);
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct job {
    const char *path;
    struct twc_file *tf;
    int err;
};

/* Dissects every frame of path and compares with tshark's rows. Returns unexplained mismatches. */
static unsigned long compare_file(const char *path, struct twc_file *tf, struct twc_stats *st, FILE *log)
{
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, eb);
    if (!p) {
        fprintf(log, "FAILED %s: %s\n", path, eb);
        st->files_failed++;
        return 1;
    }
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    struct pcap_pkthdr *h;
    const u_char *data;
    size_t idx = 0;
    unsigned long bad = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        struct tw_meta m;
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000ull;
        tw_dissect(&cfg, data, h->caplen, 0, ts, 0, (uint32_t)idx, &m);
        if (idx < twc_frames(tf))
            bad += twc_compare(tf, idx, &m, data, h->caplen, st, log);
        idx++;
    }
    /* a damaged file: tshark and libpcap may stop at different places; what both read was compared */
    if (idx != twc_frames(tf)) {
        fprintf(log, "NOTE %s: libpcap read %zu frames, tshark %zu (%s)\n", path, idx, twc_frames(tf),
                rc == -1 ? pcap_geterr(p) : "end of file");
        st->frame_count_mismatch++;
    }
    pcap_close(p);
    st->files++;
    return bad;
}

static int link_type(const char *path)
{
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, eb);
    if (!p)
        return -1;
    int dl = pcap_datalink(p);
    pcap_close(p);
    return dl;
}

static unsigned long run_dir(const char *dir, struct twc_stats *st, FILE *log)
{
    struct names l = {0};
    walk(dir, &l, 0);
    if (l.n)
        qsort(l.v, l.n, sizeof *l.v, cmp_str);
    unsigned long bad = 0;
    struct names eth = {0};
    for (size_t i = 0; i < l.n; i++) {
        int dl = link_type(l.v[i]);
        if (dl == DLT_EN10MB) {
            assert_int_equal(add_name(&eth, l.v[i]), 0);
        } else if (dl < 0) {
            fprintf(log, "SKIP %s: libpcap cannot open it\n", l.v[i]);
            st->files_failed++;
        } else {
            fprintf(log, "SKIP %s: link type %s\n", l.v[i], pcap_datalink_val_to_name(dl));
            st->files_skipped_linktype++;
        }
    }
    for (size_t i = 0; i < eth.n; i += 2) {
        struct job j[2] = {{eth.v[i], NULL, 0}, {i + 1 < eth.n ? eth.v[i + 1] : NULL, NULL, 0}};
        for (int k = 0; k < 2; k++)
            if (j[k].path)
                j[k].tf = twc_tshark_start(j[k].path, &j[k].err);
        for (int k = 0; k < 2; k++) {
            if (!j[k].path)
                continue;
            if (j[k].tf && (j[k].err = twc_tshark_finish(j[k].tf)) == 0) {
                bad += compare_file(j[k].path, j[k].tf, st, log);
            } else {
                fprintf(log, "FAILED %s: tshark (%d)\n", j[k].path, j[k].err);
                st->files_failed++;
                bad++;
            }
            twc_free(j[k].tf);
        }
    }
    free_names(&eth);
    free_names(&l);
    return bad;
}

static int dir_exists(const char *d)
{
    struct stat sb;
    return stat(d, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void run_corpus(const char *env, const char *def, const char *what)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *dir = getenv(env);
    if (!dir || !*dir)
        dir = def;
    if (!twc_tshark_available()) {
        printf("skip: tshark not found (install tshark or set TSHARK)\n");
        skip();
    }
    if (!dir_exists(dir)) {
        printf("skip: %s folder %s absent (set %s=DIR)\n", what, dir, env);
        skip();
    }
    struct twc_stats st;
    memset(&st, 0, sizeof st);
    unsigned long bad = run_dir(dir, &st, stdout);
    printf("%s (%s):\n", what, dir);
    twc_summary(&st, stdout);
    assert_true(st.files > 0);
    assert_int_equal(st.files_failed, 0);
    assert_int_equal(bad, 0);
}

static void test_shared_corpus(void **state)
{
    (void)state;
    run_corpus("TAPWATCH_CAPTURES", "../shared/captures", "shared corpus");
}

static void test_generated(void **state)
{
    (void)state;
    run_corpus("TAPWATCH_GEN_CAPTURES", "build/captures", "generated captures");
}

/* The comparison must fail on wrong records: corrupt one field of a correct record at a time and expect exactly
 * that key to be reported, also when error bits that open exceptions are set. Uses a generated capture. */
static void test_comparison_catches_wrong_records(void **state)
{
    (void)state;
    const char *dir = getenv("TAPWATCH_GEN_CAPTURES");
    char path[4096];
    snprintf(path, sizeof path, "%s/gen-gtpu-ext.pcap", dir && *dir ? dir : "build/captures");
    if (!twc_tshark_available()) {
        printf("skip: tshark not found (install tshark or set TSHARK)\n");
        skip();
    }
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, eb);
    if (!p) {
        printf("skip: %s absent (make captures)\n", path);
        skip();
    }
    int err = 0;
    struct twc_file *tf = twc_tshark_read(path, &err);
    assert_non_null(tf);
    struct pcap_pkthdr *h;
    const u_char *data;
    assert_int_equal(pcap_next_ex(p, &h, &data), 1); /* frame 1: IPv4 / UDP / GTP-U (QFI 5) / IPv4 / UDP */
    struct tw_meta good, m;
    tw_dissect(NULL, data, h->caplen, 0, 0, 0, 0, &good);
    struct twc_stats st;
    memset(&st, 0, sizeof st);
    assert_int_equal(twc_compare(tf, 0, &good, data, h->caplen, &st, stdout), 0);
    assert_true(st.fields >= 20);

    struct {
        enum twc_key key;
        unsigned field;
        uint16_t err; /* error bits set too: they must not excuse a wrong value */
    } cases[] = {
        {TWC_LEN, 0, 0},           {TWC_ETH_SRC, 1, 0},        {TWC_IP_SRC, 2, 1u << TW_ERR_TRUNC},
        {TWC_IP_TTL, 3, 0},        {TWC_IP_ID, 4, 1u << TW_ERR_DEEP}, {TWC_L4_DPORT, 5, 0},
        {TWC_TUNNEL, 6, 0},        {TWC_TUNNEL_ID, 7, 1u << TW_ERR_TRUNC}, {TWC_GTP_QFI, 8, 0},
        {TWC_I_IP_DST, 9, (1u << TW_ERR_TRUNC) | (1u << TW_ERR_INNER)}, {TWC_I_L4_SPORT, 10, 0},
        {TWC_I_IP_PROTO, 11, (1u << TW_ERR_DEEP) | (1u << TW_ERR_INNER)}, {TWC_VLAN, 12, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        m = good;
        m.err |= cases[i].err;
        switch (cases[i].field) {
        case 0: m.len++; break;
        case 1: m.o_smac ^= 1; break;
        case 2: m.o_ip_src[15] ^= 1; break;
        case 3: m.o_ip_ttl++; break;
        case 4: m.o_ip_id++; break;
        case 5: m.o_dport++; break;
        case 6: m.tun_kind = TW_TUN_VXLAN; break;
        case 7: m.tun_id++; break;
        case 8: m.gtp_qfi++; break;
        case 9: m.i_ip_dst[15] ^= 1; break;
        case 10: m.i_sport++; break;
        case 11: m.i_ip_proto = 6; break;
        default: m.o_vlan_n = 1; m.o_vlan0_tci = 100; break;
        }
        struct twc_stats s2;
        memset(&s2, 0, sizeof s2);
        unsigned bad = twc_compare(tf, 0, &m, data, h->caplen, &s2, NULL);
        printf("corrupted %s: %u mismatch(es)\n", twc_key_name(cases[i].key), bad);
        assert_true(bad >= 1);
        assert_int_equal(s2.mismatch[cases[i].key], 1);
    }
    twc_free(tf);
    pcap_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comparison_catches_wrong_records),
        cmocka_unit_test(test_generated),
        cmocka_unit_test(test_shared_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
