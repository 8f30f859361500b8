/*
 * The sendfile slot. Linux: sendfile(2) from the given offset (the file's own
 * position is left alone), at most SENDFILE_MAX bytes per call. Where the
 * kernel has no sendfile (ENOSYS: the table's stub off Linux) or cannot use
 * it for this file (EINVAL, EOPNOTSUPP: no page cache behind it), a loop of
 * pread and send through a bounded stack buffer does the same: as many bytes
 * as a blocking sendfile would send, a short count when the socket takes no
 * more or the file ends, 0 at end of file.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <limits.h>

/* What one Linux sendfile call moves at most (and so one sockport call). */
#define SENDFILE_MAX 0x7ffff000

#define COPY_BUF 8192

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0
#endif

static ssize_t pread_all(int fd, void *buf, size_t len, off_t off)
{
    ssize_t r;
    do {
        r = sys_pread(fd, buf, len, off);
    } while (r < 0 && errno == EINTR);
    return r;
}

/* Sends buf[0..len): the bytes sent before the first failure (or all); -1
 * with errno when none were. */
static ssize_t send_all(int fd, const unsigned char *buf, size_t len)
{
    size_t sent = 0;
    while (sent < len) {
        ssize_t r = sys_send(fd, buf + sent, len - sent, SEND_FLAGS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return sent > 0 ? (ssize_t)sent : -1;
        sent += (size_t)r;
    }
    return (ssize_t)sent;
}

/* One round of the loop: bytes sent (0 at end of file), or -1 with errno. */
static ssize_t copy_round(int sock, int file, unsigned char *buf, size_t want, off_t off)
{
    ssize_t r = pread_all(file, buf, want, off);
    if (r <= 0)
        return r;
    return send_all(sock, buf, (size_t)r); /* short: the caller stops there */
}

static int64_t copy_loop(int sock, int file, off_t offset, size_t count)
{
    unsigned char buf[COPY_BUF];
    size_t total = 0;
    while (total < count) {
        size_t want = count - total < sizeof buf ? count - total : sizeof buf;
        ssize_t n = copy_round(sock, file, buf, want, offset + (off_t)total);
        if (n < 0)
            return total > 0 ? (int64_t)total : sockport__posix_fail(errno);
        total += (size_t)n;
        if ((size_t)n < want)
            break; /* end of file, or the socket took less */
    }
    return (int64_t)total;
}

int64_t sockport__posix_sendfile(sockport_socket *s, sockport_native file, int64_t offset,
                                 int64_t count)
{
    if (file > INT_MAX)
        return sockport__fail(SOCKPORT_EBADF, 0); /* no descriptor has that number */
    int64_t off_max = sizeof(off_t) >= sizeof(int64_t) ? INT64_MAX : INT32_MAX;
    if (offset > off_max)
        return sockport__fail(SOCKPORT_EINVAL, 0); /* beyond this system's off_t */
    size_t len = count > SENDFILE_MAX ? SENDFILE_MAX : (size_t)count;
    if ((int64_t)len > off_max - offset)
        len = (size_t)(off_max - offset); /* never an offset past off_t */
    off_t off = (off_t)offset;
    int sock = sockport__posix_fd(s), fd = (int)file;
    ssize_t n;
    do {
        n = sys_sendfile(sock, fd, &off, len);
    } while (n < 0 && errno == EINTR);
    if (n >= 0)
        return (int64_t)n;
    if (errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
        return copy_loop(sock, fd, (off_t)offset, len);
    return sockport__posix_fail(errno);
}
