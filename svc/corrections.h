/* Attendance corrections: an employee asks to fix a day (forgot to check out,
 * app failure, ...); the direct supervisor (atasan) approves or rejects it
 * or returns it for rework through the shared review workflow (svc/review.h);
 * the author may resubmit a returned request (with changed times or reason)
 * and withdraw a pending one. Stored states map onto the review machine:
 * draft (withdrawn), pending = submitted, returned, approved, rejected. */
#ifndef EO_SVC_CORRECTIONS_H
#define EO_SVC_CORRECTIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/review.h"
#include "db/corrections.h"
#include "svc/review.h"
#include "svc/uow.h"

/* The corrections' plug into the review workflow. */
extern const eo_review_kind eo_review_kind_correction;

/* Validates the request (field errors: work_date, kind, requested_check_in,
 * requested_check_out, reason) and files it for u->who. *out: the new request. */
eo_status eo_svc_correction_create(eo_uow *u, const eo_correction_req *in, json_t **out, eo_err *err);

typedef struct {
    bool team;           /* the caller's direct subordinates' requests instead of their own */
    const char *status;  /* draft | pending | returned | approved | rejected | NULL (checked here) */
    const json_t *after; /* the decoded cursor position, NULL on the first page */
    int limit;           /* items per page */
} eo_correction_list_req;

typedef struct {
    json_t *items; /* owned by the caller */
    json_t *next;  /* the position after the last item, or NULL on the last page; owned */
} eo_correction_list_res;

eo_status eo_svc_correction_list(eo_uow *u, const eo_correction_list_req *in, eo_correction_list_res *out, eo_err *err);

/* One review step on request id as u->who: EO_REVIEW_APPROVE / REJECT /
 * RETURN (the atasan; reject and return need a note) or EO_REVIEW_WITHDRAW (the
 * author, while pending). 404 correction_not_found (also when the caller may
 * not see the request), 403 not_supervisor / review_own_record /
 * review_not_author, 409 correction_not_pending, 422 note
 * (review_note_required / review_note_too_long). */
eo_status eo_svc_correction_decide(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out,
                                   eo_err *err);

/* The author's changes on resubmission; NULL fields keep the stored value. */
typedef struct {
    const char *check_in, *check_out; /* "HH:MM" */
    bool clear_check_in, clear_check_out;
    const char *reason;
} eo_correction_edit;

/* The author files a returned (or withdrawn) request again, as pending, with
 * the changes in. Errors as eo_svc_correction_decide (403 review_not_author
 * for the atasan), 409 correction_exists when another request of that day is
 * pending, 422 fields requested_check_in / requested_check_out / reason. */
eo_status eo_svc_correction_resubmit(eo_uow *u, long long id, const eo_correction_edit *in, json_t **out, eo_err *err);

#endif
