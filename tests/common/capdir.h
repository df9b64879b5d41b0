/* The capture files under a folder (the shared corpus, the generated captures): every regular file
 * named *.pcap,
 * *.pcapng or *.cap below dir, symbolic links not followed, sorted by path so runs are repeatable.
 */
#ifndef TAPWATCH_TEST_CAPDIR_H
#define TAPWATCH_TEST_CAPDIR_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

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
/* path opened for reading with nanosecond timestamps if it is an Ethernet capture; else NULL, and the file counted
 * in *bad (unreadable) or *other (another link type); either counter may be NULL. */
pcap_t *twt_capdir_open_eth(const char *path, uint64_t *bad, uint64_t *other);

#ifdef __cplusplus
}
#endif

#endif
