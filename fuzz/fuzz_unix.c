/*
 * fuzz_unix: the Unix address constructors on arbitrary bytes. The first
 * byte picks the constructor: even, sockport_addr_unix() on the rest as a
 * NUL-terminated exact-length copy; odd, sockport_addr_abstract() on the
 * rest as an exact-length copy without terminator (NULs inside allowed).
 * Properties: the documented verdict for each length, the address formats
 * within SOCKPORT_ADDRSTRLEN, and a native round trip gives it back.
 */
#include "fuzz.h"

static void check_native(const sockport_addr *a)
{
    unsigned char native[512];
    size_t len = sizeof native;
    sockport_addr back;
    if (sockport_addr_to_native(a, native, &len) != 0)
        return; /* e.g. no AF_UNIX layout on this system */
    unsigned char *copy = fuzz_copy(native, len);
    FUZZ_CHECK(sockport_addr_from_native(&back, copy, len) == 0);
    FUZZ_CHECK(sockport_addr_compare(&back, a) == 0);
    free(copy);
}

static void path(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size), text[SOCKPORT_ADDRSTRLEN];
    size_t n = strlen(s);
    sockport_addr a;
    int rc = sockport_addr_unix(&a, s);
    if (n == 0)
        FUZZ_CHECK(rc == SOCKPORT_EINVAL);
    else if (n > SOCKPORT_UNIX_PATH_MAX)
        FUZZ_CHECK(rc == SOCKPORT_ENAMETOOLONG);
    else
        FUZZ_CHECK(rc == 0);
    if (rc == 0) {
        FUZZ_CHECK(fuzz_format(&a, text) == (int)n && memcmp(text, s, n) == 0);
        check_native(&a);
    }
    free(s);
}

static void abstract(const uint8_t *data, size_t size)
{
    unsigned char *name = fuzz_copy(data, size);
    char text[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;
    int rc = sockport_addr_abstract(&a, name, size);
    if (rc == SOCKPORT_ENOTSUP) { /* not Linux */
        free(name);
        return;
    }
    FUZZ_CHECK(rc == (size > SOCKPORT_UNIX_PATH_MAX ? SOCKPORT_ENAMETOOLONG : 0));
    if (rc == 0) {
        FUZZ_CHECK(fuzz_format(&a, text) >= 1 && text[0] == '@');
        check_native(&a);
    }
    free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        abstract(data + 1, size - 1);
    else
        path(data + 1, size - 1);
    return 0;
}
