/*
 * The core alone, against a fake backend that counts every slot call: proves
 * that validation happens before dispatch, that each entry point reaches the
 * vtable, and that nothing leaks on an error path.
 */
#include "sp_test.h"

#include "sockport/backend.h"

#include <limits.h>

enum slot {
    S_INIT,
    S_OPEN,
    S_CLOSE,
    S_PAIR,
    S_BIND,
    S_LISTEN,
    S_ACCEPT,
    S_CONNECT,
    S_CONNECT_TIMEOUT,
    S_LOCAL,
    S_PEER,
    S_CLONE,
    S_NONBLOCK,
    S_SHUTDOWN,
    S_TAKE_ERROR,
    S_SEND,
    S_RECV,
    S_SET_INT,
    S_GET_INT,
    S_SET_TIMEOUT,
    S_GET_TIMEOUT,
    S_SUPPORTED,
    S_COUNT
};

static int calls[S_COUNT];
static int fail_with;    /* when < 0, the next slot call returns it */
static int last_int;     /* last int argument a slot saw */
static int64_t last_i64; /* last int64 argument a slot saw */
static const sockport_backend *fake;

typedef struct fake_state {
    int opened;
    long long align_probe;
} fake_state;

static int hit(enum slot s)
{
    calls[s]++;
    int rc = fail_with;
    fail_with = 0;
    if (rc < 0)
        sockport_backend_set_os_error(4242);
    return rc;
}

static int f_init(const sockport_backend *self)
{
    (void)self;
    return hit(S_INIT);
}

static int f_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    (void)family, (void)type, (void)protocol, (void)flags;
    fake_state *st = sockport_socket_state(s);
    st->opened = 1;
    return hit(S_OPEN);
}

static int f_close(sockport_socket *s)
{
    (void)s;
    return hit(S_CLOSE);
}

static int f_bind(sockport_socket *s, const sockport_addr *a)
{
    (void)s, (void)a;
    return hit(S_BIND);
}

static int f_listen(sockport_socket *s, int backlog)
{
    (void)s;
    last_int = backlog;
    return hit(S_LISTEN);
}

static int f_accept(sockport_socket *s, sockport_socket *out, sockport_addr *peer, unsigned flags)
{
    (void)s, (void)out, (void)peer;
    last_int = (int)flags;
    return hit(S_ACCEPT);
}

static int f_connect(sockport_socket *s, const sockport_addr *a)
{
    (void)s, (void)a;
    return hit(S_CONNECT);
}

static int f_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t ms)
{
    (void)s, (void)a;
    last_i64 = ms;
    return hit(S_CONNECT_TIMEOUT);
}

static int f_local(sockport_socket *s, sockport_addr *out)
{
    (void)s, (void)out;
    return hit(S_LOCAL);
}

static int f_peer(sockport_socket *s, sockport_addr *out)
{
    (void)s, (void)out;
    return hit(S_PEER);
}

static int f_clone(sockport_socket *s, sockport_socket *out)
{
    (void)s;
    last_int = (int)(sockport_socket_state(out) != NULL);
    return hit(S_CLONE);
}

static int f_nonblock(sockport_socket *s, bool on)
{
    (void)s;
    last_int = on;
    return hit(S_NONBLOCK);
}

static int f_shutdown(sockport_socket *s, int how)
{
    (void)s;
    last_int = how;
    return hit(S_SHUTDOWN);
}

static int f_take_error(sockport_socket *s)
{
    (void)s;
    return hit(S_TAKE_ERROR);
}

static ptrdiff_t f_send(sockport_socket *s, const void *buf, size_t len, int flags,
                        const sockport_addr *to)
{
    (void)s, (void)buf, (void)to;
    last_int = flags;
    int rc = hit(S_SEND);
    return rc < 0 ? rc : (ptrdiff_t)len;
}

static ptrdiff_t f_recv(sockport_socket *s, void *buf, size_t len, int flags, sockport_addr *from,
                        int *out_flags)
{
    (void)s, (void)buf, (void)from;
    last_int = flags;
    int rc = hit(S_RECV);
    if (rc < 0)
        return rc;
    if (out_flags != NULL)
        *out_flags = 0;
    return (ptrdiff_t)len;
}

static int f_set_int(sockport_socket *s, int opt, int v)
{
    (void)s, (void)opt;
    last_int = v;
    return hit(S_SET_INT);
}

static int f_get_int(sockport_socket *s, int opt, int *out)
{
    (void)s, (void)opt;
    int rc = hit(S_GET_INT);
    if (rc == 0)
        *out = 7;
    return rc;
}

static int f_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    (void)s, (void)opt;
    last_i64 = ms;
    return hit(S_SET_TIMEOUT);
}

static int f_get_timeout(sockport_socket *s, int opt, int64_t *out)
{
    (void)s, (void)opt;
    *out = 1234;
    return hit(S_GET_TIMEOUT);
}

static int f_supported(sockport_socket *s, int opt)
{
    (void)s;
    hit(S_SUPPORTED);
    return opt == SOCKPORT_OPT_TCP_NODELAY;
}

/* No pair, addr or if_nametoindex slots: the registry must fill them. */
static const sockport_backend fake_table = {
    .version = SOCKPORT_BACKEND_VERSION,
    .name = "fake",
    .socket_size = sizeof(fake_state),
    .init = f_init,
    .open = f_open,
    .close = f_close,
    .bind = f_bind,
    .listen = f_listen,
    .accept = f_accept,
    .connect = f_connect,
    .connect_timeout = f_connect_timeout,
    .local_addr = f_local,
    .peer_addr = f_peer,
    .try_clone = f_clone,
    .set_nonblocking = f_nonblock,
    .shutdown = f_shutdown,
    .take_error = f_take_error,
    .send = f_send,
    .recv = f_recv,
    .set_int = f_set_int,
    .get_int = f_get_int,
    .set_timeout = f_set_timeout,
    .get_timeout = f_get_timeout,
    .option_supported = f_supported,
};

/* ---- a counting allocator that can fail the Nth allocation -------------- */

static int live_blocks;
static int allocs_until_failure; /* 0: never fail */

static void *count_alloc(size_t size, void *ud)
{
    (void)ud;
    if (allocs_until_failure > 0 && --allocs_until_failure == 0)
        return NULL;
    live_blocks++;
    return test_malloc(size);
}

static void count_free(void *p, size_t size, void *ud)
{
    (void)size, (void)ud;
    live_blocks--;
    test_free(p);
}

static const sockport_allocator counting = {count_alloc, count_free, NULL};

static int group_setup(void **state)
{
    (void)state;
    return sockport_backend_register(&fake_table, &fake) == 0 ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    memset(calls, 0, sizeof calls);
    fail_with = 0;
    live_blocks = 0;
    allocs_until_failure = 0;
    return sockport_set_allocator(&counting);
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(live_blocks, 0);
    return sockport_set_allocator(NULL);
}

static int total_calls(void)
{
    int n = 0;
    for (int i = 0; i < S_COUNT; i++)
        n += calls[i];
    return n;
}

static sockport_socket *open_fake(int family, int type)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open_on(fake, &s, family, type, 0, 0));
    assert_non_null(s);
    return s;
}

static sockport_addr loopback4(void)
{
    sockport_addr a;
    static const uint8_t lo[4] = {127, 0, 0, 1};
    memset(&a, 0, sizeof a);
    assert_sp_ok(sockport_addr_ipv4(&a, lo, 9));
    return a;
}

/* ---- open and close ------------------------------------------------------ */

static void test_open_rejects_null_out_before_dispatch(void **state)
{
    (void)state;
    assert_sp_err(sockport_open_on(fake, NULL, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_EINVAL);
    assert_int_equal(total_calls(), 0);
    assert_int_equal(sockport_last_os_error(), 0);
}

static void test_open_rejects_unknown_family_type_protocol_and_flags(void **state)
{
    (void)state;
    sockport_socket *s = (sockport_socket *)&s;
    const int bad[][4] = {
        {0, 1, 0, 0}, {4, 1, 0, 0},  {-1, 1, 0, 0},  {1, 0, 0, 0}, {1, 5, 0, 0},     {1, -3, 0, 0},
        {1, 1, 2, 0}, {1, 1, -6, 0}, {1, 1, 256, 0}, {1, 1, 0, 8}, {1, 1, 0, 0x100}, {1, 1, 0, -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_sp_err(
            sockport_open_on(fake, &s, bad[i][0], bad[i][1], bad[i][2], (unsigned)bad[i][3]),
            SOCKPORT_EINVAL);
    }
    assert_ptr_equal(s, (sockport_socket *)&s);
    assert_int_equal(total_calls(), 0);
}

static void test_open_rejects_a_backend_that_is_not_registered(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    assert_sp_err(sockport_open_on(&fake_table, &s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_EINVAL);
    assert_null(s);
    assert_int_equal(total_calls(), 0);
}

static void test_open_gives_the_backend_a_zeroed_aligned_state_block(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET6, SOCKPORT_SOCK_DGRAM);
    fake_state *st = sockport_socket_state(s);
    assert_int_equal((uintptr_t)st % sizeof(long long), 0);
    assert_int_equal(st->opened, 1);
    assert_int_equal(st->align_probe, 0);
    assert_int_equal(sockport_socket_family(s), SOCKPORT_AF_INET6);
    assert_int_equal(sockport_socket_type(s), SOCKPORT_SOCK_DGRAM);
    assert_int_equal(sockport_socket_protocol(s), 0);
    assert_ptr_equal(sockport_socket_backend(s), fake);
    assert_sp_ok(sockport_close(s));
    assert_int_equal(calls[S_OPEN], 1);
    assert_int_equal(calls[S_CLOSE], 1);
}

/* A fresh registration of the fake table, whose lazy init has not run. */
static const sockport_backend *register_copy(const char *name)
{
    sockport_backend t = fake_table;
    const sockport_backend *reg = NULL;
    t.name = name;
    assert_sp_ok(sockport_backend_register(&t, &reg));
    return reg;
}

static void test_open_runs_backend_init_once_lazily(void **state)
{
    (void)state;
    const sockport_backend *b = register_copy("lazy");
    sockport_socket *s[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++)
        assert_sp_ok(sockport_open_on(b, &s[i], SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0));
    assert_int_equal(calls[S_INIT], 1);
    assert_sp_ok(sockport_close(s[0]));
    assert_sp_ok(sockport_close(s[1]));
}

static void test_open_failure_frees_the_handle_and_keeps_the_os_code(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    sockport_socket *warm = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    fail_with = SOCKPORT_EMFILE;
    assert_sp_err(sockport_open_on(fake, &s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_EMFILE);
    assert_null(s);
    assert_int_equal(sockport_last_os_error(), 4242);
    assert_sp_ok(sockport_close(warm));
}

static void test_open_reports_enomem_without_calling_the_backend(void **state)
{
    (void)state;
    sockport_socket *warm = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *s = NULL;
    allocs_until_failure = 1;
    assert_sp_err(sockport_open_on(fake, &s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_ENOMEM);
    assert_null(s);
    assert_int_equal(calls[S_OPEN], 1);
    assert_sp_ok(sockport_close(warm));
}

static void test_init_failure_is_returned_and_retried(void **state)
{
    (void)state;
    const sockport_backend *b = register_copy("lazyfail");
    sockport_socket *s = NULL;
    fail_with = SOCKPORT_ENOTINIT;
    assert_sp_err(sockport_open_on(b, &s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_ENOTINIT);
    assert_int_equal(calls[S_OPEN], 0);
    assert_null(s);
    assert_sp_ok(sockport_open_on(b, &s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0));
    assert_int_equal(calls[S_INIT], 2);
    assert_sp_ok(sockport_close(s));
}

static void test_close_rejects_null(void **state)
{
    (void)state;
    assert_sp_err(sockport_close(NULL), SOCKPORT_EINVAL);
}

static void test_close_frees_the_handle_even_when_the_backend_fails(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    fail_with = SOCKPORT_EBADF;
    assert_sp_err(sockport_close(s), SOCKPORT_EBADF);
    assert_int_equal(live_blocks, 0);
}

/* ---- pair ---------------------------------------------------------------- */

static void test_pair_answers_enotsup_from_the_default_slot(void **state)
{
    (void)state;
    sockport_socket *p[2] = {NULL, NULL};
    assert_sp_err(sockport_pair_on(fake, p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_ENOTSUP);
    assert_null(p[0]);
    assert_null(p[1]);
}

static void test_pair_frees_the_first_handle_when_the_second_allocation_fails(void **state)
{
    (void)state;
    sockport_socket *p[2] = {NULL, NULL};
    sockport_socket *warm = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    allocs_until_failure = 2;
    assert_sp_err(sockport_pair_on(fake, p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_ENOMEM);
    assert_sp_ok(sockport_close(warm));
}

static void test_pair_rejects_bad_arguments(void **state)
{
    (void)state;
    sockport_socket *p[2] = {NULL, NULL};
    assert_sp_err(sockport_pair_on(fake, NULL, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0),
                  SOCKPORT_EINVAL);
    assert_sp_err(sockport_pair_on(fake, p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0,
                                   SOCKPORT_F_REGISTERED_IO),
                  SOCKPORT_EINVAL);
    assert_sp_err(sockport_pair(p, 9, SOCKPORT_SOCK_STREAM, 0, 0), SOCKPORT_EINVAL);
    assert_int_equal(total_calls(), 0);
}

/* ---- connection setup ---------------------------------------------------- */

static void test_bind_and_connect_reject_null_and_foreign_addresses(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET6, SOCKPORT_SOCK_STREAM);
    sockport_addr v4 = loopback4();
    sockport_addr empty;
    memset(&empty, 0, sizeof empty);
    int before = total_calls();
    assert_sp_err(sockport_bind(s, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_bind(NULL, &v4), SOCKPORT_EINVAL);
    assert_sp_err(sockport_bind(s, &empty), SOCKPORT_EINVAL);
    assert_sp_err(sockport_bind(s, &v4), SOCKPORT_EAFNOSUPPORT);
    assert_sp_err(sockport_connect(s, &v4), SOCKPORT_EAFNOSUPPORT);
    assert_sp_err(sockport_connect_timeout(s, &v4, 10), SOCKPORT_EAFNOSUPPORT);
    assert_sp_err(sockport_send_to(s, "x", 1, 0, &v4), SOCKPORT_EAFNOSUPPORT);
    assert_int_equal(total_calls(), before);
    assert_sp_ok(sockport_close(s));
}

static void test_bind_and_connect_dispatch_a_matching_address(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_addr a = loopback4();
    assert_sp_ok(sockport_bind(s, &a));
    assert_sp_ok(sockport_connect(s, &a));
    assert_sp_ok(sockport_connect_timeout(s, &a, 250));
    assert_int_equal(calls[S_BIND], 1);
    assert_int_equal(calls[S_CONNECT], 1);
    assert_int_equal(calls[S_CONNECT_TIMEOUT], 1);
    assert_int_equal(last_i64, 250);
    assert_sp_ok(sockport_close(s));
}

static void test_connect_timeout_rejects_negative_timeouts(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_addr a = loopback4();
    assert_sp_err(sockport_connect_timeout(s, &a, -1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_connect_timeout(s, &a, INT64_MIN), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_CONNECT_TIMEOUT], 0);
    assert_sp_ok(sockport_close(s));
}

static void test_listen_rejects_negative_backlog(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    assert_sp_err(sockport_listen(s, -1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_listen(NULL, 5), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_LISTEN], 0);
    assert_sp_ok(sockport_listen(s, INT_MAX));
    assert_int_equal(last_int, INT_MAX);
    assert_sp_ok(sockport_close(s));
}

static void test_accept_rejects_bad_arguments_before_allocating(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *c = NULL;
    assert_sp_err(sockport_accept(s, NULL, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_accept(NULL, &c, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_accept(s, &c, NULL, SOCKPORT_F_REGISTERED_IO), SOCKPORT_EINVAL);
    assert_sp_err(sockport_accept(s, &c, NULL, 0x80), SOCKPORT_EINVAL);
    assert_int_equal(live_blocks, 1);
    assert_int_equal(calls[S_ACCEPT], 0);
    assert_null(c);
    assert_sp_ok(sockport_close(s));
}

static void test_accept_failure_frees_the_new_handle(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *c = NULL;
    fail_with = SOCKPORT_EAGAIN;
    assert_sp_err(sockport_accept(s, &c, NULL, 0), SOCKPORT_EAGAIN);
    assert_null(c);
    assert_int_equal(live_blocks, 1);
    assert_sp_ok(sockport_close(s));
}

static void test_accept_copies_the_listener_identity_and_flags(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET6, SOCKPORT_SOCK_STREAM);
    sockport_socket *c = NULL;
    assert_sp_ok(sockport_accept(s, &c, NULL, SOCKPORT_F_NONBLOCK));
    assert_non_null(c);
    assert_int_equal(last_int, SOCKPORT_F_NONBLOCK);
    assert_int_equal(sockport_socket_family(c), SOCKPORT_AF_INET6);
    bool nb = false;
    assert_sp_ok(sockport_get_nonblocking(c, &nb));
    assert_true(nb);
    assert_sp_ok(sockport_close(c));
    assert_sp_ok(sockport_close(s));
}

static void test_accept_reports_enomem_before_the_backend_accepts(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *c = NULL;
    allocs_until_failure = 1;
    assert_sp_err(sockport_accept(s, &c, NULL, 0), SOCKPORT_ENOMEM);
    assert_int_equal(calls[S_ACCEPT], 0);
    assert_sp_ok(sockport_close(s));
}

static void test_address_queries_reject_null_output(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_addr a;
    assert_sp_err(sockport_local_addr(s, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_peer_addr(s, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_local_addr(NULL, &a), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_LOCAL] + calls[S_PEER], 0);
    assert_sp_ok(sockport_local_addr(s, &a));
    assert_sp_ok(sockport_peer_addr(s, &a));
    assert_int_equal(calls[S_LOCAL] + calls[S_PEER], 2);
    assert_sp_ok(sockport_close(s));
}

static void test_try_clone_starts_with_the_remembered_blocking_mode(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *c = NULL;
    bool nb = false;
    assert_sp_ok(sockport_set_nonblocking(s, true));
    assert_sp_ok(sockport_try_clone(s, &c));
    assert_int_equal(calls[S_CLONE], 1);
    assert_sp_ok(sockport_get_nonblocking(c, &nb));
    assert_true(nb);
    assert_sp_ok(sockport_close(c));
    fail_with = SOCKPORT_EMFILE;
    c = NULL;
    assert_sp_err(sockport_try_clone(s, &c), SOCKPORT_EMFILE);
    assert_null(c);
    assert_sp_ok(sockport_close(s));
}

static void test_set_nonblocking_is_remembered_only_when_the_backend_succeeds(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    bool nb = true;
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_false(nb);
    fail_with = SOCKPORT_EBADF;
    assert_sp_err(sockport_set_nonblocking(s, true), SOCKPORT_EBADF);
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_false(nb);
    assert_sp_ok(sockport_set_nonblocking(s, true));
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_true(nb);
    assert_sp_ok(sockport_set_nonblocking(s, false));
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_false(nb);
    assert_sp_err(sockport_get_nonblocking(s, NULL), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_close(s));
}

static void test_shutdown_rejects_unknown_modes(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    assert_sp_err(sockport_shutdown(s, -1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_shutdown(s, 3), SOCKPORT_EINVAL);
    assert_sp_err(sockport_shutdown(NULL, SOCKPORT_SHUT_RD), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_SHUTDOWN], 0);
    assert_sp_ok(sockport_shutdown(s, SOCKPORT_SHUT_RDWR));
    assert_int_equal(last_int, SOCKPORT_SHUT_RDWR);
    assert_sp_ok(sockport_close(s));
}

static void test_take_error_dispatches_and_rejects_null(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    assert_sp_err(sockport_take_error(NULL), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_take_error(s));
    assert_int_equal(calls[S_TAKE_ERROR], 1);
    assert_sp_ok(sockport_close(s));
}

/* ---- data transfer ------------------------------------------------------- */

static void test_send_rejects_bad_buffers_and_flags(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    assert_sp_err(sockport_send(NULL, "x", 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send(s, NULL, 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send(s, "x", (size_t)PTRDIFF_MAX + 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send(s, "x", SIZE_MAX, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send(s, "x", 1, SOCKPORT_MSG_PEEK), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send(s, "x", 1, 1 << 20), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send(s, "x", 1, -1), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_SEND], 0);
    assert_sp_ok(sockport_send(s, NULL, 0, 0));
    assert_int_equal(sockport_send(s, "xy", 2, SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT), 2);
    assert_int_equal(last_int, SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT);
    assert_sp_ok(sockport_close(s));
}

static void test_recv_rejects_bad_buffers_and_flags(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    char buf[4];
    sockport_addr from;
    int oflags = -1;
    assert_sp_err(sockport_recv(s, NULL, 4, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recv(s, buf, 4, SOCKPORT_MSG_TRUNC), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recv_from(s, buf, (size_t)PTRDIFF_MAX + 1, 0, &from), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recv_from_flags(NULL, buf, 4, 0, &from, &oflags), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recv_from_flags(s, buf, 4, SOCKPORT_MSG_CTRUNC, NULL, &oflags),
                  SOCKPORT_EINVAL);
    assert_int_equal(calls[S_RECV], 0);
    assert_int_equal(oflags, -1);
    int all = SOCKPORT_MSG_PEEK | SOCKPORT_MSG_OOB | SOCKPORT_MSG_DONTWAIT | SOCKPORT_MSG_WAITALL;
    assert_int_equal(sockport_recv_from_flags(s, buf, 4, all, NULL, &oflags), 4);
    assert_int_equal(last_int, all);
    assert_int_equal(oflags, 0);
    assert_int_equal(sockport_recv(s, buf, 3, 0), 3);
    assert_int_equal(sockport_recv_from(s, buf, 2, 0, &from), 2);
    assert_sp_ok(sockport_close(s));
}

static void test_send_to_rejects_a_null_destination(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    sockport_addr a = loopback4();
    assert_sp_err(sockport_send_to(s, "x", 1, 0, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_send_to(s, NULL, 1, 0, &a), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_SEND], 0);
    assert_int_equal(sockport_send_to(s, "x", 1, 0, &a), 1);
    assert_sp_ok(sockport_close(s));
}

/* ---- options ------------------------------------------------------------- */

static void test_options_reject_unknown_numbers(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    int v = 0;
    bool b = false;
    int before = total_calls();
    const int bad[] = {0, -1, SOCKPORT_OPT_MAX_ + 1, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_sp_err(sockport_set_int(s, bad[i], 1), SOCKPORT_EINVAL);
        assert_sp_err(sockport_get_int(s, bad[i], &v), SOCKPORT_EINVAL);
        assert_sp_err(sockport_set_bool(s, bad[i], true), SOCKPORT_EINVAL);
        assert_sp_err(sockport_get_bool(s, bad[i], &b), SOCKPORT_EINVAL);
        assert_sp_err(sockport_option_supported(s, bad[i]), SOCKPORT_EINVAL);
        assert_null(sockport_option_name(bad[i]));
    }
    assert_int_equal(total_calls(), before);
    assert_sp_ok(sockport_close(s));
}

static void test_options_check_kind_range_and_read_only(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    bool b = false;
    int before = total_calls();
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_TCP_NODELAY, 2), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_IP_TTL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_IP_TTL, 256), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_SO_RCVBUF, -1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_SO_TYPE, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_SO_ERROR, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_bool(s, SOCKPORT_OPT_SO_ACCEPTCONN, true), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_bool(s, SOCKPORT_OPT_IP_TTL, true), SOCKPORT_EINVAL);
    assert_sp_err(sockport_get_bool(s, SOCKPORT_OPT_SO_RCVBUF, &b), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_int(s, SOCKPORT_OPT_SO_RCVTIMEO, 5), SOCKPORT_EINVAL);
    assert_sp_err(sockport_get_bool(s, SOCKPORT_OPT_TCP_NODELAY, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_get_int(s, SOCKPORT_OPT_IP_TTL, NULL), SOCKPORT_EINVAL);
    assert_int_equal(total_calls(), before);
    assert_sp_ok(sockport_close(s));
}

static void test_options_answer_enoprotoopt_for_another_family_or_type(void **state)
{
    (void)state;
    sockport_socket *u = open_fake(SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM);
    sockport_socket *d = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    sockport_socket *v6 = open_fake(SOCKPORT_AF_INET6, SOCKPORT_SOCK_STREAM);
    int before = total_calls();
    assert_sp_err(sockport_set_bool(u, SOCKPORT_OPT_TCP_NODELAY, true), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_set_bool(d, SOCKPORT_OPT_TCP_NODELAY, true), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_set_int(v6, SOCKPORT_OPT_IP_TTL, 9), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_set_bool(d, SOCKPORT_OPT_IPV6_V6ONLY, true), SOCKPORT_ENOPROTOOPT);
    assert_int_equal(sockport_option_supported(u, SOCKPORT_OPT_TCP_NODELAY), 0);
    assert_int_equal(total_calls(), before);
    assert_sp_ok(sockport_close(u));
    assert_sp_ok(sockport_close(d));
    assert_sp_ok(sockport_close(v6));
}

static void test_options_dispatch_normalised_values(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    bool b = false;
    int v = 0;
    assert_sp_ok(sockport_set_bool(s, SOCKPORT_OPT_TCP_NODELAY, true));
    assert_int_equal(last_int, 1);
    assert_sp_ok(sockport_set_int(s, SOCKPORT_OPT_IP_TTL, 255));
    assert_int_equal(last_int, 255);
    assert_sp_ok(sockport_get_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, &b));
    assert_true(b);
    assert_sp_ok(sockport_get_int(s, SOCKPORT_OPT_SO_TYPE, &v));
    assert_int_equal(v, 7);
    assert_int_equal(sockport_option_supported(s, SOCKPORT_OPT_TCP_NODELAY), 1);
    assert_int_equal(sockport_option_supported(s, SOCKPORT_OPT_SO_KEEPALIVE), 0);
    assert_string_equal(sockport_option_name(SOCKPORT_OPT_TCP_NODELAY), "TCP_NODELAY");
    assert_sp_ok(sockport_close(s));
}

static void test_get_bool_leaves_output_untouched_on_failure(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    bool b = true;
    fail_with = SOCKPORT_ENOTSUP;
    assert_sp_err(sockport_get_bool(s, SOCKPORT_OPT_SO_KEEPALIVE, &b), SOCKPORT_ENOTSUP);
    assert_true(b);
    assert_sp_ok(sockport_close(s));
}

static void test_timeouts_reject_negative_and_dispatch_milliseconds(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    int64_t ms = 0;
    assert_sp_err(sockport_set_recv_timeout(s, -1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_send_timeout(NULL, 5), SOCKPORT_EINVAL);
    assert_sp_err(sockport_get_recv_timeout(s, NULL), SOCKPORT_EINVAL);
    assert_int_equal(calls[S_SET_TIMEOUT] + calls[S_GET_TIMEOUT], 0);
    assert_sp_ok(sockport_set_send_timeout(s, INT64_MAX));
    assert_true(last_i64 == INT64_MAX);
    assert_sp_ok(sockport_set_recv_timeout(s, 0));
    assert_true(last_i64 == 0);
    assert_sp_ok(sockport_get_send_timeout(s, &ms));
    assert_true(ms == 1234);
    assert_sp_ok(sockport_close(s));
}

/* ---- registry ------------------------------------------------------------ */

static void test_register_rejects_incomplete_tables(void **state)
{
    (void)state;
    sockport_backend t = fake_table;
    const sockport_backend *out = NULL;
    assert_sp_err(sockport_backend_register(NULL, &out), SOCKPORT_EINVAL);
    t.name = "other";
    t.version = 0;
    assert_sp_err(sockport_backend_register(&t, &out), SOCKPORT_EINVAL);
    t.version = SOCKPORT_BACKEND_VERSION + 1;
    assert_sp_err(sockport_backend_register(&t, &out), SOCKPORT_EINVAL);
    t.version = SOCKPORT_BACKEND_VERSION;
    t.send = NULL;
    assert_sp_err(sockport_backend_register(&t, &out), SOCKPORT_EINVAL);
    t.send = fake_table.send;
    t.name = "";
    assert_sp_err(sockport_backend_register(&t, &out), SOCKPORT_EINVAL);
    t.name = NULL;
    assert_sp_err(sockport_backend_register(&t, &out), SOCKPORT_EINVAL);
    assert_null(out);
}

static void test_register_refuses_a_taken_name(void **state)
{
    (void)state;
    assert_sp_err(sockport_backend_register(&fake_table, NULL), SOCKPORT_EEXIST);
}

static void test_register_copies_the_table_and_fills_default_slots(void **state)
{
    (void)state;
    sockport_backend t = fake_table;
    const sockport_backend *reg = NULL;
    t.name = "copy";
    assert_sp_ok(sockport_backend_register(&t, &reg));
    t.open = NULL;
    assert_ptr_equal(reg->open, f_open);
    assert_non_null(reg->pair);
    assert_non_null(reg->if_nametoindex);
    uint32_t idx = 0;
    assert_sp_err(reg->if_nametoindex(reg, "eth0", &idx), SOCKPORT_ENOTSUP);
    assert_ptr_equal(sockport_backend_find("copy"), reg);
    assert_null(sockport_backend_find("missing"));
    assert_null(sockport_backend_find(NULL));
}

static void test_registry_reports_enospc_when_full(void **state)
{
    (void)state;
    static char names[SOCKPORT_BACKEND_MAX][8];
    sockport_backend t = fake_table;
    int rc = 0;
    for (int i = 0; i < SOCKPORT_BACKEND_MAX && rc == 0; i++) {
        names[i][0] = 'b';
        names[i][1] = (char)('a' + i);
        t.name = names[i];
        rc = sockport_backend_register(&t, NULL);
    }
    assert_sp_err(rc, SOCKPORT_ENOSPC);
}

static void test_default_backend_is_the_builtin_and_can_be_changed(void **state)
{
    (void)state;
    const sockport_backend *def = sockport_backend_default();
    assert_non_null(def);
#ifdef _WIN32
    assert_string_equal(def->name, "winsock");
    assert_non_null(sockport_backend_winsock());
    assert_null(sockport_backend_posix());
#else
    assert_string_equal(def->name, "posix");
    assert_non_null(sockport_backend_posix());
    assert_null(sockport_backend_winsock());
#endif
    assert_ptr_equal(sockport_backend_find(def->name), def);
    assert_sp_err(sockport_backend_set_default(&fake_table), SOCKPORT_EINVAL);
    assert_sp_err(sockport_backend_set_default(NULL), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_backend_set_default(fake));
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open(&s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0));
    assert_ptr_equal(sockport_socket_backend(s), fake);
    assert_sp_ok(sockport_close(s));
    assert_sp_ok(sockport_backend_set_default(def));
}

static void test_socket_accessors_reject_null(void **state)
{
    (void)state;
    assert_null(sockport_socket_state(NULL));
    assert_null(sockport_socket_backend(NULL));
    assert_sp_err(sockport_socket_family(NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_socket_type(NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_socket_protocol(NULL), SOCKPORT_EINVAL);
}

/* ---- allocator and version ----------------------------------------------- */

static void test_allocator_rejects_a_partial_table(void **state)
{
    (void)state;
    sockport_allocator a = {count_alloc, NULL, NULL};
    assert_sp_err(sockport_set_allocator(&a), SOCKPORT_EINVAL);
    a.alloc = NULL;
    a.free = count_free;
    assert_sp_err(sockport_set_allocator(&a), SOCKPORT_EINVAL);
}

static void test_version_matches_the_header(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SOCKPORT_VERSION_MAJOR, SOCKPORT_VERSION_MINOR,
             SOCKPORT_VERSION_PATCH);
    assert_string_equal(sockport_version(), want);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_rejects_null_out_before_dispatch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_rejects_unknown_family_type_protocol_and_flags,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_rejects_a_backend_that_is_not_registered, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_gives_the_backend_a_zeroed_aligned_state_block,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_runs_backend_init_once_lazily, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_failure_frees_the_handle_and_keeps_the_os_code,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_reports_enomem_without_calling_the_backend, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_init_failure_is_returned_and_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_rejects_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_frees_the_handle_even_when_the_backend_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pair_answers_enotsup_from_the_default_slot, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_pair_frees_the_first_handle_when_the_second_allocation_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pair_rejects_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_and_connect_reject_null_and_foreign_addresses,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_and_connect_dispatch_a_matching_address, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_connect_timeout_rejects_negative_timeouts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_listen_rejects_negative_backlog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_rejects_bad_arguments_before_allocating, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_accept_failure_frees_the_new_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accept_copies_the_listener_identity_and_flags, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_accept_reports_enomem_before_the_backend_accepts,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_queries_reject_null_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_try_clone_starts_with_the_remembered_blocking_mode,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_set_nonblocking_is_remembered_only_when_the_backend_succeeds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shutdown_rejects_unknown_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_take_error_dispatches_and_rejects_null, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_send_rejects_bad_buffers_and_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recv_rejects_bad_buffers_and_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_to_rejects_a_null_destination, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_reject_unknown_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_check_kind_range_and_read_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_options_answer_enoprotoopt_for_another_family_or_type,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_dispatch_normalised_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_bool_leaves_output_untouched_on_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_timeouts_reject_negative_and_dispatch_milliseconds,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_rejects_incomplete_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_refuses_a_taken_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_copies_the_table_and_fills_default_slots,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_reports_enospc_when_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_backend_is_the_builtin_and_can_be_changed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_socket_accessors_reject_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocator_rejects_a_partial_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_matches_the_header, setup, teardown),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return SP_RUN_GROUP(tests, group_setup, NULL, SP_LEAK_FDS); /* own allocator per case */
}
