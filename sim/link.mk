# Host link rules: the Verilated link model (rtl/tw_link_top.v: FT245 interface, async FIFOs, framing, register
# file), its shim (sim/link_model.*), the FT2232H + host + core-side system model (sim/link_chip.*, around the
# simulators' one FT2232H model sim/ft_chip.*, also used by sim/top.mk and tests/usb/usb.mk through FT_CHIP_OBJ), the
# RTL link tests tests/sim/test_link*.c, the chip model's own unit test (tests/sim/test_link_ft_chip.c, no Verilated
# code: built with the sanitizers) and the link bench (sim/link_bench.c). See docs/protocol.md and docs/sim.md.
# Verilated code is built without sanitizers; these programs link the plain libtapwatch.a (the codec).

RTL_LINK_SRCS := rtl/tw_link_top.v rtl/tw_ft245.v rtl/tw_async_fifo.v rtl/tw_link_rx.v rtl/tw_link_cmd.v \
                 rtl/tw_link_tx.v rtl/tw_link_crc16.v rtl/tw_regfile.v rtl/tw_sync_fifo.v
# `make synth-check` also synthesizes the link top (always at full size: SYNTH_QUICK only shrinks the parser).
.PHONY: synth-check-link
synth-check: synth-check-link
synth-check-link: $(GEN_VH)
	@YOSYS=$(YOSYS) SYNTH_QUICK=0 tools/synth-check.sh tw_link_top

LINK_TOP      := tw_link_top
LINK_OBJDIR   := $(BUILD)/link/obj
LINK_VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
# ERR_GAP 8192: error reports at most every 65 us, so a test sees them within its settle time; RX_TIMEOUT 4096
# (33 us) likewise for a command frame given up after the stream paused.
LINK_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast --top-module $(LINK_TOP) -Wall -GERR_GAP=8192 \
                 -GRX_TIMEOUT=4096 \
                 -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
LINK_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -I$(LINK_VROOT) -I$(LINK_VROOT)/vltstd
LINK_CFLAGS    = $(CFLAGS_ALL) -Isim
LINK_VLIB     := $(LINK_OBJDIR)/V$(LINK_TOP)__ALL.a
LINK_VOBJS    := $(LINK_OBJDIR)/verilated.o $(LINK_OBJDIR)/verilated_threads.o
LINK_HDRS     := sim/link_model.h sim/link_chip.h sim/ft_chip.h host/include/tapwatch/proto.h host/include/tapwatch/tw_protocol.h \
                 host/include/tapwatch/tw_regs.h
FT_CHIP_OBJ   := $(BUILD)/link/ft_chip.o
LINK_LINK     := $(BUILD)/link/link_model.o $(BUILD)/link/link_chip.o $(FT_CHIP_OBJ) $(LINK_VLIB) $(LINK_VOBJS)

LINK_TEST_SRCS := $(filter-out tests/sim/test_link_ft_chip.c,$(wildcard tests/sim/test_link*.c))
LINK_TESTS     := $(patsubst tests/sim/%.c,$(BUILD)/link/%,$(LINK_TEST_SRCS))
LINK_BENCH     := $(BUILD)/link/link_bench

FT_CHIP_TEST   := $(BUILD)/link/test_link_ft_chip

TESTS   += $(LINK_TESTS) $(FT_CHIP_TEST)
BENCHES += $(LINK_BENCH)

.PHONY: link
link: $(LINK_TESTS) $(FT_CHIP_TEST) $(LINK_BENCH)

$(LINK_OBJDIR)/.stamp: $(RTL_LINK_SRCS) rtl/gen/tw_protocol.vh rtl/gen/tw_regs.vh sim/link.mk
	@mkdir -p $(LINK_OBJDIR)
	$(VL_START)
	$(VERILATOR) $(LINK_VFLAGS) --Mdir $(LINK_OBJDIR) -Irtl/gen $(RTL_LINK_SRCS) --build -j 2
	$(MAKE) -s -C $(LINK_OBJDIR) -f V$(LINK_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(LINK_VLIB) $(LINK_VOBJS): $(LINK_OBJDIR)/.stamp
	@true
-include $(LINK_OBJDIR)/.stamp.d $(wildcard $(BUILD)/link/*.d)

$(BUILD)/link/link_model.o: sim/link_model.cpp sim/link_model.h $(LINK_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(LINK_CXXFLAGS) -I$(LINK_OBJDIR) -c $< -o $@
$(BUILD)/link/link_chip.o: sim/link_chip.c $(LINK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) -c $< -o $@
$(FT_CHIP_OBJ): sim/ft_chip.c sim/ft_chip.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Isim -c $< -o $@
$(FT_CHIP_TEST): tests/sim/test_link_ft_chip.c sim/ft_chip.c sim/ft_chip.h tests/common/failalloc.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -Isim -o $@ $< sim/ft_chip.c -lcmocka $(FAILALLOC_LDFLAGS)
$(BUILD)/link/%.o: tests/sim/%.c $(LINK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(BUILD)/link/link_bench.o: sim/link_bench.c $(LINK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) -c $< -o $@
$(LINK_TESTS): $(BUILD)/link/%: $(BUILD)/link/%.o $(LINK_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(LINK_LINK) $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
$(LINK_BENCH): $(BUILD)/link/link_bench.o $(LINK_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(LINK_LINK) $(BUILD)/libtapwatch.a $(HOST_LIBS) -pthread
