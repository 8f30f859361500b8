/*
 * sockport_addr_format and sockport_addr_format_ip: RFC 5952 output, the
 * buffer contract, Unix and abstract text, and parse(format(a)) == a over
 * golden tables, exhaustive patterns and a few thousand generated addresses.
 * (snprintf appears here only to build expected text.)
 */
#include "sp_test.h"

#include "common/internal.h"

#include "addr_vectors.h"

/* ---- helpers ------------------------------------------------------------------ */

static void make_v6(sockport_addr *a, const uint16_t g[8], uint16_t port, uint32_t scope)
{
    uint8_t ip[16];

    for (int i = 0; i < 8; i++) {
        ip[2 * i] = (uint8_t)(g[i] >> 8);
        ip[2 * i + 1] = (uint8_t)g[i];
    }
    assert_sp_ok(sockport_addr_ipv6(a, ip, port, 0, scope));
}

static void make_v4(sockport_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3, uint16_t port)
{
    const uint8_t ip[4] = {b0, b1, b2, b3};
    assert_sp_ok(sockport_addr_ipv4(a, ip, port));
}

/* format_ip or format into buf; checks the returned length against strlen. */
static void format_into(const sockport_addr *a, int ip_only, char *buf, size_t cap)
{
    int n = ip_only ? sockport_addr_format_ip(a, buf, cap) : sockport_addr_format(a, buf, cap);
    assert_sp_ok(n);
    assert_int_equal((size_t)n, strlen(buf));
}

static void expect_text(const sockport_addr *a, int ip_only, const char *want)
{
    char buf[SOCKPORT_ADDRSTRLEN];

    format_into(a, ip_only, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("formatted \"%s\", want \"%s\"", buf, want);
}

/* format, parse back, compare; and the same through format_ip/addr_ip. */
static void expect_round_trip(const sockport_addr *a)
{
    char buf[SOCKPORT_ADDRSTRLEN];
    sockport_addr b;

    format_into(a, 0, buf, sizeof buf);
    if (sockport_addr_parse(&b, buf) != 0 || sockport_addr_compare(a, &b) != 0)
        fail_msg("\"%s\" does not parse back to the same address", buf);
    format_into(a, 1, buf, sizeof buf);
    if (sockport_addr_ip(&b, buf, (uint16_t)sockport_addr_port(a)) != 0 ||
        sockport_addr_compare(a, &b) != 0)
        fail_msg("\"%s\" (ip only) does not parse back to the same address", buf);
}

/* An independent RFC 5952 oracle on strings: write every group, then replace
 * the first longest ":0:0...:" (two or more groups) with "::". */
static void oracle_v6(const uint16_t g[8], char *out, size_t cap)
{
    char full[64], pat[32];
    size_t n = 0;

    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
        snprintf(out, cap, "::ffff:%u.%u.%u.%u", g[6] >> 8, g[6] & 255u, g[7] >> 8, g[7] & 255u);
        return;
    }
    for (int i = 0; i < 8; i++)
        n += (size_t)snprintf(full + n, sizeof full - n, ":%x", g[i]);
    snprintf(full + n, sizeof full - n, ":");
    for (int k = 8; k >= 2; k--) {
        char *hit;
        n = 0;
        for (int i = 0; i < k; i++)
            n += (size_t)snprintf(pat + n, sizeof pat - n, ":0");
        snprintf(pat + n, sizeof pat - n, ":");
        if ((hit = strstr(full, pat)) != NULL) {
            char rest[64];
            snprintf(rest, sizeof rest, "%s", hit + strlen(pat));
            snprintf(hit, sizeof full - (size_t)(hit - full), "::%s", rest);
            break;
        }
    }
    n = strlen(full);
    if (n >= 2 && full[n - 1] == ':' && full[n - 2] != ':')
        full[n - 1] = '\0';
    snprintf(out, cap, "%s", full[1] != ':' ? full + 1 : full);
}

/* Deterministic xorshift64*. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

/* A group that is often zero and otherwise of 1 to 4 hex digits. */
static uint16_t random_group(void)
{
    uint32_t r = rnd();

    switch (r & 3) {
    case 0:
        return 0;
    case 1:
        return (uint16_t)((r >> 8) & 0xf);
    case 2:
        return (uint16_t)((r >> 8) & 0xfff);
    default:
        return (uint16_t)(r >> 8);
    }
}

static uint32_t random_scope(void)
{
    uint32_t r = rnd();

    switch (r & 3) {
    case 0:
    case 1:
        return 0;
    case 2:
        return (r >> 2) & 0xff;
    default:
        return rnd();
    }
}

static void random_v6_groups(uint16_t g[8])
{
    for (int i = 0; i < 8; i++)
        g[i] = random_group();
    if ((rnd() & 15) == 0) {
        memset(g, 0, 5 * sizeof g[0]);
        g[5] = 0xffff;
    }
}

/* ---- IPv4 ------------------------------------------------------------------ */

static void test_addr_format_ipv4_with_port(void **state)
{
    static const struct {
        uint8_t ip[4];
        uint16_t port;
        const char *text;
    } cases[] = {
        {{1, 2, 3, 4}, 80, "1.2.3.4:80"},
        {{0, 0, 0, 0}, 0, "0.0.0.0:0"},
        {{255, 255, 255, 255}, 65535, "255.255.255.255:65535"},
        {{10, 0, 0, 1}, 8080, "10.0.0.1:8080"},
        {{100, 20, 3, 0}, 10, "100.20.3.0:10"},
        {{192, 168, 1, 254}, 443, "192.168.1.254:443"},
        {{127, 0, 0, 1}, 1, "127.0.0.1:1"},
        {{9, 99, 199, 249}, 9999, "9.99.199.249:9999"},
        {{200, 10, 1, 100}, 10000, "200.10.1.100:10000"},
        {{0, 255, 0, 255}, 65534, "0.255.0.255:65534"},
    };
    sockport_addr a;

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        const uint8_t *ip = cases[i].ip;
        make_v4(&a, ip[0], ip[1], ip[2], ip[3], cases[i].port);
        expect_text(&a, 0, cases[i].text);
        expect_round_trip(&a);
    }
}

static void test_addr_format_every_octet_value_in_every_position(void **state)
{
    char want[32];
    sockport_addr a;

    (void)state;
    for (unsigned v = 0; v < 256; v++) {
        for (int pos = 0; pos < 4; pos++) {
            uint8_t o[4] = {1, 2, 3, 4};
            o[pos] = (uint8_t)v;
            make_v4(&a, o[0], o[1], o[2], o[3], (uint16_t)(v * 257));
            snprintf(want, sizeof want, "%u.%u.%u.%u:%u", o[0], o[1], o[2], o[3], v * 257);
            expect_text(&a, 0, want);
        }
    }
}

/* ---- IPv6 ------------------------------------------------------------------ */

static void test_addr_format_ipv6_matches_rfc5952_golden_table(void **state)
{
    char want[80];
    sockport_addr a;

    (void)state;
    for (size_t i = 0; i < COUNT(fmt_golden); i++) {
        make_v6(&a, fmt_golden[i].g, 0, 0);
        expect_text(&a, 1, fmt_golden[i].text);
        make_v6(&a, fmt_golden[i].g, 443, 0);
        snprintf(want, sizeof want, "[%s]:443", fmt_golden[i].text);
        expect_text(&a, 0, want);
        expect_round_trip(&a);
    }
}

static void test_addr_format_ipv6_compresses_first_of_equal_runs(void **state)
{
    static const uint16_t g1[8] = {0x2001, 0xdb8, 0, 0, 1, 0, 0, 1};
    static const uint16_t g2[8] = {0, 0, 1, 0, 0, 1, 0, 0};
    static const uint16_t g3[8] = {1, 0, 0, 0, 1, 0, 0, 0};
    sockport_addr a;

    (void)state;
    make_v6(&a, g1, 0, 0);
    expect_text(&a, 1, "2001:db8::1:0:0:1");
    make_v6(&a, g2, 0, 0);
    expect_text(&a, 1, "::1:0:0:1:0:0");
    make_v6(&a, g3, 0, 0);
    expect_text(&a, 1, "1::1:0:0:0");
}

static void test_addr_format_ipv6_never_compresses_a_single_zero_group(void **state)
{
    char want[64];
    sockport_addr a;

    (void)state;
    for (int pos = 0; pos < 8; pos++) {
        uint16_t g[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        g[pos] = 0;
        make_v6(&a, g, 0, 0);
        snprintf(want, sizeof want, "%x:%x:%x:%x:%x:%x:%x:%x", g[0], g[1], g[2], g[3], g[4], g[5],
                 g[6], g[7]);
        expect_text(&a, 1, want);
    }
}

static void test_addr_format_ipv6_is_dotted_only_when_ipv4_mapped(void **state)
{
    static const uint16_t mapped[8] = {0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201};
    static const uint16_t compat[8] = {0, 0, 0, 0, 0, 0, 0xc000, 0x0201};
    static const uint16_t siit[8] = {0, 0, 0, 0, 0xffff, 0, 0xc000, 0x0201};
    static const uint16_t nat64[8] = {0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0201};
    static const uint16_t isatap[8] = {0xfe80, 0, 0, 0, 0, 0x5efe, 0xc000, 0x0201};
    sockport_addr a;

    (void)state;
    make_v6(&a, mapped, 0, 0);
    expect_text(&a, 1, "::ffff:192.0.2.1");
    make_v6(&a, compat, 0, 0);
    expect_text(&a, 1, "::c000:201");
    make_v6(&a, siit, 0, 0);
    expect_text(&a, 1, "::ffff:0:c000:201");
    make_v6(&a, nat64, 0, 0);
    expect_text(&a, 1, "64:ff9b::c000:201");
    make_v6(&a, isatap, 0, 0);
    expect_text(&a, 1, "fe80::5efe:c000:201");
}

static void test_addr_format_ipv6_matches_string_oracle_for_every_zero_pattern(void **state)
{
    static const uint16_t fill[3][8] = {
        {1, 2, 3, 4, 5, 6, 7, 8},
        {0xffff, 0xabc, 0x10, 0xf, 0x1000, 0x100, 0xa0a, 0xdead},
        {0, 0, 0, 0, 0, 0xffff, 0x102, 0x304}, /* with the mapped prefix where it fits */
    };
    char want[64];
    sockport_addr a;

    (void)state;
    for (int set = 0; set < 3; set++) {
        for (unsigned mask = 0; mask < 256; mask++) {
            uint16_t g[8];
            for (int i = 0; i < 8; i++)
                g[i] = (mask >> i) & 1u ? 0 : fill[set][i];
            oracle_v6(g, want, sizeof want);
            make_v6(&a, g, 0, 0);
            expect_text(&a, 1, want);
            expect_round_trip(&a);
        }
    }
}

static void test_addr_format_every_group_value(void **state)
{
    char want[64];
    sockport_addr a;

    (void)state;
    for (unsigned v = 0; v <= 0xffff; v++) {
        uint16_t g[8] = {0x2001, (uint16_t)v, 1, 2, 3, 4, 5, 6};
        make_v6(&a, g, 0, 0);
        snprintf(want, sizeof want, "2001:%x:1:2:3:4:5:6", v);
        expect_text(&a, 1, want);
    }
}

static void test_addr_format_ipv6_writes_zone_as_number(void **state)
{
    static const uint16_t ll[8] = {0xfe80, 0, 0, 0, 0, 0, 0, 1};
    static const uint16_t w[8] = {0x20ab, 0, 0, 0, 0, 0, 0, 0x2001};
    static const uint16_t mapped[8] = {0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304};
    sockport_addr a;

    (void)state;
    make_v6(&a, ll, 80, 2);
    expect_text(&a, 0, "[fe80::1%2]:80");
    expect_text(&a, 1, "fe80::1%2");
    make_v6(&a, ll, 65535, 4294967295u);
    expect_text(&a, 0, "[fe80::1%4294967295]:65535");
    make_v6(&a, ll, 0, 0);
    expect_text(&a, 0, "[fe80::1]:0");
    make_v6(&a, w, 33274, 4660);
    expect_text(&a, 0, "[20ab::2001%4660]:33274");
    make_v6(&a, mapped, 1, 10);
    expect_text(&a, 0, "[::ffff:1.2.3.4%10]:1");
    assert_sp_ok(sockport_addr_ip(&a, "fe80::1%0", 5));
    expect_text(&a, 0, "[fe80::1]:5");
}

static void test_addr_format_ip_gives_canonical_text_for_parsed_input(void **state)
{
    sockport_addr a;

    (void)state;
    for (size_t i = 0; i < COUNT(canon); i++) {
        int rc = sockport_addr_ip(&a, canon[i].in, 0);
        if (canon[i].out == NULL) {
            assert_sp_err(rc, SOCKPORT_EINVAL);
            continue;
        }
        if (rc != 0)
            fail_msg("\"%s\" rejected", canon[i].in);
        expect_text(&a, 1, canon[i].out);
    }
}

static void test_addr_format_ip_is_a_fixed_point_for_valid_vectors(void **state)
{
    char once[SOCKPORT_ADDRSTRLEN], twice[SOCKPORT_ADDRSTRLEN];
    sockport_addr a, b;

    (void)state;
    for (size_t i = 0; i < COUNT(v6_valid); i++) {
        assert_sp_ok(sockport_addr_ip(&a, v6_valid[i].text, 1));
        format_into(&a, 1, once, sizeof once);
        assert_sp_ok(sockport_addr_ip(&b, once, 1));
        format_into(&b, 1, twice, sizeof twice);
        assert_string_equal(once, twice);
        assert_int_equal(sockport_addr_compare(&a, &b), 0);
    }
    for (size_t i = 0; i < COUNT(v4_valid); i++) {
        assert_sp_ok(sockport_addr_ip(&a, v4_valid[i].text, 1));
        expect_text(&a, 1, v4_valid[i].text);
    }
}

static void test_addr_format_ip_rejects_non_ip(void **state)
{
    char buf[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_sp_err(sockport_addr_format_ip(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_addr_unix(&a, "/x"));
    assert_sp_err(sockport_addr_format_ip(&a, buf, sizeof buf), SOCKPORT_EINVAL);
}

/* ---- round trips -------------------------------------------------------------- */

static void test_addr_format_round_trips_random_ipv4(void **state)
{
    sockport_addr a;

    (void)state;
    for (int i = 0; i < 5000; i++) {
        uint32_t r = rnd();
        make_v4(&a, (uint8_t)(r >> 24), (uint8_t)(r >> 16), (uint8_t)(r >> 8), (uint8_t)r,
                (uint16_t)rnd());
        expect_round_trip(&a);
    }
}

static void test_addr_format_round_trips_random_ipv6(void **state)
{
    char want[64];
    sockport_addr a;

    (void)state;
    for (int i = 0; i < 20000; i++) {
        uint16_t g[8];
        random_v6_groups(g);
        make_v6(&a, g, (uint16_t)rnd(), random_scope());
        expect_round_trip(&a);
        if (sockport_addr_scope_id(&a) == 0) {
            oracle_v6(g, want, sizeof want);
            expect_text(&a, 1, want);
        }
    }
}

/* ---- Unix ------------------------------------------------------------------- */

static void test_addr_format_unix_path_as_itself(void **state)
{
    static const char *const paths[] = {
        "/",
        "/tmp/sockport.sock",
        "relative",
        "./a b",
        "/with\\backslash",
        "@not-abstract",
        "/t\xc3\xa9st",
        "[::1]:80",
    };
    sockport_addr a;

    (void)state;
    for (size_t i = 0; i < COUNT(paths); i++) {
        assert_sp_ok(sockport_addr_unix(&a, paths[i]));
        expect_text(&a, 0, paths[i]);
    }
}

/* Abstract names are built with the backends' entry, which exists on every
 * system, so that their text is tested everywhere. */
static void make_abstract(sockport_addr *a, const void *name, size_t len)
{
    assert_sp_ok(sockport__addr_set_unix(a, name, len, 1));
}

static void test_addr_format_abstract_escapes_unprintable_bytes_and_backslash(void **state)
{
    static const struct {
        const char *name;
        size_t len;
        const char *text;
    } cases[] = {
        {"", 0, "@"},
        {"a", 1, "@a"},
        {"\0", 1, "@\\x00"},
        {"\0a\0", 3, "@\\x00a\\x00"},
        {"my-app", 6, "@my-app"},
        {"with space", 10, "@with space"},
        {"back\\slash", 10, "@back\\x5cslash"},
        {"\x1f\x20\x7e\x7f", 4, "@\\x1f ~\\x7f"},
        {"\x80\xff", 2, "@\\x80\\xff"},
        {"\n\t\r", 3, "@\\x0a\\x09\\x0d"},
        {"\xc3\xa9", 2, "@\\xc3\\xa9"},
        {"@", 1, "@@"},
        {"x\\xff", 5, "@x\\x5cxff"},
    };
    sockport_addr a;

    (void)state;
    for (size_t i = 0; i < COUNT(cases); i++) {
        make_abstract(&a, cases[i].name, cases[i].len);
        expect_text(&a, 0, cases[i].text);
    }
}

static void test_addr_format_every_byte_of_an_abstract_name(void **state)
{
    char want[8];
    sockport_addr a;

    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        char byte = (char)c;
        make_abstract(&a, &byte, 1);
        if (c >= 0x20 && c <= 0x7e && c != '\\')
            snprintf(want, sizeof want, "@%c", (int)c);
        else
            snprintf(want, sizeof want, "@\\x%02x", c);
        expect_text(&a, 0, want);
    }
}

static void test_addr_format_empty_and_unnamed_are_empty_text(void **state)
{
    char buf[4] = "xyz";
    sockport_addr a;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_int_equal(sockport_addr_format(&a, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_sp_err(sockport_addr_format(&a, buf, 0), SOCKPORT_ENOSPC);
    assert_sp_ok(sockport__addr_set_unix(&a, NULL, 0, 0));
    memcpy(buf, "xyz", 4);
    assert_int_equal(sockport_addr_format(&a, buf, 1), 0);
    assert_string_equal(buf, "");
}

/* ---- the buffer contract ------------------------------------------------------ */

/* Every cap from 0 to len is ENOSPC and writes nothing at or past cap (and
 * only "" at buf[0]); len + 1 and more succeed and write exactly len + 1. */
static void expect_buffer_contract(const sockport_addr *a, int ip_only)
{
    char full[SOCKPORT_ADDRSTRLEN], buf[SOCKPORT_ADDRSTRLEN + 8];
    int len;

    format_into(a, ip_only, full, sizeof full);
    len = (int)strlen(full);
    for (size_t cap = 0; cap <= (size_t)len + 2; cap++) {
        int rc;
        memset(buf, 0x5c, sizeof buf);
        rc = ip_only ? sockport_addr_format_ip(a, buf, cap) : sockport_addr_format(a, buf, cap);
        if (cap <= (size_t)len) {
            assert_sp_err(rc, SOCKPORT_ENOSPC);
            for (size_t i = cap > 0 ? 1 : 0; i < sizeof buf; i++)
                if (buf[i] != 0x5c)
                    fail_msg("\"%s\", cap %u: byte %u written", full, (unsigned)cap, (unsigned)i);
            if (cap > 0)
                assert_int_equal(buf[0], '\0');
            continue;
        }
        assert_int_equal(rc, len);
        assert_memory_equal(buf, full, (size_t)len + 1);
        for (size_t i = (size_t)len + 1; i < sizeof buf; i++)
            assert_int_equal(buf[i], 0x5c);
    }
}

static void test_addr_format_short_buffer_is_enospc_and_writes_nothing_past_cap(void **state)
{
    static const uint16_t big[8] = {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff};
    static const uint16_t mapped[8] = {0, 0, 0, 0, 0, 0xffff, 0xffff, 0xffff};
    static const uint16_t one[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    char name[SOCKPORT_UNIX_PATH_MAX];
    sockport_addr a;

    (void)state;
    make_v4(&a, 255, 255, 255, 255, 65535);
    expect_buffer_contract(&a, 0);
    expect_buffer_contract(&a, 1);
    make_v4(&a, 0, 0, 0, 0, 0);
    expect_buffer_contract(&a, 0);
    make_v6(&a, big, 65535, 4294967295u);
    expect_buffer_contract(&a, 0);
    expect_buffer_contract(&a, 1);
    make_v6(&a, mapped, 80, 1);
    expect_buffer_contract(&a, 0);
    make_v6(&a, one, 0, 0);
    expect_buffer_contract(&a, 0);
    expect_buffer_contract(&a, 1);
    assert_sp_ok(sockport_addr_unix(&a, "/tmp/contract.sock"));
    expect_buffer_contract(&a, 0);
    memset(name, 0xff, sizeof name);
    make_abstract(&a, name, sizeof name);
    expect_buffer_contract(&a, 0);
    make_abstract(&a, "\0ab\\", 4);
    expect_buffer_contract(&a, 0);
    memset(&a, 0, sizeof a);
    expect_buffer_contract(&a, 0);
}

static void test_addr_format_worst_cases_fit_addrstrlen(void **state)
{
    static const uint16_t big[8] = {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff};
    char name[SOCKPORT_UNIX_PATH_MAX], path[SOCKPORT_UNIX_PATH_MAX + 1];
    char buf[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;

    (void)state;
    memset(name, 0, sizeof name);
    make_abstract(&a, name, sizeof name);
    assert_int_equal(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_ADDRSTRLEN - 1);
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf - 1), SOCKPORT_ENOSPC);
    memset(path, 'p', SOCKPORT_UNIX_PATH_MAX);
    path[SOCKPORT_UNIX_PATH_MAX] = '\0';
    assert_sp_ok(sockport_addr_unix(&a, path));
    assert_int_equal(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_UNIX_PATH_MAX);
    make_v6(&a, big, 65535, 4294967295u);
    assert_int_equal(sockport_addr_format(&a, buf, sizeof buf), 58);
    assert_int_equal(sockport_addr_format(&a, buf, 59), 58);
    assert_string_equal(buf, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535");
}

static void test_addr_format_rejects_corrupt_address(void **state)
{
    char buf[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;

    (void)state;
    memset(&a, 0, sizeof a);
    a.family_ = 4;
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    a.family_ = 0xffff;
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_format_ip(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_addr_unix(&a, "/ok"));
    a.len_ = SOCKPORT_UNIX_PATH_MAX + 1;
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    a.len_ = 0xffff;
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_addr_unix(&a, "/ok"));
    a.abstract_ = 2;
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_addr_unix(&a, "/ok"));
    a.len_ = 5; /* the path's NUL and a zero byte inside the length */
    assert_sp_err(sockport_addr_format(&a, buf, sizeof buf), SOCKPORT_EINVAL);
}

static void test_addr_format_null_arguments_are_einval(void **state)
{
    char buf[SOCKPORT_ADDRSTRLEN];
    sockport_addr a;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_sp_err(sockport_addr_format(NULL, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_format(&a, NULL, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_format(&a, NULL, 0), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_format_ip(NULL, buf, sizeof buf), SOCKPORT_EINVAL);
    assert_sp_err(sockport_addr_format_ip(&a, NULL, sizeof buf), SOCKPORT_EINVAL);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_addr_format_ipv4_with_port),
    cmocka_unit_test(test_addr_format_every_octet_value_in_every_position),
    cmocka_unit_test(test_addr_format_ipv6_matches_rfc5952_golden_table),
    cmocka_unit_test(test_addr_format_ipv6_compresses_first_of_equal_runs),
    cmocka_unit_test(test_addr_format_ipv6_never_compresses_a_single_zero_group),
    cmocka_unit_test(test_addr_format_ipv6_is_dotted_only_when_ipv4_mapped),
    cmocka_unit_test(test_addr_format_ipv6_matches_string_oracle_for_every_zero_pattern),
    cmocka_unit_test(test_addr_format_every_group_value),
    cmocka_unit_test(test_addr_format_ipv6_writes_zone_as_number),
    cmocka_unit_test(test_addr_format_ip_gives_canonical_text_for_parsed_input),
    cmocka_unit_test(test_addr_format_ip_is_a_fixed_point_for_valid_vectors),
    cmocka_unit_test(test_addr_format_ip_rejects_non_ip),
    cmocka_unit_test(test_addr_format_round_trips_random_ipv4),
    cmocka_unit_test(test_addr_format_round_trips_random_ipv6),
    cmocka_unit_test(test_addr_format_unix_path_as_itself),
    cmocka_unit_test(test_addr_format_abstract_escapes_unprintable_bytes_and_backslash),
    cmocka_unit_test(test_addr_format_every_byte_of_an_abstract_name),
    cmocka_unit_test(test_addr_format_empty_and_unnamed_are_empty_text),
    cmocka_unit_test(test_addr_format_short_buffer_is_enospc_and_writes_nothing_past_cap),
    cmocka_unit_test(test_addr_format_worst_cases_fit_addrstrlen),
    cmocka_unit_test(test_addr_format_rejects_corrupt_address),
    cmocka_unit_test(test_addr_format_null_arguments_are_einval),
};

SP_TEST_MAIN(tests, NULL, NULL)
