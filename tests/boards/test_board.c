/* Verilator tests of a board top (built once per board: test_board_colorlight_i5, test_board_nexys_video) with its
 * vendor primitives replaced by the simulation models of rtl/boards/sim, RGMII PHY models on its Ethernet pins and
 * an FT245 chip model with the host codec (host/src/proto.c) on its host link pins (sim/boards_sim.c).
 *   inline boards (Colorlight i5): frames in on one port leave the other bit-exact with a correct FCS, both
 *     directions at once; bad-FCS and RX_ER frames stay bad on the wire and are counted; frames that find the
 *     receive FIFO full are dropped whole and counted;
 *   monitor boards (Nexys Video): frames are received and counted, nothing is transmitted;
 *   both: registers and counters read through the FT245 pins, with no bus protocol violation;
 *   detection boards (built with DETECT = 1, the whole device rtl/tw_top.v: the Nexys Video, and the Colorlight
 *     simulation-only variant test_board_colorlight_i5_detect, `make board-variants`): a rule set compiled
 *     and loaded through the FT245 pins by libtapwatch's own code (tw_compile, tw_dev_load_tables over a transport
 *     on the pins), frames through the RGMII PHY model, and the alert records read back with tw_dev_read_event
 *     (host/src/dev_rec.c) equal, field by field and with their evidence, the software reference detector's
 *     (tw_detector) for the same frames at the board's table geometry; flow records too (after a clock jump and a
 *     sweep); per-rule and device counters agree; an inline board forwards every frame bit-exact meanwhile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boards_sim.h"
#include "dev_frames.h"
#include "dev_rules.h"
#include "tapwatch/detect.h"
#include "tapwatch/device.h"
#include "tapwatch/dissect.h"
#include "tapwatch/proto.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_counters.h"
#include "tapwatch/tw_protocol.h"
#include "tapwatch/tw_regs.h"

#define QUIET 3000u         /* core cycles without activity that end a run */
#define MAX_RUN 20000000u   /* core cycles before a run counts as hung */
/* the detection build's geometry: the Nexys Video's (rtl/boards/tw_nexys_video.v: FLOW_*, DIGEST_*, ALERT_*,
 * HDR_BYTES), or a variant's from boards.mk (BOARD_GEOM_*: the Colorlight i5's DETECT = 1 top) */
#ifndef BOARD_FLOW_BUCKETS
#define BOARD_FLOW_BUCKETS 1024u
#define BOARD_FLOW_WAYS 4u
#define BOARD_DIGEST_SETS 8192u
#define BOARD_DIGEST_WAYS 2u
#define BOARD_ALERT_BUCKETS 1024u
#define BOARD_ALERT_WAYS 4u
#define BOARD_HDR_BYTES 128u
#endif
#define BOARD_FLOWS (BOARD_FLOW_BUCKETS * BOARD_FLOW_WAYS)
#ifndef BOARD_PFX_IV
#define BOARD_PFX_IV 0u /* REG_CAP_PFX_IV: the prefix table (the Colorlight's detection build: 512 intervals) */
#endif

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
    /* out of reset: the PLL model locks after 16 clocks, the resets release a few clocks later; the device top
     * then clears its flow and digest tables (one set per clock: DIGEST_SETS clocks) */
    tw_bsys_run(b->s, tw_board_detect() ? 200 + BOARD_DIGEST_SETS + 1000 : 200);
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

/* frees whatever the ports sent that a test did not look at */
static void drain_tx(struct bench *b)
{
    struct tw_bsys_frame out;
    for (int p = 0; p < 2; p++)
        while (tw_bsys_tx_next(b->s, p, &out))
            free(out.data);
}

/* the next frame port `port` sent is `data` (len bytes) with a good FCS */
static void expect_tx(struct bench *b, int port, const uint8_t *data, size_t len)
{
    struct tw_bsys_frame out;
    assert_int_equal(tw_bsys_tx_next(b->s, port, &out), 1);
    assert_int_equal(out.len, len);
    assert_memory_equal(out.data, data, len);
    assert_true(out.fcs_ok);
    free(out.data);
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

/* A geometry register's value: {log2 buckets, ways} (contracts/regs.def) */
static uint32_t geom(unsigned buckets, unsigned ways)
{
    unsigned lg = 0;
    while ((1u << lg) < buckets)
        lg++;
    return (uint32_t)lg << TW_GEOM_LOG2_SHIFT | ways;
}

static void test_registers(void **state) {
    struct bench *b = *state;
    assert_int_equal(reg_read(b, TW_REG_MAGIC), TW_REG_MAGIC_VALUE);
    uint32_t st = reg_read(b, TW_REG_STATUS);
    if (tw_board_detect()) {
        /* the device top: its capabilities, its status (bit 0: flow and digest tables cleared after reset) */
        assert_int_equal(reg_read(b, TW_REG_CAP_CNT), TW_CNT_TOTAL);
        assert_int_equal(reg_read(b, TW_REG_CAP_RULES), TW_CAP_RULES);
        assert_int_equal(reg_read(b, TW_REG_CAP_FLOWS), BOARD_FLOWS);
        assert_int_equal(reg_read(b, TW_REG_CAP_PFX_IV), BOARD_PFX_IV);
        /* the tables' geometry the test gives the reference (BOARD_*: boards.mk or the Nexys Video's) is the top's */
        assert_int_equal(reg_read(b, TW_REG_CAP_FLOW_GEOM), geom(BOARD_FLOW_BUCKETS, BOARD_FLOW_WAYS));
        assert_int_equal(reg_read(b, TW_REG_CAP_DIGEST_GEOM), geom(BOARD_DIGEST_SETS, BOARD_DIGEST_WAYS));
        assert_int_equal(reg_read(b, TW_REG_CAP_STATE_GEOM), geom(BOARD_ALERT_BUCKETS, BOARD_ALERT_WAYS));
        assert_int_equal(reg_read(b, TW_REG_CAP_HDR_BYTES), BOARD_HDR_BYTES);
        assert_int_equal(st & 1, 1);
    } else {
        /* bit 1: monitor mode, as the board intends */
        assert_int_equal((st >> 1) & 1, tw_board_inline() ? 0 : 1);
        assert_int_equal(reg_read(b, TW_REG_CAP_CNT), TW_CNT_MAC_BASE + 2 * TW_CNT_MAC_PER_PORT);
        assert_int_equal(reg_read(b, TW_REG_CAP_RULES), 0);
        assert_int_equal(reg_read(b, TW_REG_CAP_PFX_IV), 0);
        for (uint16_t a = TW_REG_CAP_FLOW_GEOM; a < TW_REG_CAP_HDR_BYTES; a++)
            assert_int_equal(reg_read(b, a), 0);
        /* status bit 0: the tap parses headers, as boards.mk says the top's defaults do (the synthesised build);
         * the parser's head when it has one, else 0 */
        assert_int_equal(st & 1, tw_board_parser());
        uint32_t hb = reg_read(b, TW_REG_CAP_HDR_BYTES);
        if (st & 1)
            assert_true(hb >= 64 && hb <= 256);
        else
            assert_int_equal(hb, 0);
    }
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
    if (tw_board_parser()) { /* a record for every frame (non-IP: nothing malformed), none dropped */
        assert_int_equal(core_cnt(b, 0, TW_CNT_RECORDS), n);
        assert_int_equal(core_cnt(b, 0, TW_CNT_COPY_DROP), 0);
        assert_int_equal(core_cnt(b, 0, TW_CNT_CSUM), 0);
    }
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
    drain_tx(b);
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
    drain_tx(b);
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
    if (tw_board_inline())
        expect_tx(b, 1, f, 64);
    struct tw_bsys_frame out;
    assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 0);
}

/* ---------------------------------------------------------------- boards that parse headers */

/* Malformed IPv4 headers are counted by kind in the tap's counters and forwarded untouched: the shortest IPv4 UDP
 * frame of the detection mix as it is, with its header checksum broken, with IHL 4, with version 6 in an IPv4
 * EtherType, and as it is again (parsing goes on after them). */
static void test_parser_malformed_counted(void **state)
{
    struct bench *b = *state;
    static struct twt_dev_frame fr[8];
    assert_int_equal(twt_dev_frames(fr, 8, 0, 0, 0), 0);
    assert_int_equal(fr[0].len, 62); /* Ethernet, IPv4 (IHL 5), UDP */
    assert_int_equal(fr[0].b[12] << 8 | fr[0].b[13], 0x0800);
    assert_int_equal(fr[0].b[14], 0x45);
    enum { NF = 5 };
    uint8_t f[NF][62];
    for (int i = 0; i < NF; i++)
        memcpy(f[i], fr[0].b, 62);
    f[1][24] ^= 0x5A; /* header checksum */
    f[2][14] = 0x44;  /* IHL 4 */
    f[3][14] = 0x65;  /* version 6 */
    for (int i = 0; i < NF; i++)
        assert_int_equal(tw_bsys_send(b->s, 0, f[i], 62, 0, 12), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    assert_int_equal(core_cnt(b, 0, TW_CNT_FRAMES), NF);
    assert_int_equal(core_cnt(b, 0, TW_CNT_RECORDS), NF);
    assert_int_equal(core_cnt(b, 0, TW_CNT_COPY_DROP), 0);
    assert_int_equal(core_cnt(b, 0, TW_CNT_CSUM), 1);
    assert_int_equal(core_cnt(b, 0, TW_CNT_IHL), 1);
    assert_int_equal(core_cnt(b, 0, TW_CNT_IPVER), 1);
    assert_int_equal(core_cnt(b, 0, TW_CNT_IPLEN), 0);
    assert_int_equal(core_cnt(b, 0, TW_CNT_TRUNC), 0);
    if (tw_board_inline())
        for (int i = 0; i < NF; i++)
            expect_tx(b, 1, f[i], 62);
    drain_tx(b);
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
        if (tw_board_detect()) { /* the parser took every frame of both ports, each record counted on its port */
            assert_int_equal(core_cnt(b, p, TW_CNT_FRAMES), N);
            assert_int_equal(core_cnt(b, p, TW_CNT_RECORDS), N);
            assert_int_equal(core_cnt(b, p, TW_CNT_COPY_DROP), 0);
        }
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

/* ---------------------------------------------------------------- detection boards */

/* libtapwatch's device handle on the board's FT245 pins (tw_open_ops): what a host sends goes to the chip model,
 * a read runs the board until bytes come (at most READ_CYCLES core clocks of device time per read) */
#define READ_CYCLES 200000u
static int pins_write(void *ctx, const uint8_t *p, size_t n, int timeout_ms)
{
    (void)timeout_ms;
    return tw_bsys_host_write(ctx, p, n) == 0 ? 0 : TW_ERR_NOMEM;
}
static int pins_read(void *ctx, uint8_t *p, size_t cap, int timeout_ms)
{
    struct tw_bsys *s = ctx;
    size_t n = tw_bsys_host_read(s, p, cap);
    for (unsigned c = 0; n == 0 && timeout_ms > 0 && c < READ_CYCLES; c += 250) {
        tw_bsys_run(s, 250);
        n = tw_bsys_host_read(s, p, cap);
    }
    return (int)n;
}

#define DET_NFR 96
/* the last 4 frames carry no IP (no alert) */
#define DET_NOIP 4u
/* after the detection frames: the clock set past the idle timeout (CMD_TIME_SET), then frames without IP (no flow,
 * no alert) whose sweep steps visit every bucket of the flow table: each flow leaves as a TIMEOUT record */
#define DET_NSWEEP (BOARD_FLOW_BUCKETS + 8u)
#define DET_JUMP_NS (120ull * 1000000000ull)   /* twice the default 60 s idle timeout */
static int det_alert_cmp(const void *x, const void *y)
{
    const struct tw_dev_event *a = x, *b = y;
    if (a->alert.fseq != b->alert.fseq)
        return a->alert.fseq < b->alert.fseq ? -1 : 1;
    return (a->alert.rule > b->alert.rule) - (a->alert.rule < b->alert.rule);
}

static struct tw_tables *det_compile(void)
{
    char err[512];
    struct tw_tables *t = twt_compile(TWT_DEV_CONFIG, TWT_DEV_RULES, "board", err, sizeof err);
    if (!t)
        fail_msg("%s", err);
    return t;
}

/* The reference detector's geometry: the board's flow, digest and alert-state tables. */
static void board_geometry(struct tw_detect_params *p)
{
    p->flow_buckets = BOARD_FLOW_BUCKETS;
    p->flow_ways = BOARD_FLOW_WAYS;
    p->digest_sets = BOARD_DIGEST_SETS;
    p->digest_ways = BOARD_DIGEST_WAYS;
    p->state_buckets = BOARD_ALERT_BUCKETS;
    p->state_ways = BOARD_ALERT_WAYS;
}

/* The device's nf flow records fl against the reference's (as many, matched by flow id and reason): the same
 * packets, bytes and alerted bit each way. Every one has the given reason on both sides, but for evictions (a
 * 1-way flow table: two of the frames' flows in one bucket), as many on both sides; returns their number. */
static unsigned flows_equal(const struct tw_flow_rec *fl, size_t nf, const struct twt_ref *ref, unsigned reason)
{
    unsigned evicted = 0;
    assert_int_equal(nf, ref->nf);
    uint8_t *used = calloc(nf + 1, 1); /* each device record matches one reference record */
    assert_non_null(used);
    for (size_t k = 0; k < ref->nf; k++) {
        const struct tw_flow_rec *rf = &ref->f[k];
        size_t j = 0;
        while (j < nf && (used[j] || fl[j].flow_id != rf->flow_id || fl[j].reason != rf->reason))
            j++;
        assert_true(j < nf);
        used[j] = 1;
        if (rf->reason == TW_FLOW_EVICTED)
            evicted++;
        else
            assert_int_equal(rf->reason, reason);
        assert_int_equal(fl[j].pkts_toserver, rf->pkts_toserver);
        assert_int_equal(fl[j].pkts_toclient, rf->pkts_toclient);
        assert_int_equal(fl[j].bytes_toserver, rf->bytes_toserver);
        assert_int_equal(fl[j].bytes_toclient, rf->bytes_toclient);
        assert_int_equal(fl[j].alerted, rf->alerted);
    }
    free(used);
    return evicted;
}

/* The rule set loaded through the FT245 pins as `tapwatch rules load` does it, frames in through the PHY model
 * with `ifg` idle bytes between them, and the alert records out on the pins equal to the reference detector's for
 * the same frames. paced: the gap lets the FT245 link (60 MB/s) carry every alert with its evidence before the
 * evidence ring (16 frames on the Nexys Video, 4 on the Colorlight) fills; otherwise (line rate) an alert whose
 * frame's evidence could not be kept arrives without it (ev_len 0), counted in EV_MISSING, the frame in EV_DROPS. */
static void detect_vs_reference(struct bench *b, unsigned ifg, int paced)
{
    struct tw_tables *t = det_compile();
    /* reference: the image's settings, the board's geometry and parser window; frame i at T0 + i us */
    const uint64_t T0 = 5000000000ull;
    static struct twt_dev_frame fr[DET_NFR];
    assert_int_equal(twt_dev_frames(fr, DET_NFR, DET_NOIP, T0, 1000), 0);
    struct twt_ref ref;
    struct tw_detector *det = NULL;
    assert_int_equal(twt_ref_create(&det, &ref, t, board_geometry), 0);
    struct tw_dissect_cfg dc;
    tw_dissect_cfg_default(&dc);
    dc.hdr_bytes = BOARD_HDR_BYTES;
    static struct tw_meta metas[DET_NFR];
    for (unsigned i = 0; i < DET_NFR; i++) {
        tw_dissect(&dc, fr[i].b, fr[i].len, 0, fr[i].ts, 0, i, &metas[i]);
        tw_detector_frame(det, &metas[i], fr[i].b, fr[i].len, i + 1);
    }
    size_t ref_flows_live = 0;
    if (paced) {
        uint8_t sf[TWT_NOIP_LEN];
        struct tw_meta sm;
        for (unsigned j = 0; j < DET_NSWEEP; j++) {
            twt_dev_noip_frame(sf, j);
            tw_dissect(&dc, sf, sizeof sf, 0, T0 + DET_JUMP_NS + 1000ull * j, 0, DET_NFR + j, &sm);
            tw_detector_frame(det, &sm, sf, sizeof sf, DET_NFR + j + 1);
        }
        ref_flows_live = ref.nf;
    }
    tw_detector_finish(det);
    if (paced)
        assert_int_equal(ref.nf, ref_flows_live);         /* no flow left for the end of input */

    /* the device, through its pins */
    struct tw_dev *h = NULL;
    static const struct tw_dev_ops ops = {pins_write, pins_read, NULL};
    assert_int_equal(tw_open_ops(&h, &ops, b->s, "board pins"), 0);
    assert_int_equal(tw_dev_set_timeout(h, 600000), 0);
    uint32_t v;
    assert_int_equal(tw_reg_read(h, TW_REG_STATUS, &v, 1), 0);
    assert_int_equal(v & 1, 1);                               /* tables cleared */
    /* the reference's geometry and head are what libtapwatch reads from the device */
    struct tw_detect_params gp, bp;
    tw_detect_params_default(&gp);
    tw_detect_params_default(&bp);
    board_geometry(&bp);
    unsigned hdr = 0;
    assert_int_equal(tw_dev_geometry(h, &gp, &hdr), 0);
    assert_int_equal(gp.flow_buckets, bp.flow_buckets);
    assert_int_equal(gp.flow_ways, bp.flow_ways);
    assert_int_equal(gp.digest_sets, bp.digest_sets);
    assert_int_equal(gp.digest_ways, bp.digest_ways);
    assert_int_equal(gp.state_buckets, bp.state_buckets);
    assert_int_equal(gp.state_ways, bp.state_ways);
    assert_int_equal(hdr, dc.hdr_bytes);
    assert_int_equal(tw_dev_load_tables(h, t), 0);
    assert_int_equal(tw_dev_time_set(h, T0), 0);
    for (unsigned i = 0; i < DET_NFR; i++)
        assert_int_equal(tw_bsys_send(b->s, 0, fr[i].b, fr[i].len, 0, ifg), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, 20000, MAX_RUN), 0);
    uint32_t tv[2];
    assert_int_equal(tw_reg_read(h, TW_REG_TIME_LO, tv, 2), 0);
    uint64_t t1 = (uint64_t)tv[1] << 32 | tv[0];
    unsigned nfr = DET_NFR;
    if (paced) {
        assert_int_equal(tw_dev_time_set(h, T0 + DET_JUMP_NS), 0);
        uint8_t sf[TWT_NOIP_LEN];
        for (unsigned j = 0; j < DET_NSWEEP; j++) {
            twt_dev_noip_frame(sf, j);
            assert_int_equal(tw_bsys_send(b->s, 0, sf, sizeof sf, 0, 12), 0);
        }
        assert_int_equal(tw_bsys_run_quiet(b->s, 20000, MAX_RUN), 0);
        nfr += DET_NSWEEP;
    }

    struct tw_dev_event *ev = calloc(ref.n + 16, sizeof *ev);
    struct tw_flow_rec *fl = calloc(ref.nf + 16, sizeof *fl);
    assert_true(ev && fl);
    size_t n = 0, nf = 0;
    struct tw_dev_event e;
    while (tw_dev_read_event(h, &e, 0) == 0) {
        assert_int_equal(e.link_gap, 0);
        assert_int_equal(e.rec_gap, 0);
        if (e.type == TW_EV_FLOW) {
            /* line rate: no flow times out before the flush; a flow evicted from its bucket comes out */
            assert_true(paced || e.flow.reason == TW_FLOW_EVICTED);
            assert_true(nf < ref.nf + 16);
            fl[nf++] = e.flow;
            continue;
        }
        assert_int_equal(e.type, TW_EV_ALERT);
        assert_true(n < ref.n + 16);
        ev[n++] = e;
    }
    print_message("%s: %zu alerts on the FT245 pins (reference %zu) for %u frames\n", tw_board_name(), n, ref.n,
                  DET_NFR);
    assert_false(ref.oom);
    assert_true(ref.n > 20);
    assert_int_equal(n, ref.n);
    /* every alert sequence number once */
    uint8_t *seen = calloc(n, 1);
    assert_non_null(seen);
    for (size_t k = 0; k < n; k++) {
        assert_true(ev[k].alert.seq < n);
        assert_int_equal(seen[ev[k].alert.seq], 0);
        seen[ev[k].alert.seq] = 1;
    }
    free(seen);
    qsort(ev, n, sizeof *ev, det_alert_cmp);
    unsigned alerted_frames = 0, mirrors = 0, inner = 0, no_ev = 0;
    uint64_t prev_ts = T0;
    for (size_t k = 0; k < n; k++) {
        const struct tw_alert_rec *a = &ev[k].alert;
        const struct tw_det_alert *ra = &ref.a[k];
        const struct tw_meta *m = ra->m;
        assert_int_equal(a->fseq, m->fseq);
        assert_int_equal(a->rule, ra->rule);
        /* time: REG_TIME at the frame (set by CMD_TIME_SET), in frame order, one per frame */
        assert_true(a->ts >= prev_ts && a->ts <= t1);
        if (k > 0 && ev[k - 1].alert.fseq == a->fseq)
            assert_int_equal(a->ts, ev[k - 1].alert.ts);
        else if (k > 0)
            assert_true(a->ts > prev_ts);
        if (k == 0 || ev[k - 1].alert.fseq != a->fseq)
            alerted_frames++;
        prev_ts = a->ts;
        assert_int_equal(a->port, 0);
        assert_int_equal(a->len, m->len);
        assert_int_equal(a->sid, t->rule[ra->rule].sid);
        assert_int_equal(a->rev, t->rule[ra->rule].rev);
        assert_int_equal(a->gid, t->rule[ra->rule].gid);
        assert_int_equal(a->prio, t->rule[ra->rule].prio);
        assert_int_equal(a->inner, ra->inner);
        assert_int_equal(a->mirror, ra->mirror_copy);
        assert_int_equal(a->flow_id, ra->flow_id);
        mirrors += a->mirror;
        inner += a->inner;
#define L(f) (ra->inner ? m->i_##f : m->o_##f)
        assert_memory_equal(a->src_ip, L(ip_src), 16);
        assert_memory_equal(a->dst_ip, L(ip_dst), 16);
        assert_int_equal(a->proto, L(ip_proto));
        assert_int_equal(a->ip_ver, L(ip_ver));
        assert_int_equal(a->src_port, L(sport));
        assert_int_equal(a->dst_port, L(dport));
        uint8_t mac[6];
        for (unsigned q = 0; q < 6; q++)
            mac[q] = (uint8_t)(L(smac) >> (40 - 8 * q));
        assert_int_equal(a->src_vsets, tw_mac_vsets(t, mac));
#undef L
        size_t want = ra->caplen < 64 ? ra->caplen : 64;
        if (!paced && a->ev_len == 0) {
            no_ev++;
            continue;
        }
        assert_int_equal(a->ev_len, want);
        assert_memory_equal(ev[k].evidence, ra->frame, want);
    }
    /* the cases were there: frames that did not alert, a mirror copy, an inner match */
    print_message("%s, gap %u bytes: %u of %u frames alerted, %u mirror-copy alerts, %u inner-packet alerts, %u "
                  "without evidence\n", tw_board_name(), ifg, alerted_frames, DET_NFR, mirrors, inner, no_ev);
    assert_true(alerted_frames < DET_NFR - 8);
    assert_true(mirrors > 0);
    assert_true(inner > 0);

    /* flow records (paced: every flow timed out by the sweep): the same flows, packets, bytes, alerted bit */
    if (paced) {
        print_message("%s: %zu flow records on the FT245 pins (reference %zu), after a %u-frame sweep\n",
                      tw_board_name(), nf, ref.nf, DET_NSWEEP);
        assert_true(ref.nf > 10);
        assert_int_equal(nf, ref.nf);
        unsigned ev_n = flows_equal(fl, nf, &ref, TW_FLOW_TIMEOUT);
        print_message("%s: %u of them evicted (%u x %u flow table)\n", tw_board_name(), ev_n, BOARD_FLOW_BUCKETS,
                      BOARD_FLOW_WAYS);
        if (BOARD_FLOWS >= 4096u)
            assert_int_equal(ev_n, 0); /* the Nexys Video's 1,024 x 4 table holds every flow of the 96 frames */
    }

    /* per-rule counters as the reference counts them */
    struct tw_dev_rule_cnt rc[8];
    assert_true(t->settings.n_rules <= 8);
    assert_int_equal(tw_dev_rule_counters(h, 0, t->settings.n_rules, rc, NULL), 0);
    const uint64_t *rm = tw_detector_rule_matches(det), *ral = tw_detector_rule_alerts(det),
                   *rrl = tw_detector_rule_limited(det);
    for (unsigned r = 0; r < t->settings.n_rules; r++) {
        assert_int_equal(rc[r].matches, rm[r]);
        assert_int_equal(rc[r].alerts, ral[r]);
        assert_int_equal(rc[r].rate_limited, rrl[r]);
    }
    /* device counters: every frame a record, none dropped, every alert out; the MAC statistics in the same window */
    uint64_t c[TW_CNT_BLOCKS_END + 32];
    assert_int_equal(tw_dev_counters(h, 0, TW_CNT_MAC_BASE + 2 * TW_CNT_MAC_PER_PORT, c, NULL), 0);
    assert_int_equal(c[TW_CNT_FRAMES], nfr);
    assert_int_equal(c[TW_CNT_RECORDS], nfr);
    assert_int_equal(c[TW_CNT_COPY_DROP], 0);
    assert_int_equal(c[TW_CNT_EGRESS], tw_board_inline() ? nfr : 0); /* monitor-only: nothing forwarded */
    if (tw_board_inline()) {
        /* the inline tap forwarded every frame out of port B untouched while detecting */
        assert_int_equal(c[TW_CNT_MAC_BASE + TW_CNT_MAC_PER_PORT + TW_CNT_MAC_TX_FRAMES], nfr);
        struct tw_bsys_frame out;
        uint8_t sf[TWT_NOIP_LEN];
        for (unsigned i = 0; i < nfr; i++) {
            assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 1);
            assert_true(out.fcs_ok && out.preamble_ok && !out.tx_er);
            if (i < DET_NFR) {
                assert_int_equal(out.len, fr[i].len);
                assert_memory_equal(out.data, fr[i].b, fr[i].len);
            } else {
                twt_dev_noip_frame(sf, i - DET_NFR);
                assert_int_equal(out.len, sizeof sf);
                assert_memory_equal(out.data, sf, sizeof sf);
            }
            free(out.data);
        }
        assert_int_equal(tw_bsys_tx_next(b->s, 1, &out), 0);
        assert_int_equal(tw_bsys_tx_next(b->s, 0, &out), 0);
    }
    assert_int_equal(c[TW_CNT_DET_RECORDS], nfr);
    /* every record through each stage (the detection window's entries read in place: the Colorlight's are 16-bit
     * block counters extended to 64 bits by tw_cnt_ext, CNT_W) */
    assert_int_equal(c[TW_CNT_DET_CANDS], nfr);
    assert_int_equal(c[TW_CNT_ENG_FRAMES], nfr);
    assert_int_equal(c[TW_CNT_AL_FRAMES], nfr);
    assert_int_equal(c[TW_CNT_TBL_BAD], 0);
    assert_true(c[TW_CNT_ENG_ALERTS] >= c[TW_CNT_AL_ALERTS] && c[TW_CNT_ENG_MATCHES] >= c[TW_CNT_ENG_ALERTS]);
    assert_int_equal(c[TW_CNT_DET_FLOWS], nf);
    assert_int_equal(c[TW_CNT_REC_FLOWS], nf);
    size_t nf_evicted = nf; /* line rate: the evictions before the flush */
    assert_int_equal(c[TW_CNT_AL_ALERTS], n);
    assert_int_equal(c[TW_CNT_REC_ALERTS], n);
    assert_int_equal(c[TW_CNT_EV_MISSING], no_ev);
    assert_int_equal(c[TW_CNT_EV_STORED] + c[TW_CNT_EV_DROPS], nfr);
    if (paced)
        assert_int_equal(c[TW_CNT_EV_DROPS], 0);
    assert_int_equal(c[TW_CNT_LD_BAD], 0);
    assert_int_equal(c[TW_CNT_LD_QDROP], 0);
    assert_int_equal(c[TW_CNT_TBL_BAD], 0);
    assert_int_equal(c[TW_CNT_TBL_COMMITS], 1);
    assert_int_equal(c[TW_CNT_MAC_BASE + TW_CNT_MAC_RX_FRAMES], nfr);
    assert_int_equal(c[TW_CNT_MAC_BASE + TW_CNT_MAC_RX_FCS_BAD], 0);
    assert_int_equal(c[TW_CNT_BLOCKS_END], 0);                /* between the device's blocks and the MAC's */
    assert_int_equal(tw_reg_read(h, TW_REG_LINK_TX_DROPS, &v, 1), 0);
    assert_int_equal(v, 0);
    struct tw_dev_stats ds;
    tw_dev_stats(h, &ds);
    assert_int_equal(ds.alerts, n);
    assert_int_equal(ds.flows, nf);
    assert_int_equal(ds.alerts_lost + ds.bad_records + ds.crc_errors + ds.frames_lost + ds.queue_drops, 0);

    if (!paced) {
        /* the end of a capture on a board: REG_CONTROL's flush bit (tw_dev_flush, `tapwatch flows --flush`) sends
         * every live flow as a shutdown record, the flows the reference emits at its end of input */
        assert_true(ref.nf > 10);
        assert_int_equal(tw_dev_flush(h), 0);
        assert_int_equal(tw_bsys_run_quiet(b->s, 20000, MAX_RUN), 0);
        assert_int_equal(tw_reg_read(h, TW_REG_STATUS, &v, 1), 0);
        assert_int_equal(v & 4, 0); /* the flush is over */
        assert_int_equal(tw_reg_read(h, TW_REG_CONTROL, &v, 1), 0);
        assert_int_equal(v & TW_CTRL_FLUSH, 0);
        while (tw_dev_read_event(h, &e, 0) == 0) {
            assert_int_equal(e.type, TW_EV_FLOW);
            assert_int_equal(e.rec_gap, 0);
            assert_true(nf < ref.nf + 16);
            fl[nf++] = e.flow;
        }
        print_message("%s: %zu flow records on the FT245 pins after a flush, %zu evicted before (reference %zu with "
                      "its end of input)\n",
                      tw_board_name(), nf - nf_evicted, nf_evicted, ref.nf);
        assert_int_equal(nf, ref.nf);
        assert_int_equal(flows_equal(fl, nf, &ref, TW_FLOW_SHUTDOWN), nf_evicted);
        assert_int_equal(tw_dev_counters(h, TW_CNT_DET_FLOWS, 1, c, NULL), 0);
        assert_int_equal(c[0], nf);
        /* a second flush finds nothing left */
        assert_int_equal(tw_dev_flush(h), 0);
        assert_int_equal(tw_bsys_run_quiet(b->s, 20000, MAX_RUN), 0);
        assert_int_equal(tw_dev_read_event(h, &e, 0), TW_ERR_TIMEOUT);
    }

    free(ev);
    free(fl);
    tw_close(h);
    tw_detector_destroy(det);
    tw_tables_free(t);
    twt_ref_free(&ref);
}

/* Frames fr[i % nfr], i < n, sent back to back (12-byte gap) into every port at once, no rule loaded; then the
 * counters through libtapwatch (flows evicted from a 1-way table come out as flow records before them): n frames
 * and n records on each port, no copy dropped, every record into the detection when there is one. `what` names the
 * traffic. */
static void parse_all_ports(struct bench *b, const struct twt_dev_frame *fr, unsigned nfr, unsigned n, const char *what)
{
    const int np = tw_board_ports();
    for (unsigned i = 0; i < n; i++)
        for (int p = 0; p < np; p++)
            assert_int_equal(tw_bsys_send(b->s, p, fr[i % nfr].b, fr[i % nfr].len, 0, 12), 0);
    assert_int_equal(tw_bsys_run_quiet(b->s, QUIET, MAX_RUN), 0);
    struct tw_dev *h = NULL;
    static const struct tw_dev_ops ops = {pins_write, pins_read, NULL};
    assert_int_equal(tw_open_ops(&h, &ops, b->s, "board pins"), 0);
    assert_int_equal(tw_dev_set_timeout(h, 600000), 0);
    uint64_t c[TW_CNT_BLOCKS_END];
    assert_int_equal(tw_dev_counters(h, 0, TW_CNT_BLOCKS_END, c, NULL), 0);
    print_message("%s: %u %s into each of %d port(s) back to back: records %llu / %llu, copies dropped %llu / %llu\n",
                  tw_board_name(), n, what, np, (unsigned long long)c[TW_CNT_RECORDS],
                  (unsigned long long)(np > 1 ? c[TW_CNT_PER_PORT + TW_CNT_RECORDS] : 0),
                  (unsigned long long)c[TW_CNT_COPY_DROP],
                  (unsigned long long)(np > 1 ? c[TW_CNT_PER_PORT + TW_CNT_COPY_DROP] : 0));
    for (int p = 0; p < np; p++) {
        assert_int_equal(c[p * TW_CNT_PER_PORT + TW_CNT_FRAMES], n);
        assert_int_equal(c[p * TW_CNT_PER_PORT + TW_CNT_RECORDS], n);
        assert_int_equal(c[p * TW_CNT_PER_PORT + TW_CNT_COPY_DROP], 0);
    }
    if (tw_board_detect())
        assert_int_equal(c[TW_CNT_DET_RECORDS], (uint64_t)n * (uint64_t)np);
    tw_close(h);
}

/* The detection tests' small frames (60..112 bytes: UDP, TCP, IPv6, VXLAN copies): the parser keeps up on each port
 * (one engine per port, or the Colorlight's one engine for both). */
static void test_parse_all_ports_line_rate(void **state)
{
    static struct twt_dev_frame fr[DET_NFR];
    assert_int_equal(twt_dev_frames(fr, DET_NFR, 0, 0, 0), 0);
    parse_all_ports(*state, fr, DET_NFR, DET_NFR, "mixed frames");
}

/* The worst case for the parse engine's rate: the shortest IPv4 UDP frame of the mix (62 bytes, three headers),
 * 1,000 per port (the Colorlight's one engine for both ports takes about 35 of the 42 clocks a pair of such frames
 * leaves it). */
static void test_parse_min_udp_all_ports(void **state)
{
    static struct twt_dev_frame fr[8];
    assert_int_equal(twt_dev_frames(fr, 8, 0, 0, 0), 0);
    /* kind 0: Ethernet, IPv4 (ethertype 0x0800, IHL 5), UDP (protocol 17), 62 bytes */
    assert_int_equal(fr[0].len, 62);
    assert_int_equal(fr[0].b[12] << 8 | fr[0].b[13], 0x0800);
    assert_int_equal(fr[0].b[14], 0x45);
    assert_int_equal(fr[0].b[23], 17);
    parse_all_ports(*state, &fr[0], 1, 1000, "62-byte IPv4 UDP frames");
}

/* 1,500 idle bytes (12 us) between frames: every alert with its 64 evidence bytes */
static void test_detect_alerts_vs_reference(void **state) { detect_vs_reference(*state, 1500, 1); }
/* back to back at line rate (12-byte gap): alerts arrive faster than the FT245 link carries them; the same alerts
 * still come out, none is lost, the evidence the ring could not hold is counted */
static void test_detect_line_rate(void **state) { detect_vs_reference(*state, 12, 0); }

int main(void) {
    const struct CMUnitTest common[] = {
        cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_receive_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_frames_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_frame_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_preamble_error, setup, teardown),
    };
    const struct CMUnitTest parser_tests[] = {
        cmocka_unit_test_setup_teardown(test_parser_malformed_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_all_ports_line_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_min_udp_all_ports, setup, teardown),
    };
    const struct CMUnitTest inline_tests[] = {
        cmocka_unit_test_setup_teardown(test_forward_bitexact_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_er_forwarded_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overload_drops_whole_frames, setup, teardown),
    };
    const struct CMUnitTest detect_tests[] = {
        cmocka_unit_test_setup_teardown(test_detect_alerts_vs_reference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detect_line_rate, setup, teardown),
    };
    printf("board: %s (%d port%s, %s, %s)\n", tw_board_name(), tw_board_ports(), tw_board_ports() > 1 ? "s" : "",
           tw_board_inline() ? "inline tap" : "monitor-only",
           tw_board_detect() ? "whole device: DETECT = 1"
                             : (tw_board_parser() ? "tap + parser + link: DETECT = 0, PARSER = 1"
                                                  : "tap + link: DETECT = 0, PARSER = 0"));
    int rc = cmocka_run_group_tests_name(tw_board_name(), common, NULL, NULL);
    if (tw_board_parser())
        rc |= cmocka_run_group_tests_name("parser", parser_tests, NULL, NULL);
    if (tw_board_inline())
        rc |= cmocka_run_group_tests_name("inline", inline_tests, NULL, NULL);
    if (tw_board_detect())
        rc |= cmocka_run_group_tests_name("detect", detect_tests, NULL, NULL);
    return rc;
}
