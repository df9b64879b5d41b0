/* A software tapwatch device for host tests: a thread serving `tapwatch-sim serve`'s socket protocol (the raw
 * device byte streams on a Unix socket) with the framed protocol of docs/protocol.md: registers (identity,
 * capabilities, scratch, time, link statistics, an external window), table writes, commits, time set and counter
 * snapshots, plus records and raw bytes the test queues. Knobs make it misbehave: mute (never answers), stale (first
 * a frame the host must not take for the answer: 1 an older cmd_seq, 2 this cmd_seq but another command type, 3 a
 * counter snapshot with this cmd_seq), hang up; no_cap_pfx_iv makes it an older device without REG_CAP_PFX_IV,
 * no_cap_geom one without the geometry registers (REG_CAP_FLOW_GEOM .. REG_CAP_HDR_BYTES).
 * Header-only (static functions) so each test includes it. */
#ifndef TW_FAKEDEV_H
#define TW_FAKEDEV_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tapwatch/proto.h"

struct fakedev {
    char path[108];
    int lfd, cfd;
    pthread_t th;
    pthread_mutex_t mu;
    volatile int quit;
    /* state */
    uint32_t regs[0x1000];
    uint64_t cnt[2048];
    unsigned ncnt; /* counters served: 0..ncnt-1 (default 128; the device top has 2048) */
    uint16_t seq;
    uint64_t tbl_words, tbl_frames;
    uint8_t tbl_last_id;
    uint32_t tbl_first_index, commits, last_commit;
    uint32_t *tbl_log; /* every table word: (id << 24 | addr) then data, pairs */
    size_t tbl_n, tbl_cap;
    /* REG_CONTROL's flush bit (CTRL_FLUSH): its 0 -> 1 transitions; REG_STATUS bit 2 (flush running) then reads 1
     * for flush_reads more reads */
    unsigned flush_edges, flush_reads, flush_left;
    /* when nonzero: the flush_fail_at-th REG_STATUS read after a flush edge is refused (status BAD_ADDR) */
    unsigned flush_fail_at, flush_status_reads;
    /* knobs */
    int mute, stale, hangup;
    /* REG_CAP_PFX_IV (regs[7], 0 by default: the prefix table) unmapped, as in RTL from before it (BAD_ADDR) */
    int no_cap_pfx_iv;
    /* REG_CAP_FLOW_GEOM .. REG_CAP_HDR_BYTES (regs[8..11], 0 by default: no detection) unmapped (BAD_ADDR) */
    int no_cap_geom;
    /* bytes waiting to go to the host */
    uint8_t *out;
    size_t out_len, out_cap;
    struct tw_proto_dec *dec;
};

static void fd_put(struct fakedev *f, const uint8_t *p, size_t n)
{
    if (f->out_len + n > f->out_cap) {
        size_t cap = f->out_cap ? f->out_cap : 65536;
        while (cap < f->out_len + n)
            cap *= 2;
        uint8_t *nb = realloc(f->out, cap);
        if (!nb)
            abort();
        f->out = nb;
        f->out_cap = cap;
    }
    memcpy(f->out + f->out_len, p, n);
    f->out_len += n;
}

/* Queues raw bytes / one record frame for the host (takes the next device sequence number). */
static inline void fakedev_raw(struct fakedev *f, const uint8_t *p, size_t n)
{
    pthread_mutex_lock(&f->mu);
    fd_put(f, p, n);
    pthread_mutex_unlock(&f->mu);
}

static inline void fakedev_record(struct fakedev *f, uint8_t type, const uint8_t *rec, size_t len)
{
    uint8_t b[TW_PROTO_MAX_FRAME];
    pthread_mutex_lock(&f->mu);
    int n = tw_proto_enc_record(type, f->seq++, rec, len, b, sizeof b);
    if (n > 0)
        fd_put(f, b, (size_t)n);
    pthread_mutex_unlock(&f->mu);
}

static inline void fakedev_error(struct fakedev *f, uint8_t code, uint32_t count, uint32_t total)
{
    uint8_t b[64];
    pthread_mutex_lock(&f->mu);
    int n = tw_proto_enc_error(f->seq++, code, count, total, b, sizeof b);
    if (n > 0)
        fd_put(f, b, (size_t)n);
    pthread_mutex_unlock(&f->mu);
}

static int fd_ro(unsigned a)
{
    return a <= TW_REG_CAP_HDR_BYTES || a == TW_REG_STATUS || a == TW_REG_TIME_LO || a == TW_REG_TIME_HI ||
           (a >= TW_REG_LINK_RX_FRAMES && a <= TW_REG_LINK_RX_TMO);
}

static int fd_mapped(const struct fakedev *f, unsigned a)
{
    if (a == TW_REG_CAP_PFX_IV)
        return !f->no_cap_pfx_iv;
    if (a >= TW_REG_CAP_FLOW_GEOM && a <= TW_REG_CAP_HDR_BYTES)
        return !f->no_cap_geom;
    return a <= TW_REG_CAP_CNT || (a >= TW_REG_CONTROL && a <= TW_REG_TIME_HI && a != 0x13) ||
           (a >= TW_REG_LINK_RX_FRAMES && a <= TW_REG_LINK_RX_TMO) || (a >= TW_REG_EXT_BASE && a <= TW_REG_EXT_END);
}

static void fd_resp(struct fakedev *f, uint8_t type, uint8_t st, uint16_t cseq, uint16_t addr, const uint32_t *v,
                    uint16_t n)
{
    uint8_t b[TW_PROTO_MAX_FRAME];
    int k = tw_proto_enc_resp(f->seq++, type, st, cseq, addr, v, n, b, sizeof b);
    if (k > 0)
        fd_put(f, b, (size_t)k);
}

static void fd_command(struct fakedev *f, const struct tw_proto_frame *fr)
{
    struct tw_proto_cmd c;
    int rc = tw_proto_parse_cmd(fr, &c);
    if (f->mute)
        return;
    if (f->stale == 1) /* an answer to an older command first */
        fd_resp(f, fr->type, TW_ST_OK, (uint16_t)(fr->seq - 7), 0, NULL, 0);
    if (f->stale == 2) /* an answer with this command's sequence number but another command's type */
        fd_resp(f, fr->type == TW_CMD_COMMIT ? TW_CMD_TIME_SET : TW_CMD_COMMIT, TW_ST_OK, fr->seq, 0, NULL, 0);
    if (f->stale == 3 && fr->type != TW_CMD_CNT_SNAPSHOT) { /* a counter snapshot with this sequence number */
        uint8_t b[256];
        uint64_t z = 0;
        int k = tw_proto_enc_counters(f->seq++, fr->seq, 0, 0, &z, 1, b, sizeof b);
        if (k > 0)
            fd_put(f, b, (size_t)k);
    }
    if (rc == TW_PROTO_EBADLEN) {
        fd_resp(f, fr->type, TW_ST_BAD_LEN, fr->seq, 0, NULL, 0);
        return;
    }
    if (rc) {
        fd_resp(f, fr->type, TW_ST_BAD_COUNT, fr->seq, 0, NULL, 0);
        return;
    }
    switch (c.type) {
    case TW_CMD_REG_READ:
    case TW_CMD_REG_WRITE: {
        for (unsigned i = 0; i < c.count; i++)
            if (!fd_mapped(f, c.addr + i) || (c.type == TW_CMD_REG_WRITE && fd_ro(c.addr + i))) {
                fd_resp(f, c.type, TW_ST_BAD_ADDR, fr->seq, c.addr, NULL, 0);
                return;
            }
        uint32_t v[TW_PROTO_MAX_REGS];
        for (unsigned i = 0; i < c.count; i++) {
            unsigned a = c.addr + i;
            uint32_t old = f->regs[a];
            if (c.type == TW_CMD_REG_WRITE)
                f->regs[a] = (uint32_t)c.data[4 * i] | (uint32_t)c.data[4 * i + 1] << 8 |
                             (uint32_t)c.data[4 * i + 2] << 16 | (uint32_t)c.data[4 * i + 3] << 24;
            if (c.type == TW_CMD_REG_WRITE && a == TW_REG_CONTROL && !(old & TW_CTRL_FLUSH) &&
                (f->regs[a] & TW_CTRL_FLUSH)) {
                f->flush_edges++;
                f->flush_left = f->flush_reads;
                f->flush_status_reads = 0;
            }
            if (c.type == TW_CMD_REG_READ && a == TW_REG_STATUS && f->flush_fail_at && f->flush_edges &&
                ++f->flush_status_reads == f->flush_fail_at) {
                fd_resp(f, c.type, TW_ST_BAD_ADDR, fr->seq, c.addr, NULL, 0);
                return;
            }
            v[i] = f->regs[a];
            if (c.type == TW_CMD_REG_READ && a == TW_REG_STATUS && f->flush_left) {
                v[i] |= 4;
                f->flush_left--;
            }
        }
        fd_resp(f, c.type, TW_ST_OK, fr->seq, c.addr, v, c.type == TW_CMD_REG_READ ? c.count : 0);
        return;
    }
    case TW_CMD_TABLE_WRITE:
        for (unsigned i = 0; i < c.count; i++) {
            if (f->tbl_n + 2 > f->tbl_cap) {
                f->tbl_cap = f->tbl_cap ? 2 * f->tbl_cap : 4096;
                f->tbl_log = realloc(f->tbl_log, f->tbl_cap * sizeof *f->tbl_log);
                if (!f->tbl_log)
                    abort();
            }
            f->tbl_log[f->tbl_n++] = (uint32_t)c.table << 24 | (uint32_t)(c.addr + i);
            f->tbl_log[f->tbl_n++] = (uint32_t)c.data[4 * i] | (uint32_t)c.data[4 * i + 1] << 8 |
                                     (uint32_t)c.data[4 * i + 2] << 16 | (uint32_t)c.data[4 * i + 3] << 24;
        }
        f->tbl_words += c.count;
        f->tbl_frames++;
        fd_resp(f, c.type, TW_ST_OK, fr->seq, c.addr, NULL, 0);
        return;
    case TW_CMD_COMMIT:
        f->commits++;
        f->last_commit = c.mask;
        fd_resp(f, c.type, TW_ST_OK, fr->seq, 0, NULL, 0);
        return;
    case TW_CMD_TIME_SET:
        f->regs[TW_REG_TIME_LO] = (uint32_t)c.time_ns;
        f->regs[TW_REG_TIME_HI] = (uint32_t)(c.time_ns >> 32);
        fd_resp(f, c.type, TW_ST_OK, fr->seq, 0, NULL, 0);
        return;
    case TW_CMD_CNT_SNAPSHOT: {
        if (c.addr + c.count > f->ncnt) {
            fd_resp(f, c.type, TW_ST_BAD_ADDR, fr->seq, c.addr, NULL, 0);
            return;
        }
        uint8_t b[TW_PROTO_MAX_FRAME];
        uint64_t t = f->regs[TW_REG_TIME_LO] | (uint64_t)f->regs[TW_REG_TIME_HI] << 32;
        int k = tw_proto_enc_counters(f->seq++, fr->seq, c.addr, t, f->cnt + c.addr, c.count, b, sizeof b);
        if (k > 0)
            fd_put(f, b, (size_t)k);
        return;
    }
    }
}

static void *fd_thread(void *arg)
{
    struct fakedev *f = arg;
    uint8_t buf[8192];
    while (!f->quit) {
        struct pollfd p[1];
        pthread_mutex_lock(&f->mu);
        if (f->hangup && f->cfd >= 0) {
            close(f->cfd);
            f->cfd = -1;
            f->hangup = 0;
        }
        pthread_mutex_unlock(&f->mu);
        int cfd = f->cfd;
        p[0].fd = cfd >= 0 ? cfd : f->lfd;
        p[0].events = POLLIN;
        pthread_mutex_lock(&f->mu);
        if (cfd >= 0 && f->out_len)
            p[0].events |= POLLOUT;
        pthread_mutex_unlock(&f->mu);
        if (poll(p, 1, 5) <= 0)
            continue;
        if (cfd < 0) {
            f->cfd = accept(f->lfd, NULL, NULL);
            continue;
        }
        pthread_mutex_lock(&f->mu);
        if (p[0].revents & POLLIN) {
            ssize_t n = recv(cfd, buf, sizeof buf, MSG_DONTWAIT);
            if (n <= 0) {
                close(f->cfd);
                f->cfd = -1;
                tw_proto_dec_reset(f->dec);
                pthread_mutex_unlock(&f->mu);
                continue;
            }
            tw_proto_dec_push(f->dec, buf, (size_t)n);
            struct tw_proto_frame fr;
            while (tw_proto_dec_next(f->dec, &fr) == 1)
                fd_command(f, &fr);
        }
        if (f->out_len) {
            ssize_t n = send(cfd, f->out, f->out_len, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0) {
                memmove(f->out, f->out + n, f->out_len - (size_t)n);
                f->out_len -= (size_t)n;
            }
        }
        pthread_mutex_unlock(&f->mu);
    }
    return NULL;
}

static inline struct fakedev *fakedev_start(void)
{
    struct fakedev *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    pthread_mutex_init(&f->mu, NULL);
    snprintf(f->path, sizeof f->path, "/tmp/tw-fakedev-%d-%p.sock", (int)getpid(), (void *)f);
    unlink(f->path);
    f->cfd = -1;
    f->regs[TW_REG_MAGIC] = TW_REG_MAGIC_VALUE;
    f->regs[TW_REG_VERSION] = TW_PROTO_VERSION | 3u << 16;
    f->regs[TW_REG_CAP_RULES] = 256;
    f->regs[TW_REG_CAP_FLOWS] = 4096;
    f->regs[TW_REG_CAP_DATAPATH] = 64;
    f->regs[TW_REG_CAP_CLK_MHZ] = 125;
    f->regs[TW_REG_CAP_CNT] = 32;
    f->ncnt = 128;
    for (unsigned i = 0; i < 2048; i++)
        f->cnt[i] = 1000u * i + 1;
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, f->path, strlen(f->path) + 1);
    f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&a, sizeof a) || listen(f->lfd, 4) ||
        tw_proto_dec_new(&f->dec, TW_PROTO_HOST_TO_DEV) || pthread_create(&f->th, NULL, fd_thread, f)) {
        if (f->lfd >= 0)
            close(f->lfd);
        tw_proto_dec_free(f->dec);
        free(f);
        return NULL;
    }
    return f;
}

static inline void fakedev_stop(struct fakedev *f)
{
    if (!f)
        return;
    f->quit = 1;
    pthread_join(f->th, NULL);
    if (f->cfd >= 0)
        close(f->cfd);
    close(f->lfd);
    unlink(f->path);
    tw_proto_dec_free(f->dec);
    free(f->out);
    free(f->tbl_log);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

/* "sim:PATH" of the device. */
static inline const char *fakedev_spec(struct fakedev *f, char *buf, size_t n)
{
    snprintf(buf, n, "sim:%s", f->path);
    return buf;
}

#endif
