/*
 * End-to-end tests of spcat on loopback: `test_spcat SPCAT CASE` runs spcat
 * processes with files as their stdin/stdout/stderr and checks what they
 * wrote and how they ended. The same source runs on Linux and, through
 * CreateProcess, under Wine. Exit 0: passed; 77: skipped (the reason is
 * printed); anything else: failed.
 */
#include "sp_platform.h" /* first: it selects the POSIX feature set */

#include "proc.h"

#include <sockport/sockport.h>

#include <stdbool.h>
#include <stdlib.h>

enum { PASS = 0, FAIL = 1, SKIP = 77 };

#define DEADLINE_MS 60000
#define BIG         (16u << 20) /* more than loopback buffers hold, both ways */

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            return FAIL;                                                                           \
        }                                                                                          \
    } while (0)

/* One spcat process and its three files. */
typedef struct run {
    proc *p;
    char in[300], out[300], err[300];
    int code;
} run;

typedef struct fixture {
    const char *spcat;
    char dir[260];
    run runs[2];
    int nruns;
} fixture;

/* ---- files -------------------------------------------------------------- */

static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = len > 0 ? fwrite(data, 1, len, f) : 0;
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

/* The whole file, NUL-terminated, or NULL. The caller frees it. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL)
        return NULL;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *bigger = realloc(buf, cap = 2 * cap + 65536 + 1);
            if (bigger == NULL)
                break;
            buf = bigger;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static bool file_has(const char *path, const char *needle)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    bool found = text != NULL && strstr(text, needle) != NULL;
    free(text);
    return found;
}

static bool file_equals(const char *path, const void *data, size_t len)
{
    size_t n = 0;
    char *text = slurp(path, &n);
    bool same = text != NULL && n == len && memcmp(text, data, len) == 0;
    if (!same)
        fprintf(stderr, "%s: %zu bytes, want %zu\n", path, n, len);
    free(text);
    return same;
}

/* Bytes whose order matters: a reordered or dropped chunk shows. */
static char *pattern(size_t len, unsigned seed)
{
    char *p = malloc(len);
    for (size_t i = 0; p != NULL && i < len; i++)
        p[i] = (char)((i * 131u + (i >> 16) * 7u + seed) & 0xffu);
    return p;
}

/* ---- running spcat ------------------------------------------------------ */

/* Starts spcat with args (NULL-terminated) and input as its stdin. */
static run *start(fixture *f, const char *tag, const void *input, size_t len,
                  const char *const *args)
{
    const char *argv[16] = {f->spcat};
    size_t argc = 1;
    while (args[argc - 1] != NULL && argc < 15) {
        argv[argc] = args[argc - 1];
        argc++;
    }
    argv[argc] = NULL;
    run *r = &f->runs[f->nruns++];
    snprintf(r->in, sizeof r->in, "%s/%s.in", f->dir, tag);
    snprintf(r->out, sizeof r->out, "%s/%s.out", f->dir, tag);
    snprintf(r->err, sizeof r->err, "%s/%s.err", f->dir, tag);
    if (write_file(r->in, input, len) != 0 || proc_start(&r->p, argv, r->in, r->out, r->err) != 0) {
        fprintf(stderr, "cannot start %s\n", f->spcat);
        return NULL;
    }
    return r;
}

/* Waits for the process; its exit code, or -1 when it had to be killed. */
static int finish(run *r)
{
    if (proc_wait(r->p, DEADLINE_MS, &r->code) != 0) {
        fprintf(stderr, "%s: still running after %d ms, killed\n", r->err, DEADLINE_MS);
        r->code = -1;
    }
    return r->code;
}

/* Waits until a listener prints "spcat: listening on ADDRESS"; copies ADDRESS. */
static int wait_listening(run *r, char *addr, size_t cap)
{
    static const char tag[] = "spcat: listening on ";
    int64_t deadline = sp_now_ms() + DEADLINE_MS;
    for (int code = 0; sp_now_ms() < deadline; sp_sleep_ms(10)) {
        size_t len = 0;
        char *text = slurp(r->err, &len);
        char *at = text != NULL ? strstr(text, tag) : NULL;
        char *end = at != NULL ? strpbrk(at, "\r\n") : NULL;
        if (end != NULL && (size_t)(end - at) - (sizeof tag - 1) < cap) {
            *end = '\0';
            strcpy(addr, at + sizeof tag - 1);
        }
        free(text);
        if (end != NULL)
            return 0;
        if (proc_poll(r->p, &code))
            return -1;
    }
    return -1;
}

/* ---- cases -------------------------------------------------------------- */

static const char greeting[] = "hello over loopback\nsecond line\n";

/* A listener on bind_addr, a client that sends greeting; both must end 0 and
 * the listener must print exactly the greeting. */
static int stream_round_trip(fixture *f, const char *bind_addr, const char *peer_prefix)
{
    char addr[SOCKPORT_ADDRSTRLEN];
    const char *largs[] = {"-l", "-v", bind_addr, NULL};
    run *l = start(f, "listener", "", 0, largs);
    CHECK(l != NULL && wait_listening(l, addr, sizeof addr) == 0);
    printf("listener on %s\n", addr);
    const char *cargs[] = {"-v", "-w", "10", addr, NULL};
    run *c = start(f, "client", greeting, sizeof greeting - 1, cargs);
    CHECK(c != NULL);
    CHECK(finish(c) == 0);
    CHECK(finish(l) == 0);
    CHECK(file_equals(l->out, greeting, sizeof greeting - 1));
    CHECK(file_equals(c->out, "", 0));
    CHECK(file_has(l->err, "spcat: connection from "));
    CHECK(file_has(l->err, peer_prefix));
    CHECK(file_has(c->err, "spcat: connected to "));
    return PASS;
}

static int case_tcp_round_trip(fixture *f)
{
    return stream_round_trip(f, "127.0.0.1:0", "from 127.0.0.1:");
}

/* An IPv6 socket bound to ::1, or SKIP with the reason. */
static int probe_ipv6(void)
{
    sockport_socket *s = NULL;
    sockport_addr a;
    int rc = sockport_addr_parse(&a, "[::1]:0");
    if (rc == 0 && (rc = sockport_open(&s, SOCKPORT_AF_INET6, SOCKPORT_SOCK_STREAM, 0, 0)) == 0) {
        rc = sockport_bind(s, &a);
        sockport_close(s);
    }
    if (rc < 0)
        printf("SKIP: no IPv6 loopback here: bind [::1]:0: %s\n", sockport_err_name(rc));
    return rc < 0 ? SKIP : PASS;
}

static int case_tcp6_round_trip(fixture *f)
{
    int rc = probe_ipv6();
    return rc != PASS ? rc : stream_round_trip(f, "[::1]:0", "from [::1]:");
}

/* Both sides send 16 MiB at once: a spcat that did not read while it wrote
 * would fill both kernels' buffers and never finish. */
static int case_tcp_large_both_ways(fixture *f)
{
    char addr[SOCKPORT_ADDRSTRLEN];
    char *a = pattern(BIG, 1), *b = pattern(BIG, 2);
    CHECK(a != NULL && b != NULL);
    const char *largs[] = {"-l", "-v", "127.0.0.1:0", NULL};
    run *l = start(f, "listener", a, BIG, largs);
    CHECK(l != NULL && wait_listening(l, addr, sizeof addr) == 0);
    const char *cargs[] = {addr, NULL};
    run *c = start(f, "client", b, BIG, cargs);
    CHECK(c != NULL);
    CHECK(finish(c) == 0);
    CHECK(finish(l) == 0);
    CHECK(file_equals(l->out, b, BIG));
    CHECK(file_equals(c->out, a, BIG));
    free(a);
    free(b);
    return PASS;
}

static int case_udp_round_trip(fixture *f)
{
    char addr[SOCKPORT_ADDRSTRLEN];
    /* -w: the listener ends 5 s after the last datagram (slack for a slow start) */
    const char *largs[] = {"-u", "-l", "-v", "-w", "5", "127.0.0.1:0", NULL};
    run *l = start(f, "listener", "", 0, largs);
    CHECK(l != NULL && wait_listening(l, addr, sizeof addr) == 0);
    const char *cargs[] = {"-u", "-v", addr, NULL};
    run *c = start(f, "client", greeting, sizeof greeting - 1, cargs);
    CHECK(c != NULL);
    CHECK(finish(c) == 0);
    CHECK(finish(l) == 0);
    CHECK(file_equals(l->out, greeting, sizeof greeting - 1));
    CHECK(file_has(l->err, "spcat: datagrams from 127.0.0.1:"));
    return PASS;
}

/* SKIP with the reason when this system has no AF_UNIX stream sockets. */
static int probe_unix(void)
{
    sockport_socket *s = NULL;
    int rc = sockport_open(&s, SOCKPORT_AF_UNIX, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc == 0) {
        sockport_close(s);
        return PASS;
    }
    printf("SKIP: no AF_UNIX sockets on this system: %s (%s, os %d)\n", sockport_strerror(rc),
           sockport_err_name(rc), sockport_last_os_error());
    return SKIP;
}

static int case_unix_round_trip(fixture *f)
{
    char path[300], addr[320];
    int rc = probe_unix();
    if (rc != PASS)
        return rc;
    snprintf(path, sizeof path, "%s/s.sock", f->dir);
    snprintf(addr, sizeof addr, "unix:%s", path);
    const char *largs[] = {"-l", "-v", addr, NULL};
    run *l = start(f, "listener", "", 0, largs);
    char shown[SOCKPORT_ADDRSTRLEN];
    CHECK(l != NULL && wait_listening(l, shown, sizeof shown) == 0);
    CHECK(strcmp(shown, path) == 0);
    const char *cargs[] = {addr, NULL};
    run *c = start(f, "client", greeting, sizeof greeting - 1, cargs);
    CHECK(c != NULL);
    CHECK(finish(c) == 0);
    CHECK(finish(l) == 0);
    CHECK(file_equals(l->out, greeting, sizeof greeting - 1));
    CHECK(remove(path) != 0); /* the listener removed its socket file */
    return PASS;
}

/* Runs spcat with one argument list; checks the exit code and that stderr
 * has each needle. */
static int expect_error(fixture *f, const char *const *args, int code, const char *const *needles)
{
    run *r = start(f, "err", "", 0, args);
    if (r == NULL)
        return FAIL;
    int got = finish(r);
    f->nruns--; /* the next call reuses the slot */
    size_t len = 0;
    char *err = slurp(r->err, &len);
    printf("spcat");
    for (size_t i = 0; args[i] != NULL; i++)
        printf(" %s", args[i]);
    printf(" -> exit %d: %s", got, err != NULL ? err : "(no stderr)\n");
    bool ok = got == code;
    for (size_t i = 0; needles[i] != NULL; i++)
        ok = ok && err != NULL && strstr(err, needles[i]) != NULL;
    free(err);
    if (!ok)
        fprintf(stderr, "want exit %d and stderr with every expected phrase\n", code);
    proc_free(r->p);
    r->p = NULL;
    return ok ? PASS : FAIL;
}

static int case_bad_address(fixture *f)
{
    static const char *const bad[] = {"1.2.3:80",      "127.0.0.1", "[::1]",    "01.2.3.4:80",
                                      "1.2.3.4:65536", "unix:",     "[::1]:80x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "spcat: bad address \"%s\"", bad[i]);
        const char *args[] = {bad[i], NULL};
        const char *needles[] = {quoted, "invalid argument (EINVAL, os 0)", "usage: spcat", NULL};
        CHECK(expect_error(f, args, 2, needles) == PASS);
    }
    return PASS;
}

/* A host name goes through sockport_resolve(): "localhost" must reach a
 * listener on 127.0.0.1 (trying ::1 first is fine). Where the backend has
 * no resolver yet, spcat must say so clearly; the case then skips. */
static int case_host_name(fixture *f)
{
    char addr[SOCKPORT_ADDRSTRLEN], name[SOCKPORT_ADDRSTRLEN + 16];
    const char *largs[] = {"-l", "-v", "127.0.0.1:0", NULL};
    run *l = start(f, "listener", "", 0, largs);
    CHECK(l != NULL && wait_listening(l, addr, sizeof addr) == 0);
    snprintf(name, sizeof name, "localhost:%s", strrchr(addr, ':') + 1);
    const char *cargs[] = {"-v", "-w", "10", name, NULL};
    run *c = start(f, "client", greeting, sizeof greeting - 1, cargs);
    CHECK(c != NULL);
    int code = finish(c);
    if (code == 1 && file_has(c->err, "operation not supported (ENOTSUP, os 0)")) {
        char want[2 * SOCKPORT_ADDRSTRLEN];
        snprintf(want, sizeof want, "spcat: cannot resolve \"%s\" (this build has no resolver",
                 name);
        CHECK(file_has(c->err, want));
        printf("SKIP: sockport_resolve() answers ENOTSUP here: the backend has no resolver yet\n");
        return SKIP;
    }
    CHECK(code == 0);
    CHECK(finish(l) == 0);
    CHECK(file_equals(l->out, greeting, sizeof greeting - 1));
    return PASS;
}

static int case_usage(fixture *f)
{
    static const char *const lists[][4] = {{NULL},
                                           {"-x", "127.0.0.1:1", NULL},
                                           {"-w", "soon", "127.0.0.1:1", NULL},
                                           {"-w", "0", "127.0.0.1:1", NULL},
                                           {"127.0.0.1:1", "127.0.0.1:2", NULL},
                                           {"-u", "unix:/tmp/x", NULL}};
    const char *needles[] = {"usage: spcat [-u] [-l] [-v] [-w SECONDS] ADDRESS", NULL};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        CHECK(expect_error(f, lists[i], 2, needles) == PASS);
    return PASS;
}

/* A bound TCP socket that does not listen: connecting to it is refused. */
static int reserve_closed_port(sockport_socket **out, char *text, size_t cap)
{
    sockport_addr a;
    int rc = sockport_addr_parse(&a, "127.0.0.1:0");
    if (rc == 0)
        rc = sockport_open(out, SOCKPORT_AF_INET, SOCKPORT_SOCK_STREAM, 0, 0);
    if (rc == 0 && ((rc = sockport_bind(*out, &a)) < 0 || (rc = sockport_local_addr(*out, &a)) < 0))
        sockport_close(*out);
    if (rc == 0)
        rc = sockport_addr_format(&a, text, cap);
    return rc < 0 ? rc : 0;
}

static int case_connect_refused(fixture *f)
{
    sockport_socket *s = NULL;
    char addr[SOCKPORT_ADDRSTRLEN], what[SOCKPORT_ADDRSTRLEN + 80];
    CHECK(reserve_closed_port(&s, addr, sizeof addr) == 0);
    snprintf(what, sizeof what, "spcat: connect to %s: connection refused (ECONNREFUSED, os ",
             addr);
    const char *args[] = {"-w", "10", addr, NULL};
    const char *needles[] = {what, NULL};
    int rc = expect_error(f, args, 1, needles);
    sockport_close(s);
    return rc;
}

/* ---- main --------------------------------------------------------------- */

#define CASE(name)                                                                                 \
    {                                                                                              \
#name, case_##name                                                                         \
    }
static const struct {
    const char *name;
    int (*fn)(fixture *);
} cases[] = {
    CASE(tcp_round_trip), CASE(tcp6_round_trip), CASE(tcp_large_both_ways),
    CASE(udp_round_trip), CASE(unix_round_trip), CASE(bad_address),
    CASE(host_name),      CASE(usage),           CASE(connect_refused),
};

/* Kills what still runs, prints stderr of failed runs, removes the files. */
static void cleanup(fixture *f, bool failed)
{
    for (int i = 0; i < f->nruns; i++) {
        run *r = &f->runs[i];
        proc_free(r->p);
        size_t len = 0;
        char *err = failed ? slurp(r->err, &len) : NULL;
        if (err != NULL)
            fprintf(stderr, "--- %s\n%s", r->err, err);
        free(err);
        sp_file_remove(r->in);
        sp_file_remove(r->out);
        sp_file_remove(r->err);
    }
    char path[300];
    snprintf(path, sizeof path, "%s/err.in", f->dir);
    const char *const names[] = {"err.in", "err.out", "err.err", "s.sock"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        sp_file_remove(path);
    }
    sp_tempdir_remove(f->dir);
}

int main(int argc, char **argv)
{
    fixture f = {0};
    if (argc != 3) {
        fprintf(stderr, "usage: test_spcat SPCAT CASE\n");
        return 2;
    }
    f.spcat = argv[1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(argv[2], cases[i].name) != 0)
            continue;
        if (sp_tempdir_make(f.dir, sizeof f.dir) != 0)
            return FAIL;
        int rc = cases[i].fn(&f);
        cleanup(&f, rc == FAIL);
        printf("spcat.%s: %s\n", cases[i].name, rc == PASS ? "PASS" : rc == SKIP ? "SKIP" : "FAIL");
        return rc;
    }
    fprintf(stderr, "test_spcat: no case %s\n", argv[2]);
    return 2;
}
