/*
 * Native handles: native_handle, release, and adopt (sockport_from_native).
 *
 * Adopting reads what the descriptor is from the kernel: SO_TYPE, the family
 * (SO_DOMAIN where it exists, else getsockname), the protocol (SO_PROTOCOL
 * where it exists, else 0). The descriptor's flags are left as they are
 * (close-on-exec included: it is the caller's choice); its O_NONBLOCK state,
 * read with fcntl, is what sockport remembers, whatever the caller said.
 * Where SO_NOSIGPIPE is how sockport avoids SIGPIPE (Apple), it is set, so
 * the adopted socket keeps the library's promise.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

static sockport__posix_state *state(sockport_socket *s)
{
    return (sockport__posix_state *)sockport__state(s);
}

int sockport__posix_native_handle(sockport_socket *s, sockport_native *out)
{
    *out = state(s)->fd;
    return 0;
}

int sockport__posix_release(sockport_socket *s, sockport_native *out)
{
    *out = state(s)->fd;
    state(s)->fd = -1;
    return 0;
}

static int get_int(int fd, int level, int name, int *out)
{
    socklen_t len = sizeof *out;
    *out = 0;
    return sys_getsockopt(fd, level, name, out, &len);
}

static int adopt_family(int fd, int *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int v = 0;
#ifdef SO_DOMAIN
    if (get_int(fd, SOL_SOCKET, SO_DOMAIN, &v) == 0) {
        *out = sockport__posix_portable_family(v);
        return *out < 0 ? sockport__fail(*out, 0) : 0;
    }
#endif
    memset(&ss, 0, sizeof ss);
    if (sys_getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return sockport__posix_fail(errno);
    v = ss.ss_family;
    *out = sockport__posix_portable_family(v);
    return *out < 0 ? sockport__fail(*out, 0) : 0;
}

static int adopt_protocol(int fd)
{
    int v = 0;
#ifdef SO_PROTOCOL
    if (get_int(fd, SOL_SOCKET, SO_PROTOCOL, &v) < 0)
        v = 0; /* a kernel without it: "the system does not say" */
#else
    (void)fd;
#endif
    return v;
}

static void adopt_nosigpipe(int fd)
{
#ifdef SO_NOSIGPIPE
    int one = 1;
    (void)sys_setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#else
    (void)fd;
#endif
}

int sockport__posix_adopt(sockport_socket *s, sockport_native handle, int *family, int *type,
                          int *protocol)
{
    int v = 0, fam = 0;
    if (handle > INT_MAX)
        return sockport__fail(SOCKPORT_EBADF, 0); /* no descriptor has that number */
    int fd = (int)handle;
    int fl = sys_fcntl(fd, F_GETFL, 0);
    if (fl < 0 || get_int(fd, SOL_SOCKET, SO_TYPE, &v) < 0)
        return sockport__posix_fail(errno); /* EBADF, ENOTSOCK */
    int typ = sockport__posix_portable_type(v);
    if (typ < 0)
        return sockport__fail(typ, 0);
    int rc = adopt_family(fd, &fam);
    if (rc < 0)
        return rc;
    adopt_nosigpipe(fd);
    state(s)->fd = fd;
    if (fl & O_NONBLOCK)
        s->flags |= SOCKPORT_F_NONBLOCK;
    else
        s->flags &= ~(unsigned)SOCKPORT_F_NONBLOCK;
    *family = fam;
    *type = typ;
    *protocol = adopt_protocol(fd);
    return 0;
}
