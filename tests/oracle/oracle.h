/*
 * The differential oracle test (reliability.md R7), shared declarations.
 * sockport's strict parser (sockport_addr_ip) against a system inet_pton:
 * glibc (in process), musl (a helper program built with musl-gcc, fed over
 * a pipe) and WinSock's inet_pton (in process, in the Windows build, under
 * Wine here), on inputs without zone or port. Every disagreement must match
 * an entry of tests/oracle_exceptions.h.
 */
#ifndef ORACLE_H
#define ORACLE_H

#include <stddef.h>
#include <stdint.h>

#define ORACLE_TEXT_MAX 64

typedef struct oracle_inputs {
    char (*text)[ORACLE_TEXT_MAX];
    size_t n, cap;
} oracle_inputs;

/* Fills in with the vectors and the generated inputs (always the same). */
void oracle_inputs_make(oracle_inputs *in);
void oracle_inputs_free(oracle_inputs *in);

/* A verdict: family 0 (rejected), 4 or 6, and the address bytes. */
typedef struct verdict {
    int family;
    uint8_t ip[16];
} verdict;

#endif /* ORACLE_H */
