# host/: libtapwatch (every host/src/*.c), the tapwatch CLI (host/cli/*.c), host unit tests (tests/host/test_*.c).
HOST_LIBS  := $(shell pkg-config --libs libpcap yaml-0.1 libusb-1.0 2>/dev/null || echo -lpcap -lyaml -lusb-1.0) -lm -lpthread
LIB_SRCS   := $(wildcard host/src/*.c)
LIB_OBJS   := $(patsubst host/src/%.c,$(BUILD)/host/%.o,$(LIB_SRCS))
LIB_SOBJS  := $(patsubst host/src/%.c,$(BUILD)/host-san/%.o,$(LIB_SRCS))
LIBTW      := $(BUILD)/libtapwatch.a
LIBTW_SAN  := $(BUILD)/libtapwatch-san.a
CLI_SRCS   := $(wildcard host/cli/*.c)
CLI_OBJS   := $(patsubst host/cli/%.c,$(BUILD)/cli/%.o,$(CLI_SRCS))
TAPWATCH   := $(BUILD)/tapwatch
HOST_TEST_SRCS := $(wildcard tests/host/test_*.c)
HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/tests/host/%,$(HOST_TEST_SRCS))
HOST_HDRS  := $(wildcard host/include/tapwatch/*.h host/src/*.h)

TESTS += $(HOST_TESTS)
all: $(LIBTW) $(TAPWATCH)

$(BUILD)/host/%.o: host/src/%.c $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -fPIC -c $< -o $@
$(BUILD)/host-san/%.o: host/src/%.c $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) $(SAN_FLAGS) -c $< -o $@
$(LIBTW): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(LIBTW_SAN): $(LIB_SOBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(BUILD)/cli/%.o: host/cli/%.c $(HOST_HDRS) $(wildcard host/cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -c $< -o $@
$(TAPWATCH): $(CLI_OBJS) $(LIBTW)
	$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJS) $(LIBTW) $(HOST_LIBS)
# Host unit tests: cmocka, linked against the sanitizer build of the library.
$(BUILD)/tests/host/%: tests/host/%.c $(LIBTW_SAN) $(HOST_HDRS) $(wildcard tests/host/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) $(SAN_FLAGS) -Itests/host -Itests/common -o $@ $< $(TEST_COMMON_SAN) $(LIBTW_SAN) -lcmocka $(HOST_LIBS) $(TEST_LDFLAGS)
# test_analyze makes allocations fail one by one (test_allocation_failures): the library's allocations go through
# the wrappers of tests/common/failalloc.h
$(BUILD)/tests/host/test_analyze: TEST_LDFLAGS = $(FAILALLOC_LDFLAGS)
$(BUILD)/tests/host/test_analyze: tests/common/failalloc.h
# test_dev_oom and test_proto_oom do the same to a whole device session and to the protocol decoder
# (tests/common/failalloc.h)
$(BUILD)/tests/host/test_dev_oom: TEST_LDFLAGS = $(FAILALLOC_LDFLAGS)
$(BUILD)/tests/host/test_dev_oom: tests/common/failalloc.h
$(BUILD)/tests/host/test_proto_oom: TEST_LDFLAGS = $(FAILALLOC_LDFLAGS)
$(BUILD)/tests/host/test_proto_oom: tests/common/failalloc.h
# test_config_oom: configuration, rules, compiler and image codec with every allocation failing in turn
$(BUILD)/tests/host/test_config_oom: TEST_LDFLAGS = $(FAILALLOC_LDFLAGS)
$(BUILD)/tests/host/test_config_oom: tests/common/failalloc.h
# test_usb_rbuf compiles host/src/dev_usb.c into itself (its static read buffer) and fails one of its growths
$(BUILD)/tests/host/test_usb_rbuf: TEST_LDFLAGS = $(FAILALLOC_LDFLAGS)
$(BUILD)/tests/host/test_usb_rbuf: tests/common/failalloc.h host/src/dev_usb.c host/src/dev_int.h

# The device CLI test runs the whole CLI in-process: host/cli/ built with sanitizers, main renamed tapwatch_main.
CLI_SOBJS := $(patsubst host/cli/%.c,$(BUILD)/cli-san/%.o,$(CLI_SRCS))
$(BUILD)/cli-san/%.o: host/cli/%.c $(HOST_HDRS) $(wildcard host/cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) $(SAN_FLAGS) -Dmain=tapwatch_main -c $< -o $@
$(BUILD)/tests/host/test_dev_cli: tests/host/test_dev_cli.c $(CLI_SOBJS) $(LIBTW_SAN) $(HOST_HDRS) $(wildcard tests/host/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) $(SAN_FLAGS) -Itests/host -o $@ $< $(CLI_SOBJS) $(LIBTW_SAN) -lcmocka $(HOST_LIBS)

# `make install` (PREFIX, DESTDIR, UDEVDIR): the library, its headers, a pkg-config file, the CLI and the udev rule.
PREFIX  ?= /usr/local
DESTDIR ?=
UDEVDIR ?= /etc/udev/rules.d
.PHONY: install uninstall
install: $(LIBTW) $(TAPWATCH)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/tapwatch \
	  $(DESTDIR)$(UDEVDIR)
	install -m 755 $(TAPWATCH) $(DESTDIR)$(PREFIX)/bin/tapwatch
	install -m 644 $(LIBTW) $(DESTDIR)$(PREFIX)/lib/libtapwatch.a
	install -m 644 host/include/tapwatch/*.h $(DESTDIR)$(PREFIX)/include/tapwatch/
	install -m 644 packaging/99-tapwatch.rules $(DESTDIR)$(UDEVDIR)/99-tapwatch.rules
	printf 'prefix=%s\nlibdir=$${prefix}/lib\nincludedir=$${prefix}/include\n\nName: tapwatch\nDescription: tapwatch host library (device API, rule compiler, reference detector)\nVersion: 1.0\nRequires.private: libusb-1.0 libpcap yaml-0.1\nLibs: -L$${libdir} -ltapwatch\nLibs.private: -lm -lpthread\nCflags: -I$${includedir}\n' \
	  '$(PREFIX)' > $(DESTDIR)$(PREFIX)/lib/pkgconfig/tapwatch.pc
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tapwatch $(DESTDIR)$(PREFIX)/lib/libtapwatch.a \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/tapwatch.pc $(DESTDIR)$(UDEVDIR)/99-tapwatch.rules
	rm -rf $(DESTDIR)$(PREFIX)/include/tapwatch
