/*
 * Control messages: sockport's portable layout (sockport_cmsg headers, data
 * 8-byte aligned) to and from WinSock's WSACMSGHDR (SIZE_T length, level,
 * type; data after the header aligned to 8 on x64, as WSA_CMSG_DATA says).
 * Written and read with memcpy, so neither buffer needs any alignment.
 *
 *   portable              native
 *   PKTINFO, IPv4 socket  IPPROTO_IP   IP_PKTINFO     IN_PKTINFO   send, receive
 *   PKTINFO, IPv6 socket  IPPROTO_IPV6 IPV6_PKTINFO   IN6_PKTINFO  send, receive
 *   TOS                   IPPROTO_IP   IP_TOS         INT (or 1 byte) receive
 *   TTL                   IPPROTO_IP   IP_TTL         INT          receive
 *   TCLASS                IPPROTO_IPV6 IPV6_TCLASS    INT          receive
 *   HOPLIMIT              IPPROTO_IPV6 IPV6_HOPLIMIT  INT          receive
 *
 * On send, WSASendMsg documents PKTINFO only (TOS, TTL, TCLASS, HOPLIMIT
 * are dropped without an error, measurably under Wine 8): those, RIGHTS
 * (Windows' AF_UNIX passes no handles) and UDP_SEGMENT are SOCKPORT_ENOTSUP,
 * so that a per-message value is refused rather than silently lost; UDP_GRO
 * (receive-only) is SOCKPORT_EINVAL, as everywhere. On receive, native
 * messages of other kinds are dropped.
 */
#include "winsock.h"

#include <string.h>

#define HDR        sizeof(WSACMSGHDR)
#define NATIVE_PAD ((size_t)MAX_NATURAL_ALIGNMENT)

static size_t align_native(size_t n)
{
    return (n + NATIVE_PAD - 1) & ~(NATIVE_PAD - 1);
}

/* ---- portable → native ------------------------------------------------------- */

typedef struct out_buf {
    unsigned char *p;
    size_t room, used;
} out_buf;

static int put_native(out_buf *o, int level, int type, const void *data, size_t len)
{
    size_t space = align_native(HDR) + align_native(len);
    if (space > o->room - o->used)
        return sockport__fail(SOCKPORT_ENOBUFS, 0);
    WSACMSGHDR h = {align_native(HDR) + len, level, type};
    unsigned char *at = o->p + o->used;
    memset(at, 0, space);
    memcpy(at, &h, sizeof h);
    memcpy(at + align_native(HDR), data, len);
    o->used += space;
    return 0;
}

static int put_pktinfo(sockport_socket *s, out_buf *o, const void *data, size_t len)
{
    sockport_pktinfo pi;
    if (len != sizeof pi)
        return SOCKPORT__EINVAL();
    memcpy(&pi, data, sizeof pi);
    if (pi.addr.family_ != s->family)
        return SOCKPORT__EINVAL();
    if (s->family == SOCKPORT_AF_INET) {
        IN_PKTINFO v;
        memcpy(&v.ipi_addr, pi.addr.u_.ip, sizeof v.ipi_addr);
        v.ipi_ifindex = pi.ifindex;
        return put_native(o, IPPROTO_IP, IP_PKTINFO, &v, sizeof v);
    }
    IN6_PKTINFO v6;
    memcpy(&v6.ipi6_addr, pi.addr.u_.ip, sizeof v6.ipi6_addr);
    v6.ipi6_ifindex = pi.ifindex;
    return put_native(o, IPPROTO_IPV6, IPV6_PKTINFO, &v6, sizeof v6);
}

/* A payload of the size its type has (checked before any other answer). */
static int well_sized(int type, size_t len)
{
    switch (type) {
    case SOCKPORT_CMSG_PKTINFO:
        return len == sizeof(sockport_pktinfo);
    case SOCKPORT_CMSG_UDP_SEGMENT:
        return len == sizeof(uint16_t);
    case SOCKPORT_CMSG_RIGHTS:
        return len != 0 && len % sizeof(sockport_native) == 0;
    default: /* the int kinds */
        return len == sizeof(int);
    }
}

static int put_one(sockport_socket *s, out_buf *o, int type, const void *data, size_t len)
{
    if (type < SOCKPORT_CMSG_PKTINFO || type > SOCKPORT_CMSG_UDP_SEGMENT || !well_sized(type, len))
        return SOCKPORT__EINVAL(); /* unknown, receive-only, or malformed */
    if (type == SOCKPORT_CMSG_PKTINFO)
        return put_pktinfo(s, o, data, len);
    /* TOS, TTL, TCLASS, HOPLIMIT: WSASendMsg drops them (Wine 8 measurably);
     * RIGHTS: Windows' AF_UNIX passes no handles; UDP_SEGMENT: Linux GSO. */
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}

int sockport__winsock_cmsg_out(sockport_socket *s, const void *control, size_t len, void *native,
                               size_t room, size_t *used)
{
    out_buf o = {(unsigned char *)native, room, 0};
    size_t off = 0, dlen = 0;
    const void *data = NULL;
    int type = 0, rc;
    while ((rc = sockport_cmsg_next(control, len, &off, &type, &data, &dlen)) == 1) {
        if ((rc = put_one(s, &o, type, data, dlen)) < 0)
            return rc;
    }
    if (rc < 0)
        return rc;
    *used = o.used;
    return 0;
}

/* ---- native → portable -------------------------------------------------------- */

typedef struct in_buf {
    unsigned char *p;
    size_t room, used;
    int truncated;
} in_buf;

static void put_portable(in_buf *o, int type, const void *data, size_t len)
{
    size_t space = SOCKPORT_CMSG_SPACE(len);
    if (o->truncated || space > o->room - o->used) {
        o->truncated = 1;
        return;
    }
    sockport_cmsg h = {(uint32_t)type, (uint32_t)len};
    unsigned char *at = o->p + o->used;
    memset(at, 0, space);
    memcpy(at, &h, sizeof h);
    memcpy(at + sizeof h, data, len);
    o->used += space;
}

/* An INT the way Windows wrote it: 4 bytes, or 1 (as Linux writes IP_TOS). */
static int get_int(const unsigned char *d, size_t len, int *out)
{
    INT v;
    if (len >= sizeof v) {
        memcpy(&v, d, sizeof v);
        *out = v;
        return 1;
    }
    if (len == 1) {
        *out = d[0];
        return 1;
    }
    return 0;
}

static void get_pktinfo(in_buf *o, int v6, const unsigned char *d, size_t len)
{
    sockport_pktinfo pi;
    memset(&pi, 0, sizeof pi);
    if (!v6 && len >= sizeof(IN_PKTINFO)) {
        IN_PKTINFO v;
        memcpy(&v, d, sizeof v);
        sockport_addr_ipv4(&pi.addr, (const uint8_t *)&v.ipi_addr, 0);
        pi.ifindex = v.ipi_ifindex;
    } else if (v6 && len >= sizeof(IN6_PKTINFO)) {
        IN6_PKTINFO v;
        memcpy(&v, d, sizeof v);
        sockport_addr_ipv6(&pi.addr, (const uint8_t *)&v.ipi6_addr, 0, 0, 0);
        pi.ifindex = v.ipi6_ifindex;
    } else {
        return; /* too short: not what WinSock writes */
    }
    put_portable(o, SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi);
}

/* The portable type of a native INT message, 0 for one not translated. */
static int int_type(int level, int type)
{
    if (level == IPPROTO_IP)
        return type == IP_TOS ? SOCKPORT_CMSG_TOS : type == IP_TTL ? SOCKPORT_CMSG_TTL : 0;
    if (level == IPPROTO_IPV6)
        return type == IPV6_TCLASS     ? SOCKPORT_CMSG_TCLASS
               : type == IPV6_HOPLIMIT ? SOCKPORT_CMSG_HOPLIMIT
                                       : 0;
    return 0;
}

static void get_one(in_buf *o, const WSACMSGHDR *h, const unsigned char *d, size_t len)
{
    int v = 0, t;
    if (h->cmsg_level == IPPROTO_IP && h->cmsg_type == IP_PKTINFO)
        get_pktinfo(o, 0, d, len);
    else if (h->cmsg_level == IPPROTO_IPV6 && h->cmsg_type == IPV6_PKTINFO)
        get_pktinfo(o, 1, d, len);
    else if ((t = int_type(h->cmsg_level, h->cmsg_type)) != 0 && get_int(d, len, &v))
        put_portable(o, t, &v, sizeof v);
}

size_t sockport__winsock_cmsg_in(const void *native, size_t len, void *control, size_t room,
                                 int *truncated)
{
    const unsigned char *p = (const unsigned char *)native;
    in_buf o = {(unsigned char *)control, control != NULL ? room : 0, 0, 0};
    size_t off = 0;
    while (len - off >= HDR) {
        WSACMSGHDR h;
        memcpy(&h, p + off, sizeof h);
        if (h.cmsg_len < align_native(HDR) || h.cmsg_len > len - off)
            break; /* malformed: stop where the data stops making sense */
        get_one(&o, &h, p + off + align_native(HDR), h.cmsg_len - align_native(HDR));
        if (align_native(h.cmsg_len) >= len - off)
            break;
        off += align_native(h.cmsg_len);
    }
    *truncated = o.truncated;
    return o.used;
}
