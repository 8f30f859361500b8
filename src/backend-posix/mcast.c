/*
 * Multicast membership and the address-valued options.
 *
 * IPv4 any-source: struct ip_mreqn where it exists (Linux, FreeBSD: the
 * interface by address or index), else struct ip_mreq (by address), or the
 * RFC 3678 group_req when an index is asked for. IPv4 source-specific: struct
 * ip_mreq_source (by address), or group_source_req for an index. IPv6:
 * struct ipv6_mreq (IPV6_JOIN_GROUP, whose Linux alias is
 * IPV6_ADD_MEMBERSHIP), with the group's zone as the interface when no index
 * is given; source-specific: group_source_req. Group and source ports are
 * ignored (sent as 0).
 *
 * IP_MULTICAST_IF is an in_addr both ways. The original destination of a
 * redirected connection is SO_ORIGINAL_DST (IPv4) or IP6T_SO_ORIGINAL_DST
 * (IPv6), Linux's netfilter; elsewhere SOCKPORT_ENOTSUP.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <string.h>

#if defined(__linux__) || defined(__FreeBSD__)
#define HAVE_IP_MREQN 1
#endif

#ifdef __linux__
#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80 /* <linux/netfilter_ipv4.h> */
#endif
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST 80 /* <linux/netfilter_ipv6/ip6_tables.h> */
#endif
#endif

#ifndef IPV6_JOIN_GROUP
#define IPV6_JOIN_GROUP  IPV6_ADD_MEMBERSHIP
#define IPV6_LEAVE_GROUP IPV6_DROP_MEMBERSHIP
#endif

static int set_opt(int fd, int level, int name, const void *v, socklen_t len)
{
    if (sys_setsockopt(fd, level, name, v, len) < 0)
        return sockport__posix_opt_fail(errno);
    return 0;
}

static int joining(int op)
{
    return op == SOCKPORT_MCAST_JOIN || op == SOCKPORT_MCAST_JOIN_SOURCE;
}

/* A native sockaddr of a, port 0. */
static void native_ip(const sockport_addr *a, struct sockaddr_storage *ss)
{
    sockport_addr tmp = *a;
    socklen_t len = 0;
    tmp.port_ = 0;
    memset(ss, 0, sizeof *ss);
    (void)sockport__posix_to_native(&tmp, ss, &len); /* an IP address: cannot fail */
}

/* ---- RFC 3678: any family, interface by index ------------------------------- */

static int group_req_op(int fd, int level, int op, const sockport_addr *group,
                        const sockport_addr *source, uint32_t ifindex)
{
    if (source == NULL) {
        struct group_req r;
        memset(&r, 0, sizeof r);
        r.gr_interface = ifindex;
        native_ip(group, &r.gr_group);
        return set_opt(fd, level, joining(op) ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP, &r, sizeof r);
    }
    struct group_source_req r;
    memset(&r, 0, sizeof r);
    r.gsr_interface = ifindex;
    native_ip(group, &r.gsr_group);
    native_ip(source, &r.gsr_source);
    return set_opt(fd, level, joining(op) ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP, &r,
                   sizeof r);
}

/* ---- IPv4 ----------------------------------------------------------------- */

static void in_addr_of(const sockport_addr *a, struct in_addr *out)
{
    memset(out, 0, sizeof *out); /* NULL: INADDR_ANY */
    if (a != NULL)
        memcpy(out, a->u_.ip, 4);
}

static int v4_any_source(int fd, int op, const sockport_addr *group, const sockport_addr *iface,
                         uint32_t ifindex)
{
    int name = joining(op) ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP;
#ifdef HAVE_IP_MREQN
    struct ip_mreqn m;
    if (ifindex > INT_MAX)
        return SOCKPORT__EINVAL();
    memset(&m, 0, sizeof m);
    in_addr_of(group, &m.imr_multiaddr);
    in_addr_of(iface, &m.imr_address);
    m.imr_ifindex = (int)ifindex;
    return set_opt(fd, IPPROTO_IP, name, &m, sizeof m);
#else
    if (ifindex != 0)
        return group_req_op(fd, IPPROTO_IP, op, group, NULL, ifindex);
    struct ip_mreq m;
    memset(&m, 0, sizeof m);
    in_addr_of(group, &m.imr_multiaddr);
    in_addr_of(iface, &m.imr_interface);
    return set_opt(fd, IPPROTO_IP, name, &m, sizeof m);
#endif
}

static int v4_source(int fd, int op, const sockport_addr *group, const sockport_addr *source,
                     const sockport_addr *iface, uint32_t ifindex)
{
    if (ifindex != 0)
        return group_req_op(fd, IPPROTO_IP, op, group, source, ifindex);
    struct ip_mreq_source m;
    memset(&m, 0, sizeof m);
    in_addr_of(group, &m.imr_multiaddr);
    in_addr_of(iface, &m.imr_interface);
    in_addr_of(source, &m.imr_sourceaddr);
    return set_opt(fd, IPPROTO_IP,
                   joining(op) ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, &m,
                   sizeof m);
}

/* ---- IPv6 ----------------------------------------------------------------- */

static int v6_any_source(int fd, int op, const sockport_addr *group, uint32_t ifindex)
{
    struct ipv6_mreq m;
    memset(&m, 0, sizeof m);
    memcpy(&m.ipv6mr_multiaddr, group->u_.ip, 16);
    m.ipv6mr_interface = ifindex;
    return set_opt(fd, IPPROTO_IPV6, joining(op) ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &m,
                   sizeof m);
}

int sockport__posix_multicast(sockport_socket *s, int op, const sockport_addr *group,
                              const sockport_addr *source, const sockport_addr *iface,
                              uint32_t ifindex)
{
    int fd = sockport__posix_fd(s);
    if (group->family_ == SOCKPORT_AF_INET)
        return source == NULL ? v4_any_source(fd, op, group, iface, ifindex)
                              : v4_source(fd, op, group, source, iface, ifindex);
    if (ifindex == 0)
        ifindex = group->scope_id_; /* "ff02::1%eth0": the zone names the interface */
    return source == NULL ? v6_any_source(fd, op, group, ifindex)
                          : group_req_op(fd, IPPROTO_IPV6, op, group, source, ifindex);
}

/* ---- address-valued options ------------------------------------------------ */

static int original_dst(sockport_socket *s, sockport_addr *out)
{
#ifdef __linux__
    struct sockaddr_storage ss;
    int v6 = s->family == SOCKPORT_AF_INET6;
    if (s->family != SOCKPORT_AF_INET && !v6)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0); /* an IP option */
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    memset(&ss, 0, sizeof ss);
    if (sys_getsockopt(sockport__posix_fd(s), v6 ? IPPROTO_IPV6 : IPPROTO_IP,
                       v6 ? IP6T_SO_ORIGINAL_DST : SO_ORIGINAL_DST, &ss, &len) < 0)
        return sockport__posix_opt_fail(errno);
    return sockport__posix_from_native(out, &ss, len);
#else
    (void)s, (void)out;
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
#endif
}

static int get_multicast_if(sockport_socket *s, sockport_addr *out)
{
    struct in_addr a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    if (sys_getsockopt(sockport__posix_fd(s), IPPROTO_IP, IP_MULTICAST_IF, &a, &len) < 0)
        return sockport__posix_opt_fail(errno);
    if (len != sizeof a)
        return sockport__fail(SOCKPORT_EUNKNOWN, 0);
    uint8_t ip[4];
    memcpy(ip, &a, 4);
    return sockport_addr_ipv4(out, ip, 0);
}

int sockport__posix_get_addr_opt(sockport_socket *s, int which, sockport_addr *out)
{
    if (which == SOCKPORT_ADDROPT_MULTICAST_IF_V4)
        return get_multicast_if(s, out);
    if (which == SOCKPORT_ADDROPT_ORIGINAL_DST)
        return original_dst(s, out);
    return sockport__fail(SOCKPORT_ENOTSUP, 0);
}

int sockport__posix_set_addr_opt(sockport_socket *s, int which, const sockport_addr *a)
{
    struct in_addr v;
    if (which != SOCKPORT_ADDROPT_MULTICAST_IF_V4)
        return sockport__fail(SOCKPORT_ENOTSUP, 0); /* the others are read-only */
    in_addr_of(a, &v);
    return set_opt(sockport__posix_fd(s), IPPROTO_IP, IP_MULTICAST_IF, &v, sizeof v);
}
