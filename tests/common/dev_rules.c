/* See dev_rules.h. */
#include "dev_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/rules.h"

const char TWT_DEV_CONFIG[] = "vars:\n"
                              "  address-groups:\n"
                              "    HOME_NET: \"[10.0.0.0/8,2001:db8::/32]\"\n"
                              "  port-groups:\n"
                              "    MGMT: \"[22,23,161]\"\n"
                              "vendors:\n"
                              "  HW:\n"
                              "    oui: [\"00:e0:fc\"]\n"
                              "detect:\n"
                              "  evidence-bytes: 64\n";

struct tw_tables *twt_compile(const char *config, const char *rules, const char *name, char *err,
                              size_t errlen)
{
    char yname[64], rname[64];
    snprintf(yname, sizeof yname, "%s.yaml", name);
    snprintf(rname, sizeof rname, "%s.rules", name);
    struct tw_config *cfg = NULL;
    struct tw_tables *t = NULL;
    int rc = tw_config_parse(config, strlen(config), yname, NULL, &cfg, err, errlen);
    if (!rc)
        rc = tw_config_add_rules(cfg, rules, strlen(rules), rname, err, errlen);
    if (!rc)
        rc = tw_compile(cfg, NULL, &t, err, errlen);
    tw_config_free(cfg);
    return rc ? NULL : t;
}

/* Makes room for one more item of size sz in *arr (count n, capacity *cap); 0 or -1. */
static int grow(void **arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? 2 * *cap : 64;
    void *p = realloc(*arr, nc * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

void twt_ref_alert(void *ctx, const struct tw_det_alert *a)
{
    struct twt_ref *r = ctx;
    if (grow((void **)&r->a, r->n, &r->cap, sizeof *r->a) < 0) {
        r->oom = 1;
        return;
    }
    r->a[r->n++] = *a;
}

void twt_ref_flow(void *ctx, const struct tw_flow_rec *f)
{
    struct twt_ref *r = ctx;
    if (grow((void **)&r->f, r->nf, &r->capf, sizeof *r->f) < 0) {
        r->oom = 1;
        return;
    }
    r->f[r->nf++] = *f;
}

void twt_ref_free(struct twt_ref *r)
{
    free(r->a);
    free(r->f);
    *r = (struct twt_ref){0};
}

int twt_ref_create(struct tw_detector **out, struct twt_ref *ref, const struct tw_tables *t,
                   void (*adjust)(struct tw_detect_params *p))
{
    *ref = (struct twt_ref){0};
    struct tw_detect_params p;
    tw_detect_params_default(&p);
    if (t)
        tw_detect_params_from_tables(&p, t);
    if (adjust)
        adjust(&p);
    struct tw_detect_sink sink = {ref, twt_ref_alert, twt_ref_flow};
    return tw_detector_create(out, &p, t, &sink);
}
