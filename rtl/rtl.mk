# rtl rules: see the top-level Makefile for the shared variables.
#
# RTL_SRCS: the sources of the tap + parser core (top tw_tap_parse_top); sim/sim.mk builds its Verilator model from
#   RTL_SRCS with RTL_INC. Other blocks append their own lists (e.g. RTL_LINK_SRCS) rather than editing this one.
# RTL_ALL: every rtl/*.v. `make lint` lints each of them as its own top (so a new file is covered without editing
#   this fragment) and tw_tap_parse_top with all of them.
# RTL_SYNTH_TOPS: the tops tools/synth-check.sh synthesizes (append to add one).
RTL_INC  := -Irtl/gen -Irtl
RTL_SRCS := rtl/tw_tap.v rtl/tw_parser_capture.v rtl/tw_parser_engine.v rtl/tw_parser.v rtl/tw_sync_fifo.v \
            rtl/tw_merge.v rtl/tw_counters.v rtl/tw_cnt_ram.v rtl/tw_tap_parse_top.v rtl/tw_parser_pair.v
RTL_ALL   = $(sort $(wildcard rtl/*.v))
RTL_LINT_FLAGS := --lint-only -Wall $(RTL_INC)
RTL_SYNTH_TOPS ?= tw_tap_parse_top
RTL_SYNTH_TOPS += tw_cnt_ram tw_cnt_ext
# The glue of the detection pipeline and of the device top, their sub-blocks as black boxes (each sub-block is a
# top of its own here or in sim/*.mk): about a minute together with Yosys 0.23.
RTL_SYNTH_TOPS += tw_detect_front:tw_engine:tw_flow_table:tw_digest_table tw_detect:tw_detect_front:tw_alert_stage \
                  tw_top:tw_tap_parse_top:tw_detect:tw_rec_out:tw_tbl_load:tw_link_top
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

# `make synth-budget`: the per-block block-RAM and logic budget (tools/synth-budget.sh, Yosys synth_ecp5 per block,
# memories counted in EBR / RAMB18 / RAMB36), the table of docs/architecture.md "Resource budget". Not part of
# `make test` or `make synth-check` (about an hour here for every block). It uses the native Yosys of the pip package
# pyosys in a venv under build/synth (created here when python3-venv is present: `tools/deps.sh --synth`), else the
# yosys on PATH. SYNTH_BUDGET_BLOCKS=... picks blocks, SYNTH_BUDGET_CFG=small the small-FPGA table set.
SYNTH_BUDGET_BLOCKS ?=
.PHONY: synth-budget
synth-budget: $(GEN_VH)
	@if [ -z "$(filter-out yosys,$(YOSYS))" ] && [ ! -x $(BUILD)/synth/pyosys-venv/bin/python ]; then \
	  mkdir -p $(BUILD)/synth; \
	  { /usr/bin/python3 -m venv $(BUILD)/synth/pyosys-venv && $(BUILD)/synth/pyosys-venv/bin/pip install -q pyosys; } || \
	  { echo "synth-budget: no pyosys (python3-venv missing or no registry): using $(YOSYS)"; rm -rf $(BUILD)/synth/pyosys-venv; }; \
	fi
	@$(if $(filter-out yosys,$(YOSYS)),YOSYS=$(YOSYS)) SYNTH_BUDGET_CFG=$(or $(SYNTH_BUDGET_CFG),ref) \
	  BUILD=$(BUILD) tools/synth-budget.sh $(SYNTH_BUDGET_BLOCKS)

# Verilated models (sim/*.mk, boards.mk): a model's stamp <mdir>/.stamp depends on every file the last Verilator
# run read, from Verilator's own dependency file <mdir>/<prefix>__ver.d, so a change of any RTL file, header or
# configuration file it read rebuilds the model. The recipe opens with $(VL_START) and closes with $(VL_DONE);
# the fragment adds `-include <mdir>/.stamp.d`.
#   VL_START: <stamp>.start takes the time before Verilator reads anything; VL_DONE moves it to the stamp, so a
#     source changed while the model was building is newer than the stamp: the next make rebuilds the model.
#   VL_DONE also writes <stamp>.d: "<stamp>: files" (files Verilator wrote into the mdir left out) and an empty
#     rule per file, so a removed source does not stop make (as gcc -MP does for headers).
#   Two make runs building the same model at once (two engineers' `make test`): the second VL_DONE finds no
#     <stamp>.start (the first moved it) and touches the stamp instead of failing the build.
VL_START = @rm -f $@.start && touch $@.start
VL_DONE  = @sed -e 's/^[^:]*://' $(@D)/*__ver.d | tr -s ' \t\\' '\n\n\n' | grep -v -e '^$$' -e '^$(@D)/' | \
           sort -u | awk -v s=$@ '{ f[NR] = $$0 } END { printf "%s:", s; for (i = 1; i <= NR; i++) \
           printf " %s", f[i]; printf "\n"; for (i = 1; i <= NR; i++) printf "%s:\n", f[i] }' > $@.d.tmp && \
           mv -f $@.d.tmp $@.d && { mv -f $@.start $@ 2>/dev/null || touch $@; }
