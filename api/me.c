/* The signed-in employee: profile, settings (atasan / lokasi / jadwal),
 * sessions and devices, password change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/me.h"
#include "core/parse.h"
#include "core/password.h"
#include "svc/me.h"

/* The profile; the app's compact variant names the bound device instead of the session. */
static void me(eo_ctx *c, bool mobile)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_me_profile_in in = {.compact = mobile};
    eo_svc_me_profile_out out;
    if (eo_svc_me_profile(&c->uow, &in, &out, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    /* The profile's bytes as they are, with this session's own member added
     * before the closing brace: no parse and no dump per request. */
    json_t *mine = mobile ? (c->who->device_id[0] ? json_string(c->who->device_id) : json_null())
                          : json_integer(c->who->session_id);
    char *value = mine ? json_dumps(mine, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    json_decref(mine);
    size_t n = strlen(out.text);
    char *body = NULL;
    if (value && n >= 2 && out.text[0] == '{' && out.text[n - 1] == '}') {
        size_t cap = n + strlen(value) + 16;
        body = malloc(cap);
        if (body)
            snprintf(body, cap, "%.*s%s\"%s\":%s}", (int)(n - 1), out.text, n > 2 ? "," : "",
                     mobile ? "device_id" : "session_id", value);
    }
    free(value);
    free(out.text);
    if (!body) {
        eo_reply_problem(c, EO_ERR_INTERNAL, "internal");
        return;
    }
    eo_reply_bytes(c, 200, "application/json; charset=utf-8", body, strlen(body));
    free(body);
}

static void h_me(eo_ctx *c) { me(c, false); }
static void h_me_mobile(eo_ctx *c) { me(c, true); }

static void h_settings_get(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_svc_me_settings_out out;
    if (eo_svc_me_settings_get(&c->uow, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200, out.settings);
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

void eo_api_settings_body(json_t *body, eo_svc_me_settings_in *in, eo_err *err)
{
    static const char *const allowed[] = {"office_location_code", "supervisor_nip", "work_schedule_code", NULL};
    eo_json_only(body, allowed, err);
    in->office_location_code = setting(body, "office_location_code", true, err);
    in->supervisor_nip = setting(body, "supervisor_nip", true, err);
    in->work_schedule_code = setting(body, "work_schedule_code", false, err);
}

static void h_settings_put(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_svc_me_settings_in in;
    eo_api_settings_body(body, &in, &err);
    eo_svc_me_settings_out out;
    if (eo_svc_me_settings_update(&c->uow, &in, &out, &err))
        eo_reply_err(c, &err);
    else /* 202: filed for confirmation; 200: nothing to change */
        eo_reply_json(c, out.requested ? 202 : 200, out.settings);
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
    if (!eo_page_or_reply(c, scope, EO_PAGE_DEFAULT, EO_PAGE_MAX, &p)) return;
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
    eo_err err;
    eo_err_init(&err);
    eo_svc_me_session_revoke_in in = {.session_id = 0};
    if (!eo_parse_id(eo_param(c, 0), &in.session_id)) in.session_id = 0;
    if (eo_svc_me_session_revoke(&c->uow, &in, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_empty(c, 204);
}

static void h_devices(eo_ctx *c) { own_list(c, "devices", eo_svc_me_devices_list); }

static void h_password(eo_ctx *c)
{
    static const char *const allowed[] = {"current_password", "new_password", "new_password_confirmation", NULL};
    eo_err err;
    eo_err_init(&err);
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    eo_svc_me_password_in in = {
        .current_password = eo_json_get_str(body, "current_password", true, 4 * EO_PASSWORD_MAX, &err),
        .new_password = eo_json_get_str(body, "new_password", true, 4 * EO_PASSWORD_MAX, &err),
        .new_password_confirmation =
            eo_json_get_str(body, "new_password_confirmation", false, 4 * EO_PASSWORD_MAX, &err)};
    eo_svc_me_password_out out;
    if (eo_svc_me_password_change(&c->uow, &in, &out, &err))
        eo_reply_err(c, &err);
    else
        eo_reply_json(c, 200,
                      json_pack("{s:s, s:i}", "status", "password_changed", "sessions_ended", out.sessions_ended));
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
