/* A simulated FT2232H on a umockdev testbed, driven live by a device backend (the Verilated host link:
 * fakeftdi_link.c; the whole Verilated device: fakeftdi_twdev.c). See fakeftdi.h. */
#include "fakeftdi.h"

#include <errno.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <umockdev.h>

#include "tapwatch/proto.h"

#define MAX_URBS 64
#define LATENCY_DEFAULT 16

struct urb {
    UMockdevIoctlData *urb, *buf;
    int64_t t_ms; /* when it was submitted (IN) */
};

struct fakeftdi {
    UMockdevTestbed *tb;
    UMockdevIoctlBase *h;
    struct fakeftdi_backend be;
    void *ctx;
    pthread_mutex_t mu;
    char devnode[64];
    char serial[64];
    int unplugged;
    struct urb in[MAX_URBS];  /* bulk IN URBs waiting for data, oldest first */
    size_t nin;
    struct urb done[MAX_URBS]; /* completed URBs waiting to be reaped */
    size_t ndone;
    uint32_t latency;
    struct fakeftdi_stats st;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fakeftdi_reexec(int argc, char **argv)
{
    (void)argc;
    if (getenv("TW_FAKEFTDI_PRELOADED")) {
        FILE *m = fopen("/proc/self/maps", "r");
        char line[512];
        int found = 0;
        while (m && fgets(line, sizeof line, m))
            if (strstr(line, "libumockdev-preload"))
                found = 1;
        if (m)
            fclose(m);
        if (!found) {
            fprintf(stderr, "FAIL: the umockdev preload (libumockdev-preload.so.0) did not load; this test is required: "
                            "install umockdev (make deps)\n");
            exit(1);
        }
        return;
    }
    const char *old = getenv("LD_PRELOAD");
    char pre[1024];
    snprintf(pre, sizeof pre, "libumockdev-preload.so.0%s%s", old && *old ? ":" : "", old && *old ? old : "");
    setenv("LD_PRELOAD", pre, 1);
    setenv("TW_FAKEFTDI_PRELOADED", "1", 1);
    execv("/proc/self/exe", argv);
    perror("execv /proc/self/exe");
    exit(1);
}

static void put_u16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* String descriptor idx (0: language list) into out; returns its length. */
static size_t string_desc(struct fakeftdi *f, unsigned idx, uint8_t *out)
{
    if (idx == 0) {
        out[0] = 4;
        out[1] = 3;
        put_u16(out + 2, 0x0409);
        return 4;
    }
    const char *s = idx == 1 ? "FTDI" : idx == 2 ? "tapwatch FT2232H (simulated)" : idx == 3 ? f->serial : NULL;
    if (!s)
        return 0;
    size_t n = strlen(s);
    out[0] = (uint8_t)(2 + 2 * n);
    out[1] = 3;
    for (size_t i = 0; i < n; i++)
        put_u16(out + 2 + 2 * i, (uint8_t)s[i]);
    return 2 + 2 * n;
}

static void finish(struct fakeftdi *f, UMockdevIoctlData *urb, UMockdevIoctlData *buf, int status, int actual)
{
    struct usbdevfs_urb *u = (struct usbdevfs_urb *)urb->data;
    u->status = status;
    u->actual_length = actual;
    if (f->ndone < MAX_URBS) {
        f->done[f->ndone].urb = urb;
        f->done[f->ndone].buf = buf;
        f->ndone++;
    }
}

/* A control URB: answered at once. Returns 0 or -errno for the submit. */
static int control(struct fakeftdi *f, UMockdevIoctlData *urb, UMockdevIoctlData *buf)
{
    struct usbdevfs_urb *u = (struct usbdevfs_urb *)urb->data;
    if (u->buffer_length < 8)
        return -EINVAL;
    const uint8_t *s = buf->data;
    unsigned rt = s[0], req = s[1], val = s[2] | s[3] << 8, len = s[6] | s[7] << 8;
    f->st.ctrl++;
    if (rt == 0x80 && req == 6) { /* GET_DESCRIPTOR */
        uint8_t d[256];
        size_t n = (val >> 8) == 3 ? string_desc(f, val & 0xff, d) : 0;
        if (!n) {
            finish(f, urb, buf, -EPIPE, 0); /* stall */
            return 0;
        }
        f->st.strings++;
        if (n > len)
            n = len;
        if (n > (size_t)u->buffer_length - 8)
            n = (size_t)u->buffer_length - 8;
        memcpy(buf->data + 8, d, n);
        finish(f, urb, buf, 0, (int)n);
        return 0;
    }
    if (rt == 0x40) { /* FTDI vendor requests */
        switch (req) {
        case 0x00:
            if (val == 0)
                f->st.resets++;
            else if (val == 1)
                f->st.purges_rx++;
            else if (val == 2)
                f->st.purges_tx++;
            break;
        case 0x09: f->latency = val ? val : 1; f->st.last_latency = val; break;
        case 0x0B:
            if (f->st.n_bitmodes < 4)
                f->st.bitmodes[f->st.n_bitmodes] = val;
            f->st.n_bitmodes++;
            break;
        default: break;
        }
        if (f->be.vendor)
            f->be.vendor(f->ctx, (uint8_t)req, (uint16_t)val, (uint16_t)(s[4] | s[5] << 8));
        finish(f, urb, buf, 0, 0);
        return 0;
    }
    finish(f, urb, buf, -EPIPE, 0);
    return 0;
}

/* Fills the oldest waiting IN URB from the chip (packets of 2 status bytes + up to 510 data bytes; a short
 * packet ends the transfer), or with one status-only packet when the latency timer expired. */
static void serve_in(struct fakeftdi *f)
{
    if (!f->nin)
        return;
    size_t avail = f->be.avail(f->ctx);
    int expired = now_ms() - f->in[0].t_ms >= (int64_t)f->latency;
    if (!avail && !expired)
        return;
    struct urb w = f->in[0];
    memmove(f->in, f->in + 1, (f->nin - 1) * sizeof f->in[0]);
    f->nin--;
    struct usbdevfs_urb *u = (struct usbdevfs_urb *)w.urb->data;
    size_t cap = (size_t)u->buffer_length, o = 0;
    f->st.in_urbs++;
    for (;;) {
        if (cap - o < TW_FTDI_STATUS + 1 && o)
            break;
        uint8_t *p = w.buf->data + o;
        p[0] = 0x31; /* modem status */
        p[1] = 0x60; /* line status: transmitter empty */
        size_t room = cap - o - TW_FTDI_STATUS;
        if (room > TW_FTDI_PACKET - TW_FTDI_STATUS)
            room = TW_FTDI_PACKET - TW_FTDI_STATUS;
        size_t n = f->be.read(f->ctx, p + TW_FTDI_STATUS, room);
        o += TW_FTDI_STATUS + n;
        f->st.in_packets++;
        if (!n)
            f->st.status_only++;
        if (n < TW_FTDI_PACKET - TW_FTDI_STATUS)
            break;
    }
    finish(f, w.urb, w.buf, 0, (int)o);
}

static int take_urb(struct urb *list, size_t *n, unsigned long addr, struct urb *out)
{
    for (size_t i = 0; i < *n; i++)
        if (list[i].urb->client_addr == addr) {
            *out = list[i];
            memmove(list + i, list + i + 1, (*n - i - 1) * sizeof *list);
            (*n)--;
            return 1;
        }
    return 0;
}

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user)
{
    (void)handler;
    struct fakeftdi *f = user;
    unsigned long req = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    pthread_mutex_lock(&f->mu);
    long res = 0;
    int err = 0;
    switch (req) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(uint32_t), NULL);
        *(uint32_t *)d->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
                               USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
                               USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_data_unref(d);
        break;
    }
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION:
    case USBDEVFS_IOCTL: /* driver disconnect / re-attach on claim and release */
        if (f->unplugged) {
            res = -1;
            err = ENODEV;
        }
        break;
    case USBDEVFS_GETDRIVER:
        res = -1;
        err = ENODATA; /* no kernel driver bound */
        break;
    case USBDEVFS_SUBMITURB: {
        f->st.submits++;
        if (f->unplugged) {
            res = -1;
            err = ENODEV;
            break;
        }
        UMockdevIoctlData *urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
        struct usbdevfs_urb *u = (struct usbdevfs_urb *)urb->data;
        UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(urb, offsetof(struct usbdevfs_urb, buffer),
                                                             (gsize)u->buffer_length, NULL);
        if (!buf || f->ndone + f->nin >= MAX_URBS) {
            if (buf)
                umockdev_ioctl_data_unref(buf);
            umockdev_ioctl_data_unref(urb);
            res = -1;
            err = ENOMEM;
            break;
        }
        int r = 0;
        if (u->type == USBDEVFS_URB_TYPE_CONTROL) {
            r = control(f, urb, buf);
        } else if (u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == 0x02) {
            if (f->be.write(f->ctx, buf->data, (size_t)u->buffer_length) != 0)
                r = -ENOMEM;
            else {
                f->st.bulk_out_bytes += (uint64_t)u->buffer_length;
                finish(f, urb, buf, 0, u->buffer_length);
            }
        } else if (u->type == USBDEVFS_URB_TYPE_BULK && u->endpoint == 0x81) {
            f->in[f->nin].urb = urb;
            f->in[f->nin].buf = buf;
            f->in[f->nin].t_ms = now_ms();
            f->nin++;
        } else {
            r = -EINVAL;
        }
        if (r) {
            umockdev_ioctl_data_unref(buf);
            umockdev_ioctl_data_unref(urb);
            res = -1;
            err = -r;
        }
        break;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        f->st.reaps++;
        if (f->unplugged) { /* whatever was in flight comes back as "device gone" */
            while (f->nin) {
                finish(f, f->in[0].urb, f->in[0].buf, -ENODEV, 0);
                memmove(f->in, f->in + 1, (f->nin - 1) * sizeof f->in[0]);
                f->nin--;
            }
        } else if (!f->ndone) {
            if (f->be.avail(f->ctx) == 0)
                f->be.run(f->ctx);
            serve_in(f);
        }
        if (!f->ndone) {
            res = -1;
            err = f->unplugged ? ENODEV : EAGAIN;
            break;
        }
        struct urb d = f->done[0];
        memmove(f->done, f->done + 1, (f->ndone - 1) * sizeof f->done[0]);
        f->ndone--;
        UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
        umockdev_ioctl_data_set_ptr(ptr, 0, d.urb);
        umockdev_ioctl_data_unref(ptr);
        umockdev_ioctl_data_unref(d.buf);
        umockdev_ioctl_data_unref(d.urb);
        break;
    }
    case USBDEVFS_DISCARDURB: {
        f->st.discards++;
        struct urb d;
        if (take_urb(f->in, &f->nin, (unsigned long)arg->client_addr, &d)) {
            finish(f, d.urb, d.buf, -ENOENT, 0);
        } else {
            res = -1;
            err = EINVAL;
        }
        break;
    }
    default:
        f->st.unknown_ioctls++;
        f->st.last_unknown = req;
        res = -1;
        err = ENOTTY;
        break;
    }
    pthread_mutex_unlock(&f->mu);
    umockdev_ioctl_client_complete(client, res, err);
    return TRUE;
}

struct fakeftdi *fakeftdi_new_backend(const char *serial, int bus, int addr, const struct fakeftdi_backend *be,
                                      void *ctx)
{
    struct fakeftdi *f = calloc(1, sizeof *f);
    if (!f) {
        if (be->free)
            be->free(ctx);
        return NULL;
    }
    pthread_mutex_init(&f->mu, NULL);
    snprintf(f->serial, sizeof f->serial, "%s", serial);
    f->latency = LATENCY_DEFAULT;
    f->be = *be;
    f->ctx = ctx;
    f->tb = umockdev_testbed_new();
    f->h = umockdev_ioctl_base_new();
    if (!f->tb || !f->h) {
        fakeftdi_free(f);
        return NULL;
    }
    g_signal_connect(f->h, "handle-ioctl", G_CALLBACK(on_ioctl), f);
    snprintf(f->devnode, sizeof f->devnode, "/dev/bus/usb/%03d/%03d", bus, addr);
    if (!umockdev_testbed_attach_ioctl(f->tb, f->devnode, f->h, NULL)) {
        fakeftdi_free(f);
        return NULL;
    }
    /* FT2232H: device descriptor (0403:6010, strings 1/2/3), one configuration with interfaces A and B, each with
     * bulk IN and OUT endpoints of 512 bytes (A: 0x81, 0x02). */
    char spec[2048];
    snprintf(spec, sizeof spec,
             "P: /devices/pci0000:00/0000:00:14.0/usb%d/%d-4\n"
             "N: bus/usb/%03d/%03d\n"
             "E: SUBSYSTEM=usb\n"
             "E: DEVTYPE=usb_device\n"
             "E: DEVNAME=%s\n"
             "E: BUSNUM=%03d\n"
             "E: DEVNUM=%03d\n"
             "A: busnum=%d\\n\n"
             "A: devnum=%d\\n\n"
             "A: speed=480\\n\n"
             "A: bConfigurationValue=1\\n\n"
             "H: descriptors=12010002000000400304106000070102030109023700020100"
             "80FA0904000002FFFFFF020705810200020007050202000200"
             "0904010002FFFFFF020705830200020007050402000200\n",
             bus, bus, bus, addr, f->devnode, bus, addr, bus, addr);
    if (!umockdev_testbed_add_from_string(f->tb, spec, NULL)) {
        fakeftdi_free(f);
        return NULL;
    }
    return f;
}

void fakeftdi_free(struct fakeftdi *f)
{
    if (!f)
        return;
    if (f->tb)
        umockdev_testbed_detach_ioctl(f->tb, f->devnode, NULL);
    for (size_t i = 0; i < f->nin; i++) {
        umockdev_ioctl_data_unref(f->in[i].buf);
        umockdev_ioctl_data_unref(f->in[i].urb);
    }
    for (size_t i = 0; i < f->ndone; i++) {
        umockdev_ioctl_data_unref(f->done[i].buf);
        umockdev_ioctl_data_unref(f->done[i].urb);
    }
    if (f->h)
        g_object_unref(f->h);
    if (f->tb)
        g_object_unref(f->tb);
    if (f->be.free)
        f->be.free(f->ctx);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

void *fakeftdi_ctx(struct fakeftdi *f) { return f->ctx; }
void fakeftdi_lock(struct fakeftdi *f) { pthread_mutex_lock(&f->mu); }
void fakeftdi_unlock(struct fakeftdi *f) { pthread_mutex_unlock(&f->mu); }

void fakeftdi_unplug(struct fakeftdi *f)
{
    pthread_mutex_lock(&f->mu);
    f->unplugged = 1;
    pthread_mutex_unlock(&f->mu);
}

void fakeftdi_stats(struct fakeftdi *f, struct fakeftdi_stats *s)
{
    pthread_mutex_lock(&f->mu);
    *s = f->st;
    pthread_mutex_unlock(&f->mu);
}
