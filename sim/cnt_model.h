/* C API over the Verilated sim/tw_cnt_pair.v (the statistics counters in registers and in RAM, side by side), for
 * tests/sim/test_cnt_ram.c. */
#ifndef TW_CNT_MODEL_H
#define TW_CNT_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tw_cnt_pins {
    uint8_t rst;
    uint32_t inc[24]; /* 32 counters x 24 bits, little-endian words */
    uint8_t addr;
    uint64_t minc; /* 16 counters x 4 bits */
    uint8_t maddr;
    uint32_t einc[3]; /* 32 counters x 3 bits (tw_cnt_ext's narrow counters, 8 bits wide) */
    uint8_t eaddr;
    /* outputs after the clock */
    uint64_t d_reg, d_ram, m_reg, m_ram, e_ref, e_ext;
};

struct tw_cnt;
struct tw_cnt *tw_cnt_new(void); /* NULL when out of memory */
void tw_cnt_free(struct tw_cnt *m);
/* One clock with the inputs of p; the outputs as they are after the edge. */
void tw_cnt_clock(struct tw_cnt *m, struct tw_cnt_pins *p);

#ifdef __cplusplus
}
#endif

#endif
