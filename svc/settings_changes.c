#include "svc/settings_changes.h"

#include <stdio.h>
#include <string.h>

#include "core/review.h"
#include "db/authz.h"
#include "db/employees.h"
#include "db/keyset.h"
#include "db/me.h"
#include "db/settings_changes.h"
#include "svc/access.h"
#include "svc/notify.h"

static eo_status notice(eo_uow *u, eo_notify_to to, long long subject, long long change_id, const char *kind,
                        const char *title, int *count, eo_err *err)
{
    char target[24];
    snprintf(target, sizeof target, "%lld", change_id);
    json_t *data = json_pack("{s:I}", "settings_change_id", (json_int_t)change_id);
    eo_notice n = {.kind = kind, .title = title, .target_type = "settings_change", .target_id = target, .data = data};
    eo_status st = eo_svc_notify(u, to, subject, &n, count, err);
    json_decref(data);
    return st;
}

/* Tells whoever must confirm change id of employee (kind, proposed atasan). */
static eo_status tell_confirmer(eo_uow *u, long long employee, const char *kind, long long proposed, long long id,
                                const char *what, const char *title, eo_err *err)
{
    int n = 0;
    if (strcmp(kind, "supervisor") == 0) {
        if (notice(u, EO_NOTIFY_EMPLOYEE, proposed, id, what, title, &n, err)) return err->status;
    } else if (notice(u, EO_NOTIFY_SUPERVISOR, employee, id, what, title, &n, err))
        return err->status;
    /* Nobody else to ask (no atasan yet): the unit's anpeg. */
    if (n == 0 && notice(u, EO_NOTIFY_ANPEG, employee, id, what, title, NULL, err)) return err->status;
    return EO_OK;
}

static eo_status audit(eo_uow *u, const char *action, const char *type, long long id, const char *text_id,
                       json_t *details, eo_err *err)
{
    char target[24];
    snprintf(target, sizeof target, "%lld", id);
    return eo_uow_audit(u, action, type, text_id ? text_id : target, details, err);
}

eo_status eo_svc_settings_view(eo_uow *u, long long employee_id, json_t **out, eo_err *err)
{
    eo_db *db;
    json_t *pending = NULL;
    *out = NULL;
    if (eo_uow_db(u, &db, err) || eo_db_me_settings(db, employee_id, out, err) ||
        eo_db_settings_changes_pending(db, employee_id, &pending, err)) {
        json_decref(*out);
        *out = NULL;
        return err->status;
    }
    json_object_set_new(*out, "pending", pending);
    return EO_OK;
}

static eo_status file_change(eo_uow *u, eo_db *db, const char *kind, const eo_settings_ids *ids, int *created,
                             eo_err *err)
{
    long long eid = u->who->employee_id, id = 0, old = 0;
    json_t *c = NULL;
    if (eo_db_settings_change_create(db, eid, kind, ids, &id, &old, err)) return err->status;
    if (old && audit(u, "settings.change_superseded", "settings_change", old, NULL, NULL, err)) return err->status;
    if (eo_db_settings_change_get(db, id, &c, err)) return err->status;
    eo_status st = audit(u, "settings.change_request", "settings_change", id, NULL, c, err);
    json_decref(c);
    if (st) return st;
    (*created)++;
    return tell_confirmer(u, eid, kind, ids->supervisor_id, id, "settings.change_requested",
                          "Perubahan pengaturan pegawai menunggu konfirmasi Anda", err);
}

eo_status eo_svc_settings_request(eo_uow *u, const char *location_code, const char *supervisor_nip,
                                  const char *schedule_code, int *created, json_t **out, eo_err *err)
{
    eo_db *db;
    *created = 0;
    *out = NULL;
    if (err->status) return err->status;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    long long eid = u->who->employee_id;
    eo_settings_ids want, cur;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    if (eo_db_me_settings_resolve(db, eid, location_code, supervisor_nip, schedule_code, &want, err) ||
        eo_db_settings_current(db, eid, &cur, err))
        goto fail;
    /* What equals the value in force is no change. */
    if (want.set_location && want.location_id == cur.location_id) want.set_location = false;
    if (want.set_supervisor && want.supervisor_id == cur.supervisor_id) want.set_supervisor = false;
    if (want.set_schedule && want.schedule_id == cur.schedule_id) want.set_schedule = false;
    if (want.set_supervisor && want.supervisor_id) {
        eo_settings_ids link = {.set_supervisor = true, .supervisor_id = want.supervisor_id};
        if (file_change(u, db, "supervisor", &link, created, err)) goto fail;
        want.set_supervisor = false;
    }
    if (want.set_location || want.set_supervisor || want.set_schedule) {
        if (!want.set_location) want.location_id = 0;
        if (!want.set_schedule) want.schedule_id = 0;
        if (file_change(u, db, "placement", &want, created, err)) goto fail;
    }
    if (eo_db_commit(db, err)) goto fail;
    return eo_svc_settings_view(u, eid, out, err);
fail:
    eo_db_rollback(db);
    return err->status;
}

/* May the caller confirm (or refuse) row? Admin; an anpeg covering the
 * employee; for a new link the proposed atasan; otherwise the atasan in force. */
static eo_status may_confirm(eo_uow *u, eo_db *db, const eo_settings_change_row *row, bool *ok, eo_err *err)
{
    long long me = u->who->employee_id;
    *ok = eo_svc_access_is_admin(u);
    if (*ok) return EO_OK;
    if (strcmp(row->kind, "supervisor") == 0 ? row->ids.supervisor_id == me : row->current_supervisor_id == me) {
        *ok = true;
        return EO_OK;
    }
    if (!(u->who->roles & EO_ROLE_ANPEG)) return EO_OK;
    return eo_db_authz_anpeg_covers(db, me, row->employee_id, ok, err);
}

eo_status eo_svc_settings_change_act(eo_uow *u, long long id, eo_settings_action action, const char *note, json_t **out,
                                     eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    long long me = u->who->employee_id;
    const char *note_error = NULL; /* told only once the caller's part is known (as core/review.h does) */
    if (action == EO_SETTINGS_REFUSE) {
        if (!note || strspn(note, " \t\r\n") == strlen(note))
            note_error = "review_note_required";
        else if (strlen(note) > EO_REVIEW_NOTE_MAX)
            note_error = "review_note_too_long";
    }
    eo_db *db;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    eo_settings_change_row row;
    bool ok = false;
    if (eo_db_settings_change_lock(db, id, &row, err)) goto fail;
    if (row.employee_id == me) {
        if (action != EO_SETTINGS_WITHDRAW) {
            eo_fail(err, EO_ERR_FORBIDDEN, "settings_confirm_own");
            goto fail;
        }
    } else {
        if (action != EO_SETTINGS_WITHDRAW && may_confirm(u, db, &row, &ok, err)) goto fail;
        if (!ok) {
            bool see = false;
            if (eo_svc_access_can_view(u, db, row.employee_id, &see, err)) goto fail;
            /* The proposed atasan knows of the change (they were told). */
            see = see || (strcmp(row.kind, "supervisor") == 0 && row.ids.supervisor_id == me);
            if (see)
                eo_fail(err, EO_ERR_FORBIDDEN,
                        action == EO_SETTINGS_WITHDRAW ? "review_not_author" : "settings_confirm_forbidden");
            else
                eo_fail(err, EO_ERR_NOT_FOUND, "settings_change_not_found");
            goto fail;
        }
    }
    if (strcmp(row.status, "pending") != 0) {
        eo_fail(err, EO_ERR_CONFLICT, "settings_change_closed");
        goto fail;
    }
    if (note_error) {
        eo_err_field(err, "note", note_error);
        goto fail;
    }
    const char *status = action == EO_SETTINGS_CONFIRM  ? "confirmed"
                         : action == EO_SETTINGS_REFUSE ? "refused"
                                                        : "withdrawn";
    if (action == EO_SETTINGS_CONFIRM) {
        if (row.ids.set_supervisor && row.ids.supervisor_id) {
            bool cycle = false;
            if (eo_db_me_supervisor_cycle(db, row.employee_id, row.ids.supervisor_id, &cycle, err)) goto fail;
            if (cycle) {
                eo_fail(err, EO_ERR_CONFLICT, "supervisor_cycle");
                goto fail;
            }
        }
        if (eo_db_me_settings_apply(db, row.employee_id, &row.ids, "confirmed", id, me, err)) goto fail;
    }
    if (eo_db_settings_change_close(db, id, status, action == EO_SETTINGS_WITHDRAW ? 0 : me, note, u->now, err) ||
        eo_db_settings_change_get(db, id, out, err))
        goto fail;
    char action_name[48];
    snprintf(action_name, sizeof action_name, "settings.change_%s",
             action == EO_SETTINGS_CONFIRM  ? "confirm"
             : action == EO_SETTINGS_REFUSE ? "refuse"
                                            : "withdraw");
    if (audit(u, action_name, "settings_change", id, NULL, *out, err)) goto fail;
    if (action == EO_SETTINGS_WITHDRAW) {
        if (tell_confirmer(u, row.employee_id, row.kind, row.ids.supervisor_id, id, "settings.change_withdrawn",
                           "Permintaan perubahan pengaturan ditarik kembali", err))
            goto fail;
    } else if (action == EO_SETTINGS_CONFIRM && strcmp(row.kind, "supervisor") == 0 &&
               notice(u, EO_NOTIFY_ANPEG, row.employee_id, id, "settings.supervisor_linked",
                      "Atasan langsung seorang pegawai di unit Anda berubah", NULL, err)) {
        goto fail; /* a new atasan link is visible to the unit's anpeg, whoever confirmed it */
    } else if (notice(u, EO_NOTIFY_EMPLOYEE, row.employee_id, id,
                      action == EO_SETTINGS_CONFIRM ? "settings.change_confirmed" : "settings.change_refused",
                      action == EO_SETTINGS_CONFIRM ? "Perubahan pengaturan Anda telah dikonfirmasi"
                                                    : "Perubahan pengaturan Anda ditolak",
                      NULL, err))
        goto fail;
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_settings_changes_queue(eo_uow *u, const eo_svc_page_in *in, eo_svc_page_out *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db_keyset k;
    if (eo_db_keyset_from(in->after, &k, err)) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_db_settings_changes_queue(db, u->who->employee_id, eo_svc_access_is_admin(u), in->limit,
                                        k.set ? k.at : NULL, k.set ? k.id : NULL, &out->items, &out->next, err);
}

eo_status eo_svc_settings_direct_set(eo_uow *u, const char *nip, const char *location_code, const char *supervisor_nip,
                                     const char *schedule_code, json_t **out, eo_err *err)
{
    *out = NULL;
    if (err->status) return err->status;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    long long eid = 0;
    if (eo_uow_db(u, &db, err) || eo_db_employee_id(db, nip, false, "employee_not_found", &eid, err))
        return err->status;
    bool ok = eo_svc_access_is_admin(u);
    if (!ok && (u->who->roles & EO_ROLE_ANPEG) && eo_db_authz_anpeg_covers(db, u->who->employee_id, eid, &ok, err))
        return err->status;
    if (eid == u->who->employee_id) return eo_fail(err, EO_ERR_FORBIDDEN, "settings_confirm_own");
    if (!ok) {
        bool see = false;
        if (eo_svc_access_can_view(u, db, eid, &see, err)) return err->status;
        return see ? eo_fail(err, EO_ERR_FORBIDDEN, "forbidden") : eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    }
    json_t *before = NULL, *after = NULL;
    if (eo_db_begin(db, err) || eo_db_me_settings(db, eid, &before, err) ||
        eo_db_me_settings_update(db, eid, location_code, supervisor_nip, schedule_code, "direct", u->who->employee_id,
                                 err) ||
        eo_db_me_settings(db, eid, &after, err))
        goto fail;
    if (!json_equal(before, after)) {
        json_t *details = json_pack("{s:O, s:O}", "old", before, "new", after);
        eo_status st = audit(u, "settings.direct_set", "employee", 0, nip, details, err);
        json_decref(details);
        if (st || notice(u, EO_NOTIFY_EMPLOYEE, eid, 0, "settings.changed", "Pengaturan Anda diubah oleh pengelola",
                         NULL, err))
            goto fail;
    }
    if (eo_db_commit(db, err)) goto fail;
    json_decref(before);
    json_decref(after);
    return eo_svc_settings_view(u, eid, out, err);
fail:
    eo_db_rollback(db);
    json_decref(before);
    json_decref(after);
    return err->status;
}
