/*
 * Torture layer "winsock": the twin of layer_posix.c for the WinSock
 * backend's syscall table (src/backend-winsock/syscalls.c). A failing call
 * sets the thread's last error (which the backend reads back through the
 * table's WSAGetLastError) and returns the function's failure value; it does
 * nothing else, except closesocket(), which releases the handle first.
 *
 * Variants, per k: 0 the call's natural error once, 1 the same persistent,
 * 2 an alternative error once: WSAEINVAL from WSASocketW reaches the
 * fallback for Windows that refuse WSA_FLAG_NO_HANDLE_INHERIT; a refused or
 * reset connection inside sockport_pair's loopback emulation reaches its
 * retry with a fresh listener. There is no EINTR on Windows.
 *
 * Not wrapped: WSAStartup/WSACleanup (once per process, before counting),
 * WSAGetLastError (how failures are read), GetTickCount64 (cannot fail),
 * if_nametoindex (no scenario resolves a zone).
 */
#include "torture.h"

#include "backend-winsock/winsock.h"

#include <stdio.h>
#include <string.h>

/* clang-format off */
/* name (as in the table), C function, return type, failure value, natural
 * error, alternative error (0: none), parameters, arguments */
#define WINSOCK_CALLS(X)                                                                            \
    X("WSASocketW", WSASocketW, SOCKET, INVALID_SOCKET, WSAEMFILE, WSAEINVAL,                       \
      (int af, int t, int p, LPWSAPROTOCOL_INFOW i, GROUP g, DWORD f), (af, t, p, i, g, f))         \
    X("closesocket", closesocket, int, SOCKET_ERROR, WSAENETDOWN, 0, (SOCKET s), (s))               \
    X("bind", bind, int, SOCKET_ERROR, WSAEADDRINUSE, WSAEACCES,                                    \
      (SOCKET s, const struct sockaddr *a, int l), (s, a, l))                                       \
    X("listen", listen, int, SOCKET_ERROR, WSAEADDRINUSE, WSAENOBUFS, (SOCKET s, int b), (s, b))    \
    X("accept", accept, SOCKET, INVALID_SOCKET, WSAECONNRESET, WSAEMFILE,                           \
      (SOCKET s, struct sockaddr *a, int *l), (s, a, l))                                            \
    X("connect", connect, int, SOCKET_ERROR, WSAECONNREFUSED, WSAETIMEDOUT,                         \
      (SOCKET s, const struct sockaddr *a, int l), (s, a, l))                                       \
    X("getsockname", getsockname, int, SOCKET_ERROR, WSAENOBUFS, 0,                                 \
      (SOCKET s, struct sockaddr *a, int *l), (s, a, l))                                            \
    X("getpeername", getpeername, int, SOCKET_ERROR, WSAENOTCONN, WSAENOBUFS,                       \
      (SOCKET s, struct sockaddr *a, int *l), (s, a, l))                                            \
    X("ioctlsocket", ioctlsocket, int, SOCKET_ERROR, WSAENETDOWN, 0,                                \
      (SOCKET s, long c, u_long *v), (s, c, v))                                                     \
    X("WSAIoctl", WSAIoctl, int, SOCKET_ERROR, WSAEOPNOTSUPP, WSAENOBUFS,                           \
      (SOCKET s, DWORD c, LPVOID i, DWORD il, LPVOID o, DWORD ol, LPDWORD got,                      \
       LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                  \
      (s, c, i, il, o, ol, got, ov, cr))                                                            \
    X("WSAPoll", WSAPoll, int, SOCKET_ERROR, WSAENOBUFS, 0, (WSAPOLLFD *f, ULONG n, INT ms),        \
      (f, n, ms))                                                                                   \
    X("shutdown", shutdown, int, SOCKET_ERROR, WSAENOTCONN, 0, (SOCKET s, int h), (s, h))           \
    X("send", send, int, SOCKET_ERROR, WSAECONNRESET, WSAENOBUFS,                                   \
      (SOCKET s, const char *b, int n, int f), (s, b, n, f))                                        \
    X("sendto", sendto, int, SOCKET_ERROR, WSAENETUNREACH, WSAENOBUFS,                              \
      (SOCKET s, const char *b, int n, int f, const struct sockaddr *a, int l),                     \
      (s, b, n, f, a, l))                                                                           \
    X("recv", recv, int, SOCKET_ERROR, WSAECONNRESET, WSAENETRESET,                                 \
      (SOCKET s, char *b, int n, int f), (s, b, n, f))                                              \
    X("recvfrom", recvfrom, int, SOCKET_ERROR, WSAECONNRESET, WSAENETRESET,                         \
      (SOCKET s, char *b, int n, int f, struct sockaddr *a, int *l), (s, b, n, f, a, l))            \
    X("setsockopt", setsockopt, int, SOCKET_ERROR, WSAENOPROTOOPT, WSAEINVAL,                       \
      (SOCKET s, int lv, int nm, const char *v, int l), (s, lv, nm, v, l))                          \
    X("getsockopt", getsockopt, int, SOCKET_ERROR, WSAENOPROTOOPT, 0,                               \
      (SOCKET s, int lv, int nm, char *v, int *l), (s, lv, nm, v, l))                               \
    X("WSADuplicateSocketW", WSADuplicateSocketW, int, SOCKET_ERROR, WSAEMFILE, 0,                  \
      (SOCKET s, DWORD pid, LPWSAPROTOCOL_INFOW i), (s, pid, i))                                    \
    X("SetHandleInformation", SetHandleInformation, BOOL, FALSE, ERROR_ACCESS_DENIED, 0,            \
      (HANDLE h, DWORD m, DWORD f), (h, m, f))                                                      \
    X("GetHandleInformation", GetHandleInformation, BOOL, FALSE, ERROR_INVALID_HANDLE, 0,           \
      (HANDLE h, LPDWORD f), (h, f))                                                                \
    X("RtlGenRandom", RtlGenRandom, BOOLEAN, FALSE, ERROR_NOT_ENOUGH_MEMORY, 0,                     \
      (PVOID b, ULONG n), (b, n))                                                                   \
    X("GetTempPathW", GetTempPathW, DWORD, 0, ERROR_PATH_NOT_FOUND, 0, (DWORD n, LPWSTR b), (n, b)) \
    X("DeleteFileW", DeleteFileW, BOOL, FALSE, ERROR_ACCESS_DENIED, 0, (LPCWSTR p), (p))          \
    X("WSASend", WSASend, int, SOCKET_ERROR, WSAECONNRESET, WSAENOBUFS,                             \
      (SOCKET s, LPWSABUF b, DWORD n, LPDWORD sent, DWORD f, LPWSAOVERLAPPED ov,                    \
       LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                                      \
      (s, b, n, sent, f, ov, cr))                                                                   \
    X("WSASendTo", WSASendTo, int, SOCKET_ERROR, WSAENETUNREACH, WSAENOBUFS,                        \
      (SOCKET s, LPWSABUF b, DWORD n, LPDWORD sent, DWORD f, const struct sockaddr *a, int l,       \
       LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                  \
      (s, b, n, sent, f, a, l, ov, cr))                                                             \
    X("WSARecv", WSARecv, int, SOCKET_ERROR, WSAECONNRESET, WSAENETRESET,                           \
      (SOCKET s, LPWSABUF b, DWORD n, LPDWORD got, LPDWORD f, LPWSAOVERLAPPED ov,                   \
       LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                                      \
      (s, b, n, got, f, ov, cr))                                                                    \
    X("WSARecvFrom", WSARecvFrom, int, SOCKET_ERROR, WSAECONNRESET, WSAENETRESET,                   \
      (SOCKET s, LPWSABUF b, DWORD n, LPDWORD got, LPDWORD f, struct sockaddr *a, LPINT l,          \
       LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                  \
      (s, b, n, got, f, a, l, ov, cr))                                                              \
    X("WSASendMsg", WSASendMsg, int, SOCKET_ERROR, WSAENETUNREACH, WSAENOBUFS,                      \
      (SOCKET s, LPWSAMSG m, DWORD f, LPDWORD sent, LPWSAOVERLAPPED ov,                             \
       LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                                      \
      (s, m, f, sent, ov, cr))                                                                      \
    X("WSARecvMsg", WSARecvMsg, int, SOCKET_ERROR, WSAECONNRESET, WSAENETRESET,                     \
      (SOCKET s, LPWSAMSG m, LPDWORD got, LPWSAOVERLAPPED ov,                                       \
       LPWSAOVERLAPPED_COMPLETION_ROUTINE cr),                                                      \
      (s, m, got, ov, cr))
/* clang-format on */

#define CALL_ID(text, name, ...) C_##name,
enum { WINSOCK_CALLS(CALL_ID) NCALLS };

#define CALL_NAME(text, ...) text,
static const char *const names[NCALLS] = {WINSOCK_CALLS(CALL_NAME)};

#define CALL_ERRS(text, name, ret, failv, nat, alt, ...) {nat, alt},
static const int errs[NCALLS][2] = {WINSOCK_CALLS(CALL_ERRS)};

#define TRACE_MAX 4096

static sockport__winsock_fn real[NCALLS];
static uint64_t calls, injected_n;
static int counting;
static const char *trace[TRACE_MAX];
static plan armed;
static int armed_on;

static int decide(int id)
{
    uint64_t n = ++calls;
    if (counting && n <= TRACE_MAX)
        trace[n - 1] = names[id];
    if (!armed_on || n < armed.k || (n > armed.k && !armed.persistent))
        return 0;
    injected_n++;
    return armed.error;
}

#define SHIM(text, name, ret, failv, nat, alt, params, args)                                       \
    static ret WINAPI shim_##name params                                                           \
    {                                                                                              \
        typedef ret(WINAPI *fn_t) params;                                                          \
        int e = decide(C_##name);                                                                  \
        if (e == 0)                                                                                \
            return ((fn_t)real[C_##name])args;                                                     \
        if (C_##name == C_closesocket)                                                             \
            (void)((fn_t)real[C_##name])args;                                                      \
        WSASetLastError(e);                                                                        \
        return (ret)(failv);                                                                       \
    }
WINSOCK_CALLS(SHIM)

#define SHIM_FN(text, name, ...) (sockport__winsock_fn) shim_##name,
static const sockport__winsock_fn shims[NCALLS] = {WINSOCK_CALLS(SHIM_FN)};

static int id_of(const char *name)
{
    for (int i = 0; i < NCALLS; i++)
        if (name != NULL && strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static int w_setup(void)
{
    for (int i = 0; i < NCALLS; i++) {
        if (sockport__winsock_syscall_get(names[i]) == NULL)
            continue; /* not in this version of the table: never called */
        if (sockport__winsock_syscall_set(names[i], shims[i], &real[i]) != 0)
            return -1;
    }
    for (const char *n = sockport__winsock_syscall_next(NULL); n != NULL;
         n = sockport__winsock_syscall_next(n)) {
        if (id_of(n) < 0)
            printf("note: the syscall table's \"%s\" is not wrapped (no fault injected there)\n",
                   n);
    }
    return 0;
}

static void w_count_begin(void)
{
    calls = 0;
    counting = 1;
}

static uint64_t w_count_end(void)
{
    counting = 0;
    return calls;
}

static int w_plan(uint64_t k, int v, plan *p)
{
    int id = id_of(k <= TRACE_MAX ? trace[k - 1] : NULL);
    if (id < 0)
        return 1;
    p->k = k;
    p->variant = v;
    p->at = names[id];
    p->persistent = v == 1;
    p->error = errs[id][v <= 1 ? 0 : 1];
    return p->error == 0;
}

static void w_arm(const plan *p)
{
    calls = 0;
    injected_n = 0;
    armed = *p;
    armed_on = 1;
}

static uint64_t w_injected(void)
{
    return injected_n;
}

static void w_disarm(void)
{
    armed_on = 0;
}

/* The portable code the backend reports for the injected error: its map,
 * and for an option call the documented rewrite of WSAENOPROTOOPT (an
 * option this Windows does not know) to SOCKPORT_ENOTSUP (options.c). */
static int reported(const plan *p, long long rc)
{
    return rc == sockport__err_from_wsa(p->error) ||
           (p->error == WSAENOPROTOOPT && rc == SOCKPORT_ENOTSUP);
}

static int w_allowed(const plan *p, uint64_t injected, long long rc, int absorbed)
{
    (void)absorbed;
    if (injected == 0)
        return rc == 0;
    return rc == 0 || reported(p, rc);
}

static int w_close_ok(const plan *p, long long rc)
{
    return rc == 0 || reported(p, rc);
}

/* WSADuplicateSocketW reserves a duplicate for the WSASocketW that follows;
 * when that WSASocketW fails, no API releases it (Wine keeps a handle). */
static const char *w_known_leak(const plan *p)
{
    if (p->k >= 2 && p->k <= TRACE_MAX && strcmp(names[C_WSASocketW], p->at) == 0 &&
        trace[p->k - 2] != NULL && strcmp(trace[p->k - 2], "WSADuplicateSocketW") == 0)
        return "WSASocketW(FROM_PROTOCOL_INFO) failed: the duplicate WSADuplicateSocketW "
               "reserved stays open (no API releases it)";
    return NULL;
}

static void w_describe(const plan *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "OS call %llu fails with %d%s", (unsigned long long)p->k, p->error,
             p->persistent ? ", and every later one" : " once");
}

const layer t_layer_winsock = {
    .name = "winsock",
    .setup = w_setup,
    .count_begin = w_count_begin,
    .count_end = w_count_end,
    .nvariants = 3,
    .plan_for = w_plan,
    .arm = w_arm,
    .injected = w_injected,
    .disarm = w_disarm,
    .allowed = w_allowed,
    .close_ok = w_close_ok,
    .known_leak = w_known_leak,
    .describe = w_describe,
};
