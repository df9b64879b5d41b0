# The statistics counters in RAM (rtl/tw_cnt_ram.v) against their register form: sim/tw_cnt_pair.v Verilated with a
# thin shim (sim/cnt_model.*), tests/sim/test_cnt_ram.c.
CNT_OBJDIR := $(BUILD)/cnt/obj
CNT_TEST   := $(BUILD)/cnt/test_cnt_ram
CNT_SRCS   := rtl/tw_counters.v rtl/tw_cnt_ram.v rtl/tw_cnt_ext.v sim/tw_cnt_pair.v
TESTS += $(CNT_TEST)

$(CNT_OBJDIR)/.stamp: $(CNT_SRCS) $(wildcard rtl/gen/*.vh) sim/cnt.mk
	@mkdir -p $(CNT_OBJDIR)
	$(VL_START)
	$(VERILATOR) --cc -O3 --x-assign fast --x-initial fast -Wall --top-module tw_cnt_pair --Mdir $(CNT_OBJDIR) \
	  -Irtl/gen -Irtl $(CNT_SRCS) --build -j 2 -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
	$(MAKE) -s -C $(CNT_OBJDIR) -f Vtw_cnt_pair.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(BUILD)/cnt/cnt_model.o: sim/cnt_model.cpp sim/cnt_model.h $(CNT_OBJDIR)/.stamp
	$(CXX) $(ENG_CXXFLAGS) -I$(CNT_OBJDIR) -c $< -o $@
$(BUILD)/cnt/test_cnt_ram.o: tests/sim/test_cnt_ram.c sim/cnt_model.h $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Isim -c $< -o $@
$(CNT_TEST): $(BUILD)/cnt/test_cnt_ram.o $(BUILD)/cnt/cnt_model.o $(CNT_OBJDIR)/.stamp
	$(CXX) -o $@ $< $(BUILD)/cnt/cnt_model.o $(CNT_OBJDIR)/Vtw_cnt_pair__ALL.a $(CNT_OBJDIR)/verilated.o \
	  $(CNT_OBJDIR)/verilated_threads.o -lcmocka -pthread
