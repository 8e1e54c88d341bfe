/* Stored answers for Idempotency-Key retries (table idempotency_keys). */
#ifndef EO_DB_IDEMPOTENCY_H
#define EO_DB_IDEMPOTENCY_H

#include <stdbool.h>

#include "db/pool.h"

typedef struct {
    bool found;
    bool complete; /* an answer is stored */
    char request_hash[65];
    int status;
    char *body; /* malloc'ed; free() it */
} eo_idem_entry;

/* Reads (employee, key); entry->found = false when absent. */
eo_status eo_db_idem_lookup(eo_db *db, long long employee_id, const char *key, eo_idem_entry *entry, eo_err *err);
/* Inside the caller's transaction: inserts the key; *claimed = false when
 * another request holds it (after waiting for that request's transaction). */
eo_status eo_db_idem_claim(eo_db *db, long long employee_id, const char *key, const char *scope,
                           const char *request_hash, bool *claimed, eo_err *err);
/* Inside the same transaction: stores the final answer. */
eo_status eo_db_idem_complete(eo_db *db, long long employee_id, const char *key, int status, const char *body,
                              eo_err *err);

/* Forgets stored answers older than max_age_h hours (a phone retries within
 * minutes; two days covers a device that was off over a weekend day). */
eo_status eo_db_idem_expire(eo_db *db, int max_age_h, eo_err *err);

#endif
