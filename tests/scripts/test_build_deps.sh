#!/bin/bash
# Objects compiled with flags a makefile defines (a board's table geometry, an engine variant's record clocks, the
# link model's record size, a test's drop bound) must be rebuilt when that makefile changes: otherwise a changed
# geometry keeps the old one in the test while the Verilated model has the new one (found in session 14: the
# Colorlight detection test compared a 512-flow model with a 256-flow reference). For each pair, `make -n -W
# <makefile> <object>` (the makefile taken as changed, nothing run) must list the object's compile.
# Run from the repository root.
set -u
B=${BUILD:-build}
fails=0
n=0
check() { # makefile object
    n=$((n + 1))
    local out
    out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -n -W "$1" "$2" BUILD="$B" 2>&1)
    if grep -qF -- "-o $2" <<< "$out"; then
        echo "ok   $2 is rebuilt when $1 changes"
    else
        echo "FAIL $2 is not rebuilt when $1 changes:"
        head -5 <<< "$out" | sed 's/^/     /'
        fails=$((fails + 1))
    fi
}
check boards.mk "$B/boards/test_board_colorlight_i5_detect.o"
check sim/engine.mk "$B/engine_small/test_engine_small.o"
check sim/engine.mk "$B/engine_search/test_engine_tables_search.o"
check sim/state.mk "$B/state/state_model_step.o"
check sim/parser_small.mk "$B/parser_slow/test_parser_rtl.o"
check sim/parser_small.mk "$B/parser_pair_t/test_parser_rtl.o"
check tests/usb/usb.mk "$B/usb/link_chip.o"
check tests/usb/usb.mk "$B/usb/test_dev_link.o"
check tests/usb/usb.mk "$B/usb/link_model.o"
echo "$n objects, $fails failures"
[ $fails = 0 ]
