/*
 * The musl oracle, built with musl-gcc (static): reads one hex-encoded input
 * per line on stdin and answers one line per input on stdout: "-" when
 * inet_pton rejects it for both families, else "4 " or "6 " and the address
 * bytes in hex. Hex in both directions, so any byte but NUL can be asked.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static int unhex(const char *line, char *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    while (line[0] != '\n' && line[0] != '\0') {
        if (n + 1 >= cap || sscanf(line, "%2x", &v) != 1)
            return -1;
        out[n++] = (char)v;
        line += 2;
    }
    out[n] = '\0';
    return 0;
}

static void answer(int family, const unsigned char *ip, size_t len)
{
    printf("%d ", family);
    for (size_t i = 0; i < len; i++)
        printf("%02x", ip[i]);
    printf("\n");
}

int main(void)
{
    char line[512], text[256];
    unsigned char ip[16];
    while (fgets(line, sizeof line, stdin) != NULL) {
        if (unhex(line, text, sizeof text) != 0)
            return 2;
        if (inet_pton(AF_INET, text, ip) == 1)
            answer(4, ip, 4);
        else if (inet_pton(AF_INET6, text, ip) == 1)
            answer(6, ip, 16);
        else
            printf("-\n");
    }
    return 0;
}
