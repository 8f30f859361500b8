/*
 * sockport_sendfile: TransmitFile on a blocking socket, a ReadFile + send
 * loop otherwise.
 *
 * TransmitFile (an extension function, looked up through the syscall table)
 * sends from the offset given in an OVERLAPPED, so the caller's file pointer
 * is never used, as Linux's sendfile with an offset leaves it alone. Every
 * sockport socket is overlapped, so the call may pend: it is waited for with
 * WSAGetOverlappedResult on an event of its own, whose low bit is set so
 * that no completion reaches an I/O completion port the caller associated
 * with the socket. One call takes at most 2^31 - 2 bytes (TransmitFile's
 * limit): a larger count gives a short one.
 *
 * A non-blocking socket would have TransmitFile wait anyway, so it uses the
 * loop, which stops at the first short send (SOCKPORT_EAGAIN when nothing
 * went). So does a provider without TransmitFile (WSAEOPNOTSUPP from the
 * table's trampoline). The loop reads at explicit offsets too (ReadFile with
 * an OVERLAPPED; a synchronous file handle does move its pointer there).
 */
#include "winsock.h"

#include <string.h>

#define TRANSMIT_MAX 2147483646u /* bytes one TransmitFile call takes */
#define CHUNK        32768u      /* the loop's stack buffer */

static void set_offset(OVERLAPPED *ov, int64_t offset)
{
    memset(ov, 0, sizeof *ov);
    ov->Offset = (DWORD)((uint64_t)offset & 0xffffffffu);
    ov->OffsetHigh = (DWORD)((uint64_t)offset >> 32);
}

/* TransmitFile and its wait. \return bytes sent, a recorded error, or 1 in
 * *absent (nothing sent) when the provider has no TransmitFile. */
static int64_t transmit(SOCKET h, HANDLE file, int64_t offset, DWORD n, int *absent)
{
    OVERLAPPED ov;
    DWORD sent = 0, flags = 0;
    set_offset(&ov, offset);
    HANDLE ev = sys_createeventw(TRUE, FALSE);
    if (ev == NULL)
        return sockport__winsock_fail((int)sys_getlasterror());
    ov.hEvent = (HANDLE)((uintptr_t)ev | 1); /* low bit: no IOCP completion */
    int code = 0;
    if (!sys_transmitfile(h, file, n, &ov) && (code = sys_wsagetlasterror()) != WSA_IO_PENDING) {
        (void)sys_closehandle(ev);
        *absent = code == WSAEOPNOTSUPP;
        return *absent ? 0 : sockport__winsock_fail(code);
    }
    BOOL ok = sys_wsagetoverlappedresult(h, &ov, &sent, TRUE, &flags);
    code = ok ? 0 : sys_wsagetlasterror();
    (void)sys_closehandle(ev);
    return ok ? (int64_t)sent : sockport__winsock_fail(code);
}

/* ReadFile at offset; an overlapped file handle is waited for. \return bytes
 * read (0 at end of file) or a recorded error. */
static int64_t read_at(HANDLE file, int64_t offset, char *buf, DWORD n)
{
    OVERLAPPED ov;
    DWORD got = 0;
    set_offset(&ov, offset);
    if (sys_readfile(file, buf, n, &got, &ov))
        return (int64_t)got;
    DWORD code = sys_getlasterror();
    if (code == ERROR_IO_PENDING && sys_getoverlappedresult(file, &ov, &got, TRUE))
        return (int64_t)got;
    if (code == ERROR_IO_PENDING)
        code = sys_getlasterror();
    return code == ERROR_HANDLE_EOF ? 0 : sockport__winsock_fail((int)code);
}

/* Reads and sends chunk by chunk; stops at end of file or a short send. */
static int64_t copy_loop(sockport_socket *s, HANDLE file, int64_t offset, int64_t count)
{
    char buf[CHUNK];
    int64_t total = 0;
    while (total < count) {
        DWORD want = count - total < (int64_t)CHUNK ? (DWORD)(count - total) : CHUNK;
        int64_t got = read_at(file, offset + total, buf, want);
        if (got <= 0)
            return total > 0 ? total : got;
        ptrdiff_t sent = sockport__winsock_send(s, buf, (size_t)got, 0, NULL);
        if (sent < 0)
            return total > 0 ? total : (int64_t)sent;
        total += sent;
        if (sent < got)
            break; /* non-blocking: the rest later, from offset + total */
    }
    return total;
}

int64_t sockport__winsock_sendfile(sockport_socket *s, sockport_native file, int64_t offset,
                                   int64_t count)
{
    HANDLE f = (HANDLE)file;
    DWORD n = count > (int64_t)TRANSMIT_MAX ? TRANSMIT_MAX : (DWORD)count;
    int absent = 0;
    if (!(s->flags & SOCKPORT_F_NONBLOCK)) {
        int64_t r = transmit(sockport__winsock_socket(s), f, offset, n, &absent);
        if (!absent)
            return r;
    }
    return copy_loop(s, f, offset, (int64_t)n);
}
