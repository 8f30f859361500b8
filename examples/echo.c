/*
 * A TCP echo over loopback in one process: a listener on 127.0.0.1 port 0,
 * a client that connects and sends, the server side that accepts and
 * echoes, and the client that checks what came back. Every call is
 * sockport's; the same source builds on Windows and POSIX.
 */
#include <sockport/sockport.h>

#include <stdio.h>
#include <string.h>

/* Prints a failure the way sockport users report one, and returns 1. */
static int report(const char *what, int err)
{
    fprintf(stderr, "echo: %s: %s (%s, os %d)\n", what, sockport_strerror(err),
            sockport_err_name(err), sockport_last_os_error());
    return 1;
}

/* Reads exactly len bytes unless the peer closes first; returns the count. */
static ptrdiff_t recv_all(sockport_socket *s, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ptrdiff_t n = sockport_recv(s, buf + got, len - got, 0);
        if (n <= 0)
            return n < 0 ? n : (ptrdiff_t)got;
        got += (size_t)n;
    }
    return (ptrdiff_t)got;
}

/* Accepts one connection on listener and echoes len bytes back. */
static int serve_one(sockport_socket *listener, size_t len)
{
    sockport_socket *conn = NULL;
    sockport_addr peer;
    char text[SOCKPORT_ADDRSTRLEN], buf[256];
    int rc = sockport_accept(listener, &conn, &peer, 0);
    if (rc < 0)
        return report("accept", rc);
    sockport_addr_format(&peer, text, sizeof text);
    printf("server: accepted %s\n", text);
    ptrdiff_t n = recv_all(conn, buf, len);
    if (n >= 0)
        n = sockport_send(conn, buf, (size_t)n, 0);
    sockport_close(conn);
    return n < 0 ? report("echo back", (int)n) : 0;
}

static int run(sockport_socket *listener, sockport_socket *client)
{
    static const char msg[] = "hello from sockport";
    sockport_addr where;
    char text[SOCKPORT_ADDRSTRLEN], back[sizeof msg];
    int rc = sockport_addr_parse(&where, "127.0.0.1:0");
    if (rc < 0 || (rc = sockport_bind(listener, &where)) < 0 ||
        (rc = sockport_listen(listener, 8)) < 0 || (rc = sockport_local_addr(listener, &where)) < 0)
        return report("listen", rc);
    sockport_addr_format(&where, text, sizeof text);
    printf("server: listening on %s\n", text);
    if ((rc = sockport_connect(client, &where)) < 0)
        return report("connect", rc);
    ptrdiff_t n = sockport_send(client, msg, sizeof msg, 0);
    if (n < 0)
        return report("send", (int)n);
    if (serve_one(listener, sizeof msg) != 0)
        return 1;
    n = recv_all(client, back, sizeof back);
    if (n < 0)
        return report("recv", (int)n);
    if ((size_t)n != sizeof msg || memcmp(back, msg, sizeof msg) != 0) {
        fprintf(stderr, "echo: got %td bytes that differ from what was sent\n", n);
        return 1;
    }
    printf("client: got back \"%s\"\necho: ok (sockport %s)\n", back, sockport_version());
    return 0;
}

int main(void)
{
    sockport_socket *listener = NULL, *client = NULL;
    int rc = sockport_open(&listener, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc < 0)
        return report("open listener", rc);
    rc = sockport_open(&client, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc < 0) {
        sockport_close(listener);
        return report("open client", rc);
    }
    int status = run(listener, client);
    sockport_close(client);
    sockport_close(listener);
    return status;
}
