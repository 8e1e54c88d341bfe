#include "api/authz.h"

#include "db/authz.h"

bool eo_authz_has_role(const eo_ctx *c, unsigned role) { return c->who && (c->who->roles & role) == role; }

bool eo_authz_is_admin(const eo_ctx *c) { return eo_authz_has_role(c, EO_ROLE_ADMIN); }

eo_status eo_authz_is_supervisor_of(eo_ctx *c, eo_db *db, long long target_employee_id, bool *out, eo_err *err)
{
    *out = false;
    if (!c->who || c->who->employee_id == target_employee_id) return EO_OK;
    return eo_db_authz_is_supervisor_of(db, c->who->employee_id, target_employee_id, out, err);
}

eo_status eo_authz_is_anpeg_for(eo_ctx *c, eo_db *db, long long target_employee_id, bool *out, eo_err *err)
{
    *out = false;
    if (!eo_authz_has_role(c, EO_ROLE_ANPEG)) return EO_OK;
    return eo_db_authz_anpeg_covers(db, c->who->employee_id, target_employee_id, out, err);
}

eo_status eo_authz_can_view_employee(eo_ctx *c, eo_db *db, long long target_employee_id, eo_err *err)
{
    if (!c->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (c->who->employee_id == target_employee_id || eo_authz_is_admin(c)) return EO_OK;
    bool ok = false;
    eo_status st = eo_authz_is_supervisor_of(c, db, target_employee_id, &ok, err);
    if (st || ok) return st;
    st = eo_authz_is_anpeg_for(c, db, target_employee_id, &ok, err);
    if (st || ok) return st;
    return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
}

bool eo_authz_require_admin(eo_ctx *c)
{
    if (eo_authz_is_admin(c)) return true;
    eo_reply_problem(c, EO_ERR_FORBIDDEN, "forbidden");
    return false;
}
