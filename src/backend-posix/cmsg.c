/*
 * Control messages: sockport's portable layout (sockport_cmsg headers,
 * 8-byte aligned payloads) ↔ the kernel's struct cmsghdr.
 *
 * Send: each portable message becomes one native message in the caller's
 * scratch buffer (SOCKPORT_ENOBUFS when it is full); a payload of the wrong
 * size, an unknown type or a receive-only type is SOCKPORT_EINVAL.
 *
 * Receive: each native message sockport knows becomes one portable message in
 * the caller's buffer; others are dropped. When the buffer is full,
 * SOCKPORT_MSG_CTRUNC is reported, and descriptors that did not fit are
 * closed (as the kernel closes those that do not fit its buffer), so a short
 * buffer never leaks them.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>

#ifdef __linux__
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#endif

static size_t align8(size_t n)
{
    return (n + 7u) & ~(size_t)7u;
}

/* ---- portable → native (send) ------------------------------------------- */

/* Appends a native message of len data bytes; returns its data area. */
static unsigned char *put_native(unsigned char *ctl, size_t cap, size_t *used, int level, int type,
                                 size_t len)
{
    size_t space = CMSG_SPACE(len);
    if (space > cap - *used)
        return NULL;
    struct cmsghdr *c = (struct cmsghdr *)(void *)(ctl + *used);
    memset(c, 0, space);
    c->cmsg_len = (sockport__ctllen_t)CMSG_LEN(len);
    c->cmsg_level = level;
    c->cmsg_type = type;
    *used += space;
    return CMSG_DATA(c);
}

static int put_bytes(unsigned char *ctl, size_t cap, size_t *used, int level, int type,
                     const void *data, size_t len)
{
    unsigned char *d = put_native(ctl, cap, used, level, type, len);
    if (d == NULL)
        return sockport__fail(SOCKPORT_ENOBUFS, 0);
    memcpy(d, data, len);
    return 0;
}

static int out_int(unsigned char *ctl, size_t cap, size_t *used, int level, int type,
                   const void *data, size_t len)
{
    if (len != sizeof(int))
        return SOCKPORT__EINVAL();
    return put_bytes(ctl, cap, used, level, type, data, len);
}

static int out_pktinfo4(unsigned char *ctl, size_t cap, size_t *used, const sockport_pktinfo *pi)
{
#if defined(IP_PKTINFO)
    struct in_pktinfo n;
    if (pi->ifindex > INT_MAX)
        return SOCKPORT__EINVAL();
    memset(&n, 0, sizeof n);
    n.ipi_ifindex = (int)pi->ifindex;
    memcpy(&n.ipi_spec_dst, pi->addr.u_.ip, 4); /* the source to use */
    return put_bytes(ctl, cap, used, IPPROTO_IP, IP_PKTINFO, &n, sizeof n);
#elif defined(IP_SENDSRCADDR)
    struct in_addr a; /* BSD: a source address, no interface */
    if (pi->ifindex != 0)
        return sockport__fail(SOCKPORT_ENOTSUP, 0);
    memcpy(&a, pi->addr.u_.ip, 4);
    return put_bytes(ctl, cap, used, IPPROTO_IP, IP_SENDSRCADDR, &a, sizeof a);
#else
    (void)ctl, (void)cap, (void)used, (void)pi;
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
#endif
}

static int out_pktinfo(unsigned char *ctl, size_t cap, size_t *used, const void *data, size_t len)
{
    sockport_pktinfo pi;
    if (len != sizeof pi)
        return SOCKPORT__EINVAL();
    memcpy(&pi, data, sizeof pi);
    if (pi.addr.family_ == SOCKPORT_AF_INET)
        return out_pktinfo4(ctl, cap, used, &pi);
    if (pi.addr.family_ != SOCKPORT_AF_INET6)
        return SOCKPORT__EINVAL();
    struct in6_pktinfo n;
    memset(&n, 0, sizeof n);
    memcpy(&n.ipi6_addr, pi.addr.u_.ip, 16);
    n.ipi6_ifindex = pi.ifindex;
    return put_bytes(ctl, cap, used, IPPROTO_IPV6, IPV6_PKTINFO, &n, sizeof n);
}

/* sockport_native[] → int[] under SCM_RIGHTS. */
static int out_rights(unsigned char *ctl, size_t cap, size_t *used, const void *data, size_t len)
{
    size_t n = len / sizeof(sockport_native); /* len <= 65536: the core's limit */
    if (len == 0 || len % sizeof(sockport_native) != 0)
        return SOCKPORT__EINVAL();
    unsigned char *d = put_native(ctl, cap, used, SOL_SOCKET, SCM_RIGHTS, n * sizeof(int));
    if (d == NULL)
        return sockport__fail(SOCKPORT_ENOBUFS, 0);
    for (size_t i = 0; i < n; i++) {
        sockport_native h;
        memcpy(&h, (const unsigned char *)data + i * sizeof h, sizeof h);
        if (h < 0 || h > INT_MAX)
            return SOCKPORT__EINVAL(); /* no descriptor has that number */
        int fd = (int)h;
        memcpy(d + i * sizeof fd, &fd, sizeof fd);
    }
    return 0;
}

static int out_segment(unsigned char *ctl, size_t cap, size_t *used, const void *data, size_t len)
{
    if (len != sizeof(uint16_t))
        return SOCKPORT__EINVAL();
#ifdef UDP_SEGMENT
    return put_bytes(ctl, cap, used, IPPROTO_UDP, UDP_SEGMENT, data, len);
#else
    (void)ctl, (void)cap, (void)used, (void)data;
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
#endif
}

static int out_one(unsigned char *ctl, size_t cap, size_t *used, int type, const void *data,
                   size_t len)
{
    switch (type) {
    case SOCKPORT_CMSG_PKTINFO:
        return out_pktinfo(ctl, cap, used, data, len);
    case SOCKPORT_CMSG_TOS:
        return out_int(ctl, cap, used, IPPROTO_IP, IP_TOS, data, len);
    case SOCKPORT_CMSG_TTL:
        return out_int(ctl, cap, used, IPPROTO_IP, IP_TTL, data, len);
    case SOCKPORT_CMSG_TCLASS:
        return out_int(ctl, cap, used, IPPROTO_IPV6, IPV6_TCLASS, data, len);
    case SOCKPORT_CMSG_HOPLIMIT:
        return out_int(ctl, cap, used, IPPROTO_IPV6, IPV6_HOPLIMIT, data, len);
    case SOCKPORT_CMSG_RIGHTS:
        return out_rights(ctl, cap, used, data, len);
    case SOCKPORT_CMSG_UDP_SEGMENT:
        return out_segment(ctl, cap, used, data, len);
    default: /* SOCKPORT_CMSG_UDP_GRO is receive-only */
        return SOCKPORT__EINVAL();
    }
}

int sockport__posix_cmsg_out(const sockport_msghdr *m, unsigned char *ctl, size_t cap, size_t *used)
{
    size_t off = 0, len = 0;
    int type = 0, rc = 0;
    const void *data = NULL;
    *used = 0;
    if (m->control == NULL)
        return 0;
    while ((rc = sockport_cmsg_next(m->control, m->controllen, &off, &type, &data, &len)) == 1) {
        rc = out_one(ctl, cap, used, type, data, len);
        if (rc < 0)
            return rc;
    }
    return rc; /* 0 at the end, SOCKPORT_EINVAL for a corrupt buffer */
}

/* ---- native → portable (receive) ----------------------------------------- */

/* The caller's portable buffer being filled. */
typedef struct pbuf {
    unsigned char *buf;
    size_t cap, used;
    int trunc; /* something did not fit: nothing more is written */
} pbuf;

/* Room for a payload of len bytes (after its header), or 0 (truncated). */
static unsigned char *put_portable(pbuf *w, int type, size_t len)
{
    size_t need = sizeof(sockport_cmsg) + align8(len);
    if (w->trunc || need > w->cap - w->used) {
        w->trunc = 1;
        return NULL;
    }
    sockport_cmsg h = {(uint32_t)type, (uint32_t)len};
    unsigned char *p = w->buf + w->used;
    memcpy(p, &h, sizeof h);
    memset(p + sizeof h, 0, align8(len));
    w->used += need;
    return p + sizeof h;
}

static void in_bytes(pbuf *w, int type, const void *data, size_t len)
{
    unsigned char *d = put_portable(w, type, len);
    if (d != NULL)
        memcpy(d, data, len);
}

/* An int, a byte (TOS and TTL on some systems) or nothing, as an int. */
static void in_int(pbuf *w, int type, const unsigned char *d, size_t dlen)
{
    int v = 0;
    if (dlen >= sizeof v)
        memcpy(&v, d, sizeof v);
    else if (dlen >= 1)
        v = d[0];
    else
        return;
    in_bytes(w, type, &v, sizeof v);
}

static void in_pktinfo(pbuf *w, int family, const unsigned char *ip, uint32_t ifindex)
{
    sockport_pktinfo pi;
    memset(&pi, 0, sizeof pi);
    if (family == SOCKPORT_AF_INET) {
        sockport_addr_ipv4(&pi.addr, ip, 0);
    } else {
        int link_local = ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80;
        sockport_addr_ipv6(&pi.addr, ip, 0, 0, link_local ? ifindex : 0);
    }
    pi.ifindex = ifindex;
    in_bytes(w, SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi);
}

/* Descriptors: as many as fit, the rest closed. */
static void in_rights(pbuf *w, const unsigned char *d, size_t dlen)
{
    size_t n = dlen / sizeof(int), k = 0;
    if (!w->trunc && w->cap - w->used > sizeof(sockport_cmsg))
        k = ((w->cap - w->used - sizeof(sockport_cmsg)) & ~(size_t)7u) / sizeof(sockport_native);
    k = k < n ? k : n;
    unsigned char *p =
        k > 0 ? put_portable(w, SOCKPORT_CMSG_RIGHTS, k * sizeof(sockport_native)) : NULL;
    for (size_t i = 0; i < n; i++) {
        int fd;
        memcpy(&fd, d + i * sizeof fd, sizeof fd);
        sockport_native h = fd;
        if (i < k && p != NULL)
            memcpy(p + i * sizeof h, &h, sizeof h);
        else
            sys_close(fd);
    }
    if (k < n)
        w->trunc = 1;
}

static void in_ip(pbuf *w, int type, const unsigned char *d, size_t dlen)
{
    switch (type) {
#ifdef IP_PKTINFO
    case IP_PKTINFO: {
        struct in_pktinfo n;
        if (dlen < sizeof n)
            return;
        memcpy(&n, d, sizeof n);
        in_pktinfo(w, SOCKPORT_AF_INET, (const unsigned char *)&n.ipi_addr,
                   (uint32_t)n.ipi_ifindex);
        return;
    }
#endif
#if defined(IP_RECVDSTADDR) && !defined(IP_PKTINFO)
    case IP_RECVDSTADDR:
        if (dlen >= 4)
            in_pktinfo(w, SOCKPORT_AF_INET, d, 0);
        return;
#endif
    case IP_TOS:
#if defined(IP_RECVTOS) && IP_RECVTOS != IP_TOS
    case IP_RECVTOS: /* BSD names the message after the option */
#endif
        in_int(w, SOCKPORT_CMSG_TOS, d, dlen);
        return;
    case IP_TTL:
#if defined(IP_RECVTTL) && IP_RECVTTL != IP_TTL
    case IP_RECVTTL:
#endif
        in_int(w, SOCKPORT_CMSG_TTL, d, dlen);
        return;
    default:
        return;
    }
}

static void in_ipv6(pbuf *w, int type, const unsigned char *d, size_t dlen)
{
    switch (type) {
    case IPV6_PKTINFO: {
        struct in6_pktinfo n;
        if (dlen < sizeof n)
            return;
        memcpy(&n, d, sizeof n);
        in_pktinfo(w, SOCKPORT_AF_INET6, (const unsigned char *)&n.ipi6_addr, n.ipi6_ifindex);
        return;
    }
    case IPV6_TCLASS:
        in_int(w, SOCKPORT_CMSG_TCLASS, d, dlen);
        return;
    case IPV6_HOPLIMIT:
        in_int(w, SOCKPORT_CMSG_HOPLIMIT, d, dlen);
        return;
    default:
        return;
    }
}

static void in_one(pbuf *w, struct cmsghdr *c)
{
    if ((size_t)c->cmsg_len < CMSG_LEN(0))
        return;
    const unsigned char *d = CMSG_DATA(c);
    size_t dlen = (size_t)c->cmsg_len - CMSG_LEN(0);
    if (c->cmsg_level == IPPROTO_IP)
        in_ip(w, c->cmsg_type, d, dlen);
    else if (c->cmsg_level == IPPROTO_IPV6)
        in_ipv6(w, c->cmsg_type, d, dlen);
    else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
        in_rights(w, d, dlen);
#ifdef UDP_GRO
    else if (c->cmsg_level == IPPROTO_UDP && c->cmsg_type == UDP_GRO)
        in_int(w, SOCKPORT_CMSG_UDP_GRO, d, dlen);
#endif
}

size_t sockport__posix_cmsg_in(const sockport_msghdr *m, struct msghdr *native, int *flags)
{
    pbuf w = {(unsigned char *)m->control, m->control != NULL ? m->controllen : 0, 0, 0};
    for (struct cmsghdr *c = CMSG_FIRSTHDR(native); c != NULL; c = CMSG_NXTHDR(native, c))
        in_one(&w, c);
    if (w.trunc)
        *flags |= SOCKPORT_MSG_CTRUNC;
    return w.used;
}
