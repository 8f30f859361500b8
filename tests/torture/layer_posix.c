/*
 * Torture layer "posix": every OS call of the POSIX backend goes through its
 * syscall table (src/backend-posix/syscalls.c); this layer puts a counting
 * shim in front of each entry it knows and fails the k-th call with an errno.
 *
 * Variants, per k (the name of call k is known from the counting run):
 *   0 its natural errno once           1 the same, persistent
 *   2 EINTR once, on calls that can block: the backend must retry (or, for
 *     close, treat the descriptor as gone), so the scenario must succeed
 *   3 an alternative errno once, chosen to reach the backend's fallbacks:
 *     EINVAL from socket()/socketpair() (kernels without SOCK_CLOEXEC),
 *     ENOSYS from accept4(), EINVAL from fcntl(F_DUPFD_CLOEXEC) …
 * Otherwise the scenario must succeed (a retry, a fallback, or a fault the
 * backend has no reason to report) or fail with the backend's portable code
 * for that errno.
 *
 * Layer "posix_compat" is the same on a simulated old kernel: socket() and
 * socketpair() refuse SOCK_CLOEXEC/SOCK_NONBLOCK with EINVAL, accept4() is
 * ENOSYS and fcntl(F_DUPFD_CLOEXEC) EINVAL (below the counting shims), so the
 * fcntl-based paths that macOS takes, and their cleanup when a later call
 * fails, run on Linux too.
 *
 * What a failing call did: nothing, except close() (the descriptor is
 * released first, as Linux does even when close reports an error) and an
 * interrupted connect() (the connection goes on in the kernel, as after a
 * real signal: the real connect runs, then EINTR is reported).
 */
#define _GNU_SOURCE

#include "torture.h"

#include "backend-posix/posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* clang-format off */
/* name, return type, failure value, natural errno, alternative errno (0: none),
 * can block (EINTR), parameters, arguments */
#define POSIX_CALLS(X)                                                                              \
    X(socket, int, -1, EMFILE, EINVAL, 0, (int d, int t, int p), (d, t, p))                         \
    X(socketpair, int, -1, EMFILE, EINVAL, 0, (int d, int t, int p, int *sv), (d, t, p, sv))        \
    X(close, int, -1, EIO, 0, 1, (int fd), (fd))                                                    \
    X(bind, int, -1, EADDRINUSE, EACCES, 0, (int fd, const struct sockaddr *a, socklen_t l),       \
      (fd, a, l))                                                                                   \
    X(listen, int, -1, EADDRINUSE, EOPNOTSUPP, 0, (int fd, int b), (fd, b))                         \
    X(accept, int, -1, ECONNABORTED, EMFILE, 1, (int fd, struct sockaddr *a, socklen_t *l),        \
      (fd, a, l))                                                                                   \
    X(accept4, int, -1, ECONNABORTED, ENOSYS, 1,                                                    \
      (int fd, struct sockaddr *a, socklen_t *l, int f), (fd, a, l, f))                             \
    X(connect, int, -1, ECONNREFUSED, ETIMEDOUT, 1,                                                 \
      (int fd, const struct sockaddr *a, socklen_t l), (fd, a, l))                                  \
    X(getsockname, int, -1, ENOBUFS, 0, 0, (int fd, struct sockaddr *a, socklen_t *l), (fd, a, l)) \
    X(getpeername, int, -1, ENOTCONN, ENOBUFS, 0, (int fd, struct sockaddr *a, socklen_t *l),      \
      (fd, a, l))                                                                                   \
    X(fcntl, int, -1, EBADF, EINVAL, 0, (int fd, int cmd, int arg), (fd, cmd, arg))                 \
    X(shutdown, int, -1, ENOTCONN, ENOBUFS, 0, (int fd, int how), (fd, how))                        \
    X(send, ssize_t, -1, EPIPE, EAGAIN, 1, (int fd, const void *b, size_t n, int f),               \
      (fd, b, n, f))                                                                                \
    X(sendto, ssize_t, -1, ECONNREFUSED, EAGAIN, 1,                                                 \
      (int fd, const void *b, size_t n, int f, const struct sockaddr *a, socklen_t l),             \
      (fd, b, n, f, a, l))                                                                          \
    X(recv, ssize_t, -1, ECONNRESET, EAGAIN, 1, (int fd, void *b, size_t n, int f), (fd, b, n, f))  \
    X(recvfrom, ssize_t, -1, ECONNREFUSED, EAGAIN, 1,                                               \
      (int fd, void *b, size_t n, int f, struct sockaddr *a, socklen_t *l), (fd, b, n, f, a, l))   \
    X(recvmsg, ssize_t, -1, ECONNRESET, EAGAIN, 1, (int fd, struct msghdr *m, int f), (fd, m, f))   \
    X(sendmsg, ssize_t, -1, EPIPE, ENOBUFS, 1, (int fd, const struct msghdr *m, int f), (fd, m, f)) \
    X(sendmmsg, int, -1, ECONNREFUSED, ENOBUFS, 1, (int fd, struct mmsghdr *v, unsigned n, int f), \
      (fd, v, n, f))                                                                                \
    X(recvmmsg, int, -1, ECONNREFUSED, EAGAIN, 1,                                                   \
      (int fd, struct mmsghdr *v, unsigned n, int f, struct timespec *ts), (fd, v, n, f, ts))        \
    X(setsockopt, int, -1, ENOPROTOOPT, ENOMEM, 0,                                                  \
      (int fd, int lv, int nm, const void *v, socklen_t l), (fd, lv, nm, v, l))                     \
    X(getsockopt, int, -1, ENOPROTOOPT, ENOBUFS, 0,                                                 \
      (int fd, int lv, int nm, void *v, socklen_t *l), (fd, lv, nm, v, l))                          \
    X(poll, int, -1, ENOMEM, 0, 1, (struct pollfd *f, nfds_t n, int ms), (f, n, ms))                \
    X(if_nametoindex, unsigned, 0, ENODEV, 0, 0, (const char *n), (n))                              \
    X(clock_gettime, int, -1, EINVAL, 0, 0, (clockid_t c, struct timespec *ts), (c, ts))
/* clang-format on */

#define CALL_ID(name, ...) C_##name,
enum { POSIX_CALLS(CALL_ID) NCALLS };

#define CALL_NAME(name, ...) #name,
static const char *const names[NCALLS] = {POSIX_CALLS(CALL_NAME)};

#define CALL_ERRS(name, ret, failv, nat, alt, blocks, ...) {nat, alt, blocks},
static const int errs[NCALLS][3] = {POSIX_CALLS(CALL_ERRS)};

#define TRACE_MAX 4096

static sockport__posix_fn real[NCALLS];
static uint64_t calls, injected_n;
static int counting;
static const char *trace[TRACE_MAX];
static plan armed;
static int armed_on;

/* The errno to fail call `id` with, or 0 to let it through. */
static int decide(int id)
{
    uint64_t n = ++calls;
    if (counting && n <= TRACE_MAX)
        trace[n - 1] = names[id];
    if (!armed_on || n < armed.k || (n > armed.k && !armed.persistent))
        return 0;
    injected_n++;
    return armed.error;
}

#define SHIM(name, ret, failv, nat, alt, blocks, params, args)                                     \
    static ret shim_##name params                                                                  \
    {                                                                                              \
        typedef ret(*fn_t) params;                                                                 \
        int e = decide(C_##name);                                                                  \
        if (e == 0)                                                                                \
            return ((fn_t)real[C_##name])args;                                                     \
        if (C_##name == C_close || (C_##name == C_connect && e == EINTR)) {                        \
            ret r = ((fn_t)real[C_##name])args;                                                    \
            if (r == (ret)(failv) && errno != EINPROGRESS)                                         \
                return r;                                                                          \
        }                                                                                          \
        errno = e;                                                                                 \
        return (ret)(failv);                                                                       \
    }
POSIX_CALLS(SHIM)

#define SHIM_FN(name, ...) (sockport__posix_fn) shim_##name,
static const sockport__posix_fn shims[NCALLS] = {POSIX_CALLS(SHIM_FN)};

static int p_setup(void)
{
    for (int i = 0; i < NCALLS; i++) {
        if (sockport__posix_syscall_get(names[i]) == NULL)
            continue; /* not in this version of the table: never called */
        if (sockport__posix_syscall_set(names[i], shims[i], &real[i]) != 0)
            return -1;
    }
    for (const char *n = sockport__posix_syscall_next(NULL); n != NULL;
         n = sockport__posix_syscall_next(n)) {
        int known = 0;
        for (int i = 0; i < NCALLS; i++)
            known |= strcmp(n, names[i]) == 0;
        if (!known)
            printf("note: the syscall table's \"%s\" is not wrapped (no fault injected there)\n",
                   n);
    }
    return 0;
}

/* ---- the old kernel, below the shims ---- */

typedef int (*socket_fn)(int, int, int);
typedef int (*socketpair_fn)(int, int, int, int *);
typedef int (*fcntl_fn)(int, int, int);
static sockport__posix_fn os_socket, os_socketpair, os_fcntl;

static int old_socket(int d, int t, int p)
{
    if (t & (SOCK_CLOEXEC | SOCK_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    return ((socket_fn)os_socket)(d, t, p);
}

static int old_socketpair(int d, int t, int p, int *sv)
{
    if (t & (SOCK_CLOEXEC | SOCK_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    return ((socketpair_fn)os_socketpair)(d, t, p, sv);
}

static int old_accept4(int fd, struct sockaddr *a, socklen_t *l, int f)
{
    (void)fd, (void)a, (void)l, (void)f;
    errno = ENOSYS;
    return -1;
}

static int old_fcntl(int fd, int cmd, int arg)
{
    if (cmd == F_DUPFD_CLOEXEC) {
        errno = EINVAL;
        return -1;
    }
    return ((fcntl_fn)os_fcntl)(fd, cmd, arg);
}

static int compat_setup(void)
{
    int rc = p_setup();
    os_socket = real[C_socket];
    os_socketpair = real[C_socketpair];
    os_fcntl = real[C_fcntl];
    real[C_socket] = (sockport__posix_fn)old_socket;
    real[C_socketpair] = (sockport__posix_fn)old_socketpair;
    real[C_accept4] = (sockport__posix_fn)old_accept4;
    real[C_fcntl] = (sockport__posix_fn)old_fcntl;
    return rc;
}

static void p_count_begin(void)
{
    calls = 0;
    counting = 1;
}

static uint64_t p_count_end(void)
{
    counting = 0;
    return calls;
}

static int id_of(const char *name)
{
    for (int i = 0; i < NCALLS; i++)
        if (name != NULL && strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static int p_plan(uint64_t k, int v, plan *p)
{
    int id = id_of(k <= TRACE_MAX ? trace[k - 1] : NULL);
    if (id < 0)
        return 1;
    p->k = k;
    p->variant = v;
    p->at = names[id];
    p->persistent = v == 1;
    p->error = v <= 1 ? errs[id][0] : v == 2 ? (errs[id][2] ? EINTR : 0) : errs[id][1];
    return p->error == 0;
}

static void p_arm(const plan *p)
{
    calls = 0;
    injected_n = 0;
    armed = *p;
    armed_on = 1;
}

static uint64_t p_injected(void)
{
    return injected_n;
}

static void p_disarm(void)
{
    armed_on = 0;
}

/* The portable code the backend reports for the injected errno: its map,
 * and for an option call the documented rewrite of ENOPROTOOPT (a kernel
 * without the option) to SOCKPORT_ENOTSUP (sockport__posix_opt_fail). */
static int reported(const plan *p, long long rc)
{
    return rc == sockport__err_from_errno(p->error) ||
           (p->error == ENOPROTOOPT && rc == SOCKPORT_ENOTSUP);
}

static int p_allowed(const plan *p, uint64_t injected, long long rc, int absorbed)
{
    (void)absorbed;
    if (injected == 0 || p->error == EINTR)
        return rc == 0;
    return rc == 0 || reported(p, rc);
}

static int p_close_ok(const plan *p, long long rc)
{
    return rc == 0 || reported(p, rc);
}

static void p_describe(const plan *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "OS call %llu fails with %s%s", (unsigned long long)p->k, strerror(p->error),
             p->persistent ? ", and every later one" : " once");
}

const layer t_layer_posix = {
    .name = "posix",
    .setup = p_setup,
    .count_begin = p_count_begin,
    .count_end = p_count_end,
    .nvariants = 4,
    .plan_for = p_plan,
    .arm = p_arm,
    .injected = p_injected,
    .disarm = p_disarm,
    .allowed = p_allowed,
    .close_ok = p_close_ok,
    .describe = p_describe,
};

const layer t_layer_posix_compat = {
    .name = "posix_compat",
    .setup = compat_setup,
    .count_begin = p_count_begin,
    .count_end = p_count_end,
    .nvariants = 4,
    .plan_for = p_plan,
    .arm = p_arm,
    .injected = p_injected,
    .disarm = p_disarm,
    .allowed = p_allowed,
    .close_ok = p_close_ok,
    .describe = p_describe,
};
