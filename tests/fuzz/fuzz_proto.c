/* libFuzzer target for the link protocol's host decoder (host/src/proto.c): arbitrary bytes in arbitrary chunks,
 * both directions, every payload parser on every frame, and the FTDI strip. Checks the decoder's accounting (every
 * byte is part of a yielded frame, discarded, or pending), that each frame re-encodes to the same bytes, and that
 * a valid frame appended after the input is always found after a flush. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tapwatch/proto.h"

static void check(int cond)
{
    if (!cond)
        abort();
}

static void decode_all(struct tw_proto_dec *d, const uint8_t *data, size_t size, size_t chunk, uint64_t *yielded)
{
    uint8_t re[TW_PROTO_MAX_FRAME];
    for (size_t off = 0; off < size;) {
        size_t k = size - off < chunk ? size - off : chunk;
        check(tw_proto_dec_push(d, data + off, k) == 0);
        off += k;
        struct tw_proto_frame f;
        while (tw_proto_dec_next(d, &f) == 1) {
            (*yielded)++;
            /* the frame re-encodes to itself */
            int n = tw_proto_encode(f.type, f.seq, f.payload, f.len, re, sizeof(re));
            check(n == (int)(TW_PROTO_HDR_BYTES + f.len + TW_PROTO_CRC_BYTES));
            check(memcmp(re + TW_PROTO_HDR_BYTES, f.payload, f.len) == 0);
            struct tw_proto_cmd c;
            struct tw_proto_resp r;
            struct tw_proto_counters cn;
            struct tw_proto_error e;
            int rc = tw_proto_parse_cmd(&f, &c);
            if (rc == 0 && (c.type == TW_CMD_REG_WRITE || c.type == TW_CMD_TABLE_WRITE))
                check(c.data != NULL && c.count > 0);
            rc = tw_proto_parse_resp(&f, &r);
            check(rc <= 0 && (rc != 0 || r.count <= TW_PROTO_MAX_REGS));
            rc = tw_proto_parse_counters(&f, &cn);
            check(rc <= 0 && (rc != 0 || (cn.count >= 1 && cn.count <= TW_PROTO_MAX_CNTS)));
            (void)tw_proto_parse_error(&f, &e);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] % 97 + 1;
    enum tw_proto_dir dir = (data[0] & 0x80) ? TW_PROTO_HOST_TO_DEV : TW_PROTO_DEV_TO_HOST;
    data++;
    size--;

    struct tw_proto_dec *d = NULL;
    if (tw_proto_dec_new(&d, dir) != 0)
        return 0;
    uint64_t yielded = 0;
    decode_all(d, data, size, chunk, &yielded);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    check(s.frames == yielded);
    check(s.bytes + s.discarded + tw_proto_dec_pending(d) == size);

    /* after a flush, a good frame that follows is always found */
    tw_proto_dec_flush(d);
    struct tw_proto_frame f;
    while (tw_proto_dec_next(d, &f) == 1)
        yielded++;
    check(tw_proto_dec_pending(d) == 0);
    uint8_t good[64];
    int n = dir == TW_PROTO_DEV_TO_HOST ? tw_proto_enc_error(0x4242, TW_EC_CRC, 1, 2, good, sizeof(good))
                                        : tw_proto_enc_commit(0x4242, 5, good, sizeof(good));
    check(n > 0);
    check(tw_proto_dec_push(d, good, (size_t)n) == 0);
    check(tw_proto_dec_next(d, &f) == 1 && f.seq == 0x4242 && f.len == (dir == TW_PROTO_DEV_TO_HOST ? 12 : 4));
    tw_proto_dec_stats(d, &s);
    check(s.bytes + s.discarded + tw_proto_dec_pending(d) == size + (size_t)n);
    tw_proto_dec_free(d);

    /* the FTDI strip: in place, never grows */
    uint8_t *copy = malloc(size ? size : 1);
    if (copy) {
        memcpy(copy, data, size);
        size_t pkt = (size_t)(chunk % 3 == 0 ? 64 : 512);
        int m = tw_ftdi_strip(copy, size, copy, pkt);
        check(m == TW_PROTO_EINVAL || (m >= 0 && (size_t)m <= size));
        free(copy);
    }
    return 0;
}
