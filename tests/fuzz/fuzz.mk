# tests/fuzz: libFuzzer targets (clang), run for a bounded time by `make fuzz` (FUZZ_SECONDS each, default 60).
# The rule target compiles the parser, compiler and image sources directly with clang's fuzzer and sanitizers.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_RULES_SRCS := tests/fuzz/fuzz_rules.c host/src/config.c host/src/rules.c host/src/rules_expr.c host/src/oui.c \
                   host/src/compile.c host/src/tables.c host/src/error.c host/src/meta.c
FUZZ_RULES   := $(BUILD)/fuzz/fuzz_rules

$(FUZZ_RULES): $(FUZZ_RULES_SRCS) $(HOST_HDRS) host/src/rules_int.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CWARN) $(FUZZ_FLAGS) -Ihost/include \
	  -o $@ $(FUZZ_RULES_SRCS) -lyaml

.PHONY: fuzz-rules
# The committed seeds are copied so that what the fuzzer finds stays in build/.
fuzz-rules: $(FUZZ_RULES)
	@rm -rf $(BUILD)/fuzz/corpus-rules && mkdir -p $(BUILD)/fuzz/corpus-rules
	@cp tests/fuzz/corpus-rules/* $(BUILD)/fuzz/corpus-rules/
	$(FUZZ_RULES) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus-rules

fuzz: fuzz-rules

# The link protocol's host decoder (host/src/proto.c); seeds in tests/fuzz/corpus-proto (first byte: chunk size and
# direction, see tests/fuzz/fuzz_proto.c).
FUZZ_PROTO := $(BUILD)/fuzz/fuzz_proto
$(FUZZ_PROTO): tests/fuzz/fuzz_proto.c host/src/proto.c host/include/tapwatch/proto.h host/include/tapwatch/tw_protocol.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CWARN) $(FUZZ_FLAGS) -Ihost/include \
	  -o $@ tests/fuzz/fuzz_proto.c host/src/proto.c

.PHONY: fuzz-proto
fuzz-proto: $(FUZZ_PROTO)
	@rm -rf $(BUILD)/fuzz/corpus-proto && mkdir -p $(BUILD)/fuzz/corpus-proto
	@cp tests/fuzz/corpus-proto/* $(BUILD)/fuzz/corpus-proto/
	$(FUZZ_PROTO) -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus-proto

fuzz: fuzz-proto

# The per-frame path of `tapwatch analyze` (dissector, detector, EVE writer) on arbitrary frames; seeds in
# tests/fuzz/corpus-frame (byte 0: parser settings, then 2-byte-length-prefixed frames, see tests/fuzz/fuzz_frame.c).
FUZZ_FRAME := $(BUILD)/fuzz/fuzz_frame
FUZZ_FRAME_SRCS := tests/fuzz/fuzz_frame.c $(filter-out host/src/dev%.c,$(LIB_SRCS))
$(FUZZ_FRAME): $(FUZZ_FRAME_SRCS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CWARN) $(FUZZ_FLAGS) -Ihost/include \
	  $(PKG_CFLAGS) -o $@ $(FUZZ_FRAME_SRCS) $(HOST_LIBS)

.PHONY: fuzz-frame
fuzz-frame: $(FUZZ_FRAME)
	@rm -rf $(BUILD)/fuzz/corpus-frame && mkdir -p $(BUILD)/fuzz/corpus-frame
	@cp tests/fuzz/corpus-frame/* $(BUILD)/fuzz/corpus-frame/
	$(FUZZ_FRAME) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -rss_limit_mb=2048 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus-frame

fuzz: fuzz-frame

# test_rules_cli compiles host/cli/cmd_rules.c into itself: rebuild it when the subcommand changes.
$(BUILD)/tests/host/test_rules_cli: host/cli/cmd_rules.c host/cli/cli.h
