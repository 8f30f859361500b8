/*
 * sp_bench: one binary, three subcommands.
 *
 *   sp_bench io   [--iters N] [--modes raw,sockport,apr]   per-call I/O cost
 *   sp_bench addr [--iters N] [--only parse|format]        address text peers
 *   sp_bench wall [--triples T] [--quick]                  wall-clock ratios
 *
 * `io` and `addr` are meant to run under callgrind (bench/perf_gate.sh);
 * `wall` is meant to run bare, on an otherwise idle machine.
 */
#include "bench.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_DUMP_STATS_AT(name) ((void)(name))
#define CALLGRIND_ZERO_STATS          ((void)0)
#endif

void bench_phase_end(const char *fmt, ...)
{
    char name[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    CALLGRIND_DUMP_STATS_AT(name);
}

void bench_phase_start(void)
{
    CALLGRIND_ZERO_STATS;
}

void bench_die(const char *what, long rc)
{
    fprintf(stderr, "sp_bench: %s failed (%ld)\n", what, rc);
    exit(2);
}

long bench_count(const char *text)
{
    char *end = NULL;
    long v = text != NULL ? strtol(text, &end, 10) : 0;

    if (text == NULL || *end != '\0' || v <= 0)
        bench_die("a positive count argument", v);
    return v;
}

static int usage(void)
{
    fputs("usage: sp_bench io   [--iters N] [--modes raw,sockport,apr]\n"
          "       sp_bench addr [--iters N] [--only parse|format]\n"
          "       sp_bench wall [--triples T] [--quick]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "io") == 0)
        return bench_io_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "addr") == 0)
        return bench_addr_main(argc - 1, argv + 1);
    if (strcmp(argv[1], "wall") == 0)
        return bench_wall_main(argc - 1, argv + 1);
    return usage();
}
