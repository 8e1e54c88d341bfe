/* SQL of sign-in / reset throttling (table auth_throttle): one failure
 * counter per key ("login:nip:<NIP>", "login:ip:<IP>", …). The caller's `now`
 * (Unix seconds) decides every wait, so a use case and its tests control the
 * clock; only updated_at (the quiet-window start) is the database's own. */
#ifndef EO_DB_THROTTLE_H
#define EO_DB_THROTTLE_H

#include "core/identity.h"
#include "db/pool.h"

/* Seconds still to wait for key at now (0 = go). */
eo_status eo_db_throttle_wait(eo_db *db, const char *key, double now, int *wait_s, eo_err *err);
/* Counts a failure at now and sets the next wait from the rule; returns it in *wait_s. */
eo_status eo_db_throttle_fail(eo_db *db, const char *key, const eo_throttle_rule *rule, double now, int *wait_s,
                              eo_err *err);
eo_status eo_db_throttle_clear(eo_db *db, const char *key, eo_err *err);
/* Deletes up to limit counters quiet for EO_THROTTLE_QUIET_MAX_S at now and
 * holding no wait still running (the background sweeper; per-address keys
 * otherwise grow with attack traffic). *deleted = rows removed. */
eo_status eo_db_throttle_sweep(eo_db *db, double now, int limit, int *deleted, eo_err *err);

#endif
