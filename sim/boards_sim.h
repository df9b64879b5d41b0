/* A simulated board (sim/boards_model.h) with what surrounds it on a bench: one RGMII PHY model per Ethernet port
 * (receive: preamble, SFD, frame, FCS and inter-frame gap on RXD/RX_CTL, double data rate on RXC edges; transmit:
 * TXD/TX_CTL sampled on both halves of the transmit clock and decoded into frames with their preamble and FCS
 * checked) and an FT245 synchronous FIFO chip model with the host behind it. Clocks: the board clock pin (core and
 * transmit clock in simulation), each PHY's RXC and the chip's CLKOUT, each with its own period, so every
 * crossing runs between unrelated clocks. Deterministic. */
#ifndef TW_BOARDS_SIM_H
#define TW_BOARDS_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "boards_model.h"

struct tw_bsys_cfg {
    uint32_t core_ps;      /* board clock period (default 8000: 125 MHz); multiple of 4 */
    uint32_t rx_ps[2];     /* each PHY's RXC period (defaults 8004 and 7996: -500 / +500 ppm) */
    uint32_t ft_ps;        /* FT245 CLKOUT period (default 16668: 60 MHz) */
};

/* flags of tw_bsys_send */
#define TW_BSYS_BAD_FCS 1u /* the PHY sends a corrupted FCS */
#define TW_BSYS_RX_ER 2u   /* RX_ER is asserted on one byte in the middle of the frame */
#define TW_BSYS_BAD_PREAMBLE 4u /* the third preamble byte is 0x5D instead of 0x55 */

struct tw_bsys_frame {
    uint8_t *data;         /* frame without preamble and FCS */
    size_t len;
    int fcs_ok;            /* the FCS on the wire matched */
    int preamble_ok;       /* 7 x 0x55 then 0xD5 */
    int tx_er;             /* TX_ER was seen in the frame */
    uint32_t ifg_before;   /* idle byte times before this frame (since the previous one) */
};

struct tw_bsys_stats {
    uint64_t core_cycles;
    uint64_t ft_violations;   /* bus conflicts, RD# without OE#, WR# without the FPGA driving D */
    uint64_t tx_frames[2];    /* frames decoded on each port's transmit pins */
};

struct tw_bsys;

/* cfg may be NULL for the defaults. NULL when out of memory or a period is not a multiple of 4. */
struct tw_bsys *tw_bsys_new(const struct tw_bsys_cfg *cfg);
void tw_bsys_free(struct tw_bsys *s);

/* Queues a frame (without FCS: the PHY model adds it) on port's receive pins, then ifg idle bytes (12 normally).
 * 0, or -1 (bad port, no memory). */
int tw_bsys_send(struct tw_bsys *s, int port, const uint8_t *frame, size_t len, unsigned flags, unsigned ifg);
/* Bytes still to be sent on port's receive pins. */
size_t tw_bsys_rx_pending(const struct tw_bsys *s, int port);
/* The next frame decoded on port's transmit pins: 1 and *f (f->data is the caller's to free()), or 0. */
int tw_bsys_tx_next(struct tw_bsys *s, int port, struct tw_bsys_frame *f);

/* Runs n core clock cycles. */
void tw_bsys_run(struct tw_bsys *s, uint64_t n);
/* Runs until every PHY's receive queue is empty and then `quiet` more core cycles pass with no transmit activity
 * and no host link traffic, or max cycles in all; 0 when quiet, -1 on timeout. */
int tw_bsys_run_quiet(struct tw_bsys *s, uint64_t quiet, uint64_t max);

/* Host side of the FT245 chip: bytes the host sends to the FPGA, bytes the FPGA sent to the host. */
int tw_bsys_host_write(struct tw_bsys *s, const uint8_t *p, size_t n);
size_t tw_bsys_host_read(struct tw_bsys *s, uint8_t *p, size_t cap);

const struct tw_board_pins *tw_bsys_pins(const struct tw_bsys *s);
void tw_bsys_stats(const struct tw_bsys *s, struct tw_bsys_stats *st);

#endif
