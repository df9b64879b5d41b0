/* tapwatch analyze: the software reference detector over captures, EVE JSON out. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tapwatch/detect.h"
#include "tapwatch/error.h"
#include "tapwatch/rules.h"
#include "tapwatch/tables.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: tapwatch analyze (--config CONFIG | --image IMAGE) [--eve OUT] [--pcap-out EVIDENCE.pcap] "
               "CAPTURE...\n\n"
               "Runs the detection semantics of the hardware engine in software over pcap/pcapng captures and\n"
               "writes EVE JSON lines (alert, flow and a final stats event).\n\n"
               "  --config CONFIG     YAML configuration with its rule files (compiled on the fly)\n"
               "  --image IMAGE       a compiled table image (tapwatch rules compile) instead of --config\n"
               "  --eve OUT           write EVE JSON to OUT (default: standard output; '-' too)\n"
               "  --pcap-out FILE     write each alert's evidence bytes (detect.evidence-bytes) as a capture\n\n"
               "exit status: 0 no alerts, 1 alerts found, 2 usage error, 3 input or runtime error\n");
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"image", required_argument, NULL, 'i'},
        {"eve", required_argument, NULL, 'e'},    {"pcap-out", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *config = NULL, *image = NULL, *eve = NULL, *pcap_out = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:i:e:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'i': image = optarg; break;
        case 'e': eve = optarg; break;
        case 'p': pcap_out = optarg; break;
        case 'h': usage(stdout); return TW_EXIT_OK;
        default:
            fprintf(stderr, "tapwatch analyze: unknown or incomplete option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return TW_EXIT_USAGE;
        }
    }
    if (!config == !image) {
        fprintf(stderr, "tapwatch analyze: give exactly one of --config or --image\n");
        usage(stderr);
        return TW_EXIT_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "tapwatch analyze: no capture given\n");
        usage(stderr);
        return TW_EXIT_USAGE;
    }

    char err[1024] = "";
    struct tw_tables *t = NULL;
    int rc;
    if (config) {
        struct tw_config *cfg = NULL;
        rc = tw_config_load(config, &cfg, err, sizeof err);
        if (rc == 0)
            rc = tw_compile(cfg, NULL, &t, err, sizeof err);
        tw_config_free(cfg);
    } else {
        rc = tw_tables_read(image, &t, err, sizeof err);
    }
    if (rc < 0) {
        fprintf(stderr, "tapwatch analyze: %s\n", err[0] ? err : tw_strerror(rc));
        return TW_EXIT_ERROR;
    }

    FILE *out = stdout;
    if (eve && strcmp(eve, "-")) {
        out = fopen(eve, "w");
        if (!out) {
            perror(eve);
            tw_tables_free(t);
            return TW_EXIT_ERROR;
        }
    }
    static char obuf[1 << 16];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);

    struct tw_analyze_opts o = {.tables = t, .eve = out, .pcap_out = pcap_out};
    tw_detect_params_default(&o.params);
    tw_detect_params_from_tables(&o.params, t);
    struct tw_analyze *a = NULL;
    rc = tw_analyze_open(&a, &o, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "tapwatch analyze: %s\n", err[0] ? err : tw_strerror(rc));
        if (out != stdout)
            fclose(out);
        tw_tables_free(t);
        return rc == TW_ERR_INVAL ? TW_EXIT_USAGE : TW_EXIT_ERROR;
    }
    int failed = 0;
    for (int i = optind; i < argc; i++) {
        if (tw_analyze_file(a, argv[i], err, sizeof err) < 0) {
            fprintf(stderr, "tapwatch analyze: %s\n", err);
            failed = 1;
        }
    }
    if (tw_analyze_finish(a, err, sizeof err) < 0) {
        fprintf(stderr, "tapwatch analyze: %s\n", err);
        failed = 1;
    }
    uint64_t alerts = tw_analyze_alerts(a);
    tw_analyze_close(a);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "tapwatch analyze: writing EVE output failed\n");
        failed = 1;
    }
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "tapwatch analyze: closing %s failed\n", eve);
        failed = 1;
    }
    tw_tables_free(t);
    if (failed)
        return TW_EXIT_ERROR;
    return alerts ? TW_EXIT_ALERTS : TW_EXIT_OK;
}
