/*
 * Connection slots: bind, listen, accept, connect, connect_timeout, shutdown,
 * take_error, the local and peer addresses, and the WSAPoll wait they share
 * with pair.c and io.c.
 *
 * connect_timeout: FIONBIO on (unless the socket already is non-blocking, as
 * the core remembers), connect, then WSAPoll for writability until the
 * deadline (GetTickCount64; the wait recomputed from what remains, clamped to
 * 1..INT_MAX ms, so a wait over 24.8 days is done in several polls);
 * POLLERR/POLLHUP read SO_ERROR for the verdict. The blocking mode is then
 * restored exactly as it was, on success and failure alike. Timeout 0 checks
 * once. Windows builds before 10 2004 have a WSAPoll bug that never reports a
 * refused connect: there the answer is SOCKPORT_ETIMEDOUT at the deadline.
 * After a timeout the connection attempt goes on in the background (as on
 * POSIX); close the socket to stop it.
 */
#include "winsock.h"

#include <limits.h>
#include <string.h>

static SOCKET sock_of(sockport_socket *s)
{
    return sockport__winsock_socket(s);
}

/* ---- waiting ----------------------------------------------------------- */

static INT wait_ms(ULONGLONG deadline)
{
    ULONGLONG now = sockport__winsock_now();
    if (now >= deadline)
        return 0;
    ULONGLONG left = deadline - now;
    return left > (ULONGLONG)INT_MAX ? INT_MAX : (INT)left; /* >= 1 here */
}

int sockport__winsock_wait(SOCKET h, SHORT events, ULONGLONG deadline, SHORT *revents)
{
    for (;;) {
        INT ms = wait_ms(deadline);
        WSAPOLLFD p = {h, events, 0};
        int n = sys_wsapoll(&p, 1, ms);
        if (n > 0) {
            *revents = p.revents;
            return 1;
        }
        if (n == 0 && (ms == 0 || sockport__winsock_now() >= deadline))
            return 0;
        if (n < 0) {
            int code = sys_wsagetlasterror();
            if (code != WSAEINTR) /* sockport.h's EINTR policy: retry */
                return sockport__winsock_fail(code);
        }
    }
}

int sockport__winsock_so_error(SOCKET h, int *code)
{
    int v = 0, len = (int)sizeof v;
    if (sys_getsockopt(h, SOL_SOCKET, SO_ERROR, (char *)&v, &len) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    *code = v;
    return 0;
}

/* WinSock, and Wine 8 measurably, keep a failed connect's SO_ERROR however
 * often it is read, where POSIX (and sockport.h) clear it on reading. The
 * state remembers the code last reported and answers 0 for it until the
 * system reports another one, reports none, or a new connect starts. */
int sockport__winsock_take_so_error(sockport_socket *s, int *code)
{
    sockport__winsock_state *st = sockport__winsock_st(s);
    int v = 0;
    int rc = sockport__winsock_so_error(st->sock, &v);
    if (rc < 0)
        return rc;
    if (v == 0 || v != st->so_error_seen)
        st->so_error_seen = v;
    else
        v = 0; /* already reported: cleared */
    *code = v;
    return 0;
}

/* ---- bind, listen, accept ------------------------------------------------ */

int sockport__winsock_bind(sockport_socket *s, const sockport_addr *a)
{
    SOCKADDR_STORAGE ss;
    int len = 0;
    int rc = sockport__winsock_to_native(a, &ss, &len);
    if (rc < 0)
        return rc;
    if (sys_bind(sock_of(s), (const struct sockaddr *)&ss, len) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

int sockport__winsock_listen(sockport_socket *s, int backlog)
{
    if (sys_listen(sock_of(s), backlog) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

/* The accepted socket is made non-inheritable (or inheritable, on request)
 * and blocking (or not) explicitly: WinSock copies both from the listener, and
 * Wine 8 makes it inheritable even from a WSA_FLAG_NO_HANDLE_INHERIT listener.
 * The two steps follow accept(); a CreateProcess in another thread in between
 * can inherit the handle (WinSock has no accept4). */
int sockport__winsock_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer,
                             unsigned flags)
{
    SOCKADDR_STORAGE ss;
    int len = (int)sizeof ss;
    memset(&ss, 0, sizeof ss);
    SOCKET c = sys_accept(sock_of(s), (struct sockaddr *)&ss, &len);
    if (c == INVALID_SOCKET)
        return sockport__winsock_fail_last();
    sockport_addr tmp;
    int rc = sockport__winsock_apply_flags(c, flags);
    if (rc == 0 && peer != NULL)
        rc = sockport__winsock_from_native(&tmp, &ss, (size_t)len);
    if (rc < 0) {
        sockport__winsock_close_quietly(c);
        return rc;
    }
    if (peer != NULL)
        *peer = tmp;
    sockport__winsock_st(out)->sock = c;
    return 0;
}

/* ---- connect --------------------------------------------------------------- */

int sockport__winsock_connect(sockport_socket *s, const sockport_addr *a)
{
    SOCKADDR_STORAGE ss;
    int len = 0;
    int rc = sockport__winsock_to_native(a, &ss, &len);
    if (rc < 0)
        return rc;
    sockport__winsock_st(s)->so_error_seen = 0; /* a new attempt, new errors */
    if (sys_connect(sock_of(s), (const struct sockaddr *)&ss, len) == 0)
        return 0;
    int code = sys_wsagetlasterror();
    if (code == WSAEWOULDBLOCK) /* WinSock's word for a connect in progress */
        return sockport__fail(SOCKPORT_EINPROGRESS, code);
    return sockport__winsock_fail(code);
}

/* After WSAPoll: SO_ERROR decides; POLLHUP/POLLERR without one is a
 * connection that went away before it could report why. */
static int verdict(sockport_socket *s, SHORT revents)
{
    int code = 0;
    int rc = sockport__winsock_take_so_error(s, &code);
    if (rc < 0)
        return rc;
    if (code != 0)
        return sockport__winsock_fail(code);
    if (revents & (POLLERR | POLLHUP))
        return sockport__fail(SOCKPORT_ECONNABORTED, 0);
    return 0;
}

static int connect_and_wait(sockport_socket *s, const SOCKADDR_STORAGE *ss, int len,
                            int64_t timeout_ms)
{
    SOCKET h = sock_of(s);
    sockport__winsock_st(s)->so_error_seen = 0;
    if (sys_connect(h, (const struct sockaddr *)ss, len) == 0)
        return 0;
    int code = sys_wsagetlasterror();
    if (code != WSAEWOULDBLOCK)
        return sockport__winsock_fail(code);
    ULONGLONG deadline = sockport__winsock_now() + (ULONGLONG)timeout_ms;
    SHORT revents = 0;
    int n = sockport__winsock_wait(h, POLLWRNORM, deadline, &revents);
    if (n < 0)
        return n;
    if (n == 0)
        return sockport__fail(SOCKPORT_ETIMEDOUT, WSAETIMEDOUT);
    return verdict(s, revents);
}

int sockport__winsock_connect_timeout(sockport_socket *s, const sockport_addr *a,
                                      int64_t timeout_ms)
{
    SOCKADDR_STORAGE ss;
    int len = 0;
    int rc = sockport__winsock_to_native(a, &ss, &len);
    if (rc < 0)
        return rc;
    SOCKET h = sock_of(s);
    int was_nonblocking = (s->flags & SOCKPORT_F_NONBLOCK) != 0;
    if (!was_nonblocking && (rc = sockport__winsock_set_fionbio(h, 1)) < 0)
        return rc;
    rc = connect_and_wait(s, &ss, len, timeout_ms);
    if (!was_nonblocking) {
        u_long off = 0; /* restore; a failure here only matters after success */
        if (sys_ioctlsocket(h, (long)FIONBIO, &off) == SOCKET_ERROR && rc == 0)
            rc = sockport__winsock_fail_last();
    }
    return rc;
}

/* ---- shutdown, pending error --------------------------------------------- */

int sockport__winsock_shutdown(sockport_socket *s, int how)
{
    int native = how == SOCKPORT_SHUT_RD ? SD_RECEIVE : how == SOCKPORT_SHUT_WR ? SD_SEND : SD_BOTH;
    if (sys_shutdown(sock_of(s), native) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

int sockport__winsock_take_error(sockport_socket *s)
{
    int code = 0;
    int rc = sockport__winsock_take_so_error(s, &code);
    if (rc < 0)
        return rc;
    return code == 0 ? 0 : sockport__winsock_fail(code); /* the code is kept for last_os_error */
}

/* ---- addresses ----------------------------------------------------------- */

/* An unbound socket: POSIX reports the unspecified address and port 0 (an
 * unnamed address for AF_UNIX) where WinSock fails with WSAEINVAL. */
static int unbound_addr(sockport_socket *s, sockport_addr *out)
{
    static const uint8_t any[16] = {0};
    if (s->family == SOCKPORT_AF_INET)
        return sockport_addr_ipv4(out, any, 0);
    if (s->family == SOCKPORT_AF_INET6)
        return sockport_addr_ipv6(out, any, 0, 0, 0);
    return sockport__addr_set_unix(out, "", 0, 0);
}

int sockport__winsock_local_addr(sockport_socket *s, sockport_addr *out)
{
    SOCKADDR_STORAGE ss;
    int len = (int)sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (sys_getsockname(sock_of(s), (struct sockaddr *)&ss, &len) == SOCKET_ERROR) {
        int code = sys_wsagetlasterror();
        return code == WSAEINVAL ? unbound_addr(s, out) : sockport__winsock_fail(code);
    }
    return sockport__winsock_from_native(out, &ss, (size_t)len);
}

int sockport__winsock_peer_addr(sockport_socket *s, sockport_addr *out)
{
    SOCKADDR_STORAGE ss;
    int len = (int)sizeof ss;
    memset(&ss, 0, sizeof ss);
    if (sys_getpeername(sock_of(s), (struct sockaddr *)&ss, &len) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return sockport__winsock_from_native(out, &ss, (size_t)len);
}
