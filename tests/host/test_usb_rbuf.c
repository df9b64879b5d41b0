/* The USB backend's buffer of stripped IN bytes (host/src/dev_usb.c, compiled into this test so that its static
 * functions can be driven directly): completed bulk IN transfers go through in_done() (status bytes stripped,
 * appended) and leave through usb_read(). The buffer starts at RBUF_INIT bytes and must grow when the host reads
 * slower than transfers complete (synchronous OUT transfers run libusb's event loop, so IN transfers complete while
 * a table load writes); its unread part moves to the front first; a failed growth is TW_ERR_NOMEM, reported after
 * the bytes already held have been read, none lost or reordered. The session tests over umockdev cannot make it
 * grow on purpose: one event-loop pass there completes at most USB_XFERS transfers, which RBUF_INIT holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../host/src/dev_usb.c"
#include "failalloc.h"

/* One completed bulk IN transfer of `packets` full FTDI packets, its payload bytes numbered from *next. */
static void complete(struct usb *u, struct libusb_transfer *x, uint8_t *buf, unsigned packets, uint32_t *next)
{
    for (unsigned p = 0; p < packets; p++) {
        buf[p * TW_FTDI_PACKET] = 0x31; /* modem status */
        buf[p * TW_FTDI_PACKET + 1] = 0x60;
        for (unsigned i = 2; i < TW_FTDI_PACKET; i++)
            buf[p * TW_FTDI_PACKET + i] = (uint8_t)((*next)++ * 7 / 3);
    }
    memset(x, 0, sizeof *x);
    x->status = LIBUSB_TRANSFER_COMPLETED;
    x->actual_length = (int)(packets * TW_FTDI_PACKET);
    x->buffer = buf;
    x->user_data = u;
    u->inflight++;
    in_done(x); /* u->closing: not resubmitted */
}

/* Reads n bytes through usb_read (in pieces of at most `piece`) and checks they continue the numbering at *next. */
static void read_check(struct usb *u, size_t n, size_t piece, uint32_t *next)
{
    uint8_t b[8192];
    assert_true(piece <= sizeof b);
    while (n) {
        int got = usb_read(u, b, n < piece ? n : piece, 0);
        assert_true(got > 0);
        for (int i = 0; i < got; i++)
            if (b[i] != (uint8_t)((*next)++ * 7 / 3))
                fail_msg("byte %u out of order", *next - 1);
        n -= (size_t)got;
    }
}

static struct usb *new_usb(void)
{
    struct usb *u = calloc(1, sizeof *u);
    assert_non_null(u);
    u->rbuf = malloc(RBUF_INIT);
    assert_non_null(u->rbuf);
    u->rcap = RBUF_INIT;
    u->closing = 1;
    return u;
}

static void free_usb(struct usb *u)
{
    free(u->rbuf);
    free(u);
}

static void test_grows_and_keeps_order(void **st)
{
    (void)st;
    struct usb *u = new_usb();
    struct libusb_transfer x;
    uint8_t *buf = malloc(USB_XFER_BYTES);
    assert_non_null(buf);
    const size_t per = USB_XFER_BYTES / TW_FTDI_PACKET * (TW_FTDI_PACKET - 2); /* payload of a full transfer */
    uint32_t wr = 0, rd = 0;
    /* four transfers (what one event-loop pass can complete) fit the first buffer */
    for (int i = 0; i < 4; i++)
        complete(u, &x, buf, USB_XFER_BYTES / TW_FTDI_PACKET, &wr);
    assert_int_equal(u->rcap, RBUF_INIT);
    assert_int_equal(u->rlen, 4 * per);
    assert_int_equal(u->inflight, 0);
    /* part read, then more completes: the unread part moves to the front, and the buffer grows to hold it all */
    read_check(u, 10000, 4096, &rd);
    assert_int_equal(u->rhead, 10000);
    for (int i = 0; i < 9; i++)
        complete(u, &x, buf, USB_XFER_BYTES / TW_FTDI_PACKET, &wr);
    assert_int_equal(u->rhead, 0);
    assert_int_equal(u->rlen, 13 * per - 10000);
    assert_int_equal(u->rcap, 4 * RBUF_INIT); /* doubled until it held 13 transfers less what was read */
    /* short transfers too (the latency timer's), and a status-only packet */
    complete(u, &x, buf, 1, &wr);
    memset(buf, 0, 2);
    x.actual_length = 2;
    u->inflight++;
    in_done(&x);
    assert_int_equal(u->err, 0);
    read_check(u, wr - rd, 8192, &rd);
    assert_int_equal(u->rlen, 0);
    assert_int_equal(u->rhead, 0);
    /* nothing held: a read with no transfer in flight is an I/O error, not a hang */
    uint8_t b[16];
    assert_int_equal(usb_read(u, b, sizeof b, 0), TW_ERR_IO);
    free(buf);
    free_usb(u);
}

static void test_failed_growth_loses_nothing_held(void **st)
{
    (void)st;
    struct usb *u = new_usb();
    struct libusb_transfer x;
    uint8_t *buf = malloc(USB_XFER_BYTES);
    assert_non_null(buf);
    const size_t per = USB_XFER_BYTES / TW_FTDI_PACKET * (TW_FTDI_PACKET - 2);
    uint32_t wr = 0, rd = 0;
    for (int i = 0; i < 4; i++)
        complete(u, &x, buf, USB_XFER_BYTES / TW_FTDI_PACKET, &wr);
    failalloc_start(1); /* the growth's realloc fails */
    uint32_t lost_from = wr;
    complete(u, &x, buf, USB_XFER_BYTES / TW_FTDI_PACKET, &wr);
    failalloc_pause();
    assert_int_equal(failalloc_count(), 1);
    assert_int_equal(u->err, TW_ERR_NOMEM);
    assert_int_equal(u->rcap, RBUF_INIT);
    assert_int_equal(u->rlen, 4 * per);
    assert_int_equal(u->inflight, 0); /* the transfer is not resubmitted: the stream ends here */
    /* the bytes held are read first, in order; then the error */
    read_check(u, 4 * per, 8192, &rd);
    assert_int_equal(rd, lost_from);
    uint8_t b[16];
    assert_int_equal(usb_read(u, b, sizeof b, 0), TW_ERR_NOMEM);
    free(buf);
    free_usb(u);
}

static void test_short_packet_is_an_io_error(void **st)
{
    (void)st;
    struct usb *u = new_usb();
    struct libusb_transfer x;
    uint8_t buf[TW_FTDI_PACKET + 1];
    memset(buf, 0, sizeof buf);
    memset(&x, 0, sizeof x);
    x.status = LIBUSB_TRANSFER_COMPLETED;
    x.actual_length = TW_FTDI_PACKET + 1; /* a second packet of one byte: shorter than its status bytes */
    x.buffer = buf;
    x.user_data = u;
    u->inflight = 1;
    in_done(&x);
    assert_int_equal(u->err, TW_ERR_IO);
    assert_int_equal(u->rlen, 0);
    assert_int_equal(u->inflight, 0);
    uint8_t b[16];
    assert_int_equal(usb_read(u, b, sizeof b, 0), TW_ERR_IO);
    free_usb(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grows_and_keeps_order),
        cmocka_unit_test(test_failed_growth_loses_nothing_held),
        cmocka_unit_test(test_short_packet_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
