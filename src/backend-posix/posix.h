/*
 * Private header of the POSIX backend. Never installed; tests include it as
 * "backend-posix/posix.h" to reach the syscall table and the error map.
 *
 * Every OS call the backend makes goes through sockport__posix_syscalls, an
 * enum-indexed table of {name, current, default} function pointers (SQLite's
 * aSyscall): the static inline sys_*() wrappers below are the only callers of
 * send(), connect() … in the backend, so a test can replace any of them by
 * name. The table is meant for tests: replacing an entry while another thread
 * makes that call is a data race.
 *
 * Each .c file of the backend defines its feature macros (_GNU_SOURCE …)
 * before including this header.
 */
#ifndef SOCKPORT_BACKEND_POSIX_H
#define SOCKPORT_BACKEND_POSIX_H

#include "common/internal.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

/* The backend's per-socket state (the core allocates and zeroes it). */
typedef struct sockport__posix_state {
    int fd; /* the descriptor; -1 once closed */
} sockport__posix_state;

/* The descriptor behind s (tests use it to inspect flags with fcntl). */
static inline int sockport__posix_fd(sockport_socket *s)
{
    return ((sockport__posix_state *)sockport__state(s))->fd;
}

/* ---- errors (errors.c) ---- */

/* errno → SOCKPORT_E*; a pure function; unknown codes (and 0) give
 * SOCKPORT_EUNKNOWN. */
int sockport__err_from_errno(int e);

/* The one failure helper: records e for sockport_last_os_error() and
 * returns its SOCKPORT_E* code. Call as sockport__posix_fail(errno). */
int sockport__posix_fail(int e);

/* ---- the syscall table (syscalls.c) ---- */

/* The generic pointer type stored in the table; cast back to the real type. */
typedef void (*sockport__posix_fn)(void);

enum sockport__posix_sys {
    SYS_SOCKET,
    SYS_SOCKETPAIR,
    SYS_CLOSE,
    SYS_BIND,
    SYS_LISTEN,
    SYS_ACCEPT,
    SYS_ACCEPT4, /* absent: a stub failing with ENOSYS */
    SYS_CONNECT,
    SYS_GETSOCKNAME,
    SYS_GETPEERNAME,
    SYS_FCNTL, /* int fcntl(int fd, int cmd, int arg): the variadic, fixed */
    SYS_SHUTDOWN,
    SYS_SEND,
    SYS_SENDTO,
    SYS_RECV,
    SYS_RECVFROM,
    SYS_RECVMSG,
    SYS_SETSOCKOPT,
    SYS_GETSOCKOPT,
    SYS_POLL,
    SYS_IF_NAMETOINDEX,
    SYS_CLOCK_GETTIME,
    SYS_COUNT_
};

typedef struct sockport__posix_syscall {
    const char *name;           /* the C function's name, e.g. "connect" */
    sockport__posix_fn current; /* what the backend calls */
    sockport__posix_fn dflt;    /* the system's function */
} sockport__posix_syscall;

extern sockport__posix_syscall sockport__posix_syscalls[SYS_COUNT_];

/* Replaces the call named `name` by fn (NULL restores the default). old, if
 * not NULL, receives the previous pointer. name NULL restores every call.
 * \return 0, or SOCKPORT_ENOENT for an unknown name (SOCKPORT_EINVAL for a
 * NULL name with a non-NULL fn). */
int sockport__posix_syscall_set(const char *name, sockport__posix_fn fn, sockport__posix_fn *old);

/* \return the current pointer of the call named `name`, or NULL. */
sockport__posix_fn sockport__posix_syscall_get(const char *name);

/* Iterates the names: NULL gives the first, the last gives NULL; an unknown
 * name gives NULL. */
const char *sockport__posix_syscall_next(const char *name);

/* Restores every call to the system's function. */
void sockport__posix_syscall_reset(void);

#define SOCKPORT__SYS(id, type) ((type)sockport__posix_syscalls[id].current)

static inline int sys_socket(int domain, int type, int protocol)
{
    return SOCKPORT__SYS(SYS_SOCKET, int (*)(int, int, int))(domain, type, protocol);
}

static inline int sys_socketpair(int domain, int type, int protocol, int sv[2])
{
    return SOCKPORT__SYS(SYS_SOCKETPAIR, int (*)(int, int, int, int *))(domain, type, protocol, sv);
}

static inline int sys_close(int fd)
{
    return SOCKPORT__SYS(SYS_CLOSE, int (*)(int))(fd);
}

static inline int sys_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    return SOCKPORT__SYS(SYS_BIND, int (*)(int, const struct sockaddr *, socklen_t))(fd, sa, len);
}

static inline int sys_listen(int fd, int backlog)
{
    return SOCKPORT__SYS(SYS_LISTEN, int (*)(int, int))(fd, backlog);
}

static inline int sys_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
    return SOCKPORT__SYS(SYS_ACCEPT, int (*)(int, struct sockaddr *, socklen_t *))(fd, sa, len);
}

static inline int sys_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    return SOCKPORT__SYS(SYS_ACCEPT4,
                         int (*)(int, struct sockaddr *, socklen_t *, int))(fd, sa, len, flags);
}

static inline int sys_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    return SOCKPORT__SYS(SYS_CONNECT, int (*)(int, const struct sockaddr *, socklen_t))(fd, sa,
                                                                                        len);
}

static inline int sys_getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
    return SOCKPORT__SYS(SYS_GETSOCKNAME, int (*)(int, struct sockaddr *, socklen_t *))(fd, sa,
                                                                                        len);
}

static inline int sys_getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
    return SOCKPORT__SYS(SYS_GETPEERNAME, int (*)(int, struct sockaddr *, socklen_t *))(fd, sa,
                                                                                        len);
}

static inline int sys_fcntl(int fd, int cmd, int arg)
{
    return SOCKPORT__SYS(SYS_FCNTL, int (*)(int, int, int))(fd, cmd, arg);
}

static inline int sys_shutdown(int fd, int how)
{
    return SOCKPORT__SYS(SYS_SHUTDOWN, int (*)(int, int))(fd, how);
}

static inline ssize_t sys_send(int fd, const void *buf, size_t len, int flags)
{
    return SOCKPORT__SYS(SYS_SEND, ssize_t(*)(int, const void *, size_t, int))(fd, buf, len, flags);
}

static inline ssize_t sys_sendto(int fd, const void *buf, size_t len, int flags,
                                 const struct sockaddr *sa, socklen_t salen)
{
    typedef ssize_t (*fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
    return SOCKPORT__SYS(SYS_SENDTO, fn)(fd, buf, len, flags, sa, salen);
}

static inline ssize_t sys_recv(int fd, void *buf, size_t len, int flags)
{
    return SOCKPORT__SYS(SYS_RECV, ssize_t(*)(int, void *, size_t, int))(fd, buf, len, flags);
}

static inline ssize_t sys_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *sa,
                                   socklen_t *salen)
{
    typedef ssize_t (*fn)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
    return SOCKPORT__SYS(SYS_RECVFROM, fn)(fd, buf, len, flags, sa, salen);
}

static inline ssize_t sys_recvmsg(int fd, struct msghdr *msg, int flags)
{
    return SOCKPORT__SYS(SYS_RECVMSG, ssize_t(*)(int, struct msghdr *, int))(fd, msg, flags);
}

static inline int sys_setsockopt(int fd, int level, int name, const void *v, socklen_t len)
{
    typedef int (*fn)(int, int, int, const void *, socklen_t);
    return SOCKPORT__SYS(SYS_SETSOCKOPT, fn)(fd, level, name, v, len);
}

static inline int sys_getsockopt(int fd, int level, int name, void *v, socklen_t *len)
{
    typedef int (*fn)(int, int, int, void *, socklen_t *);
    return SOCKPORT__SYS(SYS_GETSOCKOPT, fn)(fd, level, name, v, len);
}

static inline int sys_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    return SOCKPORT__SYS(SYS_POLL, int (*)(struct pollfd *, nfds_t, int))(fds, n, timeout_ms);
}

static inline unsigned sys_if_nametoindex(const char *name)
{
    return SOCKPORT__SYS(SYS_IF_NAMETOINDEX, unsigned (*)(const char *))(name);
}

static inline int sys_clock_gettime(clockid_t clock, struct timespec *ts)
{
    return SOCKPORT__SYS(SYS_CLOCK_GETTIME, int (*)(clockid_t, struct timespec *))(clock, ts);
}

/* ---- shared helpers (posix.c, sockaddr.c, sockopt.c) ---- */

/* 1 where socket(), socketpair() and accept4() take SOCK_CLOEXEC and
 * SOCK_NONBLOCK (Linux, the BSDs; not macOS). */
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
#define SOCKPORT__POSIX_TYPE_FLAGS 1
#else
#define SOCKPORT__POSIX_TYPE_FLAGS 0
#endif

/* SOCK_CLOEXEC | SOCK_NONBLOCK as flags ask, for socket(), socketpair() and
 * accept4(); 0 where the system cannot set them atomically. */
int sockport__posix_type_flags(unsigned flags);

/* Finishes a new descriptor: close-on-exec and O_NONBLOCK by fcntl unless
 * `atomic` says the system already set them, and SO_NOSIGPIPE where it
 * exists. \return 0 or a recorded SOCKPORT_E* code (fd stays open). */
int sockport__posix_setup_fd(int fd, unsigned flags, int atomic);

/* Sets or clears O_NONBLOCK (fcntl read-modify-write; no write if unchanged). */
int sockport__posix_set_nonblock(int fd, int on);

/* Native sockaddr from a sockport_addr; *len in: room, out: size. */
int sockport__posix_to_native(const sockport_addr *a, struct sockaddr_storage *ss, socklen_t *len);

/* sockport_addr from a native sockaddr a kernel returned; len 0 gives the
 * empty address. */
int sockport__posix_from_native(sockport_addr *out, const void *sa, size_t len);

/* Reads and clears SO_ERROR into *out (the raw errno, 0 for none). */
int sockport__posix_so_error(int fd, int *out);

/* The slots defined outside posix.c. */
int sockport__posix_bind(sockport_socket *s, const sockport_addr *a);
int sockport__posix_listen(sockport_socket *s, int backlog);
int sockport__posix_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer,
                           unsigned flags);
int sockport__posix_connect(sockport_socket *s, const sockport_addr *a);
int sockport__posix_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t timeout_ms);
int sockport__posix_local_addr(sockport_socket *s, sockport_addr *out);
int sockport__posix_peer_addr(sockport_socket *s, sockport_addr *out);
int sockport__posix_shutdown(sockport_socket *s, int how);
int sockport__posix_take_error(sockport_socket *s);
ptrdiff_t sockport__posix_send(sockport_socket *s, const void *buf, size_t len, int flags,
                               const sockport_addr *to);
ptrdiff_t sockport__posix_recv(sockport_socket *s, void *buf, size_t len, int flags,
                               sockport_addr *from, int *out_flags);
int sockport__posix_set_int(sockport_socket *s, int opt, int value);
int sockport__posix_get_int(sockport_socket *s, int opt, int *out);
int sockport__posix_set_timeout(sockport_socket *s, int opt, int64_t ms);
int sockport__posix_get_timeout(sockport_socket *s, int opt, int64_t *out);
int sockport__posix_option_supported(sockport_socket *s, int opt);
int sockport__posix_addr_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                                   size_t *len);
int sockport__posix_addr_from_native(const sockport_backend *self, sockport_addr *out,
                                     const void *sa, size_t len);
int sockport__posix_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out);

#endif /* SOCKPORT_BACKEND_POSIX_H */
