// Generated from contracts/regs.def by contracts/gen.awk: do not edit.
`ifndef TW_REGS_VH
`define TW_REGS_VH
`define TW_REG_MAGIC 0
`define TW_REG_VERSION 1
`define TW_REG_CAP_RULES 2
`define TW_REG_CAP_FLOWS 3
`define TW_REG_CAP_DATAPATH 4
`define TW_REG_CAP_CLK_MHZ 5
`define TW_REG_CAP_CNT 6
`define TW_REG_CAP_PFX_IV 7
`define TW_REG_CONTROL 16
`define TW_CTRL_MONITOR 1
`define TW_CTRL_FLUSH 2
`define TW_REG_STATUS 17
`define TW_REG_SCRATCH 18
`define TW_REG_TIME_LO 20
`define TW_REG_TIME_HI 21
`define TW_REG_LINK_RX_FRAMES 32
`define TW_REG_LINK_CRC_ERR 33
`define TW_REG_LINK_HDR_ERR 34
`define TW_REG_LINK_RESYNCS 35
`define TW_REG_LINK_DISCARDS 36
`define TW_REG_LINK_BAD_CMDS 37
`define TW_REG_LINK_TX_FRAMES 38
`define TW_REG_LINK_TX_DROPS 39
`define TW_REG_LINK_RX_TMO 40
`define TW_REG_EXT_BASE 256
`define TW_REG_EXT_END 4095
`define TW_REG_CNT_BASE 4096
`define TW_REG_CNT_END 8191
`define TW_REG_MAGIC_VALUE 1415007307
`endif
