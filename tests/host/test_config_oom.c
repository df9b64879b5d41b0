/* The configuration reader, the rule parser, the compiler and the table image codec when memory runs out: loading
 * a whole configuration (YAML with address and port groups, negations and references, vendors from an OUI registry
 * and from explicit OUIs, a rule file: examples/backhaul.rules, every rule of it), adding more rules from text
 * (volume, inner, vlan.id, ttl ranges, vendor negation, detection_filter, numeric protocols), compiling, encoding
 * the image and decoding it again, writing it to a file and reading it back is repeated with the k-th allocation of the
 * library failing, for every k (tests/common/failalloc.h; host/host.mk links the wrappers; libyaml's own allocations
 * are not counted). Every run must end in TW_ERR_NOMEM from the call that failed, never in another error and never in
 * success, with its error text cleared or set (callers print tw_strerror() when it is empty), never left stale; ASan's
 * leak checker covers every failure path (and failalloc's tracking when it holds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "failalloc.h"
#include "tapwatch/error.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

static char tmpdir[64], cfg_path[256], img_path[256];

/* Files next to this test's source (tests run from the repository root, as make does). */
static void src_path(char *out, size_t n, const char *rel)
{
    const char *f = __FILE__, *slash = strrchr(f, '/');
    snprintf(out, n, "%.*s/%s", slash ? (int)(slash - f) : 1, slash ? f : ".", rel);
}

static void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    assert_non_null(a);
    assert_non_null(b);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, a)) > 0)
        assert_int_equal(fwrite(buf, 1, n, b), n);
    fclose(a);
    assert_int_equal(fclose(b), 0);
}

static int setup(void **st)
{
    (void)st;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tw-config-oom-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    char p[512], q[512];
    src_path(p, sizeof p, "../../examples/backhaul.rules");
    snprintf(q, sizeof q, "%s/backhaul.rules", tmpdir);
    copy_file(p, q);
    src_path(p, sizeof p, "data/oui-small.csv");
    snprintf(q, sizeof q, "%s/oui.csv", tmpdir);
    copy_file(p, q);
    snprintf(cfg_path, sizeof cfg_path, "%s/c.yaml", tmpdir);
    snprintf(img_path, sizeof img_path, "%s/img.twt", tmpdir);
    FILE *f = fopen(cfg_path, "w");
    if (!f)
        return -1;
    fputs("oui-registry: oui.csv\n"
          "vars:\n"
          "  address-groups:\n"
          "    HOME_NET: \"[10.0.0.0/8,172.16.0.0/12,100.64.0.0/10,2001:db8::/32]\"\n"
          "    EXTERNAL_NET: \"!$HOME_NET\"\n"
          "    ANALYZERS: \"[10.20.0.5/32,10.20.0.6/32]\"\n"
          "    DNS_SERVERS: \"[10.0.0.53/32,10.0.1.53/32,2001:db8::53/128]\"\n"
          "    NTP_SERVERS: \"[10.0.0.123/32,10.0.1.123/32]\"\n"
          "    IPSEC_GATEWAYS: \"[10.30.0.0/24,2001:db8:30::/48]\"\n"
          "    COLLECTORS: \"[10.40.0.0/24,!10.40.0.7]\"\n"
          "  port-groups:\n"
          "    MGMT_PORTS: \"[22,23,161,830,8443]\"\n"
          "    EXPORT_PORTS: \"[2055,4739,6343,9995,3386]\"\n"
          "    IKE_PORTS: \"[500,4500]\"\n"
          "    HIGH: \"[1024:,!8080]\"\n"
          "vendors:\n"
          "  HW: {registry: [acme, \"Shared\"], oui: [\"02:00:5e\"]}\n"
          "  ZTE: {registry: [\"widget\"]}\n"
          "  NOKIA: {oui: [\"0a:00:01\", \"0D-00-01\"]}\n"
          "  ERICSSON: {registry: [holdings]}\n"
          "detect:\n"
          "  mirror-copy-window-ms: 100\n"
          "  flow-timeout-s: 60\n"
          "  flow-hard-timeout-s: 600\n"
          "  evidence-bytes: 64\n"
          "rule-files:\n"
          "  - backhaul.rules\n",
          f);
    return fclose(f) ? -1 : 0;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) ? -1 : 0;
}

static const char *MORE = "alert ip $HOME_NET any -> $EXTERNAL_NET any (msg:\"volume by flow\"; volume: track by_flow, "
                          "bytes 1000000, seconds 10; sid:2000001;)\n"
                          "alert udp any any -> $HOME_NET $HIGH (msg:\"inner\"; inner; tunnel:vxlan,geneve; "
                          "vlan.id:100; sid:2000002; rev:3;)\n"
                          "alert tcp any any <> any [!80,1:1023] (msg:\"ttl range\"; ttl:10-20; flags:SA+; "
                          "dst_vendor:!NOKIA; detection_filter: track by_src, count 5, seconds 2; sid:2000003; "
                          "metadata: a b, c d;)\n"
                          "alert 47 any any -> any any (msg:\"gre\"; tunnel:any; threshold: type both, track by_rule, "
                          "count 3, seconds 30; gid:2; sid:2000004; classtype:traffic-mirroring;)\n"
                          "alert icmpv6 [2001:db8::/32,!2001:db8::1/128] any -> any any (msg:\"v6\"; ttl:<2; "
                          "sid:2000005;)\n";

struct run {
    int rc;          /* the first error, or 0 */
    const char *who; /* the call that returned it */
    char err[512];
};

/* One pass: load, add, compile, encode, decode, free. */
static void one_pass(unsigned long k, struct run *r, unsigned long *allocs)
{
    memset(r, 0, sizeof *r);
    strcpy(r->err, "stale text"); /* each call must clear or set it */
    struct tw_config *c = NULL;
    struct tw_tables *t = NULL, *t2 = NULL, *t3 = NULL;
    uint8_t *img = NULL;
    size_t len = 0;
    failalloc_start(k);
    if ((r->rc = tw_config_load(cfg_path, &c, r->err, sizeof r->err))) {
        r->who = "tw_config_load";
        goto out;
    }
    if ((r->rc = tw_config_add_rules(c, MORE, strlen(MORE), "more.rules", r->err, sizeof r->err))) {
        r->who = "tw_config_add_rules";
        goto out;
    }
    if ((r->rc = tw_compile(c, NULL, &t, r->err, sizeof r->err))) {
        r->who = "tw_compile";
        goto out;
    }
    if ((r->rc = tw_tables_encode(t, &img, &len))) {
        r->who = "tw_tables_encode";
        r->err[0] = 0; /* it takes no error text */
        goto out;
    }
    if ((r->rc = tw_tables_decode(img, len, &t2, r->err, sizeof r->err))) {
        r->who = "tw_tables_decode";
        goto out;
    }
    if ((r->rc = tw_tables_write(t2, img_path, r->err, sizeof r->err))) {
        r->who = "tw_tables_write";
        goto out;
    }
    if ((r->rc = tw_tables_read(img_path, &t3, r->err, sizeof r->err))) {
        r->who = "tw_tables_read";
        goto out;
    }
out:
    tw_tables_free(t3);
    tw_tables_free(t2);
    free(img);
    tw_tables_free(t);
    tw_config_free(c);
    failalloc_pause();
    *allocs = failalloc_count();
}

static void test_every_allocation_fails_in_turn(void **st)
{
    (void)st;
    struct run r;
    unsigned long total;
    one_pass(0, &r, &total);
    if (r.rc)
        fail_msg("the reference pass failed in %s: %s", r.who, r.err);
    assert_true(total > 100);
    unsigned long by[7] = {0};
    const char *names[7] = {"tw_config_load",   "tw_config_add_rules", "tw_compile",    "tw_tables_encode",
                            "tw_tables_decode", "tw_tables_write",     "tw_tables_read"};
    for (unsigned long k = 1; k <= total; k++) {
        unsigned long allocs;
        one_pass(k, &r, &allocs);
        assert_true(allocs >= k); /* the k-th allocation was reached, so it failed */
        if (r.rc != TW_ERR_NOMEM)
            fail_msg("allocation %lu of %lu: %s ended in %d (%s): %s", k, total, r.who ? r.who : "nothing", r.rc,
                     tw_strerror(r.rc), r.err);
        if (!strcmp(r.err, "stale text"))
            fail_msg("allocation %lu of %lu: %s left the error text as it was", k, total, r.who);
        if (failalloc_live())
            fail_msg("allocation %lu of %lu: %u blocks leaked", k, total, failalloc_live());
        for (int i = 0; i < 7; i++)
            if (!strcmp(r.who, names[i]))
                by[i]++;
    }
    print_message("%lu allocations: TW_ERR_NOMEM from load %lu, add_rules %lu, compile %lu, encode %lu, decode %lu, "
                  "write %lu, read %lu\n",
                  total, by[0], by[1], by[2], by[3], by[4], by[5], by[6]);
    for (int i = 0; i < 7; i++)
        assert_true(by[i] > 0); /* every stage allocates, and each of its failures was reached */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_allocation_fails_in_turn, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
