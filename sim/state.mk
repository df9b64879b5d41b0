# Engine-state rules: the Verilated digest table (rtl/tw_digest_table.v) and flow table (rtl/tw_flow_table.v), each
# its own model; the shim sim/state_model.* (C API); the tests tests/sim/test_digest*.c and tests/sim/test_flow*.c,
# which compare the models against the C reference detector (host/src/digest.c, flow.c) on the same records; and
# the bench sim/state_bench.c. See docs/engine-state.md.
# Verilated code is built without sanitizers; these programs link the plain libtapwatch.a.

RTL_DIGEST_SRCS := rtl/tw_digest_table.v rtl/tw_crc32_vec.v
RTL_FLOW_SRCS   := rtl/tw_flow_table.v rtl/tw_crc32_vec.v
RTL_SYNTH_TOPS  += tw_digest_table_synth tw_flow_table_synth

ST_DIR      := $(BUILD)/state
ST_VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
ST_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast -Wall -Wno-fatal \
               -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
ST_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -Ihost/include -I$(ST_VROOT) -I$(ST_VROOT)/vltstd
ST_CFLAGS    = $(CFLAGS_ALL) -Isim -Ihost/src

ST_DG_OBJDIR := $(ST_DIR)/dg
ST_DG_VLIB   := $(ST_DG_OBJDIR)/Vtw_digest_table__ALL.a
ST_VOBJS     := $(ST_DG_OBJDIR)/verilated.o $(ST_DG_OBJDIR)/verilated_threads.o
ST_FL_OBJDIR := $(ST_DIR)/fl
ST_FL_VLIB   := $(ST_FL_OBJDIR)/Vtw_flow_table__ALL.a
ST_MODELS    := $(ST_DG_VLIB) $(ST_FL_VLIB)
ST_INCS      := -I$(ST_DG_OBJDIR) -I$(ST_FL_OBJDIR)
ST_LINK       = $(ST_DIR)/state_model.o $(ST_DIR)/state_testlib.o $(ST_MODELS) $(ST_VOBJS)

ST_TEST_SRCS := $(wildcard tests/sim/test_digest*.c tests/sim/test_flow*.c)
ST_TESTS     := $(patsubst tests/sim/%.c,$(ST_DIR)/%,$(ST_TEST_SRCS))
ST_BENCH     := $(ST_DIR)/state_bench

# The stepping digest table (HASH_STEP_BITS = ST_DG_STEP, the small-FPGA option; docs/engine-state.md): a second
# Verilated build of the block alone under the prefix Vtw_digest_step, the same test program (test_digest.o) linked
# against it as test_digest_step: the same reference, the same checks, its own accept rate.
ST_DG_STEP     ?= 64
ST_DGS_OBJDIR  := $(ST_DIR)/dgs$(ST_DG_STEP)
ST_DGS_VLIB    := $(ST_DGS_OBJDIR)/Vtw_digest_step__ALL.a
ST_DGS_TEST    := $(ST_DIR)/test_digest_step

# The flow table with the shortest hold queue (HOLD_DEPTH = ST_FL_HOLD, 2; the reference is 32, the Nexys Video
# builds 8): a second Verilated build of the block, the same test program (test_flow.o) linked against it as
# test_flow_hold: every record the reference's while a full hold queue stalls the input far more often.
ST_FL_HOLD     ?= 2
ST_FLH_OBJDIR  := $(ST_DIR)/flh$(ST_FL_HOLD)
ST_FLH_VLIB    := $(ST_FLH_OBJDIR)/Vtw_flow_table__ALL.a
ST_FLH_TEST    := $(ST_DIR)/test_flow_hold

TESTS   += $(ST_TESTS) $(ST_DGS_TEST) $(ST_FLH_TEST)
BENCHES += $(ST_BENCH)

.PHONY: state
state: $(ST_TESTS) $(ST_DGS_TEST) $(ST_BENCH)

$(ST_DG_OBJDIR)/.stamp: $(RTL_DIGEST_SRCS) rtl/tw_crc32_fn.vh rtl/gen/tw_meta.vh
	@mkdir -p $(ST_DG_OBJDIR)
	$(VL_START)
	$(VERILATOR) $(ST_VFLAGS) --top-module tw_digest_table --Mdir $(ST_DG_OBJDIR) -Irtl/gen -Irtl $(RTL_DIGEST_SRCS) --build -j 2
	$(MAKE) -s -C $(ST_DG_OBJDIR) -f Vtw_digest_table.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(ST_DG_VLIB) $(ST_VOBJS): $(ST_DG_OBJDIR)/.stamp
	@true
$(ST_DGS_OBJDIR)/.stamp: $(RTL_DIGEST_SRCS) rtl/tw_crc32_fn.vh rtl/gen/tw_meta.vh
	@mkdir -p $(ST_DGS_OBJDIR)
	$(VL_START)
	$(VERILATOR) $(ST_VFLAGS) --top-module tw_digest_table --prefix Vtw_digest_step -GHASH_STEP_BITS=$(ST_DG_STEP) \
	  --Mdir $(ST_DGS_OBJDIR) -Irtl/gen -Irtl $(RTL_DIGEST_SRCS) --build -j 2
	$(VL_DONE)
$(ST_DGS_VLIB): $(ST_DGS_OBJDIR)/.stamp
	@true
$(ST_FL_OBJDIR)/.stamp: $(RTL_FLOW_SRCS) rtl/tw_crc32_fn.vh rtl/gen/tw_meta.vh
	@mkdir -p $(ST_FL_OBJDIR)
	$(VL_START)
	$(VERILATOR) $(ST_VFLAGS) --top-module tw_flow_table --Mdir $(ST_FL_OBJDIR) -Irtl/gen -Irtl $(RTL_FLOW_SRCS) --build -j 2
	$(VL_DONE)
$(ST_FL_VLIB): $(ST_FL_OBJDIR)/.stamp
	@true
$(ST_FLH_OBJDIR)/.stamp: $(RTL_FLOW_SRCS) rtl/tw_crc32_fn.vh rtl/gen/tw_meta.vh
	@mkdir -p $(ST_FLH_OBJDIR)
	$(VL_START)
	$(VERILATOR) $(ST_VFLAGS) --top-module tw_flow_table -GHOLD_DEPTH=$(ST_FL_HOLD) --Mdir $(ST_FLH_OBJDIR) -Irtl/gen \
	  -Irtl $(RTL_FLOW_SRCS) --build -j 2
	$(VL_DONE)
$(ST_FLH_VLIB): $(ST_FLH_OBJDIR)/.stamp
	@true
-include $(addsuffix /.stamp.d,$(ST_DG_OBJDIR) $(ST_DGS_OBJDIR) $(ST_FL_OBJDIR) $(ST_FLH_OBJDIR)) \
         $(wildcard $(ST_DIR)/*.d)

$(ST_DIR)/state_model.o: sim/state_model.cpp sim/state_model.h $(addsuffix /.stamp,$(ST_DG_OBJDIR) $(ST_FL_OBJDIR))
	@mkdir -p $(@D)
	$(CXX) $(ST_CXXFLAGS) $(ST_INCS) -c $< -o $@
$(ST_DIR)/state_model_step.o: sim/state_model.cpp sim/state_model.h sim/state.mk \
                             $(addsuffix /.stamp,$(ST_DGS_OBJDIR) $(ST_FL_OBJDIR))
	@mkdir -p $(@D)
	$(CXX) $(ST_CXXFLAGS) -DTW_DGM_STEP=$(ST_DG_STEP) -I$(ST_DGS_OBJDIR) -I$(ST_FL_OBJDIR) -c $< -o $@
$(ST_DIR)/state_model_hold.o: sim/state_model.cpp sim/state_model.h \
                              $(addsuffix /.stamp,$(ST_DG_OBJDIR) $(ST_FLH_OBJDIR))
	@mkdir -p $(@D)
	$(CXX) $(ST_CXXFLAGS) -I$(ST_DG_OBJDIR) -I$(ST_FLH_OBJDIR) -c $< -o $@
$(ST_DIR)/state_testlib.o: sim/state_testlib.c sim/state_testlib.h host/src/detect_int.h
	@mkdir -p $(@D)
	$(CC) $(ST_CFLAGS) -c $< -o $@
$(ST_DIR)/%.o: tests/sim/%.c sim/state_model.h sim/state_testlib.h host/src/detect_int.h
	@mkdir -p $(@D)
	$(CC) $(ST_CFLAGS) $(PKG_CFLAGS) -Itests/common -c $< -o $@
$(ST_DIR)/state_bench.o: sim/state_bench.c sim/state_model.h host/src/detect_int.h
	@mkdir -p $(@D)
	$(CC) $(ST_CFLAGS) -c $< -o $@
$(ST_TESTS): $(ST_DIR)/%: $(ST_DIR)/%.o $(ST_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ST_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) -pthread
$(ST_BENCH): $(ST_DIR)/state_bench.o $(ST_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ST_LINK) $(LIBTW) $(HOST_LIBS) -pthread
$(ST_DGS_TEST): $(ST_DIR)/test_digest.o $(ST_DIR)/state_model_step.o $(ST_DIR)/state_testlib.o $(ST_DGS_VLIB) \
                $(ST_FL_VLIB) $(ST_VOBJS) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ST_DIR)/state_model_step.o $(ST_DIR)/state_testlib.o $(ST_DGS_VLIB) $(ST_FL_VLIB) $(ST_VOBJS) \
	  $(LIBTW) -lcmocka $(HOST_LIBS) -pthread
$(ST_FLH_TEST): $(ST_DIR)/test_flow.o $(ST_DIR)/state_model_hold.o $(ST_DIR)/state_testlib.o $(ST_DG_VLIB) \
                $(ST_FLH_VLIB) $(ST_VOBJS) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(ST_DIR)/state_model_hold.o $(ST_DIR)/state_testlib.o $(ST_DG_VLIB) $(ST_FLH_VLIB) $(ST_VOBJS) \
	  $(LIBTW) -lcmocka $(HOST_LIBS) -pthread

# `make lint` lints every file as a top with its defaults; the digest table's stepping configurations too.
.PHONY: lint-digest-step
lint: lint-digest-step
lint-digest-step: $(GEN_VH)
	@set -e; for s in 8 32 64 448; do \
	  $(VERILATOR) $(RTL_LINT_FLAGS) -GHASH_STEP_BITS=$$s --top-module tw_digest_table $(RTL_ALL) || \
	    { echo "lint: tw_digest_table HASH_STEP_BITS=$$s FAILED"; exit 1; }; \
	  echo "lint: tw_digest_table HASH_STEP_BITS=$$s clean"; \
	done
