#include "svc/admin.h"

#include <string.h>

#include "db/admin.h"
#include "db/identity.h"

static eo_status require_admin(const eo_uow *u, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (!(u->who->roles & EO_ROLE_ADMIN)) return eo_fail(err, EO_ERR_FORBIDDEN, "forbidden");
    return EO_OK;
}

eo_status eo_svc_admin_roles_list(eo_uow *u, const eo_svc_admin_roles_in *in, eo_svc_page_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_keyset after;
    eo_db_account a;
    bool found = false;
    memset(out, 0, sizeof(*out));
    if (require_admin(u, err)) return err->status;
    /* A NIP that cannot exist is simply not found. */
    if (!in->nip || strlen(in->nip) != 18 || strspn(in->nip, "0123456789") != 18)
        return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    if (eo_db_keyset_from(in->page.after, &after, err) || eo_uow_db(u, &db, err) ||
        eo_db_account_by_nip(db, in->nip, false, &a, &found, err))
        return err->status;
    if (!found) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    return eo_db_admin_roles_page(db, a.employee_id, in->page.limit, &after, &out->items, &out->next, err);
}

eo_status eo_svc_admin_audit_list(eo_uow *u, const eo_svc_admin_audit_in *in, eo_svc_page_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_keyset after;
    memset(out, 0, sizeof(*out));
    if (require_admin(u, err)) return err->status;
    const char *action = in->action && *in->action ? in->action : NULL;
    const char *nip = in->nip && *in->nip ? in->nip : NULL;
    if ((action && strlen(action) > 64) || (nip && strlen(nip) > 18))
        return eo_fail(err, EO_ERR_INVALID, "invalid_value");
    if (eo_db_keyset_from(in->page.after, &after, err) || eo_uow_db(u, &db, err)) return err->status;
    return eo_db_admin_audit_page(db, action, nip, in->page.limit, &after, &out->items, &out->next, err);
}
