/*
 * Address text in: the strict parser behind sockport_addr_parse() and
 * sockport_addr_ip(). The policy is DESIGN.md "Address text"; no OS parser
 * (inet_pton, getaddrinfo, WSAStringToAddress) is ever used.
 *
 * Each parser is one pass over unsigned bytes and returns the first byte it
 * did not take (or NULL); the caller then demands the right terminator, so
 * "anything after" is rejected in one place. Every loop is bounded by the
 * grammar (4 hex digits a group, 8 groups, 3 digits an octet, 5 port digits,
 * 10 zone digits, ZONE_NAME_MAX name bytes), so an over-long input costs at
 * most a few hundred byte reads whatever its length.
 *
 * Decisions the design leaves open, taken here:
 * - A numeric zone follows the port rule: decimal, no sign, no leading zero
 *   ("%0" is scope 0, "%01" is malformed), at most 4294967295.
 * - A zone that starts with a digit is numeric and must be all digits
 *   ("%1eth" is malformed, not an interface name). An interface name starts
 *   with an ASCII letter and holds printable ASCII (0x21-0x7e) except
 *   '%', '/', ':', '[' and ']' (which would make the text ambiguous: a second
 *   zone, a prefix length, a port, brackets).
 * - An interface name is at most ZONE_NAME_MAX bytes: Windows' IF_NAMESIZE
 *   (256) less its NUL, the longest of the supported systems. A longer name
 *   is SOCKPORT_EINVAL without asking the backend.
 * - The backend is asked only after the whole text is valid, so malformed
 *   text is always SOCKPORT_EINVAL and never costs a system call. A name that
 *   resolves to index 0 is SOCKPORT_ENODEV.
 */
#include "internal.h"

#include <string.h>

#define ZONE_NAME_MAX 255

/* No "::" seen yet. */
#define NO_GAP 255u

/* An IP address being parsed, before it is committed to the caller. */
typedef struct ipres {
    uint8_t ip[16];
    uint32_t scope;
    uint16_t family;
    const unsigned char *zone; /* an interface name still to resolve, or NULL */
    size_t zone_len;
} ipres;

/* Each byte's value as a hex digit plus one; 0 for any other byte. A table
 * because hexval() runs once per character of IPv6 text: one load instead of
 * two compares keeps sockport_addr_ip() under glibc's inet_pton() in
 * instructions (the perf.parse gate in bench/). */
static const uint8_t hex_plus1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The value of an ASCII hex digit, or > 15 (UINT_MAX) for any other byte. */
static unsigned hexval(unsigned char c)
{
    return (unsigned)hex_plus1[c] - 1u;
}

/* The value of an ASCII decimal digit, or >= 10 for any other byte. */
static unsigned decval(unsigned c)
{
    return c - '0';
}

/* One strict octet: "0", or 1-3 digits without a leading zero, <= 255. */
static const unsigned char *parse_octet(const unsigned char *p, uint8_t *out)
{
    unsigned v = decval(*p);
    unsigned d;

    if (v > 9)
        return NULL;
    p++;
    if (v != 0 && (d = decval(*p)) <= 9) {
        v = v * 10 + d;
        p++;
        if ((d = decval(*p)) <= 9) {
            v = v * 10 + d;
            p++;
            if (v > 255)
                return NULL;
        }
    }
    *out = (uint8_t)v;
    return p;
}

/* Four strict octets separated by dots. */
static const unsigned char *parse_v4(const unsigned char *p, uint8_t out[4])
{
    p = parse_octet(p, &out[0]);
    for (int i = 1; i < 4; i++) {
        if (p == NULL || *p != '.')
            return NULL;
        p = parse_octet(p + 1, &out[i]);
    }
    return p;
}

/* Moves the groups after the "::" at byte gap to the end of ip[16]. */
static void expand_gap(uint8_t ip[16], unsigned gap, unsigned n)
{
    unsigned shift = 16 - n;

    for (unsigned i = n; i-- > gap;) {
        ip[i + shift] = ip[i];
        ip[i] = 0;
    }
}

/* Reads 1-4 hex digits into *v; returns NULL when there is none. */
static const unsigned char *parse_group(const unsigned char *p, unsigned *v)
{
    unsigned d = hexval(*p);
    unsigned acc = 0;

    if (d > 15)
        return NULL;
    for (int k = 0; k < 4 && d <= 15; k++) {
        acc = acc << 4 | d;
        d = hexval(*++p);
    }
    *v = acc;
    return p;
}

/* Checks the group count of a parsed IPv6 address (n bytes, "::" at byte
 * gap) and moves the groups after the "::" to the end. */
static const unsigned char *close_v6(const unsigned char *p, uint8_t ip[16], unsigned gap,
                                     unsigned n)
{
    if (gap == NO_GAP)
        return n == 16 ? p : NULL;
    if (n == 16) /* "::" must stand for at least one group */
        return NULL;
    expand_gap(ip, gap, n);
    return p;
}

/*
 * RFC 4291 section 2.2 text into ip[16] (which must be zeroed): groups, at
 * most one "::" standing for at least one zero group, and an optional dotted
 * IPv4 in the last 32 bits.
 */
static const unsigned char *parse_v6(const unsigned char *p, uint8_t ip[16])
{
    unsigned n = 0, gap = NO_GAP, v = 0;

    if (*p == ':') {
        if (p[1] != ':')
            return NULL;
        p += 2;
        gap = 0;
    }
    while (gap != n || hexval(*p) <= 15) {
        const unsigned char *g = p;
        if ((p = parse_group(p, &v)) == NULL)
            return NULL;
        if (*p == '.') { /* the group was the first octet of an IPv4 tail */
            if (n > 12 || (p = parse_v4(g, ip + n)) == NULL)
                return NULL;
            return close_v6(p, ip, gap, n + 4);
        }
        ip[n] = (uint8_t)(v >> 8);
        ip[n + 1] = (uint8_t)v;
        n += 2;
        if (*p != ':' || n == 16)
            break;
        if (*++p == ':') {
            if (gap != NO_GAP)
                return NULL;
            gap = n;
            p++;
        }
    }
    return close_v6(p, ip, gap, n);
}

/* A byte allowed after the first letter of an interface name. */
static int is_name_byte(unsigned c)
{
    if (c < 0x21 || c > 0x7e)
        return 0;
    return c != '%' && c != '/' && c != ':' && c != '[' && c != ']';
}

/* A numeric zone: "0" or decimal without a leading zero, <= 4294967295. */
static const unsigned char *parse_zone_number(const unsigned char *p, uint32_t *out)
{
    uint64_t v = decval(*p++);
    unsigned d;

    if (v != 0) {
        for (int k = 1; k < 10 && (d = decval(*p)) <= 9; k++, p++)
            v = v * 10 + d;
        if (v > UINT32_MAX)
            return NULL;
    }
    *out = (uint32_t)v;
    return p;
}

/* The zone after '%': a number, or an interface name kept for later. */
static const unsigned char *parse_zone(const unsigned char *p, ipres *r)
{
    const unsigned char *start = p;

    if (decval(*p) <= 9)
        return parse_zone_number(p, &r->scope);
    if ((*p | 0x20u) - 'a' >= 26u)
        return NULL;
    while (is_name_byte(*++p) && p - start <= ZONE_NAME_MAX)
        ;
    if (p - start > ZONE_NAME_MAX)
        return NULL;
    r->zone = start;
    r->zone_len = (size_t)(p - start);
    return p;
}

/* An IPv6 literal with its optional zone. */
static const unsigned char *parse_v6_zone(const unsigned char *p, ipres *r)
{
    r->family = SOCKPORT_AF_INET6;
    p = parse_v6(p, r->ip);
    if (p != NULL && *p == '%')
        p = parse_zone(p + 1, r);
    return p;
}

/* A bare literal, IPv4 or IPv6, up to the first byte it does not take. */
static const unsigned char *parse_literal(const unsigned char *p, ipres *r)
{
    const unsigned char *end = parse_v4(p, r->ip);

    if (end != NULL && *end == '\0') {
        r->family = SOCKPORT_AF_INET;
        return end;
    }
    memset(r->ip, 0, 4);
    return parse_v6_zone(p, r);
}

/* A port: "0", or 1-5 decimal digits without a leading zero, <= 65535. */
static const unsigned char *parse_port(const unsigned char *p, uint16_t *out)
{
    unsigned v = decval(*p++);
    unsigned d;

    if (v > 9)
        return NULL;
    if (v != 0) {
        for (int k = 1; k < 5 && (d = decval(*p)) <= 9; k++, p++)
            v = v * 10 + d;
        if (v > 65535)
            return NULL;
    }
    *out = (uint16_t)v;
    return p;
}

/* "a.b.c.d:port" or "[v6%zone]:port", everything up to the final NUL. */
static const unsigned char *parse_with_port(const unsigned char *p, ipres *r, uint16_t *port)
{
    if (*p == '[') {
        p = parse_v6_zone(p + 1, r);
        if (p == NULL || *p++ != ']')
            return NULL;
    } else {
        r->family = SOCKPORT_AF_INET;
        p = parse_v4(p, r->ip);
    }
    if (p == NULL || *p != ':')
        return NULL;
    return parse_port(p + 1, port);
}

/* Resolves an interface-name zone through the default backend. */
static int resolve_zone(ipres *r)
{
    const sockport_backend *b;
    char name[ZONE_NAME_MAX + 1];
    uint32_t index = 0;
    int rc;

    if (!(r->ip[0] == 0xfe && (r->ip[1] & 0xc0) == 0x80) && r->ip[0] != 0xff)
        return SOCKPORT__EINVAL();
    memcpy(name, r->zone, r->zone_len);
    name[r->zone_len] = '\0';
    b = sockport__backend_default();
    rc = b->if_nametoindex(b, name, &index);
    if (rc < 0)
        return rc;
    if (index == 0)
        return sockport__fail(SOCKPORT_ENODEV, 0);
    r->scope = index;
    return 0;
}

/* Commits a parsed address to *out: the only write to the caller's memory. */
static int commit(sockport_addr *out, ipres *r, const unsigned char *end, uint16_t port)
{
    if (end == NULL || *end != '\0')
        return SOCKPORT__EINVAL();
    if (r->zone != NULL) {
        int rc = resolve_zone(r);
        if (rc < 0)
            return rc;
    }
    memset(out, 0, sizeof *out);
    out->family_ = r->family;
    out->port_ = port;
    out->scope_id_ = r->scope;
    memcpy(out->u_.ip, r->ip, sizeof r->ip);
    return 0;
}

SOCKPORT_API int sockport_addr_parse(sockport_addr *out, const char *text)
{
    ipres r = {{0}, 0, 0, NULL, 0};
    uint16_t port = 0;
    const unsigned char *end;

    if (out == NULL || text == NULL)
        return SOCKPORT__EINVAL();
    end = parse_with_port((const unsigned char *)text, &r, &port);
    return commit(out, &r, end, port);
}

SOCKPORT_API int sockport_addr_ip(sockport_addr *out, const char *ip, uint16_t port)
{
    ipres r = {{0}, 0, 0, NULL, 0};
    const unsigned char *end;

    if (out == NULL || ip == NULL)
        return SOCKPORT__EINVAL();
    end = parse_literal((const unsigned char *)ip, &r);
    return commit(out, &r, end, port);
}
