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

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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

/*
 * The hot path. bench/ gates every data call at <= 30 user-space
 * instructions over raw libc (the perf.io test), so:
 * - a successful call is one system call and one test of its result;
 *   failures and EINTR leave through COLD functions;
 * - the arguments a retry needs are kept in a small struct in memory
 *   (send_call, recv_call) rather than in saved registers;
 * - IPv4 and IPv6 addresses are converted inline (ip_to_native,
 *   store_sender); Unix addresses and malformed ones go through sockaddr.c;
 * - each path with a native address is its own NOINLINE function, so that
 *   a plain send or receive keeps a small frame.
 */
#if defined(__GNUC__)
#define COLD     __attribute__((cold, noinline))
#define NOINLINE __attribute__((noinline))
#else
#define COLD
#define NOINLINE
#endif

/* SOCKPORT_MSG_{PEEK,OOB,DONTWAIT,WAITALL} (bits 0-3, the only ones the core
 * admits) to native flags by table: a chain of four tests costs more on the
 * hot path and makes GCC shuffle the argument registers around it. Sends
 * carry SEND_FLAGS too, folded into their own table. */
_Static_assert(SOCKPORT_MSG_PEEK == 1 && SOCKPORT_MSG_OOB == 2 && SOCKPORT_MSG_DONTWAIT == 4 &&
                   SOCKPORT_MSG_WAITALL == 8,
               "the flag tables are indexed by these bits");
#define NF(f)                                                                                      \
    (((f)&1 ? MSG_PEEK : 0) | ((f)&2 ? MSG_OOB : 0) | ((f)&4 ? MSG_DONTWAIT : 0) |                 \
     ((f)&8 ? MSG_WAITALL : 0))
#define NF_TABLE(x)                                                                                \
    {                                                                                              \
        NF(0) | (x), NF(1) | (x), NF(2) | (x), NF(3) | (x), NF(4) | (x), NF(5) | (x), NF(6) | (x), \
            NF(7) | (x), NF(8) | (x), NF(9) | (x), NF(10) | (x), NF(11) | (x), NF(12) | (x),       \
            NF(13) | (x), NF(14) | (x), NF(15) | (x)                                               \
    }
const int sockport__posix_recv_flags[16] = NF_TABLE(0);
static const int send_flags_table[16] = NF_TABLE(SEND_FLAGS);

#define native_msg_flags sockport__posix_native_msg_flags

/* Native flags of a send, SEND_FLAGS included. */
static int native_send_flags(int flags)
{
    return send_flags_table[flags & 15];
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

/* A native address of any family the backend knows. */
typedef union native_addr {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    struct sockaddr_storage ss;
} native_addr;

/* An IP destination, natively: the length, or 0 for another family (then
 * sockaddr.c's sockport__posix_to_native, which also names the errors). */
static socklen_t ip_to_native(const sockport_addr *to, native_addr *u)
{
    if (to->family_ == SOCKPORT_AF_INET) {
        memset(&u->in, 0, sizeof u->in);
#ifdef SIN6_LEN /* BSD layouts carry a length byte */
        u->in.sin_len = sizeof u->in;
#endif
        u->in.sin_family = AF_INET;
        u->in.sin_port = htons(to->port_);
        memcpy(&u->in.sin_addr, to->u_.ip, 4);
        return sizeof u->in;
    }
    if (to->family_ != SOCKPORT_AF_INET6)
        return 0;
    memset(&u->in6, 0, sizeof u->in6);
#ifdef SIN6_LEN
    u->in6.sin6_len = sizeof u->in6;
#endif
    u->in6.sin6_family = AF_INET6;
    u->in6.sin6_port = htons(to->port_);
    u->in6.sin6_flowinfo = htonl(to->flowinfo_);
    u->in6.sin6_scope_id = to->scope_id_;
    memcpy(&u->in6.sin6_addr, to->u_.ip, 16);
    return sizeof u->in6;
}

/* Zeroes an address with 16-byte stores: a memset of its 124 bytes (or a
 * loop, which GCC turns back into one) compiles to `rep stos`, about twice
 * the instructions. Seven blocks, then the last 16 bytes. */
static void zero_addr(sockport_addr *a)
{
    static const unsigned char zero[16];
    unsigned char *p = (unsigned char *)a;
    _Static_assert(sizeof *a > 112 && sizeof *a <= 128, "zero_addr covers sockport_addr");
    memcpy(p, zero, 16);
    memcpy(p + 16, zero, 16);
    memcpy(p + 32, zero, 16);
    memcpy(p + 48, zero, 16);
    memcpy(p + 64, zero, 16);
    memcpy(p + 80, zero, 16);
    memcpy(p + 96, zero, 16);
    memcpy(p + sizeof *a - 16, zero, 16);
}

/* The sender of a received datagram in a family store_sender does not
 * build inline: sockaddr.c converts it. A sender that cannot be converted is
 * reported empty: the data is taken. */
static NOINLINE ptrdiff_t store_other_sender(sockport_addr *from, const native_addr *u,
                                             socklen_t sl, ptrdiff_t n)
{
    if (sockport__posix_from_native(from, u, sl < sizeof *u ? sl : sizeof *u) < 0)
        zero_addr(from);
    return n;
}

/* The sender of a received datagram, IPv4 and IPv6 inline, exactly as
 * sockport_addr_ipv4/ipv6 build them; anything else, and a length short of
 * the family's sockaddr, through store_other_sender. Returns n, the byte
 * count, so that the caller keeps nothing alive across the slow path. */
static inline ptrdiff_t store_sender(sockport_addr *from, const native_addr *u, socklen_t sl,
                                     ptrdiff_t n)
{
    sa_family_t af = sl >= sizeof u->in ? u->sa.sa_family : AF_UNSPEC;
    if (af == AF_INET) {
        zero_addr(from);
        from->family_ = SOCKPORT_AF_INET;
        from->port_ = ntohs(u->in.sin_port);
        memcpy(from->u_.ip, &u->in.sin_addr, 4);
        return n;
    }
    if (af == AF_INET6 && sl >= sizeof u->in6) {
        zero_addr(from);
        from->family_ = SOCKPORT_AF_INET6;
        from->port_ = ntohs(u->in6.sin6_port);
        from->flowinfo_ = ntohl(u->in6.sin6_flowinfo) & 0xfffffu; /* the label, not the class */
        from->scope_id_ = u->in6.sin6_scope_id;
        memcpy(from->u_.ip, &u->in6.sin6_addr, 16);
        return n;
    }
    return store_other_sender(from, u, sl, n);
}

/* ---- send -------------------------------------------------------------- */

/* One send's arguments, in memory across the system call (see above); a
 * send_to's native destination lives here too. fd and nflags are kept
 * apart: side by side, GCC packs them through an SSE register, which costs
 * two instructions more than two stores. */
typedef struct send_call {
    int fd;
    const void *buf;
    size_t len;
    int nflags;
    socklen_t sl;  /* send_to: the length of u */
    native_addr u; /* send_to: the destination, natively */
} send_call;

/* A send that failed: retried while EINTR (sendto when to_addr). */
static COLD ptrdiff_t send_again(const send_call *c, int to_addr)
{
    ssize_t n = -1;
    while (n < 0 && errno == EINTR)
        n = to_addr ? sys_sendto(c->fd, c->buf, c->len, c->nflags, &c->u.sa, c->sl)
                    : sys_send(c->fd, c->buf, c->len, c->nflags);
    return n < 0 ? sockport__posix_fail(errno) : (ptrdiff_t)n;
}

/* sendto to c->u: one call, one test (EINTR: send_again). */
static inline ptrdiff_t sendto_native(send_call *c, sockport_socket *s, const void *buf, size_t len,
                                      int flags)
{
    c->fd = fd_of(s), c->buf = buf, c->len = len, c->nflags = native_send_flags(flags);
    ssize_t n = sys_sendto(c->fd, c->buf, c->len, c->nflags, &c->u.sa, c->sl);
    return n >= 0 ? (ptrdiff_t)n : send_again(c, 1);
}

/* send_to to an address ip_to_native does not build: sockaddr.c converts it
 * or names the error. */
static NOINLINE ptrdiff_t send_to_other(sockport_socket *s, const void *buf, size_t len, int flags,
                                        const sockport_addr *to)
{
    send_call c;
    c.sl = 0;
    int rc = sockport__posix_to_native(to, &c.u.ss, &c.sl);
    return rc < 0 ? rc : sendto_native(&c, s, buf, len, flags);
}

static NOINLINE ptrdiff_t send_to(sockport_socket *s, const void *buf, size_t len, int flags,
                                  const sockport_addr *to)
{
    send_call c;
    if ((c.sl = ip_to_native(to, &c.u)) == 0)
        return send_to_other(s, buf, len, flags, to);
    return sendto_native(&c, s, buf, len, flags);
}

ptrdiff_t sockport__posix_send(sockport_socket *s, const void *buf, size_t len, int flags,
                               const sockport_addr *to)
{
    if (to != NULL)
        return send_to(s, buf, len, flags, to);
    send_call c;
    c.fd = fd_of(s), c.buf = buf, c.len = len, c.nflags = native_send_flags(flags);
    ssize_t n = sys_send(c.fd, c.buf, c.len, c.nflags);
    return n >= 0 ? (ptrdiff_t)n : send_again(&c, 0);
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

/* A receive that wants out_flags (and perhaps the sender). */
static NOINLINE ptrdiff_t recv_full(sockport_socket *s, void *buf, size_t len, int flags,
                                    sockport_addr *from, int *out_flags)
{
    native_addr u;
    socklen_t sl;
    int got = 0, nflags = native_msg_flags(flags);
    ssize_t n;
    do {
        sl = sizeof u;
        n = recv_once(s, buf, len, nflags, from != NULL ? &u.ss : NULL, &sl, &got);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return sockport__posix_fail(errno);
    *out_flags = got;
    return from != NULL ? store_sender(from, &u, sl, n) : (ptrdiff_t)n;
}

/* One receive's arguments, in memory across the system call (as
 * send_call); recv_from's sender and its length live here too, so that
 * nothing stays in a saved register. */
typedef struct recv_call {
    int fd;
    void *buf;
    size_t len;
    int nflags;
    sockport_addr *from; /* recv_from: where the sender goes */
    socklen_t sl;        /* recv_from: the length of u */
    native_addr u;       /* recv_from: the sender, natively */
} recv_call;

/* A receive that failed: retried while EINTR (recvfrom when want_sender). */
static COLD ptrdiff_t recv_again(recv_call *c, int want_sender)
{
    ssize_t n = -1;
    while (n < 0 && errno == EINTR) {
        c->sl = sizeof c->u;
        n = want_sender ? sys_recvfrom(c->fd, c->buf, c->len, c->nflags, &c->u.sa, &c->sl)
                        : sys_recv(c->fd, c->buf, c->len, c->nflags);
    }
    return n < 0 ? sockport__posix_fail(errno) : (ptrdiff_t)n;
}

/* A receive that wants the sender only: recvfrom. */
static NOINLINE ptrdiff_t recv_from(sockport_socket *s, void *buf, size_t len, int flags,
                                    sockport_addr *from)
{
    recv_call c;
    c.fd = fd_of(s), c.buf = buf, c.len = len, c.nflags = native_msg_flags(flags);
    c.from = from, c.sl = sizeof c.u;
    ptrdiff_t n = sys_recvfrom(c.fd, c.buf, c.len, c.nflags, &c.u.sa, &c.sl);
    if (n < 0 && (n = recv_again(&c, 1)) < 0)
        return n;
    return store_sender(c.from, &c.u, c.sl, n);
}

ptrdiff_t sockport__posix_recv(sockport_socket *s, void *buf, size_t len, int flags,
                               sockport_addr *from, int *out_flags)
{
    if (((uintptr_t)from | (uintptr_t)out_flags) != 0) /* one test for the common case */
        return out_flags != NULL ? recv_full(s, buf, len, flags, from, out_flags)
                                 : recv_from(s, buf, len, flags, from);
    recv_call c;
    c.fd = fd_of(s), c.buf = buf, c.len = len, c.nflags = native_msg_flags(flags);
    ssize_t n = sys_recv(c.fd, c.buf, c.len, c.nflags);
    return n >= 0 ? (ptrdiff_t)n : recv_again(&c, 0);
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
