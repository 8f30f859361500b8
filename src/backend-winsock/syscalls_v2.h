/*
 * The OS calls of the version-2 slots (message I/O, TransmitFile, the
 * resolver): typed wrappers over sockport__winsock_syscalls, as in
 * winsock.h, which includes this file after the table's declaration.
 *
 * WSASendMsg, WSARecvMsg and TransmitFile are extension functions: their
 * table entries default to trampolines (syscalls.c) that look the real
 * function up once with SIO_GET_EXTENSION_FUNCTION_POINTER (through the
 * table's WSAIoctl), cache it thread-safely, and call it. Where the lookup
 * fails the trampoline answers WSAEOPNOTSUPP.
 */
#ifndef SOCKPORT_BACKEND_WINSOCK_SYSCALLS_V2_H
#define SOCKPORT_BACKEND_WINSOCK_SYSCALLS_V2_H

/* Extension functions sockport looks up. */
enum sockport__winsock_ext_id { WEXT_WSASENDMSG, WEXT_WSARECVMSG, WEXT_TRANSMITFILE, WEXT_COUNT_ };

/* The extension function `which`, looked up through h on first use and
 * cached; NULL where the provider lacks it (nothing recorded). */
sockport__winsock_fn sockport__winsock_ext(SOCKET h, int which);

/* Forgets the cached extension functions (tests). */
void sockport__winsock_ext_reset(void);

static inline int sys_wsasend(SOCKET s, WSABUF *bufs, DWORD n, DWORD *sent, DWORD flags)
{
    typedef int(WSAAPI * fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSASEND, fn)(s, bufs, n, sent, flags, NULL, NULL);
}

static inline int sys_wsasendto(SOCKET s, WSABUF *bufs, DWORD n, DWORD *sent, DWORD flags,
                                const struct sockaddr *to, int tolen)
{
    typedef int(WSAAPI * fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const struct sockaddr *, int,
                             LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSASENDTO, fn)(s, bufs, n, sent, flags, to, tolen, NULL, NULL);
}

static inline int sys_wsarecv(SOCKET s, WSABUF *bufs, DWORD n, DWORD *got, DWORD *flags)
{
    typedef int(WSAAPI * fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSARECV, fn)(s, bufs, n, got, flags, NULL, NULL);
}

static inline int sys_wsarecvfrom(SOCKET s, WSABUF *bufs, DWORD n, DWORD *got, DWORD *flags,
                                  struct sockaddr *from, int *fromlen)
{
    typedef int(WSAAPI * fn)(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, struct sockaddr *, LPINT,
                             LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSARECVFROM, fn)(s, bufs, n, got, flags, from, fromlen, NULL, NULL);
}

static inline int sys_wsasendmsg(SOCKET s, WSAMSG *msg, DWORD flags, DWORD *sent)
{
    typedef int(WSAAPI * fn)(SOCKET, LPWSAMSG, DWORD, LPDWORD, LPWSAOVERLAPPED,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSASENDMSG, fn)(s, msg, flags, sent, NULL, NULL);
}

static inline int sys_wsarecvmsg(SOCKET s, WSAMSG *msg, DWORD *got)
{
    typedef int(WSAAPI * fn)(SOCKET, LPWSAMSG, LPDWORD, LPWSAOVERLAPPED,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    return SOCKPORT__WSYS(WSYS_WSARECVMSG, fn)(s, msg, got, NULL, NULL);
}

static inline BOOL sys_transmitfile(SOCKET s, HANDLE file, DWORD n, OVERLAPPED *ov)
{
    typedef BOOL(PASCAL * fn)(SOCKET, HANDLE, DWORD, DWORD, LPOVERLAPPED, LPTRANSMIT_FILE_BUFFERS,
                              DWORD);
    return SOCKPORT__WSYS(WSYS_TRANSMITFILE, fn)(s, file, n, 0, ov, NULL, 0);
}

static inline BOOL sys_wsagetoverlappedresult(SOCKET s, WSAOVERLAPPED *ov, DWORD *n, BOOL wait,
                                              DWORD *flags)
{
    typedef BOOL(WSAAPI * fn)(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD);
    return SOCKPORT__WSYS(WSYS_WSAGETOVERLAPPEDRESULT, fn)(s, ov, n, wait, flags);
}

static inline void sys_wsasetlasterror(int code)
{
    SOCKPORT__WSYS(WSYS_WSASETLASTERROR, void(WSAAPI *)(int))(code);
}

static inline HANDLE sys_createeventw(BOOL manual, BOOL initial)
{
    typedef HANDLE(WINAPI * fn)(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR);
    return SOCKPORT__WSYS(WSYS_CREATEEVENTW, fn)(NULL, manual, initial, NULL);
}

static inline BOOL sys_closehandle(HANDLE h)
{
    return SOCKPORT__WSYS(WSYS_CLOSEHANDLE, BOOL(WINAPI *)(HANDLE))(h);
}

static inline BOOL sys_readfile(HANDLE h, void *buf, DWORD n, DWORD *got, OVERLAPPED *ov)
{
    typedef BOOL(WINAPI * fn)(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED);
    return SOCKPORT__WSYS(WSYS_READFILE, fn)(h, buf, n, got, ov);
}

static inline BOOL sys_getoverlappedresult(HANDLE h, OVERLAPPED *ov, DWORD *n, BOOL wait)
{
    typedef BOOL(WINAPI * fn)(HANDLE, LPOVERLAPPED, LPDWORD, BOOL);
    return SOCKPORT__WSYS(WSYS_GETOVERLAPPEDRESULT, fn)(h, ov, n, wait);
}

static inline DWORD sys_getlasterror(void)
{
    return SOCKPORT__WSYS(WSYS_GETLASTERROR, DWORD(WINAPI *)(void))();
}

static inline void sys_sleep(DWORD ms)
{
    SOCKPORT__WSYS(WSYS_SLEEP, void(WINAPI *)(DWORD))(ms);
}

static inline INT sys_getaddrinfow(PCWSTR host, PCWSTR service, const ADDRINFOW *hints,
                                   PADDRINFOW *res)
{
    typedef INT(WSAAPI * fn)(PCWSTR, PCWSTR, const ADDRINFOW *, PADDRINFOW *);
    return SOCKPORT__WSYS(WSYS_GETADDRINFOW, fn)(host, service, hints, res);
}

static inline void sys_freeaddrinfow(PADDRINFOW res)
{
    SOCKPORT__WSYS(WSYS_FREEADDRINFOW, void(WSAAPI *)(PADDRINFOW))(res);
}

static inline int sys_multibytetowidechar(const char *in, int inlen, WCHAR *out, int room)
{
    typedef int(WINAPI * fn)(UINT, DWORD, LPCCH, int, LPWSTR, int);
    return SOCKPORT__WSYS(WSYS_MULTIBYTETOWIDECHAR, fn)(CP_UTF8, MB_ERR_INVALID_CHARS, in, inlen,
                                                        out, room);
}

#endif /* SOCKPORT_BACKEND_WINSOCK_SYSCALLS_V2_H */
