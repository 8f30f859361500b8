/*
 * spcat: netcat on sockport. Copies stdin to a socket and the socket to
 * stdout, over TCP, UDP or a Unix socket, on every system sockport runs on.
 *
 *   spcat [-u] [-l] [-v] [-w SECONDS] ADDRESS      (spcat -h for help)
 *
 * ADDRESS is a.b.c.d:port, [v6%zone]:port, host:port (sockport_resolve; a
 * client tries each address in turn) or unix:PATH. Only sockport and the C
 * library are used here; raw stdin/stdout and the one extra thread are in
 * sys.c.
 *
 * Streams: a writer thread copies stdin to the socket and half-closes it
 * (SOCKPORT_SHUT_WR) at end of input, while the main thread copies the socket
 * to stdout until the peer's end of stream; so neither direction can stall the
 * other, whatever the sizes. The peer's end of stream does not stop the
 * writer (the peer may still read): spcat ends when both directions are done.
 * Datagrams: each stdin read is one datagram.
 *
 * Exit status: 0 done, 1 a failure (reported as sockport reports it), 2 a bad
 * command line.
 */
#include <sockport/sockport.h>

#include "sys.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_USAGE = 2 };

#define CHUNK      65536 /* bytes per stream read, and per receive (holds any datagram) */
#define DGRAM_MAX  65507 /* bytes per stdin read with -u: the largest UDP/IPv4 payload */
#define TICK_MS    50    /* a datagram client's receive tick after end of input */
#define MAX_WAIT_S 86400.0
#define MAX_ADDRS  8 /* addresses a host name may give; a client tries each */

static const char usage_text[] =
    "usage: spcat [-u] [-l] [-v] [-w SECONDS] ADDRESS\n"
    "  ADDRESS  a.b.c.d:port, [v6%zone]:port, host:port or unix:PATH\n";
static const char help_text[] = "  -u  UDP (each read of stdin is one datagram)\n"
                                "  -l  listen: accept one connection, or receive datagrams (-u)\n"
                                "  -v  print addresses to stderr\n"
                                "  -w  connect timeout; -u -l: stop after SECONDS without data;\n"
                                "      -u: after end of input, wait SECONDS for replies\n"
                                "  -h  this help\n";

typedef struct options {
    bool udp, listen, verbose;
    int64_t wait_ms; /* 0: none */
    const char *address;
    const char *unix_path; /* set for unix:PATH */
} options;

/* What ADDRESS stands for: one address, or those a host name resolved to. */
typedef struct target {
    sockport_addr addrs[MAX_ADDRS];
    int count;
} target;

/* ---- reporting --------------------------------------------------------- */

/* Reports a sockport failure as "spcat: <what> <detail>: <message> (<name>,
 * os <code>)" and returns exit status 1. detail may be NULL. */
static int fail(const char *what, const char *detail, int err)
{
    int os = sockport_last_os_error();
    fprintf(stderr, "spcat: %s%s%s: %s (%s, os %d)\n", what, detail ? " " : "",
            detail ? detail : "", sockport_strerror(err), sockport_err_name(err), os);
    return EXIT_FAILURE;
}

/* Reports a C library failure (errno) and returns exit status 1. */
static int fail_errno(const char *what)
{
    fprintf(stderr, "spcat: %s: %s\n", what, strerror(errno));
    return EXIT_FAILURE;
}

static int usage(const char *complaint)
{
    if (complaint != NULL)
        fprintf(stderr, "spcat: %s\n", complaint);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/* Prints "spcat: <what> <address>" to stderr. */
static void say_addr(const char *what, const sockport_addr *a)
{
    char text[SOCKPORT_ADDRSTRLEN];
    if (sockport_addr_format(a, text, sizeof text) < 0)
        strcpy(text, "?");
    fprintf(stderr, "spcat: %s %s\n", what, text[0] != '\0' ? text : "(unnamed)");
    fflush(stderr);
}

/* With -v: one address of several failed; the next is tried. */
static void say_retry(const sockport_addr *a, int err)
{
    char text[SOCKPORT_ADDRSTRLEN];
    if (sockport_addr_format(a, text, sizeof text) < 0)
        strcpy(text, "?");
    fprintf(stderr, "spcat: connect to %s: %s (%s), trying the next address\n", text,
            sockport_strerror(err), sockport_err_name(err));
}

/* ---- command line ------------------------------------------------------ */

/* Seconds (a decimal number > 0) to milliseconds. */
static int parse_wait(const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    double s = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(s > 0.0) || s > MAX_WAIT_S)
        return -1;
    int64_t ms = (int64_t)(s * 1000.0 + 0.999);
    *out = ms > 0 ? ms : 1;
    return 0;
}

/* Applies one cluster of flags ("-lv", "-w5"); *i moves past a separate -w
 * argument. Returns 0 or EXIT_USAGE. */
static int parse_flags(options *o, int argc, char **argv, int *i)
{
    for (const char *f = argv[*i] + 1; *f != '\0'; f++) {
        if (*f == 'u' || *f == 'l' || *f == 'v') {
            *(*f == 'u' ? &o->udp : *f == 'l' ? &o->listen : &o->verbose) = true;
            continue;
        }
        if (*f == 'h') {
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            exit(EXIT_SUCCESS);
        }
        if (*f != 'w')
            return usage("unknown option");
        const char *value = f[1] != '\0' ? f + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
        if (value == NULL || parse_wait(value, &o->wait_ms) != 0)
            return usage("-w needs a number of seconds > 0");
        return 0;
    }
    return 0;
}

static int parse_args(options *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (parse_flags(o, argc, argv, &i) != 0)
            return EXIT_USAGE;
    }
    if (i != argc - 1)
        return usage(i == argc ? "missing ADDRESS" : "one ADDRESS only");
    o->address = argv[i];
    return 0;
}

/* ---- addresses ---------------------------------------------------------- */

/* A host name, where a literal was not: letters, digits, '.' and '-', with at
 * least one letter (so "1.2.3" stays a malformed literal). */
static bool is_host_name(const char *s, size_t len)
{
    bool letter = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        letter |= alpha;
        if (!alpha && !(c >= '0' && c <= '9') && c != '.' && c != '-')
            return false;
    }
    return letter;
}

/* The resolver fallback: the one place that turns a host name and a port
 * into addresses (up to MAX_ADDRS, in the resolver's order). */
static int resolve_host(const char *host, const char *port, int type, target *t)
{
    sockport_resolve_hints hints = {SOCKPORT_AF_UNSPEC, type, 0, SOCKPORT_AI_NUMERICSERV};
    int n = sockport_resolve(host, port, &hints, t->addrs, MAX_ADDRS);
    if (n > 0)
        t->count = n;
    return n < 0 ? n : 0;
}

/* Splits "host:port" and resolves it; SOCKPORT_EINVAL when the text is not
 * of that shape. */
static int parse_host_port(const char *text, int type, target *t)
{
    const char *colon = strrchr(text, ':');
    char host[256];
    size_t len = colon != NULL ? (size_t)(colon - text) : 0;
    if (len == 0 || len >= sizeof host || !is_host_name(text, len))
        return SOCKPORT_EINVAL;
    memcpy(host, text, len);
    host[len] = '\0';
    return resolve_host(host, colon + 1, type, t);
}

/* ADDRESS text to addresses: unix:PATH, an IP literal with port, or a host
 * name with port. */
static int parse_address(options *o, target *t)
{
    static const char unix_prefix[] = "unix:";
    int rc;
    t->count = 1;
    if (strncmp(o->address, unix_prefix, sizeof unix_prefix - 1) == 0) {
        o->unix_path = o->address + sizeof unix_prefix - 1;
        return sockport_addr_unix(&t->addrs[0], o->unix_path);
    }
    rc = sockport_addr_parse(&t->addrs[0], o->address);
    if (rc == SOCKPORT_EINVAL && o->address[0] != '[')
        rc = parse_host_port(o->address, o->udp ? SOCKPORT_SOCK_DGRAM : SOCKPORT_SOCK_STREAM, t);
    return rc;
}

/* Reports why ADDRESS was refused: malformed text is a usage error (2), a
 * name that cannot be resolved a failure (1). */
static int address_error(const options *o, int rc)
{
    char what[512];
    if (rc == SOCKPORT_EINVAL || rc == SOCKPORT_ENAMETOOLONG) {
        snprintf(what, sizeof what, "bad address \"%s\"", o->address);
        fail(what, "(want a.b.c.d:port, [v6%zone]:port, host:port or unix:PATH)", rc);
        return usage(NULL);
    }
    snprintf(what, sizeof what, "cannot resolve \"%s\"", o->address);
    if (rc == SOCKPORT_ENOTSUP)
        return fail(what, "(this build has no resolver: use an IP literal)", rc);
    return fail(what, NULL, rc);
}

/* ---- copying ------------------------------------------------------------ */

typedef struct pump {
    sockport_socket *s;
    bool dgram;
    atomic_bool input_done; /* the writer reached end of stdin (or failed) */
} pump;

static int send_all(sockport_socket *s, const char *buf, size_t len)
{
    while (len > 0) {
        ptrdiff_t n = sockport_send(s, buf, len, 0);
        if (n < 0)
            return (int)n;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* stdin to the socket, then the half-close. Runs on its own thread. */
static int copy_stdin(void *arg)
{
    pump *p = arg;
    static char buf[CHUNK];
    int status = 0, rc = 0;
    for (;;) {
        ptrdiff_t n = spcat_read_stdin(buf, p->dgram ? DGRAM_MAX : sizeof buf);
        if (n <= 0) {
            status = n < 0 ? fail_errno("read stdin") : 0;
            break;
        }
        rc =
            p->dgram ? (int)sockport_send(p->s, buf, (size_t)n, 0) : send_all(p->s, buf, (size_t)n);
        if (rc < 0)
            break;
    }
    if (rc >= 0 && !p->dgram)
        rc = sockport_shutdown(p->s, SOCKPORT_SHUT_WR);
    atomic_store(&p->input_done, true);
    return rc < 0 ? fail("send", NULL, rc) : status;
}

static bool is_timeout(ptrdiff_t rc)
{
    return rc == SOCKPORT_EAGAIN || rc == SOCKPORT_ETIMEDOUT;
}

/* The socket to stdout until end of stream, or for a datagram client until
 * the input is done and nothing came for wait_ms. */
static int copy_socket(pump *p, int64_t wait_ms)
{
    static char buf[CHUNK];
    int64_t idle = 0;
    for (;;) {
        ptrdiff_t n = sockport_recv(p->s, buf, sizeof buf, 0);
        if (p->dgram && is_timeout(n)) {
            idle = atomic_load(&p->input_done) ? idle + TICK_MS : 0;
            if (atomic_load(&p->input_done) && idle >= wait_ms)
                return 0;
            continue;
        }
        if (n < 0)
            return fail("receive", NULL, (int)n);
        if (n == 0 && !p->dgram)
            return 0;
        if (spcat_write_stdout(buf, (size_t)n) != 0)
            return fail_errno("write stdout");
        idle = 0;
    }
}

/* Both directions at once on a connected socket. */
static int run_pump(sockport_socket *s, const options *o)
{
    pump p = {s, o->udp, false};
    spcat_thread *writer = NULL;
    if (p.dgram) {
        int rc = sockport_set_recv_timeout(s, TICK_MS);
        if (rc < 0)
            return fail("set receive timeout", NULL, rc);
    }
    if (spcat_thread_start(&writer, copy_stdin, &p) != 0)
        return fail_errno("start thread");
    int status = copy_socket(&p, o->wait_ms);
    if (status != 0) {
        /* The writer may be blocked on stdin, or inside a send: end the
         * process without waiting for it and without closing under it. */
        fflush(stderr);
        _Exit(status);
    }
    return spcat_thread_join(writer);
}

/* ---- the modes ---------------------------------------------------------- */

static int open_for(const options *o, const sockport_addr *a, sockport_socket **out)
{
    int type = o->udp ? SOCKPORT_SOCK_DGRAM : SOCKPORT_SOCK_STREAM;
    int rc = sockport_open(out, sockport_addr_family(a), type, 0, 0);
    return rc < 0 ? fail("open socket", NULL, rc) : 0;
}

/* Opens a socket for a and connects it; *out is NULL on failure. */
static int open_connect(const options *o, const sockport_addr *a, sockport_socket **out)
{
    int type = o->udp ? SOCKPORT_SOCK_DGRAM : SOCKPORT_SOCK_STREAM;
    int rc = sockport_open(out, sockport_addr_family(a), type, 0, 0);
    if (rc < 0)
        return rc;
    rc = o->wait_ms > 0 ? sockport_connect_timeout(*out, a, o->wait_ms) : sockport_connect(*out, a);
    if (rc < 0) {
        sockport_close(*out); /* succeeds: the connect's OS code stays readable */
        *out = NULL;
    }
    return rc;
}

/* Tries each address in turn; with -v says which failed and which worked. */
static int connect_any(const options *o, const target *t, sockport_socket **out)
{
    int rc = SOCKPORT_EINVAL;
    for (int i = 0; i < t->count; i++) {
        rc = open_connect(o, &t->addrs[i], out);
        if (rc == 0)
            break;
        if (o->verbose && i + 1 < t->count)
            say_retry(&t->addrs[i], rc);
    }
    if (rc < 0) {
        char what[SOCKPORT_ADDRSTRLEN + 16];
        snprintf(what, sizeof what, "connect to %s", o->address);
        return fail(what, NULL, rc);
    }
    sockport_addr local, peer;
    if (o->verbose && sockport_local_addr(*out, &local) == 0 &&
        sockport_peer_addr(*out, &peer) == 0) {
        say_addr("connected from", &local);
        say_addr("connected to", &peer);
    }
    return 0;
}

static int run_client(const options *o, const target *t)
{
    sockport_socket *s = NULL;
    int status = connect_any(o, t, &s);
    if (status == 0)
        status = run_pump(s, o);
    if (s != NULL)
        sockport_close(s);
    return status;
}

/* Binds (and for streams listens), then says where with -v. */
static int bind_here(sockport_socket *s, const options *o, const sockport_addr *a)
{
    int rc = 0;
    if (!o->udp && sockport_addr_family(a) != SOCKPORT_AF_UNIX)
        rc = sockport_set_bool(s, SOCKPORT_OPT_SO_REUSEADDR, true);
    if (rc < 0)
        return fail("set SO_REUSEADDR", NULL, rc);
    if ((rc = sockport_bind(s, a)) < 0)
        return fail("bind", o->address, rc);
    if (!o->udp && (rc = sockport_listen(s, 1)) < 0)
        return fail("listen on", o->address, rc);
    sockport_addr where;
    if ((rc = sockport_local_addr(s, &where)) < 0)
        return fail("read local address", NULL, rc);
    if (o->verbose)
        say_addr("listening on", &where);
    return 0;
}

static int accept_one(sockport_socket *listener, const options *o, sockport_socket **out)
{
    sockport_addr peer;
    int rc = sockport_accept(listener, out, &peer, 0);
    if (rc < 0)
        return fail("accept", NULL, rc);
    if (o->verbose)
        say_addr("connection from", &peer);
    return 0;
}

/* Listens, accepts one connection, then copies both ways as a client does. */
static int serve_stream(sockport_socket *listener, const options *o)
{
    sockport_socket *conn = NULL;
    int status = accept_one(listener, o, &conn);
    if (status != 0)
        return status;
    status = run_pump(conn, o);
    sockport_close(conn);
    return status;
}

/* Receives datagrams to stdout until -w seconds pass without one. */
static int serve_dgram(sockport_socket *s, const options *o)
{
    static char buf[CHUNK];
    sockport_addr from, last = {0};
    int rc = o->wait_ms > 0 ? sockport_set_recv_timeout(s, o->wait_ms) : 0;
    if (rc < 0)
        return fail("set receive timeout", NULL, rc);
    for (;;) {
        ptrdiff_t n = sockport_recv_from(s, buf, sizeof buf, 0, &from);
        if (is_timeout(n) && o->wait_ms > 0)
            return 0;
        if (n < 0)
            return fail("receive", NULL, (int)n);
        if (o->verbose && sockport_addr_compare(&from, &last) != 0)
            say_addr("datagrams from", &from);
        last = from;
        if (spcat_write_stdout(buf, (size_t)n) != 0)
            return fail_errno("write stdout");
    }
}

static int run_listen(const options *o, const target *t)
{
    sockport_socket *s = NULL;
    const sockport_addr *a = &t->addrs[0];
    int status = open_for(o, a, &s);
    if (status != 0)
        return status;
    status = bind_here(s, o, a);
    bool bound_path = o->unix_path != NULL && status == 0;
    if (status == 0)
        status = o->udp ? serve_dgram(s, o) : serve_stream(s, o);
    sockport_close(s);
    if (bound_path)
        remove(o->unix_path); /* the socket file this run made */
    return status;
}

int main(int argc, char **argv)
{
    options o;
    target t;
    int status = parse_args(&o, argc, argv);
    if (status != 0)
        return status;
    int rc = parse_address(&o, &t);
    if (rc < 0)
        return address_error(&o, rc);
    if (o.unix_path != NULL && o.udp)
        return usage("-u does not go with unix:PATH (stream sockets only)");
    if (spcat_stdio_binary() != 0)
        return fail_errno("binary stdio");
    return o.listen ? run_listen(&o, &t) : run_client(&o, &t);
}
