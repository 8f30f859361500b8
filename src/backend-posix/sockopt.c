/*
 * Option slots: SOCKPORT_OPT_* → (level, name) through one table, with the
 * few options whose values need translating (SO_TYPE, SO_ERROR) marked. An
 * option this system's headers lack has no entry and answers
 * SOCKPORT_ENOTSUP; option_supported also asks the running kernel with a
 * harmless getsockopt.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/time.h>

enum kind {
    K_NONE,  /* not on this system */
    K_BOOL,  /* int, read back as 0/1 */
    K_INT,   /* int as is */
    K_TYPE,  /* native SOCK_* read back as SOCKPORT_SOCK_* */
    K_ERROR, /* errno read back as SOCKPORT_E* (and cleared by the kernel) */
    K_TIME   /* struct timeval */
};

typedef struct optmap {
    int level;
    int name;
    int kind;
} optmap;

static const optmap optmaps[SOCKPORT_OPT_MAX_ + 1] = {
    [SOCKPORT_OPT_SO_REUSEADDR] = {SOL_SOCKET, SO_REUSEADDR, K_BOOL},
    [SOCKPORT_OPT_SO_KEEPALIVE] = {SOL_SOCKET, SO_KEEPALIVE, K_BOOL},
    [SOCKPORT_OPT_SO_BROADCAST] = {SOL_SOCKET, SO_BROADCAST, K_BOOL},
    [SOCKPORT_OPT_SO_RCVBUF] = {SOL_SOCKET, SO_RCVBUF, K_INT},
    [SOCKPORT_OPT_SO_SNDBUF] = {SOL_SOCKET, SO_SNDBUF, K_INT},
    [SOCKPORT_OPT_SO_TYPE] = {SOL_SOCKET, SO_TYPE, K_TYPE},
    [SOCKPORT_OPT_SO_ERROR] = {SOL_SOCKET, SO_ERROR, K_ERROR},
    [SOCKPORT_OPT_TCP_NODELAY] = {IPPROTO_TCP, TCP_NODELAY, K_BOOL},
    [SOCKPORT_OPT_IP_TTL] = {IPPROTO_IP, IP_TTL, K_INT},
    [SOCKPORT_OPT_IPV6_V6ONLY] = {IPPROTO_IPV6, IPV6_V6ONLY, K_BOOL},
    [SOCKPORT_OPT_SO_RCVTIMEO] = {SOL_SOCKET, SO_RCVTIMEO, K_TIME},
    [SOCKPORT_OPT_SO_SNDTIMEO] = {SOL_SOCKET, SO_SNDTIMEO, K_TIME},
/* SOCKPORT_OPT_SO_EXCLUSIVEADDRUSE: Windows only */
#ifdef SO_REUSEPORT
    [SOCKPORT_OPT_SO_REUSEPORT] = {SOL_SOCKET, SO_REUSEPORT, K_BOOL},
#endif
    [SOCKPORT_OPT_SO_OOBINLINE] = {SOL_SOCKET, SO_OOBINLINE, K_BOOL},
#ifdef SO_ACCEPTCONN
    [SOCKPORT_OPT_SO_ACCEPTCONN] = {SOL_SOCKET, SO_ACCEPTCONN, K_BOOL},
#endif
    [SOCKPORT_OPT_IPV6_UNICAST_HOPS] = {IPPROTO_IPV6, IPV6_UNICAST_HOPS, K_INT},
    /* SOCKPORT_OPT_SIO_UDP_CONNRESET: Windows only */
};

/* The entry of opt, or NULL when this system has no such option. */
static const optmap *lookup(int opt)
{
    if (opt < 1 || opt > SOCKPORT_OPT_MAX_ || optmaps[opt].kind == K_NONE)
        return NULL;
    return &optmaps[opt];
}

static int fd_of(sockport_socket *s)
{
    return sockport__posix_fd(s);
}

static int portable_type(int native)
{
    switch (native) {
    case SOCK_STREAM:
        return SOCKPORT_SOCK_STREAM;
    case SOCK_DGRAM:
        return SOCKPORT_SOCK_DGRAM;
    case SOCK_SEQPACKET:
        return SOCKPORT_SOCK_SEQPACKET;
    case SOCK_RAW:
        return SOCKPORT_SOCK_RAW;
    default:
        return SOCKPORT_EUNKNOWN;
    }
}

/* ---- int and bool --------------------------------------------------------- */

int sockport__posix_set_int(sockport_socket *s, int opt, int value)
{
    const optmap *m = lookup(opt);
    if (m == NULL)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    if (sys_setsockopt(fd_of(s), m->level, m->name, &value, sizeof value) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

/* getsockopt of an int; a 1-byte answer (some systems' booleans) is taken. */
static int get_raw_int(int fd, const optmap *m, int *out)
{
    union {
        int i;
        unsigned char c;
    } v;
    socklen_t len = sizeof v.i;
    memset(&v, 0, sizeof v);
    if (sys_getsockopt(fd, m->level, m->name, &v, &len) < 0)
        return sockport__posix_fail(errno);
    if (len == sizeof v.i)
        *out = v.i;
    else if (len == 1)
        *out = v.c;
    else
        return sockport__fail(SOCKPORT_EUNKNOWN, 0); /* a width we do not know */
    return 0;
}

int sockport__posix_get_int(sockport_socket *s, int opt, int *out)
{
    const optmap *m = lookup(opt);
    int v = 0;
    if (m == NULL)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    int rc = get_raw_int(fd_of(s), m, &v);
    if (rc < 0)
        return rc;
    switch (m->kind) {
    case K_BOOL:
        v = v != 0;
        break;
    case K_TYPE:
        v = portable_type(v);
        break;
    case K_ERROR:
        v = v != 0 ? sockport__err_from_errno(v) : 0;
        break;
    default:
        break;
    }
    *out = v;
    return 0;
}

/* ---- timeouts ------------------------------------------------------------- */

/* ms → timeval; seconds clamped where time_t is narrower than int64_t. */
static struct timeval ms_to_timeval(int64_t ms)
{
    struct timeval tv;
    int64_t sec = ms / 1000;
    if (sizeof(time_t) < sizeof(int64_t) && sec > INT32_MAX)
        sec = INT32_MAX;
    tv.tv_sec = (time_t)sec;
    tv.tv_usec = (suseconds_t)(ms % 1000 * 1000);
    return tv;
}

/* timeval → ms, rounded up to a whole millisecond; {0, 0} is 0 (none). */
static int64_t timeval_to_ms(const struct timeval *tv)
{
    int64_t sec = (int64_t)tv->tv_sec, usec = (int64_t)tv->tv_usec;
    if (sec < 0 || usec < 0)
        return 0;
    if (sec > (INT64_MAX - 1000) / 1000)
        return INT64_MAX;
    return sec * 1000 + (usec + 999) / 1000;
}

int sockport__posix_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    const optmap *m = lookup(opt);
    if (m == NULL || m->kind != K_TIME)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    struct timeval tv = ms_to_timeval(ms);
    if (sys_setsockopt(fd_of(s), m->level, m->name, &tv, sizeof tv) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

int sockport__posix_get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    const optmap *m = lookup(opt);
    if (m == NULL || m->kind != K_TIME)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    struct timeval tv;
    socklen_t len = sizeof tv;
    memset(&tv, 0, sizeof tv);
    if (sys_getsockopt(fd_of(s), m->level, m->name, &tv, &len) < 0)
        return sockport__posix_fail(errno);
    if (len != sizeof tv)
        return sockport__fail(SOCKPORT_EUNKNOWN, 0);
    *out = timeval_to_ms(&tv);
    return 0;
}

/* ---- support ---------------------------------------------------------------- */

/* 1 when the headers know opt and the kernel answers a getsockopt for it on
 * s. SO_ERROR is not probed: reading it would clear a pending error. */
int sockport__posix_option_supported(sockport_socket *s, int opt)
{
    const optmap *m = lookup(opt);
    if (m == NULL)
        return 0;
    if (m->kind == K_ERROR)
        return 1;
    struct timeval tv; /* room for an int or a timeval */
    socklen_t len = m->kind == K_TIME ? sizeof tv : sizeof(int);
    return sys_getsockopt(fd_of(s), m->level, m->name, &tv, &len) == 0;
}
