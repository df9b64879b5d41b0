/* The compiled detection tables: what the rule compiler produces, what the software reference detector and the
 * device loader consume. Every hardware table is an array of the fixed-layout entries of the contracts
 * (contracts/oui_entry.def, prefix_entry.def, port_entry.def, rule_entry.def, settings.def, and pfx_iv_entry.def
 * for the interval form of the prefix table; the RTL reads the same bit layouts); msg, classtype and metadata stay
 * on the host. Semantics: docs/tables.md.
 *
 * A struct tw_tables is plain data (no pointers): copy it, compare it, zero it. It is large (~290 KiB): allocate it
 * with tw_tables_new(). Entries are dense: the first settings.n_* entries of each table are valid, except the OUI
 * table, whose entries sit where the cuckoo placement put them. */
#ifndef TAPWATCH_TABLES_H
#define TAPWATCH_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/tw_oui_entry.h"
#include "tapwatch/tw_pfx_iv_entry.h"
#include "tapwatch/tw_port_entry.h"
#include "tapwatch/tw_prefix_entry.h"
#include "tapwatch/tw_rule_entry.h"
#include "tapwatch/tw_settings.h"

/* Capacities of the reference hardware come from the contracts: TW_CAP_OUI, TW_CAP_VENDOR_SETS, TW_CAP_PREFIXES,
 * TW_CAP_ADDR_SETS, TW_CAP_PORT_RANGES, TW_CAP_PORT_SETS, TW_CAP_RULES, TW_CAP_ALERTS; OUI geometry TW_OUI_WAYS,
 * TW_OUI_BUCKETS (per way), TW_OUI_SLOTS (per bucket). */
#define TW_OUI_ENTRIES (TW_OUI_WAYS * TW_OUI_BUCKETS * TW_OUI_SLOTS)

/* Host-side strings (with their NUL). */
#define TW_NAME_MAX 32      /* vendor set and classtype names */
#define TW_MSG_MAX 256      /* msg */
#define TW_CATEGORY_MAX 96  /* classtype description (EVE alert.category) */
#define TW_METADATA_MAX 256 /* metadata, normalised to "key value, key value" */

/* Detector defaults (docs/rules.md, configuration). */
#define TW_DEF_MIRROR_WINDOW_MS 100
#define TW_DEF_FLOW_TIMEOUT_S 60
#define TW_DEF_FLOW_HARD_TIMEOUT_S 600
#define TW_DEF_EVIDENCE_BYTES 0
#define TW_MAX_EVIDENCE_BYTES 128
#define TW_DEF_ALERT_RATE 1000  /* alerts/s per rule (GCRA rate), 0: unlimited */
#define TW_DEF_ALERT_BURST 1000 /* GCRA burst */
#define TW_MAX_ALERT_RATE 1000000000u /* one alert per ns per rule */
#define TW_MAX_ALERT_BURST 1000000u

/* Per rule, host side (parallel to rule[]). */
struct tw_rule_info {
    char msg[TW_MSG_MAX];
    char classtype[TW_NAME_MAX];     /* "" when the rule has none */
    char category[TW_CATEGORY_MAX];  /* the classtype's description, "" when none */
    char metadata[TW_METADATA_MAX];  /* "" when none */
};

/* Per vendor set (bit n of a vset is vendor[n]). */
struct tw_vendor_info {
    char name[TW_NAME_MAX];
    uint32_t n_oui; /* OUIs of the table carrying this set's bit */
};

struct tw_tables {
    struct tw_settings settings; /* detector settings, geometry and the count of each table */
    /* OUI hash table: entry ((way * settings.oui_buckets) + bucket) * TW_OUI_SLOTS + slot; only the first
     * TW_OUI_WAYS * settings.oui_buckets * TW_OUI_SLOTS entries are used. */
    struct tw_oui_entry oui[TW_OUI_ENTRIES];
    struct tw_vendor_info vendor[TW_CAP_VENDOR_SETS];
    struct tw_prefix_entry prefix[TW_CAP_PREFIXES];
    struct tw_port_entry port[TW_CAP_PORT_RANGES];
    struct tw_rule_entry rule[TW_CAP_RULES];
    struct tw_rule_info info[TW_CAP_RULES];
};

/* A zeroed image with the default settings and the reference OUI geometry; NULL when out of memory. */
struct tw_tables *tw_tables_new(void);
void tw_tables_free(struct tw_tables *t);

/* ---- lookups: the exact functions of the hardware (docs/tables.md) ---- */

/* Bucket of oui (24 bits) in way 0 or 1 of a table of `buckets` buckets per way (a power of two):
 * c = CRC-32C of the three OUI bytes (first MAC byte first); way 0: c & (buckets-1), way 1: (c >> 16) & (buckets-1). */
unsigned tw_oui_hash(uint32_t oui, unsigned way, unsigned buckets);
/* The vendor sets of an OUI (0 when it is in no set). */
unsigned tw_oui_vsets(const struct tw_tables *t, uint32_t oui);
/* The vendor sets of a MAC address (6 bytes, wire order). */
unsigned tw_mac_vsets(const struct tw_tables *t, const uint8_t mac[6]);
/* The address sets an address belongs to: v6 = 0 for IPv4 (addr in the ::a.b.c.d layout of tw_meta). */
uint32_t tw_addr_sets(const struct tw_tables *t, int v6, const uint8_t addr[16]);
/* The port sets a port belongs to. */
uint32_t tw_port_sets(const struct tw_tables *t, unsigned port);
/* Comparison op (TW_CMP_*) of x against a and b; TW_CMP_NONE is true. */
int tw_cmp(unsigned op, unsigned x, unsigned a, unsigned b);

/* ---- prefix intervals: the prefix table as the sorted interval table of a small device (table TW_TBL_PFX_IV,
 * contracts/pfx_iv_entry.def, docs/tables.md "Prefix intervals (table 7)") ----
 * Key of an address: {v6 (bit 128), addr (bits 127..0, addr[0] the top byte)}, an IPv4 address as ::a.b.c.d (only
 * addr[12..15]; the first 12 bytes taken as zero), so every IPv4 key is below every IPv6 key. */

/* Fills exactly n entries (n >= 1) of iv from t's prefix table: entry 0 has key 0, keys ascend strictly up to the
 * last used entry, the sets of entry i apply to every key k with key(i) <= k < key(i + 1), neighbours never carry
 * equal sets, and the unused entries repeat the last used one (key and sets). The boundaries are each valid
 * prefix's first key and the key one past its last (none past the last IPv6 address); the entries' sets are those
 * of tw_addr_sets, so tw_pfx_iv_lookup(iv, n, v6, addr) == tw_addr_sets(t, v6, addr) for every address (the same
 * entries: the first settings.n_prefixes, len clamped to 32 / 128, stored bits beyond len ignored). 128 prefixes
 * need at most 257 entries. Returns the entries used (1..n); TW_ERR_CAPACITY when more than n are needed (iv's
 * contents are then unspecified), TW_ERR_INVAL for NULL or n == 0. Deterministic; allocates nothing. */
int tw_pfx_intervals(const struct tw_tables *t, struct tw_pfx_iv_entry *iv, unsigned n);
/* The device's search of an interval table of n entries (n a power of two, as the device's bank), written as
 * rtl/tw_pfx_search.v (tw_pfx_lane.v) does it: idx = 0; for step = n/2, n/4, ..., 1: if key(iv[idx + step]) <=
 * key(address) then idx += step; the result is iv[idx].sets (entry 0 always qualifies). An entry's key is its v6
 * bit and its whole addr. Reads only iv[0..n-1], whatever n; 0 for NULL or n == 0. */
uint32_t tw_pfx_iv_lookup(const struct tw_pfx_iv_entry *iv, unsigned n, int v6, const uint8_t addr[16]);

/* ---- bit packing of each entry into its contract layout (bit i = bit i%8 of byte i/8) ---- */
void tw_oui_entry_pack(const struct tw_oui_entry *e, uint8_t bits[TW_OE_BYTES]);
void tw_oui_entry_unpack(const uint8_t bits[TW_OE_BYTES], struct tw_oui_entry *e);
void tw_prefix_entry_pack(const struct tw_prefix_entry *e, uint8_t bits[TW_PE_BYTES]);
void tw_prefix_entry_unpack(const uint8_t bits[TW_PE_BYTES], struct tw_prefix_entry *e);
void tw_pfx_iv_entry_pack(const struct tw_pfx_iv_entry *e, uint8_t bits[TW_PI_BYTES]);
void tw_pfx_iv_entry_unpack(const uint8_t bits[TW_PI_BYTES], struct tw_pfx_iv_entry *e);
void tw_port_entry_pack(const struct tw_port_entry *e, uint8_t bits[TW_PT_BYTES]);
void tw_port_entry_unpack(const uint8_t bits[TW_PT_BYTES], struct tw_port_entry *e);
void tw_rule_entry_pack(const struct tw_rule_entry *e, uint8_t bits[TW_RE_BYTES]);
void tw_rule_entry_unpack(const uint8_t bits[TW_RE_BYTES], struct tw_rule_entry *e);
void tw_settings_pack(const struct tw_settings *e, uint8_t bits[TW_ST_BYTES]);
void tw_settings_unpack(const uint8_t bits[TW_ST_BYTES], struct tw_settings *e);

/* ---- the binary image (format: docs/tables.md): ONE writer and ONE reader for every user ---- */
#define TW_TABLES_MAGIC 0x42545754u /* "TWTB" little-endian */
#define TW_TABLES_VERSION 2 /* 2: settings gained alert_rate, alert_burst */

/* Checks every invariant the detector and the hardware rely on (counts within capacity, set indexes in use,
 * OUI entries in one of their two buckets, no duplicate OUI, operators and tracks in range). 0 or TW_ERR_PARSE;
 * err (may be NULL) receives the first violation. */
int tw_tables_validate(const struct tw_tables *t, char *err, size_t errlen);
/* Encodes t into a malloc'ed buffer (*buf, *len); 0 or TW_ERR_NOMEM / TW_ERR_INVAL (t invalid). */
int tw_tables_encode(const struct tw_tables *t, uint8_t **buf, size_t *len);
/* Decodes and validates an image; *out is a new tw_tables. 0, TW_ERR_PARSE, TW_ERR_CRC, TW_ERR_VERSION,
 * TW_ERR_NOMEM. err (may be NULL) receives a message. */
int tw_tables_decode(const uint8_t *buf, size_t len, struct tw_tables **out, char *err, size_t errlen);
/* The same through a file. TW_ERR_IO when the file cannot be written or read. */
int tw_tables_write(const struct tw_tables *t, const char *path, char *err, size_t errlen);
int tw_tables_read(const char *path, struct tw_tables **out, char *err, size_t errlen);

#endif
