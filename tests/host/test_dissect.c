/* The reference dissector against docs/parser.md: every protocol, field and error kind. The cases are shared with
 * the RTL parser's test (tests/common/parser_cases.c: frames built by tests/common/frames.c, each field checked
 * against the value put in); here they run on tw_dissect(), which takes every capability the cases ask for (empty
 * frames, any header window). Then a seeded run of random stacks, mutated and cut, under ASan/UBSan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "parser_cases.h"
#include "tapwatch/dissect.h"

/* ---------------- the runner of the shared cases: tw_dissect() ---------------- */

/* The sequence number of the next frame per port (tw_dissect takes it as given; not 0 so the copy is seen). */
struct dis_runner {
    uint32_t fseq[2];
};

static void dis_run(struct twpc_ctx *ctx, const struct tw_dissect_cfg *cfg, const uint8_t *b, size_t len, int tuser,
                    uint64_t ts, unsigned port, struct tw_meta *out)
{
    struct dis_runner *r = ctx->user;
    tw_dissect(cfg, b, len, tuser, ts, port, r->fseq[port & 1u]++, out);
}

static uint32_t dis_next_fseq(struct twpc_ctx *ctx, const struct tw_dissect_cfg *cfg, unsigned port)
{
    (void)cfg;
    const struct dis_runner *r = ctx->user;
    return r->fseq[port & 1u];
}

static void pc_fail(const char *file, int line, const char *what)
{
    print_error("%s\n", what);
    _fail(file, line);
}

static struct dis_runner g_runner = {{42, 42}};
static struct twpc_ctx g_pc = {
    .run = dis_run,
    .next_fseq = dis_next_fseq,
    .fail = pc_fail,
    .caps = TWPC_CAP_EMPTY_FRAME | TWPC_CAP_ANY_WINDOW,
    .user = &g_runner,
};

static void run_case(void **state)
{
    const struct twpc_case *c = *state;
    c->fn(&g_pc);
}

/* ---------------- random stacks ---------------- */

#define MAC_A TWPC_MAC_A
#define MAC_B TWPC_MAC_B
#define E(b) TWPC_E(b)
#define ip4 twpc_ip4
#define ip6 twpc_ip6

static struct tw_meta m;
static struct twf F;

static uint32_t rnd(uint32_t *x)
{
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}

/* Random stacks of headers (seeded), mutated and cut: ASan/UBSan check every read; the record stays in range. */
static void test_random_stacks(void **s)
{
    (void)s;
    uint32_t x = 0x5eed;
#define RND() rnd(&x)
    for (int iter = 0; iter < 3000; iter++) {
        twf_init(&F);
        twf_eth(&F, MAC_B, MAC_A, RND() % 3 ? 0x0800 : 0x86DD);
        if (RND() % 4 == 0) {
            F.b[12] = 0x81;
            F.b[13] = 0x00;
            twf_vlan(&F, (uint16_t)RND(), RND() % 2 ? 0x0800 : 0x86DD);
        }
        uint16_t et = (uint16_t)(F.b[F.n - 2] << 8 | F.b[F.n - 1]);
        unsigned t = RND() % 6;
        uint8_t proto = t == 0 ? 47 : t == 1 ? 4 : t == 2 ? 115 : 17;
        if (et == 0x0800)
            twf_ipv4(&F, ip4(proto));
        else
            twf_ipv6(&F, ip6(proto));
        switch (t) {
        case 0: twf_gre(&F, (uint16_t)(RND() & 0xB000), RND() % 2 ? 0x88BE : 0x22EB, RND(), RND()); break;
        case 1: break;
        case 2: twf_l2tpv3(&F, RND(), 0); break;
        case 3: twf_udp(&F, 1, 2152); twf_gtpu(&F, (uint8_t)RND(), 255, RND(), 0, 0x85); break;
        case 4: twf_udp(&F, 1, 6081); twf_geneve(&F, 0x6558, RND(), RND() % 8); break;
        default: twf_udp(&F, 1, 37008); twf_tzsp(&F, 1, 0, 1); twf_tzsp_tag(&F, 5, (uint8_t)RND(), 0); break;
        }
        twf_payload(&F, RND() % 120, (uint8_t)RND());
        twf_end(&F);
        for (int k = 0, nm = (int)(RND() % 4); k < nm && F.n; k++)
            F.b[RND() % F.n] = (uint8_t)RND();
        size_t len = RND() % 2 ? F.n : RND() % (F.n + 1);
        struct tw_dissect_cfg cfg;
        tw_dissect_cfg_default(&cfg);
        cfg.l2tp_cookie = (RND() % 3) * 4;
        cfg.hdr_bytes = RND() % 4 ? 256 : 64 + RND() % 300;
        tw_dissect(&cfg, F.b, len, (int)(RND() % 2), 0, 0, 0, &m);
        assert_int_equal(m.len, len);
        assert_true(m.o_vlan_n <= 2 && m.i_vlan_n <= 2 && m.o_mpls_n <= 4 && m.i_mpls_n <= 4);
        assert_true(m.o_ip6_ext_n <= 4 && m.i_ip6_ext_n <= 4 && m.gtp_ext_n <= 4);
        assert_true(m.o_l3_head_n <= 16 && m.i_l3_head_n <= 16);
        assert_true(m.tun_kind < TW_TUN_COUNT);
        assert_true(m.err < (1u << TW_ERR_COUNT));
        if (m.inner)
            assert_true(m.tun_kind != 0);
        if (m.err & E(INNER))
            assert_true(m.err & (E(TRUNC) | E(IPVER) | E(IHL) | E(IPLEN) | E(CSUM) | E(DEEP)));
    }
#undef RND
}

/* The IPv4 header checksum check (summed 32 bits at a time) against the 16-bit one's-complement definition on
 * random headers of every IHL, half of them with a correct checksum, plus sums that fold to 0xFFFF in other ways. */
static void test_ip4_checksum_random(void **st)
{
    (void)st;
    uint64_t r = 0x9E3779B97F4A7C15ull;
#define RND() (r ^= r << 13, r ^= r >> 7, r ^= r << 17, (uint32_t)(r >> 16))
    for (int it = 0; it < 20000; it++) {
        uint8_t b[14 + 60 + 8];
        memset(b, 0, sizeof b);
        b[12] = 0x08;
        unsigned ihl = 5 + RND() % 11, hl = ihl * 4;
        uint8_t *h = b + 14;
        for (unsigned i = 0; i < hl; i++)
            h[i] = (uint8_t)(it % 7 == 0 ? (RND() % 3 ? 0xFF : 0x00) : RND());
        h[0] = (uint8_t)(0x40 | ihl);
        h[2] = 0;
        h[3] = (uint8_t)hl;
        if (it % 2) { /* a correct checksum */
            h[10] = h[11] = 0;
            uint32_t s = 0;
            for (unsigned i = 0; i < hl; i += 2)
                s += (uint32_t)h[i] << 8 | h[i + 1];
            while (s >> 16)
                s = (s & 0xFFFFu) + (s >> 16);
            h[10] = (uint8_t)(~s >> 8);
            h[11] = (uint8_t)~s;
        }
        uint32_t s = 0;
        for (unsigned i = 0; i < hl; i += 2)
            s += (uint32_t)h[i] << 8 | h[i + 1];
        while (s >> 16)
            s = (s & 0xFFFFu) + (s >> 16);
        struct tw_meta m;
        tw_dissect(NULL, b, 14 + hl, 0, 0, 0, 0, &m);
        assert_int_equal(m.o_ip_ver, 4);
        assert_int_equal(m.o_ip_csum_ok, s == 0xFFFFu);
        assert_int_equal(!!(m.err & E(CSUM)), s != 0xFFFFu);
        if (it % 2)
            assert_true(m.o_ip_csum_ok);
    }
#undef RND
}

int main(void)
{
    struct CMUnitTest tests[TWPC_NCASES + 2];
    for (unsigned i = 0; i < TWPC_NCASES; i++)
        tests[i] = (struct CMUnitTest){twpc_cases[i].name, run_case, NULL, NULL, (void *)&twpc_cases[i]};
    tests[TWPC_NCASES] = (struct CMUnitTest)cmocka_unit_test(test_random_stacks);
    tests[TWPC_NCASES + 1] = (struct CMUnitTest)cmocka_unit_test(test_ip4_checksum_random);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
