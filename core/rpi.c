#include "core/rpi.h"

#include <string.h>

static const char *const state_names[EO_RPI_N_STATES] = {"draft", "submitted", "verified", "approved"};
static const char *const action_names[EO_RPI_N_ACTIONS] = {"submit", "withdraw", "verify", "approve", "return"};
static const char *const category_names[EO_RPI_N_CATEGORIES] = {"formal", "social", "experiential"};
static const int target_shares[EO_RPI_N_CATEGORIES] = {10, 20, 70};

/* The machine as data: for each action and source state, the part that may
 * take it there (0: nobody) and the target state. */
static const struct {
    unsigned by;
    int to;
} rules[EO_RPI_N_ACTIONS][EO_RPI_N_STATES] = {
    /*                   draft                            submitted                          verified */
    [EO_RPI_SUBMIT] = {{EO_RPI_AUTHOR, EO_RPI_SUBMITTED}, {0, -1}, {0, -1}, {0, -1}},
    [EO_RPI_WITHDRAW] = {{0, -1}, {EO_RPI_AUTHOR, EO_RPI_DRAFT}, {0, -1}, {0, -1}},
    [EO_RPI_VERIFY] = {{0, -1}, {EO_RPI_VERIFIER, EO_RPI_VERIFIED}, {0, -1}, {0, -1}},
    [EO_RPI_APPROVE] = {{0, -1}, {0, -1}, {EO_RPI_APPROVER, EO_RPI_APPROVED}, {0, -1}},
    [EO_RPI_RETURN] = {{0, -1}, {EO_RPI_VERIFIER, EO_RPI_DRAFT}, {EO_RPI_APPROVER, EO_RPI_DRAFT}, {0, -1}},
};

/* Who may take an action at all (in some state). */
static const unsigned takers[EO_RPI_N_ACTIONS] = {
    [EO_RPI_SUBMIT] = EO_RPI_AUTHOR,
    [EO_RPI_WITHDRAW] = EO_RPI_AUTHOR,
    [EO_RPI_VERIFY] = EO_RPI_VERIFIER,
    [EO_RPI_APPROVE] = EO_RPI_APPROVER,
    [EO_RPI_RETURN] = EO_RPI_VERIFIER | EO_RPI_APPROVER,
};

static const char *const not_taker_codes[EO_RPI_N_ACTIONS] = {
    [EO_RPI_SUBMIT] = "rpi_not_author",    [EO_RPI_WITHDRAW] = "rpi_not_author", [EO_RPI_VERIFY] = "rpi_not_verifier",
    [EO_RPI_APPROVE] = "rpi_not_approver", [EO_RPI_RETURN] = "rpi_not_reviewer",
};

static bool blank(const char *s) { return !s || strspn(s, " \t\r\n") == strlen(s); }

eo_status eo_rpi_apply(eo_rpi_state state, eo_rpi_action action, unsigned parts, const char *note, eo_rpi_state *next,
                       eo_err *err)
{
    if ((unsigned)state >= EO_RPI_N_STATES || (unsigned)action >= EO_RPI_N_ACTIONS)
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "rpi: state %d action %d", (int)state, (int)action);
    if (parts & EO_RPI_AUTHOR) parts = EO_RPI_AUTHOR; /* nobody decides their own plan */
    unsigned need = takers[action];
    if (!(parts & need)) {
        if (need != EO_RPI_AUTHOR && (parts & EO_RPI_AUTHOR)) return eo_fail(err, EO_ERR_FORBIDDEN, "rpi_own_record");
        return eo_fail(err, EO_ERR_FORBIDDEN, not_taker_codes[action]);
    }
    if (state == EO_RPI_APPROVED) return eo_fail(err, EO_ERR_CONFLICT, "rpi_final");
    if (!(parts & rules[action][state].by) || rules[action][state].to < 0)
        return eo_fail(err, EO_ERR_CONFLICT, "rpi_transition_invalid");
    if (action == EO_RPI_WITHDRAW && note) {
        eo_err_field(err, "note", "unknown_field");
        return err->status;
    }
    if (note && strlen(note) > EO_RPI_NOTE_MAX) {
        eo_err_field(err, "note", "rpi_note_too_long");
        return err->status;
    }
    if (action == EO_RPI_RETURN && blank(note)) {
        eo_err_field(err, "note", "rpi_note_required");
        return err->status;
    }
    *next = (eo_rpi_state)rules[action][state].to;
    return EO_OK;
}

bool eo_rpi_editable(eo_rpi_state s) { return s == EO_RPI_DRAFT; }

const char *eo_rpi_state_name(eo_rpi_state s) { return (unsigned)s < EO_RPI_N_STATES ? state_names[s] : "unknown"; }

const char *eo_rpi_action_name(eo_rpi_action a) { return (unsigned)a < EO_RPI_N_ACTIONS ? action_names[a] : "unknown"; }

bool eo_rpi_state_parse(const char *name, eo_rpi_state *out)
{
    for (int i = 0; name && i < EO_RPI_N_STATES; i++)
        if (strcmp(name, state_names[i]) == 0) {
            *out = (eo_rpi_state)i;
            return true;
        }
    return false;
}

bool eo_rpi_action_parse(const char *name, eo_rpi_action *out)
{
    for (int i = 0; name && i < EO_RPI_N_ACTIONS; i++)
        if (strcmp(name, action_names[i]) == 0) {
            *out = (eo_rpi_action)i;
            return true;
        }
    return false;
}

int eo_rpi_target_share(eo_rpi_category c) { return (unsigned)c < EO_RPI_N_CATEGORIES ? target_shares[c] : 0; }

const char *eo_rpi_category_name(eo_rpi_category c)
{
    return (unsigned)c < EO_RPI_N_CATEGORIES ? category_names[c] : "unknown";
}

bool eo_rpi_category_parse(const char *name, eo_rpi_category *out)
{
    for (int i = 0; name && i < EO_RPI_N_CATEGORIES; i++)
        if (strcmp(name, category_names[i]) == 0) {
            *out = (eo_rpi_category)i;
            return true;
        }
    return false;
}

void eo_rpi_summarise(const int *jp, const eo_rpi_category *cat, size_t n, eo_rpi_summary *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        if ((unsigned)cat[i] >= EO_RPI_N_CATEGORIES || jp[i] <= 0) continue;
        out->jp[cat[i]] += jp[i];
        out->total_jp += jp[i];
    }
    out->below_min_jp = out->total_jp < EO_RPI_MIN_JP;
    if (out->total_jp == 0) return; /* nothing planned: no split to judge */
    for (int c = 0; c < EO_RPI_N_CATEGORIES; c++) {
        /* rounded half up in integers: (200 * jp + total) / (2 * total) */
        long long share = (200LL * out->jp[c] + out->total_jp) / (2LL * out->total_jp);
        out->share[c] = (int)share;
        int diff = out->share[c] - target_shares[c];
        out->split_off[c] = diff > EO_RPI_SPLIT_TOLERANCE ? 1 : diff < -EO_RPI_SPLIT_TOLERANCE ? -1 : 0;
    }
}

eo_status eo_rpi_check_submit(int total_jp, int missing_mandatory, bool self_assessed, eo_err *err)
{
    const char *only = NULL;
    int failed = 0;
    if (total_jp < EO_RPI_MIN_JP) {
        eo_err_field(err, "items", "rpi_jp_below_minimum");
        only = "rpi_jp_below_minimum";
        failed++;
    }
    if (missing_mandatory > 0) {
        eo_err_field(err, "items", "rpi_mandatory_missing");
        only = "rpi_mandatory_missing";
        failed++;
    }
    if (!self_assessed) {
        eo_err_field(err, "self_assessment", "rpi_self_assessment_missing");
        only = "rpi_self_assessment_missing";
        failed++;
    }
    if (failed == 0) return EO_OK;
    err->code = failed == 1 ? only : "rpi_not_submittable";
    return err->status;
}
