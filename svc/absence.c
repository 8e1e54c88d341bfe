#include "svc/absence.h"

#include <stdio.h>
#include <string.h>

#include "core/absence.h"
#include "core/parse.h"
#include "core/presensi.h"
#include "db/attachments.h"
#include "db/keyset.h"
#include "svc/access.h"
#include "svc/notify.h"

const eo_attachment_policy eo_attachment_absence_document = {
    .kind = "absence.document",
    .allowed = EO_ATT_IMAGES | EO_ATT_BIT(EO_ATT_PDF),
    .min_bytes = 16,
    .max_bytes = 0, /* the upload limit (EOFFICE_MAX_UPLOAD_BYTES) bounds it */
};

/* ---------------------------------------------------------------- notices */

static eo_status notify(eo_uow *u, eo_notify_to to, long long subject, long long id, const char *kind,
                        const char *title, eo_err *err)
{
    char target[24];
    snprintf(target, sizeof target, "%lld", id);
    json_t *data = json_pack("{s:I}", "absence_request_id", (json_int_t)id);
    eo_notice n = {.kind = kind, .title = title, .target_type = "absence_request", .target_id = target, .data = data};
    eo_status st = eo_svc_notify(u, to, subject, &n, NULL, err);
    json_decref(data);
    return st;
}

/* ---------------------------------------------------------------- the review plug */

static eo_status load(eo_db *db, long long id, eo_review_record *rec, eo_err *err)
{
    eo_absence_row row;
    if (eo_db_absence_lock(db, id, &row, err)) return err->status;
    rec->id = id;
    rec->author_id = row.employee_id;
    rec->reviewer_id = row.supervisor_id; /* the atasan in force decides */
    if (!eo_review_state_parse(row.status, &rec->state))
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "absence %lld: status %s", id, row.status);
    return EO_OK;
}

static eo_status may_see(eo_uow *u, eo_db *db, const eo_review_record *rec, bool *ok, eo_err *err)
{
    return eo_svc_access_can_view(u, db, rec->author_id, ok, err);
}

/* Submission: someone must decide, and a long sakit needs its document. */
static eo_status submit_check(eo_uow *u, eo_db *db, long long id, eo_absence_row *row, eo_err *err)
{
    if (eo_db_absence_lock(db, id, row, err)) return err->status;
    if (!row->supervisor_id) return eo_fail(err, EO_ERR_CONFLICT, "absence_no_supervisor");
    if (eo_absence_needs_document(row->kind, row->days, u->app->cfg.sick_doc_days) && !row->attachment_id)
        return eo_fail(err, EO_ERR_INVALID, "absence_document_required");
    return EO_OK;
}

static eo_status store(eo_uow *u, eo_db *db, const eo_review_record *rec, eo_review_action action, eo_review_state next,
                       const char *note, const void *changes, eo_err *err)
{
    (void)changes;
    long long me = u->who->employee_id;
    eo_absence_row row;
    switch (action) {
    case EO_REVIEW_SUBMIT:
        if (submit_check(u, db, rec->id, &row, err) ||
            eo_db_absence_step(db, rec->id, "submitted", row.supervisor_id, 0, NULL, u->now, err))
            return err->status;
        return notify(u, EO_NOTIFY_SUPERVISOR, rec->author_id, rec->id, "absence.submitted",
                      "Permohonan ketidakhadiran menunggu persetujuan Anda", err);
    case EO_REVIEW_WITHDRAW:
        if (eo_db_absence_step(db, rec->id, "draft", 0, 0, NULL, u->now, err)) return err->status;
        return notify(u, EO_NOTIFY_SUPERVISOR, rec->author_id, rec->id, "absence.withdrawn",
                      "Permohonan ketidakhadiran ditarik kembali", err);
    case EO_REVIEW_APPROVE:
    case EO_REVIEW_RETURN:
    case EO_REVIEW_REJECT: {
        const char *status = eo_review_state_name(next);
        if (eo_db_absence_step(db, rec->id, status, 0, me, note, u->now, err)) return err->status;
        const char *kind = action == EO_REVIEW_APPROVE  ? "absence.approved"
                           : action == EO_REVIEW_RETURN ? "absence.returned"
                                                        : "absence.rejected";
        const char *title = action == EO_REVIEW_APPROVE  ? "Permohonan ketidakhadiran disetujui"
                            : action == EO_REVIEW_RETURN ? "Permohonan ketidakhadiran dikembalikan untuk diperbaiki"
                                                         : "Permohonan ketidakhadiran ditolak";
        return notify(u, EO_NOTIFY_EMPLOYEE, rec->author_id, rec->id, kind, title, err);
    }
    default: return eo_fail(err, EO_ERR_CONFLICT, "review_transition_invalid");
    }
}

const eo_review_kind eo_review_kind_absence = {
    .kind = "absence",
    .target_type = "absence_request",
    .not_found_code = "absence_not_found",
    .load = load,
    .may_see = may_see,
    .store = store,
    .render = eo_db_absence_get,
};

/* ---------------------------------------------------------------- validation */

static void validate(const eo_absence_fields *f, bool create, eo_err *err)
{
    if (f->kind && !eo_absence_kind_valid(f->kind)) eo_err_field(err, "kind", "invalid_value");
    if (f->cuti_type && !eo_absence_cuti_type_valid(f->cuti_type)) eo_err_field(err, "cuti_type", "invalid_value");
    if (f->kind && strcmp(f->kind, "cuti") == 0 && !f->cuti_type && (create || f->clear_cuti_type))
        eo_err_field(err, "cuti_type", "missing_field");
    if (f->kind && strcmp(f->kind, "cuti") != 0 && f->cuti_type) eo_err_field(err, "cuti_type", "not_allowed");
    int days = 0;
    if (f->date_from && f->date_to) {
        if (!eo_absence_days(f->date_from, f->date_to, &days))
            eo_err_field(err, "date_to", "invalid_value");
        else if (days > EO_ABSENCE_MAX_DAYS)
            eo_err_field(err, "date_to", "out_of_range");
    } else {
        int y, m, d;
        if (f->date_from && !eo_presensi_parse_date(f->date_from, &y, &m, &d))
            eo_err_field(err, "date_from", "invalid_value");
        if (f->date_to && !eo_presensi_parse_date(f->date_to, &y, &m, &d))
            eo_err_field(err, "date_to", "invalid_value");
    }
    if (f->reason && strspn(f->reason, " \t\r\n") == strlen(f->reason)) eo_err_field(err, "reason", "missing_field");
    if (f->set_locations && f->n_locations > 0 && f->kind && !eo_absence_takes_locations(f->kind))
        eo_err_field(err, "extra_location_ids", "not_allowed");
    if (create) {
        if (!f->kind) eo_err_field(err, "kind", "missing_field");
        if (!f->date_from) eo_err_field(err, "date_from", "missing_field");
        if (!f->date_to) eo_err_field(err, "date_to", "missing_field");
        if (!f->reason) eo_err_field(err, "reason", "missing_field");
    }
}

static eo_status audit(eo_uow *u, const char *action, long long id, json_t *details, eo_err *err)
{
    char target[24];
    snprintf(target, sizeof target, "%lld", id);
    return eo_uow_audit(u, action, eo_review_kind_absence.target_type, target, details, err);
}

/* ---------------------------------------------------------------- use cases */

eo_status eo_svc_absence_create(eo_uow *u, const eo_absence_fields *f, bool submit, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    validate(f, true, err);
    if (err->status) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    long long id = 0;
    if (eo_db_absence_create(db, u->who->employee_id, f, &id, err) || eo_db_absence_get(db, id, out, err) ||
        audit(u, "absence.create", id, *out, err))
        goto fail;
    if (submit) {
        eo_review_record rec = {.id = id, .state = EO_REVIEW_DRAFT, .author_id = u->who->employee_id};
        json_decref(*out);
        *out = NULL;
        if (store(u, db, &rec, EO_REVIEW_SUBMIT, EO_REVIEW_SUBMITTED, NULL, NULL, err) ||
            eo_db_absence_get(db, id, out, err) || audit(u, "absence.submit", id, *out, err))
            goto fail;
    }
    if (eo_db_commit(db, err)) goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

/* Locks id for its author: 404 to whoever may not see it, 403 to those who
 * may, 409 absence_not_editable unless draft (or returned, when allowed). */
static eo_status author_lock(eo_uow *u, eo_db *db, long long id, bool returned_ok, eo_absence_row *row, eo_err *err)
{
    if (eo_db_absence_lock(db, id, row, err)) return err->status;
    if (row->employee_id != u->who->employee_id) {
        bool see = false;
        if (eo_svc_access_can_view(u, db, row->employee_id, &see, err)) return err->status;
        return see ? eo_fail(err, EO_ERR_FORBIDDEN, "review_not_author")
                   : eo_fail(err, EO_ERR_NOT_FOUND, "absence_not_found");
    }
    if (strcmp(row->status, "draft") && !(returned_ok && strcmp(row->status, "returned") == 0))
        return eo_fail(err, EO_ERR_CONFLICT, "absence_not_editable");
    return EO_OK;
}

eo_status eo_svc_absence_edit(eo_uow *u, long long id, const eo_absence_fields *f, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    validate(f, false, err);
    if (err->status) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    eo_absence_row row;
    if (author_lock(u, db, id, true, &row, err)) goto fail;
    /* Locations only on duty travel: check against the kind the request will have. */
    if (f->set_locations && f->n_locations > 0 && !eo_absence_takes_locations(f->kind ? f->kind : row.kind)) {
        eo_err_field(err, "extra_location_ids", "not_allowed");
        goto fail;
    }
    if (eo_db_absence_edit(db, id, f, err) || eo_db_absence_get(db, id, out, err) ||
        audit(u, "absence.edit", id, *out, err) || eo_db_commit(db, err))
        goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_absence_delete(eo_uow *u, long long id, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    eo_absence_row row;
    json_t *before = NULL;
    if (author_lock(u, db, id, false, &row, err) || eo_db_absence_get(db, id, &before, err) ||
        eo_db_absence_delete(db, id, err) || audit(u, "absence.delete", id, before, err) || eo_db_commit(db, err))
        goto fail;
    json_decref(before);
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(before);
    return err->status;
}

static eo_status may_read(eo_uow *u, long long owner, bool *ok, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    return eo_svc_access_can_view(u, db, owner, ok, err);
}

eo_status eo_svc_absence_get(eo_uow *u, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_absence_row row;
    bool ok = false;
    if (eo_db_absence_lock(db, id, &row, err) || may_read(u, row.employee_id, &ok, err)) return err->status;
    if (!ok) return eo_fail(err, EO_ERR_NOT_FOUND, "absence_not_found");
    return eo_db_absence_get(db, id, out, err);
}

eo_status eo_svc_absence_act(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out,
                             eo_err *err)
{
    return eo_svc_review_act(u, &eo_review_kind_absence, id, action, note, out, err);
}

eo_status eo_svc_absence_document(eo_uow *u, long long id, eo_attachment *a, const unsigned char *bytes, json_t **out,
                                  eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_absence_row row;
    long long t = 0;
    /* Checks first (nothing stored for a request the caller may not change). */
    if (eo_db_begin(db, err)) return err->status;
    if (author_lock(u, db, id, true, &row, err) || eo_db_attachment_clock(db, &t, err)) goto fail;
    eo_db_rollback(db);
    eo_uow_db_release(u);
    if (eo_svc_attachment_put(u, a, bytes, err)) return err->status;
    if (eo_uow_db(u, &db, err) || eo_db_begin(db, err)) return err->status;
    if (author_lock(u, db, id, true, &row, err) || eo_svc_attachment_insert(u, a, u->who->employee_id, t, err) ||
        eo_db_absence_set_document(db, id, a->id, err) || eo_db_absence_get(db, id, out, err) ||
        audit(u, "absence.document", id, *out, err) || eo_db_commit(db, err))
        goto fail;
    return EO_OK;
fail:
    return eo_uow_rollback(db, out, err);
}

eo_status eo_svc_absence_document_read(eo_uow *u, long long id, eo_attachment_blob *blob, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    eo_absence_row row;
    if (eo_db_absence_lock(db, id, &row, err)) return err->status;
    if (!row.attachment_id) {
        bool ok = false;
        if (may_read(u, row.employee_id, &ok, err)) return err->status;
        return eo_fail(err, EO_ERR_NOT_FOUND, ok ? "absence_document_not_found" : "absence_not_found");
    }
    return eo_svc_attachment_read(u, eo_attachment_absence_document.kind, row.attachment_id, may_read,
                                  "absence_not_found", blob, err);
}

eo_status eo_svc_absence_list(eo_uow *u, eo_absence_filter *f, json_t *after, json_t **items, json_t **next,
                              eo_err *err)
{
    *items = *next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    static const char *const states[] = {"draft", "submitted", "returned", "approved", "rejected", NULL};
    bool ok = !f->status;
    for (size_t i = 0; !ok && states[i]; i++) ok = strcmp(f->status, states[i]) == 0;
    if (!ok) eo_err_field(err, "status", "invalid_value");
    if (f->kind && !eo_absence_kind_valid(f->kind)) eo_err_field(err, "kind", "invalid_value");
    int y, m, d;
    if (f->from && !eo_presensi_parse_date(f->from, &y, &m, &d)) eo_err_field(err, "from", "invalid_value");
    if (f->to && !eo_presensi_parse_date(f->to, &y, &m, &d)) eo_err_field(err, "to", "invalid_value");
    eo_db_keyset k;
    if (eo_db_keyset_from(after, &k, err) == EO_OK && k.set) {
        f->after_at = k.at;
        f->after_id = k.id;
    }
    if (err->status) return err->status;
    f->viewer_id = u->who->employee_id;
    eo_db *db;
    if (eo_uow_db(u, &db, err)) return err->status;
    /* k lives on this frame: the query runs before it goes. */
    return eo_db_absence_list(db, f, items, next, err);
}
