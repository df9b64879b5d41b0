/* The Verilated board tops (rtl/boards/tw_colorlight_i5.v, tw_nexys_video.v) behind a C API: one pin struct in,
 * eval, pins out. Vendor primitives are replaced by the simulation models of rtl/boards/sim (PLLs pass the board
 * clock pin through: drive it at the core frequency). sim/boards_model.cpp is compiled once per board with
 * -DTW_BOARD_COLORLIGHT_I5 or -DTW_BOARD_NEXYS_VIDEO; a program links exactly one of them. */
#ifndef TW_BOARDS_MODEL_H
#define TW_BOARDS_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tw_board_pins {
    /* inputs to the FPGA */
    uint8_t clk;                 /* clk25 (Colorlight) / sysclk (Nexys Video): the core clock in simulation */
    uint8_t rst_n;               /* cpu_resetn (Nexys Video; ignored on the Colorlight) */
    uint8_t rxc[2], rxd[2], rx_ctl[2];
    uint8_t ft_clk, ft_rxf_n, ft_txe_n, ft_d;   /* ft_d: what the chip drives (when the FPGA does not) */
    /* outputs of the FPGA */
    uint8_t txc[2], txd[2], tx_ctl[2];
    uint8_t ft_d_out, ft_d_oe, ft_rd_n, ft_wr_n, ft_oe_n, ft_siwu_n;
    uint8_t led;                 /* Colorlight: led_n in bit 0; Nexys Video: led[7:0] */
    uint8_t eth_rst_n;
};

struct tw_board;

/* NULL when out of memory. */
struct tw_board *tw_board_new(void);
void tw_board_free(struct tw_board *b);
/* Applies the input pins, evaluates the model, fills the output pins. */
void tw_board_eval(struct tw_board *b, struct tw_board_pins *p);
/* "colorlight_i5" or "nexys_video"; number of Ethernet ports (2 or 1); 1 when the top forwards (inline tap). */
const char *tw_board_name(void);
int tw_board_ports(void);
int tw_board_inline(void);
/* 1 when the top was built with DETECT = 1 (the whole device, rtl/tw_top.v: alert records on the FT245 pins). */
int tw_board_detect(void);
/* 1 when the top parses headers (PARSER = 1, or DETECT = 1): the tap's parse counters count (boards.mk says which
 * default each top has; tests/boards/test_board.c checks the device's status register says the same). */
int tw_board_parser(void);

#ifdef __cplusplus
}
#endif

#endif
