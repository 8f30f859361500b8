/*
 * Documented disagreements between sockport's address parser and the system
 * parsers it is compared with (tests/oracle). Each entry: the oracle, which
 * way they disagree, the class of inputs (a predicate), and a one-line
 * reason that points at DESIGN.md "Address text". The oracle test fails on
 * any disagreement no entry explains.
 */
#ifndef ORACLE_EXCEPTIONS_H
#define ORACLE_EXCEPTIONS_H

#include <stddef.h>
#include <string.h>

enum {
    ORACLE_THEY_ACCEPT = 1, /* the oracle accepts what sockport rejects */
    ORACLE_THEY_REJECT = 2, /* the oracle rejects what sockport accepts */
    ORACLE_THEY_DIFFER = 3  /* both accept, with other bytes */
};

typedef struct oracle_exception {
    const char *oracle; /* "glibc", "musl", "winsock", or "*" */
    int kind;           /* ORACLE_THEY_* */
    int (*matches)(const char *text);
    const char *reason;
} oracle_exception;

/* The text after the last ':' is a dotted quad of 1-3 digit decimal octets
 * <= 255, at least one of them with a leading zero ("1::1.02.3.4"). */
static int oracle_v4_tail_with_leading_zero(const char *text)
{
    const char *p = strrchr(text, ':');
    int octets = 0, zero_led = 0;
    if (p == NULL)
        return 0;
    for (p++; octets < 4; p++) {
        int digits = 0, value = 0;
        while (*p >= '0' && *p <= '9' && digits < 4)
            value = value * 10 + (*p++ - '0'), digits++;
        if (digits == 0 || digits > 3 || value > 255)
            return 0;
        zero_led |= digits > 1 && p[-digits] == '0';
        octets++;
        if (*p != (octets < 4 ? '.' : '\0'))
            return 0;
    }
    return zero_led;
}

static const oracle_exception oracle_exceptions[] = {
    {"winsock", ORACLE_THEY_ACCEPT, oracle_v4_tail_with_leading_zero,
     "WinSock takes leading zeros in an IPv6 address's embedded IPv4 as decimal; DESIGN.md: "
     "the embedded IPv4 is strict as IPv4 is (\"01\" is malformed)"},
};

#define ORACLE_NEXCEPTIONS (sizeof oracle_exceptions / sizeof oracle_exceptions[0])

#endif /* ORACLE_EXCEPTIONS_H */
