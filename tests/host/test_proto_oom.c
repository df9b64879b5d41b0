/* The protocol decoder (host/src/proto.c) when memory runs out (tests/common/failalloc.h; host/host.mk links the
 * wrappers): creating it fails cleanly at either allocation, and a push whose buffer growth fails returns
 * TW_PROTO_ENOMEM having appended nothing, so the frames already pushed still decode and the same bytes can be pushed
 * again. The device layer never makes the buffer grow (docs/protocol.md), so this path is reached only here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "failalloc.h"
#include "tapwatch/proto.h"

static void test_new_fails_cleanly(void **st)
{
    (void)st;
    for (unsigned long k = 1; k <= 2; k++) {
        struct tw_proto_dec *d = (struct tw_proto_dec *)&d; /* not NULL: a failure must not leave it as it was */
        failalloc_start(k);
        int rc = tw_proto_dec_new(&d, TW_PROTO_DEV_TO_HOST);
        failalloc_pause();
        assert_int_equal(rc, TW_PROTO_ENOMEM);
        assert_int_equal(failalloc_live(), 0);
    }
    struct tw_proto_dec *d = NULL;
    failalloc_start(0);
    assert_int_equal(tw_proto_dec_new(&d, TW_PROTO_DEV_TO_HOST), 0);
    failalloc_pause();
    assert_int_equal(failalloc_count(), 2);
    tw_proto_dec_free(d);
    assert_int_equal(failalloc_live(), 0);
}

/* Encodes n record frames (seq from seq0, payload bytes = the frame's number) into buf; returns the byte count. */
static size_t frames(uint8_t *buf, size_t cap, unsigned n, uint16_t seq0, size_t len)
{
    size_t at = 0;
    uint8_t rec[TW_PROTO_MAX_LEN];
    for (unsigned i = 0; i < n; i++) {
        memset(rec, (int)(seq0 + i), len);
        int k = tw_proto_enc_record(TW_DEV_FLOW, (uint16_t)(seq0 + i), rec, len, buf + at, cap - at);
        assert_true(k > 0);
        at += (size_t)k;
    }
    return at;
}

static unsigned drain(struct tw_proto_dec *d, uint16_t *seq)
{
    struct tw_proto_frame f;
    unsigned n = 0;
    while (tw_proto_dec_next(d, &f) == 1) {
        assert_int_equal(f.seq, *seq);
        assert_int_equal(f.payload[0], (uint8_t)*seq);
        assert_int_equal(f.gap, 0);
        ++*seq;
        n++;
    }
    return n;
}

static void test_failed_growth_appends_nothing(void **st)
{
    (void)st;
    struct tw_proto_dec *d;
    assert_int_equal(tw_proto_dec_new(&d, TW_PROTO_DEV_TO_HOST), 0);
    static uint8_t head[4 * TW_PROTO_MAX_FRAME], big[16 * TW_PROTO_MAX_FRAME];
    /* two whole frames and half of a third pushed, not yet read */
    size_t nh = frames(head, sizeof head, 3, 0, 900);
    size_t keep = nh - 450;
    assert_int_equal(tw_proto_dec_push(d, head, keep), 0);
    size_t pending = tw_proto_dec_pending(d);
    /* the rest of the third and twelve more: more than the buffer (four frames) holds, so it must grow */
    size_t nb = frames(big, sizeof big, 12, 3, 900);
    uint8_t *chunk = malloc(450 + nb);
    assert_non_null(chunk);
    memcpy(chunk, head + keep, 450);
    memcpy(chunk + 450, big, nb);
    failalloc_start(1);
    assert_int_equal(tw_proto_dec_push(d, chunk, 450 + nb), TW_PROTO_ENOMEM);
    failalloc_pause();
    assert_int_equal(failalloc_count(), 1);
    assert_int_equal(tw_proto_dec_pending(d), pending); /* nothing appended */
    /* what was there still decodes: the two whole frames */
    uint16_t seq = 0;
    assert_int_equal(drain(d, &seq), 2);
    /* the same bytes again, the allocation working: every frame, in order, no gap */
    failalloc_start(0);
    assert_int_equal(tw_proto_dec_push(d, chunk, 450 + nb), 0);
    failalloc_pause();
    assert_int_equal(failalloc_count(), 1); /* the growth */
    assert_int_equal(drain(d, &seq), 13);
    assert_int_equal(seq, 15);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.lost + s.crc_errors + s.hdr_errors, 0);
    free(chunk);
    tw_proto_dec_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_fails_cleanly),
        cmocka_unit_test(test_failed_growth_appends_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
