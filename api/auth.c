/* Identity over HTTP: sign-up with authenticator enrolment, sign-in (web and
 * mobile), token refresh and logout, lost-authenticator reset; plus the
 * bearer-token check every authenticated route goes through, and the
 * module's start-up (signing key, mail sender). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/http.h"
#include "api/auth.h"
#include "api/http.h"
#include "core/parse.h"
#include "core/identity.h"
#include "core/mail.h"
#include "core/nip.h"
#include "core/password.h"
#include "core/qr.h"
#include "core/token.h"
#include "core/totp.h"
#include "db/identity.h"
#include "db/mail.h"

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
    if (st) {
        eo_token_keys_free(app->jwt);
        app->jwt = NULL;
    }
    return st;
}

static void identity_stop(eo_app *app)
{
    eo_mail_sender_stop(mail_sender);
    mail_sender = NULL;
    eo_token_keys_free(app->jwt);
    app->jwt = NULL;
}

/* ---- authentication of every EO_R_AUTH route ---- */

eo_status eo_auth_authenticate(eo_ctx *c, eo_err *err)
{
    const char *h = eo_header(c, "Authorization");
    if (!c->app->jwt) return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "no signing key loaded");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "no bearer token");
    const char *tok = h + 7;
    while (*tok == ' ') tok++;
    eo_token_claims cl;
    eo_status st = eo_token_verify(c->app->jwt, tok, c->app->cfg.jwt_issuer, c->app->cfg.jwt_audience,
                                   (long long)time(NULL), &cl, err);
    if (st) return st;
    eo_db *db = NULL;
    if (!eo_ctx_db_or_reply(c, &db)) return eo_fail(err, EO_ERR_UNAVAILABLE, "db_unavailable");
    bool ok = false;
    unsigned roles = 0;
    eo_principal *p = &c->principal;
    memset(p, 0, sizeof *p);
    st = eo_db_session_principal(db, cl.sid, cl.eid, &ok, &roles, p->device_id, sizeof p->device_id, err);
    if (st) return st;
    if (!ok)
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized",
                           "session %lld revoked/expired or account inactive", cl.sid);
    p->employee_id = cl.eid;
    p->session_id = cl.sid;
    p->roles = roles;
    p->mobile = cl.mobile;
    snprintf(p->nip, sizeof p->nip, "%.18s", cl.sub);
    c->who = p;
    return EO_OK;
}

/* ---- shared pieces ---- */

static void reply_db_err(eo_ctx *c, eo_db *db, eo_err *err)
{
    if (db) eo_db_rollback(db);
    eo_reply_err(c, err);
}

/* Audits outside of any failed transaction; errors are logged, not returned. */
static void audit_quiet(eo_ctx *c, eo_db *db, const char *action, const char *target_type, const char *target_id,
                        json_t *details)
{
    eo_err e;
    eo_err_init(&e);
    if (eo_audit(c, db, action, target_type, target_id, details, &e) != EO_OK)
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"audit failed\",\"action\":\"%s\",\"request_id\":\"%s\"}\n",
                action, c->request_id);
    eo_err_clear(&e);
    json_decref(details);
}

eo_status eo_auth_issue_tokens(eo_ctx *c, eo_db *db, long long employee_id, const char *nip, long long device_row,
                               bool mobile, json_t **out, eo_err *err)
{
    const eo_config *cfg = &c->app->cfg;
    char refresh[EO_OPAQUE_LEN];
    unsigned char rh[32];
    eo_token_opaque(refresh);
    eo_token_hash(refresh, rh);
    long long sid = 0;
    eo_status st = eo_db_session_create(db, employee_id, mobile ? "mobile" : "web", device_row, c->client_ip,
                                        eo_user_agent(c), cfg->refresh_ttl_s, rh, &sid, err);
    if (st) return st;
    long long now = (long long)time(NULL);
    eo_token_claims cl = {.eid = employee_id, .sid = sid, .iat = now, .nbf = now, .exp = now + cfg->access_ttl_s,
                          .mobile = mobile};
    snprintf(cl.sub, sizeof cl.sub, "%s", nip);
    char access[EO_TOKEN_MAX];
    st = eo_token_mint(c->app->jwt, cfg->jwt_issuer, cfg->jwt_audience, &cl, access, sizeof access, err);
    if (st) return st;
    *out = json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "access_token", access, "refresh_token", refresh,
                     "token_type", "Bearer", "expires_in", cfg->access_ttl_s, "refresh_expires_in",
                     cfg->refresh_ttl_s, "session_id", (json_int_t)sid);
    sodium_memzero(refresh, sizeof refresh);
    return *out ? EO_OK : eo_fail(err, EO_ERR_INTERNAL, "internal");
}

static void throttle_reply(eo_ctx *c, int wait_s)
{
    eo_err e;
    eo_err_init(&e);
    eo_fail(&e, EO_ERR_THROTTLED, "too_many_attempts");
    e.retry_after_s = wait_s > 0 ? wait_s : 1;
    eo_err_extra(&e, "retry_after_s", json_integer(e.retry_after_s));
    eo_reply_err(c, &e);
}

/* Longest wait among the keys, or 0. */
static eo_status throttle_wait_any(eo_db *db, const char *const *keys, int n, int *wait_s, eo_err *err)
{
    *wait_s = 0;
    for (int i = 0; i < n; i++) {
        int w = 0;
        eo_status st = eo_db_throttle_wait(db, keys[i], &w, err);
        if (st) return st;
        if (w > *wait_s) *wait_s = w;
    }
    return EO_OK;
}

/* Builds the enrolment answer: Key URI, secret for manual entry, QR as PNG
 * and SVG data URIs and URLs, token, expiry, and recovery codes if any. */
static eo_status enrolment_json(eo_ctx *c, long long enrolment_id, const char *token, const char *nip,
                                const unsigned char secret[EO_TOTP_SECRET_LEN], const char *expires_at,
                                char codes[][EO_RECOVERY_CODE_LEN + 1], int n_codes, json_t **out, eo_err *err)
{
    char b32[EO_TOTP_B32_LEN], uri[512];
    eo_totp_base32(secret, b32);
    eo_status st = eo_totp_uri(c->app->cfg.totp_issuer, nip, b32, uri, sizeof uri, err);
    if (st) return st;
    unsigned char *png = NULL;
    size_t png_len = 0;
    char *svg = NULL;
    st = eo_qr_png(uri, 6, &png, &png_len, err);
    if (!st) st = eo_qr_svg(uri, &svg, err);
    if (st) {
        free(png);
        return st;
    }
    size_t svg_len = strlen(svg);
    size_t cap = 64 + sodium_base64_ENCODED_LEN(png_len > svg_len ? png_len : svg_len, sodium_base64_VARIANT_ORIGINAL);
    char *data_uri = malloc(cap);
    if (!data_uri) {
        free(png);
        free(svg);
        return eo_fail(err, EO_ERR_INTERNAL, "internal");
    }
    json_t *o = json_object();
    json_object_set_new(o, "enrolment_id", json_integer(enrolment_id));
    json_object_set_new(o, "enrolment_token", json_string(token));
    json_object_set_new(o, "expires_at", json_string(expires_at));
    json_object_set_new(o, "otpauth_uri", json_string(uri));
    json_object_set_new(o, "secret", json_string(b32));
    json_object_set_new(o, "algorithm", json_string("SHA1"));
    json_object_set_new(o, "digits", json_integer(EO_TOTP_DIGITS));
    json_object_set_new(o, "period", json_integer(EO_TOTP_PERIOD));
    strcpy(data_uri, "data:image/png;base64,");
    sodium_bin2base64(data_uri + strlen(data_uri), cap - strlen(data_uri), png, png_len, sodium_base64_VARIANT_ORIGINAL);
    json_object_set_new(o, "qr_png", json_string(data_uri));
    strcpy(data_uri, "data:image/svg+xml;base64,");
    sodium_bin2base64(data_uri + strlen(data_uri), cap - strlen(data_uri), (const unsigned char *)svg, svg_len,
                      sodium_base64_VARIANT_ORIGINAL);
    json_object_set_new(o, "qr_svg", json_string(data_uri));
    char url[128];
    snprintf(url, sizeof url, "/api/v1/auth/enrolments/%lld/qr.png", enrolment_id);
    json_object_set_new(o, "qr_png_url", json_string(url));
    snprintf(url, sizeof url, "/api/v1/auth/enrolments/%lld/qr.svg", enrolment_id);
    json_object_set_new(o, "qr_svg_url", json_string(url));
    if (n_codes > 0) {
        json_t *arr = json_array();
        for (int i = 0; i < n_codes; i++) json_array_append_new(arr, json_string(codes[i]));
        json_object_set_new(o, "recovery_codes", arr);
    }
    free(data_uri);
    free(png);
    free(svg);
    *out = o;
    return EO_OK;
}

/* New secret + token + recovery codes, stored as a pending enrolment; the
 * answer (with the secret in clear, shown once) goes to *out. */
static eo_status start_enrolment(eo_ctx *c, eo_db *db, long long account_id, const char *nip, const char *kind,
                                 json_t **out, eo_err *err)
{
    const unsigned char *key = c->app->cfg.secret_key;
    unsigned char secret[EO_TOTP_SECRET_LEN], sealed[EO_TOTP_SEALED_LEN], nonce[EO_TOTP_NONCE_LEN], th[32];
    unsigned char rhash[EO_RECOVERY_CODES][32];
    char codes[EO_RECOVERY_CODES][EO_RECOVERY_CODE_LEN + 1];
    char token[EO_OPAQUE_LEN], expires[40];
    eo_totp_new_secret(secret);
    eo_totp_seal(key, secret, sealed, nonce);
    eo_token_opaque(token);
    eo_identity_keyed_hash(key, token, th);
    for (int i = 0; i < EO_RECOVERY_CODES; i++) {
        eo_identity_recovery_code(codes[i]);
        eo_identity_keyed_hash(key, codes[i], rhash[i]);
    }
    long long id = 0;
    eo_status st = eo_db_enrolment_create(db, account_id, kind, th, sealed, nonce, (const unsigned char(*)[32])rhash,
                                          EO_RECOVERY_CODES, &id, expires, sizeof expires, err);
    if (!st) st = enrolment_json(c, id, token, nip, secret, expires, codes, EO_RECOVERY_CODES, out, err);
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(codes, sizeof codes);
    return st;
}

static bool str_eq_ci(const char *a, const char *b) { return strcasecmp(a, b) == 0; }

/* ---- POST /api/v1/auth/register ---- */

static void h_register(eo_ctx *c)
{
    static const char *const allowed[] = {"nip", "nik", "personal_email", "office_email", "phone", "password",
                                          "password_confirmation", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    json_t *out = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *nip = eo_json_get_str(body, "nip", true, 18, &err);
    const char *nik = eo_json_get_str(body, "nik", true, 16, &err);
    const char *pemail = eo_json_get_str(body, "personal_email", true, 254, &err);
    const char *oemail = eo_json_get_str(body, "office_email", true, 254, &err);
    const char *phone = eo_json_get_str(body, "phone", true, 16, &err);
    const char *pw = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err);
    const char *pw2 = eo_json_get_str(body, "password_confirmation", true, 4 * EO_PASSWORD_MAX, &err);
    eo_nip_info ni;
    if (nip) eo_nip_validate(nip, &ni, &err);
    if (nik) eo_nik_validate(nik, NULL, &err);
    if (pemail && !eo_email_valid(pemail)) eo_err_field(&err, "personal_email", "email_invalid");
    if (oemail && !eo_email_valid(oemail)) eo_err_field(&err, "office_email", "email_invalid");
    if (phone && !eo_identity_phone_valid(phone)) eo_err_field(&err, "phone", "phone_invalid");
    if (pw) eo_password_check_policy(pw, "password", &err);
    if (pw && pw2 && strcmp(pw, pw2) != 0) eo_err_field(&err, "password_confirmation", "password_mismatch");
    if (err.status) goto fail;

    /* Hash before any lookup so that every outcome costs the same. */
    char hash[EO_PASSWORD_HASH_LEN];
    if (eo_password_hash(pw, hash, &err)) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    if (eo_db_begin(db, &err)) goto fail;
    eo_db_account a;
    bool found = false;
    if (eo_db_account_by_nip(db, nip, true, &a, &found, &err)) goto fail_tx;
    const char *why = NULL;
    if (!found) why = "unknown_nip";
    else if (strcmp(a.nik, nik) != 0) why = "nik_mismatch";
    else if (!a.employee_active) why = "employee_inactive";
    else if (a.account_id && strcmp(a.status, "pending") != 0) why = "account_exists";
    else if (a.master_office_email[0] && !str_eq_ci(a.master_office_email, oemail)) why = "office_email_mismatch";
    if (why) {
        eo_db_rollback(db);
        audit_quiet(c, db, "auth.register_rejected", "nip", nip, json_pack("{s:s}", "reason", why));
        eo_fail_log(&err, EO_ERR_INVALID, "registration_rejected", "register %s: %s", nip, why);
        goto fail;
    }
    long long account_id = 0;
    if (eo_db_account_upsert_pending(db, a.employee_id, hash, pemail, oemail, phone, &account_id, &err)) goto fail_tx;
    if (start_enrolment(c, db, account_id, nip, "register", &out, &err)) goto fail_tx;
    if (eo_audit(c, db, "auth.register", "employee", nip, NULL, &err)) goto fail_tx;
    if (eo_db_commit(db, &err)) goto fail;
    eo_reply_json(c, 201, out);
    out = NULL;
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(out);
    json_decref(body);
    eo_err_clear(&err);
}

/* ---- enrolments: QR images and verification ---- */

/* Loads the enrolment named by the path and checks its token (header
 * X-Enrolment-Token, body field, or ?token= for <img src>). Replies on failure. */
static bool load_enrolment(eo_ctx *c, eo_db *db, const char *token, bool lock, eo_db_enrolment *en)
{
    eo_err err;
    eo_err_init(&err);
    long long id = 0;
    bool found = false;
    if (!eo_parse_id(eo_param(c, 0), &id) || !token) {
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found");
        return false;
    }
    if (eo_db_enrolment_get(db, id, lock, en, &found, &err)) {
        reply_db_err(c, db, &err);
        return false;
    }
    unsigned char th[32];
    eo_identity_keyed_hash(c->app->cfg.secret_key, token, th);
    if (!found || sodium_memcmp(th, en->token_hash, 32) != 0) {
        if (lock) eo_db_rollback(db);
        eo_reply_problem(c, EO_ERR_NOT_FOUND, "not_found");
        return false;
    }
    if (en->verified) {
        if (lock) eo_db_rollback(db);
        eo_reply_problem(c, EO_ERR_GONE, "enrolment_used");
        return false;
    }
    if (en->expired || en->attempts >= EO_ENROLMENT_MAX_ATTEMPTS) {
        if (lock) eo_db_rollback(db);
        eo_reply_problem(c, EO_ERR_GONE, "enrolment_expired");
        return false;
    }
    return true;
}

static const char *enrolment_token_of(eo_ctx *c)
{
    const char *t = eo_header(c, "X-Enrolment-Token");
    return t ? t : eo_query(c, "token");
}

static void qr_reply(eo_ctx *c, bool png)
{
    eo_db *db = NULL;
    eo_db_enrolment en;
    eo_err err;
    eo_err_init(&err);
    if (!eo_ctx_db_or_reply(c, &db)) return;
    if (!load_enrolment(c, db, enrolment_token_of(c), false, &en)) return;
    unsigned char secret[EO_TOTP_SECRET_LEN];
    char b32[EO_TOTP_B32_LEN], uri[512];
    if (eo_totp_open(c->app->cfg.secret_key, en.sealed, sizeof en.sealed, en.nonce, sizeof en.nonce, secret, &err) ||
        (eo_totp_base32(secret, b32), eo_totp_uri(c->app->cfg.totp_issuer, en.nip, b32, uri, sizeof uri, &err))) {
        sodium_memzero(secret, sizeof secret);
        eo_reply_err(c, &err);
        return;
    }
    sodium_memzero(secret, sizeof secret);
    if (png) {
        unsigned char *data = NULL;
        size_t len = 0;
        if (eo_qr_png(uri, 8, &data, &len, &err)) {
            eo_reply_err(c, &err);
            return;
        }
        eo_reply_bytes(c, 200, "image/png", data, len);
        free(data);
    } else {
        char *svg = NULL;
        if (eo_qr_svg(uri, &svg, &err)) {
            eo_reply_err(c, &err);
            return;
        }
        eo_reply_bytes(c, 200, "image/svg+xml", svg, strlen(svg));
        free(svg);
    }
    sodium_memzero(uri, sizeof uri);
}

static void h_qr_png(eo_ctx *c) { qr_reply(c, true); }
static void h_qr_svg(eo_ctx *c) { qr_reply(c, false); }

static void h_enrolment_verify(eo_ctx *c)
{
    static const char *const allowed[] = {"enrolment_token", "code", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    json_t *out = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *token = eo_json_get_str(body, "enrolment_token", false, 64, &err);
    const char *code = eo_json_get_str(body, "code", true, 6, &err);
    if (!token) token = eo_header(c, "X-Enrolment-Token");
    if (!token && !err.status) eo_err_field(&err, "enrolment_token", "missing_field");
    if (code && (strlen(code) != 6 || strspn(code, "0123456789") != 6)) eo_err_field(&err, "code", "otp_format");
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    if (eo_db_begin(db, &err)) goto fail;
    eo_db_enrolment en;
    if (!load_enrolment(c, db, token, true, &en)) goto done;
    if (strcmp(en.account_status, "disabled") == 0) {
        eo_db_rollback(db);
        eo_fail(&err, EO_ERR_FORBIDDEN, "account_disabled");
        goto fail;
    }
    unsigned char secret[EO_TOTP_SECRET_LEN];
    if (eo_totp_open(c->app->cfg.secret_key, en.sealed, sizeof en.sealed, en.nonce, sizeof en.nonce, secret, &err))
        goto fail_tx;
    long long step = 0;
    bool ok = eo_totp_check(secret, code, (long long)time(NULL), 0, &step);
    sodium_memzero(secret, sizeof secret);
    if (!ok) {
        if (eo_db_enrolment_failed_attempt(db, en.id, &err) || eo_db_commit(db, &err)) goto fail;
        audit_quiet(c, db, "auth.enrol_failed", "employee", en.nip, NULL);
        eo_fail(&err, EO_ERR_INVALID, "otp_invalid");
        goto fail;
    }
    if (eo_db_enrolment_complete(db, &en, step, &err)) goto fail_tx;
    c->principal.employee_id = en.employee_id;
    snprintf(c->principal.nip, sizeof c->principal.nip, "%s", en.nip);
    c->who = &c->principal;
    if (eo_audit(c, db, strcmp(en.kind, "register") == 0 ? "auth.enrol" : "auth.authenticator_reset_verified",
                 "employee", en.nip, NULL, &err))
        goto fail_tx;
    if (eo_auth_issue_tokens(c, db, en.employee_id, en.nip, 0, false, &out, &err)) goto fail_tx;
    if (strcmp(en.kind, "reset") == 0) {
        eo_db_account a;
        bool found = false;
        if (eo_db_account_by_employee(db, en.employee_id, &a, &found, &err)) goto fail_tx;
        if (found && a.office_email[0] &&
            eo_db_mail_enqueue(db, a.office_email, "e-Office: authenticator baru aktif",
                               "Authenticator baru untuk akun e-Office Anda telah diaktifkan dan yang lama tidak "
                               "berlaku lagi.\nJika ini bukan Anda, segera hubungi admin/helpdesk.\n",
                               &err))
            goto fail_tx;
    }
    if (eo_db_commit(db, &err)) goto fail;
    json_object_set_new(out, "status", json_string("active"));
    eo_reply_json(c, strcmp(en.kind, "register") == 0 ? 201 : 200, out);
    out = NULL;
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(out);
    json_decref(body);
    eo_err_clear(&err);
}

/* ---- sign-in ---- */

/* Checks NIP + password (+ OTP when otp != NULL) with throttling and the same
 * answer for every failure. On success fills *a and returns true; otherwise
 * has replied. Runs outside a transaction. */
static bool check_credentials(eo_ctx *c, eo_db *db, const char *scope, const char *nip, const char *pw,
                              const char *otp, const eo_throttle_rule *nip_rule, const eo_throttle_rule *ip_rule,
                              eo_db_account *a)
{
    eo_err err;
    eo_err_init(&err);
    char knip[64], kip[96];
    snprintf(knip, sizeof knip, "%s:nip:%.18s", scope, nip);
    snprintf(kip, sizeof kip, "%s:ip:%s", scope, c->client_ip);
    const char *keys[] = {knip, kip};
    int wait = 0;
    if (throttle_wait_any(db, keys, 2, &wait, &err)) goto fail;
    if (wait > 0) {
        audit_quiet(c, db, "auth.throttled", "nip", nip, json_pack("{s:s, s:i}", "scope", scope, "retry_after_s", wait));
        throttle_reply(c, wait);
        return false;
    }
    bool found = false;
    if (eo_db_account_by_nip(db, nip, false, a, &found, &err)) goto fail;
    bool usable = found && a->account_id && strcmp(a->status, "active") == 0 && a->employee_active && a->has_totp;
    bool pw_ok = false;
    if (eo_password_verify(usable ? a->password_hash : NULL, pw, &pw_ok, &err)) goto fail;
    const char *why = !found ? "unknown_nip" : !usable ? "account_not_active" : !pw_ok ? "wrong_password" : NULL;
    if (!why && otp) {
        unsigned char secret[EO_TOTP_SECRET_LEN];
        long long step = 0;
        if (eo_totp_open(c->app->cfg.secret_key, a->totp_sealed, sizeof a->totp_sealed, a->totp_nonce,
                         sizeof a->totp_nonce, secret, &err))
            goto fail;
        bool otp_ok = eo_totp_check(secret, otp, (long long)time(NULL), a->totp_last_step, &step);
        sodium_memzero(secret, sizeof secret);
        bool fresh = false;
        if (otp_ok && eo_db_account_use_step(db, a->account_id, step, &fresh, &err)) goto fail;
        if (!otp_ok || !fresh) why = "wrong_otp";
    }
    if (why) {
        int w1 = 0, w2 = 0;
        if (eo_db_throttle_fail(db, knip, nip_rule, &w1, &err) || eo_db_throttle_fail(db, kip, ip_rule, &w2, &err))
            goto fail;
        char action[48];
        snprintf(action, sizeof action, "auth.%s_failed", scope);
        audit_quiet(c, db, action, "nip", nip, json_pack("{s:s}", "reason", why));
        eo_fail_log(&err, EO_ERR_UNAUTHORIZED, "invalid_credentials", "%s %s: %s", scope, nip, why);
        goto fail;
    }
    if (eo_db_throttle_clear(db, knip, &err)) goto fail;
    return true;
fail:
    eo_reply_err(c, &err);
    eo_err_clear(&err);
    return false;
}

static void login(eo_ctx *c, bool mobile)
{
    static const char *const web_allowed[] = {"nip", "password", "otp", NULL};
    static const char *const mobile_allowed[] = {"nip", "password", "otp", "device_id", "device_name", "platform",
                                                 "app_version", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    json_t *out = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, mobile ? mobile_allowed : web_allowed, &err);
    const char *nip = eo_json_get_str(body, "nip", true, 32, &err);
    const char *pw = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err);
    const char *otp = eo_json_get_str(body, "otp", true, 16, &err);
    const char *device_id = NULL, *device_name = NULL, *platform = NULL, *app_version = NULL;
    if (mobile) {
        device_id = eo_json_get_str(body, "device_id", true, 128, &err);
        device_name = eo_json_get_str(body, "device_name", false, 128, &err);
        platform = eo_json_get_str(body, "platform", true, 16, &err);
        app_version = eo_json_get_str(body, "app_version", false, 32, &err);
        if (device_id && !*device_id) eo_err_field(&err, "device_id", "missing_field");
        if (platform && strcmp(platform, "android") != 0 && strcmp(platform, "ios") != 0)
            eo_err_field(&err, "platform", "platform_invalid");
    }
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    eo_db_account a;
    if (!check_credentials(c, db, "login", nip, pw, otp, &EO_THROTTLE_LOGIN_NIP, &EO_THROTTLE_LOGIN_IP, &a)) goto done;
    c->principal.employee_id = a.employee_id;
    snprintf(c->principal.nip, sizeof c->principal.nip, "%s", a.nip);
    c->who = &c->principal;
    if (eo_db_begin(db, &err)) goto fail;
    long long device_row = 0;
    if (mobile && eo_db_device_upsert(db, a.employee_id, device_id, device_name ? device_name : "", platform,
                                      app_version ? app_version : "", &device_row, &err))
        goto fail_tx;
    if (eo_auth_issue_tokens(c, db, a.employee_id, a.nip, device_row, mobile, &out, &err)) goto fail_tx;
    json_t *details = mobile ? json_pack("{s:s, s:s}", "client", "mobile", "device_id", device_id)
                             : json_pack("{s:s}", "client", "web");
    eo_status ast = eo_audit(c, db, "auth.login", "employee", a.nip, details, &err);
    json_decref(details);
    if (ast) goto fail_tx;
    if (eo_db_commit(db, &err)) goto fail;
    eo_reply_json(c, 200, out);
    out = NULL;
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(out);
    json_decref(body);
    eo_err_clear(&err);
}

static void h_login(eo_ctx *c) { login(c, false); }
static void h_login_mobile(eo_ctx *c) { login(c, true); }

/* ---- refresh (rotating) and logout ---- */

static void refresh(eo_ctx *c, bool mobile)
{
    static const char *const web_allowed[] = {"refresh_token", NULL};
    static const char *const mobile_allowed[] = {"refresh_token", "device_id", NULL};
    const eo_config *cfg = &c->app->cfg;
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, mobile ? mobile_allowed : web_allowed, &err);
    const char *tok = eo_json_get_str(body, "refresh_token", true, 128, &err);
    const char *device_id = mobile ? eo_json_get_str(body, "device_id", true, 128, &err) : NULL;
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    unsigned char h[32];
    eo_token_hash(tok, h);
    if (eo_db_begin(db, &err)) goto fail;
    eo_db_refresh r;
    bool found = false;
    if (eo_db_refresh_get(db, h, &r, &found, &err)) goto fail_tx;
    if (!found) {
        eo_db_rollback(db);
        eo_fail_log(&err, EO_ERR_UNAUTHORIZED, "invalid_refresh_token", "unknown refresh token");
        goto fail;
    }
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", r.session_id);
    if (r.used) {
        /* A rotated token came back: it was stolen or the client is confused.
         * Either way, end the whole session (family). */
        bool any = false;
        if (eo_db_session_revoke(db, r.session_id, 0, "refresh_reuse", &any, &err)) goto fail_tx;
        c->principal.employee_id = r.employee_id;
        c->who = &c->principal;
        if (eo_audit(c, db, "auth.refresh_reuse", "session", sid, NULL, &err)) goto fail_tx;
        if (eo_db_commit(db, &err)) goto fail;
        eo_fail_log(&err, EO_ERR_UNAUTHORIZED, "invalid_refresh_token", "refresh token re-used: session %s revoked",
                    sid);
        goto fail;
    }
    bool client_ok = strcmp(r.client, mobile ? "mobile" : "web") == 0 &&
                     (!mobile || strcmp(r.device_id, device_id) == 0);
    if (r.revoked || r.expired || !r.account_active || !client_ok) {
        eo_db_rollback(db);
        eo_fail_log(&err, EO_ERR_UNAUTHORIZED, "invalid_refresh_token", "refresh refused for session %s", sid);
        goto fail;
    }
    char next[EO_OPAQUE_LEN];
    unsigned char nh[32];
    eo_token_opaque(next);
    eo_token_hash(next, nh);
    if (eo_db_refresh_rotate(db, &r, nh, cfg->refresh_ttl_s, &err)) goto fail_tx;
    long long now = (long long)time(NULL);
    eo_token_claims cl = {.eid = r.employee_id, .sid = r.session_id, .iat = now, .nbf = now,
                          .exp = now + cfg->access_ttl_s, .mobile = mobile};
    snprintf(cl.sub, sizeof cl.sub, "%s", r.nip);
    char access[EO_TOKEN_MAX];
    if (eo_token_mint(c->app->jwt, cfg->jwt_issuer, cfg->jwt_audience, &cl, access, sizeof access, &err)) goto fail_tx;
    if (eo_db_commit(db, &err)) goto fail;
    eo_reply_json(c, 200,
                  json_pack("{s:s, s:s, s:s, s:i, s:i, s:I}", "access_token", access, "refresh_token", next,
                            "token_type", "Bearer", "expires_in", cfg->access_ttl_s, "refresh_expires_in",
                            cfg->refresh_ttl_s, "session_id", (json_int_t)r.session_id));
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(body);
    eo_err_clear(&err);
}

static void h_refresh(eo_ctx *c) { refresh(c, false); }
static void h_refresh_mobile(eo_ctx *c) { refresh(c, true); }

static void h_logout(eo_ctx *c)
{
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    if (!eo_ctx_db_or_reply(c, &db)) return;
    bool found = false;
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", c->who->session_id);
    if (eo_db_session_revoke(db, c->who->session_id, c->who->employee_id, "logout", &found, &err) ||
        eo_audit(c, db, "auth.logout", "session", sid, NULL, &err)) {
        eo_reply_err(c, &err);
        return;
    }
    eo_reply_empty(c, 204);
}

/* ---- lost authenticator ("Generate Ulang") ---- */

static void h_reset_start(eo_ctx *c)
{
    static const char *const allowed[] = {"nip", "password", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *nip = eo_json_get_str(body, "nip", true, 32, &err);
    const char *pw = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err);
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    /* Every request counts against the NIP and the IP (it sends mail). */
    char knip[64], kip[96];
    snprintf(knip, sizeof knip, "reset_start:nip:%.18s", nip);
    snprintf(kip, sizeof kip, "reset_start:ip:%s", c->client_ip);
    const char *keys[] = {knip, kip};
    int wait = 0;
    if (throttle_wait_any(db, keys, 2, &wait, &err)) goto fail;
    if (wait > 0) {
        throttle_reply(c, wait);
        goto done;
    }
    int w = 0;
    if (eo_db_throttle_fail(db, knip, &EO_THROTTLE_RESET_NIP, &w, &err) ||
        eo_db_throttle_fail(db, kip, &EO_THROTTLE_RESET_IP, &w, &err))
        goto fail;
    eo_db_account a;
    bool found = false;
    if (eo_db_account_by_nip(db, nip, false, &a, &found, &err)) goto fail;
    bool usable = found && a.account_id && strcmp(a.status, "active") == 0 && a.employee_active && a.office_email[0];
    bool pw_ok = false;
    if (eo_password_verify(usable ? a.password_hash : NULL, pw, &pw_ok, &err)) goto fail;
    if (usable && pw_ok) {
        char code[EO_EMAIL_CODE_DIGITS + 1], text[600];
        unsigned char ch[32];
        eo_identity_email_code(code);
        eo_identity_keyed_hash(c->app->cfg.secret_key, code, ch);
        snprintf(text, sizeof text,
                 "Kode verifikasi untuk membuat ulang authenticator e-Office Anda: %s\n"
                 "Kode berlaku %d menit dan hanya dapat dipakai sekali.\n"
                 "Jika Anda tidak memintanya, abaikan e-mail ini dan segera ganti kata sandi Anda.\n",
                 code, EO_EMAIL_CODE_TTL_S / 60);
        c->principal.employee_id = a.employee_id;
        c->who = &c->principal;
        if (eo_db_begin(db, &err) || eo_db_email_code_create(db, a.account_id, ch, &err) ||
            eo_db_mail_enqueue(db, a.office_email, "e-Office: kode verifikasi Generate Ulang", text, &err) ||
            eo_audit(c, db, "auth.authenticator_reset_start", "employee", nip, NULL, &err) ||
            eo_db_commit(db, &err)) {
            sodium_memzero(code, sizeof code);
            goto fail_tx;
        }
        sodium_memzero(code, sizeof code);
        sodium_memzero(text, sizeof text);
    } else {
        audit_quiet(c, db, "auth.authenticator_reset_start_failed", "nip", nip, NULL);
    }
    /* Same answer whether or not anything was sent. */
    eo_reply_json(c, 202, json_pack("{s:s}", "status", "code_sent_if_account_valid"));
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(body);
    eo_err_clear(&err);
}

static void h_reset_confirm(eo_ctx *c)
{
    static const char *const allowed[] = {"nip", "password", "email_code", "recovery_code", NULL};
    eo_err err;
    eo_err_init(&err);
    eo_db *db = NULL;
    json_t *out = NULL;
    json_t *body = eo_body_object(c);
    if (!body) return;
    eo_json_only(body, allowed, &err);
    const char *nip = eo_json_get_str(body, "nip", true, 32, &err);
    const char *pw = eo_json_get_str(body, "password", true, 4 * EO_PASSWORD_MAX, &err);
    const char *ecode = eo_json_get_str(body, "email_code", false, 16, &err);
    const char *rcode = eo_json_get_str(body, "recovery_code", false, 32, &err);
    if (!err.status && !ecode == !rcode) eo_err_field(&err, ecode ? "recovery_code" : "email_code", "one_of_required");
    if (err.status) goto fail;
    if (!eo_ctx_db_or_reply(c, &db)) goto done;
    eo_db_account a;
    if (!check_credentials(c, db, "reset", nip, pw, NULL, &EO_THROTTLE_RESET_NIP, &EO_THROTTLE_RESET_IP, &a)) goto done;
    unsigned char h[32];
    char norm[EO_RECOVERY_CODE_LEN + 1] = "";
    bool ok = false;
    if (eo_db_begin(db, &err)) goto fail;
    if (ecode) {
        eo_identity_keyed_hash(c->app->cfg.secret_key, ecode, h);
        if (eo_db_email_code_consume(db, a.account_id, h, &ok, &err)) goto fail_tx;
    } else if (eo_identity_recovery_normalize(rcode, norm)) {
        eo_identity_keyed_hash(c->app->cfg.secret_key, norm, h);
        if (eo_db_recovery_code_consume(db, a.account_id, h, &ok, &err)) goto fail_tx;
    }
    if (!ok) {
        int w = 0;
        char knip[64];
        snprintf(knip, sizeof knip, "reset:nip:%.18s", nip);
        if (eo_db_commit(db, &err) || eo_db_throttle_fail(db, knip, &EO_THROTTLE_RESET_NIP, &w, &err)) goto fail;
        audit_quiet(c, db, "auth.authenticator_reset_failed", "nip", nip,
                    json_pack("{s:s}", "reason", ecode ? "wrong_email_code" : "wrong_recovery_code"));
        eo_fail(&err, EO_ERR_UNAUTHORIZED, "invalid_credentials");
        goto fail;
    }
    c->principal.employee_id = a.employee_id;
    c->who = &c->principal;
    if (start_enrolment(c, db, a.account_id, a.nip, "reset", &out, &err)) goto fail_tx;
    json_t *proof = json_pack("{s:s}", "proof", ecode ? "email_code" : "recovery_code");
    eo_status ast = eo_audit(c, db, "auth.authenticator_reset_confirm", "employee", a.nip, proof, &err);
    json_decref(proof);
    if (ast) goto fail_tx;
    if (eo_db_mail_enqueue(db, a.office_email, "e-Office: permintaan Generate Ulang authenticator",
                           "Ada permintaan membuat ulang authenticator untuk akun e-Office Anda. Authenticator lama "
                           "tetap berlaku sampai yang baru diverifikasi.\nJika ini bukan Anda, segera ganti kata "
                           "sandi dan hubungi admin/helpdesk.\n",
                           &err))
        goto fail_tx;
    if (eo_db_commit(db, &err)) goto fail;
    eo_reply_json(c, 201, out);
    out = NULL;
    goto done;
fail_tx:
    eo_db_rollback(db);
fail:
    eo_reply_err(c, &err);
done:
    json_decref(out);
    json_decref(body);
    eo_err_clear(&err);
}

eo_status eo_auth_admin_reset(eo_ctx *c, eo_db *db, long long account_id, const char *nip, json_t **out, eo_err *err)
{
    return start_enrolment(c, db, account_id, nip, "reset", out, err);
}

const eo_route eo_routes_identity[] = {
    {"POST", "/api/v1/auth/register", h_register, EO_R_NO_STORE},
    {"GET", "/api/v1/auth/enrolments/{id}/qr.png", h_qr_png, EO_R_NO_STORE},
    {"GET", "/api/v1/auth/enrolments/{id}/qr.svg", h_qr_svg, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/enrolments/{id}/verify", h_enrolment_verify, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/login", h_login, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/refresh", h_refresh, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/logout", h_logout, EO_R_AUTH | EO_R_NO_STORE},
    {"POST", "/api/v1/auth/authenticator/reset/start", h_reset_start, EO_R_NO_STORE},
    {"POST", "/api/v1/auth/authenticator/reset/confirm", h_reset_confirm, EO_R_NO_STORE},
    {"POST", "/mobile/v1/auth/login", h_login_mobile, EO_R_NO_STORE},
    {"POST", "/mobile/v1/auth/refresh", h_refresh_mobile, EO_R_NO_STORE},
    {NULL, NULL, NULL, 0},
};

const eo_module eo_module_identity = {"identity", eo_routes_identity, identity_start, identity_stop};
