/* Lost authenticator ("Generate Ulang"): a mailed code or a recovery code,
 * with NIP and password, starts a new enrolment. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/mail_texts.h"
#include "core/nip.h"
#include "core/password.h"
#include "db/accounts.h"
#include "db/mail.h"
#include "db/throttle.h"
#include "svc/identity.h"
#include "svc/identity_internal.h"

eo_status eo_svc_recovery_start(eo_uow *u, const eo_recovery_start_req *in, eo_err *err)
{
    eo_db *db;
    if (err->status) return err->status;
    if (eo_uow_db(u, &db, err)) return err->status;
    char nip[33] = "";
    eo_nip_normalize(in->nip, nip, sizeof nip);
    /* Every request counts against the NIP and the IP (it sends mail): this
     * bounds the mails, and holds back only the reset mail, never sign-in. */
    char knip[64], kip[96];
    snprintf(knip, sizeof knip, "reset_start:nip:%.18s", nip);
    snprintf(kip, sizeof kip, "reset_start:ip:%s", u->ip);
    const char *keys[] = {knip, kip};
    int wait = 0;
    if (eo_svc_identity_throttle_wait(u, db, keys, 2, &wait, err)) return err->status;
    if (wait > 0) return eo_svc_identity_throttled(err, wait);
    int w = 0;
    if (eo_db_throttle_fail(db, knip, &EO_THROTTLE_RESET_NIP, u->now, &w, err) ||
        eo_db_throttle_fail(db, kip, &EO_THROTTLE_RESET_IP, u->now, &w, err))
        return err->status;
    eo_db_account a;
    bool found = false;
    if (eo_db_account_by_nip(db, nip, false, &a, &found, err)) return err->status;
    bool usable = found && a.account_id && strcmp(a.status, "active") == 0 && a.employee_active && a.office_email[0];
    bool pw_ok = false;
    if (eo_svc_password_verify(u, &db, usable ? a.password_hash : NULL, in->password, &pw_ok, err)) return err->status;
    if (!usable || !pw_ok) {
        eo_svc_identity_audit_quiet(u, 0, "auth.authenticator_reset_start_failed", "nip", nip, NULL);
        return EO_OK; /* the same answer whether or not anything was sent */
    }
    char code[EO_EMAIL_CODE_DIGITS + 1], text[600];
    unsigned char ch[32];
    eo_identity_email_code(code);
    eo_identity_keyed_hash(u->app->cfg.secret_key, code, ch);
    eo_status st = EO_OK;
    if (!eo_mail_text_reset_code(text, sizeof text, code, EO_EMAIL_CODE_TTL_S / 60))
        st = eo_fail_log(err, EO_ERR_INTERNAL, "internal", "reset mail text too long");
    if (!st && (eo_db_begin(db, err) || eo_db_email_code_create(db, a.account_id, ch, err) ||
                eo_db_mail_enqueue(db, a.office_email, EO_MAIL_RESET_CODE_SUBJECT, text, err) ||
                eo_svc_identity_audit_as(u, a.employee_id, a.nip, "auth.authenticator_reset_start", "employee", nip,
                                         NULL, err) ||
                eo_db_commit(db, err))) {
        eo_db_rollback(db);
        st = err->status;
    }
    sodium_memzero(code, sizeof code);
    sodium_memzero(text, sizeof text);
    return st;
}

eo_status eo_svc_recovery_confirm(eo_uow *u, const eo_recovery_confirm_req *in, eo_enrolment_started *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    const char *ecode = in->email_code, *rcode = in->recovery_code;
    if (!err->status && !ecode == !rcode) eo_err_field(err, ecode ? "recovery_code" : "email_code", "one_of_required");
    if (err->status) return err->status;
    if (eo_uow_db(u, &db, err)) return err->status;
    char nip[33] = "";
    eo_nip_normalize(in->nip, nip, sizeof nip);
    eo_db_account a;
    if (eo_svc_identity_check_credentials(u, &db, "reset", nip, in->password, NULL, &EO_SIGNIN_RESET, NULL, &a, err))
        return err->status;
    unsigned char h[32];
    char norm[EO_RECOVERY_CODE_LEN + 1] = "";
    bool ok = false;
    if (eo_db_begin(db, err)) return err->status;
    if (ecode) {
        eo_identity_keyed_hash(u->app->cfg.secret_key, ecode, h);
        if (eo_db_email_code_consume(db, a.account_id, h, &ok, err)) goto fail_tx;
    } else if (eo_identity_recovery_normalize(rcode, norm)) {
        eo_identity_keyed_hash(u->app->cfg.secret_key, norm, h);
        if (eo_db_recovery_code_consume(db, a.account_id, h, &ok, err)) goto fail_tx;
    }
    if (!ok) {
        /* The wrong attempt on an e-mail code is counted (committed) as well,
         * against the account: the sender has the password. */
        if (eo_db_commit(db, err) ||
            eo_svc_identity_second_factor_failed(u, db, "reset", nip, &EO_SIGNIN_RESET, NULL, err))
            return err->status;
        eo_svc_identity_audit_quiet(u, 0, "auth.authenticator_reset_failed", "nip", nip,
                                    json_pack("{s:s}", "reason", ecode ? "wrong_email_code" : "wrong_recovery_code"));
        return eo_fail(err, EO_ERR_UNAUTHORIZED, "invalid_credentials");
    }
    eo_enrolment_start_req q = {.account_id = a.account_id, .nip = a.nip, .kind = "reset"};
    if (eo_svc_enrolment_start(u, &q, out, err)) goto fail_tx;
    json_t *proof = json_pack("{s:s}", "proof", ecode ? "email_code" : "recovery_code");
    eo_status ast = eo_svc_identity_audit_as(u, a.employee_id, a.nip, "auth.authenticator_reset_confirm", "employee",
                                             a.nip, proof, err);
    json_decref(proof);
    if (ast ||
        eo_db_mail_enqueue(db, a.office_email, EO_MAIL_RESET_REQUESTED_SUBJECT, EO_MAIL_RESET_REQUESTED_BODY, err))
        goto fail_tx;
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail_tx:
    eo_db_rollback(db);
fail:
    sodium_memzero(out, sizeof *out);
    return err->status;
}
