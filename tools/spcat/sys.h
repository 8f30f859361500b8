/*
 * The few services spcat needs besides sockport: unbuffered binary stdin and
 * stdout, and one extra thread. Everything platform-specific in spcat lives
 * behind this header (sys.c); spcat.c itself includes only sockport.h and
 * the C library.
 */
#ifndef SPCAT_SYS_H
#define SPCAT_SYS_H

#include <stddef.h>

/* Puts stdin and stdout in binary mode (Windows; nothing to do elsewhere).
 * \return 0, or -1 with errno set. */
int spcat_stdio_binary(void);

/* Reads what stdin has, up to len bytes, waiting for at least one.
 * \return the byte count, 0 at end of file, -1 on error (errno set). */
ptrdiff_t spcat_read_stdin(void *buf, size_t len);

/* Writes all of buf to stdout. \return 0, or -1 on error (errno set). */
int spcat_write_stdout(const void *buf, size_t len);

/* A running thread. */
typedef struct spcat_thread spcat_thread;

/* Starts fn(arg) on a new thread.
 * \return 0, or -1 when no thread could be made. */
int spcat_thread_start(spcat_thread **out, int (*fn)(void *), void *arg);

/* Waits for the thread, frees it. \return fn's result. */
int spcat_thread_join(spcat_thread *t);

#endif /* SPCAT_SYS_H */
