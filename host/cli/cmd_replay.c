/* tapwatch replay: captures through the simulated device (the Verilated RTL behind `tapwatch-sim serve`), rules
 * loaded and records collected over the wire protocol exactly as on a board, EVE JSON out through the writer of
 * `tapwatch analyze`. docs/replay.md describes the options, the port rule, the event order and the device-only
 * fields. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "cli.h"
#include "tapwatch/device.h"
#include "tapwatch/error.h"
#include "tapwatch/eve.h"
#include "tapwatch/frame.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"
#include "tapwatch/tw_counters.h"
#include "replay_order.h"

#define RP_MAX_MACS 64

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tapwatch replay --config CONFIG [--eve OUT] [--pcap-out EVIDENCE.pcap] [--speed max|pcap]\n"
            "                       [--sim PATH] [--ports a|alternate|mac=MAC[,MAC...]] CAPTURE...\n\n"
            "Starts the simulated device (tapwatch-sim serve: the RTL in Verilator), loads the compiled rules over\n"
            "the wire protocol, replays every frame of the captures into ports A/B, collects the alert and flow\n"
            "records over the protocol and writes EVE JSON with the writer of `tapwatch analyze`.\n\n"
            "  --config CONFIG   YAML configuration with its rule files\n"
            "  --eve OUT         EVE JSON to OUT (default: standard output; '-' too)\n"
            "  --pcap-out FILE   the evidence bytes of every alert as a nanosecond capture\n"
            "  --speed max|pcap  as fast as the model takes frames (default), or paced by capture timestamps\n"
            "  --sim PATH        the tapwatch-sim binary (default: $TAPWATCH_SIM, else next to this program)\n"
            "  --ports RULE      which frames enter on port B: a (none, default), alternate (every second\n"
            "                    frame), mac=MAC[,MAC...] (frames whose source MAC is one of these)\n\n"
            "exit status: 0 no alerts, 1 alerts found, 2 usage error, 3 input, configuration, output or simulator\n"
            "error (records lost included), 4 the simulated device went away, 5 it did not answer in time\n");
}

static volatile sig_atomic_t rp_stop;
static volatile pid_t rp_child; /* the simulator: a signal ends it at once, so a command waiting on it fails now */
static void on_sig(int s)
{
    (void)s;
    rp_stop = 1;
    if (rp_child > 0)
        kill(rp_child, SIGTERM);
}

struct frame_ref {
    uint64_t pcap_cnt;
    uint32_t wire_len; /* on the wire (the record's len) */
    uint32_t caplen;   /* captured: the evidence of a snapped frame stops there (the rest are our zeros) */
};
struct ports_map {
    struct frame_ref *v;
    size_t n, cap;
};
struct rp {
    const char *cmd;
    const struct tw_tables *t;
    struct tw_dev *d;
    int xfd;
    pid_t pid;
    char dir[40], sock[64], fsock[80], log[64];
    int port_mode; /* 0 a, 1 alternate, 2 mac */
    uint8_t macs[RP_MAX_MACS][6];
    unsigned nmacs;
    struct ports_map map[2];
    struct alert_item *al;
    size_t nal, capal;
    struct tw_flow_rec *fl;
    size_t nfl, capfl;
    uint64_t order, rec_lost, link_lost, dev_errors;
    uint64_t pcap_cnt, sent, skipped_empty, skipped_big, snapped, files, files_failed, files_skipped;
    struct tw_dev_event *ev;
    int err; /* first device error */
    /* progress */
    int tty;
    uint64_t in_total, in_done, t0_ms, last_ms;
    uint64_t ts0_cap, t0_pace;
    uint64_t time_set; /* REG_TIME written before the first frame: the device clock counts simulated time */
    int paced, pace_set;
    uint8_t pad[TW_FRAME_MAX]; /* a snapped frame padded with zeros to its wire length (tapwatch/frame.h) */
};

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}
static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void progress(struct rp *r, int final)
{
    if (!r->tty)
        return;
    uint64_t t = now_ms();
    if (!final && t - r->last_ms < 250)
        return;
    r->last_ms = t;
    double el = (double)(t - r->t0_ms) / 1000.0;
    double pct = r->in_total ? 100.0 * (double)r->in_done / (double)r->in_total : 0.0;
    if (pct > 100.0)
        pct = 100.0;
    double fps = el > 0 ? (double)r->sent / el : 0.0;
    double rem = pct > 0.5 ? el * (100.0 - pct) / pct : -1.0;
    char bar[21];
    unsigned k = (unsigned)(pct / 5.0);
    for (unsigned i = 0; i < 20; i++)
        bar[i] = i < k ? '#' : '.';
    bar[20] = 0;
    if (rem >= 0)
        fprintf(stderr, "\r[%s] %5.1f%%  %llu frames  %.0f frames/s  %02u:%02u elapsed  %02u:%02u left  ", bar, pct,
                (unsigned long long)r->sent, fps, (unsigned)el / 60, (unsigned)el % 60, (unsigned)rem / 60,
                (unsigned)rem % 60);
    else
        fprintf(stderr, "\r[%s] %5.1f%%  %llu frames  %.0f frames/s  %02u:%02u elapsed  --:-- left  ", bar, pct,
                (unsigned long long)r->sent, fps, (unsigned)el / 60, (unsigned)el % 60);
    if (final)
        fputc('\n', stderr);
}

static int map_push(struct ports_map *m, uint64_t cnt, uint32_t wire_len, uint32_t caplen)
{
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 4096;
        struct frame_ref *v = realloc(m->v, nc * sizeof *v);
        if (!v)
            return TW_ERR_NOMEM;
        m->v = v;
        m->cap = nc;
    }
    m->v[m->n++] = (struct frame_ref){cnt, wire_len, caplen};
    return 0;
}

/* One event from the device into the collected alerts / flows. */
static int take_event(struct rp *r, const struct tw_dev_event *ev)
{
    r->link_lost += ev->link_gap;
    r->rec_lost += ev->rec_gap;
    if (ev->type == TW_EV_ERROR) {
        r->dev_errors++;
        fprintf(stderr, "%stapwatch replay: the device reported error code %u (count %u)\n", r->tty ? "\n" : "",
                (unsigned)ev->error.code, (unsigned)ev->error.count);
        return 0;
    }
    if (ev->type == TW_EV_FLOW) {
        if (r->nfl == r->capfl) {
            size_t nc = r->capfl ? r->capfl * 2 : 1024;
            struct tw_flow_rec *v = realloc(r->fl, nc * sizeof *v);
            if (!v)
                return TW_ERR_NOMEM;
            r->fl = v;
            r->capfl = nc;
        }
        r->fl[r->nfl++] = ev->flow;
        return 0;
    }
    if (ev->type != TW_EV_ALERT)
        return 0;
    if (r->nal == r->capal) {
        size_t nc = r->capal ? r->capal * 2 : 1024;
        struct alert_item *v = realloc(r->al, nc * sizeof *v);
        if (!v)
            return TW_ERR_NOMEM;
        r->al = v;
        r->capal = nc;
    }
    struct alert_item *a = &r->al[r->nal++];
    memset(a, 0, sizeof *a);
    a->r = ev->alert;
    a->order = r->order++;
    if (a->r.ev_len > TW_AR_MAX_EVIDENCE)
        a->r.ev_len = TW_AR_MAX_EVIDENCE;
    memcpy(a->ev, ev->evidence, a->r.ev_len);
    unsigned p = a->r.port & 1u;
    /* the RTL numbers frames per port from 0 (32 bits); the map holds every frame sent on that port */
    size_t n = r->map[p].n, i = a->r.fseq;
    while (i + ((size_t)1 << 32) < n) /* fseq wraps at 2^32: the latest frame of that number */
        i += (size_t)1 << 32;
    if (i < n) {
        a->pcap_cnt = r->map[p].v[i].pcap_cnt;
        a->wire_len = r->map[p].v[i].wire_len;
        if (a->r.ev_len > r->map[p].v[i].caplen) /* no invented bytes: the padding of a snapped frame is not evidence */
            a->r.ev_len = (uint8_t)r->map[p].v[i].caplen;
    } else {
        fprintf(stderr, "%stapwatch replay: alert sid %u for frame %u of port %c, which was never sent\n",
                r->tty ? "\n" : "", a->r.sid, a->r.fseq, p ? 'B' : 'A');
        r->rec_lost++; /* counted as a failure below */
    }
    return 0;
}

/* Takes every event already arrived (wait_ms: how long to wait for the first). 0 or a device error. */
static int pump(struct rp *r, int wait_ms)
{
    for (;;) {
        int rc = tw_dev_read_event(r->d, r->ev, wait_ms);
        if (rc == TW_ERR_TIMEOUT)
            return 0;
        if (rc < 0)
            return rc;
        if ((rc = take_event(r, r->ev)) < 0)
            return rc;
        wait_ms = 0;
    }
}

/* Writes all n bytes to the injection socket while taking the device's records (the server stops reading frames
 * while its host-link writes wait for us). */
static int send_all(struct rp *r, const uint8_t *p, size_t n)
{
    while (n) {
        if (rp_stop)
            return TW_ERR_IO;
        ssize_t w = write(r->xfd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            fprintf(stderr, "%stapwatch replay: the simulator closed its frame socket (%s)\n", r->tty ? "\n" : "",
                    strerror(errno));
            return TW_ERR_NODEV;
        }
        int rc = pump(r, 0);
        if (rc < 0)
            return rc;
        struct pollfd q = {r->xfd, POLLOUT, 0};
        poll(&q, 1, 2);
    }
    return 0;
}

static void put_hdr(uint8_t h[16], uint8_t type, uint8_t port, uint32_t len, uint64_t ts)
{
    memset(h, 0, 16);
    h[0] = type;
    h[1] = port;
    for (unsigned k = 0; k < 4; k++)
        h[4 + k] = (uint8_t)(len >> (8 * k));
    for (unsigned k = 0; k < 8; k++)
        h[8 + k] = (uint8_t)(ts >> (8 * k));
}

static unsigned port_of(const struct rp *r, const uint8_t *b, size_t len, uint64_t cnt)
{
    switch (r->port_mode) {
    case 1: return (cnt % 2 == 0) ? 1u : 0u; /* frames 2, 4, 6 ... on B */
    case 2:
        if (len < 12)
            return 0;
        for (unsigned i = 0; i < r->nmacs; i++)
            if (!memcmp(b + 6, r->macs[i], 6))
                return 1;
        return 0;
    default: return 0;
    }
}

/* Replays one capture. Returns 0, a negative device error (fatal), or 1 when the capture was unreadable (reported,
 * the run goes on as analyze does). */
static int replay_file(struct rp *r, const char *path)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    r->files++;
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (!p) {
        fprintf(stderr, "%stapwatch replay: %s: %s\n", r->tty ? "\n" : "", path, perr);
        r->files_failed++;
        return 1;
    }
    if (pcap_datalink(p) != DLT_EN10MB) {
        const char *nm = pcap_datalink_val_to_name(pcap_datalink(p));
        fprintf(stderr, "%stapwatch replay: %s: link type %s is not Ethernet; capture skipped\n", r->tty ? "\n" : "",
                path, nm ? nm : "unknown");
        r->files_skipped++;
        pcap_close(p);
        return 1;
    }
    FILE *pf = pcap_file(p);
    long base = pf ? ftell(pf) : -1;
    uint64_t done0 = r->in_done;
    struct pcap_pkthdr *h;
    const u_char *b;
    int rc, ret = 0;
    while (!rp_stop && (rc = pcap_next_ex(p, &h, &b)) == 1) {
        r->pcap_cnt++;
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
        /* the frame the device receives (tapwatch/frame.h, the rule analyze applies too) */
        struct tw_frame fr;
        switch (tw_frame_of(b, h->caplen, h->len, r->pad, &fr)) {
        case TW_FRAME_EMPTY: r->skipped_empty++; continue;
        case TW_FRAME_TOO_LONG:
            if (!r->skipped_big)
                fprintf(stderr, "%stapwatch replay: frame %llu has %u bytes, more than the device takes (%u): "
                                "not replayed (counted in capture.frames_too_long, as analyze does)\n",
                        r->tty ? "\n" : "", (unsigned long long)r->pcap_cnt, fr.len, TW_FRAME_MAX);
            r->skipped_big++;
            continue;
        case TW_FRAME_SNAPPED: r->snapped++; break;
        case TW_FRAME_WHOLE: break;
        }
        if (r->paced) {
            if (!r->pace_set) {
                r->pace_set = 1;
                r->ts0_cap = ts;
                r->t0_pace = now_ns();
            }
            while (!rp_stop && ts > r->ts0_cap && ts - r->ts0_cap > now_ns() - r->t0_pace) {
                if ((ret = pump(r, 1)) < 0)
                    goto out;
            }
        }
        unsigned port = port_of(r, fr.data, fr.len, r->pcap_cnt);
        if ((ret = map_push(&r->map[port], r->pcap_cnt, h->len, h->caplen)) < 0)
            goto out;
        uint8_t hd[16];
        put_hdr(hd, 1, (uint8_t)port, fr.len, ts);
        if ((ret = send_all(r, hd, 16)) < 0 || (ret = send_all(r, fr.data, fr.len)) < 0)
            goto out;
        r->sent++;
        if ((r->sent & 63) == 0) {
            if ((ret = pump(r, 0)) < 0)
                goto out;
            if (pf && base >= 0) {
                long pos = ftell(pf);
                if (pos >= base)
                    r->in_done = done0 + (uint64_t)pos;
            }
            progress(r, 0);
        }
    }
    if (rp_stop) {
        ret = TW_ERR_IO;
        goto out;
    }
    if (rc == -1) {
        fprintf(stderr, "%stapwatch replay: %s: read error after frame %llu: %s\n", r->tty ? "\n" : "", path,
                (unsigned long long)r->pcap_cnt, pcap_geterr(p));
        r->files_failed++;
        ret = 1;
    }
    struct stat sb;
    if (stat(path, &sb) == 0)
        r->in_done = done0 + (uint64_t)sb.st_size;
out:
    pcap_close(p);
    return ret;
}

/* ---- the simulator process ---- */

static void default_sim(char *buf, size_t len)
{
    const char *e = getenv("TAPWATCH_SIM");
    if (e && *e) {
        snprintf(buf, len, "%s", e);
        return;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = 0;
        char *s = strrchr(self, '/');
        if (s) {
            s[1] = 0;
            snprintf(buf, len, "%stapwatch-sim", self);
            return;
        }
    }
    snprintf(buf, len, "tapwatch-sim");
}

static int sim_start(struct rp *r, const char *sim)
{
    snprintf(r->dir, sizeof r->dir, "/tmp/tapwatch-replay.XXXXXX");
    if (!mkdtemp(r->dir)) {
        fprintf(stderr, "tapwatch replay: cannot make a private directory: %s\n", strerror(errno));
        r->dir[0] = 0;
        return TW_EXIT_ERROR;
    }
    snprintf(r->sock, sizeof r->sock, "%s/dev.sock", r->dir);
    snprintf(r->fsock, sizeof r->fsock, "%s.frames", r->sock);
    snprintf(r->log, sizeof r->log, "%s/serve.log", r->dir);
    if (access(sim, X_OK) != 0) {
        fprintf(stderr, "tapwatch replay: the simulator %s is not there or not executable (build it with `make`, "
                        "or give --sim PATH)\n", sim);
        return TW_EXIT_ERROR;
    }
    r->pid = fork();
    if (r->pid < 0) {
        fprintf(stderr, "tapwatch replay: fork: %s\n", strerror(errno));
        r->pid = 0;
        return TW_EXIT_ERROR;
    }
    rp_child = r->pid;
    if (r->pid == 0) {
        int fd = open(r->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
            close(fd);
        }
        signal(SIGINT, SIG_IGN); /* Ctrl-C reaches the whole group: replay ends the simulator itself */
        execl(sim, "tapwatch-sim", "serve", "--socket", r->sock, (char *)NULL);
        fprintf(stderr, "exec %s: %s\n", sim, strerror(errno));
        _exit(127);
    }
    return 0;
}

static void sim_log(const struct rp *r)
{
    FILE *f = fopen(r->log, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (!strstr(line, "listening on"))
            fprintf(stderr, "  simulator: %s", line);
    fclose(f);
}

/* Ends and reaps the simulator (SIGTERM, then SIGKILL after 3 s); removes the private directory. Returns its exit
 * status (128 + signal when killed), or -1 when there was none. */
static int sim_stop(struct rp *r)
{
    int ret = -1;
    if (r->pid > 0) {
        int st = 0;
        pid_t w = waitpid(r->pid, &st, WNOHANG);
        if (w == 0) {
            kill(r->pid, SIGTERM);
            for (int i = 0; i < 300 && (w = waitpid(r->pid, &st, WNOHANG)) == 0; i++) {
                struct timespec t = {0, 10000000};
                nanosleep(&t, NULL);
            }
            if (w == 0) {
                kill(r->pid, SIGKILL);
                w = waitpid(r->pid, &st, 0);
            }
        }
        if (w == r->pid)
            ret = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        r->pid = 0;
    }
    rp_child = 0;
    if (r->dir[0]) {
        unlink(r->sock);
        unlink(r->fsock);
        unlink(r->log);
        rmdir(r->dir);
        r->dir[0] = 0;
    }
    return ret;
}

static int sim_alive(struct rp *r)
{
    int st;
    if (r->pid > 0 && waitpid(r->pid, &st, WNOHANG) == r->pid) {
        fprintf(stderr, "tapwatch replay: the simulator ended (%s %d) before the replay finished\n",
                WIFEXITED(st) ? "exit status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        sim_log(r);
        r->pid = 0;
        rp_child = 0;
        return 0;
    }
    return 1;
}

/* Connects to both sockets; the model is built before the sockets exist (up to 120 s). */
static int sim_connect(struct rp *r)
{
    char spec[128];
    snprintf(spec, sizeof spec, "sim:%s", r->sock);
    uint64_t t0 = now_ms();
    for (;;) {
        if (rp_stop)
            return TW_EXIT_ERROR;
        if (!sim_alive(r))
            return TW_EXIT_ERROR;
        struct stat sb;
        if (stat(r->fsock, &sb) == 0 && tw_open(&r->d, spec) == 0)
            break;
        if (now_ms() - t0 > 120000) {
            fprintf(stderr, "tapwatch replay: the simulator did not open %s within 120 s\n", r->sock);
            sim_log(r);
            return TW_EXIT_TIMEOUT;
        }
        struct timespec t = {0, 20000000};
        nanosleep(&t, NULL);
    }
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof a.sun_path, "%s", r->fsock);
    r->xfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (r->xfd < 0 || connect(r->xfd, (struct sockaddr *)&a, sizeof a) != 0) {
        fprintf(stderr, "tapwatch replay: cannot connect to %s: %s\n", r->fsock, strerror(errno));
        return TW_EXIT_ERROR;
    }
    fcntl(r->xfd, F_SETFL, O_NONBLOCK);
    return 0;
}

/* End of input: the device flushes its flow table and answers "done" when every record is in the host stream. */
static int finish_input(struct rp *r)
{
    uint8_t h[16], done[16];
    put_hdr(h, 2, 0, 0, 0);
    int rc = send_all(r, h, 16);
    if (rc < 0)
        return rc;
    size_t got = 0;
    uint64_t last = now_ms(), n0 = r->order + r->nfl;
    while (got < 16) {
        if (rp_stop)
            return TW_ERR_IO;
        ssize_t n = read(r->xfd, done + got, 16 - got);
        if (n > 0) {
            got += (size_t)n;
            continue;
        }
        if (n == 0) {
            fprintf(stderr, "%stapwatch replay: the simulator closed the frame socket before end of input\n",
                    r->tty ? "\n" : "");
            return TW_ERR_NODEV;
        }
        if (errno != EAGAIN && errno != EINTR)
            return TW_ERR_IO;
        if ((rc = pump(r, 5)) < 0)
            return rc;
        if (r->order + r->nfl != n0) {
            n0 = r->order + r->nfl;
            last = now_ms();
        }
        if (!sim_alive(r))
            return TW_ERR_NODEV;
        if (now_ms() - last > 600000) {
            fprintf(stderr, "tapwatch replay: the simulated device did not finish within 10 minutes\n");
            return TW_ERR_TIMEOUT;
        }
    }
    uint64_t taken = 0;
    for (unsigned k = 0; k < 8; k++)
        taken |= (uint64_t)done[8 + k] << (8 * k);
    if (done[0] != 3 || taken != r->sent) {
        fprintf(stderr, "tapwatch replay: the simulator took %llu frames of %llu sent\n", (unsigned long long)taken,
                (unsigned long long)r->sent);
        return TW_ERR_IO;
    }
    return 0;
}

/* ---- output ---- */


static int write_out(struct rp *r, FILE *out, const char *pcap_out, const uint64_t *cnt,
                     const struct tw_eve_rule_counter *rules, size_t nrules, uint64_t dev_ns,
                     uint64_t *evidence_written)
{
    struct tw_eve *w = NULL;
    int rc = tw_eve_open(&w, out);
    if (rc < 0)
        return rc;
    pcap_t *dead = NULL;
    pcap_dumper_t *dump = NULL;
    if (pcap_out) {
        dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
        dump = dead ? pcap_dump_open(dead, pcap_out) : NULL;
        if (!dump) {
            fprintf(stderr, "tapwatch replay: cannot write %s: %s\n", pcap_out, dead ? pcap_geterr(dead) : "pcap");
            if (dead)
                pcap_close(dead);
            tw_eve_close(w);
            return TW_ERR_IO;
        }
    }
    qsort(r->al, r->nal, sizeof *r->al, tw_replay_cmp_alert);
    qsort(r->fl, r->nfl, sizeof *r->fl, tw_replay_cmp_flow);
    uint64_t last_ts = 0;
    for (size_t i = 0; i < r->nal; i++) {
        const struct alert_item *a = &r->al[i];
        struct tw_eve_alert e;
        tw_dev_alert_eve(&e, &a->r, a->ev, a->r.ev_len, r->t);
        e.pcap_cnt = a->pcap_cnt;
        if (tw_eve_write_alert(w, &e) < 0)
            rc = TW_ERR_IO;
        if (a->r.ts > last_ts)
            last_ts = a->r.ts;
        if (dump && a->r.ev_len) {
            struct pcap_pkthdr h;
            memset(&h, 0, sizeof h);
            h.ts.tv_sec = (time_t)(a->r.ts / 1000000000ull);
            h.ts.tv_usec = (suseconds_t)(a->r.ts % 1000000000ull); /* nanoseconds (nano dumper) */
            h.caplen = a->r.ev_len;
            h.len = a->wire_len > a->r.ev_len ? a->wire_len : a->r.ev_len;
            pcap_dump((u_char *)dump, &h, a->ev);
            (*evidence_written)++;
        }
    }
    for (size_t i = 0; i < r->nfl; i++) {
        if (tw_eve_write_flow(w, &r->fl[i]) < 0)
            rc = TW_ERR_IO;
        if (r->fl[i].last_ts > last_ts)
            last_ts = r->fl[i].last_ts;
    }
    /* the stats event: the device's counters (docs/replay.md: names as in analyze where the meaning is the same) */
    struct tw_eve_counter c[64];
    size_t n = 0;
#define C(g, k, v) c[n++] = (struct tw_eve_counter){(g), (k), (v)}
#define P(i) (cnt[(i)] + cnt[TW_CNT_PER_PORT + (i)])
    C("capture", "files", r->files);
    C("capture", "files_failed", r->files_failed);
    C("capture", "files_skipped_linktype", r->files_skipped);
    C("capture", "frames_snapped", r->snapped);
    C("capture", "frames_empty", r->skipped_empty);
    C("capture", "frames_too_long", r->skipped_big);
    C("capture", "evidence_written", *evidence_written);
    C("replay", "frames_read", r->pcap_cnt);
    C("replay", "frames_sent", r->sent);
    C("replay", "alerts_received", r->nal);
    C("replay", "flows_received", r->nfl);
    C("replay", "records_lost", r->rec_lost);
    C("replay", "link_frames_lost", r->link_lost);
    C("replay", "device_errors", r->dev_errors);
    C("replay", "simulated_ns", dev_ns > r->time_set ? dev_ns - r->time_set : 0);
    C("decoder", "frames", P(TW_CNT_FRAMES));
    C("decoder", "bytes", P(TW_CNT_BYTES));
    C("device", "frames_a", cnt[TW_CNT_FRAMES]);
    C("device", "frames_b", cnt[TW_CNT_PER_PORT + TW_CNT_FRAMES]);
    C("device", "copy_drops", P(TW_CNT_COPY_DROP));
    C("device", "records", P(TW_CNT_RECORDS));
    C("device", "egress", P(TW_CNT_EGRESS));
    C("errors", "runt", P(TW_CNT_RUNT));
    C("errors", "giant", P(TW_CNT_GIANT));
    C("errors", "truncated", P(TW_CNT_TRUNC));
    C("errors", "ip_version", P(TW_CNT_IPVER));
    C("errors", "bad_ihl", P(TW_CNT_IHL));
    C("errors", "ip_length", P(TW_CNT_IPLEN));
    C("errors", "ip_checksum", P(TW_CNT_CSUM));
    C("errors", "too_deep", P(TW_CNT_DEEP));
    C("flow", "created", cnt[TW_CNT_FL_CREATED]);
    C("flow", "evicted", cnt[TW_CNT_FL_EVICTED]);
    C("flow", "records", cnt[TW_CNT_DET_FLOWS]);
    C("flow", "sweep_steps", cnt[TW_CNT_FL_SWEEPS]);
    C("flow", "no_ip", cnt[TW_CNT_FL_NO_IP]);
    C("digest", "inserts", cnt[TW_CNT_DG_INSERTS]);
    C("digest", "replaced", cnt[TW_CNT_DG_REPLACED]);
    C("digest", "lookups", cnt[TW_CNT_DG_LOOKUPS]);
    C("digest", "mirror_copies", cnt[TW_CNT_DG_MIRROR]);
    C("detect", "rule_matches", cnt[TW_CNT_ENG_MATCHES]);
    C("detect", "alerts", cnt[TW_CNT_AL_ALERTS]);
    C("detect", "frames_alerted", cnt[TW_CNT_AL_FRAMES_ALERTED]);
    C("detect", "alerts_overflow", cnt[TW_CNT_AL_CUT]);
    C("detect", "alerts_rate_limited", cnt[TW_CNT_AL_RATE_LIMITED]);
    C("detect", "alerts_thresholded", cnt[TW_CNT_AL_THRESHOLDED]);
    C("detect", "pass_suppressed", cnt[TW_CNT_ENG_SUPPRESSED]);
    C("detect", "state_full", cnt[TW_CNT_AL_STATE_FULL]);
    C("evidence", "stored", cnt[TW_CNT_EV_STORED]);
    C("evidence", "drops", cnt[TW_CNT_EV_DROPS]);
    C("evidence", "missing", cnt[TW_CNT_EV_MISSING]);
    C("link", "alert_records", cnt[TW_CNT_REC_ALERTS]);
    C("link", "flow_records", cnt[TW_CNT_REC_FLOWS]);
#undef P
#undef C
    if (tw_eve_write_stats(w, last_ts, c, n, rules, nrules) < 0)
        rc = TW_ERR_IO;
    if (tw_eve_close(w) < 0)
        rc = TW_ERR_IO;
    if (dump) {
        if (pcap_dump_flush(dump) != 0)
            rc = TW_ERR_IO;
        pcap_dump_close(dump);
    }
    if (dead)
        pcap_close(dead);
    return rc;
}

static int parse_ports(struct rp *r, const char *s)
{
    if (!strcmp(s, "a")) {
        r->port_mode = 0;
        return 0;
    }
    if (!strcmp(s, "alternate")) {
        r->port_mode = 1;
        return 0;
    }
    if (strncmp(s, "mac=", 4))
        return -1;
    r->port_mode = 2;
    s += 4;
    while (*s) {
        unsigned v[6];
        int used = 0;
        if (r->nmacs == RP_MAX_MACS ||
            sscanf(s, "%2x%*1[:-]%2x%*1[:-]%2x%*1[:-]%2x%*1[:-]%2x%*1[:-]%2x%n", &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &used) != 6 ||
            used != 17)
            return -1;
        for (unsigned k = 0; k < 6; k++)
            r->macs[r->nmacs][k] = (uint8_t)v[k];
        r->nmacs++;
        s += used;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return r->nmacs ? 0 : -1;
}

int cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"eve", required_argument, NULL, 'e'},
        {"pcap-out", required_argument, NULL, 'p'}, {"speed", required_argument, NULL, 's'},
        {"sim", required_argument, NULL, 'S'},    {"ports", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    struct rp *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "tapwatch replay: out of memory\n");
        return TW_EXIT_ERROR;
    }
    r->xfd = -1;
    const char *config = NULL, *eve = NULL, *pcap_out = NULL, *sim = NULL;
    int c, ex = TW_EXIT_OK;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+c:e:p:s:S:P:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'e': eve = optarg; break;
        case 'p': pcap_out = optarg; break;
        case 'S': sim = optarg; break;
        case 's':
            if (!strcmp(optarg, "max"))
                r->paced = 0;
            else if (!strcmp(optarg, "pcap"))
                r->paced = 1;
            else {
                fprintf(stderr, "tapwatch replay: --speed is max or pcap, not '%s'\n", optarg);
                free(r);
                return TW_EXIT_USAGE;
            }
            break;
        case 'P':
            if (parse_ports(r, optarg)) {
                fprintf(stderr, "tapwatch replay: --ports is a, alternate or mac=MAC[,MAC...] (up to %d), not '%s'\n",
                        RP_MAX_MACS, optarg);
                free(r);
                return TW_EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); free(r); return TW_EXIT_OK;
        default:
            fprintf(stderr, "tapwatch replay: unknown or incomplete option '%s'\n", argv[optind - 1]);
            usage(stderr);
            free(r);
            return TW_EXIT_USAGE;
        }
    }
    if (!config || optind >= argc) {
        fprintf(stderr, "tapwatch replay: %s\n", !config ? "--config is required" : "no capture given");
        usage(stderr);
        free(r);
        return TW_EXIT_USAGE;
    }
    r->cmd = "replay";
    char simbuf[PATH_MAX + 16];
    if (!sim) {
        default_sim(simbuf, sizeof simbuf);
        sim = simbuf;
    }

    /* rules first: a bad configuration costs no simulator start */
    char err[1024] = "";
    struct tw_tables *t = NULL;
    struct tw_config *cfg = NULL;
    int rc = tw_config_load(config, &cfg, err, sizeof err);
    if (rc == 0)
        rc = tw_compile(cfg, NULL, &t, err, sizeof err);
    tw_config_free(cfg);
    if (rc < 0) {
        fprintf(stderr, "tapwatch replay: %s\n", err[0] ? err : tw_strerror(rc));
        free(r);
        return TW_EXIT_ERROR;
    }
    r->t = t;
    if (pcap_out && !t->settings.evidence_bytes) {
        fprintf(stderr, "tapwatch replay: --pcap-out needs detect.evidence-bytes > 0\n");
        tw_tables_free(t);
        free(r);
        return TW_EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0)
            r->in_total += (uint64_t)sb.st_size;
    }
    FILE *out = stdout;
    if (eve && strcmp(eve, "-")) {
        out = fopen(eve, "w");
        if (!out) {
            fprintf(stderr, "tapwatch replay: cannot write %s: %s\n", eve, strerror(errno));
            tw_tables_free(t);
            free(r);
            return TW_EXIT_ERROR;
        }
    }
    r->ev = malloc(sizeof *r->ev);
    uint64_t *cnt = calloc(TW_CNT_BLOCKS_END, sizeof *cnt);
    /* the per-rule counters (device rule index = the table's), named by the table's gid:sid as analyze names them */
    unsigned nrules = t->settings.n_rules < TW_CAP_RULES ? t->settings.n_rules : TW_CAP_RULES;
    struct tw_dev_rule_cnt *rcnt = calloc(nrules ? nrules : 1, sizeof *rcnt);
    struct tw_eve_rule_counter *rules = calloc(nrules ? nrules : 1, sizeof *rules);
    if (!r->ev || !cnt || !rcnt || !rules) {
        fprintf(stderr, "tapwatch replay: out of memory\n");
        ex = TW_EXIT_ERROR;
        goto done;
    }
    r->tty = isatty(2);
    rp_stop = 0;
    struct sigaction sa, old_int, old_term, old_hup, old_pipe;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);

    if ((ex = sim_start(r, sim)) || (ex = sim_connect(r)))
        goto interrupted;
    tw_dev_set_timeout(r->d, 30000); /* the simulated device answers in simulated time: slow under load */
    if ((rc = tw_dev_load_tables(r->d, t)) < 0) {
        if (rp_stop)
            goto interrupted;
        fprintf(stderr, "tapwatch replay: loading the rules into the device failed: %s\n", tw_strerror(rc));
        ex = tw_cli_exit_for(rc);
        goto stop;
    }
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    r->time_set = (uint64_t)rt.tv_sec * 1000000000ull + (uint64_t)rt.tv_nsec;
    if ((rc = tw_dev_time_set(r->d, r->time_set)) < 0) {
        if (rp_stop)
            goto interrupted;
        fprintf(stderr, "tapwatch replay: setting the device time failed: %s\n", tw_strerror(rc));
        ex = tw_cli_exit_for(rc);
        goto stop;
    }
    r->t0_ms = r->last_ms = now_ms();
    int input_failed = 0;
    for (int i = optind; i < argc && !rp_stop; i++) {
        rc = replay_file(r, argv[i]);
        if (rc < 0)
            break;
        if (rc > 0)
            input_failed = 1;
        rc = 0;
    }
    if (rc == 0 && !rp_stop)
        rc = finish_input(r);
    if (rc == 0 && !rp_stop) {
        uint64_t dev_ns = 0;
        if ((rc = tw_dev_counters(r->d, 0, TW_CNT_BLOCKS_END, cnt, &dev_ns)) == 0 && nrules)
            rc = tw_dev_rule_counters(r->d, 0, nrules, rcnt, NULL);
        if (rc == 0)
            rc = pump(r, 100); /* records before the counters' answer were queued by the library */
        for (unsigned i = 0; i < nrules; i++)
            rules[i] = (struct tw_eve_rule_counter){t->rule[i].gid, t->rule[i].sid, rcnt[i].matches,
                                                    rcnt[i].alerts, rcnt[i].rate_limited};
        progress(r, 1);
        if (rc == 0) {
            struct tw_dev_stats ds;
            tw_dev_stats(r->d, &ds);
            uint64_t lost = r->rec_lost + r->link_lost + ds.alerts_lost + ds.flows_lost + ds.frames_lost +
                            ds.queue_drops + ds.bad_records + ds.dev_tx_drops;
            uint64_t evw = 0;
            int wrc = write_out(r, out, pcap_out, cnt, rules, nrules, dev_ns, &evw);
            if (wrc < 0) {
                fprintf(stderr, "tapwatch replay: writing the output failed\n");
                ex = TW_EXIT_ERROR;
            }
            if (lost || cnt[TW_CNT_REC_ALERTS] != r->nal || cnt[TW_CNT_REC_FLOWS] != r->nfl ||
                (cnt[TW_CNT_COPY_DROP] + cnt[TW_CNT_PER_PORT + TW_CNT_COPY_DROP])) {
                fprintf(stderr,
                        "tapwatch replay: RECORDS LOST: device sent %llu alerts and %llu flows, %llu and %llu "
                        "received; sequence gaps %llu alerts %llu flows, link frames lost %llu, bad records %llu, "
                        "device link drops %llu, host queue drops %llu, detection copies dropped %llu\n",
                        (unsigned long long)cnt[TW_CNT_REC_ALERTS], (unsigned long long)cnt[TW_CNT_REC_FLOWS],
                        (unsigned long long)r->nal, (unsigned long long)r->nfl,
                        (unsigned long long)ds.alerts_lost, (unsigned long long)ds.flows_lost,
                        (unsigned long long)(ds.frames_lost + r->link_lost), (unsigned long long)ds.bad_records,
                        (unsigned long long)ds.dev_tx_drops, (unsigned long long)ds.queue_drops,
                        (unsigned long long)(cnt[TW_CNT_COPY_DROP] + cnt[TW_CNT_PER_PORT + TW_CNT_COPY_DROP]));
                ex = TW_EXIT_ERROR;
            }
            if (!ex)
                ex = input_failed ? TW_EXIT_ERROR : (r->nal ? TW_EXIT_ALERTS : TW_EXIT_OK);
        }
    }
    if (rp_stop) {
        if (r->tty)
            fputc('\n', stderr); /* the message follows at `interrupted` */
    } else if (rc < 0) {
        fprintf(stderr, "%stapwatch replay: %s\n", r->tty ? "\n" : "", tw_strerror(rc));
        sim_alive(r);
        ex = tw_cli_exit_for(rc);
        if (ex == TW_EXIT_OK)
            ex = TW_EXIT_ERROR;
    }
interrupted:
    if (rp_stop) {
        fprintf(stderr, "tapwatch replay: interrupted; nothing written\n");
        ex = TW_EXIT_ERROR;
    }
stop:
    if (r->xfd >= 0)
        close(r->xfd);
    tw_close(r->d);
    r->d = NULL;
    sim_stop(r);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
done:
    if (out != stdout) {
        if (fclose(out) != 0 && ex < TW_EXIT_USAGE) {
            fprintf(stderr, "tapwatch replay: closing %s failed\n", eve);
            ex = TW_EXIT_ERROR;
        }
    } else if (fflush(out) != 0 && ex < TW_EXIT_USAGE) {
        ex = TW_EXIT_ERROR;
    }
    free(cnt);
    free(rcnt);
    free(rules);
    free(r->ev);
    free(r->al);
    free(r->fl);
    free(r->map[0].v);
    free(r->map[1].v);
    tw_tables_free(t);
    free(r);
    return ex;
}
