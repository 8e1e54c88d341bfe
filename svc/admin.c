#include "svc/admin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/mail_texts.h"
#include "core/nip.h"
#include "db/admin.h"
#include "db/authz.h"
#include "db/identity.h"
#include "db/mail.h"
#include "svc/access.h"

/* Field errors of the request are dropped: a non-admin learns nothing of it. */
static eo_status require_admin(const eo_uow *u, eo_err *err)
{
    if (eo_svc_access_is_admin(u)) return EO_OK;
    eo_err_clear(err);
    return eo_fail(err, u->who ? EO_ERR_FORBIDDEN : EO_ERR_UNAUTHORIZED, u->who ? "forbidden" : "unauthorized");
}

/* The employee (and account) named by nip; need_account: one must exist. */
static eo_status load_target(eo_uow *u, const char *nip, bool need_account, eo_db **db, eo_db_account *a, eo_err *err)
{
    bool found = false;
    if (!nip || strlen(nip) != 18 || strspn(nip, "0123456789") != 18)
        return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    if (eo_uow_db(u, db, err) || eo_db_account_by_nip(*db, nip, false, a, &found, err)) return err->status;
    if (!found) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    if (need_account && !a->account_id) return eo_fail(err, EO_ERR_NOT_FOUND, "account_not_found");
    return EO_OK;
}

eo_status eo_svc_admin_authenticator_reset(eo_uow *u, const eo_svc_admin_target_in *in, eo_enrolment_started *out,
                                           eo_err *err)
{
    eo_db *db = NULL;
    eo_db_account a;
    memset(out, 0, sizeof(*out));
    if (require_admin(u, err) || load_target(u, in->nip, true, &db, &a, err)) goto done;
    eo_enrolment_start_req q = {.account_id = a.account_id, .nip = a.nip, .kind = "reset"};
    if (eo_db_begin(db, err) || eo_svc_enrolment_start(u, &q, out, err) ||
        eo_uow_audit(u, "admin.authenticator_reset", "employee", a.nip, NULL, err) ||
        (a.office_email[0] &&
         eo_db_mail_enqueue(db, a.office_email, EO_MAIL_ADMIN_RESET_SUBJECT, EO_MAIL_ADMIN_RESET_BODY, err)) ||
        eo_db_commit(db, err)) {
        eo_db_rollback(db);
        sodium_memzero(out, sizeof(*out));
    }
done:
    sodium_memzero(&a, sizeof a);
    return err->status;
}

eo_status eo_svc_admin_account_status(eo_uow *u, const eo_svc_admin_status_in *in, eo_svc_admin_status_out *out,
                                      eo_err *err)
{
    eo_db *db = NULL;
    eo_db_account a;
    memset(out, 0, sizeof(*out));
    if (require_admin(u, err) || load_target(u, in->nip, true, &db, &a, err)) goto done;
    if (a.employee_id == u->who->employee_id) {
        eo_fail(err, EO_ERR_CONFLICT, "cannot_change_self");
        goto done;
    }
    const char *status = in->disable ? "disabled" : (a.has_totp ? "active" : "pending");
    json_t *details = json_pack("{s:s, s:s}", "old", a.status, "new", status);
    /* Disabling ends every session in the same transaction: the next request
     * with any of the employee's tokens is refused. */
    eo_uow_auth_changed(u, a.employee_id);
    if (eo_db_begin(db, err) || eo_db_account_set_status(db, a.account_id, status, err) ||
        (in->disable &&
         eo_db_sessions_revoke_all(db, a.employee_id, 0, "account_disabled", &out->sessions_ended, err)) ||
        eo_uow_audit(u, in->disable ? "admin.account_disable" : "admin.account_enable", "employee", a.nip, details,
                     err) ||
        eo_db_commit(db, err))
        eo_db_rollback(db);
    json_decref(details);
    if (!err->status) {
        snprintf(out->nip, sizeof out->nip, "%s", a.nip);
        snprintf(out->status, sizeof out->status, "%s", status);
    }
done:
    sodium_memzero(&a, sizeof a);
    return err->status;
}

eo_status eo_svc_admin_role_grant(eo_uow *u, const eo_svc_admin_grant_in *in, eo_svc_admin_grant_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_account a;
    memset(out, 0, sizeof(*out));
    if (require_admin(u, err)) return err->status;
    if (in->role) eo_role_grant_check(in->role, in->unit_code, err);
    if (err->status) return err->status;
    if (!in->role) return eo_fail(err, EO_ERR_INVALID, "validation_failed");
    if (load_target(u, in->nip, false, &db, &a, err)) goto done;
    json_t *details = json_pack("{s:s, s:s?}", "role", in->role, "unit", in->unit_code);
    eo_uow_auth_changed(u, a.employee_id);
    if (eo_db_begin(db, err) ||
        eo_db_role_grant(db, a.nip, in->role, in->unit_code, u->who->employee_id, &out->grant_id, err) ||
        json_object_set_new(details, "grant_id", json_integer(out->grant_id)) ||
        eo_uow_audit(u, "role.grant", "employee", a.nip, details, err) || eo_db_commit(db, err)) {
        eo_db_rollback(db);
        if (!err->status) eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    json_decref(details);
done:
    sodium_memzero(&a, sizeof a);
    return err->status;
}

eo_status eo_svc_admin_role_revoke(eo_uow *u, const eo_svc_admin_revoke_in *in, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_account a;
    bool found = false;
    if (require_admin(u, err) || load_target(u, in->nip, false, &db, &a, err)) goto done;
    if (in->grant_id <= 0) {
        eo_fail(err, EO_ERR_NOT_FOUND, "grant_not_found");
        goto done;
    }
    char gid[24];
    snprintf(gid, sizeof gid, "%lld", in->grant_id);
    json_t *details = json_pack("{s:s}", "grant_id", gid);
    eo_uow_auth_changed(u, a.employee_id);
    if (eo_db_begin(db, err) || eo_db_role_revoke(db, a.employee_id, in->grant_id, u->who->employee_id, &found, err) ||
        (found && eo_uow_audit(u, "role.revoke", "employee", a.nip, details, err)) || eo_db_commit(db, err))
        eo_db_rollback(db);
    json_decref(details);
    if (!err->status && !found) eo_fail(err, EO_ERR_NOT_FOUND, "grant_not_found");
done:
    sodium_memzero(&a, sizeof a);
    return err->status;
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
    char nipbuf[EO_NIP_LEN + 1];
    const char *nip = eo_nip_normalize(in->nip, nipbuf, sizeof nipbuf);
    /* Trimmed text too long for a NIP comes back as "": keep it as typed so
     * it is refused below, never read as "no filter". */
    if (nip && !*nip && in->nip[strspn(in->nip, " \t\r\n\v\f")]) nip = in->nip;
    if (nip && !*nip) nip = NULL;
    if ((action && strlen(action) > 64) || (nip && strlen(nip) > 18))
        return eo_fail(err, EO_ERR_INVALID, "invalid_value");
    if (eo_db_keyset_from(in->page.after, &after, err) || eo_uow_db(u, &db, err)) return err->status;
    return eo_db_admin_audit_page(db, action, nip, in->page.limit, &after, &out->items, &out->next, err);
}
