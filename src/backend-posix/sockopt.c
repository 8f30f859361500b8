/*
 * Option slots: SOCKPORT_OPT_* → (level, name) through one table, with the
 * options whose values need translating (SO_TYPE, SO_DOMAIN, SO_ERROR, the
 * path-MTU modes) marked. An option this system's headers lack has no entry
 * and answers SOCKPORT_ENOTSUP; option_supported also asks the running kernel
 * with a harmless getsockopt. A kernel that answers ENOPROTOOPT for an option
 * the core let through (right family and type) lacks it: SOCKPORT_ENOTSUP,
 * with ENOPROTOOPT recorded.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/time.h>

/* Constants of the Linux ABI that older C libraries' headers lack. */
#ifdef __linux__
#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#endif

/* Apple names TCP_KEEPIDLE TCP_KEEPALIVE. */
#if !defined(TCP_KEEPIDLE) && defined(TCP_KEEPALIVE)
#define TCP_KEEPIDLE TCP_KEEPALIVE
#endif

enum kind {
    K_NONE,   /* not on this system */
    K_BOOL,   /* int, read back as 0/1 */
    K_INT,    /* int as is */
    K_TYPE,   /* native SOCK_* read back as SOCKPORT_SOCK_* */
    K_FAMILY, /* native AF_* read back as SOCKPORT_AF_* */
    K_ERROR,  /* errno read back as SOCKPORT_E* (and cleared by the kernel) */
    K_PMTUD,  /* IP_PMTUDISC_* ↔ SOCKPORT_PMTUD_* */
    K_PMTUD6, /* IPV6_PMTUDISC_* ↔ SOCKPORT_PMTUD_* */
    K_TIME,   /* struct timeval */
    K_STR     /* bytes, NUL-terminated or not */
};

typedef struct optmap {
    int level;
    int name;
    int kind;
} optmap;

#define MAP(o, level, name, kind) [SOCKPORT_OPT_##o] = {level, name, kind}

/* clang-format off */
static const optmap optmaps[SOCKPORT_OPT_MAX_ + 1] = {
    MAP(SO_REUSEADDR, SOL_SOCKET, SO_REUSEADDR, K_BOOL),
    MAP(SO_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE, K_BOOL),
    MAP(SO_BROADCAST, SOL_SOCKET, SO_BROADCAST, K_BOOL),
    MAP(SO_RCVBUF, SOL_SOCKET, SO_RCVBUF, K_INT),
    MAP(SO_SNDBUF, SOL_SOCKET, SO_SNDBUF, K_INT),
    MAP(SO_TYPE, SOL_SOCKET, SO_TYPE, K_TYPE),
    MAP(SO_ERROR, SOL_SOCKET, SO_ERROR, K_ERROR),
    MAP(TCP_NODELAY, IPPROTO_TCP, TCP_NODELAY, K_BOOL),
    MAP(IP_TTL, IPPROTO_IP, IP_TTL, K_INT),
    MAP(IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY, K_BOOL),
    MAP(SO_RCVTIMEO, SOL_SOCKET, SO_RCVTIMEO, K_TIME),
    MAP(SO_SNDTIMEO, SOL_SOCKET, SO_SNDTIMEO, K_TIME),
    /* SO_EXCLUSIVEADDRUSE, SIO_UDP_CONNRESET, SIO_TCP_SET_ACK_FREQUENCY: Windows only */
#ifdef SO_REUSEPORT
    MAP(SO_REUSEPORT, SOL_SOCKET, SO_REUSEPORT, K_BOOL),
#endif
    MAP(SO_OOBINLINE, SOL_SOCKET, SO_OOBINLINE, K_BOOL),
#ifdef SO_ACCEPTCONN
    MAP(SO_ACCEPTCONN, SOL_SOCKET, SO_ACCEPTCONN, K_BOOL),
#endif
    MAP(IPV6_UNICAST_HOPS, IPPROTO_IPV6, IPV6_UNICAST_HOPS, K_INT),
#ifdef SO_PASSCRED
    MAP(SO_PASSCRED, SOL_SOCKET, SO_PASSCRED, K_BOOL),
#endif
#ifdef SO_PRIORITY
    MAP(SO_PRIORITY, SOL_SOCKET, SO_PRIORITY, K_INT),
#endif
#ifdef SO_REUSEPORT_LB
    MAP(SO_REUSEPORT_LB, SOL_SOCKET, SO_REUSEPORT_LB, K_BOOL),
#endif
#ifdef SO_DOMAIN
    MAP(SO_DOMAIN, SOL_SOCKET, SO_DOMAIN, K_FAMILY),
#endif
#ifdef SO_PROTOCOL
    MAP(SO_PROTOCOL, SOL_SOCKET, SO_PROTOCOL, K_INT), /* IANA numbers are the native ones */
#endif
#ifdef SO_MARK
    MAP(SO_MARK, SOL_SOCKET, SO_MARK, K_INT),
#endif
#ifdef SO_BINDTOIFINDEX
    MAP(SO_BINDTOIFINDEX, SOL_SOCKET, SO_BINDTOIFINDEX, K_INT),
#endif
#ifdef SO_INCOMING_CPU
    MAP(SO_INCOMING_CPU, SOL_SOCKET, SO_INCOMING_CPU, K_INT),
#endif
#ifdef SO_BUSY_POLL
    MAP(SO_BUSY_POLL, SOL_SOCKET, SO_BUSY_POLL, K_INT),
#endif
#ifdef SO_NOSIGPIPE
    MAP(SO_NOSIGPIPE, SOL_SOCKET, SO_NOSIGPIPE, K_BOOL),
#endif
    MAP(SO_RCVLOWAT, SOL_SOCKET, SO_RCVLOWAT, K_INT),
    MAP(SO_SNDLOWAT, SOL_SOCKET, SO_SNDLOWAT, K_INT),
    MAP(IP_TOS, IPPROTO_IP, IP_TOS, K_INT),
#ifdef IP_RECVTOS
    MAP(IP_RECVTOS, IPPROTO_IP, IP_RECVTOS, K_BOOL),
#endif
    MAP(IP_HDRINCL, IPPROTO_IP, IP_HDRINCL, K_BOOL),
#ifdef IP_TRANSPARENT
    MAP(IP_TRANSPARENT, IPPROTO_IP, IP_TRANSPARENT, K_BOOL),
#endif
#ifdef IP_FREEBIND
    MAP(IP_FREEBIND, IPPROTO_IP, IP_FREEBIND, K_BOOL),
#endif
    MAP(IP_MULTICAST_LOOP, IPPROTO_IP, IP_MULTICAST_LOOP, K_BOOL),
    MAP(IP_MULTICAST_TTL, IPPROTO_IP, IP_MULTICAST_TTL, K_INT),
#ifdef IP_MULTICAST_ALL
    MAP(IP_MULTICAST_ALL, IPPROTO_IP, IP_MULTICAST_ALL, K_BOOL),
#endif
#if defined(IP_PKTINFO)
    MAP(IP_PKTINFO, IPPROTO_IP, IP_PKTINFO, K_BOOL),
#elif defined(IP_RECVDSTADDR)
    MAP(IP_PKTINFO, IPPROTO_IP, IP_RECVDSTADDR, K_BOOL), /* BSD: the destination alone */
#endif
#ifdef IP_RECVERR
    MAP(IP_RECVERR, IPPROTO_IP, IP_RECVERR, K_BOOL),
#endif
#ifdef IP_MTU_DISCOVER
    MAP(IP_MTU_DISCOVER, IPPROTO_IP, IP_MTU_DISCOVER, K_PMTUD),
#endif
    MAP(IPV6_MULTICAST_HOPS, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, K_INT),
    MAP(IPV6_MULTICAST_IF, IPPROTO_IPV6, IPV6_MULTICAST_IF, K_INT),
    MAP(IPV6_MULTICAST_LOOP, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, K_BOOL),
#ifdef IPV6_MULTICAST_ALL
    MAP(IPV6_MULTICAST_ALL, IPPROTO_IPV6, IPV6_MULTICAST_ALL, K_BOOL),
#endif
#ifdef IPV6_RECVTCLASS
    MAP(IPV6_RECVTCLASS, IPPROTO_IPV6, IPV6_RECVTCLASS, K_BOOL),
#endif
#ifdef IPV6_TCLASS
    MAP(IPV6_TCLASS, IPPROTO_IPV6, IPV6_TCLASS, K_INT),
#endif
#ifdef IPV6_RECVHOPLIMIT
    MAP(IPV6_RECVHOPLIMIT, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, K_BOOL),
#endif
#if defined(__linux__) && defined(IPV6_HDRINCL)
    MAP(IPV6_HDRINCL, IPPROTO_IPV6, IPV6_HDRINCL, K_BOOL),
#elif !defined(__linux__)
    MAP(IPV6_HDRINCL, IPPROTO_IPV6, IP_HDRINCL, K_BOOL), /* BSD, Apple: IP_HDRINCL at IPv6 */
#endif
#ifdef IPV6_TRANSPARENT
    MAP(IPV6_TRANSPARENT, IPPROTO_IPV6, IPV6_TRANSPARENT, K_BOOL),
#endif
#ifdef IPV6_FREEBIND
    MAP(IPV6_FREEBIND, IPPROTO_IPV6, IPV6_FREEBIND, K_BOOL),
#endif
#ifdef IPV6_RECVPKTINFO
    MAP(IPV6_RECVPKTINFO, IPPROTO_IPV6, IPV6_RECVPKTINFO, K_BOOL),
#endif
#ifdef IPV6_RECVERR
    MAP(IPV6_RECVERR, IPPROTO_IPV6, IPV6_RECVERR, K_BOOL),
#endif
#ifdef IPV6_MTU_DISCOVER
    MAP(IPV6_MTU_DISCOVER, IPPROTO_IPV6, IPV6_MTU_DISCOVER, K_PMTUD6),
#endif
#ifdef TCP_KEEPIDLE
    MAP(TCP_KEEPIDLE, IPPROTO_TCP, TCP_KEEPIDLE, K_INT),
#endif
#ifdef TCP_KEEPINTVL
    MAP(TCP_KEEPINTVL, IPPROTO_TCP, TCP_KEEPINTVL, K_INT),
#endif
#ifdef TCP_KEEPCNT
    MAP(TCP_KEEPCNT, IPPROTO_TCP, TCP_KEEPCNT, K_INT),
#endif
#ifdef TCP_MAXSEG
    MAP(TCP_MAXSEG, IPPROTO_TCP, TCP_MAXSEG, K_INT),
#endif
#ifdef TCP_CORK
    MAP(TCP_CORK, IPPROTO_TCP, TCP_CORK, K_BOOL),
#endif
#ifdef TCP_QUICKACK
    MAP(TCP_QUICKACK, IPPROTO_TCP, TCP_QUICKACK, K_BOOL),
#endif
#ifdef TCP_THIN_LINEAR_TIMEOUTS
    MAP(TCP_THIN_LINEAR_TIMEOUTS, IPPROTO_TCP, TCP_THIN_LINEAR_TIMEOUTS, K_BOOL),
#endif
#ifdef TCP_NOTSENT_LOWAT
    MAP(TCP_NOTSENT_LOWAT, IPPROTO_TCP, TCP_NOTSENT_LOWAT, K_INT),
#endif
#ifdef TCP_USER_TIMEOUT
    MAP(TCP_USER_TIMEOUT, IPPROTO_TCP, TCP_USER_TIMEOUT, K_INT),
#endif
#ifdef TCP_FASTOPEN
    MAP(TCP_FASTOPEN, IPPROTO_TCP, TCP_FASTOPEN, K_INT),
#endif
#ifdef UDP_SEGMENT
    MAP(UDP_SEGMENT, IPPROTO_UDP, UDP_SEGMENT, K_INT),
#endif
#ifdef UDP_GRO
    MAP(UDP_GRO, IPPROTO_UDP, UDP_GRO, K_BOOL),
#endif
#ifdef SO_BINDTODEVICE
    MAP(SO_BINDTODEVICE, SOL_SOCKET, SO_BINDTODEVICE, K_STR),
#endif
#ifdef TCP_CONGESTION
    MAP(TCP_CONGESTION, IPPROTO_TCP, TCP_CONGESTION, K_STR),
#endif
};
/* clang-format on */

#undef MAP

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

int sockport__posix_opt_fail(int e)
{
    return e == ENOPROTOOPT ? sockport__fail(SOCKPORT_ENOTSUP, e) : sockport__posix_fail(e);
}

int sockport__posix_portable_type(int native)
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
        return SOCKPORT_ESOCKTNOSUPPORT;
    }
}

int sockport__posix_portable_family(int native)
{
    switch (native) {
    case AF_INET:
        return SOCKPORT_AF_INET;
    case AF_INET6:
        return SOCKPORT_AF_INET6;
    case AF_UNIX:
        return SOCKPORT_AF_UNIX;
    default:
        return SOCKPORT_EAFNOSUPPORT;
    }
}

/* SOCKPORT_PMTUD_* ↔ the native modes (Linux's IP_PMTUDISC_* and
 * IPV6_PMTUDISC_* share their values with sockport's, by name and number). */
static int pmtud_native(int kind, int v)
{
#if defined(IP_PMTUDISC_DONT) && defined(IPV6_PMTUDISC_DONT)
    static const int v4[] = {IP_PMTUDISC_DONT, IP_PMTUDISC_WANT, IP_PMTUDISC_DO, IP_PMTUDISC_PROBE};
    static const int v6[] = {IPV6_PMTUDISC_DONT, IPV6_PMTUDISC_WANT, IPV6_PMTUDISC_DO,
                             IPV6_PMTUDISC_PROBE};
    return kind == K_PMTUD ? v4[v] : v6[v]; /* the core checked 0..3 */
#else
    (void)kind;
    return v;
#endif
}

/* Native → SOCKPORT_PMTUD_*; Linux's INTERFACE and OMIT modes (which sockport
 * never sets) send without DF, as DONT does. */
static int pmtud_portable(int kind, int native)
{
    for (int v = SOCKPORT_PMTUD_DONT; v <= SOCKPORT_PMTUD_PROBE; v++) {
        if (pmtud_native(kind, v) == native)
            return v;
    }
    return SOCKPORT_PMTUD_DONT;
}

/* ---- int and bool --------------------------------------------------------- */

int sockport__posix_set_int(sockport_socket *s, int opt, int value)
{
    const optmap *m = lookup(opt);
    if (m == NULL)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    if (m->kind == K_PMTUD || m->kind == K_PMTUD6)
        value = pmtud_native(m->kind, value);
    if (sys_setsockopt(fd_of(s), m->level, m->name, &value, sizeof value) < 0)
        return sockport__posix_opt_fail(errno);
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
        return sockport__posix_opt_fail(errno);
    if (len == sizeof v.i)
        *out = v.i;
    else if (len == 1)
        *out = v.c;
    else
        return sockport__fail(SOCKPORT_EUNKNOWN, 0); /* a width we do not know */
    return 0;
}

/* The native value of an option of kind `kind` as sockport reports it. */
static int portable_value(int kind, int v)
{
    switch (kind) {
    case K_BOOL:
        return v != 0;
    case K_TYPE:
        return sockport__posix_portable_type(v);
    case K_FAMILY:
        return sockport__posix_portable_family(v);
    case K_ERROR:
        return v != 0 ? sockport__err_from_errno(v) : 0;
    case K_PMTUD:
    case K_PMTUD6:
        return pmtud_portable(kind, v);
    default:
        return v;
    }
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
    v = portable_value(m->kind, v);
    if ((m->kind == K_TYPE || m->kind == K_FAMILY) && v < 0)
        return sockport__fail(v, 0); /* a type or family sockport does not know */
    *out = v;
    return 0;
}

/* ---- strings -------------------------------------------------------------- */

/* Room for any string option: sockport's limit, 255 bytes and a NUL. */
#define STR_ROOM 256

int sockport__posix_set_str(sockport_socket *s, int opt, const char *value)
{
    const optmap *m = lookup(opt);
    if (m == NULL || m->kind != K_STR)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    size_t len = strlen(value); /* at most 255: the core checked */
    if (sys_setsockopt(fd_of(s), m->level, m->name, value, (socklen_t)len) < 0)
        return sockport__posix_opt_fail(errno);
    return 0;
}

/* The kernel may count a trailing NUL (SO_BINDTODEVICE) or pad with NULs
 * (TCP_CONGESTION): the value ends at the first NUL. */
int sockport__posix_get_str(sockport_socket *s, int opt, char *buf, size_t cap)
{
    const optmap *m = lookup(opt);
    char tmp[STR_ROOM];
    socklen_t len = sizeof tmp;
    if (m == NULL || m->kind != K_STR)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    if (sys_getsockopt(fd_of(s), m->level, m->name, tmp, &len) < 0)
        return sockport__posix_opt_fail(errno);
    size_t n = strnlen(tmp, len < sizeof tmp ? len : sizeof tmp);
    if (n >= cap)
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return (int)n;
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
    union {
        int i;
        struct timeval tv;
        char str[STR_ROOM];
    } v;
    socklen_t len = m->kind == K_TIME ? sizeof v.tv : m->kind == K_STR ? sizeof v.str : sizeof v.i;
    return sys_getsockopt(fd_of(s), m->level, m->name, &v, &len) == 0;
}
