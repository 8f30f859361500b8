/*
 * The portable error table: every code unique, negative, named and
 * described; unknown values answered without NULL; the OS code kept per
 * thread.
 */
#include "sp_test.h"

#include "sockport/backend.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

typedef struct code {
    int value;
    const char *name;
    const char *message;
} code;

static const code codes[] = {
#define ROW(name, value, msg) {value, #name, msg},
    SOCKPORT_ERRNO_MAP(ROW)
#undef ROW
};

#define NCODES (sizeof codes / sizeof codes[0])

static void test_error_codes_are_negative_unique_and_dense(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        assert_true(codes[i].value < 0);
        assert_int_equal(codes[i].value, -(int)i - 1);
        for (size_t j = i + 1; j < NCODES; j++)
            assert_int_not_equal(codes[i].value, codes[j].value);
    }
    assert_int_equal(SOCKPORT_EUNKNOWN, -1);
    assert_int_equal(SOCKPORT_ERRNO_MIN_, codes[NCODES - 1].value);
}

static void test_every_code_has_its_name(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        assert_string_equal(sockport_err_name(codes[i].value), codes[i].name);
        assert_int_equal(codes[i].name[0], 'E');
    }
}

static void test_every_code_has_a_distinct_message(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        const char *m = sockport_strerror(codes[i].value);
        assert_string_equal(m, codes[i].message);
        assert_true(strlen(m) > 5);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m, sockport_strerror(codes[j].value));
    }
}

static void test_unknown_values_get_the_unknown_answer_never_null(void **state)
{
    (void)state;
    const int odd[] = {0, 1, 42, SOCKPORT_ERRNO_MIN_ - 1, -1000, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        assert_string_equal(sockport_err_name(odd[i]), "EUNKNOWN");
        assert_string_equal(sockport_strerror(odd[i]), "unknown error");
    }
}

static void test_core_validation_failures_record_os_code_zero(void **state)
{
    (void)state;
    sockport_backend_set_os_error(77);
    assert_int_equal(sockport_last_os_error(), 77);
    assert_sp_err(sockport_listen(NULL, 1), SOCKPORT_EINVAL);
    assert_int_equal(sockport_last_os_error(), 0);
}

#ifdef _WIN32
static DWORD WINAPI other_thread(LPVOID arg)
{
    *(int *)arg = sockport_last_os_error();
    sockport_backend_set_os_error(5);
    return 0;
}

static void run_other_thread(int *seen)
{
    HANDLE h = CreateThread(NULL, 0, other_thread, seen, 0, NULL);
    assert_non_null(h);
    assert_int_equal(WaitForSingleObject(h, INFINITE), WAIT_OBJECT_0);
    CloseHandle(h);
}
#else
static void *other_thread(void *arg)
{
    *(int *)arg = sockport_last_os_error();
    sockport_backend_set_os_error(5);
    return NULL;
}

static void run_other_thread(int *seen)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, other_thread, seen), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}
#endif

static void test_last_os_error_is_kept_per_thread(void **state)
{
    (void)state;
    int seen = -1;
    sockport_backend_set_os_error(99);
    run_other_thread(&seen);
    assert_int_equal(seen, 0);
    assert_int_equal(sockport_last_os_error(), 99);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_codes_are_negative_unique_and_dense),
        cmocka_unit_test(test_every_code_has_its_name),
        cmocka_unit_test(test_every_code_has_a_distinct_message),
        cmocka_unit_test(test_unknown_values_get_the_unknown_answer_never_null),
        cmocka_unit_test(test_core_validation_failures_record_os_code_zero),
        cmocka_unit_test(test_last_os_error_is_kept_per_thread),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return SP_RUN_GROUP(tests, NULL, NULL, SP_LEAK_ALL);
}
