/*
 * sockport_addr: text in (sockport_addr_parse, sockport_addr_ip), the
 * constructors, accessors, total order, and the validation in front of the
 * native conversions. Formatting is in test_addr_format.c.
 *
 * Interface-name zones are resolved by a fake backend installed as the
 * default in the group setup; it counts its calls so that the tests can show
 * that malformed text never reaches it.
 */
#include "sp_test.h"

#include <stdlib.h>

#include "sockport/backend.h"
#include "common/internal.h"

#include "addr_vectors.h"

/* ---- the fake backend ------------------------------------------------------ */

static int name_calls;   /* if_nametoindex calls */
static int native_calls; /* addr_from_native + addr_to_native calls */

static int fake_open(sockport_socket *s, int family, int type, int protocol, unsigned flags)
{
    (void)s, (void)family, (void)type, (void)protocol, (void)flags;
    return SOCKPORT_ENOTSUP;
}

static int fake_close(sockport_socket *s)
{
    (void)s;
    return SOCKPORT_ENOTSUP;
}

static ptrdiff_t fake_send(sockport_socket *s, const void *buf, size_t len, int flags,
                           const sockport_addr *to)
{
    (void)s, (void)buf, (void)len, (void)flags, (void)to;
    return SOCKPORT_ENOTSUP;
}

static ptrdiff_t fake_recv(sockport_socket *s, void *buf, size_t len, int flags,
                           sockport_addr *from, int *out_flags)
{
    (void)s, (void)buf, (void)len, (void)flags, (void)from, (void)out_flags;
    return SOCKPORT_ENOTSUP;
}

/* "eth0" 2, "lo" 1, "en-0.1_x" 4, any 255-byte name 7, "zero" 0. */
static int fake_if_nametoindex(const sockport_backend *self, const char *name, uint32_t *out)
{
    (void)self;
    name_calls++;
    if (strcmp(name, "eth0") == 0)
        *out = 2;
    else if (strcmp(name, "lo") == 0)
        *out = 1;
    else if (strcmp(name, "en-0.1_x") == 0)
        *out = 4;
    else if (strlen(name) == 255)
        *out = 7;
    else if (strcmp(name, "zero") == 0)
        *out = 0;
    else
        return SOCKPORT_ENODEV;
    return 0;
}

/* A 4-byte "native" address is an IPv4 address; anything else fails after
 * scribbling on out, to show that the core shields the caller. */
static int fake_from_native(const sockport_backend *self, sockport_addr *out, const void *sa,
                            size_t len)
{
    (void)self;
    native_calls++;
    if (len != 4) {
        memset(out, 0x5a, sizeof *out);
        return SOCKPORT_EINVAL;
    }
    return sockport_addr_ipv4(out, sa, 7);
}

static int fake_to_native(const sockport_backend *self, const sockport_addr *a, void *sa,
                          size_t *len)
{
    (void)self;
    native_calls++;
    if (*len < 4) {
        *len = 4;
        return SOCKPORT_ENOSPC;
    }
    *len = 4;
    return sockport_addr_ip_bytes(a, sa) < 0 ? SOCKPORT_EINVAL : 0;
}

static const sockport_backend fake_backend = {
    .version = SOCKPORT_BACKEND_VERSION,
    .name = "fakeif",
    .socket_size = 0,
    .open = fake_open,
    .close = fake_close,
    .send = fake_send,
    .recv = fake_recv,
    .addr_to_native = fake_to_native,
    .addr_from_native = fake_from_native,
    .if_nametoindex = fake_if_nametoindex,
};

static int group_setup(void **state)
{
    const sockport_backend *reg = NULL;

    (void)state;
    if (sockport_backend_register(&fake_backend, &reg) != 0 || reg == NULL)
        return -1;
    return sockport_backend_set_default(reg) == 0 ? 0 : -1;
}

/* ---- helpers ---------------------------------------------------------------- */

/* The text with bytes outside printable ASCII escaped, for failure messages. */
static const char *show(const char *s)
{
    static char buf[160];
    size_t n = 0;

    for (; *s != '\0' && n + 5 < sizeof buf; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f)
            buf[n++] = (char)c;
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", c);
    }
    buf[n] = '\0';
    return buf;
}

static void fill_sentinel(sockport_addr *a)
{
    memset(a, 0xa5, sizeof *a);
}

static int is_sentinel(const sockport_addr *a)
{
    const unsigned char *p = (const unsigned char *)a;
    for (size_t i = 0; i < sizeof *a; i++) {
        if (p[i] != 0xa5)
            return 0;
    }
    return 1;
}

static int is_hex(unsigned c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void groups_to_bytes(const uint16_t g[8], uint8_t out[16])
{
    for (int i = 0; i < 8; i++) {
        out[2 * i] = (uint8_t)(g[i] >> 8);
        out[2 * i + 1] = (uint8_t)g[i];
    }
}

/* Which entry point a check goes through. */
enum entry { BARE, WITH_PORT };

static int call(enum entry e, sockport_addr *out, const char *text)
{
    return e == BARE ? sockport_addr_ip(out, text, 0) : sockport_addr_parse(out, text);
}

/* text must fail with want, leave *out untouched, and (when quiet) never ask
 * the backend. */
static void expect_err(enum entry e, const char *text, int want, int quiet)
{
    sockport_addr a;
    int before = name_calls;
    int rc;

    fill_sentinel(&a);
    rc = call(e, &a, text);
    if (rc != want)
        fail_msg("\"%s\": want %s, got %d (%s)", show(text), sockport_err_name(want), rc,
                 rc < 0 ? sockport_err_name(rc) : "success");
    if (!is_sentinel(&a))
        fail_msg("\"%s\": failed but wrote *out", show(text));
    if (quiet && name_calls != before)
        fail_msg("\"%s\": malformed text reached the backend", show(text));
}

static void expect_list_err(enum entry e, const char *const *list, size_t n, int want)
{
    for (size_t i = 0; i < n; i++)
        expect_err(e, list[i], want, 1);
}

/* Bare literals from a list, and the same inside "[...]:80" / "...:80". */
static void expect_list_err_both(const char *const *list, size_t n, int v6)
{
    char text[512];

    for (size_t i = 0; i < n; i++) {
        expect_err(BARE, list[i], SOCKPORT_EINVAL, 1);
        snprintf(text, sizeof text, v6 ? "[%s]:80" : "%s:80", list[i]);
        expect_err(WITH_PORT, text, SOCKPORT_EINVAL, 1);
    }
}

/* The whole value a successful parse must produce. */
static void make_expected(sockport_addr *a, int family, const uint8_t *ip, uint16_t port,
                          uint32_t scope)
{
    memset(a, 0, sizeof *a);
    if (family == SOCKPORT_AF_INET)
        assert_sp_ok(sockport_addr_ipv4(a, ip, port));
    else
        assert_sp_ok(sockport_addr_ipv6(a, ip, port, 0, scope));
}

static void expect_ok(enum entry e, const char *text, const sockport_addr *want)
{
    sockport_addr a;
    int rc;

    fill_sentinel(&a);
    rc = call(e, &a, text);
    if (rc != 0)
        fail_msg("\"%s\": want success, got %s", show(text), sockport_err_name(rc));
    if (memcmp(&a, want, sizeof a) != 0)
        fail_msg("\"%s\": parsed to the wrong address", show(text));
}

static void expect_v6(const char *text, const uint16_t g[8], uint32_t scope)
{
    sockport_addr want;
    uint8_t ip[16];
    char with_port[512];

    groups_to_bytes(g, ip);
    make_expected(&want, SOCKPORT_AF_INET6, ip, 0, scope);
    expect_ok(BARE, text, &want);
    make_expected(&want, SOCKPORT_AF_INET6, ip, 8080, scope);
    snprintf(with_port, sizeof with_port, "[%s]:8080", text);
    expect_ok(WITH_PORT, with_port, &want);
}

/* ---- IPv4 ------------------------------------------------------------------- */

static void test_addr_ip_accepts_canonical_ipv4(void **state)
{
    sockport_addr want;
    char text[64];

    (void)state;
    for (size_t i = 0; i < COUNT(v4_valid); i++) {
        make_expected(&want, SOCKPORT_AF_INET, v4_valid[i].ip, 0, 0);
        expect_ok(BARE, v4_valid[i].text, &want);
        make_expected(&want, SOCKPORT_AF_INET, v4_valid[i].ip, 443, 0);
        snprintf(text, sizeof text, "%s:443", v4_valid[i].text);
        expect_ok(WITH_PORT, text, &want);
    }
}

static void test_addr_ip_takes_port_argument_and_zeroes_the_rest(void **state)
{
    sockport_addr a;
    uint8_t ip[16];

    (void)state;
    fill_sentinel(&a);
    assert_sp_ok(sockport_addr_ip(&a, "192.0.2.1", 65535));
    assert_int_equal(sockport_addr_port(&a), 65535);
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_INET);
    assert_int_equal(sockport_addr_ip_bytes(&a, ip), 4);
    assert_memory_equal(ip, "\xc0\x00\x02\x01", 4);
    for (size_t i = 4; i < sizeof a.u_.path; i++)
        assert_int_equal(a.u_.path[i], 0);
    assert_int_equal(a.flowinfo_, 0);
    assert_int_equal(a.scope_id_, 0);
    assert_int_equal(a.len_, 0);
    assert_int_equal(a.abstract_, 0);
    assert_int_equal(a.reserved_, 0);
}

static void test_addr_ip_rejects_leading_zero_octet(void **state)
{
    (void)state;
    expect_list_err_both(v4_leading_zero, COUNT(v4_leading_zero), 0);
}

static void test_addr_ip_rejects_inet_aton_short_hex_and_octal_forms(void **state)
{
    (void)state;
    expect_list_err_both(v4_aton_forms, COUNT(v4_aton_forms), 0);
}

static void test_addr_ip_rejects_octet_over_255(void **state)
{
    (void)state;
    expect_list_err_both(v4_out_of_range, COUNT(v4_out_of_range), 0);
}

static void test_addr_ip_rejects_malformed_ipv4_structure(void **state)
{
    (void)state;
    expect_list_err_both(v4_structure, COUNT(v4_structure), 0);
}

static void test_addr_ip_rejects_whitespace_anywhere(void **state)
{
    (void)state;
    expect_list_err_both(v4_whitespace, COUNT(v4_whitespace), 0);
}

static void test_addr_ip_rejects_non_ascii_bytes(void **state)
{
    (void)state;
    expect_list_err_both(v4_non_ascii, COUNT(v4_non_ascii), 0);
}

/* Every single byte 0x01-0xff in each position of "1.2.3.4" that makes it
 * something other than a valid address must be rejected. */
static void test_addr_ip_rejects_every_foreign_byte_in_ipv4(void **state)
{
    const char *base = "10.20.30.40";
    char text[16];

    (void)state;
    for (size_t pos = 0; pos <= strlen(base); pos++) {
        for (unsigned c = 1; c < 256; c++) {
            if (c >= '0' && c <= '9')
                continue;
            memcpy(text, base, pos);
            text[pos] = (char)c;
            strcpy(text + pos + 1, base + pos);
            expect_err(BARE, text, SOCKPORT_EINVAL, 1);
        }
    }
}

/* ---- IPv6 ------------------------------------------------------------------- */

static void test_addr_ip_accepts_ipv6_in_every_rfc4291_form(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(v6_valid); i++)
        expect_v6(v6_valid[i].text, v6_valid[i].g, 0);
}

static void test_addr_ip_accepts_ipv6_compressed_at_every_position(void **state)
{
    char text[64];

    (void)state;
    /* every gap start and length over the groups 1..8, with and without a
     * trailing embedded IPv4 */
    for (int start = 0; start < 8; start++) {
        for (int len = 1; start + len <= 8; len++) {
            uint16_t g[8];
            size_t n = 0;
            for (int i = 0; i < 8; i++)
                g[i] = (i >= start && i < start + len) ? 0 : (uint16_t)(0x1000 + i);
            for (int i = 0; i < 8; i++) {
                if (i == start)
                    n += (size_t)snprintf(text + n, sizeof text - n, "::");
                if (i >= start && i < start + len)
                    continue;
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%x",
                                      i > 0 && i != start + len ? ":" : "", g[i]);
            }
            expect_v6(text, g, 0);
        }
    }
}

static void test_addr_ip_accepts_ipv6_any_case(void **state)
{
    static const uint16_t g[8] = {0xabcd, 0xef01, 0xabcd, 0xef01, 0xabcd, 0xef01, 0xa, 0xf};
    static const char *const forms[] = {
        "abcd:ef01:abcd:ef01:abcd:ef01:a:f",       "ABCD:EF01:ABCD:EF01:ABCD:EF01:A:F",
        "AbCd:eF01:aBcD:Ef01:abcD:EF01:a:F",       "ABCD:ef01:abcd:EF01:ABCD:ef01:A:f",
        "abcd:ef01:abcd:ef01:abcd:ef01:000a:000F",
    };

    (void)state;
    for (size_t i = 0; i < COUNT(forms); i++)
        expect_v6(forms[i], g, 0);
}

static void test_addr_ip_rejects_ipv6_with_wrong_group_count(void **state)
{
    (void)state;
    expect_list_err_both(v6_group_count, COUNT(v6_group_count), 1);
}

static void test_addr_ip_rejects_ipv6_with_two_compressions(void **state)
{
    (void)state;
    expect_list_err_both(v6_double_gap, COUNT(v6_double_gap), 1);
}

static void test_addr_ip_rejects_ipv6_stray_colons(void **state)
{
    (void)state;
    expect_list_err_both(v6_stray_colon, COUNT(v6_stray_colon), 1);
}

static void test_addr_ip_rejects_ipv6_long_or_non_hex_groups(void **state)
{
    (void)state;
    expect_list_err_both(v6_bad_group, COUNT(v6_bad_group), 1);
}

static void test_addr_ip_rejects_ipv6_bad_embedded_ipv4(void **state)
{
    (void)state;
    expect_list_err_both(v6_bad_v4, COUNT(v6_bad_v4), 1);
}

static void test_addr_ip_rejects_ipv6_foreign_characters(void **state)
{
    (void)state;
    expect_list_err_both(v6_bad_char, COUNT(v6_bad_char), 1);
}

static void test_addr_ip_rejects_every_foreign_byte_in_ipv6(void **state)
{
    const char *base = "2001:db8::a:1.2.3.4";
    char text[32];

    (void)state;
    for (size_t pos = 0; pos <= strlen(base); pos++) {
        for (unsigned c = 1; c < 256; c++) {
            if (is_hex(c) || c == ':')
                continue;
            memcpy(text, base, pos);
            text[pos] = (char)c;
            strcpy(text + pos + 1, base + pos);
            expect_err(BARE, text, SOCKPORT_EINVAL, 1);
        }
    }
}

/* ---- zones ------------------------------------------------------------------ */

static void test_addr_ip_accepts_numeric_zone_on_any_ipv6(void **state)
{
    int before = name_calls;

    (void)state;
    for (size_t i = 0; i < COUNT(zone_numeric); i++)
        expect_v6(zone_numeric[i].text, zone_numeric[i].g, zone_numeric[i].scope);
    assert_int_equal(name_calls, before);
}

static void test_addr_ip_rejects_malformed_zone_without_backend_call(void **state)
{
    (void)state;
    expect_list_err_both(zone_malformed, COUNT(zone_malformed), 1);
}

static void test_addr_ip_rejects_zone_on_ipv4(void **state)
{
    static const char *const list[] = {
        "1.2.3.4%1", "1.2.3.4%0", "1.2.3.4%eth0", "127.0.0.1%lo", "1.2.3.4%",
    };

    (void)state;
    expect_list_err_both(list, COUNT(list), 0);
}

static void test_addr_ip_resolves_zone_name_on_link_local_and_multicast(void **state)
{
    char text[128];

    (void)state;
    for (size_t i = 0; i < COUNT(zone_named); i++) {
        const zone_name_case *z = &zone_named[i];
        sockport_addr a;
        uint8_t ip[16];
        int before = name_calls;

        fill_sentinel(&a);
        assert_sp_ok(sockport_addr_ip(&a, z->text, 9));
        assert_int_equal(name_calls, before + 1);
        assert_int_equal(sockport_addr_scope_id(&a), z->scope);
        assert_int_equal(sockport_addr_ip_bytes(&a, ip), 16);
        assert_int_equal(ip[0], z->first_byte);
        assert_int_equal(ip[1], z->second_byte);
        snprintf(text, sizeof text, "[%s]:9", z->text);
        fill_sentinel(&a);
        assert_sp_ok(sockport_addr_parse(&a, text));
        assert_int_equal(sockport_addr_scope_id(&a), z->scope);
        assert_int_equal(sockport_addr_port(&a), 9);
    }
}

static void test_addr_ip_rejects_zone_name_elsewhere_without_backend_call(void **state)
{
    (void)state;
    expect_list_err_both(zone_name_not_link_local, COUNT(zone_name_not_link_local), 1);
}

static void test_addr_ip_reports_unknown_zone_name_as_enodev(void **state)
{
    char text[128];

    (void)state;
    for (size_t i = 0; i < COUNT(zone_name_unknown); i++) {
        int before = name_calls;
        expect_err(BARE, zone_name_unknown[i], SOCKPORT_ENODEV, 0);
        assert_int_equal(name_calls, before + 1);
        snprintf(text, sizeof text, "[%s]:80", zone_name_unknown[i]);
        expect_err(WITH_PORT, text, SOCKPORT_ENODEV, 0);
        assert_int_equal(name_calls, before + 2);
    }
}

static void test_addr_ip_bounds_zone_name_length(void **state)
{
    char text[600];
    sockport_addr a;
    int before;

    (void)state;
    /* 255 bytes: the longest name asked for (the fake knows it as 7) */
    strcpy(text, "fe80::1%");
    memset(text + 8, 'n', 255);
    text[8 + 255] = '\0';
    before = name_calls;
    assert_sp_ok(sockport_addr_ip(&a, text, 0));
    assert_int_equal(sockport_addr_scope_id(&a), 7);
    assert_int_equal(name_calls, before + 1);
    /* 256 and 500 bytes: malformed before any backend call */
    memset(text + 8, 'n', 256);
    text[8 + 256] = '\0';
    expect_err(BARE, text, SOCKPORT_EINVAL, 1);
    memset(text + 8, 'n', 500);
    text[8 + 500] = '\0';
    expect_err(BARE, text, SOCKPORT_EINVAL, 1);
}

/* A name is looked up only once the whole text, port included, is valid. */
static void test_addr_parse_validates_everything_before_resolving_zone(void **state)
{
    static const char *const list[] = {
        "[fe80::1%eth0]:99999", "[fe80::1%eth0]:",      "[fe80::1%eth0]",   "[fe80::1%eth0]:080",
        "[fe80::1%eth0]:80x",   "[fe80::1%eth0]:80 ",   "[fe80::1%eth0]80", "[fe80::1%eth0:80",
        "[fe80::1%eth0]]:80",   "[fe80::1%nope]:65536", "[::1%eth0]:80",    "[2001:db8::1%lo]:80",
    };

    (void)state;
    expect_list_err(WITH_PORT, list, COUNT(list), SOCKPORT_EINVAL);
}

/* ---- ports ------------------------------------------------------------------ */

static void test_addr_parse_accepts_ports_0_to_65535(void **state)
{
    (void)state;
    for (size_t i = 0; i < COUNT(port_valid); i++) {
        sockport_addr a;
        fill_sentinel(&a);
        if (sockport_addr_parse(&a, port_valid[i].text) != 0)
            fail_msg("\"%s\" rejected", port_valid[i].text);
        assert_int_equal(sockport_addr_family(&a), port_valid[i].family);
        assert_int_equal(sockport_addr_port(&a), port_valid[i].port);
    }
}

static void test_addr_parse_accepts_every_port_number(void **state)
{
    char text[32];
    sockport_addr a;

    (void)state;
    for (unsigned port = 0; port <= 65535; port++) {
        snprintf(text, sizeof text, "[::1]:%u", port);
        assert_sp_ok(sockport_addr_parse(&a, text));
        assert_int_equal(sockport_addr_port(&a), port);
    }
}

static void test_addr_parse_rejects_malformed_port(void **state)
{
    (void)state;
    expect_list_err(WITH_PORT, port_invalid, COUNT(port_invalid), SOCKPORT_EINVAL);
}

static void test_addr_parse_rejects_unbracketed_v6_with_port(void **state)
{
    static const char *const list[] = {
        "::1:80", "2001:db8::1:443", "fe80::1%2:80", "1:2:3:4:5:6:7:8:80", "::ffff:1.2.3.4:80",
        "::80",   "fe80::1%eth0:80",
    };

    (void)state;
    expect_list_err(WITH_PORT, list, COUNT(list), SOCKPORT_EINVAL);
}

static void test_addr_ip_rejects_port_or_brackets_in_bare_literal(void **state)
{
    static const char *const list[] = {
        "1.2.3.4:80", "[::1]:80", "[::1]", "[1.2.3.4]", "[fe80::1%2]", "1.2.3.4:0", "[::]",
    };

    (void)state;
    expect_list_err(BARE, list, COUNT(list), SOCKPORT_EINVAL);
}

/* ---- robustness ------------------------------------------------------------- */

/* Unterminated buffers: the parser must give up on grammar alone, long before
 * the end (ASan and Valgrind flag any read past the block). */
static void expect_stops_early(const char *head, char fill, int bare)
{
    const size_t n = 4096;
    char *buf = malloc(n);
    size_t h = strlen(head);
    sockport_addr a;

    assert_non_null(buf);
    memcpy(buf, head, h);
    memset(buf + h, fill, n - h);
    fill_sentinel(&a);
    if (bare)
        assert_sp_err(sockport_addr_ip(&a, buf, 0), SOCKPORT_EINVAL);
    else
        assert_sp_err(sockport_addr_parse(&a, buf), SOCKPORT_EINVAL);
    assert_true(is_sentinel(&a));
    free(buf);
}

static void test_addr_parse_stops_reading_at_first_impossible_byte(void **state)
{
    (void)state;
    expect_stops_early("", '1', 1);
    expect_stops_early("", '0', 1);
    expect_stops_early("", ':', 1);
    expect_stops_early("", '.', 1);
    expect_stops_early("", 'f', 1);
    expect_stops_early("0:0:0:0:0:0:0:0", ':', 1);
    expect_stops_early("1.2.3.", '4', 1);
    expect_stops_early("::ffff:1.2.3.", '4', 1);
    expect_stops_early("fe80::1%", '1', 1);
    expect_stops_early("fe80::1%", 'a', 1);
    expect_stops_early("1.2.3.4:", '1', 0);
    expect_stops_early("[::1]:", '9', 0);
    expect_stops_early("[fe80::1%", 'e', 0);
    expect_stops_early("[", '[', 0);
}

static void test_addr_ip_rejects_huge_input_in_linear_time(void **state)
{
    const size_t n = 1 << 20;
    char *buf = malloc(n + 1);
    sockport_addr a;

    (void)state;
    assert_non_null(buf);
    for (size_t i = 0; i + 1 < n; i += 2)
        memcpy(buf + i, "0:", 2);
    buf[n - 1] = '0';
    buf[n] = '\0';
    expect_err(BARE, buf, SOCKPORT_EINVAL, 1);
    memset(buf, '0', n);
    expect_err(BARE, buf, SOCKPORT_EINVAL, 1);
    memcpy(buf, "::", 2);
    expect_err(BARE, buf, SOCKPORT_EINVAL, 1);
    memcpy(buf, "fe80::1%", 8);
    memset(buf + 8, 'x', n - 8);
    expect_err(BARE, buf, SOCKPORT_EINVAL, 1);
    fill_sentinel(&a);
    assert_sp_err(sockport_addr_unix(&a, buf), SOCKPORT_ENAMETOOLONG);
    assert_true(is_sentinel(&a));
    free(buf);
}

static void test_addr_failures_leave_out_untouched(void **state)
{
    static const uint8_t ip[16] = {0xfe, 0x80};
    sockport_addr a;

    (void)state;
    fill_sentinel(&a);
    assert_sp_err(sockport_addr_ipv6(&a, ip, 1, 0x100000, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ipv6(&a, ip, 1, 0xffffffff, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ipv6(&a, NULL, 1, 0, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ipv4(&a, NULL, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_unix(&a, ""), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_unix(&a, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_abstract(&a, NULL, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip(&a, "fe80::1%eth9", 1), SOCKPORT_ENODEV);
    assert_sp_err(sockport_addr_parse(&a, "[fe80::1%zero]:1"), SOCKPORT_ENODEV);
    assert_sp_err(sockport_addr_parse(&a, "1.2.3.4:65536"), SOCKPORT_EINVAL);
    assert_true(is_sentinel(&a));
}

static void test_addr_null_arguments_are_einval(void **state)
{
    static const uint8_t ip[16] = {1};
    sockport_addr a;
    uint8_t bytes[16];
    size_t len = 16;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_sp_err(sockport_addr_parse(NULL, "1.2.3.4:80"), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_parse(&a, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip(NULL, "::1", 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip(&a, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ipv4(NULL, ip, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ipv6(NULL, ip, 0, 0, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_unix(NULL, "/tmp/x"), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_abstract(NULL, "x", 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_family(NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_port(NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_set_port(NULL, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip_bytes(NULL, bytes), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_addr_ipv4(&a, ip, 0));
    assert_sp_err(sockport_addr_ip_bytes(&a, NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_scope_id(NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_flowinfo(NULL), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_flowinfo(&a), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_from_native(NULL, bytes, 4), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_to_native(NULL, bytes, &len), SOCKPORT_EINVAL);
    assert_sp_err(sockport__addr_set_unix(NULL, "a", 1, 0), SOCKPORT_EINVAL);
    assert_int_equal(sockport_last_os_error(), 0);
}

/* ---- constructors and accessors -------------------------------------------- */

static void test_addr_zeroed_value_is_the_empty_address(void **state)
{
    sockport_addr a;
    uint8_t ip[16];

    (void)state;
    memset(&a, 0, sizeof a);
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_UNSPEC);
    assert_sp_err(sockport_addr_port(&a), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_set_port(&a, 1), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip_bytes(&a, ip), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_scope_id(&a), SOCKPORT_EINVAL);
}

static void test_addr_ipv4_constructor_matches_parse(void **state)
{
    static const uint8_t ip[4] = {203, 0, 113, 9};
    sockport_addr a, b;

    (void)state;
    fill_sentinel(&a);
    assert_sp_ok(sockport_addr_ipv4(&a, ip, 5353));
    fill_sentinel(&b);
    assert_sp_ok(sockport_addr_parse(&b, "203.0.113.9:5353"));
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(sockport_addr_compare(&a, &b), 0);
}

static void test_addr_ipv6_constructor_keeps_flowinfo_and_scope(void **state)
{
    static const uint8_t ip[16] = {0xfe, 0x80, [15] = 1};
    sockport_addr a, b;

    (void)state;
    assert_sp_ok(sockport_addr_ipv6(&a, ip, 80, 0xfffff, 4294967295u));
    assert_int_equal(a.flowinfo_, 0xfffff);
    assert_int_equal(sockport_addr_flowinfo(&a), 0xfffff);
    assert_int_equal(sockport_addr_scope_id(&a), 4294967295LL);
    assert_sp_ok(sockport_addr_ipv6(&a, ip, 80, 0, 3));
    assert_sp_ok(sockport_addr_parse(&b, "[fe80::1%3]:80"));
    assert_memory_equal(&a, &b, sizeof a);
    fill_sentinel(&a);
    assert_sp_err(sockport_addr_ipv6(&a, ip, 80, 0x100000, 0), SOCKPORT_EINVAL);
    assert_true(is_sentinel(&a));
}

static void test_addr_accessors_report_family_port_scope_and_bytes(void **state)
{
    sockport_addr a;
    uint8_t ip[16];

    (void)state;
    assert_sp_ok(sockport_addr_parse(&a, "[2001:db8::7%12]:65535"));
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_INET6);
    assert_int_equal(sockport_addr_port(&a), 65535);
    assert_int_equal(sockport_addr_scope_id(&a), 12);
    assert_int_equal(sockport_addr_ip_bytes(&a, ip), 16);
    assert_memory_equal(ip, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);

    memset(ip, 0xee, sizeof ip);
    assert_sp_ok(sockport_addr_parse(&a, "10.1.2.3:0"));
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_INET);
    assert_int_equal(sockport_addr_port(&a), 0);
    assert_sp_err(sockport_addr_scope_id(&a), SOCKPORT_EINVAL);
    assert_int_equal(sockport_addr_ip_bytes(&a, ip), 4);
    assert_memory_equal(ip, "\x0a\x01\x02\x03\xee\xee", 6);
}

static void test_addr_accessors_reject_non_ip_and_corrupt(void **state)
{
    sockport_addr a;
    uint8_t ip[16];

    (void)state;
    assert_sp_ok(sockport_addr_unix(&a, "/run/x.sock"));
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_UNIX);
    assert_sp_err(sockport_addr_port(&a), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_set_port(&a, 80), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_ip_bytes(&a, ip), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_scope_id(&a), SOCKPORT_EINVAL);
    memset(&a, 0, sizeof a);
    a.family_ = 77;
    assert_sp_err(sockport_addr_family(&a), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_port(&a), SOCKPORT_EINVAL);
}

static void test_addr_set_port_changes_only_the_port(void **state)
{
    sockport_addr a, b;

    (void)state;
    assert_sp_ok(sockport_addr_parse(&a, "[fe80::1%4]:1"));
    assert_sp_ok(sockport_addr_set_port(&a, 65535));
    assert_sp_ok(sockport_addr_parse(&b, "[fe80::1%4]:65535"));
    assert_memory_equal(&a, &b, sizeof a);
    assert_sp_ok(sockport_addr_parse(&a, "1.2.3.4:1"));
    assert_sp_ok(sockport_addr_set_port(&a, 0));
    assert_sp_ok(sockport_addr_parse(&b, "1.2.3.4:0"));
    assert_memory_equal(&a, &b, sizeof a);
}

/* ---- Unix ------------------------------------------------------------------- */

static void test_addr_unix_accepts_paths_of_1_to_107_bytes(void **state)
{
    char path[SOCKPORT_UNIX_PATH_MAX + 1];
    char text[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;

    (void)state;
    for (size_t len = 1; len <= SOCKPORT_UNIX_PATH_MAX; len++) {
        memset(path, 'p', len);
        path[0] = '/';
        path[len] = '\0';
        fill_sentinel(&a);
        assert_sp_ok(sockport_addr_unix(&a, path));
        assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_UNIX);
        assert_int_equal(sockport_addr_format(&a, text, sizeof text), (int)len);
        assert_string_equal(text, path);
    }
}

static void test_addr_unix_rejects_empty_and_overlong_paths(void **state)
{
    char path[600];
    sockport_addr a;

    (void)state;
    fill_sentinel(&a);
    assert_sp_err(sockport_addr_unix(&a, ""), SOCKPORT_EINVAL);
    memset(path, 'q', sizeof path);
    path[SOCKPORT_UNIX_PATH_MAX + 1] = '\0';
    assert_sp_err(sockport_addr_unix(&a, path), SOCKPORT_ENAMETOOLONG);
    path[SOCKPORT_UNIX_PATH_MAX + 1] = 'q';
    path[512] = '\0';
    assert_sp_err(sockport_addr_unix(&a, path), SOCKPORT_ENAMETOOLONG);
    assert_true(is_sentinel(&a));
}

static void test_addr_abstract_keeps_embedded_nuls(void **state)
{
    static const char name[] = {'\0', 'a', '\0', 'b', '\\', '\x7f'};
    sockport_addr a, b;

    (void)state;
    fill_sentinel(&a);
#if defined(__linux__)
    assert_sp_ok(sockport_addr_abstract(&a, name, sizeof name));
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_UNIX);
    assert_int_equal(a.len_, sizeof name);
    assert_memory_equal(a.u_.path, name, sizeof name);
    assert_sp_ok(sockport_addr_abstract(&b, name, 2));
    assert_true(sockport_addr_compare(&a, &b) > 0);
    assert_sp_ok(sockport_addr_abstract(&b, NULL, 0));
    assert_int_equal(b.len_, 0);
    assert_int_equal(b.abstract_, 1);
#else
    (void)b;
    assert_sp_err(sockport_addr_abstract(&a, name, sizeof name), SOCKPORT_ENOTSUP);
    assert_true(is_sentinel(&a));
    skip();
#endif
}

static void test_addr_abstract_rejects_overlong_and_null_names(void **state)
{
    char name[SOCKPORT_UNIX_PATH_MAX + 2];
    sockport_addr a;

    (void)state;
    memset(name, 0, sizeof name);
    fill_sentinel(&a);
    assert_sp_err(sockport_addr_abstract(&a, NULL, 1), SOCKPORT_EINVAL);
#if defined(__linux__)
    assert_sp_err(sockport_addr_abstract(&a, name, SOCKPORT_UNIX_PATH_MAX + 1),
                  SOCKPORT_ENAMETOOLONG);
    assert_sp_err(sockport_addr_abstract(&a, name, (size_t)-1), SOCKPORT_ENAMETOOLONG);
    assert_true(is_sentinel(&a));
    assert_sp_ok(sockport_addr_abstract(&a, name, SOCKPORT_UNIX_PATH_MAX));
#else
    assert_sp_err(sockport_addr_abstract(&a, name, 1), SOCKPORT_ENOTSUP);
    assert_true(is_sentinel(&a));
#endif
}

/* The backends' entry: kernel bytes, never read past len. */
static void test_addr_set_unix_takes_kernel_bytes_as_given(void **state)
{
    char *exact = malloc(SOCKPORT_UNIX_PATH_MAX + 1);
    sockport_addr a;

    (void)state;
    assert_non_null(exact);
    memset(exact, 'k', SOCKPORT_UNIX_PATH_MAX + 1);
    assert_sp_ok(sockport__addr_set_unix(&a, exact, SOCKPORT_UNIX_PATH_MAX, 0));
    assert_int_equal(a.len_, SOCKPORT_UNIX_PATH_MAX);
    assert_int_equal(a.u_.path[SOCKPORT_UNIX_PATH_MAX], '\0');
    fill_sentinel(&a);
    assert_sp_err(sockport__addr_set_unix(&a, exact, SOCKPORT_UNIX_PATH_MAX + 1, 0),
                  SOCKPORT_ENAMETOOLONG);
    assert_sp_err(sockport__addr_set_unix(&a, exact, SOCKPORT_UNIX_PATH_MAX + 1, 1),
                  SOCKPORT_ENAMETOOLONG);
    assert_sp_err(sockport__addr_set_unix(&a, NULL, 1, 0), SOCKPORT_EINVAL);
    assert_true(is_sentinel(&a));
    /* a counted terminator is not part of the path */
    assert_sp_ok(sockport__addr_set_unix(&a, "/s\0junk", 7, 0));
    assert_int_equal(a.len_, 2);
    /* an abstract name keeps every byte */
    assert_sp_ok(sockport__addr_set_unix(&a, "\0x\0", 3, 1));
    assert_int_equal(a.len_, 3);
    assert_int_equal(a.abstract_, 1);
    /* length 0: the unnamed address */
    assert_sp_ok(sockport__addr_set_unix(&a, NULL, 0, 0));
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_UNIX);
    assert_int_equal(a.len_, 0);
    free(exact);
}

/* ---- total order ------------------------------------------------------------ */

/* Builds the list of addresses in the order compare must give. */
static size_t ordered_addresses(sockport_addr *v)
{
    static const char *const ips[] = {
        "0.0.0.0:0",
        "0.0.0.0:1",
        "1.2.3.4:80",
        "1.2.3.5:0",
        "255.255.255.255:65535",
        "[::]:0",
        "[::1]:0",
        "[::1]:80",
        "[::1%1]:80",
        "[::1%2]:80",
        "[fe80::1]:0",
        "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:0",
    };
    static const uint8_t loop6[16] = {[15] = 1};
    size_t n = 0;

    memset(&v[n++], 0, sizeof *v);
    for (size_t i = 0; i < COUNT(ips); i++) {
        assert_sp_ok(sockport_addr_parse(&v[n++], ips[i]));
        if (i == 8) /* after [::1%1]:80 comes the same with flow info 1 */
            assert_sp_ok(sockport_addr_ipv6(&v[n++], loop6, 80, 1, 1));
    }
    assert_sp_ok(sockport__addr_set_unix(&v[n++], NULL, 0, 0));
    assert_sp_ok(sockport_addr_unix(&v[n++], "a"));
    assert_sp_ok(sockport_addr_unix(&v[n++], "b"));
    assert_sp_ok(sockport_addr_unix(&v[n++], "aa"));
    assert_sp_ok(sockport__addr_set_unix(&v[n++], NULL, 0, 1));
    assert_sp_ok(sockport__addr_set_unix(&v[n++], "\0", 1, 1));
    assert_sp_ok(sockport__addr_set_unix(&v[n++], "a", 1, 1));
    assert_sp_ok(sockport__addr_set_unix(&v[n++], "\0\0", 2, 1));
    return n;
}

static void test_addr_compare_orders_family_then_fields(void **state)
{
    sockport_addr v[32];
    size_t n = ordered_addresses(v);

    (void)state;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            int c = sockport_addr_compare(&v[i], &v[j]);
            if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c != 0))
                fail_msg("compare(v[%u], v[%u]) = %d", (unsigned)i, (unsigned)j, c);
        }
    }
}

static void test_addr_compare_sorts_null_first(void **state)
{
    sockport_addr a;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_int_equal(sockport_addr_compare(NULL, NULL), 0);
    assert_true(sockport_addr_compare(NULL, &a) < 0);
    assert_true(sockport_addr_compare(&a, NULL) > 0);
    assert_int_equal(sockport_addr_compare(&a, &a), 0);
}

static void test_addr_compare_equal_values_compare_equal(void **state)
{
    sockport_addr a, b;

    (void)state;
    for (size_t i = 0; i < COUNT(v6_valid); i++) {
        assert_sp_ok(sockport_addr_ip(&a, v6_valid[i].text, 1));
        assert_sp_ok(sockport_addr_ip(&b, v6_valid[i].text, 1));
        assert_int_equal(sockport_addr_compare(&a, &b), 0);
        assert_sp_ok(sockport_addr_set_port(&b, 2));
        assert_true(sockport_addr_compare(&a, &b) < 0);
        assert_true(sockport_addr_compare(&b, &a) > 0);
    }
}

/* ---- native conversions: validation and dispatch only ----------------------- */

static void test_addr_from_native_validates_then_dispatches(void **state)
{
    static const uint8_t sa[4] = {9, 8, 7, 6};
    sockport_addr a;
    int before = native_calls;

    (void)state;
    fill_sentinel(&a);
    assert_sp_err(sockport_addr_from_native(&a, NULL, 4), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_from_native(&a, sa, 0), SOCKPORT_EINVAL);
    assert_int_equal(native_calls, before);
    /* the fake scribbles on its out before failing: the caller sees nothing */
    assert_sp_err(sockport_addr_from_native(&a, sa, 3), SOCKPORT_EINVAL);
    assert_int_equal(native_calls, before + 1);
    assert_true(is_sentinel(&a));
    assert_sp_ok(sockport_addr_from_native(&a, sa, 4));
    assert_int_equal(native_calls, before + 2);
    assert_int_equal(sockport_addr_family(&a), SOCKPORT_AF_INET);
    assert_int_equal(sockport_addr_port(&a), 7);
}

static void test_addr_to_native_validates_then_dispatches(void **state)
{
    uint8_t sa[16];
    size_t len = sizeof sa;
    sockport_addr a;
    int before = native_calls;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_sp_err(sockport_addr_to_native(&a, sa, &len), SOCKPORT_EINVAL);
    a.family_ = 99;
    assert_sp_err(sockport_addr_to_native(&a, sa, &len), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_addr_parse(&a, "1.2.3.4:5"));
    assert_sp_err(sockport_addr_to_native(&a, NULL, &len), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_to_native(&a, sa, NULL), SOCKPORT_EINVAL);
    assert_int_equal(native_calls, before);
    len = 2;
    assert_sp_err(sockport_addr_to_native(&a, sa, &len), SOCKPORT_ENOSPC);
    assert_int_equal(len, 4);
    assert_sp_ok(sockport_addr_to_native(&a, sa, &len));
    assert_memory_equal(sa, "\x01\x02\x03\x04", 4);
    assert_int_equal(native_calls, before + 2);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_addr_ip_accepts_canonical_ipv4),
    cmocka_unit_test(test_addr_ip_takes_port_argument_and_zeroes_the_rest),
    cmocka_unit_test(test_addr_ip_rejects_leading_zero_octet),
    cmocka_unit_test(test_addr_ip_rejects_inet_aton_short_hex_and_octal_forms),
    cmocka_unit_test(test_addr_ip_rejects_octet_over_255),
    cmocka_unit_test(test_addr_ip_rejects_malformed_ipv4_structure),
    cmocka_unit_test(test_addr_ip_rejects_whitespace_anywhere),
    cmocka_unit_test(test_addr_ip_rejects_non_ascii_bytes),
    cmocka_unit_test(test_addr_ip_rejects_every_foreign_byte_in_ipv4),
    cmocka_unit_test(test_addr_ip_accepts_ipv6_in_every_rfc4291_form),
    cmocka_unit_test(test_addr_ip_accepts_ipv6_compressed_at_every_position),
    cmocka_unit_test(test_addr_ip_accepts_ipv6_any_case),
    cmocka_unit_test(test_addr_ip_rejects_ipv6_with_wrong_group_count),
    cmocka_unit_test(test_addr_ip_rejects_ipv6_with_two_compressions),
    cmocka_unit_test(test_addr_ip_rejects_ipv6_stray_colons),
    cmocka_unit_test(test_addr_ip_rejects_ipv6_long_or_non_hex_groups),
    cmocka_unit_test(test_addr_ip_rejects_ipv6_bad_embedded_ipv4),
    cmocka_unit_test(test_addr_ip_rejects_ipv6_foreign_characters),
    cmocka_unit_test(test_addr_ip_rejects_every_foreign_byte_in_ipv6),
    cmocka_unit_test(test_addr_ip_accepts_numeric_zone_on_any_ipv6),
    cmocka_unit_test(test_addr_ip_rejects_malformed_zone_without_backend_call),
    cmocka_unit_test(test_addr_ip_rejects_zone_on_ipv4),
    cmocka_unit_test(test_addr_ip_resolves_zone_name_on_link_local_and_multicast),
    cmocka_unit_test(test_addr_ip_rejects_zone_name_elsewhere_without_backend_call),
    cmocka_unit_test(test_addr_ip_reports_unknown_zone_name_as_enodev),
    cmocka_unit_test(test_addr_ip_bounds_zone_name_length),
    cmocka_unit_test(test_addr_parse_validates_everything_before_resolving_zone),
    cmocka_unit_test(test_addr_parse_accepts_ports_0_to_65535),
    cmocka_unit_test(test_addr_parse_accepts_every_port_number),
    cmocka_unit_test(test_addr_parse_rejects_malformed_port),
    cmocka_unit_test(test_addr_parse_rejects_unbracketed_v6_with_port),
    cmocka_unit_test(test_addr_ip_rejects_port_or_brackets_in_bare_literal),
    cmocka_unit_test(test_addr_parse_stops_reading_at_first_impossible_byte),
    cmocka_unit_test(test_addr_ip_rejects_huge_input_in_linear_time),
    cmocka_unit_test(test_addr_failures_leave_out_untouched),
    cmocka_unit_test(test_addr_null_arguments_are_einval),
    cmocka_unit_test(test_addr_zeroed_value_is_the_empty_address),
    cmocka_unit_test(test_addr_ipv4_constructor_matches_parse),
    cmocka_unit_test(test_addr_ipv6_constructor_keeps_flowinfo_and_scope),
    cmocka_unit_test(test_addr_accessors_report_family_port_scope_and_bytes),
    cmocka_unit_test(test_addr_accessors_reject_non_ip_and_corrupt),
    cmocka_unit_test(test_addr_set_port_changes_only_the_port),
    cmocka_unit_test(test_addr_unix_accepts_paths_of_1_to_107_bytes),
    cmocka_unit_test(test_addr_unix_rejects_empty_and_overlong_paths),
    cmocka_unit_test(test_addr_abstract_keeps_embedded_nuls),
    cmocka_unit_test(test_addr_abstract_rejects_overlong_and_null_names),
    cmocka_unit_test(test_addr_set_unix_takes_kernel_bytes_as_given),
    cmocka_unit_test(test_addr_compare_orders_family_then_fields),
    cmocka_unit_test(test_addr_compare_sorts_null_first),
    cmocka_unit_test(test_addr_compare_equal_values_compare_equal),
    cmocka_unit_test(test_addr_from_native_validates_then_dispatches),
    cmocka_unit_test(test_addr_to_native_validates_then_dispatches),
};

SP_TEST_MAIN(tests, group_setup, NULL)
