/*
 * Connection slots: bind, listen, accept, connect, connect_timeout, and the
 * local and peer addresses.
 *
 * EINTR (sockport.h's policy): accept is retried. A blocking connect that a
 * signal interrupts goes on in the kernel, and connecting again would answer
 * EALREADY, so it is completed by polling for writability and reading
 * SO_ERROR. connect_timeout polls with the time that remains, recomputed
 * from CLOCK_MONOTONIC after each interruption.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

static int fd_of(sockport_socket *s)
{
    return sockport__posix_fd(s);
}

int sockport__posix_bind(sockport_socket *s, const sockport_addr *a)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int rc = sockport__posix_to_native(a, &ss, &len);
    if (rc < 0)
        return rc;
    if (sys_bind(fd_of(s), (struct sockaddr *)&ss, len) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

int sockport__posix_listen(sockport_socket *s, int backlog)
{
    if (sys_listen(fd_of(s), backlog) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

/* ---- accept -------------------------------------------------------------- */

/* One accepted descriptor, EINTR retried. accept4 sets the flags atomically;
 * where the kernel or libc lacks it (ENOSYS) plain accept is used and
 * *atomic is 0, so the caller sets them by fcntl. */
static int accept_fd(int lfd, struct sockaddr_storage *ss, socklen_t *len, unsigned flags,
                     int *atomic)
{
    int extra = sockport__posix_type_flags(flags), use4 = 1, fd;
    socklen_t room = *len;
    for (;;) {
        *len = room;
        fd = use4 ? sys_accept4(lfd, (struct sockaddr *)ss, len, extra)
                  : sys_accept(lfd, (struct sockaddr *)ss, len);
        if (fd >= 0)
            break;
        if (use4 && errno == ENOSYS)
            use4 = 0;
        else if (errno != EINTR)
            return sockport__posix_fail(errno);
    }
    *atomic = use4 && SOCKPORT__POSIX_TYPE_FLAGS;
    return fd;
}

int sockport__posix_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer,
                           unsigned flags)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int atomic = 0;
    int fd = accept_fd(fd_of(s), &ss, &len, flags, &atomic);
    if (fd < 0)
        return fd;
    int rc = sockport__posix_setup_fd(fd, flags, atomic);
    if (rc < 0) {
        sys_close(fd);
        return rc;
    }
    /* The connection is ours now: an address we cannot express reads empty. */
    if (peer != NULL && sockport__posix_from_native(peer, &ss, len) < 0)
        memset(peer, 0, sizeof *peer);
    ((sockport__posix_state *)sockport__state(out))->fd = fd;
    return 0;
}

/* ---- waiting for a connection ------------------------------------------- */

static int now_ns(int64_t *out)
{
    struct timespec ts;
    if (sys_clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
        return sockport__posix_fail(errno);
    *out = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    return 0;
}

/* The deadline timeout_ms from now, saturated; INT64_MAX for none (< 0). */
int sockport__posix_deadline_after(int64_t timeout_ms, int64_t *out)
{
    int64_t now = 0;
    if (timeout_ms < 0) {
        *out = INT64_MAX;
        return 0;
    }
    int rc = now_ns(&now);
    if (rc < 0)
        return rc;
    int64_t room_ms = (INT64_MAX - now) / 1000000;
    *out = now + (timeout_ms < room_ms ? timeout_ms : room_ms) * 1000000;
    return 0;
}

/* Milliseconds left before the deadline, rounded up, clamped to poll's int;
 * -1 (wait forever) for no deadline. */
int sockport__posix_ms_left(int64_t deadline, int *out)
{
    int64_t now = 0;
    if (deadline == INT64_MAX) {
        *out = -1;
        return 0;
    }
    int rc = now_ns(&now);
    if (rc < 0)
        return rc;
    int64_t left = deadline > now ? (deadline - now + 999999) / 1000000 : 0;
    *out = left > INT_MAX ? INT_MAX : (int)left;
    return 0;
}

/* Polls for writability until the deadline, retrying EINTR with the time
 * that remains. A deadline already passed still polls once (timeout 0). */
static int wait_writable(int fd, int64_t deadline, short *revents)
{
    for (int first = 1;; first = 0) {
        int wait_ms;
        int rc = sockport__posix_ms_left(deadline, &wait_ms);
        if (rc < 0)
            return rc;
        if (wait_ms == 0 && !first)
            return sockport__fail(SOCKPORT_ETIMEDOUT, 0);
        struct pollfd p = {.fd = fd, .events = POLLOUT, .revents = 0};
        int n = sys_poll(&p, 1, wait_ms);
        if (n > 0) {
            *revents = p.revents;
            return 0;
        }
        if (n == 0)
            return sockport__fail(SOCKPORT_ETIMEDOUT, 0);
        if (errno != EINTR)
            return sockport__posix_fail(errno);
    }
}

/* The outcome of a connection that poll reported: SO_ERROR first; a hang-up
 * with no error pending (someone took it) is settled by getpeername. */
static int connect_verdict(int fd, short revents)
{
    int err = 0;
    if (revents & POLLNVAL)
        return sockport__posix_fail(EBADF);
    int rc = sockport__posix_so_error(fd, &err);
    if (rc < 0)
        return rc;
    if (err != 0)
        return sockport__posix_fail(err);
    if (revents & (POLLHUP | POLLERR)) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        if (sys_getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
            return sockport__posix_fail(errno);
    }
    return 0;
}

static int wait_connected(int fd, int64_t timeout_ms)
{
    int64_t deadline;
    short revents = 0;
    int rc = sockport__posix_deadline_after(timeout_ms, &deadline);
    if (rc == 0)
        rc = wait_writable(fd, deadline, &revents);
    return rc < 0 ? rc : connect_verdict(fd, revents);
}

/* ---- connect ------------------------------------------------------------- */

/* connect(); *errno_out receives errno on failure (0 on success). */
static int start_connect(int fd, const sockport_addr *a, int *errno_out)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int rc = sockport__posix_to_native(a, &ss, &len);
    if (rc < 0)
        return rc;
    *errno_out = sys_connect(fd, (struct sockaddr *)&ss, len) < 0 ? errno : 0;
    return 0;
}

int sockport__posix_connect(sockport_socket *s, const sockport_addr *a)
{
    int e = 0, fd = fd_of(s);
    int rc = start_connect(fd, a, &e);
    if (rc < 0 || e == 0)
        return rc;
    if (e != EINTR)
        return sockport__posix_fail(e); /* EINPROGRESS → SOCKPORT_EINPROGRESS */
    if (s->flags & SOCKPORT_F_NONBLOCK)
        return sockport__fail(SOCKPORT_EINPROGRESS, e); /* it goes on, as EINPROGRESS */
    return wait_connected(fd, -1);
}

static int connect_nonblocking(int fd, const sockport_addr *a, int64_t timeout_ms)
{
    int e = 0;
    int rc = start_connect(fd, a, &e);
    if (rc < 0 || e == 0)
        return rc;
    if (e != EINPROGRESS && e != EINTR)
        return sockport__posix_fail(e);
    return wait_connected(fd, timeout_ms);
}

int sockport__posix_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t timeout_ms)
{
    int fd = fd_of(s);
    int was_blocking = !(s->flags & SOCKPORT_F_NONBLOCK);
    if (was_blocking) {
        int rc = sockport__posix_set_nonblock(fd, 1);
        if (rc < 0)
            return rc;
    }
    int rc = connect_nonblocking(fd, a, timeout_ms);
    if (was_blocking) {
        int restored = sockport__posix_set_nonblock(fd, 0);
        if (rc == 0)
            rc = restored;
    }
    return rc;
}

/* ---- addresses ------------------------------------------------------------ */

static int name_of(int fd, int peer, sockport_addr *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int rc = peer ? sys_getpeername(fd, (struct sockaddr *)&ss, &len)
                  : sys_getsockname(fd, (struct sockaddr *)&ss, &len);
    if (rc < 0)
        return sockport__posix_fail(errno);
    if (len > sizeof ss)
        len = sizeof ss; /* the kernel reports the full size when it truncated */
    return sockport__posix_from_native(out, &ss, len);
}

int sockport__posix_local_addr(sockport_socket *s, sockport_addr *out)
{
    return name_of(fd_of(s), 0, out);
}

int sockport__posix_peer_addr(sockport_socket *s, sockport_addr *out)
{
    return name_of(fd_of(s), 1, out);
}
