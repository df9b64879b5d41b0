/* Unit test of the simulators' FT2232H model (sim/ft_chip.h) on its own, the FPGA side driven by hand: the pin
 * protocol checks, RXF#/TXE#/D, the host's credit pacing, IN packets cut at 512 bytes with their two modem-status
 * bytes, the latency timer, SIWU#, the stalled host, purges, the two read paths and the bad configurations. The
 * system tests (tests/sim/test_link*.c, test_top*.c, tests/usb) exercise the model behind the Verilated FPGA; this
 * pins down the edges those cannot reach on purpose (violations, exact packet and timer boundaries), and the model's
 * out-of-memory paths (tests/common/failalloc.h; sim/link.mk links the wrappers). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../common/failalloc.h"
#include "ft_chip.h"

/* FPGA pins: everything idle (OE#, RD#, WR#, SIWU# high, D not driven) */
static const struct ft_chip_fpga IDLE = {0, 0, 1, 1, 1, 1};

static struct ft_chip *mk(uint32_t rx, uint32_t tx, double in, double out, uint64_t lat, int mode)
{
    struct ft_chip_cfg cfg = {rx, tx, in, out, lat, mode};
    struct ft_chip *c = NULL;
    struct ft_chip_pins p;
    assert_int_equal(ft_chip_new(&c, &cfg), 0);
    assert_non_null(c);
    ft_chip_drive(c, 1, &p); /* as the systems do before the first edge */
    return c;
}

/* one CLKOUT edge with the given FPGA pins; returns pre | post flags, pins after the edge in *p (may be NULL) */
static unsigned edge(struct ft_chip *c, const struct ft_chip_fpga *o, int oe_n_after, struct ft_chip_pins *p)
{
    struct ft_chip_pins tmp;
    unsigned f = ft_chip_edge_pre(c, o);
    f |= ft_chip_edge_post(c);
    ft_chip_drive(c, oe_n_after, p ? p : &tmp);
    return f;
}

static void idle_edges(struct ft_chip *c, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        edge(c, &IDLE, 1, NULL);
}

/* the FPGA writes one byte (WR# low, D driven, OE# high) */
static unsigned fpga_write(struct ft_chip *c, uint8_t v)
{
    struct ft_chip_fpga o = {v, 1, 1, 0, 1, 1};
    return edge(c, &o, 1, NULL);
}

static struct ft_chip_stats stats(const struct ft_chip *c)
{
    struct ft_chip_stats s;
    ft_chip_stats(c, &s);
    return s;
}

static void test_bad_cfg(void **state)
{
    (void)state;
    struct ft_chip *c = (struct ft_chip *)1;
    struct ft_chip_cfg ok = {16, 16, 1.0, 1.0, 10, 1};
    struct ft_chip_cfg bad[] = {
        {0, 16, 1.0, 1.0, 10, 1}, {16, 0, 1.0, 1.0, 10, 1}, {16, 16, 0.0, 1.0, 10, 1},
        {16, 16, 1.0, -1.0, 10, 1}, {16, 16, 0.0 / 0.0, 1.0, 10, 1},
    };
    assert_int_equal(ft_chip_new(&c, NULL), -EINVAL);
    assert_null(c);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = (struct ft_chip *)1;
        assert_int_equal(ft_chip_new(&c, &bad[i]), -EINVAL);
        assert_null(c);
    }
    assert_int_equal(ft_chip_new(&c, &ok), 0);
    ft_chip_free(c);
    ft_chip_free(NULL);
}

/* outside FIFO mode RXF# and TXE# stay high and the host side moves nothing; FIFO mode on, they follow the fill */
static void test_fifo_mode_pins(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 4, 1.0, 1.0, 100, 0);
    struct ft_chip_pins p;
    uint8_t b[3] = {0xa1, 0xa2, 0xa3};
    assert_int_equal(ft_chip_host_write(c, b, 3), 0);
    assert_int_equal(ft_chip_host_write(c, NULL, 0), 0);
    edge(c, &IDLE, 1, &p);
    idle_edges(c, 10);
    assert_int_equal(ft_chip_fifo_mode(c), 0);
    assert_int_equal(ft_chip_rx_fill(c), 0);
    assert_int_equal(ft_chip_host_out_pending(c), 3);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(p.rxf_n, 1);
    assert_int_equal(p.txe_n, 1);
    assert_int_equal(p.d, 0xff);
    assert_int_equal(stats(c).txe_low, 0);

    ft_chip_set_fifo_mode(c, 1);
    assert_int_equal(ft_chip_fifo_mode(c), 1);
    /* one byte per edge at host_out_rate 1.0 */
    edge(c, &IDLE, 1, &p);
    assert_int_equal(ft_chip_rx_fill(c), 1);
    assert_int_equal(p.rxf_n, 0);
    assert_int_equal(p.txe_n, 0);
    assert_int_equal(p.d, 0xff); /* D is the chip's only while OE# is low */
    ft_chip_drive(c, 0, &p);
    assert_int_equal(p.d, 0xa1);
    idle_edges(c, 2);
    assert_int_equal(ft_chip_rx_fill(c), 3);
    assert_int_equal(ft_chip_host_out_pending(c), 0);
    /* TXE# goes high when tx is full (4 bytes), the host stalled */
    ft_chip_host_stall(c, 1);
    for (int i = 0; i < 4; i++)
        fpga_write(c, (uint8_t)i);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(ft_chip_tx_fill(c), 4);
    assert_int_equal(p.txe_n, 1);
    /* force_txe holds it high whatever the fill */
    ft_chip_host_stall(c, 0);
    ft_chip_force_txe_high(c, 1);
    idle_edges(c, 20);
    assert_int_equal(ft_chip_tx_fill(c), 0);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(p.txe_n, 1);
    assert_int_equal(ft_chip_txe_n(c), 1);
    ft_chip_force_txe_high(c, 0);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(p.txe_n, 0);
    assert_int_equal(ft_chip_txe_n(c), 0);
    /* back out of FIFO mode: both high again, bytes stay */
    ft_chip_set_fifo_mode(c, 0);
    ft_chip_drive(c, 0, &p);
    assert_int_equal(p.rxf_n, 1);
    assert_int_equal(p.txe_n, 1);
    assert_int_equal(p.d, 0xa1);
    assert_int_equal(ft_chip_rx_fill(c), 3);
    assert_int_equal(stats(c).violations, 0);
    ft_chip_free(c);
}

/* host_out_rate 0.5: a byte every second edge; at most 2 bytes of credit are banked */
static void test_out_credit(void **state)
{
    (void)state;
    struct ft_chip *c = mk(64, 16, 1.0, 0.5, 100, 1);
    uint8_t b[32];
    memset(b, 0x55, sizeof b);
    idle_edges(c, 50); /* credit accumulates but is capped */
    assert_int_equal(ft_chip_host_write(c, b, sizeof b), 0);
    edge(c, &IDLE, 1, NULL);
    assert_int_equal(ft_chip_rx_fill(c), 2); /* 2.0 banked (+ 0.5, capped at 2.0) -> 2 bytes */
    edge(c, &IDLE, 1, NULL);
    assert_int_equal(ft_chip_rx_fill(c), 2); /* 0.5 */
    edge(c, &IDLE, 1, NULL);
    assert_int_equal(ft_chip_rx_fill(c), 3); /* 1.0 */
    edge(c, &IDLE, 1, NULL);
    assert_int_equal(ft_chip_rx_fill(c), 3);
    idle_edges(c, 20);
    assert_int_equal(ft_chip_rx_fill(c), 13);
    assert_int_equal(ft_chip_host_out_pending(c), 32 - 13);
    ft_chip_free(c);
}

/* RD#: moves a byte only with OE# low on this and the previous edge and RXF# low; the other cases */
static void test_read_protocol(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 8, 1.0, 1.0, 100, 1);
    struct ft_chip_pins p;
    uint8_t b[4] = {1, 2, 3, 4};
    assert_int_equal(ft_chip_host_write(c, b, 4), 0);
    idle_edges(c, 4);
    assert_int_equal(ft_chip_rx_fill(c), 4);
    struct ft_chip_fpga rd_no_oe = {0, 0, 0, 1, 1, 1};  /* RD# low, OE# high */
    struct ft_chip_fpga oe = {0, 0, 1, 1, 0, 1};        /* OE# low only */
    struct ft_chip_fpga rd_oe = {0, 0, 0, 1, 0, 1};     /* RD# and OE# low */
    struct ft_chip_fpga both_drive = {0, 1, 1, 1, 0, 1}; /* D driven while OE# low */

    assert_int_equal(edge(c, &rd_no_oe, 1, NULL) & FT_CHIP_MOVED, FT_CHIP_MOVED); /* moves, but a violation */
    assert_int_equal(stats(c).violations, 1);
    assert_int_equal(ft_chip_rx_fill(c), 3);
    /* OE# low on this edge only: still a violation (OE# must lead RD# by a clock) */
    assert_true(edge(c, &rd_oe, 0, NULL) & FT_CHIP_MOVED);
    assert_int_equal(stats(c).violations, 2);
    /* OE# low a clock ahead: the clean read; D shows the next byte while OE# stays low */
    edge(c, &oe, 0, &p);
    assert_int_equal(p.d, 3);
    assert_int_equal(stats(c).violations, 2);
    assert_true(edge(c, &rd_oe, 0, &p) & FT_CHIP_MOVED);
    assert_int_equal(stats(c).violations, 2);
    assert_int_equal(p.d, 4);
    assert_true(edge(c, &rd_oe, 0, &p) & FT_CHIP_MOVED);
    assert_int_equal(ft_chip_rx_fill(c), 0);
    assert_int_equal(p.rxf_n, 1);
    assert_int_equal(p.d, 0xff);
    /* RD# with RXF# high: nothing moves and, OE# correct, nothing is counted */
    assert_int_equal(edge(c, &rd_oe, 0, NULL) & FT_CHIP_MOVED, 0);
    assert_int_equal(stats(c).violations, 2);
    assert_int_equal(stats(c).rx_moved, 4);
    /* both sides driving D */
    edge(c, &both_drive, 1, NULL);
    assert_int_equal(stats(c).violations, 3);
    ft_chip_free(c);
}

/* WR#: needs OE# high and D driven; a write with TXE# high moves nothing; a write past a full FIFO is counted */
static void test_write_protocol(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 2, 1.0, 1.0, 100, 1);
    ft_chip_host_stall(c, 1);
    struct ft_chip_fpga wr_oe = {7, 1, 1, 0, 0, 1};    /* WR# with OE# low (and D driven: also a clash) */
    struct ft_chip_fpga wr_nod = {7, 0, 1, 0, 1, 1};   /* WR# with D not driven */
    struct ft_chip_pins p;
    edge(c, &wr_oe, 1, NULL);
    assert_int_equal(stats(c).violations, 1); /* one edge counts once */
    edge(c, &wr_nod, 1, NULL);
    assert_int_equal(stats(c).violations, 2);
    assert_int_equal(ft_chip_tx_fill(c), 2);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(p.txe_n, 1);
    /* TXE# high: the write does not take */
    assert_int_equal(fpga_write(c, 9) & FT_CHIP_MOVED, 0);
    assert_int_equal(stats(c).tx_moved, 2);
    assert_int_equal(stats(c).violations, 2);
    /* a caller that does not drive between edges: the write past the full FIFO is a violation, not stored */
    ft_chip_purge(c, 1, 0);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(p.txe_n, 0);
    struct ft_chip_fpga wr = {5, 1, 1, 0, 1, 1};
    ft_chip_edge_pre(c, &wr);
    ft_chip_edge_pre(c, &wr);
    ft_chip_edge_pre(c, &wr);
    assert_int_equal(ft_chip_tx_fill(c), 2);
    assert_int_equal(stats(c).violations, 3);
    assert_int_equal(stats(c).tx_moved, 5);
    ft_chip_free(c);
}

/* 600 bytes at one byte per CLKOUT: a full packet of 512 (status + 510) leaves at once, the rest after the latency
 * timer (exactly latency_clocks edges without a new byte) */
static void test_packets_and_latency(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 1024, 1.0, 1.0, 40, 1);
    ft_chip_host_stall(c, 1);
    for (int i = 0; i < 600; i++)
        assert_true(fpga_write(c, (uint8_t)i) & FT_CHIP_MOVED);
    assert_int_equal(ft_chip_tx_fill(c), 600);
    ft_chip_host_stall(c, 0);
    unsigned f = 0;
    int n = 0;
    while (!(f & FT_CHIP_DELIVERED)) {
        f = edge(c, &IDLE, 1, NULL);
        n++;
    }
    assert_int_equal(n, 510);
    assert_true(f & FT_CHIP_BUSY);
    assert_int_equal(ft_chip_host_avail(c), 510);
    uint8_t pkt[FT_CHIP_PACKET];
    assert_int_equal(ft_chip_host_read_packet(c, pkt, sizeof pkt - 1), -ENOSPC);
    assert_int_equal(ft_chip_host_read_packet(c, pkt, sizeof pkt), 512);
    assert_int_equal(pkt[0], FT_CHIP_MODEM0);
    assert_int_equal(pkt[1], FT_CHIP_MODEM1);
    for (int i = 0; i < 510; i++)
        assert_int_equal(pkt[2 + i], (uint8_t)i);
    assert_int_equal(ft_chip_host_read_packet(c, pkt, sizeof pkt), 0);
    /* the 90 left move in 90 edges; the packet leaves on the 40th edge after the last byte, not before */
    for (int i = 0; i < 90; i++)
        assert_int_equal(edge(c, &IDLE, 1, NULL) & FT_CHIP_DELIVERED, 0);
    assert_int_equal(ft_chip_tx_fill(c), 0);
    for (int i = 0; i < 39; i++)
        assert_int_equal(edge(c, &IDLE, 1, NULL), FT_CHIP_BUSY);
    assert_int_equal(ft_chip_host_avail(c), 0);
    assert_int_equal(edge(c, &IDLE, 1, NULL), FT_CHIP_DELIVERED);
    assert_int_equal(ft_chip_host_avail(c), 90);
    /* stripped read: part of the packet, then the rest as a packet with its status bytes */
    uint8_t b[64];
    assert_int_equal(ft_chip_host_read(c, b, 50), 50);
    assert_int_equal(b[0], (uint8_t)510);
    assert_int_equal(ft_chip_host_avail(c), 40);
    assert_int_equal(ft_chip_host_read_packet(c, pkt, sizeof pkt), 42);
    assert_int_equal(pkt[0], FT_CHIP_MODEM0);
    assert_int_equal(pkt[2], (uint8_t)560);
    assert_int_equal(pkt[41], (uint8_t)599);
    assert_int_equal(ft_chip_host_avail(c), 0);
    assert_int_equal(stats(c).in_packets, 2);
    /* idle: nothing is formed from nothing */
    idle_edges(c, 100);
    assert_int_equal(stats(c).in_packets, 2);
    /* a new latency value applies to the packet being formed */
    ft_chip_set_latency(c, 5);
    fpga_write(c, 0xee); /* into tx and on into the packet on the same edge */
    idle_edges(c, 4);
    assert_int_equal(stats(c).in_packets, 2);
    idle_edges(c, 1);
    assert_int_equal(stats(c).in_packets, 3);
    assert_int_equal(ft_chip_host_read(c, b, sizeof b), 1);
    assert_int_equal(b[0], 0xee);
    assert_int_equal(stats(c).violations, 0);
    ft_chip_free(c);
}

/* the stripped stream over several packets equals the bytes the FPGA wrote */
static void test_stripped_stream(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 4096, 2.0, 1.0, 3, 1);
    for (int i = 0; i < 3000; i++)
        fpga_write(c, (uint8_t)(i * 7));
    idle_edges(c, 2000);
    assert_int_equal(ft_chip_host_avail(c), 3000);
    assert_int_equal(stats(c).in_packets, 6); /* 5 full (2550) + 450 */
    uint8_t b[3000];
    size_t got = 0;
    while (got < sizeof b) {
        size_t n = ft_chip_host_read(c, b + got, 333);
        assert_true(n > 0);
        got += n;
    }
    for (int i = 0; i < 3000; i++)
        assert_int_equal(b[i], (uint8_t)(i * 7));
    assert_int_equal(ft_chip_host_read(c, b, sizeof b), 0);
    ft_chip_free(c);
}

/* SIWU#: a falling edge counts once; the short packet leaves once tx is empty, well before the latency timer */
static void test_siwu_flush(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 64, 0.5, 1.0, 100000, 1);
    ft_chip_host_stall(c, 1);
    for (int i = 0; i < 10; i++)
        fpga_write(c, (uint8_t)i);
    struct ft_chip_fpga siwu = {0, 0, 1, 1, 1, 0};
    edge(c, &siwu, 1, NULL);
    edge(c, &siwu, 1, NULL); /* held low: still one strobe */
    assert_int_equal(stats(c).siwu, 1);
    ft_chip_host_stall(c, 0);
    /* at 0.5 byte per edge, 10 bytes take 20 edges; the packet leaves on the edge that empties tx */
    int n = 0;
    unsigned f = 0;
    while (!(f & FT_CHIP_DELIVERED) && n < 1000) {
        f = edge(c, &IDLE, 1, NULL);
        n++;
    }
    assert_int_equal(n, 20);
    assert_int_equal(ft_chip_host_avail(c), 10);
    assert_int_equal(f & FT_CHIP_BUSY, 0);
    /* the request is spent: the next bytes wait for the latency timer */
    fpga_write(c, 0x77);
    idle_edges(c, 500);
    assert_int_equal(stats(c).in_packets, 1);
    /* a SIWU# strobe with nothing to send forms no (empty) packet and is spent at once */
    ft_chip_free(c);
    c = mk(8, 64, 1.0, 1.0, 100000, 1);
    struct ft_chip_fpga siwu_nowait = {0, 0, 1, 1, 1, 0};
    edge(c, &siwu_nowait, 1, NULL);
    idle_edges(c, 5);
    assert_int_equal(stats(c).in_packets, 0);
    assert_int_equal(stats(c).siwu, 1);
    ft_chip_free(c);
}

/* a stalled host forms no packet; the FIFO fills, TXE# goes high; the stall also stops ft_chip_expire_latency */
static void test_stall_and_expire(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 16, 1.0, 1.0, 1000000, 1);
    struct ft_chip_pins p;
    ft_chip_host_stall(c, 1);
    for (int i = 0; i < 16; i++)
        fpga_write(c, (uint8_t)i);
    idle_edges(c, 100);
    ft_chip_drive(c, 1, &p);
    assert_int_equal(p.txe_n, 1);
    assert_int_equal(stats(c).in_packets, 0);
    assert_int_equal(ft_chip_expire_latency(c), 0);
    ft_chip_host_stall(c, 0);
    idle_edges(c, 16);
    assert_int_equal(ft_chip_tx_fill(c), 0);
    assert_int_equal(ft_chip_host_avail(c), 0); /* still forming: the timer is long */
    ft_chip_host_stall(c, 1);
    assert_int_equal(ft_chip_expire_latency(c), 0); /* a stalled host takes no packet */
    assert_int_equal(ft_chip_host_avail(c), 0);
    ft_chip_host_stall(c, 0);
    assert_int_equal(ft_chip_expire_latency(c), 1);
    assert_int_equal(ft_chip_host_avail(c), 16);
    assert_int_equal(ft_chip_expire_latency(c), 0); /* nothing left */
    /* outside FIFO mode it does nothing either */
    fpga_write(c, 1);
    edge(c, &IDLE, 1, NULL);
    ft_chip_set_fifo_mode(c, 0);
    assert_int_equal(ft_chip_expire_latency(c), 0);
    ft_chip_set_fifo_mode(c, 1);
    assert_int_equal(ft_chip_expire_latency(c), 1);
    assert_int_equal(ft_chip_host_avail(c), 17);
    /* TXE# low before each of the 16 writes, high while full (stalled, and on the first edge after the stall),
     * low again on the 15 draining edges after that, the write and the idle edge */
    assert_int_equal(stats(c).txe_low, 16 + 15 + 1 + 1);
    ft_chip_free(c);
}

/* purges: chip -> host empties tx and the packet being formed, formed packets stay; host -> chip empties rx */
static void test_purge(void **state)
{
    (void)state;
    struct ft_chip *c = mk(8, 64, 1.0, 1.0, 5, 1);
    for (int i = 0; i < 4; i++)
        fpga_write(c, (uint8_t)i);
    idle_edges(c, 20);
    assert_int_equal(ft_chip_host_avail(c), 4); /* formed */
    ft_chip_host_stall(c, 1);
    uint8_t b[6] = {1, 2, 3, 4, 5, 6};
    assert_int_equal(ft_chip_host_write(c, b, 6), 0);
    for (int i = 0; i < 4; i++)
        fpga_write(c, (uint8_t)i);
    assert_int_equal(ft_chip_rx_fill(c), 5); /* the OUT side runs while IN is stalled: 2 banked + 3 */
    ft_chip_host_stall(c, 0);
    edge(c, &IDLE, 1, NULL); /* 2 banked credits: two bytes into the packet being formed, two left in tx */
    assert_int_equal(ft_chip_tx_fill(c), 2);
    ft_chip_purge(c, 0, 1);
    assert_int_equal(ft_chip_rx_fill(c), 0);
    assert_int_equal(ft_chip_tx_fill(c), 2);
    ft_chip_purge(c, 1, 0);
    assert_int_equal(ft_chip_tx_fill(c), 0);
    idle_edges(c, 50);
    assert_int_equal(ft_chip_host_avail(c), 4); /* the purged packet never leaves; the formed one stayed */
    assert_int_equal(stats(c).in_packets, 1);
    ft_chip_free(c);
}

/* Out of memory: creation fails cleanly at each of its 3 allocations; a host write whose queue cannot grow
 * returns -ENOMEM having queued nothing; a packet that cannot be kept is lost and counted (lost_events), and the
 * stream goes on with the next one. */
static void test_out_of_memory(void **state)
{
    (void)state;
    struct ft_chip_cfg cfg = {64, 1024, 1.0, 1.0, 10, 1};
    struct ft_chip *c;
    for (unsigned long k = 1; k <= 3; k++) {
        c = (struct ft_chip *)1;
        failalloc_start(k);
        int rc = ft_chip_new(&c, &cfg);
        failalloc_pause();
        assert_int_equal(rc, -ENOMEM);
        assert_null(c);
        assert_int_equal(failalloc_live(), 0);
    }
    failalloc_start(0);
    assert_int_equal(ft_chip_new(&c, &cfg), 0);
    failalloc_pause();
    assert_int_equal(failalloc_count(), 3);
    ft_chip_free(c);
    assert_int_equal(failalloc_live(), 0);

    c = mk(64, 1024, 1.0, 1.0, 10, 1);
    uint8_t buf[100];
    memset(buf, 0x5a, sizeof buf);
    failalloc_start(1); /* the host's queue: allocated on the first write */
    assert_int_equal(ft_chip_host_write(c, buf, sizeof buf), -ENOMEM);
    failalloc_pause();
    assert_int_equal(ft_chip_host_out_pending(c), 0);
    assert_int_equal(ft_chip_host_write(c, buf, sizeof buf), 0);
    assert_int_equal(ft_chip_host_out_pending(c), sizeof buf);

    /* the first packet's slot array cannot be allocated: that packet is lost, counted; the next one arrives */
    fpga_write(c, 0x11);
    failalloc_start(1);
    idle_edges(c, 12); /* the latency timer (10) delivers it */
    failalloc_pause();
    assert_int_equal(failalloc_count(), 1);
    assert_int_equal(stats(c).lost_events, 1);
    assert_int_equal(stats(c).in_packets, 0);
    assert_int_equal(ft_chip_host_avail(c), 0);
    fpga_write(c, 0x22);
    idle_edges(c, 12);
    assert_int_equal(stats(c).lost_events, 1);
    assert_int_equal(stats(c).in_packets, 1);
    uint8_t b[8];
    assert_int_equal(ft_chip_host_read(c, b, sizeof b), 1);
    assert_int_equal(b[0], 0x22);
    ft_chip_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_cfg),
        cmocka_unit_test(test_fifo_mode_pins),
        cmocka_unit_test(test_out_credit),
        cmocka_unit_test(test_read_protocol),
        cmocka_unit_test(test_write_protocol),
        cmocka_unit_test(test_packets_and_latency),
        cmocka_unit_test(test_stripped_stream),
        cmocka_unit_test(test_siwu_flush),
        cmocka_unit_test(test_stall_and_expire),
        cmocka_unit_test(test_purge),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
