// Thin C++ shim over the Verilated tw_crc_pair (see crc_model.h).
#include <new>

#include "Vtw_crc_pair.h"
#include "crc_model.h"
#include "verilated.h"

struct tw_crcm {
    VerilatedContext *ctx;
    Vtw_crc_pair *m;
};

extern "C" struct tw_crcm *tw_crcm_new(void)
{
    tw_crcm *b = new (std::nothrow) tw_crcm;
    if (!b)
        return nullptr;
    b->ctx = new (std::nothrow) VerilatedContext;
    b->m = b->ctx ? new (std::nothrow) Vtw_crc_pair(b->ctx, "top") : nullptr;
    if (!b->m) {
        delete b->ctx;
        delete b;
        return nullptr;
    }
    return b;
}

extern "C" void tw_crcm_free(struct tw_crcm *b)
{
    if (!b)
        return;
    b->m->final();
    delete b->m;
    delete b->ctx;
    delete b;
}

extern "C" void tw_crcm_eval(struct tw_crcm *b, const uint8_t in[56], uint32_t out[12])
{
    // byte 0 in bits 447:440: word 13 holds bytes 0..3, byte 0 in its top bits
    for (int w = 0; w < 14; w++) {
        const uint8_t *p = in + 4 * (13 - w);
        b->m->data[w] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    }
    b->m->eval();
    for (int k = 0; k < 12; k++)
        out[k] = b->m->out[k];
}
