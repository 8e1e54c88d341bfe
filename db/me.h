/* SQL of the signed-in employee's own views (api/me.c via svc/me.c): profile,
 * settings, and the pages of their sessions and devices. */
#ifndef EO_DB_ME_H
#define EO_DB_ME_H

#include <jansson.h>
#include <stdbool.h>

#include "db/keyset.h"
#include "db/pool.h"

/* Employee with unit, position, location, schedule, supervisor (JSON object),
 * roles as granted plus derived "atasan"; compact: the mobile subset. */
eo_status eo_db_me_profile(eo_db *db, long long employee_id, bool compact, json_t **out, eo_err *err);
/* {office_location_code, supervisor_nip, work_schedule_code} (nulls allowed). */
eo_status eo_db_me_settings(eo_db *db, long long employee_id, json_t **out, eo_err *err);

/* One page of a list: up to limit items after `after` (newest first) in *items,
 * and in *next the position of the last one when more follow (else NULL).
 * Both are new references. The items are built here as JSON: these are
 * read-only views no rule reads back, so rows need not cross as structs. */

/* The employee's live sessions by (created_at, id) DESC; "current" marks current_session. */
eo_status eo_db_me_sessions_page(eo_db *db, long long employee_id, long long current_session, int limit,
                                 const eo_db_keyset *after, json_t **items, json_t **next, eo_err *err);
/* The employee's mobile devices by (first_seen_at, id) DESC, with their live session counts. */
eo_status eo_db_me_devices_page(eo_db *db, long long employee_id, int limit, const eo_db_keyset *after, json_t **items,
                                json_t **next, eo_err *err);

/* ---- /me ---- */
/* Settings resolved to ids. set_*: the field was given; an id of 0 with set_
 * means "clear" (location and supervisor only). */
typedef struct {
    bool set_location, set_supervisor, set_schedule;
    long long location_id, supervisor_id, schedule_id;
} eo_settings_ids;

/* Resolves the given settings (NULL = unchanged; "" = clear for
 * location/supervisor) against the master data; field errors:
 * location_not_found, schedule_not_found, supervisor_not_found,
 * supervisor_self, supervisor_cycle. */
eo_status eo_db_me_settings_resolve(eo_db *db, long long employee_id, const char *location_code,
                                    const char *supervisor_nip, const char *schedule_code, eo_settings_ids *ids,
                                    eo_err *err);
/* *cycle: supervisor_id reports (up the chain) to employee_id. */
eo_status eo_db_me_supervisor_cycle(eo_db *db, long long employee_id, long long supervisor_id, bool *cycle,
                                    eo_err *err);
/* Applies resolved settings; the history trigger records source, change_id
 * (settings_changes.id, 0 = none) and actor (0 = none) with the new values. */
eo_status eo_db_me_settings_apply(eo_db *db, long long employee_id, const eo_settings_ids *ids, const char *source,
                                  long long change_id, long long actor_id, eo_err *err);
/* resolve + apply (a direct set by an anpeg or admin). */
eo_status eo_db_me_settings_update(eo_db *db, long long employee_id, const char *location_code,
                                   const char *supervisor_nip, const char *schedule_code, const char *source,
                                   long long actor_id, eo_err *err);

#endif
