/* tapwatch-sim: runs captures through the Verilated tap + parser (docs/sim.md).
 *
 *   tapwatch-sim parse CAPTURE [--port-b MAC]... [--mtu N] [--l2tp-cookie N] [--monitor] [--stats] [--trace FILE]
 *                              [--seed N] [--gaps PCT] [--egress-bp PCT] [--meta-bp PCT]
 *
 * Every frame of an Ethernet pcap/pcapng goes through the RTL, one after another, with ts_ns = the capture
 * timestamp; one JSON object per frame (tw_meta_json) is printed in capture order.
 * Exit status: 0 ok, 1 usage, 2 capture unreadable / corrupt / not Ethernet, 3 simulation failure (hang, missing
 * record, corrupted forwarding).
 */
#include <errno.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tapwatch/meta_json.h"
#include "twdev_serve.h"
#include "twsim.h"

#define BATCH 256      /* frames pushed between drains */
#define MAX_PORT_B 64
#define QUIET 2000     /* clocks without any transfer that end a batch (twsim quiet_cycles) */

struct opts {
    const char *capture, *trace;
    uint64_t port_b[MAX_PORT_B];
    int n_port_b, stats, monitor;
    unsigned mtu, cookie, gaps, egress_bp, meta_bp;
    uint64_t seed;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: tapwatch-sim parse CAPTURE [options]\n"
               "  Runs every frame of an Ethernet pcap/pcapng capture through the simulated tap and parser\n"
               "  (Verilator) and prints one JSON object per frame (JSON Lines; keys: docs/sim.md).\n"
               "options:\n"
               "  --port-b MAC        frames whose source MAC is MAC enter on port B (repeatable; default: every\n"
               "                      frame enters on port A)\n"
               "  --mtu N             parser MTU in bytes (default 9600): longer frames are giants\n"
               "  --l2tp-cookie N     L2TPv3 cookie length: 0, 4 or 8 (default 0)\n"
               "  --monitor           monitor-only mode (cfg_monitor = 1: no egress)\n"
               "  --stats             print frames, simulated cycles and speed to stderr at the end\n"
               "  --gaps PCT          random tvalid gaps: chance per clock (0..100, default 0)\n"
               "  --egress-bp PCT     random egress back-pressure (0..100, default 0; 100 stalls the tap)\n"
               "  --meta-bp PCT       random metadata back-pressure (0..100, default 0; copies may be dropped)\n"
               "  --seed N            seed of the gap and back-pressure draws (default 1)\n"
               "  --trace FILE        write an FST waveform (only the build of `make sim-trace`)\n"
               "usage: tapwatch-sim serve --socket PATH [--pcap-a FILE] [--pcap-b FILE] [--speed max|pcap]\n"
               "  The simulated device (full top) on a Unix socket (docs/sim.md; tapwatch-sim serve --help).\n");
}

static int parse_mac(const char *s, uint64_t *out)
{
    unsigned b[6];
    char sep[5], end;
    if (sscanf(s, "%2x%c%2x%c%2x%c%2x%c%2x%c%2x%c", &b[0], &sep[0], &b[1], &sep[1], &b[2], &sep[2], &b[3],
               &sep[3], &b[4], &sep[4], &b[5], &end) != 11)
        return -EINVAL;
    for (int i = 0; i < 5; i++)
        if (sep[i] != ':' && sep[i] != '-')
            return -EINVAL;
    if (strlen(s) != 17)
        return -EINVAL;
    uint64_t v = 0;
    for (int i = 0; i < 6; i++)
        v = v << 8 | b[i];
    *out = v;
    return 0;
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *e;
    errno = 0;
    unsigned long v = strtoul(s, &e, 10);
    if (errno || e == s || *e || v > max)
        return -EINVAL;
    *out = (unsigned)v;
    return 0;
}

struct run {
    struct twsim *sim;
    uint64_t next_print;   /* pcap_cnt of the next frame to print */
    uint64_t *batch_cnt;   /* pcap_cnt of the frames fed in this batch, in order */
    unsigned *batch_port;
    size_t *batch_len;
    size_t nbatch;
    uint64_t frames, missing, skipped;
    char json[TW_META_JSON_MAX + 1];
};

static int cmp_rec(const void *a, const void *b)
{
    const struct twsim_rec *x = a, *y = b;
    return x->tag < y->tag ? -1 : x->tag > y->tag;
}

/* Runs the batch to completion and prints its records in capture order. 0, or -1 on a simulation failure. */
static int drain(struct run *r)
{
    if (r->nbatch == 0)
        return 0;
    int rc = twsim_run(r->sim, 0);
    if (rc < 0) /* still print what came back, and name what did not */
        fprintf(stderr, "tapwatch-sim: the simulation hung: ingress made no progress for %u clocks\n", QUIET);
    size_t n;
    struct twsim_rec *recs = twsim_records(r->sim, &n);
    qsort(recs, n, sizeof *recs, cmp_rec);
    size_t j = 0;
    for (size_t i = 0; i < r->nbatch; i++) {
        uint64_t cnt = r->batch_cnt[i];
        while (j < n && recs[j].tag < cnt)
            j++;
        if (j < n && recs[j].tag == cnt) {
            int len = tw_meta_json(&recs[j].m, cnt, r->json, sizeof r->json);
            if (len < 0) {
                fprintf(stderr, "tapwatch-sim: frame %llu: record too long to format\n", (unsigned long long)cnt);
                rc = -1;
                continue;
            }
            fputs(r->json, stdout);
            fputc('\n', stdout);
            j++;
        } else {
            r->missing++;
            fprintf(stderr, "tapwatch-sim: frame %llu (port %c, %zu bytes): no metadata record came back\n",
                    (unsigned long long)cnt, r->batch_port[i] ? 'B' : 'A', r->batch_len[i]);
        }
    }
    r->nbatch = 0;
    twsim_clear(r->sim);
    return rc < 0 ? -1 : 0;
}

static int cmd_parse(const struct opts *o)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(o->capture, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pc) {
        fprintf(stderr, "tapwatch-sim: cannot read capture %s: %s\n", o->capture, errbuf);
        return 2;
    }
    int dlt = pcap_datalink(pc);
    if (dlt != DLT_EN10MB) {
        const char *name = pcap_datalink_val_to_name(dlt);
        const char *desc = pcap_datalink_val_to_description(dlt);
        fprintf(stderr,
                "tapwatch-sim: %s: link type %s (%s, %d) is not Ethernet; tapwatch taps Ethernet (EN10MB) only\n",
                o->capture, name ? name : "unknown", desc ? desc : "no description", dlt);
        pcap_close(pc);
        return 2;
    }
    struct twsim_cfg cfg;
    twsim_cfg_default(&cfg);
    cfg.serial = 1;
    cfg.quiet_cycles = QUIET;
    cfg.monitor = o->monitor;
    cfg.seed = o->seed;
    cfg.gap_pct = o->gaps;
    cfg.out_bp_pct = o->egress_bp;
    cfg.meta_bp_pct = o->meta_bp;
    cfg.mtu = o->mtu;
    cfg.l2tp_cookie = o->cookie;
    cfg.trace = o->trace;
    struct run r;
    memset(&r, 0, sizeof r);
    int rc = twsim_new(&r.sim, &cfg);
    if (rc < 0) {
        fprintf(stderr, "tapwatch-sim: cannot create the model: %s\n",
                rc == -EINVAL && o->trace ? "this build has no tracing (make sim-trace)" : strerror(-rc));
        pcap_close(pc);
        return 3;
    }
    r.batch_cnt = malloc(BATCH * sizeof *r.batch_cnt);
    r.batch_port = malloc(BATCH * sizeof *r.batch_port);
    r.batch_len = malloc(BATCH * sizeof *r.batch_len);
    int status = 0;
    if (!r.batch_cnt || !r.batch_port || !r.batch_len) {
        fprintf(stderr, "tapwatch-sim: out of memory\n");
        status = 3;
        goto out;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t cnt = 0;
    int snapped_warned = 0;
    for (;;) {
        struct pcap_pkthdr *h;
        const u_char *data;
        int nx = pcap_next_ex(pc, &h, &data);
        if (nx == PCAP_ERROR_BREAK)
            break;
        if (nx != 1) {
            fprintf(stderr, "tapwatch-sim: %s: corrupt or truncated capture after frame %llu: %s\n", o->capture,
                    (unsigned long long)cnt, pcap_geterr(pc));
            status = 2;
            break;
        }
        cnt++;
        if (h->caplen == 0 || h->caplen > TWSIM_MAX_FRAME) {
            fprintf(stderr, "tapwatch-sim: frame %llu: %u captured bytes cannot be fed (1..%u); skipped\n",
                    (unsigned long long)cnt, h->caplen, TWSIM_MAX_FRAME);
            r.skipped++;
            continue;
        }
        if (h->caplen < h->len && !snapped_warned) {
            fprintf(stderr, "tapwatch-sim: frame %llu: only %u of %u bytes captured; frames are fed as captured\n",
                    (unsigned long long)cnt, h->caplen, h->len);
            snapped_warned = 1;
        }
        unsigned port = TW_PORT_A;
        if (o->n_port_b && h->caplen >= 12) {
            uint64_t smac = 0;
            for (int i = 6; i < 12; i++)
                smac = smac << 8 | data[i];
            for (int i = 0; i < o->n_port_b; i++)
                if (o->port_b[i] == smac)
                    port = TW_PORT_B;
        }
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec; /* ns precision */
        rc = twsim_push(r.sim, port, data, h->caplen, 0, ts, cnt);
        if (rc < 0) {
            fprintf(stderr, "tapwatch-sim: frame %llu: %s\n", (unsigned long long)cnt, strerror(-rc));
            status = 3;
            break;
        }
        r.batch_cnt[r.nbatch] = cnt;
        r.batch_port[r.nbatch] = port;
        r.batch_len[r.nbatch] = h->caplen;
        r.nbatch++;
        r.frames++;
        if (r.nbatch == BATCH && drain(&r) < 0) {
            status = 3;
            break;
        }
    }
    if (status != 3 && drain(&r) < 0)
        status = 3;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const struct twsim_stats *st = twsim_stats(r.sim);
    uint64_t bad = st->out_bad[0] + st->out_bad[1] + st->rec_bad;
    if (bad) {
        fprintf(stderr, "tapwatch-sim: %llu forwarded frames or records did not match what went in\n",
                (unsigned long long)bad);
        status = status ? status : 3;
    }
    if (r.missing) {
        fprintf(stderr, "tapwatch-sim: %llu frames without a record\n", (unsigned long long)r.missing);
        status = status ? status : 3;
    }
    if (o->stats) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr,
                "tapwatch-sim: %llu frames (%llu skipped), %llu cycles, %.3f s: %.0f cycles/s, %.0f frames/s\n",
                (unsigned long long)r.frames, (unsigned long long)r.skipped, (unsigned long long)st->cycles, secs,
                secs > 0 ? (double)st->cycles / secs : 0.0, secs > 0 ? (double)r.frames / secs : 0.0);
    }
out:
    free(r.batch_cnt);
    free(r.batch_port);
    free(r.batch_len);
    twsim_free(r.sim);
    pcap_close(pc);
    if (fflush(stdout) != 0 && !status) {
        fprintf(stderr, "tapwatch-sim: write error: %s\n", strerror(errno));
        status = 3;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    if (!strcmp(argv[1], "serve"))
        return twdev_serve_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "parse") != 0) {
        fprintf(stderr, "tapwatch-sim: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return 1;
    }
    struct opts o;
    memset(&o, 0, sizeof o);
    o.mtu = 9600;
    o.seed = 1;
    static const struct option lo[] = {
        {"monitor", no_argument, NULL, 'M'}, {"gaps", required_argument, NULL, 'g'},
        {"egress-bp", required_argument, NULL, 'e'}, {"meta-bp", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 'S'},
        {"port-b", required_argument, NULL, 'b'}, {"mtu", required_argument, NULL, 'm'},
        {"l2tp-cookie", required_argument, NULL, 'c'}, {"stats", no_argument, NULL, 's'},
        {"trace", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    int c, ac = argc - 1;
    char **av = argv + 1; /* options after the command */
    while ((c = getopt_long(ac, av, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'b':
            if (o.n_port_b == MAX_PORT_B) {
                fprintf(stderr, "tapwatch-sim: at most %d --port-b addresses\n", MAX_PORT_B);
                return 1;
            }
            if (parse_mac(optarg, &o.port_b[o.n_port_b]) < 0) {
                fprintf(stderr, "tapwatch-sim: --port-b: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)\n", optarg);
                return 1;
            }
            o.n_port_b++;
            break;
        case 'm':
            if (parse_uint(optarg, 65535, &o.mtu) < 0) {
                fprintf(stderr, "tapwatch-sim: --mtu: '%s' is not a number 0..65535\n", optarg);
                return 1;
            }
            break;
        case 'c':
            if (parse_uint(optarg, 8, &o.cookie) < 0 || (o.cookie != 0 && o.cookie != 4 && o.cookie != 8)) {
                fprintf(stderr, "tapwatch-sim: --l2tp-cookie: '%s' must be 0, 4 or 8\n", optarg);
                return 1;
            }
            break;
        case 's':
            o.stats = 1;
            break;
        case 'M':
            o.monitor = 1;
            break;
        case 'g':
        case 'e':
        case 'p': {
            unsigned *dst = c == 'g' ? &o.gaps : c == 'e' ? &o.egress_bp : &o.meta_bp;
            if (parse_uint(optarg, 100, dst) < 0) {
                fprintf(stderr, "tapwatch-sim: %s: '%s' is not a percentage 0..100\n",
                        c == 'g' ? "--gaps" : c == 'e' ? "--egress-bp" : "--meta-bp", optarg);
                return 1;
            }
            break;
        }
        case 'S': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end) {
                fprintf(stderr, "tapwatch-sim: --seed: '%s' is not a number\n", optarg);
                return 1;
            }
            o.seed = v;
            break;
        }
        case 't':
            o.trace = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 1;
        }
    }
    if (optind != ac - 1) {
        fprintf(stderr, "tapwatch-sim parse: exactly one CAPTURE file expected\n");
        usage(stderr);
        return 1;
    }
    o.capture = av[optind];
    return cmd_parse(&o);
}
