/* Absence requests (docs/absence.md): the employee writes a draft, attaches a
 * document, submits; the direct atasan approves, returns or rejects through
 * the shared review cycle (svc/review.h). Approved requests exempt their days
 * in presensi's day status and in the TPP. */
#ifndef EO_SVC_ABSENCE_H
#define EO_SVC_ABSENCE_H

#include <jansson.h>

#include "core/attachment.h"
#include "db/absence.h"
#include "svc/attachments.h"
#include "svc/review.h"
#include "svc/uow.h"

extern const eo_review_kind eo_review_kind_absence;
/* Supporting documents: PDF, JPEG or PNG, by content. */
extern const eo_attachment_policy eo_attachment_absence_document;

/* A new request of the caller (a draft; with submit, submitted at once, in
 * the same transaction). 422 field errors, 409 absence_overlap, 422
 * absence_document_required (submit of a long sakit), 409 absence_no_supervisor. */
eo_status eo_svc_absence_create(eo_uow *u, const eo_absence_fields *f, bool submit, json_t **out, eo_err *err);
/* The author edits a draft or returned request (409 absence_not_editable otherwise). */
eo_status eo_svc_absence_edit(eo_uow *u, long long id, const eo_absence_fields *f, json_t **out, eo_err *err);
/* The author deletes a draft. */
eo_status eo_svc_absence_delete(eo_uow *u, long long id, eo_err *err);
/* One request: the author, anyone above in the chain, an anpeg of the unit, an admin; else 404. */
eo_status eo_svc_absence_get(eo_uow *u, long long id, json_t **out, eo_err *err);
/* submit, withdraw (author); approve, return, reject (atasan). */
eo_status eo_svc_absence_act(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out,
                             eo_err *err);
/* Attaches the (already checked) document to a draft or returned request of the caller. */
eo_status eo_svc_absence_document(eo_uow *u, long long id, eo_attachment *a, const unsigned char *bytes, json_t **out,
                                  eo_err *err);
/* Reads the document (same readers as the request). */
eo_status eo_svc_absence_document_read(eo_uow *u, long long id, eo_attachment_blob *blob, eo_err *err);
/* The caller's own requests or (team) those of their direct team; viewer_id is set here. */
eo_status eo_svc_absence_list(eo_uow *u, eo_absence_filter *f, json_t *after, json_t **items, json_t **next,
                              eo_err *err);

#endif
