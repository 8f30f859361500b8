/*
 * Message slots: sendmsg and recvmsg (the vectored calls arrive here too).
 *
 * A sockport_msghdr becomes a struct msghdr built on the stack: the iovec
 * array passed as it is (same layout), the name into a sockaddr_storage, the
 * portable control messages translated into SOCKPORT__POSIX_CTL_MAX bytes
 * (cmsg.c). A message without name or control data (every vectored call)
 * skips the translation entirely. Nothing is allocated.
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

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define COLD     __attribute__((cold, noinline))
#else
#define NOINLINE
#define COLD
#endif

/* sockport_iovec is laid out as struct iovec on every POSIX system we know,
 * so the caller's array is handed to the kernel as it is: no copy. */
_Static_assert(sizeof(sockport_iovec) == sizeof(struct iovec) &&
                   offsetof(sockport_iovec, base) == offsetof(struct iovec, iov_base) &&
                   offsetof(sockport_iovec, len) == offsetof(struct iovec, iov_len),
               "sockport_iovec must match struct iovec");

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

static void set_iov(struct msghdr *out, const sockport_msghdr *m)
{
    out->msg_iov = (struct iovec *)(uintptr_t)m->iov;
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
    set_iov(out, m);
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
    set_iov(out, m);
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

/* A message with no name and no control data (every vectored call): the
 * iovec array goes to the kernel as it is, nothing is translated. */
static int is_plain(const sockport_msghdr *m)
{
    return m->name == NULL && m->controllen == 0;
}

static ptrdiff_t send_native(sockport_socket *s, const struct msghdr *nm, int flags)
{
    int nflags = sockport__posix_native_msg_flags(flags) | SEND_FLAGS;
    ssize_t n;
    do {
        n = sys_sendmsg(sockport__posix_fd(s), nm, nflags);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? sockport__posix_fail(errno) : (ptrdiff_t)n;
}

/* A plain send or receive that failed: retried while EINTR, else the error.
 * Out of line, so the plain paths are one system call and one test. */
static COLD ptrdiff_t plain_again(sockport_socket *s, struct msghdr *nm, int nflags, int send)
{
    ssize_t n = -1;
    while (n < 0 && errno == EINTR)
        n = send ? sys_sendmsg(sockport__posix_fd(s), nm, nflags)
                 : sys_recvmsg(sockport__posix_fd(s), nm, nflags);
    return n < 0 ? sockport__posix_fail(errno) : (ptrdiff_t)n;
}

/* The general send: name and control data translated on the stack. Kept out
 * of line so the plain path does not pay for its large frame. */
static NOINLINE ptrdiff_t send_translated(sockport_socket *s, const sockport_msghdr *msg, int flags)
{
    struct sockaddr_storage ss;
    ctlbuf ctl;
    struct msghdr nm;
    sockport__posix_nbuf b = {&ss, ctl.bytes, sizeof ctl.bytes};
    int rc = sockport__posix_msg_out(msg, &nm, &b);
    return rc < 0 ? rc : send_native(s, &nm, flags);
}

ptrdiff_t sockport__posix_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags)
{
    if (!is_plain(msg))
        return send_translated(s, msg, flags);
    struct msghdr nm = {0};
    int nflags = sockport__posix_native_msg_flags(flags) | SEND_FLAGS;
    set_iov(&nm, msg);
    ssize_t n = sys_sendmsg(sockport__posix_fd(s), &nm, nflags);
    return n >= 0 ? (ptrdiff_t)n : plain_again(s, &nm, nflags, 1);
}

static NOINLINE ptrdiff_t recv_translated(sockport_socket *s, sockport_msghdr *msg, int flags)
{
    struct sockaddr_storage ss;
    ctlbuf ctl;
    struct msghdr nm;
    sockport__posix_nbuf b = {&ss, ctl.bytes, sizeof ctl.bytes};
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

ptrdiff_t sockport__posix_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags)
{
    if (!is_plain(msg))
        return recv_translated(s, msg, flags);
    struct msghdr nm = {0};
    int nflags = sockport__posix_native_msg_flags(flags) | RECV_FLAGS;
    ssize_t n;
    set_iov(&nm, msg);
    n = sys_recvmsg(sockport__posix_fd(s), &nm, nflags);
    if (n < 0 && (n = plain_again(s, &nm, nflags, 0)) < 0)
        return n;
    msg->flags = portable_flags(nm.msg_flags);
    return (ptrdiff_t)n;
}
