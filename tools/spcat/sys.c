/*
 * Platform services for spcat (see sys.h): POSIX read/write and pthreads, or
 * the Windows CRT's _read/_write/_setmode and CreateThread.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <windows.h>
#else
#include <pthread.h>
#include <unistd.h>
#endif

struct spcat_thread {
    int (*fn)(void *);
    void *arg;
    int result;
#ifdef _WIN32
    HANDLE handle;
#else
    pthread_t handle;
#endif
};

#ifdef _WIN32

int spcat_stdio_binary(void)
{
    if (_setmode(_fileno(stdin), _O_BINARY) == -1 || _setmode(_fileno(stdout), _O_BINARY) == -1)
        return -1;
    return 0;
}

ptrdiff_t spcat_read_stdin(void *buf, size_t len)
{
    unsigned n = len > INT_MAX ? INT_MAX : (unsigned)len;
    return _read(0, buf, n);
}

static ptrdiff_t write_some(const void *buf, size_t len)
{
    unsigned n = len > INT_MAX ? INT_MAX : (unsigned)len;
    return _write(1, buf, n);
}

static DWORD WINAPI trampoline(LPVOID arg)
{
    spcat_thread *t = arg;
    t->result = t->fn(t->arg);
    return 0;
}

static int thread_create(spcat_thread *t)
{
    t->handle = CreateThread(NULL, 0, trampoline, t, 0, NULL);
    return t->handle != NULL ? 0 : -1;
}

static void thread_wait(spcat_thread *t)
{
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
}

#else /* POSIX */

int spcat_stdio_binary(void)
{
    return 0;
}

ptrdiff_t spcat_read_stdin(void *buf, size_t len)
{
    ssize_t n;
    do {
        n = read(STDIN_FILENO, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

static ptrdiff_t write_some(const void *buf, size_t len)
{
    ssize_t n;
    do {
        n = write(STDOUT_FILENO, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

static void *trampoline(void *arg)
{
    spcat_thread *t = arg;
    t->result = t->fn(t->arg);
    return NULL;
}

static int thread_create(spcat_thread *t)
{
    return pthread_create(&t->handle, NULL, trampoline, t) == 0 ? 0 : -1;
}

static void thread_wait(spcat_thread *t)
{
    pthread_join(t->handle, NULL);
}

#endif

int spcat_write_stdout(const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ptrdiff_t n = write_some(p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int spcat_thread_start(spcat_thread **out, int (*fn)(void *), void *arg)
{
    spcat_thread *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    t->fn = fn;
    t->arg = arg;
    if (thread_create(t) != 0) {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int spcat_thread_join(spcat_thread *t)
{
    thread_wait(t);
    int result = t->result;
    free(t);
    return result;
}
