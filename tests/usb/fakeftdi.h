/* A simulated FT2232H on a umockdev testbed, answering libusb's usbdevfs ioctls live from a simulated device behind
 * it (a backend: the Verilated host link, sim/link_chip.h, in fakeftdi_link.c; the whole Verilated device,
 * sim/twdev.h, in fakeftdi_twdev.c). Descriptors (with manufacturer, product and serial strings), FTDI vendor
 * requests, bulk OUT 0x02 into the device, bulk IN 0x81 as 512-byte packets each led by the 2 modem-status bytes
 * (status-only packets when the latency timer expires with nothing to send), URB discard, and an unplug. The
 * handler runs on umockdev's worker thread and runs the device when libusb reaps with nothing to deliver: take
 * fakeftdi_lock() around any use of the backend's device from the test thread. The program must run under the
 * umockdev preload (fakeftdi_reexec). */
#ifndef TW_FAKEFTDI_H
#define TW_FAKEFTDI_H

#include <stddef.h>
#include <stdint.h>

#include "link_chip.h"

struct fakeftdi;

/* Re-executes the program under LD_PRELOAD=libumockdev-preload.so.0 unless it already runs there; returns only
 * when the preload is active (or exits 1 with a message when it cannot be loaded: the test is required). */
void fakeftdi_reexec(int argc, char **argv);

/* The device behind the chip. Called on umockdev's worker thread with the fakeftdi lock held. */
struct fakeftdi_backend {
    int (*write)(void *ctx, const uint8_t *p, size_t n);  /* bulk OUT bytes: 0, or non-zero (no memory) */
    size_t (*read)(void *ctx, uint8_t *p, size_t cap);    /* IN payload bytes (no status bytes) */
    size_t (*avail)(void *ctx);                           /* IN payload bytes ready */
    void (*run)(void *ctx);   /* a reap found nothing to deliver: advance the device one step */
    void (*vendor)(void *ctx, uint8_t req, uint16_t value, uint16_t index); /* FTDI vendor request; may be NULL */
    void (*free)(void *ctx);  /* may be NULL */
};

/* A testbed with one FT2232H (0403:6010) at bus/addr with the serial string, the device behind it given by be and
 * ctx (be is copied; ctx is owned from now on: freed with be->free by fakeftdi_free, or here on failure). NULL on
 * failure. */
struct fakeftdi *fakeftdi_new_backend(const char *serial, int bus, int addr, const struct fakeftdi_backend *be,
                                      void *ctx);
void fakeftdi_free(struct fakeftdi *f);
void *fakeftdi_ctx(struct fakeftdi *f);

/* fakeftdi_link.c: the Verilated host link (tw_link_sys, defaults of the link tests) behind the chip. */
struct fakeftdi *fakeftdi_new(const char *serial, int bus, int addr);
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
