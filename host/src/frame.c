/* The frame of a capture record (tapwatch/frame.h): one rule for analyze and replay. */
#include "tapwatch/frame.h"

#include <string.h>

enum tw_frame_class tw_frame_of_record(const uint8_t *bytes, uint32_t caplen, uint32_t wire_len, uint8_t *buf,
                                       struct tw_frame *f)
{
    uint32_t len = caplen > wire_len ? caplen : wire_len;
    f->len = len;
    f->caplen = caplen;
    f->data = NULL;
    if (len == 0)
        return TW_FRAME_EMPTY;
    if (len > TW_FRAME_MAX)
        return TW_FRAME_TOO_LONG;
    if (caplen == len) {
        f->data = bytes;
        return TW_FRAME_WHOLE;
    }
    if (caplen)
        memcpy(buf, bytes, caplen);
    memset(buf + caplen, 0, len - caplen);
    f->data = buf;
    return TW_FRAME_SNAPPED;
}

const char *tw_frame_class_name(enum tw_frame_class c)
{
    switch (c) {
    case TW_FRAME_WHOLE: return "frames_whole";
    case TW_FRAME_SNAPPED: return "frames_snapped";
    case TW_FRAME_EMPTY: return "frames_empty";
    case TW_FRAME_TOO_LONG: return "frames_too_long";
    }
    return NULL;
}
