# The RTL's CRC function (rtl/tw_crc32_fn.vh) against the bit-serial definition (rtl/tw_crc32_vec.v) and the host's
# CRCs: sim/tw_crc_pair.v Verilated with a thin shim (sim/crc_model.*), tests/sim/test_crc_fn.c.
CRC_OBJDIR := $(BUILD)/crc/obj
CRC_TEST   := $(BUILD)/crc/test_crc_fn
CRC_SRCS   := rtl/tw_crc32_vec.v sim/tw_crc_fn_w.v sim/tw_crc_pair.v
TESTS += $(CRC_TEST)

$(CRC_OBJDIR)/.stamp: $(CRC_SRCS) rtl/tw_crc32_fn.vh sim/crc.mk
	@mkdir -p $(CRC_OBJDIR)
	$(VL_START)
	$(VERILATOR) --cc -O3 -Wall --top-module tw_crc_pair --Mdir $(CRC_OBJDIR) -Irtl $(CRC_SRCS) --build -j 2 \
	  -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2"
	$(MAKE) -s -C $(CRC_OBJDIR) -f Vtw_crc_pair.mk verilated.o verilated_threads.o OPT_GLOBAL=-O2
	$(VL_DONE)
$(BUILD)/crc/crc_model.o: sim/crc_model.cpp sim/crc_model.h $(CRC_OBJDIR)/.stamp
	$(CXX) $(ENG_CXXFLAGS) -I$(CRC_OBJDIR) -c $< -o $@
$(BUILD)/crc/test_crc_fn.o: tests/sim/test_crc_fn.c sim/crc_model.h host/src/detect_int.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Isim -Ihost/src -c $< -o $@
$(CRC_TEST): $(BUILD)/crc/test_crc_fn.o $(BUILD)/crc/crc_model.o $(CRC_OBJDIR)/.stamp $(BUILD)/libtapwatch.a
	$(CXX) -o $@ $< $(BUILD)/crc/crc_model.o $(CRC_OBJDIR)/Vtw_crc_pair__ALL.a $(CRC_OBJDIR)/verilated.o \
	  $(CRC_OBJDIR)/verilated_threads.o $(BUILD)/libtapwatch.a -lcmocka $(HOST_LIBS) -pthread
