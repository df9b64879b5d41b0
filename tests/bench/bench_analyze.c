/* make bench: tapwatch analyze against tshark applying an equivalent display filter and against a bare libpcap
 * read loop, on a generated backhaul-like capture (IPv4/IPv6 TCP/UDP, VLANs, GTP-U, ERSPAN mirror copies), plus the
 * analyzer's peak RSS. The capture is generated once into BUILD/bench/ (TW_BENCH_FRAMES frames, default 1,000,000).
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
static void put_ip_flow(struct twf *f, unsigned flow, int v6, int udp, size_t pay, uint16_t id)
{
    uint32_t src = 0x0a000000u | (flow & 0xFFFF), dst;
    uint16_t sp = (uint16_t)(1024 + flow % 50000), dp;
    switch (flow % 16) {
    case 0: dst = 0x0a000035; dp = 53; udp = 1; break;           /* internal DNS */
    case 1: dst = 0x08080808; dp = 53; udp = 1; break;           /* DNS outside */
    case 2: dst = 0x0a100001; dp = 161; udp = 1; break;          /* SNMP */
    case 3: dst = 0xc6336400 | (flow & 0xFF); dp = 443; break;   /* 198.51.100.0/24 */
    case 4: dst = 0x0a200001; dp = 23; udp = 0; break;           /* telnet */
    default: dst = 0xcb007100 | (flow & 0xFF); dp = udp ? 4500 : 443; break;
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

static int generate(const char *path, unsigned nframes)
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
    uint64_t ts = 1700000000ull * 1000000000ull;
    for (unsigned i = 0; i < nframes; i++) {
        unsigned kind = rnd() % 100, flow = rnd() % BENCH_FLOWS;
        size_t pay = (rnd() % 8) ? rnd() % 200 : rnd() % 1400;
        uint16_t id = (uint16_t)i;
        twf_init(&f);
        if (kind < 95 || !last.n) {
            int vlan = flow & 1;
            twf_eth(&f, 0x020000000002ull, (flow % 5 == 0) ? 0x00e0fc000001ull : 0x020000000001ull,
                    vlan ? 0x8100 : (kind >= 75 && kind < 85 ? 0x86DD : 0x0800));
            if (vlan)
                twf_vlan(&f, (uint16_t)(100 + flow % 8), kind >= 75 && kind < 85 ? 0x86DD : 0x0800);
            if (kind < 75) {
                put_ip_flow(&f, flow, 0, kind >= 60, pay, id);
            } else if (kind < 85) {
                put_ip_flow(&f, flow, 1, 1, pay, id);
            } else { /* GTP-U user plane */
                twf_ipv4(&f, &(struct twf_ip4){.proto = 17, .ttl = 64, .id = id, .src = 0x0a640001,
                                               .dst = 0x0a640002 + (flow & 3)});
                twf_udp(&f, 2152, 2152);
                twf_gtpu(&f, 0, 255, 0x1000 + flow, 0, 0);
                put_ip_flow(&f, flow + 7, 0, 0, pay, id);
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
                            "  - bench.rules\n";
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

static uint64_t loop_frames;
static void on_frame(u_char *u, const struct pcap_pkthdr *h, const u_char *b)
{
    (void)u;
    (void)b;
    loop_frames++;
    loop_frames += h->caplen & 0; /* touch the header as any reader would */
}

/* The bare libpcap read loop: reads every frame, touches its header. */
static double pcap_loop_frames(const char *path, uint64_t *frames)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    loop_frames = 0;
    while (pcap_dispatch(p, 4096, on_frame, NULL) > 0)
        ;
    pcap_close(p);
    *frames = loop_frames;
    return (double)loop_frames;
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

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--loop")) { /* the bare read loop, run as a child like the others */
        uint64_t n;
        pcap_loop_frames(argv[2], &n);
        printf("%llu\n", (unsigned long long)n);
        return 0;
    }
    const char *build = TW_BUILD_DIR;
    unsigned nframes = 1000000;
    const char *env = getenv("TW_BENCH_FRAMES");
    if (env && atoi(env) > 0)
        nframes = (unsigned)atoi(env);
    char dir[512], cap[600], cfg[600], rules[600], tw[600];
    snprintf(dir, sizeof dir, "%s/bench", build);
    mkdir(dir, 0777);
    snprintf(cap, sizeof cap, "%s/analyze-%u-f%u.pcap", dir, nframes, (unsigned)BENCH_FLOWS);
    snprintf(cfg, sizeof cfg, "%s/analyze.yaml", dir);
    snprintf(rules, sizeof rules, "%s/bench.rules", dir);
    snprintf(tw, sizeof tw, "%s/tapwatch", build);
    struct stat sb;
    if (stat(cap, &sb) != 0) {
        fprintf(stderr, "bench: generating %s (%u frames) ...\n", cap, nframes);
        if (generate(cap, nframes) != 0 || stat(cap, &sb) != 0) {
            fprintf(stderr, "bench: cannot generate %s: %s\n", cap, strerror(errno));
            return 1;
        }
    }
    write_text(cfg, CONFIG);
    write_text(rules, RULES);

    uint64_t frames = 0;
    pcap_loop_frames(cap, &frames); /* counts the frames and warms the page cache */
    char self[600];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        fprintf(stderr, "bench: cannot find myself\n");
        return 1;
    }
    self[sl] = 0;
    char *lp[] = {self, "--loop", cap, NULL};
    double loop_best = 1e30;
    for (int i = 0; i < 3; i++) {
        int st;
        long r;
        double t = run(lp, &st, &r);
        if (t >= 0 && st == 0 && t < loop_best)
            loop_best = t;
    }
    double loop = frames / (loop_best > 1e-4 ? loop_best : 1e-4);

    char *an[] = {tw, "analyze", "--config", cfg, "--eve", "/dev/null", cap, NULL};
    double best = 1e30;
    long rss = 0;
    for (int i = 0; i < 3; i++) {
        int st;
        long r;
        double t = run(an, &st, &r);
        if (t < 0 || st != 1) { /* the capture has alerts: exit status 1 */
            fprintf(stderr, "bench: %s analyze failed (status %d)\n", tw, st);
            return 1;
        }
        if (t < best)
            best = t;
        if (r > rss)
            rss = r;
    }
    double analyze = frames / best;

    char *ts[] = {"tshark", "-n", "-r", cap, "-Y", (char *)FILTER, "-T", "fields", "-e", "frame.number", NULL};
    int st = 0;
    long trss = 0;
    double tt = run(ts, &st, &trss);
    double tshark = (tt > 0 && st == 0) ? frames / tt : 0;

    printf("ROW\tanalyze: frames per CPU-second (%u frames, %.0f MiB, %u flows, 12 rules)\t%.0f\tframes/s\t",
           nframes, sb.st_size / 1048576.0, (unsigned)BENCH_FLOWS, analyze);
    if (tshark > 0)
        printf("tshark -Y %.0f frames/s\t%.2f\n", tshark, analyze / tshark);
    else
        printf("tshark unavailable\t-\n");
    printf("ROW\tanalyze: frames per CPU-second vs bare libpcap loop\t%.0f\tframes/s\tpcap loop %.0f frames/s\t%.2f\n",
           analyze, loop, analyze / loop);
    printf("ROW\tanalyze: peak RSS\t%.1f\tMiB\tcapture %.0f MiB\t%.3f\n", rss / 1024.0, sb.st_size / 1048576.0,
           (rss * 1024.0) / (double)sb.st_size);
    return 0;
}
