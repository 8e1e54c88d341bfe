#include "db/settings_changes.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

#define UTC_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"
#define KEY_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'"

// clang-format off
#define CHANGE_JSON                                                                                                    \
    "jsonb_build_object('id', c.id, 'kind', c.kind, 'status', c.status,"                                               \
    " 'employee', jsonb_build_object('nip', e.nip, 'name', e.name),"                                                   \
    " 'changes', jsonb_build_object("                                                                                 \
    "   'office_location_code', (select l.code from office_locations l where l.id = c.office_location_id),"            \
    "   'supervisor_nip', (select s.nip from employees s where s.id = c.supervisor_id),"                               \
    "   'work_schedule_code', (select w.code from work_schedules w where w.id = c.work_schedule_id))"                  \
    "   - case when c.set_location then '' else 'office_location_code' end::text"                                            \
    "   - case when c.set_supervisor then '' else 'supervisor_nip' end::text"                                              \
    "   - case when c.set_schedule then '' else 'work_schedule_code' end::text,"                                             \
    " 'decided_by', (select jsonb_build_object('nip', d.nip, 'name', d.name) from employees d"                         \
    "   where d.id = c.decided_by),"                                                                                   \
    " 'note', c.note,"                                                                                                 \
    " 'created_at', to_char(c.created_at at time zone 'UTC', " UTC_FMT "),"                                            \
    " 'decided_at', to_char(c.decided_at at time zone 'UTC', " UTC_FMT "))"
// clang-format on

eo_status eo_db_settings_current(eo_db *db, long long employee_id, eo_settings_ids *out, eo_err *err)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {eid};
    memset(out, 0, sizeof(*out));
    PGresult *r =
        eo_db_one(db, NULL, "select office_location_id, supervisor_id, work_schedule_id from employees where id = $1",
                  1, p, "not_found", err);
    if (!r) return err->status;
    *out = (eo_settings_ids){true, true, true, eo_db_get_ll(r, 0, 0), eo_db_get_ll(r, 0, 1), eo_db_get_ll(r, 0, 2)};
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_settings_change_create(eo_db *db, long long employee_id, const char *kind, const eo_settings_ids *ids,
                                       long long *id, long long *superseded, eo_err *err)
{
    char eid[24], loc[24], sup[24], sch[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(loc, sizeof loc, "%lld", ids->location_id);
    snprintf(sup, sizeof sup, "%lld", ids->supervisor_id);
    snprintf(sch, sizeof sch, "%lld", ids->schedule_id);
    const char *p0[] = {eid, kind};
    *superseded = 0;
    PGresult *r = eo_db_exec(db, NULL,
                             "update settings_changes set status = 'superseded', decided_at = now()"
                             " where employee_id = $1 and kind = $2 and status = 'pending' returning id",
                             2, p0, err);
    if (!r) return err->status;
    if (PQntuples(r) > 0) *superseded = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    const char *p[] = {eid,
                       kind,
                       ids->set_location ? "true" : "false",
                       ids->location_id ? loc : NULL,
                       ids->set_supervisor ? "true" : "false",
                       ids->supervisor_id ? sup : NULL,
                       ids->set_schedule ? "true" : "false",
                       ids->schedule_id ? sch : NULL};
    if (eo_db_one_ll(db, NULL,
                     "insert into settings_changes (employee_id, kind, set_location, office_location_id,"
                     " set_supervisor, supervisor_id, set_schedule, work_schedule_id)"
                     " values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
                     8, p, NULL, id, err))
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_settings_change_lock(eo_db *db, long long id, eo_settings_change_row *row, eo_err *err)
{
    char cid[24];
    snprintf(cid, sizeof cid, "%lld", id);
    const char *p[] = {cid};
    memset(row, 0, sizeof(*row));
    PGresult *r = eo_db_one(db, NULL,
                            "select c.employee_id, e.supervisor_id, c.kind, c.status, c.set_location,"
                            " c.office_location_id, c.set_supervisor, c.supervisor_id, c.set_schedule,"
                            " c.work_schedule_id from settings_changes c join employees e on e.id = c.employee_id"
                            " where c.id = $1 for update of c, e",
                            1, p, "settings_change_not_found", err);
    if (!r) return err->status;
    row->id = id;
    row->employee_id = eo_db_get_ll(r, 0, 0);
    row->current_supervisor_id = eo_db_get_ll(r, 0, 1);
    eo_db_copy(row->kind, sizeof row->kind, r, 0, 2);
    eo_db_copy(row->status, sizeof row->status, r, 0, 3);
    row->ids = (eo_settings_ids){eo_db_bool(r, 0, 4),   eo_db_bool(r, 0, 6),   eo_db_bool(r, 0, 8),
                                 eo_db_get_ll(r, 0, 5), eo_db_get_ll(r, 0, 7), eo_db_get_ll(r, 0, 9)};
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_settings_change_close(eo_db *db, long long id, const char *status, long long by, const char *note,
                                      double now, eo_err *err)
{
    char cid[24], sby[24], at[32];
    snprintf(cid, sizeof cid, "%lld", id);
    snprintf(sby, sizeof sby, "%lld", by);
    snprintf(at, sizeof at, "%.6f", now);
    const char *p[] = {cid, status, by ? sby : NULL, note, at};
    if (eo_db_run(db,
                  "update settings_changes set status = $2, decided_by = $3::bigint, note = $4,"
                  " decided_at = to_timestamp($5) where id = $1",
                  5, p, err))
        return eo_db_value_error(db, err);
    return EO_OK;
}

eo_status eo_db_settings_change_get(eo_db *db, long long id, json_t **out, eo_err *err)
{
    char cid[24];
    snprintf(cid, sizeof cid, "%lld", id);
    const char *p[] = {cid};
    *out = NULL;
    PGresult *r = eo_db_one(db, NULL,
                            "select " CHANGE_JSON "::text from settings_changes c"
                            " join employees e on e.id = c.employee_id where c.id = $1",
                            1, p, "settings_change_not_found", err);
    return eo_db_json_take(r, 0, out, err);
}

eo_status eo_db_settings_changes_pending(eo_db *db, long long employee_id, json_t **out, eo_err *err)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {eid};
    *out = NULL;
    PGresult *r = eo_db_exec(db, NULL,
                             "select coalesce(jsonb_agg(" CHANGE_JSON " order by c.created_at, c.id), '[]')::text"
                             " from settings_changes c join employees e on e.id = c.employee_id"
                             " where c.employee_id = $1 and c.status = 'pending'",
                             1, p, err);
    return eo_db_json_take(r, 0, out, err);
}

eo_status eo_db_settings_changes_queue(eo_db *db, long long viewer, bool admin, int limit, const char *after_at,
                                       const char *after_id, json_t **items, json_t **next, eo_err *err)
{
    char vid[24], lim[16];
    snprintf(vid, sizeof vid, "%lld", viewer);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {vid, admin ? "true" : "false", after_at, after_id, lim};
    PGresult *r = eo_db_exec(
        db, "settings_queue",
        "select " CHANGE_JSON "::text, to_char(c.created_at at time zone 'UTC', " KEY_FMT "), c.id"
        " from settings_changes c join employees e on e.id = c.employee_id join org_units u on u.id = e.unit_id"
        " where c.status = 'pending' and c.employee_id <> $1"
        "   and ($2::boolean"
        "     or (c.kind = 'supervisor' and c.supervisor_id = $1)"
        "     or (c.kind = 'placement' and e.supervisor_id = $1)"
        "     or exists (select 1 from role_grants g where g.employee_id = $1 and g.role = 'anpeg'"
        "                and g.revoked_at is null and u.path @> array[g.unit_id]))"
        "   and ($3::timestamptz is null or (c.created_at, c.id) < ($3::timestamptz, $4::bigint))"
        " order by c.created_at desc, c.id desc limit $5",
        5, p, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}
