/* EVE writer output captured in memory, shared by the EVE tests: open_out gives a writer over an open_memstream
 * buffer, close_out closes both and returns the text (caller frees). Include after <cmocka.h>. */
#ifndef TW_TEST_EVE_OUT_H
#define TW_TEST_EVE_OUT_H

#include <stdio.h>

#include "tapwatch/eve.h"

struct out {
    char *buf;
    size_t len;
    FILE *f;
    struct tw_eve *w;
};

static inline void open_out(struct out *o)
{
    o->buf = NULL;
    o->len = 0;
    o->f = open_memstream(&o->buf, &o->len);
    assert_non_null(o->f);
    assert_int_equal(tw_eve_open(&o->w, o->f), 0);
}

static inline char *close_out(struct out *o)
{
    assert_int_equal(tw_eve_close(o->w), 0);
    fclose(o->f);
    return o->buf;
}

#endif
