#include "tapwatch/meta.h"

#include <string.h>

#include "bits_int.h"

#define UNPACK(name, lsb, w)                                                                       \
    if ((w) > 64)                                                                                  \
        get_wide(bits, (lsb), (w), (uint8_t *)&m->name);                                           \
    else {                                                                                         \
        uint64_t v_ = get_bits(bits, (lsb), (w));                                                  \
        memcpy(&m->name, &v_, sizeof m->name); /* little-endian host assumed */                    \
    }
#define PACK(name, lsb, w)                                                                         \
    if ((w) > 64)                                                                                  \
        put_wide(bits, (lsb), (w), (const uint8_t *)&m->name);                                     \
    else {                                                                                         \
        uint64_t v_ = 0;                                                                           \
        memcpy(&v_, &m->name, sizeof m->name);                                                     \
        put_bits(bits, (lsb), (w), v_);                                                            \
    }

void tw_meta_unpack(const uint8_t *bits, struct tw_meta *m)
{
    memset(m, 0, sizeof *m);
    TW_META_FIELDS(UNPACK)
}

void tw_meta_pack(const struct tw_meta *m, uint8_t *bits)
{
    memset(bits, 0, TW_M_BYTES);
    TW_META_FIELDS(PACK)
}

const char *tw_tunnel_name(unsigned k)
{
    static const char *const names[TW_TUN_COUNT] = {
        [TW_TUN_NONE] = "none",     [TW_TUN_GRE] = "gre",       [TW_TUN_ERSPAN1] = "erspan1",
        [TW_TUN_ERSPAN2] = "erspan2", [TW_TUN_ERSPAN3] = "erspan3", [TW_TUN_GRETEB] = "gre-teb",
        [TW_TUN_VXLAN] = "vxlan",   [TW_TUN_GENEVE] = "geneve", [TW_TUN_GTPU] = "gtpu",
        [TW_TUN_TZSP] = "tzsp",     [TW_TUN_IPIP] = "ipip",     [TW_TUN_L2TPV3] = "l2tpv3",
    };
    return k < TW_TUN_COUNT ? names[k] : NULL;
}

const char *tw_err_name(unsigned b)
{
    static const char *const names[TW_ERR_COUNT] = {
        [TW_ERR_RUNT] = "runt",   [TW_ERR_GIANT] = "giant", [TW_ERR_TRUNC] = "truncated",
        [TW_ERR_IPVER] = "ip_version", [TW_ERR_IHL] = "bad_ihl", [TW_ERR_IPLEN] = "ip_length",
        [TW_ERR_CSUM] = "ip_checksum", [TW_ERR_DEEP] = "too_deep", [TW_ERR_MACBAD] = "mac_bad",
        [TW_ERR_INNER] = "inner",
    };
    return b < TW_ERR_COUNT ? names[b] : NULL;
}
