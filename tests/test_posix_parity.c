/*
 * POSIX details of the socket2-parity slots, below the public API: the
 * native constants behind the portable values (raw getsockopt), how adopted
 * descriptors are treated, close-on-exec and closing of received
 * descriptors, the control-message translation seen from the kernel's side,
 * and the fallbacks (sendmmsg/recvmmsg loop, pread + send) forced through
 * the syscall table, which every case restores (teardown).
 */
#define _GNU_SOURCE

#include "sp_test.h"

#include "backend-posix/posix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define FN(f) ((sockport__posix_fn)(f))

#define STREAM SOCKPORT_SOCK_STREAM
#define DGRAM  SOCKPORT_SOCK_DGRAM
#define V4     SOCKPORT_AF_INET
#define V6     SOCKPORT_AF_INET6
#define UNIX   SOCKPORT_AF_UNIX

static sockport__posix_fn real_sendmsg, real_recvmsg, real_sendmmsg, real_recvmmsg;
static sockport__posix_fn real_pread;
static int calls, calls2, seen_flags, fake_now_ms;
static int poll_waits[8];

static int reset_table(void **state)
{
    (void)state;
    sockport__posix_syscall_reset();
    calls = calls2 = seen_flags = fake_now_ms = 0;
    memset(poll_waits, 0, sizeof poll_waits);
    return 0;
}

static void inject(const char *name, sockport__posix_fn fn, sockport__posix_fn *old)
{
    assert_sp_ok(sockport__posix_syscall_set(name, fn, old));
}

/* ---- helpers -------------------------------------------------------------- */

static sockport_socket *open_sock(int family, int type)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open(&s, family, type, 0, 0));
    return s;
}

static void close_sock(sockport_socket *s)
{
    assert_sp_ok(sockport_close(s));
}

static sockport_addr ip(const char *text, uint16_t port)
{
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, text, port));
    return a;
}

static int fd_of(sockport_socket *s)
{
    return sockport__posix_fd(s);
}

typedef struct udp {
    sockport_socket *rx, *tx;
    sockport_addr rx_addr, tx_addr;
} udp;

static udp udp_pair(void)
{
    udp u;
    sockport_addr lo = ip("127.0.0.1", 0);
    u.rx = open_sock(V4, DGRAM);
    u.tx = open_sock(V4, DGRAM);
    assert_sp_ok(sockport_bind(u.rx, &lo));
    assert_sp_ok(sockport_bind(u.tx, &lo));
    assert_sp_ok(sockport_local_addr(u.rx, &u.rx_addr));
    assert_sp_ok(sockport_local_addr(u.tx, &u.tx_addr));
    assert_sp_ok(sockport_set_recv_timeout(u.rx, 5000));
    return u;
}

static void udp_close(udp *u)
{
    close_sock(u->rx);
    close_sock(u->tx);
}

static int raw_int(sockport_socket *s, int level, int name)
{
    int v = -1;
    size_t len = sizeof v;
    assert_sp_ok(sockport_getsockopt_raw(s, level, name, &v, &len));
    assert_int_equal(len, sizeof v);
    return v;
}

static int open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        n += fcntl(fd, F_GETFD) != -1;
    return n;
}

/* ---- raw options and native constants ----------------------------------- */

static void test_raw_getsockopt_reads_so_type_with_native_constants(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM);
    unsigned char one = 0xff;
    size_t len = 1;
    assert_int_equal(raw_int(s, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    assert_sp_ok(sockport_getsockopt_raw(s, SOL_SOCKET, SO_TYPE, &one, &len));
    assert_int_equal(len, 1); /* the kernel wrote what there was room for */
    len = 4;
    int rc = sockport_getsockopt_raw(s, 12345, 1, &one, &len); /* the kernel's own answer */
    assert_true(rc < 0);
    assert_int_equal(rc, sockport__err_from_errno(sockport_last_os_error()));
    close_sock(s);
}

static void test_raw_setsockopt_is_seen_by_the_portable_getter(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM);
    int one = 1;
    bool on = false;
    assert_sp_ok(sockport_setsockopt_raw(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one));
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, &on));
    assert_true(on);
    assert_sp_err(sockport_setsockopt_raw(s, SOL_SOCKET, SO_KEEPALIVE, &one, 1), SOCKPORT_EINVAL);
    close_sock(s);
}

static void test_so_domain_and_so_type_read_sockport_values(void **state)
{
    (void)state;
    sockport_socket *p[2];
    int v = 0;
    assert_sp_ok(sockport_pair(p, UNIX, SOCKPORT_SOCK_SEQPACKET, 0, 0));
    assert_sp_ok(sockport_get_int(p[0], SOCKPORT_OPT_SO_DOMAIN, &v));
    assert_int_equal(v, SOCKPORT_AF_UNIX);
    assert_int_not_equal(v, AF_UNIX);
    assert_sp_ok(sockport_get_int(p[0], SOCKPORT_OPT_SO_TYPE, &v));
    assert_int_equal(v, SOCKPORT_SOCK_SEQPACKET);
    assert_sp_ok(sockport_get_int(p[0], SOCKPORT_OPT_SO_PROTOCOL, &v));
    assert_int_equal(v, 0);
    assert_int_equal(sockport_protocol(p[0]), 0);
    close_sock(p[0]);
    close_sock(p[1]);
}

static void test_pmtud_modes_map_to_the_native_constants(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM);
    int v = -1, iface = 4; /* IP_PMTUDISC_INTERFACE: sockport never sets it */
    assert_sp_ok(sockport_set_int(s, SOCKPORT_OPT_IP_MTU_DISCOVER, SOCKPORT_PMTUD_DO));
    assert_int_equal(raw_int(s, IPPROTO_IP, IP_MTU_DISCOVER), IP_PMTUDISC_DO);
    assert_sp_ok(sockport_set_int(s, SOCKPORT_OPT_IP_MTU_DISCOVER, SOCKPORT_PMTUD_PROBE));
    assert_int_equal(raw_int(s, IPPROTO_IP, IP_MTU_DISCOVER), IP_PMTUDISC_PROBE);
    assert_sp_ok(sockport_setsockopt_raw(s, IPPROTO_IP, IP_MTU_DISCOVER, &iface, sizeof iface));
    assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_IP_MTU_DISCOVER, &v));
    assert_int_equal(v, SOCKPORT_PMTUD_DONT); /* no DF, as DONT */
    close_sock(s);
}

static void test_linger_is_the_native_struct(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM);
    struct linger l;
    size_t len = sizeof l;
    assert_sp_ok(sockport_set_linger(s, true, 9));
    assert_sp_ok(sockport_getsockopt_raw(s, SOL_SOCKET, SO_LINGER, &l, &len));
    assert_int_equal(len, sizeof l);
    assert_int_equal(l.l_onoff, 1);
    assert_int_equal(l.l_linger, 9);
    close_sock(s);
}

static void test_keepalive_rounds_milliseconds_up_to_seconds(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM);
    assert_sp_ok(sockport_set_tcp_keepalive(s, true, 1500, 1, 0));
    assert_int_equal(raw_int(s, IPPROTO_TCP, TCP_KEEPIDLE), 2);
    assert_int_equal(raw_int(s, IPPROTO_TCP, TCP_KEEPINTVL), 1);
    assert_int_equal(raw_int(s, SOL_SOCKET, SO_KEEPALIVE), 1);
    /* clamped to an int's seconds; Linux takes at most 32767 and says EINVAL */
    assert_sp_err(sockport_set_tcp_keepalive(s, true, INT64_MAX, 0, 0), SOCKPORT_EINVAL);
    assert_int_equal(sockport_last_os_error(), EINVAL);
    close_sock(s);
}

static void test_string_option_drops_the_kernels_trailing_nul(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM);
    char raw[32], name[32];
    size_t len = sizeof raw;
    int rc = sockport_set_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, "lo");
    if (rc == SOCKPORT_EPERM) {
        close_sock(s);
        print_message("skipped: binding to a device needs CAP_NET_RAW\n");
        skip();
    }
    assert_sp_ok(rc);
    assert_sp_ok(sockport_getsockopt_raw(s, SOL_SOCKET, SO_BINDTODEVICE, raw, &len));
    assert_int_equal(len, 3); /* "lo" and its NUL */
    assert_int_equal(sockport_get_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, name, sizeof name), 2);
    assert_sp_err(sockport_get_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, name, 2), SOCKPORT_ENOSPC);
    close_sock(s);
}

static int setsockopt_enoprotoopt(int fd, int level, int name, const void *v, socklen_t len)
{
    (void)fd, (void)level, (void)name, (void)v, (void)len;
    errno = ENOPROTOOPT;
    return -1;
}

/* A kernel without an option the core let through: ENOTSUP, errno kept. */
static void test_kernel_enoprotoopt_on_an_option_is_enotsup(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM);
    inject("setsockopt", FN(setsockopt_enoprotoopt), NULL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_TCP_USER_TIMEOUT, 10), SOCKPORT_ENOTSUP);
    assert_int_equal(sockport_last_os_error(), ENOPROTOOPT);
    assert_sp_err(sockport_set_str(s, SOCKPORT_OPT_TCP_CONGESTION, "reno"), SOCKPORT_ENOTSUP);
    assert_sp_err(sockport_set_linger(s, true, 1), SOCKPORT_ENOTSUP);
    int one = 1; /* the raw hatch says what the kernel said */
    assert_sp_err(sockport_setsockopt_raw(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one),
                  SOCKPORT_ENOPROTOOPT);
    close_sock(s);
}

static void test_original_dst_of_a_unix_socket_is_enoprotoopt(void **state)
{
    (void)state;
    sockport_socket *p[2];
    sockport_addr a;
    assert_sp_ok(sockport_pair(p, UNIX, STREAM, 0, 0));
    assert_sp_err(sockport_original_dst(p[0], &a), SOCKPORT_ENOPROTOOPT);
    close_sock(p[0]);
    close_sock(p[1]);
}

/* ---- multicast: the native requests --------------------------------------- */

static int seen_level, seen_name;
static socklen_t seen_len;
static unsigned char seen_value[512];

static int setsockopt_capture(int fd, int level, int name, const void *v, socklen_t len)
{
    (void)fd;
    seen_level = level;
    seen_name = name;
    seen_len = len;
    memcpy(seen_value, v, len < sizeof seen_value ? len : sizeof seen_value);
    calls++;
    return 0;
}

static void test_multicast_v4_uses_ip_mreqn_with_address_and_index(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM);
    sockport_addr g = ip("239.1.2.3", 99), lo = ip("127.0.0.1", 0);
    struct ip_mreqn m;
    inject("setsockopt", FN(setsockopt_capture), NULL);
    assert_sp_ok(sockport_join_multicast(s, &g, &lo, 7));
    assert_int_equal(seen_level, IPPROTO_IP);
    assert_int_equal(seen_name, IP_ADD_MEMBERSHIP);
    assert_int_equal(seen_len, sizeof m);
    memcpy(&m, seen_value, sizeof m);
    assert_int_equal(m.imr_multiaddr.s_addr, htonl(0xef010203));
    assert_int_equal(m.imr_address.s_addr, htonl(INADDR_LOOPBACK));
    assert_int_equal(m.imr_ifindex, 7);
    assert_sp_ok(sockport_leave_multicast(s, &g, NULL, 0));
    assert_int_equal(seen_name, IP_DROP_MEMBERSHIP);
    memcpy(&m, seen_value, sizeof m);
    assert_int_equal(m.imr_address.s_addr, 0);
    assert_int_equal(m.imr_ifindex, 0);
    sockport__posix_syscall_reset();
    close_sock(s);
}

static void test_multicast_source_joins_pick_the_native_request(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM);
    sockport_addr g = ip("232.1.1.1", 0), src = ip("10.0.0.9", 0), lo = ip("127.0.0.1", 0);
    struct ip_mreq_source m;
    struct group_source_req r;
    inject("setsockopt", FN(setsockopt_capture), NULL);
    assert_sp_ok(sockport_join_source_multicast(s, &g, &src, &lo, 0));
    assert_int_equal(seen_name, IP_ADD_SOURCE_MEMBERSHIP);
    assert_int_equal(seen_len, sizeof m);
    memcpy(&m, seen_value, sizeof m);
    assert_int_equal(m.imr_sourceaddr.s_addr, htonl(0x0a000009));
    assert_int_equal(m.imr_interface.s_addr, htonl(INADDR_LOOPBACK));
    assert_sp_ok(sockport_leave_source_multicast(s, &g, &src, NULL, 3)); /* by index */
    assert_int_equal(seen_level, IPPROTO_IP);
    assert_int_equal(seen_name, MCAST_LEAVE_SOURCE_GROUP);
    memcpy(&r, seen_value, sizeof r);
    assert_int_equal(r.gsr_interface, 3);
    assert_int_equal(r.gsr_group.ss_family, AF_INET);
    assert_int_equal(((struct sockaddr_in *)&r.gsr_group)->sin_port, 0); /* port dropped */
    sockport__posix_syscall_reset();
    close_sock(s);
}

static void test_multicast_v6_takes_the_zone_as_the_interface(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V6, DGRAM);
    sockport_addr g = ip("ff02::1%5", 0), g2 = ip("ff15::1", 0), src = ip("2001:db8::1", 0);
    struct ipv6_mreq m;
    struct group_source_req r;
    inject("setsockopt", FN(setsockopt_capture), NULL);
    assert_sp_ok(sockport_join_multicast(s, &g, NULL, 0));
    assert_int_equal(seen_level, IPPROTO_IPV6);
    assert_int_equal(seen_name, IPV6_JOIN_GROUP);
    memcpy(&m, seen_value, sizeof m);
    assert_int_equal(m.ipv6mr_interface, 5);
    assert_sp_ok(sockport_join_multicast(s, &g, NULL, 2)); /* an index wins */
    memcpy(&m, seen_value, sizeof m);
    assert_int_equal(m.ipv6mr_interface, 2);
    assert_sp_ok(sockport_join_source_multicast(s, &g2, &src, NULL, 4));
    assert_int_equal(seen_name, MCAST_JOIN_SOURCE_GROUP);
    memcpy(&r, seen_value, sizeof r);
    assert_int_equal(r.gsr_interface, 4);
    assert_int_equal(r.gsr_source.ss_family, AF_INET6);
    sockport__posix_syscall_reset();
    close_sock(s);
}

/* ---- native handles ----------------------------------------------------------- */

static void test_adopting_a_pipe_is_enotsock_and_leaves_it_open(void **state)
{
    (void)state;
    int fds[2];
    sockport_socket *s = NULL;
    assert_int_equal(pipe(fds), 0);
    assert_sp_err(sockport_from_native(&s, fds[0], 0), SOCKPORT_ENOTSOCK);
    assert_int_equal(sockport_last_os_error(), ENOTSOCK);
    assert_null(s);
    assert_true(fcntl(fds[0], F_GETFD) != -1); /* still the caller's */
    close(fds[0]);
    close(fds[1]);
    assert_sp_err(sockport_from_native(&s, fds[0], 0), SOCKPORT_EBADF);
    assert_sp_err(sockport_from_native(&s, (sockport_native)INT32_MAX + 1, 0), SOCKPORT_EBADF);
}

/* The real O_NONBLOCK state wins over the flag; descriptor flags stay. */
static void test_adopting_keeps_the_descriptors_own_flags(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    bool nb = true;
    int fd = socket(AF_INET, SOCK_DGRAM, 0); /* blocking, inheritable */
    assert_true(fd >= 0);
    assert_sp_ok(sockport_from_native(&s, fd, SOCKPORT_F_NONBLOCK));
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_false(nb);
    assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    close_sock(s);
    fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_sp_ok(sockport_from_native(&s, fd, 0));
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_true(nb);
    assert_int_equal(sockport_family(s), V6);
    assert_int_equal(sockport_protocol(s), IPPROTO_TCP);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    close_sock(s);
}

static void test_adopting_one_end_of_a_socketpair(void **state)
{
    (void)state;
    int sv[2];
    sockport_socket *s = NULL;
    char c = 0;
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
    assert_sp_ok(sockport_from_native(&s, sv[0], 0));
    assert_int_equal(sockport_family(s), UNIX);
    assert_int_equal(sockport_type(s), DGRAM);
    assert_int_equal(sockport_protocol(s), 0);
    assert_int_equal(sockport_send(s, "u", 1, 0), 1);
    assert_int_equal(read(sv[1], &c, 1), 1);
    assert_int_equal(c, 'u');
    close_sock(s);
    close(sv[1]);
}

static void test_release_leaves_the_descriptor_open(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM);
    sockport_native h = -1;
    int fd = fd_of(s);
    assert_sp_ok(sockport_release(s, &h));
    assert_int_equal(h, fd);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC); /* as sockport made it */
    assert_int_equal(close(fd), 0);
}

/* ---- control messages ----------------------------------------------------- */

typedef struct rx {
    char data[256];
    uint64_t ctl[64];
    sockport_iovec iov;
    sockport_msghdr m;
    ptrdiff_t n;
} rx;

static void recv_msg(sockport_socket *s, rx *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->iov.base = r->data;
    r->iov.len = sizeof r->data;
    r->m.iov = &r->iov;
    r->m.iovlen = 1;
    r->m.control = r->ctl;
    r->m.controllen = cap;
    r->n = sockport_recvmsg(s, &r->m, 0);
    assert_sp_ok(r->n);
}

static int find_cmsg(const rx *r, int type, void *out, size_t len)
{
    size_t off = 0, dlen = 0;
    int t = 0;
    const void *data = NULL;
    while (sockport_cmsg_next(r->ctl, r->m.controllen, &off, &t, &data, &dlen) == 1) {
        if (t == type && dlen == len) {
            memcpy(out, data, len);
            return 1;
        }
    }
    return 0;
}

static ptrdiff_t send_cmsg(sockport_socket *s, const sockport_addr *to, int type, const void *data,
                           size_t len)
{
    static uint64_t ctl[512];
    size_t used = 0;
    sockport_iovec iov = {(void *)(uintptr_t) "m", 1};
    sockport_msghdr m = {(sockport_addr *)(uintptr_t)to, &iov, 1, ctl, 0, 0};
    assert_sp_ok(sockport_cmsg_append(ctl, sizeof ctl, &used, type, data, len));
    m.controllen = used;
    return sockport_sendmsg(s, &m, 0);
}

static void test_received_descriptors_are_close_on_exec(void **state)
{
    (void)state;
    sockport_socket *p[2];
    sockport_native h = 0, got = -1;
    rx r;
    int fd = socket(AF_INET, SOCK_DGRAM, 0); /* not close-on-exec */
    assert_true(fd >= 0);
    assert_sp_ok(sockport_pair(p, UNIX, DGRAM, 0, 0));
    h = fd;
    assert_int_equal(send_cmsg(p[0], NULL, SOCKPORT_CMSG_RIGHTS, &h, sizeof h), 1);
    recv_msg(p[1], &r, sizeof r.ctl);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_RIGHTS, &got, sizeof got));
    assert_true(got >= 0 && got != fd);
    assert_true(fcntl((int)got, F_GETFD) & FD_CLOEXEC);
    close((int)got);
    close(fd);
    close_sock(p[0]);
    close_sock(p[1]);
}

/* Four descriptors, room for one: one delivered, three closed, CTRUNC. */
static void test_descriptors_that_do_not_fit_are_closed(void **state)
{
    (void)state;
    sockport_socket *p[2];
    sockport_native h[4], got[2] = {-1, -1};
    rx r;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    for (int i = 0; i < 4; i++)
        h[i] = fd;
    assert_sp_ok(sockport_pair(p, UNIX, DGRAM, 0, 0));
    int before = open_fds();
    assert_int_equal(send_cmsg(p[0], NULL, SOCKPORT_CMSG_RIGHTS, h, sizeof h), 1);
    recv_msg(p[1], &r, SOCKPORT_CMSG_SPACE(sizeof(sockport_native)));
    assert_true(r.m.flags & SOCKPORT_MSG_CTRUNC);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_RIGHTS, got, sizeof got[0]));
    assert_int_equal(open_fds(), before + 1); /* only the delivered one */
    close((int)got[0]);
    close(fd);
    close_sock(p[0]);
    close_sock(p[1]);
}

/* No Linux option for IP_RECVTTL exists in sockport's list: the raw hatch
 * turns it on, and a per-message TTL arrives as SOCKPORT_CMSG_TTL. */
static void test_ttl_set_per_message_arrives_with_ip_recvttl(void **state)
{
    (void)state;
    udp u = udp_pair();
    int one = 1, ttl = 3, got = 0;
    rx r;
    assert_sp_ok(sockport_setsockopt_raw(u.rx, IPPROTO_IP, IP_RECVTTL, &one, sizeof one));
    assert_int_equal(send_cmsg(u.tx, &u.rx_addr, SOCKPORT_CMSG_TTL, &ttl, sizeof ttl), 1);
    recv_msg(u.rx, &r, sizeof r.ctl);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_TTL, &got, sizeof got));
    assert_int_equal(got, 3);
    udp_close(&u);
}

static void test_too_much_control_data_is_enobufs(void **state)
{
    (void)state;
    udp u = udp_pair();
    sockport_native h[300];
    for (int i = 0; i < 300; i++)
        h[i] = 0;
    assert_sp_err(send_cmsg(u.tx, &u.rx_addr, SOCKPORT_CMSG_RIGHTS, h, sizeof h), SOCKPORT_ENOBUFS);
    h[0] = -1;
    assert_sp_err(send_cmsg(u.tx, &u.rx_addr, SOCKPORT_CMSG_RIGHTS, h, sizeof h[0]),
                  SOCKPORT_EINVAL);
    udp_close(&u);
}

/* ---- control messages seen from the kernel's side ---------------------------- */

static unsigned char native_ctl[1024];
static size_t native_ctl_len;

static ssize_t sendmsg_capture(int fd, const struct msghdr *m, int flags)
{
    (void)fd;
    seen_flags = flags;
    native_ctl_len = m->msg_controllen;
    if (m->msg_control != NULL)
        memcpy(native_ctl, m->msg_control, m->msg_controllen);
    if (calls++ == 0) {
        errno = EINTR; /* once: sockport retries */
        return -1;
    }
    return 1;
}

static struct cmsghdr *native_cmsg(size_t index)
{
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_control = native_ctl;
    m.msg_controllen = native_ctl_len;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    for (size_t i = 0; c != NULL && i < index; i++)
        c = CMSG_NXTHDR(&m, c);
    assert_non_null(c);
    return c;
}

static void test_sendmsg_translates_control_to_native_messages(void **state)
{
    (void)state;
    udp u = udp_pair();
    uint64_t ctl[64];
    size_t used = 0;
    sockport_pktinfo pi;
    sockport_native fds[2] = {5, 6};
    uint16_t seg = 1200;
    memset(&pi, 0, sizeof pi);
    pi.addr = ip("127.0.0.9", 0);
    pi.ifindex = 1;
    assert_sp_ok(
        sockport_cmsg_append(ctl, sizeof ctl, &used, SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi));
    assert_sp_ok(
        sockport_cmsg_append(ctl, sizeof ctl, &used, SOCKPORT_CMSG_RIGHTS, fds, sizeof fds));
    assert_sp_ok(
        sockport_cmsg_append(ctl, sizeof ctl, &used, SOCKPORT_CMSG_UDP_SEGMENT, &seg, sizeof seg));
    sockport_iovec iov = {(void *)(uintptr_t) "x", 1};
    sockport_msghdr m = {&u.rx_addr, &iov, 1, ctl, used, 0};
    inject("sendmsg", FN(sendmsg_capture), NULL);
    assert_int_equal(sockport_sendmsg(u.tx, &m, 0), 1);
    assert_int_equal(calls, 2);
    assert_true(seen_flags & MSG_NOSIGNAL);
    struct cmsghdr *c = native_cmsg(0);
    struct in_pktinfo p4;
    assert_int_equal(c->cmsg_level, IPPROTO_IP);
    assert_int_equal(c->cmsg_type, IP_PKTINFO);
    memcpy(&p4, CMSG_DATA(c), sizeof p4);
    assert_int_equal(p4.ipi_spec_dst.s_addr, htonl(0x7f000009));
    assert_int_equal(p4.ipi_ifindex, 1);
    c = native_cmsg(1);
    int n[2];
    assert_int_equal(c->cmsg_type, SCM_RIGHTS);
    assert_int_equal(c->cmsg_len, CMSG_LEN(sizeof n));
    memcpy(n, CMSG_DATA(c), sizeof n);
    assert_true(n[0] == 5 && n[1] == 6);
    c = native_cmsg(2);
    uint16_t s16 = 0;
    assert_int_equal(c->cmsg_level, SOL_UDP);
    assert_int_equal(c->cmsg_type, UDP_SEGMENT);
    memcpy(&s16, CMSG_DATA(c), sizeof s16);
    assert_int_equal(s16, 1200);
    sockport__posix_syscall_reset();
    udp_close(&u);
}

/* Appends a native message to native_ctl. */
static void add_native(int level, int type, const void *data, size_t len)
{
    struct cmsghdr *c = (struct cmsghdr *)(void *)(native_ctl + native_ctl_len);
    memset(c, 0, CMSG_SPACE(len));
    c->cmsg_len = CMSG_LEN(len);
    c->cmsg_level = level;
    c->cmsg_type = type;
    memcpy(CMSG_DATA(c), data, len);
    native_ctl_len += CMSG_SPACE(len);
}

static ssize_t recvmsg_fake(int fd, struct msghdr *m, int flags)
{
    (void)fd;
    seen_flags = flags;
    assert_true(m->msg_controllen >= native_ctl_len);
    memcpy(m->msg_control, native_ctl, native_ctl_len);
    m->msg_controllen = native_ctl_len;
    m->msg_namelen = 0;
    m->msg_flags = MSG_TRUNC;
    ((char *)m->msg_iov[0].iov_base)[0] = 'z';
    return 1;
}

static void test_recvmsg_translates_native_control_messages(void **state)
{
    (void)state;
    udp u = udp_pair();
    unsigned char tos = 0x2c;
    int ttl = 17, hops = 9, gro = 1400, unknown = 1;
    struct in6_pktinfo p6;
    sockport_pktinfo pi;
    rx r;
    int v = 0;
    memset(&p6, 0, sizeof p6);
    p6.ipi6_addr.s6_addr[0] = 0xfe; /* fe80::1, link-local: the index becomes its zone */
    p6.ipi6_addr.s6_addr[1] = 0x80;
    p6.ipi6_addr.s6_addr[15] = 1;
    p6.ipi6_ifindex = 3;
    native_ctl_len = 0;
    add_native(IPPROTO_IP, IP_TOS, &tos, 1); /* Linux sends the TOS as one byte */
    add_native(IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    add_native(999, 1, &unknown, sizeof unknown); /* dropped */
    add_native(IPPROTO_IPV6, IPV6_HOPLIMIT, &hops, sizeof hops);
    add_native(IPPROTO_IPV6, IPV6_PKTINFO, &p6, sizeof p6);
    add_native(SOL_UDP, UDP_GRO, &gro, sizeof gro);
    inject("recvmsg", FN(recvmsg_fake), NULL);
    recv_msg(u.rx, &r, sizeof r.ctl);
    assert_true(seen_flags & MSG_CMSG_CLOEXEC);
    assert_int_equal(r.m.flags, SOCKPORT_MSG_TRUNC);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_TOS, &v, sizeof v));
    assert_int_equal(v, 0x2c);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_TTL, &v, sizeof v));
    assert_int_equal(v, 17);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_HOPLIMIT, &v, sizeof v));
    assert_int_equal(v, 9);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_UDP_GRO, &v, sizeof v));
    assert_int_equal(v, 1400);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi));
    assert_int_equal(pi.ifindex, 3);
    assert_int_equal(sockport_addr_scope_id(&pi.addr), 3);
    assert_int_equal(r.m.controllen, 4 * SOCKPORT_CMSG_SPACE(sizeof(int)) +
                                         SOCKPORT_CMSG_SPACE(sizeof(sockport_pktinfo)));
    sockport__posix_syscall_reset();
    udp_close(&u);
}

/* ---- batched I/O: the kernel's path and the loop ----------------------------- */

#define BIG 100

typedef struct batch {
    char data[BIG][32];
    sockport_iovec iov[BIG];
    sockport_addr names[BIG];
    sockport_mmsghdr m[BIG];
} batch;

static void batch_out(batch *b, size_t n, const sockport_addr *to)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(b->data[i], sizeof b->data[i], "message %u", (unsigned)i);
        b->iov[i].base = b->data[i];
        b->iov[i].len = (size_t)len;
        b->m[i].hdr.name = (sockport_addr *)(uintptr_t)to;
        b->m[i].hdr.iov = &b->iov[i];
        b->m[i].hdr.iovlen = 1;
    }
}

static void batch_in(batch *b, size_t n)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < n; i++) {
        b->iov[i].base = b->data[i];
        b->iov[i].len = sizeof b->data[i];
        b->m[i].hdr.name = &b->names[i];
        b->m[i].hdr.iov = &b->iov[i];
        b->m[i].hdr.iovlen = 1;
    }
}

static void batch_check(const batch *in, const batch *out, size_t n, const sockport_addr *from)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(in->m[i].len, out->iov[i].len);
        assert_memory_equal(in->data[i], out->data[i], out->iov[i].len);
        assert_int_equal(sockport_addr_compare(&in->names[i], from), 0);
    }
}

static int sendmmsg_counted(int fd, struct mmsghdr *v, unsigned n, int flags)
{
    calls++;
    return ((int (*)(int, struct mmsghdr *, unsigned, int))real_sendmmsg)(fd, v, n, flags);
}

static int recvmmsg_counted(int fd, struct mmsghdr *v, unsigned n, int flags, struct timespec *t)
{
    calls2++;
    typedef int (*fn)(int, struct mmsghdr *, unsigned, int, struct timespec *);
    return ((fn)real_recvmmsg)(fd, v, n, flags, t);
}

static int mmsg_enosys(void)
{
    calls++;
    errno = ENOSYS;
    return -1;
}

static ssize_t sendmsg_counted(int fd, const struct msghdr *m, int flags)
{
    calls2++;
    return ((ssize_t(*)(int, const struct msghdr *, int))real_sendmsg)(fd, m, flags);
}

static ssize_t recvmsg_counted(int fd, struct msghdr *m, int flags)
{
    calls2++;
    return ((ssize_t(*)(int, struct msghdr *, int))real_recvmsg)(fd, m, flags);
}

/* 100 messages: two kernel calls each way (64 fit the stack budget). */
static void test_mmsg_splits_a_batch_beyond_the_stack_budget(void **state)
{
    (void)state;
    udp u = udp_pair();
    static batch out, in;
    inject("sendmmsg", FN(sendmmsg_counted), &real_sendmmsg);
    inject("recvmmsg", FN(recvmmsg_counted), &real_recvmmsg);
    batch_out(&out, BIG, &u.rx_addr);
    assert_int_equal(sockport_sendmmsg(u.tx, out.m, BIG, 0), BIG);
    assert_int_equal(calls, 2);
    batch_in(&in, BIG);
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, BIG, 0), BIG);
    assert_int_equal(calls2, 2);
    batch_check(&in, &out, BIG, &u.tx_addr);
    sockport__posix_syscall_reset();
    udp_close(&u);
}

/* Messages of 1000 and 100 buffers go in one kernel call: the iovec arrays
 * are passed as they are, there is no copy budget to split on. */
static void test_mmsg_passes_many_buffers_in_one_kernel_call(void **state)
{
    (void)state;
    udp u = udp_pair();
    static char bytes[1000];
    static sockport_iovec many[1000];
    static batch out, in;
    for (size_t i = 0; i < 1000; i++) {
        bytes[i] = (char)('0' + i % 10);
        many[i].base = &bytes[i];
        many[i].len = 1;
    }
    batch_out(&out, 3, &u.rx_addr);
    out.m[0].hdr.iov = many;
    out.m[0].hdr.iovlen = 1000;
    out.iov[0].len = 1000; /* for batch_check's lengths */
    inject("sendmmsg", FN(sendmmsg_counted), &real_sendmmsg);
    out.m[1].hdr.iov = many;
    out.m[1].hdr.iovlen = 100;
    out.iov[1].len = 100;
    assert_int_equal(sockport_sendmmsg(u.tx, out.m, 3, 0), 3);
    assert_int_equal(calls, 1); /* the iovec arrays go to the kernel as they are */
    assert_int_equal(out.m[0].len, 1000);
    batch_in(&in, 3);
    static char big[1000];
    in.iov[0].base = big;
    in.iov[0].len = sizeof big;
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, 3, 0), 3);
    assert_int_equal(in.m[0].len, 1000);
    assert_memory_equal(big, bytes, 1000);
    assert_int_equal(in.m[1].len, sizeof in.data[1]); /* 100 bytes into 32 */
    assert_int_equal(in.m[1].hdr.flags, SOCKPORT_MSG_TRUNC);
    assert_int_equal(in.m[2].len, out.iov[2].len);
    sockport__posix_syscall_reset();
    udp_close(&u);
}

/* Without the kernel's batches: the loop moves the same 32 messages. */
static void test_mmsg_fallback_gives_the_same_results(void **state)
{
    (void)state;
    udp u = udp_pair();
    static batch out, in;
    inject("sendmmsg", FN(mmsg_enosys), NULL);
    inject("recvmmsg", FN(mmsg_enosys), NULL);
    inject("sendmsg", FN(sendmsg_counted), &real_sendmsg);
    inject("recvmsg", FN(recvmsg_counted), &real_recvmsg);
    batch_out(&out, 32, &u.rx_addr);
    assert_int_equal(sockport_sendmmsg(u.tx, out.m, 32, 0), 32);
    assert_int_equal(calls, 1);
    assert_int_equal(calls2, 32);
    batch_in(&in, 32);
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, 32, 0), 32);
    assert_int_equal(calls, 2);
    batch_check(&in, &out, 32, &u.tx_addr);
    /* the loop stops at the first empty queue */
    assert_int_equal(sockport_send_to(u.tx, "a", 1, 0, &u.rx_addr), 1);
    assert_int_equal(sockport_send_to(u.tx, "b", 1, 0, &u.rx_addr), 1);
    batch_in(&in, 32);
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, 32, 0), 2);
    assert_sp_err(sockport_recvmmsg(u.rx, in.m, 32, SOCKPORT_MSG_DONTWAIT), SOCKPORT_EAGAIN);
    sockport__posix_syscall_reset();
    udp_close(&u);
}

/* A bad message ends the batch: before it, the count; first, the error. */
static void test_sendmmsg_stops_at_a_bad_message(void **state)
{
    (void)state;
    udp u = udp_pair();
    static batch out, in;
    uint64_t ctl[4];
    size_t used = 0;
    uint16_t two = 2;
    batch_out(&out, 3, &u.rx_addr);
    assert_sp_ok(
        sockport_cmsg_append(ctl, sizeof ctl, &used, SOCKPORT_CMSG_UDP_SEGMENT, &two, sizeof two));
    memcpy(ctl, &(sockport_cmsg){SOCKPORT_CMSG_TOS, 2}, sizeof(sockport_cmsg)); /* 2-byte int */
    out.m[1].hdr.control = ctl;
    out.m[1].hdr.controllen = used;
    assert_int_equal(sockport_sendmmsg(u.tx, out.m, 3, 0), 1);
    assert_sp_err(sockport_sendmmsg(u.tx, out.m + 1, 2, 0), SOCKPORT_EINVAL);
    batch_in(&in, 3);
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, 3, 0), 1);
    udp_close(&u);
}

/* ---- sendfile ------------------------------------------------------------------ */

static int temp_file(size_t size)
{
    char path[] = "/tmp/spfileXXXXXX";
    static unsigned char buf[200000];
    int fd = mkstemp(path);
    assert_true(fd >= 0 && size <= sizeof buf);
    unlink(path);
    for (size_t i = 0; i < size; i++)
        buf[i] = (unsigned char)(i * 13 + 1);
    assert_int_equal(write(fd, buf, size), (ssize_t)size);
    return fd;
}

typedef struct conn {
    sockport_socket *client, *server;
} conn;

static conn tcp_conn(void)
{
    sockport_socket *l = open_sock(V4, STREAM);
    sockport_addr lo = ip("127.0.0.1", 0), bound;
    conn c;
    assert_sp_ok(sockport_bind(l, &lo));
    assert_sp_ok(sockport_local_addr(l, &bound));
    assert_sp_ok(sockport_listen(l, 4));
    c.client = open_sock(V4, STREAM);
    assert_sp_ok(sockport_connect(c.client, &bound));
    assert_sp_ok(sockport_accept(l, &c.server, NULL, 0));
    close_sock(l);
    return c;
}

static void expect_file_bytes(sockport_socket *s, size_t from, size_t n)
{
    static unsigned char got[200000];
    size_t have = 0;
    while (have < n) {
        ptrdiff_t r = sockport_recv(s, got + have, n - have, 0);
        assert_true(r > 0);
        have += (size_t)r;
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i], (unsigned char)((from + i) * 13 + 1));
}

static ssize_t sendfile_errno(int out, int in, off_t *off, size_t count)
{
    (void)out, (void)in, (void)off, (void)count;
    calls++;
    errno = seen_flags;
    return -1;
}

static ssize_t pread_counted(int fd, void *buf, size_t len, off_t off)
{
    calls2++;
    return ((ssize_t(*)(int, void *, size_t, off_t))real_pread)(fd, buf, len, off);
}

static void check_sendfile_fallback(int err)
{
    conn c = tcp_conn();
    int f = temp_file(50000);
    seen_flags = err;
    inject("sendfile", FN(sendfile_errno), NULL);
    inject("pread", FN(pread_counted), &real_pread);
    assert_int_equal(sockport_sendfile(c.client, f, 123, 30000), 30000);
    assert_int_equal(calls, 1);
    assert_true(calls2 >= 30000 / 8192);
    expect_file_bytes(c.server, 123, 30000);
    assert_int_equal(sockport_sendfile(c.client, f, 49990, 100), 10); /* end of file */
    expect_file_bytes(c.server, 49990, 10);
    assert_int_equal(sockport_sendfile(c.client, f, 50000, 100), 0);
    assert_int_equal(lseek(f, 0, SEEK_CUR), 50000); /* the file's position is not used */
    sockport__posix_syscall_reset();
    close(f);
    close_sock(c.client);
    close_sock(c.server);
}

static void test_sendfile_falls_back_without_the_kernels_sendfile(void **state)
{
    (void)state;
    check_sendfile_fallback(ENOSYS);
}

static void test_sendfile_falls_back_when_the_kernel_refuses_the_file(void **state)
{
    (void)state;
    check_sendfile_fallback(EINVAL);
}

static void test_sendfile_of_a_bad_descriptor_is_ebadf(void **state)
{
    (void)state;
    conn c = tcp_conn();
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[1]);
    close(fds[0]); /* a descriptor number known to be free */
    assert_sp_err(sockport_sendfile(c.client, fds[0], 0, 10), SOCKPORT_EBADF);
    assert_int_equal(sockport_last_os_error(), EBADF);
    assert_sp_err(sockport_sendfile(c.client, (sockport_native)INT32_MAX + 1, 0, 10),
                  SOCKPORT_EBADF);
    assert_int_equal(sockport_last_os_error(), 0);
    close_sock(c.client);
    close_sock(c.server);
}

/* ---- resolve ------------------------------------------------------------------ */

static int fake_gai_result, fake_gai_errno;
static struct addrinfo fake_ai[5];
static struct sockaddr_storage fake_sa[5];
static struct addrinfo seen_hints;

static void fake_entry(size_t i, const char *text, uint16_t port)
{
    sockport_addr a;
    size_t len = sizeof fake_sa[i];
    memset(&fake_ai[i], 0, sizeof fake_ai[i]);
    memset(&fake_sa[i], 0, sizeof fake_sa[i]);
    if (text[0] == '/') {
        assert_sp_ok(sockport_addr_unix(&a, text));
    } else {
        a = ip(text, port);
    }
    assert_sp_ok(sockport_addr_to_native(&a, &fake_sa[i], &len));
    fake_ai[i].ai_family = fake_sa[i].ss_family;
    fake_ai[i].ai_addr = (struct sockaddr *)&fake_sa[i];
    fake_ai[i].ai_addrlen = (socklen_t)len;
    fake_ai[i].ai_next = i + 1 < 5 ? &fake_ai[i + 1] : NULL;
}

static int getaddrinfo_fake(const char *host, const char *service, const struct addrinfo *hints,
                            struct addrinfo **res)
{
    (void)host, (void)service;
    seen_hints = *hints;
    calls++;
    if (fake_gai_result != 0) {
        errno = fake_gai_errno;
        return fake_gai_result;
    }
    *res = fake_ai;
    return 0;
}

static void freeaddrinfo_fake(struct addrinfo *res)
{
    assert_ptr_equal(res, fake_ai);
    calls2++;
}

static void fake_resolver(int result, int err)
{
    fake_gai_result = result;
    fake_gai_errno = err;
    inject("getaddrinfo", FN(getaddrinfo_fake), NULL);
    inject("freeaddrinfo", FN(freeaddrinfo_fake), NULL);
}

static void test_resolve_maps_resolver_errors_and_records_the_code(void **state)
{
    (void)state;
    sockport_addr out[4];
    fake_resolver(EAI_AGAIN, 0);
    assert_sp_err(sockport_resolve("host.example", "80", NULL, out, 4), SOCKPORT_EAI_AGAIN);
    assert_int_equal(sockport_last_os_error(), EAI_AGAIN);
    fake_resolver(EAI_MEMORY, 0);
    assert_sp_err(sockport_resolve("host.example", "80", NULL, out, 4), SOCKPORT_ENOMEM);
    fake_resolver(EAI_SYSTEM, EMFILE); /* errno says what */
    assert_sp_err(sockport_resolve("host.example", "80", NULL, out, 4), SOCKPORT_EMFILE);
    assert_int_equal(sockport_last_os_error(), EMFILE);
    fake_resolver(EAI_NODATA, 0);
    assert_sp_err(sockport_resolve("host.example", "80", NULL, out, 4), SOCKPORT_EAI_NODATA);
    assert_int_equal(calls2, 0); /* nothing to free after a failure */
}

static void test_resolve_keeps_ip_results_once_in_order(void **state)
{
    (void)state;
    sockport_addr out[8];
    fake_entry(0, "/tmp/not-ip", 0);
    fake_entry(1, "127.0.0.1", 80);
    fake_entry(2, "::1", 80);
    fake_entry(3, "127.0.0.1", 80); /* once per socket type: a duplicate */
    fake_entry(4, "10.0.0.1", 80);
    fake_resolver(0, 0);
    assert_int_equal(sockport_resolve("host.example", "80", NULL, out, 8), 3);
    sockport_addr w0 = ip("127.0.0.1", 80), w1 = ip("::1", 80), w2 = ip("10.0.0.1", 80);
    assert_int_equal(sockport_addr_compare(&out[0], &w0), 0);
    assert_int_equal(sockport_addr_compare(&out[1], &w1), 0);
    assert_int_equal(sockport_addr_compare(&out[2], &w2), 0);
    assert_int_equal(sockport_resolve("host.example", "80", NULL, out, 2), 2);
    assert_int_equal(calls2, 2); /* freed every time */
}

static void test_resolve_without_an_ip_result_is_eai_nodata(void **state)
{
    (void)state;
    sockport_addr out[2];
    for (size_t i = 0; i < 5; i++)
        fake_entry(i, "/tmp/x", 0);
    fake_resolver(0, 0);
    assert_sp_err(sockport_resolve("host.example", NULL, NULL, out, 2), SOCKPORT_EAI_NODATA);
    assert_int_equal(calls2, 1);
}

static void test_resolve_passes_the_hints(void **state)
{
    (void)state;
    sockport_resolve_hints h = {V6, DGRAM, SOCKPORT_IPPROTO_UDP,
                                SOCKPORT_AI_PASSIVE | SOCKPORT_AI_ADDRCONFIG};
    sockport_addr out[2];
    fake_resolver(EAI_NONAME, 0);
    assert_sp_err(sockport_resolve("host.example", "domain", &h, out, 2), SOCKPORT_EAI_NONAME);
    assert_int_equal(seen_hints.ai_family, AF_INET6);
    assert_int_equal(seen_hints.ai_socktype, SOCK_DGRAM);
    assert_int_equal(seen_hints.ai_protocol, IPPROTO_UDP);
    assert_int_equal(seen_hints.ai_flags, AI_PASSIVE | AI_ADDRCONFIG);
}

/* ---- poll ---------------------------------------------------------------------- */

static struct pollfd seen_pfd[4];

static int clock_fake(clockid_t id, struct timespec *ts)
{
    (void)id;
    ts->tv_sec = fake_now_ms / 1000;
    ts->tv_nsec = (long)(fake_now_ms % 1000) * 1000000L;
    return 0;
}

/* First call: 40 ms pass, then a signal. Second: reports readiness. */
static int poll_eintr_then_ready(struct pollfd *fds, nfds_t n, int timeout)
{
    poll_waits[calls++] = timeout;
    memcpy(seen_pfd, fds, n * sizeof *fds);
    if (calls == 1) {
        fake_now_ms += 40;
        errno = EINTR;
        return -1;
    }
    fds[1].revents = POLLIN | POLLHUP | POLLERR;
    fds[2].revents = POLLNVAL;
    return 2;
}

static void test_poll_retries_eintr_with_the_remaining_time(void **state)
{
    (void)state;
    sockport_socket *a = open_sock(V4, DGRAM), *b = open_sock(V4, DGRAM);
    sockport_pollfd p[3] = {{NULL, SOCKPORT_POLLIN, 9},
                            {a, SOCKPORT_POLLIN | SOCKPORT_POLLPRI, 9},
                            {b, SOCKPORT_POLLOUT, 9}};
    inject("clock_gettime", FN(clock_fake), NULL);
    inject("poll", FN(poll_eintr_then_ready), NULL);
    assert_int_equal(sockport_poll(p, 3, 100), 2);
    assert_int_equal(calls, 2);
    assert_int_equal(poll_waits[0], 100);
    assert_int_equal(poll_waits[1], 60);
    assert_int_equal(seen_pfd[0].fd, -1);
    assert_int_equal(seen_pfd[1].fd, fd_of(a));
    assert_int_equal(seen_pfd[1].events, POLLIN | POLLPRI);
    assert_int_equal(seen_pfd[2].events, POLLOUT);
    assert_int_equal(p[0].revents, 0);
    assert_int_equal(p[1].revents, SOCKPORT_POLLIN | SOCKPORT_POLLHUP | SOCKPORT_POLLERR);
    assert_int_equal(p[2].revents, SOCKPORT_POLLNVAL);
    sockport__posix_syscall_reset();
    close_sock(a);
    close_sock(b);
}

/* ---- the table ------------------------------------------------------------------- */

static void test_every_new_call_is_in_the_syscall_table(void **state)
{
    (void)state;
    static const char *const want[] = {"sendmsg",  "recvmsg", "sendmmsg",    "recvmmsg",
                                       "sendfile", "pread",   "getaddrinfo", "freeaddrinfo"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (sockport__posix_syscall_get(want[i]) == NULL)
            print_error("%s is not in the syscall table\n", want[i]);
        assert_non_null(sockport__posix_syscall_get(want[i]));
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(test_raw_getsockopt_reads_so_type_with_native_constants, reset_table),
    cmocka_unit_test_teardown(test_raw_setsockopt_is_seen_by_the_portable_getter, reset_table),
    cmocka_unit_test_teardown(test_so_domain_and_so_type_read_sockport_values, reset_table),
    cmocka_unit_test_teardown(test_pmtud_modes_map_to_the_native_constants, reset_table),
    cmocka_unit_test_teardown(test_linger_is_the_native_struct, reset_table),
    cmocka_unit_test_teardown(test_keepalive_rounds_milliseconds_up_to_seconds, reset_table),
    cmocka_unit_test_teardown(test_string_option_drops_the_kernels_trailing_nul, reset_table),
    cmocka_unit_test_teardown(test_kernel_enoprotoopt_on_an_option_is_enotsup, reset_table),
    cmocka_unit_test_teardown(test_original_dst_of_a_unix_socket_is_enoprotoopt, reset_table),
    cmocka_unit_test_teardown(test_multicast_v4_uses_ip_mreqn_with_address_and_index, reset_table),
    cmocka_unit_test_teardown(test_multicast_source_joins_pick_the_native_request, reset_table),
    cmocka_unit_test_teardown(test_multicast_v6_takes_the_zone_as_the_interface, reset_table),
    cmocka_unit_test_teardown(test_adopting_a_pipe_is_enotsock_and_leaves_it_open, reset_table),
    cmocka_unit_test_teardown(test_adopting_keeps_the_descriptors_own_flags, reset_table),
    cmocka_unit_test_teardown(test_adopting_one_end_of_a_socketpair, reset_table),
    cmocka_unit_test_teardown(test_release_leaves_the_descriptor_open, reset_table),
    cmocka_unit_test_teardown(test_received_descriptors_are_close_on_exec, reset_table),
    cmocka_unit_test_teardown(test_descriptors_that_do_not_fit_are_closed, reset_table),
    cmocka_unit_test_teardown(test_ttl_set_per_message_arrives_with_ip_recvttl, reset_table),
    cmocka_unit_test_teardown(test_too_much_control_data_is_enobufs, reset_table),
    cmocka_unit_test_teardown(test_sendmsg_translates_control_to_native_messages, reset_table),
    cmocka_unit_test_teardown(test_recvmsg_translates_native_control_messages, reset_table),
    cmocka_unit_test_teardown(test_mmsg_splits_a_batch_beyond_the_stack_budget, reset_table),
    cmocka_unit_test_teardown(test_mmsg_passes_many_buffers_in_one_kernel_call, reset_table),
    cmocka_unit_test_teardown(test_mmsg_fallback_gives_the_same_results, reset_table),
    cmocka_unit_test_teardown(test_sendmmsg_stops_at_a_bad_message, reset_table),
    cmocka_unit_test_teardown(test_sendfile_falls_back_without_the_kernels_sendfile, reset_table),
    cmocka_unit_test_teardown(test_sendfile_falls_back_when_the_kernel_refuses_the_file,
                              reset_table),
    cmocka_unit_test_teardown(test_sendfile_of_a_bad_descriptor_is_ebadf, reset_table),
    cmocka_unit_test_teardown(test_resolve_maps_resolver_errors_and_records_the_code, reset_table),
    cmocka_unit_test_teardown(test_resolve_keeps_ip_results_once_in_order, reset_table),
    cmocka_unit_test_teardown(test_resolve_without_an_ip_result_is_eai_nodata, reset_table),
    cmocka_unit_test_teardown(test_resolve_passes_the_hints, reset_table),
    cmocka_unit_test_teardown(test_poll_retries_eintr_with_the_remaining_time, reset_table),
    cmocka_unit_test_teardown(test_every_new_call_is_in_the_syscall_table, reset_table),
};

SP_TEST_MAIN(tests, NULL, NULL)
