#include "db/sessions.h"

#include <stdio.h>
#include <string.h>

#include "db/pool.h"

eo_status eo_db_device_upsert(eo_db *db, long long employee_id, const char *device_id, const char *name,
                              const char *platform, const char *app_version, long long *row_id, eo_err *err)
{
    char eid[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {eid, device_id, name, platform, app_version};
    PGresult *r = NULL;
    eo_status st = eo_db_query(db,
                               "insert into devices (employee_id, device_id, device_name, platform, app_version) "
                               "values ($1, $2, $3, $4, $5) on conflict (employee_id, device_id) do update set "
                               "device_name = excluded.device_name, platform = excluded.platform, "
                               "app_version = excluded.app_version, last_seen_at = now() returning id",
                               5, p, &r, err);
    if (st) return st;
    *row_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_session_create(eo_db *db, long long employee_id, const char *client, long long device_row,
                               const char *ip, const char *user_agent, int refresh_ttl_s,
                               const unsigned char refresh_hash[32], double now, long long *session_id, eo_err *err)
{
    char eid[24], dev[24], ttl[16], hh[65], ua[513], at[32];
    snprintf(at, sizeof at, "%.6f", now);
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(dev, sizeof dev, "%lld", device_row);
    snprintf(ttl, sizeof ttl, "%d", refresh_ttl_s);
    snprintf(ua, sizeof ua, "%s", user_agent ? user_agent : "");
    eo_db_hex_out(refresh_hash, 32, hh, sizeof hh);
    const char *p[] = {eid, client, device_row ? dev : NULL, ip, ua, ttl, at};
    PGresult *r = NULL;
    eo_status st = eo_db_query(db,
                               "insert into sessions (employee_id, client, device_id, ip, user_agent, created_at, "
                               "last_seen_at, expires_at) values ($1, $2, $3, $4, $5, to_timestamp($7::float8), "
                               "to_timestamp($7::float8), to_timestamp($7::float8) + make_interval(secs => $6::int)) "
                               "returning id",
                               7, p, &r, err);
    if (st) return st;
    *session_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    char sid[24];
    snprintf(sid, sizeof sid, "%lld", *session_id);
    const char *p2[] = {sid, hh, ttl, at};
    return eo_db_query(db,
                       "insert into refresh_tokens (session_id, token_hash, created_at, expires_at) "
                       "values ($1, decode($2, 'hex'), to_timestamp($4::float8), "
                       "to_timestamp($4::float8) + make_interval(secs => $3::int))",
                       4, p2, NULL, err);
}

eo_status eo_db_refresh_get(eo_db *db, const unsigned char hash[32], double now, eo_db_refresh *out, bool *found,
                            eo_err *err)
{
    char hh[65], at[32];
    eo_db_hex_out(hash, 32, hh, sizeof hh);
    snprintf(at, sizeof at, "%.6f", now);
    const char *p[] = {hh, at};
    PGresult *r = NULL;
    eo_status st =
        eo_db_query(db,
                    "select rt.id, rt.session_id, s.employee_id, rt.used_at is not null, "
                    "rt.expires_at <= to_timestamp($2::float8) or s.expires_at <= to_timestamp($2::float8), "
                    "s.revoked_at is not null, "
                    "a.status = 'active' and e.status = 'active', s.client, e.nip, coalesce(d.device_id, '') "
                    "from refresh_tokens rt join sessions s on s.id = rt.session_id "
                    "join employees e on e.id = s.employee_id join accounts a on a.employee_id = e.id "
                    "left join devices d on d.id = s.device_id "
                    "where rt.token_hash = decode($1, 'hex') for update of rt, s",
                    2, p, &r, err);
    if (st) return st;
    memset(out, 0, sizeof *out);
    *found = PQntuples(r) == 1;
    if (*found) {
        out->token_id = eo_db_get_ll(r, 0, 0);
        out->session_id = eo_db_get_ll(r, 0, 1);
        out->employee_id = eo_db_get_ll(r, 0, 2);
        out->used = eo_db_bool(r, 0, 3);
        out->expired = eo_db_bool(r, 0, 4);
        out->revoked = eo_db_bool(r, 0, 5);
        out->account_active = eo_db_bool(r, 0, 6);
        eo_db_copy(out->client, sizeof out->client, r, 0, 7);
        eo_db_copy(out->nip, sizeof out->nip, r, 0, 8);
        eo_db_copy(out->device_id, sizeof out->device_id, r, 0, 9);
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_refresh_rotate(eo_db *db, const eo_db_refresh *old, const unsigned char next_hash[32],
                               int refresh_ttl_s, double now, eo_err *err)
{
    char tid[24], sid[24], ttl[16], hh[65], at[32];
    snprintf(at, sizeof at, "%.6f", now);
    snprintf(tid, sizeof tid, "%lld", old->token_id);
    snprintf(sid, sizeof sid, "%lld", old->session_id);
    snprintf(ttl, sizeof ttl, "%d", refresh_ttl_s);
    eo_db_hex_out(next_hash, 32, hh, sizeof hh);
    const char *p1[] = {tid, at};
    eo_status st =
        eo_db_query(db, "update refresh_tokens set used_at = to_timestamp($2::float8) where id = $1", 2, p1, NULL, err);
    if (st) return st;
    const char *p2[] = {sid, hh, ttl, at};
    st = eo_db_query(db,
                     "insert into refresh_tokens (session_id, token_hash, created_at, expires_at) "
                     "values ($1, decode($2, 'hex'), to_timestamp($4::float8), "
                     "to_timestamp($4::float8) + make_interval(secs => $3::int))",
                     4, p2, NULL, err);
    if (st) return st;
    const char *p3[] = {sid, at};
    return eo_db_query(db, "update sessions set last_seen_at = to_timestamp($2::float8) where id = $1", 2, p3, NULL,
                       err);
}

eo_status eo_db_session_revoke(eo_db *db, long long session_id, long long employee_id, const char *reason, bool *found,
                               eo_err *err)
{
    char sid[24], eid[24];
    snprintf(sid, sizeof sid, "%lld", session_id);
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {sid, employee_id ? eid : NULL, reason};
    PGresult *r = eo_db_exec(db, NULL,
                             "update sessions set revoked_at = now(), revoked_reason = $3 where id = $1 "
                             "and ($2::bigint is null or employee_id = $2) and revoked_at is null",
                             3, p, err);
    if (!r) return err->status;
    *found = eo_db_affected(r) == 1;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_sessions_revoke_all(eo_db *db, long long employee_id, long long keep_session, const char *reason,
                                    int *count, eo_err *err)
{
    char eid[24], keep[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(keep, sizeof keep, "%lld", keep_session);
    const char *p[] = {eid, keep, reason};
    PGresult *r = eo_db_exec(db, NULL,
                             "update sessions set revoked_at = now(), revoked_reason = $3 "
                             "where employee_id = $1 and id <> $2 and revoked_at is null",
                             3, p, err);
    if (!r) return err->status;
    if (count) *count = (int)eo_db_affected(r);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_session_principal(eo_db *db, long long session_id, long long employee_id, bool *ok, unsigned *roles,
                                  char *device_id, size_t device_len, long long *expires_ms, eo_err *err)
{
    char sid[24], eid[24];
    snprintf(sid, sizeof sid, "%lld", session_id);
    snprintf(eid, sizeof eid, "%lld", employee_id);
    const char *p[] = {sid, eid};
    PGresult *r = eo_db_exec(db, "eo_auth_session",
                             "select coalesce(d.device_id, ''), "
                             "coalesce((select bit_or(case g.role when 'admin' then 1 when 'anpeg' then 2 "
                             "when 'humas' then 4 else 0 end) from role_grants g "
                             "where g.employee_id = s.employee_id and g.revoked_at is null), 0), "
                             "floor(extract(epoch from s.expires_at) * 1000)::bigint "
                             "from sessions s join accounts a on a.employee_id = s.employee_id "
                             "join employees e on e.id = s.employee_id left join devices d on d.id = s.device_id "
                             "where s.id = $1 and s.employee_id = $2 and s.revoked_at is null "
                             "and s.expires_at > now() and a.status = 'active' and e.status = 'active'",
                             2, p, err);
    if (!r) return err->status;
    *ok = PQntuples(r) == 1;
    if (*ok) {
        snprintf(device_id, device_len, "%s", eo_db_get(r, 0, 0));
        *roles = (unsigned)eo_db_get_ll(r, 0, 1);
        *expires_ms = eo_db_get_ll(r, 0, 2);
    }
    PQclear(r);
    return EO_OK;
}
