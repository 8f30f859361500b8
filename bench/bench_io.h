/*
 * Shared by bench_io.c and bench_apr.c: the sockets and buffers of the
 * per-call benchmark, and the APR peer's measured calls.
 *
 * Three UDP sockets on 127.0.0.1 per path: rx (bound, receives), tx
 * (connected to rx) and utx (unconnected, for send_to). The raw path and the
 * sockport path each open their own; APR wraps the raw path's descriptors.
 */
#ifndef SOCKPORT_BENCH_IO_H
#define SOCKPORT_BENCH_IO_H

#include <sockport/sockport.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define IO_PAYLOAD 64 /* bytes a datagram */
#define IO_BATCH   32 /* datagrams a batched call */

typedef struct io_raw {
    int rx, tx, utx;
    struct sockaddr_in rx_sin; /* rx's address */
} io_raw;

typedef struct io_sp {
    sockport_socket *rx, *tx, *utx;
    sockport_addr rx_addr, from;
    struct sockaddr_in rx_sin; /* rx's address, natively, for the injector */
} io_sp;

typedef struct io_ctx {
    io_raw raw;
    io_sp sp;
    int inject; /* raw socket that queues datagrams for the receive calls */
    unsigned char buf[IO_PAYLOAD];
    struct iovec iov[2];         /* buf as two pieces, for the vectored calls */
    sockport_iovec sp_iov[2];    /* the same pieces for sockport */
    struct mmsghdr mm[IO_BATCH]; /* batched calls: one datagram a buffer */
    struct iovec mm_iov[IO_BATCH];
    sockport_mmsghdr sp_mm[IO_BATCH];
    sockport_iovec sp_mm_iov[IO_BATCH];
    unsigned char mm_buf[IO_BATCH][IO_PAYLOAD];
    void *apr; /* bench_apr.c's state, NULL without APR */
} io_ctx;

/* The APR peer (bench_apr.c). bench_apr_open wraps c->raw's descriptors and
 * returns 0, or returns -1 when the bench was built without APR. */
int bench_apr_open(io_ctx *c);
void bench_apr_close(io_ctx *c);
long bench_op_apr_send(io_ctx *c);
long bench_op_apr_recv(io_ctx *c);
long bench_op_apr_send_to(io_ctx *c);
long bench_op_apr_recv_from(io_ctx *c);
long bench_op_apr_sendv(io_ctx *c);

#endif /* SOCKPORT_BENCH_IO_H */
