/* Attendance corrections: an employee asks to fix a day (forgot to check out,
 * app failure, ...); the direct supervisor (atasan) approves or rejects it
 * through the shared review workflow (svc/review.h). Stored states map onto
 * the review machine: pending = submitted, approved, rejected. */
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
    const char *status;  /* pending | approved | rejected | NULL (checked here) */
    const json_t *after; /* the decoded cursor position, NULL on the first page */
    int limit;           /* items per page */
} eo_correction_list_req;

typedef struct {
    json_t *items; /* owned by the caller */
    json_t *next;  /* the position after the last item, or NULL on the last page; owned */
} eo_correction_list_res;

eo_status eo_svc_correction_list(eo_uow *u, const eo_correction_list_req *in, eo_correction_list_res *out, eo_err *err);

/* Approve or reject (EO_REVIEW_APPROVE / EO_REVIEW_REJECT) as the atasan.
 * 404 correction_not_found (also when the caller may not see the request),
 * 403 not_supervisor / review_own_record, 409 correction_not_pending,
 * 422 note (review_note_required on reject). */
eo_status eo_svc_correction_decide(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out,
                                   eo_err *err);

#endif
