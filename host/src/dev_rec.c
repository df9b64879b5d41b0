/* Device records (contracts/alert_rec.def, flow_rec.def) to and from their link payloads, EVE conversion, and the
 * table loader's word order (docs/protocol.md "Table loading"). */
#include <stdlib.h>
#include <string.h>

#include "tapwatch/device.h"
#include "tapwatch/eve.h"
#include "tapwatch/tables.h"

#include "bits_int.h"

#define UNPACK(name, lsb, w)                                                                       \
    if ((w) > 64)                                                                                  \
        get_wide(p, (lsb), (w), (uint8_t *)&r->name);                                              \
    else {                                                                                         \
        uint64_t v_ = get_bits(p, (lsb), (w));                                                     \
        memcpy(&r->name, &v_, sizeof r->name); /* little-endian host assumed */                    \
    }
#define PACK(name, lsb, w)                                                                         \
    if ((w) > 64)                                                                                  \
        put_wide(out, (lsb), (w), (const uint8_t *)&r->name);                                      \
    else {                                                                                         \
        uint64_t v_ = 0;                                                                           \
        memcpy(&v_, &r->name, sizeof r->name);                                                     \
        put_bits(out, (lsb), (w), v_);                                                             \
    }

int tw_alert_rec_decode(const uint8_t *p, size_t n, struct tw_alert_rec *r, const uint8_t **ev)
{
    if (!p || !r)
        return TW_ERR_INVAL;
    if (n < TW_AR_BYTES)
        return TW_ERR_PARSE;
    unsigned ev_len = p[TW_AR_EV_LEN_LSB / 8];
    if (ev_len > TW_AR_MAX_EVIDENCE || n != TW_AR_BYTES + (size_t)ev_len)
        return TW_ERR_PARSE;
    memset(r, 0, sizeof *r);
    TW_ALERT_REC_FIELDS(UNPACK)
    if (ev)
        *ev = p + TW_AR_BYTES;
    return 0;
}

int tw_alert_rec_encode(const struct tw_alert_rec *r, const uint8_t *ev, uint8_t *out, size_t cap)
{
    if (!r || !out || r->ev_len > TW_AR_MAX_EVIDENCE || (r->ev_len && !ev) || cap < TW_AR_BYTES + (size_t)r->ev_len)
        return TW_ERR_INVAL;
    memset(out, 0, TW_AR_BYTES);
    TW_ALERT_REC_FIELDS(PACK)
    if (r->ev_len)
        memcpy(out + TW_AR_BYTES, ev, r->ev_len);
    return (int)(TW_AR_BYTES + r->ev_len);
}

int tw_flow_rec_decode(const uint8_t *p, size_t n, struct tw_flow_rec *fr, uint32_t *seq)
{
    if (!p || !fr)
        return TW_ERR_INVAL;
    if (n != TW_FR_BYTES)
        return TW_ERR_PARSE;
    struct tw_flow_wire w, *r = &w;
    memset(r, 0, sizeof *r);
    TW_FLOW_WIRE_FIELDS(UNPACK)
    memset(fr, 0, sizeof *fr);
    fr->flow_id = w.flow_id;
    fr->ip_ver = w.ip_ver;
    fr->proto = w.proto;
    fr->vlan = w.vlan;
    memcpy(fr->cli_ip, w.cli_ip, 16);
    memcpy(fr->srv_ip, w.srv_ip, 16);
    fr->cli_port = w.cli_port;
    fr->srv_port = w.srv_port;
    fr->pkts_toserver = w.pkts_toserver;
    fr->pkts_toclient = w.pkts_toclient;
    fr->bytes_toserver = w.bytes_toserver;
    fr->bytes_toclient = w.bytes_toclient;
    fr->first_ts = w.first_ts;
    fr->last_ts = w.last_ts;
    fr->tcp_flags_ts = w.tcp_flags_ts;
    fr->tcp_flags_tc = w.tcp_flags_tc;
    fr->state = w.state;
    fr->reason = w.reason;
    fr->alerted = w.alerted;
    if (seq)
        *seq = w.seq;
    return 0;
}

int tw_flow_rec_encode(const struct tw_flow_rec *fr, uint32_t seq, uint8_t *out, size_t cap)
{
    if (!fr || !out || cap < TW_FR_BYTES || fr->state > 3 || fr->reason > 3 || fr->alerted > 1)
        return TW_ERR_INVAL;
    struct tw_flow_wire w, *r = &w;
    memset(r, 0, sizeof *r);
    w.flow_id = fr->flow_id;
    w.ip_ver = fr->ip_ver;
    w.proto = fr->proto;
    w.vlan = fr->vlan;
    memcpy(w.cli_ip, fr->cli_ip, 16);
    memcpy(w.srv_ip, fr->srv_ip, 16);
    w.cli_port = fr->cli_port;
    w.srv_port = fr->srv_port;
    w.pkts_toserver = fr->pkts_toserver;
    w.pkts_toclient = fr->pkts_toclient;
    w.bytes_toserver = fr->bytes_toserver;
    w.bytes_toclient = fr->bytes_toclient;
    w.first_ts = fr->first_ts;
    w.last_ts = fr->last_ts;
    w.tcp_flags_ts = fr->tcp_flags_ts;
    w.tcp_flags_tc = fr->tcp_flags_tc;
    w.state = fr->state;
    w.reason = fr->reason;
    w.alerted = fr->alerted;
    w.seq = seq;
    memset(out, 0, TW_FR_BYTES);
    TW_FLOW_WIRE_FIELDS(PACK)
    return TW_FR_BYTES;
}

void tw_dev_alert_eve(struct tw_eve_alert *a, const struct tw_alert_rec *r, const uint8_t *ev, size_t ev_len,
                      const struct tw_tables *t)
{
    memset(a, 0, sizeof *a);
    a->ts_ns = r->ts;
    a->flow_id = r->flow_id;
    a->ip_ver = r->ip_ver;
    memcpy(a->src_ip, r->src_ip, 16);
    memcpy(a->dst_ip, r->dst_ip, 16);
    a->proto = r->proto;
    a->ports_v = r->ports_v;
    a->src_port = r->src_port;
    a->dst_port = r->dst_port;
    a->vlan_n = r->vlan_n > 2 ? 2 : r->vlan_n;
    a->vlan[0] = r->vlan0;
    a->vlan[1] = r->vlan1;
    a->tun_kind = r->tun_kind;
    a->tun_id_v = r->tun_id_v;
    a->tun_id = r->tun_id;
    a->inner = r->inner;
    a->mirror_copy = r->mirror;
    a->action = TW_ACT_ALERT;
    a->gid = r->gid;
    a->sid = r->sid;
    a->rev = r->rev;
    a->severity = r->prio;
    if (t) {
        a->src_vendor = tw_eve_vendor_name(t, r->src_vsets);
        a->dst_vendor = tw_eve_vendor_name(t, r->dst_vsets);
        if (r->rule < t->settings.n_rules && r->rule < TW_CAP_RULES && t->rule[r->rule].sid == r->sid) {
            a->signature = t->info[r->rule].msg;
            a->category = t->info[r->rule].category;
            a->action = t->rule[r->rule].action;
        }
    }
    if (ev && ev_len) {
        a->evidence = ev;
        a->evidence_len = ev_len;
    }
}

/* ---- table loading ---- */

unsigned tw_tbl_words(unsigned table)
{
    switch (table) {
    case TW_TBL_SETTINGS: return (TW_ST_WIDTH + 31) / 32;
    case TW_TBL_OUI: return (TW_OE_WIDTH + 31) / 32;
    case TW_TBL_PREFIX: return (TW_PE_WIDTH + 31) / 32;
    case TW_TBL_PORT: return (TW_PT_WIDTH + 31) / 32;
    case TW_TBL_RULE: return (TW_RE_WIDTH + 31) / 32;
    case TW_TBL_PFX_IV:
        return (TW_PI_WIDTH + 31) / 32;
    default: return 0;
    }
}

/* Entries of a table in the image's numbering. */
static unsigned tbl_entries(const struct tw_tables *t, unsigned table)
{
    switch (table) {
    case TW_TBL_SETTINGS: return 1;
    case TW_TBL_OUI: return TW_OUI_WAYS * (unsigned)t->settings.oui_buckets * TW_OUI_SLOTS;
    case TW_TBL_PREFIX: return TW_CAP_PREFIXES;
    case TW_TBL_PORT: return TW_CAP_PORT_RANGES;
    case TW_TBL_RULE: return TW_CAP_RULES;
    default: return 0;
    }
}

/* nw little-endian 32-bit words from a packed entry: word i = bits 32i+31..32i */
static void bits_words(const uint8_t *b, unsigned nw, uint32_t *words)
{
    for (unsigned i = 0; i < nw; i++)
        words[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16 |
                   (uint32_t)b[4 * i + 3] << 24;
}

int tw_tbl_entry_words(const struct tw_tables *t, unsigned table, unsigned index, uint32_t *words)
{
    if (!t || !words || index >= tbl_entries(t, table))
        return TW_ERR_INVAL;
    uint8_t b[4 * ((TW_RE_WIDTH + 31) / 32)];
    memset(b, 0, sizeof b);
    switch (table) {
    case TW_TBL_SETTINGS: tw_settings_pack(&t->settings, b); break;
    case TW_TBL_OUI: tw_oui_entry_pack(&t->oui[index], b); break;
    case TW_TBL_PREFIX: tw_prefix_entry_pack(&t->prefix[index], b); break;
    case TW_TBL_PORT: tw_port_entry_pack(&t->port[index], b); break;
    case TW_TBL_RULE: {
        struct tw_rule_entry r = t->rule[index];
        if (index >= t->settings.n_rules)
            r.valid = 0; /* only the first n_rules entries are evaluated */
        tw_rule_entry_pack(&r, b);
        break;
    }
    }
    bits_words(b, tw_tbl_words(table), words);
    return 0;
}

int tw_tbl_word_addr(const struct tw_tables *t, unsigned table, unsigned index, uint32_t *addr)
{
    if (!t || !addr || index >= tbl_entries(t, table))
        return TW_ERR_INVAL;
    unsigned hw = index;
    if (table == TW_TBL_OUI) {
        unsigned nb = t->settings.oui_buckets;
        unsigned slot = index % TW_OUI_SLOTS, bucket = (index / TW_OUI_SLOTS) % nb, way = index / (TW_OUI_SLOTS * nb);
        hw = (way * TW_OUI_BUCKETS + bucket) * TW_OUI_SLOTS + slot;
    }
    *addr = hw * tw_tbl_words(table);
    return 0;
}

/* The interval table iv (n entries) as table TW_TBL_PFX_IV: entry i at word address i * WPE, bursts of whole
 * entries. */
static int load_intervals(struct tw_dev *d, const struct tw_pfx_iv_entry *iv, unsigned n, uint32_t *words)
{
    unsigned nw = tw_tbl_words(TW_TBL_PFX_IV), per = TW_PROTO_MAX_WORDS / nw;
    uint8_t b[4 * ((TW_PI_WIDTH + 31) / 32)];
    for (unsigned i = 0; i < n;) {
        unsigned m = 0;
        for (; i + m < n && m < per; m++) {
            memset(b, 0, sizeof b);
            tw_pfx_iv_entry_pack(&iv[i + m], b);
            bits_words(b, nw, words + m * nw);
        }
        int rc = tw_dev_table_write(d, TW_TBL_PFX_IV, i * nw, words, m * nw);
        if (rc)
            return rc;
        i += m;
    }
    return 0;
}

/* REG_CAP_PFX_IV: 0 (the prefix table) or the entries of the device's interval table (a power of two, 2..4096,
 * else TW_ERR_DEVICE). A device from before the register answers its read with BAD_ADDR: it has the prefix table. */
static int cap_pfx_iv(struct tw_dev *d, uint32_t *cap)
{
    *cap = 0;
    int rc = tw_reg_read(d, TW_REG_CAP_PFX_IV, cap, 1);
    if (rc == TW_ERR_DEVICE && tw_dev_last_status(d) == TW_ST_BAD_ADDR) {
        *cap = 0;
        return 0;
    }
    if (rc)
        return rc;
    if (*cap && (*cap < 2 || *cap > 4096 || (*cap & (*cap - 1))))
        return TW_ERR_DEVICE;
    return 0;
}

int tw_dev_load_tables(struct tw_dev *d, const struct tw_tables *t)
{
    if (!d || !t || tw_tables_validate(t, NULL, 0) != 0)
        return TW_ERR_INVAL;
    unsigned nb = t->settings.oui_buckets;
    if (nb == 0 || nb > TW_OUI_BUCKETS)
        return TW_ERR_CAPACITY;
    uint32_t npi;
    int rc = cap_pfx_iv(d, &npi);
    if (rc)
        return rc;
    /* an interval-table device: the prefix table converted, written as table 7 in table 3's place */
    struct tw_pfx_iv_entry *iv = NULL;
    if (npi) {
        iv = malloc((size_t)npi * sizeof *iv);
        if (!iv)
            return TW_ERR_NOMEM;
        rc = tw_pfx_intervals(t, iv, npi);
        if (rc < 0) {
            free(iv);
            return rc;
        }
    }
    static const uint8_t order[] = {TW_TBL_SETTINGS, TW_TBL_OUI, TW_TBL_PREFIX, TW_TBL_PORT, TW_TBL_RULE};
    uint32_t words[TW_PROTO_MAX_WORDS];
    uint32_t mask = 0;
    rc = 0;
    for (size_t k = 0; k < sizeof order && !rc; k++) {
        unsigned tb = order[k], nw = tw_tbl_words(tb), per = TW_PROTO_MAX_WORDS / nw, n = tbl_entries(t, tb);
        mask |= 1u << tb; /* bit 3 also for the intervals (their banks swap with the rules': bit 5) */
        if (tb == TW_TBL_PREFIX && iv) {
            rc = load_intervals(d, iv, npi, words);
            continue;
        }
        /* bursts of whole entries whose device addresses are consecutive */
        unsigned i = 0;
        while (i < n && !rc) {
            uint32_t start, a;
            tw_tbl_word_addr(t, tb, i, &start);
            unsigned m = 0;
            while (i + m < n && m < per) {
                tw_tbl_word_addr(t, tb, i + m, &a);
                if (a != start + m * nw)
                    break;
                tw_tbl_entry_words(t, tb, i + m, words + m * nw);
                m++;
            }
            rc = tw_dev_table_write(d, (uint8_t)tb, start, words, m * nw);
            i += m;
        }
    }
    free(iv);
    return rc ? rc : tw_dev_commit(d, mask);
}
