/* The HTTP side of authorisation. The relation itself ("may X see Y's
 * records") is stated once, in svc/access.h; this header only adapts it to a
 * request for handlers that have not moved their decision into a use case. */
#ifndef EO_API_AUTHZ_H
#define EO_API_AUTHZ_H

#include "api/http.h"

/* eo_svc_access_require_view for the request's principal: EO_OK when
 * allowed; EO_ERR_FORBIDDEN "forbidden" otherwise (or a db error). */
eo_status eo_authz_can_view_employee(eo_ctx *c, eo_db *db, long long target_employee_id, eo_err *err);

#endif
