/*
 * Batched slots: sendmmsg and recvmmsg.
 *
 * Linux: the kernel's sendmmsg/recvmmsg, fed from a fixed stack budget (at
 * most CHUNK messages and CTL_POOL bytes of native control per system call;
 * the callers' iovec arrays are passed as they are); a batch larger than that
 * takes several calls.
 * Receiving, the first call waits for one message (MSG_WAITFORONE) unless
 * told not to, and the later ones take only what is queued (MSG_DONTWAIT).
 *
 * Elsewhere, and wherever the kernel answers ENOSYS (or a test replaces the
 * call with a stub that does), a loop of sendmsg/recvmsg: the first message
 * as the flags say, the rest with SOCKPORT_MSG_DONTWAIT, stopping at the
 * first failure.
 *
 * Either way: the count of messages moved, each one's len (and, receiving,
 * its sender, flags and control data) set; a failure after the first message
 * ends the batch early and is not reported (the next call meets it); a
 * failure of the first message is the result.
 */
#define _GNU_SOURCE

#include "posix.h"

#include <errno.h>
#include <string.h>

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline)) /* keep the two stack budgets apart */
#else
#define NOINLINE
#endif

/* ---- the loop ------------------------------------------------------------- */

static NOINLINE int loop_send(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++) {
        int f = i == 0 ? flags : flags | SOCKPORT_MSG_DONTWAIT;
        ptrdiff_t r = sockport__posix_sendmsg(s, &msgs[i].hdr, f);
        if (r < 0)
            return i == 0 ? (int)r : (int)i;
        msgs[i].len = (size_t)r;
    }
    return (int)n;
}

static NOINLINE int loop_recv(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++) {
        int f = i == 0 ? flags : flags | SOCKPORT_MSG_DONTWAIT;
        ptrdiff_t r = sockport__posix_recvmsg(s, &msgs[i].hdr, f);
        if (r < 0)
            return i == 0 ? (int)r : (int)i;
        msgs[i].len = (size_t)r;
    }
    return (int)n;
}

#if SOCKPORT__POSIX_HAVE_MMSG

/* ---- the kernel's batches --------------------------------------------------- */

#define CHUNK    64   /* messages per system call */
#define CTL_POOL 8192 /* native control bytes per system call */

#ifdef MSG_NOSIGNAL
#define SEND_FLAGS MSG_NOSIGNAL
#else
#define SEND_FLAGS 0
#endif

#ifdef MSG_CMSG_CLOEXEC
#define RECV_FLAGS MSG_CMSG_CLOEXEC
#else
#define RECV_FLAGS 0
#endif

/* One system call's worth of native messages. */
typedef struct batch {
    struct mmsghdr h[CHUNK];
    struct sockaddr_storage names[CHUNK];
    union {
        max_align_t align;
        unsigned char bytes[CTL_POOL];
    } ctl;
    size_t k;        /* messages in the batch */
    size_t ctl_used; /* bytes of ctl taken (multiples of the cmsg alignment) */
} batch;

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Native room for receiving into m's portable control area: a native message
 * sockport knows never takes more than 1.5 times its portable form, plus
 * slack for one it does not; at most what a single recvmsg gives. */
static size_t recv_room(const sockport_msghdr *m)
{
    if (m->control == NULL || m->controllen == 0)
        return 0;
    size_t c = min_size(m->controllen, SOCKPORT__POSIX_CTL_MAX);
    return min_size((c + c / 2 + 16 + 7) & ~(size_t)7u, SOCKPORT__POSIX_CTL_MAX);
}

/* Adds m to the batch: 0; 1 when it does not fit (send the batch first); or
 * the error that makes m unsendable. */
static int add_send(batch *b, const sockport_msghdr *m)
{
    if (b->k == CHUNK)
        return 1;
    size_t room = min_size(CTL_POOL - b->ctl_used, SOCKPORT__POSIX_CTL_MAX);
    sockport__posix_nbuf nb = {&b->names[b->k], b->ctl.bytes + b->ctl_used, room};
    struct msghdr *h = &b->h[b->k].msg_hdr;
    int rc = sockport__posix_msg_out(m, h, &nb);
    if (rc == SOCKPORT_ENOBUFS && b->k > 0 && room < SOCKPORT__POSIX_CTL_MAX)
        return 1; /* it fits a fresh batch */
    if (rc < 0)
        return rc;
    b->h[b->k].msg_len = 0;
    b->ctl_used += (size_t)h->msg_controllen;
    b->k++;
    return 0;
}

static int add_recv(batch *b, const sockport_msghdr *m)
{
    size_t room = recv_room(m);
    if (b->k == CHUNK || room > CTL_POOL - b->ctl_used)
        return 1;
    sockport__posix_nbuf nb = {&b->names[b->k], b->ctl.bytes + b->ctl_used, room};
    sockport__posix_msg_in(m, &b->h[b->k].msg_hdr, &nb);
    b->h[b->k].msg_len = 0;
    b->ctl_used += room;
    b->k++;
    return 0;
}

static void batch_reset(batch *b)
{
    b->k = b->ctl_used = 0;
}

/* Fills the batch from msgs[from..n): the error that stops it at a bad
 * message (after the ones before it), or 0. */
static int fill_send(batch *b, sockport_mmsghdr *msgs, size_t from, size_t n)
{
    batch_reset(b);
    for (size_t i = from; i < n; i++) {
        int rc = add_send(b, &msgs[i].hdr);
        if (rc != 0)
            return rc < 0 ? rc : 0;
    }
    return 0;
}

static void fill_recv(batch *b, sockport_mmsghdr *msgs, size_t from, size_t n)
{
    batch_reset(b);
    for (size_t i = from; i < n && add_recv(b, &msgs[i].hdr) == 0; i++)
        ;
}

static int send_chunk(int fd, batch *b, int nflags)
{
    int r;
    do {
        r = sys_sendmmsg(fd, b->h, (unsigned)b->k, nflags);
    } while (r < 0 && errno == EINTR);
    return r;
}

/* *fallback is set (and nothing sent) when the kernel lacks sendmmsg. */
static NOINLINE int native_send(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags,
                                int *fallback)
{
    batch b;
    size_t done = 0;
    int nflags = sockport__posix_native_msg_flags(flags) | SEND_FLAGS;
    while (done < n) {
        int bad = fill_send(&b, msgs, done, n);
        if (b.k == 0)
            return done == 0 ? bad : (int)done;
        int r = send_chunk(sockport__posix_fd(s), &b, nflags);
        if (r < 0 && done == 0 && errno == ENOSYS) {
            *fallback = 1;
            return 0;
        }
        if (r < 0)
            return done == 0 ? sockport__posix_fail(errno) : (int)done;
        for (size_t i = 0; i < (size_t)r; i++)
            msgs[done + i].len = b.h[i].msg_len;
        done += (size_t)r;
        if ((size_t)r < b.k || bad < 0)
            break;
    }
    return (int)done;
}

static int recv_chunk(int fd, batch *b, sockport_mmsghdr *msgs, size_t from, size_t n, int nflags)
{
    int r;
    do {
        fill_recv(b, msgs, from, n);
        r = sys_recvmmsg(fd, b->h, (unsigned)b->k, nflags, NULL);
    } while (r < 0 && errno == EINTR);
    return r;
}

static NOINLINE int native_recv(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags,
                                int *fallback)
{
    batch b;
    size_t done = 0;
    int nflags = sockport__posix_native_msg_flags(flags) | RECV_FLAGS;
    while (done < n) {
        int f = done == 0 ? nflags | MSG_WAITFORONE : nflags | MSG_DONTWAIT;
        int r = recv_chunk(sockport__posix_fd(s), &b, msgs, done, n, f);
        if (r < 0 && done == 0 && errno == ENOSYS) {
            *fallback = 1;
            return 0;
        }
        if (r < 0)
            return done == 0 ? sockport__posix_fail(errno) : (int)done;
        for (size_t i = 0; i < (size_t)r; i++) {
            msgs[done + i].len = b.h[i].msg_len;
            sockport__posix_msg_done(&msgs[done + i].hdr, &b.h[i].msg_hdr);
        }
        done += (size_t)r;
        if ((size_t)r < b.k)
            break;
    }
    return (int)done;
}

#endif /* SOCKPORT__POSIX_HAVE_MMSG */

/* ---- the slots ------------------------------------------------------------ */

int sockport__posix_sendmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
#if SOCKPORT__POSIX_HAVE_MMSG
    int fallback = 0;
    int rc = native_send(s, msgs, n, flags, &fallback);
    if (!fallback)
        return rc;
#endif
    return loop_send(s, msgs, n, flags);
}

int sockport__posix_recvmmsg(sockport_socket *s, sockport_mmsghdr *msgs, size_t n, int flags)
{
#if SOCKPORT__POSIX_HAVE_MMSG
    int fallback = 0;
    int rc = native_recv(s, msgs, n, flags, &fallback);
    if (!fallback)
        return rc;
#endif
    return loop_recv(s, msgs, n, flags);
}
