/*
 * Connecting with a deadline. sockport_connect_timeout() starts a
 * non-blocking connect, waits for it (poll / WSAPoll) until the deadline,
 * reads the verdict (SO_ERROR) and puts the socket back in blocking mode.
 * This program connects to a loopback listener (success) and to a loopback
 * port nobody listens on (refused), and prints the portable errors: the same
 * SOCKPORT_E* code on every system, with the OS code beside it.
 */
#include <sockport/sockport.h>

#include <stdbool.h>
#include <stdio.h>

#define TIMEOUT_MS 5000

/* A TCP socket bound to 127.0.0.1 on a free port; listening if asked. */
static int loopback_socket(sockport_socket **out, bool listening, sockport_addr *where)
{
    int rc = sockport_addr_parse(where, "127.0.0.1:0");
    if (rc == 0)
        rc = sockport_open(out, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc < 0)
        return rc;
    if ((rc = sockport_bind(*out, where)) == 0 &&
        (!listening || (rc = sockport_listen(*out, 4)) == 0))
        rc = sockport_local_addr(*out, where);
    if (rc < 0)
        sockport_close(*out);
    return rc;
}

/* [connect] */
/* Connects to `to` within TIMEOUT_MS and reports the outcome; returns 0 when
 * it is `want` and the socket is back in blocking mode. */
static int try_connect(const char *label, const sockport_addr *to, int want)
{
    sockport_socket *s = NULL;
    char text[SOCKPORT_ADDRSTRLEN];
    bool nonblocking = true;
    int rc = sockport_open(&s, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc < 0)
        return 1;
    rc = sockport_connect_timeout(s, to, TIMEOUT_MS);
    int os = sockport_last_os_error(); /* read it before the next call */
    sockport_get_nonblocking(s, &nonblocking);
    sockport_close(s);
    sockport_addr_format(to, text, sizeof text);
    if (rc == 0)
        printf("%s %s: connected\n", label, text);
    else
        printf("%s %s: %s (%s, os %d)\n", label, text, sockport_strerror(rc), sockport_err_name(rc),
               os);
    return rc == want && !nonblocking ? 0 : 1;
}
/* [connect] */

int main(void)
{
    sockport_socket *listener = NULL, *closed = NULL;
    sockport_addr open_addr, closed_addr;
    int bad = 0;
    if (loopback_socket(&listener, true, &open_addr) < 0 ||
        loopback_socket(&closed, false, &closed_addr) < 0) {
        fprintf(stderr, "connect_timeout: no loopback socket\n");
        return 1;
    }
    /* A listening socket completes the handshake from its backlog. */
    bad |= try_connect("listener", &open_addr, 0);
    /* A bound socket that does not listen answers with a reset. */
    bad |= try_connect("closed port", &closed_addr, SOCKPORT_ECONNREFUSED);
    sockport_close(listener);
    sockport_close(closed);
    puts(bad ? "connect_timeout: FAILED" : "connect_timeout: ok");
    return bad;
}
