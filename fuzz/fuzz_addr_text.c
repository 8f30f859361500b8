/*
 * fuzz_addr_text: sockport_addr_parse() and sockport_addr_ip() on arbitrary
 * bytes, in an exact-length heap copy (NUL-terminated: these take C
 * strings). Properties, for every text either accepts:
 * - a failing call leaves *out untouched;
 * - format() fits SOCKPORT_ADDRSTRLEN, answers ENOSPC one byte short;
 * - parse(format(a)) == a, and ip(format_ip(a), port) == a.
 */
#include "fuzz.h"

#define FILL 0xab

static void check_untouched(const sockport_addr *a)
{
    const unsigned char *p = (const unsigned char *)a;
    for (size_t i = 0; i < sizeof *a; i++)
        FUZZ_CHECK(p[i] == FILL);
}

static void check_round_trips(const sockport_addr *a)
{
    char text[SOCKPORT_ADDRSTRLEN], ip[SOCKPORT_ADDRSTRLEN];
    sockport_addr back;
    int port = sockport_addr_port(a);
    fuzz_format(a, text);
    FUZZ_CHECK(sockport_addr_parse(&back, text) == 0);
    FUZZ_CHECK(sockport_addr_compare(&back, a) == 0);
    int n = sockport_addr_format_ip(a, ip, sizeof ip);
    FUZZ_CHECK(n > 0 && port >= 0);
    FUZZ_CHECK(sockport_addr_ip(&back, ip, (uint16_t)port) == 0);
    FUZZ_CHECK(sockport_addr_compare(&back, a) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    sockport_addr a;
    memset(&a, FILL, sizeof a);
    if (sockport_addr_parse(&a, s) == 0)
        check_round_trips(&a);
    else
        check_untouched(&a);
    memset(&a, FILL, sizeof a);
    if (sockport_addr_ip(&a, s, 4242) == 0)
        check_round_trips(&a);
    else
        check_untouched(&a);
    free(s);
    return 0;
}
