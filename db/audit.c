#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eo_status eo_db_audit_insert(eo_db *db, const eo_audit_entry *e, eo_err *err)
{
    char actor[24];
    char ua[513];
    snprintf(actor, sizeof(actor), "%lld", e->actor_employee_id);
    snprintf(ua, sizeof(ua), "%s", e->user_agent ? e->user_agent : "");
    /* Headers are not guaranteed UTF-8: keep printable ASCII only. */
    for (char *p = ua; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) *p = '?';
    char *details = e->details ? json_dumps(e->details, JSON_COMPACT) : NULL;
    const char *params[8] = {e->actor_employee_id ? actor : NULL,
                             e->action,
                             e->target_type,
                             e->target_id,
                             e->ip,
                             ua,
                             e->request_id,
                             details ? details : "{}"};
    eo_status rc = eo_db_run(db,
                             "INSERT INTO audit_log(actor_employee_id, action, target_type, target_id, ip,"
                             " user_agent, request_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
                             8, params, err);
    free(details);
    return rc;
}
