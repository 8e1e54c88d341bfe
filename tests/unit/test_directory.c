/* The directory's pure rules (core/directory.c): search query checks, skill
 * normalisation and dedupe, free-text bounds counted in characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/directory.h"

static const char *query_code(const char *q, eo_dir_query *out)
{
    eo_err err;
    eo_err_init(&err);
    eo_status st = eo_dir_query_parse(q, out, &err);
    const char *code = st == EO_OK ? "ok" : err.fields[0].code;
    eo_err_clear(&err);
    return code;
}

static void test_query(void **state)
{
    (void)state;
    static const struct {
        const char *q, *code;
        bool nip;
        const char *text;
    } cases[] = {
        {"iskandar", "ok", false, "iskandar"},
        {"  Iskandar Syahputra \t", "ok", false, "Iskandar Syahputra"},
        {"19690505", "ok", true, "19690505"},
        {"196905051994031001", "ok", true, "196905051994031001"},
        {"1969050519940310011", "too_long", false, NULL},
        {"12", "ok", true, "12"},
        {"a", "too_short", false, NULL},
        {"é", "too_short", false, NULL},
        {"éé", "ok", false, "éé"},
        {"", "missing_field", false, NULL},
        {"   ", "missing_field", false, NULL},
        {"ab\x01", "invalid_value", false, NULL},
        {"ab\x7f", "invalid_value", false, NULL},
        {"ab\xc2\x85", "invalid_value", false, NULL}, /* U+0085, a C1 control */
        {"ab\xff", "invalid_value", false, NULL},
        {"ab\xc0\xaf", "invalid_value", false, NULL}, /* overlong */
        {"1969 0505", "ok", false, "1969 0505"},      /* not all digits: a name */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eo_dir_query out;
        assert_string_equal(query_code(cases[i].q, &out), cases[i].code);
        if (cases[i].text) {
            assert_string_equal(out.text, cases[i].text);
            assert_int_equal(out.nip, cases[i].nip);
        }
    }
    eo_dir_query out;
    assert_string_equal(query_code(NULL, &out), "missing_field");
    char big[4 * EO_DIR_QUERY_MAX + 8];
    memset(big, 'x', 100);
    big[100] = '\0';
    assert_string_equal(query_code(big, &out), "ok");
    big[100] = 'x';
    big[101] = '\0';
    assert_string_equal(query_code(big, &out), "too_long");
    /* 100 two-byte characters are 200 bytes and still fine */
    for (int i = 0; i < 100; i++) memcpy(big + 2 * i, "\xc3\xa9", 2);
    big[200] = '\0';
    assert_string_equal(query_code(big, &out), "ok");
}

static void test_skill_normalise(void **state)
{
    (void)state;
    char out[4 * EO_DIR_SKILL_MAX + 1];
    assert_true(eo_dir_skill_normalise("  Analisis \t  Jabatan  ", out, sizeof out));
    assert_string_equal(out, "Analisis Jabatan");
    assert_false(eo_dir_skill_normalise("   ", out, sizeof out));
    assert_false(eo_dir_skill_normalise("", out, sizeof out));
    assert_false(eo_dir_skill_normalise("a\x01", out, sizeof out));
    char tag[120];
    memset(tag, 'k', 50);
    tag[50] = '\0';
    assert_true(eo_dir_skill_normalise(tag, out, sizeof out));
    tag[50] = 'k';
    tag[51] = '\0';
    assert_false(eo_dir_skill_normalise(tag, out, sizeof out));
    assert_true(eo_dir_skill_same("SIMPEG", "simpeg"));
    assert_true(eo_dir_skill_same("Analisis Jabatan", "analisis JABATAN"));
    assert_false(eo_dir_skill_same("SIMPEG", "SIMPEG2"));
    assert_false(eo_dir_skill_same("Élan", "élan")); /* only ASCII letters fold */
}

static void test_skills_list(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    json_t *in = json_pack("[s, s, s, s]", " Excel ", "excel", "SIMPEG", "Kurikulum  Merdeka"), *out = NULL;
    assert_int_equal(eo_dir_skills_normalise(in, &out, &err), EO_OK);
    assert_int_equal(json_array_size(out), 3);
    assert_string_equal(json_string_value(json_array_get(out, 0)), "Excel");
    assert_string_equal(json_string_value(json_array_get(out, 2)), "Kurikulum Merdeka");
    json_decref(in);
    json_decref(out);

    in = json_array();
    for (int i = 0; i < 31; i++) json_array_append_new(in, json_sprintf("k%d", i));
    assert_int_equal(eo_dir_skills_normalise(in, &out, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].field, "skills");
    assert_string_equal(err.fields[0].code, "too_long");
    assert_null(out);
    eo_err_clear(&err);
    json_array_append_new(in, json_string("K0")); /* a duplicate of k0 in place of k30 */
    json_array_remove(in, 30);
    assert_int_equal(eo_dir_skills_normalise(in, &out, &err), EO_OK); /* 30 distinct + duplicate */
    assert_int_equal(json_array_size(out), 30);
    json_decref(out);
    json_decref(in);

    in = json_pack("[s, i]", "ok", 5);
    assert_int_equal(eo_dir_skills_normalise(in, &out, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].field, "skills[1]");
    assert_string_equal(err.fields[0].code, "invalid_type");
    eo_err_clear(&err);
    json_decref(in);
    in = json_string("x");
    assert_int_equal(eo_dir_skills_normalise(in, &out, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "invalid_type");
    eo_err_clear(&err);
    json_decref(in);
}

static void test_text(void **state)
{
    (void)state;
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_dir_text_check("text", "Baik.\nSangat baik.", 1000, true, &err), EO_OK);
    assert_int_equal(eo_dir_text_check("text", NULL, 1000, false, &err), EO_OK);
    assert_int_equal(eo_dir_text_check("text", NULL, 1000, true, &err), EO_ERR_INVALID);
    eo_err_clear(&err);
    assert_int_equal(eo_dir_text_check("text", " \n ", 1000, true, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "missing_field");
    eo_err_clear(&err);
    assert_int_equal(eo_dir_text_check("text", "bel\x07", 1000, true, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "invalid_value");
    eo_err_clear(&err);
    char s[2 * 1001 + 1];
    for (int i = 0; i < 1000; i++) memcpy(s + 2 * i, "\xc3\xa9", 2);
    s[2000] = '\0';
    assert_int_equal(eo_dir_text_check("text", s, 1000, true, &err), EO_OK);
    memcpy(s + 2000, "x", 2);
    assert_int_equal(eo_dir_text_check("text", s, 1000, true, &err), EO_ERR_INVALID);
    assert_string_equal(err.fields[0].code, "too_long");
    eo_err_clear(&err);
    assert_int_equal(eo_dir_chars("\xc3\xa9"
                                  "a",
                                  3),
                     2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_skill_normalise),
        cmocka_unit_test(test_skills_list),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
