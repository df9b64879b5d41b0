/* tshark comparison (see tshark_cmp.h). */
#include "tshark_cmp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* tshark fields, in the order of the -e options. */
#define FIELDS(X)                                                                                                  \
    X(F_NUM, "frame.number") X(F_LEN, "frame.len") X(F_CAPLEN, "frame.cap_len") X(F_PROTOS, "frame.protocols") X(F_ETH_SRC, "eth.src")        \
    X(F_ETH_DST, "eth.dst") X(F_VLAN, "vlan.id") X(F_AD, "ieee8021ad.id") X(F_MPLS, "mpls.label")                  \
    X(F_MPLS_BOS, "mpls.bottom") X(F_IP_VER, "ip.version") X(F_IP_SRC, "ip.src") X(F_IP_DST, "ip.dst") X(F_IP_PROTO, "ip.proto")            \
    X(F_IP_TTL, "ip.ttl") X(F_IP_ID, "ip.id") X(F_IP_MF, "ip.flags.mf") X(F_IP_OFF, "ip.frag_offset")            \
    X(F_IP6_SRC, "ipv6.src") X(F_IP6_DST, "ipv6.dst") X(F_IP6_NXT, "ipv6.nxt") X(F_IP6_HLIM, "ipv6.hlim")         \
    X(F_HBH_NXT, "ipv6.hopopts.nxt") X(F_RT_NXT, "ipv6.routing.nxt") X(F_FH_NXT, "ipv6.fraghdr.nxt")              \
    X(F_DO_NXT, "ipv6.dstopts.nxt") X(F_AH_NXT, "ah.next_header") X(F_FH_OFF, "ipv6.fraghdr.offset")              \
    X(F_FH_MORE, "ipv6.fraghdr.more") X(F_TCP_SP, "tcp.srcport") X(F_TCP_DP, "tcp.dstport")                       \
    X(F_TCP_FLAGS, "tcp.flags") X(F_UDP_SP, "udp.srcport") X(F_UDP_DP, "udp.dstport") X(F_SCTP_SP, "sctp.srcport") \
    X(F_SCTP_DP, "sctp.dstport") X(F_SCTP_CT, "sctp.chunk_type") X(F_SCTP_PPID, "sctp.data_payload_proto_id")     \
    X(F_GRE_KEY, "gre.key") X(F_ERSPAN_VER, "erspan.version") X(F_ERSPAN_ID, "erspan.spanid")                     \
    X(F_VXLAN_VNI, "vxlan.vni") X(F_GENEVE_VNI, "geneve.vni") X(F_GTP_TEID, "gtp.teid")                           \
    X(F_GTP_QFI, "gtp.ext_hdr.pdu_ses_con.qos_flow_id") X(F_L2TP_SID, "l2tp.sid")

#define AS_ENUM(e, s) e,
#define AS_NAME(e, s) s,
enum field { FIELDS(AS_ENUM) NF };
static const char *const field_names[NF] = {FIELDS(AS_NAME)};

struct row {
    char *line;
    char *f[NF];
};

struct twc_file {
    FILE *pipe;      /* tshark's output, or a cached copy of it */
    int cached;      /* pipe is a cache file (fclose), not a process (pclose) */
    FILE *save;      /* while reading tshark: the cache file being written, or NULL */
    char *save_tmp, *save_path;
    char *path;
    struct row *rows;
    size_t n, cap;
};

static const char *const key_names[TWC_NKEYS] = {
    "len", "eth.src", "eth.dst", "vlan", "mpls", "ip.ver", "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.id",
    "ip.frag", "l4.sport", "l4.dport", "tcp.flags", "sctp.ppid", "tunnel", "tunnel.id", "gtp.qfi",
    "inner.eth.src", "inner.eth.dst", "inner.vlan", "inner.mpls", "inner.ip.ver", "inner.ip.src", "inner.ip.dst",
    "inner.ip.proto", "inner.ip.ttl", "inner.ip.id", "inner.ip.frag", "inner.l4.sport", "inner.l4.dport",
    "inner.tcp.flags", "inner.sctp.ppid",
};

static const char *const exc_names[TWC_NEXC] = {
    "capture-length", "super-frame", "header-cut", "deeper-than-supported", "gre-not-followed", "ethertype-not-followed",
    "cisco-isl", "ipv6-behind-0x0800", "vxlan-port-8472", "l2tpv3-payload", "tunnel-check-failed", "ip-header-rejected", "ip-length-rejected", "ipv6-payload-short", "l2tp-over-udp",
};

const char *twc_key_name(enum twc_key k)
{
    return (unsigned)k < TWC_NKEYS ? key_names[k] : "?";
}

const char *twc_exc_name(enum twc_exc x)
{
    return (unsigned)x < TWC_NEXC ? exc_names[x] : "?";
}

static const char *tshark_bin(void)
{
    const char *t = getenv("TSHARK");
    return t && *t ? t : "tshark";
}

int twc_tshark_available(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "command -v '%s' >/dev/null 2>&1", tshark_bin());
    return system(cmd) == 0;
}

static char *shell_quote(const char *s)
{
    size_t n = 3;
    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 4 : 1;
    char *q = malloc(n), *o = q;
    if (!q)
        return NULL;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = 0;
    return q;
}

/* tshark's options and fields: also the cache key */
static int tshark_args(char *buf, size_t cap)
{
    /* No reassembly (the parser sees one frame at a time); ports the parser follows are tshark's defaults. */
    int n = snprintf(buf, cap,
                     "-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE -o tcp.desegment_tcp_streams:FALSE"
                     " -T fields -E separator=/t -E occurrence=a -E aggregator=, -E quote=n");
    for (int i = 0; i < NF && n > 0 && (size_t)n < cap; i++)
        n += snprintf(buf + n, cap - (size_t)n, " -e %s", field_names[i]);
    return n > 0 && (size_t)n < cap ? 0 : -E2BIG;
}

/* Cache of tshark's output (TAPWATCH_TSHARK_CACHE=DIR, "" to disable; default build/tshark-cache), so the
 * dissector's and the RTL's comparisons run tshark once per capture. An entry is valid for the capture's size and
 * mtime and the exact tshark arguments (first line). */
static char *cache_path(const char *path)
{
    const char *dir = getenv("TAPWATCH_TSHARK_CACHE");
    if (!dir)
        dir = "build/tshark-cache";
    if (!*dir)
        return NULL;
    mkdir(dir, 0777);
    size_t n = strlen(dir) + strlen(path) + 8;
    char *c = malloc(n);
    if (!c)
        return NULL;
    int k = snprintf(c, n, "%s/", dir);
    for (const char *p = path; *p && (size_t)k + 5 < n; p++)
        c[k++] = (*p == '/' || *p == '.') ? '_' : *p;
    snprintf(c + k, n - (size_t)k, ".tsv");
    return c;
}

static void cache_key(const char *path, const char *args, char *key, size_t n)
{
    struct stat sb;
    uint64_t h = 1469598103934665603ull;
    for (const char *p = args; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    if (stat(path, &sb) != 0)
        memset(&sb, 0, sizeof sb);
    snprintf(key, n, "#twc1 %lld %lld %016llx\n", (long long)sb.st_size, (long long)sb.st_mtime,
             (unsigned long long)h);
}

struct twc_file *twc_tshark_start(const char *path, int *err)
{
    struct twc_file *f = calloc(1, sizeof *f);
    char *q = shell_quote(path);
    size_t cap = 4096;
    char *args = malloc(cap), *cmd = malloc(cap + 512);
    if (!f || !q || !args || !cmd || !(f->path = strdup(path))) {
        if (f)
            free(f->path);
        free(f);
        free(q);
        free(args);
        free(cmd);
        *err = -ENOMEM;
        return NULL;
    }
    int rc = tshark_args(args, cap);
    char key[128];
    cache_key(path, args, key, sizeof key);
    char *cp = rc == 0 ? cache_path(path) : NULL;
    if (cp) {
        FILE *c = fopen(cp, "r");
        char line[128];
        if (c && fgets(line, sizeof line, c) && strcmp(line, key) == 0) {
            f->pipe = c;
            f->cached = 1;
        } else if (c) {
            fclose(c);
        }
    }
    if (rc == 0 && !f->pipe) {
        int n = snprintf(cmd, cap + 512, "%s -r %s %s 2>/dev/null", tshark_bin(), q, args);
        if (n <= 0 || (size_t)n >= cap + 512)
            rc = -E2BIG;
        else
            f->pipe = popen(cmd, "r");
        if (rc == 0 && !f->pipe)
            rc = errno ? -errno : -EIO;
        if (f->pipe && cp) {
            size_t tl = strlen(cp) + 32;
            f->save_tmp = malloc(tl);
            if (f->save_tmp) {
                snprintf(f->save_tmp, tl, "%s.%ld.tmp", cp, (long)getpid()); /* concurrent runs: own temp */
                f->save = fopen(f->save_tmp, "w");
                if (f->save) {
                    fputs(key, f->save);
                    f->save_path = cp;
                    cp = NULL;
                }
            }
        }
    }
    free(cp);
    free(q);
    free(args);
    free(cmd);
    if (rc) {
        twc_free(f);
        *err = rc;
        return NULL;
    }
    return f;
}

static int split_row(struct row *r)
{
    char *p = r->line;
    for (int i = 0; i < NF; i++) {
        r->f[i] = p;
        char *t = strchr(p, '\t');
        if (!t) {
            for (int j = i + 1; j < NF; j++)
                r->f[j] = p + strlen(p);
            return i == NF - 1 ? 0 : -1;
        }
        *t = 0;
        p = t + 1;
    }
    return 0;
}

int twc_tshark_finish(struct twc_file *f)
{
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &lcap, f->pipe)) >= 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = 0;
        if (f->n == f->cap) {
            size_t nc = f->cap ? f->cap * 2 : 64;
            struct row *nr = realloc(f->rows, nc * sizeof *nr);
            if (!nr) {
                rc = -ENOMEM;
                break;
            }
            f->rows = nr;
            f->cap = nc;
        }
        struct row *r = &f->rows[f->n];
        r->line = strdup(line);
        if (!r->line) {
            rc = -ENOMEM;
            break;
        }
        if (f->save)
            fprintf(f->save, "%s\n", line);
        if (split_row(r) != 0) {
            free(r->line);
            rc = -EPROTO;
            break;
        }
        f->n++;
    }
    free(line);
    if (f->cached) {
        fclose(f->pipe);
        f->pipe = NULL;
        return rc;
    }
    int st = pclose(f->pipe);
    f->pipe = NULL;
    if (rc == 0 && (st == -1 || !WIFEXITED(st) || (WEXITSTATUS(st) != 0 && f->n == 0)))
        rc = -EIO;
    if (f->save) {
        /* only a complete, successful run becomes a cache entry */
        int ok = fclose(f->save) == 0 && rc == 0;
        f->save = NULL;
        if (ok)
            rename(f->save_tmp, f->save_path);
        else
            remove(f->save_tmp);
    }
    return rc;
}

struct twc_file *twc_tshark_read(const char *path, int *err)
{
    struct twc_file *f = twc_tshark_start(path, err);
    if (!f)
        return NULL;
    int rc = twc_tshark_finish(f);
    if (rc) {
        twc_free(f);
        *err = rc;
        return NULL;
    }
    return f;
}

void twc_free(struct twc_file *f)
{
    if (!f)
        return;
    if (f->pipe) {
        if (f->cached)
            fclose(f->pipe);
        else
            pclose(f->pipe);
    }
    if (f->save) {
        fclose(f->save);
        remove(f->save_tmp);
    }
    free(f->save_tmp);
    free(f->save_path);
    for (size_t i = 0; i < f->n; i++)
        free(f->rows[i].line);
    free(f->rows);
    free(f->path);
    free(f);
}

size_t twc_frames(const struct twc_file *f)
{
    return f->n;
}

/* ---- values ---- */

#define VAL 96
struct view {
    char v[TWC_NKEYS][VAL];
};

/* Item k of a comma-separated tshark value list, "" when absent. */
static void item(const char *s, unsigned k, char *out, size_t n)
{
    out[0] = 0;
    for (unsigned i = 0; i < k; i++) {
        s = strchr(s, ',');
        if (!s)
            return;
        s++;
    }
    size_t l = strcspn(s, ",");
    if (l >= n)
        l = n - 1;
    memcpy(out, s, l);
    out[l] = 0;
}

static unsigned long item_num(const char *s, unsigned k, int *ok)
{
    char b[VAL], *end;
    item(s, k, b, sizeof b);
    if (!b[0]) {
        *ok = 0;
        return 0;
    }
    unsigned long v = strtoul(b, &end, 0);
    *ok = *end == 0;
    return v;
}

static unsigned count_items(const char *s)
{
    if (!*s)
        return 0;
    unsigned n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

static void appendf(char *dst, const char *fmt, unsigned long v)
{
    size_t l = strlen(dst);
    snprintf(dst + l, VAL - l, fmt, v);
}

/* ---- tshark side: a frame's protocol path split into the outer level and the first tunnel's inner level ---- */

enum lp { LP_ETH, LP_VLAN, LP_AD, LP_MPLS, LP_IP, LP_IP6, LP_HBH, LP_RT, LP_FH, LP_DO, LP_AH, LP_TCP, LP_UDP,
          LP_SCTP, LP_ICMP, LP_GRE, LP_ERSPAN, LP_VXLAN, LP_GENEVE, LP_GTP, LP_L2TP, LP_TZSP, LP_OTHER, LP_N };

static enum lp lp_of(const char *name)
{
    static const struct {
        const char *n;
        enum lp p;
    } map[] = {
        {"eth", LP_ETH},          {"vlan", LP_VLAN},       {"ieee8021ad", LP_AD},     {"mpls", LP_MPLS},
        {"ip", LP_IP},            {"ipv6", LP_IP6},        {"ipv6.hopopts", LP_HBH},  {"ipv6.routing", LP_RT},
        {"ipv6.fraghdr", LP_FH},  {"ipv6.dstopts", LP_DO}, {"ah", LP_AH},             {"tcp", LP_TCP},
        {"udp", LP_UDP},          {"sctp", LP_SCTP},       {"icmp", LP_ICMP},         {"icmpv6", LP_ICMP},
        {"gre", LP_GRE},          {"erspan", LP_ERSPAN},   {"vxlan", LP_VXLAN},       {"geneve", LP_GENEVE},
        {"gtp", LP_GTP},          {"l2tp", LP_L2TP},       {"tzsp", LP_TZSP},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(name, map[i].n) == 0)
            return map[i].p;
    return LP_OTHER;
}

#define MAXL 16
struct level {
    int present;
    int eth;                       /* index of eth values, -1 none */
    int ntag;
    enum lp tagk[MAXL];
    int tagi[MAXL];
    int mpls_stack;                /* index of the MPLS stack (counted over the frame), -1 none */
    enum lp ip;                    /* LP_IP, LP_IP6 or LP_OTHER */
    int ipi;
    int ipvi;                      /* index over ip and ipv6 layers together (ip.version is in both) */
    int next;                      /* ext chain */
    enum lp extk[MAXL];
    int exti[MAXL];
    enum lp l4;
    int l4i;
    int after_ip;                  /* a layer other than the IP chain followed the IP header chain */
};

struct tview {
    struct level lv[2];
    enum lp tun;                   /* tunnel layer (LP_GRE...), LP_IP/LP_IP6 for IP-in-IP, LP_OTHER none */
    int tuni;
    int erspani;                   /* erspan layer index, -1 */
    char protos[512];
};

static void build_tview(const struct row *r, struct tview *t)
{
    int cnt[LP_N];
    memset(cnt, 0, sizeof cnt);
    memset(t, 0, sizeof *t);
    for (int l = 0; l < 2; l++) {
        t->lv[l].eth = -1;
        t->lv[l].mpls_stack = -1;
        t->lv[l].ip = LP_OTHER;
        t->lv[l].l4 = LP_OTHER;
    }
    t->tun = LP_OTHER;
    t->erspani = -1;
    snprintf(t->protos, sizeof t->protos, "%s", r->f[F_PROTOS]);
    int level = 0, stop = 0, ipv_count = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", r->f[F_PROTOS]);
    for (char *s = strtok(buf, ":"); s; s = strtok(NULL, ":")) {
        enum lp p = lp_of(s);
        int idx = cnt[p]++;
        int ipv_idx = (p == LP_IP || p == LP_IP6) ? ipv_count++ : -1;
        if (stop || level > 1)
            continue;
        struct level *L = &t->lv[level];
        L->present = 1;
        int in_chain = L->ip != LP_OTHER && !L->after_ip;
        switch (p) {
        case LP_ETH:
            if (L->eth >= 0 || L->ip != LP_OTHER) { /* a second Ethernet without a known tunnel: stop */
                stop = 1;
                break;
            }
            L->eth = idx;
            break;
        case LP_VLAN:
        case LP_AD:
            if (L->ntag < MAXL && L->ip == LP_OTHER) {
                L->tagk[L->ntag] = p;
                L->tagi[L->ntag++] = idx;
            }
            break;
        case LP_MPLS:
            if (L->ip == LP_OTHER && L->mpls_stack < 0)
                L->mpls_stack = idx;
            break;
        case LP_IP:
        case LP_IP6:
            if (L->ip == LP_OTHER) {
                L->ip = p;
                L->ipi = idx;
                L->ipvi = ipv_idx;
            } else if (in_chain && level == 0) { /* IP in IP */
                t->tun = p;
                t->tuni = idx;
                level = 1;
                t->lv[1].present = 1;
                t->lv[1].ip = p;
                t->lv[1].ipi = idx;
                t->lv[1].ipvi = ipv_idx;
            } else {
                stop = 1;
            }
            break;
        case LP_HBH:
        case LP_RT:
        case LP_FH:
        case LP_DO:
        case LP_AH:
            if (in_chain && L->next < MAXL) {
                L->extk[L->next] = p;
                L->exti[L->next++] = idx;
            }
            break;
        case LP_TCP:
        case LP_UDP:
        case LP_SCTP:
            if (in_chain) {
                L->l4 = p;
                L->l4i = idx;
            }
            L->after_ip = 1;
            break;
        case LP_ICMP:
            L->after_ip = 1; /* the packet an ICMP error quotes is not a tunnel's inner packet */
            stop = 1;
            break;
        case LP_GRE:
        case LP_VXLAN:
        case LP_GENEVE:
        case LP_GTP:
        case LP_L2TP:
        case LP_TZSP:
            L->after_ip = 1;
            if (level == 0) {
                t->tun = p;
                t->tuni = idx;
                level = 1;
            } else {
                stop = 1;
            }
            break;
        case LP_ERSPAN:
            if (level == 1 && t->tun == LP_GRE)
                t->erspani = idx;
            break;
        default:
            if (L->ip != LP_OTHER)
                L->after_ip = 1;
            break;
        }
    }
}

static const char *tunnel_name(const struct row *r, const struct tview *t)
{
    switch (t->tun) {
    case LP_IP:
    case LP_IP6: return "ipip";
    case LP_VXLAN: return "vxlan";
    case LP_GENEVE: return "geneve";
    case LP_GTP: return "gtpu";
    case LP_L2TP: return "l2tpv3";
    case LP_TZSP: return "tzsp";
    case LP_GRE:
        if (t->erspani >= 0) {
            char b[16];
            item(r->f[F_ERSPAN_VER], (unsigned)t->erspani, b, sizeof b);
            if (strcmp(b, "1") == 0)
                return "erspan2";
            if (strcmp(b, "2") == 0)
                return "erspan3";
            return "erspan1";
        }
        if (t->lv[1].eth >= 0)
            return "gre-teb";
        return "gre";
    default: return "";
    }
}

static void fill_level_t(const struct row *r, const struct level *L, struct view *v, int base)
{
    int inner = base != 0;
#define K(x) (inner ? TWC_I_##x : TWC_##x)
    if (L->eth >= 0) {
        item(r->f[F_ETH_SRC], (unsigned)L->eth, v->v[K(ETH_SRC)], VAL);
        item(r->f[F_ETH_DST], (unsigned)L->eth, v->v[K(ETH_DST)], VAL);
    }
    for (int i = 0; i < L->ntag; i++) {
        int ok;
        unsigned long id = item_num(r->f[L->tagk[i] == LP_AD ? F_AD : F_VLAN], (unsigned)L->tagi[i], &ok);
        if (!ok)
            break;
        appendf(v->v[K(VLAN)], i ? ",%lu" : "%lu", id);
    }
    if (L->mpls_stack >= 0) {
        /* labels of stack k: after k bottom-of-stack entries */
        unsigned nl = count_items(r->f[F_MPLS]), stack = 0, first = 1;
        for (unsigned i = 0; i < nl; i++) {
            int ok, okb;
            unsigned long lab = item_num(r->f[F_MPLS], i, &ok);
            unsigned long bos = item_num(r->f[F_MPLS_BOS], i, &okb);
            if (stack == (unsigned)L->mpls_stack && ok) {
                appendf(v->v[K(MPLS)], first ? "%lu" : ",%lu", lab);
                first = 0;
            }
            if (okb && bos)
                stack++;
        }
    }
    int ok;
    unsigned long x;
    unsigned proto = 256;
    int frag = 0;
    if (L->ip == LP_IP) {
        unsigned i = (unsigned)L->ipi;
        item(r->f[F_IP_VER], (unsigned)L->ipvi, v->v[K(IP_VER)], VAL);
        item(r->f[F_IP_SRC], i, v->v[K(IP_SRC)], VAL);
        item(r->f[F_IP_DST], i, v->v[K(IP_DST)], VAL);
        x = item_num(r->f[F_IP_PROTO], i, &ok);
        if (ok)
            proto = (unsigned)x;
        item(r->f[F_IP_TTL], i, v->v[K(IP_TTL)], VAL);
        x = item_num(r->f[F_IP_ID], i, &ok);
        if (ok)
            appendf(v->v[K(IP_ID)], "%lu", x);
        unsigned long mf = item_num(r->f[F_IP_MF], i, &ok);
        unsigned long off = item_num(r->f[F_IP_OFF], i, &ok);
        frag = mf || off;
    } else if (L->ip == LP_IP6) {
        unsigned i = (unsigned)L->ipi;
        snprintf(v->v[K(IP_VER)], VAL, "6");
        item(r->f[F_IP6_SRC], i, v->v[K(IP_SRC)], VAL);
        item(r->f[F_IP6_DST], i, v->v[K(IP_DST)], VAL);
        item(r->f[F_IP6_HLIM], i, v->v[K(IP_TTL)], VAL);
        x = item_num(r->f[F_IP6_NXT], i, &ok);
        if (ok)
            proto = (unsigned)x;
        for (int e = 0; e < L->next; e++) {
            enum field nf = L->extk[e] == LP_HBH ? F_HBH_NXT : L->extk[e] == LP_RT ? F_RT_NXT
                          : L->extk[e] == LP_FH ? F_FH_NXT : L->extk[e] == LP_DO ? F_DO_NXT : F_AH_NXT;
            x = item_num(r->f[nf], (unsigned)L->exti[e], &ok);
            if (ok)
                proto = (unsigned)x;
            if (L->extk[e] == LP_FH) {
                unsigned long off = item_num(r->f[F_FH_OFF], (unsigned)L->exti[e], &ok);
                unsigned long more = item_num(r->f[F_FH_MORE], (unsigned)L->exti[e], &ok);
                frag = off || more;
            }
        }
    }
    if (proto < 256)
        appendf(v->v[K(IP_PROTO)], "%lu", proto);
    if (L->ip != LP_OTHER && frag)
        snprintf(v->v[K(IP_FRAG)], VAL, "1");
    if (L->l4 != LP_OTHER) {
        unsigned i = (unsigned)L->l4i;
        enum field sp = L->l4 == LP_TCP ? F_TCP_SP : L->l4 == LP_UDP ? F_UDP_SP : F_SCTP_SP;
        item(r->f[sp], i, v->v[K(L4_SPORT)], VAL);
        item(r->f[sp + 1], i, v->v[K(L4_DPORT)], VAL);
        if (L->l4 == LP_TCP) {
            x = item_num(r->f[F_TCP_FLAGS], i, &ok);
            if (ok)
                appendf(v->v[K(TCP_FLAGS)], "%lu", x & 0xFF);
        }
        if (L->l4 == LP_SCTP && i == 0) {
            x = item_num(r->f[F_SCTP_CT], 0, &ok);
            if (ok && x == 0) {
                x = item_num(r->f[F_SCTP_PPID], 0, &ok);
                if (ok)
                    appendf(v->v[K(SCTP_PPID)], "%lu", x);
            }
        }
    }
#undef K
}

static void tshark_view(const struct row *r, const struct tview *t, struct view *v)
{
    memset(v, 0, sizeof *v);
    item(r->f[F_LEN], 0, v->v[TWC_LEN], VAL);
    fill_level_t(r, &t->lv[0], v, 0);
    snprintf(v->v[TWC_TUNNEL], VAL, "%s", tunnel_name(r, t));
    int ok = 0;
    unsigned long id = 0;
    const char *tn = v->v[TWC_TUNNEL];
    if (!strcmp(tn, "vxlan"))
        id = item_num(r->f[F_VXLAN_VNI], (unsigned)t->tuni, &ok);
    else if (!strcmp(tn, "geneve"))
        id = item_num(r->f[F_GENEVE_VNI], (unsigned)t->tuni, &ok);
    else if (!strcmp(tn, "gtpu"))
        id = item_num(r->f[F_GTP_TEID], (unsigned)t->tuni, &ok);
    else if (!strcmp(tn, "l2tpv3"))
        id = item_num(r->f[F_L2TP_SID], (unsigned)t->tuni, &ok);
    else if (!strcmp(tn, "erspan2") || !strcmp(tn, "erspan3"))
        id = item_num(r->f[F_ERSPAN_ID], (unsigned)t->erspani, &ok);
    else if (!strcmp(tn, "gre") || !strcmp(tn, "gre-teb") || !strcmp(tn, "erspan1"))
        id = item_num(r->f[F_GRE_KEY], (unsigned)t->tuni, &ok); /* only present when K: a GRE layer has one */
    if (ok)
        appendf(v->v[TWC_TUNNEL_ID], "%lu", id);
    if (!strcmp(tn, "gtpu")) {
        unsigned long q = item_num(r->f[F_GTP_QFI], 0, &ok);
        if (ok)
            appendf(v->v[TWC_GTP_QFI], "%lu", q);
    }
    if (t->tun != LP_OTHER)
        fill_level_t(r, &t->lv[1], v, 1);
}

/* ---- record side ---- */

static void mac_str(uint64_t m, char *o)
{
    snprintf(o, VAL, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(m >> 40) & 0xFF, (unsigned)(m >> 32) & 0xFF,
             (unsigned)(m >> 24) & 0xFF, (unsigned)(m >> 16) & 0xFF, (unsigned)(m >> 8) & 0xFF, (unsigned)m & 0xFF);
}

struct lvrec {
    uint8_t l2;
    uint64_t dmac, smac;
    uint8_t vlan_n;
    uint16_t tci[2];
    uint8_t mpls_n;
    uint32_t mpls[4];
    uint8_t ip_ver, ip_frag, ip_ttl, ip_proto, l4, sctp_ppid_v, tcp_flags;
    uint16_t ip_id, sport, dport;
    uint32_t sctp_ppid;
    const uint8_t *src, *dst;
};

#define LVREC(pfx, m)                                                                                              \
    (struct lvrec)                                                                                                 \
    {                                                                                                              \
        .l2 = (m)->pfx##l2, .dmac = (m)->pfx##dmac, .smac = (m)->pfx##smac, .vlan_n = (m)->pfx##vlan_n,              \
        .tci = {(m)->pfx##vlan0_tci, (m)->pfx##vlan1_tci}, .mpls_n = (m)->pfx##mpls_n,                             \
        .mpls = {(m)->pfx##mpls0, (m)->pfx##mpls1, (m)->pfx##mpls2, (m)->pfx##mpls3}, .ip_ver = (m)->pfx##ip_ver, \
        .ip_frag = (m)->pfx##ip_frag, .ip_ttl = (m)->pfx##ip_ttl, .ip_proto = (m)->pfx##ip_proto,                 \
        .l4 = (m)->pfx##l4, .sctp_ppid_v = (m)->pfx##sctp_ppid_v, .tcp_flags = (m)->pfx##tcp_flags,               \
        .ip_id = (m)->pfx##ip_id, .sport = (m)->pfx##sport, .dport = (m)->pfx##dport,                             \
        .sctp_ppid = (m)->pfx##sctp_ppid, .src = (m)->pfx##ip_src, .dst = (m)->pfx##ip_dst                         \
    }

static void ip_str(const uint8_t *a, int ver, char *o)
{
    if (ver == 4)
        inet_ntop(AF_INET, a + 12, o, VAL);
    else
        inet_ntop(AF_INET6, a, o, VAL);
}

static void fill_level_m(const struct lvrec *L, struct view *v, int inner)
{
#define K(x) (inner ? TWC_I_##x : TWC_##x)
    if (L->l2) {
        mac_str(L->smac, v->v[K(ETH_SRC)]);
        mac_str(L->dmac, v->v[K(ETH_DST)]);
    }
    for (unsigned i = 0; i < L->vlan_n && i < 2; i++)
        appendf(v->v[K(VLAN)], i ? ",%lu" : "%lu", L->tci[i] & 0xFFFu);
    for (unsigned i = 0; i < L->mpls_n && i < 4; i++)
        appendf(v->v[K(MPLS)], i ? ",%lu" : "%lu", L->mpls[i] >> 12);
    if (L->ip_ver == 4 || L->ip_ver == 6) {
        appendf(v->v[K(IP_VER)], "%lu", L->ip_ver);
        ip_str(L->src, L->ip_ver, v->v[K(IP_SRC)]);
        ip_str(L->dst, L->ip_ver, v->v[K(IP_DST)]);
        appendf(v->v[K(IP_PROTO)], "%lu", L->ip_proto);
        appendf(v->v[K(IP_TTL)], "%lu", L->ip_ttl);
        if (L->ip_ver == 4)
            appendf(v->v[K(IP_ID)], "%lu", L->ip_id);
        if (L->ip_frag)
            snprintf(v->v[K(IP_FRAG)], VAL, "1");
    }
    if (L->l4 && (L->ip_proto == 6 || L->ip_proto == 17 || L->ip_proto == 132)) {
        appendf(v->v[K(L4_SPORT)], "%lu", L->sport);
        appendf(v->v[K(L4_DPORT)], "%lu", L->dport);
        if (L->ip_proto == 6)
            appendf(v->v[K(TCP_FLAGS)], "%lu", L->tcp_flags);
    }
    if (L->sctp_ppid_v)
        appendf(v->v[K(SCTP_PPID)], "%lu", L->sctp_ppid);
#undef K
}

static void meta_view(const struct tw_meta *m, struct view *v)
{
    memset(v, 0, sizeof *v);
    appendf(v->v[TWC_LEN], "%lu", m->len);
    struct lvrec o = LVREC(o_, m), i = LVREC(i_, m);
    fill_level_m(&o, v, 0);
    if (m->tun_kind) {
        const char *n = tw_tunnel_name(m->tun_kind);
        snprintf(v->v[TWC_TUNNEL], VAL, "%s", n ? n : "?");
    }
    if (m->tun_id_v)
        appendf(v->v[TWC_TUNNEL_ID], "%lu", m->tun_id);
    if (m->gtp_qfi_v)
        appendf(v->v[TWC_GTP_QFI], "%lu", m->gtp_qfi);
    if (m->inner)
        fill_level_m(&i, v, 1);
}

/* ---- exceptions: each names one class of docs/parser.md "Differences from tshark" and matches narrowly ---- */

struct xctx {
    const struct tw_meta *m;
    const struct row *r;
    const struct tview *t;
    const struct view *mv, *tv;
    const uint8_t *frame;
    size_t len;
};

static int is_inner_key(enum twc_key k)
{
    return k >= TWC_I_ETH_SRC;
}

static int is_tunnel_key(enum twc_key k)
{
    return k == TWC_TUNNEL || k == TWC_TUNNEL_ID || k == TWC_GTP_QFI || is_inner_key(k);
}

static int has_err(const struct tw_meta *m, unsigned bit)
{
    return (m->err >> bit) & 1u;
}

/* The record's outer IP payload (where GRE / UDP starts), or NULL when it is not in the frame. */
static const uint8_t *ip_payload(const struct xctx *x, size_t need)
{
    size_t o = (size_t)x->m->o_l3_off + x->m->o_l3_hdrlen;
    if (!x->frame || !x->m->o_ip_ver || o + need > x->len)
        return NULL;
    return x->frame + o;
}

static int explain(const struct xctx *x, enum twc_key k, enum twc_exc *why)
{
    const struct tw_meta *m = x->m;
    const char *mv = x->mv->v[k], *tv = x->tv->v[k];
    unsigned long tlen = strtoul(x->tv->v[TWC_LEN], NULL, 10);
    /* len: the record holds what the capture holds (snap length, or a record clipped by libpcap) */
    if (k == TWC_LEN) {
        char cl[VAL];
        item(x->r->f[F_CAPLEN], 0, cl, sizeof cl);
        unsigned long rl = strtoul(mv, NULL, 10), tcl = strtoul(cl, NULL, 10);
        if (tlen > 65535 && rl == 65535) {
            *why = TWC_X_BIGFRAME;
            return 1;
        }
        if (rl == tcl || (rl < tcl && rl < tlen)) {
            *why = TWC_X_CAPLEN;
            return 1;
        }
        return 0;
    }
    /* super-frames: IP/UDP lengths are 0, tshark stops decoding where the parser goes on */
    if (tlen > 65535 && !tv[0]) {
        *why = TWC_X_BIGFRAME;
        return 1;
    }
    /* a cut header: outer keys with an outer ERR_TRUNC, inner keys with an inner one (or a cut tunnel header) */
    /* (an outer error stops parsing before any inner packet, so with ERR_INNER set the bit is the inner's) */
    int in_err = has_err(m, TW_ERR_INNER);
    int cut = has_err(m, TW_ERR_TRUNC) && (is_inner_key(k) ? in_err || (m->tun_kind && !m->inner) : !in_err);
    int deep = has_err(m, TW_ERR_DEEP) && (is_inner_key(k) ? in_err || (m->tun_kind && !m->inner) : !in_err);
    if (cut && !mv[0] && tv[0]) {
        *why = TWC_X_CUT;
        return 1;
    }
    if (cut && (k == TWC_IP_PROTO || k == TWC_I_IP_PROTO)) {
        unsigned long p = strtoul(mv, NULL, 10);
        if (p == 0 || p == 43 || p == 44 || p == 60 || p == 51) { /* chain stopped at a cut extension header */
            *why = TWC_X_CUT;
            return 1;
        }
    }
    if (k == TWC_TUNNEL && m->tun_kind == TW_TUN_IPIP && !m->inner && !tv[0] && has_err(m, TW_ERR_INNER)) {
        /* IP in IP whose inner header is cut or rejected: tshark shows data, not a second IP layer */
        if (cut) {
            *why = TWC_X_CUT;
            return 1;
        }
        if (has_err(m, TW_ERR_IPVER) || has_err(m, TW_ERR_IHL)) {
            *why = TWC_X_IP_REJECTED;
            return 1;
        }
    }
    /* too deep: the parser's lists are prefixes of tshark's; what lies beyond is not parsed */
    if (deep) {
        size_t l = strlen(mv);
        if (!mv[0] && tv[0]) {
            *why = TWC_X_DEEP;
            return 1;
        }
        if ((k == TWC_VLAN || k == TWC_MPLS || k == TWC_I_VLAN || k == TWC_I_MPLS) && l &&
            strncmp(mv, tv, l) == 0 && tv[l] == ',') {
            *why = TWC_X_DEEP;
            return 1;
        }
        if (k == TWC_IP_PROTO || k == TWC_I_IP_PROTO) { /* chain stopped at a 5th extension header */
            unsigned long p = strtoul(mv, NULL, 10);
            if (p == 0 || p == 43 || p == 44 || p == 60 || p == 51) {
                *why = TWC_X_DEEP;
                return 1;
            }
        }
    }
    /* GRE version 1 (enhanced GRE, PPTP), or a GRE payload protocol the parser does not follow (PPP, ...) */
    if (is_tunnel_key(k) && !m->tun_kind && !mv[0] && m->o_ip_proto == 47) {
        const uint8_t *g = ip_payload(x, 4);
        if (g && (g[1] & 7) != 0) {
            *why = TWC_X_GRE_NOT_FOLLOWED;
            return 1;
        }
    }
    if (is_inner_key(k) && m->tun_kind == TW_TUN_GRE && !m->inner && !mv[0] && m->gre_proto != 0x0800 &&
        m->gre_proto != 0x86DD && m->gre_proto != 0x8847 && (m->err & (1u << TW_ERR_TRUNC)) == 0) {
        *why = TWC_X_GRE_NOT_FOLLOWED;
        return 1;
    }
    /* Cisco ISL: the frame starts with an ISL header (dmac 01:00:0c:00:00:00 or 03:00:0c:00:00:00) */
    if ((m->o_dmac >> 8) == 0x01000c0000ull || (m->o_dmac >> 8) == 0x03000c0000ull) {
        if (strncmp(x->t->protos, "eth:eth", 7) == 0) {
            *why = TWC_X_ISL;
            return 1;
        }
    }
    /* an ethertype the parser does not follow, which tshark decodes */
    if (!is_inner_key(k) && !mv[0] && tv[0] && m->o_l2 && !m->o_ip_ver && !m->o_mpls_n && m->o_ethertype != 0x0800 &&
        m->o_ethertype != 0x86DD && (m->err & ((1u << TW_ERR_TRUNC) | (1u << TW_ERR_DEEP))) == 0) {
        *why = TWC_X_L2_UNKNOWN;
        return 1;
    }
    /* IPv6 where IPv4 was announced (outer ethertype 0x0800, or GRE protocol 0x0800 for the inner packet) */
    /* (an outer one: tshark's ip:ipv6 path then looks like IP in IP, so its "inner" keys are that header's) */
    if (has_err(m, TW_ERR_IPVER) && !mv[0] && strstr(x->t->protos, ":ip:ipv6") &&
        ((is_inner_key(k) && has_err(m, TW_ERR_INNER) && m->tun_kind == TW_TUN_GRE) ||
         (!has_err(m, TW_ERR_INNER) && !m->tun_kind && m->o_ethertype == 0x0800))) {
        *why = TWC_X_IP_VERSION;
        return 1;
    }
    /* an IP header rejected for its version or IHL: tshark still shows the version field */
    if ((k == TWC_IP_VER || k == TWC_I_IP_VER) && !mv[0] && (has_err(m, TW_ERR_IPVER) || has_err(m, TW_ERR_IHL)) &&
        (k == TWC_I_IP_VER) == (has_err(m, TW_ERR_INNER) != 0)) {
        *why = TWC_X_IP_REJECTED;
        return 1;
    }
    /* IPv4 total length below the header length: tshark shows no address or L4 field */
    if (!is_tunnel_key(k) && has_err(m, TW_ERR_IPLEN) && !has_err(m, TW_ERR_INNER) && m->o_ip_ver == 4 &&
        m->o_ip_len < m->o_ip_ihl * 4u && mv[0] && !tv[0] && x->t->lv[0].ip == LP_IP) {
        *why = TWC_X_IPLEN;
        return 1;
    }
    /* IPv6 payload length shorter than the extension headers the parser read from the window */
    if ((k == TWC_IP_PROTO || k == TWC_IP_FRAG || k == TWC_L4_SPORT || k == TWC_L4_DPORT || k == TWC_TCP_FLAGS) &&
        m->o_ip_ver == 6 && m->o_ip6_ext_n > 0 && m->o_ip_len < m->o_l3_hdrlen - 40u) {
        *why = TWC_X_IP6_PLEN;
        return 1;
    }
    /* L2TP over UDP */
    if (is_tunnel_key(k) && !m->tun_kind && !mv[0] && x->t->tun == LP_L2TP && m->o_ip_proto == 17) {
        *why = TWC_X_L2TP_UDP;
        return 1;
    }
    /* VXLAN on 8472 */
    if (is_tunnel_key(k) && m->tun_kind == TW_TUN_VXLAN && !tv[0] && x->t->tun == LP_OTHER &&
        (m->o_dport == 8472 || (m->o_sport == 8472 && m->o_dport != 4789))) {
        *why = TWC_X_PORT_8472;
        return 1;
    }
    /* L2TPv3 payload */
    if (is_inner_key(k) && m->tun_kind == TW_TUN_L2TPV3 && !tv[0] && strstr(x->t->protos, ":l2tp:data")) {
        *why = TWC_X_L2TPV3_PW;
        return 1;
    }
    /* GTP-U / TZSP port whose header check fails (GTP-U version 1 and PT 1, TZSP version 1) */
    if (is_tunnel_key(k) && !m->tun_kind && !mv[0] && (x->t->tun == LP_GTP || x->t->tun == LP_TZSP) && m->o_l4) {
        const uint8_t *g = ip_payload(x, 9);
        int gtp = m->o_dport == 2152 || (m->o_sport == 2152 && m->o_dport != 37008);
        if (g && (gtp ? (g[8] >> 5 != 1 || !(g[8] & 0x10)) : g[8] != 1)) {
            *why = TWC_X_TUN_CHECK;
            return 1;
        }
    }
    return 0;
}

unsigned twc_compare(struct twc_file *f, size_t idx, const struct tw_meta *m, const uint8_t *frame, size_t len,
                     struct twc_stats *st, FILE *log)
{
    if (idx >= f->n)
        return 0;
    const struct row *r = &f->rows[idx];
    struct tview t;
    struct view tv, mv;
    build_tview(r, &t);
    tshark_view(r, &t, &tv);
    meta_view(m, &mv);
    struct xctx x = {m, r, &t, &mv, &tv, frame, len};
    unsigned bad = 0;
    st->frames++;
    for (int k = 0; k < TWC_NKEYS; k++) {
        if (!tv.v[k][0] && !mv.v[k][0])
            continue;
        st->fields++;
        if (strcmp(tv.v[k], mv.v[k]) == 0)
            continue;
        enum twc_exc why;
        if (explain(&x, (enum twc_key)k, &why)) {
            st->explained[why]++;
            continue;
        }
        st->mismatch[k]++;
        bad++;
        if (log) {
            fprintf(log, "MISMATCH %s frame %zu %s: tshark '%s' record '%s' err 0x%x tun %u [%s]\n", f->path,
                    idx + 1, key_names[k], tv.v[k], mv.v[k], m->err, m->tun_kind, t.protos);
        }
    }
    return bad;
}

void twc_summary(const struct twc_stats *st, FILE *out)
{
    unsigned long tot = 0, ex = 0;
    for (int k = 0; k < TWC_NKEYS; k++)
        tot += st->mismatch[k];
    for (int k = 0; k < TWC_NEXC; k++)
        ex += st->explained[k];
    fprintf(out, "tshark comparison: %lu files (%lu skipped: not Ethernet, %lu failed), %lu frames, %lu fields "
                 "compared, %lu mismatches, %lu explained differences, %lu frame-count mismatches\n",
            st->files, st->files_skipped_linktype, st->files_failed, st->frames, st->fields, tot, ex,
            st->frame_count_mismatch);
    for (int k = 0; k < TWC_NKEYS; k++)
        if (st->mismatch[k])
            fprintf(out, "  mismatch %-18s %lu\n", key_names[k], st->mismatch[k]);
    for (int k = 0; k < TWC_NEXC; k++)
        if (st->explained[k])
            fprintf(out, "  explained %-24s %lu\n", exc_names[k], st->explained[k]);
}
