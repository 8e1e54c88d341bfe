/* The shared parsers (core/parse.c), the role rule (core/principal.c) and
 * paging cursors (core/cursor.c): table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/cursor.h"
#include "core/parse.h"
#include "core/principal.h"

static void test_ids(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        long long want; /* 0 = refused */
    } cases[] = {
        {"1", 1},   {"42", 42},  {"999999999999999999", 999999999999999999LL},
        {"0", 0},   {"-1", 0},   {"+1", 0},
        {"", 0},    {" 1", 0},   {"1 ", 0},
        {"1e3", 0}, {"0x10", 0}, {"1234567890123456789", 0},
        {"12a", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        long long v = 0;
        bool ok = eo_parse_id(cases[i].in, &v);
        assert_int_equal(ok, cases[i].want != 0);
        if (ok) assert_int_equal(v, cases[i].want);
    }
    long long v;
    assert_false(eo_parse_id(NULL, &v));
}

static void test_decimals(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
    } cases[] = {
        {"-6.2", true},
        {"106.816666", true},
        {"12", true},
        {"+3.5", true},
        {"0.", true},
        {".5", true},
        {"", false},
        {"-", false},
        {".", false},
        {"1e3", false},
        {"0x1p3", false},
        {"inf", false},
        {"nan", false},
        {"1.2.3", false},
        {"1,5", false},
        {" 1", false},
        {"1 ", false},
        {"--1", false},
        {"123456789012345678901234567890123", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v;
        assert_int_equal(eo_parse_decimal(cases[i].in, -1e9, 1e9, &v), cases[i].ok);
    }
    double v;
    assert_true(eo_parse_decimal("90", -90, 90, &v));
    assert_false(eo_parse_decimal("90.0001", -90, 90, &v));
    long long n;
    assert_true(eo_parse_int("-15", -20, 20, &n));
    assert_int_equal(n, -15);
    assert_false(eo_parse_int("21", -20, 20, &n));
    assert_false(eo_parse_int("-", -20, 20, &n));
    assert_false(eo_parse_int("99999999999999999999", -20, 20, &n));
}

static void test_emails(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
    } cases[] = {
        {"budi@kemenkes.go.id", true},
        {"a.b+c@x.co", true},
        {"x@sub-domain.example.id", true},
        {"", false},
        {"@x.id", false},
        {"budi@", false},
        {"budi@localhost", false},
        {"a@b@c.id", false},
        {"bu di@x.id", false},
        {"budi@x..id", false},
        {"budi@-x.id", false},
        {"budi@x.id-", false},
        {"budi@x-.id", false},
        {"\"q\"@x.id", false},
        {"b<u>@x.id", false},
        {"budi@x_y.id", false},
        {"b\xc3\xa9@x.id", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(eo_email_valid(cases[i].in), cases[i].ok);
    char longlocal[80];
    memset(longlocal, 'a', 65);
    memcpy(longlocal + 65, "@x.id", 6);
    assert_false(eo_email_valid(longlocal));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(eo_utf8_valid("Jayapura", 8));
    assert_true(eo_utf8_valid("Sekayu \xe2\x80\x94 Musi", 13));
    assert_false(eo_utf8_valid("a\0b", 3));
    assert_false(eo_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(eo_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(eo_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(eo_utf8_valid("\xe2\x80", 2));         /* truncated */
}

static void test_role_rule(void **state)
{
    (void)state;
    static const struct {
        const char *role, *unit, *code; /* code NULL = accepted */
    } cases[] = {
        {"admin", NULL, NULL},
        {"humas", NULL, NULL},
        {"anpeg", "DINKES", NULL},
        {"anpeg", NULL, "unit_required"},
        {"admin", "X", "unit_not_allowed"},
        {"root", NULL, "role_invalid"},
        {"", NULL, "role_invalid"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        eo_err err;
        eo_err_init(&err);
        eo_status st = eo_role_grant_check(cases[i].role, cases[i].unit, &err);
        if (!cases[i].code) {
            assert_int_equal(st, EO_OK);
        } else {
            assert_int_equal(st, EO_ERR_INVALID);
            assert_string_equal(err.fields[0].code, cases[i].code);
        }
        eo_err_clear(&err);
    }
}

static const unsigned char key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                      17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void test_cursor_round_trip_and_tampering(void **state)
{
    (void)state;
    json_t *pos = json_pack("[s, I]", "2026-11-30T07:12:03Z", (json_int_t)4711);
    char *c = eo_cursor_encode(key, "audit|action=", pos);
    assert_non_null(c);
    json_t *back = NULL;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_cursor_decode(key, "audit|action=", c, &back, &err), EO_OK);
    assert_true(json_equal(pos, back));
    json_decref(back);

    /* Another list or other filters: refused. */
    assert_int_equal(eo_cursor_decode(key, "audit|action=login", c, &back, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].field, "cursor");
    assert_string_equal(err.fields[0].code, "invalid_cursor");
    eo_err_clear(&err);
    /* Another key: refused. */
    unsigned char other[32];
    memcpy(other, key, 32);
    other[0] ^= 1;
    assert_int_equal(eo_cursor_decode(other, "audit|action=", c, &back, &err), EO_ERR_INVALID);
    eo_err_clear(&err);
    /* Every single-character change is refused. */
    size_t n = strlen(c);
    for (size_t i = 0; i < n; i++) {
        char saved = c[i];
        c[i] = saved == 'A' ? 'B' : 'A';
        assert_int_not_equal(eo_cursor_decode(key, "audit|action=", c, &back, &err), EO_OK);
        assert_null(back);
        eo_err_clear(&err);
        c[i] = saved;
    }
    /* Garbage, empty, truncated, oversized. */
    const char *bad[] = {"", ".", "abc", "abc.", ".abc", "not a cursor", "eyJ9.AAAA"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(eo_cursor_decode(key, "audit|action=", bad[i], &back, &err), EO_ERR_INVALID);
        eo_err_clear(&err);
    }
    char big[EO_CURSOR_MAX_LEN + 10];
    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    big[5] = '.';
    assert_int_equal(eo_cursor_decode(key, "audit|action=", big, &back, &err), EO_ERR_INVALID);
    eo_err_clear(&err);
    assert_int_equal(eo_cursor_decode(key, "audit|action=", c, &back, &err), EO_OK);
    json_decref(back);
    free(c);
    json_decref(pos);

    /* Only arrays are positions. */
    json_t *obj = json_object();
    assert_null(eo_cursor_encode(key, "x", obj));
    json_decref(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),       cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_emails),    cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_role_rule), cmocka_unit_test(test_cursor_round_trip_and_tampering),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
