/* Sessions: issuing, refresh rotation, logout, and the benchmark's
 * password-less minting. Every access token is signed in sign_access. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/token.h"
#include "db/accounts.h"
#include "db/sessions.h"
#include "svc/identity.h"
#include "svc/identity_internal.h"
#include "svc/session_cache.h"

/* Signs an access token for a session, valid from u->now for cfg.access_ttl_s. */
static eo_status sign_access(eo_uow *u, long long employee_id, long long session_id, const char *nip, bool mobile,
                             eo_session_tokens *out, eo_err *err)
{
    const eo_config *cfg = &u->app->cfg;
    long long now = (long long)u->now;
    eo_token_claims cl = {.eid = employee_id,
                          .sid = session_id,
                          .iat = now,
                          .nbf = now,
                          .exp = now + cfg->access_ttl_s,
                          .mobile = mobile};
    snprintf(cl.sub, sizeof cl.sub, "%s", nip);
    out->session_id = session_id;
    out->expires_in = cfg->access_ttl_s;
    out->refresh_expires_in = cfg->refresh_ttl_s;
    return eo_token_mint(u->app->jwt, cfg->jwt_issuer, cfg->jwt_audience, &cl, out->access_token,
                         sizeof out->access_token, err);
}

eo_status eo_svc_session_issue(eo_uow *u, const eo_session_issue_req *in, eo_session_tokens *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    if (eo_uow_db(u, &db, err)) return err->status;
    unsigned char rh[32];
    eo_token_opaque(out->refresh_token);
    eo_token_hash(out->refresh_token, rh);
    long long sid = 0;
    eo_status st = eo_db_session_create(db, in->employee_id, in->mobile ? "mobile" : "web", in->device_row, u->ip,
                                        u->user_agent, u->app->cfg.refresh_ttl_s, rh, u->now, &sid, err);
    if (!st) st = sign_access(u, in->employee_id, sid, in->nip, in->mobile, out, err);
    if (st) sodium_memzero(out, sizeof *out);
    return st;
}

eo_status eo_svc_session_refresh(eo_uow *u, const eo_session_refresh_req *in, eo_session_tokens *out, eo_err *err)
{
    eo_db *db;
    memset(out, 0, sizeof *out);
    if (err->status) return err->status;
    if (eo_uow_db(u, &db, err)) return err->status;
    unsigned char h[32];
    eo_token_hash(in->refresh_token, h);
    if (eo_db_begin(db, err)) return err->status;
    eo_db_refresh r;
    bool found = false;
    if (eo_db_refresh_get(db, h, u->now, &r, &found, err)) goto fail_tx;
    if (!found) {
        eo_db_rollback(db);
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "invalid_refresh_token", "unknown refresh token");
    }
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", r.session_id);
    if (r.used) {
        /* A rotated token came back: end the whole session (family). */
        bool any = false;
        if (eo_db_session_revoke(db, r.session_id, 0, "refresh_reuse", &any, err) ||
            eo_svc_identity_audit_as(u, r.employee_id, "", "auth.refresh_reuse", "session", sid, NULL, err))
            goto fail_tx;
        if (eo_db_commit(db, err)) return err->status;
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "invalid_refresh_token",
                           "refresh token re-used: session %s revoked", sid);
    }
    bool client_ok = strcmp(r.client, in->mobile ? "mobile" : "web") == 0 &&
                     (!in->mobile || (in->device_id && strcmp(r.device_id, in->device_id) == 0));
    if (r.revoked || r.expired || !r.account_active || !client_ok) {
        eo_db_rollback(db);
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "invalid_refresh_token", "refresh refused for session %s", sid);
    }
    unsigned char nh[32];
    eo_token_opaque(out->refresh_token);
    eo_token_hash(out->refresh_token, nh);
    if (eo_db_refresh_rotate(db, &r, nh, u->app->cfg.refresh_ttl_s, u->now, err) ||
        sign_access(u, r.employee_id, r.session_id, r.nip, in->mobile, out, err))
        goto fail_tx;
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail_tx:
    eo_db_rollback(db);
fail:
    sodium_memzero(out, sizeof *out);
    return err->status;
}

eo_status eo_svc_session_authenticate(eo_uow *u, const char *token, eo_principal *out, eo_err *err)
{
    eo_token_claims cl;
    bool ok = false;
    unsigned roles = 0;
    memset(out, 0, sizeof *out);
    if (!u->app->jwt) return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "no signing key loaded");
    if (eo_token_verify(u->app->jwt, token, u->app->cfg.jwt_issuer, u->app->cfg.jwt_audience, (long long)u->now, &cl,
                        err) ||
        eo_svc_session_principal_cached(u, cl.sid, cl.eid, &ok, &roles, out->device_id, sizeof out->device_id, err))
        return err->status;
    if (!ok)
        return eo_fail_log(err, EO_ERR_UNAUTHORIZED, "unauthorized", "session %lld revoked/expired or account inactive",
                           cl.sid);
    out->employee_id = cl.eid;
    out->session_id = cl.sid;
    out->roles = roles;
    out->mobile = cl.mobile;
    snprintf(out->nip, sizeof out->nip, "%.18s", cl.sub);
    return EO_OK;
}

eo_status eo_svc_session_logout(eo_uow *u, eo_err *err)
{
    eo_db *db;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_uow_db(u, &db, err)) return err->status;
    bool found = false;
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", u->who->session_id);
    eo_uow_auth_changed(u, u->who->employee_id);
    if (eo_db_session_revoke(db, u->who->session_id, u->who->employee_id, "logout", &found, err)) return err->status;
    return eo_uow_audit(u, "auth.logout", "session", sid, NULL, err);
}

eo_status eo_svc_session_mint_unchecked(eo_uow *u, const eo_session_mint_req *in, eo_session_tokens *out, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_db_account a;
    bool found = false;
    if (eo_db_account_by_employee(db, in->employee_id, &a, &found, err)) return err->status;
    if (!found || strcmp(a.status, "active") != 0)
        return eo_fail_log(err, EO_ERR_NOT_FOUND, "not_found", "employee %lld has no active account", in->employee_id);
    long long device_row = 0;
    if (in->mobile && in->device_id && *in->device_id &&
        eo_db_device_upsert(db, in->employee_id, in->device_id, "bench", "android", "1.0.0", &device_row, err))
        return err->status;
    eo_session_issue_req q = {
        .employee_id = in->employee_id, .nip = a.nip, .device_row = device_row, .mobile = in->mobile};
    return eo_svc_session_issue(u, &q, out, err);
}
