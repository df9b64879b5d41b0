/* Loading a compiled image into a Verilated model with the engine's table port (sim/engine_model.h: tw_tbl_load;
 * the engine model's tw_eng_load and the detection front's tw_fr_load call it). */
#include <string.h>

#include "engine_model.h"
#include "tapwatch/tables.h"

int tw_tbl_load(tw_tbl_put_fn put, void *e, const struct tw_tables *t, unsigned what, uint64_t after)
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
    if (what & TW_ENG_LOAD_PREFIX)
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
