/*
 * Message slots: sendmsg and recvmsg (the vectored calls arrive here too).
 *
 * A sockport_msghdr becomes a struct msghdr built on the stack: the iovec
 * array copied into SOCKPORT_IOV_MAX entries, the name into a
 * sockaddr_storage, the portable control messages translated into
 * SOCKPORT__POSIX_CTL_MAX bytes (cmsg.c). Nothing is allocated.
 *
 * Every send carries MSG_NOSIGNAL where it exists; every receive carries
 * MSG_CMSG_CLOEXEC where it exists, so that descriptors received with
 * SCM_RIGHTS are close-on-exec like every other descriptor sockport makes.
 * EINTR is retried.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <string.h>

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0 /* SO_NOSIGPIPE is set on the socket instead */
#endif

#ifdef MSG_CMSG_CLOEXEC
#define RECV_FLAGS MSG_CMSG_CLOEXEC
#else
#define RECV_FLAGS 0
#endif

/* Aligned native control room. */
typedef union ctlbuf {
    max_align_t align;
    unsigned char bytes[SOCKPORT__POSIX_CTL_MAX];
} ctlbuf;

int sockport__posix_native_msg_flags(int flags)
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

static int portable_flags(int native)
{
    int f = 0;
    if (native & MSG_TRUNC)
        f |= SOCKPORT_MSG_TRUNC;
    if (native & MSG_CTRUNC)
        f |= SOCKPORT_MSG_CTRUNC;
    return f;
}

/* ---- building native messages ------------------------------------------- */

static void set_iov(struct msghdr *out, const sockport_msghdr *m, struct iovec *iov)
{
    for (size_t i = 0; i < m->iovlen; i++) {
        iov[i].iov_base = m->iov[i].base;
        iov[i].iov_len = m->iov[i].len;
    }
    out->msg_iov = m->iovlen != 0 ? iov : NULL;
    out->msg_iovlen = (sockport__iovlen_t)m->iovlen;
}

int sockport__posix_msg_out(const sockport_msghdr *m, struct msghdr *out,
                            const sockport__posix_nbuf *b)
{
    size_t used = 0;
    socklen_t sl = 0;
    memset(out, 0, sizeof *out);
    if (m->name != NULL) {
        int rc = sockport__posix_to_native(m->name, b->name, &sl);
        if (rc < 0)
            return rc;
        out->msg_name = b->name;
        out->msg_namelen = sl;
    }
    int rc = sockport__posix_cmsg_out(m, b->ctl, b->ctlcap, &used);
    if (rc < 0)
        return rc;
    set_iov(out, m, b->iov);
    if (used != 0) {
        out->msg_control = b->ctl;
        out->msg_controllen = (sockport__ctllen_t)used;
    }
    return 0;
}

void sockport__posix_msg_in(const sockport_msghdr *m, struct msghdr *out,
                            const sockport__posix_nbuf *b)
{
    memset(out, 0, sizeof *out);
    if (m->name != NULL) {
        out->msg_name = b->name;
        out->msg_namelen = sizeof *b->name;
    }
    set_iov(out, m, b->iov);
    if (m->control != NULL && m->controllen != 0 && b->ctlcap != 0) {
        out->msg_control = b->ctl;
        out->msg_controllen = (sockport__ctllen_t)b->ctlcap;
    }
}

void sockport__posix_msg_done(sockport_msghdr *m, struct msghdr *native)
{
    int flags = portable_flags(native->msg_flags);
    if (m->name != NULL) {
        size_t len = native->msg_namelen;
        if (len > sizeof(struct sockaddr_storage))
            len = sizeof(struct sockaddr_storage);
        if (sockport__posix_from_native(m->name, native->msg_name, len) < 0)
            memset(m->name, 0, sizeof *m->name); /* the data is taken: an empty sender */
    }
    size_t used = sockport__posix_cmsg_in(m, native, &flags);
    if (m->control != NULL)
        m->controllen = used;
    m->flags = flags;
}

/* ---- the slots ------------------------------------------------------------ */

ptrdiff_t sockport__posix_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags)
{
    struct iovec iov[SOCKPORT_IOV_MAX];
    struct sockaddr_storage ss;
    ctlbuf ctl;
    struct msghdr nm;
    sockport__posix_nbuf b = {iov, &ss, ctl.bytes, sizeof ctl.bytes};
    int rc = sockport__posix_msg_out(msg, &nm, &b);
    if (rc < 0)
        return rc;
    int nflags = sockport__posix_native_msg_flags(flags) | SEND_FLAGS;
    ssize_t n;
    do {
        n = sys_sendmsg(sockport__posix_fd(s), &nm, nflags);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? sockport__posix_fail(errno) : (ptrdiff_t)n;
}

ptrdiff_t sockport__posix_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags)
{
    struct iovec iov[SOCKPORT_IOV_MAX];
    struct sockaddr_storage ss;
    ctlbuf ctl;
    struct msghdr nm;
    sockport__posix_nbuf b = {iov, &ss, ctl.bytes, sizeof ctl.bytes};
    int nflags = sockport__posix_native_msg_flags(flags) | RECV_FLAGS;
    ssize_t n;
    do {
        sockport__posix_msg_in(msg, &nm, &b);
        n = sys_recvmsg(sockport__posix_fd(s), &nm, nflags);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return sockport__posix_fail(errno);
    sockport__posix_msg_done(msg, &nm);
    return (ptrdiff_t)n;
}
