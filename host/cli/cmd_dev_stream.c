/* tapwatch alerts / flows: stream the device's alert or flow records. Alerts go out as EVE JSON (the writer of
 * `tapwatch analyze`) or as one text line each, optionally with their evidence bytes in a capture; Ctrl-C (or
 * --count / --timeout) ends the stream with a summary on stderr that includes what was lost. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "cli.h"
#include "tapwatch/device.h"
#include "tapwatch/eve.h"
#include "tapwatch/tables.h"

#define EXIT_HELP                                                                                                 \
    "exit status: 0 success, 2 usage error, 3 device or runtime error, 4 no device (or it went away)\n"

static void usage(FILE *f, int flows)
{
    if (flows)
        fprintf(f, "usage: tapwatch flows [-d DEVICE] [--flush] [--count N] [--timeout S]\n\n"
                   "Streams the device's flow records as EVE flow events (JSON lines) until Ctrl-C, N flows, or S\n"
                   "seconds without one; then prints a summary (received, lost) on stderr.\n"
                   "  --flush          first flushes the flow table (every live flow leaves as a record with reason\n"
                   "                   shutdown: the end of a capture) and ends once the flush is over and its\n"
                   "                   records are out\n\n" EXIT_HELP);
    else
        fprintf(f, "usage: tapwatch alerts [-d DEVICE] [--json|--text] [--rules CONFIG|IMAGE] [--pcap FILE]\n"
                   "                       [--count N] [--timeout S]\n\n"
                   "Streams the device's alerts until Ctrl-C, N alerts, or S seconds without one; then prints a\n"
                   "summary on stderr: alerts received and lost (sequence gaps), link frames lost, CRC errors,\n"
                   "resyncs and the drops the device reported.\n"
                   "  --json           EVE JSON alert events, one per line (default)\n"
                   "  --text           one line per alert: time, [gid:sid:rev], message, protocol, addresses\n"
                   "  --rules FILE     the rule set loaded into the device, for messages, categories and vendors\n"
                   "  --pcap FILE      writes each alert's evidence bytes as a frame (Ethernet) to FILE\n\n" EXIT_HELP);
}

struct out {
    int text, flows;
    struct tw_eve *eve;
    pcap_t *dead;
    pcap_dumper_t *dump;
    const struct tw_tables *t;
    unsigned long long n;
};

static void text_line(const struct tw_eve_alert *a)
{
    char ts[40], s[48], d[48], p[16];
    tw_eve_timestamp(a->ts_ns, ts, sizeof ts);
    tw_eve_addr(a->ip_ver == 6, a->src_ip, s, sizeof s);
    tw_eve_addr(a->ip_ver == 6, a->dst_ip, d, sizeof d);
    tw_eve_proto(a->proto, p, sizeof p);
    if (a->ports_v)
        printf("%s [%u:%u:%u] %s {%s} %s:%u -> %s:%u\n", ts, a->gid, a->sid, a->rev,
               a->signature && *a->signature ? a->signature : "(rule not in the given rule set)", p, s, a->src_port,
               d, a->dst_port);
    else
        printf("%s [%u:%u:%u] %s {%s} %s -> %s\n", ts, a->gid, a->sid, a->rev,
               a->signature && *a->signature ? a->signature : "(rule not in the given rule set)", p, s, d);
}

static int emit(struct out *o, const struct tw_dev_event *ev)
{
    if (o->flows) {
        if (ev->type != TW_EV_FLOW)
            return 0;
        o->n++;
        return tw_eve_write_flow(o->eve, &ev->flow);
    }
    if (ev->type != TW_EV_ALERT)
        return 0;
    struct tw_eve_alert a;
    tw_dev_alert_eve(&a, &ev->alert, ev->evidence, ev->alert.ev_len, o->t);
    o->n++;
    if (o->dump && ev->alert.ev_len) {
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof h);
        h.ts.tv_sec = (time_t)(ev->alert.ts / 1000000000ull);
        h.ts.tv_usec = (suseconds_t)(ev->alert.ts % 1000000000ull / 1000);
        h.caplen = ev->alert.ev_len;
        h.len = ev->alert.len > ev->alert.ev_len ? ev->alert.len : ev->alert.ev_len;
        pcap_dump((u_char *)o->dump, &h, ev->evidence);
    }
    if (o->text) {
        text_line(&a);
        return 0;
    }
    return tw_eve_write_alert(o->eve, &a);
}

static void summary(struct tw_dev *d, const struct out *o)
{
    struct tw_dev_stats s;
    tw_dev_stats(d, &s);
    fprintf(stderr,
            "tapwatch %s: %llu %s received, %llu lost (sequence gaps); link: %llu frames, %llu lost, %llu CRC "
            "errors, %llu resyncs; device reported %llu dropped records; host queue drops %llu\n",
            o->flows ? "flows" : "alerts", o->n, o->flows ? "flows" : "alerts",
            (unsigned long long)(o->flows ? s.flows_lost : s.alerts_lost), (unsigned long long)s.frames,
            (unsigned long long)s.frames_lost, (unsigned long long)s.crc_errors, (unsigned long long)s.resyncs,
            (unsigned long long)s.dev_tx_drops, (unsigned long long)s.queue_drops);
}

static int stream(int argc, char **argv, int flows)
{
    static const struct option opts[] = {{"device", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"text", no_argument, NULL, 't'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"pcap", required_argument, NULL, 'p'},
                                         {"count", required_argument, NULL, 'n'},
                                         {"timeout", required_argument, NULL, 'T'},
                                         {"flush", no_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *cmd = flows ? "flows" : "alerts";
    const char *dev = NULL, *rules = NULL, *pcapf = NULL;
    int json = 0, text = 0, flush = 0, c;
    unsigned long long count = 0, timeout = 0;
    optind = 0; /* full reinitialisation (GNU): earlier scans may have left another ordering mode */
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'j': json = 1; break;
        case 't': text = 1; break;
        case 'r': rules = optarg; break;
        case 'p': pcapf = optarg; break;
        case 'F': flush = 1; break;
        case 'n':
            if (tw_cli_num(optarg, 1ull << 62, &count) || !count) {
                fprintf(stderr, "tapwatch %s: --count wants a positive number, not '%s'\n", cmd, optarg);
                return TW_EXIT_USAGE;
            }
            break;
        case 'T':
            if (tw_cli_num(optarg, 2000000, &timeout) || !timeout) {
                fprintf(stderr, "tapwatch %s: --timeout wants 1..2000000 seconds, not '%s'\n", cmd, optarg);
                return TW_EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout, flows); return TW_EXIT_OK;
        default: usage(stderr, flows); return TW_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "tapwatch %s: unexpected argument '%s'\n", cmd, argv[optind]);
        return TW_EXIT_USAGE;
    }
    if (json && text) {
        fprintf(stderr, "tapwatch alerts: --json and --text exclude each other\n");
        return TW_EXIT_USAGE;
    }
    if (flows && (json || text || rules || pcapf)) {
        fprintf(stderr, "tapwatch flows: --json, --text, --rules and --pcap apply to alerts only\n");
        return TW_EXIT_USAGE;
    }
    if (!flows && flush) {
        fprintf(stderr, "tapwatch alerts: --flush applies to flows only\n");
        return TW_EXIT_USAGE;
    }
    struct out o;
    memset(&o, 0, sizeof o);
    o.text = text;
    o.flows = flows;
    struct tw_tables *t = NULL;
    int ex;
    if (rules && (ex = tw_cli_tables(cmd, rules, NULL, &t)))
        return ex;
    o.t = t;
    if (pcapf) {
        o.dead = pcap_open_dead(DLT_EN10MB, 65535);
        o.dump = o.dead ? pcap_dump_open(o.dead, pcapf) : NULL;
        if (!o.dump) {
            fprintf(stderr, "tapwatch alerts: cannot write %s: %s\n", pcapf, o.dead ? pcap_geterr(o.dead) : "pcap");
            if (o.dead)
                pcap_close(o.dead);
            tw_tables_free(t);
            return TW_EXIT_ERROR;
        }
    }
    struct tw_dev *d = NULL;
    if (!text && tw_eve_open(&o.eve, stdout)) {
        ex = TW_EXIT_ERROR;
        goto done;
    }
    if ((ex = tw_cli_open(cmd, tw_cli_device(dev), &d)))
        goto done;
    tw_cli_catch_signals();
    struct tw_dev_event *ev = malloc(sizeof *ev);
    if (!ev) {
        ex = TW_EXIT_ERROR;
        goto done;
    }
    int64_t idle_ms = 0;
    int rc = flush ? tw_dev_flush(d) : 0;
    while (!rc && !tw_cli_stop && (!count || o.n < count)) {
        rc = tw_dev_read_event(d, ev, 100);
        if (rc == TW_ERR_TIMEOUT) {
            rc = 0;
            idle_ms += 100;
            if (timeout && idle_ms >= (int64_t)timeout * 1000)
                break;
            /* --flush: done when the device says the flush is over (REG_STATUS bit 2) and 100 ms passed without
             * a record after that */
            uint32_t st;
            if (flush && !(rc = tw_reg_read(d, TW_REG_STATUS, &st, 1)) && !(st & 4)) {
                if (flush == 2)
                    break;
                flush = 2;
            }
            continue;
        }
        if (rc)
            break;
        idle_ms = 0;
        if ((rc = emit(&o, ev)))
            break;
        if (o.text)
            fflush(stdout);
    }
    free(ev);
    if (rc == TW_ERR_UNSUPPORTED && flush) { /* tw_dev_flush's refusal, before any record */
        fprintf(stderr, "tapwatch flows: --flush: the device has no flow table (a build without detection)\n");
        ex = tw_cli_exit_for(rc);
    } else if (rc) {
        fprintf(stderr, "tapwatch %s: %s\n", cmd, tw_strerror(rc));
        ex = tw_cli_exit_for(rc);
    }
    summary(d, &o);
done:
    if (o.eve && tw_eve_close(o.eve) && !ex) {
        fprintf(stderr, "tapwatch %s: writing the output failed\n", cmd);
        ex = TW_EXIT_ERROR;
    }
    if (o.dump)
        pcap_dump_close(o.dump);
    if (o.dead)
        pcap_close(o.dead);
    tw_close(d);
    tw_tables_free(t);
    return ex;
}

int cmd_alerts(int argc, char **argv) { return stream(argc, argv, 0); }
int cmd_flows(int argc, char **argv) { return stream(argc, argv, 1); }
