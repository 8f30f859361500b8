/*
 * Syscall and allocation torture (curl's -t, SQLite's anomaly loops), shared
 * declarations.
 *
 * A scenario is a conformance-like program on the public API that checks
 * every result, and on the first failure records it and closes everything it
 * opened. A layer is a place to inject faults:
 *   vtable   the fault backend (sockport/fault.h) around the built-in one
 *   alloc    the allocator hook: the Nth allocation fails
 *   posix    the POSIX backend's syscall table: the Nth OS call fails
 *   posix_compat  the same on a simulated kernel without SOCK_CLOEXEC and
 *            accept4 (the fcntl paths macOS takes)
 *   winsock  the WinSock backend's syscall table (Windows, under Wine here)
 * torture_main.c runs a scenario once through a layer to count its calls K,
 * then once per k = 1..K and per fault variant (error kind, once or
 * persistent), and checks after each run: the result is one the layer
 * allows for the fault injected (the injected error, or success when the
 * library documents that it retries or falls back), every close answered as
 * allowed, no descriptor (handle) and no sockport block outlives the run.
 */
#ifndef TORTURE_H
#define TORTURE_H

#include "sockport/sockport.h"

#include <stddef.h>
#include <stdint.h>

/* Scenario failures that are no SOCKPORT_E* code (far below them). */
enum {
    T_EMISMATCH = -1001,   /* data or an address differs from what was sent */
    T_EUNEXPECTED = -1002, /* a call that must fail succeeded */
    T_EEOF = -1003         /* end of stream before the data */
};

/* One run of a scenario. */
typedef struct tctx {
    long long rc;     /* first failure (a SOCKPORT_E* or a T_E*), or 0 */
    const char *expr; /* the call that failed first */
    int line;         /* its line in scenarios.c */
    int absorbed;     /* a fault hit a call whose failure was expected anyway */
    /* the layer's count of injected faults, to tell an absorbed fault */
    uint64_t (*injected)(void);
    long long closes[8]; /* what failing closes answered (the first 8) */
    int nclose;
} tctx;

/* Records the first failure. */
void t_fail(tctx *t, long long rc, const char *expr, int line);

/* Evaluates a call; on a failure records it and jumps to the scenario's
 * `out:` label, where everything opened is closed. */
#define T_CALL(t, expr)                                                                            \
    do {                                                                                           \
        long long t_rc_ = (long long)(expr);                                                       \
        if (t_rc_ < 0) {                                                                           \
            t_fail((t), t_rc_, #expr, __LINE__);                                                   \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

/* A call that must fail with `want`; the same with another result. */
#define T_EXPECT(t, expr, want)                                                                    \
    do {                                                                                           \
        uint64_t t_before_ = (t)->injected();                                                      \
        long long t_rc_ = (long long)(expr);                                                       \
        if (t_rc_ == (want)) {                                                                     \
            (t)->absorbed += (t)->injected() != t_before_;                                         \
            break;                                                                                 \
        }                                                                                          \
        t_fail((t), t_rc_ < 0 ? t_rc_ : T_EUNEXPECTED, #expr, __LINE__);                           \
        goto out;                                                                                  \
    } while (0)

/* Closes *s (if open) and clears it; a failing close is recorded but the
 * handle is gone all the same. */
void t_close(tctx *t, sockport_socket **s);

typedef struct scenario {
    const char *name;
    int (*run)(tctx *t); /* returns t->rc */
} scenario;

extern const scenario t_scenarios[];
extern const size_t t_nscenarios;

/* A fault to inject: which call (k, counted from 1 in the layer's order),
 * how, and what. */
typedef struct plan {
    uint64_t k;
    int persistent;
    int variant;    /* the layer's own variant number */
    int error;      /* what the layer injects (its own unit: SOCKPORT_E*, errno, WSA) */
    const char *at; /* the call k is (name), when the layer knows it */
} plan;

typedef struct layer {
    const char *name;
    /* Prepares the layer (once); 0 or < 0. */
    int (*setup)(void);
    /* Starts counting without injecting; count_end returns K. */
    void (*count_begin)(void);
    uint64_t (*count_end)(void);
    /* Variants tried per k. */
    int nvariants;
    /* Fills p for call k and variant v; returns 0 to run it, 1 when the
     * variant does not apply to that call. */
    int (*plan_for)(uint64_t k, int v, plan *p);
    void (*arm)(const plan *p);
    uint64_t (*injected)(void);
    void (*disarm)(void);
    /* 1 when rc (a scenario result or a close result) is allowed after p
     * injected `injected` faults. */
    int (*allowed)(const plan *p, uint64_t injected, long long rc, int absorbed);
    /* 1 when a failing close may answer rc under p (the socket is released
     * all the same: the leak checks see that). */
    int (*close_ok)(const plan *p, long long rc);
    /* A reason when a handle left open after p is a known limitation (not a
     * sockport leak), else NULL. May be NULL. */
    const char *(*known_leak)(const plan *p);
    /* A one-line reproduction of p. */
    void (*describe)(const plan *p, char *buf, size_t cap);
} layer;

extern const layer t_layer_vtable;
extern const layer t_layer_alloc;
#ifdef _WIN32
extern const layer t_layer_winsock;
#else
extern const layer t_layer_posix;
extern const layer t_layer_posix_compat;
#endif

/* The torture allocator (torture_main.c): counts live blocks, and fails
 * allocations from number fail_from on (0: never; once: only that one). */
void t_alloc_reset(void);
uint64_t t_alloc_count(void);
void t_alloc_fail(uint64_t nth, int persistent);
uint64_t t_alloc_failed(void);

#endif /* TORTURE_H */
