/*
 * The fault backend's rules as text (sockport/fault.h): the strict parser of
 * "slot:nth[:mode[:what[:os_code]]]", the checks of sockport_fault_arm(),
 * the one-line description a failing test prints, and SOCKPORT_FAULT.
 */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L
#endif

#include "sp_test.h"

#include <stdlib.h>

static void arm_text(const char *text)
{
    sockport_fault_rule r;
    assert_sp_ok(sockport_fault_parse(&r, text));
    assert_sp_ok(sockport_fault_arm(&r));
}

/* ---- rules as text ---------------------------------------------------------- */

static void test_parse_accepts_every_documented_form(void **state)
{
    (void)state;
    sockport_fault_rule r;
    assert_sp_ok(sockport_fault_parse(&r, "send:3:persistent:ECONNRESET"));
    assert_string_equal(r.slot, "send");
    assert_true(r.nth == 3 && r.mode == SOCKPORT_FAULT_PERSISTENT);
    assert_int_equal(r.error, SOCKPORT_ECONNRESET);
    assert_int_equal(r.kind, SOCKPORT_FAULT_ERROR);
    assert_sp_ok(sockport_fault_parse(&r, "*:17"));
    assert_true(strcmp(r.slot, "*") == 0 && r.nth == 17 && r.mode == SOCKPORT_FAULT_ONCE);
    assert_true(r.error == 0 && r.os_code == 0);
    assert_sp_ok(sockport_fault_parse(&r, "recv:1:once:short"));
    assert_int_equal(r.kind, SOCKPORT_FAULT_SHORT);
    assert_sp_ok(sockport_fault_parse(&r, "send:18446744073709551615:once:partial"));
    assert_true(r.nth == UINT64_MAX && r.kind == SOCKPORT_FAULT_PARTIAL);
    assert_sp_ok(sockport_fault_parse(&r, "connect:2:once:natural:2147483647"));
    assert_true(r.error == 0 && r.os_code == 2147483647);
    assert_sp_ok(sockport_fault_parse(&r, "if_nametoindex:1:once:EUNKNOWN"));
    assert_int_equal(r.error, SOCKPORT_EUNKNOWN);
}

static const char *const bad_rules[] = {
    "",
    "send",
    "send:",
    "send:0",
    "send:03",
    "send:+3",
    "send:-1",
    "send:3x",
    "send:18446744073709551616",
    "sendx:3",
    "SEND:3",
    " send:3",
    "send:3 ",
    "send:3:",
    "send:3:Once",
    "send:3:always",
    "send:3:once:",
    "send:3:once:econnreset",
    "send:3:once:SOCKPORT_ECONNRESET",
    "send:3:once:ECONNRESET:",
    "send:3:once:ECONNRESET:0",
    "send:3:once:ECONNRESET:2147483648",
    "send:3:once:ECONNRESET:1:2",
    "recv:3:once:partial",
    "send:3:once:short",
    "*:3:once:partial",
    "cleanup:1",
    "option_supported:1",
    "::",
    "*:1:once:EUNKNOWN\n",
};

static void test_parse_rejects_junk_and_leaves_out_untouched(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_rules / sizeof bad_rules[0]; i++) {
        sockport_fault_rule r, before;
        memset(&r, 0xab, sizeof r);
        before = r;
        int rc = sockport_fault_parse(&r, bad_rules[i]);
        if (rc != SOCKPORT_EINVAL)
            print_error("accepted: \"%s\"\n", bad_rules[i]);
        assert_sp_err(rc, SOCKPORT_EINVAL);
        assert_memory_equal(&r, &before, sizeof r);
    }
    assert_sp_err(sockport_fault_parse(NULL, "send:1"), SOCKPORT_EINVAL);
}

static void test_arm_rejects_malformed_rules(void **state)
{
    (void)state;
    sockport_fault_rule ok = SOCKPORT_FAULT_RULE_INIT, r;
    assert_sp_err(sockport_fault_arm(NULL), SOCKPORT_EINVAL);
    r = ok, r.nth = 0;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.slot = "nope";
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.mode = 2;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.kind = 3;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.kind = SOCKPORT_FAULT_PARTIAL;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL); /* partial needs slot send */
    r = ok, r.error = 1;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.error = SOCKPORT_ERRNO_MIN_ - 1;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.os_code = -5;
    assert_sp_err(sockport_fault_arm(&r), SOCKPORT_EINVAL);
    r = ok, r.slot = NULL; /* NULL is "*" */
    assert_sp_ok(sockport_fault_arm(&r));
    sockport_fault_disarm();
}

static void test_describe_round_trips_through_parse_and_reports_enospc(void **state)
{
    (void)state;
    static const char *const rules[] = {"send:3:persistent:ECONNRESET", "*:17:once",
                                        "recv:1:once:short", "connect:2:once:natural:61"};
    char buf[128], want[128];
    sockport_fault_disarm();
    assert_int_equal(sockport_fault_describe(buf, sizeof buf), 15);
    assert_string_equal(buf, "SOCKPORT_FAULT=");
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        arm_text(rules[i]);
        int n = snprintf(want, sizeof want, "SOCKPORT_FAULT=%s", rules[i]);
        assert_int_equal(sockport_fault_describe(buf, sizeof buf), n);
        assert_string_equal(buf, want);
        for (size_t cap = 0; cap <= (size_t)n; cap++)
            assert_sp_err(sockport_fault_describe(buf, cap), SOCKPORT_ENOSPC);
        assert_int_equal(sockport_fault_describe(buf, (size_t)n + 1), n);
    }
    assert_sp_err(sockport_fault_describe(NULL, 8), SOCKPORT_EINVAL);
    sockport_fault_disarm();
}

static void set_env(const char *value)
{
#ifdef _WIN32
    char text[128];
    snprintf(text, sizeof text, "SOCKPORT_FAULT=%s", value != NULL ? value : "");
    assert_int_equal(_putenv(text), 0);
#else
    assert_int_equal(
        value != NULL ? setenv("SOCKPORT_FAULT", value, 1) : unsetenv("SOCKPORT_FAULT"), 0);
#endif
}

static void test_from_env_arms_the_rule_and_rejects_junk(void **state)
{
    (void)state;
    char buf[64];
    sockport_fault_disarm();
    set_env(NULL);
    assert_int_equal(sockport_fault_from_env(), 0);
    set_env("send:3:persistent:ECONNRESET");
    assert_int_equal(sockport_fault_from_env(), 1);
    assert_sp_ok(sockport_fault_describe(buf, sizeof buf));
    assert_string_equal(buf, "SOCKPORT_FAULT=send:3:persistent:ECONNRESET");
    sockport_fault_disarm();
    set_env("send:3:sometimes");
    assert_sp_err(sockport_fault_from_env(), SOCKPORT_EINVAL);
    assert_sp_ok(sockport_fault_describe(buf, sizeof buf));
    assert_string_equal(buf, "SOCKPORT_FAULT="); /* nothing armed */
    set_env(NULL);
}

static int reset(void **state)
{
    (void)state;
    sockport_fault_disarm();
    return 0;
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(test_parse_accepts_every_documented_form, reset),
    cmocka_unit_test_teardown(test_parse_rejects_junk_and_leaves_out_untouched, reset),
    cmocka_unit_test_teardown(test_arm_rejects_malformed_rules, reset),
    cmocka_unit_test_teardown(test_describe_round_trips_through_parse_and_reports_enospc, reset),
    cmocka_unit_test_teardown(test_from_env_arms_the_rule_and_rejects_junk, reset),
};

SP_TEST_MAIN(tests, NULL, NULL)
