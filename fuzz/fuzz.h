/*
 * Shared by the fuzz targets: the libFuzzer entry point's prototype, and the
 * check that stops a run with a message when a property does not hold (under
 * libFuzzer the abort is a crash it saves; under the replay driver, a failed
 * test).
 */
#ifndef SOCKPORT_FUZZ_H
#define SOCKPORT_FUZZ_H

#include "sockport/sockport.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A heap copy of exactly size bytes (never NULL), so that reading one byte
 * too far is an overflow AddressSanitizer sees. */
static inline unsigned char *fuzz_copy(const uint8_t *data, size_t size)
{
    unsigned char *p = malloc(size > 0 ? size : 1);
    FUZZ_CHECK(p != NULL);
    p[0] = 0;
    if (size > 0)
        memcpy(p, data, size);
    return p;
}

/* A NUL-terminated heap copy of exactly size + 1 bytes. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Formats a; checks the length bound and the exact-capacity contract. */
static inline int fuzz_format(const sockport_addr *a, char *text)
{
    char small[SOCKPORT_ADDRSTRLEN];
    int n = sockport_addr_format(a, text, SOCKPORT_ADDRSTRLEN);
    FUZZ_CHECK(n >= 0 && n < SOCKPORT_ADDRSTRLEN);
    FUZZ_CHECK(strlen(text) == (size_t)n);
    FUZZ_CHECK(sockport_addr_format(a, small, (size_t)n) == SOCKPORT_ENOSPC);
    FUZZ_CHECK(sockport_addr_format(a, small, (size_t)n + 1) == n);
    FUZZ_CHECK(memcmp(small, text, (size_t)n + 1) == 0);
    return n;
}

#endif /* SOCKPORT_FUZZ_H */
