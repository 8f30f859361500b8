/*
 * The WinSock backend's one table of OS calls (SQLite's aSyscall, the twin of
 * src/backend-posix/syscalls.c). The rest of the backend calls the system only
 * through the sys_*() wrappers of winsock.h, which read `current`; tests swap
 * entries by their Windows names to inject faults (WSAECONNREFUSED from
 * connect, a failing WSAStartup, a 1-byte getsockopt …) without a network.
 */
#include "winsock.h"

#include <ntsecapi.h> /* RtlGenRandom = advapi32's SystemFunction036 */
#include <stdatomic.h>
#include <string.h>

/* ---- extension functions ---------------------------------------------------- */

/* Looked up once, cached; a failed lookup is not cached (tried again). */
static _Atomic(sockport__winsock_fn) ext_cache[WEXT_COUNT_];

sockport__winsock_fn sockport__winsock_ext(SOCKET h, int which)
{
    static const GUID ids[WEXT_COUNT_] = {
        [WEXT_WSASENDMSG] = WSAID_WSASENDMSG,
        [WEXT_WSARECVMSG] = WSAID_WSARECVMSG,
        [WEXT_TRANSMITFILE] = WSAID_TRANSMITFILE,
    };
    sockport__winsock_fn fn = atomic_load_explicit(&ext_cache[which], memory_order_acquire);
    if (fn != NULL)
        return fn;
    GUID id = ids[which];
    DWORD got = 0;
    if (sys_wsaioctl(h, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof id, &fn, sizeof fn, &got) ==
            SOCKET_ERROR ||
        got != sizeof fn || fn == NULL)
        return NULL;
    atomic_store_explicit(&ext_cache[which], fn, memory_order_release);
    return fn;
}

void sockport__winsock_ext_reset(void)
{
    for (int i = 0; i < WEXT_COUNT_; i++)
        atomic_store_explicit(&ext_cache[i], NULL, memory_order_release);
}

/* The table's defaults for the extension functions. */
static int WSAAPI ext_wsasendmsg(SOCKET s, LPWSAMSG m, DWORD flags, LPDWORD sent,
                                 LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    typedef int(WSAAPI * fn_t)(SOCKET, LPWSAMSG, DWORD, LPDWORD, LPWSAOVERLAPPED,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    fn_t fn = (fn_t)sockport__winsock_ext(s, WEXT_WSASENDMSG);
    if (fn != NULL)
        return fn(s, m, flags, sent, ov, cr);
    sys_wsasetlasterror(WSAEOPNOTSUPP);
    return SOCKET_ERROR;
}

static int WSAAPI ext_wsarecvmsg(SOCKET s, LPWSAMSG m, LPDWORD got, LPWSAOVERLAPPED ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    LPFN_WSARECVMSG fn = (LPFN_WSARECVMSG)sockport__winsock_ext(s, WEXT_WSARECVMSG);
    if (fn != NULL)
        return fn(s, m, got, ov, cr);
    sys_wsasetlasterror(WSAEOPNOTSUPP);
    return SOCKET_ERROR;
}

static BOOL PASCAL ext_transmitfile(SOCKET s, HANDLE f, DWORD n, DWORD per_send, LPOVERLAPPED ov,
                                    LPTRANSMIT_FILE_BUFFERS bufs, DWORD flags)
{
    LPFN_TRANSMITFILE fn = (LPFN_TRANSMITFILE)sockport__winsock_ext(s, WEXT_TRANSMITFILE);
    if (fn != NULL)
        return fn(s, f, n, per_send, ov, bufs, flags);
    sys_wsasetlasterror(WSAEOPNOTSUPP);
    return FALSE;
}

/* ---- the table ---------------------------------------------------------------- */

#define ENTRY(id, name, fn) [id] = {name, (sockport__winsock_fn)(fn), (sockport__winsock_fn)(fn)}

sockport__winsock_syscall sockport__winsock_syscalls[WSYS_COUNT_] = {
    ENTRY(WSYS_WSASOCKETW, "WSASocketW", WSASocketW),
    ENTRY(WSYS_CLOSESOCKET, "closesocket", closesocket),
    ENTRY(WSYS_BIND, "bind", bind),
    ENTRY(WSYS_LISTEN, "listen", listen),
    ENTRY(WSYS_ACCEPT, "accept", accept),
    ENTRY(WSYS_CONNECT, "connect", connect),
    ENTRY(WSYS_GETSOCKNAME, "getsockname", getsockname),
    ENTRY(WSYS_GETPEERNAME, "getpeername", getpeername),
    ENTRY(WSYS_IOCTLSOCKET, "ioctlsocket", ioctlsocket),
    ENTRY(WSYS_WSAIOCTL, "WSAIoctl", WSAIoctl),
    ENTRY(WSYS_WSAPOLL, "WSAPoll", WSAPoll),
    ENTRY(WSYS_SHUTDOWN, "shutdown", shutdown),
    ENTRY(WSYS_SEND, "send", send),
    ENTRY(WSYS_SENDTO, "sendto", sendto),
    ENTRY(WSYS_RECV, "recv", recv),
    ENTRY(WSYS_RECVFROM, "recvfrom", recvfrom),
    ENTRY(WSYS_SETSOCKOPT, "setsockopt", setsockopt),
    ENTRY(WSYS_GETSOCKOPT, "getsockopt", getsockopt),
    ENTRY(WSYS_WSADUPLICATESOCKETW, "WSADuplicateSocketW", WSADuplicateSocketW),
    ENTRY(WSYS_SETHANDLEINFORMATION, "SetHandleInformation", SetHandleInformation),
    ENTRY(WSYS_GETHANDLEINFORMATION, "GetHandleInformation", GetHandleInformation),
    ENTRY(WSYS_WSASTARTUP, "WSAStartup", WSAStartup),
    ENTRY(WSYS_WSACLEANUP, "WSACleanup", WSACleanup),
    ENTRY(WSYS_WSAGETLASTERROR, "WSAGetLastError", WSAGetLastError),
    ENTRY(WSYS_GETTICKCOUNT64, "GetTickCount64", GetTickCount64),
    ENTRY(WSYS_IF_NAMETOINDEX, "if_nametoindex", if_nametoindex),
    ENTRY(WSYS_RTLGENRANDOM, "RtlGenRandom", RtlGenRandom),
    ENTRY(WSYS_GETTEMPPATHW, "GetTempPathW", GetTempPathW),
    ENTRY(WSYS_DELETEFILEW, "DeleteFileW", DeleteFileW),
    ENTRY(WSYS_WSASEND, "WSASend", WSASend),
    ENTRY(WSYS_WSASENDTO, "WSASendTo", WSASendTo),
    ENTRY(WSYS_WSARECV, "WSARecv", WSARecv),
    ENTRY(WSYS_WSARECVFROM, "WSARecvFrom", WSARecvFrom),
    ENTRY(WSYS_WSASENDMSG, "WSASendMsg", ext_wsasendmsg),
    ENTRY(WSYS_WSARECVMSG, "WSARecvMsg", ext_wsarecvmsg),
    ENTRY(WSYS_TRANSMITFILE, "TransmitFile", ext_transmitfile),
    ENTRY(WSYS_WSAGETOVERLAPPEDRESULT, "WSAGetOverlappedResult", WSAGetOverlappedResult),
    ENTRY(WSYS_WSASETLASTERROR, "WSASetLastError", WSASetLastError),
    ENTRY(WSYS_CREATEEVENTW, "CreateEventW", CreateEventW),
    ENTRY(WSYS_CLOSEHANDLE, "CloseHandle", CloseHandle),
    ENTRY(WSYS_READFILE, "ReadFile", ReadFile),
    ENTRY(WSYS_GETOVERLAPPEDRESULT, "GetOverlappedResult", GetOverlappedResult),
    ENTRY(WSYS_GETLASTERROR, "GetLastError", GetLastError),
    ENTRY(WSYS_SLEEP, "Sleep", Sleep),
    ENTRY(WSYS_GETADDRINFOW, "GetAddrInfoW", GetAddrInfoW),
    ENTRY(WSYS_FREEADDRINFOW, "FreeAddrInfoW", FreeAddrInfoW),
    ENTRY(WSYS_MULTIBYTETOWIDECHAR, "MultiByteToWideChar", MultiByteToWideChar),
};

#undef ENTRY

static sockport__winsock_syscall *find(const char *name)
{
    for (size_t i = 0; i < WSYS_COUNT_; i++) {
        if (strcmp(sockport__winsock_syscalls[i].name, name) == 0)
            return &sockport__winsock_syscalls[i];
    }
    return NULL;
}

void sockport__winsock_syscall_reset(void)
{
    for (size_t i = 0; i < WSYS_COUNT_; i++)
        sockport__winsock_syscalls[i].current = sockport__winsock_syscalls[i].dflt;
}

int sockport__winsock_syscall_set(const char *name, sockport__winsock_fn fn,
                                  sockport__winsock_fn *old)
{
    if (name == NULL) {
        if (fn != NULL)
            return SOCKPORT__EINVAL();
        sockport__winsock_syscall_reset();
        return 0;
    }
    sockport__winsock_syscall *e = find(name);
    if (e == NULL)
        return sockport__fail(SOCKPORT_ENOENT, 0);
    if (old != NULL)
        *old = e->current;
    e->current = fn != NULL ? fn : e->dflt;
    return 0;
}

sockport__winsock_fn sockport__winsock_syscall_get(const char *name)
{
    const sockport__winsock_syscall *e = name != NULL ? find(name) : NULL;
    return e != NULL ? e->current : NULL;
}

const char *sockport__winsock_syscall_next(const char *name)
{
    if (name == NULL)
        return sockport__winsock_syscalls[0].name;
    const sockport__winsock_syscall *e = find(name);
    if (e == NULL || e == &sockport__winsock_syscalls[WSYS_COUNT_ - 1])
        return NULL;
    return e[1].name;
}
