/*
 * The address policy: sockport parses and formats every address itself, so
 * the answer is the same on every system. Input is strict (no leading zeros,
 * no short IPv4 forms, brackets around IPv6 with a port); output is RFC 5952.
 */
#include <sockport/sockport.h>

#include <stdio.h>
#include <string.h>

/* [roundtrip] */
/* Parses text and formats it back; returns 0 when the result is `want`
 * (NULL: the text must be refused with SOCKPORT_EINVAL). */
static int check(const char *text, const char *want)
{
    sockport_addr a;
    char out[SOCKPORT_ADDRSTRLEN];
    int rc = sockport_addr_parse(&a, text);
    if (rc < 0) {
        printf("  %-28s refused: %s\n", text, sockport_err_name(rc));
        return want == NULL && rc == SOCKPORT_EINVAL ? 0 : 1;
    }
    sockport_addr_format(&a, out, sizeof out);
    printf("  %-28s -> %s\n", text, out);
    return want != NULL && strcmp(out, want) == 0 ? 0 : 1;
}
/* [roundtrip] */

int main(void)
{
    int bad = 0;
    puts("accepted, printed the RFC 5952 way:");
    bad |= check("192.0.2.1:80", "192.0.2.1:80");
    bad |= check("[2001:DB8:0:0:1:0:0:1]:443", "[2001:db8::1:0:0:1]:443");
    bad |= check("[2001:db8:0:0:0:0:2:1]:1", "[2001:db8::2:1]:1");
    bad |= check("[::ffff:192.0.2.1]:53", "[::ffff:192.0.2.1]:53");
    bad |= check("[fe80::1%2]:8080", "[fe80::1%2]:8080");
    puts("refused, on every system:");
    bad |= check("127.1:80", NULL);     /* short IPv4 form */
    bad |= check("010.0.0.1:80", NULL); /* leading zero: octal elsewhere */
    bad |= check("1.2.3.4", NULL);      /* parse wants a port */
    bad |= check("::1:80", NULL);       /* IPv6 with a port needs brackets */
    bad |= check("[::1]:080", NULL);    /* leading zero in the port */
    bad |= check("[fe80::1%]:1", NULL); /* empty zone */
    bad |= check("1.2.3.4:80 ", NULL);  /* trailing junk */
    puts(bad ? "addresses: FAILED" : "addresses: ok");
    return bad;
}
