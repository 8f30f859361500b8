/*
 * A custom backend that wraps the default one: a tracer that counts every
 * slot call and the bytes each socket moves, and delegates the work to the
 * registered default backend (POSIX or WinSock).
 *
 * How the wrapping works (see backend.h):
 * - The tracer's table has a wrapper in every slot; each counts, then calls
 *   the same slot of the wrapped table with the same sockport_socket.
 * - socket_size: the core allocates one state block per socket, of the
 *   tracer's socket_size. The wrapped backend finds its own state at the start
 *   of that block (it calls sockport_socket_state() on the same socket), so
 *   the tracer asks for the wrapped backend's size plus its own, and keeps its
 *   per-socket state after the wrapped state, suitably aligned.
 * - Slots that take `self` receive the wrapped table as self, so the wrapped
 *   backend reads its own userdata.
 */
#include <sockport/backend.h>
#include <sockport/sockport.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- counting ----------------------------------------------------------- */

/* Every slot of struct sockport_backend version 2, in table order. */
/* clang-format off */
#define TRACE_SLOTS(X)                                                                             \
    X(init) X(cleanup) X(open) X(close) X(pair) X(bind) X(listen) X(accept) X(connect)             \
    X(connect_timeout) X(local_addr) X(peer_addr) X(try_clone) X(set_nonblocking) X(shutdown)      \
    X(take_error) X(send) X(recv) X(set_int) X(get_int) X(set_timeout) X(get_timeout)              \
    X(option_supported) X(addr_to_native) X(addr_from_native) X(if_nametoindex)                    \
    /* version 2 */                                                                                \
    X(sendmsg) X(recvmsg) X(sendmmsg) X(recvmmsg) X(poll) X(sendfile) X(resolve) X(adopt)          \
    X(release) X(native_handle) X(set_str) X(get_str) X(set_linger) X(get_linger)                  \
    X(set_keepalive) X(multicast) X(setsockopt_raw) X(getsockopt_raw) X(get_addr_opt)              \
    X(set_addr_opt) X(get_cookie) X(attach_filter)
/* clang-format on */

/* A slot appended to struct sockport_backend must be wrapped here too. */
_Static_assert(sizeof(sockport_backend) ==
                   offsetof(sockport_backend, attach_filter) + sizeof(void (*)(void)),
               "struct sockport_backend has slots TRACE_SLOTS does not list");

enum {
#define SLOT_ENUM(slot) SLOT_##slot,
    TRACE_SLOTS(SLOT_ENUM)
#undef SLOT_ENUM
        SLOT_COUNT
};

static const char *const slot_names[SLOT_COUNT] = {
#define SLOT_NAME(slot) #slot,
    TRACE_SLOTS(SLOT_NAME)
#undef SLOT_NAME
};

static unsigned long calls[SLOT_COUNT];
static const sockport_backend *inner; /* the registered default we wrap */
static size_t trace_offset;           /* where our state starts in each block */

#define COUNT(slot) (calls[SLOT_##slot]++)

/* [state] */
/* The tracer's own per-socket state, after the wrapped backend's. */
typedef struct trace_socket {
    unsigned long long sent, received;
} trace_socket;

static trace_socket *trace_state(sockport_socket *s)
{
    return (trace_socket *)((char *)sockport_socket_state(s) + trace_offset);
}
/* [state] */

/* ---- the wrappers: count, then delegate ----------------------------------- */

static int t_init(const sockport_backend *self)
{
    (void)self;
    COUNT(init);
    return inner->init(inner);
}

static void t_cleanup(const sockport_backend *self)
{
    (void)self;
    COUNT(cleanup);
    inner->cleanup(inner);
}

static int t_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    COUNT(open);
    return inner->open(s, family, type, protocol, flags);
}

static int t_close(sockport_socket *s)
{
    COUNT(close);
    return inner->close(s);
}

static int t_pair(sockport_socket *a, sockport_socket *b, int family, int type, int protocol,
                  unsigned flags)
{
    COUNT(pair);
    return inner->pair(a, b, family, type, protocol, flags);
}

static int t_bind(sockport_socket *s, const sockport_addr *a)
{
    COUNT(bind);
    return inner->bind(s, a);
}

static int t_listen(sockport_socket *s, int backlog)
{
    COUNT(listen);
    return inner->listen(s, backlog);
}

static int t_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer, unsigned flags)
{
    COUNT(accept);
    return inner->accept(s, out, peer, flags);
}

static int t_connect(sockport_socket *s, const sockport_addr *a)
{
    COUNT(connect);
    return inner->connect(s, a);
}

static int t_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t ms)
{
    COUNT(connect_timeout);
    return inner->connect_timeout(s, a, ms);
}

static int t_local_addr(sockport_socket *s, sockport_addr *out)
{
    COUNT(local_addr);
    return inner->local_addr(s, out);
}

static int t_peer_addr(sockport_socket *s, sockport_addr *out)
{
    COUNT(peer_addr);
    return inner->peer_addr(s, out);
}

static int t_try_clone(sockport_socket *s, sockport_socket *out)
{
    COUNT(try_clone);
    return inner->try_clone(s, out);
}

static int t_set_nonblocking(sockport_socket *s, bool on)
{
    COUNT(set_nonblocking);
    return inner->set_nonblocking(s, on);
}

static int t_shutdown(sockport_socket *s, int how)
{
    COUNT(shutdown);
    return inner->shutdown(s, how);
}

static int t_take_error(sockport_socket *s)
{
    COUNT(take_error);
    return inner->take_error(s);
}

/* [send] */
static ptrdiff_t t_send(sockport_socket *s, const void *buf, size_t len, int flags,
                        const sockport_addr *to)
{
    COUNT(send);
    ptrdiff_t n = inner->send(s, buf, len, flags, to);
    if (n > 0)
        trace_state(s)->sent += (unsigned long long)n;
    return n;
}
/* [send] */

static ptrdiff_t t_recv(sockport_socket *s, void *buf, size_t len, int flags, sockport_addr *from,
                        int *out_flags)
{
    COUNT(recv);
    ptrdiff_t n = inner->recv(s, buf, len, flags, from, out_flags);
    if (n > 0)
        trace_state(s)->received += (unsigned long long)n;
    return n;
}

static int t_set_int(sockport_socket *s, int opt, int value)
{
    COUNT(set_int);
    return inner->set_int(s, opt, value);
}

static int t_get_int(sockport_socket *s, int opt, int *out)
{
    COUNT(get_int);
    return inner->get_int(s, opt, out);
}

static int t_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    COUNT(set_timeout);
    return inner->set_timeout(s, opt, ms);
}

static int t_get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    COUNT(get_timeout);
    return inner->get_timeout(s, opt, out);
}

static int t_option_supported(sockport_socket *s, int opt)
{
    COUNT(option_supported);
    return inner->option_supported(s, opt);
}

static int t_addr_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                            size_t *len)
{
    (void)self;
    COUNT(addr_to_native);
    return inner->addr_to_native(inner, a, sa, len);
}

static int t_addr_from_native(const sockport_backend *self, sockport_addr *out, const void *sa,
                              size_t len)
{
    (void)self;
    COUNT(addr_from_native);
    return inner->addr_from_native(inner, out, sa, len);
}

static int t_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out)
{
    (void)self;
    COUNT(if_nametoindex);
    return inner->if_nametoindex(inner, name, out);
}

/* version 2 slots */

static ptrdiff_t t_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags)
{
    COUNT(sendmsg);
    return inner->sendmsg(s, msg, flags);
}

static ptrdiff_t t_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags)
{
    COUNT(recvmsg);
    return inner->recvmsg(s, msg, flags);
}

static int t_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    COUNT(sendmmsg);
    return inner->sendmmsg(s, msgs, n, flags);
}

static int t_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    COUNT(recvmmsg);
    return inner->recvmmsg(s, msgs, n, flags);
}

static int t_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n, int64_t ms)
{
    (void)self;
    COUNT(poll);
    return inner->poll(inner, fds, n, ms);
}

static int64_t t_sendfile(sockport_socket *s, sockport_native file, int64_t offset, int64_t count)
{
    COUNT(sendfile);
    return inner->sendfile(s, file, offset, count);
}

static int t_resolve(const sockport_backend *self, const char *host, const char *service,
                     const sockport_resolve_hints *hints, sockport_addr *out, size_t cap)
{
    (void)self;
    COUNT(resolve);
    return inner->resolve(inner, host, service, hints, out, cap);
}

static int t_adopt(sockport_socket *s, sockport_native h, int *family, int *type, int *protocol)
{
    COUNT(adopt);
    return inner->adopt(s, h, family, type, protocol);
}

static int t_release(sockport_socket *s, sockport_native *out)
{
    COUNT(release);
    return inner->release(s, out);
}

static int t_native_handle(sockport_socket *s, sockport_native *out)
{
    COUNT(native_handle);
    return inner->native_handle(s, out);
}

static int t_set_str(sockport_socket *s, int opt, const char *value)
{
    COUNT(set_str);
    return inner->set_str(s, opt, value);
}

static int t_get_str(sockport_socket *s, int opt, char *buf, size_t cap)
{
    COUNT(get_str);
    return inner->get_str(s, opt, buf, cap);
}

static int t_set_linger(sockport_socket *s, bool on, int seconds)
{
    COUNT(set_linger);
    return inner->set_linger(s, on, seconds);
}

static int t_get_linger(sockport_socket *s, bool *on, int *seconds)
{
    COUNT(get_linger);
    return inner->get_linger(s, on, seconds);
}

static int t_set_keepalive(sockport_socket *s, bool on, int64_t idle_ms, int64_t interval_ms,
                           int retries)
{
    COUNT(set_keepalive);
    return inner->set_keepalive(s, on, idle_ms, interval_ms, retries);
}

static int t_multicast(sockport_socket *s, int op, const sockport_addr *group,
                       const sockport_addr *source, const sockport_addr *iface, uint32_t ifindex)
{
    COUNT(multicast);
    return inner->multicast(s, op, group, source, iface, ifindex);
}

static int t_setsockopt_raw(sockport_socket *s, int level, int name, const void *value, size_t len)
{
    COUNT(setsockopt_raw);
    return inner->setsockopt_raw(s, level, name, value, len);
}

static int t_getsockopt_raw(sockport_socket *s, int level, int name, void *value, size_t *len)
{
    COUNT(getsockopt_raw);
    return inner->getsockopt_raw(s, level, name, value, len);
}

static int t_get_addr_opt(sockport_socket *s, int which, sockport_addr *out)
{
    COUNT(get_addr_opt);
    return inner->get_addr_opt(s, which, out);
}

static int t_set_addr_opt(sockport_socket *s, int which, const sockport_addr *a)
{
    COUNT(set_addr_opt);
    return inner->set_addr_opt(s, which, a);
}

static int t_get_cookie(sockport_socket *s, uint64_t *out)
{
    COUNT(get_cookie);
    return inner->get_cookie(s, out);
}

static int t_attach_filter(sockport_socket *s, const sockport_sock_filter *prog, size_t count)
{
    COUNT(attach_filter);
    return inner->attach_filter(s, prog, count);
}

/* ---- registration ------------------------------------------------------- */

/* [register] */
/* Registers the tracer around the current default backend and makes it the
 * default. The registered default has every slot filled (absent ones answer
 * SOCKPORT_ENOTSUP), so the wrappers can call any slot without a NULL test. */
static int trace_install(void)
{
    static sockport_backend table = {.version = 2, /* the layout this file was written for */
                                     .name = "trace",
#define SLOT_INIT(slot) .slot = t_##slot,
                                     TRACE_SLOTS(SLOT_INIT)
#undef SLOT_INIT
    };
    const sockport_backend *registered = NULL;
    inner = sockport_backend_default();
    trace_offset = (inner->socket_size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    table.socket_size = trace_offset + sizeof(trace_socket);
    int rc = sockport_backend_register(&table, &registered);
    return rc < 0 ? rc : sockport_backend_set_default(registered);
}
/* [register] */

/* ---- a small workload on loopback ---------------------------------------- */

static int report(const char *what, int rc)
{
    fprintf(stderr, "custom_backend: %s: %s (%s, os %d)\n", what, sockport_strerror(rc),
            sockport_err_name(rc), sockport_last_os_error());
    return 1;
}

/* TCP over loopback through the tracer: listen, connect, accept, one message. */
static int workload(sockport_socket *sk[3])
{
    sockport_addr a;
    char buf[16];
    int rc = sockport_addr_parse(&a, "127.0.0.1:0");
    if (rc < 0 || (rc = sockport_bind(sk[0], &a)) < 0 || (rc = sockport_listen(sk[0], 1)) < 0 ||
        (rc = sockport_local_addr(sk[0], &a)) < 0)
        return report("listen", rc);
    if ((rc = sockport_connect(sk[1], &a)) < 0 ||
        (rc = sockport_accept(sk[0], &sk[2], NULL, 0)) < 0)
        return report("connect", rc);
    ptrdiff_t n = sockport_send(sk[1], "traced", 6, 0);
    if (n < 0 || (n = sockport_recv(sk[2], buf, 6, SOCKPORT_MSG_WAITALL)) < 0)
        return report("transfer", (int)n);
    return n == 6 && memcmp(buf, "traced", 6) == 0 ? 0 : 1;
}

static int run(void)
{
    sockport_socket *sk[3] = {NULL, NULL, NULL};
    int rc = sockport_open(&sk[0], SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc < 0 || (rc = sockport_open(&sk[1], SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0)) < 0)
        return report("open", rc);
    int bad = workload(sk);
    printf("client sent %llu bytes, server received %llu\n", trace_state(sk[1])->sent,
           sk[2] != NULL ? trace_state(sk[2])->received : 0ull);
    bad |= sk[2] == NULL || trace_state(sk[1])->sent != 6 || trace_state(sk[2])->received != 6;
    bad |= sockport_socket_backend(sk[1]) != sockport_backend_find("trace");
    for (int i = 0; i < 3; i++) {
        if (sk[i] != NULL)
            sockport_close(sk[i]);
    }
    return bad;
}

int main(void)
{
    int rc = trace_install();
    if (rc < 0)
        return report("register", rc);
    printf("tracing the \"%s\" backend (%zu bytes of state, ours at offset %zu)\n", inner->name,
           inner->socket_size, trace_offset);
    int bad = run();
    sockport_backend_set_default(inner);
    for (int i = 0; i < SLOT_COUNT; i++) {
        if (calls[i] > 0)
            printf("  %-16s %lu\n", slot_names[i], calls[i]);
    }
    bad |= calls[SLOT_open] != 2 || calls[SLOT_accept] != 1 || calls[SLOT_close] != 3 ||
           calls[SLOT_send] != 1 || calls[SLOT_recv] < 1;
    puts(bad ? "custom_backend: FAILED" : "custom_backend: ok");
    return bad;
}
