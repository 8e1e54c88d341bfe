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

eo_status eo_auth_authenticate(eo_ctx *c, eo_err *err)
{
    const char *h = eo_header(c, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "no bearer token");
    const char *tok = h + 7;
    while (*tok == ' ') tok++;
    eo_status st = eo_svc_session_authenticate(&c->uow, tok, &c->principal, err);
    if (!st) c->who = &c->principal;
    return st;
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
