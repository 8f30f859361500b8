/*
 * Message I/O: the vectored calls, sendmsg/recvmsg with portable control
 * messages, and the batched calls (a loop: Windows has no sendmmsg).
 *
 * Buffers: the iovec array becomes a WSABUF array on the stack (at most
 * SOCKPORT_IOV_MAX, as the core checked). Each length is clamped to a ULONG
 * and the total to ULONG_MAX, what the DWORD byte count can report: a longer
 * request gives a short count, never an error (socket2 panics there).
 *
 * Send: WSASend / WSASendTo; WSASendMsg for a datagram socket with control
 * data, translated to WSACMSGHDRs (cmsg.c) in a stack scratch. A stream
 * socket takes no control data on Windows: its control buffer is checked
 * (RIGHTS is SOCKPORT_ENOTSUP, a malformed one SOCKPORT_EINVAL) and not sent,
 * as Linux TCP ignores IP-level control messages.
 *
 * Receive: WSARecv on a stream socket (no sender, no control data);
 * WSARecvMsg on every datagram socket, so that IP_PKTINFO and the other
 * enabled messages are delivered (socket2 has no recvmsg on Windows). As in
 * io.c, WSAESHUTDOWN is end of stream (0) and WSAEMSGSIZE a truncated
 * success: SOCKPORT_MSG_TRUNC, as is WSARecvMsg's MSG_TRUNC; MSG_CTRUNC, or a
 * translated message that did not fit the caller's room, is
 * SOCKPORT_MSG_CTRUNC. SOCKPORT_MSG_DONTWAIT is handled as in io.c.
 *
 * Batches: sendmmsg sends one message after another with the caller's
 * flags, as Linux's sendmmsg does; recvmmsg waits (per the flags) for the
 * first and takes the rest with SOCKPORT_MSG_DONTWAIT. Both stop at the
 * first failure after a success and return the count so far.
 */
#include "winsock.h"

#include <limits.h>
#include <string.h>

#define CONTROL_ROOM 512 /* native control scratch: a dozen WSACMSGHDRs */

typedef union native_control {
    WSACMSGHDR align_;
    unsigned char b[CONTROL_ROOM];
} native_control;

static char no_bytes[1]; /* the buffer of an empty WSABUF */

static SOCKET sock_of(sockport_socket *s)
{
    return sockport__winsock_socket(s);
}

/* WSABUFs for iov: lengths clamped to ULONG, the total to cap (<= ULONG_MAX).
 * Never 0 buffers: WinSock wants at least one. */
static DWORD to_wsabuf(WSABUF *w, const sockport_iovec *iov, size_t n, size_t cap)
{
    DWORD k = 0;
    for (size_t i = 0; i < n && cap > 0; i++) {
        size_t len = iov[i].len < cap ? iov[i].len : cap;
        w[k].len = (ULONG)len;
        w[k].buf = iov[i].base != NULL ? (char *)iov[i].base : no_bytes;
        cap -= len;
        k++;
    }
    if (k == 0) {
        w[0].len = 0;
        w[0].buf = no_bytes;
        k = 1;
    }
    return k;
}

/* ---- send ------------------------------------------------------------------- */

/* DONTWAIT on a blocking socket: writable now, and a stream send cut to
 * SO_SNDBUF (*cap), as io.c does. */
static int send_prepare(sockport_socket *s, int flags, size_t *cap)
{
    if (!sockport__winsock_dontwait(s, flags))
        return 0;
    int rc = sockport__winsock_poll_now(sock_of(s), POLLWRNORM);
    if (rc < 0 || s->type != SOCKPORT_SOCK_STREAM)
        return rc;
    size_t room = sockport__winsock_send_room(sock_of(s));
    if (room != 0 && room < *cap)
        *cap = room;
    return 0;
}

static ptrdiff_t send_plain(sockport_socket *s, const sockport_addr *to, WSABUF *w, DWORD nw,
                            int flags)
{
    DWORD sent = 0, nflags = (flags & SOCKPORT_MSG_OOB) ? MSG_OOB : 0;
    SOCKADDR_STORAGE ss;
    int sl = 0, rc, r;
    if (to != NULL) {
        if ((rc = sockport__winsock_to_native(to, &ss, &sl)) < 0)
            return rc;
        r = sys_wsasendto(sock_of(s), w, nw, &sent, nflags, (const struct sockaddr *)&ss, sl);
    } else {
        r = sys_wsasend(sock_of(s), w, nw, &sent, nflags);
    }
    if (r == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return (ptrdiff_t)sent;
}

static ptrdiff_t send_control(sockport_socket *s, const sockport_msghdr *m, WSABUF *w, DWORD nw,
                              int flags)
{
    native_control c;
    SOCKADDR_STORAGE ss;
    size_t used = 0;
    int sl = 0;
    int rc = sockport__winsock_cmsg_out(s, m->control, m->controllen, c.b, sizeof c.b, &used);
    if (rc < 0)
        return rc;
    if (s->type == SOCKPORT_SOCK_STREAM || used == 0)
        return send_plain(s, m->name, w, nw, flags); /* streams take no control data */
    if (m->name != NULL && (rc = sockport__winsock_to_native(m->name, &ss, &sl)) < 0)
        return rc;
    WSAMSG wm;
    memset(&wm, 0, sizeof wm);
    wm.name = m->name != NULL ? (LPSOCKADDR)&ss : NULL;
    wm.namelen = sl;
    wm.lpBuffers = w;
    wm.dwBufferCount = nw;
    wm.Control.len = (ULONG)used;
    wm.Control.buf = (char *)c.b;
    DWORD sent = 0;
    if (sys_wsasendmsg(sock_of(s), &wm, 0, &sent) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return (ptrdiff_t)sent;
}

ptrdiff_t sockport__winsock_sendmsg(sockport_socket *s, const sockport_msghdr *m, int flags)
{
    WSABUF w[SOCKPORT_IOV_MAX];
    size_t cap = ULONG_MAX;
    int rc = send_prepare(s, flags, &cap);
    if (rc < 0)
        return rc;
    DWORD nw = to_wsabuf(w, m->iov, m->iovlen, cap);
    if (m->control != NULL && m->controllen != 0)
        return send_control(s, m, w, nw, flags);
    return send_plain(s, m->name, w, nw, flags);
}

/* ---- receive ------------------------------------------------------------------ */

static ptrdiff_t recv_stream(sockport_socket *s, sockport_msghdr *m, WSABUF *w, DWORD nw,
                             DWORD nflags)
{
    DWORD got = 0;
    if (sys_wsarecv(sock_of(s), w, nw, &got, &nflags) == SOCKET_ERROR) {
        int code = sys_wsagetlasterror();
        if (code != WSAESHUTDOWN)
            return sockport__winsock_fail(code);
        got = 0; /* after SD_RECEIVE: end of stream, as on POSIX */
    }
    if (m->name != NULL)
        memset(m->name, 0, sizeof *m->name); /* a stream names no sender: the empty address */
    m->controllen = 0;
    m->flags = 0;
    return (ptrdiff_t)got;
}

static DWORD total_of(const WSABUF *w, DWORD nw)
{
    DWORD t = 0;
    for (DWORD i = 0; i < nw; i++)
        t += w[i].len; /* the total was kept to ULONG_MAX */
    return t;
}

/* Fills the caller's message from a completed WSARecvMsg. */
static ptrdiff_t recv_finish(sockport_msghdr *m, const WSAMSG *wm, const native_control *c,
                             DWORD got, int trunc)
{
    sockport_addr from;
    int ctrunc = 0;
    if (m->name != NULL) {
        int rc = sockport__winsock_from_native(&from, wm->name, (size_t)wm->namelen);
        if (rc < 0)
            return rc;
        *m->name = from;
    }
    m->controllen =
        sockport__winsock_cmsg_in(c->b, wm->Control.len, m->control, m->controllen, &ctrunc);
    m->flags = (trunc || (wm->dwFlags & MSG_TRUNC) ? SOCKPORT_MSG_TRUNC : 0) |
               (ctrunc || (wm->dwFlags & MSG_CTRUNC) ? SOCKPORT_MSG_CTRUNC : 0);
    return (ptrdiff_t)got;
}

static ptrdiff_t recv_datagram(sockport_socket *s, sockport_msghdr *m, WSABUF *w, DWORD nw,
                               DWORD nflags)
{
    native_control c;
    SOCKADDR_STORAGE ss;
    WSAMSG wm;
    DWORD got = 0;
    int trunc = 0, room = m->control != NULL && m->controllen != 0;
    memset(&ss, 0, sizeof ss);
    memset(&wm, 0, sizeof wm);
    wm.name = (LPSOCKADDR)&ss;
    wm.namelen = (INT)sizeof ss;
    wm.lpBuffers = w;
    wm.dwBufferCount = nw;
    wm.Control.len = room ? (ULONG)sizeof c.b : 0;
    wm.Control.buf = room ? (char *)c.b : NULL;
    wm.dwFlags = nflags & (MSG_PEEK | MSG_OOB); /* WAITALL means nothing for a datagram */
    if (sys_wsarecvmsg(sock_of(s), &wm, &got) == SOCKET_ERROR) {
        int code = sys_wsagetlasterror();
        if (code != WSAEMSGSIZE && code != WSAESHUTDOWN)
            return sockport__winsock_fail(code);
        trunc = code == WSAEMSGSIZE; /* the buffers hold the datagram's first bytes */
        got = trunc ? (got != 0 ? got : total_of(w, nw)) : 0;
        if (!trunc) /* after SD_RECEIVE: end of stream, no sender */
            wm.namelen = 0, wm.Control.len = 0, wm.dwFlags = 0;
    }
    return recv_finish(m, &wm, &c, got, trunc);
}

ptrdiff_t sockport__winsock_recvmsg(sockport_socket *s, sockport_msghdr *m, int flags)
{
    WSABUF w[SOCKPORT_IOV_MAX];
    int dontwait = sockport__winsock_dontwait(s, flags), rc;
    SHORT events = (flags & SOCKPORT_MSG_OOB) ? POLLRDBAND : POLLRDNORM;
    if (dontwait && (rc = sockport__winsock_poll_now(sock_of(s), events)) < 0)
        return rc;
    DWORD nw = to_wsabuf(w, m->iov, m->iovlen, ULONG_MAX);
    DWORD nflags = (DWORD)sockport__winsock_recv_flags(flags, dontwait);
    if (s->type == SOCKPORT_SOCK_STREAM)
        return recv_stream(s, m, w, nw, nflags);
    return recv_datagram(s, m, w, nw, nflags);
}

/* ---- batches ------------------------------------------------------------------- */

int sockport__winsock_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++) {
        ptrdiff_t r = sockport__winsock_sendmsg(s, &msgs[i].hdr, flags);
        if (r < 0)
            return i == 0 ? (int)r : (int)i;
        msgs[i].len = (size_t)r;
    }
    return (int)n;
}

int sockport__winsock_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++) {
        int f = i == 0 ? flags : (flags | SOCKPORT_MSG_DONTWAIT);
        ptrdiff_t r = sockport__winsock_recvmsg(s, &msgs[i].hdr, f);
        if (r < 0)
            return i == 0 ? (int)r : (int)i; /* the rest: what was already queued */
        msgs[i].len = (size_t)r;
    }
    return (int)n;
}
