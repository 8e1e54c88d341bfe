/* The RPI rules (core/rpi.c): every state x action x part written out by hand
 * (so the table in the code is checked, not restated), the notes, the
 * 10-20-70 summary and the submission checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rpi.h"
#include "svc/rpi.h"

#define A EO_RPI_AUTHOR
#define V EO_RPI_VERIFIER
#define P EO_RPI_APPROVER

/* Outcome per current state (draft, submitted, verified, approved) when
 * acting with a note (none for withdraw): the next state or the error code. */
static const struct {
    eo_rpi_action action;
    unsigned parts;
    const char *out[EO_RPI_N_STATES];
} cases[] = {
    /* submit */
    {EO_RPI_SUBMIT, A, {"submitted", "rpi_transition_invalid", "rpi_transition_invalid", "rpi_final"}},
    {EO_RPI_SUBMIT, V, {"rpi_not_author", "rpi_not_author", "rpi_not_author", "rpi_not_author"}},
    {EO_RPI_SUBMIT, P, {"rpi_not_author", "rpi_not_author", "rpi_not_author", "rpi_not_author"}},
    {EO_RPI_SUBMIT, 0, {"rpi_not_author", "rpi_not_author", "rpi_not_author", "rpi_not_author"}},
    {EO_RPI_SUBMIT, A | V | P, {"submitted", "rpi_transition_invalid", "rpi_transition_invalid", "rpi_final"}},
    /* withdraw */
    {EO_RPI_WITHDRAW, A, {"rpi_transition_invalid", "draft", "rpi_transition_invalid", "rpi_final"}},
    {EO_RPI_WITHDRAW, V | P, {"rpi_not_author", "rpi_not_author", "rpi_not_author", "rpi_not_author"}},
    {EO_RPI_WITHDRAW, 0, {"rpi_not_author", "rpi_not_author", "rpi_not_author", "rpi_not_author"}},
    /* verify */
    {EO_RPI_VERIFY, V, {"rpi_transition_invalid", "verified", "rpi_transition_invalid", "rpi_final"}},
    {EO_RPI_VERIFY, V | P, {"rpi_transition_invalid", "verified", "rpi_transition_invalid", "rpi_final"}},
    {EO_RPI_VERIFY, P, {"rpi_not_verifier", "rpi_not_verifier", "rpi_not_verifier", "rpi_not_verifier"}},
    {EO_RPI_VERIFY, A, {"rpi_own_record", "rpi_own_record", "rpi_own_record", "rpi_own_record"}},
    {EO_RPI_VERIFY, A | V, {"rpi_own_record", "rpi_own_record", "rpi_own_record", "rpi_own_record"}},
    {EO_RPI_VERIFY, 0, {"rpi_not_verifier", "rpi_not_verifier", "rpi_not_verifier", "rpi_not_verifier"}},
    /* approve */
    {EO_RPI_APPROVE, P, {"rpi_transition_invalid", "rpi_transition_invalid", "approved", "rpi_final"}},
    {EO_RPI_APPROVE, V | P, {"rpi_transition_invalid", "rpi_transition_invalid", "approved", "rpi_final"}},
    {EO_RPI_APPROVE, V, {"rpi_not_approver", "rpi_not_approver", "rpi_not_approver", "rpi_not_approver"}},
    {EO_RPI_APPROVE, A | P, {"rpi_own_record", "rpi_own_record", "rpi_own_record", "rpi_own_record"}},
    {EO_RPI_APPROVE, 0, {"rpi_not_approver", "rpi_not_approver", "rpi_not_approver", "rpi_not_approver"}},
    /* return: each reviewer at their own step */
    {EO_RPI_RETURN, V, {"rpi_transition_invalid", "draft", "rpi_transition_invalid", "rpi_final"}},
    {EO_RPI_RETURN, P, {"rpi_transition_invalid", "rpi_transition_invalid", "draft", "rpi_final"}},
    {EO_RPI_RETURN, V | P, {"rpi_transition_invalid", "draft", "draft", "rpi_final"}},
    {EO_RPI_RETURN, A, {"rpi_own_record", "rpi_own_record", "rpi_own_record", "rpi_own_record"}},
    {EO_RPI_RETURN, A | V | P, {"rpi_own_record", "rpi_own_record", "rpi_own_record", "rpi_own_record"}},
    {EO_RPI_RETURN, 0, {"rpi_not_reviewer", "rpi_not_reviewer", "rpi_not_reviewer", "rpi_not_reviewer"}},
};

static void test_every_transition(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (int s = 0; s < EO_RPI_N_STATES; s++) {
            eo_err err;
            eo_err_init(&err);
            eo_rpi_state next = EO_RPI_N_STATES;
            const char *note = cases[i].action == EO_RPI_WITHDRAW ? NULL : "Perbaiki JP pelatihan";
            eo_status st = eo_rpi_apply((eo_rpi_state)s, cases[i].action, cases[i].parts, note, &next, &err);
            const char *got = st == EO_OK ? eo_rpi_state_name(next) : err.code;
            if (strcmp(got, cases[i].out[s]) != 0)
                fail_msg("case %zu (%s by %u) in %s: got %s, want %s", i, eo_rpi_action_name(cases[i].action),
                         cases[i].parts, eo_rpi_state_name((eo_rpi_state)s), got, cases[i].out[s]);
            if (st == EO_OK) assert_int_equal(err.status, EO_OK);
            eo_err_clear(&err);
        }
}

static const char *apply_code(eo_rpi_state s, eo_rpi_action a, unsigned parts, const char *note)
{
    static char code[64];
    eo_err err;
    eo_err_init(&err);
    eo_rpi_state next;
    eo_status st = eo_rpi_apply(s, a, parts, note, &next, &err);
    const char *got = st == EO_OK ? eo_rpi_state_name(next) : err.n_fields > 0 ? err.fields[0].code : err.code;
    snprintf(code, sizeof(code), "%s", got);
    eo_err_clear(&err);
    return code;
}

static void test_notes(void **state)
{
    (void)state;
    char big[EO_RPI_NOTE_MAX + 2];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    /* return needs a note; blank is none */
    assert_string_equal(apply_code(EO_RPI_SUBMITTED, EO_RPI_RETURN, V, NULL), "rpi_note_required");
    assert_string_equal(apply_code(EO_RPI_SUBMITTED, EO_RPI_RETURN, V, " \t\r\n"), "rpi_note_required");
    assert_string_equal(apply_code(EO_RPI_VERIFIED, EO_RPI_RETURN, P, ""), "rpi_note_required");
    assert_string_equal(apply_code(EO_RPI_VERIFIED, EO_RPI_RETURN, P, big), "rpi_note_too_long");
    big[EO_RPI_NOTE_MAX] = 0; /* exactly the maximum */
    assert_string_equal(apply_code(EO_RPI_VERIFIED, EO_RPI_RETURN, P, big), "draft");
    /* verify and approve take an optional note; withdraw none */
    assert_string_equal(apply_code(EO_RPI_SUBMITTED, EO_RPI_VERIFY, V, NULL), "verified");
    assert_string_equal(apply_code(EO_RPI_VERIFIED, EO_RPI_APPROVE, P, NULL), "approved");
    assert_string_equal(apply_code(EO_RPI_SUBMITTED, EO_RPI_WITHDRAW, A, "x"), "unknown_field");
    /* the part check comes before the state and the note */
    assert_string_equal(apply_code(EO_RPI_APPROVED, EO_RPI_RETURN, 0, NULL), "rpi_not_reviewer");
    assert_string_equal(apply_code(EO_RPI_APPROVED, EO_RPI_RETURN, V, NULL), "rpi_final");
}

static void test_names_and_bad_input(void **state)
{
    (void)state;
    for (int s = 0; s < EO_RPI_N_STATES; s++) {
        eo_rpi_state back;
        assert_true(eo_rpi_state_parse(eo_rpi_state_name((eo_rpi_state)s), &back));
        assert_int_equal(back, s);
    }
    for (int a = 0; a < EO_RPI_N_ACTIONS; a++) {
        eo_rpi_action back;
        assert_true(eo_rpi_action_parse(eo_rpi_action_name((eo_rpi_action)a), &back));
        assert_int_equal(back, a);
    }
    eo_rpi_state s;
    eo_rpi_action a;
    eo_rpi_category c;
    assert_false(eo_rpi_state_parse("returned", &s));
    assert_false(eo_rpi_state_parse(NULL, &s));
    assert_false(eo_rpi_action_parse("reject", &a));
    assert_false(eo_rpi_category_parse("Formal", &c));
    assert_true(eo_rpi_category_parse("experiential", &c));
    assert_int_equal(c, EO_RPI_EXPERIENTIAL);
    assert_string_equal(eo_rpi_state_name((eo_rpi_state)9), "unknown");
    eo_err err;
    eo_err_init(&err);
    eo_rpi_state next;
    assert_int_equal(eo_rpi_apply((eo_rpi_state)7, EO_RPI_SUBMIT, A, NULL, &next, &err), EO_ERR_INTERNAL);
    eo_err_clear(&err);
    assert_int_equal(eo_rpi_apply(EO_RPI_DRAFT, (eo_rpi_action)7, A, NULL, &next, &err), EO_ERR_INTERNAL);
    eo_err_clear(&err);
    assert_true(eo_rpi_editable(EO_RPI_DRAFT));
    for (int i = 1; i < EO_RPI_N_STATES; i++) assert_false(eo_rpi_editable((eo_rpi_state)i));
}

static void test_summary(void **state)
{
    (void)state;
    static const struct {
        int jp[4];
        eo_rpi_category cat[4];
        size_t n;
        int total, share[3], off[3];
        bool below;
    } rows[] = {
        /* the model itself: no warning */
        {{2, 4, 14}, {EO_RPI_FORMAL, EO_RPI_SOCIAL, EO_RPI_EXPERIENTIAL}, 3, 20, {10, 20, 70}, {0, 0, 0}, false},
        /* all formal: formal far above, social (0 vs 20) and experiential far below */
        {{24}, {EO_RPI_FORMAL}, 1, 24, {100, 0, 0}, {1, -1, -1}, false},
        /* 25 / 25 / 50: formal +15 is the edge (no warning), experiential -20 */
        {{5, 5, 10}, {EO_RPI_FORMAL, EO_RPI_SOCIAL, EO_RPI_EXPERIENTIAL}, 3, 20, {25, 25, 50}, {0, 0, -1}, false},
        /* below the minimum, still judged */
        {{4, 15}, {EO_RPI_SOCIAL, EO_RPI_EXPERIENTIAL}, 2, 19, {0, 21, 79}, {0, 0, 0}, true},
        /* nothing: no split */
        {{0}, {EO_RPI_FORMAL}, 0, 0, {0, 0, 0}, {0, 0, 0}, true},
        /* unknown category and non-positive JP are ignored */
        {{10, -5, 30}, {(eo_rpi_category)9, EO_RPI_FORMAL, EO_RPI_EXPERIENTIAL}, 3, 30, {0, 0, 100}, {0, -1, 1}, false},
        /* rounding: 1 / 3 of 3 JP -> 33, 2 / 3 -> 67 */
        {{1, 2}, {EO_RPI_SOCIAL, EO_RPI_EXPERIENTIAL}, 2, 3, {0, 33, 67}, {0, 0, 0}, true},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        eo_rpi_summary s;
        eo_rpi_summarise(rows[i].jp, rows[i].cat, rows[i].n, &s);
        assert_int_equal(s.total_jp, rows[i].total);
        for (int c = 0; c < 3; c++) {
            if (s.share[c] != rows[i].share[c] || s.split_off[c] != rows[i].off[c])
                fail_msg("row %zu category %d: share %d off %d", i, c, s.share[c], s.split_off[c]);
        }
        assert_int_equal(s.below_min_jp, rows[i].below);
    }
    assert_int_equal(eo_rpi_target_share(EO_RPI_SOCIAL), 20);
    assert_int_equal(eo_rpi_target_share((eo_rpi_category)5), 0);
}

static void test_submit_checks(void **state)
{
    (void)state;
    static const struct {
        int jp, missing;
        bool self;
        const char *code; /* NULL: passes */
        int fields;
    } rows[] = {
        {20, 0, true, NULL, 0},
        {19, 0, true, "rpi_jp_below_minimum", 1},
        {40, 1, true, "rpi_mandatory_missing", 1},
        {40, 0, false, "rpi_self_assessment_missing", 1},
        {0, 2, false, "rpi_not_submittable", 3},
        {10, 0, false, "rpi_not_submittable", 2},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        eo_err err;
        eo_err_init(&err);
        eo_status st = eo_rpi_check_submit(rows[i].jp, rows[i].missing, rows[i].self, &err);
        if (!rows[i].code) {
            assert_int_equal(st, EO_OK);
        } else {
            assert_int_equal(st, EO_ERR_INVALID);
            assert_string_equal(err.code, rows[i].code);
            assert_int_equal(err.n_fields, rows[i].fields);
        }
        eo_err_clear(&err);
    }
}

/* The plan year is the year in WIB (UTC+7): 17:00 UTC on 31 December is already the next year. */
static void test_plan_year(void **state)
{
    (void)state;
    assert_int_equal(eo_svc_rpi_current_year(1798736399.0), 2026); /* 2026-12-31T16:59:59Z */
    assert_int_equal(eo_svc_rpi_current_year(1798736400.0), 2027); /* 2026-12-31T17:00:00Z */
    assert_int_equal(eo_svc_rpi_current_year(1767225600.0), 2026); /* 2026-01-01T00:00:00Z */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),    cmocka_unit_test(test_notes),
        cmocka_unit_test(test_names_and_bad_input), cmocka_unit_test(test_summary),
        cmocka_unit_test(test_submit_checks),       cmocka_unit_test(test_plan_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
