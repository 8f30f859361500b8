/*
 * UDP multicast that never leaves the machine: a receiver joins
 * 239.255.77.1 on the loopback interface, a sender sends one datagram to the
 * group with TTL 0 through the loopback interface, and the receiver gets it.
 *
 * Prints "multicast: SKIP: ..." (and exits 0) when the backend lacks the
 * multicast calls (SOCKPORT_ENOTSUP); any other failure is a failure.
 */
#include <sockport/sockport.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define GROUP "239.255.77.1"

static int skip_or_fail(const char *what, int rc)
{
    const char *verdict = rc == SOCKPORT_ENOTSUP ? "SKIP: not in this build" : "FAILED";
    printf("multicast: %s: %s: %s (%s, os %d)\n", verdict, what, sockport_strerror(rc),
           sockport_err_name(rc), sockport_last_os_error());
    return rc == SOCKPORT_ENOTSUP ? 0 : 1;
}

/* [receiver] */
/* Binds to the group (POSIX filters on the bound address) or, where binding
 * a multicast address is refused (Windows), to the loopback interface; then
 * joins the group on the loopback interface. group receives the group
 * address with the port the receiver got. */
static int open_receiver(sockport_socket **out, sockport_addr *group, const sockport_addr *lo)
{
    sockport_addr bound;
    int rc = sockport_open(out, SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0, 0);
    if (rc == 0)
        rc = sockport_addr_ip(&bound, GROUP, 0);
    if (rc == 0 && (rc = sockport_bind(*out, &bound)) == SOCKPORT_EADDRNOTAVAIL)
        rc = sockport_bind(*out, lo);
    if (rc == 0)
        rc = sockport_local_addr(*out, &bound);
    if (rc == 0)
        rc = sockport_addr_ip(group, GROUP, (uint16_t)sockport_addr_port(&bound));
    return rc == 0 ? sockport_join_multicast(*out, group, lo, 0) : rc;
}
/* [receiver] */

/* [sender] */
/* Sends through the loopback interface, with TTL 0 (this host only), and
 * loops the datagram back to local members. */
static int open_sender(sockport_socket **out, const sockport_addr *lo)
{
    int rc = sockport_open(out, SOCKPORT_AF_INET, SOCKPORT_SOCK_DGRAM, 0, 0);
    if (rc == 0)
        rc = sockport_bind(*out, lo);
    if (rc == 0)
        rc = sockport_set_multicast_if_v4(*out, lo);
    if (rc == 0)
        rc = sockport_set_bool(*out, SOCKPORT_OPT_IP_MULTICAST_LOOP, true);
    if (rc == 0)
        rc = sockport_set_int(*out, SOCKPORT_OPT_IP_MULTICAST_TTL, 0);
    return rc;
}
/* [sender] */

static int exchange(sockport_socket *rx, sockport_socket *tx, const sockport_addr *group)
{
    char buf[64], from[SOCKPORT_ADDRSTRLEN], to[SOCKPORT_ADDRSTRLEN];
    sockport_addr sender;
    int rc = sockport_set_recv_timeout(rx, 5000);
    ptrdiff_t n = rc < 0 ? rc : sockport_send_to(tx, "to the group", 12, 0, group);
    if (n >= 0)
        n = sockport_recv_from(rx, buf, sizeof buf, 0, &sender);
    if (n < 0)
        return skip_or_fail("send and receive", (int)n);
    sockport_addr_format(group, to, sizeof to);
    sockport_addr_format(&sender, from, sizeof from);
    printf("received \"%.*s\" sent to %s by %s\n", (int)n, buf, to, from);
    return n == 12 && memcmp(buf, "to the group", 12) == 0 ? 0 : 1;
}

static int run(sockport_socket **rx, sockport_socket **tx)
{
    sockport_addr lo, group;
    int rc = sockport_addr_parse(&lo, "127.0.0.1:0");
    if (rc < 0)
        return skip_or_fail("parse", rc);
    if ((rc = open_receiver(rx, &group, &lo)) < 0)
        return skip_or_fail("join " GROUP " on 127.0.0.1", rc);
    if ((rc = open_sender(tx, &lo)) < 0)
        return skip_or_fail("set up the sender", rc);
    if (exchange(*rx, *tx, &group) != 0)
        return 1;
    puts("multicast: ok");
    return 0;
}

int main(void)
{
    sockport_socket *rx = NULL, *tx = NULL;
    int bad = run(&rx, &tx);
    if (rx != NULL)
        sockport_close(rx);
    if (tx != NULL)
        sockport_close(tx);
    return bad;
}
