/* Sign-up and authenticator enrolments: start, QR URI, verification. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/mail_texts.h"
#include "core/nip.h"
#include "core/parse.h"
#include "core/password.h"
#include "core/totp.h"
#include "db/accounts.h"
#include "db/mail.h"
#include "svc/identity.h"
#include "svc/identity_internal.h"

eo_status eo_svc_enrolment_start(eo_uow *u, const eo_enrolment_start_req *in, eo_enrolment_started *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    if (eo_uow_db(u, &db, err)) return err->status;
    const unsigned char *key = u->app->cfg.secret_key;
    unsigned char sealed[EO_TOTP_SEALED_LEN], nonce[EO_TOTP_NONCE_LEN], th[32];
    unsigned char rhash[EO_RECOVERY_CODES][32];
    eo_totp_new_secret(out->secret);
    eo_totp_seal(key, out->secret, sealed, nonce);
    eo_token_opaque(out->token);
    eo_identity_keyed_hash(key, out->token, th);
    for (int i = 0; i < EO_RECOVERY_CODES; i++) {
        eo_identity_recovery_code(out->codes[i]);
        eo_identity_keyed_hash(key, out->codes[i], rhash[i]);
    }
    out->n_codes = EO_RECOVERY_CODES;
    snprintf(out->nip, sizeof out->nip, "%s", in->nip);
    eo_status st =
        eo_db_enrolment_create(db, in->account_id, in->kind, th, sealed, nonce, (const unsigned char(*)[32])rhash,
                               EO_RECOVERY_CODES, &out->enrolment_id, out->expires_at, sizeof out->expires_at, err);
    if (st) sodium_memzero(out, sizeof *out);
    return st;
}

static void check_register(const eo_register_req *in, eo_err *err)
{
    eo_nip_info ni;
    if (in->nip) eo_nip_validate(in->nip, &ni, err);
    if (in->nik) eo_nik_validate(in->nik, NULL, err);
    if (in->personal_email && !eo_email_valid(in->personal_email)) eo_err_field(err, "personal_email", "email_invalid");
    if (in->office_email && !eo_email_valid(in->office_email)) eo_err_field(err, "office_email", "email_invalid");
    if (in->phone && !eo_identity_phone_valid(in->phone)) eo_err_field(err, "phone", "phone_invalid");
    if (in->password) eo_password_check_policy(in->password, "password", err);
    if (in->password && in->password_confirmation && strcmp(in->password, in->password_confirmation) != 0)
        eo_err_field(err, "password_confirmation", "password_mismatch");
}

eo_status eo_svc_identity_register(eo_uow *u, const eo_register_req *req, eo_enrolment_started *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    char nip[33] = "";
    eo_register_req normalized = *req;
    normalized.nip = eo_nip_normalize(req->nip, nip, sizeof nip);
    const eo_register_req *in = &normalized;
    check_register(in, err);
    if (err->status) return err->status;
    /* Hash before any lookup so that every outcome costs the same. */
    char hash[EO_PASSWORD_HASH_LEN];
    if (eo_password_hash(in->password, hash, err)) return err->status;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    eo_db_account a;
    bool found = false;
    if (eo_db_account_by_nip(db, in->nip, true, &a, &found, err)) goto fail_tx;
    const char *why = NULL;
    if (!found)
        why = "unknown_nip";
    else if (strcmp(a.nik, in->nik) != 0)
        why = "nik_mismatch";
    else if (!a.employee_active)
        why = "employee_inactive";
    else if (a.account_id && strcmp(a.status, "pending") != 0)
        why = "account_exists";
    else if (a.master_office_email[0] && strcasecmp(a.master_office_email, in->office_email) != 0)
        why = "office_email_mismatch";
    if (why) {
        eo_db_rollback(db);
        eo_svc_identity_audit_quiet(u, 0, "auth.register_rejected", "nip", in->nip, json_pack("{s:s}", "reason", why));
        return eo_fail_log(err, EO_ERR_INVALID, "registration_rejected", "register %s: %s", in->nip, why);
    }
    long long account_id = 0;
    if (eo_db_account_upsert_pending(db, a.employee_id, hash, in->personal_email, in->office_email, in->phone,
                                     &account_id, err))
        goto fail_tx;
    eo_enrolment_start_req q = {.account_id = account_id, .nip = in->nip, .kind = "register"};
    if (eo_svc_enrolment_start(u, &q, out, err) ||
        eo_svc_identity_audit_as(u, 0, NULL, "auth.register", "employee", in->nip, NULL, err))
        goto fail_tx;
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail_tx:
    eo_db_rollback(db);
fail:
    sodium_memzero(out, sizeof *out);
    return err->status;
}

/* Loads the enrolment and checks its token and state; lock: FOR UPDATE
 * (inside the caller's transaction, which is left open either way). */
static eo_status load_enrolment(eo_uow *u, eo_db *db, const eo_enrolment_ref *ref, bool lock, eo_db_enrolment *en,
                                eo_err *err)
{
    bool found = false;
    if (ref->id <= 0 || !ref->token) return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    if (eo_db_enrolment_get(db, ref->id, lock, en, &found, err)) return err->status;
    unsigned char th[32];
    eo_identity_keyed_hash(u->app->cfg.secret_key, ref->token, th);
    if (!found || sodium_memcmp(th, en->token_hash, 32) != 0) return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    if (en->verified) return eo_fail(err, EO_ERR_GONE, "enrolment_used");
    if (en->expired || en->attempts >= EO_ENROLMENT_MAX_ATTEMPTS) return eo_fail(err, EO_ERR_GONE, "enrolment_expired");
    return EO_OK;
}

eo_status eo_svc_enrolment_uri(eo_uow *u, const eo_enrolment_ref *in, eo_enrolment_uri *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_db_enrolment en;
    if (load_enrolment(u, db, in, false, &en, err)) return err->status;
    unsigned char secret[EO_TOTP_SECRET_LEN];
    char b32[EO_TOTP_B32_LEN];
    eo_status st =
        eo_totp_open(u->app->cfg.secret_key, en.sealed, sizeof en.sealed, en.nonce, sizeof en.nonce, secret, err);
    if (!st) {
        eo_totp_base32(secret, b32);
        st = eo_totp_uri(u->app->cfg.totp_issuer, en.nip, b32, out->otpauth_uri, sizeof out->otpauth_uri, err);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(b32, sizeof b32);
    return st;
}

eo_status eo_svc_enrolment_verify(eo_uow *u, const eo_enrolment_verify_req *in, eo_enrolment_verified *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    if (in->code && (strlen(in->code) != 6 || strspn(in->code, "0123456789") != 6))
        eo_err_field(err, "code", "otp_format");
    if (err->status) return err->status;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    eo_db_enrolment en;
    if (load_enrolment(u, db, &in->ref, true, &en, err)) goto fail_tx;
    if (strcmp(en.account_status, "disabled") == 0) {
        eo_fail(err, EO_ERR_FORBIDDEN, "account_disabled");
        goto fail_tx;
    }
    unsigned char secret[EO_TOTP_SECRET_LEN];
    if (eo_totp_open(u->app->cfg.secret_key, en.sealed, sizeof en.sealed, en.nonce, sizeof en.nonce, secret, err))
        goto fail_tx;
    long long step = 0;
    bool ok = eo_totp_check(secret, in->code, (long long)u->now, 0, &step);
    sodium_memzero(secret, sizeof secret);
    if (!ok) {
        if (eo_db_enrolment_failed_attempt(db, en.id, err) || eo_db_commit(db, err)) goto fail_tx;
        eo_svc_identity_audit_quiet(u, 0, "auth.enrol_failed", "employee", en.nip, NULL);
        return eo_fail(err, EO_ERR_INVALID, "otp_invalid");
    }
    out->registered = strcmp(en.kind, "register") == 0;
    out->employee_id = en.employee_id;
    snprintf(out->nip, sizeof out->nip, "%s", en.nip);
    if (eo_db_enrolment_complete(db, &en, step, err) ||
        eo_svc_identity_audit_as(u, en.employee_id, en.nip,
                                 out->registered ? "auth.enrol" : "auth.authenticator_reset_verified", "employee",
                                 en.nip, NULL, err))
        goto fail_tx;
    eo_session_issue_req q = {.employee_id = en.employee_id, .nip = en.nip};
    if (eo_svc_session_issue(u, &q, &out->tokens, err)) goto fail_tx;
    if (strcmp(en.kind, "reset") == 0) {
        eo_db_account a;
        bool found = false;
        if (eo_db_account_by_employee(db, en.employee_id, &a, &found, err)) goto fail_tx;
        if (found && a.office_email[0] &&
            eo_db_mail_enqueue(db, a.office_email, EO_MAIL_AUTHENTICATOR_NEW_SUBJECT, EO_MAIL_AUTHENTICATOR_NEW_BODY,
                               err))
            goto fail_tx;
    }
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail_tx:
    eo_db_rollback(db);
fail:
    sodium_memzero(&out->tokens, sizeof out->tokens);
    return err->status;
}
