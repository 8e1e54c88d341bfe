/* The identity module: its routes (handlers in api/register.c,
 * api/enrolments.c, api/login.c, api/sessions.c, api/recovery.c; use cases
 * in svc/identity.h), its start-up (signing key, mail sender), and the
 * bearer-token check every authenticated route goes through. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/auth_handlers.h"
#include "core/mail.h"
#include "core/password.h"
#include "core/token.h"
#include "db/mail.h"
#include "svc/session_cache.h"

static eo_mail_sender *mail_sender;

/* ---- start-up ---- */

static eo_status identity_start(eo_app *app, eo_err *err)
{
    static const unsigned char zero[32];
    if (sodium_init() < 0) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "sodium_init failed");
    if (sodium_memcmp(app->cfg.secret_key, zero, 32) == 0)
        return eo_fail_log(err, EO_ERR_INVALID, "config_invalid",
                           "EOFFICE_SECRET_KEY is required (it encrypts TOTP secrets)");
    eo_status st = eo_token_keys_load(app->cfg.jwt_private_key_file, &app->jwt, err);
    if (st) return st;
    eo_password_init(app->cfg.max_concurrent_hashes);
    eo_password_set_slot_wait_ms(app->cfg.hash_slot_wait_ms);
    if (strcmp(app->cfg.mail_mode, "log") == 0 && !app->cfg.dev_mode) {
        eo_token_keys_free(app->jwt);
        app->jwt = NULL;
        return eo_fail_log(err, EO_ERR_INVALID, "config_invalid", "EOFFICE_MAIL_MODE=log needs EOFFICE_ENV=dev");
    }
    st = eo_mail_sender_start(app->pool, &app->cfg, &mail_sender, err);
    if (!st) st = eo_session_cache_start(app->cfg.database_url, err);
    if (st) {
        eo_token_keys_free(app->jwt);
        app->jwt = NULL;
    }
    return st;
}

static void identity_stop(eo_app *app)
{
    eo_session_cache_stop();
    eo_mail_sender_stop(mail_sender);
    mail_sender = NULL;
    eo_token_keys_free(app->jwt);
    app->jwt = NULL;
}

/* ---- authentication of every EO_R_AUTH route ---- */

/* Which sessions a route takes (docs/api-conventions.md, "Sessions and prefixes"):
 * /mobile/v1 takes only the app's device-bound sessions; /api/v1 takes web
 * sessions, and app sessions only on the employee's own routes the app shares
 * with the SPA (the list below). Administration is web-only. A route under no
 * prefix takes either. */
static const char *const app_routes_on_web_prefix[] = {"/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/",
                                                       "/api/v1/presensi/", NULL};

static bool session_fits_route(const eo_principal *who, const char *pattern)
{
    if (strncmp(pattern, "/mobile/", 8) == 0) return who->mobile && who->device_id[0];
    if (strncmp(pattern, "/api/", 5) != 0 || !who->mobile) return true;
    for (const char *const *p = app_routes_on_web_prefix; *p; p++) {
        size_t n = strlen(*p);
        bool prefix = (*p)[n - 1] == '/';
        if (prefix ? strncmp(pattern, *p, n) == 0 : strcmp(pattern, *p) == 0) return true;
    }
    return false;
}

eo_status eo_auth_authenticate(eo_ctx *c, eo_err *err)
{
    const char *h = eo_header(c, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "no bearer token");
    const char *tok = h + 7;
    while (*tok == ' ') tok++;
    eo_status st = eo_svc_session_authenticate(&c->uow, tok, &c->principal, err);
    if (st) return st;
    if (c->route && !session_fits_route(&c->principal, c->route->pattern)) {
        bool app_prefix = strncmp(c->route->pattern, "/mobile/", 8) == 0;
        memset(&c->principal, 0, sizeof c->principal);
        return eo_fail_log(err, EO_ERR_FORBIDDEN, app_prefix ? "mobile_session_required" : "web_session_required",
                           "%s session on %s", app_prefix ? "web" : "app", c->route->pattern);
    }
    c->who = &c->principal;
    return EO_OK;
}

/* ---- shared renderers ---- */

json_t *eo_auth_tokens_json(const eo_session_tokens *t)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "access_token", t->access_token, "refresh_token",
                     t->refresh_token, "token_type", "Bearer", "expires_in", t->expires_in, "refresh_expires_in",
                     t->refresh_expires_in, "session_id", (json_int_t)t->session_id);
}

void eo_auth_set_user(eo_ctx *c, long long employee_id, const char *nip)
{
    c->principal.employee_id = employee_id;
    snprintf(c->principal.nip, sizeof c->principal.nip, "%s", nip);
    c->who = &c->principal;
}

const eo_route eo_routes_identity[] = {
    {"POST", "/api/v1/auth/register", eo_auth_h_register, EO_R_NO_STORE},
    {"GET", "/api/v1/auth/enrolments/{id}/qr.png", eo_auth_h_qr_png, EO_R_NO_STORE},
    {"GET", "/api/v1/auth/enrolments/{id}/qr.svg", eo_auth_h_qr_svg, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/enrolments/{id}/verify", eo_auth_h_enrolment_verify, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/login", eo_auth_h_login, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/refresh", eo_auth_h_refresh, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/logout", eo_auth_h_logout, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/auth/authenticator/reset/start", eo_auth_h_reset_start, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/authenticator/reset/confirm", eo_auth_h_reset_confirm, EO_R_NO_STORE},
    {"POST", "/mobile/v1/auth/login", eo_auth_h_login_mobile, EO_R_NO_STORE},
    {"POST", "/mobile/v1/auth/refresh", eo_auth_h_refresh_mobile, EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_identity = {"identity", eo_routes_identity, identity_start, identity_stop};
