#include "api/authz.h"

#include "svc/access.h"

eo_status eo_authz_can_view_employee(eo_ctx *c, eo_db *db, long long target_employee_id, eo_err *err)
{
    return eo_svc_access_require_view(&c->uow, db, target_employee_id, err);
}
