# Detection engine (match path) rules: the Verilated engine model (rtl/tw_engine.v and its blocks), its shim
# (sim/engine_model.*, sim/engine_load.c), the engine tests tests/engine/test_*.c and the line-rate bench
# tests/engine/bench_engine.c. See docs/engine.md. Verilated code is built without sanitizers; these programs link
# the plain libtapwatch.a (compiler, dissector, reference matcher).

RTL_ENGINE_SRCS := rtl/tw_engine.v rtl/tw_oui_lookup.v rtl/tw_prefix_match.v rtl/tw_port_match.v \
                   rtl/tw_rule_eval.v rtl/tw_rule_select.v rtl/tw_sync_fifo.v rtl/tw_match_sets.v rtl/tw_set_scan.v \
                   rtl/tw_set_write.v rtl/tw_pmask.v rtl/tw_pfx_search.v rtl/tw_pfx_lane.v
RTL_SYNTH_TOPS += tw_engine tw_pfx_search

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

# The small-FPGA configurations (docs/engine.md "Small configuration"): the same engine Verilated with one record
# every 32 clocks and 8 rule evaluators x 32 phases, the port ranges scanned by 8 compare units, and the prefixes
#   engine_small:  scanned by 16 compare units (PFX_UNITS, the Nexys Video's setting),
#   engine_search: as an interval table searched in block RAM (PFX_SEARCH, the Colorlight i5's; the tests' table
#                  loads convert the prefix table with tw_pfx_intervals, TW_ENG_PI_ENTRIES entries a bank),
# into build/engine_<name>/; the same test sources (built with TW_ENG_REC_CLOCKS=32) compare each with the reference
# matcher: build/engine_<name>/test_engine_<name>, test_engine_ref_<name>, test_engine_tables_<name>, and the bench
# bench_engine_<name> (`make engine-small`, `make engine-search`).
# $(call eng_variant,name,verilator parameters,C defines)
define eng_variant
ENGV_$(1)_OBJDIR := $$(BUILD)/engine_$(1)/obj
ENGV_$(1)_VLIB   := $$(ENGV_$(1)_OBJDIR)/V$$(ENG_TOP)__ALL.a
ENGV_$(1)_VOBJS  := $$(ENGV_$(1)_OBJDIR)/verilated.o $$(ENGV_$(1)_OBJDIR)/verilated_threads.o
ENGV_$(1)_LINK   := $$(BUILD)/engine_$(1)/engine_model.o $$(BUILD)/engine/engine_load.o $$(ENGV_$(1)_VLIB) \
                    $$(ENGV_$(1)_VOBJS)
ENGV_$(1)_TESTS  := $$(patsubst tests/engine/%.c,$$(BUILD)/engine_$(1)/%_$(1),$$(ENG_TEST_SRCS))
ENGV_$(1)_BENCH  := $$(BUILD)/engine_$(1)/bench_engine_$(1)

TESTS   += $$(ENGV_$(1)_TESTS)
BENCHES += $$(ENGV_$(1)_BENCH)

.PHONY: engine-$(1)
engine-$(1): $$(ENGV_$(1)_TESTS) $$(ENGV_$(1)_BENCH)

$$(ENGV_$(1)_OBJDIR)/.stamp: $$(RTL_ENGINE_SRCS) $$(wildcard rtl/gen/*.vh) sim/engine.mk
	@mkdir -p $$(ENGV_$(1)_OBJDIR)
	$$(VL_START)
	+$$(VERILATOR) $$(ENG_VFLAGS) $(2) --Mdir $$(ENGV_$(1)_OBJDIR) -Irtl/gen $$(RTL_ENGINE_SRCS) --build -j 2
	$$(MAKE) -s -C $$(ENGV_$(1)_OBJDIR) -f V$$(ENG_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$$(VL_DONE)
$$(ENGV_$(1)_VLIB) $$(ENGV_$(1)_VOBJS): $$(ENGV_$(1)_OBJDIR)/.stamp
	@true
-include $$(ENGV_$(1)_OBJDIR)/.stamp.d $$(wildcard $$(BUILD)/engine_$(1)/*.d)

$$(BUILD)/engine_$(1)/engine_model.o: sim/engine_model.cpp sim/engine_model.h $$(ENGV_$(1)_OBJDIR)/.stamp
	@mkdir -p $$(@D)
	$$(CXX) $$(ENG_CXXFLAGS) $(3) -I$$(ENGV_$(1)_OBJDIR) -c $$< -o $$@
$$(BUILD)/engine_$(1)/%_$(1).o: tests/engine/%.c $$(ENG_HDRS) sim/engine.mk
	@mkdir -p $$(@D)
	$$(CC) $$(ENG_CFLAGS) $(3) $$(PKG_CFLAGS) -c $$< -o $$@
$$(ENGV_$(1)_TESTS): $$(BUILD)/engine_$(1)/%: $$(BUILD)/engine_$(1)/%.o $$(ENG_COMMON) $$(ENGV_$(1)_LINK) \
                      $$(BUILD)/libtapwatch.a
	$$(CXX) -o $$@ $$< $$(ENG_COMMON) $$(ENGV_$(1)_LINK) $$(BUILD)/libtapwatch.a -lcmocka $$(HOST_LIBS) -pthread
$$(ENGV_$(1)_BENCH): $$(BUILD)/engine_$(1)/bench_engine_$(1).o $$(ENG_COMMON) $$(ENGV_$(1)_LINK) $$(BUILD)/libtapwatch.a
	$$(CXX) -o $$@ $$< $$(ENG_COMMON) $$(ENGV_$(1)_LINK) $$(BUILD)/libtapwatch.a $$(HOST_LIBS) -pthread
endef

$(eval $(call eng_variant,small,-GREC_CLOCKS=32 -GNEVAL=8 -GPFX_UNITS=16 -GPRT_UNITS=8,-DTW_ENG_REC_CLOCKS=32))
$(eval $(call eng_variant,search,-GREC_CLOCKS=32 -GNEVAL=8 -GPFX_SEARCH=1 -GPRT_UNITS=8,\
    -DTW_ENG_REC_CLOCKS=32 -DTW_ENG_PI_ENTRIES=512))

.PHONY: engine-small-full
# the whole capture corpus through the small build (make test compares every 8th frame): about 80 s here
engine-small-full: $(ENGV_small_TESTS)
	TW_ENG_CORPUS_STRIDE=1 $(BUILD)/engine_small/test_engine_ref_small

include sim/front.mk
