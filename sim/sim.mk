# sim rules: the Verilated tap + parser model (rtl/tw_tap_parse_top.v), its C API (sim/tw_model.h), the frame-level
# driver (sim/twsim.h), build/tapwatch-sim, the tests in tests/sim/test_*.c (except test_link*, which sim/link.mk
# builds against its own model) and the benches tests/sim/bench_*.c. See docs/sim.md.
# Verilated code is built without sanitizers; the sim tests link the plain libtapwatch.a.

SIM_TOP      := tw_tap_parse_top
SIM_OBJDIR   := $(BUILD)/sim/obj
# RTL_SRCS / RTL_INC come from rtl/rtl.mk; until it defines them, every rtl/*.v and rtl/gen.
SIM_RTL_SRCS  = $(if $(RTL_SRCS),$(RTL_SRCS),$(wildcard rtl/*.v))
SIM_RTL_INC   = $(if $(RTL_INC),$(RTL_INC),-Irtl/gen)
VERILATOR_ROOT_INC := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
SIM_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast --top-module $(SIM_TOP) -Wno-fatal \
                -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
SIM_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -Ihost/include -I$(VERILATOR_ROOT_INC) -I$(VERILATOR_ROOT_INC)/vltstd
SIM_CFLAGS    = $(CFLAGS_ALL) -Isim
SIM_VLIB     := $(SIM_OBJDIR)/V$(SIM_TOP)__ALL.a
SIM_VOBJS    := $(SIM_OBJDIR)/verilated.o $(SIM_OBJDIR)/verilated_threads.o
# What a program driving the model links (with $(CXX)): shim, driver, Verilated archive and runtime.
SIM_LINK     := $(BUILD)/sim/tw_model.o $(BUILD)/sim/twsim.o $(SIM_VLIB) $(SIM_VOBJS)
SIM_LIBS      = -pthread
# host/host.mk is included after this fragment, so name its library directly in prerequisites.
SIM_LIBTW    := $(BUILD)/libtapwatch.a

TAPWATCH_SIM := $(BUILD)/tapwatch-sim
SIM_TEST_SRCS  := $(filter-out tests/sim/test_link% tests/sim/test_digest% tests/sim/test_flow% tests/sim/test_top% \
                  tests/sim/test_cnt_ram.c tests/sim/test_crc_fn.c,$(wildcard tests/sim/test_*.c))  # sim/cnt.mk, sim/crc.mk
SIM_TESTS      := $(patsubst tests/sim/%.c,$(BUILD)/tests/sim/%,$(SIM_TEST_SRCS))
SIM_BENCH_SRCS := $(wildcard tests/sim/bench_*.c)
SIM_BENCHES    := $(patsubst tests/sim/%.c,$(BUILD)/tests/sim/%,$(SIM_BENCH_SRCS))
# Shared C test helpers (tests/common/*.c: frame builders, tshark comparison) are linked into the sim tests other
# than test_tap* (the tap tests and benches keep their own frame makers, tests/sim/tap_frames.h, and link only
# SIM_CAPDIR_OBJ).
SIM_COMMON_SRCS := $(wildcard tests/common/*.c)
SIM_COMMON_OBJS := $(patsubst tests/common/%.c,$(BUILD)/tests/sim/common/%.o,$(SIM_COMMON_SRCS))
# the tap tests take only the capture-folder listing (tests/common/capdir.c)
SIM_CAPDIR_OBJ  := $(BUILD)/tests/sim/common/capdir.o
# test_tap_twsim checks twsim against a C stand-in for the model (it implements tw_model.h itself).
SIM_TWSIM_TEST  := $(BUILD)/tests/sim/test_tap_twsim
SIM_TAP_PROGS   := $(filter-out $(SIM_TWSIM_TEST),$(filter $(BUILD)/tests/sim/test_tap% $(BUILD)/tests/sim/bench_%,\
                   $(SIM_TESTS) $(SIM_BENCHES)))
SIM_OTHER_TESTS := $(filter-out $(SIM_TAP_PROGS) $(SIM_TWSIM_TEST),$(SIM_TESTS))
SIM_HDRS := sim/tw_model.h sim/twsim.h $(wildcard host/include/tapwatch/*.h)

TESTS   += $(SIM_TESTS)
BENCHES += $(SIM_BENCHES)
all: $(TAPWATCH_SIM)

.PHONY: sim sim-trace
sim: $(TAPWATCH_SIM) $(SIM_TESTS) $(SIM_BENCHES)

# The Verilated library, built once (re-built when any RTL source or generated header changes; after changing
# SIM_VFLAGS, remove $(SIM_OBJDIR)/.stamp: a model build takes minutes, so editing this file does not force one).
$(SIM_OBJDIR)/.stamp: $(SIM_RTL_SRCS) $(wildcard rtl/gen/*.vh)
	@mkdir -p $(SIM_OBJDIR)
	$(VL_START)
	+$(VERILATOR) $(SIM_VFLAGS) --Mdir $(SIM_OBJDIR) $(SIM_RTL_INC) $(SIM_RTL_SRCS) --build -j 2
	$(MAKE) -s -C $(SIM_OBJDIR) -f V$(SIM_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(SIM_VLIB) $(SIM_VOBJS): $(SIM_OBJDIR)/.stamp
	@true
-include $(SIM_OBJDIR)/.stamp.d $(SIM_TOBJDIR)/.stamp.d $(wildcard $(BUILD)/sim/*.d $(BUILD)/sim-trace/*.d)

$(BUILD)/sim/tw_model.o: sim/tw_model.cpp $(SIM_HDRS) $(SIM_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(SIM_CXXFLAGS) -I$(SIM_OBJDIR) -c $< -o $@
$(BUILD)/sim/%.o: sim/%.c $(SIM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) -c $< -o $@
$(BUILD)/tests/sim/common/%.o: tests/common/%.c $(wildcard tests/common/*.h) $(SIM_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) -Itests/common -c $< -o $@

# `serve` runs the full device top (sim/top.mk: TWDEV_OBJS, the Verilated runtime of SIM_LINK shared).
$(TAPWATCH_SIM): $(BUILD)/sim/tapwatch_sim.o $(SIM_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $(BUILD)/sim/tapwatch_sim.o $(TWDEV_OBJS) $(SIM_LINK) $(LIBTW) $(HOST_LIBS) $(SIM_LIBS)

$(BUILD)/tests/sim/%.o: tests/sim/%.c $(SIM_HDRS) $(wildcard tests/sim/*.h tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(PKG_CFLAGS) -Itests/sim -Itests/common -c $< -o $@
$(SIM_TAP_PROGS): $(BUILD)/tests/sim/%: $(BUILD)/tests/sim/%.o $(SIM_CAPDIR_OBJ) $(SIM_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(SIM_CAPDIR_OBJ) $(SIM_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(SIM_TWSIM_TEST): $(BUILD)/tests/sim/test_tap_twsim.o $(BUILD)/sim/twsim.o $(SIM_LIBTW)
	$(CC) -o $@ $< $(BUILD)/sim/twsim.o $(LIBTW) -lcmocka $(HOST_LIBS)
$(SIM_OTHER_TESTS): $(BUILD)/tests/sim/%: $(BUILD)/tests/sim/%.o $(SIM_COMMON_OBJS) $(SIM_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(SIM_COMMON_OBJS) $(SIM_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)

# The CLI test runs the binary.
$(BUILD)/tests/sim/test_tap_cli: $(TAPWATCH_SIM)

# Opt-in waveform build: the same tools against a model with FST tracing (13-15x slower). `make sim-trace` gives
# build/sim-trace/tapwatch-sim, whose --trace FILE.fst writes a waveform.
SIM_TOBJDIR := $(BUILD)/sim-trace/obj
sim-trace: $(BUILD)/sim-trace/tapwatch-sim
$(SIM_TOBJDIR)/.stamp: $(SIM_RTL_SRCS) $(wildcard rtl/gen/*.vh)
	@mkdir -p $(SIM_TOBJDIR)
	$(VL_START)
	+$(VERILATOR) $(SIM_VFLAGS) --trace-fst --Mdir $(SIM_TOBJDIR) $(SIM_RTL_INC) $(SIM_RTL_SRCS) --build -j 2
	$(MAKE) -s -C $(SIM_TOBJDIR) -f V$(SIM_TOP).mk verilated.o verilated_threads.o verilated_fst_c.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(BUILD)/sim-trace/tw_model.o: sim/tw_model.cpp $(SIM_HDRS) $(SIM_TOBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(SIM_CXXFLAGS) -DTW_MODEL_TRACE -I$(SIM_TOBJDIR) -c $< -o $@
$(BUILD)/sim-trace/tapwatch-sim: $(BUILD)/sim/tapwatch_sim.o $(BUILD)/sim-trace/tw_model.o $(BUILD)/sim/twsim.o \
		$(SIM_TOBJDIR)/.stamp $(SIM_LIBTW)
	$(CXX) -o $@ $(BUILD)/sim/tapwatch_sim.o $(TWDEV_OBJS) $(BUILD)/sim-trace/tw_model.o $(BUILD)/sim/twsim.o \
		$(SIM_TOBJDIR)/V$(SIM_TOP)__ALL.a $(addprefix $(SIM_TOBJDIR)/,verilated.o verilated_threads.o \
		verilated_fst_c.o) $(LIBTW) $(HOST_LIBS) -lz $(SIM_LIBS)
