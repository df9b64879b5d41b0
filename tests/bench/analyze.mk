# tapwatch analyze: its end-to-end test runs the CLI, and its benchmark (tests/bench/bench_analyze.c) compares it with
# tshark and with a bare libpcap read loop on a generated capture (written to $(BUILD)/bench/ on first use).
$(BUILD)/tests/host/test_analyze: $(TAPWATCH)

BENCH_ANALYZE := $(BUILD)/bench/bench_analyze
BENCHES += $(BENCH_ANALYZE)
$(BENCH_ANALYZE): tests/bench/bench_analyze.c $(LIBTW) $(TEST_COMMON) $(TEST_COMMON_HDRS) $(HOST_HDRS) $(TAPWATCH)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -Itests/common -DTW_BUILD_DIR='"$(BUILD)"' -o $@ $< $(TEST_COMMON) $(LIBTW) $(HOST_LIBS)
