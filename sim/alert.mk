# Alert stage rules: the Verilated alert stage (rtl/tw_alert_stage.v: thresholds/volume state, per-rule rate
# limiter, 8-alert cut, alert records), its shim sim/alert_model.*, the test tests/engine/test_alert_stage.c (RTL
# against the reference detector, sim/alert_testlib.h builds the inputs) and the bench sim/alert_bench.c.
# See docs/alert-stage.md. Verilated code is built without sanitizers; these programs link the plain libtapwatch.a.

RTL_ALERT_SRCS := rtl/tw_alert_stage.v rtl/tw_alert_rate.v rtl/tw_crc32_vec.v rtl/tw_sync_fifo.v
RTL_SYNTH_TOPS += tw_alert_stage_synth

AL_DIR      := $(BUILD)/alert
AL_OBJDIR   := $(AL_DIR)/obj
AL_VROOT    := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
AL_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast -Wall --top-module tw_alert_stage \
               -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
AL_CXXFLAGS := -O2 -g -std=c++14 -MMD -MP -Isim -Ihost/include -I$(AL_VROOT) -I$(AL_VROOT)/vltstd
AL_CFLAGS    = $(CFLAGS_ALL) -Isim -Ihost/src -Itests/engine -Itests/common
AL_VLIB     := $(AL_OBJDIR)/Vtw_alert_stage__ALL.a
AL_VOBJS    := $(AL_OBJDIR)/verilated.o $(AL_OBJDIR)/verilated_threads.o
AL_HDRS     := sim/alert_model.h sim/alert_testlib.h host/src/detect_int.h tests/engine/eng_test.h
AL_LINK     := $(AL_DIR)/alert_model.o $(AL_VLIB) $(AL_VOBJS)

AL_TEST  := $(AL_DIR)/test_alert_stage
AL_BENCH := $(AL_DIR)/alert_bench

TESTS   += $(AL_TEST)
BENCHES += $(AL_BENCH)

.PHONY: alert
alert: $(AL_TEST) $(AL_BENCH)

$(AL_OBJDIR)/.stamp: $(RTL_ALERT_SRCS) rtl/tw_crc32_fn.vh $(wildcard rtl/gen/*.vh) sim/alert.mk
	@mkdir -p $(AL_OBJDIR)
	$(VL_START)
	+$(VERILATOR) $(AL_VFLAGS) --Mdir $(AL_OBJDIR) -Irtl/gen -Irtl $(RTL_ALERT_SRCS) --build -j 2
	$(MAKE) -s -C $(AL_OBJDIR) -f Vtw_alert_stage.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(AL_VLIB) $(AL_VOBJS): $(AL_OBJDIR)/.stamp
	@true
-include $(AL_OBJDIR)/.stamp.d $(wildcard $(AL_DIR)/*.d)

$(AL_DIR)/alert_model.o: sim/alert_model.cpp sim/alert_model.h $(AL_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(AL_CXXFLAGS) -I$(AL_OBJDIR) -c $< -o $@
$(AL_DIR)/test_alert_stage.o: tests/engine/test_alert_stage.c $(AL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(AL_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(AL_DIR)/alert_bench.o: sim/alert_bench.c $(AL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(AL_CFLAGS) -c $< -o $@
$(AL_TEST): $(AL_DIR)/test_alert_stage.o $(AL_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(AL_LINK) $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
$(AL_BENCH): $(AL_DIR)/alert_bench.o $(AL_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(AL_LINK) $(BUILD)/libtapwatch.a $(HOST_LIBS) -pthread
