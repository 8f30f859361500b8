/*
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
 * copies it field by field into its registry, and fills every NULL optional
 * slot with a default that answers SOCKPORT_ENOTSUP, so the hot path never
 * tests for NULL. Required slots: open, close, and send and recv.
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
#define SOCKPORT_BACKEND_VERSION 1

/*! Most backends that can be registered at once (built-ins included). */
#define SOCKPORT_BACKEND_MAX 16

typedef struct sockport_backend sockport_backend;

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
