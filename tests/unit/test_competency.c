/* Competency rules (core/competency.c) and API key shapes (core/apikey.c):
 * gap, display class, score parsing, codes, the self-assessment rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/apikey.h"
#include "core/competency.h"

static void test_gap_and_class(void **state)
{
    (void)state;
    static const struct {
        bool has;
        int score, standard, gap;
        const char *cls; /* NULL: no colour */
    } cases[] = {
        {true, 300, 3, 0, "meets"},   {true, 299, 3, -1, "below"}, {true, 350, 3, 50, "meets"},
        {true, 500, 5, 0, "meets"},   {true, 100, 1, 0, "meets"},  {true, 100, 2, -100, "below"},
        {true, 99, 1, -1, "empty"},   {true, 0, 3, -300, "empty"}, {false, 0, 3, -300, "empty"},
        {true, 267, 3, -33, "below"}, {true, 400, 0, 400, NULL},   {true, 50, 0, 50, "empty"},
        {true, 500, 1, 400, "meets"}, {true, 199, 2, -1, "below"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].standard > 0) assert_int_equal(eo_competency_gap(cases[i].score, cases[i].standard), cases[i].gap);
        const char *got =
            eo_competency_class_name(eo_competency_classify(cases[i].has, cases[i].score, cases[i].standard));
        if (cases[i].cls)
            assert_string_equal(got, cases[i].cls);
        else
            assert_null(got);
    }
}

static void test_score_parse(void **state)
{
    (void)state;
    static const struct {
        double v;
        bool ok;
        int centi;
    } cases[] = {{0, true, 0},      {5, true, 500},    {2.67, true, 267}, {3.5, true, 350},
                 {1.01, true, 101}, {4.99, true, 499}, {5.01, false, 0},  {-0.01, false, 0},
                 {2.675, false, 0}, {1e300, false, 0}, {0.1, true, 10}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int c = -1;
        assert_int_equal(eo_competency_score_from_double(cases[i].v, &c), cases[i].ok);
        if (cases[i].ok) assert_int_equal(c, cases[i].centi);
    }
}

static void test_types_codes(void **state)
{
    (void)state;
    eo_assessment_type t;
    static const char *const good[] = {"assessment_centre", "self", "pre", "post"};
    for (size_t i = 0; i < 4; i++) {
        assert_true(eo_assessment_type_parse(good[i], &t));
        assert_string_equal(eo_assessment_type_name(t), good[i]);
    }
    assert_false(eo_assessment_type_parse("Self", &t));
    assert_false(eo_assessment_type_parse("", &t));
    assert_false(eo_assessment_type_parse(NULL, &t));

    static const struct {
        const char *code;
        bool ok;
    } codes[] = {{"M.01", true},
                 {"SK.01", true},
                 {"T.KES-01", true},
                 {"T.PBJ.2", true},
                 {"m.01", false},
                 {"M01", false},
                 {"ABCD.01", false},
                 {"M.", false},
                 {"M.-1", false},
                 {".01", false},
                 {"T.a", false},
                 {"T.0123456789012345678901234567890", false},
                 {"T.012345678901234567890123456789", true}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_int_equal(eo_competency_code_valid(codes[i].code), codes[i].ok);
    assert_true(eo_competency_category_valid("technical"));
    assert_false(eo_competency_category_valid("Technical"));
}

typedef struct {
    const char *name;
    eo_self_answer answers[4];
    size_t n;
    const char *code;  /* expected error code (first field), NULL = ok */
    const char *field; /* its field */
} self_case;

static void test_self_assessment(void **state)
{
    (void)state;
    static const char *const req[] = {"M.01", "M.02", "T.X"};
    char long_text[1002];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    const self_case cases[] = {
        {"complete", {{"M.01", 3, "ok"}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}}, 3, NULL, NULL},
        {"missing one", {{"M.01", 3, "ok"}, {"M.02", 1, "ok"}}, 2, "self_assessment_incomplete", "answers[T.X]"},
        {"repeated",
         {{"M.01", 3, "ok"}, {"M.01", 2, "ok"}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}},
         4,
         "answer_repeated",
         "answers[1].code"},
        {"not in standard",
         {{"M.01", 3, "ok"}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}, {"M.05", 2, "ok"}},
         4,
         "competency_not_in_standard",
         "answers[3].code"},
        {"level 0", {{"M.01", 0, "ok"}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}}, 3, "out_of_range", "answers[0].level"},
        {"level 6", {{"M.01", 3, "ok"}, {"M.02", 6, "ok"}, {"T.X", 5, "ok"}}, 3, "out_of_range", "answers[1].level"},
        {"blank",
         {{"M.01", 3, "  "}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}},
         3,
         "missing_field",
         "answers[0].justification"},
        {"too long",
         {{"M.01", 3, long_text}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}},
         3,
         "too_long",
         "answers[0].justification"},
        {"no code", {{NULL, 3, "ok"}, {"M.02", 1, "ok"}, {"T.X", 5, "ok"}}, 3, "missing_field", "answers[0].code"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eo_err err;
        eo_err_init(&err);
        eo_status st = eo_self_assessment_check(req, 3, cases[i].answers, cases[i].n, &err);
        if (!cases[i].code) {
            assert_int_equal(st, EO_OK);
        } else {
            assert_int_equal(st, EO_ERR_INVALID);
            assert_true(err.n_fields >= 1);
            assert_string_equal(err.fields[0].code, cases[i].code);
            assert_string_equal(err.fields[0].field, cases[i].field);
        }
        eo_err_clear(&err);
    }
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_self_assessment_check(req, 0, NULL, 0, &err), EO_ERR_CONFLICT);
    assert_string_equal(err.code, "no_position_standard");
    eo_err_clear(&err);
}

static void test_apikey(void **state)
{
    (void)state;
    char text[EO_APIKEY_TEXT_LEN + 1], prefix[EO_APIKEY_PREFIX_LEN + 1], p2[EO_APIKEY_PREFIX_LEN + 1];
    unsigned char h[32], h2[32];
    eo_apikey_generate(text, prefix, h);
    assert_int_equal(strlen(text), EO_APIKEY_TEXT_LEN);
    assert_true(eo_apikey_parse(text, p2, h2));
    assert_string_equal(prefix, p2);
    assert_true(eo_apikey_hash_equal(h, h2));
    text[EO_APIKEY_TEXT_LEN - 1] = text[EO_APIKEY_TEXT_LEN - 1] == '0' ? '1' : '0';
    assert_true(eo_apikey_parse(text, p2, h2));
    assert_false(eo_apikey_hash_equal(h, h2));
    static const char *const bad[] = {"", "eok_", "Bearer x", "eok_0123456789ab_",
                                      "eok_0123456789AB_"
                                      "0000000000000000000000000000000000000000000000000000000000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(eo_apikey_parse(bad[i], p2, h2));
    assert_int_equal(eo_apikey_scope_bit("employees:read"), EO_SCOPE_EMPLOYEES_READ);
    assert_int_equal(eo_apikey_scope_bit("employees:write"), 0);
    assert_string_equal(eo_apikey_scope_name(EO_SCOPE_TRAINING_WRITE), "training:write");
    assert_true(eo_apikey_partner_valid("lan-ac.1"));
    assert_false(eo_apikey_partner_valid("LAN"));
    assert_false(eo_apikey_partner_valid("-x"));
    assert_false(eo_apikey_partner_valid(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gap_and_class),   cmocka_unit_test(test_score_parse), cmocka_unit_test(test_types_codes),
        cmocka_unit_test(test_self_assessment), cmocka_unit_test(test_apikey),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
