/* The analyzer's internals for its tests. */
#ifndef TAPWATCH_ANALYZE_INT_H
#define TAPWATCH_ANALYZE_INT_H

#include "tapwatch/detect.h"

/* on (the default): classic pcap files are read by the analyzer's direct reader (analyze.c: read_direct), libpcap
 * taking over at the first record it would treat otherwise; off: libpcap reads every file whole. */
void tw_analyze_direct_read(struct tw_analyze *a, int on);
/* How many records the direct reader has read. */
uint64_t tw_analyze_direct_frames(const struct tw_analyze *a);

#endif
