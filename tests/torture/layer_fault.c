/*
 * Torture layers above the backend: "vtable" (the fault backend around the
 * built-in one, made the default) and "alloc" (the allocator hook).
 *
 * vtable variants, per k:
 *   0 the k-th call of any slot fails once with its natural error
 *   1 the same, persistent (that call and every later one)
 *   2 once with SOCKPORT_EAGAIN     3 once with SOCKPORT_EINTR
 *   4/5 the k-th send is partial (once/persistent), k <= the sends counted
 *   6/7 the k-th recv is short (once/persistent), k <= the receives counted
 * An error surfaces unchanged: the core passes a slot's result through, so
 * the scenario must fail with exactly the injected code (or succeed when the
 * fault hit a call that was expected to fail with that code anyway). Partial
 * sends and short receives must be absorbed: the scenarios loop, as callers
 * of a stream socket must.
 *
 * alloc variants: 0 the k-th allocation fails once, 1 it and every later
 * one. The call that allocates answers SOCKPORT_ENOMEM, nothing else.
 */
#include "torture.h"

#include "sockport/fault.h"

#include <stdio.h>
#include <string.h>

/* ---- vtable ------------------------------------------------------------- */

static uint64_t sends, recvs; /* counted by the counting run */

static int v_setup(void)
{
    const sockport_backend *fault = NULL;
    int rc = sockport_fault_install(sockport_backend_default(), &fault);
    return rc < 0 ? rc : sockport_backend_set_default(fault);
}

static void v_count_begin(void)
{
    sockport_fault_disarm();
}

static uint64_t v_count_end(void)
{
    sends = sockport_fault_slot_calls("send");
    recvs = sockport_fault_slot_calls("recv");
    return sockport_fault_calls();
}

static const int v_errors[4] = {0, 0, SOCKPORT_EAGAIN, SOCKPORT_EINTR};

static int v_plan(uint64_t k, int v, plan *p)
{
    p->k = k;
    p->variant = v;
    p->persistent = v == 1 || v == 5 || v == 7;
    if (v < 4) {
        p->error = v_errors[v];
        return 0;
    }
    return v < 6 ? k > sends : k > recvs;
}

static void v_rule(const plan *p, sockport_fault_rule *r)
{
    sockport_fault_rule init = SOCKPORT_FAULT_RULE_INIT;
    *r = init;
    r->nth = p->k;
    r->mode = p->persistent ? SOCKPORT_FAULT_PERSISTENT : SOCKPORT_FAULT_ONCE;
    r->error = p->error;
    if (p->variant >= 4) {
        r->slot = p->variant < 6 ? "send" : "recv";
        r->kind = p->variant < 6 ? SOCKPORT_FAULT_PARTIAL : SOCKPORT_FAULT_SHORT;
    }
}

static void v_arm(const plan *p)
{
    sockport_fault_rule r;
    v_rule(p, &r);
    if (sockport_fault_arm(&r) != 0)
        fprintf(stderr, "torture: rule refused\n");
}

/* The error the armed rule injected first: its own, or the natural error of
 * the first slot it hit. */
static int v_injected_error(const plan *p)
{
    const char *slot = sockport_fault_first_slot();
    if (p->error != 0 || slot == NULL)
        return p->error;
    return sockport_fault_natural_error(slot);
}

/* rc is what the rule injects into some slot (its error, or a natural one). */
static int v_some_injected_error(const plan *p, long long rc)
{
    if (p->error != 0)
        return rc == p->error;
    for (size_t i = 0; sockport_fault_slot_name(i) != NULL; i++) {
        if (rc == sockport_fault_natural_error(sockport_fault_slot_name(i)))
            return 1;
    }
    return 0;
}

static int v_allowed(const plan *p, uint64_t injected, long long rc, int absorbed)
{
    if (injected == 0 || p->variant >= 4)
        return rc == 0;
    if (!p->persistent && injected != 1)
        return 0;
    if (rc == v_injected_error(p))
        return 1;
    /* The first fault hit a call expected to fail with that error: the
     * scenario went on, and a persistent rule hit later calls. */
    return absorbed > 0 && (rc == 0 || (p->persistent && v_some_injected_error(p, rc)));
}

static int v_close_ok(const plan *p, long long rc)
{
    int err = p->error != 0 ? p->error : sockport_fault_natural_error("close");
    return rc == 0 || (p->variant < 4 && rc == err);
}

static void v_describe(const plan *p, char *buf, size_t cap)
{
    sockport_fault_rule r;
    char text[128];
    v_rule(p, &r);
    (void)sockport_fault_arm(&r);
    (void)sockport_fault_describe(text, sizeof text);
    sockport_fault_disarm();
    snprintf(buf, cap, "%s", text);
}

const layer t_layer_vtable = {
    .name = "vtable",
    .setup = v_setup,
    .count_begin = v_count_begin,
    .count_end = v_count_end,
    .nvariants = 8,
    .plan_for = v_plan,
    .arm = v_arm,
    .injected = sockport_fault_injected,
    .disarm = sockport_fault_disarm,
    .allowed = v_allowed,
    .close_ok = v_close_ok,
    .describe = v_describe,
};

/* ---- alloc ---------------------------------------------------------------- */

static int a_setup(void)
{
    return 0;
}

static void a_count_begin(void)
{
    t_alloc_reset();
}

static int a_plan(uint64_t k, int v, plan *p)
{
    p->k = k;
    p->variant = v;
    p->persistent = v == 1;
    p->error = SOCKPORT_ENOMEM;
    return 0;
}

static void a_arm(const plan *p)
{
    t_alloc_fail(p->k, p->persistent);
}

static int a_allowed(const plan *p, uint64_t injected, long long rc, int absorbed)
{
    (void)p, (void)absorbed;
    return injected == 0 ? rc == 0 : rc == SOCKPORT_ENOMEM;
}

static int a_close_ok(const plan *p, long long rc)
{
    (void)p;
    return rc == 0;
}

static void a_describe(const plan *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "allocation %llu fails%s", (unsigned long long)p->k,
             p->persistent ? ", and every later one" : " once");
}

const layer t_layer_alloc = {
    .name = "alloc",
    .setup = a_setup,
    .count_begin = a_count_begin,
    .count_end = t_alloc_count,
    .nvariants = 2,
    .plan_for = a_plan,
    .arm = a_arm,
    .injected = t_alloc_failed,
    .disarm = t_alloc_reset,
    .allowed = a_allowed,
    .close_ok = a_close_ok,
    .describe = a_describe,
};
