#include "db/authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool one_bool(PGresult *r)
{
    const char *v = PQntuples(r) == 1 ? eo_db_get(r, 0, 0) : NULL;
    return v && v[0] == 't';
}

static eo_status query_bool(eo_db *db, const char *name, const char *sql, long long a, long long b, bool *out,
                            eo_err *err)
{
    char sa[24], sb[24];
    snprintf(sa, sizeof sa, "%lld", a);
    snprintf(sb, sizeof sb, "%lld", b);
    const char *p[] = {sa, sb};
    PGresult *r = eo_db_exec(db, name, sql, 2, p, err);
    if (!r) return err->status;
    *out = one_bool(r);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_role_grant(eo_db *db, const char *nip, const char *role, const char *unit_code, long long granted_by,
                           long long *grant_id, eo_err *err)
{
    char by[24];
    snprintf(by, sizeof by, "%lld", granted_by);
    const char *p[] = {nip, unit_code};
    PGresult *r = eo_db_exec(db, NULL,
                             "select (select id from employees where nip = $1), "
                             "(select id from org_units where code = $2)",
                             2, p, err);
    if (!r) return err->status;
    char eid[24], uid[24];
    snprintf(eid, sizeof eid, "%s", eo_db_get(r, 0, 0) ? eo_db_get(r, 0, 0) : "");
    snprintf(uid, sizeof uid, "%s", eo_db_get(r, 0, 1) ? eo_db_get(r, 0, 1) : "");
    PQclear(r);
    if (!eid[0]) return eo_fail(err, EO_ERR_NOT_FOUND, "employee_not_found");
    if (unit_code && !uid[0]) return eo_fail(err, EO_ERR_NOT_FOUND, "unit_not_found");
    const char *p2[] = {eid, role, unit_code ? uid : NULL, granted_by ? by : NULL};
    r = eo_db_exec(db, NULL,
                   "insert into role_grants (employee_id, role, unit_id, granted_by) values ($1, $2, $3, $4) "
                   "on conflict do nothing returning id",
                   4, p2, err);
    if (!r) return err->status;
    bool inserted = PQntuples(r) == 1;
    if (inserted) *grant_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return inserted ? EO_OK : eo_fail(err, EO_ERR_CONFLICT, "role_already_granted");
}

eo_status eo_db_role_revoke_by_role(eo_db *db, const char *nip, const char *role, const char *unit_code,
                                    long long revoked_by, long long *grant_id, eo_err *err)
{
    char by[24];
    snprintf(by, sizeof by, "%lld", revoked_by);
    const char *p[] = {nip, role, unit_code, revoked_by ? by : NULL};
    PGresult *r = eo_db_exec(db, NULL,
                             "update role_grants g set revoked_at = now(), revoked_by = $4 from employees e "
                             "where e.id = g.employee_id and e.nip = $1 and g.role = $2 and g.revoked_at is null "
                             "and g.unit_id is not distinct from (select id from org_units where code = $3) "
                             "returning g.id",
                             4, p, err);
    if (!r) return err->status;
    bool found = PQntuples(r) >= 1;
    if (found) *grant_id = eo_db_get_ll(r, 0, 0);
    PQclear(r);
    return found ? EO_OK : eo_fail(err, EO_ERR_NOT_FOUND, "grant_not_found");
}

eo_status eo_db_role_revoke(eo_db *db, long long employee_id, long long grant_id, long long revoked_by, bool *found,
                            eo_err *err)
{
    char eid[24], gid[24], by[24];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(gid, sizeof gid, "%lld", grant_id);
    snprintf(by, sizeof by, "%lld", revoked_by);
    const char *p[] = {eid, gid, revoked_by ? by : NULL};
    PGresult *r = eo_db_exec(db, NULL,
                             "update role_grants set revoked_at = now(), revoked_by = $3 "
                             "where id = $2 and employee_id = $1 and revoked_at is null",
                             3, p, err);
    if (!r) return err->status;
    *found = strcmp(PQcmdTuples(r), "1") == 0;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_authz_is_supervisor_of(eo_db *db, long long sup, long long target, bool *out, eo_err *err)
{
    /* Walk up from target; depth bounded like the cycle check in 0001. */
    return query_bool(db, "eo_authz_supervisor",
                      "with recursive up(id, depth) as ("
                      " select supervisor_id, 1 from employees where id = $2"
                      " union all"
                      " select e.supervisor_id, up.depth + 1 from employees e join up on e.id = up.id"
                      " where up.depth < 100 and up.id is not null)"
                      "select exists (select 1 from up where id = $1)",
                      sup, target, out, err);
}

eo_status eo_db_authz_anpeg_covers(eo_db *db, long long anpeg, long long target, bool *out, eo_err *err)
{
    return query_bool(db, "eo_authz_anpeg",
                      "select exists (select 1 from role_grants g join employees t on t.id = $2 "
                      "join org_units u on u.id = t.unit_id where g.employee_id = $1 and g.role = 'anpeg' "
                      "and g.revoked_at is null and u.path @> array[g.unit_id])",
                      anpeg, target, out, err);
}

eo_status eo_db_authz_has_subordinates(eo_db *db, long long employee, bool *out, eo_err *err)
{
    return query_bool(db, "eo_authz_subordinates",
                      "select exists (select 1 from employees where supervisor_id = $1 and status = 'active' "
                      "and $2::bigint is not null)",
                      employee, 0, out, err);
}
