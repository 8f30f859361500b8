/*
 * `sp_bench wall`: wall-clock ratios sockport/raw, reported, never gated.
 *
 * Protocol (shared/reference/reliability.md section 8): for each metric, T
 * interleaved triples raw, sockport, raw'; the verdict is the median of the
 * per-triple sockport/raw ratios and the noise floor the median of raw'/raw.
 * A noise floor outside 1 +- 0.03 says "too noisy, rerun", not "fail".
 *
 * Records:
 *   env  key value
 *   wall metric ratio noise ratio_min ratio_max noise_min noise_max
 *        raw_median sockport_median unit target verdict
 *   skip metric why
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "bench.h"
#include "bench_wall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TRIPLES 31
#define NOISE_LIMIT 0.03

typedef struct metric {
    const char *name;
    const char *unit;
    double (*run)(int mode, long size);
    long size, quick_size;
    int lower_is_better; /* latency: the ratio should stay under target */
    double target;
} metric;

enum { UDP_SINGLE = 1 }; /* metrics[UDP_SINGLE]: the batched rate's reference */

static const metric metrics[] = {
    {"tcp_rr_1B_p50", "ns", wall_tcp_rr, 8000, 1000, 1, 1.02},
    {"udp_64B", "pkt/s", wall_udp, 40000, 5000, 0, 0.98},
    {"tcp_bulk_1KiB", "MB/s", wall_tcp_bulk, 64L << 20, 8L << 20, 0, 0.98},
    {"udp_mmsg32_64B", "pkt/s", wall_udp_mmsg, 160000, 16000, 0, 0.97},
};

/* One triple's values. */
typedef struct triple {
    double raw, sp, raw2;
} triple;

/* The results of one metric. */
typedef struct summary {
    double ratio, noise, rmin, rmax, nmin, nmax, raw, sp;
} summary;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static summary summarise(const triple *t, int n)
{
    double r[MAX_TRIPLES], z[MAX_TRIPLES], raw[MAX_TRIPLES], sp[MAX_TRIPLES];
    summary s;

    for (int i = 0; i < n; i++) {
        r[i] = t[i].sp / t[i].raw;
        z[i] = t[i].raw2 / t[i].raw;
        raw[i] = t[i].raw;
        sp[i] = t[i].sp;
    }
    s.ratio = median(r, n);
    s.noise = median(z, n);
    s.rmin = r[0], s.rmax = r[n - 1], s.nmin = z[0], s.nmax = z[n - 1];
    s.raw = median(raw, n);
    s.sp = median(sp, n);
    return s;
}

static const char *verdict(const metric *m, const summary *s)
{
    if (s->noise < 1 - NOISE_LIMIT || s->noise > 1 + NOISE_LIMIT)
        return "too noisy, rerun";
    if (m->lower_is_better ? s->ratio <= m->target : s->ratio >= m->target)
        return "ok";
    return "missed (not gated)";
}

static void print_summary(const metric *m, const summary *s)
{
    printf("wall\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.1f\t%.1f\t%s\t%s%.2f\t%s\n", m->name,
           s->ratio, s->noise, s->rmin, s->rmax, s->nmin, s->nmax, s->raw, s->sp, m->unit,
           m->lower_is_better ? "<=" : ">=", m->target, verdict(m, s));
    fflush(stdout);
}

/* Runs the triples; returns 0, or -1 when the sockport path is unsupported. */
static int run_metric(const metric *m, int triples, int quick, summary *out)
{
    triple t[MAX_TRIPLES];
    long size = quick ? m->quick_size : m->size;

    for (int i = 0; i < triples; i++) {
        t[i].raw = m->run(WALL_RAW, size);
        t[i].sp = m->run(WALL_SP, size);
        if (t[i].sp < 0)
            return -1;
        t[i].raw2 = m->run(WALL_RAW, size);
        fprintf(stderr, "  %-16s raw %.1f  sockport %.1f  raw' %.1f %s\n", m->name, t[i].raw,
                t[i].sp, t[i].raw2, m->unit);
    }
    *out = summarise(t, triples);
    return 0;
}

static void print_loadavg(const char *when)
{
    double l1 = -1;
    FILE *f = fopen("/proc/loadavg", "r");

    if (f != NULL) {
        if (fscanf(f, "%lf", &l1) != 1)
            l1 = -1;
        fclose(f);
    }
    printf("env\tloadavg_%s\t%.2f\n", when, l1);
}

/* The batched rate over sockport's own single-datagram rate (target 3.5x). */
static void print_gain(const summary *single, const summary *batched)
{
    double sp = batched->sp / single->sp, raw = batched->raw / single->raw;
    printf("gain\tudp_mmsg32_over_single\t%.2f\t%.2f\t>=3.50\t%s\n", sp, raw,
           sp >= 3.5 ? "ok" : "missed (not gated)");
}

static void parse_args(int argc, char **argv, int *triples, int *quick)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            *quick = 1;
        else if (strcmp(argv[i], "--triples") == 0 && i + 1 < argc)
            *triples = (int)bench_count(argv[++i]);
    }
    if (*triples > MAX_TRIPLES)
        *triples = MAX_TRIPLES;
}

int bench_wall_main(int argc, char **argv)
{
    int triples = 7, quick = 0;
    summary s[sizeof metrics / sizeof metrics[0]];

    parse_args(argc, argv, &triples, &quick);
    printf("env\tnproc\t%ld\n", sysconf(_SC_NPROCESSORS_ONLN));
    printf("env\tpinned\t%s\n", wall_pin(WALL_CLIENT_CPU) == 0 && sysconf(_SC_NPROCESSORS_ONLN) > 1
                                    ? "client cpu0, server cpu1"
                                    : "no (one CPU): numbers unreliable");
    printf("env\ttriples\t%d\n", triples);
    print_loadavg("start");
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        if (run_metric(&metrics[i], triples, quick, &s[i]) < 0) {
            printf("skip\t%s\tsockport's backend answers ENOTSUP\n", metrics[i].name);
            continue;
        }
        print_summary(&metrics[i], &s[i]);
        if (metrics[i].run == wall_udp_mmsg && metrics[UDP_SINGLE].run == wall_udp)
            print_gain(&s[UDP_SINGLE], &s[i]);
    }
    print_loadavg("end");
    return 0;
}
