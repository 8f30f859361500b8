/*
 * sockport_poll on WSAPoll. The entries with a socket are compacted into a
 * WSAPOLLFD array on the stack (WSAPoll answers an INVALID_SOCKET entry with
 * POLLNVAL, not by ignoring it, and refuses an empty array with WSAEINVAL),
 * then their revents are mapped back; NULL entries get revents 0. With no
 * socket at all the call sleeps for the timeout, as poll() with nfds 0 does.
 *
 * Events: SOCKPORT_POLLIN is POLLRDNORM, _POLLOUT POLLWRNORM and _POLLPRI
 * POLLRDBAND (WSAPoll rejects POLLPRI itself). Timeout -1 waits forever;
 * a timeout longer than INT_MAX ms is waited in pieces until the deadline.
 * WSAEINTR is retried, as everywhere in sockport.
 */
#include "winsock.h"

#include <limits.h>

static SHORT native_events(int events)
{
    SHORT n = 0;
    if (events & SOCKPORT_POLLIN)
        n |= POLLRDNORM;
    if (events & SOCKPORT_POLLOUT)
        n |= POLLWRNORM;
    if (events & SOCKPORT_POLLPRI)
        n |= POLLRDBAND;
    return n;
}

static int portable_revents(SHORT r)
{
    int p = 0;
    p |= (r & POLLRDNORM) ? SOCKPORT_POLLIN : 0;
    p |= (r & POLLWRNORM) ? SOCKPORT_POLLOUT : 0;
    p |= (r & POLLRDBAND) ? SOCKPORT_POLLPRI : 0;
    p |= (r & POLLERR) ? SOCKPORT_POLLERR : 0;
    p |= (r & POLLHUP) ? SOCKPORT_POLLHUP : 0;
    p |= (r & POLLNVAL) ? SOCKPORT_POLLNVAL : 0;
    return p;
}

/* The wait for this round: -1 forever, else what remains, at most INT_MAX. */
static INT round_ms(int64_t timeout_ms, ULONGLONG deadline)
{
    if (timeout_ms < 0)
        return -1;
    ULONGLONG now = sockport__winsock_now();
    if (now >= deadline)
        return 0;
    ULONGLONG left = deadline - now;
    return left > (ULONGLONG)INT_MAX ? INT_MAX : (INT)left;
}

/* WSAPoll until something is ready or the deadline passes. */
static int wait_ready(WSAPOLLFD *p, ULONG k, int64_t timeout_ms)
{
    ULONGLONG deadline = sockport__winsock_now() + (ULONGLONG)(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        INT ms = round_ms(timeout_ms, deadline);
        int r = sys_wsapoll(p, k, ms);
        if (r > 0)
            return r;
        if (r == 0 && ms >= 0 && (ms == 0 || sockport__winsock_now() >= deadline))
            return 0;
        if (r < 0) {
            int code = sys_wsagetlasterror();
            if (code != WSAEINTR)
                return sockport__winsock_fail(code);
        }
    }
}

/* No socket to watch: sleep out the timeout (in pieces, for the long ones). */
static int sleep_only(int64_t timeout_ms)
{
    if (timeout_ms < 0) {
        for (;;)
            sys_sleep(INFINITE);
    }
    while (timeout_ms > 0) {
        DWORD ms = timeout_ms >= (int64_t)INFINITE ? INFINITE - 1 : (DWORD)timeout_ms;
        sys_sleep(ms);
        timeout_ms -= ms;
    }
    return 0;
}

int sockport__winsock_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n,
                           int64_t timeout_ms)
{
    WSAPOLLFD p[SOCKPORT_POLL_MAX];
    ULONG k = 0;
    (void)self;
    for (size_t i = 0; i < n; i++) {
        if (fds[i].socket == NULL)
            continue;
        p[k].fd = sockport__winsock_socket(fds[i].socket);
        p[k].events = native_events(fds[i].events);
        p[k].revents = 0;
        k++;
    }
    int r = k == 0 ? sleep_only(timeout_ms) : wait_ready(p, k, timeout_ms);
    if (r < 0)
        return r;
    int ready = 0;
    for (size_t i = 0, j = 0; i < n; i++) {
        fds[i].revents = fds[i].socket != NULL ? portable_revents(p[j++].revents) : 0;
        ready += fds[i].revents != 0;
    }
    return ready;
}
