/*
 * sockport: one socket API on Windows and POSIX.
 *
 * This header is the specification. Every function that can fail returns an
 * int (or a ptrdiff_t byte count): >= 0 is success, < 0 is a SOCKPORT_E* code.
 * Values of families, types, protocols, flags and errors are sockport's own,
 * identical on every platform; backends translate them.
 *
 * Conventions
 * - Out-parameters come first and are named `out`. A failing call never
 *   writes to them.
 * - A NULL handle, an unknown flag, family, type, option or shutdown mode, or a
 *   length that cannot be right is SOCKPORT_EINVAL, answered before any system
 *   call. Nothing aborts, nothing prints.
 * - Timeouts are milliseconds in int64_t.
 *
 * EINTR policy: sockport retries a call that a signal interrupted, the same on
 * every call, so SOCKPORT_EINTR is never returned by an I/O call. A timed call
 * (sockport_connect_timeout) retries with the time that remains. sockport_close
 * is never retried: the descriptor is gone after the first attempt on every
 * supported kernel. An interrupted blocking connect is completed by waiting
 * for the socket to become writable. Code that must wake up on a signal uses a
 * non-blocking socket and its own readiness loop.
 *
 * SIGPIPE: never raised. Writing to a socket whose peer is gone is
 * SOCKPORT_EPIPE (MSG_NOSIGNAL on Linux, SO_NOSIGPIPE where that exists).
 */
#ifndef SOCKPORT_SOCKPORT_H
#define SOCKPORT_SOCKPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*! \def SOCKPORT_API
 * Marks a public symbol: exported from the shared library, imported by its
 * users. Define SOCKPORT_STATIC when linking the static library on Windows. */
#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(SOCKPORT_STATIC)
#define SOCKPORT_API
#elif defined(SOCKPORT_BUILDING)
#define SOCKPORT_API __declspec(dllexport)
#else
#define SOCKPORT_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define SOCKPORT_API __attribute__((visibility("default")))
#else
#define SOCKPORT_API
#endif

/*! Major version: changes only with an incompatible ABI. */
#define SOCKPORT_VERSION_MAJOR 0
/*! Minor version: grows when API is added. */
#define SOCKPORT_VERSION_MINOR 1
/*! Patch version. */
#define SOCKPORT_VERSION_PATCH 0

/*! \return the library's version as "MAJOR.MINOR.PATCH"; never NULL. */
SOCKPORT_API const char *sockport_version(void);

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/*! The portable error table: X(NAME, value, message). Values are fixed,
 * negative, never renumbered; new codes are only appended. -1 is
 * SOCKPORT_EUNKNOWN so that a stray `return -1` is visible. */
#define SOCKPORT_ERRNO_MAP(X)                                                                      \
    X(EUNKNOWN, -1, "unknown error")                                                               \
    X(EINVAL, -2, "invalid argument")                                                              \
    X(ENOMEM, -3, "out of memory")                                                                 \
    X(ENOTSUP, -4, "operation not supported")                                                      \
    X(EAGAIN, -5, "resource temporarily unavailable")                                              \
    X(EINTR, -6, "interrupted system call")                                                        \
    X(ECONNREFUSED, -7, "connection refused")                                                      \
    X(ECONNRESET, -8, "connection reset by peer")                                                  \
    X(ECONNABORTED, -9, "software caused connection abort")                                        \
    X(ETIMEDOUT, -10, "connection timed out")                                                      \
    X(EADDRINUSE, -11, "address already in use")                                                   \
    X(EADDRNOTAVAIL, -12, "address not available")                                                 \
    X(EAFNOSUPPORT, -13, "address family not supported")                                           \
    X(EPROTONOSUPPORT, -14, "protocol not supported")                                              \
    X(EPROTOTYPE, -15, "protocol wrong type for socket")                                           \
    X(ESOCKTNOSUPPORT, -16, "socket type not supported")                                           \
    X(ENOTCONN, -17, "socket is not connected")                                                    \
    X(EISCONN, -18, "socket is already connected")                                                 \
    X(EINPROGRESS, -19, "operation in progress")                                                   \
    X(EALREADY, -20, "operation already in progress")                                              \
    X(EPIPE, -21, "broken pipe")                                                                   \
    X(EMSGSIZE, -22, "message too long")                                                           \
    X(ENOBUFS, -23, "no buffer space available")                                                   \
    X(EMFILE, -24, "too many open files")                                                          \
    X(ENFILE, -25, "too many open files in system")                                                \
    X(EACCES, -26, "permission denied")                                                            \
    X(EPERM, -27, "operation not permitted")                                                       \
    X(ENETUNREACH, -28, "network is unreachable")                                                  \
    X(EHOSTUNREACH, -29, "host is unreachable")                                                    \
    X(ENETDOWN, -30, "network is down")                                                            \
    X(ENETRESET, -31, "connection reset by network")                                               \
    X(EHOSTDOWN, -32, "host is down")                                                              \
    X(ENOSPC, -33, "no space left in buffer")                                                      \
    X(ENOENT, -34, "no such file or directory")                                                    \
    X(EBADF, -35, "bad file descriptor")                                                           \
    X(ENOTSOCK, -36, "not a socket")                                                               \
    X(ENOPROTOOPT, -37, "protocol not available")                                                  \
    X(ENAMETOOLONG, -38, "name too long")                                                          \
    X(ENODEV, -39, "no such device")                                                               \
    X(ENOTDIR, -40, "not a directory")                                                             \
    X(EROFS, -41, "read-only file system")                                                         \
    X(ELOOP, -42, "too many levels of symbolic links")                                             \
    X(EEXIST, -43, "already exists")                                                               \
    X(ESHUTDOWN, -44, "cannot send after socket shutdown")                                         \
    X(EPROTO, -45, "protocol error")                                                               \
    X(ECANCELED, -46, "operation canceled")                                                        \
    X(ENOTINIT, -47, "socket subsystem not initialised")                                           \
    X(EFAULT, -48, "bad address")

/*! The portable error codes. */
enum sockport_errno {
#define SOCKPORT_ERRNO_ENUM_(name, value, msg) SOCKPORT_##name = (value),
    SOCKPORT_ERRNO_MAP(SOCKPORT_ERRNO_ENUM_)
#undef SOCKPORT_ERRNO_ENUM_
    /*! The smallest (most negative) code currently defined. */
    SOCKPORT_ERRNO_MIN_ = SOCKPORT_EFAULT
};

/*! \param err a SOCKPORT_E* code (or anything else).
 * \return a short English message; "unknown error" for a value that is no
 * code. Never NULL. */
SOCKPORT_API const char *sockport_strerror(int err);

/*! \param err a SOCKPORT_E* code.
 * \return its name without the prefix, e.g. "ECONNREFUSED", or "EUNKNOWN"
 * for a value that is no code. Never NULL. */
SOCKPORT_API const char *sockport_err_name(int err);

/*! \return the native code (errno on POSIX, WSAGetLastError() on Windows)
 * behind this thread's most recent failing sockport call, or 0 when that
 * failure came from sockport itself (bad argument, unsupported feature). */
SOCKPORT_API int sockport_last_os_error(void);

/* ------------------------------------------------------------------------ */
/* Initialisation and allocation                                            */
/* ------------------------------------------------------------------------ */

/*! Initialises the default backend (WSAStartup on Windows). Optional: the
 * first call that needs it does it lazily and thread-safely. Each successful
 * call must be balanced by sockport_cleanup().
 * \return 0, or a SOCKPORT_E* code (e.g. SOCKPORT_ENOTINIT). */
SOCKPORT_API int sockport_init(void);

/*! Balances one sockport_init() (WSACleanup on Windows). For DLL hosts that
 * unload the library; ordinary programs need not call it. */
SOCKPORT_API void sockport_cleanup(void);

/*! An allocator for every allocation sockport makes. */
typedef struct sockport_allocator {
    /*! Returns a block of at least `size` bytes aligned for any type, or NULL. */
    void *(*alloc)(size_t size, void *userdata);
    /*! Releases a block from alloc; `size` is the size that was asked for. */
    void (*free)(void *ptr, size_t size, void *userdata);
    /*! Passed back to both functions. */
    void *userdata;
} sockport_allocator;

/*! Replaces the allocator (malloc/free by default). Call it before any socket
 * exists; a socket is always freed by the allocator that made it.
 * \param a the allocator, copied; NULL restores malloc/free.
 * \return 0, or SOCKPORT_EINVAL if a is missing a function. */
SOCKPORT_API int sockport_set_allocator(const sockport_allocator *a);

/* ------------------------------------------------------------------------ */
/* Constants                                                                */
/* ------------------------------------------------------------------------ */

/*! Address families. */
enum sockport_family {
    SOCKPORT_AF_UNSPEC = 0, /*!< no family (an empty address) */
    SOCKPORT_AF_INET = 1,   /*!< IPv4 */
    SOCKPORT_AF_INET6 = 2,  /*!< IPv6 */
    SOCKPORT_AF_UNIX = 3    /*!< Unix domain (AF_UNIX / AF_LOCAL) */
};

/*! Socket types. */
enum sockport_type {
    SOCKPORT_SOCK_STREAM = 1,    /*!< reliable byte stream (TCP) */
    SOCKPORT_SOCK_DGRAM = 2,     /*!< datagrams (UDP) */
    SOCKPORT_SOCK_SEQPACKET = 3, /*!< reliable ordered datagrams */
    SOCKPORT_SOCK_RAW = 4        /*!< raw network protocol access */
};

/*! Protocols (IANA numbers). 0 lets the system pick the default. */
enum sockport_protocol {
    SOCKPORT_IPPROTO_DEFAULT = 0, /*!< the family's and type's default */
    SOCKPORT_IPPROTO_ICMP = 1,    /*!< ICMP for IPv4 */
    SOCKPORT_IPPROTO_TCP = 6,     /*!< TCP */
    SOCKPORT_IPPROTO_UDP = 17,    /*!< UDP */
    SOCKPORT_IPPROTO_ICMPV6 = 58  /*!< ICMP for IPv6 */
};

/*! Flags for sockport_open(), sockport_pair() and sockport_accept(). */
enum sockport_open_flags {
    /*! Start in non-blocking mode. */
    SOCKPORT_F_NONBLOCK = 1u << 0,
    /*! Let child processes inherit the handle. Without it every socket
     * sockport makes (opened, accepted, paired, cloned) is close-on-exec /
     * not inheritable, set atomically where the system allows. */
    SOCKPORT_F_INHERIT = 1u << 1,
    /*! Windows: WSA_FLAG_REGISTERED_IO (sockport_open only). Elsewhere
     * SOCKPORT_ENOTSUP. */
    SOCKPORT_F_REGISTERED_IO = 1u << 2
};

/*! Flags for send and receive calls (input), and for what a receive reports
 * (output, see sockport_recv_from_flags()). */
enum sockport_msg_flags {
    SOCKPORT_MSG_PEEK = 1 << 0,     /*!< receive: look, leave the data queued */
    SOCKPORT_MSG_OOB = 1 << 1,      /*!< send or receive out-of-band data */
    SOCKPORT_MSG_DONTWAIT = 1 << 2, /*!< this call only: do not block */
    SOCKPORT_MSG_WAITALL = 1 << 3,  /*!< receive: wait for the whole buffer */
    SOCKPORT_MSG_TRUNC = 1 << 4,    /*!< output: the datagram was longer than the buffer */
    SOCKPORT_MSG_CTRUNC = 1 << 5    /*!< output: control data was truncated */
};

/*! Shutdown modes for sockport_shutdown(). */
enum sockport_shutdown_how {
    SOCKPORT_SHUT_RD = 0,  /*!< no more receiving */
    SOCKPORT_SHUT_WR = 1,  /*!< no more sending: the peer reads end of stream */
    SOCKPORT_SHUT_RDWR = 2 /*!< both */
};

/* ------------------------------------------------------------------------ */
/* Addresses                                                                */
/* ------------------------------------------------------------------------ */

/*! Longest Unix path (bytes, NUL excluded) a sockport_addr can hold: Linux's
 * and Windows' sizeof(sun_path) - 1. Systems with a shorter sun_path refuse
 * longer paths when the address is used (SOCKPORT_ENAMETOOLONG). */
#define SOCKPORT_UNIX_PATH_MAX 107

/*! Buffer size that holds any formatted address with its NUL: the worst case
 * is an abstract Unix name of SOCKPORT_UNIX_PATH_MAX bytes, each escaped as
 * \\xNN, after an '@'. An IPv6 address with zone and port needs at most 59. */
#define SOCKPORT_ADDRSTRLEN (1 + 4 * SOCKPORT_UNIX_PATH_MAX + 1)

/*! A socket address: IPv4, IPv6 (with flow info and scope), Unix path or
 * Linux abstract name. A complete type so that callers can keep it on the
 * stack or inside their own structs; the fields are private: use the
 * functions below. A zeroed value is the empty address (SOCKPORT_AF_UNSPEC).
 */
typedef struct sockport_addr {
    uint16_t family_;   /* private: SOCKPORT_AF_* */
    uint16_t port_;     /* private: host byte order */
    uint32_t flowinfo_; /* private: IPv6 flow information */
    uint32_t scope_id_; /* private: IPv6 scope (zone) index, 0 for none */
    uint16_t len_;      /* private: Unix path or abstract name length */
    uint8_t abstract_;  /* private: 1 for a Linux abstract name */
    uint8_t reserved_;  /* private: zero */
    union {
        uint8_t ip[16];                        /* private: v4 in ip[0..3] */
        char path[SOCKPORT_UNIX_PATH_MAX + 1]; /* private: Unix path or name */
    } u_;
} sockport_addr;

/*! Parses an IP address with a port: "1.2.3.4:80", "[::1]:80",
 * "[fe80::1%eth0]:80", "[fe80::1%2]:80". The policy is strict and the same on
 * every system: four decimal octets without leading zeros; RFC 4291 IPv6 text
 * with at most one "::" and an optional trailing dotted IPv4; a zone is a
 * decimal index (any IPv6 address) or an interface name (link-local and
 * multicast only, resolved by the backend); the port is decimal 0-65535
 * without leading zeros. Nothing may come before or after.
 * \param out receives the address; untouched on failure.
 * \param text NUL-terminated text.
 * \return 0; SOCKPORT_EINVAL for any malformed text; SOCKPORT_ENODEV for an
 * interface name that does not exist. */
SOCKPORT_API int sockport_addr_parse(sockport_addr *out, const char *text);

/*! Makes an address from a bare IP literal and a port: "1.2.3.4", "::1",
 * "fe80::1%eth0". Same policy as sockport_addr_parse(), without brackets.
 * \param out receives the address; untouched on failure.
 * \param ip NUL-terminated literal.
 * \param port port in host byte order.
 * \return 0, SOCKPORT_EINVAL or SOCKPORT_ENODEV. */
SOCKPORT_API int sockport_addr_ip(sockport_addr *out, const char *ip, uint16_t port);

/*! Makes an IPv4 address.
 * \param out receives the address.
 * \param ip the four octets in network order ({127, 0, 0, 1}).
 * \param port port in host byte order.
 * \return 0 or SOCKPORT_EINVAL (NULL argument). */
SOCKPORT_API int sockport_addr_ipv4(sockport_addr *out, const uint8_t ip[4], uint16_t port);

/*! Makes an IPv6 address.
 * \param out receives the address.
 * \param ip the sixteen bytes in network order.
 * \param port port in host byte order.
 * \param flowinfo flow information, host byte order (20 bits used).
 * \param scope_id zone index, 0 for none.
 * \return 0 or SOCKPORT_EINVAL (NULL argument, flowinfo over 20 bits). */
SOCKPORT_API int sockport_addr_ipv6(sockport_addr *out, const uint8_t ip[16], uint16_t port,
                                    uint32_t flowinfo, uint32_t scope_id);

/*! Makes a Unix path address. The path is never truncated.
 * \param out receives the address.
 * \param path NUL-terminated path, 1 to SOCKPORT_UNIX_PATH_MAX bytes.
 * \return 0; SOCKPORT_EINVAL for NULL or an empty path (an empty path would
 * silently autobind on Linux); SOCKPORT_ENAMETOOLONG for a longer path. */
SOCKPORT_API int sockport_addr_unix(sockport_addr *out, const char *path);

/*! Makes a Linux abstract-namespace Unix address (no leading NUL: sockport
 * adds it). NULs inside the name are allowed.
 * \param out receives the address.
 * \param name the name's bytes.
 * \param len 0 to SOCKPORT_UNIX_PATH_MAX.
 * \return 0; SOCKPORT_EINVAL for NULL with len > 0; SOCKPORT_ENAMETOOLONG for
 * len over the maximum; SOCKPORT_ENOTSUP on systems without abstract names. */
SOCKPORT_API int sockport_addr_abstract(sockport_addr *out, const void *name, size_t len);

/*! Formats an address (RFC 5952 for IPv6): "1.2.3.4:80", "[2001:db8::1]:80",
 * "[fe80::1%2]:80" (zones as numbers), a Unix path as itself, an abstract name
 * as "@" and the name with bytes outside printable ASCII (and the backslash)
 * escaped as \\xNN. An unnamed Unix address and the empty address format as "".
 * sockport_addr_parse() of the IP text gives the address back.
 * \param a the address.
 * \param buf where to write the text and its NUL.
 * \param cap size of buf.
 * \return the length written (NUL excluded); SOCKPORT_ENOSPC if cap is shorter
 * than that length plus one (buf then holds nothing useful); SOCKPORT_EINVAL
 * for NULL arguments or a corrupt address. */
SOCKPORT_API int sockport_addr_format(const sockport_addr *a, char *buf, size_t cap);

/*! Formats the IP alone, without port or brackets ("::1", "fe80::1%2").
 * \return as sockport_addr_format(); SOCKPORT_EINVAL for a non-IP address. */
SOCKPORT_API int sockport_addr_format_ip(const sockport_addr *a, char *buf, size_t cap);

/*! \return the address's SOCKPORT_AF_* (SOCKPORT_AF_UNSPEC for the empty
 * address), or SOCKPORT_EINVAL for NULL. */
SOCKPORT_API int sockport_addr_family(const sockport_addr *a);

/*! \return the port (0-65535) of an IP address; SOCKPORT_EINVAL for NULL or a
 * non-IP address. */
SOCKPORT_API int sockport_addr_port(const sockport_addr *a);

/*! Changes the port of an IP address.
 * \return 0, or SOCKPORT_EINVAL for NULL or a non-IP address. */
SOCKPORT_API int sockport_addr_set_port(sockport_addr *a, uint16_t port);

/*! Copies out the raw IP bytes.
 * \param a an IP address.
 * \param out 16 bytes of room; receives 4 bytes for IPv4, 16 for IPv6.
 * \return the number of bytes written (4 or 16), or SOCKPORT_EINVAL. */
SOCKPORT_API int sockport_addr_ip_bytes(const sockport_addr *a, uint8_t out[16]);

/*! \return the IPv6 scope (zone) index, 0 for none; SOCKPORT_EINVAL for a
 * non-IPv6 address. (Returned as int64_t since an index fills 32 bits.) */
SOCKPORT_API int64_t sockport_addr_scope_id(const sockport_addr *a);

/*! \return the IPv6 flow information (host byte order, 20 bits); SOCKPORT_EINVAL
 * for a non-IPv6 address. */
SOCKPORT_API int64_t sockport_addr_flowinfo(const sockport_addr *a);

/*! Total order on addresses: family, then IP bytes, port, scope, flow info,
 * or the Unix kind, length and bytes.
 * \return < 0, 0 or > 0 like strcmp; 0 for two NULLs. A NULL sorts first. */
SOCKPORT_API int sockport_addr_compare(const sockport_addr *a, const sockport_addr *b);

/*! Converts a native address (struct sockaddr_in, sockaddr_in6, sockaddr_un)
 * as the default backend's system lays it out. Never reads past len; a Unix
 * address that a kernel returned without a terminating NUL is accepted.
 * \param out receives the address; untouched on failure.
 * \param sa the native address.
 * \param len its length in bytes.
 * \return 0; SOCKPORT_EINVAL for NULL, a short length or a corrupt address;
 * SOCKPORT_EAFNOSUPPORT for a family sockport does not know. */
SOCKPORT_API int sockport_addr_from_native(sockport_addr *out, const void *sa, size_t len);

/*! Converts to the native layout of the default backend's system.
 * \param a the address.
 * \param sa where to write (a struct sockaddr_storage is always enough).
 * \param len in: the room at sa; out: the native length.
 * \return 0; SOCKPORT_ENOSPC if the room is short (*len then holds the length
 * needed); SOCKPORT_EINVAL for NULL or the empty address;
 * SOCKPORT_EAFNOSUPPORT or SOCKPORT_ENOTSUP where the system lacks the form. */
SOCKPORT_API int sockport_addr_to_native(const sockport_addr *a, void *sa, size_t *len);

/* ------------------------------------------------------------------------ */
/* Sockets                                                                  */
/* ------------------------------------------------------------------------ */

/*! An open socket. Opaque; made by sockport_open(), sockport_pair(),
 * sockport_accept() or sockport_try_clone(), freed by sockport_close().
 * One socket may be used from several threads at once for I/O, as its native
 * handle may; sockport_close() must not race any other call on it. */
typedef struct sockport_socket sockport_socket;

/*! Opens a socket on the default backend.
 * \param out receives the socket; untouched on failure.
 * \param family SOCKPORT_AF_INET, _INET6 or _UNIX.
 * \param type SOCKPORT_SOCK_*.
 * \param protocol 0 or a SOCKPORT_IPPROTO_* value.
 * \param flags SOCKPORT_F_NONBLOCK | SOCKPORT_F_INHERIT |
 *        SOCKPORT_F_REGISTERED_IO.
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_EAFNOSUPPORT where the running
 * system lacks the family, e.g. AF_UNIX on old Windows). */
SOCKPORT_API int sockport_open(sockport_socket **out, int family, int type, int protocol,
                               unsigned flags);

/*! Makes a pair of connected sockets. On Windows it uses AF_UNIX where that
 * works and otherwise a loopback TCP pair made safely (exclusive listener,
 * bounded accept, a random cookie checked on the accepted connection).
 * \param out receives both sockets; untouched on failure.
 * \param family SOCKPORT_AF_UNIX (or AF_INET/INET6 for a loopback pair where
 *        the backend offers it).
 * \param type SOCKPORT_SOCK_STREAM, _DGRAM or _SEQPACKET.
 * \param protocol 0.
 * \param flags SOCKPORT_F_NONBLOCK | SOCKPORT_F_INHERIT.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_pair(sockport_socket *out[2], int family, int type, int protocol,
                               unsigned flags);

/*! Closes the socket and frees the handle, even when the system reports an
 * error (the handle is gone either way).
 * \param s the socket; NULL is SOCKPORT_EINVAL.
 * \return 0, or the error the system reported while closing. */
SOCKPORT_API int sockport_close(sockport_socket *s);

/*! Binds to a local address.
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_EADDRINUSE, SOCKPORT_EACCES …);
 * SOCKPORT_EAFNOSUPPORT when the address's family is not the socket's. */
SOCKPORT_API int sockport_bind(sockport_socket *s, const sockport_addr *a);

/*! Starts listening.
 * \param backlog queue length hint, >= 0; values over the system maximum are
 *        clamped by the system.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_listen(sockport_socket *s, int backlog);

/*! Accepts a connection. The new socket is not inherited by child processes
 * unless flags has SOCKPORT_F_INHERIT.
 * \param s a listening socket.
 * \param out receives the new socket; untouched on failure.
 * \param peer receives the peer's address; may be NULL.
 * \param flags SOCKPORT_F_NONBLOCK | SOCKPORT_F_INHERIT.
 * \return 0, SOCKPORT_EAGAIN on a non-blocking socket with nothing pending,
 * or another SOCKPORT_E* code. */
SOCKPORT_API int sockport_accept(sockport_socket *s, sockport_socket **out, sockport_addr *peer,
                                 unsigned flags);

/*! Connects. On a non-blocking socket a connection in progress answers
 * SOCKPORT_EINPROGRESS (also on Windows, where the system says
 * WSAEWOULDBLOCK); completion is then read with sockport_take_error().
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_connect(sockport_socket *s, const sockport_addr *a);

/*! Connects, giving up after a timeout. The socket's blocking mode is the
 * same afterwards as before.
 * \param timeout_ms > 0 milliseconds; 0 only checks whether the connection
 *        completed at once.
 * \return 0, SOCKPORT_ETIMEDOUT, or the connection's error
 * (SOCKPORT_ECONNREFUSED …). */
SOCKPORT_API int sockport_connect_timeout(sockport_socket *s, const sockport_addr *a,
                                          int64_t timeout_ms);

/*! Reads the local address (getsockname).
 * \param out receives it; untouched on failure.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_local_addr(sockport_socket *s, sockport_addr *out);

/*! Reads the peer's address (getpeername).
 * \param out receives it; untouched on failure.
 * \return 0, SOCKPORT_ENOTCONN, or another SOCKPORT_E* code. */
SOCKPORT_API int sockport_peer_addr(sockport_socket *s, sockport_addr *out);

/*! Makes a second handle to the same socket (dup / WSADuplicateSocket). The
 * clone is never inherited by child processes and starts with the original's
 * remembered blocking mode.
 * \param out receives the clone; untouched on failure.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_try_clone(sockport_socket *s, sockport_socket **out);

/*! Switches non-blocking mode. The handle remembers the mode, since Windows
 * cannot read it back.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_set_nonblocking(sockport_socket *s, bool on);

/*! Reads the remembered non-blocking mode.
 * \param out receives true when the socket is non-blocking.
 * \return 0 or SOCKPORT_EINVAL. */
SOCKPORT_API int sockport_get_nonblocking(sockport_socket *s, bool *out);

/*! Shuts down one or both directions.
 * \param how SOCKPORT_SHUT_RD, _WR or _RDWR.
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_ENOTCONN if not connected). */
SOCKPORT_API int sockport_shutdown(sockport_socket *s, int how);

/*! Reads and clears the socket's pending error (SO_ERROR).
 * \return 0 when none is pending, the pending error as a SOCKPORT_E* code,
 * or the error of reading it. */
SOCKPORT_API int sockport_take_error(sockport_socket *s);

/*! Sends bytes on a connected socket. Lengths over what one system call takes
 * (INT_MAX on Windows) are clamped: the result is then a short count.
 * \param flags 0 or SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT.
 * \return the number of bytes sent (>= 0) or a SOCKPORT_E* code
 * (SOCKPORT_EAGAIN, SOCKPORT_EPIPE …). buf may be NULL only when len is 0. */
SOCKPORT_API ptrdiff_t sockport_send(sockport_socket *s, const void *buf, size_t len, int flags);

/*! Receives bytes. A datagram longer than len is truncated to len (see
 * sockport_recv_from_flags() to learn that it was).
 * \param flags 0 or SOCKPORT_MSG_PEEK | _OOB | _DONTWAIT | _WAITALL.
 * \return the number of bytes received; 0 at end of stream (also after this
 * side's SOCKPORT_SHUT_RD, on every system); or a SOCKPORT_E* code. */
SOCKPORT_API ptrdiff_t sockport_recv(sockport_socket *s, void *buf, size_t len, int flags);

/*! Sends a datagram (or bytes) to an address.
 * \param flags as sockport_send().
 * \return the number of bytes sent or a SOCKPORT_E* code. */
SOCKPORT_API ptrdiff_t sockport_send_to(sockport_socket *s, const void *buf, size_t len, int flags,
                                        const sockport_addr *to);

/*! Receives a datagram (or bytes) and the sender's address.
 * \param flags as sockport_recv().
 * \param from receives the sender's address; may be NULL. A connection-mode
 *        socket may report the empty address.
 * \return as sockport_recv(). */
SOCKPORT_API ptrdiff_t sockport_recv_from(sockport_socket *s, void *buf, size_t len, int flags,
                                          sockport_addr *from);

/*! Receives like sockport_recv_from() and reports what happened.
 * \param from may be NULL.
 * \param out_flags receives SOCKPORT_MSG_TRUNC when the datagram was longer
 *        than len (the first len bytes were received), else 0; may be NULL.
 * \return as sockport_recv(). */
SOCKPORT_API ptrdiff_t sockport_recv_from_flags(sockport_socket *s, void *buf, size_t len,
                                                int flags, sockport_addr *from, int *out_flags);

/* ------------------------------------------------------------------------ */
/* Options                                                                  */
/* ------------------------------------------------------------------------ */

/*! Socket options: SOCKPORT_OPT_ then the native constant's full name, so a
 * user who knows the option finds it by grep. Values are fixed and only
 * appended. Each option has a kind (bool, int or timeout), a range and the
 * families and types it applies to; the core checks them before any system
 * call. */
enum sockport_option {
    /*! bool. Portable "allow binding while old connections linger in
     * TIME_WAIT". POSIX: SO_REUSEADDR. Windows: remembered but never passed to
     * WinSock, whose SO_REUSEADDR lets another socket steal a bound port;
     * Windows already allows that rebinding. See SO_EXCLUSIVEADDRUSE. */
    SOCKPORT_OPT_SO_REUSEADDR = 1,
    SOCKPORT_OPT_SO_KEEPALIVE = 2, /*!< bool: send keepalive probes */
    SOCKPORT_OPT_SO_BROADCAST = 3, /*!< bool: allow broadcast datagrams */
    SOCKPORT_OPT_SO_RCVBUF = 4,    /*!< int >= 0: receive buffer size (Linux reads back 2x) */
    SOCKPORT_OPT_SO_SNDBUF = 5,    /*!< int >= 0: send buffer size (Linux reads back 2x) */
    SOCKPORT_OPT_SO_TYPE = 6,      /*!< int, read-only: the SOCKPORT_SOCK_* type */
    SOCKPORT_OPT_SO_ERROR = 7,     /*!< int, read-only: pending error as SOCKPORT_E*, cleared */
    SOCKPORT_OPT_TCP_NODELAY = 8,  /*!< bool: disable Nagle's algorithm (TCP) */
    SOCKPORT_OPT_IP_TTL = 9,       /*!< int 1-255: IPv4 time to live */
    SOCKPORT_OPT_IPV6_V6ONLY = 10, /*!< bool: IPv6 only, no IPv4-mapped traffic */
    SOCKPORT_OPT_SO_RCVTIMEO = 11, /*!< timeout: see sockport_set_recv_timeout() */
    SOCKPORT_OPT_SO_SNDTIMEO = 12, /*!< timeout: see sockport_set_send_timeout() */
    /*! bool, Windows only: no other socket may bind this port, whatever its
     * options. Elsewhere SOCKPORT_ENOTSUP. */
    SOCKPORT_OPT_SO_EXCLUSIVEADDRUSE = 13,
    SOCKPORT_OPT_SO_REUSEPORT = 14,      /*!< bool: load-balanced binding (Linux, BSD) */
    SOCKPORT_OPT_SO_OOBINLINE = 15,      /*!< bool: out-of-band data inline */
    SOCKPORT_OPT_SO_ACCEPTCONN = 16,     /*!< bool, read-only: the socket is listening */
    SOCKPORT_OPT_IPV6_UNICAST_HOPS = 17, /*!< int 1-255 (or -1: system default on set) */
    /*! bool, Windows UDP only: report an earlier ICMP port-unreachable as
     * SOCKPORT_ECONNRESET on the next receive. sockport turns it off when it
     * opens a UDP socket, so an unconnected UDP socket keeps receiving as it
     * does on POSIX. Elsewhere SOCKPORT_ENOTSUP. */
    SOCKPORT_OPT_SIO_UDP_CONNRESET = 18,
    SOCKPORT_OPT_MAX_ = 18 /*!< the highest option value this version knows */
};

/*! Sets a boolean option.
 * \param opt a SOCKPORT_OPT_* of kind bool.
 * \return 0; SOCKPORT_EINVAL for an unknown option or one of another kind;
 * SOCKPORT_ENOPROTOOPT when the option does not apply to this socket's family
 * or type; SOCKPORT_ENOTSUP when the running system lacks it. */
SOCKPORT_API int sockport_set_bool(sockport_socket *s, int opt, bool v);

/*! Reads a boolean option (whatever width the system wrote).
 * \param out receives the value; untouched on failure.
 * \return as sockport_set_bool(). */
SOCKPORT_API int sockport_get_bool(sockport_socket *s, int opt, bool *out);

/*! Sets an integer option.
 * \param opt a SOCKPORT_OPT_* of kind int (or bool: 0 or 1).
 * \param v a value in the option's range, else SOCKPORT_EINVAL.
 * \return as sockport_set_bool(). */
SOCKPORT_API int sockport_set_int(sockport_socket *s, int opt, int v);

/*! Reads an integer option (bool options read as 0 or 1).
 * \param out receives the value; untouched on failure.
 * \return as sockport_set_bool(). */
SOCKPORT_API int sockport_get_int(sockport_socket *s, int opt, int *out);

/*! Sets the receive timeout (SO_RCVTIMEO): a blocking receive that waits
 * longer fails with SOCKPORT_EAGAIN (SOCKPORT_ETIMEDOUT on some systems).
 * \param ms > 0 milliseconds, or 0 for no timeout; negative is
 *        SOCKPORT_EINVAL. Values beyond what the system stores are clamped.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_set_recv_timeout(sockport_socket *s, int64_t ms);

/*! Reads the receive timeout.
 * \param out receives milliseconds, 0 for none (rounded up to whole ms).
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_get_recv_timeout(sockport_socket *s, int64_t *out);

/*! Sets the send timeout (SO_SNDTIMEO); as sockport_set_recv_timeout(). */
SOCKPORT_API int sockport_set_send_timeout(sockport_socket *s, int64_t ms);

/*! Reads the send timeout; as sockport_get_recv_timeout(). */
SOCKPORT_API int sockport_get_send_timeout(sockport_socket *s, int64_t *out);

/*! Tells whether an option can be used on this socket on the running system,
 * without changing anything.
 * \return 1 if supported, 0 if not (family, type or system), SOCKPORT_EINVAL
 * for a NULL socket or an unknown option. */
SOCKPORT_API int sockport_option_supported(sockport_socket *s, int opt);

/*! \return the option's native name without SOCKPORT_OPT_ ("TCP_NODELAY"),
 * or NULL for an unknown option. */
SOCKPORT_API const char *sockport_option_name(int opt);

#ifdef __cplusplus
}
#endif

#endif /* SOCKPORT_SOCKPORT_H */
