/* Pending settings changes (docs/settings.md): an employee's new atasan link,
 * office location or work schedule waiting for its confirmer. */
#ifndef EO_DB_SETTINGS_CHANGES_H
#define EO_DB_SETTINGS_CHANGES_H

#include <jansson.h>
#include <stdbool.h>

#include "db/me.h"
#include "db/pool.h"

typedef struct {
    long long id, employee_id;
    long long current_supervisor_id; /* the employee's atasan in force, 0 = none */
    char kind[16];                   /* supervisor | placement */
    char status[16];                 /* pending | confirmed | refused | withdrawn | superseded */
    eo_settings_ids ids;             /* what it would apply */
} eo_settings_change_row;

/* The employee's values in force as ids (set_* all true). */
eo_status eo_db_settings_current(eo_db *db, long long employee_id, eo_settings_ids *out, eo_err *err);
/* Files a pending change of kind; an earlier pending one of the same kind is
 * superseded (*superseded: its id, 0 = none). */
eo_status eo_db_settings_change_create(eo_db *db, long long employee_id, const char *kind, const eo_settings_ids *ids,
                                       long long *id, long long *superseded, eo_err *err);
/* Locks it (404 settings_change_not_found). */
eo_status eo_db_settings_change_lock(eo_db *db, long long id, eo_settings_change_row *row, eo_err *err);
/* Closes it: status confirmed | refused | withdrawn, by (0 = none), note. */
eo_status eo_db_settings_change_close(eo_db *db, long long id, const char *status, long long by, const char *note,
                                      double now, eo_err *err);
/* The change as clients see it. */
eo_status eo_db_settings_change_get(eo_db *db, long long id, json_t **out, eo_err *err);
/* The employee's pending changes (JSON array, oldest first). */
eo_status eo_db_settings_changes_pending(eo_db *db, long long employee_id, json_t **out, eo_err *err);
/* The confirmer's queue: pending changes viewer may confirm (proposed atasan,
 * atasan in force, anpeg of the unit, or all when admin), newest first. */
eo_status eo_db_settings_changes_queue(eo_db *db, long long viewer, bool admin, int limit, const char *after_at,
                                       const char *after_id, json_t **items, json_t **next, eo_err *err);

#endif
