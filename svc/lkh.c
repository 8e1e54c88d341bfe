#include "svc/lkh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/presensi.h"
#include "db/employees.h"
#include "db/attachments.h"
#include "db/keyset.h"
#include "db/lkh.h"
#include "svc/access.h"
#include "svc/idempotency.h"
#include "svc/notify.h"

#define TARGET_TYPE "lkh_report"

const eo_attachment_policy eo_lkh_evidence_policy = {
    .kind = "lkh.evidence",
    .allowed = EO_ATT_IMAGES | EO_ATT_DOCUMENTS,
    .min_bytes = 64,
    .max_bytes = 4u << 20,
    .code_too_small = "lkh_attachment_too_small",
    .code_too_large = "lkh_attachment_too_large",
    .code_unsupported = "lkh_attachment_type_not_allowed",
    .code_corrupt = "lkh_attachment_corrupt",
};

const eo_attachment_policy eo_lkh_photo_policy = {
    .kind = "lkh.evidence",
    .allowed = EO_ATT_IMAGES,
    .min_bytes = 64,
    .max_bytes = 4u << 20,
    .code_too_small = "lkh_attachment_too_small",
    .code_too_large = "lkh_attachment_too_large",
    .code_unsupported = "lkh_attachment_type_not_allowed",
    .code_corrupt = "lkh_attachment_corrupt",
};

static void id_text(char *buf, size_t cap, long long id) { snprintf(buf, cap, "%lld", id); }

/* Content the policy does not accept is a bad value of the form (422), like
 * corrupt content: the file is judged by its bytes, whatever its name says. */
static eo_status check_file(const eo_attachment_policy *p, const unsigned char *data, size_t len, eo_attachment *a,
                            eo_err *err)
{
    if (eo_svc_attachment_check(p, data, len, a, err) == EO_ERR_MEDIA_TYPE) {
        const char *code = err->code;
        eo_err_clear(err);
        eo_fail(err, EO_ERR_INVALID, code);
    }
    return err->status;
}

/* ---------------------------------------------------------------- activities */

static bool blank(const char *s) { return strspn(s, " \t\r\n") == strlen(s); }

static void act_field(eo_err *err, size_t i, const char *member, const char *code)
{
    char name[64];
    snprintf(name, sizeof(name), "activities[%zu].%s", i, member);
    eo_err_field(err, name, code);
}

/* The activities checked together (core/lkh.h) and written as the JSON the
 * SQL reads: times "HH:MM" or null, duration_min always. */
static eo_status normalise(const eo_lkh_req *in, json_t **arr, eo_err *err)
{
    *arr = NULL;
    eo_lkh_span spans[EO_LKH_MAX_ACTIVITIES];
    bool ok = true;
    for (size_t i = 0; i < in->n; i++) {
        const eo_lkh_activity_in *a = &in->activities[i];
        spans[i] = (eo_lkh_span){-1, -1, (int)a->duration_min};
        if (a->description && blank(a->description)) act_field(err, i, "description", "missing_field");
        if (a->output && blank(a->output)) act_field(err, i, "output", "missing_field");
        if (a->unit && blank(a->unit)) act_field(err, i, "unit", "missing_field");
        if (a->start_time || a->end_time) {
            if (!a->start_time) act_field(err, i, "start_time", "missing_field");
            if (!a->end_time) act_field(err, i, "end_time", "missing_field");
            if (a->start_time && !eo_lkh_parse_hhmm(a->start_time, false, &spans[i].start_min))
                act_field(err, i, "start_time", "invalid_value");
            if (a->end_time && !eo_lkh_parse_hhmm(a->end_time, true, &spans[i].end_min))
                act_field(err, i, "end_time", "invalid_value");
            if (a->duration_min) act_field(err, i, "duration_min", "lkh_duration_with_times");
        } else if (!a->duration_min) {
            act_field(err, i, "end_time", "missing_field");
        }
        if (err->status != EO_OK) ok = false;
    }
    if (!ok) return err->status;
    int total = 0;
    if (eo_lkh_check_spans(spans, in->n, &total, err) != EO_OK) return err->status;
    *arr = json_array();
    for (size_t i = 0; i < in->n; i++) {
        const eo_lkh_activity_in *a = &in->activities[i];
        json_t *o = json_pack("{s:s, s:s?, s:s?, s:i, s:s, s:I, s:s}", "description", a->description, "start_time",
                              a->start_time, "end_time", a->end_time, "duration_min", spans[i].duration_min, "output",
                              a->output, "quantity", (json_int_t)a->quantity, "unit", a->unit);
        if (!o) {
            json_decref(*arr);
            *arr = NULL;
            return eo_fail(err, EO_ERR_INTERNAL, "internal");
        }
        if (a->skp_target_id) json_object_set_new(o, "skp_target_id", json_integer(a->skp_target_id));
        json_array_append_new(*arr, o);
    }
    return EO_OK;
}

/* Activities naming an SKP target that is not the author's for the report's year. */
static eo_status check_skp(eo_db *db, long long employee, const char *work_date, const char *acts, eo_err *err)
{
    int year =
        (work_date[0] - '0') * 1000 + (work_date[1] - '0') * 100 + (work_date[2] - '0') * 10 + (work_date[3] - '0');
    json_t *bad = NULL;
    if (eo_db_lkh_foreign_skp(db, employee, year, acts, &bad, err) != EO_OK) return err->status;
    size_t i;
    json_t *v;
    json_array_foreach(bad, i, v)
        act_field(err, (size_t)json_integer_value(v), "skp_target_id", "skp_target_not_found");
    json_decref(bad);
    return err->status;
}

/* ---------------------------------------------------------------- the review plug */

static eo_status load(eo_db *db, long long id, eo_review_record *rec, eo_err *err)
{
    eo_lkh_row row;
    if (eo_db_lkh_lock(db, id, &row, err) != EO_OK) return err->status;
    rec->id = id;
    rec->author_id = row.employee_id;
    rec->reviewer_id = row.supervisor_id; /* the author's direct atasan now */
    if (!eo_review_state_parse(row.status, &rec->state))
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "lkh %lld: status %s", id, row.status);
    return EO_OK;
}

static eo_status may_see(eo_uow *u, eo_db *db, const eo_review_record *rec, bool *ok, eo_err *err)
{
    return eo_svc_access_can_view(u, db, rec->author_id, ok, err);
}

static eo_status tell(eo_uow *u, eo_db *db, long long report, eo_notify_to to, long long subject, const char *kind,
                      const char *title, const char *note, eo_err *err)
{
    char target[24];
    id_text(target, sizeof(target), report);
    eo_lkh_row row;
    if (eo_db_lkh_read(db, report, &row, err) != EO_OK) return err->status;
    json_t *data = json_pack("{s:s, s:s}", "work_date", row.work_date, "status", row.status);
    char body[1200];
    snprintf(body, sizeof(body), "LKH tanggal %s%s%s", row.work_date, note ? ": " : "", note ? note : "");
    eo_notice n = {
        .kind = kind, .title = title, .body = body, .target_type = TARGET_TYPE, .target_id = target, .data = data};
    eo_status st = eo_svc_notify(u, to, subject, &n, NULL, err);
    json_decref(data);
    return st;
}

static eo_status store(eo_uow *u, eo_db *db, const eo_review_record *rec, eo_review_action action, eo_review_state next,
                       const char *note, const void *changes, eo_err *err)
{
    (void)next;
    (void)changes;
    long long me = u->who->employee_id;
    switch (action) {
    case EO_REVIEW_SUBMIT: {
        json_t *r = NULL;
        if (eo_db_lkh_get(db, rec->id, &r, err) != EO_OK) return err->status;
        size_t n = json_array_size(json_object_get(r, "activities"));
        json_decref(r);
        if (n == 0) {
            eo_err_field(err, "activities", "lkh_no_activities");
            return err->status;
        }
        if (!rec->reviewer_id) return eo_fail(err, EO_ERR_CONFLICT, "lkh_no_atasan");
        if (eo_db_lkh_step(db, rec->id, "submitted", 0, NULL, u->now, err) != EO_OK) return err->status;
        return tell(u, db, rec->id, EO_NOTIFY_SUPERVISOR, rec->author_id, "lkh.submitted", "LKH menunggu persetujuan",
                    NULL, err);
    }
    case EO_REVIEW_WITHDRAW: return eo_db_lkh_step(db, rec->id, "draft", 0, NULL, u->now, err);
    case EO_REVIEW_APPROVE:
        if (eo_db_lkh_step(db, rec->id, "approved", me, note, u->now, err) != EO_OK) return err->status;
        return tell(u, db, rec->id, EO_NOTIFY_EMPLOYEE, rec->author_id, "lkh.approved", "LKH disetujui", note, err);
    case EO_REVIEW_RETURN:
        if (eo_db_lkh_step(db, rec->id, "returned", me, note, u->now, err) != EO_OK) return err->status;
        return tell(u, db, rec->id, EO_NOTIFY_EMPLOYEE, rec->author_id, "lkh.returned", "LKH dikembalikan", note, err);
    default: return eo_fail(err, EO_ERR_CONFLICT, "review_transition_invalid"); /* an LKH is never rejected */
    }
}

const eo_review_kind eo_review_kind_lkh = {
    .kind = "lkh.report",
    .target_type = TARGET_TYPE,
    .not_found_code = "lkh_not_found",
    .load = load,
    .may_see = may_see,
    .store = store,
    .render = eo_db_lkh_get,
};

/* ---------------------------------------------------------------- authoring */

/* The author's own report in a state that may change (locked when in a
 * transaction). Others who may see it: 403 lkh_not_author; the rest: 404. */
static eo_status author_open(eo_uow *u, eo_db *db, const eo_lkh_row *row, eo_err *err)
{
    if (row->employee_id != u->who->employee_id) {
        bool see = false;
        if (eo_svc_access_can_view(u, db, row->employee_id, &see, err) != EO_OK) return err->status;
        return eo_fail(err, see ? EO_ERR_FORBIDDEN : EO_ERR_NOT_FOUND, see ? "lkh_not_author" : "lkh_not_found");
    }
    if (strcmp(row->status, "draft") && strcmp(row->status, "returned"))
        return eo_fail(err, EO_ERR_CONFLICT, "lkh_read_only");
    return EO_OK;
}

static eo_status day_allowed(const eo_uow *u, const eo_lkh_calendar *cal, eo_err *err)
{
    eo_lkh_day_verdict v = eo_lkh_day_check(&cal->schedule, cal->days, cal->n, cal->truncated, cal->future,
                                            u->app->cfg.lkh_backfill_workdays, cal->permitted);
    if (v == EO_LKH_DAY_OK) return EO_OK;
    eo_err_field(err, "work_date", eo_lkh_day_code(v));
    return err->status;
}

static eo_status audit_report(eo_uow *u, eo_db *db, const char *action, long long id, json_t **out, eo_err *err)
{
    char target[24];
    id_text(target, sizeof(target), id);
    if (eo_db_lkh_get(db, id, out, err) != EO_OK) return err->status;
    return eo_uow_audit(u, action, TARGET_TYPE, target, *out, err);
}

eo_status eo_svc_lkh_create(eo_uow *u, const eo_lkh_req *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    int y, m, d;
    if (!in->work_date)
        eo_err_field(err, "work_date", "missing_field");
    else if (!eo_presensi_parse_date(in->work_date, &y, &m, &d))
        eo_err_field(err, "work_date", "invalid_value");
    json_t *acts = NULL;
    normalise(in, &acts, err);
    if (err->status != EO_OK) goto done;
    eo_db *db;
    long long me = u->who->employee_id, id = 0;
    eo_lkh_calendar cal;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_lkh_calendar(db, me, in->work_date, u->now, &cal, err) != EO_OK ||
        day_allowed(u, &cal, err) != EO_OK)
        goto done;
    char *text = json_dumps(acts, JSON_COMPACT);
    if (!text) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    if (check_skp(db, me, in->work_date, text, err) == EO_OK && eo_db_begin(db, err) == EO_OK) {
        if (eo_db_lkh_create(db, me, in->work_date, text, &id, err) != EO_OK ||
            audit_report(u, db, "lkh.report.create", id, out, err) != EO_OK || eo_db_commit(db, err) != EO_OK)
            eo_db_rollback(db);
    }
    free(text);
done:
    json_decref(acts);
    if (err->status != EO_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

eo_status eo_svc_lkh_update(eo_uow *u, long long id, const eo_lkh_req *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    json_t *acts = NULL;
    char *text = NULL;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    eo_lkh_row row;
    /* who and state first: a bystander learns nothing from a validation answer */
    if (eo_db_lkh_lock(db, id, &row, err) != EO_OK || author_open(u, db, &row, err) != EO_OK) goto fail;
    if (normalise(in, &acts, err) != EO_OK) goto fail;
    text = json_dumps(acts, JSON_COMPACT);
    if (!text) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }
    if (check_skp(db, row.employee_id, row.work_date, text, err) != EO_OK ||
        eo_db_lkh_set_activities(db, id, text, err) != EO_OK ||
        audit_report(u, db, "lkh.report.edit", id, out, err) != EO_OK || eo_db_commit(db, err) != EO_OK)
        goto fail;
    free(text);
    json_decref(acts);
    return EO_OK;
fail:
    eo_db_rollback(db);
    free(text);
    json_decref(acts);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_lkh_get(eo_uow *u, long long id, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    eo_lkh_row row;
    bool see = false;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_lkh_read(db, id, &row, err) != EO_OK ||
        eo_svc_access_can_view(u, db, row.employee_id, &see, err) != EO_OK)
        return err->status;
    if (!see) return eo_fail(err, EO_ERR_NOT_FOUND, "lkh_not_found");
    return eo_db_lkh_get(db, id, out, err);
}

eo_status eo_svc_lkh_list(eo_uow *u, const eo_lkh_list_req *in, eo_svc_page_out *out, eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    int y, m, d;
    if (in->from && !eo_presensi_parse_date(in->from, &y, &m, &d)) eo_err_field(err, "from", "invalid_value");
    if (in->to && !eo_presensi_parse_date(in->to, &y, &m, &d)) eo_err_field(err, "to", "invalid_value");
    if (in->from && in->to && err->status == EO_OK && strcmp(in->from, in->to) > 0)
        eo_err_field(err, "to", "out_of_range");
    static const char *const states[] = {"draft", "submitted", "approved", "returned"};
    bool ok = !in->status;
    for (size_t i = 0; in->status && i < 4; i++) ok |= strcmp(in->status, states[i]) == 0;
    if (!ok || (in->team && in->status && strcmp(in->status, "draft") == 0))
        eo_err_field(err, "status", "invalid_value");
    if (in->nip && (!in->team || strlen(in->nip) != 18 || strspn(in->nip, "0123456789") != 18))
        eo_err_field(err, "nip", "invalid_value");
    eo_lkh_filter f = {.employee_id = u->who->employee_id,
                       .team = in->team,
                       .from = in->from,
                       .to = in->to,
                       .status = in->status,
                       .nip = in->nip,
                       .limit = in->page.limit};
    eo_db_keyset k;
    if (eo_db_keyset_from(in->page.after, &k, err) == EO_OK && k.set) {
        f.after_date = k.at;
        eo_parse_id(k.id, &f.after_id);
    }
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_lkh_list(db, &f, &out->items, &out->next, err);
}

eo_status eo_svc_lkh_act(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out, eo_err *err)
{
    return eo_svc_review_act(u, &eo_review_kind_lkh, id, action, note, out, err);
}

eo_status eo_svc_lkh_bulk_approve(eo_uow *u, const long long *ids, size_t n, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    json_t *results = json_array();
    int approved = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        eo_err e;
        eo_err_init(&e);
        json_t *rep = NULL;
        if (eo_svc_review_act(u, &eo_review_kind_lkh, ids[i], EO_REVIEW_APPROVE, NULL, &rep, &e) == EO_OK) {
            json_array_append_new(results,
                                  json_pack("{s:I, s:i, s:o}", "id", (json_int_t)ids[i], "status", 200, "report", rep));
            approved++;
        } else if (e.status == EO_ERR_UNAVAILABLE || e.status == EO_ERR_INTERNAL) {
            /* the database went away: the whole request fails, the steps done so far stay done */
            *err = e;
            json_decref(results);
            return err->status;
        } else {
            json_array_append_new(results, json_pack("{s:I, s:i, s:s}", "id", (json_int_t)ids[i], "status",
                                                     eo_status_http(e.status), "code", e.code ? e.code : "internal"));
            failed++;
            eo_err_clear(&e);
        }
    }
    *out = json_pack("{s:o, s:i, s:i}", "results", results, "approved", approved, "failed", failed);
    return EO_OK;
}

/* ---------------------------------------------------------------- evidence */

/* In the record's transaction: the (already stored) object's row, then the report names it. */
static eo_status attach_row(eo_uow *u, eo_db *db, long long id, eo_attachment *a, long long owner, long long put_after,
                            eo_err *err)
{
    if (eo_svc_attachment_insert(u, a, owner, put_after, err) != EO_OK) return err->status;
    return eo_db_lkh_set_attachment(db, id, a->id, err);
}

eo_status eo_svc_lkh_attach(eo_uow *u, long long id, const eo_attachment_policy *policy, const unsigned char *data,
                            size_t len, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    eo_lkh_row row;
    long long t = 0;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_lkh_read(db, id, &row, err) != EO_OK ||
        author_open(u, db, &row, err) != EO_OK)
        return err->status;
    eo_attachment a;
    if (check_file(policy, data, len, &a, err) != EO_OK || eo_db_attachment_clock(db, &t, err) != EO_OK)
        return err->status;
    eo_uow_db_release(u);
    if (eo_svc_attachment_put(u, &a, data, err) != EO_OK || eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_lkh_lock(db, id, &row, err) != EO_OK || author_open(u, db, &row, err) != EO_OK ||
        attach_row(u, db, id, &a, row.employee_id, t, err) != EO_OK ||
        audit_report(u, db, "lkh.report.attach", id, out, err) != EO_OK || eo_db_commit(db, err) != EO_OK) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

static eo_status may_read(eo_uow *u, long long owner, bool *allowed, eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_svc_access_can_view(u, db, owner, allowed, err);
}

eo_status eo_svc_lkh_attachment_read(eo_uow *u, long long id, eo_attachment_blob *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    eo_lkh_row row;
    bool see = false;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_lkh_read(db, id, &row, err) != EO_OK) {
        if (err->status != EO_ERR_NOT_FOUND) return err->status;
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_NOT_FOUND, "lkh_attachment_not_found");
    }
    if (eo_svc_access_can_view(u, db, row.employee_id, &see, err) != EO_OK) return err->status;
    if (!see || !row.attachment_id) return eo_fail(err, EO_ERR_NOT_FOUND, "lkh_attachment_not_found");
    return eo_svc_attachment_read(u, eo_lkh_evidence_policy.kind, row.attachment_id, may_read,
                                  "lkh_attachment_not_found", out, err);
}

/* ---------------------------------------------------------------- mobile: today */

/* The app's compact report: what the status screen shows. */
static json_t *compact(json_t *report)
{
    if (!report || json_is_null(report)) return json_null();
    json_t *att = json_object_get(report, "attachment");
    return json_pack("{s:O, s:O, s:O, s:O, s:I, s:b, s:O}", "id", json_object_get(report, "id"), "work_date",
                     json_object_get(report, "work_date"), "status", json_object_get(report, "status"), "total_minutes",
                     json_object_get(report, "total_minutes"), "activities",
                     (json_int_t)json_array_size(json_object_get(report, "activities")), "has_photo",
                     att && !json_is_null(att), "review_note", json_object_get(report, "review_note"));
}

eo_status eo_svc_lkh_today(eo_uow *u, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    eo_lkh_calendar cal;
    eo_lkh_row row;
    bool found = false;
    long long me = u->who->employee_id;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_lkh_calendar(db, me, NULL, u->now, &cal, err) != EO_OK ||
        eo_db_lkh_lock_day(db, me, cal.today, &row, &found, err) != EO_OK)
        return err->status;
    json_t *report = NULL;
    if (found && eo_db_lkh_get(db, row.id, &report, err) != EO_OK) return err->status;
    eo_lkh_day_verdict v = eo_lkh_day_check(&cal.schedule, cal.days, cal.n, false, false, 0, false);
    *out = json_pack("{s:s, s:b, s:o}", "work_date", cal.today, "working_day", v == EO_LKH_DAY_OK, "report",
                     compact(report));
    json_decref(report);
    return EO_OK;
}

/* The author's submit step inside the caller's transaction (the rule, the
 * store with its notification, the audit row), as eo_svc_review_act does it. */
static eo_status submit_here(eo_uow *u, eo_db *db, long long id, eo_review_record *rec, eo_err *err)
{
    eo_review_state next;
    json_t *shown = NULL;
    if (load(db, id, rec, err) != EO_OK ||
        eo_review_apply(rec->state, EO_REVIEW_SUBMIT, eo_svc_review_actor(u, rec), NULL, &next, err) != EO_OK ||
        store(u, db, rec, EO_REVIEW_SUBMIT, next, NULL, NULL, err) != EO_OK)
        return err->status;
    audit_report(u, db, "lkh.report.submit", id, &shown, err);
    json_decref(shown);
    return err->status;
}

static eo_status replay(const eo_idem_answer *stored, eo_lkh_today_res *out)
{
    out->replayed = true;
    out->status = stored->status;
    out->body = stored->body;
    return EO_OK;
}

eo_status eo_svc_lkh_save_today(eo_uow *u, const eo_lkh_today_req *in, eo_lkh_today_res *out, eo_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    json_t *acts = NULL, *shown = NULL;
    char *text = NULL;
    eo_attachment a;
    eo_idem_answer stored;
    if (eo_svc_idem_replay(u, in->request_hash, &stored, err) != EO_OK) return err->status;
    if (stored.replayed) return replay(&stored, out);
    if (normalise(in->report, &acts, err) != EO_OK) return err->status;
    if (in->photo && check_file(&eo_lkh_photo_policy, in->photo, in->photo_len, &a, err) != EO_OK) goto done;
    eo_db *db;
    eo_lkh_calendar cal;
    long long me = u->who->employee_id, id = 0;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_lkh_calendar(db, me, NULL, u->now, &cal, err) != EO_OK ||
        day_allowed(u, &cal, err) != EO_OK)
        goto done;
    text = json_dumps(acts, JSON_COMPACT);
    if (!text) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto done;
    }
    if (check_skp(db, me, cal.today, text, err) != EO_OK) goto done;
    if (in->photo) { /* durable before any row names it; no connection held meanwhile */
        eo_uow_db_release(u);
        if (eo_svc_attachment_put(u, &a, in->photo, err) != EO_OK || eo_uow_db(u, &db, err) != EO_OK) goto done;
    }
    if (eo_db_begin(db, err) != EO_OK) goto done;
    bool claimed = true, found = false;
    eo_review_record rec;
    memset(&rec, 0, sizeof(rec));
    if (eo_svc_idem_claim(u, "lkh.today", in->request_hash, &claimed, &stored, err) != EO_OK) goto fail;
    if (!claimed) { /* the same request committed meanwhile (claim rolled back): its answer stands */
        replay(&stored, out);
        goto done;
    }
    eo_lkh_row row;
    if (eo_db_lkh_lock_day(db, me, cal.today, &row, &found, err) != EO_OK) goto fail;
    if (found) {
        id = row.id;
        if (author_open(u, db, &row, err) != EO_OK || eo_db_lkh_set_activities(db, id, text, err) != EO_OK) goto fail;
    } else if (eo_db_lkh_create(db, me, cal.today, text, &id, err) != EO_OK) {
        goto fail;
    }
    if (in->photo && attach_row(u, db, id, &a, me, cal.db_epoch, err) != EO_OK) goto fail;
    if (audit_report(u, db, found ? "lkh.report.edit" : "lkh.report.create", id, &shown, err) != EO_OK) goto fail;
    if (in->submit) {
        json_decref(shown);
        shown = NULL;
        if (submit_here(u, db, id, &rec, err) != EO_OK || eo_db_lkh_get(db, id, &shown, err) != EO_OK) goto fail;
    }
    json_t *small = compact(shown);
    out->body = json_dumps(small, JSON_COMPACT);
    json_decref(small);
    out->status = found ? 200 : 201;
    if (!out->body) {
        eo_fail(err, EO_ERR_INTERNAL, "internal");
        goto fail;
    }
    if (eo_svc_idem_complete(u, out->status, out->body, err) != EO_OK || eo_db_commit(db, err) != EO_OK) goto fail;
    if (in->submit) { /* the review hook hears of this step as of any other */
        eo_review_event ev = {.kind = eo_review_kind_lkh.kind,
                              .record_id = id,
                              .action = EO_REVIEW_SUBMIT,
                              .from = rec.state,
                              .to = EO_REVIEW_SUBMITTED,
                              .actor_id = me,
                              .author_id = me,
                              .reviewer_id = rec.reviewer_id,
                              .at = u->now};
        eo_svc_review_notify(u, &ev);
    }
    goto done;
fail:
    eo_db_rollback(db);
    free(out->body);
    out->body = NULL;
done:
    json_decref(shown);
    free(text);
    json_decref(acts);
    return err->status;
}

/* ---------------------------------------------------------------- late permits */

eo_status eo_svc_lkh_permit(eo_uow *u, const char *nip, const char *work_date, json_t **out, bool *created, eo_err *err)
{
    *out = NULL;
    *created = false;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    int y, m, d;
    if (!eo_presensi_parse_date(work_date, &y, &m, &d)) eo_err_field(err, "work_date", "invalid_value");
    if (strlen(nip) != 18 || strspn(nip, "0123456789") != 18) eo_err_field(err, "nip", "invalid_value");
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    long long target = 0;
    bool may = false;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_employee_id(db, nip, true, NULL, &target, err) != EO_OK)
        return err->status;
    if (target && eo_svc_access_can_manage(u, db, target, &may, err) != EO_OK) return err->status;
    if (!target || !may) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    eo_lkh_calendar cal;
    if (eo_db_lkh_calendar(db, target, work_date, u->now, &cal, err) != EO_OK) return err->status;
    eo_lkh_day_verdict v = eo_lkh_day_check(&cal.schedule, cal.days, cal.n, false, cal.future, 0, true);
    if (v != EO_LKH_DAY_OK) {
        eo_err_field(err, "work_date", eo_lkh_day_code(v));
        return err->status;
    }
    *out = json_pack("{s:s, s:s}", "nip", nip, "work_date", work_date);
    char target_id[48];
    snprintf(target_id, sizeof(target_id), "%s:%s", nip, work_date);
    if (eo_db_begin(db, err) != EO_OK) goto fail_open;
    if (eo_db_lkh_permit(db, target, work_date, u->who->employee_id, created, err) != EO_OK) goto fail;
    if (*created) {
        char body[64];
        snprintf(body, sizeof(body), "LKH tanggal %s dapat diisi", work_date);
        eo_notice n = {.kind = "lkh.permitted",
                       .title = "Izin mengisi LKH terlambat",
                       .body = body,
                       .target_type = "lkh_permit",
                       .target_id = target_id,
                       .data = *out};
        if (eo_uow_audit(u, "lkh.permit.grant", "lkh_permit", target_id, *out, err) != EO_OK ||
            eo_svc_notify(u, EO_NOTIFY_EMPLOYEE, target, &n, NULL, err) != EO_OK)
            goto fail;
    }
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    return EO_OK;
fail:
    eo_db_rollback(db);
fail_open:
    json_decref(*out);
    *out = NULL;
    return err->status;
}

/* ---------------------------------------------------------------- SKP targets */

static eo_status skp_validate(const eo_skp_in *in, eo_err *err)
{
    if (in->title && blank(in->title)) eo_err_field(err, "title", "missing_field");
    if (in->unit && blank(in->unit)) eo_err_field(err, "unit", "missing_field");
    return err->status;
}

static eo_status skp_write(eo_uow *u, const char *action, long long id, const eo_skp_in *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    if (skp_validate(in, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_begin(db, err) != EO_OK) return err->status;
    eo_skp_target_req q = {in->year, in->title, in->target_quantity, in->unit};
    eo_status st = id ? eo_db_skp_update(db, u->who->employee_id, id, &q, out, err)
                      : eo_db_skp_create(db, u->who->employee_id, &q, out, &id, err);
    char target[24];
    id_text(target, sizeof(target), id);
    if (st != EO_OK || eo_uow_audit(u, action, "skp_target", target, *out, err) != EO_OK ||
        eo_db_commit(db, err) != EO_OK) {
        eo_db_rollback(db);
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

eo_status eo_svc_skp_create(eo_uow *u, const eo_skp_in *in, json_t **out, eo_err *err)
{
    return skp_write(u, "lkh.skp.create", 0, in, out, err);
}

eo_status eo_svc_skp_update(eo_uow *u, long long id, const eo_skp_in *in, json_t **out, eo_err *err)
{
    return skp_write(u, "lkh.skp.update", id, in, out, err);
}

eo_status eo_svc_skp_delete(eo_uow *u, long long id, eo_err *err)
{
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db *db;
    json_t *old = NULL;
    if (eo_uow_db(u, &db, err) != EO_OK || eo_db_begin(db, err) != EO_OK) return err->status;
    char target[24];
    id_text(target, sizeof(target), id);
    if (eo_db_skp_delete(db, u->who->employee_id, id, &old, err) != EO_OK ||
        eo_uow_audit(u, "lkh.skp.delete", "skp_target", target, old, err) != EO_OK || eo_db_commit(db, err) != EO_OK)
        eo_db_rollback(db);
    json_decref(old);
    return err->status;
}

eo_status eo_svc_skp_list(eo_uow *u, int year, const eo_svc_page_in *page, eo_svc_page_out *out, eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_db_keyset k;
    long long after_id = 0;
    if (eo_db_keyset_from(page->after, &k, err) != EO_OK) return err->status;
    if (k.set) eo_parse_id(k.id, &after_id);
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_skp_list(db, u->who->employee_id, year, k.set ? k.at : NULL, after_id, page->limit, &out->items,
                          &out->next, err);
}
