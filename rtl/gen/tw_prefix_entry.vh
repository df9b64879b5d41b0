// Generated from contracts/prefix_entry.def by contracts/gen.awk: do not edit.
`ifndef TW_PREFIX_ENTRY_VH
`define TW_PREFIX_ENTRY_VH
`define TW_CAP_PREFIXES 128
`define TW_CAP_ADDR_SETS 32
`define TW_PE_VALID 0 +: 1
`define TW_PE_VALID_LSB 0
`define TW_PE_VALID_W 1
`define TW_PE_V6 1 +: 1
`define TW_PE_V6_LSB 1
`define TW_PE_V6_W 1
`define TW_PE_LEN 2 +: 8
`define TW_PE_LEN_LSB 2
`define TW_PE_LEN_W 8
`define TW_PE_ADDR 10 +: 128
`define TW_PE_ADDR_LSB 10
`define TW_PE_ADDR_W 128
`define TW_PE_SETS 138 +: 32
`define TW_PE_SETS_LSB 138
`define TW_PE_SETS_W 32
`define TW_PE_WIDTH 170
`endif
