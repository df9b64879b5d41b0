# The parser's small-FPGA setting (docs/architecture.md "A small-FPGA configuration", parser): the same tap + parser
# top (rtl/tw_tap_parse_top.v) Verilated with TZSP_PER_STEP = 1 (one TZSP tagged field per parse-engine clock
# instead of 16) into build/parser_small/, and the parser's RTL-vs-reference tests linked against it unchanged:
# build/parser_small/test_parser_rtl_small (the shared parser cases + 20,000 random frames, each record equal to
# tw_dissect()'s), test_vs_tshark_rtl_small (every corpus frame against tshark and the dissector),
# test_tap_captures_small (the corpus through both ports back-to-back: forwarding, records, counters) and
# test_parser_tzsp_small (long TZSP tag runs, tests/parser/test_parser_tzsp.c). The records are the contract: they
# must be bit-identical to the reference build's; only the clocks per TZSP frame differ.
# `make parser-small` builds and runs them. Not in `make test`: the model alone takes about 4 minutes to build here
# (229 s at load 7-9, 2026-11-30 08:46 UTC) and test_vs_tshark_rtl_small as long as its reference twin.
# test_parser_tzsp on the reference model (build/tests/parser/test_parser_tzsp, a few seconds) is in make test.

PARS_PARAMS  := -GTZSP_PER_STEP=1
PARS_OBJDIR  := $(BUILD)/parser_small/obj
PARS_SRCS    := rtl/tw_tap_parse_top.v rtl/tw_tap.v rtl/tw_parser.v rtl/tw_parser_capture.v rtl/tw_parser_engine.v \
                rtl/tw_merge.v rtl/tw_sync_fifo.v rtl/tw_counters.v
PARS_VLIB    := $(PARS_OBJDIR)/V$(SIM_TOP)__ALL.a
PARS_VOBJS   := $(PARS_OBJDIR)/verilated.o $(PARS_OBJDIR)/verilated_threads.o
PARS_LINK    := $(BUILD)/parser_small/tw_model.o $(BUILD)/sim/twsim.o $(PARS_VLIB) $(PARS_VOBJS)
PARS_TESTS   := $(BUILD)/parser_small/test_parser_rtl_small $(BUILD)/parser_small/test_vs_tshark_rtl_small \
                $(BUILD)/parser_small/test_tap_captures_small $(BUILD)/parser_small/test_parser_tzsp_small
PARS_TZSP    := $(BUILD)/tests/parser/test_parser_tzsp

TESTS += $(PARS_TZSP)

.PHONY: parser-small
parser-small: $(PARS_TESTS)
	TEST_LOGS=$(BUILD)/parser_small/test-logs tools/run-tests.sh $(PARS_TESTS)

$(PARS_OBJDIR)/.stamp: $(PARS_SRCS) $(wildcard rtl/gen/*.vh) sim/parser_small.mk
	@mkdir -p $(PARS_OBJDIR)
	+$(VERILATOR) $(SIM_VFLAGS) $(PARS_PARAMS) --Mdir $(PARS_OBJDIR) $(SIM_RTL_INC) $(PARS_SRCS) --build -j 2
	$(MAKE) -s -C $(PARS_OBJDIR) -f V$(SIM_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	@touch $@
$(PARS_VLIB) $(PARS_VOBJS): $(PARS_OBJDIR)/.stamp
	@true

$(BUILD)/parser_small/tw_model.o: sim/tw_model.cpp $(SIM_HDRS) $(PARS_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(SIM_CXXFLAGS) -I$(PARS_OBJDIR) -c $< -o $@

# the reference build's test objects, linked against the small model
$(BUILD)/parser_small/test_parser_rtl_small $(BUILD)/parser_small/test_vs_tshark_rtl_small: \
		$(BUILD)/parser_small/%_small: $(BUILD)/tests/sim/%.o $(SIM_COMMON_OBJS) $(PARS_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(SIM_COMMON_OBJS) $(PARS_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/parser_small/test_tap_captures_small: $(BUILD)/tests/sim/test_tap_captures.o $(PARS_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(PARS_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/parser_small/test_vs_tshark_rtl_small: | $(GEN_CAPTURES)

# tests/parser/test_parser_tzsp.c: on the reference model and on the small one
$(BUILD)/tests/parser/%.o: tests/parser/%.c $(SIM_HDRS) $(wildcard tests/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(PKG_CFLAGS) -Itests/common -c $< -o $@
$(PARS_TZSP): $(BUILD)/tests/parser/test_parser_tzsp.o $(SIM_COMMON_OBJS) $(SIM_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(SIM_COMMON_OBJS) $(SIM_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
$(BUILD)/parser_small/test_parser_tzsp_small: $(BUILD)/tests/parser/test_parser_tzsp.o $(SIM_COMMON_OBJS) \
		$(PARS_LINK) $(SIM_LIBTW)
	$(CXX) -o $@ $< $(SIM_COMMON_OBJS) $(PARS_LINK) $(LIBTW) -lcmocka $(HOST_LIBS) $(SIM_LIBS)
