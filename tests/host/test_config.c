/* The YAML configuration: every key, defaults, rule files relative to the configuration, and every error path
 * with its exact "FILE:LINE:COL: message" ('@' marks the expected position and is removed before parsing). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tapwatch/rules.h"

static void expect_err(const char *marked, int code, const char *msg)
{
    char text[4096], want[1024], err[1024] = "";
    size_t n = 0;
    unsigned line = 1, col = 1, ml = 0, mc = 0;
    for (const char *p = marked; *p; p++) {
        if (*p == '@') {
            ml = line;
            mc = col;
            continue;
        }
        text[n++] = *p;
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    text[n] = 0;
    assert_true(ml > 0);
    snprintf(want, sizeof want, "t.yaml:%u:%u: %s", ml, mc, msg);
    struct tw_config *c = (struct tw_config *)1;
    int rc = tw_config_parse(text, n, "t.yaml", NULL, &c, err, sizeof err);
    assert_null(c);
    if (rc != code || strcmp(err, want))
        fail_msg("config:\n%s\n  want (%d) %s\n  got  (%d) %s", text, code, want, rc, err);
}

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup_dir(void **st)
{
    (void)st;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tw-config-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **st)
{
    (void)st;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The issue's example configuration, with its rule file next to it. */
static void test_full_example(void **st)
{
    (void)st;
    write_file("c.yaml", "vars:\n"
                         "  address-groups:\n"
                         "    HOME_NET: \"[10.0.0.0/8,2001:db8::/32]\"\n"
                         "    ANALYZERS: \"[10.20.0.5/32]\"\n"
                         "  port-groups:\n"
                         "    MGMT_PORTS: \"[22,23,161,830]\"\n"
                         "vendors:\n"
                         "  HW:\n"
                         "    registry: [\"HUAWEI TECHNOLOGIES\", \"Huawei Device\"]\n"
                         "    oui: [\"02:00:5e\"]\n"
                         "  SOLO:\n"
                         "    oui: 02-00-5F\n"
                         "detect:\n"
                         "  mirror-copy-window-ms: 250\n"
                         "  flow-timeout-s: 30\n"
                         "  flow-hard-timeout-s: 300\n"
                         "  evidence-bytes: 64\n"
                         "  alert-rate: 25\n"
                         "  alert-burst: 7\n"
                         "oui-registry: reg.csv\n"
                         "rule-files:\n"
                         "  - r1.rules\n"
                         "  - sub/r2.rules\n");
    write_file("r1.rules", "alert tcp $HOME_NET any -> !$HOME_NET $MGMT_PORTS (msg:\"mgmt\"; src_vendor:HW; sid:1;)\n");
    char sub[128];
    snprintf(sub, sizeof sub, "%s/sub", tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file("sub/r2.rules", "pass ip $ANALYZERS any -> any any (sid:2;)\n");
    write_file("reg.csv", "Registry,Assignment,Organization Name,Organization Address\n"
                          "MA-L,00E0FC,HUAWEI TECHNOLOGIES CO.,LTD,\"No.2 Xin Cheng Road, Dongguan\"\n"
                          "MA-L,A4C64F,\"Huawei Device Co., Ltd.\",Dongguan\n"
                          "MA-L,001122,Other Corp,Somewhere\n");
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/c.yaml", tmpdir);
    struct tw_config *c;
    int rc = tw_config_load(path, &c, err, sizeof err);
    if (rc)
        fail_msg("%s", err);
    assert_int_equal(tw_config_rule_count(c), 2);
    struct tw_tables *t;
    rc = tw_compile(c, NULL, &t, err, sizeof err);
    if (rc)
        fail_msg("%s", err);
    tw_config_free(c);
    assert_int_equal(t->settings.mirror_window_ms, 250);
    assert_int_equal(t->settings.flow_timeout_s, 30);
    assert_int_equal(t->settings.flow_hard_timeout_s, 300);
    assert_int_equal(t->settings.evidence_bytes, 64);
    assert_int_equal(t->settings.alert_rate, 25);
    assert_int_equal(t->settings.alert_burst, 7);
    assert_int_equal(t->settings.n_vendor_sets, 2);
    assert_int_equal(t->vendor[0].n_oui, 3);
    assert_int_equal(t->vendor[1].n_oui, 1);
    assert_int_equal(tw_oui_vsets(t, 0x00E0FC), 1);
    assert_int_equal(tw_oui_vsets(t, 0xA4C64F), 1);
    assert_int_equal(tw_oui_vsets(t, 0x02005E), 1);
    assert_int_equal(tw_oui_vsets(t, 0x02005F), 2);
    assert_int_equal(tw_oui_vsets(t, 0x001122), 0);
    assert_int_equal(t->rule[0].sv_mask, 1);
    assert_int_equal(t->rule[1].action, TW_ACT_PASS);
    tw_tables_free(t);
    /* an error in a rule file names that file */
    write_file("r1.rules", "alert tcp any any -> any any (sid:1;)\nalert tcp any any -> any any (sid:2; content:\"x\";)\n");
    rc = tw_config_load(path, &c, err, sizeof err);
    assert_int_equal(rc, TW_ERR_UNSUPPORTED);
    char want[512];
    snprintf(want, sizeof want, "%s/r1.rules:2:38: keyword 'content' is not supported by the hardware matcher",
             tmpdir);
    assert_string_equal(err, want);
}

static void test_defaults_and_empty_sections(void **st)
{
    (void)st;
    const char *y = "vars:\n  address-groups:\n  port-groups:\nvendors:\ndetect:\n";
    struct tw_config *c;
    struct tw_tables *t;
    char err[256];
    assert_int_equal(tw_config_parse(y, strlen(y), "t.yaml", NULL, &c, err, sizeof err), 0);
    assert_int_equal(tw_compile(c, NULL, &t, err, sizeof err), 0);
    assert_int_equal(t->settings.mirror_window_ms, TW_DEF_MIRROR_WINDOW_MS);
    assert_int_equal(t->settings.flow_timeout_s, TW_DEF_FLOW_TIMEOUT_S);
    assert_int_equal(t->settings.flow_hard_timeout_s, TW_DEF_FLOW_HARD_TIMEOUT_S);
    assert_int_equal(t->settings.evidence_bytes, TW_DEF_EVIDENCE_BYTES);
    assert_int_equal(t->settings.alert_rate, TW_DEF_ALERT_RATE);
    assert_int_equal(t->settings.alert_burst, TW_DEF_ALERT_BURST);
    assert_int_equal(t->settings.oui_buckets, TW_OUI_BUCKETS);
    assert_int_equal(t->settings.n_rules, 0);
    tw_tables_free(t);
    tw_config_free(c);
}

static void test_errors(void **st)
{
    (void)st;
    const int P = TW_ERR_PARSE;
    expect_err("@", P, "empty configuration");
    expect_err("@- a\n", P, "configuration: expected a mapping (key: value lines)");
    expect_err("@[a]: 1\n", P, "configuration: keys must be plain names");
    expect_err("detect: {}\n@detect: {}\n", P, "configuration: key 'detect' given twice");
    expect_err("@foo: 1\n", P,
               "unknown key 'foo' in the configuration (vars, vendors, detect, rule-files, oui-registry)");
    expect_err("vars: @3\n", P, "vars: expected a mapping (key: value lines)");
    expect_err("vars:\n  @addr-groups: {}\n", P, "unknown key 'addr-groups' in vars (address-groups, port-groups)");
    expect_err("vars:\n  address-groups: @[a]\n", P, "address-groups: expected a mapping (key: value lines)");
    expect_err("vars:\n  address-groups:\n    @1BAD: any\n", P, "bad address group name (letters, digits, '_' and '-')");
    expect_err("vars:\n  port-groups:\n    @B.B: any\n", P, "bad port group name (letters, digits, '_' and '-')");
    expect_err("vars:\n  address-groups:\n    A: @[1, 2]\n", P, "address group: expected a single value");
    expect_err("vars:\n  address-groups:\n    A: \"[1.2.3.4,@x]\"\n", P, "bad address 'x'");
    expect_err("vars:\n  address-groups:\n    A: '[1.2.3.4 @1.1.1.1]'\n", P, "expected ',' or ']' in address list");
    expect_err("vars:\n  port-groups:\n    P: @70000\n", P, "bad port '70000'");
    expect_err("vars:\n  port-groups:\n    P: 1\n    @P: 2\n", P, "port-groups: key 'P' given twice");
    expect_err("vendors: @[HW]\n", P, "vendors: expected a mapping (key: value lines)");
    expect_err("vendors:\n  @9x: {oui: [\"00:00:01\"]}\n", P,
               "bad vendor name (up to 31 letters, digits, '_' and '-', starting with a letter)");
    expect_err("vendors:\n  @AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA: {oui: [\"00:00:01\"]}\n", P,
               "bad vendor name (up to 31 letters, digits, '_' and '-', starting with a letter)");
    expect_err("vendors:\n  HW: @[a]\n", P, "HW: expected a mapping (key: value lines)");
    expect_err("vendors:\n  HW: {@regex: x}\n", P, "unknown key 'regex' in a vendor (registry, oui)");
    expect_err("vendors:\n  @HW: {}\n", P, "vendor 'HW' needs registry: names or oui: entries");
    expect_err("vendors:\n  HW: {oui: [@\"00:00\"]}\n", P, "bad OUI '00:00' (expected three hex bytes such as 00:1a:2b)");
    expect_err("vendors:\n  HW: {oui: [@00:00:0g]}\n", P,
               "bad OUI '00:00:0g' (expected three hex bytes such as 00:1a:2b)");
    expect_err("vendors:\n  HW: {oui: [@0:000:00]}\n", P,
               "bad OUI '0:000:00' (expected three hex bytes such as 00:1a:2b)");
    expect_err("vendors:\n  HW: {oui: @{a: b}}\n", P, "oui: expected a list");
    expect_err("vendors:\n  HW: {oui: [@[1]]}\n", P, "oui: expected a single value");
    expect_err("vendors:\n  HW: {registry: [@\"\"]}\n", P, "registry: empty organisation name");
    expect_err("vendors:\n  HW: {registry: @{a: b}}\n", P, "registry: expected a list");
    expect_err("vendors:\n  V0: {oui: 000001}\n  V1: {oui: 000002}\n  V2: {oui: 000003}\n  V3: {oui: 000004}\n"
               "  V4: {oui: 000005}\n  V5: {oui: 000006}\n  V6: {oui: 000007}\n  V7: {oui: 000008}\n"
               "  @V8: {oui: 000009}\n",
               TW_ERR_CAPACITY, "vendor set table full (8 sets): vendor 'V8' does not fit");
    expect_err("detect:\n  @window: 3\n", P,
               "unknown key 'window' in detect (mirror-copy-window-ms, flow-timeout-s, flow-hard-timeout-s, "
               "evidence-bytes, alert-rate, alert-burst)");
    expect_err("detect:\n  alert-rate: @-1\n", P, "alert-rate: expected a whole number from 0 to 1000000000");
    expect_err("detect:\n  alert-rate: @1000000001\n", P, "alert-rate: expected a whole number from 0 to 1000000000");
    expect_err("detect:\n  alert-rate: @fast\n", P, "alert-rate: expected a whole number from 0 to 1000000000");
    expect_err("detect:\n  alert-rate: @[1]\n", P, "alert-rate: expected a single value");
    expect_err("detect:\n  alert-burst: @0\n", P, "alert-burst: expected a whole number from 1 to 1000000");
    expect_err("detect:\n  alert-burst: @1000001\n", P, "alert-burst: expected a whole number from 1 to 1000000");
    expect_err("detect: @[1]\n", P, "detect: expected a mapping (key: value lines)");
    expect_err("detect:\n  evidence-bytes: @129\n", P, "evidence-bytes: expected a whole number from 0 to 128");
    expect_err("detect:\n  flow-timeout-s: @-1\n", P, "flow-timeout-s: expected a whole number from 1 to 86400");
    expect_err("detect:\n  flow-timeout-s: @\"\"\n", P, "flow-timeout-s: expected a whole number from 1 to 86400");
    expect_err("detect:\n  mirror-copy-window-ms: @0\n", P,
               "mirror-copy-window-ms: expected a whole number from 1 to 60000");
    expect_err("detect:\n  flow-hard-timeout-s: @12345678901\n", P,
               "flow-hard-timeout-s: expected a whole number from 1 to 86400");
    expect_err("detect:\n  mirror-copy-window-ms: @{a: 1}\n", P, "mirror-copy-window-ms: expected a single value");
    expect_err("detect:\n  @flow-timeout-s: 100\n  flow-hard-timeout-s: 50\n", P,
               "detect: flow-hard-timeout-s is shorter than flow-timeout-s");
    char msg[256];
    snprintf(msg, sizeof msg, "cannot read rule file './nope.rules': %s", strerror(ENOENT));
    expect_err("rule-files:\n  - @nope.rules\n", TW_ERR_IO, msg);
    expect_err("rule-files: [@/dev/null]\n", TW_ERR_IO, "cannot read rule file '/dev/null': not a regular file");
    expect_err("rule-files: [@\"\"]\n", P, "rule-files: empty file name");
    expect_err("rule-files: @{a: b}\n", P, "rule-files: expected a list");
    expect_err("oui-registry: @\"\"\n", P, "oui-registry: empty file name");
    expect_err("oui-registry: @[a]\n", P, "oui-registry: expected a single value");
    expect_err("detect: {}\n@---\na: 1\n", P, "only one YAML document is allowed");
    expect_err("oui-registry: @\"a\\0b\"\n", P, "oui-registry: NUL byte in value");
}

static void test_yaml_syntax_error(void **st)
{
    (void)st;
    const char *y = "vars:\n  address-groups: [a\n";
    struct tw_config *c;
    char err[256];
    assert_int_equal(tw_config_parse(y, strlen(y), "t.yaml", NULL, &c, err, sizeof err), TW_ERR_PARSE);
    assert_null(c);
    /* libyaml's own words follow the position: check the position and the prefix only */
    assert_true(!strncmp(err, "t.yaml:3:1: YAML: ", 18));
    y = "a: \"unterminated\n";
    assert_int_equal(tw_config_parse(y, strlen(y), "t.yaml", NULL, &c, err, sizeof err), TW_ERR_PARSE);
    assert_true(!strncmp(err, "t.yaml:", 7) && strstr(err, ": YAML: "));
}

static void test_load_errors(void **st)
{
    (void)st;
    struct tw_config *c;
    char err[256], want[256];
    assert_int_equal(tw_config_load("/nonexistent/x.yaml", &c, err, sizeof err), TW_ERR_IO);
    snprintf(want, sizeof want, "/nonexistent/x.yaml: cannot read the configuration: %s", strerror(ENOENT));
    assert_string_equal(err, want);
    assert_int_equal(tw_config_load("/tmp", &c, err, sizeof err), TW_ERR_IO);
    assert_string_equal(err, "/tmp: cannot read the configuration: not a regular file");
    /* a configuration larger than 16 MiB (a sparse file) */
    char big[] = "/tmp/tw-big-XXXXXX";
    int fd = mkstemp(big);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (16 << 20) + 1), 0);
    close(fd);
    assert_int_equal(tw_config_load(big, &c, err, sizeof err), TW_ERR_IO);
    snprintf(want, sizeof want, "%s: cannot read the configuration: larger than 16 MiB", big);
    assert_string_equal(err, want);
    unlink(big);
    assert_string_equal(tw_strerror(TW_ERR_CAPACITY), "hardware table capacity exceeded");
    assert_string_equal(tw_strerror(TW_ERR_PARSE), "parse error");
    assert_string_equal(tw_strerror(12345), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_example, setup_dir, remove_dir),
        cmocka_unit_test(test_defaults_and_empty_sections),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
