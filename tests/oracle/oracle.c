/*
 * The differential oracle test (see oracle.h).
 *
 *   oracle glibc            glibc's inet_pton, in this process (Linux)
 *   oracle musl HELPER      musl's, through the helper built with musl-gcc
 *   oracle winsock          WinSock's inet_pton (the Windows build)
 *
 * For every input both sides give a verdict (rejected, or IPv4/IPv6 and the
 * bytes). A disagreement fails the test unless an entry of
 * tests/oracle_exceptions.h explains it; the summary counts each entry's
 * matches. Exit 0 clean, 1 undocumented disagreements, 77 oracle missing.
 */
#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>
#endif

#include "oracle.h"
#include "oracle_exceptions.h"

#include "sockport/sockport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHOWN 40

static verdict ours(const char *text)
{
    verdict v;
    sockport_addr a;
    memset(&v, 0, sizeof v);
    if (sockport_addr_ip(&a, text, 0) != 0)
        return v;
    v.family = sockport_addr_family(&a) == SOCKPORT_AF_INET ? 4 : 6;
    (void)sockport_addr_ip_bytes(&a, v.ip);
    return v;
}

/* ---- the oracles -------------------------------------------------------- */

#ifdef _WIN32
static int system_oracle(const oracle_inputs *in, verdict *out)
{
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return -1;
    for (size_t i = 0; i < in->n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        if (InetPtonA(AF_INET, in->text[i], out[i].ip) == 1)
            out[i].family = 4;
        else if (InetPtonA(AF_INET6, in->text[i], out[i].ip) == 1)
            out[i].family = 6;
        else
            memset(out[i].ip, 0, sizeof out[i].ip); /* WinSock writes partial output */
    }
    WSACleanup();
    return 0;
}
#else
static int system_oracle(const oracle_inputs *in, verdict *out)
{
    for (size_t i = 0; i < in->n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        if (inet_pton(AF_INET, in->text[i], out[i].ip) == 1)
            out[i].family = 4;
        else if (inet_pton(AF_INET6, in->text[i], out[i].ip) == 1)
            out[i].family = 6;
        else
            memset(out[i].ip, 0, sizeof out[i].ip);
    }
    return 0;
}

/* One answer line of the musl helper. */
static int parse_answer(const char *line, verdict *v)
{
    memset(v, 0, sizeof *v);
    if (line[0] == '-')
        return 0;
    v->family = line[0] - '0';
    size_t n = v->family == 4 ? 4 : 16;
    for (size_t i = 0; i < n; i++) {
        unsigned b;
        if (sscanf(line + 2 + 2 * i, "%2x", &b) != 1)
            return -1;
        v->ip[i] = (uint8_t)b;
    }
    return 0;
}

static int musl_oracle(const char *helper, const oracle_inputs *in, verdict *out)
{
    char path[] = "/tmp/sp-oracle-XXXXXX", cmd[1024], line[128];
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL)
        return -1;
    for (size_t i = 0; i < in->n; i++) {
        for (const unsigned char *p = (const unsigned char *)in->text[i]; *p != '\0'; p++)
            fprintf(f, "%02x", *p);
        fputc('\n', f);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' < '%s'", helper, path);
    FILE *p = popen(cmd, "r");
    size_t got = 0;
    while (p != NULL && got < in->n && fgets(line, sizeof line, p) != NULL)
        if (parse_answer(line, &out[got++]) != 0)
            break;
    int status = p != NULL ? pclose(p) : -1;
    unlink(path);
    return status == 0 && got == in->n ? 0 : -1;
}
#endif

/* ---- comparison ------------------------------------------------------------ */

static int same(const verdict *a, const verdict *b)
{
    return a->family == b->family &&
           (a->family == 0 || memcmp(a->ip, b->ip, a->family == 4 ? 4 : 16) == 0);
}

/* The exception that explains a disagreement, or -1. */
static int explain(const char *oracle, const char *text, const verdict *theirs, const verdict *mine)
{
    int kind = mine->family == 0     ? ORACLE_THEY_ACCEPT
               : theirs->family == 0 ? ORACLE_THEY_REJECT
                                     : ORACLE_THEY_DIFFER;
    for (size_t e = 0; e < ORACLE_NEXCEPTIONS; e++) {
        const oracle_exception *x = &oracle_exceptions[e];
        if ((strcmp(x->oracle, oracle) == 0 || strcmp(x->oracle, "*") == 0) && x->kind == kind &&
            x->matches(text))
            return (int)e;
    }
    return -1;
}

static void show(const char *text, const verdict *v, const char *who)
{
    printf("  %s: ", who);
    if (v->family == 0) {
        printf("rejects");
    } else {
        printf("IPv%d ", v->family);
        for (int i = 0; i < (v->family == 4 ? 4 : 16); i++)
            printf("%02x", v->ip[i]);
    }
    printf(" \"");
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        printf(*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? "%c" : "\\x%02x", *p);
    printf("\"\n");
}

static int compare(const char *oracle, const oracle_inputs *in, const verdict *theirs)
{
    size_t hits[ORACLE_NEXCEPTIONS + 1], bad = 0, differ = 0, accepted = 0;
    memset(hits, 0, sizeof hits);
    for (size_t i = 0; i < in->n; i++) {
        verdict mine = ours(in->text[i]);
        accepted += mine.family != 0;
        if (same(&mine, &theirs[i]))
            continue;
        differ++;
        int e = explain(oracle, in->text[i], &theirs[i], &mine);
        if (e >= 0) {
            hits[e]++;
            continue;
        }
        if (bad++ < MAX_SHOWN) {
            printf("undocumented disagreement:\n");
            show(in->text[i], &theirs[i], oracle);
            show(in->text[i], &mine, "sockport");
        }
    }
    for (size_t e = 0; e < ORACLE_NEXCEPTIONS; e++)
        if (hits[e] > 0)
            printf("  documented (%s): %lu input(s)\n", oracle_exceptions[e].reason,
                   (unsigned long)hits[e]);
    printf("oracle %s: %lu inputs (%lu valid for sockport), %lu disagreements, %lu undocumented\n",
           oracle, (unsigned long)in->n, (unsigned long)accepted, (unsigned long)differ,
           (unsigned long)bad);
    return bad == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    oracle_inputs in;
    const char *oracle = argc > 1 ? argv[1] : "";
    oracle_inputs_make(&in);
    verdict *theirs = calloc(in.n, sizeof *theirs);
    int rc = -1;
    if (theirs == NULL)
        return 2;
#ifdef _WIN32
    if (strcmp(oracle, "winsock") == 0)
        rc = system_oracle(&in, theirs);
#else
    if (strcmp(oracle, "glibc") == 0)
        rc = system_oracle(&in, theirs);
    else if (strcmp(oracle, "musl") == 0 && argc > 2)
        rc = musl_oracle(argv[2], &in, theirs);
#endif
    if (rc != 0) {
        printf("skipped: oracle \"%s\" is not available here\n", oracle);
        return 77;
    }
    rc = compare(oracle, &in, theirs);
    free(theirs);
    oracle_inputs_free(&in);
    return rc;
}
