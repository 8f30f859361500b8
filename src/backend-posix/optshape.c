/*
 * Options with shapes of their own: SO_LINGER, keepalive timing, SO_COOKIE,
 * classic BPF filters, and the raw getsockopt/setsockopt escape hatch.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#ifdef __linux__
#include <linux/filter.h>
#endif

/* Apple's SO_LINGER counts clock ticks; SO_LINGER_SEC counts seconds. */
#if defined(__APPLE__) && defined(SO_LINGER_SEC)
#define LINGER_OPT SO_LINGER_SEC
#else
#define LINGER_OPT SO_LINGER
#endif

/* Apple names TCP_KEEPIDLE TCP_KEEPALIVE. */
#if !defined(TCP_KEEPIDLE) && defined(TCP_KEEPALIVE)
#define TCP_KEEPIDLE TCP_KEEPALIVE
#endif

#if defined(__linux__) && !defined(SO_COOKIE)
#define SO_COOKIE 57
#endif

static int fd_of(sockport_socket *s)
{
    return sockport__posix_fd(s);
}

static int set_opt(int fd, int level, int name, const void *v, socklen_t len)
{
    if (sys_setsockopt(fd, level, name, v, len) < 0)
        return sockport__posix_opt_fail(errno);
    return 0;
}

/* ---- linger ----------------------------------------------------------------- */

int sockport__posix_set_linger(sockport_socket *s, bool on, int seconds)
{
    struct linger l;
    memset(&l, 0, sizeof l);
    l.l_onoff = on ? 1 : 0;
    l.l_linger = seconds; /* 0-65535: the core checked */
    return set_opt(fd_of(s), SOL_SOCKET, LINGER_OPT, &l, sizeof l);
}

int sockport__posix_get_linger(sockport_socket *s, bool *on, int *seconds)
{
    struct linger l;
    socklen_t len = sizeof l;
    memset(&l, 0, sizeof l);
    if (sys_getsockopt(fd_of(s), SOL_SOCKET, LINGER_OPT, &l, &len) < 0)
        return sockport__posix_opt_fail(errno);
    *on = l.l_onoff != 0;
    *seconds = l.l_linger;
    return 0;
}

/* ---- keepalive -------------------------------------------------------------- */

/* Milliseconds → whole seconds, rounded up, clamped to an int. */
static int ms_to_s(int64_t ms)
{
    int64_t sec = ms / 1000 + (ms % 1000 != 0);
    return sec > INT_MAX ? INT_MAX : (int)sec;
}

/* Sets one TCP-level int, or SOCKPORT_ENOTSUP where the system has no name
 * for it (name < 0). */
static int set_tcp(int fd, int name, int v)
{
    if (name < 0)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    return set_opt(fd, IPPROTO_TCP, name, &v, sizeof v);
}

#ifdef TCP_KEEPIDLE
#define KEEPIDLE TCP_KEEPIDLE
#else
#define KEEPIDLE (-1)
#endif
#ifdef TCP_KEEPINTVL
#define KEEPINTVL TCP_KEEPINTVL
#else
#define KEEPINTVL (-1)
#endif
#ifdef TCP_KEEPCNT
#define KEEPCNT TCP_KEEPCNT
#else
#define KEEPCNT (-1)
#endif

int sockport__posix_set_keepalive(sockport_socket *s, bool on, int64_t idle_ms, int64_t interval_ms,
                                  int retries)
{
    int fd = fd_of(s), v = on ? 1 : 0, rc;
    if ((rc = set_opt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v)) < 0)
        return rc;
    if (idle_ms > 0 && (rc = set_tcp(fd, KEEPIDLE, ms_to_s(idle_ms))) < 0)
        return rc;
    if (interval_ms > 0 && (rc = set_tcp(fd, KEEPINTVL, ms_to_s(interval_ms))) < 0)
        return rc;
    if (retries > 0 && (rc = set_tcp(fd, KEEPCNT, retries)) < 0)
        return rc;
    return 0;
}

/* ---- raw -------------------------------------------------------------------- */

int sockport__posix_setsockopt_raw(sockport_socket *s, int level, int name, const void *value,
                                   size_t len)
{
    if (sys_setsockopt(fd_of(s), level, name, value, (socklen_t)len) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

int sockport__posix_getsockopt_raw(sockport_socket *s, int level, int name, void *value,
                                   size_t *len)
{
    socklen_t n = (socklen_t)*len;
    if (sys_getsockopt(fd_of(s), level, name, value, &n) < 0)
        return sockport__posix_fail(errno);
    *len = (size_t)n < *len ? (size_t)n : *len;
    return 0;
}

/* ---- cookie and filters ---------------------------------------------------- */

int sockport__posix_get_cookie(sockport_socket *s, uint64_t *out)
{
#ifdef SO_COOKIE
    uint64_t v = 0;
    socklen_t len = sizeof v;
    if (sys_getsockopt(fd_of(s), SOL_SOCKET, SO_COOKIE, &v, &len) < 0)
        return sockport__posix_opt_fail(errno);
    if (len != sizeof v)
        return sockport__fail(SOCKPORT_EUNKNOWN, 0);
    *out = v;
    return 0;
#else
    (void)s, (void)out;
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
#endif
}

#ifdef __linux__
_Static_assert(sizeof(struct sock_filter) == sizeof(sockport_sock_filter) &&
                   offsetof(struct sock_filter, jt) == offsetof(sockport_sock_filter, jt) &&
                   offsetof(struct sock_filter, jf) == offsetof(sockport_sock_filter, jf) &&
                   offsetof(struct sock_filter, k) == offsetof(sockport_sock_filter, k),
               "sockport_sock_filter is struct sock_filter");
#endif

int sockport__posix_attach_filter(sockport_socket *s, const sockport_sock_filter *prog,
                                  size_t count)
{
#ifdef __linux__
    int fd = fd_of(s), zero = 0;
    if (prog == NULL)
        return set_opt(fd, SOL_SOCKET, SO_DETACH_FILTER, &zero, sizeof zero);
    struct sock_fprog p;
    memset(&p, 0, sizeof p);
    p.len = (unsigned short)count;                    /* 1-65535: the core checked */
    p.filter = (struct sock_filter *)(uintptr_t)prog; /* the same layout; the kernel copies it */
    return set_opt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &p, sizeof p);
#else
    (void)s, (void)prog, (void)count;
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
#endif
}
