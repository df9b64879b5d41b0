// Thin C++ shim over one Verilated board top (see boards_model.h).
#include <new>

#include "verilated.h"
#include "boards_model.h"

#ifndef TW_BOARD_DETECT
#error "define TW_BOARD_DETECT (boards.mk: the DETECT the model was built with)"
#endif
#ifndef TW_BOARD_PARSER
#error "define TW_BOARD_PARSER (boards.mk: whether the top's defaults parse headers)"
#endif

#if defined(TW_BOARD_COLORLIGHT_I5)
#include "Vtw_colorlight_i5.h"
#include "Vtw_colorlight_i5___024root.h"
typedef Vtw_colorlight_i5 Vtop;
#if TW_BOARD_DETECT
#define TOPNAME "colorlight_i5_detect (DETECT = 1, simulation only)"
#else
#define TOPNAME "colorlight_i5"
#endif
#define NPORTS 2
#define INLINE 1
#define FT_OE(m) ((m)->rootp->tw_colorlight_i5__DOT__ft_d_oe)
#define FT_OUT(m) ((m)->rootp->tw_colorlight_i5__DOT__ft_d_out)
#elif defined(TW_BOARD_NEXYS_VIDEO)
#include "Vtw_nexys_video.h"
#include "Vtw_nexys_video___024root.h"
typedef Vtw_nexys_video Vtop;
#define TOPNAME "nexys_video"
#define NPORTS 1
#define INLINE 0
#define FT_OE(m) ((m)->rootp->tw_nexys_video__DOT__ft_d_oe)
#define FT_OUT(m) ((m)->rootp->tw_nexys_video__DOT__ft_d_out)
#else
#error "define TW_BOARD_COLORLIGHT_I5 or TW_BOARD_NEXYS_VIDEO"
#endif

struct tw_board {
    VerilatedContext *ctx;
    Vtop *m;
};

extern "C" struct tw_board *tw_board_new(void) {
    tw_board *b = new (std::nothrow) tw_board;
    if (!b)
        return nullptr;
    b->ctx = new (std::nothrow) VerilatedContext;
    if (!b->ctx) {
        delete b;
        return nullptr;
    }
    b->m = new (std::nothrow) Vtop(b->ctx, "top");
    if (!b->m) {
        delete b->ctx;
        delete b;
        return nullptr;
    }
    return b;
}

extern "C" void tw_board_free(struct tw_board *b) {
    if (!b)
        return;
    b->m->final();
    delete b->m;
    delete b->ctx;
    delete b;
}

extern "C" void tw_board_eval(struct tw_board *b, struct tw_board_pins *p) {
    Vtop *m = b->m;
#if defined(TW_BOARD_COLORLIGHT_I5)
    m->clk25 = p->clk;
    m->eth0_rxc = p->rxc[0];
    m->eth0_rxd = p->rxd[0] & 0xF;
    m->eth0_rx_ctl = p->rx_ctl[0] & 1;
    m->eth1_rxc = p->rxc[1];
    m->eth1_rxd = p->rxd[1] & 0xF;
    m->eth1_rx_ctl = p->rx_ctl[1] & 1;
    m->ft_clk = p->ft_clk;
    m->ft_rxf_n = p->ft_rxf_n;
    m->ft_txe_n = p->ft_txe_n;
    m->ft_d = p->ft_d;
    m->eval();
    p->txc[0] = m->eth0_txc;
    p->txd[0] = m->eth0_txd;
    p->tx_ctl[0] = m->eth0_tx_ctl;
    p->txc[1] = m->eth1_txc;
    p->txd[1] = m->eth1_txd;
    p->tx_ctl[1] = m->eth1_tx_ctl;
    p->ft_rd_n = m->ft_rd_n;
    p->ft_wr_n = m->ft_wr_n;
    p->ft_oe_n = m->ft_oe_n;
    p->ft_siwu_n = m->ft_siwu_n;
    p->led = m->led_n;
    p->eth_rst_n = m->eth_rst_n;
#else
    m->sysclk = p->clk;
    m->cpu_resetn = p->rst_n;
    m->eth_rxck = p->rxc[0];
    m->eth_rxd = p->rxd[0] & 0xF;
    m->eth_rxctl = p->rx_ctl[0] & 1;
    m->prog_clko = p->ft_clk;
    m->prog_rxen = p->ft_rxf_n;
    m->prog_txen = p->ft_txe_n;
    m->prog_d = p->ft_d;
    m->eval();
    p->txc[0] = m->eth_txck;
    p->txd[0] = m->eth_txd;
    p->tx_ctl[0] = m->eth_txctl;
    p->txc[1] = p->txd[1] = p->tx_ctl[1] = 0;
    p->ft_rd_n = m->prog_rdn;
    p->ft_wr_n = m->prog_wrn;
    p->ft_oe_n = m->prog_oen;
    p->ft_siwu_n = m->prog_siwun;
    p->led = m->led;
    p->eth_rst_n = m->eth_rst_b;
#endif
    p->ft_d_oe = FT_OE(m);
    p->ft_d_out = FT_OUT(m);
}

extern "C" const char *tw_board_name(void) { return TOPNAME; }
extern "C" int tw_board_ports(void) { return NPORTS; }
extern "C" int tw_board_inline(void) { return INLINE; }
extern "C" int tw_board_detect(void) { return TW_BOARD_DETECT; }
extern "C" int tw_board_parser(void) { return TW_BOARD_PARSER; }
