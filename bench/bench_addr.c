/*
 * `sp_bench addr`: address text in and out, sockport against glibc, libuv
 * and libevent, on a fixed mix of 8 IPv4 and 8 IPv6 literals.
 *
 * Parse: sockport_addr_ip() against inet_pton(), uv_inet_pton() and
 * evutil_inet_pton() (the peers are told the family; sockport finds it).
 * Format, port included, the way a user would write it: sockport_addr_format()
 * against inet_ntop() + snprintf("%s:%u" / "[%s]:%u"), uv_ip4_name()/
 * uv_ip6_name() + the same snprintf, and evutil_inet_ntop() + the same
 * snprintf (libevent's evutil_format_sockaddr_port_ is not public API).
 *
 * Phases "addr/<parse|format>/<impl>/<v4|v6>/<N>": N passes over the 8
 * literals of one family, so one operation is Ir / 8. Records: "skip impl
 * why", "text impl family sample" (the first formatted text, checked equal
 * to sockport's), "done".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "bench.h"

#include <sockport/sockport.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#ifdef BENCH_HAVE_UV
#include <uv.h>
#endif
#ifdef BENCH_HAVE_EVENT
#include <event2/util.h>
#endif

#define MIX      8
#define TEXT_MAX 64

static const char *const mix_v4[MIX] = {
    "127.0.0.1",    "192.168.1.1",     "10.0.0.255", "8.8.8.8",
    "172.16.254.3", "255.255.255.255", "0.0.0.0",    "203.0.113.47",
};

static const char *const mix_v6[MIX] = {
    "::1",
    "::",
    "2001:db8::1",
    "fe80::1ff:fe23:4567:890a",
    "2001:db8:85a3::8a2e:370:7334",
    "::ffff:192.0.2.128",
    "ff02::fb",
    "2001:db8:1234:5678:9abc:def0:1234:5678",
};

/* The parsed mix, each form, port 8080: the input of the format phases. */
typedef struct addr_set {
    sockport_addr sp[MIX];
    struct sockaddr_storage native[MIX];
} addr_set;

static sockport_addr sink_addr;
static unsigned char sink_bytes[16];

/* ---- parse --------------------------------------------------------------- */

static BENCH_OP int bench_op_parse_sockport(int af, const char *text)
{
    (void)af;
    return sockport_addr_ip(&sink_addr, text, 8080) == 0;
}

static BENCH_OP int bench_op_parse_glibc(int af, const char *text)
{
    return inet_pton(af, text, sink_bytes) == 1;
}

#ifdef BENCH_HAVE_UV
static BENCH_OP int bench_op_parse_libuv(int af, const char *text)
{
    return uv_inet_pton(af, text, sink_bytes) == 0;
}
#endif

#ifdef BENCH_HAVE_EVENT
static BENCH_OP int bench_op_parse_libevent(int af, const char *text)
{
    return evutil_inet_pton(af, text, sink_bytes) == 1;
}
#endif

/* ---- format -------------------------------------------------------------- */

static BENCH_OP int bench_op_format_sockport(const addr_set *s, int i, char *buf)
{
    return sockport_addr_format(&s->sp[i], buf, TEXT_MAX);
}

/* snprintf of the port, as a user of an IP-only formatter adds it. */
static int with_port(char *buf, const struct sockaddr *sa, const char *ip)
{
    if (sa->sa_family == AF_INET)
        return snprintf(buf, TEXT_MAX, "%s:%u", ip,
                        (unsigned)ntohs(((const struct sockaddr_in *)sa)->sin_port));
    return snprintf(buf, TEXT_MAX, "[%s]:%u", ip,
                    (unsigned)ntohs(((const struct sockaddr_in6 *)sa)->sin6_port));
}

static BENCH_OP int bench_op_format_glibc(const addr_set *s, int i, char *buf)
{
    const struct sockaddr *sa = (const struct sockaddr *)&s->native[i];
    const void *ip = sa->sa_family == AF_INET
                         ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                         : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
    char text[INET6_ADDRSTRLEN];

    if (inet_ntop(sa->sa_family, ip, text, sizeof text) == NULL)
        return -1;
    return with_port(buf, sa, text);
}

#ifdef BENCH_HAVE_UV
static BENCH_OP int bench_op_format_libuv(const addr_set *s, int i, char *buf)
{
    const struct sockaddr *sa = (const struct sockaddr *)&s->native[i];
    char text[INET6_ADDRSTRLEN];
    int rc = sa->sa_family == AF_INET
                 ? uv_ip4_name((const struct sockaddr_in *)sa, text, sizeof text)
                 : uv_ip6_name((const struct sockaddr_in6 *)sa, text, sizeof text);

    return rc != 0 ? -1 : with_port(buf, sa, text);
}
#endif

#ifdef BENCH_HAVE_EVENT
static BENCH_OP int bench_op_format_libevent(const addr_set *s, int i, char *buf)
{
    const struct sockaddr *sa = (const struct sockaddr *)&s->native[i];
    const void *ip = sa->sa_family == AF_INET
                         ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                         : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
    char text[INET6_ADDRSTRLEN];

    if (evutil_inet_ntop(sa->sa_family, ip, text, sizeof text) == NULL)
        return -1;
    return with_port(buf, sa, text);
}
#endif

/* ---- the implementations -------------------------------------------------- */

typedef struct addr_impl {
    const char *name;
    int (*parse)(int af, const char *text);
    int (*format)(const addr_set *s, int i, char *buf);
} addr_impl;

static const addr_impl impls[] = {
    {"sockport", bench_op_parse_sockport, bench_op_format_sockport},
    {"glibc", bench_op_parse_glibc, bench_op_format_glibc},
#ifdef BENCH_HAVE_UV
    {"libuv", bench_op_parse_libuv, bench_op_format_libuv},
#endif
#ifdef BENCH_HAVE_EVENT
    {"libevent", bench_op_parse_libevent, bench_op_format_libevent},
#endif
};

static void report_skips(void)
{
#ifndef BENCH_HAVE_UV
    printf("skip\tlibuv\tbuilt without libuv (libuv1-dev)\n");
#endif
#ifndef BENCH_HAVE_EVENT
    printf("skip\tlibevent\tbuilt without libevent (libevent-dev)\n");
#endif
}

static void parse_pass(const addr_impl *im, int af, const char *const mix[MIX], long n)
{
    for (long k = 0; k < n; k++) {
        for (int i = 0; i < MIX; i++) {
            if (!im->parse(af, mix[i]))
                bench_die(mix[i], 0);
        }
    }
}

static void format_pass(const addr_impl *im, const addr_set *s, long n)
{
    char buf[TEXT_MAX];

    for (long k = 0; k < n; k++) {
        for (int i = 0; i < MIX; i++) {
            if (im->format(s, i, buf) <= 0)
                bench_die("format", i);
        }
    }
}

static void parse_phases(const addr_impl *im, long n)
{
    static const char *const fam[2] = {"v4", "v6"};

    for (int f = 0; f < 2; f++) {
        const char *const *mix = f == 0 ? mix_v4 : mix_v6;
        int af = f == 0 ? AF_INET : AF_INET6;
        parse_pass(im, af, mix, 1); /* warm: lazy binding, first-touch */
        bench_phase_start();
        parse_pass(im, af, mix, n);
        bench_phase_end("addr/parse/%s/%s/%ld", im->name, fam[f], n);
        parse_pass(im, af, mix, 2 * n);
        bench_phase_end("addr/parse/%s/%s/%ld", im->name, fam[f], 2 * n);
    }
}

/* The mix of one family, parsed into both forms with port 8080. */
static void build_set(addr_set *s, int af, const char *const mix[MIX])
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < MIX; i++) {
        struct sockaddr_in *in = (struct sockaddr_in *)&s->native[i];
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s->native[i];
        void *dst = af == AF_INET ? (void *)&in->sin_addr : (void *)&in6->sin6_addr;
        if (sockport_addr_ip(&s->sp[i], mix[i], 8080) < 0 || inet_pton(af, mix[i], dst) != 1)
            bench_die(mix[i], 0);
        s->native[i].ss_family = (sa_family_t)af;
        if (af == AF_INET)
            in->sin_port = htons(8080);
        else
            in6->sin6_port = htons(8080);
    }
}

/* Every implementation must write sockport's text, or the counts compare
 * different work. */
static void check_texts(const addr_impl *im, const addr_set *s)
{
    char want[TEXT_MAX], got[TEXT_MAX];

    for (int i = 0; i < MIX; i++) {
        if (impls[0].format(s, i, want) <= 0 || im->format(s, i, got) <= 0)
            bench_die("format check", i);
        if (strcmp(want, got) != 0) {
            fprintf(stderr, "sp_bench: %s writes \"%s\", sockport \"%s\"\n", im->name, got, want);
            bench_die("format check", i);
        }
    }
}

static void format_phases(const addr_impl *im, const addr_set sets[2], long n)
{
    static const char *const fam[2] = {"v4", "v6"};

    for (int f = 0; f < 2; f++) {
        check_texts(im, &sets[f]);
        format_pass(im, &sets[f], 1);
        bench_phase_start();
        format_pass(im, &sets[f], n);
        bench_phase_end("addr/format/%s/%s/%ld", im->name, fam[f], n);
        format_pass(im, &sets[f], 2 * n);
        bench_phase_end("addr/format/%s/%s/%ld", im->name, fam[f], 2 * n);
    }
}

int bench_addr_main(int argc, char **argv)
{
    static addr_set sets[2];
    const char *only = "";
    long iters = 100;

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--iters") == 0)
            iters = bench_count(argv[i + 1]);
        else if (strcmp(argv[i], "--only") == 0)
            only = argv[i + 1];
    }
    report_skips();
    build_set(&sets[0], AF_INET, mix_v4);
    build_set(&sets[1], AF_INET6, mix_v6);
    for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++) {
        if (strcmp(only, "format") != 0)
            parse_phases(&impls[k], iters);
        if (strcmp(only, "parse") != 0)
            format_phases(&impls[k], sets, iters);
    }
    printf("done\n");
    return 0;
}
