/*
 * The resolve slot: getaddrinfo with sockport's hints translated, then the
 * results converted, kept to IPv4 and IPv6, rid of duplicates (same address
 * and port: getaddrinfo repeats each address once per socket type when the
 * hints name none) and cut to cap, in the resolver's order.
 *
 * Errors: EAI_* → SOCKPORT_EAI_* (sockport__err_from_gai), with the EAI code
 * recorded as the OS error; EAI_SYSTEM is errno's failure, recorded as
 * errno. A name with no IPv4 or IPv6 address is SOCKPORT_EAI_NODATA.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <string.h>

static int native_ai_flags(unsigned flags)
{
    int f = 0;
    if (flags & SOCKPORT_AI_PASSIVE)
        f |= AI_PASSIVE;
    if (flags & SOCKPORT_AI_NUMERICHOST)
        f |= AI_NUMERICHOST;
    if (flags & SOCKPORT_AI_NUMERICSERV)
        f |= AI_NUMERICSERV;
    if (flags & SOCKPORT_AI_ADDRCONFIG)
        f |= AI_ADDRCONFIG;
    return f;
}

static void native_hints(const sockport_resolve_hints *h, struct addrinfo *out)
{
    memset(out, 0, sizeof *out);
    out->ai_family = h->family == SOCKPORT_AF_INET    ? AF_INET
                     : h->family == SOCKPORT_AF_INET6 ? AF_INET6
                                                      : AF_UNSPEC;
    out->ai_socktype = sockport__posix_native_type(h->type);
    out->ai_protocol = h->protocol; /* IANA numbers are the native ones */
    out->ai_flags = native_ai_flags(h->flags);
}

static int gai_fail(int gai, int e)
{
#ifdef EAI_SYSTEM
    if (gai == EAI_SYSTEM && e != 0)
        return sockport__posix_fail(e);
#else
    (void)e;
#endif
    int err = sockport__err_from_gai(gai);
    return sockport__fail(err == SOCKPORT_EUNKNOWN ? SOCKPORT_EAI_FAIL : err, gai);
}

static int seen(const sockport_addr *out, size_t n, const sockport_addr *a)
{
    for (size_t i = 0; i < n; i++) {
        if (sockport_addr_compare(&out[i], a) == 0)
            return 1;
    }
    return 0;
}

/* Converts one result: 1 when *a is an IP address, else 0. */
static int ip_result(const struct addrinfo *ai, sockport_addr *a)
{
    if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) || ai->ai_addr == NULL)
        return 0;
    return sockport__posix_from_native(a, ai->ai_addr, ai->ai_addrlen) == 0;
}

static size_t collect(const struct addrinfo *ai, sockport_addr *out, size_t cap)
{
    size_t n = 0;
    for (; ai != NULL && n < cap; ai = ai->ai_next) {
        sockport_addr a;
        if (ip_result(ai, &a) && !seen(out, n, &a))
            out[n++] = a;
    }
    return n;
}

int sockport__posix_resolve(const sockport_backend *self, const char *host, const char *service,
                            const sockport_resolve_hints *hints, sockport_addr *out, size_t cap)
{
    struct addrinfo h, *res = NULL;
    (void)self;
    native_hints(hints, &h);
    errno = 0;
    int gai = sys_getaddrinfo(host, service, &h, &res);
    if (gai != 0)
        return gai_fail(gai, errno);
    size_t n = collect(res, out, cap);
    sys_freeaddrinfo(res);
    if (n == 0)
        return sockport__fail(SOCKPORT_EAI_NODATA, 0);
    return (int)n;
}
