/*
 * Fault injection through the POSIX backend's syscall table: each case
 * replaces a few OS calls by name, drives the public API, and checks the
 * portable result, the recorded OS code, and the descriptor's real flags.
 * The table is restored after every case (teardown). The last section checks
 * the native address layouts (sockaddr_in6, sockaddr_un) the backend writes
 * and reads, from buffers of exactly the given length.
 */
#define _GNU_SOURCE

#include "sp_test.h"

#include "backend-posix/posix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/un.h>
#include <unistd.h>

#define FN(f) ((sockport__posix_fn)(f))

/* Saved originals, called through their real types by the fakes. */
static sockport__posix_fn real_socket, real_accept, real_close, real_recv, real_send;
static sockport__posix_fn real_connect, real_poll, real_fcntl;
static int calls, poll_calls, fake_now_ms;
static int poll_waits[16];
static int last_send_flags;

static int reset_table(void **state)
{
    (void)state;
    sockport__posix_syscall_reset();
    calls = poll_calls = fake_now_ms = 0;
    return 0;
}

static void inject(const char *name, sockport__posix_fn fn, sockport__posix_fn *old)
{
    assert_sp_ok(sockport__posix_syscall_set(name, fn, old));
}

/* ---- helpers -------------------------------------------------------------- */

static sockport_socket *open_sock(int family, int type, unsigned flags)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open(&s, family, type, 0, flags));
    return s;
}

static sockport_socket *listener(sockport_addr *bound)
{
    sockport_socket *l = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 0));
    assert_sp_ok(sockport_bind(l, &a));
    assert_sp_ok(sockport_listen(l, 4));
    assert_sp_ok(sockport_local_addr(l, bound));
    return l;
}

static int fd_flags(sockport_socket *s)
{
    return fcntl(sockport__posix_fd(s), F_GETFD);
}

static int fl_flags(sockport_socket *s)
{
    return fcntl(sockport__posix_fd(s), F_GETFL);
}

static void close_sock(sockport_socket *s)
{
    assert_sp_ok(sockport_close(s));
}

/* ---- fakes ------------------------------------------------------------------ */

static int connect_refused(int fd, const struct sockaddr *sa, socklen_t len)
{
    (void)fd, (void)sa, (void)len;
    errno = ECONNREFUSED;
    return -1;
}

static int connect_in_progress(int fd, const struct sockaddr *sa, socklen_t len)
{
    (void)sa, (void)len;
    calls++;
    /* the backend must have made the socket non-blocking first */
    errno = (fcntl(fd, F_GETFL) & O_NONBLOCK) ? EINPROGRESS : EPERM;
    return -1;
}

/* Connects for real, then reports EINTR as if a signal had arrived. */
static int connect_then_eintr(int fd, const struct sockaddr *sa, socklen_t len)
{
    int rc = ((int (*)(int, const struct sockaddr *, socklen_t))real_connect)(fd, sa, len);
    if (rc == 0 || errno == EINPROGRESS) {
        errno = EINTR;
        return -1;
    }
    return rc;
}

static ssize_t send_eagain(int fd, const void *buf, size_t len, int flags)
{
    (void)fd, (void)buf, (void)len;
    last_send_flags = flags;
    errno = EAGAIN;
    return -1;
}

static ssize_t send_eintr_once(int fd, const void *buf, size_t len, int flags)
{
    if (calls++ == 0) {
        errno = EINTR;
        return -1;
    }
    return ((ssize_t(*)(int, const void *, size_t, int))real_send)(fd, buf, len, flags);
}

static ssize_t recv_eintr_once(int fd, void *buf, size_t len, int flags)
{
    if (calls++ == 0) {
        errno = EINTR;
        return -1;
    }
    return ((ssize_t(*)(int, void *, size_t, int))real_recv)(fd, buf, len, flags);
}

static int accept4_enosys(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    (void)fd, (void)sa, (void)len, (void)flags;
    errno = ENOSYS;
    return -1;
}

static int accept_counted(int fd, struct sockaddr *sa, socklen_t *len)
{
    calls++;
    return ((int (*)(int, struct sockaddr *, socklen_t *))real_accept)(fd, sa, len);
}

static int accept4_eintr_once(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
    if (calls++ == 0) {
        errno = EINTR;
        return -1;
    }
    return accept4(fd, sa, len, flags);
}

static int close_then_eintr(int fd)
{
    calls++;
    ((int (*)(int))real_close)(fd);
    errno = EINTR;
    return -1;
}

static int close_then_eio(int fd)
{
    ((int (*)(int))real_close)(fd);
    errno = EIO;
    return -1;
}

static int close_counted(int fd)
{
    calls++;
    return ((int (*)(int))real_close)(fd);
}

/* A kernel older than SOCK_CLOEXEC: the flags in type are EINVAL. */
static int socket_without_type_flags(int domain, int type, int protocol)
{
    calls++;
    if (type & (SOCK_CLOEXEC | SOCK_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    return ((int (*)(int, int, int))real_socket)(domain, type, protocol);
}

static int socketpair_without_type_flags(int domain, int type, int protocol, int sv[2])
{
    if (type & (SOCK_CLOEXEC | SOCK_NONBLOCK)) {
        errno = EINVAL;
        return -1;
    }
    return socketpair(domain, type, protocol, sv);
}

static int fcntl_setfd_fails(int fd, int cmd, int arg)
{
    if (cmd == F_SETFD) {
        errno = EBADF;
        return -1;
    }
    return ((int (*)(int, int, int))real_fcntl)(fd, cmd, arg);
}

static int fcntl_without_dupfd_cloexec(int fd, int cmd, int arg)
{
    if (cmd == F_DUPFD_CLOEXEC) {
        errno = EINVAL;
        return -1;
    }
    return ((int (*)(int, int, int))real_fcntl)(fd, cmd, arg);
}

static int poll_times_out(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    (void)fds, (void)n;
    if (poll_calls < 16)
        poll_waits[poll_calls] = timeout_ms;
    poll_calls++;
    return 0;
}

static int poll_interrupted(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    (void)fds, (void)n;
    if (poll_calls < 16)
        poll_waits[poll_calls] = timeout_ms;
    poll_calls++;
    errno = EINTR;
    return -1;
}

static int poll_counted(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    poll_calls++;
    return ((int (*)(struct pollfd *, nfds_t, int))real_poll)(fds, n, timeout_ms);
}

/* A clock that advances 30 ms at every reading. */
static int clock_30ms_steps(clockid_t clock, struct timespec *ts)
{
    (void)clock;
    ts->tv_sec = 1000 + fake_now_ms / 1000;
    ts->tv_nsec = (long)(fake_now_ms % 1000) * 1000000L;
    fake_now_ms += 30;
    return 0;
}

static int getsockopt_so_error_reset(int fd, int level, int name, void *v, socklen_t *len)
{
    (void)fd;
    if (level != SOL_SOCKET || name != SO_ERROR) {
        errno = ENOPROTOOPT;
        return -1;
    }
    *(int *)v = ECONNRESET;
    *len = sizeof(int);
    return 0;
}

/* Answers every option with one byte, as some systems do for booleans. */
static int getsockopt_one_byte(int fd, int level, int name, void *v, socklen_t *len)
{
    (void)fd, (void)level, (void)name;
    *(unsigned char *)v = 1;
    *len = 1;
    return 0;
}

static struct timeval seen_tv;

static int setsockopt_capture(int fd, int level, int name, const void *v, socklen_t len)
{
    (void)fd, (void)level, (void)name;
    if (len == sizeof seen_tv)
        memcpy(&seen_tv, v, sizeof seen_tv);
    return 0;
}

static int getsockopt_timeval(int fd, int level, int name, void *v, socklen_t *len)
{
    (void)fd, (void)level, (void)name;
    memcpy(v, &seen_tv, sizeof seen_tv);
    *len = sizeof seen_tv;
    return 0;
}

static unsigned if_nametoindex_enxio(const char *name)
{
    (void)name;
    errno = ENXIO;
    return 0;
}

/* ---- the table itself --------------------------------------------------- */

static void test_every_required_call_is_in_the_table(void **state)
{
    (void)state;
    static const char *const want[] = {
        "socket",  "socketpair",     "close",        "bind",        "listen",     "accept",
        "accept4", "connect",        "getsockname",  "getpeername", "fcntl",      "shutdown",
        "send",    "sendto",         "recv",         "recvfrom",    "setsockopt", "getsockopt",
        "poll",    "if_nametoindex", "clock_gettime"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *n = NULL;
        while ((n = sockport__posix_syscall_next(n)) != NULL && strcmp(n, want[i]) != 0)
            ;
        if (n == NULL)
            print_error("%s is not in the syscall table\n", want[i]);
        assert_non_null(n);
        assert_non_null(sockport__posix_syscall_get(want[i]));
    }
}

static void test_unknown_syscall_name_is_an_error(void **state)
{
    (void)state;
    sockport__posix_fn old = NULL;
    assert_sp_err(sockport__posix_syscall_set("no_such_call", FN(send_eagain), &old),
                  SOCKPORT_ENOENT);
    assert_null(old);
    assert_null(sockport__posix_syscall_get("no_such_call"));
    assert_null(sockport__posix_syscall_next("no_such_call"));
    assert_sp_err(sockport__posix_syscall_set(NULL, FN(send_eagain), NULL), SOCKPORT_EINVAL);
}

static void test_set_returns_the_old_pointer_and_null_restores_the_default(void **state)
{
    (void)state;
    sockport__posix_fn dflt = sockport__posix_syscall_get("send"), old = NULL;
    inject("send", FN(send_eagain), &old);
    assert_ptr_equal(old, dflt);
    assert_ptr_equal(sockport__posix_syscall_get("send"), FN(send_eagain));
    inject("send", NULL, &old);
    assert_ptr_equal(old, FN(send_eagain));
    assert_ptr_equal(sockport__posix_syscall_get("send"), dflt);
    inject("send", FN(send_eagain), NULL);
    assert_sp_ok(sockport__posix_syscall_set(NULL, NULL, NULL)); /* all back */
    assert_ptr_equal(sockport__posix_syscall_get("send"), dflt);
}

/* ---- errors reach the caller with their OS code --------------------------- */

static void test_connect_failure_maps_to_econnrefused_with_the_os_code(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 9));
    inject("connect", FN(connect_refused), NULL);
    assert_sp_err(sockport_connect(s, &a), SOCKPORT_ECONNREFUSED);
    assert_int_equal(sockport_last_os_error(), ECONNREFUSED);
    close_sock(s);
}

static void test_send_eagain_maps_to_eagain_and_carries_msg_nosignal(void **state)
{
    (void)state;
    sockport_socket *p[2];
    assert_sp_ok(sockport_pair(p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0));
    inject("send", FN(send_eagain), NULL);
    assert_sp_err(sockport_send(p[0], "x", 1, 0), SOCKPORT_EAGAIN);
    assert_int_equal(sockport_last_os_error(), EAGAIN);
#ifdef MSG_NOSIGNAL
    assert_true(last_send_flags & MSG_NOSIGNAL);
#endif
    close_sock(p[0]);
    close_sock(p[1]);
}

static void test_take_error_maps_the_pending_error(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    inject("getsockopt", FN(getsockopt_so_error_reset), NULL);
    assert_sp_err(sockport_take_error(s), SOCKPORT_ECONNRESET);
    assert_int_equal(sockport_last_os_error(), ECONNRESET);
    close_sock(s);
}

static void test_if_nametoindex_failure_is_enodev(void **state)
{
    (void)state;
    const sockport_backend *b = sockport_backend_posix();
    uint32_t idx = 77;
    inject("if_nametoindex", FN(if_nametoindex_enxio), NULL);
    assert_sp_err(b->if_nametoindex(b, "nosuch0", &idx), SOCKPORT_ENODEV);
    assert_int_equal(idx, 77);
    assert_int_equal(sockport_last_os_error(), ENXIO);
}

/* ---- EINTR policy ------------------------------------------------------------ */

static void test_recv_interrupted_once_is_retried(void **state)
{
    (void)state;
    sockport_socket *p[2];
    char c = 0;
    assert_sp_ok(sockport_pair(p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0));
    assert_int_equal(sockport_send(p[0], "y", 1, 0), 1);
    inject("recv", FN(recv_eintr_once), &real_recv);
    assert_int_equal(sockport_recv(p[1], &c, 1, 0), 1);
    assert_int_equal(c, 'y');
    assert_int_equal(calls, 2);
    close_sock(p[0]);
    close_sock(p[1]);
}

static void test_send_interrupted_once_is_retried(void **state)
{
    (void)state;
    sockport_socket *p[2];
    char c = 0;
    assert_sp_ok(sockport_pair(p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0));
    inject("send", FN(send_eintr_once), &real_send);
    assert_int_equal(sockport_send(p[0], "z", 1, 0), 1);
    assert_int_equal(calls, 2);
    assert_int_equal(sockport_recv(p[1], &c, 1, 0), 1);
    assert_int_equal(c, 'z');
    close_sock(p[0]);
    close_sock(p[1]);
}

static void test_accept_interrupted_once_is_retried(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(&bound), *a = NULL;
    sockport_socket *c = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    assert_sp_ok(sockport_connect(c, &bound));
    inject("accept4", FN(accept4_eintr_once), NULL);
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    assert_int_equal(calls, 2);
    close_sock(a);
    close_sock(c);
    close_sock(l);
}

static void test_interrupted_blocking_connect_completes_by_polling(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(&bound), *a = NULL;
    sockport_socket *c = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    inject("connect", FN(connect_then_eintr), &real_connect);
    inject("poll", FN(poll_counted), &real_poll);
    assert_sp_ok(sockport_connect(c, &bound));
    assert_int_equal(poll_calls, 1);
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    close_sock(a);
    close_sock(c);
    close_sock(l);
}

static void test_interrupted_nonblocking_connect_is_in_progress(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(&bound), *a = NULL;
    sockport_socket *c = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, SOCKPORT_F_NONBLOCK);
    inject("connect", FN(connect_then_eintr), &real_connect);
    assert_sp_err(sockport_connect(c, &bound), SOCKPORT_EINPROGRESS);
    assert_int_equal(sockport_last_os_error(), EINTR);
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    assert_int_equal(sockport_take_error(c), 0);
    close_sock(a);
    close_sock(c);
    close_sock(l);
}

static void test_close_interrupted_counts_as_closed(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0);
    int fd = sockport__posix_fd(s);
    inject("close", FN(close_then_eintr), &real_close);
    assert_sp_ok(sockport_close(s));
    assert_int_equal(calls, 1); /* never retried */
    errno = 0;
    assert_int_equal(fcntl(fd, F_GETFD), -1);
    assert_int_equal(errno, EBADF);
}

static void test_close_error_is_reported_and_the_socket_freed(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0);
    int fd = sockport__posix_fd(s);
    inject("close", FN(close_then_eio), &real_close);
    assert_sp_err(sockport_close(s), SOCKPORT_EUNKNOWN);
    assert_int_equal(sockport_last_os_error(), EIO);
    assert_int_equal(fcntl(fd, F_GETFD), -1);
}

/* ---- close-on-exec fallbacks ---------------------------------------------------- */

static void test_accept_without_accept4_falls_back_and_sets_cloexec(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(&bound), *a = NULL, *b = NULL;
    sockport_socket *c1 = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    sockport_socket *c2 = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    assert_sp_ok(sockport_connect(c1, &bound));
    assert_sp_ok(sockport_connect(c2, &bound));
    inject("accept4", FN(accept4_enosys), NULL);
    inject("accept", FN(accept_counted), &real_accept);
    assert_sp_ok(sockport_accept(l, &a, NULL, SOCKPORT_F_NONBLOCK));
    assert_int_equal(calls, 1);
    assert_true(fd_flags(a) & FD_CLOEXEC);
    assert_true(fl_flags(a) & O_NONBLOCK);
    assert_sp_ok(sockport_accept(l, &b, NULL, SOCKPORT_F_INHERIT));
    assert_false(fd_flags(b) & FD_CLOEXEC);
    assert_false(fl_flags(b) & O_NONBLOCK);
    close_sock(a);
    close_sock(b);
    close_sock(c1);
    close_sock(c2);
    close_sock(l);
}

static void test_accept4_sets_cloexec_atomically(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(&bound), *a = NULL;
    sockport_socket *c = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    assert_sp_ok(sockport_connect(c, &bound));
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    assert_true(fd_flags(a) & FD_CLOEXEC);
    assert_false(fl_flags(a) & O_NONBLOCK);
    close_sock(a);
    close_sock(c);
    close_sock(l);
}

static void test_socket_refusing_type_flags_falls_back_to_fcntl(void **state)
{
    (void)state;
    inject("socket", FN(socket_without_type_flags), &real_socket);
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, SOCKPORT_F_NONBLOCK);
    assert_int_equal(calls, 2);
    assert_true(fd_flags(s) & FD_CLOEXEC);
    assert_true(fl_flags(s) & O_NONBLOCK);
    close_sock(s);
    s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, SOCKPORT_F_INHERIT);
    assert_false(fd_flags(s) & FD_CLOEXEC);
    assert_false(fl_flags(s) & O_NONBLOCK);
    close_sock(s);
}

static void test_socketpair_refusing_type_flags_falls_back_to_fcntl(void **state)
{
    (void)state;
    sockport_socket *p[2];
    inject("socketpair", FN(socketpair_without_type_flags), NULL);
    assert_sp_ok(sockport_pair(p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, SOCKPORT_F_NONBLOCK));
    for (int i = 0; i < 2; i++) {
        assert_true(fd_flags(p[i]) & FD_CLOEXEC);
        assert_true(fl_flags(p[i]) & O_NONBLOCK);
    }
    close_sock(p[0]);
    close_sock(p[1]);
}

static void test_failing_fcntl_in_the_fallback_closes_the_new_descriptor(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    inject("socket", FN(socket_without_type_flags), &real_socket);
    inject("fcntl", FN(fcntl_setfd_fails), &real_fcntl);
    inject("close", FN(close_counted), &real_close);
    assert_sp_err(sockport_open(&s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0), SOCKPORT_EBADF);
    assert_null(s);
    assert_int_equal(calls, 3); /* two socket() calls, one close() */
}

static void test_try_clone_without_dupfd_cloexec_still_sets_cloexec(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0), *c = NULL;
    inject("fcntl", FN(fcntl_without_dupfd_cloexec), &real_fcntl);
    assert_sp_ok(sockport_try_clone(s, &c));
    assert_int_not_equal(sockport__posix_fd(c), sockport__posix_fd(s));
    assert_true(fd_flags(c) & FD_CLOEXEC);
    close_sock(c);
    close_sock(s);
}

/* ---- connect_timeout ---------------------------------------------------------------- */

static void test_connect_timeout_when_poll_times_out_is_etimedout_and_blocking(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    sockport_addr a;
    bool nb = true;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 9));
    inject("connect", FN(connect_in_progress), NULL);
    inject("poll", FN(poll_times_out), NULL);
    assert_sp_err(sockport_connect_timeout(s, &a, 100), SOCKPORT_ETIMEDOUT);
    assert_int_equal(calls, 1);
    assert_int_equal(poll_calls, 1);
    assert_true(poll_waits[0] > 0 && poll_waits[0] <= 100);
    assert_false(fl_flags(s) & O_NONBLOCK);
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_false(nb);
    close_sock(s);
}

static void test_connect_timeout_recomputes_the_wait_after_eintr(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 9));
    inject("connect", FN(connect_in_progress), NULL);
    inject("poll", FN(poll_interrupted), NULL);
    inject("clock_gettime", FN(clock_30ms_steps), NULL);
    assert_sp_err(sockport_connect_timeout(s, &a, 100), SOCKPORT_ETIMEDOUT);
    /* deadline at 100 ms; readings at 30, 60, 90 leave 70, 40, 10; at 120 it is over */
    assert_int_equal(poll_calls, 3);
    assert_int_equal(poll_waits[0], 70);
    assert_int_equal(poll_waits[1], 40);
    assert_int_equal(poll_waits[2], 10);
    assert_false(fl_flags(s) & O_NONBLOCK);
    close_sock(s);
}

static void test_connect_timeout_zero_polls_once_without_waiting(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 9));
    inject("connect", FN(connect_in_progress), NULL);
    inject("poll", FN(poll_times_out), NULL);
    assert_sp_err(sockport_connect_timeout(s, &a, 0), SOCKPORT_ETIMEDOUT);
    assert_int_equal(poll_calls, 1);
    assert_int_equal(poll_waits[0], 0);
    close_sock(s);
}

static void test_connect_timeout_leaves_a_nonblocking_socket_nonblocking(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, SOCKPORT_F_NONBLOCK);
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 9));
    inject("connect", FN(connect_in_progress), NULL);
    inject("poll", FN(poll_times_out), NULL);
    assert_sp_err(sockport_connect_timeout(s, &a, 50), SOCKPORT_ETIMEDOUT);
    assert_true(fl_flags(s) & O_NONBLOCK);
    close_sock(s);
}

/* ---- options: widths and conversions -------------------------------------------- */

static void test_one_byte_boolean_answer_is_read(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    bool v = false;
    inject("getsockopt", FN(getsockopt_one_byte), NULL);
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_TCP_NODELAY, &v));
    assert_true(v);
    close_sock(s);
}

static void test_timeout_milliseconds_become_a_timeval_and_back(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0);
    int64_t ms = 0;
    inject("setsockopt", FN(setsockopt_capture), NULL);
    inject("getsockopt", FN(getsockopt_timeval), NULL);
    assert_sp_ok(sockport_set_recv_timeout(s, 1500));
    assert_int_equal(seen_tv.tv_sec, 1);
    assert_int_equal(seen_tv.tv_usec, 500000);
    assert_sp_ok(sockport_get_recv_timeout(s, &ms));
    assert_int_equal(ms, 1500);
    seen_tv.tv_sec = 0;
    seen_tv.tv_usec = 1; /* a microsecond rounds up to a millisecond */
    assert_sp_ok(sockport_get_recv_timeout(s, &ms));
    assert_int_equal(ms, 1);
    seen_tv.tv_sec = 2;
    seen_tv.tv_usec = 999001;
    assert_sp_ok(sockport_get_send_timeout(s, &ms));
    assert_int_equal(ms, 3000);
    assert_sp_ok(sockport_set_send_timeout(s, 0));
    assert_true(seen_tv.tv_sec == 0 && seen_tv.tv_usec == 0);
    assert_sp_ok(sockport_get_send_timeout(s, &ms));
    assert_int_equal(ms, 0);
    assert_sp_ok(sockport_set_send_timeout(s, INT64_MAX)); /* clamped, not wrapped */
    assert_true(seen_tv.tv_sec > 0);
    close_sock(s);
}

/* ---- native address layouts ------------------------------------------------------ */

#define SUN_OFF offsetof(struct sockaddr_un, sun_path)

/* A heap copy of exactly len bytes, so that reading past it is caught by
 * ASan and valgrind. */
static void *exact_copy(const void *p, size_t len)
{
    void *q = malloc(len);
    assert_non_null(q);
    memcpy(q, p, len);
    return q;
}

static void test_native_pathname_counts_its_terminator(void **state)
{
    (void)state;
    struct sockaddr_un sun_;
    sockport_addr a;
    size_t len = sizeof sun_;
    assert_sp_ok(sockport_addr_unix(&a, "/tmp/x.sock"));
    assert_sp_ok(sockport_addr_to_native(&a, &sun_, &len));
    assert_int_equal(len, SUN_OFF + strlen("/tmp/x.sock") + 1);
    assert_int_equal(sun_.sun_family, AF_UNIX);
    assert_string_equal(sun_.sun_path, "/tmp/x.sock");
}

static void test_native_abstract_name_has_a_leading_nul_and_no_terminator(void **state)
{
    (void)state;
    struct sockaddr_un sun_;
    sockport_addr a, back;
    size_t len = sizeof sun_;
    assert_sp_ok(sockport_addr_abstract(&a, "ab\0c", 4));
    assert_sp_ok(sockport_addr_to_native(&a, &sun_, &len));
    assert_int_equal(len, SUN_OFF + 1 + 4);
    assert_int_equal(sun_.sun_path[0], '\0');
    assert_memory_equal(sun_.sun_path + 1, "ab\0c", 4);
    void *exact = exact_copy(&sun_, len);
    assert_sp_ok(sockport_addr_from_native(&back, exact, len));
    free(exact);
    assert_int_equal(sockport_addr_compare(&a, &back), 0);
}

static void test_native_full_length_abstract_name_round_trips(void **state)
{
    (void)state;
    struct sockaddr_un sun_;
    char name[SOCKPORT_UNIX_PATH_MAX];
    sockport_addr a, back;
    size_t len = sizeof sun_;
    memset(name, 'n', sizeof name);
    assert_sp_ok(sockport_addr_abstract(&a, name, sizeof name));
    assert_sp_ok(sockport_addr_to_native(&a, &sun_, &len));
    assert_int_equal(len, sizeof sun_); /* 1 + 107 fill sun_path exactly */
    void *exact = exact_copy(&sun_, len);
    assert_sp_ok(sockport_addr_from_native(&back, exact, len));
    free(exact);
    assert_int_equal(sockport_addr_compare(&a, &back), 0);
}

static void test_native_path_without_nul_is_read_within_its_length(void **state)
{
    (void)state;
    struct sockaddr_un sun_;
    sockport_addr got, want;
    char path[SOCKPORT_UNIX_PATH_MAX + 1];
    memset(&sun_, 0, sizeof sun_);
    sun_.sun_family = AF_UNIX;
    memset(sun_.sun_path, 'p', sizeof sun_.sun_path); /* 108 bytes, no NUL */
    void *exact = exact_copy(&sun_, sizeof sun_);
    assert_sp_err(sockport_addr_from_native(&got, exact, sizeof sun_), SOCKPORT_ENAMETOOLONG);
    free(exact);
    size_t len = SUN_OFF + SOCKPORT_UNIX_PATH_MAX; /* 107 bytes, no NUL */
    exact = exact_copy(&sun_, len);
    assert_sp_ok(sockport_addr_from_native(&got, exact, len));
    free(exact);
    memset(path, 'p', SOCKPORT_UNIX_PATH_MAX);
    path[SOCKPORT_UNIX_PATH_MAX] = '\0';
    assert_sp_ok(sockport_addr_unix(&want, path));
    assert_int_equal(sockport_addr_compare(&got, &want), 0);
}

static void test_native_family_alone_is_the_unnamed_address(void **state)
{
    (void)state;
    sa_family_t fam = AF_UNIX;
    sockport_addr got;
    char text[8];
    void *exact = exact_copy(&fam, sizeof fam);
    assert_sp_ok(sockport_addr_from_native(&got, exact, sizeof fam));
    free(exact);
    assert_int_equal(sockport_addr_family(&got), SOCKPORT_AF_UNIX);
    assert_int_equal(sockport_addr_format(&got, text, sizeof text), 0);
}

static void test_native_short_lengths_are_einval(void **state)
{
    (void)state;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    sockport_addr got;
    memset(&sin, 0, sizeof sin);
    memset(&sin6, 0, sizeof sin6);
    sin.sin_family = AF_INET;
    sin6.sin6_family = AF_INET6;
    assert_sp_err(sockport_addr_from_native(&got, &sin, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_from_native(&got, &sin, sizeof sin - 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_from_native(&got, &sin6, sizeof sin6 - 1), SOCKPORT_EINVAL);
    sin.sin_family = AF_APPLETALK;
    assert_sp_err(sockport_addr_from_native(&got, &sin, sizeof sin), SOCKPORT_EAFNOSUPPORT);
}

static void test_native_ipv6_keeps_scope_and_flow_label(void **state)
{
    (void)state;
    struct sockaddr_in6 sin6;
    sockport_addr a, back;
    size_t len = sizeof sin6;
    uint8_t ip[16] = {0xfe, 0x80, [15] = 1};
    assert_sp_ok(sockport_addr_ipv6(&a, ip, 8080, 0x12345, 3));
    assert_sp_ok(sockport_addr_to_native(&a, &sin6, &len));
    assert_int_equal(len, sizeof sin6);
    assert_int_equal(ntohs(sin6.sin6_port), 8080);
    assert_int_equal(ntohl(sin6.sin6_flowinfo), 0x12345);
    assert_int_equal(sin6.sin6_scope_id, 3);
    sin6.sin6_flowinfo = htonl(0x0ab12345); /* traffic class bits above the label */
    assert_sp_ok(sockport_addr_from_native(&back, &sin6, len));
    assert_int_equal(sockport_addr_compare(&a, &back), 0);
}

static void test_native_short_room_is_enospc_with_the_length_needed(void **state)
{
    (void)state;
    struct sockaddr_in6 sin6;
    sockport_addr a;
    size_t len = sizeof sin6 - 1;
    assert_sp_ok(sockport_addr_ip(&a, "::1", 1));
    assert_sp_err(sockport_addr_to_native(&a, &sin6, &len), SOCKPORT_ENOSPC);
    assert_int_equal(len, sizeof sin6);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(test_every_required_call_is_in_the_table, reset_table),
    cmocka_unit_test_teardown(test_unknown_syscall_name_is_an_error, reset_table),
    cmocka_unit_test_teardown(test_set_returns_the_old_pointer_and_null_restores_the_default,
                              reset_table),
    cmocka_unit_test_teardown(test_connect_failure_maps_to_econnrefused_with_the_os_code,
                              reset_table),
    cmocka_unit_test_teardown(test_send_eagain_maps_to_eagain_and_carries_msg_nosignal,
                              reset_table),
    cmocka_unit_test_teardown(test_take_error_maps_the_pending_error, reset_table),
    cmocka_unit_test_teardown(test_if_nametoindex_failure_is_enodev, reset_table),
    cmocka_unit_test_teardown(test_recv_interrupted_once_is_retried, reset_table),
    cmocka_unit_test_teardown(test_send_interrupted_once_is_retried, reset_table),
    cmocka_unit_test_teardown(test_accept_interrupted_once_is_retried, reset_table),
    cmocka_unit_test_teardown(test_interrupted_blocking_connect_completes_by_polling, reset_table),
    cmocka_unit_test_teardown(test_interrupted_nonblocking_connect_is_in_progress, reset_table),
    cmocka_unit_test_teardown(test_close_interrupted_counts_as_closed, reset_table),
    cmocka_unit_test_teardown(test_close_error_is_reported_and_the_socket_freed, reset_table),
    cmocka_unit_test_teardown(test_accept_without_accept4_falls_back_and_sets_cloexec, reset_table),
    cmocka_unit_test_teardown(test_accept4_sets_cloexec_atomically, reset_table),
    cmocka_unit_test_teardown(test_socket_refusing_type_flags_falls_back_to_fcntl, reset_table),
    cmocka_unit_test_teardown(test_socketpair_refusing_type_flags_falls_back_to_fcntl, reset_table),
    cmocka_unit_test_teardown(test_failing_fcntl_in_the_fallback_closes_the_new_descriptor,
                              reset_table),
    cmocka_unit_test_teardown(test_try_clone_without_dupfd_cloexec_still_sets_cloexec, reset_table),
    cmocka_unit_test_teardown(test_connect_timeout_when_poll_times_out_is_etimedout_and_blocking,
                              reset_table),
    cmocka_unit_test_teardown(test_connect_timeout_recomputes_the_wait_after_eintr, reset_table),
    cmocka_unit_test_teardown(test_connect_timeout_zero_polls_once_without_waiting, reset_table),
    cmocka_unit_test_teardown(test_connect_timeout_leaves_a_nonblocking_socket_nonblocking,
                              reset_table),
    cmocka_unit_test_teardown(test_one_byte_boolean_answer_is_read, reset_table),
    cmocka_unit_test_teardown(test_timeout_milliseconds_become_a_timeval_and_back, reset_table),
    cmocka_unit_test_teardown(test_native_pathname_counts_its_terminator, reset_table),
    cmocka_unit_test_teardown(test_native_abstract_name_has_a_leading_nul_and_no_terminator,
                              reset_table),
    cmocka_unit_test_teardown(test_native_full_length_abstract_name_round_trips, reset_table),
    cmocka_unit_test_teardown(test_native_path_without_nul_is_read_within_its_length, reset_table),
    cmocka_unit_test_teardown(test_native_family_alone_is_the_unnamed_address, reset_table),
    cmocka_unit_test_teardown(test_native_short_lengths_are_einval, reset_table),
    cmocka_unit_test_teardown(test_native_ipv6_keeps_scope_and_flow_label, reset_table),
    cmocka_unit_test_teardown(test_native_short_room_is_enospc_with_the_length_needed, reset_table),
};

SP_TEST_MAIN(tests, NULL, reset_table)
