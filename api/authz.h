/* Authorisation helpers for every feature's handlers.
 *
 * Roles: admin / anpeg / humas are granted (role_grants, loaded into
 * c->who->roles at authentication); atasan is derived from the supervisor
 * chain. "May X see Y's record": X is Y, X is above Y in the supervisor chain,
 * X is an anpeg whose granted unit contains Y's unit, or X is an admin. */
#ifndef EO_API_AUTHZ_H
#define EO_API_AUTHZ_H

#include <stdbool.h>

#include "api/http.h"

bool eo_authz_is_admin(const eo_ctx *c);
bool eo_authz_has_role(const eo_ctx *c, unsigned role);

/* EO_OK when allowed; EO_ERR_FORBIDDEN "forbidden" otherwise (or a db error). */
eo_status eo_authz_can_view_employee(eo_ctx *c, eo_db *db, long long target_employee_id, eo_err *err);
/* *out = the caller is target's supervisor, directly or up the chain. */
eo_status eo_authz_is_supervisor_of(eo_ctx *c, eo_db *db, long long target_employee_id, bool *out, eo_err *err);
/* *out = the caller holds an anpeg grant covering target's unit. */
eo_status eo_authz_is_anpeg_for(eo_ctx *c, eo_db *db, long long target_employee_id, bool *out, eo_err *err);

/* Replies 403 and returns false unless the caller is an admin. */
bool eo_authz_require_admin(eo_ctx *c);

#endif
