/*
 * The WinSock backend: its table, WinSock start-up, and the slots that make
 * and release handles (open, close, try_clone, set_nonblocking), with the
 * helpers every other file uses to make a SOCKET the way sockport promises.
 *
 * Start-up: the core calls the init slot once, lazily and thread-safely,
 * before the first socket, and again on each sockport_init(); cleanup on each
 * sockport_cleanup(). WSAStartup/WSACleanup are reference-counted by Windows,
 * so init is one WSAStartup(2.2) per call and cleanup one WSACleanup: the
 * lazy reference lives as long as the process (as it does in libstd), and a
 * DLL host's init/cleanup pairs balance. A failed start is SOCKPORT_ENOTINIT
 * with the WSA code kept for sockport_last_os_error(); nothing aborts.
 *
 * Handles: every SOCKET comes from WSASocketW with WSA_FLAG_OVERLAPPED (so it
 * can join an IOCP; blocking calls work as ever) and WSA_FLAG_NO_HANDLE_INHERIT
 * unless SOCKPORT_F_INHERIT asks otherwise. Windows before 7 SP1 refuses the
 * flag (WSAEINVAL / WSAEPROTOTYPE): the socket is then made without it and
 * SetHandleInformation clears the inherit bit, which is not atomic with
 * respect to a CreateProcess in another thread. Accepted sockets are fixed up
 * explicitly (connect.c): WinSock, and Wine 8 measurably, make them
 * inheritable and copy the listener's FIONBIO mode.
 *
 * FIONBIO cannot be read back on Windows: the core remembers the mode in
 * s->flags (SOCKPORT_F_NONBLOCK), which the backend reads where it matters
 * (connect_timeout, MSG_DONTWAIT, clone).
 */
#include "winsock.h"

#include <string.h>

static sockport__winsock_state *st(sockport_socket *s)
{
    return sockport__winsock_st(s);
}

/* ---- translation of the core's values ---------------------------------- */

int sockport__winsock_af(int family)
{
    switch (family) {
    case SOCKPORT_AF_INET:
        return AF_INET;
    case SOCKPORT_AF_INET6:
        return AF_INET6;
    case SOCKPORT_AF_UNIX:
        return AF_UNIX;
    default:
        return AF_UNSPEC;
    }
}

int sockport__winsock_type(int type)
{
    switch (type) {
    case SOCKPORT_SOCK_STREAM:
        return SOCK_STREAM;
    case SOCKPORT_SOCK_DGRAM:
        return SOCK_DGRAM;
    case SOCKPORT_SOCK_SEQPACKET:
        return SOCK_SEQPACKET;
    case SOCKPORT_SOCK_RAW:
        return SOCK_RAW;
    default:
        return 0;
    }
}

int sockport__winsock_proto(int protocol)
{
    switch (protocol) {
    case SOCKPORT_IPPROTO_ICMP:
        return IPPROTO_ICMP;
    case SOCKPORT_IPPROTO_TCP:
        return IPPROTO_TCP;
    case SOCKPORT_IPPROTO_UDP:
        return IPPROTO_UDP;
    case SOCKPORT_IPPROTO_ICMPV6:
        return IPPROTO_ICMPV6;
    default:
        return 0;
    }
}

/* ---- handle helpers ------------------------------------------------------ */

int sockport__winsock_set_inherit(SOCKET h, int on)
{
    DWORD v = on ? HANDLE_FLAG_INHERIT : 0;
    if (!sys_sethandleinformation((HANDLE)h, HANDLE_FLAG_INHERIT, v))
        return sockport__winsock_fail_last();
    return 0;
}

int sockport__winsock_set_fionbio(SOCKET h, int on)
{
    u_long v = on ? 1 : 0;
    if (sys_ioctlsocket(h, (long)FIONBIO, &v) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

int sockport__winsock_apply_flags(SOCKET h, unsigned flags)
{
    int rc = sockport__winsock_set_inherit(h, (flags & SOCKPORT_F_INHERIT) != 0);
    if (rc == 0)
        rc = sockport__winsock_set_fionbio(h, (flags & SOCKPORT_F_NONBLOCK) != 0);
    return rc;
}

int sockport__winsock_udp_connreset(SOCKET h, int on)
{
    BOOL v = on ? TRUE : FALSE;
    DWORD got = 0;
    if (sys_wsaioctl(h, SIO_UDP_CONNRESET, &v, sizeof v, NULL, 0, &got) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

void sockport__winsock_close_quietly(SOCKET h)
{
    if (h != INVALID_SOCKET)
        (void)sys_closesocket(h);
}

ULONGLONG sockport__winsock_now(void)
{
    return sys_gettickcount64();
}

/* WSASocketW; on an old Windows that refuses WSA_FLAG_NO_HANDLE_INHERIT, once
 * more without it, *fallback set. INVALID_SOCKET with the code in *code. */
static SOCKET wsasocket(int af, int type, int proto, WSAPROTOCOL_INFOW *info, DWORD wflags,
                        int *fallback, int *code)
{
    SOCKET h = sys_wsasocketw(af, type, proto, info, 0, wflags);
    if (h != INVALID_SOCKET)
        return h;
    *code = sys_wsagetlasterror();
    if (!(wflags & WSA_FLAG_NO_HANDLE_INHERIT) || (*code != WSAEINVAL && *code != WSAEPROTOTYPE))
        return INVALID_SOCKET;
    *fallback = 1;
    h = sys_wsasocketw(af, type, proto, info, 0, wflags & ~(DWORD)WSA_FLAG_NO_HANDLE_INHERIT);
    if (h == INVALID_SOCKET)
        *code = sys_wsagetlasterror();
    return h;
}

SOCKET sockport__winsock_new_socket(int af, int type, int proto, WSAPROTOCOL_INFOW *info,
                                    unsigned flags, int *err)
{
    int inherit = (flags & SOCKPORT_F_INHERIT) != 0, fallback = 0, code = 0;
    DWORD wflags = WSA_FLAG_OVERLAPPED | (inherit ? 0 : WSA_FLAG_NO_HANDLE_INHERIT);
    if (flags & SOCKPORT_F_REGISTERED_IO)
        wflags |= WSA_FLAG_REGISTERED_IO;
    SOCKET h = wsasocket(af, type, proto, info, wflags, &fallback, &code);
    if (h == INVALID_SOCKET) {
        *err = sockport__winsock_fail(code);
        return INVALID_SOCKET;
    }
    /* Inheritable on request (said explicitly: an LSP may differ), and
     * cleared by hand where the flag was refused. */
    int rc = inherit || fallback ? sockport__winsock_set_inherit(h, inherit) : 0;
    if (rc < 0) {
        sockport__winsock_close_quietly(h);
        *err = rc;
        return INVALID_SOCKET;
    }
    return h;
}

/* ---- init, cleanup ------------------------------------------------------- */

static int ws_init(const sockport_backend *self)
{
    (void)self;
    WSADATA data;
    memset(&data, 0, sizeof data);
    int rc = sys_wsastartup(MAKEWORD(2, 2), &data);
    if (rc != 0) /* WSAStartup returns its code; WSAGetLastError is not set */
        return sockport__fail(SOCKPORT_ENOTINIT, rc);
    if (data.wVersion != MAKEWORD(2, 2)) {
        (void)sys_wsacleanup();
        return sockport__fail(SOCKPORT_ENOTINIT, WSAVERNOTSUPPORTED);
    }
    return 0;
}

static void ws_cleanup(const sockport_backend *self)
{
    (void)self;
    (void)sys_wsacleanup();
}

/* ---- open, close ----------------------------------------------------------- */

/* What a fresh socket needs besides the handle: the blocking mode, and UDP's
 * documented default (sockport.h): ICMP port-unreachable is not reported as
 * WSAECONNRESET on a later receive, so an unconnected UDP socket keeps
 * receiving as it does on POSIX. */
static int finish_open(SOCKET h, int family, int type, unsigned flags)
{
    int rc = 0;
    if (flags & SOCKPORT_F_NONBLOCK)
        rc = sockport__winsock_set_fionbio(h, 1);
    if (rc == 0 && type == SOCKPORT_SOCK_DGRAM && family != SOCKPORT_AF_UNIX)
        rc = sockport__winsock_udp_connreset(h, 0);
    return rc;
}

/* AF_UNIX with a type other than stream. Windows' AF_UNIX provider is
 * stream-only; the answer follows the order a POSIX kernel checks in: the
 * family first. So a stream socket is made (and closed) to learn whether
 * AF_UNIX exists here: SOCKPORT_EAFNOSUPPORT (WSAEAFNOSUPPORT kept) where it
 * does not (Windows before 10 1803, Wine), else SOCKPORT_ESOCKTNOSUPPORT. */
static int unix_type_unsupported(void)
{
    SOCKET h = sys_wsasocketw(AF_UNIX, SOCK_STREAM, 0, NULL, 0,
                              WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
    if (h == INVALID_SOCKET && sys_wsagetlasterror() == WSAEAFNOSUPPORT)
        return sockport__winsock_fail(WSAEAFNOSUPPORT);
    sockport__winsock_close_quietly(h);
    return sockport__fail(SOCKPORT_ESOCKTNOSUPPORT, 0);
}

static int ws_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    if (family == SOCKPORT_AF_UNIX && type != SOCKPORT_SOCK_STREAM)
        return unix_type_unsupported();
    int err = 0;
    SOCKET h =
        sockport__winsock_new_socket(sockport__winsock_af(family), sockport__winsock_type(type),
                                     sockport__winsock_proto(protocol), NULL, flags, &err);
    if (h == INVALID_SOCKET)
        return err;
    int rc = finish_open(h, family, type, flags);
    if (rc < 0) {
        sockport__winsock_close_quietly(h);
        return rc;
    }
    st(s)->sock = h;
    return 0;
}

static int ws_close(sockport_socket *s)
{
    SOCKET h = st(s)->sock;
    st(s)->sock = INVALID_SOCKET;
    if (sys_closesocket(h) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return 0;
}

/* ---- clone and blocking mode ----------------------------------------------- */

/* WSADuplicateSocketW for this process, then WSASocketW(FROM_PROTOCOL_INFO):
 * never inheritable. The core put the original's remembered blocking mode in
 * out->flags; it is applied, since FIONBIO is not reliably carried over. */
static int ws_try_clone(sockport_socket *s, sockport_socket *out)
{
    WSAPROTOCOL_INFOW info;
    memset(&info, 0, sizeof info);
    if (sys_wsaduplicatesocketw(st(s)->sock, GetCurrentProcessId(), &info) == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    int err = 0;
    SOCKET h = sockport__winsock_new_socket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                                            FROM_PROTOCOL_INFO, &info, 0, &err);
    if (h == INVALID_SOCKET)
        return err;
    int rc = sockport__winsock_set_fionbio(h, (out->flags & SOCKPORT_F_NONBLOCK) != 0);
    if (rc < 0) {
        sockport__winsock_close_quietly(h);
        return rc;
    }
    st(out)->sock = h;
    st(out)->reuseaddr = st(s)->reuseaddr; /* the same socket: the same settings */
    st(out)->udp_connreset = st(s)->udp_connreset;
    return 0;
}

static int ws_set_nonblocking(sockport_socket *s, bool on)
{
    return sockport__winsock_set_fionbio(st(s)->sock, on);
}

/* ---- native handles ------------------------------------------------------- */

/* Adopts a SOCKET: family, type and protocol from SO_PROTOCOL_INFOW (a
 * handle that is no socket: SOCKPORT_ENOTSOCK). FIONBIO cannot be read: the
 * core keeps the mode the caller declared in s->flags. The handle is left as
 * it is (inheritance, SIO_UDP_CONNRESET: Windows' default, on, is assumed). */
static int ws_adopt(sockport_socket *s, sockport_native handle, int *family, int *type,
                    int *protocol)
{
    SOCKET h = (SOCKET)handle;
    int rc = sockport__winsock_protocol_info(h, family, type, protocol);
    if (rc < 0)
        return rc;
    st(s)->sock = h;
    st(s)->udp_connreset = *type == SOCKPORT_SOCK_DGRAM && *family != SOCKPORT_AF_UNIX;
    return 0;
}

static int ws_release(sockport_socket *s, sockport_native *out)
{
    *out = (sockport_native)st(s)->sock;
    st(s)->sock = INVALID_SOCKET;
    return 0;
}

static int ws_native_handle(sockport_socket *s, sockport_native *out)
{
    *out = (sockport_native)st(s)->sock;
    return 0;
}

/* ---- the table --------------------------------------------------------- */

static const sockport_backend winsock_backend = {
    SOCKPORT_BACKEND_VERSION,           /* version: the layout written for */
    "winsock",                          /* name */
    sizeof(sockport__winsock_state),    /* socket_size */
    NULL,                               /* userdata */
    ws_init,                            /* init: WSAStartup(2.2) */
    ws_cleanup,                         /* cleanup: WSACleanup */
    ws_open,                            /* open */
    ws_close,                           /* close */
    sockport__winsock_pair,             /* pair */
    sockport__winsock_bind,             /* bind */
    sockport__winsock_listen,           /* listen */
    sockport__winsock_accept,           /* accept */
    sockport__winsock_connect,          /* connect */
    sockport__winsock_connect_timeout,  /* connect_timeout */
    sockport__winsock_local_addr,       /* local_addr */
    sockport__winsock_peer_addr,        /* peer_addr */
    ws_try_clone,                       /* try_clone */
    ws_set_nonblocking,                 /* set_nonblocking */
    sockport__winsock_shutdown,         /* shutdown */
    sockport__winsock_take_error,       /* take_error */
    sockport__winsock_send,             /* send */
    sockport__winsock_recv,             /* recv */
    sockport__winsock_set_int,          /* set_int */
    sockport__winsock_get_int,          /* get_int */
    sockport__winsock_set_timeout,      /* set_timeout */
    sockport__winsock_get_timeout,      /* get_timeout */
    sockport__winsock_option_supported, /* option_supported */
    sockport__winsock_addr_to_native,   /* addr_to_native */
    sockport__winsock_addr_from_native, /* addr_from_native */
    sockport__winsock_if_nametoindex,   /* if_nametoindex */
    sockport__winsock_sendmsg,          /* sendmsg: WSASend / WSASendMsg (msg.c) */
    sockport__winsock_recvmsg,          /* recvmsg: WSARecv / WSARecvMsg */
    sockport__winsock_sendmmsg,         /* sendmmsg: a loop */
    sockport__winsock_recvmmsg,         /* recvmmsg: a loop */
    sockport__winsock_poll,             /* poll: WSAPoll (poll.c) */
    sockport__winsock_sendfile,         /* sendfile: TransmitFile (transmit.c) */
    sockport__winsock_resolve,          /* resolve: GetAddrInfoW (resolve.c) */
    ws_adopt,                           /* adopt */
    ws_release,                         /* release */
    ws_native_handle,                   /* native_handle */
    sockport__winsock_set_str,          /* set_str: SOCKPORT_ENOTSUP (shaped.c) */
    sockport__winsock_get_str,          /* get_str: SOCKPORT_ENOTSUP */
    sockport__winsock_set_linger,       /* set_linger */
    sockport__winsock_get_linger,       /* get_linger */
    sockport__winsock_set_keepalive,    /* set_keepalive (keepalive.c) */
    sockport__winsock_multicast,        /* multicast */
    sockport__winsock_setsockopt_raw,   /* setsockopt_raw */
    sockport__winsock_getsockopt_raw,   /* getsockopt_raw */
    sockport__winsock_get_addr_opt,     /* get_addr_opt */
    sockport__winsock_set_addr_opt,     /* set_addr_opt */
    sockport__winsock_get_cookie,       /* get_cookie: SOCKPORT_ENOTSUP */
    sockport__winsock_attach_filter,    /* attach_filter: SOCKPORT_ENOTSUP */
};

const sockport_backend *sockport_backend_winsock(void)
{
    return &winsock_backend;
}

const sockport_backend *sockport_backend_posix(void)
{
    return NULL; /* not built on Windows */
}

const sockport_backend *sockport__backend_builtin(void)
{
    return &winsock_backend;
}
