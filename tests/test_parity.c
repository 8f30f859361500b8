/*
 * socket2 parity through the public API alone (sockport.h), so the same
 * source runs against POSIX natively and against WinSock under Wine: every
 * option from SO_PASSCRED on (set, read back, and where it changes behaviour,
 * observed), linger, keepalive timing, multicast, the address-valued
 * options, cookie, BPF, vectored, message and batched I/O with portable
 * control messages, poll, peek_sender, sendfile, resolve, introspection and
 * native handles, and the control-message helpers.
 *
 * What the running system lacks must say so: sockport_option_supported() is
 * 0 and the call answers SOCKPORT_ENOTSUP (checked, and the case passes). A
 * case is skipped, with the reason printed, only when the behaviour cannot be
 * observed here (a family the system lacks, a privilege the test lacks, a
 * loopback that carries no multicast). Loopback only, port 0 always; every
 * case closes everything it opens (the group fixture checks).
 */
#include "sp_platform.h"

#include "sp_test.h"

#include <stdbool.h>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

#define STREAM SOCKPORT_SOCK_STREAM
#define DGRAM  SOCKPORT_SOCK_DGRAM
#define RAW    SOCKPORT_SOCK_RAW
#define V4     SOCKPORT_AF_INET
#define V6     SOCKPORT_AF_INET6
#define UNIX   SOCKPORT_AF_UNIX

/* ---- helpers -------------------------------------------------------------- */

static void skip_because(const char *what, int rc)
{
    print_message("skipped: %s (%s: %s)\n", what, sockport_err_name(rc), sockport_strerror(rc));
    skip();
}

static int privilege_error(int rc)
{
    return rc == SOCKPORT_EPERM || rc == SOCKPORT_EACCES;
}

/* Opens a socket; skips when the system lacks the family or the privilege
 * (raw sockets). Raw sockets carry ICMP. */
static sockport_socket *open_sock(int family, int type, unsigned flags)
{
    sockport_socket *s = NULL;
    int proto = type != RAW ? 0 : family == V6 ? SOCKPORT_IPPROTO_ICMPV6 : SOCKPORT_IPPROTO_ICMP;
    int rc = sockport_open(&s, family, type, proto, flags);
    if (rc == SOCKPORT_EAFNOSUPPORT || rc == SOCKPORT_ESOCKTNOSUPPORT ||
        rc == SOCKPORT_EPROTONOSUPPORT)
        skip_because("this system has no such socket", rc);
    if (privilege_error(rc))
        skip_because("raw sockets need privileges this test lacks", rc);
    assert_sp_ok(rc);
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

static sockport_addr loopback(int family)
{
    return ip(family == V6 ? "::1" : "127.0.0.1", 0);
}

/* Skips the case when ::1 cannot be bound (IPv6 off). */
static void require_ipv6(void)
{
    sockport_socket *s = open_sock(V6, DGRAM, 0);
    sockport_addr a = loopback(V6);
    int rc = sockport_bind(s, &a);
    close_sock(s);
    if (rc < 0)
        skip_because("no IPv6 loopback", rc);
}

static sockport_socket *open_ip(int family, int type, unsigned flags)
{
    if (family == V6)
        require_ipv6();
    return open_sock(family, type, flags);
}

/* Binds s to its family's loopback, port 0; returns the bound address. */
static sockport_addr bind_loopback(sockport_socket *s, int family)
{
    sockport_addr a = loopback(family), got;
    assert_sp_ok(sockport_bind(s, &a));
    assert_sp_ok(sockport_local_addr(s, &got));
    assert_true(sockport_addr_port(&got) > 0);
    return got;
}

typedef struct conn {
    sockport_socket *client, *server;
} conn;

/* A connected TCP pair on loopback; the listener is closed again. */
static conn tcp_conn(int family)
{
    sockport_socket *l = open_ip(family, STREAM, 0);
    sockport_addr bound = bind_loopback(l, family);
    conn c;
    assert_sp_ok(sockport_listen(l, 8));
    c.client = open_sock(family, STREAM, 0);
    assert_sp_ok(sockport_connect(c.client, &bound));
    assert_sp_ok(sockport_accept(l, &c.server, NULL, 0));
    close_sock(l);
    return c;
}

static void conn_close(conn *c)
{
    close_sock(c->client);
    close_sock(c->server);
}

/* Two UDP sockets on loopback: rx bound (at rx_addr), tx bound too. */
typedef struct udp {
    sockport_socket *rx, *tx;
    sockport_addr rx_addr, tx_addr;
} udp;

static udp udp_pair(int family)
{
    udp u;
    u.rx = open_ip(family, DGRAM, 0);
    u.tx = open_sock(family, DGRAM, 0);
    u.rx_addr = bind_loopback(u.rx, family);
    u.tx_addr = bind_loopback(u.tx, family);
    assert_sp_ok(sockport_set_recv_timeout(u.rx, 5000));
    return u;
}

static void udp_close(udp *u)
{
    close_sock(u->rx);
    close_sock(u->tx);
}

static void send_text(sockport_socket *s, const char *text)
{
    size_t n = strlen(text);
    assert_int_equal(sockport_send(s, text, n, 0), (ptrdiff_t)n);
}

/* Receives exactly strlen(text) bytes and compares them. */
static void expect_text(sockport_socket *s, const char *text)
{
    char buf[256];
    size_t n = strlen(text), got = 0;
    assert_true(n <= sizeof buf);
    while (got < n) {
        ptrdiff_t rc = sockport_recv(s, buf + got, n - got, 0);
        assert_sp_ok(rc);
        assert_true(rc > 0);
        got += (size_t)rc;
    }
    assert_memory_equal(buf, text, n);
}

/* The loopback interface's index, from a zone name ("lo", BSD "lo0"), or 0. */
static uint32_t loopback_ifindex(void)
{
    static const char *const names[] = {"fe80::1%lo", "fe80::1%lo0", "fe80::1%1"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        sockport_addr a;
        if (sockport_addr_ip(&a, names[i], 0) == 0)
            return (uint32_t)sockport_addr_scope_id(&a);
    }
    return 0;
}

/* ---- options: the generic check ------------------------------------------- */

/* What the system lacks answers ENOTSUP, both ways. */
static void prove_enotsup(sockport_socket *s, int opt, int value)
{
    int v = 0;
    print_message("%s: not supported here; ENOTSUP checked\n", sockport_option_name(opt));
    assert_sp_err(sockport_set_int(s, opt, value), SOCKPORT_ENOTSUP);
    assert_sp_err(sockport_get_int(s, opt, &v), SOCKPORT_ENOTSUP);
}

/* Sets value and reads it back; a privilege the test lacks skips (after
 * closing s). */
static void set_and_expect(sockport_socket *s, int opt, int value)
{
    int v = -12345;
    int rc = sockport_set_int(s, opt, value);
    if (privilege_error(rc)) {
        close_sock(s);
        skip_because("setting it needs a privilege this test lacks", rc);
    }
    assert_sp_ok(rc);
    assert_sp_ok(sockport_get_int(s, opt, &v));
    if (v != value)
        print_error("%s: set %d, read %d\n", sockport_option_name(opt), value, v);
    assert_int_equal(v, value);
}

/* An option on a socket it applies to: unsupported → ENOTSUP proven;
 * supported → readable, and what is set reads back (bools both ways). */
static void check_option(int opt, int family, int type, int value)
{
    sockport_socket *s = open_ip(family, type, 0);
    int sup = sockport_option_supported(s, opt), v = 0;
    assert_true(sup == 0 || sup == 1);
    if (sup == 0) {
        prove_enotsup(s, opt, value);
        close_sock(s);
        return;
    }
    assert_sp_ok(sockport_get_int(s, opt, &v));
    set_and_expect(s, opt, value);
    if (value == 1)
        set_and_expect(s, opt, 0); /* a bool: off again */
    close_sock(s);
}

#define OPTION_CASE(fn, opt, family, type, value)                                                  \
    static void fn(void **state)                                                                   \
    {                                                                                              \
        (void)state;                                                                               \
        check_option(SOCKPORT_OPT_##opt, family, type, value);                                     \
    }

/* clang-format off */
OPTION_CASE(test_option_so_passcred,              SO_PASSCRED, UNIX, STREAM, 1)
OPTION_CASE(test_option_so_priority,              SO_PRIORITY, V4, DGRAM, 3)
OPTION_CASE(test_option_so_reuseport_lb,          SO_REUSEPORT_LB, V4, DGRAM, 1)
OPTION_CASE(test_option_so_mark,                  SO_MARK, V4, DGRAM, 7)
OPTION_CASE(test_option_so_incoming_cpu,          SO_INCOMING_CPU, V4, DGRAM, 0)
OPTION_CASE(test_option_so_busy_poll,             SO_BUSY_POLL, V4, DGRAM, 50)
OPTION_CASE(test_option_so_rcvlowat,              SO_RCVLOWAT, V4, STREAM, 10)
OPTION_CASE(test_option_ip_tos,                   IP_TOS, V4, DGRAM, 0x10)
OPTION_CASE(test_option_ip_recvtos,               IP_RECVTOS, V4, DGRAM, 1)
OPTION_CASE(test_option_ip_hdrincl,               IP_HDRINCL, V4, RAW, 1)
OPTION_CASE(test_option_ip_transparent,           IP_TRANSPARENT, V4, STREAM, 1)
OPTION_CASE(test_option_ip_freebind,              IP_FREEBIND, V4, STREAM, 1)
OPTION_CASE(test_option_ip_multicast_loop,        IP_MULTICAST_LOOP, V4, DGRAM, 1)
OPTION_CASE(test_option_ip_multicast_ttl,         IP_MULTICAST_TTL, V4, DGRAM, 5)
OPTION_CASE(test_option_ip_multicast_all,         IP_MULTICAST_ALL, V4, DGRAM, 1)
OPTION_CASE(test_option_ip_pktinfo,               IP_PKTINFO, V4, DGRAM, 1)
OPTION_CASE(test_option_ip_recverr,               IP_RECVERR, V4, DGRAM, 1)
OPTION_CASE(test_option_ipv6_multicast_hops,      IPV6_MULTICAST_HOPS, V6, DGRAM, 5)
OPTION_CASE(test_option_ipv6_multicast_loop,      IPV6_MULTICAST_LOOP, V6, DGRAM, 1)
OPTION_CASE(test_option_ipv6_multicast_all,       IPV6_MULTICAST_ALL, V6, DGRAM, 1)
OPTION_CASE(test_option_ipv6_recvtclass,          IPV6_RECVTCLASS, V6, DGRAM, 1)
OPTION_CASE(test_option_ipv6_tclass,              IPV6_TCLASS, V6, DGRAM, 0x28)
OPTION_CASE(test_option_ipv6_recvhoplimit,        IPV6_RECVHOPLIMIT, V6, DGRAM, 1)
OPTION_CASE(test_option_ipv6_hdrincl,             IPV6_HDRINCL, V6, RAW, 1)
OPTION_CASE(test_option_ipv6_transparent,         IPV6_TRANSPARENT, V6, STREAM, 1)
OPTION_CASE(test_option_ipv6_freebind,            IPV6_FREEBIND, V6, STREAM, 1)
OPTION_CASE(test_option_ipv6_recvpktinfo,         IPV6_RECVPKTINFO, V6, DGRAM, 1)
OPTION_CASE(test_option_ipv6_recverr,             IPV6_RECVERR, V6, DGRAM, 1)
OPTION_CASE(test_option_tcp_keepidle,             TCP_KEEPIDLE, V4, STREAM, 30)
OPTION_CASE(test_option_tcp_keepintvl,            TCP_KEEPINTVL, V4, STREAM, 5)
OPTION_CASE(test_option_tcp_keepcnt,              TCP_KEEPCNT, V4, STREAM, 4)
OPTION_CASE(test_option_tcp_cork,                 TCP_CORK, V4, STREAM, 1)
OPTION_CASE(test_option_tcp_quickack,             TCP_QUICKACK, V4, STREAM, 1)
OPTION_CASE(test_option_tcp_thin_linear_timeouts, TCP_THIN_LINEAR_TIMEOUTS, V4, STREAM, 1)
OPTION_CASE(test_option_tcp_notsent_lowat,        TCP_NOTSENT_LOWAT, V4, STREAM, 16384)
OPTION_CASE(test_option_tcp_user_timeout,         TCP_USER_TIMEOUT, V4, STREAM, 5000)
OPTION_CASE(test_option_tcp_fastopen,             TCP_FASTOPEN, V4, STREAM, 5)
OPTION_CASE(test_option_udp_segment,              UDP_SEGMENT, V4, DGRAM, 1000)
OPTION_CASE(test_option_udp_gro,                  UDP_GRO, V4, DGRAM, 1)
/* clang-format on */

/* Where sockport itself sets SO_NOSIGPIPE (Apple, BSD) it reads 1 on a fresh
 * socket; elsewhere ENOTSUP. */
static void test_option_so_nosigpipe(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM, 0);
    bool on = false;
    if (sockport_option_supported(s, SOCKPORT_OPT_SO_NOSIGPIPE) == 0) {
        prove_enotsup(s, SOCKPORT_OPT_SO_NOSIGPIPE, 1);
    } else {
        assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_NOSIGPIPE, &on));
        assert_true(on);
    }
    close_sock(s);
}

/* Read-only on Linux (the kernel refuses to set it): readable, >= 1; set
 * either reads back or is ENOTSUP. */
static void test_option_so_sndlowat(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM, 0);
    int v = 0;
    if (sockport_option_supported(s, SOCKPORT_OPT_SO_SNDLOWAT) == 0) {
        prove_enotsup(s, SOCKPORT_OPT_SO_SNDLOWAT, 100);
        close_sock(s);
        return;
    }
    assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_SNDLOWAT, &v));
    assert_true(v >= 1);
    int rc = sockport_set_int(s, SOCKPORT_OPT_SO_SNDLOWAT, 100);
    if (rc == SOCKPORT_ENOTSUP) {
        print_message("SO_SNDLOWAT: read-only here; set is ENOTSUP\n");
    } else {
        assert_sp_ok(rc);
        assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_SNDLOWAT, &v));
        assert_int_equal(v, 100);
    }
    close_sock(s);
}

static void check_pmtud(int family, int opt)
{
    sockport_socket *s = open_ip(family, DGRAM, 0);
    if (sockport_option_supported(s, opt) == 0) {
        prove_enotsup(s, opt, SOCKPORT_PMTUD_DO);
        close_sock(s);
        return;
    }
    for (int mode = SOCKPORT_PMTUD_DONT; mode <= SOCKPORT_PMTUD_PROBE; mode++)
        set_and_expect(s, opt, mode);
    assert_sp_err(sockport_set_int(s, opt, 4), SOCKPORT_EINVAL);
    close_sock(s);
}

static void test_option_ip_mtu_discover_takes_every_mode(void **state)
{
    (void)state;
    check_pmtud(V4, SOCKPORT_OPT_IP_MTU_DISCOVER);
}

static void test_option_ipv6_mtu_discover_takes_every_mode(void **state)
{
    (void)state;
    check_pmtud(V6, SOCKPORT_OPT_IPV6_MTU_DISCOVER);
}

/* An interface index option: the loopback's index reads back. */
static void check_ifindex_option(int family, int opt)
{
    uint32_t lo = loopback_ifindex();
    if (lo == 0 || lo > 255)
        skip_because("no loopback interface index here", SOCKPORT_ENODEV);
    check_option(opt, family, DGRAM, (int)lo);
}

static void test_option_ipv6_multicast_if(void **state)
{
    (void)state;
    check_ifindex_option(V6, SOCKPORT_OPT_IPV6_MULTICAST_IF);
}

static void test_option_so_bindtoifindex(void **state)
{
    (void)state;
    check_ifindex_option(V4, SOCKPORT_OPT_SO_BINDTOIFINDEX);
}

/* TCP_MAXSEG before connecting: Linux keeps the value asked for; others may
 * report a clamped or default segment size. */
static void test_option_tcp_maxseg(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM, 0);
    int v = 0;
    if (sockport_option_supported(s, SOCKPORT_OPT_TCP_MAXSEG) == 0) {
        prove_enotsup(s, SOCKPORT_OPT_TCP_MAXSEG, 1200);
        close_sock(s);
        return;
    }
    int rc = sockport_set_int(s, SOCKPORT_OPT_TCP_MAXSEG, 1200);
    if (rc == SOCKPORT_ENOTSUP) /* Windows: read-only */
        print_message("TCP_MAXSEG: read-only here\n");
    else
        assert_sp_ok(rc);
    assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_TCP_MAXSEG, &v));
#ifdef __linux__
    assert_int_equal(v, 1200);
#else
    assert_true(v > 0);
#endif
    close_sock(s);
}

/* Windows' delayed-ACK frequency is set-only; elsewhere ENOTSUP. */
static void test_option_sio_tcp_set_ack_frequency(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    if (sockport_option_supported(c.client, SOCKPORT_OPT_SIO_TCP_SET_ACK_FREQUENCY) == 0)
        assert_sp_err(sockport_set_int(c.client, SOCKPORT_OPT_SIO_TCP_SET_ACK_FREQUENCY, 2),
                      SOCKPORT_ENOTSUP);
    else
        assert_sp_ok(sockport_set_int(c.client, SOCKPORT_OPT_SIO_TCP_SET_ACK_FREQUENCY, 2));
    conn_close(&c);
}

/* ---- options: read-only, strings, behaviour --------------------------------- */

static void expect_identity(int family, int type, int want_proto)
{
    sockport_socket *s = open_ip(family, type, 0);
    int v = 0;
    assert_int_equal(sockport_family(s), family);
    assert_int_equal(sockport_type(s), type);
    assert_int_equal(sockport_protocol(s), want_proto);
    assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_TYPE, &v));
    assert_int_equal(v, type);
    if (sockport_option_supported(s, SOCKPORT_OPT_SO_DOMAIN) == 0) {
        assert_sp_err(sockport_get_int(s, SOCKPORT_OPT_SO_DOMAIN, &v), SOCKPORT_ENOTSUP);
    } else {
        assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_DOMAIN, &v));
        assert_int_equal(v, family);
    }
    if (sockport_option_supported(s, SOCKPORT_OPT_SO_PROTOCOL) == 0) {
        assert_sp_err(sockport_get_int(s, SOCKPORT_OPT_SO_PROTOCOL, &v), SOCKPORT_ENOTSUP);
    } else {
        assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_PROTOCOL, &v));
        assert_int_equal(v, want_proto);
    }
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_SO_DOMAIN, family), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_SO_PROTOCOL, want_proto), SOCKPORT_EINVAL);
    close_sock(s);
}

static void test_type_family_protocol_read_back_on_tcp_and_udp(void **state)
{
    (void)state;
    expect_identity(V4, STREAM, SOCKPORT_IPPROTO_TCP);
    expect_identity(V4, DGRAM, SOCKPORT_IPPROTO_UDP);
}

static void test_type_family_protocol_read_back_on_ipv6(void **state)
{
    (void)state;
    expect_identity(V6, STREAM, SOCKPORT_IPPROTO_TCP);
    expect_identity(V6, DGRAM, SOCKPORT_IPPROTO_UDP);
}

static void test_tcp_nodelay_reads_back_on_a_connection(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    bool on = true;
    assert_sp_ok(sockport_get_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, &on));
    assert_false(on);
    assert_sp_ok(sockport_set_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, true));
    assert_sp_ok(sockport_get_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, &on));
    assert_true(on);
    send_text(c.client, "nodelay");
    expect_text(c.server, "nodelay");
    conn_close(&c);
}

/* SO_RCVLOWAT: the socket is not readable until that many bytes wait. */
static void test_so_rcvlowat_holds_readiness_until_enough_bytes(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    if (sockport_option_supported(c.server, SOCKPORT_OPT_SO_RCVLOWAT) == 0) {
        prove_enotsup(c.server, SOCKPORT_OPT_SO_RCVLOWAT, 10);
        conn_close(&c);
        return;
    }
    assert_sp_ok(sockport_set_int(c.server, SOCKPORT_OPT_SO_RCVLOWAT, 10));
    sockport_pollfd p = {c.server, SOCKPORT_POLLIN, 0};
    send_text(c.client, "12345");
    sp_sleep_ms(20);
    assert_int_equal(sockport_poll(&p, 1, 50), 0);
    send_text(c.client, "67890");
    assert_int_equal(sockport_poll(&p, 1, 5000), 1);
    assert_true(p.revents & SOCKPORT_POLLIN);
    expect_text(c.server, "1234567890");
    conn_close(&c);
}

/* IP_FREEBIND: binding an address this host does not have. */
static void test_ip_freebind_allows_binding_a_foreign_address(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM, 0);
    sockport_addr foreign = ip("192.0.2.1", 0); /* TEST-NET-1 */
    if (sockport_option_supported(s, SOCKPORT_OPT_IP_FREEBIND) == 0) {
        prove_enotsup(s, SOCKPORT_OPT_IP_FREEBIND, 1);
        close_sock(s);
        return;
    }
    int rc = sockport_bind(s, &foreign);
    close_sock(s);
    if (rc == 0)
        skip_because("192.0.2.1 is local here (or nonlocal_bind is on)", rc);
    assert_sp_err(rc, SOCKPORT_EADDRNOTAVAIL);
    s = open_sock(V4, DGRAM, 0);
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_IP_FREEBIND, true));
    assert_sp_ok(sockport_bind(s, &foreign));
    close_sock(s);
}

/* UDP_SEGMENT: one send of 3 segments arrives as 3 datagrams. */
static void test_udp_segment_splits_one_send_into_datagrams(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    char out[1500], in[1500];
    if (sockport_option_supported(u.tx, SOCKPORT_OPT_UDP_SEGMENT) == 0) {
        prove_enotsup(u.tx, SOCKPORT_OPT_UDP_SEGMENT, 500);
        udp_close(&u);
        return;
    }
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)(i / 500 + 'a');
    assert_sp_ok(sockport_set_int(u.tx, SOCKPORT_OPT_UDP_SEGMENT, 500));
    assert_int_equal(sockport_send_to(u.tx, out, sizeof out, 0, &u.rx_addr), 1500);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sockport_recv(u.rx, in, sizeof in, 0), 500);
        assert_memory_equal(in, out + 500 * i, 500);
    }
    udp_close(&u);
}

static void test_tcp_congestion_reads_and_sets_the_algorithm(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM, 0);
    char name[64], tiny[2];
    if (sockport_option_supported(s, SOCKPORT_OPT_TCP_CONGESTION) == 0) {
        assert_sp_err(sockport_get_str(s, SOCKPORT_OPT_TCP_CONGESTION, name, sizeof name),
                      SOCKPORT_ENOTSUP);
        assert_sp_err(sockport_set_str(s, SOCKPORT_OPT_TCP_CONGESTION, "cubic"), SOCKPORT_ENOTSUP);
        close_sock(s);
        return;
    }
    int n = sockport_get_str(s, SOCKPORT_OPT_TCP_CONGESTION, name, sizeof name);
    assert_sp_ok(n);
    assert_true(n > 0);
    assert_int_equal(strlen(name), (size_t)n); /* no trailing NUL counted */
    print_message("TCP_CONGESTION: the kernel's default is \"%s\"\n", name);
    assert_sp_err(sockport_get_str(s, SOCKPORT_OPT_TCP_CONGESTION, tiny, sizeof tiny),
                  SOCKPORT_ENOSPC);
    assert_sp_ok(sockport_set_str(s, SOCKPORT_OPT_TCP_CONGESTION, name)); /* the default again */
    int rc = sockport_set_str(s, SOCKPORT_OPT_TCP_CONGESTION, "reno");
    if (rc == 0) {
        assert_int_equal(sockport_get_str(s, SOCKPORT_OPT_TCP_CONGESTION, name, sizeof name), 4);
        assert_string_equal(name, "reno");
    } else {
        print_message("reno not allowed here (%s)\n", sockport_err_name(rc));
    }
    assert_true(sockport_set_str(s, SOCKPORT_OPT_TCP_CONGESTION, "no-such-algorithm") < 0);
    close_sock(s);
}

/* SO_BINDTODEVICE "lo", cross-checked with SO_BINDTOIFINDEX; "" unbinds. */
static void test_so_bindtodevice_binds_and_unbinds_the_loopback(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, DGRAM, 0);
    char name[32];
    int idx = 0;
    if (sockport_option_supported(s, SOCKPORT_OPT_SO_BINDTODEVICE) == 0) {
        assert_sp_err(sockport_set_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, "lo"), SOCKPORT_ENOTSUP);
        close_sock(s);
        return;
    }
    assert_int_equal(sockport_get_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, name, sizeof name), 0);
    assert_string_equal(name, "");
    int rc = sockport_set_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, "lo");
    if (privilege_error(rc) || rc == SOCKPORT_ENODEV) {
        close_sock(s);
        skip_because("cannot bind to \"lo\" here", rc);
    }
    assert_sp_ok(rc);
    assert_int_equal(sockport_get_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, name, sizeof name), 2);
    assert_string_equal(name, "lo");
    if (sockport_option_supported(s, SOCKPORT_OPT_SO_BINDTOIFINDEX) == 1) {
        assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_BINDTOIFINDEX, &idx));
        assert_int_equal((uint32_t)idx, loopback_ifindex());
    }
    assert_sp_ok(sockport_set_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, ""));
    assert_int_equal(sockport_get_str(s, SOCKPORT_OPT_SO_BINDTODEVICE, name, sizeof name), 0);
    close_sock(s);
}

/* ---- linger and keepalive --------------------------------------------------- */

static void test_linger_round_trips(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM, 0);
    bool on = true;
    int secs = -1;
    assert_sp_ok(sockport_get_linger(s, &on, &secs));
    assert_false(on);
    assert_sp_ok(sockport_set_linger(s, true, 7));
    assert_sp_ok(sockport_get_linger(s, &on, &secs));
    assert_true(on);
    assert_int_equal(secs, 7);
    assert_sp_ok(sockport_set_linger(s, false, 0));
    assert_sp_ok(sockport_get_linger(s, &on, &secs));
    assert_false(on);
    assert_sp_err(sockport_set_linger(s, true, 65536), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_linger(s, true, -1), SOCKPORT_EINVAL);
    close_sock(s);
}

/* Linger on with 0 seconds: close resets, the peer reads ECONNRESET. */
static void test_linger_zero_makes_the_peer_see_a_reset(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    char buf[8];
    assert_sp_ok(sockport_set_linger(c.client, true, 0));
    close_sock(c.client);
    assert_sp_ok(sockport_set_recv_timeout(c.server, 5000));
    ptrdiff_t n = sockport_recv(c.server, buf, sizeof buf, 0);
    if (n == 0 && sp_under_wine()) {
        close_sock(c.server);
        skip_because("Wine 8 closes with FIN despite SO_LINGER {1, 0}", 0);
    }
    assert_sp_err(n, SOCKPORT_ECONNRESET);
    close_sock(c.server);
}

static void expect_int_option(sockport_socket *s, int opt, int want)
{
    int v = 0;
    if (sockport_option_supported(s, opt) == 0) {
        print_message("%s: not readable here\n", sockport_option_name(opt));
        assert_sp_err(sockport_get_int(s, opt, &v), SOCKPORT_ENOTSUP);
        return;
    }
    assert_sp_ok(sockport_get_int(s, opt, &v));
    assert_int_equal(v, want);
}

/* 1 when one of the keepalive timing options is unsupported here. */
static int keepalive_part_missing(sockport_socket *s)
{
    return sockport_option_supported(s, SOCKPORT_OPT_TCP_KEEPIDLE) == 0 ||
           sockport_option_supported(s, SOCKPORT_OPT_TCP_KEEPINTVL) == 0 ||
           sockport_option_supported(s, SOCKPORT_OPT_TCP_KEEPCNT) == 0;
}

/* Milliseconds are rounded up to the seconds POSIX stores. */
static void test_tcp_keepalive_sets_every_part(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    bool on = false;
    int rc = sockport_set_tcp_keepalive(c.client, true, 30000, 4500, 4);
    if (rc == SOCKPORT_ENOTSUP) {
        print_message("keepalive: a timing part is not settable here; ENOTSUP checked\n");
        assert_true(keepalive_part_missing(c.client));
        conn_close(&c);
        return;
    }
    assert_sp_ok(rc);
    assert_sp_ok(sockport_get_bool(c.client, SOCKPORT_OPT_SO_KEEPALIVE, &on));
    assert_true(on);
    expect_int_option(c.client, SOCKPORT_OPT_TCP_KEEPIDLE, 30);
    expect_int_option(c.client, SOCKPORT_OPT_TCP_KEEPINTVL, 5);
    expect_int_option(c.client, SOCKPORT_OPT_TCP_KEEPCNT, 4);
    /* 0 leaves a part alone */
    assert_sp_ok(sockport_set_tcp_keepalive(c.client, true, 0, 1, 0));
    expect_int_option(c.client, SOCKPORT_OPT_TCP_KEEPIDLE, 30);
    expect_int_option(c.client, SOCKPORT_OPT_TCP_KEEPINTVL, 1);
    expect_int_option(c.client, SOCKPORT_OPT_TCP_KEEPCNT, 4);
    conn_close(&c);
}

static void test_tcp_keepalive_turns_off_and_refuses_udp(void **state)
{
    (void)state;
    sockport_socket *s = open_sock(V4, STREAM, 0), *u = open_sock(V4, DGRAM, 0);
    bool on = true;
    assert_sp_ok(sockport_set_tcp_keepalive(s, true, 0, 0, 0));
    assert_sp_ok(sockport_set_tcp_keepalive(s, false, 0, 0, 0));
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, &on));
    assert_false(on);
    assert_sp_err(sockport_set_tcp_keepalive(u, true, 1000, 1000, 1), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_set_tcp_keepalive(s, true, -1, 0, 0), SOCKPORT_EINVAL);
    close_sock(s);
    close_sock(u);
}

/* ---- multicast -------------------------------------------------------------- */

/* A UDP receiver on the wildcard address (multicast is addressed to the
 * group, not to 127.0.0.1), its port in *port. */
static sockport_socket *mcast_receiver(int family, uint16_t *port)
{
    sockport_socket *s = open_ip(family, DGRAM, 0);
    sockport_addr any = ip(family == V6 ? "::" : "0.0.0.0", 0), got;
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_SO_REUSEADDR, true));
    assert_sp_ok(sockport_bind(s, &any));
    assert_sp_ok(sockport_local_addr(s, &got));
    *port = (uint16_t)sockport_addr_port(&got);
    assert_sp_ok(sockport_set_recv_timeout(s, 1000));
    return s;
}

/* A join that the loopback refuses (no multicast on lo; Wine) skips. */
static void join_or_skip(int rc, sockport_socket *a, sockport_socket *b)
{
    if (rc == SOCKPORT_ENODEV || rc == SOCKPORT_EADDRNOTAVAIL || rc == SOCKPORT_EINVAL) {
        close_sock(a);
        if (b != NULL)
            close_sock(b);
        skip_because("the loopback interface takes no multicast membership here", rc);
    }
    assert_sp_ok(rc);
}

/* Receives text, or skips when nothing arrives (no multicast route on lo). */
static void expect_datagram_or_skip(sockport_socket *rx, sockport_socket *tx, const char *text)
{
    char buf[64];
    ptrdiff_t n = sockport_recv(rx, buf, sizeof buf, 0);
    if (n == SOCKPORT_EAGAIN || n == SOCKPORT_ETIMEDOUT) {
        close_sock(rx);
        close_sock(tx);
        skip_because("multicast is not looped back on this loopback", (int)n);
    }
    assert_int_equal(n, (ptrdiff_t)strlen(text));
    assert_memory_equal(buf, text, strlen(text));
}

static sockport_socket *mcast_sender_v4(void)
{
    sockport_socket *tx = open_sock(V4, DGRAM, 0);
    sockport_addr lo = loopback(V4), got;
    assert_sp_ok(sockport_set_multicast_if_v4(tx, &lo));
    assert_sp_ok(sockport_get_multicast_if_v4(tx, &got));
    assert_int_equal(sockport_addr_compare(&got, &lo), 0);
    assert_sp_ok(sockport_set_bool(tx, SOCKPORT_OPT_IP_MULTICAST_LOOP, true));
    assert_sp_ok(sockport_set_int(tx, SOCKPORT_OPT_IP_MULTICAST_TTL, 1));
    return tx;
}

static void test_multicast_v4_join_receives_on_the_loopback(void **state)
{
    (void)state;
    uint16_t port = 0;
    sockport_socket *rx = mcast_receiver(V4, &port);
    sockport_addr group = ip("239.255.77.1", port), lo = loopback(V4);
    join_or_skip(sockport_join_multicast(rx, &group, &lo, 0), rx, NULL);
    sockport_socket *tx = mcast_sender_v4();
    assert_int_equal(sockport_send_to(tx, "hello group", 11, 0, &group), 11);
    expect_datagram_or_skip(rx, tx, "hello group");
    assert_sp_ok(sockport_leave_multicast(rx, &group, &lo, 0));
    int rc = sockport_leave_multicast(rx, &group, &lo, 0); /* not a member any more */
    print_message("leaving again: %s\n", sockport_err_name(rc));
    assert_true(rc == SOCKPORT_EADDRNOTAVAIL || rc == SOCKPORT_EINVAL);
    close_sock(tx);
    close_sock(rx);
}

static void test_multicast_v4_join_by_interface_index(void **state)
{
    (void)state;
    uint16_t port = 0;
    uint32_t idx = loopback_ifindex();
    sockport_socket *rx = mcast_receiver(V4, &port);
    sockport_addr group = ip("239.255.77.2", port);
    if (idx == 0) {
        close_sock(rx);
        skip_because("no loopback interface index here", SOCKPORT_ENODEV);
    }
    join_or_skip(sockport_join_multicast(rx, &group, NULL, idx), rx, NULL);
    assert_sp_ok(sockport_leave_multicast(rx, &group, NULL, idx));
    close_sock(rx);
}

static void test_multicast_v4_source_specific_join_filters_by_sender(void **state)
{
    (void)state;
    uint16_t port = 0;
    sockport_socket *rx = mcast_receiver(V4, &port);
    sockport_addr group = ip("232.1.2.3", port), lo = loopback(V4), src = loopback(V4);
    join_or_skip(sockport_join_source_multicast(rx, &group, &src, &lo, 0), rx, NULL);
    sockport_socket *tx = mcast_sender_v4();
    sockport_addr from = loopback(V4);
    assert_sp_ok(sockport_bind(tx, &from));
    assert_int_equal(sockport_send_to(tx, "from the source", 15, 0, &group), 15);
    expect_datagram_or_skip(rx, tx, "from the source");
    assert_sp_ok(sockport_leave_source_multicast(rx, &group, &src, &lo, 0));
    close_sock(tx);
    close_sock(rx);
}

static void test_multicast_v6_join_and_leave(void **state)
{
    (void)state;
    uint16_t port = 0;
    uint32_t idx = loopback_ifindex();
    sockport_socket *rx = mcast_receiver(V6, &port);
    sockport_addr group = ip("ff15::7701", port), src = loopback(V6);
    join_or_skip(sockport_join_multicast(rx, &group, NULL, idx), rx, NULL);
    assert_sp_ok(sockport_leave_multicast(rx, &group, NULL, idx));
    int rc = sockport_join_source_multicast(rx, &group, &src, NULL, idx);
    if (rc == SOCKPORT_ENOTSUP) {
        print_message("IPv6 source-specific multicast: not supported here\n");
    } else {
        join_or_skip(rc, rx, NULL);
        assert_sp_ok(sockport_leave_source_multicast(rx, &group, &src, NULL, idx));
    }
    close_sock(rx);
}

static void test_multicast_checks_families_and_types(void **state)
{
    (void)state;
    sockport_socket *u4 = open_sock(V4, DGRAM, 0), *t4 = open_sock(V4, STREAM, 0);
    sockport_addr g4 = ip("239.1.1.1", 0), g6 = ip("ff15::1", 0), lo = loopback(V4);
    assert_sp_err(sockport_join_multicast(u4, &g6, NULL, 0), SOCKPORT_EAFNOSUPPORT);
    assert_sp_err(sockport_join_multicast(t4, &g4, NULL, 0), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_join_multicast(u4, NULL, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_join_source_multicast(u4, &g4, NULL, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_multicast_if_v4(u4, &g6), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_set_multicast_if_v4(u4, &lo));
    close_sock(u4);
    close_sock(t4);
}

/* ---- address-valued options, cookie, BPF ----------------------------------- */

/* A connection no one redirected has no original destination: Linux says
 * ENOENT (or ENOTSUP without conntrack), Windows WSAEINVAL. */
static void test_original_dst_of_a_plain_connection_is_an_error(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    sockport_addr a;
    int rc = sockport_original_dst(c.server, &a);
    print_message("original_dst on a plain connection: %s\n", sockport_err_name(rc));
    assert_true(rc == SOCKPORT_ENOENT || rc == SOCKPORT_ENOTSUP || rc == SOCKPORT_EINVAL);
    conn_close(&c);
}

static void test_cookie_is_stable_and_unique(void **state)
{
    (void)state;
    sockport_socket *a = open_sock(V4, DGRAM, 0), *b = open_sock(V4, DGRAM, 0);
    uint64_t ca = 0, ca2 = 0, cb = 0;
    int rc = sockport_get_cookie(a, &ca);
    if (rc == SOCKPORT_ENOTSUP) {
        print_message("SO_COOKIE: not supported here; ENOTSUP checked\n");
    } else {
        assert_sp_ok(rc);
        assert_sp_ok(sockport_get_cookie(a, &ca2));
        assert_sp_ok(sockport_get_cookie(b, &cb));
        assert_true(ca != 0);
        assert_true(ca == ca2);
        assert_true(ca != cb);
    }
    close_sock(a);
    close_sock(b);
}

/* A one-instruction program, "ret #0", drops every packet. */
static void test_bpf_filter_drops_until_detached(void **state)
{
    (void)state;
    static const sockport_sock_filter drop_all[] = {{0x06, 0, 0, 0}}; /* BPF_RET | BPF_K, 0 */
    udp u = udp_pair(V4);
    char buf[16];
    int rc = sockport_attach_filter(u.rx, drop_all, 1);
    if (rc == SOCKPORT_ENOTSUP) {
        assert_sp_err(sockport_detach_filter(u.rx), SOCKPORT_ENOTSUP);
        print_message("BPF filters: not supported here; ENOTSUP checked\n");
        udp_close(&u);
        return;
    }
    assert_sp_ok(rc);
    assert_int_equal(sockport_send_to(u.tx, "dropped", 7, 0, &u.rx_addr), 7);
    sp_sleep_ms(20);
    assert_sp_err(sockport_recv(u.rx, buf, sizeof buf, SOCKPORT_MSG_DONTWAIT), SOCKPORT_EAGAIN);
    assert_sp_ok(sockport_detach_filter(u.rx));
    assert_int_equal(sockport_send_to(u.tx, "kept", 4, 0, &u.rx_addr), 4);
    assert_int_equal(sockport_recv(u.rx, buf, sizeof buf, 0), 4);
    assert_memory_equal(buf, "kept", 4);
    assert_sp_err(sockport_attach_filter(u.rx, drop_all, 0), SOCKPORT_EINVAL);
    udp_close(&u);
}

/* ---- vectored I/O ------------------------------------------------------------ */

static void test_sendv_and_recvv_move_several_buffers_over_tcp(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    char a[] = "vec", b[] = "tored", d[] = " io!";
    sockport_iovec out[4] = {{a, 3}, {NULL, 0}, {b, 5}, {d, 4}};
    char x[5], y[16];
    sockport_iovec in[2] = {{x, sizeof x}, {y, sizeof y}};
    int flags = -1;
    assert_int_equal(sockport_sendv(c.client, out, 4, 0), 12);
    size_t got = 0;
    while (got < 12) {
        ptrdiff_t n = sockport_recvv(c.server, in, 2, 0, &flags);
        assert_sp_ok(n);
        assert_int_equal(flags, 0);
        got += (size_t)n;
        if (got < 12) { /* the rest lands at the front: move it out of the way */
            assert_true(got <= sizeof x);
            in[0].base = x + got;
            in[0].len = sizeof x - got;
        }
    }
    assert_memory_equal(x, "vecto", 5);
    assert_memory_equal(y, "red io!", 7);
    assert_sp_err(sockport_sendv(c.client, out, SOCKPORT_IOV_MAX + 1, 0), SOCKPORT_EINVAL);
    conn_close(&c);
}

static void test_recv_fromv_reports_truncation_and_the_sender(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    char a[] = "trunc", b[] = "ated!", d[] = "xx";
    sockport_iovec out[3] = {{a, 5}, {b, 5}, {d, 2}};
    char x[3], y[4];
    sockport_iovec in[2] = {{x, 3}, {y, 4}};
    sockport_addr from;
    int flags = 0;
    assert_int_equal(sockport_send_tov(u.tx, out, 3, 0, &u.rx_addr), 12);
    assert_int_equal(sockport_recv_fromv(u.rx, in, 2, 0, &from, &flags), 7);
    assert_true(flags & SOCKPORT_MSG_TRUNC);
    assert_memory_equal(x, "tru", 3);
    assert_memory_equal(y, "ncat", 4);
    assert_int_equal(sockport_addr_compare(&from, &u.tx_addr), 0);
    assert_int_equal(sockport_send_tov(u.tx, out, 1, 0, &u.rx_addr), 5);
    assert_int_equal(sockport_recvv(u.rx, in, 2, 0, &flags), 5);
    assert_int_equal(flags, 0);
    udp_close(&u);
}

/* ---- messages with control data --------------------------------------------- */

typedef struct rx {
    char data[2048];
    uint64_t ctl[64]; /* 512 bytes, 8-aligned */
    sockport_addr from;
    sockport_iovec iov;
    sockport_msghdr m;
    ptrdiff_t n;
} rx;

/* Receives one message with up to cap bytes of control room. */
static void recv_msg(sockport_socket *s, rx *r, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->iov.base = r->data;
    r->iov.len = sizeof r->data;
    r->m.name = &r->from;
    r->m.iov = &r->iov;
    r->m.iovlen = 1;
    r->m.control = r->ctl;
    r->m.controllen = cap;
    r->n = sockport_recvmsg(s, &r->m, 0);
    assert_sp_ok(r->n);
    assert_true(r->m.controllen <= cap);
}

/* The payload of the first control message of type (exactly len bytes). */
static int find_cmsg(const rx *r, int type, void *out, size_t len)
{
    size_t off = 0, dlen = 0;
    int t = 0, rc;
    const void *data = NULL;
    while ((rc = sockport_cmsg_next(r->ctl, r->m.controllen, &off, &t, &data, &dlen)) == 1) {
        if (t == type) {
            assert_int_equal(dlen, len);
            memcpy(out, data, len);
            return 1;
        }
    }
    assert_sp_ok(rc);
    return 0;
}

/* Sends text to `to` with one control message (type, data, len). */
static ptrdiff_t send_with_cmsg(sockport_socket *s, const sockport_addr *to, const char *text,
                                int type, const void *data, size_t len)
{
    uint64_t ctl[32];
    size_t used = 0;
    sockport_iovec iov = {(void *)(uintptr_t)text, strlen(text)};
    sockport_msghdr m = {(sockport_addr *)(uintptr_t)to, &iov, 1, ctl, 0, 0};
    assert_sp_ok(sockport_cmsg_append(ctl, sizeof ctl, &used, type, data, len));
    m.controllen = used;
    return sockport_sendmsg(s, &m, 0);
}

/* Turns a receive option on, or proves it unsupported: 1 when on. */
static int enable_or_prove(sockport_socket *s, int opt)
{
    if (sockport_option_supported(s, opt) == 1) {
        assert_sp_ok(sockport_set_bool(s, opt, true));
        return 1;
    }
    prove_enotsup(s, opt, 1);
    return 0;
}

static void check_pktinfo(int family, int opt)
{
    udp u = udp_pair(family);
    sockport_pktinfo pi;
    rx r;
    if (!enable_or_prove(u.rx, opt)) {
        udp_close(&u);
        return;
    }
    assert_int_equal(sockport_send_to(u.tx, "where to", 8, 0, &u.rx_addr), 8);
    recv_msg(u.rx, &r, sizeof r.ctl);
    assert_int_equal(r.n, 8);
    assert_int_equal(sockport_addr_compare(&r.from, &u.tx_addr), 0);
    assert_int_equal(r.m.flags, 0);
    assert_true(find_cmsg(&r, SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi));
    sockport_addr want = loopback(family);
    assert_int_equal(sockport_addr_compare(&pi.addr, &want), 0);
    uint32_t lo = loopback_ifindex();
    if (lo != 0)
        assert_int_equal(pi.ifindex, lo);
    udp_close(&u);
}

static void test_recvmsg_reports_the_ipv4_destination(void **state)
{
    (void)state;
    check_pktinfo(V4, SOCKPORT_OPT_IP_PKTINFO);
}

static void test_recvmsg_reports_the_ipv6_destination(void **state)
{
    (void)state;
    check_pktinfo(V6, SOCKPORT_OPT_IPV6_RECVPKTINFO);
}

/* PKTINFO on send picks the source address (127.0.0.2 is loopback too). */
static void test_sendmsg_pktinfo_picks_the_source_address(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    sockport_pktinfo pi;
    sockport_addr any = ip("0.0.0.0", 0), got;
    char buf[16];
    close_sock(u.tx);
    u.tx = open_sock(V4, DGRAM, 0);
    assert_sp_ok(sockport_bind(u.tx, &any));
    memset(&pi, 0, sizeof pi);
    pi.addr = ip("127.0.0.2", 0);
    ptrdiff_t n = send_with_cmsg(u.tx, &u.rx_addr, "src", SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi);
    if (n == SOCKPORT_ENOTSUP || n == SOCKPORT_EINVAL || n == SOCKPORT_EADDRNOTAVAIL) {
        udp_close(&u);
        skip_because("cannot send from 127.0.0.2 here", (int)n);
    }
    assert_int_equal(n, 3);
    assert_int_equal(sockport_recv_from(u.rx, buf, sizeof buf, 0, &got), 3);
    char text[SOCKPORT_ADDRSTRLEN];
    assert_sp_ok(sockport_addr_format_ip(&got, text, sizeof text));
    udp_close(&u);
    if (strcmp(text, "127.0.0.2") != 0 && sp_under_wine())
        skip_because("Wine 8's WSASendMsg ignores the PKTINFO source address", 0);
    assert_string_equal(text, "127.0.0.2");
}

/* The value of control data type `type` in the next message on u->rx. */
static int recv_int_cmsg(udp *u, int type)
{
    rx r;
    int v = -1;
    recv_msg(u->rx, &r, sizeof r.ctl);
    assert_true(find_cmsg(&r, type, &v, sizeof v));
    return v;
}

/* A value set by option and one set per message both arrive as control
 * data of type `type`; what the system lacks is proven ENOTSUP. */
static void check_int_cmsg(int family, int recv_opt, int send_opt, int type, int by_opt, int by_msg)
{
    udp u = udp_pair(family);
    if (!enable_or_prove(u.rx, recv_opt)) {
        udp_close(&u);
        return;
    }
    if (sockport_option_supported(u.tx, send_opt) == 1) {
        assert_sp_ok(sockport_set_int(u.tx, send_opt, by_opt));
        assert_int_equal(sockport_send_to(u.tx, "opt", 3, 0, &u.rx_addr), 3);
        assert_int_equal(recv_int_cmsg(&u, type), by_opt);
    } else {
        prove_enotsup(u.tx, send_opt, by_opt);
    }
    ptrdiff_t n = send_with_cmsg(u.tx, &u.rx_addr, "msg", type, &by_msg, sizeof by_msg);
    if (n == SOCKPORT_ENOTSUP) {
        print_message("control type %d: not sendable here; ENOTSUP checked\n", type);
    } else {
        assert_int_equal(n, 3);
        assert_int_equal(recv_int_cmsg(&u, type), by_msg);
    }
    udp_close(&u);
}

static void test_tos_arrives_as_control_data(void **state)
{
    (void)state;
    check_int_cmsg(V4, SOCKPORT_OPT_IP_RECVTOS, SOCKPORT_OPT_IP_TOS, SOCKPORT_CMSG_TOS, 0x20, 0x48);
}

static void test_tclass_arrives_as_control_data(void **state)
{
    (void)state;
    check_int_cmsg(V6, SOCKPORT_OPT_IPV6_RECVTCLASS, SOCKPORT_OPT_IPV6_TCLASS, SOCKPORT_CMSG_TCLASS,
                   0x28, 0x50);
}

static void test_hoplimit_arrives_as_control_data(void **state)
{
    (void)state;
    check_int_cmsg(V6, SOCKPORT_OPT_IPV6_RECVHOPLIMIT, SOCKPORT_OPT_IPV6_UNICAST_HOPS,
                   SOCKPORT_CMSG_HOPLIMIT, 7, 9);
}

/* Control room too small for what arrives: SOCKPORT_MSG_CTRUNC. */
static void test_short_control_room_reports_ctrunc(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    rx r;
    if (!enable_or_prove(u.rx, SOCKPORT_OPT_IP_PKTINFO)) {
        udp_close(&u);
        return;
    }
    assert_int_equal(sockport_send_to(u.tx, "a", 1, 0, &u.rx_addr), 1);
    recv_msg(u.rx, &r, SOCKPORT_CMSG_SPACE(sizeof(sockport_pktinfo)) - 8);
    assert_int_equal(r.n, 1);
    assert_true(r.m.flags & SOCKPORT_MSG_CTRUNC);
    assert_int_equal(r.m.controllen, 0);
    assert_int_equal(sockport_send_to(u.tx, "b", 1, 0, &u.rx_addr), 1);
    recv_msg(u.rx, &r, SOCKPORT_CMSG_SPACE(sizeof(sockport_pktinfo)));
    assert_false(r.m.flags & SOCKPORT_MSG_CTRUNC);
    assert_int_equal(r.m.controllen, SOCKPORT_CMSG_SPACE(sizeof(sockport_pktinfo)));
    udp_close(&u);
}

static void test_sendmsg_refuses_bad_control_data(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    int v = 1;
    uint16_t seg = 100;
    uint64_t ctl[4] = {0};
    sockport_iovec iov = {(void *)(uintptr_t) "x", 1};
    sockport_msghdr m = {&u.rx_addr, &iov, 1, ctl, sizeof ctl, 0};
    sockport_cmsg bad = {SOCKPORT_CMSG_TOS, 4096}; /* claims more than the buffer holds */
    memcpy(ctl, &bad, sizeof bad);
    assert_sp_err(sockport_sendmsg(u.tx, &m, 0), SOCKPORT_EINVAL);
    bad.type = 99; /* no such type */
    bad.len = 4;
    memcpy(ctl, &bad, sizeof bad);
    assert_sp_err(sockport_sendmsg(u.tx, &m, 0), SOCKPORT_EINVAL);
    assert_sp_err(send_with_cmsg(u.tx, &u.rx_addr, "x", SOCKPORT_CMSG_UDP_GRO, &v, sizeof v),
                  SOCKPORT_EINVAL); /* receive-only */
    assert_sp_err(send_with_cmsg(u.tx, &u.rx_addr, "x", SOCKPORT_CMSG_TOS, &seg, sizeof seg),
                  SOCKPORT_EINVAL); /* an int has 4 bytes */
    m.control = NULL;
    assert_sp_err(sockport_sendmsg(u.tx, &m, 0), SOCKPORT_EINVAL); /* length without buffer */
    udp_close(&u);
}

/* GSO on send (SOCKPORT_CMSG_UDP_SEGMENT); a GRO receiver takes the train
 * whole and learns the segment size (SOCKPORT_CMSG_UDP_GRO). */
static void test_udp_segment_and_gro_control_data(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    char payload[1201];
    uint16_t seg = 400;
    rx r;
    int gro = 0;
    memset(payload, 'g', 1200);
    payload[1200] = '\0';
    ptrdiff_t n =
        send_with_cmsg(u.tx, &u.rx_addr, payload, SOCKPORT_CMSG_UDP_SEGMENT, &seg, sizeof seg);
    if (n == SOCKPORT_ENOTSUP) {
        print_message("UDP GSO: not supported here; ENOTSUP checked\n");
        udp_close(&u);
        return;
    }
    assert_int_equal(n, 1200);
    for (int i = 0; i < 3; i++) {
        recv_msg(u.rx, &r, sizeof r.ctl);
        assert_int_equal(r.n, 400);
    }
    if (!enable_or_prove(u.rx, SOCKPORT_OPT_UDP_GRO)) {
        udp_close(&u);
        return;
    }
    assert_int_equal(
        send_with_cmsg(u.tx, &u.rx_addr, payload, SOCKPORT_CMSG_UDP_SEGMENT, &seg, sizeof seg),
        1200);
    recv_msg(u.rx, &r, sizeof r.ctl);
    assert_true(r.n == 1200 || r.n == 400); /* coalesced, or not on this path */
    if (r.n == 1200) {
        assert_true(find_cmsg(&r, SOCKPORT_CMSG_UDP_GRO, &gro, sizeof gro));
        assert_int_equal(gro, 400);
    }
    udp_close(&u);
}

/* Passes a TCP socket's handle over a Unix pair; the copy talks to the peer. */
static void test_rights_pass_a_socket_over_a_unix_pair(void **state)
{
    (void)state;
    sockport_socket *p[2], *copy = NULL;
    sockport_native h = -1, got = -1;
    rx r;
    int rc = sockport_pair(p, UNIX, STREAM, 0, 0);
    if (rc < 0)
        skip_because("no Unix socket pair here", rc);
    conn c = tcp_conn(V4);
    assert_sp_ok(sockport_native_handle(c.client, &h));
    ptrdiff_t n = send_with_cmsg(p[0], NULL, "fd", SOCKPORT_CMSG_RIGHTS, &h, sizeof h);
    if (n == SOCKPORT_ENOTSUP) {
        print_message("SCM_RIGHTS: not supported here; ENOTSUP checked\n");
    } else {
        assert_int_equal(n, 2);
        recv_msg(p[1], &r, sizeof r.ctl);
        assert_int_equal(r.n, 2);
        assert_true(find_cmsg(&r, SOCKPORT_CMSG_RIGHTS, &got, sizeof got));
        assert_true(got >= 0 && got != h);
        assert_sp_ok(sockport_from_native(&copy, got, 0));
        assert_int_equal(sockport_family(copy), V4);
        assert_int_equal(sockport_type(copy), STREAM);
        send_text(copy, "via the copy");
        expect_text(c.server, "via the copy");
        close_sock(copy);
    }
    conn_close(&c);
    close_sock(p[0]);
    close_sock(p[1]);
}

/* ---- batched I/O ------------------------------------------------------------- */

#define BATCH 32

typedef struct batch {
    char data[BATCH][64];
    sockport_iovec iov[BATCH];
    sockport_addr names[BATCH];
    sockport_mmsghdr m[BATCH];
} batch;

/* Message i: "datagram i" and i bytes of 'a' + i, to `to` (NULL: names[i]). */
static void batch_out(batch *b, const sockport_addr *to)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < BATCH; i++) {
        int len = snprintf(b->data[i], sizeof b->data[i], "datagram %u ", (unsigned)i);
        memset(b->data[i] + len, 'a' + (int)i % 26, i);
        b->iov[i].base = b->data[i];
        b->iov[i].len = (size_t)len + i;
        b->m[i].hdr.name = to != NULL ? (sockport_addr *)(uintptr_t)to : &b->names[i];
        b->m[i].hdr.iov = &b->iov[i];
        b->m[i].hdr.iovlen = 1;
    }
}

static void batch_in(batch *b)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < BATCH; i++) {
        b->iov[i].base = b->data[i];
        b->iov[i].len = sizeof b->data[i];
        b->m[i].hdr.name = &b->names[i];
        b->m[i].hdr.iov = &b->iov[i];
        b->m[i].hdr.iovlen = 1;
    }
}

static void batch_check(const batch *in, const batch *out, const sockport_addr *from)
{
    for (size_t i = 0; i < BATCH; i++) {
        assert_int_equal(in->m[i].len, out->iov[i].len);
        assert_memory_equal(in->data[i], out->data[i], out->iov[i].len);
        assert_int_equal(in->m[i].hdr.flags, 0);
        assert_int_equal(sockport_addr_compare(&in->names[i], from), 0);
    }
}

static void test_mmsg_moves_32_datagrams_each_way_in_one_call(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    static batch out, in, back;
    batch_out(&out, &u.rx_addr);
    assert_int_equal(sockport_sendmmsg(u.tx, out.m, BATCH, 0), BATCH);
    for (size_t i = 0; i < BATCH; i++)
        assert_int_equal(out.m[i].len, out.iov[i].len);
    batch_in(&in);
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, BATCH, 0), BATCH);
    batch_check(&in, &out, &u.tx_addr);
    /* back again, each to the name it came from */
    batch_out(&back, NULL);
    for (size_t i = 0; i < BATCH; i++)
        back.names[i] = in.names[i];
    assert_sp_ok(sockport_set_recv_timeout(u.tx, 5000));
    assert_int_equal(sockport_sendmmsg(u.rx, back.m, BATCH, 0), BATCH);
    batch_in(&in);
    assert_int_equal(sockport_recvmmsg(u.tx, in.m, BATCH, 0), BATCH);
    batch_check(&in, &back, &u.rx_addr);
    udp_close(&u);
}

/* recvmmsg waits for the first, then takes only what is queued. */
static void test_recvmmsg_returns_what_is_queued(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    static batch in;
    batch_in(&in);
    assert_sp_err(sockport_recvmmsg(u.rx, in.m, BATCH, SOCKPORT_MSG_DONTWAIT), SOCKPORT_EAGAIN);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sockport_send_to(u.tx, "q", 1, 0, &u.rx_addr), 1);
    assert_int_equal(sockport_recvmmsg(u.rx, in.m, BATCH, 0), 3);
    assert_int_equal(in.m[2].len, 1);
    assert_sp_err(sockport_recvmmsg(u.rx, in.m, 0, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendmmsg(u.tx, in.m, SOCKPORT_MMSG_MAX + 1, 0), SOCKPORT_EINVAL);
    udp_close(&u);
}

/* ---- readiness and peeking ----------------------------------------------------- */

static void test_poll_reports_pollin_after_a_send(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    sockport_pollfd p = {u.rx, SOCKPORT_POLLIN, -1};
    assert_int_equal(sockport_poll(&p, 1, 0), 0);
    assert_int_equal(p.revents, 0);
    assert_int_equal(sockport_send_to(u.tx, "ping", 4, 0, &u.rx_addr), 4);
    assert_int_equal(sockport_poll(&p, 1, 5000), 1);
    assert_int_equal(p.revents, SOCKPORT_POLLIN);
    udp_close(&u);
}

static void test_poll_reports_pollout_on_a_connected_socket(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    sockport_pollfd p[2] = {{c.client, SOCKPORT_POLLOUT, 0}, {c.server, SOCKPORT_POLLIN, 0}};
    assert_int_equal(sockport_poll(p, 2, 1000), 1);
    assert_int_equal(p[0].revents, SOCKPORT_POLLOUT);
    assert_int_equal(p[1].revents, 0);
    conn_close(&c);
}

static void test_poll_times_out_and_skips_null_entries(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    sockport_pollfd p[2] = {{NULL, SOCKPORT_POLLIN, 7}, {u.rx, SOCKPORT_POLLIN, 7}};
    int64_t t0 = sp_now_ms();
    assert_int_equal(sockport_poll(p, 2, 60), 0);
    assert_true(sp_now_ms() - t0 >= 50);
    assert_int_equal(p[0].revents, 0);
    assert_int_equal(p[1].revents, 0);
    assert_int_equal(sockport_poll(NULL, 0, 0), 0);
    p[1].events = SOCKPORT_POLLERR; /* output only */
    assert_sp_err(sockport_poll(p, 2, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_poll(p, 2, -2), SOCKPORT_EINVAL);
    udp_close(&u);
}

static void test_poll_reports_a_pending_connection(void **state)
{
    (void)state;
    sockport_socket *l = open_sock(V4, STREAM, 0), *c = open_sock(V4, STREAM, 0), *a = NULL;
    sockport_addr bound = bind_loopback(l, V4);
    sockport_pollfd p = {l, SOCKPORT_POLLIN, 0};
    assert_sp_ok(sockport_listen(l, 4));
    assert_int_equal(sockport_poll(&p, 1, 0), 0);
    assert_sp_ok(sockport_connect(c, &bound));
    assert_int_equal(sockport_poll(&p, 1, 5000), 1);
    assert_true(p.revents & SOCKPORT_POLLIN);
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    close_sock(a);
    close_sock(c);
    close_sock(l);
}

static void test_peek_sender_leaves_the_datagram_queued(void **state)
{
    (void)state;
    udp u = udp_pair(V4);
    sockport_addr peeked, from;
    char buf[16];
    assert_sp_ok(sockport_set_nonblocking(u.rx, true));
    assert_sp_err(sockport_peek_sender(u.rx, &peeked), SOCKPORT_EAGAIN);
    assert_sp_ok(sockport_set_nonblocking(u.rx, false));
    assert_int_equal(sockport_send_to(u.tx, "peekaboo", 8, 0, &u.rx_addr), 8);
    assert_sp_ok(sockport_peek_sender(u.rx, &peeked));
    assert_int_equal(sockport_addr_compare(&peeked, &u.tx_addr), 0);
    assert_int_equal(sockport_recv_from(u.rx, buf, sizeof buf, 0, &from), 8);
    assert_memory_equal(buf, "peekaboo", 8);
    assert_int_equal(sockport_addr_compare(&from, &u.tx_addr), 0);
    udp_close(&u);
}

/* ---- sendfile --------------------------------------------------------------- */

#define FILE_SIZE 100000

static unsigned char file_byte(size_t i)
{
    return (unsigned char)(i * 7 + i / 251);
}

/* A temporary file of FILE_SIZE known bytes, deleted when closed. */
static sockport_native temp_file(void)
{
    unsigned char buf[FILE_SIZE];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = file_byte(i);
#ifdef _WIN32
    char dir[MAX_PATH + 1], path[MAX_PATH + 1];
    DWORD written = 0;
    assert_true(GetTempPathA(sizeof dir, dir) != 0);
    assert_true(GetTempFileNameA(dir, "spf", 0, path) != 0);
    HANDLE h =
        CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                    CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(h, buf, sizeof buf, &written, NULL) && written == sizeof buf);
    return (sockport_native)(intptr_t)h;
#else
    char path[] = "/tmp/spfileXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
    return fd;
#endif
}

static void temp_file_close(sockport_native f)
{
#ifdef _WIN32
    CloseHandle((HANDLE)(intptr_t)f);
#else
    close((int)f);
#endif
}

/* Sends count bytes from offset (several calls if need be) and checks what
 * the peer reads. */
static void sendfile_and_check(conn *c, sockport_native f, int64_t offset, int64_t count)
{
    static unsigned char got[FILE_SIZE];
    int64_t sent = 0;
    while (sent < count) {
        int64_t n = sockport_sendfile(c->client, f, offset + sent, count - sent);
        assert_sp_ok(n);
        assert_true(n > 0);
        sent += n;
    }
    size_t have = 0;
    while (have < (size_t)count) {
        ptrdiff_t n = sockport_recv(c->server, got + have, (size_t)count - have, 0);
        assert_true(n > 0);
        have += (size_t)n;
    }
    for (size_t i = 0; i < (size_t)count; i++)
        assert_int_equal(got[i], file_byte((size_t)offset + i));
}

static void test_sendfile_sends_a_file_range_over_tcp(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    sockport_native f = temp_file();
    int64_t n = sockport_sendfile(c.client, f, 1000, 1);
    if (n == SOCKPORT_ENOTSUP) {
        print_message("sendfile: not supported here; ENOTSUP checked\n");
    } else {
        assert_int_equal(n, 1);
        char one;
        assert_int_equal(sockport_recv(c.server, &one, 1, 0), 1);
        assert_int_equal((unsigned char)one, file_byte(1000));
        sendfile_and_check(&c, f, 1001, 40000);
    }
    temp_file_close(f);
    conn_close(&c);
}

static void test_sendfile_stops_at_the_end_of_the_file(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    sockport_native f = temp_file();
    int64_t n = sockport_sendfile(c.client, f, FILE_SIZE, 10);
    if (n == SOCKPORT_ENOTSUP) {
        print_message("sendfile: not supported here; ENOTSUP checked\n");
    } else {
        assert_int_equal(n, 0);
        sendfile_and_check(&c, f, FILE_SIZE - 100, 100);
        assert_int_equal(sockport_sendfile(c.client, f, FILE_SIZE - 10, 1000), 10);
    }
    assert_sp_err(sockport_sendfile(c.client, f, -1, 10), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendfile(c.client, f, 0, 0), SOCKPORT_EINVAL);
    temp_file_close(f);
    conn_close(&c);
}

/* ---- resolve ------------------------------------------------------------------ */

static int is_loopback(const sockport_addr *a)
{
    uint8_t b[16];
    int n = sockport_addr_ip_bytes(a, b);
    static const uint8_t lo6[16] = {[15] = 1};
    return (n == 4 && b[0] == 127) || (n == 16 && memcmp(b, lo6, 16) == 0);
}

static void test_resolve_localhost_gives_loopback_addresses(void **state)
{
    (void)state;
    sockport_addr out[16];
    int n = sockport_resolve("localhost", "80", NULL, out, 16);
    assert_sp_ok(n);
    assert_true(n >= 1);
    for (int i = 0; i < n; i++) {
        assert_true(is_loopback(&out[i]));
        assert_int_equal(sockport_addr_port(&out[i]), 80);
        for (int j = 0; j < i; j++)
            assert_int_not_equal(sockport_addr_compare(&out[i], &out[j]), 0); /* no duplicates */
    }
    assert_int_equal(sockport_resolve("localhost", "80", NULL, out, 1), 1);
}

static void test_resolve_family_hint_filters(void **state)
{
    (void)state;
    sockport_resolve_hints h = {V4, STREAM, SOCKPORT_IPPROTO_TCP, 0};
    sockport_addr out[8];
    int n = sockport_resolve("localhost", "443", &h, out, 8);
    assert_sp_ok(n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(sockport_addr_family(&out[i]), V4);
        assert_int_equal(sockport_addr_port(&out[i]), 443);
    }
    assert_sp_err(sockport_resolve("::1", "1", &h, out, 8), SOCKPORT_EAI_NONAME);
}

static void test_resolve_literals_without_a_lookup(void **state)
{
    (void)state;
    sockport_resolve_hints h = {0, 0, 0, SOCKPORT_AI_NUMERICHOST | SOCKPORT_AI_NUMERICSERV};
    sockport_addr out[4], want = ip("127.0.0.1", 8080), want6 = ip("::1", 0);
    assert_int_equal(sockport_resolve("127.0.0.1", "8080", &h, out, 4), 1);
    assert_int_equal(sockport_addr_compare(&out[0], &want), 0);
    assert_int_equal(sockport_resolve("::1", NULL, NULL, out, 4), 1);
    assert_int_equal(sockport_addr_compare(&out[0], &want6), 0);
}

static void test_resolve_numerichost_refuses_a_name(void **state)
{
    (void)state;
    sockport_resolve_hints h = {0, 0, 0, SOCKPORT_AI_NUMERICHOST};
    sockport_addr out[4];
    assert_sp_err(sockport_resolve("localhost", "80", &h, out, 4), SOCKPORT_EAI_NONAME);
    h.flags = SOCKPORT_AI_NUMERICSERV;
    assert_sp_err(sockport_resolve("127.0.0.1", "http", &h, out, 4), SOCKPORT_EAI_NONAME);
    assert_sp_err(sockport_resolve("localhost", "80", NULL, out, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_resolve(NULL, NULL, NULL, out, 4), SOCKPORT_EINVAL);
}

static void test_resolve_passive_null_host_gives_the_wildcards(void **state)
{
    (void)state;
    sockport_resolve_hints h = {0, STREAM, 0, SOCKPORT_AI_PASSIVE};
    sockport_addr out[4], any4 = ip("0.0.0.0", 5000), any6 = ip("::", 5000);
    assert_int_equal(sockport_resolve(NULL, "5000", &h, out, 4), 2);
    assert_int_equal(sockport_addr_compare(&out[0], &any4), 0);
    assert_int_equal(sockport_addr_compare(&out[1], &any6), 0);
    assert_int_equal(sockport_resolve(NULL, "5000", &h, out, 1), 1);
}

/* ---- native handles --------------------------------------------------------- */

static void test_native_handle_survives_release_and_from_native(void **state)
{
    (void)state;
    conn c = tcp_conn(V4);
    sockport_native h = -1, back = -1, again = -1;
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_native_handle(c.client, &h));
    assert_sp_ok(sockport_release(c.client, &back));
    assert_true(back == h);
    assert_sp_ok(sockport_from_native(&s, back, 0));
    assert_int_equal(sockport_family(s), V4);
    assert_int_equal(sockport_type(s), STREAM);
    assert_int_equal(sockport_protocol(s), SOCKPORT_IPPROTO_TCP);
    assert_sp_ok(sockport_native_handle(s, &again));
    assert_true(again == h);
    send_text(s, "adopted");
    expect_text(c.server, "adopted");
    close_sock(s);
    close_sock(c.server);
}

static void test_from_native_keeps_udp_and_ipv6_identity(void **state)
{
    (void)state;
    sockport_socket *u = open_ip(V6, DGRAM, 0), *s = NULL;
    sockport_native h = -1;
    bool nb = false;
    assert_sp_ok(sockport_set_nonblocking(u, true));
    assert_sp_ok(sockport_release(u, &h));
    assert_sp_ok(sockport_from_native(&s, h, SOCKPORT_F_NONBLOCK));
    assert_int_equal(sockport_family(s), V6);
    assert_int_equal(sockport_type(s), DGRAM);
    assert_int_equal(sockport_protocol(s), SOCKPORT_IPPROTO_UDP);
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_true(nb);
    char buf[4];
    assert_sp_err(sockport_recv(s, buf, sizeof buf, 0), SOCKPORT_EAGAIN);
    close_sock(s);
}

static void test_from_native_refuses_bad_arguments(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    sockport_native h = 0;
    assert_sp_err(sockport_from_native(&s, -1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_from_native(NULL, 3, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_from_native(&s, 3, SOCKPORT_F_INHERIT), SOCKPORT_EINVAL);
    assert_sp_err(sockport_native_handle(NULL, &h), SOCKPORT_EINVAL);
    assert_sp_err(sockport_release(NULL, &h), SOCKPORT_EINVAL);
    assert_null(s);
}

/* ---- control-message helpers ----------------------------------------------- */

static void test_cmsg_helpers_round_trip_several_messages(void **state)
{
    (void)state;
    uint64_t buf[64];
    size_t used = 0, off = 0, len = 0;
    int tos = 0x10, type = 0;
    sockport_pktinfo pi, pout;
    sockport_native fds[2] = {3, 4}, fout[2];
    const void *data = NULL;
    memset(&pi, 0, sizeof pi);
    pi.addr = ip("10.1.2.3", 0);
    pi.ifindex = 5;
    assert_sp_ok(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TOS, &tos, sizeof tos));
    assert_int_equal(used, SOCKPORT_CMSG_SPACE(sizeof tos));
    assert_sp_ok(
        sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_PKTINFO, &pi, sizeof pi));
    assert_sp_ok(
        sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_RIGHTS, fds, sizeof fds));
    assert_int_equal(used, SOCKPORT_CMSG_SPACE(sizeof tos) + SOCKPORT_CMSG_SPACE(sizeof pi) +
                               SOCKPORT_CMSG_SPACE(sizeof fds));
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 1);
    assert_int_equal(type, SOCKPORT_CMSG_TOS);
    assert_int_equal(len, sizeof tos);
    assert_memory_equal(data, &tos, sizeof tos);
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 1);
    assert_int_equal(type, SOCKPORT_CMSG_PKTINFO);
    memcpy(&pout, data, sizeof pout);
    assert_int_equal(sockport_addr_compare(&pout.addr, &pi.addr), 0);
    assert_int_equal(pout.ifindex, 5);
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 1);
    assert_int_equal(type, SOCKPORT_CMSG_RIGHTS);
    memcpy(fout, data, sizeof fout);
    assert_true(fout[0] == 3 && fout[1] == 4);
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 0);
    assert_int_equal(off, used);
}

static void test_cmsg_append_reports_enospc_and_bad_arguments(void **state)
{
    (void)state;
    uint64_t buf[4];
    size_t used = 0;
    int v = 1;
    assert_sp_ok(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TTL, &v, sizeof v));
    assert_sp_ok(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TTL, &v, sizeof v));
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TTL, &v, sizeof v),
                  SOCKPORT_ENOSPC);
    assert_int_equal(used, sizeof buf); /* unchanged by the failure */
    used = 0;
    assert_sp_err(sockport_cmsg_append((char *)buf + 4, 16, &used, SOCKPORT_CMSG_TTL, &v, 4),
                  SOCKPORT_EINVAL); /* not 8-aligned */
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, 0, &v, 4), SOCKPORT_EINVAL);
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, 99, &v, 4), SOCKPORT_EINVAL);
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TTL, NULL, 4),
                  SOCKPORT_EINVAL);
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TTL, &v, 65537),
                  SOCKPORT_EINVAL);
    used = sizeof buf + 8;
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TTL, &v, 4),
                  SOCKPORT_EINVAL);
}

static void test_cmsg_next_rejects_a_corrupt_buffer(void **state)
{
    (void)state;
    uint64_t buf[4] = {0};
    size_t off = 0, len = 0;
    int type = 0;
    const void *data = NULL;
    sockport_cmsg h = {SOCKPORT_CMSG_TOS, 64}; /* more than the buffer holds */
    memcpy(buf, &h, sizeof h);
    assert_sp_err(sockport_cmsg_next(buf, sizeof buf, &off, &type, &data, &len), SOCKPORT_EINVAL);
    off = 4;
    assert_sp_err(sockport_cmsg_next(buf, sizeof buf, &off, &type, &data, &len), SOCKPORT_EINVAL);
    off = sizeof buf + 8;
    assert_sp_err(sockport_cmsg_next(buf, sizeof buf, &off, &type, &data, &len), SOCKPORT_EINVAL);
    off = 0;
    assert_int_equal(sockport_cmsg_next(buf, 4, &off, &type, &data, &len), 0); /* no header fits */
    assert_sp_err(sockport_cmsg_next(NULL, 4, &off, &type, &data, &len), SOCKPORT_EINVAL);
}

/* ---- the suite --------------------------------------------------------------- */

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_option_so_passcred),
    cmocka_unit_test(test_option_so_priority),
    cmocka_unit_test(test_option_so_reuseport_lb),
    cmocka_unit_test(test_option_so_mark),
    cmocka_unit_test(test_option_so_bindtoifindex),
    cmocka_unit_test(test_option_so_incoming_cpu),
    cmocka_unit_test(test_option_so_busy_poll),
    cmocka_unit_test(test_option_so_nosigpipe),
    cmocka_unit_test(test_option_so_rcvlowat),
    cmocka_unit_test(test_option_so_sndlowat),
    cmocka_unit_test(test_option_ip_tos),
    cmocka_unit_test(test_option_ip_recvtos),
    cmocka_unit_test(test_option_ip_hdrincl),
    cmocka_unit_test(test_option_ip_transparent),
    cmocka_unit_test(test_option_ip_freebind),
    cmocka_unit_test(test_option_ip_multicast_loop),
    cmocka_unit_test(test_option_ip_multicast_ttl),
    cmocka_unit_test(test_option_ip_multicast_all),
    cmocka_unit_test(test_option_ip_pktinfo),
    cmocka_unit_test(test_option_ip_recverr),
    cmocka_unit_test(test_option_ip_mtu_discover_takes_every_mode),
    cmocka_unit_test(test_option_ipv6_multicast_hops),
    cmocka_unit_test(test_option_ipv6_multicast_if),
    cmocka_unit_test(test_option_ipv6_multicast_loop),
    cmocka_unit_test(test_option_ipv6_multicast_all),
    cmocka_unit_test(test_option_ipv6_recvtclass),
    cmocka_unit_test(test_option_ipv6_tclass),
    cmocka_unit_test(test_option_ipv6_recvhoplimit),
    cmocka_unit_test(test_option_ipv6_hdrincl),
    cmocka_unit_test(test_option_ipv6_transparent),
    cmocka_unit_test(test_option_ipv6_freebind),
    cmocka_unit_test(test_option_ipv6_recvpktinfo),
    cmocka_unit_test(test_option_ipv6_recverr),
    cmocka_unit_test(test_option_ipv6_mtu_discover_takes_every_mode),
    cmocka_unit_test(test_option_tcp_keepidle),
    cmocka_unit_test(test_option_tcp_keepintvl),
    cmocka_unit_test(test_option_tcp_keepcnt),
    cmocka_unit_test(test_option_tcp_maxseg),
    cmocka_unit_test(test_option_tcp_cork),
    cmocka_unit_test(test_option_tcp_quickack),
    cmocka_unit_test(test_option_tcp_thin_linear_timeouts),
    cmocka_unit_test(test_option_tcp_notsent_lowat),
    cmocka_unit_test(test_option_tcp_user_timeout),
    cmocka_unit_test(test_option_tcp_fastopen),
    cmocka_unit_test(test_option_udp_segment),
    cmocka_unit_test(test_option_udp_gro),
    cmocka_unit_test(test_option_sio_tcp_set_ack_frequency),
    cmocka_unit_test(test_type_family_protocol_read_back_on_tcp_and_udp),
    cmocka_unit_test(test_type_family_protocol_read_back_on_ipv6),
    cmocka_unit_test(test_tcp_nodelay_reads_back_on_a_connection),
    cmocka_unit_test(test_so_rcvlowat_holds_readiness_until_enough_bytes),
    cmocka_unit_test(test_ip_freebind_allows_binding_a_foreign_address),
    cmocka_unit_test(test_udp_segment_splits_one_send_into_datagrams),
    cmocka_unit_test(test_tcp_congestion_reads_and_sets_the_algorithm),
    cmocka_unit_test(test_so_bindtodevice_binds_and_unbinds_the_loopback),
    cmocka_unit_test(test_linger_round_trips),
    cmocka_unit_test(test_linger_zero_makes_the_peer_see_a_reset),
    cmocka_unit_test(test_tcp_keepalive_sets_every_part),
    cmocka_unit_test(test_tcp_keepalive_turns_off_and_refuses_udp),
    cmocka_unit_test(test_multicast_v4_join_receives_on_the_loopback),
    cmocka_unit_test(test_multicast_v4_join_by_interface_index),
    cmocka_unit_test(test_multicast_v4_source_specific_join_filters_by_sender),
    cmocka_unit_test(test_multicast_v6_join_and_leave),
    cmocka_unit_test(test_multicast_checks_families_and_types),
    cmocka_unit_test(test_original_dst_of_a_plain_connection_is_an_error),
    cmocka_unit_test(test_cookie_is_stable_and_unique),
    cmocka_unit_test(test_bpf_filter_drops_until_detached),
    cmocka_unit_test(test_sendv_and_recvv_move_several_buffers_over_tcp),
    cmocka_unit_test(test_recv_fromv_reports_truncation_and_the_sender),
    cmocka_unit_test(test_recvmsg_reports_the_ipv4_destination),
    cmocka_unit_test(test_recvmsg_reports_the_ipv6_destination),
    cmocka_unit_test(test_sendmsg_pktinfo_picks_the_source_address),
    cmocka_unit_test(test_tos_arrives_as_control_data),
    cmocka_unit_test(test_tclass_arrives_as_control_data),
    cmocka_unit_test(test_hoplimit_arrives_as_control_data),
    cmocka_unit_test(test_short_control_room_reports_ctrunc),
    cmocka_unit_test(test_sendmsg_refuses_bad_control_data),
    cmocka_unit_test(test_udp_segment_and_gro_control_data),
    cmocka_unit_test(test_rights_pass_a_socket_over_a_unix_pair),
    cmocka_unit_test(test_mmsg_moves_32_datagrams_each_way_in_one_call),
    cmocka_unit_test(test_recvmmsg_returns_what_is_queued),
    cmocka_unit_test(test_poll_reports_pollin_after_a_send),
    cmocka_unit_test(test_poll_reports_pollout_on_a_connected_socket),
    cmocka_unit_test(test_poll_times_out_and_skips_null_entries),
    cmocka_unit_test(test_poll_reports_a_pending_connection),
    cmocka_unit_test(test_peek_sender_leaves_the_datagram_queued),
    cmocka_unit_test(test_sendfile_sends_a_file_range_over_tcp),
    cmocka_unit_test(test_sendfile_stops_at_the_end_of_the_file),
    cmocka_unit_test(test_resolve_localhost_gives_loopback_addresses),
    cmocka_unit_test(test_resolve_family_hint_filters),
    cmocka_unit_test(test_resolve_literals_without_a_lookup),
    cmocka_unit_test(test_resolve_numerichost_refuses_a_name),
    cmocka_unit_test(test_resolve_passive_null_host_gives_the_wildcards),
    cmocka_unit_test(test_native_handle_survives_release_and_from_native),
    cmocka_unit_test(test_from_native_keeps_udp_and_ipv6_identity),
    cmocka_unit_test(test_from_native_refuses_bad_arguments),
    cmocka_unit_test(test_cmsg_helpers_round_trip_several_messages),
    cmocka_unit_test(test_cmsg_append_reports_enospc_and_bad_arguments),
    cmocka_unit_test(test_cmsg_next_rejects_a_corrupt_buffer),
};

SP_TEST_MAIN(tests, NULL, NULL)
