/* See dev_rules.h. */
#include "dev_rules.h"

#include <stdio.h>
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
