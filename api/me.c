/* The signed-in employee: profile, settings (atasan / lokasi / jadwal),
 * sessions and devices, password change. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"
#include "core/password.h"
#include "db/identity.h"
#include "db/mail.h"
#include "db/me.h"
#include "svc/me.h"

/* The profile; the app's compact variant names the bound device instead of the session. */
static void me(eo_ctx *c, bool mobile)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    if (eo_db_me_profile(db, c->who->employee_id, mobile, &out, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    if (mobile)
        json_object_set_new(out, "device_id", c->who->device_id[0] ? json_string(c->who->device_id) : json_null());
    else
        json_object_set_new(out, "session_id", json_integer(c->who->session_id));
    eo_reply_json(c, 200, out);
}

static void h_me(eo_ctx *c) { me(c, false); }
static void h_me_mobile(eo_ctx *c) { me(c, true); }

static void h_settings_get(eo_ctx *c)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    json_t *out = NULL;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    if (eo_db_me_settings(db, c->who->employee_id, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out);
}

/* A settings field: absent = unchanged, null = clear (location, supervisor), string = set. */
static const char *setting(json_t *body, const char *key, bool nullable, eo_err *err)
{
    json_t *v = json_object_get(body, key);
    if (!v) return NULL;
    if (json_is_null(v) && nullable) return "";
    if (!json_is_string(v)) {
        eo_err_field(err, key, "invalid_type");
        return NULL;
    }
    if (json_string_length(v) > 64) {
        eo_err_field(err, key, "too_long");
        return NULL;
    }
    return json_string_value(v);
}

static void h_settings_put(eo_ctx *c)
{
    static const char *const allowed[] = {"office_location_code", "supervisor_nip", "work_schedule_code", NULL};
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    json_t *before = NULL, *after = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *loc = setting(body, "office_location_code", true, &err);
    const char *sup = setting(body, "supervisor_nip", true, &err);
    const char *sch = setting(body, "work_schedule_code", false, &err);
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    if (eo_db_begin(db, &err) || eo_db_me_settings(db, c->who->employee_id, &before, &err) ||
        eo_db_me_settings_update(db, c->who->employee_id, loc, sup, sch, &err) ||
        eo_db_me_settings(db, c->who->employee_id, &after, &err))
        goto fail_tx;
    if (!json_equal(before, after)) {
        json_t *details = json_pack("{s:O, s:O}", "old", before, "new", after);
        eo_status st = eo_audit(c, db, "me.settings_change", "employee", c->who->nip, details, &err);
        json_decref(details);
        if (st) goto fail_tx;
    }
    if (eo_db_commit(db, &err)) goto fail;
    eo_reply_json(c, 200, after);
    after = NULL;
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(before);
    json_decref(after);
    json_decref(body);
    eo_err_clear(&err);
}

/* One page of one of the caller's own lists; the scope binds a cursor to the
 * list and to its owner, so another employee's cursor is refused outright. */
static void own_list(eo_ctx *c, const char *list,
                     eo_status (*use_case)(eo_uow *, const eo_svc_page_in *, eo_svc_page_out *, eo_err *))
{
    char scope[64];
    eo_page p;
    eo_err err;
    eo_err_init(&err);
    snprintf(scope, sizeof scope, "me.%s|employee=%lld", list, c->who->employee_id);
    if (!eo_page_or_reply(c, scope, 50, 200, &p)) return;
    eo_svc_page_in in = {.limit = p.limit, .after = p.after};
    eo_svc_page_out out;
    if (use_case(&c->uow, &in, &out, &err)) {
        eo_page_free(&p);
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_page(c, &p, out.items, out.next);
}

static void h_sessions(eo_ctx *c) { own_list(c, "sessions", eo_svc_me_sessions_list); }

static void h_session_delete(eo_ctx *c)
{
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    long long sid;
    if (!eo_param_id_or_reply(c, 0, "not_found", &sid) || !eo_ctx_db_or_reply(c, &db)) return;
    const char *id = eo_param(c, 0);
    bool found = false;
    /* Only the caller's own sessions match: another employee's id is a 404. */
    if (eo_db_session_revoke(db, sid, c->who->employee_id, "revoked_by_user", &found, &err) ||
        (found && eo_audit(c, db, "auth.session_revoke", "session", id, NULL, &err))) {
        eo_reply_err(c, &err);
        return;
    }
    if (!found)
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found");
    else
        eo_reply_empty(c, 204);
}

static void h_devices(eo_ctx *c) { own_list(c, "devices", eo_svc_me_devices_list); }

static void h_password(eo_ctx *c)
{
    static const char *const allowed[] = {"current_password", "new_password", "new_password_confirmation", NULL};
    eo_db *db = NULL;
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *cur = eo_json_get_str(body, "current_password", true, 4 * EO_PASSWORD_MAX, &err);
    const char *pw = eo_json_get_str(body, "new_password", true, 4 * EO_PASSWORD_MAX, &err);
    const char *pw2 = eo_json_get_str(body, "new_password_confirmation", false, 4 * EO_PASSWORD_MAX, &err);
    if (pw) eo_password_check_policy(pw, "new_password", &err);
    if (pw && pw2 && strcmp(pw, pw2) != 0) eo_err_field(&err, "new_password_confirmation", "password_mismatch");
    if (pw && cur && strcmp(pw, cur) == 0) eo_err_field(&err, "new_password", "password_reused");
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    eo_db_account a;
    bool found = false, ok = false;
    if (eo_db_account_by_employee(db, c->who->employee_id, &a, &found, &err)) goto fail;
    if (eo_password_verify(found ? a.password_hash : NULL, cur, &ok, &err)) goto fail;
    if (!ok) {
        eo_err_field(&err, "current_password", "password_wrong");
        goto fail;
    }
    char hash[EO_PASSWORD_HASH_LEN];
    int ended = 0;
    if (eo_password_hash(pw, hash, &err)) goto fail;
    if (eo_db_begin(db, &err) || eo_db_account_set_password(db, a.account_id, hash, &err) ||
        eo_db_sessions_revoke_all(db, c->who->employee_id, c->who->session_id, "password_change", &ended, &err))
        goto fail_tx;
    json_t *details = json_pack("{s:i}", "sessions_ended", ended);
    eo_status st = eo_audit(c, db, "auth.password_change", "employee", c->who->nip, details, &err);
    json_decref(details);
    if (st) goto fail_tx;
    if (a.office_email[0] &&
        eo_db_mail_enqueue(db, a.office_email, "e-Office: kata sandi diganti",
                           "Kata sandi akun e-Office Anda baru saja diganti dan sesi lain telah diakhiri.\n"
                           "Jika ini bukan Anda, segera hubungi admin/helpdesk.\n",
                           &err))
        goto fail_tx;
    if (eo_db_commit(db, &err)) goto fail;
    eo_reply_json(c, 200, json_pack("{s:s, s:i}", "status", "password_changed", "sessions_ended", ended));
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(body);
    eo_err_clear(&err);
}

const eo_route eo_routes_me[] = {
    {"GET", "/api/v1/me", h_me, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/settings", h_settings_get, EO_R_AUTH | EO_R_NO_STORE},
    {"PUT", "/api/v1/me/settings", h_settings_put, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/sessions", h_sessions, EO_R_AUTH | EO_R_NO_STORE},
    {"DELETE", "/api/v1/me/sessions/{id}", h_session_delete, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/api/v1/me/devices", h_devices, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/me/password", h_password, EO_R_AUTH | EO_R_NO_STORE},
    {"GET", "/mobile/v1/me", h_me_mobile, EO_R_AUTH | EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_me = {"me", eo_routes_me, NULL, NULL};
