/* The configuration the whole-device tests (tests/sim/test_top.c, tests/boards/test_board.c) load,
 * and the compile step they share: a YAML configuration and a rules text, both in memory, to the
 * table image that the device is loaded with and the reference detector runs on. */
#ifndef TAPWATCH_TEST_DEV_RULES_H
#define TAPWATCH_TEST_DEV_RULES_H

#include <stddef.h>

#include "tapwatch/detect.h"
#include "tapwatch/tables.h"

#ifdef __cplusplus
extern "C" {
#endif

/* HOME_NET = 10.0.0.0/8 + 2001:db8::/32, MGMT = ports 22, 23, 161, vendor HW = OUI 00:e0:fc, 64
 * evidence bytes. */
extern const char TWT_DEV_CONFIG[];

/* Compiles CONFIG (named "<name>.yaml" in messages) and RULES ("<name>.rules"); NULL with the
 * message in err. */
struct tw_tables *twt_compile(const char *config, const char *rules, const char *name, char *err,
                              size_t errlen);

/* What the reference detector gave for a run, in its order: a tw_detect_sink with twt_ref_alert /
 * twt_ref_flow and the struct as ctx. The alerts' `m` point at the caller's records, which must
 * outlive the comparison. A failed allocation drops the item and sets oom (tests assert it is 0).
 */
struct twt_ref {
    struct tw_det_alert *a;
    size_t n, cap;
    struct tw_flow_rec *f;
    size_t nf, capf;
    int oom;
};
void twt_ref_alert(void *ctx, const struct tw_det_alert *a);
void twt_ref_flow(void *ctx, const struct tw_flow_rec *f);
void twt_ref_free(struct twt_ref *r);

/* The reference detector the whole-device tests compare the device with: the parameters of the table image t
 * (tw_detect_params_default, then tw_detect_params_from_tables), then adjust(p) when adjust is not NULL (a
 * board's geometry), its alerts and flows collected into *ref (zeroed here). The detector keeps pointers to t
 * and ref (it copies the parameters and the sink): both must outlive it. Returns tw_detector_create's result:
 * 0, or a negative error with *out NULL. Free with tw_detector_destroy(*out), then twt_ref_free(ref). */
int twt_ref_create(struct tw_detector **out, struct twt_ref *ref, const struct tw_tables *t,
                   void (*adjust)(struct tw_detect_params *p));

#ifdef __cplusplus
}
#endif

#endif
