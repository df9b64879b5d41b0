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

#define FULL (USB_XFER_BYTES / TW_FTDI_PACKET) /* packets of a full transfer */
#define PER (FULL * (TW_FTDI_PACKET - 2))      /* its payload bytes */

/* The backend's state as open leaves it (the read buffer at RBUF_INIT), closing so that nothing is resubmitted, one
 * transfer buffer, and the numbering of the bytes written and read so far. */
struct fx {
    struct usb u;
    struct libusb_transfer x;
    uint8_t buf[USB_XFER_BYTES];
    uint32_t wr, rd;
};

static int setup(void **st)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f || !(f->u.rbuf = malloc(RBUF_INIT))) {
        free(f);
        return -1;
    }
    f->u.rcap = RBUF_INIT;
    f->u.closing = 1;
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    struct fx *f = *st;
    free(f->u.rbuf);
    free(f);
    return 0;
}

/* One completed bulk IN transfer of `packets` full FTDI packets, its payload bytes numbered on from f->wr. */
static void complete(struct fx *f, unsigned packets)
{
    for (unsigned p = 0; p < packets; p++) {
        f->buf[p * TW_FTDI_PACKET] = 0x31; /* modem status */
        f->buf[p * TW_FTDI_PACKET + 1] = 0x60;
        for (unsigned i = 2; i < TW_FTDI_PACKET; i++)
            f->buf[p * TW_FTDI_PACKET + i] = (uint8_t)(f->wr++ * 7 / 3);
    }
    memset(&f->x, 0, sizeof f->x);
    f->x.status = LIBUSB_TRANSFER_COMPLETED;
    f->x.actual_length = (int)(packets * TW_FTDI_PACKET);
    f->x.buffer = f->buf;
    f->x.user_data = &f->u;
    f->u.inflight++;
    in_done(&f->x); /* closing: not resubmitted */
}

/* Reads n bytes through usb_read (in pieces of at most `piece`) and checks they continue the numbering at f->rd. */
static void read_check(struct fx *f, size_t n, size_t piece)
{
    uint8_t b[8192];
    assert_true(piece <= sizeof b);
    while (n) {
        int got = usb_read(&f->u, b, n < piece ? n : piece, 0);
        assert_true(got > 0);
        for (int i = 0; i < got; i++)
            if (b[i] != (uint8_t)(f->rd++ * 7 / 3))
                fail_msg("byte %u out of order", f->rd - 1);
        n -= (size_t)got;
    }
}

static void test_grows_and_keeps_order(void **st)
{
    struct fx *f = *st;
    struct usb *u = &f->u;
    /* four transfers (what one event-loop pass can complete) fit the first buffer */
    for (int i = 0; i < 4; i++)
        complete(f, FULL);
    assert_int_equal(u->rcap, RBUF_INIT);
    assert_int_equal(u->rlen, 4 * PER);
    assert_int_equal(u->inflight, 0);
    /* part read, then more completes: the unread part moves to the front, and the buffer grows to hold it all */
    read_check(f, 10000, 4096);
    assert_int_equal(u->rhead, 10000);
    for (int i = 0; i < 9; i++)
        complete(f, FULL);
    assert_int_equal(u->rhead, 0);
    assert_int_equal(u->rlen, 13 * PER - 10000);
    assert_int_equal(u->rcap, 4 * RBUF_INIT); /* doubled until it held 13 transfers less what was read */
    /* short transfers too (the latency timer's), and a status-only packet */
    complete(f, 1);
    memset(f->buf, 0, 2);
    f->x.actual_length = 2;
    u->inflight++;
    in_done(&f->x);
    assert_int_equal(u->err, 0);
    read_check(f, f->wr - f->rd, 8192);
    assert_int_equal(u->rlen, 0);
    assert_int_equal(u->rhead, 0);
    /* nothing held: a read with no transfer in flight is an I/O error, not a hang */
    uint8_t b[16];
    assert_int_equal(usb_read(u, b, sizeof b, 0), TW_ERR_IO);
}

static void test_failed_growth_loses_nothing_held(void **st)
{
    struct fx *f = *st;
    struct usb *u = &f->u;
    for (int i = 0; i < 4; i++)
        complete(f, FULL);
    failalloc_start(1); /* the growth's realloc fails */
    uint32_t lost_from = f->wr;
    complete(f, FULL);
    failalloc_pause();
    assert_int_equal(failalloc_count(), 1);
    assert_int_equal(u->err, TW_ERR_NOMEM);
    assert_int_equal(u->rcap, RBUF_INIT);
    assert_int_equal(u->rlen, 4 * PER);
    assert_int_equal(u->inflight, 0); /* the transfer is not resubmitted: the stream ends here */
    /* the bytes held are read first, in order; then the error */
    read_check(f, 4 * PER, 8192);
    assert_int_equal(f->rd, lost_from);
    uint8_t b[16];
    assert_int_equal(usb_read(u, b, sizeof b, 0), TW_ERR_NOMEM);
}

static void test_short_packet_is_an_io_error(void **st)
{
    struct fx *f = *st;
    struct usb *u = &f->u;
    f->x.status = LIBUSB_TRANSFER_COMPLETED;
    f->x.actual_length = TW_FTDI_PACKET + 1; /* a second packet of one byte: shorter than its status bytes */
    f->x.buffer = f->buf;
    f->x.user_data = u;
    u->inflight = 1;
    in_done(&f->x);
    assert_int_equal(u->err, TW_ERR_IO);
    assert_int_equal(u->rlen, 0);
    assert_int_equal(u->inflight, 0);
    uint8_t b[16];
    assert_int_equal(usb_read(u, b, sizeof b, 0), TW_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grows_and_keeps_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_growth_loses_nothing_held, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_packet_is_an_io_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
