/* tapwatch-sim serve (sim/twdev_serve.c): argc/argv start at "serve". Exit status as tapwatch-sim's. */
#ifndef TAPWATCH_SIM_TWDEV_SERVE_H
#define TAPWATCH_SIM_TWDEV_SERVE_H

int twdev_serve_main(int argc, char **argv);

#endif
