/* tapwatch-sim serve: the simulated device (sim/twdev.h) on Unix stream sockets. docs/sim.md "serve".
 *
 *   PATH         the host link: bytes the client writes = bulk OUT data to the FT2232H; bytes it reads = the chip's
 *                IN stream without the modem-status bytes (what the `sim:` backend of libtapwatch speaks).
 *   PATH.frames  frame injection: messages of a 16-byte header {u8 type, u8 port, u16 0, u32 len, u64 ts_ns}
 *                (little-endian) + len frame bytes. type 1 = a frame for port 0 (A) / 1 (B); type 2 = end of input:
 *                once every frame went in, the flow table is flushed and, when the device is idle again, the
 *                server answers with one header of type 3 (done) whose ts_ns field = frames taken so far.
 * Frames from --pcap-a / --pcap-b are injected too (interleaved by timestamp; --speed pcap paces them by wall clock,
 * max as fast as the device takes them), followed by an end of input.
 * One client per socket at a time. The server ends on SIGTERM/SIGINT, or when the host-link client disconnects. */
#include "twdev_serve.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "twdev.h"

#define MAX_PENDING 64 /* frames queued in the device model at most (max speed) */

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void serve_usage(FILE *f)
{
    fprintf(f, "usage: tapwatch-sim serve --socket PATH [--pcap-a FILE] [--pcap-b FILE] [--speed max|pcap]\n"
               "  The simulated device (Verilated tw_top behind an FT2232H model) on the Unix socket PATH (host link\n"
               "  bytes, modem-status bytes stripped) and PATH.frames (frame injection, docs/sim.md).\n");
}

static int listen_on(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "tapwatch-sim serve: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(a.sun_path, path);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            fprintf(stderr, "tapwatch-sim serve: %s exists and is not a socket\n", path);
            return -1;
        }
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1) < 0) {
        fprintf(stderr, "tapwatch-sim serve: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

struct pfile {
    pcap_t *p;
    unsigned port;
    int have;
    struct pcap_pkthdr *h;
    const uint8_t *data;
};

static int pf_next(struct pfile *f)
{
    if (!f->p)
        return 0;
    int rc = pcap_next_ex(f->p, &f->h, &f->data);
    f->have = rc == 1;
    return rc == 1 || rc == -2 ? 0 : rc == 0 ? 0 : -1;
}

static uint64_t ts_of(const struct pcap_pkthdr *h, int nano)
{
    return (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * (nano ? 1u : 1000u);
}

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd q = {fd, POLLOUT, 0};
                poll(&q, 1, 100);
                if (stop_flag)
                    return -1;
                continue;
            }
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int twdev_serve_main(int argc, char **argv)
{
    const char *sock = NULL, *pa = NULL, *pb = NULL;
    int pace = 0;
    static const struct option lo[] = {{"socket", required_argument, NULL, 's'},
                                       {"pcap-a", required_argument, NULL, 'a'},
                                       {"pcap-b", required_argument, NULL, 'b'},
                                       {"speed", required_argument, NULL, 'v'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 's': sock = optarg; break;
        case 'a': pa = optarg; break;
        case 'b': pb = optarg; break;
        case 'v':
            if (!strcmp(optarg, "max"))
                pace = 0;
            else if (!strcmp(optarg, "pcap"))
                pace = 1;
            else {
                fprintf(stderr, "tapwatch-sim serve: --speed: '%s' must be max or pcap\n", optarg);
                return 1;
            }
            break;
        case 'h': serve_usage(stdout); return 0;
        default: serve_usage(stderr); return 1;
        }
    }
    if (!sock || optind != argc) {
        serve_usage(stderr);
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    int rc = 0;
    struct pfile pf[2] = {{NULL, 0, 0, NULL, NULL}, {NULL, 1, 0, NULL, NULL}};
    int nano[2] = {0, 0};
    const char *paths[2] = {pa, pb};
    char errbuf[PCAP_ERRBUF_SIZE];
    for (unsigned i = 0; i < 2; i++) {
        if (!paths[i])
            continue;
        pf[i].p = pcap_open_offline_with_tstamp_precision(paths[i], PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (!pf[i].p) {
            fprintf(stderr, "tapwatch-sim serve: %s: %s\n", paths[i], errbuf);
            rc = 2;
            goto out_pcap;
        }
        if (pcap_datalink(pf[i].p) != DLT_EN10MB) {
            fprintf(stderr, "tapwatch-sim serve: %s: not an Ethernet capture\n", paths[i]);
            rc = 2;
            goto out_pcap;
        }
        nano[i] = 1;
        if (pf_next(&pf[i]) < 0) {
            fprintf(stderr, "tapwatch-sim serve: %s: %s\n", paths[i], pcap_geterr(pf[i].p));
            rc = 2;
            goto out_pcap;
        }
    }

    char fpath[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
    snprintf(fpath, sizeof fpath, "%s.frames", sock);
    int lfd = listen_on(sock), ffd = lfd >= 0 ? listen_on(fpath) : -1;
    if (lfd < 0 || ffd < 0) {
        if (lfd >= 0) {
            close(lfd);
            unlink(sock);
        }
        rc = 1;
        goto out_pcap;
    }
    struct twdev_cfg cfg;
    twdev_cfg_default(&cfg);
    cfg.syncff = 1;
    cfg.latency_ms = 1;
    struct twdev *d = NULL;
    if (twdev_new(&d, &cfg) < 0) {
        fprintf(stderr, "tapwatch-sim serve: cannot create the device model\n");
        rc = 3;
        goto out_sock;
    }

    int cfd = -1, xfd = -1;
    int pcap_eoi = !(pf[0].have || pf[1].have); /* pcap input exhausted (or none) */
    int pcap_flushed = !pf[0].p && !pf[1].p;
    int eoi_wait = 0;                            /* a frames-socket client waits for "done" */
    int flush_wait = 0; /* end of input received: flush once the device is idle (every record through the flow
                         * table; a flush raised while the last records are in flight ends their flows first,
                         * and the last frame then starts a new flow that is never flushed) */
    uint64_t frames_taken = 0, t0_wall = 0, t0_pcap = 0;
    int t0_set = 0;
    uint8_t hdr[16];
    size_t hdr_n = 0, body_n = 0;
    uint8_t *body = malloc(TWDEV_MAX_FRAME);
    uint8_t buf[8192];
    if (!body) {
        rc = 3;
        goto out_dev;
    }
    fprintf(stderr, "tapwatch-sim serve: listening on %s and %s\n", sock, fpath);
    while (!stop_flag) {
        /* pcap frames */
        /* capture frames go in once a host is connected (else its records would only fill the link) */
        while (cfd >= 0 && (pf[0].have || pf[1].have) && twdev_frames_pending(d) < MAX_PENDING) {
            struct pfile *f = &pf[0];
            if (!pf[0].have || (pf[1].have && ts_of(pf[1].h, nano[1]) < ts_of(pf[0].h, nano[0])))
                f = &pf[1];
            uint64_t ts = ts_of(f->h, nano[f->port]);
            if (pace) {
                if (!t0_set) {
                    t0_set = 1;
                    t0_wall = now_ns();
                    t0_pcap = ts;
                }
                if (ts > t0_pcap && ts - t0_pcap > now_ns() - t0_wall)
                    break;
            }
            size_t len = f->h->caplen > TWDEV_MAX_FRAME ? TWDEV_MAX_FRAME : f->h->caplen;
            if (len > 0) {
                if (twdev_push_frame(d, f->port, ts, f->data, len, 0) < 0) {
                    rc = 3;
                    goto out_loop;
                }
                frames_taken++;
            }
            if (pf_next(f) < 0) {
                fprintf(stderr, "tapwatch-sim serve: %s: %s\n", paths[f->port], pcap_geterr(f->p));
                rc = 2;
                goto out_loop;
            }
        }
        if (!pcap_eoi && !pf[0].have && !pf[1].have)
            pcap_eoi = 1;
        if (pcap_eoi && !pcap_flushed) {
            twdev_flush(d);
            pcap_flushed = 1;
        }
        /* sockets */
        struct pollfd q[4];
        int nq = 0;
        q[nq++] = (struct pollfd){lfd, POLLIN, 0};
        q[nq++] = (struct pollfd){ffd, POLLIN, 0};
        int ci = -1, xi = -1;
        if (cfd >= 0) {
            ci = nq;
            q[nq++] = (struct pollfd){cfd, POLLIN, 0};
        }
        if (xfd >= 0 && twdev_frames_pending(d) < MAX_PENDING) {
            xi = nq;
            q[nq++] = (struct pollfd){xfd, POLLIN, 0};
        }
        int busy = twdev_run_idle(d, 4000) != 0 || (pace && (pf[0].have || pf[1].have));
        if (!busy && flush_wait) {
            twdev_flush(d);
            flush_wait = 0;
            eoi_wait = 1;
            busy = twdev_run_idle(d, 4000) != 0;
        }
        if (!busy && eoi_wait) {
            uint8_t done[16] = {3};
            for (unsigned k = 0; k < 8; k++)
                done[8 + k] = (uint8_t)(frames_taken >> (8 * k));
            if (xfd >= 0)
                write_all(xfd, done, sizeof done);
            eoi_wait = 0;
        }
        if (poll(q, (nfds_t)nq, busy ? 0 : 20) < 0 && errno != EINTR)
            break;
        if ((q[0].revents & POLLIN) && cfd < 0) {
            cfd = accept(lfd, NULL, NULL);
            if (cfd >= 0) {
                fcntl(cfd, F_SETFL, O_NONBLOCK);
                twdev_host_stall(d, 0);
            }
        }
        if ((q[1].revents & POLLIN) && xfd < 0) {
            xfd = accept(ffd, NULL, NULL);
            if (xfd >= 0)
                fcntl(xfd, F_SETFL, O_NONBLOCK);
        }
        if (ci >= 0 && (q[ci].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(cfd, buf, sizeof buf);
            if (n > 0) {
                if (twdev_host_write(d, buf, (size_t)n) < 0) {
                    rc = 3;
                    break;
                }
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                break; /* the host closed the link: done */
            }
        }
        if (xi >= 0 && (q[xi].revents & (POLLIN | POLLHUP | POLLERR))) {
            for (;;) {
                ssize_t n;
                if (hdr_n < sizeof hdr)
                    n = read(xfd, hdr + hdr_n, sizeof hdr - hdr_n);
                else {
                    uint32_t len = (uint32_t)hdr[4] | (uint32_t)hdr[5] << 8 | (uint32_t)hdr[6] << 16 |
                                   (uint32_t)hdr[7] << 24;
                    n = len > body_n ? read(xfd, body + body_n, len - body_n) : 0;
                }
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                    break;
                if (n < 0 || (n == 0 && (hdr_n < sizeof hdr || body_n < ((uint32_t)hdr[4] | (uint32_t)hdr[5] << 8 |
                                                                        (uint32_t)hdr[6] << 16 |
                                                                        (uint32_t)hdr[7] << 24)))) {
                    close(xfd); /* the injector went away */
                    xfd = -1;
                    hdr_n = body_n = 0;
                    break;
                }
                if (hdr_n < sizeof hdr)
                    hdr_n += (size_t)n;
                else
                    body_n += (size_t)n;
                if (hdr_n < sizeof hdr)
                    continue;
                uint32_t len = (uint32_t)hdr[4] | (uint32_t)hdr[5] << 8 | (uint32_t)hdr[6] << 16 |
                               (uint32_t)hdr[7] << 24;
                if (hdr[0] == 1 && (hdr[1] > 1 || len == 0 || len > TWDEV_MAX_FRAME)) {
                    fprintf(stderr, "tapwatch-sim serve: bad frame message (port %u, %u bytes): closed\n", hdr[1],
                            len);
                    close(xfd);
                    xfd = -1;
                    hdr_n = body_n = 0;
                    break;
                }
                if (hdr[0] == 1 && body_n < len)
                    continue;
                uint64_t ts = 0;
                for (unsigned k = 0; k < 8; k++)
                    ts |= (uint64_t)hdr[8 + k] << (8 * k);
                if (hdr[0] == 1) {
                    if (twdev_push_frame(d, hdr[1], ts, body, len, 0) < 0) {
                        rc = 3;
                        goto out_loop;
                    }
                    frames_taken++;
                } else if (hdr[0] == 2) {
                    flush_wait = 1;
                } else {
                    fprintf(stderr, "tapwatch-sim serve: unknown message type %u: closed\n", hdr[0]);
                    close(xfd);
                    xfd = -1;
                }
                hdr_n = body_n = 0;
                if (xfd < 0 || twdev_frames_pending(d) >= MAX_PENDING)
                    break;
            }
        }
        /* device -> host */
        if (cfd >= 0) {
            size_t n;
            while ((n = twdev_host_read(d, buf, sizeof buf)) > 0)
                if (write_all(cfd, buf, n) < 0) {
                    stop_flag = 1;
                    break;
                }
        } else {
            twdev_host_stall(d, 1);
        }
    }
out_loop:
    if (cfd >= 0)
        close(cfd);
    if (xfd >= 0)
        close(xfd);
    free(body);
out_dev:
    twdev_free(d);
out_sock:
    close(lfd);
    close(ffd);
    unlink(sock);
    unlink(fpath);
out_pcap:
    for (unsigned i = 0; i < 2; i++)
        if (pf[i].p)
            pcap_close(pf[i].p);
    return rc;
}
