/*
 * The WinSock backend's WSAGetLastError() → SOCKPORT_E* map, table-driven
 * and without a socket: every WSAE* code winsock2.h defines (those left
 * unknown on purpose included), the Win32 ERROR_* codes that leak through,
 * unknown values, purity, and the failure helper that records the OS code.
 */
#include "sp_test.h"

#include "backend-winsock/winsock.h"

#include <limits.h>

typedef struct mapping {
    int os; /* WSA or Win32 code */
    const char *os_name;
    int want;      /* SOCKPORT_E* */
    int same_name; /* 1 when the portable code is the WSA name without "WSA" */
} mapping;

#define SAME(e)                                                                                    \
    {                                                                                              \
        WSA##e, "WSA" #e, SOCKPORT_##e, 1                                                          \
    }
#define MAP(c, code)                                                                               \
    {                                                                                              \
        c, #c, SOCKPORT_##code, 0                                                                  \
    }

static const mapping table[] = {
    SAME(EINTR),
    SAME(EBADF),
    SAME(EACCES),
    SAME(EFAULT),
    SAME(EINVAL),
    SAME(EMFILE),
    MAP(WSAEWOULDBLOCK, EAGAIN),
    SAME(EINPROGRESS),
    SAME(EALREADY),
    SAME(ENOTSOCK),
    MAP(WSAEDESTADDRREQ, ENOTCONN),
    SAME(EMSGSIZE),
    SAME(EPROTOTYPE),
    SAME(ENOPROTOOPT),
    SAME(EPROTONOSUPPORT),
    SAME(ESOCKTNOSUPPORT),
    MAP(WSAEOPNOTSUPP, ENOTSUP),
    MAP(WSAEPFNOSUPPORT, EAFNOSUPPORT),
    SAME(EAFNOSUPPORT),
    SAME(EADDRINUSE),
    SAME(EADDRNOTAVAIL),
    SAME(ENETDOWN),
    SAME(ENETUNREACH),
    SAME(ENETRESET),
    SAME(ECONNABORTED),
    SAME(ECONNRESET),
    SAME(ENOBUFS),
    SAME(EISCONN),
    SAME(ENOTCONN),
    MAP(WSAESHUTDOWN, EPIPE),
    MAP(WSAETOOMANYREFS, ENOBUFS),
    SAME(ETIMEDOUT),
    SAME(ECONNREFUSED),
    SAME(ELOOP),
    SAME(ENAMETOOLONG),
    SAME(EHOSTDOWN),
    SAME(EHOSTUNREACH),
    MAP(WSAENOTEMPTY, EUNKNOWN), /* a file-system code WinSock never returns for sockets */
    MAP(WSAEPROCLIM, ENOTINIT),
    MAP(WSAEUSERS, EUNKNOWN),
    MAP(WSAEDQUOT, EUNKNOWN),
    MAP(WSAESTALE, EUNKNOWN),
    MAP(WSAEREMOTE, EUNKNOWN),
    MAP(WSASYSNOTREADY, ENOTINIT),
    MAP(WSAVERNOTSUPPORTED, ENOTINIT),
    MAP(WSANOTINITIALISED, ENOTINIT),
    MAP(WSAEDISCON, ESHUTDOWN),
    MAP(WSAENOMORE, ENOENT),
    MAP(WSAECANCELLED, ECANCELED),
    MAP(WSAEINVALIDPROCTABLE, ENOTINIT),
    MAP(WSAEINVALIDPROVIDER, ENOTINIT),
    MAP(WSAEPROVIDERFAILEDINIT, ENOTINIT),
    MAP(WSASYSCALLFAILURE, EUNKNOWN),
    MAP(WSASERVICE_NOT_FOUND, ENOENT),
    MAP(WSATYPE_NOT_FOUND, EAI_SERVICE),
    MAP(WSA_E_NO_MORE, ENOENT),
    MAP(WSA_E_CANCELLED, ECANCELED),
    MAP(WSAEREFUSED, EACCES),
    MAP(WSAHOST_NOT_FOUND, EAI_NONAME),
    MAP(WSATRY_AGAIN, EAI_AGAIN),
    MAP(WSANO_RECOVERY, EAI_FAIL),
    MAP(WSANO_DATA, EAI_NODATA),
    /* Win32 codes that come through WinSock, AFD and the AF_UNIX provider */
    MAP(ERROR_FILE_NOT_FOUND, ENOENT),
    MAP(ERROR_PATH_NOT_FOUND, ENOENT),
    MAP(ERROR_TOO_MANY_OPEN_FILES, EMFILE),
    MAP(ERROR_ACCESS_DENIED, EACCES),
    MAP(WSA_INVALID_HANDLE, EBADF),
    MAP(WSA_NOT_ENOUGH_MEMORY, ENOMEM),
    MAP(ERROR_OUTOFMEMORY, ENOMEM),
    MAP(ERROR_WRITE_PROTECT, EROFS),
    MAP(ERROR_NOT_SUPPORTED, ENOTSUP),
    MAP(ERROR_DEV_NOT_EXIST, ENODEV),
    MAP(ERROR_NETNAME_DELETED, ECONNRESET),
    MAP(ERROR_NETWORK_ACCESS_DENIED, EACCES),
    MAP(ERROR_FILE_EXISTS, EEXIST),
    MAP(WSA_INVALID_PARAMETER, EINVAL),
    MAP(ERROR_BROKEN_PIPE, EPIPE),
    MAP(ERROR_CALL_NOT_IMPLEMENTED, ENOTSUP),
    MAP(ERROR_SEM_TIMEOUT, ETIMEDOUT),
    MAP(ERROR_INSUFFICIENT_BUFFER, ENOSPC),
    MAP(ERROR_ALREADY_EXISTS, EEXIST),
    MAP(ERROR_FILENAME_EXCED_RANGE, ENAMETOOLONG),
    MAP(ERROR_NO_DATA, EPIPE),
    MAP(ERROR_MORE_DATA, EMSGSIZE),
    MAP(ERROR_DIRECTORY, ENOTDIR),
    MAP(WSA_OPERATION_ABORTED, ECANCELED),
    MAP(WSA_IO_INCOMPLETE, EAGAIN),
    MAP(WSA_IO_PENDING, EINPROGRESS),
    MAP(ERROR_NOACCESS, EFAULT),
    MAP(ERROR_CONNECTION_REFUSED, ECONNREFUSED),
    MAP(ERROR_ADDRESS_ALREADY_ASSOCIATED, EADDRINUSE),
    MAP(ERROR_NETWORK_UNREACHABLE, ENETUNREACH),
    MAP(ERROR_HOST_UNREACHABLE, EHOSTUNREACH),
    MAP(ERROR_PORT_UNREACHABLE, ECONNREFUSED),
    MAP(ERROR_CONNECTION_ABORTED, ECONNABORTED),
    MAP(ERROR_HOST_DOWN, EHOSTDOWN),
    MAP(ERROR_PRIVILEGE_NOT_HELD, EPERM),
    MAP(ERROR_TIMEOUT, ETIMEDOUT),
    MAP(ERROR_NOT_ENOUGH_QUOTA, ENOBUFS),
    MAP(ERROR_CANT_RESOLVE_FILENAME, ELOOP),
};

#define NTABLE (sizeof table / sizeof table[0])

static void test_wsa_map_gives_each_code_its_portable_error(void **state)
{
    (void)state;
    for (size_t i = 0; i < NTABLE; i++) {
        int got = sockport__err_from_wsa(table[i].os);
        if (got != table[i].want)
            fail_msg("%s (%d): want %s, got %s", table[i].os_name, table[i].os,
                     sockport_err_name(table[i].want), sockport_err_name(got));
    }
}

static void test_wsa_codes_named_like_a_portable_code_map_to_that_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < NTABLE; i++) {
        if (!table[i].same_name)
            continue;
        const char *portable = table[i].os_name + 3; /* "WSAECONNRESET" → "ECONNRESET" */
        assert_string_equal(sockport_err_name(sockport__err_from_wsa(table[i].os)), portable);
    }
}

static void test_wsa_table_has_no_duplicate_codes(void **state)
{
    (void)state;
    for (size_t i = 0; i < NTABLE; i++)
        for (size_t j = i + 1; j < NTABLE; j++)
            if (table[i].os == table[j].os)
                fail_msg("%s and %s are both %d", table[i].os_name, table[j].os_name, table[i].os);
}

/* Every number WinSock's error range holds is either in the table above (so a
 * new mapping needs a test row) or no WinSock code at all. */
static void test_every_code_in_the_winsock_range_is_in_the_table(void **state)
{
    (void)state;
    for (int code = WSABASEERR; code <= WSABASEERR + 1200; code++) {
        int known = 0;
        for (size_t i = 0; i < NTABLE && !known; i++)
            known = table[i].os == code;
        if (!known && sockport__err_from_wsa(code) != SOCKPORT_EUNKNOWN)
            fail_msg("%d maps to %s but has no test row", code,
                     sockport_err_name(sockport__err_from_wsa(code)));
    }
}

static void test_wsa_map_answers_unknown_for_no_error_and_strangers(void **state)
{
    (void)state;
    static const int strangers[] = {0, -1, 1, 10000, 10001, 10113, 10999, 12345, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof strangers / sizeof strangers[0]; i++)
        assert_int_equal(sockport__err_from_wsa(strangers[i]), SOCKPORT_EUNKNOWN);
}

static void test_wsa_map_is_pure_and_records_nothing(void **state)
{
    (void)state;
    sockport_backend_set_os_error(4242);
    for (size_t i = 0; i < NTABLE; i++)
        assert_int_equal(sockport__err_from_wsa(table[i].os), sockport__err_from_wsa(table[i].os));
    assert_int_equal(sockport_last_os_error(), 4242);
}

static void test_winsock_fail_returns_the_portable_code_and_keeps_the_os_code(void **state)
{
    (void)state;
    assert_int_equal(sockport__winsock_fail(WSAECONNREFUSED), SOCKPORT_ECONNREFUSED);
    assert_int_equal(sockport_last_os_error(), WSAECONNREFUSED);
    assert_int_equal(sockport__winsock_fail(WSAEWOULDBLOCK), SOCKPORT_EAGAIN);
    assert_int_equal(sockport_last_os_error(), 10035);
    assert_int_equal(sockport__winsock_fail(777777), SOCKPORT_EUNKNOWN);
    assert_int_equal(sockport_last_os_error(), 777777);
}

/* What no WinSock or Win32 code can produce, with the reason. */
static int never_from_winsock(int err)
{
    return err == SOCKPORT_ENFILE         /* Windows has no system-wide handle limit error */
           || err == SOCKPORT_EPROTO      /* no WinSock code means "protocol error" */
           || err == SOCKPORT_EAI_FAMILY; /* WSAEAFNOSUPPORT, read so by resolve.c alone */
}

static void test_every_portable_code_but_a_documented_few_can_come_from_winsock(void **state)
{
    (void)state;
    for (int err = SOCKPORT_EUNKNOWN; err >= SOCKPORT_ERRNO_MIN_; err--) {
        int found = 0;
        for (size_t i = 0; i < NTABLE && !found; i++)
            found = table[i].want == err;
        if (found == never_from_winsock(err))
            fail_msg("%s: %s", sockport_err_name(err),
                     found ? "listed as impossible but mapped" : "no WinSock code maps to it");
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wsa_map_gives_each_code_its_portable_error),
        cmocka_unit_test(test_wsa_codes_named_like_a_portable_code_map_to_that_code),
        cmocka_unit_test(test_wsa_table_has_no_duplicate_codes),
        cmocka_unit_test(test_every_code_in_the_winsock_range_is_in_the_table),
        cmocka_unit_test(test_wsa_map_answers_unknown_for_no_error_and_strangers),
        cmocka_unit_test(test_wsa_map_is_pure_and_records_nothing),
        cmocka_unit_test(test_winsock_fail_returns_the_portable_code_and_keeps_the_os_code),
        cmocka_unit_test(test_every_portable_code_but_a_documented_few_can_come_from_winsock),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return SP_RUN_GROUP(tests, NULL, NULL, SP_LEAK_ALL);
}
