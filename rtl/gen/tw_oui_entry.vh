// Generated from contracts/oui_entry.def by contracts/gen.awk: do not edit.
`ifndef TW_OUI_ENTRY_VH
`define TW_OUI_ENTRY_VH
`define TW_OUI_WAYS 2
`define TW_OUI_BUCKETS 2048
`define TW_OUI_SLOTS 2
`define TW_CAP_OUI 4096
`define TW_CAP_VENDOR_SETS 8
`define TW_OUI_MAX_KICKS 512
`define TW_OE_VALID 0 +: 1
`define TW_OE_VALID_LSB 0
`define TW_OE_VALID_W 1
`define TW_OE_OUI 1 +: 24
`define TW_OE_OUI_LSB 1
`define TW_OE_OUI_W 24
`define TW_OE_VSET 25 +: 8
`define TW_OE_VSET_LSB 25
`define TW_OE_VSET_W 8
`define TW_OE_WIDTH 33
`endif
