#include "svc/access.h"

#include "db/authz.h"

bool eo_svc_access_is_admin(const eo_uow *u) { return u->who && (u->who->roles & EO_ROLE_ADMIN); }

eo_status eo_svc_access_can_manage(eo_uow *u, eo_db *db, long long target, bool *ok, eo_err *err)
{
    *ok = eo_svc_access_is_admin(u);
    if (*ok || !u->who || u->who->employee_id == target) return EO_OK;
    return eo_db_authz_is_supervisor_of(db, u->who->employee_id, target, ok, err);
}

eo_status eo_svc_access_can_view(eo_uow *u, eo_db *db, long long target, bool *ok, eo_err *err)
{
    *ok = false;
    if (!u->who) return EO_OK;
    if (u->who->employee_id == target || eo_svc_access_is_admin(u)) {
        *ok = true;
        return EO_OK;
    }
    if (eo_db_authz_is_supervisor_of(db, u->who->employee_id, target, ok, err) != EO_OK || *ok) return err->status;
    if (!(u->who->roles & EO_ROLE_ANPEG)) return EO_OK;
    return eo_db_authz_anpeg_covers(db, u->who->employee_id, target, ok, err);
}

eo_status eo_svc_access_require_view(eo_uow *u, eo_db *db, long long target, eo_err *err)
{
    bool ok = false;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_svc_access_can_view(u, db, target, &ok, err)) return err->status;
    return ok ? EO_OK : eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
}
