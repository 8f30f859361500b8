/*
 * Private header of the WinSock backend. Never installed; tests include it as
 * "backend-winsock/winsock.h" to reach the syscall table, the error map and
 * the SOCKET behind a sockport_socket.
 *
 * Every OS call the backend makes goes through sockport__winsock_syscalls, an
 * enum-indexed table of {name, current, default} function pointers (SQLite's
 * aSyscall, the twin of src/backend-posix/posix.h): the static inline sys_*()
 * wrappers below are the only callers of connect(), WSASocketW() … in the
 * backend, so a test can replace any of them by its Windows name. The table
 * is meant for tests: replacing an entry while another thread makes that
 * call is a data race.
 *
 * Build baseline: _WIN32_WINNT 0x0600 (Vista: WSAPoll, GetTickCount64,
 * if_nametoindex). What newer Windows adds is decided at run time:
 * WSA_FLAG_NO_HANDLE_INHERIT (7 SP1; SetHandleInformation where refused),
 * AF_UNIX (10 1803; SOCKPORT_EAFNOSUPPORT where absent, a loopback pair).
 * A file that includes windows.h before this header must define
 * WIN32_LEAN_AND_MEAN and _WIN32_WINNT (>= 0x0600) first.
 */
#ifndef SOCKPORT_BACKEND_WINSOCK_H
#define SOCKPORT_BACKEND_WINSOCK_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#if _WIN32_WINNT < 0x0600
#error "the WinSock backend needs _WIN32_WINNT >= 0x0600 (define it before any Windows header)"
#endif

#include "common/internal.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <mswsock.h>
#include <afunix.h>
#include <iphlpapi.h>

/* Option names of ws2ipdef.h (Windows 10 SDK) that MinGW-w64's headers lack;
 * the running Windows decides whether it knows them. */
#define SOCKPORT__WS_TCP_KEEPIDLE  3  /* TCP_KEEPALIVE = TCP_KEEPIDLE, seconds (10 1709) */
#define SOCKPORT__WS_TCP_MAXSEG    4  /* TCP_MAXSEG */
#define SOCKPORT__WS_TCP_FASTOPEN  15 /* TCP_FASTOPEN, a BOOL (10 1607) */
#define SOCKPORT__WS_TCP_KEEPCNT   16 /* TCP_KEEPCNT (10 1703) */
#define SOCKPORT__WS_TCP_KEEPINTVL 17 /* TCP_KEEPINTVL, seconds (10 1709) */

/* The backend's per-socket state (the core allocates and zeroes it). */
typedef struct sockport__winsock_state {
    SOCKET sock;                 /* the handle; INVALID_SOCKET once closed */
    unsigned char reuseaddr;     /* portable SO_REUSEADDR: remembered, never given to WinSock */
    unsigned char udp_connreset; /* SIO_UDP_CONNRESET as last set (0 after open: off) */
    int so_error_seen;           /* SO_ERROR code already reported (connect.c) */
    ULONG ka_idle_ms;            /* keepalive idle time last set, 0: Windows' 2 h (keepalive.c) */
    ULONG ka_intvl_ms;           /* keepalive interval last set, 0: Windows' 1 s */
} sockport__winsock_state;

static inline sockport__winsock_state *sockport__winsock_st(sockport_socket *s)
{
    return (sockport__winsock_state *)sockport__state(s);
}

/* The SOCKET behind s (tests inspect it with GetHandleInformation …). */
static inline SOCKET sockport__winsock_socket(sockport_socket *s)
{
    return sockport__winsock_st(s)->sock;
}

/* ---- errors (errors.c) ---- */

/* WSAGetLastError() / GetLastError() code → SOCKPORT_E*; a pure function;
 * unknown codes (and 0) give SOCKPORT_EUNKNOWN. */
int sockport__err_from_wsa(int code);

/* The one failure helper: records code for sockport_last_os_error() and
 * returns its SOCKPORT_E* code. */
int sockport__winsock_fail(int code);

/* sockport__winsock_fail(WSAGetLastError()), the call read through the table. */
int sockport__winsock_fail_last(void);

/* ---- the syscall table (syscalls.c) ---- */

/* The generic pointer type stored in the table; cast back to the real type. */
typedef void (*sockport__winsock_fn)(void);

enum sockport__winsock_sys {
    WSYS_WSASOCKETW,
    WSYS_CLOSESOCKET,
    WSYS_BIND,
    WSYS_LISTEN,
    WSYS_ACCEPT,
    WSYS_CONNECT,
    WSYS_GETSOCKNAME,
    WSYS_GETPEERNAME,
    WSYS_IOCTLSOCKET,
    WSYS_WSAIOCTL,
    WSYS_WSAPOLL,
    WSYS_SHUTDOWN,
    WSYS_SEND,
    WSYS_SENDTO,
    WSYS_RECV,
    WSYS_RECVFROM,
    WSYS_SETSOCKOPT,
    WSYS_GETSOCKOPT,
    WSYS_WSADUPLICATESOCKETW,
    WSYS_SETHANDLEINFORMATION,
    WSYS_GETHANDLEINFORMATION,
    WSYS_WSASTARTUP,
    WSYS_WSACLEANUP,
    WSYS_WSAGETLASTERROR,
    WSYS_GETTICKCOUNT64,
    WSYS_IF_NAMETOINDEX,
    WSYS_RTLGENRANDOM, /* advapi32's SystemFunction036: the pair cookie */
    WSYS_GETTEMPPATHW, /* the AF_UNIX pair's rendezvous directory */
    WSYS_DELETEFILEW,
    /* version 2: message I/O, files, the resolver */
    WSYS_WSASEND,
    WSYS_WSASENDTO,
    WSYS_WSARECV,
    WSYS_WSARECVFROM,
    WSYS_WSASENDMSG, /* extension functions: the default looks the real one up */
    WSYS_WSARECVMSG, /* (SIO_GET_EXTENSION_FUNCTION_POINTER) and calls it */
    WSYS_TRANSMITFILE,
    WSYS_WSAGETOVERLAPPEDRESULT,
    WSYS_WSASETLASTERROR,
    WSYS_CREATEEVENTW,
    WSYS_CLOSEHANDLE,
    WSYS_READFILE,
    WSYS_GETOVERLAPPEDRESULT,
    WSYS_GETLASTERROR,
    WSYS_SLEEP,
    WSYS_GETADDRINFOW,
    WSYS_FREEADDRINFOW,
    WSYS_MULTIBYTETOWIDECHAR,
    WSYS_COUNT_
};

typedef struct sockport__winsock_syscall {
    const char *name;             /* the Windows function's name, e.g. "connect" */
    sockport__winsock_fn current; /* what the backend calls */
    sockport__winsock_fn dflt;    /* the system's function */
} sockport__winsock_syscall;

extern sockport__winsock_syscall sockport__winsock_syscalls[WSYS_COUNT_];

/* Replaces the call named `name` by fn (NULL restores the default). old, if
 * not NULL, receives the previous pointer. name NULL restores every call.
 * \return 0, or SOCKPORT_ENOENT for an unknown name (SOCKPORT_EINVAL for a
 * NULL name with a non-NULL fn). */
int sockport__winsock_syscall_set(const char *name, sockport__winsock_fn fn,
                                  sockport__winsock_fn *old);

/* \return the current pointer of the call named `name`, or NULL. */
sockport__winsock_fn sockport__winsock_syscall_get(const char *name);

/* Iterates the names: NULL gives the first, the last gives NULL; an unknown
 * name gives NULL. */
const char *sockport__winsock_syscall_next(const char *name);

/* Restores every call to the system's function. */
void sockport__winsock_syscall_reset(void);

#define SOCKPORT__WSYS(id, type) ((type)sockport__winsock_syscalls[id].current)

static inline SOCKET sys_wsasocketw(int af, int type, int proto, LPWSAPROTOCOL_INFOW info, GROUP g,
                                    DWORD flags)
{
    typedef SOCKET(WSAAPI * fn)(int, int, int, LPWSAPROTOCOL_INFOW, GROUP, DWORD);
    return SOCKPORT__WSYS(WSYS_WSASOCKETW, fn)(af, type, proto, info, g, flags);
}

static inline int sys_closesocket(SOCKET s)
{
    return SOCKPORT__WSYS(WSYS_CLOSESOCKET, int(WSAAPI *)(SOCKET))(s);
}

static inline int sys_bind(SOCKET s, const struct sockaddr *sa, int len)
{
    typedef int(WSAAPI * fn)(SOCKET, const struct sockaddr *, int);
    return SOCKPORT__WSYS(WSYS_BIND, fn)(s, sa, len);
}

static inline int sys_listen(SOCKET s, int backlog)
{
    return SOCKPORT__WSYS(WSYS_LISTEN, int(WSAAPI *)(SOCKET, int))(s, backlog);
}

static inline SOCKET sys_accept(SOCKET s, struct sockaddr *sa, int *len)
{
    typedef SOCKET(WSAAPI * fn)(SOCKET, struct sockaddr *, int *);
    return SOCKPORT__WSYS(WSYS_ACCEPT, fn)(s, sa, len);
}

static inline int sys_connect(SOCKET s, const struct sockaddr *sa, int len)
{
    typedef int(WSAAPI * fn)(SOCKET, const struct sockaddr *, int);
    return SOCKPORT__WSYS(WSYS_CONNECT, fn)(s, sa, len);
}

static inline int sys_getsockname(SOCKET s, struct sockaddr *sa, int *len)
{
    typedef int(WSAAPI * fn)(SOCKET, struct sockaddr *, int *);
    return SOCKPORT__WSYS(WSYS_GETSOCKNAME, fn)(s, sa, len);
}

static inline int sys_getpeername(SOCKET s, struct sockaddr *sa, int *len)
{
    typedef int(WSAAPI * fn)(SOCKET, struct sockaddr *, int *);
    return SOCKPORT__WSYS(WSYS_GETPEERNAME, fn)(s, sa, len);
}

static inline int sys_ioctlsocket(SOCKET s, long cmd, u_long *arg)
{
    return SOCKPORT__WSYS(WSYS_IOCTLSOCKET, int(WSAAPI *)(SOCKET, long, u_long *))(s, cmd, arg);
}

static inline int sys_wsaioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out,
                               DWORD outlen, LPDWORD got)
{
    typedef int(WSAAPI * fn)(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSAIOCTL, fn)(s, code, in, inlen, out, outlen, got, NULL, NULL);
}

static inline int sys_wsapoll(WSAPOLLFD *fds, ULONG n, INT timeout_ms)
{
    return SOCKPORT__WSYS(WSYS_WSAPOLL, int(WSAAPI *)(WSAPOLLFD *, ULONG, INT))(fds, n, timeout_ms);
}

static inline int sys_shutdown(SOCKET s, int how)
{
    return SOCKPORT__WSYS(WSYS_SHUTDOWN, int(WSAAPI *)(SOCKET, int))(s, how);
}

static inline int sys_send(SOCKET s, const char *buf, int len, int flags)
{
    typedef int(WSAAPI * fn)(SOCKET, const char *, int, int);
    return SOCKPORT__WSYS(WSYS_SEND, fn)(s, buf, len, flags);
}

static inline int sys_sendto(SOCKET s, const char *buf, int len, int flags,
                             const struct sockaddr *sa, int salen)
{
    typedef int(WSAAPI * fn)(SOCKET, const char *, int, int, const struct sockaddr *, int);
    return SOCKPORT__WSYS(WSYS_SENDTO, fn)(s, buf, len, flags, sa, salen);
}

static inline int sys_recv(SOCKET s, char *buf, int len, int flags)
{
    return SOCKPORT__WSYS(WSYS_RECV, int(WSAAPI *)(SOCKET, char *, int, int))(s, buf, len, flags);
}

static inline int sys_recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *sa,
                               int *salen)
{
    typedef int(WSAAPI * fn)(SOCKET, char *, int, int, struct sockaddr *, int *);
    return SOCKPORT__WSYS(WSYS_RECVFROM, fn)(s, buf, len, flags, sa, salen);
}

static inline int sys_setsockopt(SOCKET s, int level, int name, const char *v, int len)
{
    typedef int(WSAAPI * fn)(SOCKET, int, int, const char *, int);
    return SOCKPORT__WSYS(WSYS_SETSOCKOPT, fn)(s, level, name, v, len);
}

static inline int sys_getsockopt(SOCKET s, int level, int name, char *v, int *len)
{
    typedef int(WSAAPI * fn)(SOCKET, int, int, char *, int *);
    return SOCKPORT__WSYS(WSYS_GETSOCKOPT, fn)(s, level, name, v, len);
}

static inline int sys_wsaduplicatesocketw(SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW info)
{
    typedef int(WSAAPI * fn)(SOCKET, DWORD, LPWSAPROTOCOL_INFOW);
    return SOCKPORT__WSYS(WSYS_WSADUPLICATESOCKETW, fn)(s, pid, info);
}

static inline BOOL sys_sethandleinformation(HANDLE h, DWORD mask, DWORD flags)
{
    typedef BOOL(WINAPI * fn)(HANDLE, DWORD, DWORD);
    return SOCKPORT__WSYS(WSYS_SETHANDLEINFORMATION, fn)(h, mask, flags);
}

static inline BOOL sys_gethandleinformation(HANDLE h, LPDWORD flags)
{
    typedef BOOL(WINAPI * fn)(HANDLE, LPDWORD);
    return SOCKPORT__WSYS(WSYS_GETHANDLEINFORMATION, fn)(h, flags);
}

static inline int sys_wsastartup(WORD version, LPWSADATA data)
{
    return SOCKPORT__WSYS(WSYS_WSASTARTUP, int(WSAAPI *)(WORD, LPWSADATA))(version, data);
}

static inline int sys_wsacleanup(void)
{
    return SOCKPORT__WSYS(WSYS_WSACLEANUP, int(WSAAPI *)(void))();
}

static inline int sys_wsagetlasterror(void)
{
    return SOCKPORT__WSYS(WSYS_WSAGETLASTERROR, int(WSAAPI *)(void))();
}

static inline ULONGLONG sys_gettickcount64(void)
{
    return SOCKPORT__WSYS(WSYS_GETTICKCOUNT64, ULONGLONG(WINAPI *)(void))();
}

static inline NET_IFINDEX sys_if_nametoindex(PCSTR name)
{
    return SOCKPORT__WSYS(WSYS_IF_NAMETOINDEX, NET_IFINDEX(WINAPI *)(PCSTR))(name);
}

static inline BOOLEAN sys_rtlgenrandom(PVOID buf, ULONG len)
{
    return SOCKPORT__WSYS(WSYS_RTLGENRANDOM, BOOLEAN(WINAPI *)(PVOID, ULONG))(buf, len);
}

static inline DWORD sys_gettemppathw(DWORD room, LPWSTR buf)
{
    return SOCKPORT__WSYS(WSYS_GETTEMPPATHW, DWORD(WINAPI *)(DWORD, LPWSTR))(room, buf);
}

static inline BOOL sys_deletefilew(LPCWSTR path)
{
    return SOCKPORT__WSYS(WSYS_DELETEFILEW, BOOL(WINAPI *)(LPCWSTR))(path);
}

#include "syscalls_v2.h"

/* ---- shared helpers ---- */

/* Native AF_* / SOCK_* / IPPROTO_* for sockport's values (winsock.c). */
int sockport__winsock_af(int family);
int sockport__winsock_type(int type);
int sockport__winsock_proto(int protocol);

/* A new SOCKET: WSA_FLAG_OVERLAPPED, never inheritable unless flags has
 * SOCKPORT_F_INHERIT (WSA_FLAG_NO_HANDLE_INHERIT, or SetHandleInformation
 * where an old Windows refuses the flag), SOCKPORT_F_REGISTERED_IO honoured.
 * info != NULL duplicates (FROM_PROTOCOL_INFO). Blocking. INVALID_SOCKET with
 * the error recorded in *err. (winsock.c) */
SOCKET sockport__winsock_new_socket(int af, int type, int proto, WSAPROTOCOL_INFOW *info,
                                    unsigned flags, int *err);

/* Makes h inheritable (on != 0) or not. \return 0 or a recorded error. */
int sockport__winsock_set_inherit(SOCKET h, int on);

/* ioctlsocket(FIONBIO). \return 0 or a recorded error. */
int sockport__winsock_set_fionbio(SOCKET h, int on);

/* Applies SOCKPORT_F_INHERIT and SOCKPORT_F_NONBLOCK to a socket that
 * WinSock made (accept): both set or cleared explicitly. */
int sockport__winsock_apply_flags(SOCKET h, unsigned flags);

/* SIO_UDP_CONNRESET on or off. \return 0 or a recorded error. */
int sockport__winsock_udp_connreset(SOCKET h, int on);

/* closesocket() that keeps the thread's recorded error (cleanup paths). */
void sockport__winsock_close_quietly(SOCKET h);

/* Milliseconds now (GetTickCount64 through the table). */
ULONGLONG sockport__winsock_now(void);

/* Waits with WSAPoll for events on h until `deadline` (a
 * sockport__winsock_now() value; one check when it has passed, so 0 polls
 * once). The wait is recomputed from the time that remains and clamped to
 * 1..INT_MAX ms. \return 1 ready (revents in *revents), 0 at the deadline,
 * or a recorded SOCKPORT_E* code. (connect.c) */
int sockport__winsock_wait(SOCKET h, SHORT events, ULONGLONG deadline, SHORT *revents);

/* 1 when SOCKPORT_MSG_DONTWAIT asks for a call that must not block on a
 * socket the core remembers as blocking (io.c). */
int sockport__winsock_dontwait(sockport_socket *s, int flags);

/* One zero-timeout WSAPoll for events: 0 when the call can go ahead (ready,
 * or an error the call will report), else SOCKPORT_EAGAIN, recorded. */
int sockport__winsock_poll_now(SOCKET h, SHORT events);

/* WinSock's MSG_PEEK / MSG_OOB / MSG_WAITALL for SOCKPORT_MSG_* receive
 * flags (WAITALL dropped under DONTWAIT, as POSIX does). (io.c) */
int sockport__winsock_recv_flags(int flags, int dontwait);

/* SO_SNDBUF, what a DONTWAIT stream send is cut to; 0 when unknown. */
size_t sockport__winsock_send_room(SOCKET h);

/* Reads SO_ERROR into *code (the WSA code, 0 for none), as WinSock has it.
 * \return 0 or a recorded error. (connect.c) */
int sockport__winsock_so_error(SOCKET h, int *code);

/* Reads SO_ERROR of s and clears it, as POSIX does (see connect.c). */
int sockport__winsock_take_so_error(sockport_socket *s, int *code);

/* sockport_addr ↔ SOCKADDR_IN / _IN6 / _UN (addr_native.c). *len out: the
 * native length. */
int sockport__winsock_to_native(const sockport_addr *a, SOCKADDR_STORAGE *ss, int *len);
/* A kernel-returned address: len 0 or family AF_UNSPEC give the empty address. */
int sockport__winsock_from_native(sockport_addr *out, const void *sa, size_t len);

/* Native getsockopt/setsockopt of a 4-byte value; a WSAENOPROTOOPT (the
 * running Windows lacks the option: the core checked that it applies) is
 * SOCKPORT_ENOTSUP with the code kept. Reads accept 1, 2 or 4 bytes.
 * \return 0 or a recorded error. (options.c) */
int sockport__winsock_opt_get(SOCKET h, int level, int name, uint32_t *out);
int sockport__winsock_opt_set(SOCKET h, int level, int name, uint32_t v);

/* The portable family, type and protocol of a SOCKET, from
 * SO_PROTOCOL_INFOW (WSAENOTSOCK: SOCKPORT_ENOTSOCK). (options.c) */
int sockport__winsock_protocol_info(SOCKET h, int *family, int *type, int *protocol);

/* The failure of a native option call: WSAENOPROTOOPT → SOCKPORT_ENOTSUP. */
int sockport__winsock_opt_fail(int code);

/* TCP_KEEPIDLE / TCP_KEEPINTVL in seconds, with the SIO_KEEPALIVE_VALS
 * fallback where the running Windows lacks them; SO_KEEPALIVE on, which
 * re-applies times kept by the fallback. (keepalive.c) */
int sockport__winsock_keepalive_set_int(sockport_socket *s, int opt, int value);
int sockport__winsock_keepalive_get_int(sockport_socket *s, int opt, int *out);
int sockport__winsock_keepalive_on(sockport_socket *s, int on);

/* The slots defined outside winsock.c. */
int sockport__winsock_pair(sockport_socket *a, sockport_socket *b, int family, int type,
                           int protocol, unsigned flags);
int sockport__winsock_bind(sockport_socket *s, const sockport_addr *a);
int sockport__winsock_listen(sockport_socket *s, int backlog);
int sockport__winsock_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer,
                             unsigned flags);
int sockport__winsock_connect(sockport_socket *s, const sockport_addr *a);
int sockport__winsock_connect_timeout(sockport_socket *s, const sockport_addr *a,
                                      int64_t timeout_ms);
int sockport__winsock_local_addr(sockport_socket *s, sockport_addr *out);
int sockport__winsock_peer_addr(sockport_socket *s, sockport_addr *out);
int sockport__winsock_shutdown(sockport_socket *s, int how);
int sockport__winsock_take_error(sockport_socket *s);
ptrdiff_t sockport__winsock_send(sockport_socket *s, const void *buf, size_t len, int flags,
                                 const sockport_addr *to);
ptrdiff_t sockport__winsock_recv(sockport_socket *s, void *buf, size_t len, int flags,
                                 sockport_addr *from, int *out_flags);
int sockport__winsock_set_int(sockport_socket *s, int opt, int value);
int sockport__winsock_get_int(sockport_socket *s, int opt, int *out);
int sockport__winsock_set_timeout(sockport_socket *s, int opt, int64_t ms);
int sockport__winsock_get_timeout(sockport_socket *s, int opt, int64_t *out);
int sockport__winsock_option_supported(sockport_socket *s, int opt);
int sockport__winsock_addr_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                                     size_t *len);
int sockport__winsock_addr_from_native(const sockport_backend *self, sockport_addr *out,
                                       const void *sa, size_t len);
int sockport__winsock_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out);
/* version 2 */
ptrdiff_t sockport__winsock_sendmsg(sockport_socket *s, const sockport_msghdr *msg, int flags);
ptrdiff_t sockport__winsock_recvmsg(sockport_socket *s, sockport_msghdr *msg, int flags);
int sockport__winsock_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);
int sockport__winsock_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags);
int sockport__winsock_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n,
                           int64_t timeout_ms);
int64_t sockport__winsock_sendfile(sockport_socket *s, sockport_native file, int64_t offset,
                                   int64_t count);
int sockport__winsock_resolve(const sockport_backend *self, const char *host, const char *service,
                              const sockport_resolve_hints *hints, sockport_addr *out, size_t cap);
int sockport__winsock_set_str(sockport_socket *s, int opt, const char *value);
int sockport__winsock_get_str(sockport_socket *s, int opt, char *buf, size_t cap);
int sockport__winsock_set_linger(sockport_socket *s, bool on, int seconds);
int sockport__winsock_get_linger(sockport_socket *s, bool *on, int *seconds);
int sockport__winsock_set_keepalive(sockport_socket *s, bool on, int64_t idle_ms,
                                    int64_t interval_ms, int retries);
int sockport__winsock_multicast(sockport_socket *s, int op, const sockport_addr *group,
                                const sockport_addr *source, const sockport_addr *iface,
                                uint32_t ifindex);
int sockport__winsock_setsockopt_raw(sockport_socket *s, int level, int name, const void *value,
                                     size_t len);
int sockport__winsock_getsockopt_raw(sockport_socket *s, int level, int name, void *value,
                                     size_t *len);
int sockport__winsock_get_addr_opt(sockport_socket *s, int which, sockport_addr *out);
int sockport__winsock_set_addr_opt(sockport_socket *s, int which, const sockport_addr *a);
int sockport__winsock_get_cookie(sockport_socket *s, uint64_t *out);
int sockport__winsock_attach_filter(sockport_socket *s, const sockport_sock_filter *prog,
                                    size_t count);

/* Control messages, portable ↔ WSACMSGHDR (cmsg.c). */

/* Translates the portable control of a send into native, at most room
 * bytes. \return 0 with *used set, SOCKPORT_EINVAL (malformed),
 * SOCKPORT_ENOTSUP (a type Windows cannot send: RIGHTS, UDP_SEGMENT …),
 * SOCKPORT_ENOBUFS (room too small). */
int sockport__winsock_cmsg_out(sockport_socket *s, const void *control, size_t len, void *native,
                               size_t room, size_t *used);

/* Translates received native control messages into the portable layout, at
 * most room bytes; unknown ones are dropped. *truncated is set when one did
 * not fit. \return the bytes written. */
size_t sockport__winsock_cmsg_in(const void *native, size_t len, void *control, size_t room,
                                 int *truncated);

#endif /* SOCKPORT_BACKEND_WINSOCK_H */
