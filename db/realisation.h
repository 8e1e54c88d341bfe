/* SQL of the wiring between partner trainings, the profile and the RPI
 * realisation (docs/rpi.md "Realisation", docs/integration-api.md). */
#ifndef EO_DB_REALISATION_H
#define EO_DB_REALISATION_H

#include <jansson.h>
#include <stdbool.h>

#include "db/pool.h"

/* The profile's competency-development record of a stored training (section
 * "competency", training_id set); nothing when it has one already.
 * *created tells whether a row was written. Caller's transaction. */
eo_status eo_db_training_profile_record(eo_db *db, long long training_id, bool *created, eo_err *err);

/* Stamps realised_at (at: Unix seconds) on every approved plan of the
 * employee whose items are now all realised and that had no stamp; the
 * stamped plans' ids and years go to ids/years (at most max), *n how many. */
eo_status eo_db_rpi_mark_realised(eo_db *db, long long employee_id, double at, long long *ids, int *years, int max,
                                  int *n, eo_err *err);

/* The realisation of plan id: *employee_id and *out =
 * {items: [{programme_id, realised, jp_realised, completed_on, trainings, competencies}],
 *  summary: {jp_planned, jp_realised, per_category, other_realised_jp, other_trainings,
 *            items_total, items_realised, all_realised, realised_at}}.
 * 404 rpi_not_found. */
eo_status eo_db_rpi_realisation(eo_db *db, long long id, long long *employee_id, json_t **out, eo_err *err);

#endif
