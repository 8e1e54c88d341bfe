/* The employee directory's use cases (docs/directory.md): search, the public
 * profile, one's own skills and "about me", colleague recommendations. Every
 * signed-in employee may search and read public profiles; the rest acts on the
 * caller's own rows only (another's id is 404). */
#ifndef EO_SVC_DIRECTORY_H
#define EO_SVC_DIRECTORY_H

#include <jansson.h>
#include <stdbool.h>

#include "svc/list.h"
#include "svc/uow.h"

/* q: the raw ?q= (checked by core/directory.h). The position is [rank, id]. */
eo_status eo_svc_dir_search(eo_uow *u, const char *q, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err);
/* Card + skills + about + accepted recommendations of an active employee (404 employee_not_found). */
eo_status eo_svc_dir_profile(eo_uow *u, const char *nip, json_t **out, eo_err *err);

/* The caller's skills and about. */
eo_status eo_svc_dir_about_get(eo_uow *u, json_t **out, eo_err *err);
/* Replaces the skills (a JSON array, normalised by core) or the about text
 * (skills NULL); audited with before and after. */
eo_status eo_svc_dir_about_set(eo_uow *u, const json_t *skills, const char *about, json_t **out, eo_err *err);

/* Recommendations (svc side of docs/directory.md "Recommendations"). */
eo_status eo_svc_reco_create(eo_uow *u, const char *nip, const char *text, json_t **out, eo_err *err);
eo_status eo_svc_reco_edit(eo_uow *u, long long id, const char *text, json_t **out, eo_err *err);
/* The subject accepts (accept) or hides it. */
eo_status eo_svc_reco_decide(eo_uow *u, long long id, bool accept, json_t **out, eo_err *err);
/* received: those about the caller (status NULL, "pending", "accepted" or "hidden"); else those the caller wrote. */
eo_status eo_svc_reco_list(eo_uow *u, bool received, const char *status, const eo_svc_page_in *in, eo_svc_page_out *out,
                           eo_err *err);

#endif
