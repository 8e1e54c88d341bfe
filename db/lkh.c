#include "db/lkh.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

static void ll(char *buf, size_t cap, long long v) { snprintf(buf, cap, "%lld", v); }

eo_status eo_db_lkh_calendar(eo_db *db, long long employee_id, const char *work_date, double now, eo_lkh_calendar *out,
                             eo_err *err)
{
    static const char days_sql[] =
        "with e as (select e.id, (to_timestamp($3) at time zone coalesce(l.time_zone, 'Asia/Jakarta'))::date as today"
        "  from employees e left join office_locations l on l.id = e.office_location_id where e.id = $1),"
        " d as (select coalesce($2::date, e.today) as day0, e.today from e)"
        " select extract(isodow from g)::int,"
        "  exists (select 1 from public_holidays where holiday_date = g::date),"
        "  exists (select 1 from ramadan_periods where g::date between start_date and end_date),"
        "  d.day0 > d.today, d.today > d.day0 + $4::int,"
        "  exists (select 1 from lkh_late_permits p where p.employee_id = $1 and p.work_date = d.day0),"
        "  to_char(d.today, 'YYYY-MM-DD'), extract(epoch from now())::bigint"
        " from d, generate_series(d.day0, greatest(d.day0, least(d.today, d.day0 + $4::int)), interval '1 day') g"
        " order by g";
    static const char schedule_sql[] = "select season = 'ramadan', isodow, (extract(epoch from start_time) / 60)::int,"
                                       " (extract(epoch from end_time) / 60)::int from work_schedule_days"
                                       " where schedule_id = (select work_schedule_id from employees where id = $1)";
    char emp[24], at[32], cap[16];
    ll(emp, sizeof(emp), employee_id);
    snprintf(at, sizeof(at), "%.6f", now);
    snprintf(cap, sizeof(cap), "%d", EO_LKH_CAL_MAX);
    memset(out, 0, sizeof(*out));
    const char *p1[] = {emp, work_date, at, cap};
    PGresult *r = eo_db_exec(db, "lkh_calendar", days_sql, 4, p1, err);
    if (!r) return eo_db_value_error(db, err);
    int rows = PQntuples(r);
    if (rows < 1 || rows > EO_LKH_CAL_MAX + 1) {
        PQclear(r);
        return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    }
    for (int i = 0; i < rows; i++) {
        out->days[i].isodow = (int)eo_db_get_ll(r, i, 0);
        out->days[i].holiday = eo_db_bool(r, i, 1);
        out->days[i].ramadan = eo_db_bool(r, i, 2);
    }
    out->n = (size_t)rows;
    out->future = eo_db_bool(r, 0, 3);
    out->truncated = eo_db_bool(r, 0, 4);
    out->permitted = eo_db_bool(r, 0, 5);
    eo_db_copy(out->today, sizeof(out->today), r, 0, 6);
    out->db_epoch = eo_db_get_ll(r, 0, 7);
    PQclear(r);
    const char *p2[] = {emp};
    r = eo_db_exec(db, "lkh_schedule", schedule_sql, 1, p2, err);
    if (!r) return err->status;
    for (int i = 0; i < PQntuples(r); i++) {
        int season = eo_db_bool(r, i, 0) ? 1 : 0, dow = (int)eo_db_get_ll(r, i, 1);
        if (dow < 1 || dow > 7) continue;
        out->schedule.slots[season][dow] =
            (eo_schedule_slot){true, (int)eo_db_get_ll(r, i, 2), (int)eo_db_get_ll(r, i, 3)};
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_lkh_foreign_skp(eo_db *db, long long employee_id, int year, const char *activities_json, json_t **bad,
                                eo_err *err)
{
    static const char sql[] = "select (x.ord - 1)::int from jsonb_array_elements($1::jsonb) with ordinality x(v, ord)"
                              " where x.v->>'skp_target_id' is not null and not exists (select 1 from skp_targets s"
                              "  where s.id = (x.v->>'skp_target_id')::bigint and s.employee_id = $2 and s.year = $3)"
                              " order by 1";
    char emp[24], y[16];
    ll(emp, sizeof(emp), employee_id);
    snprintf(y, sizeof(y), "%d", year);
    const char *p[] = {activities_json, emp, y};
    *bad = NULL;
    PGresult *r = eo_db_exec(db, "lkh_foreign_skp", sql, 3, p, err);
    if (!r) return eo_db_value_error(db, err);
    *bad = json_array();
    for (int i = 0; i < PQntuples(r); i++) json_array_append_new(*bad, json_integer(eo_db_get_ll(r, i, 0)));
    PQclear(r);
    return EO_OK;
}

#define INSERT_ACTIVITIES(report)                                                                                      \
    "insert into lkh_activities (report_id, position, description, start_time, end_time, duration_min, output,"        \
    " quantity, unit, skp_target_id)"                                                                                  \
    " select " report ", x.ord, x.v->>'description', (x.v->>'start_time')::time, (x.v->>'end_time')::time,"            \
    " (x.v->>'duration_min')::int, x.v->>'output', (x.v->>'quantity')::int, x.v->>'unit',"                             \
    " (x.v->>'skp_target_id')::bigint"

eo_status eo_db_lkh_create(eo_db *db, long long employee_id, const char *work_date, const char *activities_json,
                           long long *id, eo_err *err)
{
    // clang-format off
    static const char sql[] =
        "with r as (insert into lkh_reports (employee_id, work_date) values ($1, $2::date) returning id),"
        " a as (" INSERT_ACTIVITIES("r.id") " from r, jsonb_array_elements($3::jsonb) with ordinality x(v, ord))"
        " select id from r";
    // clang-format on
    char emp[24];
    ll(emp, sizeof(emp), employee_id);
    const char *p[] = {emp, work_date, activities_json};
    PGresult *r = eo_db_one(db, "lkh_create", sql, 3, p, NULL, err);
    if (!r) {
        if (err->status == EO_ERR_CONFLICT) {
            eo_err_clear(err);
            return eo_fail(err, EO_ERR_CONFLICT, "lkh_report_exists");
        }
        if (err->status == EO_OK) return eo_fail(err, EO_ERR_INTERNAL, "internal");
        return eo_db_value_error(db, err);
    }
    *id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_lkh_set_activities(eo_db *db, long long id, const char *activities_json, eo_err *err)
{
    // clang-format off
    static const char ins[] =
        INSERT_ACTIVITIES("$1::bigint") " from jsonb_array_elements($2::jsonb) with ordinality x(v, ord)";
    // clang-format on
    char rid[24];
    ll(rid, sizeof(rid), id);
    const char *p1[] = {rid};
    const char *p2[] = {rid, activities_json};
    if (eo_db_run(db, "delete from lkh_activities where report_id = $1", 1, p1, err) != EO_OK ||
        eo_db_run(db, ins, 2, p2, err) != EO_OK ||
        eo_db_run(db, "update lkh_reports set updated_at = now() where id = $1", 1, p1, err) != EO_OK)
        return eo_db_value_error(db, err);
    return EO_OK;
}

#define LOCK_COLS                                                                                                      \
    "select r.id, r.employee_id, e.supervisor_id, r.attachment_id, r.status, to_char(r.work_date, 'YYYY-MM-DD')"       \
    " from lkh_reports r join employees e on e.id = r.employee_id"

static void fill_row(PGresult *r, eo_lkh_row *row)
{
    row->id = eo_db_get_ll(r, 0, 0);
    row->employee_id = eo_db_get_ll(r, 0, 1);
    row->supervisor_id = eo_db_get_ll(r, 0, 2);
    row->attachment_id = eo_db_get_ll(r, 0, 3);
    eo_db_copy(row->status, sizeof(row->status), r, 0, 4);
    eo_db_copy(row->work_date, sizeof(row->work_date), r, 0, 5);
}

eo_status eo_db_lkh_lock(eo_db *db, long long id, eo_lkh_row *row, eo_err *err)
{
    char rid[24];
    ll(rid, sizeof(rid), id);
    const char *p[] = {rid};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, "lkh_lock", LOCK_COLS " where r.id = $1 for update of r", 1, p, "lkh_not_found", err);
    if (!r) return err->status;
    fill_row(r, row);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_lkh_read(eo_db *db, long long id, eo_lkh_row *row, eo_err *err)
{
    char rid[24];
    ll(rid, sizeof(rid), id);
    const char *p[] = {rid};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, "lkh_read", LOCK_COLS " where r.id = $1", 1, p, "lkh_not_found", err);
    if (!r) return err->status;
    fill_row(r, row);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_lkh_lock_day(eo_db *db, long long employee_id, const char *work_date, eo_lkh_row *row, bool *found,
                             eo_err *err)
{
    char emp[24];
    ll(emp, sizeof(emp), employee_id);
    const char *p[] = {emp, work_date};
    memset(row, 0, sizeof(*row));
    *found = false;
    PGresult *r =
        eo_db_one(db, "lkh_lock_day", LOCK_COLS " where r.employee_id = $1 and r.work_date = $2 for update of r", 2, p,
                  NULL, err);
    if (!r) return err->status;
    fill_row(r, row);
    *found = true;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_lkh_step(eo_db *db, long long id, const char *status, long long by, const char *note, double now,
                         eo_err *err)
{
    static const char sql[] = "update lkh_reports set status = $2,"
                              " reviewer_id = case when $2 = 'submitted' then (select supervisor_id from employees"
                              "   where id = lkh_reports.employee_id) else $3::bigint end,"
                              " review_note = case when $2 = 'submitted' then null else $4 end,"
                              " submitted_at = case when $2 = 'submitted' then to_timestamp($5) else submitted_at end,"
                              " decided_at = case when $2 = 'submitted' then null else to_timestamp($5) end"
                              " where id = $1";
    char rid[24], sby[24], at[32];
    ll(rid, sizeof(rid), id);
    ll(sby, sizeof(sby), by);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {rid, status, by ? sby : NULL, note, at};
    if (eo_db_run(db, sql, 5, p, err) != EO_OK) return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_lkh_set_attachment(eo_db *db, long long id, long long att, eo_err *err)
{
    static const char sql[] = "with old as (select attachment_id from lkh_reports where id = $1),"
                              " upd as (update lkh_reports set attachment_id = $2 where id = $1),"
                              " rel as (update attachments set status = 'pending', pending_since = now()"
                              "  where id = (select attachment_id from old) and id <> $2)"
                              " select 1";
    char rid[24], aid[24];
    ll(rid, sizeof(rid), id);
    ll(aid, sizeof(aid), att);
    const char *p[] = {rid, aid};
    return eo_db_run(db, sql, 2, p, err);
}

// clang-format off
#define PERSON(alias, id) \
    "(select jsonb_build_object('nip', " alias ".nip, 'name', " alias ".name) from employees " alias \
    " where " alias ".id = " id ")"
#define LKH_JSON                                                                                                       \
    "jsonb_build_object('id', r.id, 'employee', jsonb_build_object('nip', e.nip, 'name', e.name),"                     \
    "'work_date', to_char(r.work_date, 'YYYY-MM-DD'), 'status', r.status,"                                             \
    "'activities', coalesce((select jsonb_agg(jsonb_build_object('description', a.description,"                        \
    "   'start_time', to_char(a.start_time, 'HH24:MI'), 'end_time', to_char(a.end_time, 'HH24:MI'),"                  \
    "   'duration_min', a.duration_min, 'output', a.output, 'quantity', a.quantity, 'unit', a.unit,"                   \
    "   'skp_target', (select jsonb_build_object('id', s.id, 'title', s.title) from skp_targets s"                     \
    "     where s.id = a.skp_target_id)) order by a.position)"                                                         \
    "  from lkh_activities a where a.report_id = r.id), '[]'::jsonb),"                                                 \
    "'total_minutes', coalesce((select sum(a.duration_min) from lkh_activities a where a.report_id = r.id), 0),"      \
    "'attachment', (select jsonb_build_object('id', t.id, 'content_type', t.content_type, 'size_bytes', t.size_bytes)" \
    "  from attachments t where t.id = r.attachment_id),"                                                              \
    "'reviewer', " PERSON("v", "r.reviewer_id") ", 'review_note', r.review_note,"                                      \
    "'submitted_at', " EO_DB_TS("r.submitted_at") ", 'decided_at', " EO_DB_TS("r.decided_at") ","                      \
    "'created_at', " EO_DB_TS("r.created_at") ", 'updated_at', " EO_DB_TS("r.updated_at") ")"
// clang-format on

eo_status eo_db_lkh_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    char rid[24];
    ll(rid, sizeof(rid), id);
    const char *p[] = {rid};
    *out = NULL;
    PGresult *r = eo_db_one(db, "lkh_get",
                            "select " LKH_JSON "::text from lkh_reports r join employees e on e.id = r.employee_id"
                            " where r.id = $1",
                            1, p, "lkh_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_lkh_list(eo_db *db, const eo_lkh_filter *f, json_t **items, json_t **next, eo_err *err)
{
    static const char sql[] =
        "select " LKH_JSON "::text, to_char(r.work_date, 'YYYY-MM-DD'), r.id"
        " from lkh_reports r join employees e on e.id = r.employee_id"
        " where case when $2::boolean then e.supervisor_id = $1 and r.status <> 'draft' else r.employee_id = $1 end"
        "   and ($3::date is null or r.work_date >= $3::date) and ($4::date is null or r.work_date <= $4::date)"
        "   and ($5::text is null or r.status = $5) and ($6::text is null or e.nip = $6)"
        "   and ($7::date is null or (r.work_date, r.id) < ($7::date, $8::bigint))"
        " order by r.work_date desc, r.id desc limit $9";
    char emp[24], after[24], lim[16];
    ll(emp, sizeof(emp), f->employee_id);
    ll(after, sizeof(after), f->after_id);
    snprintf(lim, sizeof(lim), "%d", f->limit + 1);
    const char *p[] = {emp, f->team ? "true" : "false", f->from, f->to, f->status, f->nip, f->after_date, after, lim};
    *items = *next = NULL;
    PGresult *r = eo_db_exec(db, "lkh_list", sql, 9, p, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, f->limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_lkh_permit(eo_db *db, long long employee_id, const char *work_date, long long by, bool *created,
                           eo_err *err)
{
    char emp[24], sby[24];
    ll(emp, sizeof(emp), employee_id);
    ll(sby, sizeof(sby), by);
    const char *p[] = {emp, work_date, sby};
    PGresult *r =
        eo_db_exec(db, "lkh_permit",
                   "insert into lkh_late_permits (employee_id, work_date, granted_by) values ($1, $2::date, $3)"
                   " on conflict do nothing",
                   3, p, err);
    if (!r) return eo_db_value_error(db, err);
    *created = eo_db_affected(r) > 0;
    PQclear(r);
    return EO_OK;
}

#define SKP_JSON                                                                                                       \
    "jsonb_build_object('id', s.id, 'year', s.year, 'title', s.title, 'target_quantity', s.target_quantity,"           \
    " 'unit', s.unit, 'created_at', " EO_DB_TS("s.created_at") ", 'updated_at', " EO_DB_TS("s.updated_at") ")"

static eo_status skp_answer(eo_db *db, PGresult *r, json_t **out, long long *id, eo_err *err)
{
    if (!r)
        return err->status == EO_OK ? eo_fail(err, EO_ERR_NOT_FOUND, "skp_target_not_found")
                                    : eo_db_value_error(db, err);
    if (id) *id = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_skp_create(eo_db *db, long long employee_id, const eo_skp_target_req *q, json_t **out, long long *id,
                           eo_err *err)
{
    char emp[24], y[16], qty[24];
    ll(emp, sizeof(emp), employee_id);
    snprintf(y, sizeof(y), "%d", q->year);
    ll(qty, sizeof(qty), q->target_quantity);
    const char *p[] = {emp, y, q->title, qty, q->unit};
    *out = NULL;
    PGresult *r = eo_db_one(db, "skp_create",
                            "with s as (insert into skp_targets (employee_id, year, title, target_quantity, unit)"
                            " values ($1, $2, $3, $4, $5) returning *) select s.id, " SKP_JSON "::text from s",
                            5, p, NULL, err);
    return skp_answer(db, r, out, id, err);
}

eo_status eo_db_skp_update(eo_db *db, long long employee_id, long long id, const eo_skp_target_req *q, json_t **out,
                           eo_err *err)
{
    char emp[24], sid[24], y[16], qty[24];
    ll(emp, sizeof(emp), employee_id);
    ll(sid, sizeof(sid), id);
    snprintf(y, sizeof(y), "%d", q->year);
    ll(qty, sizeof(qty), q->target_quantity);
    const char *p[] = {emp, sid, y, q->title, qty, q->unit};
    *out = NULL;
    PGresult *r = eo_db_one(db, "skp_update",
                            "with s as (update skp_targets set year = $3, title = $4, target_quantity = $5, unit = $6"
                            " where id = $2 and employee_id = $1 returning *) select s.id, " SKP_JSON "::text from s",
                            6, p, NULL, err);
    return skp_answer(db, r, out, NULL, err);
}

eo_status eo_db_skp_delete(eo_db *db, long long employee_id, long long id, json_t **old, eo_err *err)
{
    char emp[24], sid[24];
    ll(emp, sizeof(emp), employee_id);
    ll(sid, sizeof(sid), id);
    const char *p[] = {emp, sid};
    *old = NULL;
    PGresult *r = eo_db_one(db, "skp_delete",
                            "with s as (delete from skp_targets where id = $2 and employee_id = $1 returning *)"
                            " select s.id, " SKP_JSON "::text from s",
                            2, p, NULL, err);
    if (!r && strcmp(eo_db_last_sqlstate(db), "23503") == 0) { /* an activity names it */
        eo_err_clear(err);
        return eo_fail(err, EO_ERR_CONFLICT, "skp_target_in_use");
    }
    return skp_answer(db, r, old, NULL, err);
}

eo_status eo_db_skp_list(eo_db *db, long long employee_id, int year, const char *after_at, long long after_id,
                         int limit, json_t **items, json_t **next, eo_err *err)
{
    static const char sql[] =
        "select " SKP_JSON "::text, to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), s.id"
        " from skp_targets s where s.employee_id = $1 and ($2::int = 0 or s.year = $2::int)"
        "   and ($3::timestamptz is null or (s.created_at, s.id) < ($3::timestamptz, $4::bigint))"
        " order by s.created_at desc, s.id desc limit $5";
    char emp[24], y[16], after[24], lim[16];
    ll(emp, sizeof(emp), employee_id);
    snprintf(y, sizeof(y), "%d", year);
    ll(after, sizeof(after), after_id);
    snprintf(lim, sizeof(lim), "%d", limit + 1);
    const char *p[] = {emp, y, after_at, after, lim};
    *items = *next = NULL;
    PGresult *r = eo_db_exec(db, "skp_list", sql, 5, p, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}
