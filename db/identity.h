/* The identity feature's SQL, one header for all of it: accounts and
 * enrolments (db/accounts.h), sessions and devices (db/sessions.h),
 * throttling (db/throttle.h), demo seeding (db/identity_seed.h), plus the
 * read queries behind /api/v1/me and the admin lists declared below. Binary
 * values (hashes, sealed secrets) cross the libpq boundary as hex text. */
#ifndef EO_DB_IDENTITY_H
#define EO_DB_IDENTITY_H

#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "core/identity.h"
#include "core/password.h"
#include "core/token.h"
#include "core/totp.h"
#include "db/accounts.h"
#include "db/identity_seed.h"
#include "db/pool.h"
#include "db/sessions.h"
#include "db/throttle.h"

/* JSON arrays for /me/sessions and /me/devices (new references in *out). */
eo_status eo_db_sessions_list(eo_db *db, long long employee_id, long long current_session, json_t **out, eo_err *err);
eo_status eo_db_devices_list(eo_db *db, long long employee_id, json_t **out, eo_err *err);

#endif

/* ---- /me ---- */
/* Employee with unit, position, location, schedule, supervisor (JSON object),
 * roles as granted plus derived "atasan"; compact: the mobile subset. */
eo_status eo_db_me_profile(eo_db *db, long long employee_id, bool compact, json_t **out, eo_err *err);
/* {office_location_code, supervisor_nip, work_schedule_code} (nulls allowed). */
eo_status eo_db_me_settings(eo_db *db, long long employee_id, json_t **out, eo_err *err);
/* Applies the given settings (NULL = unchanged; "" = clear for location/supervisor),
 * validating them against the master data; field errors: location_not_found,
 * schedule_not_found, supervisor_not_found, supervisor_self, supervisor_cycle. */
eo_status eo_db_me_settings_update(eo_db *db, long long employee_id, const char *location_code,
                                   const char *supervisor_nip, const char *schedule_code, eo_err *err);

/* ---- admin ---- */
/* Audit entries newest first, id < before_id (0 = from the newest); action /
 * nip filters optional (nip matches actor or target). *next = last id when more. */
eo_status eo_db_audit_list(eo_db *db, int limit, long long before_id, const char *action, const char *nip,
                           json_t **items, long long *next, eo_err *err);
