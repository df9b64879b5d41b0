/* EVE JSON writer: alert, flow and stats events, one JSON object per line. */
#include "tapwatch/eve.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tapwatch/error.h"
#include "tapwatch/tables.h"

struct tw_eve {
    FILE *f;
    char *buf;
    size_t len, cap;
    int oom, ioerr;
    uint64_t ts_day; /* the UTC day whose "YYYY-MM-DDT" is in ts_text (a cache: gmtime once per day of input) */
    char ts_text[32];
    int ts_valid;
    int ts_fallback; /* gmtime failed for that day: ts_text holds the fallback text, used as it is */
    uint64_t ts_last;   /* the last timestamp written and its quoted text (a flow event writes last_ts twice) */
    char ts_last_text[34];
    int ts_last_valid;
};

int tw_eve_open(struct tw_eve **out, FILE *f)
{
    if (!out || !f)
        return TW_ERR_INVAL;
    struct tw_eve *w = calloc(1, sizeof *w);
    if (!w)
        return TW_ERR_NOMEM;
    w->cap = 4096;
    w->buf = malloc(w->cap);
    if (!w->buf) {
        free(w);
        return TW_ERR_NOMEM;
    }
    w->f = f;
    *out = w;
    return 0;
}

int tw_eve_close(struct tw_eve *w)
{
    if (!w)
        return 0;
    int rc = (fflush(w->f) != 0 || ferror(w->f) || w->ioerr) ? TW_ERR_IO : 0;
    free(w->buf);
    free(w);
    return rc;
}

/* ---- line buffer ---- */
static void grow(struct tw_eve *w, size_t need)
{
    if (w->oom || w->len + need < w->cap)
        return;
    size_t cap = w->cap;
    while (w->len + need >= cap)
        cap *= 2;
    char *p = realloc(w->buf, cap);
    if (!p) {
        w->oom = 1;
        return;
    }
    w->buf = p;
    w->cap = cap;
}

static inline void put(struct tw_eve *w, const char *s, size_t n)
{
    if (w->len + n + 1 >= w->cap) {
        grow(w, n + 1);
        if (w->oom)
            return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static void puts_(struct tw_eve *w, const char *s)
{
    put(w, s, strlen(s));
}

/* decimal, two digits per division */
static const char digits2[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";

static void putu(struct tw_eve *w, uint64_t v)
{
    char t[24];
    int i = sizeof t;
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        t[--i] = digits2[2 * r + 1];
        t[--i] = digits2[2 * r];
    }
    if (v >= 10) {
        t[--i] = digits2[2 * v + 1];
        t[--i] = digits2[2 * v];
    } else {
        t[--i] = (char)('0' + v);
    }
    put(w, t + i, sizeof t - (size_t)i);
}

/* a JSON string with escapes; runs of plain characters are copied at once */
static void putq(struct tw_eve *w, const char *s)
{
    put(w, "\"", 1);
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (; *p; p++) {
        if (*p != '"' && *p != '\\' && *p >= 0x20)
            continue;
        put(w, (const char *)run, (size_t)(p - run));
        run = p + 1;
        char e[8];
        int n;
        switch (*p) {
        case '"': n = snprintf(e, sizeof e, "\\\""); break;
        case '\\': n = snprintf(e, sizeof e, "\\\\"); break;
        case '\n': n = snprintf(e, sizeof e, "\\n"); break;
        case '\r': n = snprintf(e, sizeof e, "\\r"); break;
        case '\t': n = snprintf(e, sizeof e, "\\t"); break;
        default: n = snprintf(e, sizeof e, "\\u%04x", *p); break;
        }
        put(w, e, (size_t)n);
    }
    put(w, (const char *)run, (size_t)(p - run));
    put(w, "\"", 1);
}

/* ,"lit": with the length known at compile time */
#define KEY(w, lit, comma)                                                                                  \
    ((comma) ? put((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1)                                       \
             : put((w), "\"" lit "\":", sizeof("\"" lit "\":") - 1))

/* ,"key": for names given by the caller (escaped) */
static void keyq(struct tw_eve *w, const char *k, int comma)
{
    if (comma)
        put(w, ",", 1);
    putq(w, k);
    put(w, ":", 1);
}

static int endline(struct tw_eve *w)
{
    put(w, "\n", 1);
    int rc = 0;
    if (w->oom) {
        rc = TW_ERR_NOMEM;
        w->oom = 0;
    } else if (fwrite(w->buf, 1, w->len, w->f) != w->len) {
        w->ioerr = 1;
        rc = TW_ERR_IO;
    }
    w->len = 0;
    return rc;
}

/* ---- field formats ---- */
void tw_eve_timestamp(uint64_t ts_ns, char *buf, size_t len)
{
    time_t s = (time_t)(ts_ns / 1000000000ull);
    unsigned us = (unsigned)(ts_ns % 1000000000ull / 1000u);
    struct tm tm;
    if (!gmtime_r(&s, &tm)) {
        snprintf(buf, len, "1970-01-01T00:00:00.000000+0000");
        return;
    }
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0000", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, us);
}

/* The text inet_ntop(AF_INET6) gives (RFC 5952: lower-case hex without leading zeros, the first longest run of two
 * or more zero groups as "::", IPv4-mapped and IPv4-compatible forms with a dotted quad), without sprintf per
 * group. buf: at least 46 bytes (INET6_ADDRSTRLEN). */
static char *dotted(char *o, const uint8_t *q)
{
    for (int i = 0; i < 4; i++) {
        unsigned x = q[i];
        if (x >= 100)
            *o++ = (char)('0' + x / 100);
        if (x >= 10)
            *o++ = (char)('0' + x / 10 % 10);
        *o++ = (char)('0' + x % 10);
        if (i < 3)
            *o++ = '.';
    }
    return o;
}

static void addr6(const uint8_t a[16], char *buf)
{
    static const char hx[] = "0123456789abcdef";
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    int best = -1, blen = 0, cur = -1, clen = 0;
    for (int i = 0; i < 8; i++) {
        if (w[i] == 0) {
            if (cur < 0) {
                cur = i;
                clen = 1;
            } else {
                clen++;
            }
            if (clen > blen) {
                best = cur;
                blen = clen;
            }
        } else {
            cur = -1;
        }
    }
    if (blen < 2)
        best = -1;
    char *o = buf;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + blen) {
            if (i == best)
                *o++ = ':';
            continue;
        }
        if (i)
            *o++ = ':';
        if (i == 6 && best == 0 && (blen == 6 || (blen == 7 && w[7] != 1) || (blen == 5 && w[5] == 0xffff))) {
            o = dotted(o, a + 12);
            break;
        }
        unsigned x = w[i];
        if (x >= 0x1000)
            *o++ = hx[x >> 12];
        if (x >= 0x100)
            *o++ = hx[(x >> 8) & 15];
        if (x >= 0x10)
            *o++ = hx[(x >> 4) & 15];
        *o++ = hx[x & 15];
    }
    if (best >= 0 && best + blen == 8)
        *o++ = ':';
    *o = 0;
}

void tw_eve_addr(int v6, const uint8_t a[16], char *buf, size_t len)
{
    if (!v6 && len >= 16) {
        char *o = buf;
        for (int i = 12; i < 16; i++) {
            unsigned x = a[i];
            if (x >= 100)
                *o++ = (char)('0' + x / 100);
            if (x >= 10)
                *o++ = (char)('0' + x / 10 % 10);
            *o++ = (char)('0' + x % 10);
            *o++ = i < 15 ? '.' : 0;
        }
    } else if (!v6)
        snprintf(buf, len, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    else if (len >= 46)
        addr6(a, buf);
    else if (!inet_ntop(AF_INET6, a, buf, (socklen_t)len))
        snprintf(buf, len, "?");
}

void tw_eve_proto(unsigned proto, char *buf, size_t len)
{
    const char *n = NULL;
    switch (proto) {
    case 1: n = "ICMP"; break;
    case 6: n = "TCP"; break;
    case 17: n = "UDP"; break;
    case 47: n = "GRE"; break;
    case 50: n = "ESP"; break;
    case 58: n = "IPv6-ICMP"; break;
    case 132: n = "SCTP"; break;
    default: break;
    }
    if (n)
        snprintf(buf, len, "%s", n);
    else
        snprintf(buf, len, "%u", proto);
}

void tw_eve_base64(const uint8_t *p, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        out[o++] = a[(v >> 18) & 63];
        out[o++] = a[(v >> 12) & 63];
        out[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[o] = 0;
}

const char *tw_eve_vendor_name(const struct tw_tables *t, unsigned vsets)
{
    for (unsigned i = 0; i < TW_CAP_VENDOR_SETS && i < t->settings.n_vendor_sets; i++)
        if ((vsets >> i) & 1u)
            return t->vendor[i].name;
    return NULL;
}

/* the quoted timestamp text of ts (the key is written by the caller: PUT_TS) */
static void put_tsv(struct tw_eve *w, uint64_t ts)
{
    if (w->ts_last_valid && w->ts_last == ts) {
        put(w, w->ts_last_text, 33);
        return;
    }
    uint64_t sec = ts / 1000000000ull, day = sec / 86400u;
    if (!w->ts_valid || w->ts_day != day) {
        tw_eve_timestamp(day * 86400ull * 1000000000ull, w->ts_text, sizeof w->ts_text);
        w->ts_day = day;
        w->ts_valid = 1;
        w->ts_fallback = memcmp(w->ts_text, "1970-01-01T00:00:00.000000+0000", 31) == 0 && day != 0;
    }
    /* "YYYY-MM-DDT" of the day, then HH:MM:SS. (UTC has no leap seconds in time_t: a day is 86400 s), the
     * microseconds and "+0000": the text tw_eve_timestamp() writes, without gmtime and snprintf per event */
    char b[40];
    b[0] = '"';
    memcpy(b + 1, w->ts_text, 20);
    if (!w->ts_fallback) {
        unsigned s = (unsigned)(sec % 86400u), hh = s / 3600u, mm = s / 60u % 60u, ss = s % 60u;
        b[12] = (char)('0' + hh / 10);
        b[13] = (char)('0' + hh % 10);
        b[15] = (char)('0' + mm / 10);
        b[16] = (char)('0' + mm % 10);
        b[18] = (char)('0' + ss / 10);
        b[19] = (char)('0' + ss % 10);
    }
    unsigned us = (unsigned)(ts % 1000000000ull / 1000u);
    for (int i = 26; i >= 21; i--) {
        b[i] = (char)('0' + us % 10);
        us /= 10;
    }
    memcpy(b + 27, "+0000\"", 6);
    memcpy(w->ts_last_text, b, 33);
    w->ts_last = ts;
    w->ts_last_valid = 1;
    put(w, b, 33);
}

/* ,"lit":"timestamp" */
#define PUT_TS(w, lit, ts, comma) (KEY((w), lit, (comma)), put_tsv((w), (ts)))

/* ,"k":"addr": IPv4 written straight into the line; IPv6 through tw_eve_addr (inet_ntop's RFC 5952 text) */
static void put_addrv(struct tw_eve *w, int v6, const uint8_t a[16])
{
    if (v6) {
        char b[64];
        b[0] = '"';
        addr6(a, b + 1);
        size_t n = strlen(b);
        b[n] = '"';
        put(w, b, n + 1);
        return;
    }
    char b[20], *o = b;
    *o++ = '"';
    for (int i = 12; i < 16; i++) {
        unsigned x = a[i];
        if (x >= 100)
            *o++ = (char)('0' + x / 100);
        if (x >= 10)
            *o++ = (char)('0' + x / 10 % 10);
        *o++ = (char)('0' + x % 10);
        *o++ = i < 15 ? '.' : '"';
    }
    put(w, b, (size_t)(o - b));
}
#define PUT_ADDR(w, lit, v6, a) (KEY((w), lit, 1), put_addrv((w), (v6), (a)))

/* a string literal of this file that needs no escapes, quoted */
#define PUTQ_LIT(w, lit) put((w), "\"" lit "\"", sizeof("\"" lit "\"") - 1)

static void put_proto(struct tw_eve *w, unsigned proto)
{
    KEY(w, "proto", 1);
    switch (proto) { /* the names of tw_eve_proto() */
    case 6: PUTQ_LIT(w, "TCP"); return;
    case 17: PUTQ_LIT(w, "UDP"); return;
    default: break;
    }
    char b[16];
    tw_eve_proto(proto, b, sizeof b); /* names and numbers: nothing to escape */
    put(w, "\"", 1);
    put(w, b, strlen(b));
    put(w, "\"", 1);
}

/* ---- alert ---- */
void tw_eve_alert_from_det(struct tw_eve_alert *a, const struct tw_det_alert *da, const struct tw_tables *t,
                           unsigned evidence_bytes)
{
    const struct tw_meta *m = da->m;
    const struct tw_rule_entry *r = &t->rule[da->rule];
    const struct tw_rule_info *ri = &t->info[da->rule];
    int in = da->inner != 0;
    memset(a, 0, sizeof *a);
    a->ts_ns = m->ts;
    a->flow_id = da->flow_id;
    a->pcap_cnt = da->pcap_cnt;
    a->ip_ver = in ? m->i_ip_ver : m->o_ip_ver;
    memcpy(a->src_ip, in ? m->i_ip_src : m->o_ip_src, 16);
    memcpy(a->dst_ip, in ? m->i_ip_dst : m->o_ip_dst, 16);
    a->proto = in ? m->i_ip_proto : m->o_ip_proto;
    uint8_t l4 = in ? m->i_l4 : m->o_l4;
    a->ports_v = l4 && (a->proto == 6 || a->proto == 17 || a->proto == 132);
    if (a->ports_v) {
        a->src_port = in ? m->i_sport : m->o_sport;
        a->dst_port = in ? m->i_dport : m->o_dport;
    }
    a->vlan_n = in ? m->i_vlan_n : m->o_vlan_n;
    if (a->vlan_n > 2)
        a->vlan_n = 2;
    a->vlan[0] = (uint16_t)((in ? m->i_vlan0_tci : m->o_vlan0_tci) & 0xFFF);
    a->vlan[1] = (uint16_t)((in ? m->i_vlan1_tci : m->o_vlan1_tci) & 0xFFF);
    a->tun_kind = m->tun_kind;
    a->tun_id_v = m->tun_id_v;
    a->tun_id = m->tun_id;
    if (in ? m->i_l2 : m->o_l2) {
        uint8_t b[6];
        uint64_t s = in ? m->i_smac : m->o_smac, d = in ? m->i_dmac : m->o_dmac;
        for (int i = 0; i < 6; i++)
            b[i] = (uint8_t)(s >> (8 * (5 - i)));
        a->src_vendor = tw_eve_vendor_name(t, tw_mac_vsets(t, b));
        for (int i = 0; i < 6; i++)
            b[i] = (uint8_t)(d >> (8 * (5 - i)));
        a->dst_vendor = tw_eve_vendor_name(t, tw_mac_vsets(t, b));
    }
    a->inner = (uint8_t)in;
    a->mirror_copy = da->mirror_copy;
    a->action = r->action;
    a->gid = r->gid;
    a->sid = r->sid;
    a->rev = r->rev;
    a->signature = ri->msg;
    a->category = ri->category;
    a->severity = r->prio;
    if (evidence_bytes && da->frame) {
        size_t n = da->caplen < evidence_bytes ? da->caplen : evidence_bytes;
        a->evidence = da->frame;
        a->evidence_len = n;
    }
}

int tw_eve_write_alert(struct tw_eve *w, const struct tw_eve_alert *a)
{
    put(w, "{", 1);
    PUT_TS(w, "timestamp", a->ts_ns, 0);
    if (a->flow_id) {
        KEY(w, "flow_id", 1);
        putu(w, a->flow_id);
    }
    if (a->pcap_cnt) {
        KEY(w, "pcap_cnt", 1);
        putu(w, a->pcap_cnt);
    }
    KEY(w, "event_type", 1);
    PUTQ_LIT(w, "alert");
    if (a->ip_ver == 4 || a->ip_ver == 6) {
        PUT_ADDR(w, "src_ip", a->ip_ver == 6, a->src_ip);
        if (a->ports_v) {
            KEY(w, "src_port", 1);
            putu(w, a->src_port);
        }
        PUT_ADDR(w, "dest_ip", a->ip_ver == 6, a->dst_ip);
        if (a->ports_v) {
            KEY(w, "dest_port", 1);
            putu(w, a->dst_port);
        }
        put_proto(w, a->proto);
    }
    if (a->vlan_n) {
        KEY(w, "vlan", 1);
        put(w, "[", 1);
        for (unsigned i = 0; i < a->vlan_n; i++) {
            if (i)
                put(w, ",", 1);
            putu(w, a->vlan[i]);
        }
        put(w, "]", 1);
    }
    if (a->tun_kind != 0) {
        const char *k = tw_tunnel_name(a->tun_kind);
        KEY(w, "tunnel", 1);
        put(w, "{", 1);
        KEY(w, "kind", 0);
        putq(w, k ? k : "unknown");
        if (a->tun_id_v) {
            KEY(w, "id", 1);
            putu(w, a->tun_id);
        }
        put(w, "}", 1);
    }
    if (a->src_vendor) {
        KEY(w, "src_vendor", 1);
        putq(w, a->src_vendor);
    }
    if (a->dst_vendor) {
        KEY(w, "dst_vendor", 1);
        putq(w, a->dst_vendor);
    }
    if (a->inner) {
        KEY(w, "inner", 1);
        puts_(w, "true");
    }
    if (a->mirror_copy) {
        KEY(w, "mirror_copy", 1);
        puts_(w, "true");
    }
    KEY(w, "alert", 1);
    put(w, "{", 1);
    KEY(w, "action", 0);
    if (a->action)
        PUTQ_LIT(w, "pass");
    else
        PUTQ_LIT(w, "allowed");
    KEY(w, "gid", 1);
    putu(w, a->gid);
    KEY(w, "signature_id", 1);
    putu(w, a->sid);
    KEY(w, "rev", 1);
    putu(w, a->rev);
    KEY(w, "signature", 1);
    putq(w, a->signature ? a->signature : "");
    if (a->category && a->category[0]) {
        KEY(w, "category", 1);
        putq(w, a->category);
    }
    KEY(w, "severity", 1);
    putu(w, a->severity);
    put(w, "}", 1);
    if (a->evidence && a->evidence_len) {
        char b64[4 * ((TW_DETECT_MAX_EVIDENCE + 2) / 3) + 1];
        size_t n = a->evidence_len > TW_DETECT_MAX_EVIDENCE ? TW_DETECT_MAX_EVIDENCE : a->evidence_len;
        tw_eve_base64(a->evidence, n, b64); /* the base64 alphabet needs no escapes */
        KEY(w, "packet", 1);
        put(w, "\"", 1);
        put(w, b64, 4 * ((n + 2) / 3));
        put(w, "\"", 1);
        KEY(w, "packet_info", 1);
        puts_(w, "{\"linktype\":1}");
    }
    put(w, "}", 1);
    return endline(w);
}

/* ---- flow ---- */
/* a quoted name of tw_flow_state_name()/tw_flow_reason_name(): lowercase letters and '_', nothing to escape */
static void put_name(struct tw_eve *w, const char *n)
{
    char b[24];
    size_t k = strlen(n);
    if (k > sizeof b - 2) {
        putq(w, n);
        return;
    }
    b[0] = '"';
    memcpy(b + 1, n, k);
    b[k + 1] = '"';
    put(w, b, k + 2);
}

static void hex2(struct tw_eve *w, unsigned v)
{
    static const char hx[] = "0123456789abcdef";
    char b[4] = {'"', hx[(v >> 4) & 15], hx[v & 15], '"'};
    put(w, b, 4);
}

int tw_eve_write_flow(struct tw_eve *w, const struct tw_flow_rec *f)
{
    int v6 = f->ip_ver == 6;
    int ports = f->proto == 6 || f->proto == 17 || f->proto == 132;
    put(w, "{", 1);
    PUT_TS(w, "timestamp", f->last_ts, 0);
    KEY(w, "flow_id", 1);
    putu(w, f->flow_id);
    KEY(w, "event_type", 1);
    PUTQ_LIT(w, "flow");
    PUT_ADDR(w, "src_ip", v6, f->cli_ip);
    if (ports) {
        KEY(w, "src_port", 1);
        putu(w, f->cli_port);
    }
    PUT_ADDR(w, "dest_ip", v6, f->srv_ip);
    if (ports) {
        KEY(w, "dest_port", 1);
        putu(w, f->srv_port);
    }
    put_proto(w, f->proto);
    if (f->vlan) {
        KEY(w, "vlan", 1);
        put(w, "[", 1);
        putu(w, f->vlan);
        put(w, "]", 1);
    }
    KEY(w, "flow", 1);
    put(w, "{", 1);
    KEY(w, "pkts_toserver", 0);
    putu(w, f->pkts_toserver);
    KEY(w, "pkts_toclient", 1);
    putu(w, f->pkts_toclient);
    KEY(w, "bytes_toserver", 1);
    putu(w, f->bytes_toserver);
    KEY(w, "bytes_toclient", 1);
    putu(w, f->bytes_toclient);
    PUT_TS(w, "start", f->first_ts, 1);
    PUT_TS(w, "end", f->last_ts, 1);
    KEY(w, "age", 1);
    putu(w, f->last_ts > f->first_ts ? (f->last_ts - f->first_ts) / 1000000000ull : 0);
    KEY(w, "state", 1);
    put_name(w, tw_flow_state_name(f->state));
    KEY(w, "reason", 1);
    put_name(w, tw_flow_reason_name(f->reason));
    if (f->alerted)
        KEY(w, "alerted", 1), put(w, "true", 4);
    else
        KEY(w, "alerted", 1), put(w, "false", 5);
    put(w, "}", 1);
    if (f->proto == 6) {
        KEY(w, "tcp", 1);
        put(w, "{", 1);
        KEY(w, "tcp_flags", 0);
        hex2(w, (unsigned)(f->tcp_flags_ts | f->tcp_flags_tc));
        KEY(w, "tcp_flags_ts", 1);
        hex2(w, f->tcp_flags_ts);
        KEY(w, "tcp_flags_tc", 1);
        hex2(w, f->tcp_flags_tc);
        put(w, "}", 1);
    }
    put(w, "}", 1);
    return endline(w);
}

/* ---- stats ---- */
int tw_eve_write_stats(struct tw_eve *w, uint64_t ts_ns, const struct tw_eve_counter *c, size_t n,
                       const struct tw_eve_rule_counter *rc, size_t nrc)
{
    put(w, "{", 1);
    PUT_TS(w, "timestamp", ts_ns, 0);
    KEY(w, "event_type", 1);
    PUTQ_LIT(w, "stats");
    KEY(w, "stats", 1);
    put(w, "{", 1);
    const char *open = NULL; /* the group whose object is open */
    int first = 1, gfirst = 1;
    for (size_t i = 0; i < n; i++) {
        const char *g = c[i].group;
        if (open && (!g || strcmp(g, open))) {
            put(w, "}", 1);
            open = NULL;
        }
        if (g && !open) {
            keyq(w, g, !first);
            first = 0;
            put(w, "{", 1);
            open = g;
            gfirst = 1;
        }
        if (open) {
            keyq(w, c[i].name, !gfirst);
            gfirst = 0;
        } else {
            keyq(w, c[i].name, !first);
            first = 0;
        }
        putu(w, c[i].value);
    }
    if (open)
        put(w, "}", 1);
    KEY(w, "rules", !first);
    put(w, "[", 1);
    for (size_t i = 0; i < nrc; i++) {
        if (i)
            put(w, ",", 1);
        put(w, "{", 1);
        KEY(w, "gid", 0);
        putu(w, rc[i].gid);
        KEY(w, "signature_id", 1);
        putu(w, rc[i].sid);
        KEY(w, "matches", 1);
        putu(w, rc[i].matches);
        KEY(w, "alerts", 1);
        putu(w, rc[i].alerts);
        KEY(w, "rate_limited", 1);
        putu(w, rc[i].rate_limited);
        put(w, "}", 1);
    }
    put(w, "]}}", 3);
    return endline(w);
}
