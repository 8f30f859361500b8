/*
 * The POSIX backend's two error maps, table-driven and without a socket:
 * errno → SOCKPORT_E* (every errno it knows, the aliases some systems give
 * distinct numbers, unknown values) and getaddrinfo's EAI_* → SOCKPORT_E*;
 * and that every portable code but the Windows-only ENOTINIT can come out of
 * one of them.
 */
#define _GNU_SOURCE

#include "sp_test.h"

#include "backend-posix/posix.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>

typedef struct mapping {
    int os; /* errno value */
    const char *os_name;
    int want;      /* SOCKPORT_E* */
    int same_name; /* 1 when the portable code carries the errno's name */
} mapping;

#define SAME(e)                                                                                    \
    {                                                                                              \
        e, #e, SOCKPORT_##e, 1                                                                     \
    }
#define ALIAS(e, code)                                                                             \
    {                                                                                              \
        e, #e, SOCKPORT_##code, 0                                                                  \
    }

static const mapping table[] = {
    SAME(EINVAL),
    SAME(ENOMEM),
    SAME(ENOTSUP),
    ALIAS(EOPNOTSUPP, ENOTSUP),
    ALIAS(ENOSYS, ENOTSUP),
    SAME(EAGAIN),
    ALIAS(EWOULDBLOCK, EAGAIN),
    SAME(EINTR),
    SAME(ECONNREFUSED),
    SAME(ECONNRESET),
    SAME(ECONNABORTED),
    SAME(ETIMEDOUT),
    SAME(EADDRINUSE),
    SAME(EADDRNOTAVAIL),
    SAME(EAFNOSUPPORT),
#ifdef EPFNOSUPPORT
    ALIAS(EPFNOSUPPORT, EAFNOSUPPORT),
#endif
    SAME(EPROTONOSUPPORT),
    SAME(EPROTOTYPE),
#ifdef ESOCKTNOSUPPORT
    SAME(ESOCKTNOSUPPORT),
#endif
    SAME(ENOTCONN),
    ALIAS(EDESTADDRREQ, ENOTCONN),
    SAME(EISCONN),
    SAME(EINPROGRESS),
    SAME(EALREADY),
    SAME(EPIPE),
    SAME(EMSGSIZE),
    SAME(ENOBUFS),
    SAME(EMFILE),
    SAME(ENFILE),
    SAME(EACCES),
    SAME(EPERM),
    SAME(ENETUNREACH),
    SAME(EHOSTUNREACH),
    SAME(ENETDOWN),
    SAME(ENETRESET),
#ifdef EHOSTDOWN
    SAME(EHOSTDOWN),
#endif
    SAME(ENOSPC),
    SAME(ENOENT),
    SAME(EBADF),
    SAME(ENOTSOCK),
    SAME(ENOPROTOOPT),
    SAME(ENAMETOOLONG),
    SAME(ENODEV),
    ALIAS(ENXIO, ENODEV),
    SAME(ENOTDIR),
    SAME(EROFS),
    SAME(ELOOP),
    SAME(EEXIST),
#ifdef ESHUTDOWN
    SAME(ESHUTDOWN),
#endif
    SAME(EPROTO),
    SAME(ECANCELED),
    SAME(EFAULT),
};

#define TABLE_LEN (sizeof table / sizeof table[0])

/* getaddrinfo's codes: SAME_EAI when the portable code carries the name. */
#define SAME_EAI(e)                                                                                \
    {                                                                                              \
        e, #e, SOCKPORT_##e, 1                                                                     \
    }

static const mapping gai_table[] = {
    SAME_EAI(EAI_NONAME),
    SAME_EAI(EAI_AGAIN),
    SAME_EAI(EAI_FAIL),
    SAME_EAI(EAI_SERVICE),
    SAME_EAI(EAI_FAMILY),
#if defined(EAI_NODATA) && EAI_NODATA != EAI_NONAME
    SAME_EAI(EAI_NODATA),
#endif
#if defined(EAI_ADDRFAMILY) && EAI_ADDRFAMILY != EAI_FAMILY
    ALIAS(EAI_ADDRFAMILY, EAI_NODATA),
#endif
    ALIAS(EAI_MEMORY, ENOMEM),
    ALIAS(EAI_BADFLAGS, EINVAL),
    ALIAS(EAI_SOCKTYPE, ESOCKTNOSUPPORT),
#ifdef EAI_OVERFLOW
    ALIAS(EAI_OVERFLOW, ENOSPC),
#endif
};

#define GAI_LEN (sizeof gai_table / sizeof gai_table[0])

/* 1 when some row of either map gives want. */
static int reachable(int want)
{
    for (size_t i = 0; i < TABLE_LEN; i++) {
        if (table[i].want == want)
            return 1;
    }
    for (size_t i = 0; i < GAI_LEN; i++) {
        if (gai_table[i].want == want)
            return 1;
    }
    return 0;
}

static void test_every_known_errno_maps_to_its_portable_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        int got = sockport__err_from_errno(table[i].os);
        if (got != table[i].want)
            print_error("%s (%d): want %s, got %s\n", table[i].os_name, table[i].os,
                        sockport_err_name(table[i].want), sockport_err_name(got));
        assert_int_equal(got, table[i].want);
    }
}

static void test_direct_mappings_keep_the_errno_name(void **state)
{
    (void)state;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        if (table[i].same_name)
            assert_string_equal(sockport_err_name(table[i].want), table[i].os_name);
    }
}

static void test_every_mapped_code_has_a_name_and_a_message(void **state)
{
    (void)state;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        assert_true(table[i].want < 0 && table[i].want >= SOCKPORT_ERRNO_MIN_);
        assert_string_not_equal(sockport_err_name(table[i].want), "EUNKNOWN");
        assert_string_not_equal(sockport_strerror(table[i].want), "unknown error");
    }
}

static void test_unknown_errno_values_map_to_eunknown(void **state)
{
    (void)state;
    static const int unknown[] = {0,       -1,  -EINVAL, 4095, 99999, INT_MAX,
                                  INT_MIN, EIO, ENOTTY,  EDOM, ERANGE};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(sockport__err_from_errno(unknown[i]), SOCKPORT_EUNKNOWN);
}

static void test_aliases_map_like_their_twins(void **state)
{
    (void)state;
    assert_int_equal(sockport__err_from_errno(EWOULDBLOCK), sockport__err_from_errno(EAGAIN));
    assert_int_equal(sockport__err_from_errno(EOPNOTSUPP), sockport__err_from_errno(ENOTSUP));
}

/* Every portable code can come out of one of the maps, but the Windows-only
 * ENOTINIT (WSANOTINITIALISED has no errno twin). */
static void test_every_portable_code_but_enotinit_is_reachable(void **state)
{
    (void)state;
#define REACHABLE(name, value, msg)                                                                \
    if ((value) != SOCKPORT_ENOTINIT && (value) != SOCKPORT_EUNKNOWN) {                            \
        if (!reachable(value))                                                                     \
            print_error("no errno or EAI code maps to SOCKPORT_%s\n", #name);                      \
        assert_true(reachable(value));                                                             \
    }
    SOCKPORT_ERRNO_MAP(REACHABLE)
#undef REACHABLE
}

static void test_every_known_eai_code_maps_to_its_portable_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < GAI_LEN; i++) {
        int got = sockport__err_from_gai(gai_table[i].os);
        if (got != gai_table[i].want)
            print_error("%s (%d): want %s, got %s\n", gai_table[i].os_name, gai_table[i].os,
                        sockport_err_name(gai_table[i].want), sockport_err_name(got));
        assert_int_equal(got, gai_table[i].want);
        if (gai_table[i].same_name)
            assert_string_equal(sockport_err_name(got), gai_table[i].os_name);
    }
}

/* EAI_SYSTEM carries its cause in errno, which the resolver maps with the
 * errno map; the pure EAI map cannot, and says EUNKNOWN. No errno ever gives
 * a resolver code. */
static void test_eai_system_and_unknown_eai_codes_map_to_eunknown(void **state)
{
    (void)state;
    assert_int_equal(sockport__err_from_gai(EAI_SYSTEM), SOCKPORT_EUNKNOWN);
    assert_int_equal(sockport__err_from_gai(0), SOCKPORT_EUNKNOWN);
    assert_int_equal(sockport__err_from_gai(INT_MIN), SOCKPORT_EUNKNOWN);
    assert_int_equal(sockport__err_from_gai(INT_MAX), SOCKPORT_EUNKNOWN);
    for (int e = 0; e < 4096; e++) {
        int got = sockport__err_from_errno(e);
        assert_false(got >= SOCKPORT_EAI_NODATA && got <= SOCKPORT_EAI_NONAME);
    }
}

static void test_fail_helper_records_the_os_code(void **state)
{
    (void)state;
    assert_int_equal(sockport__posix_fail(ECONNRESET), SOCKPORT_ECONNRESET);
    assert_int_equal(sockport_last_os_error(), ECONNRESET);
    assert_int_equal(sockport__posix_fail(EIO), SOCKPORT_EUNKNOWN);
    assert_int_equal(sockport_last_os_error(), EIO);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_known_errno_maps_to_its_portable_code),
    cmocka_unit_test(test_direct_mappings_keep_the_errno_name),
    cmocka_unit_test(test_every_mapped_code_has_a_name_and_a_message),
    cmocka_unit_test(test_unknown_errno_values_map_to_eunknown),
    cmocka_unit_test(test_aliases_map_like_their_twins),
    cmocka_unit_test(test_every_portable_code_but_enotinit_is_reachable),
    cmocka_unit_test(test_every_known_eai_code_maps_to_its_portable_code),
    cmocka_unit_test(test_eai_system_and_unknown_eai_codes_map_to_eunknown),
    cmocka_unit_test(test_fail_helper_records_the_os_code),
};

SP_TEST_MAIN(tests, NULL, NULL)
