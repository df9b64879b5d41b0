/* The Verilated host link (sim/link_chip.h) as the device behind fakeftdi's FT2232H: the tests of
 * test_usb_umockdev.c push records and read link-only state through fakeftdi_sys(). */
#include "fakeftdi.h"

#define SIM_STEP 1500 /* CLKOUT cycles the link runs per idle reap (~25 us of simulated time) */

static int l_write(void *ctx, const uint8_t *p, size_t n) { return tw_link_sys_host_write(ctx, p, n); }
static size_t l_read(void *ctx, uint8_t *p, size_t cap) { return tw_link_sys_host_read(ctx, p, cap); }
static size_t l_avail(void *ctx) { return tw_link_sys_host_avail(ctx); }
static void l_run(void *ctx) { tw_link_sys_run(ctx, SIM_STEP); }
static void l_free(void *ctx) { tw_link_sys_free(ctx); }

struct fakeftdi *fakeftdi_new(const char *serial, int bus, int addr)
{
    static const struct fakeftdi_backend be = {l_write, l_read, l_avail, l_run, NULL, l_free};
    struct tw_link_sys_cfg cfg = {8000, 16667, 4096, 4096, 40.0 / 60.0, 35.0 / 60.0, 2000};
    struct tw_link_sys *s = tw_link_sys_new(&cfg);
    if (!s)
        return NULL;
    return fakeftdi_new_backend(serial, bus, addr, &be, s);
}

struct tw_link_sys *fakeftdi_sys(struct fakeftdi *f) { return fakeftdi_ctx(f); }
