/*
 * The POSIX backend's one table of OS calls (SQLite's aSyscall). The rest of
 * the backend calls the system only through the sys_*() wrappers of posix.h,
 * which read `current`; tests swap entries by name to inject faults.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/sendfile.h>
#endif

#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) ||   \
    defined(__DragonFly__)
#define HAVE_ACCEPT4 1
#endif

/* fcntl() is variadic: the table holds this fixed three-argument form. */
static int fcntl3(int fd, int cmd, int arg)
{
    return fcntl(fd, cmd, arg);
}

#ifndef HAVE_ACCEPT4
/* Systems without accept4 (macOS): the caller falls back to accept + fcntl. */
static int no_accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    (void)fd, (void)sa, (void)len, (void)flags;
    errno = ENOSYS;
    return -1;
}
#endif

#if SOCKPORT__POSIX_HAVE_MMSG
/* glibc declares recvmmsg's timeout const since 2.21, older ones not: fix it. */
static int recvmmsg5(int fd, struct mmsghdr *v, unsigned n, int flags, struct timespec *timeout)
{
    return recvmmsg(fd, v, n, flags, timeout);
}
#else
/* Systems without Linux's sendmmsg/recvmmsg: the backend loops instead. */
static int no_mmsg(void)
{
    errno = ENOSYS;
    return -1;
}
#endif

#ifndef __linux__
/* Systems without Linux's sendfile: the backend falls back to pread + send. */
static ssize_t no_sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
    (void)out_fd, (void)in_fd, (void)offset, (void)count;
    errno = ENOSYS;
    return -1;
}
#endif

#define ENTRY(id, name, fn) [id] = {name, (sockport__posix_fn)(fn), (sockport__posix_fn)(fn)}

sockport__posix_syscall sockport__posix_syscalls[SYS_COUNT_] = {
    ENTRY(SYS_SOCKET, "socket", socket),
    ENTRY(SYS_SOCKETPAIR, "socketpair", socketpair),
    ENTRY(SYS_CLOSE, "close", close),
    ENTRY(SYS_BIND, "bind", bind),
    ENTRY(SYS_LISTEN, "listen", listen),
    ENTRY(SYS_ACCEPT, "accept", accept),
#ifdef HAVE_ACCEPT4
    ENTRY(SYS_ACCEPT4, "accept4", accept4),
#else
    ENTRY(SYS_ACCEPT4, "accept4", no_accept4),
#endif
    ENTRY(SYS_CONNECT, "connect", connect),
    ENTRY(SYS_GETSOCKNAME, "getsockname", getsockname),
    ENTRY(SYS_GETPEERNAME, "getpeername", getpeername),
    ENTRY(SYS_FCNTL, "fcntl", fcntl3),
    ENTRY(SYS_SHUTDOWN, "shutdown", shutdown),
    ENTRY(SYS_SEND, "send", send),
    ENTRY(SYS_SENDTO, "sendto", sendto),
    ENTRY(SYS_RECV, "recv", recv),
    ENTRY(SYS_RECVFROM, "recvfrom", recvfrom),
    ENTRY(SYS_RECVMSG, "recvmsg", recvmsg),
    ENTRY(SYS_SETSOCKOPT, "setsockopt", setsockopt),
    ENTRY(SYS_GETSOCKOPT, "getsockopt", getsockopt),
    ENTRY(SYS_POLL, "poll", poll),
    ENTRY(SYS_IF_NAMETOINDEX, "if_nametoindex", if_nametoindex),
    ENTRY(SYS_CLOCK_GETTIME, "clock_gettime", clock_gettime),
    ENTRY(SYS_SENDMSG, "sendmsg", sendmsg),
#if SOCKPORT__POSIX_HAVE_MMSG
    ENTRY(SYS_SENDMMSG, "sendmmsg", sendmmsg),
    ENTRY(SYS_RECVMMSG, "recvmmsg", recvmmsg5),
#else
    ENTRY(SYS_SENDMMSG, "sendmmsg", no_mmsg),
    ENTRY(SYS_RECVMMSG, "recvmmsg", no_mmsg),
#endif
#ifdef __linux__
    ENTRY(SYS_SENDFILE, "sendfile", sendfile),
#else
    ENTRY(SYS_SENDFILE, "sendfile", no_sendfile),
#endif
    ENTRY(SYS_PREAD, "pread", pread),
    ENTRY(SYS_GETADDRINFO, "getaddrinfo", getaddrinfo),
    ENTRY(SYS_FREEADDRINFO, "freeaddrinfo", freeaddrinfo),
};

#undef ENTRY

static sockport__posix_syscall *find(const char *name)
{
    for (size_t i = 0; i < SYS_COUNT_; i++) {
        if (strcmp(sockport__posix_syscalls[i].name, name) == 0)
            return &sockport__posix_syscalls[i];
    }
    return NULL;
}

void sockport__posix_syscall_reset(void)
{
    for (size_t i = 0; i < SYS_COUNT_; i++)
        sockport__posix_syscalls[i].current = sockport__posix_syscalls[i].dflt;
}

int sockport__posix_syscall_set(const char *name, sockport__posix_fn fn, sockport__posix_fn *old)
{
    if (name == NULL) {
        if (fn != NULL)
            return SOCKPORT__EINVAL();
        sockport__posix_syscall_reset();
        return 0;
    }
    sockport__posix_syscall *e = find(name);
    if (e == NULL)
        return sockport__fail(SOCKPORT_ENOENT, 0);
    if (old != NULL)
        *old = e->current;
    e->current = fn != NULL ? fn : e->dflt;
    return 0;
}

sockport__posix_fn sockport__posix_syscall_get(const char *name)
{
    const sockport__posix_syscall *e = name != NULL ? find(name) : NULL;
    return e != NULL ? e->current : NULL;
}

const char *sockport__posix_syscall_next(const char *name)
{
    if (name == NULL)
        return sockport__posix_syscalls[0].name;
    const sockport__posix_syscall *e = find(name);
    if (e == NULL || e == &sockport__posix_syscalls[SYS_COUNT_ - 1])
        return NULL;
    return e[1].name;
}
