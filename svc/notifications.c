#include "svc/notifications.h"

#include "db/keyset.h"
#include "db/notification_list.h"

static eo_status signed_in(eo_uow *u, eo_db **db, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    return eo_uow_db(u, db, err);
}

eo_status eo_svc_notifications_list(eo_uow *u, bool unread_only, bool compact, const eo_svc_page_in *in,
                                    eo_svc_page_out *out, long long *unread, eo_err *err)
{
    out->items = out->next = NULL;
    eo_db *db;
    eo_db_keyset k;
    if (eo_db_keyset_from(in->after, &k, err) || signed_in(u, &db, err)) return err->status;
    return eo_db_notification_list(db, u->who->employee_id, unread_only, compact, k.set ? k.at : NULL,
                                   k.set ? k.id : NULL, in->limit, &out->items, &out->next, unread, err);
}

eo_status eo_svc_notification_read(eo_uow *u, long long id, bool compact, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    if (signed_in(u, &db, err)) return err->status;
    return eo_db_notification_read(db, u->who->employee_id, id, compact, out, err);
}

eo_status eo_svc_notifications_read_all(eo_uow *u, long long *marked, eo_err *err)
{
    *marked = 0;
    eo_db *db;
    if (signed_in(u, &db, err)) return err->status;
    return eo_db_notification_read_all(db, u->who->employee_id, marked, err);
}

eo_status eo_svc_notification_settings(eo_uow *u, const bool *set, json_t **out, eo_err *err)
{
    *out = NULL;
    eo_db *db;
    bool before = false, after = false;
    if (signed_in(u, &db, err)) return err->status;
    if (!set) {
        if (eo_db_notification_email(db, u->who->employee_id, NULL, &after, err)) return err->status;
        *out = json_pack("{s:b}", "email", after);
        return EO_OK;
    }
    if (eo_db_begin(db, err)) return err->status;
    if (eo_db_notification_email(db, u->who->employee_id, NULL, &before, err) ||
        eo_db_notification_email(db, u->who->employee_id, *set ? "true" : "false", &after, err))
        goto fail;
    if (before != after) {
        json_t *details = json_pack("{s:{s:b}, s:{s:b}}", "old", "email", before, "new", "email", after);
        eo_status st = eo_uow_audit(u, "notifications.settings_change", "employee", u->who->nip, details, err);
        json_decref(details);
        if (st) goto fail;
    }
    if (eo_db_commit(db, err)) goto fail;
    *out = json_pack("{s:b}", "email", after);
    return EO_OK;
fail:
    eo_db_rollback(db);
    return err->status;
}
