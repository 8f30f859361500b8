/* Consumer of the installed package: exits 0 only if everything works. */
#include <sockport/sockport.h>

#include <stdio.h>
#include <string.h>

static int check_address(void)
{
    sockport_addr a;
    char text[SOCKPORT_ADDRSTRLEN];
    if (sockport_addr_parse(&a, "[2001:DB8:0:0:1:0:0:1]:443") != 0)
        return 1;
    if (sockport_addr_format(&a, text, sizeof text) < 0)
        return 1;
    printf("consumer: %s\n", text);
    return strcmp(text, "[2001:db8::1:0:0:1]:443") != 0;
}

static int check_pair(void)
{
    sockport_socket *p[2];
    char buf[8] = {0};
    if (sockport_pair(p, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0) != 0)
        return 1;
    ptrdiff_t sent = sockport_send(p[0], "ping", 4, 0);
    ptrdiff_t got = sockport_recv(p[1], buf, sizeof buf, 0);
    sockport_close(p[0]);
    sockport_close(p[1]);
    printf("consumer: sent %td, got %td \"%s\"\n", sent, got, buf);
    return sent != 4 || got != 4 || memcmp(buf, "ping", 4) != 0;
}

int main(void)
{
    int bad = check_address() | check_pair();
    puts(bad ? "consumer: FAILED" : "consumer: ok");
    return bad;
}
