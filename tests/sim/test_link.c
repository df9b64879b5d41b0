/* RTL tests of the host link (rtl/tw_link_top.v) in Verilator: the host codec (host/src/proto.c) talks through a
 * C model of the FT2232H synchronous FIFO (sim/link_chip.c) to the FT245 interface, framing, executor and register
 * file. Every test also checks that the FPGA never broke the FT245 bus protocol and never lost a received byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "link_chip.h"
#include "tapwatch/proto.h"

#define RUN_LIMIT 4000000u /* CLKOUT cycles before a run counts as hung */

struct fr {
    uint8_t type;
    uint16_t seq, len;
    uint32_t gap;
    int dup;
    uint8_t payload[TW_PROTO_MAX_LEN];
};

struct host {
    struct tw_link_sys *s;
    struct tw_proto_dec *dec;
    uint16_t cmd_seq;
    uint64_t sent, cmd_bytes, cmds; /* bytes sent, of them in command frames, command frames */
    struct fr *f;
    size_t n, cap;
};

static int setup(void **state)
{
    struct host *h = calloc(1, sizeof(*h));
    if (!h)
        return -1;
    h->s = tw_link_sys_new(NULL);
    if (!h->s || tw_proto_dec_new(&h->dec, TW_PROTO_DEV_TO_HOST) != 0) {
        tw_link_sys_free(h->s);
        free(h);
        return -1;
    }
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    struct host *h = *state;
    struct tw_link_sys_stats st;
    struct tw_link_ft_out fo;
    tw_link_sys_stats(h->s, &st);
    tw_link_sys_ft_out(h->s, &fo);
    int bad = st.violations != 0 || fo.rx_overflow != 0 || st.lost_events != 0;
    tw_link_sys_free(h->s);
    tw_proto_dec_free(h->dec);
    free(h->f);
    free(h);
    if (bad)
        fail_msg("FT245 bus: %llu protocol violations, rx_overflow %u; %llu events lost by the model",
                 (unsigned long long)st.violations, fo.rx_overflow, (unsigned long long)st.lost_events);
    return bad ? -1 : 0;
}

/* Decodes what the host received so far into h->f. */
static void collect(struct host *h)
{
    uint8_t buf[8192];
    size_t n;
    while ((n = tw_link_sys_host_read(h->s, buf, sizeof(buf))) > 0) {
        assert_int_equal(tw_proto_dec_push(h->dec, buf, n), 0);
        struct tw_proto_frame f;
        while (tw_proto_dec_next(h->dec, &f) == 1) {
            if (h->n == h->cap) {
                h->cap = h->cap ? 2 * h->cap : 64;
                h->f = realloc(h->f, h->cap * sizeof(*h->f));
                assert_non_null(h->f);
            }
            struct fr *d = &h->f[h->n++];
            d->type = f.type;
            d->seq = f.seq;
            d->len = f.len;
            d->gap = f.gap;
            d->dup = f.dup;
            memcpy(d->payload, f.payload, f.len);
        }
    }
}

static void settle(struct host *h)
{
    assert_int_equal(tw_link_sys_run_idle(h->s, RUN_LIMIT), 0);
    collect(h);
}

/* Sends bytes that are not a command frame (garbage, pads). */
static void send_raw(struct host *h, const uint8_t *p, int n)
{
    assert_true(n > 0);
    assert_int_equal(tw_link_sys_host_write(h->s, p, (size_t)n), 0);
    h->sent += (uint64_t)n;
}

/* Sends one command frame. */
static void send(struct host *h, const uint8_t *p, int n)
{
    send_raw(h, p, n);
    h->cmd_bytes += (uint64_t)n;
    h->cmds++;
}

static struct tw_proto_frame view(const struct fr *d)
{
    struct tw_proto_frame f = {d->type, d->seq, d->len, d->payload, d->gap, d->dup};
    return f;
}

/* The DEV_RESP (or DEV_COUNTERS when want == TW_DEV_COUNTERS) answering cmd_seq; fails when absent. */
static const struct fr *answer(struct host *h, uint16_t cmd_seq, uint8_t want)
{
    for (size_t i = 0; i < h->n; i++) {
        const struct fr *d = &h->f[i];
        if (d->type == want && d->len >= 4 &&
            (want == TW_DEV_RESP ? (uint16_t)(d->payload[2] | d->payload[3] << 8)
                                 : (uint16_t)(d->payload[0] | d->payload[1] << 8)) == cmd_seq)
            return d;
    }
    fail_msg("no answer (type %u) to command %u among %zu frames", want, cmd_seq, h->n);
    return NULL;
}

static struct tw_proto_resp resp_of(struct host *h, uint16_t cmd_seq)
{
    struct tw_proto_resp r;
    struct tw_proto_frame f = view(answer(h, cmd_seq, TW_DEV_RESP));
    assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
    return r;
}

static uint8_t reg_read(struct host *h, uint16_t addr, uint16_t count, uint32_t *vals)
{
    uint8_t buf[TW_PROTO_MAX_FRAME];
    uint16_t seq = h->cmd_seq++;
    send(h, buf, tw_proto_enc_reg_read(seq, addr, count, buf, sizeof(buf)));
    settle(h);
    struct tw_proto_resp r = resp_of(h, seq);
    assert_int_equal(r.cmd_type, TW_CMD_REG_READ);
    assert_int_equal(r.addr, addr);
    if (r.status == TW_ST_OK) {
        assert_int_equal(r.count, count);
        memcpy(vals, r.vals, count * sizeof(*vals));
    } else {
        assert_int_equal(r.count, 0);
    }
    return r.status;
}

static uint32_t reg1(struct host *h, uint16_t addr)
{
    uint32_t v = 0;
    assert_int_equal(reg_read(h, addr, 1, &v), TW_ST_OK);
    return v;
}

static uint8_t reg_write(struct host *h, uint16_t addr, const uint32_t *vals, uint16_t count)
{
    uint8_t buf[TW_PROTO_MAX_FRAME];
    uint16_t seq = h->cmd_seq++;
    send(h, buf, tw_proto_enc_reg_write(seq, addr, vals, count, buf, sizeof(buf)));
    settle(h);
    struct tw_proto_resp r = resp_of(h, seq);
    assert_int_equal(r.cmd_type, TW_CMD_REG_WRITE);
    assert_int_equal(r.count, 0);
    return r.status;
}

/* Sends a frame of any type and payload; returns the response status. */
static struct tw_proto_resp raw_cmd(struct host *h, uint8_t type, const uint8_t *p, size_t len)
{
    uint8_t buf[TW_PROTO_MAX_FRAME];
    uint16_t seq = h->cmd_seq++;
    send(h, buf, tw_proto_encode(type, seq, p, len, buf, sizeof(buf)));
    settle(h);
    return resp_of(h, seq);
}

static size_t count_type(const struct host *h, uint8_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        n += h->f[i].type == type;
    return n;
}

static uint64_t total_gap(const struct host *h)
{
    uint64_t g = 0;
    for (size_t i = 0; i < h->n; i++) {
        assert_false(h->f[i].dup);
        g += h->f[i].gap;
    }
    return g;
}

/* ---- tests ---- */

static void test_identity(void **state)
{
    struct host *h = *state;
    uint32_t v[12];
    assert_int_equal(reg_read(h, TW_REG_MAGIC, 12, v), TW_ST_OK);
    assert_int_equal(v[0], TW_REG_MAGIC_VALUE);
    assert_int_equal(v[1] & 0xffff, TW_PROTO_VERSION);
    assert_int_equal(v[1] >> 16, 1);
    assert_int_equal(v[2], 256);  /* CAP_RULES default */
    assert_int_equal(v[3], 4096); /* CAP_FLOWS */
    assert_int_equal(v[4], 64);   /* datapath bits */
    assert_int_equal(v[5], 125);  /* MHz */
    assert_int_equal(v[6], TW_LINK_CNT_N);
    assert_int_equal(v[7], 0); /* CAP_PFX_IV default: the prefix table */
    for (unsigned k = TW_REG_CAP_FLOW_GEOM; k <= TW_REG_CAP_HDR_BYTES; k++)
        assert_int_equal(v[k], 0); /* the link alone: no tables, no parser */
    /* the first device frame is sequence 0 and nothing was lost */
    assert_int_equal(h->n, 1);
    assert_int_equal(h->f[0].seq, 0);
    assert_int_equal(reg1(h, TW_REG_LINK_RX_FRAMES), 2); /* this read is the second command */
    assert_int_equal(reg1(h, TW_REG_LINK_TX_FRAMES), 2);
}

static void test_write_read(void **state)
{
    struct host *h = *state;
    uint32_t w = 0xdeadbeef;
    assert_int_equal(reg_write(h, TW_REG_SCRATCH, &w, 1), TW_ST_OK);
    assert_int_equal(reg1(h, TW_REG_SCRATCH), 0xdeadbeef);
    w = 0x00000005;
    assert_int_equal(reg_write(h, TW_REG_CONTROL, &w, 1), TW_ST_OK);
    struct tw_link_core_out co;
    tw_link_sys_core_out(h->s, &co);
    assert_int_equal(co.ctrl, 5);
    assert_int_equal(reg1(h, TW_REG_CONTROL), 5);
    /* CONTROL, STATUS, SCRATCH in one burst; STATUS comes from the core */
    tw_link_sys_set_status(h->s, 0xa5a50001);
    uint32_t v[3];
    assert_int_equal(reg_read(h, TW_REG_CONTROL, 3, v), TW_ST_OK);
    assert_int_equal(v[0], 5);
    assert_int_equal(v[1], 0xa5a50001);
    assert_int_equal(v[2], 0xdeadbeef);
    /* a burst write of two registers */
    uint32_t two[2] = {0x11, 0x22};
    assert_int_equal(reg_write(h, TW_REG_CONTROL, two, 1), TW_ST_OK);
    assert_int_equal(reg1(h, TW_REG_CONTROL), 0x11);
    (void)two[1];
}

static void test_bad_commands(void **state)
{
    struct host *h = *state;
    uint32_t v[4] = {1, 2, 3, 4};
    uint32_t before = 0;
    assert_int_equal(reg_write(h, TW_REG_SCRATCH, &v[3], 1), TW_ST_OK);
    /* a write to a read-only register fails the whole burst: CONTROL..STATUS, STATUS is read-only */
    assert_int_equal(reg_write(h, TW_REG_CONTROL, v, 2), TW_ST_BAD_ADDR);
    assert_int_equal(reg1(h, TW_REG_CONTROL), 0);
    assert_int_equal(reg_write(h, TW_REG_MAGIC, v, 1), TW_ST_BAD_ADDR);
    /* unmapped reads */
    assert_int_equal(reg_read(h, 0x000C, 1, v), TW_ST_BAD_ADDR);  /* 0x0008..0x000B: the geometry (session 14) */
    assert_int_equal(reg_read(h, 0xfff0, 32, v), TW_ST_BAD_ADDR); /* runs past 0xffff */
    assert_int_equal(reg_read(h, TW_REG_CNT_BASE + 2 * TW_LINK_CNT_N, 1, v), TW_ST_BAD_ADDR);
    /* count 0 and above the limit; lengths that do not match */
    uint8_t p[16] = {0};
    p[0] = TW_REG_SCRATCH;
    assert_int_equal(raw_cmd(h, TW_CMD_REG_READ, p, 4).status, TW_ST_BAD_COUNT);
    p[2] = TW_PROTO_MAX_REGS + 1;
    assert_int_equal(raw_cmd(h, TW_CMD_REG_READ, p, 4).status, TW_ST_BAD_COUNT);
    p[2] = 1;
    assert_int_equal(raw_cmd(h, TW_CMD_REG_READ, p, 5).status, TW_ST_BAD_LEN);
    assert_int_equal(raw_cmd(h, TW_CMD_REG_WRITE, p, 4).status, TW_ST_BAD_LEN); /* count 1, no value */
    assert_int_equal(raw_cmd(h, TW_CMD_REG_WRITE, p, 3).status, TW_ST_BAD_LEN);
    p[4] = 1; /* TABLE_WRITE: count 1 and no word */
    assert_int_equal(raw_cmd(h, TW_CMD_TABLE_WRITE, p, 8).status, TW_ST_BAD_LEN);
    assert_int_equal(raw_cmd(h, TW_CMD_COMMIT, p, 2).status, TW_ST_BAD_LEN);
    assert_int_equal(raw_cmd(h, TW_CMD_TIME_SET, p, 4).status, TW_ST_BAD_LEN);
    assert_int_equal(raw_cmd(h, TW_CMD_CNT_SNAPSHOT, p, 8).status, TW_ST_BAD_LEN);
    assert_int_equal(raw_cmd(h, 0x42, p, 4).status, TW_ST_BAD_TYPE);
    /* nothing of the above changed the scratch register; each failure was counted */
    assert_int_equal(reg1(h, TW_REG_SCRATCH), 4);
    before = reg1(h, TW_REG_LINK_BAD_CMDS);
    assert_int_equal(before, 15);
}

static void test_ext_window(void **state)
{
    struct host *h = *state;
    uint32_t w[4] = {0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10}, r[4];
    assert_int_equal(reg_write(h, TW_REG_EXT_BASE + 0x10, w, 4), TW_ST_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(tw_link_sys_ext_get(h->s, TW_REG_EXT_BASE + 0x10 + i), w[i]);
    tw_link_sys_ext_set(h->s, TW_REG_EXT_END, 0xcafef00d);
    assert_int_equal(reg_read(h, TW_REG_EXT_BASE + 0x10, 4, r), TW_ST_OK);
    assert_memory_equal(r, w, sizeof(w));
    assert_int_equal(reg1(h, TW_REG_EXT_END), 0xcafef00d);
}

static void test_table_commit(void **state)
{
    struct host *h = *state;
    uint32_t words[TW_PROTO_MAX_WORDS];
    for (unsigned i = 0; i < TW_PROTO_MAX_WORDS; i++)
        words[i] = 0x9e3779b9u * (i + 1);
    uint8_t buf[TW_PROTO_MAX_FRAME];
    uint16_t seq = h->cmd_seq++;
    send(h, buf, tw_proto_enc_table_write(seq, 3, 100, words, TW_PROTO_MAX_WORDS, buf, sizeof(buf)));
    uint16_t seq2 = h->cmd_seq++;
    send(h, buf, tw_proto_enc_table_write(seq2, 7, 0xfffe, words, 2, buf, sizeof(buf)));
    uint16_t seq3 = h->cmd_seq++;
    send(h, buf, tw_proto_enc_commit(seq3, 0x88, buf, sizeof(buf)));
    settle(h);
    assert_int_equal(resp_of(h, seq).status, TW_ST_OK);
    assert_int_equal(resp_of(h, seq2).status, TW_ST_OK);
    assert_int_equal(resp_of(h, seq3).status, TW_ST_OK);
    const struct tw_link_tbl_write *log;
    size_t n = tw_link_sys_tbl_log(h->s, &log);
    assert_int_equal(n, TW_PROTO_MAX_WORDS + 2);
    for (unsigned i = 0; i < TW_PROTO_MAX_WORDS; i++) {
        assert_int_equal(log[i].id, 3);
        assert_int_equal(log[i].addr, 100 + i);
        assert_int_equal(log[i].data, words[i]);
    }
    assert_int_equal(log[TW_PROTO_MAX_WORDS].id, 7);
    assert_int_equal(log[TW_PROTO_MAX_WORDS].addr, 0xfffe);
    assert_int_equal(log[TW_PROTO_MAX_WORDS + 1].addr, 0xffff);
    struct tw_link_sys_stats st;
    tw_link_sys_stats(h->s, &st);
    assert_int_equal(st.commits, 1);
    assert_int_equal(st.last_commit_mask, 0x88);
}

static void test_time(void **state)
{
    struct host *h = *state;
    uint8_t buf[64];
    const uint64_t t0 = 0x0123456789abcdefull;
    uint16_t seq = h->cmd_seq++;
    uint64_t ps0 = tw_link_sys_time_ps(h->s);
    send(h, buf, tw_proto_enc_time_set(seq, t0, buf, sizeof(buf)));
    settle(h);
    assert_int_equal(resp_of(h, seq).status, TW_ST_OK);
    /* TIME_LO latches TIME_HI: both reads give one consistent 64-bit value */
    uint32_t lo = reg1(h, TW_REG_TIME_LO), hi = reg1(h, TW_REG_TIME_HI);
    uint64_t t = (uint64_t)hi << 32 | lo;
    uint64_t elapsed_ns = (tw_link_sys_time_ps(h->s) - ps0) / 1000;
    assert_true(t > t0);
    assert_true(t - t0 <= elapsed_ns);
    /* the core sees the same clock: it runs at 8 ns per core clock (125 MHz) */
    struct tw_link_core_out a, b;
    tw_link_sys_core_out(h->s, &a);
    struct tw_link_sys_stats s0, s1;
    tw_link_sys_stats(h->s, &s0);
    tw_link_sys_run(h->s, 1000);
    tw_link_sys_stats(h->s, &s1);
    tw_link_sys_core_out(h->s, &b);
    assert_true(b.time_ns > t);
    assert_int_equal(b.time_ns - a.time_ns, 8 * (s1.core_clocks - s0.core_clocks));
}

/* The time counter's low word carries into the high word (the register file keeps them as two 32-bit halves):
 * stepped one FT clock at a time across the carry, the core's time never jumps or goes back: it advances by exactly
 * 8 ns per core clock, through the carry into the high word. */
static void test_time_carry(void **state)
{
    struct host *h = *state;
    uint8_t buf[64];
    const uint64_t carry_at = 0x00000005ull << 32;
    const uint64_t t0 = carry_at - 0x100000ull;   /* 1 ms before the carry: well after the command settles */
    uint16_t seq = h->cmd_seq++;
    send(h, buf, tw_proto_enc_time_set(seq, t0, buf, sizeof(buf)));
    settle(h);
    assert_int_equal(resp_of(h, seq).status, TW_ST_OK);
    struct tw_link_core_out a, b;
    struct tw_link_sys_stats s0, s1;
    tw_link_sys_core_out(h->s, &a);
    assert_true(a.time_ns >= t0 && a.time_ns < carry_at - 20000);
    /* run to about 20 us before the carry, then step across it one FT clock at a time */
    tw_link_sys_stats(h->s, &s0);
    while (carry_at - a.time_ns >= 20000) {
        tw_link_sys_run(h->s, 1000);
        tw_link_sys_stats(h->s, &s1);
        tw_link_sys_core_out(h->s, &b);
        assert_int_equal(b.time_ns - a.time_ns, 8 * (s1.core_clocks - s0.core_clocks));
        a = b;
        s0 = s1;
    }
    int crossed = 0;
    for (int i = 0; i < 100000 && a.time_ns < carry_at + 200; i++) {
        tw_link_sys_run(h->s, 1);
        tw_link_sys_stats(h->s, &s1);
        tw_link_sys_core_out(h->s, &b);
        assert_int_equal(b.time_ns - a.time_ns, 8 * (s1.core_clocks - s0.core_clocks));
        if (a.time_ns < carry_at && b.time_ns >= carry_at)
            crossed = 1;
        a = b;
        s0 = s1;
    }
    assert_true(crossed);
    assert_int_equal(a.time_ns >> 32, carry_at >> 32);
    /* the registers read the same (TIME_LO latches TIME_HI) */
    uint32_t lo = reg1(h, TW_REG_TIME_LO), hi = reg1(h, TW_REG_TIME_HI);
    assert_int_equal(hi, (uint32_t)(carry_at >> 32));
    assert_true(lo < 0x100000u);
}

static void test_counters(void **state)
{
    struct host *h = *state;
    for (unsigned i = 0; i < TW_LINK_CNT_N; i++)
        tw_link_sys_set_counter(h->s, i, 0x0100000000000000ull * i + 0x10000ull * i + 7 * i + 0xffffffffull);
    /* the window: low word latches the high word */
    uint32_t v[2];
    assert_int_equal(reg_read(h, TW_REG_CNT_BASE + 2 * 5, 2, v), TW_ST_OK);
    assert_int_equal(((uint64_t)v[1] << 32 | v[0]), 0x0100000000000000ull * 5 + 0x10000ull * 5 + 35 + 0xffffffffull);
    /* a snapshot of counters 3..(3+20) with the time */
    uint8_t buf[64];
    uint16_t seq = h->cmd_seq++;
    send(h, buf, tw_proto_enc_cnt_snapshot(seq, 3, 20, buf, sizeof(buf)));
    settle(h);
    struct tw_proto_frame f = view(answer(h, seq, TW_DEV_COUNTERS));
    struct tw_proto_counters c;
    assert_int_equal(tw_proto_parse_counters(&f, &c), 0);
    assert_int_equal(c.base, 3);
    assert_int_equal(c.count, 20);
    for (unsigned i = 0; i < 20; i++)
        assert_int_equal(c.vals[i], 0x0100000000000000ull * (3 + i) + 0x10000ull * (3 + i) + 7 * (3 + i) + 0xffffffffull);
    struct tw_link_core_out co;
    tw_link_sys_core_out(h->s, &co);
    assert_true(c.time_ns > 0 && c.time_ns < co.time_ns);
    /* the last counter fits, one beyond does not (answered with DEV_RESP) */
    seq = h->cmd_seq++;
    send(h, buf, tw_proto_enc_cnt_snapshot(seq, TW_LINK_CNT_N - 1, 1, buf, sizeof(buf)));
    uint16_t seq2 = h->cmd_seq++;
    send(h, buf, tw_proto_enc_cnt_snapshot(seq2, TW_LINK_CNT_N - 1, 2, buf, sizeof(buf)));
    settle(h);
    f = view(answer(h, seq, TW_DEV_COUNTERS));
    assert_int_equal(tw_proto_parse_counters(&f, &c), 0);
    assert_int_equal(c.vals[0], 0x0100000000000000ull * 31 + 0x10000ull * 31 + 7 * 31 + 0xffffffffull);
    struct tw_proto_resp r = resp_of(h, seq2);
    assert_int_equal(r.cmd_type, TW_CMD_CNT_SNAPSHOT);
    assert_int_equal(r.status, TW_ST_BAD_ADDR);
}

/* Garbage without a sync byte before a command: every byte discarded and counted, one resync, command done. */
static void test_resync_garbage(void **state)
{
    struct host *h = *state;
    uint8_t g[300];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(g); i++) {
        do {
            x = x * 1103515245u + 12345u;
            g[i] = (uint8_t)(x >> 16);
        } while (g[i] == TW_PROTO_SYNC0);
    }
    send_raw(h, g, sizeof(g));
    uint32_t w = 77;
    assert_int_equal(reg_write(h, TW_REG_SCRATCH, &w, 1), TW_ST_OK);
    assert_int_equal(reg1(h, TW_REG_SCRATCH), 77);
    assert_int_equal(reg1(h, TW_REG_LINK_DISCARDS), sizeof(g));
    assert_int_equal(reg1(h, TW_REG_LINK_RESYNCS), 1);
    /* a false sync followed by a real frame: A5 A5 5A ... costs exactly one byte */
    uint8_t buf[64];
    uint16_t seq = h->cmd_seq++;
    int n = tw_proto_enc_reg_read(seq, TW_REG_SCRATCH, 1, buf + 1, sizeof(buf) - 1);
    buf[0] = TW_PROTO_SYNC0;
    send_raw(h, buf, 1);
    send(h, buf + 1, n);
    settle(h);
    assert_int_equal(resp_of(h, seq).vals[0], 77);
    assert_int_equal(reg1(h, TW_REG_LINK_DISCARDS), sizeof(g) + 1);
    assert_int_equal(reg1(h, TW_REG_LINK_RESYNCS), 2);
}

/* Random garbage full of sync patterns and plausible headers, then commands: the device re-scans every rejected
 * candidate and gives up one whose length never arrives, so the commands work with or without the resync pad, and
 * every byte is either part of a command or counted as discarded. */
static void test_resync_random(void **state)
{
    struct host *h = *state;
    uint32_t x = 99;
    uint8_t g[2000], pad[TW_PROTO_MAX_FRAME];
    for (int round = 0; round < 6; round++) {
        for (size_t i = 0; i < sizeof(g); i++) {
            x = x * 1103515245u + 12345u;
            g[i] = (uint8_t)(x >> 16);
            if (i % 97 == 0)
                g[i] = TW_PROTO_SYNC0; /* plenty of false starts */
            if (i % 97 == 1)
                g[i] = TW_PROTO_SYNC1;
            if (i % 97 == 2)
                g[i] = (uint8_t)(1 + round); /* a command type: the header passes, the CRC fails later */
        }
        send_raw(h, g, sizeof(g));
        if (round >= 4)
            send_raw(h, pad, tw_proto_resync_pad(pad, sizeof(pad)));
        uint32_t w = 1000 + (uint32_t)round;
        assert_int_equal(reg_write(h, TW_REG_SCRATCH, &w, 1), TW_ST_OK);
        assert_int_equal(reg1(h, TW_REG_SCRATCH), w);
    }
    assert_true(reg1(h, TW_REG_LINK_RESYNCS) >= 6);
    assert_true(reg1(h, TW_REG_LINK_CRC_ERR) > 0);
    /* accounting: every byte sent was part of an accepted command or discarded */
    uint32_t frames = reg1(h, TW_REG_LINK_RX_FRAMES);
    uint32_t discards = reg1(h, TW_REG_LINK_DISCARDS);
    assert_int_equal(frames, h->cmds - 1);              /* the discards read is itself not yet counted */
    assert_int_equal(discards, h->sent - h->cmd_bytes);
}

/* A false header claiming 1024 bytes right before a real command: the candidate is given up when the stream
 * pauses (RX_TIMEOUT), the bytes are hunted through again and the command inside them runs. */
static void test_false_length(void **state)
{
    struct host *h = *state;
    const uint8_t hdr[7] = {TW_PROTO_SYNC0, TW_PROTO_SYNC1, TW_CMD_TABLE_WRITE, 0, 0, 0x00, 0x04}; /* len 1024 */
    send_raw(h, hdr, sizeof(hdr));
    uint32_t w = 0xfeed;
    assert_int_equal(reg_write(h, TW_REG_SCRATCH, &w, 1), TW_ST_OK);
    assert_int_equal(reg1(h, TW_REG_SCRATCH), 0xfeed);
    assert_int_equal(reg1(h, TW_REG_LINK_RX_TMO), 1);
    assert_int_equal(reg1(h, TW_REG_LINK_DISCARDS), sizeof(hdr));
    assert_int_equal(reg1(h, TW_REG_LINK_CRC_ERR), 0);
    const struct tw_link_tbl_write *log;
    assert_int_equal(tw_link_sys_tbl_log(h->s, &log), 0);
}

/* A corrupted command is not executed; the CRC error is counted and reported in a DEV_ERROR frame. */
static void test_crc_error(void **state)
{
    struct host *h = *state;
    uint8_t buf[64];
    uint32_t w = 0x1234;
    int n = tw_proto_enc_reg_write(h->cmd_seq++, TW_REG_SCRATCH, &w, 1, buf, sizeof(buf));
    buf[n - 5] ^= 0x10; /* a bit of the value */
    send_raw(h, buf, n);
    n = tw_proto_enc_reg_write(h->cmd_seq++, TW_REG_SCRATCH, &w, 1, buf, sizeof(buf));
    buf[n - 1] ^= 0x01; /* a bit of the CRC */
    send_raw(h, buf, n);
    settle(h);
    assert_int_equal(reg1(h, TW_REG_SCRATCH), 0);
    assert_int_equal(reg1(h, TW_REG_LINK_CRC_ERR), 2);
    assert_int_equal(count_type(h, TW_DEV_RESP), 2); /* only the two reads were answered */
    uint32_t reported = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (h->f[i].type != TW_DEV_ERROR)
            continue;
        struct tw_proto_frame f = view(&h->f[i]);
        struct tw_proto_error e;
        assert_int_equal(tw_proto_parse_error(&f, &e), 0);
        assert_int_equal(e.code, TW_EC_CRC);
        reported += e.count;
        assert_int_equal(e.total, reported);
    }
    assert_int_equal(reported, 2);
    /* a header with a length above the maximum is rejected at once and reported */
    uint8_t hdr[7] = {TW_PROTO_SYNC0, TW_PROTO_SYNC1, TW_CMD_REG_READ, 0, 0, 0x01, 0x04}; /* len 1025 */
    send_raw(h, hdr, sizeof(hdr));
    assert_int_equal(reg_write(h, TW_REG_SCRATCH, &w, 1), TW_ST_OK);
    assert_int_equal(reg1(h, TW_REG_LINK_HDR_ERR), 1);
    assert_int_equal(reg1(h, TW_REG_SCRATCH), 0x1234);
    int seen = 0;
    for (size_t i = 0; i < h->n; i++) {
        struct tw_proto_frame f = view(&h->f[i]);
        struct tw_proto_error e;
        if (h->f[i].type == TW_DEV_ERROR && tw_proto_parse_error(&f, &e) == 0 && e.code == TW_EC_HDR)
            seen += (int)e.count;
    }
    assert_int_equal(seen, 1);
    /* rejected at once too: a header of type 0 or of a device type (bit 7), and lengths whose high byte alone is
     * above the maximum's (0x0500, 0xFF00: the receiver judges the high byte and the low byte apart; len 1025 above
     * tests the low byte, test_table_commit's 1,024-byte payload that the maximum itself is taken) */
    static const uint8_t bad[4][3] = {{0x00, 0x04, 0x00},
                                      {TW_DEV_RESP, 0x04, 0x00},
                                      {TW_CMD_REG_READ, 0x00, 0x05},
                                      {TW_CMD_REG_READ, 0x00, 0xFF}}; /* type, length low, length high */
    for (int k = 0; k < 4; k++) {
        const uint8_t th[7] = {TW_PROTO_SYNC0, TW_PROTO_SYNC1, bad[k][0], 0, 0, bad[k][1], bad[k][2]};
        send_raw(h, th, sizeof(th));
        assert_int_equal(reg_write(h, TW_REG_SCRATCH, &w, 1), TW_ST_OK);
        assert_int_equal(reg1(h, TW_REG_LINK_HDR_ERR), 2 + (uint32_t)k);
    }
    assert_int_equal(total_gap(h), 0);
}

static void push_records(struct host *h, unsigned first, unsigned count, unsigned len)
{
    for (unsigned i = first; i < first + count; i++) {
        uint8_t r[TW_LINK_REC_BYTES];
        for (unsigned k = 0; k < len; k++)
            r[k] = (uint8_t)(i * 7 + k);
        r[0] = (uint8_t)i;
        r[1] = (uint8_t)(i >> 8);
        assert_int_equal(tw_link_sys_rec_push(h->s, (i & 1) ? TW_DEV_FLOW : TW_DEV_ALERT, r, len), 0);
    }
}

/* Checks record frames: content right, indices increasing; returns how many arrived. */
static unsigned check_records(struct host *h, unsigned len)
{
    unsigned got = 0;
    int last = -1;
    for (size_t i = 0; i < h->n; i++) {
        const struct fr *d = &h->f[i];
        if (d->type != TW_DEV_ALERT && d->type != TW_DEV_FLOW)
            continue;
        assert_int_equal(d->len, len);
        unsigned idx = d->payload[0] | d->payload[1] << 8;
        assert_true((int)idx > last);
        last = (int)idx;
        assert_int_equal(d->type, (idx & 1) ? TW_DEV_FLOW : TW_DEV_ALERT);
        for (unsigned k = 2; k < len; k++)
            assert_int_equal(d->payload[k], (uint8_t)(idx * 7 + k));
        got++;
    }
    return got;
}

static uint32_t reported_drops(struct host *h)
{
    uint32_t sum = 0, total = 0;
    for (size_t i = 0; i < h->n; i++) {
        struct tw_proto_frame f = view(&h->f[i]);
        struct tw_proto_error e;
        if (h->f[i].type == TW_DEV_ERROR && tw_proto_parse_error(&f, &e) == 0 && e.code == TW_EC_TX_DROP) {
            sum += e.count;
            assert_int_equal(e.total, sum);
            total = e.total;
        }
    }
    return total;
}

/* Records stream without loss while the host keeps up. */
static void test_records_stream(void **state)
{
    struct host *h = *state;
    const unsigned n = 2000, len = 32;
    tw_link_sys_set_rec_gap(h->s, 160); /* 781 k records/s at 125 MHz: below the link's ~975 k/s */
    push_records(h, 0, n, len);
    settle(h);
    assert_int_equal(check_records(h, len), n);
    assert_int_equal(total_gap(h), 0);
    assert_int_equal(reg1(h, TW_REG_LINK_TX_DROPS), 0);
}

/* TXE# held high: the device's FIFOs fill, whole records are dropped and counted, and the count equals the
 * sequence gap the host sees and the drops the device reports. Commands still get executed meanwhile. */
static void test_overflow_txe_high(void **state)
{
    struct host *h = *state;
    const unsigned n = 400, len = 55; /* 64-byte frames fill the 2 KiB FIFO to the last byte but for the reserve */
    tw_link_sys_force_txe_high(h->s, 1);
    tw_link_sys_set_rec_gap(h->s, 70); /* a little slower than the framer: the FIFOs fill up before drops begin */
    push_records(h, 0, n, len);
    tw_link_sys_run(h->s, 20000);
    assert_int_equal(tw_link_sys_rec_queued(h->s), 0);
    /* writes go through while nothing can be sent: the answers of three fit the reserve records leave free, the
     * fourth is executed and its answer waits */
    uint8_t buf[64];
    uint16_t first = h->cmd_seq;
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t w = 0x5a00 + i;
        send(h, buf, tw_proto_enc_reg_write(h->cmd_seq++, TW_REG_EXT_BASE + i, &w, 1, buf, sizeof(buf)));
    }
    tw_link_sys_run(h->s, 20000);
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(tw_link_sys_ext_get(h->s, TW_REG_EXT_BASE + i), 0x5a00 + i);
    struct tw_link_sys_stats st;
    tw_link_sys_stats(h->s, &st);
    assert_int_equal(st.tx_moved, 0);
    assert_int_equal(tw_link_sys_host_avail(h->s), 0);
    tw_link_sys_force_txe_high(h->s, 0);
    settle(h);
    for (uint16_t i = 0; i < 4; i++)
        assert_int_equal(resp_of(h, (uint16_t)(first + i)).status, TW_ST_OK);
    uint32_t drops = reg1(h, TW_REG_LINK_TX_DROPS);
    unsigned got = check_records(h, len);
    assert_true(drops > 0);
    assert_int_equal(got + drops, n);
    assert_int_equal(total_gap(h), drops);
    assert_int_equal(reported_drops(h), drops);
    struct tw_proto_stats ps;
    tw_proto_dec_stats(h->dec, &ps);
    assert_int_equal(ps.lost, drops);
    assert_int_equal(ps.crc_errors + ps.hdr_errors + ps.discarded, 0);
}

/* The host stops reading: the chip's 4 KiB FIFO fills first, then TXE# stays high and the device drops. */
static void test_overflow_host_stall(void **state)
{
    struct host *h = *state;
    const unsigned n = 600, len = 40;
    tw_link_sys_set_rec_gap(h->s, 200); /* slower than the link: only the stall makes drops */
    tw_link_sys_set_stall(h->s, 1);
    push_records(h, 0, n, len);
    tw_link_sys_run(h->s, 80000);
    assert_int_equal(tw_link_sys_rec_queued(h->s), 0);
    tw_link_sys_set_stall(h->s, 0);
    settle(h);
    uint32_t drops = reg1(h, TW_REG_LINK_TX_DROPS);
    unsigned got = check_records(h, len);
    assert_true(drops > 0);
    print_message("stall: %u records arrived, %u dropped\n", got, drops);
    assert_true(got >= 4096 / (len + TW_PROTO_HDR_BYTES + TW_PROTO_CRC_BYTES)); /* the chip held a full FIFO */
    assert_int_equal(got + drops, n);
    assert_int_equal(total_gap(h), drops);
    assert_int_equal(reported_drops(h), drops);
}

/* Every record length from 0 to TW_LINK_REC_BYTES: the link copies ceil(length / 8) words of each into its word
 * FIFO and sends exactly length bytes (the last word's unused bytes and the next record's words never leak in). */
static void test_records_every_length(void **state)
{
    struct host *h = *state;
    const unsigned n = TW_LINK_REC_BYTES + 1;
    tw_link_sys_set_rec_gap(h->s, 100);
    for (unsigned len = 0; len < n; len++) {
        uint8_t r[TW_LINK_REC_BYTES];
        for (unsigned k = 0; k < len; k++)
            r[k] = (uint8_t)(len * 31 + k * 3 + 1);
        assert_int_equal(tw_link_sys_rec_push(h->s, TW_DEV_ALERT, r, len), 0);
    }
    settle(h);
    unsigned got = 0;
    for (size_t i = 0; i < h->n; i++) {
        const struct fr *d = &h->f[i];
        if (d->type != TW_DEV_ALERT)
            continue;
        assert_int_equal(d->len, got);
        for (unsigned k = 0; k < d->len; k++)
            assert_int_equal(d->payload[k], (uint8_t)(got * 31 + k * 3 + 1));
        got++;
    }
    assert_int_equal(got, n);
    assert_int_equal(total_gap(h), 0);
    assert_int_equal(reg1(h, TW_REG_LINK_TX_DROPS), 0);
}

/* Records offered on every clock, faster than the link copies them (8 clocks for a 64-byte record): the ones that
 * find the link still copying are dropped whole and counted, and every record that arrives is intact (the source
 * holds the data while the link copies it; a record offered meanwhile does not touch it). */
static void test_records_back_to_back(void **state)
{
    struct host *h = *state;
    const unsigned n = 300, len = TW_LINK_REC_BYTES;
    push_records(h, 0, 1, len); /* a first frame: the host counts sequence gaps from it */
    settle(h);
    tw_link_sys_set_rec_gap(h->s, 0);
    push_records(h, 1, n - 1, len);
    settle(h);
    uint32_t drops = reg1(h, TW_REG_LINK_TX_DROPS);
    unsigned got = check_records(h, len);
    print_message("back to back: %u records arrived, %u dropped\n", got, drops);
    assert_true(got >= 16); /* the record FIFO's 16 at least: the framer sends one in about 73 clocks */
    assert_true(drops >= n / 2);
    assert_int_equal(got + drops, n);
    assert_int_equal(total_gap(h), drops);
    assert_int_equal(reported_drops(h), drops);
}

/* Commands and records at once: the bus turns around without loss either way. */
static void test_both_directions(void **state)
{
    struct host *h = *state;
    const unsigned n = 1500, len = 24;
    tw_link_sys_set_rec_gap(h->s, 200);
    push_records(h, 0, n, len);
    uint8_t buf[TW_PROTO_MAX_FRAME];
    uint32_t vals[TW_PROTO_MAX_REGS];
    for (unsigned i = 0; i < TW_PROTO_MAX_REGS; i++)
        vals[i] = i * 0x01010101u;
    uint16_t first = h->cmd_seq;
    for (unsigned i = 0; i < 40; i++) {
        uint16_t seq = h->cmd_seq++;
        send(h, buf, tw_proto_enc_reg_write(seq, TW_REG_EXT_BASE + 64 * i, vals, TW_PROTO_MAX_REGS, buf, sizeof(buf)));
    }
    settle(h);
    for (unsigned i = 0; i < 40; i++)
        assert_int_equal(resp_of(h, (uint16_t)(first + i)).status, TW_ST_OK);
    for (unsigned i = 0; i < 40 * TW_PROTO_MAX_REGS; i++)
        assert_int_equal(tw_link_sys_ext_get(h->s, TW_REG_EXT_BASE + i), (i % TW_PROTO_MAX_REGS) * 0x01010101u);
    assert_int_equal(check_records(h, len), n);
    assert_int_equal(total_gap(h), 0);
    struct tw_link_sys_stats st;
    tw_link_sys_stats(h->s, &st);
    assert_true(st.siwu > 0); /* the tail of the traffic was flushed */
}

/* SIWU#: a lone answer leaves at once in a short IN packet, not after the chip's latency timer. */
static void test_siwu_flush(void **state)
{
    struct host *h = *state;
    tw_link_sys_free(h->s);
    struct tw_link_sys_cfg cfg = {8000, 16667, 4096, 4096, 40.0 / 60.0, 35.0 / 60.0, 1000000};
    h->s = tw_link_sys_new(&cfg);
    assert_non_null(h->s);
    uint8_t buf[64];
    send(h, buf, tw_proto_enc_reg_read(h->cmd_seq++, TW_REG_MAGIC, 1, buf, sizeof(buf)));
    tw_link_sys_run(h->s, 2000); /* far below the 1,000,000-clock latency timer */
    collect(h);
    assert_int_equal(h->n, 1);
    assert_int_equal(resp_of(h, 0).vals[0], TW_REG_MAGIC_VALUE);
    struct tw_link_sys_stats st;
    tw_link_sys_stats(h->s, &st);
    assert_int_equal(st.siwu, 1);
    assert_int_equal(st.in_packets, 1);
    /* nothing more to send: no further strobe */
    tw_link_sys_run(h->s, 5000);
    tw_link_sys_stats(h->s, &st);
    assert_int_equal(st.siwu, 1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
    cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bad_commands, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ext_window, setup, teardown),
    cmocka_unit_test_setup_teardown(test_table_commit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_time, setup, teardown),
    cmocka_unit_test_setup_teardown(test_time_carry, setup, teardown),
    cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resync_garbage, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resync_random, setup, teardown),
    cmocka_unit_test_setup_teardown(test_false_length, setup, teardown),
    cmocka_unit_test_setup_teardown(test_crc_error, setup, teardown),
    cmocka_unit_test_setup_teardown(test_records_stream, setup, teardown),
    cmocka_unit_test_setup_teardown(test_overflow_txe_high, setup, teardown),
    cmocka_unit_test_setup_teardown(test_overflow_host_stall, setup, teardown),
    cmocka_unit_test_setup_teardown(test_records_every_length, setup, teardown),
    cmocka_unit_test_setup_teardown(test_records_back_to_back, setup, teardown),
    cmocka_unit_test_setup_teardown(test_both_directions, setup, teardown),
    cmocka_unit_test_setup_teardown(test_siwu_flush, setup, teardown),
};

int main(void)
{
    return cmocka_run_group_tests(tests, NULL, NULL);
}
