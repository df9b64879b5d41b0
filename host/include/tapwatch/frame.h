/* The frame a capture record stands for: the one rule `tapwatch analyze` and `tapwatch replay` both apply to every
 * record, so that the reference detector and the device see the same frames (docs/replay.md "Which frames").
 *
 * A record has caplen captured bytes of a frame that was len bytes on the wire. The frame is the captured bytes
 * followed by zeros up to the wire length: L = max(caplen, len) bytes (a record cut by the snap length keeps its
 * wire length for flow and volume counters; its missing bytes are zeros, the same in both tools). A record with
 * L = 0, or L above TW_FRAME_MAX, is not a frame the device can receive: both tools skip it and count it
 * (capture.frames_empty, capture.frames_too_long); a padded one is counted in capture.frames_snapped. Evidence of a
 * padded frame is its captured bytes only (never the zeros). */
#ifndef TAPWATCH_FRAME_H
#define TAPWATCH_FRAME_H

#include <stdint.h>

/* Longest frame the device takes, in bytes. A limit of the simulated device (sim/twdev.h TWDEV_MAX_FRAME, its
 * frame-injection path; test_frame_rule checks the two agree), sized to the boards' receive FIFO (2048 beats of
 * 8 bytes each per port, docs/boards.md). The RTL core itself counts frame lengths in 24 bits. */
#define TW_FRAME_MAX 16383u

enum tw_frame_class {
    TW_FRAME_WHOLE = 0,    /* every byte captured: the frame is the captured bytes */
    TW_FRAME_SNAPPED = 1,  /* cut by the snap length: captured bytes + zeros up to the wire length */
    TW_FRAME_EMPTY = 2,    /* wire length 0 (and nothing captured): skipped, counted */
    TW_FRAME_TOO_LONG = 3, /* longer than TW_FRAME_MAX: skipped, counted */
};

/* The frame of one capture record. */
struct tw_frame {
    const uint8_t *data; /* len bytes: the captured bytes themselves, or the caller's buf for a snapped frame */
    uint32_t len;        /* bytes of the frame (= max(caplen, wire_len)) */
    uint32_t caplen;     /* of them captured (the rest zeros); evidence comes only from these */
};

/* tw_frame_of_record: classifies the record (bytes, caplen captured, wire_len on the wire) and, unless it is
 * skipped, sets *f to its frame. buf (TW_FRAME_MAX bytes, the caller's) is written only for a snapped frame. For a
 * skipped record *f has data NULL and len the record's L. Never fails; bytes may be NULL only when caplen is 0. */
enum tw_frame_class tw_frame_of_record(const uint8_t *bytes, uint32_t caplen, uint32_t wire_len, uint8_t *buf,
                                       struct tw_frame *f);
/* The same rule, with the common record (whole, 1..TW_FRAME_MAX bytes) taken inline: analyze and replay call it
 * for every record. */
static inline enum tw_frame_class tw_frame_of(const uint8_t *bytes, uint32_t caplen, uint32_t wire_len, uint8_t *buf,
                                              struct tw_frame *f)
{
    if (caplen == wire_len && caplen - 1u < TW_FRAME_MAX) {
        f->data = bytes;
        f->len = f->caplen = caplen;
        return TW_FRAME_WHOLE;
    }
    return tw_frame_of_record(bytes, caplen, wire_len, buf, f);
}

/* The statistics name of a class (capture.<name>): "frames_whole" (not written), "frames_snapped",
 * "frames_empty", "frames_too_long"; NULL for a value that is not a class. */
const char *tw_frame_class_name(enum tw_frame_class c);

#endif
