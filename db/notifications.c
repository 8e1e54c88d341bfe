#include "db/notifications.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/mail.h"

static const char *const to_names[] = {"employee", "supervisor", "anpeg"};

/* One statement: pick the recipients, write their rows, queue the e-mail
 * copies for those who asked for them. */
static const char notify_sql[] =
    "with rcpt as ("
    "  select $1::bigint as id where $2 = 'employee'"
    "  union"
    "  select e.supervisor_id from employees e"
    "   where $2 = 'supervisor' and e.id = $1 and e.supervisor_id is not null"
    "  union"
    "  select g.employee_id from employees e"
    "    join org_units u on u.id = e.unit_id"
    "    join role_grants g on g.role = 'anpeg' and g.revoked_at is null and u.path @> array[g.unit_id]"
    "   where $2 = 'anpeg' and e.id = $1"
    "), n as ("
    "  insert into notifications (employee_id, kind, title, body, target_type, target_id, data, actor_employee_id)"
    "  select r.id, $3, $4, coalesce($5, ''), $6, $7, coalesce($8::jsonb, '{}'), $9::bigint"
    "    from rcpt r join employees e on e.id = r.id"
    "   where r.id is distinct from $9::bigint and e.status = 'active'"
    "  returning employee_id, title, body"
    "), m as ("
    "  insert into mail_outbox (to_addr, subject, body)"
    "  select a.office_email, n.title, n.body from n join accounts a on a.employee_id = n.employee_id"
    "   where a.notify_email and a.status = 'active'"
    "  returning 1"
    ") select (select count(*) from n), (select count(*) from m)";

eo_status eo_db_notify(eo_db *db, eo_notify_to to, long long subject, long long actor_id, const eo_notice *n,
                       int *count, eo_err *err)
{
    char s[24], a[24];
    snprintf(s, sizeof s, "%lld", subject);
    snprintf(a, sizeof a, "%lld", actor_id);
    char *data = n->data ? json_dumps(n->data, JSON_COMPACT) : NULL;
    const char *p[] = {s,    to_names[to],       n->kind, n->title, n->body, n->target_type, n->target_id,
                       data, actor_id ? a : NULL};
    PGresult *r = eo_db_exec(db, "notify_insert", notify_sql, 9, p, err);
    free(data);
    if (!r) return err->status;
    long long rows = eo_db_get_ll(r, 0, 0), mails = eo_db_get_ll(r, 0, 1);
    PQclear(r);
    if (count) *count = (int)rows;
    if (mails > 0) eo_db_mail_kick();
    return EO_OK;
}
