/*
 * sockport_addr ↔ struct sockaddr_in / sockaddr_in6 / sockaddr_un, and
 * if_nametoindex.
 *
 * Unix addresses, native side (Linux unix(7)):
 * - pathname: offsetof(sun_path) + strlen + 1 on the way out; on the way in
 *   the path ends at the first NUL or at the returned length, whichever comes
 *   first (a kernel may return sizeof(sun_path) bytes and no NUL);
 * - abstract (Linux): a NUL, then exactly len name bytes, and
 *   offsetof(sun_path) + 1 + len: no terminator;
 * - unnamed: a length of offsetof(sun_path) (sizeof(sa_family_t) on Linux) or
 *   less.
 * Nothing is ever read past the length given.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#define SUN_PATH_OFFSET offsetof(struct sockaddr_un, sun_path)
#define SUN_PATH_SIZE   sizeof(((struct sockaddr_un *)NULL)->sun_path)

/* ---- to native --------------------------------------------------------- */

static socklen_t ipv4_to_native(const sockport_addr *a, struct sockaddr_storage *ss)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
#ifdef SIN6_LEN /* BSD layouts carry a length byte */
    sin.sin_len = sizeof sin;
#endif
    sin.sin_family = AF_INET;
    sin.sin_port = htons(a->port_);
    memcpy(&sin.sin_addr, a->u_.ip, 4);
    memcpy(ss, &sin, sizeof sin);
    return sizeof sin;
}

static socklen_t ipv6_to_native(const sockport_addr *a, struct sockaddr_storage *ss)
{
    struct sockaddr_in6 sin6;
    memset(&sin6, 0, sizeof sin6);
#ifdef SIN6_LEN
    sin6.sin6_len = sizeof sin6;
#endif
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(a->port_);
    sin6.sin6_flowinfo = htonl(a->flowinfo_);
    sin6.sin6_scope_id = a->scope_id_;
    memcpy(&sin6.sin6_addr, a->u_.ip, 16);
    memcpy(ss, &sin6, sizeof sin6);
    return sizeof sin6;
}

/* Writes the name bytes after a leading NUL (abstract) or with a NUL after
 * them (pathname); *len receives the native length. */
static int unix_to_native(const sockport_addr *a, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_un sun_;
    size_t n = a->len_; /* path + NUL, or NUL + name: both fit n <= size - 1 */
#ifndef __linux__
    if (a->abstract_)
        return sockport__fail(SOCKPORT_ENOTSUP, 0); /* abstract names are Linux's */
#endif
    if (n > SUN_PATH_SIZE - 1) /* a sun_path shorter than sockport's (macOS: 104) */
        return sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    memset(&sun_, 0, sizeof sun_);
    sun_.sun_family = AF_UNIX;
    size_t at = a->abstract_ ? 1 : 0; /* abstract: sun_path[0] stays NUL */
    memcpy(sun_.sun_path + at, a->u_.path, n);
    /* pathname: count its NUL; abstract: the leading NUL, no terminator;
     * unnamed (n == 0, not abstract): the family alone */
    size_t total = SUN_PATH_OFFSET + at + n + (a->abstract_ || n == 0 ? 0 : 1);
#ifdef SIN6_LEN
    sun_.sun_len = (unsigned char)total;
#endif
    memcpy(ss, &sun_, sizeof sun_);
    *len = (socklen_t)total;
    return 0;
}

int sockport__posix_to_native(const sockport_addr *a, struct sockaddr_storage *ss, socklen_t *len)
{
    switch (a->family_) {
    case SOCKPORT_AF_INET:
        *len = ipv4_to_native(a, ss);
        return 0;
    case SOCKPORT_AF_INET6:
        *len = ipv6_to_native(a, ss);
        return 0;
    case SOCKPORT_AF_UNIX:
        return unix_to_native(a, ss, len);
    case SOCKPORT_AF_UNSPEC:
        return SOCKPORT__EINVAL(); /* the empty address */
    default:
        return sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
    }
}

int sockport__posix_addr_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                                   size_t *len)
{
    (void)self;
    struct sockaddr_storage ss;
    socklen_t n = 0;
    int rc = sockport__posix_to_native(a, &ss, &n);
    if (rc < 0)
        return rc;
    if (*len < n) {
        *len = n;
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    }
    memcpy(sa, &ss, n);
    *len = n;
    return 0;
}

/* ---- from native ------------------------------------------------------- */

static int ipv4_from_native(sockport_addr *out, const struct sockaddr_storage *ss, size_t len)
{
    struct sockaddr_in sin;
    if (len < sizeof sin)
        return SOCKPORT__EINVAL();
    memcpy(&sin, ss, sizeof sin);
    uint8_t ip[4];
    memcpy(ip, &sin.sin_addr, 4);
    return sockport_addr_ipv4(out, ip, ntohs(sin.sin_port));
}

static int ipv6_from_native(sockport_addr *out, const struct sockaddr_storage *ss, size_t len)
{
    struct sockaddr_in6 sin6;
    if (len < sizeof sin6)
        return SOCKPORT__EINVAL();
    memcpy(&sin6, ss, sizeof sin6);
    uint8_t ip[16];
    memcpy(ip, &sin6.sin6_addr, 16);
    /* sin6_flowinfo may carry the traffic class above the 20-bit label */
    uint32_t flow = ntohl(sin6.sin6_flowinfo) & 0xfffffu;
    return sockport_addr_ipv6(out, ip, ntohs(sin6.sin6_port), flow, sin6.sin6_scope_id);
}

static int unix_from_native(sockport_addr *out, const struct sockaddr_storage *ss, size_t len)
{
    const struct sockaddr_un *sun_ = (const struct sockaddr_un *)(const void *)ss;
    if (len <= SUN_PATH_OFFSET)
        return sockport__addr_set_unix(out, "", 0, 0); /* unnamed */
    size_t n = len - SUN_PATH_OFFSET;
    if (n > SUN_PATH_SIZE)
        n = SUN_PATH_SIZE;
    if (sun_->sun_path[0] == '\0') {
#ifdef __linux__
        return sockport__addr_set_unix(out, sun_->sun_path + 1, n - 1, 1);
#else
        return sockport__addr_set_unix(out, "", 0, 0); /* a zeroed path: unnamed */
#endif
    }
    n = strnlen(sun_->sun_path, n);
    if (n > SOCKPORT_UNIX_PATH_MAX) /* 108 bytes without a NUL: no room in sockport_addr */
        return sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    return sockport__addr_set_unix(out, sun_->sun_path, n, 0);
}

int sockport__posix_from_native(sockport_addr *out, const void *sa, size_t len)
{
    struct sockaddr_storage ss;
    if (len == 0) { /* e.g. recvfrom on a connection-mode socket */
        memset(out, 0, sizeof *out);
        return 0;
    }
    if (len < offsetof(struct sockaddr, sa_family) + sizeof(sa_family_t))
        return SOCKPORT__EINVAL();
    if (len > sizeof ss)
        len = sizeof ss;
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, sa, len); /* aligned, and zeroes beyond len */
    switch (ss.ss_family) {
    case AF_INET:
        return ipv4_from_native(out, &ss, len);
    case AF_INET6:
        return ipv6_from_native(out, &ss, len);
    case AF_UNIX:
        return unix_from_native(out, &ss, len);
    default:
        return sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
    }
}

int sockport__posix_addr_from_native(const sockport_backend *self, sockport_addr *out,
                                     const void *sa, size_t len)
{
    (void)self;
    if (len == 0)
        return SOCKPORT__EINVAL(); /* a user's address has at least a family */
    return sockport__posix_from_native(out, sa, len);
}

/* ---- interfaces -------------------------------------------------------- */

int sockport__posix_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out)
{
    (void)self;
    errno = 0;
    unsigned idx = sys_if_nametoindex(name);
    if (idx != 0) {
        *out = idx;
        return 0;
    }
    int e = errno;
    switch (e) { /* resource trouble stays what it is; anything else: no such device */
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ENOBUFS:
        return sockport__posix_fail(e);
    default:
        return sockport__fail(SOCKPORT_ENODEV, e);
    }
}
