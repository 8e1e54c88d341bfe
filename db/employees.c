#include "db/employees.h"

eo_status eo_db_employee_id(eo_db *db, const char *nip, bool active_only, const char *not_found_code, long long *id,
                            eo_err *err)
{
    const char *p[] = {nip, active_only ? "t" : "f"};
    *id = 0;
    PGresult *r =
        eo_db_exec(db, "employee_id_by_nip",
                   "select id from employees where nip = $1 and (status = 'active' or not $2::bool)", 2, p, err);
    if (!r) return err->status;
    if (PQntuples(r) == 1) *id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    if (!*id && not_found_code) return eo_fail(err, EO_ERR_NOT_FOUND, not_found_code);
    return EO_OK;
}
