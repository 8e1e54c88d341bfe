/* Who may see or manage whose records: the one statement of the relation
 * (the SQL behind it is db/authz.c). Use cases call it with the principal in
 * u->who; api/ never decides it.
 *
 * Roles: admin / anpeg / humas are granted (role_grants, loaded into the
 * principal at authentication); atasan is derived from the supervisor chain. */
#ifndef EO_SVC_ACCESS_H
#define EO_SVC_ACCESS_H

#include <stdbool.h>

#include "svc/uow.h"

/* The caller holds the admin role (false without a principal). */
bool eo_svc_access_is_admin(const eo_uow *u);

/* *ok: the caller is target, above target in the supervisor chain, an anpeg
 * whose unit covers target's, or an admin. */
eo_status eo_svc_access_can_view(eo_uow *u, eo_db *db, long long target, bool *ok, eo_err *err);
/* Same as an error: EO_OK when allowed, EO_ERR_UNAUTHORIZED "unauthorized"
 * without a principal, EO_ERR_FORBIDDEN "forbidden" otherwise (or a db error). */
eo_status eo_svc_access_require_view(eo_uow *u, eo_db *db, long long target, eo_err *err);
/* *ok: the caller is an admin or above target in the supervisor chain (never target). */
eo_status eo_svc_access_can_manage(eo_uow *u, eo_db *db, long long target, bool *ok, eo_err *err);

#endif
