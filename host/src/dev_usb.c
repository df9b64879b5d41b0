/* The USB backend: an FTDI FT2232H (interface A) or FT232H in synchronous 245 FIFO mode, driven with libusb-1.0
 * directly (no libftdi). Open: find by VID:PID (and serial or bus/address), claim interface 0 (detaching ftdi_sio),
 * reset the chip, purge both FIFOs, set the latency timer, SET_BITMODE 0x00 (reset) then 0x40 (sync FIFO).
 * Streaming: USB_XFERS bulk IN transfers on 0x81 are always in flight and resubmitted from their callback; every
 * 512-byte packet's 2 modem-status bytes are stripped before the bytes reach the frame decoder. Commands go out
 * on 0x02 with synchronous bulk transfers (which also run the event loop, so IN data keeps flowing). Transfer
 * buffers are ordinary heap memory: no zero-copy (libusb_dev_mem_alloc), which umockdev cannot map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "dev_int.h"

#define FTDI_VID 0x0403
#define FTDI_PID_2232H 0x6010
#define FTDI_PID_232H 0x6014
#define EP_IN 0x81
#define EP_OUT 0x02
#define FTDI_INDEX 1 /* wIndex of the vendor requests: interface A */
#define SIO_RESET 0x00
#define SIO_SET_FLOW_CTRL 0x02
#define SIO_SET_LATENCY 0x09
#define SIO_SET_BITMODE 0x0B
#define BITMODE_RESET 0x00
#define BITMODE_SYNCFF 0x40
#define LATENCY_MS 2
#define USB_XFERS 4
#define RBUF_INIT 65536 /* the stripped-bytes buffer's first size; it grows when the host reads slower */
#define USB_XFER_BYTES (32 * TW_FTDI_PACKET)
#define CTRL_TIMEOUT_MS 1000

struct usb {
    libusb_context *ctx;
    libusb_device_handle *h;
    struct libusb_transfer *xfer[USB_XFERS];
    uint8_t *xbuf[USB_XFERS];
    int inflight, closing, err;
    uint8_t *rbuf; /* stripped IN bytes not yet read: rbuf[rhead .. rhead + rlen) */
    size_t rhead, rlen, rcap;
    uint64_t packets;
};

static int map_err(int e)
{
    switch (e) {
    case LIBUSB_SUCCESS: return 0;
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
    case LIBUSB_ERROR_ACCESS:
    case LIBUSB_ERROR_BUSY: return TW_ERR_NODEV;
    case LIBUSB_ERROR_TIMEOUT: return TW_ERR_TIMEOUT;
    case LIBUSB_ERROR_NO_MEM: return TW_ERR_NOMEM;
    case LIBUSB_ERROR_INVALID_PARAM: return TW_ERR_INVAL;
    default: return TW_ERR_IO;
    }
}

static int rbuf_append(struct usb *u, const uint8_t *p, size_t n)
{
    if (u->rhead && u->rhead + u->rlen + n > u->rcap) {
        memmove(u->rbuf, u->rbuf + u->rhead, u->rlen);
        u->rhead = 0;
    }
    if (u->rlen + n > u->rcap) {
        size_t cap = u->rcap ? u->rcap : RBUF_INIT;
        while (cap < u->rlen + n)
            cap *= 2;
        uint8_t *nb = realloc(u->rbuf, cap);
        if (!nb)
            return TW_ERR_NOMEM;
        u->rbuf = nb;
        u->rcap = cap;
    }
    memcpy(u->rbuf + u->rhead + u->rlen, p, n);
    u->rlen += n;
    return 0;
}

static void LIBUSB_CALL in_done(struct libusb_transfer *x)
{
    struct usb *u = x->user_data;
    if (x->status == LIBUSB_TRANSFER_COMPLETED) {
        if (x->actual_length > 0) {
            u->packets += ((size_t)x->actual_length + TW_FTDI_PACKET - 1) / TW_FTDI_PACKET;
            int n = tw_ftdi_strip(x->buffer, (size_t)x->actual_length, x->buffer, TW_FTDI_PACKET);
            if (n < 0) {
                u->err = TW_ERR_IO; /* a packet shorter than its status bytes */
            } else if (n > 0 && rbuf_append(u, x->buffer, (size_t)n) != 0) {
                u->err = TW_ERR_NOMEM;
            }
        }
        if (!u->closing && !u->err) {
            int r = libusb_submit_transfer(x);
            if (r == 0)
                return;
            u->err = map_err(r);
        }
    } else if (x->status == LIBUSB_TRANSFER_NO_DEVICE) {
        u->err = TW_ERR_NODEV;
    } else if (x->status != LIBUSB_TRANSFER_CANCELLED && !u->closing) {
        u->err = x->status == LIBUSB_TRANSFER_TIMED_OUT ? TW_ERR_TIMEOUT : TW_ERR_IO;
    }
    u->inflight--;
}

static int usb_write(void *ctx, const uint8_t *p, size_t n, int timeout_ms)
{
    struct usb *u = ctx;
    if (u->err == TW_ERR_NODEV)
        return TW_ERR_NODEV;
    while (n) {
        int chunk = n > 65536 ? 65536 : (int)n, done = 0;
        int r = libusb_bulk_transfer(u->h, EP_OUT, (unsigned char *)(uintptr_t)p, chunk, &done, (unsigned)timeout_ms);
        if (done > 0) {
            p += done;
            n -= (size_t)done;
        }
        if (r)
            return map_err(r);
    }
    return 0;
}

static int usb_read(void *ctx, uint8_t *p, size_t cap, int timeout_ms)
{
    struct usb *u = ctx;
    int64_t deadline = tw_dev_now_ms() + timeout_ms;
    for (;;) {
        if (u->rlen) {
            size_t n = u->rlen < cap ? u->rlen : cap;
            if (n > 0x40000000)
                n = 0x40000000;
            memcpy(p, u->rbuf + u->rhead, n);
            u->rhead += n;
            u->rlen -= n;
            if (!u->rlen)
                u->rhead = 0;
            return (int)n;
        }
        if (u->err)
            return u->err;
        if (u->inflight == 0)
            return TW_ERR_IO;
        int64_t left = deadline - tw_dev_now_ms();
        if (left <= 0)
            return 0;
        struct timeval tv = {.tv_sec = (time_t)(left / 1000), .tv_usec = (suseconds_t)(left % 1000) * 1000};
        int r = libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
        if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
            return map_err(r);
    }
}

static void usb_close(void *ctx)
{
    struct usb *u = ctx;
    if (!u)
        return;
    u->closing = 1;
    for (int i = 0; i < USB_XFERS; i++)
        if (u->xfer[i])
            libusb_cancel_transfer(u->xfer[i]);
    int64_t deadline = tw_dev_now_ms() + 2000;
    while (u->inflight > 0 && tw_dev_now_ms() < deadline) {
        struct timeval tv = {0, 20000};
        libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
    }
    int leak = u->inflight > 0; /* never free a transfer libusb still owns */
    if (u->h) {
        if (u->err != TW_ERR_NODEV)
            libusb_control_transfer(u->h, LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_DEVICE | LIBUSB_ENDPOINT_OUT,
                                    SIO_SET_BITMODE, BITMODE_RESET << 8 | 0xff, FTDI_INDEX, NULL, 0, 200);
        libusb_release_interface(u->h, 0);
        libusb_close(u->h);
    }
    for (int i = 0; i < USB_XFERS && !leak; i++) {
        libusb_free_transfer(u->xfer[i]);
        free(u->xbuf[i]);
    }
    if (u->ctx && !leak)
        libusb_exit(u->ctx);
    free(u->rbuf);
    free(u);
}

uint64_t tw_dev_usb_packets(void *ctx)
{
    const struct usb *u = ctx;
    return u ? u->packets : 0;
}

struct match {
    unsigned vid, pid; /* 0: the known FTDI IDs */
    int bus, addr;     /* -1: any */
    char serial[128];  /* "": any */
};

static int parse_num(const char *v, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 0);
    if (errno || end == v || *end || x > max)
        return -1;
    *out = (unsigned)x;
    return 0;
}

static int parse_opts(const char *opts, struct match *m)
{
    memset(m, 0, sizeof *m);
    m->bus = m->addr = -1;
    if (!*opts)
        return 0;
    if (*opts != ':' || !opts[1])
        return TW_ERR_INVAL;
    char buf[256];
    if (strlen(opts + 1) >= sizeof buf)
        return TW_ERR_INVAL;
    strcpy(buf, opts + 1);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq || !eq[1])
            return TW_ERR_INVAL;
        *eq = 0;
        const char *v = eq + 1;
        unsigned x;
        if (!strcmp(kv, "serial")) {
            if (strlen(v) >= sizeof m->serial)
                return TW_ERR_INVAL;
            strcpy(m->serial, v);
        } else if (!strcmp(kv, "bus")) {
            if (parse_num(v, 255, &x))
                return TW_ERR_INVAL;
            m->bus = (int)x;
        } else if (!strcmp(kv, "addr")) {
            if (parse_num(v, 255, &x))
                return TW_ERR_INVAL;
            m->addr = (int)x;
        } else if (!strcmp(kv, "vid")) {
            if (parse_num(v, 0xffff, &x) || !x)
                return TW_ERR_INVAL;
            m->vid = x;
        } else if (!strcmp(kv, "pid")) {
            if (parse_num(v, 0xffff, &x) || !x)
                return TW_ERR_INVAL;
            m->pid = x;
        } else {
            return TW_ERR_INVAL;
        }
    }
    return 0;
}

static int id_ok(const struct match *m, const struct libusb_device_descriptor *dd)
{
    if (m->vid || m->pid)
        return (!m->vid || dd->idVendor == m->vid) && (!m->pid || dd->idProduct == m->pid) &&
               (m->vid || dd->idVendor == FTDI_VID);
    return dd->idVendor == FTDI_VID && (dd->idProduct == FTDI_PID_2232H || dd->idProduct == FTDI_PID_232H);
}

static int ctrl(struct usb *u, uint8_t req, uint16_t value, uint16_t index)
{
    int r = libusb_control_transfer(u->h, LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_DEVICE | LIBUSB_ENDPOINT_OUT,
                                    req, value, index, NULL, 0, CTRL_TIMEOUT_MS);
    return r < 0 ? map_err(r) : 0;
}

/* Configures the chip and starts the IN transfers. */
static int start(struct usb *u)
{
    libusb_set_auto_detach_kernel_driver(u->h, 1); /* ftdi_sio binds FTDI chips; not supported everywhere */
    int r = libusb_claim_interface(u->h, 0);
    if (r)
        return map_err(r);
    int rc;
    if ((rc = ctrl(u, SIO_RESET, 0, FTDI_INDEX)) || (rc = ctrl(u, SIO_RESET, 1, FTDI_INDEX)) ||
        (rc = ctrl(u, SIO_RESET, 2, FTDI_INDEX)) || (rc = ctrl(u, SIO_SET_LATENCY, LATENCY_MS, FTDI_INDEX)) ||
        (rc = ctrl(u, SIO_SET_FLOW_CTRL, 0, 0x0100 | FTDI_INDEX)) ||
        (rc = ctrl(u, SIO_SET_BITMODE, BITMODE_RESET << 8 | 0xff, FTDI_INDEX)) ||
        (rc = ctrl(u, SIO_SET_BITMODE, BITMODE_SYNCFF << 8 | 0xff, FTDI_INDEX)))
        return rc;
    for (int i = 0; i < USB_XFERS; i++) {
        u->xfer[i] = libusb_alloc_transfer(0);
        u->xbuf[i] = malloc(USB_XFER_BYTES);
        if (!u->xfer[i] || !u->xbuf[i])
            return TW_ERR_NOMEM;
        libusb_fill_bulk_transfer(u->xfer[i], u->h, EP_IN, u->xbuf[i], USB_XFER_BYTES, in_done, u, 0);
        r = libusb_submit_transfer(u->xfer[i]);
        if (r)
            return map_err(r);
        u->inflight++;
    }
    return 0;
}

int tw_dev_usb_open(const char *opts, struct tw_dev_ops *ops, void **ctx, char **name)
{
    struct match m;
    if (!opts || parse_opts(opts, &m))
        return TW_ERR_INVAL;
    struct usb *u = calloc(1, sizeof *u);
    char *nm = malloc(256);
    /* the read buffer now, not at the first data: bytes lost to a failed allocation before the first record has
     * been seen could not be counted as a sequence gap (test_usb_oom) */
    uint8_t *rb = malloc(RBUF_INIT);
    if (!u || !nm || !rb) {
        free(u);
        free(nm);
        free(rb);
        return TW_ERR_NOMEM;
    }
    u->rbuf = rb;
    u->rcap = RBUF_INIT;
    int rc = map_err(libusb_init(&u->ctx));
    if (rc) {
        u->ctx = NULL;
        goto fail;
    }
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    if (n < 0) {
        rc = map_err((int)n);
        goto fail;
    }
    rc = TW_ERR_NODEV;
    for (ssize_t i = 0; i < n && !u->h; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) || !id_ok(&m, &dd))
            continue;
        int bus = libusb_get_bus_number(list[i]), addr = libusb_get_device_address(list[i]);
        if ((m.bus >= 0 && bus != m.bus) || (m.addr >= 0 && addr != m.addr))
            continue;
        libusb_device_handle *h;
        int r = libusb_open(list[i], &h);
        if (r) {
            rc = map_err(r);
            continue;
        }
        char serial[128] = "";
        if (dd.iSerialNumber &&
            libusb_get_string_descriptor_ascii(h, dd.iSerialNumber, (unsigned char *)serial, sizeof serial) < 0)
            serial[0] = 0;
        if (m.serial[0] && strcmp(serial, m.serial)) {
            libusb_close(h);
            rc = TW_ERR_NODEV;
            continue;
        }
        u->h = h;
        snprintf(nm, 256, "usb %d-%d %04x:%04x serial %s", bus, addr, dd.idVendor, dd.idProduct,
                 serial[0] ? serial : "(none)");
    }
    libusb_free_device_list(list, 1);
    if (!u->h)
        goto fail;
    rc = start(u);
    if (rc)
        goto fail;
    ops->write = usb_write;
    ops->read = usb_read;
    ops->close = usb_close;
    *ctx = u;
    *name = nm;
    return 0;
fail:
    usb_close(u);
    free(nm);
    return rc;
}
