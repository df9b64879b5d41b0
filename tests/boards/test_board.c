/* Verilator tests of a board top (built once per board: test_board_colorlight_i5, test_board_nexys_video) with its
 * vendor primitives replaced by the simulation models of rtl/boards/sim, RGMII PHY models on its Ethernet pins and
 * an FT245 chip model with the host codec (host/src/proto.c) on its host link pins (sim/boards_sim.c).
 *   inline boards (Colorlight i5): frames in on one port leave the other bit-exact with a correct FCS, both
 *     directions at once; bad-FCS and RX_ER frames stay bad on the wire and are counted; frames that find the
 *     receive FIFO full are dropped whole and counted;
 *   monitor boards (Nexys Video): frames are received and counted, nothing is transmitted;
 *   both: registers and counters read through the FT245 pins, with no bus protocol violation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boards_sim.h"
#include "tapwatch/proto.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_protocol.h"
#include "tapwatch/tw_regs.h"

#define QUIET 3000u         /* core cycles without activity that end a run */
#define MAX_RUN 20000000u   /* core cycles before a run counts as hung */

struct bench {
    struct tw_bsys *s;
    struct tw_proto_dec *dec;
    uint16_t seq;
    uint32_t rng;
};

static uint32_t rnd(struct bench *b) {
    b->rng ^= b->rng << 13;
    b->rng ^= b->rng >> 17;
    b->rng ^= b->rng << 5;
    return b->rng;
}

static int setup(void **state) {
    struct bench *b = calloc(1, sizeof(*b));
    if (!b)
        return -1;
    b->s = tw_bsys_new(NULL);
    if (!b->s || tw_proto_dec_new(&b->dec, TW_PROTO_DEV_TO_HOST) != 0) {
        tw_bsys_free(b->s);
        free(b);
        return -1;
    }
    b->rng = 0x12345679u;
    /* out of reset: the PLL model locks after 16 clocks, the resets release a few clocks later */
    tw_bsys_run(b->s, 200);
    *state = b;
    return 0;
}

static int teardown(void **state) {
    struct bench *b = *state;
    struct tw_bsys_stats st;
    tw_bsys_stats(b->s, &st);
    tw_proto_dec_free(b->dec);
    tw_bsys_free(b->s);
    free(b);
    /* every test ends without an FT245 bus violation */
    return st.ft_violations == 0 ? 0 : -1;
}

static void make_frame(struct bench *b, uint8_t *f, size_t len, uint32_t tag) {
    for (size_t i = 0; i < len; i++)
        f[i] = (uint8_t)rnd(b);
    f[0] = 0x02;                  /* locally administered unicast */
    f[12] = 0x88;                 /* a local experimental EtherType */
    f[13] = 0xB5;
    if (len >= 18)
        memcpy(f + 14, &tag, 4);
}

/* sends one command and returns the next device frame; fails the test if none arrives */
static void transact(struct bench *b, const uint8_t *cmd, int n, struct tw_proto_frame *f) {
    assert_true(n > 0);
    assert_int_equal(tw_bsys_host_write(b->s, cmd, (size_t)n), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    uint8_t buf[4096];
    size_t got;
    while ((got = tw_bsys_host_read(b->s, buf, sizeof(buf))) > 0)
        assert_int_equal(tw_proto_dec_push(b->dec, buf, got), 0);
    assert_int_equal(tw_proto_dec_next(b->dec, f), 1);
}

static uint32_t reg_read(struct bench *b, uint16_t addr) {
    uint8_t cmd[64];
    struct tw_proto_frame f;
    struct tw_proto_resp r;
    int n = tw_proto_enc_reg_read(++b->seq, addr, 1, cmd, sizeof(cmd));
    transact(b, cmd, n, &f);
    assert_int_equal(f.type, TW_DEV_RESP);
    assert_int_equal(tw_proto_parse_resp(&f, &r), 0);
    assert_int_equal(r.cmd_seq, b->seq);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.count, 1);
    return r.vals[0];
}

/* counters base..base+count-1 (count <= TW_PROTO_MAX_CNTS) through CNT_SNAPSHOT */
static void counters(struct bench *b, uint16_t base, uint16_t count, uint64_t *out) {
    uint8_t cmd[64];
    struct tw_proto_frame f;
    struct tw_proto_counters c;
    int n = tw_proto_enc_cnt_snapshot(++b->seq, base, count, cmd, sizeof(cmd));
    transact(b, cmd, n, &f);
    assert_int_equal(f.type, TW_DEV_COUNTERS);
    assert_int_equal(tw_proto_parse_counters(&f, &c), 0);
    assert_int_equal(c.cmd_seq, b->seq);
    assert_int_equal(c.count, count);
    memcpy(out, c.vals, count * sizeof(uint64_t));
}

static uint64_t mac_cnt(struct bench *b, int port, int idx) {
    uint64_t v;
    counters(b, (uint16_t)(TW_CNT_MAC_BASE + port * TW_CNT_MAC_PER_PORT + idx), 1, &v);
    return v;
}

static uint64_t core_cnt(struct bench *b, int port, int idx) {
    uint64_t v;
    counters(b, (uint16_t)(port * TW_CNT_PER_PORT + idx), 1, &v);
    return v;
}

/* ---------------------------------------------------------------- both boards */

static void test_registers(void **state) {
    struct bench *b = *state;
    assert_int_equal(reg_read(b, TW_REG_MAGIC), TW_REG_MAGIC_VALUE);
    uint32_t st = reg_read(b, TW_REG_STATUS);
    /* bit 1: monitor mode, as the board intends */
    assert_int_equal((st >> 1) & 1, tw_board_inline() ? 0 : 1);
    assert_int_equal(reg_read(b, TW_REG_CAP_CNT), TW_CNT_MAC_BASE + 2 * TW_CNT_MAC_PER_PORT);
    /* scratch register round trip: a write through the pins, read back */
    uint8_t cmd[64];
    uint32_t v = 0xA5C3F00Du;
    struct tw_proto_frame f;
    int n = tw_proto_enc_reg_write(++b->seq, TW_REG_SCRATCH, &v, 1, cmd, sizeof(cmd));
    transact(b, cmd, n, &f);
    assert_int_equal(f.type, TW_DEV_RESP);
    assert_int_equal(reg_read(b, TW_REG_SCRATCH), v);
}

/* frames received on port 0 are counted by the MAC and by the core; sizes 60..1514 and a 9000-byte jumbo */
static void test_receive_counted(void **state) {
    struct bench *b = *state;
    static const size_t sizes[] = {60, 61, 64, 65, 127, 128, 129, 255, 256, 511, 1000, 1514, 9000};
    size_t n = sizeof(sizes) / sizeof(sizes[0]);
    uint64_t bytes = 0;
    uint8_t *f = malloc(9000);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        make_frame(b, f, sizes[i], (uint32_t)i);
        assert_int_equal(tw_bsys_send(b->s, 0, f, sizes[i], 0, 12), 0);
        bytes += sizes[i];
    }
    free(f);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FRAMES), n);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FCS_BAD), 0);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_ERR), 0);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_DROP), 0);
    assert_int_equal(core_cnt(b, 0, TW_CNT_FRAMES), n);
    assert_int_equal(core_cnt(b, 0, TW_CNT_BYTES), bytes);
    assert_int_equal(core_cnt(b, 0, TW_CNT_MACBAD), 0);
    struct tw_bsys_frame out;
    if (tw_board_inline()) {
        assert_int_equal(mac_cnt(b, 1, TW_CNT_MAC_TX_FRAMES), n);
        assert_int_equal(core_cnt(b, 0, TW_CNT_EGRESS), n);
    } else {
        /* monitor-only: nothing leaves any port */
        assert_int_equal(tw_bsys_tx_next(b->s, 0, &out), 0);
        assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_TX_FRAMES), 0);
        assert_int_equal(core_cnt(b, 0, TW_CNT_EGRESS), 0);
    }
    for (int p = 0; p < 2; p++)
        while (tw_bsys_tx_next(b->s, p, &out))
            free(out.data);
}

/* a bad FCS and RX_ER are counted and mark the frame bad for the core (MACBAD) */
static void test_bad_frames_counted(void **state) {
    struct bench *b = *state;
    uint8_t f[200];
    make_frame(b, f, 100, 1);
    assert_int_equal(tw_bsys_send(b->s, 0, f, 100, TW_BSYS_BAD_FCS, 12), 0);
    make_frame(b, f, 150, 2);
    assert_int_equal(tw_bsys_send(b->s, 0, f, 150, TW_BSYS_RX_ER, 12), 0);
    make_frame(b, f, 70, 3);
    assert_int_equal(tw_bsys_send(b->s, 0, f, 70, 0, 12), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FRAMES), 3);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FCS_BAD), 1);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_ERR), 1);
    assert_int_equal(core_cnt(b, 0, TW_CNT_FRAMES), 3);
    assert_int_equal(core_cnt(b, 0, TW_CNT_MACBAD), 2);
    struct tw_bsys_frame out;
    for (int p = 0; p < 2; p++)
        while (tw_bsys_tx_next(b->s, p, &out))
            free(out.data);
}

/* a frame too short to carry an FCS is an error and delivers nothing */
static void test_short_frame_error(void **state) {
    struct bench *b = *state;
    uint8_t f[4] = {1, 2, 3, 4};
    /* 0 data bytes + FCS: the MAC sees only 4 bytes after the SFD */
    assert_int_equal(tw_bsys_send(b->s, 0, f, 0, 0, 12), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_ERR), 1);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FRAMES), 0);
    assert_int_equal(core_cnt(b, 0, TW_CNT_FRAMES), 0);
}

/* a byte other than 0x55 before the SFD: an error, the frame is skipped; the next frame is received normally */
static void test_bad_preamble_error(void **state) {
    struct bench *b = *state;
    uint8_t f[80];
    make_frame(b, f, 80, 1);
    assert_int_equal(tw_bsys_send(b->s, 0, f, 80, TW_BSYS_BAD_PREAMBLE, 12), 0);
    make_frame(b, f, 64, 2);
    assert_int_equal(tw_bsys_send(b->s, 0, f, 64, 0, 12), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_ERR), 1);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FRAMES), 1);
    assert_int_equal(core_cnt(b, 0, TW_CNT_FRAMES), 1);
    assert_int_equal(core_cnt(b, 0, TW_CNT_BYTES), 64);
    struct tw_bsys_frame out;
    if (tw_board_inline()) {
        assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 1);
        assert_int_equal(out.len, 64);
        assert_memory_equal(out.data, f, 64);
        free(out.data);
    }
    assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 0);
}

/* ---------------------------------------------------------------- inline boards */

struct sent {
    uint8_t *data;
    size_t len;
    int bad;
};

/* checks the frames out on port `out_port` against the list sent on the other port, in order */
static void expect_frames(struct bench *b, int out_port, struct sent *list, size_t n) {
    struct tw_bsys_frame f;
    size_t i = 0;
    while (tw_bsys_tx_next(b->s, out_port, &f)) {
        assert_true(i < n);
        assert_true(f.preamble_ok);
        assert_int_equal(f.tx_er, 0);
        assert_int_equal(f.len, list[i].len);
        assert_memory_equal(f.data, list[i].data, f.len);
        /* a frame received bad stays bad on the wire; good frames carry a correct regenerated FCS */
        assert_int_equal(f.fcs_ok, !list[i].bad);
        if (i > 0)
            assert_true(f.ifg_before >= 12);
        free(f.data);
        i++;
    }
    assert_int_equal(i, n);
}

static void test_forward_bitexact_both_ways(void **state) {
    struct bench *b = *state;
    enum { N = 40 };
    struct sent list[2][N];
    for (int p = 0; p < 2; p++) {
        for (int i = 0; i < N; i++) {
            size_t len = i < 4 ? (size_t)(60 + i) : 60 + rnd(b) % 1455;   /* 60..1514 */
            if (p == 1 && i == N - 1)
                len = 9600;                                                  /* a jumbo */
            list[p][i].data = malloc(len);
            assert_non_null(list[p][i].data);
            list[p][i].len = len;
            list[p][i].bad = (i % 13) == 5;
            make_frame(b, list[p][i].data, len, (uint32_t)(p << 16 | i));
            assert_int_equal(tw_bsys_send(b->s, p, list[p][i].data, len, list[p][i].bad ? TW_BSYS_BAD_FCS : 0,
                                          12), 0);
        }
    }
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    expect_frames(b, 1, list[0], N);    /* A in -> B out */
    expect_frames(b, 0, list[1], N);    /* B in -> A out */
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += list[0][i].bad;
    for (int p = 0; p < 2; p++) {
        assert_int_equal(mac_cnt(b, p, TW_CNT_MAC_RX_FRAMES), N);
        assert_int_equal(mac_cnt(b, p, TW_CNT_MAC_RX_FCS_BAD), bad);
        assert_int_equal(mac_cnt(b, p, TW_CNT_MAC_RX_DROP), 0);
        assert_int_equal(mac_cnt(b, p, TW_CNT_MAC_TX_FRAMES), N);
        assert_int_equal(mac_cnt(b, p, TW_CNT_MAC_TX_UNDERFLOW), 0);
        assert_int_equal(core_cnt(b, p, TW_CNT_MACBAD), bad);
        assert_int_equal(core_cnt(b, p, TW_CNT_EGRESS), N);
    }
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < N; i++)
            free(list[p][i].data);
}

/* RX_ER: the frame is forwarded with a complemented FCS (stays bad) */
static void test_rx_er_forwarded_bad(void **state) {
    struct bench *b = *state;
    uint8_t f[300];
    make_frame(b, f, 300, 7);
    assert_int_equal(tw_bsys_send(b->s, 0, f, 300, TW_BSYS_RX_ER, 12), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    struct tw_bsys_frame out;
    assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 1);
    assert_int_equal(out.len, 300);
    assert_int_equal(out.fcs_ok, 0);
    free(out.data);
    assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 0);
}

/* Port A receives minimum frames with a 1-byte gap (faster than the 12-byte gap port B transmits with): the transmit
 * FIFO fills, back-pressure reaches the receive FIFO, which drops whole frames and counts them. Every frame that
 * leaves is intact and in order; forwarded + dropped = sent. */
static void test_overload_drops_whole_frames(void **state) {
    struct bench *b = *state;
    enum { N = 8000, LEN = 60 };
    uint8_t f[LEN];
    for (uint32_t i = 0; i < N; i++) {
        make_frame(b, f, LEN, i);
        assert_int_equal(tw_bsys_send(b->s, 0, f, LEN, 0, 1), 0);
    }
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    struct tw_bsys_frame out;
    uint32_t got = 0, last = 0;
    int first = 1;
    while (tw_bsys_tx_next(b->s, 1, &out)) {
        uint32_t tag;
        assert_int_equal(out.len, LEN);
        assert_true(out.fcs_ok);
        memcpy(&tag, out.data + 14, 4);
        assert_true(tag < N);
        if (!first)
            assert_true(tag > last);      /* in order; gaps are dropped frames */
        first = 0;
        last = tag;
        got++;
        free(out.data);
    }
    uint64_t drops = mac_cnt(b, 0, TW_CNT_MAC_RX_DROP);
    assert_true(drops > 0);
    assert_int_equal(got + drops, N);
    assert_int_equal(mac_cnt(b, 0, TW_CNT_MAC_RX_FRAMES), N);
    assert_int_equal(mac_cnt(b, 1, TW_CNT_MAC_TX_FRAMES), got);
    assert_int_equal(core_cnt(b, 0, TW_CNT_FRAMES), got);
    printf("overload: %u frames sent back to back, %u forwarded, %llu dropped whole\n", (unsigned)N, got,
           (unsigned long long)drops);
}

int main(void) {
    const struct CMUnitTest common[] = {
        cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_frames_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_frame_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_preamble_error, setup, teardown),
    };
    const struct CMUnitTest inline_tests[] = {
        cmocka_unit_test_setup_teardown(test_forward_bitexact_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_er_forwarded_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overload_drops_whole_frames, setup, teardown),
    };
    printf("board: %s (%d port%s, %s)\n", tw_board_name(), tw_board_ports(), tw_board_ports() > 1 ? "s" : "",
           tw_board_inline() ? "inline tap" : "monitor-only");
    int rc = cmocka_run_group_tests_name(tw_board_name(), common, NULL, NULL);
    if (tw_board_inline())
        rc |= cmocka_run_group_tests_name("inline", inline_tests, NULL, NULL);
    return rc;
}
