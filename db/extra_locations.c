#include "db/extra_locations.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"

#define UTC_FMT "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'"

#define EXTRA_JSON                                                                                                     \
    "jsonb_build_object('id', x.id,"                                                                                   \
    "'employee', (select jsonb_build_object('nip', p.nip, 'name', p.name) from employees p"                            \
    "  where p.id = x.employee_id),"                                                                                   \
    "'name', x.name,"                                                                                                  \
    "'location_code', o.code, 'latitude', x.latitude, 'longitude', x.longitude,"                                       \
    "'radius_m', x.radius_m, 'time_zone', x.time_zone,"                                                                \
    "'valid_from', to_char(x.valid_from, 'YYYY-MM-DD'), 'valid_to', to_char(x.valid_to, 'YYYY-MM-DD'),"                \
    "'reason', x.reason,"                                                                                              \
    "'created_by', (select jsonb_build_object('nip', p.nip, 'name', p.name) from employees p"                          \
    "  where p.id = x.created_by),"                                                                                    \
    "'created_at', to_char(x.created_at at time zone 'UTC', " UTC_FMT "))"

eo_status eo_db_extra_location_create(eo_db *db, const eo_extra_location_req *q, long long created_by, json_t **out,
                                      long long *id, eo_err *err)
{
    static const char sql[] =
        "with src as (select o.id, o.name, o.latitude, o.longitude, o.radius_m, o.time_zone"
        "  from office_locations o where o.code = $2"
        "  union all select null, $3, $4::double precision, $5::double precision, $6::int, $7"
        "  where $2::text is null),"
        " x as (insert into extra_locations (employee_id, office_location_id, name, latitude, longitude,"
        "  radius_m, time_zone, valid_from, valid_to, reason, created_by)"
        "  select $1, src.id, coalesce($3, src.name), src.latitude, src.longitude, src.radius_m,"
        "   src.time_zone, $8::date, $9::date, $10, $11 from src returning *)"
        " select x.id, (" EXTRA_JSON ")::text from x left join office_locations o on o.id = x.office_location_id";
    char emp[24], lat[32], lon[32], rad[16], by[24];
    snprintf(emp, sizeof(emp), "%lld", q->employee_id);
    snprintf(lat, sizeof(lat), "%.7f", q->lat);
    snprintf(lon, sizeof(lon), "%.7f", q->lon);
    snprintf(rad, sizeof(rad), "%d", q->radius_m);
    snprintf(by, sizeof(by), "%lld", created_by);
    const char *params[] = {emp,          q->location_code, q->name,     lat,       lon, rad,
                            q->time_zone, q->valid_from,    q->valid_to, q->reason, by};
    *out = NULL;
    PGresult *r = eo_db_one(db, "xloc_create", sql, 11, params, NULL, err);
    if (!r) {
        if (err->status == EO_OK) return eo_fail(err, EO_ERR_INVALID, "location_not_found");
        if (eo_db_value_error(db, err) == EO_ERR_INVALID) {
            eo_err_clear(err);
            eo_err_field(err, q->location_code ? "valid_to" : "time_zone", "invalid_value");
        }
        return err->status;
    }
    *id = eo_db_get_ll(r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_extra_location_list(eo_db *db, const eo_extra_location_filter *f, json_t **items, json_t **next,
                                    eo_err *err)
{
    /* A read-only view: the rows are rendered in SQL, nothing reads them back. */
    static const char sql[] = "select (" EXTRA_JSON ")::text, to_char(x.valid_from, 'YYYY-MM-DD'), x.id"
                              " from extra_locations x left join office_locations o on o.id = x.office_location_id"
                              " where x.employee_id = $1 and x.revoked_at is null"
                              "   and x.valid_to >= (to_timestamp($2) at time zone x.time_zone)::date - 31"
                              "   and ($3::date is null or (x.valid_from, x.id) < ($3::date, $4::bigint))"
                              " order by x.valid_from desc, x.id desc limit $5";
    char emp[24], now[32], after[24], lim[16];
    snprintf(emp, sizeof(emp), "%lld", f->employee_id);
    snprintf(now, sizeof(now), "%.6f", f->now);
    snprintf(after, sizeof(after), "%lld", f->after_id);
    snprintf(lim, sizeof(lim), "%d", f->limit + 1); /* one more tells whether a next page exists */
    const char *params[] = {emp, now, f->after_valid_from, after, lim};
    *items = *next = NULL;
    PGresult *r = eo_db_exec(db, "xloc_list", sql, 5, params, err);
    if (!r) return eo_db_value_error(db, err);
    eo_status st = eo_db_json_page(r, f->limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_extra_location_owner(eo_db *db, long long id, long long *employee_id, eo_err *err)
{
    char s[24];
    snprintf(s, sizeof(s), "%lld", id);
    const char *params[] = {s};
    return eo_db_one_ll(db, "xloc_owner",
                        "select employee_id from extra_locations where id = $1 and revoked_at is null", 1, params,
                        "extra_location_not_found", employee_id, err);
}

eo_status eo_db_extra_location_revoke(eo_db *db, long long id, long long by, double now, eo_err *err)
{
    char s[24], b[24], at[32];
    snprintf(s, sizeof(s), "%lld", id);
    snprintf(b, sizeof(b), "%lld", by);
    snprintf(at, sizeof(at), "%.6f", now);
    const char *params[] = {s, b, at};
    return eo_db_run(db,
                     "update extra_locations set revoked_at = to_timestamp($3), revoked_by = $2"
                     " where id = $1 and revoked_at is null",
                     3, params, err);
}
