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

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

/* 1 where the kernel has sendmmsg/recvmmsg with Linux's struct mmsghdr. */
#ifdef __linux__
#define SOCKPORT__POSIX_HAVE_MMSG 1
#else
#define SOCKPORT__POSIX_HAVE_MMSG 0
#endif

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

/* getaddrinfo's EAI_* → SOCKPORT_EAI_* (EAI_MEMORY → SOCKPORT_ENOMEM …); a
 * pure function; EAI_SYSTEM, 0 and unknown codes give SOCKPORT_EUNKNOWN
 * (the caller maps EAI_SYSTEM from errno). */
int sockport__err_from_gai(int gai);

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
    SYS_SENDMSG,
    SYS_SENDMMSG, /* absent (not Linux): a stub failing with ENOSYS */
    SYS_RECVMMSG, /* absent (not Linux): a stub failing with ENOSYS */
    SYS_SENDFILE, /* absent (not Linux): a stub failing with ENOSYS */
    SYS_PREAD,
    SYS_GETADDRINFO,
    SYS_FREEADDRINFO,
    SYS_COUNT_
};

typedef struct sockport__posix_syscall {
    const char *name;           /* the C function's name, e.g. "connect" */
    sockport__posix_fn current; /* what the backend calls */
    sockport__posix_fn dflt;    /* the system's function */
} sockport__posix_syscall;

/* Internal to the library: declared hidden, each call through the table is
 * one `call *table+offset(%rip)` rather than a GOT load and a call. */
#if defined(__GNUC__)
#define SOCKPORT__POSIX_HIDDEN __attribute__((visibility("hidden")))
#else
#define SOCKPORT__POSIX_HIDDEN
#endif
extern SOCKPORT__POSIX_HIDDEN sockport__posix_syscall sockport__posix_syscalls[SYS_COUNT_];

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

static inline ssize_t sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    return SOCKPORT__SYS(SYS_SENDMSG, ssize_t(*)(int, const struct msghdr *, int))(fd, msg, flags);
}

#if SOCKPORT__POSIX_HAVE_MMSG
static inline int sys_sendmmsg(int fd, struct mmsghdr *v, unsigned n, int flags)
{
    return SOCKPORT__SYS(SYS_SENDMMSG, int (*)(int, struct mmsghdr *, unsigned, int))(fd, v, n,
                                                                                      flags);
}

static inline int sys_recvmmsg(int fd, struct mmsghdr *v, unsigned n, int flags,
                               struct timespec *timeout)
{
    typedef int (*fn)(int, struct mmsghdr *, unsigned, int, struct timespec *);
    return SOCKPORT__SYS(SYS_RECVMMSG, fn)(fd, v, n, flags, timeout);
}
#endif

/* Linux's sendfile(out, in, &offset, count); a stub elsewhere (ENOSYS). */
static inline ssize_t sys_sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
    typedef ssize_t (*fn)(int, int, off_t *, size_t);
    return SOCKPORT__SYS(SYS_SENDFILE, fn)(out_fd, in_fd, offset, count);
}

static inline ssize_t sys_pread(int fd, void *buf, size_t len, off_t offset)
{
    return SOCKPORT__SYS(SYS_PREAD, ssize_t(*)(int, void *, size_t, off_t))(fd, buf, len, offset);
}

static inline int sys_getaddrinfo(const char *host, const char *service,
                                  const struct addrinfo *hints, struct addrinfo **res)
{
    typedef int (*fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
    return SOCKPORT__SYS(SYS_GETADDRINFO, fn)(host, service, hints, res);
}

static inline void sys_freeaddrinfo(struct addrinfo *res)
{
    SOCKPORT__SYS(SYS_FREEADDRINFO, void (*)(struct addrinfo *))(res);
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

/* Native SOCK_* / AF_* → SOCKPORT_SOCK_* / SOCKPORT_AF_*; a negative
 * SOCKPORT_E* code (not recorded) for a value sockport does not know. */
int sockport__posix_portable_type(int native);
int sockport__posix_portable_family(int native);

/* SOCKPORT_SOCK_* → native SOCK_* (0 for none). */
int sockport__posix_native_type(int type);

/* The failure of an option call (sockopt.c): ENOPROTOOPT for an option the
 * core let through means the running system lacks it: SOCKPORT_ENOTSUP, with
 * the errno recorded. Anything else as sockport__posix_fail. */
int sockport__posix_opt_fail(int e);

/* SOCKPORT_MSG_PEEK | _OOB | _DONTWAIT | _WAITALL → native MSG_*. */
extern SOCKPORT__POSIX_HIDDEN const int
    sockport__posix_recv_flags[16]; /* io.c: by SOCKPORT_MSG_* bits 0-3 */
static inline int sockport__posix_native_msg_flags(int flags)
{
    return flags == 0 ? 0 : sockport__posix_recv_flags[flags & 15];
}

/* Deadlines on CLOCK_MONOTONIC (connect.c): the deadline timeout_ms from now
 * in ns (INT64_MAX for timeout_ms < 0), and the ms left before it, rounded
 * up and clamped to poll's int (-1 for INT64_MAX). */
int sockport__posix_deadline_after(int64_t timeout_ms, int64_t *out);
int sockport__posix_ms_left(int64_t deadline, int *out);

/* ---- messages (msg.c, cmsg.c): sockport_msghdr ↔ struct msghdr ---- */

/* Bytes of native control data one message may carry (the stack scratch). */
#define SOCKPORT__POSIX_CTL_MAX 1024

/* msg_iovlen and msg_controllen: size_t on glibc and bionic, int and
 * socklen_t on musl and the BSDs. */
#if defined(__GLIBC__) || defined(__BIONIC__)
typedef size_t sockport__iovlen_t;
typedef size_t sockport__ctllen_t;
#else
typedef int sockport__iovlen_t;
typedef socklen_t sockport__ctllen_t;
#endif

/* Where one native message is built: the caller's stack storage. */
typedef struct sockport__posix_nbuf {
    struct sockaddr_storage *name; /* the native name */
    unsigned char *ctl;            /* native control room, aligned for cmsghdr */
    size_t ctlcap;                 /* its size (0: no control) */
} sockport__posix_nbuf;

/* Builds the native message to send m: buffers, destination, and the
 * portable control messages translated (SOCKPORT_ENOBUFS when they need more
 * than b->ctlcap; SOCKPORT_EINVAL for a corrupt or unknown one;
 * SOCKPORT_ENOTSUP for a type this system cannot send). */
int sockport__posix_msg_out(const sockport_msghdr *m, struct msghdr *out,
                            const sockport__posix_nbuf *b);

/* Prepares the native message to receive into m (b->ctlcap bytes of native
 * control room, 0 for none). */
void sockport__posix_msg_in(const sockport_msghdr *m, struct msghdr *out,
                            const sockport__posix_nbuf *b);

/* After a receive: writes the sender, the flags and the control messages
 * (translated; SOCKPORT_MSG_CTRUNC when m's room is short, descriptors that
 * do not fit closed) back to m. */
void sockport__posix_msg_done(sockport_msghdr *m, struct msghdr *native);

/* Native control → portable, into m->control (room m->controllen); returns
 * the bytes used and ORs SOCKPORT_MSG_CTRUNC into *flags when short. */
size_t sockport__posix_cmsg_in(const sockport_msghdr *m, struct msghdr *native, int *flags);

/* Portable control → native, into ctl (room cap); *used receives the bytes. */
int sockport__posix_cmsg_out(const sockport_msghdr *m, unsigned char *ctl, size_t cap,
                             size_t *used);

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

/* Version 2 slots. */
ptrdiff_t sockport__posix_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags);
ptrdiff_t sockport__posix_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags);
int sockport__posix_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);
int sockport__posix_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);
int sockport__posix_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n,
                         int64_t timeout_ms);
int64_t sockport__posix_sendfile(sockport_socket *s, sockport_native file, int64_t offset,
                                 int64_t count);
int sockport__posix_resolve(const sockport_backend *self, const char *host, const char *service,
                            const sockport_resolve_hints *hints, sockport_addr *out, size_t cap);
int sockport__posix_adopt(sockport_socket *s, sockport_native handle, int *family, int *type,
                          int *protocol);
int sockport__posix_release(sockport_socket *s, sockport_native *out);
int sockport__posix_native_handle(sockport_socket *s, sockport_native *out);
int sockport__posix_set_str(sockport_socket *s, int opt, const char *value);
int sockport__posix_get_str(sockport_socket *s, int opt, char *buf, size_t cap);
int sockport__posix_set_linger(sockport_socket *s, bool on, int seconds);
int sockport__posix_get_linger(sockport_socket *s, bool *on, int *seconds);
int sockport__posix_set_keepalive(sockport_socket *s, bool on, int64_t idle_ms, int64_t interval_ms,
                                  int retries);
int sockport__posix_multicast(sockport_socket *s, int op, const sockport_addr *group,
                              const sockport_addr *source, const sockport_addr *iface,
                              uint32_t ifindex);
int sockport__posix_setsockopt_raw(sockport_socket *s, int level, int name, const void *value,
                                   size_t len);
int sockport__posix_getsockopt_raw(sockport_socket *s, int level, int name, void *value,
                                   size_t *len);
int sockport__posix_get_addr_opt(sockport_socket *s, int which, sockport_addr *out);
int sockport__posix_set_addr_opt(sockport_socket *s, int which, const sockport_addr *a);
int sockport__posix_get_cookie(sockport_socket *s, uint64_t *out);
int sockport__posix_attach_filter(sockport_socket *s, const sockport_sock_filter *prog,
                                  size_t count);

#endif /* SOCKPORT_BACKEND_POSIX_H */
