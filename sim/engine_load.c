/* Loading a compiled image into a Verilated model with the engine's table port (sim/engine_model.h: tw_tbl_load;
 * the engine model's tw_eng_load and the detection front's tw_fr_load call it). */
#include <stdlib.h>
#include <string.h>

#include "engine_model.h"
#include "tapwatch/tables.h"

/* the prefix table as the interval table of a PFX_SEARCH engine: every entry of the shadow bank */
static int load_intervals(tw_tbl_put_fn put, void *e, const struct tw_tables *t, unsigned n, uint64_t after)
{
    struct tw_pfx_iv_entry *iv = calloc(n, sizeof *iv);
    if (!iv)
        return -1;
    int rc = tw_pfx_intervals(t, iv, n) < 0 ? -1 : 0;
    uint8_t b[TW_PI_BYTES];
    for (unsigned i = 0; i < n && rc == 0; i++) {
        tw_pfx_iv_entry_pack(&iv[i], b);
        rc = put(e, TW_TBL_PFX_IV, i, b, TW_PI_BYTES, after) ? -1 : 0;
    }
    free(iv);
    return rc;
}

int tw_tbl_load(tw_tbl_put_fn put, void *e, const struct tw_tables *t, unsigned what, unsigned pi_entries,
                uint64_t after)
{
    uint8_t b[TW_RE_BYTES];
    unsigned nb = t->settings.oui_buckets;
    if (nb == 0 || nb > TW_ENG_OUI_BUCKETS)
        return -1;
    if (what & TW_ENG_LOAD_SETTINGS) {
        tw_settings_pack(&t->settings, b);
        if (put(e, TW_ENG_T_SETTINGS, 0, b, TW_ST_BYTES, after))
            return -1;
    }
    if (what & TW_ENG_LOAD_OUI) {
        for (unsigned w = 0; w < TW_OUI_WAYS; w++)
            for (unsigned k = 0; k < nb; k++)
                for (unsigned s = 0; s < TW_OUI_SLOTS; s++) {
                    tw_oui_entry_pack(&t->oui[((size_t)w * nb + k) * TW_OUI_SLOTS + s], b);
                    unsigned hw = (w * TW_ENG_OUI_BUCKETS + k) * TW_OUI_SLOTS + s;
                    if (put(e, TW_ENG_T_OUI, hw, b, TW_OE_BYTES, after))
                        return -1;
                }
    }
    if ((what & TW_ENG_LOAD_PREFIX) && pi_entries) {
        if (load_intervals(put, e, t, pi_entries, after))
            return -1;
    } else if (what & TW_ENG_LOAD_PREFIX)
        for (unsigned i = 0; i < TW_CAP_PREFIXES; i++) {
            tw_prefix_entry_pack(&t->prefix[i], b);
            if (put(e, TW_ENG_T_PREFIX, i, b, TW_PE_BYTES, after))
                return -1;
        }
    if (what & TW_ENG_LOAD_PORT)
        for (unsigned i = 0; i < TW_CAP_PORT_RANGES; i++) {
            tw_port_entry_pack(&t->port[i], b);
            if (put(e, TW_ENG_T_PORT, i, b, TW_PT_BYTES, after))
                return -1;
        }
    if (what & TW_ENG_LOAD_RULES)
        for (unsigned i = 0; i < TW_CAP_RULES; i++) {
            struct tw_rule_entry r = t->rule[i];
            if (i >= t->settings.n_rules)
                r.valid = 0; /* the reference evaluates the first n_rules entries only */
            tw_rule_entry_pack(&r, b);
            if (put(e, TW_ENG_T_RULE, i, b, TW_RE_BYTES, after))
                return -1;
        }
    if (what & TW_ENG_LOAD_COMMIT) {
        memset(b, 0, sizeof b);
        if (put(e, TW_ENG_T_COMMIT, 0, b, 0, after))
            return -1;
    }
    return 0;
}
