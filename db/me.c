#include "db/me.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "db/rows.h"

eo_status eo_db_me_profile(eo_db *db, long long employee_id, bool compact, json_t **out, eo_err *err)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {eid};
    PGresult *r =
        eo_db_exec(db, "eo_me_profile",
                   "select e.nip, e.name, e.gender, to_char(e.birth_date, 'YYYY-MM-DD'), e.employee_type, e.rank, "
                   "e.office_email, e.status, u.code, u.name, pos.name, pos.type, l.code, l.name, l.time_zone, "
                   "l.latitude::text, l.longitude::text, l.radius_m::text, w.code, w.name, s.nip, s.name, "
                   "coalesce((select string_agg(distinct g.role, ',' order by g.role) from role_grants g "
                   "where g.employee_id = e.id and g.revoked_at is null), ''), "
                   "exists (select 1 from employees b where b.supervisor_id = e.id and b.status = 'active'), "
                   "a.personal_email, a.phone "
                   "from employees e join org_units u on u.id = e.unit_id "
                   "left join positions pos on pos.id = e.position_id "
                   "left join office_locations l on l.id = e.office_location_id "
                   "left join work_schedules w on w.id = e.work_schedule_id "
                   "left join employees s on s.id = e.supervisor_id "
                   "left join accounts a on a.employee_id = e.id where e.id = $1",
                   1, p, err);
    if (!r) return err->status;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    }
    json_t *roles = json_array();
    json_array_append_new(roles, json_string("pegawai"));
    char granted[64];
    snprintf(granted, sizeof granted, "%s", eo_db_str(r, 0, 22));
    char *save = NULL;
    for (char *t = strtok_r(granted, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(roles, json_string(t));
    if (eo_db_bool(r, 0, 23)) json_array_append_new(roles, json_string("atasan"));
    json_t *o = json_object();
    json_object_set_new(o, "nip", eo_db_str_or_null(r, 0, 0));
    json_object_set_new(o, "name", eo_db_str_or_null(r, 0, 1));
    json_object_set_new(o, "roles", roles);
    json_object_set_new(
        o, "unit", json_pack("{s:o, s:o}", "code", eo_db_str_or_null(r, 0, 8), "name", eo_db_str_or_null(r, 0, 9)));
    json_object_set_new(o, "office_location",
                        eo_db_get(r, 0, 12)
                            ? json_pack("{s:o, s:o, s:o}", "code", eo_db_str_or_null(r, 0, 12), "name",
                                        eo_db_str_or_null(r, 0, 13), "time_zone", eo_db_str_or_null(r, 0, 14))
                            : json_null());
    if (!compact) {
        json_object_set_new(o, "gender", eo_db_str_or_null(r, 0, 2));
        json_object_set_new(o, "birth_date", eo_db_str_or_null(r, 0, 3));
        json_object_set_new(o, "employee_type", eo_db_str_or_null(r, 0, 4));
        json_object_set_new(o, "rank", eo_db_str_or_null(r, 0, 5));
        json_object_set_new(o, "office_email", eo_db_str_or_null(r, 0, 6));
        json_object_set_new(o, "status", eo_db_str_or_null(r, 0, 7));
        json_object_set_new(o, "position",
                            eo_db_get(r, 0, 10) ? json_pack("{s:o, s:o}", "name", eo_db_str_or_null(r, 0, 10), "type",
                                                            eo_db_str_or_null(r, 0, 11))
                                                : json_null());
        json_t *loc = json_object_get(o, "office_location");
        if (json_is_object(loc)) {
            /* The columns are numeric/integer in the schema, so these parse; 0 stands for a broken row. */
            double lat = 0, lon = 0;
            long long radius = 0;
            eo_parse_decimal(eo_db_str(r, 0, 15), -90, 90, &lat);
            eo_parse_decimal(eo_db_str(r, 0, 16), -180, 180, &lon);
            eo_parse_int(eo_db_str(r, 0, 17), 0, 1000000, &radius);
            json_object_set_new(loc, "latitude", json_real(lat));
            json_object_set_new(loc, "longitude", json_real(lon));
            json_object_set_new(loc, "radius_m", json_integer(radius));
        }
        json_object_set_new(o, "work_schedule",
                            eo_db_get(r, 0, 18) ? json_pack("{s:o, s:o}", "code", eo_db_str_or_null(r, 0, 18), "name",
                                                            eo_db_str_or_null(r, 0, 19))
                                                : json_null());
        json_object_set_new(o, "supervisor",
                            eo_db_get(r, 0, 20) ? json_pack("{s:o, s:o}", "nip", eo_db_str_or_null(r, 0, 20), "name",
                                                            eo_db_str_or_null(r, 0, 21))
                                                : json_null());
        json_object_set_new(o, "personal_email", eo_db_str_or_null(r, 0, 24));
        json_object_set_new(o, "phone", eo_db_str_or_null(r, 0, 25));
    }
    PQclear(r);
    *out = o;
    return EO_OK;
}

eo_status eo_db_me_settings(eo_db *db, long long employee_id, json_t **out, eo_err *err)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {eid};
    PGresult *r = eo_db_exec(db, NULL,
                             "select l.code, s.nip, w.code from employees e "
                             "left join office_locations l on l.id = e.office_location_id "
                             "left join employees s on s.id = e.supervisor_id "
                             "left join work_schedules w on w.id = e.work_schedule_id where e.id = $1",
                             1, p, err);
    if (!r) return err->status;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return eo_fail(err, EO_ERR_NOT_FOUND, "not_found");
    }
    *out = json_pack("{s:o, s:o, s:o}", "office_location_code", eo_db_str_or_null(r, 0, 0), "supervisor_nip",
                     eo_db_str_or_null(r, 0, 1), "work_schedule_code", eo_db_str_or_null(r, 0, 2));
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_me_sessions_page(eo_db *db, long long employee_id, long long current_session, int limit,
                                 const eo_db_keyset *after, json_t **items, json_t **next, eo_err *err)
{
    char eid[24], lim[16];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {eid, lim, after->set ? after->at : NULL, after->set ? after->id : NULL};
    // clang-format off
    PGresult *r = eo_db_exec(db, NULL,
                             "select s.id, s.client, " EO_DB_TS("s.created_at") ", " EO_DB_TS("s.last_seen_at") ", coalesce(s.ip, ''), "
                             "coalesce(s.user_agent, ''), d.device_id, d.device_name, d.platform, "
                             EO_DB_KEYSET_TS("s.created_at") " "
                             "from sessions s left join devices d on d.id = s.device_id "
                             "where s.employee_id = $1 and s.revoked_at is null and s.expires_at > now() "
                             "and ($3::timestamptz is null or (s.created_at, s.id) < ($3::timestamptz, $4::bigint)) "
                             "order by s.created_at desc, s.id desc limit $2::int",
                             4, p, err);
    // clang-format on
    if (!r) return err->status;
    json_t *arr = json_array();
    int n = PQntuples(r);
    for (int i = 0; i < n && i < limit; i++) {
        long long id = eo_db_get_ll(r, i, 0);
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "client", eo_db_str(r, i, 1),
                              "created_at", eo_db_str(r, i, 2), "last_seen_at", eo_db_str(r, i, 3), "ip",
                              eo_db_str(r, i, 4), "user_agent", eo_db_str(r, i, 5), "current", id == current_session);
        if (eo_db_get(r, i, 6))
            json_object_set_new(o, "device",
                                json_pack("{s:s, s:s, s:s}", "device_id", eo_db_str(r, i, 6), "device_name",
                                          eo_db_str(r, i, 7), "platform", eo_db_str(r, i, 8)));
        else
            json_object_set_new(o, "device", json_null());
        json_array_append_new(arr, o);
    }
    *next = n > limit ? eo_db_keyset_of(r, limit - 1, 9, 0) : NULL;
    PQclear(r);
    *items = arr;
    return EO_OK;
}

eo_status eo_db_me_devices_page(eo_db *db, long long employee_id, int limit, const eo_db_keyset *after, json_t **items,
                                json_t **next, eo_err *err)
{
    char eid[24], lim[16];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {eid, lim, after->set ? after->at : NULL, after->set ? after->id : NULL};
    // clang-format off
    PGresult *r = eo_db_exec(db, NULL,
                             "select d.device_id, d.device_name, d.platform, d.app_version, " EO_DB_TS("d.first_seen_at") ", "
                             EO_DB_TS("d.last_seen_at") ", (select count(*) from sessions s where s.device_id = d.id "
                             "and s.revoked_at is null and s.expires_at > now()), d.id, "
                             EO_DB_KEYSET_TS("d.first_seen_at") " "
                             "from devices d where d.employee_id = $1 "
                             "and ($3::timestamptz is null or (d.first_seen_at, d.id) < ($3::timestamptz, $4::bigint)) "
                             "order by d.first_seen_at desc, d.id desc limit $2::int",
                             4, p, err);
    // clang-format on
    if (!r) return err->status;
    json_t *arr = json_array();
    int n = PQntuples(r);
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "device_id", eo_db_str(r, i, 0),
                                             "device_name", eo_db_str(r, i, 1), "platform", eo_db_str(r, i, 2),
                                             "app_version", eo_db_str(r, i, 3), "first_seen_at", eo_db_str(r, i, 4),
                                             "last_seen_at", eo_db_str(r, i, 5), "active_sessions",
                                             (json_int_t)eo_db_get_ll(r, i, 6)));
    *next = n > limit ? eo_db_keyset_of(r, limit - 1, 8, 7) : NULL;
    PQclear(r);
    *items = arr;
    return EO_OK;
}

/* ---- /me ---- */

eo_status eo_db_me_settings_resolve(eo_db *db, long long employee_id, const char *location_code,
                                    const char *supervisor_nip, const char *schedule_code, eo_settings_ids *ids,
                                    eo_err *err)
{
    char eid[24], sup_id[24] = "";
    snprintf(eid, sizeof eid, "%lld", employee_id);
    memset(ids, 0, sizeof(*ids));
    const char *p[] = {location_code, supervisor_nip, schedule_code};
    // clang-format off
    PGresult *r = eo_db_exec(db, NULL,
                             "select (select id from office_locations where code = $1), "
                             "(select id from employees where nip = $2 and status = 'active'), "
                             "(select id from work_schedules where code = $3)",
                             3, p, err);
    // clang-format on
    if (!r) return err->status;
    ids->location_id = eo_db_get_ll(r, 0, 0);
    ids->supervisor_id = eo_db_get_ll(r, 0, 1);
    ids->schedule_id = eo_db_get_ll(r, 0, 2);
    if (eo_db_get(r, 0, 1)) snprintf(sup_id, sizeof sup_id, "%s", eo_db_get(r, 0, 1));
    PQclear(r);
    ids->set_location = location_code != NULL;
    ids->set_supervisor = supervisor_nip != NULL;
    ids->set_schedule = schedule_code != NULL;
    if (location_code && *location_code && !ids->location_id)
        eo_err_field(err, "office_location_code", "location_not_found");
    if (schedule_code && !ids->schedule_id) eo_err_field(err, "work_schedule_code", "schedule_not_found");
    if (supervisor_nip && *supervisor_nip) {
        if (!sup_id[0])
            eo_err_field(err, "supervisor_nip", "supervisor_not_found");
        else if (strcmp(sup_id, eid) == 0)
            eo_err_field(err, "supervisor_nip", "supervisor_self");
        else {
            bool cycle = false;
            if (eo_db_me_supervisor_cycle(db, employee_id, ids->supervisor_id, &cycle, err)) return err->status;
            if (cycle) eo_err_field(err, "supervisor_nip", "supervisor_cycle");
        }
    }
    return err->status;
}

eo_status eo_db_me_supervisor_cycle(eo_db *db, long long employee_id, long long supervisor_id, bool *cycle, eo_err *err)
{
    char eid[24], sid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(sid, sizeof sid, "%lld", supervisor_id);
    const char *p2[] = {eid, sid};
    *cycle = false;
    /* The new supervisor must not report (up the chain) to this employee. */
    // clang-format off
    PGresult *r = eo_db_exec(db, NULL,
                   "with recursive up(id, depth) as (select supervisor_id, 1 from employees where id = $2 "
                   "union all select e.supervisor_id, up.depth + 1 from employees e join up on e.id = up.id "
                   "where up.depth < 100 and up.id is not null) select exists (select 1 from up where id = $1)",
                   2, p2, err);
    // clang-format on
    if (!r) return err->status;
    *cycle = eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_me_settings_apply(eo_db *db, long long employee_id, const eo_settings_ids *ids, const char *source,
                                  long long change_id, long long actor_id, eo_err *err)
{
    char eid[24], loc[24], sup[24], sch[24], chg[24], act[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(loc, sizeof loc, "%lld", ids->location_id);
    snprintf(sup, sizeof sup, "%lld", ids->supervisor_id);
    snprintf(sch, sizeof sch, "%lld", ids->schedule_id);
    snprintf(chg, sizeof chg, "%lld", change_id);
    snprintf(act, sizeof act, "%lld", actor_id);
    /* The history trigger (0041) reads who applied it from these settings. */
    const char *p0[] = {source, change_id ? chg : "", actor_id ? act : ""};
    if (eo_db_run(db,
                  "select set_config('eoffice.settings_source', $1, true), "
                  "set_config('eoffice.settings_change', $2, true), set_config('eoffice.settings_actor', $3, true)",
                  3, p0, err))
        return err->status;
    const char *p3[] = {eid,
                        ids->set_location ? "1" : NULL,
                        ids->location_id ? loc : NULL,
                        ids->set_supervisor ? "1" : NULL,
                        ids->supervisor_id ? sup : NULL,
                        ids->set_schedule ? "1" : NULL,
                        ids->schedule_id ? sch : NULL};
    if (eo_db_run(db,
                  "update employees set "
                  "office_location_id = case when $2::text is null then office_location_id else $3::bigint end, "
                  "supervisor_id = case when $4::text is null then supervisor_id else $5::bigint end, "
                  "work_schedule_id = case when $6::text is null then work_schedule_id else $7::bigint end "
                  "where id = $1",
                  7, p3, err))
        return eo_db_value_error(db, err);
    const char *p4[] = {""};
    return eo_db_run(db,
                     "select set_config('eoffice.settings_source', $1, true), "
                     "set_config('eoffice.settings_change', $1, true), set_config('eoffice.settings_actor', $1, true)",
                     1, p4, err);
}

eo_status eo_db_me_settings_update(eo_db *db, long long employee_id, const char *location_code,
                                   const char *supervisor_nip, const char *schedule_code, const char *source,
                                   long long actor_id, eo_err *err)
{
    eo_settings_ids ids;
    if (eo_db_me_settings_resolve(db, employee_id, location_code, supervisor_nip, schedule_code, &ids, err))
        return err->status;
    return eo_db_me_settings_apply(db, employee_id, &ids, source, 0, actor_id, err);
}
