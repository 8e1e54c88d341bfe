#include "db/notification_list.h"

#include <stdio.h>

#include "db/keyset.h"
#include "db/rows.h"

// clang-format off
#define NOTICE_JSON                                                                                                    \
    "jsonb_build_object('id', n.id, 'kind', n.kind, 'title', n.title, 'body', n.body,"                                \
    " 'target_type', n.target_type, 'target_id', n.target_id, 'data', n.data,"                                         \
    " 'actor', (select jsonb_build_object('nip', a.nip, 'name', a.name) from employees a"                             \
    "   where a.id = n.actor_employee_id),"                                                                             \
    " 'created_at', " EO_DB_TS("n.created_at") ", 'read_at', " EO_DB_TS("n.read_at") ")"

/* The app's shape: what a phone's list row needs, no nested objects. */
#define NOTICE_COMPACT                                                                                                 \
    "jsonb_build_object('id', n.id, 'kind', n.kind, 'title', n.title, 'body', n.body,"                                \
    " 'target_type', n.target_type, 'target_id', n.target_id,"                                                         \
    " 'at', " EO_DB_TS("n.created_at") ", 'read', n.read_at is not null)"

#define LIST_SQL(shape)                                                                                                \
    "select (" shape ")::text, " EO_DB_KEYSET_TS("n.created_at") ", n.id,"                                            \
    " (select count(*) from notifications u where u.employee_id = $1 and u.read_at is null)"                           \
    " from (select 1) one left join lateral (select * from notifications n"                                            \
    "   where n.employee_id = $1 and (not $2::bool or n.read_at is null)"                                               \
    "     and ($3::timestamptz is null or (n.created_at, n.id) < ($3::timestamptz, $4::bigint))"                        \
    "   order by n.created_at desc, n.id desc limit $5) n on true"

/* read_at never precedes created_at (a row may be stamped later than this transaction's now()). */
#define READ_SQL(shape)                                                                                                \
    "with old as (select id from notifications where id = $2 and employee_id = $1 for update)"                         \
    " update notifications n set read_at = coalesce(n.read_at, greatest(now(), n.created_at))"                         \
    " from old where n.id = old.id returning (" shape ")::text"
// clang-format on

eo_status eo_db_notification_list(eo_db *db, long long employee_id, bool unread_only, bool compact,
                                  const char *after_at, const char *after_id, int limit, json_t **items, json_t **next,
                                  long long *unread, eo_err *err)
{
    char e[24], lim[16];
    snprintf(e, sizeof e, "%lld", employee_id);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {e, unread_only ? "true" : "false", after_at, after_id, lim};
    *items = *next = NULL;
    *unread = 0;
    PGresult *r = compact ? eo_db_exec(db, "notice_list_compact", LIST_SQL(NOTICE_COMPACT), 5, p, err)
                          : eo_db_exec(db, "notice_list", LIST_SQL(NOTICE_JSON), 5, p, err);
    if (!r) return eo_db_value_error(db, err);
    *unread = eo_db_get_ll(r, 0, 3);
    eo_status st = EO_OK;
    if (PQntuples(r) == 1 && !eo_db_get(r, 0, 2)) /* the lateral join found nothing */
        *items = json_array();
    else
        st = eo_db_json_page(r, limit, items, next, err);
    PQclear(r);
    return st;
}

eo_status eo_db_notification_read(eo_db *db, long long employee_id, long long id, bool compact, json_t **out,
                                  eo_err *err)
{
    char e[24], i[24];
    snprintf(e, sizeof e, "%lld", employee_id);
    snprintf(i, sizeof i, "%lld", id);
    const char *p[] = {e, i};
    *out = NULL;
    PGresult *r =
        compact ? eo_db_one(db, "notice_read_compact", READ_SQL(NOTICE_COMPACT), 2, p, "notification_not_found", err)
                : eo_db_one(db, "notice_read", READ_SQL(NOTICE_JSON), 2, p, "notification_not_found", err);
    if (!r) return err->status;
    eo_status st = eo_db_json(r, 0, 0, out, err);
    PQclear(r);
    return st;
}

eo_status eo_db_notification_read_all(eo_db *db, long long employee_id, long long *marked, eo_err *err)
{
    char e[24];
    snprintf(e, sizeof e, "%lld", employee_id);
    const char *p[] = {e};
    PGresult *r = eo_db_exec(db, "notice_read_all",
                             "update notifications set read_at = greatest(now(), created_at)"
                             " where employee_id = $1 and read_at is null",
                             1, p, err);
    if (!r) return err->status;
    *marked = eo_db_affected(r);
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_notification_email(eo_db *db, long long employee_id, const char *set, bool *email, eo_err *err)
{
    char e[24];
    snprintf(e, sizeof e, "%lld", employee_id);
    const char *p[] = {e, set};
    PGresult *r = set ? eo_db_one(db, "notice_email_set",
                                  "update accounts set notify_email = $2::bool where employee_id = $1"
                                  " returning notify_email",
                                  2, p, "not_found", err)
                      : eo_db_one(db, "notice_email_get", "select notify_email from accounts where employee_id = $1", 1,
                                  p, "not_found", err);
    if (!r) return err->status;
    *email = eo_db_bool(r, 0, 0);
    PQclear(r);
    return EO_OK;
}
