/*
 * The WinSock backend's Windows semantics, under Wine here and on Windows
 * alike: handle inheritance (opened, accepted, cloned and paired sockets),
 * WSA_FLAG_REGISTERED_IO, try_clone, SO_EXCLUSIVEADDRUSE and the portable
 * SO_REUSEADDR policy, WSAESHUTDOWN and WSAEMSGSIZE rewrites, the socketpair
 * emulation (its loopback fallback, cookie and intruder checks), the 1-byte
 * BOOL quirk, SIO_UDP_CONNRESET, DWORD timeouts, connect_timeout's blocking
 * mode, MSG_DONTWAIT on a blocking socket, AF_UNIX, native addresses, and
 * fault injection through the backend's syscall table.
 *
 * Loopback only, port 0 always; every case closes every socket it opens and
 * the teardown restores the syscall table. A behaviour Wine cannot show (no
 * AF_UNIX, no ICMP-driven WSAECONNRESET) is skipped with the reason printed;
 * where possible the same path is also forced through the syscall table so
 * that it is tested here too.
 */
#include "sp_test.h"

#include "sockport/backend.h"
#include "backend-winsock/winsock.h"

#include <limits.h>

#define STREAM SOCKPORT_SOCK_STREAM
#define DGRAM  SOCKPORT_SOCK_DGRAM
#define V4     SOCKPORT_AF_INET
#define V6     SOCKPORT_AF_INET6
#define UNIX   SOCKPORT_AF_UNIX

/* ---- helpers -------------------------------------------------------------- */

static int reset_syscalls(void **state)
{
    (void)state;
    sockport__winsock_syscall_reset();
    return 0;
}

static SOCKET raw(sockport_socket *s)
{
    return sockport__winsock_socket(s);
}

static int inheritable_handle(SOCKET h)
{
    DWORD f = 0;
    assert_true(GetHandleInformation((HANDLE)h, &f));
    return (f & HANDLE_FLAG_INHERIT) != 0;
}

static int inheritable(sockport_socket *s)
{
    return inheritable_handle(raw(s));
}

static void skip_because(const char *why)
{
    print_message("skipped: %s\n", why);
    skip();
}

static sockport_socket *open_ok(int family, int type, unsigned flags)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open(&s, family, type, 0, flags));
    return s;
}

static void close_ok(sockport_socket *s)
{
    assert_sp_ok(sockport_close(s));
}

static sockport_addr loopback(int family)
{
    sockport_addr a;
    assert_sp_ok(sockport_addr_ip(&a, family == V6 ? "::1" : "127.0.0.1", 0));
    return a;
}

static sockport_addr bind_loopback(sockport_socket *s, int family)
{
    sockport_addr a = loopback(family), got;
    assert_sp_ok(sockport_bind(s, &a));
    assert_sp_ok(sockport_local_addr(s, &got));
    return got;
}

static sockport_socket *listener(int family, sockport_addr *bound)
{
    sockport_socket *l = open_ok(family, STREAM, 0);
    *bound = bind_loopback(l, family);
    assert_sp_ok(sockport_listen(l, 8));
    return l;
}

typedef struct conn {
    sockport_socket *client, *server;
} conn;

static conn tcp_conn(unsigned accept_flags)
{
    sockport_addr bound;
    conn c;
    sockport_socket *l = listener(V4, &bound);
    c.client = open_ok(V4, STREAM, 0);
    assert_sp_ok(sockport_connect(c.client, &bound));
    assert_sp_ok(sockport_accept(l, &c.server, NULL, accept_flags));
    close_ok(l);
    return c;
}

static void conn_close(conn *c)
{
    close_ok(c->client);
    close_ok(c->server);
}

/* A loopback port that nobody listens on (bound once, then released). */
static sockport_addr closed_port(int family, int type)
{
    sockport_socket *s = open_ok(family, type, 0);
    sockport_addr a = bind_loopback(s, family);
    close_ok(s);
    return a;
}

static void send_all(sockport_socket *s, const char *text)
{
    size_t n = strlen(text);
    assert_int_equal(sockport_send(s, text, n, 0), (ptrdiff_t)n);
}

static void expect_text(sockport_socket *s, const char *text)
{
    char buf[64];
    size_t n = strlen(text);
    assert_true(n < sizeof buf);
    assert_int_equal(sockport_recv(s, buf, n, SOCKPORT_MSG_WAITALL), (ptrdiff_t)n);
    assert_memory_equal(buf, text, n);
}

static void round_trip(sockport_socket *a, sockport_socket *b)
{
    send_all(a, "ping");
    expect_text(b, "ping");
    send_all(b, "pong");
    expect_text(a, "pong");
}

static int64_t now_ms(void)
{
    return (int64_t)GetTickCount64();
}

/* A blocking recv with a receive timeout: proves the socket blocks (it
 * waits about the timeout instead of answering EAGAIN at once). */
static void expect_blocking(sockport_socket *s)
{
    char c;
    assert_sp_ok(sockport_set_recv_timeout(s, 400));
    int64_t t0 = now_ms();
    ptrdiff_t r = sockport_recv(s, &c, 1, 0);
    assert_true(r == SOCKPORT_EAGAIN || r == SOCKPORT_ETIMEDOUT);
    assert_true(now_ms() - t0 >= 300);
}

static void expect_nonblocking(sockport_socket *s)
{
    char c;
    int64_t t0 = now_ms();
    assert_sp_err(sockport_recv(s, &c, 1, 0), SOCKPORT_EAGAIN);
    assert_true(now_ms() - t0 < 300);
}

static sockport__winsock_fn swap(const char *name, sockport__winsock_fn fn)
{
    sockport__winsock_fn old = NULL;
    assert_sp_ok(sockport__winsock_syscall_set(name, fn, &old));
    return old;
}

/* ---- inheritance ------------------------------------------------------------ */

static void test_open_makes_handles_that_children_do_not_inherit(void **state)
{
    (void)state;
    sockport_socket *t = open_ok(V4, STREAM, 0), *u = open_ok(V4, DGRAM, 0);
    assert_false(inheritable(t));
    assert_false(inheritable(u));
    close_ok(t);
    close_ok(u);
}

static void test_open_with_inherit_flag_makes_an_inheritable_handle(void **state)
{
    (void)state;
    sockport_socket *s = open_ok(V4, STREAM, SOCKPORT_F_INHERIT);
    assert_true(inheritable(s));
    close_ok(s);
}

static int wsasocket_calls;

static SOCKET WSAAPI refuse_no_inherit_flag(int af, int type, int proto, LPWSAPROTOCOL_INFOW info,
                                            GROUP g, DWORD flags)
{
    wsasocket_calls++;
    if (flags & WSA_FLAG_NO_HANDLE_INHERIT) { /* as Windows before 7 SP1 */
        WSASetLastError(WSAEINVAL);
        return INVALID_SOCKET;
    }
    SOCKET h = WSASocketW(af, type, proto, info, g, flags);
    SetHandleInformation((HANDLE)h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    return h;
}

static void test_open_clears_inheritance_itself_where_the_flag_is_refused(void **state)
{
    (void)state;
    wsasocket_calls = 0;
    swap("WSASocketW", (sockport__winsock_fn)refuse_no_inherit_flag);
    sockport_socket *s = open_ok(V4, STREAM, 0);
    assert_int_equal(wsasocket_calls, 2);
    assert_false(inheritable(s));
    close_ok(s);
}

static SOCKET WSAAPI inheriting_accept(SOCKET s, struct sockaddr *sa, int *len)
{
    SOCKET c = accept(s, sa, len); /* what Wine 8 does: the new handle is inheritable */
    if (c != INVALID_SOCKET)
        SetHandleInformation((HANDLE)c, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    return c;
}

static void test_accepted_socket_is_not_inheritable_although_winsock_makes_it_so(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(V4, &bound), *c1 = open_ok(V4, STREAM, 0), *a = NULL;
    sockport_socket *c2 = open_ok(V4, STREAM, 0);
    assert_sp_ok(sockport_connect(c1, &bound));
    assert_sp_ok(sockport_connect(c2, &bound));
    SOCKET plain = accept(raw(l), NULL, NULL); /* WinSock alone, for the record */
    assert_true(plain != INVALID_SOCKET);
    print_message("note: a plain accept() here gives an %s handle\n",
                  inheritable_handle(plain) ? "inheritable" : "uninheritable");
    closesocket(plain);
    swap("accept", (sockport__winsock_fn)inheriting_accept);
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    assert_false(inheritable(a));
    close_ok(a);
    close_ok(c1);
    close_ok(c2);
    close_ok(l);
}

static void test_accept_with_inherit_flag_gives_an_inheritable_socket(void **state)
{
    (void)state;
    conn c = tcp_conn(SOCKPORT_F_INHERIT);
    assert_true(inheritable(c.server));
    round_trip(c.client, c.server);
    conn_close(&c);
}

static void test_clone_is_never_inheritable_even_of_an_inheritable_socket(void **state)
{
    (void)state;
    sockport_socket *s = open_ok(V4, STREAM, SOCKPORT_F_INHERIT), *c = NULL;
    assert_sp_ok(sockport_try_clone(s, &c));
    assert_true(inheritable(s));
    assert_false(inheritable(c));
    close_ok(c);
    close_ok(s);
}

static void test_pair_ends_are_not_inheritable_unless_asked(void **state)
{
    (void)state;
    sockport_socket *p[2], *q[2];
    assert_sp_ok(sockport_pair(p, UNIX, STREAM, 0, 0));
    assert_false(inheritable(p[0]));
    assert_false(inheritable(p[1]));
    assert_sp_ok(sockport_pair(q, UNIX, STREAM, 0, SOCKPORT_F_INHERIT));
    assert_true(inheritable(q[0]));
    assert_true(inheritable(q[1]));
    round_trip(q[0], q[1]);
    for (int i = 0; i < 2; i++) {
        close_ok(p[i]);
        close_ok(q[i]);
    }
}

/* ---- registered I/O, clone ------------------------------------------------ */

static void test_registered_io_socket_opens_and_carries_datagrams(void **state)
{
    (void)state;
    char buf[8];
    sockport_socket *s = open_ok(V4, DGRAM, SOCKPORT_F_REGISTERED_IO);
    sockport_addr me = bind_loopback(s, V4);
    assert_int_equal(sockport_send_to(s, "rio", 3, 0, &me), 3);
    assert_int_equal(sockport_recv(s, buf, sizeof buf, 0), 3);
    assert_memory_equal(buf, "rio", 3);
    assert_false(inheritable(s));
    close_ok(s);
}

static void test_try_clone_shares_the_connection(void **state)
{
    (void)state;
    conn c = tcp_conn(0);
    sockport_socket *dup = NULL;
    assert_sp_ok(sockport_try_clone(c.client, &dup));
    send_all(dup, "from clone");
    expect_text(c.server, "from clone");
    close_ok(c.client); /* the connection lives on in the clone */
    send_all(dup, "still");
    expect_text(c.server, "still");
    send_all(c.server, "back");
    expect_text(dup, "back");
    close_ok(dup);
    close_ok(c.server);
}

static void test_try_clone_starts_in_the_remembered_blocking_mode(void **state)
{
    (void)state;
    conn c = tcp_conn(0);
    sockport_socket *nb = NULL, *bl = NULL;
    assert_sp_ok(sockport_set_nonblocking(c.client, true));
    assert_sp_ok(sockport_try_clone(c.client, &nb));
    expect_nonblocking(nb);
    assert_sp_ok(sockport_set_nonblocking(c.server, false));
    assert_sp_ok(sockport_try_clone(c.server, &bl));
    expect_blocking(bl);
    close_ok(nb);
    close_ok(bl);
    conn_close(&c);
}

static void test_try_clone_keeps_the_remembered_option_values(void **state)
{
    (void)state;
    bool v = false;
    sockport_socket *s = open_ok(V4, DGRAM, 0), *c = NULL;
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_SO_REUSEADDR, true));
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_SIO_UDP_CONNRESET, true));
    assert_sp_ok(sockport_try_clone(s, &c));
    assert_sp_ok(sockport_get_bool(c, SOCKPORT_OPT_SO_REUSEADDR, &v));
    assert_true(v);
    assert_sp_ok(sockport_get_bool(c, SOCKPORT_OPT_SIO_UDP_CONNRESET, &v));
    assert_true(v);
    close_ok(c);
    close_ok(s);
}

/* ---- address reuse ------------------------------------------------------------ */

static void test_exclusiveaddruse_blocks_a_second_bind_even_with_native_reuse(void **state)
{
    (void)state;
    bool v = false;
    sockport_socket *a = open_ok(V4, DGRAM, 0), *b = open_ok(V4, DGRAM, 0);
    assert_sp_ok(sockport_set_bool(a, SOCKPORT_OPT_SO_EXCLUSIVEADDRUSE, true));
    assert_sp_ok(sockport_get_bool(a, SOCKPORT_OPT_SO_EXCLUSIVEADDRUSE, &v));
    assert_true(v);
    sockport_addr taken = bind_loopback(a, V4);
    BOOL one = TRUE; /* the port stealer's weapon, straight to WinSock */
    assert_int_equal(setsockopt(raw(b), SOL_SOCKET, SO_REUSEADDR, (const char *)&one, sizeof one),
                     0);
    int rc = sockport_bind(b, &taken);
    assert_true(rc == SOCKPORT_EADDRINUSE || rc == SOCKPORT_EACCES);
    close_ok(a);
    close_ok(b);
}

static void test_portable_reuseaddr_reads_back_but_is_never_set_natively(void **state)
{
    (void)state;
    bool v = false;
    sockport_socket *s = open_ok(V4, STREAM, 0);
    assert_int_equal(sockport_option_supported(s, SOCKPORT_OPT_SO_REUSEADDR), 1);
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_SO_REUSEADDR, true));
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_REUSEADDR, &v));
    assert_true(v);
    DWORD native = 7;
    int len = (int)sizeof native;
    assert_int_equal(getsockopt(raw(s), SOL_SOCKET, SO_REUSEADDR, (char *)&native, &len), 0);
    assert_int_equal(native & (len == 1 ? 0xffu : 0xffffffffu), 0);
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_SO_REUSEADDR, false));
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_REUSEADDR, &v));
    assert_false(v);
    close_ok(s);
}

static void test_reuseport_is_not_supported_on_windows(void **state)
{
    (void)state;
    bool v;
    sockport_socket *s = open_ok(V4, DGRAM, 0);
    assert_int_equal(sockport_option_supported(s, SOCKPORT_OPT_SO_REUSEPORT), 0);
    assert_sp_err(sockport_set_bool(s, SOCKPORT_OPT_SO_REUSEPORT, true), SOCKPORT_ENOTSUP);
    assert_sp_err(sockport_get_bool(s, SOCKPORT_OPT_SO_REUSEPORT, &v), SOCKPORT_ENOTSUP);
    assert_int_equal(sockport_last_os_error(), 0);
    close_ok(s);
}

/* ---- shutdown, truncation ------------------------------------------------------ */

static void test_recv_after_shut_rd_returns_zero_where_winsock_says_wsaeshutdown(void **state)
{
    (void)state;
    char c;
    conn k = tcp_conn(0);
    assert_sp_ok(sockport_shutdown(k.server, SOCKPORT_SHUT_RD));
    assert_int_equal(recv(raw(k.server), &c, 1, 0), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAESHUTDOWN);
    assert_int_equal(sockport_recv(k.server, &c, 1, 0), 0);
    sockport_addr from;
    assert_int_equal(sockport_recv_from(k.server, &c, 1, 0, &from), 0);
    conn_close(&k);
}

static void test_send_after_shut_wr_is_epipe_with_wsaeshutdown_kept(void **state)
{
    (void)state;
    conn k = tcp_conn(0);
    assert_sp_ok(sockport_shutdown(k.client, SOCKPORT_SHUT_WR));
    assert_sp_err(sockport_send(k.client, "x", 1, 0), SOCKPORT_EPIPE);
    assert_int_equal(sockport_last_os_error(), WSAESHUTDOWN);
    char c;
    assert_int_equal(sockport_recv(k.server, &c, 1, 0), 0); /* the peer reads end of stream */
    conn_close(&k);
}

typedef struct udp2 {
    sockport_socket *a, *b;
    sockport_addr aa, ba;
} udp2;

static udp2 udp_pair(void)
{
    udp2 u;
    u.a = open_ok(V4, DGRAM, 0);
    u.b = open_ok(V4, DGRAM, 0);
    u.aa = bind_loopback(u.a, V4);
    u.ba = bind_loopback(u.b, V4);
    return u;
}

static void udp_close(udp2 *u)
{
    close_ok(u->a);
    close_ok(u->b);
}

static void test_truncated_datagram_gives_the_bytes_and_msg_trunc(void **state)
{
    (void)state;
    udp2 u = udp_pair();
    char buf[4];
    int flags = -1;
    sockport_addr from;
    assert_int_equal(sockport_send_to(u.a, "0123456789", 10, 0, &u.ba), 10);
    assert_int_equal(sockport_recv_from_flags(u.b, buf, sizeof buf, 0, &from, &flags), 4);
    assert_memory_equal(buf, "0123", 4);
    assert_int_equal(flags, SOCKPORT_MSG_TRUNC);
    assert_int_equal(sockport_addr_compare(&from, &u.aa), 0);
    assert_int_equal(sockport_send_to(u.a, "abcdef", 6, 0, &u.ba), 6);
    assert_int_equal(sockport_recv(u.b, buf, 2, 0), 2); /* recv without from: the same */
    assert_memory_equal(buf, "ab", 2);
    udp_close(&u);
}

static void test_truncated_peek_reports_trunc_and_keeps_the_datagram(void **state)
{
    (void)state;
    udp2 u = udp_pair();
    char buf[16];
    int flags = -1;
    assert_int_equal(sockport_send_to(u.a, "peekaboo", 8, 0, &u.ba), 8);
    assert_int_equal(sockport_recv_from_flags(u.b, buf, 4, SOCKPORT_MSG_PEEK, NULL, &flags), 4);
    assert_int_equal(flags, SOCKPORT_MSG_TRUNC);
    assert_int_equal(sockport_recv_from_flags(u.b, buf, sizeof buf, 0, NULL, &flags), 8);
    assert_int_equal(flags, 0);
    assert_memory_equal(buf, "peekaboo", 8);
    udp_close(&u);
}

static int lengths_seen[2];

static int WSAAPI length_recording_recvfrom(SOCKET s, char *buf, int len, int flags,
                                            struct sockaddr *sa, int *salen)
{
    (void)s, (void)buf, (void)flags, (void)sa, (void)salen;
    lengths_seen[0] = len;
    return 3;
}

static int WSAAPI length_recording_send(SOCKET s, const char *buf, int len, int flags)
{
    (void)s, (void)buf, (void)flags;
    lengths_seen[1] = len;
    return len;
}

/* WinSock probes the whole buffer (WSAEFAULT for a short one), so the clamp
 * is watched through the syscall table: a length past INT_MAX reaches
 * WinSock as INT_MAX, and the answer is a short count, not an error. */
static void test_lengths_past_int_max_are_clamped_to_a_short_count(void **state)
{
    (void)state;
    static char buf[8];
    sockport_socket *s = open_ok(V4, DGRAM, 0);
    swap("recvfrom", (sockport__winsock_fn)length_recording_recvfrom);
    swap("send", (sockport__winsock_fn)length_recording_send);
    sockport_addr from;
    assert_int_equal(sockport_recv_from(s, buf, (size_t)INT_MAX + 10u, 0, &from), 3);
    assert_int_equal(lengths_seen[0], INT_MAX);
    assert_int_equal(sockport_send(s, buf, (size_t)UINT32_MAX + 5u, 0), INT_MAX);
    assert_int_equal(lengths_seen[1], INT_MAX);
    close_ok(s);
}

/* ---- the socketpair emulation ---------------------------------------------- */

static void expect_native_family(sockport_socket *s, ADDRESS_FAMILY family)
{
    SOCKADDR_STORAGE ss;
    int len = (int)sizeof ss;
    assert_int_equal(getsockname(raw(s), (struct sockaddr *)&ss, &len), 0);
    assert_int_equal(ss.ss_family, family);
}

static void close_pair(sockport_socket *p[2])
{
    close_ok(p[0]);
    close_ok(p[1]);
}

static void test_pair_without_af_unix_falls_back_to_a_loopback_stream_pair(void **state)
{
    (void)state;
    sockport_socket *probe = NULL, *p[2];
    int rc = sockport_open(&probe, UNIX, STREAM, 0, 0);
    if (rc == 0) {
        close_ok(probe);
        skip_because("AF_UNIX works here: the loopback fallback is not taken");
    }
    assert_sp_err(rc, SOCKPORT_EAFNOSUPPORT);
    assert_sp_ok(sockport_pair(p, UNIX, STREAM, 0, 0));
    assert_int_equal(sockport_socket_family(p[0]), UNIX);
    expect_native_family(p[0], AF_INET);
    expect_native_family(p[1], AF_INET);
    round_trip(p[0], p[1]);
    assert_sp_ok(sockport_shutdown(p[0], SOCKPORT_SHUT_WR));
    char c;
    assert_int_equal(sockport_recv(p[1], &c, 1, 0), 0);
    close_pair(p);
}

static int cookies_to_spoil, cookies_sent;

static int WSAAPI spoiling_send(SOCKET s, const char *buf, int len, int flags)
{
    if (len != 16)
        return send(s, buf, len, flags);
    cookies_sent++;
    if (cookies_to_spoil == 0)
        return send(s, buf, len, flags);
    cookies_to_spoil--;
    char bad[16];
    memcpy(bad, buf, sizeof bad);
    bad[7] ^= 0x5a;
    return send(s, bad, len, flags);
}

static void test_pair_rejects_a_connection_that_sends_a_bad_cookie(void **state)
{
    (void)state;
    sockport_socket *p[2] = {NULL, NULL};
    cookies_to_spoil = 1000;
    cookies_sent = 0;
    swap("send", (sockport__winsock_fn)spoiling_send);
    assert_sp_err(sockport_pair(p, V4, STREAM, 0, 0), SOCKPORT_ECONNABORTED);
    assert_null(p[0]);
    assert_null(p[1]);
    assert_int_equal(cookies_sent, 3); /* one per attempt, then it gives up */
}

static void test_pair_tries_a_fresh_listener_after_a_bad_cookie(void **state)
{
    (void)state;
    sockport_socket *p[2];
    cookies_to_spoil = 1;
    cookies_sent = 0;
    swap("send", (sockport__winsock_fn)spoiling_send);
    assert_sp_ok(sockport_pair(p, V4, STREAM, 0, 0));
    assert_int_equal(cookies_sent, 2);
    round_trip(p[0], p[1]);
    close_pair(p);
}

static SOCKET intruder = INVALID_SOCKET;
static int accepts;

/* Before the pair's own connect: another socket gets to the listener first. */
static int WSAAPI racing_connect(SOCKET s, const struct sockaddr *sa, int len)
{
    if (intruder == INVALID_SOCKET && sa->sa_family == AF_INET) {
        intruder = WSASocketW(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
        assert_int_equal(connect(intruder, sa, len), 0);
        assert_int_equal(send(intruder, "0123456789abcdef", 16, 0), 16); /* a guessed cookie */
    }
    return connect(s, sa, len);
}

static SOCKET WSAAPI counting_accept(SOCKET s, struct sockaddr *sa, int *len)
{
    accepts++;
    return accept(s, sa, len);
}

static void test_pair_closes_an_intruder_that_connects_first(void **state)
{
    (void)state;
    sockport_socket *p[2];
    intruder = INVALID_SOCKET;
    accepts = 0;
    swap("connect", (sockport__winsock_fn)racing_connect);
    swap("accept", (sockport__winsock_fn)counting_accept);
    assert_sp_ok(sockport_pair(p, V4, STREAM, 0, 0));
    assert_true(intruder != INVALID_SOCKET);
    assert_int_equal(accepts, 2); /* the intruder, then ours */
    round_trip(p[0], p[1]);
    DWORD ms = 3000;
    setsockopt(intruder, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof ms);
    char c;
    int r = recv(intruder, &c, 1, 0); /* closed by the pair: EOF or a reset, not silence */
    assert_true(r == 0 || (r == SOCKET_ERROR && WSAGetLastError() != WSAETIMEDOUT));
    closesocket(intruder);
    close_pair(p);
}

static ULONGLONG fake_clock;

static ULONGLONG WINAPI fast_clock(void)
{
    return fake_clock += 1000; /* a second passes at every look */
}

static int WSAAPI nothing_ready(WSAPOLLFD *fds, ULONG n, INT ms)
{
    (void)fds, (void)n, (void)ms;
    return 0;
}

static void test_pair_gives_up_at_its_deadline(void **state)
{
    (void)state;
    sockport_socket *p[2] = {NULL, NULL};
    fake_clock = 0;
    swap("GetTickCount64", (sockport__winsock_fn)fast_clock);
    swap("WSAPoll", (sockport__winsock_fn)nothing_ready);
    assert_sp_err(sockport_pair(p, V4, STREAM, 0, 0), SOCKPORT_ETIMEDOUT);
    assert_null(p[0]);
    assert_true(fake_clock < 60000); /* bounded: a handful of looks, not a hang */
}

static void test_pair_dgram_is_a_connected_udp_pair_that_keeps_boundaries(void **state)
{
    (void)state;
    sockport_socket *p[2];
    char buf[16];
    int flags = -1;
    assert_sp_ok(sockport_pair(p, UNIX, DGRAM, 0, 0));
    expect_native_family(p[0], AF_INET);
    assert_false(inheritable(p[0]));
    assert_false(inheritable(p[1]));
    assert_int_equal(sockport_send(p[0], "one", 3, 0), 3);
    assert_int_equal(sockport_send(p[0], "three", 5, 0), 5);
    assert_int_equal(sockport_recv_from_flags(p[1], buf, sizeof buf, 0, NULL, &flags), 3);
    assert_int_equal(sockport_recv(p[1], buf, sizeof buf, 0), 5);
    assert_int_equal(sockport_send(p[1], "back", 4, 0), 4);
    assert_int_equal(sockport_recv(p[0], buf, sizeof buf, 0), 4);
    sockport_addr a0, a1, peer;
    assert_sp_ok(sockport_local_addr(p[0], &a0));
    assert_sp_ok(sockport_local_addr(p[1], &a1));
    assert_sp_ok(sockport_peer_addr(p[1], &peer));
    assert_int_equal(sockport_addr_compare(&peer, &a0), 0);
    assert_sp_ok(sockport_peer_addr(p[0], &peer));
    assert_int_equal(sockport_addr_compare(&peer, &a1), 0);
    close_pair(p);
}

static void test_pair_on_ipv6_uses_the_ipv6_loopback(void **state)
{
    (void)state;
    sockport_socket *p[2];
    int rc = sockport_pair(p, V6, STREAM, 0, 0);
    if (rc == SOCKPORT_EAFNOSUPPORT || rc == SOCKPORT_EADDRNOTAVAIL)
        skip_because("no IPv6 loopback here");
    assert_sp_ok(rc);
    expect_native_family(p[1], AF_INET6);
    round_trip(p[0], p[1]);
    close_pair(p);
}

static void test_pair_applies_the_nonblocking_flag_to_both_ends(void **state)
{
    (void)state;
    sockport_socket *p[2];
    bool nb = false;
    assert_sp_ok(sockport_pair(p, UNIX, STREAM, 0, SOCKPORT_F_NONBLOCK));
    for (int i = 0; i < 2; i++) {
        assert_sp_ok(sockport_get_nonblocking(p[i], &nb));
        assert_true(nb);
        expect_nonblocking(p[i]);
    }
    close_pair(p);
}

static void test_pair_refuses_seqpacket_and_a_foreign_protocol(void **state)
{
    (void)state;
    sockport_socket *p[2] = {NULL, NULL};
    assert_sp_err(sockport_pair(p, UNIX, SOCKPORT_SOCK_SEQPACKET, 0, 0), SOCKPORT_ESOCKTNOSUPPORT);
    assert_sp_err(sockport_pair(p, V4, STREAM, SOCKPORT_IPPROTO_UDP, 0), SOCKPORT_EPROTONOSUPPORT);
    assert_null(p[0]);
}

static int temp_calls;

static DWORD WINAPI long_temp_path(DWORD room, LPWSTR buf)
{
    temp_calls++;
    assert_true(room > 130);
    for (int i = 0; i < 120; i++)
        buf[i] = L'd';
    buf[120] = L'\\';
    buf[121] = L'\0';
    return 121;
}

static void test_pair_with_no_short_temp_path_uses_the_loopback_pair(void **state)
{
    (void)state;
    sockport_socket *p[2];
    temp_calls = 0;
    swap("GetTempPathW", (sockport__winsock_fn)long_temp_path);
    assert_sp_ok(sockport_pair(p, UNIX, STREAM, 0, 0));
    assert_int_equal(temp_calls, 1);
    expect_native_family(p[0], AF_INET);
    round_trip(p[0], p[1]);
    close_pair(p);
}

/* ---- option reads: the 1-byte BOOL ------------------------------------------- */

static void test_tcp_nodelay_reads_back_whatever_width_winsock_writes(void **state)
{
    (void)state;
    conn c = tcp_conn(0);
    unsigned char b[4] = {0xab, 0xab, 0xab, 0xab};
    int len = 4;
    assert_int_equal(getsockopt(raw(c.client), IPPROTO_TCP, TCP_NODELAY, (char *)b, &len), 0);
    print_message("note: getsockopt(TCP_NODELAY) wrote %d byte(s) here\n", len);
    bool v = true;
    assert_sp_ok(sockport_get_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, &v));
    assert_false(v);
    assert_sp_ok(sockport_set_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, true));
    assert_sp_ok(sockport_get_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, &v));
    assert_true(v);
    assert_sp_ok(sockport_set_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, false));
    assert_sp_ok(sockport_get_bool(c.client, SOCKPORT_OPT_TCP_NODELAY, &v));
    assert_false(v);
    conn_close(&c);
}

static unsigned char fake_opt[4];
static int fake_opt_len;

/* getsockopt that answers every option with fake_opt, fake_opt_len bytes
 * written, and garbage left in the rest of the caller's buffer. */
static int WSAAPI short_getsockopt(SOCKET s, int level, int name, char *v, int *len)
{
    (void)s, (void)level, (void)name;
    memset(v, 0xab, (size_t)*len);
    memcpy(v, fake_opt, (size_t)fake_opt_len);
    *len = fake_opt_len;
    return 0;
}

static int read_with(const unsigned char bytes[4], int len, int opt, int *out)
{
    memcpy(fake_opt, bytes, 4);
    fake_opt_len = len;
    sockport_socket *s = open_ok(V4, STREAM, 0);
    swap("getsockopt", (sockport__winsock_fn)short_getsockopt);
    int rc = sockport_get_int(s, opt, out);
    sockport__winsock_syscall_reset();
    close_ok(s);
    return rc;
}

static void test_bool_read_uses_the_returned_length_not_the_buffer(void **state)
{
    (void)state;
    static const unsigned char on1[4] = {1, 0xcd, 0xcd, 0xcd}, off1[4] = {0, 0xcd, 0xcd, 0xcd};
    static const unsigned char on2[4] = {1, 0, 0xcd, 0xcd}, off2[4] = {0, 0, 0xcd, 0xcd};
    static const unsigned char on4[4] = {1, 0, 0, 0};
    int v = -1;
    assert_sp_ok(read_with(on1, 1, SOCKPORT_OPT_TCP_NODELAY, &v));
    assert_int_equal(v, 1);
    assert_sp_ok(read_with(off1, 1, SOCKPORT_OPT_TCP_NODELAY, &v));
    assert_int_equal(v, 0);
    assert_sp_ok(read_with(on2, 2, SOCKPORT_OPT_SO_KEEPALIVE, &v));
    assert_int_equal(v, 1);
    assert_sp_ok(read_with(off2, 2, SOCKPORT_OPT_SO_OOBINLINE, &v));
    assert_int_equal(v, 0);
    assert_sp_ok(read_with(on4, 4, SOCKPORT_OPT_SO_OOBINLINE, &v));
    assert_int_equal(v, 1);
}

static void test_int_read_takes_one_byte_answers_and_refuses_odd_lengths(void **state)
{
    (void)state;
    static const unsigned char ttl1[4] = {64, 0xcd, 0xcd, 0xcd}, odd[4] = {1, 2, 3, 4};
    int v = -1;
    assert_sp_ok(read_with(ttl1, 1, SOCKPORT_OPT_IP_TTL, &v));
    assert_int_equal(v, 64);
    v = -1;
    assert_sp_err(read_with(odd, 3, SOCKPORT_OPT_IP_TTL, &v), SOCKPORT_EPROTO);
    assert_int_equal(v, -1); /* untouched on failure */
}

/* ---- SIO_UDP_CONNRESET --------------------------------------------------------- */

static int connreset_ioctls;
static BOOL connreset_value = 2;

static int WSAAPI recording_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD inlen, LPVOID out,
                                  DWORD outlen, LPDWORD got, LPWSAOVERLAPPED ov,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE done)
{
    if (code == SIO_UDP_CONNRESET && inlen == sizeof(BOOL)) {
        connreset_ioctls++;
        memcpy(&connreset_value, in, sizeof connreset_value);
    }
    return WSAIoctl(s, code, in, inlen, out, outlen, got, ov, done);
}

static void test_udp_open_turns_sio_udp_connreset_off(void **state)
{
    (void)state;
    bool v = true;
    connreset_ioctls = 0;
    swap("WSAIoctl", (sockport__winsock_fn)recording_ioctl);
    sockport_socket *u = open_ok(V4, DGRAM, 0), *t = open_ok(V4, STREAM, 0);
    assert_int_equal(connreset_ioctls, 1); /* UDP only */
    assert_int_equal(connreset_value, FALSE);
    assert_sp_ok(sockport_get_bool(u, SOCKPORT_OPT_SIO_UDP_CONNRESET, &v));
    assert_false(v);
    assert_int_equal(sockport_option_supported(u, SOCKPORT_OPT_SIO_UDP_CONNRESET), 1);
    assert_sp_ok(sockport_set_bool(u, SOCKPORT_OPT_SIO_UDP_CONNRESET, true));
    assert_int_equal(connreset_value, TRUE);
    assert_sp_ok(sockport_get_bool(u, SOCKPORT_OPT_SIO_UDP_CONNRESET, &v));
    assert_true(v);
    assert_sp_err(sockport_set_bool(t, SOCKPORT_OPT_SIO_UDP_CONNRESET, true), SOCKPORT_ENOPROTOOPT);
    close_ok(u);
    close_ok(t);
}

/* Sends to a closed port, then receives with a short timeout. */
static ptrdiff_t recv_after_unreachable(sockport_socket *u)
{
    char buf[8];
    sockport_addr dead = closed_port(V4, DGRAM), from;
    assert_int_equal(sockport_send_to(u, "anyone?", 7, 0, &dead), 7);
    Sleep(50); /* let the ICMP port-unreachable come back */
    assert_sp_ok(sockport_set_recv_timeout(u, 300));
    return sockport_recv_from(u, buf, sizeof buf, 0, &from);
}

static void test_udp_recv_after_port_unreachable_is_not_a_reset_by_default(void **state)
{
    (void)state;
    sockport_socket *u = open_ok(V4, DGRAM, 0);
    (void)bind_loopback(u, V4);
    ptrdiff_t r = recv_after_unreachable(u);
    assert_true(r == SOCKPORT_EAGAIN || r == SOCKPORT_ETIMEDOUT);
    close_ok(u);
}

static void test_udp_recv_after_port_unreachable_is_a_reset_when_enabled(void **state)
{
    (void)state;
    sockport_socket *u = open_ok(V4, DGRAM, 0);
    (void)bind_loopback(u, V4);
    assert_sp_ok(sockport_set_bool(u, SOCKPORT_OPT_SIO_UDP_CONNRESET, true));
    ptrdiff_t r = recv_after_unreachable(u);
    close_ok(u);
    if (r == SOCKPORT_EAGAIN || r == SOCKPORT_ETIMEDOUT)
        skip_because("this system (Wine 8) does not report ICMP port unreachable as "
                     "WSAECONNRESET; the mapping is checked by injection in "
                     "test_injected_wsaeconnreset_on_udp_recv_is_econnreset");
    assert_sp_err(r, SOCKPORT_ECONNRESET);
    assert_int_equal(sockport_last_os_error(), WSAECONNRESET);
}

static int WSAAPI reset_recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *sa,
                                 int *salen)
{
    (void)s, (void)buf, (void)len, (void)flags, (void)sa, (void)salen;
    WSASetLastError(WSAECONNRESET);
    return SOCKET_ERROR;
}

static void test_injected_wsaeconnreset_on_udp_recv_is_econnreset(void **state)
{
    (void)state;
    char buf[4];
    sockport_addr from;
    sockport_socket *u = open_ok(V4, DGRAM, 0);
    swap("recvfrom", (sockport__winsock_fn)reset_recvfrom);
    from = loopback(V4);
    sockport_addr before = from;
    assert_sp_err(sockport_recv_from(u, buf, sizeof buf, 0, &from), SOCKPORT_ECONNRESET);
    assert_int_equal(sockport_last_os_error(), 10054);
    assert_int_equal(sockport_addr_compare(&from, &before), 0); /* untouched */
    close_ok(u);
}

/* ---- timeouts, keepalive, other options ------------------------------------- */

static void test_keepalive_round_trips(void **state)
{
    (void)state;
    bool v = true;
    sockport_socket *s = open_ok(V4, STREAM, 0);
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, &v));
    assert_false(v);
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, true));
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, &v));
    assert_true(v);
    close_ok(s);
}

static void test_timeouts_are_dword_milliseconds_with_zero_for_none(void **state)
{
    (void)state;
    int64_t ms = -1;
    DWORD native = 0;
    int len = (int)sizeof native;
    sockport_socket *s = open_ok(V4, STREAM, 0);
    assert_sp_ok(sockport_set_recv_timeout(s, 1500));
    assert_int_equal(getsockopt(raw(s), SOL_SOCKET, SO_RCVTIMEO, (char *)&native, &len), 0);
    assert_int_equal(native, 1500);
    assert_sp_ok(sockport_get_recv_timeout(s, &ms));
    assert_int_equal(ms, 1500);
    assert_sp_ok(sockport_set_send_timeout(s, 250));
    assert_sp_ok(sockport_get_send_timeout(s, &ms));
    assert_int_equal(ms, 250);
    assert_sp_ok(sockport_set_send_timeout(s, 0));
    assert_sp_ok(sockport_get_send_timeout(s, &ms));
    assert_int_equal(ms, 0);
    close_ok(s);
}

static void test_huge_timeouts_are_clamped_below_infinite(void **state)
{
    (void)state;
    int64_t ms = 0;
    sockport_socket *s = open_ok(V4, STREAM, 0);
    assert_sp_ok(sockport_set_recv_timeout(s, INT64_MAX));
    assert_sp_ok(sockport_get_recv_timeout(s, &ms));
    assert_int_equal(ms, (int64_t)UINT32_MAX - 1);
    close_ok(s);
}

static void test_so_broadcast_is_for_datagram_sockets_only(void **state)
{
    (void)state;
    bool v = false;
    sockport_socket *t = open_ok(V4, STREAM, 0), *u = open_ok(V4, DGRAM, 0);
    assert_int_equal(sockport_option_supported(t, SOCKPORT_OPT_SO_BROADCAST), 0);
    assert_sp_err(sockport_set_bool(t, SOCKPORT_OPT_SO_BROADCAST, true), SOCKPORT_ENOPROTOOPT);
    assert_int_equal(sockport_option_supported(u, SOCKPORT_OPT_SO_BROADCAST), 1);
    assert_sp_ok(sockport_set_bool(u, SOCKPORT_OPT_SO_BROADCAST, true));
    assert_sp_ok(sockport_get_bool(u, SOCKPORT_OPT_SO_BROADCAST, &v));
    assert_true(v);
    close_ok(t);
    close_ok(u);
}

static void test_ipv6_only_defaults_on_and_can_be_cleared(void **state)
{
    (void)state;
    bool v = false;
    sockport_socket *s = NULL;
    if (sockport_open(&s, V6, STREAM, 0, 0) == SOCKPORT_EAFNOSUPPORT)
        skip_because("no IPv6 here");
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_IPV6_V6ONLY, &v));
    assert_true(v); /* the Windows default, unlike Linux */
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_IPV6_V6ONLY, false));
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_IPV6_V6ONLY, &v));
    assert_false(v);
    close_ok(s);
}

static void test_so_type_and_listening_state_read_as_portable_values(void **state)
{
    (void)state;
    int v = 0;
    bool on = true;
    sockport_addr bound;
    sockport_socket *u = open_ok(V4, DGRAM, 0), *l = listener(V4, &bound);
    assert_sp_ok(sockport_get_int(u, SOCKPORT_OPT_SO_TYPE, &v));
    assert_int_equal(v, SOCKPORT_SOCK_DGRAM);
    assert_sp_ok(sockport_get_int(l, SOCKPORT_OPT_SO_TYPE, &v));
    assert_int_equal(v, SOCKPORT_SOCK_STREAM);
    assert_sp_ok(sockport_get_bool(u, SOCKPORT_OPT_SO_ACCEPTCONN, &on));
    assert_false(on);
    assert_sp_ok(sockport_get_bool(l, SOCKPORT_OPT_SO_ACCEPTCONN, &on));
    assert_true(on);
    close_ok(u);
    close_ok(l);
}

/* ---- connect_timeout ----------------------------------------------------------- */

static int fionbio_log[8], fionbio_count;

static int WSAAPI logging_ioctlsocket(SOCKET s, long cmd, u_long *arg)
{
    if (cmd == (long)FIONBIO && fionbio_count < 8)
        fionbio_log[fionbio_count++] = (int)*arg;
    return ioctlsocket(s, cmd, arg);
}

static void test_connect_timeout_restores_blocking_mode_after_success(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(V4, &bound), *c = open_ok(V4, STREAM, 0), *a = NULL;
    fionbio_count = 0;
    swap("ioctlsocket", (sockport__winsock_fn)logging_ioctlsocket);
    assert_sp_ok(sockport_connect_timeout(c, &bound, 5000));
    assert_int_equal(fionbio_count, 2);
    assert_int_equal(fionbio_log[0], 1);
    assert_int_equal(fionbio_log[1], 0);
    sockport__winsock_syscall_reset();
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    expect_blocking(c);
    close_ok(a);
    close_ok(c);
    close_ok(l);
}

static void test_connect_timeout_restores_blocking_mode_after_a_refusal(void **state)
{
    (void)state;
    sockport_addr dead = closed_port(V4, STREAM);
    sockport_socket *c = open_ok(V4, STREAM, 0);
    fionbio_count = 0;
    swap("ioctlsocket", (sockport__winsock_fn)logging_ioctlsocket);
    int rc = sockport_connect_timeout(c, &dead, 2000);
    assert_true(rc == SOCKPORT_ECONNREFUSED || rc == SOCKPORT_ETIMEDOUT); /* old WSAPoll bug */
    assert_int_equal(fionbio_count, 2);
    assert_int_equal(fionbio_log[1], 0);
    close_ok(c);
}

static void test_connect_timeout_leaves_a_nonblocking_socket_alone(void **state)
{
    (void)state;
    sockport_addr bound;
    sockport_socket *l = listener(V4, &bound), *c = open_ok(V4, STREAM, SOCKPORT_F_NONBLOCK);
    sockport_socket *a = NULL;
    fionbio_count = 0;
    swap("ioctlsocket", (sockport__winsock_fn)logging_ioctlsocket);
    assert_sp_ok(sockport_connect_timeout(c, &bound, 5000));
    assert_int_equal(fionbio_count, 0);
    sockport__winsock_syscall_reset();
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    expect_nonblocking(c);
    close_ok(a);
    close_ok(c);
    close_ok(l);
}

static INT poll_waits[16];
static int poll_count;

static int WSAAPI silent_poll_logging(WSAPOLLFD *fds, ULONG n, INT ms)
{
    (void)fds, (void)n;
    if (poll_count < 16)
        poll_waits[poll_count] = ms;
    poll_count++;
    return 0;
}

static int WSAAPI pending_connect(SOCKET s, const struct sockaddr *sa, int len)
{
    (void)s, (void)sa, (void)len;
    WSASetLastError(WSAEWOULDBLOCK);
    return SOCKET_ERROR;
}

static void test_connect_timeout_zero_polls_exactly_once(void **state)
{
    (void)state;
    sockport_addr bound = loopback(V4);
    sockport_socket *c = open_ok(V4, STREAM, 0);
    poll_count = 0;
    swap("connect", (sockport__winsock_fn)pending_connect);
    swap("WSAPoll", (sockport__winsock_fn)silent_poll_logging);
    assert_sp_err(sockport_connect_timeout(c, &bound, 0), SOCKPORT_ETIMEDOUT);
    assert_int_equal(sockport_last_os_error(), WSAETIMEDOUT);
    assert_int_equal(poll_count, 1);
    assert_int_equal(poll_waits[0], 0);
    close_ok(c);
}

static void test_connect_timeout_waits_in_steps_of_at_most_int_max(void **state)
{
    (void)state;
    sockport_addr bound = loopback(V4);
    sockport_socket *c = open_ok(V4, STREAM, 0);
    poll_count = 0;
    fake_clock = 0;
    swap("connect", (sockport__winsock_fn)pending_connect);
    swap("WSAPoll", (sockport__winsock_fn)silent_poll_logging);
    swap("GetTickCount64", (sockport__winsock_fn)fast_clock);
    /* 3 * INT_MAX ms: each wait is clamped, the loop goes on until the deadline */
    assert_sp_err(sockport_connect_timeout(c, &bound, 3 * (int64_t)INT_MAX), SOCKPORT_ETIMEDOUT);
    assert_true(poll_count > 1);
    for (int i = 0; i < poll_count && i < 16; i++)
        assert_true(poll_waits[i] >= 0 && poll_waits[i] <= INT_MAX);
    assert_int_equal(poll_waits[0], INT_MAX);
    close_ok(c);
}

static void test_nonblocking_connect_in_progress_is_einprogress(void **state)
{
    (void)state;
    sockport_addr bound = loopback(V4);
    sockport_socket *c = open_ok(V4, STREAM, SOCKPORT_F_NONBLOCK);
    swap("connect", (sockport__winsock_fn)pending_connect);
    assert_sp_err(sockport_connect(c, &bound), SOCKPORT_EINPROGRESS);
    assert_int_equal(sockport_last_os_error(), WSAEWOULDBLOCK);
    close_ok(c);
}

/* ---- MSG_DONTWAIT on a blocking socket ------------------------------------------ */

static void test_dontwait_on_a_blocking_socket_answers_eagain_and_keeps_it_blocking(void **state)
{
    (void)state;
    char c;
    conn k = tcp_conn(0);
    fionbio_count = 0;
    swap("ioctlsocket", (sockport__winsock_fn)logging_ioctlsocket);
    int64_t t0 = now_ms();
    assert_sp_err(sockport_recv(k.server, &c, 1, SOCKPORT_MSG_DONTWAIT), SOCKPORT_EAGAIN);
    assert_true(now_ms() - t0 < 300);
    assert_int_equal(fionbio_count, 0); /* the socket's mode was never touched */
    expect_blocking(k.server);
    send_all(k.client, "now");
    Sleep(20);
    char buf[8];
    assert_int_equal(sockport_recv(k.server, buf, sizeof buf, SOCKPORT_MSG_DONTWAIT), 3);
    assert_memory_equal(buf, "now", 3);
    conn_close(&k);
}

static void test_dontwait_send_on_a_blocking_socket_is_bounded_by_the_send_buffer(void **state)
{
    (void)state;
    conn k = tcp_conn(0);
    static char big[1 << 20];
    assert_sp_ok(sockport_set_int(k.client, SOCKPORT_OPT_SO_SNDBUF, 8192));
    ptrdiff_t n = sockport_send(k.client, big, sizeof big, SOCKPORT_MSG_DONTWAIT);
    assert_true(n > 0 && n <= 8192);
    conn_close(&k);
}

/* ---- fault injection ---------------------------------------------------------------- */

static int WSAAPI refused_connect(SOCKET s, const struct sockaddr *sa, int len)
{
    (void)s, (void)sa, (void)len;
    WSASetLastError(WSAECONNREFUSED);
    return SOCKET_ERROR;
}

static void test_injected_connect_refusal_is_econnrefused_with_os_code_10061(void **state)
{
    (void)state;
    sockport_addr somewhere = loopback(V4);
    sockport_socket *c = open_ok(V4, STREAM, 0);
    swap("connect", (sockport__winsock_fn)refused_connect);
    assert_sp_err(sockport_connect(c, &somewhere), SOCKPORT_ECONNREFUSED);
    assert_int_equal(sockport_last_os_error(), 10061);
    assert_sp_err(sockport_connect_timeout(c, &somewhere, 1000), SOCKPORT_ECONNREFUSED);
    assert_int_equal(sockport_last_os_error(), 10061);
    close_ok(c);
}

static int WSAAPI failing_startup(WORD version, LPWSADATA data)
{
    (void)version, (void)data;
    return WSASYSNOTREADY;
}

static int cleanups;

static int WSAAPI counting_cleanup(void)
{
    cleanups++;
    return WSACleanup();
}

static int WSAAPI old_startup(WORD version, LPWSADATA data)
{
    (void)version;
    int rc = WSAStartup(MAKEWORD(2, 2), data);
    data->wVersion = MAKEWORD(1, 1); /* a WinSock that only speaks 1.1 */
    return rc;
}

static void test_injected_wsastartup_failure_is_enotinit_never_an_abort(void **state)
{
    (void)state;
    swap("WSAStartup", (sockport__winsock_fn)failing_startup);
    assert_sp_err(sockport_init(), SOCKPORT_ENOTINIT);
    assert_int_equal(sockport_last_os_error(), WSASYSNOTREADY);
    cleanups = 0;
    swap("WSAStartup", (sockport__winsock_fn)old_startup);
    swap("WSACleanup", (sockport__winsock_fn)counting_cleanup);
    assert_sp_err(sockport_init(), SOCKPORT_ENOTINIT);
    assert_int_equal(sockport_last_os_error(), WSAVERNOTSUPPORTED);
    assert_int_equal(cleanups, 1); /* the started reference is given back */
    sockport__winsock_syscall_reset();
    assert_sp_ok(sockport_init());
    sockport_cleanup();
}

static void test_syscall_table_is_named_resettable_and_rejects_unknown_names(void **state)
{
    (void)state;
    int n = 0;
    for (const char *name = sockport__winsock_syscall_next(NULL); name != NULL;
         name = sockport__winsock_syscall_next(name)) {
        assert_non_null(sockport__winsock_syscall_get(name));
        n++;
    }
    assert_int_equal(n, WSYS_COUNT_);
    sockport__winsock_fn real = sockport__winsock_syscall_get("connect");
    assert_sp_err(sockport__winsock_syscall_set("nosuchcall", real, NULL), SOCKPORT_ENOENT);
    swap("connect", (sockport__winsock_fn)refused_connect);
    assert_true(sockport__winsock_syscall_get("connect") == (sockport__winsock_fn)refused_connect);
    assert_sp_ok(sockport__winsock_syscall_set(NULL, NULL, NULL));
    assert_true(sockport__winsock_syscall_get("connect") == real);
}

/* ---- AF_UNIX and native addresses ------------------------------------------------ */

static void test_unix_stream_socket_works_or_skips_where_absent(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    int rc = sockport_open(&s, UNIX, STREAM, 0, 0);
    if (rc == SOCKPORT_EAFNOSUPPORT) {
        assert_int_equal(sockport_last_os_error(), WSAEAFNOSUPPORT);
        skip_because("no AF_UNIX on this system (Wine 8, Windows before 10 1803): "
                     "WSAEAFNOSUPPORT");
    }
    assert_sp_ok(rc);
    sockport_socket *p[2];
    assert_sp_ok(sockport_pair(p, UNIX, STREAM, 0, 0)); /* the native AF_UNIX pair */
    expect_native_family(p[0], AF_UNIX);
    round_trip(p[0], p[1]);
    close_pair(p);
    close_ok(s);
}

static void test_unix_datagram_is_refused_by_family_or_by_type(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    int rc = sockport_open(&s, UNIX, DGRAM, 0, 0);
    assert_true(rc == SOCKPORT_EAFNOSUPPORT || rc == SOCKPORT_ESOCKTNOSUPPORT);
    assert_null(s);
    assert_sp_err(sockport_open(&s, UNIX, SOCKPORT_SOCK_SEQPACKET, 0, 0), rc);
}

static void test_unix_native_address_is_checked_utf8_and_counts_the_nul(void **state)
{
    (void)state;
    sockport_addr a;
    SOCKADDR_UN sun_;
    size_t len = sizeof sun_;
    assert_sp_ok(sockport_addr_unix(&a, "C:\\Temp\\caf\xc3\xa9.sock"));
    assert_sp_ok(sockport_addr_to_native(&a, &sun_, &len));
    assert_int_equal(sun_.sun_family, AF_UNIX);
    assert_int_equal(len, offsetof(SOCKADDR_UN, sun_path) + 18 + 1);
    assert_string_equal(sun_.sun_path, "C:\\Temp\\caf\xc3\xa9.sock");
    static const char *bad[] = {"bad\xff", "half\xc3", "over\xc0\xaf", "surr\xed\xa0\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        len = sizeof sun_;
        assert_sp_ok(sockport_addr_unix(&a, bad[i]));
        assert_sp_err(sockport_addr_to_native(&a, &sun_, &len), SOCKPORT_EINVAL);
    }
    assert_sp_err(sockport_addr_abstract(&a, "x", 1), SOCKPORT_ENOTSUP);
}

static void test_unix_native_address_reads_stop_at_the_nul_or_the_length(void **state)
{
    (void)state;
    sockport_addr a;
    char out[SOCKPORT_ADDRSTRLEN];
    SOCKADDR_UN sun_;
    memset(&sun_, 'p', sizeof sun_);
    sun_.sun_family = AF_UNIX;
    size_t off = offsetof(SOCKADDR_UN, sun_path);
    assert_sp_ok(sockport_addr_from_native(&a, &sun_, off + 5)); /* no NUL within len */
    assert_int_equal(sockport_addr_format(&a, out, sizeof out), 5);
    assert_sp_err(sockport_addr_from_native(&a, &sun_, sizeof sun_), SOCKPORT_ENAMETOOLONG);
    sun_.sun_path[3] = '\0';
    assert_sp_ok(sockport_addr_from_native(&a, &sun_, sizeof sun_));
    assert_int_equal(sockport_addr_format(&a, out, sizeof out), 3);
    memset(sun_.sun_path, 0, sizeof sun_.sun_path);
    assert_sp_ok(sockport_addr_from_native(&a, &sun_, sizeof sun_)); /* unnamed */
    assert_int_equal(sockport_addr_format(&a, out, sizeof out), 0);
}

static void test_ipv6_scope_and_flow_survive_the_native_round_trip(void **state)
{
    (void)state;
    static const uint8_t ip[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
    sockport_addr a, b;
    SOCKADDR_IN6 sin6;
    size_t len = sizeof sin6;
    assert_sp_ok(sockport_addr_ipv6(&a, ip, 8080, 0x12345, 42));
    assert_sp_ok(sockport_addr_to_native(&a, &sin6, &len));
    assert_int_equal(len, sizeof sin6);
    assert_int_equal(sin6.sin6_family, AF_INET6);
    assert_int_equal(ntohs(sin6.sin6_port), 8080);
    assert_int_equal(sin6.sin6_scope_id, 42);
    assert_int_equal(ntohl(sin6.sin6_flowinfo), 0x12345);
    assert_sp_ok(sockport_addr_from_native(&b, &sin6, len));
    assert_int_equal(sockport_addr_compare(&a, &b), 0);
    len = sizeof sin6 - 1;
    assert_sp_err(sockport_addr_to_native(&a, &sin6, &len), SOCKPORT_ENOSPC);
    assert_int_equal(len, sizeof sin6);
    assert_sp_err(sockport_addr_from_native(&b, &sin6, sizeof sin6 - 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_from_native(&b, &sin6, 1), SOCKPORT_EINVAL);
}

static void test_local_addr_of_an_unbound_socket_is_the_unspecified_address(void **state)
{
    (void)state;
    SOCKADDR_STORAGE ss;
    int len = (int)sizeof ss;
    char text[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;
    sockport_socket *s = open_ok(V4, STREAM, 0);
    assert_int_equal(getsockname(raw(s), (struct sockaddr *)&ss, &len), SOCKET_ERROR);
    assert_int_equal(WSAGetLastError(), WSAEINVAL); /* WinSock alone */
    assert_sp_ok(sockport_local_addr(s, &a));
    assert_sp_ok(sockport_addr_format(&a, text, sizeof text));
    assert_string_equal(text, "0.0.0.0:0");
    close_ok(s);
}

static void test_unknown_interface_name_in_a_zone_is_enodev(void **state)
{
    (void)state;
    sockport_addr a;
    assert_sp_err(sockport_addr_ip(&a, "fe80::1%nosuchif0", 0), SOCKPORT_ENODEV);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_open_makes_handles_that_children_do_not_inherit,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_open_with_inherit_flag_makes_an_inheritable_handle,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_open_clears_inheritance_itself_where_the_flag_is_refused,
                                  reset_syscalls),
        cmocka_unit_test_teardown(
            test_accepted_socket_is_not_inheritable_although_winsock_makes_it_so, reset_syscalls),
        cmocka_unit_test_teardown(test_accept_with_inherit_flag_gives_an_inheritable_socket,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_clone_is_never_inheritable_even_of_an_inheritable_socket,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_ends_are_not_inheritable_unless_asked, reset_syscalls),
        cmocka_unit_test_teardown(test_registered_io_socket_opens_and_carries_datagrams,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_try_clone_shares_the_connection, reset_syscalls),
        cmocka_unit_test_teardown(test_try_clone_starts_in_the_remembered_blocking_mode,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_try_clone_keeps_the_remembered_option_values,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_exclusiveaddruse_blocks_a_second_bind_even_with_native_reuse,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_portable_reuseaddr_reads_back_but_is_never_set_natively,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_reuseport_is_not_supported_on_windows, reset_syscalls),
        cmocka_unit_test_teardown(
            test_recv_after_shut_rd_returns_zero_where_winsock_says_wsaeshutdown, reset_syscalls),
        cmocka_unit_test_teardown(test_send_after_shut_wr_is_epipe_with_wsaeshutdown_kept,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_truncated_datagram_gives_the_bytes_and_msg_trunc,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_truncated_peek_reports_trunc_and_keeps_the_datagram,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_lengths_past_int_max_are_clamped_to_a_short_count,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_without_af_unix_falls_back_to_a_loopback_stream_pair,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_rejects_a_connection_that_sends_a_bad_cookie,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_tries_a_fresh_listener_after_a_bad_cookie,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_closes_an_intruder_that_connects_first, reset_syscalls),
        cmocka_unit_test_teardown(test_pair_gives_up_at_its_deadline, reset_syscalls),
        cmocka_unit_test_teardown(test_pair_dgram_is_a_connected_udp_pair_that_keeps_boundaries,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_on_ipv6_uses_the_ipv6_loopback, reset_syscalls),
        cmocka_unit_test_teardown(test_pair_applies_the_nonblocking_flag_to_both_ends,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_refuses_seqpacket_and_a_foreign_protocol,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_pair_with_no_short_temp_path_uses_the_loopback_pair,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_tcp_nodelay_reads_back_whatever_width_winsock_writes,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_bool_read_uses_the_returned_length_not_the_buffer,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_int_read_takes_one_byte_answers_and_refuses_odd_lengths,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_udp_open_turns_sio_udp_connreset_off, reset_syscalls),
        cmocka_unit_test_teardown(test_udp_recv_after_port_unreachable_is_not_a_reset_by_default,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_udp_recv_after_port_unreachable_is_a_reset_when_enabled,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_injected_wsaeconnreset_on_udp_recv_is_econnreset,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_keepalive_round_trips, reset_syscalls),
        cmocka_unit_test_teardown(test_timeouts_are_dword_milliseconds_with_zero_for_none,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_huge_timeouts_are_clamped_below_infinite, reset_syscalls),
        cmocka_unit_test_teardown(test_so_broadcast_is_for_datagram_sockets_only, reset_syscalls),
        cmocka_unit_test_teardown(test_ipv6_only_defaults_on_and_can_be_cleared, reset_syscalls),
        cmocka_unit_test_teardown(test_so_type_and_listening_state_read_as_portable_values,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_connect_timeout_restores_blocking_mode_after_success,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_connect_timeout_restores_blocking_mode_after_a_refusal,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_connect_timeout_leaves_a_nonblocking_socket_alone,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_connect_timeout_zero_polls_exactly_once, reset_syscalls),
        cmocka_unit_test_teardown(test_connect_timeout_waits_in_steps_of_at_most_int_max,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_nonblocking_connect_in_progress_is_einprogress,
                                  reset_syscalls),
        cmocka_unit_test_teardown(
            test_dontwait_on_a_blocking_socket_answers_eagain_and_keeps_it_blocking,
            reset_syscalls),
        cmocka_unit_test_teardown(
            test_dontwait_send_on_a_blocking_socket_is_bounded_by_the_send_buffer, reset_syscalls),
        cmocka_unit_test_teardown(test_injected_connect_refusal_is_econnrefused_with_os_code_10061,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_injected_wsastartup_failure_is_enotinit_never_an_abort,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_syscall_table_is_named_resettable_and_rejects_unknown_names,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_unix_stream_socket_works_or_skips_where_absent,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_unix_datagram_is_refused_by_family_or_by_type,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_unix_native_address_is_checked_utf8_and_counts_the_nul,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_unix_native_address_reads_stop_at_the_nul_or_the_length,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_ipv6_scope_and_flow_survive_the_native_round_trip,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_local_addr_of_an_unbound_socket_is_the_unspecified_address,
                                  reset_syscalls),
        cmocka_unit_test_teardown(test_unknown_interface_name_in_a_zone_is_enodev, reset_syscalls),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return SP_RUN_GROUP(tests, NULL, NULL, SP_LEAK_ALL);
}
