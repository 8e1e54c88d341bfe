#include "svc/uow.h"

#include "svc/session_cache.h"

#include <string.h>
#include <time.h>

#include "db/audit.h"

void eo_uow_init(eo_uow *u, eo_app *app, const eo_principal *who, double now)
{
    memset(u, 0, sizeof(*u));
    u->app = app;
    u->who = who;
    u->now = now;
    u->ip = u->user_agent = u->request_id = "";
}

eo_status eo_uow_db(eo_uow *u, eo_db **out, eo_err *err)
{
    if (!u->db) {
        if (eo_db_acquire_ex(u->app->pool, u->db_returned, &u->db, err) != EO_OK) {
            u->db = NULL;
            if (err->retry_after_s <= 0) err->retry_after_s = 1;
            return err->status;
        }
    }
    *out = u->db;
    return EO_OK;
}

void eo_uow_db_release(eo_uow *u)
{
    if (!u->db) return;
    eo_db_release(u->db);
    u->db = NULL;
    u->db_returned = true;
}

void eo_uow_end(eo_uow *u)
{
    if (u->db) eo_db_release(u->db);
    u->db = NULL;
    if (u->auth_changed) eo_session_cache_forget(u->auth_changed > 0 ? u->auth_changed : 0);
    u->auth_changed = 0;
}

void eo_uow_auth_changed(eo_uow *u, long long employee_id)
{
    if (employee_id <= 0) return;
    u->auth_changed = u->auth_changed && u->auth_changed != employee_id ? -1 : employee_id;
}

eo_status eo_uow_audit(eo_uow *u, const char *action, const char *target_type, const char *target_id, json_t *details,
                       eo_err *err)
{
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    eo_audit_entry e = {
        .actor_employee_id = u->who ? u->who->employee_id : 0,
        .action = action,
        .target_type = target_type,
        .target_id = target_id,
        .ip = u->ip,
        .user_agent = u->user_agent,
        .request_id = u->request_id,
        .details = details,
    };
    return eo_db_audit_insert(db, &e, err);
}

eo_status eo_uow_audit_commit(eo_uow *u, const char *action, const char *target_type, const char *target_id,
                              json_t *details, eo_err *err)
{
    if (eo_uow_audit(u, action, target_type, target_id, details, err) != EO_OK) return err->status;
    eo_db *db;
    if (eo_uow_db(u, &db, err) != EO_OK) return err->status;
    return eo_db_commit(db, err);
}

eo_status eo_uow_rollback(eo_db *db, json_t **out, eo_err *err)
{
    eo_db_rollback(db);
    if (out) {
        json_decref(*out);
        *out = NULL;
    }
    return err->status;
}

double eo_uow_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
