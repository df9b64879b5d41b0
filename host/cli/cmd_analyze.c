/* tapwatch analyze: placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"

int cmd_analyze(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "tapwatch %s: not implemented yet\n", argv[0]);
    return TW_EXIT_ERROR;
}
