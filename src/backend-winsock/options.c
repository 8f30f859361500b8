/*
 * Options: the core checked kind, range, family and type against its
 * descriptor table; here each SOCKPORT_OPT_* becomes a WinSock level and name,
 * or one of the options WinSock does differently:
 * - SO_REUSEADDR (portable: rebind over TIME_WAIT) is remembered in the
 *   socket's state and read back, never passed to WinSock, whose SO_REUSEADDR
 *   lets another socket steal a port in use (sockport.h, docs/decisions.md).
 *   Windows already allows the TIME_WAIT rebind.
 * - SO_EXCLUSIVEADDRUSE is Windows' own: nobody else may bind the port.
 * - SIO_UDP_CONNRESET is a WSAIoctl, which cannot be read back: the state
 *   remembers what was last set (off after open: sockport.h's default).
 * - SO_REUSEPORT does not exist: SOCKPORT_ENOTSUP.
 * - SO_BROADCAST applies to datagram sockets only (WinSock answers
 *   WSAENOPROTOOPT on TCP; Wine accepts it): SOCKPORT_ENOPROTOOPT on a stream
 *   socket, decided here so Windows and Wine agree.
 *
 * Reads use a zeroed 4-byte buffer and interpret the length WinSock returns:
 * 1, 2 or 4 bytes. Windows writes a 1-byte BOOL for some options (Wine 8
 * does for TCP_NODELAY, SO_KEEPALIVE, IPV6_V6ONLY), which socket2 only
 * learned in 0.6.4 and for three options; sockport does it for every read.
 * Timeouts are DWORD milliseconds, 0 for none; larger values are clamped to
 * UINT32_MAX - 1 (INFINITE, UINT32_MAX, is left alone).
 */
#include "winsock.h"

#include <string.h>

typedef struct native_opt {
    int level;
    int name;
} native_opt;

/* The plain getsockopt/setsockopt options; 0 for the others. */
static int native_of(int opt, native_opt *n)
{
    switch (opt) {
    /* clang-format off */
    case SOCKPORT_OPT_SO_KEEPALIVE:        *n = (native_opt){SOL_SOCKET, SO_KEEPALIVE}; return 1;
    case SOCKPORT_OPT_SO_BROADCAST:        *n = (native_opt){SOL_SOCKET, SO_BROADCAST}; return 1;
    case SOCKPORT_OPT_SO_RCVBUF:           *n = (native_opt){SOL_SOCKET, SO_RCVBUF}; return 1;
    case SOCKPORT_OPT_SO_SNDBUF:           *n = (native_opt){SOL_SOCKET, SO_SNDBUF}; return 1;
    case SOCKPORT_OPT_SO_TYPE:             *n = (native_opt){SOL_SOCKET, SO_TYPE}; return 1;
    case SOCKPORT_OPT_SO_ERROR:            *n = (native_opt){SOL_SOCKET, SO_ERROR}; return 1;
    case SOCKPORT_OPT_TCP_NODELAY:         *n = (native_opt){IPPROTO_TCP, TCP_NODELAY}; return 1;
    case SOCKPORT_OPT_IP_TTL:              *n = (native_opt){IPPROTO_IP, IP_TTL}; return 1;
    case SOCKPORT_OPT_IPV6_V6ONLY:         *n = (native_opt){IPPROTO_IPV6, IPV6_V6ONLY}; return 1;
    case SOCKPORT_OPT_SO_RCVTIMEO:         *n = (native_opt){SOL_SOCKET, SO_RCVTIMEO}; return 1;
    case SOCKPORT_OPT_SO_SNDTIMEO:         *n = (native_opt){SOL_SOCKET, SO_SNDTIMEO}; return 1;
    case SOCKPORT_OPT_SO_EXCLUSIVEADDRUSE: *n = (native_opt){SOL_SOCKET, SO_EXCLUSIVEADDRUSE}; return 1;
    case SOCKPORT_OPT_SO_OOBINLINE:        *n = (native_opt){SOL_SOCKET, SO_OOBINLINE}; return 1;
    case SOCKPORT_OPT_SO_ACCEPTCONN:       *n = (native_opt){SOL_SOCKET, SO_ACCEPTCONN}; return 1;
    case SOCKPORT_OPT_IPV6_UNICAST_HOPS:   *n = (native_opt){IPPROTO_IPV6, IPV6_UNICAST_HOPS}; return 1;
    default:                               return 0;
        /* clang-format on */
    }
}

/* 0 when opt can be used on s here, else the SOCKPORT_E* code that says why. */
static int unsupported(sockport_socket *s, int opt)
{
    native_opt n;
    switch (opt) {
    case SOCKPORT_OPT_SO_REUSEADDR:
    case SOCKPORT_OPT_SIO_UDP_CONNRESET:
        return 0;
    case SOCKPORT_OPT_SO_BROADCAST:
        return s->type == SOCKPORT_SOCK_STREAM ? SOCKPORT_ENOPROTOOPT : 0;
    default:
        return native_of(opt, &n) ? 0 : SOCKPORT_ENOTSUP; /* SO_REUSEPORT */
    }
}

/* getsockopt into a zeroed 4-byte buffer; the value by the length returned. */
static int read_raw(SOCKET h, native_opt n, uint32_t *out)
{
    unsigned char b[4] = {0, 0, 0, 0};
    int len = (int)sizeof b;
    if (sys_getsockopt(h, n.level, n.name, (char *)b, &len) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    uint16_t w;
    uint32_t d;
    switch (len) {
    case 1:
        *out = b[0];
        return 0;
    case 2:
        memcpy(&w, b, sizeof w);
        *out = w;
        return 0;
    case 4:
        memcpy(&d, b, sizeof d);
        *out = d;
        return 0;
    default: /* WinSock broke its own contract */
        return sockport__fail(SOCKPORT_EPROTO, 0);
    }
}

static int set_raw(SOCKET h, native_opt n, uint32_t v)
{
    if (sys_setsockopt(h, n.level, n.name, (const char *)&v, (int)sizeof v) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

int sockport__winsock_set_int(sockport_socket *s, int opt, int value)
{
    sockport__winsock_state *st = sockport__winsock_st(s);
    native_opt n;
    int err = unsupported(s, opt), rc;
    if (err < 0)
        return sockport__fail(err, 0);
    if (opt == SOCKPORT_OPT_SO_REUSEADDR) {
        st->reuseaddr = value != 0; /* never WinSock's SO_REUSEADDR */
        return 0;
    }
    if (opt == SOCKPORT_OPT_SIO_UDP_CONNRESET) {
        if ((rc = sockport__winsock_udp_connreset(st->sock, value != 0)) == 0)
            st->udp_connreset = value != 0;
        return rc;
    }
    (void)native_of(opt, &n);
    return set_raw(st->sock, n, (uint32_t)value); /* two's complement: -1 stays -1 */
}

static int portable_type(uint32_t t)
{
    switch (t) {
    case SOCK_STREAM:
        return SOCKPORT_SOCK_STREAM;
    case SOCK_DGRAM:
        return SOCKPORT_SOCK_DGRAM;
    case SOCK_SEQPACKET:
        return SOCKPORT_SOCK_SEQPACKET;
    case SOCK_RAW:
        return SOCKPORT_SOCK_RAW;
    default:
        return sockport__fail(SOCKPORT_EPROTO, 0);
    }
}

/* The value as the core wants it: bools 0/1, SO_TYPE and SO_ERROR portable. */
static int portable_value(int opt, uint32_t v, int *out)
{
    const sockport__optdesc *d = sockport__opt_find(opt);
    int r;
    if (opt == SOCKPORT_OPT_SO_TYPE && (r = portable_type(v)) < 0)
        return r;
    if (opt == SOCKPORT_OPT_SO_TYPE)
        *out = r;
    else if (opt == SOCKPORT_OPT_SO_ERROR)
        *out = v == 0 ? 0 : sockport__err_from_wsa((int)v);
    else if (d != NULL && d->kind == SOCKPORT__OPT_BOOL)
        *out = v != 0;
    else
        *out = (int)v;
    return 0;
}

/* The native value of opt: SO_ERROR is read and cleared (as take_error). */
static int read_native(sockport_socket *s, int opt, uint32_t *v)
{
    native_opt n;
    int code = 0, rc;
    if (opt != SOCKPORT_OPT_SO_ERROR) {
        (void)native_of(opt, &n);
        return read_raw(sockport__winsock_socket(s), n, v);
    }
    if ((rc = sockport__winsock_take_so_error(s, &code)) == 0)
        *v = (uint32_t)code;
    return rc;
}

int sockport__winsock_get_int(sockport_socket *s, int opt, int *out)
{
    sockport__winsock_state *st = sockport__winsock_st(s);
    uint32_t v = 0;
    int err = unsupported(s, opt), rc;
    if (err < 0)
        return sockport__fail(err, 0);
    if (opt == SOCKPORT_OPT_SO_REUSEADDR || opt == SOCKPORT_OPT_SIO_UDP_CONNRESET) {
        *out = opt == SOCKPORT_OPT_SO_REUSEADDR ? st->reuseaddr : st->udp_connreset;
        return 0;
    }
    if ((rc = read_native(s, opt, &v)) < 0)
        return rc;
    return portable_value(opt, v, out);
}

int sockport__winsock_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    native_opt n;
    if (!native_of(opt, &n))
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    uint32_t v = ms > (int64_t)(UINT32_MAX - 1) ? UINT32_MAX - 1 : (uint32_t)ms; /* 0: none */
    return set_raw(sockport__winsock_socket(s), n, v);
}

int sockport__winsock_get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    native_opt n;
    uint32_t v = 0;
    if (!native_of(opt, &n))
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    int rc = read_raw(sockport__winsock_socket(s), n, &v);
    if (rc < 0)
        return rc;
    *out = (int64_t)v;
    return 0;
}

int sockport__winsock_option_supported(sockport_socket *s, int opt)
{
    return unsupported(s, opt) == 0 ? 1 : 0;
}
