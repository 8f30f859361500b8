/*
 * sockport_addr: constructors, accessors, the total order, and the dispatch
 * of native conversions to the default backend (the core knows no native
 * layout). Text in and out live in addr_parse.c and addr_format.c.
 *
 * Every constructor builds the whole value (zeroed first, so two equal
 * addresses are also equal bytes) and writes *out only once it has
 * succeeded.
 */
#include "internal.h"

#include <string.h>

/* Largest IPv6 flow label: 20 bits. */
#define FLOWINFO_MAX 0xfffffu

static int is_ip(const sockport_addr *a)
{
    return a->family_ == SOCKPORT_AF_INET || a->family_ == SOCKPORT_AF_INET6;
}

SOCKPORT_API int sockport_addr_ipv4(sockport_addr *out, const uint8_t ip[4], uint16_t port)
{
    if (out == NULL || ip == NULL)
        return SOCKPORT__EINVAL();
    memset(out, 0, sizeof *out);
    out->family_ = SOCKPORT_AF_INET;
    out->port_ = port;
    memcpy(out->u_.ip, ip, 4);
    return 0;
}

SOCKPORT_API int sockport_addr_ipv6(sockport_addr *out, const uint8_t ip[16], uint16_t port,
                                    uint32_t flowinfo, uint32_t scope_id)
{
    if (out == NULL || ip == NULL || flowinfo > FLOWINFO_MAX)
        return SOCKPORT__EINVAL();
    memset(out, 0, sizeof *out);
    out->family_ = SOCKPORT_AF_INET6;
    out->port_ = port;
    out->flowinfo_ = flowinfo;
    out->scope_id_ = scope_id;
    memcpy(out->u_.ip, ip, 16);
    return 0;
}

/* Fills a Unix address from len bytes that hold no policy violation. */
static void set_unix(sockport_addr *out, const void *bytes, size_t len, int abstract)
{
    memset(out, 0, sizeof *out);
    out->family_ = SOCKPORT_AF_UNIX;
    out->len_ = (uint16_t)len;
    out->abstract_ = (uint8_t)(abstract != 0);
    if (len > 0)
        memcpy(out->u_.path, bytes, len);
}

/* The length of s up to its first NUL, reading at most max + 1 bytes. */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;

    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

SOCKPORT_API int sockport_addr_unix(sockport_addr *out, const char *path)
{
    size_t len;

    if (out == NULL || path == NULL)
        return SOCKPORT__EINVAL();
    len = bounded_len(path, SOCKPORT_UNIX_PATH_MAX);
    if (len == 0)
        return SOCKPORT__EINVAL();
    if (len > SOCKPORT_UNIX_PATH_MAX)
        return sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    set_unix(out, path, len, 0);
    return 0;
}

SOCKPORT_API int sockport_addr_abstract(sockport_addr *out, const void *name, size_t len)
{
    if (out == NULL || (name == NULL && len > 0))
        return SOCKPORT__EINVAL();
#if defined(__linux__)
    if (len > SOCKPORT_UNIX_PATH_MAX)
        return sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    set_unix(out, name, len, 1);
    return 0;
#else
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
#endif
}

/*
 * For the backends: the address as a kernel returned it. A pathname ends at
 * its first NUL within len (kernels may count the terminator, or omit it for
 * a full sun_path); an abstract name is exactly len bytes. A name longer than
 * sockport can hold is SOCKPORT_ENAMETOOLONG.
 */
int sockport__addr_set_unix(sockport_addr *out, const char *bytes, size_t len, int abstract)
{
    if (out == NULL || (bytes == NULL && len > 0))
        return SOCKPORT__EINVAL();
    if (!abstract && len > 0)
        len = bounded_len(bytes, len - 1);
    if (len > SOCKPORT_UNIX_PATH_MAX)
        return sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    set_unix(out, bytes, len, abstract);
    return 0;
}

SOCKPORT_API int sockport_addr_family(const sockport_addr *a)
{
    if (a == NULL || a->family_ > SOCKPORT_AF_UNIX)
        return SOCKPORT__EINVAL();
    return a->family_;
}

SOCKPORT_API int sockport_addr_port(const sockport_addr *a)
{
    if (a == NULL || !is_ip(a))
        return SOCKPORT__EINVAL();
    return a->port_;
}

SOCKPORT_API int sockport_addr_set_port(sockport_addr *a, uint16_t port)
{
    if (a == NULL || !is_ip(a))
        return SOCKPORT__EINVAL();
    a->port_ = port;
    return 0;
}

SOCKPORT_API int sockport_addr_ip_bytes(const sockport_addr *a, uint8_t out[16])
{
    int n;

    if (a == NULL || out == NULL || !is_ip(a))
        return SOCKPORT__EINVAL();
    n = a->family_ == SOCKPORT_AF_INET ? 4 : 16;
    memcpy(out, a->u_.ip, (size_t)n);
    return n;
}

SOCKPORT_API int64_t sockport_addr_scope_id(const sockport_addr *a)
{
    if (a == NULL || a->family_ != SOCKPORT_AF_INET6)
        return SOCKPORT__EINVAL();
    return (int64_t)a->scope_id_;
}

SOCKPORT_API int64_t sockport_addr_flowinfo(const sockport_addr *a)
{
    if (a == NULL || a->family_ != SOCKPORT_AF_INET6)
        return SOCKPORT__EINVAL();
    return (int64_t)a->flowinfo_;
}

/* -1, 0 or 1 for two unsigned values. */
static int cmp_u32(uint32_t x, uint32_t y)
{
    return (x > y) - (x < y);
}

/* IP bytes, port, scope, flow info. */
static int compare_ip(const sockport_addr *a, const sockport_addr *b)
{
    size_t n = a->family_ == SOCKPORT_AF_INET ? 4 : 16;
    int c = memcmp(a->u_.ip, b->u_.ip, n);

    if (c != 0)
        return c < 0 ? -1 : 1;
    if ((c = cmp_u32(a->port_, b->port_)) != 0)
        return c;
    if ((c = cmp_u32(a->scope_id_, b->scope_id_)) != 0)
        return c;
    return cmp_u32(a->flowinfo_, b->flowinfo_);
}

/* Pathnames before abstract names, then shorter first, then the bytes. */
static int compare_unix(const sockport_addr *a, const sockport_addr *b)
{
    int c = cmp_u32(a->abstract_, b->abstract_);
    size_t n = a->len_;

    if (c != 0 || (c = cmp_u32(a->len_, b->len_)) != 0)
        return c;
    if (n > SOCKPORT_UNIX_PATH_MAX)
        n = SOCKPORT_UNIX_PATH_MAX;
    c = memcmp(a->u_.path, b->u_.path, n);
    return (c > 0) - (c < 0);
}

SOCKPORT_API int sockport_addr_compare(const sockport_addr *a, const sockport_addr *b)
{
    int c;

    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    if ((c = cmp_u32(a->family_, b->family_)) != 0)
        return c;
    if (is_ip(a))
        return compare_ip(a, b);
    if (a->family_ == SOCKPORT_AF_UNIX)
        return compare_unix(a, b);
    return 0;
}

SOCKPORT_API int sockport_addr_from_native(sockport_addr *out, const void *sa, size_t len)
{
    const sockport_backend *b;
    sockport_addr tmp;
    int rc;

    if (out == NULL || sa == NULL || len == 0)
        return SOCKPORT__EINVAL();
    memset(&tmp, 0, sizeof tmp);
    b = sockport__backend_default();
    rc = b->addr_from_native(b, &tmp, sa, len);
    if (rc < 0)
        return rc;
    *out = tmp;
    return rc;
}

SOCKPORT_API int sockport_addr_to_native(const sockport_addr *a, void *sa, size_t *len)
{
    const sockport_backend *b;

    if (a == NULL || sa == NULL || len == NULL)
        return SOCKPORT__EINVAL();
    if (a->family_ == SOCKPORT_AF_UNSPEC || a->family_ > SOCKPORT_AF_UNIX)
        return SOCKPORT__EINVAL();
    b = sockport__backend_default();
    return b->addr_to_native(b, a, sa, len);
}
