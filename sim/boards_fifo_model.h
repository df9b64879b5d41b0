/* C API over the Verilated sim/boards_fifo_pair.v (two 16-beat tw_mac_fifo: index 0 back-pressuring, 1 dropping),
 * for tests/boards/test_mac_fifo.c. */
#ifndef TW_BOARDS_FIFO_MODEL_H
#define TW_BOARDS_FIFO_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tw_mf_side {
    /* write side inputs */
    uint64_t s_tdata;
    uint8_t s_tkeep, s_tvalid, s_tlast, s_tuser;
    /* read side input */
    uint8_t m_tready;
    /* outputs */
    uint8_t s_tready, ev_commit, ev_drop;
    uint64_t m_tdata;
    uint8_t m_tkeep, m_tvalid, m_tlast, m_tuser;
};

struct tw_mf_pins {
    uint8_t wr_clk, wr_rst, rd_clk, rd_rst;
    struct tw_mf_side f[2];
};

struct tw_mf;
struct tw_mf *tw_mf_new(void);   /* NULL when out of memory */
void tw_mf_free(struct tw_mf *m);
void tw_mf_eval(struct tw_mf *m, struct tw_mf_pins *p);

#ifdef __cplusplus
}
#endif

#endif
