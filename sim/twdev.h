/* twdev: the simulated tapwatch device. The Verilated full top (rtl/tw_top.v: tap + parser, detection, register
 * file, host link) behind the simulators' C model of the FTDI FT2232H in FT245 synchronous FIFO mode (sim/ft_chip.h,
 * the one sim/link_chip.c uses too): 4 KiB chip FIFOs each way, RXF#/TXE# from their fill, the host taking bytes at host_in_rate per
 * CLKOUT in USB IN packets of 512 bytes whose first 2 bytes are the modem status (0x32 0x60), a packet leaving
 * when full, when the FPGA strobes SIWU# and the chip FIFO is empty, or when the latency timer expires.
 *
 * Used by tapwatch-sim serve (the `sim:` backend's socket), the umockdev test of the libusb backend and the
 * device tests (tests/sim/test_top*.c). Deterministic: the same calls give the same bytes.
 *
 * Time: two clocks (core 125 MHz, CLKOUT 60 MHz by default) advance only inside twdev_run / twdev_run_idle /
 * twdev_run_until_*. Frames carry their own capture timestamp (ts_ns), which the tap stamps into the frame's
 * record (simulation time source of tw_top; a board uses REG_TIME, set by CMD_TIME_SET).
 *
 * Errors are negative errno values. No global state; one handle = one model. Not thread-safe: one thread per
 * handle (tapwatch-sim serve runs one handle from one thread).
 */
#ifndef TAPWATCH_SIM_TWDEV_H
#define TAPWATCH_SIM_TWDEV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TWDEV_PORT_A 0u
#define TWDEV_PORT_B 1u
#define TWDEV_MAX_FRAME 16383u   /* longest frame pushed (the parser's giant check applies above cfg MTU) */
#define TWDEV_PACKET 512u        /* USB high-speed bulk IN packet of the FT2232H */
#define TWDEV_STATUS 2u          /* modem-status bytes leading every IN packet */

/* FTDI vendor requests the model understands (bRequest of a control OUT transfer, libftdi's names). */
#define TWDEV_SIO_RESET 0x00u             /* wValue 0 reset (both purges), 1 purge RX (libftdi's meaning: the
                                           * chip->host data the host reads), 2 purge TX (host->chip data) */
#define TWDEV_SIO_SET_LATENCY_TIMER 0x09u /* wValue = latency in ms (1..255) */
#define TWDEV_SIO_GET_LATENCY_TIMER 0x0Au /* control IN: one byte */
#define TWDEV_SIO_SET_BITMODE 0x0Bu       /* wValue = mode << 8 | mask; mode 0x40 = synchronous FIFO */
#define TWDEV_BITMODE_RESET 0x00u
#define TWDEV_BITMODE_SYNCFF 0x40u

struct twdev_cfg {
    uint32_t core_ps;        /* core clock period in ps (default 8000: 125 MHz) */
    uint32_t ft_ps;          /* CLKOUT period in ps (default 16667: 60 MHz) */
    uint32_t chip_rx_fifo;   /* host -> FPGA FIFO of the chip in bytes (default 4096) */
    uint32_t chip_tx_fifo;   /* FPGA -> host FIFO of the chip in bytes (default 4096) */
    double host_in_rate;     /* bytes per CLKOUT the host takes from the chip (default 40/60: ~40 MB/s) */
    double host_out_rate;    /* bytes per CLKOUT the host gives the chip (default 35/60) */
    unsigned latency_ms;     /* initial latency timer in ms (default 16, the FTDI power-on value) */
    int syncff;              /* 1: start in synchronous FIFO mode (as after SET_BITMODE 0x40); 0 (default): the
                              * chip moves no byte until twdev_set_bitmode(.., 0x40) */
    unsigned frame_gap;      /* idle core clocks between two frames of one port (default 2: 8 bytes of IFG+preamble
                              * rounded to beats); 0 = back to back */
    int pace;                /* 1 (default): start no new frame while parser records wait for the detection
                              * pipeline (tw_top sim_hold), so a replay loses nothing however slow the host link or
                              * the detection; 0: frames at line rate as on a board, where the tap never waits and
                              * a copy that finds the detection side full is dropped and counted (CNT_COPY_DROP) */
};

struct twdev_stats {
    uint64_t core_clocks, ft_clocks;
    uint64_t frames_in[2], bytes_in[2];   /* frames accepted on ingress A/B */
    uint64_t frames_out[2], bytes_out[2]; /* frames forwarded, per INGRESS port (A's leave on B) */
    uint64_t out_bad;                     /* forwarded frames that differ from what went in */
    uint64_t txe_low;                     /* CLKOUT edges with TXE# low */
    uint64_t tx_moved;                    /* bytes the chip took from the FPGA */
    uint64_t rx_moved;                    /* bytes the FPGA took from the chip */
    uint64_t in_packets;                  /* USB IN packets formed (with data) */
    uint64_t violations;                  /* FT245 bus protocol violations by the FPGA: must stay 0 */
    uint64_t siwu;                        /* SIWU# strobes */
    uint64_t lost_events;                 /* model bookkeeping out of memory: must stay 0 */
};

struct twdev;

void twdev_cfg_default(struct twdev_cfg *c);
/* A new device (cfg NULL = defaults), reset and settled (flow and digest tables cleared). 0, -ENOMEM, -EINVAL (bad
 * cfg), -EIO (the model did not finish its initialisation). */
int twdev_new(struct twdev **out, const struct twdev_cfg *cfg);
void twdev_free(struct twdev *d);

/* ---- the tapped link ---- */
/* Queues a copy of a frame for ingress port TWDEV_PORT_A/B with its capture timestamp; tuser = the MAC's bad-frame
 * flag. Frames of one port enter in push order; the two ports run independently. 0, -EINVAL (port, len 0 or >
 * TWDEV_MAX_FRAME), -ENOMEM. */
int twdev_push_frame(struct twdev *d, unsigned port, uint64_t ts_ns, const uint8_t *frame, size_t len, int tuser);
/* Frames queued or partly sent, both ports. */
size_t twdev_frames_pending(const struct twdev *d);
/* End of input: a one-clock flush strobe to the detection pipeline (flow records of every live flow, reason
 * FR_SHUTDOWN), raised by the running model only once the pipeline has drained: every queued frame went in, no
 * parser record waits for detection, and nothing moved for 12,000 core clocks while the chip could take bytes (so
 * the last frames' records went through the flow table first; twdev_run_idle runs through the wait and the flush).
 * Safe to call right after the last twdev_push_frame. While the chip takes no byte (not in synchronous FIFO mode, or
 * its FIFO full behind a stalled host) the flush waits. 0 or -ENOMEM. */
int twdev_flush(struct twdev *d);

/* ---- the host side of the FT2232H ---- */
/* Bulk OUT: bytes for the chip's host->FPGA FIFO (taken at host_out_rate as room allows). 0 or -ENOMEM. */
int twdev_host_write(struct twdev *d, const uint8_t *p, size_t n);
/* Bytes written by the host not yet in the chip FIFO. */
size_t twdev_host_out_pending(const struct twdev *d);
/* Bulk IN: the oldest complete IN packet, modem-status bytes included (2..TWDEV_PACKET bytes). Returns its length,
 * 0 when no packet is ready, -ENOSPC when cap is smaller than the packet (the packet stays). */
int twdev_host_read_packet(struct twdev *d, uint8_t *pkt, size_t cap);
/* The same stream without the status bytes (what the host library sees after stripping): up to cap bytes of the
 * IN packets formed so far (a packet partly read this way is returned by twdev_host_read_packet with its status
 * bytes and the rest of its payload). */
size_t twdev_host_read(struct twdev *d, uint8_t *p, size_t cap);
/* Payload bytes (status bytes excluded) in formed IN packets not yet read. */
size_t twdev_host_avail(const struct twdev *d);
/* 1: the host stops taking IN packets (the chip's TX FIFO and then the FPGA's fill up); 0: resumes. */
void twdev_host_stall(struct twdev *d, int stall);

/* Vendor requests (control OUT, as libusb_control_transfer with bmRequestType 0x40). SET_BITMODE: mode 0x40 starts
 * synchronous FIFO mode, 0x00 stops it (the chip then moves no byte; queued bytes stay). SET_LATENCY_TIMER: 1..255
 * ms (a short IN packet leaves after that long without a new byte). SIO_RESET: purge as wValue says. 0, -EINVAL
 * (value out of range), -EOPNOTSUPP (other request). */
int twdev_vendor_out(struct twdev *d, uint8_t request, uint16_t value, uint16_t index);
int twdev_set_bitmode(struct twdev *d, uint8_t mask, uint8_t mode);
int twdev_set_latency_timer(struct twdev *d, unsigned ms);
unsigned twdev_get_latency_timer(const struct twdev *d);

/* ---- running ---- */
/* Runs n core clocks (CLKOUT edges interleave by their periods). */
void twdev_run(struct twdev *d, uint64_t core_clocks);
/* Runs until idle: every frame went in, the pipeline is empty, host OUT bytes are consumed, every byte the FPGA sent
 * is in a formed IN packet (forcing the latency timer of a last short packet if necessary) and nothing moved for
 * a while. 0, or -ETIMEDOUT after max_core_clocks (0 = no limit). */
int twdev_run_idle(struct twdev *d, uint64_t max_core_clocks);
/* Runs until at least `bytes` stripped bytes are readable (twdev_host_avail) or max_core_clocks passed (0 = no
 * limit). 0 or -ETIMEDOUT. */
int twdev_run_until_avail(struct twdev *d, size_t bytes, uint64_t max_core_clocks);

/* Simulated time in ps since creation. */
uint64_t twdev_time_ps(const struct twdev *d);
void twdev_stats(const struct twdev *d, struct twdev_stats *st);

/* The Verilated device under the handle (sim/top_model.h), for observation only (tw_top_model_merge_trace). */
struct tw_top_model;
struct tw_top_model *twdev_model(struct twdev *d);

#ifdef __cplusplus
}
#endif

#endif
