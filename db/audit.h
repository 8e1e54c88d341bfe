/* The audit log: who did what to which record, from where. */
#ifndef EO_DB_AUDIT_H
#define EO_DB_AUDIT_H

#include "db/pool.h"

typedef struct {
    long long actor_employee_id; /* 0 = no employee (system, CLI, anonymous) */
    const char *action;          /* e.g. "login.success", "role.grant" */
    const char *target_type;     /* e.g. "employee"; may be NULL */
    const char *target_id;       /* may be NULL */
    const char *ip;
    const char *user_agent; /* truncated to 512 characters */
    const char *request_id;
    json_t *details; /* may be NULL; not stolen */
} eo_audit_entry;

eo_status eo_db_audit_insert(eo_db *db, const eo_audit_entry *e, eo_err *err);

#endif
