/*
 * Shared test helpers for the cmocka suites. Include after nothing else:
 * it includes cmocka's prerequisites in the order cmocka 1.1 needs.
 */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sockport/sockport.h"

/* Fails with the error's name, message and OS code when rc < 0. */
#define assert_sp_ok(rc) sp_assert_ok((long long)(rc), #rc, __FILE__, __LINE__)

/* Fails unless rc is exactly the SOCKPORT_E* code want. */
#define assert_sp_err(rc, want) sp_assert_err((long long)(rc), (want), #rc, __FILE__, __LINE__)

static inline void sp_assert_ok(long long rc, const char *expr, const char *file, int line)
{
    if (rc >= 0)
        return;
    print_error("%s failed: %s (%s, os %d)\n", expr, sockport_err_name((int)rc),
                sockport_strerror((int)rc), sockport_last_os_error());
    _fail(file, line);
}

static inline void sp_assert_err(long long rc, int want, const char *expr, const char *file,
                                 int line)
{
    if (rc == want)
        return;
    print_error("%s: want %s, got %lld (%s, os %d)\n", expr, sockport_err_name(want), rc,
                rc < 0 ? sockport_err_name((int)rc) : "success", sockport_last_os_error());
    _fail(file, line);
}

/* main() for a suite: `suite [case]` runs one case when a name is given. */
#define SP_TEST_MAIN(tests, setup, teardown)                                                       \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        if (argc > 1)                                                                              \
            cmocka_set_test_filter(argv[1]);                                                       \
        return cmocka_run_group_tests(tests, setup, teardown);                                     \
    }

#endif /* SP_TEST_H */
