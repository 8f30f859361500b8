/*
 * Name resolution with GetAddrInfoW. The host and service are UTF-8 (as
 * every string in sockport) and become UTF-16 on the stack with
 * MultiByteToWideChar, invalid UTF-8 refused (SOCKPORT_EAI_NONAME: no name
 * can be spelled so). The results become sockport_addr values in the
 * resolver's order, IPv4 and IPv6 only, without duplicates (with type 0 the
 * resolver lists each address once per socket type), up to cap; the list
 * GetAddrInfoW allocated is freed before returning.
 *
 * Errors: GetAddrInfoW's EAI_* are WSA codes; errors.c maps the resolver's
 * own (WSAHOST_NOT_FOUND …) to SOCKPORT_EAI_*, and here WSAEAFNOSUPPORT
 * (EAI_FAMILY) and WSAESOCKTNOSUPPORT (EAI_SOCKTYPE) are the resolver's
 * words, not a socket's. A lookup that succeeds with no IPv4 or IPv6
 * address is SOCKPORT_EAI_NODATA.
 */
#include "winsock.h"

#include <string.h>

#define HOST_ROOM    1025 /* NI_MAXHOST */
#define SERVICE_ROOM 256

/* UTF-8 → UTF-16 into out[room]; NULL stays NULL. \return 0, or
 * SOCKPORT_EAI_NONAME for invalid UTF-8 or a name longer than room. */
static int widen(const char *in, WCHAR *out, int room, const WCHAR **res)
{
    *res = NULL;
    if (in == NULL)
        return 0;
    if (sys_multibytetowidechar(in, -1, out, room) == 0)
        return sockport__fail(SOCKPORT_EAI_NONAME, (int)sys_getlasterror());
    *res = out;
    return 0;
}

static void native_hints(const sockport_resolve_hints *h, ADDRINFOW *n)
{
    memset(n, 0, sizeof *n);
    n->ai_family = sockport__winsock_af(h->family);
    n->ai_socktype = sockport__winsock_type(h->type);
    n->ai_protocol = sockport__winsock_proto(h->protocol);
    n->ai_flags = ((h->flags & SOCKPORT_AI_PASSIVE) ? AI_PASSIVE : 0) |
                  ((h->flags & SOCKPORT_AI_NUMERICHOST) ? AI_NUMERICHOST : 0) |
                  ((h->flags & SOCKPORT_AI_NUMERICSERV) ? AI_NUMERICSERV : 0) |
                  ((h->flags & SOCKPORT_AI_ADDRCONFIG) ? AI_ADDRCONFIG : 0);
}

static int resolver_fail(int code)
{
    switch (code) {
    case WSAEAFNOSUPPORT: /* EAI_FAMILY */
        return sockport__fail(SOCKPORT_EAI_FAMILY, code);
    case WSAESOCKTNOSUPPORT: /* EAI_SOCKTYPE */
        return sockport__fail(SOCKPORT_EAI_SERVICE, code);
    default:
        return sockport__winsock_fail(code);
    }
}

static int seen(const sockport_addr *out, int n, const sockport_addr *a)
{
    for (int i = 0; i < n; i++) {
        if (sockport_addr_compare(&out[i], a) == 0)
            return 1;
    }
    return 0;
}

/* The IPv4 and IPv6 results, without duplicates, up to cap. */
static int collect(const ADDRINFOW *res, sockport_addr *out, size_t cap)
{
    int n = 0;
    for (const ADDRINFOW *ai = res; ai != NULL && (size_t)n < cap; ai = ai->ai_next) {
        sockport_addr a;
        if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) || ai->ai_addr == NULL ||
            sockport__winsock_from_native(&a, ai->ai_addr, ai->ai_addrlen) < 0 || seen(out, n, &a))
            continue;
        out[n++] = a;
    }
    return n;
}

int sockport__winsock_resolve(const sockport_backend *self, const char *host, const char *service,
                              const sockport_resolve_hints *hints, sockport_addr *out, size_t cap)
{
    WCHAR whost[HOST_ROOM], wservice[SERVICE_ROOM];
    const WCHAR *h = NULL, *sv = NULL;
    ADDRINFOW nh;
    PADDRINFOW res = NULL;
    int rc;
    (void)self;
    if ((rc = widen(host, whost, HOST_ROOM, &h)) < 0 ||
        (rc = widen(service, wservice, SERVICE_ROOM, &sv)) < 0)
        return rc;
    native_hints(hints, &nh);
    int code = sys_getaddrinfow(h, sv, &nh, &res);
    if (code != 0)
        return resolver_fail(code);
    int n = collect(res, out, cap);
    sys_freeaddrinfow(res);
    return n > 0 ? n : sockport__fail(SOCKPORT_EAI_NODATA, 0);
}
