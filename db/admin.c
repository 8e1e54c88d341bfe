#include "db/admin.h"

#include <stdio.h>

#include "db/rows.h"

eo_status eo_db_admin_roles_page(eo_db *db, long long employee_id, int limit, const eo_db_keyset *after, json_t **items,
                                 json_t **next, eo_err *err)
{
    char eid[24], lim[16];
    snprintf(eid, sizeof eid, "%lld", employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {eid, lim, after->set ? after->at : NULL, after->set ? after->id : NULL};
    // clang-format off
    PGresult *r = eo_db_exec(db, NULL,
                             "select g.id, g.role, u.code, u.name, " EO_DB_TS("g.granted_at") ", gb.nip, "
                             EO_DB_TS("g.revoked_at") ", rb.nip, " EO_DB_KEYSET_TS("g.granted_at") " "
                             "from role_grants g left join org_units u on u.id = g.unit_id "
                             "left join employees gb on gb.id = g.granted_by left join employees rb on rb.id = g.revoked_by "
                             "where g.employee_id = $1 "
                             "and ($3::timestamptz is null or (g.granted_at, g.id) < ($3::timestamptz, $4::bigint)) "
                             "order by g.granted_at desc, g.id desc limit $2::int",
                             4, p, err);
    // clang-format on
    if (!r) return err->status;
    json_t *arr = json_array();
    int n = PQntuples(r);
    for (int i = 0; i < n && i < limit; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:b}", "id",
                                             (json_int_t)eo_db_get_ll(r, i, 0), "role", eo_db_str(r, i, 1), "unit_code",
                                             eo_db_get(r, i, 2), "unit_name", eo_db_get(r, i, 3), "granted_at",
                                             eo_db_str(r, i, 4), "granted_by_nip", eo_db_get(r, i, 5), "revoked_at",
                                             eo_db_get(r, i, 6), "revoked_by_nip", eo_db_get(r, i, 7), "active",
                                             eo_db_get(r, i, 6) == NULL));
    *next = n > limit ? eo_db_keyset_of(r, limit - 1, 8, 0) : NULL;
    PQclear(r);
    *items = arr;
    return EO_OK;
}

eo_status eo_db_admin_audit_page(eo_db *db, const char *action, const char *nip, int limit, const eo_db_keyset *after,
                                 json_t **items, json_t **next, eo_err *err)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {lim, action, nip, after->set ? after->at : NULL, after->set ? after->id : NULL};
    // clang-format off
    PGresult *r = eo_db_exec(db, NULL,
                             "select l.id, " EO_DB_TS("l.at") ", a.nip, l.action, l.target_type, l.target_id, l.ip, "
                             "l.user_agent, l.request_id, l.details::text, " EO_DB_KEYSET_TS("l.at") " "
                             "from audit_log l left join employees a on a.id = l.actor_employee_id "
                             "where ($2::text is null or l.action = $2) "
                             "and ($3::text is null or a.nip = $3 or l.target_id = $3) "
                             "and ($4::timestamptz is null or (l.at, l.id) < ($4::timestamptz, $5::bigint)) "
                             "order by l.at desc, l.id desc limit $1::int",
                             5, p, err);
    // clang-format on
    if (!r) return err->status;
    json_t *arr = json_array();
    int n = PQntuples(r);
    for (int i = 0; i < n && i < limit; i++) {
        json_t *details = json_loads(eo_db_str(r, i, 9), 0, NULL);
        json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                                             (json_int_t)eo_db_get_ll(r, i, 0), "at", eo_db_str(r, i, 1), "actor_nip",
                                             eo_db_str_or_null(r, i, 2), "action", eo_db_str(r, i, 3), "target_type",
                                             eo_db_str_or_null(r, i, 4), "target_id", eo_db_str_or_null(r, i, 5), "ip",
                                             eo_db_str_or_null(r, i, 6), "user_agent", eo_db_str_or_null(r, i, 7),
                                             "request_id", eo_db_str_or_null(r, i, 8), "details",
                                             details ? details : json_object()));
    }
    *next = n > limit ? eo_db_keyset_of(r, limit - 1, 10, 0) : NULL;
    PQclear(r);
    *items = arr;
    return EO_OK;
}
