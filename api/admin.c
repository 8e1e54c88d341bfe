/* Identity administration (role admin): authenticator reset, disable /
 * enable an account, role grants, the audit log. Every change is audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/authz.h"
#include "api/http.h"
#include "db/authz.h"
#include "db/identity.h"
#include "db/mail.h"
#include "svc/admin.h"

/* Loads the account named by the {nip} path parameter; replies 404 when absent. */
static bool load_target(eo_ctx *c, eo_db *db, eo_db_account *a, bool need_account)
{
    eo_err err;
    eo_err_init(&err);
    const char *nip = eo_param(c, 0);
    bool found = false;
    if (!nip || strlen(nip) != 18 || strspn(nip, "0123456789") != 18) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "employee_not_found");
        return false;
    }
    if (eo_db_account_by_nip(db, nip, false, a, &found, &err)) {
        eo_reply_err(c, &err);
        return false;
    }
    if (!found) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "employee_not_found");
        return false;
    }
    if (need_account && !a->account_id) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "account_not_found");
        return false;
    }
    return true;
}

static void h_authenticator_reset(eo_ctx *c)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    eo_db_account a;
    if (!eo_authz_require_admin(c) || !eo_ctx_db_or_reply(c, &db) || !load_target(c, db, &a, true)) return;
    if (eo_db_begin(db, &err) || eo_auth_admin_reset(c, db, a.account_id, a.nip, &out, &err) ||
        eo_audit(c, db, "admin.authenticator_reset", "employee", a.nip, NULL, &err) ||
        (a.office_email[0] &&
         eo_db_mail_enqueue(db, a.office_email, "e-Office: authenticator direset oleh admin",
                            "Admin e-Office memulai pembuatan ulang authenticator akun Anda. Authenticator lama tetap "
                            "berlaku sampai yang baru diverifikasi.\nJika Anda tidak memintanya, hubungi helpdesk.\n",
                            &err)) ||
        eo_db_commit(db, &err)) {
        eo_db_rollback(db);
        json_decref(out);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_json(c, 201, out);
}

static void set_status(eo_ctx *c, bool disable)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    eo_db_account a;
    int ended = 0;
    if (!eo_authz_require_admin(c) || !eo_ctx_db_or_reply(c, &db) || !load_target(c, db, &a, true)) return;
    if (a.employee_id == c->who->employee_id) {
        eo_reply_problem(c, EO_ERR_CONFLICT, "cannot_change_self");
        return;
    }
    const char *status = disable ? "disabled" : (a.has_totp ? "active" : "pending");
    json_t *details = json_pack("{s:s, s:s}", "old", a.status, "new", status);
    if (eo_db_begin(db, &err) || eo_db_account_set_status(db, a.account_id, status, &err) ||
        (disable && eo_db_sessions_revoke_all(db, a.employee_id, 0, "account_disabled", &ended, &err)) ||
        eo_audit(c, db, disable ? "admin.account_disable" : "admin.account_enable", "employee", a.nip, details, &err) ||
        eo_db_commit(db, &err)) {
        eo_db_rollback(db);
        json_decref(details);
        eo_reply_err(c, &err);
        return;
    }
    json_decref(details);
    eo_reply_json(c, 200, json_pack("{s:s, s:s, s:i}", "nip", a.nip, "status", status, "sessions_ended", ended));
}

static void h_disable(eo_ctx *c) { set_status(c, true); }
static void h_enable(eo_ctx *c) { set_status(c, false); }

/* Scopes name each filter with its length, so no two filter sets share one. */
static void h_roles_get(eo_ctx *c)
{
    char scope[256];
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    const char *nip = eo_param(c, 0) ? eo_param(c, 0) : "";
    snprintf(scope, sizeof scope, "admin.roles|nip=%zu:%s", strlen(nip), nip);
    if (!eo_page_or_reply(c, scope, 50, 200, &p)) return;
    eo_svc_admin_roles_in in = {.page = {.limit = p.limit, .after = p.after}, .nip = nip};
    eo_svc_page_out out;
    if (eo_svc_admin_roles_list(&c->uow, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

static void h_roles_post(eo_ctx *c)
{
    static const char *const allowed[] = {"role", "unit_code", NULL};
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    eo_db_account a;
    if (!eo_authz_require_admin(c)) return;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *role = eo_json_get_str(body, "role", true, 16, &err);
    const char *unit = eo_json_get_str(body, "unit_code", false, 64, &err);
    if (role) eo_role_grant_check(role, unit, &err);
    if (err.status) {
        eo_reply_err(c, &err);
        json_decref(body);
        return;
    }
    if (!eo_ctx_db_or_reply(c, &db) || !load_target(c, db, &a, false)) {
        json_decref(body);
        return;
    }
    long long gid = 0;
    json_t *details = json_pack("{s:s, s:s?}", "role", role, "unit", unit);
    eo_status st = eo_db_begin(db, &err);
    if (!st) st = eo_db_role_grant(db, a.nip, role, unit, c->who->employee_id, &gid, &err);
    if (!st) json_object_set_new(details, "grant_id", json_integer(gid));
    if (!st) st = eo_audit(c, db, "role.grant", "employee", a.nip, details, &err);
    if (!st) st = eo_db_commit(db, &err);
    json_decref(details);
    if (st) {
        eo_db_rollback(db);
        eo_reply_err(c, &err);
    } else {
        eo_reply_json(
            c, 201,
            json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)gid, "nip", a.nip, "role", role, "unit_code", unit));
    }
    json_decref(body);
}

static void h_roles_delete(eo_ctx *c)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    eo_db_account a;
    if (!eo_authz_require_admin(c) || !eo_ctx_db_or_reply(c, &db) || !load_target(c, db, &a, false)) return;
    long long grant_id;
    if (!eo_param_id_or_reply(c, 1, "grant_not_found", &grant_id)) return;
    const char *gid = eo_param(c, 1);
    bool found = false;
    json_t *details = json_pack("{s:s}", "grant_id", gid);
    eo_status st = eo_db_begin(db, &err);
    if (!st) st = eo_db_role_revoke(db, a.employee_id, grant_id, c->who->employee_id, &found, &err);
    if (!st && found) st = eo_audit(c, db, "role.revoke", "employee", a.nip, details, &err);
    if (!st) st = eo_db_commit(db, &err);
    json_decref(details);
    if (st) {
        eo_db_rollback(db);
        eo_reply_err(c, &err);
    } else if (!found) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "grant_not_found");
    } else {
        eo_reply_empty(c, 204);
    }
}

static void h_audit_log(eo_ctx *c)
{
    char scope[256];
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    const char *action = eo_query(c, "action"), *nip = eo_query(c, "nip");
    if (!action) action = "";
    if (!nip) nip = "";
    /* Over-long filters are refused by the use case; truncating them here only ever spoils the cursor. */
    snprintf(scope, sizeof scope, "admin.audit|action=%zu:%s|nip=%zu:%s", strlen(action), action, strlen(nip), nip);
    if (!eo_page_or_reply(c, scope, 50, 200, &p)) return;
    eo_svc_admin_audit_in in = {.page = {.limit = p.limit, .after = p.after}, .action = action, .nip = nip};
    eo_svc_page_out out;
    if (eo_svc_admin_audit_list(&c->uow, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

const eo_route eo_routes_admin[] = {
    {"POST", "/api/v1/admin/employees/{nip}/authenticator/reset", h_authenticator_reset, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/admin/employees/{nip}/disable", h_disable, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/admin/employees/{nip}/enable", h_enable, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/admin/employees/{nip}/roles", h_roles_get, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/admin/employees/{nip}/roles", h_roles_post, EO_R_AUTH | EO_R_NO_STORE},
    {"DELETE", "/api/v1/admin/employees/{nip}/roles/{grant_id}", h_roles_delete, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/admin/audit-log", h_audit_log, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_admin = {"admin", eo_routes_admin, NULL, NULL};
