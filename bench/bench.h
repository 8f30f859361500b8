/*
 * sockport benchmarks (issue #7): the raw-syscall path and the sockport path
 * in one binary, picked at run time, so that both are built with the same
 * flags and laid out by the same link.
 *
 * Every subcommand prints machine-readable records on stdout, one a line,
 * fields separated by tabs, the record type first; people read stderr.
 *
 * Callgrind: the measured calls live in functions named bench_op_* (kept by
 * BENCH_OP) and the driver runs valgrind with --toggle-collect='bench_op_*',
 * so only those calls are counted. Each measured phase ends with
 * bench_phase_end(), a CALLGRIND_DUMP_STATS_AT client request naming the
 * phase; every phase runs N and then 2N times so that the driver can take
 * (Ir(2N) - Ir(N)) / N, which cancels first-call costs (PLT binding, lazy
 * initialisation) exactly. Outside valgrind the requests cost nothing.
 */
#ifndef SOCKPORT_BENCH_H
#define SOCKPORT_BENCH_H

#include <stddef.h>

/* Keeps a measured function out of line and under its own name (GCC would
 * otherwise clone it as foo.constprop.0 and --toggle-collect would miss it). */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_OP __attribute__((noinline, noclone))
#else
#define BENCH_OP __attribute__((noinline))
#endif

/* Dumps the callgrind counts of the phase that just ended under a name made
 * from fmt, and zeroes them. */
void bench_phase_end(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Zeroes the callgrind counts (start of a phase). */
void bench_phase_start(void);

/* Prints "sp_bench: what failed (rc)" on stderr and exits with status 2. */
_Noreturn void bench_die(const char *what, long rc);

/* A positive count from text, or dies. */
long bench_count(const char *text);

/* The subcommands; argv[0] is the subcommand's name. */
int bench_io_main(int argc, char **argv);
int bench_addr_main(int argc, char **argv);
int bench_wall_main(int argc, char **argv);

#endif /* SOCKPORT_BENCH_H */
