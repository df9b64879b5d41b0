/* Capture files under a folder, sorted (capdir.h). A recursive readdir walk with lstat: nftw has no
 * user pointer. */
#include "capdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct acc {
    char **paths;
    size_t n, cap;
};

static int is_capture(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcmp(dot, ".pcap") || !strcmp(dot, ".pcapng") || !strcmp(dot, ".cap"));
}

static int add(struct acc *a, char *path)
{
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 256;
        char **np = realloc(a->paths, nc * sizeof *np);
        if (!np)
            return -ENOMEM;
        a->paths = np;
        a->cap = nc;
    }
    a->paths[a->n++] = path;
    return 0;
}

static int walk(const char *dir, struct acc *a, unsigned depth)
{
    if (depth > 64)
        return -ELOOP;
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
        char *p = malloc(len);
        if (!p) {
            rc = -ENOMEM;
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) != 0) {
            rc = -errno;
            free(p);
        } else if (S_ISDIR(sb.st_mode)) {
            rc = walk(p, a, depth + 1);
            free(p);
        } else if (S_ISREG(sb.st_mode) && is_capture(e->d_name)) {
            rc = add(a, p);
            if (rc)
                free(p);
        } else {
            free(p);
        }
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

int twt_capdir_list(const char *dir, struct twt_capdir *out)
{
    struct acc a = {NULL, 0, 0};
    out->paths = NULL;
    out->n = 0;
    int rc = walk(dir, &a, 0);
    if (rc) {
        struct twt_capdir tmp = {a.paths, a.n};
        twt_capdir_free(&tmp);
        return rc;
    }
    if (a.n)
        qsort(a.paths, a.n, sizeof *a.paths, cmp_str);
    out->paths = a.paths;
    out->n = a.n;
    return 0;
}

void twt_capdir_free(struct twt_capdir *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
    c->paths = NULL;
    c->n = 0;
}

pcap_t *twt_capdir_open_eth(const char *path, uint64_t *bad, uint64_t *other)
{
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, eb);
    if (!p) {
        if (bad)
            (*bad)++;
        return NULL;
    }
    if (pcap_datalink(p) != DLT_EN10MB) {
        if (other)
            (*other)++;
        pcap_close(p);
        return NULL;
    }
    return p;
}
