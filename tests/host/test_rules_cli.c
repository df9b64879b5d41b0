/* `tapwatch rules`: the subcommand itself (host/cli/cmd_rules.c, compiled into this test) with its output and exit
 * status for check, compile and dump, and every usage and error path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../host/cli/cmd_rules.c"

static char out[65536], errs[65536];

/* Runs cmd_rules with the given arguments (NULL-terminated), capturing stdout and stderr. */
static int run(const char *a0, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    va_start(ap, a0);
    for (const char *a = a0; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    FILE *fo = tmpfile(), *fe = tmpfile();
    assert_non_null(fo);
    assert_non_null(fe);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = cmd_rules(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    rewind(fo);
    rewind(fe);
    size_t n = fread(out, 1, sizeof out - 1, fo);
    out[n] = 0;
    n = fread(errs, 1, sizeof errs - 1, fe);
    errs[n] = 0;
    fclose(fo);
    fclose(fe);
    return rc;
}

static char cfg[600], reg[600], tmpd[64];

static void test_usage(void **st)
{
    (void)st;
    assert_int_equal(run("rules", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "usage: tapwatch rules check CONFIG"));
    assert_int_equal(run("rules", "--help", NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "usage: tapwatch rules check CONFIG"));
    assert_int_equal(run("rules", "frobnicate", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "tapwatch rules: unknown subcommand 'frobnicate'"));
    assert_int_equal(run("rules", "check", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "tapwatch rules check: expected one CONFIG"));
    assert_int_equal(run("rules", "check", "a", "b", NULL), TW_EXIT_USAGE);
    assert_int_equal(run("rules", "dump", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "tapwatch rules dump: expected one IMAGE"));
    assert_int_equal(run("rules", "compile", cfg, NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "tapwatch rules compile: -o IMAGE is required"));
    assert_int_equal(run("rules", "check", cfg, "-o", "x.img", NULL), TW_EXIT_USAGE);
    assert_non_null(strstr(errs, "tapwatch rules check: -o applies to compile only"));
    assert_int_equal(run("rules", "check", "--bogus", cfg, NULL), TW_EXIT_USAGE);
    assert_int_equal(run("rules", "check", "-h", NULL), TW_EXIT_OK);
}

static void test_check_compile_dump(void **st)
{
    (void)st;
    assert_int_equal(run("rules", "check", cfg, "--oui-registry", reg, NULL), TW_EXIT_OK);
    char want[800];
    snprintf(want, sizeof want, "%s: 18 rules, valid\n", cfg);
    assert_true(!strncmp(out, want, strlen(want)));
    assert_non_null(strstr(out, "  HW                      2 OUIs\n"));
    assert_non_null(strstr(out, "  ERICSSON                1 OUIs\n"));
    assert_non_null(strstr(out, "  OUIs                    5 / 4096     0.1%\n"));
    assert_non_null(strstr(out, "  rules                  18 / 256      7.0%\n"));
    assert_non_null(strstr(out, "  vendor sets             4 / 8       50.0%\n"));
    char img[128];
    snprintf(img, sizeof img, "%s/b.img", tmpd);
    assert_int_equal(run("rules", "compile", cfg, "-o", img, "--oui-registry", reg, NULL), TW_EXIT_OK);
    snprintf(want, sizeof want, "%s: 18 rules compiled into %s\n", cfg, img);
    assert_string_equal(out, want);
    assert_int_equal(run("rules", "dump", img, NULL), TW_EXIT_OK);
    assert_non_null(strstr(out, "  rules                  18 / 256      7.0%\n"));
    assert_non_null(strstr(out, "  NOKIA                   1 OUIs\n"));
    /* errors: exit 3 with the message */
    assert_int_equal(run("rules", "check", cfg, "--oui-registry", "/nonexistent.csv", NULL),
                     TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "/nonexistent.csv: cannot read the OUI registry"));
    assert_int_equal(run("rules", "check", "/nonexistent.yaml", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "/nonexistent.yaml: cannot read the configuration"));
    assert_int_equal(run("rules", "dump", "/nonexistent.img", NULL), TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "tapwatch: /nonexistent.img: "));
    assert_int_equal(run("rules", "compile", cfg, "-o", "/nonexistent/dir/x.img", "--oui-registry", reg, NULL),
                     TW_EXIT_ERROR);
    assert_non_null(strstr(errs, "tapwatch: /nonexistent/dir/x.img: "));
    char bad[128];
    snprintf(bad, sizeof bad, "%s/bad.yaml", tmpd);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("vendors:\n  A: {oui: 000001}\n  B: {oui: 000002}\n  C: {oui: 000003}\n  D: {oui: 000004}\n"
          "  E: {oui: 000005}\n  F: {oui: 000006}\n  G: {oui: 000007}\n  H: {oui: 000008}\n  I: {oui: 000009}\n",
          f);
    fclose(f);
    assert_int_equal(run("rules", "check", bad, NULL), TW_EXIT_ERROR);
    snprintf(want, sizeof want, "%s:10:3: vendor set table full (8 sets): vendor 'I' does not fit\n", bad);
    assert_string_equal(errs, want);
}

int main(void)
{
    const char *f = __FILE__, *s = strstr(f, "tests/host/");
    int n = s ? (int)(s - f) : 0;
    snprintf(cfg, sizeof cfg, "%.*sexamples/backhaul.yaml", n, f);
    snprintf(reg, sizeof reg, "%.*stests/host/data/oui-backhaul.csv", n, f);
    snprintf(tmpd, sizeof tmpd, "/tmp/tw-cli-XXXXXX");
    if (!mkdtemp(tmpd))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_check_compile_dump),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpd);
    if (system(cmd) != 0)
        rc = 1;
    return rc;
}
