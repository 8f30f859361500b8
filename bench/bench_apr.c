/*
 * The APR peer: apr_socket_send/recv/sendto/recvfrom/sendv on the raw path's
 * descriptors (apr_os_sock_put), as the thin blocking wrapper to compare
 * sockport with. Without APR (BENCH_HAVE_APR undefined) every entry point
 * is a stub and bench_apr_open() says so.
 *
 * Each measured function returns the byte count on APR_SUCCESS, else the
 * negated status: the one conversion a user of APR's (status, *len) calls
 * writes.
 */
#ifndef _GNU_SOURCE /* apr-1.pc passes -D_GNU_SOURCE; without APR, bench_io.h needs it */
#define _GNU_SOURCE
#endif

#include "bench.h"
#include "bench_io.h"

#ifdef BENCH_HAVE_APR

#include <apr_general.h>
#include <apr_network_io.h>
#include <apr_portable.h>

#include <arpa/inet.h>

typedef struct bench_apr {
    apr_pool_t *pool;
    apr_socket_t *rx, *tx, *utx;
    apr_sockaddr_t *rx_addr, *from;
} bench_apr;

static bench_apr apr_state;

static apr_socket_t *wrap(int fd, apr_pool_t *pool)
{
    apr_os_sock_t os = fd;
    apr_socket_t *s = NULL;
    if (apr_os_sock_put(&s, &os, pool) != APR_SUCCESS)
        bench_die("apr_os_sock_put", fd);
    return s;
}

int bench_apr_open(io_ctx *c)
{
    bench_apr *a = &apr_state;
    apr_port_t port = ntohs(c->raw.rx_sin.sin_port);

    if (apr_initialize() != APR_SUCCESS || apr_pool_create(&a->pool, NULL) != APR_SUCCESS)
        bench_die("apr_initialize", 0);
    a->rx = wrap(c->raw.rx, a->pool);
    a->tx = wrap(c->raw.tx, a->pool);
    a->utx = wrap(c->raw.utx, a->pool);
    if (apr_sockaddr_info_get(&a->rx_addr, "127.0.0.1", APR_INET, port, 0, a->pool) !=
            APR_SUCCESS ||
        apr_sockaddr_info_get(&a->from, "127.0.0.1", APR_INET, 0, 0, a->pool) != APR_SUCCESS)
        bench_die("apr_sockaddr_info_get", 0);
    c->apr = a;
    return 0;
}

void bench_apr_close(io_ctx *c)
{
    bench_apr *a = c->apr;
    if (a == NULL)
        return;
    apr_pool_destroy(a->pool); /* the descriptors stay the raw path's */
    apr_terminate();
    c->apr = NULL;
}

/* The status and the count, read after the call. */
static long result(apr_status_t st, apr_size_t len)
{
    return st == APR_SUCCESS ? (long)len : -(long)st;
}

BENCH_OP long bench_op_apr_send(io_ctx *c)
{
    bench_apr *a = c->apr;
    apr_size_t len = IO_PAYLOAD;
    apr_status_t st = apr_socket_send(a->tx, (const char *)c->buf, &len);
    return result(st, len);
}

BENCH_OP long bench_op_apr_recv(io_ctx *c)
{
    bench_apr *a = c->apr;
    apr_size_t len = IO_PAYLOAD;
    apr_status_t st = apr_socket_recv(a->rx, (char *)c->buf, &len);
    return result(st, len);
}

BENCH_OP long bench_op_apr_send_to(io_ctx *c)
{
    bench_apr *a = c->apr;
    apr_size_t len = IO_PAYLOAD;
    apr_status_t st = apr_socket_sendto(a->utx, a->rx_addr, 0, (const char *)c->buf, &len);
    return result(st, len);
}

BENCH_OP long bench_op_apr_recv_from(io_ctx *c)
{
    bench_apr *a = c->apr;
    apr_size_t len = IO_PAYLOAD;
    apr_status_t st = apr_socket_recvfrom(a->from, a->rx, 0, (char *)c->buf, &len);
    return result(st, len);
}

BENCH_OP long bench_op_apr_sendv(io_ctx *c)
{
    bench_apr *a = c->apr;
    apr_size_t len = 0;
    apr_status_t st = apr_socket_sendv(a->tx, c->iov, 2, &len);
    return result(st, len);
}

#else /* !BENCH_HAVE_APR */

int bench_apr_open(io_ctx *c)
{
    c->apr = NULL;
    return -1;
}

void bench_apr_close(io_ctx *c)
{
    (void)c;
}

#define APR_STUB(op)                                                                               \
    long bench_op_apr_##op(io_ctx *c)                                                              \
    {                                                                                              \
        (void)c;                                                                                   \
        return -1;                                                                                 \
    }
APR_STUB(send)
APR_STUB(recv)
APR_STUB(send_to)
APR_STUB(recv_from)
APR_STUB(sendv)

#endif
