/*
 * Shared test helpers for the cmocka suites. Include after nothing else:
 * it includes cmocka's prerequisites in the order cmocka 1.1 needs.
 */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <fcntl.h>
#endif

#include <cmocka.h>

#include "sockport/fault.h"
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

/* ---- leak checks around a group (one case per process under CTest) -------
 *
 * sp_leak_begin() notes which descriptors are open and (with SP_LEAK_MEMORY)
 * installs a counting allocator; sp_leak_end() fails when a descriptor
 * opened since is still open, one open before is closed (a double close
 * hits someone else's descriptor), or a block sockport allocated is still
 * live, then restores malloc/free. CTest runs each case in its own process
 * (`suite case`), so a group fixture pair checks every case on its own.
 *
 * Descriptors: POSIX probes fds 0-1023 with fcntl(F_GETFD). Windows checks
 * memory only: Wine 8's GetProcessHandleCount answers 0, and WinSock makes
 * a few handles lazily on first use (see tests/torture for a handle probe
 * after a warm-up). A suite that installs its own allocator passes
 * SP_LEAK_FDS only. */
enum { SP_LEAK_FDS = 1, SP_LEAK_MEMORY = 2, SP_LEAK_ALL = 3 };

#define SP_LEAK_FD_MAX 1024

typedef struct sp_leak_state {
    int what;                               /* SP_LEAK_* */
    unsigned char open_fds[SP_LEAK_FD_MAX]; /* 1: open at begin */
    atomic_long live_blocks;
    atomic_long live_bytes;
} sp_leak_state;

static sp_leak_state sp_leak_;

static inline int sp_fd_is_open(int fd)
{
#ifdef _WIN32
    (void)fd;
    return 0;
#else
    return fcntl(fd, F_GETFD) != -1;
#endif
}

static inline void *sp_leak_alloc_(size_t size, void *ud)
{
    (void)ud;
    void *p = malloc(size);
    if (p != NULL) {
        atomic_fetch_add(&sp_leak_.live_blocks, 1);
        atomic_fetch_add(&sp_leak_.live_bytes, (long)size);
    }
    return p;
}

static inline void sp_leak_free_(void *p, size_t size, void *ud)
{
    (void)ud;
    atomic_fetch_sub(&sp_leak_.live_blocks, 1);
    atomic_fetch_sub(&sp_leak_.live_bytes, (long)size);
    free(p);
}

/* Starts watching: what is SP_LEAK_FDS, SP_LEAK_MEMORY or SP_LEAK_ALL.
 * \return 0, or -1 when the counting allocator cannot be installed. */
static inline int sp_leak_begin(int what)
{
    static const sockport_allocator counting = {sp_leak_alloc_, sp_leak_free_, NULL};
    sp_leak_.what = what;
    for (int fd = 0; fd < SP_LEAK_FD_MAX; fd++)
        sp_leak_.open_fds[fd] = (unsigned char)sp_fd_is_open(fd);
    atomic_store(&sp_leak_.live_blocks, 0);
    atomic_store(&sp_leak_.live_bytes, 0);
    if ((what & SP_LEAK_MEMORY) && sockport_set_allocator(&counting) != 0)
        return -1;
    return 0;
}

/* Stops watching. \return 0, or -1 (having printed what leaked). */
static inline int sp_leak_end(void)
{
    int leaks = 0;
    if (sp_leak_.what & SP_LEAK_FDS) {
        for (int fd = 0; fd < SP_LEAK_FD_MAX; fd++) {
            int now = sp_fd_is_open(fd);
            if (now != sp_leak_.open_fds[fd]) {
                print_error(now ? "leak: descriptor %d is open after the test, not before\n"
                                : "leak: descriptor %d was open before the test and is closed "
                                  "after it (a double close?)\n",
                            fd);
                leaks++;
            }
        }
    }
    if (sp_leak_.what & SP_LEAK_MEMORY) {
        long blocks = atomic_load(&sp_leak_.live_blocks);
        if (blocks != 0) {
            print_error("leak: %ld sockport block(s), %ld bytes, still allocated\n", blocks,
                        atomic_load(&sp_leak_.live_bytes));
            leaks++;
        }
        (void)sockport_set_allocator(NULL);
    }
    sp_leak_.what = 0;
    return leaks == 0 ? 0 : -1;
}

static CMFixtureFunction sp_group_setup_;
static CMFixtureFunction sp_group_teardown_;
static int sp_group_what_;
static int sp_group_leaked_;

/* SOCKPORT_TEST_BACKEND=fault runs a suite on the fault backend wrapped
 * around the default one (and arms SOCKPORT_FAULT, if set): tests/torture
 * registers the conformance suite so. \return 0, or -1 when it cannot. */
static inline int sp_use_test_backend(void)
{
    const char *name = getenv("SOCKPORT_TEST_BACKEND");
    const sockport_backend *fault = NULL;
    if (name == NULL || strcmp(name, "fault") != 0)
        return 0;
    if (sockport_fault_install(sockport_backend_default(), &fault) != 0 ||
        sockport_backend_set_default(fault) != 0 || sockport_fault_from_env() < 0)
        return -1;
    return 0;
}

static inline int sp_leak_group_setup_(void **state)
{
    if (sp_leak_begin(sp_group_what_) != 0 || sp_use_test_backend() != 0)
        return -1;
    return sp_group_setup_ != NULL ? sp_group_setup_(state) : 0;
}

static inline int sp_leak_group_teardown_(void **state)
{
    int rc = sp_group_teardown_ != NULL ? sp_group_teardown_(state) : 0;
    if (sp_leak_end() != 0) {
        sp_group_leaked_ = 1;
        return -1;
    }
    return rc;
}

/* cmocka's result, made non-zero when a leak was found. */
static inline int sp_group_result_(int rc)
{
    return rc != 0 ? rc : sp_group_leaked_;
}

/* cmocka_run_group_tests() with leak checks (SP_LEAK_*) around the suite's
 * own group fixtures (either may be NULL). A leak fails the group teardown,
 * which cmocka reports as "[  ERROR   ] ... GROUP TEARDOWN". */
#define SP_RUN_GROUP(tests, setup, teardown, what)                                                 \
    (sp_group_setup_ = (setup), sp_group_teardown_ = (teardown), sp_group_what_ = (what),          \
     sp_group_result_(                                                                             \
         cmocka_run_group_tests(tests, sp_leak_group_setup_, sp_leak_group_teardown_)))

/* main() for a suite: `suite [case]` runs one case when a name is given;
 * every run is leak-checked (SP_LEAK_ALL). */
#define SP_TEST_MAIN(tests, setup, teardown)                                                       \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        if (argc > 1)                                                                              \
            cmocka_set_test_filter(argv[1]);                                                       \
        return SP_RUN_GROUP(tests, setup, teardown, SP_LEAK_ALL);                                  \
    }

#endif /* SP_TEST_H */
