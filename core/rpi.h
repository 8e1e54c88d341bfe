/* The RPI (Rencana Pengembangan Individu) rules: the workflow state machine
 * and the builder's review summary (JP totals, the 10-20-70 split, the
 * submission checks). Pure: no database, no HTTP (svc/rpi.c is the glue).
 *
 *   draft --submit--> submitted --verify (anpeg)--> verified --approve (atasan)--> approved (final)
 *     ^                  |  \--return (anpeg, note)--> draft   |
 *     |                  \--withdraw (author)--> draft        \--return (atasan, note)--> draft
 *
 * The anpeg (whose unit subtree holds the author's unit) verifies or returns
 * a submitted plan; the author's direct atasan approves or returns a verified
 * one. The author submits a draft and may withdraw it while it is submitted
 * (not once verified: the anpeg's work stands). Nobody decides their own RPI:
 * an author who is also the anpeg or the atasan acts only as the author. */
#ifndef EO_CORE_RPI_H
#define EO_CORE_RPI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

typedef enum { EO_RPI_DRAFT = 0, EO_RPI_SUBMITTED, EO_RPI_VERIFIED, EO_RPI_APPROVED, EO_RPI_N_STATES } eo_rpi_state;

typedef enum {
    EO_RPI_SUBMIT = 0,
    EO_RPI_WITHDRAW,
    EO_RPI_VERIFY,
    EO_RPI_APPROVE,
    EO_RPI_RETURN,
    EO_RPI_N_ACTIONS
} eo_rpi_action;

/* The caller's parts in one RPI (a set: an anpeg may also be the atasan). */
enum { EO_RPI_AUTHOR = 1u << 0, EO_RPI_VERIFIER = 1u << 1, EO_RPI_APPROVER = 1u << 2 };

#define EO_RPI_NOTE_MAX 1000
#define EO_RPI_MIN_JP   20

/* Decides one step. On EO_OK *next is the new state. Errors, in this order:
 *   403 rpi_not_author      submit / withdraw by anyone but the author
 *   403 rpi_own_record      verify / approve / return by the author
 *   403 rpi_not_verifier    verify by someone who is not an anpeg over the author
 *   403 rpi_not_approver    approve by someone who is not the author's atasan
 *   403 rpi_not_reviewer    return by someone who is neither
 *   409 rpi_final           the plan is approved
 *   409 rpi_transition_invalid  the action does not apply in this state (or it
 *                           is the other reviewer's step: the atasan cannot
 *                           return a plan the anpeg has not verified)
 *   422 field note: rpi_note_required (return) / rpi_note_too_long
 * A note of white space only counts as absent; withdraw takes no note. */
eo_status eo_rpi_apply(eo_rpi_state state, eo_rpi_action action, unsigned parts, const char *note, eo_rpi_state *next,
                       eo_err *err);

/* Items may be added or removed only while the plan is a draft. */
bool eo_rpi_editable(eo_rpi_state s);

const char *eo_rpi_state_name(eo_rpi_state s);
const char *eo_rpi_action_name(eo_rpi_action a);
bool eo_rpi_state_parse(const char *name, eo_rpi_state *out);
bool eo_rpi_action_parse(const char *name, eo_rpi_action *out);

/* ---- the builder's review ---- */
typedef enum { EO_RPI_FORMAL = 0, EO_RPI_SOCIAL, EO_RPI_EXPERIENTIAL, EO_RPI_N_CATEGORIES } eo_rpi_category;

/* The target shares of the 10-20-70 model, in percent, and how far (in
 * percentage points) a share may stray before the review warns. */
#define EO_RPI_SPLIT_TOLERANCE 15

typedef struct {
    int total_jp;
    int jp[EO_RPI_N_CATEGORIES];
    int share[EO_RPI_N_CATEGORIES]; /* percent of total_jp, rounded; 0 when total is 0 */
    /* warnings: the categories whose share strays more than the tolerance
     * (above: +1, below: -1, within: 0), and the JP minimum */
    int split_off[EO_RPI_N_CATEGORIES];
    bool below_min_jp;
} eo_rpi_summary;

/* jp[i] JP in category cat[i] for n items (unknown categories are ignored). */
void eo_rpi_summarise(const int *jp, const eo_rpi_category *cat, size_t n, eo_rpi_summary *out);
int eo_rpi_target_share(eo_rpi_category c);
const char *eo_rpi_category_name(eo_rpi_category c);
bool eo_rpi_category_parse(const char *name, eo_rpi_category *out);

/* The submission checks (each adds one field error; EO_OK when none):
 *   items           rpi_jp_below_minimum   total JP < EO_RPI_MIN_JP
 *   items           rpi_mandatory_missing  a mandatory programme is not in the plan
 *   self_assessment rpi_self_assessment_missing  no self-assessment in the plan's year
 * When exactly one fails, err->code is that code; when several, rpi_not_submittable. */
eo_status eo_rpi_check_submit(int total_jp, int missing_mandatory, bool self_assessed, eo_err *err);

#endif
