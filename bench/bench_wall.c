/*
 * Wall-clock measurements, one function per metric, each taking the path
 * (WALL_RAW or WALL_SP) at run time. An endpoint holds either a descriptor
 * or a sockport socket; ep_send/ep_recv are the same two-way switch for both
 * paths, so the switch costs both the same.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "bench.h"
#include "bench_wall.h"

#include <sockport/sockport.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RR_WARMUP       2000
#define UDP_PAYLOAD     64
#define BULK_CHUNK      1024
#define BULK_READ       65536
#define MMSG_BATCH      32
#define RECV_TIMEOUT_MS 5000 /* a lost packet fails the run instead of hanging it */

typedef struct ep {
    int mode;
    int fd;
    sockport_socket *s;
} ep;

int wall_pin(int cpu)
{
    cpu_set_t set;

    if (cpu >= CPU_SETSIZE || sysconf(_SC_NPROCESSORS_ONLN) <= cpu)
        return -1;
    CPU_ZERO(&set);
    CPU_SET((size_t)cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0 ? 0 : -1;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long ep_send(ep *e, const void *buf, size_t len)
{
    if (e->mode == WALL_SP)
        return (long)sockport_send(e->s, buf, len, 0);
    return (long)send(e->fd, buf, len, MSG_NOSIGNAL);
}

static long ep_recv(ep *e, void *buf, size_t len)
{
    if (e->mode == WALL_SP)
        return (long)sockport_recv(e->s, buf, len, 0);
    return (long)recv(e->fd, buf, len, 0);
}

static void ep_close(ep *e)
{
    if (e->mode == WALL_SP)
        sockport_close(e->s);
    else
        close(e->fd);
}

/* ---- raw connections --------------------------------------------------------- */

static void raw_timeout(int fd)
{
    struct timeval tv = {RECV_TIMEOUT_MS / 1000, 0};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0)
        bench_die("SO_RCVTIMEO", errno);
}

static int raw_bound(int type, struct sockaddr_in *addr)
{
    socklen_t sl = sizeof *addr;
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof *addr) < 0 ||
        getsockname(fd, (struct sockaddr *)addr, &sl) < 0)
        bench_die("raw socket/bind", errno);
    raw_timeout(fd);
    return fd;
}

static void raw_tcp(ep *client, ep *server)
{
    struct sockaddr_in a, unused;
    int one = 1, lfd = raw_bound(SOCK_STREAM, &a), cfd = raw_bound(SOCK_STREAM, &unused);

    if (listen(lfd, 1) < 0 || connect(cfd, (struct sockaddr *)&a, sizeof a) < 0)
        bench_die("raw listen/connect", errno);
    int sfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (sfd < 0)
        bench_die("raw accept", errno);
    raw_timeout(sfd);
    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    close(lfd);
    *client = (ep){WALL_RAW, cfd, NULL};
    *server = (ep){WALL_RAW, sfd, NULL};
}

static void raw_udp(ep *a, ep *b)
{
    struct sockaddr_in aa, ba;
    int afd = raw_bound(SOCK_DGRAM, &aa), bfd = raw_bound(SOCK_DGRAM, &ba);

    if (connect(afd, (struct sockaddr *)&ba, sizeof ba) < 0 ||
        connect(bfd, (struct sockaddr *)&aa, sizeof aa) < 0)
        bench_die("raw udp connect", errno);
    *a = (ep){WALL_RAW, afd, NULL};
    *b = (ep){WALL_RAW, bfd, NULL};
}

/* ---- sockport connections ---------------------------------------------------- */

static void sp_check(int rc, const char *what)
{
    if (rc < 0)
        bench_die(what, rc);
}

static sockport_socket *sp_bound(int type, sockport_addr *addr)
{
    sockport_socket *s = NULL;

    sp_check(sockport_addr_ip(addr, "127.0.0.1", 0), "sockport_addr_ip");
    sp_check(sockport_open(&s, SOCKPORT_AF_INET, type, 0, 0), "sockport_open");
    sp_check(sockport_bind(s, addr), "sockport_bind");
    sp_check(sockport_local_addr(s, addr), "sockport_local_addr");
    sp_check(sockport_set_recv_timeout(s, RECV_TIMEOUT_MS), "sockport_set_recv_timeout");
    return s;
}

static void sp_tcp(ep *client, ep *server)
{
    sockport_addr la, ca;
    sockport_socket *l = sp_bound(SOCKPORT_SOCK_STREAM, &la);
    sockport_socket *c = sp_bound(SOCKPORT_SOCK_STREAM, &ca), *s = NULL;

    sp_check(sockport_listen(l, 1), "sockport_listen");
    sp_check(sockport_connect(c, &la), "sockport_connect");
    sp_check(sockport_accept(l, &s, NULL, 0), "sockport_accept");
    sp_check(sockport_set_recv_timeout(s, RECV_TIMEOUT_MS), "sockport_set_recv_timeout");
    sp_check(sockport_set_bool(c, SOCKPORT_OPT_TCP_NODELAY, true), "TCP_NODELAY");
    sp_check(sockport_set_bool(s, SOCKPORT_OPT_TCP_NODELAY, true), "TCP_NODELAY");
    sockport_close(l);
    *client = (ep){WALL_SP, -1, c};
    *server = (ep){WALL_SP, -1, s};
}

static void sp_udp(ep *a, ep *b)
{
    sockport_addr aa, ba;
    sockport_socket *as = sp_bound(SOCKPORT_SOCK_DGRAM, &aa);
    sockport_socket *bs = sp_bound(SOCKPORT_SOCK_DGRAM, &ba);

    sp_check(sockport_connect(as, &ba), "sockport_connect");
    sp_check(sockport_connect(bs, &aa), "sockport_connect");
    *a = (ep){WALL_SP, -1, as};
    *b = (ep){WALL_SP, -1, bs};
}

static void make_tcp(int mode, ep *client, ep *server)
{
    if (mode == WALL_SP)
        sp_tcp(client, server);
    else
        raw_tcp(client, server);
}

static void make_udp(int mode, ep *a, ep *b)
{
    if (mode == WALL_SP)
        sp_udp(a, b);
    else
        raw_udp(a, b);
}

/* ---- TCP request/response ---------------------------------------------------- */

static void *echo_server(void *arg)
{
    ep *e = arg;
    char b;

    wall_pin(WALL_SERVER_CPU);
    while (ep_recv(e, &b, 1) == 1) {
        if (ep_send(e, &b, 1) != 1)
            break;
    }
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void round_trip(ep *e)
{
    char b = 'x';
    if (ep_send(e, &b, 1) != 1 || ep_recv(e, &b, 1) != 1)
        bench_die("tcp_rr round trip", errno);
}

double wall_tcp_rr(int mode, long iters)
{
    ep client, server;
    pthread_t t;
    int64_t *rtt = malloc((size_t)iters * sizeof *rtt);

    if (rtt == NULL)
        bench_die("malloc", 0);
    make_tcp(mode, &client, &server);
    if (pthread_create(&t, NULL, echo_server, &server) != 0)
        bench_die("pthread_create", 0);
    for (long i = 0; i < RR_WARMUP; i++)
        round_trip(&client);
    for (long i = 0; i < iters; i++) {
        int64_t t0 = now_ns();
        round_trip(&client);
        rtt[i] = now_ns() - t0;
    }
    ep_close(&client); /* the server reads end of stream and returns */
    pthread_join(t, NULL);
    ep_close(&server);
    qsort(rtt, (size_t)iters, sizeof *rtt, cmp_i64);
    double p50 = (double)rtt[iters / 2];
    free(rtt);
    return p50;
}

/* ---- UDP, one datagram at a time ---------------------------------------------- */

double wall_udp(int mode, long packets)
{
    ep a, b;
    unsigned char out[UDP_PAYLOAD] = {0}, in[UDP_PAYLOAD];

    make_udp(mode, &a, &b);
    int64_t t0 = now_ns();
    for (long i = 0; i < packets; i++) {
        if (ep_send(&a, out, sizeof out) != UDP_PAYLOAD ||
            ep_recv(&b, in, sizeof in) != UDP_PAYLOAD)
            bench_die("udp send/recv", errno);
    }
    int64_t dt = now_ns() - t0;
    ep_close(&a);
    ep_close(&b);
    return (double)packets * 1e9 / (double)dt;
}

/* ---- TCP bulk, 1 KiB writes ----------------------------------------------------- */

typedef struct bulk_reader {
    ep e;
    long bytes;
} bulk_reader;

static void *bulk_read(void *arg)
{
    bulk_reader *r = arg;
    unsigned char *buf = malloc(BULK_READ);
    long got = 0, n = 1;

    wall_pin(WALL_SERVER_CPU);
    while (buf != NULL && got < r->bytes && n > 0) {
        n = ep_recv(&r->e, buf, BULK_READ);
        got += n > 0 ? n : 0;
    }
    free(buf);
    r->bytes = got;
    return NULL;
}

static void bulk_write(ep *e, long bytes)
{
    static unsigned char chunk[BULK_CHUNK];

    for (long sent = 0; sent < bytes;) {
        long n = ep_send(e, chunk, BULK_CHUNK);
        if (n <= 0)
            bench_die("tcp_bulk send", n);
        sent += n;
    }
}

double wall_tcp_bulk(int mode, long bytes)
{
    ep client;
    bulk_reader r = {{0, -1, NULL}, bytes};
    pthread_t t;

    make_tcp(mode, &client, &r.e);
    if (pthread_create(&t, NULL, bulk_read, &r) != 0)
        bench_die("pthread_create", 0);
    int64_t t0 = now_ns();
    bulk_write(&client, bytes);
    pthread_join(t, NULL);
    int64_t dt = now_ns() - t0;
    if (r.bytes < bytes)
        bench_die("tcp_bulk short read", r.bytes);
    ep_close(&client);
    ep_close(&r.e);
    return (double)bytes * 1e3 / (double)dt;
}

/* ---- UDP batches of 32 ---------------------------------------------------------- */

typedef struct batch {
    unsigned char buf[MMSG_BATCH][UDP_PAYLOAD];
    struct iovec iov[MMSG_BATCH];
    struct mmsghdr mm[MMSG_BATCH];
    sockport_iovec sp_iov[MMSG_BATCH];
    sockport_mmsghdr sp_mm[MMSG_BATCH];
} batch;

static void batch_init(batch *b)
{
    memset(b, 0, sizeof *b);
    for (int i = 0; i < MMSG_BATCH; i++) {
        b->iov[i] = (struct iovec){b->buf[i], UDP_PAYLOAD};
        b->mm[i].msg_hdr.msg_iov = &b->iov[i];
        b->mm[i].msg_hdr.msg_iovlen = 1;
        b->sp_iov[i] = (sockport_iovec){b->buf[i], UDP_PAYLOAD};
        b->sp_mm[i].hdr.iov = &b->sp_iov[i];
        b->sp_mm[i].hdr.iovlen = 1;
    }
}

/* One batch out and back in: 32, or the failing call's result. */
static long batch_round(ep *a, ep *b, batch *m)
{
    long n;
    if (a->mode == WALL_SP) {
        n = sockport_sendmmsg(a->s, m->sp_mm, MMSG_BATCH, 0);
        if (n == MMSG_BATCH)
            n = sockport_recvmmsg(b->s, m->sp_mm, MMSG_BATCH, 0);
    } else {
        n = sendmmsg(a->fd, m->mm, MMSG_BATCH, MSG_NOSIGNAL);
        if (n == MMSG_BATCH)
            n = recvmmsg(b->fd, m->mm, MMSG_BATCH, MSG_WAITFORONE, NULL);
    }
    return n;
}

double wall_udp_mmsg(int mode, long packets)
{
    static batch m;
    ep a, b;
    long n = 0;

    batch_init(&m);
    make_udp(mode, &a, &b);
    int64_t t0 = now_ns();
    for (long i = 0; i < packets; i += MMSG_BATCH) {
        if ((n = batch_round(&a, &b, &m)) != MMSG_BATCH)
            break;
    }
    int64_t dt = now_ns() - t0;
    ep_close(&a);
    ep_close(&b);
    if (mode == WALL_SP && n == SOCKPORT_ENOTSUP)
        return -1;
    if (n != MMSG_BATCH)
        bench_die("udp batch", n);
    return (double)packets * 1e9 / (double)dt;
}
