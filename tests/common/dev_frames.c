/* See dev_frames.h. */
#include "dev_frames.h"

#include <string.h>

#include "frames.h"

const char TWT_DEV_RULES[] =
    "alert udp $HOME_NET any -> !$HOME_NET 53 (msg:\"dns out\"; sid:101; rev:2;)\n"
    "alert tcp any any -> any $MGMT (msg:\"mgmt\"; sid:102; priority:2;)\n"
    "alert ip any any -> any any (msg:\"hw src\"; src_vendor:HW; sid:103; gid:7;)\n"
    "pass udp any any -> any 5353 (msg:\"mdns ok\"; sid:104;)\n"
    "alert udp any any -> any any (msg:\"any udp\"; sid:105;)\n"
    "alert udp any any -> any 53 (msg:\"inner dns\"; inner; sid:106;)\n";

/* the inner packet of the VXLAN copy at index i (kind 6); sent on its own at index i - 7 (kind 7) */
static void inner_packet(struct twf *f, unsigned i)
{
    twf_ipv4(f, &(struct twf_ip4){.proto = 17, .ttl = 63, .src = 0xc0a80001, .dst = 0xc0a80002});
    twf_udp(f, 999, 53);
    twf_payload(f, 20 + (i * 7) % 60, (uint8_t)i);
}

int twt_dev_frames(struct twt_dev_frame *fr, unsigned n, unsigned non_ip, uint64_t t0, uint64_t dt)
{
    if (non_ip > n)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        struct twf f;
        twf_init(&f);
        unsigned kind = i % 8;
        uint64_t smac = (kind == 2) ? 0x00e0fc000001ull : 0x020000000002ull;
        if (i >= n - non_ip) {
            twf_eth(&f, 0x020000000001ull, smac, 0x88B5);
            twf_payload(&f, 46 + i % 64, (uint8_t)i);
        } else if (kind == 7) {
            twf_eth(&f, 0x020000000001ull, 0x020000000003ull, 0x0800);
            inner_packet(&f, i + 7);
        } else if (kind == 5) {
            twf_eth(&f, 0x020000000001ull, smac, 0x86dd);
            struct twf_ip6 ip = {.nh = 17, .hlim = 64};
            twf_ip6_addr(ip.src, 0x2001, (uint16_t)(1 + i % 4));
            twf_ip6_addr(ip.dst, 0x2a00, 0x53);
            twf_ipv6(&f, &ip);
            twf_udp(&f, (uint16_t)(40000 + i % 7), 53);
            twf_payload(&f, 20 + (i * 7) % 90, (uint8_t)i);
        } else {
            twf_eth(&f, 0x020000000001ull, smac + (i % 3), 0x0800);
            uint32_t src = 0x0a000001 + (i % 5), dst = (i & 1) ? 0x08080808 : 0x0a000102;
            uint8_t proto = (kind == 1 || kind == 3) ? 6 : 17;
            twf_ipv4(&f, &(struct twf_ip4){.proto = proto, .ttl = 64, .src = src, .dst = dst});
            if (proto == 6)
                twf_tcp(&f, (uint16_t)(30000 + i % 11), kind == 1 ? 22 : 443, i, 0x18);
            else if (kind == 4)
                twf_udp(&f, 5353, 5353);
            else if (kind == 6) {
                twf_udp(&f, 1234, 4789);
                twf_vxlan(&f, 77);
                twf_eth(&f, 0x020000000009ull, 0x02000000000aull, 0x0800);
                inner_packet(&f, i);
            } else
                twf_udp(&f, (uint16_t)(50000 + i % 13), (i & 1) ? 53 : 123);
            if (kind != 6)
                twf_payload(&f, 20 + (i * 7) % 90, (uint8_t)i);
        }
        twf_end(&f);
        twf_pad(&f, 60);
        if (f.overflow || f.n > sizeof fr[i].b)
            return -1;
        memcpy(fr[i].b, f.b, f.n);
        fr[i].len = f.n;
        fr[i].port = 0;
        fr[i].ts = t0 + (uint64_t)i * dt;
    }
    return 0;
}

void twt_dev_noip_frame(uint8_t f[TWT_NOIP_LEN], unsigned j)
{
    memset(f, 0, TWT_NOIP_LEN);
    f[0] = 0x02;
    f[5] = 0x01;
    f[6] = 0x02;
    f[11] = 0x02;
    f[12] = 0x88;
    f[13] = 0xB5;
    memcpy(f + 14, &j, sizeof j);
}
