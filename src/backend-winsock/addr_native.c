/*
 * sockport_addr ↔ SOCKADDR_IN / SOCKADDR_IN6 / SOCKADDR_UN, and
 * if_nametoindex (iphlpapi).
 *
 * IPv6: the scope id lives in the union of SOCKADDR_IN6 (sin6_scope_id);
 * flow info is network order on the wire, host order in sockport_addr.
 *
 * AF_UNIX (afunix.h, Windows 10 1803+): the path is UTF-8 bytes (Windows
 * converts them itself), checked here to be valid UTF-8 (SOCKPORT_EINVAL
 * otherwise: Windows would name a different file) and at most
 * sizeof(sun_path) - 1 = 107 bytes; the NUL is counted in the length, as
 * socket2 does for parity with POSIX. Windows has no abstract namespace:
 * SOCKPORT_ENOTSUP. On the way in, a path ends at its first NUL or at the
 * returned length; a zeroed path is the unnamed address. Nothing is ever read
 * past the length given.
 */
#include "winsock.h"

#include <string.h>

#define SUN_PATH_OFFSET offsetof(SOCKADDR_UN, sun_path)
#define SUN_PATH_SIZE   sizeof(((SOCKADDR_UN *)NULL)->sun_path)

/* ---- UTF-8 ------------------------------------------------------------- */

/* Length of the UTF-8 sequence led by c (0 if c cannot lead one), and the
 * range its second byte must be in (excludes overlongs, surrogates and code
 * points past U+10FFFF). */
static size_t utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c >= 0xe0 && c <= 0xef) {
        *lo = c == 0xe0 ? 0xa0 : 0x80;
        *hi = c == 0xed ? 0x9f : 0xbf;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        *lo = c == 0xf0 ? 0x90 : 0x80;
        *hi = c == 0xf4 ? 0x8f : 0xbf;
        return 4;
    }
    return 0;
}

static int valid_utf8(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char lo, hi;
        size_t k = utf8_lead(p[i], &lo, &hi);
        if (k == 0 || k > n - i)
            return 0;
        for (size_t j = 1; j < k; j++) {
            unsigned char c = p[i + j];
            if (c < (j == 1 ? lo : 0x80) || c > (j == 1 ? hi : 0xbf))
                return 0;
        }
        i += k;
    }
    return 1;
}

/* ---- to native --------------------------------------------------------- */

static int ipv4_to_native(const sockport_addr *a, SOCKADDR_STORAGE *ss)
{
    SOCKADDR_IN sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(a->port_);
    memcpy(&sin.sin_addr, a->u_.ip, 4);
    memcpy(ss, &sin, sizeof sin);
    return (int)sizeof sin;
}

static int ipv6_to_native(const sockport_addr *a, SOCKADDR_STORAGE *ss)
{
    SOCKADDR_IN6 sin6;
    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(a->port_);
    sin6.sin6_flowinfo = htonl(a->flowinfo_);
    sin6.sin6_scope_id = a->scope_id_;
    memcpy(&sin6.sin6_addr, a->u_.ip, 16);
    memcpy(ss, &sin6, sizeof sin6);
    return (int)sizeof sin6;
}

static int unix_to_native(const sockport_addr *a, SOCKADDR_STORAGE *ss, int *len)
{
    size_t n = a->len_;
    if (a->abstract_)
        return sockport__fail(SOCKPORT_ENOTSUP, 0); /* Linux only */
    if (n == 0 || n > SUN_PATH_SIZE - 1)
        return n == 0 ? SOCKPORT__EINVAL() : sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    if (!valid_utf8((const unsigned char *)a->u_.path, n))
        return SOCKPORT__EINVAL();
    SOCKADDR_UN sun_;
    memset(&sun_, 0, sizeof sun_);
    sun_.sun_family = AF_UNIX;
    memcpy(sun_.sun_path, a->u_.path, n);
    memcpy(ss, &sun_, sizeof sun_);
    *len = (int)(SUN_PATH_OFFSET + n + 1);
    return 0;
}

int sockport__winsock_to_native(const sockport_addr *a, SOCKADDR_STORAGE *ss, int *len)
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

int sockport__winsock_addr_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                                     size_t *len)
{
    (void)self;
    SOCKADDR_STORAGE ss;
    int n = 0;
    int rc = sockport__winsock_to_native(a, &ss, &n);
    if (rc < 0)
        return rc;
    if (*len < (size_t)n) {
        *len = (size_t)n;
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    }
    memcpy(sa, &ss, (size_t)n);
    *len = (size_t)n;
    return 0;
}

/* ---- from native ------------------------------------------------------- */

static int ipv4_from_native(sockport_addr *out, const SOCKADDR_STORAGE *ss, size_t len)
{
    SOCKADDR_IN sin;
    uint8_t ip[4];
    if (len < sizeof sin)
        return SOCKPORT__EINVAL();
    memcpy(&sin, ss, sizeof sin);
    memcpy(ip, &sin.sin_addr, 4);
    return sockport_addr_ipv4(out, ip, ntohs(sin.sin_port));
}

static int ipv6_from_native(sockport_addr *out, const SOCKADDR_STORAGE *ss, size_t len)
{
    SOCKADDR_IN6 sin6;
    uint8_t ip[16];
    if (len < sizeof sin6)
        return SOCKPORT__EINVAL();
    memcpy(&sin6, ss, sizeof sin6);
    memcpy(ip, &sin6.sin6_addr, 16);
    uint32_t flow = ntohl(sin6.sin6_flowinfo) & 0xfffffu; /* the label, not the class */
    return sockport_addr_ipv6(out, ip, ntohs(sin6.sin6_port), flow, sin6.sin6_scope_id);
}

static int unix_from_native(sockport_addr *out, const SOCKADDR_STORAGE *ss, size_t len)
{
    const SOCKADDR_UN *sun_ = (const SOCKADDR_UN *)(const void *)ss;
    if (len <= SUN_PATH_OFFSET || sun_->sun_path[0] == '\0')
        return sockport__addr_set_unix(out, "", 0, 0); /* unnamed: no abstract names here */
    size_t n = len - SUN_PATH_OFFSET;
    if (n > SUN_PATH_SIZE)
        n = SUN_PATH_SIZE;
    /* the path ends at its first NUL within n; 108 bytes and no NUL is more
     * than sockport_addr holds: SOCKPORT_ENAMETOOLONG */
    return sockport__addr_set_unix(out, sun_->sun_path, n, 0);
}

int sockport__winsock_from_native(sockport_addr *out, const void *sa, size_t len)
{
    SOCKADDR_STORAGE ss;
    sockport_addr tmp;
    memset(&ss, 0, sizeof ss);
    memset(&tmp, 0, sizeof tmp);
    if (len > 0 && len < sizeof(ADDRESS_FAMILY))
        return SOCKPORT__EINVAL();
    if (len > sizeof ss)
        len = sizeof ss;
    if (len > 0)
        memcpy(&ss, sa, len); /* aligned, and zeroes beyond len */
    int rc = 0;
    switch (ss.ss_family) {
    case AF_UNSPEC: /* nothing returned (recvfrom on a stream socket) */
        break;
    case AF_INET:
        rc = ipv4_from_native(&tmp, &ss, len);
        break;
    case AF_INET6:
        rc = ipv6_from_native(&tmp, &ss, len);
        break;
    case AF_UNIX:
        rc = unix_from_native(&tmp, &ss, len);
        break;
    default:
        rc = sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
    }
    if (rc == 0)
        *out = tmp;
    return rc;
}

int sockport__winsock_addr_from_native(const sockport_backend *self, sockport_addr *out,
                                       const void *sa, size_t len)
{
    (void)self;
    ADDRESS_FAMILY family = AF_UNSPEC;
    if (len < sizeof family)
        return SOCKPORT__EINVAL(); /* a user's address has at least a family */
    memcpy(&family, sa, sizeof family);
    if (family == AF_UNSPEC)
        return sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
    return sockport__winsock_from_native(out, sa, len);
}

/* ---- interfaces -------------------------------------------------------- */

/* iphlpapi's if_nametoindex takes Windows' interface names ("ethernet_32768")
 * and returns 0, with no error code, for an unknown one. */
int sockport__winsock_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out)
{
    (void)self;
    NET_IFINDEX idx = sys_if_nametoindex(name);
    if (idx == 0)
        return sockport__fail(SOCKPORT_ENODEV, 0);
    *out = (uint32_t)idx;
    return 0;
}
