/*
 * The branches of src/common/addr*.c that test_addr.c and test_addr_format.c
 * leave untaken (reliability.md R6: 100% lines and branches on the address
 * code), each a case of the documented contract: bytes above 0x7e and the
 * separators in an interface-name zone, and the defensive clamp of a corrupt
 * Unix length in sockport_addr_compare().
 */
#include "sp_test.h"

static void test_zone_name_with_a_byte_above_ascii_is_einval(void **state)
{
    (void)state;
    sockport_addr a, before;
    memset(&a, 0xab, sizeof a);
    before = a;
    assert_sp_err(sockport_addr_ip(&a, "fe80::1%eth\x80", 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip(&a, "fe80::1%e\x7f", 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_parse(&a, "[ff02::1%lo\xff]:1"), SOCKPORT_EINVAL);
    assert_memory_equal(&a, &before, sizeof a);
}

static void test_zone_name_stops_at_every_separator(void **state)
{
    (void)state;
    static const char *const bad[] = {"fe80::1%e%0", "fe80::1%e/64", "fe80::1%e:1", "fe80::1%e[",
                                      "fe80::1%e]"};
    sockport_addr a;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_sp_err(sockport_addr_ip(&a, bad[i], 0), SOCKPORT_EINVAL);
}

static void test_compare_clamps_a_corrupt_unix_length(void **state)
{
    (void)state;
    sockport_addr a, b;
    assert_sp_ok(sockport_addr_unix(&a, "/tmp/x"));
    assert_sp_ok(sockport_addr_unix(&b, "/tmp/x"));
    a.len_ = b.len_ = 60000; /* only a corrupted value can say this */
    assert_int_equal(sockport_addr_compare(&a, &b), 0);
    b.u_.path[SOCKPORT_UNIX_PATH_MAX - 1] = 'z';
    assert_int_equal(sockport_addr_compare(&a, &b), -1);
    assert_int_equal(sockport_addr_compare(&b, &a), 1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_zone_name_with_a_byte_above_ascii_is_einval),
    cmocka_unit_test(test_zone_name_stops_at_every_separator),
    cmocka_unit_test(test_compare_clamps_a_corrupt_unix_length),
};

SP_TEST_MAIN(tests, NULL, NULL)
