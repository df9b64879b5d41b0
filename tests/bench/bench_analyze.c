/* make bench: tapwatch analyze against tshark applying an equivalent display filter and against a bare libpcap
 * read loop, on two generated backhaul-like captures (IPv4/IPv6 TCP/UDP, VLANs, GTP-U, ERSPAN mirror copies), plus
 * the analyzer's peak RSS and its fixed start-up cost. The captures are generated once into BUILD/bench/
 * (TW_BENCH_FRAMES frames each, default 1,000,000):
 *   heavy:   5 % of the frames are ERSPAN mirror copies and a third of the flows hit a rule; about 8 % of the frames
 *            alert (a link under attack, or a rule set tuned too broadly): the EVE writer's worst case;
 *   typical: mirror copies are rare (0.05 %), most flows are plain HTTPS/QUIC; well under 1 % of the frames alert.
 * Both use the same 12 rules, except that the typical mix's volume rule tracks TCP destinations (TYPICAL_FROM); it
 * still matches most outbound TCP frames, so the state lookups stay.
 * Every figure is CPU time (user + system) of a child process with the capture in the page cache. The loops and
 * the analyzer run interleaved (loop, header-only loop, analyze, loop, ...), TW_BENCH_RUNS rounds (default 9, at
 * least 7, at most 64), and each reports its best round: on a shared machine a swing of the other load then hits
 * both sides of a ratio alike, where timing them minutes apart does not. A second row gives the median of each
 * round's own analyze/loop ratio (the paired estimate) with their range. About 10-15 s per mix on the development
 * VM.
 * The baseline is the bare libpcap read loop of the issue: pcap_next_ex() per packet, reading the header and one
 * byte of every 64-byte line of the packet, so every byte read is brought to the CPU as the analyzer's reads would
 * (a loop that touches nothing would flatter libpcap; folding every byte would flatter tapwatch). The loop that
 * touches only the header is reported too.
 * Prints rows "ROW<TAB>name<TAB>value<TAB>unit<TAB>baseline<TAB>ratio" (tools/run-bench.sh). */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "frames.h"

#ifndef TW_BUILD_DIR
#define TW_BUILD_DIR "build"
#endif

/* Concurrent flows of the generated traffic: the flow table (16,384 entries) holds them, as on a link the
 * hardware is sized for; a table-thrashing mix costs more (every new flow evicts one). */
#define BENCH_FLOWS 6000

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* An IP packet of a flow (inside whatever the caller put before it). */
static void put_ip_flow(struct twf *f, unsigned flow, int v6, int udp, size_t pay, uint16_t id, int typical)
{
    uint32_t src = 0x0a000000u | (flow & 0xFFFF), dst;
    uint16_t sp = (uint16_t)(1024 + flow % 50000), dp;
    /* typical: one flow in 64 is of the special kinds below, the others are HTTPS (TCP) or QUIC (UDP 443) */
    switch (typical && flow % 64 ? 15 : flow % 16) {
    case 0: dst = 0x0a000035; dp = 53; udp = 1; break;           /* internal DNS */
    case 1: dst = 0x08080808; dp = 53; udp = 1; break;           /* DNS outside */
    case 2: dst = 0x0a100001; dp = 161; udp = 1; break;          /* SNMP */
    case 3: dst = 0xc6336400 | (flow & 0xFF); dp = 443; break;   /* 198.51.100.0/24 */
    case 4: dst = 0x0a200001; dp = 23; udp = 0; break;           /* telnet */
    default: dst = 0xcb007100 | (flow & 0xFF); dp = udp && !typical ? 4500 : 443; break;
    }
    if (v6) {
        struct twf_ip6 ip = {.nh = (uint8_t)(udp ? 17 : 6), .hlim = 64, .flow = flow & 0xFFFFF};
        twf_ip6_addr(ip.src, 0x2001, (uint16_t)flow);
        twf_ip6_addr(ip.dst, 0x2a00, (uint16_t)(flow * 7));
        twf_ipv6(f, &ip);
    } else {
        twf_ipv4(f, &(struct twf_ip4){.proto = (uint8_t)(udp ? 17 : 6), .ttl = 63, .id = id, .src = src,
                                      .dst = dst});
    }
    if (udp)
        twf_udp(f, sp, dp);
    else
        twf_tcp(f, sp, dp, flow * 1000u, (uint8_t)((flow % 97) == 0 ? 0x04 : (id % 50 == 0 ? 0x02 : 0x10)));
    twf_payload(f, pay, (uint8_t)flow);
}

static int generate(const char *path, unsigned nframes, int typical)
{
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    pcap_t *d = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    if (!d)
        return -1;
    pcap_dumper_t *w = pcap_dump_open(d, tmp);
    if (!w) {
        fprintf(stderr, "bench: %s: %s\n", tmp, pcap_geterr(d));
        pcap_close(d);
        return -1;
    }
    static struct twf f, last;
    last.n = 0;
    rng = 0x9E3779B97F4A7C15ull; /* each capture from the same seed, whatever was generated before */
    uint64_t ts = 1700000000ull * 1000000000ull;
    for (unsigned i = 0; i < nframes; i++) {
        unsigned kind = rnd() % 100, flow = rnd() % BENCH_FLOWS;
        size_t pay = (rnd() % 8) ? rnd() % 200 : rnd() % 1400;
        uint16_t id = (uint16_t)i;
        twf_init(&f);
        if (kind < 95 || !last.n || (typical && rnd() % 100)) {
            int vlan = flow & 1;
            twf_eth(&f, 0x020000000002ull, (flow % 5 == 0) ? 0x00e0fc000001ull : 0x020000000001ull,
                    vlan ? 0x8100 : (kind >= 75 && kind < 85 ? 0x86DD : 0x0800));
            if (vlan)
                twf_vlan(&f, (uint16_t)(100 + flow % 8), kind >= 75 && kind < 85 ? 0x86DD : 0x0800);
            if (kind < 75) {
                put_ip_flow(&f, flow, 0, kind >= 60, pay, id, typical);
            } else if (kind < 85) {
                put_ip_flow(&f, flow, 1, 1, pay, id, typical);
            } else { /* GTP-U user plane */
                twf_ipv4(&f, &(struct twf_ip4){.proto = 17, .ttl = 64, .id = id, .src = 0x0a640001,
                                               .dst = 0x0a640002 + (flow & 3)});
                twf_udp(&f, 2152, 2152);
                twf_gtpu(&f, 0, 255, 0x1000 + flow, 0, 0);
                put_ip_flow(&f, flow + 7, 0, 0, pay, id, typical);
            }
            twf_end(&f);
            twf_pad(&f, 60);
            last = f;
        } else { /* an ERSPAN II copy of the last frame, leaving towards 203.0.113.77 */
            twf_eth(&f, 0x020000000009ull, 0x00e0fc000009ull, 0x0800);
            twf_ipv4(&f, &(struct twf_ip4){.proto = 47, .ttl = 255, .id = id, .src = 0x0a090909,
                                           .dst = 0xcb00714d});
            twf_gre(&f, TWF_GRE_S, 0x88BE, 0, i);
            twf_erspan2(&f, 0, 0, 77, 0);
            twf_bytes(&f, last.b, last.n);
            twf_end(&f);
        }
        if (f.overflow)
            continue;
        ts += 10000 + rnd() % 1000; /* ~10 µs apart */
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = (time_t)(ts / 1000000000ull);
        h.ts.tv_usec = (suseconds_t)(ts % 1000000000ull);
        h.caplen = h.len = (bpf_u_int32)f.n;
        pcap_dump((u_char *)w, &h, f.b);
    }
    pcap_dump_close(w);
    pcap_close(d);
    return rename(tmp, path);
}

static const char *CONFIG = "vars:\n"
                            "  address-groups:\n"
                            "    HOME_NET: \"[10.0.0.0/8,2001::/16]\"\n"
                            "    DNS_SERVERS: \"[10.0.0.53]\"\n"
                            "    ANALYZERS: \"[10.20.0.5/32]\"\n"
                            "vendors:\n"
                            "  HW:\n"
                            "    registry: [\"HUAWEI TECHNOLOGIES\", \"Huawei Device\"]\n"
                            "detect:\n"
                            "  mirror-copy-window-ms: 100\n"
                            "  evidence-bytes: 64\n"
                            "rule-files:\n"
                            "  - ";
static const char *RULES =
    "pass ip any any -> $ANALYZERS any (msg:\"authorised analyser\"; sid:99;)\n"
    "alert ip any any -> !$HOME_NET any (msg:\"mirror copy leaving the network\"; mirror_copy; sid:100;)\n"
    "alert ip any any -> !$HOME_NET any (msg:\"ERSPAN to outside\"; tunnel:erspan; sid:101;)\n"
    "alert tcp any any -> any 23 (msg:\"telnet\"; flags:S; sid:102;)\n"
    "alert udp $HOME_NET any -> !$DNS_SERVERS 53 (msg:\"DNS to an outside resolver\"; sid:103;)\n"
    "alert udp any any -> any [161,162] (msg:\"SNMP\"; sid:104;)\n"
    "alert ip any any -> !$HOME_NET any (msg:\"vendor equipment to outside\"; src_vendor:HW; ttl:>250; sid:105;)\n"
    "alert ip $HOME_NET any -> !$HOME_NET any (msg:\"exfiltration volume\"; "
    "volume: track by_src, bytes 1000000, seconds 10; sid:106;)\n"
    "alert tcp any any -> any any (msg:\"RST\"; flags:R; threshold: type threshold, track by_src, count 10, "
    "seconds 60; sid:107;)\n"
    "alert udp any any -> any [500,4500] (msg:\"IKE\"; sid:108;)\n"
    "alert tcp any any -> any 23 (msg:\"telnet inside GTP-U\"; inner; tunnel:gtpu; sid:109;)\n"
    "alert ip any any <> 198.51.100.0/24 any (msg:\"known bad net\"; sid:110;)\n";
/* The typical mix's rules: the same, but the volume rule watches TCP towards each outside server (a few hundred, 100 MB
 * in 10 s) where the heavy mix's tracks 6,000 sources, more than the state table holds (4,096 entries): there every
 * match that finds no free entry alerts (docs/detection.md, "state_full"), a large share of the heavy mix's alerts. */
static const char *TYPICAL_FROM = "alert ip $HOME_NET any -> !$HOME_NET any (msg:\"exfiltration volume\"; "
                                  "volume: track by_src, bytes 1000000,";
static const char *TYPICAL_TO = "alert tcp $HOME_NET any -> !$HOME_NET any (msg:\"exfiltration volume\"; "
                                "volume: track by_dst, bytes 100000000,";

/* The same conditions as a display filter (without the state: window, volume, thresholds). */
static const char *FILTER =
    "(erspan && !(ip.dst == 10.0.0.0/8)) || (tcp.dstport == 23 && tcp.flags.syn == 1) || "
    "(udp.dstport == 53 && !(ip.dst == 10.0.0.53)) || udp.dstport == 161 || udp.dstport == 162 || "
    "(ip.ttl > 250 && eth.src[0:3] == 00:e0:fc) || tcp.flags.reset == 1 || udp.dstport == 500 || "
    "udp.dstport == 4500 || ip.addr == 198.51.100.0/24";

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "bench: cannot write %s\n", path);
        exit(1);
    }
}

/* The bare libpcap read loop: pcap_next_ex() per packet; reads the header and (lines != 0) one byte of every
 * 64-byte line of the packet. Returns the frames read. */
static uint64_t pcap_loop_frames(const char *path, int lines, uint64_t *sum)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    uint64_t n = 0, acc = 0;
    struct pcap_pkthdr *h;
    const u_char *b;
    while (pcap_next_ex(p, &h, &b) == 1) {
        n++;
        acc += h->caplen + (uint64_t)h->ts.tv_usec;
        if (lines)
            for (bpf_u_int32 i = 0; i < h->caplen; i += 64)
                acc += b[i];
    }
    pcap_close(p);
    *sum = acc;
    return n;
}

/* Runs argv with stdout to /dev/null; returns the child's CPU seconds (user + system: fair on a shared machine,
 * where wall-clock time depends on the other load), its exit status and its peak RSS (KiB). */
static double run(char *const argv[], int *status, long *maxrss)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0)
        return -1;
    double t = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec / 1e6;
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    *maxrss = ru.ru_maxrss;
    return t;
}

/* Runs argv once (exit statuses other than ok0/ok1 fail the bench); its CPU time, peak RSS into *rss (max). */
static double run_checked(char *const argv[], int ok0, int ok1, long *rss)
{
    int st;
    long r = 0;
    double t = run(argv, &st, &r);
    if (t < 0 || (st != ok0 && st != ok1)) {
        fprintf(stderr, "bench: %s %s failed (status %d)\n", argv[0], argv[1] ? argv[1] : "", st);
        exit(1);
    }
    if (rss && r > *rss)
        *rss = r;
    return t > 1e-4 ? t : 1e-4;
}

/* Best (lowest) CPU time of 3 runs of argv. */
static double best_of_3(char *const argv[], int ok0, int ok1, long *rss)
{
    double best = 1e30;
    for (int i = 0; i < 3; i++) {
        double t = run_checked(argv, ok0, ok1, rss);
        best = t < best ? t : best;
    }
    return best;
}

/* Rounds of the interleaved measurement (TW_BENCH_RUNS, at least 7). */
static int bench_rounds(void)
{
    const char *e = getenv("TW_BENCH_RUNS");
    int n = e ? atoi(e) : 9;
    return n >= 7 ? n : 7;
}

#define MAX_ROUNDS 64

/* The programs of argv[0..n-1] run one after the other, rounds times over; best[i] is the lowest CPU time of
 * argv[i] (exit status 0, or 1 where ok1[i]), rss[i] its peak RSS. Each round's times go to t[round][i]; the
 * number of rounds is returned. */
static int best_interleaved(int n, char *const *const argv[], const int ok1[], double best[], long rss[], double t[][3])
{
    int rounds = bench_rounds();
    rounds = rounds < MAX_ROUNDS ? rounds : MAX_ROUNDS;
    for (int i = 0; i < n; i++)
        best[i] = 1e30, rss[i] = 0;
    for (int k = 0; k < rounds; k++)
        for (int i = 0; i < n; i++) {
            t[k][i] = run_checked(argv[i], 0, ok1[i], &rss[i]);
            best[i] = t[k][i] < best[i] ? t[k][i] : best[i];
        }
    return rounds;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The paired estimate: each round's analyze time over the same round's loop time, the loop run just before it,
 * so a slow spell of the machine scales both sides of that round's ratio alike. Sorted into r[0..rounds-1]. */
static void round_ratios(int rounds, double t[][3], int loop, int an, double r[])
{
    for (int k = 0; k < rounds; k++)
        r[k] = t[k][an] / t[k][loop];
    qsort(r, (size_t)rounds, sizeof r[0], cmp_double);
}

static const char *self_exe(void)
{
    static char self[600];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        fprintf(stderr, "bench: cannot find myself\n");
        exit(1);
    }
    self[sl] = 0;
    return self;
}

/* One capture: analyze vs tshark, vs the bare loops, RSS. */
static void bench_capture(const char *mix, const char *cap, const char *cfg, const char *tw, unsigned nframes,
                          double startup)
{
    struct stat sb;
    if (stat(cap, &sb) != 0) {
        fprintf(stderr, "bench: generating %s (%u frames) ...\n", cap, nframes);
        if (generate(cap, nframes, !strcmp(mix, "typical")) != 0 || stat(cap, &sb) != 0) {
            fprintf(stderr, "bench: cannot generate %s: %s\n", cap, strerror(errno));
            exit(1);
        }
    }
    uint64_t sum, frames = pcap_loop_frames(cap, 1, &sum); /* counts the frames and warms the page cache */
    char *lp[] = {(char *)self_exe(), "--loop", (char *)cap, NULL};
    char *hp[] = {(char *)self_exe(), "--loop-hdr", (char *)cap, NULL};
    /* the EVE output is written (to /dev/null): formatting every event is part of the work */
    char *an[] = {(char *)tw, "analyze", "--config", (char *)cfg, "--eve", "/dev/null", (char *)cap, NULL};
    char *const *const progs[] = {lp, hp, an};
    const int ok1[] = {0, 0, 1}; /* analyze's exit status 1: there were alerts */
    double best[3], times[MAX_ROUNDS][3], ratios[MAX_ROUNDS];
    long rsss[3];
    int rounds = best_interleaved(3, progs, ok1, best, rsss, times);
    round_ratios(rounds, times, 0, 2, ratios);
    double med = rounds % 2 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
    long rss = rsss[2];
    double loop = frames / best[0], loop_hdr = frames / best[1], t_an = best[2];
    double analyze = frames / t_an;
    /* the alerts of the mix, from a run with the EVE stats */
    char evepath[700];
    snprintf(evepath, sizeof evepath, "%s.eve.json", cap);
    char *an2[] = {(char *)tw, "analyze", "--config", (char *)cfg, "--eve", evepath, (char *)cap, NULL};
    int st;
    long r2;
    run(an2, &st, &r2);
    unsigned long long alerted = 0;
    FILE *ef = fopen(evepath, "r");
    if (ef) {
        static char line[1 << 16];
        while (fgets(line, sizeof line, ef)) {
            const char *q = strstr(line, "\"frames_alerted\":");
            if (q)
                alerted = strtoull(q + 17, NULL, 10);
        }
        fclose(ef);
    }
    remove(evepath);

    double tshark = 0;
    if (!getenv("TW_BENCH_NO_TSHARK")) {
        char *ts[] = {"tshark", "-n", "-r", (char *)cap, "-Y", (char *)FILTER, "-T", "fields", "-e", "frame.number",
                      NULL};
        long trss = 0;
        double tt = run(ts, &st, &trss);
        tshark = (tt > 0 && st == 0) ? frames / tt : 0;
    }

    printf("ROW\tanalyze %s: frames per CPU-second (%u frames, %.0f MiB, %.2f %% of frames alert)\t%.0f\tframes/s\t",
           mix, nframes, sb.st_size / 1048576.0, frames ? 100.0 * (double)alerted / (double)frames : 0.0, analyze);
    if (tshark > 0)
        printf("tshark -Y %.0f frames/s\t%.2f\n", tshark, analyze / tshark);
    else
        printf("tshark not run\t-\n");
    printf("ROW\tanalyze %s: vs bare libpcap loop (pcap_next_ex, every line read)\t%.0f\tframes/s\tpcap loop %.0f "
           "frames/s\t%.2f\n",
           mix, analyze, loop, analyze / loop);
    printf("ROW\tanalyze %s: vs bare libpcap loop, median of %d rounds' own ratios (%.2f-%.2fx slower)\t%.0f\t"
           "frames/s\tpcap loop %.0f frames/s\t%.2f\n",
           mix, rounds, ratios[0], ratios[rounds - 1], loop / med, loop, 1.0 / med);
    printf("ROW\tanalyze %s: vs bare libpcap loop (pcap_next_ex, headers only)\t%.0f\tframes/s\tpcap loop %.0f "
           "frames/s\t%.2f\n",
           mix, analyze, loop_hdr, analyze / loop_hdr);
    printf("ROW\tanalyze %s: without the start-up (%.3f s)\t%.0f\tframes/s\tpcap loop %.0f frames/s\t%.2f\n", mix,
           startup, t_an > startup ? frames / (t_an - startup) : 0, loop,
           t_an > startup ? frames / (t_an - startup) / loop : 0);
    printf("ROW\tanalyze %s: peak RSS\t%.1f\tMiB\tcapture %.0f MiB\t%.3f\n", mix, rss / 1024.0,
           sb.st_size / 1048576.0, (rss * 1024.0) / (double)sb.st_size);
}

int main(int argc, char **argv)
{
    if (argc == 3 && (!strcmp(argv[1], "--loop") || !strcmp(argv[1], "--loop-hdr"))) { /* run as a child */
        uint64_t sum, n = pcap_loop_frames(argv[2], !strcmp(argv[1], "--loop"), &sum);
        printf("%llu %llu\n", (unsigned long long)n, (unsigned long long)sum);
        return 0;
    }
    const char *build = TW_BUILD_DIR;
    unsigned nframes = 1000000;
    const char *env = getenv("TW_BENCH_FRAMES");
    if (env && atoi(env) > 0)
        nframes = (unsigned)atoi(env);
    char dir[512], cap[600], cfg[600], rules[600], tw[600], empty[600];
    snprintf(dir, sizeof dir, "%s/bench", build);
    mkdir(dir, 0777);
    snprintf(tw, sizeof tw, "%s/tapwatch", build);
    char text[4096];
    snprintf(cfg, sizeof cfg, "%s/analyze.yaml", dir);
    snprintf(rules, sizeof rules, "%s/bench.rules", dir);
    snprintf(text, sizeof text, "%sbench.rules\n", CONFIG);
    write_text(cfg, text);
    write_text(rules, RULES);
    char cfg_t[600], rules_t[600];
    snprintf(cfg_t, sizeof cfg_t, "%s/analyze-typical.yaml", dir);
    snprintf(rules_t, sizeof rules_t, "%s/typical.rules", dir);
    snprintf(text, sizeof text, "%stypical.rules\n", CONFIG);
    write_text(cfg_t, text);
    const char *at = strstr(RULES, TYPICAL_FROM);
    if (!at) {
        fprintf(stderr, "bench: the volume rule is not in the rules\n");
        return 1;
    }
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - RULES), RULES, TYPICAL_TO, at + strlen(TYPICAL_FROM));
    write_text(rules_t, text);

    /* the fixed start-up: configuration, rule compilation and the OUI registry, on a capture without frames */
    snprintf(empty, sizeof empty, "%s/empty.pcap", dir);
    pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t *w = dead ? pcap_dump_open(dead, empty) : NULL;
    if (!w) {
        fprintf(stderr, "bench: cannot write %s\n", empty);
        return 1;
    }
    pcap_dump_close(w);
    pcap_close(dead);
    char *an0[] = {tw, "analyze", "--config", cfg, "--eve", "/dev/null", empty, NULL};
    double startup = best_of_3(an0, 0, 0, NULL);
    printf("ROW\tanalyze: start-up (config, rules, OUI registry; empty capture)\t%.3f\ts\t-\t-\n", startup);

    snprintf(cap, sizeof cap, "%s/analyze-%u-f%u.pcap", dir, nframes, (unsigned)BENCH_FLOWS);
    bench_capture("heavy", cap, cfg, tw, nframes, startup);
    snprintf(cap, sizeof cap, "%s/analyze-typical-%u-f%u.pcap", dir, nframes, (unsigned)BENCH_FLOWS);
    bench_capture("typical", cap, cfg_t, tw, nframes, startup);
    return 0;
}
