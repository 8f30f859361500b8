/*
 * Options with shapes of their own (linger, keepalive timing, multicast
 * membership, address-valued options, BPF filters, the raw escape hatch)
 * and the native-handle calls: validate, then one backend slot.
 */
#include "internal.h"

#define RAW_OPT_MAX 65536
#define LINGER_MAX  65535
#define FILTER_MAX  65535

int sockport_set_linger(sockport_socket *s, bool on, int seconds)
{
    if (s == NULL || seconds < 0 || seconds > LINGER_MAX)
        return SOCKPORT__EINVAL();
    return s->backend->set_linger(s, on, seconds);
}

int sockport_get_linger(sockport_socket *s, bool *on, int *seconds)
{
    if (s == NULL || on == NULL || seconds == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->get_linger(s, on, seconds);
}

int sockport_set_tcp_keepalive(sockport_socket *s, bool on, int64_t idle_ms, int64_t interval_ms,
                               int retries)
{
    if (s == NULL || idle_ms < 0 || interval_ms < 0 || retries < 0)
        return SOCKPORT__EINVAL();
    if (s->type != SOCKPORT_SOCK_STREAM || s->family == SOCKPORT_AF_UNIX)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
    return s->backend->set_keepalive(s, on, idle_ms, interval_ms, retries);
}

/* An IP address of the socket's family (port ignored). */
static int check_ip(const sockport_socket *s, const sockport_addr *a)
{
    if (a == NULL || (a->family_ != SOCKPORT_AF_INET && a->family_ != SOCKPORT_AF_INET6))
        return SOCKPORT__EINVAL();
    return a->family_ == s->family ? 0 : sockport__fail(SOCKPORT_EAFNOSUPPORT, 0);
}

/* Multicast membership: group (and source) of the socket's family, an
 * interface address only for IPv4, a datagram-capable IP socket. */
static int membership(sockport_socket *s, int op, const sockport_addr *group,
                      const sockport_addr *source, const sockport_addr *iface, uint32_t ifindex)
{
    int rc;
    if (s == NULL)
        return SOCKPORT__EINVAL();
    if ((rc = check_ip(s, group)) < 0)
        return rc;
    if (source != NULL && (rc = check_ip(s, source)) < 0)
        return rc;
    if (iface != NULL && (s->family != SOCKPORT_AF_INET || iface->family_ != SOCKPORT_AF_INET))
        return SOCKPORT__EINVAL();
    if (s->type == SOCKPORT_SOCK_STREAM)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
    return s->backend->multicast(s, op, group, source, iface, ifindex);
}

int sockport_join_multicast(sockport_socket *s, const sockport_addr *group,
                            const sockport_addr *iface, uint32_t ifindex)
{
    return membership(s, SOCKPORT_MCAST_JOIN, group, NULL, iface, ifindex);
}

int sockport_leave_multicast(sockport_socket *s, const sockport_addr *group,
                             const sockport_addr *iface, uint32_t ifindex)
{
    return membership(s, SOCKPORT_MCAST_LEAVE, group, NULL, iface, ifindex);
}

int sockport_join_source_multicast(sockport_socket *s, const sockport_addr *group,
                                   const sockport_addr *source, const sockport_addr *iface,
                                   uint32_t ifindex)
{
    if (source == NULL)
        return SOCKPORT__EINVAL();
    return membership(s, SOCKPORT_MCAST_JOIN_SOURCE, group, source, iface, ifindex);
}

int sockport_leave_source_multicast(sockport_socket *s, const sockport_addr *group,
                                    const sockport_addr *source, const sockport_addr *iface,
                                    uint32_t ifindex)
{
    if (source == NULL)
        return SOCKPORT__EINVAL();
    return membership(s, SOCKPORT_MCAST_LEAVE_SOURCE, group, source, iface, ifindex);
}

int sockport_set_multicast_if_v4(sockport_socket *s, const sockport_addr *iface)
{
    if (s == NULL || iface == NULL || iface->family_ != SOCKPORT_AF_INET)
        return SOCKPORT__EINVAL();
    if (s->family != SOCKPORT_AF_INET)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
    return s->backend->set_addr_opt(s, SOCKPORT_ADDROPT_MULTICAST_IF_V4, iface);
}

int sockport_get_multicast_if_v4(sockport_socket *s, sockport_addr *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    if (s->family != SOCKPORT_AF_INET)
        return sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
    return s->backend->get_addr_opt(s, SOCKPORT_ADDROPT_MULTICAST_IF_V4, out);
}

int sockport_original_dst(sockport_socket *s, sockport_addr *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->get_addr_opt(s, SOCKPORT_ADDROPT_ORIGINAL_DST, out);
}

int sockport_get_cookie(sockport_socket *s, uint64_t *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->get_cookie(s, out);
}

int sockport_attach_filter(sockport_socket *s, const sockport_sock_filter *prog, size_t count)
{
    if (s == NULL || prog == NULL || count == 0 || count > FILTER_MAX)
        return SOCKPORT__EINVAL();
    return s->backend->attach_filter(s, prog, count);
}

int sockport_detach_filter(sockport_socket *s)
{
    if (s == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->attach_filter(s, NULL, 0);
}

int sockport_setsockopt_raw(sockport_socket *s, int level, int name, const void *value, size_t len)
{
    if (s == NULL || len > RAW_OPT_MAX || (value == NULL && len != 0))
        return SOCKPORT__EINVAL();
    return s->backend->setsockopt_raw(s, level, name, value, len);
}

int sockport_getsockopt_raw(sockport_socket *s, int level, int name, void *value, size_t *len)
{
    if (s == NULL || len == NULL || *len > RAW_OPT_MAX || (value == NULL && *len != 0))
        return SOCKPORT__EINVAL();
    return s->backend->getsockopt_raw(s, level, name, value, len);
}

/* ---- introspection and native handles ---------------------------------- */

int sockport_type(sockport_socket *s)
{
    return s != NULL ? s->type : SOCKPORT__EINVAL();
}

int sockport_family(sockport_socket *s)
{
    return s != NULL ? s->family : SOCKPORT__EINVAL();
}

int sockport_protocol(sockport_socket *s)
{
    int proto = 0;
    if (s == NULL)
        return SOCKPORT__EINVAL();
    if (s->protocol != 0)
        return s->protocol;
    int rc = s->backend->get_int(s, SOCKPORT_OPT_SO_PROTOCOL, &proto);
    if (rc == SOCKPORT_ENOTSUP || rc == SOCKPORT_ENOPROTOOPT)
        return 0;
    return rc < 0 ? rc : proto;
}

int sockport_native_handle(sockport_socket *s, sockport_native *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->native_handle(s, out);
}

int sockport_from_native(sockport_socket **out, sockport_native handle, unsigned flags)
{
    const sockport_backend *b = sockport__backend_default();
    int family = 0, type = 0, protocol = 0;
    if (out == NULL || handle < 0 || (flags & ~(unsigned)SOCKPORT_F_NONBLOCK) != 0)
        return SOCKPORT__EINVAL();
    int rc = sockport__backend_ensure_init(b);
    if (rc < 0)
        return rc;
    sockport_socket *s = sockport__socket_new(b, 0, 0, 0, flags);
    if (s == NULL)
        return sockport__fail(SOCKPORT_ENOMEM, 0);
    rc = b->adopt(s, handle, &family, &type, &protocol);
    if (rc < 0) {
        sockport__socket_free(s);
        return rc;
    }
    s->family = family;
    s->type = type;
    s->protocol = protocol;
    *out = s;
    return 0;
}

int sockport_release(sockport_socket *s, sockport_native *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    int rc = s->backend->release(s, out);
    if (rc < 0)
        return rc;
    sockport__socket_free(s);
    return 0;
}
