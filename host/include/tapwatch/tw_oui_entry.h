/* Generated from contracts/oui_entry.def by contracts/gen.awk: do not edit. */
#ifndef TW_OUI_ENTRY_H
#define TW_OUI_ENTRY_H
#include <stddef.h>
#include <stdint.h>

#define TW_OUI_WAYS 2 /* ways (one hash function each) */
#define TW_OUI_BUCKETS 2048 /* buckets per way (reference geometry; a power of two) */
#define TW_OUI_SLOTS 2 /* entries per bucket */
#define TW_CAP_OUI 4096 /* OUIs the compiler accepts (half the slots: cuckoo placement stays reliable) */
#define TW_CAP_VENDOR_SETS 8 /* vendor sets (bits of vset) */
#define TW_OUI_MAX_KICKS 512 /* cuckoo displacements before the compiler reports the table full */

#define TW_OE_VALID_LSB 0
#define TW_OE_VALID_W 1
#define TW_OE_OUI_LSB 1
#define TW_OE_OUI_W 24
#define TW_OE_VSET_LSB 25
#define TW_OE_VSET_W 8
#define TW_OE_WIDTH 33
#define TW_OE_BYTES ((TW_OE_WIDTH + 7) / 8)

/* The record oui_entry decoded: one member per field (arrays are wire order). */
struct tw_oui_entry {
    uint8_t valid; /* 1 bits: the entry holds an OUI */
    uint32_t oui; /* 24 bits: the OUI, first byte of the MAC in bits 23..16 */
    uint8_t vset; /* 8 bits: vendor sets the OUI belongs to (bit n = set n) */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_OUI_ENTRY_FIELDS(X) \
    X(valid, 0, 1) \
    X(oui, 1, 24) \
    X(vset, 25, 8)

#endif
