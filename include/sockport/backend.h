/*! \file backend.h
 * sockport backend ABI: for those who write or wrap a backend.
 *
 * A backend is a table of function pointers (struct sockport_backend). The
 * core validates every argument, then calls exactly one slot; a slot never
 * re-validates. The core allocates every socket with `socket_size` bytes of
 * backend state after its own header (sockport_socket_state()), so a backend
 * never allocates per socket.
 *
 * Versioning: `version` comes first, slots are only ever appended. The core
 * accepts any table whose version it knows (1 ..= SOCKPORT_BACKEND_VERSION),
 * copies it field by field into its registry (reading only the fields that
 * version has), and fills every NULL or absent optional slot with a default
 * that answers SOCKPORT_ENOTSUP, so the hot path never tests for NULL.
 * Required slots: open, close, and send and recv.
 *
 * Wrapping: a wrapper (fault injection, tracing) declares socket_size at least
 * the wrapped backend's, passes the same sockport_socket to the wrapped
 * backend's slots, and keeps its own per-socket state (if any) after the
 * wrapped state. The built-in tables are reachable by getter for that.
 *
 * Errors: a slot returns a SOCKPORT_E* code and records the native code with
 * sockport_backend_set_os_error() (the built-in backends do both through one
 * helper). A slot writes its outputs (addresses, values, out_flags) only on
 * success; recv sets *out_flags (when non-NULL) on every success, 0 when
 * nothing is to report.
 */
#ifndef SOCKPORT_BACKEND_H
#define SOCKPORT_BACKEND_H

#include "sockport.h"

#ifdef __cplusplus
extern "C" {
#endif

/*! The newest vtable layout this header describes. */
#define SOCKPORT_BACKEND_VERSION 2

/*! Most backends that can be registered at once (built-ins included). */
#define SOCKPORT_BACKEND_MAX 16

typedef struct sockport_backend sockport_backend;

/*! Operations of the multicast slot. */
enum sockport_mcast_op {
    SOCKPORT_MCAST_JOIN = 1,        /*!< join a group */
    SOCKPORT_MCAST_LEAVE = 2,       /*!< leave a group */
    SOCKPORT_MCAST_JOIN_SOURCE = 3, /*!< join a source-specific group */
    SOCKPORT_MCAST_LEAVE_SOURCE = 4 /*!< leave a source-specific group */
};

/*! Address-valued options of the get_addr_opt / set_addr_opt slots. */
enum sockport_addr_opt {
    SOCKPORT_ADDROPT_MULTICAST_IF_V4 = 1, /*!< IP_MULTICAST_IF (get and set) */
    SOCKPORT_ADDROPT_ORIGINAL_DST = 2     /*!< SO_ORIGINAL_DST (get only) */
};

/*! A backend's function table, version 1. Every socket slot receives a socket
 * whose family, type and protocol the core has set (sockport_socket_family()
 * …) and whose state block is zeroed before open/accept/pair/try_clone. */
struct sockport_backend {
    /*! SOCKPORT_BACKEND_VERSION at the time the backend was written. */
    unsigned version;
    /*! Unique name, e.g. "posix", "winsock", "fault". Not copied: must outlive
     * the registration. */
    const char *name;
    /*! Bytes of per-socket state the core allocates after its own header. */
    size_t socket_size;
    /*! Free for the backend (read it from the registered table). */
    void *userdata;

    /*! Optional: prepare the system (WSAStartup). Called once per
     * sockport_init() and lazily before the first socket; must be thread-safe
     * and cheap when already done. */
    int (*init)(const sockport_backend *self);
    /*! Optional: balance one init(). */
    void (*cleanup)(const sockport_backend *self);

    /*! Required: create the native socket. flags as sockport_open(). */
    int (*open)(sockport_socket *s, int family, int type, int protocol, unsigned flags);
    /*! Required: release the native socket. Called once; the core frees s. */
    int (*close)(sockport_socket *s);
    /*! Make a connected pair into two fresh sockets. */
    int (*pair)(sockport_socket *a, sockport_socket *b, int family, int type, int protocol,
                unsigned flags);
    /*! Bind; a has a family that matches the socket. */
    int (*bind)(sockport_socket *s, const sockport_addr *a);
    /*! Listen; backlog >= 0. */
    int (*listen)(sockport_socket *s, int backlog);
    /*! Accept into out (fresh, its family/type/protocol copied from s); peer
     * may be NULL. */
    int (*accept)(sockport_socket *s, sockport_socket *out, sockport_addr *peer, unsigned flags);
    /*! Connect. A non-blocking connect in progress answers SOCKPORT_EINPROGRESS. */
    int (*connect)(sockport_socket *s, const sockport_addr *a);
    /*! Connect with a deadline; timeout_ms >= 0; blocking mode restored. */
    int (*connect_timeout)(sockport_socket *s, const sockport_addr *a, int64_t timeout_ms);
    /*! getsockname. */
    int (*local_addr)(sockport_socket *s, sockport_addr *out);
    /*! getpeername. */
    int (*peer_addr)(sockport_socket *s, sockport_addr *out);
    /*! Duplicate into out (fresh; never inheritable). */
    int (*try_clone)(sockport_socket *s, sockport_socket *out);
    /*! Set the blocking mode (the core remembers it). */
    int (*set_nonblocking)(sockport_socket *s, bool on);
    /*! Shut down; how is a SOCKPORT_SHUT_* value. */
    int (*shutdown)(sockport_socket *s, int how);
    /*! Read and clear SO_ERROR as a SOCKPORT_E* code (0 for none). */
    int (*take_error)(sockport_socket *s);
    /*! Required: send; to is NULL for a connected send. buf is non-NULL or len
     * is 0; flags hold only SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT. */
    ptrdiff_t (*send)(sockport_socket *s, const void *buf, size_t len, int flags,
                      const sockport_addr *to);
    /*! Required: receive; from and out_flags may be NULL. */
    ptrdiff_t (*recv)(sockport_socket *s, void *buf, size_t len, int flags, sockport_addr *from,
                      int *out_flags);
    /*! Set a bool or int option; the core checked kind, range, family, type. */
    int (*set_int)(sockport_socket *s, int opt, int value);
    /*! Read a bool (as 0/1) or int option. */
    int (*get_int)(sockport_socket *s, int opt, int *out);
    /*! Set SO_RCVTIMEO / SO_SNDTIMEO; ms >= 0, 0 for none. */
    int (*set_timeout)(sockport_socket *s, int opt, int64_t ms);
    /*! Read SO_RCVTIMEO / SO_SNDTIMEO in ms, 0 for none. */
    int (*get_timeout)(sockport_socket *s, int opt, int64_t *out);
    /*! 1 if the running system supports opt on s, else 0. */
    int (*option_supported)(sockport_socket *s, int opt);
    /*! Convert to this backend's native sockaddr; *len in: room, out: size. */
    int (*addr_to_native)(const sockport_backend *self, const sockport_addr *a, void *sa,
                          size_t *len);
    /*! Convert from this backend's native sockaddr (never read past len). */
    int (*addr_from_native)(const sockport_backend *self, sockport_addr *out, const void *sa,
                            size_t len);
    /*! Resolve an interface name to its index (for IPv6 zones); SOCKPORT_ENODEV
     * when there is no such interface. */
    int (*if_nametoindex)(const sockport_backend *self, const char *name, uint32_t *out);

    /* ---- version 2 -------------------------------------------------------- */

    /*! Send a message; the core checked the iovec array (count, lengths, total
     * <= PTRDIFF_MAX), name's family, and the control buffer's presence. The
     * vectored calls (sockport_sendv …) arrive here too. */
    ptrdiff_t (*sendmsg)(sockport_socket *s, const sockport_msghdr *msg, int flags);
    /*! Receive a message; sets msg->flags and msg->controllen on success. */
    ptrdiff_t (*recvmsg)(sockport_socket *s, sockport_msghdr *msg, int flags);
    /*! Send 1..SOCKPORT_MMSG_MAX messages; sets each len; returns the count. */
    int (*sendmmsg)(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);
    /*! Receive up to n messages (first may wait, the rest do not). */
    int (*recvmmsg)(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);
    /*! Poll sockets of this backend (the core checked that every non-NULL
     * socket is); entries with a NULL socket get revents 0. timeout_ms >= -1. */
    int (*poll)(const sockport_backend *self, sockport_pollfd *fds, size_t n, int64_t timeout_ms);
    /*! Send from a native file handle; offset >= 0, count > 0. */
    int64_t (*sendfile)(sockport_socket *s, sockport_native file, int64_t offset, int64_t count);
    /*! Resolve a name the core's literal parser did not take; cap >= 1. */
    int (*resolve)(const sockport_backend *self, const char *host, const char *service,
                   const sockport_resolve_hints *hints, sockport_addr *out, size_t cap);
    /*! Take ownership of a native handle; report its family, type, protocol. */
    int (*adopt)(sockport_socket *s, sockport_native handle, int *family, int *type, int *protocol);
    /*! Give the native handle up without closing it (the core frees s). */
    int (*release)(sockport_socket *s, sockport_native *out);
    /*! Read the native handle. */
    int (*native_handle)(sockport_socket *s, sockport_native *out);
    /*! Set a string option (value NUL-terminated, <= 255 bytes). */
    int (*set_str)(sockport_socket *s, int opt, const char *value);
    /*! Read a string option into buf (cap >= 1); returns its length. */
    int (*get_str)(sockport_socket *s, int opt, char *buf, size_t cap);
    /*! SO_LINGER; seconds 0-65535. */
    int (*set_linger)(sockport_socket *s, bool on, int seconds);
    /*! Read SO_LINGER. */
    int (*get_linger)(sockport_socket *s, bool *on, int *seconds);
    /*! Keepalive with timing; 0 leaves a part as it is. */
    int (*set_keepalive)(sockport_socket *s, bool on, int64_t idle_ms, int64_t interval_ms,
                         int retries);
    /*! Multicast membership; op is a SOCKPORT_MCAST_*; source NULL unless a
     * source op; iface NULL or IPv4 (the core checked families). */
    int (*multicast)(sockport_socket *s, int op, const sockport_addr *group,
                     const sockport_addr *source, const sockport_addr *iface, uint32_t ifindex);
    /*! Native setsockopt; len <= 65536. */
    int (*setsockopt_raw)(sockport_socket *s, int level, int name, const void *value, size_t len);
    /*! Native getsockopt; *len in: room, out: bytes written. */
    int (*getsockopt_raw)(sockport_socket *s, int level, int name, void *value, size_t *len);
    /*! Read an address-valued option (SOCKPORT_ADDROPT_*). */
    int (*get_addr_opt)(sockport_socket *s, int which, sockport_addr *out);
    /*! Set an address-valued option (SOCKPORT_ADDROPT_*). */
    int (*set_addr_opt)(sockport_socket *s, int which, const sockport_addr *a);
    /*! Read SO_COOKIE. */
    int (*get_cookie)(sockport_socket *s, uint64_t *out);
    /*! Attach a BPF program (count 1..65535), or detach it (prog NULL, count 0). */
    int (*attach_filter)(sockport_socket *s, const sockport_sock_filter *prog, size_t count);
};

/*! Registers a backend: checks its version and required slots, copies it
 * field by field and fills absent optional slots with defaults.
 * \param b the table; only read during the call (but b->name must live on).
 * \param out receives the registered copy (used by sockport_open_on()); may
 *        be NULL.
 * \return 0; SOCKPORT_EINVAL for NULL, an unknown version, a missing name or
 * required slot; SOCKPORT_EEXIST when the name is taken; SOCKPORT_ENOSPC when
 * SOCKPORT_BACKEND_MAX are registered. */
SOCKPORT_API int sockport_backend_register(const sockport_backend *b, const sockport_backend **out);

/*! Looks a registered backend up by name (built-ins are always there).
 * \return the registered copy, or NULL. */
SOCKPORT_API const sockport_backend *sockport_backend_find(const char *name);

/*! \return the backend sockport_open() uses: the platform's built-in
 * ("winsock" on Windows, "posix" elsewhere) unless changed. Never NULL. */
SOCKPORT_API const sockport_backend *sockport_backend_default(void);

/*! Makes a registered backend the default for sockets opened from now on.
 * \param b a table returned by sockport_backend_register/find().
 * \return 0, or SOCKPORT_EINVAL when b is not registered. */
SOCKPORT_API int sockport_backend_set_default(const sockport_backend *b);

/*! \return the built-in POSIX backend's own table (not the registered copy),
 * for wrappers to delegate to; NULL where it is not built (Windows). */
SOCKPORT_API const sockport_backend *sockport_backend_posix(void);

/*! \return the built-in WinSock backend's own table; NULL off Windows. */
SOCKPORT_API const sockport_backend *sockport_backend_winsock(void);

/*! Opens a socket on a given registered backend; as sockport_open(). */
SOCKPORT_API int sockport_open_on(const sockport_backend *b, sockport_socket **out, int family,
                                  int type, int protocol, unsigned flags);

/*! Makes a pair on a given registered backend; as sockport_pair(). */
SOCKPORT_API int sockport_pair_on(const sockport_backend *b, sockport_socket *out[2], int family,
                                  int type, int protocol, unsigned flags);

/*! \return the backend state block of s (socket_size bytes, aligned for any
 * type), or NULL for NULL. */
SOCKPORT_API void *sockport_socket_state(sockport_socket *s);

/*! \return the registered backend s belongs to, or NULL for NULL. */
SOCKPORT_API const sockport_backend *sockport_socket_backend(const sockport_socket *s);

/*! \return the socket's SOCKPORT_AF_* family, or SOCKPORT_EINVAL for NULL. */
SOCKPORT_API int sockport_socket_family(const sockport_socket *s);

/*! \return the socket's SOCKPORT_SOCK_* type, or SOCKPORT_EINVAL for NULL. */
SOCKPORT_API int sockport_socket_type(const sockport_socket *s);

/*! \return the protocol the socket was opened with (0 for the default), or
 * SOCKPORT_EINVAL for NULL. */
SOCKPORT_API int sockport_socket_protocol(const sockport_socket *s);

/*! Records the native code behind a failure, for sockport_last_os_error()
 * (per thread). Backends call it on every failing system call. */
SOCKPORT_API void sockport_backend_set_os_error(int code);

#ifdef __cplusplus
}
#endif

#endif /* SOCKPORT_BACKEND_H */
