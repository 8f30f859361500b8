/*
 * Options with shapes of their own: SO_LINGER (a LINGER of two u_shorts),
 * multicast membership, IP_MULTICAST_IF, the original destination, the raw
 * escape hatch, and what Windows lacks (string options, SO_COOKIE, BPF).
 *
 * Multicast, IPv4: IP_ADD/DROP_MEMBERSHIP with an ip_mreq, and
 * IP_ADD/DROP_SOURCE_MEMBERSHIP with an ip_mreq_source. The interface is the
 * caller's address, or an index written as the address 0.0.0.idx (in network
 * order): Windows' documented "index as address" form, as socket2 uses. An
 * index that does not fit in the low 24 bits cannot be told from an address:
 * those joins use MCAST_JOIN_GROUP / MCAST_JOIN_SOURCE_GROUP, which take the
 * index as it is. IPv6: IPV6_ADD/DROP_MEMBERSHIP with an ipv6_mreq, and
 * MCAST_JOIN/LEAVE_SOURCE_GROUP with a group_source_req.
 *
 * The original destination (WFP redirect) is SO_ORIGINAL_DST (IPv6:
 * IP6T_SO_ORIGINAL_DST) at SOL_IP where the SDK defines them (the Windows 10
 * SDK's ws2def.h does; MinGW-w64's headers do not, and such a build answers
 * SOCKPORT_ENOTSUP).
 */
#include "winsock.h"

#include <string.h>

#define INDEX_AS_ADDR_MAX 0x00ffffffu /* 0.0.0.idx needs a zero first octet */

static SOCKET sock_of(sockport_socket *s)
{
    return sockport__winsock_socket(s);
}

static int set_bytes(sockport_socket *s, int level, int name, const void *v, int len)
{
    if (sys_setsockopt(sock_of(s), level, name, (const char *)v, len) == SOCKET_ERROR)
        return sockport__winsock_opt_fail(sys_wsagetlasterror());
    return 0;
}

/* ---- linger ----------------------------------------------------------------- */

/* SO_LINGER's failures are WinSock's own: a datagram socket's
 * WSAENOPROTOOPT is SOCKPORT_ENOPROTOOPT (the core does not check the type). */
int sockport__winsock_set_linger(sockport_socket *s, bool on, int seconds)
{
    LINGER l = {(u_short)(on ? 1 : 0), (u_short)seconds}; /* the core checked 0-65535 */
    if (sys_setsockopt(sock_of(s), SOL_SOCKET, SO_LINGER, (const char *)&l, (int)sizeof l) ==
        SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

int sockport__winsock_get_linger(sockport_socket *s, bool *on, int *seconds)
{
    LINGER l = {0, 0};
    int len = (int)sizeof l;
    if (sys_getsockopt(sock_of(s), SOL_SOCKET, SO_LINGER, (char *)&l, &len) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    if (len != (int)sizeof l)
        return sockport__fail(SOCKPORT_EPROTO, 0);
    *on = l.l_onoff != 0;
    *seconds = l.l_linger;
    return 0;
}

/* ---- multicast --------------------------------------------------------------- */

static IN_ADDR in_addr_of(const sockport_addr *a)
{
    IN_ADDR v;
    memcpy(&v, a->u_.ip, sizeof v);
    return v;
}

/* The interface of an IPv4 membership: the address, or 0.0.0.idx. */
static IN_ADDR v4_iface(const sockport_addr *iface, uint32_t ifindex)
{
    IN_ADDR v;
    if (iface != NULL)
        return in_addr_of(iface);
    v.s_addr = htonl(ifindex);
    return v;
}

static int is_join(int op)
{
    return op == SOCKPORT_MCAST_JOIN || op == SOCKPORT_MCAST_JOIN_SOURCE;
}

static int is_source(int op)
{
    return op == SOCKPORT_MCAST_JOIN_SOURCE || op == SOCKPORT_MCAST_LEAVE_SOURCE;
}

/* MCAST_(JOIN|LEAVE)_(SOURCE_)GROUP: any index, either family. */
static int group_req_op(sockport_socket *s, int level, int op, const sockport_addr *group,
                        const sockport_addr *source, uint32_t ifindex)
{
    GROUP_SOURCE_REQ r;
    int len = 0, rc;
    memset(&r, 0, sizeof r);
    r.gsr_interface = ifindex;
    if ((rc = sockport__winsock_to_native(group, &r.gsr_group, &len)) < 0)
        return rc;
    if (!is_source(op)) { /* a GROUP_REQ is the same up to gr_group */
        int name = is_join(op) ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP;
        return set_bytes(s, level, name, &r, (int)sizeof(GROUP_REQ));
    }
    if ((rc = sockport__winsock_to_native(source, &r.gsr_source, &len)) < 0)
        return rc;
    int name = is_join(op) ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP;
    return set_bytes(s, level, name, &r, (int)sizeof r);
}

static int multicast_v4(sockport_socket *s, int op, const sockport_addr *group,
                        const sockport_addr *source, const sockport_addr *iface, uint32_t ifindex)
{
    if (iface == NULL && ifindex > INDEX_AS_ADDR_MAX)
        return group_req_op(s, IPPROTO_IP, op, group, source, ifindex);
    if (is_source(op)) {
        IP_MREQ_SOURCE m;
        m.imr_multiaddr = in_addr_of(group);
        m.imr_sourceaddr = in_addr_of(source);
        m.imr_interface = v4_iface(iface, ifindex);
        int name = is_join(op) ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP;
        return set_bytes(s, IPPROTO_IP, name, &m, (int)sizeof m);
    }
    IP_MREQ m;
    m.imr_multiaddr = in_addr_of(group);
    m.imr_interface = v4_iface(iface, ifindex);
    int name = is_join(op) ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP;
    return set_bytes(s, IPPROTO_IP, name, &m, (int)sizeof m);
}

int sockport__winsock_multicast(sockport_socket *s, int op, const sockport_addr *group,
                                const sockport_addr *source, const sockport_addr *iface,
                                uint32_t ifindex)
{
    if (s->family == SOCKPORT_AF_INET)
        return multicast_v4(s, op, group, source, iface, ifindex);
    if (is_source(op))
        return group_req_op(s, IPPROTO_IPV6, op, group, source, ifindex);
    IPV6_MREQ m;
    memcpy(&m.ipv6mr_multiaddr, group->u_.ip, sizeof m.ipv6mr_multiaddr);
    m.ipv6mr_interface = ifindex;
    int name = is_join(op) ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP;
    return set_bytes(s, IPPROTO_IPV6, name, &m, (int)sizeof m);
}

/* ---- address-valued options ---------------------------------------------------- */

#if defined(SO_ORIGINAL_DST) && defined(SOL_IP)
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST SO_ORIGINAL_DST
#endif
/* SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST, both at SOL_IP (as socket2). */
static int original_dst(sockport_socket *s, sockport_addr *out)
{
    SOCKADDR_STORAGE ss;
    int len = (int)sizeof ss;
    int name = s->family == SOCKPORT_AF_INET6 ? IP6T_SO_ORIGINAL_DST : SO_ORIGINAL_DST;
    sockport_addr tmp;
    memset(&ss, 0, sizeof ss);
    if (sys_getsockopt(sock_of(s), SOL_IP, name, (char *)&ss, &len) == SOCKET_ERROR)
        return sockport__winsock_opt_fail(sys_wsagetlasterror());
    int rc = sockport__winsock_from_native(&tmp, &ss, (size_t)len);
    if (rc == 0)
        *out = tmp;
    return rc;
}
#else
static int original_dst(sockport_socket *s, sockport_addr *out)
{
    (void)s, (void)out;
    return sockport__fail(SOCKPORT_ENOTSUP, 0); /* this SDK has no SO_ORIGINAL_DST */
}
#endif

int sockport__winsock_get_addr_opt(sockport_socket *s, int which, sockport_addr *out)
{
    if (which == SOCKPORT_ADDROPT_ORIGINAL_DST)
        return original_dst(s, out);
    IN_ADDR v = {0};
    int len = (int)sizeof v;
    if (sys_getsockopt(sock_of(s), IPPROTO_IP, IP_MULTICAST_IF, (char *)&v, &len) == SOCKET_ERROR)
        return sockport__winsock_opt_fail(sys_wsagetlasterror());
    uint8_t b[4];
    memcpy(b, &v, sizeof b);
    return sockport_addr_ipv4(out, b, 0);
}

int sockport__winsock_set_addr_opt(sockport_socket *s, int which, const sockport_addr *a)
{
    if (which != SOCKPORT_ADDROPT_MULTICAST_IF_V4) /* the original destination is read-only */
        return SOCKPORT__EINVAL();
    IN_ADDR v = in_addr_of(a);
    return set_bytes(s, IPPROTO_IP, IP_MULTICAST_IF, &v, (int)sizeof v);
}

/* ---- raw options -------------------------------------------------------------- */

int sockport__winsock_setsockopt_raw(sockport_socket *s, int level, int name, const void *value,
                                     size_t len)
{
    if (sys_setsockopt(sock_of(s), level, name, (const char *)value, (int)len) == SOCKET_ERROR)
        return sockport__winsock_fail_last(); /* raw: WinSock's answer as it is */
    return 0;
}

int sockport__winsock_getsockopt_raw(sockport_socket *s, int level, int name, void *value,
                                     size_t *len)
{
    int n = (int)*len; /* <= 65536, checked by the core */
    if (sys_getsockopt(sock_of(s), level, name, (char *)value, &n) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    *len = n < 0 ? 0 : (size_t)n;
    return 0;
}

/* ---- what Windows lacks ---------------------------------------------------------- */

int sockport__winsock_set_str(sockport_socket *s, int opt, const char *value)
{
    (void)s, (void)opt, (void)value; /* SO_BINDTODEVICE, TCP_CONGESTION: Linux, FreeBSD */
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}

int sockport__winsock_get_str(sockport_socket *s, int opt, char *buf, size_t cap)
{
    (void)s, (void)opt, (void)buf, (void)cap;
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}

int sockport__winsock_get_cookie(sockport_socket *s, uint64_t *out)
{
    (void)s, (void)out; /* SO_COOKIE: Linux */
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}

int sockport__winsock_attach_filter(sockport_socket *s, const sockport_sock_filter *prog,
                                    size_t count)
{
    (void)s, (void)prog, (void)count; /* classic BPF: Linux */
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}
