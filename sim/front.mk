# Detection front rules (included from sim/engine.mk): the Verilated tw_detect_front (flow table + digest table +
# match engine), its shim sim/front_model.*, the tests tests/engine/test_front*.c (against the reference's flow,
# digest and match functions) and the bench tests/engine/bench_front.c. See docs/engine-front.md.

RTL_FRONT_SRCS := rtl/tw_detect_front.v $(RTL_ENGINE_SRCS) rtl/tw_flow_table.v rtl/tw_digest_table.v \
                  rtl/tw_crc32_vec.v

FR_TOP      := tw_detect_front
FR_OBJDIR   := $(BUILD)/front/obj
FR_VLIB     := $(FR_OBJDIR)/V$(FR_TOP)__ALL.a
FR_VOBJS    := $(FR_OBJDIR)/verilated.o $(FR_OBJDIR)/verilated_threads.o
FR_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast --top-module $(FR_TOP) -Wall \
               -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
FR_CFLAGS    = $(CFLAGS_ALL) -Isim -Ihost/src -Itests/engine -Itests/common
FR_HDRS     := sim/front_model.h sim/engine_model.h sim/state_testlib.h tests/engine/eng_test.h tests/engine/eng_gen.h \
               $(wildcard host/include/tapwatch/*.h) host/src/detect_int.h
FR_LINK     := $(BUILD)/front/front_model.o $(BUILD)/front/engine_load.o $(BUILD)/front/state_testlib.o \
               $(BUILD)/front/frames.o \
               $(FR_VLIB) $(FR_VOBJS)
FR_TESTS    := $(patsubst tests/engine/%.c,$(BUILD)/front/%,$(wildcard tests/engine/test_front*.c))
FR_BENCH    := $(BUILD)/front/bench_front

TESTS   += $(FR_TESTS)
BENCHES += $(FR_BENCH)

.PHONY: front
front: $(FR_TESTS) $(FR_BENCH)

$(FR_OBJDIR)/.stamp: $(RTL_FRONT_SRCS) rtl/tw_cand.vh rtl/tw_crc32_fn.vh $(wildcard rtl/gen/*.vh) sim/front.mk
	@mkdir -p $(FR_OBJDIR)
	$(VL_START)
	+$(VERILATOR) $(FR_VFLAGS) --Mdir $(FR_OBJDIR) -Irtl/gen -Irtl $(RTL_FRONT_SRCS) --build -j 2
	$(MAKE) -s -C $(FR_OBJDIR) -f V$(FR_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(FR_VLIB) $(FR_VOBJS): $(FR_OBJDIR)/.stamp
	@true
-include $(FR_OBJDIR)/.stamp.d $(wildcard $(BUILD)/front/*.d)

$(BUILD)/front/front_model.o: sim/front_model.cpp $(FR_HDRS) $(FR_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(ENG_CXXFLAGS) -I$(FR_OBJDIR) -c $< -o $@
$(BUILD)/front/engine_load.o: sim/engine_load.c $(FR_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FR_CFLAGS) -c $< -o $@
$(BUILD)/front/state_testlib.o: sim/state_testlib.c $(FR_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FR_CFLAGS) -c $< -o $@
$(BUILD)/front/frames.o: tests/common/frames.c tests/common/frames.h
	@mkdir -p $(@D)
	$(CC) $(FR_CFLAGS) -c $< -o $@
$(BUILD)/front/%.o: tests/engine/%.c $(FR_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FR_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(FR_TESTS): $(BUILD)/front/%: $(BUILD)/front/%.o $(FR_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(FR_LINK) $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
$(FR_BENCH): $(BUILD)/front/bench_front.o $(FR_LINK) $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(FR_LINK) $(BUILD)/libtapwatch.a $(HOST_LIBS) -pthread
