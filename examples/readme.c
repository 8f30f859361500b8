#include <sockport/sockport.h>
#include <stdio.h>

int main(void)
{
    sockport_socket *pair[2];
    sockport_addr a;
    char text[SOCKPORT_ADDRSTRLEN], buf[16];

    /* Addresses: one strict policy everywhere, RFC 5952 output. */
    if (sockport_addr_parse(&a, "[2001:DB8:0:0:0:0:0:1]:443") == 0) {
        sockport_addr_format(&a, text, sizeof text);
        printf("%s\n", text); /* [2001:db8::1]:443 */
    }
    /* Sockets: a negative return is a portable SOCKPORT_E* code. */
    int rc = sockport_pair(pair, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc < 0) {
        fprintf(stderr, "pair: %s (%s, os %d)\n", sockport_strerror(rc), sockport_err_name(rc),
                sockport_last_os_error());
        return 1;
    }
    sockport_send(pair[0], "ping", 4, 0);
    ptrdiff_t n = sockport_recv(pair[1], buf, sizeof buf, 0);
    printf("got %td bytes: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    sockport_close(pair[0]);
    sockport_close(pair[1]);
    return n == 4 ? 0 : 1;
}
