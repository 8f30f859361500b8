/*
 * The torture driver (see torture.h).
 *
 *   torture LAYER SCENARIO             every fault: prints one summary line
 *   torture LAYER SCENARIO K V         one fault (a failure's reproduction):
 *                                      call K, the layer's variant V
 *   SOCKPORT_TORTURE_SHALLOW=N         at most N values of k (spread evenly,
 *                                      the first and last always included)
 *
 * Exit status: 0 clean, 1 when a run failed, 77 when the scenario cannot run
 * here (CTest shows it skipped, with the reason printed), 2 for bad usage.
 *
 * Leak checks after every run: the torture allocator counts live sockport
 * blocks; descriptors are compared with a snapshot taken after a warm-up run
 * (POSIX: fcntl(F_GETFD) on 0-1023; Windows: GetHandleInformation on handle
 * values up to a bound above the highest one seen at the snapshot, since
 * Wine 8 answers 0 to GetProcessHandleCount and WinSock opens a few handles
 * lazily on first use: the warm-up takes them).
 */
#include "sp_platform.h"

#include "torture.h"

#include "sockport/backend.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <fcntl.h>
#endif

#define MAX_REPORTS 20

/* ---- the torture allocator ------------------------------------------------- */

static atomic_long live_blocks;
static atomic_uint_least64_t allocs, failed;
static uint64_t fail_nth;
static int fail_persistent;

static void *t_alloc(size_t size, void *ud)
{
    (void)ud;
    uint64_t n = atomic_fetch_add(&allocs, 1) + 1;
    if (fail_nth != 0 && (n == fail_nth || (fail_persistent && n > fail_nth))) {
        atomic_fetch_add(&failed, 1);
        return NULL;
    }
    void *p = malloc(size);
    if (p != NULL)
        atomic_fetch_add(&live_blocks, 1);
    return p;
}

static void t_free(void *p, size_t size, void *ud)
{
    (void)size, (void)ud;
    atomic_fetch_sub(&live_blocks, 1);
    free(p);
}

void t_alloc_reset(void)
{
    fail_nth = 0;
    atomic_store(&allocs, 0);
    atomic_store(&failed, 0);
}

uint64_t t_alloc_count(void)
{
    return atomic_load(&allocs);
}

void t_alloc_fail(uint64_t nth, int persistent)
{
    t_alloc_reset();
    fail_nth = nth;
    fail_persistent = persistent;
}

uint64_t t_alloc_failed(void)
{
    return atomic_load(&failed);
}

/* ---- descriptors and handles ------------------------------------------- */

#ifdef _WIN32
#define FIRST_HANDLE 1    /* index 0: handle value 0, never valid */
#define HANDLE_SPAN  1024 /* handle values probed above the highest seen */
static unsigned char open_before[65536 / 4];
static size_t probe_limit;

static int is_open(size_t i)
{
    DWORD flags;
    return GetHandleInformation((HANDLE)(uintptr_t)(i * 4), &flags) != 0;
}

static void snapshot(void)
{
    size_t top = 0;
    probe_limit = sizeof open_before;
    for (size_t i = 1; i < 4096 / 4; i++) {
        open_before[i] = (unsigned char)is_open(i);
        if (open_before[i])
            top = i;
    }
    probe_limit = top + HANDLE_SPAN / 4;
}
#else
#define FIRST_HANDLE 0
#define FD_MAX       1024
static unsigned char open_before[FD_MAX];
static size_t probe_limit = FD_MAX;

static int is_open(size_t fd)
{
    return fcntl((int)fd, F_GETFD) != -1;
}

static void snapshot(void)
{
    for (size_t fd = 0; fd < FD_MAX; fd++)
        open_before[fd] = (unsigned char)is_open(fd);
}
#endif

/* Descriptors opened and not closed by the run, or closed that it did not
 * open (a double close); prints them. \return how many. */
static int handle_leaks(char *why, size_t cap)
{
    int n = 0;
    for (size_t i = FIRST_HANDLE; i < probe_limit; i++) {
        int now = is_open(i);
        if (now != open_before[i] && n++ == 0 && why != NULL)
            snprintf(why, cap, "%s %lu %s", now ? "descriptor" : "foreign descriptor",
                     (unsigned long)i, now ? "leaked" : "closed by the run");
    }
    return n;
}

/* ---- one run --------------------------------------------------------------- */

typedef struct verdict {
    long long rc;
    uint64_t injected;
    int ok;
    int absorbed;
    const char *known_leak; /* a handle left open for this reason */
    char why[160];
} verdict;

static const layer *L;
static const scenario *S;

/* Every failing close answered as the layer allows. */
static void check_closes(const plan *p, const tctx *t, verdict *v)
{
    for (int i = 0; v->ok && i < t->nclose; i++) {
        if (p == NULL || !L->close_ok(p, t->closes[i])) {
            snprintf(v->why, sizeof v->why, "a close answered %s",
                     sockport_err_name((int)t->closes[i]));
            v->ok = 0;
        }
    }
}

/* No sockport block and no descriptor outlives the run. */
static void check_leaks(const plan *p, verdict *v)
{
    long blocks = atomic_load(&live_blocks);
    if (v->ok && blocks != 0) {
        snprintf(v->why, sizeof v->why, "%ld sockport block(s) leaked", blocks);
        v->ok = 0;
    }
    if (handle_leaks(v->ok ? v->why : NULL, sizeof v->why) != 0) {
        const char *known = p != NULL && L->known_leak != NULL ? L->known_leak(p) : NULL;
        if (known != NULL && v->ok)
            v->known_leak = known;
        else
            v->ok = 0;
        snapshot(); /* report each leak once */
    }
    atomic_store(&live_blocks, 0);
}

/* Runs the scenario once, with p armed (NULL: no fault), and judges it. */
static verdict run_once(const plan *p)
{
    tctx t;
    verdict v;
    memset(&t, 0, sizeof t);
    memset(&v, 0, sizeof v);
    t.injected = L->injected;
    if (p != NULL)
        L->arm(p);
    v.rc = S->run(&t);
    v.injected = p != NULL ? L->injected() : 0;
    v.absorbed = t.absorbed;
    v.ok = p != NULL ? L->allowed(p, v.injected, v.rc, t.absorbed) : v.rc == 0;
    if (p != NULL)
        L->disarm();
    if (!v.ok)
        snprintf(v.why, sizeof v.why, "got %s (%lld) at line %d: %s", sockport_err_name((int)v.rc),
                 v.rc, t.line, t.expr != NULL ? t.expr : "?");
    check_closes(p, &t, &v);
    check_leaks(p, &v);
    return v;
}

static void report(const plan *p, const verdict *v, int *reports)
{
    char repro[160];
    if ((*reports)++ >= MAX_REPORTS)
        return;
    L->describe(p, repro, sizeof repro);
    printf("FAIL %s/%s: %s%s%s: %s\n  repro: torture %s %s %llu %d\n", L->name, S->name, repro,
           p->at != NULL ? " at " : "", p->at != NULL ? p->at : "", v->why, L->name, S->name,
           (unsigned long long)p->k, p->variant);
}

/* ---- the loop ------------------------------------------------------------ */

/* The k values to try: all of 1..K, or about `shallow` spread evenly (the
 * last always included). */
static uint64_t next_k(uint64_t k, uint64_t K, uint64_t shallow)
{
    if (shallow == 0 || K <= shallow)
        return k + 1;
    uint64_t next = k + (K + shallow - 1) / shallow;
    return k < K && next > K ? K : next;
}

static int torture_all(uint64_t K, uint64_t shallow)
{
    uint64_t faults = 0, runs = 0, absorbed = 0, known = 0;
    int failures = 0, reports = 0;
    int64_t t0 = sp_now_ms();
    for (uint64_t k = 1; k <= K; k = next_k(k, K, shallow)) {
        for (int v = 0; v < L->nvariants; v++) {
            plan p;
            memset(&p, 0, sizeof p);
            if (L->plan_for(k, v, &p) != 0)
                continue;
            verdict r = run_once(&p);
            runs++;
            faults += r.injected;
            absorbed += r.rc == 0 && r.injected != 0;
            if (r.known_leak != NULL && known++ == 0)
                printf("known: %s/%s k=%llu: %s\n", L->name, S->name, (unsigned long long)k,
                       r.known_leak);
            if (!r.ok) {
                failures++;
                report(&p, &r, &reports);
            }
        }
    }
    printf(
        "torture: %llu faults injected, %d failures [%s/%s: %llu calls, %llu runs, %llu absorbed, "
        "%.2f s]\n",
        (unsigned long long)faults, failures, L->name, S->name, (unsigned long long)K,
        (unsigned long long)runs, (unsigned long long)absorbed,
        (double)(sp_now_ms() - t0) / 1000.0);
    return failures == 0 ? 0 : 1;
}

/* A scenario the system cannot run (no IPv6 loopback, a backend without
 * the feature) is skipped. */
static int cannot_run(long long rc)
{
    return rc == SOCKPORT_EAFNOSUPPORT || rc == SOCKPORT_EADDRNOTAVAIL ||
           rc == SOCKPORT_EPROTONOSUPPORT || rc == SOCKPORT_ENOTSUP;
}

static int warm_up_and_count(uint64_t *K)
{
    verdict w = run_once(NULL); /* lazy initialisation, handles made once */
    if (w.rc != 0 && cannot_run(w.rc)) {
        printf("skipped: %s/%s cannot run here (%s)\n", L->name, S->name,
               sockport_err_name((int)w.rc));
        return 77;
    }
    /* The first failure writes the thread's last OS error: with MinGW's
     * emulated TLS that makes a handle once (winpthreads). Make it now. */
    sockport_backend_set_os_error(sockport_last_os_error());
    snapshot();
    L->count_begin();
    verdict c = run_once(NULL);
    *K = L->count_end();
    if (w.rc != 0 || !c.ok) {
        printf("FAIL %s/%s without a fault: %s\n", L->name, S->name, w.rc != 0 ? w.why : c.why);
        return 1;
    }
    return 0;
}

#ifdef _WIN32
#define OS_LAYERS "winsock"
#else
#define OS_LAYERS "posix|posix_compat"
#endif

static const layer *const layers[] = {&t_layer_vtable, &t_layer_alloc,
#ifdef _WIN32
                                      &t_layer_winsock
#else
                                      &t_layer_posix, &t_layer_posix_compat
#endif
};

static int find_names(const char *ln, const char *sn)
{
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++)
        if (strcmp(layers[i]->name, ln) == 0)
            L = layers[i];
    for (size_t i = 0; i < t_nscenarios; i++)
        if (strcmp(t_scenarios[i].name, sn) == 0)
            S = &t_scenarios[i];
    return L != NULL && S != NULL ? 0 : -1;
}

/* One fault, given on the command line. */
static int torture_one(char **argv)
{
    plan p;
    memset(&p, 0, sizeof p);
    if (L->plan_for(strtoull(argv[3], NULL, 10), atoi(argv[4]), &p) != 0)
        return 2;
    verdict r = run_once(&p);
    int reports = 0;
    if (!r.ok)
        report(&p, &r, &reports);
    printf("torture: %llu faults injected, %d failures\n", (unsigned long long)r.injected, !r.ok);
    return r.ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    static const sockport_allocator counting = {t_alloc, t_free, NULL};
    uint64_t K = 0;
    const char *shallow = getenv("SOCKPORT_TORTURE_SHALLOW");
    setvbuf(stdout, NULL, _IONBF, 0);
    if ((argc != 3 && argc != 5) || find_names(argv[1], argv[2]) != 0) {
        fprintf(stderr, "usage: torture vtable|alloc|%s SCENARIO [K VARIANT]\n", OS_LAYERS);
        return 2;
    }
    if (sockport_set_allocator(&counting) != 0 || L->setup() != 0) {
        printf("FAIL %s: the layer cannot be set up\n", L->name);
        return 1;
    }
    int rc = warm_up_and_count(&K);
    if (rc != 0)
        return rc;
    if (argc == 5)
        return torture_one(argv);
    return torture_all(K, shallow != NULL ? strtoull(shallow, NULL, 10) : 0);
}
