/*
 * errno → SOCKPORT_E*: one flat switch, a pure function, tested table-driven
 * (tests/test_posix_errors.c). Codes that some systems define as the same
 * number (EAGAIN/EWOULDBLOCK, ENOTSUP/EOPNOTSUPP) are guarded so that the
 * switch never has a duplicate case.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <netdb.h>

/* clang-format off */
int sockport__err_from_errno(int e)
{
    switch (e) {
    case EINVAL:          return SOCKPORT_EINVAL;
    case ENOMEM:          return SOCKPORT_ENOMEM;
    case ENOTSUP:         return SOCKPORT_ENOTSUP;
#if defined(EOPNOTSUPP) && EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP:      return SOCKPORT_ENOTSUP;       /* BSD: a distinct number, same meaning */
#endif
    case ENOSYS:          return SOCKPORT_ENOTSUP;       /* the kernel lacks the call */
    case EAGAIN:          return SOCKPORT_EAGAIN;
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:     return SOCKPORT_EAGAIN;        /* old systems: a distinct number */
#endif
    case EINTR:           return SOCKPORT_EINTR;
    case ECONNREFUSED:    return SOCKPORT_ECONNREFUSED;
    case ECONNRESET:      return SOCKPORT_ECONNRESET;
    case ECONNABORTED:    return SOCKPORT_ECONNABORTED;
    case ETIMEDOUT:       return SOCKPORT_ETIMEDOUT;
    case EADDRINUSE:      return SOCKPORT_EADDRINUSE;
    case EADDRNOTAVAIL:   return SOCKPORT_EADDRNOTAVAIL;
    case EAFNOSUPPORT:    return SOCKPORT_EAFNOSUPPORT;
#ifdef EPFNOSUPPORT
    case EPFNOSUPPORT:    return SOCKPORT_EAFNOSUPPORT;  /* protocol family = address family */
#endif
    case EPROTONOSUPPORT: return SOCKPORT_EPROTONOSUPPORT;
    case EPROTOTYPE:      return SOCKPORT_EPROTOTYPE;    /* e.g. UDP asked for a stream socket */
#ifdef ESOCKTNOSUPPORT
    case ESOCKTNOSUPPORT: return SOCKPORT_ESOCKTNOSUPPORT;
#endif
    case ENOTCONN:        return SOCKPORT_ENOTCONN;
    case EDESTADDRREQ:    return SOCKPORT_ENOTCONN;      /* unconnected send without an address */
    case EISCONN:         return SOCKPORT_EISCONN;
    case EINPROGRESS:     return SOCKPORT_EINPROGRESS;
    case EALREADY:        return SOCKPORT_EALREADY;
    case EPIPE:           return SOCKPORT_EPIPE;
    case EMSGSIZE:        return SOCKPORT_EMSGSIZE;
    case ENOBUFS:         return SOCKPORT_ENOBUFS;
    case EMFILE:          return SOCKPORT_EMFILE;
    case ENFILE:          return SOCKPORT_ENFILE;
    case EACCES:          return SOCKPORT_EACCES;
    case EPERM:           return SOCKPORT_EPERM;
    case ENETUNREACH:     return SOCKPORT_ENETUNREACH;
    case EHOSTUNREACH:    return SOCKPORT_EHOSTUNREACH;
    case ENETDOWN:        return SOCKPORT_ENETDOWN;
    case ENETRESET:       return SOCKPORT_ENETRESET;
#ifdef EHOSTDOWN
    case EHOSTDOWN:       return SOCKPORT_EHOSTDOWN;
#endif
    case ENOSPC:          return SOCKPORT_ENOSPC;
    case ENOENT:          return SOCKPORT_ENOENT;
    case EBADF:           return SOCKPORT_EBADF;
    case ENOTSOCK:        return SOCKPORT_ENOTSOCK;
    case ENOPROTOOPT:     return SOCKPORT_ENOPROTOOPT;
    case ENAMETOOLONG:    return SOCKPORT_ENAMETOOLONG;
    case ENODEV:          return SOCKPORT_ENODEV;
    case ENXIO:           return SOCKPORT_ENODEV;        /* Linux if_nametoindex: no such device */
    case ENOTDIR:         return SOCKPORT_ENOTDIR;
    case EROFS:           return SOCKPORT_EROFS;
    case ELOOP:           return SOCKPORT_ELOOP;
    case EEXIST:          return SOCKPORT_EEXIST;
#ifdef ESHUTDOWN
    case ESHUTDOWN:       return SOCKPORT_ESHUTDOWN;
#endif
    case EPROTO:          return SOCKPORT_EPROTO;
    case ECANCELED:       return SOCKPORT_ECANCELED;
    case EFAULT:          return SOCKPORT_EFAULT;
    default:              return SOCKPORT_EUNKNOWN;      /* SOCKPORT_ENOTINIT: Windows only */
    }
}
/* clang-format on */

/* clang-format off */
int sockport__err_from_gai(int gai)
{
    switch (gai) {
    case EAI_NONAME:      return SOCKPORT_EAI_NONAME;
    case EAI_AGAIN:       return SOCKPORT_EAI_AGAIN;
    case EAI_FAIL:        return SOCKPORT_EAI_FAIL;
    case EAI_SERVICE:     return SOCKPORT_EAI_SERVICE;
    case EAI_FAMILY:      return SOCKPORT_EAI_FAMILY;
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
    case EAI_NODATA:      return SOCKPORT_EAI_NODATA;
#endif
#if defined(EAI_ADDRFAMILY) && EAI_ADDRFAMILY != EAI_FAMILY
    case EAI_ADDRFAMILY:  return SOCKPORT_EAI_NODATA;    /* the host has no address of that family */
#endif
    case EAI_MEMORY:      return SOCKPORT_ENOMEM;
    case EAI_BADFLAGS:    return SOCKPORT_EINVAL;
    case EAI_SOCKTYPE:    return SOCKPORT_ESOCKTNOSUPPORT;
#ifdef EAI_OVERFLOW
    case EAI_OVERFLOW:    return SOCKPORT_ENOSPC;
#endif
#ifdef EAI_PROTOCOL
    case EAI_PROTOCOL:    return SOCKPORT_EPROTONOSUPPORT; /* BSD */
#endif
#ifdef EAI_BADHINTS
    case EAI_BADHINTS:    return SOCKPORT_EINVAL;          /* BSD */
#endif
    default:              return SOCKPORT_EUNKNOWN;        /* EAI_SYSTEM: see errno */
    }
}
/* clang-format on */

int sockport__posix_fail(int e)
{
    return sockport__fail(sockport__err_from_errno(e), e);
}
