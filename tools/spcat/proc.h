/*
 * Test helper: run a program with stdin, stdout and stderr redirected to
 * files, and wait for it with a deadline. posix_spawn on POSIX,
 * CreateProcess on Windows (which Wine runs too).
 */
#ifndef SPCAT_PROC_H
#define SPCAT_PROC_H

#include <stdint.h>

typedef struct proc proc;

/* Starts argv[0] with argv; the three paths become its stdin (read), stdout
 * and stderr (created or truncated).
 * \return 0, or -1 when it could not be started. */
int proc_start(proc **out, const char *const *argv, const char *in, const char *out_path,
               const char *err_path);

/* \return 1 with *code set when the process has ended, else 0. */
int proc_poll(proc *p, int *code);

/* Waits up to timeout_ms; kills the process when the time is up.
 * \return 0 with *code set, or -1 on timeout. */
int proc_wait(proc *p, int64_t timeout_ms, int *code);

/* Kills the process if it still runs, reaps it, frees p. NULL is fine. */
void proc_free(proc *p);

#endif /* SPCAT_PROC_H */
