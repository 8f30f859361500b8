/*
 * TCP keepalive timing. Windows 10 1709 and later have TCP_KEEPIDLE and
 * TCP_KEEPINTVL (seconds), 1703 and later TCP_KEEPCNT; older Windows, and
 * Wine 8, answer WSAENOPROTOOPT. Whether they exist is decided at run time,
 * call by call: where they are absent, the times are remembered in the
 * socket's state (milliseconds, as the caller gave them) and given to
 * SIO_KEEPALIVE_VALS, which every Windows has but which needs both times at
 * once and turns keepalive on or off with them. Unset times are Windows' own
 * defaults (2 hours, 1 second), as socket2 does not do (it sends 0 ms).
 *
 * While keepalive is off the remembered times are only kept: turning
 * SO_KEEPALIVE on (sockport_set_bool or sockport_set_tcp_keepalive) applies
 * them. Reading a time where the option is absent gives the remembered value
 * in seconds, rounded up (the default when none was set). TCP_KEEPCNT has no
 * fallback: SOCKPORT_ENOTSUP where absent.
 */
#include "winsock.h"

#include <limits.h>

#define DEFAULT_IDLE_MS  7200000u /* Windows' KeepAliveTime: 2 hours */
#define DEFAULT_INTVL_MS 1000u    /* Windows' KeepAliveInterval: 1 second */

static sockport__winsock_state *st(sockport_socket *s)
{
    return sockport__winsock_st(s);
}

static int native_name(int opt)
{
    return opt == SOCKPORT_OPT_TCP_KEEPIDLE ? SOCKPORT__WS_TCP_KEEPIDLE
                                            : SOCKPORT__WS_TCP_KEEPINTVL;
}

static ULONG *remembered(sockport_socket *s, int opt)
{
    return opt == SOCKPORT_OPT_TCP_KEEPIDLE ? &st(s)->ka_idle_ms : &st(s)->ka_intvl_ms;
}

/* What WinSock answers for an option this Windows does not have. */
static int absent(int code)
{
    return code == WSAENOPROTOOPT || code == WSAEINVAL;
}

/* SIO_KEEPALIVE_VALS with the remembered times, Windows' defaults for unset. */
static int apply_vals(sockport_socket *s)
{
    struct tcp_keepalive ka = {1, st(s)->ka_idle_ms, st(s)->ka_intvl_ms};
    DWORD got = 0;
    if (ka.keepalivetime == 0)
        ka.keepalivetime = DEFAULT_IDLE_MS;
    if (ka.keepaliveinterval == 0)
        ka.keepaliveinterval = DEFAULT_INTVL_MS;
    if (sys_wsaioctl(st(s)->sock, SIO_KEEPALIVE_VALS, &ka, sizeof ka, NULL, 0, &got) ==
        SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

/* One time: natively in whole seconds (rounded up) where this Windows has
 * the option, else remembered for SIO_KEEPALIVE_VALS (*fallback set). */
static int set_time(sockport_socket *s, int opt, int64_t ms, int *fallback)
{
    int64_t secs = ms / 1000 + (ms % 1000 != 0);
    DWORD v = secs > INT_MAX ? (DWORD)INT_MAX : (DWORD)secs;
    if (sys_setsockopt(st(s)->sock, IPPROTO_TCP, native_name(opt), (const char *)&v,
                       (int)sizeof v) == 0)
        return 0;
    int code = sys_wsagetlasterror();
    if (!absent(code))
        return sockport__winsock_fail(code);
    *remembered(s, opt) = ms > (int64_t)ULONG_MAX ? ULONG_MAX : (ULONG)ms;
    *fallback = 1;
    return 0;
}

int sockport__winsock_keepalive_on(sockport_socket *s, int on)
{
    int rc = sockport__winsock_opt_set(st(s)->sock, SOL_SOCKET, SO_KEEPALIVE, on != 0);
    if (rc == 0 && on && (st(s)->ka_idle_ms != 0 || st(s)->ka_intvl_ms != 0))
        rc = apply_vals(s); /* times kept by the fallback */
    return rc;
}

int sockport__winsock_keepalive_set_int(sockport_socket *s, int opt, int value)
{
    int fallback = 0;
    uint32_t on = 0;
    int rc = set_time(s, opt, (int64_t)value * 1000, &fallback);
    if (rc < 0 || !fallback)
        return rc;
    if ((rc = sockport__winsock_opt_get(st(s)->sock, SOL_SOCKET, SO_KEEPALIVE, &on)) < 0)
        return rc;
    return on ? apply_vals(s) : 0; /* off: kept until keepalive is turned on */
}

int sockport__winsock_keepalive_get_int(sockport_socket *s, int opt, int *out)
{
    DWORD v = 0;
    int len = (int)sizeof v;
    if (sys_getsockopt(st(s)->sock, IPPROTO_TCP, native_name(opt), (char *)&v, &len) == 0) {
        *out = (int)v;
        return 0;
    }
    int code = sys_wsagetlasterror();
    if (!absent(code))
        return sockport__winsock_fail(code);
    ULONG ms = *remembered(s, opt);
    if (ms == 0)
        ms = opt == SOCKPORT_OPT_TCP_KEEPIDLE ? DEFAULT_IDLE_MS : DEFAULT_INTVL_MS;
    *out = (int)(ms / 1000 + (ms % 1000 != 0));
    return 0;
}

int sockport__winsock_set_keepalive(sockport_socket *s, bool on, int64_t idle_ms,
                                    int64_t interval_ms, int retries)
{
    int fallback = 0, rc = 0;
    if (retries > 0 &&
        (rc = sockport__winsock_opt_set(st(s)->sock, IPPROTO_TCP, SOCKPORT__WS_TCP_KEEPCNT,
                                        (uint32_t)retries)) < 0)
        return rc; /* SOCKPORT_ENOTSUP where absent, before anything changed */
    if (idle_ms > 0 && (rc = set_time(s, SOCKPORT_OPT_TCP_KEEPIDLE, idle_ms, &fallback)) < 0)
        return rc;
    if (interval_ms > 0 &&
        (rc = set_time(s, SOCKPORT_OPT_TCP_KEEPINTVL, interval_ms, &fallback)) < 0)
        return rc;
    return sockport__winsock_keepalive_on(s, on);
}
