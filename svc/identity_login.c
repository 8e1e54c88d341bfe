/* Sign-in, and the credential check and throttling it shares with the
 * lost-authenticator flow. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/password.h"
#include "core/totp.h"
#include "db/sessions.h"
#include "db/throttle.h"
#include "svc/identity.h"
#include "svc/identity_internal.h"

eo_status eo_svc_identity_audit_as(eo_uow *u, long long employee_id, const char *nip, const char *action,
                                   const char *target_type, const char *target_id, json_t *details, eo_err *err)
{
    eo_principal actor;
    memset(&actor, 0, sizeof actor);
    actor.employee_id = employee_id;
    snprintf(actor.nip, sizeof actor.nip, "%s", nip ? nip : "");
    const eo_principal *saved = u->who;
    u->who = employee_id ? &actor : NULL;
    eo_status st = eo_uow_audit(u, action, target_type, target_id, details, err);
    u->who = saved;
    return st;
}

void eo_svc_identity_audit_quiet(eo_uow *u, long long employee_id, const char *action, const char *target_type,
                                 const char *target_id, json_t *details)
{
    eo_err e;
    eo_err_init(&e);
    if (eo_svc_identity_audit_as(u, employee_id, NULL, action, target_type, target_id, details, &e) != EO_OK)
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"audit failed\",\"action\":\"%s\",\"request_id\":\"%s\"}\n",
                action, u->request_id);
    eo_err_clear(&e);
    json_decref(details);
}

eo_status eo_svc_identity_throttled(eo_err *err, int wait_s)
{
    eo_fail(err, EO_ERR_THROTTLED, "too_many_attempts");
    err->retry_after_s = wait_s > 0 ? wait_s : 1;
    eo_err_extra(err, "retry_after_s", json_integer(err->retry_after_s));
    return err->status;
}

eo_status eo_svc_identity_throttle_wait(eo_uow *u, eo_db *db, const char *const *keys, int n, int *wait_s, eo_err *err)
{
    *wait_s = 0;
    for (int i = 0; i < n; i++) {
        int w = 0;
        if (eo_db_throttle_wait(db, keys[i], u->now, &w, err)) return err->status;
        if (w > *wait_s) *wait_s = w;
    }
    return EO_OK;
}

eo_status eo_svc_identity_check_credentials(eo_uow *u, eo_db *db, const char *scope, const char *nip,
                                            const char *password, const char *otp, const eo_throttle_rule *nip_rule,
                                            const eo_throttle_rule *ip_rule, eo_db_account *a, eo_err *err)
{
    char knip[64], kip[96];
    snprintf(knip, sizeof knip, "%s:nip:%.18s", scope, nip);
    snprintf(kip, sizeof kip, "%s:ip:%s", scope, u->ip);
    const char *keys[] = {knip, kip};
    int wait = 0;
    if (eo_svc_identity_throttle_wait(u, db, keys, 2, &wait, err)) return err->status;
    if (wait > 0) {
        eo_svc_identity_audit_quiet(u, 0, "auth.throttled", "nip", nip,
                                    json_pack("{s:s, s:i}", "scope", scope, "retry_after_s", wait));
        return eo_svc_identity_throttled(err, wait);
    }
    bool found = false;
    if (eo_db_account_by_nip(db, nip, false, a, &found, err)) return err->status;
    bool usable = found && a->account_id && strcmp(a->status, "active") == 0 && a->employee_active && a->has_totp;
    bool pw_ok = false;
    if (eo_password_verify(usable ? a->password_hash : NULL, password, &pw_ok, err)) return err->status;
    const char *why = !found ? "unknown_nip" : !usable ? "account_not_active" : !pw_ok ? "wrong_password" : NULL;
    if (!why && otp) {
        unsigned char secret[EO_TOTP_SECRET_LEN];
        long long step = 0;
        if (eo_totp_open(u->app->cfg.secret_key, a->totp_sealed, sizeof a->totp_sealed, a->totp_nonce,
                         sizeof a->totp_nonce, secret, err))
            return err->status;
        bool otp_ok = eo_totp_check(secret, otp, (long long)u->now, a->totp_last_step, &step);
        sodium_memzero(secret, sizeof secret);
        bool fresh = false;
        if (otp_ok && eo_db_account_use_step(db, a->account_id, step, &fresh, err)) return err->status;
        if (!otp_ok || !fresh) why = "wrong_otp";
    }
    if (why) {
        int w1 = 0, w2 = 0;
        if (eo_db_throttle_fail(db, knip, nip_rule, u->now, &w1, err) ||
            eo_db_throttle_fail(db, kip, ip_rule, u->now, &w2, err))
            return err->status;
        char action[48];
        snprintf(action, sizeof action, "auth.%s_failed", scope);
        eo_svc_identity_audit_quiet(u, 0, action, "nip", nip, json_pack("{s:s}", "reason", why));
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "invalid_credentials", "%s %s: %s", scope, nip, why);
    }
    return eo_db_throttle_clear(db, knip, err);
}

static void check_login(const eo_login_req *in, eo_err *err)
{
    if (!in->mobile) return;
    if (in->device_id && !*in->device_id) eo_err_field(err, "device_id", "missing_field");
    if (in->platform && strcmp(in->platform, "android") != 0 && strcmp(in->platform, "ios") != 0)
        eo_err_field(err, "platform", "platform_invalid");
}

eo_status eo_svc_identity_login(eo_uow *u, const eo_login_req *in, eo_login_result *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    check_login(in, err);
    if (err->status) return err->status;
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_db_account a;
    if (eo_svc_identity_check_credentials(u, db, "login", in->nip, in->password, in->otp, &EO_THROTTLE_LOGIN_NIP,
                                          &EO_THROTTLE_LOGIN_IP, &a, err))
        return err->status;
    out->employee_id = a.employee_id;
    snprintf(out->nip, sizeof out->nip, "%s", a.nip);
    if (eo_db_begin(db, err)) return err->status;
    long long device_row = 0;
    if (in->mobile && eo_db_device_upsert(db, a.employee_id, in->device_id, in->device_name ? in->device_name : "",
                                          in->platform, in->app_version ? in->app_version : "", &device_row, err))
        goto fail_tx;
    eo_session_issue_req q = {
        .employee_id = a.employee_id, .nip = a.nip, .device_row = device_row, .mobile = in->mobile};
    if (eo_svc_session_issue(u, &q, &out->tokens, err)) goto fail_tx;
    json_t *details = in->mobile ? json_pack("{s:s, s:s}", "client", "mobile", "device_id", in->device_id)
                                 : json_pack("{s:s}", "client", "web");
    eo_status ast = eo_svc_identity_audit_as(u, a.employee_id, a.nip, "auth.login", "employee", a.nip, details, err);
    json_decref(details);
    if (ast) goto fail_tx;
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail_tx:
    eo_db_rollback(db);
fail:
    sodium_memzero(&out->tokens, sizeof out->tokens);
    return err->status;
}
