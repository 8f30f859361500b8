/*
 * The fault backend's text and native codes: the strict parser of
 * "slot:nth[:mode[:what[:os_code]]]", the one-line description a failing
 * test prints, SOCKPORT_FAULT from the environment, and the native code an
 * injected SOCKPORT_E* records.
 *
 * Native codes: POSIX errno values differ between systems, so they come from
 * <errno.h> (a C standard header; the POSIX names are guarded). WinSock's
 * codes are fixed by the Windows ABI (winerror.h), so they are written as
 * numbers: the core includes no system header. Each maps back to the same
 * SOCKPORT_E* through the backend's own map (tests/test_fault.c checks it).
 */
#include "fault_slots.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
#ifdef _WIN32
static int native_code(int err)
{
    switch (err) {
    case SOCKPORT_EINVAL:          return 10022; /* WSAEINVAL */
    case SOCKPORT_ENOMEM:          return 8;     /* WSA_NOT_ENOUGH_MEMORY */
    case SOCKPORT_ENOTSUP:         return 10045; /* WSAEOPNOTSUPP */
    case SOCKPORT_EAGAIN:          return 10035; /* WSAEWOULDBLOCK */
    case SOCKPORT_EINTR:           return 10004; /* WSAEINTR */
    case SOCKPORT_ECONNREFUSED:    return 10061;
    case SOCKPORT_ECONNRESET:      return 10054;
    case SOCKPORT_ECONNABORTED:    return 10053;
    case SOCKPORT_ETIMEDOUT:       return 10060;
    case SOCKPORT_EADDRINUSE:      return 10048;
    case SOCKPORT_EADDRNOTAVAIL:   return 10049;
    case SOCKPORT_EAFNOSUPPORT:    return 10047;
    case SOCKPORT_EPROTONOSUPPORT: return 10043;
    case SOCKPORT_EPROTOTYPE:      return 10041;
    case SOCKPORT_ESOCKTNOSUPPORT: return 10044;
    case SOCKPORT_ENOTCONN:        return 10057;
    case SOCKPORT_EISCONN:         return 10056;
    case SOCKPORT_EINPROGRESS:     return 10036;
    case SOCKPORT_EALREADY:        return 10037;
    case SOCKPORT_EPIPE:           return 109;   /* ERROR_BROKEN_PIPE */
    case SOCKPORT_EMSGSIZE:        return 10040;
    case SOCKPORT_ENOBUFS:         return 10055;
    case SOCKPORT_EMFILE:          return 10024;
    case SOCKPORT_EACCES:          return 10013;
    case SOCKPORT_EPERM:           return 1314;  /* ERROR_PRIVILEGE_NOT_HELD */
    case SOCKPORT_ENETUNREACH:     return 10051;
    case SOCKPORT_EHOSTUNREACH:    return 10065;
    case SOCKPORT_ENETDOWN:        return 10050;
    case SOCKPORT_ENETRESET:       return 10052;
    case SOCKPORT_EHOSTDOWN:       return 10064;
    case SOCKPORT_ENOSPC:          return 122;   /* ERROR_INSUFFICIENT_BUFFER */
    case SOCKPORT_ENOENT:          return 2;     /* ERROR_FILE_NOT_FOUND */
    case SOCKPORT_EBADF:           return 10009;
    case SOCKPORT_ENOTSOCK:        return 10038;
    case SOCKPORT_ENOPROTOOPT:     return 10042;
    case SOCKPORT_ENAMETOOLONG:    return 10063;
    case SOCKPORT_ENODEV:          return 55;    /* ERROR_DEV_NOT_EXIST */
    case SOCKPORT_ENOTDIR:         return 267;   /* ERROR_DIRECTORY */
    case SOCKPORT_EROFS:           return 19;    /* ERROR_WRITE_PROTECT */
    case SOCKPORT_ELOOP:           return 10062;
    case SOCKPORT_EEXIST:          return 80;    /* ERROR_FILE_EXISTS */
    case SOCKPORT_ESHUTDOWN:       return 10101; /* WSAEDISCON */
    case SOCKPORT_ECANCELED:       return 10103;
    case SOCKPORT_ENOTINIT:        return 10093; /* WSANOTINITIALISED */
    case SOCKPORT_EFAULT:          return 10014;
    default:                       return 0;     /* ENFILE, EPROTO, EAI_*: none */
    }
}
#else
static int native_code(int err)
{
    switch (err) {
    case SOCKPORT_EINVAL:          return EINVAL;
    case SOCKPORT_ENOMEM:          return ENOMEM;
    case SOCKPORT_ENOTSUP:         return EOPNOTSUPP;
    case SOCKPORT_EAGAIN:          return EAGAIN;
    case SOCKPORT_EINTR:           return EINTR;
    case SOCKPORT_ECONNREFUSED:    return ECONNREFUSED;
    case SOCKPORT_ECONNRESET:      return ECONNRESET;
    case SOCKPORT_ECONNABORTED:    return ECONNABORTED;
    case SOCKPORT_ETIMEDOUT:       return ETIMEDOUT;
    case SOCKPORT_EADDRINUSE:      return EADDRINUSE;
    case SOCKPORT_EADDRNOTAVAIL:   return EADDRNOTAVAIL;
    case SOCKPORT_EAFNOSUPPORT:    return EAFNOSUPPORT;
    case SOCKPORT_EPROTONOSUPPORT: return EPROTONOSUPPORT;
    case SOCKPORT_EPROTOTYPE:      return EPROTOTYPE;
#ifdef ESOCKTNOSUPPORT
    case SOCKPORT_ESOCKTNOSUPPORT: return ESOCKTNOSUPPORT;
#endif
    case SOCKPORT_ENOTCONN:        return ENOTCONN;
    case SOCKPORT_EISCONN:         return EISCONN;
    case SOCKPORT_EINPROGRESS:     return EINPROGRESS;
    case SOCKPORT_EALREADY:        return EALREADY;
    case SOCKPORT_EPIPE:           return EPIPE;
    case SOCKPORT_EMSGSIZE:        return EMSGSIZE;
    case SOCKPORT_ENOBUFS:         return ENOBUFS;
    case SOCKPORT_EMFILE:          return EMFILE;
    case SOCKPORT_ENFILE:          return ENFILE;
    case SOCKPORT_EACCES:          return EACCES;
    case SOCKPORT_EPERM:           return EPERM;
    case SOCKPORT_ENETUNREACH:     return ENETUNREACH;
    case SOCKPORT_EHOSTUNREACH:    return EHOSTUNREACH;
    case SOCKPORT_ENETDOWN:        return ENETDOWN;
    case SOCKPORT_ENETRESET:       return ENETRESET;
#ifdef EHOSTDOWN
    case SOCKPORT_EHOSTDOWN:       return EHOSTDOWN;
#endif
    case SOCKPORT_ENOSPC:          return ENOSPC;
    case SOCKPORT_ENOENT:          return ENOENT;
    case SOCKPORT_EBADF:           return EBADF;
    case SOCKPORT_ENOTSOCK:        return ENOTSOCK;
    case SOCKPORT_ENOPROTOOPT:     return ENOPROTOOPT;
    case SOCKPORT_ENAMETOOLONG:    return ENAMETOOLONG;
    case SOCKPORT_ENODEV:          return ENODEV;
    case SOCKPORT_ENOTDIR:         return ENOTDIR;
    case SOCKPORT_EROFS:           return EROFS;
    case SOCKPORT_ELOOP:           return ELOOP;
    case SOCKPORT_EEXIST:          return EEXIST;
#ifdef ESHUTDOWN
    case SOCKPORT_ESHUTDOWN:       return ESHUTDOWN;
#endif
    case SOCKPORT_EPROTO:          return EPROTO;
    case SOCKPORT_ECANCELED:       return ECANCELED;
    case SOCKPORT_EFAULT:          return EFAULT;
    default:                       return 0;     /* ENOTINIT (Windows only), EAI_*: none */
    }
}
#endif
/* clang-format on */

int sockport__fault_os_code(int err)
{
    return native_code(err);
}

/* ---- parsing ------------------------------------------------------------ */

/* The next ':'-separated field of *p: its start and length; *p moves past
 * it (and its ':'). \return 0 when there is no field left. */
static int next_field(const char **p, const char **field, size_t *len)
{
    if (*p == NULL)
        return 0;
    const char *colon = strchr(*p, ':');
    *field = *p;
    *len = colon != NULL ? (size_t)(colon - *p) : strlen(*p);
    *p = colon != NULL ? colon + 1 : NULL;
    return 1;
}

static int field_is(const char *f, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(f, word, len) == 0;
}

/* Decimal without sign or leading zero, 1 ..= max. */
static int parse_number(const char *f, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || f[0] == '0')
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)f[i] - '0';
        if (d > 9 || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* A slot name or "*". */
static int parse_slot(const char *f, size_t len, sockport_fault_rule *r)
{
    char name[32];
    if (len == 0 || len >= sizeof name)
        return -1;
    memcpy(name, f, len);
    name[len] = '\0';
    int i = sockport__fault_slot_find(name);
    if (i < FAULT_SLOT_ALL)
        return -1;
    r->slot = i == FAULT_SLOT_ALL ? "*" : sockport_fault_slot_name((size_t)i);
    return 0;
}

static int parse_mode(const char *f, size_t len, sockport_fault_rule *r)
{
    if (field_is(f, len, "once"))
        r->mode = SOCKPORT_FAULT_ONCE;
    else if (field_is(f, len, "persistent"))
        r->mode = SOCKPORT_FAULT_PERSISTENT;
    else
        return -1;
    return 0;
}

/* "partial", "short", "natural" (error 0), or an error name as
 * sockport_err_name() prints it. */
static int parse_what(const char *f, size_t len, sockport_fault_rule *r)
{
    if (field_is(f, len, "natural"))
        return 0;
    if (field_is(f, len, "partial")) {
        r->kind = SOCKPORT_FAULT_PARTIAL;
        return 0;
    }
    if (field_is(f, len, "short")) {
        r->kind = SOCKPORT_FAULT_SHORT;
        return 0;
    }
    for (int e = -1; e >= SOCKPORT_ERRNO_MIN_; e--) {
        if (field_is(f, len, sockport_err_name(e))) {
            r->error = e;
            return 0;
        }
    }
    return -1;
}

/* Every field of the text in order; fields after nth are optional. */
static int parse_fields(const char *text, sockport_fault_rule *r)
{
    const char *p = text, *f;
    size_t len;
    uint64_t v;
    if (!next_field(&p, &f, &len) || parse_slot(f, len, r) < 0)
        return -1;
    if (!next_field(&p, &f, &len) || parse_number(f, len, UINT64_MAX, &r->nth) < 0)
        return -1;
    if (next_field(&p, &f, &len) && parse_mode(f, len, r) < 0)
        return -1;
    if (next_field(&p, &f, &len) && parse_what(f, len, r) < 0)
        return -1;
    if (next_field(&p, &f, &len)) {
        if (parse_number(f, len, 2147483647u, &v) < 0)
            return -1;
        r->os_code = (int)v;
    }
    return p == NULL ? 0 : -1; /* nothing may follow */
}

int sockport_fault_parse(sockport_fault_rule *out, const char *text)
{
    sockport_fault_rule r = SOCKPORT_FAULT_RULE_INIT;
    if (out == NULL || text == NULL || parse_fields(text, &r) < 0)
        return SOCKPORT__EINVAL();
    if ((r.kind == SOCKPORT_FAULT_PARTIAL && strcmp(r.slot, "send") != 0) ||
        (r.kind == SOCKPORT_FAULT_SHORT && strcmp(r.slot, "recv") != 0))
        return SOCKPORT__EINVAL();
    if (strcmp(r.slot, "*") != 0 && sockport__fault_natural(sockport__fault_slot_find(r.slot)) == 0)
        return SOCKPORT__EINVAL(); /* a slot that is never counted */
    *out = r;
    return 0;
}

int sockport_fault_from_env(void)
{
    sockport_fault_rule r;
    const char *text = getenv("SOCKPORT_FAULT");
    if (text == NULL || text[0] == '\0')
        return 0;
    int rc = sockport_fault_parse(&r, text);
    if (rc == 0)
        rc = sockport_fault_arm(&r);
    return rc < 0 ? rc : 1;
}

/* ---- description -------------------------------------------------------- */

/* Appends s at *p within end; returns 0, or -1 when it does not fit. */
static int put(char **p, const char *end, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(end - *p) < n)
        return -1;
    memcpy(*p, s, n);
    *p += n;
    return 0;
}

/* Decimal text of v into buf[21]. */
static const char *dec(char buf[21], uint64_t v)
{
    char *p = buf + 20;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    return p;
}

static const char *what_text(const sockport_fault_rule *r)
{
    if (r->kind == SOCKPORT_FAULT_PARTIAL)
        return "partial";
    if (r->kind == SOCKPORT_FAULT_SHORT)
        return "short";
    return r->error != 0 ? sockport_err_name(r->error) : NULL;
}

/* The rule's text after "SOCKPORT_FAULT=". */
static int put_rule(char **p, const char *end, const sockport_fault_rule *r)
{
    char num[21];
    const char *what = what_text(r);
    int rc = put(p, end, r->slot) | put(p, end, ":") | put(p, end, dec(num, r->nth));
    rc |= put(p, end, r->mode == SOCKPORT_FAULT_PERSISTENT ? ":persistent" : ":once");
    if (what != NULL || r->os_code != 0)
        rc |= put(p, end, ":") | put(p, end, what != NULL ? what : "natural");
    if (r->os_code != 0)
        rc |= put(p, end, ":") | put(p, end, dec(num, (uint64_t)r->os_code));
    return rc;
}

int sockport_fault_describe(char *buf, size_t cap)
{
    char text[128], *p = text;
    const char *end = text + sizeof text;
    sockport_fault_rule r;
    if (buf == NULL)
        return SOCKPORT__EINVAL();
    int rc = put(&p, end, "SOCKPORT_FAULT=");
    if (sockport__fault_current(&r))
        rc |= put_rule(&p, end, &r);
    size_t len = (size_t)(p - text);
    if (rc < 0 || cap <= len) {
        if (cap > 0)
            buf[0] = '\0';
        return sockport__fail(SOCKPORT_ENOSPC, 0);
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    return (int)len;
}
