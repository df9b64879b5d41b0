/* EVE JSON writer: alert, flow and stats events, one JSON object per line.
 *
 * Each event is formatted into the writer's line buffer through a plain cursor: the buffer is first grown to an upper
 * bound of the event's length (fixed text plus 6 bytes per byte of every string that is escaped, 4/3 per evidence
 * byte), so no field checks for room. Literal keys are constant-size copies, numbers are written two digits at a
 * time, addresses without inet_ntop/snprintf, timestamps from a per-second cache of "YYYY-MM-DDTHH:MM:SS." with only
 * the microseconds formatted, strings escaped 8 bytes per step where nothing needs escaping. The finished line goes to
 * the caller's stream with one fwrite (so a caller's fflush() shows every event written so far). */
#include "tapwatch/eve.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "tapwatch/error.h"
#include "tapwatch/tables.h"

#include "detect_int.h"

struct tw_eve {
    FILE *f;
    char *buf;
    size_t cap;
    int ioerr;
    /* timestamp caches: the UTC day whose "YYYY-MM-DDT" (or gmtime's fallback text) is in day_text, and the second
     * whose quoted '"YYYY-MM-DDTHH:MM:SS.' is in sec_text */
    uint64_t day, sec;
    int day_valid, sec_valid, day_fallback;
    char day_text[32];
    char sec_text[24];
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

/* The line buffer with room for need bytes, or NULL when it cannot grow (the event is then not written). */
static char *reserve(struct tw_eve *w, size_t need)
{
    if (need > w->cap) {
        size_t cap = w->cap;
        while (cap < need)
            cap *= 2;
        char *p = realloc(w->buf, cap);
        if (!p)
            return NULL;
        w->buf = p;
        w->cap = cap;
    }
    return w->buf;
}

/* The line buffer up to o, plus a newline, to the stream. */
static int endline(struct tw_eve *w, char *o)
{
    *o++ = '\n';
    size_t n = (size_t)(o - w->buf);
    if (fwrite(w->buf, 1, n, w->f) != n) {
        w->ioerr = 1;
        return TW_ERR_IO;
    }
    return 0;
}

/* A string literal (its length known at compile time) at o; the cursor moves past it. */
#define LIT(o, lit) (memcpy((o), lit, sizeof(lit) - 1), (o) += sizeof(lit) - 1)

/* ---- numbers ---- */
static const char digits2[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                 "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";

static const uint64_t pow10_[20] = {1ull,
                                    10ull,
                                    100ull,
                                    1000ull,
                                    10000ull,
                                    100000ull,
                                    1000000ull,
                                    10000000ull,
                                    100000000ull,
                                    1000000000ull,
                                    10000000000ull,
                                    100000000000ull,
                                    1000000000000ull,
                                    10000000000000ull,
                                    100000000000000ull,
                                    1000000000000000ull,
                                    10000000000000000ull,
                                    100000000000000000ull,
                                    1000000000000000000ull,
                                    10000000000000000000ull};

/* Decimal digits of v (1 for 0): from the bit length (log10(2) ~ 1233/4096), corrected by one comparison. */
static inline unsigned ndigits(uint64_t v)
{
    unsigned bits = 64u - (unsigned)__builtin_clzll(v | 1), t = (bits * 1233u) >> 12;
    return t + ((v | 1) >= pow10_[t]);
}

/* v in decimal at o; returns the end. Written backwards from the end, two digits per division. One body for both
 * widths: the 32-bit one keeps the cheaper division. */
#define TW_DEF_PUT_U(name, T)                                                                                        \
    static inline char *name(char *o, T v)                                                                           \
    {                                                                                                                \
        char *e = o + ndigits(v), *p = e;                                                                            \
        while (v >= 100) {                                                                                           \
            unsigned r = (unsigned)(v % 100);                                                                        \
            v /= 100;                                                                                                \
            p -= 2;                                                                                                  \
            memcpy(p, digits2 + 2 * r, 2);                                                                           \
        }                                                                                                            \
        if (v >= 10) {                                                                                               \
            p -= 2;                                                                                                  \
            memcpy(p, digits2 + 2 * v, 2);                                                                           \
        } else {                                                                                                     \
            p[-1] = (char)('0' + v);                                                                                 \
        }                                                                                                            \
        return e;                                                                                                    \
    }
TW_DEF_PUT_U(put_u64, uint64_t)
TW_DEF_PUT_U(put_u32, uint32_t)

/* ---- strings ---- */

/* Bytes that JSON strings must escape here: '"', '\\' and the control characters below 0x20. Eight at a time: a word
 * with none of them is copied as it is (the classic "has a byte less than n" and "has a zero byte" tests, exact for
 * whether any byte matches). */
static inline int word_needs_escape(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    uint64_t ctl = (x - ones * 0x20) & ~x, quo = (q - ones) & ~q, bsl = (b - ones) & ~b;
    return ((ctl | quo | bsl) & high) != 0;
}

static char *esc_byte(char *o, unsigned char c)
{
    static const char hx[] = "0123456789abcdef";
    switch (c) {
    case '"': *o++ = '\\', *o++ = '"'; break;
    case '\\': *o++ = '\\', *o++ = '\\'; break;
    case '\n': *o++ = '\\', *o++ = 'n'; break;
    case '\r': *o++ = '\\', *o++ = 'r'; break;
    case '\t': *o++ = '\\', *o++ = 't'; break;
    default:
        if (c < 0x20) {
            memcpy(o, "\\u00", 4);
            o[4] = hx[c >> 4];
            o[5] = hx[c & 15];
            o += 6;
        } else {
            *o++ = (char)c;
        }
        break;
    }
    return o;
}

/* The same for 16 bytes (SSE2 where there is, two words elsewhere). */
static inline int block_needs_escape(const char *p)
{
#ifdef __SSE2__
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i low = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f)); /* bytes <= 0x1f */
    __m128i quo = _mm_cmpeq_epi8(x, _mm_set1_epi8('"')), bsl = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    return _mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(quo, bsl))) != 0;
#else
    uint64_t a, b;
    memcpy(&a, p, 8);
    memcpy(&b, p + 8, 8);
    return word_needs_escape(a) || word_needs_escape(b);
#endif
}

/* s (n bytes) as a quoted JSON string at o: room for 6 * n + 2 bytes. Runs with nothing to escape are copied 16 and
 * 8 bytes at a time; the last n % 8 bytes as the (overlapping) last 8 when everything before went out unchanged. */
static char *put_str(char *o, const char *s, size_t n)
{
    *o++ = '"';
    size_t i = 0;
    int plain = 1; /* the output so far is the input unchanged */
    for (; i + 16 <= n; i += 16) {
        if (!block_needs_escape(s + i)) {
            memcpy(o, s + i, 16);
            o += 16;
            continue;
        }
        plain = 0;
        for (size_t k = 0; k < 16; k++)
            o = esc_byte(o, (unsigned char)s[i + k]);
    }
    if (i + 8 <= n) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (!word_needs_escape(x)) {
            memcpy(o, &x, 8);
            o += 8;
        } else {
            plain = 0;
            for (size_t k = 0; k < 8; k++)
                o = esc_byte(o, (unsigned char)s[i + k]);
        }
        i += 8;
    }
    if (i < n && plain && n >= 8) {
        uint64_t x;
        memcpy(&x, s + n - 8, 8);
        if (!word_needs_escape(x)) {
            size_t tail = n - i;
            memcpy(o - (8 - tail), &x, 8); /* rewrites 8 - tail bytes already written with the same bytes */
            o += tail;
            i = n;
        }
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            *o++ = (char)c;
        else
            o = esc_byte(o, c);
    }
    *o++ = '"';
    return o;
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

/* The quoted timestamp of ts at o (33 bytes): the text tw_eve_timestamp() writes. "YYYY-MM-DDT" comes from gmtime
 * once per UTC day (a day is 86400 s: time_t has no leap seconds), HH:MM:SS once per second, then only the
 * microseconds are formatted. */
static char *put_ts(struct tw_eve *w, char *o, uint64_t ts)
{
    uint64_t sec = ts / 1000000000ull;
    if (!w->sec_valid || w->sec != sec) {
        uint64_t day = sec / 86400u;
        if (!w->day_valid || w->day != day) {
            tw_eve_timestamp(day * 86400ull * 1000000000ull, w->day_text, sizeof w->day_text);
            w->day = day;
            w->day_valid = 1;
            /* gmtime failed for that day: its fallback text is used as it is */
            w->day_fallback = memcmp(w->day_text, "1970-01-01T00:00:00.000000+0000", 31) == 0 && day != 0;
        }
        char *b = w->sec_text;
        b[0] = '"';
        memcpy(b + 1, w->day_text, 20);
        if (!w->day_fallback) {
            unsigned s = (unsigned)(sec % 86400u), hh = s / 3600u, mm = s / 60u % 60u, ss = s % 60u;
            memcpy(b + 12, digits2 + 2 * hh, 2);
            memcpy(b + 15, digits2 + 2 * mm, 2);
            memcpy(b + 18, digits2 + 2 * ss, 2);
        }
        w->sec = sec;
        w->sec_valid = 1;
    }
    memcpy(o, w->sec_text, 21);
    unsigned us = (unsigned)(ts - sec * 1000000000ull) / 1000u, hi = us / 10000u, lo = us % 10000u;
    memcpy(o + 21, digits2 + 2 * hi, 2);
    memcpy(o + 23, digits2 + 2 * (lo / 100u), 2);
    memcpy(o + 25, digits2 + 2 * (lo % 100u), 2);
    memcpy(o + 27, "+0000\"", 6);
    return o + 33;
}

/* The decimal text of every octet value, its digits in bytes 0..2 (little-endian) and its length in byte 3. */
static const uint32_t octet_text[256] = {
    0x01000030, 0x01000031, 0x01000032, 0x01000033, 0x01000034, 0x01000035, 0x01000036, 0x01000037, 0x01000038, 0x01000039,
    0x02003031, 0x02003131, 0x02003231, 0x02003331, 0x02003431, 0x02003531, 0x02003631, 0x02003731, 0x02003831, 0x02003931,
    0x02003032, 0x02003132, 0x02003232, 0x02003332, 0x02003432, 0x02003532, 0x02003632, 0x02003732, 0x02003832, 0x02003932,
    0x02003033, 0x02003133, 0x02003233, 0x02003333, 0x02003433, 0x02003533, 0x02003633, 0x02003733, 0x02003833, 0x02003933,
    0x02003034, 0x02003134, 0x02003234, 0x02003334, 0x02003434, 0x02003534, 0x02003634, 0x02003734, 0x02003834, 0x02003934,
    0x02003035, 0x02003135, 0x02003235, 0x02003335, 0x02003435, 0x02003535, 0x02003635, 0x02003735, 0x02003835, 0x02003935,
    0x02003036, 0x02003136, 0x02003236, 0x02003336, 0x02003436, 0x02003536, 0x02003636, 0x02003736, 0x02003836, 0x02003936,
    0x02003037, 0x02003137, 0x02003237, 0x02003337, 0x02003437, 0x02003537, 0x02003637, 0x02003737, 0x02003837, 0x02003937,
    0x02003038, 0x02003138, 0x02003238, 0x02003338, 0x02003438, 0x02003538, 0x02003638, 0x02003738, 0x02003838, 0x02003938,
    0x02003039, 0x02003139, 0x02003239, 0x02003339, 0x02003439, 0x02003539, 0x02003639, 0x02003739, 0x02003839, 0x02003939,
    0x03303031, 0x03313031, 0x03323031, 0x03333031, 0x03343031, 0x03353031, 0x03363031, 0x03373031, 0x03383031, 0x03393031,
    0x03303131, 0x03313131, 0x03323131, 0x03333131, 0x03343131, 0x03353131, 0x03363131, 0x03373131, 0x03383131, 0x03393131,
    0x03303231, 0x03313231, 0x03323231, 0x03333231, 0x03343231, 0x03353231, 0x03363231, 0x03373231, 0x03383231, 0x03393231,
    0x03303331, 0x03313331, 0x03323331, 0x03333331, 0x03343331, 0x03353331, 0x03363331, 0x03373331, 0x03383331, 0x03393331,
    0x03303431, 0x03313431, 0x03323431, 0x03333431, 0x03343431, 0x03353431, 0x03363431, 0x03373431, 0x03383431, 0x03393431,
    0x03303531, 0x03313531, 0x03323531, 0x03333531, 0x03343531, 0x03353531, 0x03363531, 0x03373531, 0x03383531, 0x03393531,
    0x03303631, 0x03313631, 0x03323631, 0x03333631, 0x03343631, 0x03353631, 0x03363631, 0x03373631, 0x03383631, 0x03393631,
    0x03303731, 0x03313731, 0x03323731, 0x03333731, 0x03343731, 0x03353731, 0x03363731, 0x03373731, 0x03383731, 0x03393731,
    0x03303831, 0x03313831, 0x03323831, 0x03333831, 0x03343831, 0x03353831, 0x03363831, 0x03373831, 0x03383831, 0x03393831,
    0x03303931, 0x03313931, 0x03323931, 0x03333931, 0x03343931, 0x03353931, 0x03363931, 0x03373931, 0x03383931, 0x03393931,
    0x03303032, 0x03313032, 0x03323032, 0x03333032, 0x03343032, 0x03353032, 0x03363032, 0x03373032, 0x03383032, 0x03393032,
    0x03303132, 0x03313132, 0x03323132, 0x03333132, 0x03343132, 0x03353132, 0x03363132, 0x03373132, 0x03383132, 0x03393132,
    0x03303232, 0x03313232, 0x03323232, 0x03333232, 0x03343232, 0x03353232, 0x03363232, 0x03373232, 0x03383232, 0x03393232,
    0x03303332, 0x03313332, 0x03323332, 0x03333332, 0x03343332, 0x03353332, 0x03363332, 0x03373332, 0x03383332, 0x03393332,
    0x03303432, 0x03313432, 0x03323432, 0x03333432, 0x03343432, 0x03353432, 0x03363432, 0x03373432, 0x03383432, 0x03393432,
    0x03303532, 0x03313532, 0x03323532, 0x03333532, 0x03343532, 0x03353532,
};

/* One octet in decimal at o: one 4-byte store (the byte after the digits is overwritten by what follows), the
 * cursor moves by its length. */
static inline char *put_octet(char *o, unsigned x)
{
    uint32_t d = octet_text[x & 255];
    uint32_t t = htole32(d);
    memcpy(o, &t, 4);
    return o + (d >> 24);
}

/* a.b.c.d of the 4 bytes at q */
static inline char *put_dotted(char *o, const uint8_t *q)
{
    o = put_octet(o, q[0]);
    *o++ = '.';
    o = put_octet(o, q[1]);
    *o++ = '.';
    o = put_octet(o, q[2]);
    *o++ = '.';
    return put_octet(o, q[3]);
}

/* Every byte as two lower-case hex digits (first in the low byte). */
#define HEX_DIGITS(X, a) X(a, '0') X(a, '1') X(a, '2') X(a, '3') X(a, '4') X(a, '5') X(a, '6') X(a, '7') X(a, '8') \
    X(a, '9') X(a, 'a') X(a, 'b') X(a, 'c') X(a, 'd') X(a, 'e') X(a, 'f')
#define HEX_DIGITS2(X, a) X(a, '0') X(a, '1') X(a, '2') X(a, '3') X(a, '4') X(a, '5') X(a, '6') X(a, '7') X(a, '8') \
    X(a, '9') X(a, 'a') X(a, 'b') X(a, 'c') X(a, 'd') X(a, 'e') X(a, 'f')
#define HEX_PAIR(hi, lo) (uint16_t)((hi) | (lo) << 8),
#define HEX_ROW(a, hi) HEX_DIGITS2(HEX_PAIR, hi)
static const uint16_t hex_pairs[256] = {HEX_DIGITS(HEX_ROW, 0)};

/* One IPv6 group in hex without leading zeros: shifted so its first digit is on top, four digits stored at once
 * (the bytes after the group's are overwritten by what follows), the cursor moves by the digit count. */
static inline char *put_group(char *o, unsigned x)
{
    unsigned nd = (unsigned)(35 - __builtin_clz(x | 1)) >> 2, y = x << (4 * (4 - nd));
    uint32_t c = htole32((uint32_t)hex_pairs[y >> 8] | (uint32_t)hex_pairs[y & 255] << 16);
    memcpy(o, &c, 4);
    return o + nd;
}

/* The text inet_ntop(AF_INET6) gives (RFC 5952: lower-case hex without leading zeros, the first longest run of two
 * or more zero groups as "::", IPv4-mapped and IPv4-compatible forms with a dotted quad), without sprintf per
 * group; at most 45 bytes, and up to 3 bytes past the end may be written (room: 48). */
static char *put_addr6(char *o, const uint8_t a[16])
{
    unsigned g[8], z = 0;
    for (int i = 0; i < 8; i++) {
        g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
        z |= (unsigned)(g[i] == 0) << i;
    }
    if (!(z & (z >> 1))) { /* no run of two zero groups: all eight groups */
        o = put_group(o, g[0]);
        for (int i = 1; i < 8; i++) {
            *o++ = ':';
            o = put_group(o, g[i]);
        }
        return o;
    }
    /* the first longest run of zero groups: after k rounds of m &= m >> 1, bit i of m says groups i..i+k are all
     * zero; the last non-empty m has the starts of the longest runs */
    unsigned m = z, prev = z;
    int blen = 0;
    while (m) {
        prev = m;
        m &= m >> 1;
        blen++;
    }
    int best = __builtin_ctz(prev), end = best + blen;
    /* the groups before the run, "::", the groups after it */
    for (int i = 0; i < best; i++) {
        o = put_group(o, g[i]);
        *o++ = ':';
    }
    if (best == 0) {
        *o++ = ':';
        /* ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (IPv4-mapped) */
        if (blen == 6) {
            *o++ = ':';
            return put_dotted(o, a + 12);
        }
        if (blen == 5 && g[5] == 0xffff) {
            memcpy(o, ":ffff:", 6);
            return put_dotted(o + 6, a + 12);
        }
    }
    if (end == 8)
        *o++ = ':';
    for (int i = end; i < 8; i++) {
        *o++ = ':';
        o = put_group(o, g[i]);
    }
    return o;
}

void tw_eve_addr(int v6, const uint8_t a[16], char *buf, size_t len)
{
    char b[64];
    if (!v6 && len >= 16) {
        char *e = put_dotted(b, a + 12);
        *e = 0;
        memcpy(buf, b, (size_t)(e - b) + 1);
    } else if (!v6)
        snprintf(buf, len, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
    else if (len >= 46) {
        char *e = put_addr6(b, a);
        *e = 0;
        memcpy(buf, b, (size_t)(e - b) + 1);
    } else if (!inet_ntop(AF_INET6, a, buf, (socklen_t)len))
        snprintf(buf, len, "?");
}

/* "addr" (quoted) of tw_meta layout: room 50 */
static inline char *put_addr(char *o, int v6, const uint8_t a[16])
{
    *o++ = '"';
    o = v6 ? put_addr6(o, a) : put_dotted(o, a + 12);
    *o++ = '"';
    return o;
}

static const char *proto_name(unsigned proto)
{
    switch (proto) {
    case 1: return "ICMP";
    case 6: return "TCP";
    case 17: return "UDP";
    case 47: return "GRE";
    case 50: return "ESP";
    case 58: return "IPv6-ICMP";
    case 132: return "SCTP";
    default: return NULL;
    }
}

void tw_eve_proto(unsigned proto, char *buf, size_t len)
{
    const char *n = proto_name(proto);
    if (n)
        snprintf(buf, len, "%s", n);
    else
        snprintf(buf, len, "%u", proto);
}

/* ,"proto":"NAME" (names and numbers: nothing to escape); room 22 */
static inline char *put_proto(char *o, unsigned proto)
{
    LIT(o, ",\"proto\":\"");
    switch (proto) {
    case 6: LIT(o, "TCP\""); return o;
    case 17: LIT(o, "UDP\""); return o;
    default: break;
    }
    const char *n = proto_name(proto);
    if (n) {
        size_t k = strlen(n);
        memcpy(o, n, k);
        o += k;
    } else {
        o = put_u32(o, proto);
    }
    *o++ = '"';
    return o;
}

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Every 12-bit value as its two base64 characters (first in the low byte), built at compile time from the alphabet
 * listed twice (a macro cannot expand inside itself). */
#define B64_ROW(X, a) X(a, 'A') X(a, 'B') X(a, 'C') X(a, 'D') X(a, 'E') X(a, 'F') X(a, 'G') X(a, 'H') X(a, 'I') \
    X(a, 'J') X(a, 'K') X(a, 'L') X(a, 'M') X(a, 'N') X(a, 'O') X(a, 'P') X(a, 'Q') X(a, 'R') X(a, 'S') X(a, 'T') \
    X(a, 'U') X(a, 'V') X(a, 'W') X(a, 'X') X(a, 'Y') X(a, 'Z') X(a, 'a') X(a, 'b') X(a, 'c') X(a, 'd') X(a, 'e') \
    X(a, 'f') X(a, 'g') X(a, 'h') X(a, 'i') X(a, 'j') X(a, 'k') X(a, 'l') X(a, 'm') X(a, 'n') X(a, 'o') X(a, 'p') \
    X(a, 'q') X(a, 'r') X(a, 's') X(a, 't') X(a, 'u') X(a, 'v') X(a, 'w') X(a, 'x') X(a, 'y') X(a, 'z') X(a, '0') \
    X(a, '1') X(a, '2') X(a, '3') X(a, '4') X(a, '5') X(a, '6') X(a, '7') X(a, '8') X(a, '9') X(a, '+') X(a, '/')
#define B64_COL(X, a) X(a, 'A') X(a, 'B') X(a, 'C') X(a, 'D') X(a, 'E') X(a, 'F') X(a, 'G') X(a, 'H') X(a, 'I') \
    X(a, 'J') X(a, 'K') X(a, 'L') X(a, 'M') X(a, 'N') X(a, 'O') X(a, 'P') X(a, 'Q') X(a, 'R') X(a, 'S') X(a, 'T') \
    X(a, 'U') X(a, 'V') X(a, 'W') X(a, 'X') X(a, 'Y') X(a, 'Z') X(a, 'a') X(a, 'b') X(a, 'c') X(a, 'd') X(a, 'e') \
    X(a, 'f') X(a, 'g') X(a, 'h') X(a, 'i') X(a, 'j') X(a, 'k') X(a, 'l') X(a, 'm') X(a, 'n') X(a, 'o') X(a, 'p') \
    X(a, 'q') X(a, 'r') X(a, 's') X(a, 't') X(a, 'u') X(a, 'v') X(a, 'w') X(a, 'x') X(a, 'y') X(a, 'z') X(a, '0') \
    X(a, '1') X(a, '2') X(a, '3') X(a, '4') X(a, '5') X(a, '6') X(a, '7') X(a, '8') X(a, '9') X(a, '+') X(a, '/')
#define B64_PAIR(hi, lo) (uint16_t)((hi) | (lo) << 8),
#define B64_ROWS(a, hi) B64_COL(B64_PAIR, hi)
static const uint16_t b64_pairs[4096] = {B64_ROW(B64_ROWS, 0)};

#if defined(__x86_64__) && defined(__GNUC__)
#define TW_B64_SIMD 1
#include <tmmintrin.h>
/* base64 of 12 bytes at a time with SSSE3, while 16 bytes can be read: each 3-byte group is spread over a 32-bit
 * lane (bytes b1 b0 b2 b1), its four 6-bit fields moved into the lane's four bytes by two multiplies, and each field
 * turned into its character by adding an offset chosen by its range (A-Z, a-z, 0-9, '+', '/') through a 16-entry
 * byte shuffle. Returns the bytes of p encoded (a multiple of 12). */
__attribute__((target("ssse3"))) static size_t b64_simd(char *o, const uint8_t *p, size_t n)
{
    const __m128i spread = _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    const __m128i m_ac = _mm_set1_epi32(0x0FC0FC00), mul_ac = _mm_set1_epi32(0x04000040);
    const __m128i m_bd = _mm_set1_epi32(0x003F03F0), mul_bd = _mm_set1_epi32(0x01000010);
    /* offset by class: 0 = 26..51 ('a' - 26), 1..10 = 52..61 ('0' - 52), 11 = 62, 12 = 63, 13 = 0..25 ('A') */
    const __m128i offs = _mm_setr_epi8('a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
                                       '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
    size_t i = 0;
    for (; i + 16 <= n; i += 12, o += 16) {
        __m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), spread);
        /* lane (little-endian) b1 | b0 << 8 | b2 << 16 | b1 << 24: fields b0 >> 2, (b0 & 3) << 4 | b1 >> 4,
         * (b1 & 15) << 2 | b2 >> 6, b2 & 63 into bytes 0..3 */
        __m128i ac = _mm_mulhi_epu16(_mm_and_si128(x, m_ac), mul_ac);
        __m128i bd = _mm_mullo_epi16(_mm_and_si128(x, m_bd), mul_bd);
        __m128i v = _mm_or_si128(ac, bd);
        __m128i cls = _mm_subs_epu8(v, _mm_set1_epi8(51));
        cls = _mm_or_si128(cls, _mm_and_si128(_mm_cmpgt_epi8(_mm_set1_epi8(26), v), _mm_set1_epi8(13)));
        _mm_storeu_si128((__m128i *)(void *)o, _mm_add_epi8(v, _mm_shuffle_epi8(offs, cls)));
    }
    return i;
}
#endif

/* base64 of n bytes at o (4 * ((n + 2) / 3) bytes): 12 bytes at a time with SSSE3 (b64_simd); then each 3 bytes
 * become two character pairs, stored at once; while 8 bytes can be read, 6 bytes at a time from one big-endian
 * load (four pairs, one 8-byte store) */
static char *put_b64(char *o, const uint8_t *p, size_t n)
{
    size_t i = 0;
#ifdef TW_B64_SIMD
    if (n >= 16 && __builtin_cpu_supports("ssse3")) {
        i = b64_simd(o, p, n);
        o += i / 3 * 4;
    }
#endif
    for (; i + 8 <= n; i += 6) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        x = be64toh(x) >> 16; /* bytes i..i+5 in the low 48 bits */
        uint64_t c = (uint64_t)b64_pairs[(x >> 36) & 4095] | (uint64_t)b64_pairs[(x >> 24) & 4095] << 16 |
                     (uint64_t)b64_pairs[(x >> 12) & 4095] << 32 | (uint64_t)b64_pairs[x & 4095] << 48;
        c = htole64(c);
        memcpy(o, &c, 8);
        o += 8;
    }
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        uint32_t c = htole32((uint32_t)b64_pairs[v >> 12] | (uint32_t)b64_pairs[v & 4095] << 16);
        memcpy(o, &c, 4);
        o += 4;
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        o[0] = b64_alpha[v >> 18];
        o[1] = b64_alpha[(v >> 12) & 63];
        o[2] = i + 1 < n ? b64_alpha[(v >> 6) & 63] : '=';
        o[3] = '=';
        o += 4;
    }
    return o;
}

void tw_eve_base64(const uint8_t *p, size_t n, char *out)
{
    *put_b64(out, p, n) = 0;
}

const char *tw_eve_vendor_name(const struct tw_tables *t, unsigned vsets)
{
    for (unsigned i = 0; i < TW_CAP_VENDOR_SETS && i < t->settings.n_vendor_sets; i++)
        if ((vsets >> i) & 1u)
            return t->vendor[i].name;
    return NULL;
}
/* ---- alert ---- */
/* The vendor sets of a MAC (48 bits): through the detector's OUI memo when there is one (tw_analyze), else
 * looked up in the tables. */
static unsigned alert_mac_vsets(const struct tw_tables *t, struct tw_detector *memo, uint64_t mac)
{
    if (memo)
        return tw_detector_mac_vsets(memo, mac);
    uint8_t b[6];
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)(mac >> (8 * (5 - i)));
    return tw_mac_vsets(t, b);
}

static void alert_from_det(struct tw_eve_alert *a, const struct tw_det_alert *da, const struct tw_tables *t,
                           unsigned evidence_bytes, struct tw_detector *memo)
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
        a->src_vendor = tw_eve_vendor_name(t, alert_mac_vsets(t, memo, in ? m->i_smac : m->o_smac));
        a->dst_vendor = tw_eve_vendor_name(t, alert_mac_vsets(t, memo, in ? m->i_dmac : m->o_dmac));
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

void tw_eve_alert_from_det(struct tw_eve_alert *a, const struct tw_det_alert *da, const struct tw_tables *t,
                           unsigned evidence_bytes)
{
    alert_from_det(a, da, t, evidence_bytes, NULL);
}

void tw_eve_alert_from_det_memo(struct tw_eve_alert *a, const struct tw_det_alert *da, struct tw_detector *d,
                                unsigned evidence_bytes)
{
    alert_from_det(a, da, tw_detector_tables(d), evidence_bytes, d);
}

/* The "alert" object of a (from ,"alert": to its closing brace) at o; room: 1024 + 6 * (signature + category). */
static char *put_alert_obj(char *o, const struct tw_eve_alert *a)
{
    const char *sig = a->signature ? a->signature : "";
    const char *cat = a->category && a->category[0] ? a->category : NULL;
    if (a->action)
        LIT(o, ",\"alert\":{\"action\":\"pass\",\"gid\":");
    else
        LIT(o, ",\"alert\":{\"action\":\"allowed\",\"gid\":");
    o = put_u32(o, a->gid);
    LIT(o, ",\"signature_id\":");
    o = put_u32(o, a->sid);
    LIT(o, ",\"rev\":");
    o = put_u32(o, a->rev);
    LIT(o, ",\"signature\":");
    o = put_str(o, sig, strlen(sig));
    if (cat) {
        LIT(o, ",\"category\":");
        o = put_str(o, cat, strlen(cat));
    }
    LIT(o, ",\"severity\":");
    o = put_u64(o, a->severity);
    *o++ = '}';
    return o;
}

char *tw_eve_alert_obj(const struct tw_eve_alert *a, size_t *n)
{
    size_t nsig = a->signature ? strlen(a->signature) : 0, ncat = a->category ? strlen(a->category) : 0;
    char *t = malloc(1024 + 6 * (nsig + ncat));
    if (!t)
        return NULL;
    *n = (size_t)(put_alert_obj(t, a) - t);
    return t;
}

/* tw_eve_write_alert, the "alert" object from obj (nobj bytes) when obj is not NULL */
static int write_alert(struct tw_eve *w, const struct tw_eve_alert *a, const char *obj, size_t nobj)
{
    const char *kind = NULL;
    size_t nkind = 0, nsv = a->src_vendor ? strlen(a->src_vendor) : 0, ndv = a->dst_vendor ? strlen(a->dst_vendor) : 0;
    size_t nrule =
        obj ? nobj : 6 * ((a->signature ? strlen(a->signature) : 0) + (a->category ? strlen(a->category) : 0));
    size_t nev = a->evidence && a->evidence_len ? a->evidence_len : 0;
    if (nev > TW_DETECT_MAX_EVIDENCE)
        nev = TW_DETECT_MAX_EVIDENCE;
    if (a->tun_kind != 0) {
        kind = tw_tunnel_name(a->tun_kind);
        if (!kind)
            kind = "unknown";
        nkind = strlen(kind);
    }
    /* the fixed text is under 1 KB: keys, 20-digit numbers, two 45-byte addresses, the timestamp; the alert object
     * under 1 KB + its strings */
    char *o = reserve(w, 2048 + nrule + 6 * (nkind + nsv + ndv) + 4 * ((nev + 2) / 3));
    if (!o)
        return TW_ERR_NOMEM;
    LIT(o, "{\"timestamp\":");
    o = put_ts(w, o, a->ts_ns);
    if (a->flow_id) {
        LIT(o, ",\"flow_id\":");
        o = put_u64(o, a->flow_id);
    }
    if (a->pcap_cnt) {
        LIT(o, ",\"pcap_cnt\":");
        o = put_u64(o, a->pcap_cnt);
    }
    LIT(o, ",\"event_type\":\"alert\"");
    if (a->ip_ver == 4 || a->ip_ver == 6) {
        int v6 = a->ip_ver == 6;
        LIT(o, ",\"src_ip\":");
        o = put_addr(o, v6, a->src_ip);
        if (a->ports_v) {
            LIT(o, ",\"src_port\":");
            o = put_u32(o, a->src_port);
        }
        LIT(o, ",\"dest_ip\":");
        o = put_addr(o, v6, a->dst_ip);
        if (a->ports_v) {
            LIT(o, ",\"dest_port\":");
            o = put_u32(o, a->dst_port);
        }
        o = put_proto(o, a->proto);
    }
    if (a->vlan_n) {
        LIT(o, ",\"vlan\":[");
        o = put_u32(o, a->vlan[0]);
        if (a->vlan_n > 1) { /* two at most (the array's size) */
            *o++ = ',';
            o = put_u32(o, a->vlan[1]);
        }
        *o++ = ']';
    }
    if (kind) {
        LIT(o, ",\"tunnel\":{\"kind\":");
        o = put_str(o, kind, nkind);
        if (a->tun_id_v) {
            LIT(o, ",\"id\":");
            o = put_u32(o, a->tun_id);
        }
        *o++ = '}';
    }
    if (a->src_vendor) {
        LIT(o, ",\"src_vendor\":");
        o = put_str(o, a->src_vendor, nsv);
    }
    if (a->dst_vendor) {
        LIT(o, ",\"dst_vendor\":");
        o = put_str(o, a->dst_vendor, ndv);
    }
    if (a->inner)
        LIT(o, ",\"inner\":true");
    if (a->mirror_copy)
        LIT(o, ",\"mirror_copy\":true");
    if (obj) {
        memcpy(o, obj, nobj);
        o += nobj;
    } else {
        o = put_alert_obj(o, a);
    }
    if (nev) { /* the base64 alphabet needs no escapes */
        LIT(o, ",\"packet\":\"");
        o = put_b64(o, a->evidence, nev);
        LIT(o, "\",\"packet_info\":{\"linktype\":1}");
    }
    *o++ = '}';
    return endline(w, o);
}

int tw_eve_write_alert(struct tw_eve *w, const struct tw_eve_alert *a)
{
    return write_alert(w, a, NULL, 0);
}

int tw_eve_write_alert_obj(struct tw_eve *w, const struct tw_eve_alert *a, const char *obj, size_t nobj)
{
    return write_alert(w, a, obj, nobj);
}

/* ---- flow ---- */

/* A quoted name of tw_flow_state_name()/tw_flow_reason_name(): lowercase letters and '_', nothing to escape when it
 * is short (all are); a longer one would be escaped in full (room: 6 * k + 2). */
static char *put_name(char *o, const char *n, size_t k)
{
    if (k > 22)
        return put_str(o, n, k);
    *o++ = '"';
    memcpy(o, n, k);
    o += k;
    *o++ = '"';
    return o;
}

static inline char *put_hex2(char *o, unsigned v)
{
    static const char hx[] = "0123456789abcdef";
    o[0] = '"';
    o[1] = hx[(v >> 4) & 15];
    o[2] = hx[v & 15];
    o[3] = '"';
    return o + 4;
}

int tw_eve_write_flow(struct tw_eve *w, const struct tw_flow_rec *f)
{
    const char *state = tw_flow_state_name(f->state), *reason = tw_flow_reason_name(f->reason);
    size_t ns = strlen(state), nr = strlen(reason);
    /* the fixed text is under 1 KB */
    char *o = reserve(w, 1024 + 6 * (ns + nr));
    if (!o)
        return TW_ERR_NOMEM;
    int v6 = f->ip_ver == 6;
    int ports = f->proto == 6 || f->proto == 17 || f->proto == 132;
    LIT(o, "{\"timestamp\":");
    char *end_ts = o;
    o = put_ts(w, o, f->last_ts);
    LIT(o, ",\"flow_id\":");
    o = put_u64(o, f->flow_id);
    LIT(o, ",\"event_type\":\"flow\",\"src_ip\":");
    o = put_addr(o, v6, f->cli_ip);
    if (ports) {
        LIT(o, ",\"src_port\":");
        o = put_u32(o, f->cli_port);
    }
    LIT(o, ",\"dest_ip\":");
    o = put_addr(o, v6, f->srv_ip);
    if (ports) {
        LIT(o, ",\"dest_port\":");
        o = put_u32(o, f->srv_port);
    }
    o = put_proto(o, f->proto);
    if (f->vlan) {
        LIT(o, ",\"vlan\":[");
        o = put_u32(o, f->vlan);
        *o++ = ']';
    }
    LIT(o, ",\"flow\":{\"pkts_toserver\":");
    o = put_u64(o, f->pkts_toserver);
    LIT(o, ",\"pkts_toclient\":");
    o = put_u64(o, f->pkts_toclient);
    LIT(o, ",\"bytes_toserver\":");
    o = put_u64(o, f->bytes_toserver);
    LIT(o, ",\"bytes_toclient\":");
    o = put_u64(o, f->bytes_toclient);
    LIT(o, ",\"start\":");
    o = put_ts(w, o, f->first_ts);
    LIT(o, ",\"end\":");
    memcpy(o, end_ts, 33); /* last_ts again */
    o += 33;
    LIT(o, ",\"age\":");
    o = put_u64(o, f->last_ts > f->first_ts ? (f->last_ts - f->first_ts) / 1000000000ull : 0);
    LIT(o, ",\"state\":");
    o = put_name(o, state, ns);
    LIT(o, ",\"reason\":");
    o = put_name(o, reason, nr);
    if (f->alerted)
        LIT(o, ",\"alerted\":true}");
    else
        LIT(o, ",\"alerted\":false}");
    if (f->proto == 6) {
        LIT(o, ",\"tcp\":{\"tcp_flags\":");
        o = put_hex2(o, (unsigned)(f->tcp_flags_ts | f->tcp_flags_tc));
        LIT(o, ",\"tcp_flags_ts\":");
        o = put_hex2(o, f->tcp_flags_ts);
        LIT(o, ",\"tcp_flags_tc\":");
        o = put_hex2(o, f->tcp_flags_tc);
        *o++ = '}';
    }
    *o++ = '}';
    return endline(w, o);
}

/* ---- stats ---- */

/* ,"key": for names given by the caller (escaped) */
static char *put_key(char *o, const char *k, size_t n, int comma)
{
    if (comma)
        *o++ = ',';
    o = put_str(o, k, n);
    *o++ = ':';
    return o;
}

int tw_eve_write_stats(struct tw_eve *w, uint64_t ts_ns, const struct tw_eve_counter *c, size_t n,
                       const struct tw_eve_rule_counter *rc, size_t nrc)
{
    /* room: per counter its escaped name and group, the value and punctuation; per rule counter at most 134 bytes */
    size_t need = 256 + 160 * nrc;
    for (size_t i = 0; i < n; i++)
        need += 6 * (strlen(c[i].name) + (c[i].group ? strlen(c[i].group) : 0)) + 40;
    char *o = reserve(w, need);
    if (!o)
        return TW_ERR_NOMEM;
    LIT(o, "{\"timestamp\":");
    o = put_ts(w, o, ts_ns);
    LIT(o, ",\"event_type\":\"stats\",\"stats\":{");
    const char *open = NULL; /* the group whose object is open */
    int first = 1, gfirst = 1;
    for (size_t i = 0; i < n; i++) {
        const char *g = c[i].group;
        if (open && (!g || strcmp(g, open))) {
            *o++ = '}';
            open = NULL;
        }
        if (g && !open) {
            o = put_key(o, g, strlen(g), !first);
            first = 0;
            *o++ = '{';
            open = g;
            gfirst = 1;
        }
        if (open) {
            o = put_key(o, c[i].name, strlen(c[i].name), !gfirst);
            gfirst = 0;
        } else {
            o = put_key(o, c[i].name, strlen(c[i].name), !first);
            first = 0;
        }
        o = put_u64(o, c[i].value);
    }
    if (open)
        *o++ = '}';
    if (first)
        LIT(o, "\"rules\":[");
    else
        LIT(o, ",\"rules\":[");
    for (size_t i = 0; i < nrc; i++) {
        if (i)
            *o++ = ',';
        LIT(o, "{\"gid\":");
        o = put_u32(o, rc[i].gid);
        LIT(o, ",\"signature_id\":");
        o = put_u32(o, rc[i].sid);
        LIT(o, ",\"matches\":");
        o = put_u64(o, rc[i].matches);
        LIT(o, ",\"alerts\":");
        o = put_u64(o, rc[i].alerts);
        LIT(o, ",\"rate_limited\":");
        o = put_u64(o, rc[i].rate_limited);
        *o++ = '}';
    }
    LIT(o, "]}}");
    return endline(w, o);
}
