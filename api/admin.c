/* Identity administration (role admin): authenticator reset, disable /
 * enable an account, role grants, the audit log. Every change is audited. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/auth_handlers.h"
#include "api/http.h"
#include "core/parse.h"
#include "svc/admin.h"

static void h_authenticator_reset(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_admin_target_in in = {.nip = eo_param(c, 0)};
    eo_enrolment_started en;
    json_t *out = NULL;
    if (eo_svc_admin_authenticator_reset(&c->uow, &in, &en, &err) || eo_auth_enrolment_json(c, &en, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 201, out);
    sodium_memzero(&en, sizeof en);
    eo_err_clear(&err);
}

static void set_status(eo_ctx *c, bool disable)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_admin_status_in in = {.nip = eo_param(c, 0), .disable = disable};
    eo_svc_admin_status_out out;
    if (eo_svc_admin_account_status(&c->uow, &in, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(
            c, 200,
            json_pack("{s:s, s:s, s:i}", "nip", out.nip, "status", out.status, "sessions_ended", out.sessions_ended));
    eo_err_clear(&err);
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
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
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
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    eo_svc_admin_grant_in in = {.nip = eo_param(c, 0),
                                .role = eo_json_get_str(body, "role", true, 16, &err),
                                .unit_code = eo_json_get_str(body, "unit_code", false, 64, &err)};
    eo_svc_admin_grant_out out;
    if (eo_svc_admin_role_grant(&c->uow, &in, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 201,
                      json_pack("{s:I, s:s, s:s, s:s?}", "id", (json_int_t)out.grant_id, "nip", in.nip, "role", in.role,
                                "unit_code", in.unit_code));
    json_decref(body);
    eo_err_clear(&err);
}

static void h_roles_delete(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_admin_revoke_in in = {.nip = eo_param(c, 0), .grant_id = 0};
    if (!eo_parse_id(eo_param(c, 1), &in.grant_id)) in.grant_id = 0;
    if (eo_svc_admin_role_revoke(&c->uow, &in, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_empty(c, 204);
    eo_err_clear(&err);
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
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
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
