/* One metadata record (struct tw_meta) as one JSON object on one line: the `tapwatch-sim parse` format (JSON
 * Lines), documented in docs/sim.md. Keys are omitted when the record has no such value. */
#ifndef TAPWATCH_META_JSON_H
#define TAPWATCH_META_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/meta.h"

/* Longest object tw_meta_json can produce (bytes, without the NUL). */
#define TW_META_JSON_MAX 1536

/* Writes the object (no newline) and a NUL into buf. pcap_cnt: the frame's 1-based number in its capture, written
 * first as "pcap_cnt"; 0 leaves the key out. Returns the length written (without the NUL), -EINVAL for NULL
 * arguments, -ENOSPC when n is too small (buf then holds a truncated, NUL-terminated prefix). */
int tw_meta_json(const struct tw_meta *m, uint64_t pcap_cnt, char *buf, size_t n);

#endif
