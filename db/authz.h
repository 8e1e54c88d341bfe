/* SQL behind authorisation: role grants and the relations "X supervises Y
 * (up the chain)" and "X's anpeg grant covers Y's unit". */
#ifndef EO_DB_AUTHZ_H
#define EO_DB_AUTHZ_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

/* Grants role to the employee with nip (anpeg: unit_code required). granted_by 0 = CLI.
 * Errors: 404 employee_not_found / unit_not_found, 409 role_already_granted. */
eo_status eo_db_role_grant(eo_db *db, const char *nip, const char *role, const char *unit_code, long long granted_by,
                           long long *grant_id, eo_err *err);
/* Revokes the active grant of that role (and unit); 404 grant_not_found. */
eo_status eo_db_role_revoke_by_role(eo_db *db, const char *nip, const char *role, const char *unit_code,
                                    long long revoked_by, long long *grant_id, eo_err *err);
/* Revokes grant_id when it belongs to employee_id and is active; *found otherwise false. */
eo_status eo_db_role_revoke(eo_db *db, long long employee_id, long long grant_id, long long revoked_by, bool *found,
                            eo_err *err);

/* True when sup is target's supervisor, directly or further up the chain. */
eo_status eo_db_authz_is_supervisor_of(eo_db *db, long long sup, long long target, bool *out, eo_err *err);
/* True when one of anpeg's active anpeg grants covers target's unit subtree. */
eo_status eo_db_authz_anpeg_covers(eo_db *db, long long anpeg, long long target, bool *out, eo_err *err);
/* True when someone has employee as direct supervisor (derived role atasan). */
eo_status eo_db_authz_has_subordinates(eo_db *db, long long employee, bool *out, eo_err *err);

#endif
