/* Allocation-failure injection for out-of-memory tests. The test binary is linked with
 *   -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc -Wl,--wrap=strdup -Wl,--wrap=free
 * and includes this header in exactly one of its files (it defines the __wrap_ functions). While armed, the
 * allocations made by the arming thread are numbered from 1 and the k-th one fails (k = 0: none); other threads
 * (a simulated device's, say) are never counted. The blocks those allocations return are tracked until freed, so a
 * test without ASan (one under a preload) still sees a leak: failalloc_live() after the session. */
#ifndef TW_FAILALLOC_H
#define TW_FAILALLOC_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define FAILALLOC_MAX_LIVE 256

static struct {
    pthread_t thread;
    int armed;
    unsigned long count, fail_at;
    void *live[FAILALLOC_MAX_LIVE];
    unsigned n_live, overflow;
} failalloc;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
void __wrap_free(void *p);

/* Starts a session: counting from 0, the k-th allocation of this thread fails (k = 0: none), nothing tracked. */
static inline void failalloc_start(unsigned long k)
{
    failalloc.thread = pthread_self();
    failalloc.count = 0;
    failalloc.fail_at = k ? k : ~0ul;
    failalloc.n_live = failalloc.overflow = 0;
    failalloc.armed = 1;
}
/* Pauses / resumes counting (the test's own allocations in between are neither counted nor tracked). */
static inline void failalloc_pause(void)
{
    failalloc.armed = 0;
}
static inline void failalloc_resume(void)
{
    failalloc.armed = 1;
}
/* Allocations counted since failalloc_start. */
static inline unsigned long failalloc_count(void)
{
    return failalloc.count;
}
/* Blocks allocated while armed and not freed since. */
static inline unsigned failalloc_live(void)
{
    return failalloc.n_live + failalloc.overflow;
}

static inline int failalloc_counted(void)
{
    return failalloc.armed && pthread_equal(pthread_self(), failalloc.thread);
}
static inline int failalloc_fails(void)
{
    return failalloc_counted() && ++failalloc.count == failalloc.fail_at;
}
static inline void failalloc_track(void *p)
{
    if (!p || !failalloc_counted())
        return;
    if (failalloc.n_live < FAILALLOC_MAX_LIVE)
        failalloc.live[failalloc.n_live++] = p;
    else
        failalloc.overflow++;
}
static inline void failalloc_untrack(void *p)
{
    if (!p || !pthread_equal(pthread_self(), failalloc.thread))
        return;
    for (unsigned i = 0; i < failalloc.n_live; i++)
        if (failalloc.live[i] == p) {
            failalloc.live[i] = failalloc.live[--failalloc.n_live];
            return;
        }
}

void *__wrap_malloc(size_t n)
{
    if (failalloc_fails())
        return NULL;
    void *p = __real_malloc(n);
    failalloc_track(p);
    return p;
}
void *__wrap_calloc(size_t n, size_t m)
{
    if (failalloc_fails())
        return NULL;
    void *p = __real_calloc(n, m);
    failalloc_track(p);
    return p;
}
void *__wrap_realloc(void *p, size_t n)
{
    if (failalloc_fails())
        return NULL;
    void *q = __real_realloc(p, n);
    if (q) {
        failalloc_untrack(p);
        failalloc_track(q);
    }
    return q;
}
char *__wrap_strdup(const char *s)
{
    if (failalloc_fails())
        return NULL;
    char *p = __real_strdup(s);
    failalloc_track(p);
    return p;
}
void __wrap_free(void *p)
{
    failalloc_untrack(p);
    __real_free(p);
}

#endif
