/* Helpers of the engine-state tests and bench (sim/state_testlib.h). Test code only. */
#define _XOPEN_SOURCE 700
#include "state_testlib.h"

#include <ftw.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "detect_int.h"
#include "tapwatch/dissect.h"

uint64_t st_rand(uint64_t *s)
{
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static void fill(uint8_t *p, size_t n, uint64_t *rng)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)st_rand(rng);
}

void st_layer_random(struct tw_meta *m, int inner, uint64_t *rng)
{
    uint64_t r = st_rand(rng);
    int v6 = r & 1;
    uint8_t src[16] = {0}, dst[16] = {0}, head[16];
    if (v6) {
        fill(src, 16, rng);
        fill(dst, 16, rng);
    } else {
        fill(src + 12, 4, rng);
        fill(dst + 12, 4, rng);
    }
    fill(head, 16, rng);
    static const uint8_t protos[] = {6, 17, 132, 1, 58, 47, 50, 6, 17};
    uint8_t proto = protos[(r >> 8) % sizeof protos];
    uint16_t hdr = v6 ? (uint16_t)(40 + 8 * ((r >> 16) % 3)) : (uint16_t)(20 + 4 * ((r >> 16) % 4));
    uint16_t len = (uint16_t)(st_rand(rng) % 1500 + (v6 ? 0 : hdr));
    uint8_t l4 = ((r >> 24) % 8) != 0;
    uint16_t sp = (uint16_t)st_rand(rng), dp = (uint16_t)((r >> 32) % 4 ? 80 + (r >> 40) % 8 : st_rand(rng));
    uint8_t flags = (uint8_t)st_rand(rng);
    if (!inner) {
        m->o_ip_ver = v6 ? 6 : 4;
        memcpy(m->o_ip_src, src, 16);
        memcpy(m->o_ip_dst, dst, 16);
        memcpy(m->o_l3_head, head, 16);
        m->o_l3_head_n = 16;
        m->o_ip_proto = proto;
        m->o_ip_id = (uint16_t)st_rand(rng);
        m->o_ip_flow = (uint32_t)st_rand(rng) & 0xFFFFF;
        m->o_ip_len = len;
        m->o_l3_hdrlen = hdr;
        m->o_ip_ttl = (uint8_t)st_rand(rng);
        m->o_l4 = l4;
        m->o_sport = sp;
        m->o_dport = dp;
        m->o_tcp_flags = flags;
    } else {
        m->inner = 1;
        m->i_ip_ver = v6 ? 6 : 4;
        memcpy(m->i_ip_src, src, 16);
        memcpy(m->i_ip_dst, dst, 16);
        memcpy(m->i_l3_head, head, 16);
        m->i_l3_head_n = 16;
        m->i_ip_proto = proto;
        m->i_ip_id = (uint16_t)st_rand(rng);
        m->i_ip_flow = (uint32_t)st_rand(rng) & 0xFFFFF;
        m->i_ip_len = len;
        m->i_l3_hdrlen = hdr;
        m->i_ip_ttl = (uint8_t)st_rand(rng);
        m->i_l4 = l4;
        m->i_sport = sp;
        m->i_dport = dp;
        m->i_tcp_flags = flags;
    }
}

void st_plain(struct tw_meta *m, uint64_t *rng, uint64_t ts)
{
    memset(m, 0, sizeof *m);
    m->ts = ts;
    m->len = (uint16_t)(64 + st_rand(rng) % 1455);
    m->o_l2 = 1;
    st_layer_random(m, 0, rng);
}

void st_copy_of(struct tw_meta *m, const struct tw_meta *orig, uint64_t *rng, uint64_t ts)
{
    st_plain(m, rng, ts);
    m->o_ip_proto = 47;
    m->o_l4 = 0;
    m->tun_kind = TW_TUN_ERSPAN2;
    m->inner = 1;
    m->i_l2 = 1;
    m->i_ip_ver = orig->o_ip_ver;
    memcpy(m->i_ip_src, orig->o_ip_src, 16);
    memcpy(m->i_ip_dst, orig->o_ip_dst, 16);
    memcpy(m->i_l3_head, orig->o_l3_head, 16);
    m->i_l3_head_n = orig->o_l3_head_n;
    m->i_ip_proto = orig->o_ip_proto;
    m->i_ip_id = orig->o_ip_id;
    m->i_ip_flow = orig->o_ip_flow;
    m->i_ip_len = orig->o_ip_len;
    m->i_l3_hdrlen = orig->o_l3_hdrlen;
    m->i_ip_ttl = (uint8_t)(orig->o_ip_ttl - 1 - st_rand(rng) % 4); /* crossed routers */
    m->i_ip_tos = (uint8_t)st_rand(rng);
    m->i_l4 = orig->o_l4;
    m->i_sport = orig->o_sport;
    m->i_dport = orig->o_dport;
    m->i_tcp_flags = orig->o_tcp_flags;
}

void st_same_key(struct tw_meta *pool, unsigned n, uint64_t *rng, unsigned target,
                 unsigned (*key)(const struct tw_meta *m))
{
    for (unsigned i = 0; i < n;) {
        st_plain(&pool[i], rng, 0);
        if (key(&pool[i]) == target)
            i++;
    }
}

static struct tw_hash g_hash; /* built once (static storage, nothing to free); test code only */
static int g_hash_ready;

static const struct tw_hash *hash(void)
{
    if (!g_hash_ready) {
        tw_hash_init(&g_hash);
        g_hash_ready = 1;
    }
    return &g_hash;
}

unsigned st_digest_set(const struct tw_meta *m)
{
    uint8_t v[TW_DIGEST_VEC_BYTES];
    if (!tw_digest_vec(m, 0, v))
        return ~0u;
    return (unsigned)(tw_digest_tag(hash(), v) >> 32) & 8191u;
}

unsigned st_flow_bucket(const struct tw_meta *m)
{
    struct tw_flow_key k;
    int rev;
    if (!tw_flow_key_of(m, &k, &rev))
        return ~0u;
    return tw_crc32c(hash(), k.b, sizeof k.b) & 4095u;
}

void st_reverse(struct tw_meta *m)
{
    uint8_t a[16];
    memcpy(a, m->o_ip_src, 16);
    memcpy(m->o_ip_src, m->o_ip_dst, 16);
    memcpy(m->o_ip_dst, a, 16);
    uint16_t p = m->o_sport;
    m->o_sport = m->o_dport;
    m->o_dport = p;
}

/* ---- corpus ---- */
static struct st_corpus *g_corpus; /* nftw has no user pointer; test code only */

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || !S_ISREG(sb->st_mode))
        return 0;
    const char *dot = strrchr(path, '.');
    if (!dot || (strcmp(dot, ".pcap") && strcmp(dot, ".pcapng") && strcmp(dot, ".cap")))
        return 0;
    struct st_corpus *c = g_corpus;
    char **np = realloc(c->paths, (c->n + 1) * sizeof *np);
    if (!np)
        return -1;
    c->paths = np;
    c->paths[c->n] = strdup(path);
    if (!c->paths[c->n])
        return -1;
    c->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int st_corpus_open(struct st_corpus *c)
{
    memset(c, 0, sizeof *c);
    c->dir = getenv("TAPWATCH_CAPTURES");
    if (!c->dir || !*c->dir)
        c->dir = "../shared/captures";
    struct stat sb;
    if (stat(c->dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return -1;
    g_corpus = c;
    int rc = nftw(c->dir, collect, 16, FTW_PHYS);
    g_corpus = NULL;
    if (rc != 0)
        return -1;
    if (c->n)
        qsort(c->paths, c->n, sizeof *c->paths, cmp_str);
    return 0;
}

void st_corpus_close(struct st_corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
    c->paths = NULL;
    c->n = 0;
}

/* A mirror copy of an IP frame as a tap vendor would send it: a new Ethernet + IPv4 header (protocol 4 for an IPv4
 * original, 41 for IPv6: IP-in-IP) in front of the original IP packet, whose TTL / hop limit is one lower (it
 * crossed a router). Returns the copy's length (0 when the frame has no outer IP header). */
static size_t make_copy(const struct tw_meta *m, const uint8_t *frame, size_t caplen, uint8_t *out, size_t cap)
{
    size_t off = m->o_l3_off;
    if ((m->o_ip_ver != 4 && m->o_ip_ver != 6) || off >= caplen || 34 + caplen - off > cap)
        return 0;
    size_t ilen = caplen - off;
    static const uint8_t eth[14] = {0x02, 0, 0, 0, 0, 0xAA, 0x02, 0, 0, 0, 0, 0xBB, 0x08, 0x00};
    memcpy(out, eth, 14);
    uint8_t *ip = out + 14;
    size_t tot = 20 + ilen;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[2] = (uint8_t)(tot >> 8);
    ip[3] = (uint8_t)tot;
    ip[8] = 64;
    ip[9] = m->o_ip_ver == 4 ? 4 : 41;
    ip[12] = 192;
    ip[13] = 0;
    ip[14] = 2;
    ip[15] = 1;
    ip[16] = 198;
    ip[17] = 51;
    ip[18] = 100;
    ip[19] = 7;
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)ip[i] << 8 | ip[i + 1];
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    ip[10] = (uint8_t)(~sum >> 8);
    ip[11] = (uint8_t)~sum;
    memcpy(out + 34, frame + off, ilen);
    uint8_t *inner = out + 34;
    if (m->o_ip_ver == 4 && ilen > 8)
        inner[8]--; /* TTL (the header checksum is left stale: not part of the digest) */
    else if (m->o_ip_ver == 6 && ilen > 7)
        inner[7]--; /* hop limit */
    return 34 + ilen;
}

static int push(struct tw_meta **r, size_t *k, size_t *cap)
{
    if (*k < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 4096;
    struct tw_meta *nr = realloc(*r, nc * sizeof *nr);
    if (!nr)
        return -1;
    *r = nr;
    *cap = nc;
    return 0;
}

int st_corpus_records(const struct st_corpus *c, struct tw_meta **recs, size_t *n)
{
    return st_corpus_records_copies(c, recs, n, 0, 0);
}

int st_corpus_records_copies(const struct st_corpus *c, struct tw_meta **recs, size_t *n, unsigned every,
                             uint64_t window_ns)
{
    struct tw_dissect_cfg cfg;
    tw_dissect_cfg_default(&cfg);
    size_t cap = 0, k = 0;
    struct tw_meta *r = NULL;
    uint32_t fseq[2] = {0, 0};
    for (size_t i = 0; i < c->n; i++) {
        char eb[PCAP_ERRBUF_SIZE];
        pcap_t *p = pcap_open_offline_with_tstamp_precision(c->paths[i], PCAP_TSTAMP_PRECISION_NANO, eb);
        if (!p)
            continue;
        if (pcap_datalink(p) != DLT_EN10MB) {
            pcap_close(p);
            continue;
        }
        struct pcap_pkthdr *h;
        const u_char *d;
        size_t nf = 0;
        while (pcap_next_ex(p, &h, &d) == 1) {
            if (push(&r, &k, &cap) != 0) {
                free(r);
                pcap_close(p);
                return -1;
            }
            unsigned port = (unsigned)(k & 1);
            uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
            tw_dissect(&cfg, d, h->caplen, 0, ts, port, fseq[port]++, &r[k]);
            r[k].len = (uint16_t)(h->len > 0xFFFF ? 0xFFFF : h->len);
            k++;
            if (every && nf++ % every == 0) {
                uint8_t cp[34 + 65536];
                size_t cl = make_copy(&r[k - 1], d, h->caplen, cp, sizeof cp);
                if (!cl)
                    continue;
                if (push(&r, &k, &cap) != 0) {
                    free(r);
                    pcap_close(p);
                    return -1;
                }
                /* the copy right behind its original; every third one just outside the window */
                uint64_t dt = (nf / every) % 3 == 2 ? window_ns + 1 : (nf / every) % 3 == 1 ? window_ns : 5000;
                port = (unsigned)(k & 1);
                tw_dissect(&cfg, cp, cl, 0, ts + dt, port, fseq[port]++, &r[k]);
                k++;
            }
        }
        pcap_close(p);
    }
    *recs = r;
    *n = k;
    return 0;
}
