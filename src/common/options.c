/*
 * The option descriptor table: one row per SOCKPORT_OPT_*, indexed by its
 * value. The core validates kind, range, family and type from here; a
 * backend only maps the option to its native level and name.
 */
#include "internal.h"

#include <limits.h>

#define ANY_FAM    SOCKPORT__FAM_ANY
#define IP_FAM     SOCKPORT__FAM_IP
#define V4_FAM     SOCKPORT__FAM(SOCKPORT_AF_INET)
#define V6_FAM     SOCKPORT__FAM(SOCKPORT_AF_INET6)
#define ANY_TYP    SOCKPORT__TYP_ANY
#define STREAM     SOCKPORT__TYP(SOCKPORT_SOCK_STREAM)
#define DGRAM      SOCKPORT__TYP(SOCKPORT_SOCK_DGRAM)
#define RAW        SOCKPORT__TYP(SOCKPORT_SOCK_RAW)
#define NOT_STREAM (SOCKPORT__TYP_ANY & ~STREAM)
#define UNIX_FAM   SOCKPORT__FAM(SOCKPORT_AF_UNIX)

#define BOOL_OPT(o, ro, fam, typ)                                                                  \
    [SOCKPORT_OPT_##o] = {SOCKPORT_OPT_##o, #o, SOCKPORT__OPT_BOOL, ro, 0, 1, fam, typ}
#define INT_OPT(o, ro, lo, hi, fam, typ)                                                           \
    [SOCKPORT_OPT_##o] = {SOCKPORT_OPT_##o, #o, SOCKPORT__OPT_INT, ro, lo, hi, fam, typ}
#define STR_OPT(o, fam, typ)                                                                       \
    [SOCKPORT_OPT_##o] = {SOCKPORT_OPT_##o, #o, SOCKPORT__OPT_STR, 0, 0, 0, fam, typ}
#define TIME_OPT(o)                                                                                \
    [SOCKPORT_OPT_##o] = {SOCKPORT_OPT_##o, #o, SOCKPORT__OPT_TIMEOUT, 0, 0, 0, ANY_FAM, ANY_TYP}

/* clang-format off */
static const sockport__optdesc options[SOCKPORT_OPT_MAX_ + 1] = {
    BOOL_OPT(SO_REUSEADDR,        0, ANY_FAM, ANY_TYP),
    BOOL_OPT(SO_KEEPALIVE,        0, ANY_FAM, ANY_TYP),
    BOOL_OPT(SO_BROADCAST,        0, ANY_FAM, ANY_TYP),
    INT_OPT(SO_RCVBUF,            0, 0, INT_MAX, ANY_FAM, ANY_TYP),
    INT_OPT(SO_SNDBUF,            0, 0, INT_MAX, ANY_FAM, ANY_TYP),
    INT_OPT(SO_TYPE,              1, 0, 0, ANY_FAM, ANY_TYP),
    INT_OPT(SO_ERROR,             1, 0, 0, ANY_FAM, ANY_TYP),
    BOOL_OPT(TCP_NODELAY,         0, IP_FAM, STREAM),
    INT_OPT(IP_TTL,               0, 1, 255, V4_FAM, ANY_TYP),
    BOOL_OPT(IPV6_V6ONLY,         0, V6_FAM, ANY_TYP),
    TIME_OPT(SO_RCVTIMEO),
    TIME_OPT(SO_SNDTIMEO),
    BOOL_OPT(SO_EXCLUSIVEADDRUSE, 0, IP_FAM, ANY_TYP),
    BOOL_OPT(SO_REUSEPORT,        0, ANY_FAM, ANY_TYP),
    BOOL_OPT(SO_OOBINLINE,        0, ANY_FAM, ANY_TYP),
    BOOL_OPT(SO_ACCEPTCONN,       1, ANY_FAM, ANY_TYP),
    INT_OPT(IPV6_UNICAST_HOPS,    0, -1, 255, V6_FAM, ANY_TYP),
    BOOL_OPT(SIO_UDP_CONNRESET,   0, IP_FAM, DGRAM),
    BOOL_OPT(SO_PASSCRED,         0, UNIX_FAM, ANY_TYP),
    INT_OPT(SO_PRIORITY,          0, 0, INT_MAX, ANY_FAM, ANY_TYP),
    BOOL_OPT(SO_REUSEPORT_LB,     0, ANY_FAM, ANY_TYP),
    INT_OPT(SO_DOMAIN,            1, 0, 0, ANY_FAM, ANY_TYP),
    INT_OPT(SO_PROTOCOL,          1, 0, 0, ANY_FAM, ANY_TYP),
    INT_OPT(SO_MARK,              0, 0, INT_MAX, ANY_FAM, ANY_TYP),
    INT_OPT(SO_BINDTOIFINDEX,     0, 0, INT_MAX, IP_FAM, ANY_TYP),
    INT_OPT(SO_INCOMING_CPU,      0, 0, INT_MAX, ANY_FAM, ANY_TYP),
    INT_OPT(SO_BUSY_POLL,         0, 0, INT_MAX, ANY_FAM, ANY_TYP),
    BOOL_OPT(SO_NOSIGPIPE,        0, ANY_FAM, ANY_TYP),
    INT_OPT(SO_RCVLOWAT,          0, 1, INT_MAX, ANY_FAM, ANY_TYP),
    INT_OPT(SO_SNDLOWAT,          0, 1, INT_MAX, ANY_FAM, ANY_TYP),
    INT_OPT(IP_TOS,               0, 0, 255, V4_FAM, ANY_TYP),
    BOOL_OPT(IP_RECVTOS,          0, V4_FAM, ANY_TYP),
    BOOL_OPT(IP_HDRINCL,          0, V4_FAM, RAW),
    BOOL_OPT(IP_TRANSPARENT,      0, V4_FAM, ANY_TYP),
    BOOL_OPT(IP_FREEBIND,         0, V4_FAM, ANY_TYP),
    BOOL_OPT(IP_MULTICAST_LOOP,   0, V4_FAM, NOT_STREAM),
    INT_OPT(IP_MULTICAST_TTL,     0, 0, 255, V4_FAM, NOT_STREAM),
    BOOL_OPT(IP_MULTICAST_ALL,    0, V4_FAM, NOT_STREAM),
    BOOL_OPT(IP_PKTINFO,          0, V4_FAM, NOT_STREAM),
    BOOL_OPT(IP_RECVERR,          0, V4_FAM, ANY_TYP),
    INT_OPT(IP_MTU_DISCOVER,      0, 0, 3, V4_FAM, ANY_TYP),
    INT_OPT(IPV6_MULTICAST_HOPS,  0, -1, 255, V6_FAM, NOT_STREAM),
    INT_OPT(IPV6_MULTICAST_IF,    0, 0, INT_MAX, V6_FAM, NOT_STREAM),
    BOOL_OPT(IPV6_MULTICAST_LOOP, 0, V6_FAM, NOT_STREAM),
    BOOL_OPT(IPV6_MULTICAST_ALL,  0, V6_FAM, NOT_STREAM),
    BOOL_OPT(IPV6_RECVTCLASS,     0, V6_FAM, ANY_TYP),
    INT_OPT(IPV6_TCLASS,          0, -1, 255, V6_FAM, ANY_TYP),
    BOOL_OPT(IPV6_RECVHOPLIMIT,   0, V6_FAM, ANY_TYP),
    BOOL_OPT(IPV6_HDRINCL,        0, V6_FAM, RAW),
    BOOL_OPT(IPV6_TRANSPARENT,    0, V6_FAM, ANY_TYP),
    BOOL_OPT(IPV6_FREEBIND,       0, V6_FAM, ANY_TYP),
    BOOL_OPT(IPV6_RECVPKTINFO,    0, V6_FAM, NOT_STREAM),
    BOOL_OPT(IPV6_RECVERR,        0, V6_FAM, ANY_TYP),
    INT_OPT(IPV6_MTU_DISCOVER,    0, 0, 3, V6_FAM, ANY_TYP),
    INT_OPT(TCP_KEEPIDLE,         0, 1, INT_MAX, IP_FAM, STREAM),
    INT_OPT(TCP_KEEPINTVL,        0, 1, INT_MAX, IP_FAM, STREAM),
    INT_OPT(TCP_KEEPCNT,          0, 1, INT_MAX, IP_FAM, STREAM),
    INT_OPT(TCP_MAXSEG,           0, 0, INT_MAX, IP_FAM, STREAM),
    BOOL_OPT(TCP_CORK,            0, IP_FAM, STREAM),
    BOOL_OPT(TCP_QUICKACK,        0, IP_FAM, STREAM),
    BOOL_OPT(TCP_THIN_LINEAR_TIMEOUTS, 0, IP_FAM, STREAM),
    INT_OPT(TCP_NOTSENT_LOWAT,    0, 0, INT_MAX, IP_FAM, STREAM),
    INT_OPT(TCP_USER_TIMEOUT,     0, 0, INT_MAX, IP_FAM, STREAM),
    INT_OPT(TCP_FASTOPEN,         0, 0, INT_MAX, IP_FAM, STREAM),
    INT_OPT(UDP_SEGMENT,          0, 0, 65535, IP_FAM, DGRAM),
    BOOL_OPT(UDP_GRO,             0, IP_FAM, DGRAM),
    INT_OPT(SIO_TCP_SET_ACK_FREQUENCY, 0, 0, 255, IP_FAM, STREAM),
    STR_OPT(SO_BINDTODEVICE,      ANY_FAM, ANY_TYP),
    STR_OPT(TCP_CONGESTION,       IP_FAM, STREAM),
};
/* clang-format on */

const sockport__optdesc *sockport__opt_find(int opt)
{
    if (opt <= 0 || opt > SOCKPORT_OPT_MAX_ || options[opt].name == NULL)
        return NULL;
    return &options[opt];
}

const char *sockport_option_name(int opt)
{
    const sockport__optdesc *d = sockport__opt_find(opt);
    return d != NULL ? d->name : NULL;
}

/* 1 when the option applies to the socket's family and type. */
static int applies(const sockport__optdesc *d, const sockport_socket *s)
{
    return (d->families & SOCKPORT__FAM(s->family)) != 0 &&
           (d->types & SOCKPORT__TYP(s->type)) != 0;
}

/* Finds opt and checks it against s: the descriptor, or NULL with *err set. */
static const sockport__optdesc *check(sockport_socket *s, int opt, int kind_mask, int *err)
{
    const sockport__optdesc *d = s != NULL ? sockport__opt_find(opt) : NULL;
    if (d == NULL || ((1 << d->kind) & kind_mask) == 0) {
        *err = SOCKPORT__EINVAL();
        return NULL;
    }
    if (!applies(d, s)) {
        *err = sockport__fail(SOCKPORT_ENOPROTOOPT, 0);
        return NULL;
    }
    return d;
}

#define KIND(k) (1 << (k))
#define INTS    (KIND(SOCKPORT__OPT_BOOL) | KIND(SOCKPORT__OPT_INT))

int sockport_set_int(sockport_socket *s, int opt, int v)
{
    int err = 0;
    const sockport__optdesc *d = check(s, opt, INTS, &err);
    if (d == NULL)
        return err;
    if (d->readonly || v < d->min || v > d->max)
        return SOCKPORT__EINVAL();
    return s->backend->set_int(s, opt, v);
}

int sockport_get_int(sockport_socket *s, int opt, int *out)
{
    int err = 0;
    if (out == NULL)
        return SOCKPORT__EINVAL();
    if (check(s, opt, INTS, &err) == NULL)
        return err;
    return s->backend->get_int(s, opt, out);
}

int sockport_set_bool(sockport_socket *s, int opt, bool v)
{
    int err = 0;
    if (check(s, opt, KIND(SOCKPORT__OPT_BOOL), &err) == NULL)
        return err;
    return sockport_set_int(s, opt, v ? 1 : 0);
}

int sockport_get_bool(sockport_socket *s, int opt, bool *out)
{
    int err = 0, v = 0;
    if (out == NULL)
        return SOCKPORT__EINVAL();
    if (check(s, opt, KIND(SOCKPORT__OPT_BOOL), &err) == NULL)
        return err;
    int rc = s->backend->get_int(s, opt, &v);
    if (rc < 0)
        return rc;
    *out = v != 0;
    return 0;
}

/* String values: at most this many bytes, NUL excluded. */
#define STR_MAX 255

/* 1 when value ends within STR_MAX bytes (never reads past its NUL). */
static int short_string(const char *value)
{
    for (size_t i = 0; i <= STR_MAX; i++) {
        if (value[i] == '\0')
            return 1;
    }
    return 0;
}

int sockport_set_str(sockport_socket *s, int opt, const char *value)
{
    int err = 0;
    if (value == NULL || !short_string(value))
        return SOCKPORT__EINVAL();
    if (check(s, opt, KIND(SOCKPORT__OPT_STR), &err) == NULL)
        return err;
    return s->backend->set_str(s, opt, value);
}

int sockport_get_str(sockport_socket *s, int opt, char *buf, size_t cap)
{
    int err = 0;
    if (buf == NULL || cap == 0)
        return SOCKPORT__EINVAL();
    if (check(s, opt, KIND(SOCKPORT__OPT_STR), &err) == NULL)
        return err;
    return s->backend->get_str(s, opt, buf, cap);
}

static int set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    if (s == NULL || ms < 0)
        return SOCKPORT__EINVAL();
    return s->backend->set_timeout(s, opt, ms);
}

static int get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    if (s == NULL || out == NULL)
        return SOCKPORT__EINVAL();
    return s->backend->get_timeout(s, opt, out);
}

int sockport_set_recv_timeout(sockport_socket *s, int64_t ms)
{
    return set_timeout(s, SOCKPORT_OPT_SO_RCVTIMEO, ms);
}

int sockport_get_recv_timeout(sockport_socket *s, int64_t *out)
{
    return get_timeout(s, SOCKPORT_OPT_SO_RCVTIMEO, out);
}

int sockport_set_send_timeout(sockport_socket *s, int64_t ms)
{
    return set_timeout(s, SOCKPORT_OPT_SO_SNDTIMEO, ms);
}

int sockport_get_send_timeout(sockport_socket *s, int64_t *out)
{
    return get_timeout(s, SOCKPORT_OPT_SO_SNDTIMEO, out);
}

int sockport_option_supported(sockport_socket *s, int opt)
{
    const sockport__optdesc *d = sockport__opt_find(opt);
    if (s == NULL || d == NULL)
        return SOCKPORT__EINVAL();
    if (!applies(d, s))
        return 0;
    return s->backend->option_supported(s, opt) > 0 ? 1 : 0;
}
