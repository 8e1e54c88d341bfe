#include "core/review.h"

#include <string.h>

static const char *const state_names[EO_REVIEW_N_STATES] = {"draft", "submitted", "approved", "returned", "rejected"};
static const char *const action_names[EO_REVIEW_N_ACTIONS] = {"submit", "withdraw", "approve", "return", "reject"};

/* The whole machine as data: for each action, who performs it, whether a note
 * is mandatory, and the target state from each source state (-1: none). */
static const struct {
    eo_review_actor by;
    bool note_required;
    int to[EO_REVIEW_N_STATES]; /* indexed by the current state */
} rules[EO_REVIEW_N_ACTIONS] = {
    /*                        draft               submitted           approved returned             rejected */
    [EO_REVIEW_SUBMIT] = {EO_REVIEW_AUTHOR, false, {EO_REVIEW_SUBMITTED, -1, -1, EO_REVIEW_SUBMITTED, -1}},
    [EO_REVIEW_WITHDRAW] = {EO_REVIEW_AUTHOR, false, {-1, EO_REVIEW_DRAFT, -1, -1, -1}},
    [EO_REVIEW_APPROVE] = {EO_REVIEW_REVIEWER, false, {-1, EO_REVIEW_APPROVED, -1, -1, -1}},
    [EO_REVIEW_RETURN] = {EO_REVIEW_REVIEWER, true, {-1, EO_REVIEW_RETURNED, -1, -1, -1}},
    [EO_REVIEW_REJECT] = {EO_REVIEW_REVIEWER, true, {-1, EO_REVIEW_REJECTED, -1, -1, -1}},
};

bool eo_review_is_final(eo_review_state s) { return s == EO_REVIEW_APPROVED || s == EO_REVIEW_REJECTED; }

static bool blank(const char *s) { return !s || strspn(s, " \t\r\n") == strlen(s); }

eo_status eo_review_apply(eo_review_state state, eo_review_action action, eo_review_actor actor, const char *note,
                          eo_review_state *next, eo_err *err)
{
    if ((unsigned)state >= EO_REVIEW_N_STATES || (unsigned)action >= EO_REVIEW_N_ACTIONS ||
        (unsigned)actor >= EO_REVIEW_N_ACTORS)
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "review: state %d action %d actor %d", (int)state,
                           (int)action, (int)actor);
    eo_review_actor by = rules[action].by;
    if (actor != by) {
        if (by == EO_REVIEW_AUTHOR) return eo_fail(err, EO_ERR_FORBIDDEN, "review_not_author");
        return eo_fail(err, EO_ERR_FORBIDDEN, actor == EO_REVIEW_AUTHOR ? "review_own_record" : "review_not_reviewer");
    }
    if (eo_review_is_final(state)) return eo_fail(err, EO_ERR_CONFLICT, "review_final");
    int to = rules[action].to[state];
    if (to < 0) return eo_fail(err, EO_ERR_CONFLICT, "review_transition_invalid");
    if (note && strlen(note) > EO_REVIEW_NOTE_MAX) {
        eo_err_field(err, "note", "review_note_too_long");
        return err->status;
    }
    if (rules[action].note_required && blank(note)) {
        eo_err_field(err, "note", "review_note_required");
        return err->status;
    }
    *next = (eo_review_state)to;
    return EO_OK;
}

const char *eo_review_state_name(eo_review_state s)
{
    return (unsigned)s < EO_REVIEW_N_STATES ? state_names[s] : "unknown";
}

const char *eo_review_action_name(eo_review_action a)
{
    return (unsigned)a < EO_REVIEW_N_ACTIONS ? action_names[a] : "unknown";
}

bool eo_review_state_parse(const char *name, eo_review_state *out)
{
    for (int i = 0; name && i < EO_REVIEW_N_STATES; i++)
        if (strcmp(name, state_names[i]) == 0) {
            *out = (eo_review_state)i;
            return true;
        }
    return false;
}

bool eo_review_action_parse(const char *name, eo_review_action *out)
{
    for (int i = 0; name && i < EO_REVIEW_N_ACTIONS; i++)
        if (strcmp(name, action_names[i]) == 0) {
            *out = (eo_review_action)i;
            return true;
        }
    return false;
}
