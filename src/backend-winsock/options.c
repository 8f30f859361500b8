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
 * - SIO_TCP_SET_ACK_FREQUENCY is a WSAIoctl too, set only: reading it is
 *   SOCKPORT_ENOTSUP; whether the running Windows has it is learnt once from
 *   a throwaway socket (Windows' own default, 2, set on it).
 * - SO_BROADCAST applies to datagram sockets only (WinSock answers
 *   WSAENOPROTOOPT on TCP; Wine accepts it): SOCKPORT_ENOPROTOOPT on a stream
 *   socket, decided here so Windows and Wine agree.
 * - IP_MTU_DISCOVER / IPV6_MTU_DISCOVER take Windows' PMTUD_STATE, whose
 *   numbers differ from Linux's: DONT ↔ IP_PMTUDISC_DONT, DO ↔ _DO, PROBE ↔
 *   _PROBE, and WANT (use the route's hints) ↔ _NOT_SET (the system default).
 * - SO_DOMAIN and SO_PROTOCOL come from SO_PROTOCOL_INFOW.
 * - TCP_KEEPIDLE / TCP_KEEPINTVL fall back to SIO_KEEPALIVE_VALS where the
 *   running Windows lacks them (keepalive.c); TCP_FASTOPEN is a BOOL on
 *   Windows (any queue length > 0 turns it on, and reads back as 1).
 * - The options of other systems (SO_REUSEPORT, SO_MARK, TCP_CORK …) are
 *   SOCKPORT_ENOTSUP. So is an option this Windows does not know (newer than
 *   it, or absent under Wine): WinSock's WSAENOPROTOOPT, with the code kept.
 *   sockport_option_supported() asks the socket itself (a getsockopt; for
 *   SO_RCVLOWAT, SO_SNDLOWAT and TCP_MAXSEG, which Windows reads but may
 *   refuse to set, the value read is also set back).
 *
 * Reads use a zeroed 4-byte buffer and interpret the length WinSock returns:
 * 1, 2 or 4 bytes. Windows writes a 1-byte BOOL for some options (Wine 8
 * does for TCP_NODELAY, SO_KEEPALIVE, IPV6_V6ONLY), which socket2 only
 * learned in 0.6.4 and for three options; sockport does it for every read.
 * Timeouts are DWORD milliseconds, 0 for none; larger values are clamped to
 * UINT32_MAX - 1 (INFINITE, UINT32_MAX, is left alone).
 */
#include "winsock.h"

#include <stdatomic.h>
#include <string.h>

typedef struct native_opt {
    int level;
    int name;
} native_opt;

#define ROW(lvl, nm)                                                                               \
    *n = (native_opt){lvl, nm};                                                                    \
    return 1

/* The options with a native level and name; 0 for the others. */
static int native_of(int opt, native_opt *n)
{
    switch (opt) {
    /* clang-format off */
    case SOCKPORT_OPT_SO_KEEPALIVE:        ROW(SOL_SOCKET, SO_KEEPALIVE);
    case SOCKPORT_OPT_SO_BROADCAST:        ROW(SOL_SOCKET, SO_BROADCAST);
    case SOCKPORT_OPT_SO_RCVBUF:           ROW(SOL_SOCKET, SO_RCVBUF);
    case SOCKPORT_OPT_SO_SNDBUF:           ROW(SOL_SOCKET, SO_SNDBUF);
    case SOCKPORT_OPT_SO_TYPE:             ROW(SOL_SOCKET, SO_TYPE);
    case SOCKPORT_OPT_SO_ERROR:            ROW(SOL_SOCKET, SO_ERROR);
    case SOCKPORT_OPT_TCP_NODELAY:         ROW(IPPROTO_TCP, TCP_NODELAY);
    case SOCKPORT_OPT_IP_TTL:              ROW(IPPROTO_IP, IP_TTL);
    case SOCKPORT_OPT_IPV6_V6ONLY:         ROW(IPPROTO_IPV6, IPV6_V6ONLY);
    case SOCKPORT_OPT_SO_RCVTIMEO:         ROW(SOL_SOCKET, SO_RCVTIMEO);
    case SOCKPORT_OPT_SO_SNDTIMEO:         ROW(SOL_SOCKET, SO_SNDTIMEO);
    case SOCKPORT_OPT_SO_EXCLUSIVEADDRUSE: ROW(SOL_SOCKET, SO_EXCLUSIVEADDRUSE);
    case SOCKPORT_OPT_SO_OOBINLINE:        ROW(SOL_SOCKET, SO_OOBINLINE);
    case SOCKPORT_OPT_SO_ACCEPTCONN:       ROW(SOL_SOCKET, SO_ACCEPTCONN);
    case SOCKPORT_OPT_IPV6_UNICAST_HOPS:   ROW(IPPROTO_IPV6, IPV6_UNICAST_HOPS);
    case SOCKPORT_OPT_SO_RCVLOWAT:         ROW(SOL_SOCKET, SO_RCVLOWAT);
    case SOCKPORT_OPT_SO_SNDLOWAT:         ROW(SOL_SOCKET, SO_SNDLOWAT);
    case SOCKPORT_OPT_IP_TOS:              ROW(IPPROTO_IP, IP_TOS);
    case SOCKPORT_OPT_IP_RECVTOS:          ROW(IPPROTO_IP, IP_RECVTOS);
    case SOCKPORT_OPT_IP_HDRINCL:          ROW(IPPROTO_IP, IP_HDRINCL);
    case SOCKPORT_OPT_IP_MULTICAST_LOOP:   ROW(IPPROTO_IP, IP_MULTICAST_LOOP);
    case SOCKPORT_OPT_IP_MULTICAST_TTL:    ROW(IPPROTO_IP, IP_MULTICAST_TTL);
    case SOCKPORT_OPT_IP_PKTINFO:          ROW(IPPROTO_IP, IP_PKTINFO);
    case SOCKPORT_OPT_IP_MTU_DISCOVER:     ROW(IPPROTO_IP, IP_MTU_DISCOVER);
    case SOCKPORT_OPT_IPV6_MULTICAST_HOPS: ROW(IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
    case SOCKPORT_OPT_IPV6_MULTICAST_IF:   ROW(IPPROTO_IPV6, IPV6_MULTICAST_IF);
    case SOCKPORT_OPT_IPV6_MULTICAST_LOOP: ROW(IPPROTO_IPV6, IPV6_MULTICAST_LOOP);
    case SOCKPORT_OPT_IPV6_RECVTCLASS:     ROW(IPPROTO_IPV6, IPV6_RECVTCLASS);
    case SOCKPORT_OPT_IPV6_TCLASS:         ROW(IPPROTO_IPV6, IPV6_TCLASS);
    case SOCKPORT_OPT_IPV6_RECVHOPLIMIT:   ROW(IPPROTO_IPV6, IPV6_HOPLIMIT);
    case SOCKPORT_OPT_IPV6_HDRINCL:        ROW(IPPROTO_IPV6, IPV6_HDRINCL);
    case SOCKPORT_OPT_IPV6_RECVPKTINFO:    ROW(IPPROTO_IPV6, IPV6_PKTINFO);
    case SOCKPORT_OPT_IPV6_MTU_DISCOVER:   ROW(IPPROTO_IPV6, IPV6_MTU_DISCOVER);
    case SOCKPORT_OPT_TCP_KEEPCNT:         ROW(IPPROTO_TCP, SOCKPORT__WS_TCP_KEEPCNT);
    case SOCKPORT_OPT_TCP_MAXSEG:          ROW(IPPROTO_TCP, SOCKPORT__WS_TCP_MAXSEG);
    case SOCKPORT_OPT_TCP_FASTOPEN:        ROW(IPPROTO_TCP, SOCKPORT__WS_TCP_FASTOPEN);
    default:                               return 0;
        /* clang-format on */
    }
}

#undef ROW

/* How an option is done on Windows. */
enum opt_kind {
    K_NONE,     /* not on Windows: SOCKPORT_ENOTSUP */
    K_NATIVE,   /* getsockopt/setsockopt of native_of() */
    K_STATE,    /* remembered in the socket's state */
    K_PMTUD,    /* native, values translated */
    K_INFO,     /* read from SO_PROTOCOL_INFOW */
    K_KEEPTIME, /* keepalive.c */
    K_ACKFREQ   /* SIO_TCP_SET_ACK_FREQUENCY, set only */
};

static int kind_of(int opt)
{
    native_opt n;
    switch (opt) {
    case SOCKPORT_OPT_SO_REUSEADDR:
    case SOCKPORT_OPT_SIO_UDP_CONNRESET:
        return K_STATE;
    case SOCKPORT_OPT_IP_MTU_DISCOVER:
    case SOCKPORT_OPT_IPV6_MTU_DISCOVER:
        return K_PMTUD;
    case SOCKPORT_OPT_SO_DOMAIN:
    case SOCKPORT_OPT_SO_PROTOCOL:
        return K_INFO;
    case SOCKPORT_OPT_TCP_KEEPIDLE:
    case SOCKPORT_OPT_TCP_KEEPINTVL:
        return K_KEEPTIME;
    case SOCKPORT_OPT_SIO_TCP_SET_ACK_FREQUENCY:
        return K_ACKFREQ;
    default:
        return native_of(opt, &n) ? K_NATIVE : K_NONE;
    }
}

/* ---- native calls --------------------------------------------------------- */

int sockport__winsock_opt_fail(int code)
{
    if (code == WSAENOPROTOOPT) /* the core checked it applies: this Windows lacks it */
        return sockport__fail(SOCKPORT_ENOTSUP, code);
    return sockport__winsock_fail(code);
}

int sockport__winsock_opt_get(SOCKET h, int level, int name, uint32_t *out)
{
    unsigned char b[4] = {0, 0, 0, 0};
    int len = (int)sizeof b;
    if (sys_getsockopt(h, level, name, (char *)b, &len) == SOCKET_ERROR)
        return sockport__winsock_opt_fail(sys_wsagetlasterror());
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

int sockport__winsock_opt_set(SOCKET h, int level, int name, uint32_t v)
{
    if (sys_setsockopt(h, level, name, (const char *)&v, (int)sizeof v) == SOCKET_ERROR)
        return sockport__winsock_opt_fail(sys_wsagetlasterror());
    return 0;
}

/* ---- translated values ------------------------------------------------------ */

static uint32_t pmtud_native(int v)
{
    switch (v) {
    case SOCKPORT_PMTUD_DONT:
        return IP_PMTUDISC_DONT;
    case SOCKPORT_PMTUD_DO:
        return IP_PMTUDISC_DO;
    case SOCKPORT_PMTUD_PROBE:
        return IP_PMTUDISC_PROBE;
    default: /* WANT: the route's hints, Windows' default */
        return IP_PMTUDISC_NOT_SET;
    }
}

static int pmtud_portable(uint32_t v)
{
    switch (v) {
    case IP_PMTUDISC_NOT_SET:
        return SOCKPORT_PMTUD_WANT;
    case IP_PMTUDISC_DO:
        return SOCKPORT_PMTUD_DO;
    case IP_PMTUDISC_DONT:
        return SOCKPORT_PMTUD_DONT;
    case IP_PMTUDISC_PROBE:
        return SOCKPORT_PMTUD_PROBE;
    default:
        return sockport__fail(SOCKPORT_EPROTO, 0);
    }
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

static int portable_family(int af)
{
    switch (af) {
    case AF_INET:
        return SOCKPORT_AF_INET;
    case AF_INET6:
        return SOCKPORT_AF_INET6;
    case AF_UNIX:
        return SOCKPORT_AF_UNIX;
    default:
        return sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
    }
}

int sockport__winsock_protocol_info(SOCKET h, int *family, int *type, int *protocol)
{
    WSAPROTOCOL_INFOW pi;
    int len = (int)sizeof pi, f, t;
    memset(&pi, 0, sizeof pi);
    if (sys_getsockopt(h, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&pi, &len) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    if ((f = portable_family(pi.iAddressFamily)) < 0 ||
        (t = portable_type((uint32_t)pi.iSocketType)) < 0)
        return f < 0 ? f : t;
    *family = f;
    *type = t;
    *protocol = pi.iProtocol > 0 ? pi.iProtocol : 0;
    return 0;
}

/* The value as the core wants it: bools 0/1, SO_TYPE, SO_ERROR and the PMTUD
 * modes portable. */
static int portable_value(int opt, uint32_t v, int *out)
{
    const sockport__optdesc *d = sockport__opt_find(opt);
    int r = 0;
    if (opt == SOCKPORT_OPT_SO_TYPE)
        r = portable_type(v);
    else if (kind_of(opt) == K_PMTUD)
        r = pmtud_portable(v);
    else if (opt == SOCKPORT_OPT_SO_ERROR)
        r = v == 0 ? 0 : sockport__err_from_wsa((int)v);
    else if (d != NULL && d->kind == SOCKPORT__OPT_BOOL)
        r = v != 0;
    else
        r = (int)v;
    if (r < 0 && opt != SOCKPORT_OPT_SO_ERROR)
        return r;
    *out = r;
    return 0;
}

/* ---- SIO_TCP_SET_ACK_FREQUENCY ------------------------------------------------ */

static int set_ack_frequency(SOCKET h, int v)
{
    UCHAR f = (UCHAR)v; /* TCP_ACK_FREQUENCY_PARAMETERS: one UCHAR */
    DWORD got = 0;
    if (sys_wsaioctl(h, SIO_TCP_SET_ACK_FREQUENCY, &f, sizeof f, NULL, 0, &got) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

/* Whether this Windows has the ioctl: learnt once, on a throwaway socket. */
static int ack_frequency_supported(void)
{
    static atomic_int known; /* 0 unknown, 1 yes, 2 no */
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (k != 0)
        return k == 1;
    SOCKET h = sys_wsasocketw(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                              WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (h == INVALID_SOCKET)
        return 1; /* cannot tell: let the call answer */
    UCHAR f = 2;  /* Windows' default */
    DWORD got = 0;
    k = sys_wsaioctl(h, SIO_TCP_SET_ACK_FREQUENCY, &f, sizeof f, NULL, 0, &got) == 0 ? 1 : 2;
    sockport__winsock_close_quietly(h);
    atomic_store_explicit(&known, k, memory_order_relaxed);
    return k == 1;
}

/* ---- the slots -------------------------------------------------------------- */

static int set_state(sockport_socket *s, int opt, int value)
{
    sockport__winsock_state *st = sockport__winsock_st(s);
    int rc = 0;
    if (opt == SOCKPORT_OPT_SO_REUSEADDR)
        st->reuseaddr = value != 0; /* never WinSock's SO_REUSEADDR */
    else if ((rc = sockport__winsock_udp_connreset(st->sock, value != 0)) == 0)
        st->udp_connreset = value != 0;
    return rc;
}

static int set_native(sockport_socket *s, int opt, int value)
{
    native_opt n;
    (void)native_of(opt, &n);
    if (opt == SOCKPORT_OPT_SO_KEEPALIVE)
        return sockport__winsock_keepalive_on(s, value != 0);
    if (opt == SOCKPORT_OPT_TCP_FASTOPEN)
        value = value != 0; /* a BOOL on Windows */
    uint32_t v = kind_of(opt) == K_PMTUD ? pmtud_native(value) : (uint32_t)value; /* -1 stays -1 */
    return sockport__winsock_opt_set(sockport__winsock_socket(s), n.level, n.name, v);
}

int sockport__winsock_set_int(sockport_socket *s, int opt, int value)
{
    if (opt == SOCKPORT_OPT_SO_BROADCAST && s->type == SOCKPORT_SOCK_STREAM)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
    switch (kind_of(opt)) {
    case K_STATE:
        return set_state(s, opt, value);
    case K_KEEPTIME:
        return sockport__winsock_keepalive_set_int(s, opt, value);
    case K_ACKFREQ:
        return set_ack_frequency(sockport__winsock_socket(s), value);
    case K_NATIVE:
    case K_PMTUD:
        return set_native(s, opt, value);
    default: /* K_NONE; K_INFO is read-only (the core refuses the set) */
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    }
}

/* The native value of opt: SO_ERROR is read and cleared (as take_error). */
static int read_native(sockport_socket *s, int opt, uint32_t *v)
{
    native_opt n;
    int code = 0, rc;
    if (opt != SOCKPORT_OPT_SO_ERROR) {
        (void)native_of(opt, &n);
        return sockport__winsock_opt_get(sockport__winsock_socket(s), n.level, n.name, v);
    }
    if ((rc = sockport__winsock_take_so_error(s, &code)) == 0)
        *v = (uint32_t)code;
    return rc;
}

static int get_info(sockport_socket *s, int opt, int *out)
{
    int family = 0, type = 0, protocol = 0;
    int rc =
        sockport__winsock_protocol_info(sockport__winsock_socket(s), &family, &type, &protocol);
    if (rc == 0)
        *out = opt == SOCKPORT_OPT_SO_DOMAIN ? family : protocol;
    return rc;
}

int sockport__winsock_get_int(sockport_socket *s, int opt, int *out)
{
    sockport__winsock_state *st = sockport__winsock_st(s);
    uint32_t v = 0;
    int rc;
    if (opt == SOCKPORT_OPT_SO_BROADCAST && s->type == SOCKPORT_SOCK_STREAM)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
    switch (kind_of(opt)) {
    case K_STATE:
        *out = opt == SOCKPORT_OPT_SO_REUSEADDR ? st->reuseaddr : st->udp_connreset;
        return 0;
    case K_KEEPTIME:
        return sockport__winsock_keepalive_get_int(s, opt, out);
    case K_INFO:
        return get_info(s, opt, out);
    case K_NATIVE:
    case K_PMTUD:
        if ((rc = read_native(s, opt, &v)) < 0)
            return rc;
        return portable_value(opt, v, out);
    default: /* K_NONE; K_ACKFREQ cannot be read back */
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    }
}

int sockport__winsock_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    native_opt n;
    if (!native_of(opt, &n))
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    uint32_t v = ms > (int64_t)(UINT32_MAX - 1) ? UINT32_MAX - 1 : (uint32_t)ms; /* 0: none */
    return sockport__winsock_opt_set(sockport__winsock_socket(s), n.level, n.name, v);
}

int sockport__winsock_get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    native_opt n;
    uint32_t v = 0;
    if (!native_of(opt, &n))
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    int rc = sockport__winsock_opt_get(sockport__winsock_socket(s), n.level, n.name, &v);
    if (rc < 0)
        return rc;
    *out = (int64_t)v;
    return 0;
}

/* Options Windows can read but may refuse to set (WSAENOPROTOOPT). */
static int set_may_be_refused(int opt)
{
    return opt == SOCKPORT_OPT_SO_RCVLOWAT || opt == SOCKPORT_OPT_SO_SNDLOWAT ||
           opt == SOCKPORT_OPT_TCP_MAXSEG;
}

/* Whether this Windows knows a native option: a getsockopt on the socket
 * (and, where setting may be refused, the value set back as it was read),
 * nothing changed and nothing recorded. */
static int native_known(sockport_socket *s, int opt)
{
    native_opt n;
    unsigned char b[4];
    int len = (int)sizeof b;
    SOCKET h = sockport__winsock_socket(s);
    (void)native_of(opt, &n);
    if (sys_getsockopt(h, n.level, n.name, (char *)b, &len) == SOCKET_ERROR) {
        int code = sys_wsagetlasterror();
        return code != WSAENOPROTOOPT && code != WSAEINVAL;
    }
    if (set_may_be_refused(opt) &&
        sys_setsockopt(h, n.level, n.name, (const char *)b, len) == SOCKET_ERROR)
        return sys_wsagetlasterror() != WSAENOPROTOOPT;
    return 1;
}

int sockport__winsock_option_supported(sockport_socket *s, int opt)
{
    if (opt == SOCKPORT_OPT_SO_BROADCAST && s->type == SOCKPORT_SOCK_STREAM)
        return 0;
    switch (kind_of(opt)) {
    case K_NONE:
        return 0;
    case K_NATIVE:
    case K_PMTUD:
        return native_known(s, opt);
    case K_ACKFREQ:
        return ack_frequency_supported();
    default: /* K_STATE, K_INFO, K_KEEPTIME (the fallback always works) */
        return 1;
    }
}
