/*
 * Socket entry points: validate, then call exactly one backend slot.
 *
 * Every check here happens before any system call and answers
 * SOCKPORT_EINVAL (with OS code 0). The core allocates each socket once, with
 * the backend's state block after the header, before the backend runs, so a
 * failed allocation never loses an accepted connection or a descriptor.
 */
#include "internal.h"

#include <string.h>

#define OPEN_FLAGS   ((unsigned)(SOCKPORT_F_NONBLOCK | SOCKPORT_F_INHERIT | SOCKPORT_F_REGISTERED_IO))
#define ACCEPT_FLAGS ((unsigned)(SOCKPORT_F_NONBLOCK | SOCKPORT_F_INHERIT))
#define SEND_FLAGS   (SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT)
#define RECV_FLAGS                                                                                 \
    (SOCKPORT_MSG_PEEK | SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT | SOCKPORT_MSG_WAITALL)

static int valid_family(int family)
{
    return family == SOCKPORT_AF_INET || family == SOCKPORT_AF_INET6 || family == SOCKPORT_AF_UNIX;
}

static int valid_identity(int family, int type, int protocol)
{
    if (!valid_family(family) || type < SOCKPORT_SOCK_STREAM || type > SOCKPORT_SOCK_RAW)
        return 0;
    switch (protocol) {
    case SOCKPORT_IPPROTO_DEFAULT:
    case SOCKPORT_IPPROTO_ICMP:
    case SOCKPORT_IPPROTO_TCP:
    case SOCKPORT_IPPROTO_UDP:
    case SOCKPORT_IPPROTO_ICMPV6:
        return 1;
    default:
        return 0;
    }
}

/* An address the socket can use: well formed, and of the socket's family. */
static int check_addr(const sockport_socket *s, const sockport_addr *a)
{
    if (s == NULL || a == NULL || !valid_family(a->family_))
        return SOCKPORT__EINVAL();
    if (a->family_ == SOCKPORT_AF_UNIX && a->len_ > SOCKPORT_UNIX_PATH_MAX)
        return SOCKPORT__EINVAL();
    if (a->family_ != s->family)
        return sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
    return 0;
}

sockport_socket *sockport__socket_new(const sockport_backend *b, int family, int type, int protocol,
                                      unsigned flags)
{
    if (b->socket_size > SIZE_MAX - SOCKPORT__STATE_OFFSET)
        return NULL;
    size_t size = SOCKPORT__STATE_OFFSET + b->socket_size;
    sockport_socket *s = sockport__alloc(size);
    if (s == NULL)
        return NULL;
    memset(s, 0, size);
    s->backend = b;
    s->family = family;
    s->type = type;
    s->protocol = protocol;
    s->flags = flags;
    s->alloc_size = size;
    return s;
}

void sockport__socket_free(sockport_socket *s)
{
    sockport__free(s, s->alloc_size);
}

/* ---- lifecycle --------------------------------------------------------- */

int sockport_open_on(const sockport_backend *b, sockport_socket **out, int family, int type,
                     int protocol, unsigned flags)
{
    if (b == NULL || out == NULL || !valid_identity(family, type, protocol) ||
        (flags & ~OPEN_FLAGS) != 0 || !sockport__backend_is_registered(b))
        return SOCKPORT__EINVAL();
    int rc = sockport__backend_ensure_init(b);
    if (rc < 0)
        return rc;
    sockport_socket *s = sockport__socket_new(b, family, type, protocol, flags);
    if (s == NULL)
        return sockport__fail(SOCKPORT_ENOMEM, 0);
    rc = b->open(s, family, type, protocol, flags);
    if (rc < 0) {
        sockport__socket_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int sockport_open(sockport_socket **out, int family, int type, int protocol, unsigned flags)
{
    return sockport_open_on(sockport__backend_default(), out, family, type, protocol, flags);
}

int sockport_pair_on(const sockport_backend *b, sockport_socket *out[2], int family, int type,
                     int protocol, unsigned flags)
{
    if (b == NULL || out == NULL || !valid_identity(family, type, protocol) ||
        (flags & ~ACCEPT_FLAGS) != 0 || !sockport__backend_is_registered(b))
        return SOCKPORT__EINVAL();
    int rc = sockport__backend_ensure_init(b);
    if (rc < 0)
        return rc;
    sockport_socket *a = sockport__socket_new(b, family, type, protocol, flags);
    sockport_socket *c = a != NULL ? sockport__socket_new(b, family, type, protocol, flags) : NULL;
    if (c == NULL) {
        if (a != NULL)
            sockport__socket_free(a);
        return sockport__fail(SOCKPORT_ENOMEM, 0);
    }
    rc = b->pair(a, c, family, type, protocol, flags);
    if (rc < 0) {
        sockport__socket_free(a);
        sockport__socket_free(c);
        return rc;
    }
    out[0] = a;
    out[1] = c;
    return 0;
}

int sockport_pair(sockport_socket *out[2], int family, int type, int protocol, unsigned flags)
{
    return sockport_pair_on(sockport__backend_default(), out, family, type, protocol, flags);
}

int sockport_close(sockport_socket *s)
{
    if (s == NULL)
        return SOCKPORT__EINVAL();
    int rc = s->backend->close(s);
    sockport__socket_free(s);
    return rc;
}

/* ---- connection setup -------------------------------------------------- */

int sockport_bind(sockport_socket *s, const sockport_addr *a)
{
    int rc = check_addr(s, a);
    return rc < 0 ? rc : s->backend->bind(s, a);
}

int sockport_listen(sockport_socket *s, int backlog)
{
    if (s == NULL || backlog < 0)
        return SOCKPORT__EINVAL();
    return s->backend->listen(s, backlog);
}

int sockport_accept(sockport_socket *s, sockport_socket **out, sockport_addr *peer, unsigned flags)
{
    if (s == NULL || out == NULL || (flags & ~ACCEPT_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    sockport_socket *c = sockport__socket_new(s->backend, s->family, s->type, s->protocol, flags);
    if (c == NULL)
        return sockport__fail(SOCKPORT_ENOMEM, 0);
    int rc = s->backend->accept(s, c, peer, flags);
    if (rc < 0) {
        sockport__socket_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int sockport_connect(sockport_socket *s, const sockport_addr *a)
{
    int rc = check_addr(s, a);
    return rc < 0 ? rc : s->backend->connect(s, a);
}

int sockport_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t timeout_ms)
{
    int rc = check_addr(s, a);
    if (rc < 0)
        return rc;
    if (timeout_ms < 0)
        return SOCKPORT__EINVAL();
    return s->backend->connect_timeout(s, a, timeout_ms);
}

int sockport_local_addr(sockport_socket *s, sockport_addr *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->local_addr(s, out);
}

int sockport_peer_addr(sockport_socket *s, sockport_addr *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->peer_addr(s, out);
}

int sockport_try_clone(sockport_socket *s, sockport_socket **out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    unsigned flags = s->flags & SOCKPORT_F_NONBLOCK;
    sockport_socket *c = sockport__socket_new(s->backend, s->family, s->type, s->protocol, flags);
    if (c == NULL)
        return sockport__fail(SOCKPORT_ENOMEM, 0);
    int rc = s->backend->try_clone(s, c);
    if (rc < 0) {
        sockport__socket_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int sockport_set_nonblocking(sockport_socket *s, bool on)
{
    if (s == NULL)
        return SOCKPORT__EINVAL();
    int rc = s->backend->set_nonblocking(s, on);
    if (rc < 0)
        return rc;
    s->flags = on ? (s->flags | SOCKPORT_F_NONBLOCK) : (s->flags & ~(unsigned)SOCKPORT_F_NONBLOCK);
    return 0;
}

int sockport_get_nonblocking(sockport_socket *s, bool *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    *out = (s->flags & SOCKPORT_F_NONBLOCK) != 0;
    return 0;
}

int sockport_shutdown(sockport_socket *s, int how)
{
    if (s == NULL || how < SOCKPORT_SHUT_RD || how > SOCKPORT_SHUT_RDWR)
        return SOCKPORT__EINVAL();
    return s->backend->shutdown(s, how);
}

int sockport_take_error(sockport_socket *s)
{
    if (s == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->take_error(s);
}

/* ---- data transfer: the hot path, kept to a few compares ---------------- */

/* A buffer the caller can mean: present unless empty, length a ptrdiff_t. */
static int bad_buffer(const void *buf, size_t len)
{
    return (buf == NULL && len != 0) || len > (size_t)PTRDIFF_MAX;
}

ptrdiff_t sockport_send(sockport_socket *s, const void *buf, size_t len, int flags)
{
    if (s == NULL || bad_buffer(buf, len) || (flags & ~SEND_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->send(s, buf, len, flags, NULL);
}

/* send_to's destination, slow path: check_addr names the error. Out of line
 * so that the fast path below keeps no frame. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static ptrdiff_t
send_to_checked(sockport_socket *s, const void *buf, size_t len, int flags, const sockport_addr *to)
{
    int rc = check_addr(s, to);
    return rc < 0 ? rc : s->backend->send(s, buf, len, flags, to);
}

ptrdiff_t sockport_send_to(sockport_socket *s, const void *buf, size_t len, int flags,
                           const sockport_addr *to)
{
    if (s == NULL || bad_buffer(buf, len) || (flags & ~SEND_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    /* The common case in three compares (bench/ gates this call's cost): an
     * IP address of the socket's own family, which check_addr accepts. */
    if (to == NULL || to->family_ != s->family || to->family_ == SOCKPORT_AF_UNIX)
        return send_to_checked(s, buf, len, flags, to);
    return s->backend->send(s, buf, len, flags, to);
}

ptrdiff_t sockport_recv(sockport_socket *s, void *buf, size_t len, int flags)
{
    if (s == NULL || bad_buffer(buf, len) || (flags & ~RECV_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->recv(s, buf, len, flags, NULL, NULL);
}

ptrdiff_t sockport_recv_from(sockport_socket *s, void *buf, size_t len, int flags,
                             sockport_addr *from)
{
    if (s == NULL || bad_buffer(buf, len) || (flags & ~RECV_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->recv(s, buf, len, flags, from, NULL);
}

ptrdiff_t sockport_recv_from_flags(sockport_socket *s, void *buf, size_t len, int flags,
                                   sockport_addr *from, int *out_flags)
{
    if (s == NULL || bad_buffer(buf, len) || (flags & ~RECV_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->recv(s, buf, len, flags, from, out_flags);
}

/* ---- accessors for backend authors ------------------------------------- */

void *sockport_socket_state(sockport_socket *s)
{
    return s != NULL ? sockport__state(s) : NULL;
}

const sockport_backend *sockport_socket_backend(const sockport_socket *s)
{
    return s != NULL ? s->backend : NULL;
}

int sockport_socket_family(const sockport_socket *s)
{
    return s != NULL ? s->family : SOCKPORT__EINVAL();
}

int sockport_socket_type(const sockport_socket *s)
{
    return s != NULL ? s->type : SOCKPORT__EINVAL();
}

int sockport_socket_protocol(const sockport_socket *s)
{
    return s != NULL ? s->protocol : SOCKPORT__EINVAL();
}
