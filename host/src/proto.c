/* The framed host link protocol: encoders, payload parsers, the streaming decoder and the FTDI status strip. */
#include "tapwatch/proto.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(TW_PROTO_CRC_POLY == 0x1021 && TW_PROTO_CRC_INIT == 0xffff, "crc_table matches the contract");

const char *tw_proto_strerror(int err)
{
    switch (err) {
    case 0: return "success";
    case TW_PROTO_EINVAL: return "invalid argument";
    case TW_PROTO_ENOSPC: return "output buffer too small";
    case TW_PROTO_ENOMEM: return "out of memory";
    case TW_PROTO_EBADLEN: return "payload length does not match the frame type";
    case TW_PROTO_EBADTYPE: return "unexpected frame type";
    default: return "unknown error";
    }
}

/* CRC-16/CCITT-FALSE of each byte value (polynomial 0x1021), for one table lookup per byte. */
static const uint16_t crc_table[256] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
    0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
    0x1231, 0x0210, 0x3273, 0x2252, 0x52b5, 0x4294, 0x72f7, 0x62d6,
    0x9339, 0x8318, 0xb37b, 0xa35a, 0xd3bd, 0xc39c, 0xf3ff, 0xe3de,
    0x2462, 0x3443, 0x0420, 0x1401, 0x64e6, 0x74c7, 0x44a4, 0x5485,
    0xa56a, 0xb54b, 0x8528, 0x9509, 0xe5ee, 0xf5cf, 0xc5ac, 0xd58d,
    0x3653, 0x2672, 0x1611, 0x0630, 0x76d7, 0x66f6, 0x5695, 0x46b4,
    0xb75b, 0xa77a, 0x9719, 0x8738, 0xf7df, 0xe7fe, 0xd79d, 0xc7bc,
    0x48c4, 0x58e5, 0x6886, 0x78a7, 0x0840, 0x1861, 0x2802, 0x3823,
    0xc9cc, 0xd9ed, 0xe98e, 0xf9af, 0x8948, 0x9969, 0xa90a, 0xb92b,
    0x5af5, 0x4ad4, 0x7ab7, 0x6a96, 0x1a71, 0x0a50, 0x3a33, 0x2a12,
    0xdbfd, 0xcbdc, 0xfbbf, 0xeb9e, 0x9b79, 0x8b58, 0xbb3b, 0xab1a,
    0x6ca6, 0x7c87, 0x4ce4, 0x5cc5, 0x2c22, 0x3c03, 0x0c60, 0x1c41,
    0xedae, 0xfd8f, 0xcdec, 0xddcd, 0xad2a, 0xbd0b, 0x8d68, 0x9d49,
    0x7e97, 0x6eb6, 0x5ed5, 0x4ef4, 0x3e13, 0x2e32, 0x1e51, 0x0e70,
    0xff9f, 0xefbe, 0xdfdd, 0xcffc, 0xbf1b, 0xaf3a, 0x9f59, 0x8f78,
    0x9188, 0x81a9, 0xb1ca, 0xa1eb, 0xd10c, 0xc12d, 0xf14e, 0xe16f,
    0x1080, 0x00a1, 0x30c2, 0x20e3, 0x5004, 0x4025, 0x7046, 0x6067,
    0x83b9, 0x9398, 0xa3fb, 0xb3da, 0xc33d, 0xd31c, 0xe37f, 0xf35e,
    0x02b1, 0x1290, 0x22f3, 0x32d2, 0x4235, 0x5214, 0x6277, 0x7256,
    0xb5ea, 0xa5cb, 0x95a8, 0x8589, 0xf56e, 0xe54f, 0xd52c, 0xc50d,
    0x34e2, 0x24c3, 0x14a0, 0x0481, 0x7466, 0x6447, 0x5424, 0x4405,
    0xa7db, 0xb7fa, 0x8799, 0x97b8, 0xe75f, 0xf77e, 0xc71d, 0xd73c,
    0x26d3, 0x36f2, 0x0691, 0x16b0, 0x6657, 0x7676, 0x4615, 0x5634,
    0xd94c, 0xc96d, 0xf90e, 0xe92f, 0x99c8, 0x89e9, 0xb98a, 0xa9ab,
    0x5844, 0x4865, 0x7806, 0x6827, 0x18c0, 0x08e1, 0x3882, 0x28a3,
    0xcb7d, 0xdb5c, 0xeb3f, 0xfb1e, 0x8bf9, 0x9bd8, 0xabbb, 0xbb9a,
    0x4a75, 0x5a54, 0x6a37, 0x7a16, 0x0af1, 0x1ad0, 0x2ab3, 0x3a92,
    0xfd2e, 0xed0f, 0xdd6c, 0xcd4d, 0xbdaa, 0xad8b, 0x9de8, 0x8dc9,
    0x7c26, 0x6c07, 0x5c64, 0x4c45, 0x3ca2, 0x2c83, 0x1ce0, 0x0cc1,
    0xef1f, 0xff3e, 0xcf5d, 0xdf7c, 0xaf9b, 0xbfba, 0x8fd9, 0x9ff8,
    0x6e17, 0x7e36, 0x4e55, 0x5e74, 0x2e93, 0x3eb2, 0x0ed1, 0x1ef0,
};

uint16_t tw_proto_crc16(uint16_t crc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        crc = (uint16_t)(crc << 8) ^ crc_table[(uint8_t)(crc >> 8) ^ p[i]];
    return crc;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

/* Writes the header and reserves the payload; the caller fills buf[HDR..HDR+len) then calls finish(). */
static int begin(uint8_t type, uint16_t seq, size_t len, uint8_t *buf, size_t cap)
{
    if (!buf || len > TW_PROTO_MAX_LEN)
        return TW_PROTO_EINVAL;
    if (cap < TW_PROTO_HDR_BYTES + len + TW_PROTO_CRC_BYTES)
        return TW_PROTO_ENOSPC;
    buf[0] = TW_PROTO_SYNC0;
    buf[1] = TW_PROTO_SYNC1;
    buf[2] = type;
    put16(buf + 3, seq);
    put16(buf + 5, (uint16_t)len);
    return 0;
}

static int finish(uint8_t *buf, size_t len)
{
    uint16_t crc = tw_proto_crc16(TW_PROTO_CRC_INIT, buf + 2, TW_PROTO_HDR_BYTES - 2 + len);
    put16(buf + TW_PROTO_HDR_BYTES + len, crc);
    return (int)(TW_PROTO_HDR_BYTES + len + TW_PROTO_CRC_BYTES);
}

int tw_proto_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint8_t *buf, size_t cap)
{
    if (len && !payload)
        return TW_PROTO_EINVAL;
    int rc = begin(type, seq, len, buf, cap);
    if (rc)
        return rc;
    if (len)
        memmove(buf + TW_PROTO_HDR_BYTES, payload, len);
    return finish(buf, len);
}

int tw_proto_enc_reg_read(uint16_t seq, uint16_t addr, uint16_t count, uint8_t *buf, size_t cap)
{
    if (count == 0 || count > TW_PROTO_MAX_REGS)
        return TW_PROTO_EINVAL;
    int rc = begin(TW_CMD_REG_READ, seq, 4, buf, cap);
    if (rc)
        return rc;
    put16(buf + 7, addr);
    put16(buf + 9, count);
    return finish(buf, 4);
}

int tw_proto_enc_reg_write(uint16_t seq, uint16_t addr, const uint32_t *vals, uint16_t count, uint8_t *buf,
                           size_t cap)
{
    if (count == 0 || count > TW_PROTO_MAX_REGS || !vals)
        return TW_PROTO_EINVAL;
    size_t len = 4 + 4 * (size_t)count;
    int rc = begin(TW_CMD_REG_WRITE, seq, len, buf, cap);
    if (rc)
        return rc;
    put16(buf + 7, addr);
    put16(buf + 9, count);
    for (size_t i = 0; i < count; i++)
        put32(buf + 11 + 4 * i, vals[i]);
    return finish(buf, len);
}

int tw_proto_enc_table_write(uint16_t seq, uint8_t table, uint16_t index, const uint32_t *words, uint16_t count,
                             uint8_t *buf, size_t cap)
{
    if (count == 0 || count > TW_PROTO_MAX_WORDS || !words)
        return TW_PROTO_EINVAL;
    size_t len = 8 + 4 * (size_t)count;
    int rc = begin(TW_CMD_TABLE_WRITE, seq, len, buf, cap);
    if (rc)
        return rc;
    buf[7] = table;
    buf[8] = 0;
    put16(buf + 9, index);
    put16(buf + 11, count);
    put16(buf + 13, 0);
    for (size_t i = 0; i < count; i++)
        put32(buf + 15 + 4 * i, words[i]);
    return finish(buf, len);
}

int tw_proto_enc_commit(uint16_t seq, uint32_t mask, uint8_t *buf, size_t cap)
{
    int rc = begin(TW_CMD_COMMIT, seq, 4, buf, cap);
    if (rc)
        return rc;
    put32(buf + 7, mask);
    return finish(buf, 4);
}

int tw_proto_enc_time_set(uint16_t seq, uint64_t ns, uint8_t *buf, size_t cap)
{
    int rc = begin(TW_CMD_TIME_SET, seq, 8, buf, cap);
    if (rc)
        return rc;
    put64(buf + 7, ns);
    return finish(buf, 8);
}

int tw_proto_enc_cnt_snapshot(uint16_t seq, uint16_t base, uint16_t count, uint8_t *buf, size_t cap)
{
    if (count == 0 || count > TW_PROTO_MAX_CNTS)
        return TW_PROTO_EINVAL;
    int rc = begin(TW_CMD_CNT_SNAPSHOT, seq, 4, buf, cap);
    if (rc)
        return rc;
    put16(buf + 7, base);
    put16(buf + 9, count);
    return finish(buf, 4);
}

int tw_proto_resync_pad(uint8_t *buf, size_t cap)
{
    if (!buf)
        return TW_PROTO_EINVAL;
    if (cap < TW_PROTO_MAX_FRAME)
        return TW_PROTO_ENOSPC;
    memset(buf, 0, TW_PROTO_MAX_FRAME);
    return TW_PROTO_MAX_FRAME;
}

int tw_proto_enc_resp(uint16_t seq, uint8_t cmd_type, uint8_t status, uint16_t cmd_seq, uint16_t addr,
                      const uint32_t *vals, uint16_t count, uint8_t *buf, size_t cap)
{
    if (count > TW_PROTO_MAX_REGS || (count && !vals))
        return TW_PROTO_EINVAL;
    size_t len = TW_PROTO_RESP_HDR + 4 * (size_t)count;
    int rc = begin(TW_DEV_RESP, seq, len, buf, cap);
    if (rc)
        return rc;
    buf[7] = cmd_type;
    buf[8] = status;
    put16(buf + 9, cmd_seq);
    put16(buf + 11, addr);
    put16(buf + 13, count);
    for (size_t i = 0; i < count; i++)
        put32(buf + 15 + 4 * i, vals[i]);
    return finish(buf, len);
}

int tw_proto_enc_counters(uint16_t seq, uint16_t cmd_seq, uint16_t base, uint64_t time_ns, const uint64_t *vals,
                          uint16_t count, uint8_t *buf, size_t cap)
{
    if (count == 0 || count > TW_PROTO_MAX_CNTS || !vals)
        return TW_PROTO_EINVAL;
    size_t len = TW_PROTO_CNT_HDR + 8 * (size_t)count;
    int rc = begin(TW_DEV_COUNTERS, seq, len, buf, cap);
    if (rc)
        return rc;
    put16(buf + 7, cmd_seq);
    put16(buf + 9, base);
    put16(buf + 11, count);
    put16(buf + 13, 0);
    put64(buf + 15, time_ns);
    for (size_t i = 0; i < count; i++)
        put64(buf + 23 + 8 * i, vals[i]);
    return finish(buf, len);
}

int tw_proto_enc_error(uint16_t seq, uint8_t code, uint32_t count, uint32_t total, uint8_t *buf, size_t cap)
{
    int rc = begin(TW_DEV_ERROR, seq, TW_PROTO_ERROR_LEN, buf, cap);
    if (rc)
        return rc;
    buf[7] = code;
    buf[8] = 0;
    put16(buf + 9, 0);
    put32(buf + 11, count);
    put32(buf + 15, total);
    return finish(buf, TW_PROTO_ERROR_LEN);
}

int tw_proto_enc_record(uint8_t type, uint16_t seq, const uint8_t *rec, size_t len, uint8_t *buf, size_t cap)
{
    if (type != TW_DEV_ALERT && type != TW_DEV_FLOW)
        return TW_PROTO_EINVAL;
    return tw_proto_encode(type, seq, rec, len, buf, cap);
}

/* ---- payload parsers ---- */

int tw_proto_parse_cmd(const struct tw_proto_frame *f, struct tw_proto_cmd *c)
{
    if (!f || !c || (f->len && !f->payload))
        return TW_PROTO_EINVAL;
    const uint8_t *p = f->payload;
    memset(c, 0, sizeof(*c));
    c->type = f->type;
    switch (f->type) {
    case TW_CMD_REG_READ:
    case TW_CMD_CNT_SNAPSHOT:
        if (f->len != 4)
            return TW_PROTO_EBADLEN;
        c->addr = get16(p);
        c->count = get16(p + 2);
        if (c->count == 0 || c->count > (f->type == TW_CMD_REG_READ ? TW_PROTO_MAX_REGS : TW_PROTO_MAX_CNTS))
            return TW_PROTO_EINVAL;
        return 0;
    case TW_CMD_REG_WRITE:
        if (f->len < 4)
            return TW_PROTO_EBADLEN;
        c->addr = get16(p);
        c->count = get16(p + 2);
        if ((size_t)f->len != 4 + 4 * (size_t)c->count)
            return TW_PROTO_EBADLEN;
        if (c->count == 0 || c->count > TW_PROTO_MAX_REGS)
            return TW_PROTO_EINVAL;
        c->data = p + 4;
        return 0;
    case TW_CMD_TABLE_WRITE:
        if (f->len < 8)
            return TW_PROTO_EBADLEN;
        c->table = p[0];
        c->addr = get16(p + 2);
        c->count = get16(p + 4);
        if ((size_t)f->len != 8 + 4 * (size_t)c->count)
            return TW_PROTO_EBADLEN;
        if (c->count == 0 || c->count > TW_PROTO_MAX_WORDS)
            return TW_PROTO_EINVAL;
        c->data = p + 8;
        return 0;
    case TW_CMD_COMMIT:
        if (f->len != 4)
            return TW_PROTO_EBADLEN;
        c->mask = get32(p);
        return 0;
    case TW_CMD_TIME_SET:
        if (f->len != 8)
            return TW_PROTO_EBADLEN;
        c->time_ns = get64(p);
        return 0;
    default:
        return TW_PROTO_EBADTYPE;
    }
}

int tw_proto_parse_resp(const struct tw_proto_frame *f, struct tw_proto_resp *r)
{
    if (!f || !r || (f->len && !f->payload))
        return TW_PROTO_EINVAL;
    if (f->type != TW_DEV_RESP)
        return TW_PROTO_EBADTYPE;
    if (f->len < TW_PROTO_RESP_HDR)
        return TW_PROTO_EBADLEN;
    const uint8_t *p = f->payload;
    memset(r, 0, sizeof(*r));
    r->cmd_type = p[0];
    r->status = p[1];
    r->cmd_seq = get16(p + 2);
    r->addr = get16(p + 4);
    r->count = get16(p + 6);
    if (r->count > TW_PROTO_MAX_REGS)
        return TW_PROTO_EINVAL;
    if ((size_t)f->len != TW_PROTO_RESP_HDR + 4 * (size_t)r->count)
        return TW_PROTO_EBADLEN;
    for (size_t i = 0; i < r->count; i++)
        r->vals[i] = get32(p + TW_PROTO_RESP_HDR + 4 * i);
    return 0;
}

int tw_proto_parse_counters(const struct tw_proto_frame *f, struct tw_proto_counters *c)
{
    if (!f || !c || (f->len && !f->payload))
        return TW_PROTO_EINVAL;
    if (f->type != TW_DEV_COUNTERS)
        return TW_PROTO_EBADTYPE;
    if (f->len < TW_PROTO_CNT_HDR)
        return TW_PROTO_EBADLEN;
    const uint8_t *p = f->payload;
    memset(c, 0, sizeof(*c));
    c->cmd_seq = get16(p);
    c->base = get16(p + 2);
    c->count = get16(p + 4);
    c->time_ns = get64(p + 8);
    if (c->count == 0 || c->count > TW_PROTO_MAX_CNTS)
        return TW_PROTO_EINVAL;
    if ((size_t)f->len != TW_PROTO_CNT_HDR + 8 * (size_t)c->count)
        return TW_PROTO_EBADLEN;
    for (size_t i = 0; i < c->count; i++)
        c->vals[i] = get64(p + TW_PROTO_CNT_HDR + 8 * i);
    return 0;
}

int tw_proto_parse_error(const struct tw_proto_frame *f, struct tw_proto_error *e)
{
    if (!f || !e || (f->len && !f->payload))
        return TW_PROTO_EINVAL;
    if (f->type != TW_DEV_ERROR)
        return TW_PROTO_EBADTYPE;
    if (f->len != TW_PROTO_ERROR_LEN)
        return TW_PROTO_EBADLEN;
    e->code = f->payload[0];
    e->count = get32(f->payload + 4);
    e->total = get32(f->payload + 8);
    return 0;
}

const char *tw_proto_type_name(unsigned type)
{
    switch (type) {
    case TW_CMD_REG_READ: return "reg_read";
    case TW_CMD_REG_WRITE: return "reg_write";
    case TW_CMD_TABLE_WRITE: return "table_write";
    case TW_CMD_COMMIT: return "commit";
    case TW_CMD_TIME_SET: return "time_set";
    case TW_CMD_CNT_SNAPSHOT: return "cnt_snapshot";
    case TW_DEV_RESP: return "resp";
    case TW_DEV_ALERT: return "alert";
    case TW_DEV_FLOW: return "flow";
    case TW_DEV_COUNTERS: return "counters";
    case TW_DEV_ERROR: return "error";
    default: return NULL;
    }
}

const char *tw_proto_status_name(unsigned status)
{
    switch (status) {
    case TW_ST_OK: return "ok";
    case TW_ST_BAD_TYPE: return "bad command type";
    case TW_ST_BAD_LEN: return "bad payload length";
    case TW_ST_BAD_ADDR: return "bad register address";
    case TW_ST_BAD_COUNT: return "bad count";
    default: return NULL;
    }
}

/* ---- streaming decoder ----
 * Bytes accumulate in buf[head..tail). The decoder hunts for SYNC0 SYNC1, checks the header (type known for the
 * direction, length bound), waits for the whole frame, checks the CRC. On any rejection it drops only the first
 * sync byte and hunts again from the next byte, so a real frame hidden behind a false sync is still found. */
struct tw_proto_dec {
    enum tw_proto_dir dir;
    uint8_t *buf;
    size_t cap, head, tail;
    int have_seq, discarding, flush;
    uint16_t next_seq;
    struct tw_proto_stats st;
};

int tw_proto_dec_new(struct tw_proto_dec **out, enum tw_proto_dir dir)
{
    if (!out || (dir != TW_PROTO_DEV_TO_HOST && dir != TW_PROTO_HOST_TO_DEV))
        return TW_PROTO_EINVAL;
    struct tw_proto_dec *d = calloc(1, sizeof(*d));
    if (!d)
        return TW_PROTO_ENOMEM;
    d->cap = 4 * TW_PROTO_MAX_FRAME;
    d->buf = malloc(d->cap);
    if (!d->buf) {
        free(d);
        return TW_PROTO_ENOMEM;
    }
    d->dir = dir;
    *out = d;
    return 0;
}

void tw_proto_dec_free(struct tw_proto_dec *d)
{
    if (!d)
        return;
    free(d->buf);
    free(d);
}

void tw_proto_dec_reset(struct tw_proto_dec *d)
{
    if (!d)
        return;
    d->head = d->tail = 0;
    d->have_seq = 0;
    d->discarding = 0;
    d->flush = 0;
}

int tw_proto_dec_push(struct tw_proto_dec *d, const uint8_t *data, size_t n)
{
    if (!d || (n && !data))
        return TW_PROTO_EINVAL;
    if (d->head > 0 && d->tail - d->head + n > d->cap - d->tail) { /* compact first */
        memmove(d->buf, d->buf + d->head, d->tail - d->head);
        d->tail -= d->head;
        d->head = 0;
    }
    if (n > d->cap - d->tail) {
        size_t need = d->tail + n, cap = d->cap;
        while (cap < need) {
            if (cap > SIZE_MAX / 2)
                return TW_PROTO_ENOMEM;
            cap *= 2;
        }
        uint8_t *nb = realloc(d->buf, cap);
        if (!nb)
            return TW_PROTO_ENOMEM;
        d->buf = nb;
        d->cap = cap;
    }
    if (n)
        memcpy(d->buf + d->tail, data, n);
    d->tail += n;
    return 0;
}

static int type_ok(const struct tw_proto_dec *d, uint8_t t)
{
    if (d->dir == TW_PROTO_DEV_TO_HOST)
        return t >= TW_DEV_RESP && t <= TW_DEV_ERROR;
    return t >= TW_CMD_REG_READ && t <= TW_CMD_CNT_SNAPSHOT;
}

static void discard(struct tw_proto_dec *d, size_t n)
{
    if (!n)
        return;
    if (!d->discarding)
        d->st.resyncs++;
    d->discarding = 1;
    d->st.discarded += n;
    d->head += n;
}

int tw_proto_dec_next(struct tw_proto_dec *d, struct tw_proto_frame *f)
{
    if (!d || !f)
        return TW_PROTO_EINVAL;
    for (;;) {
        const uint8_t *b = d->buf + d->head;
        size_t avail = d->tail - d->head, i = 0;
        while (i + 1 < avail && !(b[i] == TW_PROTO_SYNC0 && b[i + 1] == TW_PROTO_SYNC1))
            i++;
        /* keep a trailing SYNC0: it may start a frame completed by the next push */
        if (i + 1 >= avail && !(i < avail && b[i] == TW_PROTO_SYNC0 && !d->flush))
            i = avail;
        discard(d, i);
        b = d->buf + d->head;
        avail = d->tail - d->head;
        if (avail == 0) {
            d->flush = 0;
            return 0;
        }
        if (avail < TW_PROTO_HDR_BYTES) {
            if (d->flush) {
                d->st.truncated++;
                discard(d, 1);
                continue;
            }
            return 0;
        }
        uint16_t len = get16(b + 5);
        if (!type_ok(d, b[2]) || len > TW_PROTO_MAX_LEN) {
            d->st.hdr_errors++;
            discard(d, 1);
            continue;
        }
        size_t flen = TW_PROTO_HDR_BYTES + (size_t)len + TW_PROTO_CRC_BYTES;
        if (avail < flen) {
            if (d->flush) {
                d->st.truncated++;
                discard(d, 1);
                continue;
            }
            return 0;
        }
        uint16_t crc = tw_proto_crc16(TW_PROTO_CRC_INIT, b + 2, TW_PROTO_HDR_BYTES - 2 + (size_t)len);
        if (crc != get16(b + TW_PROTO_HDR_BYTES + len)) {
            d->st.crc_errors++;
            discard(d, 1);
            continue;
        }
        f->type = b[2];
        f->seq = get16(b + 3);
        f->len = len;
        f->payload = b + TW_PROTO_HDR_BYTES;
        f->gap = 0;
        f->dup = 0;
        if (d->have_seq) {
            uint16_t delta = (uint16_t)(f->seq - d->next_seq);
            if (delta >= 0x8000) {
                f->dup = 1;
                d->st.dups++;
            } else if (delta) {
                f->gap = delta;
                d->st.seq_gaps++;
                d->st.lost += delta;
            }
        }
        if (!f->dup) {
            d->next_seq = (uint16_t)(f->seq + 1);
            d->have_seq = 1;
        }
        d->discarding = 0;
        d->head += flen;
        d->st.frames++;
        d->st.bytes += flen;
        return 1;
    }
}

void tw_proto_dec_flush(struct tw_proto_dec *d)
{
    if (d)
        d->flush = 1;
}

size_t tw_proto_dec_pending(const struct tw_proto_dec *d)
{
    return d ? d->tail - d->head : 0;
}

void tw_proto_dec_stats(const struct tw_proto_dec *d, struct tw_proto_stats *s)
{
    if (d && s)
        *s = d->st;
}

int tw_ftdi_strip(const uint8_t *in, size_t n, uint8_t *out, size_t pkt)
{
    if ((n && (!in || !out)) || pkt <= TW_FTDI_STATUS || n > INT_MAX)
        return TW_PROTO_EINVAL;
    size_t o = 0;
    for (size_t i = 0; i < n; i += pkt) {
        size_t k = n - i < pkt ? n - i : pkt;
        if (k < TW_FTDI_STATUS)
            return TW_PROTO_EINVAL;
        memmove(out + o, in + i + TW_FTDI_STATUS, k - TW_FTDI_STATUS);
        o += k - TW_FTDI_STATUS;
    }
    return (int)o;
}
