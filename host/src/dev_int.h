/* Internal: the device backends (dev_usb.c, dev_sim.c) behind the transport operations of tapwatch/device.h. */
#ifndef TW_DEV_INT_H
#define TW_DEV_INT_H

#include "tapwatch/device.h"

/* Each returns 0 and fills ops/ctx/name (name: a malloc'ed description) or a negative TW_ERR_*. opts is the part
 * of the spec after "usb" / "sim:" ("" or ":serial=..."; the socket path). */
int tw_dev_usb_open(const char *opts, struct tw_dev_ops *ops, void **ctx, char **name);
int tw_dev_sim_open(const char *path, struct tw_dev_ops *ops, void **ctx, char **name);
/* USB IN packets counted by the USB backend (0 for other transports). */
uint64_t tw_dev_usb_packets(void *ctx);

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t tw_dev_now_ms(void);

#endif
