# Detection engine (match path) rules: the Verilated engine model (rtl/tw_engine.v and its blocks), its shim
# (sim/engine_model.*, sim/engine_load.c), the engine tests tests/engine/test_*.c and the line-rate bench
# tests/engine/bench_engine.c. See docs/engine.md. Verilated code is built without sanitizers; these programs link
# the plain libtapwatch.a (compiler, dissector, reference matcher).

RTL_ENGINE_SRCS := rtl/tw_engine.v rtl/tw_oui_lookup.v rtl/tw_prefix_match.v rtl/tw_port_match.v \
                   rtl/tw_rule_eval.v rtl/tw_rule_select.v rtl/tw_sync_fifo.v rtl/tw_match_sets.v rtl/tw_set_scan.v \
                   rtl/tw_set_write.v rtl/tw_pmask.v
RTL_SYNTH_TOPS += tw_engine

ENG_TOP      := tw_engine
ENG_OBJDIR   := $(BUILD)/engine/obj
ENG_VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
ENG_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast --top-module $(ENG_TOP) -Wall \
                -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
ENG_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -Ihost/include -I$(ENG_VROOT) -I$(ENG_VROOT)/vltstd
ENG_CFLAGS    = $(CFLAGS_ALL) -Isim -Itests/common -Itests/engine
ENG_VLIB     := $(ENG_OBJDIR)/V$(ENG_TOP)__ALL.a
ENG_VOBJS    := $(ENG_OBJDIR)/verilated.o $(ENG_OBJDIR)/verilated_threads.o
ENG_HDRS     := sim/engine_model.h $(wildcard tests/engine/*.h tests/common/*.h host/include/tapwatch/*.h)
ENG_LINK     := $(BUILD)/engine/engine_model.o $(BUILD)/engine/engine_load.o $(ENG_VLIB) $(ENG_VOBJS)
ENG_COMMON   := $(patsubst tests/common/%.c,$(BUILD)/engine/common/%.o,$(wildcard tests/common/*.c))

ENG_TEST_SRCS := $(filter-out tests/engine/test_alert_stage.c tests/engine/test_front%.c,$(wildcard tests/engine/test_*.c))  # the alert stage: sim/alert.mk; the front: sim/front.mk
ENG_TESTS     := $(patsubst tests/engine/%.c,$(BUILD)/engine/%,$(ENG_TEST_SRCS))
ENG_BENCH     := $(BUILD)/engine/bench_engine

TESTS   += $(ENG_TESTS)
BENCHES += $(ENG_BENCH)

.PHONY: engine
engine: $(ENG_TESTS) $(ENG_BENCH)

$(ENG_OBJDIR)/.stamp: $(RTL_ENGINE_SRCS) $(wildcard rtl/gen/*.vh) sim/engine.mk
	@mkdir -p $(ENG_OBJDIR)
	$(VL_START)
	+$(VERILATOR) $(ENG_VFLAGS) --Mdir $(ENG_OBJDIR) -Irtl/gen $(RTL_ENGINE_SRCS) --build -j 2
	$(MAKE) -s -C $(ENG_OBJDIR) -f V$(ENG_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(ENG_VLIB) $(ENG_VOBJS): $(ENG_OBJDIR)/.stamp
	@true
-include $(ENG_OBJDIR)/.stamp.d $(wildcard $(BUILD)/engine/*.d)

$(BUILD)/engine/engine_model.o: sim/engine_model.cpp sim/engine_model.h $(ENG_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(ENG_CXXFLAGS) -I$(ENG_OBJDIR) -c $< -o $@
$(BUILD)/engine/engine_load.o: sim/engine_load.c $(ENG_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ENG_CFLAGS) -c $< -o $@
$(BUILD)/engine/common/%.o: tests/common/%.c $(ENG_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ENG_CFLAGS) -c $< -o $@
$(BUILD)/engine/%.o: tests/engine/%.c $(ENG_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ENG_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(ENG_TESTS): $(BUILD)/engine/%: $(BUILD)/engine/%.o $(ENG_COMMON) $(ENG_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ENG_COMMON) $(ENG_LINK) $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
$(ENG_BENCH): $(BUILD)/engine/bench_engine.o $(ENG_COMMON) $(ENG_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ENG_COMMON) $(ENG_LINK) $(BUILD)/libtapwatch.a $(HOST_LIBS) -pthread

# The small-FPGA configuration (docs/engine.md "Small configuration"): the same engine Verilated with one record
# every 32 clocks, 8 rule evaluators x 32 phases, the prefixes scanned by 16 compare units and the port ranges by 8,
# into build/engine_small/; the same test sources (built with TW_ENG_REC_CLOCKS=32) compare it with the reference
# matcher: build/engine_small/test_engine_small, test_engine_ref_small, test_engine_tables_small, and the bench
# bench_engine_small (`make engine-small`).
ENGS_PARAMS  := -GREC_CLOCKS=32 -GNEVAL=8 -GPFX_UNITS=16 -GPRT_UNITS=8
ENGS_OBJDIR  := $(BUILD)/engine_small/obj
ENGS_VLIB    := $(ENGS_OBJDIR)/V$(ENG_TOP)__ALL.a
ENGS_VOBJS   := $(ENGS_OBJDIR)/verilated.o $(ENGS_OBJDIR)/verilated_threads.o
ENGS_LINK    := $(BUILD)/engine_small/engine_model.o $(BUILD)/engine/engine_load.o $(ENGS_VLIB) $(ENGS_VOBJS)
ENGS_DEFS    := -DTW_ENG_REC_CLOCKS=32
ENGS_TESTS   := $(patsubst tests/engine/%.c,$(BUILD)/engine_small/%_small,$(ENG_TEST_SRCS))
ENGS_BENCH   := $(BUILD)/engine_small/bench_engine_small

TESTS   += $(ENGS_TESTS)
BENCHES += $(ENGS_BENCH)

.PHONY: engine-small engine-small-full
engine-small: $(ENGS_TESTS) $(ENGS_BENCH)
# the whole capture corpus through the small build (make test compares every 8th frame): about 80 s here
engine-small-full: $(ENGS_TESTS)
	TW_ENG_CORPUS_STRIDE=1 $(BUILD)/engine_small/test_engine_ref_small

$(ENGS_OBJDIR)/.stamp: $(RTL_ENGINE_SRCS) $(wildcard rtl/gen/*.vh) sim/engine.mk
	@mkdir -p $(ENGS_OBJDIR)
	$(VL_START)
	+$(VERILATOR) $(ENG_VFLAGS) $(ENGS_PARAMS) --Mdir $(ENGS_OBJDIR) -Irtl/gen $(RTL_ENGINE_SRCS) --build -j 2
	$(MAKE) -s -C $(ENGS_OBJDIR) -f V$(ENG_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(ENGS_VLIB) $(ENGS_VOBJS): $(ENGS_OBJDIR)/.stamp
	@true
-include $(ENGS_OBJDIR)/.stamp.d $(wildcard $(BUILD)/engine_small/*.d)

$(BUILD)/engine_small/engine_model.o: sim/engine_model.cpp sim/engine_model.h $(ENGS_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(ENG_CXXFLAGS) $(ENGS_DEFS) -I$(ENGS_OBJDIR) -c $< -o $@
$(BUILD)/engine_small/%_small.o: tests/engine/%.c $(ENG_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ENG_CFLAGS) $(ENGS_DEFS) $(PKG_CFLAGS) -c $< -o $@
$(ENGS_TESTS): $(BUILD)/engine_small/%: $(BUILD)/engine_small/%.o $(ENG_COMMON) $(ENGS_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ENG_COMMON) $(ENGS_LINK) $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
$(ENGS_BENCH): $(BUILD)/engine_small/bench_engine_small.o $(ENG_COMMON) $(ENGS_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ENG_COMMON) $(ENGS_LINK) $(BUILD)/libtapwatch.a $(HOST_LIBS) -pthread

include sim/front.mk
