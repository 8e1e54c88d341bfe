/* Profile and PDM use cases (docs/profile.md).
 *
 * Who sees a profile: the employee; the anpeg whose unit subtree holds the
 * employee's unit and admin (every section); the atasan chain (every section
 * but identity extras and family). Everyone else gets 404 employee_not_found
 * (no oracle). PDM proposals are decided by an anpeg of the employee's unit,
 * never by the employee. */
#ifndef EO_SVC_PROFILE_H
#define EO_SVC_PROFILE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/profile.h"
#include "svc/attachments.h"
#include "svc/list.h"
#include "svc/uow.h"

/* The document policy of PDM proposals: PDF, JPEG or PNG, at most 2 MiB. */
extern const eo_attachment_policy eo_pdm_document_policy;
#define EO_PDM_DOCUMENT_MAX (2u << 20)

/* nip NULL: the caller's own profile. compact: the mobile form. *out:
 * {employee, sections: {<name>: {title, records, pending_additions}}, hidden_sections}. */
eo_status eo_svc_profile_get(eo_uow *u, const char *nip, bool compact, json_t **out, eo_err *err);

/* The printable profile: a PDF (malloc'ed, *len bytes) under the same rule. */
eo_status eo_svc_profile_pdf(eo_uow *u, const char *nip, unsigned char **pdf, size_t *len, char doc_id[40],
                             eo_err *err);

/* The supporting document of a live record the caller may see. */
eo_status eo_svc_profile_record_document(eo_uow *u, long long record_id, eo_attachment_blob *out, eo_err *err);

typedef struct {
    const char *section, *op;
    long long record_id; /* 0: absent */
    json_t *data;        /* borrowed; NULL: absent */
    const char *note;
    const unsigned char *document; /* NULL: none */
    size_t document_len;
} eo_pdm_propose_req;

/* The caller proposes a change to their own profile. *out: the proposal (201). */
eo_status eo_svc_pdm_propose(eo_uow *u, const eo_pdm_propose_req *in, json_t **out, eo_err *err);
eo_status eo_svc_pdm_get(eo_uow *u, long long id, json_t **out, eo_err *err);
/* approve / reject (reason required) by an anpeg of the unit; withdraw by the employee. */
eo_status eo_svc_pdm_act(eo_uow *u, long long id, eo_pdm_action a, const char *reason, json_t **out, eo_err *err);
eo_status eo_svc_pdm_document(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err);

typedef struct {
    bool queue; /* false: the caller's own proposals; true: the anpeg queue (admin: every unit's, read-only) */
    const char *status, *section, *unit;
    eo_svc_page_in page;
} eo_pdm_list_req;
eo_status eo_svc_pdm_list(eo_uow *u, const eo_pdm_list_req *in, eo_svc_page_out *out, eo_err *err);

#endif
