#include "db/plataran.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/rows.h"

eo_status eo_db_plataran_cache_get(eo_db *db, const char *resource, eo_db_plataran_copy *out, eo_err *err)
{
    const char *p[] = {resource};
    memset(out, 0, sizeof(*out));
    PGresult *r = eo_db_one(db, "plat_cache_get",
                            "select coalesce(etag, ''), body::text, extract(epoch from fetched_at)::float8::text"
                            " from plataran_cache where resource = $1",
                            1, p, NULL, err);
    if (!r) return err->status;
    eo_db_copy(out->etag, sizeof(out->etag), r, 0, 0);
    eo_status st = eo_db_json(r, 0, 1, &out->body, err);
    double at = 0;
    if (sscanf(eo_db_str(r, 0, 2), "%lf", &at) != 1) at = 0;
    out->fetched_at = at;
    out->found = st == EO_OK;
    PQclear(r);
    return st;
}

eo_status eo_db_plataran_cache_put(eo_db *db, const char *resource, const char *etag, json_t *body, double now,
                                   eo_err *err)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) return eo_fail(err, EO_ERR_INTERNAL, "internal");
    char at[32];
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {resource, etag && etag[0] ? etag : NULL, text, at};
    eo_status st = eo_db_run(db,
                             "insert into plataran_cache (resource, etag, body, fetched_at, checked_at)"
                             " values ($1, $2, $3::jsonb, to_timestamp($4), to_timestamp($4))"
                             " on conflict (resource) do update set etag = excluded.etag, body = excluded.body,"
                             "  fetched_at = excluded.fetched_at, checked_at = excluded.checked_at, last_error = null",
                             4, p, err);
    free(text);
    return st;
}

eo_status eo_db_plataran_cache_confirm(eo_db *db, const char *resource, double now, eo_err *err)
{
    char at[32];
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {resource, at};
    return eo_db_run(db,
                     "update plataran_cache set fetched_at = to_timestamp($2), checked_at = to_timestamp($2),"
                     " last_error = null where resource = $1",
                     2, p, err);
}

eo_status eo_db_plataran_cache_failed(eo_db *db, const char *resource, const char *code, double now, eo_err *err)
{
    char at[32];
    snprintf(at, sizeof(at), "%.6f", now);
    const char *p[] = {resource, code, at};
    return eo_db_run(db,
                     "update plataran_cache set checked_at = to_timestamp($3), last_error = left($2, 200)"
                     " where resource = $1",
                     3, p, err);
}

eo_status eo_db_plataran_agenda_items(eo_db *db, long long employee_id, int year, json_t **out, eo_err *err)
{
    static const char sql[] =
        "select coalesce(jsonb_agg(x.j order by x.title, x.id), '[]'::jsonb)::text from ("
        " select distinct on (p.id) p.id, p.title, jsonb_build_object('programme_id', p.id, 'title', p.title,"
        "  'method', p.method, 'category', p.category, 'jp', p.jp, 'source', p.source,"
        "  'external_id', p.external_id) as j"
        " from rpis r join rpi_items i on i.rpi_id = r.id join dev_programmes p on p.id = i.programme_id"
        " where r.status = 'approved' and case when $1::bigint = 0"
        "  then r.year >= $2::int and p.source = 'plataran' else r.employee_id = $1 and r.year = $2::int end"
        " order by p.id) x";
    char emp[24], y[16];
    snprintf(emp, sizeof(emp), "%lld", employee_id);
    snprintf(y, sizeof(y), "%d", year);
    const char *p[] = {emp, y};
    *out = NULL;
    PGresult *r = eo_db_one(db, NULL, sql, 2, p, NULL, err);
    if (!r) return err->status == EO_OK ? eo_fail(err, EO_ERR_INTERNAL, "internal") : err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}
