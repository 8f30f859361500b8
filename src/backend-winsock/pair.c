/*
 * sockport_pair on Windows, which has no socketpair().
 *
 * Stream: AF_UNIX where the running Windows has it (10 1803+): a listener on
 * a fresh random path in the user's temp directory, connect, accept, the file
 * deleted at once. Where it has not (older Windows, Wine 8: WSAEAFNOSUPPORT),
 * or the temp path is too long for sun_path, a loopback TCP pair made safely:
 * - the listener binds 127.0.0.1:0 (or [::1]:0 for SOCKPORT_AF_INET6) with
 *   SO_EXCLUSIVEADDRUSE, so no other socket can bind that port;
 * - every wait is bounded (WSAPoll, PAIR_WAIT_MS per attempt), so is the
 *   number of connections accepted while looking for ours (PAIR_ACCEPTS);
 * - an accepted connection whose peer address is not the connector's local
 *   address is an intruder: closed, and the next one is accepted;
 * - the connector then sends a 16-byte cookie from RtlGenRandom, which the
 *   accepted end must read back exactly (this also covers AF_UNIX, where
 *   addresses say nothing); a mismatch abandons the attempt, and up to
 *   PAIR_ATTEMPTS fresh listeners are tried before SOCKPORT_ECONNABORTED.
 * The listener's backlog is PAIR_ACCEPTS, so an intruder cannot fill it with
 * one connection and get ours refused.
 *
 * Datagram (Windows' AF_UNIX has none): two UDP sockets on loopback, each
 * bound to port 0 and connected to the other, so each accepts datagrams from
 * its peer only; a cookie is sent each way and read back, discarding up to
 * PAIR_ACCEPTS stray datagrams queued before the connect. Unlike a POSIX
 * AF_UNIX datagram pair, a full receive buffer drops datagrams instead of
 * blocking the sender. SIO_UDP_CONNRESET is off on both, as after open.
 * SOCKPORT_SOCK_SEQPACKET and _RAW: SOCKPORT_ESOCKTNOSUPPORT.
 *
 * An AF_UNIX pair that fell back to loopback keeps the family the caller
 * asked for (the core records it), while its addresses are loopback ones.
 * Every socket made here is non-inheritable from birth; the accepted end is
 * cleared explicitly (WinSock and Wine make it inheritable). The caller's
 * SOCKPORT_F_INHERIT and SOCKPORT_F_NONBLOCK are applied to both ends last.
 */
#include "winsock.h"

#include <string.h>

#define PAIR_ATTEMPTS 3     /* fresh listeners tried before giving up */
#define PAIR_ACCEPTS  4     /* connections (datagrams) one attempt looks at */
#define PAIR_WAIT_MS  5000u /* per attempt: loopback answers in microseconds */
#define COOKIE_LEN    16

typedef struct pair_ctx {
    int af;                 /* AF_INET, AF_INET6 or AF_UNIX */
    SOCKET lsn, con, acc;   /* listener, connector, accepted end */
    SOCKADDR_STORAGE where; /* the listener's address */
    int where_len;
    ULONGLONG deadline;        /* of this attempt */
    WCHAR file[MAX_PATH + 40]; /* AF_UNIX rendezvous file; empty if none */
} pair_ctx;

static void ctx_init(pair_ctx *c, int af)
{
    memset(c, 0, sizeof *c);
    c->af = af;
    c->lsn = c->con = c->acc = INVALID_SOCKET;
    c->deadline = sockport__winsock_now() + PAIR_WAIT_MS;
}

static void ctx_release(pair_ctx *c)
{
    sockport__winsock_close_quietly(c->lsn);
    sockport__winsock_close_quietly(c->con);
    sockport__winsock_close_quietly(c->acc);
    if (c->file[0] != L'\0')
        (void)sys_deletefilew(c->file);
}

static int random_bytes(void *p, ULONG n)
{
    if (!sys_rtlgenrandom(p, n))
        return sockport__winsock_fail_last();
    return 0;
}

/* A helper socket: non-inheritable, blocking. */
static SOCKET helper_socket(int af, int type, int *err)
{
    return sockport__winsock_new_socket(af, type, 0, NULL, 0, err);
}

static int same_addr(const SOCKADDR_STORAGE *x, int xl, const SOCKADDR_STORAGE *y, int yl)
{
    sockport_addr a, b;
    if (sockport__winsock_from_native(&a, x, (size_t)xl) < 0 ||
        sockport__winsock_from_native(&b, y, (size_t)yl) < 0)
        return 0;
    return sockport_addr_compare(&a, &b) == 0;
}

/* ---- where to meet ----------------------------------------------------- */

static void loopback_where(pair_ctx *c)
{
    static const uint8_t v4[4] = {127, 0, 0, 1};
    static const uint8_t v6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    sockport_addr a;
    if (c->af == AF_INET6)
        (void)sockport_addr_ipv6(&a, v6, 0, 0, 0);
    else
        (void)sockport_addr_ipv4(&a, v4, 0);
    (void)sockport__winsock_to_native(&a, &c->where, &c->where_len);
}

/* Writes %TEMP%\sockport-<16 random hex digits>.sock into c->file. */
static int unix_file(pair_ctx *c)
{
    static const WCHAR hex[] = L"0123456789abcdef";
    unsigned char r[8];
    DWORD n = sys_gettemppathw(MAX_PATH + 1, c->file);
    if (n == 0)
        return sockport__winsock_fail_last();
    if (n > MAX_PATH)
        return sockport__fail(SOCKPORT_ENAMETOOLONG, 0);
    int rc = random_bytes(r, sizeof r);
    if (rc < 0)
        return rc;
    WCHAR *p = c->file + n;
    wcscpy(p, L"sockport-");
    p += 9;
    for (size_t i = 0; i < sizeof r; i++) {
        *p++ = hex[r[i] >> 4];
        *p++ = hex[r[i] & 15];
    }
    wcscpy(p, L".sock");
    return 0;
}

/* The rendezvous path, in UTF-8 for sun_path (SOCKPORT_ENAMETOOLONG when it
 * does not fit in 107 bytes). */
static int unix_where(pair_ctx *c)
{
    SOCKADDR_UN *sun_ = (SOCKADDR_UN *)(void *)&c->where;
    int rc = unix_file(c), u = 0;
    if (rc == 0) {
        sun_->sun_family = AF_UNIX;
        u = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, c->file, -1, sun_->sun_path,
                                (int)sizeof sun_->sun_path, NULL, NULL);
        if (u == 0)
            rc = sockport__fail(SOCKPORT_ENAMETOOLONG, sys_wsagetlasterror());
    }
    if (rc < 0) {
        c->file[0] = L'\0'; /* nothing to delete */
        return rc;
    }
    c->where_len = (int)offsetof(SOCKADDR_UN, sun_path) + u; /* u counts the NUL */
    return 0;
}

/* ---- listener, connector, accept --------------------------------------- */

static int listen_on(pair_ctx *c)
{
    int err = 0;
    BOOL one = TRUE;
    if ((c->lsn = helper_socket(c->af, SOCK_STREAM, &err)) == INVALID_SOCKET)
        return err;
    SOCKET h = c->lsn;
    if (c->af != AF_UNIX &&
        sys_setsockopt(h, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&one, sizeof one) != 0)
        return sockport__winsock_fail_last();
    if (sys_bind(h, (const struct sockaddr *)&c->where, c->where_len) != 0 ||
        sys_listen(h, PAIR_ACCEPTS) != 0)
        return sockport__winsock_fail_last();
    if (c->af == AF_UNIX)
        return 0;                        /* c->where is the path */
    c->where_len = (int)sizeof c->where; /* the port the system picked */
    if (sys_getsockname(h, (struct sockaddr *)&c->where, &c->where_len) != 0)
        return sockport__winsock_fail_last();
    return 0;
}

/* Starts a non-blocking connect, so that neither side waits on the other. */
static int connect_start(pair_ctx *c)
{
    int err = 0;
    if ((c->con = helper_socket(c->af, SOCK_STREAM, &err)) == INVALID_SOCKET)
        return err;
    int rc = sockport__winsock_set_fionbio(c->con, 1);
    if (rc < 0)
        return rc;
    if (sys_connect(c->con, (const struct sockaddr *)&c->where, c->where_len) == 0)
        return 0;
    int code = sys_wsagetlasterror();
    return code == WSAEWOULDBLOCK ? 0 : sockport__winsock_fail(code);
}

/* Waits for the connector to finish and makes it blocking again; *mine
 * receives its local address. Runs once per attempt. */
static int connect_finish(pair_ctx *c, SOCKADDR_STORAGE *mine, int *mine_len)
{
    SHORT revents = 0;
    int code = 0, n = sockport__winsock_wait(c->con, POLLWRNORM, c->deadline, &revents);
    if (n <= 0)
        return n < 0 ? n : sockport__fail(SOCKPORT_ETIMEDOUT, WSAETIMEDOUT);
    int rc = sockport__winsock_so_error(c->con, &code);
    if (rc == 0 && code != 0)
        rc = sockport__winsock_fail(code);
    if (rc == 0)
        rc = sockport__winsock_set_fionbio(c->con, 0);
    *mine_len = (int)sizeof *mine;
    if (rc == 0 && sys_getsockname(c->con, (struct sockaddr *)mine, mine_len) != 0)
        rc = sockport__winsock_fail_last();
    return rc;
}

/* Accepts one connection, non-inheritable and blocking at once. */
static int accept_one(pair_ctx *c, SOCKET *out, SOCKADDR_STORAGE *peer, int *peer_len)
{
    SHORT revents = 0;
    int n = sockport__winsock_wait(c->lsn, POLLRDNORM, c->deadline, &revents);
    if (n <= 0)
        return n < 0 ? n : sockport__fail(SOCKPORT_ETIMEDOUT, WSAETIMEDOUT);
    *peer_len = (int)sizeof *peer;
    memset(peer, 0, sizeof *peer);
    *out = sys_accept(c->lsn, (struct sockaddr *)peer, peer_len);
    if (*out == INVALID_SOCKET)
        return sockport__winsock_fail_last();
    int rc = sockport__winsock_apply_flags(*out, 0);
    if (rc < 0) {
        sockport__winsock_close_quietly(*out);
        *out = INVALID_SOCKET;
    }
    return rc;
}

/* Accepts until the connection from our connector turns up (by address;
 * AF_UNIX: the first one, left to the cookie). */
static int accept_ours(pair_ctx *c)
{
    SOCKADDR_STORAGE mine, peer;
    int mine_len = 0, peer_len = 0, finished = 0;
    for (int i = 0; i < PAIR_ACCEPTS; i++) {
        SOCKET cand = INVALID_SOCKET;
        int rc = accept_one(c, &cand, &peer, &peer_len);
        if (rc == 0 && !finished && (rc = connect_finish(c, &mine, &mine_len)) == 0)
            finished = 1;
        if (rc < 0) {
            sockport__winsock_close_quietly(cand);
            return rc;
        }
        if (c->af == AF_UNIX || same_addr(&peer, peer_len, &mine, mine_len)) {
            c->acc = cand;
            return 0;
        }
        sockport__winsock_close_quietly(cand); /* an intruder */
    }
    return sockport__fail(SOCKPORT_ECONNABORTED, 0);
}

/* ---- the cookie -------------------------------------------------------- */

static int send_cookie(SOCKET h, const unsigned char *cookie)
{
    int r = sys_send(h, (const char *)cookie, COOKIE_LEN, 0);
    if (r == SOCKET_ERROR)
        return sockport__winsock_fail_last();
    return r == COOKIE_LEN ? 0 : sockport__fail(SOCKPORT_ECONNABORTED, 0);
}

/* Reads exactly COOKIE_LEN bytes from a stream before the deadline. */
static int read_cookie(SOCKET h, unsigned char *buf, ULONGLONG deadline)
{
    int got = 0;
    while (got < COOKIE_LEN) {
        SHORT revents = 0;
        int n = sockport__winsock_wait(h, POLLRDNORM, deadline, &revents);
        if (n <= 0)
            return n < 0 ? n : sockport__fail(SOCKPORT_ETIMEDOUT, WSAETIMEDOUT);
        int r = sys_recv(h, (char *)buf + got, COOKIE_LEN - got, 0);
        if (r == SOCKET_ERROR)
            return sockport__winsock_fail_last();
        if (r == 0)
            return sockport__fail(SOCKPORT_ECONNABORTED, 0);
        got += r;
    }
    return 0;
}

static int check_stream_cookie(pair_ctx *c)
{
    unsigned char cookie[COOKIE_LEN], got[COOKIE_LEN];
    int rc = random_bytes(cookie, sizeof cookie);
    if (rc == 0)
        rc = send_cookie(c->con, cookie);
    if (rc == 0)
        rc = read_cookie(c->acc, got, c->deadline);
    if (rc == 0 && memcmp(cookie, got, COOKIE_LEN) != 0)
        rc = sockport__fail(SOCKPORT_ECONNABORTED, 0);
    return rc;
}

/* ---- stream pairs ------------------------------------------------------ */

/* Failures a fresh listener may cure: verification, and a refused or reset
 * connect (an intruder in the way). */
static int retryable(int rc)
{
    return rc == SOCKPORT_ECONNABORTED || rc == SOCKPORT_ECONNREFUSED || rc == SOCKPORT_ECONNRESET;
}

static int stream_attempt(pair_ctx *c)
{
    int rc = 0;
    if (c->af == AF_UNIX)
        rc = unix_where(c);
    else
        loopback_where(c);
    if (rc == 0)
        rc = listen_on(c);
    if (rc == 0)
        rc = connect_start(c);
    if (rc == 0)
        rc = accept_ours(c);
    if (rc == 0)
        rc = check_stream_cookie(c);
    return rc;
}

static int stream_pair(SOCKET out[2], int af)
{
    int rc = SOCKPORT_ECONNABORTED;
    for (int i = 0; i < PAIR_ATTEMPTS && retryable(rc); i++) {
        pair_ctx c;
        ctx_init(&c, af);
        rc = stream_attempt(&c);
        if (rc == 0) {
            out[0] = c.con;
            out[1] = c.acc;
            c.con = c.acc = INVALID_SOCKET;
        }
        ctx_release(&c);
    }
    return rc;
}

static int stream_pair_any(SOCKET out[2], int family)
{
    if (family == SOCKPORT_AF_UNIX) {
        int rc = stream_pair(out, AF_UNIX);
        if (rc != SOCKPORT_EAFNOSUPPORT && rc != SOCKPORT_ENAMETOOLONG)
            return rc;
        /* no AF_UNIX here, or no temp path short enough: loopback TCP */
    }
    return stream_pair(out, family == SOCKPORT_AF_INET6 ? AF_INET6 : AF_INET);
}

/* ---- datagram pairs ---------------------------------------------------- */

static int udp_end(pair_ctx *c, SOCKET *h, SOCKADDR_STORAGE *at, int *at_len)
{
    int err = 0;
    if ((*h = helper_socket(c->af, SOCK_DGRAM, &err)) == INVALID_SOCKET)
        return err;
    int rc = sockport__winsock_udp_connreset(*h, 0);
    *at_len = (int)sizeof *at;
    if (rc == 0 && (sys_bind(*h, (const struct sockaddr *)&c->where, c->where_len) != 0 ||
                    sys_getsockname(*h, (struct sockaddr *)at, at_len) != 0))
        rc = sockport__winsock_fail_last();
    return rc;
}

/* Reads datagrams until the cookie comes, discarding a few strays. */
static int await_datagram_cookie(SOCKET h, const unsigned char *cookie, ULONGLONG deadline)
{
    for (int i = 0; i < PAIR_ACCEPTS; i++) {
        unsigned char got[COOKIE_LEN + 1];
        SHORT revents = 0;
        int n = sockport__winsock_wait(h, POLLRDNORM, deadline, &revents);
        if (n <= 0)
            return n < 0 ? n : sockport__fail(SOCKPORT_ETIMEDOUT, WSAETIMEDOUT);
        int r = sys_recv(h, (char *)got, (int)sizeof got, 0);
        if (r == COOKIE_LEN && memcmp(got, cookie, COOKIE_LEN) == 0)
            return 0;
        if (r == SOCKET_ERROR && sys_wsagetlasterror() != WSAEMSGSIZE)
            return sockport__winsock_fail_last();
    }
    return sockport__fail(SOCKPORT_ECONNABORTED, 0);
}

static int exchange_datagram_cookie(pair_ctx *c, SOCKET from, SOCKET to)
{
    unsigned char cookie[COOKIE_LEN];
    int rc = random_bytes(cookie, sizeof cookie);
    if (rc == 0)
        rc = send_cookie(from, cookie);
    if (rc == 0)
        rc = await_datagram_cookie(to, cookie, c->deadline);
    return rc;
}

static int dgram_attempt(pair_ctx *c)
{
    SOCKADDR_STORAGE at[2];
    int len[2] = {0, 0};
    loopback_where(c);
    int rc = udp_end(c, &c->con, &at[0], &len[0]);
    if (rc == 0)
        rc = udp_end(c, &c->acc, &at[1], &len[1]);
    if (rc == 0 && (sys_connect(c->con, (const struct sockaddr *)&at[1], len[1]) != 0 ||
                    sys_connect(c->acc, (const struct sockaddr *)&at[0], len[0]) != 0))
        rc = sockport__winsock_fail_last();
    if (rc == 0)
        rc = exchange_datagram_cookie(c, c->con, c->acc);
    if (rc == 0)
        rc = exchange_datagram_cookie(c, c->acc, c->con);
    return rc;
}

static int dgram_pair(SOCKET out[2], int family)
{
    int rc = SOCKPORT_ECONNABORTED;
    for (int i = 0; i < PAIR_ATTEMPTS && retryable(rc); i++) {
        pair_ctx c;
        ctx_init(&c, family == SOCKPORT_AF_INET6 ? AF_INET6 : AF_INET);
        rc = dgram_attempt(&c);
        if (rc == 0) {
            out[0] = c.con;
            out[1] = c.acc;
            c.con = c.acc = INVALID_SOCKET;
        }
        ctx_release(&c);
    }
    return rc;
}

/* ---- the slot ---------------------------------------------------------- */

/* 0, or the protocol that matches the type on an IP pair. */
static int check_protocol(int family, int type, int protocol)
{
    int ip = family != SOCKPORT_AF_UNIX;
    if (protocol == 0 || (ip && type == SOCKPORT_SOCK_STREAM && protocol == SOCKPORT_IPPROTO_TCP) ||
        (ip && type == SOCKPORT_SOCK_DGRAM && protocol == SOCKPORT_IPPROTO_UDP))
        return 0;
    return sockport__fail(SOCKPORT_EPROTONOSUPPORT, 0);
}

int sockport__winsock_pair(sockport_socket *a, sockport_socket *b, int family, int type,
                           int protocol, unsigned flags)
{
    SOCKET h[2] = {INVALID_SOCKET, INVALID_SOCKET};
    int rc = check_protocol(family, type, protocol);
    if (rc == 0 && type == SOCKPORT_SOCK_STREAM)
        rc = stream_pair_any(h, family);
    else if (rc == 0 && type == SOCKPORT_SOCK_DGRAM)
        rc = dgram_pair(h, family);
    else if (rc == 0)
        rc = sockport__fail(SOCKPORT_ESOCKTNOSUPPORT, 0);
    if (rc == 0)
        rc = sockport__winsock_apply_flags(h[0], flags);
    if (rc == 0)
        rc = sockport__winsock_apply_flags(h[1], flags);
    if (rc < 0) {
        sockport__winsock_close_quietly(h[0]);
        sockport__winsock_close_quietly(h[1]);
        return rc;
    }
    sockport__winsock_st(a)->sock = h[0];
    sockport__winsock_st(b)->sock = h[1];
    return 0;
}
