#!/bin/bash
# synth-check: Yosys (0.23) synthesis of RTL tops (default tw_tap_parse_top) from every rtl/*.v.
# Fails on any Yosys error, on a latch ($dlatch after proc), or on `check -assert` problems (multiple drivers,
# combinational loops). Prints per top: memories inferred (candidates for block RAM), generic cell and flip-flop
# counts (memories are kept as RAM cells, not mapped to flip-flops), and with SYNTH_XILINX=1 a synth_xilinx estimate (LUTs, FFs, RAMB18/36, LUTRAM).
#   SYNTH_QUICK=1   chparam HDR_BYTES=64 on the top (rtl.mk's default; 0 = the full 256-byte head slots)
#   SYNTH_XILINX=1  also run synth_xilinx (slow: adds minutes)
#   YOSYS=...       the yosys binary
# A top written TOP:MOD1:MOD2... reads MOD1, MOD2... as black boxes (`read_verilog -lib`): the top's own logic only,
# for tops whose sub-blocks are synthesized as their own tops (tw_detect_front, tw_detect, tw_top).
# Logs: build/synth/<top>.log
set -euo pipefail
cd "$(dirname "$0")/.."
YOSYS=${YOSYS:-yosys}
QUICK=${SYNTH_QUICK:-0}
XIL=${SYNTH_XILINX:-0}
tops=("$@")
[ ${#tops[@]} -gt 0 ] || tops=(tw_tap_parse_top)
out=${BUILD:-build}/synth
mkdir -p "$out"
srcs=$(echo rtl/*.v)
rc=0
for spec in "${tops[@]}"; do
    top=${spec%%:*}
    bbox=""; [ "$spec" = "$top" ] || bbox=$(echo "${spec#*:}" | tr ':' ' ')
    rd="$srcs"; lib=""
    for m in $bbox; do
        f=$(grep -l "^module $m\b" rtl/*.v | head -1)
        [ -n "$f" ] || { echo "synth-check: $top: no module $m"; rc=1; continue 2; }
        rd=$(echo " $rd " | sed "s| $f | |"); lib="$lib $f"
    done
    chp=""
    # quick mode shrinks only tops that have an HDR_BYTES parameter (the tap + parser)
    src=$(grep -l "^module $top\b" rtl/*.v 2>/dev/null | head -1 || true)
    if [ "$QUICK" = 1 ] && [ -n "$src" ] && grep -q "parameter HDR_BYTES" "$src"; then chp="-chparam HDR_BYTES 64"; fi
    ys="$out/$top.ys"
    {
        echo "read_verilog -defer -Irtl/gen $rd"
        [ -z "$lib" ] || echo "read_verilog -lib -Irtl/gen $lib"
        echo "hierarchy -check -top $top $chp"
        echo "synth -top $top -run coarse:fine"
        echo "select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr"
        echo "tee -o $out/$top.mem.txt select -count t:\$mem_v2 t:\$mem"
        echo "tee -o $out/$top.memlist.txt select -list t:\$mem_v2 t:\$mem"
        # synth's fine section without memory_map: inferred memories stay RAM cells (block RAM on a device)
        echo "opt -fast -full"
        echo "opt -full"
        echo "techmap"
        echo "opt -fast"
        echo "abc -fast"
        echo "opt -fast"
        echo "hierarchy -check"
        echo "select -assert-none t:\$_DLATCH_*"
        echo "check -assert"
        echo "tee -o $out/$top.stat.txt stat"
        if [ "$XIL" = 1 ]; then
            echo "design -reset"
            echo "read_verilog -defer -Irtl/gen $rd"
            [ -z "$lib" ] || echo "read_verilog -lib -Irtl/gen $lib"
            echo "hierarchy -check -top $top $chp"
            echo "synth_xilinx -top $top -family xc7"
            echo "select -assert-none t:LDCE t:LDPE"
            echo "tee -o $out/$top.xil.txt stat"
        fi
    } > "$ys"
    start=$(date +%s)
    if ! "$YOSYS" -q -l "$out/$top.log" "$ys" > /dev/null 2>&1; then
        echo "synth-check: $top FAILED (see $out/$top.log):"
        grep -E "ERROR|Assertion|latch|Warning: found logic loop" "$out/$top.log" | head -20
        rc=1
        continue
    fi
    secs=$(( $(date +%s) - start ))
    # totals: the "design hierarchy" section when the design kept its hierarchy, else the single module
    if grep -q '=== design hierarchy ===' "$out/$top.stat.txt"; then
        sed -n '/=== design hierarchy ===/,$p' "$out/$top.stat.txt" > "$out/$top.total.txt"
    else
        cp "$out/$top.stat.txt" "$out/$top.total.txt"
    fi
    cells=$(sed -n 's/^ *Number of cells: *\([0-9]*\).*/\1/p' "$out/$top.total.txt" | tail -1)
    ffs=$( { grep -E '\$_S?DFF[A-Z]*_' "$out/$top.total.txt" || true; } | awk '{s+=$2} END {print s+0}')
    mems=$(grep -Eo '[0-9]+ objects' "$out/$top.mem.txt" | head -1 | awk '{print $1}')
    echo "synth-check: $top ok in ${secs}s$([ -n "$chp" ] && echo ' (quick: HDR_BYTES=64)')$([ -n "$bbox" ] && echo " (black boxes: $bbox)"): no latches;" \
         "generic cells $cells, flip-flops $ffs, memories inferred ${mems:-0}"
    sed 's/^/    memory: /' "$out/$top.memlist.txt" | grep -v 'memory: *$' || true
    if [ "$XIL" = 1 ]; then
        echo "  synth_xilinx xc7 estimate:"
        grep -E '^ +(LUT[1-6]|FD[A-Z]*|RAMB(18|36)E1|RAM(32|64|128|256)[A-Z0-9]*|CARRY4|DSP48E1|SRL[A-Z0-9]*|MUXF[78]) ' \
            "$out/$top.xil.txt" | awk '{printf "    %-10s %s\n", $1, $2}'
    fi
done
exit $rc
