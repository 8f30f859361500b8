/*
 * Private header shared by the core and the built-in backends. Never
 * installed. The core's .c files include only this and C standard headers:
 * no <winsock2.h>, no <sys/socket.h>.
 *
 * Naming: sockport__<module>_<verb> for internal symbols that are not static.
 */
#ifndef SOCKPORT_INTERNAL_H
#define SOCKPORT_INTERNAL_H

#include "sockport/sockport.h"
#include "sockport/backend.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

/* Symbols here are not exported: the library builds with hidden visibility
 * and exports only what carries SOCKPORT_API. */

/* The socket header; the backend's state block follows, aligned for any type. */
struct sockport_socket {
    const sockport_backend *backend; /* registered copy; never NULL */
    int family;                      /* SOCKPORT_AF_* */
    int type;                        /* SOCKPORT_SOCK_* */
    int protocol;                    /* as opened, 0 for the default */
    unsigned flags;                  /* SOCKPORT_F_*; F_NONBLOCK tracks the current mode */
    size_t alloc_size;               /* bytes allocated, for the allocator's free */
};

#define SOCKPORT__STATE_ALIGN alignof(max_align_t)
#define SOCKPORT__STATE_OFFSET                                                                     \
    ((sizeof(struct sockport_socket) + SOCKPORT__STATE_ALIGN - 1) & ~(SOCKPORT__STATE_ALIGN - 1))

/* The backend state of a socket: what sockport_socket_state() returns. */
static inline void *sockport__state(sockport_socket *s)
{
    return (char *)s + SOCKPORT__STATE_OFFSET;
}

/* ---- allocation (alloc.c): every allocation goes through this hook ---- */
void *sockport__alloc(size_t size);
void sockport__free(void *p, size_t size);

/* ---- errors (error.c) ---- */

/* Records the native code for sockport_last_os_error() and returns err. */
int sockport__fail(int err, int os_code);

/* Validation failures: records OS code 0, returns SOCKPORT_EINVAL. */
#define SOCKPORT__EINVAL() sockport__fail(SOCKPORT_EINVAL, 0)

/* ---- registry (registry.c) ---- */

/* The default backend, registering the built-ins on first use. */
const sockport_backend *sockport__backend_default(void);

/* 1 when b is a table in the registry. */
int sockport__backend_is_registered(const sockport_backend *b);

/* Runs the backend's init once per process (lazily, thread-safe). */
int sockport__backend_ensure_init(const sockport_backend *b);

/* The platform's built-in table, defined by the backend that is compiled in. */
const sockport_backend *sockport__backend_builtin(void);

/* ---- sockets (socket.c) ---- */

/* Allocates a zeroed socket for backend b with the given identity. */
sockport_socket *sockport__socket_new(const sockport_backend *b, int family, int type, int protocol,
                                      unsigned flags);
/* Frees a socket made by sockport__socket_new (no backend call). */
void sockport__socket_free(sockport_socket *s);

/* ---- options (options.c): the descriptor table ---- */

enum sockport__optkind {
    SOCKPORT__OPT_BOOL = 1,
    SOCKPORT__OPT_INT,
    SOCKPORT__OPT_TIMEOUT,
    SOCKPORT__OPT_STR
};

/* Bit masks of families and types an option applies to. */
#define SOCKPORT__FAM(f)  (1u << (unsigned)(f))
#define SOCKPORT__FAM_IP  (SOCKPORT__FAM(SOCKPORT_AF_INET) | SOCKPORT__FAM(SOCKPORT_AF_INET6))
#define SOCKPORT__FAM_ANY (SOCKPORT__FAM_IP | SOCKPORT__FAM(SOCKPORT_AF_UNIX))
#define SOCKPORT__TYP(t)  (1u << (unsigned)(t))
#define SOCKPORT__TYP_ANY 0x1eu

typedef struct sockport__optdesc {
    int opt;           /* SOCKPORT_OPT_* */
    const char *name;  /* native name, e.g. "TCP_NODELAY" */
    int kind;          /* enum sockport__optkind */
    int readonly;      /* 1: get only */
    int min, max;      /* accepted range on set (ints) */
    unsigned families; /* SOCKPORT__FAM mask */
    unsigned types;    /* SOCKPORT__TYP mask */
} sockport__optdesc;

/* The descriptor of opt, or NULL for an unknown option. */
const sockport__optdesc *sockport__opt_find(int opt);

/* ---- addresses (addr.c) ---- */

/* Fills a Unix address as a kernel returned it, without the user-input policy:
 * len 0 is the unnamed address. len <= SOCKPORT_UNIX_PATH_MAX (checked). */
int sockport__addr_set_unix(sockport_addr *out, const char *bytes, size_t len, int abstract);

#endif /* SOCKPORT_INTERNAL_H */
