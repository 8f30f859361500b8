/*
 * The fault backend (sockport/fault.h) around the platform's own backend:
 * installing it, counting calls, each kind and mode of fault, the native
 * code recorded, the text form and SOCKPORT_FAULT, and that a failing call
 * leaves no socket, descriptor or block behind (the suite's leak check).
 * Loopback only, port 0.
 */
#ifndef _WIN32
#define _GNU_SOURCE
#endif

#include "sp_test.h"

#include "common/fault_slots.h"

#ifdef _WIN32
#include "backend-winsock/winsock.h"
#define native_to_sockport sockport__err_from_wsa
#else
#include "backend-posix/posix.h"
#include <pthread.h>
#define native_to_sockport sockport__err_from_errno
#endif

#include <stdlib.h>

#define V4     SOCKPORT_AF_INET
#define STREAM SOCKPORT_SOCK_STREAM
#define DGRAM  SOCKPORT_SOCK_DGRAM

static const sockport_backend *fault;

/* ---- helpers -------------------------------------------------------------- */

static void arm_text(const char *text)
{
    sockport_fault_rule r;
    assert_sp_ok(sockport_fault_parse(&r, text));
    assert_sp_ok(sockport_fault_arm(&r));
}

static sockport_socket *open_on_fault(int type)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open_on(fault, &s, V4, type, 0, 0));
    return s;
}

static sockport_addr bind_loopback(sockport_socket *s)
{
    sockport_addr a, got;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 0));
    assert_sp_ok(sockport_bind(s, &a));
    assert_sp_ok(sockport_local_addr(s, &got));
    return got;
}

typedef struct conn {
    sockport_socket *listener, *client, *server;
} conn;

/* A connected TCP pair on the fault backend (disarmed while it is made). */
static conn tcp_conn(void)
{
    conn c;
    sockport_fault_disarm();
    c.listener = open_on_fault(STREAM);
    sockport_addr where = bind_loopback(c.listener);
    assert_sp_ok(sockport_listen(c.listener, 4));
    c.client = open_on_fault(STREAM);
    assert_sp_ok(sockport_connect(c.client, &where));
    assert_sp_ok(sockport_accept(c.listener, &c.server, NULL, 0));
    return c;
}

static void conn_close(conn *c)
{
    sockport_fault_disarm();
    assert_sp_ok(sockport_close(c->server));
    assert_sp_ok(sockport_close(c->client));
    assert_sp_ok(sockport_close(c->listener));
}

/* ---- the table ---------------------------------------------------------------- */

static void test_fault_slot_list_covers_every_backend_slot(void **state)
{
    (void)state;
    size_t n = 0;
    while (sockport_fault_slot_name(n) != NULL)
        n++;
    size_t slots =
        (sizeof(sockport_backend) - offsetof(sockport_backend, init)) / sizeof(void (*)(void));
    if (n != slots)
        print_error("struct sockport_backend has %lu slots, FAULT_SLOTS lists %lu: add the new "
                    "slots to src/common/fault_slots.h\n",
                    (unsigned long)slots, (unsigned long)n);
    assert_int_equal(n, slots);
    assert_string_equal(sockport_fault_slot_name(0), "init");
    assert_int_equal(sockport_fault_natural_error("connect"), SOCKPORT_ECONNREFUSED);
    assert_int_equal(sockport_fault_natural_error("close"), SOCKPORT_ENETDOWN);
    assert_sp_err(sockport_fault_natural_error("cleanup"), SOCKPORT_EINVAL);
    assert_sp_err(sockport_fault_natural_error("*"), SOCKPORT_EINVAL);
    assert_sp_err(sockport_fault_natural_error("nope"), SOCKPORT_EINVAL);
    assert_sp_err(sockport_fault_natural_error(NULL), SOCKPORT_EINVAL);
    assert_string_equal(sockport_fault_slot_name(2), "open");
}

static void test_install_wraps_the_default_backend_with_its_state_size(void **state)
{
    (void)state;
    const sockport_backend *again = NULL, *def = sockport_backend_default();
    assert_string_equal(fault->name, "fault");
    assert_int_equal(fault->socket_size, def->socket_size);
    assert_ptr_equal(sockport_backend_find("fault"), fault);
    assert_sp_ok(sockport_fault_install(def, &again));
    assert_ptr_equal(again, fault);
    assert_sp_err(sockport_fault_install(NULL, &again), SOCKPORT_EINVAL);
    assert_sp_err(sockport_fault_install(fault, &again), SOCKPORT_EINVAL);
}

static int other_open(sockport_socket *s, int f, int t, int p, unsigned fl)
{
    (void)s, (void)f, (void)t, (void)p, (void)fl;
    return 0;
}

static int other_close(sockport_socket *s)
{
    (void)s;
    return 0;
}

static ptrdiff_t other_send(sockport_socket *s, const void *b, size_t n, int f,
                            const sockport_addr *to)
{
    (void)s, (void)b, (void)f, (void)to;
    return (ptrdiff_t)n;
}

static ptrdiff_t other_recv(sockport_socket *s, void *b, size_t n, int f, sockport_addr *from,
                            int *of)
{
    (void)s, (void)b, (void)n, (void)f, (void)from, (void)of;
    return 0;
}

static void test_install_refuses_a_second_inner_backend(void **state)
{
    (void)state;
    sockport_backend other = {.version = 1, .name = "fault-test-other", .socket_size = 8};
    const sockport_backend *reg = NULL, *out = NULL;
    other.open = other_open;
    other.close = other_close;
    other.send = other_send;
    other.recv = other_recv;
    assert_sp_ok(sockport_backend_register(&other, &reg));
    assert_sp_err(sockport_fault_install(reg, &out), SOCKPORT_EEXIST);
    assert_null(out);
}

/* ---- delegation and counting -------------------------------------------------- */

static void test_disarmed_fault_backend_passes_every_call_through(void **state)
{
    (void)state;
    char buf[8];
    conn c = tcp_conn();
    uint64_t made = sockport_fault_calls();
    assert_true(made >= 8); /* open x2, bind, local_addr, listen, connect, accept … */
    assert_int_equal(sockport_fault_slot_calls("accept"), 1);
    assert_int_equal(sockport_send(c.client, "ping", 4, 0), 4);
    assert_int_equal(sockport_recv(c.server, buf, sizeof buf, 0), 4);
    assert_memory_equal(buf, "ping", 4);
    assert_int_equal(sockport_option_supported(c.client, SOCKPORT_OPT_TCP_NODELAY), 1);
    assert_int_equal(sockport_fault_calls(), made + 2); /* option_supported is not counted */
    assert_int_equal(sockport_fault_injected(), 0);
    assert_null(sockport_fault_first_slot());
    conn_close(&c);
}

static void test_nth_call_of_a_slot_fails_once_with_its_natural_error_and_os_code(void **state)
{
    (void)state;
    sockport_socket *l = open_on_fault(STREAM), *c = open_on_fault(STREAM), *a = NULL;
    sockport_addr where = bind_loopback(l);
    assert_sp_ok(sockport_listen(l, 4));
    arm_text("connect:1");
    assert_sp_err(sockport_connect(c, &where), SOCKPORT_ECONNREFUSED);
    assert_int_equal(sockport_last_os_error(), sockport__fault_os_code(SOCKPORT_ECONNREFUSED));
    assert_int_equal(native_to_sockport(sockport_last_os_error()), SOCKPORT_ECONNREFUSED);
    assert_string_equal(sockport_fault_first_slot(), "connect");
    assert_sp_ok(sockport_connect(c, &where)); /* once: the next one reaches the system */
    assert_sp_ok(sockport_accept(l, &a, NULL, 0));
    assert_int_equal(sockport_fault_injected(), 1);
    assert_sp_ok(sockport_close(a));
    assert_sp_ok(sockport_close(c));
    assert_sp_ok(sockport_close(l));
}

static void test_persistent_rule_fails_the_nth_and_every_later_call(void **state)
{
    (void)state;
    sockport_socket *s = open_on_fault(STREAM);
    arm_text("take_error:2:persistent:EINTR");
    assert_int_equal(sockport_take_error(s), 0);
    for (int i = 0; i < 3; i++) {
        assert_sp_err(sockport_take_error(s), SOCKPORT_EINTR);
        assert_int_equal(native_to_sockport(sockport_last_os_error()), SOCKPORT_EINTR);
    }
    assert_int_equal(sockport_fault_injected(), 3);
    assert_int_equal(sockport_fault_slot_calls("take_error"), 4);
    sockport_fault_disarm();
    assert_sp_ok(sockport_close(s));
}

static void test_star_rule_counts_calls_of_every_slot(void **state)
{
    (void)state;
    sockport_socket *s = open_on_fault(DGRAM);
    bool nb = false;
    arm_text("*:3:once:EAGAIN");
    assert_sp_ok(sockport_set_nonblocking(s, true));                    /* 1 */
    assert_sp_ok(sockport_set_int(s, SOCKPORT_OPT_IP_TTL, 9));          /* 2 */
    assert_sp_err(sockport_set_nonblocking(s, false), SOCKPORT_EAGAIN); /* 3 */
    assert_sp_ok(sockport_get_nonblocking(s, &nb));
    assert_true(nb); /* a failed call changes nothing the core remembers */
    assert_string_equal(sockport_fault_first_slot(), "set_nonblocking");
    assert_int_equal(sockport_last_os_error(), sockport__fault_os_code(SOCKPORT_EAGAIN));
    assert_int_equal(sockport_fault_calls(), 3);
    assert_sp_ok(sockport_close(s));
}

static void test_close_fault_reports_the_error_and_still_releases_the_socket(void **state)
{
    (void)state;
    sockport_socket *s = open_on_fault(STREAM);
    arm_text("close:1");
    assert_sp_err(sockport_close(s), SOCKPORT_ENETDOWN);
    assert_int_equal(native_to_sockport(sockport_last_os_error()), SOCKPORT_ENETDOWN);
    /* the suite's leak check proves the descriptor and the block are gone */
}

static void test_failed_open_accept_pair_and_clone_leave_nothing_behind(void **state)
{
    (void)state;
    sockport_socket *out = NULL, *p[2] = {NULL, NULL};
    conn c = tcp_conn();
    arm_text("open:1");
    assert_sp_err(sockport_open_on(fault, &out, V4, STREAM, 0, 0), SOCKPORT_EMFILE);
    arm_text("try_clone:1:once:ENOMEM");
    assert_sp_err(sockport_try_clone(c.client, &out), SOCKPORT_ENOMEM);
    arm_text("accept:1");
    assert_sp_err(sockport_accept(c.listener, &out, NULL, 0), SOCKPORT_ECONNABORTED);
    arm_text("pair:1");
    assert_sp_err(sockport_pair_on(fault, p, SOCKPORT_AF_UNIX, STREAM, 0, 0), SOCKPORT_EMFILE);
    assert_null(out);
    assert_null(p[0]);
    assert_int_equal(sockport_fault_injected(), 1);
    conn_close(&c);
}

static void test_partial_send_passes_half_and_short_recv_asks_for_half(void **state)
{
    (void)state;
    char buf[16];
    conn c = tcp_conn();
    arm_text("send:1:once:partial");
    assert_int_equal(sockport_send(c.client, "0123456789", 10, 0), 5);
    assert_int_equal(sockport_send(c.client, "56789", 5, 0), 5);
    arm_text("recv:1:persistent:short");
    assert_int_equal(sockport_recv(c.server, buf, 10, 0), 5);
    assert_int_equal(sockport_recv(c.server, buf + 5, 5, 0), 2);
    assert_int_equal(sockport_recv(c.server, buf + 7, 3, 0), 1);
    assert_int_equal(sockport_recv(c.server, buf + 8, 1, 0), 1); /* len 1: passes through */
    assert_int_equal(sockport_fault_injected(), 3);
    assert_memory_equal(buf, "012345678", 9);
    conn_close(&c);
}

static void test_partial_and_short_never_split_a_datagram(void **state)
{
    (void)state;
    char buf[16];
    sockport_socket *a = open_on_fault(DGRAM), *b = open_on_fault(DGRAM);
    sockport_addr ba = bind_loopback(b);
    arm_text("send:1:persistent:partial");
    assert_int_equal(sockport_send_to(a, "datagram", 8, 0, &ba), 8);
    arm_text("recv:1:persistent:short");
    assert_int_equal(sockport_recv(b, buf, sizeof buf, 0), 8);
    assert_int_equal(sockport_fault_injected(), 0);
    assert_sp_ok(sockport_close(a));
    assert_sp_ok(sockport_close(b));
}

static void test_native_code_of_every_error_maps_back_to_it(void **state)
{
    (void)state;
    for (int e = -1; e >= SOCKPORT_ERRNO_MIN_; e--) {
        int os = sockport__fault_os_code(e);
        if (os != 0 && native_to_sockport(os) != e)
            print_error("%s: native %d maps to %s\n", sockport_err_name(e), os,
                        sockport_err_name(native_to_sockport(os)));
        assert_true(os == 0 || native_to_sockport(os) == e);
    }
    assert_int_not_equal(sockport__fault_os_code(SOCKPORT_EAGAIN), 0);
    assert_int_not_equal(sockport__fault_os_code(SOCKPORT_EINTR), 0);
}

static void test_explicit_os_code_is_recorded_as_given(void **state)
{
    (void)state;
    sockport_socket *s = open_on_fault(DGRAM);
    sockport_addr a;
    arm_text("local_addr:1:once:ENOBUFS:4242");
    assert_sp_err(sockport_local_addr(s, &a), SOCKPORT_ENOBUFS);
    assert_int_equal(sockport_last_os_error(), 4242);
    assert_sp_ok(sockport_close(s));
}

/* ---- init, address slots, threads ----------------------------------------- */

static void test_init_fault_is_returned_and_init_retried(void **state)
{
    (void)state;
    sockport_socket *s = NULL;
    arm_text("init:1");
    int rc = sockport_open_on(fault, &s, V4, DGRAM, 0, 0);
    if (rc == 0) {
        assert_sp_ok(sockport_close(s));
        assert_int_equal(sockport_fault_slot_calls("init"), 0);
        print_message("skipped: the fault backend was initialised by an earlier case\n");
        skip();
    }
    assert_sp_err(rc, SOCKPORT_ENOTINIT);
    assert_null(s);
    assert_sp_ok(sockport_open_on(fault, &s, V4, DGRAM, 0, 0));
    assert_int_equal(sockport_fault_slot_calls("init"), 2);
    assert_sp_ok(sockport_close(s));
}

static void test_as_default_backend_it_wraps_address_conversions(void **state)
{
    (void)state;
    const sockport_backend *before = sockport_backend_default();
    unsigned char native[128];
    size_t len = sizeof native;
    sockport_addr a, back;
    assert_sp_ok(sockport_addr_ip(&a, "127.0.0.1", 80));
    assert_sp_ok(sockport_backend_set_default(fault));
    sockport_fault_disarm();
    assert_sp_ok(sockport_addr_to_native(&a, native, &len));
    assert_sp_ok(sockport_addr_from_native(&back, native, len));
    assert_int_equal(sockport_addr_compare(&a, &back), 0);
    arm_text("addr_from_native:1");
    assert_sp_err(sockport_addr_from_native(&back, native, len), SOCKPORT_EAFNOSUPPORT);
    arm_text("if_nametoindex:1");
    assert_sp_err(sockport_addr_ip(&back, "fe80::1%nosuchif0", 0), SOCKPORT_ENODEV);
    assert_int_equal(sockport_fault_injected(), 1);
    assert_sp_ok(sockport_backend_set_default(before));
    sockport_fault_disarm();
}

static void test_a_version_2_slot_is_counted_and_can_fail(void **state)
{
    (void)state;
    conn c = tcp_conn();
    sockport_pollfd p = {c.server, SOCKPORT_POLLIN, 0};
    int inner_rc = sockport_poll(&p, 1, 0); /* whatever the inner backend answers */
    assert_int_equal(sockport_fault_slot_calls("poll"), 1);
    arm_text("poll:1:once:EINTR");
    assert_sp_err(sockport_poll(&p, 1, 0), SOCKPORT_EINTR);
    assert_int_equal(sockport_poll(&p, 1, 0), inner_rc);
    assert_int_equal(sockport_fault_injected(), 1);
    conn_close(&c);
}

#define THREAD_CALLS 2000

#ifdef _WIN32
static DWORD WINAPI hammer(LPVOID arg)
{
    for (int i = 0; i < THREAD_CALLS; i++)
        (void)sockport_take_error(arg);
    return 0;
}

static void run_two(sockport_socket *s)
{
    HANDLE h = CreateThread(NULL, 0, hammer, s, 0, NULL);
    assert_non_null(h);
    hammer(s);
    assert_int_equal(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
    CloseHandle(h);
}
#else
static void *hammer(void *arg)
{
    for (int i = 0; i < THREAD_CALLS; i++)
        (void)sockport_take_error(arg);
    return NULL;
}

static void run_two(sockport_socket *s)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hammer, s), 0);
    hammer(s);
    assert_int_equal(pthread_join(t, NULL), 0);
}
#endif

static void test_counts_are_exact_when_two_threads_call_at_once(void **state)
{
    (void)state;
    sockport_socket *s = open_on_fault(DGRAM);
    arm_text("take_error:1000:persistent:ECONNRESET");
    run_two(s);
    assert_int_equal(sockport_fault_slot_calls("take_error"), 2 * THREAD_CALLS);
    assert_int_equal(sockport_fault_injected(), 2 * THREAD_CALLS - 999);
    sockport_fault_disarm();
    assert_sp_ok(sockport_close(s));
}

/* ---- the suite ----------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    return sockport_fault_install(sockport_backend_default(), &fault) == 0 ? 0 : -1;
}

static int reset(void **state)
{
    (void)state;
    sockport_fault_disarm();
    return 0;
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(test_fault_slot_list_covers_every_backend_slot, reset),
    cmocka_unit_test_teardown(test_install_wraps_the_default_backend_with_its_state_size, reset),
    cmocka_unit_test_teardown(test_install_refuses_a_second_inner_backend, reset),
    cmocka_unit_test_teardown(test_disarmed_fault_backend_passes_every_call_through, reset),
    cmocka_unit_test_teardown(test_nth_call_of_a_slot_fails_once_with_its_natural_error_and_os_code,
                              reset),
    cmocka_unit_test_teardown(test_persistent_rule_fails_the_nth_and_every_later_call, reset),
    cmocka_unit_test_teardown(test_star_rule_counts_calls_of_every_slot, reset),
    cmocka_unit_test_teardown(test_close_fault_reports_the_error_and_still_releases_the_socket,
                              reset),
    cmocka_unit_test_teardown(test_failed_open_accept_pair_and_clone_leave_nothing_behind, reset),
    cmocka_unit_test_teardown(test_partial_send_passes_half_and_short_recv_asks_for_half, reset),
    cmocka_unit_test_teardown(test_partial_and_short_never_split_a_datagram, reset),
    cmocka_unit_test_teardown(test_native_code_of_every_error_maps_back_to_it, reset),
    cmocka_unit_test_teardown(test_explicit_os_code_is_recorded_as_given, reset),
    cmocka_unit_test_teardown(test_init_fault_is_returned_and_init_retried, reset),
    cmocka_unit_test_teardown(test_as_default_backend_it_wraps_address_conversions, reset),
    cmocka_unit_test_teardown(test_a_version_2_slot_is_counted_and_can_fail, reset),
    cmocka_unit_test_teardown(test_counts_are_exact_when_two_threads_call_at_once, reset),
};

SP_TEST_MAIN(tests, group_setup, NULL)
