/*
 * The core's version-2 entry points (message I/O, batches, poll, shaped
 * options, native handles, resolution) against a fake backend that counts
 * slot calls: every bad argument is refused before dispatch, and a
 * version-1 table still registers with ENOTSUP defaults for the new slots.
 */
#include "sp_test.h"

#include "sockport/backend.h"

#include <limits.h>

static int calls;        /* v2 slot calls */
static int resolve_hits; /* backend resolve calls */
static const sockport_backend *fake;

static int f_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    (void)s, (void)family, (void)type, (void)protocol, (void)flags;
    return 0;
}

static int f_close(sockport_socket *s)
{
    (void)s;
    return 0;
}

static ptrdiff_t f_send(sockport_socket *s, const void *b, size_t n, int f, const sockport_addr *t)
{
    (void)s, (void)b, (void)f, (void)t;
    return (ptrdiff_t)n;
}

static ptrdiff_t f_recv(sockport_socket *s, void *b, size_t n, int f, sockport_addr *from, int *of)
{
    static const uint8_t lo[4] = {127, 0, 0, 1};
    (void)s, (void)b, (void)f;
    if (from != NULL)
        sockport_addr_ipv4(from, lo, 4242);
    if (of != NULL)
        *of = 0;
    return (ptrdiff_t)n;
}

static ptrdiff_t f_sendmsg(sockport_socket *s, const sockport_msghdr *m, int f)
{
    (void)s, (void)f;
    calls++;
    ptrdiff_t total = 0;
    for (size_t i = 0; i < m->iovlen; i++)
        total += (ptrdiff_t)m->iov[i].len;
    return total;
}

static ptrdiff_t f_recvmsg(sockport_socket *s, sockport_msghdr *m, int f)
{
    (void)s, (void)f;
    calls++;
    m->flags = SOCKPORT_MSG_TRUNC;
    return 3;
}

static int f_mmsg(sockport_socket *s, sockport_mmsghdr *m, size_t n, int f)
{
    (void)s, (void)m, (void)f;
    calls++;
    return (int)n;
}

static int f_poll(const sockport_backend *self, sockport_pollfd *fds, size_t n, int64_t ms)
{
    (void)self, (void)fds, (void)ms;
    calls++;
    return (int)n;
}

static int f_resolve(const sockport_backend *self, const char *host, const char *service,
                     const sockport_resolve_hints *hints, sockport_addr *out, size_t cap)
{
    (void)self, (void)host, (void)service, (void)hints, (void)out, (void)cap;
    resolve_hits++;
    return SOCKPORT_EAI_NONAME;
}

static int f_adopt(sockport_socket *s, sockport_native h, int *family, int *type, int *protocol)
{
    (void)s;
    calls++;
    if (h == 99)
        return SOCKPORT_ENOTSOCK;
    *family = SOCKPORT_AF_INET6;
    *type = SOCKPORT_SOCK_DGRAM;
    *protocol = SOCKPORT_IPPROTO_UDP;
    return 0;
}

static int f_release(sockport_socket *s, sockport_native *out)
{
    (void)s;
    calls++;
    *out = 7;
    return 0;
}

static int f_multicast(sockport_socket *s, int op, const sockport_addr *group,
                       const sockport_addr *source, const sockport_addr *iface, uint32_t idx)
{
    (void)s, (void)op, (void)group, (void)source, (void)iface, (void)idx;
    calls++;
    return 0;
}

static int f_linger(sockport_socket *s, bool on, int seconds)
{
    (void)s, (void)on, (void)seconds;
    calls++;
    return 0;
}

static int f_keepalive(sockport_socket *s, bool on, int64_t idle, int64_t intvl, int retries)
{
    (void)s, (void)on, (void)idle, (void)intvl, (void)retries;
    calls++;
    return 0;
}

static int f_raw_set(sockport_socket *s, int level, int name, const void *v, size_t n)
{
    (void)s, (void)level, (void)name, (void)v, (void)n;
    calls++;
    return 0;
}

static int f_set_str(sockport_socket *s, int opt, const char *v)
{
    (void)s, (void)opt, (void)v;
    calls++;
    return 0;
}

static const sockport_backend fake_table = {
    .version = SOCKPORT_BACKEND_VERSION,
    .name = "fake2",
    .socket_size = 16,
    .open = f_open,
    .close = f_close,
    .send = f_send,
    .recv = f_recv,
    .sendmsg = f_sendmsg,
    .recvmsg = f_recvmsg,
    .sendmmsg = f_mmsg,
    .recvmmsg = f_mmsg,
    .poll = f_poll,
    .resolve = f_resolve,
    .adopt = f_adopt,
    .release = f_release,
    .multicast = f_multicast,
    .set_linger = f_linger,
    .set_keepalive = f_keepalive,
    .setsockopt_raw = f_raw_set,
    .set_str = f_set_str,
};

static int group_setup(void **state)
{
    (void)state;
    if (sockport_backend_register(&fake_table, &fake) != 0)
        return -1;
    return sockport_backend_set_default(fake);
}

static sockport_socket *open_fake(int family, int type)
{
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open_on(fake, &s, family, type, 0, 0));
    calls = 0;
    return s;
}

static sockport_addr v4(const char *text)
{
    sockport_addr a;
    assert_sp_ok(sockport_addr_parse(&a, text));
    return a;
}

static void test_vectored_calls_reject_bad_arrays_before_dispatch(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    char buf[4];
    sockport_iovec ok[2] = {{buf, 2}, {buf, 2}};
    sockport_iovec null_base[1] = {{NULL, 1}};
    sockport_iovec huge[2] = {{buf, (size_t)PTRDIFF_MAX}, {buf, 1}};
    assert_sp_err(sockport_sendv(s, NULL, 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendv(s, ok, SOCKPORT_IOV_MAX + 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendv(s, null_base, 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendv(s, huge, 2, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendv(s, ok, 2, SOCKPORT_MSG_PEEK), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recvv(s, ok, 2, SOCKPORT_MSG_TRUNC, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendv(NULL, ok, 2, 0), SOCKPORT_EINVAL);
    assert_int_equal(calls, 0);
    assert_int_equal(sockport_sendv(s, ok, 2, 0), 4);
    assert_int_equal(sockport_sendv(s, NULL, 0, 0), 0);
    assert_int_equal(calls, 2);
    assert_sp_ok(sockport_close(s));
}

static void test_recv_fromv_reports_the_backend_flags(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    char buf[4];
    sockport_iovec iov[1] = {{buf, sizeof buf}};
    int of = 0;
    assert_int_equal(sockport_recvv(s, iov, 1, 0, &of), 3);
    assert_int_equal(of, SOCKPORT_MSG_TRUNC);
    assert_sp_ok(sockport_close(s));
}

static void test_sendmsg_checks_destination_family_and_control(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET6, SOCKPORT_SOCK_DGRAM);
    sockport_addr to = v4("127.0.0.1:9");
    sockport_msghdr m = {&to, NULL, 0, NULL, 0, 0};
    assert_sp_err(sockport_sendmsg(s, &m, 0), SOCKPORT_EAFNOSUPPORT);
    m.name = NULL;
    m.controllen = 8;
    assert_sp_err(sockport_sendmsg(s, &m, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendmsg(s, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recvmsg(s, NULL, 0), SOCKPORT_EINVAL);
    assert_int_equal(calls, 0);
    assert_sp_ok(sockport_close(s));
}

static void test_batches_reject_empty_oversized_and_malformed(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    sockport_mmsghdr msgs[2];
    sockport_addr to6;
    memset(msgs, 0, sizeof msgs);
    assert_sp_ok(sockport_addr_parse(&to6, "[::1]:9"));
    assert_sp_err(sockport_sendmmsg(s, msgs, 0, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_sendmmsg(s, NULL, 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_recvmmsg(s, msgs, SOCKPORT_MMSG_MAX + 1, 0), SOCKPORT_EINVAL);
    msgs[1].hdr.iovlen = 1; /* iov NULL with a count */
    assert_sp_err(sockport_recvmmsg(s, msgs, 2, 0), SOCKPORT_EINVAL);
    msgs[1].hdr.iovlen = 0;
    msgs[1].hdr.name = &to6;
    assert_sp_err(sockport_sendmmsg(s, msgs, 2, 0), SOCKPORT_EAFNOSUPPORT);
    assert_sp_err(sockport_recvmmsg(s, msgs, 1, 1 << 12), SOCKPORT_EINVAL);
    assert_int_equal(calls, 0);
    assert_int_equal(sockport_recvmmsg(s, msgs, 2, 0), 2);
    assert_sp_ok(sockport_close(s));
}

static void test_poll_rejects_mixed_backends_bad_events_and_timeouts(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    sockport_socket *other = NULL;
    const sockport_backend *def =
        sockport_backend_find(sockport_backend_posix() != NULL ? "posix" : "winsock");
    assert_sp_ok(sockport_open_on(def, &other, SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0, 0));
    sockport_pollfd fds[2] = {{s, SOCKPORT_POLLIN, 0}, {other, SOCKPORT_POLLIN, 0}};
    assert_sp_err(sockport_poll(fds, 2, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_poll(NULL, 1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_poll(fds, 1, -2), SOCKPORT_EINVAL);
    assert_sp_err(sockport_poll(fds, SOCKPORT_POLL_MAX + 1, 0), SOCKPORT_EINVAL);
    fds[0].events = SOCKPORT_POLLHUP;
    assert_sp_err(sockport_poll(fds, 1, 0), SOCKPORT_EINVAL);
    assert_int_equal(calls, 0);
    fds[0].events = SOCKPORT_POLLIN;
    fds[1].socket = NULL;
    assert_int_equal(sockport_poll(fds, 2, -1), 2);
    assert_sp_ok(sockport_close(other));
    assert_sp_ok(sockport_close(s));
}

static void test_peek_sender_uses_a_zero_length_peek(void **state)
{
    (void)state;
    sockport_socket *s = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    sockport_addr a;
    assert_sp_err(sockport_peek_sender(s, NULL), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_peek_sender(s, &a));
    assert_int_equal(sockport_addr_port(&a), 4242);
    assert_sp_ok(sockport_close(s));
}

static void test_shaped_options_validate_before_dispatch(void **state)
{
    (void)state;
    sockport_socket *tcp = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *unix_s = open_fake(SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM);
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_sp_err(sockport_set_linger(tcp, true, -1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_linger(tcp, true, 65536), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_tcp_keepalive(tcp, true, -1, 0, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_tcp_keepalive(unix_s, true, 1000, 0, 0), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_setsockopt_raw(tcp, 1, 2, NULL, 4), SOCKPORT_EINVAL);
    assert_sp_err(sockport_setsockopt_raw(tcp, 1, 2, big, 65537), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_str(tcp, SOCKPORT_OPT_TCP_CONGESTION, big), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_str(tcp, SOCKPORT_OPT_TCP_NODELAY, "x"), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_str(unix_s, SOCKPORT_OPT_TCP_CONGESTION, "cubic"),
                  SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_attach_filter(tcp, NULL, 1), SOCKPORT_EINVAL);
    assert_int_equal(calls, 0);
    assert_sp_ok(sockport_set_linger(tcp, true, 65535));
    assert_sp_ok(sockport_set_tcp_keepalive(tcp, true, 1000, 1000, 3));
    assert_sp_ok(sockport_set_str(tcp, SOCKPORT_OPT_TCP_CONGESTION, "cubic"));
    assert_sp_ok(sockport_setsockopt_raw(tcp, 1, 2, NULL, 0));
    assert_int_equal(calls, 4);
    assert_sp_err(sockport_get_cookie(tcp, (uint64_t[1]){0}), SOCKPORT_ENOTSUP);
    assert_sp_ok(sockport_close(tcp));
    assert_sp_ok(sockport_close(unix_s));
}

static void test_multicast_checks_families_and_socket_type(void **state)
{
    (void)state;
    sockport_socket *udp = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM);
    sockport_socket *tcp = open_fake(SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM);
    sockport_socket *udp6 = open_fake(SOCKPORT_AF_INET6, SOCKPORT_SOCK_DGRAM);
    sockport_addr g = v4("239.1.2.3:0"), lo = v4("127.0.0.1:0"), g6;
    assert_sp_ok(sockport_addr_parse(&g6, "[ff02::1]:0"));
    assert_sp_err(sockport_join_multicast(udp, NULL, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_join_multicast(udp, &g6, NULL, 0), SOCKPORT_EAFNOSUPPORT);
    assert_sp_err(sockport_join_multicast(udp6, &g6, &lo, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_join_multicast(tcp, &g, NULL, 0), SOCKPORT_ENOPROTOOPT);
    assert_sp_err(sockport_join_source_multicast(udp, &g, NULL, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_set_multicast_if_v4(udp6, &lo), SOCKPORT_ENOPROTOOPT);
    assert_int_equal(calls, 0);
    assert_sp_ok(sockport_join_multicast(udp, &g, &lo, 0));
    assert_sp_ok(sockport_leave_multicast(udp6, &g6, NULL, 1));
    assert_sp_ok(sockport_join_source_multicast(udp, &g, &lo, NULL, 0));
    assert_int_equal(calls, 3);
    assert_sp_ok(sockport_close(udp));
    assert_sp_ok(sockport_close(tcp));
    assert_sp_ok(sockport_close(udp6));
}

static void test_from_native_takes_identity_from_the_backend(void **state)
{
    (void)state;
    sockport_socket *s = (sockport_socket *)&calls;
    sockport_native h = 0;
    assert_sp_err(sockport_from_native(NULL, 3, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_from_native(&s, -1, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_from_native(&s, 3, SOCKPORT_F_INHERIT), SOCKPORT_EINVAL);
    assert_sp_err(sockport_from_native(&s, 99, 0), SOCKPORT_ENOTSOCK);
    assert_ptr_equal(s, (sockport_socket *)&calls);
    assert_sp_ok(sockport_from_native(&s, 3, SOCKPORT_F_NONBLOCK));
    assert_int_equal(sockport_family(s), SOCKPORT_AF_INET6);
    assert_int_equal(sockport_type(s), SOCKPORT_SOCK_DGRAM);
    assert_int_equal(sockport_protocol(s), SOCKPORT_IPPROTO_UDP);
    assert_sp_ok(sockport_release(s, &h));
    assert_int_equal(h, 7);
}

static void test_resolve_answers_literals_without_the_backend(void **state)
{
    (void)state;
    sockport_addr out[4];
    char text[SOCKPORT_ADDRSTRLEN];
    sockport_resolve_hints v6only = {SOCKPORT_AF_INET6, 0, 0, 0};
    assert_int_equal(sockport_resolve("192.0.2.7", "443", NULL, out, 4), 1);
    assert_sp_ok(sockport_addr_format(&out[0], text, sizeof text));
    assert_string_equal(text, "192.0.2.7:443");
    assert_int_equal(sockport_resolve("::1", NULL, NULL, out, 4), 1);
    assert_sp_err(sockport_resolve("192.0.2.7", "1", &v6only, out, 4), SOCKPORT_EAI_NONAME);
    assert_int_equal(resolve_hits, 0);
}

static void test_resolve_passive_null_host_gives_wildcards_in_order(void **state)
{
    (void)state;
    sockport_addr out[4];
    char text[SOCKPORT_ADDRSTRLEN];
    sockport_resolve_hints passive = {0, 0, 0, SOCKPORT_AI_PASSIVE};
    assert_int_equal(sockport_resolve(NULL, "80", &passive, out, 4), 2);
    assert_sp_ok(sockport_addr_format(&out[0], text, sizeof text));
    assert_string_equal(text, "0.0.0.0:80");
    assert_sp_ok(sockport_addr_format(&out[1], text, sizeof text));
    assert_string_equal(text, "[::]:80");
    assert_int_equal(sockport_resolve(NULL, "80", NULL, out, 1), 1);
    assert_sp_ok(sockport_addr_format(&out[0], text, sizeof text));
    assert_string_equal(text, "127.0.0.1:80");
    assert_int_equal(resolve_hits, 0);
}

static void test_resolve_rejects_bad_hints_and_numeric_violations(void **state)
{
    (void)state;
    sockport_addr out[2];
    sockport_resolve_hints h = {9, 0, 0, 0};
    assert_sp_err(sockport_resolve("a", "1", &h, out, 2), SOCKPORT_EINVAL);
    h.family = 0;
    h.flags = 1u << 9;
    assert_sp_err(sockport_resolve("a", "1", &h, out, 2), SOCKPORT_EINVAL);
    assert_sp_err(sockport_resolve(NULL, NULL, NULL, out, 2), SOCKPORT_EINVAL);
    assert_sp_err(sockport_resolve("a", "1", NULL, out, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_resolve("a", "1", NULL, NULL, 1), SOCKPORT_EINVAL);
    h.flags = SOCKPORT_AI_NUMERICSERV;
    assert_sp_err(sockport_resolve("127.0.0.1", "http", &h, out, 2), SOCKPORT_EAI_NONAME);
    h.flags = SOCKPORT_AI_NUMERICHOST;
    assert_sp_err(sockport_resolve("example.invalid", "1", &h, out, 2), SOCKPORT_EAI_NONAME);
    assert_int_equal(resolve_hits, 0);
    assert_sp_err(sockport_resolve("example.invalid", "1", NULL, out, 2), SOCKPORT_EAI_NONAME);
    assert_int_equal(resolve_hits, 1);
}

static void test_cmsg_append_and_next_round_trip(void **state)
{
    (void)state;
    _Alignas(8) unsigned char buf[64];
    size_t used = 0, off = 0, len = 0;
    int tos = 0x10, type = 0;
    const void *data = NULL;
    assert_sp_ok(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TOS, &tos, sizeof tos));
    assert_int_equal(used, SOCKPORT_CMSG_SPACE(sizeof tos));
    assert_sp_ok(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_HOPLIMIT, &tos, 4));
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 1);
    assert_int_equal(type, SOCKPORT_CMSG_TOS);
    assert_int_equal(len, sizeof tos);
    assert_memory_equal(data, &tos, sizeof tos);
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 1);
    assert_int_equal(type, SOCKPORT_CMSG_HOPLIMIT);
    assert_int_equal(sockport_cmsg_next(buf, used, &off, &type, &data, &len), 0);
}

static void test_cmsg_helpers_refuse_overflow_and_corruption(void **state)
{
    (void)state;
    _Alignas(8) unsigned char buf[32];
    size_t used = 0, off = 0, len = 0;
    int type = 0;
    const void *data = NULL;
    char payload[32] = {0};
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, SOCKPORT_CMSG_TOS, payload, 32),
                  SOCKPORT_ENOSPC);
    assert_int_equal(used, 0);
    assert_sp_err(sockport_cmsg_append(buf, sizeof buf, &used, 0, payload, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_cmsg_append(buf + 1, 16, &used, SOCKPORT_CMSG_TOS, payload, 1),
                  SOCKPORT_EINVAL);
    sockport_cmsg bad = {SOCKPORT_CMSG_TOS, 1000};
    memcpy(buf, &bad, sizeof bad);
    assert_sp_err(sockport_cmsg_next(buf, sizeof buf, &off, &type, &data, &len), SOCKPORT_EINVAL);
    off = 3;
    assert_sp_err(sockport_cmsg_next(buf, sizeof buf, &off, &type, &data, &len), SOCKPORT_EINVAL);
}

static void test_version_one_tables_get_enotsup_for_new_slots(void **state)
{
    (void)state;
    sockport_backend t = {0};
    const sockport_backend *reg = NULL;
    t.version = 1;
    t.name = "old";
    t.open = f_open;
    t.close = f_close;
    t.send = f_send;
    t.recv = f_recv;
    t.sendmsg = f_sendmsg; /* beyond a v1 table: must be ignored */
    assert_sp_ok(sockport_backend_register(&t, &reg));
    assert_int_equal(reg->version, SOCKPORT_BACKEND_VERSION);
    sockport_socket *s = NULL;
    assert_sp_ok(sockport_open_on(reg, &s, SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0, 0));
    calls = 0;
    assert_sp_err(sockport_sendv(s, NULL, 0, 0), SOCKPORT_ENOTSUP);
    assert_int_equal(calls, 0);
    assert_sp_err(sockport_set_linger(s, false, 0), SOCKPORT_ENOTSUP);
    assert_sp_ok(sockport_close(s));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectored_calls_reject_bad_arrays_before_dispatch),
        cmocka_unit_test(test_recv_fromv_reports_the_backend_flags),
        cmocka_unit_test(test_sendmsg_checks_destination_family_and_control),
        cmocka_unit_test(test_batches_reject_empty_oversized_and_malformed),
        cmocka_unit_test(test_poll_rejects_mixed_backends_bad_events_and_timeouts),
        cmocka_unit_test(test_peek_sender_uses_a_zero_length_peek),
        cmocka_unit_test(test_shaped_options_validate_before_dispatch),
        cmocka_unit_test(test_multicast_checks_families_and_socket_type),
        cmocka_unit_test(test_from_native_takes_identity_from_the_backend),
        cmocka_unit_test(test_resolve_answers_literals_without_the_backend),
        cmocka_unit_test(test_resolve_passive_null_host_gives_wildcards_in_order),
        cmocka_unit_test(test_resolve_rejects_bad_hints_and_numeric_violations),
        cmocka_unit_test(test_cmsg_append_and_next_round_trip),
        cmocka_unit_test(test_cmsg_helpers_refuse_overflow_and_corruption),
        cmocka_unit_test(test_version_one_tables_get_enotsup_for_new_slots),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return SP_RUN_GROUP(tests, group_setup, NULL, SP_LEAK_ALL);
}
