/* The review state machine (core/review.c): every state x action x actor,
 * written out by hand so the table in the code is checked, not restated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/review.h"

/* Outcome per current state (draft, submitted, approved, returned, rejected):
 * the next state's name, or the error code, when acting with a note. */
static const struct {
    eo_review_action action;
    eo_review_actor actor;
    const char *out[EO_REVIEW_N_STATES];
} cases[] = {
    {EO_REVIEW_SUBMIT,
     EO_REVIEW_AUTHOR,
     {"submitted", "review_transition_invalid", "review_final", "submitted", "review_final"}},
    {EO_REVIEW_SUBMIT,
     EO_REVIEW_REVIEWER,
     {"review_not_author", "review_not_author", "review_not_author", "review_not_author", "review_not_author"}},
    {EO_REVIEW_SUBMIT,
     EO_REVIEW_OTHER,
     {"review_not_author", "review_not_author", "review_not_author", "review_not_author", "review_not_author"}},
    {EO_REVIEW_WITHDRAW,
     EO_REVIEW_AUTHOR,
     {"review_transition_invalid", "draft", "review_final", "review_transition_invalid", "review_final"}},
    {EO_REVIEW_WITHDRAW,
     EO_REVIEW_REVIEWER,
     {"review_not_author", "review_not_author", "review_not_author", "review_not_author", "review_not_author"}},
    {EO_REVIEW_WITHDRAW,
     EO_REVIEW_OTHER,
     {"review_not_author", "review_not_author", "review_not_author", "review_not_author", "review_not_author"}},
    {EO_REVIEW_APPROVE,
     EO_REVIEW_AUTHOR,
     {"review_own_record", "review_own_record", "review_own_record", "review_own_record", "review_own_record"}},
    {EO_REVIEW_APPROVE,
     EO_REVIEW_REVIEWER,
     {"review_transition_invalid", "approved", "review_final", "review_transition_invalid", "review_final"}},
    {EO_REVIEW_APPROVE,
     EO_REVIEW_OTHER,
     {"review_not_reviewer", "review_not_reviewer", "review_not_reviewer", "review_not_reviewer",
      "review_not_reviewer"}},
    {EO_REVIEW_RETURN,
     EO_REVIEW_AUTHOR,
     {"review_own_record", "review_own_record", "review_own_record", "review_own_record", "review_own_record"}},
    {EO_REVIEW_RETURN,
     EO_REVIEW_REVIEWER,
     {"review_transition_invalid", "returned", "review_final", "review_transition_invalid", "review_final"}},
    {EO_REVIEW_RETURN,
     EO_REVIEW_OTHER,
     {"review_not_reviewer", "review_not_reviewer", "review_not_reviewer", "review_not_reviewer",
      "review_not_reviewer"}},
    {EO_REVIEW_REJECT,
     EO_REVIEW_AUTHOR,
     {"review_own_record", "review_own_record", "review_own_record", "review_own_record", "review_own_record"}},
    {EO_REVIEW_REJECT,
     EO_REVIEW_REVIEWER,
     {"review_transition_invalid", "rejected", "review_final", "review_transition_invalid", "review_final"}},
    {EO_REVIEW_REJECT,
     EO_REVIEW_OTHER,
     {"review_not_reviewer", "review_not_reviewer", "review_not_reviewer", "review_not_reviewer",
      "review_not_reviewer"}},
};

static int http_of(const char *code)
{
    if (strcmp(code, "review_final") == 0 || strcmp(code, "review_transition_invalid") == 0) return 409;
    return 403;
}

static void test_every_state_action_actor(void **state)
{
    (void)state;
    int seen = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int s = 0; s < EO_REVIEW_N_STATES; s++) {
            const char *want = cases[i].out[s];
            eo_review_state next = EO_REVIEW_N_STATES, expect;
            eo_err err;
            eo_err_init(&err);
            eo_status st = eo_review_apply((eo_review_state)s, cases[i].action, cases[i].actor, "Alasan", &next, &err);
            if (eo_review_state_parse(want, &expect)) {
                assert_int_equal(st, EO_OK);
                assert_int_equal(next, expect);
            } else {
                assert_int_not_equal(st, EO_OK);
                assert_string_equal(err.code, want);
                assert_int_equal(eo_status_http(st), http_of(want));
                assert_int_equal(next, EO_REVIEW_N_STATES); /* untouched on failure */
            }
            eo_err_clear(&err);
            seen++;
        }
    }
    assert_int_equal(seen, EO_REVIEW_N_STATES * EO_REVIEW_N_ACTIONS * EO_REVIEW_N_ACTORS);
}

/* Return and reject need a note that says something; approve, submit and
 * withdraw do not; an over-long note is refused for every action. */
static void test_notes(void **state)
{
    (void)state;
    static const struct {
        eo_review_action action;
        eo_review_actor actor;
        eo_review_state from;
        bool required;
    } acts[] = {
        {EO_REVIEW_SUBMIT, EO_REVIEW_AUTHOR, EO_REVIEW_DRAFT, false},
        {EO_REVIEW_SUBMIT, EO_REVIEW_AUTHOR, EO_REVIEW_RETURNED, false},
        {EO_REVIEW_WITHDRAW, EO_REVIEW_AUTHOR, EO_REVIEW_SUBMITTED, false},
        {EO_REVIEW_APPROVE, EO_REVIEW_REVIEWER, EO_REVIEW_SUBMITTED, false},
        {EO_REVIEW_RETURN, EO_REVIEW_REVIEWER, EO_REVIEW_SUBMITTED, true},
        {EO_REVIEW_REJECT, EO_REVIEW_REVIEWER, EO_REVIEW_SUBMITTED, true},
    };
    char long_note[EO_REVIEW_NOTE_MAX + 2];
    memset(long_note, 'x', sizeof(long_note) - 1);
    long_note[sizeof(long_note) - 1] = '\0';
    char max_note[EO_REVIEW_NOTE_MAX + 1];
    memset(max_note, 'y', sizeof(max_note) - 1);
    max_note[sizeof(max_note) - 1] = '\0';
    const char *absent[] = {NULL, "", "   ", " \t\r\n"};
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
        eo_review_state next;
        eo_err err;
        for (size_t k = 0; k < sizeof(absent) / sizeof(absent[0]); k++) {
            eo_err_init(&err);
            eo_status st = eo_review_apply(acts[i].from, acts[i].action, acts[i].actor, absent[k], &next, &err);
            if (acts[i].required) {
                assert_int_equal(st, EO_ERR_INVALID);
                assert_string_equal(err.code, "validation_failed");
                assert_int_equal(err.n_fields, 1);
                assert_string_equal(err.fields[0].field, "note");
                assert_string_equal(err.fields[0].code, "review_note_required");
            } else {
                assert_int_equal(st, EO_OK);
            }
            eo_err_clear(&err);
        }
        eo_err_init(&err);
        assert_int_equal(eo_review_apply(acts[i].from, acts[i].action, acts[i].actor, long_note, &next, &err),
                         EO_ERR_INVALID);
        assert_string_equal(err.fields[0].code, "review_note_too_long");
        eo_err_clear(&err);
        eo_err_init(&err);
        assert_int_equal(eo_review_apply(acts[i].from, acts[i].action, acts[i].actor, max_note, &next, &err), EO_OK);
        eo_err_clear(&err);
    }
}

static void test_names_and_bad_input(void **state)
{
    (void)state;
    for (int s = 0; s < EO_REVIEW_N_STATES; s++) {
        eo_review_state back;
        assert_true(eo_review_state_parse(eo_review_state_name((eo_review_state)s), &back));
        assert_int_equal(back, s);
        assert_int_equal(eo_review_is_final((eo_review_state)s), s == EO_REVIEW_APPROVED || s == EO_REVIEW_REJECTED);
    }
    for (int a = 0; a < EO_REVIEW_N_ACTIONS; a++) {
        eo_review_action back;
        assert_true(eo_review_action_parse(eo_review_action_name((eo_review_action)a), &back));
        assert_int_equal(back, a);
    }
    eo_review_state s;
    eo_review_action a;
    assert_false(eo_review_state_parse("pending", &s));
    assert_false(eo_review_state_parse(NULL, &s));
    assert_false(eo_review_action_parse("APPROVE", &a));
    assert_string_equal(eo_review_state_name(EO_REVIEW_N_STATES), "unknown");
    eo_err err;
    eo_err_init(&err);
    assert_int_equal(eo_review_apply(EO_REVIEW_N_STATES, EO_REVIEW_APPROVE, EO_REVIEW_REVIEWER, "x", &s, &err),
                     EO_ERR_INTERNAL);
    eo_err_clear(&err);
    eo_err_init(&err);
    assert_int_equal(eo_review_apply(EO_REVIEW_SUBMITTED, (eo_review_action)-1, EO_REVIEW_REVIEWER, "x", &s, &err),
                     EO_ERR_INTERNAL);
    eo_err_clear(&err);
    eo_err_init(&err);
    assert_int_equal(eo_review_apply(EO_REVIEW_SUBMITTED, EO_REVIEW_APPROVE, EO_REVIEW_N_ACTORS, "x", &s, &err),
                     EO_ERR_INTERNAL);
    eo_err_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_state_action_actor),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_names_and_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
