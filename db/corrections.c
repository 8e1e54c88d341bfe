#include "db/corrections.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

#define UTC_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
/* The paging key keeps microseconds: two requests in one second stay ordered. */
#define KEY_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'"

#define CORRECTION_JSON                                                                                                \
    "jsonb_build_object('id', c.id, 'employee', jsonb_build_object('nip', e.nip, 'name', e.name),"                     \
    "'work_date', to_char(c.work_date, 'YYYY-MM-DD'), 'kind', c.kind,"                                                 \
    "'requested_check_in', to_char(c.requested_check_in, 'HH24:MI'),"                                                  \
    "'requested_check_out', to_char(c.requested_check_out, 'HH24:MI'),"                                                \
    "'reason', c.reason, 'status', c.status,"                                                                          \
    "'decided_by', (select jsonb_build_object('nip', d.nip, 'name', d.name) from employees d"                          \
    "  where d.id = c.decided_by),"                                                                                    \
    "'decided_at', to_char(c.decided_at at time zone 'UTC', " UTC_FMT "),"                                             \
    "'decision_note', c.decision_note,"                                                                                \
    "'created_at', to_char(c.created_at at time zone 'UTC', " UTC_FMT "))"

eo_status eo_db_correction_create(eo_db *db, long long employee_id, const eo_correction_req *q, double now,
                                  json_t **out, long long *id, eo_err *err)
{
    static const char sql[] =
        "with e as (select e.id, e.nip, e.name,"
        "   (to_timestamp($7) at time zone coalesce(l.time_zone, 'Asia/Jakarta'))::date as today"
        "  from employees e left join office_locations l on l.id = e.office_location_id where e.id = $1),"
        " c as (insert into attendance_corrections (employee_id, work_date, kind, requested_check_in,"
        "  requested_check_out, reason, created_at) select e.id, $2::date, $3, $4::time, $5::time, $6, to_timestamp($7)"
        "  from e where $2::date <= e.today returning *)"
        " select c.id, " CORRECTION_JSON "::text from c join e on e.id = c.employee_id";
    char emp[24], at[32];
    snprintf(emp, sizeof(emp), "%lld", employee_id);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *params[] = {emp, q->work_date, q->kind, q->check_in, q->check_out, q->reason, at};
    *out = NULL;
    PGresult *r = eo_db_one(db, "corr_create", sql, 7, params, NULL, err);
    if (!r) {
        if (err->status == EO_OK) return eo_fail(err, EO_ERR_INVALID, "correction_future_date");
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "correction_exists");
        }
        return eo_db_value_error(db, err);
    }
    *id = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, out, err);
    PQclear(r);
    return st;
}

/* local minutes of column col, -1 when NULL */
static int minutes_or_none(PGresult *r, int col) { return eo_db_get(r, 0, col) ? (int)eo_db_get_ll(r, 0, col) : -1; }

eo_status eo_db_correction_day(eo_db *db, long long employee_id, const char *work_date, double now,
                               eo_correction_day *out, eo_err *err)
{
    // clang-format off
#define SLOT(col, season)                                                                                              \
    "(select (extract(epoch from " col ") / 60)::int from work_schedule_days"                                          \
    " where schedule_id = e.work_schedule_id and season = '" season "' and isodow = extract(isodow from $2::date))"
    static const char sql[] =
        "select $2::date > (to_timestamp($3) at time zone coalesce(l.time_zone, 'Asia/Jakarta'))::date,"
        " extract(isodow from $2::date)::int,"
        " " SLOT("start_time", "normal") ", " SLOT("end_time", "normal") ","
        " " SLOT("start_time", "ramadan") ", " SLOT("end_time", "ramadan") ","
        " exists (select 1 from ramadan_periods where $2::date between start_date and end_date),"
        " exists (select 1 from public_holidays where holiday_date = $2::date),"
        " exists (select 1 from attendance where employee_id = e.id and work_date = $2::date)"
        " from employees e left join office_locations l on l.id = e.office_location_id where e.id = $1";
#undef SLOT
    // clang-format on
    char emp[24], at[32];
    snprintf(emp, sizeof(emp), "%lld", employee_id);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *params[] = {emp, work_date, at};
    memset(out, 0, sizeof(*out));
    PGresult *r = eo_db_one(db, "corr_day", sql, 3, params, "employee_not_found", err);
    if (!r) return err->status;
    out->future = eo_db_bool(r, 0, 0);
    out->isodow = (int)eo_db_get_ll(r, 0, 1);
    out->normal[0] = minutes_or_none(r, 2);
    out->normal[1] = minutes_or_none(r, 3);
    out->ramadan[0] = minutes_or_none(r, 4);
    out->ramadan[1] = minutes_or_none(r, 5);
    out->in_ramadan = eo_db_bool(r, 0, 6);
    out->holiday = eo_db_bool(r, 0, 7);
    out->has_record = eo_db_bool(r, 0, 8);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_correction_list(eo_db *db, const eo_correction_filter *f, json_t **items, json_t **next, eo_err *err)
{
    /* A read-only view: the rows are rendered in SQL, nothing reads them back. */
    static const char sql[] =
        "select " CORRECTION_JSON "::text, to_char(c.created_at at time zone 'UTC', " KEY_FMT "), c.id"
        " from attendance_corrections c join employees e on e.id = c.employee_id"
        " where case when $2::boolean then e.supervisor_id = $1 else c.employee_id = $1 end"
        "   and ($3::text is null or c.status = $3)"
        "   and not ($2::boolean and c.status = 'draft')" /* a withdrawn request is the author's alone */
        "   and ($4::timestamptz is null or (c.created_at, c.id) < ($4::timestamptz, $5::bigint))"
        " order by c.created_at desc, c.id desc limit $6";
    char emp[24], after[24], lim[16];
    snprintf(emp, sizeof(emp), "%lld", f->employee_id);
    snprintf(after, sizeof(after), "%lld", f->after_id);
    snprintf(lim, sizeof(lim), "%d", f->limit + 1); /* one more tells whether a next page exists */
    const char *params[] = {emp, f->team ? "true" : "false", f->status, f->after_created_at, after, lim};
    *items = *next = NULL;
    PGresult *r = eo_db_exec(db, "corr_list", sql, 6, params, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, f->limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_correction_lock(eo_db *db, long long id, eo_correction_row *row, eo_err *err)
{
    char cid[24];
    snprintf(cid, sizeof(cid), "%lld", id);
    const char *params[] = {cid};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, "corr_lock",
                            "select c.employee_id, e.supervisor_id, c.status,"
                            " coalesce(to_char(c.requested_check_in, 'HH24:MI'), ''),"
                            " coalesce(to_char(c.requested_check_out, 'HH24:MI'), '')"
                            " from attendance_corrections c"
                            " join employees e on e.id = c.employee_id where c.id = $1 for update of c",
                            1, params, "correction_not_found", err);
    if (!r) return err->status;
    row->employee_id = eo_db_get_ll(r, 0, 0);
    row->supervisor_id = eo_db_get_ll(r, 0, 1);
    eo_db_copy(row->status, sizeof(row->status), r, 0, 2);
    eo_db_copy(row->check_in, sizeof(row->check_in), r, 0, 3);
    eo_db_copy(row->check_out, sizeof(row->check_out), r, 0, 4);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_correction_decide(eo_db *db, long long id, long long decided_by, bool approve, const char *note,
                                  double now, eo_err *err)
{
    char cid[24], by[24], at[32];
    snprintf(cid, sizeof(cid), "%lld", id);
    snprintf(by, sizeof(by), "%lld", decided_by);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p1[] = {cid, by, approve ? "approved" : "rejected", note, at};
    if (eo_db_run(db,
                  "update attendance_corrections set status = $3, decided_by = $2, decided_at = to_timestamp($5),"
                  " decision_note = $4 where id = $1",
                  5, p1, err) != EO_OK)
        return eo_db_value_error(db, err);
    if (!approve) return EO_OK;
    static const char apply[] =
        "with c as (select c.*, coalesce(l.time_zone, 'Asia/Jakarta') as tz from attendance_corrections c"
        "  join employees e on e.id = c.employee_id"
        "  left join office_locations l on l.id = e.office_location_id where c.id = $1)"
        " insert into attendance as a (employee_id, work_date, time_zone, source, check_in_at, check_out_at,"
        "  corrected_by)"
        " select c.employee_id, c.work_date, c.tz, 'correction',"
        "  (c.work_date + c.requested_check_in) at time zone c.tz,"
        "  (c.work_date + c.requested_check_out) at time zone c.tz, $2 from c"
        " on conflict (employee_id, work_date) do update set"
        "  check_in_at = coalesce((excluded.work_date + (select requested_check_in from c)) at time zone a.time_zone,"
        "                         a.check_in_at),"
        "  check_out_at = coalesce((excluded.work_date + (select requested_check_out from c)) at time zone a.time_zone,"
        "                          a.check_out_at),"
        "  corrected_by = excluded.corrected_by";
    const char *p2[] = {cid, by};
    if (eo_db_run(db, apply, 2, p2, err) != EO_OK) {
        /* e.g. the corrected check-out would fall before the recorded check-in */
        if (eo_db_value_error(db, err) == EO_ERR_INVALID) {
            eo_err_clear(err);
            eo_err_field(err, "requested_check_out", "out_of_range");
        }
        return err->status;
    }
    return EO_OK;
}

eo_status eo_db_correction_step(eo_db *db, long long id, const char *status, long long by, const char *note, double now,
                                eo_err *err)
{
    char cid[24], sby[24], at[32];
    snprintf(cid, sizeof(cid), "%lld", id);
    snprintf(sby, sizeof(sby), "%lld", by);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {cid, status, by ? sby : NULL, note, at};
    if (eo_db_run(db,
                  "update attendance_corrections set status = $2, decided_by = $3::bigint,"
                  " decided_at = case when $3::bigint is null then null else to_timestamp($5) end,"
                  " decision_note = $4 where id = $1",
                  5, p, err) != EO_OK)
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_correction_resubmit(eo_db *db, long long id, const char *check_in, const char *check_out,
                                    const char *reason, eo_err *err)
{
    char cid[24];
    snprintf(cid, sizeof(cid), "%lld", id);
    const char *p[] = {cid, check_in, check_out, reason};
    if (eo_db_run(db,
                  "update attendance_corrections set status = 'pending', requested_check_in = $2::time,"
                  " requested_check_out = $3::time, reason = coalesce($4, reason),"
                  " decided_by = null, decided_at = null, decision_note = null where id = $1",
                  4, p, err) != EO_OK) {
        if (err->status == EO_ERR_CONFLICT) { /* the day's one pending slot is taken */
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "correction_exists");
        }
        return eo_db_value_error(db, err);
    }
    return EO_OK;
}

eo_status eo_db_correction_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    char cid[24];
    snprintf(cid, sizeof(cid), "%lld", id);
    const char *params[] = {cid};
    *out = NULL;
    PGresult *r = eo_db_one(db, "corr_get",
                            "select " CORRECTION_JSON "::text from attendance_corrections c"
                            " join employees e on e.id = c.employee_id where c.id = $1",
                            1, params, "correction_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}
