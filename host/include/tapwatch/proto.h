/* The framed host link protocol (contracts/protocol.def, docs/protocol.md): command encoders, payload parsers,
 * a streaming frame decoder and the FTDI modem-status strip. No global state; the decoder is an opaque handle.
 * Errors are negative TW_PROTO_E* codes (tw_proto_strerror names them). */
#ifndef TAPWATCH_PROTO_H
#define TAPWATCH_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "tapwatch/tw_protocol.h"
#include "tapwatch/tw_regs.h"

enum {
    TW_PROTO_EINVAL = -1,   /* bad argument: NULL pointer, count 0 or above its limit, payload too long */
    TW_PROTO_ENOSPC = -2,   /* output buffer too small */
    TW_PROTO_ENOMEM = -3,   /* allocation failed */
    TW_PROTO_EBADLEN = -4,  /* a payload's length does not match its type */
    TW_PROTO_EBADTYPE = -5, /* the frame is not of the type the parser expects */
};
const char *tw_proto_strerror(int err);

/* Largest frame on the wire: header, TW_PROTO_MAX_LEN payload bytes, CRC. */
#define TW_PROTO_MAX_FRAME (TW_PROTO_HDR_BYTES + TW_PROTO_MAX_LEN + TW_PROTO_CRC_BYTES)

/* CRC-16/CCITT-FALSE: pass TW_PROTO_CRC_INIT to start, the previous result to continue. */
uint16_t tw_proto_crc16(uint16_t crc, const uint8_t *p, size_t n);

/* ---- encoders: each writes one complete frame into buf and returns its length, or a negative error ---- */
int tw_proto_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint8_t *buf, size_t cap);
/* host -> device commands (seq: the host's command sequence number, echoed in the response) */
int tw_proto_enc_reg_read(uint16_t seq, uint16_t addr, uint16_t count, uint8_t *buf, size_t cap);
int tw_proto_enc_reg_write(uint16_t seq, uint16_t addr, const uint32_t *vals, uint16_t count, uint8_t *buf,
                           size_t cap);
int tw_proto_enc_table_write(uint16_t seq, uint8_t table, uint16_t index, const uint32_t *words, uint16_t count,
                             uint8_t *buf, size_t cap);
int tw_proto_enc_commit(uint16_t seq, uint32_t mask, uint8_t *buf, size_t cap);
int tw_proto_enc_time_set(uint16_t seq, uint64_t ns, uint8_t *buf, size_t cap);
int tw_proto_enc_cnt_snapshot(uint16_t seq, uint16_t base, uint16_t count, uint8_t *buf, size_t cap);
/* Zero bytes that flush any partial frame out of the device's receiver (>= one maximal frame); returns the
 * count written, or TW_PROTO_ENOSPC. Zeros never form a sync pattern. */
int tw_proto_resync_pad(uint8_t *buf, size_t cap);

/* device -> host frames (used by software device models and tests) */
int tw_proto_enc_resp(uint16_t seq, uint8_t cmd_type, uint8_t status, uint16_t cmd_seq, uint16_t addr,
                      const uint32_t *vals, uint16_t count, uint8_t *buf, size_t cap);
int tw_proto_enc_counters(uint16_t seq, uint16_t cmd_seq, uint16_t base, uint64_t time_ns, const uint64_t *vals,
                          uint16_t count, uint8_t *buf, size_t cap);
int tw_proto_enc_error(uint16_t seq, uint8_t code, uint32_t count, uint32_t total, uint8_t *buf, size_t cap);
/* type: TW_DEV_ALERT or TW_DEV_FLOW */
int tw_proto_enc_record(uint8_t type, uint16_t seq, const uint8_t *rec, size_t len, uint8_t *buf, size_t cap);

/* ---- decoded frames and payloads ---- */
struct tw_proto_frame {
    uint8_t type;
    uint16_t seq;
    uint16_t len;
    const uint8_t *payload; /* valid until the next call on the decoder */
    uint32_t gap;           /* frames missing right before this one (sequence gap), 0 normally */
    int dup;                /* 1: the sequence number went backwards (duplicate or reordered frame) */
};

struct tw_proto_cmd {
    uint8_t type;
    uint16_t addr;    /* REG_READ/REG_WRITE: register; TABLE_WRITE: index; CNT_SNAPSHOT: base */
    uint16_t count;   /* registers, words or counters */
    uint8_t table;    /* TABLE_WRITE */
    uint32_t mask;    /* COMMIT */
    uint64_t time_ns; /* TIME_SET */
    const uint8_t *data; /* REG_WRITE/TABLE_WRITE: count little-endian u32 words (points into the frame) */
};

struct tw_proto_resp {
    uint8_t cmd_type, status;
    uint16_t cmd_seq, addr, count;
    uint32_t vals[TW_PROTO_MAX_REGS];
};

struct tw_proto_counters {
    uint16_t cmd_seq, base, count;
    uint64_t time_ns;
    uint64_t vals[TW_PROTO_MAX_CNTS];
};

struct tw_proto_error {
    uint8_t code;
    uint32_t count, total;
};

/* Payload parsers: 0, TW_PROTO_EBADTYPE (wrong frame type), TW_PROTO_EBADLEN or TW_PROTO_EINVAL (count). */
int tw_proto_parse_cmd(const struct tw_proto_frame *f, struct tw_proto_cmd *c);
int tw_proto_parse_resp(const struct tw_proto_frame *f, struct tw_proto_resp *r);
int tw_proto_parse_counters(const struct tw_proto_frame *f, struct tw_proto_counters *c);
int tw_proto_parse_error(const struct tw_proto_frame *f, struct tw_proto_error *e);
/* Name of a frame type ("reg_read", "resp", ...) or NULL; name of a response status or error code. */
const char *tw_proto_type_name(unsigned type);
const char *tw_proto_status_name(unsigned status);

/* ---- streaming decoder ---- */
enum tw_proto_dir {
    TW_PROTO_DEV_TO_HOST = 0, /* the host decodes device frames (types >= 0x81) */
    TW_PROTO_HOST_TO_DEV = 1, /* a device model decodes commands (types 1..6) */
};

struct tw_proto_stats {
    uint64_t frames;     /* good frames yielded */
    uint64_t bytes;      /* bytes of good frames */
    uint64_t crc_errors; /* candidate frames with a plausible header and a bad CRC */
    uint64_t hdr_errors; /* candidate headers rejected (unknown type for the direction, length too big) */
    uint64_t truncated;  /* incomplete candidates given up by tw_proto_dec_flush */
    uint64_t resyncs;    /* runs of discarded bytes (each is one loss of sync) */
    uint64_t discarded;  /* bytes discarded while hunting for sync */
    uint64_t seq_gaps;   /* frames that came after a sequence gap */
    uint64_t lost;       /* frames missing according to the gaps */
    uint64_t dups;       /* frames whose sequence number went backwards */
};

struct tw_proto_dec;
/* Returns 0 and a new decoder in *out, or TW_PROTO_EINVAL / TW_PROTO_ENOMEM. */
int tw_proto_dec_new(struct tw_proto_dec **out, enum tw_proto_dir dir);
void tw_proto_dec_free(struct tw_proto_dec *d);
/* Forgets buffered bytes and the expected sequence number; keeps the statistics. */
void tw_proto_dec_reset(struct tw_proto_dec *d);
/* Appends bytes (any chunking); 0 or TW_PROTO_ENOMEM (then nothing was appended). */
int tw_proto_dec_push(struct tw_proto_dec *d, const uint8_t *data, size_t n);
/* 1 and the next frame in *f, or 0 when more bytes are needed. */
int tw_proto_dec_next(struct tw_proto_dec *d, struct tw_proto_frame *f);
/* The stream has paused (e.g. a read timed out after the chip's latency timer): the next calls of
 * tw_proto_dec_next give up on an incomplete candidate frame (a corrupted length can otherwise hold later frames
 * back until that many bytes arrive) and hunt through the rest, until tw_proto_dec_next returns 0; by then
 * nothing is pending. Only call it when no frame can be in flight: the device writes whole frames at once. */
void tw_proto_dec_flush(struct tw_proto_dec *d);
/* Bytes buffered but not yet part of a yielded frame or discarded. */
size_t tw_proto_dec_pending(const struct tw_proto_dec *d);
void tw_proto_dec_stats(const struct tw_proto_dec *d, struct tw_proto_stats *s);

/* ---- FTDI ---- */
#define TW_FTDI_PACKET 512 /* high-speed bulk IN packet */
#define TW_FTDI_STATUS 2   /* modem-status bytes at the start of every IN packet */
/* Removes the 2 modem-status bytes from every packet of one bulk IN transfer (in: n bytes, packets of pkt bytes,
 * the last may be short). out may equal in. Returns the payload byte count, or TW_PROTO_EINVAL when pkt <= 2 or a
 * packet is shorter than its status bytes. */
int tw_ftdi_strip(const uint8_t *in, size_t n, uint8_t *out, size_t pkt);

#endif
