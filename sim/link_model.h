/* C API of the Verilated host link (rtl/tw_link_top.v): two clocks (core clk, FT245 CLKOUT), pins as plain values.
 * The shim only moves values in and out and sequences clock edges; sim/link_chip.h builds the FT245 chip, the
 * host and the core side on top of it. */
#ifndef TW_LINK_MODEL_H
#define TW_LINK_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TW_LINK_EDGE_CORE 1u
#define TW_LINK_EDGE_FT   2u
#ifndef TW_LINK_REC_BYTES /* a build may Verilate the top with another REC_BYTES and define this to match */
#define TW_LINK_REC_BYTES 64 /* REC_BYTES of the model */
#endif
#define TW_LINK_CNT_N     32 /* CNT_N of the model */

struct tw_link_model;

struct tw_link_ft_out {
    uint8_t d_out, d_oe, rd_n, wr_n, oe_n, siwu_n, rx_overflow;
};

struct tw_link_core_out {
    uint32_t cnt_addr;
    uint8_t ext_req, ext_we;
    uint16_t ext_addr;
    uint32_t ext_wdata;
    uint8_t tbl_we, tbl_id;
    uint16_t tbl_addr;
    uint32_t tbl_data;
    uint8_t commit_stb;
    uint32_t commit_mask;
    uint32_t ctrl;
    uint64_t time_ns;
};

/* Periods in picoseconds (e.g. 8000 for a 125 MHz core, 16667 for the FT245's 60 MHz). NULL on failure. */
struct tw_link_model *tw_link_model_new(uint32_t core_ps, uint32_t ft_ps);
void tw_link_model_free(struct tw_link_model *m);
/* Both resets on (1) or off (0). */
void tw_link_model_reset(struct tw_link_model *m, int on);
/* Which clocks rise at the next edge (TW_LINK_EDGE_* mask), without advancing. */
unsigned tw_link_model_next(const struct tw_link_model *m);
/* Performs that edge and returns the same mask. */
unsigned tw_link_model_edge(struct tw_link_model *m);
uint64_t tw_link_model_time_ps(const struct tw_link_model *m);

void tw_link_model_ft_get(const struct tw_link_model *m, struct tw_link_ft_out *o);
void tw_link_model_ft_set(struct tw_link_model *m, int rxf_n, int txe_n, uint8_t d_in);
void tw_link_model_core_get(const struct tw_link_model *m, struct tw_link_core_out *o);
void tw_link_model_core_set(struct tw_link_model *m, uint64_t cnt_data, uint32_t ext_rdata, uint32_t status);
/* Presents one record (len <= TW_LINK_REC_BYTES) on s_axis_rec for the next core edge; valid = 0 clears it. Like
 * tw_rec_out, the data stays on s_axis_rec_tdata while the link copies it (s_axis_rec_room low): a record offered
 * then is presented with tvalid only, and the link drops it whole and counts it. */
void tw_link_model_rec_set(struct tw_link_model *m, int valid, uint8_t type, const uint8_t *rec, unsigned len);

#ifdef __cplusplus
}
#endif

#endif
