#include "svc/me.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mail_texts.h"
#include "core/password.h"
#include "db/accounts.h"
#include "db/mail.h"
#include "db/me.h"
#include "db/sessions.h"
#include "svc/identity_internal.h"
#include "svc/session_cache.h"
#include "svc/settings_changes.h"

/* Borrows the connection and opens the position for one of the caller's own lists. */
static eo_status own_list(eo_uow *u, const eo_svc_page_in *in, eo_db **db, eo_db_keyset *after, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (eo_db_keyset_from(in->after, after, err)) return err->status;
    return eo_uow_db(u, db, err);
}

eo_status eo_svc_me_sessions_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_keyset after;
    memset(out, 0, sizeof(*out));
    if (own_list(u, in, &db, &after, err)) return err->status;
    return eo_db_me_sessions_page(db, u->who->employee_id, u->who->session_id, in->limit, &after, &out->items,
                                  &out->next, err);
}

eo_status eo_svc_me_devices_list(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    eo_db *db = NULL;
    eo_db_keyset after;
    memset(out, 0, sizeof(*out));
    if (own_list(u, in, &db, &after, err)) return err->status;
    return eo_db_me_devices_page(db, u->who->employee_id, in->limit, &after, &out->items, &out->next, err);
}

static eo_status own_db(eo_uow *u, eo_db **db, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return eo_uow_db(u, db, err);
}

eo_status eo_svc_me_profile(eo_uow *u, const eo_svc_me_profile_in *in, eo_svc_me_profile_out *out, eo_err *err)
{
    eo_db *db = NULL;
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    /* Served from the cache while the invalidation channel is trusted
     * (svc/session_cache.h): an authenticated read without a query. */
    unsigned long long seq;
    out->text = eo_profile_cache_get(u->who->employee_id, in->compact, &seq);
    if (out->text) return EO_OK;
    json_t *profile;
    if (own_db(u, &db, err) || eo_db_me_profile(db, u->who->employee_id, in->compact, &profile, err))
        return err->status;
    out->text = json_is_object(profile) ? json_dumps(profile, JSON_COMPACT) : NULL;
    json_decref(profile);
    if (!out->text) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    eo_profile_cache_put(u->who->employee_id, in->compact, out->text, seq);
    return EO_OK;
}

eo_status eo_svc_me_settings_get(eo_uow *u, eo_svc_me_settings_out *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return eo_svc_settings_view(u, u->who->employee_id, &out->settings, err);
}

eo_status eo_svc_me_settings_update(eo_uow *u, const eo_svc_me_settings_in *in, eo_svc_me_settings_out *out,
                                    eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (err->status) return err->status;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return eo_svc_settings_request(u, in->office_location_code, in->supervisor_nip, in->work_schedule_code,
                                   &out->requested, &out->settings, err);
}

eo_status eo_svc_me_session_revoke(eo_uow *u, const eo_svc_me_session_revoke_in *in, eo_err *err)
{
    eo_db *db = NULL;
    bool found = false;
    char sid[24];
    if (own_db(u, &db, err)) return err->status;
    if (in->session_id <= 0) return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    snprintf(sid, sizeof sid, "%lld", in->session_id);
    /* Only the caller's own sessions match: another employee's id is a 404. */
    eo_uow_auth_changed(u, u->who->employee_id);
    if (eo_db_session_revoke(db, in->session_id, u->who->employee_id, "revoked_by_user", &found, err))
        return err->status;
    if (!found) return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    return eo_uow_audit(u, "auth.session_revoke", "session", sid, NULL, err);
}

eo_status eo_svc_me_password_change(eo_uow *u, const eo_svc_me_password_in *in, eo_svc_me_password_out *out,
                                    eo_err *err)
{
    eo_db *db = NULL;
    const char *cur = in->current_password, *pw = in->new_password, *pw2 = in->new_password_confirmation;
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (pw) eo_password_check_policy(pw, "new_password", err);
    if (pw && pw2 && strcmp(pw, pw2) != 0) eo_err_field(err, "new_password_confirmation", "password_mismatch");
    if (pw && cur && strcmp(pw, cur) == 0) eo_err_field(err, "new_password", "password_reused");
    if (err->status) return err->status;
    if (!pw || !cur) return eo_fail(err, EO_ERR_INVALID, "validation_failed");
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_db_account a;
    bool found = false, ok = false;
    if (eo_db_account_by_employee(db, u->who->employee_id, &a, &found, err) ||
        eo_svc_password_verify(u, &db, found ? a.password_hash : NULL, cur, &ok, err))
        goto done;
    if (!ok) {
        eo_err_field(err, "current_password", "password_wrong");
        goto done;
    }
    char hash[EO_PASSWORD_HASH_LEN];
    eo_uow_db_release(u); /* argon2id again: not on a pooled connection */
    if (eo_password_hash(pw, hash, err) || eo_uow_db(u, &db, err)) goto done;
    eo_uow_auth_changed(u, u->who->employee_id);
    if (eo_db_begin(db, err) || eo_db_account_set_password(db, a.account_id, hash, err) ||
        eo_db_sessions_revoke_all(db, u->who->employee_id, u->who->session_id, "password_change", &out->sessions_ended,
                                  err))
        goto fail_tx;
    json_t *details = json_pack("{s:i}", "sessions_ended", out->sessions_ended);
    eo_status st = eo_uow_audit(u, "auth.password_change", "employee", u->who->nip, details, err);
    json_decref(details);
    if (st) goto fail_tx;
    if (a.office_email[0] &&
        eo_db_mail_enqueue(db, a.office_email, EO_MAIL_PASSWORD_CHANGED_SUBJECT, EO_MAIL_PASSWORD_CHANGED_BODY, err))
        goto fail_tx;
    eo_db_commit(db, err);
    goto done;
fail_tx:
    eo_db_rollback(db);
done:
    sodium_memzero(&a, sizeof a);
    return err->status;
}
