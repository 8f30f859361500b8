/*
 * WSAGetLastError() → SOCKPORT_E*: one flat switch, a pure function, tested
 * table-driven without a socket (tests/test_winsock_errors.c). Besides the
 * WSAE* codes it maps the Win32 ERROR_* codes that leak through WinSock
 * (overlapped completions, AFD, the AF_UNIX provider's file system side).
 * WSA_INVALID_HANDLE, WSA_NOT_ENOUGH_MEMORY, WSA_INVALID_PARAMETER,
 * WSA_OPERATION_ABORTED and WSA_IO_* are those ERROR_* numbers, listed once.
 *
 * Two rewrites are not here but in the I/O path (io.c), because they depend
 * on the call: WSAESHUTDOWN on a receive is end of stream (0), and
 * WSAEMSGSIZE on a receive is a truncated success (SOCKPORT_MSG_TRUNC).
 * WSAESHUTDOWN reaching this map is therefore a send after shutdown(SD_SEND),
 * which POSIX reports as EPIPE: so does sockport, on every system.
 */
#include "winsock.h"

/* clang-format off */
int sockport__err_from_wsa(int code)
{
    switch (code) {
    case WSAEINTR:                   return SOCKPORT_EINTR;          /* WSACancelBlockingCall only */
    case WSAEBADF:                   return SOCKPORT_EBADF;
    case WSAEACCES:                  return SOCKPORT_EACCES;         /* also: port held with SO_EXCLUSIVEADDRUSE */
    case WSAEFAULT:                  return SOCKPORT_EFAULT;
    case WSAEINVAL:                  return SOCKPORT_EINVAL;
    case WSAEMFILE:                  return SOCKPORT_EMFILE;
    case WSAEWOULDBLOCK:             return SOCKPORT_EAGAIN;
    case WSAEINPROGRESS:             return SOCKPORT_EINPROGRESS;    /* WinSock 1.1: a blocking call is running */
    case WSAEALREADY:                return SOCKPORT_EALREADY;
    case WSAENOTSOCK:                return SOCKPORT_ENOTSOCK;
    case WSAEDESTADDRREQ:            return SOCKPORT_ENOTCONN;       /* unconnected send without an address, as POSIX */
    case WSAEMSGSIZE:                return SOCKPORT_EMSGSIZE;       /* a send; a receive truncates instead (io.c) */
    case WSAEPROTOTYPE:              return SOCKPORT_EPROTOTYPE;
    case WSAENOPROTOOPT:             return SOCKPORT_ENOPROTOOPT;
    case WSAEPROTONOSUPPORT:         return SOCKPORT_EPROTONOSUPPORT;
    case WSAESOCKTNOSUPPORT:         return SOCKPORT_ESOCKTNOSUPPORT;
    case WSAEOPNOTSUPP:              return SOCKPORT_ENOTSUP;
    case WSAEPFNOSUPPORT:            return SOCKPORT_EAFNOSUPPORT;   /* protocol family = address family */
    case WSAEAFNOSUPPORT:            return SOCKPORT_EAFNOSUPPORT;   /* e.g. AF_UNIX before Windows 10 1803, Wine */
    case WSAEADDRINUSE:              return SOCKPORT_EADDRINUSE;
    case WSAEADDRNOTAVAIL:           return SOCKPORT_EADDRNOTAVAIL;
    case WSAENETDOWN:                return SOCKPORT_ENETDOWN;
    case WSAENETUNREACH:             return SOCKPORT_ENETUNREACH;
    case WSAENETRESET:               return SOCKPORT_ENETRESET;
    case WSAECONNABORTED:            return SOCKPORT_ECONNABORTED;
    case WSAECONNRESET:              return SOCKPORT_ECONNRESET;
    case WSAENOBUFS:                 return SOCKPORT_ENOBUFS;
    case WSAEISCONN:                 return SOCKPORT_EISCONN;
    case WSAENOTCONN:                return SOCKPORT_ENOTCONN;
    case WSAESHUTDOWN:               return SOCKPORT_EPIPE;          /* send after SD_SEND: EPIPE as on POSIX */
    case WSAETOOMANYREFS:            return SOCKPORT_ENOBUFS;        /* a kernel resource ran out */
    case WSAETIMEDOUT:               return SOCKPORT_ETIMEDOUT;      /* also SO_RCVTIMEO/SO_SNDTIMEO expiry */
    case WSAECONNREFUSED:            return SOCKPORT_ECONNREFUSED;
    case WSAELOOP:                   return SOCKPORT_ELOOP;
    case WSAENAMETOOLONG:            return SOCKPORT_ENAMETOOLONG;
    case WSAEHOSTDOWN:               return SOCKPORT_EHOSTDOWN;
    case WSAEHOSTUNREACH:            return SOCKPORT_EHOSTUNREACH;
    case WSAEPROCLIM:                return SOCKPORT_ENOTINIT;       /* WSAStartup: too many processes */
    case WSASYSNOTREADY:             return SOCKPORT_ENOTINIT;
    case WSAVERNOTSUPPORTED:         return SOCKPORT_ENOTINIT;
    case WSANOTINITIALISED:          return SOCKPORT_ENOTINIT;
    case WSAEDISCON:                 return SOCKPORT_ESHUTDOWN;      /* peer closed a message-oriented connection */
    case WSAENOMORE:                 return SOCKPORT_ENOENT;         /* a lookup has no more results */
    case WSA_E_NO_MORE:              return SOCKPORT_ENOENT;
    case WSAECANCELLED:              return SOCKPORT_ECANCELED;
    case WSA_E_CANCELLED:            return SOCKPORT_ECANCELED;
    case WSAEINVALIDPROCTABLE:       return SOCKPORT_ENOTINIT;       /* a broken provider: WinSock cannot start */
    case WSAEINVALIDPROVIDER:        return SOCKPORT_ENOTINIT;
    case WSAEPROVIDERFAILEDINIT:     return SOCKPORT_ENOTINIT;
    case WSASERVICE_NOT_FOUND:       return SOCKPORT_ENOENT;
    case WSAEREFUSED:                return SOCKPORT_EACCES;         /* a name-service query was refused */
    /* resolver-only codes (GetAddrInfoW returns them; EAI_* are these numbers) */
    case WSAHOST_NOT_FOUND:          return SOCKPORT_EAI_NONAME;     /* = EAI_NONAME */
    case WSATRY_AGAIN:               return SOCKPORT_EAI_AGAIN;      /* = EAI_AGAIN */
    case WSANO_RECOVERY:             return SOCKPORT_EAI_FAIL;       /* = EAI_FAIL */
    case WSANO_DATA:                 return SOCKPORT_EAI_NODATA;     /* = EAI_NODATA */
    case WSATYPE_NOT_FOUND:          return SOCKPORT_EAI_SERVICE;    /* = EAI_SERVICE */
    /* Win32 codes that WinSock and AFD pass through */
    case ERROR_FILE_NOT_FOUND:       return SOCKPORT_ENOENT;         /* AF_UNIX: no such socket file */
    case ERROR_PATH_NOT_FOUND:       return SOCKPORT_ENOENT;
    case ERROR_TOO_MANY_OPEN_FILES:  return SOCKPORT_EMFILE;
    case ERROR_ACCESS_DENIED:        return SOCKPORT_EACCES;
    case ERROR_INVALID_HANDLE:       return SOCKPORT_EBADF;          /* = WSA_INVALID_HANDLE */
    case ERROR_NOT_ENOUGH_MEMORY:    return SOCKPORT_ENOMEM;         /* = WSA_NOT_ENOUGH_MEMORY */
    case ERROR_OUTOFMEMORY:          return SOCKPORT_ENOMEM;
    case ERROR_WRITE_PROTECT:        return SOCKPORT_EROFS;
    case ERROR_NOT_SUPPORTED:        return SOCKPORT_ENOTSUP;
    case ERROR_DEV_NOT_EXIST:        return SOCKPORT_ENODEV;
    case ERROR_NETNAME_DELETED:      return SOCKPORT_ECONNRESET;     /* AFD's word for a reset connection */
    case ERROR_NETWORK_ACCESS_DENIED: return SOCKPORT_EACCES;
    case ERROR_FILE_EXISTS:          return SOCKPORT_EEXIST;
    case ERROR_INVALID_PARAMETER:    return SOCKPORT_EINVAL;         /* = WSA_INVALID_PARAMETER */
    case ERROR_BROKEN_PIPE:          return SOCKPORT_EPIPE;
    case ERROR_CALL_NOT_IMPLEMENTED: return SOCKPORT_ENOTSUP;
    case ERROR_SEM_TIMEOUT:          return SOCKPORT_ETIMEDOUT;      /* AFD's connect timeout via the file API */
    case ERROR_INSUFFICIENT_BUFFER:  return SOCKPORT_ENOSPC;         /* the caller's buffer is short */
    case ERROR_ALREADY_EXISTS:       return SOCKPORT_EEXIST;
    case ERROR_FILENAME_EXCED_RANGE: return SOCKPORT_ENAMETOOLONG;
    case ERROR_NO_DATA:              return SOCKPORT_EPIPE;          /* the pipe is being closed */
    case ERROR_MORE_DATA:            return SOCKPORT_EMSGSIZE;       /* a message did not fit */
    case ERROR_DIRECTORY:            return SOCKPORT_ENOTDIR;
    case ERROR_OPERATION_ABORTED:    return SOCKPORT_ECANCELED;      /* = WSA_OPERATION_ABORTED */
    case ERROR_IO_INCOMPLETE:        return SOCKPORT_EAGAIN;         /* = WSA_IO_INCOMPLETE: not done yet */
    case ERROR_IO_PENDING:           return SOCKPORT_EINPROGRESS;    /* = WSA_IO_PENDING: overlapped, started */
    case ERROR_NOACCESS:             return SOCKPORT_EFAULT;         /* a bad user buffer */
    case ERROR_CONNECTION_REFUSED:   return SOCKPORT_ECONNREFUSED;
    case ERROR_ADDRESS_ALREADY_ASSOCIATED: return SOCKPORT_EADDRINUSE;
    case ERROR_NETWORK_UNREACHABLE:  return SOCKPORT_ENETUNREACH;
    case ERROR_HOST_UNREACHABLE:     return SOCKPORT_EHOSTUNREACH;
    case ERROR_PORT_UNREACHABLE:     return SOCKPORT_ECONNREFUSED;   /* ICMP port unreachable, as POSIX UDP */
    case ERROR_CONNECTION_ABORTED:   return SOCKPORT_ECONNABORTED;
    case ERROR_HOST_DOWN:            return SOCKPORT_EHOSTDOWN;
    case ERROR_PRIVILEGE_NOT_HELD:   return SOCKPORT_EPERM;
    case ERROR_TIMEOUT:              return SOCKPORT_ETIMEDOUT;
    case ERROR_NOT_ENOUGH_QUOTA:     return SOCKPORT_ENOBUFS;
    case ERROR_CANT_RESOLVE_FILENAME: return SOCKPORT_ELOOP;         /* too many reparse points */
    default:                         return SOCKPORT_EUNKNOWN;       /* 0 too: no error is no code */
    }
}
/* clang-format on */

int sockport__winsock_fail(int code)
{
    return sockport__fail(sockport__err_from_wsa(code), code);
}

int sockport__winsock_fail_last(void)
{
    return sockport__winsock_fail(sys_wsagetlasterror());
}
