/*
 * The few platform services the conformance suite needs besides sockport:
 * a short unique temporary directory (for Unix socket paths), removing a
 * file and a directory, sleeping, and a monotonic clock in milliseconds.
 * Include it first: on POSIX it selects the feature set its functions need.
 */
#ifndef SP_PLATFORM_H
#define SP_PLATFORM_H

#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#endif

/* 1 when the test runs under Wine (which lacks some Windows behaviour the
 * suites would otherwise assert), 0 on real Windows and on POSIX. */
static inline int sp_under_wine(void)
{
#ifdef _WIN32
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
#else
    return 0;
#endif
}

/* Makes a fresh directory with a short path (Unix socket paths are limited
 * to about 100 bytes) and writes its path to out.
 * \return 0, or -1 when no directory could be made. */
static inline int sp_tempdir_make(char *out, size_t cap)
{
#ifdef _WIN32
    char base[MAX_PATH + 1];
    DWORD n = GetTempPathA(sizeof base, base);
    if (n == 0 || n > MAX_PATH)
        return -1;
    for (unsigned i = 0; i < 100; i++) {
        int w = snprintf(out, cap, "%ssp%lu_%u", base, (unsigned long)GetCurrentProcessId(), i);
        if (w < 0 || (size_t)w >= cap)
            return -1;
        if (CreateDirectoryA(out, NULL))
            return 0;
    }
    return -1;
#else
    static const char tmpl[] = "/tmp/spXXXXXX";
    if (cap < sizeof tmpl)
        return -1;
    memcpy(out, tmpl, sizeof tmpl);
    return mkdtemp(out) != NULL ? 0 : -1;
#endif
}

/* Removes an empty directory made by sp_tempdir_make(). */
static inline void sp_tempdir_remove(const char *dir)
{
#ifdef _WIN32
    RemoveDirectoryA(dir);
#else
    rmdir(dir);
#endif
}

/* Removes a file (a bound Unix socket's path); a missing file is fine. */
static inline void sp_file_remove(const char *path)
{
#ifdef _WIN32
    DeleteFileA(path);
#else
    unlink(path);
#endif
}

/* Sleeps for about ms milliseconds. */
static inline void sp_sleep_ms(int ms)
{
#ifdef _WIN32
    Sleep((DWORD)ms);
#else
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
#endif
}

/* A monotonic clock in milliseconds. */
static inline int64_t sp_now_ms(void)
{
#ifdef _WIN32
    return (int64_t)GetTickCount64();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
#endif
}

#endif /* SP_PLATFORM_H */
