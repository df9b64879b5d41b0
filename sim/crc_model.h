/* C API over the Verilated sim/tw_crc_pair.v: the RTL's CRC function (rtl/tw_crc32_fn.vh) and the bit-serial
 * definition (rtl/tw_crc32_vec.v) at 320, 384 and 448 bits, for tests/sim/test_crc_fn.c. */
#ifndef TW_CRC_MODEL_H
#define TW_CRC_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tw_crcm;
struct tw_crcm *tw_crcm_new(void); /* NULL when out of memory */
void tw_crcm_free(struct tw_crcm *m);
/* The 56 bytes b (byte 0 first); out[k], k = 0..11: for 40, 48 and 56 bytes of b in turn: the function's CRC-32C,
 * its CRC-32, the definition's CRC-32C, its CRC-32. */
void tw_crcm_eval(struct tw_crcm *m, const uint8_t b[56], uint32_t out[12]);

#ifdef __cplusplus
}
#endif

#endif
