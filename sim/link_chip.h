/* A simulated host link system: the Verilated tw_link_top (sim/link_model.h) between the simulators' FTDI FT2232H
 * model in synchronous FIFO mode (sim/ft_chip.h, shared with sim/twdev.c: 4 KiB FIFOs each way, RXF#/TXE#
 * behaviour, USB IN packets of 512 bytes with 2 modem-status bytes, SIWU#, latency timer, bus protocol violations
 * counted) with the host behind it, and a C model of the core side (counter block, external registers, table-write
 * and commit logs, a record source). Deterministic; used by tests/sim/test_link*.c, the link bench and the umockdev
 * tests' link backend (tests/usb/fakeftdi_link.c). */
#ifndef TW_LINK_CHIP_H
#define TW_LINK_CHIP_H

#include <stddef.h>
#include <stdint.h>

#include "link_model.h"

struct tw_link_sys_cfg {
    uint32_t core_ps, ft_ps;      /* clock periods: default 8000 (125 MHz) and 16667 (60 MHz) */
    uint32_t chip_rx_fifo;        /* host -> FPGA FIFO of the chip, bytes (FT2232H: 4096) */
    uint32_t chip_tx_fifo;        /* FPGA -> host FIFO of the chip, bytes (FT2232H: 4096) */
    double host_in_rate;          /* bytes per CLKOUT the host takes from the chip (40 MB/s: 0.667) */
    double host_out_rate;         /* bytes per CLKOUT the host gives the chip (35 MB/s: 0.583) */
    uint32_t latency_clocks;      /* a short IN packet leaves after this many CLKOUT without new bytes */
};

struct tw_link_sys_stats {
    uint64_t ft_clocks, core_clocks;
    uint64_t txe_low;       /* CLKOUT edges with TXE# low */
    uint64_t tx_moved;      /* bytes the chip took from the FPGA */
    uint64_t tx_moved_txe;  /* ... on edges counted in txe_low (all of them, by definition) */
    uint64_t rx_moved;      /* bytes the FPGA took from the chip */
    uint64_t violations;    /* bus protocol violations */
    uint64_t siwu;          /* SIWU# strobes */
    uint64_t in_packets;    /* USB IN packets delivered to the host */
    uint64_t recs_pushed;   /* records presented on s_axis_rec */
    uint64_t commits;       /* commit strobes */
    uint32_t last_commit_mask;
    uint64_t lost_events;   /* core-side events the model could not record (out of memory): must stay 0 */
};

struct tw_link_tbl_write {
    uint8_t id;
    uint16_t addr;
    uint32_t data;
};

struct tw_link_sys;

/* cfg may be NULL for the defaults. Returns NULL when out of memory or on a bad cfg (a zero FIFO size, a host rate
 * <= 0). The system starts out of reset. */
struct tw_link_sys *tw_link_sys_new(const struct tw_link_sys_cfg *cfg);
void tw_link_sys_free(struct tw_link_sys *s);
void tw_link_sys_run(struct tw_link_sys *s, uint64_t ft_clocks);
/* Runs until the host has nothing left to send, the chip and FPGA are quiet and no record is queued, or until
 * max_ft_clocks; returns 0 when idle, -1 on timeout. */
int tw_link_sys_run_idle(struct tw_link_sys *s, uint64_t max_ft_clocks);

/* host side */
int tw_link_sys_host_write(struct tw_link_sys *s, const uint8_t *p, size_t n); /* 0 or -1 (no memory) */
size_t tw_link_sys_host_read(struct tw_link_sys *s, uint8_t *p, size_t cap);  /* stripped IN payload */
size_t tw_link_sys_host_avail(const struct tw_link_sys *s);
void tw_link_sys_set_stall(struct tw_link_sys *s, int stall);        /* host stops taking IN packets */
void tw_link_sys_force_txe_high(struct tw_link_sys *s, int on);      /* TXE# held high whatever the FIFO */

/* core side */
int tw_link_sys_rec_push(struct tw_link_sys *s, uint8_t type, const uint8_t *rec, unsigned len);
size_t tw_link_sys_rec_queued(const struct tw_link_sys *s);
/* Core clocks from one queued record to the next (default 0: one record every clock). */
void tw_link_sys_set_rec_gap(struct tw_link_sys *s, uint32_t clocks);
void tw_link_sys_set_counter(struct tw_link_sys *s, unsigned i, uint64_t v);
uint32_t tw_link_sys_ext_get(const struct tw_link_sys *s, uint16_t addr);
void tw_link_sys_ext_set(struct tw_link_sys *s, uint16_t addr, uint32_t v);
void tw_link_sys_set_status(struct tw_link_sys *s, uint32_t v);
size_t tw_link_sys_tbl_log(const struct tw_link_sys *s, const struct tw_link_tbl_write **log);
void tw_link_sys_core_out(const struct tw_link_sys *s, struct tw_link_core_out *o);
void tw_link_sys_ft_out(const struct tw_link_sys *s, struct tw_link_ft_out *o);
void tw_link_sys_stats(const struct tw_link_sys *s, struct tw_link_sys_stats *st);
uint64_t tw_link_sys_time_ps(const struct tw_link_sys *s); /* simulated time */

#endif
