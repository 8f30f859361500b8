/*
 * The POSIX backend: its table, and the slots that make and release
 * descriptors (open, close, pair, try_clone, set_nonblocking).
 *
 * Every descriptor sockport makes is close-on-exec unless SOCKPORT_F_INHERIT
 * asks otherwise: atomically with SOCK_CLOEXEC / accept4 / F_DUPFD_CLOEXEC
 * where the system has them, by fcntl right after creation elsewhere (and on
 * kernels that refuse the atomic flags with EINVAL). SIGPIPE is avoided with
 * MSG_NOSIGNAL on every send (io.c) and, where it exists instead (macOS),
 * SO_NOSIGPIPE on every new socket.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>

static sockport__posix_state *state(sockport_socket *s)
{
    return (sockport__posix_state *)sockport__state(s);
}

/* ---- translation of the core's values ---------------------------------- */

static int native_family(int family)
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

int sockport__posix_native_type(int type)
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

static int native_protocol(int protocol)
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

/* ---- descriptor flags --------------------------------------------------- */

int sockport__posix_type_flags(unsigned flags)
{
    int extra = 0;
#if SOCKPORT__POSIX_TYPE_FLAGS
    if (!(flags & SOCKPORT_F_INHERIT))
        extra |= SOCK_CLOEXEC;
    if (flags & SOCKPORT_F_NONBLOCK)
        extra |= SOCK_NONBLOCK;
#else
    (void)flags;
#endif
    return extra;
}

int sockport__posix_set_nonblock(int fd, int on)
{
    int fl = sys_fcntl(fd, F_GETFL, 0);
    if (fl < 0)
        return sockport__posix_fail(errno);
    int want = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
    if (want != fl && sys_fcntl(fd, F_SETFL, want) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

static int set_cloexec(int fd)
{
    int fl = sys_fcntl(fd, F_GETFD, 0);
    if (fl < 0 || sys_fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
        return sockport__posix_fail(errno);
    return 0;
}

static int set_nosigpipe(int fd)
{
#ifdef SO_NOSIGPIPE
    int one = 1;
    if (sys_setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) < 0)
        return sockport__posix_fail(errno);
#else
    (void)fd;
#endif
    return 0;
}

int sockport__posix_setup_fd(int fd, unsigned flags, int atomic)
{
    int rc = 0;
    if (!atomic && !(flags & SOCKPORT_F_INHERIT))
        rc = set_cloexec(fd);
    /* Set or clear: BSD's accept() copies O_NONBLOCK from the listener. */
    if (rc == 0 && !atomic)
        rc = sockport__posix_set_nonblock(fd, (flags & SOCKPORT_F_NONBLOCK) != 0);
    if (rc == 0)
        rc = set_nosigpipe(fd);
    return rc;
}

/* ---- open, pair, close ------------------------------------------------- */

static int posix_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    if (flags & SOCKPORT_F_REGISTERED_IO)
        return sockport__fail(SOCKPORT_ENOTSUP, 0); /* a Windows feature */
    int domain = native_family(family), ntype = sockport__posix_native_type(type);
    int extra = sockport__posix_type_flags(flags), atomic = SOCKPORT__POSIX_TYPE_FLAGS;
    int fd = sys_socket(domain, ntype | extra, native_protocol(protocol));
    if (fd < 0 && errno == EINVAL && extra != 0) {
        atomic = 0; /* a kernel older than SOCK_CLOEXEC: fcntl instead */
        fd = sys_socket(domain, ntype, native_protocol(protocol));
    }
    if (fd < 0)
        return sockport__posix_fail(errno);
    int rc = sockport__posix_setup_fd(fd, flags, atomic);
    if (rc < 0) {
        sys_close(fd);
        return rc;
    }
    state(s)->fd = fd;
    return 0;
}

static int setup_pair(const int sv[2], unsigned flags, int atomic)
{
    int rc = sockport__posix_setup_fd(sv[0], flags, atomic);
    if (rc == 0)
        rc = sockport__posix_setup_fd(sv[1], flags, atomic);
    if (rc < 0) {
        sys_close(sv[0]);
        sys_close(sv[1]);
    }
    return rc;
}

static int posix_pair(sockport_socket *a, sockport_socket *b, int family, int type, int protocol,
                      unsigned flags)
{
    int sv[2];
    int domain = native_family(family), ntype = sockport__posix_native_type(type);
    int extra = sockport__posix_type_flags(flags), atomic = SOCKPORT__POSIX_TYPE_FLAGS;
    int rc = sys_socketpair(domain, ntype | extra, native_protocol(protocol), sv);
    if (rc < 0 && errno == EINVAL && extra != 0) {
        atomic = 0; /* as in posix_open */
        rc = sys_socketpair(domain, ntype, native_protocol(protocol), sv);
    }
    if (rc < 0)
        return sockport__posix_fail(errno);
    rc = setup_pair(sv, flags, atomic);
    if (rc < 0)
        return rc;
    state(a)->fd = sv[0];
    state(b)->fd = sv[1];
    return 0;
}

/* Never retried: on Linux and the BSDs the descriptor is released even when
 * close() reports EINTR, and a retry could close a descriptor that another
 * thread has just been given. */
static int posix_close(sockport_socket *s)
{
    int fd = state(s)->fd;
    state(s)->fd = -1;
    if (sys_close(fd) == 0 || errno == EINTR)
        return 0;
    return sockport__posix_fail(errno);
}

/* ---- clone and blocking mode -------------------------------------------- */

static int dup_cloexec(int fd)
{
    int nfd;
#ifdef F_DUPFD_CLOEXEC
    nfd = sys_fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (nfd >= 0 || errno != EINVAL)
        return nfd;
#endif
    nfd = sys_fcntl(fd, F_DUPFD, 0); /* no F_DUPFD_CLOEXEC: set it after */
    if (nfd < 0)
        return nfd;
    int fl = sys_fcntl(nfd, F_GETFD, 0);
    if (fl >= 0 && sys_fcntl(nfd, F_SETFD, fl | FD_CLOEXEC) >= 0)
        return nfd;
    int e = errno;
    sys_close(nfd);
    errno = e;
    return -1;
}

static int posix_try_clone(sockport_socket *s, sockport_socket *out)
{
    int fd = dup_cloexec(state(s)->fd);
    if (fd < 0)
        return sockport__posix_fail(errno);
    state(out)->fd = fd; /* the file description, O_NONBLOCK included, is shared */
    return 0;
}

static int posix_set_nonblocking(sockport_socket *s, bool on)
{
    return sockport__posix_set_nonblock(state(s)->fd, on);
}

/* ---- the table --------------------------------------------------------- */

static const sockport_backend posix_backend = {
    SOCKPORT_BACKEND_VERSION,         /* version: the layout written for */
    "posix",                          /* name */
    sizeof(sockport__posix_state),    /* socket_size */
    NULL,                             /* userdata */
    NULL,                             /* init: nothing to prepare */
    NULL,                             /* cleanup */
    posix_open,                       /* open */
    posix_close,                      /* close */
    posix_pair,                       /* pair */
    sockport__posix_bind,             /* bind */
    sockport__posix_listen,           /* listen */
    sockport__posix_accept,           /* accept */
    sockport__posix_connect,          /* connect */
    sockport__posix_connect_timeout,  /* connect_timeout */
    sockport__posix_local_addr,       /* local_addr */
    sockport__posix_peer_addr,        /* peer_addr */
    posix_try_clone,                  /* try_clone */
    posix_set_nonblocking,            /* set_nonblocking */
    sockport__posix_shutdown,         /* shutdown */
    sockport__posix_take_error,       /* take_error */
    sockport__posix_send,             /* send */
    sockport__posix_recv,             /* recv */
    sockport__posix_set_int,          /* set_int */
    sockport__posix_get_int,          /* get_int */
    sockport__posix_set_timeout,      /* set_timeout */
    sockport__posix_get_timeout,      /* get_timeout */
    sockport__posix_option_supported, /* option_supported */
    sockport__posix_addr_to_native,   /* addr_to_native */
    sockport__posix_addr_from_native, /* addr_from_native */
    sockport__posix_if_nametoindex,   /* if_nametoindex */
    sockport__posix_sendmsg,          /* sendmsg */
    sockport__posix_recvmsg,          /* recvmsg */
    sockport__posix_sendmmsg,         /* sendmmsg */
    sockport__posix_recvmmsg,         /* recvmmsg */
    sockport__posix_poll,             /* poll */
    sockport__posix_sendfile,         /* sendfile */
    sockport__posix_resolve,          /* resolve */
    sockport__posix_adopt,            /* adopt */
    sockport__posix_release,          /* release */
    sockport__posix_native_handle,    /* native_handle */
    sockport__posix_set_str,          /* set_str */
    sockport__posix_get_str,          /* get_str */
    sockport__posix_set_linger,       /* set_linger */
    sockport__posix_get_linger,       /* get_linger */
    sockport__posix_set_keepalive,    /* set_keepalive */
    sockport__posix_multicast,        /* multicast */
    sockport__posix_setsockopt_raw,   /* setsockopt_raw */
    sockport__posix_getsockopt_raw,   /* getsockopt_raw */
    sockport__posix_get_addr_opt,     /* get_addr_opt */
    sockport__posix_set_addr_opt,     /* set_addr_opt */
    sockport__posix_get_cookie,       /* get_cookie */
    sockport__posix_attach_filter,    /* attach_filter */
};

const sockport_backend *sockport_backend_posix(void)
{
    return &posix_backend;
}

const sockport_backend *sockport__backend_builtin(void)
{
    return &posix_backend;
}

/* Only one backend directory is compiled: the other built-in is absent. */
const sockport_backend *sockport_backend_winsock(void)
{
    return NULL;
}
