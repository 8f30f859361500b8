/*
 * Name resolution. Literals and numeric ports never reach the system
 * resolver: sockport's strict parser answers them, the same on every system
 * (getaddrinfo would read "010.1.1.1" as octal on glibc). Everything else
 * goes to the default backend's resolve slot (getaddrinfo / GetAddrInfoW).
 */
#include "internal.h"

#include <string.h>

#define AI_FLAGS                                                                                   \
    ((unsigned)(SOCKPORT_AI_PASSIVE | SOCKPORT_AI_NUMERICHOST | SOCKPORT_AI_NUMERICSERV |          \
                SOCKPORT_AI_ADDRCONFIG))

static int valid_hints(const sockport_resolve_hints *h)
{
    return (h->family == SOCKPORT_AF_UNSPEC || h->family == SOCKPORT_AF_INET ||
            h->family == SOCKPORT_AF_INET6) &&
           h->type >= 0 && h->type <= SOCKPORT_SOCK_RAW &&
           (h->protocol == 0 || h->protocol == SOCKPORT_IPPROTO_TCP ||
            h->protocol == SOCKPORT_IPPROTO_UDP) &&
           (h->flags & ~AI_FLAGS) == 0;
}

/* A decimal port 0-65535 without sign or leading zero; -1 otherwise. */
static int numeric_port(const char *service)
{
    long v = 0;
    if (service == NULL)
        return 0;
    if (service[0] == '\0' || (service[0] == '0' && service[1] != '\0'))
        return -1;
    for (const char *p = service; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || (v = v * 10 + (*p - '0')) > 65535)
            return -1;
    }
    return (int)v;
}

/* The wildcard (passive) or loopback addresses for a NULL host, in
 * getaddrinfo's order: IPv4 first. */
static int null_host(const sockport_resolve_hints *h, int port, sockport_addr *out, size_t cap)
{
    static const uint8_t any4[4] = {0}, lo4[4] = {127, 0, 0, 1};
    static const uint8_t any6[16] = {0}, lo6[16] = {[15] = 1};
    int passive = (h->flags & SOCKPORT_AI_PASSIVE) != 0, n = 0;
    if (h->family != SOCKPORT_AF_INET6)
        sockport_addr_ipv4(&out[n++], passive ? any4 : lo4, (uint16_t)port);
    if (h->family != SOCKPORT_AF_INET && (size_t)n < cap)
        sockport_addr_ipv6(&out[n++], passive ? any6 : lo6, (uint16_t)port, 0, 0);
    return n;
}

/* A literal host: 1 address, 0 when host is no literal, or an error. */
static int literal_host(const sockport_resolve_hints *h, const char *host, int port,
                        sockport_addr *out)
{
    sockport_addr a;
    int rc = sockport_addr_ip(&a, host, (uint16_t)port);
    if (rc == SOCKPORT_EINVAL)
        return 0; /* not a literal: let the resolver try */
    if (rc < 0)
        return rc;
    if (h->family != SOCKPORT_AF_UNSPEC && h->family != a.family_)
        return sockport__fail(SOCKPORT_EAI_NONAME, 0);
    *out = a;
    return 1;
}

int sockport_resolve(const char *host, const char *service, const sockport_resolve_hints *hints,
                     sockport_addr *out, size_t cap)
{
    static const sockport_resolve_hints any = {0, 0, 0, 0};
    const sockport_resolve_hints *h = hints != NULL ? hints : &any;
    if (out == NULL || cap == 0 || !valid_hints(h) || (host == NULL && service == NULL))
        return SOCKPORT__EINVAL();
    int port = numeric_port(service);
    if (port < 0 && (h->flags & SOCKPORT_AI_NUMERICSERV) != 0)
        return sockport__fail(SOCKPORT_EAI_NONAME, 0);
    if (port >= 0 && host == NULL)
        return null_host(h, port, out, cap);
    if (port >= 0) {
        int rc = literal_host(h, host, port, out);
        if (rc != 0)
            return rc;
    }
    if ((h->flags & SOCKPORT_AI_NUMERICHOST) != 0 && host != NULL)
        return sockport__fail(SOCKPORT_EAI_NONAME, 0);
    const sockport_backend *b = sockport__backend_default();
    int rc = sockport__backend_ensure_init(b);
    return rc < 0 ? rc : b->resolve(b, host, service, h, out, cap);
}
