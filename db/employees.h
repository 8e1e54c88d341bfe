/* Employees by their NIP: the one lookup every module's "by NIP" route uses. */
#ifndef EO_DB_EMPLOYEES_H
#define EO_DB_EMPLOYEES_H

#include <stdbool.h>

#include "db/pool.h"

/* The id of the employee with this NIP (active_only: and status active).
 * None: EO_ERR_NOT_FOUND not_found_code, or *id = 0 and EO_OK when
 * not_found_code is NULL. */
eo_status eo_db_employee_id(eo_db *db, const char *nip, bool active_only, const char *not_found_code, long long *id,
                            eo_err *err);

#endif
