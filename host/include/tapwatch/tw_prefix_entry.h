/* Generated from contracts/prefix_entry.def by contracts/gen.awk: do not edit. */
#ifndef TW_PREFIX_ENTRY_H
#define TW_PREFIX_ENTRY_H
#include <stddef.h>
#include <stdint.h>

#define TW_CAP_PREFIXES 128 /* address prefix entries (IPv4 and IPv6 share the table) */
#define TW_CAP_ADDR_SETS 32 /* address sets (bits of sets) */

#define TW_PE_VALID_LSB 0
#define TW_PE_VALID_W 1
#define TW_PE_V6_LSB 1
#define TW_PE_V6_W 1
#define TW_PE_LEN_LSB 2
#define TW_PE_LEN_W 8
#define TW_PE_ADDR_LSB 10
#define TW_PE_ADDR_W 128
#define TW_PE_SETS_LSB 138
#define TW_PE_SETS_W 32
#define TW_PE_WIDTH 170
#define TW_PE_BYTES ((TW_PE_WIDTH + 7) / 8)

/* The record prefix_entry decoded: one member per field (arrays are wire order). */
struct tw_prefix_entry {
    uint8_t valid; /* 1 bits: the entry is in use */
    uint8_t v6; /* 1 bits: 0: IPv4 prefix (compared with address bits 31..0), 1: IPv6 (bits 127..0) */
    uint8_t len; /* 8 bits: prefix length: 0..32 (IPv4) or 0..128 (IPv6) */
    uint8_t addr[16]; /* 128 bits: the prefix, bits beyond len zero; IPv4 in the last 4 bytes (::a.b.c.d, as in tw_meta) */
    uint32_t sets; /* 32 bits: address sets this prefix belongs to (bit n = set n) */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_PREFIX_ENTRY_FIELDS(X) \
    X(valid, 0, 1) \
    X(v6, 1, 1) \
    X(len, 2, 8) \
    X(addr, 10, 128) \
    X(sets, 138, 32)

#endif
