// Generated from contracts/pfx_iv_entry.def by contracts/gen.awk: do not edit.
`ifndef TW_PFX_IV_ENTRY_VH
`define TW_PFX_IV_ENTRY_VH
`define TW_TBL_PFX_IV 7
`define TW_PI_ENTRIES 512
`define TW_PI_V6 0 +: 1
`define TW_PI_V6_LSB 0
`define TW_PI_V6_W 1
`define TW_PI_ADDR 1 +: 128
`define TW_PI_ADDR_LSB 1
`define TW_PI_ADDR_W 128
`define TW_PI_SETS 129 +: 32
`define TW_PI_SETS_LSB 129
`define TW_PI_SETS_W 32
`define TW_PI_WIDTH 161
`endif
