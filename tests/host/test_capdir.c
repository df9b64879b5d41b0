/* tests/common/capdir.c, the capture-folder listing the corpus tests share: nested folders, only *.pcap / *.pcapng /
 * *.cap regular files, symbolic links not followed, sorted by path; a missing folder is an error; only Ethernet
 * captures are opened, the rest counted. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "capdir.h"

static char g_root[64];

static void put(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", g_root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", g_root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static void rm_tree(const char *path)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static void test_lists_captures_sorted(void **state)
{
    (void)state;
    strcpy(g_root, "/tmp/twt_capdir_XXXXXX");
    assert_non_null(mkdtemp(g_root));
    dir("b");
    dir("a");
    dir("a/deep");
    put("z.pcap");
    put("b/x.pcapng");
    put("a/deep/y.cap");
    put("a/notes.txt");
    put("a/pcap");         /* no extension */
    put("b/x.pcap.gz");    /* another extension */
    dir("c.pcap");         /* a folder named like a capture is walked, not listed */
    put("c.pcap/in.pcap");
    char target[256], link[256];
    snprintf(target, sizeof target, "%s/z.pcap", g_root);
    snprintf(link, sizeof link, "%s/link.pcap", g_root);
    assert_int_equal(symlink(target, link), 0);
    snprintf(target, sizeof target, "%s/a", g_root);
    snprintf(link, sizeof link, "%s/linkdir", g_root);
    assert_int_equal(symlink(target, link), 0);

    struct twt_capdir c;
    assert_int_equal(twt_capdir_list(g_root, &c), 0);
    const char *want[] = {"a/deep/y.cap", "b/x.pcapng", "c.pcap/in.pcap", "z.pcap"};
    assert_int_equal(c.n, 4);
    for (size_t i = 0; i < 4; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s/%s", g_root, want[i]);
        assert_string_equal(c.paths[i], p);
    }
    twt_capdir_free(&c);
    assert_null(c.paths);
    assert_int_equal(c.n, 0);
    rm_tree(g_root);
}

static void test_empty_and_missing(void **state)
{
    (void)state;
    strcpy(g_root, "/tmp/twt_capdir_XXXXXX");
    assert_non_null(mkdtemp(g_root));
    struct twt_capdir c;
    assert_int_equal(twt_capdir_list(g_root, &c), 0);
    assert_int_equal(c.n, 0);
    twt_capdir_free(&c);
    rm_tree(g_root);
    assert_int_equal(twt_capdir_list(g_root, &c), -ENOENT);
    assert_null(c.paths);
    assert_int_equal(c.n, 0);
}

static void write_cap(const char *path, int dlt)
{
    pcap_t *d = pcap_open_dead_with_tstamp_precision(dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
    assert_non_null(d);
    pcap_dumper_t *w = pcap_dump_open(d, path);
    assert_non_null(w);
    pcap_dump_close(w);
    pcap_close(d);
}

static void test_open_eth_counts_the_rest(void **state)
{
    (void)state;
    strcpy(g_root, "/tmp/twt_capdir_XXXXXX");
    assert_non_null(mkdtemp(g_root));
    char eth[128], raw[128], junk[128];
    snprintf(eth, sizeof eth, "%s/eth.pcap", g_root);
    snprintf(raw, sizeof raw, "%s/raw.pcap", g_root);
    snprintf(junk, sizeof junk, "%s/junk.pcap", g_root);
    write_cap(eth, DLT_EN10MB);
    write_cap(raw, DLT_RAW);
    put("junk.pcap"); /* empty: not a capture */
    uint64_t bad = 0, other = 0;
    pcap_t *p = twt_capdir_open_eth(eth, &bad, &other);
    assert_non_null(p);
    assert_int_equal(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
    pcap_close(p);
    assert_null(twt_capdir_open_eth(raw, &bad, &other));
    assert_null(twt_capdir_open_eth(junk, &bad, &other));
    assert_int_equal(bad, 1);
    assert_int_equal(other, 1);
    assert_null(twt_capdir_open_eth(junk, NULL, NULL)); /* counters are optional */
    rm_tree(g_root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_captures_sorted),
        cmocka_unit_test(test_empty_and_missing),
        cmocka_unit_test(test_open_eth_counts_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
