/*
 * The fault backend around a fake inner backend that records every slot
 * call: each public call reaches the inner slot of the same name with the
 * same sockport_socket and unchanged arguments, the state block is the
 * inner backend's size, and a fault replaces exactly the call it hits.
 */
#include "sp_test.h"

#include "sockport/fault.h"

#define V4     SOCKPORT_AF_INET
#define STREAM SOCKPORT_SOCK_STREAM

typedef struct fake_state {
    int opened;
    char pad[100]; /* an odd size: the fault table must copy it */
} fake_state;

static const sockport_backend *fault, *fake;
static const char *last_slot;   /* the last inner slot called */
static sockport_socket *last_s; /* the socket it received */
static long long last_arg;      /* its most telling argument */
static const sockport_backend *last_self;

static int record(const char *slot, sockport_socket *s, long long arg)
{
    last_slot = slot;
    last_s = s;
    last_arg = arg;
    return 0;
}

static int f_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    ((fake_state *)sockport_socket_state(s))->opened = 1;
    (void)family, (void)type, (void)protocol;
    return record("open", s, flags);
}

static int f_close(sockport_socket *s)
{
    return record("close", s, 0);
}

static int f_listen(sockport_socket *s, int backlog)
{
    return record("listen", s, backlog);
}

static int f_connect_timeout(sockport_socket *s, const sockport_addr *a, int64_t ms)
{
    (void)a;
    return record("connect_timeout", s, ms);
}

static int f_try_clone(sockport_socket *s, sockport_socket *out)
{
    ((fake_state *)sockport_socket_state(out))->opened = 2;
    return record("try_clone", s, 0);
}

static int f_shutdown(sockport_socket *s, int how)
{
    return record("shutdown", s, how);
}

static ptrdiff_t f_send(sockport_socket *s, const void *buf, size_t len, int flags,
                        const sockport_addr *to)
{
    (void)buf, (void)flags, (void)to;
    record("send", s, (long long)len);
    return (ptrdiff_t)len;
}

static ptrdiff_t f_recv(sockport_socket *s, void *buf, size_t len, int flags, sockport_addr *from,
                        int *out_flags)
{
    (void)from;
    memset(buf, 'r', len);
    if (out_flags != NULL)
        *out_flags = 0;
    record("recv", s, flags);
    return (ptrdiff_t)len;
}

static int f_set_timeout(sockport_socket *s, int opt, int64_t ms)
{
    (void)opt;
    return record("set_timeout", s, ms);
}

static int f_option_supported(sockport_socket *s, int opt)
{
    record("option_supported", s, opt);
    return 1;
}

static int f_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n, int64_t timeout_ms)
{
    last_self = self;
    record("poll", fds[0].socket, timeout_ms);
    fds[0].revents = fds[0].events;
    return (int)n;
}

static const sockport_backend fake_table = {
    .version = SOCKPORT_BACKEND_VERSION,
    .name = "fake-inner",
    .socket_size = sizeof(fake_state),
    .open = f_open,
    .close = f_close,
    .listen = f_listen,
    .connect_timeout = f_connect_timeout,
    .try_clone = f_try_clone,
    .shutdown = f_shutdown,
    .send = f_send,
    .recv = f_recv,
    .set_timeout = f_set_timeout,
    .option_supported = f_option_supported,
    .poll = f_poll,
};

static sockport_socket *open_fault(void)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open_on(fault, &s, V4, STREAM, 0, SOCKPORT_F_NONBLOCK));
    assert_string_equal(last_slot, "open");
    assert_ptr_equal(last_s, s);
    assert_int_equal(last_arg, SOCKPORT_F_NONBLOCK);
    assert_int_equal(((fake_state *)sockport_socket_state(s))->opened, 1);
    return s;
}

static void expect(const char *slot, sockport_socket *s, long long arg)
{
    assert_string_equal(last_slot, slot);
    assert_ptr_equal(last_s, s);
    assert_int_equal(last_arg, arg);
}

static void test_fault_table_has_the_inner_state_size_and_its_own_name(void **state)
{
    (void)state;
    assert_string_equal(fault->name, "fault");
    assert_int_equal(fault->socket_size, sizeof(fake_state));
    assert_ptr_equal(sockport_socket_backend(NULL), NULL);
}

static void test_each_call_reaches_the_inner_slot_with_the_same_socket(void **state)
{
    (void)state;
    sockport_socket *s = open_fault(), *c = NULL;
    sockport_addr a;
    char buf[4];
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 9));
    assert_ptr_equal(sockport_socket_backend(s), fault);
    assert_sp_ok(sockport_listen(s, 17));
    expect("listen", s, 17);
    assert_sp_ok(sockport_connect_timeout(s, &a, 1234));
    expect("connect_timeout", s, 1234);
    assert_sp_ok(sockport_shutdown(s, SOCKPORT_SHUT_WR));
    expect("shutdown", s, SOCKPORT_SHUT_WR);
    assert_int_equal(sockport_send(s, "abc", 3, 0), 3);
    expect("send", s, 3);
    assert_int_equal(sockport_recv(s, buf, 4, SOCKPORT_MSG_PEEK), 4);
    expect("recv", s, SOCKPORT_MSG_PEEK);
    assert_sp_ok(sockport_set_recv_timeout(s, 250));
    expect("set_timeout", s, 250);
    assert_int_equal(sockport_option_supported(s, SOCKPORT_OPT_TCP_NODELAY), 1);
    expect("option_supported", s, SOCKPORT_OPT_TCP_NODELAY);
    assert_sp_ok(sockport_try_clone(s, &c));
    expect("try_clone", s, 0);
    assert_int_equal(((fake_state *)sockport_socket_state(c))->opened, 2);
    assert_sp_ok(sockport_close(c));
    expect("close", c, 0);
    assert_sp_ok(sockport_close(s));
    assert_int_equal(sockport_fault_slot_calls("listen"), 1);
}

static void test_a_slot_taking_the_backend_gets_the_inner_table(void **state)
{
    (void)state;
    sockport_socket *s = open_fault();
    sockport_pollfd p = {s, SOCKPORT_POLLIN, 0};
    assert_int_equal(sockport_poll(&p, 1, 5), 1);
    expect("poll", s, 5);
    assert_ptr_equal(last_self, fake);
    assert_int_equal(p.revents, SOCKPORT_POLLIN);
    assert_sp_ok(sockport_close(s));
}

static void test_a_slot_the_inner_backend_lacks_answers_enotsup_through_the_fault(void **state)
{
    (void)state;
    sockport_socket *s = open_fault();
    assert_sp_err(sockport_take_error(s), SOCKPORT_ENOTSUP);
    assert_int_equal(sockport_fault_slot_calls("take_error"), 1);
    assert_sp_ok(sockport_close(s));
}

static void test_a_fault_replaces_the_call_it_hits_and_no_other(void **state)
{
    (void)state;
    sockport_socket *s = open_fault();
    sockport_fault_rule r = SOCKPORT_FAULT_RULE_INIT;
    r.slot = "listen";
    r.nth = 2;
    assert_sp_ok(sockport_fault_arm(&r));
    assert_sp_ok(sockport_listen(s, 1));
    expect("listen", s, 1);
    last_slot = NULL;
    assert_sp_err(sockport_listen(s, 2), SOCKPORT_EADDRINUSE);
    assert_null(last_slot); /* the inner slot was not called */
    assert_sp_ok(sockport_shutdown(s, SOCKPORT_SHUT_RD));
    expect("shutdown", s, SOCKPORT_SHUT_RD);
    r.slot = "close";
    r.nth = 1;
    assert_sp_ok(sockport_fault_arm(&r));
    assert_sp_err(sockport_close(s), SOCKPORT_ENETDOWN);
    expect("close", s, 0); /* released all the same */
    sockport_fault_disarm();
}

static int group_setup(void **state)
{
    (void)state;
    if (sockport_backend_register(&fake_table, &fake) != 0)
        return -1;
    return sockport_fault_install(fake, &fault) == 0 ? 0 : -1;
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fault_table_has_the_inner_state_size_and_its_own_name),
    cmocka_unit_test(test_each_call_reaches_the_inner_slot_with_the_same_socket),
    cmocka_unit_test(test_a_slot_taking_the_backend_gets_the_inner_table),
    cmocka_unit_test(test_a_slot_the_inner_backend_lacks_answers_enotsup_through_the_fault),
    cmocka_unit_test(test_a_fault_replaces_the_call_it_hits_and_no_other),
};

SP_TEST_MAIN(tests, group_setup, NULL)
