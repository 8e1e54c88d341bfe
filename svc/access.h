/* Who may see or manage whose records, for use cases (the principal is u->who).
 * The same relation as api/authz.h's eo_authz_can_view_employee, stated on a
 * unit of work so svc/ needs no HTTP context. */
#ifndef EO_SVC_ACCESS_H
#define EO_SVC_ACCESS_H

#include <stdbool.h>

#include "svc/uow.h"

/* *ok: the caller is target, above target in the supervisor chain, an anpeg
 * whose unit covers target's, or an admin. */
eo_status eo_svc_access_can_view(eo_uow *u, eo_db *db, long long target, bool *ok, eo_err *err);
/* *ok: the caller is an admin or above target in the supervisor chain (never target). */
eo_status eo_svc_access_can_manage(eo_uow *u, eo_db *db, long long target, bool *ok, eo_err *err);

#endif
