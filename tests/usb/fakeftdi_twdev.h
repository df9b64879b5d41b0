/* The whole simulated device (sim/twdev.h: the Verilated tw_top behind its FT2232H model) as the device behind
 * fakeftdi's FT2232H, so that unmodified libusb (host/src/dev_usb.c) talks to the full RTL through umockdev.
 *
 * USB carries no frames to the device (a board taps them off the link): the test injects them in-process with
 * fakeftdi_twdev_push, under the fakeftdi lock. The device runs on umockdev's worker thread whenever libusb reaps
 * with nothing to deliver: a step runs it until it has sent bytes and its link went quiet (the FPGA strobed SIWU#
 * and nothing moved for a chunk of clocks: whole device frames, never half a record), until it is idle, or at most
 * STEP_MAX core clocks. The Verilated model is slow in wall time (~10^4 core clocks per CPU second): without
 * stepping to quiet points, a record split across two steps would leave a wall-clock pause in the middle of a
 * frame, which the USB backend (rightly, for a board) treats as a cut frame after 40 ms.
 *
 * FTDI vendor requests reach the model (twdev_vendor_out): SIO_RESET purges, SET_LATENCY_TIMER, SET_BITMODE (0x40
 * starts synchronous FIFO mode: the chip moves no byte before dev_usb's open sets it). */
#ifndef TW_FAKEFTDI_TWDEV_H
#define TW_FAKEFTDI_TWDEV_H

#include <stddef.h>
#include <stdint.h>

#include "fakeftdi.h"
#include "twdev.h"

/* A testbed with one FT2232H at bus/addr with the serial, the full device (cfg NULL: twdev defaults) behind it.
 * NULL on failure (*err: the twdev_new error, or -ENOMEM). */
struct fakeftdi *fakeftdi_new_twdev(const char *serial, int bus, int addr, const struct twdev_cfg *cfg, int *err);
/* The model: use it only between fakeftdi_lock and fakeftdi_unlock. */
struct twdev *fakeftdi_twdev(struct fakeftdi *f);
/* Locked helpers: a frame into ingress port A/B (twdev_push_frame), the end-of-input flush (twdev_flush). */
int fakeftdi_twdev_push(struct fakeftdi *f, unsigned port, uint64_t ts_ns, const uint8_t *frame, size_t len);
int fakeftdi_twdev_flush(struct fakeftdi *f);
/* 1 when the device has finished: the last step found it idle (every frame in, flush done, nothing moving) since
 * the last push or flush, and every byte it sent is in a completed IN transfer. */
int fakeftdi_twdev_done(struct fakeftdi *f);

struct fakeftdi_twdev_stats {
    uint64_t steps, step_clocks, step_clocks_max; /* device steps run, core clocks in them, the longest */
    uint64_t quiet_stops, idle_stops, max_stops;  /* why steps ended */
};
void fakeftdi_twdev_stats(struct fakeftdi *f, struct fakeftdi_twdev_stats *s);

#endif
