# tapwatch — FPGA-accelerated packet interception detector.
# `make demo` on a fresh Debian 12 / Ubuntu 22.04+ machine installs what is missing and shows tapwatch at work;
# `make test` builds and runs every test. Each area keeps its rules in its own fragment (*.mk).

BUILD   ?= build
CC      ?= gcc
CXX     ?= g++
PYTHON  ?= /usr/bin/python3
VERILATOR ?= verilator
YOSYS   ?= yosys
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
# Build in parallel by default (`make test` alone on a 2-core CI machine); `make -j1` still works.
MAKEFLAGS += -j$(JOBS)
# `make deps test` in one command: install first, then build serially rather than race the installer.
ifneq ($(filter deps,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

# C: C11, warnings are errors. Host tests also run under ASan/UBSan (SAN_FLAGS).
CWARN     := -Wall -Wextra -Werror
CFLAGS    ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CWARN) $(CFLAGS) -Ihost/include
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
PKG_CFLAGS = $(shell pkg-config --cflags libusb-1.0 yaml-0.1 cmocka 2>/dev/null)

# Test executables (cmocka or plain, exit 0 = pass) that fragments append to; tools/run-tests.sh runs them.
TESTS   :=
# Shell test scripts, likewise.
TEST_SCRIPTS :=
# Rows of `make bench`: executables that print "name value unit [baseline ratio]" lines.
BENCHES :=

.PHONY: all deps test lint synth-check synth-budget bench clean demo fuzz help
all:

include contracts/contracts.mk
include rtl/rtl.mk
include sim/sim.mk
include sim/link.mk
include sim/state.mk
include sim/engine.mk
include sim/alert.mk
include sim/top.mk
include sim/cnt.mk
include sim/crc.mk
include host/host.mk
include tests/tests.mk
include sim/parser_small.mk
include tests/fuzz/fuzz.mk
include tests/usb/usb.mk
include tests/bench/analyze.mk
include tests/scenario.mk
include tests/replay.mk
include demo.mk
include boards.mk

help:
	@echo "make deps        install missing Debian packages (uses sudo when not root)"
	@echo "make demo        build everything and run the demonstration"
	@echo "make test        build and run every test (unit, RTL, end to end)"
	@echo "make lint        verilator --lint-only -Wall over rtl/"
	@echo "make synth-check yosys synthesis of the RTL: fails on latches or unsynthesizable code"
	@echo "make synth-budget block RAM and logic per block (yosys synth_ecp5; docs/architecture.md)"
	@echo "make bench       performance figures as a table and as JSON"
	@echo "make fuzz        bounded libFuzzer runs of the parsers"
	@echo "make clean       remove $(BUILD)/"

deps:
	@tools/deps.sh

# The RTL must stay synthesizable hardware: no DPI, $c, $system or file I/O anywhere under rtl/ ($display in an initial parameter check is allowed).
.PHONY: rtl-pure
rtl-pure:
	@if grep -rnE 'import[[:space:]]+"DPI|\$$c\(|\$$system|\$$fopen|\$$fwrite|\$$fscanf|\$$readmem' rtl; then \
	  echo "rtl/ must not use DPI, \$$c, \$$system or file I/O"; exit 1; fi; echo "rtl-pure: no simulation hooks in rtl/"

test: check-gen rtl-pure lint $(TESTS) $(TEST_SCRIPTS)
	@tools/run-tests.sh $(TESTS) $(TEST_SCRIPTS)

bench: $(BENCHES)
	@tools/run-bench.sh $(BENCHES)

clean:
	rm -rf $(BUILD)
