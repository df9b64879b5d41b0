/* Generated from contracts/port_entry.def by contracts/gen.awk: do not edit. */
#ifndef TW_PORT_ENTRY_H
#define TW_PORT_ENTRY_H
#include <stddef.h>
#include <stdint.h>

#define TW_CAP_PORT_RANGES 64 /* port range entries */
#define TW_CAP_PORT_SETS 16 /* port sets (bits of sets) */

#define TW_PT_VALID_LSB 0
#define TW_PT_VALID_W 1
#define TW_PT_LO_LSB 1
#define TW_PT_LO_W 16
#define TW_PT_HI_LSB 17
#define TW_PT_HI_W 16
#define TW_PT_SETS_LSB 33
#define TW_PT_SETS_W 16
#define TW_PT_WIDTH 49
#define TW_PT_BYTES ((TW_PT_WIDTH + 7) / 8)

/* The record port_entry decoded: one member per field (arrays are wire order). */
struct tw_port_entry {
    uint8_t valid; /* 1 bits: the entry is in use */
    uint16_t lo; /* 16 bits: first port of the range */
    uint16_t hi; /* 16 bits: last port of the range (inclusive) */
    uint16_t sets; /* 16 bits: port sets this range belongs to (bit n = set n) */
};

/* One row per field: name, first bit in the record, width, member offset and size. */
#define TW_PORT_ENTRY_FIELDS(X) \
    X(valid, 0, 1) \
    X(lo, 1, 16) \
    X(hi, 17, 16) \
    X(sets, 33, 16)

#endif
