# tests/fuzz: libFuzzer targets (clang), run for a bounded time by `make fuzz` (FUZZ_SECONDS each, default 60).
# The rule target compiles the parser, compiler and image sources directly with clang's fuzzer and sanitizers.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CWARN) $(FUZZ_FLAGS) -Ihost/include
# $(call fuzz_run,BINARY,NAME,MAX_LEN): runs a target for FUZZ_SECONDS over a copy of its committed seeds
# (tests/fuzz/corpus-NAME), so that what the fuzzer finds stays in build/.
define fuzz_run
@rm -rf $(BUILD)/fuzz/corpus-$(2) && mkdir -p $(BUILD)/fuzz/corpus-$(2) && cp tests/fuzz/corpus-$(2)/* $(BUILD)/fuzz/corpus-$(2)/
$(1) -max_total_time=$(FUZZ_SECONDS) -max_len=$(3) -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus-$(2)
endef
FUZZ_RULES_SRCS := tests/fuzz/fuzz_rules.c host/src/config.c host/src/rules.c host/src/rules_expr.c host/src/oui.c \
                   host/src/compile.c host/src/tables.c host/src/error.c host/src/meta.c
FUZZ_RULES   := $(BUILD)/fuzz/fuzz_rules

$(FUZZ_RULES): $(FUZZ_RULES_SRCS) $(HOST_HDRS) host/src/rules_int.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_RULES_SRCS) -lyaml

.PHONY: fuzz-rules
fuzz-rules: $(FUZZ_RULES)
	$(call fuzz_run,$(FUZZ_RULES),rules,65536)

fuzz: fuzz-rules

# The link protocol's host decoder (host/src/proto.c); seeds in tests/fuzz/corpus-proto (first byte: chunk size and
# direction, see tests/fuzz/fuzz_proto.c).
FUZZ_PROTO := $(BUILD)/fuzz/fuzz_proto
$(FUZZ_PROTO): tests/fuzz/fuzz_proto.c host/src/proto.c host/include/tapwatch/proto.h host/include/tapwatch/tw_protocol.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_proto.c host/src/proto.c

.PHONY: fuzz-proto
fuzz-proto: $(FUZZ_PROTO)
	$(call fuzz_run,$(FUZZ_PROTO),proto,8192)

fuzz: fuzz-proto

# The per-frame path of `tapwatch analyze` (dissector, detector, EVE writer) on arbitrary frames; seeds in
# tests/fuzz/corpus-frame (byte 0: parser settings, then 2-byte-length-prefixed frames, see tests/fuzz/fuzz_frame.c).
FUZZ_FRAME := $(BUILD)/fuzz/fuzz_frame
FUZZ_FRAME_SRCS := tests/fuzz/fuzz_frame.c $(filter-out host/src/dev%.c,$(LIB_SRCS))
$(FUZZ_FRAME): $(FUZZ_FRAME_SRCS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $(FUZZ_FRAME_SRCS) $(HOST_LIBS)

.PHONY: fuzz-frame
fuzz-frame: $(FUZZ_FRAME)
	$(call fuzz_run,$(FUZZ_FRAME),frame,16384)

fuzz: fuzz-frame

# test_rules_cli compiles host/cli/cmd_rules.c into itself: rebuild it when the subcommand changes.
$(BUILD)/tests/host/test_rules_cli: host/cli/cmd_rules.c host/cli/cli.h
