/*
 * send and recv: the hot path.
 *
 * Lengths are clamped to INT_MAX (what one WinSock call takes): a longer
 * buffer gives a short count, never an error. Receive rewrites two WinSock
 * answers into what POSIX says:
 * - WSAESHUTDOWN (a receive after this side's SD_RECEIVE) is end of stream, 0;
 * - WSAEMSGSIZE (a datagram longer than the buffer; the buffer was filled) is
 *   success with len bytes and SOCKPORT_MSG_TRUNC in *out_flags, for recv,
 *   recvfrom and MSG_PEEK alike (socket2 maps it only in its vectored calls).
 * On send, WSAESHUTDOWN is SOCKPORT_EPIPE (errors.c).
 *
 * SOCKPORT_MSG_DONTWAIT has no WinSock flag. On a socket the core remembers
 * as non-blocking it is a no-op. On a blocking socket sockport asks WSAPoll,
 * with a zero timeout, whether the call can proceed (SOCKPORT_EAGAIN if not)
 * and then makes it; it does not flip FIONBIO around the call, because the
 * mode belongs to the socket, not the call: another thread blocked in recv or
 * send on the same socket would see WSAEWOULDBLOCK during the window, and
 * sockport.h lets several threads do I/O on one socket. What remains is
 * confined to the caller that asked: if another thread consumes the data (or
 * the buffer space) between the poll and the call, this call can block; and
 * a stream send writes at most SO_SNDBUF bytes (a short count, as a
 * non-blocking send gives), since a blocking WinSock send of more than the
 * free space waits for it (it can still wait when less than SO_SNDBUF is
 * free). The alternative, FIONBIO on and off around the call, has no such
 * residue for the caller but breaks every other thread's blocking call.
 */
#include "winsock.h"

#include <limits.h>
#include <string.h>

static int clamp_len(size_t len)
{
    return len > (size_t)INT_MAX ? INT_MAX : (int)len;
}

int sockport__winsock_dontwait(sockport_socket *s, int flags)
{
    return (flags & SOCKPORT_MSG_DONTWAIT) && !(s->flags & SOCKPORT_F_NONBLOCK);
}

/* One zero-timeout WSAPoll: 0 when the call can go ahead (ready, or an error
 * or hang-up that the call itself will report), else SOCKPORT_EAGAIN. */
int sockport__winsock_poll_now(SOCKET h, SHORT events)
{
    SHORT revents = 0;
    int n = sockport__winsock_wait(h, events, 0, &revents);
    if (n < 0)
        return n;
    if (n == 0)
        return sockport__fail(SOCKPORT_EAGAIN, WSAEWOULDBLOCK);
    return 0;
}

/* DONTWAIT send on a blocking socket: writable now, and (a stream) no more
 * than the send buffer holds; a datagram is never cut. */
size_t sockport__winsock_send_room(SOCKET h)
{
    int room = 0, len = (int)sizeof room;
    if (sys_getsockopt(h, SOL_SOCKET, SO_SNDBUF, (char *)&room, &len) == 0 && len == 4 && room > 0)
        return (size_t)room;
    return 0;
}

static int dontwait_send(SOCKET h, int type, int *n)
{
    int rc = sockport__winsock_poll_now(h, POLLWRNORM);
    if (rc < 0 || type != SOCKPORT_SOCK_STREAM)
        return rc;
    size_t room = sockport__winsock_send_room(h);
    if (room != 0 && (size_t)*n > room)
        *n = (int)room;
    return 0;
}

ptrdiff_t sockport__winsock_send(sockport_socket *s, const void *buf, size_t len, int flags,
                                 const sockport_addr *to)
{
    SOCKET h = sockport__winsock_socket(s);
    const char *p = buf != NULL ? (const char *)buf : "";
    int n = clamp_len(len), rc;
    if (sockport__winsock_dontwait(s, flags) && (rc = dontwait_send(h, s->type, &n)) < 0)
        return rc;
    int nflags = (flags & SOCKPORT_MSG_OOB) ? MSG_OOB : 0;
    int r;
    if (to != NULL) {
        SOCKADDR_STORAGE ss;
        int sl = 0;
        if ((rc = sockport__winsock_to_native(to, &ss, &sl)) < 0)
            return rc;
        r = sys_sendto(h, p, n, nflags, (const struct sockaddr *)&ss, sl);
    } else {
        r = sys_send(h, p, n, nflags);
    }
    if (r == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return r;
}

int sockport__winsock_recv_flags(int flags, int dontwait)
{
    int n = 0;
    if (flags & SOCKPORT_MSG_PEEK)
        n |= MSG_PEEK;
    if (flags & SOCKPORT_MSG_OOB)
        n |= MSG_OOB;
    if ((flags & SOCKPORT_MSG_WAITALL) && !dontwait) /* DONTWAIT wins, as on POSIX */
        n |= MSG_WAITALL;
    return n;
}

/* The receive itself; *code holds the WSA code when it returns SOCKET_ERROR. */
static int do_recv(SOCKET h, char *p, int n, int nflags, SOCKADDR_STORAGE *ss, int *sl, int *code)
{
    int r = ss != NULL ? sys_recvfrom(h, p, n, nflags, (struct sockaddr *)ss, sl)
                       : sys_recv(h, p, n, nflags);
    if (r == SOCKET_ERROR)
        *code = sys_wsagetlasterror();
    return r;
}

ptrdiff_t sockport__winsock_recv(sockport_socket *s, void *buf, size_t len, int flags,
                                 sockport_addr *from, int *out_flags)
{
    SOCKET h = sockport__winsock_socket(s);
    char dummy = 0;
    char *p = buf != NULL ? (char *)buf : &dummy;
    int n = clamp_len(len), dontwait = sockport__winsock_dontwait(s, flags), rc, code = 0,
        trunc = 0;
    if (dontwait && (rc = sockport__winsock_poll_now(
                         h, (flags & SOCKPORT_MSG_OOB) ? POLLRDBAND : POLLRDNORM)) < 0)
        return rc;
    SOCKADDR_STORAGE ss;
    int sl = (int)sizeof ss;
    memset(&ss, 0, sizeof ss);
    int r = do_recv(h, p, n, sockport__winsock_recv_flags(flags, dontwait),
                    from != NULL ? &ss : NULL, &sl, &code);
    if (r == SOCKET_ERROR && code == WSAESHUTDOWN) {
        r = 0; /* after SD_RECEIVE: end of stream, as on POSIX */
        sl = 0;
    } else if (r == SOCKET_ERROR && code == WSAEMSGSIZE) {
        r = n; /* the buffer holds the datagram's first n bytes */
        trunc = 1;
    } else if (r == SOCKET_ERROR) {
        return sockport__winsock_fail(code);
    }
    sockport_addr tmp;
    if (from != NULL && (rc = sockport__winsock_from_native(&tmp, &ss, (size_t)sl)) < 0)
        return rc;
    if (from != NULL)
        *from = tmp;
    if (out_flags != NULL)
        *out_flags = trunc ? SOCKPORT_MSG_TRUNC : 0;
    return r;
}
