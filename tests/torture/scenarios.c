/*
 * Torture scenarios: what tests/test_conformance.c checks, written so that
 * any call may fail. Every call is checked (T_CALL, T_EXPECT); the first
 * failure is recorded and the scenario jumps to `out`, which closes every
 * socket it opened. Loopback only, port 0, blocking sockets (timeouts are
 * long and never reached on loopback), so a run takes microseconds.
 */
#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#else
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>
#endif

#include "torture.h"

#include <string.h>

#define STREAM SOCKPORT_SOCK_STREAM
#define DGRAM  SOCKPORT_SOCK_DGRAM
#define V4     SOCKPORT_AF_INET
#define V6     SOCKPORT_AF_INET6

void t_fail(tctx *t, long long rc, const char *expr, int line)
{
    if (t->rc != 0)
        return;
    t->rc = rc;
    t->expr = expr;
    t->line = line;
}

void t_close(tctx *t, sockport_socket **s)
{
    if (*s == NULL)
        return;
    int rc = sockport_close(*s);
    *s = NULL;
    if (rc < 0 && t->nclose < (int)(sizeof t->closes / sizeof t->closes[0]))
        t->closes[t->nclose++] = rc;
    if (rc < 0)
        t_fail(t, rc, "sockport_close", __LINE__);
}

/* ---- helpers: each returns 0 or a failure ------------------------------- */

static int loopback(sockport_addr *a, int family)
{
    return sockport_addr_ip(a, family == V6 ? "::1" : "127.0.0.1", 0);
}

/* Binds to loopback port 0 and reads back the address the system chose. */
static int bind_loopback(sockport_socket *s, int family, sockport_addr *bound)
{
    sockport_addr a;
    int rc = loopback(&a, family);
    if (rc == 0)
        rc = sockport_bind(s, &a);
    if (rc == 0)
        rc = sockport_local_addr(s, bound);
    return rc;
}

static int send_all(sockport_socket *s, const char *text)
{
    size_t n = strlen(text), done = 0;
    while (done < n) {
        ptrdiff_t rc = sockport_send(s, text + done, n - done, 0);
        if (rc < 0)
            return (int)rc;
        done += (size_t)rc;
    }
    return 0;
}

static int recv_text(sockport_socket *s, const char *text)
{
    char buf[64];
    size_t n = strlen(text), got = 0;
    while (got < n) {
        ptrdiff_t rc = sockport_recv(s, buf + got, n - got, 0);
        if (rc <= 0)
            return rc < 0 ? (int)rc : T_EEOF;
        got += (size_t)rc;
    }
    return memcmp(buf, text, n) == 0 ? 0 : T_EMISMATCH;
}

/* 0 when a byte count is the one expected; a failure as it is. */
static int count_is(ptrdiff_t n, ptrdiff_t want)
{
    return n < 0 ? (int)n : n == want ? 0 : T_EMISMATCH;
}

/* 0 when the next receive reads end of stream. */
static int expect_eof(sockport_socket *s)
{
    char c;
    ptrdiff_t rc = sockport_recv(s, &c, 1, 0);
    return rc < 0 ? (int)rc : rc == 0 ? 0 : T_EMISMATCH;
}

static int same(const sockport_addr *a, const sockport_addr *b)
{
    return sockport_addr_compare(a, b) == 0 ? 0 : T_EMISMATCH;
}

/* ---- TCP --------------------------------------------------------------- */

static int tcp_echo(tctx *t, int family)
{
    sockport_socket *l = NULL, *c = NULL, *a = NULL;
    sockport_addr bound, peer, mine, theirs;
    T_CALL(t, sockport_open(&l, family, STREAM, 0, 0));
    T_CALL(t, bind_loopback(l, family, &bound));
    T_CALL(t, sockport_listen(l, 4));
    T_CALL(t, sockport_open(&c, family, STREAM, 0, 0));
    T_CALL(t, sockport_connect(c, &bound));
    T_CALL(t, sockport_accept(l, &a, &peer, 0));
    T_CALL(t, sockport_local_addr(c, &mine));
    T_CALL(t, sockport_peer_addr(c, &theirs));
    T_CALL(t, same(&peer, &mine));
    T_CALL(t, same(&theirs, &bound));
    T_CALL(t, send_all(c, "ping"));
    T_CALL(t, recv_text(a, "ping"));
    T_CALL(t, send_all(a, "pong"));
    T_CALL(t, recv_text(c, "pong"));
out:
    t_close(t, &a);
    t_close(t, &c);
    t_close(t, &l);
    return (int)t->rc;
}

static int tcp_v4_echo(tctx *t)
{
    return tcp_echo(t, V4);
}

static int tcp_v6_echo(tctx *t)
{
    return tcp_echo(t, V6);
}

/* ---- UDP --------------------------------------------------------------- */

static int udp_exchange(tctx *t, int family)
{
    sockport_socket *a = NULL, *b = NULL;
    sockport_addr aa, ba, from;
    char buf[16];
    T_CALL(t, sockport_open(&a, family, DGRAM, 0, 0));
    T_CALL(t, sockport_open(&b, family, DGRAM, 0, 0));
    T_CALL(t, bind_loopback(a, family, &aa));
    T_CALL(t, bind_loopback(b, family, &ba));
    T_CALL(t, sockport_send_to(a, "hello", 5, 0, &ba));
    T_CALL(t, sockport_recv_from(b, buf, sizeof buf, 0, &from));
    T_CALL(t, same(&from, &aa));
    T_CALL(t, sockport_connect(b, &aa));
    T_CALL(t, sockport_send(b, "back", 4, 0));
    T_CALL(t, sockport_recv_from(a, buf, sizeof buf, 0, &from));
    T_CALL(t, same(&from, &ba));
out:
    t_close(t, &a);
    t_close(t, &b);
    return (int)t->rc;
}

static int udp_v4(tctx *t)
{
    return udp_exchange(t, V4);
}

static int udp_v6(tctx *t)
{
    return udp_exchange(t, V6);
}

/* ---- socketpair, non-blocking ------------------------------------------ */

static int pair_stream(tctx *t)
{
    sockport_socket *p[2] = {NULL, NULL};
    T_CALL(t, sockport_pair(p, SOCKPORT_AF_UNIX, STREAM, 0, 0));
    T_CALL(t, send_all(p[0], "left"));
    T_CALL(t, recv_text(p[1], "left"));
    T_CALL(t, send_all(p[1], "right"));
    T_CALL(t, recv_text(p[0], "right"));
out:
    t_close(t, &p[0]);
    t_close(t, &p[1]);
    return (int)t->rc;
}

static int nonblocking(tctx *t)
{
    sockport_socket *p[2] = {NULL, NULL};
    char c;
    bool nb = false;
    T_CALL(t, sockport_pair(p, SOCKPORT_AF_UNIX, STREAM, 0, SOCKPORT_F_NONBLOCK));
    T_EXPECT(t, sockport_recv(p[0], &c, 1, 0), SOCKPORT_EAGAIN);
    T_CALL(t, sockport_set_nonblocking(p[1], false));
    T_CALL(t, sockport_get_nonblocking(p[1], &nb));
    T_CALL(t, nb ? T_EMISMATCH : 0);
    T_CALL(t, send_all(p[1], "x"));
    T_CALL(t, recv_text(p[0], "x"));
out:
    t_close(t, &p[0]);
    t_close(t, &p[1]);
    return (int)t->rc;
}

/* ---- connect with a timeout -------------------------------------------- */

static int connect_timeout(tctx *t)
{
    sockport_socket *l = NULL, *c = NULL, *a = NULL, *r = NULL;
    sockport_addr bound, closed;
    T_CALL(t, sockport_open(&r, V4, STREAM, 0, 0)); /* a port nobody listens on */
    T_CALL(t, bind_loopback(r, V4, &closed));
    t_close(t, &r);
    T_CALL(t, (int)t->rc);
    T_CALL(t, sockport_open(&l, V4, STREAM, 0, 0));
    T_CALL(t, bind_loopback(l, V4, &bound));
    T_CALL(t, sockport_listen(l, 4));
    T_CALL(t, sockport_open(&c, V4, STREAM, 0, 0));
    T_CALL(t, sockport_connect_timeout(c, &bound, 5000));
    T_CALL(t, sockport_accept(l, &a, NULL, 0));
    T_CALL(t, send_all(c, "t"));
    T_CALL(t, recv_text(a, "t"));
    t_close(t, &c);
    T_CALL(t, (int)t->rc);
    T_CALL(t, sockport_open(&c, V4, STREAM, 0, 0));
    T_EXPECT(t, sockport_connect_timeout(c, &closed, 5000), SOCKPORT_ECONNREFUSED);
out:
    t_close(t, &a);
    t_close(t, &c);
    t_close(t, &l);
    t_close(t, &r);
    return (int)t->rc;
}

/* ---- options ------------------------------------------------------------- */

static int bool_round_trip(sockport_socket *s, int opt)
{
    bool v = false;
    int rc = sockport_set_bool(s, opt, true);
    if (rc == 0)
        rc = sockport_get_bool(s, opt, &v);
    return rc < 0 ? rc : v ? 0 : T_EMISMATCH;
}

static int options(tctx *t)
{
    sockport_socket *s = NULL, *u = NULL;
    int v = 0;
    int64_t ms = 0;
    T_CALL(t, sockport_open(&s, V4, STREAM, 0, 0));
    T_CALL(t, sockport_open(&u, V4, DGRAM, 0, 0));
    T_CALL(t, bool_round_trip(s, SOCKPORT_OPT_TCP_NODELAY));
    T_CALL(t, bool_round_trip(s, SOCKPORT_OPT_SO_KEEPALIVE));
    T_CALL(t, bool_round_trip(s, SOCKPORT_OPT_SO_REUSEADDR));
    T_CALL(t, bool_round_trip(u, SOCKPORT_OPT_SO_BROADCAST));
    T_CALL(t, sockport_set_int(u, SOCKPORT_OPT_IP_TTL, 42));
    T_CALL(t, sockport_get_int(u, SOCKPORT_OPT_IP_TTL, &v));
    T_CALL(t, v == 42 ? 0 : T_EMISMATCH);
    T_CALL(t, sockport_set_int(s, SOCKPORT_OPT_SO_RCVBUF, 65536));
    T_CALL(t, sockport_get_int(s, SOCKPORT_OPT_SO_RCVBUF, &v));
    T_CALL(t, sockport_set_recv_timeout(s, 1500));
    T_CALL(t, sockport_get_recv_timeout(s, &ms));
    T_CALL(t, ms == 1500 ? 0 : T_EMISMATCH);
    T_CALL(t, sockport_get_int(s, SOCKPORT_OPT_SO_ERROR, &v));
    T_CALL(t, sockport_take_error(u));
    T_EXPECT(t, sockport_set_bool(u, SOCKPORT_OPT_TCP_NODELAY, true), SOCKPORT_ENOPROTOOPT);
out:
    t_close(t, &s);
    t_close(t, &u);
    return (int)t->rc;
}

/* ---- a TCP connection for the last two --------------------------------- */

typedef struct conn {
    sockport_socket *l, *c, *a;
} conn;

static int tcp_conn(conn *k)
{
    sockport_addr bound;
    int rc = sockport_open(&k->l, V4, STREAM, 0, 0);
    if (rc == 0)
        rc = bind_loopback(k->l, V4, &bound);
    if (rc == 0)
        rc = sockport_listen(k->l, 4);
    if (rc == 0)
        rc = sockport_open(&k->c, V4, STREAM, 0, 0);
    if (rc == 0)
        rc = sockport_connect(k->c, &bound);
    if (rc == 0)
        rc = sockport_accept(k->l, &k->a, NULL, 0);
    return rc;
}

static void conn_close(tctx *t, conn *k)
{
    t_close(t, &k->a);
    t_close(t, &k->c);
    t_close(t, &k->l);
}

static int try_clone(tctx *t)
{
    conn k = {NULL, NULL, NULL};
    sockport_socket *d = NULL;
    T_CALL(t, tcp_conn(&k));
    T_CALL(t, sockport_try_clone(k.c, &d));
    T_CALL(t, send_all(d, "via clone"));
    T_CALL(t, recv_text(k.a, "via clone"));
    t_close(t, &d);
    T_CALL(t, (int)t->rc);
    T_CALL(t, send_all(k.c, "original"));
    T_CALL(t, recv_text(k.a, "original"));
out:
    t_close(t, &d);
    conn_close(t, &k);
    return (int)t->rc;
}

static int shutdown_eof(tctx *t)
{
    conn k = {NULL, NULL, NULL};
    sockport_socket *u = NULL;
    T_CALL(t, tcp_conn(&k));
    T_CALL(t, send_all(k.c, "last"));
    T_CALL(t, sockport_shutdown(k.c, SOCKPORT_SHUT_WR));
    T_CALL(t, recv_text(k.a, "last"));
    T_CALL(t, expect_eof(k.a));
    T_CALL(t, sockport_open(&u, V4, STREAM, 0, 0));
    T_EXPECT(t, sockport_shutdown(u, SOCKPORT_SHUT_RDWR), SOCKPORT_ENOTCONN);
out:
    t_close(t, &u);
    conn_close(t, &k);
    return (int)t->rc;
}

/* ---- native handles: release, then adopt ------------------------------- */

/* Closes a native handle the scenario owns (between release and adopt). */
static void close_native(sockport_native h)
{
#ifdef _WIN32
    (void)closesocket((SOCKET)h);
#else
    (void)close((int)h);
#endif
}

static int native_handle(tctx *t)
{
    sockport_socket *s = NULL, *b = NULL;
    sockport_native h = -1, owned = -1;
    sockport_addr bound;
    T_CALL(t, sockport_open(&s, V4, DGRAM, 0, 0));
    T_CALL(t, sockport_native_handle(s, &h));
    T_CALL(t, sockport_release(s, &owned));
    s = NULL; /* freed by the release; the handle is ours now */
    T_CALL(t, owned == h ? 0 : T_EMISMATCH);
    T_CALL(t, sockport_from_native(&b, owned, 0));
    owned = -1; /* sockport's again */
    T_CALL(t, sockport_type(b) == DGRAM && sockport_family(b) == V4 ? 0 : T_EMISMATCH);
    T_CALL(t, bind_loopback(b, V4, &bound));
out:
    if (owned != -1)
        close_native(owned);
    t_close(t, &b);
    t_close(t, &s);
    return (int)t->rc;
}

/* ---- vectored and batched I/O, readiness ------------------------------- */

static int vectored(tctx *t)
{
    conn k = {NULL, NULL, NULL};
    char a[4], b[8], text[] = "abcdef";
    sockport_iovec out[3] = {{text, 2}, {text + 2, 2}, {text + 4, 2}}, in[2] = {{a, 4}, {b, 6}};
    T_CALL(t, tcp_conn(&k));
    T_CALL(t, count_is(sockport_sendv(k.c, out, 3, 0), 6));
    T_CALL(t, recv_text(k.a, "abcdef"));
    T_CALL(t, send_all(k.a, "0123456789"));
    T_CALL(t, count_is(sockport_recvv(k.c, in, 2, SOCKPORT_MSG_WAITALL, NULL), 10));
    T_CALL(t, memcmp(a, "0123", 4) == 0 && memcmp(b, "456789", 6) == 0 ? 0 : T_EMISMATCH);
out:
    conn_close(t, &k);
    return (int)t->rc;
}

/* Three datagrams a -> b in batches, the receiver woken by poll. */
static int batched(tctx *t)
{
    sockport_socket *a = NULL, *b = NULL;
    sockport_addr aa, ba;
    char text[3][2] = {{'m', '0'}, {'m', '1'}, {'m', '2'}}, room[3][8];
    sockport_iovec out[3], in[3];
    sockport_mmsghdr sm[3], rm[3];
    sockport_pollfd p;
    int sent = 0, got = 0;
    memset(sm, 0, sizeof sm);
    memset(rm, 0, sizeof rm);
    for (int i = 0; i < 3; i++) {
        out[i].base = text[i], out[i].len = 2, in[i].base = room[i], in[i].len = 8;
        sm[i].hdr.name = &ba, sm[i].hdr.iov = &out[i], sm[i].hdr.iovlen = 1;
        rm[i].hdr.iov = &in[i], rm[i].hdr.iovlen = 1;
    }
    T_CALL(t, sockport_open(&a, V4, DGRAM, 0, 0));
    T_CALL(t, sockport_open(&b, V4, DGRAM, 0, 0));
    T_CALL(t, bind_loopback(a, V4, &aa));
    T_CALL(t, bind_loopback(b, V4, &ba));
    while (sent < 3) {
        int n = sockport_sendmmsg(a, sm + sent, (size_t)(3 - sent), 0);
        T_CALL(t, n == 0 ? T_EMISMATCH : n);
        sent += n;
    }
    p.socket = b, p.events = SOCKPORT_POLLIN, p.revents = 0;
    T_CALL(t, sockport_poll(&p, 1, 5000));
    T_CALL(t, p.revents & SOCKPORT_POLLIN ? 0 : T_EMISMATCH);
    while (got < 3) {
        int n = sockport_recvmmsg(b, rm + got, (size_t)(3 - got), 0);
        T_CALL(t, n == 0 ? T_EMISMATCH : n);
        got += n;
    }
    for (int i = 0; i < 3; i++)
        T_CALL(t, rm[i].len == 2 && memcmp(room[i], text[i], 2) == 0 ? 0 : T_EMISMATCH);
out:
    t_close(t, &a);
    t_close(t, &b);
    return (int)t->rc;
}

const scenario t_scenarios[] = {
    {"tcp_v4_echo", tcp_v4_echo},
    {"tcp_v6_echo", tcp_v6_echo},
    {"udp_v4", udp_v4},
    {"udp_v6", udp_v6},
    {"pair_stream", pair_stream},
    {"nonblocking", nonblocking},
    {"connect_timeout", connect_timeout},
    {"options", options},
    {"try_clone", try_clone},
    {"shutdown", shutdown_eof},
    {"native_handle", native_handle},
    {"vectored", vectored},
    {"batched", batched},
};

const size_t t_nscenarios = sizeof t_scenarios / sizeof t_scenarios[0];
