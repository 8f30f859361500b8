/*
 * The backend registry. Tables are copied field by field into fixed slots
 * (never freed, so a registered pointer stays valid for the process), and
 * every absent optional slot gets a default that answers SOCKPORT_ENOTSUP:
 * the core calls slots without testing for NULL.
 *
 * Concurrency: registration and default changes take a spinlock; lookups of
 * the default are one atomic load. The platform's built-in backend is
 * registered on first use of the registry.
 */
#include "internal.h"

#include <stdatomic.h>
#include <string.h>

enum { INIT_NONE, INIT_RUNNING, INIT_DONE };

typedef struct entry {
    sockport_backend table; /* the registered copy: what callers get */
    atomic_int init_state;  /* lazy init() of this backend */
} entry;

static entry entries[SOCKPORT_BACKEND_MAX];
static atomic_int entry_count;
static _Atomic(const sockport_backend *) default_backend;
static atomic_flag lock = ATOMIC_FLAG_INIT;
static atomic_int builtins_state;

static void lock_registry(void)
{
    while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
        ;
}

static void unlock_registry(void)
{
    atomic_flag_clear_explicit(&lock, memory_order_release);
}

/* ---- defaults for absent optional slots ------------------------------- */

static int unsupported(void)
{
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}

static int def_init(const sockport_backend *self)
{
    (void)self;
    return 0;
}

static void def_cleanup(const sockport_backend *self)
{
    (void)self;
}

static int def_pair(sockport_socket *a, sockport_socket *b, int family, int type, int protocol,
                    unsigned flags)
{
    (void)a, (void)b, (void)family, (void)type, (void)protocol, (void)flags;
    return unsupported();
}

static int def_sock_addr(sockport_socket *s, const sockport_addr *a)
{
    (void)s, (void)a;
    return unsupported();
}

static int def_sock_int(sockport_socket *s, int v)
{
    (void)s, (void)v;
    return unsupported();
}

static int def_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer, unsigned f)
{
    (void)s, (void)out, (void)peer, (void)f;
    return unsupported();
}

static int def_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t ms)
{
    (void)s, (void)a, (void)ms;
    return unsupported();
}

static int def_sock_out_addr(sockport_socket *s, sockport_addr *out)
{
    (void)s, (void)out;
    return unsupported();
}

static int def_clone(sockport_socket *s, sockport_socket *out)
{
    (void)s, (void)out;
    return unsupported();
}

static int def_nonblocking(sockport_socket *s, bool on)
{
    (void)s, (void)on;
    return unsupported();
}

static int def_take_error(sockport_socket *s)
{
    (void)s;
    return unsupported();
}

static int def_set_int(sockport_socket *s, int opt, int v)
{
    (void)s, (void)opt, (void)v;
    return unsupported();
}

static int def_get_int(sockport_socket *s, int opt, int *out)
{
    (void)s, (void)opt, (void)out;
    return unsupported();
}

static int def_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    (void)s, (void)opt, (void)ms;
    return unsupported();
}

static int def_get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    (void)s, (void)opt, (void)out;
    return unsupported();
}

static int def_option_supported(sockport_socket *s, int opt)
{
    (void)s, (void)opt;
    return 0;
}

static int def_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                         size_t *len)
{
    (void)self, (void)a, (void)sa, (void)len;
    return unsupported();
}

static int def_from_native(const sockport_backend *self, sockport_addr *out, const void *sa,
                           size_t len)
{
    (void)self, (void)out, (void)sa, (void)len;
    return unsupported();
}

static int def_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out)
{
    (void)self, (void)name, (void)out;
    return unsupported();
}

/* ---- version 2 defaults ------------------------------------------------ */

static ptrdiff_t def_sendmsg(sockport_socket *s, const sockport_msghdr *m, int f)
{
    (void)s, (void)m, (void)f;
    return unsupported();
}

static ptrdiff_t def_recvmsg(sockport_socket *s, sockport_msghdr *m, int f)
{
    (void)s, (void)m, (void)f;
    return unsupported();
}

static int def_mmsg(sockport_socket *s, sockport_mmsghdr *m, size_t n, int f)
{
    (void)s, (void)m, (void)n, (void)f;
    return unsupported();
}

static int def_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n, int64_t ms)
{
    (void)self, (void)fds, (void)n, (void)ms;
    return unsupported();
}

static int64_t def_sendfile(sockport_socket *s, sockport_native f, int64_t off, int64_t n)
{
    (void)s, (void)f, (void)off, (void)n;
    return unsupported();
}

static int def_resolve(const sockport_backend *self, const char *host, const char *service,
                       const sockport_resolve_hints *hints, sockport_addr *out, size_t cap)
{
    (void)self, (void)host, (void)service, (void)hints, (void)out, (void)cap;
    return unsupported();
}

static int def_adopt(sockport_socket *s, sockport_native h, int *family, int *type, int *proto)
{
    (void)s, (void)h, (void)family, (void)type, (void)proto;
    return unsupported();
}

static int def_handle(sockport_socket *s, sockport_native *out)
{
    (void)s, (void)out;
    return unsupported();
}

static int def_set_str(sockport_socket *s, int opt, const char *v)
{
    (void)s, (void)opt, (void)v;
    return unsupported();
}

static int def_get_str(sockport_socket *s, int opt, char *buf, size_t cap)
{
    (void)s, (void)opt, (void)buf, (void)cap;
    return unsupported();
}

static int def_set_linger(sockport_socket *s, bool on, int seconds)
{
    (void)s, (void)on, (void)seconds;
    return unsupported();
}

static int def_get_linger(sockport_socket *s, bool *on, int *seconds)
{
    (void)s, (void)on, (void)seconds;
    return unsupported();
}

static int def_keepalive(sockport_socket *s, bool on, int64_t idle, int64_t intvl, int retries)
{
    (void)s, (void)on, (void)idle, (void)intvl, (void)retries;
    return unsupported();
}

static int def_multicast(sockport_socket *s, int op, const sockport_addr *group,
                         const sockport_addr *source, const sockport_addr *iface, uint32_t idx)
{
    (void)s, (void)op, (void)group, (void)source, (void)iface, (void)idx;
    return unsupported();
}

static int def_setsockopt_raw(sockport_socket *s, int level, int name, const void *v, size_t n)
{
    (void)s, (void)level, (void)name, (void)v, (void)n;
    return unsupported();
}

static int def_getsockopt_raw(sockport_socket *s, int level, int name, void *v, size_t *n)
{
    (void)s, (void)level, (void)name, (void)v, (void)n;
    return unsupported();
}

static int def_get_addr_opt(sockport_socket *s, int which, sockport_addr *out)
{
    (void)s, (void)which, (void)out;
    return unsupported();
}

static int def_set_addr_opt(sockport_socket *s, int which, const sockport_addr *a)
{
    (void)s, (void)which, (void)a;
    return unsupported();
}

static int def_get_cookie(sockport_socket *s, uint64_t *out)
{
    (void)s, (void)out;
    return unsupported();
}

static int def_attach_filter(sockport_socket *s, const sockport_sock_filter *p, size_t n)
{
    (void)s, (void)p, (void)n;
    return unsupported();
}

/* ---- copying a table -------------------------------------------------- */

#define SLOT(field, fallback) dst->field = src->field != NULL ? src->field : (fallback)

/* Copies the version-1 part of a table. */
static void copy_v1(sockport_backend *dst, const sockport_backend *src)
{
    dst->name = src->name;
    dst->socket_size = src->socket_size;
    dst->userdata = src->userdata;
    SLOT(init, def_init);
    SLOT(cleanup, def_cleanup);
    dst->open = src->open;
    dst->close = src->close;
    SLOT(pair, def_pair);
    SLOT(bind, def_sock_addr);
    SLOT(listen, def_sock_int);
    SLOT(accept, def_accept);
    SLOT(connect, def_sock_addr);
    SLOT(connect_timeout, def_connect_timeout);
    SLOT(local_addr, def_sock_out_addr);
    SLOT(peer_addr, def_sock_out_addr);
    SLOT(try_clone, def_clone);
    SLOT(set_nonblocking, def_nonblocking);
    SLOT(shutdown, def_sock_int);
    SLOT(take_error, def_take_error);
    dst->send = src->send;
    dst->recv = src->recv;
    SLOT(set_int, def_set_int);
    SLOT(get_int, def_get_int);
    SLOT(set_timeout, def_set_timeout);
    SLOT(get_timeout, def_get_timeout);
    SLOT(option_supported, def_option_supported);
    SLOT(addr_to_native, def_to_native);
    SLOT(addr_from_native, def_from_native);
    SLOT(if_nametoindex, def_if_nametoindex);
}

/* A version-1 table stops before these fields: never read them from it. */
static const sockport_backend no_v2_slots;

/* Copies the version-2 slots (from `none` when the table predates them). */
static void copy_v2(sockport_backend *dst, const sockport_backend *src)
{
    SLOT(sendmsg, def_sendmsg);
    SLOT(recvmsg, def_recvmsg);
    SLOT(sendmmsg, def_mmsg);
    SLOT(recvmmsg, def_mmsg);
    SLOT(poll, def_poll);
    SLOT(sendfile, def_sendfile);
    SLOT(resolve, def_resolve);
    SLOT(adopt, def_adopt);
    SLOT(release, def_handle);
    SLOT(native_handle, def_handle);
    SLOT(set_str, def_set_str);
    SLOT(get_str, def_get_str);
    SLOT(set_linger, def_set_linger);
    SLOT(get_linger, def_get_linger);
    SLOT(set_keepalive, def_keepalive);
    SLOT(multicast, def_multicast);
    SLOT(setsockopt_raw, def_setsockopt_raw);
    SLOT(getsockopt_raw, def_getsockopt_raw);
    SLOT(get_addr_opt, def_get_addr_opt);
    SLOT(set_addr_opt, def_set_addr_opt);
    SLOT(get_cookie, def_get_cookie);
    SLOT(attach_filter, def_attach_filter);
}

#undef SLOT

static void copy_table(sockport_backend *dst, const sockport_backend *src)
{
    copy_v1(dst, src);
    copy_v2(dst, src->version >= 2 ? src : &no_v2_slots);
    dst->version = SOCKPORT_BACKEND_VERSION;
}

static int table_is_valid(const sockport_backend *b)
{
    return b != NULL && b->version >= 1 && b->version <= SOCKPORT_BACKEND_VERSION &&
           b->name != NULL && b->name[0] != '\0' && b->open != NULL && b->close != NULL &&
           b->send != NULL && b->recv != NULL;
}

static const sockport_backend *find_locked(const char *name)
{
    int n = atomic_load_explicit(&entry_count, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        if (strcmp(entries[i].table.name, name) == 0)
            return &entries[i].table;
    }
    return NULL;
}

static int register_locked(const sockport_backend *b, const sockport_backend **out)
{
    if (find_locked(b->name) != NULL)
        return sockport__fail(SOCKPORT_EEXIST, 0);
    int n = atomic_load_explicit(&entry_count, memory_order_relaxed);
    if (n == SOCKPORT_BACKEND_MAX)
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    copy_table(&entries[n].table, b);
    atomic_store_explicit(&entries[n].init_state, INIT_NONE, memory_order_relaxed);
    atomic_store_explicit(&entry_count, n + 1, memory_order_release);
    if (out != NULL)
        *out = &entries[n].table;
    return 0;
}

/* Registers the compiled-in backend once and makes it the default. */
static void ensure_builtins(void)
{
    if (atomic_load_explicit(&builtins_state, memory_order_acquire) == INIT_DONE)
        return;
    lock_registry();
    if (atomic_load_explicit(&builtins_state, memory_order_relaxed) != INIT_DONE) {
        const sockport_backend *reg = NULL;
        if (register_locked(sockport__backend_builtin(), &reg) == 0)
            atomic_store_explicit(&default_backend, reg, memory_order_release);
        atomic_store_explicit(&builtins_state, INIT_DONE, memory_order_release);
    }
    unlock_registry();
}

/* ---- public and internal entry points --------------------------------- */

int sockport_backend_register(const sockport_backend *b, const sockport_backend **out)
{
    if (!table_is_valid(b))
        return SOCKPORT__EINVAL();
    ensure_builtins();
    lock_registry();
    int rc = register_locked(b, out);
    unlock_registry();
    return rc;
}

const sockport_backend *sockport_backend_find(const char *name)
{
    if (name == NULL)
        return NULL;
    ensure_builtins();
    lock_registry();
    const sockport_backend *b = find_locked(name);
    unlock_registry();
    return b;
}

const sockport_backend *sockport__backend_default(void)
{
    ensure_builtins();
    return atomic_load_explicit(&default_backend, memory_order_acquire);
}

const sockport_backend *sockport_backend_default(void)
{
    return sockport__backend_default();
}

int sockport__backend_is_registered(const sockport_backend *b)
{
    int n = atomic_load_explicit(&entry_count, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        if (b == &entries[i].table)
            return 1;
    }
    return 0;
}

int sockport_backend_set_default(const sockport_backend *b)
{
    ensure_builtins();
    if (b == NULL || !sockport__backend_is_registered(b))
        return SOCKPORT__EINVAL();
    atomic_store_explicit(&default_backend, b, memory_order_release);
    return 0;
}

static entry *entry_of(const sockport_backend *b)
{
    return (entry *)(void *)((char *)(uintptr_t)b - offsetof(entry, table));
}

int sockport__backend_ensure_init(const sockport_backend *b)
{
    entry *e = entry_of(b);
    int expected = INIT_NONE;
    while (atomic_load_explicit(&e->init_state, memory_order_acquire) != INIT_DONE) {
        if (!atomic_compare_exchange_weak(&e->init_state, &expected, INIT_RUNNING)) {
            expected = INIT_NONE; /* another thread runs init: wait for it */
            continue;
        }
        int rc = b->init(b);
        atomic_store_explicit(&e->init_state, rc < 0 ? INIT_NONE : INIT_DONE, memory_order_release);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int sockport_init(void)
{
    const sockport_backend *b = sockport__backend_default();
    return b->init(b);
}

void sockport_cleanup(void)
{
    const sockport_backend *b = sockport__backend_default();
    b->cleanup(b);
}
