/* A simulated FT2232H on a umockdev testbed, answering libusb's usbdevfs ioctls live from the Verilated host link
 * (sim/link_chip.h: tw_link_top behind an FT2232H model). Descriptors (with manufacturer, product and serial
 * strings), FTDI vendor requests, bulk OUT 0x02 into the chip, bulk IN 0x81 as 512-byte packets each led by the 2
 * modem-status bytes (status-only packets when the latency timer expires with nothing to send), URB discard, and
 * an unplug. The handler runs on umockdev's worker thread: take fakeftdi_lock() around any use of the link system
 * from the test thread. The program must run under the umockdev preload (fakeftdi_reexec). */
#ifndef TW_FAKEFTDI_H
#define TW_FAKEFTDI_H

#include <stdint.h>

#include "link_chip.h"

struct fakeftdi;

/* Re-executes the program under LD_PRELOAD=libumockdev-preload.so.0 unless it already runs there; returns only
 * when the preload is active (or exits 1 with a message when it cannot be loaded: the test is required). */
void fakeftdi_reexec(int argc, char **argv);

/* A testbed with one FT2232H (0403:6010) at bus/addr with the serial string; NULL on failure. */
struct fakeftdi *fakeftdi_new(const char *serial, int bus, int addr);
void fakeftdi_free(struct fakeftdi *f);
struct tw_link_sys *fakeftdi_sys(struct fakeftdi *f);
void fakeftdi_lock(struct fakeftdi *f);
void fakeftdi_unlock(struct fakeftdi *f);
/* The device disappears: URBs in flight complete with -ENODEV, new ones fail. */
void fakeftdi_unplug(struct fakeftdi *f);

struct fakeftdi_stats {
    uint64_t submits, reaps, discards, ctrl, bulk_out_bytes, in_urbs, in_packets, status_only, strings;
    uint32_t last_latency;    /* SET_LATENCY_TIMER value */
    uint32_t bitmodes[4];     /* SET_BITMODE values in order (first 4) */
    unsigned n_bitmodes, resets, purges_rx, purges_tx;
    uint64_t unknown_ioctls;
    unsigned long last_unknown; /* request number of the last one */
};
void fakeftdi_stats(struct fakeftdi *f, struct fakeftdi_stats *s);

#endif
