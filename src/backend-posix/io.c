/*
 * Data slots: send, recv, shutdown, take_error.
 *
 * EINTR is retried on every call here (sockport.h's policy). SIGPIPE: every
 * send carries MSG_NOSIGNAL where it exists; elsewhere (macOS) each socket
 * has SO_NOSIGPIPE from creation (posix.c).
 *
 * Truncation: a receive that asks for out_flags on a message-based socket
 * (datagram, seqpacket, raw) goes through recvmsg() and reads MSG_TRUNC and
 * MSG_CTRUNC from msg_flags. That is POSIX, so the one code path tested on
 * Linux is the one that runs on the BSDs and macOS; passing MSG_TRUNC as an
 * input flag is Linux-only and, on a TCP socket, discards the data instead.
 * The byte count is min(datagram, len) either way.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0 /* SO_NOSIGPIPE is set on the socket instead */
#endif

static int fd_of(sockport_socket *s)
{
    return sockport__posix_fd(s);
}

static int native_msg_flags(int flags)
{
    int n = 0;
    if (flags & SOCKPORT_MSG_PEEK)
        n |= MSG_PEEK;
    if (flags & SOCKPORT_MSG_OOB)
        n |= MSG_OOB;
    if (flags & SOCKPORT_MSG_DONTWAIT)
        n |= MSG_DONTWAIT;
    if (flags & SOCKPORT_MSG_WAITALL)
        n |= MSG_WAITALL;
    return n;
}

static int sockport_msg_flags(int native)
{
    int f = 0;
    if (native & MSG_TRUNC)
        f |= SOCKPORT_MSG_TRUNC;
    if (native & MSG_CTRUNC)
        f |= SOCKPORT_MSG_CTRUNC;
    return f;
}

/* ---- send -------------------------------------------------------------- */

ptrdiff_t sockport__posix_send(sockport_socket *s, const void *buf, size_t len, int flags,
                               const sockport_addr *to)
{
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    int nflags = native_msg_flags(flags) | SEND_FLAGS, fd = fd_of(s);
    if (to != NULL) {
        int rc = sockport__posix_to_native(to, &ss, &sl);
        if (rc < 0)
            return rc;
    }
    ssize_t n;
    do {
        n = to != NULL ? sys_sendto(fd, buf, len, nflags, (struct sockaddr *)&ss, sl)
                       : sys_send(fd, buf, len, nflags);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? sockport__posix_fail(errno) : (ptrdiff_t)n;
}

/* ---- recv -------------------------------------------------------------- */

static ssize_t recv_msg(int fd, void *buf, size_t len, int nflags, struct sockaddr_storage *ss,
                        socklen_t *sl, int *out_flags)
{
    struct iovec iov;
    struct msghdr m;
    iov.iov_base = buf;
    iov.iov_len = len;
    memset(&m, 0, sizeof m);
    m.msg_name = ss;
    m.msg_namelen = ss != NULL ? *sl : 0;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    ssize_t n = sys_recvmsg(fd, &m, nflags);
    if (n >= 0) {
        *sl = m.msg_namelen;
        *out_flags = sockport_msg_flags(m.msg_flags);
    }
    return n;
}

/* One receive: ss NULL when the sender is not wanted, out_flags NULL when
 * truncation is not. */
static ssize_t recv_once(sockport_socket *s, void *buf, size_t len, int nflags,
                         struct sockaddr_storage *ss, socklen_t *sl, int *out_flags)
{
    int fd = fd_of(s);
    if (out_flags != NULL && s->type != SOCKPORT_SOCK_STREAM)
        return recv_msg(fd, buf, len, nflags, ss, sl, out_flags);
    if (out_flags != NULL)
        *out_flags = 0; /* a byte stream has no message to truncate */
    if (ss != NULL)
        return sys_recvfrom(fd, buf, len, nflags, (struct sockaddr *)ss, sl);
    return sys_recv(fd, buf, len, nflags);
}

ptrdiff_t sockport__posix_recv(sockport_socket *s, void *buf, size_t len, int flags,
                               sockport_addr *from, int *out_flags)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int nflags = native_msg_flags(flags), got = 0;
    ssize_t n;
    do {
        sl = sizeof ss;
        n = recv_once(s, buf, len, nflags, from != NULL ? &ss : NULL, &sl,
                      out_flags != NULL ? &got : NULL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return sockport__posix_fail(errno);
    if (from != NULL && sockport__posix_from_native(from, &ss, sl < sizeof ss ? sl : sizeof ss) < 0)
        memset(from, 0, sizeof *from); /* the data is taken: report an empty sender */
    if (out_flags != NULL)
        *out_flags = got;
    return (ptrdiff_t)n;
}

/* ---- shutdown, SO_ERROR ---------------------------------------------------- */

int sockport__posix_shutdown(sockport_socket *s, int how)
{
    int nhow = how == SOCKPORT_SHUT_RD ? SHUT_RD : how == SOCKPORT_SHUT_WR ? SHUT_WR : SHUT_RDWR;
    if (sys_shutdown(fd_of(s), nhow) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

int sockport__posix_so_error(int fd, int *out)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return sockport__posix_fail(errno);
    *out = err;
    return 0;
}

int sockport__posix_take_error(sockport_socket *s)
{
    int err = 0;
    int rc = sockport__posix_so_error(fd_of(s), &err);
    if (rc < 0)
        return rc;
    return err == 0 ? 0 : sockport__posix_fail(err);
}
