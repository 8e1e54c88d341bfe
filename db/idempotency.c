#include "db/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eo_status eo_db_idem_lookup(eo_db *db, long long employee_id, const char *key, eo_idem_entry *entry, eo_err *err)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    const char *params[] = {id, key};
    memset(entry, 0, sizeof(*entry));
    PGresult *r = eo_db_exec(db, "idem_lookup",
                             "select request_hash, status, body from idempotency_keys"
                             " where employee_id = $1 and key = $2",
                             2, params, err);
    if (!r) return err->status;
    if (PQntuples(r) == 1) {
        entry->found = true;
        snprintf(entry->request_hash, sizeof(entry->request_hash), "%s", eo_db_get(r, 0, 0));
        if (eo_db_get(r, 0, 1) && eo_db_get(r, 0, 2)) {
            entry->complete = true;
            entry->status = (int)eo_db_get_ll(r, 0, 1);
            entry->body = strdup(eo_db_get(r, 0, 2));
            if (!entry->body) {
                PQclear(r);
                return eo_fail(err, EO_ERR_INTERNAL, "internal");
            }
        }
    }
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_idem_claim(eo_db *db, long long employee_id, const char *key, const char *scope,
                           const char *request_hash, bool *claimed, eo_err *err)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", employee_id);
    const char *params[] = {id, key, scope, request_hash};
    PGresult *r = eo_db_exec(db, "idem_claim",
                             "insert into idempotency_keys (employee_id, key, scope, request_hash)"
                             " values ($1, $2, $3, $4) on conflict (employee_id, key) do nothing returning id",
                             4, params, err);
    if (!r) return err->status;
    *claimed = PQntuples(r) == 1;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_idem_complete(eo_db *db, long long employee_id, const char *key, int status, const char *body,
                              eo_err *err)
{
    char id[24], st[12];
    snprintf(id, sizeof(id), "%lld", employee_id);
    snprintf(st, sizeof(st), "%d", status);
    const char *params[] = {id, key, st, body};
    PGresult *r = eo_db_exec(db, "idem_complete",
                             "update idempotency_keys set status = $3, body = $4 where employee_id = $1 and key = $2",
                             4, params, err);
    if (!r) return err->status;
    PQclear(r);
    return EO_OK;
}

eo_status eo_db_idem_expire(eo_db *db, int max_age_h, eo_err *err)
{
    char h[16];
    snprintf(h, sizeof(h), "%d", max_age_h);
    const char *params[] = {h};
    return eo_db_run(db, "delete from idempotency_keys where created_at < now() - make_interval(hours => $1::int)", 1,
                     params, err);
}
