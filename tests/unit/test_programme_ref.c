/* The programme reference format (core/programme_ref.c), table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/programme_ref.h"

static const struct {
    const char *in;
    eo_pref_kind kind;
    long long id;
    const char *external;
} cases[] = {
    {"programme:1", EO_PREF_PROGRAMME, 1, NULL},
    {"programme:42", EO_PREF_PROGRAMME, 42, NULL},
    {"programme:9223372036854775807", EO_PREF_PROGRAMME, 9223372036854775807LL, NULL},
    {"programme:9223372036854775808", EO_PREF_NONE, 0, NULL},
    {"programme:99999999999999999999", EO_PREF_NONE, 0, NULL},
    {"programme:0", EO_PREF_NONE, 0, NULL},
    {"programme:007", EO_PREF_NONE, 0, NULL},
    {"programme:-3", EO_PREF_NONE, 0, NULL},
    {"programme:+3", EO_PREF_NONE, 0, NULL},
    {"programme:3 ", EO_PREF_NONE, 0, NULL},
    {"programme:", EO_PREF_NONE, 0, NULL},
    {"programme:abc", EO_PREF_NONE, 0, NULL},
    {"Programme:3", EO_PREF_NONE, 0, NULL},
    {"plataran:PS-DEMO-001", EO_PREF_PLATARAN, 0, "PS-DEMO-001"},
    {"plataran:x", EO_PREF_PLATARAN, 0, "x"},
    {"plataran:", EO_PREF_NONE, 0, NULL},
    {"plataran:has space", EO_PREF_NONE, 0, NULL},
    {"plataran:tab\there", EO_PREF_NONE, 0, NULL},
    {"plataran:\xc3\xa9", EO_PREF_NONE, 0, NULL},
    {"PLT-2026-ANJAB", EO_PREF_NONE, 0, NULL},
    {"", EO_PREF_NONE, 0, NULL},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eo_programme_ref r;
        bool ok = eo_programme_ref_parse(cases[i].in, &r);
        if (ok != (cases[i].kind != EO_PREF_NONE) || r.kind != cases[i].kind) fail_msg("case %zu: %s", i, cases[i].in);
        assert_int_equal(r.id, cases[i].id);
        if (cases[i].external)
            assert_string_equal(r.external, cases[i].external);
        else
            assert_null(r.external);
    }
    eo_programme_ref r;
    assert_false(eo_programme_ref_parse(NULL, &r));
}

static void test_external_id_length(void **state)
{
    (void)state;
    char s[102];
    memset(s, 'a', sizeof s);
    s[100] = '\0';
    assert_true(eo_programme_external_id_valid(s));
    s[100] = 'a';
    s[101] = '\0';
    assert_false(eo_programme_external_id_valid(s));
    assert_false(eo_programme_external_id_valid(""));
    assert_false(eo_programme_external_id_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_table), cmocka_unit_test(test_external_id_length)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
