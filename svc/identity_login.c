/* Sign-in, and the credential check and throttling it shares with the
 * lost-authenticator flow (the rule: core/identity.h eo_signin_rules and
 * docs/operations.md "Sign-in throttle"). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/nip.h"
#include "core/password.h"
#include "core/token.h"
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

/* The counters one attempt is judged by (core/identity.h eo_signin_rules):
 * a known device only by its own, anyone else by the (NIP, address) pair and
 * the address before the password is checked, and by the account after. */
typedef struct {
    char pair[201], address[201], account[201], device[201];
    bool known;
} signin_keys;

static eo_status signin_keys_make(eo_uow *u, const char *scope, const char *nip, const char *known_device,
                                  signin_keys *k, eo_err *err)
{
    memset(k, 0, sizeof *k);
    k->known = known_device != NULL;
    bool ok = eo_signin_key_format(k->account, sizeof k->account, scope, EO_SIGNIN_KEY_ACCOUNT, NULL, nip);
    if (k->known)
        ok = ok && eo_signin_key_format(k->device, sizeof k->device, scope, EO_SIGNIN_KEY_DEVICE, known_device, nip);
    else
        ok = ok && eo_signin_key_format(k->pair, sizeof k->pair, scope, EO_SIGNIN_KEY_PAIR, u->ip, nip) &&
             eo_signin_key_format(k->address, sizeof k->address, scope, EO_SIGNIN_KEY_ADDRESS, u->ip, NULL);
    if (!ok) return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "%s throttle key too long", scope);
    return EO_OK;
}

/* A failure at u->now; second_factor: the password was right. */
static eo_status signin_failed(eo_uow *u, eo_db *db, const signin_keys *k, const eo_signin_rules *rules,
                               bool second_factor, eo_err *err)
{
    int w = 0;
    if (k->known) return eo_db_throttle_fail(db, k->device, &rules->device, u->now, &w, err);
    if (eo_db_throttle_fail(db, k->pair, &rules->pair, u->now, &w, err) ||
        eo_db_throttle_fail(db, k->address, &rules->address, u->now, &w, err))
        return err->status;
    return second_factor ? eo_db_throttle_fail(db, k->account, &rules->account, u->now, &w, err) : EO_OK;
}

/* 429 (audited) when any of the keys still waits at u->now. */
static eo_status signin_wait(eo_uow *u, eo_db *db, const char *scope, const char *nip, const char *const *keys, int n,
                             eo_err *err)
{
    int wait = 0;
    if (eo_svc_identity_throttle_wait(u, db, keys, n, &wait, err)) return err->status;
    if (wait == 0) return EO_OK;
    eo_svc_identity_audit_quiet(u, 0, "auth.throttled", "nip", nip,
                                json_pack("{s:s, s:i}", "scope", scope, "retry_after_s", wait));
    return eo_svc_identity_throttled(err, wait);
}

eo_status eo_svc_identity_second_factor_failed(eo_uow *u, eo_db *db, const char *scope, const char *nip,
                                               const eo_signin_rules *rules, const char *known_device, eo_err *err)
{
    signin_keys k;
    if (signin_keys_make(u, scope, nip, known_device, &k, err)) return err->status;
    return signin_failed(u, db, &k, rules, true, err);
}

eo_status eo_svc_password_verify(eo_uow *u, eo_db **db, const char *hash, const char *password, bool *ok, eo_err *err)
{
    eo_uow_db_release(u);
    if (eo_password_verify(hash, password, ok, err)) return err->status;
    return eo_uow_db(u, db, err);
}

eo_status eo_svc_identity_check_credentials(eo_uow *u, eo_db **dbp, const char *scope, const char *nip,
                                            const char *password, const char *otp, const eo_signin_rules *rules,
                                            const char *known_device, eo_db_account *a, eo_err *err)
{
    eo_db *db = *dbp;
    signin_keys k;
    if (signin_keys_make(u, scope, nip, known_device, &k, err)) return err->status;
    const char *before[] = {k.pair, k.address};
    const char *device[] = {k.device};
    if (signin_wait(u, db, scope, nip, k.known ? device : before, k.known ? 1 : 2, err)) return err->status;
    bool found = false;
    if (eo_db_account_by_nip(db, nip, false, a, &found, err)) return err->status;
    bool usable = found && a->account_id && strcmp(a->status, "active") == 0 && a->employee_active && a->has_totp;
    bool pw_ok = false;
    if (eo_svc_password_verify(u, dbp, usable ? a->password_hash : NULL, password, &pw_ok, err)) return err->status;
    db = *dbp;
    const char *why = !found ? "unknown_nip" : !usable ? "account_not_active" : !pw_ok ? "wrong_password" : NULL;
    /* Only now may the account's own counter answer: whoever reaches it has
     * the password, so an unknown NIP or a wrong password never sees it. A
     * known device is not held back by what other addresses did. */
    const char *account[] = {k.account};
    if (!why && !k.known && signin_wait(u, db, scope, nip, account, 1, err)) return err->status;
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
        if (signin_failed(u, db, &k, rules, strcmp(why, "wrong_otp") == 0, err)) return err->status;
        char action[48];
        snprintf(action, sizeof action, "auth.%s_failed", scope);
        eo_svc_identity_audit_quiet(u, 0, action, "nip", nip,
                                    json_pack("{s:s, s:b}", "reason", why, "known_device", k.known));
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "invalid_credentials", "%s %s: %s", scope, nip, why);
    }
    /* The address counter is shared with everyone behind it: a success here
     * says nothing about their failures. */
    const char *clear[] = {k.pair, k.account, k.device};
    for (int i = 0; i < 3; i++)
        if (clear[i][0] && eo_db_throttle_clear(db, clear[i], err)) return err->status;
    return EO_OK;
}

/* A mobile sign-in from a known device: the refresh token it presents is live
 * (not spent, expired or revoked) and belongs to a session of this NIP bound
 * to this device id. Anything else is silently an unknown device. */
static eo_status known_device(eo_uow *u, eo_db *db, const eo_login_req *in, const char *nip, bool *known, eo_err *err)
{
    *known = false;
    if (!in->mobile || !in->refresh_token || !*in->refresh_token || !in->device_id || !*in->device_id) return EO_OK;
    unsigned char h[32];
    eo_token_hash(in->refresh_token, h);
    eo_db_refresh r;
    bool found = false;
    if (eo_db_refresh_get(db, h, u->now, &r, &found, err)) return err->status;
    *known = found && !r.used && !r.expired && !r.revoked && r.account_active && strcmp(r.client, "mobile") == 0 &&
             strcmp(r.device_id, in->device_id) == 0 && strcmp(r.nip, nip) == 0;
    return EO_OK;
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
    char nip[33] = "";
    eo_nip_normalize(in->nip, nip, sizeof nip);
    eo_signin_rules rules = EO_SIGNIN_LOGIN;
    if (u->app->cfg.signin_address_budget > 0) rules.address.free_failures = u->app->cfg.signin_address_budget;
    bool known = false;
    if (known_device(u, db, in, nip, &known, err)) return err->status;
    eo_db_account a;
    if (eo_svc_identity_check_credentials(u, &db, "login", nip, in->password, in->otp, &rules,
                                          known ? in->device_id : NULL, &a, err))
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
