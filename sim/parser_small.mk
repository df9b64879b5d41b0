# The parser's small-FPGA settings (docs/architecture.md "A small-FPGA configuration", parser; docs/parser.md "RTL
# parameters that change the clocks, never the records"): the same tap + parser top (rtl/tw_tap_parse_top.v)
# Verilated twice more, the parser's tests linked against each unchanged:
#   build/parser_small/  TZSP_PER_STEP = 1 (one TZSP tagged field per engine clock instead of 16):
#     test_parser_rtl_small (the shared parser cases + 20,000 random frames through both ports at once, each record
#     equal to tw_dissect()'s), test_vs_tshark_rtl_small (every corpus frame against tshark and the dissector),
#     test_tap_captures_small (the corpus through both ports back-to-back: forwarding, records + drops, counters),
#     test_parser_tzsp_small (tests/parser/test_parser_tzsp.c: long TZSP tag runs) and test_parser_corpus_small
#     (tests/parser/test_parser_corpus.c: capture frames one at a time against the dissector).
#   build/parser_fetch/  TZSP_PER_STEP = 1 and WIN_FETCH = 1 (the window loaded 8 bytes a clock: 10 clocks per
#     header): test_tap_captures_fetch, test_parser_tzsp_fetch, test_parser_corpus_fetch, and test_parser_rtl_fetch
#     built with a drop bound of 400 per 1,000 frames (TWT_MAX_DROP_PERMILLE): its random run feeds both ports
#     back-to-back at the reference's rate, where this engine drops copies by design (counted; every record that
#     comes out is compared with the dissector, every missing frame must be a counted drop). Not test_vs_tshark_rtl:
#     it requires no drop, and takes 7 minutes here.
#   build/parser_ram/  TZSP_PER_STEP = 1, WIN_FETCH = 1 and SLOT_RAM = 1 (the head slots in a block RAM, the window
#     loaded through its one-clock read port: 11 clocks per header): the same four tests as parser_fetch.
#   build/parser_pair/  as parser_ram with SHARE_PARSER = 1 (one engine for both ports, tw_parser_pair) and
#     SLOT_RAM = 2 (the RAM's output registered: a two-clock read, the Colorlight's setting since session 19).
# The records are the contract: bit-identical to the reference build's; only the clocks per frame differ.
# `make parser-small` builds and runs all four. Not in `make test`: each model takes about 4 minutes to build here
# (229 s and 195 s at load 7-9, 2026-11-30 08:46 and 09:19 UTC). test_parser_tzsp on the reference build
# (build/tests/parser/test_parser_tzsp, a few seconds) is in make test.

PARS_PARAMS  := -GTZSP_PER_STEP=1
PARF_PARAMS  := -GTZSP_PER_STEP=1 -GWIN_FETCH=1
PARR_PARAMS  := -GTZSP_PER_STEP=1 -GWIN_FETCH=1 -GSLOT_RAM=1
PARP_PARAMS  := -GTZSP_PER_STEP=1 -GWIN_FETCH=1 -GSLOT_RAM=2 -GSHARE_PARSER=1
PARS_SRCS    := rtl/tw_tap_parse_top.v rtl/tw_tap.v rtl/tw_parser.v rtl/tw_parser_capture.v rtl/tw_parser_engine.v \
                rtl/tw_merge.v rtl/tw_sync_fifo.v rtl/tw_counters.v rtl/tw_cnt_ram.v rtl/tw_parser_pair.v
PARS_TESTS   := $(addprefix $(BUILD)/parser_small/,test_parser_rtl_small test_vs_tshark_rtl_small \
                test_tap_captures_small test_parser_tzsp_small test_parser_corpus_small)
PARF_TESTS   := $(addprefix $(BUILD)/parser_fetch/,test_tap_captures_fetch test_parser_tzsp_fetch \
                test_parser_corpus_fetch test_parser_rtl_fetch)
PARR_TESTS   := $(addprefix $(BUILD)/parser_ram/,test_tap_captures_ram test_parser_tzsp_ram test_parser_corpus_ram \
                test_parser_rtl_ram)
PARP_TESTS   := $(addprefix $(BUILD)/parser_pair/,test_tap_captures_pair test_parser_tzsp_pair \
                test_parser_corpus_pair test_parser_rtl_pair)
# test_parser_rtl for the engines that drop copies at the reference's feed rate (WIN_FETCH = 1)
PARS_SLOW_RTL_O := $(BUILD)/parser_slow/test_parser_rtl.o
$(PARS_SLOW_RTL_O): tests/sim/test_parser_rtl.c sim/parser_small.mk $(SIM_HDRS) $(wildcard tests/sim/*.h tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(PKG_CFLAGS) -DTWT_MAX_DROP_PERMILLE=400 -Itests/sim -Itests/common -c $< -o $@
# the same with one engine for both ports (SHARE_PARSER = 1), which drops more at that rate: 524 per 1,000 measured
# (2026-11-30, session 11), where a 1 Gb/s board feeds it at a tenth of it
PARS_PAIR_RTL_O := $(BUILD)/parser_pair_t/test_parser_rtl.o
$(PARS_PAIR_RTL_O): tests/sim/test_parser_rtl.c sim/parser_small.mk $(SIM_HDRS) $(wildcard tests/sim/*.h tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(PKG_CFLAGS) -DTWT_MAX_DROP_PERMILLE=600 -Itests/sim -Itests/common -c $< -o $@
PARS_TZSP    := $(BUILD)/tests/parser/test_parser_tzsp

TESTS += $(PARS_TZSP)

.PHONY: parser-small
parser-small: $(PARS_TESTS) $(PARF_TESTS) $(PARR_TESTS) $(PARP_TESTS)
	TEST_LOGS=$(BUILD)/parser_small/test-logs tools/run-tests.sh $(PARS_TESTS) $(PARF_TESTS) $(PARR_TESTS) $(PARP_TESTS)

# one Verilated parser build: $(1) = directory name under $(BUILD), $(2) = Verilator -G parameters, $(3) = suffix,
# $(4) = the object of test_parser_rtl
define PARSER_BUILD
$(BUILD)/$(1)/obj/.stamp: $(PARS_SRCS) $(wildcard rtl/gen/*.vh) sim/parser_small.mk
	@mkdir -p $(BUILD)/$(1)/obj
	+$(VERILATOR) $(SIM_VFLAGS) $(2) --Mdir $(BUILD)/$(1)/obj $(SIM_RTL_INC) $(PARS_SRCS) --build -j 2
	$(MAKE) -s -C $(BUILD)/$(1)/obj -f V$(SIM_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	@touch $$@
$(BUILD)/$(1)/obj/V$(SIM_TOP)__ALL.a $(BUILD)/$(1)/obj/verilated.o $(BUILD)/$(1)/obj/verilated_threads.o: \
		$(BUILD)/$(1)/obj/.stamp
	@true
$(BUILD)/$(1)/tw_model.o: sim/tw_model.cpp $(SIM_HDRS) $(BUILD)/$(1)/obj/.stamp
	@mkdir -p $$(@D)
	$(CXX) $(SIM_CXXFLAGS) -I$(BUILD)/$(1)/obj -c $$< -o $$@
$(1)_LINK := $(BUILD)/$(1)/tw_model.o $(BUILD)/sim/twsim.o $(BUILD)/$(1)/obj/V$(SIM_TOP)__ALL.a \
             $(BUILD)/$(1)/obj/verilated.o $(BUILD)/$(1)/obj/verilated_threads.o
# the reference build's test objects, linked against this model
$(BUILD)/$(1)/test_vs_tshark_rtl_$(3): $(BUILD)/tests/sim/test_vs_tshark_rtl.o $(SIM_COMMON_OBJS) $$($(1)_LINK) \
		$(SIM_LIBTW)
	$(CXX) -o $$@ $$< $(SIM_COMMON_OBJS) $$($(1)_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/$(1)/test_parser_rtl_$(3): $(4) $(SIM_COMMON_OBJS) $$($(1)_LINK) $(SIM_LIBTW)
	$(CXX) -o $$@ $$< $(SIM_COMMON_OBJS) $$($(1)_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/$(1)/test_tap_captures_$(3): $(BUILD)/tests/sim/test_tap_captures.o $(SIM_CAPDIR_OBJ) $$($(1)_LINK) $(SIM_LIBTW)
	$(CXX) -o $$@ $$< $(SIM_CAPDIR_OBJ) $$($(1)_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/$(1)/test_parser_tzsp_$(3) $(BUILD)/$(1)/test_parser_corpus_$(3): \
		$(BUILD)/$(1)/%_$(3): $(BUILD)/tests/parser/%.o $(SIM_COMMON_OBJS) $$($(1)_LINK) $(SIM_LIBTW)
	$(CXX) -o $$@ $$< $(SIM_COMMON_OBJS) $$($(1)_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/$(1)/test_vs_tshark_rtl_$(3) $(BUILD)/$(1)/test_parser_corpus_$(3): | $(GEN_CAPTURES)
endef
$(eval $(call PARSER_BUILD,parser_small,$(PARS_PARAMS),small,$(BUILD)/tests/sim/test_parser_rtl.o))
$(eval $(call PARSER_BUILD,parser_fetch,$(PARF_PARAMS),fetch,$(PARS_SLOW_RTL_O)))
$(eval $(call PARSER_BUILD,parser_ram,$(PARR_PARAMS),ram,$(PARS_SLOW_RTL_O)))
$(eval $(call PARSER_BUILD,parser_pair,$(PARP_PARAMS),pair,$(PARS_PAIR_RTL_O)))

# tests/parser/*.c: test_parser_tzsp also on the reference model
$(BUILD)/tests/parser/%.o: tests/parser/%.c $(SIM_HDRS) $(wildcard tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(PKG_CFLAGS) -Itests/common -c $< -o $@
$(PARS_TZSP): $(BUILD)/tests/parser/test_parser_tzsp.o $(SIM_COMMON_OBJS) $(SIM_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(SIM_COMMON_OBJS) $(SIM_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
