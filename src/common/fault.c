/*
 * The fault backend (include/sockport/fault.h): a wrapping backend that
 * delegates every slot to an inner registered backend and fails the calls an
 * armed rule picks. Backend-neutral: it knows only the vtable, so it lives in
 * the core and includes no system header.
 *
 * Each slot function is written by a macro of its shape from the FAULT_SLOTS
 * list (fault_slots.h); only init, cleanup, close, send and recv are written
 * by hand. Every counted call goes through gate(), which counts it (atomics)
 * and, under a spinlock that also guards the rule, decides whether the armed
 * rule hits it. Text (parse, describe, environment) is in fault_text.c.
 */
#include "fault_slots.h"

#include <stdatomic.h>
#include <string.h>

/* The armed rule, its slot resolved to a number. Guarded by `lock`. */
typedef struct armed_rule {
    int on;
    int slot; /* a slot number or FAULT_SLOT_ALL */
    uint64_t nth;
    int mode, kind, error, os_code;
} armed_rule;

/* What gate() decided for one call. */
typedef struct hit {
    int fire;    /* 1: inject */
    int kind;    /* SOCKPORT_FAULT_* */
    int error;   /* SOCKPORT_E* to return (kind ERROR) */
    int os_code; /* native code to record */
} hit;

static atomic_flag lock = ATOMIC_FLAG_INIT;
static armed_rule rule;
static _Atomic(const sockport_backend *) inner_table; /* registered inner */
static _Atomic(const sockport_backend *) fault_table; /* registered "fault" */
static atomic_uint_least64_t calls_all;
static atomic_uint_least64_t calls_of[FAULT_SLOT_COUNT_];
static atomic_uint_least64_t injected;
static atomic_int first_slot = -1;

#define FAULT_SLOT_NAME_(ret, name, natural, params, args)    #name,
#define FAULT_SLOT_NATURAL_(ret, name, natural, params, args) natural,

static const char *const slot_names[FAULT_SLOT_COUNT_] = {
    FAULT_SLOTS(FAULT_SLOT_NAME_, FAULT_SLOT_NAME_, FAULT_SLOT_NAME_, FAULT_SLOT_NAME_)};

static const int slot_natural[FAULT_SLOT_COUNT_] = {FAULT_SLOTS(
    FAULT_SLOT_NATURAL_, FAULT_SLOT_NATURAL_, FAULT_SLOT_NATURAL_, FAULT_SLOT_NATURAL_)};

static void lock_rule(void)
{
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
        ;
}

static void unlock_rule(void)
{
    atomic_flag_clear_explicit(&lock, memory_order_release);
}

static const sockport_backend *inner(void)
{
    return atomic_load_explicit(&inner_table, memory_order_acquire);
}

/* ---- the decision ------------------------------------------------------ */

/* 1 when the armed rule hits call number n of its slot. Lock held. */
static int rule_hits(uint64_t n)
{
    return rule.on && (n == rule.nth || (rule.mode == SOCKPORT_FAULT_PERSISTENT && n > rule.nth));
}

/* Counts a call of slot and decides whether to inject. can_shorten: the call
 * could be made partial or short (a stream, len >= 2); a PARTIAL or SHORT
 * rule that hits any other call passes it through. */
static hit gate(int slot, int can_shorten)
{
    uint64_t all = atomic_fetch_add(&calls_all, 1) + 1;
    uint64_t mine = atomic_fetch_add(&calls_of[slot], 1) + 1;
    hit h = {0, SOCKPORT_FAULT_ERROR, 0, 0};
    lock_rule();
    if (rule.slot == FAULT_SLOT_ALL || rule.slot == slot) {
        h.fire = rule_hits(rule.slot == FAULT_SLOT_ALL ? all : mine);
        h.kind = rule.kind;
        h.error = rule.error != 0 ? rule.error : slot_natural[slot];
        h.os_code = rule.os_code != 0 ? rule.os_code : sockport__fault_os_code(h.error);
    }
    if (h.kind != SOCKPORT_FAULT_ERROR && !can_shorten)
        h.fire = 0;
    if (h.fire) {
        int none = -1;
        atomic_fetch_add(&injected, 1);
        atomic_compare_exchange_strong(&first_slot, &none, slot);
    }
    unlock_rule();
    return h;
}

/* The error of an injected fault, recorded as a backend records it. */
static int fail(const hit *h)
{
    sockport_backend_set_os_error(h->os_code);
    return h->error;
}

/* ---- the slots --------------------------------------------------------- */

#define FAULT_DEFINE_SOCK_(ret, name, natural, params, args)                                       \
    static ret fault_##name params                                                                 \
    {                                                                                              \
        hit h = gate(FAULT_SLOT_##name, 0);                                                        \
        if (h.fire)                                                                                \
            return fail(&h);                                                                       \
        return inner()->name args;                                                                 \
    }

#define FAULT_DEFINE_SELF_(ret, name, natural, params, args)                                       \
    static ret fault_##name params                                                                 \
    {                                                                                              \
        const sockport_backend *in = inner();                                                      \
        hit h = gate(FAULT_SLOT_##name, 0);                                                        \
        (void)self;                                                                                \
        if (h.fire)                                                                                \
            return fail(&h);                                                                       \
        return in->name(in, FAULT_UNPAREN_ args);                                                  \
    }

#define FAULT_DEFINE_PASS_(ret, name, natural, params, args)                                       \
    static ret fault_##name params                                                                 \
    {                                                                                              \
        return inner()->name args;                                                                 \
    }

#define FAULT_DEFINE_NONE_(ret, name, natural, params, args)
#define FAULT_UNPAREN_(...) __VA_ARGS__

FAULT_SLOTS(FAULT_DEFINE_SOCK_, FAULT_DEFINE_SELF_, FAULT_DEFINE_PASS_, FAULT_DEFINE_NONE_)

static int fault_init(const sockport_backend *self)
{
    const sockport_backend *in = inner();
    hit h = gate(FAULT_SLOT_init, 0);
    (void)self;
    if (h.fire)
        return fail(&h);
    return in->init(in);
}

static void fault_cleanup(const sockport_backend *self)
{
    const sockport_backend *in = inner();
    (void)self;
    in->cleanup(in);
}

/* The socket is released first: after close the handle is gone either way. */
static int fault_close(sockport_socket *s)
{
    hit h = gate(FAULT_SLOT_close, 0);
    int rc = inner()->close(s);
    return h.fire ? fail(&h) : rc;
}

static int is_stream(const sockport_socket *s)
{
    return sockport_socket_type(s) == SOCKPORT_SOCK_STREAM;
}

static ptrdiff_t fault_send(sockport_socket *s, const void *buf, size_t len, int flags,
                            const sockport_addr *to)
{
    hit h = gate(FAULT_SLOT_send, is_stream(s) && len >= 2);
    if (h.fire && h.kind == SOCKPORT_FAULT_ERROR)
        return fail(&h);
    if (h.fire)
        len /= 2;
    return inner()->send(s, buf, len, flags, to);
}

static ptrdiff_t fault_recv(sockport_socket *s, void *buf, size_t len, int flags,
                            sockport_addr *from, int *out_flags)
{
    hit h = gate(FAULT_SLOT_recv, is_stream(s) && len >= 2);
    if (h.fire && h.kind == SOCKPORT_FAULT_ERROR)
        return fail(&h);
    if (h.fire)
        len /= 2;
    return inner()->recv(s, buf, len, flags, from, out_flags);
}

/* ---- the table ---------------------------------------------------------- */

#define FAULT_TABLE_ENTRY_(ret, name, natural, params, args) .name = fault_##name,

/* socket_size is set at install time to the inner backend's. */
static const sockport_backend fault_template = {
    .version = SOCKPORT_BACKEND_VERSION,
    .name = "fault",
    .socket_size = 0,
    .userdata = NULL,
    FAULT_SLOTS(FAULT_TABLE_ENTRY_, FAULT_TABLE_ENTRY_, FAULT_TABLE_ENTRY_, FAULT_TABLE_ENTRY_)};

/* The registered copy of b: b itself, or the table registered under its name
 * when that is the same backend; b is registered when its name is free. */
static int registered(const sockport_backend *b, const sockport_backend **out)
{
    if (sockport__backend_is_registered(b)) {
        *out = b;
        return 0;
    }
    if (b->name == NULL)
        return SOCKPORT__EINVAL();
    const sockport_backend *r = sockport_backend_find(b->name);
    if (r == NULL)
        return sockport_backend_register(b, out);
    if (r->open != b->open || r->close != b->close || r->send != b->send || r->recv != b->recv)
        return sockport__fail(SOCKPORT_EEXIST, 0);
    *out = r;
    return 0;
}

/* Registers the fault table around in. Lock held. */
static int install_locked(const sockport_backend *in, const sockport_backend **out)
{
    const sockport_backend *f = atomic_load(&fault_table);
    if (f != NULL) {
        if (in != inner())
            return sockport__fail(SOCKPORT_EEXIST, 0);
        *out = f;
        return 0;
    }
    sockport_backend t = fault_template;
    t.socket_size = in->socket_size;
    atomic_store(&inner_table, in);
    int rc = sockport_backend_register(&t, &f);
    if (rc < 0) {
        atomic_store(&inner_table, NULL);
        return rc;
    }
    atomic_store(&fault_table, f);
    *out = f;
    return 0;
}

int sockport_fault_install(const sockport_backend *in, const sockport_backend **out)
{
    const sockport_backend *reg = NULL, *f = NULL;
    if (in == NULL)
        return SOCKPORT__EINVAL();
    int rc = registered(in, &reg);
    if (rc < 0)
        return rc;
    if (reg == atomic_load(&fault_table) || strcmp(reg->name, "fault") == 0)
        return SOCKPORT__EINVAL();
    lock_rule();
    rc = install_locked(reg, &f);
    unlock_rule();
    if (rc == 0 && out != NULL)
        *out = f;
    return rc;
}

/* ---- rules and counters -------------------------------------------------- */

static void reset_counters(void)
{
    atomic_store(&calls_all, 0);
    for (int i = 0; i < FAULT_SLOT_COUNT_; i++)
        atomic_store(&calls_of[i], 0);
    atomic_store(&injected, 0);
    atomic_store(&first_slot, -1);
}

static int valid_kind(int kind, int slot)
{
    switch (kind) {
    case SOCKPORT_FAULT_ERROR:
        return 1;
    case SOCKPORT_FAULT_PARTIAL:
        return slot == FAULT_SLOT_send;
    case SOCKPORT_FAULT_SHORT:
        return slot == FAULT_SLOT_recv;
    default:
        return 0;
    }
}

/* The rule as armed, or -1 when it is malformed. */
static int resolve(const sockport_fault_rule *r, armed_rule *out)
{
    out->slot = sockport__fault_slot_find(r->slot != NULL ? r->slot : "*");
    if (out->slot < FAULT_SLOT_ALL || r->nth == 0 || !valid_kind(r->kind, out->slot))
        return -1;
    if (out->slot >= 0 && slot_natural[out->slot] == 0)
        return -1; /* cleanup, option_supported: never counted */
    if (r->mode != SOCKPORT_FAULT_ONCE && r->mode != SOCKPORT_FAULT_PERSISTENT)
        return -1;
    if (r->error > 0 || r->error < SOCKPORT_ERRNO_MIN_ || r->os_code < 0)
        return -1;
    out->on = 1;
    out->nth = r->nth;
    out->mode = r->mode;
    out->kind = r->kind;
    out->error = r->error;
    out->os_code = r->os_code;
    return 0;
}

int sockport_fault_arm(const sockport_fault_rule *r)
{
    armed_rule a;
    if (r == NULL || resolve(r, &a) < 0)
        return SOCKPORT__EINVAL();
    lock_rule();
    rule = a;
    reset_counters();
    unlock_rule();
    return 0;
}

void sockport_fault_disarm(void)
{
    lock_rule();
    memset(&rule, 0, sizeof rule);
    reset_counters();
    unlock_rule();
}

int sockport__fault_current(sockport_fault_rule *out)
{
    lock_rule();
    armed_rule a = rule;
    unlock_rule();
    if (!a.on)
        return 0;
    out->slot = a.slot == FAULT_SLOT_ALL ? "*" : slot_names[a.slot];
    out->nth = a.nth;
    out->mode = a.mode;
    out->kind = a.kind;
    out->error = a.error;
    out->os_code = a.os_code;
    return 1;
}

uint64_t sockport_fault_calls(void)
{
    return atomic_load(&calls_all);
}

uint64_t sockport_fault_slot_calls(const char *slot)
{
    int i = sockport__fault_slot_find(slot != NULL ? slot : "*");
    if (i == FAULT_SLOT_ALL)
        return atomic_load(&calls_all);
    return i >= 0 ? atomic_load(&calls_of[i]) : 0;
}

uint64_t sockport_fault_injected(void)
{
    return atomic_load(&injected);
}

const char *sockport_fault_first_slot(void)
{
    int i = atomic_load(&first_slot);
    return i >= 0 ? slot_names[i] : NULL;
}

const char *sockport_fault_slot_name(size_t i)
{
    return i < FAULT_SLOT_COUNT_ ? slot_names[i] : NULL;
}

int sockport__fault_slot_find(const char *name)
{
    if (strcmp(name, "*") == 0)
        return FAULT_SLOT_ALL;
    for (int i = 0; i < FAULT_SLOT_COUNT_; i++) {
        if (strcmp(slot_names[i], name) == 0)
            return i;
    }
    return -2;
}

int sockport_fault_natural_error(const char *slot)
{
    int i = slot != NULL ? sockport__fault_slot_find(slot) : -2;
    if (i < 0 || slot_natural[i] == 0)
        return SOCKPORT__EINVAL();
    return slot_natural[i];
}

int sockport__fault_natural(int slot)
{
    return slot >= 0 && slot < FAULT_SLOT_COUNT_ ? slot_natural[slot] : 0;
}
