/* The `sim:` backend: a Unix stream socket to `tapwatch-sim serve`, which carries the chip's two byte streams
 * (host -> device commands, device -> host frames) without FTDI status bytes. EOF or a reset means the simulated
 * device went away (TW_ERR_NODEV). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dev_int.h"

struct sim {
    int fd;
};

static int sim_wait(int fd, short ev, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = ev};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return TW_ERR_IO;
        if (r == 0)
            return 0;
        return 1;
    }
}

static int sim_write(void *ctx, const uint8_t *p, size_t n, int timeout_ms)
{
    struct sim *s = ctx;
    int64_t deadline = tw_dev_now_ms() + timeout_ms;
    while (n) {
        ssize_t w = send(s->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN))
            return TW_ERR_NODEV;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return TW_ERR_IO;
        int64_t left = deadline - tw_dev_now_ms();
        if (left <= 0)
            return TW_ERR_TIMEOUT;
        int r = sim_wait(s->fd, POLLOUT, (int)left);
        if (r < 0)
            return r;
    }
    return 0;
}

static int sim_read(void *ctx, uint8_t *p, size_t cap, int timeout_ms)
{
    struct sim *s = ctx;
    int r = sim_wait(s->fd, POLLIN, timeout_ms);
    if (r <= 0)
        return r;
    for (;;) {
        ssize_t n = recv(s->fd, p, cap, MSG_DONTWAIT);
        if (n > 0)
            return (int)n;
        if (n == 0)
            return TW_ERR_NODEV;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return errno == ECONNRESET ? TW_ERR_NODEV : TW_ERR_IO;
    }
}

static void sim_close(void *ctx)
{
    struct sim *s = ctx;
    if (!s)
        return;
    close(s->fd);
    free(s);
}

int tw_dev_sim_open(const char *path, struct tw_dev_ops *ops, void **ctx, char **name)
{
    struct sockaddr_un a;
    if (!path || !*path || strlen(path) >= sizeof a.sun_path)
        return TW_ERR_INVAL;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, path, strlen(path) + 1);
    struct sim *s = malloc(sizeof *s);
    size_t nl = strlen(path) + 5;
    char *nm = malloc(nl);
    if (!s || !nm) {
        free(s);
        free(nm);
        return TW_ERR_NOMEM;
    }
    s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->fd < 0) {
        free(s);
        free(nm);
        return TW_ERR_IO;
    }
    if (connect(s->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s->fd);
        free(s);
        free(nm);
        return TW_ERR_NODEV;
    }
    snprintf(nm, nl, "sim %s", path);
    ops->write = sim_write;
    ops->read = sim_read;
    ops->close = sim_close;
    *ctx = s;
    *name = nm;
    return 0;
}
