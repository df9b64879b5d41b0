/* The capture files under a folder (the shared corpus, the generated captures): every regular file
 * named *.pcap,
 * *.pcapng or *.cap below dir, symbolic links not followed, sorted by path so runs are repeatable.
 */
#ifndef TAPWATCH_TEST_CAPDIR_H
#define TAPWATCH_TEST_CAPDIR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct twt_capdir {
    char **paths;
    size_t n;
};

/* Fills *out (empty on error); 0, or -errno of the first folder or allocation that failed. */
int twt_capdir_list(const char *dir, struct twt_capdir *out);
void twt_capdir_free(struct twt_capdir *c);

#ifdef __cplusplus
}
#endif

#endif
