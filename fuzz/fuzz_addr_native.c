/*
 * fuzz_addr_native: sockport_addr_from_native() on every length of the
 * input (0 to all of it), each in an exact-length heap copy, so a read past
 * the length given is an overflow AddressSanitizer sees. Properties, for
 * every address accepted: it formats within SOCKPORT_ADDRSTRLEN, and
 * from_native(to_native(a)) == a; to_native answers ENOSPC, with the length
 * needed, when the room is one byte short.
 */
#include "fuzz.h"

#define MAX_LEN 512 /* well past any sockaddr: longer inputs are cut */

static void check_round_trip(const sockport_addr *a)
{
    unsigned char native[MAX_LEN];
    char text[SOCKPORT_ADDRSTRLEN];
    size_t len = sizeof native, need;
    sockport_addr back;
    fuzz_format(a, text);
    if (sockport_addr_family(a) == SOCKPORT_AF_UNSPEC)
        return; /* the empty address has no native form */
    if (sockport_addr_to_native(a, native, &len) != 0)
        return; /* a form this system cannot express (e.g. an unnamed Unix address) */
    need = len;
    len = need - 1;
    FUZZ_CHECK(sockport_addr_to_native(a, native, &len) == SOCKPORT_ENOSPC && len == need);
    unsigned char *copy = fuzz_copy(native, need);
    FUZZ_CHECK(sockport_addr_from_native(&back, copy, need) == 0);
    FUZZ_CHECK(sockport_addr_compare(&back, a) == 0);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_LEN)
        size = MAX_LEN;
    for (size_t len = 0; len <= size; len++) {
        unsigned char *copy = fuzz_copy(data, len);
        sockport_addr a;
        if (sockport_addr_from_native(&a, copy, len) == 0)
            check_round_trip(&a);
        free(copy);
    }
    return 0;
}
