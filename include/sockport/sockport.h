/*! \file sockport.h
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
    X(EFAULT, -48, "bad address")                                                                  \
    X(EAI_NONAME, -49, "name or service not known")                                                \
    X(EAI_AGAIN, -50, "temporary failure in name resolution")                                      \
    X(EAI_FAIL, -51, "non-recoverable failure in name resolution")                                 \
    X(EAI_SERVICE, -52, "service not supported for socket type")                                   \
    X(EAI_FAMILY, -53, "address family not supported by resolver")                                 \
    X(EAI_NODATA, -54, "name has no usable address")

/*! The portable error codes. */
enum sockport_errno {
/*! \cond PRIVATE */
#define SOCKPORT_ERRNO_ENUM_(name, value, msg) SOCKPORT_##name = (value),
    /*! \endcond */
    SOCKPORT_ERRNO_MAP(SOCKPORT_ERRNO_ENUM_)
#undef SOCKPORT_ERRNO_ENUM_
    /*! The smallest (most negative) code currently defined. */
    SOCKPORT_ERRNO_MIN_ = SOCKPORT_EAI_NODATA
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
    /*! \cond PRIVATE */
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
    /*! \endcond */
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
    SOCKPORT_OPT_SO_PASSCRED = 19,      /*!< bool, Unix sockets (Linux): receive credentials */
    SOCKPORT_OPT_SO_PRIORITY = 20,      /*!< int >= 0 (Linux): queueing priority */
    SOCKPORT_OPT_SO_REUSEPORT_LB = 21,  /*!< bool (FreeBSD): load-balanced SO_REUSEPORT */
    SOCKPORT_OPT_SO_DOMAIN = 22,        /*!< int, read-only: the SOCKPORT_AF_* family */
    SOCKPORT_OPT_SO_PROTOCOL = 23,      /*!< int, read-only: the protocol (IANA number) */
    SOCKPORT_OPT_SO_MARK = 24,          /*!< int >= 0 (Linux, needs CAP_NET_ADMIN): fwmark */
    SOCKPORT_OPT_SO_BINDTOIFINDEX = 25, /*!< int >= 0 (Linux): bind to interface index, 0 unbinds */
    SOCKPORT_OPT_SO_INCOMING_CPU = 26,  /*!< int >= 0 (Linux): CPU affinity of the socket */
    SOCKPORT_OPT_SO_BUSY_POLL = 27,     /*!< int >= 0 (Linux): busy-poll microseconds */
    SOCKPORT_OPT_SO_NOSIGPIPE = 28,     /*!< bool (Apple, BSD): sockport sets it on every socket */
    SOCKPORT_OPT_SO_RCVLOWAT = 29,      /*!< int >= 1: receive low-water mark */
    SOCKPORT_OPT_SO_SNDLOWAT = 30,      /*!< int >= 1: send low-water mark (read-only on Linux) */
    SOCKPORT_OPT_IP_TOS = 31,           /*!< int 0-255: IPv4 type of service */
    SOCKPORT_OPT_IP_RECVTOS = 32,       /*!< bool: deliver the TOS as a control message */
    SOCKPORT_OPT_IP_HDRINCL = 33,       /*!< bool, raw sockets: the caller writes the IPv4 header */
    SOCKPORT_OPT_IP_TRANSPARENT = 34,   /*!< bool (Linux, privileged): transparent proxying */
    SOCKPORT_OPT_IP_FREEBIND = 35,      /*!< bool (Linux): bind to an address not yet present */
    SOCKPORT_OPT_IP_MULTICAST_LOOP = 36, /*!< bool: loop outgoing IPv4 multicast back */
    SOCKPORT_OPT_IP_MULTICAST_TTL = 37,  /*!< int 0-255: IPv4 multicast TTL */
    SOCKPORT_OPT_IP_MULTICAST_ALL = 38,  /*!< bool (Linux): receive all groups joined on the host */
    SOCKPORT_OPT_IP_PKTINFO = 39,        /*!< bool: deliver SOCKPORT_CMSG_PKTINFO (destination) */
    SOCKPORT_OPT_IP_RECVERR = 40,        /*!< bool (Linux): queue ICMP errors */
    /*! int SOCKPORT_PMTUD_*: IPv4 path MTU discovery (Linux, Windows). */
    SOCKPORT_OPT_IP_MTU_DISCOVER = 41,
    SOCKPORT_OPT_IPV6_MULTICAST_HOPS = 42, /*!< int -1-255: IPv6 multicast hop limit */
    SOCKPORT_OPT_IPV6_MULTICAST_IF = 43,   /*!< int >= 0: interface index for IPv6 multicast */
    SOCKPORT_OPT_IPV6_MULTICAST_LOOP = 44, /*!< bool: loop outgoing IPv6 multicast back */
    SOCKPORT_OPT_IPV6_MULTICAST_ALL = 45,  /*!< bool (Linux) */
    SOCKPORT_OPT_IPV6_RECVTCLASS = 46,     /*!< bool: deliver SOCKPORT_CMSG_TCLASS */
    SOCKPORT_OPT_IPV6_TCLASS = 47,         /*!< int -1-255: IPv6 traffic class */
    SOCKPORT_OPT_IPV6_RECVHOPLIMIT = 48,   /*!< bool: deliver SOCKPORT_CMSG_HOPLIMIT */
    SOCKPORT_OPT_IPV6_HDRINCL = 49,        /*!< bool, raw sockets: the caller writes the header */
    SOCKPORT_OPT_IPV6_TRANSPARENT = 50,    /*!< bool (Linux, privileged) */
    SOCKPORT_OPT_IPV6_FREEBIND = 51,       /*!< bool (Linux) */
    SOCKPORT_OPT_IPV6_RECVPKTINFO = 52,    /*!< bool: deliver SOCKPORT_CMSG_PKTINFO */
    SOCKPORT_OPT_IPV6_RECVERR = 53,        /*!< bool (Linux): queue ICMPv6 errors */
    SOCKPORT_OPT_IPV6_MTU_DISCOVER = 54,   /*!< int SOCKPORT_PMTUD_* */
    /*! int >= 1: seconds idle before the first keepalive probe (TCP_KEEPALIVE on
     * Apple; on Windows without TCP_KEEPIDLE, SIO_KEEPALIVE_VALS). */
    SOCKPORT_OPT_TCP_KEEPIDLE = 55,
    SOCKPORT_OPT_TCP_KEEPINTVL = 56,            /*!< int >= 1: seconds between keepalive probes */
    SOCKPORT_OPT_TCP_KEEPCNT = 57,              /*!< int >= 1: probes before the connection drops */
    SOCKPORT_OPT_TCP_MAXSEG = 58,               /*!< int >= 0: maximum segment size */
    SOCKPORT_OPT_TCP_CORK = 59,                 /*!< bool (Linux): hold partial frames */
    SOCKPORT_OPT_TCP_QUICKACK = 60,             /*!< bool (Linux): acknowledge at once */
    SOCKPORT_OPT_TCP_THIN_LINEAR_TIMEOUTS = 61, /*!< bool (Linux) */
    SOCKPORT_OPT_TCP_NOTSENT_LOWAT = 62,        /*!< int >= 0 (Linux, Apple) */
    SOCKPORT_OPT_TCP_USER_TIMEOUT = 63,         /*!< int >= 0 ms (Linux): 0 is the system default */
    SOCKPORT_OPT_TCP_FASTOPEN = 64,             /*!< int >= 0: TFO queue length on a listener */
    SOCKPORT_OPT_UDP_SEGMENT = 65,              /*!< int 0-65535 (Linux): GSO segment size, 0 off */
    SOCKPORT_OPT_UDP_GRO = 66,                  /*!< bool (Linux): coalesce received datagrams */
    /*! int 0-255, Windows, set only: delayed-ACK frequency (SIO_TCP_SET_ACK_FREQUENCY). */
    SOCKPORT_OPT_SIO_TCP_SET_ACK_FREQUENCY = 67,
    /*! string (Linux): bind to an interface by name; "" unbinds. */
    SOCKPORT_OPT_SO_BINDTODEVICE = 68,
    /*! string (Linux, FreeBSD): congestion control algorithm ("cubic"). */
    SOCKPORT_OPT_TCP_CONGESTION = 69,
    SOCKPORT_OPT_MAX_ = 69 /*!< the highest option value this version knows */
};

/*! Path MTU discovery modes for SOCKPORT_OPT_IP_MTU_DISCOVER and
 * SOCKPORT_OPT_IPV6_MTU_DISCOVER. */
enum sockport_pmtud {
    SOCKPORT_PMTUD_DONT = 0, /*!< never set DF; fragment locally */
    SOCKPORT_PMTUD_WANT = 1, /*!< use per-route hints (Linux default) */
    SOCKPORT_PMTUD_DO = 2,   /*!< always set DF; EMSGSIZE when too big */
    SOCKPORT_PMTUD_PROBE = 3 /*!< set DF, ignore the path MTU */
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

/*! Sets a string option (SOCKPORT_OPT_SO_BINDTODEVICE, _TCP_CONGESTION).
 * \param value NUL-terminated, at most 255 bytes.
 * \return as sockport_set_bool(). */
SOCKPORT_API int sockport_set_str(sockport_socket *s, int opt, const char *value);

/*! Reads a string option.
 * \param buf receives the value and a NUL.
 * \param cap size of buf.
 * \return the length (NUL excluded); SOCKPORT_ENOSPC when cap is short;
 * otherwise as sockport_set_bool(). */
SOCKPORT_API int sockport_get_str(sockport_socket *s, int opt, char *buf, size_t cap);

/*! Sets SO_LINGER.
 * \param on whether close waits for unsent data.
 * \param seconds 0-65535 (Windows stores 16 bits); with on and 0, close
 *        resets the connection (the peer sees SOCKPORT_ECONNRESET).
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_set_linger(sockport_socket *s, bool on, int seconds);

/*! Reads SO_LINGER.
 * \param on receives whether linger is on.
 * \param seconds receives the linger time.
 * \return 0 or a SOCKPORT_E* code; outputs untouched on failure. */
SOCKPORT_API int sockport_get_linger(sockport_socket *s, bool *on, int *seconds);

/*! Turns TCP keepalive on or off, with its timing in one call. On Windows
 * without TCP_KEEPIDLE/TCP_KEEPINTVL (decided at run time) this is
 * SIO_KEEPALIVE_VALS, which needs both times: sockport remembers the last ones
 * set (defaults 2 hours and 1 second, Windows' own).
 * \param on SO_KEEPALIVE.
 * \param idle_ms time idle before the first probe, > 0, or 0 to leave it.
 * \param interval_ms time between probes, > 0, or 0 to leave it.
 * \param retries probes before the connection drops, > 0, or 0 to leave it.
 * POSIX stores whole seconds: times are rounded up.
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_ENOTSUP for a part the system
 * cannot set). */
SOCKPORT_API int sockport_set_tcp_keepalive(sockport_socket *s, bool on, int64_t idle_ms,
                                            int64_t interval_ms, int retries);

/*! Joins a multicast group.
 * \param group an IPv4 or IPv6 multicast address of the socket's family
 *        (the port is ignored).
 * \param iface IPv4 only: the local interface's address, or NULL to use
 *        ifindex. Must be NULL for IPv6.
 * \param ifindex interface index (0: the system chooses).
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_join_multicast(sockport_socket *s, const sockport_addr *group,
                                         const sockport_addr *iface, uint32_t ifindex);

/*! Leaves a multicast group; arguments as sockport_join_multicast(). */
SOCKPORT_API int sockport_leave_multicast(sockport_socket *s, const sockport_addr *group,
                                          const sockport_addr *iface, uint32_t ifindex);

/*! Joins a source-specific multicast group (SSM).
 * \param group the multicast group.
 * \param source the one sender to receive from (same family).
 * \param iface, ifindex as sockport_join_multicast().
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_join_source_multicast(sockport_socket *s, const sockport_addr *group,
                                                const sockport_addr *source,
                                                const sockport_addr *iface, uint32_t ifindex);

/*! Leaves a source-specific group; arguments as
 * sockport_join_source_multicast(). */
SOCKPORT_API int sockport_leave_source_multicast(sockport_socket *s, const sockport_addr *group,
                                                 const sockport_addr *source,
                                                 const sockport_addr *iface, uint32_t ifindex);

/*! Sets the interface for outgoing IPv4 multicast (IP_MULTICAST_IF).
 * \param iface a local IPv4 address (0.0.0.0: the system chooses).
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_set_multicast_if_v4(sockport_socket *s, const sockport_addr *iface);

/*! Reads IP_MULTICAST_IF.
 * \param out receives the interface address (port 0).
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_get_multicast_if_v4(sockport_socket *s, sockport_addr *out);

/*! Reads the original destination of a redirected connection
 * (SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST on Linux, WFP redirect on Windows).
 * \param out receives the address.
 * \return 0; SOCKPORT_ENOENT (or the system's code) when not redirected;
 * SOCKPORT_ENOTSUP where the system lacks it. */
SOCKPORT_API int sockport_original_dst(sockport_socket *s, sockport_addr *out);

/*! Reads SO_COOKIE, the kernel's unique socket id (Linux).
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_ENOTSUP elsewhere). */
SOCKPORT_API int sockport_get_cookie(sockport_socket *s, uint64_t *out);

/*! One classic BPF instruction (struct sock_filter). */
typedef struct sockport_sock_filter {
    uint16_t code; /*!< opcode */
    uint8_t jt;    /*!< jump if true */
    uint8_t jf;    /*!< jump if false */
    uint32_t k;    /*!< generic field */
} sockport_sock_filter;

/*! Attaches a classic BPF program (SO_ATTACH_FILTER, Linux).
 * \param prog the instructions.
 * \param count 1-65535 instructions.
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_ENOTSUP elsewhere). */
SOCKPORT_API int sockport_attach_filter(sockport_socket *s, const sockport_sock_filter *prog,
                                        size_t count);

/*! Detaches the BPF program (SO_DETACH_FILTER, Linux).
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_detach_filter(sockport_socket *s);

/*! Sets a native option with the system's own level and name (the escape
 * hatch: not portable, not validated beyond its arguments).
 * \param level native level (SOL_SOCKET, IPPROTO_TCP …).
 * \param name native option name.
 * \param value the bytes to pass; may be NULL only when len is 0.
 * \param len at most 65536.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_setsockopt_raw(sockport_socket *s, int level, int name, const void *value,
                                         size_t len);

/*! Reads a native option.
 * \param value receives the bytes.
 * \param len in: room at value (at most 65536); out: bytes written.
 * \return 0 or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_getsockopt_raw(sockport_socket *s, int level, int name, void *value,
                                         size_t *len);

/* ------------------------------------------------------------------------ */
/* Introspection and native handles                                         */
/* ------------------------------------------------------------------------ */

/*! \return the socket's SOCKPORT_SOCK_* type, or SOCKPORT_EINVAL for NULL. */
SOCKPORT_API int sockport_type(sockport_socket *s);

/*! \return the socket's SOCKPORT_AF_* family, or SOCKPORT_EINVAL for NULL. */
SOCKPORT_API int sockport_family(sockport_socket *s);

/*! \return the socket's protocol (IANA number, as the system reports it when
 * it was opened with 0; 0 when the system does not say), or a SOCKPORT_E*
 * code. */
SOCKPORT_API int sockport_protocol(sockport_socket *s);

/*! A native socket handle: a file descriptor on POSIX, a SOCKET on Windows,
 * widened to intptr_t. */
typedef intptr_t sockport_native;

/*! Reads the native handle; the socket keeps owning it.
 * \return 0 or SOCKPORT_EINVAL. */
SOCKPORT_API int sockport_native_handle(sockport_socket *s, sockport_native *out);

/*! Adopts a native socket on the default backend: sockport owns it from now
 * on (sockport_close closes it). The family, type and protocol are read from
 * the system.
 * \param out receives the socket; untouched on failure (the handle then
 *        stays the caller's).
 * \param handle an open native socket.
 * \param flags 0 or SOCKPORT_F_NONBLOCK to record that the handle is in
 *        non-blocking mode (Windows cannot read it back).
 * \return 0, SOCKPORT_ENOTSOCK, or another SOCKPORT_E* code. */
SOCKPORT_API int sockport_from_native(sockport_socket **out, sockport_native handle,
                                      unsigned flags);

/*! Gives the native handle back without closing it and frees the sockport
 * socket.
 * \param out receives the handle.
 * \return 0 or SOCKPORT_EINVAL. */
SOCKPORT_API int sockport_release(sockport_socket *s, sockport_native *out);

/* ------------------------------------------------------------------------ */
/* Vectored, message and batched I/O; readiness                             */
/* ------------------------------------------------------------------------ */

/*! One buffer of a vectored call. On Windows each length is clamped to
 * what a WSABUF holds (ULONG), giving a short count. The array must stay
 * unchanged for the duration of the call. */
typedef struct sockport_iovec {
    void *base; /*!< start of the buffer */
    size_t len; /*!< its length */
} sockport_iovec;

/*! Most buffers one vectored call takes. */
#define SOCKPORT_IOV_MAX 1024

/*! Sends from several buffers in order (writev/WSASend).
 * \param iov the buffers; NULL only when iovcnt is 0.
 * \param iovcnt 0 to SOCKPORT_IOV_MAX.
 * \param flags as sockport_send().
 * \return bytes sent or a SOCKPORT_E* code; SOCKPORT_EINVAL when the total
 * length exceeds PTRDIFF_MAX or a buffer is NULL with a length. */
SOCKPORT_API ptrdiff_t sockport_sendv(sockport_socket *s, const sockport_iovec *iov, size_t iovcnt,
                                      int flags);

/*! Receives into several buffers in order (readv/WSARecv).
 * \param out_flags receives SOCKPORT_MSG_TRUNC for a truncated datagram;
 *        may be NULL.
 * \return as sockport_recv(). */
SOCKPORT_API ptrdiff_t sockport_recvv(sockport_socket *s, const sockport_iovec *iov, size_t iovcnt,
                                      int flags, int *out_flags);

/*! Sends from several buffers to an address; as sockport_sendv(). */
SOCKPORT_API ptrdiff_t sockport_send_tov(sockport_socket *s, const sockport_iovec *iov,
                                         size_t iovcnt, int flags, const sockport_addr *to);

/*! Receives into several buffers with the sender's address.
 * \param from may be NULL. \param out_flags may be NULL.
 * \return as sockport_recv(). */
SOCKPORT_API ptrdiff_t sockport_recv_fromv(sockport_socket *s, const sockport_iovec *iov,
                                           size_t iovcnt, int flags, sockport_addr *from,
                                           int *out_flags);

/*! A message for sockport_sendmsg()/sockport_recvmsg(). Control data is in
 * sockport's own portable layout (see sockport_cmsg_append()), which the
 * backend translates to and from the system's. */
typedef struct sockport_msghdr {
    /*! send: destination or NULL; receive: receives the sender, or NULL. */
    sockport_addr *name;
    const sockport_iovec *iov; /*!< the buffers */
    size_t iovlen;             /*!< 0 to SOCKPORT_IOV_MAX */
    void *control;             /*!< portable control messages, or NULL */
    /*! send: bytes of control; receive: in the room, out the bytes used. */
    size_t controllen;
    /*! receive, out: SOCKPORT_MSG_TRUNC, SOCKPORT_MSG_CTRUNC; send: ignored. */
    int flags;
} sockport_msghdr;

/*! Sends a message with optional destination and control data
 * (sendmsg/WSASendMsg; WSASend on Windows stream sockets, which take no
 * control data).
 * \param flags as sockport_send().
 * \return bytes sent or a SOCKPORT_E* code. */
SOCKPORT_API ptrdiff_t sockport_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags);

/*! Receives a message with sender and control data (recvmsg/WSARecvMsg).
 * \param msg in: buffers and room; out: name, controllen, flags.
 * \param flags as sockport_recv().
 * \return bytes received or a SOCKPORT_E* code. */
SOCKPORT_API ptrdiff_t sockport_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags);

/*! Portable control message types. */
enum sockport_cmsg_type {
    SOCKPORT_CMSG_PKTINFO = 1,     /*!< sockport_pktinfo: destination (recv) or source (send) */
    SOCKPORT_CMSG_TOS = 2,         /*!< int: IPv4 TOS */
    SOCKPORT_CMSG_TCLASS = 3,      /*!< int: IPv6 traffic class */
    SOCKPORT_CMSG_HOPLIMIT = 4,    /*!< int: IPv6 hop limit */
    SOCKPORT_CMSG_TTL = 5,         /*!< int: IPv4 TTL */
    SOCKPORT_CMSG_RIGHTS = 6,      /*!< sockport_native[]: handles passed over a Unix socket */
    SOCKPORT_CMSG_UDP_SEGMENT = 7, /*!< uint16_t: GSO segment size (send) */
    SOCKPORT_CMSG_UDP_GRO = 8      /*!< int: GRO segment size (receive) */
};

/*! Packet information: the local address of a datagram and its interface. */
typedef struct sockport_pktinfo {
    sockport_addr addr; /*!< destination (receive) or source to use (send); port 0 */
    uint32_t ifindex;   /*!< interface index, 0 for any */
} sockport_pktinfo;

/*! Header of one portable control message; data follows, 8-byte aligned. */
typedef struct sockport_cmsg {
    uint32_t type; /*!< SOCKPORT_CMSG_* */
    uint32_t len;  /*!< bytes of data after the header */
} sockport_cmsg;

/*! Appends a control message to a buffer.
 * \param control the buffer (8-byte aligned).
 * \param cap its size.
 * \param used in: bytes already used; out: after the new message.
 * \param type a SOCKPORT_CMSG_* value.
 * \param data the payload. \param len its size (at most 65536).
 * \return 0, SOCKPORT_ENOSPC, or SOCKPORT_EINVAL. */
SOCKPORT_API int sockport_cmsg_append(void *control, size_t cap, size_t *used, int type,
                                      const void *data, size_t len);

/*! Walks control messages. Start with *offset = 0.
 * \param control, len the buffer and the bytes used (msg.controllen).
 * \param offset in/out: position of the next message.
 * \param type receives its SOCKPORT_CMSG_* type.
 * \param data receives a pointer to its payload. \param datalen its size.
 * \return 1 for a message, 0 at the end, SOCKPORT_EINVAL for a corrupt
 * buffer or NULL argument. */
SOCKPORT_API int sockport_cmsg_next(const void *control, size_t len, size_t *offset, int *type,
                                    const void **data, size_t *datalen);

/*! Bytes a control message with a payload of len bytes takes. */
#define SOCKPORT_CMSG_SPACE(len) (sizeof(sockport_cmsg) + (((size_t)(len) + 7u) & ~(size_t)7u))

/*! One message of a batched call, and the bytes it moved. */
typedef struct sockport_mmsghdr {
    sockport_msghdr hdr; /*!< as for sockport_sendmsg()/sockport_recvmsg() */
    size_t len;          /*!< out: bytes sent or received for this message */
} sockport_mmsghdr;

/*! Most messages one batched call takes. */
#define SOCKPORT_MMSG_MAX 1024

/*! Sends several messages in one call where the system can (sendmmsg),
 * else one at a time; the results are the same either way.
 * \param n 1 to SOCKPORT_MMSG_MAX.
 * \return the number of messages sent (>= 1), or a SOCKPORT_E* code when
 * the first one failed. */
SOCKPORT_API int sockport_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);

/*! Receives up to n messages: waits (unless non-blocking or
 * SOCKPORT_MSG_DONTWAIT) for the first, then takes what is already queued
 * (recvmmsg, or a loop where the system lacks it).
 * \return the number of messages received (>= 1) or a SOCKPORT_E* code. */
SOCKPORT_API int sockport_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);

/*! Readiness events for sockport_poll(). */
enum sockport_poll_events {
    SOCKPORT_POLLIN = 1 << 0,  /*!< readable, or a connection to accept */
    SOCKPORT_POLLOUT = 1 << 1, /*!< writable, or a connect completed */
    SOCKPORT_POLLPRI = 1 << 2, /*!< out-of-band data */
    SOCKPORT_POLLERR = 1 << 3, /*!< output: error pending */
    SOCKPORT_POLLHUP = 1 << 4, /*!< output: hung up */
    SOCKPORT_POLLNVAL = 1 << 5 /*!< output: not an open socket */
};

/*! One socket to poll. */
typedef struct sockport_pollfd {
    sockport_socket *socket; /*!< the socket; NULL entries are ignored */
    int events;              /*!< SOCKPORT_POLLIN | _POLLOUT | _POLLPRI */
    int revents;             /*!< out: what happened */
} sockport_pollfd;

/*! Most sockets one sockport_poll() takes. */
#define SOCKPORT_POLL_MAX 1024

/*! Waits until one of the sockets is ready (poll/WSAPoll). All sockets
 * must belong to one backend.
 * \param fds the sockets. \param n 0 to SOCKPORT_POLL_MAX.
 * \param timeout_ms milliseconds, 0 to check, -1 to wait forever.
 * \return the number of entries with revents != 0 (0 on timeout), or a
 * SOCKPORT_E* code. */
SOCKPORT_API int sockport_poll(sockport_pollfd *fds, size_t n, int64_t timeout_ms);

/*! Reads the sender of the next datagram without consuming it.
 * \param out receives the address.
 * \return 0 or a SOCKPORT_E* code (SOCKPORT_EAGAIN when non-blocking and
 * nothing is queued). */
SOCKPORT_API int sockport_peek_sender(sockport_socket *s, sockport_addr *out);

/*! Sends part of a file (sendfile on Linux, TransmitFile on Windows, a
 * read/send loop elsewhere).
 * \param file a native file handle (fd; HANDLE on Windows) opened for reading.
 * \param offset where to start in the file, >= 0.
 * \param count bytes to send, > 0 (clamped to what one call takes).
 * \return bytes sent (0 at end of file) or a SOCKPORT_E* code. */
SOCKPORT_API int64_t sockport_sendfile(sockport_socket *s, sockport_native file, int64_t offset,
                                       int64_t count);

/* ------------------------------------------------------------------------ */
/* Name resolution                                                          */
/* ------------------------------------------------------------------------ */

/*! Flags for sockport_resolve_hints. */
enum sockport_resolve_flags {
    SOCKPORT_AI_PASSIVE = 1 << 0,     /*!< NULL host means the wildcard address */
    SOCKPORT_AI_NUMERICHOST = 1 << 1, /*!< host must be a literal: no lookup */
    SOCKPORT_AI_NUMERICSERV = 1 << 2, /*!< service must be a port number */
    SOCKPORT_AI_ADDRCONFIG = 1 << 3   /*!< only families configured on the host */
};

/*! What sockport_resolve() should return. A zeroed value means any. */
typedef struct sockport_resolve_hints {
    int family;     /*!< SOCKPORT_AF_UNSPEC, _INET or _INET6 */
    int type;       /*!< 0 or SOCKPORT_SOCK_STREAM/_DGRAM (filters duplicates) */
    int protocol;   /*!< 0 or SOCKPORT_IPPROTO_TCP/_UDP */
    unsigned flags; /*!< SOCKPORT_AI_* */
} sockport_resolve_hints;

/*! Resolves a host and service to addresses (getaddrinfo/GetAddrInfoW). A
 * literal host is parsed by sockport's strict parser without any lookup.
 * Nothing is allocated for the caller: the addresses are written to out.
 * \param host a name or literal, or NULL with SOCKPORT_AI_PASSIVE.
 * \param service a port number or service name, or NULL for port 0.
 * \param hints NULL for any.
 * \param out receives up to cap addresses, in the resolver's order,
 *        duplicates (same address and port) removed.
 * \param cap 1 or more.
 * \return the number written (>= 1), or SOCKPORT_EAI_* / SOCKPORT_EINVAL. */
SOCKPORT_API int sockport_resolve(const char *host, const char *service,
                                  const sockport_resolve_hints *hints, sockport_addr *out,
                                  size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SOCKPORT_SOCKPORT_H */
