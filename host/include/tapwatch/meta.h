/* The parser's metadata record (contracts/meta.def): packing to and from the bit layout the RTL emits. */
#ifndef TAPWATCH_META_H
#define TAPWATCH_META_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/tw_meta.h"

/* Decode a record of TW_M_BYTES bytes (bit i of the record is bit i%8 of byte i/8) into m. */
void tw_meta_unpack(const uint8_t *bits, struct tw_meta *m);
/* Encode m into TW_M_BYTES bytes; bits above each field's width are ignored. */
void tw_meta_pack(const struct tw_meta *m, uint8_t *bits);
/* Name of tunnel kind k as used in JSON and rules ("gre", "erspan2", ...), or NULL. */
const char *tw_tunnel_name(unsigned k);
/* Name of error bit b ("runt", "giant", ...), or NULL. */
const char *tw_err_name(unsigned b);

#endif
