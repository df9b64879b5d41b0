/* ft_chip: the one C model of the FTDI FT2232H in FT245 synchronous FIFO mode that the simulators put between a
 * Verilated FPGA and the host: sim/link_chip.c (the link-only system) and sim/twdev.c (the whole device). docs/sim.md
 * describes it.
 *
 *  - two fixed chip FIFOs (host -> FPGA "rx", FPGA -> host "tx"; FT2232H: 4 KiB each); RXF# low while rx holds a
 *    byte, TXE# low while tx has room; D carries rx's front byte while the FPGA holds OE# low;
 *  - the pin protocol checked at every CLKOUT edge: both sides driving D, RD# low unless OE# is low on this and
 *    was on the previous clock, WR# low with OE# low or D not driven, a byte written while TXE# low but tx full
 *    (only possible with force_txe) are violations; RD# low with RXF# low moves a byte FPGA-ward, WR# low with
 *    TXE# low one host-ward, a falling SIWU# asks for the packet being formed to leave once tx is empty;
 *  - the host side paced by credits (host_out_rate / host_in_rate bytes per CLKOUT, at most 2 banked): bytes the
 *    host wrote enter rx as room allows; tx is read into USB IN packets of FT_CHIP_PACKET bytes whose first
 *    FT_CHIP_STATUS bytes are the modem status (0x32 0x60). A packet leaves when full, on SIWU# once tx is empty, or
 *    when latency_clocks CLKOUT passed without a new byte (the latency timer). A stalled host takes no packet (tx,
 *    then the FPGA, fill up);
 *  - outside synchronous FIFO mode (fifo_mode 0) RXF# and TXE# stay high and the host side moves nothing.
 *
 * Formed packets are kept whole: ft_chip_host_read_packet returns one with its status bytes (the USB path),
 * ft_chip_host_read the stripped byte stream (what the host library sees).
 *
 * One CLKOUT edge, by the caller that owns the Verilated model:
 *     ft_chip_edge_pre(c, <FPGA pins before the edge>);   model edge;   ft_chip_edge_post(c);
 *     ft_chip_drive(c, <FPGA's OE# after the edge>, &pins);   <pins into the model>
 * Deterministic; no global state; one handle per chip; not thread-safe. Errors are negative errno values. */
#ifndef TAPWATCH_SIM_FT_CHIP_H
#define TAPWATCH_SIM_FT_CHIP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FT_CHIP_PACKET 512u /* USB high-speed bulk IN packet */
#define FT_CHIP_STATUS 2u   /* modem-status bytes leading every IN packet */
#define FT_CHIP_MODEM0 0x32u
#define FT_CHIP_MODEM1 0x60u

struct ft_chip_cfg {
    uint32_t rx_fifo;        /* host -> FPGA FIFO in bytes (> 0) */
    uint32_t tx_fifo;        /* FPGA -> host FIFO in bytes (> 0) */
    double host_in_rate;     /* bytes per CLKOUT the host takes from the chip (> 0) */
    double host_out_rate;    /* bytes per CLKOUT the host gives the chip (> 0) */
    uint64_t latency_clocks; /* a short IN packet leaves after this many CLKOUT without a new byte */
    int fifo_mode;           /* 1: in synchronous FIFO mode from the start; 0: until ft_chip_set_fifo_mode(c, 1) */
};

/* What the FPGA drives, sampled before a CLKOUT edge (0/1 levels, active-low names). */
struct ft_chip_fpga {
    uint8_t d_out, d_oe, rd_n, wr_n, oe_n, siwu_n;
};

/* What the chip drives into the FPGA after a CLKOUT edge. */
struct ft_chip_pins {
    uint8_t rxf_n, txe_n, d;
};

struct ft_chip_stats {
    uint64_t ft_clocks;   /* CLKOUT edges (ft_chip_edge_pre calls) */
    uint64_t txe_low;     /* edges with TXE# low */
    uint64_t tx_moved;    /* bytes the chip took from the FPGA */
    uint64_t rx_moved;    /* bytes the FPGA took from the chip */
    uint64_t violations;  /* bus protocol violations by the FPGA */
    uint64_t siwu;        /* SIWU# strobes (falling edges) */
    uint64_t in_packets;  /* IN packets formed (each with at least one payload byte) */
    uint64_t lost_events; /* packets lost because the model ran out of memory: must stay 0 */
};

/* What an edge did (bit mask returned by ft_chip_edge_pre / ft_chip_edge_post). */
#define FT_CHIP_MOVED 1u     /* pre: a byte crossed the FT245 bus */
#define FT_CHIP_DELIVERED 2u /* post: an IN packet was formed */
#define FT_CHIP_BUSY 4u      /* post (after the edge): bytes wait in tx or in the packet being formed */

struct ft_chip;

/* 0, -EINVAL (a zero FIFO, a rate <= 0), -ENOMEM. */
int ft_chip_new(struct ft_chip **out, const struct ft_chip_cfg *cfg);
void ft_chip_free(struct ft_chip *c);

/* ---- the FPGA side, once per CLKOUT edge ---- */
unsigned ft_chip_edge_pre(struct ft_chip *c, const struct ft_chip_fpga *o);
unsigned ft_chip_edge_post(struct ft_chip *c);
/* The chip's pins for the FPGA's present OE#; RXF# and TXE# are latched for the next edge's checks. Call once after
 * every ft_chip_edge_post (and once before the first edge). */
void ft_chip_drive(struct ft_chip *c, int oe_n, struct ft_chip_pins *p);
int ft_chip_txe_n(const struct ft_chip *c); /* TXE# as last driven */

/* ---- the host side ---- */
/* Bulk OUT: bytes for rx, taken at host_out_rate as room allows. 0 or -ENOMEM. */
int ft_chip_host_write(struct ft_chip *c, const uint8_t *p, size_t n);
size_t ft_chip_host_out_pending(const struct ft_chip *c); /* written, not yet in rx */
/* Bulk IN: the oldest formed packet with its status bytes (payload read through ft_chip_host_read left out). Its
 * length, 0 when none is formed, -ENOSPC when cap is too small (the packet stays). */
int ft_chip_host_read_packet(struct ft_chip *c, uint8_t *pkt, size_t cap);
/* Up to cap payload bytes of the formed packets, status bytes stripped. */
size_t ft_chip_host_read(struct ft_chip *c, uint8_t *p, size_t cap);
size_t ft_chip_host_avail(const struct ft_chip *c); /* payload bytes formed, not yet read */
void ft_chip_host_stall(struct ft_chip *c, int stall);
/* What the latency timer would do at once: a short packet being formed leaves now (only in FIFO mode and while the
 * host is not stalled). 1 when a packet was formed; 0 when none was waiting (or it was lost out of memory: counted). */
int ft_chip_expire_latency(struct ft_chip *c);

/* ---- chip state ---- */
void ft_chip_set_fifo_mode(struct ft_chip *c, int on);
int ft_chip_fifo_mode(const struct ft_chip *c);
void ft_chip_set_latency(struct ft_chip *c, uint64_t clocks);
void ft_chip_force_txe_high(struct ft_chip *c, int on); /* TXE# high whatever tx's fill */
/* SIO_RESET purges: chip_to_host empties tx and the packet being formed (formed packets stay), host_to_chip rx. */
void ft_chip_purge(struct ft_chip *c, int chip_to_host, int host_to_chip);
size_t ft_chip_rx_fill(const struct ft_chip *c);
size_t ft_chip_tx_fill(const struct ft_chip *c);
uint64_t ft_chip_clocks(const struct ft_chip *c);
void ft_chip_stats(const struct ft_chip *c, struct ft_chip_stats *st);

#ifdef __cplusplus
}
#endif

#endif
