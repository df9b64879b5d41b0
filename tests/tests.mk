# tests rules: see the top-level Makefile for the shared variables.

# tests/common: test-frame builders (frames.c), the tshark comparison (tshark_cmp.c) and the parser cases
# (parser_cases.c: run by test_dissect on tw_dissect and by test_parser_rtl on the RTL), shared by the host tests
# and the RTL tests. Linked into every host test as an archive (unused members cost nothing); none of them needs
# cmocka, since sim/engine.mk links them as objects into programs without it.
TEST_COMMON_SRCS := $(wildcard tests/common/*.c)
TEST_COMMON_HDRS := $(wildcard tests/common/*.h)
TEST_COMMON      := $(BUILD)/libtwtest.a
TEST_COMMON_SAN  := $(BUILD)/libtwtest-san.a
# the link flags of an out-of-memory test (tests/common/failalloc.h)
FAILALLOC_LDFLAGS := -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc -Wl,--wrap=strdup -Wl,--wrap=free
$(BUILD)/tests/common/%.o: tests/common/%.c $(TEST_COMMON_HDRS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests/common -c $< -o $@
$(BUILD)/tests/common-san/%.o: tests/common/%.c $(TEST_COMMON_HDRS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -Itests/common -c $< -o $@
$(TEST_COMMON): $(patsubst tests/common/%.c,$(BUILD)/tests/common/%.o,$(TEST_COMMON_SRCS))
	rm -f $@ && ar rcs $@ $^
$(TEST_COMMON_SAN): $(patsubst tests/common/%.c,$(BUILD)/tests/common-san/%.o,$(TEST_COMMON_SRCS))
	rm -f $@ && ar rcs $@ $^
$(HOST_TESTS): $(TEST_COMMON_SAN) $(TEST_COMMON_HDRS)

# Generated captures (tools/gen_captures.py, scapy, seeded): what the shared corpus lacks. Test data only.
GEN_CAPTURES := $(BUILD)/captures/.stamp
$(GEN_CAPTURES): tools/gen_captures.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gen_captures.py $(@D) && touch $@
.PHONY: captures
captures: $(GEN_CAPTURES)
# The tshark comparison reads them at run time.
$(BUILD)/tests/host/test_vs_tshark: | $(GEN_CAPTURES)
$(BUILD)/tests/sim/test_vs_tshark_rtl: | $(GEN_CAPTURES)

# The build's own dependencies: objects compiled with a makefile's flags are rebuilt when it changes
# (tests/scripts/test_build_deps.sh: `make -n -W`, nothing built; a few seconds).
TEST_SCRIPTS += tests/scripts/test_build_deps.sh
