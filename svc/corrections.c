#include "svc/corrections.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "core/presensi.h"
#include "core/presensi_rules.h"
#include "db/keyset.h"
#include "svc/access.h"

/* ---------------------------------------------------------------- the review plug */

static eo_status load(eo_db *db, long long id, eo_review_record *rec, eo_err *err)
{
    eo_correction_row row;
    if (eo_db_correction_lock(db, id, &row, err) != EO_OK) return err->status;
    rec->id = id;
    rec->author_id = row.employee_id;
    rec->reviewer_id = row.supervisor_id;
    if (strcmp(row.status, "pending") == 0)
        rec->state = EO_REVIEW_SUBMITTED;
    else if (!eo_review_state_parse(row.status, &rec->state))
        return eo_fail_log(err, EO_ERR_INTERNAL, "internal", "correction %lld: status %s", id, row.status);
    return EO_OK;
}

/* Those who may see the author's attendance learn the request exists (403 when
 * they try to decide it); everyone else gets 404. */
static eo_status may_see(eo_uow *u, eo_db *db, const eo_review_record *rec, bool *ok, eo_err *err)
{
    return eo_svc_access_can_view(u, db, rec->author_id, ok, err);
}

static bool blank(const char *s) { return strspn(s, " \t\r\n") == strlen(s); }

/* A resubmission: the stored request with the author's changes, checked as a
 * whole (one time at least; check-out after check-in), then back to pending. */
static eo_status resubmit(eo_db *db, const eo_review_record *rec, const eo_correction_edit *e, eo_err *err)
{
    eo_correction_row row;
    if (eo_db_correction_lock(db, rec->id, &row, err) != EO_OK) return err->status;
    const char *in = row.check_in[0] ? row.check_in : NULL, *out = row.check_out[0] ? row.check_out : NULL;
    if (e && e->check_in) in = e->check_in;
    if (e && e->clear_check_in) in = NULL;
    if (e && e->check_out) out = e->check_out;
    if (e && e->clear_check_out) out = NULL;
    int in_min = -1, out_min = -1;
    if (in && !eo_presensi_parse_hhmm(in, &in_min)) eo_err_field(err, "requested_check_in", "invalid_value");
    if (out && !eo_presensi_parse_hhmm(out, &out_min)) eo_err_field(err, "requested_check_out", "invalid_value");
    if (!in && !out) eo_err_field(err, "requested_check_out", "missing_field");
    if (in_min >= 0 && out_min >= 0 && out_min <= in_min) eo_err_field(err, "requested_check_out", "out_of_range");
    if (err->status != EO_OK) return err->status;
    return eo_db_correction_resubmit(db, rec->id, in, out, e ? e->reason : NULL, err);
}

static eo_status store(eo_uow *u, eo_db *db, const eo_review_record *rec, eo_review_action action, eo_review_state next,
                       const char *note, const void *changes, eo_err *err)
{
    switch (action) {
    case EO_REVIEW_APPROVE:
    case EO_REVIEW_REJECT:
        return eo_db_correction_decide(db, rec->id, u->who->employee_id, next == EO_REVIEW_APPROVED, note, u->now, err);
    case EO_REVIEW_RETURN: /* the atasan's note tells the author what to fix */
        return eo_db_correction_step(db, rec->id, "returned", u->who->employee_id, note, u->now, err);
    case EO_REVIEW_WITHDRAW: return eo_db_correction_step(db, rec->id, "draft", 0, NULL, u->now, err);
    case EO_REVIEW_SUBMIT: /* from returned or draft: the author files it again */
        return resubmit(db, rec, changes, err);
    default: return eo_fail(err, EO_ERR_CONFLICT, "review_transition_invalid");
    }
}

const eo_review_kind eo_review_kind_correction = {
    .kind = "presensi.correction",
    .target_type = "attendance_correction",
    .not_found_code = "correction_not_found",
    .not_reviewer_code = "not_supervisor",
    .closed_code = "correction_not_pending",
    .load = load,
    .may_see = may_see,
    .store = store,
    .render = eo_db_correction_get,
};

/* ---------------------------------------------------------------- use cases */

static void validate(const eo_correction_req *q, eo_err *err)
{
    int y, m, d, in_min = -1, out_min = -1;
    if (q->work_date && !eo_presensi_parse_date(q->work_date, &y, &m, &d))
        eo_err_field(err, "work_date", "invalid_value");
    static const char *const kinds[] = {"forgot_check_out", "forgot_check_in", "app_failure", "other"};
    bool kind_ok = false;
    for (size_t i = 0; q->kind && i < sizeof(kinds) / sizeof(kinds[0]); i++) kind_ok |= strcmp(q->kind, kinds[i]) == 0;
    if (q->kind && !kind_ok) eo_err_field(err, "kind", "invalid_value");
    if (q->check_in && !eo_presensi_parse_hhmm(q->check_in, &in_min))
        eo_err_field(err, "requested_check_in", "invalid_value");
    if (q->check_out && !eo_presensi_parse_hhmm(q->check_out, &out_min))
        eo_err_field(err, "requested_check_out", "invalid_value");
    if (!q->check_in && !q->check_out) eo_err_field(err, "requested_check_out", "missing_field");
    if (in_min >= 0 && out_min >= 0 && out_min <= in_min) eo_err_field(err, "requested_check_out", "out_of_range");
    if (q->reason && blank(q->reason)) eo_err_field(err, "reason", "missing_field");
    if (!q->work_date) eo_err_field(err, "work_date", "missing_field");
    if (!q->kind) eo_err_field(err, "kind", "missing_field");
    if (!q->reason) eo_err_field(err, "reason", "missing_field");
}

/* A correction fixes a day the employee had to attend (the schedule has hours
 * that weekday and it is no holiday) or a day that already has a record;
 * anything else (a Saturday of a 5-day schedule, a holiday) is refused. */
static eo_status check_day(eo_db *db, long long employee_id, const char *work_date, double now, eo_err *err)
{
    eo_correction_day d;
    if (eo_db_correction_day(db, employee_id, work_date, now, &d, err) != EO_OK) return err->status;
    if (d.future) return eo_fail(err, EO_ERR_INVALID, "correction_future_date");
    if (d.has_record) return EO_OK;
    eo_schedule s;
    memset(&s, 0, sizeof(s));
    if (d.isodow >= 1 && d.isodow <= 7) {
        if (d.normal[0] >= 0 && d.normal[1] >= 0)
            s.slots[0][d.isodow] = (eo_schedule_slot){true, d.normal[0], d.normal[1]};
        if (d.ramadan[0] >= 0 && d.ramadan[1] >= 0)
            s.slots[1][d.isodow] = (eo_schedule_slot){true, d.ramadan[0], d.ramadan[1]};
    }
    eo_presensi_day day;
    eo_presensi_day_resolve(&s, d.isodow, d.in_ramadan, d.holiday, &day);
    if (!day.working_day) return eo_fail(err, EO_ERR_INVALID, "correction_not_working_day");
    return EO_OK;
}

eo_status eo_svc_correction_create(eo_uow *u, const eo_correction_req *in, json_t **out, eo_err *err)
{
    *out = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    validate(in, err);
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (check_day(db, u->who->employee_id, in->work_date, u->now, err) != EO_OK) return err->status;
    long long id = 0;
    if (eo_db_begin(db, err) != EO_OK) return err->status;
    if (eo_db_correction_create(db, u->who->employee_id, in, u->now, out, &id, err) != EO_OK) goto fail;
    char target[24];
    snprintf(target, sizeof(target), "%lld", id);
    if (eo_uow_audit(u, "presensi.correction.submit", eo_review_kind_correction.target_type, target, *out, err) !=
        EO_OK)
        goto fail;
    eo_correction_row row;
    if (eo_db_correction_lock(db, id, &row, err) != EO_OK) goto fail;
    if (eo_db_commit(db, err) != EO_OK) goto fail;
    eo_review_event ev = {
        .kind = eo_review_kind_correction.kind,
        .record_id = id,
        .action = EO_REVIEW_SUBMIT,
        .from = EO_REVIEW_DRAFT,
        .to = EO_REVIEW_SUBMITTED,
        .actor_id = u->who->employee_id,
        .author_id = u->who->employee_id,
        .reviewer_id = row.supervisor_id,
        .at = u->now,
    };
    eo_svc_review_notify(u, &ev);
    return EO_OK;
fail:
    eo_db_rollback(db);
    json_decref(*out);
    *out = NULL;
    return err->status;
}

eo_status eo_svc_correction_list(eo_uow *u, const eo_correction_list_req *in, eo_correction_list_res *out, eo_err *err)
{
    out->items = out->next = NULL;
    if (!u->who) return eo_fail(err, EO_ERR_UNAUTHORIZED, "unauthorized");
    eo_review_state st;
    if (in->status && strcmp(in->status, "pending") &&
        (!eo_review_state_parse(in->status, &st) || st == EO_REVIEW_SUBMITTED))
        eo_err_field(err, "status", "invalid_value"); /* stored words: pending (= submitted), draft, returned, ... */
    eo_correction_filter f = {
        .employee_id = u->who->employee_id,
        .team = in->team,
        .status = in->status,
        .limit = in->limit,
    };
    /* what eo_db_correction_list handed out: [created_at, id] */
    eo_db_keyset k;
    if (eo_db_keyset_from(in->after, &k, err) == EO_OK && k.set) {
        f.after_created_at = k.at;
        eo_parse_id(k.id, &f.after_id);
    }
    if (err->status != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    if (eo_db_correction_list(db, &f, &out->items, &out->next, err) != EO_OK) return err->status;
    return EO_OK;
}

eo_status eo_svc_correction_decide(eo_uow *u, long long id, eo_review_action action, const char *note, json_t **out,
                                   eo_err *err)
{
    return eo_svc_review_act(u, &eo_review_kind_correction, id, action, note, out, err);
}

eo_status eo_svc_correction_resubmit(eo_uow *u, long long id, const eo_correction_edit *in, json_t **out, eo_err *err)
{
    *out = NULL;
    /* The edit's own form first (the whole request is checked once merged). */
    int minutes;
    if (in->check_in && !eo_presensi_parse_hhmm(in->check_in, &minutes))
        eo_err_field(err, "requested_check_in", "invalid_value");
    if (in->check_out && !eo_presensi_parse_hhmm(in->check_out, &minutes))
        eo_err_field(err, "requested_check_out", "invalid_value");
    if (in->reason && blank(in->reason)) eo_err_field(err, "reason", "missing_field");
    if (err->status != EO_OK) return err->status;
    return eo_svc_review_act_with(u, &eo_review_kind_correction, id, EO_REVIEW_SUBMIT, NULL, in, out, err);
}
