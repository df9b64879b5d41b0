/* Generated from contracts/pfx_iv_entry.def by contracts/gen.awk: do not edit. */
#ifndef TW_PFX_IV_ENTRY_H
#define TW_PFX_IV_ENTRY_H
#include <stddef.h>
#include <stdint.h>

#define TW_TBL_PFX_IV 7 /* table id of the interval table (CMD_TABLE_WRITE, the engine's table port) */
#define TW_PI_ENTRIES 512 /* entries per bank in the reference small build (REG_CAP_PFX_IV reports the device's) */

#define TW_PI_V6_LSB 0
#define TW_PI_V6_W 1
#define TW_PI_ADDR_LSB 1
#define TW_PI_ADDR_W 128
#define TW_PI_SETS_LSB 129
#define TW_PI_SETS_W 32
#define TW_PI_WIDTH 161
#define TW_PI_BYTES ((TW_PI_WIDTH + 7) / 8)

/* The record pfx_iv_entry decoded: one member per field (arrays are wire order). */
struct tw_pfx_iv_entry {
    uint8_t v6; /* 1 bits: key bit 128: 0 IPv4, 1 IPv6 */
    uint8_t addr[16]; /* 128 bits: key bits 127..0: the first address of the interval (IPv4 in the last 4 bytes, as in tw_meta) */
    uint32_t sets; /* 32 bits: address sets of every address in [this key, the next entry's key) */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_PFX_IV_ENTRY_FIELDS(X) \
    X(v6, 0, 1) \
    X(addr, 1, 128) \
    X(sets, 129, 32)

#endif
