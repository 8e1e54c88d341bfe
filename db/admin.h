/* SQL of the administrators' read views (api/admin.c via svc/admin.c): the
 * role grants of an employee and the audit log, one keyset page at a time. */
#ifndef EO_DB_ADMIN_H
#define EO_DB_ADMIN_H

#include <jansson.h>

#include "db/keyset.h"
#include "db/pool.h"

/* Each fills up to limit items after `after` (newest first) in *items, and in
 * *next the position of the last one when more follow (else NULL); both new
 * references. The items are built here as JSON: read-only views that no rule
 * reads back. */

/* All grants (active and revoked) of an employee by (granted_at, id) DESC. */
eo_status eo_db_admin_roles_page(eo_db *db, long long employee_id, int limit, const eo_db_keyset *after, json_t **items,
                                 json_t **next, eo_err *err);
/* Audit entries by (at, id) DESC; action / nip filters optional (NULL), nip
 * matches the actor or the target. */
eo_status eo_db_admin_audit_page(eo_db *db, const char *action, const char *nip, int limit, const eo_db_keyset *after,
                                 json_t **items, json_t **next, eo_err *err);

#endif
