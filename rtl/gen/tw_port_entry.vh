// Generated from contracts/port_entry.def by contracts/gen.awk: do not edit.
`ifndef TW_PORT_ENTRY_VH
`define TW_PORT_ENTRY_VH
`define TW_CAP_PORT_RANGES 64
`define TW_CAP_PORT_SETS 16
`define TW_PT_VALID 0 +: 1
`define TW_PT_VALID_LSB 0
`define TW_PT_VALID_W 1
`define TW_PT_LO 1 +: 16
`define TW_PT_LO_LSB 1
`define TW_PT_LO_W 16
`define TW_PT_HI 17 +: 16
`define TW_PT_HI_LSB 17
`define TW_PT_HI_W 16
`define TW_PT_SETS 33 +: 16
`define TW_PT_SETS_LSB 33
`define TW_PT_SETS_W 16
`define TW_PT_WIDTH 49
`endif
