/* The review state machine shared by every reviewed record.
 *
 * Presensi corrections use it now; PDM change requests, RPI plans, LKH daily
 * reports and absence requests next. A record is written by its author and
 * decided by a reviewer (for corrections: the direct supervisor, the atasan):
 *
 *   draft --submit--> submitted --approve--> approved   (final)
 *                         |      --reject---> rejected  (final)
 *                         |      --return---> returned --submit--> submitted
 *                         +------ withdraw -> draft
 *
 * submit and withdraw belong to the author, approve/return/reject to the
 * reviewer; nobody reviews their own record. return and reject need a note
 * (the author must learn why); approve may carry one. Final states are
 * read-only. Pure: no database, no HTTP; svc/review.c is the glue.
 */
#ifndef EO_CORE_REVIEW_H
#define EO_CORE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

typedef enum {
    EO_REVIEW_DRAFT = 0,
    EO_REVIEW_SUBMITTED,
    EO_REVIEW_APPROVED,
    EO_REVIEW_RETURNED,
    EO_REVIEW_REJECTED,
    EO_REVIEW_N_STATES
} eo_review_state;

typedef enum {
    EO_REVIEW_SUBMIT = 0, /* draft -> submitted, and resubmit: returned -> submitted */
    EO_REVIEW_WITHDRAW,   /* submitted -> draft: the author takes it back before a decision */
    EO_REVIEW_APPROVE,
    EO_REVIEW_RETURN, /* back to the author for changes */
    EO_REVIEW_REJECT,
    EO_REVIEW_N_ACTIONS
} eo_review_action;

/* Who is acting, relative to the record (svc decides; an author who is also
 * the reviewer counts as the author). */
typedef enum {
    EO_REVIEW_AUTHOR = 0,
    EO_REVIEW_REVIEWER,
    EO_REVIEW_OTHER, /* may see the record but has no part in it */
    EO_REVIEW_N_ACTORS
} eo_review_actor;

/* Longest note, in bytes (UTF-8). */
#define EO_REVIEW_NOTE_MAX 1000

/* Decides one step. On EO_OK *next is the new state. Errors, checked in this
 * order (so a stranger learns nothing about the state):
 *   403 review_not_reviewer   a reviewer's action by the author's counterpart or a bystander
 *   403 review_own_record     a reviewer's action by the record's author
 *   403 review_not_author     an author's action by anyone else
 *   409 review_final          the record is approved or rejected
 *   409 review_transition_invalid  the action does not apply in this state
 *   422 field note: review_note_required (return, reject) / review_note_too_long
 * Out-of-range enums fail with 500 internal. A note made only of white space
 * counts as absent. */
eo_status eo_review_apply(eo_review_state state, eo_review_action action, eo_review_actor actor, const char *note,
                          eo_review_state *next, eo_err *err);

/* true for approved and rejected. */
bool eo_review_is_final(eo_review_state s);

/* Stable lower-case names ("submitted", "return") and their inverse
 * (false when unknown). Used in audit actions and stored states. */
const char *eo_review_state_name(eo_review_state s);
const char *eo_review_action_name(eo_review_action a);
bool eo_review_state_parse(const char *name, eo_review_state *out);
bool eo_review_action_parse(const char *name, eo_review_action *out);

#endif
