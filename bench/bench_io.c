/*
 * `sp_bench io`: user-space instructions of one I/O call, raw libc against
 * sockport against APR, on loopback UDP sockets.
 *
 * Each operation is a pair of functions with the same shape, one call each:
 * bench_op_raw_<op> and bench_op_sp_<op> (APR's are in bench_apr.c). What a
 * receive needs (a queued datagram) is prepared, and what a send leaves is
 * drained, outside the measured functions. The raw calls are what a careful
 * user writes by hand: send(..., MSG_NOSIGNAL), recvfrom into a
 * sockaddr_storage, sendmsg/recvmsg for vectored I/O.
 *
 * Records: "skip op mode why", "allocs op mode count calls" (the counting
 * allocator's calls during the 2N phase, expected 0), "done".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "bench.h"
#include "bench_io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MODE_RAW, MODE_SP, MODE_APR, MODE_COUNT_ };
static const char *const mode_names[MODE_COUNT_] = {"raw", "sockport", "apr"};

/* ---- the counting allocator: every allocation sockport makes ------------- */

static size_t alloc_calls;

static void *count_alloc(size_t size, void *userdata)
{
    (void)userdata;
    alloc_calls++;
    return malloc(size);
}

static void count_free(void *p, size_t size, void *userdata)
{
    (void)size;
    (void)userdata;
    free(p);
}

/* ---- raw path ------------------------------------------------------------ */

static BENCH_OP long bench_op_raw_send(io_ctx *c)
{
    return send(c->raw.tx, c->buf, IO_PAYLOAD, MSG_NOSIGNAL);
}

static BENCH_OP long bench_op_raw_recv(io_ctx *c)
{
    return recv(c->raw.rx, c->buf, IO_PAYLOAD, 0);
}

static BENCH_OP long bench_op_raw_send_to(io_ctx *c)
{
    return sendto(c->raw.utx, c->buf, IO_PAYLOAD, MSG_NOSIGNAL, (struct sockaddr *)&c->raw.rx_sin,
                  sizeof c->raw.rx_sin);
}

static BENCH_OP long bench_op_raw_recv_from(io_ctx *c)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    return recvfrom(c->raw.rx, c->buf, IO_PAYLOAD, 0, (struct sockaddr *)&ss, &sl);
}

static BENCH_OP long bench_op_raw_sendv(io_ctx *c)
{
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = c->iov;
    m.msg_iovlen = 2;
    return sendmsg(c->raw.tx, &m, MSG_NOSIGNAL);
}

static BENCH_OP long bench_op_raw_recvv(io_ctx *c)
{
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = c->iov;
    m.msg_iovlen = 2;
    return recvmsg(c->raw.rx, &m, 0);
}

static BENCH_OP long bench_op_raw_sendmmsg(io_ctx *c)
{
    return sendmmsg(c->raw.tx, c->mm, IO_BATCH, MSG_NOSIGNAL);
}

static BENCH_OP long bench_op_raw_recvmmsg(io_ctx *c)
{
    return recvmmsg(c->raw.rx, c->mm, IO_BATCH, MSG_WAITFORONE, NULL);
}

static BENCH_OP long bench_op_raw_poll(io_ctx *c)
{
    struct pollfd p = {c->raw.rx, POLLIN, 0};
    return poll(&p, 1, 0);
}

/* ---- sockport path ------------------------------------------------------- */

static BENCH_OP long bench_op_sp_send(io_ctx *c)
{
    return sockport_send(c->sp.tx, c->buf, IO_PAYLOAD, 0);
}

static BENCH_OP long bench_op_sp_recv(io_ctx *c)
{
    return sockport_recv(c->sp.rx, c->buf, IO_PAYLOAD, 0);
}

static BENCH_OP long bench_op_sp_send_to(io_ctx *c)
{
    return sockport_send_to(c->sp.utx, c->buf, IO_PAYLOAD, 0, &c->sp.rx_addr);
}

static BENCH_OP long bench_op_sp_recv_from(io_ctx *c)
{
    return sockport_recv_from(c->sp.rx, c->buf, IO_PAYLOAD, 0, &c->sp.from);
}

static BENCH_OP long bench_op_sp_sendv(io_ctx *c)
{
    return sockport_sendv(c->sp.tx, c->sp_iov, 2, 0);
}

static BENCH_OP long bench_op_sp_recvv(io_ctx *c)
{
    return sockport_recvv(c->sp.rx, c->sp_iov, 2, 0, NULL);
}

static BENCH_OP long bench_op_sp_sendmmsg(io_ctx *c)
{
    return sockport_sendmmsg(c->sp.tx, c->sp_mm, IO_BATCH, 0);
}

static BENCH_OP long bench_op_sp_recvmmsg(io_ctx *c)
{
    return sockport_recvmmsg(c->sp.rx, c->sp_mm, IO_BATCH, 0);
}

static BENCH_OP long bench_op_sp_poll(io_ctx *c)
{
    sockport_pollfd p = {c->sp.rx, SOCKPORT_POLLIN, 0};
    return sockport_poll(&p, 1, 0);
}

/* ---- preparing and draining (not measured) -------------------------------- */

static void inject(io_ctx *c, const struct sockaddr_in *to, int count)
{
    for (int i = 0; i < count; i++) {
        ssize_t n =
            sendto(c->inject, c->buf, IO_PAYLOAD, 0, (const struct sockaddr *)to, sizeof *to);
        if (n != IO_PAYLOAD)
            bench_die("inject sendto", (long)errno);
    }
}

static void pre_raw(io_ctx *c)
{
    inject(c, &c->raw.rx_sin, 1);
}

static void pre_raw_batch(io_ctx *c)
{
    inject(c, &c->raw.rx_sin, IO_BATCH);
}

static void pre_sp(io_ctx *c)
{
    inject(c, &c->sp.rx_sin, 1);
}

static void pre_sp_batch(io_ctx *c)
{
    inject(c, &c->sp.rx_sin, IO_BATCH);
}

static void post_raw(io_ctx *c)
{
    unsigned char b[IO_PAYLOAD];
    while (recv(c->raw.rx, b, sizeof b, MSG_DONTWAIT) >= 0)
        ;
}

static void post_sp(io_ctx *c)
{
    unsigned char b[IO_PAYLOAD];
    while (sockport_recv(c->sp.rx, b, sizeof b, SOCKPORT_MSG_DONTWAIT) >= 0)
        ;
}

/* ---- the operations ------------------------------------------------------ */

typedef struct io_op {
    const char *name;
    int mode;
    void (*pre)(io_ctx *);  /* queues what a receive takes, or NULL */
    long (*run)(io_ctx *);  /* the measured call */
    void (*post)(io_ctx *); /* drains what a send left */
    long expect;            /* what run returns */
} io_op;

#define OP(name, mode, pre, run, post, expect)                                                     \
    {                                                                                              \
        name, mode, pre, run, post, expect                                                         \
    }

static const io_op io_ops[] = {
    OP("send", MODE_RAW, NULL, bench_op_raw_send, post_raw, IO_PAYLOAD),
    OP("send", MODE_SP, NULL, bench_op_sp_send, post_sp, IO_PAYLOAD),
    OP("send", MODE_APR, NULL, bench_op_apr_send, post_raw, IO_PAYLOAD),
    OP("recv", MODE_RAW, pre_raw, bench_op_raw_recv, NULL, IO_PAYLOAD),
    OP("recv", MODE_SP, pre_sp, bench_op_sp_recv, NULL, IO_PAYLOAD),
    OP("recv", MODE_APR, pre_raw, bench_op_apr_recv, NULL, IO_PAYLOAD),
    OP("send_to", MODE_RAW, NULL, bench_op_raw_send_to, post_raw, IO_PAYLOAD),
    OP("send_to", MODE_SP, NULL, bench_op_sp_send_to, post_sp, IO_PAYLOAD),
    OP("send_to", MODE_APR, NULL, bench_op_apr_send_to, post_raw, IO_PAYLOAD),
    OP("recv_from", MODE_RAW, pre_raw, bench_op_raw_recv_from, NULL, IO_PAYLOAD),
    OP("recv_from", MODE_SP, pre_sp, bench_op_sp_recv_from, NULL, IO_PAYLOAD),
    OP("recv_from", MODE_APR, pre_raw, bench_op_apr_recv_from, NULL, IO_PAYLOAD),
    OP("sendv", MODE_RAW, NULL, bench_op_raw_sendv, post_raw, IO_PAYLOAD),
    OP("sendv", MODE_SP, NULL, bench_op_sp_sendv, post_sp, IO_PAYLOAD),
    OP("sendv", MODE_APR, NULL, bench_op_apr_sendv, post_raw, IO_PAYLOAD),
    OP("recvv", MODE_RAW, pre_raw, bench_op_raw_recvv, NULL, IO_PAYLOAD),
    OP("recvv", MODE_SP, pre_sp, bench_op_sp_recvv, NULL, IO_PAYLOAD),
    OP("sendmmsg32", MODE_RAW, NULL, bench_op_raw_sendmmsg, post_raw, IO_BATCH),
    OP("sendmmsg32", MODE_SP, NULL, bench_op_sp_sendmmsg, post_sp, IO_BATCH),
    OP("recvmmsg32", MODE_RAW, pre_raw_batch, bench_op_raw_recvmmsg, NULL, IO_BATCH),
    OP("recvmmsg32", MODE_SP, pre_sp_batch, bench_op_sp_recvmmsg, NULL, IO_BATCH),
    OP("poll", MODE_RAW, pre_raw, bench_op_raw_poll, post_raw, 1),
    OP("poll", MODE_SP, pre_sp, bench_op_sp_poll, post_sp, 1),
};

static void run_phase(io_ctx *c, const io_op *op, long iters)
{
    for (long i = 0; i < iters; i++) {
        if (op->pre != NULL)
            op->pre(c);
        long rc = op->run(c);
        if (rc != op->expect)
            bench_die(op->name, rc);
        if (op->post != NULL)
            op->post(c);
    }
}

/* One probe call: sockport answers ENOTSUP for a call its backend lacks
 * (the parity work lands slot by slot), which skips the operation. */
static int probe(io_ctx *c, const io_op *op)
{
    if (op->pre != NULL)
        op->pre(c);
    long rc = op->run(c);
    if (op->post != NULL)
        op->post(c);
    else if (rc < 0) /* the datagram pre() queued is still there */
        (op->mode == MODE_SP ? post_sp : post_raw)(c);
    if (rc == op->expect)
        return 1;
    if (op->mode == MODE_SP && rc == SOCKPORT_ENOTSUP) {
        printf("skip\t%s\t%s\tthe POSIX backend answers ENOTSUP\n", op->name, mode_names[op->mode]);
        return 0;
    }
    bench_die(op->name, rc);
}

static void run_op(io_ctx *c, const io_op *op, long n)
{
    const char *mode = mode_names[op->mode];

    if (!probe(c, op))
        return;
    bench_phase_start();
    run_phase(c, op, n);
    bench_phase_end("io/%s/%s/%ld", op->name, mode, n);
    size_t before = alloc_calls;
    run_phase(c, op, 2 * n);
    bench_phase_end("io/%s/%s/%ld", op->name, mode, 2 * n);
    printf("allocs\t%s\t%s\t%zu\t%ld\n", op->name, mode, alloc_calls - before, 2 * n);
}

/* ---- setup ----------------------------------------------------------------- */

static int raw_udp(const struct sockaddr_in *bind_to)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        bench_die("socket", errno);
    if (bind_to != NULL && bind(fd, (const struct sockaddr *)bind_to, sizeof *bind_to) < 0)
        bench_die("bind", errno);
    return fd;
}

static void setup_raw(io_raw *r)
{
    struct sockaddr_in lo = {0};
    socklen_t sl = sizeof r->rx_sin;

    lo.sin_family = AF_INET;
    lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r->rx = raw_udp(&lo);
    if (getsockname(r->rx, (struct sockaddr *)&r->rx_sin, &sl) < 0)
        bench_die("getsockname", errno);
    r->tx = raw_udp(&lo);
    if (connect(r->tx, (struct sockaddr *)&r->rx_sin, sizeof r->rx_sin) < 0)
        bench_die("connect", errno);
    r->utx = raw_udp(NULL);
}

static sockport_socket *sp_udp(const sockport_addr *bind_to)
{
    sockport_socket *s = NULL;
    int rc = sockport_open(&s, SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0, 0);
    if (rc < 0)
        bench_die("sockport_open", rc);
    if (bind_to != NULL && (rc = sockport_bind(s, bind_to)) < 0)
        bench_die("sockport_bind", rc);
    return s;
}

static void setup_sp(io_sp *p)
{
    sockport_addr lo;
    size_t len = sizeof p->rx_sin;
    int rc = sockport_addr_ip(&lo, "127.0.0.1", 0);

    if (rc < 0)
        bench_die("sockport_addr_ip", rc);
    p->rx = sp_udp(&lo);
    if ((rc = sockport_local_addr(p->rx, &p->rx_addr)) < 0)
        bench_die("sockport_local_addr", rc);
    if ((rc = sockport_addr_to_native(&p->rx_addr, &p->rx_sin, &len)) < 0)
        bench_die("sockport_addr_to_native", rc);
    p->tx = sp_udp(&lo);
    if ((rc = sockport_connect(p->tx, &p->rx_addr)) < 0)
        bench_die("sockport_connect", rc);
    p->utx = sp_udp(NULL);
}

static void setup_buffers(io_ctx *c)
{
    memset(c->buf, 'x', sizeof c->buf);
    c->iov[0] = (struct iovec){c->buf, 16};
    c->iov[1] = (struct iovec){c->buf + 16, IO_PAYLOAD - 16};
    c->sp_iov[0] = (sockport_iovec){c->buf, 16};
    c->sp_iov[1] = (sockport_iovec){c->buf + 16, IO_PAYLOAD - 16};
    for (int i = 0; i < IO_BATCH; i++) {
        c->mm_iov[i] = (struct iovec){c->mm_buf[i], IO_PAYLOAD};
        c->mm[i].msg_hdr.msg_iov = &c->mm_iov[i];
        c->mm[i].msg_hdr.msg_iovlen = 1;
        c->sp_mm_iov[i] = (sockport_iovec){c->mm_buf[i], IO_PAYLOAD};
        c->sp_mm[i].hdr.iov = &c->sp_mm_iov[i];
        c->sp_mm[i].hdr.iovlen = 1;
    }
}

/* Which paths --modes names ("raw,sockport,apr" by default). */
static void parse_modes(const char *list, int on[MODE_COUNT_])
{
    for (int m = 0; m < MODE_COUNT_; m++) {
        const char *hit = strstr(list, mode_names[m]);
        size_t n = strlen(mode_names[m]);
        on[m] = hit != NULL && (hit == list || hit[-1] == ',') && (hit[n] == ',' || hit[n] == '\0');
    }
}

static void setup(io_ctx *c, int on[MODE_COUNT_])
{
    static const sockport_allocator counting = {count_alloc, count_free, NULL};

    if (sockport_set_allocator(&counting) < 0)
        bench_die("sockport_set_allocator", -1);
    setup_buffers(c);
    setup_raw(&c->raw);
    setup_sp(&c->sp);
    c->inject = raw_udp(NULL);
    if (on[MODE_APR] && bench_apr_open(c) < 0) {
        printf("skip\t*\tapr\tbuilt without APR (libapr1-dev)\n");
        on[MODE_APR] = 0;
    }
}

int bench_io_main(int argc, char **argv)
{
    static io_ctx ctx;
    const char *modes = "raw,sockport,apr";
    long iters = 200;
    int on[MODE_COUNT_];

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--iters") == 0)
            iters = bench_count(argv[i + 1]);
        else if (strcmp(argv[i], "--modes") == 0)
            modes = argv[i + 1];
    }
    parse_modes(modes, on);
    setup(&ctx, on);
    for (size_t i = 0; i < sizeof io_ops / sizeof io_ops[0]; i++) {
        if (on[io_ops[i].mode])
            run_op(&ctx, &io_ops[i], iters);
    }
    bench_apr_close(&ctx);
    printf("done\n");
    return 0;
}
