/*
 * The poll slot: poll() over a stack array of SOCKPORT_POLL_MAX pollfds.
 * Entries without a socket become fd -1, which poll() skips (revents 0).
 * EINTR is retried with the time that remains (CLOCK_MONOTONIC); a timeout
 * longer than poll's int milliseconds is waited out in several calls.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <limits.h>

static short native_events(int events)
{
    short n = 0;
    if (events & SOCKPORT_POLLIN)
        n |= POLLIN;
    if (events & SOCKPORT_POLLOUT)
        n |= POLLOUT;
    if (events & SOCKPORT_POLLPRI)
        n |= POLLPRI;
    return n;
}

static int portable_revents(short revents)
{
    int r = 0;
    if (revents & POLLIN)
        r |= SOCKPORT_POLLIN;
    if (revents & POLLOUT)
        r |= SOCKPORT_POLLOUT;
    if (revents & POLLPRI)
        r |= SOCKPORT_POLLPRI;
    if (revents & POLLERR)
        r |= SOCKPORT_POLLERR;
    if (revents & POLLHUP)
        r |= SOCKPORT_POLLHUP;
    if (revents & POLLNVAL)
        r |= SOCKPORT_POLLNVAL;
    return r;
}

/* Polls until something is ready or the deadline passes: poll's count, 0 on
 * timeout, or a recorded SOCKPORT_E* code. */
static int wait_ready(struct pollfd *p, size_t n, int64_t deadline)
{
    for (;;) {
        int wait_ms = 0;
        int rc = sockport__posix_ms_left(deadline, &wait_ms);
        if (rc < 0)
            return rc;
        int r = sys_poll(p, (nfds_t)n, wait_ms);
        if (r > 0 || (r == 0 && wait_ms != INT_MAX))
            return r; /* ready, or the whole wait is over */
        if (r < 0 && errno != EINTR)
            return sockport__posix_fail(errno);
    }
}

int sockport__posix_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n,
                         int64_t timeout_ms)
{
    struct pollfd p[SOCKPORT_POLL_MAX];
    int64_t deadline = 0;
    (void)self;
    for (size_t i = 0; i < n; i++) {
        p[i].fd = fds[i].socket != NULL ? sockport__posix_fd(fds[i].socket) : -1;
        p[i].events = native_events(fds[i].events);
        p[i].revents = 0;
    }
    int rc = sockport__posix_deadline_after(timeout_ms, &deadline);
    if (rc == 0)
        rc = wait_ready(p, n, deadline);
    if (rc < 0)
        return rc;
    int ready = 0;
    for (size_t i = 0; i < n; i++) {
        fds[i].revents = rc > 0 ? portable_revents(p[i].revents) : 0;
        ready += fds[i].revents != 0;
    }
    return ready;
}
