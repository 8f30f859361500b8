/*
 * Private to the fault backend (fault.c, fault_text.c): the list of backend
 * slots it wraps, and the helpers the two files share.
 *
 * FAULT_SLOTS lists every slot of struct sockport_backend after userdata, in
 * the struct's order, one line each, with the macro of its shape:
 *
 *   SOCK(ret, name, natural, (params), (args))   a slot on a socket: a fault
 *        replaces the call; otherwise inner->name args
 *   SELF(ret, name, natural, (params), (args))   a slot on the backend (self
 *        first): delegated with the inner table as self
 *   PASS(ret, name, natural, (params), (args))   delegated, never counted
 *   HAND(ret, name, natural, (params), (args))   written by hand in fault.c
 *
 * natural is the error a rule with error 0 injects: what the system would
 * most plausibly answer. When struct sockport_backend gains a slot, add its
 * line at the end here: the shape macro writes the delegating function and
 * fills the table (tests/test_fault.c fails while a slot is missing).
 */
#ifndef SOCKPORT_FAULT_SLOTS_H
#define SOCKPORT_FAULT_SLOTS_H

#include "internal.h"

#include "sockport/fault.h"

/* clang-format off */
#define FAULT_SLOTS(SOCK, SELF, PASS, HAND)                                                        \
    HAND(int, init, SOCKPORT_ENOTINIT, (const sockport_backend *self), (self))                     \
    HAND(void, cleanup, 0, (const sockport_backend *self), (self))                                 \
    SOCK(int, open, SOCKPORT_EMFILE,                                                               \
         (sockport_socket *s, int family, int type, int protocol, unsigned flags),                 \
         (s, family, type, protocol, flags))                                                       \
    HAND(int, close, SOCKPORT_ENETDOWN, (sockport_socket *s), (s))                                 \
    SOCK(int, pair, SOCKPORT_EMFILE,                                                               \
         (sockport_socket *a, sockport_socket *b, int family, int type, int protocol,              \
          unsigned flags),                                                                         \
         (a, b, family, type, protocol, flags))                                                    \
    SOCK(int, bind, SOCKPORT_EADDRINUSE, (sockport_socket *s, const sockport_addr *a), (s, a))     \
    SOCK(int, listen, SOCKPORT_EADDRINUSE, (sockport_socket *s, int backlog), (s, backlog))        \
    SOCK(int, accept, SOCKPORT_ECONNABORTED,                                                       \
         (sockport_socket *s, sockport_socket *out, sockport_addr *peer, unsigned flags),          \
         (s, out, peer, flags))                                                                    \
    SOCK(int, connect, SOCKPORT_ECONNREFUSED, (sockport_socket *s, const sockport_addr *a),        \
         (s, a))                                                                                   \
    SOCK(int, connect_timeout, SOCKPORT_ETIMEDOUT,                                                 \
         (sockport_socket *s, const sockport_addr *a, int64_t ms), (s, a, ms))                     \
    SOCK(int, local_addr, SOCKPORT_ENOBUFS, (sockport_socket *s, sockport_addr *out), (s, out))    \
    SOCK(int, peer_addr, SOCKPORT_ENOTCONN, (sockport_socket *s, sockport_addr *out), (s, out))    \
    SOCK(int, try_clone, SOCKPORT_EMFILE, (sockport_socket *s, sockport_socket *out), (s, out))    \
    SOCK(int, set_nonblocking, SOCKPORT_EBADF, (sockport_socket *s, bool on), (s, on))             \
    SOCK(int, shutdown, SOCKPORT_ENOTCONN, (sockport_socket *s, int how), (s, how))                \
    SOCK(int, take_error, SOCKPORT_ECONNRESET, (sockport_socket *s), (s))                          \
    HAND(ptrdiff_t, send, SOCKPORT_ECONNRESET,                                                     \
         (sockport_socket *s, const void *buf, size_t len, int flags, const sockport_addr *to),    \
         (s, buf, len, flags, to))                                                                 \
    HAND(ptrdiff_t, recv, SOCKPORT_ECONNRESET,                                                     \
         (sockport_socket *s, void *buf, size_t len, int flags, sockport_addr *from,               \
          int *out_flags),                                                                         \
         (s, buf, len, flags, from, out_flags))                                                    \
    SOCK(int, set_int, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int opt, int value),             \
         (s, opt, value))                                                                          \
    SOCK(int, get_int, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int opt, int *out),              \
         (s, opt, out))                                                                            \
    SOCK(int, set_timeout, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int opt, int64_t ms),        \
         (s, opt, ms))                                                                             \
    SOCK(int, get_timeout, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int opt, int64_t *out),      \
         (s, opt, out))                                                                            \
    PASS(int, option_supported, 0, (sockport_socket *s, int opt), (s, opt))                        \
    SELF(int, addr_to_native, SOCKPORT_EAFNOSUPPORT,                                               \
         (const sockport_backend *self, const sockport_addr *a, void *sa, size_t *len),            \
         (a, sa, len))                                                                             \
    SELF(int, addr_from_native, SOCKPORT_EAFNOSUPPORT,                                             \
         (const sockport_backend *self, sockport_addr *out, const void *sa, size_t len),           \
         (out, sa, len))                                                                           \
    SELF(int, if_nametoindex, SOCKPORT_ENODEV,                                                     \
         (const sockport_backend *self, const char *name, uint32_t *out), (name, out))            \
    /* ---- version 2 ---- */                                                                      \
    SOCK(ptrdiff_t, sendmsg, SOCKPORT_ECONNRESET,                                                  \
         (sockport_socket *s, const sockport_msghdr *msg, int flags), (s, msg, flags))             \
    SOCK(ptrdiff_t, recvmsg, SOCKPORT_ECONNRESET,                                                  \
         (sockport_socket *s, sockport_msghdr *msg, int flags), (s, msg, flags))                   \
    SOCK(int, sendmmsg, SOCKPORT_ENOBUFS,                                                          \
         (sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags), (s, msgs, n, flags))   \
    SOCK(int, recvmmsg, SOCKPORT_ECONNREFUSED,                                                     \
         (sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags), (s, msgs, n, flags))   \
    SELF(int, poll, SOCKPORT_ENOMEM,                                                               \
         (const sockport_backend *self, sockport_pollfd *fds, size_t n, int64_t timeout_ms),       \
         (fds, n, timeout_ms))                                                                     \
    SOCK(int64_t, sendfile, SOCKPORT_EPIPE,                                                        \
         (sockport_socket *s, sockport_native file, int64_t offset, int64_t count),                \
         (s, file, offset, count))                                                                 \
    SELF(int, resolve, SOCKPORT_EAI_AGAIN,                                                         \
         (const sockport_backend *self, const char *host, const char *service,                     \
          const sockport_resolve_hints *hints, sockport_addr *out, size_t cap),                    \
         (host, service, hints, out, cap))                                                         \
    SOCK(int, adopt, SOCKPORT_ENOTSOCK,                                                            \
         (sockport_socket *s, sockport_native handle, int *family, int *type, int *protocol),      \
         (s, handle, family, type, protocol))                                                      \
    SOCK(int, release, SOCKPORT_EBADF, (sockport_socket *s, sockport_native *out), (s, out))       \
    SOCK(int, native_handle, SOCKPORT_EBADF, (sockport_socket *s, sockport_native *out), (s, out)) \
    SOCK(int, set_str, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int opt, const char *value),     \
         (s, opt, value))                                                                          \
    SOCK(int, get_str, SOCKPORT_ENOPROTOOPT,                                                       \
         (sockport_socket *s, int opt, char *buf, size_t cap), (s, opt, buf, cap))                 \
    SOCK(int, set_linger, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, bool on, int seconds),        \
         (s, on, seconds))                                                                         \
    SOCK(int, get_linger, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, bool *on, int *seconds),      \
         (s, on, seconds))                                                                         \
    SOCK(int, set_keepalive, SOCKPORT_ENOPROTOOPT,                                                 \
         (sockport_socket *s, bool on, int64_t idle_ms, int64_t interval_ms, int retries),         \
         (s, on, idle_ms, interval_ms, retries))                                                   \
    SOCK(int, multicast, SOCKPORT_EADDRNOTAVAIL,                                                   \
         (sockport_socket *s, int op, const sockport_addr *group, const sockport_addr *source,     \
          const sockport_addr *iface, uint32_t ifindex),                                           \
         (s, op, group, source, iface, ifindex))                                                   \
    SOCK(int, setsockopt_raw, SOCKPORT_ENOPROTOOPT,                                                \
         (sockport_socket *s, int level, int name, const void *value, size_t len),                 \
         (s, level, name, value, len))                                                             \
    SOCK(int, getsockopt_raw, SOCKPORT_ENOPROTOOPT,                                                \
         (sockport_socket *s, int level, int name, void *value, size_t *len),                      \
         (s, level, name, value, len))                                                             \
    SOCK(int, get_addr_opt, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int which,                  \
         sockport_addr *out), (s, which, out))                                                     \
    SOCK(int, set_addr_opt, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, int which,                  \
         const sockport_addr *a), (s, which, a))                                                   \
    SOCK(int, get_cookie, SOCKPORT_ENOPROTOOPT, (sockport_socket *s, uint64_t *out), (s, out))     \
    SOCK(int, attach_filter, SOCKPORT_ENOMEM,                                                      \
         (sockport_socket *s, const sockport_sock_filter *prog, size_t count), (s, prog, count))
/* clang-format on */

#define FAULT_SLOT_ENUM_(ret, name, natural, params, args) FAULT_SLOT_##name,

/* Slot numbers, in the struct's order. */
enum fault_slot {
    FAULT_SLOTS(FAULT_SLOT_ENUM_, FAULT_SLOT_ENUM_, FAULT_SLOT_ENUM_, FAULT_SLOT_ENUM_)
        FAULT_SLOT_COUNT_
};

/* A rule's slot: a slot number, or every slot. */
#define FAULT_SLOT_ALL (-1)

/* The slot number of name ("*" gives FAULT_SLOT_ALL), or -2 when unknown. */
int sockport__fault_slot_find(const char *name);

/* The natural error of a slot. */
int sockport__fault_natural(int slot);

/* The native code the running system uses for a SOCKPORT_E* code, or 0. */
int sockport__fault_os_code(int err);

/* The armed rule (slot resolved to a static name), or 0 when none. */
int sockport__fault_current(sockport_fault_rule *out);

#endif /* SOCKPORT_FAULT_SLOTS_H */
