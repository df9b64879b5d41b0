# rtl rules: see the top-level Makefile for the shared variables.
#
# RTL_SRCS: the sources of the tap + parser core (top tw_tap_parse_top); sim/sim.mk builds its Verilator model from
#   RTL_SRCS with RTL_INC. Other blocks append their own lists (e.g. RTL_LINK_SRCS) rather than editing this one.
# RTL_ALL: every rtl/*.v. `make lint` lints each of them as its own top (so a new file is covered without editing
#   this fragment) and tw_tap_parse_top with all of them.
# RTL_SYNTH_TOPS: the tops tools/synth-check.sh synthesizes (append to add one).
RTL_INC  := -Irtl/gen -Irtl
RTL_SRCS := rtl/tw_tap.v rtl/tw_parser_capture.v rtl/tw_parser_engine.v rtl/tw_parser.v rtl/tw_sync_fifo.v \
            rtl/tw_merge.v rtl/tw_counters.v rtl/tw_tap_parse_top.v
RTL_ALL   = $(sort $(wildcard rtl/*.v))
RTL_LINT_FLAGS := --lint-only -Wall $(RTL_INC)
RTL_SYNTH_TOPS ?= tw_tap_parse_top
# Quick by default: HDR_BYTES=64 (about 8.5 CPU minutes); `make synth-check SYNTH_QUICK=0` for the full 256-byte slots.
SYNTH_QUICK ?= 1

.PHONY: lint synth-check
lint: $(GEN_VH)
	@set -e; for f in $(RTL_ALL); do \
	  top=$$(basename $$f .v); \
	  $(VERILATOR) $(RTL_LINT_FLAGS) --top-module $$top $(RTL_ALL) || { echo "lint: $$top FAILED"; exit 1; }; \
	  echo "lint: $$top clean"; \
	done

# One Yosys per top, JOBS at a time (the engine and state tops take tens of minutes each); fails if any top fails.
synth-check: $(GEN_VH)
	@printf '%s\n' $(RTL_SYNTH_TOPS) | xargs -P $(JOBS) -I{} env YOSYS=$(YOSYS) SYNTH_QUICK=$(SYNTH_QUICK) tools/synth-check.sh {}
