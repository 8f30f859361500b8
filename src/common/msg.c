/*
 * Vectored, message and batched I/O, readiness and peeking: validate, then
 * one backend slot. The vectored calls are messages without control data,
 * so every backend implements one send path and one receive path for them.
 */
#include "internal.h"

#include <string.h>

#define SEND_FLAGS (SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT)
#define RECV_FLAGS                                                                                 \
    (SOCKPORT_MSG_PEEK | SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT | SOCKPORT_MSG_WAITALL)
#define POLL_EVENTS (SOCKPORT_POLLIN | SOCKPORT_POLLOUT | SOCKPORT_POLLPRI)

/* An iovec array the caller can mean: bounded count, no NULL buffer with a
 * length, total length a ptrdiff_t. */
static inline int bad_iov(const sockport_iovec *iov, size_t n)
{
    size_t total = 0;
    if (n > SOCKPORT_IOV_MAX || (iov == NULL && n != 0))
        return 1;
    for (size_t i = 0; i < n; i++) {
        if ((iov[i].base == NULL && iov[i].len != 0) || iov[i].len > (size_t)PTRDIFF_MAX - total)
            return 1;
        total += iov[i].len;
    }
    return 0;
}

/* A message header: its buffers, and its control area. */
static int bad_msg(const sockport_msghdr *m)
{
    return m == NULL || bad_iov(m->iov, m->iovlen) || (m->control == NULL && m->controllen != 0);
}

/* The destination of a send: absent, or usable by s. */
static int check_dest(const sockport_socket *s, const sockport_addr *to)
{
    if (to == NULL)
        return 0;
    if (to->family_ != s->family)
        return to->family_ == SOCKPORT_AF_INET || to->family_ == SOCKPORT_AF_INET6 ||
                       to->family_ == SOCKPORT_AF_UNIX
                   ? sockport__fail(SOCKPORT_EAFNOSUPPORT, 0)
                   : SOCKPORT__EINVAL();
    return 0;
}

ptrdiff_t sockport_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags)
{
    if (s == NULL || bad_msg(msg) || (flags & ~SEND_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    int rc = check_dest(s, msg->name);
    return rc < 0 ? rc : s->backend->sendmsg(s, msg, flags);
}

ptrdiff_t sockport_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags)
{
    if (s == NULL || bad_msg(msg) || (flags & ~RECV_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->recvmsg(s, msg, flags);
}

ptrdiff_t sockport_send_tov(sockport_socket *s, const sockport_iovec *iov, size_t iovcnt, int flags,
                            const sockport_addr *to)
{
    sockport_msghdr m = {(sockport_addr *)(uintptr_t)to, iov, iovcnt, NULL, 0, 0};
    return sockport_sendmsg(s, &m, flags);
}

/* sendv and recvv are the hot vectored calls: their checks are the buffers
 * and flags only, then straight to the message slot. */
ptrdiff_t sockport_sendv(sockport_socket *s, const sockport_iovec *iov, size_t iovcnt, int flags)
{
    if (s == NULL || bad_iov(iov, iovcnt) || (flags & ~SEND_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    sockport_msghdr m = {NULL, iov, iovcnt, NULL, 0, 0};
    return s->backend->sendmsg(s, &m, flags);
}

ptrdiff_t sockport_recv_fromv(sockport_socket *s, const sockport_iovec *iov, size_t iovcnt,
                              int flags, sockport_addr *from, int *out_flags)
{
    if (s == NULL || bad_iov(iov, iovcnt) || (flags & ~RECV_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    sockport_msghdr m = {from, iov, iovcnt, NULL, 0, 0};
    ptrdiff_t n = s->backend->recvmsg(s, &m, flags);
    if (n >= 0 && out_flags != NULL)
        *out_flags = m.flags;
    return n;
}

ptrdiff_t sockport_recvv(sockport_socket *s, const sockport_iovec *iov, size_t iovcnt, int flags,
                         int *out_flags)
{
    return sockport_recv_fromv(s, iov, iovcnt, flags, NULL, out_flags);
}

/* A batch: bounded count, every message well formed (and its destination
 * usable when sending). */
static int check_batch(sockport_socket *s, const sockport_mmsghdr *msgs, size_t n, int sending)
{
    if (s == NULL || msgs == NULL || n == 0 || n > SOCKPORT_MMSG_MAX)
        return SOCKPORT__EINVAL();
    for (size_t i = 0; i < n; i++) {
        if (bad_msg(&msgs[i].hdr))
            return SOCKPORT__EINVAL();
        int rc = sending ? check_dest(s, msgs[i].hdr.name) : 0;
        if (rc < 0)
            return rc;
    }
    return 0;
}

int sockport_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    int rc = check_batch(s, msgs, n, 1);
    if (rc < 0)
        return rc;
    if ((flags & ~SEND_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->sendmmsg(s, msgs, n, flags);
}

int sockport_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    int rc = check_batch(s, msgs, n, 0);
    if (rc < 0)
        return rc;
    if ((flags & ~RECV_FLAGS) != 0)
        return SOCKPORT__EINVAL();
    return s->backend->recvmmsg(s, msgs, n, flags);
}

/* The one backend all non-NULL entries share, or NULL when they mix. */
static const sockport_backend *poll_backend(const sockport_pollfd *fds, size_t n)
{
    const sockport_backend *b = NULL;
    for (size_t i = 0; i < n; i++) {
        if (fds[i].socket == NULL)
            continue;
        if ((fds[i].events & ~POLL_EVENTS) != 0 || (b != NULL && fds[i].socket->backend != b))
            return NULL;
        b = fds[i].socket->backend;
    }
    return b != NULL ? b : sockport__backend_default();
}

int sockport_poll(sockport_pollfd *fds, size_t n, int64_t timeout_ms)
{
    if ((fds == NULL && n != 0) || n > SOCKPORT_POLL_MAX || timeout_ms < -1)
        return SOCKPORT__EINVAL();
    const sockport_backend *b = poll_backend(fds, n);
    if (b == NULL)
        return SOCKPORT__EINVAL();
    return b->poll(b, fds, n, timeout_ms);
}

int sockport_peek_sender(sockport_socket *s, sockport_addr *out)
{
    sockport_addr from;
    int out_flags = 0;
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    memset(&from, 0, sizeof from);
    ptrdiff_t n = s->backend->recv(s, NULL, 0, SOCKPORT_MSG_PEEK, &from, &out_flags);
    if (n < 0)
        return (int)n;
    *out = from;
    return 0;
}

int64_t sockport_sendfile(sockport_socket *s, sockport_native file, int64_t offset, int64_t count)
{
    if (s == NULL || file < 0 || offset < 0 || count <= 0)
        return SOCKPORT__EINVAL();
    return s->backend->sendfile(s, file, offset, count);
}

/* ---- portable control messages ----------------------------------------- */

#define CMSG_DATA_MAX 65536

static size_t align8(size_t n)
{
    return (n + 7u) & ~(size_t)7u;
}

int sockport_cmsg_append(void *control, size_t cap, size_t *used, int type, const void *data,
                         size_t len)
{
    if (control == NULL || used == NULL || *used > cap || (uintptr_t)control % 8 != 0 ||
        *used % 8 != 0 || type < SOCKPORT_CMSG_PKTINFO || type > SOCKPORT_CMSG_UDP_GRO ||
        len > CMSG_DATA_MAX || (data == NULL && len != 0))
        return SOCKPORT__EINVAL();
    size_t need = sizeof(sockport_cmsg) + align8(len);
    if (need > cap - *used)
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    unsigned char *p = (unsigned char *)control + *used;
    sockport_cmsg h = {(uint32_t)type, (uint32_t)len};
    memcpy(p, &h, sizeof h);
    if (len != 0)
        memcpy(p + sizeof h, data, len);
    memset(p + sizeof h + len, 0, align8(len) - len);
    *used += need;
    return 0;
}

int sockport_cmsg_next(const void *control, size_t len, size_t *offset, int *type,
                       const void **data, size_t *datalen)
{
    sockport_cmsg h;
    if (control == NULL || offset == NULL || type == NULL || data == NULL || datalen == NULL ||
        *offset > len || *offset % 8 != 0)
        return SOCKPORT__EINVAL();
    if (len - *offset < sizeof h)
        return 0;
    const unsigned char *p = (const unsigned char *)control + *offset;
    memcpy(&h, p, sizeof h);
    if (h.len > CMSG_DATA_MAX || align8(h.len) > len - *offset - sizeof h)
        return SOCKPORT__EINVAL();
    *type = (int)h.type;
    *data = p + sizeof h;
    *datalen = h.len;
    *offset += sizeof h + align8(h.len);
    return 1;
}
