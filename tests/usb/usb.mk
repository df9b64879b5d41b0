# tests/usb: the real libusb backend (host/src/dev_usb.c) against a simulated FT2232H through umockdev, and the
# device library's fault-injection tests on the Verilated link. tests/usb/fakeftdi.c serves the chip to libusb;
# behind it a backend: the Verilated host link (rtl/tw_link_top.v behind sim/link_chip.c's FT2232H model,
# fakeftdi_link.c), built here with REC_BYTES = 252 so that a whole alert record (122 bytes + up to 128 evidence
# bytes) fits one record beat, for test_usb_umockdev and test_dev_link; or the whole device (sim/twdev.h over the
# Verilated tw_top that sim/top.mk builds, fakeftdi_twdev.c) for test_usb_device, which replays a short generated
# scenario over USB and compares with analyze (docs/host.md, docs/replay.md). Verilated code is built without
# sanitizers; the tests link the plain libtapwatch.a and run under the umockdev preload (tools/run-tests.sh runs
# them as is: each test re-executes itself under LD_PRELOAD=libumockdev-preload.so.0 when it is not there yet).
USB_OBJDIR   := $(BUILD)/usb/obj
USB_REC_BYTES := 252
USB_VFLAGS   := --cc -O3 --x-assign fast --x-initial fast --top-module $(LINK_TOP) -Wall -GERR_GAP=8192 \
                -GRX_TIMEOUT=4096 -GREC_BYTES=$(USB_REC_BYTES) \
                -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
USB_CXXFLAGS := $(LINK_CXXFLAGS) -DTW_LINK_REC_BYTES=$(USB_REC_BYTES)
USB_CFLAGS    = $(CFLAGS_ALL) -Isim -DTW_LINK_REC_BYTES=$(USB_REC_BYTES)
USB_VLIB     := $(USB_OBJDIR)/V$(LINK_TOP)__ALL.a
USB_VOBJS    := $(USB_OBJDIR)/verilated.o $(USB_OBJDIR)/verilated_threads.o
USB_LINK     := $(BUILD)/usb/link_model.o $(BUILD)/usb/link_chip.o $(FT_CHIP_OBJ) $(USB_VLIB) $(USB_VOBJS)
UMOCKDEV_CFLAGS = $(shell pkg-config --cflags umockdev-1.0 2>/dev/null)
UMOCKDEV_LIBS   = $(shell pkg-config --libs umockdev-1.0 2>/dev/null || echo -lumockdev -lgobject-2.0 -lglib-2.0)

# every object compiled with this file's flags (USB_REC_BYTES, the scenario paths) is rebuilt when it changes
USB_OBJS      := $(patsubst tests/usb/%.c,$(BUILD)/usb/%.o,$(wildcard tests/usb/*.c)) $(BUILD)/usb/link_model.o \
                 $(BUILD)/usb/link_chip.o $(BUILD)/usb/bench_dev_link.o
$(USB_OBJS): tests/usb/usb.mk
USB_TEST_SRCS := $(filter-out tests/usb/test_usb_device.c,$(wildcard tests/usb/test_*.c))
USB_TESTS     := $(patsubst tests/usb/%.c,$(BUILD)/usb/%,$(USB_TEST_SRCS))
USB_DEV_TEST  := $(BUILD)/usb/test_usb_device
TESTS += $(USB_TESTS) $(USB_DEV_TEST)

.PHONY: usb-tests
usb-tests: $(USB_TESTS) $(USB_DEV_TEST)

$(USB_OBJDIR)/.stamp: $(RTL_LINK_SRCS) rtl/gen/tw_protocol.vh rtl/gen/tw_regs.vh tests/usb/usb.mk
	@mkdir -p $(USB_OBJDIR)
	$(VERILATOR) $(USB_VFLAGS) --Mdir $(USB_OBJDIR) -Irtl/gen $(RTL_LINK_SRCS) --build -j 2
	$(MAKE) -s -C $(USB_OBJDIR) -f V$(LINK_TOP).mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	@touch $@
$(USB_VLIB) $(USB_VOBJS): $(USB_OBJDIR)/.stamp
	@true
$(BUILD)/usb/link_model.o: sim/link_model.cpp sim/link_model.h $(USB_OBJDIR)/.stamp
	@mkdir -p $(@D)
	$(CXX) $(USB_CXXFLAGS) -I$(USB_OBJDIR) -c $< -o $@
$(BUILD)/usb/link_chip.o: sim/link_chip.c $(LINK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USB_CFLAGS) -c $< -o $@
$(BUILD)/usb/%.o: tests/usb/%.c $(LINK_HDRS) $(HOST_HDRS) $(wildcard tests/usb/*.h) host/cli/replay_order.h
	@mkdir -p $(@D)
	$(CC) $(USB_CFLAGS) $(PKG_CFLAGS) $(UMOCKDEV_CFLAGS) -Itests/usb -c $< -o $@
$(BUILD)/usb/fakeftdi.o: tests/usb/fakeftdi.c $(LINK_HDRS) $(HOST_HDRS) tests/usb/fakeftdi.h
	@mkdir -p $(@D)
	$(CC) $(USB_CFLAGS) $(PKG_CFLAGS) $(UMOCKDEV_CFLAGS) -Itests/usb -c $< -o $@
$(BUILD)/usb/fakeftdi_link.o: tests/usb/fakeftdi_link.c $(LINK_HDRS) tests/usb/fakeftdi.h
	@mkdir -p $(@D)
	$(CC) $(USB_CFLAGS) -Itests/usb -c $< -o $@
$(USB_TESTS): $(BUILD)/usb/%: $(BUILD)/usb/%.o $(BUILD)/usb/fakeftdi.o $(BUILD)/usb/fakeftdi_link.o $(USB_LINK) $(LIBTW)
	$(CXX) -o $@ $< $(BUILD)/usb/fakeftdi.o $(BUILD)/usb/fakeftdi_link.o $(USB_LINK) $(LIBTW) -lcmocka \
	  $(UMOCKDEV_LIBS) $(HOST_LIBS) -pthread $(USB_TEST_LDFLAGS)
# test_usb_oom makes the library's allocations fail one by one and tracks its frees (tests/common/failalloc.h)
$(BUILD)/usb/test_usb_oom: USB_TEST_LDFLAGS = $(FAILALLOC_LDFLAGS)
$(BUILD)/usb/test_usb_oom.o: tests/common/failalloc.h tests/common/dev_oom.h
# test_usb_umockdev also runs the CLI binary over the simulated USB device
$(BUILD)/usb/test_usb_umockdev: $(TAPWATCH)

# test_usb_device: the whole device (the Verilated top of sim/top.mk: no model of its own) behind the chip, a short
# scenario (the bundled generator with every injected case, the GTP-U background 8 times sparser: 660 frames)
# replayed over USB and compared with `tapwatch analyze` (its binary) and the scenario's ground truth.
SCENARIO_USB := $(BUILD)/scenario-usb/backhaul.truth
$(SCENARIO_USB): tools/gen_scenario.py
	@mkdir -p $(@D)
	$(PYTHON) tools/gen_scenario.py --duration 26 --no-exfil --gtpu-gap 8 $(@D)
USB_DEV_CFLAGS = $(USB_CFLAGS) $(PKG_CFLAGS) $(UMOCKDEV_CFLAGS) -Itests/usb -DTW_USBDEV_SCENARIO='"$(BUILD)/scenario-usb"' \
                 -DTW_USBDEV_OUT='"$(BUILD)/test-usb-device"' -DTW_USBDEV_TAPWATCH='"$(TAPWATCH)"'
$(BUILD)/usb/fakeftdi_twdev.o: tests/usb/fakeftdi_twdev.c tests/usb/fakeftdi_twdev.h tests/usb/fakeftdi.h sim/twdev.h
	@mkdir -p $(@D)
	$(CC) $(USB_DEV_CFLAGS) -c $< -o $@
$(BUILD)/usb/test_usb_device.o: tests/usb/test_usb_device.c tests/usb/fakeftdi_twdev.h tests/usb/fakeftdi.h \
                                sim/twdev.h $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USB_DEV_CFLAGS) -c $< -o $@
$(USB_DEV_TEST): $(BUILD)/usb/test_usb_device.o $(BUILD)/usb/fakeftdi.o $(BUILD)/usb/fakeftdi_twdev.o $(TWDEV_LINK) \
                 $(LIBTW) $(TAPWATCH) $(SCENARIO_USB) tools/scenario_score.awk
	$(CXX) -o $@ $< $(BUILD)/usb/fakeftdi.o $(BUILD)/usb/fakeftdi_twdev.o $(TWDEV_LINK) $(LIBTW) -lcmocka \
	  $(UMOCKDEV_LIBS) $(HOST_LIBS) -pthread

# make bench rows of the device host path (tests/bench/bench_dev.c: alerts decoded + written as EVE per second on
# one core) and of the link with whole alert records (tests/bench/bench_dev_link.c, on this REC_BYTES=252 model).
BENCH_DEV      := $(BUILD)/bench/bench_dev
BENCH_DEV_LINK := $(BUILD)/bench/bench_dev_link
BENCHES += $(BENCH_DEV) $(BENCH_DEV_LINK)
$(BENCH_DEV): tests/bench/bench_dev.c $(LIBTW) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(LIBTW) $(HOST_LIBS)
$(BUILD)/usb/bench_dev_link.o: tests/bench/bench_dev_link.c $(LINK_HDRS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USB_CFLAGS) $(PKG_CFLAGS) -c $< -o $@
$(BENCH_DEV_LINK): $(BUILD)/usb/bench_dev_link.o $(USB_LINK) $(LIBTW)
	@mkdir -p $(@D)
	$(CXX) -o $@ $< $(USB_LINK) $(LIBTW) $(HOST_LIBS) -pthread

# libFuzzer target of the device layer's stream path (tests/fuzz/fuzz_dev.c), run by `make fuzz`; seeds in
# tests/fuzz/corpus-dev (first byte: read size - 1).
FUZZ_DEV := $(BUILD)/fuzz/fuzz_dev
$(FUZZ_DEV): tests/fuzz/fuzz_dev.c $(LIB_SRCS) $(HOST_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_dev.c $(LIB_SRCS) $(HOST_LIBS)
.PHONY: fuzz-dev
fuzz-dev: $(FUZZ_DEV)
	$(call fuzz_run,$(FUZZ_DEV),dev,8192)
fuzz: fuzz-dev
