/* tests/common/capdir.c, the capture-folder listing the corpus tests share: nested folders, only *.pcap / *.pcapng /
 * *.cap regular files, symbolic links not followed, sorted by path; a missing folder is an error. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_captures_sorted),
        cmocka_unit_test(test_empty_and_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
