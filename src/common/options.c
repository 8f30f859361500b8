/*
 * The option descriptor table: one row per SOCKPORT_OPT_*, indexed by its
 * value. The core validates kind, range, family and type from here; a
 * backend only maps the option to its native level and name.
 */
#include "internal.h"

#include <limits.h>

#define ANY_FAM SOCKPORT__FAM_ANY
#define IP_FAM  SOCKPORT__FAM_IP
#define V4_FAM  SOCKPORT__FAM(SOCKPORT_AF_INET)
#define V6_FAM  SOCKPORT__FAM(SOCKPORT_AF_INET6)
#define ANY_TYP SOCKPORT__TYP_ANY
#define STREAM  SOCKPORT__TYP(SOCKPORT_SOCK_STREAM)
#define DGRAM   SOCKPORT__TYP(SOCKPORT_SOCK_DGRAM)

#define BOOL_OPT(o, ro, fam, typ)                                                                  \
    [SOCKPORT_OPT_##o] = {SOCKPORT_OPT_##o, #o, SOCKPORT__OPT_BOOL, ro, 0, 1, fam, typ}
#define INT_OPT(o, ro, lo, hi, fam, typ)                                                           \
    [SOCKPORT_OPT_##o] = {SOCKPORT_OPT_##o, #o, SOCKPORT__OPT_INT, ro, lo, hi, fam, typ}
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
