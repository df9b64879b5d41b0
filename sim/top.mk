# Device top rules: the Verilated full top (rtl/tw_top.v: tap + parser, detection, evidence, table loading, host
# link), its shim (sim/top_model.*), the simulated device sim/twdev.{h,c} (FT2232H + host + frame driver), the
# device tests tests/sim/test_top*.c and `tapwatch-sim serve` (built into build/tapwatch-sim via TWDEV_LINK).
# See docs/sim.md. Verilated code is built without sanitizers; these programs link the plain libtapwatch.a.

RTL_TOP_SRCS := rtl/tw_top.v rtl/tw_detect.v rtl/tw_cnt_ext.v rtl/tw_rec_out.v rtl/tw_tbl_load.v rtl/tw_detect_front.v \
                rtl/tw_alert_stage.v rtl/tw_alert_rate.v \
                rtl/tw_flow_table.v rtl/tw_digest_table.v rtl/tw_crc32_vec.v \
                $(RTL_ENGINE_SRCS) $(RTL_LINK_SRCS) $(RTL_SRCS)

TOP_OBJDIR   := $(BUILD)/top/obj
TOP_VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
# ERR_GAP / RX_TIMEOUT as in the link model: error reports and given-up frames within a test's settle time.
TOP_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast --top-module tw_top -Wall -GERR_GAP=8192 \
                -GRX_TIMEOUT=4096 -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
TOP_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -Ihost/include -I$(TOP_VROOT) -I$(TOP_VROOT)/vltstd
TOP_CFLAGS    = $(CFLAGS_ALL) -Isim
TOP_VLIB     := $(TOP_OBJDIR)/Vtw_top__ALL.a
TOP_VOBJS    := $(TOP_OBJDIR)/verilated.o $(TOP_OBJDIR)/verilated_threads.o
TOP_HDRS     := sim/top_model.h sim/twdev.h $(wildcard host/include/tapwatch/*.h)
# What a program using the simulated device links (with $(CXX)).
TWDEV_LINK   := $(BUILD)/top/twdev.o $(FT_CHIP_OBJ) $(BUILD)/top/top_model.o $(TOP_VLIB) $(TOP_VOBJS)

TOP_TEST_SRCS := $(wildcard tests/sim/test_top*.c)
TOP_TESTS     := $(patsubst tests/sim/%.c,$(BUILD)/top/%,$(TOP_TEST_SRCS))
# Both in `make test` (test_top: about 2 minutes here, most of it test_detection_vs_reference's 160 serial frames).
TESTS += $(BUILD)/top/test_top $(BUILD)/top/test_top_serve

.PHONY: top
top: $(TOP_TESTS)

$(TOP_OBJDIR)/.stamp: $(RTL_TOP_SRCS) $(wildcard rtl/gen/*.vh rtl/*.vh) sim/top.mk sim/top_model.vlt
	@mkdir -p $(TOP_OBJDIR)
	$(VL_START)
	+$(VERILATOR) $(TOP_VFLAGS) --Mdir $(TOP_OBJDIR) -Irtl/gen -Irtl sim/top_model.vlt $(sort $(RTL_TOP_SRCS)) \
	  --build -j 2
	$(MAKE) -s -C $(TOP_OBJDIR) -f Vtw_top.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(TOP_VLIB) $(TOP_VOBJS): $(TOP_OBJDIR)/.stamp
	@true
-include $(TOP_OBJDIR)/.stamp.d $(wildcard $(BUILD)/top/*.d)

$(BUILD)/top/top_model.o: sim/top_model.cpp sim/top_model.h $(TOP_OBJDIR)/.stamp $(GEN_H)
	@mkdir -p $(@D)
	$(CXX) $(TOP_CXXFLAGS) -I$(TOP_OBJDIR) -c $< -o $@
$(BUILD)/top/twdev.o: sim/twdev.c sim/ft_chip.h $(TOP_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TOP_CFLAGS) -c $< -o $@
$(BUILD)/top/%.o: tests/sim/%.c $(TOP_HDRS) $(wildcard tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(TOP_CFLAGS) $(PKG_CFLAGS) -Itests/common -Ihost/src -c $< -o $@
$(BUILD)/top/common/%.o: tests/common/%.c $(wildcard tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(TOP_CFLAGS) -Itests/common -c $< -o $@
TOP_COMMON := $(patsubst tests/common/%.c,$(BUILD)/top/common/%.o,$(wildcard tests/common/*.c))
$(TOP_TESTS): $(BUILD)/top/%: $(BUILD)/top/%.o $(TOP_COMMON) $(TWDEV_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(TOP_COMMON) $(TWDEV_LINK) $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread

# tapwatch-sim serve: the device objects without a second Verilated runtime (tapwatch-sim links the tap model's).
TWDEV_OBJS := $(BUILD)/top/twdev_serve.o $(BUILD)/top/twdev.o $(FT_CHIP_OBJ) $(BUILD)/top/top_model.o $(TOP_VLIB)
$(BUILD)/top/twdev_serve.o: sim/twdev_serve.c sim/twdev_serve.h sim/twdev.h
	@mkdir -p $(@D)
	$(CC) $(TOP_CFLAGS) -c $< -o $@
$(TAPWATCH_SIM) $(BUILD)/sim-trace/tapwatch-sim: $(TWDEV_OBJS)
$(BUILD)/sim/tapwatch_sim.o: sim/twdev_serve.h
# the serve test runs the binary
$(BUILD)/top/test_top_serve: $(TAPWATCH_SIM)

# Yosys: the top's own new blocks (about 5 minutes each here). tw_top itself is not in synth-check: it contains the
# parser, engine, flow/digest tables and alert stage, each of which alone takes tens of minutes (docs/sim.md).
RTL_SYNTH_TOPS += tw_tbl_load tw_rec_out
