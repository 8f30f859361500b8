/*
 * Address text out: sockport_addr_format() and sockport_addr_format_ip().
 * RFC 5952 for IPv6; no snprintf, no inet_ntop. The text is built in a local
 * buffer by direct digit emission and copied out once, after the length is
 * known to fit, so a short buffer is never written past cap (only buf[0] is
 * set to "" when cap > 0, so that a careless caller prints nothing).
 */
#include "internal.h"

#include <string.h>

/* Room for "[" + 39 + "%" + 10 + "]:" + 5 characters. */
#define IPTEXT_MAX 64

static const char hexdigits[16] = "0123456789abcdef";

/* Decimal, no leading zeros. */
static char *put_dec(char *p, uint32_t v)
{
    char t[10];
    int n = 0;

    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        *p++ = t[--n];
    return p;
}

/* One octet, 0-255, no leading zeros. */
static char *put_octet(char *p, unsigned v)
{
    if (v >= 100) {
        unsigned h = v / 100;
        *p++ = (char)('0' + h);
        v -= h * 100;
        *p++ = (char)('0' + v / 10);
    } else if (v >= 10) {
        *p++ = (char)('0' + v / 10);
    }
    *p++ = (char)('0' + v % 10);
    return p;
}

static char *put_v4(char *p, const uint8_t ip[4])
{
    p = put_octet(p, ip[0]);
    for (int i = 1; i < 4; i++) {
        *p++ = '.';
        p = put_octet(p, ip[i]);
    }
    return p;
}

/* One group, lowercase, no leading zeros. */
static char *put_group(char *p, unsigned v)
{
    if (v >= 0x1000)
        *p++ = hexdigits[v >> 12];
    if (v >= 0x100)
        *p++ = hexdigits[(v >> 8) & 15];
    if (v >= 0x10)
        *p++ = hexdigits[(v >> 4) & 15];
    *p++ = hexdigits[v & 15];
    return p;
}

/* The first longest run of two or more zero groups: *start, or -1. */
static int zero_run(const unsigned g[8], int *len)
{
    int best = -1, best_len = 1, cur = 0;

    for (int i = 0; i < 8; i++) {
        cur = g[i] == 0 ? cur + 1 : 0;
        if (cur > best_len) {
            best_len = cur;
            best = i + 1 - cur;
        }
    }
    *len = best_len;
    return best;
}

/* RFC 5952 section 4 and 5 text of an IPv6 address. */
static char *put_v6(char *p, const uint8_t ip[16])
{
    unsigned g[8];
    int run_len, run;

    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)ip[2 * i] << 8 | ip[2 * i + 1];
    if ((g[0] | g[1] | g[2] | g[3] | g[4]) == 0 && g[5] == 0xffff) {
        memcpy(p, "::ffff:", 7);
        return put_v4(p + 7, ip + 12);
    }
    run = zero_run(g, &run_len);
    for (int i = 0; i < 8; i++) {
        if (i == run) {
            *p++ = ':';
            *p++ = ':';
            i += run_len - 1;
            continue;
        }
        if (i > 0 && i != run + run_len)
            *p++ = ':';
        p = put_group(p, g[i]);
    }
    return p;
}

/* The IPv6 text with its zone number, if any. */
static char *put_v6_zone(char *p, const sockport_addr *a)
{
    p = put_v6(p, a->u_.ip);
    if (a->scope_id_ != 0) {
        *p++ = '%';
        p = put_dec(p, a->scope_id_);
    }
    return p;
}

/* Copies len bytes and a NUL into buf, or answers ENOSPC having written at
 * most buf[0]. */
static int emit(char *buf, size_t cap, const char *text, size_t len)
{
    if (cap <= len) {
        if (cap > 0)
            buf[0] = '\0';
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    return (int)len;
}

/* An abstract name: '@', printable ASCII as is, the rest and '\' as \xNN. */
static size_t put_abstract(char *p, const sockport_addr *a)
{
    char *start = p;

    *p++ = '@';
    for (size_t i = 0; i < a->len_; i++) {
        unsigned c = (unsigned char)a->u_.path[i];
        if (c >= 0x20 && c <= 0x7e && c != '\\') {
            *p++ = (char)c;
            continue;
        }
        *p++ = '\\';
        *p++ = 'x';
        *p++ = hexdigits[c >> 4];
        *p++ = hexdigits[c & 15];
    }
    return (size_t)(p - start);
}

static int format_unix(const sockport_addr *a, char *buf, size_t cap)
{
    char text[SOCKPORT_ADDRSTRLEN];

    if (a->len_ > SOCKPORT_UNIX_PATH_MAX || a->abstract_ > 1)
        return SOCKPORT__EINVAL();
    if (a->abstract_)
        return emit(buf, cap, text, put_abstract(text, a));
    if (memchr(a->u_.path, '\0', a->len_) != NULL)
        return SOCKPORT__EINVAL();
    return emit(buf, cap, a->u_.path, a->len_);
}

static int format_inet(const sockport_addr *a, char *buf, size_t cap)
{
    char text[IPTEXT_MAX];
    char *p = put_v4(text, a->u_.ip);

    *p++ = ':';
    p = put_dec(p, a->port_);
    return emit(buf, cap, text, (size_t)(p - text));
}

static int format_inet6(const sockport_addr *a, char *buf, size_t cap)
{
    char text[IPTEXT_MAX];
    char *p = text;

    *p++ = '[';
    p = put_v6_zone(p, a);
    *p++ = ']';
    *p++ = ':';
    p = put_dec(p, a->port_);
    return emit(buf, cap, text, (size_t)(p - text));
}

SOCKPORT_API int sockport_addr_format(const sockport_addr *a, char *buf, size_t cap)
{
    if (a == NULL || buf == NULL)
        return SOCKPORT__EINVAL();
    switch (a->family_) {
    case SOCKPORT_AF_UNSPEC:
        return emit(buf, cap, "", 0);
    case SOCKPORT_AF_INET:
        return format_inet(a, buf, cap);
    case SOCKPORT_AF_INET6:
        return format_inet6(a, buf, cap);
    case SOCKPORT_AF_UNIX:
        return format_unix(a, buf, cap);
    default:
        return SOCKPORT__EINVAL();
    }
}

SOCKPORT_API int sockport_addr_format_ip(const sockport_addr *a, char *buf, size_t cap)
{
    char text[IPTEXT_MAX];
    char *p;

    if (a == NULL || buf == NULL)
        return SOCKPORT__EINVAL();
    if (a->family_ == SOCKPORT_AF_INET)
        p = put_v4(text, a->u_.ip);
    else if (a->family_ == SOCKPORT_AF_INET6)
        p = put_v6_zone(text, a);
    else
        return SOCKPORT__EINVAL();
    return emit(buf, cap, text, (size_t)(p - text));
}
