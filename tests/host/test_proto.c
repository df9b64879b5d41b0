/* Host codec of the framed link protocol (host/src/proto.c): encoders, parsers, the streaming decoder under
 * garbage, corruption, loss, duplication and arbitrary chunking, sequence gaps, and the FTDI status strip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tapwatch/proto.h"

/* ---- helpers ---- */

struct got {
    size_t n;
    uint8_t type[512];
    uint16_t seq[512], len[512];
    uint32_t gap[512];
    int dup[512];
    uint8_t payload[512][64];
};

/* Pushes data in chunks of the given size (0: all at once) and collects the frames. */
static void run(struct tw_proto_dec *d, const uint8_t *p, size_t n, size_t chunk, struct got *g)
{
    size_t off = 0;
    while (off < n) {
        size_t k = chunk ? (n - off < chunk ? n - off : chunk) : n;
        assert_int_equal(tw_proto_dec_push(d, p + off, k), 0);
        off += k;
        struct tw_proto_frame f;
        while (tw_proto_dec_next(d, &f) == 1) {
            assert_true(g->n < 512);
            g->type[g->n] = f.type;
            g->seq[g->n] = f.seq;
            g->len[g->n] = f.len;
            g->gap[g->n] = f.gap;
            g->dup[g->n] = f.dup;
            memcpy(g->payload[g->n], f.payload, f.len < 64 ? f.len : 64);
            g->n++;
        }
    }
}

/* The stream pauses: give up on an incomplete candidate and collect what follows. */
static void finish(struct tw_proto_dec *d, struct got *g)
{
    tw_proto_dec_flush(d);
    struct tw_proto_frame f;
    while (tw_proto_dec_next(d, &f) == 1) {
        assert_true(g->n < 512);
        g->type[g->n] = f.type;
        g->seq[g->n] = f.seq;
        g->len[g->n] = f.len;
        g->gap[g->n] = f.gap;
        g->dup[g->n] = f.dup;
        memcpy(g->payload[g->n], f.payload, f.len < 64 ? f.len : 64);
        g->n++;
    }
    assert_int_equal(tw_proto_dec_pending(d), 0);
}

static struct tw_proto_dec *dec(enum tw_proto_dir dir)
{
    struct tw_proto_dec *d = NULL;
    assert_int_equal(tw_proto_dec_new(&d, dir), 0);
    assert_non_null(d);
    return d;
}

static uint32_t rng(uint32_t *x)
{
    *x = *x * 1103515245u + 12345u;
    return *x >> 16;
}

/* A stream of device frames with sequence numbers seq0.. : records, responses, errors, counters. Returns the
 * length; starts[i] is where frame i begins. */
static size_t device_stream(uint8_t *buf, size_t cap, unsigned nframes, uint16_t seq0, size_t *starts)
{
    size_t off = 0;
    for (unsigned i = 0; i < nframes; i++) {
        int n;
        uint16_t seq = (uint16_t)(seq0 + i);
        uint8_t rec[40];
        for (unsigned k = 0; k < sizeof(rec); k++)
            rec[k] = (uint8_t)(i * 31 + k);
        switch (i % 4) {
        case 0: n = tw_proto_enc_record(TW_DEV_ALERT, seq, rec, 10 + i % 30, buf + off, cap - off); break;
        case 1: {
            uint32_t v[3] = {i, i * 2, i * 3};
            n = tw_proto_enc_resp(seq, TW_CMD_REG_READ, TW_ST_OK, (uint16_t)i, 0x20, v, 3, buf + off, cap - off);
            break;
        }
        case 2: n = tw_proto_enc_error(seq, TW_EC_TX_DROP, i, i * 10, buf + off, cap - off); break;
        default: n = tw_proto_enc_record(TW_DEV_FLOW, seq, rec, 40, buf + off, cap - off); break;
        }
        assert_true(n > 0);
        if (starts)
            starts[i] = off;
        off += (size_t)n;
    }
    return off;
}

static void check_invariant(struct tw_proto_dec *d, size_t pushed)
{
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.bytes + s.discarded + tw_proto_dec_pending(d), pushed);
}

/* ---- tests ---- */

static void test_crc(void **state)
{
    (void)state;
    const uint8_t check[] = "123456789";
    assert_int_equal(tw_proto_crc16(TW_PROTO_CRC_INIT, check, 9), 0x29b1); /* CRC-16/CCITT-FALSE check value */
    /* continuing equals one pass */
    uint16_t c = tw_proto_crc16(TW_PROTO_CRC_INIT, check, 4);
    assert_int_equal(tw_proto_crc16(c, check + 4, 5), 0x29b1);
    assert_int_equal(tw_proto_crc16(0x1234, check, 0), 0x1234);
}

static void test_frame_layout(void **state)
{
    (void)state;
    uint8_t b[64];
    const uint8_t p[3] = {0xaa, 0xbb, 0xcc};
    assert_int_equal(tw_proto_encode(0x82, 0x1234, p, 3, b, sizeof(b)), 12);
    const uint8_t head[] = {0xa5, 0x5a, 0x82, 0x34, 0x12, 0x03, 0x00, 0xaa, 0xbb, 0xcc};
    assert_memory_equal(b, head, sizeof(head));
    uint16_t crc = tw_proto_crc16(TW_PROTO_CRC_INIT, b + 2, 8);
    assert_int_equal(b[10], crc & 0xff);
    assert_int_equal(b[11], crc >> 8);
    /* empty payload */
    assert_int_equal(tw_proto_encode(0x81, 0, NULL, 0, b, sizeof(b)), TW_PROTO_HDR_BYTES + TW_PROTO_CRC_BYTES);
}

static void test_roundtrip_commands(void **state)
{
    (void)state;
    struct tw_proto_dec *d = dec(TW_PROTO_HOST_TO_DEV);
    uint8_t buf[8192];
    size_t off = 0;
    uint32_t vals[TW_PROTO_MAX_REGS], words[TW_PROTO_MAX_WORDS];
    for (unsigned i = 0; i < TW_PROTO_MAX_REGS; i++)
        vals[i] = 0x01000000u * i + 3;
    for (unsigned i = 0; i < TW_PROTO_MAX_WORDS; i++)
        words[i] = 0xfedc0000u + i;
    int n;
    n = tw_proto_enc_reg_read(10, 0x1234, TW_PROTO_MAX_REGS, buf + off, sizeof(buf) - off); assert_true(n > 0); off += (size_t)n;
    n = tw_proto_enc_reg_write(11, 0x0012, vals, TW_PROTO_MAX_REGS, buf + off, sizeof(buf) - off); assert_true(n > 0); off += (size_t)n;
    n = tw_proto_enc_table_write(12, 9, 0x4321, words, TW_PROTO_MAX_WORDS, buf + off, sizeof(buf) - off); assert_true(n > 0); off += (size_t)n;
    assert_int_equal(n, TW_PROTO_MAX_FRAME); /* 8 + 4 * 254 = 1024: the largest table write fills a frame */
    n = tw_proto_enc_commit(13, 0x80000001u, buf + off, sizeof(buf) - off); assert_true(n > 0); off += (size_t)n;
    n = tw_proto_enc_time_set(14, 0x0102030405060708ull, buf + off, sizeof(buf) - off); assert_true(n > 0); off += (size_t)n;
    n = tw_proto_enc_cnt_snapshot(15, 7, TW_PROTO_MAX_CNTS, buf + off, sizeof(buf) - off); assert_true(n > 0); off += (size_t)n;
    assert_int_equal(tw_proto_dec_push(d, buf, off), 0);
    struct tw_proto_frame f;
    struct tw_proto_cmd c;
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_cmd(&f, &c), 0);
    assert_int_equal(c.type, TW_CMD_REG_READ);
    assert_int_equal(f.seq, 10);
    assert_int_equal(c.addr, 0x1234);
    assert_int_equal(c.count, TW_PROTO_MAX_REGS);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_cmd(&f, &c), 0);
    assert_int_equal(c.type, TW_CMD_REG_WRITE);
    assert_int_equal(c.addr, 0x12);
    assert_int_equal(c.count, TW_PROTO_MAX_REGS);
    for (unsigned i = 0; i < c.count; i++)
        assert_int_equal(c.data[4 * i] | c.data[4 * i + 1] << 8 | c.data[4 * i + 2] << 16 |
                             (uint32_t)c.data[4 * i + 3] << 24, vals[i]);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_cmd(&f, &c), 0);
    assert_int_equal(c.type, TW_CMD_TABLE_WRITE);
    assert_int_equal(c.table, 9);
    assert_int_equal(c.addr, 0x4321);
    assert_int_equal(c.count, TW_PROTO_MAX_WORDS);
    assert_int_equal(c.data[4 * 253], (uint8_t)words[253]);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_cmd(&f, &c), 0);
    assert_int_equal(c.type, TW_CMD_COMMIT);
    assert_int_equal(c.mask, 0x80000001u);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_cmd(&f, &c), 0);
    assert_int_equal(c.type, TW_CMD_TIME_SET);
    assert_int_equal(c.time_ns, 0x0102030405060708ull);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_cmd(&f, &c), 0);
    assert_int_equal(c.type, TW_CMD_CNT_SNAPSHOT);
    assert_int_equal(f.seq, 15);
    assert_int_equal(c.addr, 7);
    assert_int_equal(c.count, TW_PROTO_MAX_CNTS);
    assert_int_equal(tw_proto_dec_next(d, &f), 0);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.frames, 6);
    assert_int_equal(s.bytes, off);
    assert_int_equal(s.discarded + s.crc_errors + s.hdr_errors + s.seq_gaps, 0);
    tw_proto_dec_free(d);
}

static void test_roundtrip_device(void **state)
{
    (void)state;
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    uint8_t buf[4096], rec[TW_PROTO_MAX_LEN];
    size_t off = 0;
    uint32_t vals[TW_PROTO_MAX_REGS];
    uint64_t cnts[TW_PROTO_MAX_CNTS];
    for (unsigned i = 0; i < TW_PROTO_MAX_REGS; i++)
        vals[i] = ~i;
    for (unsigned i = 0; i < TW_PROTO_MAX_CNTS; i++)
        cnts[i] = 0x8000000000000000ull + i;
    for (unsigned i = 0; i < sizeof(rec); i++)
        rec[i] = (uint8_t)(i ^ 0x5a);
    int n;
    n = tw_proto_enc_resp(0, TW_CMD_REG_READ, TW_ST_OK, 77, 0x10, vals, TW_PROTO_MAX_REGS, buf + off, sizeof(buf) - off); off += (size_t)n;
    n = tw_proto_enc_resp(1, TW_CMD_REG_WRITE, TW_ST_BAD_ADDR, 78, 0x11, NULL, 0, buf + off, sizeof(buf) - off); off += (size_t)n;
    n = tw_proto_enc_record(TW_DEV_ALERT, 2, rec, 32, buf + off, sizeof(buf) - off); off += (size_t)n;
    n = tw_proto_enc_record(TW_DEV_FLOW, 3, rec, TW_PROTO_MAX_LEN, buf + off, sizeof(buf) - off); off += (size_t)n;
    n = tw_proto_enc_counters(4, 79, 5, 123456789012345ull, cnts, TW_PROTO_MAX_CNTS, buf + off, sizeof(buf) - off); off += (size_t)n;
    n = tw_proto_enc_error(5, TW_EC_CRC, 3, 42, buf + off, sizeof(buf) - off); off += (size_t)n;
    assert_int_equal(tw_proto_dec_push(d, buf, off), 0);
    struct tw_proto_frame f;
    struct tw_proto_resp r;
    struct tw_proto_counters c;
    struct tw_proto_error e;
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
    assert_int_equal(r.cmd_type, TW_CMD_REG_READ);
    assert_int_equal(r.status, TW_ST_OK);
    assert_int_equal(r.cmd_seq, 77);
    assert_int_equal(r.addr, 0x10);
    assert_int_equal(r.count, TW_PROTO_MAX_REGS);
    assert_memory_equal(r.vals, vals, sizeof(vals));
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
    assert_int_equal(r.status, TW_ST_BAD_ADDR);
    assert_int_equal(r.count, 0);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(f.type, TW_DEV_ALERT);
    assert_int_equal(f.len, 32);
    assert_memory_equal(f.payload, rec, 32);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(f.type, TW_DEV_FLOW);
    assert_int_equal(f.len, TW_PROTO_MAX_LEN);
    assert_memory_equal(f.payload, rec, TW_PROTO_MAX_LEN);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_counters(&f, &c), 0);
    assert_int_equal(c.cmd_seq, 79);
    assert_int_equal(c.base, 5);
    assert_int_equal(c.count, TW_PROTO_MAX_CNTS);
    assert_int_equal(c.time_ns, 123456789012345ull);
    assert_memory_equal(c.vals, cnts, sizeof(cnts));
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(tw_proto_parse_error(&f, &e), 0);
    assert_int_equal(e.code, TW_EC_CRC);
    assert_int_equal(e.count, 3);
    assert_int_equal(e.total, 42);
    assert_int_equal(tw_proto_dec_next(d, &f), 0);
    assert_int_equal(tw_proto_dec_pending(d), 0);
    tw_proto_dec_free(d);
}

/* Device frames are header errors for a command decoder and the other way round. */
static void test_direction(void **state)
{
    (void)state;
    uint8_t b[64];
    int n = tw_proto_enc_reg_read(0, 0, 1, b, sizeof(b));
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    struct got g = {0};
    run(d, b, (size_t)n, 0, &g);
    assert_int_equal(g.n, 0);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.hdr_errors, 1);
    assert_int_equal(s.discarded, (size_t)n);
    tw_proto_dec_free(d);
    n = tw_proto_enc_error(0, 1, 1, 1, b, sizeof(b));
    d = dec(TW_PROTO_HOST_TO_DEV);
    run(d, b, (size_t)n, 0, &g);
    assert_int_equal(g.n, 0);
    tw_proto_dec_free(d);
}

static void test_garbage_before(void **state)
{
    (void)state;
    static uint8_t buf[40000];
    uint32_t x = 1;
    size_t glen = 5000;
    for (size_t i = 0; i < glen; i++) {
        buf[i] = (uint8_t)rng(&x);
        if (i % 50 == 0)
            buf[i] = TW_PROTO_SYNC0; /* false starts, some followed by SYNC1 by chance */
        if (i % 150 == 1)
            buf[i] = TW_PROTO_SYNC1;
    }
    size_t n = glen + device_stream(buf + glen, sizeof(buf) - glen, 100, 0, NULL);
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    struct got g = {0};
    run(d, buf, n, 0, &g);
    assert_int_equal(g.n, 100);
    for (unsigned i = 0; i < 100; i++) {
        assert_int_equal(g.seq[i], i);
        assert_int_equal(g.gap[i], 0);
    }
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.discarded, glen); /* exactly the garbage, nothing of the frames */
    assert_true(s.resyncs >= 1);
    assert_true(s.crc_errors + s.hdr_errors > 0); /* the false starts were looked at and rejected */
    check_invariant(d, n);
    tw_proto_dec_free(d);
}

static void test_garbage_inside(void **state)
{
    (void)state;
    uint8_t a[8192], buf[16384];
    size_t starts[20];
    size_t n = device_stream(a, sizeof(a), 20, 100, starts);
    /* garbage between frame 4 and 5, and a frame header cut short between 9 and 10 */
    size_t o = 0;
    memcpy(buf, a, starts[5]);
    o = starts[5];
    const uint8_t junk[] = {0x00, 0xa5, 0x5a, 0x81, 0xa5, 0xff, 0x5a};
    memcpy(buf + o, junk, sizeof(junk));
    o += sizeof(junk);
    memcpy(buf + o, a + starts[5], starts[10] - starts[5]);
    o += starts[10] - starts[5];
    const uint8_t cut[] = {0xa5, 0x5a, 0x82, 0x00, 0x00, 0x20};
    memcpy(buf + o, cut, sizeof(cut));
    o += sizeof(cut);
    memcpy(buf + o, a + starts[10], n - starts[10]);
    o += n - starts[10];
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    struct got g = {0};
    run(d, buf, o, 0, &g);
    assert_int_equal(g.n, 20);
    for (unsigned i = 0; i < 20; i++)
        assert_int_equal(g.seq[i], 100 + i);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.discarded, sizeof(junk) + sizeof(cut));
    assert_int_equal(s.resyncs, 2);
    assert_int_equal(s.seq_gaps, 0);
    check_invariant(d, o);
    tw_proto_dec_free(d);
}

/* One damaged frame (a byte flipped, removed or doubled) is lost; all others arrive, and the gap shows it. */
static void damaged(int how)
{
    uint8_t a[8192], buf[8192];
    size_t starts[30];
    size_t n = device_stream(a, sizeof(a), 30, 65530, starts); /* the sequence wraps on the way */
    for (unsigned victim = 0; victim < 29; victim += 7) {
        for (size_t at = starts[victim]; at < starts[victim + 1]; at += 3) {
            size_t o = 0;
            memcpy(buf, a, at);
            o = at;
            if (how == 0) {
                buf[o++] = a[at] ^ 0x04;
                memcpy(buf + o, a + at + 1, n - at - 1);
                o += n - at - 1;
            } else if (how == 1) {
                memcpy(buf + o, a + at + 1, n - at - 1);
                o += n - at - 1;
            } else {
                buf[o++] = a[at];
                memcpy(buf + o, a + at, n - at);
                o += n - at;
            }
            struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
            struct got g = {0};
            run(d, buf, o, 0, &g);
            finish(d, &g);
            /* a doubled first sync byte or last CRC byte only costs that byte: the frame survives */
            int survives = how == 2 && (at == starts[victim] || at == starts[victim + 1] - 1);
            assert_int_equal(g.n, survives ? 30 : 29);
            unsigned k = 0;
            for (unsigned i = 0; i < 30; i++) {
                if (i == victim && !survives)
                    continue;
                assert_int_equal(g.seq[k], (uint16_t)(65530 + i));
                /* losing the very first frame shows no gap: nothing was expected yet */
                assert_int_equal(g.gap[k], (!survives && victim > 0 && i == victim + 1) ? 1 : 0);
                assert_int_equal(g.dup[k], 0);
                k++;
            }
            struct tw_proto_stats s;
            tw_proto_dec_stats(d, &s);
            assert_int_equal(s.lost, (survives || victim == 0) ? 0 : 1);
            /* the damage always shows: a rejected candidate, or at least discarded bytes */
            assert_true(s.discarded >= 1);
            assert_true(survives || at == starts[victim] || s.crc_errors + s.hdr_errors + s.truncated >= 1);
            check_invariant(d, o);
            tw_proto_dec_free(d);
        }
    }
}

static void test_corrupted_byte(void **state) { (void)state; damaged(0); }
static void test_dropped_byte(void **state) { (void)state; damaged(1); }
static void test_duplicated_byte(void **state) { (void)state; damaged(2); }

static void test_split_everywhere(void **state)
{
    (void)state;
    uint8_t a[4096];
    size_t n = device_stream(a, sizeof(a), 8, 0, NULL);
    struct got ref = {0};
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    run(d, a, n, 0, &ref);
    tw_proto_dec_free(d);
    assert_int_equal(ref.n, 8);
    for (size_t cut = 1; cut < n; cut++) {
        struct got g = {0};
        d = dec(TW_PROTO_DEV_TO_HOST);
        assert_int_equal(tw_proto_dec_push(d, a, cut), 0);
        struct tw_proto_frame f;
        while (tw_proto_dec_next(d, &f) == 1) {
            g.seq[g.n] = f.seq;
            g.len[g.n] = f.len;
            memcpy(g.payload[g.n], f.payload, f.len < 64 ? f.len : 64);
            g.n++;
        }
        run(d, a + cut, n - cut, 0, &g);
        assert_int_equal(g.n, ref.n);
        assert_memory_equal(g.seq, ref.seq, sizeof(ref.seq[0]) * ref.n);
        assert_memory_equal(g.len, ref.len, sizeof(ref.len[0]) * ref.n);
        assert_memory_equal(g.payload, ref.payload, sizeof(ref.payload[0]) * ref.n);
        struct tw_proto_stats s;
        tw_proto_dec_stats(d, &s);
        assert_int_equal(s.discarded + s.crc_errors + s.hdr_errors, 0);
        tw_proto_dec_free(d);
    }
    /* every chunk size from 1 byte */
    for (size_t chunk = 1; chunk < 80; chunk++) {
        struct got g = {0};
        d = dec(TW_PROTO_DEV_TO_HOST);
        run(d, a, n, chunk, &g);
        assert_int_equal(g.n, ref.n);
        assert_memory_equal(g.payload, ref.payload, sizeof(ref.payload[0]) * ref.n);
        check_invariant(d, n);
        tw_proto_dec_free(d);
    }
}

static void test_sequence(void **state)
{
    (void)state;
    /* wrap, a gap of 2, a duplicate, one going back, then a big jump forward (under half the space) */
    const uint16_t seqs[] = {65533, 65534, 65535, 0, 1, 4, 5, 5, 3, 6, 20000, 20001, 20003};
    uint8_t buf[1024];
    size_t o = 0;
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
        int n = tw_proto_enc_error(seqs[i], TW_EC_CRC, 0, 0, buf + o, sizeof(buf) - o);
        assert_true(n > 0);
        o += (size_t)n;
    }
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    struct got g = {0};
    run(d, buf, o, 0, &g);
    assert_int_equal(g.n, 13);
    const uint32_t gaps[] = {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 19993, 0, 1};
    const int dups[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0};
    for (unsigned i = 0; i < 13; i++) {
        assert_int_equal(g.gap[i], gaps[i]);
        assert_int_equal(g.dup[i], dups[i]);
    }
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.seq_gaps, 3);
    assert_int_equal(s.lost, 2 + 19993 + 1);
    assert_int_equal(s.dups, 2);
    /* reset forgets the expected number (a device reset restarts at 0) but keeps the statistics */
    tw_proto_dec_reset(d);
    int n = tw_proto_enc_error(0, TW_EC_CRC, 0, 0, buf, sizeof(buf));
    struct got g2 = {0};
    run(d, buf, (size_t)n, 0, &g2);
    assert_int_equal(g2.n, 1);
    assert_int_equal(g2.gap[0], 0);
    assert_int_equal(g2.dup[0], 0);
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.frames, 14);
    tw_proto_dec_free(d);
}

static void test_big_push(void **state)
{
    (void)state;
    size_t cap = 600 * 1100;
    uint8_t *buf = malloc(cap), rec[TW_PROTO_MAX_LEN] = {1, 2, 3};
    assert_non_null(buf);
    size_t o = 0;
    for (unsigned i = 0; i < 600; i++) {
        int n = tw_proto_enc_record(TW_DEV_FLOW, (uint16_t)i, rec, TW_PROTO_MAX_LEN, buf + o, cap - o);
        assert_true(n > 0);
        o += (size_t)n;
    }
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    assert_int_equal(tw_proto_dec_push(d, buf, o), 0);
    struct tw_proto_frame f;
    unsigned k = 0;
    while (tw_proto_dec_next(d, &f) == 1) {
        assert_int_equal(f.seq, k);
        k++;
    }
    assert_int_equal(k, 600);
    check_invariant(d, o);
    free(buf);
    tw_proto_dec_free(d);
}

static void test_ftdi_strip(void **state)
{
    (void)state;
    uint8_t in[3 * 512 + 100], out[sizeof(in)], want[sizeof(in)];
    size_t w = 0;
    for (size_t i = 0; i < sizeof(in); i++) {
        in[i] = (uint8_t)(i * 13);
        if (i % 512 < 2)
            in[i] = i % 512 == 0 ? 0x32 : 0x60;
        else
            want[w++] = in[i];
    }
    assert_int_equal(tw_ftdi_strip(in, sizeof(in), out, TW_FTDI_PACKET), (int)w);
    assert_memory_equal(out, want, w);
    /* in place */
    assert_int_equal(tw_ftdi_strip(in, sizeof(in), in, TW_FTDI_PACKET), (int)w);
    assert_memory_equal(in, want, w);
    /* status-only packets carry nothing */
    uint8_t st[2] = {0x32, 0x60};
    assert_int_equal(tw_ftdi_strip(st, 2, out, TW_FTDI_PACKET), 0);
    assert_int_equal(tw_ftdi_strip(st, 0, out, TW_FTDI_PACKET), 0);
    /* a packet shorter than its status bytes, or a silly packet size */
    uint8_t odd[513] = {0};
    assert_int_equal(tw_ftdi_strip(odd, 513, out, TW_FTDI_PACKET), TW_PROTO_EINVAL);
    assert_int_equal(tw_ftdi_strip(odd, 10, out, 2), TW_PROTO_EINVAL);
    assert_int_equal(tw_ftdi_strip(NULL, 10, out, TW_FTDI_PACKET), TW_PROTO_EINVAL);
    /* 64-byte packets (full speed) work too */
    assert_int_equal(tw_ftdi_strip(odd, 128, out, 64), 124);
}

static void test_errors(void **state)
{
    (void)state;
    uint8_t b[TW_PROTO_MAX_FRAME + 8], big[TW_PROTO_MAX_LEN + 1] = {0};
    uint32_t v[TW_PROTO_MAX_WORDS + 1] = {0};
    uint64_t c[TW_PROTO_MAX_CNTS + 1] = {0};
    assert_int_equal(tw_proto_encode(0x82, 0, big, sizeof(big), b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_encode(0x82, 0, NULL, 4, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_encode(0x82, 0, big, 4, NULL, 100), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_encode(0x82, 0, big, 4, b, 12), TW_PROTO_ENOSPC);
    assert_int_equal(tw_proto_encode(0x82, 0, big, 4, b, 13), 13);
    assert_int_equal(tw_proto_enc_reg_read(0, 0, 0, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_reg_read(0, 0, TW_PROTO_MAX_REGS + 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_reg_read(0, 0, 1, b, 10), TW_PROTO_ENOSPC);
    assert_int_equal(tw_proto_enc_reg_write(0, 0, v, 0, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_reg_write(0, 0, NULL, 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_reg_write(0, 0, v, TW_PROTO_MAX_REGS + 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_table_write(0, 0, 0, v, TW_PROTO_MAX_WORDS + 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_table_write(0, 0, 0, v, 0, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_table_write(0, 0, 0, v, 10, b, 40), TW_PROTO_ENOSPC);
    assert_int_equal(tw_proto_enc_commit(0, 1, b, 5), TW_PROTO_ENOSPC);
    assert_int_equal(tw_proto_enc_time_set(0, 1, NULL, 50), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_cnt_snapshot(0, 0, 0, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_cnt_snapshot(0, 0, TW_PROTO_MAX_CNTS + 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_resp(0, 1, 0, 0, 0, NULL, 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_resp(0, 1, 0, 0, 0, v, TW_PROTO_MAX_REGS + 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_counters(0, 0, 0, 0, c, 0, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_counters(0, 0, 0, 0, c, TW_PROTO_MAX_CNTS + 1, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_enc_error(0, 1, 1, 1, b, 20), TW_PROTO_ENOSPC);
    assert_int_equal(tw_proto_enc_record(TW_DEV_RESP, 0, big, 4, b, sizeof(b)), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_resync_pad(b, TW_PROTO_MAX_FRAME - 1), TW_PROTO_ENOSPC);
    assert_int_equal(tw_proto_resync_pad(NULL, 5000), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_resync_pad(b, sizeof(b)), TW_PROTO_MAX_FRAME);
    for (size_t i = 0; i < TW_PROTO_MAX_FRAME; i++)
        assert_int_equal(b[i], 0);

    /* parsers: wrong type, wrong length, bad count */
    uint8_t p[16] = {0};
    struct tw_proto_frame f = {TW_DEV_ALERT, 0, 4, p, 0, 0};
    struct tw_proto_resp r;
    struct tw_proto_counters cn;
    struct tw_proto_error e;
    struct tw_proto_cmd cmd;
    assert_int_equal(tw_proto_parse_resp(&f, &r), TW_PROTO_EBADTYPE);
    assert_int_equal(tw_proto_parse_counters(&f, &cn), TW_PROTO_EBADTYPE);
    assert_int_equal(tw_proto_parse_error(&f, &e), TW_PROTO_EBADTYPE);
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADTYPE);
    assert_int_equal(tw_proto_parse_resp(NULL, &r), TW_PROTO_EINVAL);
    f.type = TW_DEV_RESP;
    assert_int_equal(tw_proto_parse_resp(&f, &r), TW_PROTO_EBADLEN);
    f.len = 8;
    p[6] = 1; /* count 1 without its value */
    assert_int_equal(tw_proto_parse_resp(&f, &r), TW_PROTO_EBADLEN);
    p[6] = TW_PROTO_MAX_REGS + 1;
    assert_int_equal(tw_proto_parse_resp(&f, &r), TW_PROTO_EINVAL);
    f.type = TW_DEV_COUNTERS;
    assert_int_equal(tw_proto_parse_counters(&f, &cn), TW_PROTO_EBADLEN);
    f.len = 16;
    p[4] = 0;
    assert_int_equal(tw_proto_parse_counters(&f, &cn), TW_PROTO_EINVAL);
    p[4] = 1;
    assert_int_equal(tw_proto_parse_counters(&f, &cn), TW_PROTO_EBADLEN);
    f.type = TW_DEV_ERROR;
    assert_int_equal(tw_proto_parse_error(&f, &e), TW_PROTO_EBADLEN);
    memset(p, 0, sizeof(p));
    f.type = TW_CMD_REG_READ;
    f.len = 5;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADLEN);
    f.len = 4;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EINVAL); /* count 0 */
    f.type = TW_CMD_REG_WRITE;
    p[2] = 1;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADLEN);
    f.len = 2;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADLEN);
    f.type = TW_CMD_TABLE_WRITE;
    f.len = 8;
    p[4] = 0;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EINVAL);
    f.len = 4;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADLEN);
    f.type = TW_CMD_COMMIT;
    f.len = 3;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADLEN);
    f.type = TW_CMD_TIME_SET;
    assert_int_equal(tw_proto_parse_cmd(&f, &cmd), TW_PROTO_EBADLEN);

    /* decoder arguments */
    struct tw_proto_dec *d = NULL;
    assert_int_equal(tw_proto_dec_new(NULL, TW_PROTO_DEV_TO_HOST), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_dec_new(&d, (enum tw_proto_dir)7), TW_PROTO_EINVAL);
    assert_null(d);
    d = dec(TW_PROTO_DEV_TO_HOST);
    assert_int_equal(tw_proto_dec_push(d, NULL, 3), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_dec_push(d, NULL, 0), 0);
    assert_int_equal(tw_proto_dec_next(d, NULL), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_dec_next(NULL, &f), TW_PROTO_EINVAL);
    assert_int_equal(tw_proto_dec_pending(NULL), 0);
    tw_proto_dec_free(d);
    tw_proto_dec_free(NULL);

    /* names */
    assert_string_equal(tw_proto_strerror(TW_PROTO_ENOSPC), "output buffer too small");
    assert_string_equal(tw_proto_strerror(-99), "unknown error");
    assert_string_equal(tw_proto_type_name(TW_DEV_COUNTERS), "counters");
    assert_string_equal(tw_proto_type_name(TW_CMD_TABLE_WRITE), "table_write");
    assert_null(tw_proto_type_name(0));
    assert_string_equal(tw_proto_status_name(TW_ST_BAD_ADDR), "bad register address");
    assert_null(tw_proto_status_name(99));
}

/* A corrupted length holds later frames back until enough bytes arrive, or until the stream pauses (flush). */
static void test_flush(void **state)
{
    (void)state;
    uint8_t a[4096];
    size_t starts[5];
    size_t n = device_stream(a, sizeof(a), 5, 0, starts);
    a[starts[1] + 6] = 0x03; /* frame 1 now claims 768+ bytes */
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    struct got g = {0};
    run(d, a, n, 0, &g);
    assert_int_equal(g.n, 1); /* frame 0; the rest waits behind the bogus length */
    assert_true(tw_proto_dec_pending(d) > 0);
    finish(d, &g);
    assert_int_equal(g.n, 4);
    assert_int_equal(g.seq[1], 2);
    assert_int_equal(g.gap[1], 1);
    assert_int_equal(g.seq[3], 4);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.truncated, 1);
    assert_int_equal(s.lost, 1);
    check_invariant(d, n);
    /* a flush with a lone trailing sync byte or a partial header discards them */
    const uint8_t tail[] = {0x00, 0xa5, 0x5a, 0x81};
    assert_int_equal(tw_proto_dec_push(d, tail, sizeof(tail)), 0);
    struct tw_proto_frame f;
    assert_int_equal(tw_proto_dec_next(d, &f), 0);
    assert_int_equal(tw_proto_dec_pending(d), 3);
    tw_proto_dec_flush(d);
    assert_int_equal(tw_proto_dec_next(d, &f), 0);
    assert_int_equal(tw_proto_dec_pending(d), 0);
    check_invariant(d, n + sizeof(tail));
    /* after the flush a partial frame waits normally again */
    int k = tw_proto_enc_error(5, 1, 1, 1, a, sizeof(a));
    assert_int_equal(tw_proto_dec_push(d, a, 10), 0);
    assert_int_equal(tw_proto_dec_next(d, &f), 0);
    assert_int_equal(tw_proto_dec_push(d, a + 10, (size_t)k - 10), 0);
    assert_int_equal(tw_proto_dec_next(d, &f), 1);
    assert_int_equal(f.seq, 5);
    tw_proto_dec_free(d);
}

/* A header announcing more than the maximum is rejected without waiting for the bytes. */
static void test_length_bound(void **state)
{
    (void)state;
    uint8_t b[64];
    const uint8_t hdr[7] = {0xa5, 0x5a, TW_DEV_ALERT, 0, 0, 0x01, 0x04}; /* 1025 */
    memcpy(b, hdr, 7);
    int n = tw_proto_enc_error(9, 1, 2, 3, b + 7, sizeof(b) - 7);
    struct tw_proto_dec *d = dec(TW_PROTO_DEV_TO_HOST);
    struct got g = {0};
    run(d, b, 7 + (size_t)n, 0, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.seq[0], 9);
    struct tw_proto_stats s;
    tw_proto_dec_stats(d, &s);
    assert_int_equal(s.hdr_errors, 1);
    assert_int_equal(s.discarded, 7);
    tw_proto_dec_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_frame_layout),
        cmocka_unit_test(test_roundtrip_commands),
        cmocka_unit_test(test_roundtrip_device),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_garbage_before),
        cmocka_unit_test(test_garbage_inside),
        cmocka_unit_test(test_corrupted_byte),
        cmocka_unit_test(test_dropped_byte),
        cmocka_unit_test(test_duplicated_byte),
        cmocka_unit_test(test_split_everywhere),
        cmocka_unit_test(test_sequence),
        cmocka_unit_test(test_big_push),
        cmocka_unit_test(test_ftdi_strip),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_length_bound),
        cmocka_unit_test(test_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
